//! Worksheets through calamine into table rows.
//!
//! One `RowKind::Table` row per worksheet row that has a non-empty cell,
//! sheets in workbook order, rows in sheet order; one cell per non-empty
//! cell with `col` its 0-based column; a merged region once, at its
//! top-left cell, with `span` = (rows, columns) — the cells it covers are
//! not repeated (the recogniser would read a label twice); every cell at
//! `Location::cell(sheet, "B12")`. Text keeps its line breaks (items of a
//! cell). Numbers and dates read as the sheet shows them, through the
//! cell's number format where the file gives one (xlsx styles, xls XF
//! records) or the text the file stores with the value (ods).
//!
//! xlsx is streamed cell by cell (calamine's cell reader): a sheet with a
//! million empty styled rows, or a dimension of A1:XFD1048576, costs
//! nothing. calamine reads ods and xls into dense grids; their size is
//! checked before (`ods_content.rs`, `xls_biff.rs`).

use super::package::Package;
use super::rich_text::{self, Run};
use super::{WorkbookError, a1, number_format, ods_content, xls_biff};
use crate::ir::{Cell, Ir, Meta, Row, RowKind};
use crate::limits::Limits;
use crate::model::{Format, Location, Warning};
use calamine::{Data, DataRef, Dimensions, Ods, Reader, SheetType, Style, WorkbookProperties, Xls, Xlsx};
use std::collections::HashMap;
use std::io::Cursor;

/// One sheet's non-empty cells, before they become rows.
struct Sheet {
    name: String,
    cells: Vec<(u32, u32, String)>,
    merges: Vec<Dimensions>,
    struck: HashMap<(u32, u32), Vec<Run>>,
}

/// Collects sheets into the intermediate form, within the cell limit.
struct Builder {
    ir: Ir,
    cells_left: u64,
    truncated: bool,
}

impl Builder {
    fn new(format: Format, limits: &Limits) -> Builder {
        Builder {
            ir: Ir {
                format,
                meta: Meta {
                    sheets: Some(Vec::new()),
                    ..Meta::default()
                },
                ..Ir::default()
            },
            cells_left: limits.max_cells,
            truncated: false,
        }
    }

    /// Room for one more cell? Past the limit, a warning (once) and no.
    fn take_cell(&mut self, sheet: &str, row: u32, col: u32) -> bool {
        if self.cells_left == 0 {
            if !self.truncated {
                self.truncated = true;
                self.ir.warnings.push(Warning::new(
                    "too_many_cells",
                    "the workbook has more cells than --max-cells; the rest were not read",
                    Location::cell(sheet, a1(row, col)),
                ));
            }
            return false;
        }
        self.cells_left -= 1;
        true
    }

    fn properties(&mut self, props: Option<WorkbookProperties>) {
        if let Some(p) = props {
            self.ir.meta.title = p.title.filter(|t| !t.trim().is_empty());
            self.ir.meta.producer = p.application.filter(|a| !a.trim().is_empty());
        }
    }

