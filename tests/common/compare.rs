//! The one comparison of two Documents from different formats of one
//! release, field by field, for every test that compares formats (PDF,
//! workbook, web page, variants against their text release).
//!
//! Ignored: provenance (`at`, `source`, `detection`), `warnings`, and what
//! exists only to describe a reading (`unplaced`, `coverage`); strings are
//! compared without white space (a PDF draws no space at a wrapped line's
//! end; converters put spaces where a workbook had none). Lists whose items
//! carry an `id` (or a `number`) are matched by it, so an item missing on
//! one side is one difference, not a shift of every item after it.

use serde_json::Value;

/// Keys left out of every comparison.
pub const IGNORED_KEYS: &[&str] = &["at", "source", "detection", "warnings", "unplaced", "coverage"];

/// A Document reduced to what the comparison looks at.
pub fn comparable(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !IGNORED_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(comparable).collect()),
        Value::String(s) => Value::String(s.split_whitespace().collect()),
        other => other.clone(),
    }
}

/// The key an item of a list is matched by: its `id`, else its `number`.
fn item_key(v: &Value) -> Option<String> {
    let m = v.as_object()?;
    match (m.get("id"), m.get("number")) {
        (Some(Value::String(s)), _) => Some(s.clone()),
        (_, Some(n)) if n.is_number() => Some(format!("#{n}")),
        _ => None,
    }
}

/// Every difference between two Documents (`a` against `b`), as
/// `path: a-value against b-value`, paths like `.issues[#1].strategies[1-1].title`.
pub fn model_differences(a: &Value, b: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk("", &comparable(a), &comparable(b), &mut out);
    out
}

fn short(v: &Value) -> String {
    v.to_string().chars().take(160).collect()
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (p, q) = (x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null));
                walk(&format!("{path}.{k}"), p, q, out);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            let keyed = !x.is_empty() && !y.is_empty() && x.iter().chain(y).all(|v| item_key(v).is_some());
            if keyed {
                let keys_of = |l: &[Value]| l.iter().filter_map(item_key).collect::<Vec<_>>();
                let (kx, ky) = (keys_of(x), keys_of(y));
                let mut all: Vec<&String> = kx.iter().collect();
                all.extend(ky.iter().filter(|k| !kx.contains(k)));
                for k in all {
                    let p = x.iter().find(|v| item_key(v).as_ref() == Some(k));
                    let q = y.iter().find(|v| item_key(v).as_ref() == Some(k));
                    match (p, q) {
                        (Some(p), Some(q)) => walk(&format!("{path}[{k}]"), p, q, out),
                        (Some(p), None) => out.push(format!("{path}[{k}]: {} against nothing", short(p))),
                        (None, Some(q)) => out.push(format!("{path}[{k}]: nothing against {}", short(q))),
                        (None, None) => {}
                    }
                }
                if kx.len() != ky.len() {
                    out.push(format!("{path}: {} items against {}", x.len(), y.len()));
                }
            } else {
                if x.len() != y.len() {
                    out.push(format!("{path}: {} items against {}", x.len(), y.len()));
                }
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    walk(&format!("{path}[{i}]"), p, q, out);
                }
                let longer = if x.len() > y.len() { x } else { y };
                for (i, v) in longer.iter().enumerate().skip(x.len().min(y.len())) {
                    let side = if x.len() > y.len() { "only in a" } else { "only in b" };
                    out.push(format!("{path}[{i}]: {side}: {}", short(v)));
                }
            }
        }
        (p, q) if p != q => out.push(format!("{path}: {} against {}", short(p), short(q))),
        _ => {}
    }
}
