//! One file in, one `Document` out: read (format from the bytes) → the
//! intermediate form → the recogniser → the model, with `source` filled in.

use crate::error::Result;
use crate::ir::Ir;
use crate::limits::Limits;
use crate::model::{DOCUMENT_SCHEMA, Document, Format, Source, Ward};
use crate::{readers, recognize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// What the caller knows beyond the file: `--ward`/`--year` (which
/// override the content), and the limits.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Options {
    pub ward: Option<Ward>,
    pub year: Option<i32>,
    pub limits: Limits,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Read a file's bytes into the intermediate form (for `yoshiki dump`).
pub fn read_ir(bytes: &[u8], limits: &Limits) -> Result<Ir> {
    readers::read(bytes, limits)
}

/// Parse bytes whose name (for `source.path` and the file-name hint) is
/// `path`.
pub fn parse_bytes(bytes: &[u8], path: &str, opts: &Options) -> Result<Document> {
    let ir = readers::read(bytes, &opts.limits)?;
    document_from_ir(&ir, bytes, path, opts)
}

/// The recogniser's `Document` from a file's intermediate form (`bytes`
/// are the file's, for `source.sha256`): [`parse_bytes`] after reading, for
/// callers that keep the intermediate form too (`yoshiki inspect`).
pub fn document_from_ir(ir: &Ir, bytes: &[u8], path: &str, opts: &Options) -> Result<Document> {
    let file_name = Path::new(path).file_name().and_then(|f| f.to_str()).unwrap_or("");
    let hints = recognize::Hints {
        ward: opts.ward.clone(),
        year: opts.year,
        file_name: file_name.to_string(),
    };
    // The name's extension never decides how a file is read; where it
    // claims another format than the bytes have, the user is told.
    let mismatch = extension_mismatch(path, ir.format);
    let mut doc = match recognize::recognize(ir, &hints) {
        Ok(d) => d,
        Err(crate::Error::Unrecognised(why)) if mismatch.is_some() => {
            return Err(crate::Error::Unrecognised(format!(
                "{}; {why}",
                mismatch.unwrap_or_default()
            )));
        }
        Err(e) => return Err(e),
    };
    if let Some(m) = mismatch {
        doc.warnings.insert(
            0,
            crate::model::Warning::new(
                "extension_mismatch",
                format!("{m}; read as {}", ir.format.as_str()),
                Default::default(),
            ),
        );
    }
    doc.schema = DOCUMENT_SCHEMA.to_string();
    doc.source = Source {
        path: path.to_string(),
        sha256: sha256_hex(bytes),
        format: ir.format,
        encoding: ir.meta.encoding.clone(),
        line_ending: ir.meta.line_ending.clone(),
        dialect: ir.meta.dialect.clone(),
        pages: ir.meta.pages,
        sheets: ir.meta.sheets.clone(),
        producer: ir.meta.producer.clone(),
    };
    Ok(doc)
}

/// `named .xlsx, but the bytes are plain text (not a workbook)`, where a
/// file's extension names another format than its bytes.
fn extension_mismatch(path: &str, actual: Format) -> Option<String> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    let claimed = match ext.as_str() {
        "xlsx" | "xlsm" => Format::Xlsx,
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        "pdf" => Format::Pdf,
        "txt" | "tsv" | "md" | "csv" => Format::Text,
        _ => return None,
    };
    let workbook = |f: Format| matches!(f, Format::Xlsx | Format::Xls | Format::Ods);
    if claimed == actual || (workbook(claimed) && workbook(actual)) {
        return None;
    }
    let what = |f: Format| match f {
        Format::Xlsx | Format::Xls | Format::Ods => "a workbook",
        Format::Pdf => "a PDF",
        Format::Text => "plain text",
    };
    Some(format!(
        "named .{ext}, but the bytes are {} (not {})",
        what(actual),
        what(claimed)
    ))
}

pub fn parse_file(path: &Path, opts: &Options) -> Result<Document> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > opts.limits.max_file_bytes {
        return Err(crate::Error::TooLarge {
            size: meta.len(),
            limit: opts.limits.max_file_bytes,
        });
    }
    let bytes = std::fs::read(path)?;
    parse_bytes(&bytes, &path.to_string_lossy(), opts)
}
