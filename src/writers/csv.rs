//! CSV: one file a table, UTF-8 with a header row (`--bom` puts a byte-order
//! mark first, for spreadsheet programs that need it to read UTF-8).

use super::tables::{COMMON, Cell, Sink, TABLES};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct CsvSink {
    writers: Vec<csv::Writer<BufWriter<File>>>,
    paths: Vec<(PathBuf, PathBuf)>,
}

impl CsvSink {
    /// Files are written to temporary names in `dir` and renamed by `finish`.
    pub fn create(dir: &Path, bom: bool) -> std::io::Result<CsvSink> {
        std::fs::create_dir_all(dir)?;
        let mut writers = Vec::new();
        let mut paths = Vec::new();
        for t in TABLES {
            let path = dir.join(format!("{}.csv", t.name));
            let tmp = dir.join(format!(".{}.csv.tmp", t.name));
            let mut f = BufWriter::new(File::create(&tmp)?);
            if bom {
                f.write_all("\u{FEFF}".as_bytes())?;
            }
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(f);
            let header: Vec<&str> = COMMON.iter().chain(t.columns.iter()).map(|(n, _)| *n).collect();
            w.write_record(&header)?;
            writers.push(w);
            paths.push((tmp, path));
        }
        Ok(CsvSink { writers, paths })
    }

    pub fn finish(self) -> std::io::Result<()> {
        for mut w in self.writers {
            w.flush()?;
        }
        for (tmp, path) in self.paths {
            std::fs::rename(tmp, path)?;
        }
        Ok(())
    }
}

pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Null => String::new(),
        Cell::Int(i) => i.to_string(),
        Cell::Real(f) => f.to_string(),
        Cell::Text(s) => s.clone(),
    }
}

impl Sink for CsvSink {
    fn row(&mut self, table: usize, row: Vec<Cell>) -> std::io::Result<()> {
        let Some(w) = self.writers.get_mut(table) else {
            return Ok(());
        };
        w.write_record(row.iter().map(cell_text))?;
        Ok(())
    }
}
