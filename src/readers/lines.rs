//! Lines of running text put back together: the one place that decides,
//! for the PDF reader (unruled pages, the lines inside a ruled cell) and
//! for the text reader's PDF-pulled dialect, whether a line break is a wrap
//! (the line goes on) or the end of an item.
//!
//! A break is judged by what the text says first, not by where the line
//! ends: a producer wraps wherever the frame ends, so a break can fall
//! between a number and its unit (`38.6` / `%以上`), inside a word (`元年` /
//! `度`) or inside a label (`当年度の取組` / `内容`). What the text says:
//!
//! * a line starting with a list marker (`・ ① ○ ● ◆ 【 (1) …`, see
//!   [`crate::normalize::join::starts_item`]) starts an item — except a
//!   bracketed *amount* (`(1,568千円)`), which is not a marker;
//! * a line that is a heading or a code and nothing else (`【様式２】`, an
//!   id `4-2-1`) stands alone, and so does a bracketed aside under a line
//!   (`（区長：筋原 章博）`);
//! * any other line goes on with the line before it.
//!
//! Where the layout is known (a PDF) it adds, never overrides, evidence:
//! a line that ends a sentence (`。`, a closing bracket) well before the
//! frame's right edge ends its item; a line indented back out to the
//! margin after a hanging indent starts one. When the text and the layout
//! disagree in a way neither settles — a marker at the start of a line
//! after a full line that ends mid-sentence (`…上記` / `①事業の対象を…`:
//! a wrapped reference or a new item?) — the verdict is a [`Verdict::Doubt`]:
//! the reader takes the text's reading and says where it was unsure.
//!
//! Vertical labels set one character a line (`計` / `画`, a form's
//! stacked row label) are one word: [`stacked_runs`] finds them.

use crate::normalize::join::starts_item;

/// How a line break reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A wrap: the two lines are one item.
    Wrap,
    /// The next line starts a new item.
    Item,
    /// Text and layout disagree; read as `Item` (the text's reading), to
    /// be reported.
    Doubt,
}

/// What the layout says about a break, where it is known.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// Whether the line before the break reaches the frame's right edge
    /// (`Some(true)`: full, the break is where the frame ended it;
    /// `Some(false)`: it ended with room to spare).
    pub full: Option<bool>,
}

/// A sentence or a bracketed part ends here.
fn ends_item(prev: &str) -> bool {
    prev.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| "。．.!?！？)）」』】〕〉》>＞]］".contains(c))
}

/// `(1,568千円)`, `（2年度）`: a bracketed amount or year, not a list
/// marker `(1)`.
fn bracketed_amount(next: &str) -> bool {
    let t = next.trim_start();
    let mut cs = t.chars();
    if !matches!(cs.next(), Some('(' | '（')) {
        return false;
    }
    let rest: String = cs.collect();
    let digits = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .count();
    digits > 0 && !rest.chars().nth(digits).is_some_and(|c| matches!(c, ')' | '）'))
}

/// Whether a line starts a list item (see the module comment).
pub fn starts_marker(next: &str) -> bool {
    starts_item(next) && !bracketed_amount(next)
}

/// A line that is one bracketed aside and nothing else (`（区長：筋原 章博）`
/// under a title, `(区役所HP)` under a link): a line of its own. A
/// bracketed amount (`（14,955千円）`) is not one: it ends its sentence.
fn aside(next: &str) -> bool {
    let t = next.trim();
    let mut cs = t.chars();
    let (Some(first), Some(last)) = (cs.next(), cs.next_back()) else {
        return false;
    };
    let inner = cs.as_str();
    matches!((first, last), ('(' | '（', ')' | '）')) && !inner.contains([')', '）', '(', '（']) && !bracketed_amount(t)
}

/// Whether `next` starts with the mark after the one `prev` starts with
/// (`①` then `②`, `ア` then `イ`).
fn next_in_series(prev: &str, next: &str) -> bool {
    let mark = |s: &str| {
        s.trim_start()
            .chars()
            .next()
            .and_then(|c| crate::normalize::marks::read_mark(&c.to_string()))
    };
    match (mark(prev), mark(next)) {
        (Some(a), Some(b)) => a.series == b.series && b.index == a.index + 1,
        _ => false,
    }
}

/// How the break between `prev` (the item so far) and `next` reads.
pub fn verdict(prev: &str, next: &str, layout: Layout) -> Verdict {
    if prev.trim().is_empty() || next.trim().is_empty() {
        return Verdict::Item;
    }
    if starts_marker(next) {
        let ends = ends_item(prev);
        // A full line that stops mid-sentence, then a marker: the text
        // reads a new item, the layout a wrap — unless the marker is the
        // next of the series the item began with (`①…` then `②…`).
        return if layout.full == Some(true) && !ends && !next_in_series(prev, next) {
            Verdict::Doubt
        } else {
            Verdict::Item
        };
    }
    if aside(next) || standalone(prev) || standalone(next) {
        return Verdict::Item;
    }
    Verdict::Wrap
}

