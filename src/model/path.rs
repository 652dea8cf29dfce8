//! Paths: how one value of the model is named — in a Document, in the
//! merged ward-year view (`crate::view`), in revisions, in the placement
//! map and in reports. One syntax everywhere:
//!
//! `/`-separated field names, a list element named by its key:
//!
//! | list | key |
//! | --- | --- |
//! | `key_issues`, `issues` | `number` |
//! | `strategies`, `main_initiatives`, `initiatives`, `basic_policy_items` | `id` |
//! | `reform_items` | `category` |
//! | `budgets` | `<fiscal_year>:<kind>` (`-` for no year) |
//! | `prior_results` | `<fiscal_year>` (`-` for no year) |
//! | any other list | the element's index, from 0 |
//!
//! A key two elements of one list share (two budgets without a year) is
//! made unique by the element's index: `budgets/-:budget@2`.
//! `~` and `/` inside a key are written `~0` and `~1` (as in JSON Pointer).
//! E.g. `issues/3/strategies/3-3/initiatives/3-3-4/budgets/2022:budget`,
//! `issues/1/strategies/1-1/initiatives/1-1-2/prior_results/2021/items/0`.
//!
//! The functions here work on the model serialised as JSON, so every field
//! the model has (or gains) is reachable without a walker per type.

use serde_json::Value;

/// JSON-Pointer escaping of a key inside a path.
pub fn esc(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unesc(key: &str) -> String {
    key.replace("~1", "/").replace("~0", "~")
}

/// The fields that hold the model's content, in a Document's order (the
/// rest are about the file or the reading: source, detection, revisions,
/// warnings, unplaced, coverage).
pub const CONTENT_FIELDS: &[&str] = &[
    "title",
    "goal",
    "mission",
    "policy",
    "key_issues",
    "reform_items",
    "issues",
];

/// The key of element `index` of the list named `list`.
pub fn key_of(list: &str, item: &Value, index: usize) -> String {
    let s = |k: &str| -> Option<String> {
        match item.get(k)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let year = || s("fiscal_year").unwrap_or_else(|| "-".to_string());
    let key = match list {
        "key_issues" | "issues" => s("number"),
        "strategies" | "main_initiatives" | "initiatives" | "basic_policy_items" => s("id"),
        "reform_items" => s("category"),
        "budgets" => s("kind").map(|k| format!("{}:{k}", year())),
        "prior_results" => Some(year()),
        _ => None,
    };
    key.unwrap_or_else(|| index.to_string())
}

/// Whether `list` names its elements by a key (rather than by index).
fn keyed(list: &str) -> bool {
    matches!(
        list,
        "key_issues"
            | "issues"
            | "strategies"
            | "main_initiatives"
            | "initiatives"
            | "basic_policy_items"
            | "reform_items"
            | "budgets"
            | "prior_results"
    )
}

/// The keys of a list's elements, unique: a repeated key gets `@<index>`
/// on every repetition after the first.
pub fn keys(list: &str, items: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for (i, x) in items.iter().enumerate() {
        let k = key_of(list, x, i);
        if keyed(list) && out.contains(&k) {
            out.push(format!("{k}@{i}"));
        } else {
            out.push(k);
        }
    }
    out
}

fn position(list: &str, items: &[Value], seg: &str) -> Option<usize> {
    if keyed(list) {
        keys(list, items).iter().position(|k| k == seg)
    } else {
        seg.parse::<usize>().ok().filter(|&i| i < items.len())
    }
}

fn step<'a>(v: &'a Value, list: &str, seg: &str) -> Option<&'a Value> {
    match v {
        Value::Object(m) => m.get(seg),
        Value::Array(a) => a.get(position(list, a, seg)?),
        _ => None,
    }
}

fn step_mut<'a>(v: &'a mut Value, list: &str, seg: &str) -> Option<&'a mut Value> {
    match v {
        Value::Object(m) => m.get_mut(seg),
        Value::Array(a) => {
            let i = position(list, a, seg)?;
            a.get_mut(i)
        }
        _ => None,
    }
}

/// The value at `path` under `root` (a Document or a view, as JSON).
pub fn get<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = root;
    let mut last = String::new();
    for raw in path.split('/') {
        let seg = unesc(raw);
        let next = step(v, &last, &seg)?;
        if v.is_object() {
            last = seg;
        }
        v = next;
    }
    Some(v)
}

/// The value at `path`, to change it.
pub fn get_mut<'a>(root: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut v = root;
    let mut last = String::new();
    for raw in path.split('/') {
        let seg = unesc(raw);
        let is_object = v.is_object();
        v = step_mut(v, &last, &seg)?;
        if is_object {
            last = seg;
        }
    }
    Some(v)
}

