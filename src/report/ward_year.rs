//! A ward-year (`OUT/<ward>/<year>.json`) as a page a person reads: the
//! plan as the merged view has it — goal, mission, policy; issues →
//! strategies → initiatives with their budgets across years; indicators
//! with history, targets and results — then what made the view: the
//! revisions applied (before → after, with the document), the
//! disagreements side by side, each document's coverage and warnings.
//!
//! It reads the ward-year's JSON as written (not the types that wrote it),
//! so a report can be made of any ward-year file, of this version or an
//! older one, and a field it does not know is shown as it is rather than
//! dropped.

use super::html::{self, esc};
use super::ordered::J;
use super::where_;
use crate::model::Location;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

/// The `schema` of a ward-year file.
pub const SCHEMA_PREFIX: &str = "yoshiki/ward-year/";

/// Whether JSON text is a ward-year file (by its `schema`).
pub fn is_ward_year(j: &J) -> bool {
    j.get("schema").as_str().is_some_and(|s| s.starts_with(SCHEMA_PREFIX))
}

/// Documents by sha256, for naming them.
struct Docs {
    names: HashMap<String, String>,
}

impl Docs {
    fn new(wy: &J) -> Docs {
        let mut names = HashMap::new();
        for d in wy.get("documents").items() {
            let sha = d.get("source").get("sha256").as_str().unwrap_or_default();
            names.insert(sha.to_string(), doc_name(d));
        }
        Docs { names }
    }

    /// A link to a document's section, named by kind, format and sha.
    fn link(&self, sha: &str) -> String {
        let short: String = sha.chars().take(12).collect();
        let name = self.names.get(sha).cloned().unwrap_or_else(|| short.clone());
        format!("<a class=\"doc\" href=\"#doc-{}\">{}</a>", esc(&short), esc(&name))
    }
}

/// Where in the page a model path is shown: the anchor of its nearest
/// item (`init-1-2-2`, `strategy-1-2`, `issue-1`, `ki-1`) or section.
fn anchor_for(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let mut a = match parts.first().copied() {
        Some("key_issues") => "key-issues",
        Some("issues") => "issues",
        Some("reform_items") => "reform",
        _ => "plan",
    }
    .to_string();
    for w in parts.windows(2) {
        match w[0] {
            "key_issues" => a = format!("ki-{}", w[1]),
            "issues" => a = format!("issue-{}", w[1]),
            "strategies" if parts.first() == Some(&"issues") => a = format!("strategy-{}", w[1]),
            "initiatives" => a = format!("init-{}", w[1]),
            _ => {}
        }
    }
    a
}

/// Revisions and disagreements by the item they concern, for a mark on
/// the item where the plan shows it.
struct Notes {
    revised: HashMap<String, usize>,
    disputed: HashMap<String, usize>,
}

impl Notes {
    fn new(wy: &J) -> Notes {
        let mut n = Notes {
            revised: HashMap::new(),
            disputed: HashMap::new(),
        };
        for r in wy.get("plan").get("revisions_applied").items() {
            let a = anchor_for(r.get("path").as_str().unwrap_or_default());
            *n.revised.entry(a).or_default() += 1;
        }
        for d in wy.get("disagreements").items() {
            let a = anchor_for(d.get("path").as_str().unwrap_or_default());
            *n.disputed.entry(a).or_default() += 1;
        }
        n
    }

    /// `revised (2)` / `disagreement (1)` marks for an item, linked to
    /// their lists.
    fn badges(&self, anchor: &str) -> String {
        let mut s = String::new();
        if let Some(k) = self.revised.get(anchor) {
            let _ = write!(s, " <a class=\"badge revised\" href=\"#revisions\">revised ({k})</a>");
        }
        if let Some(k) = self.disputed.get(anchor) {
            let _ = write!(
                s,
                " <a class=\"badge disputed\" href=\"#disagreements\">disagreement ({k})</a>"
            );
        }
        s
    }
}

fn doc_name(d: &J) -> String {
    let sha: String = d
        .get("source")
        .get("sha256")
        .as_str()
        .unwrap_or_default()
        .chars()
        .take(12)
        .collect();
    let kind = d.get("kind").as_str().unwrap_or("?");
    let format = d.get("source").get("format").as_str().unwrap_or("?");
    format!("{kind} · {format} · {sha}")
}

