//! Web pages: every corpus release rendered as a page of its ward's site
//! (fixtures/html, made by scripts/fixtures/html/make_pages.py: site
//! furniture around the content, a sidebar naming other years' pages,
//! forms as tables with rowspan label columns, <br> in cells; UTF-8,
//! Shift_JIS, and one web archive) gives the same Document as its text
//! release, field by field (tests/common/compare.rs); the page's own facts
//! land in `source`; the site never decides ward or year; `convert` takes
//! a folder of saved pages. All through the real binary, every file under
//! a neutral name.

mod common;

use common::compare::model_differences;
use common::{fixture, yoshiki};
use serde_json::Value;
use std::path::Path;

const RELEASES: &[&str] = &[
    "minato-2022-plan",
    "minato-2022-plan-revision",
    "minato-2021-midterm-review",
    "taisho-2016-progress",
    "unknown-ward-summary",
];

/// `yoshiki parse` on `bytes` written under `name` in a fresh directory.
fn parse_bytes(bytes: &[u8], name: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).expect("write");
    yoshiki(&["parse", p.to_str().expect("utf-8 path")], dir.path()).json()
}

fn parse_as(rel: &str, name: &str) -> Value {
    parse_bytes(&std::fs::read(fixture(rel)).expect("fixture"), name)
}

fn text_release(name: &str) -> Value {
    parse_as(&format!("corpus/text/{name}.txt"), "release.txt")
}

fn assert_same(page: &Value, text: &Value, what: &str) {
    let d = model_differences(page, text);
    assert!(
        d.is_empty(),
        "{what}: {} differences from the text release:\n{}",
        d.len(),
        d.join("\n")
    );
}

#[test]
fn every_release_as_a_page_gives_its_text_releases_model() {
    for name in RELEASES {
        let text = text_release(name);
        for variant in ["utf8.html", "sjis.html"] {
            let page = parse_as(&format!("html/{name}.{variant}"), "page.html");
            assert_eq!(page["source"]["format"], "html", "{name}.{variant}");
            assert_same(&page, &text, &format!("{name}.{variant}"));
        }
    }
    let text = text_release("minato-2021-midterm-review");
    let archive = parse_as("html/minato-2021-midterm-review.mhtml", "page.mhtml");
    assert_same(&archive, &text, "minato-2021-midterm-review.mhtml");
}

#[test]
fn the_pages_facts_are_kept_in_source() {
    let page = parse_as("html/minato-2022-plan.utf8.html", "page.html");
    let s = &page["source"];
    assert_eq!(s["title"], "令和4年度港区運営方針");
    assert_eq!(s["page_number"], "565017");
    assert_eq!(s["dates"], serde_json::json!(["2024-03-13"]));
    assert_eq!(
        (&s["encoding"], &s["line_ending"], &s["dialect"]),
        (&"UTF-8".into(), &"LF".into(), &"html".into())
    );
    // The page's title is the page's: the plan's form prints none, and
    // the Document says so as its text release does.
    assert_eq!(page["title"], Value::Null);

    let sjis = parse_as("html/taisho-2016-progress.sjis.html", "page.htm");
    let s = &sjis["source"];
    assert_eq!(
        (&s["encoding"], &s["line_ending"]),
        (&"Shift_JIS".into(), &"CRLF".into())
    );
    assert_eq!(s["page_number"], "392216");

    let archive = parse_as("html/minato-2021-midterm-review.mhtml", "page.mhtml");
    let s = &archive["source"];
    assert_eq!(s["dialect"], "mhtml");
    assert_eq!(s["url"], "https://www.city.osaka.lg.jp/minato/page/0000543781.html");
    assert_eq!(s["dates"], serde_json::json!(["2021-11-26"]));
}

/// A value's provenance names the table, the cell on its grid and the
/// source line, and that line of the page holds the value.
#[test]
fn provenance_leads_to_the_cell() {
    let rel = "html/minato-2022-plan.utf8.html";
    let page = parse_as(rel, "page.html");
    let source = std::fs::read_to_string(fixture(rel)).expect("fixture");
    let lines: Vec<&str> = source.lines().collect();
    let mut checked = 0;
    for issue in page["issues"].as_array().expect("issues") {
        for obs in issue["current_state"].as_array().expect("current_state") {
            let at = &obs["at"];
            assert!(at["table"].as_u64().is_some_and(|t| t >= 1), "{at}");
            assert!(at["cell"].as_str().is_some_and(|c| c.starts_with('A')), "{at}");
            let line = at["line"].as_u64().expect("line") as usize;
            let desc: String = obs["description"]
                .as_str()
                .expect("description")
                .chars()
                .take(12)
                .collect();
            assert!(
                lines[line - 1].contains(&desc),
                "line {line} lacks {desc}: {}",
                lines[line - 1]
            );
            checked += 1;
        }
    }
    assert!(checked >= 4, "{checked} observations");
    // Every located value inside a table says which.
    let init = &page["issues"][0]["strategies"][0]["initiatives"][0];
    assert!(init["at"]["table"].is_u64(), "{}", init["at"]);
}

