//! Field parsers shared by every grammar: what the text under a label
//! means (paragraphs, items, indicators with their history and targets,
//! budgets, prior results, current-state figures, reviews).

use super::tokens::Tok;
use crate::model::{
    Achievement, Effectiveness, Location, Observation, OutcomeIndicator, PriorResult, ProcessIndicator, Progress,
    Quantity, RebuildCriterion, Review, YearValue,
};
use crate::normalize::{self, join, quantity, year};
use regex::Regex;
use std::sync::LazyLock;

/// A piece of text under a label, with where it came from.
#[derive(Debug, Clone)]
pub struct Piece {
    pub text: String,
    pub seg: usize,
    pub row: usize,
    pub line: bool,
    pub blank_before: bool,
    pub seg_start: bool,
    pub at: Location,
}

impl Piece {
    pub fn from_tok(tok: &Tok, text: &str) -> Piece {
        Piece {
            text: text.to_string(),
            seg: tok.seg,
            row: tok.row,
            line: tok.line,
            blank_before: tok.blank_before,
            seg_start: tok.seg_start,
            at: tok.at.clone(),
        }
    }
}

/// Paragraphs: a table cell item is one; running lines join until a blank
/// line or an item start (・, ①, 【…).
pub fn paragraphs(pieces: &[Piece]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<&Piece> = None;
    for p in pieces {
        let t = p.text.trim();
        if t.is_empty() {
            continue;
        }
        let continues = match prev {
            Some(q) => p.line && q.line && q.seg != p.seg && p.seg_start && !p.blank_before && !join::starts_item(t),
            None => false,
        };
        match (continues, out.last_mut()) {
            (true, Some(last)) => *last = join::join_two(last, t),
            _ => out.push(t.to_string()),
        }
        prev = Some(p);
    }
    out
}

/// The pieces as one text, paragraphs separated by `\n`; None if empty.
pub fn text(pieces: &[Piece]) -> Option<String> {
    let p = paragraphs(pieces);
    (!p.is_empty()).then(|| p.join("\n"))
}

static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:-\s+|・\s*|○\s*|●\s*|◎\s*)+").expect("bullet regex"));

/// Remove a list bullet (`- `, `・`, `○`).
pub fn strip_bullet(s: &str) -> String {
    BULLET.replace(s.trim(), "").trim().to_string()
}

/// Items of a list: paragraphs, each split again where a bullet `・`
/// follows a space (`… 24件 ・区内転入者に…`), bullets removed.
pub fn items(pieces: &[Piece]) -> Vec<String> {
    paragraphs(pieces).iter().flat_map(|p| split_bullets(p)).collect()
}

/// `・a ・b` → [a, b]; text before the first bullet is an item too.
pub fn split_bullets(p: &str) -> Vec<String> {
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|\s)(?:・|-\s)").expect("split regex"));
    let mut out = Vec::new();
    let mut last = 0;
    for m in SPLIT.find_iter(p) {
        let chunk = strip_bullet(&p[last..m.start()]);
        if !chunk.is_empty() {
            out.push(chunk);
        }
        last = m.start();
    }
    let chunk = strip_bullet(&p[last..]);
    if !chunk.is_empty() {
        out.push(chunk);
    }
    out
}

/// A bulleted list in running text ends where a paragraph without a
/// bullet follows a blank line; what comes after it (a table the text
/// extraction moved) is returned apart.
pub fn split_list_tail(pieces: &[Piece]) -> (Vec<Piece>, Vec<Piece>) {
    let mut seen_bullet = false;
    for (i, p) in pieces.iter().enumerate() {
        let t = p.text.trim();
        let bullet = t.starts_with('・') || t.starts_with("- ");
        if bullet {
            seen_bullet = true;
        } else if seen_bullet && p.line && p.blank_before && p.seg_start {
            return (pieces[..i].to_vec(), pieces[i..].to_vec());
        }
    }
    (pieces.to_vec(), Vec::new())
}

