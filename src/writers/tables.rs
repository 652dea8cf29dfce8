//! The model as flat tables, for CSV, NDJSON, Parquet and SQLite: one row
//! per initiative, budget, indicator value, observation, review, revision …
//! Every row starts with the same five columns: `ward_code`, `ward_name`,
//! `fiscal_year`, `document_kind` and `document_sha256`.
//!
//! `document_kind` is the kind of the document the row was read from
//! (`plan`, `plan_revision`, …), or `plan_view` for the merged view of a
//! ward and year (the plan with its revision applied and its reviews
//! attached), whose `document_sha256` is the plan it was built from.
//!
//! [`TABLES`] is the one definition of the tables: every writer takes its
//! columns and types from it, and the data package (`datapackage.rs`) and
//! the data dictionary (`docs/tables.md`, `dictionary.rs`) their
//! descriptions, units and keys.

use super::series::indicator_id;
use crate::model::{
    Coverage, Issue, KeyIssue, Location, Quantity, ReformItem, Review, RevisedValue, Revision, Warning,
};

/// A cell value. Empty text is `Null`: a CSV cannot tell the two apart,
/// so no export does.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Cell {
        v.map_or(Cell::Null, Cell::from)
    }
}
impl From<&Option<String>> for Cell {
    fn from(v: &Option<String>) -> Cell {
        v.as_deref().map_or(Cell::Null, Cell::from)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        if v.is_empty() {
            Cell::Null
        } else {
            Cell::Text(v.to_string())
        }
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Cell {
        if v.is_empty() { Cell::Null } else { Cell::Text(v) }
    }
}
impl From<&String> for Cell {
    fn from(v: &String) -> Cell {
        Cell::from(v.as_str())
    }
}
impl From<Option<i32>> for Cell {
    fn from(v: Option<i32>) -> Cell {
        v.map_or(Cell::Null, |x| Cell::Int(x.into()))
    }
}
impl From<Option<i64>> for Cell {
    fn from(v: Option<i64>) -> Cell {
        v.map_or(Cell::Null, Cell::Int)
    }
}
impl From<u32> for Cell {
    fn from(v: u32) -> Cell {
        Cell::Int(v.into())
    }
}
impl From<usize> for Cell {
    fn from(v: usize) -> Cell {
        Cell::Int(v as i64)
    }
}
impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Cell {
        match v {
            None => Cell::Null,
            Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Cell::Int(x as i64),
            Some(x) => Cell::Real(x),
        }
    }
}

/// A column's type: what every export declares for it (SQLite, Parquet,
/// the data package's Table Schema, the data dictionary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Text, ids and codes included (`1-1-1`, `271071` stay text).
    Text,
    /// A whole number (64-bit).
    Int,
    /// A fiscal year (年度), a whole number (32-bit), null where not printed.
    Year,
    /// An amount in yen (64-bit whole number).
    Yen,
    /// A number as printed, beside its `unit` and `comparator` columns.
    Real,
}

impl Type {
    /// The Table Schema (Frictionless) type.
    pub fn table_schema(self) -> &'static str {
        match self {
            Type::Text => "string",
            Type::Int | Type::Yen => "integer",
            Type::Year => "year",
            Type::Real => "number",
        }
    }

    /// What the data dictionary calls it.
    pub fn described(self) -> &'static str {
        match self {
            Type::Text => "text",
            Type::Int => "integer (64-bit)",
            Type::Year => "year (32-bit integer)",
            Type::Yen => "integer yen (64-bit)",
            Type::Real => "number (64-bit float)",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: Type,
    pub about: &'static str,
    /// Never empty.
    pub required: bool,
    /// The only values it takes, where they are a fixed set.
    pub values: &'static [&'static str],
}

const fn col(name: &'static str, ty: Type, about: &'static str) -> Column {
    Column {
        name,
        ty,
        about,
        required: false,
        values: &[],
    }
}

impl Column {
    const fn required(mut self) -> Column {
        self.required = true;
        self
    }
    const fn one_of(mut self, values: &'static [&'static str]) -> Column {
        self.values = values;
        self
    }
    /// The unit of every value of the column, where it has one.
    pub fn unit(&self) -> Option<&'static str> {
        (self.ty == Type::Yen).then_some("JPY")
    }
}

