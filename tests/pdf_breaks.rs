//! PDFs of the corpus made by real producers at other paper sizes, scales
//! and frames (see fixtures/pdf/README.md and the scripts named there):
//! what a page break, a line wrap or the page's edge cuts is put back
//! together. Each gives the same Document as the text release it was made
//! from, field by field (`common::compare`), with no difference at all.

mod common;

use common::compare::model_differences;
use common::{fixture, yoshiki};
use serde_json::Value;

/// (PDF, the text release it was made from, what it exercises).
pub const MADE_FROM_RELEASES: &[(&str, &str, &str)] = &[
    (
        "pdf/chromium-a4-portrait.pdf",
        "corpus/text/minato-2022-plan.txt",
        "Chromium, A4 portrait: narrow columns; rows, labels and amounts cut by page breaks; a history wrapped early inside `元年度`",
    ),
    (
        "pdf/chromium-b5-landscape-scale.pdf",
        "corpus/text/minato-2022-plan.txt",
        "Chromium, B5 landscape at 8.5 pt: other break points",
    ),
    (
        "pdf/chromium-a4-progress.pdf",
        "corpus/text/taisho-2016-progress.txt",
        "Chromium, fifteen columns at 6 pt",
    ),
    (
        "pdf/reportlab-unruled-summary-narrow.pdf",
        "corpus/text/unknown-ward-summary.txt",
        "reportlab, unruled, three 52 mm columns: lines wrap inside indicators and targets; columns read one by one",
    ),
    (
        "pdf/reportlab-unruled-revision-narrow.pdf",
        "corpus/text/minato-2022-plan-revision.txt",
        "reportlab, unruled, one column on A5: the release's own wrapped lines; vertical labels one character a line; paragraphs cut by page breaks",
    ),
    (
        "pdf/libreoffice-overflow-print-area.pdf",
        "corpus/text/minato-2022-plan.txt",
        "LibreOffice, the last column's amount overflowing the print area (clipped), a label cut by a page break (`自己評` / `価`)",
    ),
];

fn parse(rel: &str, dir: &std::path::Path) -> Value {
    yoshiki(&["parse", fixture(rel).to_str().expect("utf-8 path")], dir).json()
}

#[test]
fn every_pdf_gives_its_releases_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    for (pdf, text, what) in MADE_FROM_RELEASES {
        let diffs = model_differences(&parse(pdf, dir.path()), &parse(text, dir.path()));
        if !diffs.is_empty() {
            failures.push(format!(
                "{pdf} ({what}) against {text}: {} difference(s)\n  {}",
                diffs.len(),
                diffs.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn warnings<'a>(doc: &'a Value, code: &str) -> Vec<&'a Value> {
    doc["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["code"] == code)
        .collect()
}

/// Every `at` in a Document, wherever it is.
fn locations(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "at" {
                    out.push(x.clone());
                } else {
                    locations(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| locations(x, out)),
        _ => {}
    }
}

#[test]
fn text_past_the_print_area_is_read_in_place_and_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = parse("pdf/libreoffice-overflow-print-area.pdf", dir.path());
    // The year's budget LibreOffice cut at the page's edge.
    let budgets = doc["issues"][0]["strategies"][1]["initiatives"][0]["budgets"]
        .as_array()
        .expect("budgets");
    assert!(
        budgets
            .iter()
            .any(|b| b["yen"] == 15_123_000 && b["fiscal_year"] == 2022),
        "{budgets:?}"
    );
    // Drawn past the clip and past the MediaBox: said, with the page.
    let off = warnings(&doc, "pdf_text_outside_page");
    assert_eq!(off.len(), 1, "{:?}", doc["warnings"]);
    let page = off[0]["at"]["page"].as_u64().expect("page");
    let msg = off[0]["message"].as_str().expect("message");
    assert!(
        msg.starts_with(&format!("page {page}:")) && msg.contains("千円"),
        "{msg}"
    );
    // LibreOffice's copies of merged cells on the pages they span are not
    // text of their own: the corpus PDF reads without such a warning.
    let corpus = parse("corpus/pdf/minato-2022-plan.pdf", dir.path());
    assert!(warnings(&corpus, "pdf_text_clipped").is_empty());
    assert!(warnings(&corpus, "pdf_text_outside_page").is_empty());
}

#[test]
fn a_cell_cut_by_a_page_break_keeps_both_places() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = parse("pdf/chromium-a4-portrait.pdf", dir.path());
    let mut all = Vec::new();
    locations(&doc, &mut all);
    let cut: Vec<&Value> = all
        .iter()
        .filter(|l| l["continued"].as_array().is_some_and(|c| !c.is_empty()))
        .collect();
    assert!(!cut.is_empty(), "no value has a continued location");
    for l in cut {
        let first = l["page"].as_u64().expect("page");
        let next = l["continued"][0]["page"].as_u64().expect("continued page");
        assert_eq!(next, first + 1, "{l}");
        assert!(l["continued"][0]["box"].is_array(), "{l}");
    }
}

#[test]
fn unruled_paragraphs_cut_by_page_breaks_keep_both_places() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = yoshiki(
        &[
            "dump",
            fixture("pdf/reportlab-unruled-revision-narrow.pdf")
                .to_str()
                .expect("path"),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A wrapped line ends a page and goes on at the head of the next:
    // one row, at the first page, continued on the next.
    let doc = parse("pdf/reportlab-unruled-revision-narrow.pdf", dir.path());
    let mut all = Vec::new();
    locations(&doc, &mut all);
    assert!(
        all.iter()
            .any(|l| l["continued"].as_array().is_some_and(|c| !c.is_empty())),
        "no value continued across a page"
    );
}
