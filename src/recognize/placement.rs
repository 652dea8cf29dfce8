//! Where every character of the release went: the placement map.
//!
//! A pass of its own over (intermediate form, Document), after the
//! grammars have built the model, so that no grammar has to report what it
//! took: every string the model holds is looked for in the release's
//! normalised text (near where its element was read, by the element's
//! `at`), and the characters found are *placed* under the string's path.
//! Then the forms' own labels (the recogniser's label catalogue, the
//! printed legends of choices) are marked, and what is left is
//! *unplaced*: punctuation and stray single characters as noise, the rest
//! as content, each piece whole with its location.
//!
//! The map is what
//!
//! * fills `Document::unplaced` and `Document::coverage` (content placed /
//!   content read, labels and noise left out);
//! * anchors a revision to the path of the value it revises (the field its
//!   new text was placed in: `revisions.rs`);
//! * lets a report draw every value on the page and link it to its path
//!   ([`placements`], for `yoshiki inspect`).
//!
//! Characters are counted without white space, on the normalised text
//! (`normalize::text`: full-width ASCII half-width …), as the model holds
//! them.

use super::labels::{Catalogue, PLAN_LABELS, SUMMARY_LABELS};
use super::values;
use crate::ir::{Ir, RowKind};
use crate::model::{Coverage, Document, Kind, Location, Unplaced, UnplacedKind, path};
use crate::normalize;
use std::collections::HashMap;

/// What a character of the release is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Class {
    /// Held by the model at this path.
    Field(String),
    /// One of the forms' own labels (or a printed legend of choices, page
    /// furniture the catalogue knows).
    Label,
    /// Part of a label that stands apart from the rest of it.
    LabelFragment,
    /// List marks, brackets and colons around placed text or labels
    /// (`・` before an item, the `(` `)` around a budget), and particles
    /// joining two parts of one element (`…割合が` `50%以上`): the form's
    /// structure, like a label.
    Markup,
    /// Punctuation or stray marks standing apart from anything placed.
    Noise,
    /// Content no field holds.
    Unplaced,
}

/// One cell (or line) of the intermediate form, normalised.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Index of the row in `Ir::rows` and of the cell in the row.
    pub row: usize,
    pub cell: usize,
    pub text: String,
    pub at: Location,
    /// From running text (a line), not a table cell.
    pub line: bool,
}

/// A run of characters of one unit with one class (byte range in the
/// unit's normalised text).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub unit: usize,
    pub start: usize,
    pub end: usize,
    pub class: Class,
}

/// Every character of a release and where it went.
#[derive(Debug, Clone, Default)]
pub struct Placements {
    pub units: Vec<Unit>,
    /// In reading order; together they cover every character but white space.
    pub spans: Vec<Span>,
}

impl Placements {
    pub fn text(&self, s: &Span) -> &str {
        self.units
            .get(s.unit)
            .and_then(|u| u.text.get(s.start..s.end))
            .unwrap_or("")
    }

    /// Content characters placed and read.
    pub fn coverage(&self) -> Coverage {
        let mut placed = 0u64;
        let mut read = 0u64;
        for s in &self.spans {
            let n = count(self.text(s));
            match s.class {
                Class::Field(_) => {
                    placed += n;
                    read += n;
                }
                Class::Unplaced => read += n,
                _ => {}
            }
        }
        Coverage::new(placed, read)
    }

    /// The unplaced pieces, whole: a piece that runs on into the next line
    /// of running text (or the next item of its cell) is one piece, its
    /// lines separated by `\n`.
    pub fn unplaced(&self) -> Vec<Unplaced> {
        let mut out: Vec<Unplaced> = Vec::new();
        let mut last: Option<(usize, UnplacedKind)> = None;
        for (i, s) in self.spans.iter().enumerate() {
            let kind = match s.class {
                Class::Unplaced => UnplacedKind::Content,
                Class::LabelFragment => UnplacedKind::LabelFragment,
                Class::Noise => UnplacedKind::Noise,
                _ => {
                    last = None;
                    continue;
                }
            };
            let text = normalize::collapse_spaces(self.text(s));
            if text.is_empty() {
                continue;
            }
            let runs_on = match last {
                Some((j, k)) if k == kind => self.continues(j, i),
                _ => false,
            };
            match out.last_mut() {
                Some(prev) if runs_on => {
                    // Its lines (or a cell's items) as printed, one a line:
                    // a wrapped paragraph is one line already (the readers
                    // join them).
                    prev.text.push('\n');
                    prev.text.push_str(&text);
                }
                _ => out.push(Unplaced {
                    text,
                    kind,
                    at: self.units.get(s.unit).map(|u| u.at.clone()).unwrap_or_default(),
                }),
            }
            last = Some((i, kind));
        }
        out
    }

    /// Whether span `b` follows span `a` directly: the end of one line and
    /// the start of the next line of running text.
    fn continues(&self, a: usize, b: usize) -> bool {
        let (Some(x), Some(y)) = (self.spans.get(a), self.spans.get(b)) else {
            return false;
        };
        if b != a + 1 {
            return false;
        }
        let (Some(ux), Some(uy)) = (self.units.get(x.unit), self.units.get(y.unit)) else {
            return false;
        };
        if x.unit == y.unit {
            return true;
        }
        ux.line
            && uy.line
            && y.unit == x.unit + 1
            && uy.row == ux.row + 1
            && ux.text[x.end..].trim().is_empty()
            && uy.text[..y.start].trim().is_empty()
    }
}

