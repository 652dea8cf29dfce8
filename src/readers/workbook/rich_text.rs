//! Struck-through runs: the city marks a changed value inside one cell as
//! the old text struck through, followed by the new text (usually red).
//! calamine flattens a cell's rich text to one string, so the runs are read
//! from the package here: xlsx shared strings (`<si><r><rPr><strike/>…`)
//! and inline strings (`<is>`); ods and xls runs come from
//! `ods_content.rs` and `xls_biff.rs` into the same [`Run`]s.
//!
//! A cell whose runs include a struck one becomes: its text without the
//! struck runs (what the recogniser reads: the new text), and one
//! [`Revision`] per struck run — `before` the struck text, `after` the runs
//! right after it that share one look (colour, weight, slant, underline),
//! up to the next struck run or the first run that looks different
//! (`（` + ~~32,268~~ + red `32,550` + `千円）` → 32,268 → 32,550).

use super::WorkbookError;
use super::package::Package;
use super::xml::{self, Depth};
use crate::ir::RawRevision as Revision;
use crate::model::{Evidence, Location};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::BufRead;

/// How a run looks, apart from being struck: what tells the new text from
/// the text around it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Look {
    pub color: Option<String>,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run {
    pub text: String,
    pub struck: bool,
    pub look: Look,
}

pub fn any_struck(runs: &[Run]) -> bool {
    runs.iter().any(|r| r.struck && !r.text.is_empty())
}

/// The cell's text without its struck runs, and its struck/new pairs.
pub fn split(runs: &[Run]) -> (String, Vec<(String, String)>) {
    let text: String = runs.iter().filter(|r| !r.struck).map(|r| r.text.as_str()).collect();
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        if !runs[i].struck || runs[i].text.is_empty() {
            i += 1;
            continue;
        }
        // Consecutive struck runs are one deletion.
        let mut before = String::new();
        while i < runs.len() && (runs[i].struck || runs[i].text.is_empty()) {
            before.push_str(&runs[i].text);
            i += 1;
        }
        let mut after = String::new();
        if let Some(first) = runs.get(i) {
            let look = &first.look;
            while i < runs.len() && !runs[i].struck && runs[i].look == *look {
                after.push_str(&runs[i].text);
                i += 1;
            }
        }
        pairs.push((before, after));
    }
    (text, pairs)
}

/// The revisions of one cell, at `at`.
pub fn revisions(runs: &[Run], at: &Location) -> (String, Vec<Revision>) {
    let (text, pairs) = split(runs);
    let revs = pairs
        .into_iter()
        .map(|(before, after)| Revision {
            before,
            after,
            at: at.clone(),
            evidence: Evidence::Strikethrough,
            context: Some(text.clone()),
        })
        .collect();
    (text, revs)
}

