//! An archive as a data team finds it: good releases beside truncated
//! downloads, mislabelled files and hostile ones. One `convert` call, under
//! a memory cap and a two-minute limit: the good releases are written, each
//! bad file is named in the manifest with a reason a person can act on, the
//! exit code is 1, nothing panics and no partial output is left.

mod common;

use common::zipbomb::{corpus_parts_with, deflate_zeros};
use common::{Run, fixture, yoshiki_bounded};
use std::path::Path;
use std::time::{Duration, Instant};

/// `yoshiki ARGS` with at most 2 GiB of address space and two minutes.
fn bounded(args: &[&str], cwd: &Path) -> Run {
    yoshiki_bounded(args, cwd, 2_097_152, 120)
}

fn copy(rel: &str, to: &Path) {
    std::fs::copy(fixture(rel), to).unwrap_or_else(|e| panic!("{rel}: {e}"));
}

/// A PDF whose page holds an array nested `depth` deep.
fn nested_pdf(depth: usize) -> Vec<u8> {
    let mut deep = "[".repeat(depth);
    deep.push_str(&"]".repeat(depth));
    format!(
        "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n\
         3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Deep {deep} >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// A PDF whose cross-reference `/Prev` points at itself and whose page
/// tree contains itself.
fn looping_pdf() -> Vec<u8> {
    let body = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>\nendobj\n\
                3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>\nendobj\n";
    let xref_at = body.len();
    let mut s = body.to_string();
    s.push_str("xref\n0 4\n0000000000 65535 f \n");
    for obj in ["1 0 obj", "2 0 obj", "3 0 obj"] {
        let off = body.find(obj).unwrap_or(0);
        s.push_str(&format!("{off:010} 00000 n \n"));
    }
    s.push_str(&format!(
        "trailer\n<< /Size 4 /Root 1 0 R /Prev {xref_at} >>\nstartxref\n{xref_at}\n%%EOF\n"
    ));
    s.into_bytes()
}

#[test]
fn a_hostile_archive_converts_in_one_call() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("archive");
    for sub in ["good/x", "bad/y"] {
        std::fs::create_dir_all(a.join(sub)).expect("mkdir");
    }
    // The good releases, under neutral names.
    copy("corpus/text/minato-2022-plan.txt", &a.join("good/x/r1.txt"));
    copy("corpus/text/taisho-2016-progress.txt", &a.join("good/x/r2.txt"));
    copy("corpus/xlsx/minato-2022-plan.xlsx", &a.join("good/r3.xlsx"));
    copy("corpus/pdf/minato-2022-plan.pdf", &a.join("good/r4.pdf"));
    // The bad ones.
    let bad = a.join("bad");
    std::fs::write(bad.join("empty.pdf"), b"").expect("write");
    let mut random_pdf = b"%PDF-1.7\n".to_vec();
    random_pdf.extend((0..50_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8));
    std::fs::write(bad.join("random-after-header.pdf"), &random_pdf).expect("write");
    let corpus_pdf = std::fs::read(fixture("corpus/pdf/minato-2022-plan.pdf")).expect("read");
    std::fs::write(bad.join("truncated.pdf"), &corpus_pdf[..corpus_pdf.len() / 3]).expect("write");
    let corpus_xlsx = std::fs::read(fixture("corpus/xlsx/minato-2022-plan.xlsx")).expect("read");
    std::fs::write(bad.join("y/truncated.xlsx"), &corpus_xlsx[..corpus_xlsx.len() / 2]).expect("write");
    std::fs::write(
        bad.join("notes.xlsx"),
        "これはワークブックではありません\nmeeting notes\n",
    )
    .expect("write");
    let random: Vec<u8> = (0..40_000u32)
        .map(|i| (i.wrapping_mul(2_246_822_519) >> 13) as u8)
        .collect();
    std::fs::write(bad.join("y/random.txt"), &random).expect("write");
    std::fs::write(bad.join("loop.pdf"), looping_pdf()).expect("write");
    std::fs::write(bad.join("nested.pdf"), nested_pdf(200_000)).expect("write");
    copy("pdf/bad/encrypted-user-password.pdf", &bad.join("y/password.pdf"));
    // Shared strings that inflate to 2 GiB.
    let (bomb, size) = deflate_zeros(1_041_000);
    assert!(size > 2 << 30 && size < u32::MAX as u64, "{size}");
    let bomb_xlsx = corpus_parts_with(&[("xl/sharedStrings.xml", 8, 0, size as u32, &bomb)]);
    std::fs::write(bad.join("y/bomb.xlsx"), &bomb_xlsx).expect("write");

    let started = Instant::now();
    let run = bounded(&["convert", "archive", "-o", "out", "--jobs", "2"], dir.path());
    let took = started.elapsed();
    let out = dir.path().join("out");
    let manifest_text = std::fs::read_to_string(out.join("manifest.json")).unwrap_or_default();
    let show = || format!("{}\n--- manifest:\n{manifest_text}", run.cmd);
    if run.code == 124 || took > Duration::from_secs(120) {
        run.fail(&format!("did not finish within two minutes ({took:?})"));
    }
    if run.stderr.contains("panicked") || run.code != 1 {
        run.fail(&format!("expected exit 1 and no panic\n{}", show()));
    }
    let m: serde_json::Value =
        serde_json::from_str(&manifest_text).unwrap_or_else(|e| run.fail(&format!("manifest: {e}")));
    let entry = |p: &str| -> serde_json::Value {
        m["inputs"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["path"] == p).cloned())
            .unwrap_or_else(|| run.fail(&format!("{p} is not in the manifest\n{}", show())))
    };
    // The good releases are written.
    for (p, output) in [
        ("archive/good/x/r1.txt", "271071/2022.json"),
        ("archive/good/x/r2.txt", "271080/2016.json"),
        ("archive/good/r3.xlsx", "271071/2022.json"),
        ("archive/good/r4.pdf", "271071/2022.json"),
    ] {
        let e = entry(p);
        assert_ne!(e["status"], "error", "{p}\n{}", show());
        assert_eq!(e["output"], output, "{p}\n{}", show());
        assert!(out.join(output).is_file(), "{output} written");
    }
    // Each bad one is named with its reason.
    for (p, code, says) in [
        ("archive/bad/empty.pdf", "empty", "empty file"),
        (
            "archive/bad/random-after-header.pdf",
            "truncated",
            "does not read as a PDF",
        ),
        ("archive/bad/truncated.pdf", "truncated", "truncated"),
        ("archive/bad/y/truncated.xlsx", "truncated", "truncated"),
        (
            "archive/bad/notes.xlsx",
            "unrecognised",
            "the bytes are plain text (not a workbook)",
        ),
        ("archive/bad/y/random.txt", "not_text", "not text: the bytes are binary"),
        ("archive/bad/loop.pdf", "unrecognised", "the file is damaged"),
        ("archive/bad/nested.pdf", "no_pages", "nested too deeply"),
        ("archive/bad/y/password.pdf", "encrypted", "encrypted: needs a password"),
        (
            "archive/bad/y/bomb.xlsx",
            "too_large",
            "too large: part xl/sharedStrings.xml inflates to",
        ),
    ] {
        let e = entry(p);
        assert_eq!(e["status"], "error", "{p}\n{}", show());
        assert_eq!(e["error"]["code"], code, "{p}\n{}", show());
        let msg = e["error"]["message"].as_str().unwrap_or("");
        assert!(msg.contains(says), "{p}: {msg:?} should say {says:?}");
        assert_eq!(e["output"], serde_json::Value::Null, "{p}");
        assert!(
            run.stderr.contains(&format!("yoshiki: {p}: ")),
            "{p} named on stderr\n{}",
            run.stderr
        );
    }
    assert_eq!(m["counts"]["error"], 10, "{}", show());
    assert!(!manifest_text.contains("\"internal\""), "a reader panicked\n{}", show());
    // No partial output: only finished data files and the manifest.
    let mut stray = Vec::new();
    for e in walk(&out) {
        let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let state = e.parent().and_then(|p| p.file_name()).is_some_and(|n| n == ".yoshiki");
        let lock = state && (name == "lock" || name == "commit.lock");
        if !lock && name != ".yoshiki" && (name.starts_with('.') || name.contains("tmp") || state) {
            stray.push(e.display().to_string());
        }
    }
    assert!(stray.is_empty(), "partial output left: {stray:?}");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            }
            out.push(p);
        }
    }
    out
}
