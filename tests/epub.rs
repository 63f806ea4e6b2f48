//! End-to-end: build real digests into EPUBs and check them with EPUBCheck
//! and by reading the package back.

use crate::common::*;

fn build_epub(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let out = scratch(name);
    only_with_ext(&build(dir, &out, "epub"), "epub")
}

fn entry(entries: &[(String, Vec<u8>)], name: &str) -> String {
    let (_, data) = entries
        .iter()
        .find(|(n, _)| n.ends_with(name))
        .unwrap_or_else(|| panic!("no {name} in the book"));
    String::from_utf8(data.clone()).unwrap()
}

#[test]
fn sample_digest_passes_epubcheck_and_ace() {
    let book = build_epub(&repo().join("input"), "epub-sample");
    assert_eq!(
        book.file_name().unwrap().to_str().unwrap(),
        "frontline-weekly-2026-11-23.epub"
    );
    assert_epub_valid(&book);
}

/// Every fixture's book, checked by EPUBCheck and Ace. pdf-fonts is left out: its fonts lie
/// outside its folder (for the PDF tests), which a build refuses.
#[test]
fn fixtures_pass_epubcheck_and_ace() {
    for name in ["flat", "discover", "pdf-features", "pdf-letter"] {
        assert_epub_valid(&build_epub(&fixture(name), &format!("epub-fixture-{name}")));
    }
}

#[test]
fn opf_has_dublin_core_and_accessibility_metadata() {
    let book = build_epub(&repo().join("input"), "epub-opf");
    let entries = unzip(&book);
    let opf = entry(&entries, "content.opf");
    for needle in [
        "<dc:title>Frontline Weekly</dc:title>",
        ">Ines Varga</dc:creator>",
        "<dc:publisher>Frontline Press</dc:publisher>",
        "<dc:language>en-GB</dc:language>",
        ">urn:uuid:6f1c2d3e-8a4b-5c6d-9e0f-1a2b3c4d5e6f</dc:identifier>",
        "<dc:date>2026-11-23T00:00:00Z</dc:date>",
        "<meta property=\"dcterms:modified\">2026-11-23T00:00:00Z</meta>",
        "<dc:rights>",
        "<dc:description>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
        "properties=\"cover-image\"",
        "A briefing on the week",
    ] {
        assert!(opf.contains(needle), "OPF lacks {needle}:\n{opf}");
    }
    // The mimetype entry comes first, stored uncompressed.
    assert_eq!(entries[0].0, "mimetype");
    assert_eq!(entries[0].1, b"application/epub+zip");
    assert!(entries.iter().any(|(n, _)| n.ends_with("toc.ncx")));
    assert!(entries.iter().any(|(n, _)| n.ends_with("nav.xhtml")));
}

#[test]
fn source_date_epoch_sets_modified() {
    let out = scratch("epub-sde");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_pressbook"))
        .args(["build", "--format", "epub", "--out"])
        .arg(&out)
        .arg(fixture("flat"))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let book = only_with_ext(
        &std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect::<Vec<_>>(),
        "epub",
    );
    let opf = entry(&unzip(&book), "content.opf");
    assert!(
        opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"),
        "{opf}"
    );
    // A non-UUID identifier is kept as the editor wrote it.
    assert!(
        opf.contains(">urn:isbn:9780000000002</dc:identifier>"),
        "{opf}"
    );
}

