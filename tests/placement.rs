//! Nothing disappears between reader and model: for every fixture the
//! recogniser reads, every character of every intermediate-form row ends
//! in a field of the model, a label of the form, or the Document's
//! `unplaced` — checked here from the placement map
//! (`yoshiki::recognize::placements`) against the Document itself, not
//! taken on trust:
//!
//! * the map's units are the intermediate form's cells, normalised, and
//!   its spans cover every character of them but white space, once;
//! * a character placed in a field is in the value the Document holds at
//!   that path (a year heading names that element's `fiscal_year`, an id
//!   its `id`);
//! * a character left unplaced is in the Document's `unplaced`, in a piece
//!   of the kind the map says;
//! * `coverage` is what the map counts.

mod common;

use common::root;
use serde_json::Value;
use yoshiki::model::path;
use yoshiki::recognize::placement::Class;

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every fixture the recogniser reads (the bad, broken and reader-only
/// ones are refused or hold no form).
fn fixtures() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root().join("fixtures")).sort_by_file_name() {
        let Ok(e) = e else { continue };
        let p = e.path().to_path_buf();
        let rel = p.strip_prefix(root()).unwrap_or(&p).to_string_lossy().to_string();
        let skip = ["/bad/", "/broken/", "/regressions/", "/reader-only/"];
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        if e.file_type().is_file()
            && !skip.iter().any(|s| rel.contains(s))
            && matches!(ext, "txt" | "xlsx" | "xls" | "ods" | "pdf")
        {
            out.push(p);
        }
    }
    out
}

/// Whether a span's text is what the Document holds at its path.
fn held(doc: &Value, p: &str, text: &str) -> bool {
    let Some(v) = path::get(doc, p) else { return false };
    let t = squeeze(text);
    match v {
        Value::String(s) => squeeze(s).contains(&t),
        Value::Number(n) if p.ends_with("/fiscal_year") => {
            let year = doc["fiscal_year"].as_i64().map(|y| y as i32);
            yoshiki::normalize::parse_fiscal_year(&t, year).map(i64::from) == n.as_i64()
        }
        Value::Number(n) => t == n.to_string(),
        _ => false,
    }
}

fn check(file: &std::path::Path) -> Option<String> {
    let bytes = std::fs::read(file).expect("read fixture");
    let name = file.to_string_lossy().to_string();
    let opts = yoshiki::parse::Options::default();
    let Ok(doc) = yoshiki::parse::parse_bytes(&bytes, &name, &opts) else {
        return None;
    };
    let ir = yoshiki::parse::read_ir(&bytes, &opts.limits).expect("read again");
    let p = yoshiki::recognize::placements(&ir, &doc);
    let json = serde_json::to_value(&doc).expect("json");

    // The units are the intermediate form's cells, in order.
    let cells: Vec<&str> = ir
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.text.as_str()))
        .collect();
    assert_eq!(p.units.len(), cells.len(), "{name}: units against cells");
    for (u, c) in p.units.iter().zip(&cells) {
        assert_eq!(
            u.text,
            yoshiki::normalize::text(c),
            "{name}: a unit is its cell normalised"
        );
    }

    // Every character but white space in exactly one span.
    let mut covered: Vec<Vec<bool>> = p.units.iter().map(|u| vec![false; u.text.len()]).collect();
    for s in &p.spans {
        for c in &mut covered[s.unit][s.start..s.end] {
            assert!(!*c, "{name}: two spans over one character of {:?}", p.units[s.unit].at);
            *c = true;
        }
    }
    for (u, unit) in p.units.iter().enumerate() {
        for (b, c) in unit.text.char_indices() {
            assert!(
                c.is_whitespace() || covered[u][b],
                "{name}: {c:?} of {:?} ({:?}) ends nowhere",
                unit.text,
                unit.at
            );
        }
    }

    // Placed characters are the field's; unplaced ones are in `unplaced`.
    let unplaced: Vec<(String, yoshiki::model::UnplacedKind)> =
        doc.unplaced.iter().map(|u| (squeeze(&u.text), u.kind)).collect();
    let (mut placed, mut read) = (0u64, 0u64);
    for s in &p.spans {
        let text = p.text(s);
        let n = squeeze(text).chars().count() as u64;
        let kind = match &s.class {
            Class::Field(f) => {
                assert!(
                    held(&json, f, text),
                    "{name}: {text:?} is not in {f}: {:?}",
                    path::get(&json, f)
                );
                placed += n;
                read += n;
                continue;
            }
            Class::Label | Class::Markup => continue,
            Class::Unplaced => {
                read += n;
                yoshiki::model::UnplacedKind::Content
            }
            Class::LabelFragment => yoshiki::model::UnplacedKind::LabelFragment,
            Class::Noise => yoshiki::model::UnplacedKind::Noise,
        };
        let t = squeeze(text);
        assert!(
            unplaced.iter().any(|(u, k)| *k == kind && u.contains(&t)),
            "{name}: unplaced {text:?} ({kind:?}) is not in the Document's unplaced"
        );
    }
    assert_eq!(
        (doc.coverage.placed, doc.coverage.read),
        (placed, read),
        "{name}: coverage"
    );
    Some(format!(
        "{:.4} {placed}/{read} {}",
        doc.coverage.ratio,
        file.strip_prefix(root()).unwrap_or(file).display()
    ))
}

#[test]
fn every_character_of_every_fixture_ends_in_a_field_a_label_or_unplaced() {
    let mut checked = Vec::new();
    for f in fixtures() {
        if let Some(line) = check(&f) {
            checked.push(line);
        }
    }
    // Every corpus release and every format of the plan and its revision.
    assert!(checked.len() >= 20, "{checked:#?}");
    for c in &checked {
        println!("{c}");
    }
}
