//! The page both reports share: escaping, the skeleton with its inline
//! style sheet and script (`assets/`), and data handed to the script.
//!
//! A report is one file that opens anywhere, years later, offline: no
//! network, no external asset, no framework. Everything put into the page
//! goes through [`esc`] (text and attribute values alike) or, for data the
//! script reads, [`json_data`].

use std::fmt::Write as _;

const STYLE: &str = include_str!("assets/report.css");
const SCRIPT: &str = include_str!("assets/report.js");

/// Text or an attribute value, escaped for HTML (and for SVG inside it).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    esc_into(&mut out, s);
    out
}

/// [`esc`], appended.
pub fn esc_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters a release may hold are not allowed in
            // HTML text (and break SVG's XML): shown as the replacement mark.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// A value as JSON inside `<script type="application/json">`: `<`, `>`
/// and `&` written as `\u003c` … so no `</script>` or comment can end the
/// element early.
pub fn json_data<T: serde::Serialize>(v: &T) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".to_string());
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A number for SVG coordinates: two decimals, no trailing zeros.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let r = (v * 100.0).round() / 100.0;
    let mut s = format!("{r:.2}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".to_string() } else { s }
}

/// The whole page: `title`, the body's HTML, and the data the script reads.
pub fn page(title: &str, body: &str, data_json: &str) -> String {
    let mut out = String::with_capacity(body.len() + STYLE.len() + SCRIPT.len() + data_json.len() + 512);
    out.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Marks the file as this program's output (a later run over a folder
    // that holds it can tell), and forbids every fetch: nothing loads.
    out.push_str("<meta name=\"generator\" content=\"yoshiki inspect\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = write!(
        out,
        "<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(title)
    );
    out.push_str(body);
    out.push_str("\n<script type=\"application/json\" id=\"report-data\">");
    out.push_str(data_json);
    out.push_str("</script>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_script_ends() {
        assert_eq!(
            esc("<b>\"a\" & 'b'</b>"),
            "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;"
        );
        assert_eq!(esc("a\u{1}b"), "a\u{FFFD}b");
        let j = json_data(&vec!["</script><!--", "&"]);
        assert!(!j.contains('<') && !j.contains('&'), "{j}");
        assert_eq!(
            serde_json::from_str::<Vec<String>>(&j).unwrap(),
            vec!["</script><!--", "&"]
        );
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
    }
}
