//! Inspection reports: one self-contained HTML file that shows what
//! yoshiki took from where (`yoshiki inspect`).
//!
//! ```text
//! document report   the release as the reader laid it out, every value
//!                   the model took drawn over it, coloured by kind of field
//!   placed.rs       the model's values as a list: path, kind, typed value
//!   locate.rs       where each was read: the recogniser's placement map
//!   map.rs          (map.rs: its ranges taken back to the printed text)
//!   pdf.rs          PDF pages as SVG from the reader's glyphs and rulings
//!   grid.rs         workbook sheets as grids with their merged cells
//!   lines.rs        text releases and web pages as numbered rows
//!   tree.rs         the Document as a tree (the side panel)
//! ward_year.rs      a ward-year (OUT/<ward>/<year>.json) as a readable page
//! html.rs, assets/  escaping, the page skeleton, its style and script
//! ```
//!
//! Reports read the model and the intermediate form only, plus — for a PDF
//! — the reader's view of its pages (`readers::pdf::view`), which is what
//! the reader computed while reading: the file is never read a second time
//! by other means, so what the report shows is what the converter saw.

mod grid;
pub mod html;
mod lines;
pub mod locate;
mod map;
pub mod ordered;
mod pdf;
pub mod placed;
mod tree;
pub mod ward_year;

use crate::ir::Ir;
use crate::model::{Document, Format, Location};
use crate::readers::pdf::view::View;
use html::esc;
use locate::How;
use ordered::J;
use placed::{FieldKind, IrSpan, Placed};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// What a document report is made from.
pub struct Release<'a> {
    /// The file's name as given (shown, never opened).
    pub path: &'a str,
    pub ir: &'a Ir,
    /// The PDF reader's view of the pages (for a PDF).
    pub view: Option<&'a View>,
    /// The recogniser's Document, or why there is none.
    pub doc: Result<&'a Document, String>,
}

/// A value as the page's script shows it.
#[derive(Serialize)]
struct Shown<'a> {
    /// Model path.
    p: &'a str,
    /// Kind of field.
    k: &'static str,
    /// How its place was found.
    f: &'static str,
    /// Typed value (JSON).
    v: &'a str,
    /// Raw text, as printed.
    r: &'a str,
    /// Location, as a person reads it.
    a: String,
}

/// A box drawn over a PDF page (display space).
pub(crate) struct Mark {
    /// Page index (0-based).
    pub page: usize,
    pub bbox: [f64; 4],
    /// The element's attributes: class and `data-h` / `data-w`.
    pub attrs: String,
    pub warning: bool,
}

/// What is drawn on one cell of a grid or a row of lines.
#[derive(Default)]
pub(crate) struct CellMarks {
    /// Byte ranges of the text: (start, end, value id, kind).
    pub ranges: Vec<(usize, usize, usize, FieldKind)>,
    /// Values placed on the cell as a whole (its location only).
    pub whole: Vec<(usize, FieldKind)>,
    /// Warnings located at the cell.
    pub warnings: Vec<usize>,
}

/// `p3 [54.7, 506.1, 135.3, 512.2]`, `様式2!A63`, `line 172`.
pub fn where_(at: &Location) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = at.page {
        parts.push(format!("page {p}"));
    }
    if let Some(b) = at.bbox {
        parts.push(format!("[{:.1}, {:.1}, {:.1}, {:.1}]", b[0], b[1], b[2], b[3]));
    }
    match (&at.sheet, &at.cell) {
        (Some(s), Some(c)) => parts.push(format!("{s}!{c}")),
        (Some(s), None) => parts.push(s.clone()),
        (None, Some(c)) => parts.push(c.clone()),
        (None, None) => {}
    }
    if let Some(l) = at.line {
        parts.push(format!("line {l}"));
    }
    parts.join(" ")
}

/// The cell (row, cell index) of the intermediate form a location names:
/// the first cell there, else the first row there.
fn cell_at(ir: &Ir, index: &HashMap<String, (usize, usize)>, at: &Location) -> Option<(usize, usize)> {
    if at.is_empty() {
        return None;
    }
    if let Some(&rc) = index.get(&format!("{at:?}")) {
        return Some(rc);
    }
    // A location that names a line, or a sheet's cell, that no cell has
    // exactly (a row's location, a cell with more in its location): the
    // first cell on that line or at that cell.
    ir.rows.iter().enumerate().find_map(|(ri, r)| {
        r.cells
            .iter()
            .position(|c| match (at.line, &at.sheet, &at.cell) {
                (Some(l), _, _) => c.at.line == Some(l),
                (None, Some(sh), Some(cl)) => c.at.sheet.as_ref() == Some(sh) && c.at.cell.as_ref() == Some(cl),
                _ => false,
            })
            .map(|ci| (ri, ci))
    })
}

