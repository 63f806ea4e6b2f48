//! Image XObjects: each image asset the pages use, once.
//!
//! A baseline or progressive JPEG in grey or RGB goes in as it is
//! (`DCTDecode`: no second lossy pass, and smaller than pixels); anything
//! else is decoded, its colour written as 8-bit grey or RGB and its alpha,
//! if any, as a soft mask, both compressed harder than text.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context};
use image::{DynamicImage, ExtendedColorType, ImageDecoder};
use pdf_writer::{Chunk, Filter, Name, Ref};
use rayon::prelude::*;

use super::compress::{self, Packed};
use pressbook_layout::{Document, PageItem};
use pressbook_model::model::{Asset, AssetId, Digest, ImageFormat};

/// The resource name of an image in content streams.
pub(super) fn resource_name(asset: AssetId) -> String {
    format!("Im{}", asset.0)
}

/// Decodes and compresses (in parallel) and writes every image the pages
/// use; returns each asset's XObject.
pub(super) fn embed(
    pdf: &mut Chunk,
    alloc: &mut Ref,
    doc: &Document,
    digest: &Digest,
) -> anyhow::Result<BTreeMap<AssetId, Ref>> {
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
    let encoded: Vec<(AssetId, Encoded)> = used
        .par_iter()
        .map(|&id| {
            let a = digest.asset(id);
            XImage::of(a)
                .with_context(|| format!("cannot decode the image {}", a.name))
                .map(|x| (id, x.encode()))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut ids = BTreeMap::new();
    for (id, e) in encoded {
        ids.insert(id, e.write(pdf, alloc));
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
        if a.format == ImageFormat::Jpeg {
            return Self::jpeg(a);
        }
        let fmt = a
            .format
            .raster()
            .ok_or_else(|| anyhow!("SVG cannot be embedded in the PDF"))?;
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

    /// The image's samples and its soft mask's, compressed.
    fn encode(self) -> Encoded {
        let mask = self.alpha.map(|a| Packed::new(a, compress::IMAGE_LEVEL));
        let (color, gray, dct) = match self.color {
            Samples::Jpeg { data, gray } => (Packed::raw(data), gray, true),
            Samples::Gray(px) => (Packed::new(px, compress::IMAGE_LEVEL), true, false),
            Samples::Rgb(px) => (Packed::new(px, compress::IMAGE_LEVEL), false, false),
        };
        Encoded {
            width: self.width as i32,
            height: self.height as i32,
            color,
            gray,
            dct,
            mask,
        }
    }
}

/// An image's streams, ready to be written.
struct Encoded {
    width: i32,
    height: i32,
    color: Packed,
    gray: bool,
    /// JPEG data (`DCTDecode`).
    dct: bool,
    mask: Option<Packed>,
}

impl Encoded {
    fn write(&self, pdf: &mut Chunk, alloc: &mut Ref) -> Ref {
        let mask = self.mask.as_ref().map(|m| {
            let id = alloc.bump();
            let mut s = compress::stream(pdf, id, m);
            self.image_dict(&mut s, true);
            id
        });
        let id = alloc.bump();
        let mut s = compress::stream(pdf, id, &self.color);
        self.image_dict(&mut s, self.gray);
        if self.dct {
            s.filter(Filter::DctDecode);
        }
        if let Some(mask) = mask {
            s.pair(Name(b"SMask"), mask);
        }
        id
    }

    fn image_dict(&self, s: &mut pdf_writer::Stream, gray: bool) {
        s.pair(Name(b"Type"), Name(b"XObject"))
            .pair(Name(b"Subtype"), Name(b"Image"))
            .pair(Name(b"Width"), self.width)
            .pair(Name(b"Height"), self.height)
            .pair(
                Name(b"ColorSpace"),
                Name(if gray { b"DeviceGray" } else { b"DeviceRGB" }),
            )
            .pair(Name(b"BitsPerComponent"), 8);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use image::{GrayImage, ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

    use super::*;

    fn asset(format: ImageFormat, data: Vec<u8>) -> Asset {
        Asset {
            name: "test-image".into(),
            media_type: format.media_type(),
            data: Arc::new(data),
            width: 8,
            height: 4,
            format,
            source: "x.png".into(),
        }
    }

    fn png(img: &RgbaImage) -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(
                img,
                img.width(),
                img.height(),
                image::ExtendedColorType::Rgba8,
            )
            .unwrap();
        out
    }

    fn jpeg(img: DynamicImage) -> Vec<u8> {
        let mut out = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
        out
    }

    fn unpacked(p: &Packed) -> Vec<u8> {
        if !p.deflated {
            return p.bytes.clone();
        }
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&p.bytes[..]), &mut out)
            .unwrap();
        out
    }

    #[test]
    fn alpha_becomes_a_soft_mask_and_opaque_alpha_none() {
        let mut img = RgbaImage::from_pixel(8, 4, Rgba([200, 30, 10, 255]));
        img.put_pixel(0, 0, Rgba([0, 0, 0, 0]));
        let e = XImage::of(&asset(ImageFormat::Png, png(&img)))
            .unwrap()
            .encode();
        assert!(!e.gray && !e.dct);
        assert_eq!(unpacked(&e.color).len(), 8 * 4 * 3);
        let mask = e.mask.expect("a transparent pixel needs a mask");
        let alpha = unpacked(&mask);
        assert_eq!(alpha.len(), 32);
        assert_eq!((alpha[0], alpha[1]), (0, 255));

        let opaque = RgbaImage::from_pixel(8, 4, Rgba([1, 2, 3, 255]));
        let e = XImage::of(&asset(ImageFormat::Png, png(&opaque)))
            .unwrap()
            .encode();
        assert!(e.mask.is_none());
    }

    #[test]
    fn grey_pixels_stay_grey() {
        let mut img = RgbaImage::from_pixel(8, 4, Rgba([90, 90, 90, 255]));
        img.put_pixel(3, 3, Rgba([10, 10, 10, 255]));
        let grey = DynamicImage::ImageRgba8(img).to_luma8();
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&grey, 8, 4, image::ExtendedColorType::L8)
            .unwrap();
        let e = XImage::of(&asset(ImageFormat::Png, out)).unwrap().encode();
        assert!(e.gray);
        assert_eq!(unpacked(&e.color).len(), 32);
    }

    #[test]
    fn jpegs_go_in_as_they_are() {
        for (img, gray) in [
            (
                DynamicImage::ImageRgb8(RgbImage::from_pixel(8, 4, Rgb([10, 120, 200]))),
                false,
            ),
            (
                DynamicImage::ImageLuma8(GrayImage::from_pixel(8, 4, image::Luma([77]))),
                true,
            ),
        ] {
            let data = jpeg(img);
            let e = XImage::of(&asset(ImageFormat::Jpeg, data.clone()))
                .unwrap()
                .encode();
            assert!(e.dct && !e.color.deflated);
            assert_eq!(e.gray, gray);
            assert_eq!(e.color.bytes, data, "the JPEG bytes are not passed through");
            assert!(e.mask.is_none());
        }
    }

    #[test]
    fn a_broken_image_is_an_error_not_a_panic() {
        let bad = asset(ImageFormat::Jpeg, b"\xFF\xD8not a jpeg".to_vec());
        assert!(XImage::of(&bad).is_err());
        let svg = asset(ImageFormat::Svg, b"<svg/>".to_vec());
        assert!(XImage::of(&svg).is_err());
    }
}
