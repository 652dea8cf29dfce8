//! Glyphs → lines → text, in reading order.
//!
//! A line is the glyphs of one writing direction that share a baseline
//! band (horizontal text) or a column band (vertical writing, read top to
//! bottom, columns right to left). The text of a cell or paragraph joins its
//! lines: wrapped lines are joined (Japanese with no space, Latin words with
//! one, a space the producer drew at the break kept); a line that ends
//! where the next line's first word would still have fitted was ended by
//! the source (a paragraph or list item in the cell) and keeps a `\n`.
//!
//! Struck-out glyphs (see `strike.rs`) are left out of the text; each struck
//! run and the text right after it become a revision.

use super::interpreter::{Glyph, Rgb};
use crate::normalize::join::starts_item;
use crate::readers::lines::cell_break;

/// Reading direction of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Left to right, lines top to bottom.
    Horizontal,
    /// Top to bottom (vertical writing or text rotated clockwise).
    Down,
    /// Bottom to top (text rotated counter-clockwise).
    Up,
}

pub fn dir_of(g: &Glyph) -> Dir {
    let (dx, dy) = g.dir;
    if dy < -0.7 && dx.abs() < 0.7 {
        Dir::Down
    } else if dy > 0.7 && dx.abs() < 0.7 {
        Dir::Up
    } else {
        Dir::Horizontal
    }
}

#[derive(Debug, Clone)]
pub struct Line {
    /// Indices into the page's glyphs, in reading order.
    pub glyphs: Vec<usize>,
    pub bbox: [f64; 4],
    pub size: f64,
    pub dir: Dir,
}

impl Line {
    pub fn top(&self) -> f64 {
        self.bbox[3]
    }
    pub fn height(&self) -> f64 {
        self.bbox[3] - self.bbox[1]
    }
}

fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

/// Group glyphs (by index) into lines in reading order: horizontal lines top
/// to bottom; vertical columns where their tops are.
pub fn lines(glyphs: &[Glyph], idx: &[usize]) -> Vec<Line> {
    let mut out = Vec::new();
    for dir in [Dir::Horizontal, Dir::Down, Dir::Up] {
        let mut these: Vec<usize> = idx.iter().copied().filter(|&i| dir_of(&glyphs[i]) == dir).collect();
        if these.is_empty() {
            continue;
        }
        // `across` is the coordinate lines are stacked along, `along` the
        // one glyphs follow each other along.
        let (across, lo, hi): (fn(&Glyph) -> f64, usize, usize) = match dir {
            Dir::Horizontal => (|g| -g.cy(), 1, 3),
            Dir::Down => (|g| -g.cx(), 0, 2),
            Dir::Up => (|g| g.cx(), 0, 2),
        };
        these.sort_by(|&a, &b| {
            across(&glyphs[a])
                .total_cmp(&across(&glyphs[b]))
                .then(glyphs[a].seq.cmp(&glyphs[b].seq))
        });
        let mut current: Vec<usize> = Vec::new();
        let mut band = (0.0f64, 0.0f64);
        for i in these {
            let g = &glyphs[i];
            let c = (g.bbox[lo] + g.bbox[hi]) / 2.0;
            if !current.is_empty() && band.0 <= c && c <= band.1 {
                // Widen the band by this glyph only when it is of similar size.
                current.push(i);
                continue;
            }
            if !current.is_empty() {
                out.push(finish(glyphs, std::mem::take(&mut current), dir));
            }
            band = (g.bbox[lo], g.bbox[hi]);
            // A narrow band for tiny boxes: at least a third of an em.
            let min = g.size / 3.0;
            if band.1 - band.0 < min {
                let m = (band.0 + band.1) / 2.0;
                band = (m - min / 2.0, m + min / 2.0);
            }
            current.push(i);
        }
        if !current.is_empty() {
            out.push(finish(glyphs, current, dir));
        }
    }
    // Reading order across directions: by top, then left.
    out.sort_by(|a, b| b.top().total_cmp(&a.top()).then(a.bbox[0].total_cmp(&b.bbox[0])));
    out
}

