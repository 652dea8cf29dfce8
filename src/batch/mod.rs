//! Batch conversion: an archive in, one canonical JSON file per ward and
//! fiscal year out, with a manifest of every input (`yoshiki convert`), and
//! the merge of sharded runs (`yoshiki merge`).
//!
//! A run, in order:
//!
//! 1. **inputs** (`inputs.rs`): every file under the INPUT arguments, sorted
//!    by manifest path.
//! 2. **hash**, in parallel: each file's sha256, read in blocks. A shard
//!    keeps the inputs its share of sha256s takes; copies of one document
//!    (same sha256 under several paths) are parsed once, under the first
//!    path, and listed under each.
//! 3. **parse**, in parallel (`--jobs` threads): each document is parsed and
//!    put in the spool (`spool.rs`) as soon as it is done; memory keeps only
//!    its kind, ward, year and warning count.
//! 4. **assemble and write**, in parallel over ward-year groups: each group
//!    file is streamed from its documents in the spool (`output.rs`), its
//!    merged view built by `crate::view`; files whose bytes did not change
//!    are left alone.
//! 5. **manifest** (`manifest.rs`), and removal of data files the previous
//!    manifest listed that this run did not produce.
//!
//! One file's failure is an `error` entry in the manifest, never the end of
//! the run; a panic in a reader is caught and recorded the same way.

pub mod inputs;
pub mod manifest;
pub mod output;
pub mod spool;

use crate::model::{Coverage, Document, Format, Kind, Ward};
use crate::parse::Options;
use indicatif::{ProgressBar, ProgressStyle};
use inputs::{Input, Shard};
use manifest::{Entry, EntryError, Manifest, Status};
use output::{AtomicFile, Outcome, WardYearWriter};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use spool::Spool;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A parser: the bytes of one file and its manifest path in, a Document out
/// (`crate::parse::parse_bytes` for the command line; tests give others).
/// Shared with the parser threads (see `parse_with_timeout`).
pub type Parser = std::sync::Arc<dyn Fn(&[u8], &str) -> crate::Result<Document> + Send + Sync>;
type ParseFn<'a> = &'a Parser;

/// `yoshiki convert`.
#[derive(Debug, Clone)]
pub struct Config {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    /// Threads; 0 means one per core.
    pub jobs: usize,
    pub shard: Option<Shard>,
    pub options: Options,
    /// Draw a progress bar (when stderr is a terminal).
    pub progress: bool,
    /// `--min-coverage`: a document whose coverage is below it gets the
    /// warning code `low_coverage` in the manifest.
    pub min_coverage: Option<f64>,
}

/// What a run did, for the one-line summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub inputs: usize,
    /// Inputs with status `ok` or `warning`.
    pub converted: usize,
    pub with_warnings: usize,
    pub errors: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub elapsed: Duration,
    /// The converted inputs of lowest coverage, lowest first (at most
    /// [`LOWEST`]): manifest path and coverage.
    pub lowest: Vec<(String, Coverage)>,
}

/// How many inputs of lowest coverage the summary names.
pub const LOWEST: usize = 5;

impl Summary {
    /// `lowest coverage: 55.85% a.txt (10581 of 18946), …`, the line that
    /// ends a run's summary; None when no input was converted.
    pub fn lowest_line(&self) -> Option<String> {
        if self.lowest.is_empty() {
            return None;
        }
        let items: Vec<String> = self
            .lowest
            .iter()
            .map(|(p, c)| format!("{:.2}% {p} ({} of {})", c.ratio * 100.0, c.placed, c.read))
            .collect();
        Some(format!("lowest coverage: {}", items.join(", ")))
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{} converted ({} with warnings), {}; {} written, {} unchanged, {} removed",
            self.converted,
            self.with_warnings,
            plural(self.errors, "error", "errors"),
            plural(self.written, "file", "files"),
            self.unchanged,
            self.removed,
        )?;
        if self.written == 0 && self.removed == 0 {
            write!(f, " (nothing changed)")?;
        }
        write!(f, "; {:.1} s", self.elapsed.as_secs_f64())
    }
}

