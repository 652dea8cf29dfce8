//! What the report draws over the release: one [`Placed`] per value the
//! model took — its model path, its kind of field, where it was read and
//! what it is — and the model's own walk that lists them.
//!
//! Where a value was read comes from one of two sources, behind this one
//! list: the model's own `at` locations (items carry one: an issue, a
//! strategy, an initiative, an observation …) refined by finding the
//! value's text in the intermediate form near its item (`locate.rs`); or,
//! where the library gives it, the recogniser's placement map (model path
//! → cell of the intermediate form + character range). The drawing code
//! reads only `Placed`, so it does not change with the source.
//!
//! Paths are those of the merged ward-year view (`crate::view`; the syntax is `crate::model::path`):
//! `/`-separated field names, a list element by its key — key issue and
//! issue by `number`, strategy and initiative by `id`, reform item by
//! `category`, budget by `<fiscal_year>:<kind>`, prior result by
//! `fiscal_year` — and by its index where it has none; `~` and `/` in a key
//! written `~0` and `~1`.

use super::ordered::J;
use crate::model::{Document, Location};
use serde::Serialize;

/// The kind of field a value is, which gives its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A name: an item's title or id, a category, an indicator's description.
    Name,
    /// Running text: goal, mission, current state, activities, results …
    Text,
    /// An amount of money (a budget, a settled amount).
    Money,
    /// A figure with its unit: an indicator's value, target or threshold.
    Quantity,
    /// A review's printed verdict (achieved, on schedule …).
    Verdict,
    /// The words kind, ward and fiscal year were detected from.
    Detection,
    /// A struck-out or revised value.
    Revision,
    /// A fiscal year read from a heading (`令和4年度`) for the value it heads.
    Year,
    /// Text the recogniser put in no field.
    Unplaced,
    /// One of the forms' own labels (`区の目標`, `【撤退・再構築基準】`).
    Label,
}

impl FieldKind {
    pub const ALL: [FieldKind; 10] = [
        FieldKind::Name,
        FieldKind::Text,
        FieldKind::Money,
        FieldKind::Quantity,
        FieldKind::Year,
        FieldKind::Verdict,
        FieldKind::Detection,
        FieldKind::Revision,
        FieldKind::Unplaced,
        FieldKind::Label,
    ];

    /// The CSS class (`k-…`) and the legend's word.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Name => "name",
            FieldKind::Text => "text",
            FieldKind::Money => "money",
            FieldKind::Quantity => "quantity",
            FieldKind::Verdict => "verdict",
            FieldKind::Detection => "detection",
            FieldKind::Revision => "revision",
            FieldKind::Year => "year",
            FieldKind::Unplaced => "unplaced",
            FieldKind::Label => "label",
        }
    }
}

/// A byte range of one cell's text in the intermediate form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IrSpan {
    pub row: usize,
    pub cell: usize,
    pub start: usize,
    pub end: usize,
}

/// One value the model took, and where.
#[derive(Debug, Clone)]
pub struct Placed {
    pub path: String,
    pub kind: FieldKind,
    /// Where the model says it is (the value's own location, else its
    /// item's); empty when the model gives none.
    pub at: Location,
    /// The characters it was read from; empty when only `at` is known.
    pub spans: Vec<IrSpan>,
    /// The typed value, as the model's JSON has it (indented).
    pub value: String,
    /// The text it was read from, as printed (filled from `spans` when
    /// they are known).
    pub raw: String,
}

/// A value of the model before it is placed: its path, kind, typed value,
/// the text to find it by, and the location of the nearest item above it.
#[derive(Debug, Clone)]
pub struct Field {
    pub path: String,
    pub kind: FieldKind,
    /// The typed value, as the model's JSON has it (indented).
    pub value: String,
    pub text: String,
    /// The value's own location, or its item's.
    pub at: Location,
    /// Whether `at` is the value's own (an item's title) or inherited.
    pub own_at: bool,
}

/// JSON-Pointer escaping of a key inside a path.
pub fn esc_key(key: &str) -> String {
    crate::model::path::esc(key)
}

