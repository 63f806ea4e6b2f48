//! Helpers for end-to-end tests: run the real binary on real folders, and
//! the real validators on what it writes. A missing validator is a failure,
//! never a skip: `tests/run.sh` installs them.
#![allow(dead_code)]

pub mod ace;
pub mod checker;
pub use ace::*;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// A fresh scratch folder under target/, unique per test.
pub fn scratch(name: &str) -> PathBuf {
    let d = repo().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Writes a digest folder from (path, bytes) pairs into a fresh scratch folder.
pub fn write_digest(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = scratch(name);
    for (p, data) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }
    dir
}

/// Runs `pressbook ARGS` with a fixed environment.
pub fn pressbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pressbook"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .output()
        .expect("run pressbook")
}

/// Runs `pressbook build DIR --out OUT --format pdf EXTRA…` (success not
/// asserted: for tests of warnings and refusals).
pub fn pdf_build(dir: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "pdf",
    ];
    args.extend_from_slice(extra);
    pressbook(&args)
}

/// Builds `dir` into `out` with `format`, asserting success, and checks
/// every EPUB written with Ace and every PDF with veraPDF; returns the
/// files written, sorted.
pub fn build(dir: &Path, out: &Path, format: &str) -> Vec<PathBuf> {
    let files = build_unchecked(dir, out, format);
    for book in &files {
        match book.extension().and_then(|e| e.to_str()) {
            Some("epub") => assert_ace_clean(&[book]),
            Some("pdf") => assert_claims_kept(book),
            _ => {}
        }
    }
    files
}

