//! Character-level normalisation: full-width ASCII to half-width, half-width
//! katakana to full-width, one tilde, ASCII hyphens between digits.
//!
//! Written by hand rather than with NFKC: NFKC turns `①` into `1` and `㊦`
//! into `下`, both of which the forms need as they are, and it leaves the
//! minus-sign and hyphen variants alone.

/// Normalise one value's characters (see the module doc). Whitespace runs
/// are kept; use [`clean`] to also collapse and trim them.
pub fn normalize(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            // Full-width ASCII, except U+FF5E FULLWIDTH TILDE (kept as the one tilde).
            '\u{FF01}'..='\u{FF5D}' => {
                out.push(char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c));
            }
            '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' => out.push(' '),
            '\u{301C}' | '\u{223C}' | '\u{FF5E}' => out.push('～'),
            '~' if is_range_context(&chars, i) => out.push('～'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' if between_digits(&chars, i) => out.push('-'),
            '\u{FF61}'..='\u{FF9F}' => {
                let next = chars.get(i + 1).copied();
                let (k, used_next) = halfwidth_katakana(c, next);
                out.push(k);
                if used_next {
                    i += 1;
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// [`normalize`], then whitespace runs collapsed to one space, trimmed.
pub fn clean(s: &str) -> String {
    collapse_spaces(&normalize(s))
}

/// Whitespace runs (newlines included) to one space; trimmed.
pub fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

fn is_digit(c: Option<&char>) -> bool {
    matches!(c, Some(c) if c.is_ascii_digit() || ('０'..='９').contains(c))
}

fn between_digits(chars: &[char], i: usize) -> bool {
    let prev = if i == 0 { None } else { chars.get(i - 1) };
    // Allow one space either side: `１ － １`. Any white space counts, as
    // the normalised text will have a plain space there (normalising twice
    // changes nothing: a fuzzer found `4—\u{2004}1`).
    let prev = match prev {
        Some(c) if c.is_whitespace() && i >= 2 => chars.get(i - 2),
        p => p,
    };
    let next = match chars.get(i + 1) {
        Some(c) if c.is_whitespace() => chars.get(i + 2),
        n => n,
    };
    is_digit(prev) && is_digit(next)
}

/// An ASCII tilde stands for a range between numbers or Japanese words
/// (`3~5年間`), not inside a path or address (`/~user`).
fn is_range_context(chars: &[char], i: usize) -> bool {
    let prev = if i == 0 { None } else { chars.get(i - 1) };
    let next = chars.get(i + 1);
    let ok = |c: Option<&char>| matches!(c, Some(c) if c.is_ascii_digit() || !c.is_ascii());
    ok(prev) && ok(next)
}

const HALF_KATAKANA: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// One half-width katakana (U+FF61..U+FF9D) to full width, composing a
/// following voiced (ﾞ) or semi-voiced (ﾟ) mark. Returns whether the mark
/// was used.
fn halfwidth_katakana(c: char, next: Option<char>) -> (char, bool) {
    match c {
        '\u{FF9E}' => return ('゛', false),
        '\u{FF9F}' => return ('゜', false),
        _ => {}
    }
    let idx = (c as u32 - 0xFF61) as usize;
    let base = HALF_KATAKANA.chars().nth(idx).unwrap_or(c);
    match next {
        Some('\u{FF9E}') => {
            if let Some(v) = voiced(base) {
                return (v, true);
            }
        }
        Some('\u{FF9F}') => {
            if let Some(v) = semi_voiced(base) {
                return (v, true);
            }
        }
        _ => {}
    }
    (base, false)
}

fn voiced(c: char) -> Option<char> {
    const PLAIN: &str = "カキクケコサシスセソタチツテトハヒフヘホウ";
    const VOICED: &str = "ガギグゲゴザジズゼゾダヂヅデドバビブベボヴ";
    PLAIN.chars().position(|p| p == c).and_then(|i| VOICED.chars().nth(i))
}

fn semi_voiced(c: char) -> Option<char> {
    let k = c as u32;
    if (0x30CF..=0x30DB).contains(&k) && (k - 0x30CF).is_multiple_of(3) {
        char::from_u32(k + 2)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_ascii_becomes_half_width() {
        // From the revision release: 「４年度：55％以上」, 「ＤＶ被害者」.
        assert_eq!(normalize("４年度：55％以上"), "4年度:55%以上");
        assert_eq!(normalize("ＤＶ被害者"), "DV被害者");
        assert_eq!(normalize("区ＨＰ、ＳＮＳ"), "区HP、SNS");
        assert_eq!(normalize("（32,550千円）"), "(32,550千円)");
    }

    #[test]
    fn ids_with_full_width_hyphens() {
        assert_eq!(normalize("１－１－１"), "1-1-1");
        assert_eq!(normalize("1－2－1"), "1-2-1");
        assert_eq!(normalize("1−2‐3"), "1-2-3");
        assert_eq!(normalize("1 – 2"), "1 - 2");
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        // Found by the normaliser's fuzz target.
        for s in ["4\u{2014}\u{2004}1<2", "1\u{2004}\u{2212}\u{3000}2", "ｶﾞ~\u{2003}"] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once, "{s:?}");
        }
    }

    #[test]
    fn long_vowel_mark_is_never_a_hyphen() {
        assert_eq!(normalize("コミュニティー"), "コミュニティー");
        assert_eq!(normalize("センター1ー2"), "センター1ー2");
        // A dash between words stays a dash.
        assert_eq!(normalize("―：プロセス指標未設定"), "―:プロセス指標未設定");
    }

    #[test]
    fn tildes_become_one() {
        assert_eq!(normalize("概ね3～5年間"), "概ね3～5年間");
        assert_eq!(normalize("概ね3〜5年間"), "概ね3～5年間");
        assert_eq!(normalize("概ね3~5年間"), "概ね3～5年間");
        assert_eq!(normalize("4∼5月"), "4～5月");
        assert_eq!(normalize("http://x/~user"), "http://x/~user");
    }

    #[test]
    fn half_width_katakana_becomes_full_width() {
        assert_eq!(normalize("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(normalize("ﾊﾟﾝﾀﾞ"), "パンダ");
        assert_eq!(normalize("ｳﾞｧ"), "ヴァ");
        assert_eq!(normalize("ｺﾐｭﾆﾃｨｰ"), "コミュニティー");
        assert_eq!(normalize("ｯ"), "ッ");
    }

    #[test]
    fn marks_are_not_folded() {
        // NFKC would make these 1, 下 and i.
        assert_eq!(normalize("①㊦ⅰ"), "①㊦ⅰ");
    }

    #[test]
    fn ideographic_space_and_collapse() {
        assert_eq!(normalize("令和４年度　港区"), "令和4年度 港区");
        assert_eq!(
            clean("  区民\u{3000}\u{3000}モニター \n アンケート "),
            "区民 モニター アンケート"
        );
    }
}
