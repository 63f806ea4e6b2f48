//! The document model: what every back end reads.
//!
//! The loader (`source`) and the orderer (`digest`) produce these types; the
//! writers (`xhtml`/`epub`, `layout`/`pdf`) only consume them. Nothing here
//! knows about any output format.

use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

/// A whole digest, in reading order.
#[derive(Debug, Clone)]
pub struct Digest {
    pub meta: DigestMeta,
    pub sections: Vec<Section>,
    /// Local images referenced by articles, each stored once.
    pub assets: Vec<Asset>,
    /// Article source files (see [`normal_path`]) → article ids, so that
    /// links between articles resolve without touching the disk.
    pub files: HashMap<PathBuf, String>,
    /// Accent colour and logo (`[style]`); the logo is one of `assets`.
    pub house: House,
}

/// The digest's house style as every output shares it: an accent colour and
/// a logo (the `[style]` table; what only one output reads, columns and body
/// size for the PDF, extra CSS for the EPUB, stays with that output's
/// settings).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct House {
    pub accent: Option<crate::house::Accent>,
    /// The logo, one of the digest's assets.
    pub logo: Option<AssetId>,
}

/// Where a link in an article leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A web address (any URL with a scheme).
    Url(String),
    /// An article of this digest, at a heading or anchor if given.
    Article {
        id: String,
        fragment: Option<String>,
    },
    /// A relative link to a file that is not in the digest: shown as text.
    Outside,
}

impl Digest {
    /// Every article in reading order, across sections.
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.sections.iter().flat_map(|s| s.articles.iter())
    }

    pub fn asset(&self, id: AssetId) -> &Asset {
        &self.assets[id.0]
    }

    /// Resolves `url` as written in article `from` (see [`resolve_link`]).
    pub fn resolve(&self, from: &Article, url: &str) -> Target {
        resolve_link(&self.files, &from.id, &from.path, url)
    }
}

/// Resolves `url` as written in the article `from_id` (file `from_path`):
/// `#frag` stays in the article, `other.md#frag` goes to that article when
/// `files` holds it, anything with a scheme is a web address.
pub fn resolve_link(
    files: &HashMap<PathBuf, String>,
    from_id: &str,
    from_path: &Path,
    url: &str,
) -> Target {
    if let Some(frag) = url.strip_prefix('#') {
        return Target::Article {
            id: from_id.to_string(),
            fragment: Some(frag.to_string()),
        };
    }
    if has_scheme(url) {
        return Target::Url(url.to_string());
    }
    let (file, fragment) = match url.split_once('#') {
        Some((f, frag)) => (f, Some(frag.to_string())),
        None => (url, None),
    };
    let path = from_path.parent().unwrap_or(Path::new(".")).join(file);
    match files.get(&normal_path(&path)) {
        Some(id) => Target::Article {
            id: id.clone(),
            fragment,
        },
        None => Target::Outside,
    }
}

/// `path` with `.` and `a/..` taken out, as written (no symlinks followed),
/// so that `articles/../articles/b.md` and `articles/b.md` are one file.
pub fn normal_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether `url` starts with a URL scheme (`https:`, `mailto:`, …).
pub fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(s, _)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Metadata of the digest as a whole, from `pressbook.toml`.
#[derive(Debug, Clone)]
pub struct DigestMeta {
    pub title: String,
    pub subtitle: Option<String>,
    pub editor: Option<String>,
    pub publisher: Option<String>,
    /// BCP 47 language tag, e.g. `en-GB`.
    pub language: String,
    /// The issue date.
    pub date: NaiveDate,
    /// The identifier as the editor gave it (or the derived `urn:uuid:`).
    pub identifier: String,
    /// A UUID for the package: the identifier itself when it is one, else
    /// derived from it, so it is stable across builds.
    pub uuid: uuid::Uuid,
    pub rights: Option<String>,
    pub description: Option<String>,
    /// Timestamp for "last modified" fields: the digest date at midnight UTC,
    /// or `SOURCE_DATE_EPOCH` when set. Never the wall clock.
    pub modified: DateTime<Utc>,
}

