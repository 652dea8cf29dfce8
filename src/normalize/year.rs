//! Fiscal years: the Gregorian year in which the fiscal year starts.
//!
//! 令和4年度, R4, R４, ４年度 (in a 2022 document) → 2022; 元年度 → 2019;
//! 平成28年度, H28 → 2016; 平成31年度 → 2019. A bare year (`2年度`) takes
//! the era of the document's own year; a bare year that would fall more than
//! [`BARE_YEAR_HORIZON`] years after the document's year belongs to the era
//! before (in a 2022 plan `29年度` is 平成29 = 2017, while `5年度` is a
//! target for 令和5 = 2023).

use regex::Regex;
use std::sync::LazyLock;

/// How far ahead of its own year a document looks with a bare year. Plans
/// set targets three to five years out (めざす状態＜概ね3～5年間＞); six
/// leaves room for one more without reaching back into the previous era's
/// late years (a 2022 plan's `29年度` is 2017, not 2047).
pub const BARE_YEAR_HORIZON: i32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    Showa,
    Heisei,
    Reiwa,
}

impl Era {
    /// The Gregorian year of the era's year 1.
    fn base(self) -> i32 {
        match self {
            Era::Showa => 1925,
            Era::Heisei => 1988,
            Era::Reiwa => 2018,
        }
    }

    fn before(self) -> Option<Era> {
        match self {
            Era::Reiwa => Some(Era::Heisei),
            Era::Heisei => Some(Era::Showa),
            Era::Showa => None,
        }
    }

    /// The era a Gregorian fiscal year is named in (2019 is 令和元年度).
    pub fn of(year: i32) -> Era {
        if year >= 2019 {
            Era::Reiwa
        } else if year >= 1989 {
            Era::Heisei
        } else {
            Era::Showa
        }
    }

    fn from_name(s: &str) -> Option<Era> {
        Some(match s {
            "令和" | "R" | "r" | "Ｒ" => Era::Reiwa,
            "平成" | "H" | "h" | "Ｈ" => Era::Heisei,
            "昭和" | "S" | "Ｓ" => Era::Showa,
            _ => return None,
        })
    }
}

/// A year expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearMatch {
    pub year: i32,
    /// Byte range of the expression in the searched text.
    pub start: usize,
    pub end: usize,
}

static ERA_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<era>令和|平成|昭和)\s*(?P<n>元|[0-9０-９]{1,2})\s*(?:年度|年)?
      | (?P<ab>[RHSＲＨＳ])\.?\s*(?P<m>元|[0-9０-９]{1,2})(?:\s*(?:年度|年)|$|[^0-9０-９])
      | (?P<g>(?:19|20)[0-9]{2})\s*年度
      | (?P<bare>元|[0-9０-９]{1,2})\s*年度",
    )
    .expect("year regex")
});

fn number(s: &str) -> Option<i32> {
    if s == "元" {
        return Some(1);
    }
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    ascii.parse().ok()
}

/// The year of era `era`'s year `n`.
pub fn era_year(era: Era, n: i32) -> i32 {
    era.base() + n
}

/// A bare `n年度`, resolved against the document's year (see module doc).
pub fn bare_year(n: i32, doc_year: i32) -> i32 {
    let era = Era::of(doc_year);
    let y = era_year(era, n);
    if y > doc_year + BARE_YEAR_HORIZON
        && let Some(before) = era.before()
    {
        return era_year(before, n);
    }
    y
}

