//! Text releases and web pages as numbered rows: each row of the
//! intermediate form on a line of its own, with the line number (or other
//! location) the reader gave it, its cells side by side as the release
//! separates them (a tab, a table cell), the values marked in them.

use super::html::esc;
use super::{CellMarks, cell_attrs, marked_text, where_};
use crate::ir::{Ir, RowKind};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Rows drawn at most: a report is for reading, and a browser slows down
/// long before a release this long ends.
pub const MAX_ROWS: usize = 20_000;

pub fn rows(ir: &Ir, marks: &BTreeMap<(usize, usize), CellMarks>) -> String {
    let mut out = String::from("<section class=\"lines\"><table class=\"rows\"><tbody>");
    let mut last_line: Option<u32> = None;
    let lines_of_text = ir.format == crate::model::Format::Text;
    for (ri, r) in ir.rows.iter().enumerate().take(MAX_ROWS) {
        // A text release's blank row has no location of its own: it is
        // the line after the one before. (Elsewhere a blank row only
        // separates paragraphs.)
        let label = match r.at.line.or_else(|| r.cells.first().and_then(|c| c.at.line)) {
            Some(l) => {
                last_line = Some(l);
                l.to_string()
            }
            None if !lines_of_text => String::new(),
            None if r.at.is_empty() && r.cells.iter().all(|c| c.at.is_empty()) => match last_line {
                Some(l) => {
                    last_line = Some(l + 1);
                    (l + 1).to_string()
                }
                None => String::new(),
            },
            None => where_(&r.at),
        };
        let kind = match r.kind {
            RowKind::Table => "t",
            RowKind::Line => "l",
            RowKind::Heading(_) => "hd",
        };
        let _ = write!(out, "<tr class=\"{kind}\" id=\"r{ri}\"><th>{}</th><td>", esc(&label));
        for (ci, c) in r.cells.iter().enumerate() {
            let m = marks.get(&(ri, ci));
            let _ = write!(out, "<span{}>{}</span>", cell_attrs(m, "cell"), marked_text(&c.text, m));
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table>");
    if ir.rows.len() > MAX_ROWS {
        let _ = write!(
            out,
            "<p class=\"empty\">{} more rows are not drawn (a report draws at most {MAX_ROWS}).</p>",
            ir.rows.len() - MAX_ROWS
        );
    }
    out.push_str("</section>");
    out
}
