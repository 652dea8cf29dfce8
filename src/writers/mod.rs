//! Writers: each reads the model only. `json` is the canonical Document;
//! `tables` flattens the model into rows that `csv`, `ndjson` and `sqlite`
//! write; `series` links items across fiscal years.

pub mod csv;
pub mod json;
pub mod ndjson;
pub mod series;
pub mod sqlite;
pub mod tables;
