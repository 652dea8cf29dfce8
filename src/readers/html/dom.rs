//! The page as a tree: html5ever builds it (the HTML5 tree-construction
//! rules — implied end tags, tables fixed up, misnested tags — exactly as
//! a browser applies them) into this arena of nodes.
//!
//! Our own sink rather than `markup5ever_rcdom` (documented as not meant
//! for production) or `scraper` (selectors and cssparser on top, three
//! times html5ever's build time, for CSS selectors we do not need): a
//! vector of nodes with indices is all the reader walks, it frees in one
//! piece, and it lets a node count bound the memory one page can take.

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, Namespace, ParseOpts, QualName, parse_document};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub type NodeId = usize;

#[derive(Debug)]
pub enum Data {
    Document,
    Element {
        /// Lower-case local name (`td`, `br`); elements outside the HTML
        /// namespace (SVG, MathML) keep theirs and are skipped as content.
        name: String,
        html: bool,
        attrs: Vec<(String, String)>,
    },
    Text(String),
    /// Comments, doctypes, processing instructions: never content.
    Other,
}

#[derive(Debug)]
pub struct Node {
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    pub data: Data,
    /// The source line the node started on (1-based).
    pub line: u32,
}

#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
    /// Nodes past the limit were dropped (the page was cut).
    pub truncated: bool,
}

impl Dom {
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id)
    }

    /// The element's lower-case name, or None for other nodes.
    pub fn name(&self, id: NodeId) -> Option<&str> {
        match &self.nodes.get(id)?.data {
            Data::Element { name, .. } => Some(name.as_str()),
            _ => None,
        }
    }

    pub fn attr(&self, id: NodeId, key: &str) -> Option<&str> {
        match &self.nodes.get(id)?.data {
            Data::Element { attrs, .. } => attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    pub fn children(&self, id: NodeId) -> &[NodeId] {
        self.nodes.get(id).map_or(&[], |n| n.children.as_slice())
    }

    pub fn line(&self, id: NodeId) -> u32 {
        self.nodes.get(id).map_or(0, |n| n.line)
    }

    /// Elements below `id` (itself included) in document order, without
    /// descending into the elements `skip` refuses. Iterative: a page's
    /// nesting depth costs no stack.
    pub fn descendants(&self, id: NodeId, skip: &dyn Fn(NodeId) -> bool) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            if skip(n) {
                continue;
            }
            out.push(n);
            stack.extend(self.children(n).iter().rev());
        }
        out
    }
}

/// Parse decoded text into a tree of about `max_nodes` nodes at most: the
/// text is fed in pieces, and feeding stops once the tree has grown past
/// the limit (the parser then closes what is open, as at a page's end).
pub fn parse(text: &str, max_nodes: usize) -> Dom {
    let count = Rc::new(Cell::new(1usize));
    let sink = Sink {
        nodes: RefCell::new(vec![Node {
            parent: None,
            children: Vec::new(),
            data: Data::Document,
            line: 1,
        }]),
        line: Cell::new(1),
        count: Rc::clone(&count),
    };
    let mut parser = parse_document(sink, ParseOpts::default());
    let mut start = 0;
    let mut truncated = false;
    while start < text.len() {
        if count.get() > max_nodes {
            truncated = true;
            break;
        }
        let mut end = (start + FEED).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&text[start..end]));
        start = end;
    }
    let mut dom = parser.finish();
    dom.truncated = truncated;
    dom
}

/// Bytes of text handed to the parser at a time.
const FEED: usize = 64 * 1024;

struct Sink {
    nodes: RefCell<Vec<Node>>,
    line: Cell<u32>,
    /// Nodes made so far, read by `parse` between pieces.
    count: Rc<Cell<usize>>,
}

/// The name html5ever asks back for while it builds (atoms: cheap to copy).
#[derive(Debug)]
pub struct Name {
    ns: Namespace,
    local: LocalName,
}

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.local
    }
}

