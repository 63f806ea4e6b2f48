//! `init` and `new`: starting a digest folder and adding articles to it.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::NaiveDate;

use crate::manifest::edit::list_in_manifest;
use crate::manifest::MANIFEST_NAME;
use crate::output;
use crate::source::markdown::slug;

const MANIFEST_TEMPLATE: &str = r##"# pressbook.toml: the manifest of a digest. Only `title` is required.

# The digest's title, shown on the cover, the title page and in metadata.
title = "My Weekly Digest"
# A line under the title (optional).
subtitle = "What we read this week"
# Who puts the digest together: the book's creator (optional).
editor = "Your Name"
# Who publishes it (optional).
publisher = "Your Organisation"
# BCP 47 language tag of the digest; articles may set their own.
language = "en"
# The issue date (YYYY-MM-DD), or instead: week = "2026-W48".
# Without either, today's date is used.
date = "{DATE}"
# A stable identifier; leave it out to derive a UUID from title and date.
# identifier = "urn:uuid:..."
# Rights statement for the digest as a whole (optional).
rights = "Selection © {YEAR} Your Organisation. Articles belong to their publishers."
# One sentence about the digest, for e-reader libraries (optional).
description = "A weekly selection of articles."
# Page size of the PDF: "A4", "Letter" or "A5"; for reading on a screen,
# "ereader" (6-inch), "tablet" (10-inch) or a size such as "100 x 150 mm".
page_size = "A4"
# "page" starts each article on a new page; "compact" runs them on after a rule.
layout = "page"
# End the PDF with a "Sources" page listing every article's attribution.
sources_page = true

# The digest's own look (optional, every key too).
# [style]
# accent = "#0b5394"        # kickers, labels, rules, links (PDF and EPUB)
# logo = "images/logo.png"  # on the PDF cover and the EPUB cover and title page
# columns = 2               # two-column body pages in the PDF (default 1)
# body_size = 10.5          # PDF body text size in points; headings follow
# css = "extra.css"         # appended to the EPUB stylesheet

# Sections, in reading order, each listing its articles (paths are relative to
# this folder). Instead of sections you may give a flat list at top level:
#   articles = ["articles/a.md", "articles/b.txt"]
# or no list at all: every .md and .txt under articles/ is used, by date.
[[sections]]
title = "Features"
articles = ["articles/welcome.md"]

[[sections]]
title = "News"
articles = ["articles/sample-news.txt"]
"##;

const WELCOME_TEMPLATE: &str = r#"---
title: "Welcome to your digest"
author: Your Name
source: My Weekly Digest
date: {DATE}
summary: "How this folder becomes an e-book and a printed briefing."
---

This article is Markdown with *front matter* at the top: the lines between the
two `---` markers give the headline, author, source and date that appear at the
head of the article and in its attribution block.

## What to do next

1. Replace this text with your own, or add new articles with
   `pressbook new . "A headline"`.
2. List them in `pressbook.toml`, under the section where they belong.
3. Run `pressbook build` to write the EPUB and the PDF into `dist/`.

Images live next to the articles and are referenced by a relative path:

![A simple placeholder picture: a blue square with a lighter band](images/placeholder.png)

Footnotes work too.[^1]

[^1]: They become linked notes in the EPUB and notes in the PDF.
"#;

const NEWS_TEMPLATE: &str = "Plain-text articles are pasted as news sites export them: one paragraph after another, separated by blank lines, with “curly quotes” and dashes – kept exactly as they are.\n\nThe last line names the publisher, the year and the headline. pressbook reads it, shows the headline at the top and the source in the attribution block, and leaves it out of the body.\n\n(c) Example News {YEAR}: Plain-text articles keep their attribution\n";

/// Creates a new digest folder that builds straight away. Refuses to
/// overwrite an existing manifest.
pub fn init(dir: &Path, today: NaiveDate) -> anyhow::Result<Vec<PathBuf>> {
    let manifest = dir.join(MANIFEST_NAME);
    if manifest.exists() {
        bail!(
            "{} already exists; `init` does not overwrite a digest (use `pressbook new` to add articles)",
            manifest.display()
        );
    }
    let articles = dir.join("articles");
    let images = articles.join("images");
    std::fs::create_dir_all(&images)
        .with_context(|| format!("cannot create {}", images.display()))?;
    let fill = |t: &str| {
        t.replace("{DATE}", &today.format("%Y-%m-%d").to_string())
            .replace("{YEAR}", &today.format("%Y").to_string())
    };
    let files = [
        (manifest, fill(MANIFEST_TEMPLATE).into_bytes()),
        (
            articles.join("welcome.md"),
            fill(WELCOME_TEMPLATE).into_bytes(),
        ),
        (
            articles.join("sample-news.txt"),
            fill(NEWS_TEMPLATE).into_bytes(),
        ),
        (images.join("placeholder.png"), placeholder_png()?),
    ];
    let mut written = Vec::new();
    for (path, data) in files {
        output::write_bytes(&path, &data)?;
        written.push(path);
    }
    Ok(written)
}