static LEGEND: LazyLock<Regex> = LazyLock::new(|| {
    // A mark is any one character: a release re-encoded into Shift_JIS
    // may have lost ① or — to `?`.
    Regex::new(
        r"(?x)
        [^\s]\s*:\s*(?:目標達成|目標未達成|撤退・再構築基準未達成)(?:\(見込\))?
      | \(\s*(?:i|ii|ⅰ|ⅱ|[?？〓]{1,2})\s*\)\s*取組[はを]予定どおり(?:進捗|実施)(?:していない|しなかった)?
      | [^\s]\s*:\s*有効(?:であり、?継続して推進|でないため、?(?:取組|戦略)を見直す)
      | [^\s]\s*:\s*プロセス指標未設定\s*\(未測定\)
      | [ABab]\s*:\s*順調(?:でない)?
      | 前年度\s+個別\s+全体
      | ※[^※]{0,40}?必須",
    )
    .expect("legend regex")
});

/// The form's printed legends of choices in a text.
pub fn legends(s: &str) -> Vec<String> {
    LEGEND.find_iter(s).map(|m| m.as_str().to_string()).collect()
}

/// The text with the form's printed legends of choices removed
/// (`①:目標達成(見込) (i)取組は予定どおり進捗 …`, `ア:有効であり…`).
/// A blank form field is its legend alone and comes out empty.
pub fn strip_legends(s: &str) -> String {
    let t = LEGEND.replace_all(s, " ");
    normalize::collapse_spaces(&t)
}

/// A history/target pair inside an indicator: `29年度:49.9%`,
/// `令和5年度までに90%以上`, `平成29年度までに 70%`.
static YEAR_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<y>(?:令和|平成|R|H)\s*(?:元|[0-9]{1,2})\s*年度|(?:元|[0-9]{1,2})\s*年度|(?:19|20)[0-9]{2}\s*年度)
        \s*(?:末\s*)?(?:までに|時点|末)?\s*(?:に|で)?\s*[:：]?\s*(?:全地域で)?\s*
        (?P<v>(?:延べ|約)?\s*[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:%|[^\s0-9、,→➝⇒()]+)?\s*(?:以上|以下|未満|超)?)",
    )
    .expect("year-value regex")
});

const ARROWS: [char; 4] = ['→', '➝', '⇒', '➡'];

/// Outcome indicators from their text: each starts at `○` (or is the
/// whole text); a description, then `year:value` pairs. Pairs chained by
/// arrows are the history; the others are targets.
pub fn outcome_indicators(raw: &str, doc_year: Option<i32>) -> Vec<OutcomeIndicator> {
    let t = normalize::text(raw);
    let parts: Vec<&str> = if t.contains('○') {
        t.split('○').filter(|p| !p.trim().is_empty()).collect()
    } else {
        vec![t.as_str()]
    };
    parts.iter().filter_map(|p| outcome_indicator(p, doc_year)).collect()
}

fn outcome_indicator(p: &str, doc_year: Option<i32>) -> Option<OutcomeIndicator> {
    let mut history = Vec::new();
    let mut targets = Vec::new();
    let mut first_start = None;
    let mut prev_end = 0;
    let mut prev_was_chained = false;
    let matches: Vec<_> = YEAR_VALUE.captures_iter(p).collect();
    for (i, c) in matches.iter().enumerate() {
        let (Some(whole), Some(y), Some(v)) = (c.get(0), c.name("y"), c.name("v")) else {
            continue;
        };
        let Some(fy) = year::parse_fiscal_year(y.as_str(), doc_year) else {
            continue;
        };
        if first_start.is_none() {
            first_start = Some(whole.start());
        }
        let between = &p[prev_end..whole.start()];
        let after = matches
            .get(i + 1)
            .and_then(|n| n.get(0))
            .map_or(&p[whole.end()..], |n| &p[whole.end()..n.start()]);
        let chained_before = i > 0 && between.contains(ARROWS);
        let chained_after = after.contains(ARROWS);
        let mut q = quantity::parse_quantity(v.as_str());
        q.text = normalize::collapse_spaces(v.as_str());
        let item = YearValue {
            fiscal_year: Some(fy),
            value: q,
        };
        // Chained by arrows: history. A past year with no comparator is
        // history too (an arrow lost in re-encoding); the rest are targets.
        let past = matches!((doc_year, q_comparator_none(v.as_str())), (Some(d), true) if fy < d);
        let is_history = chained_after || (chained_before && prev_was_chained) || past;
        if is_history {
            history.push(item);
        } else {
            targets.push(item);
        }
        prev_was_chained = chained_after;
        prev_end = whole.end();
    }
    let desc_end = first_start.unwrap_or(p.len());
    let description = clean_description(&p[..desc_end]);
    if description.is_empty() && history.is_empty() && targets.is_empty() {
        return None;
    }
    Some(OutcomeIndicator {
        description,
        history,
        targets,
    })
}

