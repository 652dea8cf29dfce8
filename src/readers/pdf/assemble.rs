//! From what each page draws to the intermediate form's rows:
//!
//! 1. per page: glyphs and segments turned upright (`/Rotate`), strike
//!    lines found, rulings → tables → cells, the remaining glyphs → lines →
//!    paragraphs; tables and paragraphs are *blocks* ordered by their top;
//! 2. across pages: column grids ([`tables::sections`]) give every cell its
//!    `col`; cells cut by a page break are joined;
//! 3. rows: one `Table` row per row band of a table (a spreadsheet row when
//!    the PDF is a printed workbook) holding the cells that start in it;
//!    one `Line` row per physical line of a paragraph; an empty row between
//!    blocks and between paragraphs.

use super::columns;
use super::interpreter::{Glyph, Matrix, PageContent, Rgb, Segment, apply};
use super::layout::{self, Line, Marks, Text};
use super::strike;
use super::tables::{self, Table};
use crate::ir::RawRevision as Revision;
use crate::ir::{Cell, Row, RowKind};
use crate::model::{Evidence, Location};
use crate::readers::lines;

/// A paragraph of running text: its logical lines (wrapped physical
/// lines joined, see `readers::lines`), their boxes in display space.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub lines: Vec<Logical>,
    /// The column of the page it is in (0 where the page has one).
    pub col: usize,
    /// Whether its last physical line reaches the column's right edge
    /// (a sentence may go on in the next column or page).
    pub last_full: bool,
}

/// One logical line (its physical lines joined).
#[derive(Debug, Clone)]
pub struct Logical {
    pub text: Text,
}

/// A join the reader could not decide (see `readers::lines::Verdict::Doubt`).
#[derive(Debug, Clone)]
pub struct Doubt {
    pub page: u32,
    pub bbox: [f64; 4],
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone)]
pub enum Block {
    Table(Table),
    Paragraph(Paragraph),
}

impl Block {
    fn top(&self) -> f64 {
        match self {
            Block::Table(t) => t.top,
            Block::Paragraph(p) => p.lines.first().and_then(|l| l.text.bbox).map(|b| b[3]).unwrap_or(0.0),
        }
    }

    fn col(&self) -> usize {
        match self {
            Block::Table(_) => 0,
            Block::Paragraph(p) => p.col,
        }
    }
}

/// One page, laid out.
pub struct PageBlocks {
    pub page: u32,
    pub blocks: Vec<Block>,
    pub doubts: Vec<Doubt>,
}

/// The rotation that shows a page upright (clockwise `/Rotate`), as a
/// matrix from user space to display space, and its inverse.
pub(super) fn rotation(rotate: i64) -> (Matrix, Matrix) {
    match rotate {
        90 => ([0.0, -1.0, 1.0, 0.0, 0.0, 0.0], [0.0, 1.0, -1.0, 0.0, 0.0, 0.0]),
        180 => ([-1.0, 0.0, 0.0, -1.0, 0.0, 0.0], [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0]),
        270 => ([0.0, 1.0, -1.0, 0.0, 0.0, 0.0], [0.0, -1.0, 1.0, 0.0, 0.0, 0.0]),
        _ => (super::interpreter::IDENTITY, super::interpreter::IDENTITY),
    }
}

pub(super) fn map_box(m: &Matrix, b: [f64; 4]) -> [f64; 4] {
    let (ax, ay) = apply(m, b[0], b[1]);
    let (bx, by) = apply(m, b[2], b[3]);
    [ax.min(bx), ay.min(by), ax.max(bx), ay.max(by)]
}

/// The colour most glyphs on the page have: the page's ordinary text colour.
fn normal_colour(glyphs: &[Glyph]) -> Rgb {
    let mut counts: Vec<(Rgb, usize)> = Vec::new();
    for g in glyphs {
        match counts.iter_mut().find(|(c, _)| layout::same_colour(*c, g.color)) {
            Some(e) => e.1 += 1,
            None => counts.push((g.color, 1)),
        }
    }
    counts.into_iter().max_by_key(|e| e.1).map(|e| e.0).unwrap_or([0.0; 3])
}

