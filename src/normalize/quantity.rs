//! Quantities with comparators: `55%以上` → 55, "%", gte; `50%未満` → lt;
//! `延べ30団体・個人以下` → 30, "団体・個人", lte; `前年認知件数以下` →
//! value null, comparator lte, text kept.
//!
//! A target sentence (`…と回答した割合:55%以上`, `…割合が50%未満であれば
//! 事業を再構築する`) holds its figure last; years (`平成29年度までに`),
//! dates (`3月末`) and bracketed asides (`(5点満点)`) are not the figure.

use super::{width, year};
use crate::model::{Comparator, Quantity};
use regex::Regex;
use std::sync::LazyLock;

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?").expect("number regex"));

/// Comparator words, longest first, with what they mean after a figure.
const COMPARATORS: &[(&str, Comparator)] = &[
    ("を上回る", Comparator::Gt),
    ("を上回った", Comparator::Gt),
    ("を上回っ", Comparator::Gt),
    ("を下回る", Comparator::Lt),
    ("を下回った", Comparator::Lt),
    ("を下回っ", Comparator::Lt),
    ("を下回り", Comparator::Lt),
    ("を超える", Comparator::Gt),
    ("を超え", Comparator::Gt),
    ("より多い", Comparator::Gt),
    ("より少ない", Comparator::Lt),
    ("以上", Comparator::Gte),
    ("以下", Comparator::Lte),
    ("未満", Comparator::Lt),
    ("超", Comparator::Gt),
];

/// Characters that end a unit: particles, punctuation, brackets, digits.
fn ends_unit(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_whitespace()
        || "のがをでにとはへやもか、。，．,.:;()（）[]【】「」『』<>＜＞・/／=＝→➝～~!?！？*".contains(c)
}

/// The unit after a figure: `%`, or a short run of words up to a
/// comparator or a particle (`件`, `団体・個人`, `箇所`).
fn read_unit(rest: &str) -> (Option<String>, usize) {
    let rest_trim = rest.trim_start();
    let skipped = rest.len() - rest_trim.len();
    if rest_trim.starts_with('%') || rest_trim.starts_with('％') {
        let n = rest_trim.chars().next().map(char::len_utf8).unwrap_or(1);
        return (Some("%".to_string()), skipped + n);
    }
    let mut unit = String::new();
    let mut used = 0;
    let mut chars = rest_trim.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if COMPARATORS.iter().any(|(w, _)| rest_trim[i..].starts_with(w)) {
            break;
        }
        // `・` joins two words of one unit (団体・個人) but not a list.
        if c == '・' && !unit.is_empty() {
            if let Some(&(_, n)) = chars.peek()
                && !ends_unit(n)
                && !unit.contains('・')
            {
                unit.push(c);
                used = i + c.len_utf8();
                continue;
            }
            break;
        }
        if ends_unit(c) || unit.chars().count() >= 8 {
            break;
        }
        unit.push(c);
        used = i + c.len_utf8();
    }
    if unit.is_empty() {
        (None, skipped)
    } else {
        (Some(unit), skipped + used)
    }
}

fn read_comparator(rest: &str) -> Option<Comparator> {
    let rest = rest.trim_start();
    COMPARATORS.iter().find(|(w, _)| rest.starts_with(w)).map(|(_, c)| *c)
}

/// Byte ranges that never hold the figure: year expressions, months, days.
fn date_ranges(text: &str) -> Vec<(usize, usize)> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[0-9]{1,2}\s*(?:月|日|時点|時)|[0-9]{1,4}\s*年(?:間|前|後)?|過去[0-9]+|[0-9]+\s*次|第\s*[0-9]+")
            .expect("date regex")
    });
    let mut out: Vec<(usize, usize)> = year::find_years(text, Some(2000))
        .iter()
        .map(|m| (m.start, m.end))
        .collect();
    out.extend(DATE.find_iter(text).map(|m| (m.start(), m.end())));
    out
}

/// Bracketed asides (`(5点満点)`, `(かつ前年度実績以上)`): the figure is
/// looked for outside them first.
fn aside_ranges(text: &str) -> Vec<(usize, usize)> {
    static ASIDE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[(（][^()（）]*[)）]").expect("aside regex"));
    ASIDE.find_iter(text).map(|m| (m.start(), m.end())).collect()
}

fn inside(ranges: &[(usize, usize)], m: &regex::Match) -> bool {
    ranges.iter().any(|&(s, e)| m.start() >= s && m.end() <= e)
}

