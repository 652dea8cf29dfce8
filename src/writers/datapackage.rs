//! `datapackage.json`: a Frictionless Data Package (Tabular Data Package,
//! v1 profiles, which every Frictionless tool reads) describing the files
//! an export wrote: one resource per table, each with its Table Schema —
//! every field's type, description, unit, whether it may be empty and its
//! fixed set of values — and the primary and foreign keys.
//!
//! Written from [`TABLES`](super::tables::TABLES), less what the rows did
//! not bear out ([`keys`](super::keys)), so that the package validates
//! (`frictionless validate datapackage.json`). The licence and the source
//! are the publisher's to fill (`export --license`, `--source`, or by
//! hand): until then the licence is `notspecified` (the Open Definition's
//! "License not specified", which validates) and the source's path empty.
//! The tables' layout version is `yoshiki.tables`.

use super::keys::TableReport;
use super::tables::{TABLES, TABLES_SCHEMA, TableDef};
use serde::Serialize;

/// The file format a package describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv { bom: bool },
    Ndjson,
    Parquet,
}

impl FileFormat {
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv { .. } => "csv",
            FileFormat::Ndjson => "ndjson",
            FileFormat::Parquet => "parquet",
        }
    }
    fn mediatype(self) -> &'static str {
        match self {
            FileFormat::Csv { .. } => "text/csv",
            FileFormat::Ndjson => "application/x-ndjson",
            FileFormat::Parquet => "application/vnd.apache.parquet",
        }
    }
}

#[derive(Serialize)]
struct Package {
    profile: &'static str,
    name: &'static str,
    title: &'static str,
    description: &'static str,
    /// For the publisher to fill.
    licenses: Vec<License>,
    /// For the publisher to fill.
    sources: Vec<Source>,
    yoshiki: Generator,
    resources: Vec<Resource>,
}

#[derive(Serialize)]
struct License {
    name: String,
    title: String,
}

#[derive(Serialize)]
struct Source {
    title: &'static str,
    path: String,
}

/// What only the publisher can say.
#[derive(Debug, Clone, Default)]
pub struct Publisher {
    /// An Open Definition / SPDX licence id (`CC-BY-4.0`).
    pub license: Option<String>,
    /// Where the releases were published (a URL).
    pub source: Option<String>,
}

#[derive(Serialize)]
struct Generator {
    /// The tables' layout version.
    tables: &'static str,
    generator: String,
}

#[derive(Serialize)]
struct Resource {
    profile: &'static str,
    name: &'static str,
    path: String,
    description: &'static str,
    format: &'static str,
    mediatype: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dialect: Option<Dialect>,
    schema: Schema,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dialect {
    delimiter: &'static str,
    line_terminator: &'static str,
    quote_char: &'static str,
    double_quote: bool,
    header: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Schema {
    fields: Vec<Field>,
    missing_values: [&'static str; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    primary_key: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    foreign_keys: Vec<ForeignKey>,
}

#[derive(Serialize)]
struct Field {
    name: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'static str>,
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    constraints: Constraints,
}

#[derive(Serialize, Default)]
struct Constraints {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    #[serde(rename = "enum", skip_serializing_if = "<[_]>::is_empty")]
    values: &'static [&'static str],
}

impl Constraints {
    fn is_empty(&self) -> bool {
        !self.required && self.values.is_empty()
    }
}

#[derive(Serialize)]
struct ForeignKey {
    fields: Vec<&'static str>,
    reference: Reference,
}

#[derive(Serialize)]
struct Reference {
    resource: &'static str,
    fields: Vec<&'static str>,
}

fn resource(def: &TableDef, report: Option<&TableReport>, format: FileFormat, written: &[usize]) -> Resource {
    let fields = def
        .all_columns()
        .enumerate()
        .map(|(i, c)| {
            let holds = |v: Option<&Vec<bool>>| v.and_then(|v| v.get(i).copied()).unwrap_or(false);
            Field {
                name: c.name,
                ty: c.ty.table_schema(),
                description: c.about,
                unit: c.unit(),
                constraints: Constraints {
                    required: c.required && holds(report.map(|r| &r.never_empty)),
                    values: if holds(report.map(|r| &r.within_values)) {
                        c.values
                    } else {
                        &[]
                    },
                },
            }
        })
        .collect();
    let primary_key = if report.is_some_and(|r| r.primary_key) {
        def.primary_key()
    } else {
        Vec::new()
    };
    let foreign_keys = def
        .foreign_keys()
        .into_iter()
        .enumerate()
        .filter(|(k, (_, target, _))| {
            let exported = TABLES
                .iter()
                .position(|t| t.name == *target)
                .is_some_and(|ti| written.contains(&ti));
            exported && report.and_then(|r| r.foreign_keys.get(*k).copied()).unwrap_or(false)
        })
        .map(|(_, (fields, target, theirs))| ForeignKey {
            fields,
            reference: Reference {
                resource: target,
                fields: theirs,
            },
        })
        .collect();
    let (encoding, dialect) = match format {
        FileFormat::Csv { bom } => (
            Some(if bom { "utf-8-sig" } else { "utf-8" }),
            Some(Dialect {
                delimiter: ",",
                line_terminator: "\n",
                quote_char: "\"",
                double_quote: true,
                header: true,
            }),
        ),
        FileFormat::Ndjson => (Some("utf-8"), None),
        FileFormat::Parquet => (None, None),
    };
    Resource {
        profile: "tabular-data-resource",
        name: def.name,
        path: format!("{}.{}", def.name, format.extension()),
        description: def.about,
        format: format.extension(),
        mediatype: format.mediatype(),
        encoding,
        dialect,
        schema: Schema {
            fields,
            missing_values: [""],
            primary_key,
            foreign_keys,
        },
    }
}

/// The package of the tables `written` (indices into `TABLES`), as
/// canonical JSON (two-space indent, final newline).
pub fn package(written: &[usize], reports: &[TableReport], format: FileFormat, publisher: &Publisher) -> String {
    let resources = written
        .iter()
        .filter_map(|&i| Some(resource(TABLES.get(i)?, reports.get(i), format, written)))
        .collect();
    let p = Package {
        profile: "tabular-data-package",
        name: "osaka-ward-plans",
        title: "Osaka City ward plans (区運営方針), as tables",
        description: "The planning forms (様式) Osaka City's wards publish every year, converted by yoshiki: \
                      key issues, strategies, initiatives with their budgets, indicators with their values and \
                      targets, reviews, revisions, and each item's series across fiscal years. Every row names \
                      its ward, fiscal year and the document it was read from; rows of `document_kind` \
                      `plan_view` are the merged view of a ward and year.",
        licenses: vec![match &publisher.license {
            Some(l) => License {
                name: l.clone(),
                title: l.clone(),
            },
            None => License {
                name: "notspecified".to_string(),
                title: "License not specified: for the publisher to fill in (yoshiki export --license)".to_string(),
            },
        }],
        sources: vec![Source {
            title: "Osaka City wards' planning forms (区運営方針 様式), as published",
            path: publisher.source.clone().unwrap_or_default(),
        }],
        yoshiki: Generator {
            tables: TABLES_SCHEMA,
            generator: format!("yoshiki {}", env!("CARGO_PKG_VERSION")),
        },
        resources,
    };
    let mut s = serde_json::to_string_pretty(&p).unwrap_or_default();
    s.push('\n');
    s
}
