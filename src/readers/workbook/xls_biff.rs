//! What a BIFF8 `.xls` holds beyond calamine's values, read from the
//! Workbook stream by a small record walk (MS-XLS):
//!
//! * struck-through runs: the shared string table (SST, with its CONTINUE
//!   records) keeps each rich string's formatting runs (`ich`, `ifnt`), and
//!   FONT records say which fonts are struck out (`fStrikeOut`); a
//!   LABELSST cell points at its string. calamine skips the runs.
//! * number formats: XF records map a cell's format index to a FORMAT
//!   record's code; calamine uses them only to tell dates from numbers.
//! * the guard calamine needs for xls: it reserves a sheet's DIMENSIONS
//!   (rows × columns) and then a dense grid over the used cells when it
//!   opens the file; a record that declares 65536 × 256 cells, or one stray
//!   cell far away, costs gigabytes, and a DIMENSIONS record whose last row
//!   is before its first makes its arithmetic overflow. Both are checked
//!   here first, against `Limits::max_cells`.
//!
//! Hand-written because no crate reads BIFF8 rich-text runs (calamine
//! parses and drops them); the container is read with the `cfb` crate.

use super::WorkbookError;
use super::rich_text::{Look, Run};
use crate::limits::Limits;
use std::collections::HashMap;
use std::io::{Cursor, Read};

#[derive(Debug, Default)]
pub struct XlsSheet {
    pub name: String,
    /// LABELSST cells whose string has a struck run.
    pub struck: HashMap<(u32, u32), Vec<Run>>,
    /// Number cells with a format other than General: the format code.
    pub formats: HashMap<(u32, u32), String>,
}

/// A formatting run of a rich string: from character `ich` on, font `ifnt`.
type FormatRun = (u16, u16);

#[derive(Debug, Clone, Default)]
struct Font {
    struck: bool,
    look: Look,
}

/// The property streams calamine reads for a workbook's title and producer.
const PROPERTY_STREAMS: [&str; 2] = ["\u{5}SummaryInformation", "\u{5}DocumentSummaryInformation"];

/// The streams of an xls that calamine reads.
pub struct Container {
    /// The Workbook (or Book) stream.
    pub workbook: Vec<u8>,
    properties: Vec<(&'static str, Vec<u8>)>,
}

/// The streams of an OLE compound file calamine reads (or an error saying
/// what the file is instead).
pub fn open(bytes: &[u8], limits: &Limits) -> Result<Container, WorkbookError> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            WorkbookError::Truncated("the OLE compound file ends early; the file was cut short".into())
        } else {
            WorkbookError::Corrupt(format!("the OLE compound file cannot be read: {e}"))
        }
    })?;
    if cf.exists("/EncryptionInfo") || cf.exists("/EncryptedPackage") {
        return Err(WorkbookError::Encrypted);
    }
    let path = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|p| cf.is_stream(p));
    let Some(path) = path else {
        return Err(WorkbookError::NotAWorkbook(
            "an OLE compound file without a Workbook stream (a Word or PowerPoint file?)".into(),
        ));
    };
    let len = cf.entry(path).map(|e| e.len()).unwrap_or(0);
    if len > limits.max_part_bytes {
        return Err(WorkbookError::TooLarge(format!(
            "the Workbook stream is {len} bytes, the limit is {} (--max-part-bytes)",
            limits.max_part_bytes
        )));
    }
    let mut stream = cf
        .open_stream(path)
        .map_err(|e| WorkbookError::Corrupt(format!("the Workbook stream cannot be read: {e}")))?;
    let mut out = Vec::with_capacity(len as usize);
    stream.read_to_end(&mut out).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => WorkbookError::Truncated("the Workbook stream ends early".into()),
        _ => WorkbookError::Corrupt(format!("the Workbook stream cannot be read: {e}")),
    })?;
    let mut properties = Vec::new();
    for name in PROPERTY_STREAMS {
        let path = format!("/{name}");
        let small = cf
            .entry(&path)
            .is_ok_and(|e| e.is_stream() && e.len() <= limits.max_part_bytes);
        let mut data = Vec::new();
        // The properties are optional: one that cannot be read is left out.
        if small && cf.open_stream(&path).and_then(|mut s| s.read_to_end(&mut data)).is_ok() {
            properties.push((name, data));
        }
    }
    Ok(Container {
        workbook: out,
        properties,
    })
}

