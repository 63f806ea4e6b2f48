//! A small rasterizer: a laid-out [`Page`] drawn into pixels with tiny-skia,
//! item by item, with the very glyphs the layout shaped and placed.
//!
//! It decides nothing about where anything goes (the layout did): it only
//! scales points to pixels. Glyph outlines come from skrifa, unhinted, so
//! the picture is the same on every machine; everything is drawn on one
//! thread in the page's order, so the pixels do not depend on threads.

use anyhow::Context;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, MetadataProvider};
use tiny_skia::{
    Color, FillRule, IntSize, LineCap, Paint, PathBuilder, Pixmap, PixmapPaint, Rect, Stroke,
    Transform,
};

use pressbook_model::model::{Asset, Digest};

use crate::fonts::FontSet;
use crate::units::{Point, Rgb};
use crate::{Page, PageItem, TextRun};

/// Draws `page` on white, `scale` pixels to the point, into a picture of
/// its size in pixels (rounded). Images come from `digest`'s assets; an SVG
/// is left out (nothing here draws SVG, and the layout puts none on a
/// cover).
pub fn draw(page: &Page, fonts: &FontSet, digest: &Digest, scale: f32) -> anyhow::Result<Pixmap> {
    let (w, h) = (
        (page.width * scale).round() as u32,
        (page.height * scale).round() as u32,
    );
    let mut pix =
        Pixmap::new(w, h).with_context(|| format!("cannot make a picture of {w} × {h} pixels"))?;
    pix.fill(Color::WHITE);
    let mut canvas = Canvas {
        pix: &mut pix,
        at: Transform::from_scale(scale, scale),
        scale,
    };
    for placed in &page.items {
        let p = placed.at;
        match &placed.item {
            PageItem::Text(run) => canvas.text(run, p, fonts)?,
            PageItem::Segment {
                dx,
                dy,
                thickness,
                color,
            } => canvas.segment(p, Point::new(p.x + dx, p.y + dy), *thickness, *color),
            PageItem::FilledRect { w, h, fill } => canvas.fill_rect(p, *w, *h, *fill),
            PageItem::StrokedRect {
                w,
                h,
                thickness,
                color,
            } => canvas.stroke_rect(p, *w, *h, *thickness, *color),
            PageItem::Image { asset, w, h } => canvas.image(digest.asset(*asset), p, *w, *h)?,
        }
    }
    Ok(pix)
}

/// The picture being drawn, and how points map to its pixels.
struct Canvas<'a> {
    pix: &'a mut Pixmap,
    /// Points to pixels.
    at: Transform,
    scale: f32,
}

/// A solid paint of `c`, anti-aliased.
fn paint(c: Rgb) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(Color::from_rgba(c.0, c.1, c.2, 1.0).unwrap_or(Color::BLACK));
    paint.anti_alias = true;
    paint
}

