//! robots.txt (RFC 9309): read once per host and run, then asked before
//! `fetch` requests an item's page.
//!
//! `fetch` reads many pages unattended, so it honours what a site asks of
//! robots. `add` and `extract` fetch the one address a person gave them, as
//! a browser would, and do not ask; nor do feed requests (the editor
//! subscribed to the feed) or the images of an article being saved.

use std::collections::HashMap;

use url::Url;

use crate::http::{Fetched, Http, HttpError};

/// Largest robots.txt read; RFC 9309 asks crawlers to read at least
/// 500 KiB.
const MAX_ROBOTS_BYTES: u64 = 512 << 10;

/// One `Allow` or `Disallow` line.
#[derive(Debug, Clone, PartialEq)]
struct Rule {
    allow: bool,
    /// The path pattern, percent-encoded, with `*` and a final `$`.
    pattern: String,
}

/// A group: the user agents it names and their rules.
#[derive(Debug, Clone, Default, PartialEq)]
struct Group {
    agents: Vec<String>,
    rules: Vec<Rule>,
}

/// A parsed robots.txt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    groups: Vec<Group>,
}

impl Robots {
    /// Parses robots.txt text. Lines it does not know (`Sitemap`,
    /// `Crawl-delay`, typos) are ignored, as are rules before the first
    /// `User-agent`.
    pub fn parse(text: &str) -> Robots {
        let mut groups: Vec<Group> = Vec::new();
        // True while the current group is still collecting User-agent lines.
        let mut naming = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !naming {
                        groups.push(Group::default());
                        naming = true;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.agents.push(agent_name(value));
                    }
                }
                "allow" | "disallow" => {
                    naming = false;
                    // An empty Disallow allows everything: it adds no rule.
                    if value.is_empty() {
                        continue;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.rules.push(Rule {
                            allow: key == "allow",
                            pattern: normal_pattern(value),
                        });
                    }
                }
                _ => {}
            }
        }
        Robots { groups }
    }

    /// The rules for `token` (our User-Agent's product token): those of
    /// every group naming it, case-insensitively, else those of `*`.
    /// Also the name of the group the rules came from.
    fn rules_for(&self, token: &str) -> (Vec<&Rule>, &'static str) {
        let token = token.to_ascii_lowercase();
        let pick = |name: &str| -> Vec<&Rule> {
            self.groups
                .iter()
                .filter(|g| g.agents.iter().any(|a| a == name))
                .flat_map(|g| g.rules.iter())
                .collect()
        };
        let named = self.groups.iter().any(|g| g.agents.contains(&token));
        if named {
            (pick(&token), "own")
        } else {
            (pick("*"), "*")
        }
    }

    /// Whether `token` may fetch `path` (path and query, percent-encoded):
    /// the longest matching pattern decides, `Allow` winning a tie; no
    /// matching rule allows.
    pub fn allows(&self, token: &str, path: &str) -> bool {
        if path == "/robots.txt" {
            return true;
        }
        let (rules, _) = self.rules_for(token);
        let mut best: Option<(usize, bool)> = None;
        for r in rules {
            if !pattern_matches(&r.pattern, path) {
                continue;
            }
            let len = r.pattern.len();
            best = match best {
                Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                _ => Some((len, r.allow)),
            };
        }
        best.is_none_or(|(_, allow)| allow)
    }

    /// Which group applies to `token`: `"own"` (one naming it) or `"*"`.
    pub fn group_for(&self, token: &str) -> &'static str {
        self.rules_for(token).1
    }
}

/// `Googlebot/2.1` → `googlebot`: the name a User-agent line gives.
fn agent_name(value: &str) -> String {
    value
        .split(|c: char| c == '/' || c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The product token of a User-Agent header: `pressbook/0.1.0 (+…)` →
/// `pressbook`.
pub fn product_token(user_agent: &str) -> String {
    agent_name(user_agent.trim())
}

/// A pattern as URLs are written: starting with `/` (or `*`), characters
/// outside ASCII percent-encoded.
fn normal_pattern(value: &str) -> String {
    let mut p = String::new();
    if !value.starts_with('/') && !value.starts_with('*') {
        p.push('/');
    }
    for c in value.chars() {
        if c.is_ascii() && !c.is_ascii_control() && c != ' ' {
            p.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                p.push_str(&format!("%{b:02X}"));
            }
        }
    }
    p
}

/// Whether `pattern` matches the start of `path` (all of it when the
/// pattern ends in `$`); `*` matches any run of characters.
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let (pat, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p.as_bytes(), true),
        None => (pattern.as_bytes(), false),
    };
    let s = path.as_bytes();
    let (mut pi, mut si) = (0, 0);
    // Where the last `*` was, and how much of the path it has taken.
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi == pat.len() {
            if !anchored || si == s.len() {
                return true;
            }
        } else if pat[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
            continue;
        } else if si < s.len() && pat[pi] == s[si] {
            pi += 1;
            si += 1;
            continue;
        }
        match star {
            Some((sp, ss)) if ss < s.len() => {
                star = Some((sp, ss + 1));
                pi = sp + 1;
                si = ss + 1;
            }
            _ => return false,
        }
    }
}

/// What robots.txt says about one address.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Allowed,
    /// `robots` (the robots.txt address) disallows it for `agent`.
    Disallowed {
        robots: String,
        agent: String,
    },
    /// robots.txt could not be read (a 5xx answer, a timeout, no
    /// connection): RFC 9309 asks crawlers to assume everything is
    /// disallowed then.
    Unreadable {
        robots: String,
        why: String,
    },
}

