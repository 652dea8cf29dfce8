//! Ruled tables (lattice): ruling lines → cell grid → cells (spanning ones
//! included) → glyphs assigned to cells by their centre.
//!
//! * **Rulings**: painted horizontal and vertical segments, merged where
//!   collinear and touching. White lines and strike-through lines are not
//!   rulings.
//! * **Tables**: connected sets of rulings with at least two of each
//!   direction. The grid's lines are every distinct ruling position (and
//!   where horizontal rulings end, which marks column boundaries of rows
//!   whose vertical borders are not drawn).
//! * **Cells**: neighbouring grid cells with no ruling between them are one
//!   (merged) cell. A cell at the table's top or bottom with no ruling there
//!   is *open*: it goes on across the page break.
//! * **Columns** ([`Sections`]): a cell's `col` is its left edge's index
//!   among the column boundaries of every page of the same grid, so the same
//!   x band is the same column on every page even where a page draws only
//!   some of its borders (LibreOffice draws borders only around filled
//!   cells). Consecutive pages share a grid until one has a boundary close
//!   to, but not at, one of the grid's (another sheet's columns).
//! * **Page breaks** ([`continue_across`]): open-bottom cells at the end of
//!   a page and open-top cells at the start of the next, in the same
//!   columns, are one cell cut by the break, joined.

use super::interpreter::Glyph;
use super::interpreter::Segment;
use super::layout::{self, Line, Marks, Text};

/// Coordinates closer than this are one grid line.
const SNAP: f64 = 2.0;

#[derive(Debug, Clone, Copy)]
pub struct Ruling {
    pub horizontal: bool,
    /// y of a horizontal ruling, x of a vertical one.
    pub pos: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Rulings from painted segments (`skip`: strike lines).
pub fn rulings(segments: &[Segment], skip: &[bool]) -> Vec<Ruling> {
    let mut raw: Vec<Ruling> = Vec::new();
    for (i, s) in segments.iter().enumerate() {
        if skip.get(i).copied().unwrap_or(false) || s.width > 3.0 {
            continue;
        }
        // White or nearly: not a visible border.
        if s.color.iter().all(|&c| c > 0.9) {
            continue;
        }
        let (dx, dy) = ((s.x1 - s.x0).abs(), (s.y1 - s.y0).abs());
        if dy <= 0.5 && dx >= 2.0 {
            raw.push(Ruling {
                horizontal: true,
                pos: (s.y0 + s.y1) / 2.0,
                lo: s.x0.min(s.x1),
                hi: s.x0.max(s.x1),
            });
        } else if dx <= 0.5 && dy >= 2.0 {
            raw.push(Ruling {
                horizontal: false,
                pos: (s.x0 + s.x1) / 2.0,
                lo: s.y0.min(s.y1),
                hi: s.y0.max(s.y1),
            });
        }
    }
    raw.sort_by(|a, b| {
        a.horizontal
            .cmp(&b.horizontal)
            .then(a.pos.total_cmp(&b.pos))
            .then(a.lo.total_cmp(&b.lo))
    });
    // Collinear (within 1 pt) and touching (within 1.5 pt): one ruling.
    let mut out: Vec<Ruling> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let mut j = i;
        while j < raw.len() && raw[j].horizontal == raw[i].horizontal && raw[j].pos - raw[i].pos <= 1.0 {
            j += 1;
        }
        let mut group: Vec<Ruling> = raw[i..j].to_vec();
        group.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        let pos = group.iter().map(|r| r.pos).sum::<f64>() / group.len() as f64;
        let mut cur = group[0];
        cur.pos = pos;
        for r in &group[1..] {
            if r.lo <= cur.hi + 1.5 {
                cur.hi = cur.hi.max(r.hi);
            } else {
                out.push(cur);
                cur = Ruling { pos, ..*r };
            }
        }
        out.push(cur);
        i = j;
    }
    out
}

/// One table's grid.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Column boundaries, left to right.
    pub xs: Vec<f64>,
    /// Row boundaries, top to bottom (y descending).
    pub ys: Vec<f64>,
    /// Per row boundary, the x spans ruled along it (sorted, merged).
    h_at: Vec<Vec<(f64, f64)>>,
    /// Per column boundary, the y spans ruled along it.
    v_at: Vec<Vec<(f64, f64)>>,
}

/// At most this many rulings on a page are looked at as tables.
const MAX_RULINGS: usize = 4000;