#[test]
fn every_source_paragraph_is_in_the_book() {
    let dir = repo().join("input");
    let book = build_epub(&dir, "epub-text");
    let entries = unzip(&book);
    let text: String = entries
        .iter()
        .filter(|(n, _)| n.ends_with(".xhtml"))
        .map(|(_, d)| xhtml_text(std::str::from_utf8(d).unwrap()))
        .collect::<Vec<_>>()
        .join("\n");
    let files = article_files(&dir);
    assert!(files.len() >= 6, "the sample should have 6–10 articles");
    let mut checked = 0;
    for f in files {
        for p in source_paragraphs(&f) {
            assert!(text.contains(&p), "paragraph from {f:?} is missing:\n{p}");
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} paragraphs checked");
}

#[test]
fn plain_text_attribution_becomes_headline_and_block() {
    let book = build_epub(&fixture("flat"), "epub-attr");
    let entries = unzip(&book);
    let page = entry(&entries, "a01-council-meets-decides-nothing.xhtml");
    assert!(
        page.contains("<h1 class=\"headline\">Council meets, decides nothing</h1>"),
        "{page}"
    );
    assert!(page.contains("<footer class=\"attribution\">"));
    assert!(page.contains("<dd>Fixture Gazette</dd>"), "{page}");
    assert!(page.contains("<dd>2024</dd>"), "{page}");
    assert!(
        page.contains("<dd>© Fixture Gazette 2024: Council meets, decides nothing</dd>"),
        "{page}"
    );
    // The attribution line is not left as a body paragraph.
    assert_eq!(page.matches("© Fixture Gazette").count(), 1, "{page}");
    let text = xhtml_text(&page);
    assert!(text.contains("A second paragraph runs over two lines in the export."));
}

#[test]
fn articles_carry_language_footnotes_and_links() {
    let book = build_epub(&fixture("flat"), "epub-notes");
    let entries = unzip(&book);
    let greek = entry(&entries, "a03-σημειώσεις-a-mixed-script-article.xhtml");
    assert!(greek.contains("lang=\"el\" xml:lang=\"el\""), "{greek}");
    assert!(greek.contains("<p class=\"byline\">By Ana Test and Bo Test</p>"));
    let notes = entry(&entries, "a02-notes-on-a-test.xhtml");
    assert!(notes.contains("epub:type=\"noteref\""), "{notes}");
    assert!(notes.contains("epub:type=\"footnote\""));
    assert!(notes.contains("role=\"doc-backlink\""));
    // A link to another article of the digest points at its page.
    assert!(
        notes.contains("href=\"a01-council-meets-decides-nothing.xhtml\""),
        "{notes}"
    );
    // Remote images are linked, never embedded.
    assert!(notes.contains("<a href=\"https://example.org/picture.png\" class=\"remote-image\">"));
    // Every article has an attribution block, even with nothing known.
    for (n, d) in &entries {
        if n.contains("/a0") || n.starts_with("a0") {
            assert!(
                String::from_utf8_lossy(d).contains("class=\"attribution\""),
                "{n}"
            );
        }
    }
}

#[test]
fn navigation_nests_sections_over_articles() {
    let book = build_epub(&repo().join("input"), "epub-nav");
    let entries = unzip(&book);
    let nav = entry(&entries, "nav.xhtml");
    // Two sections, each an <li> whose nested <ol> lists its articles.
    let sections = nav.matches("s1-world.xhtml").count() + nav.matches("s2-").count();
    assert!(sections >= 2, "{nav}");
    let world = nav.split("s1-world.xhtml").nth(1).unwrap();
    let nested = world.split("</li>").next().unwrap();
    assert!(nested.contains("<ol>") && nested.contains("a01-"), "{nav}");
    let ncx = entry(&entries, "toc.ncx");
    assert!(
        ncx.contains("<navPoint") && ncx.matches("<navPoint").count() >= 11,
        "{ncx}"
    );
    let contents = entry(&entries, "contents.xhtml");
    assert!(contents.contains("entry-source"), "contents lists sources");
}

#[test]
fn discovered_articles_ordered_by_date_and_grouped() {
    let book = build_epub(&fixture("discover"), "epub-discover");
    let names: Vec<String> = unzip(&book)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.contains("/a0"))
        .collect();
    let order: Vec<&str> = names
        .iter()
        .map(|n| n.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "a01-year-only-plain-article.xhtml",
            "a02-early-piece.xhtml",
            "a03-later-piece.xhtml"
        ]
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = build_epub(&repo().join("input"), "epub-repro-a");
    let b = build_epub(&repo().join("input"), "epub-repro-b");
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}

