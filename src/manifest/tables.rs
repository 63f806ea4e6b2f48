//! The manifest's tables as written, one struct each, and the checks that
//! turn each into validated settings. Nothing here reads the disk: files the
//! manifest names are checked when the digest is loaded.

use std::path::{Component, Path, PathBuf};

use chrono::{NaiveDate, Weekday};
use serde::Deserialize;
use toml::Spanned;

use super::{ArticleOrder, ArticleRef, FeedPlan, PdfSettings, SectionPlan};
use crate::diag::{line_col, Diagnostic, Diagnostics};
use crate::model::{FontChoice, PageSize};
use crate::source::Format;

/// Where the manifest is, for messages that point into it.
pub(super) struct Place<'a> {
    pub text: &'a str,
    pub path: &'a Path,
    pub dir: &'a Path,
}

impl Place<'_> {
    /// An error at the byte `offset` of the manifest.
    pub fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, col) = line_col(self.text, offset);
        Diagnostic::error(message).at(self.path).line_col(line, col)
    }
}

/// The top level of `pressbook.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TopTable {
    pub title: Spanned<String>,
    pub subtitle: Option<String>,
    pub editor: Option<String>,
    pub publisher: Option<String>,
    pub language: Option<Spanned<String>>,
    pub date: Option<Spanned<DateValue>>,
    pub week: Option<Spanned<String>>,
    pub identifier: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
    pub page_size: Option<Spanned<String>>,
    pub layout: Option<Spanned<String>>,
    pub sources_page: Option<bool>,
    pub fonts: Option<FontsTable>,
    pub sections: Option<Spanned<Vec<SectionTable>>>,
    pub articles: Option<Spanned<Vec<Spanned<String>>>>,
    pub feeds: Option<Vec<FeedTable>>,
    pub user_agent: Option<Spanned<String>>,
}

/// TOML allows both `date = 2026-11-23` and `date = "2026-11-23"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum DateValue {
    Toml(toml::value::Datetime),
    Text(String),
}

/// One `[[sections]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SectionTable {
    pub title: Spanned<String>,
    pub articles: Vec<Spanned<String>>,
}

/// One `[[feeds]]` entry, read by `pressbook fetch`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FeedTable {
    pub url: Spanned<String>,
    pub section: Option<Spanned<String>>,
    /// Read as any value so that a string or a fraction gets a message
    /// naming the key, not serde's "expected i64".
    pub max: Option<Spanned<toml::Value>>,
}

/// Items per feed and fetch when `max` is not given.
pub const DEFAULT_FEED_MAX: usize = 10;

/// `[fonts]`: font files for the PDF instead of the bundled ones.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct FontsTable {
    pub regular: Option<String>,
    pub italic: Option<String>,
    pub bold: Option<String>,
    pub bold_italic: Option<String>,
    pub fallback: Option<Vec<String>>,
    /// Folders of fonts searched for characters the faces lack, before
    /// the system's.
    pub path: Option<Vec<String>>,
    /// Search the system's font folders (default true).
    pub system: Option<bool>,
}

