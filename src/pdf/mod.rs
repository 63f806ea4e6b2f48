//! The PDF back end: [`PdfRenderer`] lays the digest out with
//! [`crate::layout`] and writes the finished pages with printpdf; [`nav`]
//! then adds what printpdf does not do (nested bookmarks, named
//! destinations, internal links, page labels, metadata).
//!
//! Nothing here decides where anything goes: positions come from the
//! layout. The writer flips y (PDF's origin is bottom left), embeds the
//! faces that are used (subset by printpdf), and makes the output
//! byte-identical for the same input: resource ids are fixed, dates come
//! from the digest, and the file id from its UUID.

pub mod nav;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{anyhow, Context};
use printpdf::{
    Actions, BorderArray, Codepoint, Color, FontId, Line as PdfLine, LineCapStyle, LinePoint,
    LinkAnnotation, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point as PdfPoint, Polygon, PolygonRing, Pt, RawImage, RawImageData, RawImageFormat, Rect,
    TextItem, TextMatrix, WindingOrder, XObject, XObjectId, XObjectTransform,
};

use crate::layout::{
    self, Document, FaceId, FontSet, Item, LinkTarget, OutlineEntry, Page, PageStyle, Rgb, TextRun,
};
use crate::manifest::PdfSettings;
use crate::model::{Asset, AssetId, Digest, ImageFormat};
use crate::render::{Refused, Renderer, Written};

/// The typeset PDF behind the [`Renderer`] seam, with the manifest's PDF
/// settings (the model itself knows no output).
pub struct PdfRenderer {
    settings: PdfSettings,
}

impl PdfRenderer {
    pub fn new(settings: PdfSettings) -> Self {
        PdfRenderer { settings }
    }

    /// Lays the digest out in its page size with its fonts.
    pub fn typeset(&self, digest: &Digest) -> anyhow::Result<(Document, Arc<FontSet>)> {
        let fonts = Arc::new(FontSet::load(&self.settings.fonts)?);
        let style = PageStyle::for_settings(&self.settings);
        let doc = layout::layout(digest, &fonts, &style);
        Ok((doc, fonts))
    }
}

impl Renderer for PdfRenderer {
    fn name(&self) -> &'static str {
        "PDF"
    }
    fn extension(&self) -> &'static str {
        "pdf"
    }
    fn render(&self, digest: &Digest, path: &Path, strict: bool) -> anyhow::Result<Written> {
        let (mut doc, fonts) = self.typeset(digest)?;
        let warnings = std::mem::take(&mut doc.warnings);
        if strict && !warnings.is_empty() {
            return Err(Refused(warnings).into());
        }
        let pages = doc.pages.len();
        let bytes = crate::output::write_buffered(path, |w| write_to(doc, &fonts, digest, w))?;
        Ok(Written {
            path: path.to_path_buf(),
            format: self.name(),
            bytes,
            pages: Some(pages),
            articles: digest.articles().count(),
            warnings,
        })
    }
}

/// Writes `doc` as PDF bytes in memory.
pub fn write(doc: &Document, fonts: &FontSet, digest: &Digest) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_to(doc.clone(), fonts, digest, &mut bytes)?;
    Ok(bytes)
}

/// Where a glyph is used: page, item and glyph index.
type GlyphUse = (u32, u32, u32);

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

/// Compresses every stream that is not yet compressed, in parallel, at
/// zlib level 3. lopdf's own pass uses level 9; on a 300-page digest that
/// is a fifth of the build for a file 15 % smaller than level 3 gives
/// (1.40 MB at level 6, 1.67 MB at level 3, 2.53 MB at level 1).
fn compress(doc: &mut lopdf::Document) {
    use rayon::prelude::*;
    doc.objects.par_iter_mut().for_each(|(_, obj)| {
        if let lopdf::Object::Stream(s) = obj {
            if !s.allows_compression || s.dict.get(b"Filter").is_ok() {
                return;
            }
            let mut z = flate2::write::ZlibEncoder::new(
                Vec::with_capacity(s.content.len() / 3),
                flate2::Compression::new(3),
            );
            if z.write_all(&s.content).is_err() {
                return;
            }
            if let Ok(packed) = z.finish() {
                if packed.len() + 19 < s.content.len() {
                    s.dict.set("Filter", "FlateDecode");
                    s.set_content(packed);
                }
            }
        }
    });
}

