//! What a page states about itself: JSON-LD, Open Graph, `<meta>`,
//! `<time>`, the canonical link, its lead figure and the text of its
//! chrome, read before the extractor takes the page apart.

use dom_query::{Document, NodeRef};
use serde_json::Value;
use url::Url;

use crate::blocks::collapse;
use crate::chrome::chrome_texts;

/// The trimmed text, unless it is empty.
pub(crate) fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// "By Mara Lind" → "Mara Lind".
pub(crate) fn clean_byline(b: Option<&str>) -> Option<String> {
    let b = collapse(b?);
    let lower = b.to_lowercase();
    let b = if lower.starts_with("by ") {
        b[3..].trim().to_string()
    } else {
        b
    };
    (!b.is_empty() && b.len() < 200).then_some(b)
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

/// The first day an article's date may fall on: the web is younger.
pub const EARLIEST_DATE: (i32, u32, u32) = (1990, 1, 1);

/// Why `day` is no date for an article read at `now`: more than a day
/// ahead (a feed dated 9999 would hold the newest slots for ever), or
/// before [`EARLIEST_DATE`]. `None` when it is a sane date.
pub fn outside_window(
    day: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<&'static str> {
    let (y, m, d) = EARLIEST_DATE;
    if day > (now + chrono::Days::new(1)).date_naive() {
        Some("more than a day in the future")
    } else if chrono::NaiveDate::from_ymd_opt(y, m, d).is_some_and(|first| day < first) {
        Some("before 1990")
    } else {
        None
    }
}

/// The date an ISO 8601 `published` from a page falls on, when it is one
/// an article can have: `Err` says why not (for the warning).
pub fn sane_published(published: &str, now: chrono::DateTime<chrono::Utc>) -> Result<(), String> {
    let day = published
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    match day {
        Some(day) => match outside_window(day, now) {
            Some(why) => Err(format!("the page's date {published} is {why}")),
            None => Ok(()),
        },
        None => Err(format!(
            "the page's date {published} is not a calendar date"
        )),
    }
}

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
            *v = v.take().map(|s| collapse(&s)).filter(|s| !s.is_empty());
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
        let alt = collapse(&img.attr("alt").unwrap_or_default());
        let caption = f
            .descendants_it()
            .find(|d| d.node_name().is_some_and(|n| &*n == "figcaption"))
            .map(|c| collapse(&crate::convert::reader_text(&c)))
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
        .map(|s| collapse(&s))
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
