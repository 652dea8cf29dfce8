//! A page's encoding, decided in the order a browser decides it (HTML
//! Standard, "determining the character encoding"): a byte-order mark; the
//! transport's word (a web archive part's `charset=`); a `<meta charset>`
//! or `<meta http-equiv="Content-Type" content="…; charset=…">` in the
//! first 1024 bytes (the standard's prescan); then the bytes themselves,
//! judged as a Japanese browser would (valid UTF-8, else Shift_JIS/CP932 or
//! EUC-JP, whichever reads as Japanese), with the text releases' detector.
//!
//! The prescan is the standard's byte-level algorithm, written here: it
//! runs before there is any text to parse, and html5ever leaves it to the
//! caller. One step beyond a browser: a page whose declared encoding does
//! not decode but whose bytes are valid UTF-8 (a page re-saved as UTF-8
//! that kept its old `<meta charset=Shift_JIS>`) is read as UTF-8, with a
//! warning — the archive's users want the text, not the mojibake.

use crate::readers::text::encoding as text_encoding;
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// The name recorded in `source.encoding`.
    pub encoding: &'static str,
    /// What decided it: `bom`, `transport`, `meta` or `bytes` (named in
    /// the warnings; the tests check it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub by: &'static str,
    /// Why the decision needs a reader's attention (a declaration the
    /// bytes contradict, undecodable bytes).
    pub warnings: Vec<String>,
}

/// Decode a page. `transport` is the encoding its container declares (a
/// web archive part's Content-Type), if any.
pub fn decode(bytes: &[u8], transport: Option<&'static Encoding>) -> Result<Decoded, text_encoding::NotText> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: text_encoding::name(enc),
            by: "bom",
            warnings: Vec::new(),
        });
    }
    let declared = transport
        .map(|e| (e, "transport"))
        .or_else(|| prescan(bytes).map(|e| (e, "meta")));
    if let Some((enc, by)) = declared {
        let enc = match enc {
            // A page cannot declare UTF-16 in ASCII bytes (HTML Standard).
            e if e == UTF_16LE || e == UTF_16BE => UTF_8,
            e if e == X_USER_DEFINED => WINDOWS_1252,
            e => e,
        };
        // Japanese text in a legacy encoding is never valid UTF-8 beyond a
        // few bytes; valid UTF-8 with non-ASCII text is UTF-8, whatever the
        // page's old declaration says.
        if enc != UTF_8
            && !bytes.is_ascii()
            && let Ok(s) = std::str::from_utf8(bytes)
        {
            return Ok(Decoded {
                text: s.to_string(),
                encoding: "UTF-8",
                by: "bytes",
                warnings: vec![format!(
                    "the page declares {} ({by}), but its bytes are UTF-8; read as UTF-8",
                    text_encoding::name(enc)
                )],
            });
        }
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return Ok(Decoded {
                text: text.into_owned(),
                encoding: text_encoding::name(enc),
                by,
                warnings: Vec::new(),
            });
        }
        let bad = text.matches('\u{FFFD}').count();
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: text_encoding::name(enc),
            by,
            warnings: vec![format!(
                "{bad} undecodable byte sequence(s) in {} (declared by {by}), replaced by U+FFFD",
                text_encoding::name(enc)
            )],
        });
    }
    let d = text_encoding::decode(bytes)?;
    Ok(Decoded {
        text: d.text.into_owned(),
        encoding: d.encoding,
        by: "bytes",
        warnings: Vec::new(),
    })
}

/// The HTML Standard's prescan of the first 1024 bytes for a `<meta>`
/// that declares the encoding.
pub fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(1024)];
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i += 4 + find(&rest[4..], b"-->").map_or(rest.len(), |p| p + 3);
            continue;
        }
        if starts_with_ci(rest, b"<meta") && rest.get(5).is_some_and(|&c| is_space(c) || c == b'/') {
            i += 5;
            if let Some(enc) = meta(b, &mut i) {
                return Some(enc);
            }
            continue;
        }
        let tag_start = rest.len() > 1
            && rest[0] == b'<'
            && (rest[1].is_ascii_alphabetic() || (rest[1] == b'/' && rest.get(2).is_some_and(u8::is_ascii_alphabetic)));
        if tag_start {
            // Skip the tag's name, then its attributes.
            i += 1;
            while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                i += 1;
            }
            while attribute(b, &mut i).is_some() {}
            i += 1;
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            i += find(rest, b">").map_or(rest.len(), |p| p + 1);
            continue;
        }
        i += 1;
    }
    None
}

/// The attributes of one `<meta`, from `i`; the encoding it declares.
fn meta(b: &[u8], i: &mut usize) -> Option<&'static Encoding> {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut got_pragma = false;
    let mut need_pragma: Option<bool> = None;
    let mut charset: Option<&'static Encoding> = None;
    while let Some((name, value)) = attribute(b, i) {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        match name.as_slice() {
            b"http-equiv" => got_pragma |= value.eq_ignore_ascii_case(b"content-type"),
            b"content" if charset.is_none() => {
                if let Some(enc) = charset_in_content(&value).and_then(Encoding::for_label) {
                    charset = Some(enc);
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Encoding::for_label(&value);
                need_pragma = Some(false);
            }
            _ => {}
        }
    }
    match need_pragma? {
        true if !got_pragma => None,
        _ => charset,
    }
}

