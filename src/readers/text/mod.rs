//! Text releases: decoded (encoding detected, not assumed), split into
//! lines (CRLF, LF or CR), and turned into rows in one of the three dialects
//! the city's releases come in:
//!
//! * `tsv`: a tab-separated export; every line is a table row, every tab a
//!   cell boundary.
//! * `markdown`: Markdown with HTML inside table cells (`<ul><li>…`); `#`
//!   lines are headings, tab- or pipe-separated lines are table rows.
//! * `pdf_text`: text pulled out of a PDF: no cells, lines wrapped at the
//!   page width, vertical labels spelled one character a line (`計\n画`),
//!   which are put back together here.
//!
//! Memory is linear in the file with a small constant: UTF-8 text is read
//! in place (not copied), lines are walked, not collected, a run of blank
//! lines is one blank row (all a blank line tells the recogniser is that
//! one stands there), and the rows' memory is counted as they are made: a
//! file whose rows would take more than [`MEMORY_PER_BYTE`] times its size
//! plus [`MEMORY_FLOOR`] — millions of one-character lines, which no
//! release has — fails with `too_large` before it takes the machine's
//! memory.

mod encoding;
mod html;

use crate::error::Result;
use crate::ir::{Cell, Ir, Meta, Row, RowKind};
use crate::limits::Limits;
use crate::model::{Format, Location, Warning};

/// The rows of a file may take this many times its size in memory…
pub const MEMORY_PER_BYTE: usize = 4;
/// …plus this, so that no release is refused: the rows' constant (two
/// `Location`s, 280 bytes a line) makes a release of short lines, or one in
/// Shift_JIS (decoded to longer UTF-8), take 4–6 times its size.
pub const MEMORY_FLOOR: usize = 16 << 20;

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("not text: the bytes are binary ({bad} of {total} characters are control characters or undecodable)")]
    Binary { bad: usize, total: usize },
    #[error(
        "too large: its {rows} rows in {bytes} bytes would take more than {limit} bytes of memory to read (4 times \
         the file, and 16 MiB); a text release has longer lines"
    )]
    TooManyRows { rows: usize, bytes: usize, limit: usize },
}

impl TextError {
    pub fn code(&self) -> &'static str {
        match self {
            TextError::Binary { .. } => "not_text",
            TextError::TooManyRows { .. } => "too_large",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Tsv,
    Markdown,
    PdfText,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Tsv => "tsv",
            Dialect::Markdown => "markdown",
            Dialect::PdfText => "pdf_text",
        }
    }
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Ir> {
    let decoded = encoding::decode(bytes).map_err(|e| match e {
        encoding::NotText::Binary { bad, total } => TextError::Binary { bad, total },
    })?;
    let text: &str = &decoded.text;
    let line_ending = detect_line_ending(text);
    let dialect = detect_dialect(Lines::new(text));
    let owned = match &decoded.text {
        std::borrow::Cow::Owned(s) => s.capacity(),
        std::borrow::Cow::Borrowed(_) => 0,
    };
    let mut rows = Rows::new(text, bytes.len(), limits, owned)?;
    match dialect {
        Dialect::Tsv | Dialect::Markdown => table_rows(Lines::new(text), dialect, &mut rows)?,
        Dialect::PdfText => pdf_text_rows(Lines::new(text), &mut rows)?,
    }
    let mut warnings = Vec::new();
    if rows.cut {
        warnings.push(Warning::new(
            "cells_limit",
            format!(
                "the file has more than {} cells (--max-cells); the rest was not read",
                limits.max_cells
            ),
            Location::line(rows.rows.last().and_then(|r| r.at.line).unwrap_or(0)),
        ));
    }
    Ok(Ir {
        format: Format::Text,
        meta: Meta {
            encoding: Some(decoded.encoding.to_string()),
            line_ending: line_ending.map(str::to_string),
            dialect: Some(dialect.as_str().to_string()),
            ..Meta::default()
        },
        rows: rows.rows,
        revisions: Vec::new(),
        warnings,
    })
}

fn detect_line_ending(text: &str) -> Option<&'static str> {
    let crlf = text.matches("\r\n").count();
    let cr = text.matches('\r').count() - crlf;
    let lf = text.matches('\n').count() - crlf;
    if crlf == 0 && cr == 0 && lf == 0 {
        None
    } else if crlf >= lf && crlf >= cr {
        Some("CRLF")
    } else if lf >= cr {
        Some("LF")
    } else {
        Some("CR")
    }
}

