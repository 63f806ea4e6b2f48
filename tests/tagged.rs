//! The tagged PDF: its structure tree, read back with poppler's
//! `pdfinfo -struct-text` as a screen reader would walk it, against a golden
//! file for a fixture with every kind of block; and the conformance claims
//! (PDF/UA-1, PDF/A-2a), which `common::build` has veraPDF check on every
//! PDF the suite writes.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// `pdfinfo -struct-text PDF`: the structure tree with each element's text.
fn struct_text(pdf: &Path) -> String {
    let o = Command::new("pdfinfo")
        .arg("-struct-text")
        .arg(pdf)
        .output()
        .expect("pdfinfo must be installed (poppler-utils): run bash tests/run.sh");
    assert!(o.status.success(), "pdfinfo -struct-text failed on {pdf:?}");
    String::from_utf8(o.stdout).expect("pdfinfo prints UTF-8")
}

/// The element names of `tree` (one per line of `pdfinfo -struct-text`),
/// in order.
fn elements(tree: &str) -> Vec<&str> {
    tree.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('"') && !l.starts_with('/') && !l.starts_with("Object"))
        .filter_map(|l| l.split([' ', ':']).next())
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn structure_tree_of_every_block_kind() {
    let dir = fixture("structure");
    let out = scratch("tagged-structure");
    // `build` has veraPDF check PDF/UA-1 and PDF/A-2a.
    let pdf = only_with_ext(&build(&dir, &out, "pdf"), "pdf");
    let bytes = pdf_objects(&pdf);
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(has("<pdfuaid:part>1</pdfuaid:part>"), "no PDF/UA claim");
    assert!(
        has("<pdfaid:conformance>A</pdfaid:conformance>"),
        "no PDF/A-2a claim"
    );
    let tree = struct_text(&pdf);
    check_golden(&dir.join("expected-structure.txt"), &tree);

    // As a screen reader hears it: every block kind is there, in reading
    // order, headings never skip a level, and no furniture is in it.
    let names = elements(&tree);
    for kind in [
        "Document",
        "Sect",
        "Art",
        "H1",
        "H2",
        "H3",
        "P",
        "BlockQuote",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "THead",
        "TBody",
        "TR",
        "TH",
        "TD",
        "Figure",
        "Caption",
        "Link",
        "Note",
        "Code",
        "TOC",
        "TOCI",
    ] {
        assert!(names.contains(&kind), "no {kind} in the tree:\n{tree}");
    }
    let mut level = 0;
    for n in &names {
        if let Some(l) = n.strip_prefix('H').and_then(|l| l.parse::<u32>().ok()) {
            assert!(l <= level + 1, "H{l} after H{level}:\n{tree}");
            level = l;
        }
    }
    let order = [
        "\"Every block the layout sets\"",
        "\"A first heading\"",
        "\"A heading two levels down\"",
        "\"The first numbered item.\"",
        "\"Velmar\"",
        "\"The last paragraph, after a rule.\"",
        "\"The first note, which the reference above links to.\"",
        "\"Un article dans une autre langue\"",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|t| {
            tree.find(t)
                .unwrap_or_else(|| panic!("{t} not in the tree:\n{tree}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "out of reading order: {at:?}"
    );
    // A paragraph over several lines is one element with a space at each
    // line's end, so no two words run together.
    assert!(tree.contains(
        "\"A paragraph under the first heading, long enough to run over more than one line of the A5 page so that its lines are joined into one element in the structure tree, with no word lost between them.\""
    ));
    // A word hyphenated at a line's end comes back whole: the added
    // hyphen is an artifact ("Harbour" is split in its narrow column).
    assert!(
        element_texts(&tree).contains(&(2, "Harbour".to_string())),
        "{tree}"
    );
    // Running heads and folios are artifacts: the digest's title in
    // capitals is the label of the contents only (the running head repeats
    // it on body pages), and no folio is in the tree (the notes are 1 and
    // 2, the folios ii, 1, 2, 3).
    let label = tree
        .lines()
        .filter(|l| l.trim() == "\"GOLDEN STRUCTURE\"")
        .count();
    assert_eq!(label, 1, "{tree}");
    assert!(!tree
        .lines()
        .any(|l| l.trim() == "\"3\"" || l.trim() == "\"ii\""));
    // The image's description, the French article's language, each link's
    // description for its annotation.
    assert!(has("/Alt (A small square photograph in warm colours)"));
    assert!(has("/Lang (fr)"));
    assert!(has("/Contents (link to an example)"));
    assert!(has("/Tabs /S"));
    // Left-to-right text needs no /ActualText (dates are isolated with
    // bidi controls, which do not make a text right to left).
    assert!(!has("/ActualText"));
}

/// A character no font has is drawn as .notdef, which PDF/A and PDF/UA
/// both forbid: the build warns (`--strict` refuses) and claims neither,
/// and the rest of the structure is still written (veraPDF, in `build`,
/// finds no other fault).
#[test]
fn a_missing_glyph_drops_the_claims() {
    let dir = write_digest(
        "tagged-notdef",
        &[
            (
                "pressbook.toml",
                b"title = \"Missing glyph\"\nlanguage = \"en\"\ndate = \"2026-05-04\"\n\
                  articles = [\"a.md\"]\n[fonts]\nsystem = false\n",
            ),
            (
                "a.md",
                "---\ntitle: A rare letter\n---\n\nThe letter \u{16A0} is a rune no bundled face has.\n"
                    .as_bytes(),
            ),
        ],
    );
    let out = scratch("tagged-notdef-out");
    let o = pdf_build(&dir, &out, &[]);
    let warned = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success()
            && warned.contains("A rare letter")
            && warned.contains("claims neither PDF/A nor PDF/UA"),
        "the build does not say why the file makes no claim:\n{warned}"
    );
    let pdf = file_in(&out, "pdf");
    assert_claims_kept(&pdf);
    let bytes = pdf_objects(&pdf);
    assert!(!bytes.windows(11).any(|w| w == b"pdfaid:part"));
    assert!(bytes.windows(14).any(|w| w == b"StructTreeRoot"));
    let strict = pdf_build(&dir, &scratch("tagged-notdef-strict"), &["--strict"]);
    assert!(
        !strict.status.success(),
        "--strict built a PDF with a missing glyph"
    );
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(
        err.contains("A rare letter"),
        "the refusal does not name the article:\n{err}"
    );
}

/// A digest of `body` in one article, with `extra` manifest lines and the
/// bundled faces only.
fn one_article(name: &str, extra: &str, body: &str, files: &[(&str, &[u8])]) -> std::path::PathBuf {
    let manifest = format!(
        "title = \"Tagged\"\nlanguage = \"en\"\ndate = \"2026-05-04\"\narticles = [\"a.md\"]\n{extra}\n[fonts]\nsystem = false\n"
    );
    let article = format!("---\ntitle: One article\n---\n\n{body}\n");
    let mut all: Vec<(&str, &[u8])> = vec![
        ("pressbook.toml", manifest.as_bytes()),
        ("a.md", article.as_bytes()),
    ];
    all.extend_from_slice(files);
    write_digest(name, &all)
}

/// A paragraph that runs over a page break, and in two columns over a
/// column break, is one element holding all its words, in order.
#[test]
fn text_across_pages_and_columns_stays_one_element() {
    // Short words: nothing is hyphenated, so the text comes back as written.
    let words = [
        "the", "tide", "ran", "out", "past", "each", "pier", "and", "mast",
    ];
    let para: Vec<&str> = (0..2500)
        .map(|i| words[(i * 7 + i / 9) % words.len()])
        .collect();
    let para = para.join(" ");
    for (name, extra) in [
        ("tagged-pages", "page_size = \"A5\""),
        ("tagged-columns", "page_size = \"A4\"\n[style]\ncolumns = 2"),
    ] {
        let dir = one_article(
            name,
            extra,
            &format!("{para}.\n\nA short last paragraph."),
            &[],
        );
        let out = scratch(&format!("{name}-out"));
        let pdf = only_with_ext(&build(&dir, &out, "pdf"), "pdf");
        let tree = struct_text(&pdf);
        // The element's text, one line per page or column it is on.
        let texts = element_texts(&tree);
        let long = texts
            .iter()
            .find(|(_, t)| t.starts_with(&para[..20]))
            .unwrap_or_else(|| panic!("{name}: no element holds the paragraph:\n{tree}"));
        assert_eq!(long.1, format!("{para}."), "{name}: words lost or moved");
        assert!(long.0 >= 2, "{name}: the paragraph did not cross a break");
    }
}

/// Each element's text in `tree`: how many stretches (pages, columns) it
/// is on, and their text joined.
fn element_texts(tree: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for l in tree.lines().map(str::trim) {
        if let Some(t) = l.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            if !open {
                out.push((0, String::new()));
                open = true;
            }
            let last = out.last_mut().unwrap();
            last.0 += 1;
            last.1.push_str(t);
        } else {
            open = false;
        }
    }
    out
}

/// An image without a description is decoration to a screen reader: no
/// `Figure`, a warning naming the image and what to do; the file still
/// meets PDF/UA-1 (checked in `build`).
#[test]
fn an_image_without_description_is_an_artifact() {
    let photo = std::fs::read(fixture("structure").join("articles/images/photo.png")).unwrap();
    let dir = one_article(
        "tagged-no-alt",
        "",
        "Before the image.\n\n![](photo.png)\n\nAfter the image.",
        &[("photo.png", &photo)],
    );
    let out = scratch("tagged-no-alt-out");
    let o = pdf_build(&dir, &out, &[]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("photo.png")
            && err.contains("no description")
            && err.contains("![what the image shows]"),
        "no warning about the image without a description:\n{err}"
    );
    let pdf = file_in(&out, "pdf");
    assert_claims_kept(&pdf);
    let tree = struct_text(&pdf);
    assert!(!tree.contains("Figure"), "{tree}");
    assert!(tree.contains("\"Before the image.\"") && tree.contains("\"After the image.\""));
}