pub struct TableDef {
    pub name: &'static str,
    /// Columns after the five common ones.
    pub columns: &'static [Column],
    pub about: &'static str,
    /// The columns after `document_sha256` and `document_kind` that name a
    /// row of the document; empty where rows have no key of their own.
    pub key: &'static [&'static str],
    /// `(columns, table)`: these columns, after `document_sha256` and
    /// `document_kind`, are the key of a row of that table of the same
    /// document. (Every table but `documents` refers to its document.)
    pub refers_to: &'static [(&'static [&'static str], &'static str)],
}

impl TableDef {
    /// Every column, the five common ones first.
    pub fn all_columns(&self) -> impl Iterator<Item = &'static Column> {
        COMMON.iter().chain(self.columns.iter())
    }

    /// The primary key: `document_sha256`, `document_kind`, then `key`
    /// (none for a table whose `key` is empty, but `documents`).
    pub fn primary_key(&self) -> Vec<&'static str> {
        if self.key.is_empty() && self.name != "documents" {
            return Vec::new();
        }
        let mut k = vec!["document_sha256", "document_kind"];
        k.extend_from_slice(self.key);
        k
    }

    /// The foreign keys: `(columns, table, its columns)`.
    pub fn foreign_keys(&self) -> Vec<(Vec<&'static str>, &'static str, Vec<&'static str>)> {
        let mut out = Vec::new();
        if self.name != "documents" {
            out.push((DOC_KEY.to_vec(), "documents", DOC_KEY.to_vec()));
        }
        for (cols, table) in self.refers_to {
            let mut theirs = DOC_KEY.to_vec();
            if let Some(t) = TABLES.iter().find(|t| t.name == *table) {
                theirs.extend_from_slice(t.key);
            }
            let mut ours = DOC_KEY.to_vec();
            ours.extend_from_slice(cols);
            out.push((ours, *table, theirs));
        }
        out
    }
}

/// The columns that name a document (or merged view).
pub const DOC_KEY: [&str; 2] = ["document_sha256", "document_kind"];

/// The version of the tables' layout, written into the data package; it
/// changes when a column is renamed, dropped or changes type.
pub const TABLES_SCHEMA: &str = "yoshiki/tables/1";

use Type::{Int, Real, Text, Year, Yen};

const KINDS: &[&str] = &[
    "plan",
    "plan_revision",
    "midterm_review",
    "summary",
    "progress_report",
    "plan_view",
];
const COMPARATORS: &[&str] = &["gte", "gt", "lte", "lt", "eq"];
const EFFECTIVENESS: &[&str] = &["effective", "not_effective", "not_measured"];
const TRACK: &[&str] = &["on_track", "off_track"];

/// The five columns every row starts with.
pub const COMMON: [Column; 5] = [
    col(
        "ward_code",
        Text,
        "the ward's six-digit local government code (`271071`); empty where the document does not say its ward",
    ),
    col("ward_name", Text, "the ward's name (`港区`)"),
    col(
        "fiscal_year",
        Year,
        "the fiscal year (年度) of the ward-year file the row belongs to; empty where the document does not say it",
    ),
    col(
        "document_kind",
        Text,
        "the kind of the document the row was read from, or `plan_view` for the merged view of a ward and year",
    )
    .required()
    .one_of(KINDS),
    col(
        "document_sha256",
        Text,
        "the SHA-256 of the document's bytes (for `plan_view`, of the plan the view was built from)",
    )
    .required(),
];

/// A quantity's four columns (`55%以上` → 55, `%`, `gte`, `55%以上`).
const QUANTITY: [Column; 4] = [
    col(
        "value",
        Real,
        "the number printed, in `unit`; empty where none is printed",
    ),
    col("unit", Text, "the unit printed with the number (`%`, `人`, `件` …)"),
    col(
        "comparator",
        Text,
        "`gte` (以上), `gt` (超), `lte` (以下), `lt` (未満) or `eq`; empty where none is printed",
    )
    .one_of(COMPARATORS),
    col("text", Text, "the value as printed").required(),
];

