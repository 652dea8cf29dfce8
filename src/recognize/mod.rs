//! The recogniser: one, for every format. It reads the intermediate form
//! (`crate::ir`), anchored on the forms' own labels (プロセス(過程)指標,
//! 【撤退・再構築基準】, 前年度までの実績, 2決算額 …), never on fixed
//! positions, and builds the model.
//!
//! * `detect` — kind, ward and fiscal year from the content;
//! * `labels`, `tokens`, `board` — the labels, the token stream, and which
//!   label a piece of text belongs to;
//! * `values` — what the text under a label means;
//! * one grammar per kind of document: `plan` (plan and plan_revision),
//!   `midterm`, `summary`, `progress`.

mod board;
mod detect;
mod labels;
mod matcher;
mod midterm;
pub mod placement;
mod plan;
mod progress;
mod revisions;
mod summary;
mod tokens;
mod unplaced;
mod values;

pub use placement::{Placements, placements};

use crate::error::{Error, Result};
use crate::ir::{Ir, RawRevision};
use crate::model::{
    Coverage, DOCUMENT_SCHEMA, Detection, DetectionNote, Document, Issue, KeyIssue, Kind, Location, ReformItem, Source,
    Strategy, UnplacedKind, Ward, Warning,
};
use crate::normalize::{self, ids};
use std::collections::BTreeMap;

/// What the caller knows beyond the content.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    pub ward: Option<Ward>,
    pub year: Option<i32>,
    /// The file's name: a hint for ward and year only when the content is silent.
    pub file_name: String,
    /// The title the source gives itself outside the document's text (a
    /// web page's title heading): ward and year are read from it where the
    /// content is silent, before the file's name.
    pub title: Option<String>,
}

/// The source's own title as a title line, for detection only.
fn title_lines(hints: &Hints) -> Vec<detect::Line> {
    let Some(t) = &hints.title else { return Vec::new() };
    let at = Location::default();
    let ir = Ir {
        rows: vec![crate::ir::Row {
            kind: crate::ir::RowKind::Heading(1),
            cells: vec![crate::ir::Cell::new(t.clone(), 0, at.clone())],
            at,
        }],
        ..Ir::default()
    };
    detect::lines(&ir)
}

/// A detection from the source's title: by `title`, with the title as evidence.
fn from_title(mut n: DetectionNote) -> DetectionNote {
    n.by = "title".to_string();
    n.at = None;
    n
}

/// What a grammar yields.
#[derive(Default)]
pub(crate) struct Parts {
    pub goal: Option<String>,
    pub mission: Option<String>,
    pub policy: Option<String>,
    pub key_issues: Vec<KeyIssue>,
    pub reform_items: Vec<ReformItem>,
    pub issues: Vec<Issue>,
    pub warnings: Vec<Warning>,
}

/// Strategies under the key issue their id starts with, both in id order;
/// `known` issues (with their titles) are kept even without strategies.
pub(crate) fn group_into_issues(
    strategies: impl IntoIterator<Item = Strategy>,
    known: &BTreeMap<u32, (Option<String>, Location)>,
) -> Vec<Issue> {
    let mut issues: Vec<Issue> = known
        .iter()
        .map(|(n, (title, at))| Issue {
            number: *n,
            title: title.clone(),
            at: at.clone(),
            ..Issue::default()
        })
        .collect();
    for mut s in strategies {
        s.initiatives.sort_by_key(|i| ids::sort_key(&i.id));
        let n = ids::issue_number(&s.id).unwrap_or(0);
        match issues.iter_mut().find(|i| i.number == n) {
            Some(i) => i.strategies.push(s),
            None => issues.push(Issue {
                number: n,
                at: s.at.clone(),
                strategies: vec![s],
                ..Issue::default()
            }),
        }
    }
    issues.sort_by_key(|i| i.number);
    for i in &mut issues {
        i.strategies.sort_by_key(|s| ids::sort_key(&s.id));
    }
    issues
}

fn by(s: &str) -> DetectionNote {
    DetectionNote {
        by: s.to_string(),
        evidence: None,
        at: None,
    }
}

