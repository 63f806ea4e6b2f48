//! The cover picture (the EPUB's cover image, and `--format cover`): the
//! cover page laid out by [`crate::front`] on a page shaped like the
//! picture, then drawn by [`crate::raster`]. Its text is shaped, reordered
//! for bidi and set with font fallback exactly as the PDF's cover is.

use std::sync::Arc;

use anyhow::Context;

use pressbook_model::diag::Sink;
use pressbook_model::house::Colour;
use pressbook_model::model::{Article, Digest, FontChoice, House, PageSize, Section};
use pressbook_model::render::{Output, RenderContext, Rendered, Settings};
use tiny_skia::Pixmap;

use crate::fonts::FontSet;
use crate::furniture::Setter;
use crate::style::{CoverInk, PageStyle};
use crate::sysfonts;
use crate::tags::Tree;
use crate::{front, raster, Page};

/// The picture's size in pixels: the portrait 1:1.6 that Kindle asks for
/// (1600 × 2560 is its recommended size); Kobo and Apple Books take it too.
pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 2560;

/// The page the picture is laid out on, in points: the picture's shape, so
/// nothing is stretched (the PDF's A4 page is 1:1.41). The cover keeps the
/// type sizes of the A4 cover (a 10.5 pt body, where they were designed:
/// some of the cover's leadings do not scale with the body), so on this
/// page, little more than half as wide as A4, the type is large for its
/// width: the 34 pt title is 165 px, a tenth of the picture's width, big in
/// a library's thumbnail. A narrower page (270 pt gave the earlier
/// picture's 200 px title) leaves no room for the issue's list under a
/// description of three lines.
pub const PAGE_WIDTH: f32 = 330.0;
pub const PAGE_HEIGHT: f32 = PAGE_WIDTH * HEIGHT as f32 / WIDTH as f32;

/// Pixels to the point (about 4.85, 349 dpi).
pub const SCALE: f32 = WIDTH as f32 / PAGE_WIDTH;

/// The cover picture in the manifest's settings (its `[fonts]`, which the
/// PDF's settings carry, so both covers show the same faces): the same
/// bytes for the EPUB and for `--format cover`.
pub fn draw(digest: &Digest, settings: &Settings) -> anyhow::Result<Vec<u8>> {
    render_png(digest, &settings.pdf.fonts).context("cannot draw the cover picture")
}

/// The cover picture alone, as the EPUB carries it (`NAME.cover.png`): for
/// a newsletter, a web page or a catalogue. Registered as an output of its
/// own.
pub struct CoverOutput;

impl Output for CoverOutput {
    fn name(&self) -> &'static str {
        "cover"
    }
    fn label(&self) -> &'static str {
        "cover image"
    }
    fn extension(&self) -> &'static str {
        "cover.png"
    }
    fn settings_table(&self) -> &'static str {
        "[style]"
    }
    fn about(&self) -> &'static str {
        "the cover picture as a PNG (NAME.cover.png)"
    }
    fn in_all(&self) -> bool {
        false
    }
    fn render<'a>(&self, cx: RenderContext<'a>, _sink: &mut Sink) -> anyhow::Result<Rendered<'a>> {
        let png = draw(cx.digest, cx.settings)?;
        Ok(Rendered::new(None, move |out| Ok(out.write_all(&png)?)))
    }
}

/// The cover picture as PNG bytes, set in the manifest's `fonts` (with
/// faces from the machine for what they lack, as the PDF finds them).
pub fn render_png(digest: &Digest, fonts: &FontChoice) -> anyhow::Result<Vec<u8>> {
    let fonts = Arc::new(FontSet::load(fonts)?.keeping_catalogues(&sysfonts::MACHINE));
    encode_png(&picture(digest, &fonts)?)
}

/// The cover picture in `fonts`, as pixels.
pub fn picture(digest: &Digest, fonts: &Arc<FontSet>) -> anyhow::Result<Pixmap> {
    raster::draw(&page(digest, fonts), fonts, digest, SCALE)
}

/// The picture's cover page, laid out in points: the PDF's cover planning
/// on the page [`style`], in the colours [`ink`].
pub fn page(digest: &Digest, fonts: &Arc<FontSet>) -> Page {
    // Faces from the machine for what the cover shows; a set the PDF
    // already prepared for the whole digest is used as it is.
    fonts.prepare(&shown(digest));
    let mut set = Setter::new(fonts);
    let ink = ink(&digest.house);
    front::cover_in(digest, &mut set, &style(), &ink, &mut Tree::new())
}

/// The page style of the picture: the A4 style's type, spacing and rules
/// on a page of [`PAGE_WIDTH`] × [`PAGE_HEIGHT`] points, with margins a
/// little narrower than a book's (a cover is not read line by line).
pub fn style() -> PageStyle {
    let side = 24.0;
    PageStyle {
        width: PAGE_WIDTH,
        height: PAGE_HEIGHT,
        margin_left: side,
        measure: PAGE_WIDTH - 2.0 * side,
        margin_top: 28.0,
        margin_bottom: 26.0,
        ..PageStyle::new(PageSize::A4, false)
    }
}

