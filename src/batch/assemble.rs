//! One ward and fiscal year: its documents, and one merged view of the plan.
//!
//! Documents come in their file order: by kind (plan, plan_revision,
//! midterm_review, summary, progress_report), then by sha256. The first one
//! is the view's base (`built_from`); every later one is applied to the view
//! in that order, one at a time, so a group is assembled without holding
//! more than the view and the document at hand:
//!
//! * a `plan_revision` (on a plan) is **revised** in: every value it carries
//!   replaces the view's, and each change is listed in `revisions_applied`
//!   (old → new, and the revision's sha256); items it has that the view lacks
//!   are added. Where two revisions set one value differently, the first
//!   stays and both are listed in `disagreements`.
//! * a `midterm_review` or `progress_report` is **attached**: its reviews
//!   (`midterm_review`, `self_evaluation`, strategy `evaluation`, reform item
//!   `review`) fill the matching item (by issue number, strategy id,
//!   initiative id, reform category) of the view; where the view already
//!   has a different one, both go to `disagreements`, the first stays; a
//!   review whose item the view lacks is a warning.
//! * a document of the base's own kind, or a `summary`, is **compared**:
//!   every value it has that differs from the view's (including one the view
//!   lacks) goes to `disagreements`; the view keeps its value.
//!
//! Nothing is overwritten silently: a value in the view differs from its
//! base document only through `revisions_applied` or an attached review
//! (from a document in `reviewed_by`/`reported_by`).
//!
//! Paths name a value in the view: `/`-separated field names, with a list
//! element named by its key: key issue and issue by `number`, strategy and
//! initiative by `id`, reform item by `category`, budget by
//! `<fiscal_year>:<kind>` (`-` for no year); `~` and `/` inside a key are
//! written `~0` and `~1` (as in JSON Pointer). E.g.
//! `issues/3/strategies/3-3/initiatives/3-3-4/budgets/2022:budget`.

use crate::model::{
    Budget, BudgetKind, Document, Evaluation, Initiative, Issue, KeyIssue, KeyStrategy, Kind, MainInitiative, Money,
    Observation, OutcomeIndicator, PriorResult, ProcessIndicator, RebuildCriterion, ReformItem, Review, Strategy, Ward,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of `WardYear::schema`.
pub const WARD_YEAR_SCHEMA: &str = "yoshiki/ward-year/1";

/// `OUT/<ward code>/<fiscal year>.json`. Written field by field by
/// `output::WardYearWriter` (documents are streamed); this struct is the
/// same shape, whole.
#[derive(Debug, Serialize)]
pub struct WardYear<'a> {
    pub schema: &'static str,
    pub ward: &'a Ward,
    pub fiscal_year: i32,
    pub documents: &'a [Document],
    pub plan: &'a PlanView,
    pub disagreements: &'a [Disagreement],
    pub warnings: &'a [GroupWarning],
}

/// What `merge` reads back from a shard's ward-year file.
#[derive(Debug, Deserialize)]
pub struct WardYearDocuments {
    pub documents: Vec<Document>,
}

/// A document named by its content.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocRef {
    pub document: String,
    pub kind: Kind,
}

impl DocRef {
    fn of(doc: &Document) -> DocRef {
        DocRef {
            document: doc.source.sha256.clone(),
            kind: doc.kind,
        }
    }
}

/// The merged view: the base document's content with revisions applied and
/// reviews attached. `at` locations refer to the base document, except in
/// items a revision added (see `revisions_applied`), which refer to it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub built_from: DocRef,
    /// `plan_revision` documents applied, in order.
    pub revised_by: Vec<String>,
    /// `midterm_review` documents attached.
    pub reviewed_by: Vec<String>,
    /// `progress_report` documents attached.
    pub reported_by: Vec<String>,
    /// Documents compared (of the base's kind, and summaries).
    pub compared_with: Vec<String>,
    pub title: Option<String>,
    pub goal: Option<String>,
    pub mission: Option<String>,
    pub policy: Option<String>,
    pub key_issues: Vec<KeyIssue>,
    pub reform_items: Vec<ReformItem>,
    pub issues: Vec<Issue>,
    pub revisions_applied: Vec<Change>,
}

