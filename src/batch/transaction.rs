//! OUT, changed as a transaction.
//!
//! A run's data files, the removal of the files it no longer produces, and
//! its manifest become visible all together or not at all — as SQLite
//! commits a change to a database file — and a run that finds an
//! interrupted commit completes it (or rolls it back) before anything else.
//!
//! # The layout of OUT
//!
//! ```text
//! OUT/
//!   manifest.json                 what the last commit wrote: every input, every data file and its sha256
//!   <ward code>/<fiscal year>.json data files (only names `manifest::is_data_path` accepts)
//!   unassigned/<sha256>.json
//!   .yoshiki/                     yoshiki's own state; nothing in it is output
//!     lock                        held by the run writing OUT (`lock.rs`); never deleted
//!     commit.lock                 held while a commit is applied; shared by readers
//!     journal.json                present only while a commit is being applied (the "hot journal")
//!     work-<pid>-<n>/             a run's scratch space, removed when it ends
//!       lock                      held by that run: a folder whose lock is free is a dead run's
//!       spool/                    converted documents (`spool.rs`)
//!       new/<path>                the files this run will put in OUT, complete and synced
//!       old/<path>                the files a commit replaced or removed, until it is complete
//!     cache/                      (for a parse cache: kept across runs, never output)
//! ```
//!
//! Anything else that should persist across runs (a cache) belongs in its
//! own folder under `.yoshiki/`, written through [`fsx::Dir`]. A run removes
//! the work folders of dead runs (their `lock` is free), never a live one's
//! — even one whose lock on OUT was taken from it by deleting the lock file:
//! that run stops at its commit (`lock.rs`) and cleans up after itself.
//!
//! # A commit
//!
//! 1. **Stage.** Every file of the run is written to `work/new/<path>` and
//!    synced. A file whose bytes OUT already holds is dropped; the others
//!    become `put` operations. A file the previous manifest lists and this
//!    run does not produce becomes a `remove` operation — only if its bytes
//!    are still the ones the manifest recorded; otherwise it is left alone
//!    with a warning. The manifest is the last `put`. Until here nothing
//!    visible has changed: a crash leaves the old tree, and the next run
//!    removes the dead run's work folder.
//! 2. **Journal.** The operations are written to `journal.json` (through a
//!    temporary name, synced, renamed, the folder synced). Its presence is
//!    the commit point: from here on the run's tree *is* OUT, and whoever
//!    finds the journal completes it.
//! 3. **Apply**, in order, each step repeatable: a `put` keeps a hard link
//!    to the file it replaces in `work/old/` and renames the staged file into
//!    place (one `rename`, so no reader sees half a file); a `remove`
//!    renames the file into `work/old/`. Folders are synced.
//! 4. **Complete.** Emptied data folders are removed, the journal is
//!    deleted (the end of the commit), then the work folder.
//!
//! If a step of 3 fails (a full disk, a folder without write permission),
//! the journal is turned around (`direction: backward`) and the steps
//! already taken are undone from `work/old/`: OUT is the old tree again and
//! the run fails naming the path. A run (or `validate`, `export`) that finds
//! a journal — the run that wrote it was killed — completes it forward, or,
//! when it was turned around or cannot be completed, rolls it back, before
//! it does anything else.
//!
//! Every step goes through `fsx::Dir` (no link inside OUT is followed), and
//! a file is removed or replaced only by a step that first reads its bytes.

use super::fault;
use super::fsx::{self, Dir, Kind, split};
use super::lock::{CommitLock, LockError, WriteLock};
use super::manifest;
use sha2::{Digest, Sha256};
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

/// yoshiki's state folder inside OUT.
pub const STATE: &str = ".yoshiki";
/// The hot journal, in `STATE`.
pub const JOURNAL: &str = "journal.json";
const JOURNAL_TMP: &str = "journal.json.tmp";
/// The prefix of a run's scratch folder, in `STATE`.
pub const WORK_PREFIX: &str = "work-";
/// The lock file in a work folder, held by its run.
const WORK_LOCK: &str = "lock";
/// A persistent cache's folder, in `STATE` (see the module documentation).
pub const CACHE: &str = "cache";
const NEW: &str = "new";
const OLD: &str = "old";
/// The manifest's name in OUT.
pub const MANIFEST: &str = "manifest.json";
/// The prefix of the temporary files yoshiki 0.1 made in OUT.
const LEGACY_TMP_PREFIX: &str = ".yoshiki-tmp-";
/// The lock file yoshiki 0.1 made in OUT.
const LEGACY_LOCK: &str = ".yoshiki.lock";