#[derive(Debug)]
pub enum RunError {
    /// The command line asks for something impossible (exit 2).
    Usage(String),
    /// The run could not finish: OUT cannot be written (exit 1).
    Failed(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Usage(m) | RunError::Failed(m) => f.write_str(m),
        }
    }
}

/// What the run keeps of a converted document.
#[derive(Debug, Clone)]
struct DocInfo {
    kind: Kind,
    /// The ward's code.
    ward: Option<String>,
    fiscal_year: Option<i32>,
    format: Format,
    /// The document's warnings, plus one if it goes to `unassigned/`.
    warnings: usize,
    codes: Vec<String>,
    coverage: Coverage,
}

impl DocInfo {
    fn of(doc: &Document, min_coverage: Option<f64>) -> DocInfo {
        let mut codes: Vec<String> = doc.warnings.iter().map(|w| w.code.clone()).collect();
        let mut warnings = doc.warnings.len();
        if doc.ward.is_none() || doc.fiscal_year.is_none() {
            codes.push(UNASSIGNED.to_string());
            warnings += 1;
        }
        if min_coverage.is_some_and(|m| doc.coverage.ratio < m) {
            codes.push(LOW_COVERAGE.to_string());
            warnings += 1;
        }
        codes.sort();
        codes.dedup();
        DocInfo {
            kind: doc.kind,
            ward: doc.ward.as_ref().map(|w| w.code.clone()),
            fiscal_year: doc.fiscal_year,
            format: doc.source.format,
            warnings,
            codes,
            coverage: doc.coverage,
        }
    }

    fn output(&self, sha: &str) -> String {
        match (&self.ward, self.fiscal_year) {
            (Some(w), Some(y)) => format!("{w}/{y}.json"),
            _ => format!("unassigned/{sha}.json"),
        }
    }
}

/// The warning code of a document whose ward or year could not be told.
pub const UNASSIGNED: &str = "unassigned";

/// The warning code of a document whose coverage is below `--min-coverage`.
pub const LOW_COVERAGE: &str = "low_coverage";

/// Progress on stderr, and messages that do not tear it.
struct Reporter {
    bar: ProgressBar,
}

impl Reporter {
    fn new(progress: bool) -> Reporter {
        let bar = if progress && std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(0);
            if let Ok(style) =
                ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} {elapsed_precise} (eta {eta})")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        } else {
            ProgressBar::hidden()
        };
        Reporter { bar }
    }

    fn phase(&self, msg: &'static str, len: usize) {
        self.bar.set_message(msg);
        self.bar.set_position(0);
        self.bar.set_length(len as u64);
    }

    fn say(&self, line: String) {
        self.bar.suspend(|| eprintln!("yoshiki: {line}"));
    }
}

/// OUT, held by this run: created, locked against a second run, cleared of
/// a killed run's temporary files.
struct OutDir {
    path: PathBuf,
    lock: std::fs::File,
}

impl OutDir {
    fn open(path: &Path) -> Result<OutDir, RunError> {
        std::fs::create_dir_all(path)
            .map_err(|e| RunError::Failed(format!("{}: cannot create: {e}", path.display())))?;
        let lock_path = path.join(".yoshiki.lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| RunError::Failed(format!("{}: cannot create: {e}", lock_path.display())))?;
        if lock.try_lock().is_err() {
            return Err(RunError::Usage(format!(
                "{}: another yoshiki run is writing there; give each run (each shard) its own output directory",
                path.display()
            )));
        }
        output::remove_leftovers(path);
        Ok(OutDir {
            path: path.to_path_buf(),
            lock,
        })
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.path.join(".yoshiki.lock"));
        let _ = self.lock.unlock();
    }
}

fn pool(jobs: usize) -> Result<rayon::ThreadPool, RunError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("yoshiki-{i}"))
        .build()
        .map_err(|e| RunError::Failed(format!("cannot start threads: {e}")))
}

