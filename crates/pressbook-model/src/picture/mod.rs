//! Pictures where they enter: `add` and `fetch` (downloaded pictures) and
//! `build` (local files) all pass a picture through [`check`] before it is
//! saved or used. The format is read from the bytes (never the name or the
//! server's word), the size from the header before anything is decoded,
//! and the picture is then decoded once under a memory limit, so junk
//! behind a signature or a header claiming 100,000 × 100,000 pixels costs
//! almost nothing and is refused with the reason. SVG is rebuilt from an
//! allow-list ([`svg`]).

mod settings;
pub mod svg;

pub use settings::{
    parse_size, ImageSettings, PictureQuota, PictureTarget, DEFAULT_QUALITY, EREADER_MAX_HEIGHT,
    EREADER_MAX_WIDTH,
};

use std::io::Cursor;

use crate::model::ImageFormat;

/// Limits on one picture. The defaults bound a decode to about 512 MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureLimits {
    /// Largest file.
    pub max_bytes: u64,
    /// Largest width × height.
    pub max_pixels: u64,
    /// Longest side (a 1 × 60,000,000 strip is no picture either).
    pub max_side: u32,
    /// Most memory a decode may take.
    pub max_alloc: u64,
}

impl Default for PictureLimits {
    fn default() -> Self {
        PictureLimits {
            max_bytes: 32 << 20,
            max_pixels: 60_000_000,
            max_side: 30_000,
            max_alloc: 512 << 20,
        }
    }
}

/// A picture that passed [`check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// The bytes to keep: as they came, except SVG, which is rebuilt.
    pub data: Vec<u8>,
    /// What the SVG allow-list removed, for a warning (empty otherwise).
    pub removed: Vec<String>,
}

/// Why a picture is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("it is an HTML page, not a picture")]
    Html,
    #[error("it is AVIF, which pressbook cannot decode (no pure-Rust decoder is good enough yet); convert it to JPEG or PNG")]
    Avif,
    #[error("it is not a PNG, JPEG, GIF, WebP, BMP, TIFF or SVG picture")]
    Unknown,
    #[error("it is {size} MiB, over the {limit} MiB limit")]
    TooLarge { size: u64, limit: u64 },
    #[error("it claims {width}×{height} pixels, over the limit of {limit} megapixels")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("it is empty (0 pixels)")]
    Empty,
    #[error("it cannot be decoded: {0}")]
    Undecodable(String),
    #[error("its SVG is refused: {0}")]
    Svg(String),
}

/// The format of `data`, from its first bytes. An SVG must be XML whose
/// first element is `<svg>`: an HTML page that merely holds an `<svg>`
/// (a 404 page with a logo) is [`Refused::Html`].
pub fn sniff(data: &[u8]) -> Result<ImageFormat, Refused> {
    let starts = |m: &[u8]| data.starts_with(m);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Ok(ImageFormat::Png)
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Ok(ImageFormat::Jpeg)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Ok(ImageFormat::Gif)
    } else if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Ok(ImageFormat::Webp)
    } else if starts(b"BM") && data.len() >= 26 {
        Ok(ImageFormat::Bmp)
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Ok(ImageFormat::Tiff)
    } else if data.len() >= 12
        && &data[4..8] == b"ftyp"
        && matches!(&data[8..12], b"avif" | b"avis")
    {
        Err(Refused::Avif)
    } else {
        match svg::first_element(data) {
            Some(name) if name.eq_ignore_ascii_case("svg") => Ok(ImageFormat::Svg),
            Some(name) if name.eq_ignore_ascii_case("html") => Err(Refused::Html),
            _ if looks_like_html(data) => Err(Refused::Html),
            _ => Err(Refused::Unknown),
        }
    }
}

fn looks_like_html(data: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&data[..data.len().min(1024)]).to_ascii_lowercase();
    head.contains("<!doctype html") || head.contains("<html") || head.contains("<body")
}