fn q_comparator_none(v: &str) -> bool {
    quantity::parse_quantity(v).comparator.is_none()
}

/// A description without its trailing joiners (`…割合:`, `…割合が`).
pub fn clean_description(s: &str) -> String {
    let t = normalize::collapse_spaces(s);
    let t = t.trim_end_matches([':', '：', ' ', '、', '(', '（']);
    let t = t.strip_suffix("が").or_else(|| t.strip_suffix("を")).unwrap_or(t);
    let t = t.trim_end_matches([':', ' ']);
    strip_bullet(t)
}

/// Process indicators: one per item with a target.
pub fn process_indicators(pieces: &[Piece]) -> Vec<ProcessIndicator> {
    let mut out = Vec::new();
    for para in paragraphs(pieces) {
        let para = strip_legends(&para);
        if para.trim().is_empty() {
            continue;
        }
        out.push(process_indicator(&para));
    }
    out
}

/// One process indicator: the description and the target at its end.
pub fn process_indicator(text: &str) -> ProcessIndicator {
    let t = normalize::clean(text);
    match quantity::locate_quantity(&t) {
        Some(l) => {
            let tail = l.sentence[l.end..].trim_matches(|c: char| c.is_whitespace() || "。.)）".contains(c));
            let description = if tail.is_empty() {
                clean_description(&l.sentence[..l.start])
            } else {
                strip_bullet(&l.sentence)
            };
            ProcessIndicator {
                description: if description.is_empty() {
                    strip_bullet(&l.sentence)
                } else {
                    description
                },
                target: Some(l.quantity),
            }
        }
        None => ProcessIndicator {
            description: strip_bullet(&t),
            target: None,
        },
    }
}

/// Rebuild criteria: each item with its threshold.
pub fn rebuild_criteria(pieces: &[Piece]) -> Vec<RebuildCriterion> {
    paragraphs(pieces)
        .iter()
        .map(|p| strip_legends(p))
        .filter(|p| !p.is_empty())
        .map(|p| rebuild_criterion(&p))
        .collect()
}

pub fn rebuild_criterion(text: &str) -> RebuildCriterion {
    let t = normalize::clean(text);
    RebuildCriterion {
        description: strip_bullet(&t),
        threshold: quantity::locate_quantity(&t).map(|l| l.quantity),
    }
}

static PRIOR_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)<?\s*(?P<y>(?:令和|平成|R|H)?\s*(?:元|[0-9]{1,2})\s*年度)(?:\s*(?P<q>\([^)]*\)))?\s*>?(?:\s*実績)?(?:\s|$|・)")
        .expect("prior regex")
});

