//! Kind, ward and fiscal year, from the document's own words.
//!
//! Evidence is weighed by where it stands, strongest first
//! ([`Line::tier`]): a **title** (a heading naming the form, a line that
//! is a form's title: `令和5年度 港区運営方針…`, `区政運営基本方針…`), then
//! a **form label carrying the year** (`令和4年度 区運営の基本的な考え方`),
//! then **any other line with a form's name words** (`…区政会議…`). A
//! year or a ward printed in a body cell (`R4年度` in prior-results rows)
//! never outvotes the title.
//!
//! A wrong ward is worse than none: where the words do not settle it, the
//! ward is null and a warning says so.
//!
//! **What makes a document a form** ([`evidence`]): at least two pieces of
//! the forms' evidence — distinct labels of the forms standing where labels
//! stand (区の目標, 区の使命, 具体的取組 1-1-1, プロセス(過程)指標,
//! 前年度までの実績 …; column headers such as 経営課題の概要 count, bare
//! common words such as 計画 or 課題 do not), or a title naming a form
//! (which counts as one). A file holding one label and a number
//! (`区の目標\n2\n`) is not a plan. A document with that much evidence is
//! converted even when no rule names its kind (a form generation not fully
//! known): it is read as a plan, and a warning says so.

use super::labels::{Catalogue, Label, PLAN_LABELS, SUMMARY_LABELS};
use super::matcher;
use crate::ir::{Ir, RowKind};
use crate::model::{DetectionNote, Kind, Location, Ward};
use crate::normalize::{self, year};
use crate::wards;
use regex::Regex;
use std::sync::LazyLock;

/// A row's normalised text and where it is.
pub struct Line {
    pub text: String,
    /// The text in the label matcher's canonical form (decorations,
    /// brackets and spacing folded).
    pub canon: String,
    pub at: Location,
    pub heading: bool,
    /// How strongly the line speaks for the whole document (see
    /// [`Line::tier`]).
    tier: Option<u8>,
}

pub fn lines(ir: &Ir) -> Vec<Line> {
    ir.rows
        .iter()
        .filter(|r| !r.is_blank())
        .map(|r| {
            let text = normalize::clean(&r.text().replace(['\t', '\n'], " "));
            let mut l = Line {
                canon: matcher::canonical_text(&text),
                text,
                at: r.cells.first().map(|c| c.at.clone()).unwrap_or_else(|| r.at.clone()),
                heading: matches!(r.kind, RowKind::Heading(_)),
                tier: None,
            };
            l.tier = l.weigh();
            l
        })
        .collect()
}

/// An era year, on canonical text (a space may stand after a letter).
const ERA_YEAR: &str = r"(?:令和|平成|R|H) ?(?:元|[0-9]{1,2}) ?年度";

impl Line {
    /// How strongly the line speaks for the whole document: 0 a title,
    /// 1 a form label carrying the year, 2 another line with a form's name
    /// words; None for body text.
    pub fn tier(&self) -> Option<u8> {
        self.tier
    }

    fn weigh(&self) -> Option<u8> {
        static TITLE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(
                r"^◆?【?(?:{ERA_YEAR})?(?:\p{{Han}}{{1,4}}区)?(?:運営方針|区政運営基本方針)|区政運営基本方針.*{ERA_YEAR}|{ERA_YEAR}.*区政運営基本方針"
            ))
            .expect("re")
        });
        static POLICY: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(
                r"^◆?【?{ERA_YEAR}(?:\p{{Han}}{{1,4}})?区政?運営の基本的な考え方"
            ))
            .expect("re")
        });
        if (self.heading && TITLE_WORDS.is_match(&self.text))
            || (self.canon.chars().count() <= 80 && TITLE.is_match(&self.canon))
        {
            Some(0)
        } else if POLICY.is_match(&self.canon) {
            Some(1)
        } else if TITLE_WORDS.is_match(&self.text) {
            Some(2)
        } else {
            None
        }
    }
}

fn note(by: &str, evidence: impl Into<String>, at: &Location) -> DetectionNote {
    DetectionNote {
        by: by.to_string(),
        evidence: Some(evidence.into()),
        at: Some(at.clone()),
    }
}

/// The kind a document is read as, and how that was decided.
pub struct KindFound {
    pub kind: Kind,
    pub note: DetectionNote,
    /// No rule named the kind: the document holds the forms' evidence and
    /// is read as a plan.
    pub guessed: bool,
}