pub const TABLES: &[TableDef] = &[
    TableDef {
        name: "documents",
        columns: &[
            col(
                "format",
                Text,
                "the input's format (`text`, `xlsx`, `xls`, `ods`, `pdf`, `html`); empty for a merged view",
            ),
            col("title", Text, "the document's title as printed"),
            col(
                "paths",
                Text,
                "the inputs it was read from, `; `-separated (paths as the manifest records them)",
            ),
            col("warnings", Int, "how many warnings the document carries").required(),
            col(
                "coverage",
                Real,
                "`content_placed` / `content_read`: the share of the release's content the model holds (null for a merged view)",
            ),
            col(
                "content_placed",
                Int,
                "characters of content (labels and layout noise excluded, white space not counted) placed in fields",
            ),
            col("content_read", Int, "characters of content read from the release"),
        ],
        about: "one row per document (and per merged view); `paths` lists the inputs it was read from, `; `-separated; `coverage` = `content_placed` / `content_read`, the characters of content the model holds (null for a merged view)",
        key: &[],
        refers_to: &[],
    },
    TableDef {
        name: "key_issues",
        columns: &[
            col("issue_number", Int, "the key issue's number (経営課題1 → 1)").required(),
            col("summary", Text, "the key issue's summary"),
        ],
        about: "様式1: the key issues",
        key: &["issue_number"],
        refers_to: &[],
    },
    TableDef {
        name: "main_initiatives",
        columns: &[
            col("initiative_id", Text, "the main initiative's id as printed (`3-3-4`)").required(),
            col("issue_number", Int, "the key issue it serves").required(),
            col("title", Text, "its title"),
            col("text", Text, "its description"),
            col(
                "yen",
                Yen,
                "the year's budget in yen (`32,550千円` → 32550000); empty for a blank or a dash",
            ),
            col("budget_text", Text, "the budget as printed"),
            col(
                "series_id",
                Text,
                "the series it belongs to across fiscal years (see `series`)",
            ),
        ],
        about: "様式1: each key issue's main initiatives with the year's budget",
        key: &["initiative_id"],
        refers_to: &[(&["issue_number"], "key_issues")],
    },
    TableDef {
        name: "strategies",
        columns: &[
            col("strategy_id", Text, "the strategy's id as printed (`1-2`)").required(),
            col("issue_number", Int, "the key issue it serves").required(),
            col("issue_title", Text, "the key issue's title"),
            col("title", Text, "the strategy's title"),
            col("target_state", Text, "the state it aims at (めざす状態)"),
            col("approach", Text, "its approach (戦略)"),
            col(
                "series_id",
                Text,
                "the series it belongs to across fiscal years (see `series`)",
            ),
        ],
        about: "様式2: strategies (めざす成果及び戦略)",
        key: &["strategy_id"],
        refers_to: &[],
    },
    TableDef {
        name: "initiatives",
        columns: &[
            col("initiative_id", Text, "the initiative's id as printed (`1-2-2`)").required(),
            col("strategy_id", Text, "the strategy it belongs to").required(),
            col("issue_number", Int, "the key issue it serves").required(),
            col("title", Text, "its title"),
            col("activities", Text, "its activities (取組内容), one per line"),
            col("reposted_from", Text, "for a re-posted item (再掲), the id it repeats"),
            col(
                "series_id",
                Text,
                "the series it belongs to across fiscal years (see `series`)",
            ),
        ],
        about: "様式2: initiatives (具体的取組); `activities` one per line",
        key: &["initiative_id"],
        refers_to: &[(&["strategy_id"], "strategies")],
    },
    TableDef {
        name: "budgets",
        columns: &[
            col("initiative_id", Text, "the initiative the amount is printed for").required(),
            col(
                "budget_fiscal_year",
                Year,
                "the fiscal year the amount is for; empty where not printed",
            ),
            col("kind", Text, "`settled` (決算) or `budget` (予算)")
                .required()
                .one_of(&["settled", "budget"]),
            col(
                "yen",
                Yen,
                "the amount in yen (`32,550千円` → 32550000); empty for a blank or a dash",
            ),
            col("text", Text, "the amount as printed").required(),
            col("series_id", Text, "the initiative's series (see `series`)"),
        ],
        about: "様式2: each initiative's printed amounts (kind settled or budget)",
        key: &["initiative_id", "budget_fiscal_year", "kind"],
        refers_to: &[(&["initiative_id"], "initiatives")],
    },
    TableDef {
        name: "indicators",
        columns: &[
            col(
                "indicator_id",
                Text,
                "`<owner>/<level>/<n>`: `1-1/outcome/1`, `1-1-1/process/1`, `1-1-1/rebuild/1`",
            )
            .required(),
            col(
                "level",
                Text,
                "`outcome` (a strategy's), `process` or `rebuild` (an initiative's)",
            )
            .required()
            .one_of(&["outcome", "process", "rebuild"]),
            col(
                "owner_id",
                Text,
                "the strategy (outcome) or initiative (process, rebuild) it measures",
            )
            .required(),
            col("description", Text, "what it measures, as printed").required(),
            col(
                "series_id",
                Text,
                "the series it belongs to across fiscal years (see `series`)",
            ),
        ],
        about: "outcome indicators (of strategies), process indicators and rebuild criteria (of initiatives)",
        key: &["indicator_id"],
        refers_to: &[],
    },
    TableDef {
        name: "indicator_values",
        columns: &[
            col("indicator_id", Text, "the indicator (see `indicators`)").required(),
            col(
                "role",
                Text,
                "`history` (a past value), `target` or `threshold` (a rebuild criterion's)",
            )
            .required()
            .one_of(&["history", "target", "threshold"]),
            col(
                "value_fiscal_year",
                Year,
                "the fiscal year the value is for; empty where not printed",
            ),
            QUANTITY[0],
            QUANTITY[1],
            QUANTITY[2],
            QUANTITY[3],
            col("series_id", Text, "the indicator's series (see `series`)"),
        ],
        about: "the indicators' history, targets and thresholds (role history, target or threshold)",
        key: &[],
        refers_to: &[(&["indicator_id"], "indicators")],
    },
    TableDef {
        name: "observations",
        columns: &[
            col(
                "issue_number",
                Int,
                "the key issue whose current state (現状) it describes",
            )
            .required(),
            col("survey", Text, "the survey or source named"),
            col(
                "observation_fiscal_year",
                Year,
                "the fiscal year observed; empty where not printed",
            ),
            col("description", Text, "what was observed").required(),
            QUANTITY[0],
            QUANTITY[1],
            QUANTITY[2],
            QUANTITY[3],
        ],
        about: "様式2: current-state figures (現状)",
        key: &[],
        refers_to: &[],
    },
    TableDef {
        name: "reviews",
        columns: &[
            col(
                "item_id",
                Text,
                "the initiative reviewed, or the reform item's category",
            )
            .required(),
            col(
                "review",
                Text,
                "`midterm_review` or `self_evaluation` (of an initiative), `reform` (of a reform item)",
            )
            .required()
            .one_of(&["midterm_review", "self_evaluation", "reform"]),
            col(
                "achievement",
                Text,
                "`achieved`, `not_achieved` or `below_rebuild_threshold`",
            )
            .one_of(&["achieved", "not_achieved", "below_rebuild_threshold"]),
            col("progress", Text, "`on_schedule` or `behind_schedule`").one_of(&["on_schedule", "behind_schedule"]),
            col("effectiveness", Text, "`effective`, `not_effective` or `not_measured`").one_of(EFFECTIVENESS),
            col("results", Text, "the results stated"),
            col("issues", Text, "the issues stated"),
            col("improvements", Text, "the improvements stated"),
            col(
                "verdict",
                Text,
                "the printed verdict the three fields above were read from",
            ),
            col("series_id", Text, "the initiative's series (see `series`)"),
        ],
        about: "reviews of initiatives (review midterm_review or self_evaluation) and of reform items (review reform; item_id is the category)",
        key: &["item_id", "review"],
        refers_to: &[],
    },
    TableDef {
        name: "evaluations",
        columns: &[
            col("strategy_id", Text, "the strategy evaluated").required(),
            col("effectiveness", Text, "`effective`, `not_effective` or `not_measured`").one_of(EFFECTIVENESS),
            col("outcome_status", Text, "`on_track` or `off_track`").one_of(TRACK),
            col("progress", Text, "`on_track` or `off_track`").one_of(TRACK),
            col("series_id", Text, "the strategy's series (see `series`)"),
        ],
        about: "strategies' evaluations",
        key: &["strategy_id"],
        refers_to: &[(&["strategy_id"], "strategies")],
    },
    TableDef {
        name: "reform_items",
        columns: &[
            col("category", Text, "the item's category as printed").required(),
            col("content", Text, "its content"),
            col("target", Text, "a review's target for the item, where one is printed"),
        ],
        about: "様式3: items under the city reform plan",
        key: &["category"],
        refers_to: &[],
    },
    TableDef {
        name: "revisions",
        columns: &[
            col("before", Text, "the struck-out value as printed").required(),
            col("after", Text, "the value that replaced it").required(),
            col(
                "evidence",
                Text,
                "how the pair was told apart: `strikethrough`, `digit_grouping`, `layout`, `calendar`, or `revised_field` (digits in a revised field that may hide an old value; always `ambiguous`)",
            )
            .required()
            .one_of(&["strikethrough", "digit_grouping", "layout", "calendar", "revised_field"]),
            col("page", Int, "where: the PDF page (from 1)"),
            col("sheet", Text, "where: the workbook sheet"),
            col("cell", Text, "where: the workbook cell (`B12`)"),
            col("line", Int, "where: the text release's line (from 1)"),
            col(
                "context",
                Text,
                "the printed text the pair was found in, as it stands after the change",
            ),
            col(
                "path",
                Text,
                "the model path of the value revised (`key_issues/1/main_initiatives/1-2-2/budget`); null where the change lies in no field",
            ),
            col(
                "flag",
                Text,
                "`ambiguous` (the text allows several readings) or `damaged` (a value cut short); a flagged revision is never applied",
            )
            .one_of(&["ambiguous", "damaged"]),
            col("before_value", Real, "the struck-out value read in its field's context (yen where `unit` is `yen`)"),
            col("after_value", Real, "the new value read in its field's context (yen where `unit` is `yen`)"),
            col("unit", Text, "the unit of `before_value` and `after_value` (`yen` for money)"),
        ],
        about: "struck-out values and the values that replaced them: `path` the value revised (null where it lies in no field), `before_value`/`after_value` read in that field's context (yen where `unit` is `yen`), `flag` ambiguous or damaged (never applied)",
        key: &[],
        refers_to: &[],
    },
    TableDef {
        name: "warnings",
        columns: &[
            col(
                "code",
                Text,
                "the warning's stable code (`unplaced_text`, `missing_process_target` …)",
            )
            .required(),
            col("message", Text, "what the recogniser noticed, for a person").required(),
            col("page", Int, "where: the PDF page (from 1)"),
            col("sheet", Text, "where: the workbook sheet"),
            col("cell", Text, "where: the workbook cell (`B12`)"),
            col("line", Int, "where: the text release's line (from 1)"),
        ],
        about: "what the recogniser noticed, with where",
        key: &[],
        refers_to: &[],
    },
    TableDef {
        name: "series",
        columns: &[
            col(
                "series_id",
                Text,
                "`<ward>:<entity>:<first year>:<id>`: the series the item belongs to across fiscal years",
            )
            .required(),
            col("entity", Text, "`initiative`, `strategy` or `indicator`")
                .required()
                .one_of(&["initiative", "strategy", "indicator"]),
            col("item_id", Text, "the item's id in this year's view").required(),
            col("title", Text, "the item's title (an indicator's description)"),
            col(
                "link",
                Text,
                "how it was linked to the year before: `new`, `same_id`, `renumbered` or `same_owner`",
            )
            .required()
            .one_of(&["new", "same_id", "renumbered", "same_owner"]),
            col(
                "similarity",
                Real,
                "how alike its title is to the earlier year's (Dice coefficient of character bigrams, 0 to 1); empty for `new`",
            ),
        ],
        about: "one row per item and year: the series it belongs to across fiscal years, and how it was linked to the year before (see README: Series)",
        key: &["entity", "item_id"],
        refers_to: &[],
    },
];

