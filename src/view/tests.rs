//! The merged view's tests: synthetic documents, one rule each.

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
        unplaced: Vec::new(),
        coverage: Default::default(),
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

const BUDGET_3_3_4: &str = "issues/3/strategies/3-3/initiatives/3-3-4/budgets/2022:budget";

fn money(text: &str, yen: i64) -> RevisedValue {
    RevisedValue {
        text: text.into(),
        money: Some(Money {
            yen: Some(yen),
            text: format!("{text}千円"),
        }),
        quantity: None,
    }
}

fn count(text: &str, n: f64) -> RevisedValue {
    RevisedValue {
        text: text.into(),
        money: None,
        quantity: Some(crate::model::Quantity {
            value: Some(n),
            unit: Some("件".into()),
            comparator: None,
            text: format!("{text}件"),
        }),
    }
}

fn revision(path: &str, before: RevisedValue, after: RevisedValue) -> Revision {
    Revision {
        before,
        after,
        path: Some(path.into()),
        at: Location::default(),
        evidence: crate::model::Evidence::Strikethrough,
        context: None,
        flag: None,
        readings: Vec::new(),
    }
}

#[test]
fn a_revision_is_applied_through_its_path_and_typed_value_only() {
    let mut plan = with_initiatives(
        doc(Kind::Plan, "aa", Some("271071"), Some(2022)),
        vec![initiative("3-3-4", Some(6_166_000)), initiative("3-3-5", Some(1_000))],
    );
    plan.goal = Some("目標".into());
    let mut rev = with_initiatives(
        doc(Kind::PlanRevision, "bb", Some("271071"), Some(2022)),
        vec![initiative("3-3-4", Some(6_227_000)), initiative("3-3-9", Some(5_000))],
    );
    // A value the revision document prints differently but marks as no
    // change (a damaged reading of its mission) is compared, not applied.
    rev.goal = Some("目".into());
    rev.revisions = vec![revision(
        BUDGET_3_3_4,
        money("6,166", 6_166_000),
        money("6,227", 6_227_000),
    )];
    let (v, dis, warn) = assemble(&[plan, rev]);
    assert_eq!(budget(&v, "3-3-4"), Some(6_227_000));
    assert_eq!(budget(&v, "3-3-5"), Some(1_000), "a value the revision lacks stays");
    assert_eq!(budget(&v, "3-3-9"), None, "an item no revision names is not added");
    assert_eq!(
        v.goal.as_deref(),
        Some("目標"),
        "content outside the revisions is never applied"
    );
    assert_eq!(v.revised_by, ["bb"]);
    let paths: Vec<&str> = v.revisions_applied.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, [BUDGET_3_3_4]);
    let c = &v.revisions_applied[0];
    assert_eq!((c.document.as_str(), c.revision), ("bb", 0));
    assert!(matches!(&c.before, Val::Json(b) if b["yen"] == 6_166_000));
    assert!(matches!(&c.after, Val::Json(a) if a["yen"] == 6_227_000 && a["text"] == "6,227千円"));
    let dpaths: Vec<&str> = dis.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(dpaths, ["goal", "issues/3/strategies/3-3/initiatives/3-3-9"], "{dis:?}");
    assert!(warn.is_empty(), "{warn:?}");
}

#[test]
fn a_revision_of_another_version_is_a_disagreement_and_a_damaged_one_is_never_applied() {
    let plan = with_initiatives(
        doc(Kind::Plan, "aa", None, None),
        vec![initiative("3-3-4", Some(4_960_000))],
    );
    let mut rev = with_initiatives(doc(Kind::PlanRevision, "bb", None, None), Vec::new());
    let mut damaged = revision(
        "issues/3/strategies/3-3/initiatives/3-3-4/title",
        RevisedValue::text("取組"),
        RevisedValue::text("取"),
    );
    damaged.flag = Some(RevisionFlag::Damaged);
    rev.revisions = vec![
        revision(BUDGET_3_3_4, money("6,166", 6_166_000), money("6,227", 6_227_000)),
        damaged,
    ];
    let (v, dis, warn) = assemble(&[plan, rev]);
    assert_eq!(
        budget(&v, "3-3-4"),
        Some(4_960_000),
        "neither old nor new: the view keeps its value"
    );
    assert!(v.revisions_applied.is_empty());
    assert_eq!(dis.len(), 1, "{dis:?}");
    assert_eq!(dis[0].path, BUDGET_3_3_4);
    assert!(
        matches!(&dis[0].values[1].value, Val::Revision(r) if r.after.money.as_ref().and_then(|m| m.yen) == Some(6_227_000))
    );
    assert_eq!(
        v.issues[0].strategies[0].initiatives[0].title.as_deref(),
        Some("取組3-3-4")
    );
    assert_eq!(warn.len(), 1, "{warn:?}");
    assert_eq!(warn[0].code, "revision_not_applied");
    assert!(warn[0].message.contains("damaged"), "{}", warn[0].message);
}

