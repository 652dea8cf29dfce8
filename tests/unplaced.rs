//! Unplaced text, kept whole, on releases written here (variants of the
//! plan's 様式1 as text pulled from a PDF prints it): what is left is one
//! piece per paragraph however many lines it wraps over; a vertical
//! label's characters are a label, not content (a vertical label that
//! spells none, or a stray mark under no open field, is listed as
//! `label_fragment` or `noise`); a 様式1 field whose label
//! stands with nothing under it takes the one paragraph under no label,
//! and only where there is exactly one.

mod common;

use common::yoshiki;
use serde_json::Value;

const GOAL: &str = "区の目標（何をめざすのか）\n\n「暮らして楽しい」「遊んで楽しい」「働いて楽しい」まち　港区の実現\n";
const MISSION: &str = "区の使命（どのような役割を担うのか）\n\n豊かなコミュニティの形成や多様な協働による活力とうるおいのある地域社会をめざす。\n";
const POLICY_LABEL: &str = "令和４年度　区運営の基本的な考え方（区長の方針）\n";
const POLICY: &str = "港区民のつながりの強さや、港区各エリアが持つ歴史的文化的な魅力など、港区の「強み」を生かして、\n「区民主体のまちづくり」の実現をめざして、コロナ禍に対応しながら施策・事業に\n重点的に取り組む。\n";

fn parse(text: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("release.txt");
    std::fs::write(&p, text).expect("write");
    yoshiki(&["parse", p.to_str().expect("utf-8")], dir.path()).json()
}

fn content(d: &Value) -> Vec<String> {
    d["unplaced"]
        .as_array()
        .expect("unplaced")
        .iter()
        .filter(|u| u["kind"] == "content")
        .map(|u| u["text"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_paragraph_printed_before_its_label_is_the_fields_and_said_so() {
    // The policy paragraph printed first, its label later with nothing
    // under it (the revision release's page order).
    let text = format!("{POLICY}\n{GOAL}\n{MISSION}\n{POLICY_LABEL}\n");
    let d = parse(&text);
    assert!(
        d["policy"]
            .as_str()
            .unwrap_or("")
            .starts_with("港区民のつながりの強さや"),
        "{}",
        d["policy"]
    );
    assert!(d["policy"].as_str().unwrap_or("").ends_with("重点的に取り組む。"));
    assert!(
        d["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "value_paired_by_order" && w["message"].as_str().unwrap_or("").contains("policy")),
        "{}",
        d["warnings"]
    );
    assert!(content(&d).is_empty(), "{:?}", content(&d));
    assert_eq!(d["coverage"]["ratio"], 1.0);
}

#[test]
fn two_paragraphs_under_no_label_stay_unplaced_each_whole() {
    let stray = "この段落はどの欄にも属さない。\n二行にわたって印刷されている。\n";
    let text = format!("{POLICY}\n{stray}\n{GOAL}\n{MISSION}\n{POLICY_LABEL}\n");
    let d = parse(&text);
    assert_eq!(d["policy"], Value::Null, "two candidates: none is taken");
    let pieces = content(&d);
    assert_eq!(pieces.len(), 2, "{pieces:?}");
    // Each piece whole: its three (two) wrapped lines are one piece.
    assert!(pieces[0].starts_with("港区民のつながり") && pieces[0].ends_with("重点的に取り組む。"));
    assert_eq!(
        pieces[1],
        "この段落はどの欄にも属さない。二行にわたって印刷されている。"
    );
    let warnings: Vec<&Value> = d["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "unplaced_text")
        .collect();
    assert_eq!(warnings.len(), 2);
    assert!(warnings[1]["message"].as_str().unwrap_or("").contains("unplaced/1"));
    let c = &d["coverage"];
    assert!(c["ratio"].as_f64().unwrap() < 0.9, "{c}");
    assert_eq!(
        c["read"].as_u64().unwrap() - c["placed"].as_u64().unwrap(),
        pieces
            .iter()
            .map(|p| p.chars().filter(|c| !c.is_whitespace()).count() as u64)
            .sum::<u64>()
    );
}

#[test]
fn a_vertical_label_is_a_label_not_content() {
    // 自己評価 printed one character a line, as a PDF's vertical label comes
    // out as text.
    let text = format!("{GOAL}\n自\n己\n評\n価\n\n{MISSION}\n{POLICY_LABEL}\n{POLICY}");
    let d = parse(&text);
    assert!(content(&d).is_empty(), "{:?}", content(&d));
    assert_eq!(d["unplaced"], serde_json::json!([]));
    assert_eq!(d["coverage"]["ratio"], 1.0);
    // Read as content, the four characters would have been unplaced.
    assert!(!d["goal"].as_str().unwrap_or("").contains('自'));
}
