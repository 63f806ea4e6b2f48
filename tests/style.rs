//! End-to-end: the `[style]` table (accent, logo, columns, body size, extra
//! CSS) and the screen page sizes, built from `tests/fixtures/house-style`
//! (every `[style]` key, A4 in two columns) and copies of it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::pdf::{full_check, style_of};

/// A copy of the house-style fixture with `edit` applied to its manifest.
fn variant(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = scratch(name);
    copy_dir(&fixture("house-style"), &dir);
    let manifest = dir.join("pressbook.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, edit(text)).unwrap();
    dir
}

/// Runs `pressbook build DIR --out OUT --strict`.
fn strict(dir: &Path, out: &Path) -> std::process::Output {
    pressbook(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--strict",
    ])
}

/// `pressbook build DIR --strict` into a fresh folder; the files written.
fn build_strict(dir: &Path, name: &str) -> Vec<PathBuf> {
    let out = scratch(name);
    let o = strict(dir, &out);
    assert!(
        o.status.success(),
        "strict build failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

fn entry<'a>(files: &'a [(String, Vec<u8>)], suffix: &str) -> &'a [u8] {
    &files
        .iter()
        .find(|(n, _)| n.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} in the EPUB"))
        .1
}

#[test]
fn style_fixture_builds_strict_with_accent_logo_and_css_in_the_epub() {
    let dir = fixture("house-style");
    let files = build_strict(&dir, "style-strict");
    let epub = only_with_ext(&files, "epub");
    assert_epub_valid(&epub);
    assert_qpdf_clean(&only_with_ext(&files, "pdf"));
    let book = unzip(&epub);
    // The logo travels as it is, and the title page shows it.
    let logo = std::fs::read(dir.join("images/logo.png")).unwrap();
    let packed = book
        .iter()
        .find(|(n, _)| n.ends_with("-logo.png"))
        .expect("the logo in the EPUB");
    assert_eq!(packed.1, logo);
    let title = String::from_utf8_lossy(entry(&book, "title.xhtml")).into_owned();
    let name = packed.0.rsplit('/').next().unwrap();
    assert!(
        title.contains(&format!("class=\"logo\" src=\"images/{name}\"")),
        "{title}"
    );
    // The accent in the stylesheet, the editor's CSS after pressbook's own.
    let css = String::from_utf8_lossy(entry(&book, "stylesheet.css")).into_owned();
    assert!(css.contains(".kicker, .notes-title") && css.contains("#0b5394"));
    let extra = std::fs::read_to_string(dir.join("extra.css")).unwrap();
    let at = css
        .find(extra.trim())
        .expect("the extra CSS in the stylesheet");
    assert!(at > css.find(".section-opener ul").unwrap());
}

#[test]
fn style_two_columns_on_body_pages_and_the_logo_on_the_cover() {
    let dir = fixture("house-style");
    let pdf = full_check(&dir, "style-columns");
    let style = style_of(&dir);
    assert_eq!(style.columns, 2);
    // The gutter's middle: no word of the body crosses it, and each body
    // page has words on both sides of it below the article's head.
    let mid = style.margin_left + style.column_width() + style.gutter / 2.0;
    let words = pdf_words(&pdf);
    let pages = words.iter().map(|w| w.page).max().unwrap();
    // Cover and contents first, the Sources page last.
    let body = 3..pages;
    assert_eq!(body.len(), 3, "{pages} pages");
    for page in body {
        let below_head: Vec<&PdfWord> = words
            .iter()
            .filter(|w| w.page == page)
            .filter(|w| w.y0 > w.page_height * 0.35)
            .filter(|w| w.y1 < style.height - style.margin_bottom)
            .collect();
        let left = below_head.iter().filter(|w| w.x1 < mid).count();
        let right = below_head.iter().filter(|w| w.x0 > mid).count();
        let across: Vec<&str> = below_head
            .iter()
            .filter(|w| w.x0 <= mid && w.x1 >= mid)
            .map(|w| w.text.as_str())
            .collect();
        assert!(
            across.is_empty(),
            "page {page}: across the gutter {across:?}"
        );
        assert!(left > 100 && right > 100, "page {page}: {left} | {right}");
    }
    // The cover has the logo at its height, keeping its 360×96 aspect.
    let o = Command::new("pdfimages")
        .args(["-list", pdf.to_str().unwrap()])
        .output()
        .expect("pdfimages must be installed (bash tests/run.sh)");
    let list = String::from_utf8_lossy(&o.stdout);
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi
    let logo = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|c| c.len() >= 14 && c[0] == "1" && c[2] == "image")
        .unwrap_or_else(|| panic!("no image on the cover:\n{list}"));
    assert_eq!((logo[3], logo[4]), ("360", "96"), "{list}");
    // As many pixels per inch across as down: the aspect ratio is kept.
    assert_eq!(logo[12], logo[13], "{list}");
}

