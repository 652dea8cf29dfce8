//! `yoshiki validate FILE...`: each JSON file against `schemas/` (the
//! schema its `schema` field names); every violation with its JSON path.
//! A converted tree (a folder with a `manifest.json`) is checked against its
//! manifest (`batch::check`: every file listed, every sha256 right, the
//! schema each place calls for, nothing unlisted in the data folders);
//! another folder file by file (its `.json` files, recursively).
//! Exit 1 when any file is invalid or unreadable.

use super::{EXIT_INPUT, EXIT_OK};
use crate::validate;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// JSON files (a Document, a ward-year file, a manifest) or folders of them.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

fn json_files(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(_) => {
                out.push(p.to_path_buf());
                return;
            }
        };
        entries.sort();
        for e in entries {
            let hidden = e
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if !hidden && (e.is_dir() || e.extension().is_some_and(|x| x == "json")) {
                json_files(&e, out);
            }
        }
    } else {
        out.push(p.to_path_buf());
    }
}

/// Whether `p` is a tree `convert` wrote.
fn is_tree(p: &Path) -> bool {
    p.is_dir() && (p.join("manifest.json").exists() || p.join(crate::batch::transaction::STATE).is_dir())
}

pub fn run(a: Args) -> i32 {
    let mut files = Vec::new();
    let (mut ok, mut bad) = (0, 0);
    for f in &a.files {
        if !is_tree(f) {
            json_files(f, &mut files);
            continue;
        }
        match crate::batch::check::check(f, &|m| eprintln!("yoshiki: {m}")) {
            Ok(report) => {
                let mut wrong = std::collections::BTreeSet::new();
                for p in &report.problems {
                    println!("{}: {}", f.join(&p.path).display(), p.message);
                    wrong.insert(p.path.clone());
                }
                bad += wrong.len();
                ok += report.files.iter().filter(|f| !wrong.contains(*f)).count();
            }
            Err(e) => {
                bad += 1;
                println!("{}: {e}", f.display());
            }
        }
    }
    for f in &files {
        match validate::validate_file(f) {
            Ok(v) if v.is_empty() => ok += 1,
            Ok(v) => {
                bad += 1;
                for x in &v {
                    println!("{}: {}: {}", f.display(), x.path, x.message);
                }
            }
            Err(e) => {
                bad += 1;
                println!("{}: {e}", f.display());
            }
        }
    }
    eprintln!("yoshiki: {ok} valid, {bad} invalid");
    if bad > 0 { EXIT_INPUT } else { EXIT_OK }
}
