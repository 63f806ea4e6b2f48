//! Collecting articles from the web: `extract`, `add` and `fetch`.
//!
//! Everything here runs before the rest of the pipeline and ends in the
//! same files a person would write: `articles/<slug>.md` with front matter,
//! its images under `articles/images/<slug>/`, a line in the manifest. A
//! build reads those and never touches the network.
//!
//! - [`http`]: polite blocking HTTP (ureq), limits, conditional requests
//! - [`charset`]: bytes to text (BOM, header, `<meta>`, detection)
//! - [`extract`]: the article and its metadata out of a page
//! - [`md`]: the article's DOM to Markdown and plain text
//! - [`feeds`]: RSS, Atom and JSON Feed items
//! - [`robots`]: robots.txt, asked before `fetch` reads an item's page
//! - [`store`]: dedupe state (`pressbook.state.json`) and URL keys

pub mod charset;
pub mod extract;
pub mod feeds;
pub mod http;
pub mod md;
pub mod robots;
pub mod store;

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use url::Url;

pub use extract::{ExtractOptions, Extracted};
use http::{Fetched, Http, NetOptions};
use robots::{RobotsCache, Verdict};
use store::State;

/// Where a page comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Url(String),
    File(PathBuf),
    Stdin,
}

impl Source {
    pub fn parse(s: &str) -> Source {
        if s == "-" {
            Source::Stdin
        } else if s.contains("://") {
            Source::Url(s.to_string())
        } else {
            Source::File(PathBuf::from(s))
        }
    }

    /// How the source is named in messages.
    pub fn name(&self) -> String {
        match self {
            Source::Url(u) => u.clone(),
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "standard input".into(),
        }
    }
}

/// A page read from a source, as text.
#[derive(Debug, Clone)]
pub struct Page {
    pub html: String,
    /// The address the page was read from (after redirects) or given with
    /// `--url`.
    pub url: Option<Url>,
    /// Every address it was known by, for dedupe.
    pub addresses: Vec<String>,
}

/// Largest saved page read from a file or standard input.
const MAX_LOCAL_PAGE: u64 = 32 << 20;

/// Reads the page at `source`. `base` (`--url`) names the page's address
/// for a file or standard input.
pub fn read_page(http: &mut Http, source: &Source, base: Option<&str>) -> anyhow::Result<Page> {
    let base_url = match base {
        Some(b) => Some(
            Url::parse(b)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .with_context(|| format!("--url {b:?} is not an absolute http(s) address"))?,
        ),
        None => None,
    };
    match source {
        Source::Url(u) => {
            let limit = http.options().max_page_bytes;
            let resp = match http.get(
                u,
                "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                limit,
                None,
            )? {
                Fetched::Body(r) => r,
                Fetched::NotModified => bail!("{u} answered 304 Not Modified to a plain request"),
            };
            if let Some(ct) = &resp.content_type {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                if !(mime.is_empty() || mime == "text/html" || mime == "application/xhtml+xml") {
                    bail!("{u} is not an HTML page (its content type is {mime}); give the address of the article's page");
                }
            }
            let (html, _) = charset::decode_html(&resp.body, resp.content_type.as_deref());
            let url = Url::parse(&resp.url).ok().or_else(|| Url::parse(u).ok());
            let mut addresses = vec![u.clone()];
            if resp.url != *u {
                addresses.push(resp.url.clone());
            }
            Ok(Page {
                html,
                url: base_url.or(url),
                addresses,
            })
        }
        Source::File(p) => {
            let meta =
                std::fs::metadata(p).with_context(|| format!("cannot read {}", p.display()))?;
            if meta.len() > MAX_LOCAL_PAGE {
                bail!(
                    "{} is {} MiB, over the {} MiB limit for a page",
                    p.display(),
                    meta.len() >> 20,
                    MAX_LOCAL_PAGE >> 20
                );
            }
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            let (html, _) = charset::decode_html(&bytes, None);
            Ok(local_page(html, base_url))
        }
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(MAX_LOCAL_PAGE + 1)
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            if bytes.len() as u64 > MAX_LOCAL_PAGE {
                bail!(
                    "standard input is over the {} MiB limit for a page",
                    MAX_LOCAL_PAGE >> 20
                );
            }
            let (html, _) = charset::decode_html(&bytes, None);
            Ok(local_page(html, base_url))
        }
    }
}