/// A line that is a heading or a code and nothing else — a bracketed
/// heading (`【様式２】`), an id (`4-2-1`, `１－１－１`) — heads what follows
/// and is not part of it: the forms print such lines as labels.
fn standalone(line: &str) -> bool {
    let t = line.trim();
    if t.starts_with('【') && t.ends_with('】') && t.matches('【').count() == 1 {
        return true;
    }
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let dash = |c: char| matches!(c, '-' | '－' | '‐' | '−' | '–');
    t.chars().all(|c| digit(c) || dash(c))
        && t.chars().next().is_some_and(digit)
        && t.chars().next_back().is_some_and(digit)
        && t.chars().any(dash)
}

/// Inside a ruled cell the layout says more: a line ended with room to
/// spare (`ended`) was ended by the source — if the text agrees: the next
/// line starts a marked item or an aside, or this one ends a sentence or a
/// bracket. Otherwise the producer wrapped early (Chromium keeps
/// `元年度:79.6%→2` whole and ends the line after `元年`) and the lines are
/// one.
pub fn cell_break(prev: &str, next: &str, ended: bool) -> bool {
    ended && (starts_marker(next) || aside(next) || ends_item(prev))
}

/// Physical lines of running text without a layout (text pulled out of a
/// PDF) as logical lines: vertical labels made one word, wrapped lines
/// joined where the text says they go on; a blank line ends a paragraph.
/// Returns (index of the first physical line, text); blank lines come out
/// as empty texts, one per run.
pub fn join_running<S: AsRef<str>>(lines: &[S]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let done: Result<(), std::convert::Infallible> = join_running_each(lines.iter(), |i, text| {
        out.push((i, text));
        Ok(true)
    });
    let _ = done;
    out
}

/// [`join_running`] as the lines come, for a reader that does not hold
/// them all (the text reader's memory stays linear in the file): each
/// logical line goes to `emit` once it is known (`Ok(false)` stops). Only
/// the lines a possible vertical label spans are held at once.
pub fn join_running_each<S, E>(
    lines: impl IntoIterator<Item = S>,
    mut emit: impl FnMut(usize, String) -> Result<bool, E>,
) -> Result<(), E>
where
    S: AsRef<str>,
{
    let mut lines = lines.into_iter();
    // The lines ahead, from `at` on.
    let mut ahead: std::collections::VecDeque<S> = std::collections::VecDeque::new();
    let mut at = 0usize;
    // The logical line being built, open to a wrap.
    let mut pending: Option<(usize, String)> = None;
    let mut after_blank = false;
    macro_rules! line {
        ($k:expr) => {{
            while ahead.len() <= $k {
                match lines.next() {
                    Some(l) => ahead.push_back(l),
                    None => break,
                }
            }
            ahead.get($k).map(|l| l.as_ref())
        }};
    }
    macro_rules! flush {
        () => {
            if let Some((i, text)) = pending.take()
                && !emit(i, text)?
            {
                return Ok(());
            }
        };
    }
    while let Some(first) = line!(0) {
        // A vertical label is a word of its own: nothing joins it.
        if vertical_char(first).is_some() {
            let mut label = String::new();
            let (mut j, mut last) = (0, 0);
            while let Some(l) = line!(j) {
                if let Some(c) = vertical_char(l) {
                    label.push(c);
                    last = j;
                    j += 1;
                } else if !l.is_empty()
                    && l.trim().is_empty()
                    && line!(j + 1).is_some_and(|n| vertical_char(n).is_some())
                {
                    j += 1;
                } else {
                    break;
                }
            }
            if label.chars().count() >= 2 {
                flush!();
                if !emit(at, label)? {
                    return Ok(());
                }
                after_blank = false;
                ahead.drain(..=last);
                at += last + 1;
                continue;
            }
        }
        let Some(text) = line!(0) else { break };
        if text.trim().is_empty() {
            flush!();
            if !after_blank {
                if !emit(at, String::new())? {
                    return Ok(());
                }
                after_blank = true;
            }
        } else {
            match &mut pending {
                Some((_, last)) if verdict(last, text, Layout::default()) == Verdict::Wrap => {
                    *last = crate::normalize::join_two(last, text);
                }
                _ => {
                    let text = text.trim().to_string();
                    flush!();
                    pending = Some((at, text));
                }
            }
            after_blank = false;
        }
        ahead.pop_front();
        at += 1;
    }
    flush!();
    Ok(())
}

/// One character of a vertical label: a kanji or kana standing alone on
/// its line.
pub fn vertical_char(line: &str) -> Option<char> {
    let t = line.trim();
    let mut cs = t.chars();
    let c = cs.next()?;
    if cs.next().is_some() {
        return None;
    }
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}').then_some(c)
}

