//! Words joined across line breaks: Japanese text joined with no space,
//! Latin words keep one; items (bullets, marks) start a new paragraph.

/// Join two pieces of one wrapped line.
pub fn join_two(a: &str, b: &str) -> String {
    let a = a.trim_end();
    let b = b.trim_start();
    let mut s = String::with_capacity(a.len() + b.len() + 1);
    s.push_str(a);
    if needs_space(a.chars().next_back(), b.chars().next()) {
        s.push(' ');
    }
    s.push_str(b);
    s
}

fn needs_space(last: Option<char>, first: Option<char>) -> bool {
    match (last, first) {
        // A figure and its per cent sign are one word (`38.6` / `%以上`).
        (Some(l), Some('%')) if l.is_ascii_digit() => false,
        (Some(l), Some(f)) => latin(l) && latin(f),
        _ => false,
    }
}

fn latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | ';' | ':' | ')' | '(' | '%' | '&' | '\'' | '"')
}

/// Whether a line starts a new item rather than continuing a wrapped one.
pub fn starts_item(line: &str) -> bool {
    let t = line.trim_start();
    let Some(c) = t.chars().next() else { return true };
    if "・●○◎◆◇■□▪※★☆→".contains(c) {
        return true;
    }
    if t.starts_with("- ") || t.starts_with("-・") {
        return true;
    }
    // Circled numbers and marks: ① ㊦ ㋐
    if super::marks::is_list_mark_glyph(c) {
        return true;
    }
    // (1) （1） <2年度> ＜ 3年度 ＞ 【…】
    if matches!(c, '【' | '<' | '＜' | '〈' | '[' | '〔' | '{') {
        return true;
    }
    if (c == '(' || c == '（')
        && t.chars()
            .nth(1)
            .is_some_and(|d| d.is_ascii_digit() || ('０'..='９').contains(&d))
    {
        return true;
    }
    false
}

/// Join physical lines into paragraphs: a blank line or an item start
/// begins a new paragraph; any other line continues the one before.
pub fn join_wrapped<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            open = false;
            continue;
        }
        if open
            && !starts_item(t)
            && let Some(last) = out.last_mut()
        {
            *last = join_two(last, t);
            continue;
        }
        out.push(t.to_string());
        open = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_joins_without_space() {
        // From the revision release (text pulled from a PDF).
        assert_eq!(
            join_two(
                "区民主体のまちづくりに向けて、身近な地域の中で生活課題などの解決",
                "に取り組む地域コミュニティの活性化を促す必要がある。"
            ),
            "区民主体のまちづくりに向けて、身近な地域の中で生活課題などの解決に取り組む地域コミュニティの活性化を促す必要がある。"
        );
        assert_eq!(join_two("活動支援などの件数:20", "件"), "活動支援などの件数:20件");
        assert_eq!(join_two("区民の割合:38.6", "%以上"), "区民の割合:38.6%以上");
    }

    #[test]
    fn latin_words_keep_one_space() {
        assert_eq!(join_two("ward", "management"), "ward management");
        assert_eq!(join_two("公式", "YouTube"), "公式YouTube");
        assert_eq!(join_two("We ComPass", "事業"), "We ComPass事業");
    }

    #[test]
    fn bullets_start_new_paragraphs() {
        let lines = [
            "・少人数世帯・高齢単身世帯の増加、マンションなどの共同住宅の増加といった地域コミュニティを取り巻く社会環境の変化や、ICTの進展による人と人との相",
            "対のコミュニケーションの減少",
            "・地域活動協議会では自律的に",
            "",
            "次の段落",
        ];
        let p = join_wrapped(lines);
        assert_eq!(p.len(), 3);
        assert!(p[0].ends_with("人と人との相対のコミュニケーションの減少"));
        assert_eq!(p[1], "・地域活動協議会では自律的に");
        assert_eq!(p[2], "次の段落");
    }
}
