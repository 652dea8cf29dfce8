//! `yoshiki inspect`: reports for every corpus release, a workbook, a web
//! page where the HTML reader exists, and a ward-year, rendered in headless
//! Chromium (Debian's package) with no console message — no script error,
//! no blocked fetch — and their script driven there (a value clicked fills
//! the panel; a tree line finds its value on the page); each highlight of
//! a handful of known values lying on the very glyphs, cell or line it was
//! read from; the docs' screenshots made by the same tooling.
//!
//! Chromium runs once for all reports (each in a same-origin `srcdoc`
//! frame of one harness page): a start costs seconds. Without Chromium the
//! test fails, saying how to install it; `.ci/run` installs it.

mod common;

use common::{fixture, root, yoshiki};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "chromium";

/// The flags every run takes: headless, no sandbox (root), nothing
/// fetched in the background, a new empty profile.
fn chromium(profile: &Path) -> Command {
    let mut c = Command::new(CHROMIUM);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn require_chromium() {
    let ok = Command::new(CHROMIUM)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "`{CHROMIUM}` is needed to render the reports: apt-get install -y chromium (.ci/run installs it)"
    );
}

/// Write `inspect FILE -o OUT` for a release, returning the report's path.
fn inspect(file: &Path, dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(format!("{name}.html"));
    let r = yoshiki(&["inspect", &file.to_string_lossy(), "-o", &out.to_string_lossy()], dir);
    if r.code != 0 {
        r.fail(&format!("inspect {name}"));
    }
    out
}

/// The JSON the report hands its script.
fn report_data(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/json\" id=\"report-data\">")
        .expect("report data")
        + "<script type=\"application/json\" id=\"report-data\">".len();
    let end = start + html[start..].find("</script>").expect("end of report data");
    serde_json::from_str(&html[start..end]).expect("report data is JSON")
}

/// Every release of the corpus, and the ward-year made from them.
fn corpus_reports(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for sub in ["text", "xlsx", "pdf"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(&format!("corpus/{sub}")))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().replace('.', "_");
            out.push((name.clone(), inspect(&f, dir, &name)));
        }
    }
    // Another workbook producer and form: the 2016 progress report.
    let wb = fixture("workbook/taisho-2016-progress.xlsx");
    out.push((
        "taisho_2016_progress_xlsx".into(),
        inspect(&wb, dir, "taisho_2016_progress_xlsx"),
    ));
    // A release whose text is markup (written as character references,
    // which the reader decodes): shown as text, never run or fetched (an
    // image would break the page's policy, a script would log).
    let plan = std::fs::read_to_string(fixture("corpus/text/minato-2022-plan.txt")).unwrap();
    let hostile = plan.replacen(
        "「暮らして楽しい」",
        "「暮らして楽しい」&lt;img src=x onerror=console.log(1)&gt;&lt;/script&gt;&lt;script&gt;console.log(2)&lt;/script&gt;",
        1,
    );
    assert_ne!(hostile, plan);
    let h = dir.join("markup.txt");
    std::fs::write(&h, hostile).unwrap();
    let report = inspect(&h, dir, "markup_in_the_text");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(!html.contains("<img src=x"), "the release's markup is escaped");
    assert!(
        html.contains("&lt;img src=x onerror=console.log(1)&gt;&lt;/script&gt;"),
        "and shown as text"
    );
    out.push(("markup_in_the_text".into(), report));
    // A saved web page, once the HTML reader reads them.
    let html_dir = fixture("html");
    if html_dir.is_dir() {
        let mut pages: Vec<PathBuf> = std::fs::read_dir(&html_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "htm"))
            .collect();
        pages.sort();
        if let Some(p) = pages.first() {
            out.push(("web_page".into(), inspect(p, dir, "web_page")));
        }
    }
    // The ward-year, by `convert --report`, and by `inspect` of its JSON.
    let conv = dir.join("out");
    let r = yoshiki(
        &[
            "convert",
            &fixture("corpus").to_string_lossy(),
            "-o",
            &conv.to_string_lossy(),
            "--report",
        ],
        dir,
    );
    if r.code != 0 {
        r.fail("convert --report");
    }
    let beside = conv.join("271071/2022.html");
    assert!(beside.is_file(), "convert --report wrote no {}", beside.display());
    let wy = inspect(&conv.join("271071/2022.json"), dir, "ward_year");
    assert_eq!(
        std::fs::read(&wy).unwrap(),
        std::fs::read(&beside).unwrap(),
        "inspect of a ward-year and convert --report give the same report"
    );
    out.push(("ward_year".into(), wy));
    out
}

