//! The recogniser: one, for every format. It reads the intermediate form
//! (`crate::ir`), anchored on the forms' own labels (プロセス（過程）指標,
//! 【撤退・再構築基準】, 前年度までの実績, 2決算額 …), never on fixed
//! positions, and builds the model.

use crate::error::{Error, Result};
use crate::ir::Ir;
use crate::model::{Document, Ward};

/// What the caller knows beyond the content.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    pub ward: Option<Ward>,
    pub year: Option<i32>,
    /// The file's name: a hint for ward and year only when the content is silent.
    pub file_name: String,
}

pub fn recognize(_ir: &Ir, _hints: &Hints) -> Result<Document> {
    Err(Error::Unrecognised("recogniser not written yet".into()))
}