fn local_page(html: String, url: Option<Url>) -> Page {
    let addresses = url.iter().map(|u| u.to_string()).collect();
    Page {
        html,
        url,
        addresses,
    }
}

/// Extracts the article from a page read from `source`.
pub fn extract_page(page: &Page, source: &Source) -> anyhow::Result<Extracted> {
    extract::extract(&page.html, page.url.as_ref(), ExtractOptions::default())
        .with_context(|| format!("{}: cannot extract an article", source.name()))
}

/// The `--json` form of an extraction.
pub fn to_json(e: &Extracted) -> serde_json::Value {
    let mut v = serde_json::to_value(e).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("markdown".into(), md::to_markdown(&e.blocks).into());
        o.insert("text".into(), md::to_text(&e.blocks).into());
    }
    v
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The article file: front matter, then the Markdown body.
pub fn article_file(e: &Extracted, fetched: &str, blocks: &[md::Blk]) -> String {
    let mut f = String::from("---\n");
    let mut line = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            f.push_str(&format!("{k}: {}\n", yaml(v)));
        }
    };
    line("title", e.title.as_deref().or(Some("Untitled")));
    line("author", e.byline.as_deref());
    line("source", e.site.as_deref());
    line("url", e.url.as_deref());
    line("date", e.published.as_deref());
    line("language", e.language.as_deref());
    line("summary", e.excerpt.as_deref());
    line("rights", e.rights.as_deref());
    line("fetched", Some(fetched));
    f.push_str("---\n\n");
    f.push_str(&md::to_markdown(blocks));
    f
}

/// Sniffs an image's format from its first bytes: the extension to save
/// it under, or why it cannot be used.
fn image_ext(bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Ok("gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Err("it is WebP, which pressbook cannot package (PNG, JPEG, GIF and SVG can be)".into())
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
        if head.contains("<svg") {
            Ok("svg")
        } else {
            Err("it is not a PNG, JPEG, GIF or SVG image".into())
        }
    }
}

/// What one `add` did.
#[derive(Debug, Clone, PartialEq)]
pub enum Added {
    Saved {
        file: String,
        title: String,
    },
    /// The article is already in the digest.
    Known {
        file: String,
    },
}

/// A problem that did not stop the article from being saved.
pub type Warning = String;

/// Adds articles to one digest folder, remembering what it has.
pub struct Collector {
    pub dir: PathBuf,
    pub http: Http,
    pub state: State,
    /// robots.txt of each host `fetch` reads pages from.
    pub robots: RobotsCache,
    /// Problems that did not stop an article (a missing image).
    pub warnings: Vec<Warning>,
}

impl Collector {
    pub fn open(dir: &Path, net: NetOptions) -> anyhow::Result<Collector> {
        let manifest = dir.join(pressbook_model::manifest::MANIFEST_NAME);
        if !manifest.is_file() {
            bail!(
                "{} not found; run `pressbook init {}` first",
                manifest.display(),
                dir.display()
            );
        }
        Ok(Collector {
            dir: dir.to_path_buf(),
            http: Http::new(net),
            state: State::load(dir)?,
            robots: RobotsCache::default(),
            warnings: Vec::new(),
        })
    }

    /// Reads, extracts and saves one source.
    pub fn add(
        &mut self,
        source: &Source,
        base: Option<&str>,
        section: Option<&str>,
    ) -> anyhow::Result<Added> {
        let page = read_page(&mut self.http, source, base)?;
        if let Some(file) = self.state.find(&page.addresses, &[]) {
            return Ok(Added::Known { file });
        }
        let e = extract_page(&page, source)?;
        self.save(e, page.addresses, Vec::new(), section)
    }

