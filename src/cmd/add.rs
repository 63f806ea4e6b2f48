//! `pressbook add`: web pages saved as articles of the digest.

use std::path::PathBuf;

use pressbook::collect::{sources, Event, Run};
use pressbook::diag::Sink;
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
    let mut c = super::fetch::open_collector(&dir, a.timeout)?;
    let run = Run {
        dry_run: false,
        section: a.section.clone(),
    };
    let mut sink = Sink::new();
    let mut failed = 0;
    for s in &sources {
        let mut source = match sources::from_arg(s, a.url.as_deref()) {
            Ok(source) => source,
            Err(e) => {
                failed += 1;
                pressbook::say_err!("error: {:#}", anyhow::Error::from(e));
                continue;
            }
        };
        let events = c.collect(source.as_mut(), &run, &mut sink, &mut |e| print_event(s, e));
        failed += events.iter().filter(|e| e.failed()).count();
    }
    // A picture left out is a warning, already printed with the reason:
    // the article is saved without it (a hostile page's pictures must not
    // make the run fail), and `build` uses what was saved.
    if failed > 0 {
        return Err(anyhow::anyhow!(
            "{failed} source(s) of {} could not be added; the others were saved",
            sources.len()
        )
        .into());
    }
    Ok(())
}

/// What happened to the page named `s`, as it happens.
fn print_event(s: &str, e: &Event) {
    match e {
        Event::Added { file, title, .. } => pressbook::say!("added {file}: {title}"),
        Event::Known { file, .. } => {
            pressbook::say!("skipped {s}: already in the digest as {file}")
        }
        Event::Failed { why, .. } => pressbook::say_err!("error: {why}"),
        Event::Warning(d) => pressbook::term::print_diagnostics(std::slice::from_ref(d)),
        // Pages a person names are neither dry-run, robots-checked nor
        // conditional.
        Event::WouldAdd { .. } | Event::Unchanged { .. } | Event::Skipped { .. } => {}
    }
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