/// The harness: every report in a frame of its own; when all have loaded,
/// each report's script is driven and what it did is written out.
fn harness(reports: &[(String, PathBuf)]) -> String {
    let mut frames = String::new();
    for (name, path) in reports {
        let html = std::fs::read_to_string(path).unwrap();
        let attr = html
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        frames.push_str(&format!("<iframe name=\"{name}\" srcdoc=\"{attr}\"></iframe>\n"));
    }
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{frames}<pre id=\"results\"></pre><script>{}</script></body></html>",
        include_str!("inspect_harness.js")
    )
}

#[test]
fn reports_render_in_chromium_without_console_messages() {
    require_chromium();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let reports = corpus_reports(dir);
    for (name, p) in &reports {
        let html = std::fs::read_to_string(p).unwrap();
        // Self-contained: nothing to fetch (the SVG namespace is a name).
        for bad in ["src=\"http", "href=\"http", "url(", "@import", "<link", "<img"] {
            assert!(!html.contains(bad), "{name}: the report refers outside itself ({bad})");
        }
    }
    let page = dir.join("harness.html");
    std::fs::write(&page, harness(&reports)).unwrap();
    let out = chromium(&dir.join("profile"))
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let dom = String::from_utf8_lossy(&out.stdout);
    let console: Vec<&str> = stderr.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(
        console.is_empty(),
        "console messages while rendering the reports:\n{}",
        console.join("\n")
    );
    let start = dom.find("<pre id=\"results\">").expect("the harness ran") + "<pre id=\"results\">".len();
    let results = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let lines: Vec<&str> = results.lines().collect();
    assert_eq!(lines.len(), reports.len(), "every report was driven:\n{results}");
    for l in &lines {
        assert!(l.contains(": ok"), "{results}");
    }
}

/// For a value at `path`, its report entry's id.
fn id_of(data: &Value, path: &str) -> usize {
    data["h"]
        .as_array()
        .unwrap()
        .iter()
        .position(|h| h["p"] == path)
        .unwrap_or_else(|| panic!("no value at {path}"))
}

/// The PDF rectangles drawn for value `id`, per page (display space, as
/// the reader's view has it).
fn rects(html: &str, id: usize) -> Vec<(u32, [f64; 4])> {
    let mut out = Vec::new();
    for (pi, page) in html.split("<section class=\"page\" id=\"page-").enumerate().skip(1) {
        let n: u32 = page[..page.find('"').unwrap()].parse().unwrap();
        assert_eq!(n as usize, pi);
        let needle = format!("data-h=\"{id}\"/>");
        for (k, _) in page.match_indices(&needle) {
            let start = page[..k].rfind("<rect ").unwrap();
            let tag = &page[start..k];
            let attr = |a: &str| -> f64 {
                let s = tag.find(&format!(" {a}=\"")).unwrap() + a.len() + 3;
                tag[s..s + tag[s..].find('"').unwrap()].parse().unwrap()
            };
            out.push((n, [attr("x"), attr("y"), attr("width"), attr("height")]));
        }
    }
    out
}

