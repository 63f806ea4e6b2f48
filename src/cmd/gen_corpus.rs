//! `pressbook gen-corpus` (hidden): a synthetic digest for benchmarks.

use std::path::PathBuf;

use pressbook::Error;

/// Write a synthetic corpus of N articles (for benchmarks).
#[derive(clap::Args)]
pub struct Args {
    dir: PathBuf,
    #[arg(long, short, default_value_t = 100)]
    articles: usize,
}

pub fn run(a: Args) -> Result<(), Error> {
    Ok(pressbook::corpus::generate(&a.dir, a.articles)?)
}
