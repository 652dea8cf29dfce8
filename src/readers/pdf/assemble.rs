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

use super::interpreter::{Glyph, Matrix, PageContent, Rgb, Segment, apply};
use super::layout::{self, Line, Marks, Text};
use super::strike;
use super::tables::{self, Table};
use crate::ir::RawRevision as Revision;
use crate::ir::{Cell, Row, RowKind};
use crate::model::{Evidence, Location};

/// A paragraph: its lines' texts and boxes (display space).
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub lines: Vec<Text>,
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
            Block::Paragraph(p) => p.lines.first().and_then(|l| l.bbox).map(|b| b[3]).unwrap_or(0.0),
        }
    }
}

/// One page, laid out.
pub struct PageBlocks {
    pub page: u32,
    pub blocks: Vec<Block>,
}

/// The rotation that shows a page upright (clockwise `/Rotate`), as a
/// matrix from user space to display space, and its inverse.
fn rotation(rotate: i64) -> (Matrix, Matrix) {
    match rotate {
        90 => ([0.0, -1.0, 1.0, 0.0, 0.0, 0.0], [0.0, 1.0, -1.0, 0.0, 0.0, 0.0]),
        180 => ([-1.0, 0.0, 0.0, -1.0, 0.0, 0.0], [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0]),
        270 => ([0.0, 1.0, -1.0, 0.0, 0.0, 0.0], [0.0, -1.0, 1.0, 0.0, 0.0, 0.0]),
        _ => (super::interpreter::IDENTITY, super::interpreter::IDENTITY),
    }
}

fn map_box(m: &Matrix, b: [f64; 4]) -> [f64; 4] {
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
    // What no table took: lines, then paragraphs.
    let rest: Vec<usize> = (0..glyphs.len())
        .filter(|&i| !taken[i] && !glyphs[i].is_space())
        .collect();
    let rest_with_spaces: Vec<usize> = (0..glyphs.len()).filter(|&i| !taken[i]).collect();
    if !rest.is_empty() {
        let lines: Vec<Line> = layout::lines(&glyphs, &rest_with_spaces);
        for para in layout::paragraphs(&lines) {
            let texts: Vec<Text> = para
                .iter()
                .map(|&i| {
                    layout::text_of(
                        &glyphs,
                        std::slice::from_ref(&lines[i]),
                        lines[i].bbox[0],
                        lines[i].bbox[2],
                        &marks,
                    )
                })
                .filter(|t| !t.text.trim().is_empty() || !t.revisions.is_empty())
                .collect();
            if !texts.is_empty() {
                blocks.push(Block::Paragraph(Paragraph { lines: texts }));
            }
        }
    }
    blocks.sort_by(|a, b| b.top().total_cmp(&a.top()));
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
                    provenance(l, page, &to_user);
                }
            }
        }
    }
    PageBlocks { page, blocks }
}

/// Cells, rows and revisions from every page's blocks.
pub fn rows(mut pages: Vec<PageBlocks>) -> (Vec<Row>, Vec<Revision>, usize) {
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
    let mut joined = 0;
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
                joined += 1;
            }
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut revisions: Vec<Revision> = Vec::new();
    let mut prev_was_table_at_page_end = false;
    for (pi, p) in pages.iter().enumerate() {
        let xs = &sections.xs[sections.of_page[pi]];
        let nblocks = p.blocks.len();
        for (bi, b) in p.blocks.iter().enumerate() {
            // An empty row between blocks, except where a table goes on
            // from the page before.
            let continues = bi == 0 && prev_was_table_at_page_end && matches!(b, Block::Table(_));
            if !rows.is_empty() && !continues && !rows.last().is_some_and(Row::is_blank) {
                rows.push(Row::blank(Location {
                    page: Some(p.page),
                    ..Location::default()
                }));
            }
            match b {
                Block::Table(t) => {
                    for band in 0..t.bands {
                        let mut cells: Vec<Cell> = Vec::new();
                        for c in t.cells.iter().filter(|c| c.rows.0 == band && !c.moved) {
                            if c.text.text.trim().is_empty() && c.text.revisions.is_empty() {
                                continue;
                            }
                            let at = location(c.page, c.text.bbox.unwrap_or([0.0; 4]));
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
                    for line in &para.lines {
                        let at = location(p.page, line.bbox.unwrap_or([0.0; 4]));
                        push_revisions(&mut revisions, line);
                        rows.push(Row::line(line.text.clone(), at));
                    }
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
    (rows, revisions, joined)
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