pub fn table_index(name: &str) -> usize {
    TABLES.iter().position(|t| t.name == name).unwrap_or(usize::MAX)
}

/// Where rows go: a CSV folder, an NDJSON folder, a SQLite file.
pub trait Sink {
    fn row(&mut self, table: usize, row: Vec<Cell>) -> std::io::Result<()>;
}

/// The five common columns.
#[derive(Debug, Clone)]
pub struct Context {
    pub ward_code: Option<String>,
    pub ward_name: Option<String>,
    pub fiscal_year: Option<i32>,
    pub document_kind: String,
    pub document_sha256: String,
}

impl Context {
    fn cells(&self) -> Vec<Cell> {
        vec![
            (&self.ward_code).into(),
            (&self.ward_name).into(),
            self.fiscal_year.into(),
            (&self.document_kind).into(),
            (&self.document_sha256).into(),
        ]
    }
}

/// What a document (or merged view) holds, for the tables.
pub struct Content<'a> {
    pub key_issues: &'a [KeyIssue],
    pub reform_items: &'a [ReformItem],
    pub issues: &'a [Issue],
    pub revisions: &'a [Revision],
    pub warnings: &'a [Warning],
}

/// Series ids by (entity, item id) for the ward and year being written.
pub trait SeriesOf {
    fn series(&self, entity: &str, item_id: &str) -> Option<String>;
}

