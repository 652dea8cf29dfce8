//! Limits on every input, so one hostile file costs a clear error for that
//! file, never a hang, an abort or the machine's memory. Each is settable on
//! the command line (`--max-…`) and documented in the README.

use std::time::Duration;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Largest input file read at all.
    pub max_file_bytes: u64,
    /// Largest decompressed size of one workbook part (zip entry).
    pub max_part_bytes: u64,
    /// Largest decompressed size of one PDF stream.
    pub max_stream_bytes: u64,
    /// Sum of all decompressed bytes for one file.
    pub max_total_decompressed: u64,
    /// Deepest nesting of PDF arrays/dictionaries or XML elements.
    pub max_depth: usize,
    /// Most PDF pages read.
    pub max_pages: u32,
    /// Most cells (workbooks) or glyphs (PDF) read.
    pub max_cells: u64,
    /// Wall time for one file; the file fails with `timeout` past it.
    pub timeout: Duration,
    /// Memory (heap bytes live) for one file's parse in `convert`; the
    /// file fails with `too_large` past it (`batch/memory.rs`).
    pub max_memory: u64,
    /// Deepest folder the walk of `convert`'s inputs enters (below each INPUT).
    pub max_walk_depth: usize,
    /// Most files and folders the walk of `convert`'s inputs meets in all.
    pub max_walk_entries: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 256 << 20,
            max_part_bytes: 256 << 20,
            max_stream_bytes: 128 << 20,
            max_total_decompressed: 1 << 30,
            max_depth: 256,
            max_pages: 2000,
            max_cells: 5_000_000,
            timeout: Duration::from_secs(60),
            max_memory: 2 << 30,
            max_walk_depth: 64,
            max_walk_entries: 1_000_000,
        }
    }
}
