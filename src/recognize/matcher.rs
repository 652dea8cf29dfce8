//! The tolerant label matcher: where a form's label stands in a piece of
//! text, however a ward printed it.
//!
//! Wards print the same label many ways: decorated (`【区の目標】`,
//! `■様式3`, `〔7-2-1〕`), spaced as a justified cell prints it
//! (`区 の 目 標`, `自 己 評 価`), with another spelling of the same word
//! (`取り組み`, `目指す`, `および`), wrapped in a narrow cell
//! (`【撤退・再構` / `築基準】`). So labels are not compared on the text as
//! printed but on its **canonical form** ([`canonical`]):
//!
//! * brackets of every kind (【】［］〔〕《》≪≫〖〗[]{}) become `【` `】`
//!   (quotation marks 「」『』 stay what they are);
//! * decoration glyphs (■□◆◇●○◎★☆▲△▼▽▪) become one mark, `◆`;
//! * white space goes, except one space after an ASCII letter or digit
//!   (`12 3`, `2-2-1 「…」`), so `区 の 目 標` reads `区の目標` while
//!   `12 3予算額` stays two numbers and an id keeps the space before its
//!   title;
//! * a few spelling variants of the forms' words are folded (`取り組み` →
//!   `取組`, `目指す` → `めざす`, `および` → `及び`, `振返り` → `振り返り`);
//! * a segment wholly in 「」 loses them.
//!
//! (Width and the other character variants were folded before, by
//! `normalize::clean`: full-width ASCII, half-width katakana, `･`.)
//!
//! Every canonical character remembers where it came from, so a label
//! found on the canonical form cuts the text as printed, and titles read
//! from a label's captures keep their printed spacing.
//!
//! Tolerance must not turn body text into labels, so each label keeps the
//! place it must stand in ([`Place`]): a *strong* label is distinctive
//! anywhere (`プロセス(過程)指標`); an *anchored* one only at the start of
//! a cell or line (`要因分析`); a *whole* one only as the whole cell or line
//! (`計画`, `戦略`); one that must *stand apart* has a boundary on both
//! sides (white space, a bracket, a decoration, punctuation, the cell's
//! edge: `【撤退・再構築基準】` is a label, `撤退・再構築基準未達成` in a
//! legend is not).
//!
//! A label split over several fragments (lines of running text, items of a
//! cell, the rows of a sheet laid out one line per row) is found by
//! [`crosses`]: the fragments are joined where a label crosses the join.

use regex::Regex;
use std::collections::HashSet;

/// Where a label may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Anywhere: the label is distinctive wherever it stands.
    Anywhere,
    /// At the start of a cell or line.
    Start,
    /// The whole cell or line.
    Whole,
    /// With a boundary on both sides.
    Apart,
    /// At the start of a cell or line, with a boundary after it (a heading
    /// word that also begins sentences: `【現状】`, not `現状では`).
    Head,
    /// At the start of a cell or line, only where no other label stands
    /// there (any bracketed title: `【区民主体のまちづくり】`, but
    /// `【撤退・再構築基準】` is the label it brackets).
    Fallback,
}

/// A text in canonical form, with the way back to the text as printed.
#[derive(Debug, Clone, Default)]
pub struct Canon {
    pub text: String,
    /// For each canonical character: the printed byte range it stands for,
    /// and whether white space or a dropped character stood before it.
    spans: Vec<(u32, u32, bool)>,
    /// The printed end of the text.
    end: u32,
}

/// Spelling variants of the forms' words, folded to one spelling (longest
/// first where one is a prefix of another).
const FOLDS: &[(&str, &str)] = &[
    ("取り組み", "取組"),
    ("取組み", "取組"),
    ("取り組", "取組"),
    ("目指す", "めざす"),
    ("目指し", "めざし"),
    ("および", "及び"),
    ("振返り", "振り返り"),
    ("ふりかえり", "振り返り"),
];

fn fold_first(c: char) -> bool {
    matches!(c, '取' | '目' | 'お' | '振' | 'ふ')
}