/// One change to OUT.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Put the staged `work/new/<path>` (bytes `new`) at `path`, where OUT
    /// held `old` (or nothing).
    Put {
        path: String,
        old: Option<String>,
        new: String,
    },
    /// Remove `path`, whose bytes are `old`.
    Remove { path: String, old: String },
}

impl Op {
    pub fn path(&self) -> &str {
        match self {
            Op::Put { path, .. } | Op::Remove { path, .. } => path,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Direction {
    Forward,
    Backward,
}

const JOURNAL_SCHEMA: &str = "yoshiki/journal/1";

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Journal {
    schema: String,
    direction: Direction,
    /// The work folder (in `STATE`) holding the staged and kept files.
    work: String,
    ops: Vec<Op>,
}

/// Why OUT could not be opened or committed.
#[derive(Debug)]
pub enum OutError {
    /// Another run holds OUT.
    Busy(String),
    Failed(String),
}

fn failed(e: io::Error) -> OutError {
    OutError::Failed(e.to_string())
}

/// OUT, held by this run: created, locked, any interrupted commit finished.
pub struct Out {
    pub root: Dir,
    state: Dir,
    work: Dir,
    work_name: String,
    /// Held for the run: the work folder is alive.
    _work_lock: std::fs::File,
    /// Always `Some` but in the tests' simulated crashes.
    lock: Option<WriteLock>,
}

impl Out {
    /// Open OUT for writing (see the module documentation). `say` gets
    /// what the user should know (a completed interrupted commit).
    pub fn open(path: &Path, say: &dyn Fn(String)) -> Result<Out, OutError> {
        let root = Dir::open_root(path).map_err(failed)?;
        let state = root.sub_create(STATE).map_err(failed)?;
        let lock = match WriteLock::acquire(&state) {
            Ok(l) => l,
            Err(LockError::Busy) => {
                return Err(OutError::Busy(format!(
                    "{}: another yoshiki run is writing there; give each run (each shard) its own output directory",
                    path.display()
                )));
            }
            Err(LockError::Io(e)) => return Err(failed(e)),
        };
        state.open_or_create(super::lock::COMMIT_LOCK).map_err(failed)?;
        remove_legacy(&root)?;
        if state.kind(JOURNAL).map_err(failed)?.is_some() {
            recover(&root, &state, say)?;
        }
        state.remove_all(JOURNAL_TMP).map_err(failed)?;
        remove_dead_work(&state, say).map_err(failed)?;
        let (work_name, work, work_lock) = new_work(&state).map_err(failed)?;
        Ok(Out {
            root,
            state,
            work,
            work_name,
            _work_lock: work_lock,
            lock: Some(lock),
        })
    }

    /// The scratch folder (for the spool).
    pub fn work(&self) -> &Dir {
        &self.work
    }

    /// A file to put at `rel` (a data path or the manifest), written to
    /// `work/new/` first.
    pub fn stage(&self, rel: &str) -> io::Result<Staged> {
        let (dirs, name) = split(rel);
        let d = self.work.sub_create(NEW)?.walk_create(&dirs)?;
        let f = d.create_new(name)?;
        Ok(Staged {
            rel: rel.to_string(),
            at: d.join(name),
            w: BufWriter::with_capacity(1 << 16, f),
            hash: Sha256::new(),
        })
    }

    /// The sha256 of the file OUT holds at `rel`, or `None`. A folder on
    /// the way that is a link (or not a folder), or a link or special file
    /// at `rel`, is an error naming it.
    pub fn current(&self, rel: &str) -> io::Result<Option<String>> {
        let (dirs, name) = split(rel);
        let d = if dirs.is_empty() {
            self.root.sub(".")?
        } else {
            match self.root.walk(&dirs) {
                Ok(d) => d,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e),
            }
        };
        d.hash(name)
    }

    /// The change that puts a staged file (`rel` with bytes `sha`): `None`
    /// when OUT already holds these bytes (the staged copy is dropped).
    /// `recorded` is the sha256 the previous manifest lists for `rel`; a
    /// file there with other bytes is replaced, with a warning.
    pub fn put(&self, rel: &str, sha: &str, recorded: Option<&str>, warn: &dyn Fn(String)) -> io::Result<Option<Op>> {
        let current = self.current(rel)?;
        if current.as_deref() == Some(sha) {
            let (dirs, name) = split(rel);
            let mut d = vec![NEW];
            d.extend(dirs);
            self.work.walk(&d)?.unlink(name)?;
            return Ok(None);
        }
        if let Some(c) = &current
            && Some(c.as_str()) != recorded
        {
            warn(format!(
                "{}: its bytes are not those the manifest records (changed since yoshiki wrote it); replaced",
                self.root.join(rel).display()
            ));
        }
        Ok(Some(Op::Put {
            path: rel.to_string(),
            old: current,
            new: sha.to_string(),
        }))
    }

    /// The change that removes `rel`, a file the previous manifest lists
    /// with bytes `recorded`: `None` when it is gone, and when its bytes
    /// are not those (then it is not yoshiki's to remove: it stays, with a
    /// warning), or it cannot be reached without following a link.
    pub fn remove(&self, rel: &str, recorded: &str, warn: &dyn Fn(String)) -> Option<Op> {
        match self.current(rel) {
            Ok(None) => None,
            Ok(Some(c)) if c == recorded => Some(Op::Remove {
                path: rel.to_string(),
                old: c,
            }),
            Ok(Some(_)) => {
                warn(format!(
                    "{}: not removed: its bytes are not those yoshiki wrote (changed since); remove it yourself if \
                     it is not needed",
                    self.root.join(rel).display()
                ));
                None
            }
            Err(e) => {
                warn(format!("{e}; not removed"));
                None
            }
        }
    }

    /// Commit `ops` (see the module documentation). On failure OUT is the
    /// old tree (or, if even the roll-back failed, a journal the next run
    /// finishes), and the error names the path.
    pub fn commit(&self, ops: Vec<Op>, say: &dyn Fn(String)) -> Result<(), OutError> {
        if ops.is_empty() {
            return Ok(());
        }
        let check = || match &self.lock {
            Some(l) => l.check(&self.state).map_err(failed),
            None => Err(OutError::Failed("not locked".to_string())),
        };
        check()?;
        let _commit = CommitLock::exclusive(&self.state, say).map_err(failed)?;
        check()?;
        fault::point("commit")
            .map_err(|e| fsx::at(self.root.path(), e))
            .map_err(failed)?;
        let mut journal = Journal {
            schema: JOURNAL_SCHEMA.to_string(),
            direction: Direction::Forward,
            work: self.work_name.clone(),
            ops,
        };
        write_journal(&self.state, &journal).map_err(failed)?;
        let done = forward(&self.root, Some(&self.work), &journal.ops);
        let Err((e, applied)) = done else {
            return complete(&self.root, &self.state, &journal).map_err(|e| {
                OutError::Failed(format!(
                    "{e}: the run's changes are in place, but its commit could not be finished; the next run (or \
                     `yoshiki validate {}`) finishes it",
                    self.root.path().display()
                ))
            });
        };
        // Undo what was applied.
        journal.direction = Direction::Backward;
        let undone = write_journal(&self.state, &journal)
            .and_then(|()| backward(&self.root, Some(&self.work), &journal.ops[..applied]))
            .and_then(|()| complete(&self.root, &self.state, &journal));
        match undone {
            Ok(()) => Err(OutError::Failed(format!(
                "{e}; nothing was changed (the run's changes were rolled back)"
            ))),
            Err(e2) => Err(OutError::Failed(format!(
                "{e}; rolling back failed too ({e2}): the next run (or `yoshiki validate {}`) will finish it",
                self.root.path().display()
            ))),
        }
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        // The spool and anything staged; a killed run's is removed by the next.
        let _ = self.state.remove_all(&self.work_name);
    }
}

/// Remove the work folders of runs that are not running (their lock is
/// free, or they have none), and, from older versions, `work/`.
fn remove_dead_work(state: &Dir, say: &dyn Fn(String)) -> io::Result<()> {
    for (name, kind) in state.entries()? {
        let Some(name) = name.to_str() else { continue };
        if name == "work" {
            state.remove_all(name)?;
            continue;
        }
        if !name.starts_with(WORK_PREFIX) || kind != Kind::Dir {
            continue;
        }
        let d = state.sub(name)?;
        let alive = match d.open_read(WORK_LOCK) {
            Ok(f) => f.try_lock().is_err(),
            Err(_) => false,
        };
        if alive {
            say(format!(
                "{}: warning: the work folder of a yoshiki run that is still running; left alone",
                state.join(name).display()
            ));
        } else {
            state.remove_all(name)?;
        }
    }
    Ok(())
}

/// This run's work folder, created and locked.
fn new_work(state: &Dir) -> io::Result<(String, Dir, std::fs::File)> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    for attempt in 0..100u32 {
        let name = format!("{WORK_PREFIX}{}-{stamp}-{attempt}", std::process::id());
        match state.mkdir(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
        let d = state.sub(&name)?;
        let lock = d.open_or_create(WORK_LOCK)?;
        lock.try_lock()
            .map_err(|e| io::Error::other(format!("{}: cannot lock: {e}", d.join(WORK_LOCK).display())))?;
        return Ok((name, d, lock));
    }
    Err(io::Error::other(format!(
        "{}: cannot make a work folder",
        state.path().display()
    )))
}

/// A staged file being written; its bytes are hashed as they go. Its
/// errors name it.
pub struct Staged {
    rel: String,
    at: std::path::PathBuf,
    w: BufWriter<std::fs::File>,
    hash: Sha256,
}

impl Staged {
    /// Flush and sync; the path and the bytes' sha256.
    pub fn finish(self) -> io::Result<(String, String)> {
        let at = self.at;
        let f = self.w.into_inner().map_err(|e| fsx::at(&at, e.into_error()))?;
        f.sync_all().map_err(|e| fsx::at(&at, e))?;
        fault::point("stage").map_err(|e| fsx::at(&at, e))?;
        Ok((self.rel, super::output::hex(&self.hash.finalize())))
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.w.write(buf).map_err(|e| fsx::at(&self.at, e))?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush().map_err(|e| fsx::at(&self.at, e))
    }
}

fn write_journal(state: &Dir, j: &Journal) -> io::Result<()> {
    state.remove_all(JOURNAL_TMP)?;
    let mut f = state.create_new(JOURNAL_TMP)?;
    let bytes = serde_json::to_vec_pretty(j).map_err(io::Error::other)?;
    f.write_all(&bytes).map_err(|e| fsx::at(&state.join(JOURNAL_TMP), e))?;
    f.sync_all().map_err(|e| fsx::at(&state.join(JOURNAL_TMP), e))?;
    fault::point("journal-written")?;
    state.rename(JOURNAL_TMP, state, JOURNAL)?;
    state.sync()?;
    fault::point("journal")
}

fn read_journal(state: &Dir) -> Result<Journal, String> {
    let path = state.join(JOURNAL);
    let mut bytes = Vec::new();
    state
        .open_read(JOURNAL)
        .and_then(|f| f.take(64 << 20).read_to_end(&mut bytes))
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let j: Journal = serde_json::from_slice(&bytes).map_err(|e| format!("{}: damaged: {e}", path.display()))?;
    if j.schema != JOURNAL_SCHEMA {
        return Err(format!(
            "{}: schema {:?}, this yoshiki reads {JOURNAL_SCHEMA:?}",
            path.display(),
            j.schema
        ));
    }
    if !(j.work.starts_with(WORK_PREFIX) && !j.work.contains(['/', '\\']) && j.work != "..") {
        return Err(format!(
            "{}: damaged: it names the work folder {:?}",
            path.display(),
            j.work
        ));
    }
    if let Some(op) = j
        .ops
        .iter()
        .find(|op| !(manifest::is_data_path(op.path()) || op.path() == MANIFEST))
    {
        return Err(format!(
            "{}: damaged: it names {:?}, not a file yoshiki writes",
            path.display(),
            op.path()
        ));
    }
    Ok(j)
}

/// The folder `base/<first>/<dirs…>`, created if asked.
fn under(base: &Dir, first: &str, dirs: &[&str], create: bool) -> io::Result<Dir> {
    let mut all = vec![first];
    all.extend_from_slice(dirs);
    if create {
        base.walk_create(&all)
    } else {
        base.walk(&all)
    }
}

/// The folder of `rel` in OUT, created if asked.
fn target_dir(root: &Dir, dirs: &[&str], create: bool) -> io::Result<Dir> {
    if dirs.is_empty() {
        root.sub(".")
    } else if create {
        root.walk_create(dirs)
    } else {
        root.walk(dirs)
    }
}

fn missing(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotFound
}

/// Apply `ops` in order; on failure, the error and how many were (or may
/// have been partly) applied, all of which `backward` can undo.
fn forward(root: &Dir, work: Option<&Dir>, ops: &[Op]) -> Result<(), (io::Error, usize)> {
    for (i, op) in ops.iter().enumerate() {
        let r = match op {
            Op::Put { path, new, .. } => put_forward(root, work, path, new),
            Op::Remove { path, old } => remove_forward(root, work, path, old),
        };
        r.map_err(|e| (e, i + 1))?;
    }
    Ok(())
}

fn put_forward(root: &Dir, work: Option<&Dir>, path: &str, new: &str) -> io::Result<()> {
    let (dirs, name) = split(path);
    fault::point("apply")?;
    let target = target_dir(root, &dirs, true)?;
    let current = target.hash(name)?;
    if current.as_deref() == Some(new) {
        return Ok(());
    }
    let gone = || {
        io::Error::other(format!(
            "{}: cannot complete the commit: the staged copy is gone",
            root.join(path).display()
        ))
    };
    let work = work.ok_or_else(gone)?;
    let staged = match under(work, NEW, &dirs, false) {
        Ok(d) if d.kind(name)? == Some(Kind::File) => d,
        Ok(_) => return Err(gone()),
        Err(e) if missing(&e) => return Err(gone()),
        Err(e) => return Err(e),
    };
    if current.is_some() {
        let backup = under(work, OLD, &dirs, true)?;
        if backup.kind(name)?.is_none() {
            keep_copy(&target, &backup, name)?;
            fault::point("backup")?;
        }
    }
    staged.rename(name, &target, name)?;
    fault::point("apply")
}

/// `backup/name` becomes the file `target/name` is now: a hard link, or a
/// copy where the file system has none.
fn keep_copy(target: &Dir, backup: &Dir, name: &str) -> io::Result<()> {
    if target.hard_link(name, backup, name).is_ok() {
        return Ok(());
    }
    let mut from = target.open_read(name)?;
    let mut to = backup.create_new(name)?;
    io::copy(&mut from, &mut to).map_err(|e| fsx::at(&backup.join(name), e))?;
    to.sync_all().map_err(|e| fsx::at(&backup.join(name), e))
}

fn remove_forward(root: &Dir, work: Option<&Dir>, path: &str, old: &str) -> io::Result<()> {
    let (dirs, name) = split(path);
    fault::point("apply")?;
    let target = match target_dir(root, &dirs, false) {
        Ok(d) => d,
        Err(e) if missing(&e) => return Ok(()),
        Err(e) => return Err(e),
    };
    if target.hash(name)?.as_deref() != Some(old) {
        // Gone already, or not the bytes yoshiki wrote: not ours to remove.
        return Ok(());
    }
    let work = work.ok_or_else(|| io::Error::other(format!("{}: no work folder", root.path().display())))?;
    let backup = under(work, OLD, &dirs, true)?;
    target.rename(name, &backup, name)?;
    fault::point("apply")
}

/// Undo `ops` (all of which may have been applied, in part or whole), last first.
fn backward(root: &Dir, work: Option<&Dir>, ops: &[Op]) -> io::Result<()> {
    for op in ops.iter().rev() {
        fault::point("undo")?;
        let (dirs, name) = split(op.path());
        let backup = match work.map(|w| under(w, OLD, &dirs, false)) {
            Some(Ok(d)) if d.kind(name)? == Some(Kind::File) => Some(d),
            Some(Err(e)) if !missing(&e) => return Err(e),
            _ => None,
        };
        match (op, backup) {
            (Op::Put { .. }, Some(b)) => {
                let target = target_dir(root, &dirs, true)?;
                b.rename(name, &target, name)?;
            }
            (Op::Put { path, old, new }, None) => {
                let target = match target_dir(root, &dirs, false) {
                    Ok(d) => d,
                    Err(e) if missing(&e) => continue,
                    Err(e) => return Err(e),
                };
                // Not a regular file there (or unreadable): not the one this
                // commit put, which a rename made a regular file.
                let current = target.hash(name).unwrap_or(None);
                if current.as_deref() == Some(new.as_str()) {
                    if old.is_some() {
                        return Err(io::Error::other(format!(
                            "{}: cannot roll back: the bytes it replaced are gone",
                            root.join(path).display()
                        )));
                    }
                    target.unlink(name)?;
                }
            }
            (Op::Remove { .. }, Some(b)) => {
                let target = target_dir(root, &dirs, true)?;
                if target.kind(name)?.is_none() {
                    b.rename(name, &target, name)?;
                }
            }
            (Op::Remove { .. }, None) => {}
        }
    }
    Ok(())
}

/// The end of a commit (either way): folders synced, emptied data folders
/// removed, the journal deleted, the staged and kept files removed.
fn complete(root: &Dir, state: &Dir, journal: &Journal) -> io::Result<()> {
    let ops = &journal.ops;
    let mut folders: Vec<&str> = ops
        .iter()
        .filter_map(|op| split(op.path()).0.first().copied())
        .collect();
    folders.sort_unstable();
    folders.dedup();
    for f in &folders {
        match root.sub(f) {
            Ok(d) => d.sync()?,
            Err(e) if missing(&e) => {}
            Err(e) => return Err(e),
        }
    }
    root.sync()?;
    fault::point("complete")?;
    for f in &folders {
        root.remove_if_empty(f)?;
    }
    state.unlink(JOURNAL)?;
    state.sync()?;
    fault::point("journal-removed")?;
    if let Ok(work) = state.sub(&journal.work) {
        work.remove_all(NEW)?;
        work.remove_all(OLD)?;
    }
    Ok(())
}

/// Finish the commit a killed run left: forward, or backward when it was
/// turned around or cannot go forward. The commit lock is taken first: a
/// journal found while its run is still applying it (its lock on OUT taken
/// from it) is that run's to finish.
fn recover(root: &Dir, state: &Dir, say: &dyn Fn(String)) -> Result<(), OutError> {
    let _commit = CommitLock::exclusive(state, say).map_err(failed)?;
    if state.kind(JOURNAL).map_err(failed)?.is_none() {
        return Ok(());
    }
    let mut journal = read_journal(state).map_err(|e| {
        OutError::Failed(format!(
            "{e}; the interrupted commit it describes cannot be finished: restore OUT from a copy, or delete it and \
             convert again"
        ))
    })?;
    let work = match state.sub(&journal.work) {
        Ok(w) => Some(w),
        Err(e) if missing(&e) => None,
        Err(e) => return Err(failed(e)),
    };
    let out = root.path().display().to_string();
    if journal.direction == Direction::Forward {
        match forward(root, work.as_ref(), &journal.ops) {
            Ok(()) => {
                complete(root, state, &journal).map_err(failed)?;
                say(format!(
                    "{out}: completed the commit of a run that was interrupted ({} changes)",
                    journal.ops.len()
                ));
                return Ok(());
            }
            Err((e, _)) => {
                say(format!(
                    "{out}: cannot complete an interrupted commit ({e}); rolling it back"
                ));
                journal.direction = Direction::Backward;
                write_journal(state, &journal).map_err(failed)?;
            }
        }
    }
    backward(root, work.as_ref(), &journal.ops)
        .and_then(|()| complete(root, state, &journal))
        .map_err(|e| {
            OutError::Failed(format!(
                "{out}: an interrupted commit can be neither completed nor rolled back: {e}; fix that and run again"
            ))
        })?;
    say(format!("{out}: rolled back the commit of a run that was interrupted"));
    Ok(())
}

/// What yoshiki 0.1 left in OUT: its temporary files (in OUT and its data
/// folders) and its lock file (removed only if no 0.1 run holds it).
fn remove_legacy(root: &Dir) -> Result<(), OutError> {
    let entries = root.entries().map_err(failed)?;
    let mut dirs = vec![None];
    for (name, kind) in &entries {
        let Some(name) = name.to_str() else { continue };
        if *kind == Kind::Dir && (name == "unassigned" || manifest::is_ward_dir(name)) {
            dirs.push(Some(name.to_string()));
        }
    }
    for dir in dirs {
        let d = match &dir {
            None => root.sub("."),
            Some(n) => root.sub(n),
        }
        .map_err(failed)?;
        for (name, _) in d.entries().map_err(failed)? {
            if let Some(name) = name.to_str()
                && name.starts_with(LEGACY_TMP_PREFIX)
            {
                d.remove_all(name).map_err(failed)?;
            }
        }
    }
    if root.kind(LEGACY_LOCK).map_err(failed)? == Some(Kind::File) {
        let f = root.open_read(LEGACY_LOCK).map_err(failed)?;
        match f.try_lock() {
            Ok(()) => root.unlink(LEGACY_LOCK).map_err(failed)?,
            Err(_) => {
                return Err(OutError::Busy(format!(
                    "{}: an older yoshiki run is writing there",
                    root.path().display()
                )));
            }
        }
    }
    Ok(())
}

/// OUT opened for reading (`export`, `validate`, `merge` reading a shard):
/// an interrupted commit finished first, and no commit applied while the
/// reader holds this.
pub struct Reading {
    pub root: Dir,
    _lock: Option<CommitLock>,
}

/// Open OUT for reading (see [`Reading`]). `say` as for [`Out::open`].
pub fn read(path: &Path, say: &dyn Fn(String)) -> Result<Reading, OutError> {
    let root = Dir::open_existing(path).map_err(failed)?;
    let state = match root.sub(STATE) {
        Ok(s) => s,
        Err(e) if missing(&e) => return Ok(Reading { root, _lock: None }),
        Err(e) => return Err(failed(e)),
    };
    let lock = CommitLock::shared(&state).map_err(failed)?;
    if state.kind(JOURNAL).map_err(failed)?.is_none() {
        return Ok(Reading { root, _lock: lock });
    }
    // A journal while no commit runs: its run was killed. Finish it, as
    // the writer would.
    drop(lock);
    match WriteLock::acquire(&state) {
        Ok(w) => {
            if state.kind(JOURNAL).map_err(failed)?.is_some() {
                recover(&root, &state, say)?;
            }
            drop(w);
        }
        Err(LockError::Busy) => {
            return Err(OutError::Busy(format!(
                "{}: a yoshiki run is writing there and has not finished its commit; try again when it ends",
                path.display()
            )));
        }
        Err(LockError::Io(e)) => {
            return Err(OutError::Failed(format!(
                "{e}: a run was interrupted while committing its changes, and finishing that needs write access"
            )));
        }
    }
    let lock = CommitLock::shared(&state).map_err(failed)?;
    Ok(Reading { root, _lock: lock })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn sha(b: &[u8]) -> String {
        crate::parse::sha256_hex(b)
    }

    /// Every file under `dir` but `.yoshiki/`.
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_entry(|e| e.file_name() != STATE)
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    fn quiet(_: String) {}

    /// The run ends as if killed: its lock released by the kernel, nothing
    /// cleaned up.
    fn killed(mut out: Out) {
        drop(out.lock.take());
        // The kernel drops the work folder's lock too.
        let _ = out._work_lock.unlock();
        std::mem::forget(out);
    }

    /// Stage `files` and plan: puts of those that differ, removes of
    /// `gone` (recorded with their current bytes).
    fn plan(out: &Out, files: &[(&str, &[u8])], gone: &[&str]) -> Vec<Op> {
        let mut ops = Vec::new();
        for (rel, bytes) in files {
            let mut s = out.stage(rel).unwrap();
            s.write_all(bytes).unwrap();
            let (rel, h) = s.finish().unwrap();
            ops.extend(out.put(&rel, &h, None, &quiet).unwrap());
        }
        for rel in gone {
            let cur = out.current(rel).unwrap().unwrap();
            ops.extend(out.remove(rel, &cur, &quiet));
        }
        ops
    }

    const A: &str = "271071/2022.json";
    const B: &str = "271080/2016.json";

    fn old_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let out = Out::open(dir, &quiet).unwrap();
        let ops = plan(&out, &[(A, b"a1"), (B, b"b1"), (MANIFEST, b"m1")], &[]);
        out.commit(ops, &quiet).unwrap();
        tree(dir)
    }

    #[test]
    fn a_commit_puts_and_removes_and_unchanged_files_stay() {
        let t = tempfile::tempdir().unwrap();
        old_tree(t.path());
        let before = std::fs::metadata(t.path().join(A)).unwrap().modified().unwrap();
        let out = Out::open(t.path(), &quiet).unwrap();
        let ops = plan(&out, &[(A, b"a1"), (MANIFEST, b"m2")], &[B]);
        assert_eq!(ops.len(), 2, "{ops:?}");
        out.commit(ops, &quiet).unwrap();
        drop(out);
        let got = tree(t.path());
        assert_eq!(got.keys().collect::<Vec<_>>(), [A, MANIFEST]);
        assert_eq!(std::fs::metadata(t.path().join(A)).unwrap().modified().unwrap(), before);
        assert!(!t.path().join("271080").exists(), "the emptied ward folder is removed");
        let left: Vec<_> = std::fs::read_dir(t.path().join(STATE))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "only the lock files stay: {left:?}");
    }

