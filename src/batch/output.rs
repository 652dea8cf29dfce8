//! Canonical writing. Every output file is written to a temporary name in
//! its own directory and renamed into place, so a reader never sees half a
//! file; and only when its bytes differ from the file already there, so a
//! re-run over an unchanged archive rewrites nothing.

use crate::model::{Document, Ward};
use crate::view::{Disagreement, GroupWarning, PlanView, WARD_YEAR_SCHEMA};
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// The prefix of every temporary file this program makes in OUT.
pub const TMP_PREFIX: &str = ".yoshiki-tmp-";

/// What writing a file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Written,
    Unchanged,
}

/// A file being written: bytes go to a temporary file and into a hash.
pub struct AtomicFile {
    target: PathBuf,
    w: BufWriter<tempfile::NamedTempFile>,
    hash: Sha256,
}

impl AtomicFile {
    pub fn create(target: &Path) -> std::io::Result<AtomicFile> {
        let dir = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut b = tempfile::Builder::new();
        b.prefix(TMP_PREFIX);
        // A temporary file is private (0600) by default; the output is
        // data to publish, readable as any file the user makes (the umask
        // applies).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            b.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = b.tempfile_in(dir)?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            w: BufWriter::with_capacity(1 << 16, tmp),
            hash: Sha256::new(),
        })
    }

    /// Rename into place unless the file there has the same bytes. Returns
    /// the new bytes' sha256.
    pub fn finish(self) -> std::io::Result<(String, Outcome)> {
        let sha = hex(&self.hash.finalize());
        let tmp = self.w.into_inner().map_err(|e| e.into_error())?;
        if hash_file(&self.target).ok().as_deref() == Some(sha.as_str()) {
            // `tmp` is removed when dropped.
            return Ok((sha, Outcome::Unchanged));
        }
        tmp.as_file().sync_all()?;
        tmp.persist(&self.target).map_err(|e| e.error)?;
        Ok((sha, Outcome::Written))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.w.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// sha256 of a file, read in blocks (never whole).
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
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
/// `writers::json::to_string`, serialised straight into the file rather than
/// through a string: the manifest grows with the archive) and a final
/// newline.
pub fn write_json<T: serde::Serialize>(target: &Path, v: &T) -> std::io::Result<(String, Outcome)> {
    let mut f = AtomicFile::create(target)?;
    serde_json::to_writer_pretty(&mut f, v).map_err(std::io::Error::other)?;
    f.write_all(b"\n")?;
    f.finish()
}

/// Remove temporary files a killed run left in OUT and in its immediate
/// subdirectories (the only places this program writes).
pub fn remove_leftovers(out: &Path) {
    let mut dirs = vec![out.to_path_buf()];
    if let Ok(rd) = std::fs::read_dir(out) {
        dirs.extend(
            rd.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path()),
        );
    }
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(TMP_PREFIX) {
                let _ = if e.file_type().is_ok_and(|t| t.is_dir()) {
                    std::fs::remove_dir_all(e.path())
                } else {
                    std::fs::remove_file(e.path())
                };
            }
        }
    }
}

/// Remove a data file a previous run wrote and this one did not, and its
/// directory if that is left empty. `rel` has been checked by
/// `manifest::is_data_path`.
pub fn remove_stale(out: &Path, rel: &str) -> std::io::Result<bool> {
    let path = out.join(rel);
    match std::fs::remove_file(&path) {
        Ok(()) => {
            if let Some(dir) = path.parent() {
                // Fails, as it should, when other files remain.
                let _ = std::fs::remove_dir(dir);
            }
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
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

    #[test]
    fn unchanged_bytes_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("271071/2022.json");
        let (sha1, o1) = write_json(&target, &vec![1, 2]).unwrap();
        assert_eq!(o1, Outcome::Written);
        let before = std::fs::metadata(&target).unwrap().modified().unwrap();
        let (sha2, o2) = write_json(&target, &vec![1, 2]).unwrap();
        assert_eq!((sha2.as_str(), o2), (sha1.as_str(), Outcome::Unchanged));
        assert_eq!(std::fs::metadata(&target).unwrap().modified().unwrap(), before);
        assert_eq!(hash_file(&target).unwrap(), sha1);
        let doc = with_initiatives(
            doc(Kind::Plan, "aa", Some("271071"), Some(2022)),
            vec![initiative("1-1-1", None)],
        );
        write_json(&target, &doc).unwrap();
        let expected = crate::writers::json::to_string(&doc) + "\n";
        assert_eq!(std::fs::read_to_string(&target).unwrap(), expected);
        let (_, o3) = write_json(&target, &vec![3]).unwrap();
        assert_eq!(o3, Outcome::Written);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "[\n  3\n]\n");
        let names: Vec<_> = std::fs::read_dir(target.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }
}