/// `32550000` → `32,550,000`.
fn grouped(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn is_money(v: &J) -> bool {
    v.has("yen") && v.has("text")
}

fn is_quantity(v: &J) -> bool {
    v.has("value") && v.has("comparator") && v.has("text")
}

/// Any model value, compactly: text, money with its yen, a quantity, a
/// list, an object's fields.
fn value(v: &J) -> String {
    match v {
        J::Null => "<span class=\"none\">—</span>".to_string(),
        J::Str(s) => format!("<span class=\"txt\">{}</span>", esc(s)),
        J::Num(_) | J::Bool(_) => esc(&v.scalar().unwrap_or_default()),
        _ if is_money(v) => money(v),
        _ if is_quantity(v) => quantity(v),
        J::Arr(items) if items.is_empty() => "<span class=\"none\">[]</span>".to_string(),
        J::Arr(items) => {
            let mut s = String::from("<ul>");
            for i in items {
                let _ = write!(s, "<li>{}</li>", value(i));
            }
            s.push_str("</ul>");
            s
        }
        J::Obj(m) => {
            // A typed revision value: its text, with what it was read as.
            if v.has("text") && (v.has("money") || v.has("quantity")) {
                let typed = if v.get("money").is_null() {
                    v.get("quantity")
                } else {
                    v.get("money")
                };
                return format!(
                    "{} <span class=\"typed\">{}</span>",
                    esc(v.get("text").as_str().unwrap_or_default()),
                    value(typed)
                );
            }
            let mut s = String::from("<dl class=\"obj\">");
            for (k, x) in m {
                if k == "at" || x.is_null() {
                    continue;
                }
                let _ = write!(s, "<dt>{}</dt><dd>{}</dd>", esc(k), value(x));
            }
            s.push_str("</dl>");
            s
        }
    }
}

fn money(v: &J) -> String {
    let text = v.get("text").as_str().unwrap_or_default();
    match v.get("yen").as_i64() {
        Some(y) => format!("<span class=\"money\" title=\"{}\">{} 円</span>", esc(text), grouped(y)),
        None => format!("<span class=\"money none\" title=\"no amount\">{}</span>", esc(text)),
    }
}

fn quantity(v: &J) -> String {
    let text = v.get("text").as_str().unwrap_or_default();
    let typed = match (
        v.get("value").as_f64(),
        v.get("unit").as_str(),
        v.get("comparator").as_str(),
    ) {
        (Some(x), u, c) => format!(
            "{}{}{}",
            match c {
                Some("gte") => "≥ ",
                Some("gt") => "> ",
                Some("lte") => "≤ ",
                Some("lt") => "< ",
                _ => "",
            },
            x,
            u.unwrap_or("")
        ),
        _ => "no value".to_string(),
    };
    format!(
        "<span class=\"quantity\" title=\"{}\">{}</span>",
        esc(&typed),
        esc(text)
    )
}

fn text_block(out: &mut String, label: &str, v: &J) {
    if let Some(s) = v.as_str()
        && !s.trim().is_empty()
    {
        let _ = write!(out, "<h4>{}</h4><p class=\"prose\">{}</p>", esc(label), esc(s));
    }
}

fn list_block(out: &mut String, label: &str, v: &J) {
    if v.items().is_empty() {
        return;
    }
    let _ = write!(out, "<h4>{}</h4><ul class=\"prose\">", esc(label));
    for i in v.items() {
        let _ = write!(out, "<li>{}</li>", value(i));
    }
    out.push_str("</ul>");
}

fn year(v: &J) -> String {
    v.as_i64().map_or("—".to_string(), |y| y.to_string())
}

/// The report for a ward-year file's JSON.
pub fn report(wy: &J) -> String {
    let docs = Docs::new(wy);
    let notes = Notes::new(wy);
    let plan = wy.get("plan");
    let ward = wy.get("ward");
    let ward_name = format!(
        "{} ({})",
        ward.get("name").as_str().unwrap_or("?"),
        ward.get("code").as_str().unwrap_or("?")
    );
    let fy = year(wy.get("fiscal_year"));
    let mut b = String::new();
    let _ = write!(
        b,
        "<div id=\"wy\"><header class=\"box\"><h1>{} — fiscal year {}</h1>",
        esc(&ward_name),
        esc(&fy)
    );
    nav(&mut b);
    b.push_str("</header>");

    // What the view is made of.
    b.push_str("<section id=\"made\" class=\"box\"><h2>Made from</h2><dl class=\"facts\">");
    let built = plan.get("built_from");
    if let Some(sha) = built.get("document").as_str() {
        let _ = write!(b, "<dt>built from</dt><dd>{}</dd>", docs.link(sha));
    }
    for (k, label) in [
        ("revised_by", "revised by"),
        ("reviewed_by", "reviewed by"),
        ("reported_by", "reported by"),
        ("compared_with", "compared with"),
    ] {
        let list = plan.get(k).items();
        if list.is_empty() {
            continue;
        }
        let links: Vec<String> = list.iter().filter_map(J::as_str).map(|s| docs.link(s)).collect();
        let _ = write!(b, "<dt>{}</dt><dd>{}</dd>", esc(label), links.join(", "));
    }
    b.push_str("</dl></section>");

    let _ = write!(
        b,
        "<section id=\"plan\" class=\"box\"><h2>The plan{}</h2>",
        notes.badges("plan")
    );
    if let Some(t) = plan.get("title").as_str() {
        let _ = write!(b, "<p class=\"title\">{}</p>", esc(t));
    }
    text_block(&mut b, "Goal (区の目標)", plan.get("goal"));
    text_block(&mut b, "Mission (区の使命)", plan.get("mission"));
    text_block(&mut b, "Policy (区長の方針)", plan.get("policy"));
    b.push_str("</section>");

    key_issues(&mut b, plan.get("key_issues"), &notes);
    issues(&mut b, plan.get("issues"), &notes);
    reform_items(&mut b, plan.get("reform_items"), &notes);
    revisions(&mut b, plan.get("revisions_applied"), &docs);
    disagreements(&mut b, wy.get("disagreements"), &docs);
    group_warnings(&mut b, wy.get("warnings"), &docs);
    documents(&mut b, wy.get("documents"));
    b.push_str("</div>");
    html::page(&format!("{ward_name} {fy} — yoshiki"), &b, "{}")
}

fn nav(b: &mut String) {
    b.push_str("<nav class=\"toc\">");
    for (id, label) in [
        ("made", "made from"),
        ("plan", "plan"),
        ("key-issues", "key issues"),
        ("issues", "issues"),
        ("reform", "reform items"),
        ("revisions", "revisions applied"),
        ("disagreements", "disagreements"),
        ("group-warnings", "group warnings"),
        ("documents", "documents"),
    ] {
        let _ = write!(b, "<a href=\"#{id}\">{label}</a> ");
    }
    b.push_str("</nav>");
}

fn key_issues(b: &mut String, v: &J, notes: &Notes) {
    b.push_str("<section id=\"key-issues\" class=\"box\"><h2>Key issues (様式1)</h2>");
    if v.items().is_empty() {
        b.push_str("<p class=\"none\">none</p></section>");
        return;
    }
    b.push_str("<table class=\"data\"><thead><tr><th>#</th><th>summary</th><th>strategies</th><th>main initiatives</th><th>budget</th></tr></thead><tbody>");
    for k in v.items() {
        let inits = k.get("main_initiatives").items();
        let rows = inits.len().max(1);
        let mut strategies = String::new();
        for s in k.get("strategies").items() {
            let _ = write!(
                strategies,
                "<div><b>{}</b> {}</div>",
                esc(s.get("id").as_str().unwrap_or_default()),
                esc(s.get("title").as_str().unwrap_or_default())
            );
        }
        let _ = write!(
            b,
            "<tr id=\"ki-{n}\"><td rowspan=\"{rows}\">{n}{}</td><td rowspan=\"{rows}\">{}</td><td rowspan=\"{rows}\">{strategies}</td>",
            notes.badges(&format!("ki-{}", k.get("number").scalar().unwrap_or_default())),
            value(k.get("summary")),
            n = esc(&k.get("number").scalar().unwrap_or_default()),
        );
        if inits.is_empty() {
            b.push_str("<td></td><td></td></tr>");
        }
        for (i, m) in inits.iter().enumerate() {
            if i > 0 {
                b.push_str("<tr>");
            }
            let _ = write!(
                b,
                "<td><b>{}</b> {}</td><td class=\"num\">{}</td></tr>",
                esc(m.get("id").as_str().unwrap_or_default()),
                esc(m.get("title").as_str().unwrap_or_default()),
                value(m.get("budget"))
            );
        }
    }
    b.push_str("</tbody></table></section>");
}

fn budget_key(bd: &J) -> (i64, String) {
    (
        bd.get("fiscal_year").as_i64().unwrap_or(0),
        bd.get("kind").as_str().unwrap_or("").to_string(),
    )
}

fn issues(b: &mut String, v: &J, notes: &Notes) {
    b.push_str("<section id=\"issues\" class=\"box\"><h2>Issues, strategies and initiatives (様式2)</h2>");
    if v.items().is_empty() {
        b.push_str("<p class=\"none\">none</p>");
    }
    for issue in v.items() {
        let n = issue.get("number").scalar().unwrap_or_default();
        let _ = write!(
            b,
            "<article class=\"issue\" id=\"issue-{}\"><h3>経営課題 {} {}{}</h3>",
            esc(&n),
            esc(&n),
            esc(issue.get("title").as_str().unwrap_or_default()),
            notes.badges(&format!("issue-{n}"))
        );
        text_block(b, "Vision (めざすべき将来像)", issue.get("vision"));
        observations(b, issue.get("current_state"));
        list_block(b, "Factor analysis (要因分析)", issue.get("factor_analysis"));
        list_block(b, "Challenges (課題)", issue.get("challenges"));
        for s in issue.get("strategies").items() {
            strategy(b, s, notes);
        }
        b.push_str("</article>");
    }
    b.push_str("</section>");
}

fn observations(b: &mut String, v: &J) {
    if v.items().is_empty() {
        return;
    }
    b.push_str("<h4>Current state (現状)</h4><table class=\"data\"><thead><tr><th>survey</th><th>year</th><th>description</th><th>value</th></tr></thead><tbody>");
    for o in v.items() {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            value(o.get("survey")),
            esc(&year(o.get("fiscal_year"))),
            value(o.get("description")),
            value(o.get("value"))
        );
    }
    b.push_str("</tbody></table>");
}

