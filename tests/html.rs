//! End-to-end: the HTML edition (`build --format html`), checked with the
//! Nu HTML Checker and with axe-core in headless Chromium at a phone's and a
//! desktop's width in light and dark mode, and against the EPUB word for
//! word.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// The node_modules folder with vnu-jar, axe-core and puppeteer-core
/// (`PRESSBOOK_WEB`, as `tests/run.sh` sets it).
fn web_modules() -> PathBuf {
    let dir = std::env::var("PRESSBOOK_WEB").expect(
        "PRESSBOOK_WEB is not set: run the suite with `bash tests/run.sh`, which installs vnu-jar, axe-core and puppeteer-core",
    );
    let dir = PathBuf::from(dir);
    for needed in [
        "vnu-jar/build/dist/vnu.jar",
        "axe-core/axe.min.js",
        "puppeteer-core",
    ] {
        assert!(
            dir.join(needed).exists(),
            "{needed} is missing in {dir:?}: run `bash tests/run.sh`"
        );
    }
    dir
}

/// The Nu HTML Checker's errors on `pages` (empty when valid).
fn vnu_errors(pages: &[&Path]) -> Vec<serde_json::Value> {
    let jar = web_modules().join("vnu-jar/build/dist/vnu.jar");
    let o = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--format", "json"])
        .args(pages)
        .output()
        .expect("run java (the Nu HTML Checker needs a JDK: run `bash tests/run.sh`)");
    // vnu writes its JSON report on stderr.
    let report: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu's report is not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    report["messages"].as_array().cloned().unwrap_or_default()
}

/// One view of a page in Chromium (`tests/tools/web_check.js`).
#[derive(Debug)]
struct View {
    file: String,
    width: u64,
    scheme: String,
    violations: Vec<serde_json::Value>,
    scroll_width: u64,
    client_width: u64,
    measure: Option<u64>,
    background: String,
}

/// Opens each page at 360 and 1280 px, light and dark, and runs axe-core;
/// with `shots`, saves screenshots there.
fn web_check(pages: &[&Path], shots: Option<&Path>) -> Vec<View> {
    let mut cmd = Command::new("node");
    cmd.arg(repo().join("tests/tools/web_check.js"))
        .env("NODE_PATH", web_modules());
    if let Some(dir) = shots {
        cmd.arg("--shots").arg(dir);
    }
    let o = cmd
        .args(pages)
        .output()
        .expect("run node (run `bash tests/run.sh`)");
    assert!(
        o.status.success(),
        "web_check.js failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            View {
                file: v["file"].as_str().unwrap().into(),
                width: v["width"].as_u64().unwrap(),
                scheme: v["scheme"].as_str().unwrap().into(),
                violations: v["violations"].as_array().unwrap().clone(),
                scroll_width: v["scrollWidth"].as_u64().unwrap(),
                client_width: v["clientWidth"].as_u64().unwrap(),
                measure: v["measure"].as_u64(),
                background: v["background"].as_str().unwrap().into(),
            }
        })
        .collect()
}

/// Builds the HTML edition of `dir` into a scratch folder; returns the page.
fn build_html(name: &str, dir: &Path) -> PathBuf {
    let out = scratch(name);
    let files = build_unchecked(dir, &out, "html");
    only_with_ext(&files, "html")
}

const FIXTURES: [(&str, &str); 3] = [
    ("sample", "input"),
    ("mixed-script", "tests/fixtures/scripts"),
    ("styled", "tests/fixtures/house-style"),
];

