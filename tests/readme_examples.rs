//! README's "Loading the data" examples run here against the bundled
//! corpus's output: convert, the four exports, then each Python block,
//! which must print 港区's 2022 budget for initiative 1-2-2.
//!
//! The examples need pandas, pyarrow, polars and duckdb: where one is
//! missing the test fails, naming it (`.ci/run` installs them) — a skipped
//! example would let the README rot unseen.

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
    assert_eq!(
        blocks.len(),
        7,
        "pandas, polars and DuckDB over Parquet and over CSV + datapackage.json, and sqlite3"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = root().join("fixtures/corpus");
    let run = yoshiki(&["convert", corpus.to_str().expect("utf-8"), "-o", "out"], dir.path());
    if run.code != 0 {
        run.fail("convert failed");
    }
    for (fmt, dest) in [
        ("parquet", "out-parquet"),
        ("csv", "out-csv"),
        ("ndjson", "out-ndjson"),
        ("sqlite", "out.sqlite"),
    ] {
        let r = yoshiki(&["export", "out", "--format", fmt, "-o", dest], dir.path());
        if r.code != 0 {
            r.fail("export failed");
        }
    }
    for block in blocks {
        let out = Command::new("python3")
            .args(["-c", &block])
            .current_dir(dir.path())
            .output()
            .expect("python3 runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let hint = if stderr.contains("ModuleNotFoundError") {
            "\n(install the examples' packages: pip install pandas pyarrow polars duckdb; .ci/run does)"
        } else {
            ""
        };
        assert!(
            out.status.success() && stdout.trim() == "32550000",
            "the example printed {stdout:?}\nstderr: {stderr}{hint}\n--- example:\n{block}"
        );
    }
}
