//! README's "Loading the data" examples run here against the bundled
//! corpus's output: convert, the three exports, then each Python block.
//!
//! The pandas and DuckDB examples need those packages; where they are not
//! installed the example is skipped with a message, unless
//! `YOSHIKI_REQUIRE_EXAMPLES=1` (as `.ci/run` sets, after installing them).

mod common;

use common::{root, yoshiki};
use std::process::Command;

fn python_blocks(readme: &str) -> Vec<String> {
    let section = readme
        .split("## Loading the data")
        .nth(1)
        .expect("README has a Loading the data section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in section.lines() {
        match (&mut cur, line.trim_start()) {
            (None, "```python") => cur = Some(String::new()),
            (Some(_), "```") => out.extend(cur.take()),
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn loading_the_data_examples_run() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let blocks = python_blocks(&readme);
    assert_eq!(blocks.len(), 3, "pandas, DuckDB and sqlite3 examples");
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = root().join("fixtures/corpus");
    let run = yoshiki(&["convert", corpus.to_str().expect("utf-8"), "-o", "out"], dir.path());
    if run.code != 0 {
        run.fail("convert failed");
    }
    for (fmt, dest) in [("csv", "out-csv"), ("ndjson", "out-ndjson"), ("sqlite", "out.sqlite")] {
        let r = yoshiki(&["export", "out", "--format", fmt, "-o", dest], dir.path());
        if r.code != 0 {
            r.fail("export failed");
        }
    }
    let require = std::env::var("YOSHIKI_REQUIRE_EXAMPLES").is_ok_and(|v| v == "1");
    for block in blocks {
        let module = block
            .lines()
            .find_map(|l| l.strip_prefix("import "))
            .map(|m| m.split_whitespace().next().unwrap_or(m).to_string())
            .unwrap_or_default();
        let probe = Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .output();
        if !probe.as_ref().is_ok_and(|o| o.status.success()) {
            assert!(
                !require,
                "python3 cannot import {module}: install it (pip install pandas duckdb)"
            );
            eprintln!("skipped the {module} example: python3 cannot import {module} (pip install {module})");
            continue;
        }
        let out = Command::new("python3")
            .args(["-c", &block])
            .current_dir(dir.path())
            .output()
            .expect("python3 runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.trim() == "32550000",
            "the {module} example printed {stdout:?}\nstderr: {}\n--- example:\n{block}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
