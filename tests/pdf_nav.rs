//! End-to-end: the PDF as a navigable briefing. Builds real digests, reads
//! the PDFs back with pypdf (`tests/tools/pdf_facts.py`, an independent
//! reader) and poppler's pdftotext, and checks the contents against the
//! pages articles start on, the outline, links, folios, running heads and
//! metadata. A missing tool fails the test: run `bash tests/run.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use pressbook::model::Digest;
use serde_json::Value;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The facts pypdf reads from `pdf`.
fn facts(pdf: &Path) -> Value {
    let python = std::env::var("PRESSBOOK_PYTHON").unwrap_or_else(|_| {
        panic!("PRESSBOOK_PYTHON is not set: run the suite with `bash tests/run.sh`, which installs pypdf")
    });
    let script = repo().join("tests/tools/pdf_facts.py");
    let o = Command::new(&python)
        .args([s(&script), s(pdf)])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    assert!(
        o.status.success(),
        "pdf_facts.py failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("pdf_facts.py prints JSON")
}

/// Text of a rectangle of one page (1-based), in points from the top left.
fn text_in(pdf: &Path, page: usize, x: f64, y: f64, w: f64, h: f64) -> String {
    let n = page.to_string();
    let args = [
        "-f",
        &n,
        "-l",
        &n,
        "-x",
        &format!("{}", x.floor()),
        "-y",
        &format!("{}", y.floor()),
        "-W",
        &format!("{}", w.ceil() + 1.0),
        "-H",
        &format!("{}", h.ceil() + 1.0),
        s(pdf),
        "-",
    ];
    let o = Command::new("pdftotext")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext is not installed ({e}): run the suite with `bash tests/run.sh`")
        });
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// An article id as the PDF names its destination: bytes outside plain
/// ASCII percent-encoded.
fn dest(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_./".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn digest(dir: &Path) -> Digest {
    pressbook::check(dir, &pressbook::LoadOptions::default(), false)
        .unwrap_or_else(|e| panic!("{dir:?} does not load: {e:?}"))
        .0
        .digest
}

fn build_pdf(dir: &Path, name: &str) -> PathBuf {
    only_with_ext(&build(dir, &scratch(name), "pdf"), "pdf")
}

/// Builds `dir`, checks its contents against the pages and its outline
/// against the digest, and returns what it read for further checks.
fn build_and_check_navigation(dir: &Path, name: &str) -> (PathBuf, Value, Digest) {
    let pdf = build_pdf(dir, name);
    let digest = digest(dir);
    let facts = facts(&pdf);
    check_contents(&pdf, &facts, &digest);
    check_outline(&facts, &digest);
    (pdf, facts, digest)
}

/// Every contents entry links to its article, and the number printed in
/// it is the label of the page the article's destination is on.
fn check_contents(pdf: &Path, facts: &Value, digest: &Digest) {
    let pages = facts["pages"].as_array().unwrap();
    let named = facts["named"].as_object().unwrap();
    let mut seen = Vec::new();
    for (i, page) in pages.iter().enumerate().skip(1) {
        if !page["label"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| "ivxlc".contains(c))
        {
            break; // the body begins
        }
        let height = page["height"].as_f64().unwrap();
        for link in page["links"].as_array().unwrap() {
            let Some(dest) = link["dest"].as_str() else {
                continue;
            };
            let target = named.get(dest).and_then(Value::as_u64).unwrap_or_else(|| {
                panic!("contents entry jumps to {dest:?}, which is not a destination")
            });
            let r: Vec<f64> = link["rect"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            // The number column at the right of the entry.
            let text = text_in(pdf, i + 1, r[2] - 28.0, height - r[3], 28.0, r[3] - r[1]);
            let printed = text
                .split_whitespace()
                .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
                .find(|_| true)
                .unwrap_or_else(|| panic!("no page number in the entry for {dest}: {text:?}"));
            let label = pages[target as usize]["label"].as_str().unwrap();
            assert_eq!(
                printed, label,
                "contents says {dest} is on page {printed}, but it starts on the page labelled {label}"
            );
            seen.push(dest.to_string());
        }
    }
    for a in digest.articles() {
        assert!(
            seen.contains(&dest(&a.id)),
            "no contents entry for {}",
            a.id
        );
    }
}

/// Section → article nesting in the outline, every one of them present.
fn check_outline(facts: &Value, digest: &Digest) {
    let top = facts["outline"].as_array().unwrap();
    let titles = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_string())
            .collect()
    };
    let top_titles = titles(&facts["outline"]);
    for section in &digest.sections {
        let articles: Vec<String> = match &section.title {
            Some(t) => {
                let node = top
                    .iter()
                    .find(|n| n["title"] == t.as_str())
                    .unwrap_or_else(|| panic!("no bookmark for section {t}: {top_titles:?}"));
                titles(&node["children"])
            }
            None => top_titles.clone(),
        };
        for a in &section.articles {
            assert!(
                articles.contains(&a.meta.title),
                "no bookmark for {} under its section: {articles:?}",
                a.meta.title
            );
        }
    }
    // Every bookmark leads to a page.
    fn all_have_pages(nodes: &[Value]) {
        for n in nodes {
            assert!(n["page"].is_u64(), "bookmark without a page: {n}");
            all_have_pages(n["children"].as_array().unwrap());
        }
    }
    all_have_pages(top);
}

