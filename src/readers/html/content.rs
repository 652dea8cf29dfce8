//! From the page's content to rows of the intermediate form:
//!
//! * a table's rows → table rows, cells on the table's grid (rowspan and
//!   colspan resolved, see `table`), each cell's `<br>`, `<li>` and
//!   paragraphs as item breaks (`\n`); provenance: the table's number on
//!   the page, the cell's grid address (`B3`) and its source line;
//! * `<h1>`…`<h6>` → headings;
//! * a paragraph (any block of running text) → its lines, `<br>`-lines
//!   joined where the text says they go on (`readers::lines`, as for a
//!   PDF's running text), a blank row after it: a paragraph on a page is
//!   never text continuing into the next one;
//! * each list item outside a table → its own paragraph.
//!
//! The page's own header — its first `<h1>` (the page's title on a ward
//! site) and the dates and page number printed under it — are the page's
//! facts, not the document's: they go to `source`, not into the rows.

use super::chrome::{self, Measures};
use super::dom::{Data, Dom, NodeId};
use super::facts;
use super::table;
use crate::ir::{Cell, Row, RowKind};
use crate::model::Location;
use crate::readers::lines;

#[derive(Debug, Default)]
pub struct Content {
    pub rows: Vec<Row>,
    /// The page's title: its first `<h1>` before any content.
    pub title: Option<String>,
    pub page_number: Option<String>,
    /// Dates printed with the page's title, `YYYY-MM-DD`.
    pub dates: Vec<String>,
    /// Cells past the limit were left out.
    pub cut: bool,
    /// Content nested deeper than the limit was read as flat text.
    pub flattened: bool,
}

/// Elements that end a line of running text before and after them.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
    "listing",
    "xmp",
    "plaintext",
];

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

pub fn extract(dom: &Dom, max_cells: u64, max_depth: usize) -> Content {
    let m = Measures::of(dom);
    let root = chrome::content_root(dom, &m);
    let mut w = Walker {
        dom,
        m: &m,
        out: Content::default(),
        lines: Vec::new(),
        cur: Text::default(),
        tables: 0,
        header_open: false,
        seen_content: false,
        cells: 0,
        max_cells,
        max_depth,
    };
    w.block(root, 0);
    w.flush();
    w.out
}

/// A line of running text being gathered: white space collapsed as a
/// browser collapses it.
#[derive(Default)]
struct Text {
    s: String,
    space: bool,
    line: u32,
}

impl Text {
    fn push(&mut self, t: &str, line: u32) {
        for c in t.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                self.space = true;
                continue;
            }
            if self.s.is_empty() {
                self.line = line;
            } else if self.space {
                self.s.push(' ');
            }
            self.space = false;
            self.s.push(c);
        }
    }

    fn take(&mut self) -> Option<(String, u32)> {
        self.space = false;
        let s = std::mem::take(&mut self.s);
        (!s.is_empty()).then_some((s, self.line))
    }
}

struct Walker<'a> {
    dom: &'a Dom,
    m: &'a Measures,
    out: Content,
    /// The current paragraph's finished lines.
    lines: Vec<(String, u32)>,
    cur: Text,
    tables: u32,
    /// Just after the page's title: dates and the page number may follow.
    header_open: bool,
    seen_content: bool,
    cells: u64,
    max_cells: u64,
    max_depth: usize,
}

