//! `pressbook fetch`: new items of the manifest's `[[feeds]]` saved as
//! articles.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use pressbook::collect::{self, http::NetOptions, Collector, Event, FetchOptions};
use pressbook::diag::Sink;
use pressbook::manifest::{self, Manifest};
use pressbook::Error;

/// Read the feeds listed in pressbook.toml and save their new items as
/// articles.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dir: super::DirArg,
    /// Skip items published before this day (YYYY-MM-DD) [default: seven
    /// days before the digest's date].
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    since: Option<NaiveDate>,
    /// Seconds to wait for each request.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    timeout: u64,
    /// List what would be added; write nothing.
    #[arg(long)]
    dry_run: bool,
}

fn parse_day(s: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::Usage(format!("{s:?} is not a date; write it as YYYY-MM-DD")))
}

/// The digest's manifest, or every problem that keeps it from being read.
fn manifest(dir: &Path) -> Result<Manifest, Error> {
    let mut diags = Sink::new();
    match manifest::load(dir, true, &mut diags) {
        Some(m) if !diags.has_errors() => Ok(m),
        _ => Err(Error::Problems(diags.into_vec())),
    }
}

/// Network options, with the manifest's `user_agent` when it has one.
pub fn net_options(dir: &Path, timeout: u64) -> Result<NetOptions, Error> {
    let mut net = NetOptions {
        timeout: Duration::from_secs(timeout.max(1)),
        ..Default::default()
    };
    if let Some(ua) = manifest(dir)?.user_agent {
        net.user_agent = ua;
    }
    Ok(net)
}

/// The collector of the digest at `dir`, with the manifest's `user_agent`
/// and `[images]` picture limits.
pub fn open_collector(dir: &Path, timeout: u64) -> Result<Collector, Error> {
    let mut c = Collector::open(dir, net_options(dir, timeout)?).map_err(anyhow::Error::from)?;
    c.pictures = collect::images::Quota::new(manifest(dir)?.images.quota);
    Ok(c)
}

pub fn run(a: Args) -> Result<(), Error> {
    let dir: PathBuf = a.dir.dir;
    let settings = manifest(&dir)?;
    if settings.feeds.is_empty() {
        return Err(anyhow::anyhow!(
            "{} lists no [[feeds]]; add one, e.g.\n\n[[feeds]]\nurl = \"https://example.org/feed.xml\"\nsection = \"News\"\nmax = 10",
            dir.join(pressbook::manifest::MANIFEST_NAME).display()
        )
        .into());
    }
    let date = settings.date.unwrap_or_else(super::today);
    let day = a.since.unwrap_or_else(|| date - chrono::Days::new(7));
    let since = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default());
    let mut c = open_collector(&dir, a.timeout)?;
    let opts = FetchOptions {
        since,
        dry_run: a.dry_run,
    };
    let mut sink = Sink::new();
    let events = collect::fetch(&mut c, &settings.feeds, &opts, &mut sink, &mut print_event);
    let warned = sink.len();
    pressbook::say!("{}", summary(&events, warned, a.dry_run));
    let failed = events.iter().filter(|e| e.failed()).count();
    if failed > 0 {
        return Err(
            anyhow::anyhow!("{failed} feed(s) or item(s) failed; the others came in").into(),
        );
    }
    // As for `add`: a picture left out is a warning (printed, and counted
    // in the summary line); the article came in without it.
    Ok(())
}

/// The closing line: what came in, what was known, what failed.
fn summary(events: &[Event], warned: usize, dry_run: bool) -> String {
    let count = |f: fn(&Event) -> bool| events.iter().filter(|e| f(e)).count();
    let known = count(|e| matches!(e, Event::Known { .. }));
    let skipped = count(|e| matches!(e, Event::Skipped { .. }));
    let robots = if skipped > 0 {
        format!(", {skipped} disallowed by robots.txt")
    } else {
        String::new()
    };
    if dry_run {
        let new = count(|e| matches!(e, Event::WouldAdd { .. }));
        return format!(
            "dry run: {new} new item(s), {known} already in the digest{robots}; nothing written"
        );
    }
    let added = count(|e| matches!(e, Event::Added { .. }));
    let failed = count(Event::failed);
    let warnings = if warned > 0 {
        format!(", {warned} warning(s)")
    } else {
        String::new()
    };
    format!(
        "fetched: {added} added, {known} already in the digest{robots}, {failed} failed{warnings}"
    )
}

fn print_event(e: &Event) {
    match e {
        Event::Added { file, title, .. } => pressbook::say!("added {file}: {title}"),
        Event::Known { file, url } => {
            pressbook::say!("skipped {url}: already in the digest as {file}")
        }
        Event::WouldAdd { title, url } => pressbook::say!("would add {title:?} from {url}"),
        Event::Unchanged { source } => pressbook::say!("{source} unchanged since the last fetch"),
        Event::Skipped { url, why } => pressbook::say!("skipped {url}: {why}"),
        Event::Failed { what, why } => {
            if why.contains(what.trim_start_matches("feed ")) {
                pressbook::say_err!("error: {why}");
            } else {
                pressbook::say_err!("error: {what}: {why}");
            }
        }
        Event::Warning(d) => pressbook::term::print_diagnostics(std::slice::from_ref(d)),
    }
}
