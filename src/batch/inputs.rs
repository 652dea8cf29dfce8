//! The inputs of a run: every file under the INPUT arguments, each with the
//! path the manifest records, in one deterministic order; and the share of
//! them a shard (`--shard K/N`) takes.
//!
//! A manifest path is the file's path relative to the *parent* of the INPUT
//! argument it was found under, with `/` separators: `convert
//! /data/archive -o out` records `archive/2022/minato.txt`, `convert a.txt`
//! records `a.txt`. So no absolute path and nothing of the machine reaches
//! the outputs, and two INPUT directories keep their own names. A name's
//! bytes that are not UTF-8 (a Shift_JIS name from an old zip), and `%`
//! itself, are written `%XX`: every file keeps a path of its own, and the
//! name can be recovered from it.
//!
//! The walk follows symbolic links, each to its real path (canonicalised),
//! and refuses what is not a document: a place under `/proc`, `/sys` or
//! `/dev` (a link to `/proc/self` would otherwise lead through the whole
//! system), a FIFO, socket or device (reading one blocks or never ends), a
//! link back to a folder above it. Each is an `error` input with its
//! reason, and the run goes on. It is bounded: a folder deeper than
//! `--max-walk-depth` is an error input, and a walk that meets more than
//! `--max-walk-entries` files and folders stops the run before it writes
//! anything (an incomplete list of inputs would read as files removed).

use crate::limits::Limits;
use sha2::{Digest, Sha256};
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// One file to convert (or a place the walk could not read).
#[derive(Debug, Clone)]
pub struct Input {
    /// Where to read it: its real path.
    pub fs_path: PathBuf,
    /// The path the manifest records (see the module documentation).
    pub path: String,
    /// Why the walk could not read this place (an unreadable directory, a
    /// symbolic-link loop, a device): the input becomes an `error` entry.
    pub walk_error: Option<String>,
}

/// Places that hold the system's interfaces, never documents.
#[cfg(unix)]
const SYSTEM_ROOTS: &[&str] = &["/proc", "/sys", "/dev"];
#[cfg(not(unix))]
const SYSTEM_ROOTS: &[&str] = &[];

struct Walk<'a> {
    limits: &'a Limits,
    excluded: Vec<PathBuf>,
    entries: u64,
    out: Vec<Input>,
}

/// Every file under `args` (see the module documentation), sorted by
/// manifest path. Directories in `exclude` (the output directory) are
/// skipped. An argument that does not exist, or a walk past
/// `limits.max_walk_entries`, is the caller's usage error.
pub fn collect(args: &[PathBuf], exclude: &[PathBuf], limits: &Limits) -> Result<Vec<Input>, String> {
    for arg in args {
        if std::fs::symlink_metadata(arg).is_err() {
            return Err(format!("{}: no such file or directory", arg.display()));
        }
    }
    let mut walk = Walk {
        limits,
        excluded: exclude.iter().filter_map(|p| p.canonicalize().ok()).collect(),
        entries: 0,
        out: Vec::new(),
    };
    for arg in args {
        let name = arg_name(arg);
        walk.visit(arg, arg, &name, 0, &mut Vec::new())?;
    }
    let mut out = walk.out;
    out.sort_by(|a, b| (&a.path, &a.fs_path).cmp(&(&b.path, &b.fs_path)));
    // The same file named twice (`convert a a`) is one input.
    out.dedup_by(|a, b| a.path == b.path && a.fs_path == b.fs_path);
    Ok(out)
}

impl Walk<'_> {
    fn error(&mut self, at: &Path, path: &str, reason: String) {
        self.out.push(Input {
            fs_path: at.to_path_buf(),
            path: path.to_string(),
            walk_error: Some(reason),
        });
    }

    /// `at` (found as manifest path `path`, `depth` folders below its
    /// argument `arg`, inside the real folders `above`).
    fn visit(
        &mut self,
        arg: &Path,
        at: &Path,
        path: &str,
        depth: usize,
        above: &mut Vec<PathBuf>,
    ) -> Result<(), String> {
        self.entries += 1;
        if self.entries > self.limits.max_walk_entries {
            return Err(format!(
                "{}: more than {} files and folders (--max-walk-entries); does a link lead to a large tree?",
                arg.display(),
                self.limits.max_walk_entries
            ));
        }
        let real = match at.canonicalize() {
            Ok(r) => r,
            Err(e) => {
                let reason = match std::fs::symlink_metadata(at) {
                    Ok(m) if m.file_type().is_symlink() => format!("a symbolic link to nothing that exists ({e})"),
                    _ => format!("cannot read: {e}"),
                };
                self.error(at, path, reason);
                return Ok(());
            }
        };
        if let Some(root) = SYSTEM_ROOTS.iter().find(|r| real.starts_with(r)) {
            self.error(
                at,
                path,
                format!(
                    "not read: {} is in {root}, which holds the system's own interfaces, not documents",
                    real.display()
                ),
            );
            return Ok(());
        }
        let meta = match std::fs::metadata(&real) {
            Ok(m) => m,
            Err(e) => {
                self.error(at, path, format!("cannot read: {e}"));
                return Ok(());
            }
        };
        let kind = meta.file_type();
        if kind.is_file() {
            self.out.push(Input {
                fs_path: real,
                path: path.to_string(),
                walk_error: None,
            });
            return Ok(());
        }
        if !kind.is_dir() {
            self.error(at, path, format!("not read: {}", special(&kind)));
            return Ok(());
        }
        if self.excluded.contains(&real) {
            return Ok(());
        }
        if above.contains(&real) {
            self.error(
                at,
                path,
                "cannot read: a symbolic link loops back to a folder above it".to_string(),
            );
            return Ok(());
        }
        if depth >= self.limits.max_walk_depth {
            self.error(
                at,
                path,
                format!(
                    "not read: a folder more than {} folders deep (--max-walk-depth)",
                    self.limits.max_walk_depth
                ),
            );
            return Ok(());
        }
        let mut children: Vec<_> = match std::fs::read_dir(&real) {
            Ok(rd) => match rd.map(|e| e.map(|e| e.file_name())).collect::<Result<Vec<_>, _>>() {
                Ok(c) => c,
                Err(e) => {
                    self.error(at, path, format!("cannot read: {e}"));
                    return Ok(());
                }
            },
            Err(e) => {
                self.error(at, path, format!("cannot read: {e}"));
                return Ok(());
            }
        };
        children.sort();
        above.push(real.clone());
        for child in children {
            let child_path = if path.is_empty() {
                escape(&child)
            } else {
                format!("{path}/{}", escape(&child))
            };
            self.visit(arg, &real.join(&child), &child_path, depth + 1, above)?;
        }
        above.pop();
        Ok(())
    }
}

