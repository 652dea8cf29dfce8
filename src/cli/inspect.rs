//! `yoshiki inspect FILE [-o report.html]`: an HTML report of what was
//! recognised where (a release), or of a ward-year (`OUT/<ward>/<year>.json`).
//! The report itself is `crate::report`.

use super::{EXIT_INPUT, EXIT_OK};
use crate::parse::Options;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// A release (text, workbook, PDF) or a ward-year file of a converted tree.
    file: PathBuf,
    /// Where to write the report (default: standard output).
    #[arg(short, long, value_name = "HTML")]
    out: Option<PathBuf>,
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
    let shown = a.file.display().to_string();
    let bytes = match std::fs::metadata(&a.file) {
        Ok(m) if m.len() > opts.limits.max_file_bytes => {
            let e = crate::Error::TooLarge {
                size: m.len(),
                limit: opts.limits.max_file_bytes,
            };
            eprintln!("yoshiki: {shown}: {e}");
            return EXIT_INPUT;
        }
        _ => match std::fs::read(&a.file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("yoshiki: {shown}: cannot read: {e}");
                return EXIT_INPUT;
            }
        },
    };
    let report = match crate::report::inspect_bytes(&bytes, &shown, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("yoshiki: {shown}: {e}");
            return EXIT_INPUT;
        }
    };
    let written = match a.out.as_deref() {
        None => std::io::stdout().lock().write_all(report.html.as_bytes()),
        Some(p) if p.as_os_str() == "-" => std::io::stdout().lock().write_all(report.html.as_bytes()),
        Some(p) => crate::report::write_atomic(p, report.html.as_bytes()),
    };
    if let Err(e) = written {
        let to = a
            .out
            .as_ref()
            .map_or("standard output".to_string(), |p| p.display().to_string());
        eprintln!("yoshiki: {to}: cannot write the report: {e}");
        return EXIT_INPUT;
    }
    match report.unrecognised {
        Some(why) => {
            eprintln!("yoshiki: {shown}: {why}; the report shows the layout only");
            EXIT_INPUT
        }
        None => EXIT_OK,
    }
}
