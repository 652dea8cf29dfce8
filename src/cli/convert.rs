//! `yoshiki convert INPUT... -o OUT [--jobs N] [--ward W] [--year Y] [--shard K/N] [--min-coverage X]`

use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::batch::{self, Config, RunError, inputs::Shard};
use crate::parse::Options;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Files and directories (searched recursively). The format of each file
    /// is decided by its bytes, not its name.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The output directory: OUT/<ward code>/<fiscal year>.json, OUT/unassigned/, OUT/manifest.json.
    #[arg(short, long, value_name = "OUT")]
    out: PathBuf,
    /// Files converted at once (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// The ward of every input, overriding the content: code (271071), name (港区) or romaji (minato).
    #[arg(long, value_parser = super::ward_arg)]
    ward: Option<crate::model::Ward>,
    /// The fiscal year of every input (the Gregorian year it starts in), overriding the content.
    #[arg(long)]
    year: Option<i32>,
    /// Convert only the K-th of N shares of the inputs (1-based), for array jobs; combine the N outputs with `yoshiki merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Warn (code low_coverage in the manifest) about each document whose coverage — the share of its content the model holds — is below X (0 to 1).
    #[arg(long, value_name = "X", value_parser = coverage_arg)]
    min_coverage: Option<f64>,
    /// Also write a readable report of each ward-year, OUT/<ward code>/<fiscal year>.html (see `yoshiki inspect`).
    #[arg(long)]
    report: bool,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// `--min-coverage`: a share, 0 to 1.
fn coverage_arg(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err("a share of the content between 0 and 1 (0.98: 98 % of a document's content in fields)".to_string()),
    }
}

/// A run's end, shared with `merge`: the summary line (always), the exit code.
pub(super) fn report(r: Result<batch::Summary, RunError>) -> i32 {
    match r {
        Ok(s) => {
            eprintln!("yoshiki: {s}");
            if let Some(line) = s.lowest_line() {
                eprintln!("yoshiki: {line}");
            }
            if s.errors > 0 { EXIT_INPUT } else { EXIT_OK }
        }
        Err(RunError::Usage(m)) => {
            eprintln!("yoshiki: {m}");
            EXIT_USAGE
        }
        Err(RunError::Failed(m)) => {
            eprintln!("yoshiki: {m}");
            EXIT_INPUT
        }
    }
}

pub fn run(a: Args) -> i32 {
    let cfg = Config {
        inputs: a.inputs,
        out: a.out,
        jobs: a.jobs.map_or(0, usize::from),
        shard: a.shard,
        options: Options {
            ward: a.ward,
            year: a.year,
            limits: a.limits.limits(),
        },
        progress: true,
        min_coverage: a.min_coverage,
    };
    // Each parse in a worker process (this binary), where a timeout or the
    // memory budget can end it; in this process only if the binary cannot
    // be found again.
    let parsing = match std::env::current_exe() {
        Ok(program) => batch::Parsing::Workers { program },
        Err(e) => {
            eprintln!("yoshiki: warning: cannot find this program to start workers ({e}); parsing in one process");
            let opts = cfg.options.clone();
            batch::Parsing::InProcess(std::sync::Arc::new(move |bytes: &[u8], path: &str| {
                crate::parse::parse_bytes(bytes, path, &opts)
            }))
        }
    };
    let out = cfg.out.clone();
    let code = report(batch::convert(&cfg, &parsing));
    if a.report && code != super::EXIT_USAGE {
        match crate::report::ward_year_reports(&out) {
            Ok((written, removed)) => eprintln!("yoshiki: reports: {written} written, {removed} removed"),
            Err(e) => {
                eprintln!("yoshiki: {}: cannot write the reports: {e}", out.display());
                return EXIT_INPUT;
            }
        }
    }
    code
}