/// A value a revision changed (or added: `before` is null).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub path: String,
    pub before: Val,
    pub after: Val,
    pub document: String,
}

/// Documents that give one value differently.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Disagreement {
    pub path: String,
    /// The document whose value the view shows.
    pub shown: String,
    pub values: Vec<Claim>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Claim {
    pub document: String,
    pub kind: Kind,
    pub value: Val,
}

/// A note on the group as a whole.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupWarning {
    pub code: String,
    pub message: String,
    pub documents: Vec<String>,
}

/// A value of the model, as it appears in `revisions_applied` and
/// `disagreements` (each in its own shape).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Val {
    Null,
    Text(String),
    Texts(Vec<String>),
    Money(Money),
    Budget(Budget),
    Observations(Vec<Observation>),
    OutcomeIndicators(Vec<OutcomeIndicator>),
    ProcessIndicators(Vec<ProcessIndicator>),
    RebuildCriteria(Vec<RebuildCriterion>),
    PriorResults(Vec<PriorResult>),
    Review(Box<Review>),
    Evaluation(Evaluation),
    KeyIssue(Box<KeyIssue>),
    KeyStrategy(KeyStrategy),
    MainInitiative(Box<MainInitiative>),
    ReformItem(Box<ReformItem>),
    Issue(Box<Issue>),
    Strategy(Box<Strategy>),
    Initiative(Box<Initiative>),
}

/// A value the view can take from another document.
trait Field: Clone {
    /// Whether the document gives the value at all (blank is not a value).
    fn present(&self) -> bool;
    fn same(&self, other: &Self) -> bool;
    fn val(&self) -> Val;
}

impl Field for Option<String> {
    fn present(&self) -> bool {
        self.as_ref().is_some_and(|s| !s.trim().is_empty())
    }
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => same_text(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }
    fn val(&self) -> Val {
        self.clone().map_or(Val::Null, Val::Text)
    }
}

impl Field for Money {
    fn present(&self) -> bool {
        self.yen.is_some() || !self.text.trim().is_empty()
    }
    /// Amounts are compared in yen: `- 円` and `―` both say none.
    fn same(&self, other: &Self) -> bool {
        self.yen == other.yen
    }
    fn val(&self) -> Val {
        Val::Money(self.clone())
    }
}

impl Field for Budget {
    fn present(&self) -> bool {
        self.yen.is_some() || !self.text.trim().is_empty()
    }
    fn same(&self, other: &Self) -> bool {
        self.yen == other.yen
    }
    fn val(&self) -> Val {
        Val::Budget(self.clone())
    }
}

impl Field for Vec<Observation> {
    fn present(&self) -> bool {
        !self.is_empty()
    }
    /// Where a figure was printed differs between formats; what it says
    /// does not.
    fn same(&self, other: &Self) -> bool {
        let unplaced = |v: &[Observation]| -> Vec<Observation> {
            v.iter()
                .map(|o| Observation {
                    at: Default::default(),
                    ..o.clone()
                })
                .collect()
        };
        self.len() == other.len() && same_json(&unplaced(self), &unplaced(other))
    }
    fn val(&self) -> Val {
        Val::Observations(self.clone())
    }
}

/// Text without its white space: how a release wraps or spaces a sentence
/// is not what it says (`…進んでいる。 地域…` is `…進んでいる。地域…`).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `squeeze(a) == squeeze(b)`, without building either.
fn same_text(a: &str, b: &str) -> bool {
    a == b
        || a.chars()
            .filter(|c| !c.is_whitespace())
            .eq(b.chars().filter(|c| !c.is_whitespace()))
}

/// Two values the same but for white space in their texts (JSON text holds
/// white space only inside strings, as the pretty printer's is not used).
fn same_json<T: Serialize>(a: &T, b: &T) -> bool {
    let text = |v: &T| serde_json::to_string(v).map(|s| squeeze(&s)).ok();
    text(a).is_some_and(|x| Some(x) == text(b))
}

