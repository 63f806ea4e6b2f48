//! Cutting the article out of a page: dom_smoothie (a Readability port)
//! picks the content; then site chrome it tends to keep inside it (share
//! bars, newsletter boxes, "most read" lists, comments) is removed; the
//! page's own metadata (JSON-LD, Open Graph, `<meta>`, `<time>`, canonical
//! link) fills what it leaves out.

use dom_query::{Document, NodeRef};
use serde::Serialize;
use serde_json::Value;
use url::Url;

use super::md::{self, Blk};

/// Fewer words than this after extraction: the page holds no article.
pub const MIN_WORDS: usize = 40;

/// What `extract` finds in a page.
#[derive(Debug, Clone, Serialize)]
pub struct Extracted {
    pub title: Option<String>,
    pub byline: Option<String>,
    /// ISO 8601.
    pub published: Option<String>,
    pub site: Option<String>,
    /// Canonical address (rel=canonical, og:url, else the page's).
    pub url: Option<String>,
    pub language: Option<String>,
    pub excerpt: Option<String>,
    pub lead_image: Option<String>,
    #[serde(skip)]
    pub rights: Option<String>,
    #[serde(skip)]
    pub blocks: Vec<Blk>,
    /// The first block is the page's lead figure, put back because the
    /// extractor left it out.
    #[serde(skip)]
    pub lead_restored: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("found no article in the page (only {0} words of text)")]
    NoArticle(usize),
    #[error("the page is too complex to read ({0})")]
    Extractor(String),
}

/// Options for [`extract`]; the defaults are what pressbook uses.
#[derive(Debug, Clone, Copy)]
pub struct ExtractOptions {
    /// Remove share bars, newsletter boxes, comments… before scoring.
    pub strip_chrome: bool,
    pub min_words: usize,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            strip_chrome: true,
            min_words: MIN_WORDS,
        }
    }
}

/// Extracts the article from `html`, read from `page_url` (for resolving
/// relative links; `None` leaves them as written).
pub fn extract(
    html: &str,
    page_url: Option<&Url>,
    opts: ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let doc = Document::from(html);
    let meta = PageMeta::read(&doc, page_url);
    let cfg = dom_smoothie::Config {
        max_elements_to_parse: 200_000,
        // Classes stay on the content so that chrome inside it can be found.
        keep_classes: true,
        ..Default::default()
    };
    let url_str = page_url.map(Url::as_str);
    let mut r = dom_smoothie::Readability::with_document(doc, url_str, Some(cfg))
        .map_err(|e| ExtractError::Extractor(e.to_string()))?;
    let article = match r.parse() {
        Ok(a) => a,
        Err(dom_smoothie::ReadabilityError::GrabFailed) => return Err(ExtractError::NoArticle(0)),
        Err(e) => return Err(ExtractError::Extractor(e.to_string())),
    };
    let content = Document::fragment(article.content.to_string());
    if opts.strip_chrome {
        strip_chrome(&content);
    }
    let base = meta.base.clone().or_else(|| page_url.cloned());
    let mut blocks = md::convert(&content.root(), base.as_ref());

    let title = nonempty(Some(article.title.clone()))
        .or(meta.title.clone())
        .map(|t| md::collapse(&t));
    drop_repeated_head(&mut blocks, title.as_deref(), article.byline.as_deref());
    if opts.strip_chrome {
        drop_chrome_blocks(&mut blocks, &meta.chrome_texts);
    }
    let mut lead_restored = false;
    if md::images(&blocks).is_empty() {
        if let Some((src, alt, caption)) = meta.lead_figure.clone() {
            blocks.insert(0, Blk::Figure { src, alt, caption });
            lead_restored = true;
        }
    }
    let words = md::to_text(&blocks).split_whitespace().count();
    if words < opts.min_words {
        return Err(ExtractError::NoArticle(words));
    }

    let resolve = |u: Option<String>| -> Option<String> {
        let u = nonempty(u)?;
        match &base {
            Some(b) => b.join(&u).ok().map(|x| x.to_string()),
            None => Some(u),
        }
    };
    let published = iso_date(article.published_time.as_deref())
        .or_else(|| meta.published.as_deref().and_then(|p| iso_date(Some(p))));
    let site = nonempty(article.site_name.clone())
        .or(meta.publisher.clone())
        .or_else(|| {
            page_url
                .and_then(|u| u.host_str())
                .map(|h| h.trim_start_matches("www.").to_string())
        });
    let lead_image = resolve(article.image.clone()).or_else(|| resolve(meta.image.clone()));
    let language = nonempty(article.lang.clone())
        .or(meta.language.clone())
        .map(|l| l.replace('_', "-"));
    let url = resolve(meta.canonical.clone()).or_else(|| page_url.map(|u| u.to_string()));
    Ok(Extracted {
        title,
        byline: clean_byline(article.byline.as_deref()).or(meta.author.clone()),
        published,
        site: site.map(|s| md::collapse(&s)),
        url,
        language,
        excerpt: nonempty(article.excerpt.clone())
            .or(meta.description.clone())
            .map(|e| md::collapse(&e)),
        lead_image,
        rights: meta.rights.clone(),
        blocks,
        lead_restored,
    })
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// "By Mara Lind" → "Mara Lind".
fn clean_byline(b: Option<&str>) -> Option<String> {
    let b = md::collapse(b?);
    let lower = b.to_lowercase();
    let b = if lower.starts_with("by ") {
        b[3..].trim().to_string()
    } else {
        b
    };
    (!b.is_empty() && b.len() < 200).then_some(b)
}

/// The article's own headline (and byline line) repeated at the top of the
/// body: the front matter already carries them.
fn drop_repeated_head(blocks: &mut Vec<Blk>, title: Option<&str>, byline: Option<&str>) {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    if let (Some(Blk::Heading(_, c)), Some(t)) = (blocks.first(), title) {
        if norm(&md::plain(c)) == norm(t) {
            blocks.remove(0);
        }
    }
    if let (Some(Blk::Para(c)), Some(b)) = (blocks.first(), byline) {
        let p = norm(&md::plain(c));
        if !p.is_empty() && (p == norm(b) || p == norm(&format!("by {b}"))) {
            blocks.remove(0);
        }
    }
}

/// Any ISO 8601, RFC 3339 or RFC 2822 date, written back as RFC 3339 (or
/// a bare date when the page gives only a day).
pub fn iso_date(s: Option<&str>) -> Option<String> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let s = s?.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.to_rfc3339());
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.to_rfc3339());
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.to_rfc3339());
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    let day = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

