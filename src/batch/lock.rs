//! The locks on OUT (`OUT/.yoshiki/lock` and `OUT/.yoshiki/commit.lock`,
//! advisory `flock` locks).
//!
//! * **`lock`** is held, exclusively, by the one run that writes OUT
//!   (`convert`, `merge`), from start to end. A second run is refused.
//! * **`commit.lock`** is held exclusively by that run only while it commits
//!   (journal written → changes applied → journal removed), and shared by
//!   readers (`export`, `validate`, `merge` reading a shard), so a reader
//!   sees OUT before a commit or after it, never in between.
//!
//! Two rules make the lock mean what it says:
//!
//! 1. **A lock file is never deleted**, by any run: deleting it while it
//!    is held would let the next run create a new file at the path and lock
//!    that one while this run still writes (and a run that opened the old
//!    file but had not locked it yet would lock the deleted one).
//! 2. **A run proceeds only on the file at the path.** After locking, and
//!    again just before it commits, a run checks that the file it holds is
//!    the file now at `OUT/.yoshiki/lock` (same device and inode); if
//!    someone deleted or replaced it, another run may hold the new one, and
//!    this run stops without committing anything.

use super::fault;
use super::fsx::Dir;
use std::fs::File;
use std::io;

pub const LOCK: &str = "lock";
pub const COMMIT_LOCK: &str = "commit.lock";

#[derive(Debug)]
pub enum LockError {
    /// Another run holds it.
    Busy,
    Io(io::Error),
}

impl From<io::Error> for LockError {
    fn from(e: io::Error) -> LockError {
        LockError::Io(e)
    }
}

/// The writer's lock; released when dropped (the file stays).
pub struct WriteLock {
    file: File,
}

impl WriteLock {
    /// Lock `state/lock` (creating it), or `Busy`.
    pub fn acquire(state: &Dir) -> Result<WriteLock, LockError> {
        // The file at the path may be replaced between open and lock (by
        // hand: no yoshiki deletes it); then lock the new one.
        for _ in 0..3 {
            let file = state.open_or_create(LOCK)?;
            fault::point("lock-opened")?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => return Err(LockError::Busy),
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(LockError::Io(super::fsx::at(&state.join(LOCK), e)));
                }
            }
            if state.is_same_file(LOCK, &file)? {
                fault::point("locked")?;
                return Ok(WriteLock { file });
            }
        }
        Err(LockError::Io(io::Error::other(format!(
            "{}: the lock file keeps being replaced; is something deleting it?",
            state.join(LOCK).display()
        ))))
    }

    /// Whether the file this run holds is still the one at the path.
    pub fn check(&self, state: &Dir) -> io::Result<()> {
        if state.is_same_file(LOCK, &self.file)? {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "{}: the lock file was deleted or replaced while this run held it; another run may be writing \
                 the same directory, so this run stops without changing anything",
                state.join(LOCK).display()
            )))
        }
    }
}

/// The commit lock, exclusive (a commit) or shared (a reader).
pub struct CommitLock {
    _file: File,
}

impl CommitLock {
    /// Exclusive, waiting for readers to finish (saying so once if that
    /// takes a while).
    pub fn exclusive(state: &Dir, waiting: &dyn Fn(String)) -> io::Result<CommitLock> {
        let file = state.open_or_create(COMMIT_LOCK)?;
        let started = std::time::Instant::now();
        let mut said = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(CommitLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) => {
                    if !said && started.elapsed() > std::time::Duration::from_secs(2) {
                        waiting(format!(
                            "{}: waiting for a reader of the output (export, validate, merge) to finish",
                            state.path().parent().unwrap_or(state.path()).display()
                        ));
                        said = true;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(super::fsx::at(&state.join(COMMIT_LOCK), e)),
            }
        }
    }

    /// Shared, for a reader; `None` when OUT has no commit lock (a tree
    /// written by an older yoshiki, or copied without its `.yoshiki/`).
    /// Waits while a commit is being applied (they are short).
    pub fn shared(state: &Dir) -> io::Result<Option<CommitLock>> {
        let file = match state.open_read(COMMIT_LOCK) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        file.lock_shared()
            .map_err(|e| super::fsx::at(&state.join(COMMIT_LOCK), e))?;
        Ok(Some(CommitLock { _file: file }))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_busy_and_the_file_stays() {
        let t = tempfile::tempdir().unwrap();
        let d = Dir::open_root(t.path()).unwrap();
        let a = WriteLock::acquire(&d).unwrap();
        assert!(matches!(WriteLock::acquire(&d), Err(LockError::Busy)));
        drop(a);
        assert!(t.path().join(LOCK).is_file(), "the lock file is never deleted");
        let b = WriteLock::acquire(&d).unwrap();
        b.check(&d).unwrap();
    }

    #[test]
    fn a_holder_whose_file_was_deleted_stops() {
        let t = tempfile::tempdir().unwrap();
        let d = Dir::open_root(t.path()).unwrap();
        let a = WriteLock::acquire(&d).unwrap();
        std::fs::remove_file(t.path().join(LOCK)).unwrap();
        // Another run now locks a new file at the path...
        let b = WriteLock::acquire(&d).unwrap();
        // ...and the first one must not go on.
        let e = a.check(&d).unwrap_err();
        assert!(e.to_string().contains("deleted or replaced"), "{e}");
        b.check(&d).unwrap();
    }
}
