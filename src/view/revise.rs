//! A `plan_revision` applied to the view through its revisions only: each
//! revision names the path of the value it revises and both values typed
//! (`model::Revision`), and is applied there when the view's value is the
//! revision's old value (in yen for money, by figure and unit inside a
//! text). Where the view already has the new value there is nothing to do;
//! where it has neither, the revision conflicts with the view and goes to
//! `disagreements`. A revision flagged `damaged` is never applied; one
//! flagged `ambiguous` is applied only where exactly one of its readings
//! agrees with the view or with another document's revision of the same
//! value (`resolve`), else it goes to `disagreements` with its readings.

use crate::model::{Money, Reading, RevisedValue, Revision};
use serde_json::Value;

/// What applying one revised value to the view's value did.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Outcome {
    /// The view held the old value; it now holds the new one.
    Applied { before: Value, after: Value },
    /// The view holds the new value already.
    Already,
    /// The view holds another value (or the old one where it cannot be
    /// told apart).
    Conflict,
    /// The view has nothing at the path.
    Missing,
}

/// A figure as printed: digits (`14`, `6,166`) and the unit after them.
fn figure(v: &RevisedValue) -> Option<(String, String)> {
    let (text, unit) = if let Some(q) = &v.quantity {
        (q.text.as_str(), q.unit.clone().unwrap_or_default())
    } else if let Some(m) = &v.money {
        (m.text.as_str(), String::new())
    } else {
        (v.text.as_str(), String::new())
    };
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    let digits = digits.trim_end_matches([',', '.']).to_string();
    (!digits.is_empty()).then_some((digits, unit))
}

/// Byte ranges of a figure in a text: its digits at digit boundaries,
/// followed by its unit (white space allowed between).
fn occurrences(text: &str, digits: &str, unit: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(digits)) {
        let s = from + i;
        let e = s + digits.len();
        let before = text[..s].chars().next_back();
        let after = text[e..].chars().next();
        let boundary = !before.is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.')
            && !after.is_some_and(|c| {
                c.is_ascii_digit()
                    || ((c == ',' || c == '.') && text[e + 1..].starts_with(|d: char| d.is_ascii_digit()))
            });
        let rest = text[e..].trim_start();
        if boundary && rest.starts_with(unit) {
            out.push((s, e));
        }
        from = e;
    }
    out
}

/// Whether the view's value says `v` (the figure inside a text, the yen of
/// money, the value of a quantity).
pub(super) fn says(slot: &Value, v: &RevisedValue) -> bool {
    match slot {
        Value::String(s) => match figure(v) {
            Some((d, u)) => !occurrences(s, &d, &u).is_empty(),
            None => !v.text.is_empty() && s.contains(&v.text),
        },
        Value::Object(o) if o.contains_key("yen") => {
            let yen = o.get("yen").and_then(Value::as_i64);
            v.money.as_ref().is_some_and(|m| m.yen == yen)
        }
        Value::Object(o) if o.contains_key("value") => {
            let value = o.get("value").and_then(Value::as_f64);
            v.quantity.as_ref().is_some_and(|q| q.value == value)
        }
        _ => false,
    }
}

/// Apply `before → after` to the view's value at its path.
pub(super) fn apply(slot: Option<&mut Value>, before: &RevisedValue, after: &RevisedValue) -> Outcome {
    let Some(slot) = slot.filter(|s| !s.is_null()) else {
        return Outcome::Missing;
    };
    let old = slot.clone();
    match slot {
        Value::String(s) => {
            let (b, a) = match (figure(before), figure(after)) {
                (Some((bd, bu)), Some((ad, au))) => (occurrences(s, &bd, &bu), occurrences(s, &ad, &au).len()),
                _ => {
                    let b: Vec<(usize, usize)> = s
                        .match_indices(before.text.as_str())
                        .filter(|_| !before.text.is_empty())
                        .map(|(i, m)| (i, i + m.len()))
                        .collect();
                    (b, usize::from(!after.text.is_empty() && s.contains(&after.text)))
                }
            };
            match (b.as_slice(), a) {
                ([], n) if n > 0 => Outcome::Already,
                ([(x, y)], 0) => {
                    let new = figure(after).map_or(after.text.clone(), |(d, _)| d);
                    s.replace_range(*x..*y, &new);
                    Outcome::Applied {
                        before: old,
                        after: slot.clone(),
                    }
                }
                _ => Outcome::Conflict,
            }
        }
        Value::Object(o) if o.contains_key("yen") => {
            let yen = o.get("yen").and_then(Value::as_i64);
            let (Some(b), Some(a)) = (&before.money, &after.money) else {
                return Outcome::Conflict;
            };
            if a.yen == yen {
                Outcome::Already
            } else if b.yen == yen {
                let Money { yen, text } = a.clone();
                o.insert("yen".into(), yen.map_or(Value::Null, Value::from));
                o.insert("text".into(), Value::from(text));
                Outcome::Applied {
                    before: old,
                    after: slot.clone(),
                }
            } else {
                Outcome::Conflict
            }
        }
        Value::Object(o) if o.contains_key("value") => {
            let value = o.get("value").and_then(Value::as_f64);
            let (Some(b), Some(a)) = (&before.quantity, &after.quantity) else {
                return Outcome::Conflict;
            };
            if a.value == value {
                Outcome::Already
            } else if b.value == value {
                if let Ok(q) = serde_json::to_value(a) {
                    *slot = q;
                }
                Outcome::Applied {
                    before: old,
                    after: slot.clone(),
                }
            } else {
                Outcome::Conflict
            }
        }
        _ => Outcome::Conflict,
    }
}

