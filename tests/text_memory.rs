//! The text reader's memory, measured: at most 4 times the file plus
//! 16 MiB whatever the file holds — releases, millions of blank lines,
//! millions of one-character lines (refused with `too_large`, before they
//! take more). This test binary counts the heap of each thread with its own
//! allocator, so the figure is the reader's own (the file's bytes, already
//! in memory, are not counted). `--nocapture` prints each ratio.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use yoshiki::limits::Limits;

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(n: isize) {
    let _ = LIVE.try_with(|l| {
        let v = l.get() + n;
        l.set(v);
        let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
    });
}

// SAFETY: passes every call on to `System`; the counting touches only
// const-initialised thread-locals without destructors (no allocation).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        add(l.size() as isize);
        // SAFETY: the caller's contract.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        add(-(l.size() as isize));
        // SAFETY: the caller's contract.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        add(n as isize - l.size() as isize);
        // SAFETY: the caller's contract.
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// The reader's peak heap on `bytes`, and its result's error code.
fn measure(bytes: &[u8]) -> (usize, Result<usize, String>) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let r = yoshiki::parse::read_ir(bytes, &Limits::default());
    let peak = (PEAK.with(Cell::get) - base).max(0) as usize;
    (peak, r.map(|ir| ir.rows.len()).map_err(|e| e.code().to_string()))
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/corpus/text/{name}", env!("CARGO_MANIFEST_DIR"))).expect("corpus")
}

/// `unit` repeated to about `size` bytes.
fn repeat(unit: &[u8], size: usize) -> Vec<u8> {
    unit.repeat(size / unit.len().max(1) + 1)
}

const MIB: usize = 1 << 20;

fn bound(n: usize) -> usize {
    yoshiki::readers::text::MEMORY_PER_BYTE * n + yoshiki::readers::text::MEMORY_FLOOR
}

#[test]
fn releases_stay_within_four_times_their_size_and_16_mib() {
    let mut report = Vec::new();
    for name in [
        "minato-2022-plan.txt",
        "minato-2022-plan-revision.txt",
        "taisho-2016-progress.txt",
        "minato-2021-midterm-review.txt",
        "unknown-ward-summary.txt",
    ] {
        let bytes = repeat(&corpus(name), 2 * MIB);
        let (peak, r) = measure(&bytes);
        assert!(r.is_ok(), "{name}: {r:?}");
        report.push(format!(
            "{name} ×{}: {:.2}×",
            bytes.len() / corpus(name).len(),
            peak as f64 / bytes.len() as f64
        ));
        assert!(peak <= bound(bytes.len()), "{name}: {peak} bytes for {}", bytes.len());
    }
    // Shift_JIS: decoded once (the candidates are measured in chunks).
    let text = String::from_utf8(corpus("minato-2022-plan.txt")).expect("utf-8");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let bytes = repeat(&sjis, 2 * MIB);
    let (peak, r) = measure(&bytes);
    assert!(r.is_ok(), "{r:?}");
    report.push(format!("Shift_JIS plan: {:.2}×", peak as f64 / bytes.len() as f64));
    assert!(
        peak <= bound(bytes.len()),
        "Shift_JIS: {peak} bytes for {}",
        bytes.len()
    );
    eprintln!("{}", report.join("\n"));
}

#[test]
fn megabytes_of_newlines_take_next_to_nothing() {
    // 10 MB was 1.5 GB: a row of ~140 bytes a line. (2 MB here: the debug
    // build is slow, and the row count does not depend on the size.)
    let bytes = vec![b'\n'; 2_000_000];
    let (peak, r) = measure(&bytes);
    assert_eq!(r, Ok(1), "one blank row for the run of blank lines");
    assert!(peak < MIB, "{peak} bytes");
}

#[test]
fn millions_of_short_lines_are_refused_before_they_take_the_memory() {
    for unit in [&b"a\n"[..], b"x\ty\n", b"# h\n"] {
        let bytes = repeat(unit, MIB);
        let (peak, r) = measure(&bytes);
        assert_eq!(r, Err("too_large".to_string()), "{:?}", String::from_utf8_lossy(unit));
        assert!(
            peak <= bound(bytes.len()),
            "{:?}: {peak} bytes for {}",
            String::from_utf8_lossy(unit),
            bytes.len()
        );
    }
    // Short lines among long ones are fine: a release's tables.
    let mut mixed = Vec::new();
    for _ in 0..20_000 {
        mixed.extend_from_slice("1\t区民の参画による地域活動の促進に関する取組の実績と評価\n".as_bytes());
    }
    let (peak, r) = measure(&mixed);
    assert!(r.is_ok(), "{r:?}");
    assert!(peak <= bound(mixed.len()), "{peak} for {}", mixed.len());
}