impl Walker<'_> {
    fn block(&mut self, id: NodeId, depth: usize) {
        if depth > self.max_depth {
            self.out.flattened = true;
            self.flat_text(id);
            return;
        }
        // Inside a box the CMS opened with a furniture heading (contact,
        // feedback, related pages): skipped up to the next heading of its
        // level or above.
        let mut boxed: Option<u8> = None;
        for &c in self.dom.children(id) {
            let Some(node) = self.dom.node(c) else { continue };
            let name = match &node.data {
                Data::Text(t) => {
                    if boxed.is_none() {
                        self.cur.push(t, node.line);
                    }
                    continue;
                }
                Data::Element { name, .. } => name.as_str(),
                _ => continue,
            };
            if chrome::is_furniture(self.dom, self.m, c) {
                continue;
            }
            let level = heading_level(name);
            if let (Some(b), Some(l)) = (boxed, level)
                && l <= b
            {
                boxed = None;
            }
            if let Some(l) = level
                && chrome::is_furniture_heading(&items(self.dom, self.m, c, self.max_depth).join(""))
            {
                boxed = Some(l);
            }
            if boxed.is_some() {
                continue;
            }
            if let Some(level) = level {
                self.flush();
                self.heading(c, level);
            } else if name == "table" {
                self.flush();
                self.table(c);
            } else if name == "br" {
                self.br();
            } else if name == "pre" || name == "listing" || name == "xmp" || name == "plaintext" {
                self.flush();
                self.pre(c);
            } else if BLOCKS.contains(&name) {
                self.flush();
                self.block(c, depth + 1);
                self.flush();
            } else {
                self.block(c, depth + 1);
            }
        }
    }

    /// Text below the depth limit, read flat (no recursion).
    fn flat_text(&mut self, id: NodeId) {
        let (dom, m) = (self.dom, self.m);
        for n in dom.descendants(id, &|n| n != id && chrome::is_furniture(dom, m, n)) {
            if let Some(node) = dom.node(n)
                && let Data::Text(t) = &node.data
            {
                self.cur.push(t, node.line);
            }
        }
    }

    fn br(&mut self) {
        match self.cur.take() {
            Some(l) => self.lines.push(l),
            // A blank line (<br><br>) ends the paragraph.
            None if !self.lines.is_empty() => self.flush(),
            None => {}
        }
    }

    /// End the current paragraph: its lines become rows, then a blank row.
    fn flush(&mut self) {
        if let Some(l) = self.cur.take() {
            self.lines.push(l);
        }
        let mut emitted = false;
        // A paragraph's lines are running text: where a <br> only wraps a
        // sentence (a page made from a PDF or a word processor breaks where
        // the old line ended) the lines are one, as the PDF and text
        // readers decide it (`readers::lines`); a vertical label is a word.
        let physical = std::mem::take(&mut self.lines);
        let texts: Vec<&str> = physical.iter().map(|(t, _)| t.as_str()).collect();
        let logical: Vec<(String, u32)> = lines::join_running(&texts)
            .into_iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(i, t)| (t, physical.get(i).map_or(0, |p| p.1)))
            .collect();
        for (text, line) in logical {
            if chrome::is_skip_phrase(&text) {
                continue;
            }
            if let Some(n) = facts::page_number(&text) {
                self.out.page_number.get_or_insert(n);
                continue;
            }
            if self.header_open
                && let Some(d) = facts::date_line(&text)
            {
                self.out.dates.push(d);
                continue;
            }
            self.content_seen();
            self.out.rows.push(Row::line(text, Location::line(line)));
            emitted = true;
        }
        if emitted {
            self.blank();
        }
    }

    fn content_seen(&mut self) {
        self.header_open = false;
        self.seen_content = true;
    }

    fn blank(&mut self) {
        if self.out.rows.last().is_some_and(|r| !r.is_blank()) {
            let at = self.out.rows.last().map(|r| r.at.clone()).unwrap_or_default();
            self.out.rows.push(Row::blank(at));
        }
    }

    fn heading(&mut self, id: NodeId, level: u8) {
        let text = items(self.dom, self.m, id, self.max_depth).join(" ");
        if text.is_empty() || chrome::is_skip_phrase(&text) {
            return;
        }
        let at = Location::line(self.dom.line(id));
        if level == 1 && self.out.title.is_none() && !self.seen_content {
            self.out.title = Some(text);
            self.header_open = true;
            return;
        }
        self.content_seen();
        self.out.rows.push(Row {
            kind: RowKind::Heading(level),
            cells: vec![Cell::new(text, 0, at.clone())],
            at,
        });
        self.blank();
    }

    /// Preformatted text: its own line ends, its spaces kept.
    fn pre(&mut self, id: NodeId) {
        let mut line = self.dom.line(id);
        let mut text = String::new();
        for n in self
            .dom
            .descendants(id, &|n| n != id && chrome::is_furniture(self.dom, self.m, n))
        {
            match self.dom.node(n).map(|x| &x.data) {
                Some(Data::Text(t)) => text.push_str(t),
                Some(Data::Element { name, .. }) if name == "br" => text.push('\n'),
                _ => {}
            }
        }
        // A newline right after <pre> is not content.
        let text = text.strip_prefix('\n').unwrap_or(&text);
        for l in text.split('\n') {
            if !l.trim().is_empty() {
                self.lines.push((l.trim_end().to_string(), line));
            }
            line += 1;
        }
        self.flush();
    }

    fn table(&mut self, id: NodeId) {
        self.tables += 1;
        let t = self.tables;
        for &c in self.dom.children(id) {
            if self.dom.name(c) == Some("caption") && !chrome::is_furniture(self.dom, self.m, c) {
                let text = items(self.dom, self.m, c, self.max_depth).join(" ");
                if !text.is_empty() {
                    self.lines.push((text, self.dom.line(c)));
                    self.flush();
                }
            }
        }
        for (tr, placed) in table::place(self.dom, id) {
            if chrome::is_furniture(self.dom, self.m, tr) {
                continue;
            }
            let mut cells = Vec::new();
            for p in placed {
                if chrome::is_furniture(self.dom, self.m, p.node) {
                    continue;
                }
                let text = items(self.dom, self.m, p.node, self.max_depth).join("\n");
                if text.is_empty() {
                    continue;
                }
                let at = Location {
                    table: Some(t),
                    cell: Some(table::a1(p.row, p.col)),
                    line: Some(self.dom.line(p.node)),
                    ..Location::default()
                };
                let mut cell = Cell::new(text, p.col, at);
                cell.span = p.span;
                cells.push(cell);
            }
            self.cells += cells.len() as u64;
            if self.cells > self.max_cells {
                self.out.cut = true;
                return;
            }
            let at = cells.first().map(|c| c.at.clone()).unwrap_or_else(|| Location {
                table: Some(t),
                line: Some(self.dom.line(tr)),
                ..Location::default()
            });
            if cells.is_empty() {
                self.out.rows.push(Row {
                    kind: RowKind::Table,
                    cells,
                    at,
                });
                continue;
            }
            self.content_seen();
            self.out.rows.push(Row {
                kind: RowKind::Table,
                cells,
                at,
            });
        }
        self.blank();
    }
}

