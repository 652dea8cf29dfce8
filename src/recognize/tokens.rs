//! From the intermediate form to a stream of tokens: labels and the text
//! between them, each with its row, column and provenance.
//!
//! Every cell item (or line) is normalised, repaired where a struck-out
//! value was fused with its successor, and cut at the labels it holds:
//! `- 円 3予算額` is text `- 円` then the label `3予算額`.
//!
//! Lines of running text (a PDF's text) may split a label across two lines
//! (`戦略のアウトカム指標に対` / `する有効性`): such lines are joined before
//! they are cut.

use super::labels::{Catalogue, Label};
use crate::ir::RawRevision as Revision;
use crate::ir::{Ir, RowKind};
use crate::model::{Evidence, Location};
use crate::normalize;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq)]
pub enum What {
    Label(Label),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Tok {
    pub what: What,
    /// Index of the segment (cell item or logical line) the token is in.
    pub seg: usize,
    /// Index of the IR row.
    pub row: usize,
    pub col: u32,
    pub at: Location,
    /// From running text (a line), not a table cell.
    pub line: bool,
    /// A blank line stands before this token's line.
    pub blank_before: bool,
    /// The first token of its segment.
    pub seg_start: bool,
}

impl Tok {
    pub fn label(&self) -> Option<&Label> {
        match &self.what {
            What::Label(l) => Some(l),
            What::Text(_) => None,
        }
    }
}

/// One cell item or logical line, normalised.
#[derive(Debug, Clone)]
pub struct Segment {
    pub text: String,
    pub row: usize,
    pub col: u32,
    pub at: Location,
    pub line: bool,
    pub blank_before: bool,
}

/// The segments of a document: each table cell's items, each logical line.
/// Repairs fused values on the way and records them as revisions.
pub fn segments(ir: &Ir, cat: &Catalogue, revisions: &mut Vec<Revision>) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut blank = false;
    let mut lines: Vec<Segment> = Vec::new();
    for (ri, row) in ir.rows.iter().enumerate() {
        match row.kind {
            RowKind::Line => {
                if row.is_blank() {
                    flush_lines(&mut lines, cat, &mut out);
                    blank = true;
                    continue;
                }
                for cell in &row.cells {
                    let text = prepare(&cell.text, &cell.at, revisions);
                    lines.push(Segment {
                        text,
                        row: ri,
                        col: cell.col,
                        at: cell.at.clone(),
                        line: true,
                        blank_before: blank,
                    });
                    blank = false;
                }
            }
            RowKind::Table | RowKind::Heading(_) => {
                flush_lines(&mut lines, cat, &mut out);
                if row.is_blank() {
                    blank = true;
                    continue;
                }
                for cell in &row.cells {
                    let raw_items: Vec<String> = if cell.wrapped {
                        normalize::join_wrapped(cell.text.split('\n'))
                    } else {
                        cell.text.split('\n').map(str::to_string).collect()
                    };
                    for item in raw_items {
                        let text = prepare(&item, &cell.at, revisions);
                        if text.is_empty() {
                            continue;
                        }
                        out.push(Segment {
                            text,
                            row: ri,
                            col: cell.col,
                            at: cell.at.clone(),
                            line: false,
                            blank_before: blank,
                        });
                        blank = false;
                    }
                }
            }
        }
    }
    flush_lines(&mut lines, cat, &mut out);
    out
}

/// Join runs of lines where a label crosses the line end, then emit them.
fn flush_lines(lines: &mut Vec<Segment>, cat: &Catalogue, out: &mut Vec<Segment>) {
    let mut i = 0;
    while i < lines.len() {
        let mut cur = lines[i].clone();
        let mut j = i + 1;
        // At most three lines make one label.
        while j < lines.len() && j - i < 3 {
            let joined = format!("{}{}", cur.text, lines[j].text);
            let cut = cur.text.len();
            let crosses = cat.find(&joined).iter().any(|f| f.start < cut && f.end > cut);
            if !crosses {
                break;
            }
            cur.text = joined;
            j += 1;
        }
        out.push(cur);
        i = j;
    }
    lines.clear();
}

/// Normalise one item's text, after splitting values fused with their
/// struck-out predecessors.
fn prepare(raw: &str, at: &Location, revisions: &mut Vec<Revision>) -> String {
    let raw = split_width_fusion(raw, at, revisions);
    let text = normalize::clean(&raw);
    let text = split_calendar_fusion(&text, at, revisions);
    split_grouping_fusion(&text, at, revisions)
}

static FUSED_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<pre>^|[^0-9,.])(?P<n>[0-9]{3,4})月").expect("month regex"));

