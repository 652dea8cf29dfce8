//! Fonts: how a shown string splits into codes, each code's advance width,
//! and its Unicode text.
//!
//! The kinds real releases use:
//! * Type0 / CIDFontType2 with `Identity-H` and a `/ToUnicode` (Excel's and
//!   Chromium's export): two-byte glyph ids, widths from the `/W` array.
//! * simple TrueType subsets with a custom encoding and a `/ToUnicode`
//!   (LibreOffice): one-byte codes, `/Widths`.
//! * non-embedded CID fonts with a predefined CMap and no `/ToUnicode`
//!   (reportlab's `UnicodeCIDFont`, `CIDFont(…, '90ms-RKSJ-H')`, old Word):
//!   decoded by the encoding the CMap stands for (see `cmap.rs`).
//! * vertical (`-V`) CMaps: glyphs advance downward.
//!
//! A code nothing maps is U+FFFD and counted, never guessed.

use super::cmap::{CMap, Code, Predefined};
use super::encodings::{self, Table};
use super::objects::{self, Streams};
use lopdf::{Dictionary, Document, Object};

#[derive(Debug)]
enum Codes {
    OneByte,
    Predefined(Predefined),
    /// An embedded CMap's codespace (Type0 with a CMap stream).
    Embedded,
    /// Two-byte codes with nothing known about them.
    TwoByte,
}

#[derive(Debug)]
enum Widths {
    Simple {
        first: u32,
        widths: Vec<f64>,
        missing: f64,
        standard: Option<&'static [u16; 95]>,
    },
    Cid {
        default: f64,
        /// (first CID, last CID, width), sorted.
        ranges: Vec<(u32, u32, f64)>,
    },
}

#[derive(Debug)]
pub struct Font {
    pub name: String,
    codes: Codes,
    to_unicode: Option<CMap>,
    /// A simple font's code → character table (base encoding + differences).
    table: Option<Box<Table>>,
    predefined: Option<Predefined>,
    /// An embedded CMap (Type0 `/Encoding` stream): codespace and CIDs.
    cmap: Option<CMap>,
    widths: Widths,
    /// Glyph space → text space for widths (1/1000, or a Type3 FontMatrix).
    scale: f64,
    pub vertical: bool,
    /// Vertical metrics: position vector y and vertical advance (1/1000 em).
    pub v_y: f64,
    pub w1: f64,
    /// Ascent and descent in em (descent negative).
    pub ascent: f64,
    pub descent: f64,
}

/// A code read from a string.
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    pub code: Code,
    /// Horizontal advance (or the width for a vertical font) in text-space
    /// units per unit of font size.
    pub width: f64,
}

impl Font {
    /// A font for a missing or unreadable font resource: one-byte codes, no
    /// mapping, half-em widths.
    pub fn fallback(name: &str) -> Font {
        Font {
            name: name.to_string(),
            codes: Codes::OneByte,
            to_unicode: None,
            table: None,
            predefined: None,
            cmap: None,
            widths: Widths::Simple {
                first: 0,
                widths: Vec::new(),
                missing: 500.0,
                standard: None,
            },
            scale: 0.001,
            vertical: false,
            v_y: 880.0,
            w1: -1000.0,
            ascent: 0.88,
            descent: -0.12,
        }
    }

    /// Load a font dictionary. Never fails: what cannot be read falls back
    /// (widths to defaults, codes to U+FFFD). A stream past the limits is
    /// the only error.
    pub fn load(doc: &Document, d: &Dictionary, streams: &mut Streams) -> Result<Font, objects::StreamError> {
        let subtype = objects::name(doc, d, b"Subtype").unwrap_or(b"");
        let base_font = objects::name(doc, d, b"BaseFont")
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let mut font = Font::fallback(&base_font);
        font.to_unicode = match objects::get(doc, d, b"ToUnicode") {
            Some(Object::Stream(s)) => match streams.decode(s) {
                Ok(data) => Some(CMap::parse(&data)).filter(|m| m.has_unicode()),
                Err(objects::StreamError::TooLarge { limit }) => {
                    return Err(objects::StreamError::TooLarge { limit });
                }
                Err(objects::StreamError::Corrupt(_)) => None,
            },
            _ => None,
        };
        if subtype == b"Type0" {
            font.load_type0(doc, d, streams)?;
        } else {
            font.load_simple(doc, d, subtype, &base_font);
        }
        Ok(font)
    }