fn location_index(ir: &Ir) -> HashMap<String, (usize, usize)> {
    let mut m = HashMap::new();
    for (ri, r) in ir.rows.iter().enumerate() {
        for (ci, c) in r.cells.iter().enumerate() {
            if !c.at.is_empty() {
                m.entry(format!("{:?}", c.at)).or_insert((ri, ci));
            }
        }
        if !r.at.is_empty() && !r.cells.is_empty() {
            m.entry(format!("{:?}", r.at)).or_insert((ri, 0));
        }
    }
    m
}

fn class(kind: FieldKind) -> String {
    format!("h k-{}", kind.as_str())
}

/// A cell's text with its value ranges marked (innermost value first in
/// `data-h`), escaped.
pub(crate) fn marked_text(text: &str, marks: Option<&CellMarks>) -> String {
    let Some(m) = marks.filter(|m| !m.ranges.is_empty()) else {
        return esc(text);
    };
    let ok = |b: usize| b.min(text.len());
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for &(a, b, _, _) in &m.ranges {
        cuts.push(ok(a));
        cuts.push(ok(b));
    }
    cuts.retain(|&c| text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let seg = text.get(a..b).unwrap_or_default();
        let mut cover: Vec<&(usize, usize, usize, FieldKind)> =
            m.ranges.iter().filter(|r| r.0 <= a && b <= r.1).collect();
        if cover.is_empty() {
            out.push_str(&esc(seg));
            continue;
        }
        cover.sort_by_key(|r| r.1 - r.0);
        let ids: Vec<String> = cover.iter().map(|r| r.2.to_string()).collect();
        let _ = write!(
            out,
            "<span class=\"{}\" data-h=\"{}\">{}</span>",
            class(cover[0].3),
            ids.join(" "),
            esc(seg)
        );
    }
    out
}

/// A cell's wrapper attributes for its whole-cell values and warnings.
pub(crate) fn cell_attrs(m: Option<&CellMarks>, base: &str) -> String {
    let mut classes: Vec<String> = Vec::new();
    if !base.is_empty() {
        classes.push(base.to_string());
    }
    let Some(m) = m else {
        return if base.is_empty() {
            String::new()
        } else {
            format!(" class=\"{base}\"")
        };
    };
    let mut s = String::new();
    if let Some(&(_, k)) = m.whole.first() {
        classes.push(class(k));
        let ids: Vec<String> = m.whole.iter().map(|(i, _)| i.to_string()).collect();
        let _ = write!(s, " data-h=\"{}\"", ids.join(" "));
    }
    if !m.warnings.is_empty() {
        classes.push("wmark".into());
        let ids: Vec<String> = m.warnings.iter().map(|i| i.to_string()).collect();
        let _ = write!(s, " data-w=\"{}\"", ids.join(" "));
    }
    if !classes.is_empty() {
        let _ = write!(s, " class=\"{}\"", classes.join(" "));
    }
    s
}

