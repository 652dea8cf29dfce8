//! The PDF reader at the level of the intermediate form: every PDF fixture
//! read against the text release (or workbook) of the same content, row by
//! row and cell by cell, with each allowed difference listed and reasoned.
//! (The model-level comparison is in `pdf_model.rs`.)

use std::path::PathBuf;
use yoshiki::ir::{Ir, RowKind};
use yoshiki::limits::Limits;
use yoshiki::model::Evidence;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Ir {
    let bytes = std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    yoshiki::parse::read_ir(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A row as compared: its cells' columns and texts. Whitespace is left out
/// of the texts: a PDF does not draw the space a line was wrapped at, nor
/// keep the line break a text release's converter put between paragraphs
/// of one cell (`<p>…</p><p>…</p>`).
type Cmp = Vec<(u32, String)>;

fn rows(ir: &Ir, fix: &dyn Fn(&str) -> String) -> Vec<Cmp> {
    ir.rows
        .iter()
        .filter(|r| !r.is_blank())
        .map(|r| {
            r.cells
                .iter()
                .filter(|c| !c.text.trim().is_empty())
                .map(|c| (c.col, fix(&c.text.split_whitespace().collect::<String>())))
                .collect()
        })
        .collect()
}

/// Rows of separator dashes (`--`, `-------`): the workbook and its prints
/// have them, the text reader drops them as a converter's table rule.
fn is_dash_row(r: &Cmp) -> bool {
    r.iter().all(|(_, t)| !t.is_empty() && t.chars().all(|c| c == '-'))
}

fn same_rows(pdf: &str, text: &str, fix: &dyn Fn(&str) -> String) {
    let a: Vec<Cmp> = rows(&read(pdf), fix).into_iter().filter(|r| !is_dash_row(r)).collect();
    let b: Vec<Cmp> = rows(&read(text), &|s| s.to_string())
        .into_iter()
        .filter(|r| !is_dash_row(r))
        .collect();
    let mut report = String::new();
    for i in 0..a.len().max(b.len()) {
        if a.get(i) != b.get(i) {
            report.push_str(&format!("row {i}:\n  pdf  {:?}\n  text {:?}\n", a.get(i), b.get(i)));
        }
    }
    assert!(
        report.is_empty(),
        "{pdf} vs {text}: {} vs {} rows\n{report}",
        a.len(),
        b.len()
    );
}

fn none(s: &str) -> String {
    s.to_string()
}

#[test]
fn libreoffice_corpus_pdf_reads_as_the_text_release() {
    same_rows(
        "fixtures/corpus/pdf/minato-2022-plan.pdf",
        "fixtures/corpus/text/minato-2022-plan.txt",
        &none,
    );
}

#[test]
fn chromium_print_reads_as_the_text_release() {
    // Chromium's ToUnicode gives some glyphs a radical's code point (⾒ for
    // 見) or another character sharing the glyph (〜 for ～, U+0336 for —);
    // its ActualText spans say what they are.
    same_rows(
        "fixtures/pdf/chromium-type0-identity-h.pdf",
        "fixtures/corpus/text/minato-2022-plan.txt",
        &none,
    );
    let ir = read("fixtures/pdf/chromium-type0-identity-h.pdf");
    let text = ir.full_text();
    assert!(
        !text
            .chars()
            .any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c) || c == '\u{301C}' || c == '\u{0336}')
    );
}

#[test]
fn reportlab_unijis_ucs2_reads_as_the_text_release() {
    same_rows(
        "fixtures/pdf/reportlab-unijis-ucs2-h.pdf",
        "fixtures/corpus/text/taisho-2016-progress.txt",
        &none,
    );
}

#[test]
fn reportlab_90ms_rksj_reads_as_the_text_release() {
    // CP932 has no U+2014 EM DASH: the fixture prints U+2015 (0x815C).
    same_rows(
        "fixtures/pdf/reportlab-90ms-rksj-h.pdf",
        "fixtures/corpus/text/minato-2022-plan.txt",
        &|s| s.replace('\u{2015}', "\u{2014}"),
    );
}

#[test]
fn encrypted_copies_read_as_the_plain_pdf() {
    let plain = rows(&read("fixtures/corpus/pdf/minato-2022-plan.pdf"), &none);
    for f in ["rc4-40", "rc4-128", "aes-128", "aes-256"] {
        let enc = rows(&read(&format!("fixtures/pdf/encrypted-owner-only-{f}.pdf")), &none);
        assert_eq!(enc, plain, "{f}");
    }
}