/// The previous run's manifest, if OUT has a readable one.
fn previous(out: &Path, rep: &Reporter) -> Option<Manifest> {
    match Manifest::read(out) {
        Ok(m) => m,
        Err(e) => {
            rep.say(format!("warning: {e}; files it listed will not be removed"));
            None
        }
    }
}

/// Phase 2's result for one input.
struct Hashed {
    sha256: Option<String>,
    bytes: Option<u64>,
    error: Option<EntryError>,
}

fn io_error(e: &std::io::Error) -> EntryError {
    EntryError {
        code: "io".to_string(),
        message: format!("cannot read: {e}"),
    }
}

fn hash_input(input: &Input, opts: &Options) -> Hashed {
    let failed = |error: EntryError, bytes| Hashed {
        sha256: None,
        bytes,
        error: Some(error),
    };
    if let Some(reason) = &input.walk_error {
        return failed(
            EntryError {
                code: "io".to_string(),
                message: reason.clone(),
            },
            None,
        );
    }
    let mut f = match std::fs::File::open(&input.fs_path) {
        Ok(f) => f,
        Err(e) => return failed(io_error(&e), None),
    };
    let size = f.metadata().map(|m| m.len()).ok();
    if let Some(size) = size.filter(|&s| s > opts.limits.max_file_bytes) {
        let e = crate::Error::TooLarge {
            size,
            limit: opts.limits.max_file_bytes,
        };
        return failed(
            EntryError {
                code: e.code().to_string(),
                message: e.to_string(),
            },
            Some(size),
        );
    }
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                hash.update(&buf[..n]);
                total += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return failed(io_error(&e), size),
        }
    }
    Hashed {
        sha256: Some(output::hex(&hash.finalize())),
        bytes: Some(total),
        error: None,
    }
}

type Caught = std::thread::Result<crate::Result<Document>>;

/// A job for a parser thread: the parser, the bytes, the manifest path.
type Job = (Parser, Vec<u8>, String);

/// The parser thread a pool worker hands its files to.
struct Helper {
    jobs: std::sync::mpsc::Sender<Job>,
    results: std::sync::mpsc::Receiver<Caught>,
}

impl Helper {
    fn spawn() -> std::io::Result<Helper> {
        let (jobs, job_rx) = std::sync::mpsc::channel::<Job>();
        let (result_tx, results) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("yoshiki-parse".to_string())
            .spawn(move || {
                // Ends when its worker drops the sender (the pool ended, or
                // it gave up on this thread), or no one waits for results.
                while let Ok((parse, bytes, path)) = job_rx.recv() {
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(&bytes, &path)));
                    drop(bytes);
                    if result_tx.send(r).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Helper { jobs, results })
    }
}

thread_local! {
    static HELPER: std::cell::RefCell<Option<Helper>> = const { std::cell::RefCell::new(None) };
}

/// Parse on the worker's own parser thread and give up after `timeout`
/// (`Err(())`: the file fails with `timeout`), so a file that sends a reader
/// into a loop cannot hold a worker, and so the run, forever. Rust cannot
/// stop a thread: the one given up on is left to finish (or to end with the
/// process) and the worker starts a new one. Each worker keeps one parser
/// thread for the whole run (a thread per file would cost a malloc arena
/// each). A panic is caught on the parser thread and returned.
fn parse_with_timeout(parse: ParseFn, bytes: Vec<u8>, path: &str, timeout: Duration) -> Result<Caught, ()> {
    HELPER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let helper = match slot.take() {
            Some(h) => h,
            None => match Helper::spawn() {
                Ok(h) => h,
                Err(e) => return Ok(Ok(Err(crate::Error::Io(e)))),
            },
        };
        if helper
            .jobs
            .send((std::sync::Arc::clone(parse), bytes, path.to_string()))
            .is_err()
        {
            return Ok(Err(Box::new("the parser thread ended") as Box<dyn std::any::Any + Send>));
        }
        match helper.results.recv_timeout(timeout) {
            Ok(r) => {
                *slot = Some(helper);
                Ok(r)
            }
            // `helper` is dropped: the thread is abandoned.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(()),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                Ok(Err(Box::new("the parser thread ended") as Box<dyn std::any::Any + Send>))
            }
        }
    })
}

