//! Kind, ward and fiscal year, from the document's own words.
//!
//! A wrong ward is worse than none: where the words do not settle it, the
//! ward is null and a warning says so.

use crate::ir::{Ir, RowKind};
use crate::model::{DetectionNote, Kind, Location, Ward};
use crate::normalize::{self, year};
use crate::wards;
use regex::Regex;
use std::sync::LazyLock;

/// A row's normalised text and where it is.
pub struct Line {
    pub text: String,
    pub at: Location,
    pub heading: bool,
}

pub fn lines(ir: &Ir) -> Vec<Line> {
    ir.rows
        .iter()
        .filter(|r| !r.is_blank())
        .map(|r| Line {
            text: normalize::clean(&r.text().replace(['\t', '\n'], " ")),
            at: r.cells.first().map(|c| c.at.clone()).unwrap_or_else(|| r.at.clone()),
            heading: matches!(r.kind, RowKind::Heading(_)),
        })
        .collect()
}

fn note(by: &str, evidence: impl Into<String>, at: &Location) -> DetectionNote {
    DetectionNote {
        by: by.to_string(),
        evidence: Some(evidence.into()),
        at: Some(at.clone()),
    }
}

/// The document's kind, from the words only each kind prints.
pub fn kind(lines: &[Line]) -> Option<(Kind, DetectionNote)> {
    let find = |pat: &Regex| lines.iter().find(|l| pat.is_match(&l.text));
    static PROGRESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"区政運営基本方針の成果目標の達成に向けた取組状況|区政運営基本方針.*(?:業績目標|撤退基準)")
            .expect("re")
    });
    static MIDTERM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"中間振り返り.*概要版|中間振り返りの概要").expect("re"));
    static REVISION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"素案\)?\s*からの変更").expect("re"));
    static SUMMARY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"概要版|詳細版はこちら").expect("re"));
    static PLAN_GOAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^区の目標|^区の使命").expect("re"));
    static PLAN_FORM2: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"具体的取組\s*[0-9]+\s*-\s*[0-9]+\s*-\s*[0-9]+|プロセス\s*\(\s*過程\s*\)\s*指標").expect("re")
    });
    static DIGEST: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^単年度\s*目標$|^単年度$").expect("re"));
    if let Some(l) = find(&PROGRESS) {
        return Some((Kind::ProgressReport, note("content", &l.text, &l.at)));
    }
    if let Some(l) = find(&MIDTERM) {
        return Some((Kind::MidtermReview, note("content", &l.text, &l.at)));
    }
    if let Some(l) = find(&REVISION) {
        return Some((Kind::PlanRevision, note("content", &l.text, &l.at)));
    }
    let goal = find(&PLAN_GOAL);
    if let Some(l) = find(&SUMMARY).filter(|_| goal.is_none()) {
        return Some((Kind::Summary, note("content", &l.text, &l.at)));
    }
    if let Some(l) = goal {
        return Some((Kind::Plan, note("content", &l.text, &l.at)));
    }
    // A digest without its title: 単年度目標 columns and no 様式2 initiative blocks.
    let initiative_blocks = lines.iter().any(|l| l.text.contains("当年度の取組内容"));
    if let Some(l) = find(&DIGEST).filter(|_| !initiative_blocks) {
        return Some((Kind::Summary, note("content", &l.text, &l.at)));
    }
    find(&PLAN_FORM2).map(|l| (Kind::Plan, note("content", &l.text, &l.at)))
}

/// Words that make a line a title line: the form's name.
static TITLE_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"運営方針|区政運営|区運営|中間振り返り|取組状況について|区政会議").expect("re"));