/// Prior results (前年度までの実績): items grouped under the years that
/// head them (`3年度 ・…`, `<2年度> ・…`).
pub fn prior_results(pieces: &[Piece], doc_year: Option<i32>) -> Vec<PriorResult> {
    let joined = paragraphs(pieces).join(" ");
    let mut out: Vec<PriorResult> = Vec::new();
    let heads: Vec<_> = PRIOR_YEAR
        .captures_iter(&joined)
        .filter_map(|c| {
            let y = c.name("y")?;
            let whole = c.get(0)?;
            // The heading as printed where it says more than the year
            // (`3年度(12月末時点)`).
            let heading = c
                .name("q")
                .map(|q| normalize::collapse_spaces(&format!("{}{}", y.as_str(), q.as_str())));
            // A year heads a group only where items follow it.
            Some((
                whole.start(),
                whole.end(),
                year::parse_fiscal_year(y.as_str(), doc_year),
                heading,
            ))
        })
        .collect();
    let mut push = |fy: Option<i32>, heading: Option<String>, body: &str| {
        let items = split_bullets(body);
        if items.is_empty() {
            return;
        }
        if let Some(last) = out.last_mut().filter(|l| l.fiscal_year == fy) {
            last.items.extend(items);
            last.heading = last.heading.take().or(heading);
        } else {
            out.push(PriorResult {
                fiscal_year: fy,
                items,
                heading,
            });
        }
    };
    if heads.is_empty() {
        push(None, None, &joined);
        return dedupe_prior(out);
    }
    if heads[0].0 > 0 {
        push(None, None, &joined[..heads[0].0]);
    }
    for (i, h) in heads.iter().enumerate() {
        let end = heads.get(i + 1).map_or(joined.len(), |n| n.0);
        push(h.2, h.3.clone(), &joined[h.1.min(end)..end]);
    }
    dedupe_prior(out)
}

/// A release that prints the same results twice (a layout repeat) lists
/// them once.
fn dedupe_prior(mut v: Vec<PriorResult>) -> Vec<PriorResult> {
    for r in &mut v {
        let mut seen = std::collections::HashSet::new();
        r.items.retain(|i| seen.insert(i.clone()));
    }
    v
}

/// A current-state survey header: `区民モニターアンケート(2年度)`.
static SURVEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<s>.*?)\s*\(\s*(?P<y>(?:令和|平成|R|H)?\s*(?:元|[0-9]{1,2})\s*年度)\s*\)\s*$")
        .expect("survey regex")
});

/// Current-state figures (現状): survey headers, then description/value
/// rows. A description printed without its value, whose value comes later
/// on its own (text pulled from a PDF), is paired with it in order.
pub fn current_state(
    pieces: &[Piece],
    doc_year: Option<i32>,
    warnings: &mut Vec<crate::model::Warning>,
) -> Vec<Observation> {
    let mut out = Vec::new();
    let mut survey: Option<(String, Option<i32>)> = None;
    let mut waiting: Vec<(Option<String>, Option<i32>, String, Location)> = Vec::new();
    // Group pieces by table row; lines are one group each.
    let mut groups: Vec<Vec<&Piece>> = Vec::new();
    for p in pieces {
        match groups.last_mut() {
            Some(g) if !p.line && g.last().is_some_and(|q| !q.line && q.row == p.row) => g.push(p),
            _ => groups.push(vec![p]),
        }
    }
    // Running lines of one description join.
    let mut merged: Vec<(String, Location, usize)> = Vec::new();
    for g in &groups {
        let text = g.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\t");
        let first = g[0];
        let continues = first.line && !first.blank_before && merged.last().is_some();
        let is_value = quantity::parse_value_only(&text).is_some();
        if continues
            && !is_value
            && !SURVEY.is_match(&text)
            && let Some(last) = merged.last_mut()
            && quantity::parse_value_only(&last.0).is_none()
            && !last.0.contains('\t')
        {
            last.0 = join::join_two(&last.0, &text);
            continue;
        }
        merged.push((text, first.at.clone(), g.len()));
    }
    for (text, at, _) in merged {
        let cells: Vec<&str> = text.split('\t').collect();
        if cells.len() >= 2 {
            let value_text = cells[cells.len() - 1];
            if let Some(v) = quantity::parse_value_only(value_text) {
                let desc = cells[..cells.len() - 1].join(" ");
                out.push(observation(&desc, v, survey.as_ref(), doc_year, at));
                continue;
            }
        }
        let t = text.replace('\t', " ");
        if let Some(v) = quantity::parse_value_only(&t) {
            // A value on its own: the first description still waiting.
            if !waiting.is_empty() {
                let (s, y, desc, at0) = waiting.remove(0);
                let sv = s.map(|s| (s, y));
                out.push(observation(&desc, v, sv.as_ref(), doc_year, at0));
                warnings.push(crate::model::Warning::new(
                    "value_paired_by_order",
                    format!(
                        "current-state value {:?} printed apart from its description; paired in order",
                        t
                    ),
                    at,
                ));
            }
            continue;
        }
        if let Some(c) = SURVEY.captures(&t) {
            let name = c.name("s").map_or("", |m| m.as_str()).trim();
            let is_header = name.contains("アンケート") || name.contains("調査");
            if is_header {
                let fy = c.name("y").and_then(|y| year::parse_fiscal_year(y.as_str(), doc_year));
                survey = Some((name.to_string(), fy));
                continue;
            }
        }
        // A description with its value at the end of the same line.
        if let Some((desc, v)) = split_trailing_value(&t) {
            out.push(observation(&desc, v, survey.as_ref(), doc_year, at));
            continue;
        }
        let (s, y) = survey.clone().map_or((None, None), |(s, y)| (Some(s), y));
        waiting.push((s, y, t, at));
    }
    out
}

