//! Canonical writing: the bytes of each output file, streamed into a
//! writer (a file staged by `transaction.rs`, which decides whether it
//! replaces what OUT holds), and the sha256 helpers.

use crate::model::{Document, Ward};
use crate::view::{Disagreement, GroupWarning, PlanView, WARD_YEAR_SCHEMA};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// sha256 of everything `r` gives, read in blocks (never whole).
pub fn hash_reader(mut r: impl Read) -> std::io::Result<String> {
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match r.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    Ok(hex(&hash.finalize()))
}

/// Pretty JSON (the crate's canonical form), every line but the first
/// indented by `by` spaces, to nest it inside an outer object. JSON text
/// holds no raw newline inside a string, so this is exact.
fn nested<T: serde::Serialize>(v: &T, by: usize) -> String {
    let s = crate::writers::json::to_string(v);
    s.replace('\n', &format!("\n{}", " ".repeat(by)))
}

/// Writes a ward-year file one document at a time, in exactly the bytes
/// `writers::json::to_string` gives for the whole `WardYear` (plus the final
/// newline), without holding the documents.
pub struct WardYearWriter<W: Write> {
    w: W,
    documents: usize,
}

impl<W: Write> WardYearWriter<W> {
    pub fn begin(mut w: W, ward: &Ward, fiscal_year: i32) -> std::io::Result<WardYearWriter<W>> {
        write!(
            w,
            "{{\n  \"schema\": {},\n  \"ward\": {},\n  \"fiscal_year\": {fiscal_year},\n  \"documents\": [",
            nested(&WARD_YEAR_SCHEMA, 2),
            nested(ward, 2)
        )?;
        Ok(WardYearWriter { w, documents: 0 })
    }

    pub fn document(&mut self, doc: &Document) -> std::io::Result<()> {
        let sep = if self.documents == 0 { "" } else { "," };
        write!(self.w, "{sep}\n    {}", nested(doc, 4))?;
        self.documents += 1;
        Ok(())
    }

    pub fn finish(
        mut self,
        plan: &PlanView,
        disagreements: &[Disagreement],
        warnings: &[GroupWarning],
    ) -> std::io::Result<W> {
        let close = if self.documents == 0 { "]" } else { "\n  ]" };
        write!(
            self.w,
            "{close},\n  \"plan\": {},\n  \"disagreements\": {},\n  \"warnings\": {}\n}}\n",
            nested(plan, 2),
            nested(&disagreements, 2),
            nested(&warnings, 2)
        )?;
        Ok(self.w)
    }
}

/// A value as a whole file: canonical JSON (the bytes of
/// `writers::json::to_string`, serialised straight into the writer rather
/// than through a string: the manifest grows with the archive) and a final
/// newline.
pub fn write_json<T: serde::Serialize>(mut w: impl Write, v: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut w, v).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Location};
    use crate::view::tests::{doc, initiative, with_initiatives};
    use crate::view::{Assembler, WardYear};

    #[test]
    fn streamed_ward_year_is_the_whole_struct_serialised() {
        let mut plan = with_initiatives(
            doc(Kind::Plan, "aa", Some("271071"), Some(2022)),
            vec![initiative("3-3-4", Some(1_000))],
        );
        plan.issues[0].at = Location::page(2, [0.1 + 0.2, 595.275_590_55, 1e-7, 841.889_763_78]);
        let mut rev = with_initiatives(
            doc(Kind::PlanRevision, "bb", Some("271071"), Some(2022)),
            vec![initiative("3-3-4", Some(2_000))],
        );
        let money = |yen: i64| crate::model::RevisedValue {
            text: format!("{yen}"),
            money: Some(crate::model::Money {
                yen: Some(yen),
                text: format!("{yen}円"),
            }),
            quantity: None,
        };
        rev.revisions.push(crate::model::Revision {
            before: money(1_000),
            after: money(2_000),
            path: Some("issues/3/strategies/3-3/initiatives/3-3-4/budgets/2022:budget".into()),
            at: Location::default(),
            evidence: crate::model::Evidence::Strikethrough,
            context: None,
            flag: None,
            readings: Vec::new(),
        });
        let other = with_initiatives(
            doc(Kind::Plan, "cc", Some("271071"), Some(2022)),
            vec![initiative("3-3-4", Some(3_000))],
        );
        let docs = vec![plan, other, rev];
        let ward = docs[0].ward.clone().unwrap();

        let mut a = Assembler::new();
        let mut w = WardYearWriter::begin(Vec::new(), &ward, 2022).unwrap();
        for d in &docs {
            a.add(d);
            w.document(d).unwrap();
        }
        let (view, dis, warn) = a.finish().unwrap();
        assert!(!dis.is_empty() && !warn.is_empty() && !view.revisions_applied.is_empty());
        let streamed = String::from_utf8(w.finish(&view, &dis, &warn).unwrap()).unwrap();

        let whole = WardYear {
            schema: WARD_YEAR_SCHEMA,
            ward: &ward,
            fiscal_year: 2022,
            documents: &docs,
            plan: &view,
            disagreements: &dis,
            warnings: &warn,
        };
        let expected = crate::writers::json::to_string(&whole) + "\n";
        assert_eq!(streamed, expected);
    }

    #[test]
    fn documents_round_trip_byte_for_byte() {
        let mut d = with_initiatives(
            doc(Kind::Plan, "aa", Some("271071"), Some(2022)),
            vec![initiative("1-1-1", None)],
        );
        d.issues[0].at = Location::page(2, [0.1 + 0.2, 595.275_590_55, 1e-7, 841.889_763_78]);
        d.issues[0].current_state = vec![crate::model::Observation {
            value: crate::model::Quantity {
                value: Some(55.123_456_789_012_34),
                unit: Some("%".into()),
                comparator: None,
                text: "55.12%".into(),
            },
            ..Default::default()
        }];
        let once = crate::writers::json::to_string(&d);
        let back: Document = serde_json::from_str(&once).unwrap();
        assert_eq!(crate::writers::json::to_string(&back), once);
        let compact = serde_json::to_vec(&d).unwrap();
        let back: Document = serde_json::from_slice(&compact).unwrap();
        assert_eq!(crate::writers::json::to_string(&back), once);
    }
}
