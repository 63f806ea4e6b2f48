//! RSS 0.9x/1.0/2.0, Atom 1.0 and JSON Feed 1.x, read with feed-rs into
//! the items `fetch` considers.

use chrono::{DateTime, Utc};

use crate::blocks::collapse;

/// A feed item, reduced to what `fetch` needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `<feed url> <item id>`: unique across feeds.
    pub key: String,
    pub link: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub summary: Option<String>,
    /// The item's own HTML body, when the feed carries the whole article.
    pub full_text: Option<String>,
}

/// A parsed feed.
#[derive(Debug, Clone)]
pub struct Feed {
    pub title: Option<String>,
    pub language: Option<String>,
    /// Newest first.
    pub items: Vec<Item>,
}

/// Why a body is not a feed: feed-rs's words.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct FeedError(#[from] feed_rs::parser::ParseFeedError);

/// A body of at least this many words is the whole article, not a teaser.
pub const FULL_TEXT_WORDS: usize = 150;

/// Parses a feed body fetched from `url`.
pub fn parse(body: &[u8], url: &str) -> Result<Feed, FeedError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        // The default gives undated, unlinked items a random id; a stable
        // one keeps dedupe working across runs.
        .id_generator(|links, title, _| {
            links
                .first()
                .map(|l| l.href.clone())
                .or_else(|| title.as_ref().map(|t| t.content.clone()))
                .unwrap_or_default()
        })
        .build();
    let feed = parser.parse(body)?;
    let mut items: Vec<Item> = feed
        .entries
        .iter()
        .map(|e| {
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or_else(|| e.links.first())
                .map(|l| l.href.clone());
            let body = e.content.as_ref().and_then(|c| c.body.clone());
            let full_text = body.filter(|b| is_full_text(b));
            Item {
                key: format!("{url} {}", e.id),
                link,
                title: e.title.as_ref().map(|t| text_of(&t.content)),
                author: {
                    let names: Vec<String> = e
                        .authors
                        .iter()
                        .filter_map(|p| p.name.clone())
                        .filter(|n| !n.trim().is_empty())
                        .collect();
                    (!names.is_empty()).then(|| names.join(", "))
                },
                published: e.published.or(e.updated),
                summary: e.summary.as_ref().map(|s| text_of(&s.content)),
                full_text,
            }
        })
        .collect();
    // Newest first; undated items after dated ones, in feed order.
    items.sort_by_key(|i| std::cmp::Reverse(i.published));
    Ok(Feed {
        title: feed.title.map(|t| text_of(&t.content)),
        language: feed.language,
        items,
    })
}

/// The feed's body is used instead of the page when it is long enough to
/// be the article and does not end by sending the reader elsewhere.
pub fn is_full_text(html: &str) -> bool {
    let text = text_of(html);
    let words = text.split_whitespace().count();
    let tail: String = text
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = tail.to_lowercase();
    let teaser = tail.ends_with('…')
        || tail.ends_with("...")
        || tail.contains("read more")
        || tail.contains("continue reading")
        || tail.contains("[…]");
    words >= FULL_TEXT_WORDS && !teaser
}

/// Text of an HTML (or plain) snippet.
fn text_of(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return collapse(s);
    }
    let doc = dom_query::Document::fragment(s.to_string());
    collapse(&doc.root().text())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Port News</title>
      <item><title>Old</title><link>https://n.example/old</link><guid>old-1</guid><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
      <item><title>New</title><link>https://n.example/new?utm_source=rss</link><guid>new-1</guid><pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate><description>Short teaser…</description></item>
      </channel></rss>"#;

    #[test]
    fn rss_items_come_newest_first() {
        let f = parse(RSS.as_bytes(), "https://n.example/feed.xml").unwrap();
        assert_eq!(f.title.as_deref(), Some("Port News"));
        assert_eq!(f.items[0].title.as_deref(), Some("New"));
        assert_eq!(f.items[0].key, "https://n.example/feed.xml new-1");
        assert!(f.items[0].full_text.is_none());
    }

    #[test]
    fn not_a_feed_is_an_error() {
        assert!(parse(b"<html><body>nope</body></html>", "https://n.example/").is_err());
        assert!(parse(b"\x00\x01garbage", "https://n.example/").is_err());
    }

    #[test]
    fn teasers_are_not_full_text() {
        let long = "word ".repeat(200);
        assert!(is_full_text(&format!("<p>{long}</p>")));
        assert!(!is_full_text(&format!("<p>{long} Read more</p>")));
        assert!(!is_full_text("<p>Just a few words.</p>"));
    }
}
