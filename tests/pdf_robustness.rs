//! Broken and hostile PDFs: each gives a clear error or a partial result
//! with warnings, never a panic, a hang or unbounded memory. The fixtures in
//! `fixtures/pdf/broken/` are made by `scripts/fixtures/pdf/broken.py`; the
//! large ones (200,000-deep nesting, a decompression bomb) are made here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use yoshiki::limits::Limits;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `yoshiki dump FILE`, killed if it runs past `limit`.
fn dump(file: &Path, limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
        .arg("dump")
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn yoshiki");
    let start = Instant::now();
    loop {
        if let Some(_status) = child.try_wait().expect("wait") {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{}: still running after {limit:?}", file.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn check(file: &Path, expect: &str) -> Run {
    let r = dump(file, Duration::from_secs(60));
    let shown = format!(
        "{}: exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        file.display(),
        r.code,
        r.stdout,
        r.stderr
    );
    // 0: read (perhaps partly, with warnings); 1: a clear error. Never a
    // panic (101) or a signal (None).
    assert!(matches!(r.code, Some(0) | Some(1)), "{shown}");
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("internal error"),
        "{shown}"
    );
    assert!(
        r.stdout.contains(expect) || r.stderr.contains(expect),
        "expected {expect:?}\n{shown}"
    );
    r
}

#[test]
fn truncated_file_is_a_clear_error() {
    check(
        &root().join("fixtures/pdf/broken/truncated.pdf"),
        "truncated: no end of file",
    );
}

#[test]
fn random_bytes_behind_a_header_are_a_clear_error() {
    check(&root().join("fixtures/pdf/broken/random-after-header.pdf"), "yoshiki:");
}

#[test]
fn xref_prev_pointing_at_itself_still_reads() {
    let r = check(&root().join("fixtures/pdf/broken/xref-prev-loop.pdf"), "Hello");
    assert_eq!(r.code, Some(0));
}

#[test]
fn page_tree_containing_itself_reads_each_page_once() {
    let r = check(
        &root().join("fixtures/pdf/broken/page-tree-cycle.pdf"),
        "pdf_damaged_page_tree",
    );
    assert_eq!(r.stdout.matches("Hello").count(), 1, "{}", r.stdout);
}

#[test]
fn corrupt_stream_is_a_warning() {
    check(
        &root().join("fixtures/pdf/broken/corrupt-stream.pdf"),
        "pdf_damaged_content",
    );
}

/// A one-page PDF around a content stream and an extra object.
fn pdf(content: &[u8], extra_object: &[u8]) -> Vec<u8> {
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots 6 0 R >>".to_vec(),
        [format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(), content, b"\nendstream"].concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        extra_object.to_vec(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::File::create(&p)
        .and_then(|mut f| f.write_all(bytes))
        .expect("write");
    p
}

#[test]
fn arrays_nested_200000_deep_do_not_overflow_the_stack() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deep = [vec![b'['; 200_000], vec![b']'; 200_000]].concat();
    let hello = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET\n".to_vec();
    // In an object the page refers to.
    let f = write_temp(&dir, "deep-object.pdf", &pdf(&hello, &deep));
    check(&f, "Hello");
    // As an operand in the content stream.
    let content = [hello.clone(), deep.clone(), b" Tj\n".to_vec()].concat();
    let f = write_temp(&dir, "deep-content.pdf", &pdf(&content, b"[]"));
    check(&f, "Hello");
    // Dictionaries too.
    let dicts = [b"<< /A ".repeat(200_000), b">> ".repeat(200_000)].concat();
    let f = write_temp(&dir, "deep-dict.pdf", &pdf(&hello, &dicts));
    check(&f, "Hello");
}

fn read_with(bytes: &[u8], limits: &Limits) -> yoshiki::Result<yoshiki::ir::Ir> {
    yoshiki::parse::read_ir(bytes, limits)
}

#[test]
fn a_decompression_bomb_stops_at_the_stream_limit() {
    // 64 MiB of zeros deflate to about 64 KiB.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..64 {
        z.write_all(&chunk).expect("deflate");
    }
    let packed = z.finish().expect("deflate");
    let mut bytes = pdf(b"", b"[]");
    // Swap the empty content stream for the bomb.
    let head = format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", packed.len());
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let at = text.find("<< /Length 0 >>\nstream\n").expect("content");
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(&packed);
    out.extend_from_slice(&bytes[at + "<< /Length 0 >>\nstream\n".len()..]);
    bytes = out;
    let limits = Limits {
        max_stream_bytes: 1 << 20,
        ..Limits::default()
    };
    let e = read_with(&bytes, &limits).expect_err("bomb");
    assert_eq!(e.code(), "stream_too_large", "{e}");
}

fn corpus() -> Vec<u8> {
    std::fs::read(root().join("fixtures/corpus/pdf/minato-2022-plan.pdf")).expect("corpus pdf")
}

#[test]
fn the_deadline_is_kept() {
    let limits = Limits {
        timeout: Duration::ZERO,
        ..Limits::default()
    };
    let e = read_with(&corpus(), &limits).expect_err("timeout");
    assert_eq!(e.code(), "timeout");
}

#[test]
fn page_and_glyph_limits_give_partial_results_with_warnings() {
    let limits = Limits {
        max_pages: 2,
        ..Limits::default()
    };
    let ir = read_with(&corpus(), &limits).expect("read");
    assert_eq!(ir.meta.pages, Some(2));
    assert!(
        ir.warnings.iter().any(|w| w.code == "pdf_page_limit"),
        "{:?}",
        ir.warnings
    );
    let limits = Limits {
        max_cells: 100,
        ..Limits::default()
    };
    let ir = read_with(&corpus(), &limits).expect("read");
    assert!(
        ir.warnings.iter().any(|w| w.code == "pdf_glyph_limit"),
        "{:?}",
        ir.warnings
    );
    let glyphs: usize = ir
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .map(|c| c.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    assert!(glyphs <= 100, "{glyphs}");
}

#[test]
fn damaged_copies_of_a_real_file_never_panic() {
    // Bytes overwritten at pseudo-random places (a fixed seed): every read
    // is a result or an error with a reason, never a panic caught as
    // `internal`.
    let good = corpus();
    let mut seed: u64 = 0x5eed_2022;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..24 {
        let mut bytes = good.clone();
        for _ in 0..(1 + round % 6) {
            let at = (next() as usize) % bytes.len();
            let len = 1 + (next() as usize) % 64;
            for b in bytes.iter_mut().skip(at).take(len) {
                *b = next() as u8;
            }
        }
        match read_with(&bytes, &Limits::default()) {
            Ok(_) => {}
            Err(e) => assert_ne!(e.code(), "internal", "round {round}: {e}"),
        }
    }
}
