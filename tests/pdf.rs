//! End-to-end: build real digests into PDFs and check them with the
//! validators (qpdf, pdffonts, pdftotext, pdftoppm), and golden tests on the
//! page model. A missing validator fails the test: run `bash tests/run.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use pressbook::layout::{self, FontSet, PageItem, PageStyle};

fn build_pdf(dir: &Path, name: &str) -> PathBuf {
    let out = scratch(name);
    only_with_ext(&build(dir, &out, "pdf"), "pdf")
}

/// Runs a validator, failing loudly when it is not installed.
fn run(tool: &str, args: &[&str]) -> (bool, String, String) {
    let o = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is not installed ({e}): run the suite with `bash tests/run.sh`, which installs the validators")
    });
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn qpdf_check(pdf: &Path) {
    let (ok, out, err) = run("qpdf", &["--check", s(pdf)]);
    assert!(ok, "qpdf --check failed for {pdf:?}:\n{out}\n{err}");
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
}

/// Every font embedded and subset, with a Unicode map.
fn fonts_embedded_and_subset(pdf: &Path) -> usize {
    let (ok, out, err) = run("pdffonts", &[s(pdf)]);
    assert!(ok, "pdffonts failed: {err}");
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts in {pdf:?}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        // ... emb sub uni object ID
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "font not embedded+subset+unicode: {row}"
        );
        assert!(
            cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
            "no subset tag: {row}"
        );
    }
    rows.len()
}

/// Page size in points, from pdfinfo.
fn page_size(pdf: &Path) -> (f32, f32) {
    let (ok, out, err) = run("pdfinfo", &[s(pdf)]);
    assert!(ok, "pdfinfo failed: {err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .expect("page size");
    let nums: Vec<f32> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (nums[0], nums[1])
}

fn page_count(pdf: &Path) -> usize {
    let (_, out, _) = run("pdfinfo", &[s(pdf)]);
    out.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("page count")
}

/// The text of the PDF, without the folios at the foot of the pages.
/// The text of the pages' text blocks: running heads and folios left out.
/// In columns, each page's spanning head (down to the last line that
/// crosses the gutter), then its left column, then its right one: poppler's
/// own layout analysis may read the top of one column into the other's
/// block beside an image.
fn body_text(pdf: &Path, style: &PageStyle) -> String {
    let top = style.margin_top - 10.0;
    let bottom = style.height - style.margin_bottom * 0.7;
    let crop = |x: f32, y: f32, w: f32, h: f32, page: Option<usize>| -> String {
        let [x, y, w, h] = [x, y, w, h].map(|v| (v as i32).to_string());
        let mut args = vec!["-x", &x, "-y", &y, "-W", &w, "-H", &h];
        let n = page.map(|p| p.to_string());
        if let Some(n) = &n {
            args.extend(["-f", n, "-l", n]);
        }
        args.extend([s(pdf), "-"]);
        let (ok, out, err) = run("pdftotext", &args);
        assert!(ok, "pdftotext failed: {err}");
        out
    };
    if style.columns < 2 {
        let h = (bottom as i32 - top as i32) as f32;
        return crop(0.0, top, style.width.floor(), h, None);
    }
    let mid = style.margin_left + style.column_width() + style.gutter / 2.0;
    let words = pdf_words(pdf);
    (1..=page_count(pdf))
        .map(|p| {
            let head = words
                .iter()
                .filter(|w| w.page == p && w.x0 < mid && w.x1 > mid && w.y1 < bottom)
                .map(|w| w.y1 + 1.0)
                .fold(top, f32::max);
            crop(0.0, top, style.width, head - top, Some(p))
                + &crop(0.0, head, mid, bottom - head, Some(p))
                + &crop(mid, head, style.width - mid, bottom - head, Some(p))
        })
        .collect()
}

/// Text compared loosely where typesetting legitimately changes it: hyphens
/// (added at line ends, or lines broken after one) and note numbers glued
/// to the word before them.
fn normalize(text: &str, from_pdf: bool) -> String {
    let mut t = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '-' {
            i += 1;
            if from_pdf {
                // A line ending in a hyphen joins the next line.
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if j > i && chars[i..j].iter().any(|c| *c == '\n' || *c == '\x0c') {
                    i = j;
                }
            }
            continue;
        }
        if c.is_ascii_digit()
            && i > 0
            && !chars[i - 1].is_whitespace()
            && !chars[i - 1].is_ascii_digit()
        {
            // A number glued to a word (a note reference): dropped on both sides.
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        t.push(c);
        i += 1;
    }
    squash(&t)
}

fn assert_paragraphs_come_back(dir: &Path, pdf: &Path, style: &PageStyle) -> usize {
    let text = normalize(&body_text(pdf, style), true);
    let bare = text.replace(' ', "");
    let mut checked = 0;
    for f in article_files(dir) {
        for p in source_paragraphs(&f) {
            // Text no bundled font has (the Arabic of the warning fixture) is
            // drawn as .notdef boxes, which cannot carry their own text.
            if p.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
                continue;
            }
            let want = normalize(&p, false);
            // Long tokens (URLs) may be broken without a hyphen: compare
            // those paragraphs with line ends taken out.
            let found = text.contains(&want)
                || (want.split(' ').any(|w| w.chars().count() > 18)
                    && bare.contains(&want.replace(' ', "")));
            assert!(
                found,
                "paragraph from {f:?} does not come back from the PDF:\n{want}\n--- PDF text:\n{text}"
            );
            checked += 1;
        }
    }
    checked
}

