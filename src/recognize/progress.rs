//! The older progress report's grammar (区政運営基本方針の成果目標の達成に
//! 向けた取組状況, H24–H29).
//!
//! Two kinds of page alternate, each a wide table: strategy pages
//! (めざす成果および戦略) and initiative pages (具体的取組). Every row
//! belongs to an item of the city's basic policy: a policy (`1 「…」に向けて`),
//! an area (`(1) 豊かなコミュニティの実現`) and an item whose mark a scan
//! has mis-read (㊦ ㊧ ⑦ ④ for ア イ …, read by its position). A row's
//! plan cell starts with its id (`[7-1]`, `[7-2-1]`, `{様式3 取組項目5}`);
//! the cells after it are, in the header's order, the outcome and the
//! approach (strategy pages) or 業績目標 (the process target), 撤退基準 (the
//! rebuild criterion), prior results and this year's results (initiative
//! pages). Cells are read relative to the id cell, since the columns of
//! the release's rows do not line up with its header.

use super::Parts;
use super::matcher;
use super::tokens::{self, Segment};
use super::unplaced::unplaced_text;
use super::values;
use crate::model::{
    BasicPolicyItem, Effectiveness, Evaluation, Initiative, Location, ProcessIndicator, Progress, ReformItem, Review,
    Strategy, Track, Warning,
};
use crate::normalize::{self, ids, marks};

use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Strategies,
    Initiatives,
}

const HEADERS: &[&str] = &[
    "項目",
    "成果指標と目標値",
    "計画",
    "自己評価",
    "めざす状態",
    "アウトカム",
    "戦略",
    "取組内容",
    "業績目標",
    "撤退基準",
    "前年度までの実績",
    "取組実績",
    "業績目標の達成状況",
    "戦略に対する取組の有効性",
    "課題",
    "改善策",
    "前年度",
    "個別",
    "全体",
    "戦略の進捗状況",
    "アウトカムの達成状況",
    "戦略のアウトカムに対する有効性",
    "今後の対応方向・改善策",
    "今後の対応方向改善策",
];

static ID_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\[［〔{【]\s*(?:(?P<id>[0-9]+\s*-\s*[0-9]+(?:\s*-\s*[0-9]+)?)|様式\s*3\s*取組項目\s*(?P<r>[0-9]+))\s*[\]］〕}】]\s*(?P<rest>.*)$")
        .expect("re")
});
static INIT_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\[［〔{【]\s*(?P<id>[0-9]+\s*-\s*[0-9]+\s*-\s*[0-9]+)\s*[\]］〕}】]").expect("re"));
static POLICY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[0-9]{1,2}$").expect("re"));
static AREA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\(\s*(?P<n>[0-9]{1,2})\s*\)$").expect("re"));

/// A row with each cell's items joined (the report's cells are one item).
struct RowCells {
    at: Location,
    cells: Vec<(u32, String)>,
}

fn rows(segs: &[Segment]) -> Vec<RowCells> {
    tokens::table_rows(segs)
        .into_iter()
        .map(|r| RowCells {
            at: r.at,
            cells: r.cells.into_iter().map(|(c, items)| (c, items.join(" "))).collect(),
        })
        .collect()
}

/// Whether a cell's words (see `matcher::words`) are a column header
/// (`crate::recognize::placement` counts such cells as labels).
pub(crate) fn is_header(words: &str) -> bool {
    HEADERS.contains(&words)
}

fn is_legend(text: &str) -> bool {
    text.contains("順調") && text.contains(':')
        || text.contains("目標達成(")
        || text.contains(":目標達成")
        || text.contains("・目標達成")
        || text.contains("有効であり")
        || text.contains("有効でないため")
}

#[derive(Default)]
struct Builder {
    strategies: BTreeMap<String, Strategy>,
    initiatives: BTreeMap<String, Initiative>,
    reform: BTreeMap<u32, ReformItem>,
    warnings: Vec<Warning>,
}

/// The basic-policy position of the rows being read.
#[derive(Default, Clone)]
struct Position {
    policy: Option<(String, String)>,
    area: Option<(String, String)>,
    item: Option<(char, String)>,
    items_in_area: usize,
}

impl Position {
    fn item(&self) -> Option<BasicPolicyItem> {
        let (pn, pt) = self.policy.clone()?;
        let mut id = pn;
        let mut out = BasicPolicyItem {
            policy: Some(pt),
            ..BasicPolicyItem::default()
        };
        if let Some((an, at)) = &self.area {
            id.push_str(&format!("-({an})"));
            out.area = Some(at.clone());
        }
        if let Some((m, it)) = &self.item {
            id.push_str(&format!("-{m}"));
            out.item = Some(it.clone());
        }
        out.id = id;
        Some(out)
    }
}

