//! `pressbook.toml`: parsing and validation of the digest manifest.

use std::path::{Component, Path, PathBuf};

use chrono::{NaiveDate, Weekday};
use serde::Deserialize;

use crate::diag::{line_col, Diagnostic, Diagnostics};
use crate::model::PageSize;

pub const MANIFEST_NAME: &str = "pressbook.toml";

/// Keys a manifest may have at top level (for "did you mean" hints).
const TOP_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "editor",
    "publisher",
    "language",
    "date",
    "week",
    "identifier",
    "rights",
    "description",
    "page_size",
    "layout",
    "sources_page",
    "fonts",
    "sections",
    "articles",
];

/// The manifest as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    title: String,
    subtitle: Option<String>,
    editor: Option<String>,
    publisher: Option<String>,
    language: Option<String>,
    date: Option<DateValue>,
    week: Option<String>,
    identifier: Option<String>,
    rights: Option<String>,
    description: Option<String>,
    page_size: Option<String>,
    layout: Option<String>,
    sources_page: Option<bool>,
    fonts: Option<RawFonts>,
    sections: Option<Vec<RawSection>>,
    articles: Option<Vec<String>>,
}

/// TOML allows both `date = 2026-11-23` and `date = "2026-11-23"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DateValue {
    Toml(toml::value::Datetime),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: String,
    articles: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFonts {
    regular: Option<String>,
    italic: Option<String>,
    bold: Option<String>,
    bold_italic: Option<String>,
    fallback: Option<Vec<String>>,
}

