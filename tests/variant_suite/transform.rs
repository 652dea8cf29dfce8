//! The transformations real wards' releases show, each turning a fixture's
//! text into a variant and carrying the fixture's facts along.
//!
//! A split point inside a cell or line is written as [`BREAK`]; the text
//! path makes it a new row in the same column (a table) or a new line
//! (running text), the workbook path a line break inside the cell.

use super::facts::{Expect, Fact, Step};
use super::{Dialect, Fixture};
use regex::Regex;
use std::sync::LazyLock;

/// Where a printed line or cell wraps.
pub const BREAK: char = '\u{2028}';

pub struct Variant {
    pub text: String,
    pub facts: Vec<Fact>,
}

pub struct Transform {
    pub name: &'static str,
    /// The name in file names (`<fixture>--<slug>.txt`).
    pub slug: &'static str,
    /// What the transformation does, for the table.
    pub what: &'static str,
    pub apply: fn(&Fixture, &str, &[Fact]) -> Option<Variant>,
}

pub const ALL: &[Transform] = &[
    Transform {
        name: "as published",
        slug: "as-published",
        what: "the fixture unchanged",
        apply: |_, t, f| {
            Some(Variant {
                text: t.to_string(),
                facts: f.to_vec(),
            })
        },
    },
    Transform {
        name: "other ward and year",
        slug: "other-ward-and-year",
        what: "another ward's name everywhere; every era and bare year two years on",
        apply: ward_year,
    },
    Transform {
        name: "令和元年度",
        slug: "reiwa-gan",
        what: "every year shifted so the document is 令和元年度 (2019): 元年度, 30年度, 29年度 in the body",
        apply: |fx, t, f| shift_to(fx, t, f, 2019),
    },
    Transform {
        name: "Heisei",
        slug: "heisei",
        what: "every year shifted into 平成 (a 2017 plan, targets printed 平成32年度; the older report to 平成25年度)",
        apply: |fx, t, f| shift_to(fx, t, f, if fx.year.unwrap_or(2022) >= 2019 { 2017 } else { 2013 }),
    },
    Transform {
        name: "decorated labels",
        slug: "decorated",
        what: "labels in brackets and marks: 【区の目標（…）】, ■様式3, 【現状】, 【アウトカム(成果)指標】(…), 〔…〕",
        apply: decorated,
    },
    Transform {
        name: "spaced labels",
        slug: "spaced",
        what: "labels spaced as a justified cell prints them: 区 の 目 標, 具体的 取組, 自 己 評 価, 決 算 額",
        apply: spaced,
    },
    Transform {
        name: "wrapped labels",
        slug: "wrapped",
        what: "labels wrapped in a narrow cell or line: 前年度までの / 実績, 【撤退・再構 / 築基準】, 2 決算 / 額",
        apply: wrapped,
    },
    Transform {
        name: "ids and money",
        slug: "ids-and-money",
        what: "ids in other brackets and dashes (〔1-2-2 …〕, １－１－１, a full id 1-1-1 in a review table), money as 12,411,000円, 3,255万円, full-width figures",
        apply: ids_money,
    },
    Transform {
        name: "headings otherwise",
        slug: "headings",
        what: "headings in other wordings: a strategy's title on the line after `めざす成果及び戦略1-1`, initiatives as `【1-1-1】title` and `〔1-1-2〕 title`, an issue's title beside `経営課題1`",
        apply: headings_otherwise,
    },
    Transform {
        name: "renumbered",
        slug: "renumbered",
        what: "issues renumbered (n → n+2), a strategy renumbered; in the plan an initiative removed (the later ones renumbered) and one added",
        apply: renumbered,
    },
    Transform {
        name: "unknown blocks",
        slug: "unknown-blocks",
        what: "blocks no form has (【参考資料】…) inserted between the forms' blocks",
        apply: unknown_blocks,
    },
    Transform {
        name: "body years",
        slug: "body-years",
        what: "bare years printed era-lettered (R3年度, H29年度), and body rows with title words and another year (R3年度 区政会議 …) that outnumber the title",
        apply: body_years,
    },
    Transform {
        name: "form 1 page, bracketed",
        slug: "form1-page",
        what: "a later generation's ward page: 様式1 alone under a bracketed title, every label in brackets (【区の目標】, 【区の使命】, 【令和4年度 区運営の基本的な考え方】)",
        apply: form1_page,
    },
    Transform {
        name: "one line per row",
        slug: "one-line-per-row",
        what: "every cell's text cut into printed lines of its column's width, 14 to 24 characters (line breaking rules kept: no line starts with 、。・」), each its own row, no blank rows",
        apply: |fx, t, f| one_line_per_row(fx, t, f, width_of),
    },
    Transform {
        name: "one line per row, narrow",
        slug: "one-line-per-row-narrow",
        what: "as one line per row, every column 12 characters wide",
        apply: |fx, t, f| one_line_per_row(fx, t, f, |_| 12),
    },
];

