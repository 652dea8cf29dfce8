//! What a ward site prints about the page rather than the document: its
//! page number (`ページ番号：565017`) and its dates (`2024年3月13日`,
//! `更新日：令和6年6月10日`), kept in `source`, not read as the form.

use crate::normalize;
use regex::Regex;
use std::sync::LazyLock;

/// `ページ番号：565017` → `565017`: a line that is only a page number.
pub fn page_number(line: &str) -> Option<String> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:ページ番号|ページID|ページ ID|記事番号)\s*[:：]?\s*([0-9]+)$").expect("re"));
    let t = normalize::clean(line);
    RE.captures(&t).and_then(|c| c.get(1)).map(|m| m.as_str().to_string())
}

/// A line that is only a date, perhaps labelled (`更新日：2024年3月13日`,
/// `令和6年6月10日`, `2024/03/13`): the date as `YYYY-MM-DD`.
pub fn date_line(line: &str) -> Option<String> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^[\[［(（]?(?:(?:最終)?(?:更新|掲載|公開|作成|登録|掲載開始|公開開始)日?(?:時)?\s*[:：]?\s*)?(?:(?P<y>(?:19|20)[0-9]{2})|(?P<era>令和|平成)\s*(?P<n>元|[0-9]{1,2}))\s*[年/.]\s*(?P<m>[0-9]{1,2})\s*[月/.]\s*(?P<d>[0-9]{1,2})\s*日?(?:\s*[(（][^)）]{1,3}[)）])?[\]］)）]?$",
        )
        .expect("re")
    });
    let t = normalize::clean(line);
    let c = RE.captures(&t)?;
    let year = match (c.name("y"), c.name("era"), c.name("n")) {
        (Some(y), _, _) => y.as_str().parse::<i32>().ok()?,
        (None, Some(era), Some(n)) => {
            let n = if n.as_str() == "元" {
                1
            } else {
                n.as_str().parse::<i32>().ok()?
            };
            let base = if era.as_str() == "令和" { 2018 } else { 1988 };
            base + n
        }
        _ => return None,
    };
    let month: u32 = c.name("m")?.as_str().parse().ok()?;
    let day: u32 = c.name("d")?.as_str().parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert_eq!(page_number("ページ番号：565017").as_deref(), Some("565017"));
        assert_eq!(page_number("ページ番号:５６５０１７").as_deref(), Some("565017"));
        assert_eq!(page_number("ページ番号を入力"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(date_line("2024年3月13日").as_deref(), Some("2024-03-13"));
        assert_eq!(date_line("更新日：令和6年6月10日").as_deref(), Some("2024-06-10"));
        assert_eq!(date_line("［掲載日：2021年8月10日］").as_deref(), Some("2021-08-10"));
        assert_eq!(date_line("平成元年4月1日（土）").as_deref(), Some("1989-04-01"));
        // A date inside a sentence, or a month without a day, is content.
        assert_eq!(date_line("令和3年 11月"), None);
        assert_eq!(date_line("令和3年11月5日に開催"), None);
    }
}