pub fn is_open_bracket(c: char) -> bool {
    matches!(c, '【' | '［' | '〔' | '《' | '≪' | '〖' | '[' | '{' | '〘' | '«')
}

pub fn is_close_bracket(c: char) -> bool {
    matches!(c, '】' | '］' | '〕' | '》' | '≫' | '〗' | ']' | '}' | '〙' | '»')
}

/// Glyphs that decorate a heading or mark an item, never part of a label.
pub fn is_decoration(c: char) -> bool {
    matches!(
        c,
        '■' | '□'
            | '◆'
            | '◇'
            | '●'
            | '○'
            | '◎'
            | '★'
            | '☆'
            | '▲'
            | '△'
            | '▼'
            | '▽'
            | '▪'
            | '◯'
            | '◼'
            | '◻'
            | '♦'
    )
}

/// Characters that end or start a word for a label that must stand apart.
fn is_boundary_char(c: char) -> bool {
    matches!(
        c,
        '【' | '】' | '◆' | '(' | ')' | '「' | '」' | ':' | '、' | '。' | '※' | '・' | '<' | '>' | '〈' | '〉'
    )
}

/// The canonical form of `src` (already normalised by `normalize::clean`
/// or `normalize::text`). See the module documentation.
pub fn canonical(src: &str) -> Canon {
    let mut c = Canon {
        text: String::with_capacity(src.len()),
        spans: Vec::with_capacity(src.len() / 2),
        end: 0,
    };
    let to = fold(src, |ch, from, to, gap| {
        c.text.push(ch);
        c.spans.push((from as u32, to as u32, gap));
    });
    c.end = to as u32;
    c
}

/// The canonical text alone (see [`canonical`]), without the way back to
/// the print: for comparing whole lines.
pub fn canonical_text(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    fold(src, |ch, _, _, _| out.push(ch));
    out
}

/// The canonical form, a character at a time: `emit(char, printed start,
/// printed end, gap before)`. Returns where the printed text ends.
fn fold(src: &str, mut emit: impl FnMut(char, usize, usize, bool)) -> usize {
    let n = src.len();
    // A segment wholly in 「」 (`「区の目標」`) loses them.
    let trimmed = src.trim();
    let lead = src.len() - src.trim_start().len();
    let (from, to) = if trimmed.starts_with('「')
        && trimmed.ends_with('」')
        && trimmed.len() > 6
        && trimmed.matches('「').count() == 1
    {
        (lead + '「'.len_utf8(), lead + trimmed.len() - '」'.len_utf8())
    } else {
        (0, n)
    };
    let mut gap = true;
    // The printed offset of white space waiting to be kept or dropped.
    let mut space: Option<usize> = None;
    let mut prev_ascii = false;
    let mut i = from;
    while i < to {
        let Some(ch) = src[i..].chars().next() else { break };
        let w = ch.len_utf8();
        if ch.is_whitespace() {
            space.get_or_insert(i);
            gap = true;
            i += w;
            continue;
        }
        if fold_first(ch)
            && let Some((from_s, to_s)) = FOLDS.iter().find(|(f, _)| src[i..to].starts_with(f))
        {
            let span_end = i + from_s.len();
            for t in to_s.chars() {
                emit(t, i, span_end, gap);
                gap = false;
            }
            space = None;
            prev_ascii = false;
            i = span_end;
            continue;
        }
        let out = if is_open_bracket(ch) {
            '【'
        } else if is_close_bracket(ch) {
            '】'
        } else if is_decoration(ch) {
            '◆'
        } else {
            ch
        };
        if let Some(at) = space.take()
            && prev_ascii
        {
            emit(' ', at, at + 1, true);
        }
        emit(out, i, i + w, gap);
        gap = matches!(out, '【' | '】' | '◆');
        prev_ascii = out.is_ascii_alphanumeric();
        i += w;
    }
    to
}

impl Canon {
    /// The index of the character at canonical byte offset `s`.
    fn index(&self, s: usize) -> usize {
        self.text.get(..s).map_or(self.spans.len(), |t| t.chars().count())
    }

