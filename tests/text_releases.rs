//! The five text releases, parsed as a new user would: copied under a
//! neutral name, and again re-encoded as Shift_JIS with CRLF line ends.
//! Every fact checked here was read off the release by hand.

mod common;

use common::{at, parse_as_shift_jis_crlf, parse_fixture};
use serde_json::{Value, json};

const PLAN: &str = "corpus/text/minato-2022-plan.txt";
const REVIEW: &str = "corpus/text/minato-2021-midterm-review.txt";
const REVISION: &str = "corpus/text/minato-2022-plan-revision.txt";
const DIGEST: &str = "corpus/text/unknown-ward-summary.txt";
const PROGRESS: &str = "corpus/text/taisho-2016-progress.txt";

/// Run a check on the release as published and as Shift_JIS + CRLF.
fn both(rel: &str, check: impl Fn(&Value, &str)) {
    let utf8 = parse_fixture(rel);
    check(&utf8, "UTF-8");
    let sjis = parse_as_shift_jis_crlf(rel);
    assert_eq!(sjis["source"]["encoding"], "Shift_JIS");
    assert_eq!(sjis["source"]["line_ending"], "CRLF");
    check(&sjis, "Shift_JIS");
    // The re-encoded file gives the same model.
    assert_eq!(
        common::without_provenance(&utf8),
        common::without_provenance(&sjis),
        "{rel}: UTF-8 and Shift_JIS differ"
    );
}

fn q(v: &Value) -> (Value, Value, Value) {
    (v["value"].clone(), v["unit"].clone(), v["comparator"].clone())
}

fn year_values(list: &Value) -> Vec<(Value, Value)> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|h| (h["fiscal_year"].clone(), h["value"]["value"].clone()))
        .collect()
}

#[test]
fn plan_kind_ward_year() {
    both(PLAN, |d, enc| {
        assert_eq!(d["kind"], "plan", "{enc}");
        assert_eq!(
            d["ward"],
            json!({"code": "271071", "name": "港区", "romaji": "minato"}),
            "{enc}"
        );
        assert_eq!(d["fiscal_year"], 2022, "{enc}");
        assert_eq!(d["detection"]["ward"]["by"], "content");
        assert!(d["goal"].as_str().unwrap().contains("港区の実現"));
        assert!(d["mission"].as_str().unwrap().starts_with("豊かなコミュニティの形成"));
        assert!(d["policy"].as_str().unwrap().starts_with("港区民のつながりの強さ"));
    });
}

#[test]
fn plan_form1_key_issues_and_budgets() {
    both(PLAN, |d, _| {
        let ki = d["key_issues"].as_array().unwrap();
        assert_eq!(
            ki.iter().map(|k| k["number"].as_u64().unwrap()).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6]
        );
        let budgets: Vec<(String, Value)> = ki
            .iter()
            .flat_map(|k| k["main_initiatives"].as_array().unwrap())
            .map(|m| (m["id"].as_str().unwrap().to_string(), m["budget"]["yen"].clone()))
            .collect();
        let expected = [
            ("1-2-2", 32_550_000),
            ("2-1-1", 2_025_000),
            ("2-2-1", 1_568_000),
            ("3-1-2", 14_955_000),
            ("3-3-4", 4_960_000),
            ("4-1-1", 515_000),
            ("4-2-1", 1_267_000),
            ("5-1-1", 1_632_000),
            ("5-2-1", 6_004_000),
            ("6-1-3", 482_000),
        ];
        let expected: Vec<(String, Value)> = expected.iter().map(|(i, y)| (i.to_string(), json!(y))).collect();
        assert_eq!(budgets, expected);
        // 2-1-1 prints `…を支援2,025千円)`, its opening bracket lost.
        let m = at(d, &["key_issues", "#2", "main_initiatives", "2-1-1"]);
        assert_eq!(m["budget"]["text"], "2,025千円");
        assert!(m["text"].as_str().unwrap().ends_with("促進を支援"));
        let s = at(d, &["key_issues", "#2", "strategies"]);
        assert_eq!(s.as_array().unwrap().len(), 2);
    });
}

