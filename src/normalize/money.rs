//! Money: integer yen, null (never 0) for a blank or a dash; the printed
//! text is kept beside it.
//!
//! `32,550千円` → 32550000; `12,411千` → 12411000; `- 円`, `―円`, `一 円`
//! (a dash typed as the kanji 一) and a blank → null.

use super::width;
use crate::model::Money;
use regex::Regex;
use std::sync::LazyLock;

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)\s*(?P<mult>千|万|百万|億)?\s*(?P<yen>円)?",
    )
    .expect("amount regex")
});

/// A whole field that says "no amount": dashes, the kanji 一 used as a
/// dash, a lone 円, or nothing.
static NO_AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s\-‐―—－一ー−–]*円?[\s\-‐―—－一ー−–]*$").expect("no-amount regex"));

fn multiplier(m: Option<&str>) -> i64 {
    match m {
        Some("千") => 1_000,
        Some("万") => 10_000,
        Some("百万") => 1_000_000,
        Some("億") => 100_000_000,
        _ => 1,
    }
}

fn amount(num: &str, mult: Option<&str>) -> Option<i64> {
    let digits: String = num.chars().filter(|c| *c != ',').collect();
    let m = multiplier(mult);
    if let Some((int, frac)) = digits.split_once('.') {
        // 1.5千円 → 1500: exact in integer arithmetic.
        let scale = 10_i64.checked_pow(frac.len() as u32)?;
        let whole = int.parse::<i64>().ok()?.checked_mul(scale)?;
        let v = whole.checked_add(frac.parse::<i64>().ok()?)?.checked_mul(m)?;
        (v % scale == 0).then(|| v / scale)
    } else {
        digits.parse::<i64>().ok()?.checked_mul(m)
    }
}

/// Parse a field that holds one amount (a budget cell: `12,411千円`,
/// `- 円`). Anything without a figure is null with its text kept.
pub fn parse_money(text: &str) -> Money {
    let original = width::clean(text);
    if NO_AMOUNT.is_match(&original) {
        return Money {
            yen: None,
            text: original,
        };
    }
    let yen = AMOUNT.captures(&original).and_then(|c| {
        let has_unit = c.name("mult").is_some() || c.name("yen").is_some();
        // A bare number with neither 千 nor 円 is not money (`4-2-1を含む`).
        if !has_unit {
            return None;
        }
        amount(c.name("num")?.as_str(), c.name("mult").map(|m| m.as_str()))
    });
    Money { yen, text: original }
}

/// The amount at the end of a sentence, as 様式1 prints a main initiative's
/// budget: `…を支援する。(32,550千円)`, or with its opening bracket lost,
/// `…を支援2,025千円)`. Returns the sentence without it, and the money.
pub fn split_trailing_money(text: &str) -> Option<(String, Money)> {
    static TRAILING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[\(（]?\s*(?P<m>[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:千|万|百万|億)?\s*円|[\-―－一]\s*円)\s*[\)）]?\s*$")
            .expect("trailing money regex")
    });
    let t = width::clean(text);
    let caps = TRAILING.captures(&t)?;
    let whole = caps.get(0)?;
    let money = parse_money(caps.name("m")?.as_str());
    Some((t[..whole.start()].trim_end().to_string(), money))
}

/// Whether a whole field is money and nothing else (a digest's budget line
/// `77,153千円`, `一 円`).
pub fn is_money_only(text: &str) -> bool {
    static ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:千|万|百万|億)?\s*円|[\-―－一]\s*円)$")
            .expect("money-only regex")
    });
    ONLY.is_match(&width::clean(text))
}

/// A value printed with its struck-out predecessor fused in front of it, as
/// text pulled from a PDF gives it: `32,26832,550` is `32,268` then
/// `32,550`. Split where both halves are validly grouped numbers and the
/// whole is not; `None` if there is no such split or more than one.
pub fn split_fused_grouping(number: &str) -> Option<(String, String)> {
    static GROUPED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[0-9]{1,3}(?:,[0-9]{3})+$").expect("grouped regex"));
    static PLAIN_OR_GROUPED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:[0-9]{1,3}(?:,[0-9]{3})*)$").expect("grouped regex"));
    if !number.contains(',') || PLAIN_OR_GROUPED.is_match(number) {
        return None;
    }
    let mut found = None;
    for (i, _) in number.char_indices().skip(1) {
        let (a, b) = number.split_at(i);
        if GROUPED.is_match(a) && GROUPED.is_match(b) {
            if found.is_some() {
                return None;
            }
            found = Some((a.to_string(), b.to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yen(s: &str) -> Option<i64> {
        parse_money(s).yen
    }

    #[test]
    fn thousands_of_yen() {
        assert_eq!(yen("32,550千円"), Some(32_550_000));
        assert_eq!(yen("12,411千"), Some(12_411_000));
        assert_eq!(yen("１２，４１１千円"), Some(12_411_000));
        assert_eq!(yen("163千円"), Some(163_000));
        assert_eq!(yen("15,000円"), Some(15_000));
        assert_eq!(yen("1.5千円"), Some(1_500));
    }

    #[test]
    fn dashes_and_blanks_are_null_not_zero() {
        for s in ["- 円", "-", "―円", "一 円", "－円", "", "  ", "円"] {
            let m = parse_money(s);
            assert_eq!(m.yen, None, "{s:?}");
        }
        assert_eq!(parse_money("一 円").text, "一 円");
    }

    #[test]
    fn a_reference_is_not_an_amount() {
        let m = parse_money("4-2-1を含む");
        assert_eq!(m.yen, None);
        assert_eq!(m.text, "4-2-1を含む");
    }

    #[test]
    fn trailing_budget_of_a_main_initiative() {
        let (t, m) =
            split_trailing_money("地域活動協議会による地域課題への対応・解決に向けた取組を支援する。(32,550千円)")
                .unwrap();
        assert_eq!(t, "地域活動協議会による地域課題への対応・解決に向けた取組を支援する。");
        assert_eq!(m.yen, Some(32_550_000));
        // The opening bracket lost in the release.
        let (t, m) = split_trailing_money("避難行動要支援者の避難支援の取組の促進を支援2,025千円)").unwrap();
        assert_eq!(t, "避難行動要支援者の避難支援の取組の促進を支援");
        assert_eq!(m.yen, Some(2_025_000));
        assert!(split_trailing_money("予算はない").is_none());
    }

    #[test]
    fn money_only_lines() {
        assert!(is_money_only("77,153千円"));
        assert!(is_money_only("一 円"));
        assert!(!is_money_only("4-2-1を含む"));
        assert!(!is_money_only("・地域活動協議会への補助金交付"));
    }

    #[test]
    fn fused_values_split_by_digit_grouping() {
        assert_eq!(
            split_fused_grouping("32,26832,550"),
            Some(("32,268".into(), "32,550".into()))
        );
        assert_eq!(
            split_fused_grouping("6,1666,227"),
            Some(("6,166".into(), "6,227".into()))
        );
        // Valid numbers are not split.
        assert_eq!(split_fused_grouping("32,550"), None);
        assert_eq!(split_fused_grouping("1419"), None);
        assert_eq!(split_fused_grouping("12,411,000"), None);
    }
}
