//! The cover image: a raster (Kindle needs one), drawn from the bundled
//! fonts so it looks the same on every machine.

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, MetadataProvider};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Rect, Transform};

use crate::bundled as fonts;
use pressbook_model::model::Digest;

pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 2560;

/// Renders the cover as PNG bytes.
pub fn render_png(digest: &Digest) -> Result<Vec<u8>, String> {
    let m = &digest.meta;
    let mut pix = Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate the cover")?;
    pix.fill(Color::from_rgba8(0x1b, 0x2a, 0x3a, 0xff));
    let serif = FontRef::new(fonts::SERIF_REGULAR).map_err(|e| e.to_string())?;
    let bold = FontRef::new(fonts::SERIF_BOLD).map_err(|e| e.to_string())?;
    let italic = FontRef::new(fonts::SERIF_ITALIC).map_err(|e| e.to_string())?;
    let white = Color::from_rgba8(0xf7, 0xf3, 0xea, 0xff);
    let accent = house_accent(digest).unwrap_or(Color::from_rgba8(0xd9, 0x8c, 0x3f, 0xff));
    let muted = Color::from_rgba8(0xc4, 0xcb, 0xd3, 0xff);

    let margin = 150.0;
    let measure = WIDTH as f32 - 2.0 * margin;
    let mut pen = Painter { pix: &mut pix };

    // The logo on a light plate, so that a dark logo shows on the dark
    // ground; an SVG one (nothing here draws SVG) is on the title page only.
    if let Some(logo) = digest.house.logo.map(|id| digest.asset(id)) {
        if let Some(img) = logo_pixmap(logo, LOGO_HEIGHT, measure as u32)? {
            let pad = 20.0;
            let plate = Color::from_rgba8(0xf7, 0xf3, 0xea, 0xff);
            pen.rect(
                margin - pad,
                LOGO_TOP - pad,
                img.width() as f32 + 2.0 * pad,
                img.height() as f32 + 2.0 * pad,
                plate,
            );
            pen.pix.draw_pixmap(
                margin as i32,
                LOGO_TOP as i32,
                img.as_ref(),
                &tiny_skia::PixmapPaint::default(),
                Transform::identity(),
                None,
            );
        }
    }

    // Top band: publisher and the issue line.
    let issue = m.issue_line();
    pen.rect(margin, 300.0, measure, 8.0, accent);
    pen.text(&serif, &issue.to_uppercase(), 44.0, margin, 250.0, muted);

    // Title, wrapped and shrunk to fit.
    let mut size = 200.0;
    let mut lines = wrap(&bold, &m.title, size, measure);
    while lines.len() > 4 && size > 80.0 {
        size -= 10.0;
        lines = wrap(&bold, &m.title, size, measure);
    }
    let mut y = 520.0 + size;
    for line in &lines {
        pen.text(&bold, line, size, margin, y, white);
        y += size * 1.12;
    }
    if let Some(sub) = &m.subtitle {
        y += 30.0;
        for line in wrap(&italic, sub, 70.0, measure) {
            pen.text(&italic, &line, 70.0, margin, y, muted);
            y += 84.0;
        }
    }

    // Sections, as a short table of what is inside.
    let mut y = (y + 160.0).max(1500.0);
    let titled: Vec<&str> = digest
        .sections
        .iter()
        .filter_map(|s| s.title.as_deref())
        .collect();
    if !titled.is_empty() {
        pen.rect(margin, y - 70.0, 120.0, 6.0, accent);
        for t in titled.iter().take(6) {
            pen.text(&serif, t, 56.0, margin, y, white);
            y += 78.0;
        }
    }

    // Foot: publisher and editor.
    let foot = [m.publisher.as_deref(), m.editor.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    if !foot.is_empty() {
        pen.rect(margin, HEIGHT as f32 - 300.0, measure, 3.0, muted);
        pen.text(&serif, &foot, 52.0, margin, HEIGHT as f32 - 200.0, white);
    }
    encode_png(&pix)
}

/// An opaque picture as an RGB PNG, encoded by the `image` crate the rest
/// of pressbook uses (tiny-skia's own encoder would bring a second `png`).
pub fn encode_png(pix: &Pixmap) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    let rgb: Vec<u8> = pix
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            &rgb,
            pix.width(),
            pix.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The logo's place on the cover: its top, and its fixed height (its width
/// follows from its aspect ratio, at most the measure).
const LOGO_TOP: f32 = 50.0;
const LOGO_HEIGHT: u32 = 110;

/// The `[style]` accent for the cover's rules, when it shows on the dark
/// ground (3:1, what WCAG asks of graphics); else the cover keeps its own.
fn house_accent(digest: &Digest) -> Option<Color> {
    let given = digest.house.accent?.given;
    let ground = pressbook_model::house::Colour {
        r: 0x1b,
        g: 0x2a,
        b: 0x3a,
    };
    let (a, b) = (given.luminance(), ground.luminance());
    let contrast = (a.max(b) + 0.05) / (a.min(b) + 0.05);
    (contrast >= 3.0).then(|| Color::from_rgba8(given.r, given.g, given.b, 0xff))
}

/// A raster logo decoded and scaled to `height` pixels (narrower if it
/// would be wider than `max_width`), premultiplied as tiny-skia draws it;
/// `None` for an SVG.
fn logo_pixmap(
    logo: &pressbook_model::model::Asset,
    height: u32,
    max_width: u32,
) -> Result<Option<Pixmap>, String> {
    use pressbook_model::model::ImageFormat;
    let format = match logo.format {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Gif => image::ImageFormat::Gif,
        ImageFormat::Svg => return Ok(None),
    };
    let img = image::load_from_memory_with_format(&logo.data, format)
        .map_err(|e| format!("cannot decode the logo {}: {e}", logo.name))?
        .to_rgba8();
    let aspect = img.width().max(1) as f32 / img.height().max(1) as f32;
    let (mut w, mut h) = ((height as f32 * aspect).round() as u32, height);
    if w > max_width {
        (w, h) = (
            max_width,
            (max_width as f32 / aspect).round().max(1.0) as u32,
        );
    }
    let scaled = image::imageops::resize(&img, w.max(1), h, image::imageops::FilterType::Triangle);
    let mut data = scaled.into_raw();
    for px in data.chunks_exact_mut(4) {
        let a = u16::from(px[3]);
        for c in &mut px[..3] {
            *c = ((u16::from(*c) * a + 127) / 255) as u8;
        }
    }
    let size = tiny_skia::IntSize::from_wh(w.max(1), h).ok_or("an empty logo")?;
    Ok(Pixmap::from_vec(data, size))
}

/// Greedy word wrap by measured width (a cover needs nothing better).
fn wrap(font: &FontRef, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && advance(font, &candidate, size) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn advance(font: &FontRef, text: &str, size: f32) -> f32 {
    let cmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            metrics
                .advance_width(cmap.map(c).unwrap_or_default())
                .unwrap_or(0.0)
        })
        .sum()
}

