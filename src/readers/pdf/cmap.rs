//! CMaps: how the bytes of a shown string split into character codes, and
//! what those codes mean.
//!
//! * **Embedded CMaps** — a font's `/ToUnicode` (code → Unicode) and a Type0
//!   font's `/Encoding` stream (code → CID). Parsed here by hand rather than
//!   through lopdf's `ToUnicodeCMap`: lopdf's builds a reverse map by walking
//!   every code of every range (a hostile `<00000000> <FFFFFFFF>` range is four
//!   billion steps) and is only reachable when the font has no `/Encoding`.
//!   This parser keeps ranges as ranges, so its cost is bounded by the
//!   stream's length.
//! * **Predefined CMaps** named by a Type0 font's `/Encoding` (`UniJIS-UCS2-H`,
//!   `90ms-RKSJ-H`, `EUC-H`, …). We do not ship Adobe's CMap files: each of
//!   these CMaps is a standard character encoding in disguise (UCS-2/UTF-16BE,
//!   Shift_JIS as Microsoft extends it (CP932), EUC-JP, GBK, Big5, UHC), so
//!   the code *is* the character in that encoding and encoding_rs decodes it.
//!   Only widths need CIDs; see [`Predefined::cid`].

use std::fmt;

/// A code as read from a string: its value and its length in bytes (`<00>`
/// and `<0000>` are different codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code {
    pub value: u32,
    pub len: u8,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{:0width$X}>", self.value, width = self.len as usize * 2)
    }
}

