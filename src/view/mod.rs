//! The merged view of a ward and fiscal year: its documents, and one view
//! of its plan. A concept of the model — `convert` and `merge` write it,
//! `export` flattens it, reports read it — kept apart from the batch
//! machinery that feeds it.
//!
//! Documents come in their file order: by kind (plan, plan_revision,
//! midterm_review, summary, progress_report), then by sha256. The first one
//! is the view's base (`built_from`); every later one is applied to the view
//! in that order, one at a time, so a group is assembled without holding
//! more than the view and the document at hand:
//!
//! * a `plan_revision` (on a plan) is **revised** in through its
//!   revisions only (`revise.rs`): each names the path of the value it
//!   revises and its old and new values typed; where the view holds the old
//!   value it takes the new one, listed in `revisions_applied` (old → new,
//!   the revision's sha256 and index); where it holds neither, the
//!   revision goes to `disagreements`. A value flagged `damaged` is never
//!   applied (a group warning says so); one flagged `ambiguous` (fused
//!   digits a text release cannot split) is applied only where exactly one
//!   of its readings agrees with the view or with another document's
//!   revision of that value, at the end of the group (`finish`), else it
//!   goes to `disagreements` with its readings. The rest of the revision
//!   document's content is **compared** (below), except where its
//!   revisions speak. Where two revisions set one value differently, the
//!   first stays and both are listed in `disagreements`.
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
//! Paths name a value in the view in the model's one path syntax
//! (`crate::model::path`): e.g.
//! `issues/3/strategies/3-3/initiatives/3-3-4/budgets/2022:budget`,
//! `key_issues/1/main_initiatives/1-2-2/budget`.

mod revise;