impl Container {
    /// A fresh compound file of these streams alone: what calamine is given
    /// to open, once `scan` has checked and defused the Workbook stream, so
    /// that calamine never sees the original's sectors and chains or a
    /// record `scan` did not walk.
    pub fn to_compound_file(&self) -> Result<Vec<u8>, WorkbookError> {
        use std::io::Write;
        let build = || -> std::io::Result<Vec<u8>> {
            // Version 3 (512-byte sectors), as Excel and LibreOffice write:
            // calamine bounds mini-stream sectors as if sectors were 512 bytes.
            let mut cf = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
            cf.create_stream("/Workbook")?.write_all(&self.workbook)?;
            for (name, data) in &self.properties {
                cf.create_stream(format!("/{name}"))?.write_all(data)?;
            }
            cf.flush()?;
            Ok(cf.into_inner().into_inner())
        };
        build().map_err(|e| WorkbookError::Corrupt(format!("the Workbook stream cannot be copied: {e}")))
    }
}

/// One record: type and data, CONTINUE records following it kept apart.
struct Record<'a> {
    typ: u16,
    /// Where `data` starts in the stream.
    at: usize,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

fn records(stream: &[u8], mut pos: usize) -> impl Iterator<Item = Record<'_>> {
    std::iter::from_fn(move || {
        let head = stream.get(pos..pos + 4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]) as usize;
        let at = pos + 4;
        let data = stream.get(at..at + len)?;
        pos = at + len;
        let mut cont = Vec::new();
        while let Some(h) = stream.get(pos..pos + 4) {
            if u16::from_le_bytes([h[0], h[1]]) != 0x003C {
                break;
            }
            let l = u16::from_le_bytes([h[2], h[3]]) as usize;
            let Some(d) = stream.get(pos + 4..pos + 4 + l) else {
                break;
            };
            cont.push(d);
            pos += 4 + l;
        }
        Some(Record { typ, at, data, cont })
    })
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*d.get(i)?, *d.get(i + 1)?]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *d.get(i)?,
        *d.get(i + 1)?,
        *d.get(i + 2)?,
        *d.get(i + 3)?,
    ]))
}

