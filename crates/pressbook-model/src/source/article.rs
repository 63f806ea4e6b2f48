//! Parsed text into an [`Article`]: the metadata from front matter or the
//! attribution line, the body from the Markdown or plain-text parser.

use std::path::Path;

use chrono::NaiveDate;

use super::assets::{AssetStore, LocalImages};
use super::{markdown, plaintext, Limits, SourceText};
use crate::diag::{Diagnostic, Sink};
use crate::model::{Article, ArticleMeta, Block, Inline, PubDate};
use markdown::{FrontMatter, FRONT_MATTER_KEYS};

/// A plain-text news article: paragraphs, and the attribution line for its
/// headline, source, year and rights.
pub(super) fn plaintext_article(src: &SourceText, language: &str, diags: &mut Sink) -> Article {
    let path = src.origin.path();
    let parsed = plaintext::parse(&src.text);
    let mut meta = ArticleMeta {
        language: language.to_string(),
        ..Default::default()
    };
    match parsed.attribution {
        Some(a) => {
            meta.title = a.headline;
            meta.source = Some(a.source);
            meta.date = a.year.map(PubDate::Year);
            meta.rights = Some(a.raw);
        }
        None => {
            meta.title = file_stem_title(path);
            diags.push(
                Diagnostic::warning("no attribution line; the headline comes from the file name")
                    .at(path)
                    .hint("end the file with a line such as `(c) Publisher 2026: Headline`"),
            );
        }
    }
    Article {
        id: String::new(),
        path: path.to_path_buf(),
        meta,
        body: parsed
            .paragraphs
            .into_iter()
            .map(|p| Block::Paragraph(vec![Inline::Text(p.text)]))
            .collect(),
        footnotes: Vec::new(),
    }
}

/// A Markdown article: YAML front matter, then the body. Its local images
/// go into `assets`.
pub(super) fn markdown_article(
    src: &SourceText,
    language: &str,
    limits: &Limits,
    assets: &mut AssetStore,
    diags: &mut Sink,
) -> Option<Article> {
    let (path, text) = (src.origin.path(), src.text.as_str());
    let split = markdown::split_front_matter(text)
        .map_err(|d| diags.push(d.at(path)))
        .ok()?;
    let front = match split.front {
        Some(yaml) => markdown::parse_front_matter(yaml, split.front_line)
            .map_err(|d| diags.push(d.at(path)))
            .ok()?,
        None => FrontMatter::default(),
    };
    warn_unknown_keys(&front, src, diags);
    let date = front_date(&front, src, diags);

    let mut resolver = LocalImages {
        dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        path,
        file_text: text,
        body_offset: split.body_offset,
        limits,
        assets,
        diags,
    };
    let first_line = crate::diag::line_col(text, split.body_offset).0;
    let converted = markdown::convert(split.body, first_line, &mut resolver);
    for (offset, d) in converted.warnings {
        let line = markdown::body_line(text, split.body_offset, offset);
        diags.push(d.at(path).line(line));
    }
    let mut body = converted.body;
    let title = headline(front.title.as_deref(), &mut body, path, diags);

    // Blank values (as `pressbook new` writes them) mean "not given".
    let given = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let meta = ArticleMeta {
        title: title.trim().to_string(),
        author: given(front.author.as_ref().map(|a| a.joined())),
        source: given(front.source),
        url: given(front.url),
        date,
        section: given(front.section),
        language: given(front.language).unwrap_or_else(|| language.to_string()),
        rights: given(front.rights),
        summary: given(front.summary),
    };
    Some(Article {
        id: String::new(),
        path: path.to_path_buf(),
        meta,
        body,
        footnotes: converted.footnotes,
    })
}

/// The line of the front-matter key `key`, or 1.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(&format!("{key}:")))
        .map_or(1, |i| i + 1)
}

fn warn_unknown_keys(front: &FrontMatter, src: &SourceText, diags: &mut Sink) {
    for key in front.unknown.keys() {
        let d = Diagnostic::warning(format!("unknown front-matter key `{key}` is ignored"))
            .at(src.origin.path())
            .line(key_line(&src.text, key));
        diags.push(match crate::diag::suggest(key, FRONT_MATTER_KEYS) {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d.hint(format!("known keys are: {}", FRONT_MATTER_KEYS.join(", "))),
        });
    }
}

/// The front matter's `date`; a value that is not a date is a warning.
fn front_date(front: &FrontMatter, src: &SourceText, diags: &mut Sink) -> Option<PubDate> {
    let s = match front.date.as_ref()? {
        serde_norway::Value::String(s) => s.clone(),
        serde_norway::Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    };
    let parsed = parse_pub_date(&s);
    if parsed.is_none() {
        diags.push(
            Diagnostic::warning(format!(
                "front-matter date {s:?} is not a date; it is ignored"
            ))
            .at(src.origin.path())
            .line(key_line(&src.text, "date"))
            .hint("write it as YYYY-MM-DD or YYYY"),
        );
    }
    parsed
}

/// The headline: front matter, else a leading `# Heading`, else the file
/// name. A leading heading that repeats the headline is dropped from the body.
fn headline(given: Option<&str>, body: &mut Vec<Block>, path: &Path, diags: &mut Sink) -> String {
    let leading_h1 = match body.first() {
        Some(Block::Heading {
            level: 1, content, ..
        }) => {
            let mut t = String::new();
            crate::model::visit_inline_text(content, &mut |s| t.push_str(s));
            Some(t)
        }
        _ => None,
    };
    let leading_h1 = leading_h1.filter(|h| !crate::model::is_blank(h));
    match (given.filter(|t| !crate::model::is_blank(t)), leading_h1) {
        (Some(t), Some(h1)) => {
            if h1.trim() == t.trim() {
                body.remove(0); // the same headline twice
            }
            t.to_string()
        }
        (Some(t), None) => t.to_string(),
        (None, Some(h1)) => {
            body.remove(0);
            h1
        }
        (None, None) => {
            diags.push(
                Diagnostic::warning("no title; the headline comes from the file name")
                    .at(path)
                    .line(1)
                    .hint("add `title: ...` to the front matter"),
            );
            file_stem_title(path)
        }
    }
}

fn file_stem_title(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("Untitled");
    let words: Vec<String> = stem
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| w.to_string())
        .collect();
    let mut title = words.join(" ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    title
}

/// `2026-11-20`, `2026-11-20T10:00:00Z` or `2026`.
fn parse_pub_date(s: &str) -> Option<PubDate> {
    let s = s.trim();
    if let Some(day) = s
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        return Some(PubDate::Day(day));
    }
    if s.len() == 4 {
        return s.parse().ok().map(PubDate::Year);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pub_dates() {
        assert_eq!(
            parse_pub_date("2026-11-20"),
            NaiveDate::from_ymd_opt(2026, 11, 20).map(PubDate::Day)
        );
        assert!(parse_pub_date("2026-11-20T08:00:00Z").is_some());
        assert_eq!(parse_pub_date("2018"), Some(PubDate::Year(2018)));
        assert_eq!(parse_pub_date("last week"), None);
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            file_stem_title(Path::new("a/market-close_notes.txt")),
            "Market close notes"
        );
    }
}