/// [`build`] without Ace: for the corpora of the robustness tests, which
/// check atomic writes, not content (Ace costs about a second a page).
pub fn build_unchecked(dir: &Path, out: &Path, format: &str) -> Vec<PathBuf> {
    let o = pressbook(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert!(
        o.status.success(),
        "build failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The one file with extension `ext` in folder `dir`.
pub fn file_in(dir: &Path, ext: &str) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {dir:?}: {e}"))
        .flatten()
        .map(|e| e.path())
        .collect();
    only_with_ext(&files, ext)
}

pub fn only_with_ext(files: &[PathBuf], ext: &str) -> PathBuf {
    let v: Vec<_> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    assert_eq!(v.len(), 1, "expected one .{ext} in {files:?}");
    v[0].clone()
}

/// Where a validator's report on `book` goes: a folder of its own under
/// target/, never beside the book (tests list the output folder).
pub fn report_path(book: &Path, kind: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = repo().join("target/test-scratch/reports");
    std::fs::create_dir_all(&dir).unwrap();
    let stem = book.file_stem().and_then(|s| s.to_str()).unwrap_or("book");
    dir.join(format!("{n}-{stem}.{kind}"))
}

/// EPUBCheck's verdict: (fatal, errors, warnings, messages).
pub struct EpubCheck {
    pub fatal: u64,
    pub errors: u64,
    pub warnings: u64,
    pub report: String,
}

/// One warm EPUBCheck JVM for the whole test binary
/// (`tests/tools/EpubCheckServer.java`).
fn epubcheck_server() -> std::sync::MutexGuard<'static, checker::Checker> {
    static SERVER: std::sync::OnceLock<std::sync::Mutex<checker::Checker>> =
        std::sync::OnceLock::new();
    checker::Checker::get(&SERVER, "EPUBCheck", || {
        let jar = std::env::var("PRESSBOOK_EPUBCHECK_JAR").expect(
            "PRESSBOOK_EPUBCHECK_JAR is not set: run the suite with `bash tests/run.sh`, which installs EPUBCheck",
        );
        assert!(Path::new(&jar).is_file(), "EPUBCheck jar {jar} is missing");
        let mut cmd = Command::new("java");
        // A small serial heap: the suite runs many tests beside it.
        cmd.args(["-XX:+UseSerialGC", "-Xss8m", "-cp", &jar])
            .arg(repo().join("tests/tools/EpubCheckServer.java"))
            .stderr(std::process::Stdio::null());
        cmd
    })
}

pub fn epubcheck(book: &Path) -> EpubCheck {
    let report = report_path(book, "epubcheck.json");
    let _ = std::fs::remove_file(&report);
    let answer = epubcheck_server().ask(&format!("{}\t{}", book.display(), report.display()));
    assert!(
        answer.starts_with("done"),
        "EPUBCheck could not check {book:?}: {answer}"
    );
    let json = std::fs::read_to_string(&report)
        .unwrap_or_else(|e| panic!("EPUBCheck wrote no report for {book:?} ({e}): {answer}"));
    let count = |key: &str| -> u64 {
        let k = format!("\"{key}\" : ");
        json.find(&k)
            .map(|i| {
                json[i + k.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>()
                    .parse()
                    .unwrap_or(u64::MAX)
            })
            .unwrap_or_else(|| panic!("no {key} in EPUBCheck output:\n{json}"))
    };
    EpubCheck {
        fatal: count("nFatal"),
        errors: count("nError"),
        warnings: count("nWarning"),
        report: json,
    }
}

/// EPUBCheck with no fatal error, error or warning, and Ace with no
/// violation: what every book a build writes must pass.
pub fn assert_epub_valid(book: &Path) {
    assert_epubcheck_clean(book);
    assert_ace_clean(&[book]);
}

/// One warm veraPDF JVM for the whole test binary
/// (`tests/tools/VeraServer.java`).
fn verapdf_server() -> std::sync::MutexGuard<'static, checker::Checker> {
    static SERVER: std::sync::OnceLock<std::sync::Mutex<checker::Checker>> =
        std::sync::OnceLock::new();
    checker::Checker::get(&SERVER, "veraPDF", || {
        let cp = std::env::var("PRESSBOOK_VERAPDF_CP").expect(
            "PRESSBOOK_VERAPDF_CP is not set: run the suite with `bash tests/run.sh`, which installs veraPDF",
        );
        let mut cmd = Command::new("java");
        cmd.args(["-XX:+UseSerialGC", "-cp", &cp])
            .arg(repo().join("tests/tools/VeraServer.java"))
            .stderr(std::process::Stdio::null());
        cmd
    })
}

/// veraPDF's failed rules for `pdf` as `flavour` (`2a`, `ua1`): one line
/// per rule, `CLAUSE-TEST xCOUNT: MESSAGE (at WHERE)`.
pub fn verapdf(pdf: &Path, flavour: &str) -> Vec<String> {
    let report = report_path(pdf, &format!("verapdf-{flavour}.txt"));
    let answer = verapdf_server().ask(&format!(
        "{flavour}\t{}\t{}",
        pdf.display(),
        report.display()
    ));
    assert!(
        answer.starts_with("pass") || answer.starts_with("fail"),
        "veraPDF could not check {pdf:?}: {answer}"
    );
    let text = std::fs::read_to_string(&report)
        .unwrap_or_else(|e| panic!("veraPDF wrote no report for {pdf:?} ({e})"));
    text.lines().map(str::to_string).collect()
}

/// A PDF that claims PDF/A-2a and PDF/UA-1 meets both (veraPDF finds
/// nothing in either), and one that claims neither fails only for the
/// reason it may not: it shows a character no font has (.notdef), and has
/// no claim.
pub fn assert_claims_kept(pdf: &Path) {
    let bytes = std::fs::read(pdf).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let (pdfa, pdfua) = (has(b"pdfaid:part"), has(b"<pdfuaid:part>"));
    assert_eq!(pdfa, pdfua, "{pdf:?} claims one of PDF/A and PDF/UA only");
    for (flavour, excused) in [
        ("2a", &["6.2.11.8-1", "6.6.4-1"][..]),
        ("ua1", &["5-1", "7.21.8-1"][..]),
    ] {
        let failed = verapdf(pdf, flavour);
        if pdfa {
            assert!(
                failed.is_empty(),
                "{pdf:?} claims {flavour} but veraPDF finds:\n{}",
                failed.join("\n")
            );
        } else {
            let rules: Vec<&str> = failed
                .iter()
                .map(|l| l.split(' ').next().unwrap_or(""))
                .collect();
            assert!(
                rules == excused,
                "{pdf:?} makes no {flavour} claim, which only a missing glyph excuses; veraPDF finds:\n{}",
                failed.join("\n")
            );
        }
    }
}

/// Compares `got` with the golden file `path`. A missing golden file is a
/// failure, not a pass; `PRESSBOOK_BLESS=1` writes it (and any that
/// differ) instead.
pub fn check_golden(path: &Path, got: &str) {
    if std::env::var_os("PRESSBOOK_BLESS").is_some() {
        std::fs::write(path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "the golden file {} cannot be read ({e}); run with PRESSBOOK_BLESS=1 to write it",
            path.display()
        )
    });
    assert!(
        got == want,
        "the output differs from the golden file {}; if that is intended, run with PRESSBOOK_BLESS=1\n--- got:\n{got}",
        path.display()
    );
}