impl Field for Vec<String> {
    fn present(&self) -> bool {
        !self.is_empty()
    }
    fn same(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| same_text(a, b))
    }
    fn val(&self) -> Val {
        Val::Texts(self.clone())
    }
}

macro_rules! list_field {
    ($t:ty, $v:ident) => {
        impl Field for Vec<$t> {
            fn present(&self) -> bool {
                !self.is_empty()
            }
            fn same(&self, other: &Self) -> bool {
                self == other || same_json(self, other)
            }
            fn val(&self) -> Val {
                Val::$v(self.clone())
            }
        }
    };
}
list_field!(OutcomeIndicator, OutcomeIndicators);
list_field!(ProcessIndicator, ProcessIndicators);
list_field!(RebuildCriterion, RebuildCriteria);
list_field!(PriorResult, PriorResults);

impl Field for Option<Review> {
    fn present(&self) -> bool {
        self.is_some()
    }
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn val(&self) -> Val {
        self.clone().map_or(Val::Null, |r| Val::Review(Box::new(r)))
    }
}

impl Field for Option<Evaluation> {
    fn present(&self) -> bool {
        self.is_some()
    }
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn val(&self) -> Val {
        self.clone().map_or(Val::Null, Val::Evaluation)
    }
}

/// An element of a list matched by key.
trait Item: Clone {
    fn key(&self) -> String;
    fn val(&self) -> Val;
    /// Whether it carries a review (what attaching would take from it).
    fn has_review(&self) -> bool {
        false
    }
}

impl Item for KeyIssue {
    fn key(&self) -> String {
        self.number.to_string()
    }
    fn val(&self) -> Val {
        Val::KeyIssue(Box::new(self.clone()))
    }
}

impl Item for KeyStrategy {
    fn key(&self) -> String {
        self.id.clone()
    }
    fn val(&self) -> Val {
        Val::KeyStrategy(self.clone())
    }
}

impl Item for MainInitiative {
    fn key(&self) -> String {
        self.id.clone()
    }
    fn val(&self) -> Val {
        Val::MainInitiative(Box::new(self.clone()))
    }
}

impl Item for ReformItem {
    fn key(&self) -> String {
        self.category.clone()
    }
    fn val(&self) -> Val {
        Val::ReformItem(Box::new(self.clone()))
    }
    fn has_review(&self) -> bool {
        self.review.is_some()
    }
}

impl Item for Issue {
    fn key(&self) -> String {
        self.number.to_string()
    }
    fn val(&self) -> Val {
        Val::Issue(Box::new(self.clone()))
    }
    fn has_review(&self) -> bool {
        self.strategies.iter().any(Item::has_review)
    }
}

impl Item for Strategy {
    fn key(&self) -> String {
        self.id.clone()
    }
    fn val(&self) -> Val {
        Val::Strategy(Box::new(self.clone()))
    }
    fn has_review(&self) -> bool {
        self.evaluation.is_some() || self.initiatives.iter().any(Item::has_review)
    }
}

impl Item for Initiative {
    fn key(&self) -> String {
        self.id.clone()
    }
    fn val(&self) -> Val {
        Val::Initiative(Box::new(self.clone()))
    }
    fn has_review(&self) -> bool {
        self.midterm_review.is_some() || self.self_evaluation.is_some()
    }
}

