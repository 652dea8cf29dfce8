//! Circled and bracketed marks, read as what they stand for: ①②③,
//! (i)(ii), (ⅰ)(ⅱ), ア/イ/―, A/B, a/b.
//!
//! Text made by optical character recognition carries mis-read marks: the
//! circled katakana ㋐ ㋑ ㋒ come out as ㊦ ㊧ ㊨ ㊩, ⑦ ④ ⑤ or ①. Such a
//! mark cannot be read by its shape, only by its position in its list
//! ([`katakana_by_position`]).

/// The series a mark belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// ① ② ③ …
    Circled,
    /// (i) (ii), (ⅰ) (ⅱ), ⅰ ⅱ
    Roman,
    /// ア イ ウ … (and ㋐ ㋑ ㋒)
    Katakana,
    /// A B
    Upper,
    /// a b
    Lower,
    /// ― or —: "not set"
    Dash,
}

/// A mark and its 1-based position in its series (Dash has 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub series: Series,
    pub index: u32,
}

const KATAKANA: &str = "アイウエオカキクケコサシスセソタチツテト";
const ROMAN_SMALL: [&str; 10] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];

/// Read a mark printed on its own (`①`, `(ⅱ)`, `イ`, `B`, `―`).
pub fn read_mark(s: &str) -> Option<Mark> {
    let t = s.trim().trim_end_matches([':', '：', '.', '．']);
    let mut chars = t.chars();
    let first = chars.next()?;
    let single = chars.next().is_none();
    if single {
        let c = first as u32;
        let (series, index) = match first {
            '\u{2460}'..='\u{2473}' => (Series::Circled, c - 0x2460 + 1),
            '\u{3251}'..='\u{325F}' => (Series::Circled, c - 0x3251 + 21),
            '\u{2170}'..='\u{2179}' => (Series::Roman, c - 0x2170 + 1),
            '\u{2160}'..='\u{2169}' => (Series::Roman, c - 0x2160 + 1),
            '\u{32D0}'..='\u{32E3}' => (Series::Katakana, c - 0x32D0 + 1),
            'A'..='Z' => (Series::Upper, c - 'A' as u32 + 1),
            'a'..='z' => (Series::Lower, c - 'a' as u32 + 1),
            '―' | '—' | '－' | '-' | 'ー' => (Series::Dash, 0),
            k => {
                let pos = KATAKANA.chars().position(|x| x == k)?;
                (Series::Katakana, pos as u32 + 1)
            }
        };
        return Some(Mark { series, index });
    }
    // Bracketed roman numerals: (i), (ii), (ⅰ), （ⅱ）.
    let inner = t.strip_prefix(['(', '（']).and_then(|x| x.strip_suffix([')', '）']))?;
    let inner_lower = inner.to_ascii_lowercase();
    if let Some(pos) = ROMAN_SMALL.iter().position(|r| *r == inner_lower) {
        return Some(Mark {
            series: Series::Roman,
            index: pos as u32 + 1,
        });
    }
    read_mark(inner).filter(|m| m.series == Series::Roman)
}

/// Whether a character is one a scan makes of a circled katakana mark:
/// circled ideographs (㊦ ㊧ ㊨ ㊩ …), circled digits (⑦ ④ ⑤), or the
/// circled katakana itself.
pub fn is_list_mark_glyph(c: char) -> bool {
    matches!(c, '\u{3280}'..='\u{32B0}' | '\u{2460}'..='\u{2473}' | '\u{32D0}'..='\u{32FE}')
}

/// The katakana mark at 0-based position `i` of a list: ア, イ, ウ, …
pub fn katakana_by_position(i: usize) -> char {
    KATAKANA.chars().nth(i).unwrap_or('ト')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Option<(Series, u32)> {
        read_mark(s).map(|m| (m.series, m.index))
    }

    #[test]
    fn circled_numbers() {
        assert_eq!(m("①"), Some((Series::Circled, 1)));
        assert_eq!(m("③"), Some((Series::Circled, 3)));
        assert_eq!(m("②:"), Some((Series::Circled, 2)));
    }

    #[test]
    fn roman_in_brackets() {
        assert_eq!(m("(i)"), Some((Series::Roman, 1)));
        assert_eq!(m("(ii)"), Some((Series::Roman, 2)));
        assert_eq!(m("(ⅰ)"), Some((Series::Roman, 1)));
        assert_eq!(m("（ⅱ）"), Some((Series::Roman, 2)));
        assert_eq!(m("ⅱ"), Some((Series::Roman, 2)));
    }

    #[test]
    fn katakana_latin_and_dash() {
        assert_eq!(m("ア"), Some((Series::Katakana, 1)));
        assert_eq!(m("イ"), Some((Series::Katakana, 2)));
        assert_eq!(m("㋑"), Some((Series::Katakana, 2)));
        assert_eq!(m("A"), Some((Series::Upper, 1)));
        assert_eq!(m("B"), Some((Series::Upper, 2)));
        assert_eq!(m("b"), Some((Series::Lower, 2)));
        assert_eq!(m("―"), Some((Series::Dash, 0)));
        assert_eq!(m("—"), Some((Series::Dash, 0)));
        assert_eq!(m("目標"), None);
    }

    #[test]
    fn ocr_marks_are_read_by_position() {
        // The older report's items under (3): ㊦ ㊧ ㊨ on one page, ⑦ ④ ⑤
        // on the next; both are ア イ ウ.
        for list in [["㊦", "㊧", "㊨"], ["⑦", "④", "⑤"]] {
            let read: Vec<char> = list
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    assert!(s.chars().all(is_list_mark_glyph));
                    katakana_by_position(i)
                })
                .collect();
            assert_eq!(read, ['ア', 'イ', 'ウ']);
        }
    }
}