/// The PDF's bytes with its object streams unpacked by qpdf (streams kept
/// as they are), so that a test can look for a dictionary entry. qpdf
/// writes the objects in its own spelling: a space after each key, hex
/// strings in lower case (`/Lang (fr)`, `/ActualText <feff…>`).
pub fn pdf_objects(pdf: &Path) -> Vec<u8> {
    let q = Command::new("qpdf")
        .args(["--object-streams=disable", "--stream-data=preserve"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("qpdf must be installed (bash tests/run.sh)");
    assert!(q.status.success(), "{}", String::from_utf8_lossy(&q.stderr));
    q.stdout
}

/// `qpdf --check` passes.
pub fn assert_qpdf_clean(pdf: &Path) {
    let q = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .expect("qpdf must be installed (bash tests/run.sh)");
    assert!(q.status.success(), "{}", String::from_utf8_lossy(&q.stdout));
}

/// EPUBCheck with no fatal error, error or warning.
pub fn assert_epubcheck_clean(book: &Path) {
    let r = epubcheck(book);
    assert_eq!(
        (r.fatal, r.errors, r.warnings),
        (0, 0, 0),
        "EPUBCheck found problems in {book:?}:\n{}",
        r.report
    );
}

/// Every entry of a zip file: (name, bytes), in archive order.
pub fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut v = Vec::new();
            e.read_to_end(&mut v).unwrap();
            (e.name().to_string(), v)
        })
        .collect()
}

/// The text content of an XHTML page: tags dropped, entities decoded,
/// whitespace collapsed.
pub fn xhtml_text(xhtml: &str) -> String {
    const BLOCKS: &[&str] = &[
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "div",
        "br",
        "td",
        "th",
        "blockquote",
        "figcaption",
        "aside",
        "section",
        "header",
        "footer",
        "pre",
        "tr",
    ];
    let body = xhtml.split("<body").nth(1).unwrap_or(xhtml);
    let body = body.split_once('>').map_or(body, |(_, b)| b);
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let tag = &rest[i + 1..end.saturating_sub(1)];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &rest[end..];
        if name == "sup" && !tag.starts_with('/') {
            // Note reference numbers are not part of the source paragraph.
            rest = rest.split_once("</sup>").map_or("", |(_, r)| r);
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push(' ');
        }
    }
    out.push_str(rest);
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    squash(&out)
}

/// Collapses runs of whitespace to one space.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The paragraphs of a source article, read independently of pressbook's
/// own parsers: plain text split at blank lines (attribution line dropped),
/// Markdown through pulldown-cmark with the same options.
pub fn source_paragraphs(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    if path.extension().is_some_and(|e| e == "txt") {
        let mut lines: Vec<&str> = text.trim_end().lines().collect();
        let last = lines.pop().unwrap_or_default();
        assert!(
            ["(c)", "(C)", "©"].iter().any(|p| last.starts_with(p)),
            "{path:?} should end with an attribution line"
        );
        lines
            .join("\n")
            .split("\n\n")
            .map(squash)
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
        let body = match text.strip_prefix("---\n") {
            Some(rest) => rest
                .split_once("\n---\n")
                .map_or(rest, |(_, b)| b)
                .to_string(),
            None => text.clone(),
        };
        let opts = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_SMART_PUNCTUATION;
        let mut paras = Vec::new();
        let mut cur: Option<String> = None;
        for ev in Parser::new_ext(&body, opts) {
            match ev {
                Event::Start(Tag::Paragraph) => cur = Some(String::new()),
                Event::End(TagEnd::Paragraph) => {
                    if let Some(p) = cur.take() {
                        let p = squash(&p);
                        if !p.is_empty() {
                            paras.push(p);
                        }
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(p) = cur.as_mut() {
                        p.push_str(&t)
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(p) = cur.as_mut() {
                        p.push(' ')
                    }
                }
                _ => {}
            }
        }
        paras
    }
}

/// Article files of a digest folder (everything under articles/).
pub fn article_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "txt"))
        .collect();
    v.sort();
    v
}