/// The document report.
pub fn document(r: &Release) -> String {
    let (placed, missing) = match r.doc {
        Ok(doc) => locate::place(r.ir, doc),
        Err(_) => (Vec::new(), Vec::new()),
    };
    let warnings: Vec<crate::model::Warning> = match r.doc {
        Ok(doc) => doc.warnings.clone(),
        Err(_) => r.ir.warnings.clone(),
    };
    let shown: Vec<Shown> = placed
        .iter()
        .map(|(p, how)| Shown {
            p: &p.path,
            k: p.kind.as_str(),
            f: how.as_str(),
            v: &p.value,
            r: &p.raw,
            a: where_(&p.at),
        })
        .collect();

    let layout = match r.view {
        Some(view) => pdf_layout(r.ir, view, &placed, &warnings),
        None => {
            let marks = cell_marks(r.ir, &placed, &warnings);
            if matches!(r.ir.format, Format::Xlsx | Format::Xls | Format::Ods) {
                grid::sheets(r.ir, &marks)
            } else {
                lines::rows(r.ir, &marks)
            }
        }
    };

    let ids: HashMap<&str, usize> = placed
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.path.as_str(), i))
        .collect();
    let missing_paths: std::collections::HashSet<&str> = missing.iter().map(|f| f.path.as_str()).collect();

    let mut body = String::new();
    body.push_str("<div id=\"panel\">");
    let values = placed
        .iter()
        .filter(|(p, _)| !matches!(p.kind, FieldKind::Label | FieldKind::Unplaced))
        .count();
    header(&mut body, r, values, missing.len());
    legend(&mut body);
    body.push_str(
        "<section id=\"sel\" class=\"box\"><h3>Selected value</h3><p class=\"hint\">Point at a coloured value for its path, typed value and raw text; click to keep it here and find it in the tree.</p><dl hidden><dt>path</dt><dd class=\"sel-p\"></dd><dt>kind</dt><dd class=\"sel-k\"></dd><dt>where</dt><dd class=\"sel-a\"></dd><dt>placed by</dt><dd class=\"sel-f\"></dd><dt>value</dt><dd><pre class=\"sel-v\"></pre></dd><dt>raw text</dt><dd><pre class=\"sel-r\"></pre></dd></dl></section>",
    );
    warnings_list(&mut body, &warnings);
    unplaced_list(&mut body, &placed);
    if !missing.is_empty() {
        let _ = write!(
            body,
            "<details class=\"box\"><summary>Not found on the page ({})</summary><ul class=\"missing-list\">",
            missing.len()
        );
        for f in &missing {
            let _ = write!(
                body,
                "<li><code>{}</code> {}</li>",
                esc(&f.path),
                esc(&truncate(&f.text, 60))
            );
        }
        body.push_str("</ul></details>");
    }
    if let Ok(doc) = r.doc {
        body.push_str("<section class=\"box\"><h3>Document</h3>");
        body.push_str(&tree::tree(&J::of(doc), &ids, &missing_paths));
        body.push_str("</section>");
    }
    body.push_str("</div><main id=\"doc\">");
    body.push_str(&layout);
    body.push_str("</main><div id=\"tip\" hidden></div>");

    #[derive(Serialize)]
    struct Data<'a> {
        h: Vec<Shown<'a>>,
    }
    let data = html::json_data(&Data { h: shown });
    let name = std::path::Path::new(r.path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| r.path.to_string());
    html::page(&format!("{name} — yoshiki inspect"), &body, &data)
}

fn truncate(s: &str, n: usize) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

fn header(out: &mut String, r: &Release, placed: usize, missing: usize) {
    let name = std::path::Path::new(r.path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| r.path.to_string());
    let _ = write!(out, "<header class=\"box\"><h1>{}</h1><dl class=\"facts\">", esc(&name));
    let mut fact = |k: &str, v: &str| {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    };
    fact("format", r.ir.format.as_str());
    if let Some(p) = &r.ir.meta.producer {
        fact("producer", p);
    }
    if let Some(n) = r.ir.meta.pages {
        fact("pages", &n.to_string());
    }
    if let Some(s) = &r.ir.meta.sheets {
        fact("sheets", &s.join(", "));
    }
    if let Some(d) = &r.ir.meta.dialect {
        fact("dialect", d);
    }
    match &r.doc {
        Ok(doc) => {
            fact("kind", doc.kind.as_str());
            fact(
                "ward",
                &doc.ward
                    .as_ref()
                    .map_or("unknown".to_string(), |w| format!("{} ({})", w.name, w.code)),
            );
            fact(
                "fiscal year",
                &doc.fiscal_year.map_or("unknown".to_string(), |y| y.to_string()),
            );
            let cov = J::of(doc);
            if let Some(c) = cov
                .get("coverage")
                .as_f64()
                .or_else(|| cov.get("coverage").get("ratio").as_f64())
            {
                fact("coverage", &format!("{:.1} %", c * 100.0));
            }
            fact("values shown", &placed.to_string());
            if missing > 0 {
                fact("not found on the page", &missing.to_string());
            }
        }
        Err(why) => fact("not recognised", why.as_str()),
    }
    out.push_str("</dl></header>");
}

fn legend(out: &mut String) {
    out.push_str("<section class=\"box legend\">");
    for k in FieldKind::ALL {
        let _ = write!(out, "<span class=\"{}\">{}</span> ", class(k), k.as_str());
    }
    out.push_str("<span class=\"wmark\">warning</span></section>");
}

fn warnings_list(out: &mut String, warnings: &[crate::model::Warning]) {
    let _ = write!(
        out,
        "<details class=\"box\" open><summary>Warnings ({})</summary><ol class=\"warnings\">",
        warnings.len()
    );
    for (i, w) in warnings.iter().enumerate() {
        let place = where_(&w.at);
        let _ = write!(
            out,
            "<li><a href=\"#\" data-w=\"{i}\"><code>{}</code></a> {} <span class=\"at\">{}</span></li>",
            esc(&w.code),
            esc(&w.message),
            esc(&place)
        );
    }
    out.push_str("</ol></details>");
}

