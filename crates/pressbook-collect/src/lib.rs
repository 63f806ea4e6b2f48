//! Collecting articles from the web: `extract`, `add` and `fetch`.
//!
//! Everything here runs before the rest of the pipeline and ends in the
//! same files a person would write: `articles/<slug>.md` with front matter,
//! its images under `articles/images/<slug>/`, a line in the manifest. A
//! build reads those and never touches the network.
//!
//! Collecting is one line of steps, each a function from one type to the
//! next; every source feeds the same line:
//!
//! ```text
//! Source ─offer→ Item ─fetch→ Fetched ─extract→ Extracted ─clean→ Article
//!        ─images→ Illustrated ─save→ Saved
//! ```
//!
//! - [`source`]: the [`Source`] trait and the [`Item`]s a source offers;
//!   [`sources`]: a page's address, a saved page, a feed's new items
//!   ([`feeds`] reads RSS, Atom and JSON Feed)
//! - [`mod@fetch`]: the item's page over polite HTTP ([`http`]), as text
//!   ([`charset`])
//! - [`extract`]: the article and its metadata ([`meta`]) cut out of the page
//! - [`clean`]: the article as [`blocks`] ([`convert`]), chrome ([`chrome`])
//!   and repeated headlines removed
//! - [`images`]: its pictures downloaded
//! - [`save`]: pictures, the article file ([`markdown`]) and the manifest
//!   line written
//!
//! Between the steps, the [`Collector`] asks [`store`] whether the article
//! is known yet (under the keys each step learns), asks [`robots`] before a
//! robot fetches a page, and reports each item as an [`Event`]; problems
//! that do not stop an article go to the run's [`Sink`].

pub mod blocks;
pub mod charset;
pub mod chrome;
pub mod clean;
pub mod convert;
pub mod error;
pub mod extract;
pub mod feeds;
pub mod fetch;
pub mod guard;
pub mod http;
pub mod images;
pub mod markdown;
pub mod meta;
pub mod robots;
pub mod run;
pub mod save;
pub mod source;
pub mod sources;
pub mod store;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use pressbook_model::diag::{Diagnostic, Sink};
pub use pressbook_model::manifest::FeedPlan;

pub use clean::Article;
pub use error::Error;
pub use run::{Event, Run};
pub use source::{Item, Offer, Source};
pub use store::Keys;

use error::chain;
use http::{Http, NetOptions};
use robots::{RobotsCache, Verdict};
use run::Report;
use save::Saved;
use source::{Body, Cx};
use store::State;

/// How an item's way down the line ended.
enum Outcome {
    Saved(Saved),
    /// Already in the digest, as this file.
    Known(String),
}

/// Adds articles to one digest folder, remembering what it has.
pub struct Collector {
    pub dir: PathBuf,
    pub http: Http,
    pub state: State,
    /// robots.txt of each host `fetch` reads pages from.
    pub robots: RobotsCache,
    /// The pictures this run may still download (`[images]` limits).
    pub pictures: images::Quota,
}

impl Collector {
    /// The collector of the digest at `dir`, which must have a manifest,
    /// with what earlier runs saved.
    pub fn open(dir: &Path, net: NetOptions) -> Result<Collector, Error> {
        let manifest = dir.join(pressbook_model::manifest::MANIFEST_NAME);
        if !manifest.is_file() {
            return Err(Error::NoDigest {
                manifest,
                dir: dir.to_path_buf(),
            });
        }
        Ok(Collector {
            dir: dir.to_path_buf(),
            http: Http::new(net),
            state: State::load(dir).map_err(Error::State)?,
            robots: RobotsCache::default(),
            pictures: images::Quota::default(),
        })
    }

    /// Takes every item `source` offers down the line. Each item is
    /// reported as it is done; a failed item does not stop the others.
    pub fn collect(
        &mut self,
        source: &mut dyn Source,
        run: &Run,
        sink: &mut Sink,
        report: &mut dyn FnMut(&Event),
    ) -> Vec<Event> {
        let mut out = Report {
            list: Vec::new(),
            show: report,
        };
        let mut cx = Cx {
            http: &mut self.http,
            state: &self.state,
        };
        let items = match source.offer(&mut cx) {
            Ok(Offer::Items(items)) => items,
            Ok(Offer::Unchanged) => {
                out.emit(Event::Unchanged {
                    source: source.name(),
                });
                return out.list;
            }
            Err(e) => {
                out.emit(Event::Failed {
                    what: source.name(),
                    why: chain(&e),
                });
                return out.list;
            }
        };
        let mut all_ok = true;
        for item in items {
            let before = sink.len();
            let event = self.take(item, run, sink);
            all_ok &= !event.failed();
            out.emit(event);
            out.warnings(sink, before);
        }
        if !run.dry_run && source.remember(&mut self.state, all_ok) {
            let before = sink.len();
            self.save_state(sink);
            out.warnings(sink, before);
        }
        out.list
    }