/// The standard's "get an attribute": a lower-case name and its value,
/// or None at the tag's end.
fn attribute(b: &[u8], i: &mut usize) -> Option<(Vec<u8>, Vec<u8>)> {
    while *i < b.len() && (is_space(b[*i]) || b[*i] == b'/') {
        *i += 1;
    }
    if *i >= b.len() || b[*i] == b'>' {
        return None;
    }
    let mut name = Vec::new();
    while *i < b.len() {
        let c = b[*i];
        if c == b'=' && !name.is_empty() {
            break;
        }
        if is_space(c) || c == b'/' || c == b'>' {
            break;
        }
        name.push(c.to_ascii_lowercase());
        *i += 1;
    }
    while *i < b.len() && is_space(b[*i]) {
        *i += 1;
    }
    if b.get(*i) != Some(&b'=') {
        return Some((name, Vec::new()));
    }
    *i += 1;
    while *i < b.len() && is_space(b[*i]) {
        *i += 1;
    }
    let mut value = Vec::new();
    match b.get(*i) {
        Some(&q) if q == b'"' || q == b'\'' => {
            *i += 1;
            while *i < b.len() && b[*i] != q {
                value.push(b[*i].to_ascii_lowercase());
                *i += 1;
            }
            *i += 1;
        }
        Some(b'>') | None => {}
        Some(_) => {
            while *i < b.len() && !is_space(b[*i]) && b[*i] != b'>' {
                value.push(b[*i].to_ascii_lowercase());
                *i += 1;
            }
        }
    }
    Some((name, value))
}

/// `text/html; charset=Shift_JIS` → `shift_jis` (the standard's
/// "extracting a character encoding from a meta element").
fn charset_in_content(content: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    loop {
        let p = find_ci(&content[i..], b"charset")?;
        i += p + 7;
        while i < content.len() && is_space(content[i]) {
            i += 1;
        }
        if content.get(i) == Some(&b'=') {
            i += 1;
            break;
        }
    }
    while i < content.len() && is_space(content[i]) {
        i += 1;
    }
    match content.get(i)? {
        &q if q == b'"' || q == b'\'' => {
            let end = content[i + 1..].iter().position(|&c| c == q)?;
            Some(&content[i + 1..i + 1 + end])
        }
        _ => {
            let end = content[i..]
                .iter()
                .position(|&c| is_space(c) || c == b';')
                .unwrap_or(content.len() - i);
            Some(&content[i..i + end])
        }
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

fn starts_with_ci(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{EUC_JP, SHIFT_JIS};

    const BODY: &str = "<p>区の目標（何をめざすのか）</p><p>「暮らして楽しい」まち 港区の実現</p>";

    fn page(head: &str) -> String {
        format!("<!DOCTYPE html><html><head>{head}<title>港区</title></head><body>{BODY}</body></html>")
    }

    #[test]
    fn meta_charset_and_http_equiv() {
        assert_eq!(
            prescan(page(r#"<meta charset="Shift_JIS">"#).as_bytes()),
            Some(SHIFT_JIS)
        );
        assert_eq!(prescan(page("<meta charset=euc-jp>").as_bytes()), Some(EUC_JP));
        let equiv = r#"<meta http-equiv="Content-Type" content="text/html; charset=Windows-31J" />"#;
        assert_eq!(prescan(page(equiv).as_bytes()), Some(SHIFT_JIS));
        // content= without http-equiv declares nothing.
        let no_pragma = r#"<meta content="text/html; charset=EUC-JP">"#;
        assert_eq!(prescan(page(no_pragma).as_bytes()), None);
        // A meta inside a comment is not read.
        assert_eq!(prescan(page("<!-- <meta charset=euc-jp> -->").as_bytes()), None);
        // Past the first 1024 bytes is too late.
        let late = format!("{}<meta charset=euc-jp>", " ".repeat(1100));
        assert_eq!(prescan(late.as_bytes()), None);
    }

    #[test]
    fn declared_shift_jis_decodes() {
        let html = page(r#"<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">"#);
        let (bytes, _, _) = SHIFT_JIS.encode(&html);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(
            (d.encoding, d.by, d.text.as_str()),
            ("Shift_JIS", "meta", html.as_str())
        );
    }

    #[test]
    fn undeclared_bytes_are_judged() {
        let html = page("");
        let (bytes, _, _) = EUC_JP.encode(&html);
        let d = decode(&bytes, None).unwrap();
        assert_eq!((d.encoding, d.by), ("EUC-JP", "bytes"));
        assert_eq!(d.text, html);
    }

    #[test]
    fn bom_wins_over_meta() {
        let html = page("<meta charset=shift_jis>");
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(html.as_bytes());
        let d = decode(&bytes, None).unwrap();
        assert_eq!((d.encoding, d.by), ("UTF-8", "bom"));
    }

    #[test]
    fn transport_wins_over_meta() {
        let html = page("<meta charset=utf-8>");
        let (bytes, _, _) = EUC_JP.encode(&html);
        let d = decode(&bytes, Some(EUC_JP)).unwrap();
        assert_eq!(
            (d.encoding, d.by, d.text.as_str()),
            ("EUC-JP", "transport", html.as_str())
        );
    }

    #[test]
    fn a_wrong_declaration_over_utf8_bytes_is_overruled_with_a_warning() {
        let html = page("<meta charset=shift_jis>");
        let d = decode(html.as_bytes(), None).unwrap();
        assert_eq!((d.encoding, d.by), ("UTF-8", "bytes"));
        assert_eq!(d.text, html);
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    }
}
