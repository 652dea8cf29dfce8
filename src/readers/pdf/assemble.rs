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
use crate::ir::{Cell, Row, RowKind};
use crate::model::{Evidence, Location, Revision};

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
            Block::Paragraph(p) => p
                .lines
                .first()
                .and_then(|l| l.bbox)
                .map(|b| b[3])
                .unwrap_or(0.0),
        }
    }
}

/// One page, laid out.
pub struct PageBlocks {
    pub page: u32,
    pub blocks: Vec<Block>,
    /// Display space → user space, for boxes in provenance.
    pub to_user: Matrix,
}

/// The rotation that shows a page upright (clockwise `/Rotate`), as a
/// matrix from user space to display space, and its inverse.
fn rotation(rotate: i64) -> (Matrix, Matrix) {
    match rotate {
        90 => (
            [0.0, -1.0, 1.0, 0.0, 0.0, 0.0],
            [0.0, 1.0, -1.0, 0.0, 0.0, 0.0],
        ),
        180 => (
            [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
            [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
        ),
        270 => (
            [0.0, 1.0, -1.0, 0.0, 0.0, 0.0],
            [0.0, -1.0, 1.0, 0.0, 0.0, 0.0],
        ),
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
        match counts
            .iter_mut()
            .find(|(c, _)| layout::same_colour(*c, g.color))
        {
            Some(e) => e.1 += 1,
            None => counts.push((g.color, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|e| e.1)
        .map(|e| e.0)
        .unwrap_or([0.0; 3])
}

/// Lay out one page.
pub fn page(page: u32, content: PageContent, rotate: i64) -> PageBlocks {
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
            *s = Segment {
                x0,
                y0,
                x1,
                y1,
                ..*s
            };
        }
    }
    let strikes = strike::find(&glyphs, &segments);
    let marks = Marks {
        struck: &strikes.glyphs,
        normal: normal_colour(&glyphs),
    };
    let rulings = tables::rulings(&segments, &strikes.segments);
    let mut taken = vec![false; glyphs.len()];
    let mut blocks: Vec<Block> = Vec::new();
    for grid in tables::grids(&rulings) {
        let t = tables::cells(&grid, &glyphs, &mut taken, &marks);
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
    PageBlocks {
        page,
        blocks,
        to_user,
    }
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
    if std::env::var_os("YOSHIKI_PDF_DEBUG").is_some() {
        for (pi, p) in pages.iter().enumerate() {
            eprintln!(
                "page {} section {} xs {:?}",
                p.page, sections.of_page[pi], sections.xs[sections.of_page[pi]]
            );
            for b in &p.blocks {
                match b {
                    Block::Table(t) => {
                        eprintln!(
                            "  table bands {} top {:.1} bottom {:.1}",
                            t.bands, t.top, t.bottom
                        );
                        for c in &t.cells {
                            eprintln!(
                                "    rows {:?} x {:.1}-{:.1} open {}{} {:?}",
                                c.rows,
                                c.left,
                                c.right,
                                if c.open_top { "T" } else { "-" },
                                if c.open_bottom { "B" } else { "-" },
                                c.text.text.chars().take(20).collect::<String>()
                            );
                        }
                    }
                    Block::Paragraph(p) => eprintln!(
                        "  para {:?}",
                        p.lines
                            .iter()
                            .map(|l| l.text.chars().take(30).collect::<String>())
                            .collect::<Vec<_>>()
                    ),
                }
            }
        }
    }
    // Page breaks: the last block of a page and the first of the next, both
    // tables of the same grid.
    let mut joined = 0;
    for p in 1..pages.len() {
        if sections.of_page[p] != sections.of_page[p - 1] {
            continue;
        }
        let (head, tail) = pages.split_at_mut(p);
        let upper = head[p - 1].blocks.last_mut();
        let lower = tail[0].blocks.first_mut();
        if let (Some(Block::Table(u)), Some(Block::Table(l))) = (upper, lower) {
            joined += tables::continue_across(u, l);
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
                        for c in t.cells.iter().filter(|c| c.rows.0 == band) {
                            if c.text.text.trim().is_empty() && c.text.revisions.is_empty() {
                                continue;
                            }
                            let at = location(
                                p,
                                c.text.bbox.unwrap_or([c.left, t.bottom, c.right, t.top]),
                            );
                            push_revisions(&mut revisions, &c.text, p);
                            cells.push(Cell {
                                text: c.text.text.clone(),
                                col: tables::column(xs, c.left),
                                span: (
                                    (c.rows.1 - c.rows.0 + 1) as u32,
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
                        let at = location(p, line.bbox.unwrap_or([0.0; 4]));
                        push_revisions(&mut revisions, line, p);
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

fn location(p: &PageBlocks, b: [f64; 4]) -> Location {
    let b = map_box(&p.to_user, b);
    let r = |v: f64| (v * 100.0).round() / 100.0;
    Location::page(p.page, [r(b[0]), r(b[1]), r(b[2]), r(b[3])])
}

fn push_revisions(out: &mut Vec<Revision>, t: &Text, p: &PageBlocks) {
    for rv in &t.revisions {
        out.push(Revision {
            before: rv.before.clone(),
            after: rv.after.clone(),
            at: location(p, rv.bbox),
            evidence: Evidence::Strikethrough,
            context: Some(t.text.clone()),
        });
    }
}
