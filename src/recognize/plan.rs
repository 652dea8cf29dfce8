//! The plan's grammar (様式1–3), for `plan` and `plan_revision`.
//!
//! Labels open fields; text goes to the field its label heads (see
//! `board`). Strategies and initiatives are placed by their ids, not by
//! where they stand, so a release whose pages come out of order (text
//! pulled from a PDF) still builds the same tree.

use super::Parts;
use super::board::Board;
use super::labels::Label;
use super::tokens::{Tok, What};
use super::unplaced::unplaced_text;
use super::values::{self, Piece, ReviewFields};
use crate::model::{
    Budget, BudgetKind, Evaluation, Initiative, Issue, KeyIssue, KeyStrategy, Location, MainInitiative, Money,
    ReformItem, Strategy, Track, Warning,
};
use crate::normalize::{self, ids, year};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Scope {
    Doc,
    Issue(u32),
    Strategy(String),
    Initiative(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Phase {
    Midterm,
    SelfEval,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum RevField {
    Achievement,
    Effectiveness,
    Results,
    Issues,
    Improvements,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum F {
    Goal,
    Mission,
    Policy,
    KeyIssueSummary(u32),
    KeyStrategyText(String),
    MainInitiativeText(String),
    ReformContent(usize),
    Vision,
    CurrentState,
    FactorAnalysis,
    Challenges,
    Ignore,
    TargetState,
    Approach,
    Outcome,
    EvalEffectiveness,
    EvalOutcome,
    EvalProgress,
    EvalIssues,
    EvalDirection,
    Budget(i32, BudgetKind),
    Activities,
    Process,
    Rebuild,
    Prior,
    Review(Phase, RevField),
}

type Key = (Scope, F);

/// Fields a two-column line may pair (left column, right column).
fn is_multi(f: &F) -> bool {
    !matches!(f, F::Budget(..))
}

#[derive(Default)]
struct Obj {
    title: Option<String>,
    at: Location,
}

/// Text read under two labels printed side by side on one line, waiting
/// for the next label to be divided between them.
struct Split {
    left: Key,
    right: Key,
    pieces: Vec<Piece>,
}

#[derive(Default)]
pub struct PlanBuilder {
    doc_year: Option<i32>,
    board: Board<Key>,
    store: HashMap<Key, Vec<Piece>>,
    issues: BTreeMap<u32, Obj>,
    strategies: BTreeMap<String, Obj>,
    initiatives: BTreeMap<String, Obj>,
    budgets_order: HashMap<String, Vec<(i32, BudgetKind)>>,
    key_issues: BTreeMap<u32, Location>,
    key_strategies: BTreeMap<String, (String, Location)>,
    main_initiatives: BTreeMap<String, (String, Location)>,
    reform: Vec<(String, Location)>,
    cur_issue: Option<u32>,
    cur_strategy: Option<String>,
    cur_init: Option<String>,
    pending_title: Option<Scope>,
    in_reform: bool,
    /// Reading 様式2 (its headings seen last), not 様式1's table.
    form2: bool,
    phase: Option<Phase>,
    phase_achievement_seen: bool,
    split: Option<Split>,
    last_opened: Option<Key>,
    unplaced: Vec<Piece>,
    /// 様式1's one-paragraph fields whose label was read (goal, mission, policy).
    doc_labels: Vec<F>,
    pub warnings: Vec<Warning>,
}

pub fn build(toks: &[Tok], doc_year: Option<i32>) -> Parts {
    let mut b = PlanBuilder {
        doc_year,
        ..PlanBuilder::default()
    };
    for (i, tok) in toks.iter().enumerate() {
        match &tok.what {
            What::Label(l) => {
                let prev_label = i
                    .checked_sub(1)
                    .and_then(|p| toks.get(p))
                    .filter(|p| p.seg == tok.seg && p.label().is_some());
                b.label(l, tok, prev_label.is_some());
            }
            What::Text(t) => b.text(t, tok),
        }
    }
    b.finish_split();
    b.into_parts()
}

impl PlanBuilder {
    fn init_scope(&self) -> Option<Scope> {
        self.cur_init.clone().map(Scope::Initiative)
    }

    fn strategy_scope(&self) -> Option<Scope> {
        self.cur_strategy.clone().map(Scope::Strategy)
    }

    fn issue_scope(&self) -> Option<Scope> {
        self.cur_issue.map(Scope::Issue)
    }

    fn open(&mut self, scope: Option<Scope>, f: F, tok: &Tok, adjacent: bool) {
        let Some(scope) = scope else {
            self.warnings.push(Warning::new(
                "label_out_of_place",
                format!("a {f:?} label stands outside the block it belongs to"),
                tok.at.clone(),
            ));
            self.board.clear();
            return;
        };
        let key = (scope, f);
        self.pending_title = None;
        self.finish_split();
        if adjacent && tok.line && is_multi(&key.1) {
            // Two labels side by side on one line: the text below holds the
            // left column, then the right.
            if let Some(left) = self.last_opened.clone().filter(|k| is_multi(&k.1)) {
                self.split = Some(Split {
                    left,
                    right: key.clone(),
                    pieces: Vec::new(),
                });
            }
        }
        let single = matches!(key.1, F::Budget(..));
        self.last_opened = Some(key.clone());
        self.board.activate(key, tok.col, single);
    }

    fn block(&mut self) {
        self.finish_split();
        self.board.clear();
        self.last_opened = None;
    }

    fn label(&mut self, l: &Label, tok: &Tok, adjacent: bool) {
        // In 様式2, an id in brackets heads a block (`【6-1-3】区民の参画…`,
        // `〔7-2-1〕`): the 様式1 table's bracketed entries are 様式2's
        // headings there.
        let in_form2;
        let l = match (self.form2, l) {
            (true, Label::KeyIssue(n)) => {
                in_form2 = Label::Issue { n: *n, title: None };
                &in_form2
            }
            (true, Label::KeyStrategy { id, title }) => {
                in_form2 = Label::Strategy {
                    id: id.clone(),
                    title: Some(title.clone()),
                };
                &in_form2
            }
            (true, Label::MainInitiative { id, title }) => {
                in_form2 = Label::Initiative {
                    id: id.clone(),
                    title: (!title.is_empty()).then(|| title.clone()),
                };
                &in_form2
            }
            _ => l,
        };
        match l {
            Label::Goal | Label::Mission | Label::Policy(_) | Label::Form1Table | Label::MainInitiatives => {
                self.form2 = false
            }
            Label::Form2 | Label::Issue { .. } | Label::Strategy { .. } | Label::Initiative { .. } => self.form2 = true,
            _ => {}
        }
        match l {
            Label::Goal => {
                self.block();
                self.doc_labels.push(F::Goal);
                self.open(Some(Scope::Doc), F::Goal, tok, false);
            }
            Label::Mission => {
                self.block();
                self.doc_labels.push(F::Mission);
                self.open(Some(Scope::Doc), F::Mission, tok, false);
            }
            Label::Policy(_) => {
                self.block();
                self.doc_labels.push(F::Policy);
                self.open(Some(Scope::Doc), F::Policy, tok, false);
            }
            Label::Form1Table | Label::MainInitiatives => {
                self.in_reform = false;
                self.block();
            }
            Label::Header => self.block(),
            Label::KeyIssue(n) => {
                self.key_issues.entry(*n).or_insert_with(|| tok.at.clone());
                self.open(Some(Scope::Doc), F::KeyIssueSummary(*n), tok, false);
            }
            Label::KeyStrategy { id, title } => {
                self.key_strategies
                    .entry(id.clone())
                    .or_insert_with(|| (title.clone(), tok.at.clone()));
                self.open(Some(Scope::Doc), F::KeyStrategyText(id.clone()), tok, false);
            }
            Label::MainInitiative { id, title } => {
                self.main_initiatives
                    .entry(id.clone())
                    .or_insert_with(|| (title.clone(), tok.at.clone()));
                self.open(Some(Scope::Doc), F::MainInitiativeText(id.clone()), tok, false);
            }
            Label::Reform => {
                self.in_reform = true;
                self.block();
            }
            Label::Bracket(t) => {
                if let Some(scope) = self.pending_title.take() {
                    self.set_title(&scope, t);
                } else if self.in_reform {
                    self.reform.push((t.clone(), tok.at.clone()));
                    let idx = self.reform.len() - 1;
                    self.open(Some(Scope::Doc), F::ReformContent(idx), tok, false);
                } else if tok.seg_start {
                    // A bracketed heading no form has, standing where a
                    // heading stands: its block is kept apart (unplaced),
                    // not read into the field open before it.
                    self.block();
                    self.unplaced.push(Piece::from_tok(tok, &format!("【{t}】")));
                } else {
                    self.text(&format!("【{t}】"), tok);
                }
            }
            Label::Form2 => {
                self.in_reform = false;
                self.block();
            }
            Label::Issue { n, title } => {
                self.in_reform = false;
                self.block();
                self.enter_issue(*n, tok);
                match title {
                    Some(t) => self.set_title(&Scope::Issue(*n), t),
                    None => self.pending_title = Some(Scope::Issue(*n)),
                }
            }
            Label::Sdgs => self.open(self.issue_scope(), F::Ignore, tok, adjacent),
            Label::Vision => self.open(self.issue_scope(), F::Vision, tok, adjacent),
            Label::CurrentState => self.open(self.issue_scope(), F::CurrentState, tok, adjacent),
            Label::FactorAnalysis => self.open(self.issue_scope(), F::FactorAnalysis, tok, adjacent),
            Label::Challenges => self.open(self.issue_scope(), F::Challenges, tok, adjacent),
            Label::IssueEvaluation => self.open(self.issue_scope(), F::Ignore, tok, adjacent),
            Label::Strategy { id, title } => {
                self.block();
                self.enter_strategy(id, tok);
                match title {
                    Some(t) => self.set_title(&Scope::Strategy(id.clone()), t),
                    None => self.pending_title = Some(Scope::Strategy(id.clone())),
                }
            }
            Label::TargetState => self.open(self.strategy_scope(), F::TargetState, tok, adjacent),
            Label::Approach => self.open(self.strategy_scope(), F::Approach, tok, adjacent),
            Label::Outcome => self.open(self.strategy_scope(), F::Outcome, tok, adjacent),
            Label::Section => {}
            Label::EvalEffectiveness => self.open(self.strategy_scope(), F::EvalEffectiveness, tok, adjacent),
            Label::EvalOutcome => self.open(self.strategy_scope(), F::EvalOutcome, tok, adjacent),
            Label::EvalProgress => self.open(self.strategy_scope(), F::EvalProgress, tok, adjacent),
            Label::Direction => self.open(self.strategy_scope(), F::EvalDirection, tok, adjacent),
            Label::Issues => {
                if self.cur_init.is_some() {
                    let phase = self.phase.unwrap_or(Phase::SelfEval);
                    self.open(self.init_scope(), F::Review(phase, RevField::Issues), tok, adjacent);
                } else {
                    self.open(self.strategy_scope(), F::EvalIssues, tok, adjacent);
                }
            }
            Label::Initiative { id, title } => {
                self.block();
                self.enter_initiative(id, tok);
                match title {
                    Some(t) => self.set_title(&Scope::Initiative(id.clone()), t),
                    None => self.pending_title = Some(Scope::Initiative(id.clone())),
                }
            }
            Label::Budget { n, kind } => {
                if let Some(id) = self.cur_init.clone() {
                    let order = self.budgets_order.entry(id).or_default();
                    if !order.contains(&(*n, *kind)) {
                        order.push((*n, *kind));
                    }
                }
                self.open(self.init_scope(), F::Budget(*n, *kind), tok, adjacent);
            }
            Label::Activities => self.open(self.init_scope(), F::Activities, tok, adjacent),
            Label::Process => self.open(self.init_scope(), F::Process, tok, adjacent),
            Label::Rebuild => self.open(self.init_scope(), F::Rebuild, tok, adjacent),
            Label::Prior => self.open(self.init_scope(), F::Prior, tok, adjacent),
            Label::ReviewAchievement => {
                // The first achievement block of an initiative is the
                // mid-term review's; one after it, or after the year's
                // results, the self-evaluation's.
                let phase = match self.phase {
                    None => Phase::Midterm,
                    Some(Phase::Midterm) if self.phase_achievement_seen => Phase::SelfEval,
                    Some(p) => p,
                };
                self.phase = Some(phase);
                self.phase_achievement_seen = true;
                self.open(
                    self.init_scope(),
                    F::Review(phase, RevField::Achievement),
                    tok,
                    adjacent,
                );
            }
            Label::ReviewIssuesImprovements => {
                self.phase.get_or_insert(Phase::Midterm);
                self.open(
                    self.init_scope(),
                    F::Review(Phase::Midterm, RevField::Issues),
                    tok,
                    adjacent,
                );
            }
            Label::ReviewEffectiveness => {
                let phase = *self.phase.get_or_insert(Phase::Midterm);
                self.open(
                    self.init_scope(),
                    F::Review(phase, RevField::Effectiveness),
                    tok,
                    adjacent,
                );
            }
            Label::ReviewResults => {
                self.phase = Some(Phase::SelfEval);
                self.phase_achievement_seen = false;
                self.open(
                    self.init_scope(),
                    F::Review(Phase::SelfEval, RevField::Results),
                    tok,
                    adjacent,
                );
            }
            Label::Improvements => {
                self.open(
                    self.init_scope(),
                    F::Review(Phase::SelfEval, RevField::Improvements),
                    tok,
                    adjacent,
                );
            }
            Label::Junk | Label::FormNo(_) => {}
            Label::ShortOutcome | Label::ShortApproach | Label::ShortInitiative { .. } => {}
        }
    }

    fn text(&mut self, t: &str, tok: &Tok) {
        // A heading printed without its title in brackets (`めざす成果及び
        // 戦略1-1` / `豊かなコミュニティの促進`, `具体的取組1-1-2 地域活動の
        // 活性化`): the short text right after it, before any field opens,
        // is its title.
        if let Some(scope) = self.pending_title.take() {
            let short = t.chars().count() <= 60 && !t.trim_end().ends_with('。');
            if short {
                self.set_title(&scope, t);
                return;
            }
        }
        let piece = Piece::from_tok(tok, t);
        if let Some(split) = self.split.as_mut() {
            split.pieces.push(piece);
            return;
        }
        match self.board.resolve(tok) {
            Some(key) => {
                let key = self.check_process(key, &piece);
                self.store.entry(key).or_default().push(piece)
            }
            None => self.unplaced.push(piece),
        }
    }

    /// A process indicator states a measurable target; text a table puts
    /// under the process-indicator column that states none, in a block
    /// whose activities column is open, is an activity the release's
    /// columns shifted (a vertical section label taking the first column).
    fn check_process(&self, key: Key, piece: &Piece) -> Key {
        static TARGET: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"以上|以下|未満|超|%|割合|前年度|[0-9]+\s*(?:件|回|人|団体|箇所|校|施設)\s*$")
                .expect("target regex")
        });
        if key.1 != F::Process || piece.line || TARGET.is_match(&piece.text) {
            return key;
        }
        let activities = (key.0.clone(), F::Activities);
        if self.board.is_active(&activities) {
            activities
        } else {
            key
        }
    }

    /// Divide the text under two side-by-side labels: the last group of
    /// paragraphs (after a blank line) is the right column's; without a
    /// blank line, the right column starts at the first item mark.
    fn finish_split(&mut self) {
        let Some(split) = self.split.take() else { return };
        let pieces = split.pieces;
        let at = pieces
            .iter()
            .enumerate()
            .rev()
            .find(|(i, p)| *i > 0 && p.blank_before)
            .map(|(i, _)| i)
            .or_else(|| {
                pieces
                    .iter()
                    .enumerate()
                    .find(|(i, p)| *i > 0 && p.seg_start && normalize::join::starts_item(&p.text))
                    .map(|(i, _)| i)
            })
            .unwrap_or(pieces.len());
        let (left, right) = pieces.split_at(at);
        self.store.entry(split.left).or_default().extend_from_slice(left);
        self.store.entry(split.right).or_default().extend_from_slice(right);
    }

    fn set_title(&mut self, scope: &Scope, t: &str) {
        let obj = match scope {
            Scope::Issue(n) => self.issues.get_mut(n),
            Scope::Strategy(id) => self.strategies.get_mut(id),
            Scope::Initiative(id) => self.initiatives.get_mut(id),
            Scope::Doc => None,
        };
        if let Some(o) = obj
            && o.title.is_none()
        {
            o.title = Some(normalize::collapse_spaces(t));
        }
    }

    fn enter_issue(&mut self, n: u32, tok: &Tok) {
        self.issues.entry(n).or_insert_with(|| Obj {
            title: None,
            at: tok.at.clone(),
        });
        self.cur_issue = Some(n);
        self.cur_strategy = None;
        self.cur_init = None;
        self.pending_title = None;
    }

    fn enter_strategy(&mut self, id: &str, tok: &Tok) {
        if let Some(n) = ids::issue_number(id)
            && self.cur_issue != Some(n)
        {
            self.issues.entry(n).or_insert_with(|| Obj {
                title: None,
                at: tok.at.clone(),
            });
            self.cur_issue = Some(n);
        }
        self.strategies.entry(id.to_string()).or_insert_with(|| Obj {
            title: None,
            at: tok.at.clone(),
        });
        self.cur_strategy = Some(id.to_string());
        self.cur_init = None;
        self.pending_title = None;
    }

    fn enter_initiative(&mut self, id: &str, tok: &Tok) {
        if let Some(parent) = ids::parent(id)
            && self.cur_strategy.as_deref() != Some(parent)
        {
            self.enter_strategy(parent, tok);
        }
        self.initiatives.entry(id.to_string()).or_insert_with(|| Obj {
            title: None,
            at: tok.at.clone(),
        });
        self.cur_init = Some(id.to_string());
        self.pending_title = None;
        self.phase = None;
        self.phase_achievement_seen = false;
    }

    fn pieces(&self, scope: Scope, f: F) -> &[Piece] {
        self.store.get(&(scope, f)).map_or(&[], Vec::as_slice)
    }

    /// A 様式1 field whose label stands with nothing under it, in a
    /// release that left exactly one paragraph (of some length) under no
    /// label, takes that paragraph: text pulled from a PDF prints a page's blocks out of
    /// order (the revision release prints the policy 40 lines before its
    /// label). Said in a warning.
    fn pair_orphan_paragraph(&mut self) {
        let empty: Vec<F> = self
            .doc_labels
            .iter()
            .filter(|f| self.pieces(Scope::Doc, (*f).clone()).is_empty())
            .cloned()
            .collect();
        let [field] = empty.as_slice() else { return };
        // The pieces under no label, as paragraphs (a few characters apart
        // — a stray section word — are not a paragraph such a field holds).
        let mut groups: Vec<Vec<Piece>> = Vec::new();
        for p in &self.unplaced {
            let joins = groups.last().is_some_and(|g| {
                let mut with = g.clone();
                with.push(p.clone());
                values::paragraphs(&with).len() == 1
            });
            match groups.last_mut() {
                Some(g) if joins => g.push(p.clone()),
                _ => groups.push(vec![p.clone()]),
            }
        }
        let substantial: Vec<usize> = (0..groups.len())
            .filter(|&i| values::text(&groups[i]).is_some_and(|t| t.chars().count() >= ORPHAN_MIN))
            .collect();
        let [only] = substantial.as_slice() else { return };
        let pieces = groups.remove(*only);
        self.unplaced = groups.into_iter().flatten().collect();
        let at = pieces[0].at.clone();
        self.warnings.push(Warning::new(
            "value_paired_by_order",
            format!(
                "the {} label stands with nothing under it; the one paragraph under no label is taken for it",
                match field {
                    F::Goal => "goal (区の目標)",
                    F::Mission => "mission (区の使命)",
                    _ => "policy (区運営の基本的な考え方)",
                }
            ),
            at,
        ));
        self.store.insert((Scope::Doc, field.clone()), pieces);
    }

    fn into_parts(mut self) -> Parts {
        self.pair_orphan_paragraph();
        let doc = || Scope::Doc;
        let goal = values::text(self.pieces(doc(), F::Goal));
        let mission = values::text(self.pieces(doc(), F::Mission));
        let policy = values::text(self.pieces(doc(), F::Policy));

        let key_issues = self.key_issues_model();
        let reform_items = self
            .reform
            .iter()
            .enumerate()
            .map(|(i, (category, at))| ReformItem {
                category: category.clone(),
                content: values::text(self.pieces(doc(), F::ReformContent(i))),
                target: None,
                review: None,
                at: at.clone(),
            })
            .collect();
        let issues = self.issues_model();
        for p in &self.unplaced {
            self.warnings.push(unplaced_text(&p.text, &p.at));
        }
        Parts {
            goal,
            mission,
            policy,
            key_issues,
            reform_items,
            issues,
            warnings: self.warnings,
        }
    }

    fn key_issues_model(&mut self) -> Vec<KeyIssue> {
        let mut numbers: Vec<u32> = self.key_issues.keys().copied().collect();
        for id in self.key_strategies.keys().chain(self.main_initiatives.keys()) {
            if let Some(n) = ids::issue_number(id)
                && !numbers.contains(&n)
            {
                numbers.push(n);
            }
        }
        numbers.sort_unstable();
        let mut out = Vec::new();
        let mut warnings = Vec::new();
        for n in numbers {
            let mut strategies: Vec<(&String, &(String, Location))> = self
                .key_strategies
                .iter()
                .filter(|(id, _)| ids::issue_number(id) == Some(n))
                .collect();
            strategies.sort_by_key(|(id, _)| ids::sort_key(id));
            let mut mains: Vec<(&String, &(String, Location))> = self
                .main_initiatives
                .iter()
                .filter(|(id, _)| ids::issue_number(id) == Some(n))
                .collect();
            mains.sort_by_key(|(id, _)| ids::sort_key(id));
            let main_initiatives = mains
                .iter()
                .map(|(id, (title, at))| {
                    let text = values::text(self.pieces(Scope::Doc, F::MainInitiativeText((*id).clone())));
                    let (text, budget) = match text.as_deref().and_then(normalize::split_trailing_money) {
                        Some((t, m)) => ((!t.is_empty()).then_some(t), m),
                        None => {
                            warnings.push(Warning::new(
                                "missing_budget",
                                format!("main initiative {id} prints no budget"),
                                at.clone(),
                            ));
                            (text, Money::default())
                        }
                    };
                    MainInitiative {
                        id: (*id).clone(),
                        title: (!title.is_empty()).then(|| title.clone()),
                        text,
                        budget,
                    }
                })
                .collect();
            let strategies = strategies
                .iter()
                .map(|(id, (title, _))| KeyStrategy {
                    id: (*id).clone(),
                    title: (!title.is_empty()).then(|| title.clone()),
                    text: values::text(self.pieces(Scope::Doc, F::KeyStrategyText((*id).clone()))),
                })
                .collect();
            out.push(KeyIssue {
                number: n,
                summary: values::text(self.pieces(Scope::Doc, F::KeyIssueSummary(n))),
                strategies,
                main_initiatives,
                at: self.key_issues.get(&n).cloned().unwrap_or_default(),
            });
        }
        self.warnings.extend(warnings);
        out
    }

    fn issues_model(&mut self) -> Vec<Issue> {
        let numbers: Vec<u32> = self.issues.keys().copied().collect();
        let mut out = Vec::new();
        for n in numbers {
            let scope = Scope::Issue(n);
            let mut strategy_ids: Vec<String> = self
                .strategies
                .keys()
                .filter(|id| ids::issue_number(id) == Some(n))
                .cloned()
                .collect();
            strategy_ids.sort_by_key(|id| ids::sort_key(id));
            let strategies = strategy_ids.iter().map(|id| self.strategy_model(id)).collect();
            let mut warnings = Vec::new();
            let mut current_state = values::current_state(
                self.pieces(scope.clone(), F::CurrentState),
                self.doc_year,
                &mut warnings,
            );
            // Running text may print part of the current-state table after
            // the lists that follow it: take it back from there.
            let (factor_analysis, tail_f) = values::split_list_tail(self.pieces(scope.clone(), F::FactorAnalysis));
            let (challenges, tail_c) = values::split_list_tail(self.pieces(scope.clone(), F::Challenges));
            for tail in [tail_f, tail_c] {
                if !tail.is_empty() {
                    current_state.extend(values::current_state(&tail, self.doc_year, &mut warnings));
                }
            }
            self.warnings.extend(warnings);
            let issue = Issue {
                number: n,
                title: self.issues.get(&n).and_then(|o| o.title.clone()),
                vision: values::text(self.pieces(scope.clone(), F::Vision)),
                current_state,
                factor_analysis: values::items(&factor_analysis),
                challenges: values::items(&challenges),
                strategies,
                at: self.issues.get(&n).map(|o| o.at.clone()).unwrap_or_default(),
            };
            out.push(issue);
        }
        out
    }

    fn strategy_model(&mut self, id: &str) -> Strategy {
        let scope = Scope::Strategy(id.to_string());
        let outcome_text = values::text(self.pieces(scope.clone(), F::Outcome)).unwrap_or_default();
        let prefix = format!("{id}-");
        let mut init_ids: Vec<String> = self
            .initiatives
            .keys()
            .filter(|i| i.starts_with(&prefix))
            .cloned()
            .collect();
        init_ids.sort_by_key(|i| ids::sort_key(i));
        let initiatives = init_ids.iter().map(|i| self.initiative_model(i)).collect();
        let eval = |f: F| {
            values::text(self.pieces(scope.clone(), f))
                .map(|t| values::strip_legends(&t))
                .filter(|t| !t.is_empty())
        };
        let effectiveness = eval(F::EvalEffectiveness);
        let outcome_status = eval(F::EvalOutcome);
        let progress = eval(F::EvalProgress);
        let evaluation = if effectiveness.is_none() && outcome_status.is_none() && progress.is_none() {
            None
        } else {
            Some(Evaluation {
                effectiveness: effectiveness.as_deref().and_then(|t| match t.chars().next() {
                    Some('ア') => Some(crate::model::Effectiveness::Effective),
                    Some('イ') => Some(crate::model::Effectiveness::NotEffective),
                    _ => None,
                }),
                outcome_status: outcome_status.as_deref().and_then(track),
                progress: progress.as_deref().and_then(track),
            })
        };
        Strategy {
            id: id.to_string(),
            title: self.strategies.get(id).and_then(|o| o.title.clone()),
            target_state: values::text(self.pieces(scope.clone(), F::TargetState)),
            approach: values::text(self.pieces(scope.clone(), F::Approach)),
            outcome_indicators: values::outcome_indicators(&outcome_text, self.doc_year),
            evaluation,
            initiatives,
            basic_policy_items: Vec::new(),
            at: self.strategies.get(id).map(|o| o.at.clone()).unwrap_or_default(),
        }
    }

    fn initiative_model(&mut self, id: &str) -> Initiative {
        let scope = Scope::Initiative(id.to_string());
        let budgets = self
            .budgets_order
            .get(id)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|(n, kind)| {
                let text = values::text(self.pieces(scope.clone(), F::Budget(n, kind))).unwrap_or_default();
                let money = normalize::parse_money(&text);
                Budget {
                    fiscal_year: self.doc_year.map(|d| year::bare_year(n, d)),
                    kind,
                    yen: money.yen,
                    text: money.text,
                }
            })
            .collect();
        let review = |phase: Phase| {
            values::review(&ReviewFields {
                achievement: self.pieces(scope.clone(), F::Review(phase, RevField::Achievement)),
                effectiveness: self.pieces(scope.clone(), F::Review(phase, RevField::Effectiveness)),
                results: self.pieces(scope.clone(), F::Review(phase, RevField::Results)),
                issues: self.pieces(scope.clone(), F::Review(phase, RevField::Issues)),
                improvements: self.pieces(scope.clone(), F::Review(phase, RevField::Improvements)),
            })
        };
        let process_indicators = values::process_indicators(self.pieces(scope.clone(), F::Process));
        let at = self.initiatives.get(id).map(|o| o.at.clone()).unwrap_or_default();
        let init = Initiative {
            id: id.to_string(),
            title: self.initiatives.get(id).and_then(|o| o.title.clone()),
            budgets,
            activities: values::items(self.pieces(scope.clone(), F::Activities)),
            process_indicators,
            rebuild_criteria: values::rebuild_criteria(self.pieces(scope.clone(), F::Rebuild)),
            prior_results: values::prior_results(self.pieces(scope.clone(), F::Prior), self.doc_year),
            midterm_review: review(Phase::Midterm),
            self_evaluation: review(Phase::SelfEval),
            reposted_from: None,
            basic_policy_items: Vec::new(),
            at,
        };
        if init.process_indicators.iter().all(|p| p.target.is_none()) {
            self.warnings.push(Warning::new(
                "missing_process_target",
                format!("initiative {id}: no process indicator target is printed"),
                init.at.clone(),
            ));
        }
        init
    }
}

/// The shortest paragraph a 様式1 field takes by elimination.
const ORPHAN_MIN: usize = 20;

fn track(t: &str) -> Option<Track> {
    let c = t.trim().chars().next()?;
    match c {
        'A' | 'a' => Some(Track::OnTrack),
        'B' | 'b' => Some(Track::OffTrack),
        _ => None,
    }
}