/// The one reading of an ambiguous revision that agrees with the view's
/// value (its old or its new value is what the view says) or with another
/// document's revision of the same value (`others`: their old and new
/// values); `None` where none or several do.
pub(super) fn resolve<'a>(
    rev: &'a Revision,
    slot: Option<&Value>,
    others: &[(&RevisedValue, &RevisedValue)],
) -> Option<&'a Reading> {
    let agreeing: Vec<&Reading> = rev
        .readings
        .iter()
        .filter(|r| {
            let by_view = slot.is_some_and(|s| says(s, &r.before) || says(s, &r.after));
            let by_other = others.iter().any(|(b, a)| r.before.same(b) && r.after.same(a));
            by_view || by_other
        })
        .collect();
    match agreeing.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Quantity;
    use serde_json::json;

    fn q(n: f64, unit: &str) -> RevisedValue {
        RevisedValue {
            text: format!("{n}"),
            money: None,
            quantity: Some(Quantity {
                value: Some(n),
                unit: Some(unit.into()),
                comparator: None,
                text: format!("{n}{unit}"),
            }),
        }
    }

    fn yen(text: &str, y: i64) -> RevisedValue {
        RevisedValue {
            text: text.into(),
            money: Some(Money {
                yen: Some(y),
                text: format!("{text}千円"),
            }),
            quantity: None,
        }
    }

    #[test]
    fn a_figure_inside_a_text_is_revised_in_place() {
        let mut s = json!("広報紙で…記事の掲載 14件");
        let out = apply(Some(&mut s), &q(14.0, "件"), &q(19.0, "件"));
        assert!(matches!(out, Outcome::Applied { .. }), "{out:?}");
        assert_eq!(s, json!("広報紙で…記事の掲載 19件"));
        assert_eq!(apply(Some(&mut s), &q(14.0, "件"), &q(19.0, "件")), Outcome::Already);
        let mut other = json!("広報紙で…記事の掲載 24件");
        assert_eq!(
            apply(Some(&mut other), &q(14.0, "件"), &q(19.0, "件")),
            Outcome::Conflict
        );
        // 14 inside 140 or before another unit is not 14件.
        let mut s = json!("140件、14回");
        assert_eq!(apply(Some(&mut s), &q(14.0, "件"), &q(19.0, "件")), Outcome::Conflict);
    }

    #[test]
    fn money_is_revised_by_yen() {
        let mut m = json!({"yen": 6166000, "text": "6,166千円"});
        let out = apply(Some(&mut m), &yen("6,166", 6_166_000), &yen("6,227", 6_227_000));
        assert!(matches!(out, Outcome::Applied { .. }));
        assert_eq!(m, json!({"yen": 6227000, "text": "6,227千円"}));
        let mut plan = json!({"yen": 4960000, "text": "4,960千円"});
        assert_eq!(
            apply(Some(&mut plan), &yen("6,166", 6_166_000), &yen("6,227", 6_227_000)),
            Outcome::Conflict,
            "a plan of another version: neither value"
        );
        assert_eq!(apply(None, &yen("1", 1000), &yen("2", 2000)), Outcome::Missing);
    }

    #[test]
    fn an_ambiguous_value_is_resolved_only_by_one_agreeing_reading() {
        let printed = RevisedValue::text("1419件");
        let reading = |b: f64, a: f64| Reading {
            before: q(b, "件"),
            after: q(a, "件"),
        };
        let rev = Revision {
            before: printed.clone(),
            after: printed,
            path: Some("x".into()),
            at: Default::default(),
            evidence: crate::model::Evidence::RevisedField,
            context: None,
            flag: Some(crate::model::RevisionFlag::Ambiguous),
            readings: vec![
                reading(1419.0, 1419.0),
                reading(1.0, 419.0),
                reading(14.0, 19.0),
                reading(141.0, 9.0),
            ],
        };
        let plan = json!("…記事の掲載 14件");
        assert_eq!(resolve(&rev, Some(&plan), &[]), Some(&rev.readings[2]));
        let other_version = json!("…記事の掲載 24件");
        assert_eq!(resolve(&rev, Some(&other_version), &[]), None);
        let (b, a) = (q(14.0, "件"), q(19.0, "件"));
        assert_eq!(resolve(&rev, Some(&other_version), &[(&b, &a)]), Some(&rev.readings[2]));
    }
}