    /// Saves an extracted article: images, file, manifest line, state.
    /// Nothing is left behind when a step fails.
    pub fn save(
        &mut self,
        mut e: Extracted,
        mut addresses: Vec<String>,
        ids: Vec<String>,
        section: Option<&str>,
    ) -> anyhow::Result<Added> {
        if let Some(c) = &e.url {
            addresses.push(c.clone());
        }
        if let Some(file) = self.state.find(&addresses, &ids) {
            return Ok(Added::Known { file });
        }
        let title = e.title.clone().unwrap_or_else(|| "Untitled".into());
        let (name, slug) = self.free_name(&title);

        // The lead image opens an article that has no picture of its own.
        if md::images(&e.blocks).is_empty() {
            if let Some(lead) = e.lead_image.clone() {
                e.blocks.insert(
                    0,
                    md::Blk::Figure {
                        src: lead,
                        alt: String::new(),
                        caption: String::new(),
                    },
                );
            }
        }
        let images = self.download_images(&e.blocks, &slug);
        let local: Vec<(String, String)> = images
            .iter()
            .map(|(src, rel, _)| (src.clone(), rel.clone()))
            .collect();
        let mut blocks = e.blocks.clone();
        md::map_images(&mut blocks, &|src| {
            local
                .iter()
                .find(|(s, _)| s == src)
                .map(|(_, rel)| rel.clone())
        });
        let fetched = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let text = article_file(&e, &fetched, &blocks);
        let manifest =
            pressbook_model::manifest::edit::manifest_listing(&self.dir, &name, section)?;

        let article_path = self.dir.join(&name);
        let image_dir = self.dir.join("articles/images").join(&slug);
        let result = (|| -> anyhow::Result<()> {
            for (_, rel, bytes) in &images {
                let p = self.dir.join("articles").join(rel);
                if let Some(parent) = p.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                pressbook_model::output::write_bytes(&p, bytes)?;
            }
            if let Some(parent) = article_path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            pressbook_model::output::write_bytes(&article_path, text.as_bytes())?;
            pressbook_model::output::write_bytes(
                &self.dir.join(pressbook_model::manifest::MANIFEST_NAME),
                manifest.as_bytes(),
            )?;
            Ok(())
        })();
        if let Err(err) = result {
            let _ = std::fs::remove_file(&article_path);
            let _ = std::fs::remove_dir_all(&image_dir);
            return Err(err);
        }
        self.state.record(name.clone(), &addresses, ids, fetched);
        if let Err(err) = self.state.save(&self.dir) {
            self.warnings.push(format!("{err:#}"));
        }
        Ok(Added::Saved { file: name, title })
    }

    /// `articles/<slug>.md` and its image folder, both unused.
    fn free_name(&self, title: &str) -> (String, String) {
        let base = {
            let s = pressbook_model::source::markdown::slug(title);
            if s.is_empty() {
                "article".to_string()
            } else {
                s
            }
        };
        let mut slug = base.clone();
        let mut n = 2;
        while self.dir.join(format!("articles/{slug}.md")).exists()
            || self.dir.join("articles/images").join(&slug).exists()
        {
            slug = format!("{base}-{n}");
            n += 1;
        }
        (format!("articles/{slug}.md"), slug)
    }

    /// Downloads each image once: (address, path relative to articles/,
    /// bytes). Failures become warnings and the image is left out.
    fn download_images(
        &mut self,
        blocks: &[md::Blk],
        slug: &str,
    ) -> Vec<(String, String, Vec<u8>)> {
        let mut out = Vec::new();
        let limit = self.http.options().max_image_bytes;
        for (i, src) in md::images(blocks).into_iter().enumerate() {
            let got = match self.http.get(
                &src,
                "image/png,image/jpeg,image/gif,image/svg+xml;q=0.9,*/*;q=0.1",
                limit,
                None,
            ) {
                Ok(Fetched::Body(r)) => image_ext(&r.body).map(|ext| (ext, r.body)),
                Ok(Fetched::NotModified) => Err("it answered 304".into()),
                Err(e) => Err(e.to_string()),
            };
            match got {
                Ok((ext, bytes)) => {
                    let stem = Url::parse(&src)
                        .ok()
                        .and_then(|u| {
                            u.path_segments()
                                .and_then(|mut s| s.next_back().map(str::to_string))
                        })
                        .map(|last| {
                            let stem = last
                                .rsplit_once('.')
                                .map_or(last.as_str(), |(s, _)| s)
                                .to_string();
                            pressbook_model::source::markdown::slug(&stem)
                        })
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| "image".into());
                    let rel = format!("images/{slug}/{:02}-{stem}.{ext}", i + 1);
                    out.push((src, rel, bytes));
                }
                Err(why) => self
                    .warnings
                    .push(format!("image {src} is left out: {why}")),
            }
        }
        out
    }
}

pub use pressbook_model::manifest::FeedPlan;

