//! yoshiki: Osaka City's ward planning forms (様式) from workbooks, PDFs,
//! web pages and text releases into one typed model and canonical JSON.
//!
//! The pipeline, as the folders show it:
//!
//! ```text
//! readers/{text,workbook,pdf,html}  →  ir (rows of cells with provenance)
//!        →  recognize (one recogniser, anchored on the forms' labels)
//!        →  model::Document  →  writers/{json,csv,ndjson,sqlite}
//!                                →  report (inspection reports, HTML)
//! ```
//!
//! `normalize` holds the small pure functions every value goes through;
//! `view` merges a ward and year's documents into one view of its plan;
//! `batch` converts archives; `cli` is the command line over all of it.

pub mod batch;
pub mod cli;
pub mod error;
pub mod ir;
pub mod limits;
pub mod model;
pub mod normalize;
pub mod parse;
pub mod readers;
pub mod recognize;
pub mod report;
pub mod validate;
pub mod view;
pub mod wards;
pub mod writers;

pub use error::{Error, Result};