/// At most this many grid cells in one table.
const MAX_GRID_CELLS: usize = 100_000;

/// Tables: connected rulings, at least two horizontal and two vertical.
pub fn grids(rulings: &[Ruling]) -> Vec<Grid> {
    if rulings.len() > MAX_RULINGS {
        return Vec::new();
    }
    let n = rulings.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for a in 0..n {
        if !rulings[a].horizontal {
            continue;
        }
        for b in 0..n {
            if rulings[b].horizontal {
                continue;
            }
            let (h, v) = (&rulings[a], &rulings[b]);
            if h.lo - SNAP <= v.pos && v.pos <= h.hi + SNAP && v.lo - SNAP <= h.pos && h.pos <= v.hi + SNAP {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent[ra] = rb;
            }
        }
    }
    // Components side by side (overlapping in height) are one table: a
    // printed sheet draws borders only around filled cells, so one sheet's
    // grid often falls apart into pieces joined by nothing but alignment.
    let mut bounds: std::collections::BTreeMap<usize, (f64, f64)> = Default::default();
    for (i, r) in rulings.iter().enumerate() {
        let root = find(&mut parent, i);
        let (lo, hi) = if r.horizontal { (r.pos, r.pos) } else { (r.lo, r.hi) };
        let e = bounds.entry(root).or_insert((lo, hi));
        *e = (e.0.min(lo), e.1.max(hi));
    }
    let roots: Vec<(usize, (f64, f64))> = bounds.into_iter().collect();
    for (k, &(ra, (alo, ahi))) in roots.iter().enumerate() {
        for &(rb, (blo, bhi)) in &roots[k + 1..] {
            if ahi.min(bhi) - alo.max(blo) > SNAP {
                let (x, y) = (find(&mut parent, ra), find(&mut parent, rb));
                parent[x] = y;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Ruling>> = Default::default();
    for (i, ruling) in rulings.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(*ruling);
    }
    let mut out = Vec::new();
    for (_, rs) in groups {
        let h: Vec<Ruling> = rs.iter().copied().filter(|r| r.horizontal).collect();
        let v: Vec<Ruling> = rs.iter().copied().filter(|r| !r.horizontal).collect();
        // Two rulings each way make a table; so does one horizontal with
        // two verticals (a row cut by a page break keeps only its bottom
        // or top edge) and the converse.
        let table = (h.len() >= 2 && !v.is_empty()) || (v.len() >= 2 && !h.is_empty());
        if !table {
            continue;
        }
        let mut xs: Vec<f64> = v.iter().map(|r| r.pos).collect();
        xs.extend(h.iter().flat_map(|r| [r.lo, r.hi]));
        let mut ys: Vec<f64> = h.iter().map(|r| r.pos).collect();
        ys.extend(v.iter().flat_map(|r| [r.lo, r.hi]));
        let xs = snap(xs);
        let mut ys = snap(ys);
        ys.reverse();
        // A grid this large is no table anyone prints (and its cells would
        // cost memory by the million): its text is read as lines.
        if xs.len() < 2 || ys.len() < 2 || (xs.len() - 1) * (ys.len() - 1) > MAX_GRID_CELLS {
            continue;
        }
        let h_at = spans_at(&ys, &h);
        let v_at = spans_at(&xs, &v);
        out.push(Grid { xs, ys, h_at, v_at });
    }
    // Top to bottom.
    out.sort_by(|a, b| b.ys[0].total_cmp(&a.ys[0]));
    out
}

/// Sorted, with values within `SNAP` of the previous one merged.
fn snap(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    let mut group: Vec<f64> = Vec::new();
    for x in v {
        if let Some(&first) = group.first()
            && x - first > SNAP
        {
            out.push(group.iter().sum::<f64>() / group.len() as f64);
            group.clear();
        }
        group.push(x);
    }
    if !group.is_empty() {
        out.push(group.iter().sum::<f64>() / group.len() as f64);
    }
    out
}

/// For each grid line, the spans of the rulings within `SNAP` of it,
/// sorted and merged.
fn spans_at(lines: &[f64], rulings: &[Ruling]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new(); lines.len()];
    for r in rulings {
        for (k, &at) in lines.iter().enumerate() {
            if (r.pos - at).abs() <= SNAP {
                out[k].push((r.lo, r.hi));
            }
        }
    }
    for spans in &mut out {
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut merged: Vec<(f64, f64)> = Vec::with_capacity(spans.len());
        for &(a, b) in spans.iter() {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        *spans = merged;
    }
    out
}

/// How much of `[lo, hi]` the merged spans cover.
fn coverage(spans: &[(f64, f64)], lo: f64, hi: f64) -> f64 {
    let from = spans.partition_point(|s| s.1 <= lo);
    spans[from..]
        .iter()
        .take_while(|s| s.0 < hi)
        .map(|s| (s.1.min(hi) - s.0.max(lo)).max(0.0))
        .sum()
}

impl Grid {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        self.xs[0] <= x && x <= self.xs[self.xs.len() - 1] && self.ys[self.ys.len() - 1] <= y && y <= self.ys[0]
    }

    fn ruled_v(&self, c: usize, r: usize) -> bool {
        // The boundary left of grid column c, along row band r.
        let (lo, hi) = (self.ys[r + 1], self.ys[r]);
        coverage(&self.v_at[c], lo, hi) >= 0.6 * (hi - lo)
    }

    fn ruled_h(&self, r: usize, c: usize) -> bool {
        // The boundary above row band r, along grid column c.
        let (lo, hi) = (self.xs[c], self.xs[c + 1]);
        coverage(&self.h_at[r], lo, hi) >= 0.6 * (hi - lo)
    }

    fn cell_at(&self, x: f64, y: f64) -> (usize, usize) {
        let c = self.xs.partition_point(|&v| v <= x).clamp(1, self.xs.len() - 1) - 1;
        let r = self.ys.partition_point(|&v| v >= y).clamp(1, self.ys.len() - 1) - 1;
        (r, c)
    }
}

/// A cell of a table on one page.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Row bands spanned (first, last), top to bottom.
    pub rows: (usize, usize),
    pub left: f64,
    pub right: f64,
    pub open_top: bool,
    pub open_bottom: bool,
    pub text: Text,
    /// The page the text's box is on (a cell joined across a page break
    /// whose first part is empty has its text on the next page).
    pub page: u32,
    /// Row bands on following pages that continue this cell.
    pub carried_rows: usize,
    /// This cell continues one on an earlier page, where its text went.
    pub moved: bool,
    /// Where its text went: (page index, block index, cell index).
    pub origin: Option<(usize, usize, usize)>,
    /// The continuations' places (page, box), in order.
    pub parts: Vec<(u32, [f64; 4])>,
}

