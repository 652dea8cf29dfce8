//! Nothing a PDF prints is lost without a word: every character of each
//! page's text (as poppler's `pdftotext -layout` reads the page, a reader
//! independent of ours) is found in the Document — in a field, in a
//! warning (where the recogniser reports text under no label) — or in the
//! forms' own printed words (labels and legends of choices, as
//! `recognize::split_form_words` finds them in the text release the PDF was
//! made from: a narrow cell wraps a label, so the page holds it in pieces).
//!
//! The page's text is cut into pieces where poppler puts two or more
//! spaces (cells, columns), at labels, and at `:`, `・` and brackets (a
//! label and its value, list items, an amount after its sentence: the
//! model keeps them apart); each piece, normalised as the model is
//! (`normalize::clean`, white space removed), must occur in the Document's
//! text or in the form's words. A piece that is found in neither is lost.
//!
//! Where the text goes: [`document_text`] reads the fields and the
//! warnings. When `Document.unplaced` lands (text under no label, whole),
//! it is read there too: it is a string array of the Document, so nothing
//! here changes but the comment.

mod common;

use common::{fixture, yoshiki};
use serde_json::Value;
use std::process::Command;
use yoshiki::normalize::clean;
use yoshiki::recognize::split_form_words;

/// Every string of the Document but its source and detection notes,
/// normalised, white space removed, one per line.
fn document_text(doc: &Value) -> String {
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k != "source" && k != "detection" {
                        walk(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::String(s) => {
                out.extend(clean(s).chars().filter(|c| !c.is_whitespace()));
                out.push('\n');
            }
            _ => {}
        }
    }
    let mut out = String::new();
    walk(doc, &mut out);
    out
}