/// Every value of a Document, in the model's order.
pub fn fields(doc: &Document) -> Vec<Field> {
    let mut out = Vec::new();
    for (k, val) in J::of(doc).members() {
        match k.as_str() {
            // Described in the header and the side panel, or drawn apart.
            "schema" | "source" | "kind" | "ward" | "fiscal_year" | "coverage" => {}
            "warnings" => {}
            "unplaced" => unplaced(val, &mut out),
            "detection" => detection(val, &mut out),
            "revisions" => revisions(val, &mut out),
            _ => walk(k, k, val, &Location::default(), &mut out),
        }
    }
    out
}

pub(super) fn location(v: &J) -> Option<Location> {
    let loc: Location = v.get("at").to()?;
    (!loc.is_empty()).then_some(loc)
}

fn detection(v: &J, out: &mut Vec<Field>) {
    for (what, note) in v.members() {
        let Some(evidence) = note.get("evidence").as_str() else {
            continue;
        };
        let Some(at) = location(note) else { continue };
        out.push(Field {
            path: format!("detection/{what}"),
            kind: FieldKind::Detection,
            value: note.pretty(),
            text: evidence.to_string(),
            at,
            own_at: true,
        });
    }
}

fn revisions(v: &J, out: &mut Vec<Field>) {
    for (i, r) in v.items().iter().enumerate() {
        let at = location(r).unwrap_or_default();
        // The revision's text: `after` as a string, or the typed form's
        // `text` (a revision typed by the model).
        let after = r.get("after");
        let text = after
            .as_str()
            .or_else(|| after.get("text").as_str())
            .unwrap_or_default();
        out.push(Field {
            path: format!("revisions/{i}"),
            kind: FieldKind::Revision,
            value: r.pretty(),
            text: text.to_string(),
            own_at: !at.is_empty(),
            at,
        });
    }
}

/// The document's unplaced text (every piece with its location), where the
/// model lists it.
fn unplaced(v: &J, out: &mut Vec<Field>) {
    for (i, u) in v.items().iter().enumerate() {
        let text = u.get("text").as_str().unwrap_or_default();
        let at = location(u).unwrap_or_default();
        if text.trim().is_empty() && at.is_empty() {
            continue;
        }
        out.push(Field {
            path: format!("unplaced/{i}"),
            kind: FieldKind::Unplaced,
            value: u.pretty(),
            text: text.to_string(),
            own_at: !at.is_empty(),
            at,
        });
    }
}

/// The keys of a list's elements as paths name them (`model::path`:
/// by number, id, category, `<year>:<kind>` …, a repeated key made unique),
/// escaped for a path.
pub(super) fn keys(field: &str, items: &[J]) -> Vec<String> {
    let values: Vec<serde_json::Value> = items
        .iter()
        .map(|x| serde_json::to_value(x).unwrap_or_default())
        .collect();
    crate::model::path::keys(field, &values)
        .iter()
        .map(|k| esc_key(k))
        .collect()
}

pub(super) fn is_money(v: &J) -> bool {
    v.has("yen") && v.has("text")
}

pub(super) fn is_quantity(v: &J) -> bool {
    v.has("value") && v.has("comparator") && v.has("text")
}

/// The kind of a plain text field by its name.
pub(super) fn text_kind(field: &str) -> FieldKind {
    match field {
        "title" | "summary" | "id" | "category" | "description" | "survey" => FieldKind::Name,
        "verdict" => FieldKind::Verdict,
        _ => FieldKind::Text,
    }
}

/// Fields that are not printed values but read from others (`number` from
/// a title, enums from a verdict) or are provenance.
fn derived(field: &str) -> bool {
    matches!(
        field,
        "at" | "number"
            | "fiscal_year"
            | "kind"
            | "achievement"
            | "progress"
            | "effectiveness"
            | "outcome_status"
            | "comparator"
            | "unit"
            | "reposted_from"
    )
}

