//! NDJSON: one file a table (or one table to stdout), one JSON object a
//! line, keys in column order; null where a value is absent.

use super::out::{TableOut, Target};
use super::tables::{Cell, Sink, TABLES};
use std::io::Write;

pub struct NdjsonSink {
    files: Vec<Option<TableOut>>,
    keys: Vec<Vec<String>>,
}

impl NdjsonSink {
    /// One file per table of `tables` (indices into `TABLES`).
    pub fn create(target: &Target, tables: &[usize]) -> std::io::Result<NdjsonSink> {
        let mut files: Vec<Option<TableOut>> = TABLES.iter().map(|_| None).collect();
        for &i in tables {
            let Some(t) = TABLES.get(i) else { continue };
            if let Some(slot) = files.get_mut(i) {
                *slot = Some(TableOut::create(target, &format!("{}.ndjson", t.name))?);
            }
        }
        // Keys as JSON strings, escaped once.
        let keys = TABLES
            .iter()
            .map(|t| {
                t.all_columns()
                    .map(|c| serde_json::to_string(c.name).unwrap_or_default())
                    .collect()
            })
            .collect();
        Ok(NdjsonSink { files, keys })
    }

    pub fn finish(self) -> std::io::Result<()> {
        for f in self.files.into_iter().flatten() {
            f.finish()?;
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
        let (Some(Some(f)), Some(keys)) = (self.files.get_mut(table), self.keys.get(table)) else {
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