    fn add(&mut self, mut sheet: Sheet) {
        if let Some(names) = self.ir.meta.sheets.as_mut() {
            names.push(sheet.name.clone());
        }
        sheet.cells.sort_by_key(|&(r, c, _)| (r, c));
        let mut merges: Vec<Dimensions> = sheet
            .merges
            .into_iter()
            .filter(|m| m.start.0 <= m.end.0 && m.start.1 <= m.end.1)
            .collect();
        merges.sort_by_key(|m| (m.start.0, m.start.1));
        let spans: HashMap<(u32, u32), (u32, u32)> = merges
            .iter()
            .map(|m| (m.start, (m.end.0 - m.start.0 + 1, m.end.1 - m.start.1 + 1)))
            .collect();
        // Sweep the rows in order with the merges that reach them.
        let mut next_merge = 0;
        let mut active: Vec<Dimensions> = Vec::new();
        let mut current_row: Option<u32> = None;
        let mut row_cells: Vec<Cell> = Vec::new();
        for (r, c, text) in sheet.cells {
            if current_row != Some(r) {
                self.flush(&mut row_cells);
                current_row = Some(r);
                active.retain(|m| m.end.0 >= r);
                while next_merge < merges.len() && merges[next_merge].start.0 <= r {
                    if merges[next_merge].end.0 >= r {
                        active.push(merges[next_merge]);
                    }
                    next_merge += 1;
                }
            }
            if active.iter().any(|m| m.contains(r, c) && m.start != (r, c)) {
                continue; // covered by a merged region: shown only at its top-left
            }
            let at = Location::cell(&sheet.name, a1(r, c));
            let text = match sheet.struck.get(&(r, c)) {
                Some(runs) => {
                    let (text, revisions) = rich_text::revisions(runs, &at);
                    self.ir.revisions.extend(revisions);
                    text
                }
                None => text,
            };
            let text = line_ends(text);
            if text.trim().is_empty() {
                continue;
            }
            let mut cell = Cell::new(text, c, at);
            if let Some(&span) = spans.get(&(r, c)) {
                cell.span = span;
            }
            row_cells.push(cell);
        }
        self.flush(&mut row_cells);
    }

    fn flush(&mut self, cells: &mut Vec<Cell>) {
        let cells = std::mem::take(cells);
        if cells.is_empty() || is_rule(&cells) {
            return;
        }
        let at = cells[0].at.clone();
        self.ir.rows.push(Row {
            kind: RowKind::Table,
            cells,
            at,
        });
    }
}

/// A row of nothing but dashes and bars (`--`, `-------`): a rule drawn with
/// characters, not content. The text reader drops the same rows (Markdown
/// separators), and the corpus workbook copied them from its text release.
fn is_rule(cells: &[Cell]) -> bool {
    cells.iter().all(|c| {
        c.text
            .trim()
            .chars()
            .all(|ch| matches!(ch, '-' | ':' | '|' | ' ' | '+' | '='))
    })
}

