//! `yoshiki export` and `yoshiki validate` over the converted corpus, run
//! as a user would.
//!
//! The typed-loading test runs `tests/py/typed_loading.py` with the Python
//! packages a researcher uses (pandas, pyarrow, polars, duckdb, and
//! frictionless): it fails, never skips, where they are missing
//! (`.ci/run` installs them).

mod common;

use common::{root, yoshiki};
use std::path::Path;
use std::process::Command;

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
        if p.extension().is_none_or(|x| x != "csv") {
            continue;
        }
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
    assert_eq!(tables, 15);
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

fn export_run(dir: &Path, args: &[&str]) -> common::Run {
    let mut a = vec!["export", "out"];
    a.extend_from_slice(args);
    yoshiki(&a, dir)
}

#[test]
fn every_table_loads_typed_in_duckdb_pandas_and_polars_and_the_csv_package_validates() {
    let dir = tempfile::tempdir().expect("tempdir");
    converted(dir.path());
    export(dir.path(), "parquet", "out-parquet", &[]);
    export(dir.path(), "csv", "out-csv", &[]);
    export(dir.path(), "ndjson", "out-ndjson", &[]);
    let script = root().join("tests/py/typed_loading.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{} failed{}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        script.display(),
        if stderr.contains("ModuleNotFoundError") {
            " (pip install pandas pyarrow polars duckdb frictionless; .ci/run installs them)"
        } else {
            ""
        }
    );
    for line in [
        "parquet: 15 tables typed in pyarrow, pandas, polars and DuckDB",
        "out-csv: every table, typed through datapackage.json, equals the Parquet export",
        "out-ndjson: every table, typed through datapackage.json, equals the Parquet export",
        "frictionless: the CSV package is valid (15 resources)",
        "frictionless: a broken foreign key is found",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in\n{stdout}");
    }
}

#[test]
fn the_data_package_declares_types_units_keys_and_what_the_rows_bear_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    converted(dir.path());
    let run = export_run(
        dir.path(),
        &["--format", "csv", "-o", "out-csv", "--license", "CC-BY-4.0"],
    );
    if run.code != 0 {
        run.fail("export failed");
    }
    let text = std::fs::read_to_string(dir.path().join("out-csv/datapackage.json")).expect("datapackage.json");
    let p: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(p["profile"], "tabular-data-package");
    assert_eq!(p["yoshiki"]["tables"], "yoshiki/tables/1");
    assert_eq!(p["licenses"][0]["name"], "CC-BY-4.0");
    assert_eq!(p["sources"][0]["path"], "", "the source is the publisher's to fill");
    let res = |name: &str| -> serde_json::Value {
        p["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .find(|r| r["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no resource {name}"))
    };
    let field = |r: &serde_json::Value, name: &str| -> serde_json::Value {
        r["schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no field {name}"))
    };
    let budgets = res("budgets");
    assert_eq!(budgets["path"], "budgets.csv");
    assert_eq!(budgets["dialect"]["header"], true);
    assert_eq!(field(&budgets, "ward_code")["type"], "string");
    assert_eq!(field(&budgets, "initiative_id")["type"], "string");
    assert_eq!(field(&budgets, "fiscal_year")["type"], "year");
    assert_eq!(field(&budgets, "budget_fiscal_year")["type"], "year");
    assert_eq!(field(&budgets, "yen")["type"], "integer");
    assert_eq!(field(&budgets, "yen")["unit"], "JPY");
    assert_eq!(
        field(&budgets, "kind")["constraints"]["enum"],
        serde_json::json!(["settled", "budget"])
    );
    assert!(
        field(&budgets, "yen")["description"]
            .as_str()
            .is_some_and(|d| d.contains("yen"))
    );
    assert_eq!(field(&res("indicator_values"), "value")["type"], "number");
    // The unassigned summary's budgets print no year: the budgets' key does
    // not hold on the corpus, so it is not declared, and export says so.
    assert!(budgets["schema"].get("primaryKey").is_none(), "{}", budgets["schema"]);
    assert!(
        run.stderr
            .contains("budgets: primary key (document_sha256, document_kind, initiative_id, budget_fiscal_year, kind) not declared: 0 rows repeat a key, 10 leave part of it empty"),
        "{}",
        run.stderr
    );
    // Keys that hold are declared.
    let initiatives = res("initiatives");
    assert_eq!(
        initiatives["schema"]["primaryKey"],
        serde_json::json!(["document_sha256", "document_kind", "initiative_id"])
    );
    assert_eq!(
        initiatives["schema"]["foreignKeys"][1],
        serde_json::json!({
            "fields": ["document_sha256", "document_kind", "strategy_id"],
            "reference": { "resource": "strategies", "fields": ["document_sha256", "document_kind", "strategy_id"] }
        })
    );
    assert_eq!(
        budgets["schema"]["foreignKeys"][1]["reference"]["resource"], "initiatives",
        "{}",
        budgets["schema"]
    );
}