    /// One item: known, disallowed by robots.txt, would be added, or taken
    /// down the line.
    fn take(&mut self, item: Item, run: &Run, sink: &mut Sink) -> Event {
        let shown = item.shown.clone();
        if let Some(file) = self.state.find(&item.keys) {
            return Event::Known { file, url: shown };
        }
        if let Some(refused) = self.ask_robots(&item) {
            return refused;
        }
        if run.dry_run {
            return Event::WouldAdd {
                title: item.hints.title.clone().unwrap_or_default(),
                url: shown,
            };
        }
        match self.line(item, run, sink) {
            Ok(Outcome::Saved(saved)) => Event::Added {
                file: saved.file,
                title: saved.title,
                url: shown,
            },
            Ok(Outcome::Known(file)) => Event::Known { file, url: shown },
            Err(e) => Event::Failed {
                what: shown,
                why: chain(&e),
            },
        }
    }

    /// The steps from fetching to saving, asking the store again whenever
    /// a step learns another key of the article.
    fn line(&mut self, item: Item, run: &Run, sink: &mut Sink) -> Result<Outcome, Error> {
        let mut keys = item.keys;
        let fetched = fetch::fetch(&mut self.http, item.body)?;
        keys.addresses.extend_from_slice(fetched.addresses());
        if let Some(file) = self.state.find(&keys) {
            return Ok(Outcome::Known(file));
        }
        let limit = self.http.options().timeout;
        let mut article = cut_out(fetched, &item.hints, &item.shown, limit)?;
        let warnings = std::mem::take(&mut article.warnings);
        keys.addresses.extend(article.meta.url.clone());
        if let Some(file) = self.state.find(&keys) {
            return Ok(Outcome::Known(file));
        }
        let illustrated = images::illustrate(&mut self.http, &mut self.pictures, article);
        let section = run.section.as_deref().or(item.section.as_deref());
        let saved = save::save(&self.dir, &illustrated, section);
        let path = saved.as_ref().ok().map(|s| self.dir.join(&s.file));
        for d in warnings.into_iter().chain(illustrated.left_out) {
            sink.push(match &path {
                Some(p) => d.at(p),
                None => d,
            });
        }
        let saved = saved.map_err(Error::Save)?;
        self.state
            .record(saved.file.clone(), &keys, saved.fetched.clone());
        self.save_state(sink);
        Ok(Outcome::Saved(saved))
    }

    /// Whether robots.txt keeps a robot from the item's page: `None` lets
    /// it in. Only pages are asked about; a feed's full text needs no
    /// further request. A dry run asks too, so that what it lists is what
    /// a fetch would add.
    fn ask_robots(&mut self, item: &Item) -> Option<Event> {
        let (true, Body::Link { url, .. }) = (item.polite, &item.body) else {
            return None;
        };
        match self.robots.check(&mut self.http, url) {
            Verdict::Allowed => None,
            Verdict::Disallowed { robots, agent } => Some(Event::Skipped {
                url: item.shown.clone(),
                why: format!("{robots} disallows it for User-agent {agent}"),
            }),
            Verdict::Unreadable { robots, why } => Some(Event::Failed {
                what: item.shown.clone(),
                why: format!(
                    "not fetched: {robots} could not be read ({why}), so the site is taken to disallow it"
                ),
            }),
        }
    }

    /// Writes the store. A failure only warns: the article files are
    /// written, and their `url:` lines let the next run know them.
    fn save_state(&self, sink: &mut Sink) {
        if let Err(e) = self.state.save(&self.dir) {
            sink.push(Diagnostic::warning(format!("{e:#}")).hint(
                "the articles are saved; the next run finds them again by their `url:` lines",
            ));
        }
    }
}

/// Options of `pressbook fetch`.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub since: DateTime<Utc>,
    pub dry_run: bool,
}

/// `pressbook fetch`: every feed's new items, each feed a source.
pub fn fetch(
    c: &mut Collector,
    feeds: &[FeedPlan],
    opts: &FetchOptions,
    sink: &mut Sink,
    report: &mut dyn FnMut(&Event),
) -> Vec<Event> {
    let run = Run {
        dry_run: opts.dry_run,
        section: None,
    };
    let mut events = Vec::new();
    for plan in feeds {
        let mut feed = sources::FeedItems::new(plan.clone(), opts.since);
        events.extend(c.collect(&mut feed, &run, sink, report));
    }
    events
}

/// `pressbook extract`: the line up to the cleaned article, for the one
/// item `source` offers; nothing is saved and no digest is needed.
pub fn read_article(http: &mut Http, source: &mut dyn Source) -> Result<Article, Error> {
    let state = State::default();
    let offer = source.offer(&mut Cx {
        http,
        state: &state,
    })?;
    let Offer::Items(items) = offer else {
        return Err(Error::Empty(source.name()));
    };
    let Some(item) = items.into_iter().next() else {
        return Err(Error::Empty(source.name()));
    };
    let fetched = fetch::fetch(http, item.body)?;
    cut_out(fetched, &item.hints, &item.shown, http.options().timeout)
}

/// The article cut out of what was fetched and cleaned, behind the
/// [`guard`]: a crash of the HTML parser or the extractor is this item's
/// error, and reading one page takes at most `limit` (the `--timeout`).
fn cut_out(
    fetched: fetch::Fetched,
    hints: &source::Hints,
    name: &str,
    limit: std::time::Duration,
) -> Result<Article, Error> {
    let hints = hints.clone();
    guard::guarded("article extractor", Some(limit), move || {
        extract::extract(fetched, &hints).and_then(clean::clean)
    })
    .map_err(extract::ExtractError::from)
    .and_then(|r| r)
    .map_err(|source| Error::Extract {
        name: name.to_string(),
        source,
    })
}

#[cfg(test)]
mod tests;