    fn load_type0(
        &mut self,
        doc: &Document,
        d: &Dictionary,
        streams: &mut Streams,
    ) -> Result<(), objects::StreamError> {
        self.codes = Codes::TwoByte;
        match objects::get(doc, d, b"Encoding") {
            Some(Object::Name(n)) => {
                let name = String::from_utf8_lossy(n);
                if let Some((p, vertical)) = Predefined::by_name(&name) {
                    self.codes = Codes::Predefined(p);
                    self.predefined = Some(p);
                    self.vertical = vertical;
                }
            }
            Some(Object::Stream(s)) => match streams.decode(s) {
                Ok(data) => {
                    let mut m = CMap::parse(&data);
                    let base = m.usecmap.clone().or_else(|| {
                        objects::name(doc, &s.dict, b"UseCMap").map(|n| String::from_utf8_lossy(n).into_owned())
                    });
                    if let Some((p, vertical)) = base.as_deref().and_then(Predefined::by_name) {
                        self.predefined = Some(p);
                        m.vertical |= vertical;
                    }
                    if objects::num(doc, &s.dict, b"WMode") == Some(1.0) {
                        m.vertical = true;
                    }
                    self.vertical = m.vertical;
                    self.codes = if m.codespace.is_empty() {
                        self.predefined.map(Codes::Predefined).unwrap_or(Codes::TwoByte)
                    } else {
                        Codes::Embedded
                    };
                    self.cmap = Some(m);
                }
                Err(objects::StreamError::TooLarge { limit }) => {
                    return Err(objects::StreamError::TooLarge { limit });
                }
                Err(objects::StreamError::Corrupt(_)) => {}
            },
            _ => {}
        }
        let desc = objects::array(doc, d, b"DescendantFonts")
            .and_then(|a| a.first())
            .map(|o| objects::resolve(doc, o));
        let mut default = 1000.0;
        let mut ranges = Vec::new();
        if let Some(Object::Dictionary(cid)) = desc {
            if let Some(dw) = objects::num(doc, cid, b"DW") {
                default = dw;
            }
            if let Some(w) = objects::array(doc, cid, b"W") {
                ranges = cid_widths(doc, w);
            }
            if let Some(dw2) = objects::array(doc, cid, b"DW2") {
                let v = objects::numbers(doc, dw2);
                if v.len() == 2 {
                    self.v_y = v[0];
                    self.w1 = v[1];
                }
            }
            if let Some(fd) = objects::dict(doc, cid, b"FontDescriptor") {
                self.metrics(doc, fd);
            }
        }
        self.widths = Widths::Cid { default, ranges };
        Ok(())
    }