    /// The printed start of the character at canonical offset `s`.
    pub fn orig_start(&self, s: usize) -> usize {
        self.spans.get(self.index(s)).map_or(self.end, |x| x.0) as usize
    }

    /// The printed end of the character that ends at canonical offset `e`.
    pub fn orig_end(&self, e: usize) -> usize {
        match self.index(e).checked_sub(1) {
            Some(k) => self.spans.get(k).map_or(self.end, |x| x.1) as usize,
            None => self.orig_start(0),
        }
    }

    /// The printed text under a canonical range.
    pub fn orig<'s>(&self, src: &'s str, s: usize, e: usize) -> &'s str {
        let (a, b) = (self.orig_start(s), self.orig_end(e));
        src.get(a..b.max(a)).unwrap_or("")
    }

    /// White space or a dropped character stood before the character at
    /// canonical offset `s` (or `s` is an end).
    fn gap(&self, s: usize) -> bool {
        self.spans.get(self.index(s)).is_none_or(|x| x.2)
    }

    /// Whether a label starting at canonical offset `s` has a boundary
    /// before it.
    pub fn boundary_before(&self, s: usize) -> bool {
        if s == 0 || self.gap(s) {
            return true;
        }
        // A match that starts with its own bracket or mark stands apart.
        self.text[s..].starts_with(['【', '◆']) || self.text[..s].chars().next_back().is_some_and(is_boundary_char)
    }

    /// Whether a label ending at canonical offset `e` has a boundary after it.
    pub fn boundary_after(&self, e: usize) -> bool {
        if e >= self.text.len() || self.gap(e) {
            return true;
        }
        self.text[..e].ends_with(['】', '◆']) || self.text[e..].chars().next().is_some_and(is_boundary_char)
    }
}

/// One pattern of a catalogue: a regex over canonical text (brackets
/// already `【】`, no white space between CJK characters), where it must
/// stand, and what it makes of its captures.
pub struct Def<T> {
    pub pattern: &'static str,
    pub place: Place,
    pub make: fn(&Local) -> Option<T>,
}

/// A definition's captures inside the combined regex, read by the
/// definition's own group names, canonical or as printed.
pub struct Local<'a, 'h> {
    caps: &'a regex::Captures<'h>,
    prefix: &'a str,
    canon: &'a Canon,
    src: &'a str,
}

impl<'h> Local<'_, 'h> {
    /// A capture as it reads in canonical form.
    pub fn name(&self, n: &str) -> Option<regex::Match<'h>> {
        self.caps.name(&format!("{}{n}", self.prefix))
    }

    /// A capture as printed (white space and brackets as they were).
    pub fn printed(&self, n: &str) -> Option<&str> {
        let m = self.name(n)?;
        Some(self.canon.orig(self.src, m.start(), m.end()))
    }
}

/// A definition inside the combined regex: its group name, the prefix of
/// its inner groups, its place and its constructor.
type Compiled<T> = (String, String, Place, fn(&Local) -> Option<T>);

/// A label found in a text, with its byte range in the text as printed.
#[derive(Debug, Clone)]
pub struct Found<T> {
    pub label: T,
    pub start: usize,
    pub end: usize,
}

/// A compiled catalogue: one regex of all alternatives (most specific
/// first: at one position the first that matches wins) to find the
/// leftmost label, and each definition's constructor and place.
pub struct Matcher<T> {
    re: Regex,
    defs: Vec<Compiled<T>>,
    /// The fallback labels (see [`Place::Fallback`]), in a regex of their own.
    fallback: Option<(Regex, Vec<Compiled<T>>)>,
    /// Pairs of characters that stand next to each other inside some
    /// label: a label can cross a join only between such a pair.
    pairs: HashSet<(char, char)>,
}

