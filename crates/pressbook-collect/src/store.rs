//! What `add` and `fetch` remember between runs, in `pressbook.state.json`
//! beside the manifest: every saved article's addresses (normalized) and
//! feed item ids, so nothing is added twice, and each feed's ETag and
//! Last-Modified, for conditional requests. Deleting the file is safe: the
//! article files' `url:` lines are read back on the next run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::http::Validators;
use pressbook_model::output;

pub const STATE_NAME: &str = "pressbook.state.json";

/// Query parameters that only track where a reader came from.
const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "_ga",
    "ref",
    "ref_src",
    "cmpid",
    "smid",
    "ncid",
    "ocid",
    "spm",
    "mkt_tok",
    "at_medium",
    "at_campaign",
];

/// The address with tracking parameters, fragment, default port and
/// `www.` removed, scheme folded to https and host lowercased: the key
/// that tells two links to one article apart from two articles.
pub fn normalize_url(u: &str) -> String {
    let Ok(mut url) = Url::parse(u.trim()) else {
        return u.trim().to_string();
    };
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_") || TRACKING.contains(&k.as_str()))
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    let host = url
        .host_str()
        .map(|h| h.trim_start_matches("www.").to_ascii_lowercase());
    let port = url.port();
    let path = url.path().trim_end_matches('/').to_string();
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    match host {
        Some(h) => match port {
            Some(p) => format!("//{h}:{p}{path}{query}"),
            None => format!("//{h}{path}{query}"),
        },
        None => url.to_string(),
    }
}

/// What an article is known by: its addresses (asked for, reached after
/// redirects, canonical) and its feed item ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keys {
    pub addresses: Vec<String>,
    pub ids: Vec<String>,
}

impl Keys {
    pub fn of_addresses(addresses: Vec<String>) -> Keys {
        Keys {
            addresses,
            ids: Vec::new(),
        }
    }
}

/// One saved article.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SavedArticle {
    /// The article file, relative to the digest folder.
    pub file: String,
    /// Normalized addresses that lead to it (asked, final, canonical).
    pub urls: Vec<String>,
    /// Feed item ids, as `<feed url> <item id>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    pub fetched: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FeedState {
    #[serde(flatten)]
    pub validators: Validators,
    /// When the feed was last read (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct State {
    pub version: u32,
    #[serde(default)]
    pub feeds: BTreeMap<String, FeedState>,
    #[serde(default)]
    pub articles: Vec<SavedArticle>,
    /// Addresses of article files found without a state entry.
    #[serde(skip)]
    discovered: Vec<(String, String)>,
}

impl Default for State {
    fn default() -> Self {
        State {
            version: 1,
            feeds: BTreeMap::new(),
            articles: Vec::new(),
            discovered: Vec::new(),
        }
    }
}

impl State {
    /// Reads the state of the digest in `dir` (empty when there is none),
    /// plus the `url:` of every article file under `articles/`.
    pub fn load(dir: &Path) -> anyhow::Result<State> {
        let path = dir.join(STATE_NAME);
        let mut state = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} is damaged; delete it (articles already saved are still recognised by their url)",
                    path.display()
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::default(),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        state.discovered = article_urls(&dir.join("articles"), dir);
        Ok(state)
    }

    pub fn save(&self, dir: &Path) -> anyhow::Result<()> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        output::write_bytes(&dir.join(STATE_NAME), text.as_bytes())
    }

    /// The file already saved for any of these addresses or ids.
    pub fn find(&self, known: &Keys) -> Option<String> {
        let keys: Vec<String> = known.addresses.iter().map(|u| normalize_url(u)).collect();
        let ids = &known.ids;
        self.articles
            .iter()
            .find(|a| {
                a.urls.iter().any(|u| keys.contains(u)) || a.ids.iter().any(|i| ids.contains(i))
            })
            .map(|a| a.file.clone())
            .or_else(|| {
                self.discovered
                    .iter()
                    .find(|(u, _)| keys.contains(u))
                    .map(|(_, f)| f.clone())
            })
    }

    /// Notes a saved article under every key it is known by.
    pub fn record(&mut self, file: String, known: &Keys, fetched: String) {
        let mut keys: Vec<String> = Vec::new();
        for u in &known.addresses {
            let k = normalize_url(u);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        self.articles.push(SavedArticle {
            file,
            urls: keys,
            ids: known.ids.clone(),
            fetched,
        });
    }
}

/// `url:` lines of the Markdown files under `articles/` (normalized), so
/// an article saved by hand or before the state file existed counts.
fn article_urls(articles: &Path, dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![articles.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md") {
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                let front = text
                    .strip_prefix("---\n")
                    .and_then(|t| t.split("\n---").next());
                let Some(front) = front else { continue };
                for line in front.lines() {
                    if let Some(v) = line.strip_prefix("url:") {
                        let v = v.trim().trim_matches('"');
                        if !v.is_empty() {
                            let rel = p.strip_prefix(dir).unwrap_or(&p);
                            out.push((normalize_url(v), rel.to_string_lossy().replace('\\', "/")));
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_parameters_and_fragments_do_not_count() {
        let a = normalize_url(
            "https://www.Example.org/news/port/?utm_source=rss&utm_medium=feed&id=4#top",
        );
        let b = normalize_url("http://example.org/news/port?id=4&fbclid=xyz");
        assert_eq!(a, b);
        assert_ne!(a, normalize_url("https://example.org/news/port?id=5"));
        assert_eq!(
            normalize_url("http://127.0.0.1:8080/a"),
            "//127.0.0.1:8080/a"
        );
    }

    #[test]
    fn state_round_trips_and_finds_by_url_or_id() {
        let dir = std::env::temp_dir().join(format!("pb-state-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("articles")).unwrap();
        std::fs::write(
            dir.join("articles/hand.md"),
            "---\ntitle: x\nurl: \"https://example.org/hand?utm_campaign=a\"\n---\nBody\n",
        )
        .unwrap();
        let mut s = State::load(&dir).unwrap();
        s.record(
            "articles/a.md".into(),
            &Keys {
                addresses: vec!["https://example.org/a?utm_source=x".into()],
                ids: vec!["feed 1".into()],
            },
            "2026-11-20T00:00:00Z".into(),
        );
        let by_url = |u: &str| Keys::of_addresses(vec![u.to_string()]);
        s.save(&dir).unwrap();
        let s = State::load(&dir).unwrap();
        assert_eq!(
            s.find(&by_url("https://example.org/a")).as_deref(),
            Some("articles/a.md")
        );
        assert_eq!(
            s.find(&Keys {
                addresses: vec![],
                ids: vec!["feed 1".into()]
            })
            .as_deref(),
            Some("articles/a.md")
        );
        assert_eq!(
            s.find(&by_url("https://example.org/hand")).as_deref(),
            Some("articles/hand.md")
        );
        assert_eq!(s.find(&by_url("https://example.org/b")), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
