//! Columns of running text: a digest set in several frames side by side
//! (three narrow columns on an A4 page) is read column by column, not
//! line by line across the page — a line across the page would splice the
//! first column's sentence into the second's.
//!
//! A gutter is a vertical band, wider than an em and a half, that the
//! text on both sides of it overlaps in height but that (almost) no glyph
//! crosses: a heading set across the columns may cross it, a word gap never
//! is that wide. Each side must hold a fair share of the page's text, so a
//! page of short left-aligned lines (nothing to the right of them) is one
//! column.

use super::interpreter::Glyph;

/// A glyph crossing a gutter is tolerated up to this share of the glyphs.
const CROSSING: f64 = 0.01;

/// The glyphs (by index) split into columns, left to right; one column
/// when the page has no gutter.
pub fn split(glyphs: &[Glyph], idx: &[usize]) -> Vec<Vec<usize>> {
    let ink: Vec<usize> = idx.iter().copied().filter(|&i| !glyphs[i].is_space()).collect();
    if ink.len() < 40 {
        return vec![idx.to_vec()];
    }
    let left = ink.iter().map(|&i| glyphs[i].bbox[0]).fold(f64::INFINITY, f64::min);
    let right = ink.iter().map(|&i| glyphs[i].bbox[2]).fold(f64::NEG_INFINITY, f64::max);
    if !(right - left).is_finite() || right - left < 1.0 || right - left > 20_000.0 {
        return vec![idx.to_vec()];
    }
    let mut sizes: Vec<f64> = ink.iter().map(|&i| glyphs[i].size).collect();
    sizes.sort_by(f64::total_cmp);
    let em = sizes[sizes.len() / 2].max(1.0);
    // Glyphs covering each 1-point band of x.
    let bins = (right - left).ceil() as usize + 1;
    let mut cover = vec![0usize; bins];
    for &i in &ink {
        let b = &glyphs[i].bbox;
        let (a, z) = (
            (b[0] - left).max(0.0) as usize,
            ((b[2] - left).max(0.0) as usize).min(bins - 1),
        );
        for c in &mut cover[a..=z] {
            *c += 1;
        }
    }
    let allowed = ((ink.len() as f64) * CROSSING).max(1.0) as usize;
    // Runs of (almost) empty bands, wide enough.
    let mut gutters: Vec<f64> = Vec::new();
    let mut k = 0;
    while k < bins {
        if cover[k] > allowed {
            k += 1;
            continue;
        }
        let start = k;
        while k < bins && cover[k] <= allowed {
            k += 1;
        }
        if start > 0 && k < bins && (k - start) as f64 >= 1.5 * em {
            gutters.push(left + (start + k) as f64 / 2.0);
        }
    }
    if gutters.is_empty() {
        return vec![idx.to_vec()];
    }
    // Sides: each needs a fair share of the text and to overlap the
    // neighbour in height.
    let mut cuts: Vec<f64> = Vec::new();
    let mut from = f64::NEG_INFINITY;
    for (n, &g) in gutters.iter().enumerate() {
        let to = gutters.get(n + 1).copied().unwrap_or(f64::INFINITY);
        let side = |lo: f64, hi: f64| -> Vec<usize> {
            ink.iter()
                .copied()
                .filter(|&i| (lo..hi).contains(&glyphs[i].cx()))
                .collect()
        };
        let (a, b) = (side(from, g), side(g, to));
        let fair = ink.len() / 10;
        let span = |s: &[usize]| {
            let lo = s.iter().map(|&i| glyphs[i].bbox[1]).fold(f64::INFINITY, f64::min);
            let hi = s.iter().map(|&i| glyphs[i].bbox[3]).fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        };
        if a.len() < fair || b.len() < fair {
            continue;
        }
        let ((alo, ahi), (blo, bhi)) = (span(&a), span(&b));
        let overlap = ahi.min(bhi) - alo.max(blo);
        if overlap < 0.5 * (ahi - alo).min(bhi - blo) {
            continue;
        }
        cuts.push(g);
        from = g;
    }
    if cuts.is_empty() {
        return vec![idx.to_vec()];
    }
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); cuts.len() + 1];
    for &i in idx {
        let col = cuts.partition_point(|&c| c < glyphs[i].cx());
        out[col].push(i);
    }
    out.retain(|c| !c.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(x: f64, y: f64) -> Glyph {
        Glyph {
            text: "字".into(),
            bbox: [x, y, x + 8.0, y + 8.0],
            size: 8.0,
            dir: (1.0, 0.0),
            color: [0.0; 3],
            seq: 0,
        }
    }

    #[test]
    fn two_frames_side_by_side_are_two_columns() {
        let mut glyphs = Vec::new();
        for line in 0..10 {
            let y = 700.0 - line as f64 * 11.0;
            for k in 0..12 {
                glyphs.push(g(30.0 + k as f64 * 8.0, y));
                glyphs.push(g(200.0 + k as f64 * 8.0, y));
            }
        }
        // A heading across both.
        for k in 0..30 {
            glyphs.push(g(30.0 + k as f64 * 8.0, 760.0));
        }
        let idx: Vec<usize> = (0..glyphs.len()).collect();
        let cols = split(&glyphs, &idx);
        assert_eq!(cols.len(), 2);
        assert!(cols[0].iter().all(|&i| glyphs[i].cx() < 170.0));
    }

    #[test]
    fn short_lines_at_the_left_are_one_column() {
        let mut glyphs = Vec::new();
        for line in 0..10 {
            for k in 0..(3 + line) {
                glyphs.push(g(30.0 + k as f64 * 8.0, 700.0 - line as f64 * 11.0));
            }
        }
        let idx: Vec<usize> = (0..glyphs.len()).collect();
        assert_eq!(split(&glyphs, &idx).len(), 1);
    }
}
