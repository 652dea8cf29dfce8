//! PDF pages as SVG, drawn from the reader's own view of them
//! (`readers::pdf::view`): every glyph where the reader placed it, the
//! rulings it took for table borders, struck glyphs struck; and over them
//! each value's box, made of the boxes of the very glyphs its characters
//! came from.
//!
//! A value's characters are a byte range of a cell of the intermediate
//! form; the cell's text is the reader's glyphs in reading order (with
//! spaces and line ends it inserted), so the glyphs inside the cell's box
//! — and the boxes of the parts the reader joined to it across a page or
//! column break (`Location::continued`) — in the reader's reading order,
//! are matched to the text character by character. Characters no glyph
//! matches fall back to the cell's box.

use super::Mark;
use super::html::{esc, esc_into, num};
use super::locate::fold;
use crate::ir::Ir;
use crate::model::Location;
use crate::readers::pdf::view::{PageView, View, ViewGlyph};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Points to CSS pixels at 100 %: pages are shown a little larger.
const SCALE: f64 = 1.5;

/// For each character of a cell's text that a glyph drew: (byte offset,
/// page index, glyph index on that page).
pub type Alignment = Vec<(usize, usize, usize)>;

/// Glyphs (not struck, not spaces) of a page for which `keep` holds, as
/// characters in the reader's reading order, each with its glyph.
fn reading_chars(page: &PageView, keep: impl Fn(&ViewGlyph) -> bool) -> Vec<(char, usize)> {
    let cands: Vec<usize> = page
        .glyphs
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.struck && !g.text.chars().all(char::is_whitespace) && keep(g))
        .map(|(i, _)| i)
        .collect();
    let mut chars: Vec<(char, usize)> = Vec::new();
    for line in page.lines(&cands) {
        for gi in line {
            if let Some(g) = page.glyphs.get(gi) {
                chars.extend(g.text.chars().filter_map(fold).map(|c| (c, gi)));
            }
        }
    }
    chars
}

fn centre(g: &ViewGlyph) -> (f64, f64) {
    ((g.bbox[0] + g.bbox[2]) / 2.0, (g.bbox[1] + g.bbox[3]) / 2.0)
}

/// Match a cell's text to the glyphs inside its boxes: the box of its
/// location and, for a cell the reader joined across a page break or a
/// column, the boxes of the parts it continues in (`Location::continued`),
/// in order — each part's glyphs in the reader's reading order.
pub fn align(view: &View, text: &str, at: &Location) -> Alignment {
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .filter_map(|(b, c)| fold(c).map(|f| (b, f)))
        .collect();
    let mut glyphs: Vec<(char, usize)> = Vec::new();
    let mut pages: Vec<usize> = Vec::new();
    for part in std::iter::once(at).chain(at.continued.iter()) {
        let (Some(p), Some(b)) = (part.page.and_then(|p| (p as usize).checked_sub(1)), part.bbox) else {
            continue;
        };
        let Some(page) = view.pages.get(p) else { continue };
        let bbox = page.to_display(b);
        let inside = |g: &ViewGlyph| {
            let (cx, cy) = centre(g);
            bbox[0] - 0.5 <= cx && cx <= bbox[2] + 0.5 && bbox[1] - 0.5 <= cy && cy <= bbox[3] + 0.5
        };
        for c in reading_chars(page, inside) {
            glyphs.push(c);
            pages.push(p);
        }
    }
    let mut out = Vec::new();
    let mut j = 0;
    for &(b, c) in &chars {
        if let Some(m) = (j..glyphs.len().min(j + 8)).find(|&m| glyphs[m].0 == c) {
            out.push((b, pages[m], glyphs[m].1));
            j = m + 1;
        }
    }
    out
}

/// Boxes (page index, display space) covering the glyphs of a byte
/// range: one per run of glyphs on one line.
pub fn range_boxes(view: &View, al: &Alignment, start: usize, end: usize) -> Vec<(usize, [f64; 4])> {
    let mut out: Vec<(usize, [f64; 4])> = Vec::new();
    for &(_, pi, gi) in al.iter().filter(|(b, _, _)| *b >= start && *b < end) {
        let Some(g) = view.pages.get(pi).and_then(|p| p.glyphs.get(gi)) else {
            continue;
        };
        let b = g.bbox;
        match out.last_mut() {
            // The same line: vertically overlapping by half, and not far.
            Some((lp, l))
                if *lp == pi
                    && (l[3].min(b[3]) - l[1].max(b[1])) > 0.5 * (b[3] - b[1]).min(l[3] - l[1])
                    && b[0] <= l[2] + 3.0 * g.size.max(1.0)
                    && b[2] >= l[0] - 3.0 * g.size.max(1.0) =>
            {
                *l = [l[0].min(b[0]), l[1].min(b[1]), l[2].max(b[2]), l[3].max(b[3])];
            }
            _ => out.push((pi, b)),
        }
    }
    out
}

/// Cells' alignments, computed once each.
#[derive(Default)]
pub struct Aligner {
    cache: HashMap<(usize, usize), Option<Alignment>>,
}

impl Aligner {
    /// The alignment of a cell of the intermediate form.
    pub fn cell(&mut self, view: &View, ir: &Ir, row: usize, cell: usize) -> Option<&Alignment> {
        self.cache
            .entry((row, cell))
            .or_insert_with(|| {
                let c = ir.rows.get(row)?.cells.get(cell)?;
                Some(align(view, &c.text, &c.at))
            })
            .as_ref()
    }
}

