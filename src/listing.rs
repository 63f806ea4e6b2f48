//! `list`: the digest in reading order, for people and for scripts.

use serde::Serialize;

use crate::model::Digest;

/// Words a minute used for reading-time estimates.
const WORDS_PER_MINUTE: usize = 230;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub section: Option<String>,
    pub headline: String,
    pub source: Option<String>,
    pub author: Option<String>,
    /// As written: `2026-11-20` or `2018`.
    pub date: Option<String>,
    pub words: usize,
    pub reading_minutes: usize,
    pub file: String,
}

/// One entry per article, in reading order.
pub fn entries(digest: &Digest, base: &std::path::Path) -> Vec<Entry> {
    digest
        .sections
        .iter()
        .flat_map(|s| s.articles.iter().map(move |a| (s, a)))
        .map(|(s, a)| {
            let words = a.word_count();
            Entry {
                section: s.title.clone(),
                headline: a.meta.title.clone(),
                source: a.meta.source.clone(),
                author: a.meta.author.clone(),
                date: a.meta.date.map(|d| match d {
                    crate::model::PubDate::Day(d) => d.format("%Y-%m-%d").to_string(),
                    crate::model::PubDate::Year(y) => y.to_string(),
                }),
                words,
                reading_minutes: words.div_ceil(WORDS_PER_MINUTE).max(1),
                file: a
                    .path
                    .strip_prefix(base)
                    .unwrap_or(&a.path)
                    .display()
                    .to_string(),
            }
        })
        .collect()
}

/// A plain-text table of the entries.
pub fn table(entries: &[Entry]) -> String {
    let cols = |e: &Entry| {
        [
            e.section.clone().unwrap_or_default(),
            e.headline.clone(),
            e.source.clone().unwrap_or_else(|| "—".into()),
            e.date.clone().unwrap_or_else(|| "—".into()),
            e.words.to_string(),
            format!("{} min", e.reading_minutes),
        ]
    };
    let header = ["SECTION", "HEADLINE", "SOURCE", "DATE", "WORDS", "READ"];
    let rows: Vec<[String; 6]> = entries.iter().map(cols).collect();
    let mut widths = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count().min(48));
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            let shown: String = if c.chars().count() > 48 {
                c.chars().take(47).chain(std::iter::once('…')).collect()
            } else {
                c.clone()
            };
            let pad = w.saturating_sub(shown.chars().count());
            if i >= 4 {
                l.push_str(&" ".repeat(pad));
                l.push_str(&shown);
            } else {
                l.push_str(&shown);
                l.push_str(&" ".repeat(pad));
            }
            l.push_str("  ");
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&header.map(String::from));
    for r in &rows {
        line(r);
    }
    let words: usize = entries.iter().map(|e| e.words).sum();
    out.push_str(&format!(
        "{} articles, {} words, about {} min of reading\n",
        entries.len(),
        words,
        words.div_ceil(WORDS_PER_MINUTE)
    ));
    out
}