/// Phase 3: parse one document and spool it.
fn parse_one(
    input: &Input,
    sha: &str,
    parse: ParseFn,
    spool: &Spool,
    limits: &crate::limits::Limits,
    min_coverage: Option<f64>,
) -> Result<DocInfo, (EntryError, Option<Format>)> {
    // Never more than the limit, even if the file grew since it was hashed.
    let mut bytes = Vec::new();
    std::fs::File::open(&input.fs_path)
        .and_then(|f| f.take(limits.max_file_bytes.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|e| (io_error(&e), None))?;
    let format = crate::readers::guess_format(&bytes);
    if crate::parse::sha256_hex(&bytes) != sha {
        let e = EntryError {
            code: "changed".to_string(),
            message: "the file changed while it was being read; run again".to_string(),
        };
        return Err((e, format));
    }
    let timeout = limits.timeout;
    let mut doc = match parse_with_timeout(parse, bytes, &input.path, timeout) {
        Ok(Ok(Ok(doc))) => doc,
        Ok(Ok(Err(e))) => {
            let e = EntryError {
                code: e.code().to_string(),
                message: e.to_string(),
            };
            return Err((e, format));
        }
        Err(()) => {
            let e = crate::Error::Timeout(timeout.as_secs());
            let e = EntryError {
                code: e.code().to_string(),
                message: e.to_string(),
            };
            return Err((e, format));
        }
        Ok(Err(payload)) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let e = EntryError {
                code: "internal".to_string(),
                message: format!("internal error (a bug in yoshiki; please report it with the file): {what}"),
            };
            return Err((e, format));
        }
    };
    // Data files are the same whatever the inputs are called: the path is
    // in the manifest only.
    doc.source.path = String::new();
    doc.source.sha256 = sha.to_string();
    spool.put(&doc).map_err(|e| {
        let e = EntryError {
            code: "io".to_string(),
            message: format!("cannot write the work file: {e}"),
        };
        (e, format)
    })?;
    Ok(DocInfo::of(&doc, min_coverage))
}

fn entry(path: &str, hashed: &Hashed) -> Entry {
    Entry {
        path: path.to_string(),
        sha256: hashed.sha256.clone(),
        bytes: hashed.bytes,
        format: None,
        status: Status::Error,
        kind: None,
        ward: None,
        fiscal_year: None,
        output: None,
        warnings: 0,
        warning_codes: Vec::new(),
        error: hashed.error.clone(),
        coverage: None,
    }
}

fn fill(e: &mut Entry, sha: &str, info: &DocInfo) {
    e.format = Some(info.format);
    e.status = if info.warnings > 0 { Status::Warning } else { Status::Ok };
    e.kind = Some(info.kind);
    e.ward = info.ward.clone();
    e.fiscal_year = info.fiscal_year;
    e.output = Some(info.output(sha));
    e.warnings = info.warnings;
    e.warning_codes = info.codes.clone();
    e.error = None;
    e.coverage = Some(info.coverage);
}

