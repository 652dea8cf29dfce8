//! What an ODS spreadsheet's `content.xml` holds beyond calamine's values:
//! merged regions (`table:number-columns-spanned`/`-rows-spanned`, which
//! calamine does not read), the text a number or date cell shows (its
//! `<text:p>`: LibreOffice writes the formatted value there, `48.1%` for an
//! `office:value` of 0.481), and struck-through runs
//! (`<text:span text:style-name="T2">` with a text style whose
//! `style:text-line-through-style`/`-type` is not `none`).
//!
//! It is also the guard calamine needs for ODS: calamine reads every sheet
//! when it opens the file, and expands repeated rows and columns
//! (`table:number-rows-repeated="1000000"`) into a dense grid of up to 100
//! million cells. The scan here counts what that expansion would cost
//! before calamine runs, and refuses past `Limits::max_cells`.

use super::WorkbookError;
use super::package::Package;
use super::rich_text::{Look, Run};
use super::xml::{self, Depth};
use crate::limits::Limits;
use calamine::Dimensions;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::BufRead;

// calamine's own caps on an ODS sheet (ods.rs), mirrored so positions agree.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

#[derive(Debug, Default)]
pub struct OdsSheet {
    pub name: String,
    pub merges: Vec<Dimensions>,
    /// Number, date, percentage, boolean cells: the text they show.
    pub display: HashMap<(u32, u32), String>,
    /// Cells with a struck-through run.
    pub struck: HashMap<(u32, u32), Vec<Run>>,
}

#[derive(Debug, Clone, Default)]
struct TextStyle {
    struck: Option<bool>,
    look: Look,
}

pub fn scan(pkg: &mut Package, limits: &Limits) -> Result<Vec<OdsSheet>, WorkbookError> {
    let Some(stream) = pkg.stream("content.xml")? else {
        return Err(WorkbookError::Corrupt("the ODS package has no content.xml".into()));
    };
    let mut reader = xml::reader(stream);
    let mut depth = Depth::new(limits.max_depth, "content.xml");
    let mut styles: HashMap<String, TextStyle> = HashMap::new();
    let mut sheets = Vec::new();
    let mut buf = Vec::new();
    let mut style_name: Option<String> = None;
    let mut budget = Budget {
        max: limits.max_cells,
        extras: 0,
    };
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                depth.open()?;
                match e.name().as_ref() {
                    "style:style" => style_name = xml::attr(&e, "style:name"),
                    "style:text-properties" => {
                        if let Some(name) = &style_name {
                            styles.insert(name.clone(), text_style(&e));
                        }
                    }
                    "table:table" => {
                        let name = xml::attr(&e, "table:name").unwrap_or_default();
                        let sheet = read_table(&mut reader, name, &styles, &mut depth, &mut budget)?;
                        sheets.push(sheet);
                    }
                    _ => {}
                }
            }
            Ok(Event::End(e)) => {
                depth.close();
                if e.name().as_ref() == "style:style" {
                    style_name = None;
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(xml::error("content.xml", e)),
            _ => {}
        }
        buf.clear();
    }
    Ok(sheets)
}

struct Budget {
    max: u64,
    extras: u64,
}

fn text_style(e: &BytesStart) -> TextStyle {
    let through_style = xml::attr(e, "style:text-line-through-style");
    let through_type = xml::attr(e, "style:text-line-through-type");
    let struck = match (through_style.as_deref(), through_type.as_deref()) {
        (Some(s), _) => Some(s != "none"),
        (None, Some(t)) => Some(t != "none"),
        (None, None) => None,
    };
    let color = if xml::attr(e, "style:use-window-font-color").as_deref() == Some("true") {
        None
    } else {
        xml::attr(e, "fo:color")
            .map(|c| c.to_ascii_uppercase())
            .filter(|c| c != "#000000")
    };
    TextStyle {
        struck,
        look: Look {
            color,
            bold: xml::attr(e, "fo:font-weight").as_deref() == Some("bold"),
            italic: xml::attr(e, "fo:font-style").as_deref() == Some("italic"),
            underline: xml::attr(e, "style:text-underline-style").is_some_and(|u| u != "none"),
        },
    }
}