/// Writes `doc` as PDF to `out`, consuming its pages as they are written.
pub fn write_to(
    doc: Document,
    fonts: &FontSet,
    digest: &Digest,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let meta = &digest.meta;
    let mut pdf = PdfDocument::new(&meta.title);

    // Fonts: only the faces that are used, in face order, with fixed ids.
    let mut used: BTreeMap<FaceId, FontId> = BTreeMap::new();
    for page in &doc.pages {
        for (_, it) in &page.items {
            if let Item::Text(r) = it {
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

    // Images: each asset once.
    let mut images: BTreeMap<AssetId, (XObjectId, usize, usize)> = BTreeMap::new();
    for page in &doc.pages {
        for (_, it) in &page.items {
            if let Item::Image { asset, .. } = it {
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

    // A glyph has one entry in its font's ToUnicode map, and printpdf takes
    // it from the glyph's last use in the document (earlier uses without
    // text fall back to the font's own character, which the last use then
    // overrides). So only that use carries the text: the canonical text of
    // the glyph's first use that has any (a glyph that continues a cluster
    // has none of its own). No string per glyph on every page.
    let mut texts: BTreeMap<(FaceId, u16), String> = BTreeMap::new();
    let mut last = LastUse::default();
    for (p, page) in doc.pages.iter().enumerate() {
        for (k, (_, it)) in page.items.iter().enumerate() {
            if let Item::Text(r) = it {
                for (i, g) in r.glyphs.iter().enumerate() {
                    let t = r.glyph_text(i);
                    if !t.is_empty() && !texts.contains_key(&(r.face, g.gid)) {
                        texts.insert((r.face, g.gid), t.to_string());
                    }
                    last.set(r.face, g.gid, (p as u32, k as u32, i as u32));
                }
            }
        }
    }
    let nav = navigation(&doc);
    let ctx = Ctx {
        fonts,
        ids: &used,
        images: &images,
        texts: &texts,
        last: &last,
    };
    // Pages are converted in parallel (in order), each laid-out page
    // dropped as soon as it is converted.
    let pages = {
        use rayon::prelude::*;
        doc.pages
            .into_par_iter()
            .enumerate()
            .map(|(i, p)| page(i as u32, &p, &ctx))
            .collect()
    };
    pdf.with_pages(pages);
    let opts = PdfSaveOptions {
        optimize: false, // we compress below, in parallel
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    drop(pdf);
    nav::apply(&mut lo, &nav, &doc_info(digest))?;
    // printpdf's own information dictionary and XMP packet are replaced.
    lo.prune_objects();
    compress(&mut lo);
    lo.save_to(out).context("cannot write the PDF")?;
    Ok(())
}

/// Bookmarks, destinations, internal links and page labels of `doc`.
fn navigation(doc: &Document) -> nav::Navigation {
    let mut n = nav::Navigation {
        outline: outline_tree(&doc.outline),
        front_pages: doc.front_pages,
        ..nav::Navigation::default()
    };
    for (i, page) in doc.pages.iter().enumerate() {
        for (name, y) in &page.destinations {
            n.destinations.push(nav::Destination {
                name: name.clone(),
                page: i,
                y: *y,
            });
        }
        for l in &page.links {
            if let LinkTarget::Internal(dest) = &l.target {
                n.links.push(nav::InternalLink {
                    page: i,
                    rect: [l.x, l.y, l.w, l.h],
                    dest: dest.clone(),
                });
            }
        }
    }
    n
}

/// The flat outline (levels) as a tree. An entry without a destination of
/// its own (a section) jumps to the first one after it.
fn outline_tree(entries: &[OutlineEntry]) -> Vec<nav::OutlineNode> {
    let mut roots: Vec<nav::OutlineNode> = Vec::new();
    let mut stack: Vec<(u8, nav::OutlineNode)> = Vec::new();
    let attach = |stack: &mut Vec<(u8, nav::OutlineNode)>, roots: &mut Vec<nav::OutlineNode>| {
        if let Some((_, node)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(node),
                None => roots.push(node),
            }
        }
    };
    for (i, e) in entries.iter().enumerate() {
        let Some(dest) = entries[i..].iter().find_map(|e| e.dest.clone()) else {
            continue;
        };
        while stack.last().is_some_and(|(level, _)| *level >= e.level) {
            attach(&mut stack, &mut roots);
        }
        let node = nav::OutlineNode {
            title: e.title.clone(),
            dest,
            open: e.level == 0,
            children: Vec::new(),
        };
        stack.push((e.level, node));
    }
    while !stack.is_empty() {
        attach(&mut stack, &mut roots);
    }
    roots
}

/// Document metadata from the digest: dates from the digest date (or
/// `SOURCE_DATE_EPOCH`), keywords from the section titles.
fn doc_info(digest: &Digest) -> nav::DocInfo {
    let m = &digest.meta;
    nav::DocInfo {
        title: m.title.clone(),
        author: m.editor.clone(),
        subject: m.description.clone().or_else(|| m.subtitle.clone()),
        keywords: digest
            .sections
            .iter()
            .filter_map(|s| s.title.clone())
            .collect(),
        creator: "pressbook".into(),
        producer: format!("pressbook {}", env!("CARGO_PKG_VERSION")),
        created: m.modified,
        modified: m.modified,
        language: m.language.clone(),
        uuid: m.uuid,
    }
}

/// A PDF font resource id whose first six characters are an uppercase
/// subset tag, as the PDF specification wants (`PBAAAB+SourceSerif4…`).
fn font_id(face: FaceId) -> FontId {
    let a = (b'A' + (face / 26 % 26) as u8) as char;
    let b = (b'A' + (face % 26) as u8) as char;
    FontId(format!("PRSB{a}{b}"))
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

/// What every page needs from the document.
struct Ctx<'a> {
    fonts: &'a FontSet,
    ids: &'a BTreeMap<FaceId, FontId>,
    images: &'a BTreeMap<AssetId, (XObjectId, usize, usize)>,
    texts: &'a BTreeMap<(FaceId, u16), String>,
    last: &'a LastUse,
}

fn page(index: u32, p: &Page, ctx: &Ctx) -> PdfPage {
    let (fonts, images) = (ctx.ids, ctx.images);
    let h = p.height;
    let mut ops = Vec::new();
    let mut in_text = false;
    let mut cur_font: Option<(FaceId, f32)> = None;
    let mut cur_fill: Option<Rgb> = None;
    for (k, (pos, it)) in p.items.iter().enumerate() {
        if !matches!(it, Item::Text(_)) && in_text {
            ops.push(Op::EndTextSection);
            in_text = false;
            cur_font = None;
        }
        match it {
            Item::Text(run) => {
                if run.glyphs.is_empty() {
                    continue;
                }
                if !in_text {
                    ops.push(Op::StartTextSection);
                    in_text = true;
                }
                if cur_font != Some((run.face, run.size)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(fonts[&run.face].clone()),
                        size: Pt(run.size),
                    });
                    cur_font = Some((run.face, run.size));
                }
                if cur_fill != Some(run.color) {
                    ops.push(Op::SetFillColor {
                        col: color(run.color),
                    });
                    cur_fill = Some(run.color);
                }
                let at = (index, k as u32);
                text_run(&mut ops, ctx, run, at, pos.x, h - pos.y);
            }
            Item::Line {
                dx,
                dy,
                thickness,
                color: c,
            } => {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*thickness) });
                ops.push(Op::SetLineCapStyle {
                    cap: LineCapStyle::Butt,
                });
                ops.push(Op::DrawLine {
                    line: PdfLine {
                        points: vec![lp(pos.x, h - pos.y), lp(pos.x + dx, h - pos.y - dy)],
                        is_closed: false,
                    },
                });
            }
            Item::Rect { w, h: rh, fill } => {
                ops.push(Op::SetFillColor { col: color(*fill) });
                cur_fill = Some(*fill);
                ops.push(Op::DrawPolygon {
                    polygon: rect_polygon(pos.x, h - pos.y - rh, *w, *rh, PaintMode::Fill),
                });
            }
            Item::Frame {
                w,
                h: rh,
                thickness,
                color: c,
            } => {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*thickness) });
                ops.push(Op::DrawPolygon {
                    polygon: rect_polygon(pos.x, h - pos.y - rh, *w, *rh, PaintMode::Stroke),
                });
            }
            Item::Image { asset, w, h: ih } => {
                let Some((id, pw, ph)) = images.get(asset) else {
                    continue;
                };
                ops.push(Op::UseXobject {
                    id: id.clone(),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(pos.x)),
                        translate_y: Some(Pt(h - pos.y - ih)),
                        scale_x: Some(w / *pw as f32),
                        scale_y: Some(ih / *ph as f32),
                        dpi: Some(72.0),
                        ..Default::default()
                    },
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    for l in &p.links {
        if let LinkTarget::Url(url) = &l.target {
            ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    Rect {
                        x: Pt(l.x),
                        y: Pt(h - l.y - l.h),
                        width: Pt(l.w),
                        height: Pt(l.h),
                        mode: None,
                        winding_order: None,
                    },
                    Actions::uri(url.clone()),
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    None,
                    None,
                ),
            });
        }
    }
    PdfPage {
        media_box: Rect::from_wh(Pt(p.width), Pt(p.height)),
        trim_box: Rect::from_wh(Pt(p.width), Pt(p.height)),
        crop_box: Rect::from_wh(Pt(p.width), Pt(p.height)),
        ops,
    }
}