#[test]
fn html_edition_is_valid_accessible_and_reads_on_phone_and_desktop() {
    let pages: Vec<PathBuf> = FIXTURES
        .iter()
        .map(|(name, dir)| build_html(&format!("html-{name}"), &repo().join(dir)))
        .collect();
    let pages: Vec<&Path> = pages.iter().map(PathBuf::as_path).collect();
    let errors = vnu_errors(&pages);
    assert!(errors.is_empty(), "Nu HTML Checker: {errors:#?}");

    let views = web_check(&pages, Some(&scratch("html-shots")));
    assert_eq!(views.len(), pages.len() * 4, "{views:?}");
    for v in &views {
        let at = format!("{} at {} px, {}", v.file, v.width, v.scheme);
        assert!(
            v.violations.is_empty(),
            "axe-core, {at}: {:#?}",
            v.violations
        );
        assert!(
            v.scroll_width <= v.client_width,
            "{at}: scrolls sideways ({} px of {})",
            v.scroll_width,
            v.client_width
        );
        let measure = v
            .measure
            .unwrap_or_else(|| panic!("{at}: no paragraph measured"));
        if v.width == 1280 {
            assert!(
                (60..=75).contains(&measure),
                "{at}: {measure} characters a line"
            );
        } else {
            assert!(
                (30..=50).contains(&measure),
                "{at}: {measure} characters a line"
            );
        }
    }
    // Dark mode is a dark page, not the light one.
    let light = views.iter().find(|v| v.scheme == "light").unwrap();
    let dark = views.iter().find(|v| v.scheme == "dark").unwrap();
    assert_ne!(light.background, dark.background);
    assert_eq!(dark.background, "rgb(22, 22, 22)");
}

#[test]
fn html_edition_holds_every_word_of_the_epub() {
    for (name, dir) in FIXTURES {
        let dir = repo().join(dir);
        let page = build_html(&format!("html-words-{name}"), &dir);
        let html = std::fs::read_to_string(&page).unwrap();
        let html_text = xhtml_text(&html);
        let epub_out = scratch(&format!("html-words-{name}-epub"));
        let epub = only_with_ext(&build_unchecked(&dir, &epub_out, "epub"), "epub");
        let mut articles = 0;
        for (file, data) in unzip(&epub) {
            if !file.ends_with(".xhtml") {
                continue;
            }
            let text = xhtml_text(std::str::from_utf8(&data).unwrap());
            if file.ends_with("title.xhtml") {
                // The title page is the masthead and colophon: every word.
                for word in text.split(' ') {
                    assert!(
                        html_text.contains(word),
                        "{name}: {word:?} of the title page is missing"
                    );
                }
            } else if file.contains("/a") && file.ends_with(".xhtml") {
                articles += 1;
                assert!(
                    html_text.contains(&text),
                    "{name}: {file}'s text is not in the HTML edition:\n{text}"
                );
            }
        }
        assert!(articles > 0, "{name}: no article pages in the EPUB");
        assert_eq!(html.matches("<h1").count(), 1, "{name}: one h1");
        assert_eq!(html.matches("<main").count(), 1, "{name}: one main");
        assert!(html.contains("href=\"#main\""), "{name}: a skip link");
    }
}

#[test]
fn html_edition_is_reproducible_and_keeps_pictures_in_the_page_or_beside_it() {
    let dir = repo().join("tests/fixtures/house-style");
    let first = std::fs::read(build_html("html-repro-1", &dir)).unwrap();
    let second = std::fs::read(build_html("html-repro-2", &dir)).unwrap();
    assert!(first == second, "two builds differ");
    let page = String::from_utf8(first).unwrap();
    let srcs = attr_values(&page, "src");
    assert!(!srcs.is_empty());
    assert!(
        srcs.iter().all(|s| s.starts_with("data:image/")),
        "{srcs:?}"
    );

    // [html] images = "folder": the pictures beside the page, linked.
    let copy = scratch("html-folder-digest");
    copy_dir(&dir, &copy);
    let manifest = copy.join("pressbook.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}\n[html]\nimages = \"folder\"\n")).unwrap();
    let page_path = build_html("html-folder", &copy);
    let page = std::fs::read_to_string(&page_path).unwrap();
    let srcs = attr_values(&page, "src");
    assert!(!srcs.is_empty());
    for src in &srcs {
        assert!(
            src.starts_with("the-harbour-ledger-2026-11-30_files/"),
            "{src}"
        );
        let file = page_path.parent().unwrap().join(src);
        assert!(file.is_file(), "{src} is not beside the page");
    }
    assert!(vnu_errors(&[&page_path]).is_empty());

    // A wrong value is named, with what to write instead.
    std::fs::write(&manifest, format!("{text}\n[html]\nimages = \"attic\"\n")).unwrap();
    let o = pressbook(&["build", copy.to_str().unwrap(), "-f", "html"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown [html] `images` \"attic\""), "{err}");
    assert!(err.contains("\"folder\""), "{err}");
}

