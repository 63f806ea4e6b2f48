//! The fifth step: [`Article`] → [`Illustrated`], the article's pictures
//! downloaded, each once. A picture that cannot be had (gone, too large,
//! a format no book can hold) is left out with a warning; the article is
//! saved without it.

use pressbook_model::diag::Diagnostic;
use url::Url;

use crate::blocks::{self, Blk};
use crate::clean::Article;
use crate::http::{Fetched, Http, HttpError};

/// What pictures are asked for.
const ACCEPT_IMAGES: &str = "image/png,image/jpeg,image/gif,image/svg+xml;q=0.9,*/*;q=0.1";

/// A downloaded picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The address the article shows it from.
    pub src: String,
    /// Its place among the article's pictures, from 1 (failed ones count,
    /// so numbers do not shift when a picture comes back).
    pub n: usize,
    /// A name for its file, from its address.
    pub stem: String,
    /// The extension its bytes call for.
    pub ext: &'static str,
    pub bytes: Vec<u8>,
}

/// The article with its pictures.
#[derive(Debug, Clone)]
pub struct Illustrated {
    pub article: Article,
    pub pictures: Vec<Picture>,
    /// One warning per picture left out.
    pub left_out: Vec<Diagnostic>,
}

/// Why a picture is left out.
#[derive(Debug, thiserror::Error)]
enum ImageError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("it answered 304")]
    NotModified,
    #[error("it is WebP, which pressbook cannot package (PNG, JPEG, GIF and SVG can be)")]
    WebP,
    #[error("it is not a PNG, JPEG, GIF or SVG image")]
    Unknown,
}

/// Downloads the article's pictures. The page's lead image opens an
/// article that has no picture of its own.
pub fn illustrate(http: &mut Http, mut article: Article) -> Illustrated {
    if blocks::images(&article.blocks).is_empty() {
        if let Some(lead) = article.meta.lead_image.clone() {
            article.blocks.insert(
                0,
                Blk::Figure {
                    src: lead,
                    alt: String::new(),
                    caption: String::new(),
                },
            );
        }
    }
    let mut pictures = Vec::new();
    let mut left_out = Vec::new();
    for (i, src) in blocks::images(&article.blocks).into_iter().enumerate() {
        match download(http, &src) {
            Ok((ext, bytes)) => pictures.push(Picture {
                stem: stem(&src),
                src,
                n: i + 1,
                ext,
                bytes,
            }),
            Err(why) => left_out.push(Diagnostic::warning(format!(
                "image {src} is left out: {why}"
            ))),
        }
    }
    Illustrated {
        article,
        pictures,
        left_out,
    }
}

/// The picture's bytes and the extension they call for.
fn download(http: &mut Http, src: &str) -> Result<(&'static str, Vec<u8>), ImageError> {
    let limit = http.options().max_image_bytes;
    match http.get(src, ACCEPT_IMAGES, limit, None)? {
        Fetched::Body(r) => Ok((sniff(&r.body)?, r.body)),
        Fetched::NotModified => Err(ImageError::NotModified),
    }
}

/// The last segment of the address, without its extension, as a slug;
/// `image` when that leaves nothing.
fn stem(src: &str) -> String {
    Url::parse(src)
        .ok()
        .and_then(|u| {
            u.path_segments()
                .and_then(|mut s| s.next_back().map(str::to_string))
        })
        .map(|last| {
            let stem = last
                .rsplit_once('.')
                .map_or(last.as_str(), |(s, _)| s)
                .to_string();
            pressbook_model::source::markdown::slug(&stem)
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "image".into())
}

/// Sniffs an image's format from its first bytes: the extension to save
/// it under, or why it cannot be used.
fn sniff(bytes: &[u8]) -> Result<&'static str, ImageError> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Ok("gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Err(ImageError::WebP)
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
        if head.contains("<svg") {
            Ok("svg")
        } else {
            Err(ImageError::Unknown)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_sniffed_from_the_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....").unwrap(), "png");
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(), "jpg");
        assert_eq!(sniff(b"<?xml?><svg xmlns='x'/>").unwrap(), "svg");
        assert!(matches!(
            sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Err(ImageError::WebP)
        ));
        assert!(matches!(sniff(b"%PDF-1.4"), Err(ImageError::Unknown)));
    }

    #[test]
    fn file_stems_come_from_the_address() {
        assert_eq!(stem("https://n.example/img/Crane.PNG?w=800"), "crane");
        // Percent escapes are not decoded first (as before the line was
        // split up): the saved names must not change.
        assert_eq!(stem("https://n.example/img/Crane%20Two.png"), "crane-20two");
        assert_eq!(stem("https://n.example/"), "image");
    }
}