#[test]
fn plan_form3_reform_items() {
    both(PLAN, |d, _| {
        let cats: Vec<&str> = d["reform_items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["category"].as_str().unwrap())
            .collect();
        assert_eq!(
            cats,
            ["歳入の確保(独自財源の確保)", "歳出等の削減", "市民利用施設の見直し"]
        );
        assert!(
            d["reform_items"][1]["content"]
                .as_str()
                .unwrap()
                .contains("経費の削減に努める")
        );
    });
}

#[test]
fn plan_issue_1_current_state() {
    both(PLAN, |d, _| {
        let i1 = at(d, &["issues", "#1"]);
        assert_eq!(i1["title"], "区民主体のまちづくり");
        assert!(i1["vision"].as_str().unwrap().contains("多様な主体の協働"));
        let cs: Vec<(Value, Value, Value)> = i1["current_state"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["value"]["value"].clone(),
                    o["value"]["unit"].clone(),
                    o["fiscal_year"].clone(),
                )
            })
            .collect();
        assert_eq!(
            cs,
            [
                (json!(48.1), json!("%"), json!(2020)),
                (json!(69), json!("%"), json!(2020)),
                (json!(93.4), json!("%"), json!(2020)),
                (json!(9), json!("件"), json!(2020)),
            ]
        );
        assert_eq!(i1["current_state"][0]["survey"], "区民モニターアンケート");
        assert_eq!(i1["current_state"][2]["survey"], "地域活動協議会構成団体アンケート");
        assert_eq!(i1["factor_analysis"].as_array().unwrap().len(), 3);
        assert_eq!(i1["challenges"].as_array().unwrap().len(), 3);
    });
}