// ---- years ---------------------------------------------------------------

const REIWA: i32 = 2018;
const HEISEI: i32 = 1988;

static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<era>令和|平成|[RHＲＨ])?(?P<sp>[ 　]?)(?P<n>元|[0-9０-９]{1,2})(?P<sp2>[ 　]?)(?P<unit>年度|年|決算額|予算額)|(?P<g>(?:19|20)[0-9]{2})(?P<gunit>年度)",
    )
    .expect("year regex")
});

fn digits(s: &str) -> (i32, bool) {
    let full = s.chars().any(|c| ('０'..='９').contains(&c));
    let v = s
        .chars()
        .map(|c| {
            if ('０'..='９').contains(&c) {
                char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c)
            } else {
                c
            }
        })
        .collect::<String>();
    (if v == "元" { 1 } else { v.parse().unwrap_or(0) }, full)
}

fn width(n: i32, full: bool) -> String {
    let s = n.to_string();
    if full {
        s.chars()
            .map(|c| char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap_or(c))
            .collect()
    } else {
        s
    }
}

/// Every era and bare year of a text moved by the same number of years;
/// `from` is the document's year (bare years are read in its era), `to`
/// the variant's (they are printed in its era, as a document of that year
/// prints them: a plan of 2017 writes a 2020 target 平成32年度).
pub fn shift_years(text: &str, from: i32, to: i32) -> String {
    let k = to - from;
    let render_base = |g: i32| if to < 2019 || g < 2019 { HEISEI } else { REIWA };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for c in YEAR.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        // Not inside a longer number (`12年度` is read whole, `3.1` is no year).
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|b| b.is_ascii_digit() || ('０'..='９').contains(&b) || b == '.' || b == ',') {
            continue;
        }
        let after = text[m.end()..].chars().next();
        let rendered = if let Some(g) = c.name("g") {
            format!("{}{}", g.as_str().parse::<i32>().unwrap_or(0) + k, "年度")
        } else {
            let era = c.name("era").map(|e| e.as_str());
            let unit = &c["unit"];
            // A bare `3年` is a duration or a date, not a fiscal year.
            if unit == "年" && (era.is_none() || after == Some('間')) {
                continue;
            }
            let (n, full) = digits(&c["n"]);
            let g = match era {
                Some("令和" | "R" | "Ｒ") => REIWA + n,
                Some(_) => HEISEI + n,
                None => {
                    let base = if from >= 2019 { REIWA } else { HEISEI };
                    if base + n > from + 6 { HEISEI + n } else { base + n }
                }
            };
            let g2 = g + k;
            let base = render_base(g2);
            let n2 = g2 - base;
            let era2 = match era {
                None => String::new(),
                Some("令和" | "平成") => if base == REIWA { "令和" } else { "平成" }.to_string(),
                Some("Ｒ" | "Ｈ") => if base == REIWA { "Ｒ" } else { "Ｈ" }.to_string(),
                Some(_) => if base == REIWA { "R" } else { "H" }.to_string(),
            };
            let num = if n2 == 1 && !matches!(era, Some("R" | "H" | "Ｒ" | "Ｈ")) {
                "元".to_string()
            } else {
                width(n2, full)
            };
            format!("{era2}{}{num}{}{unit}", &c["sp"], &c["sp2"])
        };
        out.push_str(&text[last..m.start()]);
        out.push_str(&rendered);
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