/// A word as `pdftotext -bbox` places it, in points from the top left.
#[derive(Debug, Clone)]
pub struct PdfWord {
    /// 1-based page number.
    pub page: usize,
    pub page_width: f32,
    pub page_height: f32,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub text: String,
}

/// Every word of `pdf` with its box (poppler's pdftotext, which must be
/// installed: `bash tests/run.sh`).
pub fn pdf_words(pdf: &Path) -> Vec<PdfWord> {
    let o = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (poppler-utils): run bash tests/run.sh");
    assert!(o.status.success(), "pdftotext -bbox failed on {pdf:?}");
    let out = String::from_utf8_lossy(&o.stdout);
    let attr = |rest: &str, k: &str| -> f32 {
        let key = format!("{k}=\"");
        let i = rest.find(&key).unwrap() + key.len();
        rest[i..].split('"').next().unwrap().parse().unwrap()
    };
    let (mut page, mut width, mut height) = (0, 0.0, 0.0);
    let mut v = Vec::new();
    for line in out.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("<page ") {
            page += 1;
            width = attr(rest, "width");
            height = attr(rest, "height");
        }
        if let Some(rest) = line.strip_prefix("<word ") {
            let text = rest
                .split_once('>')
                .map(|(_, w)| w.trim_end_matches("</word>").to_string())
                .unwrap_or_default();
            v.push(PdfWord {
                page,
                page_width: width,
                page_height: height,
                x0: attr(rest, "xMin"),
                y0: attr(rest, "yMin"),
                x1: attr(rest, "xMax"),
                y1: attr(rest, "yMax"),
                text,
            });
        }
    }
    v
}

/// No word off its page, and no two words printed over each other (boxes
/// sharing more than a quarter of the smaller one: neighbours and
/// superscripts touch, overprinted text covers).
pub fn assert_no_overprint(pdf: &Path) {
    let words = pdf_words(pdf);
    let mut problems = Vec::new();
    for w in &words {
        if w.x0 < -0.5 || w.y0 < -0.5 || w.x1 > w.page_width + 0.5 || w.y1 > w.page_height + 0.5 {
            problems.push(format!("{:?} off page {}", w.text, w.page));
        }
    }
    let mut by_page: Vec<&PdfWord> = words.iter().collect();
    by_page.sort_by(|a, b| (a.page, a.x0).partial_cmp(&(b.page, b.x0)).unwrap());
    for (i, a) in by_page.iter().enumerate() {
        for b in &by_page[i + 1..] {
            if b.page != a.page || b.x0 >= a.x1 {
                break;
            }
            let ix = a.x1.min(b.x1) - a.x0.max(b.x0);
            let iy = a.y1.min(b.y1) - a.y0.max(b.y0);
            if ix <= 0.0 || iy <= 0.0 {
                continue;
            }
            let area = |w: &PdfWord| (w.x1 - w.x0) * (w.y1 - w.y0);
            if ix * iy > 0.25 * area(a).min(area(b)) {
                problems.push(format!("{:?} over {:?} on page {}", a.text, b.text, a.page));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} word(s) overprinted or off the page in {pdf:?}, e.g.:\n{}",
        problems.len(),
        problems
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The values of every `name="…"` attribute in `page`, in order.
pub fn attr_values(page: &str, name: &str) -> Vec<String> {
    let key = format!(" {name}=\"");
    page.split(&key)
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

/// Copies a digest folder, leaving out a `dist/` of earlier builds.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != "dist" {
                copy_dir(&e.path(), &target);
            }
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
