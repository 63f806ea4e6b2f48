//! `pressbook.toml`: parsing and validation of the digest manifest.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use toml::de::DeTable;

use crate::diag::{Diagnostic, Sink};
use crate::model::{FontChoice, PageSize};

pub mod edit;
mod keys;
mod tables;

pub use crate::diag::suggest;
use tables::{Place, TopTable};

pub const MANIFEST_NAME: &str = "pressbook.toml";

/// A validated manifest, paths resolved against the digest folder.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub dir: PathBuf,
    pub title: String,
    pub subtitle: Option<String>,
    pub editor: Option<String>,
    pub publisher: Option<String>,
    pub language: String,
    /// Whether the manifest names the language itself (the default, `en`,
    /// is a guess a device preflight points out).
    pub language_stated: bool,
    pub date: Option<NaiveDate>,
    pub identifier: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
    /// Settings only the PDF reads.
    pub pdf: PdfSettings,
    pub order: ArticleOrder,
    /// `[[feeds]]`: read by `pressbook fetch` only; building never touches
    /// the network.
    pub feeds: Vec<FeedPlan>,
    /// `user_agent`: sent by `add` and `fetch` instead of pressbook's own.
    pub user_agent: Option<String>,
    /// `[style]`'s accent and files (the logo, extra CSS), read when the
    /// digest is loaded.
    pub style: StyleSettings,
    /// `[html]`: read by the HTML edition.
    pub html: HtmlSettings,
    /// `[deliver]`: read by `send` for the newsletter.
    pub deliver: DeliverSettings,
    /// `[images]`: the image step's settings and `add`/`fetch`'s picture
    /// limits.
    pub images: crate::picture::ImageSettings,
}

/// `[html]` as validated.
#[derive(Debug, Clone, Default)]
pub struct HtmlSettings {
    pub images: HtmlImages,
}

/// Where the HTML edition's pictures go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlImages {
    /// Inside the page, as `data:` addresses: one file that works anywhere.
    #[default]
    Embed,
    /// In `NAME_files/` beside the page: a smaller page, pictures cached.
    Folder,
}

/// `[deliver]` as validated: the newsletter's mail.
#[derive(Debug, Clone, Default)]
pub struct DeliverSettings {
    /// The subject line; `None`: "<title>, <date>".
    pub subject: Option<String>,
    /// Where a reader unsubscribes (`https:` or `mailto:`), sent as
    /// `List-Unsubscribe`.
    pub unsubscribe: Option<String>,
}

/// `[style]` as validated: the accent, and the files it names, resolved
/// against the digest folder (loading reads and checks them).
#[derive(Debug, Clone, Default)]
pub struct StyleSettings {
    pub accent: Option<crate::house::Accent>,
    pub logo: Option<PathBuf>,
    pub css: Option<PathBuf>,
}

/// The manifest's settings for the EPUB: read by the EPUB renderer only.
#[derive(Debug, Clone, Default)]
pub struct EpubSettings {
    /// `[style] css`: the file's text, appended to pressbook's stylesheet.
    pub css: Option<String>,
}

/// One `[[feeds]]` entry, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPlan {
    pub url: String,
    /// Where new articles go; `None`: the feed's own title.
    pub section: Option<String>,
    /// Newest items taken per fetch.
    pub max: usize,
}

/// The manifest's settings for the PDF (page size, layout, fonts): read by
/// the PDF renderer only, as mdBook's renderers read `output.<name>`.
#[derive(Debug, Clone, Default)]
pub struct PdfSettings {
    pub page_size: PageSize,
    /// Articles follow each other after a rule instead of each on a new page.
    pub compact: bool,
    /// The PDF ends with a page listing every article's attribution.
    pub sources_page: bool,
    /// Font files named in `[fonts]`, resolved against the digest folder
    /// (loading adds those found in the digest's `fonts/` folder).
    pub fonts: FontChoice,
    /// `[style] columns`: body pages in one column or two.
    pub columns: Columns,
    /// `[style] body_size`: the body text size in points, when given (else
    /// the page size's own).
    pub body_size: Option<f32>,
}

/// How many columns body pages are set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Columns {
    #[default]
    One,
    Two,
}

impl Columns {
    pub fn count(self) -> usize {
        match self {
            Columns::One => 1,
            Columns::Two => 2,
        }
    }
}

