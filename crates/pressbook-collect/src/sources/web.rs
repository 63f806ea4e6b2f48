//! A page's address, as a person gives it to `add` or `extract`.

use url::Url;

use crate::source::{Body, Cx, Hints, Item, Offer, Source, SourceError};
use crate::store::Keys;

/// The page at an address: one item, fetched by the line.
#[derive(Debug, Clone)]
pub struct WebPage {
    url: String,
    /// `--url`: the address the page is read as.
    base: Option<Url>,
}

impl WebPage {
    pub fn new(url: &str, base: Option<Url>) -> WebPage {
        WebPage {
            url: url.to_string(),
            base,
        }
    }
}

impl Source for WebPage {
    fn name(&self) -> String {
        self.url.clone()
    }

    fn offer(&mut self, _cx: &mut Cx) -> Result<Offer, SourceError> {
        Ok(Offer::Items(vec![Item {
            shown: self.url.clone(),
            // Looked up once the page answers, under every address it
            // gives (the one asked for among them), as `add` always did.
            keys: Keys::default(),
            hints: Hints::default(),
            body: Body::Link {
                url: self.url.clone(),
                base: self.base.clone(),
            },
            section: None,
            // A person named it, as in a browser: robots.txt is not asked.
            polite: false,
        }]))
    }
}