/// Every fiscal-year expression in `text`, in order. Bare years are skipped
/// when the document's year is unknown (they cannot be placed in an era).
pub fn find_years(text: &str, doc_year: Option<i32>) -> Vec<YearMatch> {
    let mut out = Vec::new();
    for caps in ERA_YEAR.captures_iter(text) {
        let whole = caps.get(0).expect("match");
        let (year, end) = if let (Some(era), Some(n)) = (caps.name("era"), caps.name("n")) {
            (
                Era::from_name(era.as_str())
                    .zip(number(n.as_str()))
                    .map(|(e, n)| era_year(e, n)),
                whole.end(),
            )
        } else if let (Some(ab), Some(m)) = (caps.name("ab"), caps.name("m")) {
            // `R3` must not be the tail of a word (`NPO`, `HR3`).
            let before = text[..ab.start()].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let y = Era::from_name(ab.as_str())
                .zip(number(m.as_str()))
                .map(|(e, n)| era_year(e, n));
            // The alternative may have consumed one following character.
            let end = if whole.as_str().ends_with("年度") || whole.as_str().ends_with('年') {
                whole.end()
            } else {
                m.end()
            };
            (y, end)
        } else if let Some(g) = caps.name("g") {
            (g.as_str().parse().ok(), whole.end())
        } else if let Some(b) = caps.name("bare") {
            // A digit run longer than two (`2022年度` handled above; `123年度`)
            // is not a bare year.
            let before = text[..b.start()].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
                continue;
            }
            (
                doc_year.and_then(|d| number(b.as_str()).map(|n| bare_year(n, d))),
                whole.end(),
            )
        } else {
            (None, whole.end())
        };
        if let Some(year) = year {
            out.push(YearMatch {
                year,
                start: whole.start(),
                end,
            });
        }
    }
    out
}

/// The first fiscal year named in `text`.
pub fn parse_fiscal_year(text: &str, doc_year: Option<i32>) -> Option<i32> {
    find_years(text, doc_year).first().map(|m| m.year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn era_names() {
        assert_eq!(parse_fiscal_year("令和4年度 区運営の基本的な考え方", None), Some(2022));
        assert_eq!(parse_fiscal_year("令和４年度　港区運営方針", None), Some(2022));
        assert_eq!(parse_fiscal_year("平成28年度", None), Some(2016));
        assert_eq!(parse_fiscal_year("平成31年度", None), Some(2019));
        assert_eq!(parse_fiscal_year("令和元年度", None), Some(2019));
        assert_eq!(parse_fiscal_year("令和3年度末までに41.5%以上", None), Some(2021));
    }

    #[test]
    fn abbreviations() {
        assert_eq!(parse_fiscal_year("R4", None), Some(2022));
        assert_eq!(parse_fiscal_year("R４年度", None), Some(2022));
        assert_eq!(parse_fiscal_year("R2年度自己評価を踏まえ変更", None), Some(2020));
        assert_eq!(parse_fiscal_year("H29年度までに50%以上", None), Some(2017));
        assert_eq!(parse_fiscal_year("H28", None), Some(2016));
        // Not an era: part of a word.
        assert_eq!(parse_fiscal_year("NPOR3", None), None);
    }

    #[test]
    fn bare_years_take_the_documents_era() {
        assert_eq!(parse_fiscal_year("2年度", Some(2022)), Some(2020));
        assert_eq!(parse_fiscal_year("２年度", Some(2022)), Some(2020));
        assert_eq!(parse_fiscal_year("４年度", Some(2022)), Some(2022));
        assert_eq!(parse_fiscal_year("元年度", Some(2022)), Some(2019));
        // In a 2022 plan 29年度 is 平成29.
        assert_eq!(parse_fiscal_year("29年度:49.9%", Some(2022)), Some(2017));
        // A target a year ahead stays in the era.
        assert_eq!(parse_fiscal_year("5年度:90.0%以上", Some(2022)), Some(2023));
        // In a 2016 report 26年度 is 平成26.
        assert_eq!(parse_fiscal_year("26年度 10地域 559人", Some(2016)), Some(2014));
        // Unknown document year: a bare year cannot be placed.
        assert_eq!(parse_fiscal_year("2年度", None), None);
    }

    #[test]
    fn gregorian_years() {
        assert_eq!(parse_fiscal_year("2025年度", None), Some(2025));
    }

    #[test]
    fn finds_every_year_in_order() {
        let ys: Vec<i32> = find_years("29年度:49.9%→元年度:48.4%→2年度:48.1% 4年度:55%以上", Some(2022))
            .iter()
            .map(|m| m.year)
            .collect();
        assert_eq!(ys, [2017, 2019, 2020, 2022]);
    }
}