impl DigestMeta {
    /// The ISO 8601 week of the issue date: `Week 48, 2026`.
    pub fn week_label(&self) -> String {
        use chrono::Datelike;
        let w = self.date.iso_week();
        format!("Week {}, {}", w.week(), w.year())
    }

    /// The editor's credit every output shows: `Edited by …`.
    pub fn editor_line(&self) -> Option<String> {
        self.editor.as_ref().map(|e| format!("Edited by {e}"))
    }

    /// The issue line every output shows: `23 November 2026 · Week 48, 2026`.
    pub fn issue_line(&self) -> String {
        format!("{} · {}", self.date.format("%-d %B %Y"), self.week_label())
    }
}

/// Font files the manifest asks for instead of the bundled ones.
#[derive(Debug, Clone, Default)]
pub struct FontChoice {
    pub regular: Option<PathBuf>,
    pub italic: Option<PathBuf>,
    pub bold: Option<PathBuf>,
    pub bold_italic: Option<PathBuf>,
    pub fallback: Vec<PathBuf>,
    /// Folders searched for fonts after these files (`--font-path`, then
    /// `[fonts] path`), before the system's.
    pub dirs: Vec<PathBuf>,
    /// Search fontconfig's font directories too (off with
    /// `--no-system-fonts` or `[fonts] system = false`).
    pub system_fonts: bool,
}

impl FontChoice {
    /// Every font file named, faces first, then fallbacks.
    pub fn files(&self) -> impl Iterator<Item = &PathBuf> {
        [&self.regular, &self.italic, &self.bold, &self.bold_italic]
            .into_iter()
            .flatten()
            .chain(self.fallback.iter())
    }
}

/// Paper sizes for the PDF, and screen sizes for reading it on a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageSize {
    #[default]
    A4,
    Letter,
    A5,
    /// A 6-inch e-ink reader's screen, 90 × 120 mm.
    Ereader,
    /// A 10-inch e-ink tablet's screen, 157 × 210 mm.
    Tablet,
    /// `"W x H mm"`, in tenths of a millimetre (so sizes compare exactly).
    Custom {
        width_tenth_mm: u32,
        height_tenth_mm: u32,
    },
}

impl PageSize {
    /// Width and height in PostScript points.
    pub fn points(self) -> (f32, f32) {
        let mm = |v: f32| v * 72.0 / 25.4;
        match self {
            PageSize::A4 => (595.276, 841.89),
            PageSize::Letter => (612.0, 792.0),
            PageSize::A5 => (419.528, 595.276),
            PageSize::Ereader => (mm(90.0), mm(120.0)),
            PageSize::Tablet => (mm(157.0), mm(210.0)),
            PageSize::Custom {
                width_tenth_mm,
                height_tenth_mm,
            } => (
                mm(width_tenth_mm as f32 / 10.0),
                mm(height_tenth_mm as f32 / 10.0),
            ),
        }
    }

    /// A screen size rather than paper: set with narrower margins, and
    /// without running heads when the page is small.
    pub fn is_screen(self) -> bool {
        !matches!(self, PageSize::A4 | PageSize::Letter | PageSize::A5)
    }
}

/// A titled group of articles. The title is `None` for a digest without
/// sections.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: Option<String>,
    /// Unique, XML-safe id, e.g. `s1-world`.
    pub id: String,
    pub articles: Vec<Article>,
}

/// One article, parsed.
#[derive(Debug, Clone)]
pub struct Article {
    /// Unique, XML-safe id, stable for the same input, e.g. `a03-idlib`.
    pub id: String,
    /// The source file (for messages).
    pub path: PathBuf,
    pub meta: ArticleMeta,
    pub body: Vec<Block>,
    /// Footnotes in order of first reference.
    pub footnotes: Vec<Footnote>,
}

