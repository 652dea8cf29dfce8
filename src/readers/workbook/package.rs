//! The zip package under xlsx and ods, opened safely.
//!
//! A workbook is a zip of XML parts, and a zip can promise anything: a part
//! of a few kilobytes that inflates to gigabytes, a million entries, a
//! central directory cut off. [`Package::open`] checks the whole directory
//! before anyone (calamine, or the readers here) inflates a byte: the number
//! of entries, each part's declared size against `Limits::max_part_bytes` and
//! their sum against `Limits::max_total_decompressed`. The declared sizes are
//! binding: the `zip` crate fails a read as soon as a part inflates past the
//! size its directory entry declares ("File is larger than its declared
//! uncompressed size"), so a part that lies about its size is a read error,
//! never more output. Every later read of the package goes through the same
//! `zip` crate (calamine uses it too), so these checks bound all of them.
//!
//! The few lookups the readers need beyond calamine (which part holds which
//! sheet, the ODS mimetype) are here too.

use super::WorkbookError;
use super::xml;
use crate::limits::Limits;
use crate::model::Format;
use quick_xml::events::Event;
use std::io::{BufRead, BufReader, Cursor, Read};
use zip::ZipArchive;
use zip::result::ZipError;

/// More entries than any workbook has; the directory itself costs memory.
pub const MAX_ENTRIES: usize = 10_000;

const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

pub struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    max_part: u64,
}

impl<'a> Package<'a> {
    /// Open a zip package, checking its directory against the limits.
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Package<'a>, WorkbookError> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| open_error(e, bytes))?;
        if zip.len() > MAX_ENTRIES {
            return Err(WorkbookError::TooLarge(format!(
                "the package has {} parts, more than the {MAX_ENTRIES} a workbook can have",
                zip.len()
            )));
        }
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(|e| open_error(e, bytes))?;
            let name = f.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("#{i}"));
            if f.encrypted() {
                return Err(WorkbookError::Encrypted);
            }
            if f.size() > limits.max_part_bytes {
                return Err(WorkbookError::TooLarge(format!(
                    "part {name} inflates to {} bytes, the limit is {} (--max-part-bytes)",
                    f.size(),
                    limits.max_part_bytes
                )));
            }
            total = total.saturating_add(f.size());
            if total > limits.max_total_decompressed {
                return Err(WorkbookError::TooLarge(format!(
                    "the parts inflate to more than {} bytes in all (--max-total-decompressed)",
                    limits.max_total_decompressed
                )));
            }
        }
        Ok(Package {
            zip,
            max_part: limits.max_part_bytes,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// xlsx, ods, or neither, from the package's own parts.
    pub fn format(&mut self) -> Result<Format, WorkbookError> {
        if let Some(m) = self.read("mimetype")?
            && m.trim_ascii() == ODS_MIMETYPE
        {
            return Ok(Format::Ods);
        }
        if self.has("[Content_Types].xml")
            && let Some(path) = self.xlsx_workbook_path()?
        {
            if path.ends_with(".bin") {
                return Err(WorkbookError::Unsupported("an Excel binary workbook (xlsb)".into()));
            }
            return Ok(Format::Xlsx);
        }
        Err(WorkbookError::NotAWorkbook(
            "a zip package without the parts of a workbook (no xl/workbook.xml, no ODS mimetype)".into(),
        ))
    }

    /// A whole part, or None if the package has no such part.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, WorkbookError> {
        let mut f = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(read_error(name, e)),
        };
        let mut out = Vec::with_capacity(f.size().min(self.max_part) as usize);
        f.read_to_end(&mut out).map_err(|e| read_error(name, ZipError::Io(e)))?;
        Ok(Some(out))
    }

    /// A part as a stream (for parts too big to want in memory at once).
    pub fn stream(&mut self, name: &str) -> Result<Option<impl std::io::BufRead + '_>, WorkbookError> {
        match self.zip.by_name(name) {
            Ok(f) => Ok(Some(BufReader::with_capacity(64 << 10, f))),
            Err(ZipError::FileNotFound) => Ok(None),
            Err(e) => Err(read_error(name, e)),
        }
    }

    /// Whether a part's bytes contain `needle` (streamed, not kept).
    pub fn contains(&mut self, name: &str, needle: &[u8]) -> Result<bool, WorkbookError> {
        let Some(mut stream) = self.stream(name)? else {
            return Ok(false);
        };
        let finder = memchr::memmem::Finder::new(needle);
        let keep = needle.len().saturating_sub(1);
        let mut window: Vec<u8> = Vec::with_capacity(128 << 10);
        loop {
            let chunk = stream.fill_buf().map_err(|e| read_error(name, ZipError::Io(e)))?;
            if chunk.is_empty() {
                return Ok(false);
            }
            let n = chunk.len();
            // The end of the last chunk and this one, so a needle across the seam is seen.
            let tail = window.len().saturating_sub(keep);
            window.drain(..tail);
            window.extend_from_slice(chunk);
            stream.consume(n);
            if finder.find(&window).is_some() {
                return Ok(true);
            }
        }
    }

    /// The xlsx workbook part, as `_rels/.rels` names it (`xl/workbook.xml`).
    fn xlsx_workbook_path(&mut self) -> Result<Option<String>, WorkbookError> {
        let rels = match self.read("_rels/.rels")? {
            Some(r) => relationships(&r, "")?,
            None => Vec::new(),
        };
        let path = rels
            .into_iter()
            .find(|(_, ty, _)| ty.ends_with("/officeDocument"))
            .map(|(_, _, target)| target)
            .or_else(|| self.has("xl/workbook.xml").then(|| "xl/workbook.xml".to_string()));
        Ok(path)
    }

    /// The xlsx worksheets in workbook order: (sheet name, part path).
    pub fn xlsx_sheet_parts(&mut self) -> Result<Vec<(String, String)>, WorkbookError> {
        let Some(wb_path) = self.xlsx_workbook_path()? else {
            return Ok(Vec::new());
        };
        let dir = match wb_path.rfind('/') {
            Some(i) => &wb_path[..=i],
            None => "",
        };
        let rels_path = format!("{dir}_rels/{}.rels", &wb_path[dir.len()..]);
        let rels = match self.read(&rels_path)? {
            Some(r) => relationships(&r, dir)?,
            None => Vec::new(),
        };
        let Some(wb) = self.read(&wb_path)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut reader = xml::reader(&wb[..]);
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == "sheet" => {
                    let name = xml::attr(&e, "name").unwrap_or_default();
                    let id = xml::attr_local(&e, "id").unwrap_or_default();
                    if let Some((_, _, target)) = rels
                        .iter()
                        .find(|(rid, ty, _)| *rid == id && ty.ends_with("/worksheet"))
                    {
                        out.push((name, target.clone()));
                    }
                }
                Ok(Event::Eof) => break,
                Err(e) => return Err(xml::error(&wb_path, e)),
                _ => {}
            }
            buf.clear();
        }
        Ok(out)
    }
}