/// Checks a picture: format, size from the header, then one decode under
/// `limits` (SVG: parsed and rebuilt by the allow-list).
pub fn check(data: Vec<u8>, limits: &PictureLimits) -> Result<Checked, Refused> {
    let size = data.len() as u64;
    if size > limits.max_bytes {
        return Err(Refused::TooLarge {
            size: size >> 20,
            limit: limits.max_bytes >> 20,
        });
    }
    let format = sniff(&data)?;
    let Some(raster) = format.raster() else {
        let clean = svg::sanitise(&data).map_err(Refused::Svg)?;
        return Ok(Checked {
            format,
            width: clean.width,
            height: clean.height,
            data: clean.svg.into_bytes(),
            removed: clean.removed,
        });
    };
    let (width, height) = dimensions(&data, raster, limits)?;
    let mut reader = image::ImageReader::with_format(Cursor::new(&data[..]), raster);
    reader.limits(decode_limits(limits));
    // Decoded once so that a truncated or corrupt file is caught here,
    // where it can be named, and not in a writer.
    reader
        .decode()
        .map_err(|e| Refused::Undecodable(e.to_string()))?;
    Ok(Checked {
        format,
        width,
        height,
        data,
        removed: Vec::new(),
    })
}

/// Width and height from the header alone, refused over the limits before
/// a single pixel is decoded.
pub fn dimensions(
    data: &[u8],
    raster: image::ImageFormat,
    limits: &PictureLimits,
) -> Result<(u32, u32), Refused> {
    let mut reader = image::ImageReader::with_format(Cursor::new(data), raster);
    reader.no_limits();
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| Refused::Undecodable(e.to_string()))?;
    if width == 0 || height == 0 {
        return Err(Refused::Empty);
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels
        || width.max(height) > limits.max_side
    {
        return Err(Refused::TooManyPixels {
            width,
            height,
            limit: limits.max_pixels / 1_000_000,
        });
    }
    Ok((width, height))
}

/// The `image` crate's limits for one decode.
pub fn decode_limits(limits: &PictureLimits) -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(limits.max_side);
    l.max_image_height = Some(limits.max_side);
    l.max_alloc = Some(limits.max_alloc);
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut v = Vec::new();
        image::RgbaImage::new(w, h)
            .write_to(&mut Cursor::new(&mut v), image::ImageFormat::Png)
            .unwrap();
        v
    }

    #[test]
    fn formats_come_from_the_bytes_and_html_is_never_a_picture() {
        assert_eq!(sniff(&png(2, 2)), Ok(ImageFormat::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(ImageFormat::Webp));
        assert_eq!(sniff(b"\0\0\0\x1cftypavif\0\0\0\0"), Err(Refused::Avif));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Ok(ImageFormat::Svg)
        );
        let page =
            b"<!DOCTYPE html><html><body><svg><path d=\"M0 0\"/></svg>Not found</body></html>";
        assert_eq!(sniff(page), Err(Refused::Html));
        assert_eq!(
            sniff(b"<html><svg xmlns=\"http://www.w3.org/2000/svg\"/></html>"),
            Err(Refused::Html)
        );
        assert_eq!(sniff(b"%PDF-1.4"), Err(Refused::Unknown));
    }

    #[test]
    fn a_header_claiming_a_huge_picture_is_refused_before_decoding() {
        // A valid PNG header for 100,000 × 100,000 pixels, and no data.
        let mut data = png(1, 1);
        data[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        data[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        // Fix the IHDR checksum so the header reads.
        let crc = crc32(&data[12..29]);
        data[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = check(data, &PictureLimits::default()).unwrap_err();
        assert!(matches!(err, Refused::TooManyPixels { .. }), "{err}");
    }

    #[test]
    fn junk_behind_a_signature_is_undecodable() {
        let mut junk = b"\x89PNG\r\n\x1a\n".to_vec();
        junk.extend(std::iter::repeat_n(0x5A, 4000));
        let err = check(junk, &PictureLimits::default()).unwrap_err();
        assert!(matches!(err, Refused::Undecodable(_)), "{err}");
        let mut cut = png(300, 300);
        cut.truncate(cut.len() / 2);
        assert!(check(cut, &PictureLimits::default()).is_err());
    }

    #[test]
    fn a_good_picture_passes_with_its_size() {
        let c = check(png(30, 20), &PictureLimits::default()).unwrap();
        assert_eq!((c.format, c.width, c.height), (ImageFormat::Png, 30, 20));
        let small = PictureLimits {
            max_pixels: 100,
            ..PictureLimits::default()
        };
        assert!(check(png(30, 20), &small).is_err());
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