    fn load_simple(&mut self, doc: &Document, d: &Dictionary, subtype: &[u8], base_font: &str) {
        self.codes = Codes::OneByte;
        let first = objects::num(doc, d, b"FirstChar").unwrap_or(0.0).clamp(0.0, 255.0) as u32;
        let widths = objects::array(doc, d, b"Widths")
            .map(|a| objects::numbers(doc, a))
            .unwrap_or_default();
        let fd = objects::dict(doc, d, b"FontDescriptor");
        let missing = fd
            .and_then(|fd| objects::num(doc, fd, b"MissingWidth"))
            .unwrap_or(if widths.is_empty() { 500.0 } else { 0.0 });
        let standard = if widths.is_empty() {
            encodings::standard_widths(base_font)
        } else {
            None
        };
        self.widths = Widths::Simple {
            first,
            widths: widths.into_iter().take(256).collect(),
            missing,
            standard,
        };
        if let Some(fd) = fd {
            self.metrics(doc, fd);
        }
        if subtype == b"Type3"
            && let Some(m) = objects::array(doc, d, b"FontMatrix")
        {
            let m = objects::numbers(doc, m);
            if m.len() == 6 && m[0].abs() > 1e-9 && m[0].abs() < 10.0 {
                self.scale = m[0];
            }
        }
        // The encoding: a base encoding, with /Differences on top.
        let symbolic = fd
            .and_then(|fd| objects::num(doc, fd, b"Flags"))
            .map(|f| (f as i64) & 4 != 0 && (f as i64) & 32 == 0)
            .unwrap_or(false);
        let mut table: Option<Table> = None;
        match objects::get(doc, d, b"Encoding") {
            Some(Object::Name(n)) => table = encodings::base_encoding(n),
            Some(Object::Dictionary(e)) => {
                table = objects::name(doc, e, b"BaseEncoding").and_then(encodings::base_encoding);
                if table.is_none() && !symbolic {
                    table = Some(encodings::standard());
                }
                if let Some(diff) = objects::array(doc, e, b"Differences") {
                    let t = table.get_or_insert([None; 256]);
                    let mut code: i64 = 0;
                    for o in diff {
                        match objects::resolve(doc, o) {
                            Object::Integer(i) => code = *i,
                            Object::Name(n) => {
                                if (0..256).contains(&code) {
                                    // An unknown name unmaps the code rather than
                                    // leaving the base encoding's guess.
                                    t[code as usize] = encodings::glyph_name_to_char(n);
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {
                if !symbolic || encodings::standard_widths(base_font).is_some() {
                    table = Some(encodings::standard());
                }
            }
        }
        self.table = table.map(Box::new);
    }

    fn metrics(&mut self, doc: &Document, fd: &Dictionary) {
        if let Some(a) = objects::num(doc, fd, b"Ascent")
            && (500.0..=1200.0).contains(&a)
        {
            self.ascent = a / 1000.0;
        }
        if let Some(dsc) = objects::num(doc, fd, b"Descent")
            && (-500.0..=0.0).contains(&dsc)
        {
            self.descent = dsc / 1000.0;
        }
        // Keep the body one em tall: CJK fonts' ascent+descent is 1 em, and
        // Latin fonts' boxes are then comparable with them.
        let h = self.ascent - self.descent;
        if h > 0.0 && !(0.9..=1.3).contains(&h) {
            self.ascent = 0.88;
            self.descent = -0.12;
        }
    }

    /// The next code at the start of `bytes` (not empty), and its width.
    pub fn next(&self, bytes: &[u8]) -> Glyph {
        let code = match &self.codes {
            Codes::OneByte => Code {
                value: bytes[0] as u32,
                len: 1,
            },
            Codes::Predefined(p) => p.next_code(bytes),
            Codes::Embedded => match &self.cmap {
                Some(m) => m.codespace.next_code(bytes),
                None => super::cmap::code_of(&bytes[..bytes.len().min(2)]),
            },
            Codes::TwoByte => super::cmap::code_of(&bytes[..bytes.len().min(2)]),
        };
        Glyph {
            code,
            width: self.width(code) * self.scale,
        }
    }

    fn width(&self, code: Code) -> f64 {
        match &self.widths {
            Widths::Simple {
                first,
                widths,
                missing,
                standard,
            } => {
                if let Some(std) = standard
                    && (0x20..=0x7E).contains(&code.value)
                {
                    return std[(code.value - 0x20) as usize] as f64;
                }
                code.value
                    .checked_sub(*first)
                    .and_then(|i| widths.get(i as usize))
                    .copied()
                    .unwrap_or(*missing)
            }
            Widths::Cid { default, ranges } => {
                let Some(cid) = self.cid(code) else {
                    return *default;
                };
                let i = ranges.partition_point(|r| r.0 <= cid);
                match i.checked_sub(1).map(|i| ranges[i]) {
                    Some((lo, hi, w)) if lo <= cid && cid <= hi => w,
                    _ => *default,
                }
            }
        }
    }

    fn cid(&self, code: Code) -> Option<u32> {
        if let Some(m) = &self.cmap
            && let Some(c) = m.cid(code)
        {
            return Some(c);
        }
        match (&self.codes, self.predefined) {
            (Codes::TwoByte, _) => Some(code.value),
            (_, Some(p)) => p.cid(code),
            _ => None,
        }
    }

    /// Whether word spacing applies: single-byte code 32 (9.3.3).
    pub fn is_word_space(&self, code: Code) -> bool {
        code.len == 1 && code.value == 32
    }

    /// The Unicode text of a code, or `None` when nothing maps it.
    pub fn unicode(&self, code: Code) -> Option<String> {
        if let Some(m) = &self.to_unicode
            && let Some(s) = m.unicode(code)
        {
            return Some(super::aliases::unify(s));
        }
        if let Some(t) = &self.table
            && code.len == 1
        {
            return t[code.value as usize & 0xFF].map(|c| c.to_string());
        }
        if let Some(p) = self.predefined
            && (matches!(self.codes, Codes::Predefined(_)) || self.cmap.is_some())
        {
            return p.unicode(code);
        }
        None
    }
}

/// A CID font's `/W` array: `c [w1 w2 …]` and `cfirst clast w` entries.
fn cid_widths(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f64)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(c) = objects::number(doc, &w[i]) else {
            i += 1;
            continue;
        };
        let c = c.max(0.0) as u32;
        match w.get(i + 1).map(|o| objects::resolve(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = objects::number(doc, v) {
                        let cid = c.saturating_add(k as u32);
                        out.push((cid, cid, v));
                    }
                }
                i += 2;
            }
            Some(o) => {
                let hi = objects::number(doc, o);
                let v = w.get(i + 2).and_then(|o| objects::number(doc, o));
                if let (Some(hi), Some(v)) = (hi, v) {
                    let hi = hi.max(0.0) as u32;
                    if hi >= c {
                        out.push((c, hi, v));
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
    out.sort_by_key(|r| r.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn w_array_forms() {
        let doc = Document::new();
        let w = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(278), Object::Integer(300)]),
            Object::Integer(10),
            Object::Integer(20),
            Object::Integer(500),
        ];
        assert_eq!(
            cid_widths(&doc, &w),
            vec![(1, 1, 278.0), (2, 2, 300.0), (10, 20, 500.0)]
        );
    }

    #[test]
    fn unicode_cid_font_without_tounicode() {
        let doc = Document::new();
        let cid = dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "HeiseiKakuGo-W5",
            "DW" => 1000,
            "W" => vec![Object::Integer(1), Object::Array(vec![Object::Integer(278)])],
        };
        let d = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "HeiseiKakuGo-W5",
            "Encoding" => "UniJIS-UCS2-H",
            "DescendantFonts" => vec![Object::Dictionary(cid)],
        };
        let limits = crate::limits::Limits::default();
        let f = Font::load(&doc, &d, &mut Streams::new(&limits)).unwrap();
        let g = f.next(&[0x6E, 0x2F, 0x00, 0x20]);
        assert_eq!(g.code.len, 2);
        assert_eq!(f.unicode(g.code).as_deref(), Some("港"));
        assert!((g.width - 1.0).abs() < 1e-9);
        // U+0020 is CID 1 in Adobe-Japan1: its width comes from /W.
        let g = f.next(&[0x00, 0x20]);
        assert!((g.width - 0.278).abs() < 1e-9);
        assert!(!f.vertical);
    }

    #[test]
    fn differences_with_unknown_names_unmap() {
        let doc = Document::new();
        let d = dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => dictionary! { "BaseEncoding" => "WinAnsiEncoding", "Differences" => vec![Object::Integer(65), Object::Name(b"g7".to_vec()), Object::Name(b"uni6E2F".to_vec())] },
        };
        let limits = crate::limits::Limits::default();
        let f = Font::load(&doc, &d, &mut Streams::new(&limits)).unwrap();
        assert_eq!(f.unicode(Code { value: 65, len: 1 }), None);
        assert_eq!(f.unicode(Code { value: 66, len: 1 }).as_deref(), Some("港"));
        assert_eq!(f.unicode(Code { value: 67, len: 1 }).as_deref(), Some("C"));
        // Helvetica's AFM width for 'C'.
        assert!((f.next(b"C").width - 0.722).abs() < 1e-9);
    }
}
