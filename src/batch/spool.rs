//! The spool: each converted document as a file of its own, named by its
//! sha256, in a work directory inside OUT (`.yoshiki-tmp-work…`, removed
//! when the run ends, and by the next run if this one was killed). The run
//! holds documents here, not in memory, so memory does not grow with the
//! archive; a ward-year file is then assembled from its own documents only.

use super::output::TMP_PREFIX;
use crate::model::Document;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Spool {
    dir: tempfile::TempDir,
}

/// Whether `s` is a sha256 as this program writes it (64 lowercase hex),
/// and so safe in a file name.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Spool {
    pub fn new(out: &Path) -> std::io::Result<Spool> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("{TMP_PREFIX}work-"))
            .tempdir_in(out)?;
        Ok(Spool { dir })
    }

    fn path(&self, sha: &str) -> std::io::Result<PathBuf> {
        if !is_sha256(sha) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{sha:?} is not a sha256"),
            ));
        }
        Ok(self.dir.path().join(format!("{sha}.json")))
    }

    /// Store a document (compact JSON) under its `source.sha256`.
    pub fn put(&self, doc: &Document) -> std::io::Result<()> {
        let target = self.path(&doc.source.sha256)?;
        let mut tmp = tempfile::NamedTempFile::new_in(self.dir.path())?;
        let bytes = serde_json::to_vec(doc).map_err(std::io::Error::other)?;
        tmp.write_all(&bytes)?;
        tmp.persist(target).map_err(|e| e.error)?;
        Ok(())
    }

    pub fn get(&self, sha: &str) -> std::io::Result<Document> {
        let bytes = std::fs::read(self.path(sha)?)?;
        serde_json::from_slice(&bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}
