//! The Document as a tree for the side panel: objects and lists fold, each
//! value a line that, clicked, scrolls the release to where it was read.
//! Paths are built as `placed.rs` builds them, so a line finds its value.

use super::html::esc;
use super::ordered::J;
use super::placed::{esc_key, is_money, is_quantity, keys, text_kind};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// Keys shown in the header or as marks, not in the tree.
const HIDDEN: [&str; 3] = ["schema", "at", "warnings"];

pub fn tree(doc: &J, ids: &HashMap<&str, usize>, missing: &HashSet<&str>) -> String {
    let mut out = String::from("<div class=\"tree\">");
    for (k, v) in doc.members() {
        if HIDDEN.contains(&k.as_str()) {
            continue;
        }
        node(&mut out, k, k, k, v, ids, missing, 0);
    }
    out.push_str("</div>");
    out
}

fn short(s: &str, n: usize) -> String {
    let s = s.replace('\n', " ⏎ ");
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// What a list item is called in the tree: its key and its title.
fn item_label(key: &str, v: &J) -> String {
    let title = v
        .get("title")
        .as_str()
        .or_else(|| v.get("description").as_str())
        .or_else(|| v.get("text").as_str());
    match title {
        Some(t) => format!("{key} {}", short(t, 40)),
        None => key.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn node(
    out: &mut String,
    label: &str,
    field: &str,
    path: &str,
    v: &J,
    ids: &HashMap<&str, usize>,
    missing: &HashSet<&str>,
    depth: usize,
) {
    let leaf_text = match v {
        J::Obj(_) if is_money(v) || is_quantity(v) => Some(v.get("text").as_str().unwrap_or_default().to_string()),
        J::Obj(_) | J::Arr(_) => None,
        J::Null => Some("null".to_string()),
        other => other.scalar(),
    };
    if let Some(text) = leaf_text {
        let (class, data) = match ids.get(path) {
            Some(&i) => {
                let kind = if is_money(v) {
                    "money"
                } else if is_quantity(v) {
                    "quantity"
                } else {
                    text_kind(field).as_str()
                };
                (format!("leaf h k-{kind}"), format!(" data-h=\"{i}\""))
            }
            None if missing.contains(path) => (
                "leaf missing".to_string(),
                " title=\"not found on the page\"".to_string(),
            ),
            None => ("leaf".to_string(), String::new()),
        };
        let _ = write!(
            out,
            "<div class=\"{class}\"{data}><span class=\"key\">{}</span> {}</div>",
            esc(label),
            esc(&short(&text, 80))
        );
        return;
    }
    let open = if depth < 1 { " open" } else { "" };
    let count = match v {
        J::Arr(a) => format!(" <span class=\"count\">[{}]</span>", a.len()),
        _ => String::new(),
    };
    // A value placed as a whole (a revision, a detection note).
    let mark = match ids.get(path) {
        Some(&i) => format!(" class=\"h\" data-h=\"{i}\""),
        None => String::new(),
    };
    let _ = write!(
        out,
        "<details{open}><summary{mark}><span class=\"key\">{}</span>{count}</summary>",
        esc(label)
    );
    match v {
        J::Obj(m) => {
            for (k, child) in m {
                if HIDDEN.contains(&k.as_str()) {
                    continue;
                }
                let p = format!("{path}/{}", esc_key(k));
                node(out, k, k, &p, child, ids, missing, depth + 1);
            }
        }
        J::Arr(items) => {
            for (item, key) in items.iter().zip(keys(field, items)) {
                let p = format!("{path}/{key}");
                let label = item_label(&key, item);
                node(out, &label, field, &p, item, ids, missing, depth + 1);
            }
        }
        _ => {}
    }
    out.push_str("</details>");
}
