//! Image XObjects: each image asset the pages use, once.
//!
//! A baseline or progressive JPEG in grey or RGB goes in as it is
//! (`DCTDecode`: no second lossy pass, and smaller than pixels); anything
//! else is decoded, its colour written as 8-bit grey or RGB and its alpha,
//! if any, as a soft mask, both compressed harder than text.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context};
use image::{DynamicImage, ExtendedColorType, ImageDecoder};
use lopdf::{dictionary, Document as LoDocument, Object, ObjectId, Stream};
use rayon::prelude::*;

use super::compress;
use crate::layout::{Document, PageItem};
use crate::model::{Asset, AssetId, Digest, ImageFormat};

/// The resource name of an image in content streams.
pub(super) fn resource_name(asset: AssetId) -> String {
    format!("Im{}", asset.0)
}

/// Decodes (in parallel) and adds every image the pages use; returns each
/// asset's XObject.
pub(super) fn embed(
    lo: &mut LoDocument,
    doc: &Document,
    digest: &Digest,
) -> anyhow::Result<BTreeMap<AssetId, ObjectId>> {
    let mut used: Vec<AssetId> = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|placed| match placed.item {
            PageItem::Image { asset, .. } => Some(asset),
            _ => None,
        })
        .collect();
    used.sort();
    used.dedup();
    let encoded: Vec<(AssetId, (Stream, Option<Stream>))> = used
        .par_iter()
        .map(|&id| {
            let a = digest.asset(id);
            XImage::of(a)
                .with_context(|| format!("cannot decode the image {}", a.name))
                .map(|x| (id, x.into_streams()))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut ids = BTreeMap::new();
    for (id, (mut color, mask)) in encoded {
        if let Some(mask) = mask {
            color
                .dict
                .set("SMask", Object::Reference(lo.add_object(mask)));
        }
        ids.insert(id, lo.add_object(color));
    }
    Ok(ids)
}

/// An image ready to be written: its colour samples and optional mask.
struct XImage {
    width: u32,
    height: u32,
    color: Samples,
    alpha: Option<Vec<u8>>,
}

enum Samples {
    Jpeg { data: Vec<u8>, gray: bool },
    Gray(Vec<u8>),
    Rgb(Vec<u8>),
}

impl XImage {
    fn of(a: &Asset) -> anyhow::Result<XImage> {
        let fmt = match a.format {
            ImageFormat::Png => image::ImageFormat::Png,
            ImageFormat::Jpeg => return Self::jpeg(a),
            ImageFormat::Gif => image::ImageFormat::Gif,
            ImageFormat::Svg => return Err(anyhow!("SVG cannot be embedded in the PDF")),
        };
        Ok(Self::pixels(image::load_from_memory_with_format(
            &a.data, fmt,
        )?))
    }

    /// JPEGs in grey or RGB as they are; CMYK (whose inversion conventions
    /// differ between writers) decoded to RGB.
    fn jpeg(a: &Asset) -> anyhow::Result<XImage> {
        let decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(&a.data[..]))?;
        let (width, height) = decoder.dimensions();
        let gray = match decoder.original_color_type() {
            ExtendedColorType::L8 => true,
            ExtendedColorType::Rgb8 => false,
            _ => {
                let img = DynamicImage::from_decoder(decoder)?;
                return Ok(Self::pixels(img));
            }
        };
        Ok(XImage {
            width,
            height,
            color: Samples::Jpeg {
                data: a.data.to_vec(),
                gray,
            },
            alpha: None,
        })
    }

    fn pixels(img: DynamicImage) -> XImage {
        let (width, height) = (img.width(), img.height());
        let c = img.color();
        let alpha = c.has_alpha().then(|| {
            img.to_luma_alpha8()
                .pixels()
                .map(|p| p.0[1])
                .collect::<Vec<u8>>()
        });
        // An alpha channel that is opaque everywhere needs no mask.
        let alpha = alpha.filter(|a| a.iter().any(|&v| v != 255));
        let color = if c.has_color() {
            Samples::Rgb(img.to_rgb8().into_raw())
        } else {
            Samples::Gray(img.to_luma8().into_raw())
        };
        XImage {
            width,
            height,
            color,
            alpha,
        }
    }

    /// The image's stream and its soft mask's, compressed.
    fn into_streams(self) -> (Stream, Option<Stream>) {
        let (width, height) = (self.width as i64, self.height as i64);
        let base = |space: &'static str| {
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => width,
                "Height" => height,
                "ColorSpace" => space,
                "BitsPerComponent" => 8,
            }
        };
        let packed = |mut s: Stream| {
            compress::deflate(&mut s, compress::IMAGE_LEVEL);
            s
        };
        let mask = self
            .alpha
            .map(|a| packed(Stream::new(base("DeviceGray"), a)));
        let color = match self.color {
            Samples::Jpeg { data, gray } => {
                let mut d = base(if gray { "DeviceGray" } else { "DeviceRGB" });
                d.set("Filter", "DCTDecode");
                Stream::new(d, data)
            }
            Samples::Gray(px) => packed(Stream::new(base("DeviceGray"), px)),
            Samples::Rgb(px) => packed(Stream::new(base("DeviceRGB"), px)),
        };
        (color, mask)
    }
}