/// `…と回答した割合 93.4%` → (description, 93.4%).
fn split_trailing_value(t: &str) -> Option<(String, Quantity)> {
    let (desc, v) = t.rsplit_once(' ')?;
    let q = quantity::parse_value_only(v)?;
    (!desc.trim().is_empty()).then(|| (desc.trim().to_string(), q))
}

fn observation(
    desc: &str,
    mut value: Quantity,
    survey: Option<&(String, Option<i32>)>,
    doc_year: Option<i32>,
    at: Location,
) -> Observation {
    let desc = normalize::collapse_spaces(desc);
    // A description with its own year (`…件数(2年度)`) stands alone.
    let own = SURVEY
        .captures(&desc)
        .and_then(|c| c.name("y").and_then(|y| year::parse_fiscal_year(y.as_str(), doc_year)));
    let (survey, fiscal_year) = match (own, survey) {
        (Some(y), _) => (None, Some(y)),
        (None, Some((s, y))) => (Some(s.clone()), *y),
        (None, None) => (None, None),
    };
    value.text = normalize::collapse_spaces(&value.text);
    Observation {
        survey,
        fiscal_year,
        description: desc,
        value,
        at,
    }
}

/// A review (中間振り返り / 自己評価) from its fields, with the printed
/// legends removed; None when nothing is filled in.
pub struct ReviewFields<'a> {
    pub achievement: &'a [Piece],
    pub effectiveness: &'a [Piece],
    pub results: &'a [Piece],
    pub issues: &'a [Piece],
    pub improvements: &'a [Piece],
}

pub fn review(f: &ReviewFields) -> Option<Review> {
    let clean = |p: &[Piece]| -> Option<String> {
        let t = strip_legends(&text(p)?.replace('\n', " \n "));
        let t = t.trim().to_string();
        (!t.is_empty()).then_some(t)
    };
    let ach = clean(f.achievement);
    let eff = clean(f.effectiveness);
    let (achievement, progress) = ach.as_deref().map_or((None, None), read_achievement_marks);
    let effectiveness = eff.as_deref().and_then(read_effectiveness_mark);
    let r = Review {
        achievement,
        progress,
        effectiveness,
        results: clean(f.results),
        issues: clean(f.issues),
        improvements: clean(f.improvements),
        verdict: ach.filter(|_| achievement.is_some() || progress.is_some()),
    };
    let empty = r.achievement.is_none()
        && r.progress.is_none()
        && r.effectiveness.is_none()
        && r.results.is_none()
        && r.issues.is_none()
        && r.improvements.is_none();
    (!empty).then_some(r)
}

/// A filled-in achievement answer: `①(i)`, `② (ii)`, `③`.
fn read_achievement_marks(s: &str) -> (Option<Achievement>, Option<Progress>) {
    let achievement = if s.contains('①') {
        Some(Achievement::Achieved)
    } else if s.contains('②') {
        Some(Achievement::NotAchieved)
    } else if s.contains('③') {
        Some(Achievement::BelowRebuildThreshold)
    } else {
        None
    };
    let progress = if s.contains("(ii)") || s.contains("(ⅱ)") || s.contains('ⅱ') {
        Some(Progress::BehindSchedule)
    } else if s.contains("(i)") || s.contains("(ⅰ)") || s.contains('ⅰ') {
        Some(Progress::OnSchedule)
    } else {
        None
    };
    (achievement, progress)
}