fn finish(glyphs: &[Glyph], mut idx: Vec<usize>, dir: Dir) -> Line {
    match dir {
        Dir::Horizontal => idx.sort_by(|&a, &b| {
            glyphs[a].bbox[0]
                .total_cmp(&glyphs[b].bbox[0])
                .then(glyphs[a].seq.cmp(&glyphs[b].seq))
        }),
        Dir::Down => idx.sort_by(|&a, &b| {
            glyphs[b].bbox[3]
                .total_cmp(&glyphs[a].bbox[3])
                .then(glyphs[a].seq.cmp(&glyphs[b].seq))
        }),
        Dir::Up => idx.sort_by(|&a, &b| {
            glyphs[a].bbox[1]
                .total_cmp(&glyphs[b].bbox[1])
                .then(glyphs[a].seq.cmp(&glyphs[b].seq))
        }),
    }
    // A glyph drawn twice at the same place (fake bold, shadows) once.
    let mut kept: Vec<usize> = Vec::with_capacity(idx.len());
    for i in idx {
        if let Some(&p) = kept.last() {
            let (a, b) = (&glyphs[p], &glyphs[i]);
            if a.text == b.text
                && (a.bbox[0] - b.bbox[0]).abs() < 0.1 * a.size.max(0.5)
                && (a.bbox[1] - b.bbox[1]).abs() < 0.1 * a.size.max(0.5)
            {
                continue;
            }
        }
        kept.push(i);
    }
    let mut bbox = glyphs[kept[0]].bbox;
    let mut size: f64 = 0.0;
    for &i in &kept {
        bbox = union(bbox, glyphs[i].bbox);
        size = size.max(glyphs[i].size);
    }
    Line {
        glyphs: kept,
        bbox,
        size,
        dir,
    }
}

/// A struck-out run and what follows it, as read.
#[derive(Debug, Clone)]
pub struct RawRevision {
    pub before: String,
    pub after: String,
    pub bbox: [f64; 4],
    /// The page it is on (set when the page is laid out).
    pub page: u32,
}

/// The text of a run of lines (a cell, a paragraph).
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub text: String,
    pub bbox: Option<[f64; 4]>,
    pub revisions: Vec<RawRevision>,
}

/// How glyphs read: which are struck out, and the page's ordinary text colour.
pub struct Marks<'a> {
    pub struck: &'a [bool],
    pub normal: Rgb,
    /// Whether the producer keeps Japanese line-breaking rules (no line
    /// starts with `・`): Chromium and Microsoft Office do, LibreOffice
    /// Calc does not.
    pub kinsoku: bool,
}

/// One line's text: glyphs in order, a space where the gap between two
/// glyphs is wider than a third of an em (unless one of them is a space).
/// Returns the pieces with the glyph each came from.
fn line_pieces(glyphs: &[Glyph], line: &Line) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::with_capacity(line.glyphs.len());
    let mut prev: Option<usize> = None;
    for &i in &line.glyphs {
        let g = &glyphs[i];
        if let Some(p) = prev {
            let q = &glyphs[p];
            let gap = match line.dir {
                Dir::Horizontal => g.bbox[0] - q.bbox[2],
                Dir::Down => q.bbox[1] - g.bbox[3],
                Dir::Up => g.bbox[1] - q.bbox[3],
            };
            if gap > 0.3 * g.size.max(q.size) && !g.is_space() && !q.is_space() {
                out.push((usize::MAX, " ".to_string()));
            }
        }
        out.push((i, g.text.clone()));
        prev = Some(i);
    }
    out
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | ';' | ':' | ')' | '(' | '%' | '&' | '\'' | '"')
}

/// Characters a line may not start with (Japanese line-breaking rules,
/// kinsoku: closing brackets, punctuation, small kana, prolonged sound mark).
fn no_break_before(c: char) -> bool {
    "、。，．,.)）]］}｝〕〉》」』】〙〗〟’”｠»ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ…‥・：；:;!?！？%％‰℃°′″゛゜々〻".contains(c)
}

/// Characters a line may not end with (opening brackets, currency signs).
fn no_break_after(c: char) -> bool {
    "（([［{｛〔〈《「『【〘〖〝‘“｟«¥$￥＄".contains(c)
}