/// Words from `pdftotext -bbox`: (page, xMin, yMin, xMax, yMax, word).
fn words(pdf: &Path) -> Vec<(usize, f32, f32, f32, f32, String)> {
    pdf_words(pdf)
        .into_iter()
        .map(|w| (w.page, w.x0, w.y0, w.x1, w.y1, w.text))
        .collect()
}

/// No word outside the page box, and none past the text column's edges
/// (beyond a hair for rounding and for glyphs' side bearings).
fn assert_words_inside(pdf: &Path, style: &PageStyle) {
    let ws = words(pdf);
    assert!(!ws.is_empty());
    let left = style.margin_left - 1.5;
    let right = style.margin_left + style.measure + 1.5;
    // Optical margin alignment: a word ending in a hyphen, a stop or a
    // closing quote hangs into the right margin by part of that glyph (at
    // most 70 % of a third of an em), one starting with an opening quote
    // into the left.
    let hang = |c: Option<char>, marks: &str| match c {
        Some(c) if marks.contains(c) => 0.25 * style.body_size,
        _ => 0.0,
    };
    for (page, x0, y0, x1, y1, w) in ws {
        assert!(
            x0 >= 0.0 && y0 >= 0.0 && x1 <= style.width && y1 <= style.height,
            "word {w:?} on page {page} lies outside the page box"
        );
        let left = left - hang(w.chars().next(), "\u{2018}\u{201C}\u{201E}'\"«‹");
        let right = right
            + hang(
                w.chars().next_back(),
                "-\u{2010}\u{AD}.,:;!?\u{2013}\u{2014}\u{2019}\u{201D}'\"»›",
            );
        assert!(
            x0 >= left && x1 <= right,
            "word {w:?} on page {page} runs out of the text column ({x0}..{x1}, column {left}..{right})"
        );
    }
}

/// Renders every page, and checks the images are not blank.
fn render_pages(pdf: &Path, name: &str) -> Vec<PathBuf> {
    let dir = scratch(&format!("{name}-png"));
    let prefix = dir.join("page");
    let (ok, _, err) = run("pdftoppm", &["-png", "-r", "40", s(pdf), s(&prefix)]);
    assert!(ok, "pdftoppm failed: {err}");
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pngs.sort();
    for p in &pngs {
        let size = std::fs::metadata(p).unwrap().len();
        assert!(size > 1500, "{p:?} looks blank ({size} bytes)");
    }
    pngs
}

pub(crate) fn style_of(dir: &Path) -> PageStyle {
    let (loaded, _) = pressbook::check(dir, &pressbook::LoadOptions::default(), false)
        .unwrap_or_else(|_| panic!("{dir:?} does not load"));
    PageStyle::for_settings(&loaded.settings.pdf)
}

pub(crate) fn full_check(dir: &Path, name: &str) -> PathBuf {
    let pdf = build_pdf(dir, name);
    let style = style_of(dir);
    qpdf_check(&pdf);
    fonts_embedded_and_subset(&pdf);
    let (w, h) = page_size(&pdf);
    assert!(
        (w - style.width).abs() < 0.5 && (h - style.height).abs() < 0.5,
        "page size {w}x{h}"
    );
    assert_paragraphs_come_back(dir, &pdf, &style);
    assert_words_inside(&pdf, &style);
    let pngs = render_pages(&pdf, name);
    assert_eq!(pngs.len(), page_count(&pdf));
    pdf
}

