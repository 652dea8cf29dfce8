//! Text drawn where nothing shows it: outside the page's visible area
//! (MediaBox/CropBox) or outside the clipping path.
//!
//! Such text is of two kinds, and only one is a copy:
//!
//! * **Copies.** LibreOffice draws the whole text of a merged cell on
//!   every page the cell spans and clips each page to its part: the lines
//!   shown on page 2 are drawn on page 1 too, below its bottom edge, and
//!   the other way round. Each such line has a twin shown on a
//!   neighbouring page (or the same page): the same characters at the same
//!   x, all shifted by one vertical distance. Those are left out — nothing
//!   is lost, the text is read where it shows.
//! * **Text of its own.** A cell whose text overflows the print area (cut
//!   at the cell's or the page's edge by a clip), text a producer placed
//!   past the page's edge: nothing shows it anywhere else. It is read in
//!   its place (a reader of the data wants the amount even where a viewer
//!   cuts it off), and a warning names the page.
//!
//! A line of hidden glyphs is a copy only when every glyph of it has its
//! twin; anything less is kept, so a doubt keeps text rather than drops it.
//!
//! A line cut through by a page break is drawn on both pages, each page's
//! clip showing a part of its glyphs (the top of `価` at the foot of one
//! page, its bottom at the head of the next). Such a glyph is one glyph:
//! of two twins on consecutive pages whose shown parts add up to about one
//! glyph, the one showing less is left out.

use super::interpreter::{Glyph, Hidden, PageContent};
use super::layout;
use std::collections::HashMap;

/// Twins are this close (points) in x and in the shift.
const TOLERANCE: f64 = 0.6;

/// Hidden text kept on one page, for the warning.
#[derive(Debug, Clone)]
pub struct Kept {
    /// 0-based page index.
    pub page: usize,
    pub why: Hidden,
    pub text: String,
    pub chars: usize,
    pub bbox: [f64; 4],
}

/// Visible glyphs of a page by (text, x in half points): their y centres.
type Index = HashMap<(String, i64), Vec<f64>>;

fn index(glyphs: &[Glyph]) -> Index {
    let mut m: Index = HashMap::new();
    for g in glyphs {
        if g.is_space() {
            continue;
        }
        m.entry((g.text.clone(), (g.bbox[0] * 2.0).round() as i64))
            .or_default()
            .push(g.cy());
    }
    m
}

/// The y centres of `g`'s twins in `idx` (same text, x within tolerance).
fn twins<'a>(idx: &'a Index, g: &Glyph) -> impl Iterator<Item = f64> + 'a {
    let x = (g.bbox[0] * 2.0).round() as i64;
    let text = g.text.clone();
    (x - 1..=x + 1).flat_map(move |k| idx.get(&(text.clone(), k)).into_iter().flatten().copied())
}

/// Whether every glyph of a line has a twin on a page of `idx`, all by
/// one vertical shift.
fn is_copy(line: &[&Glyph], idx: &Index) -> bool {
    let Some(first) = line.first() else { return true };
    twins(idx, first).any(|ty| {
        let shift = ty - first.cy();
        line.iter()
            .all(|g| twins(idx, g).any(|y| (y - g.cy() - shift).abs() <= TOLERANCE))
    })
}

/// Move the hidden glyphs that are text of their own into their pages'
/// glyphs; drop the copies. Returns what was kept, per page and line.
pub fn resolve(pages: &mut [PageContent]) -> Vec<Kept> {
    halves(pages);
    if pages.iter().all(|p| p.hidden.is_empty()) {
        return Vec::new();
    }
    let indexes: Vec<Index> = pages.iter().map(|p| index(&p.glyphs)).collect();
    let mut kept: Vec<Kept> = Vec::new();
    for pi in 0..pages.len() {
        let hidden = std::mem::take(&mut pages[pi].hidden);
        if hidden.is_empty() {
            continue;
        }
        let glyphs: Vec<Glyph> = hidden.iter().map(|(g, _)| g.clone()).collect();
        let all: Vec<usize> = (0..glyphs.len()).collect();
        let mut keep = vec![false; glyphs.len()];
        for line in layout::lines(&glyphs, &all) {
            let members: Vec<&Glyph> = line
                .glyphs
                .iter()
                .map(|&i| &glyphs[i])
                .filter(|g| !g.is_space())
                .collect();
            if members.is_empty() {
                continue;
            }
            let neighbours = [
                pi.checked_sub(1),
                Some(pi),
                pi.checked_add(1).filter(|&n| n < pages.len()),
            ];
            let copy = neighbours
                .iter()
                .flatten()
                .any(|&q| indexes.get(q).is_some_and(|idx| is_copy(&members, idx)));
            if copy {
                continue;
            }
            for &i in &line.glyphs {
                keep[i] = true;
            }
            // Past the page's edge if any of it is.
            let why = if line
                .glyphs
                .iter()
                .any(|&i| hidden.get(i).is_some_and(|h| h.1 == Hidden::OffPage))
            {
                Hidden::OffPage
            } else {
                Hidden::Clipped
            };
            let text: String = line.glyphs.iter().map(|&i| glyphs[i].text.as_str()).collect();
            kept.push(Kept {
                page: pi,
                why,
                chars: members.len(),
                text,
                bbox: line.bbox,
            });
        }
        for (k, (g, _)) in hidden.into_iter().enumerate() {
            if keep[k] {
                pages[pi].glyphs.push(g);
            }
        }
    }
    kept
}

