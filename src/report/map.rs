//! The report's values from the recogniser's placement map
//! (`recognize::placements`): every character of the release is a field's
//! (by model path), a label's, noise, or unplaced — the same map the
//! recogniser counted `coverage` and `unplaced` from, so the report shows
//! exactly what the model accounts for.
//!
//! The map counts characters of each cell's *normalised* text
//! (`normalize::text`); a report marks the text as printed, so each range
//! is taken back to the cell's own bytes (`raw_offsets`).

use super::locate::How;
use super::placed::{Field, FieldKind, IrSpan, Placed};
use crate::ir::Ir;
use crate::model::{Document, Location};
use crate::recognize::placement::{Class, Placements};
use std::collections::{BTreeMap, HashMap};

/// For each character of `norm` (a cell's normalised text): its byte
/// offset there, and the byte range of the character(s) of `raw` it came
/// from. The normaliser maps characters one to one, but for a half-width
/// katakana and its voicing mark, which become one.
pub fn raw_offsets(raw: &str, norm: &str) -> Vec<(usize, usize, usize)> {
    let r: Vec<(usize, char)> = raw.char_indices().collect();
    let n: Vec<(usize, char)> = norm.char_indices().collect();
    let end = |i: usize| r.get(i).map_or(raw.len(), |x| x.0);
    let mut out = Vec::with_capacity(n.len());
    if r.len() == n.len() {
        for (k, &(nb, _)) in n.iter().enumerate() {
            out.push((nb, r[k].0, end(k + 1)));
        }
        return out;
    }
    let mut i = 0;
    for &(nb, c) in &n {
        if i >= r.len() {
            break;
        }
        // Two raw characters that normalise to this one.
        let two = r.get(i + 1).is_some_and(|&(b1, _)| {
            let pair = &raw[r[i].0..end(i + 2).max(b1)];
            let single = crate::normalize::text(&raw[r[i].0..b1]);
            let joined = crate::normalize::text(pair);
            joined.chars().count() == 1 && joined.starts_with(c) && !single.starts_with(c)
        });
        let take = if two { 2 } else { 1 };
        out.push((nb, r[i].0, end(i + take)));
        i += take;
    }
    out
}

/// Where a map path is shown: a money's or quantity's `…/text` as the
/// money or quantity, a revision's side as the revision, a detection's
/// evidence as the detection note.
fn shown_path(p: &str, fields: &HashMap<&str, &Field>) -> String {
    if let Some(parent) = p.strip_suffix("/text")
        && fields
            .get(parent)
            .is_some_and(|f| matches!(f.kind, FieldKind::Money | FieldKind::Quantity))
    {
        return parent.to_string();
    }
    if p.starts_with("revisions/") {
        return p.split('/').take(2).collect::<Vec<_>>().join("/");
    }
    if let Some(d) = p.strip_prefix("detection/").and_then(|r| r.strip_suffix("/evidence")) {
        return format!("detection/{d}");
    }
    p.to_string()
}

/// A map path's kind where the model's walk has no field of that path (a
/// year heading, a number).
fn kind_of_path(p: &str) -> FieldKind {
    match p.rsplit('/').next().unwrap_or("") {
        "fiscal_year" => FieldKind::Year,
        "id" | "number" => FieldKind::Name,
        last => super::placed::text_kind(last),
    }
}

/// Runs of one class in one unit, in order: (class, unit, start, end).
fn runs(map: &Placements) -> Vec<(&Class, usize, usize, usize)> {
    let mut out: Vec<(&Class, usize, usize, usize)> = Vec::new();
    for s in &map.spans {
        match out.last_mut() {
            Some(l) if l.0 == &s.class && l.1 == s.unit && l.3 <= s.start => l.3 = s.end,
            _ => out.push((&s.class, s.unit, s.start, s.end)),
        }
    }
    out
}

