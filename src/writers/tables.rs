//! The model as flat tables, for CSV, NDJSON and SQLite: one row per
//! initiative, budget, indicator value, observation, review, revision …
//! Every row starts with the same five columns: `ward_code`, `ward_name`,
//! `fiscal_year`, `document_kind` and `document_sha256`.
//!
//! `document_kind` is the kind of the document the row was read from
//! (`plan`, `plan_revision`, …), or `plan_view` for the merged view of a
//! ward and year (the plan with its revision applied and its reviews
//! attached), whose `document_sha256` is the plan it was built from.

use super::series::indicator_id;
use crate::model::{
    Coverage, Issue, KeyIssue, Location, Quantity, ReformItem, Review, RevisedValue, Revision, Warning,
};

/// A cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Cell {
        v.map_or(Cell::Null, Cell::Text)
    }
}
impl From<&Option<String>> for Cell {
    fn from(v: &Option<String>) -> Cell {
        v.clone().into()
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Text(v.to_string())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Cell {
        Cell::Text(v)
    }
}
impl From<&String> for Cell {
    fn from(v: &String) -> Cell {
        Cell::Text(v.clone())
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Int,
    Real,
    Text,
}

pub struct TableDef {
    pub name: &'static str,
    /// Columns after the five common ones.
    pub columns: &'static [(&'static str, Type)],
    pub about: &'static str,
}

/// The five columns every row starts with.
pub const COMMON: [(&str, Type); 5] = [
    ("ward_code", Type::Text),
    ("ward_name", Type::Text),
    ("fiscal_year", Type::Int),
    ("document_kind", Type::Text),
    ("document_sha256", Type::Text),
];

use Type::{Int, Real, Text};

pub const TABLES: &[TableDef] = &[
    TableDef {
        name: "documents",
        columns: &[
            ("format", Text),
            ("title", Text),
            ("paths", Text),
            ("warnings", Int),
            ("coverage", Real),
            ("content_placed", Int),
            ("content_read", Int),
        ],
        about: "one row per document (and per merged view); `paths` lists the inputs it was read from, `; `-separated; `coverage` = `content_placed` / `content_read`, the characters of content the model holds (null for a merged view)",
    },
    TableDef {
        name: "key_issues",
        columns: &[("issue_number", Int), ("summary", Text)],
        about: "様式1: the key issues",
    },
    TableDef {
        name: "main_initiatives",
        columns: &[
            ("initiative_id", Text),
            ("issue_number", Int),
            ("title", Text),
            ("text", Text),
            ("yen", Int),
            ("budget_text", Text),
            ("series_id", Text),
        ],
        about: "様式1: each key issue's main initiatives with the year's budget",
    },
    TableDef {
        name: "strategies",
        columns: &[
            ("strategy_id", Text),
            ("issue_number", Int),
            ("issue_title", Text),
            ("title", Text),
            ("target_state", Text),
            ("approach", Text),
            ("series_id", Text),
        ],
        about: "様式2: strategies (めざす成果及び戦略)",
    },
    TableDef {
        name: "initiatives",
        columns: &[
            ("initiative_id", Text),
            ("strategy_id", Text),
            ("issue_number", Int),
            ("title", Text),
            ("activities", Text),
            ("reposted_from", Text),
            ("series_id", Text),
        ],
        about: "様式2: initiatives (具体的取組); `activities` one per line",
    },
    TableDef {
        name: "budgets",
        columns: &[
            ("initiative_id", Text),
            ("budget_fiscal_year", Int),
            ("kind", Text),
            ("yen", Int),
            ("text", Text),
            ("series_id", Text),
        ],
        about: "様式2: each initiative's printed amounts (kind settled or budget)",
    },
    TableDef {
        name: "indicators",
        columns: &[
            ("indicator_id", Text),
            ("level", Text),
            ("owner_id", Text),
            ("description", Text),
            ("series_id", Text),
        ],
        about: "outcome indicators (of strategies), process indicators and rebuild criteria (of initiatives)",
    },
    TableDef {
        name: "indicator_values",
        columns: &[
            ("indicator_id", Text),
            ("role", Text),
            ("value_fiscal_year", Int),
            ("value", Real),
            ("unit", Text),
            ("comparator", Text),
            ("text", Text),
            ("series_id", Text),
        ],
        about: "the indicators' history, targets and thresholds (role history, target or threshold)",
    },
    TableDef {
        name: "observations",
        columns: &[
            ("issue_number", Int),
            ("survey", Text),
            ("observation_fiscal_year", Int),
            ("description", Text),
            ("value", Real),
            ("unit", Text),
            ("comparator", Text),
            ("text", Text),
        ],
        about: "様式2: current-state figures (現状)",
    },
    TableDef {
        name: "reviews",
        columns: &[
            ("item_id", Text),
            ("review", Text),
            ("achievement", Text),
            ("progress", Text),
            ("effectiveness", Text),
            ("results", Text),
            ("issues", Text),
            ("improvements", Text),
            ("verdict", Text),
            ("series_id", Text),
        ],
        about: "reviews of initiatives (review midterm_review or self_evaluation) and of reform items (review reform; item_id is the category)",
    },
    TableDef {
        name: "evaluations",
        columns: &[
            ("strategy_id", Text),
            ("effectiveness", Text),
            ("outcome_status", Text),
            ("progress", Text),
            ("series_id", Text),
        ],
        about: "strategies' evaluations",
    },
    TableDef {
        name: "reform_items",
        columns: &[("category", Text), ("content", Text), ("target", Text)],
        about: "様式3: items under the city reform plan",
    },
    TableDef {
        name: "revisions",
        columns: &[
            ("before", Text),
            ("after", Text),
            ("evidence", Text),
            ("page", Int),
            ("sheet", Text),
            ("cell", Text),
            ("line", Int),
            ("context", Text),
            ("path", Text),
            ("flag", Text),
            ("before_value", Real),
            ("after_value", Real),
            ("unit", Text),
        ],
        about: "struck-out values and the values that replaced them: `path` the value revised (null where it lies in no field), `before_value`/`after_value` read in that field's context (yen where `unit` is `yen`), `flag` ambiguous or damaged (never applied)",
    },
    TableDef {
        name: "warnings",
        columns: &[
            ("code", Text),
            ("message", Text),
            ("page", Int),
            ("sheet", Text),
            ("cell", Text),
            ("line", Int),
        ],
        about: "what the recogniser noticed, with where",
    },
    TableDef {
        name: "series",
        columns: &[
            ("series_id", Text),
            ("entity", Text),
            ("item_id", Text),
            ("title", Text),
            ("link", Text),
            ("similarity", Real),
        ],
        about: "one row per item and year: the series it belongs to across fiscal years, and how it was linked to the year before (see README: Series)",
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
