//! The command line: one file per subcommand, a thin layer over the library.
//!
//! Exit codes (stable): 0 success; 1 an input could not be converted (the
//! others still are); 2 usage error.

mod convert;
mod dump;
mod export;
mod inspect;
mod limits;
mod merge;
mod parse;
mod validate;

use clap::{Parser, Subcommand};

pub const EXIT_OK: i32 = 0;
pub const EXIT_INPUT: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser)]
#[command(
    name = "yoshiki",
    version,
    about = "Osaka City ward planning forms (様式) to typed JSON"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse one file and print its Document JSON on stdout.
    Parse(parse::Args),
    /// Print a file's intermediate form (rows of cells with provenance), for debugging readers.
    Dump(dump::Args),
    /// Convert files and folders into OUT/<ward code>/<fiscal year>.json and OUT/manifest.json.
    Convert(convert::Args),
    /// Combine the outputs of `convert --shard K/N` into the tree one run gives.
    Merge(merge::Args),
    /// Flat tables (CSV, NDJSON or SQLite) from a converted tree.
    Export(export::Args),
    /// Check JSON files against the schemas; every violation with its JSON path.
    Validate(validate::Args),
    /// An HTML report of what was read from where: a release drawn with every value over it, or a ward-year as a page.
    Inspect(inspect::Args),
    /// (internal) A parse worker of `convert`, talking over stdin/stdout.
    #[command(name = "__worker", hide = true)]
    Worker,
}

/// `--ward`: a code (271071), a name (港区) or a romaji (minato).
fn ward_arg(s: &str) -> Result<crate::model::Ward, String> {
    crate::wards::lookup(s).ok_or_else(|| "not one of Osaka City's 24 wards (code, name or romaji)".to_string())
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Parse(a) => parse::run(a),
        Command::Dump(a) => dump::run(a),
        Command::Convert(a) => convert::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Export(a) => export::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Inspect(a) => inspect::run(a),
        Command::Worker => crate::batch::worker::serve(),
    }
}
