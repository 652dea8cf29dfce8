//! `OUT/manifest.json`: every input with its status and its output, and
//! every output file with its sha256. Sorted, without timestamps or
//! absolute paths, so the same inputs give the same bytes, and the merge of
//! a sharded run's manifests gives the single run's manifest.

use crate::model::{Coverage, Format, Kind};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The value of `Manifest::schema`.
pub const MANIFEST_SCHEMA: &str = "yoshiki/manifest/1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub schema: String,
    /// The program that wrote it: `yoshiki <version>`.
    pub generator: String,
    /// `K/N` for the output of one shard (`--shard`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shard: Option<String>,
    /// The archive the run read (all of it, also in a shard's output);
    /// absent in manifests of yoshiki 0.1.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub archive: Option<Archive>,
    pub counts: Counts,
    /// Sorted by `path` (byte order), then `sha256`.
    pub inputs: Vec<Entry>,
    /// Sorted by `path`.
    pub outputs: Vec<Output>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    pub inputs: usize,
    pub ok: usize,
    pub warning: usize,
    pub error: usize,
    /// Distinct documents (by sha256) among the converted inputs.
    pub documents: usize,
    pub outputs: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Warning,
    Error,
}

/// The identity of an archive: how many inputs a run found under its INPUT
/// arguments and a sha256 over their manifest paths and sha256s, sorted. A
/// shard converts only its share but records the whole archive's identity,
/// so `merge` can tell that its shards are of one archive and that none of
/// its inputs is missing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Archive {
    pub inputs: usize,
    pub sha256: String,
}

impl Archive {
    /// The identity of the inputs `(manifest path, sha256)` (any order;
    /// `None` for an input that could not be read).
    pub fn of<'a>(inputs: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Archive {
        use sha2::{Digest, Sha256};
        let mut all: Vec<(&str, Option<&str>)> = inputs.into_iter().collect();
        all.sort_unstable();
        let mut h = Sha256::new();
        for (path, sha) in &all {
            h.update(path.as_bytes());
            h.update([0]);
            h.update(sha.unwrap_or("-").as_bytes());
            h.update([b'\n']);
        }
        Archive {
            inputs: all.len(),
            sha256: super::output::hex(&h.finalize()),
        }
    }
}

/// One input file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// Relative to the parent of the INPUT argument it was found under, `/`-separated.
    pub path: String,
    /// Of the file's bytes; null when it could not be read.
    pub sha256: Option<String>,
    pub bytes: Option<u64>,
    /// As the bytes say (never the extension); null when unknown.
    pub format: Option<Format>,
    pub status: Status,
    pub kind: Option<Kind>,
    /// The ward's code (`271071`).
    pub ward: Option<String>,
    pub fiscal_year: Option<i32>,
    /// The data file holding the document, relative to OUT.
    pub output: Option<String>,
    /// The document's warnings, plus one for a document put under `unassigned/`.
    pub warnings: usize,
    /// The distinct warning codes, sorted.
    pub warning_codes: Vec<String>,
    pub error: Option<EntryError>,
    /// The document's `coverage` (content placed in fields / content read);
    /// null for an input that failed.
    #[serde(default)]
    pub coverage: Option<Coverage>,
}

/// Why an input failed: a stable reason code and a message for a person.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntryError {
    pub code: String,
    pub message: String,
}

/// One data file written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Output {
    /// Relative to OUT: `271071/2022.json` or `unassigned/<sha256>.json`.
    pub path: String,
    pub sha256: String,
    pub ward: Option<String>,
    pub fiscal_year: Option<i32>,
    /// The sha256 of each document in it, in the file's order.
    pub documents: Vec<String>,
}

impl Manifest {
    pub fn new(
        shard: Option<String>,
        archive: Option<Archive>,
        mut inputs: Vec<Entry>,
        mut outputs: Vec<Output>,
    ) -> Manifest {
        inputs.sort_by(|a, b| (&a.path, &a.sha256).cmp(&(&b.path, &b.sha256)));
        outputs.sort_by(|a, b| a.path.cmp(&b.path));
        let mut docs: Vec<&str> = inputs
            .iter()
            .filter(|e| e.status != Status::Error)
            .filter_map(|e| e.sha256.as_deref())
            .collect();
        docs.sort_unstable();
        docs.dedup();
        let counts = Counts {
            inputs: inputs.len(),
            ok: inputs.iter().filter(|e| e.status == Status::Ok).count(),
            warning: inputs.iter().filter(|e| e.status == Status::Warning).count(),
            error: inputs.iter().filter(|e| e.status == Status::Error).count(),
            documents: docs.len(),
            outputs: outputs.len(),
        };
        Manifest {
            schema: MANIFEST_SCHEMA.to_string(),
            generator: format!("yoshiki {}", env!("CARGO_PKG_VERSION")),
            shard,
            archive,
            counts,
            inputs,
            outputs,
        }
    }

    /// Read `dir/manifest.json`: `Ok(None)` if there is none.
    pub fn read(dir: &Path) -> Result<Option<Manifest>, String> {
        let path = dir.join("manifest.json");
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
        };
        Manifest::from_bytes(&bytes, &path).map(Some)
    }

    /// A manifest's bytes, read from `path` (for messages).
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Manifest, String> {
        let m: Manifest =
            serde_json::from_slice(bytes).map_err(|e| format!("{}: not a yoshiki manifest: {e}", path.display()))?;
        if m.schema != MANIFEST_SCHEMA {
            return Err(format!(
                "{}: schema {:?}, this yoshiki reads {MANIFEST_SCHEMA:?}",
                path.display(),
                m.schema
            ));
        }
        Ok(m)
    }
}

/// The manifest in OUT (read without following a link) and the sha256 of
/// its bytes; `Ok(None)` if there is none.
pub fn read_in(out: &super::fsx::Dir) -> Result<Option<(Manifest, String)>, String> {
    use std::io::Read;
    let name = super::transaction::MANIFEST;
    let path = out.join(name);
    let mut bytes = Vec::new();
    match out
        .open_read(name)
        .and_then(|f| f.take(4 << 30).read_to_end(&mut bytes))
    {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    }
    let sha = crate::parse::sha256_hex(&bytes);
    Manifest::from_bytes(&bytes, &path).map(|m| Some((m, sha)))
}

/// Whether `name` is a ward folder's name (a ward code: 6 digits).
pub fn is_ward_dir(name: &str) -> bool {
    name.len() == 6 && name.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `path` (from a manifest) names a data file this program writes:
/// `<6 digits>/<4 digits>.json` or `unassigned/<64 hex>.json`. A manifest
/// is read before files it lists are removed or merged, and must not lead
/// outside OUT.
pub fn is_data_path(path: &str) -> bool {
    let Some((dir, file)) = path.split_once('/') else {
        return false;
    };
    let Some(stem) = file.strip_suffix(".json") else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if dir == "unassigned" {
        stem.len() == 64 && stem.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    } else {
        digits(dir, 6) && digits(stem, 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_paths() {
        assert!(is_data_path("271071/2022.json"));
        assert!(is_data_path(&format!("unassigned/{}.json", "a".repeat(64))));
        for bad in [
            "../x/2022.json",
            "/etc/2022.json",
            "271071/2022.json/..",
            "271071/../../2022.json",
            "manifest.json",
            "unassigned/../../etc.json",
            "2710711/2022.json",
        ] {
            assert!(!is_data_path(bad), "{bad}");
        }
    }
}