struct Emit<'a, S: Sink> {
    sink: &'a mut S,
    ctx: Vec<Cell>,
}

impl<S: Sink> Emit<'_, S> {
    fn row(&mut self, table: &str, cells: Vec<Cell>) -> std::io::Result<()> {
        let mut row = self.ctx.clone();
        row.extend(cells);
        self.sink.row(table_index(table), row)
    }
}

fn loc_cells(at: &Location) -> Vec<Cell> {
    vec![
        at.page.map(i64::from).into(),
        (&at.sheet).into(),
        (&at.cell).into(),
        at.line.map(i64::from).into(),
    ]
}

fn quantity_cells(q: &Quantity) -> Vec<Cell> {
    vec![
        q.value.into(),
        (&q.unit).into(),
        q.comparator.map(|c| c.as_str().to_string()).into(),
        (&q.text).into(),
    ]
}

fn enum_cell<T: serde::Serialize>(v: &Option<T>) -> Cell {
    match v.as_ref().map(serde_json::to_value) {
        Some(Ok(serde_json::Value::String(s))) => Cell::Text(s),
        _ => Cell::Null,
    }
}

fn review_cells(item: &str, kind: &str, r: &Review, series: Option<String>) -> Vec<Cell> {
    vec![
        item.into(),
        kind.into(),
        enum_cell(&r.achievement),
        enum_cell(&r.progress),
        enum_cell(&r.effectiveness),
        (&r.results).into(),
        (&r.issues).into(),
        (&r.improvements).into(),
        (&r.verdict).into(),
        series.into(),
    ]
}

