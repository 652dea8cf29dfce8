//! Golden JSON for each text release: the whole Document, compared byte
//! for byte (after blanking `source.path`, which names the temp copy).
//!
//! The golden files were reviewed by hand against the releases. To change
//! one, run `YOSHIKI_WRITE_GOLDEN=1 cargo test --test golden`, then read
//! `git diff tests/golden/` line by line against the release before
//! committing: a golden file is a claim about the release, not a snapshot.

mod common;

use common::{neutral_copy, root, yoshiki};

fn check(release: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = neutral_copy(&format!("corpus/text/{release}.txt"), dir.path(), "release.txt");
    let run = yoshiki(&["parse", copy.to_str().expect("utf-8 path")], dir.path());
    let doc = run.json();
    // Blank the temp path in the output as printed (key order kept).
    let path_json = serde_json::to_string(&doc["source"]["path"]).expect("path");
    let got = run
        .stdout
        .replacen(&format!("\"path\": {path_json}"), "\"path\": \"\"", 1);
    let golden = root().join("tests/golden").join(format!("{release}.json"));
    if std::env::var_os("YOSHIKI_WRITE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
    if got != want {
        let diff: Vec<String> = want
            .lines()
            .zip(got.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(20)
            .map(|(i, (a, b))| format!("line {}:\n  golden: {a}\n  now:    {b}", i + 1))
            .collect();
        panic!(
            "{release}: output differs from {} ({} vs {} lines)\n{}",
            golden.display(),
            want.lines().count(),
            got.lines().count(),
            diff.join("\n")
        );
    }
}

#[test]
fn plan() {
    check("minato-2022-plan");
}

#[test]
fn plan_revision() {
    check("minato-2022-plan-revision");
}

#[test]
fn midterm_review() {
    check("minato-2021-midterm-review");
}

#[test]
fn digest() {
    check("unknown-ward-summary");
}

#[test]
fn progress_report() {
    check("taisho-2016-progress");
}