/// Whether a run is year headings only: the years, the words that join a
/// year to its value (`までに`, `末`, `時点`, `実績`) and punctuation.
fn is_heading(run: &str, years: &[normalize::year::YearMatch]) -> bool {
    let mut rest = String::new();
    let mut last = 0;
    for m in years {
        rest.push_str(run.get(last..m.start).unwrap_or(""));
        last = m.end;
    }
    rest.push_str(run.get(last..).unwrap_or(""));
    let mut rest: String = rest.chars().filter(|c| c.is_alphanumeric()).collect();
    for w in ["までに", "末", "時点", "実績", "に", "で", "及び"] {
        rest = rest.replace(w, "");
    }
    rest.is_empty()
}

/// Whether a path names an element of a list (`…/items/2`,
/// `…/budgets/2022:budget`, `…/initiatives/1-1-2`).
fn is_element(p: &str) -> bool {
    let mut segs = p.rsplit('/');
    let last = segs.next().unwrap_or("");
    let list = segs.next().unwrap_or("");
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        || matches!(
            list,
            "key_issues"
                | "issues"
                | "strategies"
                | "main_initiatives"
                | "initiatives"
                | "reform_items"
                | "budgets"
                | "prior_results"
                | "basic_policy_items"
        )
}

/// The path of the item before this one in its list (`…/items/1` for
/// `…/items/2`, and for any string under it).
fn previous_sibling(p: &str) -> Option<String> {
    let segs: Vec<&str> = p.split('/').collect();
    let i = segs
        .iter()
        .rposition(|s| s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty())?;
    let n: usize = segs[i].parse().ok()?;
    let prev = n.checked_sub(1)?;
    let mut out: Vec<String> = segs.iter().map(|s| s.to_string()).collect();
    out[i] = prev.to_string();
    Some(out.join("/"))
}

/// Every list element of the model that has a location, with its path.
fn elements<'a>(v: &'a serde_json::Value, p: &str, list: &str, out: &mut Vec<(String, &'a serde_json::Value)>) {
    match v {
        serde_json::Value::Array(a) => {
            for (x, k) in a.iter().zip(path::keys(list, a)) {
                let q = format!("{p}/{}", path::esc(&k));
                if x.get("at").is_some() {
                    out.push((q.clone(), x));
                }
                elements(x, &q, "", out);
            }
        }
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k != "at" && (x.is_array() || x.is_object()) {
                    elements(x, &format!("{p}/{}", path::esc(k)), k, out);
                }
            }
        }
        _ => {}
    }
}

/// Whether two paths lie in one list element (`…/process_indicators/0/
/// description` and `…/process_indicators/0/target/text`).
fn same_element(p: &str, q: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (p.split('/').collect(), q.split('/').collect());
    let n = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if n < 2 {
        return false;
    }
    a[n - 1].bytes().all(|c| c.is_ascii_digit())
        || matches!(
            a[n - 2],
            "key_issues"
                | "issues"
                | "strategies"
                | "main_initiatives"
                | "initiatives"
                | "reform_items"
                | "budgets"
                | "prior_results"
        )
}

/// The shortest string whose second printing is taken for it (shorter
/// ones recur by chance: `55%以上`, `地域活動`).
const DUPLICATE_MIN: usize = 12;

/// How far (in characters) from its element a short string is looked for.
const NEAR: usize = 3000;

/// How far from its element a long string is looked for before the whole
/// release is searched.
const FAR: usize = 30_000;

/// How far (in characters) a year heading looks for the value it heads.
const NEIGHBOURHOOD: usize = 400;

fn count(s: &str) -> u64 {
    s.chars().filter(|c| !c.is_whitespace()).count() as u64
}

/// The placement map of a recognised Document (its fields, labels and
/// unplaced text), for reports: the same map the recogniser filled
/// `unplaced` and `coverage` from.
pub fn placements(ir: &Ir, doc: &Document) -> Placements {
    let mut a = Accounting::new(ir, doc.kind);
    if let Ok(json) = serde_json::to_value(doc) {
        a.place_fields(&json);
        a.place_revisions(&json);
        return a.finish(&json);
    }
    a.finish(&serde_json::Value::Null)
}

/// The map being built: the release's characters in reading order (white
/// space left out) as one string, each with its unit and a claim.
pub(crate) struct Accounting {
    pub(crate) units: Vec<Unit>,
    /// Every non-white-space character of every unit, in order.
    stream: String,
    /// For each character of `stream`: its byte offset in `stream`, its
    /// unit and its byte offset in the unit's text.
    chars: Vec<(u32, u32, u32)>,
    /// For each character: 0 (unclaimed) or 1 + index into `classes`.
    claims: Vec<u32>,
    classes: Vec<Class>,
    class_ids: HashMap<Class, u32>,
    /// Where each location's first unit starts in the stream.
    by_location: HashMap<String, usize>,
    /// Each location's units (a text release's table row gives every cell
    /// its line).
    unit_by_location: HashMap<String, Vec<usize>>,
    catalogue: &'static Catalogue,
    /// Whether a whole cell is a column header of the form (the older
    /// report prints headers the catalogue does not hold).
    is_header: fn(&str) -> bool,
}