/// The year a fixture's bare years are read in (a digest naming none is
/// read as its targets' era, 令和).
fn context_year(fx: &Fixture) -> i32 {
    fx.year.unwrap_or(2022)
}

fn map_facts(facts: &[Fact], text: &dyn Fn(&str) -> String, year: &dyn Fn(i32) -> i32) -> Vec<Fact> {
    facts.iter().map(|f| f.map(text, year)).collect()
}

// ---- wards ---------------------------------------------------------------

/// Another ward for a fixture's ward: (name, code).
fn other_ward(name: &str) -> (&'static str, &'static str) {
    match name {
        "港区" => ("東住吉区", "271217"),
        _ => ("此花区", "271047"),
    }
}

fn ward_year(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    let from = context_year(fx);
    let to = from + 2;
    let ward = fx.ward.map(|w| (w, other_ward(w)));
    let rename = |s: &str| match ward {
        Some((w, (to_name, _))) => s.replace(w, to_name),
        None => s.to_string(),
    };
    let t = |s: &str| shift_years(&rename(s), from, to);
    let mut out = map_facts(facts, &t, &|y| y + 2);
    if let Some((_, (_, code))) = ward {
        for f in &mut out {
            if f.ends_with_key("code") {
                f.want = Expect::Json(serde_json::json!(code));
            }
        }
    }
    Some(Variant {
        text: t(text),
        facts: out,
    })
}

fn shift_to(fx: &Fixture, text: &str, facts: &[Fact], to: i32) -> Option<Variant> {
    let from = context_year(fx);
    let k = to - from;
    let t = |s: &str| shift_years(s, from, to);
    Some(Variant {
        text: t(text),
        facts: map_facts(facts, &t, &|y| y + k),
    })
}

// ---- labels --------------------------------------------------------------

/// Apply (regex, replacement) pairs in turn; None if none matched.
fn replace_all(text: &str, rules: &[(&str, &str)]) -> Option<String> {
    let mut t = text.to_string();
    let mut any = false;
    for (pat, rep) in rules {
        let re = Regex::new(pat).expect("rule regex");
        if re.is_match(&t) {
            any = true;
            t = re.replace_all(&t, *rep).into_owned();
        }
    }
    any.then_some(t)
}

fn same_facts(facts: &[Fact]) -> Vec<Fact> {
    facts.to_vec()
}

fn decorated(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    let rules: &[(&str, &str)] = match fx.dialect {
        Dialect::Markdown => &[
            (r"(?m)^(#+ )戦略", "${1}■戦略"),
            (r"(?m)^(#+ )経営課題", "${1}◆経営課題"),
            (r"(?m)^具体的取組\t", "【具体的取組】\t"),
        ],
        _ => &[
            (r"区の目標（何をめざすのか）", "【区の目標（何をめざすのか）】"),
            (
                r"区の使命（どのような役割を担うのか）",
                "■区の使命（どのような役割を担うのか）",
            ),
            (r"(?m)^(令和.年度 区運営の基本的な考え方（区長の方針）)", "【$1】"),
            (r"現状（課題設定の根拠となる現状・データ）", "【現状】"),
            (r"要因分析（", "◆要因分析（"),
            (
                r"課題（上記要因を解消するために必要なこと）",
                "【課題（上記要因を解消するために必要なこと）】",
            ),
            (r"めざすべき将来像（", "◆めざすべき将来像（"),
            (
                r"アウトカム（成果）指標（めざす状態を数値化した指標）",
                "【アウトカム(成果)指標】(めざす状態を数値化した指標)",
            ),
            (
                r"プロセス[（(]過程[）)]指標[（(]取組によりめざす指標[）)]",
                "【プロセス(過程)指標】(取組によりめざす指標)",
            ),
            (r"戦略（中期的な取組の方向性）", "【戦略（中期的な取組の方向性）】"),
            (r"当年度の取組内容", "【当年度の取組内容】"),
            (r"前年度までの実績", "■前年度までの実績"),
            (
                r"「市政改革プラン3\.1」に基づく取組等（様式3）",
                "■様式3 「市政改革プラン3.1」に基づく取組等",
            ),
            (
                r"重点的に取り組む主な経営課題（様式[2２]）",
                "■重点的に取り組む主な経営課題（様式2）",
            ),
            (r"(?m)(^|\t)具体的取組([0-9１-９])", "${1}◆具体的取組$2"),
            (r"(?m)^めざす成果", "■めざす成果"),
            (r"(?m)^アウトカム指標$", "【アウトカム指標】"),
            (r"(?m)^戦略$", "【戦略】"),
            (r"(?m)^めざす状態（", "【めざす状態】（"),
            (r"(\t)めざす成果および戦略(\t|$)", "$1【めざす成果および戦略】$2"),
            (r"(\t)具体的取組(\t|$)", "$1【具体的取組】$2"),
        ],
    };
    Some(Variant {
        text: replace_all(text, rules)?,
        facts: same_facts(facts),
    })
}

