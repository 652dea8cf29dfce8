//! The typed model of `../shared/MODEL.md` (copied into the README's data
//! contract section): what `yoshiki parse` emits, one `Document` per input.
//!
//! Field names and enum values are the contract; fields may be added, never
//! renamed or dropped. Every collection keeps the document's own order so the
//! serialised bytes are stable.

pub mod path;
mod quantity;

pub use quantity::{Comparator, Money, Quantity};

use serde::{Deserialize, Serialize};

/// The value of `Document::schema`.
/// `/2`: revisions' `before`/`after` are typed values (they were strings),
/// with the `path` of the value they revise; `unplaced` and `coverage` added.
pub const DOCUMENT_SCHEMA: &str = "yoshiki/document/2";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    pub schema: String,
    pub source: Source,
    pub kind: Kind,
    pub title: Option<String>,
    pub ward: Option<Ward>,
    pub fiscal_year: Option<i32>,
    /// How kind, ward and year were decided, and from which words.
    pub detection: Detection,
    pub goal: Option<String>,
    pub mission: Option<String>,
    pub policy: Option<String>,
    pub key_issues: Vec<KeyIssue>,
    pub reform_items: Vec<ReformItem>,
    pub issues: Vec<Issue>,
    pub revisions: Vec<Revision>,
    pub warnings: Vec<Warning>,
    /// Every piece of the release's text that no field holds, whole, with
    /// where it stands (see `crate::recognize::placement`).
    #[serde(default)]
    pub unplaced: Vec<Unplaced>,
    /// How much of the release's content the fields hold.
    #[serde(default)]
    pub coverage: Coverage,
}

/// A piece of text no field of the model holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Unplaced {
    pub text: String,
    pub kind: UnplacedKind,
    pub at: Location,
}

/// What an unplaced piece is: content (counted against `coverage`), a
/// fragment of a form's label (`自` of a vertical `自己評価`, a label cut
/// by a page break) or layout noise (page furniture, stray marks).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum UnplacedKind {
    Content,
    LabelFragment,
    Noise,
}

/// Characters of content (white space, labels and noise left out): `read`
/// in the release, `placed` in fields; `ratio` = placed / read (1 when the
/// release holds no content), rounded to four decimals.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Coverage {
    pub placed: u64,
    pub read: u64,
    pub ratio: f64,
}

