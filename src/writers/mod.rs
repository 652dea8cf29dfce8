//! Writers: each reads the model only. `json` is the canonical Document;
//! `tables` flattens the model into rows that `csv`, `ndjson`, `parquet`
//! and `sqlite` write; `keys` checks the rows against the tables' keys,
//! `datapackage` describes the files written, `dictionary` the tables
//! (docs/tables.md); `series` links items across fiscal years.

pub mod csv;
pub mod datapackage;
pub mod dictionary;
pub mod json;
pub mod keys;
pub mod ndjson;
pub mod out;
pub mod parquet;
pub mod series;
pub mod sqlite;
pub mod tables;
