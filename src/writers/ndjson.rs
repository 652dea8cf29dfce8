//! NDJSON: one file a table, one JSON object a line, keys in column order.

use super::tables::{COMMON, Cell, Sink, TABLES};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct NdjsonSink {
    files: Vec<BufWriter<File>>,
    keys: Vec<Vec<String>>,
    paths: Vec<(PathBuf, PathBuf)>,
}

impl NdjsonSink {
    pub fn create(dir: &Path) -> std::io::Result<NdjsonSink> {
        std::fs::create_dir_all(dir)?;
        let mut files = Vec::new();
        let mut keys = Vec::new();
        let mut paths = Vec::new();
        for t in TABLES {
            let path = dir.join(format!("{}.ndjson", t.name));
            let tmp = dir.join(format!(".{}.ndjson.tmp", t.name));
            files.push(BufWriter::new(File::create(&tmp)?));
            // Keys as JSON strings, escaped once.
            keys.push(
                COMMON
                    .iter()
                    .chain(t.columns.iter())
                    .map(|(n, _)| serde_json::to_string(n).unwrap_or_default())
                    .collect(),
            );
            paths.push((tmp, path));
        }
        Ok(NdjsonSink { files, keys, paths })
    }

    pub fn finish(self) -> std::io::Result<()> {
        for mut f in self.files {
            f.flush()?;
        }
        for (tmp, path) in self.paths {
            std::fs::rename(tmp, path)?;
        }
        Ok(())
    }
}

fn json(c: &Cell) -> String {
    match c {
        Cell::Null => "null".to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Real(f) => serde_json::Number::from_f64(*f).map_or("null".to_string(), |n| n.to_string()),
        Cell::Text(s) => serde_json::to_string(s).unwrap_or_else(|_| "null".to_string()),
    }
}

impl Sink for NdjsonSink {
    fn row(&mut self, table: usize, row: Vec<Cell>) -> std::io::Result<()> {
        let (Some(f), Some(keys)) = (self.files.get_mut(table), self.keys.get(table)) else {
            return Ok(());
        };
        let mut line = String::from("{");
        for (i, (k, c)) in keys.iter().zip(row.iter()).enumerate() {
            if i > 0 {
                line.push(',');
            }
            line.push_str(k);
            line.push(':');
            line.push_str(&json(c));
        }
        line.push_str("}\n");
        f.write_all(line.as_bytes())
    }
}