/// The width of what starts a line up to its first break opportunity: a
/// word processor moves a whole unit to the next line, so a line was
/// wrapped only if this unit did not fit at the end of the line before.
/// Units: runs of ASCII (`50%`, `HP`), a character with the characters
/// that may not start a line after it (`度:`), a character that may not end
/// a line with the one after it (`【4`), and Latin words listed with an
/// ideographic comma (`HP、SNS`: LibreOffice keeps them together).
fn first_token_width(glyphs: &[Glyph], line: &Line, struck: &[bool]) -> f64 {
    let mut w = 0.0;
    let mut prev: Option<char> = None;
    let mut before_prev: Option<char> = None;
    for &i in line.glyphs.iter().filter(|&&i| !struck[i]) {
        let g = &glyphs[i];
        if g.is_space() {
            break;
        }
        let Some(c) = g.text.chars().next() else {
            continue;
        };
        if let Some(p) = prev {
            let latin_list = matches!(p, '、' | '，' | '・')
                && c.is_ascii_alphanumeric()
                && before_prev.is_some_and(|b| b.is_ascii_alphanumeric());
            let joined =
                no_break_after(p) || no_break_before(c) || (p.is_ascii_graphic() && c.is_ascii_graphic()) || latin_list;
            if !joined {
                break;
            }
        }
        w += g.bbox[2] - g.bbox[0];
        before_prev = prev;
        prev = g.text.chars().next_back();
    }
    w
}

/// Whether every line holds one glyph: a label set one character a line
/// (LibreOffice's stacked text), to be read as one word.
fn stacked(glyphs: &[Glyph], lines: &[Line]) -> bool {
    lines.len() >= 2
        && lines
            .iter()
            .all(|l| l.glyphs.iter().filter(|&&i| !glyphs[i].is_space()).count() == 1)
}

