//! What pages refer to: the embedded faces (only those used, with fixed
//! resource ids), the images (each asset once), and the bookkeeping that
//! decides which glyph use carries the ToUnicode text.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context};
use printpdf::{
    FontId, ParsedFont, PdfDocument, RawImage, RawImageData, RawImageFormat, XObject, XObjectId,
};

use crate::layout::{Document, FaceId, FontSet, PageItem};
use crate::model::{Asset, AssetId, Digest, ImageFormat};

/// Everything a page's content refers to by name.
pub(super) struct Resources<'a> {
    pub fonts: &'a FontSet,
    /// The resource id of each face that is used.
    pub font_ids: BTreeMap<FaceId, FontId>,
    /// Each image asset's XObject id and pixel size.
    pub images: BTreeMap<AssetId, (XObjectId, usize, usize)>,
    pub to_unicode: ToUnicode,
}

impl<'a> Resources<'a> {
    /// Embeds the faces and images `doc` uses into `pdf` and collects the
    /// ToUnicode texts.
    pub fn embed(
        doc: &Document,
        fonts: &'a FontSet,
        digest: &Digest,
        pdf: &mut PdfDocument,
    ) -> anyhow::Result<Self> {
        let font_ids = embed_fonts(doc, fonts, pdf)?;
        let images = embed_images(doc, digest, pdf)?;
        Ok(Resources {
            fonts,
            font_ids,
            images,
            to_unicode: ToUnicode::collect(doc),
        })
    }
}

/// Only the faces that are used, in face order, with fixed ids.
fn embed_fonts(
    doc: &Document,
    fonts: &FontSet,
    pdf: &mut PdfDocument,
) -> anyhow::Result<BTreeMap<FaceId, FontId>> {
    let mut used: BTreeMap<FaceId, FontId> = BTreeMap::new();
    for page in &doc.pages {
        for placed in &page.items {
            if let PageItem::Text(r) = &placed.item {
                used.entry(r.face).or_insert_with(|| font_id(r.face));
            }
        }
    }
    for (&face, id) in &used {
        let f = fonts.face(face);
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(f.data.bytes(), 0, &mut warnings)
            .with_context(|| format!("printpdf cannot read the font {}", f.name))?;
        pdf.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(parsed));
    }
    Ok(used)
}

/// Each image asset once.
fn embed_images(
    doc: &Document,
    digest: &Digest,
    pdf: &mut PdfDocument,
) -> anyhow::Result<BTreeMap<AssetId, (XObjectId, usize, usize)>> {
    let mut images: BTreeMap<AssetId, (XObjectId, usize, usize)> = BTreeMap::new();
    for page in &doc.pages {
        for placed in &page.items {
            if let PageItem::Image { asset, .. } = &placed.item {
                if images.contains_key(asset) {
                    continue;
                }
                let a = digest.asset(*asset);
                let raw =
                    decode(a).with_context(|| format!("cannot decode the image {}", a.name))?;
                let id = XObjectId(format!("Im{}", asset.0));
                images.insert(*asset, (id.clone(), raw.width, raw.height));
                pdf.resources.xobjects.map.insert(id, XObject::Image(raw));
            }
        }
    }
    Ok(images)
}

/// A PDF font resource id whose first six characters are an uppercase
/// subset tag, as the PDF specification wants (`PBAAAB+SourceSerif4…`).
fn font_id(face: FaceId) -> FontId {
    let a = (b'A' + (face / 26 % 26) as u8) as char;
    let b = (b'A' + (face % 26) as u8) as char;
    FontId(format!("PRSB{a}{b}"))
}

fn decode(a: &Asset) -> anyhow::Result<RawImage> {
    let fmt = match a.format {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Gif => image::ImageFormat::Gif,
        ImageFormat::Svg => return Err(anyhow!("SVG cannot be embedded")),
    };
    let img = image::load_from_memory_with_format(&a.data, fmt)?;
    let (pixels, data_format) = if img.color().has_alpha() {
        (img.to_rgba8().into_raw(), RawImageFormat::RGBA8)
    } else {
        (img.to_rgb8().into_raw(), RawImageFormat::RGB8)
    };
    Ok(RawImage {
        pixels: RawImageData::U8(pixels),
        width: img.width() as usize,
        height: img.height() as usize,
        data_format,
        tag: Vec::new(),
    })
}

/// Where a glyph is used: page, item and glyph index.
pub(super) type GlyphUse = (u32, u32, u32);

/// The text each glyph stands for in its font's ToUnicode map.
///
/// A glyph has one entry there, and printpdf takes it from the glyph's last
/// use in the document (earlier uses without text fall back to the font's
/// own character, which the last use then overrides). So only that use
/// carries the text: the canonical text of the glyph's first use that has
/// any (a glyph that continues a cluster has none of its own). No string
/// per glyph on every page.
#[derive(Default)]
pub(super) struct ToUnicode {
    texts: BTreeMap<(FaceId, u16), String>,
    last: LastUse,
}

impl ToUnicode {
    fn collect(doc: &Document) -> Self {
        let mut t = ToUnicode::default();
        for (p, page) in doc.pages.iter().enumerate() {
            for (k, placed) in page.items.iter().enumerate() {
                if let PageItem::Text(r) = &placed.item {
                    for (i, g) in r.glyphs.iter().enumerate() {
                        let text = r.glyph_text(i);
                        if !text.is_empty() && !t.texts.contains_key(&(r.face, g.gid)) {
                            t.texts.insert((r.face, g.gid), text.to_string());
                        }
                        t.last.set(r.face, g.gid, (p as u32, k as u32, i as u32));
                    }
                }
            }
        }
        t
    }

    /// The text glyph `gid` of `face` carries at `at`: `Some` only at its
    /// last use.
    pub fn text_at(&self, face: FaceId, gid: u16, at: GlyphUse) -> Option<String> {
        self.last
            .is(face, gid, at)
            .then(|| self.texts.get(&(face, gid)).cloned().unwrap_or_default())
    }
}

/// The last use of every glyph of every face, indexed directly by glyph id
/// (a lookup per glyph written, so no hashing).
#[derive(Default)]
struct LastUse(Vec<Vec<GlyphUse>>);

impl LastUse {
    fn set(&mut self, face: FaceId, gid: u16, at: GlyphUse) {
        let face = face as usize;
        if self.0.len() <= face {
            self.0.resize_with(face + 1, Vec::new);
        }
        let uses = &mut self.0[face];
        if uses.len() <= gid as usize {
            uses.resize(gid as usize + 1, (u32::MAX, 0, 0));
        }
        uses[gid as usize] = at;
    }

    fn is(&self, face: FaceId, gid: u16, at: GlyphUse) -> bool {
        self.0.get(face as usize).and_then(|u| u.get(gid as usize)) == Some(&at)
    }
}