impl Canvas<'_> {
    /// A run's glyphs, each at its offset along the baseline at `p`, as one
    /// path (so overlapping contours of one glyph, or of a ligature and a
    /// mark, are filled once, as the PDF's non-zero fill does).
    fn text(&mut self, run: &TextRun, p: Point, fonts: &FontSet) -> anyhow::Result<()> {
        let face = fonts.face(run.face);
        let font = FontRef::from_index(face.data.bytes(), face.index)
            .map_err(|e| anyhow::anyhow!("cannot read the face {}: {e}", face.name))?;
        let outlines = font.outline_glyphs();
        let settings = || DrawSettings::unhinted(Size::new(run.size), LocationRef::default());
        let mut pen = PathPen {
            b: PathBuilder::new(),
            x: 0.0,
            y: p.y,
        };
        for g in &run.glyphs {
            if let Some(glyph) = outlines.get(skrifa::GlyphId::new(u32::from(g.gid))) {
                pen.x = p.x + g.x;
                // A glyph skrifa cannot draw is left out, as a viewer
                // leaves out a broken glyph.
                let _ = glyph.draw(settings(), &mut pen);
            }
        }
        if let Some(path) = pen.b.finish() {
            self.pix
                .fill_path(&path, &paint(run.color), FillRule::Winding, self.at, None);
        }
        Ok(())
    }

    /// A straight line `thickness` wide with butt ends, as the PDF strokes
    /// it.
    fn segment(&mut self, from: Point, to: Point, thickness: f32, c: Rgb) {
        let mut b = PathBuilder::new();
        b.move_to(from.x, from.y);
        b.line_to(to.x, to.y);
        if let Some(path) = b.finish() {
            let stroke = Stroke {
                width: thickness,
                line_cap: LineCap::Butt,
                ..Stroke::default()
            };
            self.pix
                .stroke_path(&path, &paint(c), &stroke, self.at, None);
        }
    }

    fn fill_rect(&mut self, p: Point, w: f32, h: f32, c: Rgb) {
        if let Some(r) = Rect::from_xywh(p.x, p.y, w, h) {
            self.pix.fill_rect(r, &paint(c), self.at, None);
        }
    }

    fn stroke_rect(&mut self, p: Point, w: f32, h: f32, thickness: f32, c: Rgb) {
        if let Some(r) = Rect::from_xywh(p.x, p.y, w, h) {
            let path = PathBuilder::from_rect(r);
            let stroke = Stroke {
                width: thickness,
                ..Stroke::default()
            };
            self.pix
                .stroke_path(&path, &paint(c), &stroke, self.at, None);
        }
    }

    /// An image scaled to whole pixels (resampled once, by the `image`
    /// crate, rather than filtered on the fly) at the nearest pixel.
    fn image(&mut self, asset: &Asset, p: Point, w: f32, h: f32) -> anyhow::Result<()> {
        let s = self.scale;
        let (x, y) = ((p.x * s).round() as i32, (p.y * s).round() as i32);
        let (pw, ph) = ((w * s).round() as u32, (h * s).round() as u32);
        let Some(img) = image_pixmap(asset, pw, ph)? else {
            return Ok(());
        };
        let paint = PixmapPaint::default();
        self.pix
            .draw_pixmap(x, y, img.as_ref(), &paint, Transform::identity(), None);
        Ok(())
    }
}

/// `asset` decoded and resampled to `w` × `h` pixels, premultiplied as
/// tiny-skia draws it; `None` for an SVG or an empty size.
fn image_pixmap(asset: &Asset, w: u32, h: u32) -> anyhow::Result<Option<Pixmap>> {
    let Some(format) = asset.format.raster() else {
        return Ok(None);
    };
    let Some(size) = IntSize::from_wh(w, h) else {
        return Ok(None);
    };
    let img = image::load_from_memory_with_format(&asset.data, format)
        .with_context(|| format!("cannot decode the image {}", asset.name))?
        .to_rgba8();
    let mut data =
        image::imageops::resize(&img, w, h, image::imageops::FilterType::Triangle).into_raw();
    for px in data.chunks_exact_mut(4) {
        let a = u16::from(px[3]);
        for c in &mut px[..3] {
            *c = ((u16::from(*c) * a + 127) / 255) as u8;
        }
    }
    Ok(Pixmap::from_vec(data, size))
}

/// Font outlines (y up, in points at the run's size) into a path on the
/// page (y down), with the glyph's origin at `(x, y)`.
struct PathPen {
    b: PathBuilder,
    x: f32,
    y: f32,
}

