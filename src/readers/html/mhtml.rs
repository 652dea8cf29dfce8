//! Web archives (`.mhtml`, `.mht`): a MIME message (RFC 2557) whose first
//! HTML part is the page, its images and style sheets the other parts.
//! Chromium writes the page quoted-printable, older browsers base64, each
//! part with its own `Content-Type` (whose `charset` is the transport's
//! word on the encoding) and `Content-Location` (the page's address).
//!
//! Written by hand: a MIME crate (mail-parser and the like) brings header
//! decoders, address parsers and charset tables for mail; a saved page
//! needs headers, one boundary, and the two transfer encodings, a few dozen
//! lines each.

use encoding_rs::Encoding;

/// The page a web archive holds.
#[derive(Debug)]
pub struct Part {
    pub body: Vec<u8>,
    /// The part's declared charset, if any.
    pub charset: Option<&'static Encoding>,
    /// The page's address (`Content-Location`, or the archive's
    /// `Snapshot-Content-Location`).
    pub location: Option<String>,
}

/// Whether the bytes are a MIME message holding a page: headers first
/// (`MIME-Version:`, `Content-Type: multipart/related` …).
pub fn is_mhtml(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let Some(end) = header_end(head) else { return false };
    let headers = parse_headers(&head[..end]);
    let ct = header(&headers, "content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mime = header(&headers, "mime-version").is_some();
    (mime || header(&headers, "from").is_some())
        && (ct.starts_with("multipart/related") || (mime && ct.starts_with("text/html")))
}

/// Why an archive gives no page.
#[derive(Debug, PartialEq)]
pub enum ArchiveError {
    HeadersUnended,
    BoundaryMissing,
    PageMissing { parts: usize },
}

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            ArchiveError::HeadersUnended => write!(f, "the archive's MIME headers do not end"),
            ArchiveError::BoundaryMissing => write!(f, "a multipart archive without a boundary"),
            ArchiveError::PageMissing { parts } => write!(f, "none of its {parts} part(s) is an HTML page"),
        }
    }
}

/// The archive's page.
pub fn page(bytes: &[u8]) -> Result<Part, ArchiveError> {
    let end = header_end(bytes).ok_or(ArchiveError::HeadersUnended)?;
    let headers = parse_headers(&bytes[..end]);
    let body = &bytes[end..];
    let ct = header(&headers, "content-type").unwrap_or_default();
    let snapshot = header(&headers, "snapshot-content-location");
    if !ct.to_ascii_lowercase().starts_with("multipart/") {
        return Ok(decode_part(&headers, body, snapshot));
    }
    let boundary = param(&ct, "boundary").ok_or(ArchiveError::BoundaryMissing)?;
    let parts = split_parts(body, boundary.as_bytes());
    let count = parts.len();
    let mut pages: Vec<Part> = Vec::new();
    for p in parts {
        let Some(e) = header_end(p) else { continue };
        let h = parse_headers(&p[..e]);
        let pct = header(&h, "content-type").unwrap_or_default().to_ascii_lowercase();
        if pct.starts_with("text/html") || pct.starts_with("application/xhtml") {
            pages.push(decode_part(&h, &p[e..], snapshot.clone()));
        }
    }
    // The snapshot's own page where the archive names it (frames are
    // further HTML parts), else the first.
    let main = pages
        .iter()
        .position(|p| snapshot.is_some() && p.location == snapshot)
        .unwrap_or(0);
    if pages.is_empty() {
        return Err(ArchiveError::PageMissing { parts: count });
    }
    Ok(pages.swap_remove(main))
}

fn decode_part(headers: &[(String, String)], body: &[u8], snapshot: Option<String>) -> Part {
    let transfer = header(headers, "content-transfer-encoding")
        .unwrap_or_else(|| "8bit".to_string())
        .trim()
        .to_ascii_lowercase();
    let body = match transfer.as_str() {
        "quoted-printable" => quoted_printable(body),
        "base64" => base64(body),
        _ => body.to_vec(),
    };
    let charset = header(headers, "content-type")
        .and_then(|ct| param(&ct, "charset"))
        .and_then(|c| Encoding::for_label(c.as_bytes()));
    Part {
        body,
        charset,
        location: header(headers, "content-location").or(snapshot),
    }
}

