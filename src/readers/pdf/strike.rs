//! Struck-out text: a horizontal line through the middle of a run of
//! glyphs. LibreOffice, Word and Excel print a strikethrough as a thin line
//! (stroked or a filled rectangle) across the run at about 0.3 em above the
//! baseline; an underline sits below the baseline, and a table ruling runs
//! from border to border (and mostly far past any one run of text, though
//! not where a short row's text spills over it), so neither is taken.
//!
//! `layout::text_of` leaves struck glyphs out of the text and pairs each
//! struck run with the text right after it (the new value, often red).

use super::interpreter::{Glyph, Segment};
use super::layout::{Dir, dir_of};

/// Which glyphs are struck, and which segments were strike lines (so they
/// are not taken for table rulings).
pub struct Strikes {
    pub glyphs: Vec<bool>,
    pub segments: Vec<bool>,
}

pub fn find(glyphs: &[Glyph], segments: &[Segment]) -> Strikes {
    let mut out = Strikes {
        glyphs: vec![false; glyphs.len()],
        segments: vec![false; segments.len()],
    };
    if glyphs.is_empty() || segments.is_empty() {
        return out;
    }
    // Horizontal glyphs sorted by their vertical centre: a line can only
    // strike those within a glyph's height of it.
    let mut order: Vec<usize> = (0..glyphs.len())
        .filter(|&i| dir_of(&glyphs[i]) == Dir::Horizontal && !glyphs[i].is_space())
        .collect();
    order.sort_by(|&a, &b| glyphs[a].cy().total_cmp(&glyphs[b].cy()));
    let max_h = order
        .iter()
        .map(|&i| glyphs[i].bbox[3] - glyphs[i].bbox[1])
        .fold(0.0f64, f64::max);
    // Vertical segments by x, to tell a cell's border (which meets a
    // vertical border at both ends) from a strike line (which ends where
    // the text does).
    let mut verticals: Vec<(f64, f64, f64)> = segments
        .iter()
        .filter(|v| (v.x0 - v.x1).abs() <= 0.5 && (v.y0 - v.y1).abs() > 1.0)
        .map(|v| ((v.x0 + v.x1) / 2.0, v.y0.min(v.y1), v.y0.max(v.y1)))
        .collect();
    verticals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let meets = |x: f64, y: f64| {
        let from = verticals.partition_point(|v| v.0 < x - 0.5);
        verticals[from..]
            .iter()
            .take_while(|v| v.0 <= x + 0.5)
            .any(|v| v.1 - 0.5 <= y && y <= v.2 + 0.5)
    };
    for (si, s) in segments.iter().enumerate() {
        if (s.y0 - s.y1).abs() > 0.5 || s.width > 3.0 {
            continue;
        }
        let (x0, x1) = (s.x0.min(s.x1), s.x0.max(s.x1));
        let len = x1 - x0;
        if len < 1.0 || (meets(x0, s.y0) && meets(x1, s.y0)) {
            continue;
        }
        let y = (s.y0 + s.y1) / 2.0;
        let from = order.partition_point(|&i| glyphs[i].cy() < y - max_h);
        let mut hit: Vec<usize> = Vec::new();
        let mut covered = 0.0;
        for &i in &order[from..] {
            let g = &glyphs[i];
            if g.cy() > y + max_h {
                break;
            }
            let (gx0, gx1) = (g.bbox[0], g.bbox[2]);
            let h = g.bbox[3] - g.bbox[1];
            // Through the middle of the body, not at its foot (underline)
            // or its head (a ruling above the line).
            let mid = g.bbox[1] + 0.2 * h <= y && y <= g.bbox[1] + 0.75 * h;
            let cx = (gx0 + gx1) / 2.0;
            if mid && x0 - 0.1 * (gx1 - gx0) <= cx && cx <= x1 + 0.1 * (gx1 - gx0) {
                hit.push(i);
                covered += (gx1.min(x1) - gx0.max(x0)).max(0.0);
            }
        }
        // The line must be about as long as the run it strikes.
        if hit.is_empty() || covered < 0.6 * len {
            continue;
        }
        out.segments[si] = true;
        for i in hit {
            out.glyphs[i] = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(x: f64) -> Glyph {
        Glyph {
            text: "1".into(),
            bbox: [x, 98.8, x + 10.0, 108.8],
            size: 10.0,
            dir: (1.0, 0.0),
            color: [0.0; 3],
            seq: 0,
        }
    }

    fn seg(x0: f64, x1: f64, y: f64) -> Segment {
        Segment {
            x0,
            y0: y,
            x1,
            y1: y,
            width: 0.5,
            color: [0.0; 3],
        }
    }

    #[test]
    fn strike_underline_and_ruling() {
        let glyphs = vec![g(0.0), g(10.0), g(20.0), g(30.0)];
        let s = find(&glyphs, &[seg(0.0, 20.0, 103.0)]);
        assert_eq!(s.glyphs, [true, true, false, false]);
        // An underline (below the baseline at 100).
        let s = find(&glyphs, &[seg(0.0, 20.0, 99.0)]);
        assert!(!s.segments[0]);
        // A ruling through the line but far longer than the text.
        let s = find(&glyphs, &[seg(-200.0, 400.0, 103.0)]);
        assert!(!s.segments[0]);
    }
}
