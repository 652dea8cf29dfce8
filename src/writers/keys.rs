//! What the rows written bear out of the tables' declared constraints:
//! each table's primary key (unique, never empty), its foreign keys (every
//! key found in the table referred to), each column's `required` (never
//! empty) and its fixed set of values.
//!
//! The data package declares only what the rows bear out, so it always
//! validates; what it leaves out, `export` says. Keys are kept as 64-bit
//! hashes (SipHash): a few megabytes for a million rows. A collision could
//! only make a key look repeated, and so left undeclared — never a wrong
//! key declared.

use super::tables::{Cell, TABLES};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Checks rows as they are written.
pub struct Checker {
    tables: Vec<TableCheck>,
}

struct TableCheck {
    rows: u64,
    pk: Vec<usize>,
    pk_seen: HashSet<u64>,
    pk_repeated: u64,
    pk_empty: u64,
    fks: Vec<FkCheck>,
    empty: Vec<u64>,
    outside: Vec<u64>,
}

struct FkCheck {
    cols: Vec<usize>,
    target: usize,
    keys: HashSet<u64>,
    empty: u64,
}

/// What one table's rows bore out.
#[derive(Debug, Clone)]
pub struct TableReport {
    pub rows: u64,
    /// The primary key holds (every table with one; false for one without).
    pub primary_key: bool,
    /// Per `TableDef::foreign_keys`, in order: every key is found.
    pub foreign_keys: Vec<bool>,
    /// Per column (common ones first): never empty.
    pub never_empty: Vec<bool>,
    /// Per column: every value is one of the column's `values`.
    pub within_values: Vec<bool>,
    /// What did not hold, for a person.
    pub notes: Vec<String>,
}

fn column_index(table: usize, name: &str) -> usize {
    TABLES
        .get(table)
        .and_then(|t| t.all_columns().position(|c| c.name == name))
        .unwrap_or(usize::MAX)
}

fn key_hash(row: &[Cell], cols: &[usize]) -> Option<u64> {
    let mut h = DefaultHasher::new();
    for &i in cols {
        match row.get(i)? {
            Cell::Null => return None,
            Cell::Int(v) => (1u8, v).hash(&mut h),
            Cell::Real(v) => (2u8, v.to_bits()).hash(&mut h),
            Cell::Text(s) => (3u8, s).hash(&mut h),
        }
    }
    Some(h.finish())
}

impl Default for Checker {
    fn default() -> Self {
        Checker::new()
    }
}

impl Checker {
    pub fn new() -> Checker {
        let tables = TABLES
            .iter()
            .enumerate()
            .map(|(ti, t)| {
                let n = t.all_columns().count();
                TableCheck {
                    rows: 0,
                    pk: t.primary_key().iter().map(|c| column_index(ti, c)).collect(),
                    pk_seen: HashSet::new(),
                    pk_repeated: 0,
                    pk_empty: 0,
                    fks: t
                        .foreign_keys()
                        .iter()
                        .map(|(cols, target, _)| FkCheck {
                            cols: cols.iter().map(|c| column_index(ti, c)).collect(),
                            target: TABLES.iter().position(|x| x.name == *target).unwrap_or(usize::MAX),
                            keys: HashSet::new(),
                            empty: 0,
                        })
                        .collect(),
                    empty: vec![0; n],
                    outside: vec![0; n],
                }
            })
            .collect();
        Checker { tables }
    }

    pub fn row(&mut self, table: usize, row: &[Cell]) {
        let (Some(t), Some(def)) = (self.tables.get_mut(table), TABLES.get(table)) else {
            return;
        };
        t.rows += 1;
        for (i, (c, col)) in row.iter().zip(def.all_columns()).enumerate() {
            let (Some(empty), Some(outside)) = (t.empty.get_mut(i), t.outside.get_mut(i)) else {
                continue;
            };
            match c {
                Cell::Null => *empty += 1,
                Cell::Text(s) if !col.values.is_empty() && !col.values.contains(&s.as_str()) => *outside += 1,
                _ => {}
            }
        }
        if !t.pk.is_empty() {
            match key_hash(row, &t.pk) {
                None => t.pk_empty += 1,
                Some(h) => {
                    if !t.pk_seen.insert(h) {
                        t.pk_repeated += 1;
                    }
                }
            }
        }
        for fk in &mut t.fks {
            match key_hash(row, &fk.cols) {
                None => fk.empty += 1,
                Some(h) => {
                    fk.keys.insert(h);
                }
            }
        }
    }

    pub fn rows(&self, table: usize) -> u64 {
        self.tables.get(table).map_or(0, |t| t.rows)
    }

    pub fn report(self) -> Vec<TableReport> {
        let mut out = Vec::new();
        for (ti, t) in self.tables.iter().enumerate() {
            let Some(def) = TABLES.get(ti) else { continue };
            let mut notes = Vec::new();
            let pk_ok = !t.pk.is_empty() && t.pk_repeated == 0 && t.pk_empty == 0;
            if !t.pk.is_empty() && !pk_ok {
                notes.push(format!(
                    "{}: primary key ({}) not declared: {} rows repeat a key, {} leave part of it empty",
                    def.name,
                    def.primary_key().join(", "),
                    t.pk_repeated,
                    t.pk_empty
                ));
            }
            let fk_defs = def.foreign_keys();
            let mut fks = Vec::new();
            for (fk, (cols, target, _)) in t.fks.iter().zip(fk_defs.iter()) {
                let parent = self.tables.get(fk.target).map(|p| &p.pk_seen);
                let missing = parent.map_or(fk.keys.len(), |p| fk.keys.iter().filter(|h| !p.contains(h)).count());
                let ok = missing == 0 && fk.empty == 0;
                if !ok {
                    notes.push(format!(
                        "{}: foreign key ({}) → {target} not declared: {missing} keys not found there, {} rows leave part of it empty",
                        def.name,
                        cols.join(", "),
                        fk.empty
                    ));
                }
                fks.push(ok);
            }
            let never_empty: Vec<bool> = t.empty.iter().map(|&n| n == 0).collect();
            let within_values: Vec<bool> = t.outside.iter().map(|&n| n == 0).collect();
            for ((col, &empty), &outside) in def.all_columns().zip(&t.empty).zip(&t.outside) {
                if col.required && empty > 0 {
                    notes.push(format!(
                        "{}.{}: not declared required: {empty} rows leave it empty",
                        def.name, col.name
                    ));
                }
                if outside > 0 {
                    notes.push(format!(
                        "{}.{}: {outside} values outside its set ({}); the set is not declared",
                        def.name,
                        col.name,
                        col.values.join(", ")
                    ));
                }
            }
            out.push(TableReport {
                rows: t.rows,
                primary_key: pk_ok,
                foreign_keys: fks,
                never_empty,
                within_values,
                notes,
            });
        }
        out
    }
}