#[test]
fn cover_images_spine_and_stylesheet() {
    let book = build_epub(&repo().join("input"), "epub-parts");
    let entries = unzip(&book);
    // A real raster cover, 1600×2560.
    let cover = entries
        .iter()
        .find(|(n, _)| n.ends_with("images/cover.png"))
        .unwrap();
    assert!(cover.1.starts_with(b"\x89PNG\r\n\x1a\n"));
    let w = u32::from_be_bytes(cover.1[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(cover.1[20..24].try_into().unwrap());
    assert_eq!((w, h), (1600, 2560));
    // The article's local image is packaged and referenced.
    let img = entries
        .iter()
        .find(|(n, _)| n.contains("images/img-") && n.ends_with(".png"))
        .expect("the sample's image is in the book");
    assert!(img.1.starts_with(b"\x89PNG"));
    let img_name = img.0.rsplit('/').next().unwrap();
    assert!(entries.iter().any(|(n, d)| n.contains("/a0")
        && String::from_utf8_lossy(d).contains(&format!("src=\"images/{img_name}\""))));
    // The spine follows the manifest: cover, title, contents, then each
    // section opener followed by its articles in the listed order.
    let opf = entry(&entries, "content.opf");
    let spine: Vec<&str> = opf
        .split("<itemref idref=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(
        &spine[..4],
        [
            "id_cover.xhtml",
            "id_title.xhtml",
            "id_contents.xhtml",
            "id_s1-world.xhtml"
        ]
    );
    let articles: Vec<&&str> = spine.iter().filter(|s| s.starts_with("id_a")).collect();
    assert_eq!(articles.len(), 8);
    for (i, a) in articles.iter().enumerate() {
        assert!(a.starts_with(&format!("id_a{:02}-", i + 1)), "{spine:?}");
    }
    assert!(
        articles[0].contains("velmar") && articles[4].contains("hallor"),
        "{spine:?}"
    );
    // The stylesheet leaves sizes to the reader: no pixel font sizes.
    let css = entry(&entries, "stylesheet.css");
    for decl in css.split(';') {
        if decl.contains("font-size") {
            assert!(!decl.contains("px"), "fixed font size: {decl}");
        }
    }
    assert!(
        css.contains("max-width: 100%"),
        "images scale to the screen"
    );
    assert!(css.contains("overflow-x: auto"), "tables scroll");
    // The title page carries the issue details.
    let title = xhtml_text(&entry(&entries, "title.xhtml"));
    assert!(
        title.contains("Frontline Weekly")
            && title.contains("23 November 2026 · Week 48, 2026")
            && title.contains("Edited by Ines Varga"),
        "{title}"
    );
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let mut books = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = scratch(&format!("epub-threads-{threads}"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_pressbook"))
            .args(["build", "--format", "epub", "-q", "--out"])
            .arg(&out)
            .arg(repo().join("input"))
            .env("RAYON_NUM_THREADS", threads)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(o.status.success());
        let files: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        books.push(std::fs::read(only_with_ext(&files, "epub")).unwrap());
    }
    assert!(books.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn accessibility_markup_and_typography() {
    let book = build_epub(&repo().join("input"), "epub-a11y");
    let entries = unzip(&book);
    let opf = entry(&entries, "content.opf");
    for needle in [
        "<package version=\"3.0\" xml:lang=\"en-GB\"",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>",
        // The manifest's own text gets typographer's quotes.
        ">A briefing on the week’s reporting</dc:title>",
        "Eight pieces from the week’s reporting",
    ] {
        assert!(opf.contains(needle), "OPF lacks {needle}:\n{opf}");
    }
    let nav = entry(&entries, "nav.xhtml");
    for needle in [
        "lang=\"en-GB\" xml:lang=\"en-GB\"",
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">",
        "<nav epub:type=\"landmarks\" aria-label=\"Landmarks\">",
    ] {
        assert!(nav.contains(needle), "nav lacks {needle}:\n{nav}");
    }
    let contents = entry(&entries, "contents.xhtml");
    assert!(
        contents.contains("epub:type=\"toc\" role=\"doc-toc\""),
        "{contents}"
    );
    let opener = entry(&entries, "s1-world.xhtml");
    assert!(
        opener.contains("epub:type=\"part\" role=\"doc-part\""),
        "{opener}"
    );
    let css = entry(&entries, "stylesheet.css");
    assert!(css.contains(".section-opener h1 { text-align: center; }"));
    assert!(css.contains(".titlepage .title { font-size: 2em; text-align: center; }"));
    assert!(
        css.contains("max-height: 100vh"),
        "the cover fits the screen"
    );
    // A figure whose caption is its alt text hides the repeat from screen
    // readers.
    let pages: Vec<String> = entries
        .iter()
        .filter(|(n, _)| n.ends_with(".xhtml"))
        .map(|(_, d)| String::from_utf8(d.clone()).unwrap())
        .collect();
    let figure = pages
        .iter()
        .find_map(|p| p.split("<figure>").nth(1))
        .expect("the sample has a figure");
    let alt = figure
        .split("alt=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        figure.contains(&format!(
            "<figcaption aria-hidden=\"true\">{alt}</figcaption>"
        )),
        "{figure}"
    );
    // Spaced dashes are tied to the word before: no line starts with one.
    let mut tied = 0;
    for p in &pages {
        let body = p.split("<body").nth(1).unwrap();
        assert!(
            !body.contains(" –") && !body.contains(" —"),
            "untied dash in:\n{p}"
        );
        tied += body.matches("\u{a0}–").count() + body.matches("\u{a0}—").count();
    }
    assert!(tied >= 10, "only {tied} tied dashes");
    // Code: one block per line (wrapped lines hang indented), set apart.
    let book = build_epub(&fixture("pdf-features"), "epub-a11y-code");
    let page = unzip(&book)
        .into_iter()
        .map(|(_, d)| String::from_utf8_lossy(&d).into_owned())
        .find(|p| p.contains("<pre"))
        .expect("the fixture has code");
    let pre = page.split("<pre class=\"code\">").nth(1).unwrap();
    let pre = pre.split("</pre>").next().unwrap();
    assert_eq!(pre.matches("<span class=\"line\"").count(), 4, "{pre}");
    assert!(
        pre.contains("<span class=\"line\" style=\"padding-left: 6ch; text-indent: -6ch\">    println!(\"{greeting}\");\n</span>"),
        "{pre}"
    );
    assert!(css.contains("pre .line { display: block; }"));
    assert!(css.contains("border-left: 3px solid #888"));
}
