//! Writers: each reads the model only.

pub mod json;