impl Article {
    /// Number of words in the body (whitespace-separated tokens).
    pub fn word_count(&self) -> usize {
        let mut n = 0;
        visit_text(&self.body, &mut |t| n += t.split_whitespace().count());
        n
    }
}

/// Calls `f` with every piece of text in `blocks`, in order.
pub fn visit_text(blocks: &[Block], f: &mut dyn FnMut(&str)) {
    for b in blocks {
        match b {
            Block::Heading { content, .. } | Block::Paragraph(content) => {
                visit_inline_text(content, f)
            }
            Block::Quote(inner) => visit_text(inner, f),
            Block::List { items, .. } => items.iter().for_each(|i| visit_text(i, f)),
            Block::Code { text, .. } => f(text),
            Block::Table(t) => {
                for cell in t.head.iter().chain(t.rows.iter().flatten()) {
                    visit_inline_text(cell, f)
                }
            }
            Block::Image { alt, .. } => f(alt),
            Block::Rule => {}
        }
    }
}

/// Calls `f` with every piece of text in `inlines`, in order.
pub fn visit_inline_text(inlines: &[Inline], f: &mut dyn FnMut(&str)) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => f(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => visit_inline_text(c, f),
            Inline::Link { content, .. } => visit_inline_text(content, f),
            Inline::Image { alt, .. } => f(alt),
            Inline::NoteRef { .. } | Inline::LineBreak => {}
        }
    }
}

/// True when `s` shows nothing: only spaces and invisible format characters
/// (zero-width spaces and joiners, word joiners, a stray byte-order mark,
/// soft hyphens). Such a title, heading or link reads as empty everywhere.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{00AD}'
                    | '\u{061C}'
                    | '\u{180E}'
                    | '\u{200B}'..='\u{200F}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{FEFF}'
            )
    })
}

/// True when inlines hold only blank text: no code, link, image or note.
pub fn shows_nothing(inlines: &[Inline]) -> bool {
    inlines.iter().all(|i| match i {
        Inline::Text(t) => is_blank(t),
        Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => shows_nothing(c),
        Inline::LineBreak => true,
        _ => false,
    })
}

/// What is known about an article's origin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleMeta {
    pub title: String,
    pub author: Option<String>,
    /// The publication it came from, e.g. "Sky News".
    pub source: Option<String>,
    pub url: Option<String>,
    pub date: Option<PubDate>,
    /// Section name from front matter (used when the manifest lists no sections).
    pub section: Option<String>,
    /// BCP 47 tag: the article's own, else the digest's.
    pub language: String,
    pub rights: Option<String>,
    pub summary: Option<String>,
}

/// An original publication date, as precise as the source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PubDate {
    Year(i32),
    Day(NaiveDate),
}

impl PubDate {
    /// A date for ordering: a bare year sorts as its first day.
    pub fn sort_key(self) -> NaiveDate {
        match self {
            PubDate::Day(d) => d,
            PubDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default(),
        }
    }
}

impl fmt::Display for PubDate {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            PubDate::Year(y) => write!(f, "{y}"),
            PubDate::Day(d) => write!(f, "{}", d.format("%-d %B %Y")),
        }
    }
}

/// A block-level element of an article body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `level` is 1–6 as written; writers shift it under the article title.
    Heading {
        level: u8,
        id: String,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    Quote(Vec<Block>),
    /// `start` is `Some(n)` for an ordered list starting at `n`.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
    Table(Table),
    /// An image standing alone as a block (a figure).
    Image {
        src: ImageSrc,
        alt: String,
        title: Option<String>,
    },
    Rule,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub align: Vec<Align>,
    pub head: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

/// Inline content of a paragraph, heading or cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        title: Option<String>,
        content: Vec<Inline>,
        /// Line in the article's file, for messages (0 when unknown).
        line: usize,
    },
    Image {
        src: ImageSrc,
        alt: String,
        /// The Markdown title (`![alt](src "title")`): a figure's caption.
        title: Option<String>,
    },
    /// A reference to `Article::footnotes[number - 1]`.
    NoteRef {
        number: u32,
    },
    LineBreak,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// 1-based, in order of first reference.
    pub number: u32,
    pub content: Vec<Block>,
}