fn pdftotext(pdf: &str, page: u32) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(fixture(pdf))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed: apt-get install -y poppler-utils");
    assert!(out.status.success(), "pdftotext {pdf} page {page}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The content pieces of a page's text.
fn pieces(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in page.lines() {
        for seg in line.split("  ").filter(|s| !s.trim().is_empty()) {
            let (content, _) = split_form_words(&clean(seg));
            for p in content.split(|c: char| c == '\u{1}' || c.is_whitespace() || ":・()[]<>「」【】".contains(c))
            {
                let p = p.trim_matches(|c: char| "-●○◆◎■□※".contains(c));
                if !p.is_empty() {
                    out.push(p.to_string());
                }
            }
        }
    }
    out
}

/// The forms' printed words in a text release, one per line.
fn form_words(release: &str) -> String {
    let text = std::fs::read_to_string(fixture(release)).expect("release");
    let mut out = String::new();
    for line in text.lines() {
        for w in split_form_words(&clean(line)).1 {
            out.extend(w.chars().filter(|c| !c.is_whitespace()));
            out.push('\n');
        }
    }
    out
}

/// What a PDF's pages come to against its Document.
struct Account {
    /// Characters of content pieces, and of those not found.
    chars: usize,
    lost: usize,
    /// Pieces not found: (page, piece).
    pieces: Vec<(u32, String)>,
    /// Figures (amounts, shares, counts) not found: (page, figure).
    figures: Vec<(u32, String)>,
}

/// The figures of a piece: runs of digits with their grouping commas and
/// decimal point, except years, months and days (`29年度`, `12月`: the
/// model holds a fiscal year as a number, not as the printed text).
fn figures(piece: &str) -> Vec<String> {
    let mut out = Vec::new();
    let cs: Vec<char> = piece.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        if !cs[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < cs.len()
            && (cs[i].is_ascii_digit()
                || (matches!(cs[i], ',' | '.') && cs.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
        {
            i += 1;
        }
        let next = cs.get(i).copied().unwrap_or(' ');
        let date = matches!(next, '年' | '月' | '日');
        let part_of_id = next == '-' || (start > 0 && cs[start - 1] == '-');
        if !date && !part_of_id {
            out.push(cs[start..i].iter().collect());
        }
    }
    out
}

fn account(pdf: &str, release: &str, dir: &std::path::Path) -> Account {
    let doc = yoshiki(&["parse", fixture(pdf).to_str().expect("path")], dir).json();
    let text = document_text(&doc);
    let form = form_words(release);
    let pages = doc["source"]["pages"].as_u64().expect("pages") as u32;
    let mut a = Account {
        chars: 0,
        lost: 0,
        pieces: Vec::new(),
        figures: Vec::new(),
    };
    for page in 1..=pages {
        for p in pieces(&pdftotext(pdf, page)) {
            let n = p.chars().count();
            a.chars += n;
            if !text.contains(&p) && !form.contains(&p) {
                a.lost += n;
                for f in figures(&p) {
                    // A struck-out figure fused with its successor
                    // (`6,1666,227`) is read as the two.
                    let found = match yoshiki::normalize::split_fused_grouping(&f) {
                        Some((before, after)) => text.contains(&before) && text.contains(&after),
                        None => text.contains(&f),
                    };
                    if !found {
                        a.figures.push((page, f));
                    }
                }
                a.pieces.push((page, p));
            }
        }
    }
    a
}

const PLAN: &str = "corpus/text/minato-2022-plan.txt";
const PROGRESS: &str = "corpus/text/taisho-2016-progress.txt";

/// The figures of the 2016 progress report that its grammar
/// (`recognize/progress.rs`) does not read — the achievement columns'
/// results (`47.4%`, `81.47%` …): the Document of the text release lacks
/// them too, so it is the recogniser, not the PDF reader, that drops them,
/// without a warning (reported; the recogniser's owner is to place them).
const PROGRESS_UNREAD: &[&str] = &[
    "47.4", "54.1", "29.2", "63", "32.0", "65.7", "88.5", "81.47", "216", "2074", "2.5", "3.5", "98",
];

/// The PDFs made from the corpus, their releases, how many of their
/// characters the Document holds in another form than printed (measured
/// at this commit; see the test's comment: a PDF may not lose more), and
/// the figures a grammar is known to leave unread.
const PDFS: &[(&str, &str, usize, &[&str])] = &[
    ("corpus/pdf/minato-2022-plan.pdf", PLAN, 191, &[]),
    ("pdf/chromium-type0-identity-h.pdf", PLAN, 174, &[]),
    ("pdf/chromium-a4-portrait.pdf", PLAN, 109, &[]),
    ("pdf/chromium-b5-landscape-scale.pdf", PLAN, 110, &[]),
    ("pdf/chromium-a4-progress.pdf", PROGRESS, 5734, PROGRESS_UNREAD),
    ("pdf/reportlab-90ms-rksj-h.pdf", PLAN, 227, &[]),
    ("pdf/reportlab-unijis-ucs2-h.pdf", PROGRESS, 5916, PROGRESS_UNREAD),
    ("pdf/libreoffice-overflow-print-area.pdf", PLAN, 191, &[]),
    (
        "pdf/reportlab-unruled-summary-narrow.pdf",
        "corpus/text/unknown-ward-summary.txt",
        79,
        &[],
    ),
    (
        "pdf/reportlab-unruled-revision-narrow.pdf",
        "corpus/text/minato-2022-plan-revision.txt",
        187,
        &[],
    ),
];

/// Every figure a page prints is in the Document; every other piece of
/// text is in it or in the form's words, up to what the model holds in
/// another form than printed: a history `29年度:78.6%→元年度:79.6%` as
/// (2017, 78.6%), (2019, 79.6%); a target `令和4年度までに70%` as (2022,
/// 70%); the progress report's own column headers (`成果指標と目標値`, its
/// legends), which neither label catalogue holds. Those bounds are the
/// counts measured here; a reader that drops text exceeds them.
#[test]
fn every_character_of_every_page_is_accounted_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut report = Vec::new();
    let mut failed = false;
    for (pdf, release, bound, unread) in PDFS {
        let mut a = account(pdf, release, dir.path());
        a.figures.retain(|(_, f)| !unread.contains(&f.as_str()));
        let bad = a.lost > *bound || !a.figures.is_empty();
        failed |= bad;
        // YOSHIKI_COVERAGE_REPORT=1 lists every piece not found as printed.
        let listed = bad || std::env::var_os("YOSHIKI_COVERAGE_REPORT").is_some();
        report.push(format!(
            "{pdf}: {} characters, {} not found as printed (bound {bound}){}{}",
            a.chars,
            a.lost,
            a.figures
                .iter()
                .map(|(page, f)| format!("\n    page {page}: figure {f} lost"))
                .collect::<String>(),
            if listed {
                a.pieces
                    .iter()
                    .map(|(page, p)| format!("\n    page {page}: «{p}»"))
                    .collect::<String>()
            } else {
                String::new()
            }
        ));
    }
    if std::env::var_os("YOSHIKI_COVERAGE_REPORT").is_some() {
        eprintln!("{}", report.join("\n"));
    }
    assert!(!failed, "{}", report.join("\n"));
}

#[test]
fn figures_are_amounts_shares_and_counts_not_dates() {
    assert_eq!(figures("令和4年度までに70%以上"), ["70"]);
    assert_eq!(figures("(32,550千円)12月末時点"), ["32,550"]);
    assert_eq!(figures("1-1-3 38.6%"), ["38.6"]);
}