/// `yoshiki convert INPUT... -o OUT`.
pub fn convert(cfg: &Config, parse: &Parser) -> Result<Summary, RunError> {
    let started = Instant::now();
    let pool = pool(cfg.jobs)?;
    let inputs = inputs::collect(&cfg.inputs, std::slice::from_ref(&cfg.out)).map_err(RunError::Usage)?;
    let out = OutDir::open(&cfg.out)?;
    let rep = Reporter::new(cfg.progress);
    let prev = previous(&out.path, &rep);
    let shard = cfg.shard.map(|s| s.to_string());
    if let Some(p) = prev.as_ref().and_then(|m| m.shard.as_ref())
        && Some(p) != shard.as_ref()
    {
        return Err(RunError::Usage(format!(
            "{}: holds the output of shard {p}; give each shard its own output directory",
            cfg.out.display()
        )));
    }

    let spool = Spool::new(&out.path, pool.current_num_threads())
        .map_err(|e| RunError::Failed(format!("{}: cannot write: {e}", out.path.display())))?;
    // Only the entries and what a document's group needs outlive this: the
    // inputs, hashes and parse results are dropped before writing.
    let (entries, docs) = hash_and_parse(cfg, inputs, parse, &pool, &rep, &spool);
    finish(&out, &pool, &rep, &spool, prev, shard, entries, docs, started)
}

/// Phases 2 and 3: the manifest entries of the inputs this run (shard)
/// takes, and what the run keeps of each document converted.
fn hash_and_parse(
    cfg: &Config,
    inputs: Vec<Input>,
    parse: ParseFn,
    pool: &rayon::ThreadPool,
    rep: &Reporter,
    spool: &Spool,
) -> (Vec<Entry>, BTreeMap<String, DocInfo>) {
    rep.phase("hashing", inputs.len());
    let hashed: Vec<Hashed> = pool.install(|| {
        inputs
            .par_iter()
            .map(|i| {
                let h = hash_input(i, &cfg.options);
                rep.bar.inc(1);
                h
            })
            .collect()
    });
    let kept: Vec<usize> = (0..inputs.len())
        .filter(|&i| {
            cfg.shard
                .is_none_or(|s| s.takes(hashed[i].sha256.as_deref(), &inputs[i].path))
        })
        .collect();
    // Each document once, under its first path.
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in &kept {
        match (&hashed[i].sha256, &hashed[i].error) {
            (Some(sha), None) => {
                first.entry(sha.as_str()).or_insert(i);
            }
            (_, Some(e)) => rep.say(format!("{}: {}", inputs[i].path, e.message)),
            (None, None) => {}
        }
    }

    rep.phase("converting", first.len());
    let jobs: Vec<(&str, usize)> = first.into_iter().collect();
    let parsed: Vec<Result<DocInfo, (EntryError, Option<Format>)>> = pool.install(|| {
        jobs.par_iter()
            .map(|&(sha, i)| {
                let r = parse_one(&inputs[i], sha, parse, spool, &cfg.options.limits, cfg.min_coverage);
                match &r {
                    Err((e, _)) => rep.say(format!("{}: {}", inputs[i].path, e.message)),
                    Ok(info) => {
                        if info.codes.iter().any(|c| c == UNASSIGNED) {
                            rep.say(format!(
                                "{}: warning: the document does not say its ward or fiscal year; written to {}",
                                inputs[i].path,
                                info.output(sha)
                            ));
                        }
                        if info.codes.iter().any(|c| c == LOW_COVERAGE) {
                            rep.say(format!(
                                "{}: warning: coverage {:.4} is below --min-coverage: {} of {} characters of content in fields (see the document's unplaced)",
                                inputs[i].path, info.coverage.ratio, info.coverage.placed, info.coverage.read
                            ));
                        }
                    }
                }
                rep.bar.inc(1);
                r
            })
            .collect()
    });
    let results: BTreeMap<&str, Result<DocInfo, (EntryError, Option<Format>)>> =
        jobs.iter().map(|(sha, _)| *sha).zip(parsed).collect();

    let mut entries = Vec::with_capacity(kept.len());
    for &i in &kept {
        let mut e = entry(&inputs[i].path, &hashed[i]);
        if let Some(sha) = hashed[i].sha256.as_deref().filter(|_| hashed[i].error.is_none()) {
            match results.get(sha) {
                Some(Ok(info)) => fill(&mut e, sha, info),
                Some(Err((err, format))) => {
                    e.format = *format;
                    e.error = Some(err.clone());
                }
                None => {}
            }
        }
        entries.push(e);
    }
    let docs = results
        .into_iter()
        .filter_map(|(sha, r)| r.ok().map(|info| (sha.to_string(), info)))
        .collect();
    (entries, docs)
}