/// Runs of two or more consecutive lines of one character each (a line of
/// spaces may sit between them): vertical labels, `計` / `画` → `計画`.
/// Returns (first line, last line, the label) for each run.
pub fn stacked_runs<S: AsRef<str>>(lines: &[S]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if vertical_char(lines[i].as_ref()).is_none() {
            i += 1;
            continue;
        }
        let mut label = String::new();
        let mut j = i;
        let mut last = i;
        while j < lines.len() {
            let l = lines[j].as_ref();
            if let Some(c) = vertical_char(l) {
                label.push(c);
                last = j;
                j += 1;
            } else if !l.is_empty()
                && l.trim().is_empty()
                && lines.get(j + 1).is_some_and(|n| vertical_char(n.as_ref()).is_some())
            {
                j += 1;
            } else {
                break;
            }
        }
        if label.chars().count() >= 2 {
            out.push((i, last, label));
        }
        i = last + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNKNOWN: Layout = Layout { full: None };

    #[test]
    fn the_text_decides_where_it_can() {
        // A number and its unit, a word, a label: wraps wherever the line ends.
        let short = Layout { full: Some(false) };
        assert_eq!(verdict("答える区民の割合：38.6", "%以上", short), Verdict::Wrap);
        assert_eq!(verdict("29年度:78.6%→元年", "度:79.6%", short), Verdict::Wrap);
        assert_eq!(verdict("当年度の取組", "内容", UNKNOWN), Verdict::Wrap);
        // A bracketed amount is no marker.
        assert_eq!(verdict("防犯意識啓発活動（", "1,568千円）", short), Verdict::Wrap);
        assert_eq!(verdict("防犯意識啓発活動", "(1,568千円)", UNKNOWN), Verdict::Wrap);
        // Markers start items.
        assert_eq!(verdict("…を配布", "・地域活動の紹介", UNKNOWN), Verdict::Item);
        assert_eq!(verdict("…:80%以上", "② 区独自の取り組み", UNKNOWN), Verdict::Item);
        assert_eq!(verdict("…実施する。", "(2) 次の取組", UNKNOWN), Verdict::Item);
    }

    #[test]
    fn the_layout_tells_doubts_and_cell_breaks() {
        let full = Layout { full: Some(true) };
        let short = Layout { full: Some(false) };
        // A marker after a full line that stops mid-sentence: unsure.
        assert_eq!(verdict("区独自の取組として上記", "①事業の対象を", full), Verdict::Doubt);
        assert_eq!(verdict("区独自の取組として上記", "①事業の対象を", short), Verdict::Item);
        // The next of the item's own series is no doubt.
        assert_eq!(
            verdict("①：目標達成 (ⅱ)取組は予定どおり進捗していない", "②：目標未達成", full),
            Verdict::Item
        );
        // In a cell: ended early and the text agrees, or not.
        assert!(cell_break("取組を支援する。", "地域の担い手を", true));
        assert!(cell_break("…の促進】", "地域活動協議会の", true));
        assert!(!cell_break("割合29年度:78.6%→元年", "度:79.6%", true));
        assert!(!cell_break("取組を支援する。", "地域の担い手を", false));
    }

    #[test]
    fn asides_stand_alone_amounts_go_on() {
        assert_eq!(
            verdict("(素案)からの変更について", "（区長：筋原　章博）", UNKNOWN),
            Verdict::Item
        );
        assert_eq!(verdict("…づくりを推進する。", "（14,955千円）", UNKNOWN), Verdict::Wrap);
        // One character (a bracket alone, a wrapped last character) is no aside.
        assert_eq!(verdict("地域運営の促", "進", UNKNOWN), Verdict::Wrap);
        assert_eq!(verdict("地域運営の促", "（", UNKNOWN), Verdict::Wrap);
    }

    #[test]
    fn headings_and_ids_stand_alone() {
        assert_eq!(
            verdict("【様式２】", "重点的に取り組む主な経営課題", UNKNOWN),
            Verdict::Item
        );
        assert_eq!(verdict("4-2-1", "地域安全防犯対策", UNKNOWN), Verdict::Item);
        assert_eq!(verdict("…を推進する。", "１－１－１", UNKNOWN), Verdict::Item);
        // Not an id: a figure that ends a wrapped sentence.
        assert_eq!(
            verdict("避難支援の取組の促進を支援", "2,025千円）", UNKNOWN),
            Verdict::Wrap
        );
    }

    #[test]
    fn running_text_without_a_layout() {
        let lines = [
            "【経営課題２】",
            "安全・安心・快適なまちづくりに向けて、役割分担のも",
            "と、大規模災害時に",
            "",
            "",
            "中",
            "間",
            "・区民の割合：38.6",
            "%以上",
        ];
        let got = join_running(&lines);
        assert_eq!(
            got,
            vec![
                (0, "【経営課題２】".to_string()),
                (
                    1,
                    "安全・安心・快適なまちづくりに向けて、役割分担のもと、大規模災害時に".to_string()
                ),
                (3, String::new()),
                (5, "中間".to_string()),
                (7, "・区民の割合：38.6%以上".to_string()),
            ]
        );
    }

    #[test]
    fn vertical_labels_are_runs_of_single_characters() {
        let lines = [
            "掲示",
            "中",
            "間",
            "\u{3000}",
            "振",
            "り",
            "返",
            "り",
            "プロセス指標",
            "件",
        ];
        assert_eq!(stacked_runs(&lines), vec![(1, 7, "中間振り返り".to_string())]);
    }
}