/// What a host's robots.txt gave.
#[derive(Debug, Clone)]
enum HostRules {
    Rules(Robots),
    /// 4xx (usually 404): no rules, everything allowed.
    None,
    Unreadable(String),
}

/// robots.txt of each host, read once per run.
#[derive(Debug, Default)]
pub struct RobotsCache {
    hosts: HashMap<String, HostRules>,
}

impl RobotsCache {
    /// Asks robots.txt of `url`'s host (read on first use) whether our
    /// User-Agent may fetch `url`.
    pub fn check(&mut self, http: &mut Http, url: &str) -> Verdict {
        let Ok(u) = Url::parse(url) else {
            return Verdict::Allowed;
        };
        let Some(robots_url) = robots_url(&u) else {
            return Verdict::Allowed;
        };
        let rules = self
            .hosts
            .entry(robots_url.to_string())
            .or_insert_with(|| read(http, robots_url.as_str()));
        let token = product_token(&http.options().user_agent);
        match rules {
            HostRules::None => Verdict::Allowed,
            HostRules::Unreadable(why) => Verdict::Unreadable {
                robots: robots_url.to_string(),
                why: why.clone(),
            },
            HostRules::Rules(r) => {
                let mut path = u.path().to_string();
                if let Some(q) = u.query() {
                    path.push('?');
                    path.push_str(q);
                }
                if r.allows(&token, &path) {
                    Verdict::Allowed
                } else {
                    let agent = match r.group_for(&token) {
                        "*" => "*".to_string(),
                        _ => token,
                    };
                    Verdict::Disallowed {
                        robots: robots_url.to_string(),
                        agent,
                    }
                }
            }
        }
    }
}

/// `scheme://host[:port]/robots.txt` for an http(s) address.
fn robots_url(u: &Url) -> Option<Url> {
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return None;
    }
    let mut r = u.clone();
    r.set_path("/robots.txt");
    r.set_query(None);
    r.set_fragment(None);
    Some(r)
}

fn read(http: &mut Http, url: &str) -> HostRules {
    match http.get(url, "text/plain", MAX_ROBOTS_BYTES, None) {
        Ok(Fetched::Body(r)) => HostRules::Rules(Robots::parse(&String::from_utf8_lossy(&r.body))),
        Ok(Fetched::NotModified) => HostRules::None,
        Err(HttpError::Status { status, .. }) if (400..500).contains(&status) => HostRules::None,
        Err(e) => HostRules::Unreadable(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "\
# Harbour Daily
User-agent: *
Disallow: /

User-agent: Pressbook/0.1
user-agent: otherbot
Allow: /news/
Disallow: /news/ferry   # ferry pages are syndicated
Disallow: /*.pdf$
Disallow:

Sitemap: https://harbour.example/sitemap.xml
User-agent: pressbook
Disallow: /drafts
";

    #[test]
    fn our_group_wins_over_the_star_and_is_merged() {
        let r = Robots::parse(TXT);
        assert!(r.allows("pressbook", "/news/cranes.html"));
        assert!(!r.allows("pressbook", "/news/ferry.html"));
        assert!(!r.allows("PressBook", "/drafts/x"));
        assert!(r.allows("pressbook", "/about"), "no rule matches");
        assert!(
            !r.allows("harbourweekbot", "/news/cranes.html"),
            "falls to *"
        );
        assert!(r.allows("harbourweekbot", "/robots.txt"));
        assert_eq!(r.group_for("pressbook"), "own");
        assert_eq!(r.group_for("harbourweekbot"), "*");
    }

    #[test]
    fn longest_match_decides_and_allow_wins_ties() {
        let r =
            Robots::parse("User-agent: *\nDisallow: /a\nAllow: /a/b\nDisallow: /c\nAllow: /c\n");
        assert!(!r.allows("x", "/a/c"));
        assert!(r.allows("x", "/a/b/c"));
        assert!(r.allows("x", "/c/d"));
    }

    #[test]
    fn wildcards_and_end_anchors() {
        assert!(pattern_matches("/*.pdf$", "/files/report.pdf"));
        assert!(!pattern_matches("/*.pdf$", "/files/report.pdf?x=1"));
        assert!(pattern_matches("/*.pdf", "/files/report.pdf?x=1"));
        assert!(pattern_matches("/news/*/print", "/news/2026/11/print/"));
        assert!(!pattern_matches("/news/*/print", "/news/print"));
        assert!(pattern_matches("/page$", "/page"));
        assert!(!pattern_matches("/page$", "/pages"));
        assert!(pattern_matches("*", "/anything"));
        assert!(pattern_matches("/fish*", "/fish"));
    }

    #[test]
    fn empty_files_and_odd_lines_allow_everything() {
        for txt in [
            "",
            "garbage\n\n:::\n",
            "Disallow: /\n",
            "User-agent: *\nDisallow:\n",
        ] {
            assert!(Robots::parse(txt).allows("pressbook", "/x"), "{txt:?}");
        }
    }

    #[test]
    fn patterns_are_compared_percent_encoded() {
        let r = Robots::parse("User-agent: *\nDisallow: /café\n");
        assert!(!r.allows("pressbook", "/caf%C3%A9/menu"));
        assert_eq!(product_token("pressbook/0.1.0 (+https://x)"), "pressbook");
        assert_eq!(product_token("HarbourWeekBot/1.0"), "harbourweekbot");
    }
}