/// Every table the manifest may hold, by the key it sits under (`""` for the
/// top level), with the keys its struct knows.
pub(super) fn known_tables() -> [(&'static str, &'static [&'static str]); 4] {
    use super::keys::fields;
    [
        ("", fields::<TopTable>()),
        ("fonts", fields::<FontsTable>()),
        ("sections", fields::<SectionTable>()),
        ("feeds", fields::<FeedTable>()),
    ]
}

impl TopTable {
    pub fn title(&self, at: &Place, diags: &mut Diagnostics) -> String {
        let mut title = self.title.get_ref().trim().to_string();
        crate::source::clean::clean(&mut title);
        if title.is_empty() {
            diags.push(
                at.error(self.title.span().start, "`title` is empty")
                    .hint("give the digest a title"),
            );
        }
        title
    }

    pub fn language(&self, at: &Place, diags: &mut Diagnostics) -> String {
        let Some(lang) = &self.language else {
            return "en".to_string();
        };
        if !is_language_tag(lang.get_ref()) {
            diags.push(
                at.error(
                    lang.span().start,
                    format!("`language` {:?} is not a BCP 47 tag", lang.get_ref()),
                )
                .hint("use a tag such as \"en\", \"en-GB\" or \"fr\""),
            );
        }
        lang.get_ref().clone()
    }

    /// The issue date from `date` or `week`; `None` when neither is given
    /// (loading picks today or `SOURCE_DATE_EPOCH`) or when it is wrong.
    pub fn date(&self, at: &Place, diags: &mut Diagnostics) -> Option<NaiveDate> {
        match (&self.date, &self.week) {
            (Some(_), Some(w)) => {
                diags.push(
                    at.error(w.span().start, "give either `date` or `week`, not both")
                        .hint("remove one of them"),
                );
                None
            }
            (Some(d), None) => {
                let s = match d.get_ref() {
                    DateValue::Toml(dt) => dt.to_string(),
                    DateValue::Text(s) => s.clone(),
                };
                let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
                if date.is_none() {
                    diags.push(
                        at.error(d.span().start, format!("`date` {s:?} is not a date"))
                            .hint("write it as YYYY-MM-DD, e.g. date = \"2026-11-23\""),
                    );
                }
                date
            }
            (None, Some(w)) => {
                let date = parse_iso_week(w.get_ref());
                if date.is_none() {
                    diags.push(
                        at.error(
                            w.span().start,
                            format!("`week` {:?} is not an ISO week", w.get_ref()),
                        )
                        .hint("write it as YYYY-Www, e.g. week = \"2026-W48\""),
                    );
                }
                date
            }
            (None, None) => None,
        }
    }

    /// The PDF's own settings: page size, layout, Sources page and fonts.
    pub fn pdf(&self, at: &Place, diags: &mut Diagnostics) -> PdfSettings {
        let page_size = match &self.page_size {
            None => PageSize::A4,
            Some(s) => match s.get_ref().to_ascii_lowercase().as_str() {
                "a4" => PageSize::A4,
                "letter" => PageSize::Letter,
                "a5" => PageSize::A5,
                other => {
                    diags.push(
                        at.error(s.span().start, format!("unknown `page_size` {other:?}"))
                            .hint("use \"A4\", \"Letter\" or \"A5\""),
                    );
                    PageSize::A4
                }
            },
        };
        let compact = match &self.layout {
            None => false,
            Some(l) => match l.get_ref().as_str() {
                "page" => false,
                "compact" => true,
                other => {
                    diags.push(
                        at.error(l.span().start, format!("unknown `layout` {other:?}"))
                            .hint("use \"page\" (each article on a new page) or \"compact\""),
                    );
                    false
                }
            },
        };
        PdfSettings {
            page_size,
            compact,
            sources_page: self.sources_page.unwrap_or(false),
            fonts: self
                .fonts
                .as_ref()
                .unwrap_or(&FontsTable::default())
                .validate(at.dir),
        }
    }

    /// How the articles are ordered: sections, a flat list, or discovery.
    pub fn order(&self, at: &Place, allow_outside: bool, diags: &mut Diagnostics) -> ArticleOrder {
        let mut refs = RefChecker {
            at,
            allow_outside,
            seen: Vec::new(),
        };
        match (&self.sections, &self.articles) {
            (Some(_), Some(list)) => {
                diags.push(
                    at.error(
                        list.span().start,
                        "give either [[sections]] or a top-level `articles` list, not both",
                    )
                    .hint("move the top-level articles into a section"),
                );
                ArticleOrder::Discover
            }
            (Some(sections), None) => ArticleOrder::Sections(
                sections
                    .get_ref()
                    .iter()
                    .map(|s| s.validate(&mut refs, diags))
                    .collect(),
            ),
            (None, Some(list)) => ArticleOrder::Flat(
                list.get_ref()
                    .iter()
                    .filter_map(|a| refs.check(a, diags))
                    .collect(),
            ),
            (None, None) => ArticleOrder::Discover,
        }
    }
}

impl TopTable {
    /// The `[[feeds]]`, each with an absolute http(s) `url` and a `max` of
    /// at least 1.
    pub fn feeds(&self, at: &Place, diags: &mut Diagnostics) -> Vec<FeedPlan> {
        let mut out = Vec::new();
        for f in self.feeds.iter().flatten() {
            let url = f.url.get_ref().trim();
            let url_ok = feed_url(url).map_err(|why| {
                diags.push(
                    at.error(f.url.span().start, format!("feed `url` {url:?} {why}"))
                        .hint(
                            "give the feed's full address, e.g. \"https://example.org/feed.xml\"",
                        ),
                );
            });
            let max = match &f.max {
                Some(m) => feed_max(m.get_ref()).map_err(|why| {
                    diags.push(
                        at.error(m.span().start, format!("feed `max` {why}"))
                            .hint("give the number of newest items to take: a whole number, 1 or more, e.g. max = 10"),
                    );
                }),
                None => Ok(DEFAULT_FEED_MAX),
            };
            let (Ok(()), Ok(max)) = (url_ok, max) else {
                continue;
            };
            let section = f
                .section
                .as_ref()
                .map(|s| s.get_ref().trim().to_string())
                .filter(|s| !s.is_empty());
            out.push(FeedPlan {
                url: url.to_string(),
                section,
                max,
            });
        }
        out
    }

    pub fn user_agent(&self, at: &Place, diags: &mut Diagnostics) -> Option<String> {
        let ua = self.user_agent.as_ref()?;
        let v = ua.get_ref().trim();
        if v.is_empty() || v.chars().any(char::is_control) {
            diags.push(
                at.error(
                    ua.span().start,
                    "`user_agent` is empty or holds control characters",
                )
                .hint("give one line, e.g. \"HarbourWeekBot/1.0 (+mailto:desk@example.org)\""),
            );
            return None;
        }
        Some(v.to_string())
    }
}

/// Why a feed `url` cannot be fetched, worded to follow "feed `url` "…"".
fn feed_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        Ok(u) if matches!(u.scheme(), "http" | "https") => Err("has no host name".into()),
        Ok(u) => Err(format!(
            "uses the {}: scheme; pressbook fetches only http:// and https:// addresses",
            u.scheme()
        )),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            Err("is not an absolute address (it has no http:// or https://)".into())
        }
        Err(e) => Err(format!("is not a valid address ({e})")),
    }
}