/// How the manifest orders articles.
#[derive(Debug, Clone, PartialEq)]
pub enum ArticleOrder {
    Sections(Vec<SectionPlan>),
    /// A flat list; front-matter `section` keys group them.
    Flat(Vec<ArticleRef>),
    /// Neither: every article under `articles/`, by date then file name.
    Discover,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionPlan {
    pub title: String,
    pub articles: Vec<ArticleRef>,
}

/// An article path as listed, and where it resolves to.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRef {
    pub listed: String,
    pub path: PathBuf,
    /// Line of the manifest that lists it.
    pub line: usize,
}

/// Reads and validates `DIR/pressbook.toml`. Problems go to `diags`; `None`
/// means the manifest could not be used at all. A manifest is returned even
/// with errors in it (a missing article, a bad date) so that one run reports
/// every problem; callers check `diags` before building.
pub fn load(dir: &Path, allow_outside: bool, diags: &mut Sink) -> Option<Manifest> {
    let path = dir.join(MANIFEST_NAME);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                diags.push(
                    Diagnostic::error(format!(
                        "manifest is not valid UTF-8 (bad byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ))
                    .at(&path)
                    .hint("save the file as UTF-8"),
                );
                return None;
            }
        },
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("cannot read the manifest: {e}"))
                    .at(&path)
                    .hint(format!(
                        "a digest folder needs a {MANIFEST_NAME}; `pressbook init` writes one"
                    )),
            );
            return None;
        }
    };
    parse(&text, dir, &path, allow_outside, diags)
}

/// Parses and validates manifest text, without reading the disk (loading
/// checks that the files it names exist). `manifest_path` is used in
/// messages only.
pub fn parse(
    text: &str,
    dir: &Path,
    manifest_path: &Path,
    allow_outside: bool,
    diags: &mut Sink,
) -> Option<Manifest> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let at = Place {
        text,
        path: manifest_path,
        dir,
    };
    if !known_keys_only(&at, diags) {
        return None;
    }
    let top: TopTable = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(toml_error(&e, &at));
            return None;
        }
    };
    // Problems found past this point are reported, but the manifest is still
    // returned so that the articles it does list get checked too.
    Some(Manifest {
        dir: dir.to_path_buf(),
        title: top.title(&at, diags),
        subtitle: non_empty(&top.subtitle),
        editor: non_empty(&top.editor),
        publisher: non_empty(&top.publisher),
        language: top.language(&at, diags),
        language_stated: top.language.is_some(),
        date: top.date(&at, diags),
        identifier: non_empty(&top.identifier),
        rights: non_empty(&top.rights),
        description: non_empty(&top.description),
        pdf: top.pdf(&at, diags),
        order: top.order(&at, allow_outside, diags),
        feeds: top.feeds(&at, diags),
        user_agent: top.user_agent(&at, diags),
        style: top.style(&at, diags),
        html: top.html(&at, diags),
        deliver: top.deliver(&at, diags),
        images: top.images(&at, diags),
    })
}

/// Reports TOML syntax errors, keys no table knows and a missing `title`;
/// false when any was found (the typed tables cannot be read then).
fn known_keys_only(at: &Place, diags: &mut Sink) -> bool {
    let doc = match DeTable::parse(at.text) {
        Ok(doc) => doc,
        Err(e) => {
            diags.push(toml_error(&e, at));
            return false;
        }
    };
    let mut ok = true;
    for (name, known) in tables::known_tables() {
        let found: Vec<&DeTable> = if name.is_empty() {
            vec![doc.get_ref()]
        } else {
            doc.get_ref()
                .get(name)
                .map(keys::tables)
                .unwrap_or_default()
        };
        for unknown in found.iter().flat_map(|t| keys::unknown_keys(t, known)) {
            ok = false;
            let d = at.error(
                unknown.offset,
                format!("manifest: unknown key `{}`", unknown.key),
            );
            diags.push(match unknown.suggestion() {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!("known keys are: {}", known.join(", "))),
            });
        }
    }
    if ok && !doc.get_ref().contains_key("title") {
        diags.push(
            Diagnostic::error("manifest: missing `title`")
                .at(at.path)
                .line(1)
                .hint("add a line such as: title = \"Frontline Weekly\""),
        );
        return false;
    }
    ok
}