/// Write one document's (or view's) rows, except `documents` and `series`.
pub fn write_content(sink: &mut impl Sink, ctx: &Context, c: &Content, series: &dyn SeriesOf) -> std::io::Result<()> {
    let mut e = Emit { sink, ctx: ctx.cells() };
    for k in c.key_issues {
        e.row("key_issues", vec![k.number.into(), (&k.summary).into()])?;
        for m in &k.main_initiatives {
            e.row(
                "main_initiatives",
                vec![
                    (&m.id).into(),
                    k.number.into(),
                    (&m.title).into(),
                    (&m.text).into(),
                    m.budget.yen.into(),
                    (&m.budget.text).into(),
                    series.series("initiative", &m.id).into(),
                ],
            )?;
        }
    }
    for r in c.reform_items {
        e.row(
            "reform_items",
            vec![(&r.category).into(), (&r.content).into(), (&r.target).into()],
        )?;
        if let Some(rv) = &r.review {
            e.row("reviews", review_cells(&r.category, "reform", rv, None))?;
        }
    }
    for i in c.issues {
        for o in &i.current_state {
            let mut row = vec![
                i.number.into(),
                (&o.survey).into(),
                o.fiscal_year.into(),
                (&o.description).into(),
            ];
            row.extend(quantity_cells(&o.value));
            e.row("observations", row)?;
        }
        for s in &i.strategies {
            let s_series = series.series("strategy", &s.id);
            e.row(
                "strategies",
                vec![
                    (&s.id).into(),
                    i.number.into(),
                    (&i.title).into(),
                    (&s.title).into(),
                    (&s.target_state).into(),
                    (&s.approach).into(),
                    s_series.clone().into(),
                ],
            )?;
            if let Some(ev) = &s.evaluation {
                e.row(
                    "evaluations",
                    vec![
                        (&s.id).into(),
                        enum_cell(&ev.effectiveness),
                        enum_cell(&ev.outcome_status),
                        enum_cell(&ev.progress),
                        s_series.clone().into(),
                    ],
                )?;
            }
            for (k, oi) in s.outcome_indicators.iter().enumerate() {
                let id = indicator_id(&s.id, "outcome", k);
                let ser = series.series("indicator", &id);
                e.row(
                    "indicators",
                    vec![
                        (&id).into(),
                        "outcome".into(),
                        (&s.id).into(),
                        (&oi.description).into(),
                        ser.clone().into(),
                    ],
                )?;
                for (role, list) in [("history", &oi.history), ("target", &oi.targets)] {
                    for yv in list {
                        let mut row = vec![(&id).into(), role.into(), yv.fiscal_year.into()];
                        row.extend(quantity_cells(&yv.value));
                        row.push(ser.clone().into());
                        e.row("indicator_values", row)?;
                    }
                }
            }
            for n in &s.initiatives {
                let n_series = series.series("initiative", &n.id);
                e.row(
                    "initiatives",
                    vec![
                        (&n.id).into(),
                        (&s.id).into(),
                        i.number.into(),
                        (&n.title).into(),
                        (!n.activities.is_empty()).then(|| n.activities.join("\n")).into(),
                        (&n.reposted_from).into(),
                        n_series.clone().into(),
                    ],
                )?;
                for b in &n.budgets {
                    let kind = match b.kind {
                        crate::model::BudgetKind::Settled => "settled",
                        crate::model::BudgetKind::Budget => "budget",
                    };
                    e.row(
                        "budgets",
                        vec![
                            (&n.id).into(),
                            b.fiscal_year.into(),
                            kind.into(),
                            b.yen.into(),
                            (&b.text).into(),
                            n_series.clone().into(),
                        ],
                    )?;
                }
                let process = n.process_indicators.iter().map(|p| (&p.description, &p.target));
                let rebuild = n.rebuild_criteria.iter().map(|r| (&r.description, &r.threshold));
                let indicators = (process.enumerate().map(|(k, x)| ("process", k, x)))
                    .chain(rebuild.enumerate().map(|(k, x)| ("rebuild", k, x)));
                for (level, k, (description, target)) in indicators {
                    let id = indicator_id(&n.id, level, k);
                    let ser = series.series("indicator", &id);
                    e.row(
                        "indicators",
                        vec![
                            (&id).into(),
                            level.into(),
                            (&n.id).into(),
                            description.into(),
                            ser.clone().into(),
                        ],
                    )?;
                    if let Some(q) = target {
                        let role = if level == "process" { "target" } else { "threshold" };
                        let mut row = vec![(&id).into(), role.into(), Cell::Null];
                        row.extend(quantity_cells(q));
                        row.push(ser.into());
                        e.row("indicator_values", row)?;
                    }
                }
                for (kind, r) in [
                    ("midterm_review", &n.midterm_review),
                    ("self_evaluation", &n.self_evaluation),
                ] {
                    if let Some(r) = r {
                        e.row("reviews", review_cells(&n.id, kind, r, n_series.clone()))?;
                    }
                }
            }
        }
    }
    for r in c.revisions {
        let mut row = vec![(&r.before.text).into(), (&r.after.text).into()];
        row.push(enum_cell(&Some(r.evidence)));
        row.extend(loc_cells(&r.at));
        row.push((&r.context).into());
        row.push((&r.path).into());
        row.push(enum_cell(&r.flag));
        let (b, unit) = typed_value(&r.before);
        let (a, unit_after) = typed_value(&r.after);
        row.extend([b.into(), a.into(), unit.or(unit_after).into()]);
        e.row("revisions", row)?;
    }
    for w in c.warnings {
        let mut row = vec![(&w.code).into(), (&w.message).into()];
        row.extend(loc_cells(&w.at));
        e.row("warnings", row)?;
    }
    Ok(())
}

