//! Replays every input a fuzz target crashed on (fixtures/regressions/),
//! in process, through the same calls the targets make: each must give a
//! result or an error, never a panic.

mod common;

use common::fixture;
use std::path::PathBuf;
use yoshiki::limits::Limits;
use yoshiki::normalize;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fixture("regressions").join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn text_reader() {
    for (p, data) in inputs("text_reader") {
        if let Ok(ir) = yoshiki::readers::text::read(&data, &Limits::default()) {
            let _ = yoshiki::recognize::recognize(&ir, &Default::default());
        }
        eprintln!("replayed {}", p.display());
    }
}

/// A reader's result on each input: rows go on to the recogniser; an
/// error must not be a caught panic (`internal`).
fn replay_reader(target: &str, read: fn(&[u8], &Limits) -> yoshiki::Result<yoshiki::ir::Ir>) {
    for (p, data) in inputs(target) {
        match read(&data, &Limits::default()) {
            Ok(ir) => {
                let _ = yoshiki::recognize::recognize(&ir, &Default::default());
            }
            // A panic the reader caught is a crash all the same.
            Err(e) => assert!(
                e.code() != "internal" && !e.to_string().contains("failed on this file"),
                "{}: {e}",
                p.display()
            ),
        }
    }
}

#[test]
fn workbook_reader() {
    replay_reader("workbook_reader", yoshiki::readers::workbook::read);
}

#[test]
fn pdf_reader() {
    replay_reader("pdf_reader", yoshiki::readers::pdf::read);
}

#[test]
fn normalizer() {
    for (_, data) in inputs("normalizer") {
        let Ok(s) = std::str::from_utf8(&data) else { continue };
        let once = normalize::text(s);
        assert_eq!(normalize::text(&once), once);
        let _ = normalize::parse_money(s);
        let _ = normalize::split_trailing_money(s);
        let _ = normalize::parse_quantity(s);
        let _ = normalize::quantity::locate_quantity(s);
        let _ = normalize::find_years(s, Some(2022));
        let _ = normalize::normalize_id(s);
        let _ = normalize::join_wrapped(s.lines());
    }
}