/// The lines of a text, split at CRLF, LF or CR, each with its number
/// (from 1); walked, never collected.
#[derive(Clone)]
struct Lines<'a> {
    rest: &'a str,
    number: u32,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines { rest: text, number: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (u32, &'a str);

    fn next(&mut self) -> Option<(u32, &'a str)> {
        if self.rest.is_empty() {
            return None;
        }
        self.number = self.number.saturating_add(1);
        let b = self.rest.as_bytes();
        match memchr::memchr2(b'\n', b'\r', b) {
            Some(i) => {
                let line = &self.rest[..i];
                let skip = if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.rest = &self.rest[i + skip..];
                Some((self.number, line))
            }
            None => {
                let line = self.rest;
                self.rest = "";
                Some((self.number, line))
            }
        }
    }
}

/// The rows being made, their memory counted (see the module
/// documentation) and their cells against `--max-cells`.
struct Rows {
    rows: Vec<Row>,
    used: usize,
    limit: usize,
    bytes: usize,
    cells: u64,
    max_cells: u64,
    /// `--max-cells` cut the file short.
    cut: bool,
}

impl Rows {
    /// `owned`: the bytes of a decoded copy of the file held meanwhile.
    fn new(text: &str, bytes: usize, limits: &Limits, owned: usize) -> Result<Rows> {
        let limit = bytes.saturating_mul(MEMORY_PER_BYTE).saturating_add(MEMORY_FLOOR);
        // At most one row a line, one for each run of blank lines: the
        // row vector is made once, at its size, never doubled.
        let (mut upper, mut blank) = (0usize, false);
        for (_, line) in Lines::new(text) {
            let is_blank = line.trim().is_empty();
            if !(is_blank && blank) {
                upper += 1;
            }
            blank = is_blank;
        }
        let used = owned.saturating_add(upper.saturating_mul(std::mem::size_of::<Row>()));
        if used > limit {
            return Err(TextError::TooManyRows {
                rows: upper,
                bytes,
                limit,
            }
            .into());
        }
        Ok(Rows {
            rows: Vec::with_capacity(upper),
            used,
            limit,
            bytes,
            cells: 0,
            max_cells: limits.max_cells,
            cut: false,
        })
    }

    /// Whether the last row is a blank one.
    fn after_blank(&self) -> bool {
        self.rows
            .last()
            .is_some_and(|r| r.kind == RowKind::Line && r.cells.is_empty())
    }

    /// Add a row; `Ok(false)` once `--max-cells` is reached (the row is
    /// not added, and nothing more should be).
    fn push(&mut self, mut row: Row) -> Result<bool> {
        self.cells += row.cells.len() as u64;
        if self.cells > self.max_cells {
            self.cut = true;
            return Ok(false);
        }
        row.cells.shrink_to_fit();
        let cost = row.cells.capacity() * std::mem::size_of::<Cell>()
            + row.cells.iter().map(|c| c.text.capacity()).sum::<usize>();
        self.used = self.used.saturating_add(cost);
        if self.used > self.limit {
            return Err(TextError::TooManyRows {
                rows: self.rows.len() + 1,
                bytes: self.bytes,
                limit: self.limit,
            }
            .into());
        }
        self.rows.push(row);
        Ok(true)
    }

    /// A blank line: a blank row, unless one stands just before.
    fn blank(&mut self, at: Location) -> Result<bool> {
        if self.after_blank() {
            return Ok(true);
        }
        self.push(Row::blank(at))
    }
}

fn detect_dialect(lines: Lines) -> Dialect {
    let (mut nonblank, mut tabbed, mut headings, mut html, mut piped) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for (_, l) in lines {
        if l.trim().is_empty() {
            continue;
        }
        nonblank += 1;
        tabbed += usize::from(l.contains('\t'));
        headings += usize::from(is_heading(l).is_some());
        html += usize::from(html::has_block_tags(l));
        piped += usize::from(l.trim_start().starts_with('|') && l.trim_end().ends_with('|'));
    }
    if headings >= 2 || piped >= 2 || (html >= 2 && tabbed > 0 && headings > 0) {
        Dialect::Markdown
    } else if tabbed * 20 >= nonblank.max(1) {
        Dialect::Tsv
    } else {
        Dialect::PdfText
    }
}

/// `# title` → (1, "title").
fn is_heading(line: &str) -> Option<(u8, &str)> {
    let t = line.trim_start();
    let level = t.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&level) && t[level..].starts_with(' ') {
        Some((level as u8, t[level..].trim()))
    } else {
        None
    }
}

/// A Markdown table's separator line (`--|---`, `:---:`), or a line of
/// dashes a converter left between tables.
fn is_separator(cells: &[&str]) -> bool {
    cells.iter().any(|c| !c.trim().is_empty())
        && cells.iter().all(|c| {
            c.trim()
                .chars()
                .all(|ch| matches!(ch, '-' | ':' | '|' | ' ' | '+' | '='))
        })
}

