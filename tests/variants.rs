//! The variant suite: every fixture, transformed the ways real wards print
//! the same forms (another ward and year, 令和元年度 and 平成, decorated,
//! spaced and wrapped labels, ids and money printed otherwise, renumbered
//! issues and initiatives, blocks no form has, era-lettered body years,
//! one printed line per row), read through the text path and — for the
//! table releases — through a workbook written at test time. Each variant
//! carries the facts listed by hand for its fixture
//! (`tests/variant_suite/facts/`), transformed alongside the text; every
//! fact must hold on every variant.
//!
//! `YOSHIKI_VARIANTS_BIN=path` runs another build (the table in the closing
//! note compares two), `YOSHIKI_VARIANTS_TABLE=file` writes the table of
//! transformation × facts held, and `YOSHIKI_VARIANTS_REPORT_ONLY=1` reports
//! without failing, `YOSHIKI_VARIANTS_KEEP=dir` keeps the variants (named
//! `<fixture>--<transformation>.txt|.xlsx`).

mod common;
mod variant_suite;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use variant_suite::{FIXTURES, Fixture, as_text, as_workbook, facts, transform};

struct Job {
    fixture: &'static str,
    transform: &'static str,
    path: &'static str,
    file: PathBuf,
    facts: Vec<facts::Fact>,
}

struct Outcome {
    fixture: &'static str,
    transform: &'static str,
    path: &'static str,
    held: usize,
    total: usize,
    failures: Vec<String>,
}

fn binary() -> PathBuf {
    std::env::var_os("YOSHIKI_VARIANTS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_yoshiki")))
}

