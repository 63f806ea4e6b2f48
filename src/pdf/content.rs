//! Content streams: the operations that draw one laid-out page.
//!
//! Positions come from the layout; here y is flipped (PDF's origin is the
//! bottom left) and text state (font, fill colour) is set only when it
//! changes.

use printpdf::{
    Codepoint, Color, Line as PdfLine, LineCapStyle, LinePoint, Op, PaintMode, PdfFontHandle,
    PdfPage, Point as PdfPoint, Polygon, PolygonRing, Pt, Rect, TextItem, TextMatrix, WindingOrder,
    XObjectTransform,
};

use super::links;
use super::resources::Resources;
use crate::layout::{FaceId, Page, PageItem, Point, Rgb, TextRun};

/// The page `index` of the document as a printpdf page.
pub(super) fn page(index: u32, p: &Page, res: &Resources) -> PdfPage {
    let mut w = Writer {
        ops: Vec::new(),
        height: p.height,
        in_text: false,
        font: None,
        fill: None,
    };
    for (k, placed) in p.items.iter().enumerate() {
        let (pos, it) = (&placed.at, &placed.item);
        if !matches!(it, PageItem::Text(_)) {
            w.end_text();
        }
        match it {
            PageItem::Text(run) => w.text(run, (index, k as u32), *pos, res),
            PageItem::Segment {
                dx,
                dy,
                thickness,
                color: c,
            } => w.line(*pos, *dx, *dy, *thickness, *c),
            PageItem::FilledRect { w: rw, h, fill } => w.fill_rect(*pos, *rw, *h, *fill),
            PageItem::StrokedRect {
                w: rw,
                h,
                thickness,
                color: c,
            } => w.stroke_rect(*pos, *rw, *h, *thickness, *c),
            PageItem::Image { asset, w: iw, h } => {
                let Some((id, pw, ph)) = res.images.get(asset) else {
                    continue;
                };
                let y = w.height - pos.y - h;
                w.ops.push(Op::UseXobject {
                    id: id.clone(),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(pos.x)),
                        translate_y: Some(Pt(y)),
                        scale_x: Some(iw / *pw as f32),
                        scale_y: Some(h / *ph as f32),
                        dpi: Some(72.0),
                        ..Default::default()
                    },
                });
            }
        }
    }
    if w.in_text {
        w.ops.push(Op::EndTextSection);
    }
    let mut ops = w.ops;
    ops.extend(links::url_annotations(p));
    PdfPage {
        media_box: Rect::from_wh(Pt(p.width), Pt(p.height)),
        trim_box: Rect::from_wh(Pt(p.width), Pt(p.height)),
        crop_box: Rect::from_wh(Pt(p.width), Pt(p.height)),
        ops,
    }
}

/// A page's operations so far and the graphics state they leave.
struct Writer {
    ops: Vec<Op>,
    /// Page height, for flipping y.
    height: f32,
    in_text: bool,
    font: Option<(FaceId, f32)>,
    fill: Option<Rgb>,
}

impl Writer {
    fn end_text(&mut self) {
        if self.in_text {
            self.ops.push(Op::EndTextSection);
            self.in_text = false;
            self.font = None;
        }
    }

    fn text(&mut self, run: &TextRun, at: (u32, u32), pos: Point, res: &Resources) {
        if run.glyphs.is_empty() {
            return;
        }
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
        }
        if self.font != Some((run.face, run.size)) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(res.font_ids[&run.face].clone()),
                size: Pt(run.size),
            });
            self.font = Some((run.face, run.size));
        }
        if self.fill != Some(run.color) {
            self.ops.push(Op::SetFillColor {
                col: color(run.color),
            });
            self.fill = Some(run.color);
        }
        text_run(&mut self.ops, res, run, at, pos.x, self.height - pos.y);
    }

    fn line(&mut self, pos: Point, dx: f32, dy: f32, thickness: f32, c: Rgb) {
        let h = self.height;
        self.ops.push(Op::SetOutlineColor { col: color(c) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::SetLineCapStyle {
            cap: LineCapStyle::Butt,
        });
        self.ops.push(Op::DrawLine {
            line: PdfLine {
                points: vec![lp(pos.x, h - pos.y), lp(pos.x + dx, h - pos.y - dy)],
                is_closed: false,
            },
        });
    }

    fn fill_rect(&mut self, pos: Point, w: f32, rh: f32, fill: Rgb) {
        self.ops.push(Op::SetFillColor { col: color(fill) });
        self.fill = Some(fill);
        self.ops.push(Op::DrawPolygon {
            polygon: rect_polygon(pos.x, self.height - pos.y - rh, w, rh, PaintMode::Fill),
        });
    }

    fn stroke_rect(&mut self, pos: Point, w: f32, rh: f32, thickness: f32, c: Rgb) {
        self.ops.push(Op::SetOutlineColor { col: color(c) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawPolygon {
            polygon: rect_polygon(pos.x, self.height - pos.y - rh, w, rh, PaintMode::Stroke),
        });
    }
}

/// One run: its origin by the text matrix, then glyph ids whose TJ offsets
/// put each glyph exactly where layout placed it.
///
/// PDF advances the pen by each glyph's width from the font's /W array
/// (printpdf writes the font's own advance in whole thousandths of an em);
/// the number after each glyph moves the pen from there to where the next
/// glyph goes (kerning, justification).
fn text_run(ops: &mut Vec<Op>, res: &Resources, run: &TextRun, at: (u32, u32), x: f32, y: f32) {
    let face = res.fonts.face(run.face);
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
        match res
            .to_unicode
            .text_at(run.face, g.gid, (at.0, at.1, i as u32))
        {
            Some(text) => codes.push(Codepoint::with_cid(g.gid, offset, text)),
            None => codes.push(Codepoint::new(g.gid, offset)),
        }
    }
    ops.push(Op::ShowText {
        items: vec![TextItem::GlyphIds(codes)],
    });
}

fn printpdf_gid(gid: u16) -> harfrust::GlyphId {
    harfrust::GlyphId::new(gid as u32)
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
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