/// Options of `pressbook fetch`.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub since: DateTime<Utc>,
    pub dry_run: bool,
}

/// What happened to one feed item (or the feed itself).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Added {
        file: String,
        title: String,
        url: String,
    },
    Known {
        file: String,
        url: String,
    },
    WouldAdd {
        title: String,
        url: String,
    },
    Unchanged {
        feed: String,
    },
    /// Not fetched: the site's robots.txt disallows it.
    Skipped {
        url: String,
        why: String,
    },
    Failed {
        what: String,
        why: String,
    },
    Warning(String),
}

impl Event {
    pub fn failed(&self) -> bool {
        matches!(self, Event::Failed { .. })
    }
}

/// Reads every feed and saves its new items. Each failure is reported and
/// the other items still come in.
pub fn fetch(
    c: &mut Collector,
    feeds: &[FeedPlan],
    opts: &FetchOptions,
    report: &mut dyn FnMut(&Event),
) -> Vec<Event> {
    let mut out = Events {
        list: Vec::new(),
        report,
    };
    for feed in feeds {
        let Some(resp) = request_feed(c, feed, &mut out) else {
            continue;
        };
        let parsed = match feeds::parse(&resp.body, &resp.url) {
            Ok(f) => f,
            Err(why) => {
                out.emit(Event::Failed {
                    what: format!("feed {}", feed.url),
                    why: format!("it is not an RSS, Atom or JSON feed ({why})"),
                });
                continue;
            }
        };
        let section = feed
            .section
            .clone()
            .or_else(|| parsed.title.clone())
            .filter(|s| !s.trim().is_empty());
        let place = Placing {
            section: section.as_deref(),
            language: parsed.language.as_deref(),
            dry_run: opts.dry_run,
        };
        let mut all_ok = true;
        for item in fresh_items(&parsed, feed, opts) {
            all_ok &= take_item(c, item, &place, &mut out);
        }
        if !opts.dry_run {
            remember_feed(c, feed, &resp, all_ok, &mut out);
        }
    }
    out.list
}

/// The events of a fetch, each shown as it happens.
struct Events<'a> {
    list: Vec<Event>,
    report: &'a mut dyn FnMut(&Event),
}

impl Events<'_> {
    fn emit(&mut self, e: Event) {
        (self.report)(&e);
        self.list.push(e);
    }
}

/// Where a feed's new items go.
struct Placing<'a> {
    section: Option<&'a str>,
    language: Option<&'a str>,
    dry_run: bool,
}

/// The feed's body, conditional on what the last fetch saw; `None` when it
/// is unchanged or failed (reported).
fn request_feed(c: &mut Collector, feed: &FeedPlan, out: &mut Events) -> Option<http::Response> {
    let cond = c.state.feeds.get(&feed.url).map(|s| s.validators.clone());
    let limit = c.http.options().max_page_bytes;
    match c.http.get(
        &feed.url,
        "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5",
        limit,
        cond.as_ref().filter(|v| !v.is_empty()),
    ) {
        Ok(Fetched::Body(r)) => Some(r),
        Ok(Fetched::NotModified) => {
            out.emit(Event::Unchanged {
                feed: feed.url.clone(),
            });
            None
        }
        Err(e) => {
            out.emit(Event::Failed {
                what: format!("feed {}", feed.url),
                why: e.to_string(),
            });
            None
        }
    }
}

/// The newest `max` items not older than `--since` (undated ones count).
fn fresh_items<'a>(
    parsed: &'a feeds::Feed,
    feed: &FeedPlan,
    opts: &FetchOptions,
) -> impl Iterator<Item = &'a feeds::Item> {
    let since = opts.since;
    parsed
        .items
        .iter()
        .filter(move |i| i.published.is_none_or(|p| p >= since))
        .take(feed.max)
}