struct Painter<'a> {
    pix: &'a mut Pixmap,
}

impl Painter<'_> {
    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Color) {
        if let Some(r) = Rect::from_xywh(x, y, w, h) {
            let mut paint = Paint::default();
            paint.set_color(color);
            self.pix.fill_rect(r, &paint, Transform::identity(), None);
        }
    }

    /// Draws `text` with its baseline at `y`.
    fn text(&mut self, font: &FontRef, text: &str, size: f32, x: f32, y: f32, color: Color) {
        let cmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        let outlines = font.outline_glyphs();
        let mut path = PathPen {
            b: PathBuilder::new(),
            x,
            y,
        };
        for c in text.chars() {
            let gid = cmap.map(c).unwrap_or_default();
            if let Some(glyph) = outlines.get(gid) {
                let settings = DrawSettings::unhinted(Size::new(size), LocationRef::default());
                let _ = glyph.draw(settings, &mut path);
            }
            path.x += metrics.advance_width(gid).unwrap_or(0.0);
        }
        if let Some(p) = path.b.finish() {
            let mut paint = Paint::default();
            paint.set_color(color);
            paint.anti_alias = true;
            self.pix
                .fill_path(&p, &paint, FillRule::Winding, Transform::identity(), None);
        }
    }
}

/// Font outlines (y up) into a tiny-skia path (y down) at an origin.
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
