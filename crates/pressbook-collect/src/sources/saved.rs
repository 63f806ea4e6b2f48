//! A page saved to a file, or piped to standard input.

use std::io::Read;
use std::path::PathBuf;

use url::Url;

use crate::charset;
use crate::source::{Body, Cx, Hints, Item, Offer, Page, Source, SourceError};
use crate::store::Keys;

/// Largest saved page read from a file or standard input.
const MAX_LOCAL_PAGE: u64 = 32 << 20;

/// Where a saved page is.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    File(PathBuf),
    Stdin,
}

/// A page already on this machine: one item, its page in hand.
#[derive(Debug, Clone)]
pub struct SavedPage {
    place: Place,
    /// `--url`: the page's address, for relative links and dedupe.
    base: Option<Url>,
}

impl SavedPage {
    pub fn file(path: PathBuf, base: Option<Url>) -> SavedPage {
        SavedPage {
            place: Place::File(path),
            base,
        }
    }

    pub fn stdin(base: Option<Url>) -> SavedPage {
        SavedPage {
            place: Place::Stdin,
            base,
        }
    }

    fn bytes(&self) -> Result<Vec<u8>, SourceError> {
        match &self.place {
            Place::File(p) => {
                let read = |source| SourceError::Read {
                    path: p.clone(),
                    source,
                };
                let len = std::fs::metadata(p).map_err(read)?.len();
                if len > MAX_LOCAL_PAGE {
                    return Err(SourceError::TooLarge {
                        path: p.clone(),
                        bytes: len,
                        limit: MAX_LOCAL_PAGE,
                    });
                }
                std::fs::read(p).map_err(read)
            }
            Place::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .take(MAX_LOCAL_PAGE + 1)
                    .read_to_end(&mut bytes)
                    .map_err(SourceError::Stdin)?;
                if bytes.len() as u64 > MAX_LOCAL_PAGE {
                    return Err(SourceError::StdinTooLarge(MAX_LOCAL_PAGE));
                }
                Ok(bytes)
            }
        }
    }
}

impl Source for SavedPage {
    fn name(&self) -> String {
        match &self.place {
            Place::File(p) => p.display().to_string(),
            Place::Stdin => "standard input".into(),
        }
    }

    fn offer(&mut self, _cx: &mut Cx) -> Result<Offer, SourceError> {
        let (html, _) =
            charset::decode_html(&self.bytes()?, None).map_err(|why| SourceError::NotText {
                name: self.name(),
                why,
            })?;
        let page = Page {
            html,
            url: self.base.clone(),
            addresses: self.base.iter().map(|u| u.to_string()).collect(),
        };
        Ok(Offer::Items(vec![Item {
            shown: self.name(),
            keys: Keys::default(),
            hints: Hints::default(),
            body: Body::Page(page),
            section: None,
            polite: false,
        }]))
    }
}
