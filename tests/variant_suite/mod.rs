//! The variant suite's machinery: the fixtures it derives variants from
//! (each with its hand-listed facts), the transformations real wards'
//! releases show (`transform`), the facts and how they are checked
//! (`facts`), and the two paths a variant is read through: as a text
//! release, and as a workbook written at test time (`xlsx`).

pub mod facts;
pub mod transform;
pub mod xlsx;

use transform::BREAK;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Tab-separated rows.
    Tsv,
    /// Markdown with HTML in its cells.
    Markdown,
    /// Text pulled out of a PDF: lines.
    PdfText,
}

/// How a table release is laid out as a workbook (as
/// `scripts/fixtures/workbook/text_to_workbook.py` lays out the corpus).
#[derive(Debug, Clone, Copy)]
pub enum Sheets {
    /// A new sheet at every line starting with ◆ but the first.
    Diamond,
    /// A new sheet at every line equal to this (a page's title).
    At(&'static str),
}

pub struct Fixture {
    pub name: &'static str,
    /// Under fixtures/.
    pub rel: &'static str,
    pub dialect: Dialect,
    /// The fiscal year the release is about, as the release says it.
    pub year: Option<i32>,
    /// The ward the release names.
    pub ward: Option<&'static str>,
    pub facts: &'static str,
    /// Read through the workbook path too.
    pub workbook: Option<Sheets>,
}

pub const FIXTURES: &[Fixture] = &[
    Fixture {
        name: "minato-2022-plan",
        rel: "corpus/text/minato-2022-plan.txt",
        dialect: Dialect::Tsv,
        year: Some(2022),
        ward: Some("港区"),
        facts: include_str!("facts/minato-2022-plan.facts"),
        workbook: Some(Sheets::Diamond),
    },
    Fixture {
        name: "minato-2022-plan-revision",
        rel: "corpus/text/minato-2022-plan-revision.txt",
        dialect: Dialect::PdfText,
        year: Some(2022),
        ward: Some("港区"),
        facts: include_str!("facts/minato-2022-plan-revision.facts"),
        workbook: None,
    },
    Fixture {
        name: "minato-2021-midterm-review",
        rel: "corpus/text/minato-2021-midterm-review.txt",
        dialect: Dialect::Markdown,
        year: Some(2021),
        ward: Some("港区"),
        facts: include_str!("facts/minato-2021-midterm-review.facts"),
        workbook: None,
    },
    Fixture {
        name: "unknown-ward-summary",
        rel: "corpus/text/unknown-ward-summary.txt",
        dialect: Dialect::PdfText,
        year: None,
        ward: None,
        facts: include_str!("facts/unknown-ward-summary.facts"),
        workbook: None,
    },
    Fixture {
        name: "taisho-2016-progress",
        rel: "corpus/text/taisho-2016-progress.txt",
        dialect: Dialect::Tsv,
        year: Some(2016),
        ward: Some("大正区"),
        facts: include_str!("facts/taisho-2016-progress.facts"),
        workbook: Some(Sheets::At(
            "区政運営基本方針の成果目標の達成に向けた取組状況について(大正区)",
        )),
    },
];

/// A variant as a text release: a wrap inside a table cell becomes a row
/// holding the rest of the cell in the same column; inside a line, a new
/// line.
pub fn as_text(dialect: Dialect, text: &str) -> String {
    if !text.contains(BREAK) {
        return text.to_string();
    }
    if dialect != Dialect::Tsv {
        return text.replace(BREAK, "\n");
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        let cells: Vec<Vec<&str>> = line.split('\t').map(|c| c.split(BREAK).collect()).collect();
        let n = cells.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..n {
            let row: Vec<&str> = cells.iter().map(|c| c.get(k).copied().unwrap_or("")).collect();
            out.push_str(row.join("\t").trim_end());
            out.push('\n');
        }
    }
    out
}

/// A variant as a workbook: one row per non-blank line, one cell per
/// tab-separated field (HTML tags dropped), a wrap inside a cell a line
/// break in it; sheets split as the fixture's workbook is.
pub fn as_workbook(text: &str, sheets: Sheets) -> Vec<u8> {
    static TAG: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>").expect("tag regex"));
    let mut out: Vec<xlsx::Sheet> = Vec::new();
    let mut marked = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let starts = match sheets {
            Sheets::Diamond => line.starts_with('◆'),
            Sheets::At(t) => line == t,
        };
        if out.is_empty() || (starts && marked) {
            out.push(xlsx::Sheet {
                name: format!("{}", out.len() + 1),
                rows: Vec::new(),
            });
            marked = false;
        }
        marked |= starts;
        let row = line
            .split('\t')
            .enumerate()
            .map(|(i, c)| (i, TAG.replace_all(c, "").replace(BREAK, "\n")))
            .collect();
        if let Some(s) = out.last_mut() {
            s.rows.push(row);
        }
    }
    xlsx::write(&out)
}