/// The digest as far as the cover shows it: its metadata and the heads of
/// its articles, without their bodies, so that faces are looked up on the
/// machine only for characters the cover can show (a character's faces
/// are found the same way whatever else the digest holds).
fn shown(digest: &Digest) -> Digest {
    let sections = digest
        .sections
        .iter()
        .map(|s| Section {
            title: s.title.clone(),
            id: s.id.clone(),
            articles: s
                .articles
                .iter()
                .map(|a| Article {
                    id: a.id.clone(),
                    path: a.path.clone(),
                    meta: a.meta.clone(),
                    body: Vec::new(),
                    footnotes: Vec::new(),
                })
                .collect(),
        })
        .collect();
    Digest {
        meta: digest.meta.clone(),
        sections,
        assets: Vec::new(),
        files: Default::default(),
        house: House::default(),
    }
}

/// The ground of pressbook's cover, its light type and its accent (those
/// of the earlier cover picture).
const NAVY: Colour = Colour {
    r: 0x1b,
    g: 0x2a,
    b: 0x3a,
};
const CREAM: Colour = Colour {
    r: 0xf7,
    g: 0xf3,
    b: 0xea,
};
const MUTED: Colour = Colour {
    r: 0xc4,
    g: 0xcb,
    b: 0xd3,
};
const ORANGE: Colour = Colour {
    r: 0xd9,
    g: 0x8c,
    b: 0x3f,
};

/// What WCAG 2.1 AA asks of text against its ground.
const TEXT_CONTRAST: f64 = 4.5;

/// The picture's colours: light type on a dark ground, which reads in a
/// library's grid whatever the theme. A house accent dark enough to carry
/// the muted type at AA becomes the ground (a cover in the house colour,
/// with cream rules and labels); a lighter one marks the rules and labels
/// on the navy ground, lightened until it reads there; without one, the
/// orange of pressbook's cover does. The logo sits on a cream plate, as a
/// logo drawn for paper would vanish on a dark ground.
pub fn ink(house: &House) -> CoverInk {
    let accent = house.accent.map(|a| a.given);
    let (ground, mark) = match accent {
        Some(a) if contrast(MUTED, a) >= TEXT_CONTRAST => (a, CREAM),
        Some(a) => (NAVY, readable_on(a, NAVY)),
        None => (NAVY, ORANGE),
    };
    CoverInk {
        ground: Some(ground.into()),
        text: CREAM.into(),
        muted: MUTED.into(),
        rule: mix(ground, MUTED, 0.5).into(),
        accent: Some(mark.into()),
        accent_text: mark.into(),
        plate: Some(CREAM.into()),
    }
}

/// WCAG 2.1 contrast ratio of two colours (1 to 21).
fn contrast(a: Colour, b: Colour) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `c` when it reads on `ground` at AA, else `c` mixed with white, step by
/// step, until it does (the hue kept as far as it can be).
fn readable_on(c: Colour, ground: Colour) -> Colour {
    let white = Colour {
        r: 0xff,
        g: 0xff,
        b: 0xff,
    };
    (0..=50)
        .map(|k| mix(c, white, k as f32 / 50.0))
        .find(|&m| contrast(m, ground) >= TEXT_CONTRAST)
        .unwrap_or(white)
}

/// `a` moved a share `t` of the way to `b`, channel by channel.
fn mix(a: Colour, b: Colour, t: f32) -> Colour {
    let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Colour {
        r: m(a.r, b.r),
        g: m(a.g, b.g),
        b: m(a.b, b.b),
    }
}

