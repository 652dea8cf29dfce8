//! Facts: what a release says, listed by hand for each source fixture
//! (`facts/<fixture>.facts`), carried through every transformation beside
//! the text, and checked against the Document yoshiki makes of a variant.
//! A fact is never read back from yoshiki's output.
//!
//! One fact a line: `path op value`.
//!
//! * `path`: keys joined by `.`, with `[#n]` (the item whose `number` is
//!   n), `[1-2-3]` (the item whose `id` is that) or `[k]` (the k-th item);
//! * `op`: `=` equals (the value is JSON; `@2022` is a fiscal year, which
//!   a transformation shifts with the text), `~` contains, `^` starts with,
//!   `$` ends with (strings compared without white space), `#` number of
//!   items. A list `~` a text when one of its items (or their `message`)
//!   contains it (`warnings ~ "…"`: the text is reported).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Number(u32),
    Id(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Eq,
    Contains,
    StartsWith,
    EndsWith,
    Len,
}

/// An expected value: JSON, or a fiscal year (shifted by transformations).
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    Json(Value),
    Year(i32),
    Text(String),
    Count(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub path: Vec<Step>,
    pub op: Op,
    pub want: Expect,
    /// The line as written in the facts file (for messages).
    pub line: String,
}

fn parse_path(s: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in s.split('.') {
        let (key, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key.to_string()));
        }
        for sel in rest.split('[').filter(|x| !x.is_empty()) {
            let sel = sel.trim_end_matches(']');
            if let Some(n) = sel.strip_prefix('#') {
                out.push(Step::Number(n.parse().expect("number in a fact path")));
            } else if sel.contains('-') {
                out.push(Step::Id(sel.to_string()));
            } else {
                out.push(Step::Index(sel.parse().expect("index in a fact path")));
            }
        }
    }
    out
}

pub fn path_string(path: &[Step]) -> String {
    let mut s = String::new();
    for st in path {
        match st {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Number(n) => s.push_str(&format!("[#{n}]")),
            Step::Id(id) => s.push_str(&format!("[{id}]")),
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Parse a facts file.
pub fn parse(src: &str) -> Vec<Fact> {
    let mut out = Vec::new();
    for line in src.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (path, rest) = t.split_once(' ').expect("a fact has a path, an op and a value");
        let (op, value) = rest.trim().split_once(' ').unwrap_or((rest.trim(), ""));
        let value = value.trim();
        let op = match op {
            "=" => Op::Eq,
            "~" => Op::Contains,
            "^" => Op::StartsWith,
            "$" => Op::EndsWith,
            "#" => Op::Len,
            other => panic!("unknown op {other} in fact: {t}"),
        };
        let want = match op {
            Op::Len => Expect::Count(value.parse().expect("a count")),
            Op::Eq => match value.strip_prefix('@') {
                Some(y) => Expect::Year(y.parse().expect("a year")),
                None => Expect::Json(serde_json::from_str(value).unwrap_or_else(|e| panic!("{t}: {e}"))),
            },
            _ => Expect::Text(serde_json::from_str(value).unwrap_or_else(|e| panic!("{t}: {e}"))),
        };
        out.push(Fact {
            path: parse_path(path),
            op,
            want,
            line: t.to_string(),
        });
    }
    out
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

/// The node a path leads to, or why there is none.
fn resolve<'a>(doc: &'a Value, path: &[Step]) -> Result<&'a Value, String> {
    let mut cur = doc;
    for (i, st) in path.iter().enumerate() {
        let here = || path_string(&path[..i]);
        cur = match (st, cur) {
            (Step::Key(k), Value::Object(m)) => m.get(k).ok_or_else(|| format!("no {k} at {}", here()))?,
            (Step::Number(n), Value::Array(a)) => a
                .iter()
                .find(|x| x["number"] == *n)
                .ok_or_else(|| format!("no number {n} in {}", here()))?,
            (Step::Id(id), Value::Array(a)) => a
                .iter()
                .find(|x| x["id"] == *id.as_str())
                .ok_or_else(|| format!("no id {id} in {}", here()))?,
            (Step::Index(k), Value::Array(a)) => a
                .get(*k)
                .ok_or_else(|| format!("{} has {} items, no [{k}]", here(), a.len()))?,
            (_, other) => return Err(format!("{} is {}", here(), short(other))),
        };
    }
    Ok(cur)
}

fn short(v: &Value) -> String {
    v.to_string().chars().take(120).collect()
}

/// Check one fact; Err says what the document has instead.
pub fn check(doc: &Value, f: &Fact) -> Result<(), String> {
    let got = resolve(doc, &f.path)?;
    let ok = match (&f.op, &f.want) {
        (Op::Len, Expect::Count(n)) => got.as_array().map(Vec::len) == Some(*n),
        (Op::Eq, Expect::Year(y)) => got.as_i64() == Some(i64::from(*y)),
        (Op::Eq, Expect::Json(Value::String(s))) => got.as_str().map(squeeze) == Some(squeeze(s)),
        (Op::Eq, Expect::Json(v)) => got == v || (got.is_number() && v.is_number() && got.as_f64() == v.as_f64()),
        // A list contains a text when one of its items (or its message)
        // does: `warnings ~ "…"`.
        (Op::Contains, Expect::Text(s)) if got.is_array() => got.as_array().is_some_and(|a| {
            a.iter().any(|x| {
                x.as_str()
                    .or_else(|| x["message"].as_str())
                    .is_some_and(|g| squeeze(g).contains(&squeeze(s)))
            })
        }),
        (Op::Contains, Expect::Text(s)) => got.as_str().is_some_and(|g| squeeze(g).contains(&squeeze(s))),
        (Op::StartsWith, Expect::Text(s)) => got.as_str().is_some_and(|g| squeeze(g).starts_with(&squeeze(s))),
        (Op::EndsWith, Expect::Text(s)) => got.as_str().is_some_and(|g| squeeze(g).ends_with(&squeeze(s))),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let shown = match got {
            Value::Array(a) => format!("{} items", a.len()),
            v => short(v),
        };
        Err(format!("has {shown}"))
    }
}

impl Fact {
    /// The fact with every string value and path passed through `text`,
    /// every year through `year`; None drops it.
    pub fn map(&self, text: &dyn Fn(&str) -> String, year: &dyn Fn(i32) -> i32) -> Fact {
        let want = match &self.want {
            Expect::Year(y) => Expect::Year(year(*y)),
            Expect::Text(s) => Expect::Text(text(s)),
            Expect::Json(Value::String(s)) => Expect::Json(Value::String(text(s))),
            other => other.clone(),
        };
        Fact { want, ..self.clone() }
    }

    pub fn ends_with_key(&self, k: &str) -> bool {
        matches!(self.path.last(), Some(Step::Key(x)) if x == k)
    }

    pub fn describe(&self) -> String {
        let op = match self.op {
            Op::Eq => "=",
            Op::Contains => "~",
            Op::StartsWith => "^",
            Op::EndsWith => "$",
            Op::Len => "#",
        };
        let v = match &self.want {
            Expect::Json(v) => v.to_string(),
            Expect::Year(y) => format!("@{y}"),
            Expect::Text(s) => format!("{s:?}"),
            Expect::Count(n) => n.to_string(),
        };
        format!("{} {op} {v}", path_string(&self.path))
    }
}