/// A quantity found inside a sentence, with the byte range of its phrase
/// (`延べ30団体・個人以下`) in the normalised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The quantity; its `text` is the phrase.
    pub quantity: Quantity,
    /// The normalised sentence searched.
    pub sentence: String,
    pub start: usize,
    pub end: usize,
}

/// Find the target, threshold or observed value in a sentence.
pub fn locate_quantity(text: &str) -> Option<Located> {
    let t = width::clean(text);
    let dates = date_ranges(&t);
    let asides = aside_ranges(&t);
    let all: Vec<_> = NUMBER.find_iter(&t).filter(|m| !inside(&dates, m)).collect();
    let outside: Vec<_> = all.iter().filter(|m| !inside(&asides, m)).cloned().collect();
    let candidates = if outside.is_empty() { all } else { outside };
    // The figure is the last one outside asides; prefer one a comparator
    // follows (`50.3%以上(かつ前年度実績以上)`).
    let with_comparator = candidates.iter().rev().find(|m| {
        let (_, used) = read_unit(&t[m.end()..]);
        read_comparator(&t[m.end() + used..]).is_some()
    });
    if let Some(m) = with_comparator.or(candidates.last()) {
        let value: Option<f64> = m.as_str().replace(',', "").parse().ok();
        let (unit, used) = read_unit(&t[m.end()..]);
        let after_unit = m.end() + used;
        let comparator = read_comparator(&t[after_unit..]);
        let mut end = after_unit;
        if comparator.is_some() {
            let rest = &t[after_unit..];
            let skipped = rest.len() - rest.trim_start().len();
            let word = COMPARATORS
                .iter()
                .find(|(w, _)| rest.trim_start().starts_with(w))
                .map_or(0, |(w, _)| w.len());
            end = after_unit + skipped + word;
        }
        // A prefix that belongs to the figure: 延べ, 約.
        let mut start = m.start();
        for p in ["延べ", "約"] {
            if t[..start].trim_end().ends_with(p) {
                start = t[..start].trim_end().len() - p.len();
            }
        }
        let phrase = t[start..end].trim().to_string();
        return Some(Located {
            quantity: Quantity {
                value,
                unit,
                comparator,
                text: phrase,
            },
            sentence: t,
            start,
            end,
        });
    }
    // No figure: a comparator may still say which way (前年認知件数以下);
    // the phrase runs from the last colon to the comparator.
    let (pos, comparator, word) = COMPARATORS
        .iter()
        .filter_map(|(w, c)| t.rfind(w).map(|p| (p, *c, *w)))
        .max_by_key(|(p, _, _)| *p)?;
    let end = pos + word.len();
    let start = t[..pos]
        .rfind([':', '：'])
        .map_or(0, |c| c + t[c..].chars().next().map_or(1, char::len_utf8));
    Some(Located {
        quantity: Quantity {
            value: None,
            unit: None,
            comparator: Some(comparator),
            text: t[start..end].trim().to_string(),
        },
        sentence: t.clone(),
        start,
        end,
    })
}

/// Parse a value from its sentence; the quantity's `text` is the whole
/// (normalised) input.
pub fn parse_quantity(text: &str) -> Quantity {
    match locate_quantity(text) {
        Some(l) => Quantity {
            text: l.sentence,
            ..l.quantity
        },
        None => Quantity {
            value: None,
            unit: None,
            comparator: None,
            text: width::clean(text),
        },
    }
}