#[test]
fn sample_digest_builds_a_valid_typeset_pdf() {
    let dir = repo().join("input");
    let pdf = full_check(&dir, "pdf-sample");
    assert_eq!(
        pdf.file_name().unwrap().to_str().unwrap(),
        "frontline-weekly-2026-11-23.pdf"
    );
    let style = style_of(&dir);
    let n = assert_paragraphs_come_back(&dir, &pdf, &style);
    assert!(n > 30, "only {n} paragraphs checked");
    let pages = page_count(&pdf);
    assert!((8..=40).contains(&pages), "{pages} pages");
    assert!(fonts_embedded_and_subset(&pdf) >= 3);
    // Every font has every glyph the sample needs, so it claims PDF/A-2a
    // and PDF/UA-1 (and `build` has had veraPDF confirm both).
    let bytes = pdf_objects(&pdf);
    for claim in [
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
    ] {
        assert!(
            bytes.windows(claim.len()).any(|w| w == claim.as_bytes()),
            "the sample does not claim {claim}"
        );
    }
}

#[test]
fn fixtures_build_valid_pdfs() {
    for name in ["flat", "discover", "pdf-letter"] {
        full_check(&fixture(name), &format!("pdf-fixture-{name}"));
    }
}

#[test]
fn features_fixture_on_a5_compact() {
    let dir = fixture("pdf-features");
    let pdf = full_check(&dir, "pdf-features");
    let (w, h) = page_size(&pdf);
    assert!(
        (w - 419.5).abs() < 0.5 && (h - 595.3).abs() < 0.5,
        "not A5: {w}x{h}"
    );
    let style = style_of(&dir);
    let text = body_text(&pdf, &style);
    // Ligatures extract as their letters; curly quotes survive.
    for needle in [
        "office",
        "efficiently",
        "affidavits",
        "“difficult”",
        "affluent",
        "baffling",
        "‘office’",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} is not in the extracted text"
        );
    }
    // Greek and Cyrillic.
    assert!(text.contains("αλεπού"), "Greek is missing");
    assert!(text.contains("французских"), "Cyrillic is missing");
    // The table header is repeated on the pages the table runs over.
    let (_, per_page, _) = run("pdftotext", &["-layout", s(&pdf), "-"]);
    let with_header = per_page
        .split('\x0c')
        .filter(|p| p.contains("Stop") && p.contains("Status") && p.contains("Station"))
        .count();
    assert!(
        with_header >= 2,
        "table header not repeated ({with_header} pages)"
    );
    // Compact layout: articles follow each other.
    assert!(page_count(&pdf) < 12);
}