impl Item for Budget {
    fn key(&self) -> String {
        let year = self.fiscal_year.map_or("-".to_string(), |y| y.to_string());
        let kind = match self.kind {
            BudgetKind::Settled => "settled",
            BudgetKind::Budget => "budget",
        };
        format!("{year}:{kind}")
    }
    fn val(&self) -> Val {
        Val::Budget(self.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The other document's values win, and each change is recorded.
    Revise,
    /// The other document's reviews fill the view's blanks.
    Attach,
    /// The view keeps its values; differences are recorded.
    Compare,
}

impl Mode {
    /// Whether the mode takes content (texts, figures) or reviews only.
    fn content(self) -> bool {
        self != Mode::Attach
    }
}

/// JSON-Pointer escaping of a key inside a path.
fn esc(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Builds a group's view from its documents, fed one at a time in order.
#[derive(Default)]
pub struct Assembler {
    view: Option<PlanView>,
    /// Who set the value at a path (or added the item there), where that is
    /// not the base document.
    origin: BTreeMap<String, DocRef>,
    disagreements: Vec<Disagreement>,
    index: BTreeMap<String, usize>,
    warnings: Vec<GroupWarning>,
    same_kind: Vec<String>,
}

impl Assembler {
    pub fn new() -> Assembler {
        Assembler::default()
    }

    /// Add the next document. Documents must come in the file's order (by
    /// kind, then sha256): the first is the base.
    pub fn add(&mut self, doc: &Document) {
        let src = DocRef::of(doc);
        let Some(mut view) = self.view.take() else {
            self.view = Some(PlanView {
                built_from: src,
                revised_by: Vec::new(),
                reviewed_by: Vec::new(),
                reported_by: Vec::new(),
                compared_with: Vec::new(),
                title: doc.title.clone(),
                goal: doc.goal.clone(),
                mission: doc.mission.clone(),
                policy: doc.policy.clone(),
                key_issues: doc.key_issues.clone(),
                reform_items: doc.reform_items.clone(),
                issues: doc.issues.clone(),
                revisions_applied: Vec::new(),
            });
            return;
        };
        let base_kind = view.built_from.kind;
        let mode = if doc.kind == base_kind {
            self.same_kind.push(src.document.clone());
            Mode::Compare
        } else {
            match doc.kind {
                Kind::PlanRevision => Mode::Revise,
                Kind::MidtermReview | Kind::ProgressReport => Mode::Attach,
                Kind::Plan | Kind::Summary => Mode::Compare,
            }
        };
        let list = match (mode, doc.kind) {
            (Mode::Revise, _) => &mut view.revised_by,
            (Mode::Attach, Kind::MidtermReview) => &mut view.reviewed_by,
            (Mode::Attach, _) => &mut view.reported_by,
            (Mode::Compare, _) => &mut view.compared_with,
        };
        list.push(src.document.clone());
        let mut m = Merge {
            base: view.built_from.clone(),
            a: self,
            changes: Vec::new(),
            mode,
            src: &src,
        };
        m.document(&mut view, doc);
        let changes = m.changes;
        view.revisions_applied.extend(changes);
        self.view = Some(view);
    }

    /// The view, the disagreements and the group's warnings. `None` if no
    /// document was added.
    pub fn finish(mut self) -> Option<(PlanView, Vec<Disagreement>, Vec<GroupWarning>)> {
        let view = self.view?;
        if !self.same_kind.is_empty() {
            let kind = view.built_from.kind.as_str();
            let mut documents = vec![view.built_from.document.clone()];
            documents.extend(self.same_kind.iter().cloned());
            self.warnings.insert(
                0,
                GroupWarning {
                    code: "several_documents_of_a_kind".to_string(),
                    message: format!(
                        "{} {kind} documents: the view is built from {} (the first by sha256); \
                         where the others differ, both values are in disagreements",
                        documents.len(),
                        short(&view.built_from.document)
                    ),
                    documents,
                },
            );
        }
        Some((view, self.disagreements, self.warnings))
    }
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// One document being applied to the view.
struct Merge<'a> {
    a: &'a mut Assembler,
    base: DocRef,
    changes: Vec<Change>,
    mode: Mode,
    src: &'a DocRef,
}

impl Merge<'_> {
    fn document(&mut self, view: &mut PlanView, doc: &Document) {
        if self.mode.content() {
            self.field("goal".into(), &mut view.goal, &doc.goal);
            self.field("mission".into(), &mut view.mission, &doc.mission);
            self.field("policy".into(), &mut view.policy, &doc.policy);
            self.items("key_issues", &mut view.key_issues, &doc.key_issues, Merge::key_issue);
        }
        self.items(
            "reform_items",
            &mut view.reform_items,
            &doc.reform_items,
            Merge::reform_item,
        );
        self.items("issues", &mut view.issues, &doc.issues, Merge::issue);
    }

    /// Who the view's value at `path` came from: the nearest recorded
    /// origin at or above it, else the base document.
    fn origin_of(&self, path: &str) -> DocRef {
        let mut p = path;
        loop {
            if let Some(o) = self.a.origin.get(p) {
                return o.clone();
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
        self.base.clone()
    }

    fn disagree(&mut self, path: String, shown: DocRef, shown_val: Val, new_val: Val) {
        let claim = Claim {
            document: self.src.document.clone(),
            kind: self.src.kind,
            value: new_val,
        };
        match self.a.index.get(&path) {
            Some(&i) => {
                let d = &mut self.a.disagreements[i];
                if !d.values.iter().any(|c| c.document == claim.document) {
                    d.values.push(claim);
                }
            }
            None => {
                self.a.index.insert(path.clone(), self.a.disagreements.len());
                self.a.disagreements.push(Disagreement {
                    path,
                    shown: shown.document.clone(),
                    values: vec![
                        Claim {
                            document: shown.document,
                            kind: shown.kind,
                            value: shown_val,
                        },
                        claim,
                    ],
                });
            }
        }
    }

    fn field<F: Field>(&mut self, path: String, cur: &mut F, new: &F) {
        if !new.present() {
            return;
        }
        let had = cur.present();
        if had && cur.same(new) {
            return;
        }
        let cur_val = if had { cur.val() } else { Val::Null };
        match self.mode {
            Mode::Revise => {
                let origin = self.origin_of(&path);
                if origin.kind == self.src.kind && origin.document != self.src.document {
                    // Two revisions set this value differently: the first stays.
                    self.disagree(path, origin, cur_val, new.val());
                    return;
                }
                self.changes.push(Change {
                    path: path.clone(),
                    before: cur_val,
                    after: new.val(),
                    document: self.src.document.clone(),
                });
                *cur = new.clone();
                self.a.origin.insert(path, self.src.clone());
            }
            Mode::Attach if !had => {
                *cur = new.clone();
                self.a.origin.insert(path, self.src.clone());
            }
            Mode::Attach | Mode::Compare => {
                let origin = self.origin_of(&path);
                self.disagree(path, origin, cur_val, new.val());
            }
        }
    }

    fn items<T: Item>(&mut self, prefix: &str, cur: &mut Vec<T>, new: &[T], inner: fn(&mut Self, &str, &mut T, &T)) {
        for n in new {
            let key = n.key();
            let path = format!("{prefix}/{}", esc(&key));
            match cur.iter_mut().find(|c| c.key() == key) {
                Some(c) => inner(self, &path, c, n),
                None => self.missing(path, cur, n),
            }
        }
    }

    /// An item the other document has and the view lacks.
    fn missing<T: Item>(&mut self, path: String, cur: &mut Vec<T>, new: &T) {
        match self.mode {
            Mode::Revise => {
                self.changes.push(Change {
                    path: path.clone(),
                    before: Val::Null,
                    after: new.val(),
                    document: self.src.document.clone(),
                });
                cur.push(new.clone());
                self.a.origin.insert(path, self.src.clone());
            }
            Mode::Compare => {
                let origin = self.origin_of(&path);
                self.disagree(path, origin, Val::Null, new.val());
            }
            Mode::Attach if new.has_review() => {
                let message = format!(
                    "{} {}: {path} has a review, but the view has no {path}; the review is only in the document",
                    self.src.kind.as_str(),
                    short(&self.src.document),
                );
                self.a.warnings.push(GroupWarning {
                    code: "review_unmatched".to_string(),
                    message,
                    documents: vec![self.src.document.clone()],
                });
            }
            Mode::Attach => {}
        }
    }

    fn key_issue(&mut self, path: &str, cur: &mut KeyIssue, new: &KeyIssue) {
        self.field(format!("{path}/summary"), &mut cur.summary, &new.summary);
        self.items(
            &format!("{path}/strategies"),
            &mut cur.strategies,
            &new.strategies,
            Merge::key_strategy,
        );
        self.items(
            &format!("{path}/main_initiatives"),
            &mut cur.main_initiatives,
            &new.main_initiatives,
            Merge::main_initiative,
        );
    }

    fn key_strategy(&mut self, path: &str, cur: &mut KeyStrategy, new: &KeyStrategy) {
        self.field(format!("{path}/title"), &mut cur.title, &new.title);
        self.field(format!("{path}/text"), &mut cur.text, &new.text);
    }

    fn main_initiative(&mut self, path: &str, cur: &mut MainInitiative, new: &MainInitiative) {
        self.field(format!("{path}/title"), &mut cur.title, &new.title);
        self.field(format!("{path}/text"), &mut cur.text, &new.text);
        self.field(format!("{path}/budget"), &mut cur.budget, &new.budget);
    }

    fn reform_item(&mut self, path: &str, cur: &mut ReformItem, new: &ReformItem) {
        if self.mode.content() {
            self.field(format!("{path}/content"), &mut cur.content, &new.content);
            self.field(format!("{path}/target"), &mut cur.target, &new.target);
        }
        self.field(format!("{path}/review"), &mut cur.review, &new.review);
    }

    fn issue(&mut self, path: &str, cur: &mut Issue, new: &Issue) {
        if self.mode.content() {
            self.field(format!("{path}/title"), &mut cur.title, &new.title);
            self.field(format!("{path}/vision"), &mut cur.vision, &new.vision);
            self.field(
                format!("{path}/current_state"),
                &mut cur.current_state,
                &new.current_state,
            );
            self.field(
                format!("{path}/factor_analysis"),
                &mut cur.factor_analysis,
                &new.factor_analysis,
            );
            self.field(format!("{path}/challenges"), &mut cur.challenges, &new.challenges);
        }
        self.items(
            &format!("{path}/strategies"),
            &mut cur.strategies,
            &new.strategies,
            Merge::strategy,
        );
    }

    fn strategy(&mut self, path: &str, cur: &mut Strategy, new: &Strategy) {
        if self.mode.content() {
            self.field(format!("{path}/title"), &mut cur.title, &new.title);
            self.field(format!("{path}/target_state"), &mut cur.target_state, &new.target_state);
            self.field(format!("{path}/approach"), &mut cur.approach, &new.approach);
            self.field(
                format!("{path}/outcome_indicators"),
                &mut cur.outcome_indicators,
                &new.outcome_indicators,
            );
        }
        self.field(format!("{path}/evaluation"), &mut cur.evaluation, &new.evaluation);
        self.items(
            &format!("{path}/initiatives"),
            &mut cur.initiatives,
            &new.initiatives,
            Merge::initiative,
        );
    }

    fn initiative(&mut self, path: &str, cur: &mut Initiative, new: &Initiative) {
        if self.mode.content() {
            self.field(format!("{path}/title"), &mut cur.title, &new.title);
            self.items(
                &format!("{path}/budgets"),
                &mut cur.budgets,
                &new.budgets,
                |m, p, c, n| m.field(p.to_string(), c, n),
            );
            self.field(format!("{path}/activities"), &mut cur.activities, &new.activities);
            self.field(
                format!("{path}/process_indicators"),
                &mut cur.process_indicators,
                &new.process_indicators,
            );
            self.field(
                format!("{path}/rebuild_criteria"),
                &mut cur.rebuild_criteria,
                &new.rebuild_criteria,
            );
            self.field(
                format!("{path}/prior_results"),
                &mut cur.prior_results,
                &new.prior_results,
            );
        }
        self.field(
            format!("{path}/midterm_review"),
            &mut cur.midterm_review,
            &new.midterm_review,
        );
        self.field(
            format!("{path}/self_evaluation"),
            &mut cur.self_evaluation,
            &new.self_evaluation,
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Achievement, Detection, DetectionNote, Format, Location, Source};

    fn note() -> DetectionNote {
        DetectionNote {
            by: "content".to_string(),
            ..DetectionNote::default()
        }
    }

    pub(crate) fn doc(kind: Kind, sha: &str, ward: Option<&str>, year: Option<i32>) -> Document {
        Document {
            schema: crate::model::DOCUMENT_SCHEMA.to_string(),
            source: Source {
                path: String::new(),
                sha256: sha.to_string(),
                format: Format::Text,
                ..Source::default()
            },
            kind,
            title: Some(format!("{} {sha}", kind.as_str())),
            ward: ward.and_then(crate::wards::lookup),
            fiscal_year: year,
            detection: Detection {
                kind: note(),
                ward: note(),
                fiscal_year: note(),
            },
            goal: None,
            mission: None,
            policy: None,
            key_issues: Vec::new(),
            reform_items: Vec::new(),
            issues: Vec::new(),
            revisions: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn initiative(id: &str, yen: Option<i64>) -> Initiative {
        Initiative {
            id: id.to_string(),
            title: Some(format!("取組{id}")),
            budgets: vec![Budget {
                fiscal_year: Some(2022),
                kind: BudgetKind::Budget,
                yen,
                text: yen.map_or("-".to_string(), |y| format!("{}千円", y / 1000)),
            }],
            activities: vec!["活動".to_string()],
            ..Initiative::default()
        }
    }

    pub(crate) fn with_initiatives(mut d: Document, inits: Vec<Initiative>) -> Document {
        d.issues = vec![Issue {
            number: 3,
            title: Some("課題3".into()),
            strategies: vec![Strategy {
                id: "3-3".into(),
                title: Some("戦略3-3".into()),
                initiatives: inits,
                at: Location::line(10),
                ..Strategy::default()
            }],
            at: Location::line(9),
            ..Issue::default()
        }];
        d
    }

    fn assemble(docs: &[Document]) -> (PlanView, Vec<Disagreement>, Vec<GroupWarning>) {
        let mut a = Assembler::new();
        for d in docs {
            a.add(d);
        }
        a.finish().unwrap()
    }

    fn budget(v: &PlanView, id: &str) -> Option<i64> {
        v.issues[0].strategies[0]
            .initiatives
            .iter()
            .find(|i| i.id == id)
            .and_then(|i| i.budgets[0].yen)
    }

    #[test]
    fn a_revision_replaces_the_plans_values_and_says_so() {
        let mut plan = with_initiatives(
            doc(Kind::Plan, "aa", Some("271071"), Some(2022)),
            vec![initiative("3-3-4", Some(6_166_000)), initiative("3-3-5", Some(1_000))],
        );
        plan.goal = Some("目標".into());
        let mut rev = with_initiatives(
            doc(Kind::PlanRevision, "bb", Some("271071"), Some(2022)),
            vec![initiative("3-3-4", Some(6_227_000)), initiative("3-3-9", Some(5_000))],
        );
        rev.issues[0].strategies[0].initiatives[0].activities = Vec::new();
        let (v, dis, warn) = assemble(&[plan, rev]);
        assert_eq!(budget(&v, "3-3-4"), Some(6_227_000));
        assert_eq!(budget(&v, "3-3-5"), Some(1_000), "a value the revision lacks stays");
        assert_eq!(budget(&v, "3-3-9"), Some(5_000), "a new item is added");
        assert_eq!(v.goal.as_deref(), Some("目標"));
        assert_eq!(v.revised_by, ["bb"]);
        let paths: Vec<&str> = v.revisions_applied.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "issues/3/strategies/3-3/initiatives/3-3-4/budgets/2022:budget",
                "issues/3/strategies/3-3/initiatives/3-3-9"
            ]
        );
        let c = &v.revisions_applied[0];
        assert_eq!(c.document, "bb");
        assert!(matches!(&c.before, Val::Budget(b) if b.yen == Some(6_166_000)));
        assert!(matches!(&c.after, Val::Budget(b) if b.yen == Some(6_227_000)));
        assert!(dis.is_empty(), "{dis:?}");
        assert!(warn.is_empty(), "{warn:?}");
    }

    #[test]
    fn two_plans_disagreeing_keep_both_values_and_the_first_shows() {
        let a = with_initiatives(
            doc(Kind::Plan, "aa", None, None),
            vec![initiative("3-3-4", Some(1_000))],
        );
        let b = with_initiatives(
            doc(Kind::Plan, "bb", None, None),
            vec![initiative("3-3-4", Some(2_000))],
        );
        let (v, dis, warn) = assemble(&[a, b]);
        assert_eq!(budget(&v, "3-3-4"), Some(1_000));
        assert_eq!(dis.len(), 1, "{dis:?}");
        assert_eq!(dis[0].shown, "aa");
        let docs: Vec<&str> = dis[0].values.iter().map(|c| c.document.as_str()).collect();
        assert_eq!(docs, ["aa", "bb"]);
        assert_eq!(warn[0].code, "several_documents_of_a_kind");
        assert_eq!(v.compared_with, ["bb"]);
    }

    #[test]
    fn two_revisions_disagreeing_are_recorded_and_the_first_wins() {
        let plan = with_initiatives(
            doc(Kind::Plan, "aa", None, None),
            vec![initiative("3-3-4", Some(1_000))],
        );
        let r1 = with_initiatives(
            doc(Kind::PlanRevision, "bb", None, None),
            vec![initiative("3-3-4", Some(2_000))],
        );
        let r2 = with_initiatives(
            doc(Kind::PlanRevision, "cc", None, None),
            vec![initiative("3-3-4", Some(3_000))],
        );
        let (v, dis, _) = assemble(&[plan, r1, r2]);
        assert_eq!(budget(&v, "3-3-4"), Some(2_000));
        assert_eq!(v.revisions_applied.len(), 1);
        assert_eq!(dis.len(), 1);
        assert_eq!(dis[0].shown, "bb");
        let docs: Vec<&str> = dis[0].values.iter().map(|c| c.document.as_str()).collect();
        assert_eq!(docs, ["bb", "cc"]);
    }

    #[test]
    fn a_review_attaches_to_the_plans_initiative_by_id() {
        let plan = with_initiatives(
            doc(Kind::Plan, "aa", None, None),
            vec![initiative("3-3-4", Some(1_000))],
        );
        let mut reviewed = initiative("3-3-4", None);
        reviewed.midterm_review = Some(Review {
            achievement: Some(Achievement::Achieved),
            ..Review::default()
        });
        let mut stray = initiative("9-9-9", None);
        stray.midterm_review = Some(Review::default());
        let review = with_initiatives(doc(Kind::MidtermReview, "bb", None, None), vec![reviewed, stray]);
        let (v, dis, warn) = assemble(&[plan, review]);
        let init = &v.issues[0].strategies[0].initiatives[0];
        assert_eq!(
            init.midterm_review.as_ref().and_then(|r| r.achievement),
            Some(Achievement::Achieved)
        );
        assert_eq!(init.budgets[0].yen, Some(1_000), "a review takes no content");
        assert_eq!(v.reviewed_by, ["bb"]);
        assert!(dis.is_empty(), "{dis:?}");
        assert_eq!(warn.len(), 1);
        assert_eq!(warn[0].code, "review_unmatched");
        assert!(warn[0].message.contains("9-9-9"), "{}", warn[0].message);
    }

    #[test]
    fn a_summary_is_compared_and_a_value_the_view_lacks_is_a_disagreement() {
        let plan = doc(Kind::Plan, "aa", None, None);
        let mut summary = doc(Kind::Summary, "bb", None, None);
        summary.goal = Some("目標".into());
        let (v, dis, _) = assemble(&[plan, summary]);
        assert_eq!(v.goal, None);
        assert_eq!(dis.len(), 1);
        assert_eq!(dis[0].path, "goal");
        assert_eq!(dis[0].values[0].value, Val::Null);
    }

    #[test]
    fn where_printed_is_not_a_difference() {
        let mut a = with_initiatives(
            doc(Kind::Plan, "aa", None, None),
            vec![initiative("3-3-4", Some(1_000))],
        );
        let mut b = a.clone();
        b.source.sha256 = "bb".into();
        b.issues[0].at = Location::page(3, [1.0, 2.0, 3.0, 4.0]);
        b.issues[0].current_state = vec![Observation {
            description: "x".into(),
            at: Location::line(99),
            ..Observation::default()
        }];
        a.issues[0].current_state = vec![Observation {
            description: "x".into(),
            at: Location::line(5),
            ..Observation::default()
        }];
        let (_, dis, _) = assemble(&[a, b]);
        assert!(dis.is_empty(), "{dis:?}");
    }
}
