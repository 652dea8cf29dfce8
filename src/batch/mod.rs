//! Batch conversion: an archive in, one canonical JSON file per ward and
//! fiscal year out, with a manifest of every input (`yoshiki convert`), and
//! the merge of sharded runs (`yoshiki merge`).
//!
//! A run, in order:
//!
//! 1. **inputs** (`inputs.rs`): every file under the INPUT arguments, sorted
//!    by manifest path; links resolved, kernel interfaces and special files
//!    refused, the walk bounded.
//! 2. **open OUT** (`transaction.rs`): lock it (`lock.rs`) and finish any
//!    commit an interrupted run left.
//! 3. **hash**, in parallel: each file's sha256, read in blocks. A shard
//!    keeps the inputs its share of sha256s takes; copies of one document
//!    (same sha256 under several paths) are parsed once, under the first
//!    path, and listed under each.
//! 4. **parse**, in parallel (`--jobs`), each input in a worker process on
//!    the command line (`parsing.rs`, `worker.rs`: a timeout or a memory
//!    budget costs that input only): each document is put in the spool
//!    (`spool.rs`) as soon as it is done; memory keeps only its kind, ward,
//!    year and warning count.
//! 5. **stage**, in parallel over ward-year groups: each group file is
//!    streamed from its documents in the spool (`output.rs`), its merged
//!    view built by `crate::view`, into OUT's work folder; files whose bytes
//!    did not change are dropped.
//! 6. **commit** (`transaction.rs`): the changed files, the removal of data
//!    files the previous manifest listed that this run did not produce, and
//!    the manifest (`manifest.rs`) become OUT together, or not at all.
//!
//! One file's failure is an `error` entry in the manifest, never the end of
//! the run.

pub mod check;
pub mod fault;
pub mod fsx;
pub mod inputs;
pub mod lock;
pub mod manifest;
pub mod memory;
pub mod output;
pub mod parsing;
pub mod spool;
pub mod transaction;
pub mod worker;