impl OutlinePen for PathPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.b.move_to(self.x + x, self.y - y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.b.line_to(self.x + x, self.y - y);
    }
    fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
        self.b
            .quad_to(self.x + cx, self.y - cy, self.x + x, self.y - y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.b.cubic_to(
            self.x + cx0,
            self.y - cy0,
            self.x + cx1,
            self.y - cy1,
            self.x + x,
            self.y - y,
        );
    }
    fn close(&mut self) {
        self.b.close();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::furniture::Setter;
    use crate::inline::{Align, TextStyle};
    use crate::{BlockRole, Placed};
    use pressbook_model::model::ImageFormat;
    use pressbook_model::model::{AssetId, DigestMeta};

    /// A digest with no articles, titled `title`, holding `assets`.
    pub(crate) fn digest(title: &str, assets: Vec<Asset>) -> Digest {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        Digest {
            house: Default::default(),
            meta: DigestMeta {
                title: title.into(),
                subtitle: None,
                editor: None,
                publisher: None,
                language: "en".into(),
                date,
                identifier: "urn:uuid:00000000-0000-0000-0000-000000000000".into(),
                uuid: uuid::Uuid::nil(),
                rights: None,
                description: None,
                modified: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            },
            sections: Vec::new(),
            assets,
            files: Default::default(),
        }
    }

    fn page(w: f32, h: f32, items: Vec<(Point, PageItem)>) -> Page {
        Page {
            width: w,
            height: h,
            items: items
                .into_iter()
                .map(|(at, item)| Placed::new(at, item, BlockRole::Artifact))
                .collect(),
            ..Page::default()
        }
    }

    /// The colour of pixel `(x, y)`, demultiplied.
    fn px(pix: &Pixmap, x: u32, y: u32) -> (u8, u8, u8) {
        let c = pix.pixel(x, y).unwrap().demultiply();
        (c.red(), c.green(), c.blue())
    }

    const WHITE: (u8, u8, u8) = (255, 255, 255);

    #[test]
    fn a_rect_lands_on_its_pixels_at_the_scale() {
        let fonts = FontSet::bundled();
        let red = Rgb(1.0, 0.0, 0.0);
        let rect = PageItem::FilledRect {
            w: 20.0,
            h: 10.0,
            fill: red,
        };
        let p = page(100.0, 50.0, vec![(Point::new(10.0, 10.0), rect)]);
        let pix = draw(&p, &fonts, &digest("t", Vec::new()), 2.0).unwrap();
        assert_eq!((pix.width(), pix.height()), (200, 100));
        // Points 10..30 across and 10..20 down are pixels 20..60 and 20..40.
        for (x, y) in [(20, 20), (59, 20), (20, 39), (59, 39), (40, 30)] {
            assert_eq!(px(&pix, x, y), (255, 0, 0), "({x}, {y})");
        }
        for (x, y) in [(19, 30), (60, 30), (40, 19), (40, 40), (0, 0), (199, 99)] {
            assert_eq!(px(&pix, x, y), WHITE, "({x}, {y})");
        }
    }

    #[test]
    fn a_rule_is_stroked_centred_on_its_line_with_butt_ends() {
        let fonts = FontSet::bundled();
        let blue = Rgb(0.0, 0.0, 1.0);
        let rule = PageItem::hline(50.0, 2.0, blue);
        let frame = PageItem::StrokedRect {
            w: 10.0,
            h: 10.0,
            thickness: 2.0,
            color: blue,
        };
        let items = vec![
            (Point::new(10.0, 20.0), rule),
            (Point::new(70.0, 10.0), frame),
        ];
        let pix = draw(
            &page(100.0, 40.0, items),
            &fonts,
            &digest("t", Vec::new()),
            1.0,
        )
        .unwrap();
        // Rows 19 and 20 (the line at y = 20, 2 pt thick), columns 10..60.
        for (x, y) in [(10, 19), (59, 20), (30, 19)] {
            assert_eq!(px(&pix, x, y), (0, 0, 255), "({x}, {y})");
        }
        for (x, y) in [(30, 17), (30, 22), (9, 19), (60, 19)] {
            assert_eq!(px(&pix, x, y), WHITE, "({x}, {y})");
        }
        // The frame's edges, not its inside.
        assert_eq!(px(&pix, 70, 15), (0, 0, 255));
        assert_eq!(px(&pix, 75, 15), WHITE);
    }

    #[test]
    fn a_glyph_run_paints_inside_its_advance_box_in_its_colour() {
        let fonts = Arc::new(FontSet::bundled());
        let green = Rgb(0.0, 0.5, 0.0);
        let st = TextStyle::serif(20.0).color(green);
        let line = Setter::new(&fonts).line("Hxg", st, 200.0, Align::Left);
        let Some((at, PageItem::Text(run), _)) = line.items.first().cloned() else {
            panic!("no run");
        };
        let base = Point::new(10.0 + at.x, 30.0 + at.y);
        let width = run.width();
        let p = page(100.0, 50.0, vec![(base, PageItem::Text(run))]);
        let s = 3.0;
        let pix = draw(&p, &fonts, &digest("t", Vec::new()), s).unwrap();
        let mut painted = 0;
        let mut darkest = WHITE;
        for y in 0..pix.height() {
            for x in 0..pix.width() {
                let c = px(&pix, x, y);
                if c == WHITE {
                    continue;
                }
                painted += 1;
                let (fx, fy) = (x as f32 / s, y as f32 / s);
                // Across: within the advances (a pixel of anti-aliasing);
                // down: from the cap height to the descender.
                assert!(
                    fx >= base.x - 1.0 && fx <= base.x + width + 1.0,
                    "pixel {x} outside the advances"
                );
                assert!(fy >= base.y - 20.0 && fy <= base.y + 7.0, "pixel row {y}");
                if c.1 < darkest.1 {
                    darkest = c;
                }
            }
        }
        assert!(painted > 500, "only {painted} pixels painted");
        assert_eq!(darkest, (0, 128, 0), "the stems are the run's colour");
    }

    #[test]
    fn an_image_is_scaled_to_its_box_and_an_svg_is_left_out() {
        let fonts = FontSet::bundled();
        let mut png = Vec::new();
        let img = image::RgbaImage::from_pixel(4, 2, image::Rgba([0, 0, 200, 255]));
        image::DynamicImage::from(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let asset = |format, data: Vec<u8>| Asset {
            name: "x".into(),
            media_type: "image/png",
            data: Arc::new(data),
            width: 4,
            height: 2,
            format,
            source: "x.png".into(),
        };
        let d = digest(
            "t",
            vec![
                asset(ImageFormat::Png, png),
                asset(ImageFormat::Svg, b"<svg/>".to_vec()),
            ],
        );
        let image = |k| PageItem::Image {
            asset: AssetId(k),
            w: 20.0,
            h: 10.0,
        };
        let items = vec![
            (Point::new(5.0, 5.0), image(0)),
            (Point::new(5.0, 30.0), image(1)),
        ];
        let pix = draw(&page(50.0, 50.0, items), &fonts, &d, 2.0).unwrap();
        assert_eq!(px(&pix, 10, 10), (0, 0, 200));
        assert_eq!(px(&pix, 49, 29), (0, 0, 200));
        assert_eq!(px(&pix, 50, 30), WHITE);
        assert_eq!(px(&pix, 20, 70), WHITE, "an SVG is not drawn");
    }

    #[test]
    fn the_same_page_gives_the_same_pixels() {
        let fonts = Arc::new(FontSet::bundled());
        let line = Setter::new(&fonts).line("Same", TextStyle::serif(12.0), 100.0, Align::Left);
        let mut items = vec![];
        for (at, item, _) in line.items {
            items.push((Point::new(at.x + 5.0, at.y + 20.0), item));
        }
        let p = page(60.0, 30.0, items);
        let d = digest("t", Vec::new());
        let one = draw(&p, &fonts, &d, 4.0).unwrap();
        let two = draw(&p, &fonts, &d, 4.0).unwrap();
        assert_eq!(one.data(), two.data());
    }
}