#[test]
fn a_password_protected_pdf_is_a_clear_error() {
    let bytes = std::fs::read(root().join("fixtures/pdf/bad/encrypted-user-password.pdf")).unwrap();
    let e = yoshiki::parse::read_ir(&bytes, &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "encrypted");
    assert_eq!(e.to_string(), "encrypted: needs a password");
}

#[test]
fn struck_out_runs_are_revisions_and_cells_keep_the_new_text() {
    let ir = read("fixtures/pdf/libreoffice-strikethrough-revision.pdf");
    let got: Vec<(&str, &str)> = ir
        .revisions
        .iter()
        .map(|r| (r.before.as_str(), r.after.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("32,268", "32,550"),
            ("6,166", "6,227"),
            ("９", "12"),
            ("14", "19"),
            ("24", "40"),
            ("９", "12"),
            ("21", "32")
        ]
    );
    for r in &ir.revisions {
        assert_eq!(r.evidence, Evidence::Strikethrough);
        assert!(r.at.page.is_some() && r.at.bbox.is_some(), "{r:?}");
        let context = r.context.as_deref().unwrap_or("");
        assert!(
            context.contains(&r.after) && !context.contains(&format!("{}{}", r.before, r.after)),
            "{r:?}"
        );
    }
    let text = ir.full_text();
    for old in ["32,268", "6,166", "14件", "24件", "21団体"] {
        assert!(!text.contains(old), "struck {old} left in the cells");
    }
    for new in [
        "（32,550千円）",
        "（6,227千円）",
        "（12月末時点）",
        "19件",
        "40件",
        "32団体・個人",
    ] {
        assert!(text.contains(new), "{new} missing");
    }
}

#[test]
fn every_pdf_cell_has_a_page_and_a_box() {
    for f in [
        "fixtures/corpus/pdf/minato-2022-plan.pdf",
        "fixtures/pdf/chromium-type0-identity-h.pdf",
        "fixtures/pdf/reportlab-unijis-ucs2-h.pdf",
        "fixtures/pdf/reportlab-90ms-rksj-h.pdf",
        "fixtures/pdf/libreoffice-strikethrough-revision.pdf",
    ] {
        let ir = read(f);
        let pages = ir.meta.pages.unwrap_or(0);
        for r in ir.rows.iter().filter(|r| !r.is_blank()) {
            for c in &r.cells {
                let (Some(p), Some(b)) = (c.at.page, c.at.bbox) else {
                    panic!("{f}: {c:?}")
                };
                assert!(
                    p >= 1 && p <= pages && b[0] <= b[2] && b[1] <= b[3] && b[0] >= 0.0 && b[2] <= 1300.0,
                    "{f}: {c:?}"
                );
            }
        }
    }
}

#[test]
fn merged_label_cut_by_a_page_break_goes_to_its_first_row() {
    // 様式2 A50:A55 (計画) starts on page 7 and its text is printed on page 8:
    // it belongs in the row of 当年度の取組内容 / 2 決算額.
    let ir = read("fixtures/corpus/pdf/minato-2022-plan.pdf");
    let row = ir
        .rows
        .iter()
        .find(|r| r.cells.iter().any(|c| c.text == "2 決算額"))
        .expect("row");
    assert_eq!(row.cells[0].text, "計画");
    assert_eq!(row.cells[0].col, 0);
    assert_eq!(row.cells[0].span.0, 6, "{:?}", row.cells[0]);
    assert_eq!(row.kind, RowKind::Table);
}

#[test]
fn vertical_labels_read_as_one_word() {
    // reportlab writes 計画 / 自己評価 with the -V CMaps: glyphs advance down.
    for f in [
        "fixtures/pdf/reportlab-90ms-rksj-h.pdf",
        "fixtures/pdf/reportlab-unijis-ucs2-h.pdf",
    ] {
        let ir = read(f);
        let firsts: Vec<&str> = ir
            .rows
            .iter()
            .filter_map(|r| r.cells.first())
            .map(|c| c.text.as_str())
            .collect();
        let want = if f.contains("rksj") {
            ["計画", "自己評価"]
        } else {
            ["項目", "項目"]
        };
        for w in want {
            assert!(firsts.contains(&w), "{f}: {w}");
        }
    }
}

#[test]
fn metadata() {
    let ir = read("fixtures/corpus/pdf/minato-2022-plan.pdf");
    assert_eq!(ir.meta.pages, Some(21));
    assert_eq!(ir.meta.producer.as_deref(), Some("LibreOffice 7.4"));
    assert!(ir.warnings.is_empty(), "{:?}", ir.warnings);
}