/// `\r\n` and lone `\r` inside a cell are line breaks like `\n`.
fn line_ends(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

fn worksheet_names(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

/// A value's text with no number format known (ods/xls fallbacks).
fn data_text(v: &Data, code: Option<&str>, is_1904: bool) -> Option<String> {
    Some(match v {
        Data::Empty => return None,
        Data::String(s) => s.clone(),
        Data::Float(f) => number_format::number(*f, code),
        Data::Int(i) => number_format::number(*i as f64, code),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => number_format::date(d.as_f64(), is_1904, code),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    })
}

// ---- xlsx ---------------------------------------------------------------

pub fn read_xlsx(bytes: &[u8], mut pkg: Package, limits: &Limits) -> Result<Ir, WorkbookError> {
    let struck_shared = rich_text::xlsx_struck_shared_strings(&mut pkg, limits.max_depth)?;
    let parts: HashMap<String, String> = pkg.xlsx_sheet_parts()?.into_iter().collect();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let is_1904 = wb.has_1904_epoch();
    let mut b = Builder::new(Format::Xlsx, limits);
    b.properties(wb.workbook_properties().ok());
    for name in worksheet_names(wb.sheets_metadata()) {
        let merges = wb.merge_cells_by_sheet_name(&name).map_err(xlsx_error)?;
        let mut struck = match parts.get(&name) {
            Some(part) => rich_text::xlsx_struck_cells(&mut pkg, part, &struck_shared, limits.max_depth)?,
            None => HashMap::new(),
        };
        let mut cells = Vec::new();
        {
            let mut reader = match wb.worksheet_cells_reader(&name) {
                Ok(r) => r,
                Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(xlsx_error(e)),
            };
            let palette: Vec<Style> = reader.styles().to_vec();
            while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(xlsx_error)? {
                if matches!(cell.get_value(), DataRef::Empty) {
                    continue; // styled but empty: nothing shown
                }
                let (r, c) = cell.get_position();
                let style = palette.get(style);
                let code = || style.and_then(format_code);
                let text = match cell.get_value() {
                    DataRef::Empty => continue,
                    DataRef::String(s) => s.clone(),
                    DataRef::SharedString(s) => s.to_string(),
                    DataRef::Float(f) => number_format::number(*f, code().as_deref()),
                    DataRef::Int(i) => number_format::number(*i as f64, code().as_deref()),
                    DataRef::Bool(v) => if *v { "TRUE" } else { "FALSE" }.to_string(),
                    DataRef::DateTime(d) => number_format::date(d.as_f64(), is_1904, code().as_deref()),
                    DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
                    DataRef::Error(e) => e.to_string(),
                };
                if text.trim().is_empty() {
                    continue;
                }
                // A cell whose font is struck through as a whole is text
                // taken out, unless its runs say otherwise.
                let whole_struck = style
                    .and_then(|s| s.font.as_ref())
                    .is_some_and(|f| f.has_strikethrough());
                if whole_struck
                    && !struck.contains_key(&(r, c))
                    && matches!(cell.get_value(), DataRef::String(_) | DataRef::SharedString(_))
                {
                    struck.insert(
                        (r, c),
                        vec![Run {
                            text: text.clone(),
                            struck: true,
                            ..Run::default()
                        }],
                    );
                }
                if !b.take_cell(&name, r, c) {
                    break;
                }
                cells.push((r, c, text));
            }
        }
        b.add(Sheet {
            name,
            cells,
            merges,
            struck,
        });
    }
    Ok(b.ir)
}

/// A style's number format code, None for General.
fn format_code(style: &Style) -> Option<String> {
    let nf = style.number_format.as_ref()?;
    let code = nf.format_code.trim();
    if code.is_empty() || code.eq_ignore_ascii_case("general") {
        return nf.format_id.and_then(number_format::builtin_ja).map(str::to_string);
    }
    Some(code.to_string())
}

/// A part that inflates past its declared size, whatever layer reports it.
fn inflated_past_declared(msg: &str) -> Option<WorkbookError> {
    msg.contains("larger than its declared")
        .then(|| WorkbookError::TooLarge("a part inflates past the size its directory entry declares".into()))
}

fn xlsx_error(e: calamine::XlsxError) -> WorkbookError {
    use calamine::XlsxError as E;
    if let Some(too_large) = inflated_past_declared(&e.to_string()) {
        return too_large;
    }
    match e {
        E::Password => WorkbookError::Encrypted,
        E::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            WorkbookError::Truncated(format!("a part ends early: {io}"))
        }
        E::Zip(z) => WorkbookError::Corrupt(format!("the zip package cannot be read: {z}")),
        e => WorkbookError::Corrupt(e.to_string()),
    }
}

// ---- ods ----------------------------------------------------------------

pub fn read_ods(bytes: &[u8], mut pkg: Package, limits: &Limits) -> Result<Ir, WorkbookError> {
    // The scan comes first: it refuses what calamine would expand too far.
    let extras = ods_content::scan(&mut pkg, limits)?;
    let mut by_name: HashMap<String, ods_content::OdsSheet> = extras.into_iter().map(|s| (s.name.clone(), s)).collect();
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(ods_error)?;
    let mut b = Builder::new(Format::Ods, limits);
    b.properties(wb.workbook_properties().ok());
    for name in worksheet_names(wb.sheets_metadata()) {
        let range = wb.worksheet_range(&name).map_err(ods_error)?;
        let extra = by_name.remove(&name).unwrap_or_default();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r0 + r as u32, c0 + c as u32);
            let text = match (v, extra.display.get(&(r, c))) {
                (Data::String(s), _) => s.clone(),
                (_, Some(shown)) => shown.clone(),
                (v, None) => match data_text(v, None, false) {
                    Some(t) => t,
                    None => continue,
                },
            };
            if text.trim().is_empty() {
                continue;
            }
            if !b.take_cell(&name, r, c) {
                break;
            }
            cells.push((r, c, text));
        }
        b.add(Sheet {
            name,
            cells,
            merges: extra.merges,
            struck: extra.struck,
        });
    }
    Ok(b.ir)
}