#[test]
fn export_says_what_it_wrote_and_one_table_goes_to_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    converted(dir.path());
    let all = export_run(dir.path(), &["--format", "ndjson", "-o", "out-ndjson"]);
    if all.code != 0 {
        all.fail("export failed");
    }
    let file = std::fs::read_to_string(dir.path().join("out-ndjson/budgets.ndjson")).expect("budgets");
    let rows = file.lines().count();
    assert!(
        all.stderr.starts_with("yoshiki: export: 15 tables (ndjson), "),
        "{}",
        all.stderr
    );
    assert!(all.stderr.contains("rows, to out-ndjson"), "{}", all.stderr);
    let line = all
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("budgets "))
        .expect("a line for budgets");
    assert_eq!(
        line.split_whitespace().nth(1),
        Some(rows.to_string().as_str()),
        "{line}"
    );
    assert!(all.stderr.contains("out-ndjson/datapackage.json"), "{}", all.stderr);

    let one = export_run(dir.path(), &["--table", "budgets", "-o", "-"]);
    if one.code != 0 {
        one.fail("export to stdout failed");
    }
    assert_eq!(one.stdout, file, "stdout is the table's NDJSON");
    assert!(
        one.stderr
            .starts_with(&format!("yoshiki: export: 1 table (ndjson), {rows} rows, to stdout")),
        "{}",
        one.stderr
    );
    // A reader that stops early (`| head`) ends the output quietly.
    let mut child = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
        .args(["export", "out", "--table", "indicator_values", "-o", "-"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let closed = child.wait_with_output().expect("wait");
    let closed_err = String::from_utf8_lossy(&closed.stderr);
    assert!(
        closed.status.success() && !closed_err.contains("Broken pipe"),
        "{closed_err}"
    );
    let csv = export_run(dir.path(), &["--table", "budgets", "--format", "csv", "-o", "-"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert_eq!(csv.stdout.lines().count(), rows + 1, "a header and the rows");

    // One table into a folder: its file and a package of it alone.
    let run = export_run(dir.path(), &["--format", "parquet", "--table", "budgets", "-o", "one"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("one"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["budgets.parquet", "datapackage.json"]);
    let p: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("one/datapackage.json")).expect("read")).expect("json");
    assert_eq!(p["resources"].as_array().map(Vec::len), Some(1));
    assert!(
        p["resources"][0]["schema"].get("foreignKeys").is_none(),
        "no foreign key to a table not exported"
    );

    for (args, says) in [
        (vec!["-o", "-"], "name it with --table"),
        (
            vec!["--table", "nope", "-o", "-"],
            "no such table (tables: documents, key_issues",
        ),
        (
            vec!["--table", "budgets", "--format", "parquet", "-o", "-"],
            "stdout takes ndjson or csv",
        ),
        (vec!["-o", "x"], "--format csv|ndjson|parquet|sqlite is needed"),
    ] {
        let r = export_run(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn parquet_and_the_package_are_byte_reproducible() {
    let dir = tempfile::tempdir().expect("tempdir");
    converted(dir.path());
    export(dir.path(), "parquet", "a", &[]);
    export(dir.path(), "parquet", "b", &[]);
    let mut n = 0;
    for e in std::fs::read_dir(dir.path().join("a")).expect("dir") {
        let name = e.expect("entry").file_name();
        let a = std::fs::read(dir.path().join("a").join(&name)).expect("a");
        let b = std::fs::read(dir.path().join("b").join(&name)).expect("b");
        assert!(a == b, "{name:?} differs between two exports");
        n += 1;
    }
    assert_eq!(n, 16, "15 tables and datapackage.json");
}

#[test]
fn data_dictionary_is_up_to_date() {
    let path = root().join("docs/tables.md");
    let want = yoshiki::writers::dictionary::markdown();
    if std::env::var("YOSHIKI_UPDATE_DOCS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &want).expect("write docs/tables.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/tables.md is out of date with src/writers/tables.rs: regenerate it with\n  \
         YOSHIKI_UPDATE_DOCS=1 cargo test --test export data_dictionary\nand review the difference"
    );
}

/// The hand-written Parquet writer against the readers, on what the
/// corpus does not reach: several row groups, a chunk with no value, a
/// dictionary of 300 strings (9-bit indices), runs longer than one
/// bit-packed run, extreme integers, non-ASCII text, an empty table.
#[test]
fn parquet_of_several_row_groups_reads_back_exactly_in_pyarrow_polars_and_duckdb() {
    use yoshiki::writers::parquet::TableWriter;
    use yoshiki::writers::tables::{Cell, Type};
    let dir = tempfile::tempdir().expect("tempdir");
    let columns = [
        ("id", Type::Text),
        ("year", Type::Year),
        ("yen", Type::Yen),
        ("value", Type::Real),
        ("rare", Type::Text),
    ];
    let mut expected = Vec::new();
    let file = std::fs::File::create(dir.path().join("t.parquet")).expect("create");
    let mut w = TableWriter::new(file, "t", &columns)
        .expect("writer")
        .with_row_group_rows(700);
    for i in 0..2000i64 {
        let id = format!("{}-{}-{} 港区", i % 300, i % 7, i % 3);
        let year = (i % 5 != 0).then_some(2000 + i % 30);
        let yen = match i % 4 {
            0 => None,
            1 => Some(i64::MAX - i),
            2 => Some(i64::MIN + i),
            _ => Some(i * 1000),
        };
        let value = (i % 6 != 0).then_some(i as f64 / 8.0);
        // Only in the last row group, and rarely.
        let rare = (i > 1400 && i % 97 == 0).then(|| format!("稀{i}"));
        w.row(vec![
            Cell::Text(id.clone()),
            year.map_or(Cell::Null, Cell::Int),
            yen.map_or(Cell::Null, Cell::Int),
            value.map_or(Cell::Null, Cell::Real),
            rare.clone().map_or(Cell::Null, Cell::Text),
        ])
        .expect("row");
        expected.push(serde_json::json!([id, year, yen.map(|y| y.to_string()), value, rare]));
    }
    w.finish_into().expect("finish");
    let empty = std::fs::File::create(dir.path().join("empty.parquet")).expect("create");
    TableWriter::new(empty, "empty", &columns)
        .expect("writer")
        .finish_into()
        .expect("finish");
    std::fs::write(
        dir.path().join("expected.json"),
        serde_json::to_vec(&expected).expect("json"),
    )
    .expect("write");
    let script = r#"
import json, duckdb, polars as pl, pyarrow.parquet as pq
want = json.load(open("expected.json"))
f = pq.ParquetFile("t.parquet")
assert f.metadata.num_row_groups == 3, f.metadata.num_row_groups
t = f.read()
got = [[r["id"], r["year"], None if r["yen"] is None else str(r["yen"]), r["value"], r["rare"]] for r in t.to_pylist()]
assert got == want, "pyarrow"
p = pl.read_parquet("t.parquet")
got = [[a, b, None if c is None else str(c), d, e] for a, b, c, d, e in p.iter_rows()]
assert got == want, "polars"
rows = duckdb.sql("SELECT id, year, yen::VARCHAR, value, rare FROM 't.parquet'").fetchall()
assert [list(r) for r in rows] == want, "duckdb"
assert duckdb.sql("SELECT count(*) FROM 't.parquet' WHERE year = 2001").fetchall()[0][0] == sum(1 for r in want if r[1] == 2001)
for name in ["empty.parquet"]:
    assert pq.read_table(name).num_rows == 0 and pl.read_parquet(name).height == 0
    assert duckdb.sql(f"SELECT count(*) FROM '{name}'").fetchall()[0][0] == 0
print("ok")
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .current_dir(dir.path())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "ok",
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
