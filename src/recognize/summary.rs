//! The plan digest's grammar (概要版).
//!
//! A digest prints, per strategy (めざす成果及び戦略N-N): its title, the
//! target state, outcome indicator and approach, then its initiatives by
//! id (`2-1-1 title`), their process indicators (`…:70%以上`), their
//! activities and one budget line each (`2,607千円`, `一 円`,
//! `4-2-1を含む`). The columns come out of order: several initiatives'
//! titles first, then all their indicators, then activities and budgets.
//! So: the k-th budget line of a strategy is its k-th initiative's, the
//! activities before it are that initiative's, and indicators printed
//! after several titles are divided where their numbering starts again (①).

use super::Parts;
use super::labels::Label;
use super::tokens::{Tok, What};
use super::unplaced::unplaced_text;
use super::values::{self, Piece};
use crate::model::{Budget, BudgetKind, Initiative, Location, Money, ProcessIndicator, Strategy, Warning};
use crate::normalize::{self, ids, join, money, quantity};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Default)]
struct SInit {
    id: String,
    title: Vec<String>,
    indicators: Vec<(String, Location)>,
    activities: Vec<Piece>,
    budget: Option<Money>,
    at: Location,
}

#[derive(Default)]
struct SStrat {
    id: Option<String>,
    title: Vec<String>,
    target_state: Vec<Piece>,
    outcome: Vec<Piece>,
    approach: Vec<Piece>,
    inits: Vec<SInit>,
    budgets_seen: usize,
    at: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    StrategyTitle,
    InitiativeTitle,
    TargetState,
    Outcome,
    Approach,
    Initiatives,
    /// A block no digest has: its text is unplaced.
    Unknown,
}

static INCLUDED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<id>[0-9]+\s*-\s*[0-9]+\s*-\s*[0-9]+)\s*を含む$").expect("re"));

