//! The second step: an item's [`Body`] → [`Fetched`], its page read over
//! HTTP when the source gave only an address. Pages must be HTML; their
//! bytes become text by [`crate::charset`].

use url::Url;

use crate::charset;
use crate::http::{self, Http, HttpError};
use crate::source::{Body, Page};

/// What an item's text is, once in hand.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// A whole page, for the extractor to cut the article out of.
    Page(Page),
    /// The article's own HTML (a feed's full text) and its address.
    Fragment { html: String, url: Option<String> },
}

impl Fetched {
    /// The addresses the fetch found the article under (asked, and after
    /// redirects), for dedupe.
    pub fn addresses(&self) -> &[String] {
        match self {
            Fetched::Page(p) => &p.addresses,
            Fetched::Fragment { .. } => &[],
        }
    }
}

/// Why an item's page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("{0} answered 304 Not Modified to a plain request")]
    NotModified(String),
    #[error("{url} is not an HTML page (its content type is {mime}); give the address of the article's page")]
    NotHtml { url: String, mime: String },
    #[error("the item has neither a link nor its full text")]
    Nothing,
    #[error("{url} is no page: {why}")]
    NotText { url: String, why: charset::NotText },
}

/// What pages are asked for.
const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

/// Reads what `body` points at; a page or text in hand passes unchanged.
pub fn fetch(http: &mut Http, body: Body) -> Result<Fetched, FetchError> {
    match body {
        Body::Link { url, base } => page(http, &url, base).map(Fetched::Page),
        Body::Page(p) => Ok(Fetched::Page(p)),
        Body::Fragment { html, url } => Ok(Fetched::Fragment { html, url }),
        Body::Nothing => Err(FetchError::Nothing),
    }
}

/// The page at `url`; `base` (`--url`) replaces the address it is read as.
fn page(http: &mut Http, url: &str, base: Option<Url>) -> Result<Page, FetchError> {
    let limit = http.options().max_page_bytes;
    let resp = match http.get(url, ACCEPT_HTML, limit, None)? {
        http::Fetched::Body(r) => r,
        http::Fetched::NotModified => return Err(FetchError::NotModified(url.to_string())),
    };
    if let Some(ct) = &resp.content_type {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !(mime.is_empty() || mime == "text/html" || mime == "application/xhtml+xml") {
            return Err(FetchError::NotHtml {
                url: url.to_string(),
                mime,
            });
        }
    }
    let (html, _) =
        charset::decode_html(&resp.body, resp.content_type.as_deref()).map_err(|why| {
            FetchError::NotText {
                url: url.to_string(),
                why,
            }
        })?;
    let read_as = Url::parse(&resp.url).ok().or_else(|| Url::parse(url).ok());
    let mut addresses = vec![url.to_string()];
    if resp.url != url {
        addresses.push(resp.url.clone());
    }
    Ok(Page {
        html,
        url: base.or(read_as),
        addresses,
    })
}