fn ods_error(e: calamine::OdsError) -> WorkbookError {
    use calamine::OdsError as E;
    if let Some(too_large) = inflated_past_declared(&e.to_string()) {
        return too_large;
    }
    match e {
        E::Password => WorkbookError::Encrypted,
        E::CellLimitExceeded { requested, max } => {
            WorkbookError::TooLarge(format!("a sheet needs {requested} cells, more than {max}"))
        }
        e => WorkbookError::Corrupt(e.to_string()),
    }
}

// ---- xls ----------------------------------------------------------------

pub fn read_xls(bytes: &[u8], limits: &Limits) -> Result<Ir, WorkbookError> {
    // The record walk comes first: it knows an encrypted package from an
    // xls, refuses what calamine would allocate too much for or index past,
    // and defuses the formulas; calamine then opens a compound file made
    // afresh of the walked streams.
    let mut container = xls_biff::open(bytes, limits)?;
    let extras = xls_biff::scan(&mut container.workbook, limits)?;
    let mut by_name: HashMap<String, xls_biff::XlsSheet> = extras.into_iter().map(|s| (s.name.clone(), s)).collect();
    let mut wb: Xls<_> = Xls::new(Cursor::new(container.to_compound_file()?)).map_err(xls_error)?;
    let is_1904 = wb.has_1904_epoch();
    let mut b = Builder::new(Format::Xls, limits);
    b.properties(wb.workbook_properties().ok());
    for name in worksheet_names(wb.sheets_metadata()) {
        let range = wb.worksheet_range(&name).map_err(xls_error)?;
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let extra = by_name.remove(&name).unwrap_or_default();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r0 + r as u32, c0 + c as u32);
            let code = extra.formats.get(&(r, c)).map(String::as_str);
            let Some(text) = data_text(v, code, is_1904) else {
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            if !b.take_cell(&name, r, c) {
                break;
            }
            cells.push((r, c, text));
        }
        b.add(Sheet {
            name,
            cells,
            merges,
            struck: extra.struck,
        });
    }
    Ok(b.ir)
}

fn xls_error(e: calamine::XlsError) -> WorkbookError {
    use calamine::XlsError as E;
    match e {
        E::Password => WorkbookError::Encrypted,
        e => WorkbookError::Corrupt(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use crate::limits::Limits;

    const PLAN: &[u8] = include_bytes!("../../../fixtures/corpus/xlsx/minato-2022-plan.xlsx");

    #[test]
    fn past_the_cell_limit_the_rest_is_left_with_a_warning() {
        let limits = Limits {
            max_cells: 10,
            ..Limits::default()
        };
        let ir = read(PLAN, &limits).expect("read");
        let cells: usize = ir.rows.iter().map(|r| r.cells.len()).sum();
        assert!(cells <= 10, "{cells} cells");
        assert_eq!(ir.warnings.len(), 1, "{:?}", ir.warnings);
        assert_eq!(ir.warnings[0].code, "too_many_cells");
    }

    #[test]
    fn every_row_is_a_table_row_and_empty_rows_are_skipped() {
        let ir = read(PLAN, &Limits::default()).expect("read");
        assert!(
            ir.rows
                .iter()
                .all(|r| r.kind == crate::ir::RowKind::Table && !r.cells.is_empty())
        );
        assert!(ir.rows.iter().flat_map(|r| &r.cells).all(|c| !c.text.trim().is_empty()));
        assert_eq!(
            ir.meta.sheets.as_deref(),
            Some(&["様式1".to_string(), "様式2".to_string()][..])
        );
    }
}
