//! `yoshiki export OUT --format csv|ndjson|sqlite -o DEST [--bom]`: flat
//! tables from a converted tree (`yoshiki convert`'s OUT).
//!
//! Two passes over the tree, one ward-year file in memory at a time: the
//! first links each ward's items across its years (series), the second
//! writes the rows.

use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::batch::manifest::Manifest;
use crate::model::{Document, Issue, KeyIssue, ReformItem, Ward};
use crate::writers::series::{self, Item, WardSeries};
use crate::writers::tables::{self, Cell, Content, Context, SeriesOf, Sink};
use crate::writers::{csv::CsvSink, ndjson::NdjsonSink, sqlite::SqliteSink};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Fmt {
    Csv,
    Ndjson,
    Sqlite,
}

#[derive(clap::Args)]
pub struct Args {
    /// The folder `yoshiki convert` wrote.
    out: PathBuf,
    /// csv and ndjson write one file a table into DEST; sqlite writes the database file DEST.
    #[arg(long, value_enum)]
    format: Fmt,
    /// Where to write.
    #[arg(short = 'o', long = "output")]
    dest: PathBuf,
    /// CSV: start each file with a UTF-8 byte-order mark (for spreadsheet programs).
    #[arg(long)]
    bom: bool,
}

/// The merged view of a ward-year file, as far as the tables need it.
#[derive(Deserialize)]
struct ViewIn {
    built_from: DocRefIn,
    title: Option<String>,
    #[serde(default)]
    key_issues: Vec<KeyIssue>,
    #[serde(default)]
    reform_items: Vec<ReformItem>,
    #[serde(default)]
    issues: Vec<Issue>,
}

#[derive(Deserialize)]
struct DocRefIn {
    document: String,
}

#[derive(Deserialize)]
struct WardYearIn {
    ward: Ward,
    fiscal_year: i32,
    documents: Vec<Document>,
    plan: Option<ViewIn>,
}

/// Only the view, for the first pass.
#[derive(Deserialize)]
struct ViewOnly {
    ward: Ward,
    fiscal_year: i32,
    plan: Option<ViewIn>,
}

/// The tree's data files, as its manifest lists them (never a file it does
/// not list): ward-year files by ward then year, then the unassigned
/// documents; each with the sha256 the manifest records.
type Listed = Vec<(PathBuf, String)>;

fn data_files(out: &Path, m: &Manifest) -> (Listed, Listed) {
    let (mut ward_years, mut unassigned) = (Vec::new(), Vec::new());
    for o in &m.outputs {
        let at = (out.join(&o.path), o.sha256.clone());
        if o.path.starts_with("unassigned/") {
            unassigned.push(at);
        } else {
            ward_years.push(at);
        }
    }
    (ward_years, unassigned)
}

/// A data file the manifest lists, refused if its bytes are not the ones
/// the manifest records.
fn read_data<T: for<'de> Deserialize<'de>>((p, sha): &(PathBuf, String)) -> Result<T, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
    if crate::parse::sha256_hex(&bytes) != *sha {
        return Err(format!(
            "{}: its sha256 is not the one the manifest records: changed since yoshiki wrote it \
             (`yoshiki validate` lists what is wrong; convert again)",
            p.display()
        ));
    }
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: not a yoshiki data file: {e}", p.display()))
}

struct YearSeries<'a> {
    ward: Option<&'a WardSeries>,
    year: i32,
}

impl SeriesOf for YearSeries<'_> {
    fn series(&self, entity: &str, item_id: &str) -> Option<String> {
        self.ward?.get(entity, self.year, item_id).map(|l| l.series_id.clone())
    }
}

struct NoSeries;

impl SeriesOf for NoSeries {
    fn series(&self, _: &str, _: &str) -> Option<String> {
        None
    }
}

enum AnySink {
    Csv(CsvSink),
    Ndjson(NdjsonSink),
    Sqlite(SqliteSink),
}

impl Sink for AnySink {
    fn row(&mut self, table: usize, row: Vec<Cell>) -> std::io::Result<()> {
        match self {
            AnySink::Csv(s) => s.row(table, row),
            AnySink::Ndjson(s) => s.row(table, row),
            AnySink::Sqlite(s) => s.row(table, row),
        }
    }
}

impl AnySink {
    fn finish(self) -> Result<(), String> {
        match self {
            AnySink::Csv(s) => s.finish().map_err(|e| e.to_string()),
            AnySink::Ndjson(s) => s.finish().map_err(|e| e.to_string()),
            AnySink::Sqlite(s) => s.finish(),
        }
    }
}

pub fn run(a: Args) -> i32 {
    if !a.out.join("manifest.json").is_file() {
        eprintln!(
            "yoshiki: {}: not a converted tree (no manifest.json); run `yoshiki convert … -o {}` first",
            a.out.display(),
            a.out.display()
        );
        return EXIT_USAGE;
    }
    match export(&a) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("yoshiki: export: {e}");
            EXIT_INPUT
        }
    }
}

