//! The documents' own numbering, normalised to ASCII with `-`:
//! `１－１－１` and `1－1－1` → `1-1-1`.

use super::width;
use regex::Regex;
use std::sync::LazyLock;

static ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]+)\s*-\s*([0-9]+)(?:\s*-\s*([0-9]+))?").expect("id regex"));

/// Normalise an id as printed (`１－１－１`, `1 - 2`) to `1-1-1`.
pub fn normalize_id(s: &str) -> Option<String> {
    let t = width::normalize(s);
    let c = ID.captures(t.trim())?;
    let mut id = format!("{}-{}", num(&c[1]), num(&c[2]));
    if let Some(third) = c.get(3) {
        id.push('-');
        id.push_str(&num(third.as_str()));
    }
    Some(id)
}

/// `01` → `1`: ids compare as numbers.
fn num(s: &str) -> String {
    let t = s.trim_start_matches('0');
    if t.is_empty() { "0".to_string() } else { t.to_string() }
}

/// The parent of an id: `1-2-3` → `1-2`, `1-2` → `1`.
pub fn parent(id: &str) -> Option<&str> {
    id.rfind('-').map(|p| &id[..p])
}

/// The key issue number an id starts with: `3-1-2` → 3.
pub fn issue_number(id: &str) -> Option<u32> {
    id.split('-').next()?.parse().ok()
}

/// Sort key for ids: numerically, part by part.
pub fn sort_key(id: &str) -> Vec<u32> {
    id.split('-').map(|p| p.parse().unwrap_or(u32::MAX)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_mixed_ids() {
        assert_eq!(normalize_id("１－１－１").as_deref(), Some("1-1-1"));
        assert_eq!(normalize_id("1－2－1").as_deref(), Some("1-2-1"));
        assert_eq!(normalize_id("1 - 2").as_deref(), Some("1-2"));
        assert_eq!(normalize_id("１－１").as_deref(), Some("1-1"));
        assert_eq!(normalize_id("01-02").as_deref(), Some("1-2"));
        assert_eq!(normalize_id("なし"), None);
    }

    #[test]
    fn parents_and_order() {
        assert_eq!(parent("1-2-3"), Some("1-2"));
        assert_eq!(issue_number("3-1-2"), Some(3));
        let mut ids = vec!["1-10", "1-2", "1-1"];
        ids.sort_by_key(|i| sort_key(i));
        assert_eq!(ids, ["1-1", "1-2", "1-10"]);
    }
}
