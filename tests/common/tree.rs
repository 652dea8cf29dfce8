//! Helpers for the tests of OUT as a whole (crash consistency, locks,
//! links, merge): run the binary with an environment and see how it ended
//! (a signal too), read a tree byte for byte, copy one.
//!
//! `YOSHIKI_TEST_BIN=/path/to/yoshiki` runs these tests against another
//! build (main's, to see a test fail before a fix).

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn bin() -> PathBuf {
    std::env::var_os("YOSHIKI_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_yoshiki")))
}

/// How a run ended.
pub struct Ended {
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub cmd: String,
}

impl Ended {
    pub fn show(&self) -> String {
        format!(
            "--- yoshiki {}\n--- exit {:?}, signal {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.cmd, self.code, self.signal, self.stdout, self.stderr
        )
    }
}

fn ended(out: std::process::Output, cmd: String) -> Ended {
    #[cfg(unix)]
    let signal = {
        use std::os::unix::process::ExitStatusExt;
        out.status.signal()
    };
    #[cfg(not(unix))]
    let signal = None;
    Ended {
        code: out.status.code(),
        signal,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        cmd,
    }
}

/// `yoshiki ARGS` with `env` added.
pub fn run<A: AsRef<OsStr>>(args: &[A], env: &[(&str, &str)]) -> Ended {
    let mut c = Command::new(bin());
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let cmd = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    ended(c.output().expect("the binary runs"), cmd)
}

/// `yoshiki ARGS` under `ulimit -v KIB` and `timeout SECS`.
pub fn run_bounded<A: AsRef<OsStr>>(args: &[A], kib: u64, secs: u64) -> Ended {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!(r#"ulimit -v {kib}; exec timeout {secs} "$0" "$@""#))
        .arg(bin())
        .args(args);
    let cmd = format!(
        "(ulimit -v {kib}, timeout {secs} s) {}",
        args.iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    );
    ended(c.output().expect("sh runs"), cmd)
}

/// `yoshiki convert INPUT -o OUT EXTRA…`.
pub fn convert(input: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Ended {
    let mut args: Vec<OsString> = vec!["convert".into(), input.into(), "-o".into(), out.into()];
    args.extend(extra.iter().map(OsString::from));
    run(&args, env)
}

pub type Tree = BTreeMap<String, Vec<u8>>;

/// Every file under `dir` but yoshiki's own state (`.yoshiki/`, and the
/// lock file of yoshiki 0.1), without following links (a link is listed
/// as `-> target`): relative path → bytes.
pub fn tree(dir: &Path) -> Tree {
    fn walk(root: &Path, d: &Path, out: &mut Tree) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name();
            if d == root && (name == ".yoshiki" || name == ".yoshiki.lock") {
                continue;
            }
            let rel = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().replace('\\', "/");
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                let to = std::fs::read_link(&p).unwrap_or_default();
                out.insert(rel, format!("-> {}", to.display()).into_bytes());
            } else if meta.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    let mut out = Tree::new();
    walk(dir, dir, &mut out);
    out
}

/// What differs between two trees, for messages.
pub fn diff(a: &Tree, b: &Tree) -> String {
    let mut lines = Vec::new();
    for (k, v) in a {
        match b.get(k) {
            None => lines.push(format!("  only in the first: {k}")),
            Some(w) if w != v => lines.push(format!("  differs: {k}")),
            _ => {}
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        lines.push(format!("  only in the second: {k}"));
    }
    lines.join("\n")
}

/// `cp -a FROM TO`.
pub fn copy_dir(from: &Path, to: &Path) {
    let ok = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp runs")
        .success();
    assert!(ok, "cp -a {} {}", from.display(), to.display());
}

/// The names in yoshiki's state folder, sorted.
pub fn state(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out.join(".yoshiki"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