/// Join lines into one text (see the module comment), leaving struck
/// glyphs out and collecting revisions. `left` and `right` are the edges
/// of the box the text was set in (a cell's rulings), used to tell a
/// wrapped line from a line the source ends: a line is ended by the source
/// if what starts the next one would have fitted at its end with a whole
/// em to spare (word processors' line breaking is not all in
/// `first_token_width`), or, where the next line starts an item (`・`,
/// `【`), with a quarter em to spare. A
/// missed break joins two items on one line, as tab-separated releases
/// print them anyway; a false one would cut a sentence.
pub fn text_of(glyphs: &[Glyph], lines: &[Line], left: f64, right: f64, marks: &Marks) -> Text {
    // The producer's padding, taken to be the same on both sides.
    let pad = lines
        .iter()
        .filter(|l| l.dir == Dir::Horizontal)
        .map(|l| l.bbox[0] - left)
        .fold(f64::INFINITY, f64::min)
        .clamp(0.0, 8.0);
    let room_right = right - pad;
    let stacked = stacked(glyphs, lines);
    // The whole run of pieces with line breaks marked.
    let mut seq: Vec<(usize, String)> = Vec::new();
    let mut bbox: Option<[f64; 4]> = None;
    for (li, line) in lines.iter().enumerate() {
        bbox = Some(bbox.map_or(line.bbox, |b| union(b, line.bbox)));
        let pieces = line_pieces(glyphs, line);
        if li > 0 {
            let prev = &lines[li - 1];
            let first_text: String = pieces
                .iter()
                .filter(|(i, _)| *i == usize::MAX || !marks.struck[*i])
                .map(|(_, s)| s.as_str())
                .collect();
            let room = room_right - prev.bbox[2];
            let size = prev.size.max(line.size);
            let horizontal = prev.dir == Dir::Horizontal && line.dir == Dir::Horizontal;
            let spare = if starts_item(&first_text) { 0.25 * size } else { size };
            let ended = room > first_token_width(glyphs, line, marks.struck) + spare;
            // The layout says the line was ended with room to spare; the
            // text has the last word: a break that neither starts a
            // marked item nor follows the end of a sentence is a wrap the
            // producer made early (Chromium keeps `元年度:79.6%→2` whole, so
            // `元年` ends a line with room left).
            let hard = !stacked && horizontal && ended && {
                let prev_text: String = line_pieces(glyphs, prev)
                    .iter()
                    .filter(|(i, _)| *i == usize::MAX || !marks.struck[*i])
                    .map(|(_, s)| s.as_str())
                    .collect();
                cell_break(&prev_text, &first_text, true)
            };
            if hard {
                seq.push((usize::MAX, "\n".to_string()));
            } else {
                // A wrap: join with a space only between Latin words, and
                // before a middle dot (`・`) from a producer that keeps
                // line-breaking rules: it breaks before one only at a space,
                // and does not draw the space at the end of the line. A
                // space the producer did draw at the break is kept anyway.
                let last = seq
                    .iter()
                    .rev()
                    .find(|(i, s)| (*i == usize::MAX || !marks.struck[*i]) && !s.is_empty())
                    .map(|(_, s)| s.clone());
                let last_char = last.as_deref().and_then(|s| s.chars().next_back());
                let first_char = first_text.trim_start().chars().next();
                let space = match (last_char, first_char) {
                    (Some(l), Some(f)) => {
                        !l.is_whitespace()
                            && ((is_latin(l) && is_latin(f)) || (marks.kinsoku && matches!(f, '・' | '･')))
                    }
                    _ => false,
                };
                if space {
                    seq.push((usize::MAX, " ".to_string()));
                }
            }
        }
        seq.extend(pieces);
    }
    let mut text = String::new();
    let mut revisions = Vec::new();
    let mut k = 0;
    while k < seq.len() {
        let (i, s) = &seq[k];
        let struck = *i != usize::MAX && marks.struck[*i];
        if !struck {
            text.push_str(s);
            k += 1;
            continue;
        }
        // A struck run: glyphs struck (spaces between them included).
        let mut before = String::new();
        let mut rbox = glyphs[*i].bbox;
        while k < seq.len() {
            let (j, s) = &seq[k];
            if *j != usize::MAX && marks.struck[*j] {
                before.push_str(s);
                rbox = union(rbox, glyphs[*j].bbox);
                k += 1;
            } else if *j == usize::MAX
                && seq
                    .get(k + 1)
                    .is_some_and(|(n, _)| *n != usize::MAX && marks.struck[*n])
            {
                before.push_str(s);
                k += 1;
            } else {
                break;
            }
        }
        // The new text right after it: a run in a colour other than the
        // page's ordinary one, else a run like the struck one (digits for
        // digits), else the next word.
        let start = k;
        let mut end = k;
        let first = seq[start..].iter().find(|(j, _)| *j != usize::MAX).map(|(j, _)| *j);
        if let Some(f) = first {
            let colour = glyphs[f].color;
            if !same_colour(colour, marks.normal) {
                while end < seq.len() {
                    let (j, _) = &seq[end];
                    if *j == usize::MAX {
                        // A line break or gap inside the coloured run.
                        if seq.get(end + 1).is_some_and(|(n, _)| {
                            *n != usize::MAX && !marks.struck[*n] && same_colour(glyphs[*n].color, colour)
                        }) {
                            end += 1;
                            continue;
                        }
                        break;
                    }
                    if marks.struck[*j] || !same_colour(glyphs[*j].color, colour) {
                        break;
                    }
                    end += 1;
                }
            } else {
                let numeric = before.trim().chars().all(is_numeric_char);
                while end < seq.len() {
                    let (j, s) = &seq[end];
                    if *j == usize::MAX || marks.struck[*j] {
                        break;
                    }
                    let c = s.chars().next().unwrap_or(' ');
                    let ok = if numeric {
                        is_numeric_char(c)
                    } else {
                        !c.is_whitespace() && !"、。，．,.)）」】』".contains(c)
                    };
                    if !ok {
                        break;
                    }
                    end += 1;
                }
            }
        }
        let mut after = String::new();
        for (j, s) in &seq[start..end] {
            if *j != usize::MAX {
                rbox = union(rbox, glyphs[*j].bbox);
            }
            if s != "\n" {
                after.push_str(s);
            }
        }
        revisions.push(RawRevision {
            before: before.trim().to_string(),
            after: after.trim().to_string(),
            bbox: rbox,
            page: 0,
        });
    }
    Text { text, bbox, revisions }
}

fn is_numeric_char(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || matches!(c, ',' | '.' | '，' | '．')
}

pub fn same_colour(a: Rgb, b: Rgb) -> bool {
    (a[0] - b[0]).abs() < 0.1 && (a[1] - b[1]).abs() < 0.1 && (a[2] - b[2]).abs() < 0.1
}

