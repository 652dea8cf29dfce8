//! `yoshiki export OUT --format csv|ndjson|parquet|sqlite -o DEST [--bom]
//! [--table NAME]`: flat tables from a converted tree (`yoshiki convert`'s
//! OUT); `--table NAME -o -` writes one table to stdout (NDJSON unless
//! `--format csv`).
//!
//! Two passes over the tree, one ward-year file in memory at a time: the
//! first links each ward's items across its years (series), the second
//! writes the rows. Every row also goes through the key checker, so that
//! `datapackage.json` (written beside CSV, NDJSON and Parquet files)
//! declares only keys and constraints that hold; then export says what it
//! wrote.

use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::batch::manifest::Manifest;
use crate::model::{Document, Issue, KeyIssue, ReformItem, Ward};
use crate::writers::datapackage::{self, FileFormat, Publisher};
use crate::writers::keys::Checker;
use crate::writers::out::Target;
use crate::writers::series::{self, Item, WardSeries};
use crate::writers::tables::{self, Cell, Content, Context, SeriesOf, Sink, TABLES};
use crate::writers::{csv::CsvSink, ndjson::NdjsonSink, parquet::ParquetSink, sqlite::SqliteSink};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Fmt {
    Csv,
    Ndjson,
    Parquet,
    Sqlite,
}

#[derive(clap::Args)]
pub struct Args {
    /// The folder `yoshiki convert` wrote.
    out: PathBuf,
    /// csv, ndjson and parquet write one file a table into DEST, with datapackage.json;
    /// sqlite writes the database file DEST. (Default with `-o -`: ndjson.)
    #[arg(long, value_enum)]
    format: Option<Fmt>,
    /// Where to write; `-` for stdout (one table: needs --table).
    #[arg(short = 'o', long = "output")]
    dest: PathBuf,
    /// Export this table only (csv, ndjson, parquet).
    #[arg(long, value_name = "NAME")]
    table: Option<String>,
    /// CSV: start each file with a UTF-8 byte-order mark (for spreadsheet programs).
    #[arg(long)]
    bom: bool,
    /// datapackage.json: the data's licence, an SPDX id such as CC-BY-4.0 (default: notspecified).
    #[arg(long, value_name = "ID")]
    license: Option<String>,
    /// datapackage.json: where the releases were published (a URL).
    #[arg(long, value_name = "URL")]
    source: Option<String>,
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

enum Writer {
    Csv(CsvSink),
    Ndjson(NdjsonSink),
    Parquet(ParquetSink),
    Sqlite(SqliteSink),
}

/// The writer, with every row also counted and checked against the keys.
struct AnySink {
    writer: Writer,
    check: Checker,
}

impl Sink for AnySink {
    fn row(&mut self, table: usize, row: Vec<Cell>) -> std::io::Result<()> {
        self.check.row(table, &row);
        match &mut self.writer {
            Writer::Csv(s) => s.row(table, row),
            Writer::Ndjson(s) => s.row(table, row),
            Writer::Parquet(s) => s.row(table, row),
            Writer::Sqlite(s) => s.row(table, row),
        }
    }
}

impl Writer {
    fn finish(self) -> Result<(), String> {
        match self {
            Writer::Csv(s) => s.finish().map_err(|e| e.to_string()),
            Writer::Ndjson(s) => s.finish().map_err(|e| e.to_string()),
            Writer::Parquet(s) => s.finish().map_err(|e| e.to_string()),
            Writer::Sqlite(s) => s.finish(),
        }
    }
}

/// What the arguments ask for, checked.
struct Plan {
    format: Fmt,
    target: Target,
    /// Indices into `TABLES`.
    tables: Vec<usize>,
}

fn plan(a: &Args) -> Result<Plan, String> {
    let stdout = a.dest.as_os_str() == "-";
    let format = match (a.format, stdout) {
        (Some(f), _) => f,
        (None, true) => Fmt::Ndjson,
        (None, false) => return Err("--format csv|ndjson|parquet|sqlite is needed".to_string()),
    };
    let tables = match &a.table {
        None => (0..TABLES.len()).collect(),
        Some(name) => match TABLES.iter().position(|t| t.name == *name) {
            Some(i) => vec![i],
            None => {
                let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
                return Err(format!("--table {name}: no such table (tables: {})", names.join(", ")));
            }
        },
    };
    if a.table.is_some() && format == Fmt::Sqlite {
        return Err("--table: the SQLite export always holds every table (its views join them)".to_string());
    }
    if stdout {
        if a.table.is_none() {
            return Err("-o -: stdout takes one table; name it with --table NAME".to_string());
        }
        if !matches!(format, Fmt::Ndjson | Fmt::Csv) {
            return Err("-o -: stdout takes ndjson or csv".to_string());
        }
    }
    let target = if stdout {
        Target::Stdout
    } else {
        Target::Dir(a.dest.clone())
    };
    Ok(Plan { format, target, tables })
}

pub fn run(a: Args) -> i32 {
    let plan = match plan(&a) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("yoshiki: export: {e}");
            return EXIT_USAGE;
        }
    };
    if !a.out.join("manifest.json").is_file() {
        eprintln!(
            "yoshiki: {}: not a converted tree (no manifest.json); run `yoshiki convert … -o {}` first",
            a.out.display(),
            a.out.display()
        );
        return EXIT_USAGE;
    }
    match export(&a, &plan) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("yoshiki: export: {e}");
            EXIT_INPUT
        }
    }
}