impl<T> Matcher<T> {
    pub fn new(defs: Vec<Def<T>>) -> Matcher<T> {
        let patterns: Vec<&str> = defs.iter().map(|d| d.pattern).collect();
        let (mut alts, mut out) = (Vec::new(), Vec::new());
        let (mut fb_alts, mut fb_out) = (Vec::new(), Vec::new());
        for (i, d) in defs.into_iter().enumerate() {
            // A label standing at the start may be decorated (◆) and
            // bracketed there; elsewhere, its mark and brackets are taken in
            // after the match (see `find_canon`), which keeps the combined
            // regex small.
            let anchored = match d.place {
                Place::Anywhere | Place::Apart => format!("(?:{})", d.pattern),
                Place::Start | Place::Head => format!("^◆?【?(?:{})】?", d.pattern),
                Place::Whole => format!("^◆?【?(?:{})】?◆?$", d.pattern),
                Place::Fallback => format!("^◆?(?:{})", d.pattern),
            };
            // Inner group names get a per-definition prefix so they stay
            // unique in the combined regex.
            let renamed = anchored.replace("(?P<", &format!("(?P<g{i}_"));
            let name = format!("d{i}");
            let alt = format!("(?P<{name}>{renamed})");
            let compiled = (name, format!("g{i}_"), d.place, d.make);
            if d.place == Place::Fallback {
                fb_alts.push(alt);
                fb_out.push(compiled);
            } else {
                alts.push(alt);
                out.push(compiled);
            }
        }
        let re = Regex::new(&alts.join("|")).expect("label catalogue compiles");
        let fallback =
            (!fb_alts.is_empty()).then(|| (Regex::new(&fb_alts.join("|")).expect("fallback labels compile"), fb_out));
        Matcher {
            re,
            defs: out,
            fallback,
            pairs: pairs(&patterns),
        }
    }

    /// Every label in `text` (one cell item or line, normalised), in order,
    /// with byte ranges in `text`.
    pub fn find(&self, text: &str) -> Vec<Found<T>> {
        let canon = canonical(text);
        self.find_canon(text, &canon)
    }

    /// A fallback label at the start, where no other label stands there;
    /// where to go on looking from.
    fn find_fallback(&self, text: &str, canon: &Canon, out: &mut Vec<Found<T>>) -> usize {
        let ct = canon.text.as_str();
        let Some((re, defs)) = &self.fallback else { return 0 };
        let lead = ct.len() - ct.trim_start_matches(['◆', '【']).len();
        if lead == 0 || self.re.find(ct).is_some_and(|m| m.start() <= lead) {
            return 0;
        }
        let Some(caps) = re.captures(ct) else { return 0 };
        let Some(whole) = caps.get(0) else { return 0 };
        if self.re.find(ct).is_some_and(|m| m.start() < whole.end()) {
            return 0;
        }
        let Some((_, prefix, _, make)) = defs.iter().find(|(name, _, _, _)| caps.name(name).is_some()) else {
            return 0;
        };
        let local = Local {
            caps: &caps,
            prefix,
            canon,
            src: text,
        };
        match make(&local) {
            Some(label) => {
                let (s, e) = (canon.orig_start(whole.start()), canon.orig_end(whole.end()));
                out.push(Found {
                    label,
                    start: extend_left(text, s),
                    end: e.max(s),
                });
                whole.end()
            }
            None => 0,
        }
    }

    /// [`Matcher::find`] on a canonical form made already.
    pub fn find_canon(&self, text: &str, canon: &Canon) -> Vec<Found<T>> {
        let mut out = Vec::new();
        let ct = canon.text.as_str();
        let mut pos = self.find_fallback(text, canon, &mut out);
        while pos <= ct.len() {
            let Some(caps) = self.re.captures_at(ct, pos) else {
                break;
            };
            let Some(whole) = caps.get(0) else { break };
            let (start, end) = (whole.start(), whole.end());
            let next = if end > start { end } else { next_char(ct, end) };
            let Some((_, prefix, place, make)) = self.defs.iter().find(|(name, _, _, _)| caps.name(name).is_some())
            else {
                pos = next;
                continue;
            };
            let apart = match place {
                Place::Apart => canon.boundary_before(start) && canon.boundary_after(end),
                Place::Head => canon.boundary_after(end),
                _ => true,
            };
            if !apart {
                // Not standing apart: look again one character further.
                pos = next_char(ct, start);
                continue;
            }
            let local = Local {
                caps: &caps,
                prefix,
                canon,
                src: text,
            };
            if let Some(label) = make(&local) {
                let (start, end) = take_in_marks(ct, start, end);
                let (s, e) = (canon.orig_start(start), canon.orig_end(end));
                out.push(Found {
                    label,
                    start: extend_left(text, s),
                    end: e.max(s),
                });
            }
            pos = next;
        }
        out
    }
}