/// Lines (not in any table) grouped into paragraphs: a new paragraph where
/// the gap to the line above is more than 0.8 of a line's height beyond
/// ordinary line spacing, or where the left edge jumps.
pub fn paragraphs(lines: &[Line]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let new = match i.checked_sub(1).map(|p| &lines[p]) {
            None => true,
            Some(p) => {
                let gap = p.bbox[1] - l.bbox[3];
                gap > 0.8 * p.height().max(l.height()) || l.dir != p.dir
            }
        };
        if new {
            out.push(vec![i]);
        } else if let Some(last) = out.last_mut() {
            last.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(text: &str, x: f64, y: f64, seq: u32) -> Glyph {
        Glyph {
            text: text.to_string(),
            bbox: [x, y - 1.2, x + 10.0, y + 8.8],
            size: 10.0,
            dir: (1.0, 0.0),
            color: [0.0; 3],
            seq,
        }
    }

    #[test]
    fn lines_in_reading_order_and_japanese_joins() {
        // Drawn out of order: second line first.
        let glyphs = vec![g("画", 0.0, 88.0, 0), g("計", 0.0, 100.0, 1), g("港", 10.0, 100.0, 2)];
        let ls = lines(&glyphs, &[0, 1, 2]);
        assert_eq!(ls.len(), 2);
        let marks = Marks {
            struck: &[false; 3],
            normal: [0.0; 3],
            kinsoku: true,
        };
        let t = text_of(&glyphs, &ls, 0.0, 20.0, &marks);
        assert_eq!(t.text, "計港画");
    }

    #[test]
    fn gaps_become_spaces_and_latin_wraps_keep_one() {
        let glyphs = vec![g("a", 0.0, 100.0, 0), g("b", 20.0, 100.0, 1), g("c", 0.0, 88.0, 2)];
        let ls = lines(&glyphs, &[0, 1, 2]);
        let marks = Marks {
            struck: &[false; 3],
            normal: [0.0; 3],
            kinsoku: true,
        };
        assert_eq!(text_of(&glyphs, &ls, 0.0, 30.0, &marks).text, "a b c");
    }

    #[test]
    fn struck_run_and_red_new_value() {
        let mut glyphs = Vec::new();
        for (k, ch) in "（1419件）".chars().enumerate() {
            glyphs.push(g(&ch.to_string(), k as f64 * 10.0, 100.0, k as u32));
        }
        glyphs[3].color = [1.0, 0.0, 0.0];
        glyphs[4].color = [1.0, 0.0, 0.0];
        let struck = [false, true, true, false, false, false, false];
        let ls = lines(&glyphs, &(0..7).collect::<Vec<_>>());
        let t = text_of(
            &glyphs,
            &ls,
            0.0,
            70.0,
            &Marks {
                struck: &struck,
                normal: [0.0; 3],
                kinsoku: true,
            },
        );
        assert_eq!(t.text, "（19件）");
        assert_eq!(t.revisions.len(), 1);
        assert_eq!(
            (t.revisions[0].before.as_str(), t.revisions[0].after.as_str()),
            ("14", "19")
        );
    }

    #[test]
    fn a_line_the_next_word_would_have_fitted_on_was_ended() {
        let glyphs = vec![g("a", 0.0, 100.0, 0), g("・", 0.0, 88.0, 1), g("b", 10.0, 88.0, 2)];
        let ls = lines(&glyphs, &[0, 1, 2]);
        let marks = Marks {
            struck: &[false; 3],
            normal: [0.0; 3],
            kinsoku: true,
        };
        assert_eq!(text_of(&glyphs, &ls, 0.0, 200.0, &marks).text, "a\n・b");
        // No room for `・` (10 wide) after `a`: a wrap. A producer that
        // keeps line-breaking rules wrapped at a space it did not draw.
        assert_eq!(text_of(&glyphs, &ls, 0.0, 15.0, &marks).text, "a ・b");
        let libreoffice = Marks {
            kinsoku: false,
            ..marks
        };
        assert_eq!(text_of(&glyphs, &ls, 0.0, 15.0, &libreoffice).text, "a・b");
    }
}