// ------------------------------------------------------------ chrome

/// Class and id words that mark site furniture rather than article text.
const CHROME_WORDS: &[&str] = &[
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "related",
    "recommended",
    "recommendations",
    "mostread",
    "most-read",
    "most-popular",
    "popular",
    "trending",
    "comments",
    "comment-list",
    "paywall",
    "piano",
    "promo",
    "advert",
    "advertisement",
    "ad-slot",
    "ad-container",
    "ads",
    "sponsored",
    "outbrain",
    "taboola",
    "breadcrumb",
    "breadcrumbs",
    "banner-ad",
    "more-stories",
    "author-bio-footer",
];

/// Removes elements of the article that are site chrome by their role or
/// class/id words, unless they hold a third of its text or more (a wrapper
/// named after a feature of the page).
fn strip_chrome(doc: &Document) {
    let total = doc.root().text().split_whitespace().count().max(1);
    let candidates = doc.select("[class], [id], [role], nav, dialog");
    let mut doomed: Vec<NodeRef> = Vec::new();
    for node in candidates.nodes() {
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(name.as_str(), "html" | "body" | "article" | "main") {
            continue;
        }
        if is_chrome(node, &name) {
            let words = node.text().split_whitespace().count();
            if words * 3 < total {
                doomed.push(*node);
            }
        }
    }
    for n in doomed {
        n.remove_from_parent();
    }
}

fn is_chrome(node: &NodeRef, name: &str) -> bool {
    if matches!(name, "nav" | "dialog") {
        return true;
    }
    if let Some(role) = node.attr("role") {
        if matches!(
            &*role,
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "dialog"
                | "alertdialog"
                | "search"
        ) {
            return true;
        }
    }
    let matches = |token: &str, is_id: bool| {
        let t = token.to_ascii_lowercase();
        let parts: Vec<&str> = t.split(['-', '_']).filter(|p| !p.is_empty()).collect();
        // Long hyphenated ids are made from headings
        // ("sharing-with-a-single-developer"), not widget names.
        if is_id && parts.len() > 3 {
            return false;
        }
        CHROME_WORDS.iter().any(|w| t == *w || parts.contains(w))
    };
    let class = node.attr("class");
    let id = node.attr("id");
    class
        .iter()
        .flat_map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .any(|t| matches(&t, false))
        || id.is_some_and(|i| matches(i.trim(), true))
}

