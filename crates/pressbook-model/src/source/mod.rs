//! Reading articles into the model, in two steps: [`read`] gets an
//! article's text with its [`Origin`] (a file today; a fetched page could
//! be another origin), then [`parse`] turns the text into an [`Article`] by
//! its [`Format`].

mod article;
mod assets;
pub mod clean;
pub mod markdown;
pub mod plaintext;

use std::path::{Path, PathBuf};

use crate::diag::{line_col, Diagnostic, Sink};
use crate::model::Article;
pub use assets::{assets_of, AssetStore};

/// Limits that keep hostile input from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_article_bytes: u64,
    pub max_image_bytes: u64,
    pub max_image_pixels: u64,
}

impl Limits {
    /// The limits on one picture.
    pub fn pictures(&self) -> crate::picture::PictureLimits {
        crate::picture::PictureLimits {
            max_bytes: self.max_image_bytes,
            max_pixels: self.max_image_pixels,
            ..Default::default()
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_article_bytes: 8 << 20,
            max_image_bytes: 32 << 20,
            max_image_pixels: 60_000_000,
        }
    }
}

/// The formats an article can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown with YAML front matter.
    Markdown,
    /// Plain-text news: paragraphs and an attribution line.
    PlainText,
}

/// Every article file extension and its format: the one table that both
/// the manifest's checks and discovery use.
const FORMATS: &[(&str, Format)] = &[
    ("md", Format::Markdown),
    ("markdown", Format::Markdown),
    ("txt", Format::PlainText),
];

impl Format {
    /// The format of a file by its extension, if it is an article at all.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        FORMATS.iter().find(|(e, _)| *e == ext).map(|(_, f)| *f)
    }

    /// The extensions, for messages: `.md, .markdown or .txt`.
    pub fn extensions_list() -> String {
        let exts: Vec<String> = FORMATS.iter().map(|(e, _)| format!(".{e}")).collect();
        match exts.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => exts.join(""),
        }
    }
}

/// Where an article's text came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A file in (or, with `--allow-outside`, beside) the digest folder.
    File(PathBuf),
}

impl Origin {
    /// The path messages name and relative links resolve against.
    pub fn path(&self) -> &Path {
        match self {
            Origin::File(p) => p,
        }
    }
}

/// An article's text, decoded, with where it came from.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub origin: Origin,
    /// UTF-8, without a byte-order mark.
    pub text: String,
}

/// Reads an article file within the size limit, as UTF-8. An empty file is
/// an error too: there is nothing to parse.
pub fn read(path: &Path, limits: &Limits, diags: &mut Sink) -> Option<SourceText> {
    let cannot_read =
        |e: std::io::Error| Diagnostic::error(format!("cannot read article: {e}")).at(path);
    let size = std::fs::metadata(path)
        .map_err(|e| diags.push(cannot_read(e)))
        .ok()?
        .len();
    if size > limits.max_article_bytes {
        diags.push(
            Diagnostic::error(format!(
                "article is {} KiB, over the {} KiB limit",
                size >> 10,
                limits.max_article_bytes >> 10
            ))
            .at(path)
            .hint("split it, or raise the limit with --max-article-size"),
        );
        return None;
    }
    let bytes = std::fs::read(path)
        .map_err(|e| diags.push(cannot_read(e)))
        .ok()?;
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
            let (line, col) = line_col(valid, offset);
            diags.push(
                Diagnostic::error(format!(
                    "article is not valid UTF-8 (byte offset {offset}: 0x{:02X})",
                    e.as_bytes()[offset]
                ))
                .at(path)
                .line_col(line, col)
                .hint("re-encode it as UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"),
            );
            return None;
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if let Some(first) = text.find(clean::is_unwanted) {
        let line = line_col(&text, first).0;
        let removed: Vec<char> = text.chars().filter(|&c| clean::is_unwanted(c)).collect();
        text.retain(|c| !clean::is_unwanted(c));
        diags.push(
            Diagnostic::warning(format!(
                "{} invisible control character(s) removed ({}): e-books cannot hold them",
                removed.len(),
                clean::codes(&removed)
            ))
            .at(path)
            .line(line)
            .hint("they often come from copying out of other programs; delete them from the file"),
        );
    }
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::error("article is empty")
                .at(path)
                .hint("write the article, or remove it from the manifest"),
        );
        return None;
    }
    Some(SourceText {
        origin: Origin::File(path.to_path_buf()),
        text,
    })
}

/// Parses an article's text by its format, with a provisional id (the
/// digest stage assigns the final one). Problems go to `diags`.
pub fn parse(
    src: &SourceText,
    format: Format,
    language: &str,
    limits: &Limits,
    assets: &mut AssetStore,
    diags: &mut Sink,
) -> Option<Article> {
    let mut article = match format {
        Format::Markdown => article::markdown_article(src, language, limits, assets, diags)?,
        Format::PlainText => article::plaintext_article(src, language, diags),
    };
    // Characters made by references such as `&#7;` (the file's own were
    // removed when it was read).
    let removed = clean::article(&mut article);
    if !removed.is_empty() {
        diags.push(
            Diagnostic::warning(format!(
                "{} character reference(s) to invisible control characters removed ({})",
                removed.len(),
                clean::codes(&removed)
            ))
            .at(src.origin.path())
            .hint("e-books cannot hold them; delete the references from the file"),
        );
    }
    if article.body.is_empty() {
        diags.push(
            Diagnostic::error("article has a title but no text")
                .at(src.origin.path())
                .hint("write the article body below the front matter"),
        );
        return None;
    }
    Some(article)
}

/// Reads and parses the article file at `path`.
pub fn load_article(
    path: &Path,
    language: &str,
    limits: &Limits,
    assets: &mut AssetStore,
    diags: &mut Sink,
) -> Option<Article> {
    let format = Format::of(path).unwrap_or(Format::PlainText);
    let src = read(path, limits, diags)?;
    parse(&src, format, language, limits, assets, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.md")), Some(Format::Markdown));
        assert_eq!(Format::of(Path::new("b.markdown")), Some(Format::Markdown));
        assert_eq!(Format::of(Path::new("b.txt")), Some(Format::PlainText));
        assert_eq!(Format::of(Path::new("b.docx")), None);
        assert_eq!(Format::extensions_list(), ".md, .markdown or .txt");
    }
}