fn unplaced_list(out: &mut String, placed: &[(Placed, How)]) {
    let items: Vec<(usize, &Placed)> = placed
        .iter()
        .enumerate()
        .filter(|(_, (p, _))| p.kind == FieldKind::Unplaced)
        .map(|(i, (p, _))| (i, p))
        .collect();
    if items.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<details class=\"box\"><summary>Unplaced text ({})</summary><ul>",
        items.len()
    );
    for (i, p) in items {
        let _ = write!(
            out,
            "<li><a href=\"#\" class=\"{}\" data-h=\"{i}\">{}</a></li>",
            class(FieldKind::Unplaced),
            esc(&truncate(&p.raw, 60))
        );
    }
    out.push_str("</ul></details>");
}

/// Marks on cells (grids and lines) for each value and warning.
fn cell_marks(
    ir: &Ir,
    placed: &[(Placed, How)],
    warnings: &[crate::model::Warning],
) -> BTreeMap<(usize, usize), CellMarks> {
    let index = location_index(ir);
    let mut m: BTreeMap<(usize, usize), CellMarks> = BTreeMap::new();
    for (i, (p, _)) in placed.iter().enumerate() {
        if p.spans.is_empty() {
            if let Some(rc) = cell_at(ir, &index, &p.at) {
                m.entry(rc).or_default().whole.push((i, p.kind));
            }
            continue;
        }
        for s in &p.spans {
            m.entry((s.row, s.cell))
                .or_default()
                .ranges
                .push((s.start, s.end, i, p.kind));
        }
    }
    for (wi, w) in warnings.iter().enumerate() {
        if let Some(rc) = cell_at(ir, &index, &w.at) {
            m.entry(rc).or_default().warnings.push(wi);
        }
    }
    m
}

/// Boxes over PDF pages for each value and warning.
fn pdf_layout(ir: &Ir, view: &View, placed: &[(Placed, How)], warnings: &[crate::model::Warning]) -> String {
    let mut marks: Vec<Mark> = Vec::new();
    let mut aligner = pdf::Aligner::default();
    let page_of =
        |at: &Location| -> Option<usize> { (at.page? as usize).checked_sub(1).filter(|&p| p < view.pages.len()) };
    let boxed = |marks: &mut Vec<Mark>, at: &Location, attrs: &str, warning: bool| {
        if let (Some(p), Some(b)) = (page_of(at), at.bbox) {
            marks.push(Mark {
                page: p,
                bbox: view.pages[p].to_display(b),
                attrs: attrs.to_string(),
                warning,
            });
        }
    };
    for (i, (p, _)) in placed.iter().enumerate() {
        let attrs = format!("class=\"{}\" data-h=\"{i}\"", class(p.kind));
        if p.spans.is_empty() {
            boxed(&mut marks, &p.at, &attrs, false);
            continue;
        }
        for s in &p.spans {
            let IrSpan { row, cell, start, end } = *s;
            let boxes = aligner
                .cell(view, ir, row, cell)
                .map(|al| pdf::range_boxes(view, al, start, end));
            match boxes {
                Some(bs) if !bs.is_empty() => {
                    for (page, b) in bs {
                        marks.push(Mark {
                            page,
                            bbox: b,
                            attrs: attrs.clone(),
                            warning: false,
                        });
                    }
                }
                _ => {
                    if let Some(c) = ir.rows.get(row).and_then(|r| r.cells.get(cell)) {
                        boxed(&mut marks, &c.at, &attrs, false);
                    }
                }
            }
        }
    }
    // A warning about a page as a whole (an unmapped font, a damaged
    // content stream) marks the page.
    let mut on_page: HashMap<usize, Vec<usize>> = HashMap::new();
    for (wi, w) in warnings.iter().enumerate() {
        match (page_of(&w.at), w.at.bbox) {
            (Some(p), None) => on_page.entry(p).or_default().push(wi),
            _ => boxed(&mut marks, &w.at, &format!("class=\"wmark\" data-w=\"{wi}\""), true),
        }
    }
    pdf::pages(view, &marks, &on_page)
}

/// A report made by [`inspect_bytes`], and what the user should know.
pub struct Inspection {
    pub html: String,
    /// Why the release was not recognised (the report shows its layout
    /// only), where it was not.
    pub unrecognised: Option<String>,
}