/// A label printed vertically, one character an item (`計<br>画`, as
/// pages set a narrow label column), is one word — the same runs the PDF
/// and text readers join (`readers::lines::stacked_runs`).
fn join_stacked(items: Vec<String>) -> Vec<String> {
    let runs = lines::stacked_runs(&items);
    let mut out = Vec::with_capacity(items.len());
    let mut runs = runs.into_iter().peekable();
    let mut i = 0;
    while i < items.len() {
        if let Some((_, last, label)) = runs.next_if(|r| r.0 == i) {
            out.push(label);
            i = last + 1;
        } else {
            out.push(items[i].clone());
            i += 1;
        }
    }
    out
}

/// A cell's (or heading's) items: its text split where the source breaks
/// it — `<br>`, list items, paragraphs and other blocks; a table inside it
/// gives one item per row, cells joined by a space.
pub fn items(dom: &Dom, m: &Measures, id: NodeId, max_depth: usize) -> Vec<String> {
    let _ = m;
    let mut c = Items {
        dom,
        items: Vec::new(),
        cur: Text::default(),
        max_depth,
    };
    c.walk(id, 0);
    c.end();
    join_stacked(c.items)
}

struct Items<'a> {
    dom: &'a Dom,
    items: Vec<String>,
    cur: Text,
    max_depth: usize,
}