#[test]
fn plan_strategies_indicators_and_initiatives() {
    both(PLAN, |d, _| {
        let i1 = at(d, &["issues", "#1"]);
        let ids: Vec<&str> = i1["strategies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["1-1", "1-2"]);
        let inits: Vec<&str> = i1["strategies"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["initiatives"].as_array().unwrap())
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(inits, ["1-1-1", "1-1-2", "1-1-3", "1-1-4", "1-2-1", "1-2-2", "1-2-3"]);

        let s11 = at(i1, &["strategies", "1-1"]);
        assert_eq!(s11["title"], "豊かなコミュニティの促進");
        let oi = &s11["outcome_indicators"][0];
        assert_eq!(
            year_values(&oi["history"]),
            [
                (json!(2017), json!(49.9)),
                (json!(2019), json!(48.4)),
                (json!(2020), json!(48.1))
            ]
        );
        assert_eq!(year_values(&oi["targets"]), [(json!(2022), json!(55))]);
        assert_eq!(oi["targets"][0]["value"]["comparator"], "gte");
        assert_eq!(s11["evaluation"], Value::Null, "the unfilled evaluation is null");

        let s12 = at(i1, &["strategies", "1-2"]);
        let ois = s12["outcome_indicators"].as_array().unwrap();
        assert_eq!(ois.len(), 2);
        assert_eq!(
            year_values(&ois[0]["history"]),
            [
                (json!(2017), json!(78.6)),
                (json!(2019), json!(79.6)),
                (json!(2020), json!(69))
            ]
        );
        assert_eq!(year_values(&ois[0]["targets"]), [(json!(2022), json!(85))]);
        assert_eq!(
            year_values(&ois[1]["history"]),
            [(json!(2019), json!(93.1)), (json!(2020), json!(93.4))]
        );
        assert_eq!(
            year_values(&ois[1]["targets"]),
            [(json!(2022), json!(89)), (json!(2023), json!(90))]
        );
    });
}

#[test]
fn plan_initiative_budgets_targets_thresholds() {
    both(PLAN, |d, _| {
        let s = |sid: &str, iid: &str| at(d, &["issues", "#1", "strategies", sid, "initiatives", iid]).clone();
        let budgets = |i: &Value| -> Vec<(Value, Value, Value)> {
            i["budgets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| (b["fiscal_year"].clone(), b["kind"].clone(), b["yen"].clone()))
                .collect()
        };
        assert_eq!(
            budgets(&s("1-1", "1-1-3")),
            [
                (json!(2020), json!("settled"), json!(12_411_000)),
                (json!(2021), json!("budget"), json!(12_315_000)),
                (json!(2022), json!("budget"), json!(12_217_000)),
            ]
        );
        assert_eq!(
            budgets(&s("1-1", "1-1-1")),
            [
                (json!(2020), json!("settled"), Value::Null),
                (json!(2021), json!("budget"), Value::Null),
                (json!(2022), json!("budget"), Value::Null)
            ]
        );
        assert_eq!(
            budgets(&s("1-2", "1-2-1"))
                .iter()
                .map(|b| b.2.clone())
                .collect::<Vec<_>>(),
            [json!(13_612_000), json!(13_590_000), json!(15_123_000)]
        );
        assert_eq!(
            budgets(&s("1-2", "1-2-2"))
                .iter()
                .map(|b| b.2.clone())
                .collect::<Vec<_>>(),
            [json!(21_240_000), json!(31_727_000), json!(32_550_000)]
        );
        let i111 = s("1-1", "1-1-1");
        assert_eq!(
            q(&i111["process_indicators"][0]["target"]),
            (json!(55), json!("%"), json!("gte"))
        );
        assert_eq!(
            q(&i111["rebuild_criteria"][0]["threshold"]),
            (json!(50), json!("%"), json!("lt"))
        );
        assert_eq!(i111["activities"].as_array().unwrap().len(), 4);
        assert_eq!(i111["prior_results"][0]["fiscal_year"], 2021);
        let i113 = s("1-1", "1-1-3");
        assert_eq!(
            q(&i113["rebuild_criteria"][0]["threshold"]),
            (json!(30), json!("団体・個人"), json!("lte"))
        );
        for (sid, iid, target, threshold) in [
            ("1-1", "1-1-2", 50, 45),
            ("1-2", "1-2-1", 95, 90),
            ("1-2", "1-2-3", 57, 50),
        ] {
            let i = s(sid, iid);
            assert_eq!(
                q(&i["process_indicators"][0]["target"]),
                (json!(target), json!("%"), json!("gte")),
                "{iid}"
            );
            assert_eq!(
                q(&i["rebuild_criteria"][0]["threshold"]),
                (json!(threshold), json!("%"), json!("lt")),
                "{iid}"
            );
        }
    });
}

#[test]
fn plan_unfilled_reviews_are_null_not_legends() {
    both(PLAN, |d, _| {
        for s in d["issues"][0]["strategies"].as_array().unwrap() {
            for i in s["initiatives"].as_array().unwrap() {
                assert_eq!(i["midterm_review"], Value::Null, "{}", i["id"]);
                assert_eq!(i["self_evaluation"], Value::Null, "{}", i["id"]);
            }
        }
        assert!(
            !d.to_string().contains("目標達成(見込)"),
            "a legend leaked into the model"
        );
    });
}

#[test]
fn midterm_review() {
    both(REVIEW, |d, _| {
        assert_eq!(d["kind"], "midterm_review");
        assert_eq!(d["ward"]["code"], "271071");
        assert_eq!(d["fiscal_year"], 2021);
        let strategies: Vec<&str> = d["issues"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|i| i["strategies"].as_array().unwrap())
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(strategies.len(), 19);
        assert_eq!(
            strategies,
            [
                "1-1", "1-2", "1-3", "2-1", "2-2", "2-3", "2-4", "3-1", "3-2", "3-3", "3-4", "3-5", "4-1", "4-2",
                "5-1", "5-2", "5-3", "6-1", "6-2"
            ]
        );
        let i = |s: &str, id: &str| {
            at(
                d,
                &["issues", &format!("#{}", &s[..1]), "strategies", s, "initiatives", id],
            )
            .clone()
        };
        let t = i("3-1", "3-1-2")["process_indicators"][0]["target"].clone();
        assert_eq!(q(&t), (json!(4400), json!("件"), Value::Null));
        let t = i("2-1", "2-1-3")["process_indicators"][0]["target"].clone();
        assert_eq!(q(&t), (json!(1), json!("箇所"), Value::Null));
        let r = i("1-1", "1-1-1")["midterm_review"].clone();
        assert_eq!(
            (r["achievement"].clone(), r["progress"].clone()),
            (json!("achieved"), json!("on_schedule"))
        );
        let r = i("1-1", "1-1-4")["midterm_review"].clone();
        assert_eq!(r["achievement"], "not_achieved");
        assert!(r["improvements"].as_str().unwrap().starts_with("生涯学習活動は"));
        let r = i("2-1", "2-1-1")["midterm_review"].clone();
        assert_eq!(
            (r["achievement"].clone(), r["progress"].clone()),
            (json!("achieved"), json!("behind_schedule"))
        );
        // 6-2 skips its item 2.
        let ids: Vec<&str> = at(d, &["issues", "#6", "strategies", "6-2", "initiatives"])
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["6-2-1", "6-2-3"]);
    });
}

#[test]
fn midterm_reposted_item_is_linked_not_duplicated() {
    both(REVIEW, |d, _| {
        let r = at(d, &["issues", "#3", "strategies", "3-3", "initiatives", "3-3-1"]);
        assert_eq!(r["reposted_from"], "3-1-2");
        assert_eq!(r["process_indicators"], json!([]));
        assert_eq!(r["midterm_review"], Value::Null);
        let orig = at(d, &["issues", "#3", "strategies", "3-1", "initiatives", "3-1-2"]);
        assert!(orig.get("reposted_from").is_none());
    });
}

#[test]
fn revision_fused_values_and_initiatives() {
    both(REVISION, |d, _| {
        assert_eq!(d["kind"], "plan_revision");
        assert_eq!(d["ward"]["code"], "271071");
        assert_eq!(d["fiscal_year"], 2022);
        let revs: Vec<(Value, Value, Value, Value)> = d["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["evidence"] == "digit_grouping")
            .map(|r| {
                (
                    r["before"]["money"]["yen"].clone(),
                    r["after"]["money"]["yen"].clone(),
                    r["path"].clone(),
                    r["before"]["text"].clone(),
                )
            })
            .collect();
        assert!(
            revs.contains(&(
                json!(32_268_000),
                json!(32_550_000),
                json!("key_issues/1/main_initiatives/1-2-2/budget"),
                json!("32,268千円")
            )),
            "{revs:?}"
        );
        assert!(
            revs.contains(&(
                json!(6_166_000),
                json!(6_227_000),
                json!("key_issues/3/main_initiatives/3-3-4/budget"),
                json!("6,166千円")
            )),
            "{revs:?}"
        );
        // Fused digits the text cannot split are flagged with every
        // reading, never kept silently as one number.
        let fused = d["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["after"]["text"] == "1419件")
            .expect("1419件 flagged");
        assert_eq!(fused["flag"], "ambiguous");
        assert_eq!(
            fused["path"],
            "issues/1/strategies/1-1/initiatives/1-1-1/prior_results/2021/items/0"
        );
        let readings: Vec<(Value, Value)> = fused["readings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["before"]["quantity"]["value"].clone(),
                    r["after"]["quantity"]["value"].clone(),
                )
            })
            .collect();
        assert_eq!(
            readings,
            [
                (json!(1419), json!(1419)),
                (json!(1), json!(419)),
                (json!(14), json!(19)),
                (json!(141), json!(9))
            ]
        );
        assert!(
            d["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["code"] == "revision_ambiguous" && w["message"].as_str().unwrap_or("").contains("1419件")),
            "no revision_ambiguous warning"
        );
        assert_eq!(
            at(d, &["key_issues", "#1", "main_initiatives", "1-2-2", "budget", "yen"]),
            &json!(32_550_000)
        );
        assert_eq!(
            at(d, &["key_issues", "#3", "main_initiatives", "3-3-4", "budget", "yen"]),
            &json!(6_227_000)
        );
        let i113 = at(d, &["issues", "#1", "strategies", "1-1", "initiatives", "1-1-3"]);
        let yen: Vec<Value> = i113["budgets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["yen"].clone())
            .collect();
        assert_eq!(yen, [json!(12_411_000), json!(12_315_000), json!(12_217_000)]);
        let i114 = at(d, &["issues", "#1", "strategies", "1-1", "initiatives", "1-1-4"]);
        assert_eq!(
            q(&i114["process_indicators"][0]["target"]),
            (json!(45), json!("%"), json!("gte"))
        );
        assert_eq!(
            q(&i114["rebuild_criteria"][0]["threshold"]),
            (json!(40), json!("%"), json!("lt"))
        );
        assert!(!d.to_string().contains("32,26832,550"), "the fused value leaked");
    });
}

#[test]
fn digest_without_ward() {
    both(DIGEST, |d, _| {
        assert_eq!(d["kind"], "summary");
        assert_eq!(d["ward"], Value::Null);
        assert!(d["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "no_ward"));
        let target = |sid: &str| {
            at(
                d,
                &[
                    "issues",
                    &format!("#{}", &sid[..1]),
                    "strategies",
                    sid,
                    "outcome_indicators",
                    "0",
                    "targets",
                    "0",
                ],
            )
            .clone()
        };
        let t = target("1-1");
        assert_eq!(
            (
                t["fiscal_year"].clone(),
                t["value"]["value"].clone(),
                t["value"]["comparator"].clone()
            ),
            (json!(2023), json!(90), json!("gte"))
        );
        let t = target("2-1");
        assert_eq!(
            (t["fiscal_year"].clone(), t["value"]["value"].clone()),
            (json!(2022), json!(70))
        );
        let t = target("4-2");
        assert_eq!(
            (
                t["fiscal_year"].clone(),
                t["value"]["value"].clone(),
                t["value"]["comparator"].clone()
            ),
            (json!(2021), json!(41.5), json!("gte"))
        );
        let p111: Vec<Value> = at(
            d,
            &[
                "issues",
                "#1",
                "strategies",
                "1-1",
                "initiatives",
                "1-1-1",
                "process_indicators",
            ],
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["target"]["value"].clone())
        .collect();
        assert_eq!(p111, [json!(69.1), json!(47), json!(49.4)]);
        let budget = |sid: &str, iid: &str| {
            at(
                d,
                &[
                    "issues",
                    &format!("#{}", &sid[..1]),
                    "strategies",
                    sid,
                    "initiatives",
                    iid,
                    "budgets",
                    "0",
                ],
            )
            .clone()
        };
        assert_eq!(budget("2-1", "2-1-1")["yen"], 2_607_000);
        assert_eq!(budget("2-1", "2-1-2")["yen"], 12_065_000);
        assert_eq!(budget("2-2", "2-2-3")["yen"], Value::Null);
        assert_eq!(budget("2-2", "2-2-3")["text"], "一 円");
        assert_eq!(budget("4-2", "4-2-2")["yen"], Value::Null);
        assert_eq!(budget("4-2", "4-2-2")["text"], "4-2-1を含む");
        assert_eq!(budget("4-2", "4-2-1")["yen"], 8_919_000);
    });
}

#[test]
fn older_progress_report() {
    both(PROGRESS, |d, _| {
        assert_eq!(d["kind"], "progress_report");
        assert_eq!(
            d["ward"],
            json!({"code": "271080", "name": "大正区", "romaji": "taisho"})
        );
        assert_eq!(d["fiscal_year"], 2016);
        let strategies: Vec<&str> = d["issues"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|i| i["strategies"].as_array().unwrap())
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(strategies, ["6-1", "7-1", "7-2", "8-1"]);
        let inits: Vec<&str> = d["issues"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|i| i["strategies"].as_array().unwrap())
            .flat_map(|s| s["initiatives"].as_array().unwrap())
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(inits, ["6-1-2", "6-1-3", "7-1-1", "7-2-1", "8-1-1"]);
        let init = |sid: &str, iid: &str| {
            at(
                d,
                &[
                    "issues",
                    &format!("#{}", &sid[..1]),
                    "strategies",
                    sid,
                    "initiatives",
                    iid,
                ],
            )
            .clone()
        };
        let i721 = init("7-2", "7-2-1");
        assert_eq!(
            q(&i721["process_indicators"][0]["target"]),
            (json!(80), json!("%"), json!("gte"))
        );
        assert_eq!(
            q(&i721["rebuild_criteria"][0]["threshold"]),
            (json!(60), json!("%"), json!("lt"))
        );
        let i811 = init("8-1", "8-1-1");
        assert_eq!(
            q(&i811["process_indicators"][0]["target"]),
            (json!(85), json!("%"), json!("gte"))
        );
        assert_eq!(
            q(&i811["rebuild_criteria"][0]["threshold"]),
            (json!(60), json!("%"), json!("lte"))
        );
        let s71 = at(d, &["issues", "#7", "strategies", "7-1"]);
        let t = &s71["outcome_indicators"][0]["targets"][0];
        assert_eq!(
            (
                t["fiscal_year"].clone(),
                t["value"]["value"].clone(),
                t["value"]["comparator"].clone()
            ),
            (json!(2017), json!(60), json!("gte"))
        );
        // The basic-policy items, their OCR'd marks read by position.
        let items: Vec<&str> = s71["basic_policy_items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["id"].as_str().unwrap())
            .collect();
        assert_eq!(items, ["1-(2)-ア", "1-(2)-イ", "1-(4)-イ"]);
        assert_eq!(
            s71["basic_policy_items"][0]["area"],
            "多様な主体の協働(マルチパートナーシップ)の実現"
        );
        let i612 = init("6-1", "6-1-2");
        assert_eq!(i612["basic_policy_items"][0]["id"], "1-(1)-ア");
        assert_eq!(i612["basic_policy_items"][0]["item"], "人と人とのつながりづくりの促進");
        let items811: Vec<&str> = i811["basic_policy_items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["id"].as_str().unwrap())
            .collect();
        assert_eq!(items811, ["2-(2)-ア", "2-(3)-ア", "2-(3)-イ"]);
    });
}