/// A revised value as a number and its unit (`yen` for money).
fn typed_value(v: &RevisedValue) -> (Option<f64>, Option<String>) {
    if let Some(m) = &v.money {
        return (m.yen.map(|y| y as f64), Some("yen".to_string()));
    }
    match &v.quantity {
        Some(q) => (q.value, q.unit.clone()),
        None => (None, None),
    }
}

/// The row of the `documents` table.
pub fn write_document_row(
    sink: &mut impl Sink,
    ctx: &Context,
    format: Option<&str>,
    title: &Option<String>,
    paths: &[String],
    warnings: usize,
    coverage: Option<&Coverage>,
) -> std::io::Result<()> {
    let mut row = ctx.cells();
    row.extend([
        format.map(str::to_string).into(),
        title.into(),
        (!paths.is_empty()).then(|| paths.join("; ")).into(),
        warnings.into(),
        coverage.map(|c| c.ratio).into(),
        coverage.map(|c| c.placed as i64).into(),
        coverage.map(|c| c.read as i64).into(),
    ]);
    sink.row(table_index("documents"), row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Achievement, BudgetKind, Comparator, Effectiveness, Evidence, Kind, Progress, RevisionFlag, Track,
    };
    use serde::de::DeserializeOwned;

    fn set(table: &str, column: &str) -> &'static [&'static str] {
        TABLES
            .iter()
            .find(|t| t.name == table)
            .and_then(|t| t.all_columns().find(|c| c.name == column))
            .map_or(&[], |c| c.values)
    }

    /// Every value of the set is one of the model's enum `T`, and the set
    /// has one for each of its `variants`.
    fn is_enum<T: DeserializeOwned>(table: &str, column: &str, variants: usize) {
        let values = set(table, column);
        assert_eq!(values.len(), variants, "{table}.{column}: {values:?}");
        for v in values {
            assert!(
                serde_json::from_value::<T>(serde_json::Value::from(*v)).is_ok(),
                "{table}.{column}: {v} is not a value of the model"
            );
        }
    }

    #[test]
    fn value_sets_are_the_models_enums() {
        is_enum::<Achievement>("reviews", "achievement", 3);
        is_enum::<Progress>("reviews", "progress", 2);
        is_enum::<Effectiveness>("reviews", "effectiveness", 3);
        is_enum::<Effectiveness>("evaluations", "effectiveness", 3);
        is_enum::<Track>("evaluations", "outcome_status", 2);
        is_enum::<Track>("evaluations", "progress", 2);
        is_enum::<Evidence>("revisions", "evidence", 5);
        is_enum::<RevisionFlag>("revisions", "flag", 2);
        is_enum::<Comparator>("indicator_values", "comparator", 5);
        is_enum::<Comparator>("observations", "comparator", 5);
        is_enum::<BudgetKind>("budgets", "kind", 2);
        let kinds = set("documents", "document_kind");
        assert_eq!(kinds.last(), Some(&"plan_view"));
        for k in &kinds[..kinds.len() - 1] {
            assert!(Kind::parse(k).is_some(), "{k}");
        }
    }

    #[test]
    fn keys_name_columns_of_their_tables() {
        for t in TABLES {
            let names: Vec<&str> = t.all_columns().map(|c| c.name).collect();
            for k in t.primary_key() {
                assert!(names.contains(&k), "{}: key {k}", t.name);
            }
            for (ours, target, theirs) in t.foreign_keys() {
                let other = TABLES.iter().find(|x| x.name == target).expect("the table referred to");
                assert_eq!(theirs, other.primary_key(), "{} → {target}", t.name);
                assert_eq!(ours.len(), theirs.len());
                for k in ours {
                    assert!(names.contains(&k), "{}: foreign key {k}", t.name);
                }
            }
        }
    }
}