/// The globals records calamine reads by indexing without checking their
/// length (a short one would make it panic): refused here, before calamine
/// sees them, as a damaged file. The fuzzer found a short `Lbl`; its formula
/// tokens (PtgRef3d, PtgArea3d, PtgRefErr3d/PtgAreaErr3d) are read at fixed
/// offsets too, which differ before BIFF8.
fn check_globals_record(typ: u16, d: &[u8], biff8: bool) -> Result<(), WorkbookError> {
    let short = |what: &str, need: usize, len: usize| {
        Err(WorkbookError::Corrupt(format!(
            "damaged: a {what} record is {len} bytes long, shorter than its {need}-byte minimum"
        )))
    };
    match typ {
        // FilePass, CodePage, DateMode, BOF, ExternSheet: a u16 first.
        0x002F | 0x0042 | 0x0022 | 0x0809 | 0x0017 if d.len() < 2 => short("header", 2, d.len()),
        // BoundSheet8: lbPlyPos, hsState, dt, then the name's cch.
        0x0085 if d.len() < 7 => short("BoundSheet8", 7, d.len()),
        // Lbl: 14 bytes of fields, then the name (cch) and the formula (cce).
        0x0018 => {
            if d.len() < 14 {
                return short("Lbl", 14, d.len());
            }
            let cch = d[3] as usize;
            let cce = u16::from_le_bytes([d[4], d[5]]) as usize;
            let need = 14 + cch + cce;
            if d.len() < need {
                return short("Lbl", need, d.len());
            }
            let rgce = &d[d.len() - cce..];
            let need = match (rgce.first(), biff8) {
                (Some(0x3A | 0x5A | 0x7A), true) => 7,
                (Some(0x3B | 0x5B | 0x7B), true) => 11,
                (Some(0x3C | 0x5C | 0x7C | 0x3D | 0x5D | 0x7D), true) => 3,
                (Some(0x3A | 0x5A | 0x7A), false) => 18,
                (Some(0x3B | 0x5B | 0x7B), false) => 21,
                (Some(0x3C | 0x5C | 0x7C | 0x3D | 0x5D | 0x7D), false) => 13,
                _ => 0,
            };
            if rgce.len() < need {
                short("Lbl formula", need, rgce.len())
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

/// What the globals substream says that the sheets need.
#[derive(Default)]
struct Globals {
    fonts: Vec<Font>,
    xfs: Vec<(u16, u16)>, // (ifnt, ifmt)
    formats: HashMap<u16, String>,
    sst: Vec<Option<Vec<FormatRun>>>, // runs of strings with a struck run
    sst_text: Vec<Vec<u16>>,
    /// Every BoundSheet8 — name, offset, type — as calamine walks them all.
    sheets: Vec<(String, usize, u8)>,
}

/// Walk the Workbook stream: the struck runs and number formats of every
/// worksheet, and the checks calamine needs. It is given the stream to
/// change: every FORMULA record's token count is set to zero (calamine
/// parses each formula's tokens when it opens a file, indexing past their
/// end on damaged ones; the values, which are all yoshiki reads, come
/// before the tokens and stay). A second walk over the changed stream
/// must find the same records with nothing left to change.
pub fn scan(stream: &mut [u8], limits: &Limits) -> Result<Vec<XlsSheet>, WorkbookError> {
    let g = globals(stream)?;
    let (_, patches) = g.walk_sheets(stream, limits)?;
    for at in patches {
        stream[at..at + 2].fill(0);
    }
    let (out, left) = g.walk_sheets(stream, limits)?;
    if !left.is_empty() {
        return Err(WorkbookError::Corrupt("damaged: the sheets' records overlap".into()));
    }
    Ok(out)
}

fn globals(stream: &[u8]) -> Result<Globals, WorkbookError> {
    let mut g = Globals::default();
    let mut biff8 = true;
    for r in records(stream, 0) {
        check_globals_record(r.typ, r.data, biff8)?;
        if r.typ == 0x0809 {
            // calamine's reading of the BOF's version: BIFF2–5 by number,
            // 0 with dt 0x1000 as BIFF5, anything else as BIFF8.
            biff8 = !matches!(
                (u16_at(r.data, 0), u16_at(r.data, 2)),
                (Some(0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500), _) | (Some(0), Some(0x1000))
            );
        }
        match r.typ {
            0x002F if u16_at(r.data, 0).unwrap_or(0) != 0 => return Err(WorkbookError::Encrypted),
            0x0031 => g.fonts.push(font(r.data)),
            0x00E0 => g
                .xfs
                .push((u16_at(r.data, 0).unwrap_or(0), u16_at(r.data, 2).unwrap_or(0))),
            0x041E => {
                if let (Some(ifmt), Some(code)) = (u16_at(r.data, 0), xl_unicode_string(r.data.get(2..).unwrap_or(&[])))
                {
                    g.formats.insert(ifmt, code);
                }
            }
            0x0085 => {
                let Some(pos) = u32_at(r.data, 0) else {
                    continue;
                };
                let kind = r.data.get(5).copied().unwrap_or(0);
                let name = short_xl_unicode_string(r.data.get(6..).unwrap_or(&[])).unwrap_or_default();
                g.sheets.push((name, pos as usize, kind));
            }
            0x00FC => {
                if !sst_safe_for_calamine(r.data, &r.cont) {
                    return Err(WorkbookError::Corrupt(
                        "damaged: the shared string table (SST) runs past its records".into(),
                    ));
                }
                let mut segs = Segments::new(&r);
                segs.skip(8);
                while !segs.at_end() {
                    let Some((units, runs)) = segs.rich_string() else {
                        break;
                    };
                    let keep = runs.iter().any(|&(_, f)| font_at(&g.fonts, f).struck);
                    g.sst.push(keep.then_some(runs));
                    g.sst_text.push(if keep { units } else { Vec::new() });
                }
            }
            0x000A => break, // end of the globals
            _ => {}
        }
    }
    Ok(g)
}

impl Globals {
    /// Every sheet's records, as calamine walks them: the worksheets'
    /// struck runs and formats, and the offsets of the formula token counts
    /// still to be zeroed.
    fn walk_sheets(&self, stream: &[u8], limits: &Limits) -> Result<(Vec<XlsSheet>, Vec<usize>), WorkbookError> {
        let mut out = Vec::new();
        let mut patches = Vec::new();
        for (name, pos, kind) in &self.sheets {
            let name = name.as_str();
            if *pos > stream.len() {
                return Err(WorkbookError::Corrupt(format!(
                    "damaged: sheet {name} starts at byte {pos}, past the end of the {}-byte Workbook stream",
                    stream.len()
                )));
            }
            let mut sheet = XlsSheet {
                name: name.to_string(),
                ..XlsSheet::default()
            };
            let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
            let mut seen_bof = false;
            let mut nested = 0usize;
            let number = |sheet: &mut XlsSheet, row: u32, col: u32, ixfe: u16| {
                let Some(&(_, ifmt)) = self.xfs.get(ixfe as usize) else {
                    return;
                };
                if ifmt == 0 || sheet.formats.len() as u64 >= limits.max_cells {
                    return;
                }
                let code = self
                    .formats
                    .get(&ifmt)
                    .cloned()
                    .or_else(|| builtin_code(ifmt).map(str::to_string));
                if let Some(code) = code {
                    sheet.formats.insert((row, col), code);
                }
            };
            let damaged = |what: &str| Err(WorkbookError::Corrupt(format!("damaged: sheet {name} has a {what}")));
            for r in records(stream, *pos) {
                if nested > 0 {
                    match r.typ {
                        0x0809 => nested += 1,
                        0x000A => nested -= 1,
                        _ => {}
                    }
                    continue;
                }
                let d = r.data;
                let cell = |d: &[u8]| Some((u16_at(d, 0)? as u32, u16_at(d, 2)? as u32, u16_at(d, 4)?));
                let mut used = |row: u32, col: u32| {
                    r0 = r0.min(row);
                    r1 = r1.max(row);
                    c0 = c0.min(col);
                    c1 = c1.max(col);
                };
                match r.typ {
                    0x0809 if seen_bof => nested += 1,
                    0x0809 => seen_bof = true,
                    0x000A => break,
                    0x0200 => check_dimensions(d, name, limits)?,
                    0x00FD => {
                        let (Some((row, col, _)), Some(isst)) = (cell(d), u32_at(d, 6)) else {
                            continue;
                        };
                        used(row, col);
                        if let Some(Some(runs)) = self.sst.get(isst as usize) {
                            let units = &self.sst_text[isst as usize];
                            sheet.struck.insert((row, col), to_runs(units, runs, &self.fonts));
                        }
                    }
                    0x0006 => {
                        // FORMULA: cell, value (8), flags (2), chn (4), then
                        // the formula: cce (2) and its tokens.
                        match u16_at(d, 20) {
                            None if d.len() >= 20 => return damaged("FORMULA record cut before its formula"),
                            Some(cce) if cce != 0 => patches.push(r.at + 20),
                            _ => {}
                        }
                        if let Some((row, col, ixfe)) = cell(d) {
                            used(row, col);
                            number(&mut sheet, row, col, ixfe);
                        }
                    }
                    0x0203 | 0x027E => {
                        let Some((row, col, ixfe)) = cell(d) else {
                            continue;
                        };
                        used(row, col);
                        number(&mut sheet, row, col, ixfe);
                    }
                    0x0204 | 0x00D6 | 0x0205 => {
                        if let Some((row, col, _)) = cell(d) {
                            used(row, col);
                        }
                    }
                    0x00E5 => {
                        // MERGECELLS: a count, then 8 bytes a region.
                        let count = u16_at(d, 0).map(usize::from);
                        if count.is_none_or(|n| d.len() < 2 + 8 * n) {
                            return damaged("MERGECELLS record shorter than the regions it counts");
                        }
                    }
                    0x00BD => {
                        // MULRK: row, first column, (ixfe, rk)*, last column.
                        let (Some(row), Some(first)) = (u16_at(d, 0), u16_at(d, 2)) else {
                            continue;
                        };
                        if u16_at(d, d.len().saturating_sub(2)).is_some_and(|last| last < first) {
                            return damaged("MULRK record whose last column is before its first");
                        }
                        let n = d.len().saturating_sub(6) / 6;
                        for k in 0..n {
                            let col = first as u32 + k as u32;
                            used(row as u32, col);
                            if let Some(ixfe) = u16_at(d, 4 + 6 * k) {
                                number(&mut sheet, row as u32, col, ixfe);
                            }
                        }
                    }
                    _ => {}
                }
            }
            if r0 <= r1 && c0 <= c1 {
                let dense = (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64;
                if dense > limits.max_cells {
                    return Err(WorkbookError::TooLarge(format!(
                        "sheet {name} spreads its cells over {dense} positions (rows {}–{}, columns {}–{}), the limit is {} (--max-cells)",
                        r0 + 1,
                        r1 + 1,
                        c0 + 1,
                        c1 + 1,
                        limits.max_cells
                    )));
                }
            }
            // Worksheets only: chart and macro sheets are walked for
            // calamine's sake, but hold nothing of the forms.
            if *kind == 0 {
                out.push(sheet);
            }
        }
        Ok((out, patches))
    }
}

/// calamine's reading of the shared string table (`parse_sst`,
/// `read_rich_extended_string`, `read_dbcs`, `Record::skip`), walked with
/// checks: false where calamine would index past a record (a string's run
/// count or ExtRst size cut off, an empty CONTINUE where a string goes on).
/// Where calamine would return an error instead, this says true: that is
/// no panic.
fn sst_safe_for_calamine(data: &[u8], cont: &[&[u8]]) -> bool {
    let mut conts = cont.iter().copied();
    let Some(mut d) = data.get(8..) else {
        return true;
    };
    loop {
        if d.is_empty() {
            match conts.next() {
                Some(c) => d = c,
                None => return true,
            }
            continue;
        }
        if d.len() < 3 {
            return true;
        }
        let cch = u16::from_le_bytes([d[0], d[1]]) as usize;
        let flags = d[2];
        d = &d[3..];
        let mut skip = 0usize;
        if flags & 0x8 != 0 {
            let Some(c_run) = u16_at(d, 0) else { return false };
            skip += c_run as usize * 4;
            d = &d[2..];
        }
        if flags & 0x4 != 0 {
            let Some(cb) = u32_at(d, 0) else { return false };
            skip = skip.saturating_add(cb as i32 as usize);
            d = &d[4..];
        }
        let (mut len, mut high) = (cch, flags & 0x1 != 0);
        while len > 0 {
            let l = if high { (d.len() / 2).min(len) } else { d.len().min(len) };
            d = &d[if high { 2 * l } else { l }..];
            len -= l;
            if len > 0 {
                let Some(c) = conts.next() else { return true };
                let Some((&f, rest)) = c.split_first() else {
                    return false;
                };
                high = f & 0x1 != 0;
                d = rest;
            }
        }
        while skip > 0 {
            if d.is_empty() {
                let Some(c) = conts.next() else { return true };
                d = c;
            }
            let l = skip.min(d.len());
            d = &d[l..];
            skip -= l;
        }
    }
}

fn check_dimensions(d: &[u8], sheet: &str, limits: &Limits) -> Result<(), WorkbookError> {
    let (rf, rl, cf, cl) = match d.len() {
        10 => (
            u16_at(d, 0).unwrap_or(0) as u64,
            u16_at(d, 2).unwrap_or(0) as u64,
            u16_at(d, 4).unwrap_or(0) as u64,
            u16_at(d, 6).unwrap_or(0) as u64,
        ),
        14 | 16 => (
            u32_at(d, 0).unwrap_or(0) as u64,
            u32_at(d, 4).unwrap_or(0) as u64,
            u16_at(d, 8).unwrap_or(0) as u64,
            u16_at(d, 10).unwrap_or(0) as u64,
        ),
        _ => return Ok(()), // calamine refuses it itself, with an error
    };
    let cf = if 0xFF < cf || cl < cf { 0 } else { cf };
    if rl >= 1 && cl >= 1 {
        if rl - 1 < rf {
            return Err(WorkbookError::Corrupt(format!(
                "sheet {sheet}: its DIMENSIONS record ends (row {rl}) before it starts (row {})",
                rf + 1
            )));
        }
        let cells = (rl - rf).saturating_mul(cl - cf);
        if cells > limits.max_cells {
            return Err(WorkbookError::TooLarge(format!(
                "sheet {sheet} declares {} rows × {} columns, the limit is {} cells (--max-cells)",
                rl - rf,
                cl - cf,
                limits.max_cells
            )));
        }
    }
    Ok(())
}

fn font(d: &[u8]) -> Font {
    let grbit = u16_at(d, 2).unwrap_or(0);
    let icv = u16_at(d, 4).unwrap_or(0x7FFF);
    let bls = u16_at(d, 6).unwrap_or(400);
    let uls = d.get(10).copied().unwrap_or(0);
    Font {
        struck: grbit & 0x0008 != 0,
        look: Look {
            // 0x7FFF is the automatic colour, 8 black.
            color: (icv != 0x7FFF && icv != 8).then(|| format!("icv:{icv}")),
            bold: bls >= 700,
            italic: grbit & 0x0002 != 0,
            underline: uls != 0,
        },
    }
}

/// Font indexes skip 4 (MS-XLS 2.5.129).
fn font_at(fonts: &[Font], ifnt: u16) -> Font {
    let i = if ifnt >= 4 { ifnt as usize - 1 } else { ifnt as usize };
    fonts.get(i).cloned().unwrap_or_default()
}

fn to_runs(units: &[u16], runs: &[(u16, u16)], fonts: &[Font]) -> Vec<Run> {
    let mut out = Vec::new();
    let mut bounds: Vec<(usize, Option<u16>)> = vec![(0, None)];
    for &(ich, ifnt) in runs {
        bounds.push(((ich as usize).min(units.len()), Some(ifnt)));
    }
    for (k, &(start, ifnt)) in bounds.iter().enumerate() {
        let end = bounds.get(k + 1).map_or(units.len(), |b| b.0);
        if end <= start {
            continue;
        }
        let text = String::from_utf16_lossy(&units[start..end]);
        let f = ifnt.map(|i| font_at(fonts, i)).unwrap_or_default();
        out.push(Run {
            text,
            struck: f.struck,
            look: f.look,
        });
    }
    out
}

/// XLUnicodeString (cch u16, flags, characters).
fn xl_unicode_string(d: &[u8]) -> Option<String> {
    let cch = u16_at(d, 0)? as usize;
    let high = d.get(2)? & 1 != 0;
    chars(d.get(3..)?, cch, high)
}

/// ShortXLUnicodeString (cch u8, flags, characters).
fn short_xl_unicode_string(d: &[u8]) -> Option<String> {
    let cch = *d.first()? as usize;
    let high = d.get(1)? & 1 != 0;
    chars(d.get(2..)?, cch, high)
}

fn chars(d: &[u8], cch: usize, high: bool) -> Option<String> {
    if high {
        let units: Vec<u16> = d
            .chunks_exact(2)
            .take(cch)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(d.iter().take(cch).map(|&b| b as char).collect())
    }
}

/// The SST record and its CONTINUE records read as one stream, with the
/// rule that a string's characters restart after a record boundary with a
/// fresh flags byte (MS-XLS 2.4.58).
struct Segments<'a> {
    segs: Vec<&'a [u8]>,
    seg: usize,
    pos: usize,
}

impl<'a> Segments<'a> {
    fn new(r: &Record<'a>) -> Segments<'a> {
        let mut segs = vec![r.data];
        segs.extend(r.cont.iter().copied());
        Segments { segs, seg: 0, pos: 0 }
    }

    fn at_end(&mut self) -> bool {
        while self.seg < self.segs.len() && self.pos >= self.segs[self.seg].len() {
            self.seg += 1;
            self.pos = 0;
        }
        self.seg >= self.segs.len()
    }

    fn byte(&mut self) -> Option<u8> {
        if self.at_end() {
            return None;
        }
        let b = self.segs[self.seg][self.pos];
        self.pos += 1;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.byte()?,
            self.byte()?,
            self.byte()?,
            self.byte()?,
        ]))
    }

    fn skip(&mut self, mut n: usize) {
        while n > 0 && !self.at_end() {
            let take = n.min(self.segs[self.seg].len() - self.pos);
            self.pos += take;
            n -= take;
        }
    }

    /// XLUnicodeRichExtendedString: its UTF-16 units and its runs.
    fn rich_string(&mut self) -> Option<(Vec<u16>, Vec<FormatRun>)> {
        let cch = self.u16()? as usize;
        let flags = self.byte()?;
        let mut high = flags & 0x01 != 0;
        let c_run = if flags & 0x08 != 0 { self.u16()? as usize } else { 0 };
        let cb_ext = if flags & 0x04 != 0 { self.u32()? as usize } else { 0 };
        let mut units = Vec::with_capacity(cch.min(1 << 16));
        while units.len() < cch {
            if self.pos >= self.segs.get(self.seg)?.len() {
                // Characters continue in the next record, after a flags byte.
                self.seg += 1;
                self.pos = 0;
                high = self.segs.get(self.seg)?.first()? & 0x01 != 0;
                self.pos = 1;
                continue;
            }
            let seg = self.segs[self.seg];
            if high {
                let lo = *seg.get(self.pos)?;
                let hi = *seg.get(self.pos + 1)?;
                units.push(u16::from_le_bytes([lo, hi]));
                self.pos += 2;
            } else {
                units.push(seg[self.pos] as u16);
                self.pos += 1;
            }
        }
        let mut runs = Vec::with_capacity(c_run.min(1 << 12));
        for _ in 0..c_run {
            let ich = self.u16()?;
            let ifnt = self.u16()?;
            runs.push((ich, ifnt));
        }
        self.skip(cb_ext);
        Some((units, runs))
    }
}

/// Built-in number formats (ECMA-376 18.8.30, the same ids in BIFF8), and
/// the Japanese locale's.
fn builtin_code(id: u16) -> Option<&'static str> {
    Some(match id {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        14 => "yyyy/m/d",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "yyyy/m/d h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mm:ss.0",
        48 => "##0.0E+0",
        49 => "@",
        id => return super::number_format::builtin_ja(id as u32),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    /// A rich string split across a CONTINUE record inside its characters
    /// (which restart with a flags byte) and inside its runs (which do not).
    #[test]
    fn sst_strings_and_runs_across_continue_records() {
        // Fonts 0-3, then 5 (index 4 does not exist): font 5 struck, font 6 red.
        let plain = [0u8; 14];
        let mut struck = [0u8; 14];
        struck[2] = 0x08;
        let mut red = [0u8; 14];
        red[4] = 10;
        let mut stream = Vec::new();
        for f in [plain, plain, plain, plain, struck, red] {
            stream.extend(record(0x0031, &f));
        }
        // "（32,26832,550千円）": struck from 1, red from 7, plain from 13.
        let text = "（32,26832,550千円）";
        let chars = utf16(text);
        let mut sst = vec![1, 0, 0, 0, 1, 0, 0, 0]; // one string
        sst.extend_from_slice(&(text.encode_utf16().count() as u16).to_le_bytes());
        sst.push(0x09); // high bytes, rich
        sst.extend_from_slice(&3u16.to_le_bytes()); // three runs
        sst.extend_from_slice(&chars[..10]); // five characters here...
        let mut cont = vec![0x01]; // ...the rest after a flags byte
        cont.extend_from_slice(&chars[10..]);
        let runs: Vec<u8> = [(1u16, 5u16), (7, 6), (13, 0)]
            .iter()
            .flat_map(|&(i, f)| [i.to_le_bytes(), f.to_le_bytes()].concat())
            .collect();
        cont.extend_from_slice(&runs[..6]);
        let cont2 = runs[6..].to_vec(); // a run split across records
        stream.extend(record(0x00FC, &sst));
        stream.extend(record(0x003C, &cont));
        stream.extend(record(0x003C, &cont2));
        // The sheet starts after BOUNDSHEET (4 + 10 bytes) and EOF (4).
        let sheet_at = stream.len() + 14 + 4;
        let mut bs = (sheet_at as u32).to_le_bytes().to_vec();
        bs.extend_from_slice(&[0, 0, 2, 0]); // visible, worksheet, 2 characters
        bs.extend_from_slice(b"S1");
        stream.extend(record(0x0085, &bs));
        stream.extend(record(0x000A, &[]));
        assert_eq!(stream.len(), sheet_at);
        stream.extend(record(0x0809, &[0; 16]));
        stream.extend(record(0x00FD, &[2, 0, 1, 0, 15, 0, 0, 0, 0, 0])); // B3 → string 0
        stream.extend(record(0x000A, &[]));

        let sheets = scan(&mut stream, &Limits::default()).expect("scan");
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].name, "S1");
        let runs = &sheets[0].struck[&(2, 1)];
        let (new_text, pairs) = super::super::rich_text::split(runs);
        assert_eq!(new_text, "（32,550千円）");
        assert_eq!(pairs, [("32,268".to_string(), "32,550".to_string())]);
    }

    #[test]
    fn dimensions_that_end_before_they_start_or_hold_millions_are_refused() {
        let l = Limits::default();
        let dims = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut d = rf.to_le_bytes().to_vec();
            d.extend_from_slice(&rl.to_le_bytes());
            d.extend_from_slice(&cf.to_le_bytes());
            d.extend_from_slice(&cl.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            d
        };
        assert!(check_dimensions(&dims(0, 134, 0, 9), "s", &l).is_ok());
        assert_eq!(
            check_dimensions(&dims(100, 5, 0, 2), "s", &l).unwrap_err().code(),
            "corrupt"
        );
        assert_eq!(
            check_dimensions(&dims(0, 65_536, 0, 256), "s", &l).unwrap_err().code(),
            "too_large"
        );
        assert!(check_dimensions(&dims(0, 0, 0, 0), "s", &l).is_ok(), "an empty sheet");
    }

    /// A workbook of one sheet: globals (BOF, BOUNDSHEET, EOF), then the
    /// sheet's BOF, `cells` and EOF.
    fn one_sheet(cells: &[Vec<u8>]) -> Vec<u8> {
        let mut bof = 0x0600u16.to_le_bytes().to_vec();
        bof.extend_from_slice(&[0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let mut stream = record(0x0809, &bof);
        let sheet_at = stream.len() + 14 + 4;
        let mut bs = (sheet_at as u32).to_le_bytes().to_vec();
        bs.extend_from_slice(&[0, 0, 2, 0]);
        bs.extend_from_slice(b"S1");
        stream.extend(record(0x0085, &bs));
        stream.extend(record(0x000A, &[]));
        let mut sheet_bof = bof.clone();
        sheet_bof[2] = 0x10;
        stream.extend(record(0x0809, &sheet_bof));
        for c in cells {
            stream.extend_from_slice(c);
        }
        stream.extend(record(0x000A, &[]));
        stream
    }

    /// A FORMULA record whose tokens are garbage (a PtgArea3d cut after its
    /// first byte): calamine would index past them when it opens the file.
    /// The scan zeroes the token count; calamine then opens the rebuilt
    /// compound file and reads the cached value.
    #[test]
    fn formula_tokens_are_defused_and_the_value_kept() {
        let mut f = vec![0, 0, 0, 0, 15, 0]; // A1, XF 15
        f.extend_from_slice(&42.0f64.to_le_bytes());
        f.extend_from_slice(&[0; 6]); // flags, chn
        f.extend_from_slice(&[2, 0, 0x3B, 0xFF]); // cce 2: PtgArea3d, then nothing
        let mut stream = one_sheet(&[record(0x0006, &f)]);
        let cce_at = stream.len() - 4 - 4;
        scan(&mut stream, &Limits::default()).expect("scan");
        assert_eq!(&stream[cce_at..cce_at + 2], &[0, 0], "token count zeroed");
        let c = Container {
            workbook: stream,
            properties: Vec::new(),
        };
        let file = c.to_compound_file().expect("compound file");
        let mut wb: calamine::Xls<_> = calamine::Reader::new(Cursor::new(file)).expect("calamine opens it");
        let range = calamine::Reader::worksheet_range(&mut wb, "S1").expect("sheet");
        assert_eq!(range.get_value((0, 0)), Some(&calamine::Data::Float(42.0)));
    }

    #[test]
    fn records_calamine_would_index_past_are_refused() {
        let l = Limits::default();
        let cut_formula = record(0x0006, &[0; 21]); // no room for cce
        let short_merge = record(0x00E5, &[3, 0, 0, 0, 1, 0, 0, 0, 1, 0]); // 3 regions, 1 given
        let backwards_mulrk = record(0x00BD, &[0, 0, 5, 0, 15, 0, 0, 0, 0, 0, 4, 0]);
        for (cells, why) in [
            (cut_formula, "FORMULA record cut"),
            (short_merge, "MERGECELLS record shorter"),
            (backwards_mulrk, "MULRK record whose last column"),
        ] {
            let mut stream = one_sheet(&[cells]);
            let e = scan(&mut stream, &l).unwrap_err();
            assert!(e.to_string().contains(why), "{e}");
        }
        let mut past_the_end = one_sheet(&[]);
        past_the_end[4 + 16 + 4..4 + 16 + 8].copy_from_slice(&1_000_000u32.to_le_bytes());
        let e = scan(&mut past_the_end, &l).unwrap_err();
        assert!(e.to_string().contains("past the end"), "{e}");
    }

    #[test]
    fn a_shared_string_table_calamine_would_read_past_is_found() {
        let head = [1u8, 0, 0, 0, 1, 0, 0, 0];
        let sst = |tail: &[u8]| [&head[..], tail].concat();
        // "ab", plain: fine.
        assert!(sst_safe_for_calamine(&sst(&[2, 0, 0, b'a', b'b']), &[]));
        // ExtRst flag, then 2 of its size's 4 bytes (the fuzzer's case).
        assert!(!sst_safe_for_calamine(&sst(&[2, 0, 0x04, 1, 0]), &[]));
        // Rich flag, then 1 of its run count's 2 bytes.
        assert!(!sst_safe_for_calamine(&sst(&[2, 0, 0x08, 1]), &[]));
        // "ab" going on into an empty CONTINUE (calamine reads its flags byte).
        assert!(!sst_safe_for_calamine(&sst(&[2, 0, 0, b'a']), &[&[]]));
        // ... and into one with its flags byte: fine.
        assert!(sst_safe_for_calamine(&sst(&[2, 0, 0, b'a']), &[&[0, b'b']]));
        // Cut with no CONTINUE at all: calamine returns an error, no panic.
        assert!(sst_safe_for_calamine(&sst(&[2, 0, 0, b'a']), &[]));
    }
}