/// Values, labels and unplaced text from the map; the model's fields it
/// places nowhere are returned apart.
pub fn place(ir: &Ir, doc: &Document, map: &Placements) -> (Vec<(Placed, How)>, Vec<Field>) {
    let all = super::placed::fields(doc);
    let by_path: HashMap<&str, &Field> = all.iter().map(|f| (f.path.as_str(), f)).collect();
    let offsets: Vec<Vec<(usize, usize, usize)>> = map
        .units
        .iter()
        .map(|u| {
            let raw = ir
                .rows
                .get(u.row)
                .and_then(|r| r.cells.get(u.cell))
                .map_or("", |c| c.text.as_str());
            raw_offsets(raw, &u.text)
        })
        .collect();
    // A unit's byte range → the cell's raw bytes.
    let span = |unit: usize, a: usize, b: usize| -> Option<IrSpan> {
        let u = map.units.get(unit)?;
        let o = offsets.get(unit)?;
        let first = o.iter().find(|x| x.0 >= a && x.0 < b)?;
        let last = o.iter().rev().find(|x| x.0 >= a && x.0 < b)?;
        Some(IrSpan {
            row: u.row,
            cell: u.cell,
            start: first.1,
            end: last.2,
        })
    };
    let at_of = |unit: usize| map.units.get(unit).map(|u| u.at.clone()).unwrap_or_default();

    // Values: every run of a field, gathered by the path it is shown at.
    let mut values: BTreeMap<usize, (String, Vec<IrSpan>, Location)> = BTreeMap::new();
    let mut order: HashMap<String, usize> = HashMap::new();
    let mut labels: Vec<(IrSpan, Location)> = Vec::new();
    let mut unplaced: Vec<(IrSpan, Location)> = Vec::new();
    for (class, unit, a, b) in runs(map) {
        let Some(s) = span(unit, a, b) else { continue };
        match class {
            Class::Field(p) => {
                let shown = shown_path(p, &by_path);
                let next = order.len();
                let k = *order.entry(shown.clone()).or_insert(next);
                values
                    .entry(k)
                    .or_insert_with(|| (shown, Vec::new(), at_of(unit)))
                    .1
                    .push(s);
            }
            Class::Label | Class::LabelFragment | Class::Markup => labels.push((s, at_of(unit))),
            Class::Unplaced => unplaced.push((s, at_of(unit))),
            Class::Noise => {}
        }
    }
    let mut out: Vec<(Placed, How)> = Vec::new();
    for (_, (path, spans, at)) in values {
        let raw = super::locate::raw_text(ir, &spans);
        let (kind, value) = match by_path.get(path.as_str()) {
            Some(f) => (f.kind, f.value.clone()),
            None => (
                kind_of_path(&path),
                serde_json::to_string_pretty(&raw).unwrap_or_default(),
            ),
        };
        out.push((
            Placed {
                path,
                kind,
                at,
                spans,
                value,
                raw,
            },
            How::Map,
        ));
    }
    // Unplaced pieces, each named by the Document's `unplaced` entry that
    // holds its text (the map's pieces are the entries' parts).
    let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let entries: Vec<(usize, String, &Location)> = doc
        .unplaced
        .iter()
        .enumerate()
        .map(|(i, u)| (i, squeeze(&crate::normalize::text(&u.text)), &u.at))
        .collect();
    for (s, at) in unplaced {
        let raw = super::locate::raw_text(ir, std::slice::from_ref(&s));
        let text = squeeze(&crate::normalize::text(&raw));
        let entry = entries
            .iter()
            .find(|(_, t, a)| *a == &at && t.contains(&text))
            .or_else(|| entries.iter().find(|(_, t, _)| t.contains(&text)));
        let (path, value) = match entry.and_then(|(i, _, _)| doc.unplaced.get(*i).map(|u| (i, u))) {
            Some((i, u)) => (
                format!("unplaced/{i}"),
                serde_json::to_string_pretty(u).unwrap_or_default(),
            ),
            None => (
                "unplaced".to_string(),
                serde_json::to_string_pretty(&raw).unwrap_or_default(),
            ),
        };
        out.push((
            Placed {
                path,
                kind: FieldKind::Unplaced,
                at,
                spans: vec![s],
                value,
                raw,
            },
            How::Map,
        ));
    }
    for (s, at) in labels {
        let raw = super::locate::raw_text(ir, std::slice::from_ref(&s));
        out.push((
            Placed {
                path: "(a label of the form)".to_string(),
                kind: FieldKind::Label,
                at,
                spans: vec![s],
                value: String::new(),
                raw,
            },
            How::Map,
        ));
    }
    let placed: std::collections::HashSet<&str> = out.iter().map(|(p, _)| p.path.as_str()).collect();
    let missing: Vec<Field> = all
        .iter()
        // Ids are not printed text to the map (they are read from the
        // forms' headings, or implied): one it does not place is no loss.
        .filter(|f| !placed.contains(f.path.as_str()) && f.kind != FieldKind::Unplaced && !f.path.ends_with("/id"))
        .cloned()
        .collect();
    (out, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_offsets_go_back_to_the_printed_bytes() {
        let raw = "（３２，５５０千円）";
        let norm = crate::normalize::text(raw);
        let o = raw_offsets(raw, &norm);
        assert_eq!(o.len(), norm.chars().count());
        // `3` of the normalised text is the full-width `３` of the raw.
        let (_, a, b) = o[1];
        assert_eq!(&raw[a..b], "３");
        // Half-width katakana with a voicing mark: two raw characters, one normalised.
        let raw = "ｶﾞｲﾄﾞ";
        let norm = crate::normalize::text(raw);
        assert_eq!(norm, "ガイド");
        let o = raw_offsets(raw, &norm);
        let pieces: Vec<&str> = o.iter().map(|&(_, a, b)| &raw[a..b]).collect();
        assert_eq!(pieces, vec!["ｶﾞ", "ｲ", "ﾄﾞ"]);
    }
}
