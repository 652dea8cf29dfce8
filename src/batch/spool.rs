//! The spool: converted documents on disk, not in memory, so memory does
//! not grow with the archive; a ward-year file is then assembled from its
//! own documents only.
//!
//! Documents are appended (compact JSON) to one segment file per worker
//! thread in the run's work folder, `OUT/.yoshiki/work-…/spool/` (removed when the run ends, and by
//! the next run if this one was killed; see `transaction.rs`); memory keeps
//! each document's segment, offset and length. One file per document would
//! cost a file creation each, which on ext4 was a fifth of a run's time.

use super::fsx::Dir;
use crate::model::Document;
use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::sync::Mutex;

pub struct Spool {
    dir: Dir,
    segments: Vec<Mutex<Segment>>,
    index: Mutex<HashMap<String, Place>>,
}

struct Segment {
    file: File,
    len: u64,
}

#[derive(Debug, Clone, Copy)]
struct Place {
    segment: usize,
    offset: u64,
    len: usize,
}

/// Whether `s` is a sha256 as this program writes it (64 lowercase hex).
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn invalid(msg: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg)
}

impl Spool {
    /// A spool in `work/spool/` with a segment for each of `threads` writers.
    pub fn new(work: &Dir, threads: usize) -> std::io::Result<Spool> {
        let dir = work.sub_create("spool")?;
        let segments = (0..threads.max(1))
            .map(|i| {
                let file = dir.create_new(&format!("segment-{i}"))?;
                Ok(Mutex::new(Segment { file, len: 0 }))
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Spool {
            dir,
            segments,
            index: Mutex::new(HashMap::new()),
        })
    }

    /// Store a document under its `source.sha256`. A document already
    /// stored is kept (the first stored wins).
    pub fn put(&self, doc: &Document) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(doc).map_err(std::io::Error::other)?;
        self.put_bytes(&doc.source.sha256, &bytes)
    }

    /// Store a document's compact JSON (`serde_json::to_vec`), made
    /// elsewhere (a worker process), under `sha`.
    pub fn put_bytes(&self, sha: &str, bytes: &[u8]) -> std::io::Result<()> {
        if !is_sha256(sha) {
            return Err(invalid(format!("{sha:?} is not a sha256")));
        }
        // The calling worker's own segment: no writer waits for another.
        let segment = rayon::current_thread_index().unwrap_or(0) % self.segments.len();
        let place = {
            let mut seg = self.segments[segment]
                .lock()
                .map_err(|_| std::io::Error::other("a spool writer panicked"))?;
            seg.file.write_all(bytes)?;
            let offset = seg.len;
            seg.len += bytes.len() as u64;
            Place {
                segment,
                offset,
                len: bytes.len(),
            }
        };
        let mut index = self
            .index
            .lock()
            .map_err(|_| std::io::Error::other("a spool writer panicked"))?;
        index.entry(sha.to_string()).or_insert(place);
        Ok(())
    }

    pub fn get(&self, sha: &str) -> std::io::Result<Document> {
        let place = self
            .index
            .lock()
            .map_err(|_| std::io::Error::other("a spool writer panicked"))?
            .get(sha)
            .copied()
            .ok_or_else(|| invalid(format!("document {sha} is not in the spool")))?;
        let mut bytes = vec![0u8; place.len];
        // A fresh handle each time: reads run in parallel with each other
        // and with appends to the same segment.
        use std::io::{Read, Seek, SeekFrom};
        let mut f = self.dir.open_read(&format!("segment-{}", place.segment))?;
        f.seek(SeekFrom::Start(place.offset))?;
        f.read_exact(&mut bytes)?;
        serde_json::from_slice(&bytes).map_err(|e| invalid(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::view::tests::doc;

    #[test]
    fn documents_come_back_as_they_went_in() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(&Dir::open_root(dir.path()).unwrap(), 2).unwrap();
        let shas: Vec<String> = (0..50).map(|i| crate::parse::sha256_hex(&[i])).collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        pool.install(|| {
            use rayon::prelude::*;
            shas.par_iter()
                .for_each(|s| spool.put(&doc(Kind::Plan, s, Some("271071"), Some(2022))).unwrap());
        });
        for s in &shas {
            let d = spool.get(s).unwrap();
            assert_eq!(&d.source.sha256, s);
        }
        assert!(spool.get(&"0".repeat(64)).is_err());
        assert!(spool.put(&doc(Kind::Plan, "../../etc", None, None)).is_err());
    }
}