/// A rectangle in a page's SVG (y down from the page's top).
fn rect(out: &mut String, page: &PageView, b: [f64; 4], attrs: &str) {
    let [x0, _, _, y1] = page.bbox;
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}/>",
        num(b[0] - x0),
        num(y1 - b[3]),
        num((b[2] - b[0]).max(0.5)),
        num((b[3] - b[1]).max(0.5)),
    );
}

/// The glyphs of a page as text runs: one `<text>` per run of glyphs on
/// one baseline, each character at its own x.
fn glyph_text(out: &mut String, page: &PageView) {
    let [x0, _, _, y1] = page.bbox;
    let mut i = 0;
    let gs = &page.glyphs;
    while i < gs.len() {
        let g = &gs[i];
        let single = g.text.chars().count() == 1 && g.text.chars().all(|c| (c as u32) < 0x10000);
        if g.text.chars().all(char::is_whitespace) {
            i += 1;
            continue;
        }
        let h = g.bbox[3] - g.bbox[1];
        let size = g.size.max(1.0);
        if g.vertical || !single {
            // One glyph on its own, centred in its box.
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\"{}>",
                num((g.bbox[0] + g.bbox[2]) / 2.0 - x0),
                num(y1 - g.bbox[1] - 0.15 * h),
                num(size),
                style(g.color, g.struck),
            );
            esc_into(out, &g.text);
            out.push_str("</text>");
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < gs.len() {
            let n = &gs[j];
            let p = &gs[j - 1];
            let same = !n.vertical
                && n.text.chars().count() == 1
                && n.text.chars().all(|c| (c as u32) < 0x10000)
                && (n.size - g.size).abs() < 0.01
                && (n.bbox[1] - g.bbox[1]).abs() < 0.2
                && (n.bbox[3] - g.bbox[3]).abs() < 0.2
                && n.color == g.color
                && n.struck == g.struck
                && n.bbox[0] >= p.bbox[0];
            if !same {
                break;
            }
            j += 1;
        }
        let xs: Vec<String> = gs[i..j].iter().map(|g| num(g.bbox[0] - x0)).collect();
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{}>",
            xs.join(" "),
            num(y1 - g.bbox[1] - 0.15 * h),
            num(size),
            style(g.color, g.struck)
        );
        for g in &gs[i..j] {
            esc_into(out, &g.text);
        }
        out.push_str("</text>");
        i = j;
    }
}

fn style(color: [f32; 3], struck: bool) -> String {
    let mut s = String::new();
    if color.iter().any(|&c| c > 0.05) {
        let c = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        let _ = write!(
            s,
            " fill=\"#{:02x}{:02x}{:02x}\"",
            c(color[0]),
            c(color[1]),
            c(color[2])
        );
    }
    if struck {
        s.push_str(" class=\"struck\"");
    }
    s
}

/// Every page, with the marks over it.
pub fn pages(view: &View, marks: &[Mark], page_warnings: &HashMap<usize, Vec<usize>>) -> String {
    let mut by_page: HashMap<usize, Vec<&Mark>> = HashMap::new();
    for m in marks {
        by_page.entry(m.page).or_default().push(m);
    }
    let mut out = String::new();
    for (pi, page) in view.pages.iter().enumerate() {
        let w = page.bbox[2] - page.bbox[0];
        let h = page.bbox[3] - page.bbox[1];
        let _ = write!(
            out,
            "<section class=\"page\" id=\"page-{n}\"{warned}><h2 class=\"where\">page {n}{rot}</h2>\
             <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {vw} {vh}\" width=\"{pw}\" height=\"{ph}\" role=\"img\" aria-label=\"page {n}\">\
             <rect class=\"paper\" x=\"0\" y=\"0\" width=\"{vw}\" height=\"{vh}\"/>",
            n = page.number,
            warned = match page_warnings.get(&pi) {
                Some(ws) => format!(
                    " data-w=\"{}\"",
                    ws.iter().map(|w| w.to_string()).collect::<Vec<_>>().join(" ")
                ),
                None => String::new(),
            },
            rot = if page.rotate != 0 {
                format!(" (shown turned by /Rotate {})", page.rotate)
            } else {
                String::new()
            },
            vw = num(w),
            vh = num(h),
            pw = num(w * SCALE),
            ph = num(h * SCALE),
        );
        let mine = by_page.get(&pi).map(Vec::as_slice).unwrap_or(&[]);
        // Values under everything, so the text stays legible.
        out.push_str("<g class=\"marks\">");
        for m in mine.iter().filter(|m| !m.warning) {
            rect(&mut out, page, m.bbox, &m.attrs);
        }
        out.push_str("</g><g class=\"rulings\">");
        let [x0, _, _, y1] = page.bbox;
        for r in &page.rulings {
            let _ = write!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                num(r.x0 - x0),
                num(y1 - r.y0),
                num(r.x1 - x0),
                num(y1 - r.y1)
            );
        }
        out.push_str("</g><g class=\"glyphs\">");
        glyph_text(&mut out, page);
        out.push_str("</g><g class=\"warn-marks\">");
        for m in mine.iter().filter(|m| m.warning) {
            rect(&mut out, page, m.bbox, &m.attrs);
        }
        out.push_str("</g></svg></section>\n");
    }
    if view.pages.is_empty() {
        out.push_str("<p class=\"empty\">");
        out.push_str(&esc("The reader laid out no page."));
        out.push_str("</p>");
    }
    out
}