/// Where an image comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageSrc {
    /// A local file, loaded into `Digest::assets`.
    Asset(AssetId),
    /// A remote URL: linked, never fetched.
    Remote(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetId(pub usize);

/// A local image, read once.
#[derive(Debug, Clone)]
pub struct Asset {
    /// File name inside the book, unique, e.g. `img-01-harbour.png`.
    pub name: String,
    pub media_type: &'static str,
    pub data: Arc<Vec<u8>>,
    /// Pixel size (for SVG: the viewBox size in CSS px).
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
    /// The file it was read from, for messages that name it.
    pub source: std::path::PathBuf,
}

/// A picture's format, read from its bytes. PNG, JPEG, GIF and SVG go into
/// every output as they are; WebP, BMP and TIFF are read and converted by
/// the image step (`pressbook-pictures`) before any writer sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Gif,
    Svg,
    Webp,
    Bmp,
    Tiff,
}

impl ImageFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Svg => "image/svg+xml",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Bmp => "image/bmp",
            ImageFormat::Tiff => "image/tiff",
        }
    }

    /// The file extension pictures of this format are saved under.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Gif => "gif",
            ImageFormat::Svg => "svg",
            ImageFormat::Webp => "webp",
            ImageFormat::Bmp => "bmp",
            ImageFormat::Tiff => "tif",
        }
    }

    /// The `image` crate's name for a raster format (`None` for SVG).
    pub fn raster(self) -> Option<image::ImageFormat> {
        Some(match self {
            ImageFormat::Png => image::ImageFormat::Png,
            ImageFormat::Jpeg => image::ImageFormat::Jpeg,
            ImageFormat::Gif => image::ImageFormat::Gif,
            ImageFormat::Webp => image::ImageFormat::WebP,
            ImageFormat::Bmp => image::ImageFormat::Bmp,
            ImageFormat::Tiff => image::ImageFormat::Tiff,
            ImageFormat::Svg => return None,
        })
    }
}

/// The attribution shown at the end of an article, derived from its meta.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution<'a> {
    pub source: Option<&'a str>,
    pub author: Option<&'a str>,
    pub date: Option<PubDate>,
    pub url: Option<&'a str>,
    pub rights: Option<&'a str>,
}

impl ArticleMeta {
    pub fn attribution(&self) -> Attribution<'_> {
        Attribution {
            source: self.source.as_deref(),
            author: self.author.as_deref(),
            date: self.date,
            url: self.url.as_deref(),
            rights: self.rights.as_deref(),
        }
    }

    /// "By Author · Source · 3 March 2026", with whatever is known.
    pub fn byline(&self) -> String {
        let mut parts = Vec::new();
        if let Some(a) = &self.author {
            parts.push(format!("By {a}"));
        }
        if let Some(s) = &self.source {
            parts.push(s.clone());
        }
        if let Some(d) = self.date {
            parts.push(d.to_string());
        }
        parts.join(" · ")
    }
}

/// The highest (smallest-numbered) heading level among the top-level blocks
/// of an article body; writers put that level right under the headline.
pub fn top_heading_level(body: &[Block]) -> Option<u8> {
    body.iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min()
}

