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
use super::matcher;
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
/// Repairs fused values on the way and records them as revisions. For the
/// grammars that read labels (`labels` given), a cell printed one line per
/// row is put back together, and a label split over fragments (lines, a
/// cell's items, the next cell, the same column of the next row) is one
/// label again; the grammars that read rows get the rows as printed.
pub fn segments(ir: &Ir, labels: Option<&Catalogue>, revisions: &mut Vec<Revision>) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut blank = false;
    for (ri, row) in ir.rows.iter().enumerate() {
        if row.is_blank() {
            blank = true;
            continue;
        }
        match row.kind {
            RowKind::Line => {
                for cell in &row.cells {
                    let text = prepare(&cell.text, &cell.at, revisions);
                    out.push(Segment {
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
    let Some(cat) = labels else { return out };
    let widths = column_widths(&out);
    join_fragments(merge_wrapped_rows(out, &widths, cat), cat)
}

/// Whether a text ends a sentence (`。`, `！`, `？`, also before a closing
/// quote or bracket).
fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches(['」', '』', ')', '）']);
    t.ends_with(['。', '．', '！', '？', '!', '?'])
}

/// Whether a row's text starts an item: a bullet or mark (・, ①, 【…),
/// or a number in brackets standing alone (`(2)`, not `(2年度)`).
fn starts_item(text: &str) -> bool {
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[(（][0-9０-９]{1,2}[)）]").expect("re"));
    let t = text.trim_start();
    if t.starts_with(['(', '（']) {
        return NUMBERED.is_match(t);
    }
    normalize::join::starts_item(t)
}

/// Two printed lines of one cell, as the cell held them: a hard cut at the
/// column's width took no space away, except between two Latin words.
fn join_row_lines(a: &str, b: &str) -> String {
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    let mut s = String::with_capacity(a.len() + b.len() + 1);
    s.push_str(a.trim_end());
    if latin(a.trim_end().chars().next_back()) && latin(b.trim_start().chars().next()) {
        s.push(' ');
    }
    s.push_str(b.trim_start());
    s
}

/// A sheet laid out one printed line per row: a row's text in a column
/// that fills the column's width without ending a sentence is continued
/// by the next row's text in that column, unless that starts an item
/// (・, ①, (1), 【…) or a label — the cell's text, put back together, is
/// one segment (so items are segmented by what the text says, not by
/// rows). A printed line never starts with `・` as a middle dot (line
/// breaking rules keep it on the line before), so a row starting with one
/// starts an item.
fn merge_wrapped_rows(
    segs: Vec<Segment>,
    widths: &std::collections::HashMap<u32, usize>,
    cat: &Catalogue,
) -> Vec<Segment> {
    let n = segs.len();
    // The fragment each one continues into, if any.
    let mut next: Vec<Option<usize>> = vec![None; n];
    let mut is_continuation = vec![false; n];
    // The columns each row has text in: a row continuing the rows above
    // only continues their columns (a new table row shows up as a column
    // the row above left empty: a value beside a new description).
    let mut cols: std::collections::HashMap<usize, Vec<u32>> = std::collections::HashMap::new();
    for s in segs.iter().filter(|s| !s.line) {
        let c = cols.entry(s.row).or_default();
        if !c.contains(&s.col) {
            c.push(s.col);
        }
    }
    let within = |below: usize, above: usize| {
        let (b, a) = (cols.get(&below), cols.get(&above));
        b.is_some_and(|b| b.iter().all(|c| a.is_some_and(|a| a.contains(c))))
    };
    for k in 0..n {
        let s = &segs[k];
        if !fills(s, widths) || ends_sentence(&s.text) {
            continue;
        }
        // The first fragment of the same column in the next row (and no
        // other fragment of this cell after it in this row).
        if segs.get(k + 1).is_some_and(|t| t.row == s.row && t.col == s.col) {
            continue;
        }
        let below = (k + 1..n)
            .take_while(|&j| segs[j].row <= s.row + 1)
            .find(|&j| !segs[j].line && segs[j].row == s.row + 1 && segs[j].col == s.col);
        // A row that starts with a label (a section label in the first
        // column, a field's label) starts something else.
        // (A label may itself be wrapped: look one row further too.)
        let starts_label = |j: usize| {
            let further = (j + 1..n)
                .take_while(|&i| segs[i].row <= segs[j].row + 1)
                .find(|&i| !segs[i].line && segs[i].row == segs[j].row + 1 && segs[i].col == segs[j].col);
            let text = match further {
                Some(i) => format!("{}{}", segs[j].text, segs[i].text),
                None => segs[j].text.clone(),
            };
            cat.find(&text).first().is_some_and(|f| f.start == 0)
        };
        if let Some(j) = below.filter(|&j| {
            !segs[j].blank_before && within(segs[j].row, s.row) && !starts_item(&segs[j].text) && !starts_label(j)
        }) {
            next[k] = Some(j);
            is_continuation[j] = true;
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut slots: Vec<Option<Segment>> = segs.into_iter().map(Some).collect();
    for k in 0..n {
        if is_continuation[k] {
            continue;
        }
        let Some(mut cur) = slots[k].take() else { continue };
        let mut at = k;
        while let Some(j) = next[at] {
            if let Some(more) = slots[j].take() {
                cur.text = join_row_lines(&cur.text, &more.text);
            }
            at = j;
        }
        out.push(cur);
    }
    out
}

/// The printed width of each column laid out one printed line per row:
/// its widest table fragment, in characters — where the column shows that
/// layout, many of its fragments (three at least, a quarter of them) filling
/// that width to within three characters (a line may hang a closing mark,
/// or push a character to the next line). A column of whole paragraphs,
/// one to a row, has none.
fn column_widths(segs: &[Segment]) -> std::collections::HashMap<u32, usize> {
    let mut cols: std::collections::HashMap<u32, Vec<usize>> = std::collections::HashMap::new();
    for s in segs.iter().filter(|s| !s.line) {
        cols.entry(s.col).or_default().push(s.text.chars().count());
    }
    cols.into_iter()
        .filter_map(|(col, ws)| {
            let w = ws.iter().copied().max()?;
            let full = ws.iter().filter(|&&x| x + 3 >= w).count();
            (w >= 6 && full >= 3 && full * 4 >= ws.len()).then_some((col, w))
        })
        .collect()
}

/// Whether a table fragment fills its column's printed width (see
/// [`column_widths`]).
fn fills(s: &Segment, widths: &std::collections::HashMap<u32, usize>) -> bool {
    widths
        .get(&s.col)
        .is_some_and(|&w| !s.line && s.text.chars().count() + 3 >= w)
}

/// The fragments a label starting in fragment `k` may continue into, in
/// the order they are tried: the next line of running text; the next item
/// of the same cell or the next cell of the row; the same column of the
/// next row.
fn successors(segs: &[Segment], gone: &[bool], k: usize) -> Vec<usize> {
    let s = &segs[k];
    let mut out = Vec::new();
    let next = (k + 1..segs.len()).find(|&j| !gone[j]);
    if s.line {
        if let Some(j) = next.filter(|&j| segs[j].line && !segs[j].blank_before) {
            out.push(j);
        }
        return out;
    }
    if let Some(j) = next.filter(|&j| !segs[j].line && segs[j].row == s.row) {
        out.push(j);
    }
    let below = (k + 1..segs.len())
        .take_while(|&j| segs[j].row <= s.row + 1)
        .find(|&j| !gone[j] && !segs[j].line && segs[j].row == s.row + 1 && segs[j].col == s.col);
    if let Some(j) = below.filter(|j| !out.contains(j)) {
        out.push(j);
    }
    out
}

/// Join fragments where a label crosses from one into the next (at most
/// three fragments make one label).
fn join_fragments(segs: Vec<Segment>, cat: &Catalogue) -> Vec<Segment> {
    let mut gone = vec![false; segs.len()];
    let mut out = Vec::with_capacity(segs.len());
    for i in 0..segs.len() {
        if gone[i] {
            continue;
        }
        let mut cur = segs[i].clone();
        let mut last = i;
        for _ in 0..2 {
            let found = successors(&segs, &gone, last).into_iter().find(|&j| {
                let other_cell = !segs[j].line && segs[j].row == segs[last].row && segs[j].col != segs[last].col;
                if other_cell {
                    matcher::crosses_cells(cat, &cur.text, &segs[j].text)
                } else {
                    matcher::crosses(cat, &cur.text, &segs[j].text)
                }
            });
            let Some(j) = found else { break };
            cur.text.push_str(&segs[j].text);
            gone[j] = true;
            last = j;
        }
        out.push(cur);
    }
    out
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
        let segs = segments(&ir, Some(&PLAN_LABELS), &mut rv);
        assert_eq!(segs[0].text, "戦略のアウトカム指標に対する有効性");
        assert_eq!(segs.len(), 2);
    }

    fn table(rows: &[&[&str]]) -> Ir {
        let text: Vec<String> = rows.iter().map(|r| r.join("\t")).collect();
        crate::readers::text::read((text.join("\n") + "\n").as_bytes(), &crate::limits::Limits::default()).unwrap()
    }

    #[test]
    fn a_sheet_of_one_printed_line_per_row_is_read_as_its_cells() {
        // Column 1 wraps at 12 characters; column 0 holds labels.
        let ir = table(&[
            &["当年度の取組内容", "地域の課題やニーズに対応した"],
            &["", "活動の実施に向けた支援を行う。"],
            &["", "・オンライン活用への支援を充実"],
            &["", "し、情報発信を強化していく。"],
            &["前年度までの実績", "3年度 ・説明会を開催(7月)"],
        ]);
        let mut rv = Vec::new();
        let segs = segments(&ir, Some(&PLAN_LABELS), &mut rv);
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "当年度の取組内容",
                "地域の課題やニーズに対応した活動の実施に向けた支援を行う。",
                "・オンライン活用への支援を充実し、情報発信を強化していく。",
                "前年度までの実績",
                "3年度 ・説明会を開催(7月)"
            ]
        );
    }

    #[test]
    fn paragraphs_one_to_a_row_are_not_joined() {
        // Whole paragraphs of uneven length: no printed width to wrap at.
        let ir = table(&[
            &["当年度の取組内容", "地域の課題やニーズに対応した活動の実施に向けた支援"],
            &["", "オンライン活用への支援"],
            &["", "区ホームページ等を活用した情報の発信"],
        ]);
        let mut rv = Vec::new();
        let segs = segments(&ir, Some(&PLAN_LABELS), &mut rv);
        assert_eq!(segs.len(), 4);
    }

    #[test]
    fn a_label_wrapped_into_the_next_row_is_one_label() {
        let ir = table(&[&["前年度までの", "3年度 ・説明会を開催"], &["実績", ""]]);
        let mut rv = Vec::new();
        let segs = segments(&ir, Some(&PLAN_LABELS), &mut rv);
        let toks = tokenize(&segs, &PLAN_LABELS);
        assert!(toks.iter().any(|t| matches!(t.label(), Some(Label::Prior))), "{toks:?}");
        assert!(!toks.iter().any(|t| t.what == What::Text("実績".into())));
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
