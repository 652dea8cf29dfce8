//! The workbook reader at the level of the intermediate form, through
//! `yoshiki dump`: rows and columns as the text release has them, merged
//! regions once with their span, provenance on every cell, numbers as the
//! sheet shows them, struck-through runs as revisions.

mod common;

use common::{fixture, yoshiki};
use regex::Regex;

#[derive(Debug, Clone, PartialEq)]
struct DumpCell {
    col: u32,
    span: Option<String>,
    at: String,
    text: String,
}

struct Dump {
    header: String,
    rows: Vec<Vec<DumpCell>>,
    revisions: Vec<String>,
    raw: String,
}

fn dump(rel: &str) -> Dump {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fixture(rel);
    let run = yoshiki(&["dump", path.to_str().expect("utf-8 path")], dir.path());
    if run.code != 0 {
        run.fail("dump failed");
    }
    let cell = Regex::new(r"^\[(\d+)w?(?: (\d+x\d+))?(?: ([^\]]*))?\] ").expect("regex");
    let mut rows = Vec::new();
    let mut revisions = Vec::new();
    let mut header = String::new();
    for line in run.stdout.lines() {
        if let Some(h) = line.strip_prefix("# format=") {
            header = h.to_string();
        } else if let Some(r) = line.strip_prefix("# revision ") {
            revisions.push(r.to_string());
        } else if let Some(rest) = line.strip_prefix("T ") {
            let mut cells = Vec::new();
            for part in rest.split(" | [") {
                let part = if part.starts_with('[') {
                    part.to_string()
                } else {
                    format!("[{part}")
                };
                let c = cell
                    .captures(&part)
                    .unwrap_or_else(|| run.fail(&format!("cannot read the cell {part:?}")));
                cells.push(DumpCell {
                    col: c[1].parse().expect("column"),
                    span: c.get(2).map(|m| m.as_str().to_string()),
                    at: c.get(3).map_or(String::new(), |m| m.as_str().to_string()),
                    text: part[c[0].len()..].to_string(),
                });
            }
            rows.push(cells);
        }
    }
    Dump {
        header,
        rows,
        revisions,
        raw: run.stdout,
    }
}

fn cols_and_texts(rows: &[Vec<DumpCell>]) -> Vec<Vec<(u32, String)>> {
    rows.iter()
        .map(|r| r.iter().map(|c| (c.col, c.text.clone())).collect())
        .collect()
}

const PLAN_FORMATS: [&str; 3] = [
    "corpus/xlsx/minato-2022-plan.xlsx",
    "workbook/minato-2022-plan.xls",
    "workbook/minato-2022-plan.ods",
];

