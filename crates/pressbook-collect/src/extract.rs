//! The third step: [`Fetched`] → [`Extracted`], the article cut out of its
//! page. dom_smoothie (a Readability port) picks the content; the page's
//! own metadata ([`crate::meta`]) fills what it leaves out, and the source's
//! hints what the page leaves out. A feed's full text is the article
//! already and only takes the hints.

use dom_query::Document;
use serde::Serialize;
use url::Url;

use pressbook_model::diag::Diagnostic;

use crate::blocks::collapse;
use crate::convert::cut_deep;
use crate::fetch::Fetched;
use crate::guard::Stopped;
use crate::meta::{clean_byline, iso_date, nonempty, sane_published, PageMeta};
use crate::source::Hints;

/// Fewer words than this after extraction: the page holds no article.
pub const MIN_WORDS: usize = 40;

/// What the article file's front matter says (and `extract --json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
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
}

/// The article cut out of its page, still as HTML.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub meta: Meta,
    /// The article's HTML.
    pub html: String,
    /// What its relative links and images resolve against.
    pub base: Option<Url>,
    /// What the page showed around the article, for cleaning; `None` for
    /// a feed's full text, which is taken as it is.
    pub tidy: Option<Tidy>,
    /// What was wrong but did not stop the article (a date out of range).
    pub warnings: Vec<Diagnostic>,
}

/// What the cleaning of an extracted page needs from the page.
#[derive(Debug, Clone)]
pub struct Tidy {
    pub opts: ExtractOptions,
    /// The byline as the extractor found it, to spot it repeated at the
    /// top of the body.
    pub byline_as_written: Option<String>,
    /// The text of each piece of chrome on the page.
    pub chrome_texts: Vec<String>,
    /// The page's lead figure (src, alt, caption), to put back when the
    /// extractor left every picture out.
    pub lead_figure: Option<(String, String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("found no article in the page (only {0} words of text)")]
    NoArticle(usize),
    #[error("the page is too complex to read ({0})")]
    Extractor(String),
    #[error(transparent)]
    Stopped(#[from] Stopped),
}

/// Options for [`page`]; the defaults are what pressbook uses.
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

/// The article in what was fetched; `hints` fill the date and byline a
/// page leaves out, and everything of a feed's full text.
pub fn extract(fetched: Fetched, hints: &Hints) -> Result<Extracted, ExtractError> {
    let published = hints.published.map(|p| p.to_rfc3339());
    let mut e = match fetched {
        Fetched::Page(p) => {
            let mut e = page(&p.html, p.url.as_ref(), ExtractOptions::default())?;
            e.meta.published = e.meta.published.or(published);
            e.meta.byline = e.meta.byline.or_else(|| hints.author.clone());
            e
        }
        Fetched::Fragment { html, url } => Extracted {
            base: url.as_deref().and_then(|u| Url::parse(u).ok()),
            meta: Meta {
                title: hints.title.clone(),
                byline: hints.author.clone(),
                published,
                url,
                language: hints.language.clone(),
                // A summary as long as an article is the article again.
                excerpt: hints.summary.clone().filter(|s| s.len() < 500),
                ..Meta::default()
            },
            html,
            tidy: None,
            warnings: Vec::new(),
        },
    };
    e.warnings.splice(0..0, hints.warnings.iter().cloned());
    Ok(e)
}

/// The page's stated date, when it is one an article can have; else
/// `None` and a warning saying why (a page dated 9999 or 1970).
fn sane_date(published: Option<String>, warnings: &mut Vec<Diagnostic>) -> Option<String> {
    let p = published?;
    match sane_published(&p, chrono::Utc::now()) {
        Ok(()) => Some(p),
        Err(why) => {
            warnings.push(Diagnostic::warning(format!(
                "{why}, so the article is taken as undated"
            )));
            None
        }
    }
}

/// Extracts the article from `html`, read from `page_url` (for resolving
/// relative links; `None` leaves them as written).
pub fn page(
    html: &str,
    page_url: Option<&Url>,
    opts: ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let doc = Document::from(html);
    cut_deep(&doc.root());
    let pm = PageMeta::read(&doc, page_url);
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
    let base = pm.base.clone().or_else(|| page_url.cloned());
    let resolve = |u: Option<String>| -> Option<String> {
        let u = nonempty(u)?;
        match &base {
            Some(b) => b.join(&u).ok().map(|x| x.to_string()),
            None => Some(u),
        }
    };
    let mut warnings = Vec::new();
    let site = nonempty(article.site_name.clone())
        .or(pm.publisher.clone())
        .or_else(|| {
            page_url
                .and_then(|u| u.host_str())
                .map(|h| h.trim_start_matches("www.").to_string())
        });
    let meta = Meta {
        title: nonempty(Some(article.title.clone()))
            .or(pm.title.clone())
            .map(|t| collapse(&t)),
        byline: clean_byline(article.byline.as_deref()).or(pm.author.clone()),
        published: sane_date(
            iso_date(article.published_time.as_deref())
                .or_else(|| pm.published.as_deref().and_then(|p| iso_date(Some(p)))),
            &mut warnings,
        ),
        site: site.map(|s| collapse(&s)),
        url: resolve(pm.canonical.clone()).or_else(|| page_url.map(|u| u.to_string())),
        language: nonempty(article.lang.clone())
            .or(pm.language.clone())
            .map(|l| l.replace('_', "-")),
        excerpt: nonempty(article.excerpt.clone())
            .or(pm.description.clone())
            .map(|e| collapse(&e)),
        lead_image: resolve(article.image.clone()).or_else(|| resolve(pm.image.clone())),
        rights: pm.rights.clone(),
    };
    Ok(Extracted {
        meta,
        html: article.content.to_string(),
        tidy: Some(Tidy {
            opts,
            byline_as_written: article.byline.clone(),
            chrome_texts: pm.chrome_texts,
            lead_figure: pm.lead_figure,
        }),
        base,
        warnings,
    })
}