/// Codespace ranges (PDF 32000-1 9.7.6.2): byte-wise bounds for codes of one
/// to four bytes.
#[derive(Debug, Clone, Default)]
pub struct Codespace {
    ranges: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Codespace {
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    fn push(&mut self, lo: Vec<u8>, hi: Vec<u8>) {
        if !lo.is_empty() && lo.len() == hi.len() && lo.len() <= 4 {
            self.ranges.push((lo, hi));
        }
    }

    /// The next code at the start of `bytes` (never empty).
    pub fn next_code(&self, bytes: &[u8]) -> Code {
        for n in 1..=4usize {
            if bytes.len() < n {
                break;
            }
            let hit = self
                .ranges
                .iter()
                .any(|(lo, hi)| lo.len() == n && (0..n).all(|i| lo[i] <= bytes[i] && bytes[i] <= hi[i]));
            if hit {
                return code_of(&bytes[..n]);
            }
        }
        // No range matches: take as many bytes as the shortest range whose
        // first byte matches, else one byte (9.7.6.3, "partial match").
        let n = self
            .ranges
            .iter()
            .filter(|(lo, hi)| lo[0] <= bytes[0] && bytes[0] <= hi[0])
            .map(|(lo, _)| lo.len())
            .min()
            .unwrap_or(1)
            .min(bytes.len())
            .max(1);
        code_of(&bytes[..n.min(bytes.len())])
    }
}

pub fn code_of(bytes: &[u8]) -> Code {
    let mut value = 0u32;
    for &b in bytes.iter().take(4) {
        value = (value << 8) | b as u32;
    }
    Code {
        value,
        len: bytes.len().min(4) as u8,
    }
}

/// Where a range of codes maps to in Unicode.
#[derive(Debug, Clone)]
enum Target {
    /// `bfrange` with one destination: the last UTF-16 unit counts up.
    Base(Vec<u16>),
    /// `bfrange` with an array of destinations, one per code.
    List(Vec<String>),
}

#[derive(Debug, Clone)]
struct UniRange {
    lo: u32,
    hi: u32,
    len: u8,
    target: Target,
}

/// A parsed CMap: codespace, code → Unicode (`bfchar`/`bfrange`) and code →
/// CID (`cidchar`/`cidrange`) mappings, and the writing mode.
#[derive(Debug, Clone, Default)]
pub struct CMap {
    pub codespace: Codespace,
    uni: Vec<UniRange>,
    cid: Vec<(u32, u32, u8, u32)>,
    pub vertical: bool,
    /// The CMap this one extends (`/Name usecmap`), for predefined bases.
    pub usecmap: Option<String>,
}

impl CMap {
    /// Parse a CMap stream. Unknown tokens are skipped; malformed entries are
    /// dropped, never fatal.
    pub fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut toks = Tokens { data, pos: 0 };
        // The last few operands, enough for `lo hi dst` and `/Name usecmap`.
        let mut stack: Vec<Tok> = Vec::new();
        while let Some(t) = toks.next() {
            match t {
                Tok::Keyword(k) => match k {
                    b"begincodespacerange" => {
                        while let Some(t) = toks.next() {
                            match t {
                                Tok::Hex(lo) => {
                                    if let Some(Tok::Hex(hi)) = toks.next() {
                                        cmap.codespace.push(lo, hi);
                                    }
                                }
                                _ => break,
                            }
                        }
                        stack.clear();
                    }
                    b"beginbfchar" => {
                        while let Some(Tok::Hex(src)) = toks.next() {
                            match toks.next() {
                                Some(Tok::Hex(dst)) => cmap.push_uni(&src, &src, Target::Base(utf16_units(&dst))),
                                Some(Tok::Name(n)) => {
                                    if let Some(c) = super::encodings::glyph_name_to_char(&n) {
                                        cmap.push_uni(&src, &src, Target::List(vec![c.to_string()]));
                                    }
                                }
                                _ => break,
                            }
                        }
                        stack.clear();
                    }
                    b"beginbfrange" => {
                        while let Some(Tok::Hex(lo)) = toks.next() {
                            let Some(Tok::Hex(hi)) = toks.next() else {
                                break;
                            };
                            match toks.next() {
                                Some(Tok::Hex(dst)) => cmap.push_uni(&lo, &hi, Target::Base(utf16_units(&dst))),
                                Some(Tok::ArrayStart) => {
                                    let mut list = Vec::new();
                                    while let Some(t) = toks.next() {
                                        match t {
                                            Tok::Hex(d) => list.push(utf16_string(&utf16_units(&d))),
                                            Tok::ArrayEnd => break,
                                            _ => {}
                                        }
                                    }
                                    cmap.push_uni(&lo, &hi, Target::List(list));
                                }
                                _ => break,
                            }
                        }
                        stack.clear();
                    }
                    b"begincidchar" => {
                        while let Some(Tok::Hex(src)) = toks.next() {
                            let Some(Tok::Number(cid)) = toks.next() else {
                                break;
                            };
                            cmap.push_cid(&src, &src, cid);
                        }
                        stack.clear();
                    }
                    b"begincidrange" => {
                        while let Some(Tok::Hex(lo)) = toks.next() {
                            let Some(Tok::Hex(hi)) = toks.next() else {
                                break;
                            };
                            let Some(Tok::Number(cid)) = toks.next() else {
                                break;
                            };
                            cmap.push_cid(&lo, &hi, cid);
                        }
                        stack.clear();
                    }
                    b"usecmap" => {
                        if let Some(Tok::Name(n)) = stack.pop() {
                            cmap.usecmap = Some(String::from_utf8_lossy(&n).into_owned());
                        }
                        stack.clear();
                    }
                    b"def" => {
                        // `/WMode 1 def`
                        if stack.len() >= 2
                            && let (Tok::Name(n), Tok::Number(v)) = (&stack[stack.len() - 2], &stack[stack.len() - 1])
                            && n.as_slice() == b"WMode"
                        {
                            cmap.vertical = *v == 1;
                        }
                        stack.clear();
                    }
                    _ => stack.clear(),
                },
                other => {
                    if stack.len() >= 4 {
                        stack.remove(0);
                    }
                    stack.push(other);
                }
            }
        }
        cmap.uni.sort_by_key(|r| (r.len, r.lo));
        cmap.cid.sort_by_key(|r| (r.2, r.0));
        cmap
    }

