//! Site chrome: share bars, newsletter boxes, "most read" lists, comments,
//! cookie banners. Found by role and class or id words; removed from the
//! extracted article, and its text remembered from the whole page so that
//! what the extractor kept of it under another name can be dropped too.

use dom_query::{Document, NodeRef};

use crate::blocks::{collapse, plain, Blk};
use crate::markdown::to_text;

/// Class and id words that mark site furniture rather than article text.
const CHROME_WORDS: &[&str] = &[
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "related",
    "recommended",
    "recommendations",
    "mostread",
    "most-read",
    "most-popular",
    "popular",
    "trending",
    "comments",
    "comment-list",
    "paywall",
    "piano",
    "promo",
    "advert",
    "advertisement",
    "ad-slot",
    "ad-container",
    "ads",
    "sponsored",
    "outbrain",
    "taboola",
    "breadcrumb",
    "breadcrumbs",
    "banner-ad",
    "more-stories",
    "author-bio-footer",
];

/// Removes elements of the article that are site chrome by their role or
/// class/id words, unless they hold a third of its text or more (a wrapper
/// named after a feature of the page).
pub fn strip_chrome(doc: &Document) {
    let total = doc.root().text().split_whitespace().count().max(1);
    let candidates = doc.select("[class], [id], [role], nav, dialog");
    let mut doomed: Vec<NodeRef> = Vec::new();
    for node in candidates.nodes() {
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(name.as_str(), "html" | "body" | "article" | "main") {
            continue;
        }
        if is_chrome(node, &name) {
            let words = node.text().split_whitespace().count();
            if words * 3 < total {
                doomed.push(*node);
            }
        }
    }
    for n in doomed {
        n.remove_from_parent();
    }
}

/// Whether an element is site chrome: by its name, its role, or a word of
/// its class or id.
pub fn is_chrome(node: &NodeRef, name: &str) -> bool {
    if matches!(name, "nav" | "dialog") {
        return true;
    }
    if let Some(role) = node.attr("role") {
        if matches!(
            &*role,
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "dialog"
                | "alertdialog"
                | "search"
        ) {
            return true;
        }
    }
    let matches = |token: &str, is_id: bool| {
        let t = token.to_ascii_lowercase();
        let parts: Vec<&str> = t.split(['-', '_']).filter(|p| !p.is_empty()).collect();
        // Long hyphenated ids are made from headings
        // ("sharing-with-a-single-developer"), not widget names.
        if is_id && parts.len() > 3 {
            return false;
        }
        CHROME_WORDS.iter().any(|w| t == *w || parts.contains(w))
    };
    let class = node.attr("class");
    let id = node.attr("id");
    class
        .iter()
        .flat_map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .any(|t| matches(&t, false))
        || id.is_some_and(|i| matches(i.trim(), true))
}

/// The text of every small chrome element of the page.
pub fn chrome_texts(doc: &Document) -> Vec<String> {
    let total = doc.select("body").text().split_whitespace().count().max(1);
    let mut out = Vec::new();
    for node in doc.select("[class], [id], [role]").nodes() {
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(name.as_str(), "html" | "body" | "article" | "main") || !is_chrome(node, &name)
        {
            continue;
        }
        let text = collapse(&node.text());
        let words = text.split_whitespace().count();
        if words > 0 && words * 10 < total {
            out.push(text);
        }
    }
    out
}

/// Drops blocks whose whole text is part of a chrome element's text.
pub fn drop_chrome_blocks(blocks: &mut Vec<Blk>, chrome: &[String]) {
    if chrome.is_empty() {
        return;
    }
    blocks.retain_mut(|b| {
        let text = match b {
            Blk::Para(c) | Blk::Heading(_, c) => plain(c),
            Blk::List { .. } | Blk::Quote(_) => to_text(std::slice::from_ref(b))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            _ => return true,
        };
        if text.is_empty() {
            return true;
        }
        if chrome.iter().any(|c| c.contains(&text)) {
            return false;
        }
        if let Blk::Quote(inner) = b {
            drop_chrome_blocks(inner, chrome);
        }
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_words_match_whole_parts_only() {
        let doc = Document::from("<div class='share-bar'>x</div><div class='shared-memory'>y</div><div id='most-read'>z</div>");
        let nodes = doc.select("div");
        let flags: Vec<bool> = nodes.nodes().iter().map(|n| is_chrome(n, "div")).collect();
        assert_eq!(flags, [true, false, true]);
    }
}