// ------------------------------------------------------------ metadata

/// Metadata the page states about itself.
#[derive(Debug, Default, Clone)]
pub struct PageMeta {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub canonical: Option<String>,
    pub image: Option<String>,
    pub language: Option<String>,
    pub description: Option<String>,
    pub rights: Option<String>,
    /// `<base href>` resolved against the page address.
    pub base: Option<Url>,
    /// The article's lead figure as the page shows it: (src, alt, caption).
    pub lead_figure: Option<(String, String, String)>,
    /// Text of each piece of chrome on the page (share bars, newsletter
    /// boxes, teasers…), to drop what the extractor kept of it after
    /// renaming its element.
    pub chrome_texts: Vec<String>,
}

impl PageMeta {
    /// Page → JSON-LD objects → what they state, filled from the head's
    /// tags → with the base, lead figure and chrome texts → text collapsed.
    pub fn read(doc: &Document, page_url: Option<&Url>) -> PageMeta {
        let mut m = PageMeta::from_json_ld(json_ld_objects(doc));
        m.fill_from_tags(doc);
        m.base = base_href(doc, page_url);
        m.lead_figure = lead_figure(doc, m.image.as_deref(), m.base.as_ref().or(page_url));
        m.chrome_texts = chrome_texts(doc);
        for v in [
            &mut m.title,
            &mut m.author,
            &mut m.publisher,
            &mut m.description,
            &mut m.rights,
        ] {
            *v = v.take().map(|s| md::collapse(&s)).filter(|s| !s.is_empty());
        }
        m
    }

    /// What the page's article-typed JSON-LD objects state; for each field
    /// the first object stating it wins.
    fn from_json_ld(objects: Vec<Value>) -> PageMeta {
        let mut m = PageMeta::default();
        for ld in objects.iter().filter(|ld| is_article_type(ld)) {
            m.title = m.title.or_else(|| str_field(ld, "headline"));
            m.author = m.author.or_else(|| names(ld.get("author")));
            m.published = m.published.or_else(|| str_field(ld, "datePublished"));
            m.publisher = m.publisher.or_else(|| names(ld.get("publisher")));
            m.image = m.image.or_else(|| image_url(ld.get("image")));
            m.language = m.language.or_else(|| str_field(ld, "inLanguage"));
            m.description = m.description.or_else(|| str_field(ld, "description"));
            m.canonical = m.canonical.or_else(|| str_field(ld, "url"));
            m.rights = m.rights.or_else(|| json_ld_rights(ld));
        }
        m
    }

    /// Fills what JSON-LD left out from Open Graph, `<meta>`, `<time
    /// datetime>` and `<html lang>`; `<link rel=canonical>` and `og:url`
    /// win over JSON-LD's `url`.
    fn fill_from_tags(&mut self, doc: &Document) {
        let meta = |sel: &str| -> Option<String> {
            doc.select(sel)
                .nodes()
                .iter()
                .find_map(|n| nonempty(n.attr("content").map(|c| c.to_string())))
        };
        let first_attr = |sel: &str, attr: &str| -> Option<String> {
            doc.select(sel)
                .nodes()
                .first()
                .and_then(|n| nonempty(n.attr(attr).map(|v| v.to_string())))
        };
        let m = self;
        m.title = m.title.take().or_else(|| meta("meta[property='og:title']"));
        m.author = m
            .author
            .take()
            .or_else(|| meta("meta[name='author']"))
            .or_else(|| meta("meta[property='article:author']").filter(|a| !a.contains("://")));
        m.published = m
            .published
            .take()
            .or_else(|| meta("meta[property='article:published_time']"))
            .or_else(|| {
                meta("meta[name='date'], meta[name='dc.date'], meta[name='DC.date.issued']")
            })
            .or_else(|| {
                doc.select("article time[datetime], time[datetime]")
                    .nodes()
                    .first()
                    .and_then(|t| t.attr("datetime").map(|d| d.to_string()))
            });
        m.publisher = m
            .publisher
            .take()
            .or_else(|| meta("meta[property='og:site_name']"));
        m.canonical = first_attr("link[rel='canonical']", "href")
            .or_else(|| meta("meta[property='og:url']"))
            .or(m.canonical.take());
        m.image = m
            .image
            .take()
            .or_else(|| meta("meta[property='og:image']"))
            .or_else(|| meta("meta[name='twitter:image']"));
        m.language = m
            .language
            .take()
            .or_else(|| first_attr("html[lang]", "lang"))
            .or_else(|| meta("meta[property='og:locale']"))
            .or_else(|| meta("meta[http-equiv='content-language']"));
        m.description = m
            .description
            .take()
            .or_else(|| meta("meta[name='description']"))
            .or_else(|| meta("meta[property='og:description']"));
        m.rights = m.rights.take().or_else(|| {
            meta("meta[name='copyright'], meta[name='dcterms.rights'], meta[name='dc.rights']")
        });
    }
}