fn spaced(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    let rules: &[(&str, &str)] = match fx.dialect {
        Dialect::Markdown => &[
            (r"(?m)^具体的取組\t", "具 体 的 取 組\t"),
            (r"\t達成状況と課題・改善策", "\t達成状況と 課題・改善策"),
        ],
        _ => &[
            (r"区の目標", "区 の 目 標"),
            (r"区の使命", "区　の　使　命"),
            (r"具体的取組", "具体的 取組"),
            (r"(?m)(^|\t)自己評価(\t|$)", "${1}自 己 評 価$2"),
            (r"(?m)(^|\t)計画(\t|$)", "${1}計　画$2"),
            (r"(?m)(^|\t)中間振り返り(\t|$)", "${1}中 間 振 り 返 り$2"),
            (r"決算額", "決 算 額"),
            (r"予算額", "予 算 額"),
            (r"前年度までの実績", "前年度までの 実績"),
            (r"当年度の取組内容", "当年度の 取組 内容"),
            (r"要因分析", "要 因 分 析"),
            (r"めざすべき将来像", "めざすべき 将来像"),
            (r"(?m)(^|\t)めざす状態", "${1}め ざ す 状 態"),
            (r"(?m)^アウトカム指標$", "アウトカム 指標"),
            (r"めざす成果および戦略", "めざす成果 および 戦略"),
        ],
    };
    Some(Variant {
        text: replace_all(text, rules)?,
        facts: same_facts(facts),
    })
}

fn wrapped(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    if matches!(fx.dialect, Dialect::Markdown) || fx.name.contains("progress") {
        return None;
    }
    let b = BREAK;
    let rules: Vec<(String, String)> = [
        ("前年度までの実績", "前年度までの", "実績"),
        ("当年度の取組内容", "当年度の", "取組内容"),
        ("決算額", "決算", "額"),
        ("区の目標（", "区の目", "標（"),
        ("現状（課題設定の根拠", "現状（課題設定の根拠", ""),
        ("【撤退・再構築基準】", "【撤退・再構", "築基準】"),
        (
            "戦略のアウトカム指標に対する有効性",
            "戦略のアウトカム指標に",
            "対する有効性",
        ),
        ("アウトカム（成果）指標（", "アウトカム（成果）", "指標（"),
        ("プロセス（過程）指標（", "プロセス（過程）指", "標（"),
        ("(?m)^めざす成果及び戦略", "めざす成果及び", "戦略"),
    ]
    .iter()
    .filter(|(_, _, tail)| !tail.is_empty())
    .map(|(pat, head, tail)| (pat.to_string(), format!("{head}{b}{tail}")))
    .collect();
    let rules: Vec<(&str, &str)> = rules.iter().map(|(a, c)| (a.as_str(), c.as_str())).collect();
    Some(Variant {
        text: replace_all(text, &rules)?,
        facts: same_facts(facts),
    })
}

// ---- ids and money ----------------------------------------------------------

static MONEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<n>[0-9]{1,3}(?:,[0-9]{3})*)千円").expect("money regex"));

