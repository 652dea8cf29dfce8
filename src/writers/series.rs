//! Series: the same initiative, strategy or indicator of one ward across
//! fiscal years.
//!
//! Ids are reused from year to year, but titles drift and numbering shifts,
//! so an id alone does not make a series, and a new id does not end one.
//! The rule, applied per ward and kind of item, year by year in order, each
//! item against the items of the ward's latest earlier year that has any:
//!
//! 1. **same_id**: the same id, and titles at least 0.5 alike → the same series.
//! 2. **renumbered**: otherwise, the most alike title (at least 0.8) among
//!    the earlier year's items of the same key issue (the id's first number)
//!    not yet taken → the same series.
//! 3. **new**: otherwise a new series, named `<ward>:<kind>:<year>:<id>`.
//!
//! Indicators follow their owner: an indicator is matched only against the
//! earlier year's indicators of the owner's own series, by description (at
//! least 0.6 alike). "Alike" is the Dice coefficient of the two texts'
//! character bigrams, after dropping spaces and punctuation.
//!
//! An earlier-year item is taken by at most one later item.

use crate::model::Issue;
use crate::model::KeyIssue;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How an item joined its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub series_id: String,
    /// `new`, `same_id` or `renumbered`.
    pub link: &'static str,
    /// How alike it is to the item it continues (none for `new`).
    pub similarity: Option<f64>,
    pub title: Option<String>,
}

/// One item of one ward and year, as the linker sees it.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub title: Option<String>,
    /// For indicators: the owner's (strategy's or initiative's) entity and id.
    pub owner: Option<(&'static str, String)>,
}

/// The items of a ward and year, by entity (`initiative`, `strategy`,
/// `indicator`), from its merged view.
pub fn items_of(key_issues: &[KeyIssue], issues: &[Issue]) -> BTreeMap<&'static str, Vec<Item>> {
    let mut out: BTreeMap<&'static str, Vec<Item>> = BTreeMap::new();
    let mut seen: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let mut push = |entity: &'static str, item: Item, out: &mut BTreeMap<&'static str, Vec<Item>>| {
        if seen.insert((entity, item.id.clone())) {
            out.entry(entity).or_default().push(item);
        }
    };
    for i in issues {
        for s in &i.strategies {
            push(
                "strategy",
                Item {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    owner: None,
                },
                &mut out,
            );
            let outcome = s.outcome_indicators.iter().map(|o| &o.description);
            for item in indicator_items(("strategy", &s.id), "outcome", outcome) {
                push("indicator", item, &mut out);
            }
            for n in &s.initiatives {
                push(
                    "initiative",
                    Item {
                        id: n.id.clone(),
                        title: n.title.clone(),
                        owner: None,
                    },
                    &mut out,
                );
                let process = n.process_indicators.iter().map(|p| &p.description);
                let rebuild = n.rebuild_criteria.iter().map(|r| &r.description);
                for item in indicator_items(("initiative", &n.id), "process", process).chain(indicator_items(
                    ("initiative", &n.id),
                    "rebuild",
                    rebuild,
                )) {
                    push("indicator", item, &mut out);
                }
            }
        }
    }
    // Main initiatives (様式1) the 様式2 part does not detail.
    for k in key_issues {
        for m in &k.main_initiatives {
            push(
                "initiative",
                Item {
                    id: m.id.clone(),
                    title: m.title.clone(),
                    owner: None,
                },
                &mut out,
            );
        }
        for s in &k.strategies {
            push(
                "strategy",
                Item {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    owner: None,
                },
                &mut out,
            );
        }
    }
    out
}

/// An indicator's id: `<owner id>/<kind>/<n>`, the kind `outcome`,
/// `process` or `rebuild`, `n` counted from 1 in the order printed (the
/// `index`-th from 0).
pub fn indicator_id(owner: &str, kind: &str, index: usize) -> String {
    format!("{owner}/{kind}/{}", index + 1)
}

