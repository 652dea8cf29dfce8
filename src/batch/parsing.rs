//! Where a run's parses happen, and how one that hangs, panics or runs out
//! of memory costs its own input only.
//!
//! * [`Parsing::Workers`] (the command line): each pool thread hands its
//!   files to a worker process of its own (`worker.rs`), started once and
//!   reused. A parse that passes `--timeout` is killed with its process, so
//!   its memory goes back at once; one that passes `--max-memory` ends its
//!   process and fails with `too_large`; a crash (a stack overflow, a
//!   reader that aborts) is that input's `internal` error. The next file
//!   gets a new worker.
//! * [`Parsing::InProcess`] (the library, with any parser function; the
//!   tests' stand-in parsers): each pool thread parses on a parser thread
//!   of its own; a panic is caught, and a parse that passes the timeout is
//!   abandoned (Rust cannot stop a thread: it runs on until it ends or the
//!   process does, keeping its memory) and the pool thread starts another.

use super::inputs::Input;
use super::manifest::EntryError;
use super::spool::Spool;
use super::{DocInfo, worker};
use crate::model::{Document, Format};
use crate::parse::Options;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

/// A parser: the bytes of one file and its manifest path in, a Document out
/// (`crate::parse::parse_bytes` for the command line; tests give others).
pub type Parser = std::sync::Arc<dyn Fn(&[u8], &str) -> crate::Result<Document> + Send + Sync>;

/// How a run parses (see the module documentation).
#[derive(Clone)]
pub enum Parsing {
    InProcess(Parser),
    /// Worker processes running `program worker` (this binary).
    Workers {
        program: PathBuf,
    },
}

/// Why an input failed, and its format if the bytes told it.
pub type Failure = (EntryError, Option<Format>);

pub(super) fn entry_error(e: &crate::Error) -> EntryError {
    EntryError {
        code: e.code().to_string(),
        message: e.to_string(),
    }
}

pub(super) fn io_error(e: &std::io::Error) -> EntryError {
    EntryError {
        code: "io".to_string(),
        message: format!("cannot read: {e}"),
    }
}

/// The parsers of one run.
pub(super) enum Parsers {
    InProcess(Parser),
    Workers(worker::Pool),
}

impl Parsers {
    pub fn new(p: &Parsing, opts: &Options) -> Parsers {
        match p {
            Parsing::InProcess(f) => Parsers::InProcess(std::sync::Arc::clone(f)),
            Parsing::Workers { program } => Parsers::Workers(worker::Pool::new(program.clone(), opts.clone())),
        }
    }

    /// Parse one input whose bytes hashed to `sha`, and spool it.
    pub fn parse(&self, input: &Input, sha: &str, spool: &Spool, opts: &Options) -> Result<DocInfo, Failure> {
        match self {
            Parsers::InProcess(f) => parse_here(f, input, sha, spool, opts),
            Parsers::Workers(pool) => pool.parse(input, sha, spool),
        }
    }
}

/// Read an input for parsing: never more than the limit (even if the file
/// grew since it was hashed), and only if it still has the bytes it was
/// hashed with.
pub(crate) fn read_input(input: &Input, sha: &str, max: u64) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    super::inputs::open(&input.fs_path)
        .and_then(|f| f.take(max.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|e| (io_error(&e), None))?;
    let format = crate::readers::guess_format(&bytes);
    if crate::parse::sha256_hex(&bytes) != sha {
        let e = EntryError {
            code: "changed".to_string(),
            message: "the file changed while it was being read; run again".to_string(),
        };
        return Err((e, format));
    }
    Ok(bytes)
}

/// A panic's message.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

pub(crate) fn internal(what: &str) -> EntryError {
    EntryError {
        code: "internal".to_string(),
        message: format!("internal error (a bug in yoshiki; please report it with the file): {what}"),
    }
}

/// A parsed document as the run keeps it: the path emptied (data files are
/// the same whatever the inputs are called: the path is in the manifest
/// only), the sha256 the input's.
pub(crate) fn settle(doc: &mut Document, sha: &str) {
    doc.source.path = String::new();
    doc.source.sha256 = sha.to_string();
}

fn parse_here(parse: &Parser, input: &Input, sha: &str, spool: &Spool, opts: &Options) -> Result<DocInfo, Failure> {
    let bytes = read_input(input, sha, opts.limits.max_file_bytes)?;
    let format = crate::readers::guess_format(&bytes);
    let timeout = opts.limits.timeout;
    let mut doc = match parse_with_timeout(parse, bytes, &input.path, timeout) {
        Ok(Ok(Ok(doc))) => doc,
        Ok(Ok(Err(e))) => return Err((entry_error(&e), format)),
        Err(()) => return Err((entry_error(&crate::Error::Timeout(timeout.as_secs())), format)),
        Ok(Err(payload)) => return Err((internal(&panic_message(payload.as_ref())), format)),
    };
    settle(&mut doc, sha);
    spool.put(&doc).map_err(|e| {
        let e = EntryError {
            code: "io".to_string(),
            message: format!("cannot write the work file: {e}"),
        };
        (e, format)
    })?;
    Ok(DocInfo::of(&doc))
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

/// Parse on the pool thread's own parser thread and give up after
/// `timeout` (`Err(())`). Each pool thread keeps one parser thread for the
/// whole run (a thread per file would cost a malloc arena each).
fn parse_with_timeout(parse: &Parser, bytes: Vec<u8>, path: &str, timeout: Duration) -> Result<Caught, ()> {
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