fn year_values(v: &J) -> String {
    let parts: Vec<String> = v
        .items()
        .iter()
        .map(|yv| {
            format!(
                "<span class=\"yv\"><span class=\"y\">{}</span> {}</span>",
                esc(&year(yv.get("fiscal_year"))),
                value(yv.get("value"))
            )
        })
        .collect();
    if parts.is_empty() {
        "<span class=\"none\">—</span>".to_string()
    } else {
        parts.join(" ")
    }
}

fn strategy(b: &mut String, s: &J, notes: &Notes) {
    let id = s.get("id").as_str().unwrap_or_default();
    let _ = write!(
        b,
        "<div class=\"strategy\" id=\"strategy-{}\"><h3>戦略 {} {}{}</h3>",
        esc(id),
        esc(id),
        esc(s.get("title").as_str().unwrap_or_default()),
        notes.badges(&format!("strategy-{id}"))
    );
    text_block(b, "Target state (めざす成果)", s.get("target_state"));
    text_block(b, "Approach (戦略)", s.get("approach"));
    let inds = s.get("outcome_indicators").items();
    if !inds.is_empty() {
        b.push_str("<h4>Outcome indicators (成果指標)</h4><table class=\"data\"><thead><tr><th>indicator</th><th>history</th><th>targets</th></tr></thead><tbody>");
        for ind in inds {
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                value(ind.get("description")),
                year_values(ind.get("history")),
                year_values(ind.get("targets"))
            );
        }
        b.push_str("</tbody></table>");
    }
    if !s.get("evaluation").is_null() {
        let _ = write!(b, "<h4>Evaluation (results)</h4>{}", value(s.get("evaluation")));
    }
    let inits = s.get("initiatives").items();
    if !inits.is_empty() {
        // Budgets across years: one column per (year, kind) any initiative has.
        let mut cols: BTreeSet<(i64, String)> = BTreeSet::new();
        for i in inits {
            for bd in i.get("budgets").items() {
                cols.insert(budget_key(bd));
            }
        }
        b.push_str(
            "<h4>Initiatives and budgets (具体的取組)</h4><table class=\"data budgets\"><thead><tr><th>initiative</th>",
        );
        for (y, k) in &cols {
            let label = k.as_str();
            let _ = write!(
                b,
                "<th>{} {}</th>",
                if *y == 0 { "—".to_string() } else { y.to_string() },
                esc(label)
            );
        }
        b.push_str("</tr></thead><tbody>");
        for i in inits {
            let _ = write!(
                b,
                "<tr><td><a href=\"#init-{}\"><b>{}</b></a> {}{}</td>",
                esc(i.get("id").as_str().unwrap_or_default()),
                esc(i.get("id").as_str().unwrap_or_default()),
                esc(i.get("title").as_str().unwrap_or_default()),
                notes.badges(&format!("init-{}", i.get("id").as_str().unwrap_or_default()))
            );
            for c in &cols {
                let cell = i.get("budgets").items().iter().find(|bd| &budget_key(bd) == c);
                let _ = write!(b, "<td class=\"num\">{}</td>", cell.map(value).unwrap_or_default());
            }
            b.push_str("</tr>");
        }
        b.push_str("</tbody></table>");
        for i in inits {
            initiative(b, i, notes);
        }
    }
    let extra = s.get("basic_policy_items");
    if !extra.items().is_empty() {
        let _ = write!(b, "<h4>Basic policy items</h4>{}", value(extra));
    }
    b.push_str("</div>");
}

