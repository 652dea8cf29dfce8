//! Worker processes: where the command line's parses run (see
//! `parsing.rs` for why).
//!
//! A worker is this binary run as `yoshiki __worker`, talking over its
//! stdin and stdout in frames (an 8-byte little-endian length, then the
//! bytes):
//!
//! 1. the run sends the parse options (JSON: `--ward`, `--year`, the
//!    limits, the memory budget), once;
//! 2. then, per input, a job (JSON: where to read it, its manifest path,
//!    the sha256 it was hashed to); the worker reads the file itself
//!    (nothing large crosses the pipe inwards), parses it and answers with
//!    a reply (JSON: what the run keeps of the document, or the error), and
//!    for a document a second frame: its compact JSON, which goes into the
//!    spool as it is. (An input with no file of its own — a member of an
//!    input archive — would travel as bytes in its job instead.)
//!
//! A worker lives for the whole run (the recogniser's start-up is paid once
//! per worker, not per file) unless its parse used a lot of memory: then it
//! says so in the reply and exits, so the memory goes back to the system,
//! and the next file starts a fresh one. One that does not answer within
//! `--timeout` is killed; one that ends without answering ran out of its
//! memory budget (its exit code says so: `memory.rs`) or crashed.

use super::DocInfo;
use super::inputs::Input;
use super::manifest::EntryError;
use super::memory;
use super::parsing::{Failure, entry_error, internal, panic_message, read_input, settle};
use super::spool::Spool;
use crate::model::Format;
use crate::parse::Options;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The hidden subcommand that runs a worker.
pub const SUBCOMMAND: &str = "__worker";

/// A worker whose parse had more than this live retires after it.
const RETIRE_AFTER_PEAK: u64 = 256 << 20;

/// Largest frame read (a document's JSON is far below it; a larger length
/// is a broken pipe, not a document).
const MAX_FRAME: u64 = 16 << 30;

fn write_frame(w: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(bytes)?;
    w.flush()
}

/// The next frame, or `None` at the end of the stream.
fn read_frame(r: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {len} bytes"),
        ));
    }
    let mut buf = Vec::new();
    r.take(len).read_to_end(&mut buf)?;
    if buf.len() as u64 != len {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "a frame cut short"));
    }
    Ok(Some(buf))
}

#[derive(Serialize, Deserialize)]
struct Job {
    /// The file's path as the system spells it (bytes on Unix).
    #[cfg(unix)]
    fs_path: Vec<u8>,
    #[cfg(not(unix))]
    fs_path: String,
    path: String,
    sha256: String,
}

#[derive(Serialize, Deserialize)]
enum Reply {
    /// A document; its JSON follows in the next frame.
    Document { info: DocInfo, retire: bool },
    Failed {
        error: EntryError,
        format: Option<Format>,
        retire: bool,
    },
}

#[cfg(unix)]
fn path_bytes(p: &std::path::Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_of(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}

/// `yoshiki __worker`: serve jobs until stdin ends. Returns the exit code.
pub fn serve() -> i32 {
    // A panic is the input's `internal` error, sent in the reply; nothing
    // is printed (stdout is the channel, stderr the user's).
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {l}")).unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = format!("{}{at}", panic_message(info.payload())));
    }));
    die_with_the_run();
    let mut input = io::stdin().lock();
    let mut output = io::stdout().lock();
    let opts: Options = match read_frame(&mut input).map(|f| f.map(|b| serde_json::from_slice(&b))) {
        Ok(Some(Ok(o))) => o,
        _ => return 2,
    };
    memory::start(opts.limits.max_memory);
    loop {
        let job: Job = match read_frame(&mut input) {
            Ok(Some(b)) => match serde_json::from_slice(&b) {
                Ok(j) => j,
                Err(_) => return 2,
            },
            Ok(None) => return 0,
            Err(_) => return 2,
        };
        memory::reset_peak();
        let (reply, doc) = run_job(job, &opts);
        let retire = memory::peak() > RETIRE_AFTER_PEAK;
        let reply = match reply {
            Reply::Document { info, .. } => Reply::Document { info, retire },
            Reply::Failed { error, format, .. } => Reply::Failed { error, format, retire },
        };
        let sent = serde_json::to_vec(&reply)
            .map_err(io::Error::other)
            .and_then(|r| write_frame(&mut output, &r))
            .and_then(|()| doc.map_or(Ok(()), |d| write_frame(&mut output, &d)));
        if sent.is_err() || retire {
            return 0;
        }
    }
}

/// The environment variable that gives a worker its run's process id.
const PARENT: &str = "YOSHIKI_WORKER_PARENT";

/// A worker of a run that was killed ends too (Linux), rather than finish
/// a parse no one will read.
fn die_with_the_run() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl(PR_SET_PDEATHSIG) and getppid have no memory effects.
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        }
        let parent = std::env::var(PARENT).ok().and_then(|p| p.parse::<i32>().ok());
        // SAFETY: as above.
        if parent.is_some_and(|p| p != unsafe { libc::getppid() }) {
            // The run ended before the signal was asked for.
            std::process::exit(0);
        }
    }
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn run_job(job: Job, opts: &Options) -> (Reply, Option<Vec<u8>>) {
    let failed = |(error, format): Failure| {
        (
            Reply::Failed {
                error,
                format,
                retire: false,
            },
            None,
        )
    };
    #[cfg(unix)]
    let fs_path = path_of(job.fs_path);
    #[cfg(not(unix))]
    let fs_path = PathBuf::from(job.fs_path);
    let input = Input {
        fs_path,
        path: job.path,
        walk_error: None,
    };
    let bytes = match read_input(&input, &job.sha256, opts.limits.max_file_bytes) {
        Ok(b) => b,
        Err(f) => return failed(f),
    };
    let format = crate::readers::guess_format(&bytes);
    let parsed = std::panic::catch_unwind(|| crate::parse::parse_bytes(&bytes, &input.path, opts));
    drop(bytes);
    let mut doc = match parsed {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return failed((entry_error(&e), format)),
        Err(_) => return failed((internal(&LAST_PANIC.with(|p| p.borrow().clone())), format)),
    };
    settle(&mut doc, &job.sha256);
    let info = DocInfo::of(&doc);
    match serde_json::to_vec(&doc) {
        Ok(json) => (Reply::Document { info, retire: false }, Some(json)),
        Err(e) => failed((internal(&e.to_string()), format)),
    }
}