pub fn build(toks: &[Tok], doc_year: Option<i32>) -> Parts {
    let mut strats: Vec<SStrat> = Vec::new();
    let mut field = Field::None;
    let mut warnings = Vec::new();
    for tok in toks {
        // A bracket inside a sentence is the sentence's text.
        let inline;
        let what = match &tok.what {
            What::Label(Label::Bracket(t)) if !tok.seg_start => {
                inline = What::Text(format!("【{t}】"));
                &inline
            }
            w => w,
        };
        match what {
            What::Label(l) => match l {
                Label::Strategy { id, title } => {
                    strats.push(SStrat {
                        id: Some(id.clone()),
                        title: title.iter().cloned().collect(),
                        at: tok.at.clone(),
                        ..SStrat::default()
                    });
                    field = Field::StrategyTitle;
                }
                Label::TargetState => {
                    // A new target state after initiatives: the next strategy,
                    // printed without its heading.
                    if strats.last().is_none_or(|s| !s.inits.is_empty()) {
                        strats.push(SStrat {
                            at: tok.at.clone(),
                            ..SStrat::default()
                        });
                    }
                    field = Field::TargetState;
                }
                Label::ShortOutcome => field = Field::Outcome,
                Label::ShortApproach => field = Field::Approach,
                Label::ShortInitiative { id, title } => {
                    let Some(s) = strats.last_mut() else {
                        warnings.push(Warning::new(
                            "unplaced_text",
                            format!("initiative {id} before any strategy"),
                            tok.at.clone(),
                        ));
                        continue;
                    };
                    if s.id.is_none()
                        && let Some(p) = ids::parent(id)
                    {
                        s.id = Some(p.to_string());
                        warnings.push(Warning::new(
                                "strategy_heading_missing",
                                format!("a strategy is printed without its heading; its id {p} is taken from its initiative {id}"),
                                s.at.clone(),
                            ));
                    }
                    s.inits.push(SInit {
                        id: id.clone(),
                        title: title.iter().cloned().collect(),
                        at: tok.at.clone(),
                        ..SInit::default()
                    });
                    field = Field::InitiativeTitle;
                }
                // A bracketed heading no digest has, standing where a
                // heading stands: its block is kept apart (unplaced).
                Label::Bracket(t) if tok.seg_start => {
                    warnings.push(unplaced_text(&format!("【{t}】"), &tok.at));
                    field = Field::Unknown;
                }
                Label::Section | Label::Header | Label::Process => {
                    if matches!(field, Field::StrategyTitle | Field::InitiativeTitle) {
                        field = if strats.last().is_some_and(|s| !s.inits.is_empty()) {
                            Field::Initiatives
                        } else {
                            Field::None
                        };
                    }
                }
                _ => {}
            },
            What::Text(t) => {
                let Some(s) = strats.last_mut().filter(|_| field != Field::Unknown) else {
                    warnings.push(unplaced_text(t, &tok.at));
                    continue;
                };
                let piece = Piece::from_tok(tok, t);
                match field {
                    Field::StrategyTitle => {
                        if s.title.is_empty() || (!tok.blank_before && tok.seg_start) {
                            s.title.push(t.clone());
                        } else {
                            field = Field::None;
                        }
                    }
                    Field::InitiativeTitle => {
                        let Some(init) = s.inits.last_mut() else { continue };
                        if init.title.is_empty() || (!tok.blank_before && tok.seg_start && !target_like(t)) {
                            init.title.push(t.clone());
                        } else {
                            field = Field::Initiatives;
                            initiative_text(s, piece, &mut warnings);
                        }
                    }
                    Field::TargetState => s.target_state.push(piece),
                    Field::Outcome => s.outcome.push(piece),
                    Field::Approach => s.approach.push(piece),
                    Field::Initiatives => initiative_text(s, piece, &mut warnings),
                    Field::Unknown => {}
                    Field::None => {
                        if s.inits.is_empty() {
                            warnings.push(unplaced_text(t, &tok.at));
                        } else {
                            initiative_text(s, piece, &mut warnings);
                        }
                    }
                }
            }
        }
    }
    model(strats, doc_year, warnings)
}

/// An indicator line: a description, a colon, and a target.
fn target_like(t: &str) -> bool {
    if !(t.contains(':') || t.contains('：')) || money::is_money_only(t) {
        return false;
    }
    quantity::locate_quantity(t).is_some_and(|l| l.quantity.comparator.is_some() || l.quantity.value.is_some())
}

/// Text after a strategy's initiatives are named: a budget line, an
/// indicator, or an activity.
fn initiative_text(s: &mut SStrat, piece: Piece, warnings: &mut Vec<Warning>) {
    let t = piece.text.trim().to_string();
    let budget = if money::is_money_only(&t) {
        Some(normalize::parse_money(&t))
    } else if INCLUDED.is_match(&t) {
        Some(Money {
            yen: None,
            text: t.clone(),
        })
    } else {
        None
    };
    if let Some(m) = budget {
        match s.inits.get_mut(s.budgets_seen) {
            Some(init) => init.budget = Some(m),
            None => warnings.push(Warning::new(
                "unplaced_text",
                format!("a budget line with no initiative left to take it: {t}"),
                piece.at.clone(),
            )),
        }
        s.budgets_seen += 1;
        return;
    }
    if target_like(&t) {
        if let Some(init) = s.inits.last_mut() {
            init.indicators.push((t, piece.at.clone()));
        }
        return;
    }
    let k = s.budgets_seen.min(s.inits.len().saturating_sub(1));
    if let Some(init) = s.inits.get_mut(k) {
        init.activities.push(piece);
    }
}

/// The first circled number of an indicator (`①`, `②-1`), if any.
fn mark_number(t: &str) -> Option<u32> {
    let t = values::strip_bullet(t);
    let c = t.chars().next()?;
    ('①'..='⑳').contains(&c).then(|| c as u32 - '①' as u32 + 1)
}