fn read_effectiveness_mark(s: &str) -> Option<Effectiveness> {
    let t = s.trim();
    match t.chars().next()? {
        'ア' => Some(Effectiveness::Effective),
        'イ' => Some(Effectiveness::NotEffective),
        '―' | '—' | '-' => Some(Effectiveness::NotMeasured),
        _ => None,
    }
}

/// A mid-term verdict as the review digest prints it:
/// 【目標達成見込、取組予定通り進捗している】.
pub fn verdict(s: &str) -> (Option<Achievement>, Option<Progress>) {
    let t = normalize::clean(s);
    let achievement = if t.contains("撤退・再構築基準未達成") || t.contains("撤退基準未達成") {
        Some(Achievement::BelowRebuildThreshold)
    } else if t.contains("目標未達成") {
        Some(Achievement::NotAchieved)
    } else if t.contains("目標達成") {
        Some(Achievement::Achieved)
    } else {
        None
    };
    let progress = if t.contains("進捗していない") || t.contains("実施しなかった") || t.contains("遅れ")
    {
        Some(Progress::BehindSchedule)
    } else if t.contains("予定通り進捗")
        || t.contains("予定どおり進捗")
        || t.contains("予定どおり実施")
        || t.contains("実施見込")
    {
        Some(Progress::OnSchedule)
    } else {
        None
    };
    (achievement, progress)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Comparator;

    fn piece(text: &str, line: bool, seg: usize, blank_before: bool) -> Piece {
        Piece {
            text: text.into(),
            seg,
            row: seg,
            line,
            blank_before,
            seg_start: true,
            at: Location::line(seg as u32 + 1),
        }
    }

    #[test]
    fn outcome_history_and_targets() {
        // From the plan, strategy 1-2.
        let v = outcome_indicators(
            "○区民モニターアンケートにおいて、地域運営に…と回答した割合 29年度:78.6%→元年度:79.6%→2年度:69.0% 4年度:85%以上\n○地域活動協議会の構成団体が、…と回答した割合 元年度:93.1%→2年度:93.4% 4年度:89.0%以上、5年度:90.0%以上(4年度及び5年度の目標値は市政改革プラン3.1に基づく市全体の目標設定)",
            Some(2022),
        );
        assert_eq!(v.len(), 2);
        let years: Vec<_> = v[0].history.iter().map(|h| (h.fiscal_year, h.value.value)).collect();
        assert_eq!(
            years,
            [
                (Some(2017), Some(78.6)),
                (Some(2019), Some(79.6)),
                (Some(2020), Some(69.0))
            ]
        );
        assert_eq!(v[0].targets.len(), 1);
        assert_eq!(
            (v[0].targets[0].fiscal_year, v[0].targets[0].value.value),
            (Some(2022), Some(85.0))
        );
        assert_eq!(v[0].targets[0].value.comparator, Some(Comparator::Gte));
        assert!(v[0].description.ends_with("と回答した割合"));
        let t: Vec<_> = v[1].targets.iter().map(|h| (h.fiscal_year, h.value.value)).collect();
        assert_eq!(t, [(Some(2022), Some(89.0)), (Some(2023), Some(90.0))]);
    }

    #[test]
    fn outcome_targets_with_made_by() {
        let v = outcome_indicators("地活協の構成団体が、…と思う割合:令和5年度までに90%以上", None);
        assert_eq!(v[0].targets[0].fiscal_year, Some(2023));
        assert_eq!(v[0].targets[0].value.value, Some(90.0));
        assert_eq!(v[0].description, "地活協の構成団体が、…と思う割合");
        let v = outcome_indicators("区民アンケートで…区民の割合:令和3年度末までに41.5%以上", None);
        assert_eq!(
            (v[0].targets[0].fiscal_year, v[0].targets[0].value.value),
            (Some(2021), Some(41.5))
        );
        let v = outcome_indicators(
            "(アンケートの実施) 区民の大正区への愛着が深まったと答えた人の割合 平成29年度までに 70%",
            None,
        );
        assert_eq!(
            (v[0].targets[0].fiscal_year, v[0].targets[0].value.value),
            (Some(2017), Some(70.0))
        );
    }

    #[test]
    fn process_indicator_description_and_target() {
        let p = process_indicator("区民モニターアンケートにおいて、…と回答した割合:55%以上");
        assert_eq!(p.description, "区民モニターアンケートにおいて、…と回答した割合");
        let t = p.target.unwrap();
        assert_eq!(
            (t.value, t.comparator, t.text.as_str()),
            (Some(55.0), Some(Comparator::Gte), "55%以上")
        );
    }

    #[test]
    fn legends_are_not_answers() {
        let s = "①:目標達成(見込) (i)取組は予定どおり進捗 (ii)取組は予定どおり進捗していない ②:目標未達成(見込) (i)取組は予定どおり進捗 (ii)取組は予定どおり進捗していない ③:撤退・再構築基準未達成";
        assert_eq!(strip_legends(s), "");
        assert_eq!(
            strip_legends("ア:有効であり、継続して推進 イ:有効でないため、取組を見直す —:プロセス指標未設定(未測定)"),
            ""
        );
        assert_eq!(strip_legends("A:順調 B:順調でない"), "");
        assert_eq!(strip_legends("※左記に「②、③」、「イ」がある場合は必須"), "");
        let f = [piece(s, false, 0, false)];
        let none: [Piece; 0] = [];
        assert!(
            review(&ReviewFields {
                achievement: &f,
                effectiveness: &none,
                results: &none,
                issues: &none,
                improvements: &none
            })
            .is_none()
        );
    }

    #[test]
    fn prior_results_by_year() {
        let p = [piece(
            "3年度 ・広報紙で「日頃の地域とのつながりの大切さ」を伝える記事の掲載 24件 ・区内転入者に地域活動協議会の紹介チラシを配布",
            false,
            0,
            false,
        )];
        let r = prior_results(&p, Some(2022));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].fiscal_year, Some(2021));
        assert_eq!(
            r[0].items,
            [
                "広報紙で「日頃の地域とのつながりの大切さ」を伝える記事の掲載 24件",
                "区内転入者に地域活動協議会の紹介チラシを配布"
            ]
        );
        let p = [
            piece(
                "<2年度> ・出前講座の提供(全42講座)、実施(2件) ・学校体育施設開放(16校)",
                false,
                0,
                false,
            ),
            piece("<3年度> ・出前講座の提供(全31講座)", false, 1, false),
        ];
        let r = prior_results(&p, Some(2022));
        let ys: Vec<_> = r.iter().map(|x| (x.fiscal_year, x.items.len())).collect();
        assert_eq!(ys, [(Some(2020), 2), (Some(2021), 1)]);
    }

    #[test]
    fn verdicts() {
        assert_eq!(
            verdict("【目標達成見込、取組予定通り進捗している】"),
            (Some(Achievement::Achieved), Some(Progress::OnSchedule))
        );
        assert_eq!(
            verdict("【目標未達成見込、取組予定通り進捗している】"),
            (Some(Achievement::NotAchieved), Some(Progress::OnSchedule))
        );
        assert_eq!(
            verdict("【目標達成見込、取組予定通り進捗していない】"),
            (Some(Achievement::Achieved), Some(Progress::BehindSchedule))
        );
    }

    #[test]
    fn running_lines_join_into_paragraphs() {
        let p = [
            piece("・少人数世帯…人と人との相", true, 0, false),
            piece("対のコミュニケーションの減少", true, 1, false),
            piece("・地域活動協議会では", true, 2, false),
        ];
        assert_eq!(
            paragraphs(&p),
            [
                "・少人数世帯…人と人との相対のコミュニケーションの減少",
                "・地域活動協議会では"
            ]
        );
    }
}