/// `12,411千円` printed three other ways, in turn: in yen, in 万円 (where it
/// divides), in full-width figures.
fn money_other_ways(text: &str) -> String {
    let mut i = 0;
    MONEY
        .replace_all(text, |c: &regex::Captures| {
            i += 1;
            let n: u64 = c["n"].replace(',', "").parse().unwrap_or(0);
            match i % 3 {
                0 => format!("{}円", group(n * 1000)),
                1 if n.is_multiple_of(10) => format!("{}万円", group(n / 10)),
                _ => {
                    let s = format!("{}千円", &c["n"]);
                    s.chars()
                        .map(|ch| match ch {
                            '0'..='9' => char::from_u32(ch as u32 - 0x30 + 0xFF10).unwrap_or(ch),
                            ',' => '，',
                            o => o,
                        })
                        .collect()
                }
            }
        })
        .into_owned()
}

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn full_width_id(id: &str) -> String {
    id.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap_or(c),
            '-' => '－',
            o => o,
        })
        .collect()
}

fn ids_money(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    let t = match fx.dialect {
        Dialect::Markdown => {
            // A review table's first column with the full id (`1-1-1 人と…`),
            // and strategy ids in full width.
            let strat = Regex::new(r"^#+ .*戦略\s*([0-9]+-[0-9]+)").expect("re");
            let item = Regex::new(r"^(<p>)?([0-9]+) ").expect("re");
            let mut cur: Option<String> = None;
            let mut out = Vec::new();
            for line in text.lines() {
                if let Some(c) = strat.captures(line) {
                    cur = Some(c[1].to_string());
                    out.push(line.replace(&c[1], &full_width_id(&c[1])));
                    continue;
                }
                match (&cur, item.captures(line)) {
                    (Some(s), Some(c)) if line.contains('\t') => {
                        let p = c.get(1).map_or("", |m| m.as_str());
                        out.push(item.replace(line, format!("{p}{s}-{} ", &c[2]).as_str()).into_owned());
                    }
                    _ => out.push(line.to_string()),
                }
            }
            out.join("\n") + "\n"
        }
        _ => {
            let rules: &[(&str, &str)] = &[
                (r"【([0-9]+-[0-9]+-[0-9]+)([^】]*)】", "〔$1$2〕"),
                (r"【([0-9]+-[0-9]+) ([^】]*)】", "［$1 $2］"),
                (r"【経営課題([0-9]+)】", "〔経営課題$1〕"),
                (r"\[([0-9]+-[0-9]+)\]", "〔$1〕"),
                (r"\[([0-9]+-[0-9]+-[0-9]+)\]", "【$1】"),
            ];
            let t = replace_all(text, rules).unwrap_or_else(|| text.to_string());
            // Heading ids in full width.
            let heading = Regex::new(r"(具体的取組|めざす成果及び戦略\s*)([0-9]+-[0-9]+(?:-[0-9]+)?)").expect("re");
            let t = heading
                .replace_all(&t, |c: &regex::Captures| format!("{}{}", &c[1], full_width_id(&c[2])))
                .into_owned();
            let line_id = Regex::new(r"(?m)^([0-9]+-[0-9]+-[0-9]+)$").expect("re");
            let t = line_id
                .replace_all(&t, |c: &regex::Captures| full_width_id(&c[1]))
                .into_owned();
            money_other_ways(&t)
        }
    };
    (t != text).then(|| Variant {
        text: t,
        facts: same_facts(facts),
    })
}

// ---- renumbering -------------------------------------------------------------

static ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<a>[0-9０-９]+)(?P<d1>[-－])(?P<b>[0-9０-９]+)(?:(?P<d2>[-－])(?P<c>[0-9０-９]+))?")
        .expect("id regex")
});
static ISSUE_NO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"経営課題(?P<sp>[ 　]*)(?P<n>[0-9０-９]+)").expect("issue regex"));