use crate::model::{Coverage, Document, Format, Kind, Ward};
use crate::parse::Options;
use indicatif::{ProgressBar, ProgressStyle};
use inputs::{Input, Shard};
use manifest::{Archive, Entry, EntryError, Manifest, Status};
use output::WardYearWriter;
pub use parsing::{Parser, Parsing};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use spool::Spool;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use transaction::{MANIFEST, Op, Out, OutError};

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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DocInfo {
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
    fn of(doc: &Document) -> DocInfo {
        let mut codes: Vec<String> = doc.warnings.iter().map(|w| w.code.clone()).collect();
        let mut warnings = doc.warnings.len();
        if doc.ward.is_none() || doc.fiscal_year.is_none() {
            codes.push(UNASSIGNED.to_string());
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

    /// Under `--min-coverage`, a document below it: one more warning, code
    /// `low_coverage` (decided by the run, not the parser, so a worker
    /// process need not know the option).
    fn flag_low_coverage(&mut self, min: Option<f64>) {
        if min.is_some_and(|m| self.coverage.ratio < m) && !self.codes.iter().any(|c| c == LOW_COVERAGE) {
            self.codes.push(LOW_COVERAGE.to_string());
            self.codes.sort();
            self.warnings += 1;
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

impl From<OutError> for RunError {
    fn from(e: OutError) -> RunError {
        match e {
            OutError::Busy(m) => RunError::Usage(m),
            OutError::Failed(m) => RunError::Failed(m),
        }
    }
}

fn pool(jobs: usize) -> Result<rayon::ThreadPool, RunError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("yoshiki-{i}"))
        .build()
        .map_err(|e| RunError::Failed(format!("cannot start threads: {e}")))
}

/// The previous run's manifest and its sha256, if OUT has a readable one.
fn previous(out: &Out, rep: &Reporter) -> Option<(Manifest, String)> {
    match manifest::read_in(&out.root) {
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

use parsing::io_error;

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
    let mut f = match inputs::open(&input.fs_path) {
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
pub fn convert(cfg: &Config, parsing: &Parsing) -> Result<Summary, RunError> {
    let started = Instant::now();
    let pool = pool(cfg.jobs)?;
    let inputs =
        inputs::collect(&cfg.inputs, std::slice::from_ref(&cfg.out), &cfg.options.limits).map_err(RunError::Usage)?;
    let rep = Reporter::new(cfg.progress);
    let out = Out::open(&cfg.out, &|m| rep.say(m))?;
    let prev = previous(&out, &rep);
    let shard = cfg.shard.map(|s| s.to_string());
    if let Some(p) = prev.as_ref().and_then(|(m, _)| m.shard.as_ref())
        && Some(p) != shard.as_ref()
    {
        return Err(RunError::Usage(format!(
            "{}: holds the output of shard {p}; give each shard its own output directory",
            cfg.out.display()
        )));
    }

    let spool = Spool::new(out.work(), pool.current_num_threads()).map_err(|e| RunError::Failed(e.to_string()))?;
    // Only the entries and what a document's group needs outlive this: the
    // inputs, hashes and parse results are dropped before writing.
    let (archive, entries, docs) = hash_and_parse(cfg, inputs, parsing, &pool, &rep, &spool);
    finish(
        &out,
        &pool,
        &rep,
        &spool,
        prev,
        shard,
        Some(archive),
        entries,
        docs,
        started,
    )
}

/// Phases 3 and 4: the archive's identity, the manifest entries of the
/// inputs this run (shard) takes, and what the run keeps of each document
/// converted.
fn hash_and_parse(
    cfg: &Config,
    inputs: Vec<Input>,
    parsing: &Parsing,
    pool: &rayon::ThreadPool,
    rep: &Reporter,
    spool: &Spool,
) -> (Archive, Vec<Entry>, BTreeMap<String, DocInfo>) {
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
    let archive = Archive::of(
        inputs
            .iter()
            .zip(&hashed)
            .map(|(i, h)| (i.path.as_str(), h.sha256.as_deref())),
    );
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
    let parsers = parsing::Parsers::new(parsing, &cfg.options);
    let parsed: Vec<Result<DocInfo, parsing::Failure>> = pool.install(|| {
        jobs.par_iter()
            .map(|&(sha, i)| {
                let mut r = parsers.parse(&inputs[i], sha, spool, &cfg.options);
                if let Ok(info) = r.as_mut() {
                    info.flag_low_coverage(cfg.min_coverage);
                }
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
    drop(parsers);
    let results: BTreeMap<&str, Result<DocInfo, parsing::Failure>> =
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
    (archive, entries, docs)
}

/// Phases 5 and 6, shared by convert and merge.
#[allow(clippy::too_many_arguments)]
fn finish(
    out: &Out,
    pool: &rayon::ThreadPool,
    rep: &Reporter,
    spool: &Spool,
    prev: Option<(Manifest, String)>,
    shard: Option<String>,
    archive: Option<Archive>,
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
    // What the previous manifest recorded of each file.
    let recorded: BTreeMap<&str, &str> = prev
        .iter()
        .flat_map(|(m, _)| &m.outputs)
        .map(|o| (o.path.as_str(), o.sha256.as_str()))
        .collect();
    let warn = |m: String| rep.say(format!("warning: {m}"));
    let failed = |e: std::io::Error| RunError::Failed(format!("{e}; nothing was changed"));

    rep.phase("writing", jobs.len());
    let written: Vec<std::io::Result<(manifest::Output, Option<Op>)>> = pool.install(|| {
        jobs.par_iter()
            .map(|job| {
                let r = match job {
                    Job::Group(code, year, members) => write_group(out, spool, code, *year, members),
                    Job::Unassigned(sha) => write_unassigned(out, spool, sha),
                }
                .and_then(|(o, sha)| {
                    let op = out.put(&o.path, &sha, recorded.get(o.path.as_str()).copied(), &warn)?;
                    Ok((o, op))
                });
                rep.bar.inc(1);
                r
            })
            .collect()
    });
    let mut outputs = Vec::with_capacity(written.len());
    let mut ops = Vec::new();
    for r in written {
        let (o, op) = r.map_err(failed)?;
        ops.extend(op);
        outputs.push(o);
    }

    // Data files of the previous run that this one did not produce: each
    // removed only if its bytes are the ones recorded.
    let now: BTreeSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    for old in prev.iter().flat_map(|(m, _)| &m.outputs) {
        if manifest::is_data_path(&old.path) && !now.contains(old.path.as_str()) {
            ops.extend(out.remove(&old.path, &old.sha256, &warn));
        }
    }
    let listed: BTreeSet<&str> = now.iter().copied().chain(recorded.keys().copied()).collect();
    check::warn_unlisted(&out.root, &listed, &warn);

    let manifest = Manifest::new(shard, archive, entries, outputs);
    let mut staged = out.stage(MANIFEST).map_err(failed)?;
    output::write_json(&mut staged, &manifest).map_err(failed)?;
    let (_, sha) = staged.finish().map_err(failed)?;
    let prev_sha = prev.as_ref().map(|(_, s)| s.as_str());
    ops.extend(out.put(MANIFEST, &sha, prev_sha, &warn).map_err(failed)?);

    let mut summary = Summary::default();
    for op in &ops {
        match op {
            Op::Put { .. } => summary.written += 1,
            Op::Remove { .. } => summary.removed += 1,
        }
    }
    summary.unchanged = manifest.outputs.len() + 1 - summary.written;
    out.commit(ops, &|m| rep.say(m))?;
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

/// Stage one ward-year file: its path and its bytes' sha256.
fn write_group(
    out: &Out,
    spool: &Spool,
    code: &str,
    year: i32,
    members: &[String],
) -> std::io::Result<(manifest::Output, String)> {
    let rel = format!("{code}/{year}.json");
    let mut asm = crate::view::Assembler::new();
    let mut writer: Option<WardYearWriter<transaction::Staged>> = None;
    for sha in members {
        let doc = spool.get(sha)?;
        if writer.is_none() {
            // The ward as the group's first document names it.
            let ward = doc.ward.clone().unwrap_or_else(|| Ward {
                code: code.to_string(),
                name: String::new(),
                romaji: String::new(),
            });
            let file = out.stage(&rel)?;
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
    let (_, sha256) = w.finish(&view, &dis, &warn)?.finish()?;
    let o = manifest::Output {
        path: rel,
        sha256: sha256.clone(),
        ward: Some(code.to_string()),
        fiscal_year: Some(year),
        documents: members.to_vec(),
    };
    Ok((o, sha256))
}

fn write_unassigned(out: &Out, spool: &Spool, sha: &str) -> std::io::Result<(manifest::Output, String)> {
    let doc = spool.get(sha)?;
    let rel = format!("unassigned/{sha}.json");
    let mut staged = out.stage(&rel)?;
    output::write_json(&mut staged, &doc)?;
    let (_, sha256) = staged.finish()?;
    let o = manifest::Output {
        path: rel,
        sha256: sha256.clone(),
        ward: doc.ward.map(|w| w.code),
        fiscal_year: doc.fiscal_year,
        documents: vec![sha.to_string()],
    };
    Ok((o, sha256))
}

/// `yoshiki merge SHARD_OUT... -o OUT`: the shards' outputs combined into
/// the tree and manifest one run over all their inputs gives.
pub fn merge(shards: &[PathBuf], out_path: &Path, jobs: usize, progress: bool) -> Result<Summary, RunError> {
    let started = Instant::now();
    let pool = pool(jobs)?;
    let rep = Reporter::new(progress);
    // Each shard held for reading (no commit applies while it is read).
    let mut readings = Vec::with_capacity(shards.len());
    let mut manifests = Vec::with_capacity(shards.len());
    for dir in shards {
        let reading = transaction::read(dir, &|m| rep.say(m)).map_err(|e| match e {
            OutError::Busy(m) | OutError::Failed(m) => RunError::Usage(m),
        })?;
        match manifest::read_in(&reading.root) {
            Ok(Some((m, _))) => manifests.push(m),
            Ok(None) => {
                return Err(RunError::Usage(format!(
                    "{}: no manifest.json: not the output of yoshiki convert",
                    dir.display()
                )));
            }
            Err(e) => return Err(RunError::Usage(e)),
        }
        readings.push(reading);
    }
    let archive = check_shards(shards, &manifests)?;
    let canonical_out = out_path.canonicalize().ok();
    if canonical_out.is_some() && shards.iter().any(|s| s.canonicalize().ok() == canonical_out) {
        return Err(RunError::Usage(format!(
            "{}: the output directory is one of the shards; merge into a new directory",
            out_path.display()
        )));
    }

    let out = Out::open(out_path, &|m| rep.say(m))?;
    let prev = previous(&out, &rep);
    let spool = Spool::new(out.work(), pool.current_num_threads()).map_err(|e| RunError::Failed(e.to_string()))?;

    let shas: Vec<std::collections::HashSet<&str>> = manifests
        .iter()
        .map(|m| m.inputs.iter().filter_map(|e| e.sha256.as_deref()).collect())
        .collect();
    let files: Vec<(&fsx::Dir, &std::collections::HashSet<&str>, &manifest::Output)> = readings
        .iter()
        .zip(&manifests)
        .zip(&shas)
        .flat_map(|((r, m), s)| m.outputs.iter().map(move |o| (&r.root, s, o)))
        .collect();
    rep.phase("reading", files.len());
    let read: Vec<Result<Vec<(String, DocInfo)>, String>> = pool.install(|| {
        files
            .par_iter()
            .map(|(dir, m, o)| {
                let r = read_shard_output(dir, m, o, &spool);
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

    drop(files);
    drop(shas);
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
    let archive =
        archive.unwrap_or_else(|| Archive::of(entries.iter().map(|e| (e.path.as_str(), e.sha256.as_deref()))));
    drop(readings);
    finish(
        &out,
        &pool,
        &rep,
        &spool,
        prev,
        None,
        Some(archive),
        entries,
        docs,
        started,
    )
}

/// Shards given to merge must be all N shares of one split of one archive,
/// each once, each holding only the inputs its share takes, together all
/// the archive's inputs; or no split at all (outputs of unrelated runs,
/// combined). Returns the archive's identity for a split.
fn check_shards(dirs: &[PathBuf], manifests: &[Manifest]) -> Result<Option<Archive>, RunError> {
    let specs: Vec<Option<Shard>> = manifests
        .iter()
        .map(|m| m.shard.as_deref().and_then(|s| s.parse().ok()))
        .collect();
    let Some(n) = specs.iter().flatten().map(|s| s.n).next() else {
        return Ok(None);
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
    // One archive: the same identity in every shard.
    let mut archive: Option<&Archive> = None;
    for (dir, m) in dirs.iter().zip(manifests) {
        let Some(a) = &m.archive else {
            return Err(RunError::Usage(format!(
                "{}: its manifest records no archive identity (written by an older yoshiki); convert the shard again",
                dir.display()
            )));
        };
        match archive {
            None => archive = Some(a),
            Some(first) if first != a => {
                return Err(RunError::Usage(format!(
                    "{} and {}: shards of different archives ({} inputs, sha256 {}…, against {} inputs, sha256 \
                     {}…): give every shard the same INPUT arguments",
                    dirs[0].display(),
                    dir.display(),
                    first.inputs,
                    &first.sha256[..first.sha256.len().min(12)],
                    a.inputs,
                    &a.sha256[..a.sha256.len().min(12)]
                )));
            }
            Some(_) => {}
        }
    }
    // Each input in the shard its sha256 puts it in.
    for ((dir, m), spec) in dirs.iter().zip(manifests).zip(&specs) {
        let Some(s) = spec else { continue };
        if let Some(e) = m.inputs.iter().find(|e| !s.takes(e.sha256.as_deref(), &e.path)) {
            return Err(RunError::Usage(format!(
                "{}: says it is shard {s}, but holds {} ({}), which belongs to another shard: the manifest was \
                 changed or mislabelled",
                dir.display(),
                e.path,
                e.sha256.as_deref().unwrap_or("unreadable")
            )));
        }
    }
    // Together, exactly the archive's inputs.
    let archive = archive.cloned();
    if let Some(a) = &archive {
        let all = Archive::of(
            manifests
                .iter()
                .flat_map(|m| &m.inputs)
                .map(|e| (e.path.as_str(), e.sha256.as_deref())),
        );
        if &all != a {
            return Err(RunError::Usage(format!(
                "the shards hold {} inputs, but their archive has {}{}: a shard's manifest was changed",
                all.inputs,
                a.inputs,
                if all.inputs == a.inputs { " (other ones)" } else { "" }
            )));
        }
    }
    Ok(archive)
}

/// One data file of a shard: checked against its manifest, its documents
/// (each one of the shard's inputs) put in the spool.
fn read_shard_output(
    dir: &fsx::Dir,
    inputs: &std::collections::HashSet<&str>,
    o: &manifest::Output,
    spool: &Spool,
) -> Result<Vec<(String, DocInfo)>, String> {
    let at = dir.join(&o.path);
    if !manifest::is_data_path(&o.path) {
        return Err(format!(
            "{}: the manifest lists {:?}, not a yoshiki data file",
            dir.path().display(),
            o.path
        ));
    }
    let (dirs, name) = fsx::split(&o.path);
    let mut bytes = Vec::new();
    dir.walk(&dirs)
        .and_then(|d| d.open_read(name))
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read: {e}"))?;
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
        let sha = &doc.source.sha256;
        if !spool::is_sha256(sha) {
            return Err(format!("{}: a document's sha256 {sha:?} is not a sha256", at.display()));
        }
        if !inputs.contains(sha.as_str()) {
            return Err(format!(
                "{}: holds document {sha}, which is none of the shard's inputs",
                at.display()
            ));
        }
        spool
            .put(&doc)
            .map_err(|e| format!("{}: cannot write: {e}", at.display()))?;
        got.push((sha.clone(), DocInfo::of(&doc)));
    }
    Ok(got)
}

#[cfg(test)]
mod tests;