/// Indicators printed under the last of several initiative titles belong
/// to those initiatives in turn, one group per restart of the numbering.
fn distribute_indicators(s: &mut SStrat, warnings: &mut Vec<Warning>) {
    let Some(last) = s.inits.len().checked_sub(1) else {
        return;
    };
    let empty_before = s.inits[..last]
        .iter()
        .rev()
        .take_while(|i| i.indicators.is_empty())
        .count();
    if empty_before == 0 {
        return;
    }
    let list = std::mem::take(&mut s.inits[last].indicators);
    let mut groups: Vec<Vec<(String, Location)>> = Vec::new();
    let mut prev: Option<u32> = None;
    for item in list {
        let m = mark_number(&item.0);
        let restart = matches!((prev, m), (Some(p), Some(n)) if n <= p && n == 1);
        if groups.is_empty() || restart {
            groups.push(Vec::new());
        }
        if m.is_some() {
            prev = m;
        }
        if let Some(g) = groups.last_mut() {
            g.push(item);
        }
    }
    let owners = empty_before + 1;
    if groups.len() == owners {
        for (k, g) in groups.into_iter().enumerate() {
            s.inits[last - empty_before + k].indicators = g;
        }
    } else {
        let ids: Vec<&str> = s.inits[last - empty_before..].iter().map(|i| i.id.as_str()).collect();
        warnings.push(Warning::new(
            "indicators_unassigned",
            format!(
                "{} indicator groups for initiatives {}: all kept with the last",
                groups.len(),
                ids.join(", ")
            ),
            s.at.clone(),
        ));
        s.inits[last].indicators = groups.into_iter().flatten().collect();
    }
}

fn model(mut strats: Vec<SStrat>, doc_year: Option<i32>, mut warnings: Vec<Warning>) -> Parts {
    for s in &mut strats {
        distribute_indicators(s, &mut warnings);
    }
    let mut strategies: Vec<Strategy> = Vec::new();
    for s in strats {
        let Some(id) = s.id.clone() else {
            warnings.push(Warning::new(
                "unplaced_text",
                "a strategy block with neither heading nor initiatives",
                s.at.clone(),
            ));
            continue;
        };
        let initiatives = s
            .inits
            .into_iter()
            .map(|i| {
                let title = join_title(&i.title);
                let budgets = i
                    .budget
                    .map(|m| Budget {
                        fiscal_year: doc_year,
                        kind: BudgetKind::Budget,
                        yen: m.yen,
                        text: m.text,
                    })
                    .into_iter()
                    .collect();
                Initiative {
                    id: i.id,
                    title,
                    budgets,
                    activities: values::paragraphs(&i.activities)
                        .iter()
                        .map(|p| values::strip_bullet(p))
                        .filter(|p| !p.is_empty())
                        .collect(),
                    process_indicators: i
                        .indicators
                        .iter()
                        .map(|(t, _)| values::process_indicator(t))
                        .collect::<Vec<ProcessIndicator>>(),
                    at: i.at,
                    ..Initiative::default()
                }
            })
            .collect();
        let outcome = values::text(&s.outcome).unwrap_or_default();
        let strategy = Strategy {
            id: id.clone(),
            title: join_title(&s.title),
            target_state: values::text(&s.target_state),
            approach: values::text(&s.approach),
            outcome_indicators: values::outcome_indicators(&outcome, doc_year),
            initiatives,
            at: s.at,
            ..Strategy::default()
        };
        strategies.push(strategy);
    }
    let issues = super::group_into_issues(strategies, &std::collections::BTreeMap::new());
    Parts {
        issues,
        warnings,
        ..Parts::default()
    }
}

fn join_title(parts: &[String]) -> Option<String> {
    let mut it = parts.iter();
    let first = it.next()?.clone();
    Some(it.fold(first, |acc, p| join::join_two(&acc, p)))
}