#[test]
fn pdf_highlights_lie_on_the_glyphs_their_text_came_from() {
    let known: &[(&str, &[(&str, &str)])] = &[
        (
            "corpus/pdf/minato-2022-plan.pdf",
            &[
                ("key_issues/1/main_initiatives/1-2-2/budget", "32,550千円"),
                ("key_issues/3/main_initiatives/3-3-4/budget", "4,960千円"),
                (
                    "goal",
                    "「暮らして楽しい」「遊んで楽しい」「働いて楽しい」まち港区の実現",
                ),
                (
                    "issues/1/strategies/1-1/initiatives/1-1-1/process_indicators/0/target",
                    "55%以上",
                ),
                (
                    "issues/1/strategies/1-2/initiatives/1-2-2/budgets/2021:budget",
                    "31,727千円",
                ),
                ("issues/1/title", "区民主体のまちづくり"),
            ],
        ),
        // Chromium's print of the plan: a cell the reader joined across a
        // page break, the value in its part on the next page.
        (
            "pdf/chromium-type0-identity-h.pdf",
            &[
                ("key_issues/4/strategies/4-2/title", "「子育て世代」の応援"),
                (
                    "issues/1/strategies/1-2/outcome_indicators/0/targets/0/value",
                    "85%以上",
                ),
            ],
        ),
        // Running text in two columns: a value the reader continued from
        // the foot of the first column at the head of the second.
        (
            "pdf/reportlab-unruled-summary-narrow.pdf",
            &[(
                "issues/2/strategies/2-1/initiatives/2-1-2/process_indicators/0/target",
                "80%以上",
            )],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (file, values) in known {
        let pdf = fixture(file);
        let html = std::fs::read_to_string(inspect(&pdf, tmp.path(), "pdf")).unwrap();
        let data = report_data(&html);
        // The reader's own boxes, from the library.
        let bytes = std::fs::read(&pdf).unwrap();
        let (_, view) = yoshiki::readers::pdf::read_with_view(&bytes, &Default::default()).unwrap();
        for (path, text) in values.iter() {
            let id = id_of(&data, path);
            let rs = rects(&html, id);
            assert!(!rs.is_empty(), "{file} {path}: nothing drawn");
            // The glyphs under the rectangles, in the reader's reading order.
            let mut under = String::new();
            for (n, [x, y, w, h]) in rs {
                let page = &view.pages[n as usize - 1];
                let [x0, _, _, y1] = page.bbox;
                let (left, right, top, bottom) = (x + x0, x + w + x0, y1 - y, y1 - y - h);
                let inside: Vec<usize> = page
                    .glyphs
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| {
                        let (cx, cy) = ((g.bbox[0] + g.bbox[2]) / 2.0, (g.bbox[1] + g.bbox[3]) / 2.0);
                        !g.struck && left <= cx && cx <= right && bottom <= cy && cy <= top
                    })
                    .map(|(i, _)| i)
                    .collect();
                for line in page.lines(&inside) {
                    for g in line {
                        under.push_str(&page.glyphs[g].text);
                    }
                }
            }
            let squeeze = |s: &str| -> String {
                s.chars()
                    .filter(|c| !c.is_whitespace())
                    .map(|c| match c {
                        '\u{FF01}'..='\u{FF5D}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap(),
                        c => c,
                    })
                    .collect()
            };
            assert_eq!(
                squeeze(&under),
                squeeze(text),
                "{file} {path}: the glyphs under its box"
            );
            assert_eq!(
                squeeze(data["h"][id]["r"].as_str().unwrap()),
                squeeze(text),
                "{file} {path}: raw text"
            );
        }
    }
}

/// The text of the element that holds value `id`'s mark, and the id of
/// the element (cell or row) around it.
fn marked(html: &str, id: usize, container: &str) -> (String, String) {
    let needle = format!("data-h=\"{id}\">");
    // On the page, not in the side panel's tree.
    let doc = html.find("<main id=\"doc\">").expect("the page");
    let k = doc
        + html[doc..]
            .find(&needle)
            .unwrap_or_else(|| panic!("value {id} not marked"));
    let text_start = k + needle.len();
    let text = &html[text_start..text_start + html[text_start..].find("</span>").unwrap()];
    let open = html[..k].rfind(&format!("<{container} ")).unwrap();
    let tag = &html[open..open + html[open..].find('>').unwrap()];
    let s = tag.find("id=\"").unwrap() + 4;
    (
        text.replace("&amp;", "&"),
        tag[s..s + tag[s..].find('"').unwrap()].to_string(),
    )
}

#[test]
fn workbook_and_text_highlights_lie_on_their_cell_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let xlsx =
        std::fs::read_to_string(inspect(&fixture("corpus/xlsx/minato-2022-plan.xlsx"), tmp.path(), "wb")).unwrap();
    let data = report_data(&xlsx);
    for (path, text, cell) in [
        (
            "key_issues/1/main_initiatives/1-2-2/budget",
            "32,550千円",
            "c-様式1-A12",
        ),
        (
            "issues/1/strategies/1-2/initiatives/1-2-2/budgets/2021:budget",
            "31,727千円",
            "c-様式2-",
        ),
    ] {
        let (t, c) = marked(&xlsx, id_of(&data, path), "td");
        assert_eq!(t, text, "{path}");
        assert!(c.starts_with(cell), "{path}: in {c}, not {cell}");
    }
    let txt = std::fs::read_to_string(inspect(&fixture("corpus/text/minato-2022-plan.txt"), tmp.path(), "tx")).unwrap();
    let data = report_data(&txt);
    let (t, _) = marked(&txt, id_of(&data, "key_issues/1/main_initiatives/1-2-2/budget"), "tr");
    assert_eq!(t, "32,550千円");
    // Line 24 of the release: `【1-2-2 …】 …(32,550千円)`.
    let doc = txt.find("<main id=\"doc\">").unwrap();
    let id = id_of(&data, "key_issues/1/main_initiatives/1-2-2/budget");
    let k = doc + txt[doc..].find(&format!("data-h=\"{id}\">")).unwrap();
    let row = &txt[txt[..k].rfind("<tr ").unwrap()..k];
    assert!(row.contains("<th>24</th>"), "{row}");
}