/// The characters of the patterns in order, as a skeleton: literal
/// characters as they are (escaped ASCII too: `\(`), a digit class as
/// `0`, regex syntax left out.
fn skeleton(p: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('(' | ')' | '[' | ']' | '.' | '-')) => out.push(e),
                Some('p') => {
                    // \p{Han}: any ideograph; skip its name.
                    for n in chars.by_ref() {
                        if n == '}' {
                            break;
                        }
                    }
                }
                _ => {}
            },
            '[' => {
                let mut class = String::new();
                for n in chars.by_ref() {
                    if n == ']' {
                        break;
                    }
                    class.push(n);
                }
                if class.contains("0-9") {
                    out.push('0');
                } else {
                    out.extend(class.chars().filter(|c| !c.is_ascii()));
                }
            }
            c if !c.is_ascii() || c == '-' => out.push(c),
            _ => {}
        }
    }
    out
}

/// The pairs of characters that may stand next to each other inside some
/// label: neighbours in a pattern's skeleton, and ones a few apart (an
/// optional part or an alternative may stand between them), and in the
/// printed spellings the canonical form folds.
fn pairs(patterns: &[&str]) -> HashSet<(char, char)> {
    let mut out = HashSet::new();
    let mut add = |run: &[char], reach: usize| {
        for i in 0..run.len() {
            for j in i + 1..(i + 1 + reach).min(run.len()) {
                out.insert((run[i], run[j]));
            }
        }
    };
    for p in patterns {
        add(&skeleton(p), 4);
    }
    for (from, _) in FOLDS {
        add(&from.chars().collect::<Vec<_>>(), 1);
    }
    out
}

/// A character as the canonical form has it (brackets and decorations
/// folded, digits one), for the pair test.
fn fold_char(c: char) -> char {
    if is_open_bracket(c) {
        '【'
    } else if is_close_bracket(c) {
        '】'
    } else if is_decoration(c) {
        '◆'
    } else if c.is_ascii_digit() || ('０'..='９').contains(&c) {
        '0'
    } else if matches!(c, '（' | '〈' | '<' | 'く') {
        '('
    } else if matches!(c, '）' | '〉' | '>') {
        ')'
    } else if matches!(c, '－' | '‐' | '−') {
        '-'
    } else {
        c
    }
}

impl<T> Matcher<T> {
    /// A cheap test before [`crosses`]: the characters either side of the
    /// join are a pair some label has, or a bracket or a qualifier is left
    /// open across it.
    fn may_cross(&self, a: &str, b: &str) -> bool {
        let (Some(x), Some(y)) = (a.trim_end().chars().next_back(), b.trim_start().chars().next()) else {
            return false;
        };
        let (x, y) = (fold_char(x), fold_char(y));
        // A bracket or a qualifier left open (a bracketed title runs on:
        // `【1-2 地域活動…` / `…の促進】`; `要因分析(めざすべき…` / `…結果)`)
        // may close in the next fragment, whatever it holds; a qualifier
        // may start it (`【区の目標】` / `(何をめざすのか)`).
        let open = |opens: fn(char) -> bool, closes: fn(char) -> bool| {
            a.rfind(opens).is_some_and(|o| !a[o..].contains(closes))
        };
        open(is_open_bracket, is_close_bracket)
            || open(
                |c| matches!(c, '(' | '（' | '<' | '〈'),
                |c| matches!(c, ')' | '）' | '>' | '〉'),
            )
            || y == '('
            || (x == '◆' || x == '【')
            || self.pairs.contains(&(x, y))
    }
}

