//! The limits every input is read under, settable on `parse` and `convert`
//! (see `crate::limits::Limits` and README "Limits").

use crate::limits::Limits;
use std::time::Duration;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct LimitArgs {
    /// Largest input file read at all, in bytes (default 256 MiB).
    #[arg(long, value_name = "BYTES")]
    max_file_bytes: Option<u64>,
    /// Largest decompressed size of one workbook part (zip entry), in bytes (default 256 MiB).
    #[arg(long, value_name = "BYTES")]
    max_part_bytes: Option<u64>,
    /// Largest decompressed size of one PDF stream, in bytes (default 128 MiB).
    #[arg(long, value_name = "BYTES")]
    max_stream_bytes: Option<u64>,
    /// Most bytes decompressed for one file in all (default 1 GiB).
    #[arg(long, value_name = "BYTES")]
    max_total_decompressed: Option<u64>,
    /// Deepest nesting of XML elements in a workbook (default 256).
    #[arg(long, value_name = "N")]
    max_depth: Option<usize>,
    /// Most PDF pages read; later pages are skipped with a warning (default 2000).
    #[arg(long, value_name = "N")]
    max_pages: Option<u32>,
    /// Most cells (workbooks) or glyphs (PDF) read (default 5,000,000).
    #[arg(long, value_name = "N")]
    max_cells: Option<u64>,
    /// Give up on a file after this many seconds: it fails with `timeout` (default 60).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    timeout: Option<u64>,
    /// Memory for one file's parse in `convert`, in bytes; past it the file fails with `too_large` (default 2 GiB).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1 << 20..))]
    max_memory: Option<u64>,
    /// Deepest folder `convert` enters below each INPUT (default 64).
    #[arg(long, value_name = "N")]
    max_walk_depth: Option<usize>,
    /// Most files and folders `convert` meets under its INPUTs; past it the run stops before writing (default 1,000,000).
    #[arg(long, value_name = "N")]
    max_walk_entries: Option<u64>,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_file_bytes: self.max_file_bytes.unwrap_or(d.max_file_bytes),
            max_part_bytes: self.max_part_bytes.unwrap_or(d.max_part_bytes),
            max_stream_bytes: self.max_stream_bytes.unwrap_or(d.max_stream_bytes),
            max_total_decompressed: self.max_total_decompressed.unwrap_or(d.max_total_decompressed),
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_pages: self.max_pages.unwrap_or(d.max_pages),
            max_cells: self.max_cells.unwrap_or(d.max_cells),
            timeout: self.timeout.map_or(d.timeout, Duration::from_secs),
            max_memory: self.max_memory.unwrap_or(d.max_memory),
            max_walk_depth: self.max_walk_depth.unwrap_or(d.max_walk_depth),
            max_walk_entries: self.max_walk_entries.unwrap_or(d.max_walk_entries),
        }
    }
}