/// `© <year> <holder>` from JSON-LD's copyright fields, else its licence.
fn json_ld_rights(ld: &Value) -> Option<String> {
    let holder = names(ld.get("copyrightHolder"));
    let year = ld.get("copyrightYear").and_then(|y| match y {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    });
    match (holder, year) {
        (Some(h), Some(y)) => Some(format!("© {y} {h}")),
        (Some(h), None) => Some(format!("© {h}")),
        _ => str_field(ld, "license"),
    }
}

/// `<base href>` resolved against the page address.
fn base_href(doc: &Document, page_url: Option<&Url>) -> Option<Url> {
    doc.select("base[href]")
        .nodes()
        .first()
        .and_then(|b| b.attr("href"))
        .and_then(|h| match page_url {
            Some(p) => p.join(&h).ok(),
            None => Url::parse(&h).ok(),
        })
}

/// The `<figure>` showing the page's declared lead image, else the first
/// figure of its `<article>`.
fn lead_figure(
    doc: &Document,
    image: Option<&str>,
    base: Option<&Url>,
) -> Option<(String, String, String)> {
    let abs = |s: &str| match base {
        Some(b) => b
            .join(s)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| s.to_string()),
        None => s.to_string(),
    };
    let wanted = image.map(abs);
    let figures = doc.select("figure");
    let pick = |f: &NodeRef| -> Option<(String, String, String)> {
        let img = f
            .descendants_it()
            .find(|d| d.node_name().is_some_and(|n| &*n == "img"))?;
        let src = abs(img.attr("src").or_else(|| img.attr("data-src"))?.trim());
        let alt = md::collapse(&img.attr("alt").unwrap_or_default());
        let caption = f
            .descendants_it()
            .find(|d| d.node_name().is_some_and(|n| &*n == "figcaption"))
            .map(|c| md::collapse(&c.text()))
            .unwrap_or_default();
        Some((src, alt, caption))
    };
    let all: Vec<(String, String, String)> = figures.nodes().iter().filter_map(pick).collect();
    if let Some(w) = &wanted {
        if let Some(f) = all.iter().find(|f| &f.0 == w) {
            return Some(f.clone());
        }
    }
    doc.select("article figure").nodes().iter().find_map(pick)
}

/// The text of every small chrome element of the page.
fn chrome_texts(doc: &Document) -> Vec<String> {
    let total = doc.select("body").text().split_whitespace().count().max(1);
    let mut out = Vec::new();
    for node in doc.select("[class], [id], [role]").nodes() {
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(name.as_str(), "html" | "body" | "article" | "main") || !is_chrome(node, &name)
        {
            continue;
        }
        let text = md::collapse(&node.text());
        let words = text.split_whitespace().count();
        if words > 0 && words * 10 < total {
            out.push(text);
        }
    }
    out
}

/// Drops blocks whose whole text is part of a chrome element's text.
fn drop_chrome_blocks(blocks: &mut Vec<Blk>, chrome: &[String]) {
    if chrome.is_empty() {
        return;
    }
    blocks.retain_mut(|b| {
        let text = match b {
            Blk::Para(c) | Blk::Heading(_, c) => md::plain(c),
            Blk::List { .. } | Blk::Quote(_) => md::to_text(std::slice::from_ref(b))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            _ => return true,
        };
        if text.is_empty() {
            return true;
        }
        if chrome.iter().any(|c| c.contains(&text)) {
            return false;
        }
        if let Blk::Quote(inner) = b {
            drop_chrome_blocks(inner, chrome);
        }
        true
    });
}

