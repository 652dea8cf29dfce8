//! Where each value of a Document was read: the recogniser's placement map
//! (`map.rs`), and for a value the map holds no characters of — a
//! struck-out revision (its text is not in the cells), an id only its
//! item's place implies — its own location in the model. A value found in
//! neither is listed as not found: never drawn somewhere guessed.

use super::placed::{Field, Placed};
use crate::ir::Ir;
use crate::model::Document;

/// How a value's place was found (shown with the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// The recogniser's placement map: the characters it put in the field.
    Map,
    /// The value's own location in the model (no characters of it are in
    /// the cells: a struck-out run, an implied id).
    Item,
    /// Inside the characters the map gives a value of the same item that
    /// holds it (a threshold inside its criterion's sentence).
    Within,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Map => "the recogniser's placement map",
            How::Item => "its location in the model",
            How::Within => "inside the text of a value of its item that holds it",
        }
    }
}

/// The comparable form of one character: folded as the normaliser folds
/// (full-width ASCII, hyphens, tildes), `None` for white space.
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

/// The text of spans as printed (spans in different cells on lines of their own).
pub fn raw_text(ir: &Ir, spans: &[super::placed::IrSpan]) -> String {
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

/// Every value, label and piece of unplaced text of a Document and where
/// it was read; the model's values found nowhere apart.
pub fn place(ir: &Ir, doc: &Document) -> (Vec<(Placed, How)>, Vec<Field>) {
    let map = crate::recognize::placements(ir, doc);
    let (mut placed, missing) = super::map::place(ir, doc, &map);
    let mut still = Vec::new();
    for f in missing {
        if let Some(spans) = within(ir, &placed, &f) {
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
                How::Within,
            ));
        } else if f.own_at {
            placed.push((
                Placed {
                    path: f.path,
                    kind: f.kind,
                    at: f.at,
                    spans: Vec::new(),
                    value: f.value,
                    raw: f.text,
                },
                How::Item,
            ));
        } else {
            still.push(f);
        }
    }
    (placed, still)
}

/// The item a path's value belongs to: the path up to its last keyed or
/// indexed list element (`…/rebuild_criteria/0` for
/// `…/rebuild_criteria/0/threshold`).
fn element(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(e, _)| e)
}

/// A value the map gave no characters of, found inside the characters of
/// another value of the same item (the map gives each character to one
/// field; a threshold is printed inside its criterion's sentence).
fn within(ir: &Ir, placed: &[(Placed, How)], f: &Field) -> Option<Vec<super::placed::IrSpan>> {
    let item = element(&f.path);
    if item.is_empty() {
        return None;
    }
    let needle: Vec<char> = f.text.chars().filter_map(fold).collect();
    if needle.is_empty() {
        return None;
    }
    let prefix = format!("{item}/");
    for (p, _) in placed.iter().filter(|(p, _)| p.path.starts_with(&prefix)) {
        for s in &p.spans {
            let Some(text) = ir
                .rows
                .get(s.row)
                .and_then(|r| r.cells.get(s.cell))
                .and_then(|c| c.text.get(s.start..s.end))
            else {
                continue;
            };
            let chars: Vec<(usize, char)> = text
                .char_indices()
                .filter_map(|(b, c)| fold(c).map(|f| (b, f)))
                .collect();
            let hit = chars
                .windows(needle.len())
                .position(|w| w.iter().map(|x| x.1).eq(needle.iter().copied()));
            if let Some(k) = hit {
                let first = chars[k].0;
                let (lb, lc) = chars[k + needle.len() - 1];
                return Some(vec![super::placed::IrSpan {
                    row: s.row,
                    cell: s.cell,
                    start: s.start + first,
                    end: s.start + lb + lc.len_utf8(),
                }]);
            }
        }
    }
    None
}