pub fn recognize(ir: &Ir, hints: &Hints) -> Result<Document> {
    let lines = detect::lines(ir);
    let Some(found) = detect::kind(&lines) else {
        let mut why = if lines.is_empty() {
            "the file holds no text".to_string()
        } else {
            let ev = detect::evidence(&lines, usize::MAX, &labels::PLAN_LABELS);
            let names: Vec<&str> = ev.iter().map(|(n, _)| *n).collect();
            if names.is_empty() {
                "none of the forms' labels (区の目標, 具体的取組, めざす成果及び戦略, 中間振り返り, 区政運営基本方針 …) were found".to_string()
            } else {
                format!(
                    "only {} of the forms' evidence ({}); a form needs at least {} (labels of the forms, or a form's title)",
                    names.len(),
                    names.join(", "),
                    detect::MIN_EVIDENCE
                )
            }
        };
        // The reader's own notes say why a damaged file holds no form.
        if let Some(w) = ir.warnings.first() {
            why.push_str(&format!("; the file is damaged: {}", w.message));
        }
        return Err(Error::Unrecognised(why));
    };
    let (kind, kind_note) = (found.kind, found.note.clone());
    let mut warnings: Vec<Warning> = ir.warnings.clone();
    if found.guessed {
        warnings.push(Warning::new(
            "kind_uncertain",
            format!(
                "no title or label names the kind of document; it holds the forms' evidence ({}) and is read as a plan",
                found.note.evidence.as_deref().unwrap_or("")
            ),
            found.note.at.clone().unwrap_or_default(),
        ));
    }

    let (fiscal_year, year_note) = if let Some(y) = hints.year {
        (Some(y), by("option"))
    } else if let Some((y, n)) = detect::fiscal_year(&lines) {
        (Some(y), n)
    } else if let Some((y, n)) = detect::fiscal_year(&title_lines(hints)) {
        (Some(y), from_title(n))
    } else if let Some(y) = detect::year_from_file_name(&hints.file_name) {
        warnings.push(Warning::new(
            "year_from_file_name",
            format!("the content names no fiscal year; {y} taken from the file name"),
            Default::default(),
        ));
        (
            Some(y),
            DetectionNote {
                by: "file_name".into(),
                evidence: Some(hints.file_name.clone()),
                at: None,
            },
        )
    } else {
        warnings.push(Warning::new(
            "no_fiscal_year",
            "the document does not say which fiscal year it is about",
            Default::default(),
        ));
        (None, by("none"))
    };

    let (ward, ward_note) = if let Some(w) = hints.ward.clone() {
        (Some(w), by("option"))
    } else {
        let from_page_title = |why| {
            detect::ward(&title_lines(hints))
                .map(|(w, n)| (w, from_title(n)))
                .map_err(|_| why)
        };
        match detect::ward(&lines).or_else(from_page_title) {
            Ok((w, n)) => (Some(w), n),
            Err(why) => match detect::ward_from_file_name(&hints.file_name) {
                Some(w) => {
                    warnings.push(Warning::new(
                        "ward_from_file_name",
                        format!("{why}; {} taken from the file name", w.name),
                        Default::default(),
                    ));
                    (
                        Some(w),
                        DetectionNote {
                            by: "file_name".into(),
                            evidence: Some(hints.file_name.clone()),
                            at: None,
                        },
                    )
                }
                None => {
                    warnings.push(Warning::new(
                        "no_ward",
                        format!("ward unknown: {why}"),
                        Default::default(),
                    ));
                    (None, by("none"))
                }
            },
        }
    };

    let mut revisions: Vec<RawRevision> = ir
        .revisions
        .iter()
        .map(|r| RawRevision {
            before: normalize::clean(&r.before),
            after: normalize::clean(&r.after),
            context: r.context.as_deref().map(normalize::clean),
            ..r.clone()
        })
        .collect();

    let parts = match kind {
        Kind::Plan | Kind::PlanRevision => {
            let segs = tokens::segments(ir, Some(&labels::PLAN_LABELS), &mut revisions);
            let toks = tokens::tokenize(&segs, &labels::PLAN_LABELS);
            plan::build(&toks, fiscal_year)
        }
        Kind::Summary => {
            let segs = tokens::segments(ir, Some(&labels::SUMMARY_LABELS), &mut revisions);
            let toks = tokens::tokenize(&segs, &labels::SUMMARY_LABELS);
            summary::build(&toks, fiscal_year)
        }
        Kind::MidtermReview => {
            let segs = tokens::segments(ir, None, &mut revisions);
            midterm::build(&segs, fiscal_year)
        }
        Kind::ProgressReport => {
            let segs = tokens::segments(ir, None, &mut revisions);
            progress::build(&segs, fiscal_year)
        }
    };
    warnings.extend(parts.warnings);

    let mut doc = Document {
        schema: DOCUMENT_SCHEMA.to_string(),
        source: Source::default(),
        kind,
        title: detect::title(&lines),
        ward,
        fiscal_year,
        detection: Detection {
            kind: kind_note,
            ward: ward_note,
            fiscal_year: year_note,
        },
        goal: parts.goal,
        mission: parts.mission,
        policy: parts.policy,
        key_issues: parts.key_issues,
        reform_items: parts.reform_items,
        issues: parts.issues,
        revisions: Vec::new(),
        warnings,
        unplaced: Vec::new(),
        coverage: Coverage::default(),
    };
    account(ir, &mut doc, &revisions);
    Ok(doc)
}

