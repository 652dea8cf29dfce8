//! `yoshiki parse FILE [--ward W] [--year Y]`

use super::{EXIT_INPUT, EXIT_OK};
use crate::parse::{Options, parse_file};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The file: a text release, a workbook (xlsx/xls/ods), a PDF or a saved web page (html, mhtml).
    file: PathBuf,
    /// The ward, when the content does not say: code (271071), name (港区) or romaji (minato).
    #[arg(long, value_parser = super::ward_arg)]
    ward: Option<crate::model::Ward>,
    /// The fiscal year (Gregorian year it starts in), when the content does not say.
    #[arg(long)]
    year: Option<i32>,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

pub fn run(a: Args) -> i32 {
    let opts = Options {
        ward: a.ward,
        year: a.year,
        limits: a.limits.limits(),
    };
    match parse_file(&a.file, &opts) {
        Ok(doc) => {
            let json = crate::writers::json::document_to_string(&doc);
            let mut out = std::io::stdout().lock();
            if writeln!(out, "{json}").is_err() {
                return EXIT_INPUT;
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("yoshiki: {}: {e}", a.file.display());
            EXIT_INPUT
        }
    }
}
