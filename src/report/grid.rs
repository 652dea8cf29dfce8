//! Workbook sheets as grids: each sheet a table with its column letters
//! and row numbers, merged cells spanning as in the workbook, the values
//! marked in the cells' text.
//!
//! The grid is the intermediate form's: a cell's place is its location
//! (`様式2!B12`) and its extent its `span`. Rows with nothing in them are
//! left out, a gap row saying how many.

use super::html::esc;
use super::{CellMarks, cell_attrs, marked_text};
use crate::ir::Ir;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

/// `B12` → (12, 2); `None` for anything else.
pub fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let letters: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = &r[letters.len()..];
    if letters.is_empty() || letters.len() > 3 || digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut col = 0u32;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    Some((digits.parse().ok()?, col))
}

/// 1 → `A`, 28 → `AB`.
pub fn col_name(mut col: u32) -> String {
    let mut s = Vec::new();
    while col > 0 {
        let r = (col - 1) % 26;
        s.push(char::from(b'A' + r as u8));
        col = (col - 1) / 26;
    }
    s.iter().rev().collect()
}

/// A cell to draw: its place, extent and where it is in the IR.
struct Placed {
    row: u32,
    col: u32,
    rows: u32,
    cols: u32,
    ir: (usize, usize),
}

/// Widest grid drawn: columns past this are listed below the sheet.
const MAX_COLS: u32 = 256;

pub fn sheets(ir: &Ir, marks: &BTreeMap<(usize, usize), CellMarks>) -> String {
    // Sheets in the order the IR first names them.
    let mut order: Vec<String> = Vec::new();
    let mut cells: BTreeMap<String, Vec<Placed>> = BTreeMap::new();
    let mut loose: Vec<(usize, usize)> = Vec::new();
    for (ri, r) in ir.rows.iter().enumerate() {
        for (ci, c) in r.cells.iter().enumerate() {
            let (Some(sheet), Some((row, col))) = (&c.at.sheet, c.at.cell.as_deref().and_then(parse_ref)) else {
                if !c.text.trim().is_empty() {
                    loose.push((ri, ci));
                }
                continue;
            };
            if !cells.contains_key(sheet) {
                order.push(sheet.clone());
            }
            cells.entry(sheet.clone()).or_default().push(Placed {
                row,
                col,
                rows: c.span.0.max(1),
                cols: c.span.1.max(1),
                ir: (ri, ci),
            });
        }
    }
    let mut out = String::new();
    for name in &order {
        let Some(list) = cells.get(name) else { continue };
        sheet(&mut out, ir, name, list, marks);
    }
    if !loose.is_empty() {
        out.push_str(
            "<section class=\"sheet\"><h2 class=\"where\">cells without a sheet location</h2><table class=\"grid\">",
        );
        for (ri, ci) in loose {
            if let Some(c) = ir.rows.get(ri).and_then(|r| r.cells.get(ci)) {
                let m = marks.get(&(ri, ci));
                let _ = write!(
                    out,
                    "<tr><td{}>{}</td></tr>",
                    cell_attrs(m, ""),
                    marked_text(&c.text, m)
                );
            }
        }
        out.push_str("</table></section>");
    }
    if order.is_empty() && out.is_empty() {
        out.push_str("<p class=\"empty\">The reader found no cells.</p>");
    }
    out
}

fn sheet(out: &mut String, ir: &Ir, name: &str, list: &[Placed], marks: &BTreeMap<(usize, usize), CellMarks>) {
    let max_col = list.iter().map(|p| p.col + p.cols - 1).max().unwrap_or(1).min(MAX_COLS);
    // Rows drawn: those a cell starts in or spans.
    let mut rows: Vec<u32> = list
        .iter()
        .flat_map(|p| p.row..p.row.saturating_add(p.rows.min(1000)))
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let at: BTreeMap<(u32, u32), &Placed> = list.iter().map(|p| ((p.row, p.col), p)).collect();
    let mut covered: HashSet<(u32, u32)> = HashSet::new();
    let _ = write!(
        out,
        "<section class=\"sheet\" id=\"sheet-{}\"><h2 class=\"where\">sheet {}</h2><div class=\"scroll\"><table class=\"grid\"><thead><tr><th></th>",
        esc(name),
        esc(name)
    );
    for c in 1..=max_col {
        let _ = write!(out, "<th>{}</th>", col_name(c));
    }
    out.push_str("</tr></thead><tbody>");
    let mut prev: Option<u32> = None;
    let mut wide: Vec<&Placed> = Vec::new();
    let cut = rows.len().saturating_sub(super::lines::MAX_ROWS);
    for &r in rows.iter().take(super::lines::MAX_ROWS) {
        if let Some(p) = prev
            && r > p + 1
        {
            let _ = write!(
                out,
                "<tr class=\"gap\"><th>⋮</th><td colspan=\"{max_col}\">{} empty row(s)</td></tr>",
                r - p - 1
            );
        }
        prev = Some(r);
        let _ = write!(out, "<tr><th>{r}</th>");
        let mut c = 1;
        while c <= max_col {
            if covered.contains(&(r, c)) {
                c += 1;
                continue;
            }
            match at.get(&(r, c)) {
                Some(p) => {
                    let cols = p.cols.min(max_col - c + 1);
                    // A span over rows left out is cut to the rows drawn.
                    let rows_drawn = rows.iter().filter(|&&x| x >= r && x < r + p.rows).count() as u32;
                    for rr in r..r + p.rows {
                        for cc in c..c + cols {
                            covered.insert((rr, cc));
                        }
                    }
                    let cell = ir.rows.get(p.ir.0).and_then(|row| row.cells.get(p.ir.1));
                    let m = marks.get(&p.ir);
                    let _ = write!(out, "<td id=\"c-{}-{}{}\"", esc(name), col_name(c), r);
                    if rows_drawn > 1 {
                        let _ = write!(out, " rowspan=\"{rows_drawn}\"");
                    }
                    if cols > 1 {
                        let _ = write!(out, " colspan=\"{cols}\"");
                    }
                    let _ = write!(
                        out,
                        "{}>{}</td>",
                        cell_attrs(m, ""),
                        cell.map(|cl| marked_text(&cl.text, m)).unwrap_or_default()
                    );
                    c += cols;
                }
                None => {
                    out.push_str("<td></td>");
                    c += 1;
                }
            }
        }
        out.push_str("</tr>");
        wide.extend(list.iter().filter(|p| p.row == r && p.col > max_col));
    }
    out.push_str("</tbody></table></div>");
    if cut > 0 {
        let _ = write!(
            out,
            "<p class=\"empty\">{cut} more rows are not drawn (a report draws at most {} a sheet).</p>",
            super::lines::MAX_ROWS
        );
    }
    if !wide.is_empty() {
        out.push_str("<p>Cells past the widest column drawn:</p><ul>");
        for p in wide {
            let m = marks.get(&p.ir);
            let text = ir
                .rows
                .get(p.ir.0)
                .and_then(|row| row.cells.get(p.ir.1))
                .map(|cl| marked_text(&cl.text, m))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<li{}>{}{}: {text}</li>",
                cell_attrs(m, ""),
                col_name(p.col),
                p.row
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(parse_ref("B12"), Some((12, 2)));
        assert_eq!(parse_ref("AB3"), Some((3, 28)));
        assert_eq!(parse_ref("12"), None);
        assert_eq!(parse_ref("B"), None);
        assert_eq!(col_name(28), "AB");
        assert_eq!(col_name(1), "A");
    }
}
