//! Recognition on documents written here for the case they cover: what
//! makes a document a form (and what does not), a later generation's page
//! converted rather than refused, the title's year against years in the
//! body. (The fixtures' own variants are in tests/variants.rs.)

mod common;

use common::yoshiki;
use serde_json::Value;

fn parse_text(text: &str) -> common::Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("document.txt");
    std::fs::write(&p, text).expect("write");
    yoshiki(&["parse", p.to_str().expect("utf-8 path")], dir.path())
}

fn codes(doc: &Value) -> Vec<String> {
    doc["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn one_label_and_a_number_is_not_a_plan() {
    let run = parse_text("区の目標\n2\n");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("not a ward planning form"), "{}", run.stderr);
    assert!(
        run.stderr.contains("only 1 of the forms' evidence (区の目標)"),
        "{}",
        run.stderr
    );
    // Nor is a decorated one.
    let run = parse_text("【区の目標】\n港区\n");
    assert_eq!(run.code, 1, "{}", run.stdout);
}

#[test]
fn two_labels_of_the_forms_make_a_document() {
    let doc = parse_text("区の目標\n\n誰もが住みたいまち\n\n区の使命\n\n区民とともに歩む区役所\n").json();
    assert_eq!(doc["kind"], "plan");
    assert_eq!(doc["goal"], "誰もが住みたいまち");
    assert_eq!(doc["mission"], "区民とともに歩む区役所");
}

#[test]
fn a_later_generations_bracketed_page_is_converted() {
    let page = "【令和5年度 東成区運営方針】\n\n【区の目標】\n\n誰もが安心して暮らせるまち 東成区の実現\n\n【区の使命】\n\n区民と協働して地域の課題を解決する。\n\n【令和5年度 区運営の基本的な考え方（区長の方針）】\n\n地域とともに歩む区政を進める。\n\n【参考】区政会議の開催状況\n\nR4年度 第1回区政会議（運営方針について）\nR4年度 第2回区政会議（運営方針について）\nR4年度 第3回区政会議（運営方針について）\n";
    let doc = parse_text(page).json();
    assert_eq!(doc["kind"], "plan");
    assert_eq!(doc["ward"]["name"], "東成区");
    // The title's year, not the body rows' R4 (three of them).
    assert_eq!(doc["fiscal_year"], 2023);
    assert_eq!(doc["title"], "【令和5年度 東成区運営方針】");
    assert_eq!(doc["goal"], "誰もが安心して暮らせるまち 東成区の実現");
    assert_eq!(doc["mission"], "区民と協働して地域の課題を解決する。");
    assert_eq!(doc["policy"], "地域とともに歩む区政を進める。");
    // The block no form has is kept apart, said.
    let unplaced: Vec<&str> = doc["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["code"] == "unplaced_text")
        .filter_map(|w| w["message"].as_str())
        .collect();
    assert!(
        unplaced.iter().any(|m| m.contains("区政会議の開催状況")),
        "{unplaced:?}"
    );
    assert!(
        unplaced.iter().any(|m| m.contains("R4年度 第3回区政会議")),
        "{unplaced:?}"
    );
}

#[test]
fn a_document_no_rule_names_is_read_as_a_plan_and_says_so() {
    // Labels of 様式2 without the plan's goal, ids or title.
    let doc = parse_text(
        "めざすべき将来像\n地域の課題を地域で解決できるまち\n\n要因分析\n・担い手の高齢化\n\n前年度までの実績\n・説明会を開催\n",
    )
    .json();
    assert_eq!(doc["kind"], "plan");
    assert!(
        codes(&doc).contains(&"kind_uncertain".to_string()),
        "{}",
        doc["warnings"]
    );
    assert_eq!(doc["detection"]["kind"]["by"], "evidence");
}

#[test]
fn the_title_year_outvotes_years_in_body_rows() {
    let text = "令和5年度 港区運営方針 (素案)からの変更について\n\n区の目標\nまち\n区の使命\n使命\n\nR4年度 区政会議 第1回\nR4年度 区政会議 第2回\nR4年度 区政会議 第3回\n";
    let doc = parse_text(text).json();
    assert_eq!(doc["fiscal_year"], 2023);
    assert_eq!(doc["kind"], "plan_revision");
}
