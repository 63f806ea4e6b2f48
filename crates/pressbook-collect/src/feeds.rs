//! RSS 0.9x/1.0/2.0, Atom 1.0 and JSON Feed 1.x, read with feed-rs into
//! the items `fetch` considers.

use chrono::{DateTime, Utc};

use crate::blocks::collapse;
use crate::charset::{self, NotText};
use crate::guard::{guarded, Stopped};
use crate::meta::outside_window;

/// A feed item, reduced to what `fetch` needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `<feed url> <item id>`: unique across feeds.
    pub key: String,
    pub link: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// Why the date the feed gave was not taken, naming it.
    pub date_refused: Option<String>,
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

/// Why a body is not a feed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    // feed-rs's words go in brackets, not into the chain of causes.
    #[error("it is not an RSS, Atom or JSON feed ({0})")]
    Parse(#[from] feed_rs::parser::ParseFeedError),
    #[error(transparent)]
    Text(#[from] NotText),
    #[error(transparent)]
    Stopped(#[from] Stopped),
}

/// A body of at least this many words is the whole article, not a teaser.
pub const FULL_TEXT_WORDS: usize = 150;

/// Parses a feed body fetched from `url`, served as `content_type`. The
/// bytes are decoded first (any charset, checked to be text); parsing runs
/// behind [`guarded`], so a parser crash is this feed's error only.
pub fn parse(body: &[u8], url: &str, content_type: Option<&str>) -> Result<Feed, FeedError> {
    let text = charset::decode_feed(body, content_type)?;
    let url = url.to_string();
    guarded("feed parser", None, move || parse_text(&text, &url))?
}

fn parse_text(text: &str, url: &str) -> Result<Feed, FeedError> {
    let now = Utc::now();
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
    let feed = parser.parse(text.as_bytes())?;
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
            let stated = e.published.or(e.updated);
            let date_refused = stated.and_then(|d| {
                outside_window(d.date_naive(), now).map(|why| {
                    format!(
                        "its date {} is {why}, so it is taken as undated",
                        d.format("%Y-%m-%d")
                    )
                })
            });
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
                published: stated.filter(|_| date_refused.is_none()),
                date_refused,
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
    collapse(&crate::convert::reader_text(&doc.root()))
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
        let f = parse(RSS.as_bytes(), "https://n.example/feed.xml", None).unwrap();
        assert_eq!(f.title.as_deref(), Some("Port News"));
        assert_eq!(f.items[0].title.as_deref(), Some("New"));
        assert_eq!(f.items[0].key, "https://n.example/feed.xml new-1");
        assert!(f.items[0].full_text.is_none());
    }

    #[test]
    fn not_a_feed_is_an_error() {
        assert!(parse(
            b"<html><body>nope</body></html>",
            "https://n.example/",
            None
        )
        .is_err());
        assert!(parse(b"\x00\x01garbage", "https://n.example/", None).is_err());
    }

    #[test]
    fn teasers_are_not_full_text() {
        let long = "word ".repeat(200);
        assert!(is_full_text(&format!("<p>{long}</p>")));
        assert!(!is_full_text(&format!("<p>{long} Read more</p>")));
        assert!(!is_full_text("<p>Just a few words.</p>"));
    }

    /// The same feed in every charset pressbook meets, with and without a
    /// byte-order mark, declared rightly, wrongly or not at all: each is
    /// read, or refused with an error; none crashes.
    #[test]
    fn every_charset_and_mark_is_read_or_refused() {
        let feed = |decl: &str| {
            format!("<?xml version=\"1.0\"{decl}?><rss version=\"2.0\"><channel><title>Kaï Port — 港</title>\
            <item><title>Grüße</title><link>https://n.example/a</link><guid>a</guid></item></channel></rss>")
        };
        let encodings = [
            encoding_rs::UTF_8,
            encoding_rs::UTF_16LE,
            encoding_rs::UTF_16BE,
            encoding_rs::WINDOWS_1252,
            encoding_rs::ISO_8859_2,
            encoding_rs::SHIFT_JIS,
            encoding_rs::GB18030,
            encoding_rs::KOI8_R,
        ];
        let labels = [
            "",
            " encoding=\"UTF-8\"",
            " encoding=\"UTF-16\"",
            " encoding=\"ISO-8859-1\"",
            " encoding=\"bogus\"",
        ];
        for enc in encodings {
            for decl in labels {
                for bom in [false, true] {
                    for header in [
                        None,
                        Some("application/xml; charset=utf-8"),
                        Some("text/xml; charset=utf-16"),
                    ] {
                        let text = feed(decl);
                        let mut bytes = match (bom, enc) {
                            (true, e) if e == encoding_rs::UTF_8 => b"\xEF\xBB\xBF".to_vec(),
                            (true, e) if e == encoding_rs::UTF_16LE => b"\xFF\xFE".to_vec(),
                            (true, e) if e == encoding_rs::UTF_16BE => b"\xFE\xFF".to_vec(),
                            _ => Vec::new(),
                        };
                        let marked = !bytes.is_empty();
                        bytes.extend(encode(&text, enc));
                        let got = parse(&bytes, "https://n.example/feed.xml", header);
                        // Each combination is read or refused; whatever
                        // names its charset truly is read in full.
                        let utf16 = enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE;
                        let said_utf8 = header == Some("application/xml; charset=utf-8")
                            || !decl.contains("ISO-8859-1");
                        let truthful = marked || utf16 || (enc == encoding_rs::UTF_8 && said_utf8);
                        if truthful {
                            let f = got.unwrap_or_else(|e| {
                                panic!("{} {decl:?} {header:?}: {e}", enc.name())
                            });
                            assert_eq!(
                                f.items[0].title.as_deref(),
                                Some("Grüße"),
                                "{} {decl:?}",
                                enc.name()
                            );
                        }
                    }
                }
            }
        }
    }

    /// `text` in `enc`; encoding_rs only encodes into ASCII-compatible
    /// charsets, so UTF-16 is made by hand.
    fn encode(text: &str, enc: &'static encoding_rs::Encoding) -> Vec<u8> {
        if enc == encoding_rs::UTF_16LE {
            return text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        }
        if enc == encoding_rs::UTF_16BE {
            return text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        }
        enc.encode(text).0.into_owned()
    }

    #[test]
    fn invalid_utf8_and_binary_are_said_as_such() {
        let mut b = RSS.as_bytes().to_vec();
        b.insert(60, 0xff);
        let e = parse(&b, "https://n.example/f", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not valid UTF-8 (at byte 60)"), "{e}");
        let noise: Vec<u8> = (0..4000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let e = parse(
            &noise,
            "https://n.example/f",
            Some("application/rss+xml; charset=windows-1252"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("binary data"), "{e}");
    }

    #[test]
    fn dates_outside_the_window_are_dropped_with_a_reason() {
        let rss = RSS
            .replace(
                "Fri, 20 Nov 2026 08:00:00 GMT",
                "Fri, 31 Dec 9999 08:00:00 GMT",
            )
            .replace(
                "Mon, 02 Nov 2026 08:00:00 GMT",
                "Thu, 01 Jan 1970 00:00:00 GMT",
            );
        let f = parse(rss.as_bytes(), "https://n.example/feed.xml", None).unwrap();
        for i in &f.items {
            assert_eq!(i.published, None, "{i:?}");
            assert!(i.date_refused.is_some(), "{i:?}");
        }
        assert!(f.items.iter().any(|i| i
            .date_refused
            .as_deref()
            .unwrap()
            .contains("9999-12-31 is more than a day in the future")));
        assert!(f
            .items
            .iter()
            .any(|i| i.date_refused.as_deref().unwrap().contains("before 1990")));
    }

    /// The fuzz target `tests/fuzz/fuzz_targets/feed.rs`, run as a bounded
    /// randomized test: feeds in every charset, with and without marks,
    /// cut and mutated, and plain noise. No input may crash the parser
    /// (the guard would report it as `Crashed`). `PROPTEST_CASES` runs more.
    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        const LABELS: &[Option<&str>] = &[
            None,
            Some("application/rss+xml; charset=utf-8"),
            Some("text/xml; charset=utf-16"),
            Some("text/xml; charset=utf-16be"),
            Some("application/atom+xml; charset=windows-1252"),
            Some("application/xml; charset=shift_jis"),
        ];

        const SEEDS: &[&str] = &[
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Grüße 港</title><link>https://n.example/a</link><pubDate>Fri, 31 Dec 99999 08:00:00 GMT</pubDate></item></channel></rss>",
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title><entry><title>é</title><id>x</id><updated>9999-12-31T00:00:00Z</updated><content type=\"html\">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>",
            "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\",\"items\":[{\"id\":\"1\",\"content_html\":\"<p>x</p>\",\"date_published\":\"+99999-01-01T00:00:00Z\"}]}",
        ];

        fn bytes_of(seed: usize, form: u8) -> Vec<u8> {
            let text = SEEDS[seed % SEEDS.len()];
            match form % 6 {
                0 => text.as_bytes().to_vec(),
                1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                2 => [
                    vec![0xFF, 0xFE],
                    text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                ]
                .concat(),
                3 => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
                4 => [
                    vec![0xFE, 0xFF],
                    text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                ]
                .concat(),
                _ => encoding_rs::SHIFT_JIS.encode(text).0.into_owned(),
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]
            #[test]
            fn no_feed_crashes_the_parser(
                seed in 0usize..3,
                form in 0u8..6,
                edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..12),
                cut in any::<prop::sample::Index>(),
                noise in proptest::collection::vec(any::<u8>(), 0..64),
            ) {
                let mut b = bytes_of(seed, form);
                for (at, byte, how) in edits {
                    if b.is_empty() { break; }
                    let i = at.index(b.len());
                    match how {
                        0 => b[i] = byte,
                        1 => b.insert(i, byte),
                        _ => { b.remove(i); }
                    }
                }
                if !b.is_empty() {
                    let keep = cut.index(b.len() + 1).max(b.len() / 2);
                    b.truncate(keep);
                }
                for input in [b.clone(), noise.clone(), [b.as_slice(), noise.as_slice()].concat()] {
                    for label in LABELS {
                        let r = parse(&input, "https://feeds.example/f.xml", *label);
                        prop_assert!(
                            !matches!(r, Err(FeedError::Stopped(Stopped::Crashed { .. }))),
                            "crashed on {:?} as {:?}: {:?}", input, label, r.err()
                        );
                    }
                }
            }
        }
    }
}
