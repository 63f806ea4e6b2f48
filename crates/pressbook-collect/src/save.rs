//! The last step: [`Illustrated`] → [`Saved`], the files a person would
//! write: the pictures under `articles/images/<slug>/`, the article as
//! `articles/<slug>.md` (front matter and Markdown), its line in the
//! manifest. Written in that order, and removed again when a later write
//! fails, so nothing half-written is left.

use std::path::Path;

use anyhow::Context;
use chrono::Utc;
use pressbook_model::manifest::{edit::manifest_listing, MANIFEST_NAME};
use pressbook_model::output::write_bytes;

use crate::blocks::{self, Blk};
use crate::extract::Meta;
use crate::images::Illustrated;
use crate::markdown::to_markdown;

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// The article file, relative to the digest folder.
    pub file: String,
    pub title: String,
    /// When (RFC 3339, the article's `fetched:`).
    pub fetched: String,
}

/// Writes the article into the digest at `dir`, listed in `section`.
pub fn save(dir: &Path, ill: &Illustrated, section: Option<&str>) -> anyhow::Result<Saved> {
    let meta = &ill.article.meta;
    let title = meta.title.clone().unwrap_or_else(|| "Untitled".into());
    let (file, slug) = free_name(dir, &title);
    let local: Vec<(&str, String, &[u8])> = ill
        .pictures
        .iter()
        .map(|p| {
            let rel = format!("images/{slug}/{:02}-{}.{}", p.n, p.stem, p.ext);
            (p.src.as_str(), rel, p.bytes.as_slice())
        })
        .collect();
    let mut body = ill.article.blocks.clone();
    blocks::map_images(&mut body, &|src| {
        local
            .iter()
            .find(|(s, _, _)| *s == src)
            .map(|(_, rel, _)| rel.clone())
    });
    let fetched = now();
    let text = article_text(meta, &fetched, &body);
    let manifest = manifest_listing(dir, &file, section)?;

    let article_path = dir.join(&file);
    let written = (|| -> anyhow::Result<()> {
        for (_, rel, bytes) in &local {
            write_creating(&dir.join("articles").join(rel), bytes)?;
        }
        write_creating(&article_path, text.as_bytes())?;
        write_bytes(&dir.join(MANIFEST_NAME), manifest.as_bytes())
    })();
    if let Err(err) = written {
        let _ = std::fs::remove_file(&article_path);
        let _ = std::fs::remove_dir_all(dir.join("articles/images").join(&slug));
        return Err(err);
    }
    Ok(Saved {
        file,
        title,
        fetched,
    })
}

/// The time of saving, as `fetched:` gives it.
fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Writes `bytes` to `path`, creating its folder first.
fn write_creating(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    write_bytes(path, bytes)
}

/// `articles/<slug>.md` and `<slug>`, the file and its image folder both
/// unused.
fn free_name(dir: &Path, title: &str) -> (String, String) {
    let base = {
        let s = pressbook_model::source::markdown::slug(title);
        if s.is_empty() {
            "article".to_string()
        } else {
            s
        }
    };
    let mut slug = base.clone();
    let mut n = 2;
    while dir.join(format!("articles/{slug}.md")).exists()
        || dir.join("articles/images").join(&slug).exists()
    {
        slug = format!("{base}-{n}");
        n += 1;
    }
    (format!("articles/{slug}.md"), slug)
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The article file: front matter, then the Markdown body.
pub fn article_text(meta: &Meta, fetched: &str, blocks: &[Blk]) -> String {
    let mut f = String::from("---\n");
    let mut line = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            f.push_str(&format!("{k}: {}\n", yaml(v)));
        }
    };
    line("title", meta.title.as_deref().or(Some("Untitled")));
    line("author", meta.byline.as_deref());
    line("source", meta.site.as_deref());
    line("url", meta.url.as_deref());
    line("date", meta.published.as_deref());
    line("language", meta.language.as_deref());
    line("summary", meta.excerpt.as_deref());
    line("rights", meta.rights.as_deref());
    line("fetched", Some(fetched));
    f.push_str("---\n\n");
    f.push_str(&to_markdown(blocks));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_skips_empty_fields_and_quotes_the_rest() {
        let meta = Meta {
            title: Some("A \"quoted\" title".into()),
            byline: Some("  ".into()),
            url: Some("https://n.example/a".into()),
            ..Meta::default()
        };
        let body = [Blk::Rule];
        assert_eq!(
            article_text(&meta, "2026-11-25T08:00:00Z", &body),
            "---\ntitle: \"A \\\"quoted\\\" title\"\nurl: \"https://n.example/a\"\nfetched: \"2026-11-25T08:00:00Z\"\n---\n\n---\n"
        );
    }
}