fn initiative(b: &mut String, i: &J, notes: &Notes) {
    let id = i.get("id").as_str().unwrap_or_default();
    let _ = write!(
        b,
        "<details class=\"initiative\" id=\"init-{}\"><summary><b>{}</b> {}{}</summary>",
        esc(id),
        esc(id),
        esc(i.get("title").as_str().unwrap_or_default()),
        notes.badges(&format!("init-{id}"))
    );
    if let Some(r) = i.get("reposted_from").as_str() {
        let _ = write!(b, "<p>re-posts {}</p>", esc(r));
    }
    list_block(b, "Activities (取組内容)", i.get("activities"));
    let pis = i.get("process_indicators").items();
    if !pis.is_empty() {
        b.push_str("<h4>Process indicators (プロセス指標)</h4><table class=\"data\"><thead><tr><th>indicator</th><th>target</th></tr></thead><tbody>");
        for p in pis {
            let _ = write!(
                b,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                value(p.get("description")),
                value(p.get("target"))
            );
        }
        b.push_str("</tbody></table>");
    }
    let rcs = i.get("rebuild_criteria").items();
    if !rcs.is_empty() {
        b.push_str("<h4>Rebuild criteria (撤退・再構築基準)</h4><table class=\"data\"><thead><tr><th>criterion</th><th>threshold</th></tr></thead><tbody>");
        for r in rcs {
            let _ = write!(
                b,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                value(r.get("description")),
                value(r.get("threshold"))
            );
        }
        b.push_str("</tbody></table>");
    }
    for pr in i.get("prior_results").items() {
        let _ = write!(b, "<h4>Results of {}</h4>", esc(&year(pr.get("fiscal_year"))));
        let _ = write!(b, "{}", value(pr.get("items")));
    }
    for (k, label) in [
        ("midterm_review", "Mid-term review (中間振り返り)"),
        ("self_evaluation", "Self-evaluation (自己評価)"),
    ] {
        if !i.get(k).is_null() {
            let _ = write!(b, "<h4>{}</h4>{}", esc(label), value(i.get(k)));
        }
    }
    // Fields this page does not know (a later version's), as they are.
    let known = [
        "id",
        "title",
        "budgets",
        "activities",
        "process_indicators",
        "rebuild_criteria",
        "prior_results",
        "midterm_review",
        "self_evaluation",
        "reposted_from",
        "at",
    ];
    for (k, v) in i.members() {
        let empty = v.is_null() || matches!(v, J::Arr(a) if a.is_empty());
        if !known.contains(&k.as_str()) && !empty {
            let _ = write!(b, "<h4>{}</h4>{}", esc(k), value(v));
        }
    }
    b.push_str("</details>");
}

