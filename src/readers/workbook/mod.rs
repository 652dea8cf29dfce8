//! Workbook reader (xlsx, xls, ods) on calamine. Placeholder until the
//! workbook issue lands.

use crate::error::Result;
use crate::ir::Ir;
use crate::limits::Limits;
use crate::model::Format;

#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("workbooks are not supported yet")]
    Unsupported,
}

impl WorkbookError {
    pub fn code(&self) -> &'static str {
        match self {
            WorkbookError::Unsupported => "unsupported",
        }
    }
}

pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Ir> {
    Err(WorkbookError::Unsupported.into())
}

/// xlsx or ods, from the package's parts.
pub fn zip_format(bytes: &[u8]) -> Format {
    if bytes
        .windows(46)
        .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet")
    {
        Format::Ods
    } else {
        Format::Xlsx
    }
}