fn jobs(dir: &Path) -> Vec<Job> {
    let mut out = Vec::new();
    for fx in FIXTURES {
        let src = std::fs::read_to_string(common::fixture(fx.rel)).expect("fixture is UTF-8");
        let base = facts::parse(fx.facts);
        for t in transform::ALL {
            let Some(v) = (t.apply)(fx, &src, &base) else { continue };
            let stem = format!("{}--{}", fx.name, t.slug);
            let file = dir.join(format!("{stem}.txt"));
            let text = as_text(fx.dialect, &v.text);
            std::fs::write(&file, &text).expect("write variant");
            out.push(Job {
                fixture: fx.name,
                transform: t.name,
                path: "text",
                file,
                facts: v.facts.clone(),
            });
            if let Some(sheets) = fx.workbook {
                let file = dir.join(format!("{stem}.xlsx"));
                std::fs::write(&file, as_workbook(&v.text, sheets)).expect("write workbook");
                out.push(Job {
                    fixture: fx.name,
                    transform: t.name,
                    path: "workbook",
                    file,
                    facts: v.facts.clone(),
                });
            }
            // A PDF drawn from this variant by a real producer, where one was
            // made (scripts/fixtures/variants/pdf_variants.py), while it is
            // still the variant's.
            let pdf = common::fixture(&format!("variants/{stem}.pdf"));
            if pdf.is_file() {
                let listed = std::fs::read_to_string(common::fixture("variants/README.md")).unwrap_or_default();
                let recorded = listed
                    .lines()
                    .find(|l| l.starts_with(&format!("| {stem}.pdf |")))
                    .and_then(|l| l.split('|').nth(2))
                    .unwrap_or_default();
                let now = sha256_hex(text.as_bytes());
                assert_eq!(
                    recorded.trim(),
                    now,
                    "{}: drawn from another text than the variant the suite makes now; run scripts/fixtures/variants/pdf_variants.py",
                    pdf.display()
                );
                out.push(Job {
                    fixture: fx.name,
                    transform: t.name,
                    path: "pdf",
                    file: pdf,
                    facts: v.facts,
                });
            }
        }
    }
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn run(job: &Job, bin: &Path) -> Outcome {
    let out = Command::new(bin)
        .arg("parse")
        .arg(&job.file)
        .output()
        .expect("the binary runs");
    let total = job.facts.len();
    let mut failures = Vec::new();
    let mut held = 0;
    match serde_json::from_slice::<Value>(&out.stdout) {
        Ok(doc) if out.status.success() => {
            for f in &job.facts {
                match facts::check(&doc, f) {
                    Ok(()) => held += 1,
                    Err(why) => failures.push(format!("{}: {why}", f.describe())),
                }
            }
        }
        _ => failures.push(format!(
            "not converted: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
    Outcome {
        fixture: job.fixture,
        transform: job.transform,
        path: job.path,
        held,
        total,
        failures,
    }
}

/// Markdown: a row per transformation, a column per fixture and path.
fn table(outcomes: &[Outcome]) -> String {
    let mut cols: Vec<(&str, &str)> = Vec::new();
    for o in outcomes {
        if !cols.contains(&(o.fixture, o.path)) {
            cols.push((o.fixture, o.path));
        }
    }
    let mut s = String::from("| transformation |");
    for (f, p) in &cols {
        s.push_str(&format!(" {f} ({p}) |"));
    }
    s.push_str(" all |\n|---|");
    for _ in &cols {
        s.push_str("---:|");
    }
    s.push_str("---:|\n");
    let (mut gh, mut gt) = (0, 0);
    for t in transform::ALL {
        s.push_str(&format!("| {} |", t.name));
        let (mut h, mut n) = (0, 0);
        for (f, p) in &cols {
            match outcomes
                .iter()
                .find(|o| o.transform == t.name && o.fixture == *f && o.path == *p)
            {
                Some(o) => {
                    s.push_str(&format!(" {}/{} |", o.held, o.total));
                    h += o.held;
                    n += o.total;
                }
                None => s.push_str(" n/a |"),
            }
        }
        s.push_str(&format!(" {h}/{n} |\n"));
        gh += h;
        gt += n;
    }
    s.push_str(&format!("| **all** |{} **{gh}/{gt}** |\n", " |".repeat(cols.len())));
    s.push('\n');
    for t in transform::ALL {
        s.push_str(&format!("- *{}*: {}\n", t.name, t.what));
    }
    s
}

fn fixture_of(name: &str) -> &'static Fixture {
    FIXTURES.iter().find(|f| f.name == name).expect("fixture")
}

#[test]
fn every_fact_holds_on_every_variant() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = binary();
    // `YOSHIKI_VARIANTS_KEEP=dir` keeps the variants there to look at.
    let keep = std::env::var_os("YOSHIKI_VARIANTS_KEEP").map(PathBuf::from);
    if let Some(k) = &keep {
        std::fs::create_dir_all(k).expect("keep dir");
    }
    let jobs = jobs(keep.as_deref().unwrap_or(dir.path()));
    assert!(jobs.len() > 40, "{} variants", jobs.len());
    // Two at a time: the machine is shared.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(job) = jobs.get(i) else { break };
                    let o = run(job, &bin);
                    results.lock().expect("lock").push((i, o));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("lock");
    results.sort_by_key(|(i, _)| *i);
    let outcomes: Vec<Outcome> = results.into_iter().map(|(_, o)| o).collect();
    let t = table(&outcomes);
    if let Some(path) = std::env::var_os("YOSHIKI_VARIANTS_TABLE") {
        std::fs::write(path, &t).expect("write table");
    }
    let mut report = String::new();
    for o in outcomes.iter().filter(|o| !o.failures.is_empty()) {
        let fx = fixture_of(o.fixture);
        report.push_str(&format!(
            "\n{} / {} / {} ({:?}): {} of {} facts fail\n",
            o.fixture,
            o.transform,
            o.path,
            fx.dialect,
            o.failures.len(),
            o.total
        ));
        for f in o.failures.iter().take(60) {
            report.push_str(&format!("  {f}\n"));
        }
    }
    eprintln!("{t}");
    if std::env::var_os("YOSHIKI_VARIANTS_REPORT_ONLY").is_some() {
        eprintln!("{report}");
        return;
    }
    assert!(report.is_empty(), "facts that do not hold:{report}");
}