fn reform_items(b: &mut String, v: &J, notes: &Notes) {
    let _ = write!(
        b,
        "<section id=\"reform\" class=\"box\"><h2>City reform plan items (様式3){}</h2>",
        notes.badges("reform")
    );
    if v.items().is_empty() {
        b.push_str("<p class=\"none\">none</p></section>");
        return;
    }
    b.push_str("<table class=\"data\"><thead><tr><th>category</th><th>content</th><th>target</th><th>review</th></tr></thead><tbody>");
    for r in v.items() {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            value(r.get("category")),
            value(r.get("content")),
            value(r.get("target")),
            value(r.get("review"))
        );
    }
    b.push_str("</tbody></table></section>");
}

fn revisions(b: &mut String, v: &J, docs: &Docs) {
    let _ = write!(
        b,
        "<section id=\"revisions\" class=\"box\"><h2>Revisions applied ({})</h2>",
        v.items().len()
    );
    if v.items().is_empty() {
        b.push_str("<p class=\"none\">none</p></section>");
        return;
    }
    b.push_str("<table class=\"data revisions\"><thead><tr><th>path</th><th>before</th><th>after</th><th>document</th></tr></thead><tbody>");
    for r in v.items() {
        let _ = write!(
            b,
            "<tr><td><a href=\"#{}\"><code>{}</code></a></td><td class=\"before\">{}</td><td class=\"after\">{}</td><td>{}</td></tr>",
            esc(&anchor_for(r.get("path").as_str().unwrap_or_default())),
            esc(r.get("path").as_str().unwrap_or_default()),
            value(r.get("before")),
            value(r.get("after")),
            docs.link(r.get("document").as_str().unwrap_or_default())
        );
    }
    b.push_str("</tbody></table></section>");
}

