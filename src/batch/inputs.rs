//! The inputs of a run: every file under the INPUT arguments, each with the
//! path the manifest records, in one deterministic order; and the share of
//! them a shard (`--shard K/N`) takes.
//!
//! A manifest path is the file's path relative to the *parent* of the INPUT
//! argument it was found under, with `/` separators: `convert
//! /data/archive -o out` records `archive/2022/minato.txt`, `convert a.txt`
//! records `a.txt`. So no absolute path and nothing of the machine reaches
//! the outputs, and two INPUT directories keep their own names.

use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};

/// One file to convert (or a place the walk could not read).
#[derive(Debug, Clone)]
pub struct Input {
    /// Where to read it.
    pub fs_path: PathBuf,
    /// The path the manifest records (see the module documentation).
    pub path: String,
    /// Why the walk could not read this place (an unreadable directory, a
    /// symbolic-link loop): the input becomes an `error` entry.
    pub walk_error: Option<String>,
}

/// Every file under `args` (directories recursively, following symbolic
/// links, with loops reported as errors), sorted by manifest path.
/// Directories in `exclude` (the output directory) are skipped. An argument
/// that does not exist is the caller's usage error, checked first.
pub fn collect(args: &[PathBuf], exclude: &[PathBuf]) -> Result<Vec<Input>, String> {
    for arg in args {
        if std::fs::metadata(arg).is_err() {
            return Err(format!("{}: no such file or directory", arg.display()));
        }
    }
    let excluded: Vec<PathBuf> = exclude.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut out = Vec::new();
    for arg in args {
        let name = arg_name(arg);
        let walker = walkdir::WalkDir::new(arg).follow_links(true).into_iter();
        let walker = walker.filter_entry(|e| {
            !(e.file_type().is_dir() && e.path().canonicalize().is_ok_and(|c| excluded.contains(&c)))
        });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => out.push(Input {
                    path: manifest_path(&name, arg, e.path()),
                    fs_path: e.path().to_path_buf(),
                    walk_error: None,
                }),
                Ok(_) => {}
                Err(err) => {
                    let at = err.path().unwrap_or(arg.as_path());
                    let reason = match err.io_error() {
                        Some(io) => format!("cannot read: {io}"),
                        None if err.loop_ancestor().is_some() => {
                            "cannot read: a symbolic link loops back to a folder above it".to_string()
                        }
                        None => format!("cannot read: {err}"),
                    };
                    out.push(Input {
                        path: manifest_path(&name, arg, at),
                        fs_path: at.to_path_buf(),
                        walk_error: Some(reason),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.path, &a.fs_path).cmp(&(&b.path, &b.fs_path)));
    // The same file named twice (`convert a a`) is one input.
    out.dedup_by(|a, b| a.path == b.path && a.fs_path == b.fs_path);
    Ok(out)
}

/// The argument's own name: its last component, resolved through the file
/// system for `.` and `..`.
fn arg_name(arg: &Path) -> String {
    let last = match arg.components().next_back() {
        Some(Component::Normal(n)) => Some(n.to_string_lossy().into_owned()),
        _ => None,
    };
    last.or_else(|| {
        arg.canonicalize()
            .ok()
            .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
    })
    .unwrap_or_default()
}

fn manifest_path(name: &str, arg: &Path, found: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !name.is_empty() {
        parts.push(name.to_string());
    }
    if let Ok(rel) = found.strip_prefix(arg) {
        for c in rel.components() {
            if let Component::Normal(n) = c {
                parts.push(n.to_string_lossy().into_owned());
            }
        }
    }
    parts.join("/")
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
        let got = collect(&[single.clone(), root.clone(), single], &[]).unwrap();
        let paths: Vec<&str> = got.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["archive/a.txt", "archive/b/c/z.txt", "one.txt"]);
    }

    #[test]
    fn the_output_directory_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("out/271071")).unwrap();
        std::fs::write(dir.path().join("out/271071/2022.json"), "{}").unwrap();
        std::fs::write(dir.path().join("in.txt"), "x").unwrap();
        let got = collect(&[dir.path().to_path_buf()], &[dir.path().join("out")]).unwrap();
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
        let got = collect(&[root], &[]).unwrap();
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
        assert!(collect(&[PathBuf::from("/nonexistent/yoshiki")], &[]).is_err());
    }
}