/// The fiscal year the document is about: an explicit era year on a title
/// line (`令和4年度 港区運営方針`, `令和4年度 区運営の基本的な考え方`,
/// `平成28年度` beside `区政運営基本方針`). The most frequent wins.
pub fn fiscal_year(lines: &[Line]) -> Option<(i32, DetectionNote)> {
    static ERA: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:令和|平成|R|H)\s*(?:元|[0-9]{1,2})\s*年度|(?:19|20)[0-9]{2}\s*年度").expect("re")
    });
    let mut counts: Vec<(i32, usize, usize)> = Vec::new(); // (year, count, first line index)
    for (i, l) in lines.iter().enumerate() {
        if !TITLE_WORDS.is_match(&l.text) {
            continue;
        }
        // The year must stand before the title words, not in a sentence
        // far after them.
        let Some(m) = ERA.find(&l.text) else { continue };
        let Some(y) = year::parse_fiscal_year(m.as_str(), None) else {
            continue;
        };
        match counts.iter_mut().find(|c| c.0 == y) {
            Some(c) => c.1 += 1,
            None => counts.push((y, 1, i)),
        }
    }
    let best = counts.iter().max_by_key(|c| (c.1, std::cmp::Reverse(c.2)))?;
    let l = &lines[best.2];
    Some((best.0, note("content", &l.text, &l.at)))
}

/// The ward: named on a title line, or, failing that, named often enough
/// in the text that no other ward competes. Otherwise none.
pub fn ward(lines: &[Line]) -> Result<(Ward, DetectionNote), String> {
    // Title lines: headings and lines with the form's name.
    let mut title_wards: Vec<(Ward, &Line)> = Vec::new();
    for l in lines.iter().filter(|l| l.heading || TITLE_WORDS.is_match(&l.text)) {
        for (_, w) in wards::mentions(&l.text) {
            if !title_wards.iter().any(|(x, _)| *x == w) {
                title_wards.push((w, l));
            }
        }
    }
    match title_wards.len() {
        1 => {
            let (w, l) = &title_wards[0];
            return Ok((w.clone(), note("content", &l.text, &l.at)));
        }
        n if n > 1 => {
            let names: Vec<&str> = title_wards.iter().map(|(w, _)| w.name.as_str()).collect();
            return Err(format!("title lines name more than one ward ({})", names.join(", ")));
        }
        _ => {}
    }
    // The body: one ward named at least twice, at least three times as
    // often as any other.
    let mut counts: Vec<(Ward, usize, &Line)> = Vec::new();
    for l in lines {
        for (_, w) in wards::mentions(&l.text) {
            match counts.iter_mut().find(|c| c.0 == w) {
                Some(c) => c.1 += 1,
                None => counts.push((w, 1, l)),
            }
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    match counts.as_slice() {
        [] => Err("the document names no ward".to_string()),
        [(w, n, l), rest @ ..] => {
            let second = rest.first().map_or(0, |c| c.1);
            if *n >= 2 && *n >= 3 * second {
                Ok((
                    w.clone(),
                    note("content", format!("{} named {n} times: {}", w.name, l.text), &l.at),
                ))
            } else {
                Err(format!(
                    "the wards the text names do not settle it ({} {n} times, next {second})",
                    w.name
                ))
            }
        }
    }
}

/// The document's title: a heading naming the form, or a line that is a
/// form's name (`令和4年度 港区運営方針 (素案)からの変更について`,
/// `区政運営基本方針の成果目標の達成に向けた取組状況について(大正区)`).
pub fn title(lines: &[Line]) -> Option<String> {
    static TITLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:運営方針|区政運営基本方針).*(?:について|概要版|に関する|変更)").expect("re"));
    lines
        .iter()
        .find(|l| l.heading && TITLE_WORDS.is_match(&l.text))
        .or_else(|| {
            lines
                .iter()
                .find(|l| TITLE.is_match(&l.text) && l.text.chars().count() <= 80)
        })
        .map(|l| l.text.clone())
}

/// A hint from the file's name, used only where the content is silent:
/// a ward's romaji or name as a word of the name.
pub fn ward_from_file_name(name: &str) -> Option<Ward> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let found: Vec<Ward> = wards::WARDS
        .iter()
        .filter(|(_, jp, romaji)| words.contains(romaji) || name.contains(jp))
        .filter_map(|(code, _, _)| wards::lookup(code))
        .collect();
    (found.len() == 1).then(|| found[0].clone())
}

/// A four-digit fiscal year in the file's name (`…-2022-…`), or an era year.
pub fn year_from_file_name(name: &str) -> Option<i32> {
    static Y: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)").expect("re"));
    let ys: Vec<i32> = Y
        .captures_iter(name)
        .filter_map(|c| c.get(1)?.as_str().parse().ok())
        .collect();
    (ys.len() == 1).then(|| ys[0])
}