fn location_key(at: &Location) -> String {
    serde_json::to_string(at).unwrap_or_default()
}

impl Accounting {
    pub(crate) fn new(ir: &Ir, kind: Kind) -> Accounting {
        let mut units = Vec::new();
        for (ri, row) in ir.rows.iter().enumerate() {
            for (ci, cell) in row.cells.iter().enumerate() {
                units.push(Unit {
                    row: ri,
                    cell: ci,
                    text: normalize::text(&cell.text),
                    at: cell.at.clone(),
                    line: row.kind == RowKind::Line,
                });
            }
        }
        let mut stream = String::new();
        let mut chars = Vec::new();
        let mut by_location = HashMap::new();
        let mut unit_by_location = HashMap::new();
        for (ui, u) in units.iter().enumerate() {
            by_location.entry(location_key(&u.at)).or_insert(chars.len());
            unit_by_location
                .entry(location_key(&u.at))
                .or_insert_with(Vec::new)
                .push(ui);
            for (bi, c) in u.text.char_indices() {
                if c.is_whitespace() {
                    continue;
                }
                chars.push((stream.len() as u32, ui as u32, bi as u32));
                stream.push(c);
            }
        }
        let n = chars.len();
        Accounting {
            units,
            stream,
            chars,
            claims: vec![0; n],
            classes: Vec::new(),
            class_ids: HashMap::new(),
            by_location,
            unit_by_location,
            catalogue: if kind == Kind::Summary {
                &SUMMARY_LABELS
            } else {
                &PLAN_LABELS
            },
            is_header: match kind {
                Kind::ProgressReport => |t| super::progress::is_header(&super::matcher::words(t)),
                Kind::MidtermReview => |t| super::midterm::role(t.trim()).is_some(),
                _ => |_| false,
            },
        }
    }

    fn class_id(&mut self, class: Class) -> u32 {
        if let Some(&id) = self.class_ids.get(&class) {
            return id;
        }
        self.classes.push(class.clone());
        let id = self.classes.len() as u32;
        self.class_ids.insert(class, id);
        id
    }

    /// The character index of a byte offset of `stream`.
    fn char_at(&self, byte: usize) -> usize {
        self.chars.partition_point(|c| (c.0 as usize) < byte)
    }

    fn free(&self, from: usize, to: usize) -> bool {
        self.claims.get(from..to).is_some_and(|c| c.iter().all(|&x| x == 0))
    }

    pub(crate) fn claim(&mut self, from: usize, to: usize, class: Class) {
        let id = self.class_id(class);
        for c in self.claims.iter_mut().take(to).skip(from) {
            if *c == 0 {
                *c = id;
            }
        }
    }

