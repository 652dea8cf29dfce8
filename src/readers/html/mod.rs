//! Web pages: a ward site's page as saved (`.html`, in any of the
//! encodings the city's sites have used) or as a web archive (`.mhtml`),
//! into the intermediate form.
//!
//! * `mhtml` — the page inside a web archive (quoted-printable or base64);
//! * `charset` — the encoding, decided as a browser decides it;
//! * `dom` — html5ever's tree construction into an arena;
//! * `chrome` — which parts are the site (navigation, breadcrumbs, header,
//!   footer, skip links, sidebars, forms, scripts) and where the content is;
//! * `content` — the content as rows: tables on their grid, headings,
//!   paragraphs; `table` — rowspan and colspan placed on the grid;
//! * `facts` — the page's own number and dates, kept in `source`.
//!
//! A page is told from a text release in the Markdown-with-HTML-cells
//! dialect by its bytes (`is_page`), never by its name.

mod charset;
mod chrome;
mod content;
mod dom;
mod facts;
mod mhtml;
mod table;

use crate::error::Result;
use crate::ir::{Ir, Meta};
use crate::limits::Limits;
use crate::model::{Format, Location, Warning};

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("not a readable page: {bad} of {total} characters are control characters or undecodable in any encoding")]
    Binary { bad: usize, total: usize },
    #[error("a web archive (MIME) without a page: {0}")]
    Archive(String),
    #[error("the HTML parser failed on this page ({0})")]
    Parser(String),
}

impl HtmlError {
    pub fn code(&self) -> &'static str {
        match self {
            HtmlError::Binary { .. } => "not_text",
            HtmlError::Archive(_) => "bad_archive",
            HtmlError::Parser(_) => "corrupt",
        }
    }
}

/// Whether the bytes are a web page (or a web archive of one) rather than
/// a text release. A page starts, after any byte-order mark, white space,
/// comments and XML declaration, with a document's tag (`<!DOCTYPE html>`,
/// `<html>`, `<head>`, `<body>`, `<meta>`, `<title>`), or with a block of
/// markup (`<table>`, `<div>`, `<h1>` …) on a line that is not a
/// tab-separated row. A text release in the Markdown-with-HTML-cells
/// dialect starts with text or a tab-separated row whose cells hold HTML.
pub fn is_page(bytes: &[u8]) -> bool {
    if mhtml::is_mhtml(bytes) {
        return true;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let head: std::borrow::Cow<[u8]> = match encoding_rs::Encoding::for_bom(head) {
        Some((enc, len)) if enc != encoding_rs::UTF_8 => {
            let (s, _) = enc.decode_without_bom_handling(&head[len..]);
            std::borrow::Cow::Owned(s.into_owned().into_bytes())
        }
        Some((_, len)) => std::borrow::Cow::Borrowed(&head[len..]),
        None => std::borrow::Cow::Borrowed(head),
    };
    let mut rest: &[u8] = &head;
    loop {
        let t = rest.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(rest.len());
        rest = &rest[t..];
        if rest.starts_with(b"<!--") {
            match memchr::memmem::find(rest, b"-->") {
                Some(p) => rest = &rest[p + 3..],
                None => return false,
            }
        } else if rest.starts_with(b"<?xml") {
            match memchr::memchr(b'>', rest) {
                Some(p) => rest = &rest[p + 1..],
                None => return false,
            }
        } else {
            break;
        }
    }
    let starts = |tag: &[u8]| {
        rest.len() > tag.len()
            && rest[..tag.len()].eq_ignore_ascii_case(tag)
            && matches!(rest[tag.len()], b' ' | b'>' | b'\t' | b'\n' | b'\r' | b'/')
    };
    if rest.len() >= 14 && rest[..14].eq_ignore_ascii_case(b"<!doctype html") {
        return true;
    }
    if [&b"<html"[..], b"<head", b"<body", b"<meta", b"<title"]
        .iter()
        .any(|t| starts(t))
    {
        return true;
    }
    let block = [
        &b"<table"[..],
        b"<div",
        b"<h1",
        b"<h2",
        b"<h3",
        b"<h4",
        b"<h5",
        b"<h6",
        b"<section",
        b"<article",
        b"<main",
        b"<header",
        b"<style",
        b"<script",
        b"<link",
    ];
    let first_line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    block.iter().any(|t| starts(t)) && !first_line.contains(&b'\t')
}

/// Read a page's bytes into the intermediate form. As the workbook
/// reader does, a panic inside the parser on a page nobody foresaw is
/// caught and reported as that page's error, so one file never stops a batch.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Ir> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_unguarded(bytes, limits))) {
        Ok(result) => result,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(HtmlError::Parser(why).into())
        }
    }
}