impl Sink {
    fn push(&self, data: Data) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            parent: None,
            children: Vec::new(),
            data,
            line: self.line.get(),
        });
        self.count.set(nodes.len());
        nodes.len() - 1
    }

    /// Text appended after the last child merges with it, as in a DOM.
    fn append_text(&self, parent: NodeId, index: Option<usize>, text: &str) {
        let mut nodes = self.nodes.borrow_mut();
        let Some(p) = nodes.get(parent) else { return };
        let merge_with = match index {
            None => p.children.last().copied(),
            Some(0) => None,
            Some(i) => p.children.get(i - 1).copied(),
        };
        if let Some(prev) = merge_with
            && let Some(Node {
                data: Data::Text(s), ..
            }) = nodes.get_mut(prev)
        {
            s.push_str(text);
            return;
        }
        drop(nodes);
        let id = self.push(Data::Text(text.to_string()));
        self.attach(parent, id, index);
    }

    fn attach(&self, parent: NodeId, child: NodeId, index: Option<usize>) {
        let mut nodes = self.nodes.borrow_mut();
        if parent >= nodes.len() || child >= nodes.len() {
            return;
        }
        nodes[child].parent = Some(parent);
        let kids = &mut nodes[parent].children;
        match index {
            Some(i) if i <= kids.len() => kids.insert(i, child),
            _ => kids.push(child),
        }
    }

    fn detach(&self, child: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let Some(parent) = nodes.get(child).and_then(|n| n.parent) else {
            return;
        };
        if let Some(p) = nodes.get_mut(parent) {
            p.children.retain(|&c| c != child);
        }
        if let Some(c) = nodes.get_mut(child) {
            c.parent = None;
        }
    }

    fn append_at(&self, parent: NodeId, index: Option<usize>, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendNode(n) => {
                self.detach(n);
                self.attach(parent, n, index);
            }
            NodeOrText::AppendText(t) => self.append_text(parent, index, &t),
        }
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Name;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
            truncated: false,
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {
        // Saved pages are rarely valid; the tree-construction rules
        // already recover the way a browser does.
    }

    fn get_document(&self) -> NodeId {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Name {
        let nodes = self.nodes.borrow();
        match nodes.get(*target).map(|n| &n.data) {
            Some(Data::Element { name, html, .. }) => Name {
                ns: if *html { html5ever::ns!(html) } else { html5ever::ns!() },
                local: LocalName::from(name.as_str()),
            },
            _ => Name {
                ns: html5ever::ns!(html),
                local: LocalName::from(""),
            },
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _flags: ElementFlags) -> NodeId {
        let html = name.ns == html5ever::ns!(html);
        self.push(Data::Element {
            name: name.local.to_ascii_lowercase().to_string(),
            html,
            attrs: attrs
                .into_iter()
                .map(|a| (a.name.local.to_ascii_lowercase().to_string(), a.value.to_string()))
                .collect(),
        })
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(Data::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(Data::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.append_at(*parent, None, child);
    }

    fn append_based_on_parent_node(&self, element: &NodeId, prev_element: &NodeId, child: NodeOrText<NodeId>) {
        let has_parent = self.nodes.borrow().get(*element).is_some_and(|n| n.parent.is_some());
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // Template contents are never content: they stay inside the
        // template element, which the reader skips.
        *target
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let (parent, index) = {
            let nodes = self.nodes.borrow();
            let Some(parent) = nodes.get(*sibling).and_then(|n| n.parent) else {
                return;
            };
            let index = nodes
                .get(parent)
                .and_then(|p| p.children.iter().position(|c| c == sibling));
            (parent, index)
        };
        if let NodeOrText::AppendNode(n) = &new_node {
            self.detach(*n);
            // Detaching may have shifted the sibling's index.
            let index = self
                .nodes
                .borrow()
                .get(parent)
                .and_then(|p| p.children.iter().position(|c| c == sibling));
            self.attach(parent, *n, index);
            return;
        }
        self.append_at(parent, index, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(Node {
            data: Data::Element { attrs: have, .. },
            ..
        }) = nodes.get_mut(*target)
        {
            for a in attrs {
                let k = a.name.local.to_ascii_lowercase().to_string();
                if !have.iter().any(|(h, _)| *h == k) {
                    have.push((k, a.value.to_string()));
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let kids = match self.nodes.borrow_mut().get_mut(*node) {
            Some(n) => std::mem::take(&mut n.children),
            None => return,
        };
        for k in kids {
            if let Some(n) = self.nodes.borrow_mut().get_mut(k) {
                n.parent = None;
            }
            self.attach(*new_parent, k, None);
        }
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(u32::try_from(line_number).unwrap_or(u32::MAX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(dom: &Dom, id: NodeId) -> String {
        let mut s = String::new();
        for n in dom.descendants(id, &|_| false) {
            if let Some(Node {
                data: Data::Text(t), ..
            }) = dom.node(n)
            {
                s.push_str(t);
            }
        }
        s
    }

    #[test]
    fn implied_end_tags_and_table_fix_up() {
        let dom = parse("<table><tr><td>a<td>b<tr><td>c</table><p>x<p>y", 10_000);
        let tds: Vec<NodeId> = (0..dom.nodes.len()).filter(|&i| dom.name(i) == Some("td")).collect();
        assert_eq!(tds.len(), 3);
        assert_eq!(text_of(&dom, tds[1]), "b");
        // The parser put the rows in an implied tbody.
        let tr = dom.nodes[tds[0]].parent.unwrap();
        assert_eq!(dom.name(dom.nodes[tr].parent.unwrap()), Some("tbody"));
        let ps = (0..dom.nodes.len()).filter(|&i| dom.name(i) == Some("p")).count();
        assert_eq!(ps, 2);
    }

    #[test]
    fn text_misplaced_in_a_table_is_fostered_before_it() {
        let dom = parse("<div><table>stray<tr><td>in</td></tr></table></div>", 10_000);
        let div = (0..dom.nodes.len()).find(|&i| dom.name(i) == Some("div")).unwrap();
        let first = dom.children(div)[0];
        assert!(matches!(&dom.nodes[first].data, Data::Text(t) if t == "stray"));
    }

    #[test]
    fn node_limit_cuts_the_page() {
        let page = "<p>x</p>".repeat(100_000);
        let dom = parse(&page, 1000);
        assert!(dom.truncated);
        // One piece of text past the limit at most.
        assert!(dom.nodes.len() < 1000 + FEED / 4, "{}", dom.nodes.len());
        assert!(!parse(&page, 1_000_000).truncated);
    }

    #[test]
    fn lines_are_recorded() {
        let dom = parse("<html><body>\n<p>a</p>\n\n<p>b</p>", 1000);
        let ps: Vec<u32> = (0..dom.nodes.len())
            .filter(|&i| dom.name(i) == Some("p"))
            .map(|i| dom.line(i))
            .collect();
        assert_eq!(ps, [2, 4]);
    }
}
