//! Revisions typed and anchored: each change the release marks (a struck
//! run in a workbook or PDF, digits fused in a text release) becomes a
//! `model::Revision` naming the path of the value it revises, with both
//! sides read in the context of that field — a struck `6,166` inside a
//! `(…千円)` budget is 6,166,000 yen, a struck `14` before `件` is 14 件.
//!
//! The path is the field the new text was placed in (`placement.rs`): the
//! revision is found in its cell or line, and the character its new value
//! starts at names the field. A change in no field keeps a null path and a
//! `revision_unanchored` warning.
//!
//! A text release loses the strike-through: old and new digits run
//! together. Where the text proves the split (digit grouping, a full-width
//! figure run into a half-width one, a month that cannot be one) the
//! tokeniser splits them. Where it cannot (`1419件`: 1→419, 14→19, 141→9,
//! or 1419 unchanged), the value is flagged `ambiguous` with every reading
//! it allows and a `revision_ambiguous` warning; it is never applied as one
//! number. Such values are looked for in the fields a proven change lies
//! in (a field whose "as of" month changed had its figures changed too);
//! elsewhere a text release's numbers are taken as printed.

use super::placement::Accounting;
use crate::ir::RawRevision;
use crate::model::{Evidence, Money, Quantity, Reading, RevisedValue, Revision, RevisionFlag, Warning, path};
use crate::normalize;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// The typed, anchored revisions of a document, and warnings about them.
pub(crate) fn anchor(raw: &[RawRevision], acc: &Accounting, root: &Value) -> (Vec<Revision>, Vec<Warning>) {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    // Per unit, where the last revision found in it ended: a cell's
    // revisions come in its order.
    let mut cursors: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for r in raw {
        let found = acc.units_at(&r.at).into_iter().find_map(|u| {
            let from = cursors.get(&u).copied().unwrap_or(0);
            let hit = locate(&acc.units[u].text, r, from)?;
            cursors.insert(u, hit.after.1);
            Some((u, hit))
        });
        let (path, following) = match &found {
            Some((u, hit)) => {
                let (a, _) = acc.stream_range(*u, hit.after.0, hit.after.1.max(hit.after.0 + 1));
                let leaf = acc.field_at(a).or_else(|| acc.first_field_in(*u)).map(str::to_string);
                let text = &acc.units[*u].text;
                (leaf.map(|l| value_path(root, &l)), text[hit.after.1..].to_string())
            }
            None => (None, String::new()),
        };
        let field = path.as_deref().and_then(|p| path::get(root, p));
        let before = typed(&r.before, &following, field);
        let after = typed(&r.after, &following, field);
        let flag = (damaged(&r.before) || damaged(&r.after)).then_some(RevisionFlag::Damaged);
        let rev = Revision {
            before,
            after,
            path,
            at: r.at.clone(),
            evidence: r.evidence,
            context: r.context.clone(),
            flag,
            readings: Vec::new(),
        };
        if rev.path.is_none() {
            warnings.push(Warning::new(
                "revision_unanchored",
                format!(
                    "{:?} → {:?} lies in no field of the model; kept in revisions with a null path",
                    rev.before.text, rev.after.text
                ),
                rev.at.clone(),
            ));
        }
        if rev.flag == Some(RevisionFlag::Damaged) {
            warnings.push(Warning::new(
                "revision_damaged",
                format!(
                    "{:?} → {:?}: a value the file cut short or damaged; it is never applied",
                    rev.before.text, rev.after.text
                ),
                rev.at.clone(),
            ));
        }
        out.push(rev);
    }
    if raw.iter().all(|r| r.evidence != Evidence::Strikethrough) {
        let (amb, w) = ambiguous(&out, acc, root);
        out.extend(amb);
        warnings.extend(w);
    }
    (out, warnings)
}

/// Where a revision's new value stands in its unit (byte range), and its
/// old value where the text prints it too (fused in front).
struct Hit {
    after: (usize, usize),
}

fn digits_part(s: &str) -> &str {
    s.trim_end_matches(|c: char| !c.is_ascii_digit())
}

fn is_digit_at(text: &str, byte: usize, before: bool) -> bool {
    let c = if before {
        text[..byte].chars().next_back()
    } else {
        text[byte..].chars().next()
    };
    c.is_some_and(|c| c.is_ascii_digit())
}