/// A validated manifest, paths resolved against the digest folder.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub dir: PathBuf,
    pub title: String,
    pub subtitle: Option<String>,
    pub editor: Option<String>,
    pub publisher: Option<String>,
    pub language: String,
    pub date: Option<NaiveDate>,
    pub identifier: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
    pub page_size: PageSize,
    pub compact: bool,
    /// The PDF ends with a page listing every article's attribution.
    pub sources_page: bool,
    pub fonts: crate::model::FontChoice,
    pub order: ArticleOrder,
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
pub fn load(dir: &Path, allow_outside: bool, diags: &mut Diagnostics) -> Option<Manifest> {
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

/// Parses manifest text. `manifest_path` is used in messages only.
pub fn parse(
    text: &str,
    dir: &Path,
    manifest_path: &Path,
    allow_outside: bool,
    diags: &mut Diagnostics,
) -> Option<Manifest> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawManifest = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            diags.push(toml_error(&e, text, manifest_path));
            return None;
        }
    };
    let err = |msg: String, key: &str| {
        let mut d = Diagnostic::error(msg).at(manifest_path);
        if let Some(line) = key_line(text, key) {
            d = d.line(line);
        }
        d
    };

    if raw.title.trim().is_empty() {
        diags.push(err("`title` is empty".into(), "title").hint("give the digest a title"));
    }

    let language = raw.language.unwrap_or_else(|| "en".to_string());
    if !is_language_tag(&language) {
        diags.push(
            err(
                format!("`language` {language:?} is not a BCP 47 tag"),
                "language",
            )
            .hint("use a tag such as \"en\", \"en-GB\" or \"fr\""),
        );
    }

    let date = match (&raw.date, &raw.week) {
        (Some(_), Some(_)) => {
            diags.push(
                err("give either `date` or `week`, not both".into(), "week")
                    .hint("remove one of them"),
            );
            None
        }
        (Some(d), None) => {
            let s = match d {
                DateValue::Toml(dt) => dt.to_string(),
                DateValue::Text(s) => s.clone(),
            };
            match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    diags.push(
                        err(format!("`date` {s:?} is not a date"), "date")
                            .hint("write it as YYYY-MM-DD, e.g. date = \"2026-11-23\""),
                    );
                    None
                }
            }
        }
        (None, Some(w)) => match parse_iso_week(w) {
            Some(d) => Some(d),
            None => {
                diags.push(
                    err(format!("`week` {w:?} is not an ISO week"), "week")
                        .hint("write it as YYYY-Www, e.g. week = \"2026-W48\""),
                );
                None
            }
        },
        (None, None) => None,
    };

    let page_size = match raw
        .page_size
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("a4") => PageSize::A4,
        Some("letter") => PageSize::Letter,
        Some("a5") => PageSize::A5,
        Some(other) => {
            diags.push(
                err(format!("unknown `page_size` {other:?}"), "page_size")
                    .hint("use \"A4\", \"Letter\" or \"A5\""),
            );
            PageSize::A4
        }
    };

    let compact = match raw.layout.as_deref() {
        None | Some("page") => false,
        Some("compact") => true,
        Some(other) => {
            diags.push(
                err(format!("unknown `layout` {other:?}"), "layout")
                    .hint("use \"page\" (each article on a new page) or \"compact\""),
            );
            false
        }
    };

    let mut seen: Vec<(PathBuf, String)> = Vec::new();
    let mut occurrences: Vec<String> = Vec::new();
    let mut resolve = |listed: &str, diags: &mut Diagnostics| -> Option<ArticleRef> {
        // The n-th listing of the same string is on the line of its n-th occurrence.
        let nth = occurrences.iter().filter(|o| *o == listed).count();
        occurrences.push(listed.to_string());
        let line = find_line(text, listed, nth).unwrap_or(1);
        let at = |msg: String| Diagnostic::error(msg).at(manifest_path).line(line);
        let rel = Path::new(listed);
        if listed.trim().is_empty() {
            diags.push(at("an article path is empty".into()).hint("remove the empty entry"));
            return None;
        }
        // Any `..` counts as leaving the folder, even one that comes back.
        let escapes = rel.is_absolute() || rel.components().any(|c| c == Component::ParentDir);
        if escapes && !allow_outside {
            diags.push(
                at(format!("article {listed:?} lies outside the digest folder"))
                    .hint("move it into the digest folder, or pass --allow-outside"),
            );
            return None;
        }
        let path = dir.join(rel);
        let key = crate::model::normal_path(&path);
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == key) {
            diags.push(
                at(format!("article {listed:?} is listed twice")).hint(format!(
                    "it is already listed as {first:?}; remove one entry"
                )),
            );
            return None;
        }
        seen.push((key, listed.to_string()));
        match path.extension().and_then(|e| e.to_str()) {
            Some("md" | "markdown" | "txt") => {}
            _ => {
                diags.push(
                    at(format!(
                        "article {listed:?} is neither Markdown nor plain text"
                    ))
                    .hint("articles end in .md or .txt"),
                );
                return None;
            }
        }
        if !path.is_file() {
            diags.push(
                at(format!("article {listed:?} does not exist"))
                    .hint(format!("expected a file at {}", path.display())),
            );
            return None;
        }
        Some(ArticleRef {
            listed: listed.to_string(),
            path,
            line,
        })
    };

    let order = match (raw.sections, raw.articles) {
        (Some(_), Some(_)) => {
            diags.push(
                err(
                    "give either [[sections]] or a top-level `articles` list, not both".into(),
                    "articles",
                )
                .hint("move the top-level articles into a section"),
            );
            ArticleOrder::Discover
        }
        (Some(sections), None) => {
            let mut plans = Vec::new();
            for s in sections {
                if s.title.trim().is_empty() {
                    diags.push(err("a section has an empty title".into(), "sections"));
                }
                let articles = s
                    .articles
                    .iter()
                    .filter_map(|a| resolve(a, diags))
                    .collect();
                plans.push(SectionPlan {
                    title: s.title.trim().to_string(),
                    articles,
                });
            }
            ArticleOrder::Sections(plans)
        }
        (None, Some(list)) => {
            ArticleOrder::Flat(list.iter().filter_map(|a| resolve(a, diags)).collect())
        }
        (None, None) => ArticleOrder::Discover,
    };

    let font_path = |p: &Option<String>| p.as_ref().map(|p| dir.join(p));
    let raw_fonts = raw.fonts.unwrap_or_default();
    let mut fonts = crate::model::FontChoice {
        regular: font_path(&raw_fonts.regular),
        italic: font_path(&raw_fonts.italic),
        bold: font_path(&raw_fonts.bold),
        bold_italic: font_path(&raw_fonts.bold_italic),
        fallback: raw_fonts
            .fallback
            .unwrap_or_default()
            .iter()
            .map(|p| dir.join(p))
            .collect(),
    };
    for p in fonts.files() {
        if !p.is_file() {
            diags.push(
                err(format!("font file {} does not exist", p.display()), "fonts")
                    .hint("fix the path (relative to the digest folder) or remove the key"),
            );
        }
    }

    // Font files dropped into the digest's own `fonts/` folder are found
    // without naming them: they serve as fallbacks (in file-name order, so
    // the output does not depend on the directory listing).
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join("fonts"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("ttf") || e.eq_ignore_ascii_case("otf"))
        })
        .filter(|p| !fonts.files().any(|named| named == p))
        .collect();
    found.sort();
    fonts.fallback.extend(found);

    // Problems found past this point are reported, but the manifest is still
    // returned so that the articles it does list get checked too.
    Some(Manifest {
        dir: dir.to_path_buf(),
        title: raw.title.trim().to_string(),
        subtitle: non_empty(raw.subtitle),
        editor: non_empty(raw.editor),
        publisher: non_empty(raw.publisher),
        language,
        date,
        identifier: non_empty(raw.identifier),
        rights: non_empty(raw.rights),
        description: non_empty(raw.description),
        page_size,
        compact,
        sources_page: raw.sources_page.unwrap_or(false),
        fonts,
        order,
    })
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Turns a TOML error into a diagnostic with line, column and a hint.
fn toml_error(e: &toml::de::Error, text: &str, path: &Path) -> Diagnostic {
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::error(format!("manifest: {message}")).at(path);
    if let Some(span) = e.span() {
        let (line, col) = line_col(text, span.start);
        d = d.line_col(line, col);
        if let Some(key) = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
        {
            let known: &[&str] = if message.contains("`regular`") {
                &["regular", "italic", "bold", "bold_italic", "fallback"]
            } else if message.contains("expected `title` or `articles`")
                || message.contains("expected `title`, `articles`")
            {
                &["title", "articles"]
            } else {
                TOP_KEYS
            };
            d.message = format!("manifest: unknown key `{key}`");
            d = match suggest(key, known) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!("known keys are: {}", known.join(", "))),
            };
        } else if message.starts_with("missing field `title`") {
            d = d.hint("add a line such as: title = \"Frontline Weekly\"");
        }
    }
    d
}

