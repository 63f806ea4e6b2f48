//! One invariant: if a build succeeds, the EPUB passes EPUBCheck with no
//! error or warning and the PDF passes qpdf, whatever the articles hold.
//! What cannot be represented validly is a warning naming the file and
//! line, and its text stays. Each test is named after a defect it pins.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Builds `dir` (EPUB and PDF), asserting success; returns (epub, pdf, stderr).
fn build_both(dir: &Path, name: &str, extra: &[&str]) -> (PathBuf, PathBuf, String) {
    let out = scratch(&format!("{name}-out"));
    let mut args = vec![
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    // The bundled fonts only, so that what the invariants see does not
    // depend on the fonts installed on the machine (the scripts tests
    // cover fonts from the system).
    args.push("--no-system-fonts");
    let o = pressbook(&args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "build failed:\n{err}");
    (file_in(&out, "epub"), file_in(&out, "pdf"), err)
}

/// EPUBCheck and Ace clean, qpdf clean, PDF/A kept where claimed.
fn assert_valid(epub: &Path, pdf: &Path) {
    assert_epub_valid(epub);
    assert_qpdf_clean(pdf);
    assert_claims_kept(pdf);
}

/// All text of the EPUB's article pages.
fn epub_text(epub: &Path) -> String {
    unzip(epub)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .map(|(_, data)| xhtml_text(&String::from_utf8_lossy(&data)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn one_article(name: &str, body: &str) -> PathBuf {
    let text = format!("---\ntitle: Links of every kind\n---\n{body}");
    write_digest(
        name,
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\ndate = \"2026-01-05\"\narticles = [\"articles/a.md\", \"articles/b.md\"]\n",
            ),
            ("articles/a.md", text.as_bytes()),
            (
                "articles/b.md",
                b"---\ntitle: The other one\n---\n## Known part\n\nText of b.\n",
            ),
        ],
    )
}

/// What Ace found when it first ran on the generated digests: a title and
/// headings of nothing but a byte-order mark or a line break (empty
/// headings, an empty <title>, an empty contents link), alt text of one
/// space, a link with no text, heading levels that skip (h2 → h6), and a
/// wide table that scrolls but could not be reached by keyboard.
#[test]
fn invisible_titles_headings_alt_and_link_text_stay_accessible() {
    let png = std::fs::read(fixture("pdf-features/articles/images/photo.png")).unwrap();
    let cols = "| a | b | c | d | e | f | g | h | i | j | k | l |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    let row = "| Intercontinentalisation | b | c | d | e | f | g | h | i | j | k | l |\n";
    let text = format!(
        "---\ntitle: \"\u{feff}\"\n---\n## Part one\n\nFirst.\n\n###### Deep\n\nSecond.\n\n\
         ### \u{feff}\n\n##### <br>\n\n![ \u{200b}](photo.png)\n\nSee [](#part-one) and [\u{feff}](https://example.org/x).\n\n{cols}{row}"
    );
    let dir = write_digest(
        "inv-invisible",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\ndate = \"2026-01-05\"\narticles = [\"articles/blank-title.md\"]\n",
            ),
            ("articles/blank-title.md", text.as_bytes()),
            ("articles/photo.png", &png),
        ],
    );
    let (epub, pdf, err) = build_both(&dir, "inv-invisible", &[]);
    assert_valid(&epub, &pdf);
    assert_no_overprint(&pdf);
    assert!(
        err.contains("no title"),
        "the file name gives the title:\n{err}"
    );
    assert!(
        err.contains("link to #part-one has no text") && err.contains("blank-title.md:18"),
        "{err}"
    );
    let page = unzip(&epub)
        .into_iter()
        .find(|(n, _)| n.ends_with("blank-title.xhtml"))
        .map(|(_, d)| String::from_utf8(d).unwrap())
        .expect("the article page");
    assert!(
        page.contains("<h1 class=\"headline\">Blank title</h1>"),
        "{page}"
    );
    assert!(page.contains(">#part-one</a>"), "{page}");
    assert!(page.contains(">https://example.org/x</a>"), "{page}");
    assert!(
        !page.contains("<h7") && page.contains("<h3 id=\"deep\">"),
        "{page}"
    );
    assert!(page.contains("alt=\"\""), "{page}");
    assert!(
        page.contains("class=\"table-wrap\" tabindex=\"0\""),
        "{page}"
    );
}