    #[test]
    fn a_failed_step_rolls_back_to_the_old_tree() {
        let t = tempfile::tempdir().unwrap();
        let old = old_tree(t.path());
        let out = Out::open(t.path(), &quiet).unwrap();
        let ops = plan(
            &out,
            &[(A, b"a2"), (B, b"b2"), ("271099/2022.json", b"c"), (MANIFEST, b"m2")],
            &[],
        );
        // The third step cannot be taken: a folder stands where the file
        // goes (as a permission error or a full disk would stop it; this
        // one stops root too).
        std::fs::create_dir_all(t.path().join("271099/2022.json/x")).unwrap();
        let r = out.commit(ops, &quiet);
        let Err(OutError::Failed(msg)) = r else { panic!("{r:?}") };
        assert!(msg.contains("271099/2022.json") && msg.contains("rolled back"), "{msg}");
        drop(out);
        std::fs::remove_dir_all(t.path().join("271099")).unwrap();
        assert_eq!(tree(t.path()), old);
        assert!(!t.path().join(STATE).join(JOURNAL).exists());
    }

    #[test]
    fn a_journal_left_by_a_killed_run_is_completed_by_the_next() {
        let t = tempfile::tempdir().unwrap();
        old_tree(t.path());
        let out = Out::open(t.path(), &quiet).unwrap();
        let ops = plan(&out, &[(A, b"a2"), (MANIFEST, b"m2")], &[B]);
        // "Killed" after the journal and the first step: apply by hand.
        let journal = Journal {
            schema: JOURNAL_SCHEMA.into(),
            direction: Direction::Forward,
            work: out.work_name.clone(),
            ops: ops.clone(),
        };
        write_journal(&out.state, &journal).unwrap();
        forward(&out.root, Some(&out.work), &ops[..1]).unwrap();
        killed(out);
        let said = std::cell::RefCell::new(Vec::new());
        let again = Out::open(t.path(), &|s| said.borrow_mut().push(s)).unwrap();
        drop(again);
        let got = tree(t.path());
        assert_eq!(got.get(A).map(Vec::as_slice), Some(&b"a2"[..]));
        assert_eq!(got.get(MANIFEST).map(Vec::as_slice), Some(&b"m2"[..]));
        assert!(!got.contains_key(B));
        assert!(
            said.borrow().iter().any(|s| s.contains("completed the commit")),
            "{said:?}"
        );
    }