/// Keys whose strings are not printed text: provenance, ids and numbers
/// (printed inside the forms' labels), enum values, units (part of the
/// quantity's `text`).
const NOT_TEXT: &[&str] = &[
    "at",
    "id",
    "kind",
    "achievement",
    "progress",
    "effectiveness",
    "outcome_status",
    "comparator",
    "unit",
];

/// Every string of printed text under `v`, with its path, in order.
pub fn strings<'a>(v: &'a Value, prefix: &str, out: &mut Vec<(String, &'a str)>) {
    walk(v, prefix, "", out);
}

fn join(prefix: &str, seg: &str) -> String {
    if prefix.is_empty() {
        esc(seg)
    } else {
        format!("{prefix}/{}", esc(seg))
    }
}

fn walk<'a>(v: &'a Value, path: &str, list: &str, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::String(s) => out.push((path.to_string(), s.as_str())),
        Value::Array(a) => {
            for (x, k) in a.iter().zip(keys(list, a)) {
                walk(x, &join(path, &k), "", out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                if NOT_TEXT.contains(&k.as_str()) {
                    continue;
                }
                walk(x, &join(path, k), k, out);
            }
        }
        _ => {}
    }
}

/// The strings of a Document's (or a view's) content fields, with paths.
pub fn content_strings(root: &Value) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for f in CONTENT_FIELDS {
        if let Some(v) = root.get(*f) {
            walk(v, &esc(f), f, &mut out);
        }
    }
    out
}

/// The paths above `path`, nearest first (`issues/1/strategies/1-1` and
/// `issues/1/strategies` and … for `issues/1/strategies/1-1/title`).
pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices()
        .rev()
        .filter(|(_, c)| *c == '/')
        .map(move |(i, _)| &path[..i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "goal": "目標",
            "issues": [{
                "number": 1,
                "title": "課題",
                "at": {"line": 3},
                "strategies": [{
                    "id": "1-1",
                    "initiatives": [{
                        "id": "1-1-2",
                        "budgets": [{"fiscal_year": 2022, "kind": "budget", "yen": 1000, "text": "1千円"}],
                        "prior_results": [{"fiscal_year": 2021, "items": ["a 19件", "b"]}],
                    }]
                }]
            }],
            "reform_items": [{"category": "歳入/確保", "content": "x"}]
        })
    }

    #[test]
    fn paths_name_list_items_by_key() {
        let d = doc();
        let p = "issues/1/strategies/1-1/initiatives/1-1-2/prior_results/2021/items/0";
        assert_eq!(get(&d, p), Some(&json!("a 19件")));
        let b = "issues/1/strategies/1-1/initiatives/1-1-2/budgets/2022:budget/yen";
        assert_eq!(get(&d, b), Some(&json!(1000)));
        assert_eq!(get(&d, "reform_items/歳入~1確保/content"), Some(&json!("x")));
        assert_eq!(get(&d, "issues/2"), None);
        if let Some(v) = get_mut(&mut doc(), p) {
            *v = json!("changed");
        }
    }

    #[test]
    fn strings_are_listed_with_their_paths_and_no_provenance() {
        let d = doc();
        let all = content_strings(&d);
        let paths: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.contains(&"goal"));
        assert!(paths.contains(&"issues/1/title"));
        assert!(paths.contains(&"issues/1/strategies/1-1/initiatives/1-1-2/prior_results/2021/items/1"));
        assert!(paths.contains(&"issues/1/strategies/1-1/initiatives/1-1-2/budgets/2022:budget/text"));
        assert!(paths.contains(&"reform_items/歳入~1確保/category"));
        assert!(
            !paths.iter().any(|p| p.ends_with("/at") || p.contains("/at/")),
            "{paths:?}"
        );
        for (p, _) in &all {
            assert!(get(&d, p).is_some(), "{p} does not resolve");
        }
    }

    #[test]
    fn a_repeated_key_is_made_unique_by_its_index() {
        let d = json!({"budgets": [
            {"fiscal_year": null, "kind": "budget", "text": "a"},
            {"fiscal_year": null, "kind": "budget", "text": "b"}
        ]});
        assert_eq!(get(&d, "budgets/-:budget/text"), Some(&json!("a")));
        assert_eq!(get(&d, "budgets/-:budget@1/text"), Some(&json!("b")));
        let paths: Vec<String> = content_strings(&json!({"issues": []}))
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert!(paths.is_empty());
    }

    #[test]
    fn ancestors_nearest_first() {
        let a: Vec<&str> = ancestors("issues/1/strategies/1-1/title").collect();
        assert_eq!(
            a,
            ["issues/1/strategies/1-1", "issues/1/strategies", "issues/1", "issues"]
        );
        assert_eq!(ancestors("goal").count(), 0);
    }
}