pub fn build(segs: &[Segment], doc_year: Option<i32>) -> Parts {
    let mut b = Builder::default();
    let mut page: Option<Page> = None;
    let mut pos = Position::default();
    for r in rows(segs) {
        let texts: Vec<&str> = r.cells.iter().map(|(_, t)| t.as_str()).collect();
        let words: Vec<String> = texts.iter().map(|t| matcher::words(t)).collect();
        if words.iter().any(|t| t.contains("めざす成果及び戦略")) {
            page = Some(Page::Strategies);
            continue;
        }
        if words.iter().any(|t| t.ends_with("具体的取組")) {
            page = Some(Page::Initiatives);
            continue;
        }
        if words.iter().filter(|w| is_header(w)).count() >= 2
            || texts.iter().any(|t| is_legend(t))
            || texts
                .iter()
                .any(|t| t.contains("取組状況について") || t.contains("区政運営基本方針"))
        {
            continue;
        }
        let first = texts.first().copied().unwrap_or("");
        if texts.len() == 2 && POLICY.is_match(first) {
            pos.policy = Some((first.to_string(), texts[1].to_string()));
            pos.area = None;
            pos.item = None;
            pos.items_in_area = 0;
            continue;
        }
        let circled_area = first.chars().count() == 1 && first.chars().all(|c| ('①'..='⑳').contains(&c));
        if texts.len() == 2 && (AREA.is_match(first) || circled_area) {
            let n = AREA
                .captures(first)
                .map(|c| c["n"].to_string())
                .or_else(|| first.chars().next().map(|c| (c as u32 - '①' as u32 + 1).to_string()))
                .unwrap_or_default();
            pos.area = Some((n, texts[1].to_string()));
            pos.item = None;
            pos.items_in_area = 0;
            continue;
        }
        let mut data_from = 0;
        // An item's mark is one character, read by its position whatever
        // a scan (or a re-encoding) made of it: ㊦ ⑦ ㊩ ?.
        let is_mark = first.chars().count() == 1 && first.chars().all(|c| !c.is_ascii_digit());
        if is_mark && texts.len() >= 3 {
            let mark = marks::katakana_by_position(pos.items_in_area);
            pos.items_in_area += 1;
            pos.item = Some((mark, texts[1].to_string()));
            data_from = 2;
        }
        let cells = &r.cells[data_from..];
        let Some(k) = cells.iter().position(|(_, t)| ID_CELL.is_match(t)) else {
            // A row with neither an id nor the report's furniture: kept
            // apart, said.
            let text: Vec<&str> = r
                .cells
                .iter()
                .map(|(_, t)| t.as_str())
                .filter(|t| !t.trim().is_empty())
                .collect();
            if !text.is_empty() && !text.iter().all(|t| is_header(&matcher::words(t))) {
                b.warnings.push(unplaced_text(&text.join(" "), &r.at));
            }
            continue;
        };
        let id_col = cells[k].0;
        let after = |off: u32| -> Option<String> {
            cells
                .iter()
                .find(|(c, _)| *c == id_col + off)
                .map(|(_, t)| t.clone())
                .filter(|t| !t.trim().is_empty())
        };
        let caps = ID_CELL.captures(&cells[k].1);
        let Some(caps) = caps else { continue };
        let bp = pos.item();
        if let Some(rn) = caps.name("r") {
            let n: u32 = rn.as_str().parse().unwrap_or(0);
            let rest = caps.name("rest").map_or("", |m| m.as_str()).trim().to_string();
            let review = (page == Some(Page::Initiatives)).then(|| Review {
                results: after(4),
                issues: after(8),
                improvements: after(9),
                ..Review::default()
            });
            b.reform.entry(n).or_insert_with(|| ReformItem {
                category: format!("様式3 取組項目{n}"),
                content: (!rest.is_empty()).then_some(rest),
                target: after(1),
                review: None,
                at: r.at.clone(),
            });
            if let (Some(item), Some(rv)) = (b.reform.get_mut(&n), review)
                && item.review.is_none()
                && (rv.results.is_some() || rv.issues.is_some() || rv.improvements.is_some())
            {
                item.review = Some(rv);
            }
            continue;
        }
        match page {
            Some(Page::Strategies) => b.strategy_row(&caps, &after, cells, id_col, bp, &r.at, doc_year),
            Some(Page::Initiatives) => b.initiative_row(&cells[k].1, &after, bp, &r.at, doc_year),
            None => b.warnings.push(Warning::new(
                "unplaced_text",
                "a row before any page header",
                r.at.clone(),
            )),
        }
    }
    b.into_parts()
}

