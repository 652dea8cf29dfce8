//! SQLite (rusqlite, SQLite bundled): one table per table, an index on
//! (ward_code, fiscal_year) of each, and views for the common joins.

use super::tables::{Cell, Sink, TABLES, Type};
use rusqlite::{Connection, params_from_iter, types::Value};
use std::path::{Path, PathBuf};

pub struct SqliteSink {
    conn: Connection,
    inserts: Vec<String>,
    tmp: PathBuf,
    path: PathBuf,
}

/// The views: a budget with its initiative's title, an indicator with its
/// values, and each initiative series with its budgets year by year.
const VIEWS: &str = "
CREATE VIEW budgets_with_titles AS
  SELECT b.*, i.title AS initiative_title, i.strategy_id, i.issue_number
  FROM budgets b LEFT JOIN initiatives i
    USING (ward_code, fiscal_year, document_kind, document_sha256, initiative_id);
CREATE VIEW indicator_targets AS
  SELECT i.ward_code, i.ward_name, i.fiscal_year, i.document_kind, i.document_sha256,
         i.indicator_id, i.level, i.owner_id, i.description,
         v.role, v.value_fiscal_year, v.value, v.unit, v.comparator, v.text, i.series_id
  FROM indicators i JOIN indicator_values v
    USING (ward_code, fiscal_year, document_kind, document_sha256, indicator_id);
CREATE VIEW initiative_series_budgets AS
  SELECT s.series_id, s.ward_code, s.ward_name, s.fiscal_year, s.item_id AS initiative_id, s.title,
         b.budget_fiscal_year, b.kind, b.yen
  FROM series s JOIN budgets b
    ON b.series_id = s.series_id AND b.fiscal_year = s.fiscal_year
   AND b.initiative_id = s.item_id AND b.document_kind = 'plan_view'
  WHERE s.entity = 'initiative';
";

impl SqliteSink {
    pub fn create(path: &Path) -> Result<SqliteSink, String> {
        let tmp = path.with_extension("sqlite.tmp");
        let _ = std::fs::remove_file(&tmp);
        let conn = Connection::open(&tmp).map_err(|e| e.to_string())?;
        conn.execute_batch("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;")
            .map_err(|e| e.to_string())?;
        let mut inserts = Vec::new();
        for t in TABLES {
            let cols: Vec<String> = t
                .all_columns()
                .map(|c| {
                    let ty = match c.ty {
                        Type::Int | Type::Year | Type::Yen => "INTEGER",
                        Type::Real => "REAL",
                        Type::Text => "TEXT",
                    };
                    format!("{} {ty}", c.name)
                })
                .collect();
            conn.execute_batch(&format!("CREATE TABLE {} ({});", t.name, cols.join(", ")))
                .map_err(|e| e.to_string())?;
            let n = t.all_columns().count();
            let marks = vec!["?"; n].join(",");
            inserts.push(format!("INSERT INTO {} VALUES ({marks})", t.name));
        }
        Ok(SqliteSink {
            conn,
            inserts,
            tmp,
            path: path.to_path_buf(),
        })
    }

    pub fn finish(self) -> Result<(), String> {
        let mut sql = String::new();
        for t in TABLES {
            sql.push_str(&format!(
                "CREATE INDEX {0}_ward_year ON {0} (ward_code, fiscal_year);\n",
                t.name
            ));
        }
        sql.push_str(
            "CREATE INDEX budgets_initiative ON budgets (initiative_id);
             CREATE INDEX initiatives_initiative ON initiatives (initiative_id);
             CREATE INDEX series_series ON series (series_id);",
        );
        sql.push_str(VIEWS);
        sql.push_str("COMMIT;");
        self.conn.execute_batch(&sql).map_err(|e| e.to_string())?;
        self.conn.close().map_err(|(_, e)| e.to_string())?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| e.to_string())
    }
}

impl Sink for SqliteSink {
    fn row(&mut self, table: usize, row: Vec<Cell>) -> std::io::Result<()> {
        let Some(sql) = self.inserts.get(table) else {
            return Ok(());
        };
        let values = row.into_iter().map(|c| match c {
            Cell::Null => Value::Null,
            Cell::Int(i) => Value::Integer(i),
            Cell::Real(f) => Value::Real(f),
            Cell::Text(s) => Value::Text(s),
        });
        let mut stmt = self.conn.prepare_cached(sql).map_err(std::io::Error::other)?;
        stmt.execute(params_from_iter(values)).map_err(std::io::Error::other)?;
        Ok(())
    }
}