fn walk(path: &str, field: &str, v: &J, inherited: &Location, out: &mut Vec<Field>) {
    match v {
        J::Obj(m) => {
            if is_money(v) || is_quantity(v) {
                let text = v.get("text").as_str().unwrap_or_default();
                if !text.trim().is_empty() {
                    out.push(Field {
                        path: path.to_string(),
                        kind: if is_money(v) {
                            FieldKind::Money
                        } else {
                            FieldKind::Quantity
                        },
                        value: v.pretty(),
                        text: text.to_string(),
                        at: inherited.clone(),
                        own_at: false,
                    });
                }
                return;
            }
            let own = location(v);
            let at = own.clone().unwrap_or_else(|| inherited.clone());
            // An item with a location of its own: its name is read there.
            let mut named = false;
            for (k, child) in m {
                // A basic-policy item's id is made of its three columns'
                // marks, printed apart: not a value printed as such.
                if derived(k) || (k == "id" && field == "basic_policy_items") {
                    continue;
                }
                let p = format!("{path}/{}", esc_key(k));
                // An item's id is printed with its title (`【1-1-2 …】`),
                // or only implied by its place (a review's `2` under
                // strategy 1-1): where its text is not found, its item's
                // location is where it was read.
                if let (Some(loc), "id", J::Str(s)) = (&own, k.as_str(), child) {
                    out.push(Field {
                        path: p,
                        kind: FieldKind::Name,
                        value: child.pretty(),
                        text: s.clone(),
                        at: loc.clone(),
                        own_at: true,
                    });
                    continue;
                }
                if let (Some(loc), false, J::Str(s)) = (&own, named, child)
                    && matches!(k.as_str(), "title" | "summary" | "category")
                    && !s.trim().is_empty()
                {
                    named = true;
                    out.push(Field {
                        path: p,
                        kind: FieldKind::Name,
                        value: child.pretty(),
                        text: s.clone(),
                        at: loc.clone(),
                        own_at: true,
                    });
                    continue;
                }
                walk(&p, k, child, &at, out);
            }
        }
        J::Arr(items) => {
            for (item, key) in items.iter().zip(keys(field, items)) {
                let p = format!("{path}/{key}");
                walk(&p, field, item, inherited, out);
            }
        }
        J::Str(s) => {
            if !s.trim().is_empty() {
                out.push(Field {
                    path: path.to_string(),
                    kind: text_kind(field),
                    value: v.pretty(),
                    text: s.clone(),
                    at: inherited.clone(),
                    own_at: false,
                });
            }
        }
        J::Num(_) | J::Bool(_) | J::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn paths_use_the_merged_views_keys() {
        let doc = Document {
            schema: String::new(),
            source: Source::default(),
            kind: Kind::Plan,
            title: None,
            ward: None,
            fiscal_year: Some(2022),
            detection: Detection::default(),
            goal: Some("目標".into()),
            mission: None,
            policy: None,
            key_issues: vec![],
            reform_items: vec![],
            issues: vec![Issue {
                number: 3,
                title: Some("地域福祉".into()),
                at: Location::line(7),
                strategies: vec![Strategy {
                    id: "3-3".into(),
                    initiatives: vec![Initiative {
                        id: "3-3-4".into(),
                        budgets: vec![Budget {
                            fiscal_year: Some(2022),
                            kind: BudgetKind::Budget,
                            yen: Some(4_960_000),
                            text: "4,960千円".into(),
                        }],
                        activities: vec!["見守り".into()],
                        ..Initiative::default()
                    }],
                    ..Strategy::default()
                }],
                ..Issue::default()
            }],
            revisions: vec![],
            unplaced: vec![],
            coverage: Default::default(),
            warnings: vec![],
        };
        let f = fields(&doc);
        let got: Vec<(&str, FieldKind, bool)> = f.iter().map(|f| (f.path.as_str(), f.kind, f.own_at)).collect();
        assert_eq!(
            got,
            vec![
                ("goal", FieldKind::Text, false),
                ("issues/3/title", FieldKind::Name, true),
                ("issues/3/strategies/3-3/id", FieldKind::Name, false),
                ("issues/3/strategies/3-3/initiatives/3-3-4/id", FieldKind::Name, false),
                (
                    "issues/3/strategies/3-3/initiatives/3-3-4/budgets/2022:budget",
                    FieldKind::Money,
                    false
                ),
                (
                    "issues/3/strategies/3-3/initiatives/3-3-4/activities/0",
                    FieldKind::Text,
                    false
                ),
            ]
        );
        // Values under the issue inherit its location.
        assert_eq!(f[4].at, Location::line(7));
        assert_eq!(esc_key("a/b~c"), "a~1b~0c");
    }
}