/// The known key closest to `key`, if it is close enough to be a typo.
pub fn suggest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(dist, k)| *dist <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// Line of the first `key =` at the start of a line.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('=') || key.starts_with('['))
        })
        .map(|i| i + 1)
}

/// Line of the `nth` (0-based) occurrence of `"needle"` in the text.
fn find_line(text: &str, needle: &str, nth: usize) -> Option<usize> {
    let quoted = format!("\"{needle}\"");
    let single = format!("'{needle}'");
    let mut hits: Vec<usize> = text
        .match_indices(&quoted)
        .chain(text.match_indices(&single))
        .map(|(i, _)| i)
        .collect();
    hits.sort_unstable();
    hits.get(nth).map(|&off| line_col(text, off).0)
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
        let mut diags = Diagnostics::new();
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
        assert_eq!(m.page_size, PageSize::Letter);
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
        assert!(d.message.contains("missing field `title`"), "{d}");
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
    fn missing_duplicate_and_outside_articles() {
        let (m, diags) = parse_text(
            "title = \"T\"\narticles = [\n \"articles/a.md\",\n \"articles/./a.md\",\n \"articles/nope.md\",\n \"../secret.md\",\n \"articles/x.docx\",\n]\n",
        );
        // The manifest comes back with the one good article, so its text gets checked too.
        let ArticleOrder::Flat(refs) = m.unwrap().order else {
            panic!("expected a flat list")
        };
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].listed, "articles/a.md");
        let msgs: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(diags.len(), 4, "{msgs:#?}");
        assert!(
            msgs[0].contains("listed twice") && msgs[0].contains(":4"),
            "{}",
            msgs[0]
        );
        assert!(msgs[1].contains("does not exist") && msgs[1].contains(":5"));
        assert!(
            msgs[2].contains("outside the digest folder") && msgs[2].contains("--allow-outside")
        );
        assert!(msgs[3].contains("neither Markdown nor plain text"));
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
        assert_eq!(suggest("titel", TOP_KEYS), Some("title"));
        assert_eq!(suggest("pagesize", TOP_KEYS), Some("page_size"));
        assert_eq!(suggest("zzzzzz", TOP_KEYS), None);
    }
}
