//! The manifest's tables as written, one struct each, and the checks that
//! turn each into validated settings. Nothing here reads the disk: files the
//! manifest names are checked when the digest is loaded.

use std::path::{Component, Path, PathBuf};

use chrono::{NaiveDate, Weekday};
use serde::Deserialize;
use toml::Spanned;

use super::{
    ArticleOrder, ArticleRef, Columns, DeliverSettings, FeedPlan, HtmlImages, HtmlSettings,
    PdfSettings, SectionPlan, StyleSettings,
};
use crate::diag::{line_col, Diagnostic, Refusal, Sink};
use crate::house::{Accent, Colour, AA_TEXT_CONTRAST};
use crate::model::{FontChoice, PageSize};
use crate::picture::{parse_size, ImageSettings};
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

    /// A warning at the byte `offset` of the manifest.
    pub fn warning(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, col) = line_col(self.text, offset);
        Diagnostic::warning(message)
            .at(self.path)
            .line_col(line, col)
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
    pub style: Option<StyleTable>,
    pub sections: Option<Spanned<Vec<SectionTable>>>,
    pub articles: Option<Spanned<Vec<Spanned<String>>>>,
    pub feeds: Option<Vec<FeedTable>>,
    pub user_agent: Option<Spanned<String>>,
    pub html: Option<HtmlTable>,
    pub deliver: Option<DeliverTable>,
    pub images: Option<ImagesTable>,
}

/// `[html]`: the HTML edition's own settings.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct HtmlTable {
    /// `"embed"` (in the page) or `"folder"` (beside it).
    pub images: Option<Spanned<String>>,
}

/// `[deliver]`: the newsletter's mail (`send --format html`).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct DeliverTable {
    pub subject: Option<Spanned<String>>,
    pub unsubscribe: Option<Spanned<String>>,
}

/// `[images]`: how pictures are fitted to each output, and how many
/// `add` and `fetch` take. Numbers are read as any value so that a string
/// or a fraction gets a message naming the key.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct ImagesTable {
    pub budget: Option<Spanned<String>>,
    pub quality: Option<Spanned<toml::Value>>,
    pub max_width: Option<Spanned<toml::Value>>,
    pub max_height: Option<Spanned<toml::Value>>,
    pub greyscale: Option<bool>,
    pub max_per_article: Option<Spanned<toml::Value>>,
    pub max_article_size: Option<Spanned<String>>,
    pub max_per_run: Option<Spanned<toml::Value>>,
    pub max_run_size: Option<Spanned<String>>,
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

/// `[style]`: the digest's own look. Numbers are read as any value so that
/// a string or a fraction gets a message naming the key.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct StyleTable {
    pub accent: Option<Spanned<String>>,
    pub logo: Option<Spanned<String>>,
    pub columns: Option<Spanned<toml::Value>>,
    pub body_size: Option<Spanned<toml::Value>>,
    pub css: Option<Spanned<String>>,
}

/// The body sizes `body_size` may take, in points: below, footnotes and
/// labels become unreadable; above, a column holds a handful of words.
pub const BODY_SIZES: std::ops::RangeInclusive<f64> = 7.0..=16.0;

