//! The data dictionary, `docs/tables.md`: every table and column of the
//! exports, with types, units, keys and descriptions, made from
//! [`TABLES`](super::tables::TABLES) — the definitions every writer and the
//! data package use — so it cannot say something the files do not.
//! `tests/export.rs` fails when the committed file differs from this.

use super::tables::{COMMON, Column, TABLES, TABLES_SCHEMA, Type};
use std::fmt::Write;

const TYPES: [Type; 5] = [Type::Text, Type::Year, Type::Int, Type::Yen, Type::Real];

/// How each type is written and read: Parquet, Table Schema, SQLite,
/// pandas, polars, DuckDB.
fn type_row(t: Type) -> [&'static str; 7] {
    match t {
        Type::Text => [
            "text",
            "BYTE_ARRAY (STRING), dictionary-encoded",
            "string",
            "TEXT",
            "str",
            "String",
            "VARCHAR",
        ],
        Type::Year => [
            "year",
            "INT32 (INT(32, signed))",
            "year",
            "INTEGER",
            "Int32",
            "Int32",
            "INTEGER",
        ],
        Type::Int => ["integer", "INT64", "integer", "INTEGER", "Int64", "Int64", "BIGINT"],
        Type::Yen => [
            "yen",
            "INT64",
            "integer, unit JPY",
            "INTEGER",
            "Int64",
            "Int64",
            "BIGINT",
        ],
        Type::Real => ["number", "DOUBLE", "number", "REAL", "float64", "Float64", "DOUBLE"],
    }
}

fn short(t: Type) -> &'static str {
    type_row(t)[0]
}

fn escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn column_row(out: &mut String, c: &Column) {
    let mut notes = Vec::new();
    if c.required {
        notes.push("never empty".to_string());
    }
    if let Some(u) = c.unit() {
        notes.push(format!("unit {u}"));
    }
    if !c.values.is_empty() {
        notes.push(format!("one of `{}`", c.values.join("`, `")));
    }
    let _ = writeln!(
        out,
        "| `{}` | {} | {} | {} |",
        c.name,
        short(c.ty),
        escape(c.about),
        notes.join("; ")
    );
}

/// The whole of `docs/tables.md`.
pub fn markdown() -> String {
    let mut o = String::new();
    o.push_str("# The tables\n\n");
    o.push_str(
        "<!-- Generated from src/writers/tables.rs (src/writers/dictionary.rs); do not edit by hand.\n     \
         Regenerate: YOSHIKI_UPDATE_DOCS=1 cargo test --test export data_dictionary -->\n\n",
    );
    let _ = writeln!(
        o,
        "What `yoshiki export` writes (layout `{TABLES_SCHEMA}`): {} tables, one file each \
         (`<table>.csv`, `.ndjson` or `.parquet`, with `datapackage.json` beside them) or one \
         table each in the SQLite file. Every row starts with the five common columns below; \
         rows of `document_kind` `plan_view` are the merged view of a ward and year, one value \
         per item: filter on it for one row per item and year.\n",
        TABLES.len()
    );
    o.push_str("An empty cell is null (CSV cannot tell an empty text from a missing one, so no export does).\n\n");
    o.push_str("## Types\n\n");
    o.push_str("| type | Parquet | Table Schema | SQLite | pandas | polars | DuckDB |\n");
    o.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for t in TYPES {
        let _ = writeln!(o, "| {} |", type_row(t).join(" | "));
    }
    o.push_str(
        "\nParquet files load with these types as they are (pandas through the `pandas` schema \
         metadata the files carry); CSV and NDJSON load with them through `datapackage.json` \
         (see README, Loading the data).\n\n",
    );
    o.push_str(
        "Keys: every table's rows belong to one document or merged view, named by \
         (`document_sha256`, `document_kind`), a row of `documents`. A table's primary key is \
         those two columns and its own key columns; a foreign key refers to the row of another \
         table of the same document. `datapackage.json` declares a key, a column's \
         \"never empty\" and its set of values only where the rows exported bear them out \
         (and `export` says which did not).\n\n",
    );
    o.push_str("## Common columns\n\n| column | type | description | constraints |\n| --- | --- | --- | --- |\n");
    for c in &COMMON {
        column_row(&mut o, c);
    }
    for t in TABLES {
        let _ = writeln!(o, "\n## `{}`\n\n{}.\n", t.name, t.about);
        let pk = t.primary_key();
        if pk.is_empty() {
            o.push_str("- Primary key: none (its rows have no key of their own).\n");
        } else {
            let _ = writeln!(o, "- Primary key: ({}).", pk.join(", "));
        }
        for (cols, target, theirs) in t.foreign_keys() {
            let _ = writeln!(
                o,
                "- Foreign key: ({}) → `{target}` ({}).",
                cols.join(", "),
                theirs.join(", ")
            );
        }
        o.push_str("\n| column | type | description | constraints |\n| --- | --- | --- | --- |\n");
        o.push_str("| *the five common columns* | | | |\n");
        for c in t.columns {
            column_row(&mut o, c);
        }
    }
    o
}
