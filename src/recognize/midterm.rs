//! The mid-term review digest's grammar (中間振り返り 概要版).
//!
//! Headings name the key issue (`経営課題 1 …`) and the strategy
//! (`戦略1-1 …`); under each, a table whose header row names its columns
//! (具体的取組 / 現状の主な取組実績 / 目標 / 達成状況と課題・改善策) and whose
//! rows are the strategy's initiatives, numbered within the strategy.
//! Columns are found by their header labels, not by position.

use super::Parts;
use super::matcher;
use super::tokens::{self, Segment};
use super::unplaced::unplaced_text;
use super::values;
use crate::model::{Initiative, Location, ProcessIndicator, ReformItem, Review, Strategy, Warning};
use crate::normalize::{self, ids};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Item,
    Results,
    Target,
    Verdict,
}

/// The role of a column by its header label (`crate::recognize::placement`
/// counts the header row as labels).
pub(crate) fn role(header: &str) -> Option<Role> {
    let h = matcher::words(header);
    if h.starts_with("具体的取組") || h == "主な取組項目" {
        Some(Role::Item)
    } else if h.contains("取組実績") {
        Some(Role::Results)
    } else if h.starts_with("目標") {
        Some(Role::Target)
    } else if h.starts_with("達成状況") {
        Some(Role::Verdict)
    } else {
        None
    }
}

static ISSUE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^経営課題\s*(?P<n>[0-9]+)\s*(?P<t>.*)$").expect("re"));
static STRATEGY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^戦略\s*(?P<id>[0-9]+\s*-\s*[0-9]+)\s*(?P<t>.*)$").expect("re"));
static REFORM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"市政改革プラン.*取組等").expect("re"));
/// A row's first cell: its number within the strategy (`1 人と人との…`),
/// or the initiative's full id (`2-1-1 地域防災の…`).
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[【\[]?(?:(?P<id>[0-9]+\s*-\s*[0-9]+\s*-\s*[0-9]+)|(?P<n>[0-9]+))[】\]]?(?:\s+|$)(?P<t>.*)$")
        .expect("re")
});
static REPOST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"具体的取組\s*(?P<id>[0-9]+\s*-\s*[0-9]+\s*-\s*[0-9]+)\s*の再掲").expect("re"));

#[derive(Default)]
struct Builder {
    issues: BTreeMap<u32, (Option<String>, Location)>,
    strategies: BTreeMap<String, (Option<String>, Location)>,
    initiatives: BTreeMap<String, Initiative>,
    reform: Vec<ReformItem>,
    warnings: Vec<Warning>,
}

pub fn build(segs: &[Segment], _doc_year: Option<i32>) -> Parts {
    let mut b = Builder::default();
    let mut strategy: Option<String> = None;
    let mut in_reform = false;
    let mut columns: Vec<(u32, Role)> = Vec::new();
    for r in tokens::table_rows(segs) {
        let first = r.cells.first().and_then(|c| c.1.first()).cloned().unwrap_or_default();
        let first = matcher::strip_lead(&first).to_string();
        if r.cells.len() == 1 && r.cells[0].1.len() == 1 {
            if let Some(c) = ISSUE.captures(&first) {
                let n: u32 = c["n"].parse().unwrap_or(0);
                let t = c["t"].trim();
                b.issues
                    .entry(n)
                    .or_insert(((!t.is_empty()).then(|| t.to_string()), r.at.clone()));
                in_reform = false;
                columns.clear();
                continue;
            }
            if let Some(c) = STRATEGY.captures(&first) {
                if let Some(id) = normalize::normalize_id(&c["id"]) {
                    let t = c["t"].trim();
                    b.strategies
                        .entry(id.clone())
                        .or_insert(((!t.is_empty()).then(|| t.to_string()), r.at.clone()));
                    if let Some(n) = ids::issue_number(&id) {
                        b.issues.entry(n).or_insert((None, r.at.clone()));
                    }
                    strategy = Some(id);
                }
                in_reform = false;
                columns.clear();
                continue;
            }
            if REFORM.is_match(&first) {
                in_reform = true;
                strategy = None;
                columns.clear();
                continue;
            }
        }
        // A header row names the columns.
        let roles: Vec<(u32, Role)> = r
            .cells
            .iter()
            .filter_map(|(col, items)| items.first().and_then(|t| role(t)).map(|ro| (*col, ro)))
            .collect();
        if roles.len() >= 3 && roles.len() == r.cells.len() {
            columns = roles;
            continue;
        }
        if columns.is_empty() {
            continue;
        }
        // A data row: each cell to the column whose header stands at its
        // column; cells of a row that does not line up go by order.
        let mut by_role: BTreeMap<u8, Vec<String>> = BTreeMap::new();
        let lined_up = r.cells.iter().all(|(col, _)| columns.iter().any(|(c, _)| c == col));
        for (i, (col, items)) in r.cells.iter().enumerate() {
            let ro = if lined_up {
                columns.iter().find(|(c, _)| c == col).map(|(_, ro)| *ro)
            } else {
                columns.get(i).map(|(_, ro)| *ro)
            };
            if let Some(ro) = ro {
                by_role.entry(ro as u8).or_default().extend(items.iter().cloned());
            }
        }
        let get = |ro: Role| by_role.get(&(ro as u8)).cloned().unwrap_or_default();
        let item = get(Role::Item).join(" ");
        let Some(c) = ITEM.captures(matcher::strip_lead(&item)) else {
            let all: Vec<String> = r.cells.iter().map(|(_, items)| items.join(" ")).collect();
            b.warnings.push(unplaced_text(&all.join(" "), &r.at));
            continue;
        };
        let full_id = c.name("id").and_then(|m| normalize::normalize_id(m.as_str()));
        let n = c.name("n").map_or("", |m| m.as_str()).to_string();
        let title = c["t"].trim().to_string();
        let results = get(Role::Results);
        let targets = get(Role::Target);
        let verdict = get(Role::Verdict);
        if in_reform {
            b.reform.push(reform_item(&title, &results, &targets, &verdict, &r.at));
            continue;
        }
        let id = match (full_id, strategy.as_deref()) {
            (Some(id), _) => id,
            (None, Some(sid)) => format!("{sid}-{n}"),
            (None, None) => {
                b.warnings.push(Warning::new(
                    "unplaced_text",
                    format!("initiative {n} outside any strategy"),
                    r.at.clone(),
                ));
                continue;
            }
        };
        let init = initiative(&id, &title, &results, &targets, &verdict, &r.at);
        b.initiatives.entry(id).or_insert(init);
    }
    b.into_parts()
}