fn disagreements(b: &mut String, v: &J, docs: &Docs) {
    let _ = write!(
        b,
        "<section id=\"disagreements\" class=\"box\"><h2>Disagreements ({})</h2>",
        v.items().len()
    );
    if v.items().is_empty() {
        b.push_str("<p class=\"none\">none: the documents agree on every value they share</p></section>");
        return;
    }
    for d in v.items() {
        let shown = d.get("shown").as_str().unwrap_or_default();
        let _ = write!(
            b,
            "<div class=\"disagreement\"><p><a href=\"#{}\"><code>{}</code></a></p><div class=\"claims\">",
            esc(&anchor_for(d.get("path").as_str().unwrap_or_default())),
            esc(d.get("path").as_str().unwrap_or_default())
        );
        for c in d.get("values").items() {
            let doc = c.get("document").as_str().unwrap_or_default();
            let _ = write!(
                b,
                "<div class=\"claim{}\"><p>{}{}</p>{}</div>",
                if doc == shown { " shown" } else { "" },
                docs.link(doc),
                if doc == shown {
                    " <span class=\"tag\">shown</span>"
                } else {
                    ""
                },
                value(c.get("value"))
            );
        }
        b.push_str("</div></div>");
    }
    b.push_str("</section>");
}

fn group_warnings(b: &mut String, v: &J, docs: &Docs) {
    let _ = write!(
        b,
        "<section id=\"group-warnings\" class=\"box\"><h2>Warnings on the group ({})</h2>",
        v.items().len()
    );
    if v.items().is_empty() {
        b.push_str("<p class=\"none\">none</p></section>");
        return;
    }
    b.push_str("<ul>");
    for w in v.items() {
        let links: Vec<String> = w
            .get("documents")
            .items()
            .iter()
            .filter_map(J::as_str)
            .map(|s| docs.link(s))
            .collect();
        let _ = write!(
            b,
            "<li><code>{}</code> {} — {}</li>",
            esc(w.get("code").as_str().unwrap_or_default()),
            esc(w.get("message").as_str().unwrap_or_default()),
            links.join(", ")
        );
    }
    b.push_str("</ul></section>");
}

