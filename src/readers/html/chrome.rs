//! The site is not the document: which parts of a page are the ward
//! site's furniture — navigation, breadcrumbs, header and footer, skip
//! links (ページの先頭です), sidebars of related pages, forms, scripts and
//! styles — and where the content is.
//!
//! Decided from the page's structure, in this order: elements that are
//! never content (script, style, form controls, nav, aside …); ARIA
//! landmarks that are not the content (navigation, banner, contentinfo,
//! complementary, search); a header or footer that belongs to the page,
//! not to an article; ids and classes that name furniture (`gnavi`,
//! `breadcrumb`, `pankuzu`, `rightmenu`, `pagetop` …), matched word by
//! word so `table-header-cell` is not a header; blocks made mostly of
//! links (a list of other pages, whatever its class); and the few fixed
//! phrases Japanese municipal sites print for screen readers. Table
//! structure is never removed by its class: a form's cells are content.
//!
//! The content root is `<main>` (or `role="main"`), else the element whose
//! id names the main column (`main`, `main_body`, `honbun` …), else the body.

use super::dom::{Data, Dom, NodeId};

/// Elements whose subtree is never content.
const NEVER: &[&str] = &[
    "head", "script", "style", "noscript", "template", "input", "select", "textarea", "button", "option", "optgroup",
    "datalist", "iframe", "frame", "frameset", "object", "embed", "applet", "canvas", "audio", "video", "map", "nav",
    "aside", "dialog", "menu", "title", "meta", "link", "base",
];

/// ARIA landmarks that are the site, not the content.
const ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
];

/// Words of an id or class that name site furniture.
const FURNITURE_WORDS: &[&str] = &[
    "nav",
    "navi",
    "navigation",
    "gnav",
    "gnavi",
    "lnav",
    "lnavi",
    "rnav",
    "rnavi",
    "snavi",
    "subnav",
    "localnav",
    "globalnav",
    "menu",
    "menus",
    "submenu",
    "rightmenu",
    "leftmenu",
    "sidemenu",
    "megamenu",
    "breadcrumb",
    "breadcrumbs",
    "topicpath",
    "pankuzu",
    "header",
    "footer",
    "sidebar",
    "side",
    "sidenav",
    "skip",
    "skiplink",
    "pagetop",
    "gotop",
    "totop",
    "banner",
    "banners",
    "sns",
    "share",
    "social",
    "related",
    "relation",
    "kanren",
    "search",
    "inquiry",
    "toiawase",
    "contact",
    "questionnaire",
    "enquete",
    "feedback",
    "adobe",
    "acrobat",
    "plugin",
    "fontsize",
    "mojisize",
    "textsize",
    "language",
    "languages",
    "translate",
    "honyaku",
];

/// Ids that name the main column.
const MAIN_IDS: &[&str] = &[
    "main",
    "main_body",
    "mainbody",
    "main-body",
    "maincontents",
    "main_contents",
    "main-contents",
    "maincontent",
    "main_content",
    "main-content",
    "honbun",
    "contents_main",
    "mol_main",
    "primary",
];

/// What Japanese municipal sites print for screen readers around the
/// content, compared without spaces and final punctuation.
const SKIP_PHRASES: &[&str] = &[
    "ページの先頭です",
    "メニューの終端です",
    "ページの終端です",
    "本文へ",
    "本文へ移動",
    "本文へスキップ",
    "本文へジャンプ",
    "本文ここから",
    "本文ここまで",
    "ここから本文です",
    "ここまで本文です",
    "ここから本文",
    "ここまで本文",
    "メニューを飛ばして本文へ",
    "ナビゲーションをスキップ",
    "ナビゲーションを飛ばして本文へ",
    "ページの先頭へ",
    "ページの先頭へ戻る",
    "このページの先頭へ",
    "このページの先頭へ戻る",
    "ページトップへ",
    "ページトップへ戻る",
    "ページの上部へ",
    "先頭に戻る",
    "トップへ戻る",
    "ここからメニュー",
    "ここまでメニュー",
    "メニューここから",
    "メニューここまで",
    "サイトメニューここから",
    "サイトメニューここまで",
];

