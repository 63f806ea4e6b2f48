//! The fifth step: [`Article`] → [`Illustrated`], the article's pictures
//! downloaded, each once, and checked as `build` checks local files
//! ([`picture::check`]: format from the bytes, size from the header, one
//! decode under a memory limit, SVG rebuilt from an allow-list). A picture
//! that cannot be had (gone, too large, past the [`Quota`], not a picture)
//! is left out with a warning; the article is saved without it.

use pressbook_model::diag::Diagnostic;
use pressbook_model::picture::{self, PictureLimits, PictureQuota, Refused};
use url::Url;

use crate::blocks::{self, Blk};
use crate::clean::Article;
use crate::http::{Fetched, Http, HttpError};

/// What pictures are asked for.
const ACCEPT_IMAGES: &str =
    "image/png,image/jpeg,image/gif,image/webp,image/svg+xml;q=0.9,*/*;q=0.1";

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
    #[error(transparent)]
    Refused(#[from] Refused),
}

/// What a run may still download, against its [`PictureQuota`].
#[derive(Debug, Clone, Default)]
pub struct Quota {
    pub limits: PictureQuota,
    /// Pictures and bytes taken so far in this run.
    pub taken: usize,
    pub taken_bytes: u64,
}

impl Quota {
    pub fn new(limits: PictureQuota) -> Self {
        Quota {
            limits,
            ..Quota::default()
        }
    }

    /// Why no more pictures are taken for an article that has `count`
    /// pictures and `bytes` bytes so far, if so.
    fn full(&self, count: usize, bytes: u64) -> Option<String> {
        let l = &self.limits;
        if count >= l.per_article {
            Some(format!("the article already has {} pictures, the limit per article ([images] max_per_article)", l.per_article))
        } else if bytes >= l.article_bytes {
            Some(format!("the article's pictures already take {} MiB, the limit per article ([images] max_article_size)", l.article_bytes >> 20))
        } else if self.taken >= l.per_run {
            Some(format!(
                "this run already took {} pictures, the limit per run ([images] max_per_run)",
                l.per_run
            ))
        } else if self.taken_bytes >= l.run_bytes {
            Some(format!("this run's pictures already take {} MiB, the limit per run ([images] max_run_size)", l.run_bytes >> 20))
        } else {
            None
        }
    }
}

/// Downloads the article's pictures. The page's lead image opens an
/// article that has no picture of its own.
pub fn illustrate(http: &mut Http, quota: &mut Quota, mut article: Article) -> Illustrated {
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
    let mut pictures: Vec<Picture> = Vec::new();
    let mut left_out = Vec::new();
    let mut bytes_here = 0u64;
    let images = blocks::images(&article.blocks);
    for (i, src) in images.iter().enumerate() {
        if let Some(why) = quota.full(pictures.len(), bytes_here) {
            left_out.push(Diagnostic::warning(format!(
                "{} pictures from {src} on are left out: {why}",
                images.len() - i
            )));
            break;
        }
        match download(http, src) {
            Ok(checked) => {
                if !checked.removed.is_empty() {
                    left_out.push(Diagnostic::warning(format!(
                        "image {src}: removed from the SVG: {}",
                        checked.removed.join(", ")
                    )));
                }
                bytes_here += checked.data.len() as u64;
                quota.taken += 1;
                quota.taken_bytes += checked.data.len() as u64;
                pictures.push(Picture {
                    stem: stem(src),
                    src: src.clone(),
                    n: i + 1,
                    ext: checked.format.extension(),
                    bytes: checked.data,
                });
            }
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

/// The picture, downloaded and checked.
fn download(http: &mut Http, src: &str) -> Result<picture::Checked, ImageError> {
    let limit = http.options().max_image_bytes;
    let limits = PictureLimits {
        max_bytes: limit,
        ..PictureLimits::default()
    };
    match http.get(src, ACCEPT_IMAGES, limit, None)? {
        Fetched::Body(r) => Ok(picture::check(r.body, &limits)?),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_come_from_the_address() {
        assert_eq!(stem("https://n.example/img/Crane.PNG?w=800"), "crane");
        // Percent escapes are not decoded first (as before the line was
        // split up): the saved names must not change.
        assert_eq!(stem("https://n.example/img/Crane%20Two.png"), "crane-20two");
        assert_eq!(stem("https://n.example/"), "image");
    }
}