/// Every table the manifest may hold, by the key it sits under (`""` for the
/// top level), with the keys its struct knows.
pub(super) fn known_tables() -> [(&'static str, &'static [&'static str]); 8] {
    use super::keys::fields;
    [
        ("", fields::<TopTable>()),
        ("fonts", fields::<FontsTable>()),
        ("style", fields::<StyleTable>()),
        ("sections", fields::<SectionTable>()),
        ("feeds", fields::<FeedTable>()),
        ("html", fields::<HtmlTable>()),
        ("deliver", fields::<DeliverTable>()),
        ("images", fields::<ImagesTable>()),
    ]
}

impl TopTable {
    pub fn title(&self, at: &Place, diags: &mut Sink) -> String {
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

    pub fn language(&self, at: &Place, diags: &mut Sink) -> String {
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
    pub fn date(&self, at: &Place, diags: &mut Sink) -> Option<NaiveDate> {
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
    pub fn pdf(&self, at: &Place, diags: &mut Sink) -> PdfSettings {
        let page_size = match &self.page_size {
            None => PageSize::A4,
            Some(s) => page_size(s.get_ref()).unwrap_or_else(|why| {
                diags.push(at.error(s.span().start, why.to_string()).hint(
                    "use \"A4\", \"Letter\", \"A5\", \"ereader\", \"tablet\" or a size such as \"100 x 150 mm\"",
                ));
                PageSize::A4
            }),
        };
        let style = self.style.as_ref();
        let columns = match style.and_then(|t| t.columns.as_ref()) {
            None => Columns::One,
            Some(c) => match c.get_ref() {
                toml::Value::Integer(1) => Columns::One,
                toml::Value::Integer(2) => Columns::Two,
                other => {
                    diags.push(
                        at.error(
                            c.span().start,
                            format!("`columns` is {other}; it must be 1 or 2"),
                        )
                        .hint("write columns = 2 for two-column body pages, or remove the key"),
                    );
                    Columns::One
                }
            },
        };
        let body_size = style.and_then(|t| t.body_size.as_ref()).and_then(|b| {
            let size = match b.get_ref() {
                toml::Value::Float(x) => Some(*x),
                toml::Value::Integer(n) => Some(*n as f64),
                _ => None,
            };
            match size {
                Some(x) if BODY_SIZES.contains(&x) => Some(x as f32),
                _ => {
                    diags.push(
                        at.error(
                            b.span().start,
                            format!(
                                "`body_size` is {}; it must be a size in points from {} to {}",
                                b.get_ref(),
                                BODY_SIZES.start(),
                                BODY_SIZES.end()
                            ),
                        )
                        .hint("write it as a number without quotes, e.g. body_size = 10.5"),
                    );
                    None
                }
            }
        });
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
            columns,
            body_size,
        }
    }

    /// `[style]`'s accent (with the contrast warning) and its files.
    pub fn style(&self, at: &Place, diags: &mut Sink) -> StyleSettings {
        let Some(t) = &self.style else {
            return StyleSettings::default();
        };
        let accent = t.accent.as_ref().and_then(|a| {
            let Some(given) = Colour::parse_hex(a.get_ref()) else {
                diags.push(
                    at.error(a.span().start, format!("`accent` {:?} is not a colour", a.get_ref()))
                        .hint("write it as \"#rrggbb\" (or \"#rgb\"), e.g. accent = \"#0b5394\""),
                );
                return None;
            };
            let accent = Accent::new(given);
            if accent.text != accent.given {
                diags.push(
                    at.warning(a.span().start, format!(
                        "`accent` {given} has a contrast of {:.1}:1 with white, under the {AA_TEXT_CONTRAST}:1 WCAG AA asks of text; text is set in {} instead (rules keep {given})",
                        given.contrast_with_white(),
                        accent.text,
                    ))
                    .hint("choose a darker accent to have text in it exactly"),
                );
            }
            Some(accent)
        });
        let file = |key: &str, v: &Option<Spanned<String>>, diags: &mut Sink| {
            let v = v.as_ref()?;
            let name = v.get_ref().trim();
            if name.is_empty() {
                diags.push(
                    at.error(v.span().start, format!("`{key}` is empty"))
                        .hint("give a file path relative to the digest folder, or remove the key"),
                );
                return None;
            }
            Some(at.dir.join(name))
        };
        StyleSettings {
            accent,
            logo: file("logo", &t.logo, diags),
            css: file("css", &t.css, diags),
        }
    }

    /// How the articles are ordered: sections, a flat list, or discovery.
    pub fn order(&self, at: &Place, allow_outside: bool, diags: &mut Sink) -> ArticleOrder {
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
    pub fn feeds(&self, at: &Place, diags: &mut Sink) -> Vec<FeedPlan> {
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

    /// `[images]`, validated; a bad value is an error naming the key.
    pub fn images(&self, at: &Place, diags: &mut Sink) -> ImageSettings {
        let mut out = ImageSettings::default();
        let Some(t) = &self.images else {
            return out;
        };
        let mut int = |key: &str, v: &Option<Spanned<toml::Value>>, range: (i64, i64)| {
            let v = v.as_ref()?;
            match v.get_ref().as_integer() {
                Some(n) if (range.0..=range.1).contains(&n) => Some(n),
                _ => {
                    diags.push(
                        at.error(
                            v.span().start,
                            format!(
                                "`{key}` must be a whole number from {} to {}",
                                range.0, range.1
                            ),
                        )
                        .hint("e.g. quality = 85, max_width = 1600"),
                    );
                    None
                }
            }
        };
        if let Some(q) = int("quality", &t.quality, (1, 100)) {
            out.quality = q as u8;
        }
        out.max_width = int("max_width", &t.max_width, (16, 20_000)).map(|n| n as u32);
        out.max_height = int("max_height", &t.max_height, (16, 20_000)).map(|n| n as u32);
        if let Some(n) = int("max_per_article", &t.max_per_article, (0, 100_000)) {
            out.quota.per_article = n as usize;
        }
        if let Some(n) = int("max_per_run", &t.max_per_run, (0, 1_000_000)) {
            out.quota.per_run = n as usize;
        }
        out.greyscale = t.greyscale.unwrap_or(false);
        let mut size = |key: &str, v: &Option<Spanned<String>>| {
            let v = v.as_ref()?;
            let parsed = parse_size(v.get_ref()).filter(|&n| n > 0);
            if parsed.is_none() {
                diags.push(
                    at.error(
                        v.span().start,
                        format!("`{key}` {:?} is not a size", v.get_ref()),
                    )
                    .hint("write it like \"45MB\", \"800kB\" or \"2GB\""),
                );
            }
            parsed
        };
        out.budget = size("budget", &t.budget);
        if let Some(n) = size("max_article_size", &t.max_article_size) {
            out.quota.article_bytes = n;
        }
        if let Some(n) = size("max_run_size", &t.max_run_size) {
            out.quota.run_bytes = n;
        }
        out
    }

    pub fn user_agent(&self, at: &Place, diags: &mut Sink) -> Option<String> {
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

impl TopTable {
    /// `[html] images`: embedded in the page (the default) or in a folder
    /// beside it.
    pub fn html(&self, at: &Place, diags: &mut Sink) -> HtmlSettings {
        let Some(images) = self.html.as_ref().and_then(|t| t.images.as_ref()) else {
            return HtmlSettings::default();
        };
        let images = match images.get_ref().as_str() {
            "embed" => HtmlImages::Embed,
            "folder" => HtmlImages::Folder,
            other => {
                diags.push(
                    at.error(images.span().start, format!("unknown [html] `images` {other:?}"))
                        .hint("use \"embed\" (pictures inside the page) or \"folder\" (in NAME_files/ beside it)"),
                );
                HtmlImages::Embed
            }
        };
        HtmlSettings { images }
    }

    /// `[deliver]`: the newsletter's subject and unsubscribe address.
    pub fn deliver(&self, at: &Place, diags: &mut Sink) -> DeliverSettings {
        let Some(t) = &self.deliver else {
            return DeliverSettings::default();
        };
        let line = |key: &str, v: &Option<Spanned<String>>, diags: &mut Sink| {
            let v = v.as_ref()?;
            let text = v.get_ref().trim();
            if text.is_empty() || text.chars().any(char::is_control) {
                diags.push(
                    at.error(
                        v.span().start,
                        format!("[deliver] `{key}` is empty or holds control characters"),
                    )
                    .hint("give one line of text, or remove the key"),
                );
                return None;
            }
            Some((text.to_string(), v.span().start))
        };
        let subject = line("subject", &t.subject, diags).map(|(s, _)| s);
        let unsubscribe = line("unsubscribe", &t.unsubscribe, diags).and_then(|(u, at_byte)| {
            match url::Url::parse(&u) {
                Ok(p) if matches!(p.scheme(), "https" | "http" | "mailto") => Some(u),
                _ => {
                    diags.push(
                        at.error(at_byte, format!("[deliver] `unsubscribe` {u:?} is not an https: or mailto: address"))
                            .hint("give where a reader unsubscribes, e.g. \"mailto:leave@example.org\" or \"https://example.org/unsubscribe\""),
                    );
                    None
                }
            }
        });
        DeliverSettings {
            subject,
            unsubscribe,
        }
    }
}

/// Why a feed `url` cannot be fetched, worded to follow "feed `url` "…"".
fn feed_url(url: &str) -> Result<(), Refusal> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        Ok(u) if matches!(u.scheme(), "http" | "https") => Err("has no host name".into()),
        Ok(u) => Err(format!(
            "uses the {}: scheme; pressbook fetches only http:// and https:// addresses",
            u.scheme()
        )
        .into()),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            Err("is not an absolute address (it has no http:// or https://)".into())
        }
        Err(e) => Err(format!("is not a valid address ({e})").into()),
    }
}

/// A feed `max`: a whole number of at least 1.
fn feed_max(v: &toml::Value) -> Result<usize, Refusal> {
    match v {
        toml::Value::Integer(n) if *n >= 1 => Ok(usize::try_from(*n).unwrap_or(usize::MAX)),
        toml::Value::Integer(n) => Err(format!("is {n}; it must be 1 or more").into()),
        toml::Value::Float(x) => Err(format!("is {x}; it must be a whole number").into()),
        toml::Value::String(t) => Err(format!(
            "is the string {t:?}; it must be a whole number, written without quotes"
        )
        .into()),
        other => Err(format!("is a {}; it must be a whole number", other.type_str()).into()),
    }
}

impl SectionTable {
    fn validate(&self, refs: &mut RefChecker, diags: &mut Sink) -> SectionPlan {
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
    fn check(&mut self, listed: &Spanned<String>, diags: &mut Sink) -> Option<ArticleRef> {
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

/// A `page_size`: a named size, or `"W x H mm"` from 50 to 1000 mm a side;
/// the error says why not, following "unknown `page_size`".
fn page_size(s: &str) -> Result<PageSize, Refusal> {
    let lower = s.trim().to_ascii_lowercase();
    match lower.as_str() {
        "a4" => return Ok(PageSize::A4),
        "letter" => return Ok(PageSize::Letter),
        "a5" => return Ok(PageSize::A5),
        "ereader" | "e-reader" => return Ok(PageSize::Ereader),
        "tablet" => return Ok(PageSize::Tablet),
        _ => {}
    }
    let Some(dims) = lower.strip_suffix("mm") else {
        return Err(format!("unknown `page_size` {s:?}").into());
    };
    let parts: Vec<&str> = dims.split(['x', '\u{d7}']).map(str::trim).collect();
    let tenths = |v: &str| -> Option<u32> {
        let mm: f64 = v.parse().ok()?;
        (50.0..=1000.0)
            .contains(&mm)
            .then(|| (mm * 10.0).round() as u32)
    };
    match parts.as_slice() {
        [w, h] => match (tenths(w), tenths(h)) {
            (Some(width_tenth_mm), Some(height_tenth_mm)) => Ok(PageSize::Custom {
                width_tenth_mm,
                height_tenth_mm,
            }),
            _ => Err(format!("`page_size` {s:?} is not a size from 50 to 1000 mm a side").into()),
        },
        _ => Err(format!("unknown `page_size` {s:?}").into()),
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

#[cfg(test)]
mod style_tests {
    use std::path::Path;

    use super::super::{parse, Columns, Manifest};
    use crate::diag::{Diagnostic, Severity, Sink};
    use crate::model::PageSize;

    fn parse_text(text: &str) -> (Option<Manifest>, Vec<Diagnostic>) {
        let mut diags = Sink::new();
        let m = parse(
            text,
            Path::new("d"),
            Path::new("d/pressbook.toml"),
            false,
            &mut diags,
        );
        (m, diags.into_vec())
    }

    #[test]
    fn style_table_with_every_key() {
        let (m, diags) = parse_text(
            "title = \"T\"\n[style]\naccent = \"#0B5394\"\nlogo = \"images/logo.png\"\ncolumns = 2\nbody_size = 9.5\ncss = \"extra.css\"\n",
        );
        assert!(diags.is_empty(), "{diags:#?}");
        let m = m.unwrap();
        assert_eq!(m.pdf.columns, Columns::Two);
        assert_eq!(m.pdf.body_size, Some(9.5));
        let accent = m.style.accent.unwrap();
        assert_eq!(accent.given.to_string(), "#0b5394");
        assert_eq!(accent.text, accent.given);
        assert_eq!(
            m.style.logo.as_deref(),
            Some(Path::new("d/images/logo.png"))
        );
        assert_eq!(m.style.css.as_deref(), Some(Path::new("d/extra.css")));
        // Without the table: one column, the page size's own body.
        let (m, _) = parse_text("title = \"T\"\n");
        let m = m.unwrap();
        assert_eq!((m.pdf.columns, m.pdf.body_size), (Columns::One, None));
        assert!(m.style.accent.is_none() && m.style.logo.is_none());
    }

    #[test]
    fn style_unknown_key_is_named_with_a_suggestion() {
        let (m, diags) = parse_text("title = \"T\"\n[style]\naccnet = \"#000\"\n");
        assert!(m.is_none());
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].message, "manifest: unknown key `accnet`");
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `accent`?"));
        assert_eq!(diags[0].line, Some(3));
    }

    #[test]
    fn style_bad_values_are_named_at_their_line() {
        for (value, needle) in [
            ("accent = \"navy\"", "`accent` \"navy\" is not a colour"),
            ("accent = \"#12345\"", "is not a colour"),
            ("columns = 3", "`columns` is 3; it must be 1 or 2"),
            ("columns = \"2\"", "`columns` is \"2\""),
            ("body_size = 40", "`body_size` is 40"),
            ("body_size = \"10pt\"", "`body_size` is \"10pt\""),
            ("logo = \" \"", "`logo` is empty"),
            ("css = \"\"", "`css` is empty"),
        ] {
            let (_, diags) = parse_text(&format!("title = \"T\"\n[style]\n{value}\n"));
            assert_eq!(diags.len(), 1, "{value}: {diags:#?}");
            let d = &diags[0];
            assert_eq!(d.severity, Severity::Error, "{value}");
            assert!(d.message.contains(needle), "{value}: {d}");
            assert_eq!(d.line, Some(3), "{value}");
            assert!(d.hint.is_some(), "{value}");
        }
    }

    #[test]
    fn style_light_accent_warns_and_is_darkened_for_text() {
        let (m, diags) = parse_text("title = \"T\"\n[style]\naccent = \"#f1c232\"\n");
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.message.contains("contrast of 1.7:1"), "{d}");
        assert!(d.message.contains("4.5:1"), "{d}");
        let accent = m.unwrap().style.accent.unwrap();
        assert!(d.message.contains(&accent.text.to_string()), "{d}");
        assert!(accent.text.contrast_with_white() >= 4.5);
    }

    #[test]
    fn style_page_size_presets_and_millimetres() {
        for (given, want) in [
            ("ereader", PageSize::Ereader),
            ("Tablet", PageSize::Tablet),
            (
                "100 x 150 mm",
                PageSize::Custom {
                    width_tenth_mm: 1000,
                    height_tenth_mm: 1500,
                },
            ),
            (
                "90.5x120mm",
                PageSize::Custom {
                    width_tenth_mm: 905,
                    height_tenth_mm: 1200,
                },
            ),
        ] {
            let (m, diags) = parse_text(&format!("title = \"T\"\npage_size = \"{given}\"\n"));
            assert!(diags.is_empty(), "{given}: {diags:#?}");
            assert_eq!(m.unwrap().pdf.page_size, want, "{given}");
        }
        let (w, h) = PageSize::Ereader.points();
        assert!(
            (w - 255.1).abs() < 0.1 && (h - 340.2).abs() < 0.1,
            "{w} {h}"
        );
        for bad in ["10 x 20 mm", "100 x 150", "100 x 150 x 2 mm", "wide"] {
            let (_, diags) = parse_text(&format!("title = \"T\"\npage_size = \"{bad}\"\n"));
            assert_eq!(diags.len(), 1, "{bad}: {diags:#?}");
            assert!(diags[0].message.contains("page_size"), "{bad}");
            assert!(diags[0].hint.as_deref().unwrap().contains("ereader"));
        }
    }
}