#[test]
fn data_file_and_javascript_links_become_text_with_a_warning() {
    let dir = one_article(
        "inv-schemes",
        "A [pixel](data:text/html;base64,PGgxPg==) here.\n\n\
         A [local file](file:///etc/hosts) there.\n\n\
         A [script](javascript:alert(1)) and [basic](vbscript:msgbox) too.\n\n\
         A [web page](<https://example.org/a page>) and [mail](mailto:desk@example.org).\n",
    );
    let (epub, pdf, err) = build_both(&dir, "inv-schemes", &[]);
    assert_valid(&epub, &pdf);
    for (word, line) in [
        ("data:", 4),
        ("file:", 6),
        ("javascript:", 8),
        ("vbscript:", 8),
    ] {
        assert!(
            err.contains(word) && err.contains(&format!("a.md:{line}")),
            "no warning naming {word} at line {line}:\n{err}"
        );
    }
    let text = epub_text(&epub);
    for kept in ["pixel", "local file", "script", "basic", "web page", "mail"] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
    let pages: String = unzip(&epub)
        .into_iter()
        .map(|(_, d)| String::from_utf8_lossy(&d).into_owned())
        .collect();
    assert!(!pages.contains("javascript:") && !pages.contains("data:text"));
    assert!(pages.contains("https://example.org/a%20page"));
}

#[test]
fn links_to_missing_anchors_go_to_the_article_start_with_a_warning() {
    let dir = one_article(
        "inv-anchors",
        "See [nowhere](#nowhere), [b's part](b.md#known-part) and [b's ghost](b.md#ghost).\n",
    );
    let (epub, pdf, err) = build_both(&dir, "inv-anchors", &[]);
    assert_valid(&epub, &pdf);
    assert!(err.contains("#nowhere") && err.contains("a.md:4"), "{err}");
    assert!(err.contains("#ghost"), "{err}");
    assert!(!err.contains("#known-part"), "a good anchor warned:\n{err}");
}

#[test]
fn control_character_in_a_heading_is_removed_and_the_book_is_xml() {
    let dir = write_digest(
        "inv-bell",
        &[
            (
                "pressbook.toml",
                b"title = \"Bell\\u0007 digest\"\ndate = \"2026-01-05\"\n",
            ),
            (
                "articles/a.md",
                b"---\ntitle: \"Ring\\a the bell\"\n---\n## Part\x07 one\n\nText\x1b with &#7; escapes.\n",
            ),
            ("articles/b.txt", b"Plain\x0c text.\n\n(c) Wire 2026: Plain news\n"),
        ],
    );
    let (epub, pdf, err) = build_both(&dir, "inv-bell", &[]);
    assert_valid(&epub, &pdf);
    assert!(err.contains("U+0007") && err.contains("a.md:4"), "{err}");
    assert!(err.contains("U+000C") && err.contains("b.txt:1"), "{err}");
    for (name, data) in unzip(&epub) {
        let text = String::from_utf8_lossy(&data);
        if name.ends_with(".ncx") || name.ends_with(".xhtml") || name.ends_with(".opf") {
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() && !"\n\r\t".contains(c)),
                "{name} holds a control character"
            );
        }
    }
    assert!(epub_text(&epub).contains("Part one"));
}

