//! Where in the intermediate form a value was read, found from the model
//! alone: the value's text, looked up in the cells' text from its item's
//! own location (`at`) onwards.
//!
//! This is the report's source of places while the recogniser does not
//! hand over the cells it read each value from. It never guesses a value:
//! it only finds the characters the model already holds, nearest after the
//! item the model says the value belongs to, and says how it found each
//! one (`How`) so a reader of the report can tell.
//!
//! Texts are compared without white space and with the normaliser's
//! character folding (full-width digits, hyphens and tildes), as the model
//! holds values normalised and wrapped lines joined.

use super::placed::{Field, FieldKind, IrSpan, Placed};
use crate::ir::Ir;
use crate::model::Location;
use std::collections::{HashMap, HashSet};

/// How a value's place was found (shown with the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Its characters, found after its item's location.
    Text,
    /// The first characters of a longer text (the rest is printed apart or
    /// was changed by the model: joined, cleaned).
    Prefix,
    /// Only its item's location (a title read there, not found as text).
    Item,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Text => "its text, found after its item's location",
            How::Prefix => "the first characters of its text, after its item's location",
            How::Item => "its item's location",
        }
    }
}

/// One character of the searchable text and where it came from.
#[derive(Debug, Clone, Copy)]
struct Src {
    row: u32,
    cell: u32,
    start: u32,
    end: u32,
}

/// How far after its item's location a value is looked for, and before
/// it (characters without white space: some twenty pages of a form).
const AHEAD: usize = 60_000;
const BEHIND: usize = 15_000;

/// Every cell's text in reading order, white space left out, folded.
pub struct Stream {
    text: String,
    /// Byte offset in `text` of each character.
    starts: Vec<usize>,
    src: Vec<Src>,
    /// A location (as `Location`'s debug text) → the first character of
    /// the first cell or row there.
    anchors: HashMap<String, usize>,
}

/// The comparable form of one character: folded as the normaliser folds,
/// `None` for white space.
pub(super) fn fold(c: char) -> Option<char> {
    if c.is_whitespace() {
        return None;
    }
    Some(match c {
        '\u{FF01}'..='\u{FF5D}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => '-',
        '\u{301C}' | '\u{223C}' | '\u{FF5E}' | '~' => '～',
        c => c,
    })
}

fn folded(s: &str) -> String {
    s.chars().filter_map(fold).collect()
}

fn loc_key(l: &Location) -> String {
    format!("{l:?}")
}

impl Stream {
    pub fn new(ir: &Ir) -> Stream {
        let mut s = Stream {
            text: String::new(),
            starts: Vec::new(),
            src: Vec::new(),
            anchors: HashMap::new(),
        };
        for (ri, row) in ir.rows.iter().enumerate() {
            if !row.at.is_empty() {
                s.anchors.entry(loc_key(&row.at)).or_insert(s.src.len());
            }
            for (ci, cell) in row.cells.iter().enumerate() {
                if !cell.at.is_empty() {
                    s.anchors.entry(loc_key(&cell.at)).or_insert(s.src.len());
                }
                for (b, c) in cell.text.char_indices() {
                    let Some(f) = fold(c) else { continue };
                    s.starts.push(s.text.len());
                    s.text.push(f);
                    s.src.push(Src {
                        row: ri as u32,
                        cell: ci as u32,
                        start: b as u32,
                        end: (b + c.len_utf8()) as u32,
                    });
                }
            }
        }
        s
    }

    /// The character index of a byte offset of `text`.
    fn char_at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }

    /// The character where a location's cell starts (the nearest cell at
    /// or after it, for a location no cell has exactly).
    fn anchor(&self, at: &Location) -> Option<usize> {
        self.anchors.get(&loc_key(at)).copied()
    }

    /// The occurrence of `needle` nearest after character `from` (then
    /// before it) that no other value took, else the nearest taken one (the
    /// model repeats some printed text: a basic-policy item under each
    /// initiative that serves it); a character range. With an item's
    /// location, only its neighbourhood is searched (`AHEAD`, `BEHIND`):
    /// a value is read near its item, and a release of thousands of pages
    /// must not cost a scan of all of it per value.
    fn find(&self, needle: &str, from: Option<usize>, taken: &HashSet<(usize, usize)>) -> Option<(usize, usize)> {
        if needle.is_empty() {
            return None;
        }
        let n = needle.chars().count();
        let len = self.starts.len();
        let byte = |c: usize| self.starts.get(c).copied().unwrap_or(self.text.len());
        let (lo, start, hi) = match from {
            Some(a) => (a.saturating_sub(BEHIND), a.min(len), a.saturating_add(AHEAD).min(len)),
            None => (0, 0, len),
        };
        let mut first: Option<(usize, usize)> = None;
        let mut pick = |c: usize| -> bool {
            let r = (c, c + n);
            first.get_or_insert(r);
            !taken.contains(&r)
        };
        let (b_lo, b_start, b_hi) = (byte(lo), byte(start), byte(hi));
        if let Some(ahead) = self.text.get(b_start..b_hi) {
            for (k, _) in ahead.match_indices(needle) {
                let c = self.char_at(b_start + k);
                if pick(c) {
                    return Some((c, c + n));
                }
            }
        }
        if let Some(behind) = self.text.get(b_lo..b_start) {
            for (k, _) in behind.rmatch_indices(needle) {
                let c = self.char_at(b_lo + k);
                if pick(c) {
                    return Some((c, c + n));
                }
            }
        }
        first
    }

    /// A character range as cell spans.
    fn spans(&self, (a, b): (usize, usize)) -> Vec<IrSpan> {
        let mut out: Vec<IrSpan> = Vec::new();
        for s in self.src.get(a..b).unwrap_or(&[]) {
            match out.last_mut() {
                Some(l) if l.row == s.row as usize && l.cell == s.cell as usize => l.end = s.end as usize,
                _ => out.push(IrSpan {
                    row: s.row as usize,
                    cell: s.cell as usize,
                    start: s.start as usize,
                    end: s.end as usize,
                }),
            }
        }
        out
    }
}

