//! CSV: one file a table, UTF-8 with a header row (`--bom` puts a byte-order
//! mark first, for spreadsheet programs that need it to read UTF-8). An
//! empty cell is null; `datapackage.json` beside the files gives each
//! column's type.

use super::out::{TableOut, Target};
use super::tables::{Cell, Sink, TABLES};
use std::io::Write;

pub struct CsvSink {
    writers: Vec<Option<csv::Writer<TableOut>>>,
}

impl CsvSink {
    /// One file per table of `tables` (indices into `TABLES`).
    pub fn create(target: &Target, tables: &[usize], bom: bool) -> std::io::Result<CsvSink> {
        let mut writers: Vec<Option<csv::Writer<TableOut>>> = TABLES.iter().map(|_| None).collect();
        for &i in tables {
            let Some(t) = TABLES.get(i) else { continue };
            let mut f = TableOut::create(target, &format!("{}.csv", t.name))?;
            if bom {
                f.write_all("\u{FEFF}".as_bytes())?;
            }
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(f);
            w.write_record(t.all_columns().map(|c| c.name))?;
            if let Some(slot) = writers.get_mut(i) {
                *slot = Some(w);
            }
        }
        Ok(CsvSink { writers })
    }

    pub fn finish(self) -> std::io::Result<()> {
        for w in self.writers.into_iter().flatten() {
            w.into_inner().map_err(|e| e.into_error())?.finish()?;
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
        let Some(Some(w)) = self.writers.get_mut(table) else {
            return Ok(());
        };
        w.write_record(row.iter().map(cell_text))?;
        Ok(())
    }
}