#[test]
fn sample_digest_contents_outline_links_and_folios() {
    let (pdf, facts, digest) = build_and_check_navigation(&repo().join("input"), "nav-sample");

    // Headings inside articles are nested under their article.
    let world = &facts["outline"].as_array().unwrap()[1];
    let harbour = &world["children"][0];
    let heads: Vec<&str> = harbour["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert_eq!(heads, ["What was rebuilt", "A smaller fleet"]);

    // Source URLs and links in the text are link annotations with no
    // visible border; footnote references jump to their notes.
    let pages = facts["pages"].as_array().unwrap();
    let links: Vec<&Value> = pages
        .iter()
        .flat_map(|p| p["links"].as_array().unwrap())
        .collect();
    let uris: Vec<&str> = links.iter().filter_map(|l| l["uri"].as_str()).collect();
    for a in digest.articles() {
        if let Some(url) = &a.meta.url {
            assert!(uris.contains(&url.as_str()), "no link to {url}");
        }
    }
    for l in &links {
        let border = l["border"].as_array().unwrap();
        assert!(
            border.len() == 3 && border[2].as_f64() == Some(0.0),
            "a link draws a border: {l}"
        );
    }
    let named = facts["named"].as_object().unwrap();
    let note = links
        .iter()
        .find_map(|l| l["dest"].as_str().filter(|d| d.contains("/fn")))
        .expect("a footnote reference links to its note");
    assert!(named.contains_key(note), "{note} is not a destination");
    for a in digest.articles() {
        assert!(
            named.contains_key(&dest(&a.id)),
            "no named destination for {}",
            a.id
        );
    }

    // Page labels: the cover and contents in roman numerals, the body from 1.
    let labels: Vec<&str> = pages.iter().map(|p| p["label"].as_str().unwrap()).collect();
    assert_eq!(&labels[..3], ["i", "ii", "1"]);
    assert_eq!(
        labels.last().copied(),
        Some((pages.len() - 2).to_string().as_str())
    );

    // Folios: every page after the cover prints its label at the foot;
    // running heads on body pages that do not open an article.
    let mut heads_seen = 0;
    for (i, p) in pages.iter().enumerate() {
        let (w, h) = (p["width"].as_f64().unwrap(), p["height"].as_f64().unwrap());
        let foot = text_in(&pdf, i + 1, 0.0, h - 60.0, w, 60.0);
        let head = text_in(&pdf, i + 1, 0.0, 0.0, w, 60.0);
        if i == 0 {
            assert!(foot.trim().is_empty(), "the cover has a folio: {foot:?}");
            continue;
        }
        assert_eq!(foot.trim(), labels[i], "folio of page {}", i + 1);
        if !head.trim().is_empty() {
            assert!(head.contains("FRONTLINE WEEKLY"), "running head: {head:?}");
            heads_seen += 1;
        }
    }
    assert!(
        heads_seen >= 3,
        "only {heads_seen} pages have running heads"
    );
    // No running head on article openings: every named article destination
    // is on a page whose head area is empty.
    for a in digest.articles() {
        let page = named[&dest(&a.id)].as_u64().unwrap() as usize;
        let w = pages[page]["width"].as_f64().unwrap();
        let head = text_in(&pdf, page + 1, 0.0, 0.0, w, 60.0);
        assert!(
            head.trim().is_empty(),
            "running head on the opening of {}",
            a.id
        );
    }

    // The cover: title, issue date and week, and each section's lead.
    let w = pages[0]["width"].as_f64().unwrap();
    let h = pages[0]["height"].as_f64().unwrap();
    let cover = squash(&text_in(&pdf, 1, 0.0, 0.0, w, h));
    for want in [
        "Frontline Weekly",
        "Monday 23 November 2026",
        "Week 48, 2026",
        "Frontline Press".to_uppercase().as_str(),
        "Velmar’s harbour reopens",
        "A season on the Hallor ice cap",
    ] {
        assert!(
            cover.contains(&squash(want)),
            "cover lacks {want:?}: {cover}"
        );
    }

    // The Sources page lists every article's source.
    let last = pages.len();
    let sources = squash(&text_in(&pdf, last, 0.0, 0.0, w, h));
    assert!(sources.contains("Sources"), "{sources}");
    for a in digest.articles() {
        if let Some(src) = &a.meta.source {
            assert!(sources.contains(&squash(src)), "Sources page lacks {src}");
        }
    }
}

#[test]
fn metadata_and_xmp_come_from_the_manifest() {
    let dir = repo().join("input");
    let pdf = build_pdf(&dir, "nav-meta");
    let facts = facts(&pdf);
    let info = &facts["info"];
    assert_eq!(info["/Title"], "Frontline Weekly");
    assert_eq!(info["/Author"], "Ines Varga");
    assert!(info["/Subject"]
        .as_str()
        .unwrap()
        .starts_with("Eight pieces"));
    assert_eq!(info["/Keywords"], "World, Science & Technology");
    assert_eq!(info["/Creator"], "pressbook");
    assert_eq!(
        info["/Producer"],
        format!("pressbook {}", env!("CARGO_PKG_VERSION"))
    );
    assert!(info["/CreationDate"]
        .as_str()
        .unwrap()
        .starts_with("D:20261123"));
    assert!(info["/ModDate"].as_str().unwrap().starts_with("D:20261123"));
    assert_eq!(facts["lang"], "en-GB");
    let xmp = facts["xmp"].as_str().unwrap();
    for want in [
        "Frontline Weekly",
        "Ines Varga",
        "2026-11-23T00:00:00Z",
        "World",
        "<rdf:li>en-GB</rdf:li>",
        "application/pdf",
    ] {
        assert!(xmp.contains(want), "XMP lacks {want}:\n{xmp}");
    }
}

#[test]
fn source_date_epoch_sets_the_pdf_dates() {
    let dir = repo().join("input");
    let out = scratch("nav-epoch");
    let o = Command::new(env!("CARGO_BIN_EXE_pressbook"))
        .args(["build", s(&dir), "--out", s(&out), "--format", "pdf", "-q"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = file_in(&out, "pdf");
    let facts = facts(&pdf);
    assert!(facts["info"]["/ModDate"]
        .as_str()
        .unwrap()
        .starts_with("D:20231114"));
}

#[test]
fn contents_longer_than_a_page_keeps_its_numbers_right() {
    // Sixty articles in A5: the contents runs over several pages, which
    // must not shift the numbers it prints.
    let dir = scratch("nav-long-corpus");
    pressbook::corpus::generate(&dir, 60).unwrap();
    let manifest = dir.join("pressbook.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("page_size = \"A5\"\n{text}")).unwrap();
    let (_, facts, _) = build_and_check_navigation(&dir, "nav-long");
    let labels: Vec<&str> = facts["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert!(
        labels
            .iter()
            .filter(|l| l.starts_with('i') || l.starts_with('v'))
            .count()
            >= 3,
        "the contents should take at least two pages here: {labels:?}"
    );
}

#[test]
fn flat_digest_without_sections_has_articles_at_the_top_of_the_outline() {
    let (_, facts, _) = build_and_check_navigation(&fixture("flat"), "nav-flat");
    // A Markdown link to another article's file jumps to that article.
    let target = dest("a01-council-meets-decides-nothing");
    let in_body = facts["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["label"].as_str().unwrap().parse::<u32>().is_ok())
        .flat_map(|p| p["links"].as_array().unwrap())
        .any(|l| l["dest"] == target.as_str());
    assert!(in_body, "no link in the body jumps to {target}");
}

#[test]
fn compact_layout_keeps_every_article_in_contents_and_outline() {
    // In compact layout an article opens after a rule; when that rule falls
    // at the top of a page it is not drawn, but the article's destination
    // and bookmark must survive.
    build_and_check_navigation(&fixture("pdf-features"), "nav-compact");
}