    #[test]
    fn a_turned_around_journal_is_rolled_back() {
        let t = tempfile::tempdir().unwrap();
        let old = old_tree(t.path());
        let out = Out::open(t.path(), &quiet).unwrap();
        let ops = plan(&out, &[(A, b"a2"), (MANIFEST, b"m2")], &[B]);
        let journal = Journal {
            schema: JOURNAL_SCHEMA.into(),
            direction: Direction::Backward,
            work: out.work_name.clone(),
            ops: ops.clone(),
        };
        write_journal(&out.state, &journal).unwrap();
        forward(&out.root, Some(&out.work), &ops).unwrap();
        killed(out);
        drop(Out::open(t.path(), &quiet).unwrap());
        assert_eq!(tree(t.path()), old);
    }

    #[test]
    fn a_journal_naming_a_path_outside_out_is_refused() {
        let t = tempfile::tempdir().unwrap();
        let out = Out::open(t.path(), &quiet).unwrap();
        let journal = Journal {
            schema: JOURNAL_SCHEMA.into(),
            direction: Direction::Forward,
            work: out.work_name.clone(),
            ops: vec![Op::Remove {
                path: "../victim".into(),
                old: "0".repeat(64),
            }],
        };
        write_journal(&out.state, &journal).unwrap();
        killed(out);
        let r = Out::open(t.path(), &quiet);
        assert!(matches!(&r, Err(OutError::Failed(m)) if m.contains("not a file yoshiki writes")));
    }