#[test]
fn missing_glyphs_warn_naming_article_and_characters() {
    let out = scratch("pdf-warn");
    let dir = fixture("pdf-features");
    // The bundled fonts alone: the system's would have the Arabic.
    let o = pdf_build(&dir, &out, &["--no-system-fonts"]);
    assert!(o.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(all.contains("U+0645"), "no warning for Arabic:\n{all}");
    assert!(
        all.contains("scripts.md"),
        "warning does not name the article:\n{all}"
    );
    assert!(
        all.contains("Scripts:"),
        "warning does not name the title:\n{all}"
    );
}

#[test]
fn same_input_gives_byte_identical_pdf() {
    let dir = fixture("pdf-features");
    let a = std::fs::read(build_pdf(&dir, "pdf-same-a")).unwrap();
    let b = std::fs::read(build_pdf(&dir, "pdf-same-b")).unwrap();
    assert!(a == b, "two builds of the same input differ");
    // Also within one process (nothing process-wide, such as a counter,
    // may leak into the output).
    let (loaded, _) = pressbook::check(&dir, &pressbook::LoadOptions::default(), false).unwrap();
    let render = || {
        let mut sink = pressbook::diag::Sink::new();
        let (doc, fonts) =
            pressbook::pdf::typeset(&loaded.settings.pdf, &loaded.digest, &mut sink).unwrap();
        pressbook::pdf::write(&doc, &fonts, &loaded.digest).unwrap()
    };
    let (x, y) = (render(), render());
    assert!(x == y, "two renders in one process differ");
    let text = String::from_utf8_lossy(&x);
    assert!(!text.contains("D:1970"), "a date defaulted to 1970");
}

#[test]
fn format_all_writes_epub_and_pdf_from_one_load() {
    let out = scratch("pdf-all");
    let files = build(&fixture("flat"), &out, "all");
    only_with_ext(&files, "epub");
    only_with_ext(&files, "pdf");
}

/// A compact description of the page model: per page, each text line's
/// baseline and its first characters. Golden: blessed with
/// `PRESSBOOK_BLESS=1 cargo test`.
fn page_model_summary(dir: &Path) -> String {
    let (loaded, _) = pressbook::check(dir, &pressbook::LoadOptions::default(), false).unwrap();
    let digest = loaded.digest;
    let fonts = std::sync::Arc::new(FontSet::bundled());
    let style = PageStyle::for_settings(&loaded.settings.pdf);
    let doc = layout::layout(&digest, &fonts, &style, &mut Default::default());
    let mut s = String::new();
    for (n, page) in doc.pages.iter().enumerate() {
        s.push_str(&format!(
            "page {} article={} opening={}\n",
            n + 1,
            page.article.as_deref().unwrap_or("-"),
            page.opening
        ));
        let mut lines: Vec<(i64, f32, String)> = Vec::new();
        for placed in &page.items {
            let (p, it) = (&placed.at, &placed.item);
            if let PageItem::Text(r) = it {
                let y = (p.y * 10.0).round() as i64;
                match lines.iter_mut().find(|l| l.0 == y) {
                    Some(l) => {
                        if p.x < l.1 {
                            l.1 = p.x;
                            l.2 = format!("{}{}", r.text, l.2);
                        } else {
                            l.2.push_str(&r.text);
                        }
                    }
                    None => lines.push((y, p.x, r.text.clone())),
                }
            }
        }
        for (y, x, t) in lines {
            let head: String = t.chars().take(32).collect();
            s.push_str(&format!("  {:7.1} {:6.1} {head}\n", y as f32 / 10.0, x));
        }
        for (d, y) in &page.destinations {
            s.push_str(&format!("  dest {d} @ {y:.1}\n"));
        }
    }
    for o in &doc.outline {
        s.push_str(&format!(
            "outline {} p{} {}\n",
            o.level,
            o.page + 1,
            o.title
        ));
    }
    s
}

#[test]
fn golden_page_model_of_the_letter_fixture() {
    let dir = fixture("pdf-letter");
    check_golden(&dir.join("expected-pages.txt"), &page_model_summary(&dir));
}

/// Every placed item of the body pages of `dir`'s layout, one a line: its
/// role, kind, position (top-left origin, points) and text or size; then
/// each page's destinations and links, and the outline.
fn page_model(dir: &Path) -> String {
    use pressbook::layout::LinkTarget;
    let (loaded, _) = pressbook::check(dir, &pressbook::LoadOptions::default(), false).unwrap();
    let fonts = std::sync::Arc::new(FontSet::bundled());
    let style = PageStyle::for_settings(&loaded.settings.pdf);
    let doc = layout::layout(&loaded.digest, &fonts, &style, &mut Default::default());
    let mut s = String::new();
    for (n, page) in doc.pages.iter().enumerate().skip(doc.front_pages) {
        s.push_str(&format!(
            "page {} ({}) article={} opening={}\n",
            n + 1,
            doc.page_label(n),
            page.article.as_deref().unwrap_or("-"),
            page.opening
        ));
        for placed in &page.items {
            let (p, role) = (placed.at, format!("{:?}", placed.role));
            let what = match &placed.item {
                PageItem::Text(r) => format!("text {:.1}pt {:?}", r.size, r.text),
                PageItem::Segment {
                    dx, dy, thickness, ..
                } => {
                    format!("segment {dx:.1},{dy:.1} {thickness:.1}pt")
                }
                PageItem::FilledRect { w, h, .. } => format!("filled {w:.1}x{h:.1}"),
                PageItem::StrokedRect { w, h, .. } => format!("stroked {w:.1}x{h:.1}"),
                PageItem::Image { asset, w, h } => format!("image {} {w:.1}x{h:.1}", asset.0),
            };
            s.push_str(&format!("  {role:<11} {:6.1} {:6.1} {what}\n", p.x, p.y));
        }
        for (d, y) in &page.destinations {
            s.push_str(&format!("  dest {d} @ {y:.1}\n"));
        }
        for l in &page.links {
            let target = match &l.target {
                LinkTarget::Url(u) => u.clone(),
                LinkTarget::Internal(d) => format!("#{d}"),
            };
            s.push_str(&format!(
                "  link {:.1},{:.1} {:.1}x{:.1} {target}\n",
                l.x, l.y, l.w, l.h
            ));
        }
    }
    for o in &doc.outline {
        s.push_str(&format!(
            "outline {} p{} {}\n",
            o.level,
            o.page + 1,
            o.title
        ));
    }
    s
}

/// Small fixtures per layout feature (tests/fixtures/golden/<feature>/),
/// each with the whole page model it should give.
#[test]
fn golden_page_models_per_feature() {
    for feature in ["linebreak", "lists", "tables", "notes"] {
        let dir = fixture("golden").join(feature);
        check_golden(&dir.join("expected-pages.txt"), &page_model(&dir));
    }
}

#[test]
fn manifest_fonts_and_fallbacks_are_used() {
    // The fixture names the repository's own fonts, outside its folder.
    let dir = fixture("pdf-fonts");
    let out = scratch("pdf-fonts");
    let o = pdf_build(&dir, &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(1),
        "fonts outside the folder were read"
    );
    assert!(
        err.contains("sans-regular.ttf lies outside the digest folder")
            && err.contains("--allow-outside"),
        "{err}"
    );
    let o = pdf_build(&dir, &out, &["--allow-outside"]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{all}");
    assert!(!all.contains("no font has"), "fallback not used:\n{all}");
    let pdf = file_in(&out, "pdf");
    qpdf_check(&pdf);
    fonts_embedded_and_subset(&pdf);
    let (_, fonts, _) = run("pdffonts", &[s(&pdf)]);
    assert!(fonts.contains("SourceSans3-Regular"), "{fonts}");
    assert!(fonts.contains("SourceCodePro"), "{fonts}");
    let (_, text, _) = run("pdftotext", &[s(&pdf), "-"]);
    assert!(text.contains('│') && text.contains('┼'), "{text}");
}

#[test]
fn fonts_in_the_digest_folder_are_found_as_fallbacks() {
    // No [fonts] table: the box-drawing characters are missing from the
    // text faces until a font that has them is dropped into DIR/fonts/.
    let dir = scratch("pdf-found-fonts");
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    std::fs::copy(
        fixture("pdf-fonts").join("articles/boxes.md"),
        dir.join("articles/boxes.md"),
    )
    .unwrap();
    std::fs::write(
        dir.join("pressbook.toml"),
        "title = \"Found\"\ndate = \"2026-04-06\"\narticles = [\"articles/boxes.md\"]\n",
    )
    .unwrap();
    let out = dir.join("dist");
    let build = || {
        let o = pdf_build(&dir, &out, &["--no-system-fonts"]);
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    assert!(
        build().contains("no font has"),
        "the bare digest should warn"
    );
    std::fs::create_dir_all(dir.join("fonts")).unwrap();
    std::fs::copy(
        repo().join("fonts/mono-regular.ttf"),
        dir.join("fonts/mono-regular.ttf"),
    )
    .unwrap();
    let warnings = build();
    assert!(!warnings.contains("no font has"), "{warnings}");
    let pdf = file_in(&out, "pdf");
    let (_, text, _) = run("pdftotext", &[s(&pdf), "-"]);
    assert!(text.contains('│') && text.contains('┼'), "{text}");
}

#[test]
fn pdf_does_not_depend_on_the_thread_count() {
    // More articles than one parallel batch, with warnings merged in order.
    let dir = scratch("pdf-threads-corpus");
    pressbook::corpus::generate(&dir, 40).unwrap();
    let mut books = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = scratch(&format!("pdf-threads-{threads}"));
        let o = Command::new(env!("CARGO_BIN_EXE_pressbook"))
            .args(["build", "--format", "pdf", "-q", "--out", s(&out), s(&dir)])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let files: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        books.push(std::fs::read(only_with_ext(&files, "pdf")).unwrap());
    }
    assert!(
        books.windows(2).all(|w| w[0] == w[1]),
        "PDFs differ by thread count"
    );
}

/// The images of a page as `pdfimages -list` reports them: (type, colour,
/// encoding) per row.
fn image_rows(pdf: &Path) -> Vec<(String, String, String)> {
    let (ok, out, err) = run("pdfimages", &["-list", s(pdf)]);
    assert!(ok, "pdfimages failed: {err}");
    out.lines()
        .skip(2)
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            (c[2].to_string(), c[5].to_string(), c[8].to_string())
        })
        .collect()
}