/// A table on one page.
#[derive(Debug, Clone)]
pub struct Table {
    pub xs: Vec<f64>,
    pub bands: usize,
    pub top: f64,
    pub bottom: f64,
    pub cells: Vec<Cell>,
}

/// The cells of a grid with the glyphs whose centre they contain (marked in
/// `taken`). Cells with no text are left out.
pub fn cells(page: u32, grid: &Grid, glyphs: &[Glyph], taken: &mut [bool], marks: &Marks) -> Table {
    let (nr, nc) = (grid.ys.len() - 1, grid.xs.len() - 1);
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for r in 0..nr {
        for c in 0..nc {
            if c + 1 < nc && !grid.ruled_v(c + 1, r) {
                let (a, b) = (find(&mut parent, r * nc + c), find(&mut parent, r * nc + c + 1));
                parent[a] = b;
            }
            if r + 1 < nr && !grid.ruled_h(r + 1, c) {
                let (a, b) = (find(&mut parent, r * nc + c), find(&mut parent, (r + 1) * nc + c));
                parent[a] = b;
            }
        }
    }
    // Glyphs into cells.
    let mut members: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, g) in glyphs.iter().enumerate() {
        if taken[i] || !grid.contains(g.cx(), g.cy()) {
            continue;
        }
        taken[i] = true;
        let (r, c) = grid.cell_at(g.cx(), g.cy());
        let root = find(&mut parent, r * nc + c);
        members.entry(root).or_default().push(i);
    }
    overflow_right(grid, glyphs, taken, &mut members);
    // Each cell's extent in grid units.
    let mut extent: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> = Default::default();
    for r in 0..nr {
        for c in 0..nc {
            let root = find(&mut parent, r * nc + c);
            let e = extent.entry(root).or_insert((r, r, c, c));
            e.0 = e.0.min(r);
            e.1 = e.1.max(r);
            e.2 = e.2.min(c);
            e.3 = e.3.max(c);
        }
    }
    let mut out = Vec::new();
    let mut with_text: std::collections::HashSet<usize> = Default::default();
    for (root, idx) in &members {
        let Some(&(r0, r1, c0, c1)) = extent.get(root) else {
            continue;
        };
        let lines: Vec<Line> = layout::lines(glyphs, idx);
        let right = grid.xs[c1 + 1];
        let text = layout::text_of(glyphs, &lines, grid.xs[c0], right, marks);
        if text.text.trim().is_empty() && text.revisions.is_empty() {
            continue;
        }
        let open_top = r0 == 0 && (c0..=c1).all(|c| !grid.ruled_h(0, c));
        let open_bottom = r1 == nr - 1 && (c0..=c1).all(|c| !grid.ruled_h(nr, c));
        with_text.insert(*root);
        out.push(Cell {
            rows: (r0, r1),
            left: grid.xs[c0],
            right,
            open_top,
            open_bottom,
            text,
            page,
            carried_rows: 0,
            moved: false,
            origin: None,
            parts: Vec::new(),
        });
    }
    // Empty open cells matter for joining across pages (a merged cell cut
    // by page breaks has its text on one page only): keep them textless.
    for (root, &(r0, r1, c0, c1)) in &extent {
        if (r0 != 0 && r1 != nr - 1) || with_text.contains(root) {
            continue;
        }
        let open_top = r0 == 0 && (c0..=c1).all(|c| !grid.ruled_h(0, c));
        let open_bottom = r1 == nr - 1 && (c0..=c1).all(|c| !grid.ruled_h(nr, c));
        // Only cells closed on the sides (a real cell, not the space around
        // a partly ruled table) wait for a continuation.
        let sides = |r| grid.ruled_v(c0, r) && grid.ruled_v(c1 + 1, r);
        if (open_bottom || open_top) && sides(r0) && sides(r1) {
            out.push(Cell {
                rows: (r0, r1),
                left: grid.xs[c0],
                right: grid.xs[c1 + 1],
                open_top,
                open_bottom,
                text: Text::default(),
                page,
                carried_rows: 0,
                moved: false,
                origin: None,
                parts: Vec::new(),
            });
        }
    }
    out.sort_by(|a, b| a.rows.0.cmp(&b.rows.0).then(a.left.total_cmp(&b.left)));
    Table {
        xs: grid.xs.clone(),
        bands: nr,
        top: grid.ys[0],
        bottom: grid.ys[nr],
        cells: out,
    }
}