#[test]
fn style_screen_page_sizes_keep_every_word_on_the_page() {
    for (size, name, width_mm) in [
        ("ereader", "style-ereader", 90.0),
        ("tablet", "style-tablet", 157.0),
        ("80 x 110 mm", "style-80x110", 80.0),
    ] {
        // One column, the page size's own body size.
        let dir = variant(name, |m| {
            m.replace("page_size = \"A4\"", &format!("page_size = \"{size}\""))
                .replace("columns = 2", "columns = 1")
                .replace("body_size = 9.5\n", "")
        });
        let pdf = full_check(&dir, &format!("{name}-out"));
        assert_no_overprint(&pdf);
        let style = style_of(&dir);
        assert!((style.width - width_mm * 72.0 / 25.4).abs() < 0.5, "{size}");
        assert!((9.5..=10.0).contains(&style.body_size), "{size}");
        // A small screen has no running heads: nothing above the text
        // block on body pages but what the article's head puts there.
        if size != "tablet" {
            assert!(!style.running_heads, "{size}");
            let heads = pdf_words(&pdf)
                .into_iter()
                .filter(|w| w.page > 2 && w.y1 < style.margin_top - 1.0)
                .count();
            assert_eq!(heads, 0, "{size}: words above the text block");
        }
    }
}

#[test]
fn style_files_that_cannot_be_used_are_errors_naming_them() {
    let check = |dir: &Path| -> String {
        let o = pressbook(&["check", dir.to_str().unwrap()]);
        assert!(!o.status.success());
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let dir = variant("style-missing", |m| {
        m.replace("\"extra.css\"", "\"missing.css\"")
            .replace("\"images/logo.png\"", "\"images/nope.png\"")
    });
    let err = check(&dir);
    assert!(
        err.contains("[style] css: cannot read") && err.contains("missing.css"),
        "{err}"
    );
    assert!(
        err.contains("[style] logo: image") && err.contains("nope.png"),
        "{err}"
    );
    assert!(err.contains("pressbook.toml"), "{err}");

    let dir = variant("style-latin1", |m| m);
    std::fs::write(dir.join("extra.css"), b".kicker { content: \"\xe9\"; }\n").unwrap();
    let err = check(&dir);
    assert!(
        err.contains("[style] css:") && err.contains("extra.css is not UTF-8"),
        "{err}"
    );
}

#[test]
fn style_svg_logo_is_in_the_epub_and_the_pdf_says_it_cannot_draw_it() {
    let dir = variant("style-svg", |m| {
        m.replace("images/logo.png", "images/logo.svg")
    });
    std::fs::write(
        dir.join("images/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 120 32\" width=\"120\" height=\"32\"><circle cx=\"16\" cy=\"16\" r=\"12\" fill=\"#0b5394\"/><rect x=\"36\" y=\"10\" width=\"80\" height=\"12\" fill=\"#0b5394\"/></svg>\n",
    )
    .unwrap();
    let out = scratch("style-svg-out");
    let o = pressbook(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: [style] logo is an SVG, which the PDF cannot draw"),
        "{err}"
    );
    let epub = file_in(&out, "epub");
    assert_epub_valid(&epub);
    let book = unzip(&epub);
    assert!(book.iter().any(|(n, _)| n.ends_with("-logo.svg")));
    let title = String::from_utf8_lossy(entry(&book, "title.xhtml")).into_owned();
    assert!(title.contains("-logo.svg\""), "{title}");
    // With --strict the warning stops the build.
    let o = strict(&dir, &out);
    assert!(!o.status.success());
}

/// Issue 29: the cover picture of the house-style fixture is set on its
/// accent (dark enough to carry the cover's light type), with the logo on
/// its cream plate where the layout placed it.
#[test]
fn style_cover_picture_on_the_house_accent_with_the_logo() {
    use pressbook::layout::{cover, FontSet, PageItem};
    let dir = fixture("house-style");
    let out = scratch("style-cover-picture");
    let png = std::fs::read(only_with_ext(&build(&dir, &out, "cover"), "png")).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (cover::WIDTH, cover::HEIGHT));
    assert_eq!(
        img.get_pixel(5, 5).0,
        [0x0b, 0x53, 0x94],
        "the accent's ground"
    );

    let (loaded, _) = pressbook::check(&dir, &pressbook::LoadOptions::default(), false)
        .unwrap_or_else(|_| panic!("the fixture does not load"));
    let fonts = std::sync::Arc::new(FontSet::load(&loaded.settings.pdf.fonts).unwrap());
    let page = cover::page(&loaded.digest, &fonts);
    let (at, w, h) = page
        .items
        .iter()
        .find_map(|p| match p.item {
            PageItem::Image { w, h, .. } => Some((p.at, w, h)),
            _ => None,
        })
        .expect("the logo is on the cover");
    let s = cover::SCALE;
    let px = |x: f32, y: f32| img.get_pixel((x * s) as u32, (y * s) as u32).0;
    // The plate shows a little outside the logo's box, and the logo's
    // ring (the accent, on white) inside it.
    assert_eq!(px(at.x - 2.0, at.y + h / 2.0), [0xf7, 0xf3, 0xea]);
    let inside: Vec<[u8; 3]> = (0..100)
        .map(|k| px(at.x + w * k as f32 / 100.0, at.y + h / 2.0))
        .collect();
    assert!(
        inside.iter().any(|c| c[2] > 0x80 && c[0] < 0x40),
        "no blue in the logo: {inside:?}"
    );
}
