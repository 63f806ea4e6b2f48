//! One picture fitted to a [`PictureTarget`] at a [`Level`]: upright (EXIF
//! orientation applied), within the longest sides, in a format every
//! reader shows (JPEG for photographs, PNG for line art and transparency),
//! grey when asked, with no metadata. A picture already fine is kept byte
//! for byte (its metadata segments cut out losslessly, if it has any).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder};
use pressbook_model::model::{Asset, ImageFormat};
use pressbook_model::picture::{decode_limits, PictureLimits, PictureTarget};

use crate::strip;

/// How far the budget has pushed a picture down from its target: JPEG
/// quality first, then the longest side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Level(pub u8);

/// (quality cap, share of the target's longest side) per level.
const LEVELS: &[(u8, f32)] = &[
    (100, 1.0),
    (75, 1.0),
    (65, 1.0),
    (55, 1.0),
    (45, 1.0),
    (45, 0.75),
    (40, 0.55),
    (40, 0.4),
];

impl Level {
    pub const MAX: Level = Level(LEVELS.len() as u8 - 1);

    pub fn next(self) -> Option<Level> {
        (self < Level::MAX).then_some(Level(self.0 + 1))
    }

    /// The quality and longest sides at this level.
    pub fn apply(self, t: &PictureTarget, w: u32, h: u32) -> (u8, u32, u32) {
        let (q, share) = LEVELS[usize::from(self.0)];
        let side = |max: u32, own: u32| {
            let base = max.min(own) as f32;
            ((base * share).round() as u32).max(16)
        };
        (
            t.quality.min(q),
            side(t.max_width, w),
            side(t.max_height, h),
        )
    }
}

/// What became of a picture.
pub struct Fitted {
    pub asset: Asset,
    /// Something the reader should know (an animation cut to its first
    /// frame).
    pub note: Option<String>,
}

/// Fits `a` to `t` at `level`. SVG is kept as it is (it was rebuilt from
/// the allow-list when it was loaded).
pub fn fit(a: &Asset, t: &PictureTarget, level: Level) -> anyhow::Result<Fitted> {
    let Some(raster) = a.format.raster() else {
        return Ok(Fitted {
            asset: a.clone(),
            note: None,
        });
    };
    let limits = PictureLimits::default();
    let mut decoder =
        image::ImageReader::with_format(Cursor::new(&a.data[..]), raster).into_decoder()?;
    decoder.set_limits(decode_limits(&limits))?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (w, h) = decoder.dimensions();
    let (quality, max_w, max_h) = level.apply(t, w, h);
    let color = decoder.original_color_type();
    let animated = a.format == ImageFormat::Gif && strip::gif_frames(&a.data) > 1;
    let fine = level == Level(0)
        && !animated
        && orientation == Orientation::NoTransforms
        && w <= max_w
        && h <= max_h
        && strip::keeps_as_is(a.format, color, &a.data)
        && (!t.greyscale || !has_colour(color));
    if fine {
        let data = strip::metadata(a.format, &a.data);
        return Ok(Fitted {
            asset: with_data(a, a.format, data, w, h),
            note: None,
        });
    }
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    let (iw, ih) = (img.width(), img.height());
    // Orientation may have swapped the sides: fit the upright picture.
    let (_, max_w, max_h) = level.apply(t, iw, ih);
    if iw > max_w || ih > max_h {
        img = img.resize(max_w, max_h, FilterType::CatmullRom);
    }
    if t.greyscale {
        img = if img.color().has_alpha() {
            DynamicImage::ImageLumaA8(img.to_luma_alpha8())
        } else {
            DynamicImage::ImageLuma8(img.to_luma8())
        };
    }
    let (data, format) = encode(img.clone(), a.format, quality)?;
    let note = animated.then(|| {
        format!(
            "image {} is animated: the book shows its first frame",
            a.source.display()
        )
    });
    Ok(Fitted {
        asset: with_data(a, format, data, img.width(), img.height()),
        note,
    })
}

fn has_colour(c: image::ExtendedColorType) -> bool {
    use image::ExtendedColorType::*;
    !matches!(
        c,
        L1 | L2 | L4 | L8 | L16 | La1 | La2 | La4 | La8 | La16 | A8
    )
}

/// PNG when the picture has transparency or few colours (drawings,
/// charts, screenshots of text), JPEG for photographs.
fn encode(
    img: DynamicImage,
    from: ImageFormat,
    quality: u8,
) -> anyhow::Result<(Vec<u8>, ImageFormat)> {
    let alpha = img.color().has_alpha() && {
        let rgba = img.to_rgba8();
        rgba.pixels().any(|p| p.0[3] != 255)
    };
    let line_art = from != ImageFormat::Jpeg && few_colours(&img);
    let mut out = Vec::new();
    if alpha || line_art {
        let img = if alpha {
            if img.color().has_color() {
                DynamicImage::ImageRgba8(img.to_rgba8())
            } else {
                DynamicImage::ImageLumaA8(img.to_luma_alpha8())
            }
        } else if img.color().has_color() {
            DynamicImage::ImageRgb8(img.to_rgb8())
        } else {
            DynamicImage::ImageLuma8(img.to_luma8())
        };
        PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive)
            .write_image(
                img.as_bytes(),
                img.width(),
                img.height(),
                img.color().into(),
            )?;
        return Ok((out, ImageFormat::Png));
    }
    let img = if img.color().has_color() {
        DynamicImage::ImageRgb8(img.to_rgb8())
    } else {
        DynamicImage::ImageLuma8(img.to_luma8())
    };
    JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100)).write_image(
        img.as_bytes(),
        img.width(),
        img.height(),
        img.color().into(),
    )?;
    Ok((out, ImageFormat::Jpeg))
}

/// At most 256 distinct colours: a drawing, which PNG keeps sharp and
/// small.
fn few_colours(img: &DynamicImage) -> bool {
    let rgb = img.to_rgb8();
    let mut seen = std::collections::HashSet::new();
    for p in rgb.pixels() {
        seen.insert(p.0);
        if seen.len() > 256 {
            return false;
        }
    }
    true
}

/// `a` holding `data` in `format`, its name's extension to match.
pub(crate) fn with_data(a: &Asset, format: ImageFormat, data: Vec<u8>, w: u32, h: u32) -> Asset {
    let stem = a.name.rsplit_once('.').map_or(a.name.as_str(), |(s, _)| s);
    Asset {
        name: format!("{stem}.{}", format.extension()),
        media_type: format.media_type(),
        data: std::sync::Arc::new(data),
        width: w,
        height: h,
        format,
        source: a.source.clone(),
    }
}