/// Where the header block ends (after its blank line).
fn header_end(b: &[u8]) -> Option<usize> {
    let crlf = find(b, b"\r\n\r\n").map(|p| p + 4);
    let lf = find(b, b"\n\n").map(|p| p + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Header lines, unfolded, names lower-cased.
fn parse_headers(b: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(b);
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    out
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// A parameter of a header value: `boundary="----x"` → `----x`.
fn param(value: &str, name: &str) -> Option<String> {
    for piece in value.split(';').skip(1) {
        let Some((k, v)) = piece.split_once('=') else { continue };
        if k.trim().eq_ignore_ascii_case(name) {
            return Some(v.trim().trim_matches('"').to_string());
        }
    }
    None
}

/// The parts between `--boundary` lines, up to `--boundary--`.
fn split_parts<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut delim = b"--".to_vec();
    delim.extend_from_slice(boundary);
    let mut parts = Vec::new();
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (delimiter start, content start)
    let mut i = 0;
    while let Some(p) = find(&body[i..], &delim) {
        let at = i + p;
        let line_start = at == 0 || body[at - 1] == b'\n';
        let after = at + delim.len();
        if line_start {
            let closing = body[after..].starts_with(b"--");
            let content = find(&body[after..], b"\n").map_or(body.len(), |n| after + n + 1);
            starts.push((at, content));
            if closing {
                break;
            }
        }
        i = after;
    }
    for w in starts.windows(2) {
        let (_, content) = w[0];
        let (next, _) = w[1];
        if content <= next {
            parts.push(&body[content..next]);
        }
    }
    parts
}

fn quoted_printable(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            // A soft line break: `=` at a line's end.
            if b[i + 1..].starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            let hex = |c: Option<&u8>| c.and_then(|c| (*c as char).to_digit(16));
            if let (Some(h), Some(l)) = (hex(b.get(i + 1)), hex(b.get(i + 2))) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn base64(b: &[u8]) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(b.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in b {
        if c == b'=' {
            break;
        }
        let Some(v) = val(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROMIUM: &str = "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://example.org/p.html\r\nSubject: =?utf-8?Q?x?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--abc----\"\r\n\r\n\r\n------MultipartBoundary--abc----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: https://example.org/p.html\r\n\r\n<html><head><meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3DUTF-8\"></head><body><p>=E6=B8=AF=E5=8C=BA</p><p>a long line that was=\r\n cut</p></body></html>\r\n------MultipartBoundary--abc----\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://example.org/a.png\r\n\r\niVBORw0KGgo=\r\n------MultipartBoundary--abc------\r\n";

    #[test]
    fn chromium_quoted_printable_page() {
        assert!(is_mhtml(CHROMIUM.as_bytes()));
        let p = page(CHROMIUM.as_bytes()).unwrap();
        let html = String::from_utf8(p.body).unwrap();
        assert!(html.contains("<p>港区</p>"), "{html}");
        assert!(html.contains("a long line that was cut"), "{html}");
        assert!(html.contains(r#"content="text/html; charset=UTF-8""#), "{html}");
        assert_eq!(p.location.as_deref(), Some("https://example.org/p.html"));
    }

    #[test]
    fn base64_part_with_charset() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("<p>港区</p>");
        let b64 = {
            const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut s = String::new();
            for ch in sjis.chunks(3) {
                let n = ch
                    .iter()
                    .enumerate()
                    .fold(0u32, |a, (i, &c)| a | (c as u32) << (16 - 8 * i));
                for k in 0..=ch.len() {
                    s.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
                }
                s.push_str(&"=".repeat(3 - ch.len()));
            }
            s
        };
        let msg = format!(
            "MIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"b\"\n\n--b\nContent-Type: text/html; charset=\"shift_jis\"\nContent-Transfer-Encoding: base64\n\n{b64}\n--b--\n"
        );
        assert!(is_mhtml(msg.as_bytes()));
        let p = page(msg.as_bytes()).unwrap();
        assert_eq!(p.charset, Some(encoding_rs::SHIFT_JIS));
        assert_eq!(p.body, sjis.as_ref());
    }

    #[test]
    fn an_archive_without_a_page_says_so() {
        let msg = "MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b\nContent-Type: image/png\n\nxx\n--b--\n";
        assert_eq!(
            page(msg.as_bytes()).unwrap_err(),
            ArchiveError::PageMissing { parts: 1 }
        );
    }

    #[test]
    fn html_is_not_mhtml() {
        assert!(!is_mhtml(
            b"<!DOCTYPE html>\n<html><head><title>x</title></head></html>"
        ));
        assert!(!is_mhtml("経営課題\t主な戦略\n\n".as_bytes()));
    }
}
