//! One revision (素案からの変更), every format: the text release
//! (`corpus/text/minato-2022-plan-revision.txt`: struck and new digits run
//! together), the strike-through workbook (xlsx, its shared-strings copy,
//! xls, ods) and LibreOffice's PDF of it. They give the same revisions —
//! each anchored to the path of the value it revises, both sides typed in
//! that field's context — and the merged views built with each are equal.
//!
//! What a text release cannot say, it says so: where the text proves the
//! split (digit grouping, a full-width figure run into a half-width one, a
//! month that cannot be one) its revision is the workbook's; where it
//! cannot (`1419件`), the revision is flagged `ambiguous` and the
//! workbook's pair is one of its readings.

mod common;

use common::fixture;
use serde_json::{Value, json};
use yoshiki::model::{Document, path};
use yoshiki::view::Assembler;

const TEXT: &str = "corpus/text/minato-2022-plan-revision.txt";
const XLSX: &str = "workbook/minato-2022-plan-revision-strikethrough.xlsx";
const WORKBOOKS: &[&str] = &[
    "workbook/minato-2022-plan-revision-strikethrough-shared-strings.xlsx",
    "workbook/minato-2022-plan-revision-strikethrough.xls",
    "workbook/minato-2022-plan-revision-strikethrough.ods",
];
const PDF: &str = "pdf/libreoffice-minato-2022-plan-revision.pdf";

/// The PDF reader joins two items of 1-1-3's prior results (the first
/// fills its printed line exactly, so its line break looks like a wrap:
/// see tests/pdf_model.rs, FULL_LINE): the PDF's model has one item fewer
/// there, and its 21 → 32 lies in item 0 of its model.
const PDF_JOINED_ITEM: (&str, &str) = (
    "issues/1/strategies/1-1/initiatives/1-1-3/prior_results/2021/items/1",
    "issues/1/strategies/1-1/initiatives/1-1-3/prior_results/2021/items/0",
);

fn parse(rel: &str) -> Document {
    let p = fixture(rel);
    let bytes = std::fs::read(&p).expect("fixture");
    yoshiki::parse::parse_bytes(&bytes, &p.to_string_lossy(), &Default::default()).expect("parses")
}

/// A side of a revision as its typed value: yen, figure and unit, or text.
fn typed(v: &Value) -> String {
    if let Some(y) = v["money"]["yen"].as_i64() {
        return format!("{y} yen");
    }
    if !v["quantity"].is_null() {
        return format!(
            "{} {}",
            v["quantity"]["value"],
            v["quantity"]["unit"].as_str().unwrap_or("")
        );
    }
    format!("{:?}", v["text"].as_str().unwrap_or(""))
}

/// (path, before, after, flag, readings) of each revision.
type Rev = (String, String, String, Option<String>, Vec<(String, String)>);

fn revisions(d: &Document) -> Vec<Rev> {
    let v = serde_json::to_value(d).expect("json");
    v["revisions"]
        .as_array()
        .expect("revisions")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or("(null)").to_string(),
                typed(&r["before"]),
                typed(&r["after"]),
                r["flag"].as_str().map(str::to_string),
                r["readings"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|x| (typed(&x["before"]), typed(&x["after"])))
                    .collect(),
            )
        })
        .collect()
}

fn pairs(revs: &[Rev]) -> Vec<(String, String, String)> {
    revs.iter()
        .map(|(p, b, a, _, _)| (p.clone(), b.clone(), a.clone()))
        .collect()
}

#[test]
fn every_format_gives_the_same_revisions() {
    let reference = revisions(&parse(XLSX));
    assert_eq!(reference.len(), 12, "{reference:#?}");
    assert!(reference.iter().all(|r| r.3.is_none() && r.0 != "(null)"));
    assert!(
        reference.contains(&(
            "key_issues/3/main_initiatives/3-3-4/budget".into(),
            "6166000 yen".into(),
            "6227000 yen".into(),
            None,
            Vec::new()
        )),
        "a struck 6,166 in a (…千円) budget is 6,166,000 yen: {reference:#?}"
    );
    assert!(
        reference.iter().any(
            |r| r.0 == "issues/1/strategies/1-1/initiatives/1-1-1/prior_results/2021/items/0"
                && r.1 == "14 件"
                && r.2 == "19 件"
        ),
        "{reference:#?}"
    );

    // The other workbooks: the same, exactly.
    for rel in WORKBOOKS {
        assert_eq!(pairs(&revisions(&parse(rel))), pairs(&reference), "{rel}");
    }

    // The PDF: the same, but for the one item its reader joins.
    let pdf: Vec<(String, String, String)> = pairs(&revisions(&parse(PDF)))
        .into_iter()
        .map(|(p, b, a)| {
            if p == PDF_JOINED_ITEM.1 {
                (PDF_JOINED_ITEM.0.into(), b, a)
            } else {
                (p, b, a)
            }
        })
        .collect();
    assert_eq!(pdf, pairs(&reference), "{PDF}");

    // The text release: each of the workbook's revisions, at its path,
    // either the same typed pair or flagged ambiguous with it among its
    // readings; anything else it flags is ambiguous with "unchanged" as a
    // reading (a figure in a revised field the text cannot clear).
    let text = revisions(&parse(TEXT));
    let (mut same, mut read) = (0, 0);
    for (p, b, a, _, _) in &reference {
        let hit = text
            .iter()
            .find(|t| &t.0 == p)
            .unwrap_or_else(|| panic!("text: nothing at {p}"));
        if hit.3.is_none() {
            assert_eq!((&hit.1, &hit.2), (b, a), "text at {p}");
            same += 1;
        } else {
            assert_eq!(hit.3.as_deref(), Some("ambiguous"), "text at {p}");
            assert!(
                hit.4.contains(&(b.clone(), a.clone())),
                "text at {p}: {:?} lacks {b} → {a}",
                hit.4
            );
            read += 1;
        }
    }
    assert_eq!(
        (same, read),
        (6, 6),
        "proven by the text; flagged with the pair among their readings"
    );
    for t in text.iter().filter(|t| !reference.iter().any(|r| r.0 == t.0)) {
        assert_eq!(t.3.as_deref(), Some("ambiguous"), "{t:?}");
        assert!(t.4.iter().any(|(b, a)| b == a), "{t:?}: no unchanged reading");
    }
}