/// Text that runs on past the table's right edge (an unwrapped cell of
/// the last column overflowing the print area: LibreOffice prints it cut
/// at the page's edge, and the reader keeps what the clip hid, see
/// `hidden.rs`) belongs to the cell it starts in: a glyph right of the
/// grid, on the baseline of a glyph of a cell and touching it (or a glyph
/// already added), joins that cell.
fn overflow_right(
    grid: &Grid,
    glyphs: &[Glyph],
    taken: &mut [bool],
    members: &mut std::collections::BTreeMap<usize, Vec<usize>>,
) {
    let right = grid.xs[grid.xs.len() - 1];
    let (bottom, top) = (grid.ys[grid.ys.len() - 1], grid.ys[0]);
    let mut outside: Vec<usize> = (0..glyphs.len())
        .filter(|&i| !taken[i] && glyphs[i].cx() > right && (bottom..=top).contains(&glyphs[i].cy()))
        .collect();
    if outside.is_empty() {
        return;
    }
    outside.sort_by(|&a, &b| glyphs[a].bbox[0].total_cmp(&glyphs[b].bbox[0]));
    // The last glyph of each line of the cells reaching the right edge:
    // (cell root, glyph index).
    let mut ends: Vec<(usize, usize)> = Vec::new();
    for (&root, idx) in members.iter() {
        for &i in idx {
            if glyphs[i].bbox[2] >= right - glyphs[i].size {
                ends.push((root, i));
            }
        }
    }
    for i in outside {
        let g = &glyphs[i];
        let found = ends.iter().position(|&(_, e)| {
            let h = &glyphs[e];
            (h.cy() - g.cy()).abs() < 0.3 * h.size.max(g.size)
                && h.bbox[2] >= g.bbox[0] - 0.6 * g.size
                && h.bbox[0] < g.bbox[0]
        });
        if let Some(k) = found {
            let root = ends[k].0;
            taken[i] = true;
            members.entry(root).or_default().push(i);
            ends[k] = (root, i);
        }
    }
}

/// Column grids shared by consecutive pages.
pub struct Sections {
    /// Per page (0-based), its section.
    pub of_page: Vec<usize>,
    /// Per section, its column boundaries.
    pub xs: Vec<Vec<f64>>,
}

