//! `pressbook add`: web pages saved as articles of the digest.

use std::path::PathBuf;

use pressbook::collect::{Added, Collector, Source};
use pressbook::Error;

/// Extract articles from web pages (URLs, saved .html files, - for
/// standard input) and save them in the digest, with their images, listed
/// in the manifest.
#[derive(clap::Args)]
pub struct Args {
    /// [DIR] SOURCE...: the digest folder (default: .), then the pages.
    #[arg(required = true, value_name = "SOURCE", num_args = 1..)]
    args: Vec<String>,
    /// The section to list the articles in (created if missing).
    #[arg(long, short)]
    section: Option<String>,
    /// The page's address, for a file or standard input.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Seconds to wait for each request.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    timeout: u64,
}

pub fn run(a: Args) -> Result<(), Error> {
    let (dir, sources) = split_dir(&a.args);
    let net = super::fetch::net_options(&dir, a.timeout)?;
    let mut c = Collector::open(&dir, net)?;
    let mut failed = 0;
    for s in &sources {
        let source = Source::parse(s);
        let before = c.warnings.len();
        match c.add(&source, a.url.as_deref(), a.section.as_deref()) {
            Ok(Added::Saved { file, title }) => println!("added {file}: {title}"),
            Ok(Added::Known { file }) => println!("skipped {s}: already in the digest as {file}"),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
        for w in c.warnings.drain(before..) {
            failed += 1;
            eprintln!("error: {w}");
        }
    }
    if failed > 0 {
        return Err(anyhow::anyhow!(
            "{failed} problem(s) while adding {} source(s); the others were saved",
            sources.len()
        )
        .into());
    }
    Ok(())
}

/// The first argument is the digest folder when it is one.
fn split_dir(args: &[String]) -> (PathBuf, Vec<String>) {
    match args.split_first() {
        Some((first, rest)) if !rest.is_empty() && PathBuf::from(first).is_dir() => {
            (PathBuf::from(first), rest.to_vec())
        }
        _ => (PathBuf::from("."), args.to_vec()),
    }
}