/// A worker process, from the run's side.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    frames: Receiver<io::Result<Vec<u8>>>,
}

impl Worker {
    fn spawn(program: &std::path::Path, setup: &[u8]) -> io::Result<Worker> {
        let mut child = Command::new(program)
            .arg(SUBCOMMAND)
            .env(PARENT, std::process::id().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("{}: cannot start a worker: {e}", program.display())))?;
        let (Some(mut stdin), Some(mut stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("a worker without pipes"));
        };
        let (tx, frames) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("yoshiki-worker-pipe".to_string())
            .spawn(move || {
                loop {
                    match read_frame(&mut stdout) {
                        Ok(Some(f)) => {
                            if tx.send(Ok(f)).is_err() {
                                break;
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            break;
                        }
                    }
                }
            })?;
        write_frame(&mut stdin, setup)?;
        Ok(Worker { child, stdin, frames })
    }

    /// Kill it and collect it (its memory goes back now).
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Why it ended without answering.
    fn died(mut self, budget: u64) -> EntryError {
        let status = self.child.wait();
        match status.as_ref().ok().and_then(|s| s.code()) {
            Some(memory::EXIT_OVER_BUDGET) => entry_error(&crate::Error::OutOfMemory { budget: Some(budget) }),
            Some(memory::EXIT_NO_MEMORY) => entry_error(&crate::Error::OutOfMemory { budget: None }),
            _ => {
                let how = match status {
                    Ok(s) => describe(&s),
                    Err(e) => e.to_string(),
                };
                internal(&format!("the parser process ended ({how})"))
            }
        }
    }
}

fn describe(s: &std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = s.signal() {
            return format!("signal {sig}");
        }
    }
    s.to_string()
}

/// The run's workers: one per pool thread at most, reused.
pub struct Pool {
    program: PathBuf,
    setup: Vec<u8>,
    budget: u64,
    timeout: Duration,
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    pub fn new(program: PathBuf, opts: Options) -> Pool {
        Pool {
            program,
            setup: serde_json::to_vec(&opts).unwrap_or_default(),
            budget: opts.limits.max_memory,
            timeout: opts.limits.timeout,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Parse one input in a worker and spool it.
    pub fn parse(&self, input: &Input, sha: &str, spool: &Spool) -> Result<DocInfo, Failure> {
        let worker = self.idle.lock().ok().and_then(|mut v| v.pop());
        let mut worker = match worker {
            Some(w) => w,
            None => Worker::spawn(&self.program, &self.setup).map_err(|e| (internal(&e.to_string()), None))?,
        };
        #[cfg(unix)]
        let fs_path = path_bytes(&input.fs_path);
        #[cfg(not(unix))]
        let fs_path = input.fs_path.to_string_lossy().into_owned();
        let job = Job {
            fs_path,
            path: input.path.clone(),
            sha256: sha.to_string(),
        };
        let sent = serde_json::to_vec(&job)
            .map_err(io::Error::other)
            .and_then(|j| write_frame(&mut worker.stdin, &j));
        if sent.is_err() {
            return Err((worker.died(self.budget), None));
        }
        let deadline = Instant::now() + self.timeout;
        let next = |w: &Worker| {
            w.frames
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        };
        let reply = match next(&worker) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => return Err((worker.died(self.budget), None)),
            Err(RecvTimeoutError::Timeout) => {
                worker.kill();
                return Err((entry_error(&crate::Error::Timeout(self.timeout.as_secs())), None));
            }
        };
        let reply: Reply = match serde_json::from_slice(&reply) {
            Ok(r) => r,
            Err(e) => {
                worker.kill();
                return Err((internal(&format!("a worker's reply does not read: {e}")), None));
            }
        };
        let (result, retire) = match reply {
            Reply::Failed { error, format, retire } => (Err((error, format)), retire),
            Reply::Document { info, retire } => {
                let json = match next(&worker) {
                    Ok(Ok(json)) => json,
                    _ => return Err((worker.died(self.budget), Some(info.format))),
                };
                let stored = spool.put_bytes(sha, &json).map_err(|e| {
                    let e = EntryError {
                        code: "io".to_string(),
                        message: format!("cannot write the work file: {e}"),
                    };
                    (e, Some(info.format))
                });
                (stored.map(|()| info), retire)
            }
        };
        if retire {
            drop(worker.stdin);
            let mut child = worker.child;
            let _ = child.wait();
        } else if let Ok(mut idle) = self.idle.lock() {
            idle.push(worker);
        }
        result
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let workers = match self.idle.get_mut() {
            Ok(v) => std::mem::take(v),
            Err(_) => return,
        };
        for w in workers {
            // End of input: the worker exits.
            drop(w.stdin);
            let mut child = w.child;
            let _ = child.wait();
        }
    }
}