fn read_unguarded(bytes: &[u8], limits: &Limits) -> Result<Ir> {
    let mut warnings = Vec::new();
    let archive;
    let (page, transport, url, dialect) = if mhtml::is_mhtml(bytes) {
        archive = mhtml::page(bytes).map_err(|e| HtmlError::Archive(e.to_string()))?;
        (
            archive.body.as_slice(),
            archive.charset,
            archive.location.clone(),
            "mhtml",
        )
    } else {
        (bytes, None, None, "html")
    };
    let decoded = charset::decode(page, transport).map_err(|e| match e {
        crate::readers::text::encoding::NotText::Binary { bad, total } => HtmlError::Binary { bad, total },
    })?;
    for w in &decoded.warnings {
        warnings.push(Warning::new("page_encoding", w.clone(), Location::default()));
    }
    let line_ending = line_ending(&decoded.text);
    // A node per cell is the bound a workbook has; a page's markup around
    // its text takes a few nodes more.
    let max_nodes = usize::try_from(limits.max_cells.saturating_mul(8)).unwrap_or(usize::MAX);
    // The HTML input stream's own newline normalisation, done before the
    // parser so that its line count (provenance) counts CRLF once.
    let text = if decoded.text.contains('\r') {
        decoded.text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        decoded.text
    };
    let tree = dom::parse(&text, max_nodes);
    if tree.truncated {
        warnings.push(Warning::new(
            "page_truncated",
            format!(
                "the page has more than {max_nodes} elements and text nodes (--max-cells × 8); the rest was not read"
            ),
            Location::default(),
        ));
    }
    let c = content::extract(&tree, limits.max_cells, limits.max_depth);
    if c.cut {
        warnings.push(Warning::new(
            "page_truncated",
            format!(
                "the page's tables have more than {} cells (--max-cells); the rest was not read",
                limits.max_cells
            ),
            Location::default(),
        ));
    }
    if c.flattened {
        warnings.push(Warning::new(
            "page_too_deep",
            format!(
                "markup nested deeper than {} elements (--max-depth) was read as running text",
                limits.max_depth
            ),
            Location::default(),
        ));
    }
    // `source.title` is the page's title: the heading it prints, else its
    // `<title>` (which names the site as well: never read for detection).
    let title = c.title.clone().or_else(|| html_title(&tree));
    Ok(Ir {
        format: Format::Html,
        meta: Meta {
            encoding: Some(decoded.encoding.to_string()),
            line_ending,
            dialect: Some(dialect.to_string()),
            title,
            page_heading: c.title,
            page_number: c.page_number,
            page_dates: c.dates,
            url,
            ..Meta::default()
        },
        rows: c.rows,
        revisions: Vec::new(),
        warnings,
    })
}

/// The `<title>` element's text, where the page prints no title heading.
fn html_title(tree: &dom::Dom) -> Option<String> {
    let id = tree
        .descendants(0, &|_| false)
        .into_iter()
        .find(|&n| tree.name(n) == Some("title"))?;
    let mut s = String::new();
    for &c in tree.children(id) {
        if let Some(dom::Node {
            data: dom::Data::Text(t),
            ..
        }) = tree.node(c)
        {
            s.push_str(t);
        }
    }
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn line_ending(text: &str) -> Option<String> {
    let crlf = text.matches("\r\n").count();
    let cr = text.matches('\r').count() - crlf;
    let lf = text.matches('\n').count() - crlf;
    let e = if crlf == 0 && cr == 0 && lf == 0 {
        return None;
    } else if crlf >= lf && crlf >= cr {
        "CRLF"
    } else if lf >= cr {
        "LF"
    } else {
        "CR"
    };
    Some(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_from_markdown_releases() {
        assert!(is_page(b"<!DOCTYPE html>\n<html lang=ja>"));
        assert!(is_page(
            b"\xEF\xBB\xBF  <!-- saved from url=(0040)https://www.city.osaka.lg.jp/ -->\r\n<html>"
        ));
        assert!(is_page(
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0\">"
        ));
        assert!(is_page(b"<table border=1><tr><td>a</td></tr></table>"));
        // The Markdown-with-HTML-cells dialect of the text releases.
        assert!(!is_page(
            "\n\n# 令和3年度 港区運営方針\n\n具体的取組\t現状\n1 つながり\t<ul><li>a</li></ul>\n".as_bytes()
        ));
        assert!(!is_page("<p>【経営課題4】 子ども</p>\t<p>【4-1】</p>\n".as_bytes()));
        assert!(!is_page("<div>経営課題</div>\t<ul><li>x</li></ul>\n".as_bytes()));
        assert!(!is_page(b"plain text"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "<!DOCTYPE html><html>".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert!(is_page(&utf16));
    }

    #[test]
    fn a_page_reads_into_rows_with_its_facts() {
        let page = "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>大阪市港区：令和4年度港区運営方針</title></head>\r\n<body><div id=\"main\"><h1>令和4年度港区運営方針</h1><p>2024年3月13日</p><p>ページ番号：565017</p>\r\n<table><tr><td>経営課題の概要</td><td>主な戦略</td></tr></table></div></body></html>";
        let ir = read(page.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(ir.format, Format::Html);
        assert_eq!(ir.meta.title.as_deref(), Some("令和4年度港区運営方針"));
        assert_eq!(ir.meta.page_number.as_deref(), Some("565017"));
        assert_eq!(ir.meta.page_dates, ["2024-03-13"]);
        assert_eq!(ir.meta.line_ending.as_deref(), Some("CRLF"));
        assert_eq!(ir.rows[0].text(), "経営課題の概要\t主な戦略");
        assert_eq!(ir.rows[0].cells[1].at.line, Some(4));
    }

    #[test]
    fn without_a_title_heading_the_title_element_is_the_pages_title() {
        let page =
            "<html><head><title>大阪市港区：令和4年度港区運営方針</title></head><body><p>区の目標</p></body></html>";
        let ir = read(page.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(ir.meta.title.as_deref(), Some("大阪市港区：令和4年度港区運営方針"));
        // It names the site: it is not read as the document's words.
        assert_eq!(ir.meta.page_heading, None);
    }

    #[test]
    fn numeric_and_named_character_references() {
        let page = "<html><body><p>&#28207;&#x533A; &amp; &lt;2&#24180;&#24230;&gt; &nbsp;x</p></body></html>";
        let ir = read(page.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(ir.rows[0].text(), "港区 & <2年度> \u{a0}x");
    }
}
