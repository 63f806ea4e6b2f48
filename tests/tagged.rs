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

/// Compares with a golden file; `PRESSBOOK_BLESS=1` writes it instead. A
/// missing golden file fails.
fn check_golden(path: &Path, got: &str) {
    if std::env::var_os("PRESSBOOK_BLESS").is_some() {
        std::fs::write(path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{} cannot be read ({e}); run with PRESSBOOK_BLESS=1 to write it",
            path.display()
        )
    });
    assert!(
        got == want,
        "the structure tree differs from {}; if that is intended, run with PRESSBOOK_BLESS=1\n--- got:\n{got}",
        path.display()
    );
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
    let bytes = std::fs::read(&pdf).unwrap();
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
    assert!(has("/Alt(A small square photograph in warm colours)"));
    assert!(has("/Lang(fr)"));
    assert!(has("/Contents(link to an example)"));
    assert!(has("/Tabs/S"));
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
    let pdf = only_with_ext(&build(&dir, &out, "pdf"), "pdf");
    let bytes = std::fs::read(&pdf).unwrap();
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