fn export(a: &Args, plan: &Plan) -> Result<(), String> {
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
    let io = |e: std::io::Error| format!("{}: {e}", a.dest.display());
    if let Target::Dir(d) = &plan.target
        && plan.format != Fmt::Sqlite
    {
        std::fs::create_dir_all(d).map_err(io)?;
    }
    let writer = match plan.format {
        Fmt::Csv => Writer::Csv(CsvSink::create(&plan.target, &plan.tables, a.bom).map_err(io)?),
        Fmt::Ndjson => Writer::Ndjson(NdjsonSink::create(&plan.target, &plan.tables).map_err(io)?),
        Fmt::Parquet => Writer::Parquet(ParquetSink::create(&plan.target, &plan.tables).map_err(io)?),
        Fmt::Sqlite => Writer::Sqlite(SqliteSink::create(&a.dest).map_err(|e| format!("{}: {e}", a.dest.display()))?),
    };
    let mut sink = AnySink {
        writer,
        check: Checker::new(),
    };
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
    let AnySink { writer, check } = sink;
    writer.finish()?;
    finish(a, plan, check)
}

/// The data package beside the files, and what was written, on stderr.
fn finish(a: &Args, plan: &Plan, check: Checker) -> Result<(), String> {
    let file_format = match plan.format {
        Fmt::Csv => Some(FileFormat::Csv { bom: a.bom }),
        Fmt::Ndjson => Some(FileFormat::Ndjson),
        Fmt::Parquet => Some(FileFormat::Parquet),
        Fmt::Sqlite => None,
    };
    let rows: Vec<u64> = plan.tables.iter().map(|&i| check.rows(i)).collect();
    let reports = check.report();
    let mut package = None;
    if let (Target::Dir(dir), Some(ff)) = (&plan.target, file_format) {
        let publisher = Publisher {
            license: a.license.clone(),
            source: a.source.clone(),
        };
        let text = datapackage::package(&plan.tables, &reports, ff, &publisher);
        let path = dir.join("datapackage.json");
        let tmp = dir.join(".datapackage.json.tmp");
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        package = Some(path);
    }
    let total: u64 = rows.iter().sum();
    let dest = match &plan.target {
        Target::Stdout => "stdout".to_string(),
        Target::Dir(d) => d.display().to_string(),
    };
    let format = format!("{:?}", plan.format).to_lowercase();
    let n = plan.tables.len();
    eprintln!(
        "yoshiki: export: {n} {} ({format}), {total} rows, to {dest}",
        if n == 1 { "table" } else { "tables" }
    );
    for (&i, r) in plan.tables.iter().zip(&rows) {
        if let Some(t) = TABLES.get(i) {
            eprintln!("  {:<18} {r:>9} rows", t.name);
        }
    }
    if let Some(p) = package {
        eprintln!("  {} (data package: types, keys, descriptions)", p.display());
        // What the package leaves out, because the rows did not bear it out.
        for note in plan
            .tables
            .iter()
            .filter_map(|&i| reports.get(i))
            .flat_map(|r| &r.notes)
        {
            eprintln!("yoshiki: export: datapackage.json: {note}");
        }
    }
    Ok(())
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