/// A field that is only a value (`48.1%`, `9件`, `93.4%`): its quantity.
pub fn parse_value_only(text: &str) -> Option<Quantity> {
    static ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:延べ|約)?\s*[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:%|[^\s0-9]{1,6})?\s*(?:以上|以下|未満|超)?$")
            .expect("value regex")
    });
    let t = width::clean(text);
    ONLY.is_match(&t).then(|| parse_quantity(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> (Option<f64>, Option<String>, Option<Comparator>) {
        let q = parse_quantity(s);
        (q.value, q.unit, q.comparator)
    }

    #[test]
    fn percentages_with_comparators() {
        assert_eq!(q("55%以上"), (Some(55.0), Some("%".into()), Some(Comparator::Gte)));
        assert_eq!(q("50%未満"), (Some(50.0), Some("%".into()), Some(Comparator::Lt)));
        assert_eq!(q("５５％以上"), (Some(55.0), Some("%".into()), Some(Comparator::Gte)));
        assert_eq!(q("90.0%以上"), (Some(90.0), Some("%".into()), Some(Comparator::Gte)));
    }

    #[test]
    fn targets_in_sentences() {
        assert_eq!(
            q(
                "区民モニターアンケートにおいて、住んでいる地域では日頃から近所どうしで「声かけ」、「見守り」、「助け合い」、「支え合い」が行われていると感じると回答した割合:55%以上"
            ),
            (Some(55.0), Some("%".into()), Some(Comparator::Gte))
        );
        assert_eq!(
            q("区民モニターアンケートにおいて、…回答した割合が50%未満であれば支援の方法を再構築する。"),
            (Some(50.0), Some("%".into()), Some(Comparator::Lt))
        );
        assert_eq!(
            q("左記目標が60%以下であれば、取組を再構築する"),
            (Some(60.0), Some("%".into()), Some(Comparator::Lte))
        );
        assert_eq!(
            q("評価の割合が50%を下回った場合は、事業を再構築する。"),
            (Some(50.0), Some("%".into()), Some(Comparator::Lt))
        );
        assert_eq!(
            q("参加者のアンケートにより区への愛着度が60%未満であれば事業手法を再検討する。"),
            (Some(60.0), Some("%".into()), Some(Comparator::Lt))
        );
    }

    #[test]
    fn units_other_than_percent() {
        assert_eq!(
            q("参画した団体やグループ、個人の数が延べ30団体・個人以下であれば事業を再構築する。"),
            (Some(30.0), Some("団体・個人".into()), Some(Comparator::Lte))
        );
        assert_eq!(
            q("要援護者からの年間相談延べ件数:4,400 件"),
            (Some(4400.0), Some("件".into()), None)
        );
        assert_eq!(
            q("新たに指定した津波避難ビルの数:1箇所"),
            (Some(1.0), Some("箇所".into()), None)
        );
        assert_eq!(
            q("(5点満点)での点数:3.5点以上"),
            (Some(3.5), Some("点".into()), Some(Comparator::Gte))
        );
        // Ordinals are not figures: 2次避難, 第2回.
        assert_eq!(
            q("2次避難・受入計画に基づく図上訓練を実施した区の数(24区)"),
            (Some(24.0), Some("区".into()), None)
        );
        // A figure printed only in brackets is still the figure.
        assert_eq!(
            q("「交通バリアフリー弁天町地区連絡調整会議」の開催(1回)"),
            (Some(1.0), Some("回".into()), None)
        );
    }

    #[test]
    fn years_and_asides_are_not_the_figure() {
        assert_eq!(
            q("割合:令和5年度までに90%以上"),
            (Some(90.0), Some("%".into()), Some(Comparator::Gte))
        );
        assert_eq!(
            q("H29年度までに50%以上"),
            (Some(50.0), Some("%".into()), Some(Comparator::Gte))
        );
        assert_eq!(
            q("割合を平成28年度までに全地域で80%以上"),
            (Some(80.0), Some("%".into()), Some(Comparator::Gte))
        );
        assert_eq!(
            q("「街頭犯罪に対する備えを日ごろから行っている」と回答した割合:50.3%以上(かつ前年度実績以上)"),
            (Some(50.3), Some("%".into()), Some(Comparator::Gte))
        );
        assert_eq!(
            q("不適切な事務処理事案の件数:過去3年平均件数(5件)の10%減の4件以下"),
            (Some(4.0), Some("件".into()), Some(Comparator::Lte))
        );
    }

    #[test]
    fn no_figure_keeps_the_comparator() {
        let x = parse_quantity("前年認知件数以下");
        assert_eq!(
            (x.value, x.unit.clone(), x.comparator),
            (None, None, Some(Comparator::Lte))
        );
        assert_eq!(x.text, "前年認知件数以下");
    }

    #[test]
    fn located_phrases() {
        let l = locate_quantity("参画した団体やグループ、個人の数が延べ30団体・個人以下であれば事業を再構築する。")
            .unwrap();
        assert_eq!(l.quantity.text, "延べ30団体・個人以下");
        let l = locate_quantity("…と回答した割合:55%以上").unwrap();
        assert_eq!(l.quantity.text, "55%以上");
        assert_eq!(&l.sentence[..l.start], "…と回答した割合:");
        let l = locate_quantity("子どもをねらった犯罪の発生件数:前年認知件数以下").unwrap();
        assert_eq!(l.quantity.text, "前年認知件数以下");
        assert!(locate_quantity("体制作りが出来ない場合は、事業の再構築を行う。").is_none());
    }

    #[test]
    fn value_only_fields() {
        assert_eq!(parse_value_only("48.1%").and_then(|q| q.value), Some(48.1));
        assert_eq!(parse_value_only("9件").map(|q| q.unit), Some(Some("件".into())));
        assert!(parse_value_only("区民モニターアンケート(2年度)").is_none());
    }
}