/// Phases 4 and 5, shared by convert and merge.
#[allow(clippy::too_many_arguments)]
fn finish(
    out: &OutDir,
    pool: &rayon::ThreadPool,
    rep: &Reporter,
    spool: &Spool,
    prev: Option<Manifest>,
    shard: Option<String>,
    entries: Vec<Entry>,
    docs: BTreeMap<String, DocInfo>,
    started: Instant,
) -> Result<Summary, RunError> {
    enum Job {
        Group(String, i32, Vec<String>),
        Unassigned(String),
    }
    let mut groups: BTreeMap<(String, i32), Vec<(Kind, &str)>> = BTreeMap::new();
    let mut jobs = Vec::new();
    for (sha, info) in &docs {
        match (&info.ward, info.fiscal_year) {
            (Some(w), Some(y)) => groups.entry((w.clone(), y)).or_default().push((info.kind, sha)),
            _ => jobs.push(Job::Unassigned(sha.clone())),
        }
    }
    for ((code, year), mut members) in groups {
        members.sort();
        jobs.push(Job::Group(
            code,
            year,
            members.into_iter().map(|(_, s)| s.to_string()).collect(),
        ));
    }

    rep.phase("writing", jobs.len());
    let written: Vec<std::io::Result<(manifest::Output, Outcome)>> = pool.install(|| {
        jobs.par_iter()
            .map(|job| {
                let r = match job {
                    Job::Group(code, year, members) => write_group(&out.path, spool, code, *year, members),
                    Job::Unassigned(sha) => write_unassigned(&out.path, spool, sha),
                };
                rep.bar.inc(1);
                r
            })
            .collect()
    });
    let mut outputs = Vec::with_capacity(written.len());
    let mut summary = Summary::default();
    for r in written {
        let (o, outcome) = r.map_err(|e| RunError::Failed(format!("{}: cannot write: {e}", out.path.display())))?;
        match outcome {
            Outcome::Written => summary.written += 1,
            Outcome::Unchanged => summary.unchanged += 1,
        }
        outputs.push(o);
    }

    // Data files of the previous run that this one did not produce.
    let now: BTreeSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    for old in prev.iter().flat_map(|m| &m.outputs) {
        if manifest::is_data_path(&old.path) && !now.contains(old.path.as_str()) {
            match output::remove_stale(&out.path, &old.path) {
                Ok(true) => summary.removed += 1,
                Ok(false) => {}
                Err(e) => rep.say(format!("warning: {}: cannot remove: {e}", old.path)),
            }
        }
    }

    let manifest = Manifest::new(shard, entries, outputs);
    let (_, outcome) = output::write_json(&out.path.join("manifest.json"), &manifest)
        .map_err(|e| RunError::Failed(format!("{}: cannot write the manifest: {e}", out.path.display())))?;
    if outcome == Outcome::Written {
        summary.written += 1;
    } else {
        summary.unchanged += 1;
    }
    rep.bar.finish_and_clear();
    summary.inputs = manifest.counts.inputs;
    summary.converted = manifest.counts.ok + manifest.counts.warning;
    summary.with_warnings = manifest.counts.warning;
    summary.errors = manifest.counts.error;
    let mut lowest: Vec<(String, Coverage)> = manifest
        .inputs
        .iter()
        .filter_map(|e| e.coverage.map(|c| (e.path.clone(), c)))
        .collect();
    lowest.sort_by(|a, b| a.1.ratio.total_cmp(&b.1.ratio).then_with(|| a.0.cmp(&b.0)));
    lowest.truncate(LOWEST);
    summary.lowest = lowest;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn write_group(
    out: &Path,
    spool: &Spool,
    code: &str,
    year: i32,
    members: &[String],
) -> std::io::Result<(manifest::Output, Outcome)> {
    let rel = format!("{code}/{year}.json");
    let mut asm = crate::view::Assembler::new();
    let mut writer: Option<WardYearWriter<AtomicFile>> = None;
    for sha in members {
        let doc = spool.get(sha)?;
        if writer.is_none() {
            // The ward as the group's first document names it.
            let ward = doc.ward.clone().unwrap_or_else(|| Ward {
                code: code.to_string(),
                name: String::new(),
                romaji: String::new(),
            });
            let file = AtomicFile::create(&out.join(&rel))?;
            writer = Some(WardYearWriter::begin(file, &ward, year)?);
        }
        asm.add(&doc);
        if let Some(w) = writer.as_mut() {
            w.document(&doc)?;
        }
    }
    let (Some(w), Some((view, dis, warn))) = (writer, asm.finish()) else {
        return Err(std::io::Error::other(format!("{rel}: no documents")));
    };
    let (sha256, outcome) = w.finish(&view, &dis, &warn)?.finish()?;
    let o = manifest::Output {
        path: rel,
        sha256,
        ward: Some(code.to_string()),
        fiscal_year: Some(year),
        documents: members.to_vec(),
    };
    Ok((o, outcome))
}

fn write_unassigned(out: &Path, spool: &Spool, sha: &str) -> std::io::Result<(manifest::Output, Outcome)> {
    let doc = spool.get(sha)?;
    let rel = format!("unassigned/{sha}.json");
    let (sha256, outcome) = output::write_json(&out.join(&rel), &doc)?;
    let o = manifest::Output {
        path: rel,
        sha256,
        ward: doc.ward.map(|w| w.code),
        fiscal_year: doc.fiscal_year,
        documents: vec![sha.to_string()],
    };
    Ok((o, outcome))
}

/// `yoshiki merge SHARD_OUT... -o OUT`: the shards' outputs combined into
/// the tree and manifest one run over all their inputs gives.
pub fn merge(shards: &[PathBuf], out_path: &Path, jobs: usize, progress: bool) -> Result<Summary, RunError> {
    let started = Instant::now();
    let pool = pool(jobs)?;
    let mut manifests = Vec::with_capacity(shards.len());
    for dir in shards {
        match Manifest::read(dir) {
            Ok(Some(m)) => manifests.push(m),
            Ok(None) => {
                return Err(RunError::Usage(format!(
                    "{}: no manifest.json: not the output of yoshiki convert",
                    dir.display()
                )));
            }
            Err(e) => return Err(RunError::Usage(e)),
        }
    }
    check_shards(shards, &manifests)?;
    let canonical_out = out_path.canonicalize().ok();
    if canonical_out.is_some() && shards.iter().any(|s| s.canonicalize().ok() == canonical_out) {
        return Err(RunError::Usage(format!(
            "{}: the output directory is one of the shards; merge into a new directory",
            out_path.display()
        )));
    }

    let out = OutDir::open(out_path)?;
    let rep = Reporter::new(progress);
    let prev = previous(&out.path, &rep);
    let spool = Spool::new(&out.path, pool.current_num_threads())
        .map_err(|e| RunError::Failed(format!("{}: cannot write: {e}", out.path.display())))?;

    let files: Vec<(&Path, &manifest::Output)> = shards
        .iter()
        .zip(&manifests)
        .flat_map(|(dir, m)| m.outputs.iter().map(move |o| (dir.as_path(), o)))
        .collect();
    rep.phase("reading", files.len());
    let read: Vec<Result<Vec<(String, DocInfo)>, String>> = pool.install(|| {
        files
            .par_iter()
            .map(|(dir, o)| {
                let r = read_shard_output(dir, o, &spool);
                rep.bar.inc(1);
                r
            })
            .collect()
    });
    let mut docs: BTreeMap<String, DocInfo> = BTreeMap::new();
    for r in read {
        for (sha, info) in r.map_err(RunError::Failed)? {
            docs.entry(sha).or_insert(info);
        }
    }

    let mut entries: Vec<Entry> = manifests.into_iter().flat_map(|m| m.inputs).collect();
    entries.sort_by(|a, b| (&a.path, &a.sha256).cmp(&(&b.path, &b.sha256)));
    entries.dedup();
    for e in &entries {
        if let (Some(sha), Some(_)) = (&e.sha256, &e.output)
            && !docs.contains_key(sha)
        {
            return Err(RunError::Failed(format!(
                "{}: the manifests list it in {}, which no shard output holds",
                e.path,
                e.output.as_deref().unwrap_or_default()
            )));
        }
    }
    finish(&out, &pool, &rep, &spool, prev, None, entries, docs, started)
}

/// Shards given to merge must be all N shares of one split, each once; or
/// no split at all (outputs of unrelated runs, combined).
fn check_shards(dirs: &[PathBuf], manifests: &[Manifest]) -> Result<(), RunError> {
    let specs: Vec<Option<Shard>> = manifests
        .iter()
        .map(|m| m.shard.as_deref().and_then(|s| s.parse().ok()))
        .collect();
    if specs.iter().all(Option::is_none) {
        return Ok(());
    }
    let Some(n) = specs.iter().flatten().map(|s| s.n).next() else {
        return Ok(());
    };
    let mut seen = BTreeMap::new();
    for (dir, spec) in dirs.iter().zip(&specs) {
        match spec {
            None => {
                return Err(RunError::Usage(format!(
                    "{}: not a shard's output, but the others are shards of {n}",
                    dir.display()
                )));
            }
            Some(s) if s.n != n => {
                return Err(RunError::Usage(format!(
                    "{}: shard {s}, but the others are shards of {n}",
                    dir.display()
                )));
            }
            Some(s) => {
                if let Some(other) = seen.insert(s.k, dir) {
                    return Err(RunError::Usage(format!(
                        "{} and {}: both are shard {s}",
                        other.display(),
                        dir.display()
                    )));
                }
            }
        }
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| !seen.contains_key(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(RunError::Usage(format!(
            "missing shard {}: merge needs all {n} shards",
            missing.join(", ")
        )));
    }
    Ok(())
}

/// One data file of a shard: checked against its manifest, its documents
/// put in the spool.
fn read_shard_output(dir: &Path, o: &manifest::Output, spool: &Spool) -> Result<Vec<(String, DocInfo)>, String> {
    let at = dir.join(&o.path);
    if !manifest::is_data_path(&o.path) {
        return Err(format!(
            "{}: the manifest lists {:?}, not a yoshiki data file",
            dir.display(),
            o.path
        ));
    }
    let bytes = std::fs::read(&at).map_err(|e| format!("{}: cannot read: {e}", at.display()))?;
    if crate::parse::sha256_hex(&bytes) != o.sha256 {
        return Err(format!(
            "{}: its sha256 is not the one in the manifest: the shard's output changed after it was written",
            at.display()
        ));
    }
    let bad = |e: serde_json::Error| format!("{}: not a yoshiki data file: {e}", at.display());
    let docs: Vec<Document> = if o.path.starts_with("unassigned/") {
        vec![serde_json::from_slice(&bytes).map_err(bad)?]
    } else {
        serde_json::from_slice::<crate::view::WardYearDocuments>(&bytes)
            .map_err(bad)?
            .documents
    };
    drop(bytes);
    let mut got = Vec::with_capacity(docs.len());
    for doc in docs {
        if !spool::is_sha256(&doc.source.sha256) {
            return Err(format!(
                "{}: a document's sha256 {:?} is not a sha256",
                at.display(),
                doc.source.sha256
            ));
        }
        spool
            .put(&doc)
            .map_err(|e| format!("{}: cannot write: {e}", dir.display()))?;
        got.push((doc.source.sha256.clone(), DocInfo::of(&doc, None)));
    }
    Ok(got)
}

#[cfg(test)]
mod tests;