/// The furniture is told by its structure and words, not by the names the
/// generator happened to use: the same pages with the main column's id,
/// the sidebar's and the boxes' classes made meaningless still give the
/// text release's model.
#[test]
fn furniture_is_left_out_whatever_it_is_called() {
    for name in ["minato-2022-plan", "unknown-ward-summary"] {
        let html = std::fs::read_to_string(fixture(&format!("html/{name}.utf8.html"))).expect("fixture");
        let neutral = html
            .replace(r#"id="mol_main""#, r#"id="c1""#)
            .replace(r#"id="mol_rightmenu""#, r#"class="box""#)
            .replace(r#"id="pankuzu""#, r#"class="p1""#)
            .replace(r#"class="mol_contactblock""#, r#"class="box2""#)
            .replace(r#"id="gnavi""#, r#"class="g""#);
        assert_ne!(neutral, html);
        let page = parse_bytes(neutral.as_bytes(), "page.html");
        assert_same(&page, &text_release(name), &format!("{name} with neutral names"));
    }
}

/// The summary names neither its ward nor its year; its page's site, the
/// sidebar (令和3年度此花区運営方針, twice), the contact box and the footer
/// (大阪市此花区役所) name both, and must lend it neither.
#[test]
fn the_site_does_not_decide_ward_or_year() {
    let page = parse_as("html/unknown-ward-summary.utf8.html", "page.html");
    assert_eq!(page["ward"], Value::Null, "{}", page["detection"]);
    assert_eq!(page["fiscal_year"], Value::Null, "{}", page["detection"]);
    let plan = parse_as("html/minato-2022-plan.sjis.html", "page.html");
    assert_eq!(plan["fiscal_year"], 2022);
    assert_eq!(plan["detection"]["fiscal_year"]["by"], "content");
}

/// Page or text release is decided from the bytes: the Markdown release
/// with HTML cells stays a text release under any name, a page is a page
/// under a text release's name (with a warning about the name).
#[test]
fn pages_and_markdown_releases_are_told_apart_by_their_bytes() {
    let md = parse_as("corpus/text/minato-2021-midterm-review.txt", "page.html");
    assert_eq!(
        (&md["source"]["format"], &md["source"]["dialect"]),
        (&"text".into(), &"markdown".into())
    );
    let page = parse_as("html/minato-2021-midterm-review.utf8.html", "release.txt");
    assert_eq!(page["source"]["format"], "html");
    let codes: Vec<&str> = page["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"extension_mismatch"), "{codes:?}");
}

#[test]
fn bad_pages_are_errors_that_say_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n";
    let p = dir.path().join("saved.mhtml");
    std::fs::write(&p, archive).expect("write");
    let run = yoshiki(&["parse", p.to_str().expect("utf-8 path")], dir.path());
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("none of its 1 part(s) is an HTML page"),
        "{}",
        run.stderr
    );

    // A page cut off in the middle reads as far as it goes.
    let html = std::fs::read(fixture("html/minato-2022-plan.utf8.html")).expect("fixture");
    let cut = &html[..html.len() / 2];
    let p = dir.path().join("cut.html");
    std::fs::write(&p, cut).expect("write");
    let run = yoshiki(&["parse", p.to_str().expect("utf-8 path")], dir.path());
    let doc = run.json();
    assert_eq!(doc["kind"], "plan");
    assert!(!doc["key_issues"].as_array().expect("key_issues").is_empty());
}

fn manifest_inputs(out: &Path) -> Vec<Value> {
    let m: Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json");
    m["inputs"].as_array().expect("inputs").clone()
}

/// `convert` on a folder of saved pages: every page converted, into the
/// same ward-year files, with the same models, as the text releases give.
#[test]
fn convert_takes_a_folder_of_saved_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (pages, texts) = (dir.path().join("pages"), dir.path().join("texts"));
    std::fs::create_dir_all(pages.join("2021")).expect("mkdir");
    std::fs::create_dir_all(&texts).expect("mkdir");
    for (i, name) in RELEASES.iter().enumerate() {
        for variant in ["utf8.html", "sjis.html"] {
            let sub = if variant.starts_with("sjis") { "2021" } else { "" };
            std::fs::copy(
                fixture(&format!("html/{name}.{variant}")),
                pages.join(sub).join(format!("page{i}.{variant}")),
            )
            .expect("copy");
        }
        std::fs::copy(
            fixture(&format!("corpus/text/{name}.txt")),
            texts.join(format!("release{i}.txt")),
        )
        .expect("copy");
    }
    std::fs::copy(
        fixture("html/minato-2021-midterm-review.mhtml"),
        pages.join("saved.mhtml"),
    )
    .expect("copy");

    let out = dir.path().join("out-pages");
    let run = yoshiki(
        &[
            "convert",
            "--out",
            out.to_str().expect("utf-8"),
            pages.to_str().expect("utf-8"),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let inputs = manifest_inputs(&out);
    assert_eq!(inputs.len(), 11, "{inputs:#?}");
    for e in &inputs {
        assert_eq!(e["format"], "html", "{e}");
        assert!(matches!(e["status"].as_str(), Some("ok" | "warning")), "{e}");
    }
    for f in ["271071/2021.json", "271071/2022.json", "271080/2016.json"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }

    // The UTF-8 pages alone against the text releases: the same files,
    // the same merged models.
    for (i, _) in RELEASES.iter().enumerate() {
        let sjis = pages.join("2021").join(format!("page{i}.sjis.html"));
        std::fs::remove_file(sjis).expect("rm");
    }
    std::fs::remove_file(pages.join("saved.mhtml")).expect("rm");
    let out_pages = dir.path().join("out-utf8");
    let out_texts = dir.path().join("out-texts");
    for (from, to) in [(&pages, &out_pages), (&texts, &out_texts)] {
        let run = yoshiki(
            &[
                "convert",
                "--out",
                to.to_str().expect("utf-8"),
                from.to_str().expect("utf-8"),
            ],
            dir.path(),
        );
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    }
    // The merged view points at its documents by their sha256: a page's
    // is its text release's, for the comparison.
    let mut same_as: Vec<(String, String)> = Vec::new();
    for (i, name) in RELEASES.iter().enumerate() {
        let page = std::fs::read(pages.join(format!("page{i}.utf8.html"))).expect("page");
        let text = std::fs::read(fixture(&format!("corpus/text/{name}.txt"))).expect("release");
        same_as.push((yoshiki::parse::sha256_hex(&page), yoshiki::parse::sha256_hex(&text)));
    }
    for f in ["271071/2021.json", "271071/2022.json", "271080/2016.json"] {
        let read = |d: &Path| -> Value {
            let mut s = std::fs::read_to_string(d.join(f)).expect("ward-year file");
            for (page, text) in &same_as {
                s = s.replace(page, text);
            }
            serde_json::from_str(&s).expect("json")
        };
        let d = model_differences(&read(&out_pages), &read(&out_texts));
        assert!(d.is_empty(), "{f}: pages against texts:\n{}", d.join("\n"));
    }
}

/// Where the document is silent, the page's own title (its title heading)
/// tells ward and year — and says so in `detection`.
#[test]
fn the_pages_title_speaks_where_the_document_is_silent() {
    let html = std::fs::read_to_string(fixture("html/unknown-ward-summary.utf8.html")).expect("fixture");
    let titled = html.replace(
        r#"<h1 class="title">区運営方針（概要版）</h1>"#,
        r#"<h1 class="title">令和3年度此花区運営方針（概要版）</h1>"#,
    );
    assert_ne!(titled, html);
    let page = parse_bytes(titled.as_bytes(), "page.html");
    assert_eq!(page["ward"]["name"], "此花区", "{}", page["detection"]);
    assert_eq!(page["fiscal_year"], 2021, "{}", page["detection"]);
    assert_eq!(page["detection"]["ward"]["by"], "title");
    assert_eq!(page["detection"]["fiscal_year"]["by"], "title");
    // The model is the release's as read with that ward and year given.
    let dir = tempfile::tempdir().expect("tempdir");
    let p = common::neutral_copy("corpus/text/unknown-ward-summary.txt", dir.path(), "release.txt");
    let args = [
        "parse",
        "--ward",
        "此花区",
        "--year",
        "2021",
        p.to_str().expect("utf-8 path"),
    ];
    let text = yoshiki(&args, dir.path()).json();
    assert_same(&page, &text, "the summary under a title naming its ward and year");
}

/// The encoding as a browser decides it: a byte-order mark over a wrong
/// declaration; `http-equiv` EUC-JP; EUC-JP with no declaration at all,
/// judged from the bytes. Characters EUC-JP lacks are written as numeric
/// character references, as encoders do.
#[test]
fn encodings_as_a_browser_decides_them() {
    let html = std::fs::read_to_string(fixture("html/minato-2022-plan.utf8.html")).expect("fixture");
    let text = text_release("minato-2022-plan");
    let utf8_meta = r#"<meta charset="utf-8" />"#;
    assert!(html.contains(utf8_meta));

    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(html.replace(utf8_meta, r#"<meta charset="Shift_JIS" />"#).as_bytes());
    let page = parse_bytes(&bom, "page.html");
    assert_eq!(page["source"]["encoding"], "UTF-8");
    assert_same(&page, &text, "UTF-8 with a byte-order mark, declared Shift_JIS");

    let declared = html.replace(
        utf8_meta,
        r#"<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP" />"#,
    );
    let (euc, _, _) = encoding_rs::EUC_JP.encode(&declared);
    let page = parse_bytes(&euc, "page.html");
    assert_eq!(page["source"]["encoding"], "EUC-JP");
    assert_same(&page, &text, "EUC-JP declared by http-equiv");

    let undeclared = html.replace(utf8_meta, "");
    let (euc, _, _) = encoding_rs::EUC_JP.encode(&undeclared);
    let page = parse_bytes(&euc, "page.html");
    assert_eq!(page["source"]["encoding"], "EUC-JP");
    assert_same(&page, &text, "EUC-JP undeclared");
}
