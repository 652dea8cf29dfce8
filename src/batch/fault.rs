//! Fault injection, for the crash-consistency and lock tests (as SQLite
//! tests its commit with a VFS that fails or "crashes" at chosen points).
//! Debug builds only: in a release build every point is a no-op and the
//! environment is never read.
//!
//! The write phase passes through named points (`stage`, `journal`,
//! `apply`, …, in `transaction.rs` and `lock.rs`), numbered from 1 in the
//! order they are reached. `YOSHIKI_FAULT` picks what happens at one of
//! them:
//!
//! * `crash@N` / `crash@NAME`: at the N-th point (or the first named
//!   NAME) the process kills itself with SIGKILL, as `kill -9` would: no
//!   destructor, no flush, no unlock but the kernel's.
//! * `error@N` / `error@NAME`: that point fails with an I/O error, as a
//!   full disk or a permission error would.
//! * `pause@NAME`: at that point, create the file `$YOSHIKI_FAULT_GATE.reached`
//!   and wait until `$YOSHIKI_FAULT_GATE` exists (a rendezvous for the lock
//!   race tests).
//!
//! `YOSHIKI_FAULT_LOG=FILE` appends `N NAME` for every point reached, so a
//! test knows how many points a run has.

use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone, PartialEq)]
enum At {
    Nth(usize),
    Named(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Action {
    Crash(At),
    Error(At),
    Pause(String),
}

struct Plan {
    actions: Vec<Action>,
    log: Option<std::path::PathBuf>,
    gate: Option<std::path::PathBuf>,
}

static PLAN: OnceLock<Option<Plan>> = OnceLock::new();
static REACHED: AtomicUsize = AtomicUsize::new(0);

fn parse(spec: &str) -> Vec<Action> {
    spec.split(',')
        .filter_map(|a| {
            let (what, at) = a.trim().split_once('@')?;
            let at_of = |s: &str| match s.parse::<usize>() {
                Ok(n) => At::Nth(n),
                Err(_) => At::Named(s.to_string()),
            };
            match what {
                "crash" => Some(Action::Crash(at_of(at))),
                "error" => Some(Action::Error(at_of(at))),
                "pause" => Some(Action::Pause(at.to_string())),
                _ => None,
            }
        })
        .collect()
}

fn plan() -> Option<&'static Plan> {
    if !cfg!(debug_assertions) {
        return None;
    }
    PLAN.get_or_init(|| {
        let spec = std::env::var("YOSHIKI_FAULT").ok();
        let log = std::env::var_os("YOSHIKI_FAULT_LOG").map(Into::into);
        if spec.is_none() && log.is_none() {
            return None;
        }
        Some(Plan {
            actions: spec.as_deref().map(parse).unwrap_or_default(),
            log,
            gate: std::env::var_os("YOSHIKI_FAULT_GATE").map(Into::into),
        })
    })
    .as_ref()
}

fn matches(at: &At, n: usize, name: &str) -> bool {
    match at {
        At::Nth(k) => *k == n,
        At::Named(s) => s == name,
    }
}

/// The process ends here as if killed with `kill -9`.
fn crash() -> ! {
    #[cfg(unix)]
    // SAFETY: kill(2) on our own pid with SIGKILL; no memory is touched.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    std::process::abort()
}

/// A fault-injection point (see the module documentation).
pub fn point(name: &str) -> io::Result<()> {
    let Some(plan) = plan() else {
        return Ok(());
    };
    let n = REACHED.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(log) = &plan.log {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(log) {
            let _ = writeln!(f, "{n} {name}");
        }
    }
    for a in &plan.actions {
        match a {
            Action::Crash(at) if matches(at, n, name) => crash(),
            Action::Error(at) if matches(at, n, name) => {
                return Err(io::Error::other(format!("injected fault at point {n} ({name})")));
            }
            Action::Pause(at) if at == name => {
                if let Some(gate) = &plan.gate {
                    let mut reached = gate.clone().into_os_string();
                    reached.push(".reached");
                    let _ = std::fs::write(&reached, b"");
                    while !gate.exists() {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        assert_eq!(
            parse("crash@3, error@apply,pause@locked,nonsense,x@1"),
            [
                Action::Crash(At::Nth(3)),
                Action::Error(At::Named("apply".into())),
                Action::Pause("locked".into())
            ]
        );
    }
}