fn table_rows(lines: Lines, dialect: Dialect, rows: &mut Rows) -> Result<()> {
    for (n, line) in lines {
        let at = Location::line(n);
        if line.trim().is_empty() {
            if !rows.blank(at)? {
                break;
            }
            continue;
        }
        if dialect == Dialect::Markdown
            && let Some((level, text)) = is_heading(line)
        {
            let text = html::to_text(&text.replace("**", ""));
            let row = Row {
                kind: RowKind::Heading(level),
                cells: vec![Cell::new(text, 0, at.clone())],
                at,
            };
            if !rows.push(row)? {
                break;
            }
            continue;
        }
        let raw: Vec<&str> = if dialect == Dialect::Markdown && line.trim_start().starts_with('|') {
            let t = line.trim();
            let t = t.strip_prefix('|').unwrap_or(t);
            let t = t.strip_suffix('|').unwrap_or(t);
            t.split('|').collect()
        } else {
            line.split('\t').collect()
        };
        if is_separator(&raw) {
            continue;
        }
        let cells = raw
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty())
            .map(|(col, c)| Cell::new(html::to_text(c), col as u32, at.clone()))
            .collect();
        let row = Row {
            kind: RowKind::Table,
            cells,
            at,
        };
        if !rows.push(row)? {
            break;
        }
    }
    Ok(())
}

/// Lines of text pulled out of a PDF, put back together as the PDF reader
/// puts its unruled pages together (one module, `readers::lines`): runs of
/// one-character lines are a vertical label (`計\n画` → `計画`), wrapped
/// lines are joined where the text says they go on (`38.6` / `%以上`), a
/// line starting with a list marker starts an item; a blank line ends a
/// paragraph (a run of them is one blank row). Each row is at its first
/// physical line. The lines are joined as they come
/// (`lines::join_running_each`): only a vertical label's lines are held.
fn pdf_text_rows(lines: Lines, rows: &mut Rows) -> Result<()> {
    let cleaned = lines.map(|(_, l)| {
        if l.trim().is_empty() {
            // Kept as it is: a line of spaces inside a vertical label
            // (`計\n　\n画`) is part of it.
            std::borrow::Cow::Borrowed(l)
        } else {
            std::borrow::Cow::Owned(html::to_text(&l.replace("**", "")))
        }
    });
    super::lines::join_running_each(cleaned, |i, text| {
        let at = Location::line(u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1));
        if text.is_empty() {
            rows.blank(at)
        } else {
            rows.push(Row::line(text, at))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(ir: &Ir) -> Vec<String> {
        ir.rows.iter().map(|r| r.text()).collect()
    }

    #[test]
    fn tsv_cells_keep_their_columns() {
        let ir = read(
            "具体的取組1-1-1 【人と人とのつながりづくり】\t\t2決算額\t- 円 3予算額\n".as_bytes(),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(ir.meta.dialect.as_deref(), Some("tsv"));
        let cols: Vec<u32> = ir.rows[0].cells.iter().map(|c| c.col).collect();
        assert_eq!(cols, [0, 2, 3]);
    }

    #[test]
    fn crlf_and_cr_line_ends() {
        let ir = read("a\tb\r\nc\td\r\n".as_bytes(), &Limits::default()).unwrap();
        assert_eq!(ir.meta.line_ending.as_deref(), Some("CRLF"));
        assert_eq!(texts(&ir), ["a\tb", "c\td"]);
        let ir = read("a\tb\rc\td\r".as_bytes(), &Limits::default()).unwrap();
        assert_eq!(ir.meta.line_ending.as_deref(), Some("CR"));
        assert_eq!(ir.rows.len(), 2);
    }

    #[test]
    fn markdown_headings_and_html_cells() {
        let src = "# 令和3年度 港区運営方針に関する 中間振り返りの概要版\n\n## 戦略1-1 豊かなコミュニティの促進\n\n具体的取組\t現状の主な取組実績\n1 人と人とのつながりづくり\t<ul style=\"x\"> <li>啓発や情報発信、活動支援など：14件</li> <li>チラシを配布</li> </ul>\n";
        let ir = read(src.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(ir.meta.dialect.as_deref(), Some("markdown"));
        assert_eq!(ir.rows[0].kind, RowKind::Heading(1));
        let last = ir.rows.last().unwrap();
        assert_eq!(last.cells[1].text, "啓発や情報発信、活動支援など：14件\nチラシを配布");
    }

    #[test]
    fn vertical_labels_are_put_back_together() {
        let src = "当年度の取組内容\n計\n\u{3000}\n画\n\n自\n己\n評\n価\n\n・人と人との件数：20\n件\n\n区民モニター";
        let ir = read(src.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(ir.meta.dialect.as_deref(), Some("pdf_text"));
        let t = texts(&ir);
        assert!(t.contains(&"計画".to_string()), "{t:?}");
        assert!(t.contains(&"自己評価".to_string()), "{t:?}");
        // A vertical label stands alone; a lone wrapped character is no label.
        assert_eq!(t[0], "当年度の取組内容");
        assert!(t.contains(&"・人と人との件数：20件".to_string()), "{t:?}");
    }

    #[test]
    fn separator_lines_are_dropped() {
        let ir = read(
            "地域特性…割合\t93.4%\n--\t-------\n件数\t9件\n".as_bytes(),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(ir.rows.len(), 2);
    }
}