#[test]
fn a_documents_json_is_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("doc.json");
    let r = yoshiki(
        &["parse", &fixture("corpus/text/minato-2022-plan.txt").to_string_lossy()],
        tmp.path(),
    );
    std::fs::write(&json, &r.stdout).unwrap();
    let r = yoshiki(&["inspect", &json.to_string_lossy()], tmp.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("no layout"), "{}", r.stderr);
}

/// Not a test of yoshiki but the tool that makes the docs' screenshots with
/// the tooling above: `cargo test --test inspect -- --ignored screenshots`.
#[test]
#[ignore]
fn screenshots() {
    require_chromium();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Named as a user in the repository would name it (the path shows).
    let pdf = dir.join("pdf.html");
    let r = yoshiki(
        &[
            "inspect",
            "fixtures/corpus/pdf/minato-2022-plan.pdf",
            "-o",
            &pdf.to_string_lossy(),
        ],
        &root(),
    );
    assert!(r.code == 0, "{}", r.stderr);
    let conv = dir.join("out");
    let r = yoshiki(
        &[
            "convert",
            &fixture("corpus").to_string_lossy(),
            "-o",
            &conv.to_string_lossy(),
        ],
        dir,
    );
    assert!(r.code == 0, "{}", r.stderr);
    let wy = inspect(&conv.join("271071/2022.json"), dir, "ward_year");
    let docs = root().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    // The PDF report opened on a value (`#value=<path>`), as a link to it would.
    let pdf_url = format!(
        "file://{}#value=key_issues/1/main_initiatives/1-2-2/budget",
        pdf.display()
    );
    let wy_url = format!("file://{}", wy.display());
    for (url, png) in [(pdf_url, "inspect-pdf.png"), (wy_url, "inspect-ward-year.png")] {
        let out = chromium(&dir.join(format!("profile-{png}")))
            .args(["--window-size=1440,900", "--hide-scrollbars"])
            .arg(format!("--screenshot={}", docs.join(png).display()))
            .arg(&url)
            .output()
            .expect("run chromium");
        assert!(docs.join(png).is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}