/// One item: known, would be added, skipped by robots.txt, or saved.
/// False when it failed (or one of its images did).
fn take_item(c: &mut Collector, item: &feeds::Item, place: &Placing, out: &mut Events) -> bool {
    let addresses: Vec<String> = item.link.iter().cloned().collect();
    let ids = vec![item.key.clone()];
    let shown = item.link.clone().unwrap_or_else(|| item.key.clone());
    if let Some(file) = c.state.find(&addresses, &ids) {
        out.emit(Event::Known { file, url: shown });
        return true;
    }
    if let Some(ok) = ask_robots(c, item, &shown, out) {
        return ok;
    }
    if place.dry_run {
        out.emit(Event::WouldAdd {
            title: item.title.clone().unwrap_or_default(),
            url: shown,
        });
        return true;
    }
    let before = c.warnings.len();
    let mut ok = true;
    match fetch_item(c, item, addresses, ids, place.section, place.language) {
        Ok(Added::Saved { file, title }) => out.emit(Event::Added {
            file,
            title,
            url: shown,
        }),
        Ok(Added::Known { file }) => out.emit(Event::Known { file, url: shown }),
        Err(e) => {
            ok = false;
            out.emit(Event::Failed {
                what: shown,
                why: format!("{e:#}"),
            });
        }
    }
    for w in c.warnings.drain(before..).collect::<Vec<_>>() {
        out.emit(Event::Failed {
            what: "image".into(),
            why: w,
        });
    }
    ok
}

/// Whether robots.txt keeps `fetch` from the item's page: `None` lets
/// it in; `Some(ok)` when it does not, after saying why (`ok` is false
/// when robots.txt could not be read, a failure).
fn ask_robots(
    c: &mut Collector,
    item: &feeds::Item,
    shown: &str,
    out: &mut Events,
) -> Option<bool> {
    // Only the item's page is fetched on the robot's own initiative; the
    // feed's full text needs no further request. A dry run asks too, so
    // that what it lists is what a fetch would add.
    let (None, Some(link)) = (&item.full_text, &item.link) else {
        return None;
    };
    match c.robots.check(&mut c.http, link) {
        Verdict::Allowed => None,
        Verdict::Disallowed { robots, agent } => {
            out.emit(Event::Skipped {
                url: shown.to_string(),
                why: format!("{robots} disallows it for User-agent {agent}"),
            });
            Some(true)
        }
        Verdict::Unreadable { robots, why } => {
            out.emit(Event::Failed {
                what: shown.to_string(),
                why: format!(
                    "not fetched: {robots} could not be read ({why}), so the site is taken to disallow it"
                ),
            });
            Some(false)
        }
    }
}

/// Records the fetch in the state. Validators are kept only when every
/// item came in, so a failed item is tried again next time rather than
/// hidden behind a 304.
fn remember_feed(
    c: &mut Collector,
    feed: &FeedPlan,
    resp: &http::Response,
    all_ok: bool,
    out: &mut Events,
) {
    let entry = c.state.feeds.entry(feed.url.clone()).or_default();
    entry.checked = Some(Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    entry.validators = if all_ok {
        resp.validators.clone()
    } else {
        Default::default()
    };
    if let Err(e) = c.state.save(&c.dir) {
        out.emit(Event::Warning(format!("{e:#}")));
    }
}

fn fetch_item(
    c: &mut Collector,
    item: &feeds::Item,
    addresses: Vec<String>,
    ids: Vec<String>,
    section: Option<&str>,
    feed_language: Option<&str>,
) -> anyhow::Result<Added> {
    if let Some(html) = &item.full_text {
        let base = item.link.as_deref().and_then(|l| Url::parse(l).ok());
        let doc = dom_query::Document::fragment(html.clone());
        let blocks = md::convert(&doc.root(), base.as_ref());
        let e = Extracted {
            title: item.title.clone(),
            byline: item.author.clone(),
            published: item.published.map(|p| p.to_rfc3339()),
            site: None,
            url: item.link.clone(),
            language: feed_language.map(str::to_string),
            excerpt: item.summary.clone().filter(|s| s.len() < 500),
            lead_image: None,
            rights: None,
            blocks,
            lead_restored: false,
        };
        return c.save(e, addresses, ids, section);
    }
    let Some(link) = &item.link else {
        bail!("the item has neither a link nor its full text");
    };
    let source = Source::Url(link.clone());
    let page = read_page(&mut c.http, &source, None)?;
    let mut all = addresses;
    all.extend(page.addresses.iter().cloned());
    if let Some(file) = c.state.find(&all, &ids) {
        return Ok(Added::Known { file });
    }
    let mut e = extract_page(&page, &source)?;
    if e.published.is_none() {
        e.published = item.published.map(|p| p.to_rfc3339());
    }
    if e.byline.is_none() {
        e.byline = item.author.clone();
    }
    c.save(e, all, ids, section)
}