fn json_ld_objects(doc: &Document) -> Vec<Value> {
    let mut out = Vec::new();
    for script in doc.select("script[type='application/ld+json']").nodes() {
        let Ok(v) = serde_json::from_str::<Value>(script.text().trim()) else {
            continue;
        };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(a) => stack.extend(a.into_iter().rev()),
                Value::Object(mut o) => {
                    if let Some(g) = o.remove("@graph") {
                        stack.push(g);
                    }
                    out.push(Value::Object(o));
                }
                _ => {}
            }
        }
    }
    out
}

fn is_article_type(v: &Value) -> bool {
    let is = |t: &str| {
        t.ends_with("Article")
            || matches!(t, "BlogPosting" | "Report" | "LiveBlogPosting" | "Review")
    };
    match v.get("@type") {
        Some(Value::String(t)) => is(t),
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(is)),
        _ => false,
    }
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key)?
        .as_str()
        .map(str::to_string)
        .and_then(|s| nonempty(Some(s)))
}

/// `"Mara Lind"`, `{"name": …}` or a list of either, joined.
fn names(v: Option<&Value>) -> Option<String> {
    let list: Vec<String> = match v? {
        Value::String(s) => vec![s.clone()],
        Value::Object(o) => o
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .into_iter()
            .collect(),
        Value::Array(a) => a.iter().filter_map(|x| names(Some(x))).collect(),
        _ => Vec::new(),
    };
    let list: Vec<String> = list
        .into_iter()
        .map(|s| md::collapse(&s))
        .filter(|s| !s.is_empty())
        .collect();
    match list.len() {
        0 => None,
        1 => list.into_iter().next(),
        n => Some(format!("{} and {}", list[..n - 1].join(", "), list[n - 1])),
    }
}

fn image_url(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => nonempty(Some(s.clone())),
        Value::Object(o) => o.get("url").and_then(Value::as_str).map(str::to_string),
        Value::Array(a) => a.iter().find_map(|x| image_url(Some(x))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_iso() {
        assert_eq!(
            iso_date(Some("2026-11-20T08:30:00Z")).unwrap(),
            "2026-11-20T08:30:00+00:00"
        );
        assert_eq!(
            iso_date(Some("Fri, 20 Nov 2026 08:30:00 +0100")).unwrap(),
            "2026-11-20T08:30:00+01:00"
        );
        assert_eq!(iso_date(Some("2026-11-20")).unwrap(), "2026-11-20");
        assert_eq!(iso_date(Some("last week")), None);
    }

    #[test]
    fn bylines_lose_their_by() {
        assert_eq!(clean_byline(Some(" By  Mara Lind ")).unwrap(), "Mara Lind");
        assert_eq!(clean_byline(Some("")), None);
    }

    #[test]
    fn chrome_words_match_whole_parts_only() {
        let doc = Document::from("<div class='share-bar'>x</div><div class='shared-memory'>y</div><div id='most-read'>z</div>");
        let nodes = doc.select("div");
        let flags: Vec<bool> = nodes.nodes().iter().map(|n| is_chrome(n, "div")).collect();
        assert_eq!(flags, [true, false, true]);
    }

    #[test]
    fn json_ld_graph_and_authors() {
        let doc = Document::from(
            r#"<html lang="en-GB"><head><script type="application/ld+json">
            {"@graph":[{"@type":"WebSite","name":"X"},{"@type":"NewsArticle","headline":"H","author":[{"name":"A"},{"name":"B"}],
             "datePublished":"2026-11-20","publisher":{"name":"Harbour Daily"},"copyrightHolder":{"name":"Harbour Daily"},"copyrightYear":2026}]}
            </script><link rel="canonical" href="/story"></head><body></body></html>"#,
        );
        let m = PageMeta::read(&doc, None);
        assert_eq!(m.author.as_deref(), Some("A and B"));
        assert_eq!(m.publisher.as_deref(), Some("Harbour Daily"));
        assert_eq!(m.rights.as_deref(), Some("© 2026 Harbour Daily"));
        assert_eq!(m.canonical.as_deref(), Some("/story"));
        assert_eq!(m.language.as_deref(), Some("en-GB"));
    }
}