fn documents(b: &mut String, v: &J) {
    let _ = write!(
        b,
        "<section id=\"documents\" class=\"box\"><h2>Documents ({})</h2>",
        v.items().len()
    );
    for d in v.items() {
        let src = d.get("source");
        let sha = src.get("sha256").as_str().unwrap_or_default();
        let short: String = sha.chars().take(12).collect();
        let _ = write!(
            b,
            "<article class=\"document\" id=\"doc-{}\"><h3>{}</h3><dl class=\"facts\">",
            esc(&short),
            esc(&doc_name(d))
        );
        let mut fact = |k: &str, v: String| {
            if !v.is_empty() {
                let _ = write!(b, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
            }
        };
        fact("path", src.get("path").as_str().unwrap_or_default().to_string());
        fact("sha256", sha.to_string());
        fact("producer", src.get("producer").as_str().unwrap_or_default().to_string());
        fact("pages", src.get("pages").scalar().unwrap_or_default());
        fact(
            "sheets",
            src.get("sheets")
                .items()
                .iter()
                .filter_map(J::as_str)
                .collect::<Vec<_>>()
                .join(", "),
        );
        fact("title", d.get("title").as_str().unwrap_or_default().to_string());
        let det = d.get("detection");
        for k in ["kind", "ward", "fiscal_year"] {
            let n = det.get(k);
            if let Some(by) = n.get("by").as_str() {
                let ev = n.get("evidence").as_str().unwrap_or_default();
                fact(
                    &format!("{k} from"),
                    format!("{by}{}{ev}", if ev.is_empty() { "" } else { ": " }),
                );
            }
        }
        fact("coverage", coverage(d.get("coverage")));
        b.push_str("</dl>");
        let ws = d.get("warnings").items();
        let _ = write!(b, "<h4>Warnings ({})</h4>", ws.len());
        if !ws.is_empty() {
            b.push_str(
                "<table class=\"data\"><thead><tr><th>code</th><th>message</th><th>where</th></tr></thead><tbody>",
            );
            for w in ws {
                let at: Location = w.get("at").to().unwrap_or_default();
                let _ = write!(
                    b,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    esc(w.get("code").as_str().unwrap_or_default()),
                    esc(w.get("message").as_str().unwrap_or_default()),
                    esc(&where_(&at))
                );
            }
            b.push_str("</tbody></table>");
        }
        let unplaced = d.get("unplaced").items();
        if !unplaced.is_empty() {
            let _ = write!(b, "<details><summary>Unplaced text ({})</summary><ul>", unplaced.len());
            for u in unplaced {
                let at: Location = u.get("at").to().unwrap_or_default();
                let _ = write!(
                    b,
                    "<li>{} <span class=\"at\">{}</span></li>",
                    esc(u.get("text").as_str().unwrap_or_default()),
                    esc(&where_(&at))
                );
            }
            b.push_str("</ul></details>");
        }
        b.push_str("</article>");
    }
    b.push_str("</section>");
}

/// A document's coverage as a person reads it (a ratio, or an object with
/// one and its counts), or nothing.
fn coverage(c: &J) -> String {
    if let Some(r) = c.as_f64() {
        return format!("{:.1} %", r * 100.0);
    }
    let ratio = c.get("ratio").as_f64().or_else(|| c.get("value").as_f64());
    match ratio {
        Some(r) => {
            let counts: Vec<String> = c
                .members()
                .iter()
                .filter(|(k, v)| k != "ratio" && k != "value" && v.as_i64().is_some())
                .map(|(k, v)| format!("{k} {}", v.as_i64().unwrap_or(0)))
                .collect();
            format!("{:.1} % ({})", r * 100.0, counts.join(", "))
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_numbers() {
        assert_eq!(grouped(32_550_000), "32,550,000");
        assert_eq!(grouped(-1234), "-1,234");
        assert_eq!(grouped(12), "12");
        let m: J = serde_json::from_str(r#"{"yen":32550000,"text":"32,550千円"}"#).unwrap();
        assert!(value(&m).contains("32,550,000 円"));
        let none: J = serde_json::from_str(r#"{"yen":null,"text":"- 円"}"#).unwrap();
        assert!(value(&none).contains("- 円"));
    }

    #[test]
    fn paths_find_their_item_on_the_page() {
        assert_eq!(
            anchor_for("issues/3/strategies/3-3/initiatives/3-3-4/budgets/2022:budget"),
            "init-3-3-4"
        );
        assert_eq!(anchor_for("issues/1/strategies/1-2/target_state"), "strategy-1-2");
        assert_eq!(anchor_for("key_issues/1/strategies/1-2/text"), "ki-1");
        assert_eq!(anchor_for("mission"), "plan");
        assert_eq!(anchor_for("reform_items/歳出等の削減/content"), "reform");
    }

    #[test]
    fn a_ward_year_is_told_by_its_schema() {
        let j: J = serde_json::from_str(r#"{"schema":"yoshiki/ward-year/1"}"#).unwrap();
        assert!(is_ward_year(&j));
        let d: J = serde_json::from_str(r#"{"schema":"yoshiki/document/1"}"#).unwrap();
        assert!(!is_ward_year(&d));
    }
}
