//! `yoshiki merge SHARD_OUT... -o OUT [--jobs N]`

use crate::batch;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The output directories of `yoshiki convert --shard K/N`, all N of them.
    #[arg(required = true, value_name = "SHARD_OUT")]
    shards: Vec<PathBuf>,
    /// The merged output: the tree and manifest one run over all the inputs gives.
    #[arg(short, long, value_name = "OUT")]
    out: PathBuf,
    /// Files handled at once (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
}

pub fn run(a: Args) -> i32 {
    let jobs = a.jobs.map_or(0, usize::from);
    super::convert::report(batch::merge(&a.shards, &a.out, jobs, true))
}
