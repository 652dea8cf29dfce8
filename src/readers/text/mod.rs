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

pub(crate) mod encoding;
mod html;

use crate::error::Result;
use crate::ir::{Cell, Ir, Meta, Row, RowKind};
use crate::limits::Limits;
use crate::model::{Format, Location};

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("not text: the bytes are binary ({bad} of {total} characters are control characters or undecodable)")]
    Binary { bad: usize, total: usize },
}

impl TextError {
    pub fn code(&self) -> &'static str {
        match self {
            TextError::Binary { .. } => "not_text",
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
    let line_ending = detect_line_ending(&decoded.text);
    let lines = split_lines(&decoded.text);
    let dialect = detect_dialect(&lines);
    let mut rows = match dialect {
        Dialect::Tsv | Dialect::Markdown => table_rows(&lines, dialect),
        Dialect::PdfText => pdf_text_rows(&lines),
    };
    let cells: u64 = rows.iter().map(|r| r.cells.len() as u64).sum();
    if cells > limits.max_cells {
        rows.truncate(limits.max_cells as usize);
    }
    Ok(Ir {
        format: Format::Text,
        meta: Meta {
            encoding: Some(decoded.encoding.to_string()),
            line_ending: line_ending.map(str::to_string),
            dialect: Some(dialect.as_str().to_string()),
            ..Meta::default()
        },
        rows,
        revisions: Vec::new(),
        warnings: Vec::new(),
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

/// Lines split at CRLF, LF or CR.
fn split_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&text[start..i]);
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn detect_dialect(lines: &[&str]) -> Dialect {
    let nonblank: Vec<&&str> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    let tabbed = nonblank.iter().filter(|l| l.contains('\t')).count();
    let headings = nonblank.iter().filter(|l| is_heading(l).is_some()).count();
    let html = nonblank.iter().filter(|l| html::has_block_tags(l)).count();
    let piped = nonblank
        .iter()
        .filter(|l| l.trim_start().starts_with('|') && l.trim_end().ends_with('|'))
        .count();
    if headings >= 2 || piped >= 2 || (html >= 2 && tabbed > 0 && headings > 0) {
        Dialect::Markdown
    } else if tabbed * 20 >= nonblank.len().max(1) {
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

fn table_rows(lines: &[&str], dialect: Dialect) -> Vec<Row> {
    let mut rows = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let at = Location::line(i as u32 + 1);
        if line.trim().is_empty() {
            rows.push(Row::blank(at));
            continue;
        }
        if dialect == Dialect::Markdown
            && let Some((level, text)) = is_heading(line)
        {
            let text = html::to_text(&text.replace("**", ""));
            rows.push(Row {
                kind: RowKind::Heading(level),
                cells: vec![Cell::new(text, 0, at.clone())],
                at,
            });
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
        rows.push(Row {
            kind: RowKind::Table,
            cells,
            at,
        });
    }
    rows
}

/// Lines of text pulled out of a PDF, put back together as the PDF reader
/// puts its unruled pages together (one module, `readers::lines`): runs of
/// one-character lines are a vertical label (`計\n画` → `計画`), wrapped
/// lines are joined where the text says they go on (`38.6` / `%以上`), a
/// line starting with a list marker starts an item; a blank line ends a
/// paragraph. Each row is at its first physical line.
fn pdf_text_rows(lines: &[&str]) -> Vec<Row> {
    let cleaned: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                // Kept as it is: a line of spaces inside a vertical label
                // (`計\n　\n画`) is part of it.
                l.to_string()
            } else {
                html::to_text(&l.replace("**", ""))
            }
        })
        .collect();
    super::lines::join_running(&cleaned)
        .into_iter()
        .map(|(i, text)| {
            let at = Location::line(i as u32 + 1);
            if text.is_empty() {
                Row::blank(at)
            } else {
                Row::line(text, at)
            }
        })
        .collect()
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