#[test]
fn images_keep_their_colour_transparency_and_jpeg_bytes() {
    use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage, Rgba, RgbaImage};
    // A red badge whose left half is transparent, a grey and a colour JPEG.
    let mut badge = RgbaImage::from_pixel(400, 200, Rgba([200, 20, 20, 255]));
    for y in 0..200 {
        for x in 0..200 {
            badge.put_pixel(x, y, Rgba([0, 0, 0, 0]));
        }
    }
    let encode = |img: DynamicImage, fmt: image::ImageFormat| {
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), fmt)
            .unwrap();
        out
    };
    let png = encode(DynamicImage::ImageRgba8(badge), image::ImageFormat::Png);
    let grey = encode(
        DynamicImage::ImageLuma8(GrayImage::from_pixel(300, 200, Luma([90]))),
        image::ImageFormat::Jpeg,
    );
    let colour = encode(
        DynamicImage::ImageRgb8(RgbImage::from_pixel(300, 200, Rgb([20, 90, 160]))),
        image::ImageFormat::Jpeg,
    );
    let article = "---\ntitle: Three pictures\n---\n\n\
        ![A red badge, half transparent](img/badge.png)\n\n\
        ![A grey field](img/grey.jpg)\n\n\
        ![A blue field](img/blue.jpg)\n";
    let dir = write_digest(
        "pdf-images-digest",
        &[
            (
                "pressbook.toml",
                b"title = \"Pictures\"\ndate = \"2026-12-01\"\narticles = [\"a.md\"]\n",
            ),
            ("a.md", article.as_bytes()),
            ("img/badge.png", &png),
            ("img/grey.jpg", &grey),
            ("img/blue.jpg", &colour),
        ],
    );
    let pdf = build_pdf(&dir, "pdf-images");
    qpdf_check(&pdf);
    let rows = image_rows(&pdf);
    let kinds: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|(t, c, e)| (t.as_str(), c.as_str(), e.as_str()))
        .collect();
    assert!(
        kinds.contains(&("image", "rgb", "image")) && kinds.contains(&("smask", "gray", "image")),
        "the PNG lost its colour or its mask: {kinds:?}"
    );
    assert!(kinds.contains(&("image", "gray", "jpeg")), "{kinds:?}");
    assert!(kinds.contains(&("image", "rgb", "jpeg")), "{kinds:?}");
    // The JPEGs are embedded byte for byte.
    let raw = std::fs::read(&pdf).unwrap();
    for jpg in [&grey, &colour] {
        assert!(
            raw.windows(jpg.len()).any(|w| w == &jpg[..]),
            "a JPEG was re-encoded"
        );
    }
    // Where the badge is transparent the page shows through: render the
    // page with the badge and find both white and red in its box.
    let (ok, _, err) = run(
        "pdftoppm",
        &[
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "3",
            s(&pdf),
            s(&pdf.with_extension("")),
        ],
    );
    assert!(ok, "pdftoppm: {err}");
    let page_with_badge = (1..=3)
        .filter_map(|p| {
            let png = pdf.with_file_name(format!(
                "{}-{p}.png",
                pdf.file_stem().unwrap().to_str().unwrap()
            ));
            image::open(png).ok().map(|i| i.to_rgb8())
        })
        .find(|img| {
            img.pixels()
                .any(|p| p.0[0] > 150 && p.0[1] < 60 && p.0[2] < 60)
        })
        .expect("no page shows the red badge");
    let red_rows: Vec<u32> = (0..page_with_badge.height())
        .filter(|&y| {
            (0..page_with_badge.width()).any(|x| {
                let p = page_with_badge.get_pixel(x, y).0;
                p[0] > 150 && p[1] < 60
            })
        })
        .collect();
    let y = red_rows[red_rows.len() / 2];
    let reds: Vec<u32> = (0..page_with_badge.width())
        .filter(|&x| {
            let p = page_with_badge.get_pixel(x, y).0;
            p[0] > 150 && p[1] < 60
        })
        .collect();
    let (first_red, last_red) = (reds[0], *reds.last().unwrap());
    let width = last_red - first_red;
    // Left of the red half, over as wide a strip, the page is white.
    let left = first_red.saturating_sub(width * 9 / 10);
    for x in left..first_red.saturating_sub(2) {
        let p = page_with_badge.get_pixel(x, y).0;
        assert!(
            p.iter().all(|&v| v > 230),
            "the transparent half is not transparent at x={x}: {p:?}"
        );
    }
}
