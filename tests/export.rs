//! `yoshiki export` and `yoshiki validate` over the converted corpus, run
//! as a user would.

mod common;

use common::{root, yoshiki};
use std::path::Path;

fn converted(dir: &Path) {
    let corpus = root().join("fixtures/corpus");
    let run = yoshiki(&["convert", corpus.to_str().expect("utf-8"), "-o", "out"], dir);
    if run.code != 0 {
        run.fail("convert failed");
    }
}

fn export(dir: &Path, fmt: &str, dest: &str, extra: &[&str]) {
    let mut args = vec!["export", "out", "--format", fmt, "-o", dest];
    args.extend_from_slice(extra);
    let r = yoshiki(&args, dir);
    if r.code != 0 {
        r.fail("export failed");
    }
}

#[test]
fn the_same_budget_row_in_sqlite_csv_and_ndjson() {
    let dir = tempfile::tempdir().expect("tempdir");
    converted(dir.path());
    export(dir.path(), "sqlite", "out.sqlite", &[]);
    export(dir.path(), "csv", "out-csv", &[]);
    export(dir.path(), "ndjson", "out-ndjson", &[]);

    // One query.
    let db = rusqlite::Connection::open(dir.path().join("out.sqlite")).expect("open");
    let yen: i64 = db
        .query_row(
            "SELECT yen FROM budgets WHERE ward_code = '271071' AND fiscal_year = 2022 AND document_kind = 'plan_view' \
             AND initiative_id = '1-2-2' AND budget_fiscal_year = 2022 AND kind = 'budget'",
            [],
            |r| r.get(0),
        )
        .expect("one row");
    assert_eq!(yen, 32_550_000);
    // The view joins the title in.
    let title: String = db
        .query_row(
            "SELECT initiative_title FROM budgets_with_titles WHERE ward_code = '271071' AND document_kind = 'plan_view' \
             AND initiative_id = '1-2-2' AND budget_fiscal_year = 2022",
            [],
            |r| r.get(0),
        )
        .expect("view row");
    assert_eq!(title, "地域課題解決に向けた取組の支援");

    // The same row in CSV …
    let csv = std::fs::read_to_string(dir.path().join("out-csv/budgets.csv")).expect("csv");
    let header = csv.lines().next().expect("header");
    assert_eq!(
        header,
        "ward_code,ward_name,fiscal_year,document_kind,document_sha256,initiative_id,budget_fiscal_year,kind,yen,text,series_id"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("271071,港区,2022,plan_view,") && l.contains(",1-2-2,2022,budget,32550000,")),
        "no plan_view row for 1-2-2 in budgets.csv"
    );
    // … and in NDJSON.
    let nd = std::fs::read_to_string(dir.path().join("out-ndjson/budgets.ndjson")).expect("ndjson");
    let hit = nd
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON object a line"))
        .find(|v| {
            v["ward_code"] == "271071"
                && v["document_kind"] == "plan_view"
                && v["initiative_id"] == "1-2-2"
                && v["budget_fiscal_year"] == 2022
                && v["kind"] == "budget"
        });
    assert_eq!(hit.expect("the row")["yen"], 32_550_000);

    // Each document's coverage, to find the ones to check.
    let (ratio, placed, read): (f64, i64, i64) = db
        .query_row(
            "SELECT coverage, content_placed, content_read FROM documents \
             WHERE document_kind = 'progress_report'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the older report's row");
    assert!(read > 0 && placed <= read && (ratio - placed as f64 / read as f64).abs() < 1e-4);
    // A revision's path and typed values.
    let (path, yen): (String, f64) = db
        .query_row(
            "SELECT path, after_value FROM revisions WHERE unit = 'yen' AND before_value = 6166000",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("3-3-4's struck budget");
    assert_eq!(
        (path.as_str(), yen),
        ("key_issues/3/main_initiatives/3-3-4/budget", 6_227_000.0)
    );
}

#[test]
fn every_table_has_the_common_columns_and_series() {
    let dir = tempfile::tempdir().expect("tempdir");
    converted(dir.path());
    export(dir.path(), "csv", "out-csv", &["--bom"]);
    let mut tables = 0;
    for e in std::fs::read_dir(dir.path().join("out-csv")).expect("dir") {
        let p = e.expect("entry").path();
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.starts_with('\u{FEFF}'), "{}: --bom", p.display());
        let header = text.trim_start_matches('\u{FEFF}').lines().next().unwrap_or("");
        assert!(
            header.starts_with("ward_code,ward_name,fiscal_year,document_kind,document_sha256"),
            "{}: {header}",
            p.display()
        );
        tables += 1;
    }
    assert!(tables >= 15);
    // 港区's initiative 1-1-1 is one series across 2021 (review) and 2022 (plan).
    let series = std::fs::read_to_string(dir.path().join("out-csv/series.csv")).expect("series");
    let ids: Vec<&str> = series
        .lines()
        .filter(|l| l.contains(",initiative,1-1-1,"))
        .filter_map(|l| l.split(',').nth(5))
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(ids[0], ids[1]);
    assert_eq!(ids[0], "271071:initiative:2021:1-1-1");
}

#[test]
fn validate_accepts_what_convert_writes_and_names_each_violation() {
    let dir = tempfile::tempdir().expect("tempdir");
    converted(dir.path());
    let ok = yoshiki(&["validate", "out"], dir.path());
    if ok.code != 0 {
        ok.fail("validate rejected convert's output");
    }
    assert!(ok.stderr.contains("0 invalid"), "{}", ok.stderr);

    let path = dir.path().join("out/271080/2016.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    v["documents"][0]["issues"][0]["strategies"][0]["initiatives"][0]["budgets"] = serde_json::json!("none");
    v["fiscal_year"] = serde_json::json!("2016");
    std::fs::write(dir.path().join("broken.json"), serde_json::to_vec(&v).expect("json")).expect("write");
    let bad = yoshiki(&["validate", "broken.json", "out/manifest.json"], dir.path());
    assert_eq!(bad.code, 1, "{}", bad.stdout);
    assert!(bad.stdout.contains("broken.json: /fiscal_year:"), "{}", bad.stdout);
    assert!(
        bad.stdout
            .contains("broken.json: /documents/0/issues/0/strategies/0/initiatives/0/budgets:"),
        "{}",
        bad.stdout
    );
    assert!(
        !bad.stdout.contains("manifest.json"),
        "the manifest is valid: {}",
        bad.stdout
    );

    let not_json = yoshiki(&["validate", "out-missing.json"], dir.path());
    assert_eq!(not_json.code, 1);
}