fn review(results: &[String], verdict: &[String]) -> Option<Review> {
    let (head, rest) = match verdict.split_first() {
        Some((h, rest)) if h.starts_with('【') => (Some(h.clone()), rest.to_vec()),
        _ => (None, verdict.to_vec()),
    };
    let (achievement, progress) = head.as_deref().map_or((None, None), values::verdict);
    let results: Vec<String> = results
        .iter()
        .map(|r| values::strip_bullet(r))
        .filter(|r| !r.is_empty())
        .collect();
    let improvements = (!rest.is_empty()).then(|| rest.join("\n"));
    let r = Review {
        achievement,
        progress,
        effectiveness: None,
        results: (!results.is_empty()).then(|| results.join("\n")),
        issues: None,
        improvements,
        verdict: head,
    };
    (r.achievement.is_some() || r.progress.is_some() || r.results.is_some() || r.improvements.is_some()).then_some(r)
}

/// Split an item at its circled marks: `①…以上 ②…点以上` → two.
fn split_marks(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if ('①'..='⑳').contains(&c) && !cur.trim().is_empty() && cur.ends_with(' ') {
            out.push(cur.trim().to_string());
            cur.clear();
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn initiative(
    id: &str,
    title: &str,
    results: &[String],
    targets: &[String],
    verdict: &[String],
    at: &Location,
) -> Initiative {
    let joined = targets.join(" ");
    if let Some(c) = REPOST.captures(&joined) {
        return Initiative {
            id: id.to_string(),
            title: (!title.is_empty()).then(|| title.to_string()),
            reposted_from: normalize::normalize_id(&c["id"]),
            at: at.clone(),
            ..Initiative::default()
        };
    }
    let process_indicators: Vec<ProcessIndicator> = targets
        .iter()
        .flat_map(|t| split_marks(t))
        .map(|t| values::process_indicator(&t))
        .collect();
    Initiative {
        id: id.to_string(),
        title: (!title.is_empty()).then(|| title.to_string()),
        process_indicators,
        midterm_review: review(results, verdict),
        at: at.clone(),
        ..Initiative::default()
    }
}

fn reform_item(title: &str, results: &[String], targets: &[String], verdict: &[String], at: &Location) -> ReformItem {
    let content: Vec<String> = results
        .iter()
        .map(|r| values::strip_bullet(r))
        .filter(|r| !r.is_empty())
        .collect();
    let target: Vec<String> = targets
        .iter()
        .map(|r| values::strip_bullet(r))
        .filter(|r| !r.is_empty())
        .collect();
    ReformItem {
        category: title.to_string(),
        content: (!content.is_empty()).then(|| content.join("\n")),
        target: (!target.is_empty()).then(|| target.join("\n")),
        review: review(&[], verdict),
        at: at.clone(),
    }
}

impl Builder {
    fn into_parts(self) -> Parts {
        let strategies = self.strategies.iter().map(|(sid, (title, at))| {
            let prefix = format!("{sid}-");
            Strategy {
                id: sid.clone(),
                title: title.clone(),
                initiatives: self
                    .initiatives
                    .iter()
                    .filter(|(id, _)| id.starts_with(&prefix))
                    .map(|(_, i)| i.clone())
                    .collect(),
                at: at.clone(),
                ..Strategy::default()
            }
        });
        let issues = super::group_into_issues(strategies, &self.issues);
        Parts {
            issues,
            reform_items: self.reform,
            warnings: self.warnings,
            ..Parts::default()
        }
    }
}