/// Rewrite every id (`1-2-3`, `１－２`) and issue number (`経営課題1`) of
/// a text through `f` (on id parts).
fn rewrite_ids(text: &str, f: &dyn Fn(&[i32]) -> Vec<i32>) -> String {
    let t = ID
        .replace_all(text, |c: &regex::Captures| {
            let parts: Vec<(i32, bool)> = ["a", "b", "c"]
                .iter()
                .filter_map(|k| c.name(k).map(|m| digits(m.as_str())))
                .collect();
            let nums: Vec<i32> = parts.iter().map(|p| p.0).collect();
            let new = f(&nums);
            let full = parts[0].1;
            let dash = &c["d1"];
            new.iter().map(|n| width(*n, full)).collect::<Vec<_>>().join(dash)
        })
        .into_owned();
    ISSUE_NO
        .replace_all(&t, |c: &regex::Captures| {
            let (n, full) = digits(&c["n"]);
            format!("経営課題{}{}", &c["sp"], width(f(&[n])[0], full))
        })
        .into_owned()
}

fn id_string(parts: &[i32]) -> String {
    parts.iter().map(i32::to_string).collect::<Vec<_>>().join("-")
}

fn parse_id(s: &str) -> Option<Vec<i32>> {
    s.split('-').map(|p| p.parse().ok()).collect()
}

/// The fact with its ids and issue numbers passed through `f`.
fn renumber_fact(fact: &Fact, f: &dyn Fn(&[i32]) -> Vec<i32>) -> Fact {
    let mut out = fact.clone();
    for st in &mut out.path {
        match st {
            Step::Number(n) => *n = f(&[*n as i32])[0] as u32,
            Step::Id(id) => {
                if let Some(p) = parse_id(id) {
                    *id = id_string(&f(&p));
                }
            }
            _ => {}
        }
    }
    if let Expect::Json(serde_json::Value::String(s)) = &out.want
        && s.contains('-')
        && let Some(p) = parse_id(s)
    {
        out.want = Expect::Json(serde_json::json!(id_string(&f(&p))));
    }
    out
}

/// Lines of a table release from the row naming an initiative to the next
/// heading (or the end).
fn block(lines: &[&str], id: &str) -> Option<(usize, usize)> {
    let start = lines.iter().position(|l| l.contains(&format!("具体的取組{id}")))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.contains("具体的取組") || l.contains("めざす成果及び戦略"))
        .map_or(lines.len(), |k| start + 1 + k);
    Some((start, end))
}

fn renumbered(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    // The issue numbers move on by two; strategy 1-2 becomes 1-5.
    let global = |p: &[i32]| -> Vec<i32> {
        let mut v = p.to_vec();
        if v.len() >= 2 && v[0] == 1 && v[1] == 2 {
            v[1] = 5;
        }
        v[0] += 2;
        v
    };
    let mut text = text.to_string();
    let mut facts: Vec<Fact> = facts.to_vec();
    if fx.dialect == Dialect::Tsv && fx.name.contains("plan") {
        // Initiative 1-1-2 removed, 1-1-3 and 1-1-4 renumbered down; a copy
        // of 1-2-3 added as 1-2-4.
        let lines: Vec<&str> = text.lines().collect();
        let (s2, e2) = block(&lines, "1-1-2")?;
        let (s3, e3) = block(&lines, "1-2-3")?;
        let copy: Vec<String> = lines[s3..e3].iter().map(|l| l.replace("1-2-3", "1-2-4")).collect();
        let mut out: Vec<String> = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if (s2..e2).contains(&i) {
                continue;
            }
            out.push(l.to_string());
            if i + 1 == e3 {
                out.extend(copy.iter().cloned());
            }
        }
        let local = |p: &[i32]| -> Vec<i32> {
            let mut v = p.to_vec();
            if v.len() == 3 && v[0] == 1 && v[1] == 1 && v[2] >= 3 {
                v[2] -= 1;
            }
            v
        };
        text = rewrite_ids(&(out.join("\n") + "\n"), &local);
        let mut kept = Vec::new();
        for f in &facts {
            let s = super::facts::path_string(&f.path);
            if s.contains("[1-1-2]") {
                continue;
            }
            let mut g = renumber_fact(f, &local);
            if s == "issues[#1].strategies[1-1].initiatives" {
                g.want = Expect::Count(3);
            }
            if s == "issues[#1].strategies[1-2].initiatives" {
                g.want = Expect::Count(4);
            }
            if s.contains("[1-2-3]") {
                let mut c = g.clone();
                for st in &mut c.path {
                    if let Step::Id(id) = st
                        && id == "1-2-3"
                    {
                        *id = "1-2-4".to_string();
                    }
                }
                kept.push(c);
            }
            kept.push(g);
        }
        facts = kept;
    }
    let text = rewrite_ids(&text, &global);
    let facts = facts.iter().map(|f| renumber_fact(f, &global)).collect();
    Some(Variant { text, facts })
}