    fn push_uni(&mut self, lo: &[u8], hi: &[u8], target: Target) {
        if lo.is_empty() || lo.len() > 4 || lo.len() != hi.len() {
            return;
        }
        let (a, b) = (code_of(lo).value, code_of(hi).value);
        if a > b {
            return;
        }
        self.uni.push(UniRange {
            lo: a,
            hi: b,
            len: lo.len() as u8,
            target,
        });
    }

    fn push_cid(&mut self, lo: &[u8], hi: &[u8], cid: i64) {
        if lo.is_empty() || lo.len() > 4 || lo.len() != hi.len() || !(0..=u32::MAX as i64).contains(&cid) {
            return;
        }
        let (a, b) = (code_of(lo).value, code_of(hi).value);
        if a <= b {
            self.cid.push((a, b, lo.len() as u8, cid as u32));
        }
    }

    pub fn has_unicode(&self) -> bool {
        !self.uni.is_empty()
    }

    /// The Unicode text of a code, if the map has it.
    pub fn unicode(&self, code: Code) -> Option<String> {
        // Ranges are sorted by (len, lo); a later range may override an
        // earlier overlapping one, so search the candidates from the end.
        let end = self.uni.partition_point(|r| (r.len, r.lo) <= (code.len, code.value));
        let r = self.uni[..end]
            .iter()
            .rev()
            .take_while(|r| r.len == code.len)
            .take(64)
            .find(|r| r.lo <= code.value && code.value <= r.hi)?;
        let off = code.value - r.lo;
        let s = match &r.target {
            Target::Base(units) if units.len() == 1 => {
                let u = units[0].wrapping_add(off as u16);
                if u == 0 {
                    String::new()
                } else {
                    char::from_u32(u as u32).unwrap_or('\u{FFFD}').to_string()
                }
            }
            Target::Base(units) => {
                let mut units = units.clone();
                let last = units.last_mut()?;
                *last = last.wrapping_add(off as u16);
                utf16_string(&units)
            }
            Target::List(list) => list.get(off as usize)?.clone(),
        };
        (!s.is_empty()).then_some(s)
    }

    /// The CID of a code, if the map has it.
    pub fn cid(&self, code: Code) -> Option<u32> {
        let end = self.cid.partition_point(|r| (r.2, r.0) <= (code.len, code.value));
        self.cid[..end]
            .iter()
            .rev()
            .take_while(|r| r.2 == code.len)
            .find(|r| r.0 <= code.value && code.value <= r.1)
            .map(|r| r.3.saturating_add(code.value - r.0))
    }
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    let mut v: Vec<u16> = bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                c[0] as u16
            }
        })
        .collect();
    if v.is_empty() {
        v.push(0);
    }
    v
}

fn utf16_string(units: &[u16]) -> String {
    // A lone <0000> destination means "no text".
    if units == [0] {
        return String::new();
    }
    char::decode_utf16(units.iter().copied())
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Name(Vec<u8>),
    Number(i64),
    Keyword(&'static [u8]),
    ArrayStart,
    ArrayEnd,
    Other,
}

struct Tokens<'a> {
    data: &'a [u8],
    pos: usize,
}

const KEYWORDS: &[&[u8]] = &[
    b"begincodespacerange",
    b"endcodespacerange",
    b"beginbfchar",
    b"endbfchar",
    b"beginbfrange",
    b"endbfrange",
    b"begincidchar",
    b"endcidchar",
    b"begincidrange",
    b"endcidrange",
    b"usecmap",
    b"def",
];

