//! Readers: one module per format, each turning bytes into the
//! intermediate form (`crate::ir`). The format is decided from the bytes,
//! never from the file's name.

pub mod lines;
pub mod pdf;
pub mod text;
pub mod workbook;

use crate::error::{Error, Result};
use crate::ir::Ir;
use crate::limits::Limits;
use crate::model::Format;

/// What the first bytes say the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Pdf,
    /// A zip package: xlsx or ods (told apart by its parts).
    Zip,
    /// An OLE compound file: xls (BIFF8), or an encrypted OOXML package.
    Cfb,
    Text,
}

/// Decide the format from the content.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    // PDF readers accept the header anywhere in the first 1024 bytes.
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Sniffed::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniffed::Cfb;
    }
    Sniffed::Text
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Read any supported file into the intermediate form.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Ir> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Error::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    match sniff(bytes) {
        Sniffed::Pdf => Ok(pdf::read(bytes, limits)?),
        Sniffed::Zip | Sniffed::Cfb => Ok(workbook::read(bytes, limits)?),
        Sniffed::Text => Ok(text::read(bytes, limits)?),
    }
}

/// The format a successful read reports, for the manifest of failed files.
pub fn guess_format(bytes: &[u8]) -> Option<Format> {
    match sniff(bytes) {
        Sniffed::Pdf => Some(Format::Pdf),
        Sniffed::Zip => Some(workbook::zip_format(bytes)),
        Sniffed::Cfb => Some(Format::Xls),
        Sniffed::Text if bytes.is_empty() => None,
        Sniffed::Text => Some(Format::Text),
    }
}

/// [`read`], with the PDF reader's view of each page (glyph boxes, rulings,
/// struck glyphs) when the file is a PDF: what `yoshiki inspect` draws.
pub fn read_with_view(bytes: &[u8], limits: &Limits) -> Result<(Ir, Option<pdf::view::View>)> {
    if !bytes.is_empty() && bytes.len() as u64 <= limits.max_file_bytes && sniff(bytes) == Sniffed::Pdf {
        let (ir, view) = pdf::read_with_view(bytes, limits)?;
        return Ok((ir, Some(view)));
    }
    Ok((read(bytes, limits)?, None))
}