/// Values of attribute `name` in a page, in order.
/// A message the test SMTP server received, read by Python's `email`
/// package (`tests/tools/mail_parts.py`).
fn mail_parts(eml: &Path) -> serde_json::Value {
    let python = std::env::var("PRESSBOOK_PYTHON")
        .expect("PRESSBOOK_PYTHON is not set: run the suite with `bash tests/run.sh`");
    let o = Command::new(python)
        .arg(repo().join("tests/tools/mail_parts.py"))
        .arg(eml)
        .output()
        .expect("run python");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Spaces, no-break spaces and line breaks all as one space.
fn words_of(s: &str) -> String {
    squash(&s.replace(['\u{a0}', '\u{2060}', '\u{202f}'], " "))
}

fn sha256(path: &Path) -> String {
    let o = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8_lossy(&o.stdout)
        .split(' ')
        .next()
        .unwrap()
        .to_string()
}

/// Every headline of the digest at `dir`, from `pressbook list --json`.
fn headlines(dir: &Path) -> Vec<String> {
    let o = pressbook(&["list", dir.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = v
        .as_array()
        .or_else(|| v["articles"].as_array())
        .expect("list --json: an array of articles");
    list.iter()
        .map(|a| a["headline"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn send_html_mails_a_newsletter_with_both_parts_and_the_book() {
    let server = crate::readers::SmtpServer::start("send-html", None);
    let home = scratch("send-html-home");
    let smtp = format!("smtp://127.0.0.1:{}", server.port);

    // A 30-article edition, its EPUB attached.
    let corpus = scratch("send-html-corpus");
    let o = pressbook(&["gen-corpus", corpus.to_str().unwrap(), "--articles", "30"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest = corpus.join("pressbook.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        format!("{text}\n[deliver]\nsubject = \"The corpus, this week\"\nunsubscribe = \"mailto:leave@example.org\"\n"),
    )
    .unwrap();
    let out = scratch("send-html-out");
    let args = [
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--to",
        "staff@example.org",
        "--from",
        "Desk <desk@example.org>",
        "--format",
        "html",
        "--attach",
        "epub",
    ];
    let o = crate::readers::send(&home, Some(&smtp), &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    let m = mail_parts(&msgs[0].1);
    assert_eq!(m["defects"], serde_json::json!([]), "{m:#}");
    let h = &m["headers"];
    assert_eq!(h["Subject"], "The corpus, this week");
    assert_eq!(h["List-Unsubscribe"], "<mailto:leave@example.org>");
    assert!(
        h["Message-ID"].as_str().unwrap().ends_with("@example.org>"),
        "{h}"
    );
    assert!(h["Date"].is_string(), "{h}");
    let tree: Vec<&str> = m["tree"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(tree[0], "multipart/mixed", "{tree:?}");
    assert!(tree.contains(&"multipart/alternative"), "{tree:?}");
    let html = m["html"].as_str().expect("an HTML part");
    let text = m["text"].as_str().expect("a text part");
    let html_bytes = m["html_bytes"].as_u64().unwrap();
    assert!(html_bytes < 102_000, "the HTML part is {html_bytes} bytes");
    // Every look is on its element; <style> holds only the dark colours.
    let style = html
        .split("<style>")
        .nth(1)
        .unwrap()
        .split("</style>")
        .next()
        .unwrap();
    assert!(
        style
            .trim_start()
            .starts_with("@media (prefers-color-scheme: dark)"),
        "{style}"
    );
    assert_eq!(html.matches("<style").count(), 1);
    let body = html.split("<body").nth(1).unwrap();
    for tag in ["<h1", "<h2", "<h3", "<p", "<a "] {
        for el in body.split(tag).skip(1) {
            let open = el.split('>').next().unwrap();
            assert!(
                open.contains("style=\""),
                "{tag}{open}> has no inline style"
            );
        }
    }
    for title in headlines(&corpus) {
        assert!(
            words_of(text).contains(&words_of(&title)),
            "{title:?} is not in the text part"
        );
        assert!(
            html.contains(&title.replace('&', "&amp;"))
                || words_of(html).contains(&words_of(&title)),
            "{title:?} is not in the HTML part"
        );
    }
    assert!(
        text.lines()
            .all(|l| l.chars().count() <= 72 || !l.contains(' ')),
        "text lines over 72:\n{text}"
    );
    // Every cid: the HTML names has its part.
    let cids: Vec<&str> = m["cids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for r in html.split("src=\"cid:").skip(1) {
        let cid = r.split('"').next().unwrap();
        assert!(cids.contains(&cid), "cid:{cid} has no part ({cids:?})");
    }
    // The EPUB arrives byte for byte.
    let epub = out.join(format!("{}.epub", file_stem_of(&out)));
    let att = &m["attachments"].as_array().unwrap();
    assert_eq!(att.len(), 1, "{att:?}");
    assert_eq!(att[0]["name"], epub.file_name().unwrap().to_str().unwrap());
    assert_eq!(att[0]["sha256"].as_str().unwrap(), sha256(&epub));
}

/// The stem of the one `.epub` in `out`.
fn file_stem_of(out: &Path) -> String {
    let epub = file_in(out, "epub");
    epub.file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .trim_end_matches(".epub")
        .to_string()
}

#[test]
fn send_html_shows_pictures_as_inline_parts_or_leaves_them_out() {
    let server = crate::readers::SmtpServer::start("send-html-pictures", None);
    let home = scratch("send-html-pictures-home");
    let smtp = format!("smtp://127.0.0.1:{}", server.port);
    let dir = repo().join("tests/fixtures/house-style");
    let out = scratch("send-html-pictures-out");
    let base = [
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--to",
        "staff@example.org",
        "--from",
        "desk@example.org",
        "--format",
        "html",
    ];
    let o = crate::readers::send(&home, Some(&smtp), &base);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut no_images = base.to_vec();
    no_images.push("--no-images");
    let o = crate::readers::send(&home, Some(&smtp), &no_images);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let msgs = server.messages();
    assert_eq!(msgs.len(), 2);

    let with = mail_parts(&msgs[0].1);
    let tree: Vec<&str> = with["tree"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(
        tree[0], "multipart/alternative",
        "no attachment asked: {tree:?}"
    );
    assert!(tree.contains(&"multipart/related"), "{tree:?}");
    let html = with["html"].as_str().unwrap();
    let cids: Vec<&str> = with["cids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let refs: Vec<&str> = html
        .split("src=\"cid:")
        .skip(1)
        .map(|r| r.split('"').next().unwrap())
        .collect();
    assert!(!refs.is_empty(), "the logo at least is shown");
    for r in &refs {
        assert!(cids.contains(r), "cid:{r} has no part ({cids:?})");
    }
    assert_eq!(
        with["headers"]["Subject"],
        "The Harbour Ledger, 30 November 2026"
    );
    assert!(with["headers"].get("List-Unsubscribe").is_none());
    assert_eq!(with["attachments"], serde_json::json!([]));

    let without = mail_parts(&msgs[1].1);
    let html = without["html"].as_str().unwrap();
    assert!(!html.contains("cid:"), "--no-images");
    assert_eq!(without["cids"], serde_json::json!([]));
    assert!(html.contains("The night shift at the north quay"));

    // --attach belongs to the newsletter.
    let o = crate::readers::send(
        &home,
        Some(&smtp),
        &[
            dir.to_str().unwrap(),
            "--to",
            "a@example.org",
            "--from",
            "b@example.org",
            "--attach",
            "pdf",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("--format html"));
}
