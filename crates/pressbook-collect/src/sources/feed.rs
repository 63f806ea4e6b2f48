//! The new items of one `[[feeds]]` entry: the feed read (conditionally,
//! with the validators of the last run), parsed by [`crate::feeds`], and
//! its items not older than `--since`, at most `max` of them.

use chrono::{DateTime, Utc};
use pressbook_model::manifest::FeedPlan;

use crate::feeds::{self, Feed};
use crate::http::{Fetched, Validators};
use crate::source::{Body, Cx, Hints, Item, Offer, Source, SourceError};
use crate::store::{Keys, State};

/// What feeds are asked for.
const ACCEPT_FEEDS: &str = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5";

/// A feed of the manifest, offering its fresh items.
#[derive(Debug, Clone)]
pub struct FeedItems {
    plan: FeedPlan,
    since: DateTime<Utc>,
    /// The validators of this run's answer, kept for the next run.
    validators: Validators,
}

impl FeedItems {
    pub fn new(plan: FeedPlan, since: DateTime<Utc>) -> FeedItems {
        FeedItems {
            plan,
            since,
            validators: Validators::default(),
        }
    }

    /// An item of the feed, as the line takes it.
    fn item(&self, i: &feeds::Item, feed: &Feed, section: Option<&str>) -> Item {
        let body = match (&i.full_text, &i.link) {
            (Some(html), link) => Body::Fragment {
                html: html.clone(),
                url: link.clone(),
            },
            (None, Some(link)) => Body::Link {
                url: link.clone(),
                base: None,
            },
            (None, None) => Body::Nothing,
        };
        Item {
            shown: i.link.clone().unwrap_or_else(|| i.key.clone()),
            keys: Keys {
                addresses: i.link.iter().cloned().collect(),
                ids: vec![i.key.clone()],
            },
            hints: Hints {
                title: i.title.clone(),
                author: i.author.clone(),
                published: i.published,
                summary: i.summary.clone(),
                language: feed.language.clone(),
                warnings: i
                    .date_refused
                    .iter()
                    .map(|why| {
                        pressbook_model::diag::Diagnostic::warning(format!(
                            "{}: {why}",
                            i.link.as_deref().unwrap_or(&i.key)
                        ))
                    })
                    .collect(),
            },
            body,
            section: section.map(str::to_string),
            polite: true,
        }
    }
}

impl Source for FeedItems {
    fn name(&self) -> String {
        format!("feed {}", self.plan.url)
    }

    fn offer(&mut self, cx: &mut Cx) -> Result<Offer, SourceError> {
        let last = cx.state.feeds.get(&self.plan.url).map(|s| &s.validators);
        let limit = cx.http.options().max_page_bytes;
        let resp = match cx.http.get(
            &self.plan.url,
            ACCEPT_FEEDS,
            limit,
            last.filter(|v| !v.is_empty()),
        )? {
            Fetched::Body(r) => r,
            Fetched::NotModified => return Ok(Offer::Unchanged),
        };
        let feed = feeds::parse(&resp.body, &resp.url, resp.content_type.as_deref())
            .map_err(SourceError::NotAFeed)?;
        self.validators = resp.validators;
        let section = self
            .plan
            .section
            .clone()
            .or_else(|| feed.title.clone())
            .filter(|s| !s.trim().is_empty());
        // The newest `max` items not older than `--since` (undated ones
        // count).
        let items = feed
            .items
            .iter()
            .filter(|i| i.published.is_none_or(|p| p >= self.since))
            .take(self.plan.max)
            .map(|i| self.item(i, &feed, section.as_deref()))
            .collect();
        Ok(Offer::Items(items))
    }

    /// Notes when the feed was read. Its validators are kept only when
    /// every item came in, so a failed item is tried again next time
    /// rather than hidden behind a 304.
    fn remember(&self, state: &mut State, all_ok: bool) -> bool {
        let entry = state.feeds.entry(self.plan.url.clone()).or_default();
        entry.checked = Some(Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        entry.validators = if all_ok {
            self.validators.clone()
        } else {
            Validators::default()
        };
        true
    }
}