/// The shared strings that hold a struck run, by index.
pub fn xlsx_struck_shared_strings(
    pkg: &mut Package,
    max_depth: usize,
) -> Result<HashMap<u32, Vec<Run>>, WorkbookError> {
    let mut out = HashMap::new();
    let path = if pkg.has("xl/sharedStrings.xml") {
        "xl/sharedStrings.xml"
    } else {
        "xl/SharedStrings.xml"
    };
    let Some(stream) = pkg.stream(path)? else {
        return Ok(out);
    };
    let mut reader = xml::reader(stream);
    let mut depth = Depth::new(max_depth, "xl/sharedStrings.xml");
    let mut buf = Vec::new();
    let mut index: u32 = 0;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "si" => {
                let runs = read_runs(&mut reader, "si", &mut depth)?;
                if any_struck(&runs) {
                    out.insert(index, runs);
                }
                index = index.saturating_add(1);
            }
            Ok(Event::Start(_)) => depth.open()?,
            Ok(Event::End(_)) => depth.close(),
            Ok(Event::Eof) => break,
            Err(e) => return Err(xml::error(path, e)),
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The cells of one sheet part whose string has a struck run, by
/// (row, column), 0-based: inline strings read here, shared strings looked
/// up in `struck_shared`.
pub fn xlsx_struck_cells(
    pkg: &mut Package,
    part: &str,
    struck_shared: &HashMap<u32, Vec<Run>>,
    max_depth: usize,
) -> Result<HashMap<(u32, u32), Vec<Run>>, WorkbookError> {
    let mut out = HashMap::new();
    // Only a sheet with an inline struck run or a struck shared string can
    // hold one; a byte search rules the others out without parsing them.
    if struck_shared.is_empty() && !pkg.contains(part, b"strike")? {
        return Ok(out);
    }
    let Some(stream) = pkg.stream(part)? else {
        return Ok(out);
    };
    let mut reader = xml::reader(stream);
    let mut depth = Depth::new(max_depth, "worksheet");
    let mut buf = Vec::new();
    let (mut row, mut col): (u32, u32) = (0, 0);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "row" => {
                    depth.open()?;
                    if let Some(r) = xml::attr(&e, "r").and_then(|r| r.parse::<u32>().ok()) {
                        row = r.saturating_sub(1);
                    }
                    col = 0;
                }
                "c" => {
                    depth.open()?;
                    if let Some((r, c)) = xml::attr(&e, "r").and_then(|r| super::parse_a1(&r)) {
                        row = r;
                        col = c;
                    }
                    let kind = xml::attr(&e, "t");
                    let runs = read_cell(&mut reader, &e, kind.as_deref(), struck_shared, &mut depth)?;
                    if let Some(runs) = runs {
                        out.insert((row, col), runs);
                    }
                    col = col.saturating_add(1);
                }
                "sheetData" => depth.open()?,
                _ => depth.open()?,
            },
            Ok(Event::End(e)) => {
                depth.close();
                if e.local_name().as_ref() == "row" {
                    row = row.saturating_add(1);
                } else if e.local_name().as_ref() == "sheetData" {
                    break;
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(xml::error(part, e)),
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Inside `<c>`: the runs if the cell's string has a struck one. Consumes
/// through `</c>`.
fn read_cell<R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    _c: &BytesStart,
    kind: Option<&str>,
    struck_shared: &HashMap<u32, Vec<Run>>,
    depth: &mut Depth,
) -> Result<Option<Vec<Run>>, WorkbookError> {
    let mut buf = Vec::new();
    let mut found = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "is" => {
                depth.open()?;
                let runs = read_runs(reader, "is", depth)?;
                depth.close();
                if any_struck(&runs) {
                    found = Some(runs);
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "v" && kind == Some("s") => {
                depth.open()?;
                let mut v = String::new();
                let mut vbuf = Vec::new();
                loop {
                    match reader.read_event_into(&mut vbuf) {
                        Ok(Event::Text(t)) => v.push_str(&t.xml10_content()),
                        Ok(Event::End(_)) | Ok(Event::Eof) => break,
                        Err(e) => return Err(xml::error("worksheet", e)),
                        _ => {}
                    }
                    vbuf.clear();
                }
                depth.close();
                if let Some(runs) = v.trim().parse::<u32>().ok().and_then(|i| struck_shared.get(&i)) {
                    found = Some(runs.clone());
                }
            }
            Ok(Event::Start(_)) => depth.open()?,
            Ok(Event::End(e)) => {
                if e.local_name().as_ref() == "c" {
                    depth.close();
                    return Ok(found);
                }
                depth.close();
            }
            Ok(Event::Eof) => return Ok(found),
            Err(e) => return Err(xml::error("worksheet", e)),
            _ => {}
        }
        buf.clear();
    }
}

/// The runs of a `<si>` or `<is>` element (reader just past its start),
/// through its end. Text directly in `<t>` is one plain run; phonetic
/// guides (`<rPh>`) are not text.
fn read_runs<R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    end: &str,
    depth: &mut Depth,
) -> Result<Vec<Run>, WorkbookError> {
    let mut runs: Vec<Run> = Vec::new();
    let mut buf = Vec::new();
    let mut cur: Option<Run> = None; // inside <r>
    let mut in_t = false;
    let mut in_rph = 0usize;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                depth.open()?;
                match e.local_name().as_ref() {
                    "rPh" => in_rph += 1,
                    "r" if in_rph == 0 => cur = Some(Run::default()),
                    "t" if in_rph == 0 => {
                        in_t = true;
                        if cur.is_none() {
                            runs.push(Run::default());
                        }
                    }
                    "strike" => {
                        if let Some(r) = cur.as_mut() {
                            r.struck = on(&e);
                        }
                    }
                    "b" => {
                        if let Some(r) = cur.as_mut() {
                            r.look.bold = on(&e);
                        }
                    }
                    "i" => {
                        if let Some(r) = cur.as_mut() {
                            r.look.italic = on(&e);
                        }
                    }
                    "u" => {
                        if let Some(r) = cur.as_mut() {
                            r.look.underline = xml::attr(&e, "val").as_deref() != Some("none");
                        }
                    }
                    "color" => {
                        if let Some(r) = cur.as_mut() {
                            r.look.color = color_key(&e);
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Text(t)) if in_t => {
                let s = t.xml10_content();
                match cur.as_mut() {
                    Some(r) => r.text.push_str(&s),
                    None => {
                        if let Some(r) = runs.last_mut() {
                            r.text.push_str(&s);
                        }
                    }
                }
            }
            Ok(Event::GeneralRef(g)) if in_t => match cur.as_mut() {
                Some(r) => xml::push_ref(&g, &mut r.text),
                None => {
                    if let Some(r) = runs.last_mut() {
                        xml::push_ref(&g, &mut r.text);
                    }
                }
            },
            Ok(Event::End(e)) => {
                depth.close();
                match e.local_name().as_ref() {
                    "t" => in_t = false,
                    "rPh" => in_rph = in_rph.saturating_sub(1),
                    "r" if in_rph == 0 => {
                        if let Some(r) = cur.take() {
                            runs.push(r);
                        }
                    }
                    n if n == end => return Ok(runs),
                    _ => {}
                }
            }
            Ok(Event::Eof) => return Ok(runs),
            Err(e) => return Err(xml::error("rich text", e)),
            _ => {}
        }
        buf.clear();
    }
}

/// `<strike/>`, `<strike val="1"/>` are on; `val="0"`/`"false"` off.
fn on(e: &BytesStart) -> bool {
    !matches!(xml::attr(e, "val").as_deref(), Some("0") | Some("false"))
}

fn color_key(e: &BytesStart) -> Option<String> {
    for (attr, prefix) in [("rgb", ""), ("theme", "theme:"), ("indexed", "indexed:")] {
        if let Some(v) = xml::attr(e, attr) {
            // Theme 1 / indexed 8 / auto are the text colour: no colour.
            if (prefix == "theme:" && v == "1") || (prefix == "indexed:" && (v == "8" || v == "64")) {
                return None;
            }
            let v = if prefix.is_empty() { v.to_ascii_uppercase() } else { v };
            if prefix.is_empty() && (v == "FF000000" || v == "000000") {
                return None;
            }
            return Some(format!("{prefix}{v}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, struck: bool, color: Option<&str>) -> Run {
        Run {
            text: text.into(),
            struck,
            look: Look {
                color: color.map(str::to_string),
                ..Look::default()
            },
        }
    }

    #[test]
    fn struck_then_red_is_one_pair() {
        let runs = [
            run("（", false, None),
            run("32,268", true, None),
            run("32,550", false, Some("FFFF0000")),
            run("千円）", false, None),
        ];
        let (text, pairs) = split(&runs);
        assert_eq!(text, "（32,550千円）");
        assert_eq!(pairs, [("32,268".to_string(), "32,550".to_string())]);
    }

    #[test]
    fn several_pairs_in_one_cell() {
        let runs = [
            run("３年度（", false, None),
            run("９", true, None),
            run("12", false, Some("FFFF0000")),
            run("月末時点）\n・掲載　", false, None),
            run("14", true, None),
            run("19", false, Some("FFFF0000")),
            run("件", false, None),
        ];
        let (text, pairs) = split(&runs);
        assert_eq!(text, "３年度（12月末時点）\n・掲載　19件");
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[1], ("14".to_string(), "19".to_string()));
    }

    #[test]
    fn a_deletion_with_plain_text_after_takes_that_text() {
        let runs = [run("a", true, None), run("b", false, None)];
        assert_eq!(split(&runs).1, [("a".to_string(), "b".to_string())]);
        let runs = [run("x", false, None), run("a", true, None)];
        assert_eq!(split(&runs), ("x".to_string(), vec![("a".to_string(), String::new())]));
    }
}