/// `912月` (a struck-out month run into the new one, both half-width) →
/// `12月`, recording 9月 → 12月 with evidence `calendar`: there is no
/// 912th month, and of the splits only 9 | 12 gives two months.
fn split_calendar_fusion(text: &str, at: &Location, revisions: &mut Vec<Revision>) -> String {
    if !FUSED_MONTH.is_match(text) {
        return text.to_string();
    }
    let month = |s: &str| !s.starts_with('0') && s.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m));
    let mut pairs = Vec::new();
    let out = FUSED_MONTH
        .replace_all(text, |c: &regex::Captures| {
            let pre = c.name("pre").map_or("", |m| m.as_str());
            let n = c.name("n").map_or("", |m| m.as_str());
            let splits: Vec<(&str, &str)> = (1..n.len())
                .map(|i| n.split_at(i))
                .filter(|(a, b)| month(a) && month(b))
                .collect();
            match splits.as_slice() {
                [(old, new)] => {
                    pairs.push((format!("{old}月"), format!("{new}月")));
                    format!("{pre}{new}月")
                }
                _ => c.get(0).map_or(String::new(), |m| m.as_str().to_string()),
            }
        })
        .into_owned();
    for (before, after) in pairs {
        revisions.push(Revision {
            before,
            after,
            at: at.clone(),
            evidence: Evidence::Calendar,
            context: Some(out.clone()),
        });
    }
    out
}

static FUSED_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9][0-9,]*[0-9](?P<unit>\s*(?:千円|千|万円|円))?").expect("fused regex"));

/// `32,26832,550千円` → `32,550千円`, recording 32,268千円 → 32,550千円
/// with evidence `digit_grouping`.
fn split_grouping_fusion(text: &str, at: &Location, revisions: &mut Vec<Revision>) -> String {
    if !text.contains(',') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut pairs = Vec::new();
    for caps in FUSED_NUMBER.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        let unit = caps.name("unit").map_or("", |u| u.as_str().trim());
        let number = &m.as_str()[..m.as_str().len() - caps.name("unit").map_or(0, |u| u.as_str().len())];
        if let Some((before, after)) = normalize::split_fused_grouping(number) {
            out.push_str(&text[last..m.start()]);
            out.push_str(&after);
            out.push_str(caps.name("unit").map_or("", |u| u.as_str()));
            last = m.end();
            pairs.push((format!("{before}{unit}"), format!("{after}{unit}")));
        }
    }
    out.push_str(&text[last..]);
    for (before, after) in pairs {
        revisions.push(Revision {
            before,
            after,
            at: at.clone(),
            evidence: Evidence::DigitGrouping,
            context: Some(out.clone()),
        });
    }
    out
}

static WIDTH_FUSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<old>[０-９]+)(?P<new>[0-9]+)(?P<unit>月|日|件|回|年度)?").expect("width regex"));

/// `９12月` (a full-width figure fused with a half-width one, as a PDF's
/// struck-out old value and its new value come out as text) →
/// `12月`, recording 9月 → 12月 with evidence `layout`.
fn split_width_fusion(raw: &str, at: &Location, revisions: &mut Vec<Revision>) -> String {
    if !WIDTH_FUSION.is_match(raw) {
        return raw.to_string();
    }
    let mut pairs = Vec::new();
    let out = WIDTH_FUSION
        .replace_all(raw, |c: &regex::Captures| {
            let unit = c.name("unit").map_or("", |u| u.as_str());
            let old = normalize::text(c.name("old").map_or("", |m| m.as_str()));
            let new = c.name("new").map_or("", |m| m.as_str());
            pairs.push((format!("{old}{unit}"), format!("{new}{unit}")));
            format!("{new}{unit}")
        })
        .into_owned();
    let context = normalize::clean(&out);
    for (before, after) in pairs {
        revisions.push(Revision {
            before,
            after,
            at: at.clone(),
            evidence: Evidence::Layout,
            context: Some(context.clone()),
        });
    }
    out
}

/// A table row: its cells' items, by column.
pub struct TableRow {
    pub at: Location,
    pub cells: Vec<(u32, Vec<String>)>,
}

/// Segments grouped back into table rows and cells (for the grammars that
/// read whole rows: the review digest, the older report).
pub fn table_rows(segs: &[Segment]) -> Vec<TableRow> {
    let mut out: Vec<TableRow> = Vec::new();
    let mut last_row = usize::MAX;
    for s in segs {
        if s.row != last_row {
            out.push(TableRow {
                at: s.at.clone(),
                cells: Vec::new(),
            });
            last_row = s.row;
        }
        let Some(r) = out.last_mut() else { continue };
        match r.cells.last_mut() {
            Some((col, items)) if *col == s.col => items.push(s.text.clone()),
            _ => r.cells.push((s.col, vec![s.text.clone()])),
        }
    }
    out
}