    #[test]
    fn a_run_whose_lock_was_taken_keeps_its_work_and_commits_nothing() {
        let t = tempfile::tempdir().unwrap();
        let old = old_tree(t.path());
        let a = Out::open(t.path(), &quiet).unwrap();
        let ops = plan(&a, &[(A, b"a2"), (MANIFEST, b"m2")], &[]);
        std::fs::remove_file(t.path().join(STATE).join(super::super::lock::LOCK)).unwrap();
        let said = std::cell::RefCell::new(Vec::new());
        let b = Out::open(t.path(), &|s| said.borrow_mut().push(s)).unwrap();
        assert!(a.work.path().exists(), "B left A's work folder alone");
        assert!(said.borrow().iter().any(|s| s.contains("still running")), "{said:?}");
        let r = a.commit(ops, &quiet);
        assert!(
            matches!(&r, Err(OutError::Failed(m)) if m.contains("deleted or replaced")),
            "{r:?}"
        );
        drop(a);
        drop(b);
        assert_eq!(tree(t.path()), old);
    }

    #[test]
    fn a_file_with_other_bytes_is_not_removed() {
        let t = tempfile::tempdir().unwrap();
        old_tree(t.path());
        let out = Out::open(t.path(), &quiet).unwrap();
        let warned = std::cell::RefCell::new(Vec::new());
        let op = out.remove(B, &sha(b"what the manifest said"), &|s| warned.borrow_mut().push(s));
        assert!(op.is_none());
        assert!(warned.borrow()[0].contains("not removed"), "{warned:?}");
    }
}