fn locate(text: &str, r: &RawRevision, from: usize) -> Option<Hit> {
    let after = normalize::clean(&r.after);
    let before = normalize::clean(&r.before);
    let from = from.min(text.len());
    if r.evidence != Evidence::Strikethrough {
        // Fused: old digits then the new value.
        let fused = format!("{}{after}", digits_part(&before));
        let i = text[from..].find(&fused).map(|i| i + from)?;
        let a = i + digits_part(&before).len();
        return Some(Hit {
            after: (a, a + after.len()),
        });
    }
    if after.is_empty() {
        return Some(Hit { after: (from, from) });
    }
    let numeric = after.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.');
    let mut at = from;
    while let Some(i) = text.get(at..).and_then(|t| t.find(&after)) {
        let s = at + i;
        let e = s + after.len();
        if !numeric || (!is_digit_at(text, s, true) && !is_digit_at(text, e, false)) {
            return Some(Hit { after: (s, e) });
        }
        at = s + after.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// The path of the value a placed string belongs to: a money's or a
/// quantity's `text` names the money or quantity.
fn value_path(root: &Value, leaf: &str) -> String {
    if let Some(parent) = leaf.strip_suffix("/text")
        && path::get(root, parent).is_some_and(|v| v.get("yen").is_some() || v.get("value").is_some())
    {
        return parent.to_string();
    }
    leaf.to_string()
}

static MONEY_UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:千|万|百万|億)?\s*円|^\s*(?:千|万|百万|億)").expect("money unit regex"));

/// The unit printed after a figure: up to a space or a bracket, at most 8
/// characters (`件`, `団体・個人`, `回`).
fn unit_after(following: &str) -> String {
    following
        .chars()
        .take_while(|c| !c.is_whitespace() && !c.is_ascii_digit() && !"()（）[]【】<>、。,:：;「」".contains(*c))
        .take(8)
        .collect()
}

/// One side of a revision read in the context of its field: money in a
/// money field (or before 円/千円), a quantity where a unit follows, the
/// text alone where it is no figure.
fn typed(raw: &str, following: &str, field: Option<&Value>) -> RevisedValue {
    let text = normalize::clean(raw);
    let mut v = RevisedValue::text(text.clone());
    if !text.chars().any(|c| c.is_ascii_digit()) {
        return v;
    }
    let bare = text.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.');
    let money_field = field.is_some_and(|f| f.get("yen").is_some());
    let quantity_field = field.is_some_and(|f| f.get("value").is_some());
    let money_unit = MONEY_UNIT.find(following).map(|m| m.as_str().trim().to_string());
    if money_field || (bare && money_unit.is_some()) || normalize::money::is_money_only(&text) {
        let with_unit = if bare {
            format!("{text}{}", money_unit.unwrap_or_default())
        } else {
            text.clone()
        };
        let m = normalize::parse_money(&with_unit);
        if m.yen.is_some() {
            v.money = Some(Money {
                yen: m.yen,
                text: with_unit,
            });
        }
        return v;
    }
    let with_unit = if bare {
        format!("{text}{}", unit_after(following))
    } else {
        text.clone()
    };
    v.quantity = quantity_of(&with_unit, quantity_field);
    v
}

/// A figure with its unit; a month or a day (`12月`) is a quantity here
/// (the normaliser's quantities leave dates out: they are never targets).
fn quantity_of(s: &str, _quantity_field: bool) -> Option<Quantity> {
    static DATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?P<n>[0-9]{1,2})\s*(?P<u>月|日)").expect("date regex"));
    if let Some(c) = DATE.captures(s) {
        let n: f64 = c.name("n")?.as_str().parse().ok()?;
        let u = c.name("u")?.as_str();
        return Some(Quantity {
            value: Some(n),
            unit: Some(u.to_string()),
            comparator: None,
            text: format!("{}{u}", c.name("n")?.as_str()),
        });
    }
    let q = normalize::parse_value_only(s).or_else(|| {
        let q = normalize::parse_quantity(s);
        q.value.is_some().then_some(q)
    })?;
    q.value.is_some().then_some(q)
}

/// A figure the file cut short: `32,` (a grouping left open), `3,26`.
fn damaged(raw: &str) -> bool {
    static WELL_FORMED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$").expect("number regex"));
    let t = normalize::clean(raw);
    let figure: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    !figure.is_empty() && !WELL_FORMED.is_match(&figure)
}

/// The lists whose elements bound the search for fused values: a year of
/// prior results, a main initiative, a reform item. (An initiative or a
/// strategy is a whole block: there the field itself is the bound.)
fn scope_of(p: &str) -> String {
    for anc in path::ancestors(p) {
        let list = path::ancestors(anc)
            .next()
            .and_then(|l| l.rsplit('/').next())
            .unwrap_or("");
        match list {
            "prior_results" | "main_initiatives" | "reform_items" | "budgets" => return anc.to_string(),
            "issues" | "key_issues" | "strategies" | "initiatives" => break,
            _ => {}
        }
    }
    p.to_string()
}