/// A feed `max`: a whole number of at least 1.
fn feed_max(v: &toml::Value) -> Result<usize, String> {
    match v {
        toml::Value::Integer(n) if *n >= 1 => Ok(usize::try_from(*n).unwrap_or(usize::MAX)),
        toml::Value::Integer(n) => Err(format!("is {n}; it must be 1 or more")),
        toml::Value::Float(x) => Err(format!("is {x}; it must be a whole number")),
        toml::Value::String(t) => Err(format!(
            "is the string {t:?}; it must be a whole number, written without quotes"
        )),
        other => Err(format!(
            "is a {}; it must be a whole number",
            other.type_str()
        )),
    }
}

impl SectionTable {
    fn validate(&self, refs: &mut RefChecker, diags: &mut Diagnostics) -> SectionPlan {
        let mut title = self.title.get_ref().trim().to_string();
        crate::source::clean::clean(&mut title);
        if title.is_empty() {
            diags.push(
                refs.at
                    .error(self.title.span().start, "a section has an empty title"),
            );
        }
        SectionPlan {
            title,
            articles: self
                .articles
                .iter()
                .filter_map(|a| refs.check(a, diags))
                .collect(),
        }
    }
}

impl FontsTable {
    /// The named font files, resolved against the digest folder.
    fn validate(&self, dir: &Path) -> FontChoice {
        let path = |p: &Option<String>| p.as_ref().map(|p| dir.join(p));
        FontChoice {
            regular: path(&self.regular),
            italic: path(&self.italic),
            bold: path(&self.bold),
            bold_italic: path(&self.bold_italic),
            fallback: self
                .fallback
                .iter()
                .flatten()
                .map(|p| dir.join(p))
                .collect(),
            dirs: self.path.iter().flatten().map(|p| dir.join(p)).collect(),
            system_fonts: self.system.unwrap_or(true),
        }
    }
}

/// Checks each listed article path: not empty, inside the folder, listed
/// once, of a known format.
struct RefChecker<'a> {
    at: &'a Place<'a>,
    allow_outside: bool,
    seen: Vec<(PathBuf, String)>,
}

impl RefChecker<'_> {
    fn check(&mut self, listed: &Spanned<String>, diags: &mut Diagnostics) -> Option<ArticleRef> {
        let offset = listed.span().start;
        let (line, _) = line_col(self.at.text, offset);
        let listed = listed.get_ref();
        let mut fail = |message: String, hint: String| {
            diags.push(self.at.error(offset, message).hint(hint));
            None
        };
        let rel = Path::new(listed);
        if listed.trim().is_empty() {
            return fail(
                "an article path is empty".into(),
                "remove the empty entry".into(),
            );
        }
        // Any `..` counts as leaving the folder, even one that comes back.
        let escapes = rel.is_absolute() || rel.components().any(|c| c == Component::ParentDir);
        if escapes && !self.allow_outside {
            return fail(
                format!("article {listed:?} lies outside the digest folder"),
                "move it into the digest folder, or pass --allow-outside".into(),
            );
        }
        let path = self.at.dir.join(rel);
        let key = crate::model::normal_path(&path);
        if let Some((_, first)) = self.seen.iter().find(|(p, _)| *p == key) {
            return fail(
                format!("article {listed:?} is listed twice"),
                format!("it is already listed as {first:?}; remove one entry"),
            );
        }
        self.seen.push((key, listed.clone()));
        if Format::of(&path).is_none() {
            return fail(
                format!("article {listed:?} is neither Markdown nor plain text"),
                format!("articles end in {}", Format::extensions_list()),
            );
        }
        Some(ArticleRef {
            listed: listed.clone(),
            path,
            line,
        })
    }
}

/// A loose BCP 47 check: letters, digits and hyphens, starting with 2–3 letters.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `2026-W48` → the Monday of that ISO week.
fn parse_iso_week(s: &str) -> Option<NaiveDate> {
    let (year, week) = s.trim().split_once("-W")?;
    NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, Weekday::Mon)
}