/// The forms' evidence in a document, up to `need` pieces: the distinct
/// labels found (see the module documentation), with where the first
/// stands.
pub fn evidence<'l>(lines: &'l [Line], need: usize, labels: &Catalogue) -> Vec<(&'static str, &'l Line)> {
    let mut found: Vec<(&'static str, &Line)> = Vec::new();
    for l in lines {
        if l.tier() == Some(0) && !found.iter().any(|(n, _)| *n == "title") {
            found.push(("title", l));
        }
        for f in labels.find(&l.text) {
            let name = match f.label {
                Label::Junk | Label::Bracket(_) | Label::Section | Label::Issues | Label::Improvements => continue,
                Label::Goal => "区の目標",
                Label::Mission => "区の使命",
                Label::Policy(_) => "区運営の基本的な考え方",
                Label::Form1Table | Label::Form2 => "重点的に取り組む主な経営課題",
                Label::Header => "a form's column header",
                Label::KeyIssue(_) | Label::Issue { .. } => "経営課題",
                Label::KeyStrategy { .. } | Label::Strategy { .. } => "めざす成果及び戦略",
                Label::MainInitiatives | Label::MainInitiative { .. } | Label::Initiative { .. } => "具体的取組",
                Label::Reform => "市政改革プラン",
                Label::FormNo(_) => "様式",
                Label::Sdgs => "主なSDGsゴール",
                Label::Vision => "めざすべき将来像",
                Label::CurrentState => "現状",
                Label::FactorAnalysis => "要因分析",
                Label::Challenges => "課題(上記要因を解消するために必要なこと)",
                Label::IssueEvaluation => "経営課題全体としての評価",
                Label::TargetState => "めざす状態",
                Label::Approach => "戦略(中期的な取組の方向性)",
                Label::Outcome | Label::ShortOutcome => "アウトカム指標",
                Label::ShortApproach => "戦略",
                Label::ShortInitiative { .. } => "具体的取組",
                Label::EvalEffectiveness | Label::EvalOutcome | Label::EvalProgress | Label::Direction => "戦略の評価",
                Label::Budget { .. } => "決算額・予算額",
                Label::Activities => "当年度の取組内容",
                Label::Process => "プロセス(過程)指標",
                Label::Rebuild => "撤退・再構築基準",
                Label::Prior => "前年度までの実績",
                Label::ReviewAchievement
                | Label::ReviewIssuesImprovements
                | Label::ReviewEffectiveness
                | Label::ReviewResults => "振り返りの欄",
            };
            if !found.iter().any(|(n, _)| *n == name) {
                found.push((name, l));
            }
            if found.len() >= need {
                return found;
            }
        }
    }
    found
}

/// How many pieces of evidence make a document a form.
pub const MIN_EVIDENCE: usize = 2;

/// The document's kind, from the words only each kind prints; None when
/// the document holds less than [`MIN_EVIDENCE`] of the forms' evidence.
pub fn kind(lines: &[Line]) -> Option<KindFound> {
    let k = kind_by_rules(lines)?;
    // Each kind's evidence is read with what its grammar reads anyway: the
    // plan's labels, the digest's, the review digest's and the older
    // report's headings and ids.
    let enough = match k.kind {
        Kind::Plan | Kind::PlanRevision => evidence(lines, MIN_EVIDENCE, &PLAN_LABELS).len() >= MIN_EVIDENCE,
        Kind::Summary => evidence(lines, MIN_EVIDENCE, &SUMMARY_LABELS).len() >= MIN_EVIDENCE,
        Kind::MidtermReview | Kind::ProgressReport => {
            static STRUCTURE: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r"^◆?【?(?:経営課題 ?[0-9]|戦略 ?[0-9]+ ?-[0-9]+)|【[0-9]+ ?-[0-9]+(?: ?-[0-9]+)?】|【様式3取組項目")
                    .expect("re")
            });
            lines.iter().any(|l| STRUCTURE.is_match(&l.canon))
        }
    };
    enough.then_some(k)
}

