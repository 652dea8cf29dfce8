//! Every fixture's Document validates against `schemas/document.schema.json`,
//! and the schema rejects what the contract forbids.

mod common;

use common::{fixture, root, yoshiki};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas/document.schema.json")).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn violations(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {}", e.instance_path(), e))
        .collect()
}

/// Every fixture a reader should accept: all files under fixtures/ except
/// those kept to be rejected (folders named `bad`, `broken`, `hostile`) and
/// those that test a reader, not a form (`reader-only`).
fn good_fixtures() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                if !matches!(name, "bad" | "broken" | "hostile" | "regressions" | "reader-only") {
                    walk(&p, out);
                }
            } else if !name.starts_with('.')
                && !name.ends_with(".md")
                && !name.ends_with(".py")
                && !name.ends_with(".sh")
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&fixture(""), &mut out);
    out
}

#[test]
fn every_fixture_validates() {
    let v = validator();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for f in good_fixtures() {
        let run = yoshiki(&["parse", f.to_str().expect("utf-8 path")], dir.path());
        if run.code != 0 && run.stderr.contains("not supported yet") {
            continue;
        }
        let doc = run.json();
        let errs = violations(&v, &doc);
        assert!(
            errs.is_empty(),
            "{}: {} violations:\n{}",
            f.display(),
            errs.len(),
            errs.join("\n")
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} fixtures checked");
}

#[test]
fn schema_rejects_what_the_contract_forbids() {
    let v = validator();
    let doc = common::parse_fixture("corpus/text/minato-2022-plan.txt");
    assert!(violations(&v, &doc).is_empty());
    let mut bad = doc.clone();
    bad["kind"] = Value::from("budget_report");
    bad["issues"][0]["strategies"][0]["initiatives"][0]["budgets"][0]["yen"] = Value::from(12.5);
    bad["issues"][0]["strategies"][0]["initiatives"][0]["process_indicators"][0]["target"]["comparator"] =
        Value::from("more");
    let errs = violations(&v, &bad);
    assert!(errs.iter().any(|e| e.starts_with("/kind")), "{errs:?}");
    assert!(errs.iter().any(|e| e.contains("/budgets/0/yen")), "{errs:?}");
    assert!(
        errs.iter().any(|e| e.contains("/process_indicators/0/target")),
        "{errs:?}"
    );
}