/// Lay out one page.
pub fn page(page: u32, content: PageContent, rotate: i64, kinsoku: bool) -> PageBlocks {
    let (to_display, to_user) = rotation(rotate);
    let mut glyphs = content.glyphs;
    let mut segments: Vec<Segment> = content.segments;
    if rotate != 0 {
        for g in &mut glyphs {
            g.bbox = map_box(&to_display, g.bbox);
            let (dx, dy) = g.dir;
            g.dir = (
                to_display[0] * dx + to_display[2] * dy,
                to_display[1] * dx + to_display[3] * dy,
            );
        }
        for s in &mut segments {
            let (x0, y0) = apply(&to_display, s.x0, s.y0);
            let (x1, y1) = apply(&to_display, s.x1, s.y1);
            *s = Segment { x0, y0, x1, y1, ..*s };
        }
    }
    let strikes = strike::find(&glyphs, &segments);
    let marks = Marks {
        struck: &strikes.glyphs,
        normal: normal_colour(&glyphs),
        kinsoku,
    };
    let rulings = tables::rulings(&segments, &strikes.segments);
    let mut taken = vec![false; glyphs.len()];
    let mut blocks: Vec<Block> = Vec::new();
    for grid in tables::grids(&rulings) {
        let t = tables::cells(page, &grid, &glyphs, &mut taken, &marks);
        if !t.cells.is_empty() {
            blocks.push(Block::Table(t));
        }
    }
    // What no table took: columns, lines, paragraphs, logical lines.
    let rest_with_spaces: Vec<usize> = (0..glyphs.len()).filter(|&i| !taken[i]).collect();
    let mut doubts: Vec<Doubt> = Vec::new();
    if rest_with_spaces.iter().any(|&i| !glyphs[i].is_space()) {
        for (col, members) in columns::split(&glyphs, &rest_with_spaces).into_iter().enumerate() {
            let lines: Vec<Line> = layout::lines(&glyphs, &members);
            let right = lines
                .iter()
                .filter(|l| l.dir == layout::Dir::Horizontal)
                .map(|l| l.bbox[2])
                .fold(f64::NEG_INFINITY, f64::max);
            for para in layout::paragraphs(&lines) {
                let physical: Vec<(Text, &Line)> = para
                    .iter()
                    .map(|&i| {
                        let l = &lines[i];
                        (
                            layout::text_of(&glyphs, std::slice::from_ref(l), l.bbox[0], l.bbox[2], &marks),
                            l,
                        )
                    })
                    .filter(|(t, _)| !t.text.trim().is_empty() || !t.revisions.is_empty())
                    .collect();
                if let Some(p) = running(page, physical, right, col, &mut doubts) {
                    blocks.push(Block::Paragraph(p));
                }
            }
        }
    }
    // Reading order: column by column, top to bottom in each.
    blocks.sort_by(|a, b| a.col().cmp(&b.col()).then(b.top().total_cmp(&a.top())));
    // Boxes for provenance in user space from here on (the blocks' own
    // geometry stays upright for joining across pages).
    for b in &mut blocks {
        match b {
            Block::Table(t) => {
                for c in &mut t.cells {
                    // A cell with nothing drawn (only revisions): its column.
                    c.text.bbox = Some(c.text.bbox.unwrap_or([c.left, t.bottom, c.right, t.top]));
                    provenance(&mut c.text, page, &to_user);
                }
            }
            Block::Paragraph(para) => {
                for l in &mut para.lines {
                    provenance(&mut l.text, page, &to_user);
                }
            }
        }
    }
    for d in &mut doubts {
        d.bbox = map_box(&to_user, d.bbox);
    }
    PageBlocks { page, blocks, doubts }
}

/// A paragraph's physical lines (display space) as logical lines: vertical
/// labels set a character a line made one word, wrapped lines joined where
/// the text says they go on (`readers::lines::verdict`).
fn running(
    page: u32,
    physical: Vec<(Text, &Line)>,
    right: f64,
    col: usize,
    doubts: &mut Vec<Doubt>,
) -> Option<Paragraph> {
    if physical.is_empty() {
        return None;
    }
    // Vertical labels first.
    let texts: Vec<&str> = physical.iter().map(|(t, _)| t.text.as_str()).collect();
    let runs = lines::stacked_runs(&texts);
    // (text, box, size, a vertical label: a word nothing joins)
    let mut merged: Vec<(Text, [f64; 4], f64, bool)> = Vec::with_capacity(physical.len());
    let mut k = 0;
    let mut runs = runs.into_iter().peekable();
    while k < physical.len() {
        if let Some((_, last, label)) = runs.next_if(|r| r.0 == k) {
            let mut bbox = physical[k].1.bbox;
            for (_, l) in &physical[k..=last] {
                bbox = union(bbox, l.bbox);
            }
            merged.push((
                Text {
                    text: label,
                    bbox: Some(bbox),
                    revisions: physical[k..=last]
                        .iter()
                        .flat_map(|(t, _)| t.revisions.clone())
                        .collect(),
                },
                bbox,
                physical[k].1.size,
                true,
            ));
            k = last + 1;
            continue;
        }
        let (t, l) = &physical[k];
        merged.push((t.clone(), l.bbox, l.size, false));
        k += 1;
    }
    let full = |b: &[f64; 4], size: f64| b[2] >= right - 1.5 * size;
    let mut out: Vec<Logical> = Vec::new();
    let mut prev: Option<([f64; 4], f64, bool)> = None;
    for (text, bbox, size, label) in merged {
        let verdict = match (out.last(), prev) {
            (_, Some((_, _, true))) => lines::Verdict::Item,
            _ if label => lines::Verdict::Item,
            (Some(last), Some((pb, ps, _))) => lines::verdict(
                &last.text.text,
                &text.text,
                lines::Layout {
                    full: Some(full(&pb, ps)),
                },
            ),
            _ => lines::Verdict::Item,
        };
        if verdict == lines::Verdict::Doubt
            && let Some(last) = out.last()
        {
            doubts.push(Doubt {
                page,
                bbox,
                before: tail(&last.text.text),
                after: head(&text.text),
            });
        }
        match (verdict, out.last_mut()) {
            (lines::Verdict::Wrap, Some(last)) => last.text = join_wrapped(std::mem::take(&mut last.text), text),
            _ => out.push(Logical { text }),
        }
        prev = Some((bbox, size, label));
    }
    Some(Paragraph {
        lines: out,
        col,
        last_full: prev.is_some_and(|(b, s, label)| !label && full(&b, s)),
    })
}

fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

/// The last characters of a text, for a message.
fn tail(s: &str) -> String {
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(20)).collect()
}

fn head(s: &str) -> String {
    s.chars().take(20).collect()
}

/// Two pieces of one wrapped line: Japanese joined with nothing, Latin
/// words with a space (`normalize::join_two`); boxes and revisions kept.
fn join_wrapped(a: Text, b: Text) -> Text {
    let bbox = match (a.bbox, b.bbox) {
        (Some(x), Some(y)) => Some(union(x, y)),
        (x, y) => x.or(y),
    };
    let mut revisions = a.revisions;
    revisions.extend(b.revisions);
    Text {
        text: crate::normalize::join_two(&a.text, &b.text),
        bbox,
        revisions,
    }
}

/// Cells, rows and revisions from every page's blocks.
pub fn rows(mut pages: Vec<PageBlocks>) -> Assembled {
    // Columns: each page's boundaries, then shared grids.
    let page_xs: Vec<Vec<f64>> = pages
        .iter()
        .map(|p| {
            let mut xs: Vec<f64> = Vec::new();
            for b in &p.blocks {
                if let Block::Table(t) = b {
                    xs.extend(t.xs.iter().copied());
                }
            }
            xs
        })
        .collect();
    let sections = tables::sections(&page_xs);
    // Page breaks: the last block of a page and the first of the next, both
    // tables of the same grid. A cell cut by several breaks collects its
    // parts in the first one (`origin`).
    for p in 1..pages.len() {
        if sections.of_page[p] != sections.of_page[p - 1] {
            continue;
        }
        let ub = pages[p - 1].blocks.len().saturating_sub(1);
        let pairs = match (pages[p - 1].blocks.last(), pages[p].blocks.first()) {
            (Some(Block::Table(u)), Some(Block::Table(l))) => tables::cut_pairs(u, l),
            _ => continue,
        };
        for (ui, li) in pairs {
            let Block::Table(u) = &pages[p - 1].blocks[ub] else {
                continue;
            };
            let target = u.cells[ui].origin.unwrap_or((p - 1, ub, ui));
            let Block::Table(l) = &mut pages[p].blocks[0] else {
                continue;
            };
            let part = tables::take_continuation(&mut l.cells[li]);
            l.cells[li].origin = Some(target);
            if let Some(Block::Table(t)) = pages.get_mut(target.0).and_then(|pg| pg.blocks.get_mut(target.1))
                && let Some(c) = t.cells.get_mut(target.2)
            {
                tables::append(c, part);
            }
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut revisions: Vec<Revision> = Vec::new();
    let mut doubts: Vec<Doubt> = Vec::new();
    let mut prev_was_table_at_page_end = false;
    // The paragraph the last row came from: (page, column, its last line
    // reaches the column's edge).
    let mut open_para: Option<(u32, usize, bool)> = None;
    for (pi, p) in pages.iter_mut().enumerate() {
        doubts.append(&mut p.doubts);
        let xs = &sections.xs[sections.of_page[pi]];
        let nblocks = p.blocks.len();
        for (bi, b) in p.blocks.iter().enumerate() {
            // Running text cut by a column or page break: the first line
            // here may go on with the last line there.
            let mut carry = false;
            let mut para_break = false;
            if let (Block::Paragraph(para), Some((page, col, full))) = (b, open_para)
                && (page, col) != (p.page, para.col)
                && let (Some(first), Some(last)) = (para.lines.first(), rows.last())
            {
                let prev_text = last.text();
                match lines::verdict(&prev_text, &first.text.text, lines::Layout { full: Some(full) }) {
                    lines::Verdict::Wrap => carry = true,
                    lines::Verdict::Item => {
                        // A marker goes on the list; a sentence ended with room
                        // to spare ended its paragraph.
                        para_break = !lines::starts_marker(&first.text.text);
                    }
                    lines::Verdict::Doubt => doubts.push(Doubt {
                        page: p.page,
                        bbox: first.text.bbox.unwrap_or([0.0; 4]),
                        before: tail(&prev_text),
                        after: head(&first.text.text),
                    }),
                }
            } else {
                para_break = true;
            }
            // An empty row between blocks, except where a table goes on
            // from the page before, or running text from the column before.
            let continues = (bi == 0 && prev_was_table_at_page_end && matches!(b, Block::Table(_))) || !para_break;
            if !rows.is_empty() && !continues && !rows.last().is_some_and(Row::is_blank) {
                rows.push(Row::blank(Location {
                    page: Some(p.page),
                    ..Location::default()
                }));
            }
            match b {
                Block::Table(t) => {
                    open_para = None;
                    for band in 0..t.bands {
                        let mut cells: Vec<Cell> = Vec::new();
                        for c in t.cells.iter().filter(|c| c.rows.0 == band && !c.moved) {
                            if c.text.text.trim().is_empty() && c.text.revisions.is_empty() {
                                continue;
                            }
                            let mut at = location(c.page, c.text.bbox.unwrap_or([0.0; 4]));
                            at.continued = c.parts.iter().map(|&(pg, bx)| location(pg, bx)).collect();
                            push_revisions(&mut revisions, &c.text);
                            cells.push(Cell {
                                text: c.text.text.clone(),
                                col: tables::column(xs, c.left),
                                span: (
                                    (c.rows.1 - c.rows.0 + 1 + c.carried_rows) as u32,
                                    tables::col_span(xs, c.left, c.right),
                                ),
                                wrapped: false,
                                at,
                            });
                        }
                        if cells.is_empty() {
                            continue;
                        }
                        let at = cells[0].at.clone();
                        rows.push(Row {
                            kind: RowKind::Table,
                            cells,
                            at,
                        });
                    }
                }
                Block::Paragraph(para) => {
                    for (li, line) in para.lines.iter().enumerate() {
                        let at = location(p.page, line.text.bbox.unwrap_or([0.0; 4]));
                        push_revisions(&mut revisions, &line.text);
                        if li == 0
                            && carry
                            && let Some(last) = rows.last_mut()
                            && let Some(cell) = last.cells.last_mut()
                        {
                            cell.text = crate::normalize::join_two(&cell.text, &line.text.text);
                            cell.at.continued.push(at);
                            continue;
                        }
                        rows.push(Row::line(line.text.text.clone(), at));
                    }
                    open_para = Some((p.page, para.col, para.last_full));
                }
            }
            prev_was_table_at_page_end = bi + 1 == nblocks && matches!(b, Block::Table(_));
        }
        if nblocks == 0 {
            prev_was_table_at_page_end = false;
        }
    }
    while rows.last().is_some_and(Row::is_blank) {
        rows.pop();
    }
    Assembled {
        rows,
        revisions,
        doubts,
    }
}

/// What the pages come to.
pub struct Assembled {
    pub rows: Vec<Row>,
    pub revisions: Vec<Revision>,
    /// Joins the reader could not decide.
    pub doubts: Vec<Doubt>,
}

/// Boxes of a text and its revisions to user space, with their page.
fn provenance(t: &mut Text, page: u32, to_user: &Matrix) {
    t.bbox = t.bbox.map(|b| map_box(to_user, b));
    for rv in &mut t.revisions {
        rv.bbox = map_box(to_user, rv.bbox);
        rv.page = page;
    }
}

fn location(page: u32, b: [f64; 4]) -> Location {
    let r = |v: f64| (v * 100.0).round() / 100.0;
    Location::page(page, [r(b[0]), r(b[1]), r(b[2]), r(b[3])])
}

fn push_revisions(out: &mut Vec<Revision>, t: &Text) {
    for rv in &t.revisions {
        out.push(Revision {
            before: rv.before.clone(),
            after: rv.after.clone(),
            at: location(rv.page, rv.bbox),
            evidence: Evidence::Strikethrough,
            context: Some(t.text.clone()),
        });
    }
}