/// One owner's indicators of one kind as items, with their ids.
fn indicator_items<'a>(
    (entity, owner): (&'static str, &'a str),
    kind: &'a str,
    descriptions: impl Iterator<Item = &'a String> + 'a,
) -> impl Iterator<Item = Item> + 'a {
    descriptions.enumerate().map(move |(k, d)| Item {
        id: indicator_id(owner, kind, k),
        title: Some(d.clone()),
        owner: Some((entity, owner.to_string())),
    })
}

/// Links for every (entity, year, id) of one ward.
#[derive(Debug, Default)]
pub struct WardSeries {
    pub links: HashMap<(&'static str, i32, String), Link>,
}

impl WardSeries {
    pub fn get(&self, entity: &str, year: i32, id: &str) -> Option<&Link> {
        let entity: &'static str = match entity {
            "initiative" => "initiative",
            "strategy" => "strategy",
            "indicator" => "indicator",
            _ => return None,
        };
        self.links.get(&(entity, year, id.to_string()))
    }
}

fn squash(s: &str) -> Vec<char> {
    crate::normalize::text(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !"、。・,.:;「」『』【】()（）<>〈〉[]-ー―〜～/".contains(*c))
        .collect()
}

/// Dice coefficient of character bigrams (a one-character text compares
/// by equality).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (squash(a), squash(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    if a.len() < 2 || b.len() < 2 {
        return 0.0;
    }
    let grams = |v: &[char]| -> HashMap<(char, char), usize> {
        let mut m = HashMap::new();
        for w in v.windows(2) {
            *m.entry((w[0], w[1])).or_insert(0) += 1;
        }
        m
    };
    let (ga, gb) = (grams(&a), grams(&b));
    let common: usize = ga.iter().map(|(g, n)| (*n).min(*gb.get(g).unwrap_or(&0))).sum();
    (2 * common) as f64 / ((a.len() - 1) + (b.len() - 1)) as f64
}

fn issue_of(id: &str) -> Option<&str> {
    id.split(['-', '/']).next()
}