/// Fused values the text cannot split, in the fields where a proven
/// change lies: every run of two or more digits that is not a year, an
/// id, a date or a grouped figure, with the readings it allows.
fn ambiguous(proven: &[Revision], acc: &Accounting, root: &Value) -> (Vec<Revision>, Vec<Warning>) {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9][0-9,.]*").expect("number regex"));
    let mut scopes: Vec<String> = proven
        .iter()
        .filter(|r| r.flag.is_none())
        .filter_map(|r| r.path.as_deref().map(scope_of))
        .collect();
    scopes.sort();
    scopes.dedup();
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let strings = path::content_strings(root);
    for scope in &scopes {
        let prefix = format!("{scope}/");
        for (p, s) in strings.iter().filter(|(p, _)| p == scope || p.starts_with(&prefix)) {
            for m in NUMBER.find_iter(s) {
                let digits = m.as_str();
                if digits.len() < 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                let rest = &s[m.end()..];
                let prev = s[..m.start()].chars().next_back();
                let next = rest.chars().next();
                // Years (`3年度`, `2025年`), ids (`1-1-2`), dates.
                if rest.starts_with('年') || rest.starts_with("月") || rest.starts_with('日') || rest.starts_with('時')
                {
                    continue;
                }
                if matches!(prev, Some('-' | '.' | ',')) || matches!(next, Some('-')) {
                    continue;
                }
                // Already a proven change: its new value.
                if proven
                    .iter()
                    .any(|r| r.path.as_deref() == Some(p.as_str()) && digits_part(&r.after.text) == digits)
                {
                    continue;
                }
                let unit = unit_after(rest);
                let field = path::get(root, &value_path(root, p));
                let side = |d: &str| typed(d, rest, field);
                let mut readings = vec![Reading {
                    before: side(digits),
                    after: side(digits),
                }];
                for (i, _) in digits.char_indices().skip(1) {
                    let (b, a) = digits.split_at(i);
                    if a.starts_with('0') {
                        continue;
                    }
                    readings.push(Reading {
                        before: side(b),
                        after: side(a),
                    });
                }
                let printed = RevisedValue::text(format!("{digits}{unit}"));
                let at = acc.location_of(p).unwrap_or_default();
                warnings.push(Warning::new(
                    "revision_ambiguous",
                    format!(
                        "{:?} in {p} may be an old value run into the new one ({} readings); flagged, never applied as one number",
                        printed.text,
                        readings.len()
                    ),
                    at.clone(),
                ));
                out.push(Revision {
                    before: printed.clone(),
                    after: printed,
                    path: Some(value_path(root, p)),
                    at,
                    evidence: Evidence::RevisedField,
                    context: Some(s.to_string()),
                    flag: Some(RevisionFlag::Ambiguous),
                    readings,
                });
            }
        }
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    #[test]
    fn sides_are_read_in_their_fields_context() {
        let budget = serde_json::json!({"yen": 6227000, "text": "6,227千円"});
        let b = typed("6,166", "千円)", Some(&budget));
        assert_eq!(b.money.as_ref().and_then(|m| m.yen), Some(6_166_000));
        let b = typed("6,166千円", ")", Some(&budget));
        assert_eq!(b.money.as_ref().and_then(|m| m.yen), Some(6_166_000));
        let item = serde_json::json!("広報紙… 19件");
        let q = typed("14", "件 ・区内", Some(&item)).quantity.expect("quantity");
        assert_eq!((q.value, q.unit.as_deref()), (Some(14.0), Some("件")));
        let q = typed("9", "月末時点)", Some(&item)).quantity.expect("month");
        assert_eq!((q.value, q.unit.as_deref()), (Some(9.0), Some("月")));
        let q = typed("21", "団体・個人", Some(&item)).quantity.expect("quantity");
        assert_eq!((q.value, q.unit.as_deref()), (Some(21.0), Some("団体・個人")));
        assert!(typed("地域", "", Some(&item)).quantity.is_none());
    }

    #[test]
    fn a_figure_cut_short_is_damaged() {
        assert!(damaged("32,"));
        assert!(damaged("3,26"));
        assert!(!damaged("32,550"));
        assert!(!damaged("12月"));
        assert!(!damaged(""));
    }

    #[test]
    fn scopes() {
        assert_eq!(
            scope_of("issues/1/strategies/1-1/initiatives/1-1-1/prior_results/2021/heading"),
            "issues/1/strategies/1-1/initiatives/1-1-1/prior_results/2021"
        );
        assert_eq!(
            scope_of("key_issues/1/main_initiatives/1-2-2/budget"),
            "key_issues/1/main_initiatives/1-2-2"
        );
        assert_eq!(
            scope_of("issues/1/strategies/1-1/initiatives/1-1-1/activities/0"),
            "issues/1/strategies/1-1/initiatives/1-1-1/activities/0"
        );
    }

    #[test]
    fn fused_text_is_found_in_its_line() {
        let r = RawRevision {
            before: "6,166千円".into(),
            after: "6,227千円".into(),
            at: Location::line(7),
            evidence: Evidence::DigitGrouping,
            context: None,
        };
        let t = "…を強化する。(6,1666,227千円)";
        let h = locate(t, &r, 0).expect("found");
        assert_eq!(&t[h.after.0..h.after.1], "6,227千円");
        let r = RawRevision {
            before: "14".into(),
            after: "19".into(),
            evidence: Evidence::Strikethrough,
            ..r
        };
        let t = "3年度(12月末時点) ・広報紙で… 19件 ・… 40件";
        let h = locate(t, &r, 0).expect("found");
        assert_eq!(&t[h.after.0..h.after.1], "19");
    }
}