/// Cut every segment at its labels.
pub fn tokenize(segs: &[Segment], cat: &Catalogue) -> Vec<Tok> {
    let mut out = Vec::new();
    for (si, s) in segs.iter().enumerate() {
        let mut first = true;
        let mut push = |what: What, out: &mut Vec<Tok>| {
            out.push(Tok {
                what,
                seg: si,
                row: s.row,
                col: s.col,
                at: s.at.clone(),
                line: s.line,
                blank_before: s.blank_before,
                seg_start: first,
            });
            first = false;
        };
        let mut last = 0;
        for f in cat.find(&s.text) {
            let before = s.text[last..f.start].trim();
            if !before.is_empty() {
                push(What::Text(before.to_string()), &mut out);
            }
            push(What::Label(f.label), &mut out);
            last = f.end;
        }
        let rest = s.text[last..].trim();
        if !rest.is_empty() {
            push(What::Text(rest.to_string()), &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::labels::PLAN_LABELS;

    #[test]
    fn fused_amounts_are_split_by_grouping() {
        let mut rv = Vec::new();
        let t = prepare("（32,26832,550千円）", &Location::line(80), &mut rv);
        assert_eq!(t, "(32,550千円)");
        assert_eq!(rv.len(), 1);
        assert_eq!(
            (rv[0].before.as_str(), rv[0].after.as_str()),
            ("32,268千円", "32,550千円")
        );
        assert_eq!(rv[0].evidence, Evidence::DigitGrouping);
        let t = prepare("連携を強化する。（6,1666,227千円）", &Location::line(7), &mut rv);
        assert_eq!(t, "連携を強化する。(6,227千円)");
        assert_eq!(
            (rv[1].before.as_str(), rv[1].after.as_str()),
            ("6,166千円", "6,227千円")
        );
    }

    #[test]
    fn width_fusion_is_a_layout_revision() {
        let mut rv = Vec::new();
        let t = prepare("３年度（９12月末時点）", &Location::line(1), &mut rv);
        assert_eq!(t, "3年度(12月末時点)");
        assert_eq!(
            (rv[0].before.as_str(), rv[0].after.as_str(), rv[0].evidence),
            ("9月", "12月", Evidence::Layout)
        );
    }

    #[test]
    fn a_month_that_cannot_be_is_a_calendar_revision() {
        let mut rv = Vec::new();
        let t = prepare("< 3年度（912月末時点） >", &Location::line(522), &mut rv);
        assert_eq!(t, "< 3年度(12月末時点) >");
        assert_eq!(
            (rv[0].before.as_str(), rv[0].after.as_str(), rv[0].evidence),
            ("9月", "12月", Evidence::Calendar)
        );
        // 112月: 1 | 12 and 11 | 2 are both months: left as printed.
        assert_eq!(prepare("112月", &Location::line(1), &mut rv), "112月");
        assert_eq!(rv.len(), 1);
    }

    #[test]
    fn plain_numbers_are_left_alone() {
        let mut rv = Vec::new();
        assert_eq!(prepare("12,411千円", &Location::line(1), &mut rv), "12,411千円");
        assert_eq!(prepare("1419件", &Location::line(1), &mut rv), "1419件");
        assert!(rv.is_empty());
    }

    #[test]
    fn a_label_split_across_lines_is_joined() {
        let ir = crate::readers::text::read(
            "戦略のアウトカム指標に対\nする有効性\n\nア：有効であり\n".as_bytes(),
            &crate::limits::Limits::default(),
        )
        .unwrap();
        let mut rv = Vec::new();
        let segs = segments(&ir, &PLAN_LABELS, &mut rv);
        assert_eq!(segs[0].text, "戦略のアウトカム指標に対する有効性");
        assert_eq!(segs.len(), 2);
    }

    #[test]
    fn cells_are_cut_at_their_labels() {
        let seg = Segment {
            text: normalize::clean("- 円 3予算額"),
            row: 0,
            col: 3,
            at: Location::line(1),
            line: false,
            blank_before: false,
        };
        let toks = tokenize(&[seg], &PLAN_LABELS);
        assert_eq!(toks.len(), 2);
        assert_eq!(toks[0].what, What::Text("- 円".into()));
        assert!(matches!(toks[1].label(), Some(Label::Budget { n: 3, .. })));
    }
}