fn add_item(list: &mut Vec<BasicPolicyItem>, item: Option<BasicPolicyItem>) {
    if let Some(i) = item
        && !list.iter().any(|x| x.id == i.id)
    {
        list.push(i);
    }
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn strategy_row(
        &mut self,
        caps: &regex::Captures,
        after: &dyn Fn(u32) -> Option<String>,
        cells: &[(u32, String)],
        id_col: u32,
        bp: Option<BasicPolicyItem>,
        at: &Location,
        doc_year: Option<i32>,
    ) {
        let Some(id) = caps.name("id").and_then(|m| normalize::normalize_id(m.as_str())) else {
            return;
        };
        if id.matches('-').count() != 1 {
            return;
        }
        if let Some(s) = self.strategies.get_mut(&id) {
            add_item(&mut s.basic_policy_items, bp);
            return;
        }
        let rest = caps.name("rest").map_or("", |m| m.as_str()).trim().to_string();
        // Evaluation cells, read by their shape: ア/イ, A/B (individual,
        // overall), a/b.
        let mut effectiveness = None;
        let mut ab: Vec<&str> = Vec::new();
        let mut progress = None;
        for (_, t) in cells.iter().filter(|(c, _)| *c > id_col + 2) {
            let t = t.trim();
            match t {
                "ア" => effectiveness = Some(Effectiveness::Effective),
                "イ" => effectiveness = Some(Effectiveness::NotEffective),
                "a" => progress = Some(Track::OnTrack),
                "b" => progress = Some(Track::OffTrack),
                _ if !t.is_empty() && t.split_whitespace().all(|w| w == "A" || w == "B") => ab.push(t),
                _ => {}
            }
        }
        let outcome_status = ab.last().and_then(|t| match t.split_whitespace().next() {
            Some("A") => Some(Track::OnTrack),
            Some("B") => Some(Track::OffTrack),
            _ => None,
        });
        let evaluation =
            (effectiveness.is_some() || outcome_status.is_some() || progress.is_some()).then_some(Evaluation {
                effectiveness,
                outcome_status,
                progress,
            });
        let mut s = Strategy {
            id: id.clone(),
            title: None,
            target_state: (!rest.is_empty()).then_some(rest),
            approach: after(2),
            outcome_indicators: after(1)
                .map(|t| values::outcome_indicators(&t, doc_year))
                .unwrap_or_default(),
            evaluation,
            at: at.clone(),
            ..Strategy::default()
        };
        add_item(&mut s.basic_policy_items, bp);
        self.strategies.insert(id, s);
    }

    fn initiative_row(
        &mut self,
        id_cell: &str,
        after: &dyn Fn(u32) -> Option<String>,
        bp: Option<BasicPolicyItem>,
        at: &Location,
        doc_year: Option<i32>,
    ) {
        // One cell may hold several initiatives: `[6-1-2] … [6-1-3] …`.
        let starts: Vec<(usize, usize, String)> = INIT_SPLIT
            .captures_iter(id_cell)
            .filter_map(|c| {
                let m = c.get(0)?;
                Some((m.start(), m.end(), normalize::normalize_id(&c["id"])?))
            })
            .collect();
        for (i, (_, end, id)) in starts.iter().enumerate() {
            if let Some(init) = self.initiatives.get_mut(id) {
                add_item(&mut init.basic_policy_items, bp.clone());
                continue;
            }
            let stop = starts.get(i + 1).map_or(id_cell.len(), |n| n.0);
            let text = id_cell[*end..stop].trim();
            let target = after(1);
            let criterion = after(2);
            let mark = after(6).unwrap_or_default();
            let progress = if mark.contains("(ii)") || mark.contains("(ⅱ)") {
                Some(Progress::BehindSchedule)
            } else if mark.contains("(i)") || mark.contains("(ⅰ)") {
                Some(Progress::OnSchedule)
            } else {
                None
            };
            let results = after(4);
            let status = after(5);
            let issues = after(8);
            let improvements = after(9);
            let self_evaluation = (results.is_some() || status.is_some() || progress.is_some() || issues.is_some())
                .then_some(Review {
                    achievement: None,
                    progress,
                    effectiveness: None,
                    results,
                    issues,
                    improvements,
                    verdict: status,
                });
            let mut init = Initiative {
                id: id.clone(),
                title: None,
                activities: values::split_bullets(text),
                process_indicators: target.iter().map(|t| process_target(t)).collect(),
                rebuild_criteria: criterion.iter().map(|t| values::rebuild_criterion(t)).collect(),
                prior_results: after(3)
                    .map(|t| values::prior_results(&[text_piece(&t, at)], doc_year))
                    .unwrap_or_default(),
                self_evaluation,
                at: at.clone(),
                ..Initiative::default()
            };
            add_item(&mut init.basic_policy_items, bp.clone());
            self.initiatives.insert(id.clone(), init);
        }
    }

    fn into_parts(mut self) -> Parts {
        // Initiatives under their strategies; strategies under their key
        // issue (the first number of the id).
        let inits = std::mem::take(&mut self.initiatives);
        for (id, init) in inits {
            let Some(parent) = ids::parent(&id).map(str::to_string) else {
                continue;
            };
            let s = self.strategies.entry(parent.clone()).or_insert_with(|| Strategy {
                id: parent.clone(),
                at: init.at.clone(),
                ..Strategy::default()
            });
            s.initiatives.push(init);
        }
        let issues = super::group_into_issues(self.strategies.into_values(), &BTreeMap::new());
        Parts {
            issues,
            reform_items: self.reform.into_values().collect(),
            warnings: self.warnings,
            ..Parts::default()
        }
    }
}

fn process_target(t: &str) -> ProcessIndicator {
    values::process_indicator(t)
}

fn text_piece(t: &str, at: &Location) -> values::Piece {
    values::Piece {
        text: t.to_string(),
        seg: 0,
        row: 0,
        line: false,
        blank_before: false,
        seg_start: true,
        at: at.clone(),
    }
}