/// A match widened over the marks and brackets that dress it: a ◆ before
/// it, and a 【 before it that a 】 closes at its end (or right after it).
fn take_in_marks(ct: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    while ct[..start].ends_with('◆') {
        start -= '◆'.len_utf8();
    }
    if ct[..start].ends_with('【') && !ct[start..end].contains('【') {
        if ct[start..end].contains('】') {
            start -= '【'.len_utf8();
        } else if ct[end..].starts_with('】') {
            start -= '【'.len_utf8();
            end += '】'.len_utf8();
        }
    }
    (start, end)
}

fn next_char(text: &str, pos: usize) -> usize {
    text[pos..]
        .chars()
        .next()
        .map_or(text.len() + 1, |c| pos + c.len_utf8())
}

/// A label's printed start, moved back over the white space, decorations
/// and opening brackets the canonical form set aside before it.
fn extend_left(text: &str, mut s: usize) -> usize {
    while let Some(c) = text[..s].chars().next_back() {
        if c.is_whitespace() || is_decoration(c) {
            s -= c.len_utf8();
        } else {
            break;
        }
    }
    s
}

/// A label crossing the join of two fragments `a` and `b` (lines of
/// running text, items of a cell, one column's rows): whether joining them
/// makes a label that starts in `a` and ends in `b`. Only the ends near
/// the join are looked at (labels are short), with the fragments' own
/// starts and ends kept where they are near, so anchored labels still
/// need a real start.
pub fn crosses<T>(m: &Matcher<T>, a: &str, b: &str) -> bool {
    crossing(m, a, b).is_some()
}

/// [`crosses`], for fragments in different cells: the label must be one
/// the first fragment does not already hold whole (a cell ending
/// `具体的取組1-2-1` is not continued by the next cell's `2決算額`).
pub fn crosses_cells<T>(m: &Matcher<T>, a: &str, b: &str) -> bool {
    let Some((start, window, cut)) = crossing(m, a, b) else {
        return false;
    };
    !m.find(&window[..cut]).iter().any(|f| f.start == start)
}

/// The crossing label's start in the window looked at, the window, and
/// where the join is in it.
fn crossing<T>(m: &Matcher<T>, a: &str, b: &str) -> Option<(usize, String, usize)> {
    /// Longer than most labels, in characters (a longer one crosses only
    /// where its first fragment is shorter than this).
    const REACH: usize = 32;
    if !m.may_cross(a, b) {
        return None;
    }
    let a_start = a.char_indices().rev().nth(REACH - 1).map_or(0, |(i, _)| i);
    let b_end = b.char_indices().nth(REACH).map_or(b.len(), |(i, _)| i);
    let (head, tail) = (&a[a_start..], &b[..b_end]);
    // A cut fragment is marked so that `^` and `$` do not hold there.
    let mut window = String::with_capacity(head.len() + tail.len() + 8);
    if a_start > 0 {
        window.push('\u{1}');
    }
    window.push_str(head);
    let cut = window.len();
    window.push_str(tail);
    if b_end < b.len() {
        window.push('\u{1}');
    }
    let canon = canonical(&window);
    // The canonical offset of the join.
    let ccut = (0..=canon.text.len())
        .filter(|&k| canon.text.is_char_boundary(k))
        .find(|&k| k == canon.text.len() || canon.orig_start(k) >= cut)
        .unwrap_or(canon.text.len());
    // Cheap first: a match of the whole catalogue over the join, found
    // without reading captures; only then the labels themselves.
    let spans =
        m.re.find_iter(&canon.text)
            .take_while(|x| x.start() < ccut)
            .any(|x| x.end() > ccut);
    if !spans {
        return None;
    }
    let f = m
        .find_canon(&window, &canon)
        .into_iter()
        .find(|f| f.start < cut && f.end > cut)?;
    Some((f.start, window, cut))
}