// ---- blocks no form has ---------------------------------------------------------

const UNKNOWN: &[&str] = &[
    "【参考資料】区内の主な施設",
    "・区民センター（多目的ホール）",
    "・区立図書館",
];

fn unknown_blocks(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    let block = match fx.dialect {
        Dialect::Tsv | Dialect::PdfText => UNKNOWN.join("\n"),
        Dialect::Markdown => format!("## {}\n\n{}", UNKNOWN[0], UNKNOWN[1..].join("\n")),
    };
    let mut out = Vec::new();
    let mut inserted = 0;
    let mut first = true;
    for line in text.lines() {
        let heading = line.contains("具体的取組1-1-2")
            || line.contains("具体的取組１－１－２")
            || line.starts_with("めざす成果及び戦略")
            || line.starts_with("## 戦略1-2")
            || line.starts_with("区政運営基本方針の成果目標の達成に向けた取組状況について") && !first;
        if line.starts_with("区政運営基本方針の成果目標の達成に向けた取組状況について") {
            first = false;
        }
        if heading && inserted < 2 {
            out.push(String::new());
            out.push(block.clone());
            out.push(String::new());
            inserted += 1;
        }
        out.push(line.to_string());
    }
    if inserted == 0 {
        return None;
    }
    let mut facts = facts.to_vec();
    facts.push(super::facts::parse("warnings ~ \"区内の主な施設\"").remove(0));
    Some(Variant {
        text: out.join("\n") + "\n",
        facts,
    })
}

// ---- years in the body -------------------------------------------------------------

fn body_years(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    let year = fx.year?;
    // Bare years era-lettered.
    let bare =
        Regex::new(r"(?P<pre>^|[^0-9０-９RHＲＨ和成.,])(?P<n>元|[0-9]{1,2})(?P<unit>年度|決算額|予算額)").expect("re");
    let t = bare
        .replace_all(text, |c: &regex::Captures| {
            let (n, _) = digits(&c["n"]);
            let base = if year >= 2019 { REIWA } else { HEISEI };
            let g = if base + n > year + 6 { HEISEI + n } else { base + n };
            let (l, m) = if g >= 2019 { ("R", g - REIWA) } else { ("H", g - HEISEI) };
            format!("{}{l}{m}{}", &c["pre"], &c["unit"])
        })
        .into_owned();
    // Three body rows naming the previous year beside title words.
    let prev = year - 1;
    let l = if prev >= 2019 {
        format!("R{}", prev - REIWA)
    } else {
        format!("H{}", prev - HEISEI)
    };
    let rows = format!(
        "【参考】区政会議の開催状況\n{l}年度 第1回区政会議（運営方針について）\n{l}年度 第2回区政会議（運営方針について）\n{l}年度 第3回区政会議（運営方針について）"
    );
    let mut out: Vec<String> = Vec::new();
    let mut done = false;
    for line in t.lines() {
        if !done
            && (line.contains("具体的取組1-1-2")
                || line.starts_with("## 戦略1-2")
                || line.starts_with("めざす成果及び戦略2"))
        {
            out.push(String::new());
            out.push(rows.clone());
            out.push(String::new());
            done = true;
        }
        out.push(line.to_string());
    }
    if !done {
        out.push(String::new());
        out.push(rows);
    }
    Some(Variant {
        text: out.join("\n") + "\n",
        facts: facts.to_vec(),
    })
}

// ---- one printed line per row ------------------------------------------------------

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>").expect("tag regex"));

/// Characters a printed line may not start with (line breaking rules,
/// 行頭禁則): they stay at the end of the line before.
const NO_LINE_START: &str = "、。，．,.・：；:;）)」』】〕］}ーぁぃぅぇぉっゃゅょァィゥェォッャュョ%％";