impl Items<'_> {
    fn end(&mut self) {
        if let Some((s, _)) = self.cur.take() {
            self.items.push(s);
        }
    }

    fn walk(&mut self, id: NodeId, depth: usize) {
        for &c in self.dom.children(id) {
            let Some(node) = self.dom.node(c) else { continue };
            let name = match &node.data {
                Data::Text(t) => {
                    self.cur.push(t, node.line);
                    continue;
                }
                Data::Element { name, .. } => name.as_str(),
                _ => continue,
            };
            if chrome::is_furniture_in_cell(self.dom, c) {
                continue;
            }
            if depth > self.max_depth {
                // Deeper than the limit: the text, read flat.
                for n in self.dom.descendants(c, &|n| chrome::is_furniture_in_cell(self.dom, n)) {
                    if let Some(node) = self.dom.node(n)
                        && let Data::Text(t) = &node.data
                    {
                        self.cur.push(t, node.line);
                    }
                }
                continue;
            }
            match name {
                "br" => self.end(),
                "td" | "th" => {
                    // A nested table's cells: one item per row, cells joined.
                    self.cur.space = true;
                    self.walk(c, depth + 1);
                    self.cur.space = true;
                }
                n if BLOCKS.contains(&n) => {
                    self.end();
                    self.walk(c, depth + 1);
                    self.end();
                }
                _ => self.walk(c, depth + 1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::dom;
    use super::*;

    fn rows(html: &str) -> (Content, Vec<String>) {
        let d = dom::parse(html, 100_000);
        let c = extract(&d, 1_000_000, 256);
        let t = c
            .rows
            .iter()
            .map(|r| {
                let k = match r.kind {
                    RowKind::Table => "T",
                    RowKind::Line => "L",
                    RowKind::Heading(_) => "H",
                };
                format!("{k}:{}", r.text())
            })
            .collect();
        (c, t)
    }

    #[test]
    fn cells_items_and_spans() {
        let (c, t) = rows(
            "<table><tr><th rowspan=2>計画</th><td>めざす状態<br>若い世代</td></tr>\
             <tr><td><ul><li>・広報紙</li><li>・HP掲載</li></ul></td></tr></table>",
        );
        assert_eq!(t, ["T:計画\tめざす状態\n若い世代", "T:・広報紙\n・HP掲載", "L:"]);
        let r1 = &c.rows[1];
        assert_eq!(r1.cells[0].col, 1);
        assert_eq!(r1.cells[0].at.cell.as_deref(), Some("B2"));
        assert_eq!(r1.cells[0].at.table, Some(1));
        assert_eq!(c.rows[0].cells[0].span, (2, 1));
    }

    #[test]
    fn paragraphs_headings_and_lists() {
        let (_, t) = rows(
            "<h2>区の目標</h2><p>地域の課題を<br>解決する。<br>・一つ目<br>・二つ目</p><p>次</p><ul><li>甲</li><li>乙</li></ul>",
        );
        // A <br> that only wraps a sentence joins; one before an item does not.
        let want = [
            "H:区の目標",
            "L:",
            "L:地域の課題を解決する。",
            "L:・一つ目",
            "L:・二つ目",
            "L:",
            "L:次",
            "L:",
            "L:甲",
            "L:",
            "L:乙",
            "L:",
        ];
        assert_eq!(t, want);
    }

    #[test]
    fn page_header_is_the_pages_not_the_documents() {
        let (c, t) = rows(
            "<div id=main><p class=skip>ページの先頭です</p><h1>令和4年度港区運営方針</h1>\
             <p>2024年3月13日</p><p>ページ番号：565017</p><h2>区の目標</h2><p>令和3年11月5日</p></div>",
        );
        assert_eq!(c.title.as_deref(), Some("令和4年度港区運営方針"));
        assert_eq!(c.page_number.as_deref(), Some("565017"));
        assert_eq!(c.dates, ["2024-03-13"]);
        // A date after the content began is content.
        assert_eq!(t, ["H:区の目標", "L:", "L:令和3年11月5日", "L:"]);
    }

    #[test]
    fn site_furniture_is_left_out() {
        let (_, t) = rows(
            r#"<body><div id="header"><a href="/">大阪市港区</a></div>
            <div class="breadcrumb"><a href="/">トップ</a> &gt; <a href="/k">区政</a></div>
            <div id="main"><p>本文</p>
            <form><p>このページの情報は役に立ちましたか</p><input type=radio></form>
            <script>var x = "令和3年度港区運営方針";</script></div>
            <div id="lower"><h2>関連ページ</h2><ul><li><a href="a">令和3年度港区運営方針</a></li>
            <li><a href="b">令和2年度港区運営方針</a></li><li><a href="c">令和元年度港区運営方針</a></li></ul></div>
            <div id="footer">大阪市港区役所</div></body>"#,
        );
        assert_eq!(t, ["L:本文", "L:"]);
    }

    #[test]
    fn vertical_labels_are_one_word() {
        let (_, t) = rows(
            "<p>掲示</p><p>中<br>間<br>振<br>り<br>返<br>り</p><table><tr><td>計<br>画</td><td>件</td></tr></table>",
        );
        assert_eq!(t, ["L:掲示", "L:", "L:中間振り返り", "L:", "T:計画\t件", "L:"]);
    }

    #[test]
    fn nested_tables_in_a_cell() {
        let (_, t) =
            rows("<table><tr><td>外<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></td></tr></table>");
        assert_eq!(t, ["T:外\na b\nc", "L:"]);
    }
}