/// The draft (素案) the revision struck from, rebuilt from the workbook's
/// own struck runs: its content with each revised figure put back to the
/// struck one. A base where every revision applies.
fn draft(from: &Document) -> Document {
    let mut v = serde_json::to_value(from).expect("json");
    let revs = v["revisions"].as_array().cloned().unwrap_or_default();
    for r in revs {
        let p = r["path"].as_str().expect("anchored");
        let slot = path::get_mut(&mut v, p).expect("resolves");
        if slot.get("yen").is_some() {
            *slot = json!({"yen": r["before"]["money"]["yen"], "text": r["before"]["money"]["text"]});
            continue;
        }
        let s = slot.as_str().expect("a text").to_string();
        let (old, new) = (
            r["before"]["text"].as_str().unwrap(),
            r["after"]["text"].as_str().unwrap(),
        );
        let unit = r["after"]["quantity"]["unit"].as_str().unwrap_or("");
        let at = s
            .match_indices(&format!("{new}{unit}"))
            .map(|(i, _)| i)
            .find(|&i| !s[..i].ends_with(|c: char| c.is_ascii_digit()))
            .expect("the new figure in its field");
        *slot = Value::from(format!("{}{old}{}", &s[..at], &s[at + new.len()..]));
    }
    v["kind"] = json!("plan");
    v["revisions"] = json!([]);
    v["source"]["sha256"] = json!("0".repeat(64));
    serde_json::from_value(v).expect("a Document")
}

/// The view built from `base` and one revision document, as JSON without
/// the documents' names.
fn view(base: &Document, revision: &Document) -> (Value, usize) {
    let mut a = Assembler::new();
    a.add(base);
    a.add(revision);
    let (view, _, _) = a.finish().expect("a view");
    let mut v = serde_json::to_value(&view).expect("json");
    let applied = view.revisions_applied.len();
    v["revised_by"] = json!([]);
    // In path order: a text release prints its pages in another order,
    // and an ambiguous value is applied once every document is in.
    let mut changes: Vec<Value> = view
        .revisions_applied
        .iter()
        .map(|c| json!({"path": c.path, "before": c.before, "after": c.after}))
        .collect();
    changes.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    v["revisions_applied"] = Value::from(changes);
    (v, applied)
}

#[test]
fn the_merged_views_built_with_each_format_are_equal() {
    let xlsx = parse(XLSX);
    let base = draft(&xlsx);
    let (reference, applied) = view(&base, &xlsx);
    assert_eq!(applied, 12, "every struck run applies to the draft it was struck from");
    // The view now says what the revision says at every revised path.
    let xv = serde_json::to_value(&xlsx).expect("json");
    for r in &xlsx.revisions {
        let p = r.path.as_deref().expect("anchored");
        assert_eq!(path::get(&reference, p), path::get(&xv, p), "{p}");
    }
    for rel in WORKBOOKS.iter().chain([&TEXT]) {
        let (v, _) = view(&base, &parse(rel));
        let diffs = common::json_differences(&v, &reference, &|_, _| false);
        assert!(diffs.is_empty(), "{rel}: the view differs:\n{}", diffs.join("\n"));
    }
    // (The text release's ambiguous values were applied above by the one
    // reading that agrees with the draft.) The PDF: the same view but for
    // the item its reader joins, where its 21 → 32 names another item and
    // conflicts with the draft's (a disagreement, not applied).
    let (mut pdf, pdf_applied) = view(&base, &parse(PDF));
    assert_eq!(pdf_applied, 11);
    let mut expected = reference.clone();
    if let Some(list) = expected["revisions_applied"].as_array_mut() {
        list.retain(|c| c["path"] != PDF_JOINED_ITEM.0);
    }
    assert_eq!(pdf["revisions_applied"], expected["revisions_applied"], "{PDF}");
    pdf["revisions_applied"] = Value::Null;
    expected["revisions_applied"] = Value::Null;
    let diffs = common::json_differences(&pdf, &expected, &|_, _| false);
    assert_eq!(
        diffs,
        [
            ".issues[0].strategies[0].initiatives[2].prior_results[0].items[1]: \"文化振興事業部会・実行委員会:21団体・個人\" against \"文化振興事業部会・実行委員会:32団体・個人\""
        ],
        "{PDF}"
    );

    // Over the corpus plan (a later version than the draft: 3-3-4's budget
    // is 4,960千円 there, neither 6,166 nor 6,227), nothing is applied in
    // any format, and the views are the plan.
    let plan = parse("corpus/text/minato-2022-plan.txt");
    let (plan_view, n) = view(&plan, &xlsx);
    assert_eq!(n, 0);
    for rel in WORKBOOKS.iter().chain([&TEXT, &PDF]) {
        let (v, n) = view(&plan, &parse(rel));
        assert_eq!(n, 0, "{rel}");
        assert_eq!(v, plan_view, "{rel}");
    }
}