/// The accounting after the grammars: revisions typed and anchored to
/// their fields, every character of the release placed in a field, a
/// label or `unplaced`, and the coverage (see `placement`, `revisions`).
fn account(ir: &Ir, doc: &mut Document, raw: &[RawRevision]) {
    let Ok(json) = serde_json::to_value(&*doc) else { return };
    let mut acc = placement::Accounting::new(ir, doc.kind);
    acc.place_fields(&json);
    let (revisions, warnings) = revisions::anchor(raw, &acc, &json);
    doc.revisions = revisions;
    doc.warnings.extend(warnings);
    if let Ok(json) = serde_json::to_value(&doc.revisions) {
        acc.place_revisions(&serde_json::json!({ "revisions": json }));
    }
    let p = acc.finish(&json);
    doc.unplaced = p.unplaced();
    doc.coverage = p.coverage();
    // The grammars' notes of text under no label give way to one warning
    // per unplaced piece, pointing to it.
    doc.warnings.retain(|w| w.code != "unplaced_text");
    for (i, u) in doc.unplaced.iter().enumerate() {
        if u.kind == UnplacedKind::Content {
            let n = u.text.chars().filter(|c| !c.is_whitespace()).count();
            doc.warnings.push(Warning::new(
                "unplaced_text",
                format!("text in no field ({n} characters, unplaced/{i}): {}", u.text),
                u.at.clone(),
            ));
        }
    }
}

/// A text (normalised, as `normalize::clean` gives it) cut into its
/// content and the forms' own printed words: their labels (both
/// catalogues) and the legends of choices (`①:目標達成 …`). The content
/// is what a Document must hold somewhere (a field, a warning, its
/// unplaced text); tests that account for every character of a page use
/// it. Returns (the content, pieces separated by U+0001; the form words).
pub fn split_form_words(text: &str) -> (String, Vec<String>) {
    let mut content = String::with_capacity(text.len());
    let mut words = Vec::new();
    let mut last = 0;
    let mut found: Vec<(usize, usize)> = labels::PLAN_LABELS
        .find(text)
        .into_iter()
        .chain(labels::SUMMARY_LABELS.find(text))
        .map(|f| (f.start, f.end))
        .collect();
    found.sort();
    for (start, end) in found {
        if start >= last {
            content.push_str(&text[last..start]);
            content.push('\u{1}');
            words.push(text[start..end].to_string());
            last = end;
        } else if end > last {
            words.push(text[last..end].to_string());
            last = end;
        }
    }
    content.push_str(&text[last.min(text.len())..]);
    words.extend(values::legends(&content));
    (values::strip_legends(&content), words)
}