#[test]
fn the_plan_workbook_reads_the_same_as_xlsx_xls_and_ods() {
    let xlsx = dump(PLAN_FORMATS[0]);
    assert!(xlsx.header.starts_with("xlsx "), "{}", xlsx.header);
    assert!(
        xlsx.header.contains(r#"sheets: Some(["様式1", "様式2"])"#),
        "{}",
        xlsx.header
    );
    assert_eq!(xlsx.rows.len(), 175, "{}", xlsx.raw);
    for (rel, format) in [(PLAN_FORMATS[1], "xls "), (PLAN_FORMATS[2], "ods ")] {
        let other = dump(rel);
        assert!(other.header.starts_with(format), "{rel}: {}", other.header);
        assert!(
            other.header.contains(r#"sheets: Some(["様式1", "様式2"])"#),
            "{rel}: {}",
            other.header
        );
        for (i, (a, b)) in xlsx.rows.iter().zip(&other.rows).enumerate() {
            assert_eq!(a, b, "{rel}: row {i} differs from the xlsx");
        }
        assert_eq!(xlsx.rows.len(), other.rows.len(), "{rel}");
    }
}

/// The text release's table rows and the workbook's rows are the same rows
/// and columns. One difference is allowed, because the corpus workbook was
/// built that way: two cells of the release hold `<p>…</p> <p>…</p>`,
/// which the text reader reads as two paragraphs (`\n`) while the workbook
/// builder dropped the tags and kept the space between them.
#[test]
fn the_plan_workbook_has_the_text_releases_rows_and_columns() {
    let text = dump("corpus/text/minato-2022-plan.txt");
    let want = cols_and_texts(&text.rows);
    for rel in PLAN_FORMATS {
        let got = cols_and_texts(&dump(rel).rows);
        assert_eq!(want.len(), got.len(), "{rel}: row count");
        let mut paragraph_cells = 0;
        for (i, (w, g)) in want.iter().zip(&got).enumerate() {
            if w == g {
                continue;
            }
            let joined: Vec<(u32, String)> = w.iter().map(|(c, t)| (*c, t.replace('⏎', " "))).collect();
            assert_eq!(&joined, g, "{rel}: row {i} differs from the text release");
            paragraph_cells += w.iter().filter(|(_, t)| t.contains('⏎')).count();
        }
        assert_eq!(paragraph_cells, 2, "{rel}: the <p> cells of 経営課題4 and 5, no others");
    }
}

#[test]
fn a_merged_region_is_one_cell_at_its_top_left_with_its_span() {
    for rel in PLAN_FORMATS {
        let d = dump(rel);
        let find = |at: &str| {
            d.rows
                .iter()
                .flatten()
                .find(|c| c.at == at)
                .unwrap_or_else(|| panic!("{rel}: no cell at {at}\n{}", d.raw))
                .clone()
        };
        // A line alone on its row is merged across the sheet.
        assert_eq!(find("様式1!A1").span.as_deref(), Some("1x2"), "{rel}");
        assert_eq!(find("様式2!A5").span.as_deref(), Some("1x9"), "{rel}");
        // Section labels are merged down, and the rows they cover start at
        // column B: the label is not repeated.
        let plan = find("様式2!A29");
        assert_eq!(
            (plan.text.as_str(), plan.span.as_deref()),
            ("計画", Some("2x1")),
            "{rel}"
        );
        let covered = d
            .rows
            .iter()
            .find(|r| r[0].at == "様式2!B30")
            .unwrap_or_else(|| panic!("{rel}: no row at 様式2!B30"));
        assert_eq!(covered[0].col, 1, "{rel}");
        let self_eval = find("様式2!A44");
        assert_eq!(
            (self_eval.text.as_str(), self_eval.span.as_deref()),
            ("自己評価", Some("4x1")),
            "{rel}"
        );
        // No cell inside a merged region is emitted.
        assert!(
            d.rows
                .iter()
                .flatten()
                .all(|c| c.at != "様式2!A30" && c.at != "様式1!B1"),
            "{rel}"
        );
        // A plain cell has no span.
        assert_eq!(find("様式2!B12").span, None, "{rel}");
    }
}

fn column_letters(col: u32) -> String {
    let mut c = col + 1;
    let mut s = Vec::new();
    while c > 0 {
        s.push((b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    s.iter().rev().collect()
}

#[test]
fn every_cell_is_located_by_sheet_and_a1_reference() {
    let a1 = Regex::new(r"^(様式1|様式2)!([A-Z]+)([0-9]+)$").expect("regex");
    for rel in PLAN_FORMATS {
        let d = dump(rel);
        let mut last = (String::new(), 0u32);
        for row in &d.rows {
            for c in row {
                let m = a1
                    .captures(&c.at)
                    .unwrap_or_else(|| panic!("{rel}: {:?} is not sheet!A1", c.at));
                assert_eq!(m[2], column_letters(c.col), "{rel}: {c:?}");
                let first = a1.captures(&row[0].at).expect("located");
                assert_eq!(
                    (&m[1], &m[3]),
                    (&first[1], &first[3]),
                    "{rel}: one row, one worksheet row"
                );
            }
            // Rows come in sheet order, then row order.
            let m = a1.captures(&row[0].at).expect("located");
            let here = (m[1].to_string(), m[3].parse::<u32>().expect("row"));
            assert!(
                here.0 > last.0 || (here.0 == last.0 && here.1 > last.1),
                "{rel}: {here:?} after {last:?}"
            );
            last = here;
        }
    }
}

#[test]
fn numbers_and_dates_read_as_the_sheet_shows_them() {
    // Column B holds values with number formats, column C what Excel shows.
    for rel in [
        "workbook/reader-only/numbers-as-shown.xlsx",
        "workbook/reader-only/numbers-as-shown.xls",
        "workbook/reader-only/numbers-as-shown.ods",
    ] {
        let d = dump(rel);
        assert_eq!(d.rows.len(), 11, "{rel}\n{}", d.raw);
        for row in &d.rows {
            let texts: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
            assert_eq!(texts.len(), 3, "{rel}: {texts:?}");
            assert_eq!(
                texts[1], texts[2],
                "{rel}: {} is shown as {:?}, read as {:?}",
                texts[0], texts[2], texts[1]
            );
        }
        let shown: Vec<&str> = d.rows.iter().map(|r| r[1].text.as_str()).collect();
        assert!(
            shown.contains(&"48.1%") && shown.contains(&"令和4年4月1日") && shown.contains(&"32,550千円"),
            "{rel}: {shown:?}"
        );
    }
}

/// openpyxl's xlsx (inline strings), LibreOffice's xlsx (shared strings),
/// ods (text spans) and xls (SST runs).
const REVISION_FORMATS: [&str; 4] = [
    "workbook/minato-2022-plan-revision-strikethrough.xlsx",
    "workbook/minato-2022-plan-revision-strikethrough-shared-strings.xlsx",
    "workbook/minato-2022-plan-revision-strikethrough.ods",
    "workbook/minato-2022-plan-revision-strikethrough.xls",
];

#[test]
fn struck_runs_are_revisions_and_the_cell_keeps_the_new_text() {
    let want = [
        r#""32,268" → "32,550" (Strikethrough) 様式1!A14"#,
        r#""6,166" → "6,227" (Strikethrough) 様式1!A24"#,
        r#""９" → "12" (Strikethrough) 様式2!D31"#,
        r#""14" → "19" (Strikethrough) 様式2!D31"#,
        r#""24" → "40" (Strikethrough) 様式2!D31"#,
        r#""９" → "12" (Strikethrough) 様式2!D44"#,
        r#""13" → "26" (Strikethrough) 様式2!D44"#,
        r#""24" → "40" (Strikethrough) 様式2!D44"#,
        r#""９" → "12" (Strikethrough) 様式2!D50"#,
        r#""21" → "32" (Strikethrough) 様式2!D50"#,
        r#""9" → "12" (Strikethrough) 様式2!D53"#,
        r#""2" → "3" (Strikethrough) 様式2!D53"#,
    ];
    for rel in REVISION_FORMATS {
        let d = dump(rel);
        assert_eq!(d.revisions, want, "{rel}\n{}", d.raw);
        let text_at = |at: &str| {
            d.rows
                .iter()
                .flatten()
                .find(|c| c.at == at)
                .map(|c| c.text.clone())
                .unwrap_or_else(|| panic!("{rel}: no cell at {at}"))
        };
        let a14 = text_at("様式1!A14");
        assert!(a14.ends_with("（32,550千円）"), "{rel}: {a14}");
        let d31 = text_at("様式2!D31");
        assert!(d31.starts_with("３年度（12月末時点）⏎・広報紙"), "{rel}: {d31}");
        assert!(
            d31.contains("掲載　19件⏎") && d31.contains("情報発信　40件⏎"),
            "{rel}: {d31}"
        );
        assert_eq!(
            d.raw.matches("32,268").count(),
            1,
            "{rel}: the old value is in the revision only"
        );
    }
}

#[test]
fn the_progress_report_workbook_has_the_text_releases_rows_one_page_a_sheet() {
    let text = dump("corpus/text/taisho-2016-progress.txt");
    let wb = dump("workbook/taisho-2016-progress.xlsx");
    assert!(
        wb.header
            .contains(r#"sheets: Some(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"])"#),
        "{}",
        wb.header
    );
    assert_eq!(cols_and_texts(&text.rows), cols_and_texts(&wb.rows));
    // The title that starts every page is merged across its sheet.
    let title = &wb.rows[0][0];
    assert_eq!(title.at, "1!A1");
    assert!(title.span.is_some(), "{title:?}");
}

#[test]
fn a_cell_struck_as_a_whole_is_left_out_and_recorded() {
    let d = dump("workbook/reader-only/whole-cell-struck.xlsx");
    let texts: Vec<(u32, String)> = cols_and_texts(&d.rows).concat();
    assert_eq!(
        texts,
        [(0, "予算額".to_string()), (2, "12,315千円".to_string())],
        "{}",
        d.raw
    );
    assert_eq!(d.revisions, [r#""12,411千円" → "" (Strikethrough) 様式2!B1"#]);
}