/// Headings of the boxes a municipal CMS puts in the content column —
/// the contact box, the feedback form, related pages, the PDF reader
/// notice: the heading and what follows it up to the next heading of its
/// level are furniture. Compared without spaces.
const FURNITURE_HEADINGS: &[&str] = &[
    "このページの作成者・問合せ先",
    "このページの作成者・問い合わせ先",
    "このページの作成者",
    "このページに関するお問い合わせ",
    "このページに関するお問合せ",
    "このページへのお問い合わせ",
    "この記事に関するお問い合わせ先",
    "お問い合わせ",
    "お問い合わせ先",
    "お問合せ先",
    "問い合わせ先",
    "問合せ先",
    "このページの情報は役に立ちましたか",
    "このページの内容は分かりやすかったですか",
    "このページに関するアンケート",
    "このカテゴリの他のページ",
    "このカテゴリーの他のページ",
    "このカテゴリのページ一覧",
    "関連ページ",
    "関連リンク",
    "関連記事",
    "探している情報が見つからない",
    "PDF形式のファイルをご覧いただく場合には",
    "PDFファイルをご覧いただくには",
    "AdobeAcrobatReaderのダウンロード",
];

/// Whether a heading opens one of the CMS's boxes around the content.
pub fn is_furniture_heading(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    FURNITURE_HEADINGS.contains(&t.as_str())
}

/// A form is furniture (a search box, a feedback form) unless it wraps the
/// page: some sites' frameworks put the whole body in one `<form>`.
const FORM_CONTENT_CHARS: usize = 1000;

/// The page's text and link measures, per node, to judge link lists.
pub struct Measures {
    /// Characters of text below the node (white space excluded).
    text: Vec<usize>,
    /// Of those, characters inside links.
    link_text: Vec<usize>,
    /// Links below the node.
    links: Vec<usize>,
}

impl Measures {
    pub fn of(dom: &Dom) -> Measures {
        let n = dom.nodes.len();
        let mut m = Measures {
            text: vec![0; n],
            link_text: vec![0; n],
            links: vec![0; n],
        };
        // Post-order without recursion: children before parents.
        let mut order = Vec::with_capacity(n);
        let mut stack = vec![0usize];
        while let Some(id) = stack.pop() {
            order.push(id);
            stack.extend(dom.children(id).iter().copied());
        }
        for &id in order.iter().rev() {
            let Some(node) = dom.node(id) else { continue };
            match &node.data {
                Data::Text(t) => m.text[id] = t.chars().filter(|c| !c.is_whitespace()).count(),
                Data::Element { name, .. } if matches!(name.as_str(), "script" | "style" | "template") => {}
                _ => {
                    let (mut t, mut l, mut k) = (0, 0, 0);
                    for &c in &node.children {
                        t += m.text.get(c).copied().unwrap_or(0);
                        l += m.link_text.get(c).copied().unwrap_or(0);
                        k += m.links.get(c).copied().unwrap_or(0);
                    }
                    if dom.name(id) == Some("a") && dom.attr(id, "href").is_some() {
                        l = t;
                        k += 1;
                    }
                    m.text[id] = t;
                    m.link_text[id] = l;
                    m.links[id] = k;
                }
            }
        }
        m
    }

    pub fn text(&self, id: NodeId) -> usize {
        self.text.get(id).copied().unwrap_or(0)
    }
}

/// The words of an id or class attribute: `mol_rightMenu gnavi` →
/// `mol`, `right`, `menu`, `rightmenu`, `gnavi` (whole tokens, and their
/// pieces split at `-`, `_` and lower-to-upper case changes).
fn words(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in value.split_ascii_whitespace() {
        for piece in token.split(['-', '_']) {
            out.push(piece.to_ascii_lowercase());
            let mut word = String::new();
            let mut prev_lower = false;
            for c in piece.chars() {
                if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
                    out.push(std::mem::take(&mut word).to_ascii_lowercase());
                }
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                word.push(c);
            }
            if !word.is_empty() && word.len() < piece.len() {
                out.push(word.to_ascii_lowercase());
            }
        }
        out.push(token.to_ascii_lowercase());
    }
    out
}

/// The elements a table's structure is made of: never removed by class.
fn is_table_part(name: &str) -> bool {
    matches!(
        name,
        "table" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup" | "col"
    )
}