/// One run: its origin by the text matrix, then glyph ids whose TJ offsets
/// put each glyph exactly where layout placed it.
///
/// PDF advances the pen by each glyph's width from the font's /W array
/// (printpdf writes the font's own advance in whole thousandths of an em);
/// the number after each glyph moves the pen from there to where the next
/// glyph goes (kerning, justification).
fn text_run(ops: &mut Vec<Op>, ctx: &Ctx, run: &TextRun, at: (u32, u32), x: f32, y: f32) {
    let face = ctx.fonts.face(run.face);
    let metrics = face.font.glyph_metrics();
    let per_em = 1000.0 / run.size;
    let first_x = run.glyphs.first().map_or(0.0, |g| g.x);
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(Pt(x + first_x), Pt(y)),
    });
    let mut codes = Vec::with_capacity(run.glyphs.len());
    for (i, g) in run.glyphs.iter().enumerate() {
        let offset = match run.glyphs.get(i + 1) {
            Some(next) => {
                let w = (metrics.h_advance(printpdf_gid(g.gid)) * 1000.0 / face.upem) as i64;
                w as f32 - (next.x - g.x) * per_em
            }
            None => 0.0,
        };
        // Tiny offsets are rounding noise; leave them out.
        let offset = if offset.abs() < 0.05 { 0.0 } else { offset };
        let key = (run.face, g.gid);
        if ctx.last.is(run.face, g.gid, (at.0, at.1, i as u32)) {
            let text = ctx.texts.get(&key).cloned().unwrap_or_default();
            codes.push(Codepoint::with_cid(g.gid, offset, text));
        } else {
            codes.push(Codepoint::new(g.gid, offset));
        }
    }
    ops.push(Op::ShowText {
        items: vec![TextItem::GlyphIds(codes)],
    });
}

fn printpdf_gid(gid: u16) -> harfrust::GlyphId {
    harfrust::GlyphId::new(gid as u32)
}

fn lp(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: PdfPoint { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

fn rect_polygon(x: f32, y: f32, w: f32, h: f32, mode: PaintMode) -> Polygon {
    Polygon {
        rings: vec![PolygonRing {
            points: vec![lp(x, y), lp(x + w, y), lp(x + w, y + h), lp(x, y + h)],
        }],
        mode,
        winding_order: WindingOrder::NonZero,
    }
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