/// Boundaries closer than this to one of a section's, but not at it, mean
/// another grid (another sheet's columns).
const OTHER_GRID: f64 = 20.0;

pub fn sections(page_xs: &[Vec<f64>]) -> Sections {
    let mut out = Sections {
        of_page: Vec::new(),
        xs: Vec::new(),
    };
    for xs in page_xs {
        let xs = snap(xs.clone());
        let open = out.xs.last().filter(|s| !s.is_empty());
        let fits = match open {
            None => true,
            Some(s) => same_grid(s, &xs),
        };
        match out.xs.last_mut() {
            Some(s) if fits => {
                let mut all = std::mem::take(s);
                all.extend(xs.iter().copied());
                *s = snap(all);
            }
            _ => out.xs.push(xs),
        }
        out.of_page.push(out.xs.len() - 1);
    }
    out
}

/// Whether a page's column boundaries continue a section's grid: none of
/// them close to but not at one of the section's, and at least half of
/// its inner ones (not its outer edges, which every sheet fitted to the
/// page width shares) at one of the section's.
fn same_grid(section: &[f64], page: &[f64]) -> bool {
    let near = |p: f64| section.iter().map(|&q| (p - q).abs()).fold(f64::INFINITY, f64::min);
    if page.iter().any(|&p| {
        let d = near(p);
        d > SNAP && d < OTHER_GRID
    }) {
        return false;
    }
    let inner: &[f64] = if page.len() > 2 { &page[1..page.len() - 1] } else { &[] };
    if inner.is_empty() {
        return true;
    }
    let matched = inner.iter().filter(|&&p| near(p) <= SNAP).count();
    matched * 2 >= inner.len()
}

/// The column of an x among boundaries (0 for the first band).
pub fn column(xs: &[f64], x: f64) -> u32 {
    xs.iter().filter(|&&b| b < x + SNAP).count().saturating_sub(1) as u32
}

/// How many columns `[left, right]` spans.
pub fn col_span(xs: &[f64], left: f64, right: f64) -> u32 {
    1 + xs.iter().filter(|&&b| b > left + SNAP && b < right - SNAP).count() as u32
}

/// The cells of `lower` (the first table of a page) that continue cells of
/// `upper` (the last table of the page before): open at the break, in the
/// same columns. Pairs of (upper index, lower index).
pub fn cut_pairs(upper: &Table, lower: &Table) -> Vec<(usize, usize)> {
    let last = upper.bands.saturating_sub(1);
    let mut used = vec![false; upper.cells.len()];
    let mut out = Vec::new();
    for (k, c) in lower.cells.iter().enumerate() {
        if !(c.open_top && c.rows.0 == 0) {
            continue;
        }
        let found = upper.cells.iter().enumerate().position(|(i, u)| {
            !used[i] && u.open_bottom && u.rows.1 == last && {
                let overlap = u.right.min(c.right) - u.left.max(c.left);
                overlap >= 0.5 * (u.right - u.left).min(c.right - c.left)
            }
        });
        if let Some(i) = found {
            used[i] = true;
            out.push((i, k));
        }
    }
    out
}

/// Take a continuation's text out of it (it is then `moved`: not a cell of
/// its own), with the page its text is on and the row bands it covered.
pub fn take_continuation(c: &mut Cell) -> (Text, u32, usize) {
    c.moved = true;
    (
        std::mem::take(&mut c.text),
        c.page,
        c.rows.1 - c.rows.0 + 1 + c.carried_rows,
    )
}

/// Add a continuation to the cell it continues.
pub fn append(target: &mut Cell, (text, page, rows): (Text, u32, usize)) {
    if target.text.text.is_empty() {
        target.page = page;
        target.text.bbox = None;
    } else if !text.text.trim().is_empty()
        && let Some(b) = text.bbox
    {
        target.parts.push((page, b));
    }
    target.carried_rows += rows;
    target.text = join_texts(std::mem::take(&mut target.text), text);
}

