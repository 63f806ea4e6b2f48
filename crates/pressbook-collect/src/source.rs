//! The first step of the line: the [`Source`] trait, and the [`Item`]s a
//! source offers. A source says where articles are and what it knows of
//! them; fetching, extracting, cleaning, images and saving are the line's
//! business, the same for every source.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use url::Url;

use crate::feeds::FeedError;
use crate::http::{Http, HttpError};
use crate::store::{Keys, State};

/// Where articles come from: a page's address, a saved page, a feed (and,
/// to come, a mailbox, a folder of files, a page rendered by a browser).
pub trait Source {
    /// How the source is named in messages: its address, file or feed.
    fn name(&self) -> String;

    /// The items the source offers now.
    fn offer(&mut self, cx: &mut Cx) -> Result<Offer, SourceError>;

    /// Called once every offered item went through the line (`all_ok`:
    /// none failed), so that the source can note what it needs next time
    /// (a feed's validators). True when it changed `state`.
    fn remember(&self, _state: &mut State, _all_ok: bool) -> bool {
        false
    }
}

/// What a source may use while making its offer.
pub struct Cx<'a> {
    pub http: &'a mut Http,
    /// What earlier runs saved (a feed's validators, for a conditional
    /// request).
    pub state: &'a State,
}

/// What a source has for this run.
#[derive(Debug)]
pub enum Offer {
    Items(Vec<Item>),
    /// Nothing changed since the last run (a feed answered 304).
    Unchanged,
}

/// One article-to-be, as its source knows it.
#[derive(Debug, Clone)]
pub struct Item {
    /// How the item is named in messages.
    pub shown: String,
    /// The addresses and ids it is known by before anything is fetched.
    pub keys: Keys,
    /// What the source says of the article, for what the page leaves out.
    pub hints: Hints,
    pub body: Body,
    /// The section the source puts it in.
    pub section: Option<String>,
    /// Read on the robot's own initiative (a feed's items), so robots.txt
    /// is asked before its page is fetched. A page a person names is not.
    pub polite: bool,
}

/// What a source says of an article: a feed item's title, author, date.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub summary: Option<String>,
    pub language: Option<String>,
    /// What the source found wrong with what it says (a date out of
    /// range), reported with the article.
    pub warnings: Vec<pressbook_model::diag::Diagnostic>,
}

/// Where the item's text is.
#[derive(Debug, Clone)]
pub enum Body {
    /// A page to fetch. `base` (`--url`) replaces the address it is read
    /// as.
    Link { url: String, base: Option<Url> },
    /// A page already in hand (a saved file, standard input).
    Page(Page),
    /// The article's own HTML (a feed's full text): nothing to fetch and
    /// nothing to cut out. `url` is the article's address, which relative
    /// links resolve against.
    Fragment { html: String, url: Option<String> },
    /// Neither a page nor text (a feed item without link or content).
    Nothing,
}

/// A page as text.
#[derive(Debug, Clone)]
pub struct Page {
    pub html: String,
    /// The address the page was read from (after redirects) or given with
    /// `--url`.
    pub url: Option<Url>,
    /// Every address it was known by, for dedupe.
    pub addresses: Vec<String>,
}

/// Why a source could offer nothing.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("--url {0:?} is not an absolute http(s) address")]
    Base(String),
    #[error("cannot read {}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read standard input")]
    Stdin(#[source] std::io::Error),
    #[error("{} is {} MiB, over the {} MiB limit for a page", .path.display(), .bytes >> 20, .limit >> 20)]
    TooLarge {
        path: PathBuf,
        bytes: u64,
        limit: u64,
    },
    #[error("standard input is over the {} MiB limit for a page", .0 >> 20)]
    StdinTooLarge(u64),
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    NotAFeed(FeedError),
    #[error("{name} is no page: {why}")]
    NotText {
        name: String,
        why: crate::charset::NotText,
    },
}