/// `(Id, Type, Target)` of a relationships part, targets resolved against `dir`.
fn relationships(bytes: &[u8], dir: &str) -> Result<Vec<(String, String, String)>, WorkbookError> {
    let mut out = Vec::new();
    let mut reader = xml::reader(bytes);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "Relationship" => {
                let target = xml::attr(&e, "Target").unwrap_or_default();
                let target = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => resolve(dir, &target),
                };
                out.push((
                    xml::attr(&e, "Id").unwrap_or_default(),
                    xml::attr(&e, "Type").unwrap_or_default(),
                    target,
                ));
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(xml::error("relationships", e)),
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// `dir` + a relative target, `..` resolved (`xl/` + `worksheets/sheet1.xml`).
fn resolve(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn open_error(e: ZipError, bytes: &[u8]) -> WorkbookError {
    match e {
        // The end-of-central-directory record (EOCD) is the zip's last
        // bytes: a file that starts like a zip but has none was cut short.
        ZipError::InvalidArchive(ref m) if bytes.starts_with(b"PK\x03\x04") && m.starts_with("Could not find EOCD") => {
            WorkbookError::Truncated(format!(
                "the zip package has no central directory ({m}); the file was cut short"
            ))
        }
        ZipError::Io(ref io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            WorkbookError::Truncated("the zip package ends inside a record; the file was cut short".into())
        }
        ZipError::UnsupportedArchive(m) if m.contains("assword") => WorkbookError::Encrypted,
        ZipError::InvalidPassword => WorkbookError::Encrypted,
        e => WorkbookError::Corrupt(format!("the zip package cannot be read: {e}")),
    }
}

fn read_error(name: &str, e: ZipError) -> WorkbookError {
    match e {
        ZipError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            WorkbookError::Truncated(format!("part {name} ends early; the file was cut short"))
        }
        ZipError::Io(io) if io.to_string().contains("larger than its declared") => WorkbookError::TooLarge(format!(
            "part {name} inflates past the size its directory entry declares"
        )),
        ZipError::Io(io) => WorkbookError::Corrupt(format!("part {name}: {io}")),
        ZipError::UnsupportedArchive(m) if m.contains("assword") => WorkbookError::Encrypted,
        e => WorkbookError::Corrupt(format!("part {name}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_targets_resolve_against_the_part() {
        assert_eq!(resolve("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/", "../customXml/item1.xml"), "customXml/item1.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }
}