fn repeat(e: &BytesStart, name: &str) -> u64 {
    xml::attr(e, name)
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

fn read_table<R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    name: String,
    styles: &HashMap<String, TextStyle>,
    depth: &mut Depth,
    budget: &mut Budget,
) -> Result<OdsSheet, WorkbookError> {
    let mut sheet = OdsSheet {
        name,
        ..OdsSheet::default()
    };
    let mut buf = Vec::new();
    let mut row: u64 = 0;
    // What calamine will allocate: cells pushed per row record, and the
    // dense range over the non-empty rows and columns.
    let mut pushed: u64 = 0;
    let (mut first_row, mut last_row, mut min_col, mut max_col) = (None::<u64>, 0u64, u64::MAX, 0u64);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table-row" => {
                depth.open()?;
                let reps = repeat(&e, "table:number-rows-repeated").min(MAX_ROWS.saturating_sub(row));
                let cells = read_row(reader, styles, depth)?;
                // First what calamine will allocate for this row, checked...
                let mut col: u64 = 0;
                let mut row_last_nonempty: Option<u64> = None;
                for c in &cells {
                    let creps = c.repeat.min(MAX_COLUMNS.saturating_sub(col));
                    if c.nonempty && creps > 0 {
                        row_last_nonempty = Some(col + creps - 1);
                        min_col = min_col.min(col);
                        max_col = max_col.max(col + creps - 1);
                    }
                    col = col.saturating_add(creps);
                }
                if let Some(last) = row_last_nonempty {
                    pushed = pushed.saturating_add(last + 1);
                    if first_row.is_none() {
                        first_row = Some(row);
                    }
                    last_row = row + reps.max(1) - 1;
                }
                let dense = match first_row {
                    Some(f) => (last_row - f + 1).saturating_mul(max_col.saturating_sub(min_col) + 1),
                    None => 0,
                };
                if pushed > budget.max || dense > budget.max {
                    return Err(WorkbookError::TooLarge(format!(
                        "sheet {} spreads over {} cells once its repeated rows and columns are expanded, the limit is {} (--max-cells)",
                        sheet.name,
                        pushed.max(dense),
                        budget.max
                    )));
                }
                // ...then what the reader needs from it.
                let mut col: u64 = 0;
                for c in &cells {
                    let creps = c.repeat.min(MAX_COLUMNS.saturating_sub(col));
                    if c.nonempty && (c.display.is_some() || c.struck.is_some()) {
                        for r in 0..reps {
                            for k in 0..creps {
                                if budget.extras >= budget.max {
                                    break;
                                }
                                let pos = ((row + r) as u32, (col + k) as u32);
                                if let Some(d) = &c.display {
                                    sheet.display.insert(pos, d.clone());
                                }
                                if let Some(runs) = &c.struck {
                                    sheet.struck.insert(pos, runs.clone());
                                }
                                budget.extras += 1;
                            }
                        }
                    }
                    if c.span.0 > 1 || c.span.1 > 1 {
                        for r in 0..reps.min(1000) {
                            sheet.merges.push(Dimensions {
                                start: ((row + r) as u32, col as u32),
                                end: (
                                    (row + r + c.span.0 - 1).min(MAX_ROWS - 1) as u32,
                                    (col + c.span.1 - 1).min(MAX_COLUMNS - 1) as u32,
                                ),
                            });
                        }
                    }
                    col = col.saturating_add(creps);
                }
                row = row.saturating_add(reps);
            }
            Ok(Event::Start(_)) => depth.open()?,
            Ok(Event::End(e)) => {
                depth.close();
                if e.name().as_ref() == "table:table" {
                    return Ok(sheet);
                }
            }
            Ok(Event::Eof) => return Ok(sheet),
            Err(e) => return Err(xml::error("content.xml", e)),
            _ => {}
        }
        buf.clear();
    }
}

struct OdsCell {
    repeat: u64,
    nonempty: bool,
    span: (u64, u64),
    display: Option<String>,
    struck: Option<Vec<Run>>,
}

