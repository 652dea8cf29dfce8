//! OUT checked against its manifest (`yoshiki validate OUT`): the manifest
//! is one yoshiki writes (its schema, and what yoshiki's reader accepts —
//! so `validate` and `export` agree), every file it lists is there with the
//! sha256 it records and the schema its place calls for (a ward-year file
//! at `<ward>/<year>.json`, a Document under `unassigned/`), and nothing
//! unlisted lies where yoshiki writes (the ward folders and `unassigned/`).

use super::fsx::{Dir, Kind};
use super::manifest::{self, Manifest};
use super::transaction::{self, MANIFEST};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

/// One thing wrong with OUT: where (a path in OUT, and a JSON pointer in
/// the file where that applies) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// What `check` looked at.
#[derive(Debug, Default)]
pub struct Report {
    /// Files checked (the manifest and the data files it lists), relative to OUT.
    pub files: Vec<String>,
    pub problems: Vec<Problem>,
}

/// Every file in OUT's data folders (`<ward>/`, `unassigned/`), as
/// `(path relative to OUT, what it is)`; a data folder that is not a real
/// folder is listed as itself.
pub fn data_folder_entries(root: &Dir) -> std::io::Result<Vec<(String, Kind)>> {
    let mut out = Vec::new();
    for (name, kind) in root.entries()? {
        let Some(name) = name.to_str() else { continue };
        if !(name == "unassigned" || manifest::is_ward_dir(name)) {
            continue;
        }
        if kind != Kind::Dir {
            out.push((name.to_string(), kind));
            continue;
        }
        for (child, kind) in root.sub(name)?.entries()? {
            out.push((format!("{name}/{}", child.to_string_lossy()), kind));
        }
    }
    Ok(out)
}

/// Warn once about files in OUT's data folders that no manifest lists
/// (left by yoshiki 0.1 runs that were killed, or put there by hand): a
/// run leaves them alone.
pub fn warn_unlisted(root: &Dir, listed: &BTreeSet<&str>, warn: &dyn Fn(String)) {
    let Ok(entries) = data_folder_entries(root) else {
        return;
    };
    let unlisted: Vec<&str> = entries
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| !listed.contains(p))
        .collect();
    if let Some(first) = unlisted.first() {
        warn(format!(
            "{} in the data folders of {} {} in no manifest and {} left alone (first: {first}); `yoshiki validate {}` \
             lists them",
            if unlisted.len() == 1 {
                "1 file".to_string()
            } else {
                format!("{} files", unlisted.len())
            },
            root.path().display(),
            if unlisted.len() == 1 { "is" } else { "are" },
            if unlisted.len() == 1 { "is" } else { "are" },
            root.path().display()
        ));
    }
}

fn read_all(root: &Dir, rel: &str) -> std::io::Result<Vec<u8>> {
    let (dirs, name) = super::fsx::split(rel);
    let d = if dirs.is_empty() {
        root.sub(".")?
    } else {
        root.walk(&dirs)?
    };
    let mut bytes = Vec::new();
    d.open_read(name)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The manifest, checked as `validate` and `export` both need it: its
/// schema, then yoshiki's own reader.
pub fn manifest_of(bytes: &[u8], path: &Path) -> Result<Manifest, Vec<Problem>> {
    let at = |message: String| Problem {
        path: MANIFEST.to_string(),
        message,
    };
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| vec![at(format!("not JSON: {e}"))])?;
    if v.get("schema").and_then(|s| s.as_str()) != Some(manifest::MANIFEST_SCHEMA) {
        return Err(vec![at(format!(
            "not a yoshiki manifest (its schema is {}, not {:?})",
            v.get("schema").map_or("missing".to_string(), |s| s.to_string()),
            manifest::MANIFEST_SCHEMA
        ))]);
    }
    let violations = crate::validate::validate_value(&v).map_err(|e| vec![at(e.to_string())])?;
    if !violations.is_empty() {
        return Err(violations
            .into_iter()
            .map(|x| at(format!("{}: {}", x.path, x.message)))
            .collect());
    }
    Manifest::from_bytes(bytes, path).map_err(|e| vec![at(e)])
}