/// The text of spans as printed (spans in different cells on lines of their own).
pub fn raw_text(ir: &Ir, spans: &[IrSpan]) -> String {
    let mut out = String::new();
    for (i, s) in spans.iter().enumerate() {
        let Some(cell) = ir.rows.get(s.row).and_then(|r| r.cells.get(s.cell)) else {
            continue;
        };
        if i > 0 {
            out.push('\n');
        }
        out.push_str(cell.text.get(s.start..s.end).unwrap_or_default());
    }
    out
}

/// Place fields by their text (see the module doc). Fields found nowhere
/// are returned apart, for the report to list as not located.
pub fn place(ir: &Ir, fields: Vec<Field>) -> (Vec<(Placed, How)>, Vec<Field>) {
    let stream = Stream::new(ir);
    let mut taken: HashSet<(usize, usize)> = HashSet::new();
    let mut placed = Vec::new();
    let mut missing = Vec::new();
    for f in fields {
        let from = stream.anchor(&f.at);
        let needle = folded(&f.text);
        // Without an item location, a text is looked for from the start;
        // a short one (`-`, `100%`) only near its item.
        let short = needle.chars().count() < 4;
        let mut found = if from.is_some() || !short {
            stream.find(&needle, from, &taken).map(|r| (r, How::Text))
        } else {
            None
        };
        if found.is_none() && needle.chars().count() > 24 {
            let prefix: String = needle.chars().take(16).collect();
            found = stream.find(&prefix, from, &taken).map(|r| (r, How::Prefix));
        }
        match found {
            Some((range, how)) => {
                // Detection evidence repeats what a field holds: it may
                // share characters, not take them.
                if f.kind != FieldKind::Detection {
                    taken.insert(range);
                }
                let spans = stream.spans(range);
                let raw = raw_text(ir, &spans);
                placed.push((
                    Placed {
                        path: f.path,
                        kind: f.kind,
                        at: f.at,
                        spans,
                        value: f.value,
                        raw,
                    },
                    how,
                ));
            }
            None if f.own_at => placed.push((
                Placed {
                    path: f.path,
                    kind: f.kind,
                    at: f.at,
                    spans: Vec::new(),
                    value: f.value,
                    raw: f.text,
                },
                How::Item,
            )),
            None => missing.push(f),
        }
    }
    (placed, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Cell, Row, RowKind};

    fn ir() -> Ir {
        let row = |line: u32, cells: &[&str]| Row {
            kind: RowKind::Table,
            cells: cells
                .iter()
                .enumerate()
                .map(|(i, t)| Cell::new(t.to_string(), i as u32, Location::line(line)))
                .collect(),
            at: Location::line(line),
        };
        Ir {
            rows: vec![
                row(1, &["【1-1-1 見守り】", "(３２，５５０千円)"]),
                row(2, &["【1-1-2 防災】", "(32,550千円)"]),
            ],
            ..Ir::default()
        }
    }

    fn field(path: &str, text: &str, line: u32) -> Field {
        Field {
            path: path.into(),
            kind: FieldKind::Money,
            value: String::new(),
            text: text.into(),
            at: Location::line(line),
            own_at: false,
        }
    }

    #[test]
    fn finds_a_value_after_its_item_folded_and_each_place_once() {
        let (placed, missing) = place(
            &ir(),
            vec![
                field("a", "32,550千円", 2),
                field("b", "32,550千円", 1),
                field("c", "32,550千円", 1),
            ],
        );
        assert!(missing.is_empty());
        let got: Vec<(usize, usize, &str)> = placed
            .iter()
            .map(|(p, _)| (p.spans[0].row, p.spans[0].cell, p.raw.as_str()))
            .collect();
        // After line 2 for `a`; line 1's full-width figure for `b`; `c`
        // finds both taken and shares the nearest after line 1.
        assert_eq!(
            got,
            vec![
                (1, 1, "32,550千円"),
                (0, 1, "３２，５５０千円"),
                (0, 1, "３２，５５０千円")
            ]
        );
    }

    #[test]
    fn a_title_not_found_keeps_its_items_location() {
        let mut f = field("t", "見つからない題", 1);
        f.own_at = true;
        let (placed, missing) = place(&ir(), vec![f, field("x", "ない", 2)]);
        assert_eq!(placed.len(), 1);
        assert_eq!(placed[0].1, How::Item);
        assert!(placed[0].0.spans.is_empty());
        assert_eq!(missing.len(), 1);
    }
}