/// An opaque picture as an RGB PNG, encoded by the `image` crate the rest
/// of pressbook uses (tiny-skia's own encoder would bring a second `png`).
pub fn encode_png(pix: &Pixmap) -> anyhow::Result<Vec<u8>> {
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
    image::codecs::png::PngEncoder::new(&mut out).write_image(
        &rgb,
        pix.width(),
        pix.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::tests::digest;
    use crate::{PageItem, Rgb};
    use pressbook_model::house::Accent;
    use pressbook_model::model::{ArticleMeta, Section};

    /// A digest of `sections` sections of `articles` articles each, with
    /// long titles, an editor and rights that wrap.
    fn issue(sections: usize, articles: usize) -> Digest {
        let mut d = digest("The Weekly Review of Long Titles", Vec::new());
        d.meta.editor = Some("An Editor".into());
        d.meta.rights = Some("Selection © 2026 The Weekly Review. Articles remain the property of their publishers, who keep every right.".into());
        d.meta.description =
            Some("A description long enough to take two lines of the cover at its size.".into());
        for s in 0..sections {
            let articles = (0..articles)
                .map(|a| Article {
                    id: format!("a{s}-{a}"),
                    path: format!("a{s}-{a}.md").into(),
                    meta: ArticleMeta {
                        title: format!("Article {a} of section {s}, whose headline runs on and on past one line"),
                        language: "en".into(),
                        ..ArticleMeta::default()
                    },
                    body: Vec::new(),
                    footnotes: Vec::new(),
                })
                .collect();
            d.sections.push(Section {
                title: Some(format!("Section {s}")),
                id: format!("s{s}"),
                articles,
            });
        }
        d
    }

    fn bundled() -> Arc<FontSet> {
        Arc::new(FontSet::bundled())
    }

    #[test]
    fn the_picture_is_a_portrait_1600_by_2560_png() {
        let png = render_png(&issue(2, 3), &FontChoice::default()).unwrap();
        let img = image::load_from_memory(&png).unwrap();
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        assert_eq!((PAGE_WIDTH * SCALE).round() as u32, WIDTH);
        assert_eq!((PAGE_HEIGHT * SCALE).round() as u32, HEIGHT);
    }

    #[test]
    fn the_page_is_the_cover_planning_on_a_dark_ground() {
        let d = issue(2, 3);
        let page = page(&d, &bundled());
        let Some(PageItem::FilledRect { w, h, fill }) = page.items.first().map(|p| &p.item) else {
            panic!("no ground first");
        };
        assert_eq!((*w, *h, *fill), (PAGE_WIDTH, PAGE_HEIGHT, Rgb::from(NAVY)));
        let title = page.items.iter().find_map(|p| match &p.item {
            PageItem::Text(r) if r.text.starts_with("The Weekly") => Some(r),
            _ => None,
        });
        assert_eq!(title.expect("the title is set").color, Rgb::from(CREAM));
        assert!(page
            .items
            .iter()
            .all(|p| p.at.x >= 0.0 && p.at.x <= PAGE_WIDTH));
    }

    /// On the picture's small page "Also:" wraps into more lines than the
    /// cover's estimate allows for: the list of the issue must still end
    /// above the foot's rule, with nothing of it below.
    #[test]
    fn the_issue_list_ends_above_the_foot() {
        for (sections, articles) in [(1, 1), (1, 4), (2, 4), (3, 6), (8, 2)] {
            let d = issue(sections, articles);
            let page = page(&d, &bundled());
            let rule = page
                .items
                .iter()
                .filter(|p| matches!(p.item, PageItem::Segment { .. }))
                .map(|p| p.at.y)
                .fold(0.0, f32::max);
            for p in &page.items {
                let PageItem::Text(r) = &p.item else { continue };
                if p.at.y < rule {
                    assert!(
                        p.at.y + 0.3 * r.size < rule,
                        "{:?} runs into the foot",
                        r.text
                    );
                } else {
                    let foot = [
                        d.meta.editor_line().unwrap(),
                        d.meta.rights.clone().unwrap(),
                    ];
                    assert!(
                        foot.iter().any(|f| f.contains(r.text.trim())),
                        "{:?} below the foot's rule ({sections} × {articles})",
                        r.text
                    );
                }
            }
        }
    }

    /// Whatever the accent, type reads on the ground at AA and the accent's
    /// rules show on it.
    #[test]
    fn every_accent_gives_readable_ink() {
        let mut houses = vec![House::default()];
        for r in (0..=255).step_by(51) {
            for g in (0..=255).step_by(51) {
                for b in (0..=255).step_by(51) {
                    let c = Colour { r, g, b };
                    houses.push(House {
                        accent: Some(Accent::new(c)),
                        logo: None,
                    });
                }
            }
        }
        let back = |c: Rgb| Colour {
            r: (c.0 * 255.0).round() as u8,
            g: (c.1 * 255.0).round() as u8,
            b: (c.2 * 255.0).round() as u8,
        };
        for house in &houses {
            let ink = ink(house);
            let ground = back(ink.ground.unwrap());
            for (what, c) in [
                ("text", ink.text),
                ("muted", ink.muted),
                ("label", ink.accent_text),
            ] {
                let k = contrast(back(c), ground);
                assert!(
                    k >= TEXT_CONTRAST,
                    "{what} at {k:.2} on {ground} ({house:?})"
                );
            }
            assert!(
                contrast(back(ink.accent.unwrap()), ground) >= 3.0,
                "{house:?}"
            );
            assert!(contrast(back(ink.rule), ground) >= 1.5, "{house:?}");
        }
        // A dark accent is the ground; without one, the navy and orange.
        let blue = Colour::parse_hex("#0b5394").unwrap();
        let house = House {
            accent: Some(Accent::new(blue)),
            logo: None,
        };
        assert_eq!(ink(&house).ground, Some(Rgb::from(blue)));
        assert_eq!(ink(&House::default()).accent, Some(Rgb::from(ORANGE)));
    }

    #[test]
    fn the_same_digest_gives_the_same_bytes_on_any_number_of_threads() {
        let d = issue(3, 4);
        let on = |n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(|| render_png(&d, &FontChoice::default()).unwrap())
        };
        assert_eq!(on(1), on(3));
    }
}
