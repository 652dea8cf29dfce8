//! PDF reader on lopdf. Placeholder until the PDF issue lands.

use crate::error::Result;
use crate::ir::Ir;
use crate::limits::Limits;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("PDF is not supported yet")]
    Unsupported,
}

impl PdfError {
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::Unsupported => "unsupported",
        }
    }
}

pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Ir> {
    Err(PdfError::Unsupported.into())
}