/// Whether an element inside a table cell is not content: what is never
/// content anywhere (scripts, controls, hidden elements). Classes and link
/// density do not count inside a cell: a form's cells are content.
pub fn is_furniture_in_cell(dom: &Dom, id: NodeId) -> bool {
    let Some(node) = dom.node(id) else { return true };
    let Data::Element { name, html, .. } = &node.data else {
        return matches!(node.data, Data::Other);
    };
    if !html || NEVER.contains(&name.as_str()) {
        return true;
    }
    if dom.attr(id, "hidden").is_some() || dom.attr(id, "aria-hidden").is_some_and(|v| v.trim() == "true") {
        return true;
    }
    if let Some(style) = dom.attr(id, "style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

/// Whether the element's subtree is site furniture.
pub fn is_furniture(dom: &Dom, m: &Measures, id: NodeId) -> bool {
    if is_furniture_in_cell(dom, id) {
        return true;
    }
    let Some(Data::Element { name, .. }) = dom.node(id).map(|n| &n.data) else {
        return false;
    };
    if let Some(role) = dom.attr(id, "role")
        && ROLES.contains(&role.trim().to_ascii_lowercase().as_str())
    {
        return true;
    }
    match name.as_str() {
        "form" => return m.text(id) < FORM_CONTENT_CHARS,
        "header" | "footer" => return !inside_article(dom, id),
        _ => {}
    }
    if is_table_part(name) || matches!(name.as_str(), "html" | "body" | "main") {
        return false;
    }
    for attr in ["id", "class"] {
        if let Some(v) = dom.attr(id, attr)
            && words(v).iter().any(|w| FURNITURE_WORDS.contains(&w.as_str()))
            && !is_main(dom, id)
        {
            return true;
        }
    }
    // A block made mostly of links: a list of other pages.
    if matches!(
        name.as_str(),
        "ul" | "ol" | "dl" | "div" | "section" | "p" | "span" | "center"
    ) {
        let at = |v: &Vec<usize>| v.get(id).copied().unwrap_or(0);
        let (t, l, k) = (at(&m.text), at(&m.link_text), at(&m.links));
        if k >= 3 && l * 10 >= t * 7 {
            return true;
        }
        if k >= 2 && t <= 200 && is_breadcrumb(dom, id) {
            return true;
        }
    }
    false
}

/// Breadcrumbs, whatever they are called: links with nothing between them
/// but separators (`港区トップ > 区政情報 > 区政運営 > 令和4年度…`), the
/// current page's name after the last.
fn is_breadcrumb(dom: &Dom, id: NodeId) -> bool {
    // The block's text in order: (inside a link, text).
    let mut pieces: Vec<(bool, String)> = Vec::new();
    let mut stack: Vec<(NodeId, bool)> = vec![(id, false)];
    let mut visited = 0;
    while let Some((n, in_link)) = stack.pop() {
        // A trail is a few links: a block this large is not one (and its
        // nested blocks are not each scanned whole).
        visited += 1;
        if visited > 256 || pieces.len() > 64 {
            return false;
        }
        let Some(node) = dom.node(n) else { continue };
        match &node.data {
            Data::Text(t) if !t.trim().is_empty() => pieces.push((in_link, t.trim().to_string())),
            Data::Element { name, .. } => {
                let link = in_link || name == "a";
                stack.extend(node.children.iter().rev().map(|&c| (c, link)));
            }
            _ => {}
        }
    }
    let links: Vec<usize> = pieces.iter().enumerate().filter(|(_, p)| p.0).map(|(i, _)| i).collect();
    let (Some(&first), Some(&last)) = (links.first(), links.last()) else {
        return false;
    };
    let separator = |s: &str| {
        s.chars()
            .all(|c| c.is_whitespace() || matches!(c, '>' | '＞' | '»' | '›' | '→' | '/' | '|' | '≫' | '＜' | '<'))
    };
    let between_are_separators = pieces[first..=last].iter().all(|(link, t)| *link || separator(t));
    let seps = pieces[first..=last].iter().filter(|(link, _)| !link).count();
    links.len() >= 2 && seps >= links.len() - 1 && between_are_separators
}

/// A header or footer inside an article or section is the article's own.
fn inside_article(dom: &Dom, id: NodeId) -> bool {
    let mut cur = dom.node(id).and_then(|n| n.parent);
    while let Some(p) = cur {
        if matches!(dom.name(p), Some("article" | "section" | "main")) {
            return true;
        }
        cur = dom.node(p).and_then(|n| n.parent);
    }
    false
}

fn is_main(dom: &Dom, id: NodeId) -> bool {
    dom.name(id) == Some("main")
        || dom
            .attr(id, "role")
            .is_some_and(|r| r.trim().eq_ignore_ascii_case("main"))
        || dom
            .attr(id, "id")
            .is_some_and(|v| MAIN_IDS.contains(&v.trim().to_ascii_lowercase().as_str()))
}

/// Whether a piece of text is one of the screen-reader phrases around the
/// content.
pub fn is_skip_phrase(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '。' | '.' | '↑' | '▲' | '△' | '∧' | '^'))
        .collect();
    !t.is_empty() && SKIP_PHRASES.contains(&t.as_str())
}