impl Tokens<'_> {
    fn next(&mut self) -> Option<Tok> {
        let d = self.data;
        loop {
            while self.pos < d.len() && (d[self.pos].is_ascii_whitespace() || d[self.pos] == 0) {
                self.pos += 1;
            }
            if self.pos >= d.len() {
                return None;
            }
            if d[self.pos] == b'%' {
                while self.pos < d.len() && d[self.pos] != b'\n' && d[self.pos] != b'\r' {
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let c = d[self.pos];
        match c {
            b'<' if d.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                Some(Tok::Other)
            }
            b'>' if d.get(self.pos + 1) == Some(&b'>') => {
                self.pos += 2;
                Some(Tok::Other)
            }
            b'<' => {
                self.pos += 1;
                let mut nibbles = Vec::new();
                while self.pos < d.len() && d[self.pos] != b'>' {
                    if let Some(v) = (d[self.pos] as char).to_digit(16) {
                        nibbles.push(v as u8);
                    }
                    self.pos += 1;
                }
                self.pos += 1;
                if nibbles.len() % 2 == 1 {
                    nibbles.push(0);
                }
                Some(Tok::Hex(nibbles.chunks(2).map(|p| (p[0] << 4) | p[1]).collect()))
            }
            b'[' => {
                self.pos += 1;
                Some(Tok::ArrayStart)
            }
            b']' => {
                self.pos += 1;
                Some(Tok::ArrayEnd)
            }
            b'(' => {
                // A string (`/Registry (Adobe)`): skip it, balancing parentheses.
                let mut depth = 0usize;
                while self.pos < d.len() {
                    match d[self.pos] {
                        b'\\' => self.pos += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.pos += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                Some(Tok::Other)
            }
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                while self.pos < d.len() && !is_delim(d[self.pos]) {
                    self.pos += 1;
                }
                Some(Tok::Name(d[start..self.pos].to_vec()))
            }
            _ => {
                let start = self.pos;
                self.pos += 1;
                while self.pos < d.len() && !is_delim(d[self.pos]) {
                    self.pos += 1;
                }
                let word = &d[start..self.pos];
                if let Some(k) = KEYWORDS.iter().find(|k| **k == word) {
                    return Some(Tok::Keyword(k));
                }
                if let Some(n) = std::str::from_utf8(word).ok().and_then(|s| s.parse::<i64>().ok()) {
                    return Some(Tok::Number(n));
                }
                if word.starts_with(b"end") || word.starts_with(b"begin") {
                    return Some(Tok::Keyword(b"other"));
                }
                Some(Tok::Other)
            }
        }
    }
}

fn is_delim(c: u8) -> bool {
    c.is_ascii_whitespace() || b"()<>[]{}/%".contains(&c) || c == 0
}

/// The predefined CMaps we decode by the encoding they stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predefined {
    /// `Identity-H`/`-V`: two-byte codes that are CIDs.
    Identity,
    /// `Uni…-UCS2-…`: two-byte UCS-2 (big-endian).
    Ucs2 { half_width: bool },
    /// `Uni…-UTF16-…`: UTF-16BE, two or four bytes.
    Utf16,
    /// `90ms-RKSJ`, `90msp-RKSJ`, `83pv-RKSJ`, `RKSJ`: Shift_JIS (CP932).
    Rksj { proportional: bool },
    /// `EUC-H`/`-V`: EUC-JP.
    EucJp,
    /// `GBK-EUC`, `GBpc-EUC`, `GB-EUC`, `GBK2K`: GBK/GB18030 (two bytes).
    Gbk,
    /// `B5pc`, `ETen-B5`, `HKscs-B5`, `B5`: Big5.
    Big5,
    /// `KSC-EUC`, `KSCms-UHC`, `KSCpc-EUC`: EUC-KR/UHC.
    Uhc,
}

impl Predefined {
    /// A predefined CMap by name, and whether it is vertical (`-V`).
    pub fn by_name(name: &str) -> Option<(Predefined, bool)> {
        let vertical = name.ends_with("-V");
        let base = name
            .strip_suffix("-H")
            .or_else(|| name.strip_suffix("-V"))
            .unwrap_or(name);
        let p = if base == "Identity" {
            Predefined::Identity
        } else if base.starts_with("Uni") && base.contains("-UCS2") {
            Predefined::Ucs2 {
                half_width: base.ends_with("-HW"),
            }
        } else if base.starts_with("Uni") && base.contains("-UTF16") {
            Predefined::Utf16
        } else if base.ends_with("RKSJ") {
            Predefined::Rksj {
                proportional: base.starts_with("90msp"),
            }
        } else if base == "EUC" {
            Predefined::EucJp
        } else if base.starts_with("GB") {
            Predefined::Gbk
        } else if base.contains("B5") {
            Predefined::Big5
        } else if base.starts_with("KSC") {
            Predefined::Uhc
        } else {
            return None;
        };
        Some((p, vertical))
    }

    /// The length of the code at the start of `bytes` (never empty).
    pub fn next_code(self, bytes: &[u8]) -> Code {
        let b0 = bytes[0];
        let n = match self {
            Predefined::Identity | Predefined::Ucs2 { .. } => 2,
            Predefined::Utf16 => {
                if bytes.len() >= 4 && (0xD8..=0xDB).contains(&b0) {
                    4
                } else {
                    2
                }
            }
            Predefined::Rksj { .. } => {
                if (0x81..=0x9F).contains(&b0) || (0xE0..=0xFC).contains(&b0) {
                    2
                } else {
                    1
                }
            }
            Predefined::EucJp => match b0 {
                0x8F => 3,
                0x8E | 0xA1..=0xFE => 2,
                _ => 1,
            },
            Predefined::Gbk | Predefined::Big5 | Predefined::Uhc => {
                if (0x81..=0xFE).contains(&b0) {
                    2
                } else {
                    1
                }
            }
        };
        code_of(&bytes[..n.min(bytes.len())])
    }

    /// The Unicode text of a code: the code decoded in the encoding the CMap
    /// stands for. `Identity` codes are glyph ids and mean nothing by
    /// themselves.
    pub fn unicode(self, code: Code) -> Option<String> {
        let bytes = &code.value.to_be_bytes()[4 - code.len as usize..];
        let enc = match self {
            Predefined::Identity => return None,
            Predefined::Ucs2 { .. } | Predefined::Utf16 => encoding_rs::UTF_16BE,
            Predefined::Rksj { .. } => encoding_rs::SHIFT_JIS,
            Predefined::EucJp => encoding_rs::EUC_JP,
            Predefined::Gbk => encoding_rs::GBK,
            Predefined::Big5 => encoding_rs::BIG5,
            Predefined::Uhc => encoding_rs::EUC_KR,
        };
        let (s, had_errors) = enc.decode_without_bom_handling(bytes);
        (!had_errors && !s.is_empty()).then(|| s.into_owned())
    }

    /// The CID of a code, as far as widths need it. Only the ranges where
    /// the Adobe-Japan1 fonts have proportional or half widths (the ASCII
    /// range and half-width katakana) are mapped; every other code gets the
    /// font's default width, which is what the full-width CJK glyphs use.
    /// The numbers are the `cidrange` starts of Adobe's CMaps.
    pub fn cid(self, code: Code) -> Option<u32> {
        let v = code.value;
        match self {
            Predefined::Identity => Some(v),
            Predefined::Ucs2 { half_width } => match v {
                0x0020..=0x005B if !half_width => Some(1 + v - 0x20),
                0x005C if !half_width => Some(97),
                0x005D..=0x007E if !half_width => Some(62 + v - 0x5D),
                0x0020..=0x007E => Some(231 + v - 0x20),
                0x00A5 => Some(61),
                0xFF61..=0xFF9F => Some(327 + v - 0xFF61),
                _ => None,
            },
            Predefined::Utf16 => match v {
                0x0020..=0x005B => Some(1 + v - 0x20),
                0x005C => Some(97),
                0x005D..=0x007E => Some(62 + v - 0x5D),
                0xFF61..=0xFF9F => Some(327 + v - 0xFF61),
                _ => None,
            },
            Predefined::Rksj { proportional } if code.len == 1 => match v {
                0x20..=0x7E if proportional => Some(1 + v - 0x20),
                0x20..=0x7D => Some(231 + v - 0x20),
                0x7E => Some(631),
                0xA0..=0xDF => Some(326 + v - 0xA0),
                _ => None,
            },
            Predefined::EucJp => match (code.len, v) {
                (1, 0x20..=0x7E) => Some(231 + v - 0x20),
                (2, 0x8EA0..=0x8EDF) => Some(326 + v - 0x8EA0),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIBREOFFICE_TOUNICODE: &[u8] = b"/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo<<\n/Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n3 beginbfchar\n<01> <25C6>\n<02> <8A08>\n<03> <753B>\nendbfchar\n2 beginbfrange\n<10> <12> <0041>\n<20> <21> [<0061> <D83DDE00>]\nendbfrange\nendcmap\n";

    #[test]
    fn tounicode_bfchar_and_bfrange() {
        let m = CMap::parse(LIBREOFFICE_TOUNICODE);
        let c = |v| Code { value: v, len: 1 };
        assert_eq!(m.unicode(c(1)).as_deref(), Some("◆"));
        assert_eq!(m.unicode(c(2)).as_deref(), Some("計"));
        assert_eq!(m.unicode(c(0x12)).as_deref(), Some("C"));
        assert_eq!(m.unicode(c(0x21)).as_deref(), Some("😀"));
        assert_eq!(m.unicode(c(0x13)), None);
        // A two-byte code with the same value is a different code.
        assert_eq!(m.unicode(Code { value: 1, len: 2 }), None);
        assert_eq!(m.codespace.next_code(&[0x01, 0x02]), c(1));
    }

    #[test]
    fn hostile_range_costs_nothing() {
        let m = CMap::parse(b"1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange 1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(m.unicode(Code { value: 2, len: 4 }).as_deref(), Some("C"));
    }

    #[test]
    fn cid_ranges_and_wmode() {
        let m = CMap::parse(b"/WMode 1 def 1 begincodespacerange <8140> <FCFC> endcodespacerange 1 begincidrange <8140> <817e> 633 endcidrange 1 begincidchar <8180> 696 endcidchar");
        assert!(m.vertical);
        assert_eq!(m.cid(Code { value: 0x8142, len: 2 }), Some(635));
        assert_eq!(m.cid(Code { value: 0x8180, len: 2 }), Some(696));
        assert_eq!(m.cid(Code { value: 0x8240, len: 2 }), None);
    }

    #[test]
    fn garbage_does_not_panic() {
        for data in [
            &b"beginbfrange <01"[..],
            b"<<<<[[[[",
            b"1 beginbfchar <> <> endbfchar",
            b"(((((",
            b"begincidrange <00> <01> -5 endcidrange",
            b"<0102030405> <0102030405> <41> beginbfrange",
        ] {
            let m = CMap::parse(data);
            let _ = m.unicode(Code { value: 1, len: 1 });
        }
    }

    #[test]
    fn predefined_decode_by_encoding() {
        let (rksj, v) = Predefined::by_name("90ms-RKSJ-V").unwrap();
        assert!(v);
        // 計 in CP932 is 0x8C76; an ASCII byte is one byte.
        let code = rksj.next_code(&[0x8C, 0x76, 0x41]);
        assert_eq!(code, Code { value: 0x8C76, len: 2 });
        assert_eq!(rksj.unicode(code).as_deref(), Some("計"));
        assert_eq!(rksj.next_code(&[0x41, 0x8C]).len, 1);
        // NEC special characters are CP932, not plain Shift_JIS: ㊦ is 0x878B... (㊤ 0x8785)
        assert_eq!(rksj.unicode(Code { value: 0x8785, len: 2 }).as_deref(), Some("㊤"));
        let (ucs2, v) = Predefined::by_name("UniJIS-UCS2-H").unwrap();
        assert!(!v);
        assert_eq!(ucs2.unicode(Code { value: 0x6E2F, len: 2 }).as_deref(), Some("港"));
        assert_eq!(ucs2.cid(Code { value: 0x41, len: 2 }), Some(34));
        let (euc, _) = Predefined::by_name("EUC-H").unwrap();
        assert_eq!(euc.unicode(euc.next_code(&[0xB7, 0xD7])).as_deref(), Some("計"));
        assert_eq!(Predefined::by_name("Identity-H"), Some((Predefined::Identity, false)));
        assert_eq!(Predefined::by_name("Foo-H"), None);
    }
}