use crate::model::{
    Budget, BudgetKind, Document, Evaluation, Initiative, Issue, KeyIssue, KeyStrategy, Kind, MainInitiative, Money,
    Observation, OutcomeIndicator, PriorResult, ProcessIndicator, RebuildCriterion, ReformItem, Review, RevisedValue,
    Revision, RevisionFlag, Strategy, Ward, path,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of `WardYear::schema`. `/2`: its documents are
/// `yoshiki/document/2`, and a revision is applied through its path only.
pub const WARD_YEAR_SCHEMA: &str = "yoshiki/ward-year/2";

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

/// A value a revision changed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub path: String,
    pub before: Val,
    pub after: Val,
    pub document: String,
    /// The index of the revision in the document's `revisions`.
    pub revision: usize,
    /// How an ambiguous revision was read: the reading applied and what it
    /// agreed with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
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
    /// A revision not applied (a conflict, an ambiguous value no reading of
    /// which agrees), with its flag and readings.
    Revision(Box<Revision>),
    /// A value of the view as the model's JSON (a revision's target).
    Json(serde_json::Value),
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
    /// The other document's revisions are applied through their paths;
    /// the rest of its content is compared.
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

use path::esc;

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
    /// Ambiguous revisions, resolved once every document is in.
    pending: Vec<(DocRef, usize, Revision)>,
    /// Every unflagged revision seen: (path, old, new, document).
    seen: Vec<(String, RevisedValue, RevisedValue, String)>,
    /// Paths a revision document's revisions speak for, per document:
    /// its content is not compared there.
    revised_paths: Vec<String>,
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
            self.flagged_in_base(doc);
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
        self.revised_paths.clear();
        if mode == Mode::Revise {
            self.revise(&mut view, doc, &src);
        }
        let mut m = Merge {
            base: view.built_from.clone(),
            a: self,
            mode,
            src: &src,
        };
        m.document(&mut view, doc);
        self.view = Some(view);
    }

    /// The view, the disagreements and the group's warnings. `None` if no
    /// document was added.
    pub fn finish(mut self) -> Option<(PlanView, Vec<Disagreement>, Vec<GroupWarning>)> {
        let mut view = self.view.take()?;
        self.resolve_pending(&mut view);
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

impl Assembler {
    /// Who the view's value at `path` came from: the nearest recorded
    /// origin at or above it, else the base document.
    fn origin_of(&self, path: &str, base: &DocRef) -> DocRef {
        let mut p = path;
        loop {
            if let Some(o) = self.origin.get(p) {
                return o.clone();
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
        base.clone()
    }

    fn disagree(&mut self, path: String, shown: DocRef, shown_val: Val, src: &DocRef, new_val: Val) {
        let claim = Claim {
            document: src.document.clone(),
            kind: src.kind,
            value: new_val,
        };
        match self.index.get(&path) {
            Some(&i) => {
                let d = &mut self.disagreements[i];
                if !d.values.iter().any(|c| c.document == claim.document) {
                    d.values.push(claim);
                }
            }
            None => {
                self.index.insert(path.clone(), self.disagreements.len());
                self.disagreements.push(Disagreement {
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

    fn warn(&mut self, code: &str, message: String, documents: Vec<String>) {
        self.warnings.push(GroupWarning {
            code: code.to_string(),
            message,
            documents,
        });
    }

    /// A base document whose own revisions are flagged: the view shows the
    /// values as printed, which the flag says not to trust.
    fn flagged_in_base(&mut self, doc: &Document) {
        for r in &doc.revisions {
            if let (Some(flag), Some(p)) = (r.flag, &r.path) {
                self.warn(
                    "flagged_value_shown",
                    format!(
                        "the view is built from {} {}, whose {p} holds {:?}, a value it flags {}",
                        doc.kind.as_str(),
                        short(&doc.source.sha256),
                        r.after.text,
                        flag_name(flag)
                    ),
                    vec![doc.source.sha256.clone()],
                );
            }
        }
    }

    /// A `plan_revision`'s revisions, through their paths.
    fn revise(&mut self, view: &mut PlanView, doc: &Document, src: &DocRef) {
        let base = view.built_from.clone();
        let mut content = content_json(view);
        for (i, r) in doc.revisions.iter().enumerate() {
            let Some(p) = r.path.clone() else {
                self.warn(
                    "revision_not_applied",
                    format!(
                        "{} {}: revision {i} ({:?} → {:?}) names no field of the model",
                        src.kind.as_str(),
                        short(&src.document),
                        r.before.text,
                        r.after.text
                    ),
                    vec![src.document.clone()],
                );
                continue;
            };
            self.revised_paths.push(p.clone());
            match r.flag {
                Some(RevisionFlag::Damaged) => {
                    self.warn(
                        "revision_not_applied",
                        format!(
                            "{} {}: revision {i} of {p} ({:?} → {:?}) is flagged damaged",
                            src.kind.as_str(),
                            short(&src.document),
                            r.before.text,
                            r.after.text
                        ),
                        vec![src.document.clone()],
                    );
                    continue;
                }
                Some(RevisionFlag::Ambiguous) => {
                    self.pending.push((src.clone(), i, r.clone()));
                    continue;
                }
                None => {}
            }
            self.seen
                .push((p.clone(), r.before.clone(), r.after.clone(), src.document.clone()));
            self.apply_one(&mut content, &p, r, &r.before, &r.after, src, &base, i, None, view);
        }
        write_content(view, content);
    }

    /// Apply one (reading of a) revision at `p`; a conflict is a disagreement.
    #[allow(clippy::too_many_arguments)]
    fn apply_one(
        &mut self,
        content: &mut serde_json::Value,
        p: &str,
        r: &Revision,
        before: &RevisedValue,
        after: &RevisedValue,
        src: &DocRef,
        base: &DocRef,
        index: usize,
        resolved: Option<String>,
        view: &mut PlanView,
    ) {
        let origin = self.origin_of(p, base);
        let shown = path::get(content, p).cloned().unwrap_or(serde_json::Value::Null);
        if origin.kind == Kind::PlanRevision && origin.document != src.document && !revise::says(&shown, after) {
            // Two revisions set this value differently: the first stays.
            self.disagree(
                p.to_string(),
                origin,
                Val::Json(shown),
                src,
                Val::Revision(Box::new(r.clone())),
            );
            return;
        }
        match revise::apply(path::get_mut(content, p), before, after) {
            revise::Outcome::Applied { before, after } => {
                view.revisions_applied.push(Change {
                    path: p.to_string(),
                    before: Val::Json(before),
                    after: Val::Json(after),
                    document: src.document.clone(),
                    revision: index,
                    resolved,
                });
                self.origin.insert(p.to_string(), src.clone());
            }
            revise::Outcome::Already => {}
            revise::Outcome::Conflict | revise::Outcome::Missing => {
                self.disagree(
                    p.to_string(),
                    origin,
                    Val::Json(shown),
                    src,
                    Val::Revision(Box::new(r.clone())),
                );
            }
        }
    }

    /// Ambiguous revisions, once every document is in: applied where
    /// exactly one reading agrees with the view or with another document's
    /// revision of the value; else a disagreement with the readings.
    fn resolve_pending(&mut self, view: &mut PlanView) {
        if self.pending.is_empty() {
            return;
        }
        let base = view.built_from.clone();
        let mut content = content_json(view);
        for (src, i, r) in std::mem::take(&mut self.pending) {
            let Some(p) = r.path.clone() else { continue };
            let others: Vec<(&RevisedValue, &RevisedValue)> = self
                .seen
                .iter()
                .filter(|(q, _, _, d)| *q == p && *d != src.document)
                .map(|(_, b, a, _)| (b, a))
                .collect();
            let slot = path::get(&content, &p).cloned();
            let agreeing = revise::resolve(&r, slot.as_ref(), &others).cloned();
            match agreeing {
                Some(reading) => {
                    let with = if others
                        .iter()
                        .any(|(b, a)| reading.before.same(b) && reading.after.same(a))
                    {
                        "another document's revision of it"
                    } else {
                        "the view's value"
                    };
                    let note = format!(
                        "ambiguous {:?}: the one reading ({:?} → {:?}) that agrees with {with}",
                        r.after.text, reading.before.text, reading.after.text
                    );
                    if reading.before.same(&reading.after) {
                        continue;
                    }
                    self.apply_one(
                        &mut content,
                        &p,
                        &r,
                        &reading.before,
                        &reading.after,
                        &src,
                        &base,
                        i,
                        Some(note),
                        view,
                    );
                }
                None => {
                    let origin = self.origin_of(&p, &base);
                    let shown = slot.unwrap_or(serde_json::Value::Null);
                    self.disagree(p, origin, Val::Json(shown), &src, Val::Revision(Box::new(r.clone())));
                }
            }
        }
        write_content(view, content);
    }
}

fn flag_name(f: RevisionFlag) -> &'static str {
    match f {
        RevisionFlag::Ambiguous => "ambiguous",
        RevisionFlag::Damaged => "damaged",
    }
}

/// The view's content as the model's JSON, to reach values by path.
fn content_json(view: &PlanView) -> serde_json::Value {
    serde_json::json!({
        "goal": view.goal,
        "mission": view.mission,
        "policy": view.policy,
        "key_issues": view.key_issues,
        "reform_items": view.reform_items,
        "issues": view.issues,
    })
}

/// Put the (revised) JSON content back into the view. Revisions change
/// strings and figures only, so every field reads back.
fn write_content(view: &mut PlanView, mut v: serde_json::Value) {
    fn take<T: serde::de::DeserializeOwned>(v: &mut serde_json::Value, k: &str, into: &mut T) {
        if let Some(x) = v.get_mut(k).map(serde_json::Value::take)
            && let Ok(t) = serde_json::from_value(x)
        {
            *into = t;
        }
    }
    take(&mut v, "goal", &mut view.goal);
    take(&mut v, "mission", &mut view.mission);
    take(&mut v, "policy", &mut view.policy);
    take(&mut v, "key_issues", &mut view.key_issues);
    take(&mut v, "reform_items", &mut view.reform_items);
    take(&mut v, "issues", &mut view.issues);
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// One document being applied to the view.
struct Merge<'a> {
    a: &'a mut Assembler,
    base: DocRef,
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

    fn origin_of(&self, path: &str) -> DocRef {
        self.a.origin_of(path, &self.base)
    }

    fn disagree(&mut self, path: String, shown: DocRef, shown_val: Val, new_val: Val) {
        self.a.disagree(path, shown, shown_val, self.src, new_val);
    }

    /// Whether a revision of the document speaks for `path` (at it, above
    /// it or under it): its content is not compared there.
    fn revised(&self, path: &str) -> bool {
        self.mode == Mode::Revise
            && self.a.revised_paths.iter().any(|r| {
                r == path
                    || r.strip_prefix(path).is_some_and(|t| t.starts_with('/'))
                    || path.strip_prefix(r.as_str()).is_some_and(|t| t.starts_with('/'))
            })
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
            Mode::Attach if !had => {
                *cur = new.clone();
                self.a.origin.insert(path, self.src.clone());
            }
            Mode::Revise if self.revised(&path) => {}
            Mode::Attach | Mode::Compare | Mode::Revise => {
                let origin = self.origin_of(&path);
                self.disagree(path, origin, cur_val, new.val());
            }
        }
    }

    fn items<T: Item>(&mut self, prefix: &str, cur: &mut [T], new: &[T], inner: fn(&mut Self, &str, &mut T, &T)) {
        for n in new {
            let key = n.key();
            let path = format!("{prefix}/{}", esc(&key));
            match cur.iter_mut().find(|c| c.key() == key) {
                Some(c) => inner(self, &path, c, n),
                None => self.missing(path, n),
            }
        }
    }

    /// An item the other document has and the view lacks.
    fn missing<T: Item>(&mut self, path: String, new: &T) {
        match self.mode {
            Mode::Revise if self.revised(&path) => {}
            Mode::Revise | Mode::Compare => {
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
pub(crate) mod tests;