/// A text field's value, cleaned as article text is, when not blank.
fn non_empty(s: &Option<String>) -> Option<String> {
    let mut s = s.as_ref()?.trim().to_string();
    crate::source::clean::clean(&mut s);
    Some(s).filter(|s| !s.is_empty())
}

/// A TOML syntax or type error as a diagnostic with line and column.
fn toml_error(e: &toml::de::Error, at: &Place) -> Diagnostic {
    let message = format!("manifest: {}", e.message().trim());
    match e.span() {
        Some(span) => at.error(span.start, message),
        None => Diagnostic::error(message).at(at.path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_dir() -> tempdir::Dir {
        tempdir::Dir::new(&[("articles/a.md", "# A"), ("articles/b.txt", "B")])
    }

    /// A throwaway folder with files, removed on drop.
    mod tempdir {
        use std::path::{Path, PathBuf};
        pub struct Dir(PathBuf);
        impl Dir {
            pub fn new(files: &[(&str, &str)]) -> Dir {
                use std::sync::atomic::{AtomicUsize, Ordering};
                static N: AtomicUsize = AtomicUsize::new(0);
                let dir = std::env::temp_dir().join(format!(
                    "pressbook-manifest-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::SeqCst)
                ));
                for (name, body) in files {
                    let p = dir.join(name);
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(p, body).unwrap();
                }
                Dir(dir)
            }
            pub fn path(&self) -> &Path {
                &self.0
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    fn parse_text(text: &str) -> (Option<Manifest>, Vec<Diagnostic>) {
        let dir = fixture_dir();
        let mut diags = Sink::new();
        let m = parse(
            text,
            dir.path(),
            Path::new("d/pressbook.toml"),
            false,
            &mut diags,
        );
        (m, diags.into_vec())
    }

    fn only_error(text: &str) -> Diagnostic {
        let (_, diags) = parse_text(text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        diags.into_iter().next().unwrap()
    }

    #[test]
    fn full_manifest_with_sections() {
        let (m, diags) = parse_text(
            r#"
title = "Frontline Weekly"
subtitle = "Week 48"
language = "en-GB"
date = 2026-11-23
page_size = "letter"
[[sections]]
title = "World"
articles = ["articles/a.md"]
[[sections]]
title = "Markets"
articles = ["articles/b.txt"]
"#,
        );
        assert!(diags.is_empty(), "{diags:#?}");
        let m = m.unwrap();
        assert_eq!(m.title, "Frontline Weekly");
        assert_eq!(m.language, "en-GB");
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2026, 11, 23));
        assert_eq!(m.pdf.page_size, PageSize::Letter);
        let ArticleOrder::Sections(s) = &m.order else {
            panic!("expected sections")
        };
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].articles[0].listed, "articles/b.txt");
        assert_eq!(s[1].articles[0].line, 12);
    }

    #[test]
    fn flat_list_and_discovery() {
        let (m, _) = parse_text("title = \"T\"\narticles = [\"articles/b.txt\"]\n");
        assert!(matches!(m.unwrap().order, ArticleOrder::Flat(v) if v.len() == 1));
        let (m, _) = parse_text("title = \"T\"\n");
        let m = m.unwrap();
        assert_eq!(m.order, ArticleOrder::Discover);
        assert_eq!(m.language, "en");
        assert_eq!(m.date, None);
    }

    #[test]
    fn iso_week_gives_its_monday() {
        let (m, _) = parse_text("title = \"T\"\nweek = \"2026-W48\"\n");
        assert_eq!(m.unwrap().date, NaiveDate::from_ymd_opt(2026, 11, 23));
    }

    #[test]
    fn syntax_error_has_line() {
        let d = only_error("title = \"T\"\nsubtitle = \n");
        assert_eq!(d.line, Some(2));
        assert!(d.message.starts_with("manifest:"), "{d}");
    }

    #[test]
    fn unknown_key_suggests_nearest() {
        let d = only_error("title = \"T\"\npublsher = \"P\"\n");
        assert_eq!(d.message, "manifest: unknown key `publsher`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `publisher`?"));
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn unknown_key_in_section() {
        let d = only_error("title = \"T\"\n[[sections]]\ntitel = \"W\"\narticles = []\n");
        assert!(d.message.contains("`titel`"), "{d}");
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn missing_title() {
        let d = only_error("editor = \"E\"\n");
        assert_eq!(d.message, "manifest: missing `title`");
        assert!(d.hint.is_some());
    }

    #[test]
    fn empty_title() {
        let d = only_error("title = \"  \"\n");
        assert_eq!(d.message, "`title` is empty");
        assert_eq!(d.line, Some(1));
    }

    #[test]
    fn bad_date_week_language_page_size_layout() {
        for (text, needle) in [
            ("title = \"T\"\ndate = \"23/11/2026\"\n", "`date`"),
            ("title = \"T\"\nweek = \"48\"\n", "`week`"),
            (
                "title = \"T\"\ndate = \"2026-11-23\"\nweek = \"2026-W48\"\n",
                "not both",
            ),
            ("title = \"T\"\nlanguage = \"English!\"\n", "BCP 47"),
            ("title = \"T\"\npage_size = \"B5\"\n", "page_size"),
            ("title = \"T\"\nlayout = \"tight\"\n", "layout"),
        ] {
            let d = only_error(text);
            assert!(d.message.contains(needle), "{d}");
            assert!(d.line.is_some() && d.hint.is_some(), "{d}");
        }
    }

    #[test]
    fn duplicate_outside_and_unknown_format_articles() {
        let (m, diags) = parse_text(
            "title = \"T\"\narticles = [\n \"articles/a.md\",\n \"articles/./a.md\",\n \"articles/nope.md\",\n \"../secret.md\",\n \"articles/x.docx\",\n]\n",
        );
        // The manifest comes back with the good articles, so their text gets
        // checked too; whether a file exists is for loading to find out.
        let ArticleOrder::Flat(refs) = m.unwrap().order else {
            panic!("expected a flat list")
        };
        let listed: Vec<&str> = refs.iter().map(|r| r.listed.as_str()).collect();
        assert_eq!(listed, ["articles/a.md", "articles/nope.md"]);
        assert_eq!(refs[1].line, 5);
        let msgs: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(diags.len(), 3, "{msgs:#?}");
        assert!(
            msgs[0].contains("listed twice") && msgs[0].contains(":4"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].contains("outside the digest folder") && msgs[1].contains("--allow-outside")
        );
        assert!(msgs[2].contains("neither Markdown nor plain text"));
    }

    #[test]
    fn unknown_keys_in_every_table_are_all_reported() {
        let (m, diags) = parse_text(
            "title = \"T\"\nlayot = \"page\"\n[fonts]\nregualr = \"x.ttf\"\n[[sections]]\ntitle = \"S\"\narticle = []\n",
        );
        assert!(m.is_none());
        let found: Vec<(&str, Option<usize>, Option<&str>)> = diags
            .iter()
            .map(|d| (d.message.as_str(), d.line, d.hint.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "manifest: unknown key `layot`",
                    Some(2),
                    Some("did you mean `layout`?")
                ),
                (
                    "manifest: unknown key `regualr`",
                    Some(4),
                    Some("did you mean `regular`?")
                ),
                (
                    "manifest: unknown key `article`",
                    Some(7),
                    Some("did you mean `articles`?")
                ),
            ]
        );
    }

    #[test]
    fn every_table_struct_is_checked_for_unknown_keys() {
        // The key lists come from the structs; a table missing here would
        // accept any key silently.
        let tables = tables::known_tables();
        let top = tables[0].1;
        for (name, keys) in &tables[1..] {
            assert!(top.contains(name), "{name} is not a top-level key");
            assert!(!keys.is_empty(), "{name} has no keys");
        }
        for key in ["title", "page_size", "fonts", "sections", "articles"] {
            assert!(top.contains(&key), "{key}");
        }
    }

    #[test]
    fn both_sections_and_articles() {
        let d = only_error(
            "title = \"T\"\narticles = []\n[[sections]]\ntitle = \"S\"\narticles = []\n",
        );
        assert!(d.message.contains("not both"), "{d}");
    }

    #[test]
    fn suggestions() {
        let top = tables::known_tables()[0].1;
        assert_eq!(suggest("titel", top), Some("title"));
        assert_eq!(suggest("pagesize", top), Some("page_size"));
        assert_eq!(suggest("zzzzzz", top), None);
    }
}