/// The words of a heading or a column header, for comparing: its canonical
/// form without brackets and decorations (`【めざす成果 および 戦略】` →
/// `めざす成果及び戦略`).
pub fn words(text: &str) -> String {
    canonical_text(text)
        .chars()
        .filter(|c| !matches!(c, '【' | '】' | '◆' | ' '))
        .collect()
}

/// A heading's printed text without the decorations and brackets that
/// lead it (`■戦略1-1 …` → `戦略1-1 …`, `【経営課題1】…` → `経営課題1】…`).
pub fn strip_lead(text: &str) -> &str {
    text.trim_start_matches(|c: char| c.is_whitespace() || is_decoration(c) || is_open_bracket(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_folds_decorations_spacing_and_spellings() {
        assert_eq!(canonical("【区 の 目 標】").text, "【区の目標】");
        assert_eq!(canonical("〔7-2-1〕").text, "【7-2-1】");
        assert_eq!(canonical("■様式3").text, "◆様式3");
        assert_eq!(canonical("具体的取り組み 1 - 1 - 1").text, "具体的取組1 -1 -1");
        assert_eq!(canonical("めざす成果 および 戦略").text, "めざす成果及び戦略");
        // Between ASCII letters or digits a space stays: two numbers stay two.
        assert_eq!(canonical("12 3予算額").text, "12 3予算額");
        assert_eq!(canonical("2-2-1 「生きる力」").text, "2-2-1 「生きる力」");
        // A cell wholly in 「」 loses them; quotation marks inside stay.
        assert_eq!(canonical("「区の目標」").text, "区の目標");
        assert_eq!(canonical("『子育て=保育』").text, "『子育て=保育』");
    }

    #[test]
    fn canonical_ranges_lead_back_to_the_print() {
        let src = "■ 区 の 目 標 （何をめざすのか）";
        let c = canonical(src);
        let s = c.text.find('区').unwrap();
        let e = c.text.find('標').unwrap() + '標'.len_utf8();
        assert_eq!(c.orig(src, s, e), "区 の 目 標");
        // A folded spelling maps back to what was printed.
        let src = "当年度の取り組み内容";
        let c = canonical(src);
        assert_eq!(c.text, "当年度の取組内容");
        assert_eq!(c.orig(src, 0, c.text.len()), src);
    }

    #[test]
    fn boundaries_for_labels_that_stand_apart() {
        let c = canonical("③:撤退・再構築基準未達成");
        let s = c.text.find('撤').unwrap();
        let e = c.text.find('未').unwrap();
        assert!(c.boundary_before(s));
        assert!(!c.boundary_after(e));
        let c = canonical("…55%以上 【撤退・再構築基準】 区民");
        let s = c.text.find('【').unwrap();
        let e = c.text.find('】').unwrap() + '】'.len_utf8();
        assert!(c.boundary_before(s) && c.boundary_after(e));
    }

    fn m() -> Matcher<&'static str> {
        Matcher::new(vec![
            Def {
                pattern: r"前年度までの実績",
                place: Place::Anywhere,
                make: |_| Some("prior"),
            },
            Def {
                pattern: r"具体的取組(?P<id>[0-9]+-[0-9]+-[0-9]+)",
                place: Place::Anywhere,
                make: |_| Some("initiative"),
            },
            Def {
                pattern: r"(?:[0-9]{1,2})(?:決算額|予算額)",
                place: Place::Anywhere,
                make: |_| Some("budget"),
            },
        ])
    }

    #[test]
    fn labels_across_fragments() {
        let m = m();
        assert!(crosses(&m, "前年度までの", "実績 3年度 ・…"));
        assert!(!crosses(&m, "前年度までの実績", "3年度"));
        assert!(!crosses(&m, "地域の実情に即して", "支援する。"));
        // Across cells, a label already whole in the first is not extended.
        assert!(crosses(&m, "具体的取組1-2-1", "2決算額"));
        assert!(!crosses_cells(&m, "具体的取組1-2-1", "2決算額"));
        assert!(crosses_cells(&m, "2決", "算額"));
    }
}
