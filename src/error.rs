//! One error type for the crate. Each reader has its own error enum, wrapped
//! here; every variant has a stable reason code (for `manifest.json`) and a
//! message a person can act on. Exit codes are in `crate::cli`.

use crate::readers::pdf::PdfError;
use crate::readers::text::TextError;
use crate::readers::workbook::WorkbookError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file: there is nothing to read")]
    Empty,
    #[error("file too large: {size} bytes, the limit is {limit} (--max-file-bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("unknown format: {0}")]
    UnknownFormat(String),
    #[error(transparent)]
    Text(#[from] TextError),
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error("not a ward planning form: {0}")]
    Unrecognised(String),
    #[error("timeout: gave up after {0} s (--timeout)")]
    Timeout(u64),
    /// A parse that needed more memory than its budget (`Some`) or than
    /// the system gave (`None`).
    #[error("{}", out_of_memory(*budget))]
    OutOfMemory { budget: Option<u64> },
}

fn out_of_memory(budget: Option<u64>) -> String {
    match budget {
        Some(b) => format!("too large: reading it needs more than {b} bytes of memory (--max-memory)"),
        None => "too large: reading it needs more memory than the system gives (a process limit such as \
                 `ulimit -v`, or a full machine)"
            .to_string(),
    }
}

impl Error {
    /// A stable, machine-readable reason code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io(_) => "io",
            Error::Empty => "empty",
            Error::TooLarge { .. } => "too_large",
            Error::UnknownFormat(_) => "unknown_format",
            Error::Text(e) => e.code(),
            Error::Workbook(e) => e.code(),
            Error::Pdf(e) => e.code(),
            Error::Unrecognised(_) => "unrecognised",
            Error::Timeout(_) => "timeout",
            Error::OutOfMemory { .. } => "too_large",
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