/// Link one ward's items across its years.
pub fn link_ward(ward: &str, years: &BTreeMap<i32, BTreeMap<&'static str, Vec<Item>>>) -> WardSeries {
    let mut out = WardSeries::default();
    // Owners first: indicators follow their owners' series.
    for entity in ["strategy", "initiative", "indicator"] {
        let mut prev: Option<(i32, &Vec<Item>)> = None;
        for (&year, by_entity) in years {
            let Some(items) = by_entity.get(entity) else { continue };
            let mut taken: BTreeSet<String> = BTreeSet::new();
            let mut decided: HashMap<String, Link> = HashMap::new();
            if let Some((py, pitems)) = prev {
                let title = |i: &Item| i.title.clone().unwrap_or_default();
                let owner_series = |y: i32, i: &Item| -> Option<String> {
                    let (oe, oid) = i.owner.as_ref()?;
                    out.get(oe, y, oid).map(|l| l.series_id.clone())
                };
                // 1. Same id, alike titles.
                for it in items {
                    if entity == "indicator" {
                        continue;
                    }
                    if let Some(p) = pitems.iter().find(|p| p.id == it.id) {
                        let sim = similarity(&title(it), &title(p));
                        if (sim >= 0.5 || (it.title.is_none() && p.title.is_none()))
                            && let Some(l) = out.get(entity, py, &p.id)
                        {
                            taken.insert(p.id.clone());
                            decided.insert(
                                it.id.clone(),
                                Link {
                                    series_id: l.series_id.clone(),
                                    link: "same_id",
                                    similarity: Some(round(sim)),
                                    title: it.title.clone(),
                                },
                            );
                        }
                    }
                }
                // 2. Renumbered (or, for indicators, matched within the
                // owner's series): the most alike candidates first.
                let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
                for (a, it) in items.iter().enumerate() {
                    if decided.contains_key(&it.id) {
                        continue;
                    }
                    for (b, p) in pitems.iter().enumerate() {
                        if taken.contains(&p.id) {
                            continue;
                        }
                        let ok = if entity == "indicator" {
                            owner_series(year, it).is_some() && owner_series(year, it) == owner_series(py, p)
                        } else {
                            issue_of(&it.id) == issue_of(&p.id)
                        };
                        if !ok {
                            continue;
                        }
                        let sim = similarity(&title(it), &title(p));
                        let min = if entity == "indicator" { 0.6 } else { 0.8 };
                        if sim >= min {
                            pairs.push((sim, a, b));
                        }
                    }
                }
                pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
                for (sim, a, b) in pairs {
                    let (it, p) = (&items[a], &pitems[b]);
                    if decided.contains_key(&it.id) || taken.contains(&p.id) {
                        continue;
                    }
                    if let Some(l) = out.get(entity, py, &p.id) {
                        let link = if entity != "indicator" && it.id == p.id {
                            "same_id"
                        } else if entity == "indicator" {
                            "same_owner"
                        } else {
                            "renumbered"
                        };
                        taken.insert(p.id.clone());
                        decided.insert(
                            it.id.clone(),
                            Link {
                                series_id: l.series_id.clone(),
                                link,
                                similarity: Some(round(sim)),
                                title: it.title.clone(),
                            },
                        );
                    }
                }
            }
            for it in items {
                let link = decided.remove(&it.id).unwrap_or_else(|| Link {
                    series_id: format!("{ward}:{entity}:{year}:{}", it.id),
                    link: "new",
                    similarity: None,
                    title: it.title.clone(),
                });
                out.links.insert((entity, year, it.id.clone()), link);
            }
            prev = Some((year, items));
        }
    }
    out
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, title: &str) -> Item {
        Item {
            id: id.into(),
            title: Some(title.into()),
            owner: None,
        }
    }

    fn years(v: Vec<(i32, Vec<Item>)>) -> BTreeMap<i32, BTreeMap<&'static str, Vec<Item>>> {
        v.into_iter()
            .map(|(y, items)| (y, BTreeMap::from([("initiative", items)])))
            .collect()
    }

    #[test]
    fn similar_titles() {
        // The review digest and the plan name 3-1-2 slightly differently.
        assert!(similarity("高齢者等要援護者見守り支援", "高齢者等要援護者の見守り支援") > 0.8);
        assert!(similarity("地域防災の活動支援", "子育て支援情報の提供") < 0.5);
        assert_eq!(similarity("同じ", "同じ"), 1.0);
    }

    #[test]
    fn same_id_and_title_continue_a_series() {
        let s = link_ward(
            "271071",
            &years(vec![
                (2021, vec![item("1-1-1", "人と人とのつながりづくり")]),
                (2022, vec![item("1-1-1", "人と人とのつながりづくり")]),
            ]),
        );
        let a = s.get("initiative", 2021, "1-1-1").unwrap();
        let b = s.get("initiative", 2022, "1-1-1").unwrap();
        assert_eq!(a.series_id, b.series_id);
        assert_eq!((a.link, b.link), ("new", "same_id"));
    }

    #[test]
    fn renumbered_items_follow_their_title_and_reused_ids_do_not() {
        let s = link_ward(
            "271071",
            &years(vec![
                (
                    2021,
                    vec![
                        item("3-3-1", "児童虐待未然防止・早期発見機能の強化"),
                        item("3-3-2", "乳幼児発達相談事業の強化"),
                    ],
                ),
                (
                    2022,
                    vec![
                        item("3-3-1", "生活困窮者対応の充実"),
                        item("3-3-4", "児童虐待未然防止・早期発見機能の強化"),
                    ],
                ),
            ]),
        );
        let old = s.get("initiative", 2021, "3-3-1").unwrap();
        let moved = s.get("initiative", 2022, "3-3-4").unwrap();
        assert_eq!(moved.series_id, old.series_id);
        assert_eq!(moved.link, "renumbered");
        let reused = s.get("initiative", 2022, "3-3-1").unwrap();
        assert_eq!(reused.link, "new", "a reused id with another title is a new series");
        assert_ne!(reused.series_id, old.series_id);
    }
}