fn join_texts(a: Text, b: Text) -> Text {
    let text = if a.text.is_empty() {
        b.text
    } else if b.text.is_empty() {
        a.text
    } else {
        let l = a.text.chars().next_back().unwrap_or(' ');
        let f = b.text.chars().next().unwrap_or(' ');
        let latin = |c: char| c.is_ascii_alphanumeric();
        if latin(l) && latin(f) {
            format!("{} {}", a.text, b.text)
        } else {
            format!("{}{}", a.text, b.text)
        }
    };
    let bbox = a.bbox.or(b.bbox);
    let mut revisions = a.revisions;
    revisions.extend(b.revisions);
    Text { text, bbox, revisions }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f64, x0: f64, x1: f64) -> Segment {
        Segment {
            x0,
            y0: y,
            x1,
            y1: y,
            width: 0.5,
            color: [0.0; 3],
        }
    }
    fn v(x: f64, y0: f64, y1: f64) -> Segment {
        Segment {
            x0: x,
            y0,
            x1: x,
            y1,
            width: 0.5,
            color: [0.0; 3],
        }
    }
    fn glyph(t: &str, x: f64, y: f64) -> Glyph {
        Glyph {
            text: t.into(),
            bbox: [x, y, x + 8.0, y + 8.0],
            size: 8.0,
            dir: (1.0, 0.0),
            color: [0.0; 3],
            seq: 0,
        }
    }

    #[test]
    fn merged_cell_spans_rows() {
        // Two columns, three rows; the left column of rows 1-2 is merged.
        let segs = vec![
            h(300.0, 0.0, 200.0),
            h(280.0, 0.0, 200.0),
            h(260.0, 100.0, 200.0),
            h(240.0, 0.0, 200.0),
            v(0.0, 240.0, 300.0),
            v(100.0, 240.0, 300.0),
            v(200.0, 240.0, 300.0),
        ];
        let rs = rulings(&segs, &[]);
        let gs = grids(&rs);
        assert_eq!(gs.len(), 1);
        let glyphs = vec![
            glyph("A", 10.0, 285.0),
            glyph("B", 110.0, 285.0),
            glyph("計", 10.0, 255.0),
            glyph("C", 110.0, 265.0),
            glyph("D", 110.0, 245.0),
        ];
        let mut taken = vec![false; glyphs.len()];
        let t = cells(
            1,
            &gs[0],
            &glyphs,
            &mut taken,
            &Marks {
                struck: &[false; 5],
                normal: [0.0; 3],
                kinsoku: true,
            },
        );
        let got: Vec<(String, (usize, usize))> = t.cells.iter().map(|c| (c.text.text.clone(), c.rows)).collect();
        assert_eq!(
            got,
            vec![
                ("A".into(), (0, 0)),
                ("B".into(), (0, 0)),
                ("計".into(), (1, 2)),
                ("C".into(), (1, 1)),
                ("D".into(), (2, 2))
            ]
        );
    }

    #[test]
    fn sections_split_on_another_grid() {
        let s = sections(&[
            vec![54.0, 343.8, 778.5],
            vec![54.0, 778.5],
            vec![53.9, 108.5, 190.4, 763.7],
            vec![53.9, 108.5, 272.3, 763.7],
            // Another sheet fitted to the same width: only the edges agree.
            vec![53.9, 117.0, 211.0, 305.0, 400.0, 763.7],
        ]);
        assert_eq!(s.of_page, vec![0, 0, 1, 1, 2]);
        assert_eq!(column(&s.xs[1], 272.3), 3);
        assert_eq!(col_span(&s.xs[1], 53.9, 763.7), 4);
    }

    #[test]
    fn open_cells_join_across_a_page_break() {
        let cell = |text: &str, open_top, open_bottom| Cell {
            rows: (0, 0),
            left: 0.0,
            right: 100.0,
            open_top,
            open_bottom,
            text: Text {
                text: text.into(),
                ..Text::default()
            },
            page: 1,
            carried_rows: 0,
            moved: false,
            origin: None,
            parts: Vec::new(),
        };
        let table = |c: Cell| Table {
            xs: vec![0.0, 100.0],
            bands: 1,
            top: 100.0,
            bottom: 0.0,
            cells: vec![c],
        };
        let mut upper = table(cell("前半", false, true));
        let mut lower = table(cell("後半", true, false));
        assert_eq!(cut_pairs(&upper, &lower), vec![(0, 0)]);
        let moved = take_continuation(&mut lower.cells[0]);
        append(&mut upper.cells[0], moved);
        assert_eq!(upper.cells[0].text.text, "前半後半");
        assert_eq!(upper.cells[0].carried_rows, 1);
        assert!(lower.cells[0].moved);
        // A cell closed at the break is not continued.
        let lower = table(cell("新", false, false));
        assert!(cut_pairs(&upper, &lower).is_empty());
    }
}