/// The kind the words say, before the evidence is weighed; a document no
/// rule names, with the plan's evidence, is read as a plan.
fn kind_by_rules(lines: &[Line]) -> Option<KindFound> {
    let find = |pat: &Regex| lines.iter().find(|l| pat.is_match(&l.canon));
    static PROGRESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"区政運営基本方針の成果目標の達成に向けた取組状況|区政運営基本方針.*(?:業績目標|撤退基準)")
            .expect("re")
    });
    static MIDTERM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"中間振り返り.*概要版|中間振り返りの概要").expect("re"));
    static REVISION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"素案\)?からの変更").expect("re"));
    static SUMMARY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"概要版|詳細版はこちら").expect("re"));
    static PLAN_GOAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^◆?【?区の(?:目標|使命)").expect("re"));
    static PLAN_FORM2: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"具体的取組【?[0-9]+ ?-[0-9]+ ?-[0-9]+|プロセス\(過程\)指標").expect("re"));
    static DIGEST: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^◆?【?単年度(?:目標)?】?$").expect("re"));
    let found = |kind: Kind, l: &Line| {
        Some(KindFound {
            kind,
            note: note("content", &l.text, &l.at),
            guessed: false,
        })
    };
    if let Some(l) = find(&PROGRESS) {
        return found(Kind::ProgressReport, l);
    }
    if let Some(l) = find(&MIDTERM) {
        return found(Kind::MidtermReview, l);
    }
    if let Some(l) = find(&REVISION) {
        return found(Kind::PlanRevision, l);
    }
    let goal = find(&PLAN_GOAL);
    if let Some(l) = find(&SUMMARY).filter(|_| goal.is_none()) {
        return found(Kind::Summary, l);
    }
    if let Some(l) = goal {
        return found(Kind::Plan, l);
    }
    // A digest without its title: 単年度目標 columns and no 様式2 initiative blocks.
    let initiative_blocks = lines.iter().any(|l| l.canon.contains("当年度の取組内容"));
    if let Some(l) = find(&DIGEST).filter(|_| !initiative_blocks) {
        return found(Kind::Summary, l);
    }
    if let Some(l) = find(&PLAN_FORM2) {
        return found(Kind::Plan, l);
    }
    // The forms' evidence, but no rule names the kind: read as a plan.
    let ev = evidence(lines, usize::MAX, &PLAN_LABELS);
    if ev.len() < MIN_EVIDENCE {
        return None;
    }
    let (_, first) = ev.first()?;
    let names: Vec<&str> = ev.iter().map(|(n, _)| *n).collect();
    Some(KindFound {
        kind: Kind::Plan,
        note: note("evidence", names.join(", "), &first.at),
        guessed: true,
    })
}

/// Words that make a line a title line: the form's name.
static TITLE_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"運営方針|区政運営|区運営|中間振り返り|取組状況について|区政会議").expect("re"));

/// The fiscal year the document is about: an explicit era year on the
/// strongest evidence there is (see [`Line::tier`]): a title
/// (`令和4年度 港区運営方針…`, `平成28年度` beside `区政運営基本方針`),
/// else the policy label (`令和4年度 区運営の基本的な考え方`), else a line
/// with a form's name words. Within one tier the most frequent wins.
pub fn fiscal_year(lines: &[Line]) -> Option<(i32, DetectionNote)> {
    static ERA: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:令和|平成|R|H)\s*(?:元|[0-9]{1,2})\s*年度|(?:19|20)[0-9]{2}\s*年度").expect("re")
    });
    // (tier, year, count, first line index)
    let mut counts: Vec<(u8, i32, usize, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(tier) = l.tier() else { continue };
        // The year must stand before the title words, not in a sentence
        // far after them.
        let Some(m) = ERA.find(&l.text) else { continue };
        let Some(y) = year::parse_fiscal_year(m.as_str(), None) else {
            continue;
        };
        match counts.iter_mut().find(|c| c.0 == tier && c.1 == y) {
            Some(c) => c.2 += 1,
            None => counts.push((tier, y, 1, i)),
        }
    }
    let top = counts.iter().map(|c| c.0).min()?;
    let best = counts
        .iter()
        .filter(|c| c.0 == top)
        .max_by_key(|c| (c.2, std::cmp::Reverse(c.3)))?;
    let l = &lines[best.3];
    Some((best.1, note("content", &l.text, &l.at)))
}

/// The ward: named on the strongest evidence there is (a title, the
/// policy label, a line with a form's name words; see [`Line::tier`]), or,
/// failing that, named often enough in the text that no other ward
/// competes. Otherwise none.
pub fn ward(lines: &[Line]) -> Result<(Ward, DetectionNote), String> {
    for tier in 0..=2u8 {
        let mut title_wards: Vec<(Ward, &Line)> = Vec::new();
        for l in lines.iter().filter(|l| l.tier() == Some(tier)) {
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
/// form's title (`令和4年度 港区運営方針 (素案)からの変更について`,
/// `区政運営基本方針の成果目標の達成に向けた取組状況について(大正区)`).
pub fn title(lines: &[Line]) -> Option<String> {
    lines
        .iter()
        .find(|l| l.heading && TITLE_WORDS.is_match(&l.text))
        .or_else(|| lines.iter().find(|l| l.tier() == Some(0)))
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
