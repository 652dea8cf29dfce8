//! The format-neutral intermediate form between readers and the recogniser.
//!
//! Every reader (text, workbook, PDF, HTML) turns its format into rows of cells
//! with provenance and nothing more: it knows nothing of 様式. The recogniser
//! reads only this, so a fix there reaches every format.
//!
//! * A **table row** (`RowKind::Table`) is a row of cells with hard
//!   boundaries: a tab-separated line, a Markdown table row, a worksheet row,
//!   a row of a ruled PDF table, a row of a web page's table (rowspan and
//!   colspan resolved). `Cell::col` is the grid column.
//! * A **line** (`RowKind::Line`) is one physical line of running text: text
//!   pulled out of a PDF, or a PDF page without rulings. Consecutive lines may
//!   be one paragraph wrapped by the page width; an empty row separates
//!   paragraphs.
//! * A **heading** (`RowKind::Heading`) is a line the source marks as a
//!   heading (Markdown `#`, HTML `<h2>`).
//!
//! Inside a cell, `\n` separates items the source separates (list items,
//! lines of a worksheet cell). When `Cell::wrapped` is true the `\n`s are
//! physical line ends of wrapped text instead, to be joined.

use crate::model::{Evidence, Format, Location, Warning};

#[derive(Debug, Clone, Default)]
pub struct Ir {
    pub format: Format,
    pub meta: Meta,
    pub rows: Vec<Row>,
    /// Revisions the reader saw in the file itself (struck-through runs).
    pub revisions: Vec<RawRevision>,
    pub warnings: Vec<Warning>,
}

/// A change as read: the struck-out text and the text after it. The
/// recogniser types it and anchors it to a field (`model::Revision`).
#[derive(Debug, Clone, PartialEq)]
pub struct RawRevision {
    pub before: String,
    pub after: String,
    pub at: Location,
    pub evidence: Evidence,
    /// The printed text the pair was found in, as it stands after the change.
    pub context: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub encoding: Option<String>,
    pub line_ending: Option<String>,
    pub dialect: Option<String>,
    pub pages: Option<u32>,
    pub sheets: Option<Vec<String>>,
    pub producer: Option<String>,
    /// The document's title as the file's metadata gives it (PDF /Title,
    /// workbook title), a hint at most; a web page's own title (its
    /// title heading, else `<title>`).
    pub title: Option<String>,
    /// The title heading a web page prints above its content (its first
    /// `<h1>`): the page's own words about the document, unlike `<title>`,
    /// which also names the site.
    pub page_heading: Option<String>,
    /// A web page's number on its site (ページ番号).
    pub page_number: Option<String>,
    /// The dates a web page prints with its title, `YYYY-MM-DD`.
    pub page_dates: Vec<String>,
    /// The address a web archive says the page was saved from.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Table,
    Line,
    Heading(u8),
}

#[derive(Debug, Clone)]
pub struct Row {
    pub kind: RowKind,
    pub cells: Vec<Cell>,
    /// Where the row as a whole is (its first cell's place for a table row).
    pub at: Location,
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    /// Grid column (0-based); for lines, 0.
    pub col: u32,
    /// Rows and columns the cell spans (a merged region), 1 and 1 if plain.
    pub span: (u32, u32),
    pub wrapped: bool,
    pub at: Location,
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.text.trim().is_empty())
    }

    pub fn line(text: String, at: Location) -> Row {
        Row {
            kind: RowKind::Line,
            cells: vec![Cell::new(text, 0, at.clone())],
            at,
        }
    }

    pub fn blank(at: Location) -> Row {
        Row {
            kind: RowKind::Line,
            cells: Vec::new(),
            at,
        }
    }

    /// The row's text, cells joined by a tab (for detection and messages).
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, c) in self.cells.iter().enumerate() {
            if i > 0 {
                s.push('\t');
            }
            s.push_str(&c.text);
        }
        s
    }
}

impl Cell {
    pub fn new(text: String, col: u32, at: Location) -> Cell {
        Cell {
            text,
            col,
            span: (1, 1),
            wrapped: false,
            at,
        }
    }
}

impl Ir {
    /// Every cell's text in reading order, one string (for detection).
    pub fn full_text(&self) -> String {
        let mut s = String::new();
        for r in &self.rows {
            s.push_str(&r.text());
            s.push('\n');
        }
        s
    }
}