/// Glyphs cut by a page break, shown in part on two consecutive pages:
/// the part showing less is removed.
fn halves(pages: &mut [PageContent]) {
    if pages.iter().all(|p| p.partial.is_empty()) {
        return;
    }
    let mut drop: Vec<Vec<bool>> = pages.iter().map(|p| vec![false; p.glyphs.len()]).collect();
    for p in 1..pages.len() {
        let (upper, lower) = (&pages[p - 1], &pages[p]);
        if upper.partial.is_empty() || lower.partial.is_empty() {
            continue;
        }
        // The lower page's cut glyphs by (text, x in half points).
        let mut by_place: HashMap<(&str, i64), Vec<(usize, f64)>> = HashMap::new();
        for &(j, sj) in &lower.partial {
            if let Some(b) = lower.glyphs.get(j) {
                by_place
                    .entry((b.text.as_str(), (b.bbox[0] * 2.0).round() as i64))
                    .or_default()
                    .push((j, sj));
            }
        }
        for &(i, si) in &upper.partial {
            let Some(a) = upper.glyphs.get(i) else { continue };
            if a.is_space() {
                continue;
            }
            let x = (a.bbox[0] * 2.0).round() as i64;
            let twin = (x - 1..=x + 1)
                .flat_map(|k| by_place.get(&(a.text.as_str(), k)).into_iter().flatten())
                .find(|&&(j, sj)| {
                    lower
                        .glyphs
                        .get(j)
                        .is_some_and(|b| (b.bbox[0] - a.bbox[0]).abs() <= TOLERANCE && si + sj <= 1.5 && !drop[p][j])
                });
            if let Some(&(j, sj)) = twin {
                if si < sj {
                    drop[p - 1][i] = true;
                } else {
                    drop[p][j] = true;
                }
            }
        }
    }
    for (page, mask) in pages.iter_mut().zip(drop) {
        if !mask.iter().any(|&d| d) {
            continue;
        }
        let mut k = 0;
        page.glyphs.retain(|_| {
            k += 1;
            !mask[k - 1]
        });
        page.partial.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(t: &str, x: f64, y: f64) -> Glyph {
        Glyph {
            text: t.into(),
            bbox: [x, y, x + 8.0, y + 8.0],
            size: 8.0,
            dir: (1.0, 0.0),
            color: [0.0; 3],
            seq: 0,
        }
    }

    fn page(shown: Vec<Glyph>, hidden: Vec<(Glyph, Hidden)>) -> PageContent {
        PageContent {
            glyphs: shown,
            hidden,
            ..PageContent::default()
        }
    }

    #[test]
    fn a_merged_cells_copy_on_the_next_page_is_left_out() {
        // Page 1 shows 計画 at y 20 and draws 内容 below its edge (y -10);
        // page 2 shows 内容 at y 790 and draws 計画 above its top (y 820).
        let mut pages = vec![
            page(
                vec![g("計", 10.0, 20.0), g("画", 18.0, 20.0)],
                vec![
                    (g("内", 10.0, -10.0), Hidden::OffPage),
                    (g("容", 18.0, -10.0), Hidden::OffPage),
                ],
            ),
            page(
                vec![g("内", 10.0, 790.0), g("容", 18.0, 790.0)],
                vec![
                    (g("計", 10.0, 820.0), Hidden::OffPage),
                    (g("画", 18.0, 820.0), Hidden::OffPage),
                ],
            ),
        ];
        assert!(resolve(&mut pages).is_empty());
        assert_eq!(pages[0].glyphs.len(), 2);
        assert_eq!(pages[1].glyphs.len(), 2);
    }

    #[test]
    fn text_shown_nowhere_is_kept_in_place() {
        // 15,123千円 overflowing the print area, clipped; the same digits
        // elsewhere on the page (other x) do not make it a copy.
        let amount: Vec<(Glyph, Hidden)> = "15,123千円"
            .chars()
            .enumerate()
            .map(|(k, c)| (g(&c.to_string(), 800.0 + k as f64 * 5.0, 90.0), Hidden::Clipped))
            .collect();
        let mut pages = vec![page(vec![g("1", 100.0, 90.0), g("5", 105.0, 90.0)], amount)];
        let kept = resolve(&mut pages);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].text, "15,123千円");
        assert_eq!(kept[0].why, Hidden::Clipped);
        assert_eq!(pages[0].glyphs.len(), 2 + 8);
    }

    #[test]
    fn a_line_with_one_glyph_not_shown_elsewhere_is_kept() {
        let mut pages = vec![
            page(vec![g("計", 10.0, 20.0)], vec![]),
            page(
                vec![],
                vec![
                    (g("計", 10.0, 820.0), Hidden::OffPage),
                    (g("画", 18.0, 820.0), Hidden::OffPage),
                ],
            ),
        ];
        let kept = resolve(&mut pages);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].text, "計画");
    }
}