/// Closes the gaps in a body's heading levels, keeping its top level:
/// `##` then `#####` becomes `##` then `###`. Readers and screen readers
/// navigate by level, and a skipped level reads as a missing section (Ace's
/// heading-order rule); what is written is kept, only its depth changes.
pub fn close_heading_gaps(body: &mut [Block]) {
    let top = top_heading_level(body).unwrap_or(1);
    // The levels of the headings still open above the current one.
    let mut open: Vec<u8> = Vec::new();
    visit_headings(body, &mut |level| {
        while open.last().is_some_and(|&l| l >= *level) {
            open.pop();
        }
        open.push(*level);
        *level = (top + open.len() as u8 - 1).min(6);
    });
}

fn visit_headings(blocks: &mut [Block], f: &mut impl FnMut(&mut u8)) {
    for b in blocks {
        match b {
            Block::Heading { level, .. } => f(level),
            Block::Quote(inner) => visit_headings(inner, f),
            Block::List { items, .. } => {
                for item in items {
                    visit_headings(item, f);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_text_is_blank() {
        assert!(is_blank("\u{feff}"));
        assert!(is_blank(" \u{200b}\u{00ad}\t"));
        assert!(!is_blank("\u{feff}a"));
        assert!(!is_blank("–"));
    }

    #[test]
    fn heading_gaps_close_and_the_top_level_stays() {
        let h = |level: u8| Block::Heading {
            level,
            id: String::new(),
            content: vec![],
        };
        let levels = |body: &[Block]| -> Vec<u8> {
            body.iter()
                .map(|b| match b {
                    Block::Heading { level, .. } => *level,
                    Block::Quote(inner) => match &inner[0] {
                        Block::Heading { level, .. } => 10 + *level,
                        _ => 0,
                    },
                    _ => 0,
                })
                .collect()
        };
        let mut body = vec![h(2), h(5), h(5), h(6), h(3), h(2), Block::Quote(vec![h(6)])];
        close_heading_gaps(&mut body);
        assert_eq!(levels(&body), [2, 3, 3, 4, 3, 2, 13]);
        // Nothing to close: unchanged.
        let mut body = vec![h(1), h(2), h(3), h(2)];
        close_heading_gaps(&mut body);
        assert_eq!(levels(&body), [1, 2, 3, 2]);
    }

    #[test]
    fn links_resolve_without_the_disk() {
        let article = |id: &str, path: &str| Article {
            id: id.into(),
            path: PathBuf::from(path),
            meta: ArticleMeta::default(),
            body: Vec::new(),
            footnotes: Vec::new(),
        };
        let a = article("a01-a", "digest/articles/a.md");
        let b = article("a02-b", "digest/articles/world/b.md");
        let digest = Digest {
            house: Default::default(),
            files: [&a, &b]
                .iter()
                .map(|x| (normal_path(&x.path), x.id.clone()))
                .collect(),
            meta: DigestMeta {
                title: String::new(),
                subtitle: None,
                editor: None,
                publisher: None,
                language: "en".into(),
                date: NaiveDate::default(),
                identifier: String::new(),
                uuid: uuid::Uuid::nil(),
                rights: None,
                description: None,
                modified: DateTime::default(),
            },
            sections: Vec::new(),
            assets: Vec::new(),
        };
        let to = |id: &str, f: Option<&str>| Target::Article {
            id: id.into(),
            fragment: f.map(str::to_string),
        };
        assert_eq!(digest.resolve(&a, "world/b.md"), to("a02-b", None));
        assert_eq!(digest.resolve(&b, "../a.md#top"), to("a01-a", Some("top")));
        assert_eq!(digest.resolve(&b, "./../world/./b.md"), to("a02-b", None));
        assert_eq!(digest.resolve(&a, "#notes"), to("a01-a", Some("notes")));
        assert_eq!(digest.resolve(&a, "elsewhere.md"), Target::Outside);
        assert_eq!(
            digest.resolve(&a, "mailto:desk@example.org"),
            Target::Url("mailto:desk@example.org".into())
        );
        assert_eq!(digest.resolve(&a, "c:d.md"), Target::Url("c:d.md".into()));
    }
}