/// A small picture for the scaffold, drawn here so no binary is copied in.
fn placeholder_png() -> anyhow::Result<Vec<u8>> {
    use tiny_skia::{Color, Paint, Pixmap, Rect, Transform};
    let mut p = Pixmap::new(480, 270).context("cannot allocate image")?;
    p.fill(Color::from_rgba8(0x2c, 0x4a, 0x6b, 0xff));
    let mut paint = Paint::default();
    paint.set_color(Color::from_rgba8(0x8f, 0xb3, 0xd9, 0xff));
    if let Some(r) = Rect::from_xywh(0.0, 170.0, 480.0, 40.0) {
        p.fill_rect(r, &paint, Transform::identity(), None);
    }
    crate::cover::encode_png(&p).map_err(|e| anyhow::anyhow!("cannot encode image: {e}"))
}

/// Adds a Markdown article with front matter filled in and lists it in the
/// manifest (in `section` when given, created if missing; else the last
/// section or the flat list). Returns the new file.
pub fn new_article(
    dir: &Path,
    headline: &str,
    section: Option<&str>,
    today: NaiveDate,
) -> anyhow::Result<PathBuf> {
    let headline = headline.trim();
    if headline.is_empty() {
        bail!("the headline is empty; give one, e.g. pressbook new . \"Port reopens\"");
    }
    let manifest_path = dir.join(MANIFEST_NAME);
    let text = std::fs::read_to_string(&manifest_path).with_context(|| {
        format!(
            "cannot read {}; run `pressbook init` first",
            manifest_path.display()
        )
    })?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", manifest_path.display()))?;

    let base = {
        let s = slug(headline);
        if s.is_empty() {
            "article".to_string()
        } else {
            s
        }
    };
    let mut name = format!("articles/{base}.md");
    let mut n = 2;
    while dir.join(&name).exists() {
        name = format!("articles/{base}-{n}.md");
        n += 1;
    }

    let mut front = format!(
        "---\ntitle: {}\nauthor: \"\"\nsource: \"\"\nurl: \"\"\ndate: {}\n",
        yaml_string(headline),
        today.format("%Y-%m-%d")
    );
    if let Some(s) = section {
        front.push_str(&format!("section: {}\n", yaml_string(s)));
    }
    front.push_str("---\n\nWrite the article here.\n");

    list_in_manifest(&mut doc, &name, section)?;
    let path = dir.join(&name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    output::write_bytes(&path, front.as_bytes())?;
    output::write_bytes(&manifest_path, doc.to_string().as_bytes())?;
    Ok(path)
}

/// A double-quoted YAML string.
fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_article_appends_to_named_section_and_creates_missing_one() {
        let mut doc: toml_edit::DocumentMut =
            "title = \"T\"\n# keep me\n[[sections]]\ntitle = \"A\"\narticles = [\"x.md\"]\n"
                .parse()
                .unwrap();
        list_in_manifest(&mut doc, "articles/y.md", Some("A")).unwrap();
        list_in_manifest(&mut doc, "articles/z.md", Some("B")).unwrap();
        let s = doc.to_string();
        assert!(s.contains("# keep me"), "{s}");
        assert!(
            s.contains("articles = [\"x.md\", \"articles/y.md\"]"),
            "{s}"
        );
        assert!(s.contains("title = \"B\""), "{s}");
        assert!(s.contains("[\"articles/z.md\"]"), "{s}");
    }

    #[test]
    fn new_article_appends_to_flat_list() {
        let mut doc: toml_edit::DocumentMut =
            "title = \"T\"\narticles = [\"a.md\"]\n".parse().unwrap();
        list_in_manifest(&mut doc, "articles/b.md", None).unwrap();
        assert!(doc.to_string().contains("[\"a.md\", \"articles/b.md\"]"));
    }

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(yaml_string("A \"quote\": yes"), "\"A \\\"quote\\\": yes\"");
    }
}