/// The cells of a row (reader just past `<table:table-row>`), through its end.
fn read_row<R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    styles: &HashMap<String, TextStyle>,
    depth: &mut Depth,
) -> Result<Vec<OdsCell>, WorkbookError> {
    let mut cells = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                depth.open()?;
                let value_type = xml::attr(&e, "office:value-type");
                let cell_style = xml::attr(&e, "table:style-name")
                    .and_then(|s| styles.get(&s))
                    .cloned()
                    .unwrap_or_default();
                let end = e.name().as_ref().to_string();
                let runs = read_cell_text(reader, &end, styles, &cell_style, depth)?;
                let text: String = runs.iter().map(|r| r.text.as_str()).collect();
                let has_value = value_type.is_some() || xml::attr(&e, "table:formula").is_some();
                let is_string = value_type.as_deref().is_none_or(|t| t == "string");
                let nonempty = has_value || !text.is_empty();
                cells.push(OdsCell {
                    repeat: repeat(&e, "table:number-columns-repeated"),
                    nonempty,
                    span: (
                        repeat(&e, "table:number-rows-spanned"),
                        repeat(&e, "table:number-columns-spanned"),
                    ),
                    display: (!is_string && !text.is_empty()).then_some(text),
                    struck: (is_string && super::rich_text::any_struck(&runs)).then_some(runs),
                });
            }
            Ok(Event::Start(_)) => depth.open()?,
            Ok(Event::End(e)) => {
                depth.close();
                if e.name().as_ref() == "table:table-row" {
                    return Ok(cells);
                }
            }
            Ok(Event::Eof) => return Ok(cells),
            Err(e) => return Err(xml::error("content.xml", e)),
            _ => {}
        }
        buf.clear();
    }
}

/// A cell's text as runs (reader just past the cell's start), through its
/// end: paragraphs joined by `\n`, spans styled, annotations skipped.
fn read_cell_text<R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    end: &str,
    styles: &HashMap<String, TextStyle>,
    cell_style: &TextStyle,
    depth: &mut Depth,
) -> Result<Vec<Run>, WorkbookError> {
    let base = || Run {
        text: String::new(),
        struck: cell_style.struck.unwrap_or(false),
        look: cell_style.look.clone(),
    };
    let mut runs: Vec<Run> = Vec::new();
    // The style of each open span; the innermost applies.
    let mut spans: Vec<Option<TextStyle>> = Vec::new();
    let mut paragraphs = 0usize;
    let mut annotation = 0usize;
    let mut buf = Vec::new();
    let current = |spans: &[Option<TextStyle>]| -> Run {
        let mut r = base();
        if let Some(Some(s)) = spans.iter().rev().find(|s| s.is_some()) {
            if let Some(st) = s.struck {
                r.struck = st;
            }
            r.look = s.look.clone();
        }
        r
    };
    let push = |runs: &mut Vec<Run>, spans: &[Option<TextStyle>], text: &str| {
        let r = current(spans);
        match runs.last_mut() {
            Some(last) if last.struck == r.struck && last.look == r.look => last.text.push_str(text),
            _ => runs.push(Run {
                text: text.to_string(),
                ..r
            }),
        }
    };
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                depth.open()?;
                if annotation > 0 {
                    if e.name().as_ref() == "office:annotation" {
                        annotation += 1;
                    }
                } else {
                    match e.name().as_ref() {
                        "office:annotation" => annotation = 1,
                        "text:p" | "text:h" => {
                            if paragraphs > 0 {
                                push(&mut runs, &spans, "\n");
                            }
                            paragraphs += 1;
                        }
                        "text:span" => {
                            spans.push(xml::attr(&e, "text:style-name").and_then(|s| styles.get(&s)).cloned())
                        }
                        "text:s" => {
                            let n = xml::attr(&e, "text:c")
                                .and_then(|c| c.parse::<usize>().ok())
                                .unwrap_or(1)
                                .min(1000);
                            push(&mut runs, &spans, &" ".repeat(n));
                        }
                        "text:tab" => push(&mut runs, &spans, "\t"),
                        "text:line-break" => push(&mut runs, &spans, "\n"),
                        _ => {}
                    }
                }
            }
            Ok(Event::Text(t)) if annotation == 0 => push(&mut runs, &spans, &t.xml10_content()),
            Ok(Event::GeneralRef(g)) if annotation == 0 => {
                let mut s = String::new();
                xml::push_ref(&g, &mut s);
                push(&mut runs, &spans, &s);
            }
            Ok(Event::End(e)) => {
                depth.close();
                let n = e.name();
                if n.as_ref() == end {
                    return Ok(runs);
                }
                if annotation > 0 {
                    if n.as_ref() == "office:annotation" {
                        annotation -= 1;
                    }
                } else if n.as_ref() == "text:span" {
                    spans.pop();
                }
            }
            Ok(Event::Eof) => return Ok(runs),
            Err(e) => return Err(xml::error("content.xml", e)),
            _ => {}
        }
        buf.clear();
    }
}
