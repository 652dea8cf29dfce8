//! A content-stream lexer: operators with their operands.
//!
//! Written by hand rather than using lopdf's `Content::decode_iter`: that
//! parser builds an `Operation` (a `String` and a `Vec<Object>`) for every
//! operator, and on real releases (tens of thousands of operators a page)
//! those allocations were most of the reader's time. Here operands go into
//! buffers reused from one operator to the next, and nothing recurses: an
//! array nested 200,000 deep is 200,000 `ArrayStart` operands, not a stack
//! overflow. Bytes that are not content-stream syntax are skipped and
//! counted, never fatal.

/// One operand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    Num(f64),
    /// A name, its bytes in [`Lexer::bytes`] (`#xx` decoded).
    Name(usize, usize),
    /// A string, its bytes in [`Lexer::bytes`] (escapes or hex decoded).
    Str(usize, usize),
    ArrayStart,
    ArrayEnd,
    /// A dictionary (`/Span <</ActualText (…)>> BDC`): its bytes in the
    /// content stream, `<<` to `>>`.
    Dict(usize, usize),
    /// Anything else (`true`, `null`).
    Other,
}

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    /// The operands of the operator last returned.
    pub operands: Vec<Operand>,
    /// Bytes of the names and strings in `operands`.
    pub bytes: Vec<u8>,
    /// Bytes skipped because they were not content-stream syntax.
    pub skipped: usize,
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(c: u8) -> bool {
    !is_white(c) && !is_delim(c)
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Lexer<'a> {
        Lexer {
            data,
            pos: 0,
            operands: Vec::with_capacity(16),
            bytes: Vec::with_capacity(256),
            skipped: 0,
        }
    }

    /// The next operator (its operands in `operands`), or `None` at the end.
    pub fn next_op(&mut self) -> Option<&'a [u8]> {
        self.operands.clear();
        self.bytes.clear();
        let d = self.data;
        // A dictionary (`BDC` properties) is one operand: its bytes.
        let mut dict_depth = 0usize;
        let mut dict_start = 0usize;
        loop {
            while self.pos < d.len() && is_white(d[self.pos]) {
                self.pos += 1;
            }
            if self.pos >= d.len() {
                return None;
            }
            let c = d[self.pos];
            match c {
                b'%' => {
                    while self.pos < d.len() && d[self.pos] != b'\n' && d[self.pos] != b'\r' {
                        self.pos += 1;
                    }
                }
                b'(' => {
                    let s = self.literal();
                    if dict_depth == 0 {
                        self.operands.push(s);
                    }
                }
                b'<' if d.get(self.pos + 1) == Some(&b'<') => {
                    if dict_depth == 0 {
                        dict_start = self.pos;
                    }
                    self.pos += 2;
                    dict_depth += 1;
                }
                b'>' if d.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    if dict_depth > 0 {
                        dict_depth -= 1;
                        if dict_depth == 0 {
                            self.operands.push(Operand::Dict(dict_start, self.pos));
                        }
                    } else {
                        self.skipped += 2;
                    }
                }
                b'<' => {
                    let s = self.hex();
                    if dict_depth == 0 {
                        self.operands.push(s);
                    }
                }
                b'[' => {
                    self.pos += 1;
                    if dict_depth == 0 {
                        self.operands.push(Operand::ArrayStart);
                    }
                }
                b']' => {
                    self.pos += 1;
                    if dict_depth == 0 {
                        self.operands.push(Operand::ArrayEnd);
                    }
                }
                b'/' => {
                    let n = self.name();
                    if dict_depth == 0 {
                        self.operands.push(n);
                    }
                }
                b'{' | b'}' | b')' | b'>' => {
                    self.pos += 1;
                    self.skipped += 1;
                }
                b'+' | b'-' | b'.' | b'0'..=b'9' => {
                    let n = self.number();
                    if dict_depth == 0 {
                        self.operands.push(n);
                    }
                }
                _ => {
                    let start = self.pos;
                    while self.pos < d.len() && is_regular(d[self.pos]) {
                        self.pos += 1;
                    }
                    let word = &d[start..self.pos];
                    if dict_depth > 0 {
                        continue;
                    }
                    match word {
                        b"true" | b"false" | b"null" => self.operands.push(Operand::Other),
                        b"BI" => {
                            self.skip_inline_image();
                            return Some(word);
                        }
                        _ => return Some(word),
                    }
                }
            }
        }
    }

    fn number(&mut self) -> Operand {
        let d = self.data;
        let start = self.pos;
        self.pos += 1;
        while self.pos < d.len() && matches!(d[self.pos], b'0'..=b'9' | b'.' | b'-' | b'+' | b'e' | b'E') {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&d[start..self.pos]).unwrap_or("");
        match parse_number(text) {
            Some(v) => Operand::Num(v),
            None => {
                self.skipped += self.pos - start;
                Operand::Other
            }
        }
    }

    fn name(&mut self) -> Operand {
        let d = self.data;
        self.pos += 1;
        let start = self.bytes.len();
        while self.pos < d.len() && is_regular(d[self.pos]) {
            let c = d[self.pos];
            if c == b'#'
                && let (Some(h), Some(l)) = (
                    d.get(self.pos + 1).and_then(|&x| (x as char).to_digit(16)),
                    d.get(self.pos + 2).and_then(|&x| (x as char).to_digit(16)),
                )
            {
                self.bytes.push((h * 16 + l) as u8);
                self.pos += 3;
                continue;
            }
            self.bytes.push(c);
            self.pos += 1;
        }
        Operand::Name(start, self.bytes.len())
    }

    fn hex(&mut self) -> Operand {
        let d = self.data;
        self.pos += 1;
        let start = self.bytes.len();
        let mut high: Option<u8> = None;
        while self.pos < d.len() && d[self.pos] != b'>' {
            if let Some(v) = (d[self.pos] as char).to_digit(16) {
                match high.take() {
                    Some(h) => self.bytes.push(h << 4 | v as u8),
                    None => high = Some(v as u8),
                }
            }
            self.pos += 1;
        }
        if let Some(h) = high {
            self.bytes.push(h << 4);
        }
        self.pos += 1;
        Operand::Str(start, self.bytes.len())
    }

    fn literal(&mut self) -> Operand {
        let d = self.data;
        self.pos += 1;
        let start = self.bytes.len();
        let mut depth = 1usize;
        while self.pos < d.len() {
            let c = d[self.pos];
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    self.bytes.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    self.bytes.push(c);
                }
                b'\\' => {
                    let Some(&e) = d.get(self.pos) else { break };
                    self.pos += 1;
                    match e {
                        b'n' => self.bytes.push(b'\n'),
                        b'r' => self.bytes.push(b'\r'),
                        b't' => self.bytes.push(b'\t'),
                        b'b' => self.bytes.push(8),
                        b'f' => self.bytes.push(12),
                        b'\r' => {
                            if d.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match d.get(self.pos) {
                                    Some(&o @ b'0'..=b'7') => {
                                        v = v * 8 + (o - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            self.bytes.push(v as u8);
                        }
                        other => self.bytes.push(other),
                    }
                }
                _ => self.bytes.push(c),
            }
        }
        Operand::Str(start, self.bytes.len())
    }

    /// After `BI`: the image's dictionary, `ID`, its data, `EI`. The data's
    /// end is the first `EI` between white space (or at the end).
    fn skip_inline_image(&mut self) {
        let d = self.data;
        // To `ID` followed by one white-space byte.
        while self.pos + 1 < d.len() {
            if d[self.pos] == b'I'
                && d[self.pos + 1] == b'D'
                && (self.pos == 0 || !is_regular(d[self.pos - 1]))
                && d.get(self.pos + 2).is_none_or(|&c| is_white(c))
            {
                self.pos += 3;
                break;
            }
            self.pos += 1;
        }
        while self.pos + 1 < d.len() {
            if d[self.pos] == b'E'
                && d[self.pos + 1] == b'I'
                && self.pos > 0
                && is_white(d[self.pos - 1])
                && d.get(self.pos + 2).is_none_or(|&c| is_white(c) || is_delim(c))
            {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
        self.pos = d.len();
    }

    pub fn bytes_of(&self, start: usize, end: usize) -> &[u8] {
        &self.bytes[start..end]
    }

    /// The numbers among the operands, in order (at most 8: no operator
    /// takes more).
    pub fn numbers(&self) -> ([f64; 8], usize) {
        let mut out = [0.0; 8];
        let mut n = 0;
        for o in &self.operands {
            if let Operand::Num(v) = o {
                if n == 8 {
                    out.copy_within(1.., 0);
                    out[7] = *v;
                } else {
                    out[n] = *v;
                    n += 1;
                }
            }
        }
        (out, n)
    }

    /// The raw bytes of a `Dict` operand.
    pub fn raw(&self, start: usize, end: usize) -> &'a [u8] {
        &self.data[start.min(end)..end.min(self.data.len())]
    }

    /// The first name operand.
    pub fn first_name(&self) -> Option<&[u8]> {
        self.operands.iter().find_map(|o| match o {
            Operand::Name(s, e) => Some(&self.bytes[*s..*e]),
            _ => None,
        })
    }
}

/// The string a key has in a dictionary's bytes (`<</ActualText (x)>>`),
/// for marked-content properties written in the content stream.
pub fn dict_string(raw: &[u8], key: &[u8]) -> Option<Vec<u8>> {
    let inner = raw.strip_prefix(b"<<")?.strip_suffix(b">>")?;
    let mut lx = Lexer::new(inner);
    while lx.next_op().is_some() {}
    // `next_op` stops at the end with what it collected.
    let ops = &lx.operands;
    ops.windows(2).find_map(|w| match (w[0], w[1]) {
        (Operand::Name(a, b), Operand::Str(s, e)) if &lx.bytes[a..b] == key => Some(lx.bytes[s..e].to_vec()),
        _ => None,
    })
}

/// A PDF number: `12`, `-3.5`, `.5`, `4.`, `+7` (and a stray `--5` as -5,
/// as Acrobat reads it). The common forms (sign, digits, one point) are
/// read here directly, which is several times faster than `str::parse`.
fn parse_number(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut neg = false;
    while i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg ^= b[i] == b'-';
        i += 1;
        if i >= 2 {
            // `--5`: Acrobat's reading, -5.
            neg = true;
        }
    }
    let mut int: u64 = 0;
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() && digits < 18 {
        int = int * 10 + (b[i] - b'0') as u64;
        i += 1;
        digits += 1;
    }
    let mut v = int as f64;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let mut frac: u64 = 0;
        let mut scale = 1.0f64;
        while i < b.len() && b[i].is_ascii_digit() {
            if scale < 1e17 {
                frac = frac * 10 + (b[i] - b'0') as u64;
                scale *= 10.0;
            }
            i += 1;
            digits += 1;
        }
        v += frac as f64 / scale;
    }
    if i != b.len() || digits == 0 {
        // Anything else (an exponent, 19+ integer digits): the slow way.
        let body = text.trim_start_matches(['+', '-']);
        let w: f64 = body.parse().ok()?;
        v = w;
    }
    let v = if neg { -v } else { v };
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_and_operands() {
        let mut lx = Lexer::new(b"q 1 0 0 1 72 700.5 cm BT /F1 12 Tf [(H\\(i\\)) -250 <0048>] TJ (a\\101) ' ET Q");
        assert_eq!(lx.next_op(), Some(&b"q"[..]));
        assert_eq!(lx.next_op(), Some(&b"cm"[..]));
        assert_eq!(lx.numbers(), ([1.0, 0.0, 0.0, 1.0, 72.0, 700.5, 0.0, 0.0], 6));
        assert_eq!(lx.next_op(), Some(&b"BT"[..]));
        assert_eq!(lx.next_op(), Some(&b"Tf"[..]));
        assert_eq!(lx.first_name(), Some(&b"F1"[..]));
        assert_eq!(lx.next_op(), Some(&b"TJ"[..]));
        let ops = lx.operands.clone();
        assert_eq!(ops.len(), 5);
        let Operand::Str(s, e) = ops[1] else { panic!("{ops:?}") };
        assert_eq!(lx.bytes_of(s, e), b"H(i)");
        assert_eq!(ops[2], Operand::Num(-250.0));
        let Operand::Str(s, e) = ops[3] else { panic!() };
        assert_eq!(lx.bytes_of(s, e), [0x00, 0x48]);
        assert_eq!(lx.next_op(), Some(&b"'"[..]));
        let Operand::Str(s, e) = lx.operands[0] else { panic!() };
        assert_eq!(lx.bytes_of(s, e), b"aA");
        assert_eq!(lx.next_op(), Some(&b"ET"[..]));
        assert_eq!(lx.next_op(), Some(&b"Q"[..]));
        assert_eq!(lx.next_op(), None);
    }

    #[test]
    fn dictionaries_inline_images_and_garbage() {
        let mut lx = Lexer::new(
            b"/P <</MCID 0 /Nested <</A [1 2]>>>> BDC BI /W 2 /H 1 /BPC 8 /CS /G ID \x00EI\xff EI Q ) } 5 Tj",
        );
        assert_eq!(lx.next_op(), Some(&b"BDC"[..]));
        assert_eq!(lx.operands.len(), 2);
        assert_eq!(lx.next_op(), Some(&b"BI"[..]));
        assert_eq!(lx.next_op(), Some(&b"Q"[..]));
        assert_eq!(lx.next_op(), Some(&b"Tj"[..]));
        assert_eq!(lx.skipped, 2);
    }

    #[test]
    fn marked_content_properties() {
        let mut lx = Lexer::new(b"/Span<</ActualText <feff76ee> /Lang (ja)>> BDC");
        assert_eq!(lx.next_op(), Some(&b"BDC"[..]));
        let Some(&Operand::Dict(s, e)) = lx.operands.get(1) else {
            panic!("{:?}", lx.operands)
        };
        assert_eq!(
            dict_string(lx.raw(s, e), b"ActualText"),
            Some(vec![0xfe, 0xff, 0x76, 0xee])
        );
        assert_eq!(dict_string(lx.raw(s, e), b"Alt"), None);
    }

    #[test]
    fn deep_arrays_are_flat() {
        let data = [vec![b'['; 200_000], vec![b']'; 200_000], b" Tj".to_vec()].concat();
        let mut lx = Lexer::new(&data);
        assert_eq!(lx.next_op(), Some(&b"Tj"[..]));
        assert_eq!(lx.operands.len(), 400_000);
    }

    #[test]
    fn numbers() {
        for (t, v) in [
            ("12", 12.0),
            ("-3.5", -3.5),
            (".5", 0.5),
            ("4.", 4.0),
            ("+7", 7.0),
            ("--5", -5.0),
        ] {
            assert_eq!(parse_number(t), Some(v), "{t}");
        }
        assert_eq!(parse_number("1-2"), None);
        assert_eq!(parse_number("-"), None);
        assert_eq!(parse_number("0.001"), Some(0.001));
        assert_eq!(parse_number("12345678901234567890"), Some(12345678901234567890.0));
    }
}