fn export(a: &Args) -> Result<(), String> {
    // OUT held for reading (no commit applies meanwhile, an interrupted one
    // is finished first), its manifest checked as `validate` checks it.
    let _reading = crate::batch::transaction::read(&a.out, &|m| eprintln!("yoshiki: {m}")).map_err(|e| match e {
        crate::batch::transaction::OutError::Busy(m) | crate::batch::transaction::OutError::Failed(m) => m,
    })?;
    let manifest_path = a.out.join("manifest.json");
    let bytes = std::fs::read(&manifest_path).map_err(|e| format!("{}: cannot read: {e}", manifest_path.display()))?;
    let manifest = crate::batch::check::manifest_of(&bytes, &manifest_path).map_err(|ps| {
        ps.iter()
            .map(|p| format!("{}: {}", manifest_path.display(), p.message))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let mut paths: HashMap<String, Vec<String>> = HashMap::new();
    for i in &manifest.inputs {
        if let Some(sha) = &i.sha256 {
            paths.entry(sha.clone()).or_default().push(i.path.clone());
        }
    }
    let (ward_years, unassigned) = data_files(&a.out, &manifest);

    // Pass 1: each ward's items, year by year, from the merged views.
    let mut items: BTreeMap<String, BTreeMap<i32, BTreeMap<&'static str, Vec<Item>>>> = BTreeMap::new();
    for p in &ward_years {
        let v: ViewOnly = read_data(p)?;
        if let Some(view) = &v.plan {
            items
                .entry(v.ward.code.clone())
                .or_default()
                .insert(v.fiscal_year, series::items_of(&view.key_issues, &view.issues));
        }
    }
    let linked: BTreeMap<String, WardSeries> = items
        .iter()
        .map(|(w, years)| (w.clone(), series::link_ward(w, years)))
        .collect();

    // Pass 2: the rows.
    let mut sink = match a.format {
        Fmt::Csv => AnySink::Csv(CsvSink::create(&a.dest, a.bom).map_err(|e| format!("{}: {e}", a.dest.display()))?),
        Fmt::Ndjson => AnySink::Ndjson(NdjsonSink::create(&a.dest).map_err(|e| format!("{}: {e}", a.dest.display()))?),
        Fmt::Sqlite => AnySink::Sqlite(SqliteSink::create(&a.dest).map_err(|e| format!("{}: {e}", a.dest.display()))?),
    };
    let io = |e: std::io::Error| format!("{}: {e}", a.dest.display());
    for p in &ward_years {
        let wy: WardYearIn = read_data(p)?;
        let ws = YearSeries {
            ward: linked.get(&wy.ward.code),
            year: wy.fiscal_year,
        };
        for d in &wy.documents {
            write_document(&mut sink, d, Some(&wy.ward), Some(wy.fiscal_year), &paths, &ws).map_err(io)?;
        }
        if let Some(view) = &wy.plan {
            let ctx = Context {
                ward_code: Some(wy.ward.code.clone()),
                ward_name: Some(wy.ward.name.clone()),
                fiscal_year: Some(wy.fiscal_year),
                document_kind: "plan_view".to_string(),
                document_sha256: view.built_from.document.clone(),
            };
            tables::write_document_row(&mut sink, &ctx, None, &view.title, &[], 0, None).map_err(io)?;
            let content = Content {
                key_issues: &view.key_issues,
                reform_items: &view.reform_items,
                issues: &view.issues,
                revisions: &[],
                warnings: &[],
            };
            tables::write_content(&mut sink, &ctx, &content, &ws).map_err(io)?;
            write_series(&mut sink, &ctx, &wy.ward, wy.fiscal_year, view, &linked).map_err(io)?;
        }
    }
    for p in &unassigned {
        let d: Document = read_data(p)?;
        write_document(&mut sink, &d, d.ward.as_ref(), d.fiscal_year, &paths, &NoSeries).map_err(io)?;
    }
    sink.finish()
}

fn write_document(
    sink: &mut AnySink,
    d: &Document,
    ward: Option<&Ward>,
    year: Option<i32>,
    paths: &HashMap<String, Vec<String>>,
    series: &dyn SeriesOf,
) -> std::io::Result<()> {
    let ctx = Context {
        ward_code: ward.map(|w| w.code.clone()),
        ward_name: ward.map(|w| w.name.clone()),
        fiscal_year: year,
        document_kind: d.kind.as_str().to_string(),
        document_sha256: d.source.sha256.clone(),
    };
    let empty = Vec::new();
    let p = paths.get(&d.source.sha256).unwrap_or(&empty);
    tables::write_document_row(
        sink,
        &ctx,
        Some(d.source.format.as_str()),
        &d.title,
        p,
        d.warnings.len(),
        Some(&d.coverage),
    )?;
    let content = Content {
        key_issues: &d.key_issues,
        reform_items: &d.reform_items,
        issues: &d.issues,
        revisions: &d.revisions,
        warnings: &d.warnings,
    };
    tables::write_content(sink, &ctx, &content, series)
}

/// One `series` row per item of the ward and year.
fn write_series(
    sink: &mut AnySink,
    ctx: &Context,
    ward: &Ward,
    year: i32,
    view: &ViewIn,
    linked: &BTreeMap<String, WardSeries>,
) -> std::io::Result<()> {
    let Some(ws) = linked.get(&ward.code) else {
        return Ok(());
    };
    for (entity, list) in series::items_of(&view.key_issues, &view.issues) {
        for it in list {
            let Some(l) = ws.get(entity, year, &it.id) else {
                continue;
            };
            let mut row = vec![
                Cell::from(&ctx.ward_code),
                Cell::from(&ctx.ward_name),
                Cell::from(ctx.fiscal_year),
                Cell::from(&ctx.document_kind),
                Cell::from(&ctx.document_sha256),
            ];
            row.extend([
                Cell::from(&l.series_id),
                Cell::from(entity),
                Cell::from(&it.id),
                Cell::from(&l.title),
                Cell::from(l.link),
                Cell::from(l.similarity),
            ]);
            sink.row(tables::table_index("series"), row)?;
        }
    }
    Ok(())
}