    /// Occurrences of `needle` (no white space) as character ranges,
    /// starting at character `from`.
    fn find_from<'a>(&'a self, needle: &'a str, from: usize) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.find_in(needle, from, self.chars.len())
    }

    /// Occurrences of `needle` starting at characters `from..to` (the
    /// search reads no further than it must).
    fn find_in<'a>(&'a self, needle: &'a str, from: usize, to: usize) -> impl Iterator<Item = (usize, usize)> + 'a {
        let byte = |i: usize| self.chars.get(i).map_or(self.stream.len(), |c| c.0 as usize);
        let start_byte = byte(from);
        let n = needle.chars().count();
        // An occurrence starting before `to` may run past it.
        let end_byte = byte(to.saturating_add(n)).max(start_byte);
        let hay = &self.stream.as_bytes()[start_byte..end_byte];
        memchr::memmem::find_iter(hay, needle.as_bytes()).filter_map(move |p| {
            let b = p + start_byte;
            let s = self.char_at(b);
            (self.chars.get(s).is_some_and(|c| c.0 as usize == b)).then_some((s, s + n))
        })
    }

    /// The first unclaimed occurrence of `needle` at or after `hint`, else
    /// before it.
    fn find_free(&self, needle: &str, hint: usize) -> Option<(usize, usize)> {
        if needle.is_empty() {
            return None;
        }
        let hint = hint.min(self.chars.len());
        self.find_from(needle, hint)
            .find(|&(s, e)| self.free(s, e))
            .or_else(|| {
                self.find_from(needle, 0)
                    .take_while(|&(s, _)| s < hint)
                    .find(|&(s, e)| self.free(s, e))
            })
    }

    /// The first unclaimed occurrence of `needle` at most `window`
    /// characters after `at`, else at most `window` before it.
    fn find_free_within(&self, needle: &str, at: usize, window: usize) -> Option<(usize, usize)> {
        if needle.is_empty() {
            return None;
        }
        let lo = at.saturating_sub(window);
        self.find_in(needle, at, at.saturating_add(window + 1))
            .find(|&(s, e)| self.free(s, e))
            .or_else(|| self.find_in(needle, lo, at).find(|&(s, e)| s < at && self.free(s, e)))
    }

    /// The stream position an element's location names, if a unit is there.
    fn hint_of(&self, root: &serde_json::Value, p: &str, cache: &mut HashMap<String, Option<usize>>) -> Option<usize> {
        path::ancestors(p).find_map(|anc| {
            if let Some(h) = cache.get(anc) {
                return *h;
            }
            let h = path::get(root, &format!("{anc}/at"))
                .and_then(|at| serde_json::from_value::<Location>(at.clone()).ok())
                .and_then(|at| self.by_location.get(&location_key(&at)).copied());
            cache.insert(anc.to_string(), h);
            h
        })
    }

    /// Place every string of the model's content, longest first (a long
    /// sentence is found in one place; a short figure then where it is left).
    pub(crate) fn place_fields(&mut self, root: &serde_json::Value) {
        let strings: Vec<(String, String)> = path::content_strings(root)
            .into_iter()
            .map(|(p, s)| (p, s.to_string()))
            .collect();
        // Long strings first (a sentence is found in one place; a short
        // figure then where it is left), each in the model's order: an
        // item of a list is looked for after the item before it.
        let long = |s: &str| count(s) >= DUPLICATE_MIN as u64;
        let mut ends: HashMap<String, usize> = HashMap::new();
        let mut hints = HashMap::new();
        for pass in [true, false] {
            for (p, s) in strings.iter().filter(|(_, s)| long(s) == pass) {
                let mut hint = self.hint_of(root, p, &mut hints).unwrap_or(0);
                if let Some(prev) = previous_sibling(p).and_then(|q| ends.get(&q)) {
                    hint = hint.max(*prev);
                }
                if let Some(end) = self.place(p, s, hint) {
                    ends.insert(p.clone(), end);
                }
            }
        }
        let mut order: Vec<usize> = (0..strings.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(count(&strings[i].1)));
        // A release that prints a text twice (a layout repeat) holds it
        // once in the model: the second printing is that field's too.
        // Found in one pass over what is left, by each string's head.
        let mut by_head: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for &i in &order {
            let needle: String = strings[i].1.chars().filter(|c| !c.is_whitespace()).collect();
            if needle.chars().count() < DUPLICATE_MIN {
                break;
            }
            let head: String = needle.chars().take(DUPLICATE_MIN).collect();
            by_head.entry(head).or_default().push((i, needle));
        }
        let mut pos = 0;
        while pos + DUPLICATE_MIN <= self.chars.len() {
            let hit = (self.claims[pos] == 0)
                .then(|| {
                    let head: String = self.stream_chars(pos, pos + DUPLICATE_MIN).collect();
                    by_head.get(&head)?.iter().find_map(|(i, needle)| {
                        let n = needle.chars().count();
                        let at = self.chars[pos].0 as usize;
                        (self.stream[at..].starts_with(needle.as_str()) && self.free(pos, pos + n)).then_some((*i, n))
                    })
                })
                .flatten();
            match hit {
                Some((i, n)) => {
                    self.claim(pos, pos + n, Class::Field(strings[i].0.clone()));
                    pos += n;
                }
                None => pos += 1,
            }
        }
    }

    /// An element's heading (`戦略1-1`, `1 人と人との…`, `[6-1]`): its id
    /// (or number, or the id's last part where the release numbers items
    /// within their strategy) is the element's, in the unit its `at`
    /// names; a short word left beside it (`戦略`, `経営課題`) is the
    /// heading's label.
    fn place_ids(&mut self, root: &serde_json::Value) {
        let mut elems = Vec::new();
        for f in path::CONTENT_FIELDS {
            if let Some(v) = root.get(*f) {
                elements(v, f, f, &mut elems);
            }
        }
        for (p, v) in elems {
            let Some(at) = v
                .get("at")
                .and_then(|a| serde_json::from_value::<Location>(a.clone()).ok())
            else {
                continue;
            };
            let Some(&u) = self.unit_by_location.get(&location_key(&at)).and_then(|v| v.first()) else {
                continue;
            };
            let (id_key, id) = match (v.get("id"), v.get("number")) {
                (Some(serde_json::Value::String(id)), _) => ("id", id.clone()),
                (_, Some(serde_json::Value::Number(n))) => ("number", n.to_string()),
                _ => {
                    // A list's own numbering (`1 歳入の確保`): a label.
                    let (a, b) = self.stream_range(u, 0, self.units[u].text.len());
                    for (ra, rb) in self.free_runs_in(a, b) {
                        if rb - ra <= 2 && self.stream_chars(ra, rb).all(|c| c.is_ascii_digit()) {
                            self.claim(ra, rb, Class::Label);
                        }
                    }
                    continue;
                }
            };
            let last = id.rsplit('-').next().unwrap_or(&id).to_string();
            let (a, b) = self.stream_range(u, 0, self.units[u].text.len());
            for form in [id.as_str(), last.as_str()] {
                let hit = self.find_from(form, a).take_while(|&(_, e)| e <= b).find(|&(s, e)| {
                    self.free(s, e)
                        && !self.chars_at(s.wrapping_sub(1)).is_some_and(|c| c.is_ascii_digit())
                        && !self.chars_at(e).is_some_and(|c| c.is_ascii_digit() || c == '-')
                });
                if let Some((s, e)) = hit {
                    self.claim(s, e, Class::Field(format!("{p}/{id_key}")));
                    break;
                }
            }
            // The word that introduces the id.
            for (ra, rb) in self.free_runs_in(a, b) {
                let word: String = self.stream_chars(ra, rb).filter(|c| c.is_alphanumeric()).collect();
                if !word.is_empty() && word.chars().count() <= 6 && !word.chars().any(|c| c.is_ascii_digit()) {
                    self.claim(ra, rb, Class::Label);
                }
            }
        }
    }

    /// A particle or two left between two parts of one element (`…割合`
    /// `が` `50%未満…`: the description drops its trailing particle)
    /// joins them: markup of the element, not content lost.
    fn place_glue(&mut self) {
        for (a, b) in self.free_runs() {
            if b - a > 2 || self.stream_chars(a, b).all(|c| !c.is_alphanumeric()) {
                continue;
            }
            let (Some(p), Some(q)) = (a.checked_sub(1).and_then(|i| self.field_at(i)), self.field_at(b)) else {
                continue;
            };
            if p == q || same_element(p, q) {
                self.claim(a, b, Class::Markup);
            }
        }
    }

    fn chars_at(&self, i: usize) -> Option<char> {
        let c = self.chars.get(i)?;
        self.stream.get(c.0 as usize..)?.chars().next()
    }

    /// Year headings (`3年度`, `(2年度)`, `29年度:`): a fiscal year the
    /// model holds as the `fiscal_year` of the element next to it (the
    /// prior results under the heading, the figure after `29年度:`).
    fn place_years(&mut self, root: &serde_json::Value) {
        let doc_year = root
            .get("fiscal_year")
            .and_then(serde_json::Value::as_i64)
            .map(|y| y as i32);
        for (a, b) in self.free_runs() {
            let run: String = self.stream_chars(a, b).collect();
            let base = self.chars[a].0 as usize;
            let years = normalize::find_years(&run, doc_year);
            if years.is_empty() || !is_heading(&run, &years) {
                continue;
            }
            let n = years.len();
            for (k, m) in years.iter().enumerate() {
                let (s, e) = (self.char_at(base + m.start), self.char_at(base + m.end));
                // The heading runs on to the next year (`令和5年度までに`).
                let to = if k + 1 < n {
                    self.char_at(base + years[k + 1].start)
                } else {
                    b
                };
                let neighbours = [self.next_field(e), self.prev_field(s)];
                let target = neighbours.iter().flatten().find_map(|p| {
                    std::iter::once(p.as_str()).chain(path::ancestors(p)).find_map(|anc| {
                        let fy = path::get(root, &format!("{anc}/fiscal_year"))?.as_i64()?;
                        (fy == i64::from(m.year)).then(|| format!("{anc}/fiscal_year"))
                    })
                });
                if let Some(t) = target {
                    self.claim(s, to.max(e), Class::Field(t));
                }
            }
        }
    }

    /// The field of the nearest placed character at or after `pos` (within
    /// a few lines).
    fn next_field(&self, pos: usize) -> Option<String> {
        (pos..self.chars.len().min(pos + NEIGHBOURHOOD)).find_map(|i| self.field_at(i).map(str::to_string))
    }

    fn prev_field(&self, pos: usize) -> Option<String> {
        (pos.saturating_sub(NEIGHBOURHOOD)..pos)
            .rev()
            .find_map(|i| self.field_at(i).map(str::to_string))
    }

    /// Place one string: whole where it stands unclaimed; where it stands
    /// only inside text already placed (a threshold inside its criterion's
    /// sentence), nothing more to do; else piece by piece.
    pub(crate) fn place(&mut self, p: &str, s: &str, hint: usize) -> Option<usize> {
        let needle: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if needle.is_empty() {
            return None;
        }
        // A value inside a sentence of its own element already placed (a
        // threshold in its criterion, a target after its description).
        let element = std::iter::once(p)
            .chain(path::ancestors(p))
            .find(|e| is_element(e))
            .unwrap_or(p);
        let inside_own = element != p
            && self
                .find_in(&needle, hint.saturating_sub(NEAR), hint.saturating_add(NEAR + 1))
                .any(|(a, b)| {
                    (a..b).all(|i| {
                        self.field_at(i)
                            .is_some_and(|f| f.strip_prefix(element).is_some_and(|t| t.starts_with('/')))
                    })
                });
        if inside_own {
            return None;
        }
        // A short string is looked for near its element only: elsewhere it
        // recurs by chance (`1%` inside another item's `11%以上`). A long
        // one near its element first, then anywhere.
        let found = if count(s) >= DUPLICATE_MIN as u64 {
            self.find_free_within(&needle, hint, FAR)
                .or_else(|| self.find_free(&needle, hint))
        } else {
            self.find_free_within(&needle, hint, NEAR)
        };
        if let Some((a, b)) = found {
            self.claim(a, b, Class::Field(p.to_string()));
            return Some(b);
        }
        if self.find_from(&needle, 0).next().is_some() {
            return None;
        }
        // Pieces: the string's own words (a value joined from parts, a
        // legend cut out of its middle), each found after the one before.
        let mut cursor = hint;
        let mut end = None;
        for word in s.split_whitespace() {
            if let Some(e) = self.place_piece(p, word, cursor) {
                cursor = e;
                end = Some(e);
            }
        }
        end
    }

    /// Longest prefixes of `word` found unclaimed near `from`, one after
    /// the other; a character found nowhere (a mark the recogniser read as
    /// another) is skipped.
    fn place_piece(&mut self, p: &str, word: &str, from: usize) -> Option<usize> {
        const WINDOW: usize = 4000;
        let chars: Vec<char> = word.chars().collect();
        let mut i = 0;
        let mut cursor = from;
        let mut end = None;
        while i < chars.len() {
            // The longest prefix of chars[i..] (at least 2 characters, or
            // the whole of a 1-character word) found within the window:
            // the shortest tried first (most characters not found cost one
            // search), then galloping up and halving back.
            let min = if chars.len() == 1 { 1 } else { 2 };
            let max = chars.len() - i;
            let try_len = |n: usize| -> Option<(usize, usize)> {
                let needle: String = chars[i..i + n].iter().collect();
                self.find_free_within(&needle, cursor, WINDOW)
            };
            let mut best: Option<(usize, usize, usize)> = None;
            if min <= max
                && let Some((a, b)) = try_len(min)
            {
                best = Some((a, b, min));
                let (mut lo, mut hi) = (min, min);
                // Gallop: double while found.
                while hi < max {
                    let next = (hi * 2).min(max);
                    match try_len(next) {
                        Some((a, b)) => {
                            best = Some((a, b, next));
                            lo = next;
                            hi = next;
                        }
                        None => {
                            hi = next - 1;
                            break;
                        }
                    }
                }
                // Halve between the last found and the first not found.
                while lo < hi {
                    let mid = (lo + hi).div_ceil(2);
                    match try_len(mid) {
                        Some((a, b)) => {
                            best = Some((a, b, mid));
                            lo = mid;
                        }
                        None => hi = mid - 1,
                    }
                }
            }
            match best {
                Some((a, b, n)) => {
                    self.claim(a, b, Class::Field(p.to_string()));
                    cursor = b;
                    end = Some(b);
                    i += n;
                }
                None => i += 1,
            }
        }
        end
    }

    /// Revisions' old values fused in front of the new ones in the text
    /// (`6,1666,227千円`): placed under the revision's `before`. (A struck
    /// run is not in the text at all: the reader took it out.)
    pub(crate) fn place_revisions(&mut self, root: &serde_json::Value) {
        let Some(revs) = root.get("revisions").and_then(|r| r.as_array()) else {
            return;
        };
        for (i, r) in revs.iter().enumerate() {
            let evidence = r.get("evidence").and_then(|e| e.as_str()).unwrap_or("");
            if !matches!(evidence, "digit_grouping" | "layout" | "calendar") {
                continue;
            }
            let text = |side: &str| {
                r.get(side)
                    .and_then(|v| v.get("text"))
                    .and_then(|t| t.as_str())
                    .unwrap_or("")
            };
            let before: String = text("before")
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .collect();
            let after = text("after");
            let hint = r
                .get("at")
                .and_then(|at| serde_json::from_value::<Location>(at.clone()).ok())
                .and_then(|at| self.by_location.get(&location_key(&at)).copied())
                .unwrap_or(0);
            let n = before.chars().count();
            let fused: String = format!("{before}{after}")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let hit = self.find_from(&fused, hint).find(|&(a, _)| self.free(a, a + n));
            if let Some((a, _)) = hit {
                self.claim(a, a + n, Class::Field(format!("revisions/{i}/before/text")));
            }
        }
    }

    /// The field a character was placed in.
    pub(crate) fn field_at(&self, pos: usize) -> Option<&str> {
        let id = *self.claims.get(pos)?;
        match self.classes.get((id as usize).checked_sub(1)?)? {
            Class::Field(p) => Some(p),
            _ => None,
        }
    }

    /// The units at a location: the cell or line itself (every cell of a
    /// text release's row, which share its line), or (a PDF revision's
    /// own box) the unit on its page whose box holds the box's centre.
    pub(crate) fn units_at(&self, at: &Location) -> Vec<usize> {
        if let Some(u) = self.unit_by_location.get(&location_key(at)) {
            return u.clone();
        }
        let (Some(page), Some(b)) = (at.page, at.bbox) else {
            return Vec::new();
        };
        let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        self.units
            .iter()
            .position(|u| {
                u.at.page == Some(page)
                    && u.at
                        .bbox
                        .is_some_and(|c| c[0] <= cx && cx <= c[2] && c[1] <= cy && cy <= c[3])
            })
            .into_iter()
            .collect()
    }

    /// The first field anything of a unit was placed in.
    pub(crate) fn first_field_in(&self, unit: usize) -> Option<&str> {
        let (a, b) = self.stream_range(unit, 0, self.units.get(unit)?.text.len());
        (a..b).find_map(|i| self.field_at(i))
    }

    /// Where the first character placed under a path stands.
    pub(crate) fn location_of(&self, p: &str) -> Option<Location> {
        let id = *self.class_ids.get(&Class::Field(p.to_string()))?;
        let i = self.claims.iter().position(|&c| c == id)?;
        let u = self.chars.get(i)?.1 as usize;
        self.units.get(u).map(|u| u.at.clone())
    }

    /// The stream range of a byte range of a unit's text.
    pub(crate) fn stream_range(&self, unit: usize, start: usize, end: usize) -> (usize, usize) {
        let first = self
            .chars
            .partition_point(|c| (c.1 as usize) < unit || (c.1 as usize == unit && (c.2 as usize) < start));
        let last = self
            .chars
            .partition_point(|c| (c.1 as usize) < unit || (c.1 as usize == unit && (c.2 as usize) < end));
        (first, last)
    }

    /// Mark labels, then what the model holds beside its strings (year
    /// headings, ids, particles a value dropped), then legends and noise;
    /// the rest is unplaced.
    pub(crate) fn finish(mut self, root: &serde_json::Value) -> Placements {
        self.mark_labels();
        self.place_years(root);
        self.place_ids(root);
        self.place_glue();
        self.mark_vertical_labels();
        self.mark_legends_and_noise();
        self.spans()
    }

    /// Each cell item (and each line, joined with the next where a label
    /// runs across the line end) through the label catalogue.
    fn mark_labels(&mut self) {
        let mut found: Vec<(usize, usize)> = Vec::new();
        // (Labels go where no field is: text all placed is not looked at.)
        let free: Vec<bool> = (0..self.units.len())
            .map(|u| !self.unclaimed_in_unit(u).is_empty())
            .collect();
        for ui in 0..self.units.len() {
            if !free[ui] {
                continue;
            }
            let text = &self.units[ui].text;
            let mut offset = 0;
            for item in text.split('\n') {
                for (s, e) in self.label_ranges(item) {
                    found.push(self.stream_range(ui, offset + s, offset + e));
                }
                offset += item.len() + 1;
            }
            // Running text: a label cut by the line end.
            let next = ui + 1;
            if self.units[ui].line
                && self
                    .units
                    .get(next)
                    .is_some_and(|n| n.line && n.row == self.units[ui].row + 1)
                && free.get(next).copied().unwrap_or(false)
            {
                let a = self.units[ui].text.trim_end();
                let b = self.units[next].text.trim_start();
                let joined = format!("{a}{b}");
                let cut = a.len();
                for (s, e) in self.label_ranges(&joined) {
                    if s < cut && e > cut {
                        let lead = self.units[next].text.len() - b.len();
                        found.push(self.stream_range(ui, s, a.len()));
                        found.push(self.stream_range(next, 0, lead + e - cut));
                    }
                }
            }
        }
        // A table row whose short cells together make a label (`前年度`
        // `個別` `全体`), or whose cells are each a header of the form.
        let short = |u: &Unit| u.text.chars().count() <= 40;
        let mut i = 0;
        while i < self.units.len() {
            if !(free[i] && short(&self.units[i])) || self.units[i].line {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < self.units.len() && self.units[j].row == self.units[i].row && free[j] && short(&self.units[j]) {
                j += 1;
            }
            if j - i >= 2 {
                let mut joined = String::new();
                let mut starts = Vec::new();
                for u in i..j {
                    if !joined.is_empty() {
                        joined.push(' ');
                    }
                    starts.push((u, joined.len()));
                    joined.push_str(&self.units[u].text.replace('\n', " "));
                }
                for (s, e) in self.label_ranges(&joined) {
                    for (k, &(u, off)) in starts.iter().enumerate() {
                        let end = starts.get(k + 1).map_or(joined.len(), |n| n.1 - 1);
                        let (a, b) = (s.max(off), e.min(end));
                        if a < b {
                            found.push(self.stream_range(u, a - off, b - off));
                        }
                    }
                }
            }
            i = j;
        }
        for u in 0..self.units.len() {
            if (self.is_header)(&self.units[u].text) {
                found.push(self.stream_range(u, 0, self.units[u].text.len()));
            }
        }
        for (a, b) in found {
            self.claim(a, b, Class::Label);
        }
    }

    /// Byte ranges of labels in one item of normalised text (white space
    /// collapsed for the catalogue, mapped back).
    fn label_ranges(&self, item: &str) -> Vec<(usize, usize)> {
        let (clean, map) = collapse_with_map(item);
        self.catalogue
            .find(&clean)
            .into_iter()
            .map(|f| {
                let s = map.get(f.start).copied().unwrap_or(item.len());
                let e = if f.end == 0 {
                    s
                } else {
                    map.get(f.end - 1).map_or(item.len(), |&b| b + char_len(item, b))
                };
                (s, e)
            })
            .collect()
    }

    /// A vertical label printed one character a line (`自` `己` `評` `価`):
    /// read whole it is a label; single characters that spell none are noise.
    fn mark_vertical_labels(&mut self) {
        // A unit alone on its row (its row's other cells blank) holding
        // one character.
        let alone = |units: &[Unit], k: usize| {
            let u = &units[k];
            u.text.chars().filter(|c| !c.is_whitespace()).count() == 1
                && units
                    .iter()
                    .filter(|v| v.row == u.row)
                    .all(|v| std::ptr::eq(v, u) || v.text.trim().is_empty())
        };
        let mut i = 0;
        while i < self.units.len() {
            if !alone(&self.units, i) || !self.unclaimed_unit(i) {
                i += 1;
                continue;
            }
            let mut j = i;
            let mut word = String::new();
            let mut row = self.units[i].row;
            while j < self.units.len()
                && alone(&self.units, j)
                && self.unclaimed_unit(j)
                && (j == i || self.units[j].row <= row + 2)
            {
                word.push_str(self.units[j].text.trim());
                row = self.units[j].row;
                j += 1;
            }
            if j - i >= 2 {
                let class = if self
                    .catalogue
                    .find(&word)
                    .iter()
                    .any(|f| f.start == 0 && f.end == word.len())
                {
                    Class::Label
                } else if word.chars().all(|c| !c.is_alphanumeric()) {
                    Class::Noise
                } else {
                    Class::LabelFragment
                };
                for u in i..j {
                    let (a, b) = self.stream_range(u, 0, self.units[u].text.len());
                    self.claim(a, b, class.clone());
                }
            }
            i = j.max(i + 1);
        }
    }

    /// The unclaimed characters of a unit (stream positions).
    fn unclaimed_in_unit(&self, u: usize) -> Vec<usize> {
        let (a, b) = self.stream_range(u, 0, self.units[u].text.len());
        (a..b).filter(|&i| self.claims[i] == 0).collect()
    }

    fn unclaimed_unit(&self, u: usize) -> bool {
        let (a, b) = self.stream_range(u, 0, self.units[u].text.len());
        self.free(a, b)
    }

    /// In what is left: the forms' printed legends of choices are labels;
    /// runs of punctuation and marks alone are noise.
    fn mark_legends_and_noise(&mut self) {
        // A word every legend of `values::strip_legends` holds: runs
        // without one are not given to its regex (a run with one that the
        // regex does not take stays unplaced, so a legend missed here is
        // seen, not lost).
        const LEGEND_WORDS: [&str; 7] = ["達成", "取組", "有効", "順調", "個別", "必須", "未設定"];
        for (a, b) in self.free_runs() {
            let run: String = self.stream_chars(a, b).collect();
            if !LEGEND_WORDS.iter().any(|w| run.contains(w)) {
                continue;
            }
            // Legend characters: those `strip_legends` removes.
            let kept: Vec<char> = values::strip_legends(&run)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if kept.len() < b - a {
                let mut k = 0;
                let chars: Vec<char> = self.stream_chars(a, b).collect();
                for (off, c) in chars.iter().enumerate() {
                    if kept.get(k) == Some(c) {
                        k += 1;
                    } else {
                        self.claim(a + off, a + off + 1, Class::Label);
                    }
                }
            }
        }
        for (a, b) in self.free_runs() {
            if self.stream_chars(a, b).all(|c| !c.is_alphanumeric()) {
                let before = a
                    .checked_sub(1)
                    .is_some_and(|i| self.same_item(i, a) && self.claims[i] != 0);
                let after = b < self.chars.len() && self.same_item(b - 1, b) && self.claims[b] != 0;
                let class = if before || after { Class::Markup } else { Class::Noise };
                self.claim(a, b, class);
            }
        }
    }

    fn stream_chars(&self, a: usize, b: usize) -> impl Iterator<Item = char> + '_ {
        let sa = self.chars.get(a).map_or(self.stream.len(), |c| c.0 as usize);
        let sb = self.chars.get(b).map_or(self.stream.len(), |c| c.0 as usize);
        self.stream[sa..sb].chars()
    }

    /// Maximal runs of unclaimed characters within one unit item.
    fn free_runs(&self) -> Vec<(usize, usize)> {
        self.free_runs_in(0, self.chars.len())
    }

    /// [`Self::free_runs`] between two stream positions.
    fn free_runs_in(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let to = to.min(self.chars.len());
        let mut out = Vec::new();
        let mut i = from;
        while i < to {
            if self.claims[i] != 0 {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < to && self.claims[j] == 0 && self.same_item(j - 1, j) {
                j += 1;
            }
            out.push((i, j));
            i = j;
        }
        out
    }

    /// Whether two stream characters are in one unit and one item of it
    /// (no line break of the cell between them).
    fn same_item(&self, a: usize, b: usize) -> bool {
        let (x, y) = (self.chars[a], self.chars[b]);
        if x.1 != y.1 {
            return false;
        }
        let text = &self.units[x.1 as usize].text;
        !text[x.2 as usize..y.2 as usize].contains('\n')
    }

    /// The claims as spans of units, in order; unclaimed runs are unplaced.
    fn spans(self) -> Placements {
        let mut spans: Vec<Span> = Vec::new();
        let mut i = 0;
        while i < self.chars.len() {
            let id = self.claims[i];
            let mut j = i + 1;
            while j < self.chars.len() && self.claims[j] == id && self.same_item(j - 1, j) {
                j += 1;
            }
            let (unit, start) = (self.chars[i].1 as usize, self.chars[i].2 as usize);
            let last = self.chars[j - 1];
            let end = last.2 as usize + char_len(&self.units[unit].text, last.2 as usize);
            let class = match (id as usize).checked_sub(1).and_then(|k| self.classes.get(k)) {
                Some(c) => c.clone(),
                None => Class::Unplaced,
            };
            spans.push(Span {
                unit,
                start,
                end,
                class,
            });
            i = j;
        }
        Placements {
            units: self.units,
            spans,
        }
    }
}

fn char_len(s: &str, at: usize) -> usize {
    s.get(at..).and_then(|t| t.chars().next()).map_or(1, char::len_utf8)
}

/// `normalize::collapse_spaces` of a text, with the byte offset in the
/// text of each byte of the result that starts a character.
fn collapse_with_map(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len());
    let mut space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
            map.push(i);
        }
        space = false;
        out.push(c);
        map.extend(std::iter::repeat_n(i, c.len_utf8()));
    }
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_maps_back() {
        let (c, m) = collapse_with_map("  計　 画 ");
        assert_eq!(c, "計 画");
        assert_eq!(m[0], 2);
        assert_eq!(&"  計　 画 "[m[c.find('画').unwrap()]..], "画 ");
    }
}