/// The content root: `<main>` or `role="main"`, else the element whose id
/// names the main column, else `<body>`; one that holds no text is passed
/// over.
pub fn content_root(dom: &Dom, m: &Measures) -> NodeId {
    let all = dom.descendants(0, &|_| false);
    let by = |pred: &dyn Fn(NodeId) -> bool| all.iter().copied().find(|&id| pred(id) && m.text(id) > 0);
    by(&|id| {
        dom.name(id) == Some("main")
            || dom
                .attr(id, "role")
                .is_some_and(|r| r.trim().eq_ignore_ascii_case("main"))
    })
    .or_else(|| by(&|id| is_main(dom, id)))
    .or_else(|| by(&|id| dom.name(id) == Some("body")))
    .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::dom;
    use super::*;

    fn furniture_of(html: &str, tag: &str) -> Vec<bool> {
        let d = dom::parse(html, 100_000);
        let m = Measures::of(&d);
        (0..d.nodes.len())
            .filter(|&i| d.name(i) == Some(tag))
            .map(|i| is_furniture(&d, &m, i))
            .collect()
    }

    #[test]
    fn words_split_ids_and_classes() {
        let w = words("mol_rightMenu gnavi");
        for x in ["mol", "right", "menu", "rightmenu", "gnavi"] {
            assert!(w.contains(&x.to_string()), "{w:?} lacks {x}");
        }
        assert!(!words("table-headline").contains(&"header".to_string()));
    }

    #[test]
    fn furniture_by_tag_role_class_and_links() {
        assert_eq!(furniture_of("<nav><a href=/>top</a></nav>", "nav"), [true]);
        assert_eq!(
            furniture_of(r#"<div role="navigation">x</div><div>y</div>"#, "div"),
            [true, false]
        );
        assert_eq!(
            furniture_of(r#"<div id="pankuzu">港区トップ &gt; 区政</div>"#, "div"),
            [true]
        );
        assert_eq!(
            furniture_of(r#"<div class="table-headline">見出し</div>"#, "div"),
            [false]
        );
        // Breadcrumbs by their shape.
        let crumbs = r#"<div class="p1"><a href="/">港区トップ</a> &gt; <a href="/k">区政情報</a> &gt; 令和4年度港区運営方針</div>"#;
        assert_eq!(furniture_of(crumbs, "div"), [true]);
        let prose = r#"<div><a href="/a">区民モニター</a>と<a href="/b">地域活動協議会</a>の連携</div>"#;
        assert_eq!(furniture_of(prose, "div"), [false]);
        // A list of other pages, whatever its class is called.
        let list = r#"<ul class="box2"><li><a href="a">令和3年度港区運営方針</a></li><li><a href="b">令和2年度港区運営方針</a></li><li><a href="c">令和元年度港区運営方針</a></li></ul>"#;
        assert_eq!(furniture_of(list, "ul"), [true]);
        // A table cell is never removed by its class.
        assert_eq!(
            furniture_of(r#"<table><tr><td class="side">計画</td></tr></table>"#, "td"),
            [false]
        );
    }

    #[test]
    fn a_form_wrapping_the_page_is_not_furniture() {
        let small = r#"<form action="/search"><input name=q><button>検索</button></form>"#;
        assert_eq!(furniture_of(small, "form"), [true]);
        let big = format!("<form><p>{}</p></form>", "経営課題".repeat(400));
        assert_eq!(furniture_of(&big, "form"), [false]);
    }

    #[test]
    fn skip_phrases() {
        assert!(is_skip_phrase("ページの先頭です"));
        assert!(is_skip_phrase(" メニューの終端です。"));
        assert!(is_skip_phrase("▲ページの先頭へ戻る"));
        assert!(!is_skip_phrase("ページの先頭です。令和4年度"));
    }

    #[test]
    fn content_root_prefers_main() {
        let d = dom::parse(
            r#"<body><div id="header">港区</div><div id="main"><h1>x</h1></div><main><p>y</p></main></body>"#,
            1000,
        );
        let m = Measures::of(&d);
        assert_eq!(d.name(content_root(&d, &m)), Some("main"));
        let d = dom::parse(
            r#"<body><div id="header">港区</div><div id="main"><h1>x</h1></div></body>"#,
            1000,
        );
        let m = Measures::of(&d);
        assert_eq!(d.attr(content_root(&d, &m), "id"), Some("main"));
    }
}