/// What a file that is neither a file nor a folder is.
fn special(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe), not a file: reading it would wait for a writer";
        }
        if kind.is_socket() {
            return "a socket, not a file";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device, not a file";
        }
    }
    let _ = kind;
    "not a regular file"
}

/// Open an input for reading: never waiting on a FIFO that appeared since
/// the walk, and only a regular file.
pub fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK);
    }
    let f = o.open(path)?;
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (it changed since the walk)",
        ));
    }
    Ok(f)
}

/// A file name as a manifest path component: UTF-8 as it is, but `%` and
/// every byte that is not UTF-8 written `%XX`.
fn escape(name: &OsStr) -> String {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        name.as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = name.to_string_lossy().into_owned().into_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '%' {
                out.push_str("%25");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The argument's own name: its last component, resolved through the file
/// system for `.` and `..`.
fn arg_name(arg: &Path) -> String {
    let last = match arg.components().next_back() {
        Some(Component::Normal(n)) => Some(escape(n)),
        _ => None,
    };
    last.or_else(|| arg.canonicalize().ok().and_then(|c| c.file_name().map(escape)))
        .unwrap_or_default()
}

/// `--shard K/N`: the K-th (1-based) of N shares of the inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?}: expected K/N with 1 ≤ K ≤ N, e.g. 1/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl Shard {
    /// Whether this shard takes an input. The share is decided by the
    /// input's content (its sha256), so every copy of one document lands in
    /// the same shard and renaming a file does not move it; an input that
    /// could not be read (no sha256) is placed by its manifest path.
    pub fn takes(&self, sha256: Option<&str>, path: &str) -> bool {
        let key = match sha256 {
            Some(sha) => sha.as_bytes(),
            None => path.as_bytes(),
        };
        let digest = Sha256::digest(key);
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.n == self.k - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parses_and_rejects() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { k: 2, n: 3 }));
        for bad in ["0/3", "4/3", "1/0", "1", "a/b", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_the_inputs() {
        let shas: Vec<String> = (0..200)
            .map(|i| crate::parse::sha256_hex(format!("{i}").as_bytes()))
            .collect();
        let n = 3;
        let mut per = vec![0; n as usize];
        for sha in &shas {
            let takers: Vec<u64> = (1..=n).filter(|&k| Shard { k, n }.takes(Some(sha), "x")).collect();
            assert_eq!(takers.len(), 1, "{sha} is taken by {takers:?}");
            per[(takers[0] - 1) as usize] += 1;
        }
        assert!(per.iter().all(|&c| c > 40), "unbalanced shards: {per:?}");
    }

    #[test]
    fn manifest_paths_are_relative_to_the_arguments_parent() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        std::fs::create_dir_all(root.join("b/c")).unwrap();
        std::fs::write(root.join("b/c/z.txt"), "z").unwrap();
        std::fs::write(root.join("a.txt"), "a").unwrap();
        let single = dir.path().join("one.txt");
        std::fs::write(&single, "1").unwrap();
        let got = collect(&[single.clone(), root.clone(), single], &[], &Limits::default()).unwrap();
        let paths: Vec<&str> = got.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["archive/a.txt", "archive/b/c/z.txt", "one.txt"]);
    }

    #[test]
    fn the_output_directory_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("out/271071")).unwrap();
        std::fs::write(dir.path().join("out/271071/2022.json"), "{}").unwrap();
        std::fs::write(dir.path().join("in.txt"), "x").unwrap();
        let got = collect(
            &[dir.path().to_path_buf()],
            &[dir.path().join("out")],
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(got.len(), 1);
        assert!(got[0].path.ends_with("/in.txt"), "{}", got[0].path);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_loop_is_an_error_input_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/doc.txt"), "x").unwrap();
        std::os::unix::fs::symlink(&root, root.join("a/up")).unwrap();
        let got = collect(&[root], &[], &Limits::default()).unwrap();
        let summary: Vec<(&str, bool)> = got.iter().map(|i| (i.path.as_str(), i.walk_error.is_some())).collect();
        assert_eq!(summary, [("archive/a/doc.txt", false), ("archive/a/up", true)]);
        assert!(
            got[1].walk_error.as_deref().unwrap_or("").contains("loop"),
            "{:?}",
            got[1]
        );
    }

    #[test]
    fn a_missing_argument_is_a_usage_error() {
        assert!(collect(&[PathBuf::from("/nonexistent/yoshiki")], &[], &Limits::default()).is_err());
    }
}