#[test]
fn images_outside_the_digest_folder_are_refused() {
    let secret = scratch("inv-outside-secret").join("secret.png");
    std::fs::copy(fixture("pdf-features/articles/images/photo.png"), &secret).unwrap();
    let abs = format!("![abs]({})\n", secret.display());
    for (name, body) in [
        ("inv-outside-abs", abs.as_str()),
        (
            "inv-outside-up",
            "![up](../../inv-outside-secret/secret.png)\n",
        ),
    ] {
        let dir = write_digest(
            name,
            &[
                ("pressbook.toml", b"title = \"T\"\ndate = \"2026-01-05\"\n"),
                (
                    "articles/a.md",
                    format!("---\ntitle: A\n---\nText.\n\n{body}").as_bytes(),
                ),
            ],
        );
        let o = pressbook(&["check", dir.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: accepted\n{err}");
        assert!(
            err.contains("outside the digest folder") && err.contains("--allow-outside"),
            "{name}:\n{err}"
        );
        let o = pressbook(&["check", dir.to_str().unwrap(), "--allow-outside"]);
        assert!(o.status.success(), "{name}: --allow-outside still refuses");
    }
}

#[test]
fn symlinks_out_of_the_folder_are_refused() {
    let outside = scratch("inv-link-target");
    std::fs::write(outside.join("x.md"), "---\ntitle: X\n---\nOutside.\n").unwrap();
    std::fs::copy(
        fixture("pdf-features/articles/images/photo.png"),
        outside.join("p.png"),
    )
    .unwrap();
    std::fs::copy(repo().join("fonts/sans-regular.ttf"), outside.join("f.ttf")).unwrap();
    let dir = write_digest(
        "inv-links",
        &[
            ("pressbook.toml", b"title = \"T\"\ndate = \"2026-01-05\"\n"),
            (
                "articles/a.md",
                b"---\ntitle: A\n---\nText.\n\n![pic](p.png)\n",
            ),
        ],
    );
    std::os::unix::fs::symlink(outside.join("x.md"), dir.join("articles/x.md")).unwrap();
    std::os::unix::fs::symlink(outside.join("p.png"), dir.join("articles/p.png")).unwrap();
    std::fs::create_dir_all(dir.join("fonts")).unwrap();
    std::os::unix::fs::symlink(outside.join("f.ttf"), dir.join("fonts/f.ttf")).unwrap();
    let o = pressbook(&["check", dir.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for what in ["articles/x.md", "p.png", "f.ttf"] {
        assert!(err.contains(what), "nothing about {what}:\n{err}");
    }
    assert_eq!(err.matches("outside the digest folder").count(), 3, "{err}");
    let o = pressbook(&["check", dir.to_str().unwrap(), "--allow-outside"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A Markdown table of `cols` columns and `rows` rows whose cells are `cell(r, c)`.
fn table(cols: usize, rows: usize, cell: impl Fn(usize, usize) -> String) -> String {
    let line = |r: usize| {
        let cells: Vec<String> = (0..cols).map(|c| cell(r, c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut t = line(0);
    t.push_str(&format!("|{}\n", "---|".repeat(cols)));
    for r in 1..=rows {
        t.push_str(&line(r));
    }
    t
}

#[test]
fn tables_wider_than_the_page_never_overprint() {
    let forty = table(40, 6, |r, c| {
        if r == 0 {
            format!("C{c}")
        } else {
            format!("{}", r * 100 + c)
        }
    });
    let long_words = table(8, 4, |r, c| {
        if r == 0 {
            format!("Heading{c}")
        } else {
            format!("Intercontinentalisation{c} Unreasonablenesses{r}")
        }
    });
    let code = format!("```\n{}\n```\n", "x".repeat(400));
    let token = format!("A token: {}.\n", "abcdefghij".repeat(40));
    let body = format!("Intro.\n\n{forty}\nBetween.\n\n{long_words}\n{code}\n{token}");
    let dir = write_digest(
        "inv-wide",
        &[
            (
                "pressbook.toml",
                b"title = \"Wide\"\ndate = \"2026-01-05\"\npage_size = \"A5\"\n",
            ),
            (
                "articles/a.md",
                format!("---\ntitle: Wide tables\n---\n{body}").as_bytes(),
            ),
        ],
    );
    let (epub, pdf, err) = build_both(&dir, "inv-wide", &[]);
    assert_valid(&epub, &pdf);
    assert_no_overprint(&pdf);
    assert!(err.contains("40 columns") && err.contains("parts"), "{err}");
    // Every cell's text is still there, in some part of the table.
    let text = String::from_utf8_lossy(
        &std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    for needle in ["C0", "C39", "639", "Heading7"] {
        assert!(text.contains(needle), "{needle} lost");
    }
}

/// A small deterministic random source (SplitMix64), so a failing case is
/// named by its seed and can be rebuilt exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Words of several scripts, odd characters, entities, raw HTML and
/// control characters, as pasted web text holds them.
const WORDS: &[&str] = &[
    "harbour",
    "council",
    "budget",
    "quay",
    "tariff",
    "ministry",
    "élan",
    "Ζεύς",
    "город",
    "العربية",
    "שלום",
    "港口",
    "東京",
    "naïve",
    "co\u{301}te",
    "&amp;",
    "&copy;",
    "&#x2014;",
    "&#7;",
    "<b>bold</b>",
    "<span>x</span>",
    "<br>",
    "a\u{7}b",
    "\u{1b}[0m",
    "\u{feff}",
    "\u{200b}",
    "--",
    "—",
    "\"quoted\"",
    "it's",
    "5 < 6",
    "x > y",
    "a_b_c",
    "*",
    "\\",
    "`tick`",
    "100%",
    "https://example.org/bare",
    "Intercontinentalisation",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
];

const LINKS: &[&str] = &[
    "https://example.org/a",
    "http://example.org/b?c=d&e=f",
    "<https://example.org/with space>",
    "mailto:desk@example.org",
    "javascript:alert(1)",
    "data:text/html;base64,PGI+",
    "file:///etc/hosts",
    "vbscript:x",
    "ftp://example.org/f",
    "https://",
    "http:nohost",
    "#nowhere",
    "#part-one",
    "a1.md",
    "a2.md#nowhere",
    "a0.md#part-one",
    "missing.md",
    "../outside.md",
    "//example.org/proto",
    "",
];

fn words(r: &mut Rng, n: usize) -> String {
    (0..n).map(|_| r.pick(WORDS)).collect::<Vec<_>>().join(" ")
}

fn inline(r: &mut Rng) -> String {
    let k = 3 + r.below(12);
    let mut s = words(r, k);
    match r.below(7) {
        0 => s = format!("*{s}* and **{}**", words(r, 2)),
        1 => {
            let k = 1 + r.below(3);
            let text = words(r, k);
            s = format!("{s} [{text}]({})", r.pick(LINKS))
        }
        2 => s = format!("{s}[^n{}]", r.below(4)),
        3 => s = format!("{s} `{}`", "code_".repeat(1 + r.below(40))),
        4 => s = format!("{s} ![{}](images/p.png)", words(r, 2)),
        5 => {
            s = format!(
                "{s} ![remote](https://example.org/i.png) ![data](data:image/png;base64,iVBOR)"
            )
        }
        _ => {}
    }
    s
}

fn block(r: &mut Rng, depth: usize) -> String {
    match r.below(if depth > 3 { 3 } else { 9 }) {
        0..=2 => format!("{}\n", inline(r)),
        3 => {
            let level = 1 + r.below(6);
            let k = 1 + r.below(5);
            let title = if r.chance(30) {
                "Part one".to_string()
            } else {
                words(r, k)
            };
            format!("{} {title}\n", "#".repeat(level))
        }
        4 => (0..1 + r.below(5))
            .map(|i| {
                let marker = if r.chance(50) {
                    "-".to_string()
                } else {
                    format!("{}.", i + 1)
                };
                let inner = block(r, depth + 1).replace('\n', "\n   ");
                format!("{marker} {inner}\n")
            })
            .collect(),
        5 => format!("> {}\n", block(r, depth + 1).replace('\n', "\n> ")),
        6 => {
            let cols = 1 + r.below(40);
            let long = r.chance(40);
            table(cols, 1 + r.below(5), |row, c| {
                if long && row > 0 {
                    words(&mut Rng((row * 97 + c) as u64), 2 + (c % 5))
                } else {
                    format!("c{c}")
                }
            })
        }
        7 => format!(
            "```\n{}\n{}\n```\n",
            "let x = 1; ".repeat(1 + r.below(30)),
            "y".repeat(r.below(300))
        ),
        _ => format!("[^n{}]: {}\n", r.below(5), inline(r)),
    }
}

/// A digest of `articles` generated articles (Markdown and plain text).
fn generated_digest(seed: u64, articles: usize) -> PathBuf {
    let mut r = Rng(seed);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut listed = Vec::new();
    for i in 0..articles {
        if r.chance(20) {
            let name = format!("articles/t{i}.txt");
            let body = (0..1 + r.below(4))
                .map(|_| words(&mut r, 20))
                .collect::<Vec<_>>()
                .join("\n\n");
            let attribution = if r.chance(80) {
                "\n\n(c) Wire Service 2026: A plain report\n"
            } else {
                "\n"
            };
            files.push((name.clone(), format!("{body}{attribution}").into_bytes()));
            listed.push(name);
            continue;
        }
        let mut body = String::new();
        for _ in 0..2 + r.below(10) {
            body.push_str(&block(&mut r, 0));
            body.push('\n');
        }
        let k = 1 + r.below(6);
        let title = words(&mut r, k).replace('"', "'");
        let md = format!(
            "---\ntitle: \"{}\"\nsource: Generated\n---\n## Part one\n\n{body}",
            title.replace('\\', "")
        );
        let name = format!("articles/a{i}.md");
        files.push((name.clone(), md.into_bytes()));
        listed.push(name);
    }
    let list = listed
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let manifest =
        format!("title = \"Generated {seed}\"\ndate = \"2026-01-05\"\narticles = [{list}]\n");
    files.push(("pressbook.toml".into(), manifest.into_bytes()));
    let png = std::fs::read(fixture("pdf-features/articles/images/photo.png")).unwrap();
    files.push(("articles/images/p.png".into(), png));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, d)| (p.as_str(), d.as_slice()))
        .collect();
    write_digest(&format!("inv-gen-{seed}"), &refs)
}

/// Whole digests from a grammar of what Markdown and pasted web text hold:
/// each builds, and its EPUB passes EPUBCheck and its PDF qpdf with no word
/// overprinted or off the page. `PRESSBOOK_CAMPAIGN=N` runs digests up to
/// N instead of the suite's 20 (a longer campaign by hand), from
/// `PRESSBOOK_CAMPAIGN_FROM` (0 unless set) to go on where one stopped.
#[test]
fn generated_digests_build_valid_books() {
    let var = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (from, n) = (
        var("PRESSBOOK_CAMPAIGN_FROM", 0),
        var("PRESSBOOK_CAMPAIGN", 20),
    );
    // Ace takes about a second a page, and these books are long: the suite
    // runs it on every fourth digest, a campaign on every one.
    let ace_every = if std::env::var_os("PRESSBOOK_CAMPAIGN").is_some() {
        1
    } else {
        4
    };
    for seed in from..n {
        let dir = generated_digest(seed, 20);
        let (epub, pdf, _) = build_both(&dir, &format!("inv-gen-{seed}"), &[]);
        if seed % ace_every == 0 {
            assert_epub_valid(&epub);
        } else {
            assert_epubcheck_clean(&epub);
        }
        assert_qpdf_clean(&pdf);
        assert_no_overprint(&pdf);
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// The faults the generated digests found, kept as fixtures: a control
/// character in YAML front matter (the YAML parser refused the file), and
/// Latin words sharing a span with Hebrew, which came out reversed
/// ("ffirat") and ran into the next table cell; and digest 20 whole
/// (`seed-20/`), where a word of notdef boxes (Arabic, which no bundled
/// face has) was wider than the column its estimated width gave it.
#[test]
fn faults_found_by_the_generated_digests_stay_fixed() {
    let (epub, pdf, _) = build_both(&fixture("invariant-found/seed-20"), "inv-found-20", &[]);
    assert_valid(&epub, &pdf);
    assert_no_overprint(&pdf);

    let (epub, pdf, err) = build_both(&fixture("invariant-found"), "inv-found", &[]);
    assert_valid(&epub, &pdf);
    assert_no_overprint(&pdf);
    assert!(
        err.contains("U+0007") && err.contains("cells.md:2"),
        "{err}"
    );
    let o = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (bash tests/run.sh)");
    let text = String::from_utf8_lossy(&o.stdout);
    for word in ["Intercontinentalisation", "tariff", "harbour", "budget"] {
        assert!(text.contains(word), "{word:?} not in the PDF text:\n{text}");
    }
    assert!(
        !text.contains("ffirat") && !text.contains("ruobrah"),
        "{text}"
    );
}
