//! HTML inside Markdown table cells (`<ul><li>…</li></ul>`, `<p>…</p>`,
//! `<b>`): block tags become item breaks (`\n`), other tags go, entities
//! are decoded.
//!
//! Written by hand: the cells hold fragments of a handful of tags, and a
//! full HTML5 parser (html5ever and its tree) would be a large dependency
//! for stripping them; a fragment that is not well formed still reads as
//! its text.

const BLOCK: [&str; 8] = ["li", "p", "br", "div", "tr", "ul", "ol", "h"];

/// Whether a line carries block-level HTML (a converter's table cells).
pub fn has_block_tags(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    ["<ul", "<li", "<p>", "<p ", "<br", "<div", "</p>"]
        .iter()
        .any(|t| lower.contains(t))
}

pub fn to_text(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.trim().to_string();
    }
    let mut items: Vec<String> = vec![String::new()];
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        push_text(&mut items, &rest[..lt]);
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            // A lone `<` is text (`<2年度>` has its `>`; `a < b` does not).
            push_text(&mut items, &rest[lt..lt + 1]);
            rest = after;
            continue;
        };
        let tag = &after[..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        // A tag's name ends at white space, `/` or `>`: `<R2年度>` is a
        // year in angle brackets, not an element named R2.
        let after_name = tag.trim_start_matches('/')[name.len()..].chars().next();
        let is_tag = !name.is_empty()
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && after_name.is_none_or(|c| c.is_whitespace() || c == '/');
        if !is_tag {
            // `<2年度>`, `<概ね3～5年間を念頭に設定>`: brackets in the text.
            push_text(&mut items, &rest[lt..lt + 1 + gt + 1]);
        } else if BLOCK
            .iter()
            .any(|b| name == *b || (name.starts_with('h') && name.len() == 2 && *b == "h"))
            && items.last().is_some_and(|l| !l.trim().is_empty())
        {
            items.push(String::new());
        }
        rest = &after[gt + 1..];
    }
    push_text(&mut items, rest);
    items
        .iter()
        .map(|i| i.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|i| !i.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn push_text(items: &mut [String], text: &str) {
    if let Some(last) = items.last_mut() {
        last.push_str(&decode_entities(text));
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').filter(|&p| p <= 10);
        let decoded = semi.and_then(|p| {
            let ent = &after[..p];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, p))
        });
        match decoded {
            Some((c, p)) => {
                out.push(c);
                rest = &after[p + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_become_lines() {
        assert_eq!(
            to_text(r#"<ul style="list-style-type: none"> <li>・広報紙（4月）</li> <li>・HP掲載</li> </ul>"#),
            "・広報紙（4月）\n・HP掲載"
        );
    }

    #[test]
    fn paragraphs_and_inline_tags() {
        assert_eq!(
            to_text("<p>【目標達成見込、<b>取組予定通り進捗していない</b>】</p> <p>新型コロナ…</p>"),
            "【目標達成見込、取組予定通り進捗していない】\n新型コロナ…"
        );
    }

    #[test]
    fn angle_brackets_in_text_stay() {
        assert_eq!(
            to_text("前年度までの実績 <2年度> ・出前講座"),
            "前年度までの実績 <2年度> ・出前講座"
        );
        assert_eq!(
            to_text("めざす状態<概ね3~5年間を念頭に設定>"),
            "めざす状態<概ね3~5年間を念頭に設定>"
        );
        assert_eq!(to_text("A &amp; B &#12354;"), "A & B あ");
        // An era-lettered year is no element named R2.
        assert_eq!(to_text("<R2年度> ・出前講座"), "<R2年度> ・出前講座");
        assert_eq!(to_text("<p>a</p><br/>b"), "a\nb");
    }
}
