//! Workbooks (xlsx, xls, ods) into the intermediate form, on calamine.
//!
//! The format comes from the bytes: a zip package is xlsx or ods by its
//! parts (`package.rs`), an OLE compound file is an xls, or an encrypted
//! OOXML package (EncryptionInfo + EncryptedPackage streams: "encrypted:
//! needs a password"). Each worksheet row becomes one table row
//! (`calamine_sheets.rs`): one cell per non-empty cell at its grid column,
//! a merged region once at its top-left with its span, numbers and dates
//! as the sheet shows them (`number_format.rs`), every cell located by
//! sheet and A1 reference. Struck-through runs inside a cell become
//! revisions and leave the cell holding the new text only (`rich_text.rs`,
//! with `ods_content.rs` and `xls_biff.rs` for the runs calamine does not
//! expose in ods and xls).
//!
//! A hostile file is an error with a stable code, never a panic, a hang or
//! unbounded memory: zip directories are checked against the limits before
//! anything inflates (`package.rs`), and the dense grids calamine builds
//! for ods and xls are sized before calamine runs.

mod calamine_sheets;
mod number_format;
mod ods_content;
mod package;
mod rich_text;
mod xls_biff;
mod xml;

use crate::error::Result;
use crate::ir::Ir;
use crate::limits::Limits;
use crate::model::Format;
use crate::readers::{Sniffed, sniff};

#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("truncated: {0}")]
    Truncated(String),
    #[error("not a workbook: {0}")]
    NotAWorkbook(String),
    #[error("encrypted: needs a password")]
    Encrypted,
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("too deep: {part} nests elements deeper than {limit} (--max-depth)")]
    TooDeep { part: &'static str, limit: usize },
    #[error("unsupported workbook: {0}")]
    Unsupported(String),
    #[error("corrupt workbook: {0}")]
    Corrupt(String),
}

impl WorkbookError {
    pub fn code(&self) -> &'static str {
        match self {
            WorkbookError::Truncated(_) => "truncated",
            WorkbookError::NotAWorkbook(_) => "not_a_workbook",
            WorkbookError::Encrypted => "encrypted",
            WorkbookError::TooLarge(_) => "too_large",
            WorkbookError::TooDeep { .. } => "too_deep",
            WorkbookError::Unsupported(_) => "unsupported",
            WorkbookError::Corrupt(_) => "corrupt",
        }
    }
}

/// Read a workbook's bytes into the intermediate form.
///
/// Everything a file controls is checked before use here, and the limits
/// bound what calamine is given; as a last line, a panic inside a
/// dependency on some file nobody foresaw is caught and reported as that
/// file's error, so one file never stops a batch.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Ir> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_unguarded(bytes, limits))) {
        Ok(result) => result,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(WorkbookError::Corrupt(format!("the workbook reader failed on this file ({why})")).into())
        }
    }
}

fn read_unguarded(bytes: &[u8], limits: &Limits) -> Result<Ir> {
    let ir = match sniff(bytes) {
        Sniffed::Zip => {
            let mut pkg = package::Package::open(bytes, limits)?;
            match pkg.format()? {
                Format::Ods => calamine_sheets::read_ods(bytes, pkg, limits)?,
                _ => calamine_sheets::read_xlsx(bytes, pkg, limits)?,
            }
        }
        Sniffed::Cfb => calamine_sheets::read_xls(bytes, limits)?,
        Sniffed::Pdf => {
            return Err(WorkbookError::NotAWorkbook("the bytes are a PDF".into()).into());
        }
        Sniffed::Html => {
            return Err(WorkbookError::NotAWorkbook("the bytes are a web page".into()).into());
        }
        Sniffed::Text => {
            let what = if bytes.is_empty() {
                "the file is empty"
            } else {
                "the bytes are plain text"
            };
            return Err(WorkbookError::NotAWorkbook(what.into()).into());
        }
    };
    Ok(ir)
}

/// xlsx or ods, from the package's parts (for the manifest of a file that
/// failed to read; anything unreadable is called xlsx).
pub fn zip_format(bytes: &[u8]) -> Format {
    let limits = Limits::default();
    match package::Package::open(bytes, &limits).and_then(|mut p| p.format()) {
        Ok(f) => f,
        Err(_) => Format::Xlsx,
    }
}

/// `B12` → (11, 1), 0-based row and column.
pub(crate) fn parse_a1(a1: &str) -> Option<(u32, u32)> {
    let a1 = a1.trim_start_matches('$');
    let split = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = a1.split_at(split);
    let letters = letters.trim_end_matches('$');
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for c in letters.chars() {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// (11, 1) → `B12`.
pub(crate) fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        c = (c - 1) / 26;
    }
    letters.reverse();
    let mut s: String = letters.into_iter().collect();
    s.push_str(&(row as u64 + 1).to_string());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references_both_ways() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 1), "B12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(parse_a1("B12"), Some((11, 1)));
        assert_eq!(parse_a1("$AA$3"), Some((2, 26)));
        assert_eq!(parse_a1("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_a1("A0"), None);
        assert_eq!(parse_a1("12"), None);
    }

    #[test]
    fn text_is_not_a_workbook() {
        let e = read(b"hello\tworld\n", &Limits::default()).unwrap_err();
        assert_eq!(e.code(), "not_a_workbook");
        assert_eq!(e.to_string(), "not a workbook: the bytes are plain text");
    }
}
