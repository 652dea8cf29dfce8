//! A debug view of what the reader saw on each page: every glyph with its
//! box, the rulings it took for table borders, and which glyphs it took
//! for struck out — for `yoshiki inspect`, which draws the pages from this
//! (as pdfplumber's visual debugging draws characters, lines and cells).
//!
//! It is what the reader itself computes, by the reader's own functions
//! (`strike::find`, `tables::rulings`, `layout::lines`) on the same
//! glyphs, turned upright as `assemble::page` turns them: nothing here reads
//! the file a second time or guesses anew. Everything is in *display
//! space*: the page as it is shown (after `/Rotate`), y upwards, in points;
//! [`PageView::to_display`] maps a `Location` box (user space) into it.
//! Only `yoshiki inspect` asks for the view; an ordinary read does not
//! build it.

use super::assemble::{map_box, rotation};
use super::interpreter::{Glyph, Matrix, PageContent, Segment, apply};
use super::{layout, strike, tables};

/// Every page the reader laid out, in order.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub pages: Vec<PageView>,
}

/// One glyph as the reader placed it.
#[derive(Debug, Clone)]
pub struct ViewGlyph {
    pub text: String,
    /// `[x0, y0, x1, y1]`, display space.
    pub bbox: [f64; 4],
    /// The em size.
    pub size: f64,
    /// Written top to bottom (vertical writing) or bottom to top.
    pub vertical: bool,
    /// Its fill colour, `[r, g, b]` in 0..=1.
    pub color: [f32; 3],
    /// The reader took it for struck out (left out of the text; a revision).
    pub struck: bool,
}

/// A table border as the reader merged it: a horizontal or vertical
/// segment, display space.
#[derive(Debug, Clone, Copy)]
pub struct ViewRuling {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

#[derive(Debug, Clone)]
pub struct PageView {
    /// 1-based, as `Location::page`.
    pub number: u32,
    /// The visible area (CropBox, else MediaBox), display space.
    pub bbox: [f64; 4],
    /// Clockwise `/Rotate` in degrees.
    pub rotate: i64,
    pub glyphs: Vec<ViewGlyph>,
    pub rulings: Vec<ViewRuling>,
    /// The glyphs as the layout functions take them (display space).
    raw: Vec<Glyph>,
    to_display: Matrix,
}

impl PageView {
    /// The view of one page's content, before `assemble::page` consumes it.
    pub(super) fn new(number: u32, page_box: [f64; 4], rotate: i64, content: &PageContent) -> PageView {
        let (to_display, _) = rotation(rotate);
        // The same turn `assemble::page` gives glyphs and segments.
        let raw: Vec<Glyph> = content
            .glyphs
            .iter()
            .map(|g| {
                let mut g = g.clone();
                if rotate != 0 {
                    g.bbox = map_box(&to_display, g.bbox);
                    let (dx, dy) = g.dir;
                    g.dir = (
                        to_display[0] * dx + to_display[2] * dy,
                        to_display[1] * dx + to_display[3] * dy,
                    );
                }
                g
            })
            .collect();
        let segments: Vec<Segment> = content
            .segments
            .iter()
            .map(|s| {
                let (x0, y0) = apply(&to_display, s.x0, s.y0);
                let (x1, y1) = apply(&to_display, s.x1, s.y1);
                Segment { x0, y0, x1, y1, ..*s }
            })
            .collect();
        let strikes = strike::find(&raw, &segments);
        let rulings = tables::rulings(&segments, &strikes.segments)
            .into_iter()
            .map(|r| {
                if r.horizontal {
                    ViewRuling {
                        x0: r.lo,
                        y0: r.pos,
                        x1: r.hi,
                        y1: r.pos,
                    }
                } else {
                    ViewRuling {
                        x0: r.pos,
                        y0: r.lo,
                        x1: r.pos,
                        y1: r.hi,
                    }
                }
            })
            .collect();
        let glyphs = raw
            .iter()
            .zip(&strikes.glyphs)
            .map(|(g, &struck)| ViewGlyph {
                text: g.text.clone(),
                bbox: g.bbox,
                size: g.size,
                vertical: layout::dir_of(g) != layout::Dir::Horizontal,
                color: g.color,
                struck,
            })
            .collect();
        PageView {
            number,
            bbox: map_box(&to_display, page_box),
            rotate,
            glyphs,
            rulings,
            raw,
            to_display,
        }
    }

    /// A box in user space (a `Location`'s) in display space.
    pub fn to_display(&self, user: [f64; 4]) -> [f64; 4] {
        map_box(&self.to_display, user)
    }

    /// The given glyphs (indices into `glyphs`) as the reader reads them:
    /// lines in reading order, each its glyphs in order, a glyph drawn twice
    /// at one place (fake bold) once.
    pub fn lines(&self, idx: &[usize]) -> Vec<Vec<usize>> {
        let idx: Vec<usize> = idx.iter().copied().filter(|&i| i < self.raw.len()).collect();
        layout::lines(&self.raw, &idx).into_iter().map(|l| l.glyphs).collect()
    }
}
