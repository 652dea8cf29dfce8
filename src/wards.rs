//! Osaka City's 24 wards with their national local-government codes
//! (全国地方公共団体コード, check digit included), as `MODEL.md` lists them.

use crate::model::Ward;

/// (code, name, romaji)
pub const WARDS: [(&str, &str, &str); 24] = [
    ("271021", "都島区", "miyakojima"),
    ("271039", "福島区", "fukushima"),
    ("271047", "此花区", "konohana"),
    ("271063", "西区", "nishi"),
    ("271071", "港区", "minato"),
    ("271080", "大正区", "taisho"),
    ("271098", "天王寺区", "tennoji"),
    ("271110", "浪速区", "naniwa"),
    ("271136", "西淀川区", "nishiyodogawa"),
    ("271144", "東淀川区", "higashiyodogawa"),
    ("271152", "東成区", "higashinari"),
    ("271161", "生野区", "ikuno"),
    ("271179", "旭区", "asahi"),
    ("271187", "城東区", "joto"),
    ("271195", "阿倍野区", "abeno"),
    ("271209", "住吉区", "sumiyoshi"),
    ("271217", "東住吉区", "higashisumiyoshi"),
    ("271225", "西成区", "nishinari"),
    ("271233", "淀川区", "yodogawa"),
    ("271241", "鶴見区", "tsurumi"),
    ("271250", "住之江区", "suminoe"),
    ("271268", "平野区", "hirano"),
    ("271276", "北区", "kita"),
    ("271284", "中央区", "chuo"),
];

fn ward(i: usize) -> Ward {
    let (code, name, romaji) = WARDS[i];
    Ward {
        code: code.to_string(),
        name: name.to_string(),
        romaji: romaji.to_string(),
    }
}

/// A ward from its code, its name (港区 or 港) or its romaji (minato).
pub fn lookup(s: &str) -> Option<Ward> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    WARDS
        .iter()
        .position(|(code, name, romaji)| {
            *code == s || *name == s || name.trim_end_matches('区') == s || *romaji == lower
        })
        .map(ward)
}

/// Every ward named in `text`, with the byte offset of each mention.
/// Longer names win where one contains another (東淀川区 is not 淀川区), and
/// a name must not continue a longer word (e.g. 「大阪市港区」 counts,
/// 「○○小学校区」 names no ward because no ward is called 校区).
pub fn mentions(text: &str) -> Vec<(usize, Ward)> {
    let mut order: Vec<usize> = (0..WARDS.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(WARDS[i].1.chars().count()));
    let mut taken = vec![false; text.len()];
    let mut out = Vec::new();
    for i in order {
        let name = WARDS[i].1;
        let mut from = 0;
        while let Some(pos) = text[from..].find(name) {
            let start = from + pos;
            let end = start + name.len();
            from = end;
            if taken[start..end].iter().any(|&t| t) {
                continue;
            }
            // Single-kanji wards (西区, 北区, 港区, 旭区) are easily part of
            // another word: 関西区域, 東北区間. Require the name to end a
            // word: the next character is not 域 or 間 (区域/区間/区分).
            let next = text[end..].chars().next();
            if matches!(next, Some('域' | '間' | '分' | '画' | '内' | '外' | '長' | '切')) {
                continue;
            }
            for t in &mut taken[start..end] {
                *t = true;
            }
            out.push((start, ward(i)));
        }
    }
    out.sort_by_key(|(p, _)| *p);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_by_code_name_and_romaji() {
        assert_eq!(lookup("271071").map(|w| w.name), Some("港区".into()));
        assert_eq!(lookup("港区").map(|w| w.code), Some("271071".into()));
        assert_eq!(lookup("港").map(|w| w.code), Some("271071".into()));
        assert_eq!(lookup("Taisho").map(|w| w.code), Some("271080".into()));
        assert_eq!(lookup("nowhere"), None);
    }

    #[test]
    fn longer_names_win() {
        let m = mentions("東淀川区と淀川区と西淀川区");
        let names: Vec<_> = m.iter().map(|(_, w)| w.name.as_str()).collect();
        assert_eq!(names, ["東淀川区", "淀川区", "西淀川区"]);
    }

    #[test]
    fn school_districts_and_residents_name_no_ward() {
        assert!(mentions("おおむね小学校区で区民が区役所に").is_empty());
        // 港区民 is a resident of 港区: it names the ward.
        assert_eq!(mentions("港区民のつながり").len(), 1);
        // 区域 after a single-kanji ward is not the ward.
        assert!(mentions("関西区域").is_empty());
    }
}