/// The report for a file's bytes: a ward-year file (`OUT/<ward>/<year>.json`)
/// gets the ward-year report; anything else is read as a release and gets
/// the document report. A Document's own JSON holds no layout to show,
/// and says so.
pub fn inspect_bytes(bytes: &[u8], path: &str, opts: &crate::parse::Options) -> crate::Result<Inspection> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
        && let Ok(j) = serde_json::from_slice::<J>(bytes)
    {
        if ward_year::is_ward_year(&j) {
            return Ok(Inspection {
                html: ward_year::report(&j),
                unrecognised: None,
            });
        }
        if j.get("schema").as_str().is_some_and(|s| s.starts_with("yoshiki/")) {
            return Err(crate::Error::UnknownFormat(format!(
                "this is yoshiki's own JSON ({}), which holds no layout to show; inspect the release it was made from, or a ward-year file",
                j.get("schema").as_str().unwrap_or_default()
            )));
        }
    }
    let (ir, view) = crate::readers::read_with_view(bytes, &opts.limits)?;
    let doc = crate::parse::document_from_ir(&ir, bytes, path, opts);
    let why = doc.as_ref().err().map(|e| e.to_string());
    let release = Release {
        path,
        ir: &ir,
        view: view.as_ref(),
        doc: match &doc {
            Ok(d) => Ok(d),
            Err(e) => Err(e.to_string()),
        },
    };
    Ok(Inspection {
        html: document(&release),
        unrecognised: why,
    })
}

/// `convert --report`: a ward-year report beside every ward-year file of
/// OUT (`OUT/<ward>/<year>.html` beside `<year>.json`), and the report of a
/// ward-year that is gone removed. Returns (written, removed).
pub fn ward_year_reports(out: &std::path::Path) -> std::io::Result<(usize, usize)> {
    let (mut written, mut removed) = (0, 0);
    let is_code = |s: &str| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit());
    let is_year = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    for ward in std::fs::read_dir(out)? {
        let ward = ward?;
        let name = ward.file_name();
        if !ward.file_type()?.is_dir() || !name.to_str().is_some_and(is_code) {
            continue;
        }
        for f in std::fs::read_dir(ward.path())? {
            let f = f?;
            let p = f.path();
            let (Some(stem), Some(ext)) = (
                p.file_stem().and_then(|s| s.to_str()),
                p.extension().and_then(|s| s.to_str()),
            ) else {
                continue;
            };
            if !is_year(stem) || !f.file_type()?.is_file() {
                continue;
            }
            match ext {
                "json" => {
                    let bytes = std::fs::read(&p)?;
                    let Ok(j) = serde_json::from_slice::<J>(&bytes) else {
                        continue;
                    };
                    if !ward_year::is_ward_year(&j) {
                        continue;
                    }
                    let target = p.with_extension("html");
                    let html = ward_year::report(&j);
                    if std::fs::read(&target).ok().as_deref() != Some(html.as_bytes()) {
                        write_atomic(&target, html.as_bytes())?;
                        written += 1;
                    }
                }
                "html" if !p.with_extension("json").exists() => {
                    std::fs::remove_file(&p)?;
                    removed += 1;
                }
                _ => {}
            }
        }
    }
    Ok((written, removed))
}

/// Write a file whole or not at all (a temporary file renamed into place).
pub fn write_atomic(target: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".yoshiki-tmp-").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // A report is a document to share: readable as any file the user makes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ward_year_reports_beside_their_files_and_none_for_a_gone_one() {
        let out = tempfile::tempdir().unwrap();
        let ward = out.path().join("271071");
        std::fs::create_dir_all(&ward).unwrap();
        let wy = r#"{"schema":"yoshiki/ward-year/1","ward":{"code":"271071","name":"港区","romaji":"minato"},"fiscal_year":2022,"documents":[],"plan":{},"disagreements":[],"warnings":[]}"#;
        std::fs::write(ward.join("2022.json"), wy).unwrap();
        std::fs::write(ward.join("2021.html"), "old").unwrap();
        // Not ward-year files: left alone.
        std::fs::write(out.path().join("manifest.json"), "{}").unwrap();
        std::fs::write(ward.join("notes.html"), "mine").unwrap();
        assert_eq!(ward_year_reports(out.path()).unwrap(), (1, 1));
        let html = std::fs::read_to_string(ward.join("2022.html")).unwrap();
        assert!(html.contains("港区 (271071) — fiscal year 2022"));
        assert!(!ward.join("2021.html").exists());
        assert!(ward.join("notes.html").exists());
        // Unchanged: nothing rewritten.
        assert_eq!(ward_year_reports(out.path()).unwrap(), (0, 0));
    }
}