/// Check OUT (see the module documentation). An interrupted commit is
/// finished first (`say` tells). `Err` when OUT cannot be read at all.
pub fn check(out: &Path, say: &dyn Fn(String)) -> Result<Report, String> {
    let reading = transaction::read(out, say).map_err(|e| match e {
        transaction::OutError::Busy(m) | transaction::OutError::Failed(m) => m,
    })?;
    let root = &reading.root;
    let mut report = Report::default();
    let problem = |path: &str, message: String| Problem {
        path: path.to_string(),
        message,
    };
    let bytes = match read_all(root, MANIFEST) {
        Ok(b) => b,
        Err(e) => {
            report
                .problems
                .push(problem(MANIFEST, format!("{e} (not a tree yoshiki convert wrote?)")));
            return Ok(report);
        }
    };
    report.files.push(MANIFEST.to_string());
    let m = match manifest_of(&bytes, &root.join(MANIFEST)) {
        Ok(m) => m,
        Err(ps) => {
            report.problems.extend(ps);
            return Ok(report);
        }
    };
    let expected = Manifest::new(m.shard.clone(), m.archive.clone(), m.inputs.clone(), m.outputs.clone());
    if expected.counts != m.counts {
        report.problems.push(problem(
            MANIFEST,
            format!(
                "its counts {:?} are not those of its entries {:?}",
                m.counts, expected.counts
            ),
        ));
    }
    if expected.inputs != m.inputs || expected.outputs != m.outputs {
        report
            .problems
            .push(problem(MANIFEST, "its entries are not in yoshiki's order".to_string()));
    }
    let listed: BTreeSet<&str> = m.outputs.iter().map(|o| o.path.as_str()).collect();
    for e in &m.inputs {
        if let Some(o) = &e.output
            && !listed.contains(o.as_str())
        {
            report.problems.push(problem(
                MANIFEST,
                format!(
                    "input {} is said to be in {o}, which the manifest does not list",
                    e.path
                ),
            ));
        }
    }
    for o in &m.outputs {
        report.problems.extend(check_output(root, o));
        report.files.push(o.path.clone());
    }
    match data_folder_entries(root) {
        Ok(entries) => {
            for (p, kind) in entries {
                if !listed.contains(p.as_str()) {
                    let what = match kind {
                        Kind::File => "not in the manifest",
                        Kind::Dir => "a folder, not in the manifest",
                        Kind::Link => "a symbolic link, not in the manifest",
                        Kind::Other => "a special file, not in the manifest",
                    };
                    report.problems.push(problem(&p, what.to_string()));
                }
            }
        }
        Err(e) => report.problems.push(problem(".", e.to_string())),
    }
    report
        .problems
        .sort_by(|a, b| a.path.cmp(&b.path).then(a.message.cmp(&b.message)));
    Ok(report)
}

fn check_output(root: &Dir, o: &manifest::Output) -> Vec<Problem> {
    let mut ps = Vec::new();
    let mut problem = |message: String| {
        ps.push(Problem {
            path: o.path.clone(),
            message,
        })
    };
    if !manifest::is_data_path(&o.path) {
        problem("listed in the manifest, but not a name yoshiki writes".to_string());
        return ps;
    }
    let bytes = match read_all(root, &o.path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problem("listed in the manifest, but missing".to_string());
            return ps;
        }
        Err(e) => {
            problem(e.to_string());
            return ps;
        }
    };
    let sha = crate::parse::sha256_hex(&bytes);
    if sha != o.sha256 {
        problem(format!(
            "its sha256 is {sha}, the manifest records {}: changed since yoshiki wrote it",
            o.sha256
        ));
    }
    let v: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            problem(format!("not JSON: {e}"));
            return ps;
        }
    };
    let (want, ward, year) = match o.path.split_once('/') {
        Some(("unassigned", _)) => (crate::model::DOCUMENT_SCHEMA, None, None),
        Some((w, y)) => (crate::view::WARD_YEAR_SCHEMA, Some(w), y.strip_suffix(".json")),
        None => ("", None, None),
    };
    let schema = v.get("schema").and_then(|s| s.as_str()).unwrap_or("");
    if schema != want {
        problem(format!(
            "its schema is {schema:?}, but a file at this place is {want:?}"
        ));
        return ps;
    }
    match crate::validate::validate_value(&v) {
        Ok(vs) => {
            for x in vs {
                problem(format!("{}: {}", x.path, x.message));
            }
        }
        Err(e) => problem(e.to_string()),
    }
    if let (Some(w), Some(y)) = (ward, year) {
        let code = v.pointer("/ward/code").and_then(|c| c.as_str());
        let fy = v.get("fiscal_year").and_then(|f| f.as_i64()).map(|f| f.to_string());
        if code != Some(w) || fy.as_deref() != Some(y) {
            problem(format!(
                "holds ward {} and year {}, not those of its place",
                code.unwrap_or("none"),
                fy.as_deref().unwrap_or("none")
            ));
        }
        if o.ward.as_deref() != Some(w) || o.fiscal_year.map(|f| f.to_string()).as_deref() != Some(y) {
            problem("the manifest gives it another ward or year than its place".to_string());
        }
    }
    ps
}