/// A cell's text cut into printed lines of `w` characters, as a sheet
/// prints it (a character that may not start a line hangs on the line
/// before).
fn lines_of(cell: &str, w: usize) -> Vec<String> {
    let t = TAG.replace_all(cell, "");
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut n = 0;
    for c in t.trim().chars() {
        if n >= w && !NO_LINE_START.contains(c) {
            out.push(std::mem::take(&mut cur));
            n = 0;
        }
        cur.push(c);
        n += 1;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The printed width of a column, in characters: the sheet's columns are
/// not all as wide.
fn width_of(col: usize) -> usize {
    [22, 16, 18, 24, 14, 20, 16, 18][col % 8]
}

fn one_line_per_row(fx: &Fixture, text: &str, facts: &[Fact], width: fn(usize) -> usize) -> Option<Variant> {
    if fx.dialect != Dialect::Tsv || fx.name.contains("progress") {
        return None;
    }
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<Vec<String>> = line
            .split('\t')
            .enumerate()
            .map(|(i, c)| lines_of(c, width(i)))
            .collect();
        let n = cells.iter().map(Vec::len).max().unwrap_or(0);
        for k in 0..n {
            let row: Vec<&str> = cells.iter().map(|c| c.get(k).map_or("", String::as_str)).collect();
            out.push(row.join("\t").trim_end().to_string());
        }
    }
    Some(Variant {
        text: out.join("\n") + "\n",
        facts: facts.to_vec(),
    })
}

// ---- a later generation's page ------------------------------------------------------

fn form1_page(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    if fx.dialect != Dialect::Tsv || !fx.name.contains("plan") {
        return None;
    }
    let year = fx.year?;
    let ward = fx.ward?;
    let end = text.find("◆自己評価")?;
    let body = &text[..end];
    let rules: &[(&str, &str)] = &[
        (r"(?m)^◆計画\n", ""),
        (r"(?m)^区の目標（何をめざすのか）$", "【区の目標】"),
        (r"(?m)^区の使命（どのような役割を担うのか）$", "【区の使命】"),
        (r"(?m)^(令和.年度 区運営の基本的な考え方)（区長の方針）$", "【$1】"),
    ];
    let t = replace_all(body, rules)?;
    let title = format!("【令和{}年度 {ward}運営方針】\n\n", year - REIWA);
    let keep = [
        "kind",
        "ward",
        "fiscal_year",
        "goal",
        "mission",
        "policy",
        "key_issues",
        "reform_items",
    ];
    let facts = facts
        .iter()
        .filter(|f| matches!(f.path.first(), Some(Step::Key(k)) if keep.contains(&k.as_str())))
        .cloned()
        .collect();
    Some(Variant {
        text: title + &t,
        facts,
    })
}

// ---- headings in other wordings ----------------------------------------------------------

fn headings_otherwise(fx: &Fixture, text: &str, facts: &[Fact]) -> Option<Variant> {
    if !fx.name.contains("plan") {
        return None;
    }
    let id = r"[0-9０-９]+[-－][0-9０-９]+";
    let rules: Vec<(String, String)> = vec![
        (
            format!(r"(?m)^めざす成果及び戦略[ 　]*({id})[ 　]*【([^】]+)】"),
            format!("めざす成果及び戦略$1{BREAK}$2"),
        ),
        (
            format!(r"具体的取組({id}[-－][0-9０-９]+)[ 　]*【([^】]+)】"),
            "【$1】$2".to_string(),
        ),
        (
            format!(r"(?m)^具体的取組({id}[-－][0-9０-９]+)\n\n【([^】]+)】"),
            "〔$1〕 $2".to_string(),
        ),
        (
            r"(?m)^(経営課題[0-9０-９]+)\n\n【([^】]+)】".to_string(),
            "$1　$2".to_string(),
        ),
        (
            r"(?m)^(経営課題[0-9０-９]+)[ 　]*【([^】]+)】".to_string(),
            "$1　$2".to_string(),
        ),
    ];
    let rules: Vec<(&str, &str)> = rules.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    Some(Variant {
        text: replace_all(text, &rules)?,
        facts: same_facts(facts),
    })
}