impl Coverage {
    pub fn new(placed: u64, read: u64) -> Coverage {
        let ratio = if read == 0 {
            1.0
        } else {
            ((placed as f64 / read as f64) * 10_000.0).round() / 10_000.0
        };
        Coverage { placed, read, ratio }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Source {
    pub path: String,
    pub sha256: String,
    pub format: Format,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub encoding: Option<String>,
    /// Line ends of a text release: "LF", "CRLF" or "CR".
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line_ending: Option<String>,
    /// The text release's dialect: "tsv", "markdown" or "pdf_text".
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dialect: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pages: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sheets: Option<Vec<String>>,
    /// The program that wrote the file, where the file says (PDF Producer).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub producer: Option<String>,
    /// A web page's title as it prints it (its title heading, else `<title>`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    /// A web page's number on its ward site (ページ番号).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page_number: Option<String>,
    /// The dates a web page prints with its title (掲載日, 更新日), `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub dates: Vec<String>,
    /// The address a web archive says its page was saved from.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Pdf,
    #[default]
    Text,
    /// A web page, saved as HTML or as a web archive (MHTML).
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Pdf => "pdf",
            Format::Text => "text",
            Format::Html => "html",
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Plan,
    PlanRevision,
    MidtermReview,
    Summary,
    ProgressReport,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::PlanRevision => "plan_revision",
            Kind::MidtermReview => "midterm_review",
            Kind::Summary => "summary",
            Kind::ProgressReport => "progress_report",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "plan" => Kind::Plan,
            "plan_revision" => Kind::PlanRevision,
            "midterm_review" => Kind::MidtermReview,
            "summary" => Kind::Summary,
            "progress_report" => Kind::ProgressReport,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ward {
    pub code: String,
    pub name: String,
    pub romaji: String,
}

/// Where a value was decided from: `content` (the document's own words),
/// `option` (`--ward`/`--year`), `file_name` (a hint used only when the
/// content is silent) or `none`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Detection {
    pub kind: DetectionNote,
    pub ward: DetectionNote,
    pub fiscal_year: DetectionNote,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DetectionNote {
    pub by: String,
    pub evidence: Option<String>,
    pub at: Option<Location>,
}

/// 様式1: a row of the key-issue summary table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct KeyIssue {
    pub number: u32,
    pub summary: Option<String>,
    pub strategies: Vec<KeyStrategy>,
    pub main_initiatives: Vec<MainInitiative>,
    pub at: Location,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct KeyStrategy {
    pub id: String,
    pub title: Option<String>,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct MainInitiative {
    pub id: String,
    pub title: Option<String>,
    pub text: Option<String>,
    pub budget: Money,
}

/// 様式3: an item under the city reform plan (市政改革プラン).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReformItem {
    pub category: String,
    pub content: Option<String>,
    /// A review's target for the item (中間振り返り), where one is printed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub review: Option<Review>,
    pub at: Location,
}

/// 様式2: one key issue (経営課題).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Issue {
    pub number: u32,
    pub title: Option<String>,
    pub vision: Option<String>,
    pub current_state: Vec<Observation>,
    pub factor_analysis: Vec<String>,
    pub challenges: Vec<String>,
    pub strategies: Vec<Strategy>,
    pub at: Location,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Observation {
    pub survey: Option<String>,
    pub fiscal_year: Option<i32>,
    pub description: String,
    pub value: Quantity,
    pub at: Location,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Strategy {
    pub id: String,
    pub title: Option<String>,
    pub target_state: Option<String>,
    pub approach: Option<String>,
    pub outcome_indicators: Vec<OutcomeIndicator>,
    pub evaluation: Option<Evaluation>,
    pub initiatives: Vec<Initiative>,
    /// The older report's basic-policy items (区政運営基本方針) this strategy serves.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub basic_policy_items: Vec<BasicPolicyItem>,
    pub at: Location,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct OutcomeIndicator {
    pub description: String,
    pub history: Vec<YearValue>,
    pub targets: Vec<YearValue>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct YearValue {
    pub fiscal_year: Option<i32>,
    pub value: Quantity,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Initiative {
    pub id: String,
    pub title: Option<String>,
    pub budgets: Vec<Budget>,
    pub activities: Vec<String>,
    pub process_indicators: Vec<ProcessIndicator>,
    pub rebuild_criteria: Vec<RebuildCriterion>,
    pub prior_results: Vec<PriorResult>,
    pub midterm_review: Option<Review>,
    pub self_evaluation: Option<Review>,
    /// For a re-posted item (具体的取組3-1-2の再掲): the id it repeats.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reposted_from: Option<String>,
    /// The older report's basic-policy items this initiative serves.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub basic_policy_items: Vec<BasicPolicyItem>,
    pub at: Location,
}

/// An item of the older basic policy: `1` / `(1)` / `ア`, with their titles.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct BasicPolicyItem {
    /// e.g. "1-(1)-ア"
    pub id: String,
    pub policy: Option<String>,
    pub area: Option<String>,
    pub item: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum BudgetKind {
    Settled,
    Budget,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Budget {
    pub fiscal_year: Option<i32>,
    pub kind: BudgetKind,
    pub yen: Option<i64>,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ProcessIndicator {
    pub description: String,
    pub target: Option<Quantity>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RebuildCriterion {
    pub description: String,
    pub threshold: Option<Quantity>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PriorResult {
    pub fiscal_year: Option<i32>,
    pub items: Vec<String>,
    /// The year's heading as printed, where it says more than the year
    /// (`3年度(12月末時点)`: the results as of December).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub heading: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Achievement {
    Achieved,
    NotAchieved,
    BelowRebuildThreshold,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    OnSchedule,
    BehindSchedule,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Effectiveness {
    Effective,
    NotEffective,
    NotMeasured,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    OnTrack,
    OffTrack,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Review {
    pub achievement: Option<Achievement>,
    pub progress: Option<Progress>,
    pub effectiveness: Option<Effectiveness>,
    pub results: Option<String>,
    pub issues: Option<String>,
    pub improvements: Option<String>,
    /// The printed verdict the fields above were read from (【目標達成見込、…】).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub verdict: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Evaluation {
    pub effectiveness: Option<Effectiveness>,
    pub outcome_status: Option<Track>,
    pub progress: Option<Track>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The file strikes the old value through (a workbook's rich text, a
    /// PDF's strike line).
    Strikethrough,
    /// Fused digits split where only one split groups both halves
    /// (`32,26832,550` → `32,268`, `32,550`).
    DigitGrouping,
    /// A full-width figure run into a half-width one (`９12月`).
    Layout,
    /// Fused digits split where only one split is a date (`912月`: no
    /// 912th or 91st month, so 9月 → 12月).
    Calendar,
    /// Digits in a field the release shows revised (by one of the above)
    /// that may hide an old value run into the new one; always flagged
    /// `ambiguous`.
    RevisedField,
}

/// A change the release marks: the old value struck out (or fused in front
/// of the new one), the new value, and the model path of the value revised.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Revision {
    pub before: RevisedValue,
    pub after: RevisedValue,
    /// The value it revises, in the merged view's path syntax
    /// (`key_issues/1/main_initiatives/1-2-2/budget`); null, with a
    /// `revision_unanchored` warning, where the change lies in no field.
    pub path: Option<String>,
    pub at: Location,
    pub evidence: Evidence,
    /// The printed text the pair was found in, as it stands after the change.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub context: Option<String>,
    /// A value not to be applied: `ambiguous` (fused digits the text cannot
    /// split; see `readings`) or `damaged` (a value the file cut short).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub flag: Option<RevisionFlag>,
    /// For an `ambiguous` revision, each reading the printed digits allow,
    /// "unchanged" (before = after) included.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub readings: Vec<Reading>,
}

/// One side of a revision: the text as printed, and what it is read as in
/// the context of the field it revises (a struck `6,166` inside a
/// `(…千円)` budget is 6,166,000 yen; `19` before `件` is 19 件).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RevisedValue {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub money: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub quantity: Option<Quantity>,
}

impl RevisedValue {
    pub fn text(s: impl Into<String>) -> RevisedValue {
        RevisedValue {
            text: s.into(),
            ..RevisedValue::default()
        }
    }

    /// Whether two values say the same: by yen, else by quantity
    /// (value, unit), else by text.
    pub fn same(&self, other: &RevisedValue) -> bool {
        match (&self.money, &other.money, &self.quantity, &other.quantity) {
            (Some(a), Some(b), _, _) => a.yen == b.yen,
            (_, _, Some(a), Some(b)) => a.value == b.value && a.unit == b.unit,
            _ => self.text == other.text,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum RevisionFlag {
    Ambiguous,
    Damaged,
}

/// One way to read fused digits: old value, new value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reading {
    pub before: RevisedValue,
    pub after: RevisedValue,
}

/// Provenance: where in the input a value was read. PDF boxes are in PDF
/// user-space points `[x0, y0, x1, y1]` with the origin at the bottom left.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, PartialOrd)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<u32>,
    #[serde(rename = "box", skip_serializing_if = "Option::is_none", default)]
    pub bbox: Option<[f64; 4]>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sheet: Option<String>,
    /// A web page's table, counted from 1 in the page's order; `cell` is
    /// then the address on that table's grid (`B3`: second column, third
    /// row, rowspan and colspan resolved).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub table: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u32>,
    /// The further parts of a value a page break (or a column break) cut,
    /// in order: a cell begun at the foot of one page and continued at the
    /// head of the next is one value with both places.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub continued: Vec<Location>,
}

impl Location {
    pub fn line(line: u32) -> Location {
        Location {
            line: Some(line),
            ..Location::default()
        }
    }

    pub fn cell(sheet: &str, cell: String) -> Location {
        Location {
            sheet: Some(sheet.to_string()),
            cell: Some(cell),
            ..Location::default()
        }
    }

    pub fn page(page: u32, bbox: [f64; 4]) -> Location {
        Location {
            page: Some(page),
            bbox: Some(bbox),
            ..Location::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self == &Location::default()
    }
}

/// A typed warning: a stable `code` (see `crate::warning::codes`), a message
/// for a person, and where in the input it arose.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Warning {
    pub code: String,
    pub message: String,
    pub at: Location,
}

impl Warning {
    pub fn new(code: &str, message: impl Into<String>, at: Location) -> Warning {
        Warning {
            code: code.to_string(),
            message: message.into(),
            at,
        }
    }
}