#[test]
fn an_ambiguous_value_is_applied_only_where_one_reading_agrees() {
    let item_path = "issues/3/strategies/3-3/initiatives/3-3-4/prior_results/2021/items/0";
    let mut init = initiative("3-3-4", Some(1_000));
    init.prior_results = vec![PriorResult {
        fiscal_year: Some(2021),
        items: vec!["記事の掲載 14件".into()],
        heading: None,
    }];
    let plan = with_initiatives(doc(Kind::Plan, "aa", None, None), vec![init.clone()]);
    let printed = RevisedValue::text("1419件");
    let reading = |b: &str, bn: f64, a: &str, an: f64| crate::model::Reading {
        before: count(b, bn),
        after: count(a, an),
    };
    let mut ambiguous = revision(item_path, printed.clone(), printed);
    ambiguous.flag = Some(RevisionFlag::Ambiguous);
    ambiguous.evidence = crate::model::Evidence::RevisedField;
    ambiguous.readings = vec![
        reading("1419", 1419.0, "1419", 1419.0),
        reading("1", 1.0, "419", 419.0),
        reading("14", 14.0, "19", 19.0),
        reading("141", 141.0, "9", 9.0),
    ];
    let mut text_rev = with_initiatives(doc(Kind::PlanRevision, "bb", None, None), Vec::new());
    text_rev.revisions = vec![ambiguous.clone()];
    // The plan says 14件: only 14 → 19 agrees.
    let (v, dis, _) = assemble(&[plan.clone(), text_rev.clone()]);
    assert_eq!(
        v.issues[0].strategies[0].initiatives[0].prior_results[0].items,
        ["記事の掲載 19件"]
    );
    assert!(dis.is_empty(), "{dis:?}");
    assert!(
        v.revisions_applied[0]
            .resolved
            .as_deref()
            .is_some_and(|r| r.contains("view"))
    );

    // A plan of another version (24件): no reading agrees, unless another
    // revision document of the group struck 14 for 19 there.
    let mut other = init;
    other.prior_results[0].items = vec!["記事の掲載 24件".into()];
    let plan24 = with_initiatives(doc(Kind::Plan, "aa", None, None), vec![other]);
    let (v, dis, _) = assemble(&[plan24.clone(), text_rev.clone()]);
    assert_eq!(
        v.issues[0].strategies[0].initiatives[0].prior_results[0].items,
        ["記事の掲載 24件"]
    );
    assert_eq!(dis.len(), 1, "{dis:?}");
    assert!(matches!(&dis[0].values[1].value, Val::Revision(r) if r.readings.len() == 4));
    let mut struck = with_initiatives(doc(Kind::PlanRevision, "cc", None, None), Vec::new());
    struck.revisions = vec![revision(item_path, count("14", 14.0), count("19", 19.0))];
    let (v, dis, _) = assemble(&[plan24, text_rev, struck]);
    assert_eq!(
        v.issues[0].strategies[0].initiatives[0].prior_results[0].items,
        ["記事の掲載 24件"]
    );
    // The struck revision conflicts with the plan (24); the ambiguous one,
    // read as the struck one, conflicts the same way: one disagreement.
    assert_eq!(dis.len(), 1, "{dis:?}");
    let docs: Vec<&str> = dis[0].values.iter().map(|c| c.document.as_str()).collect();
    assert_eq!(docs, ["aa", "cc", "bb"]);
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
    let mut r1 = with_initiatives(doc(Kind::PlanRevision, "bb", None, None), Vec::new());
    r1.revisions = vec![revision(BUDGET_3_3_4, money("1", 1_000), money("2", 2_000))];
    let mut r2 = with_initiatives(doc(Kind::PlanRevision, "cc", None, None), Vec::new());
    r2.revisions = vec![revision(BUDGET_3_3_4, money("1", 1_000), money("3", 3_000))];
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
