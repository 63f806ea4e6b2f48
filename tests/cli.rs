//! End-to-end tests of the subcommands a newcomer meets, on real folders.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

fn run(args: &[&str]) -> (i32, String, String) {
    let o = pressbook(args);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn init_then_build_writes_the_books() {
    let root = scratch("cli-init");
    let dir = root.join("digest");
    let (code, out, err) = run(&["init", s(&dir)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("pressbook.toml"), "{out}");
    for f in [
        "pressbook.toml",
        "articles/welcome.md",
        "articles/sample-news.txt",
        "articles/images/placeholder.png",
    ] {
        assert!(dir.join(f).is_file(), "init should create {f}");
    }
    let manifest = std::fs::read_to_string(dir.join("pressbook.toml")).unwrap();
    assert!(
        manifest.lines().filter(|l| l.starts_with('#')).count() >= 10,
        "keys are explained"
    );

    let (code, _, err) = run(&["build", s(&dir), "--strict"]);
    assert_eq!(code, 0, "a fresh digest builds without warnings:\n{err}");
    let files: Vec<String> = std::fs::read_dir(dir.join("dist"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(files.iter().any(|f| f.ends_with(".epub")), "{files:?}");
    let book = dir
        .join("dist")
        .join(files.iter().find(|f| f.ends_with(".epub")).unwrap());
    assert_epub_valid(&book);
    let pdf = files
        .iter()
        .find(|f| f.ends_with(".pdf"))
        .unwrap_or_else(|| panic!("init → build writes a PDF too: {files:?}"));
    assert_qpdf_clean(&dir.join("dist").join(pdf));

    // A second init refuses to overwrite.
    let (code, _, err) = run(&["init", s(&dir)]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn new_adds_an_article_to_the_manifest() {
    let dir = scratch("cli-new").join("d");
    assert_eq!(run(&["init", s(&dir)]).0, 0);
    let (code, out, err) = run(&[
        "new",
        s(&dir),
        "Port reopens: a “first” look",
        "--section",
        "Harbour",
    ]);
    assert_eq!(code, 0, "{err}");
    let path = dir.join("articles/port-reopens-a-first-look.md");
    assert!(out.contains("port-reopens-a-first-look.md"), "{out}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"Port reopens: a “first” look\"\n"),
        "{text}"
    );
    assert!(text.contains("\nsection: \"Harbour\"\n"));
    let manifest = std::fs::read_to_string(dir.join("pressbook.toml")).unwrap();
    assert!(manifest.contains("title = \"Harbour\""), "{manifest}");
    assert!(
        manifest.contains("\"articles/port-reopens-a-first-look.md\""),
        "{manifest}"
    );
    assert!(manifest.contains("# pressbook.toml"), "comments are kept");
    // The listing shows it last, in its new section.
    let (code, out, _) = run(&["list", s(&dir), "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let last = v.as_array().unwrap().last().unwrap();
    assert_eq!(last["headline"], "Port reopens: a “first” look");
    assert_eq!(last["section"], "Harbour");
}

#[test]
fn check_reports_every_problem_at_once() {
    let dir = scratch("cli-check");
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    std::fs::write(
        dir.join("pressbook.toml"),
        "title = \"Broken\"\narticles = [\"articles/missing.md\", \"articles/bad.md\", \"articles/ok.txt\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("articles/bad.md"),
        "---\ntitle: [unclosed\n---\nBody\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("articles/ok.txt"),
        "Fine.\n\n(c) Source 2026: Fine\n",
    )
    .unwrap();
    let (code, out, err) = run(&["check", s(&dir)]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("\"articles/missing.md\" does not exist"),
        "{err}"
    );
    assert!(err.contains("pressbook.toml:2"), "{err}");
    assert!(err.contains("front matter is not valid YAML"), "{err}");
    assert!(err.contains("bad.md:2"), "{err}");
    assert!(err.contains("2 error(s)"), "{err}");
    assert!(!err.contains("\x1b["), "no colour when not a terminal");
    assert!(!dir.join("dist").exists(), "check writes nothing");
}

#[test]
fn check_passes_on_the_sample() {
    let (code, out, err) = run(&["check", s(&repo().join("input"))]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ok: 8 articles in 2 sections"), "{out}");
}

#[test]
fn list_follows_the_manifest_order() {
    let (code, out, _) = run(&["list", s(&repo().join("input"))]);
    assert_eq!(code, 0);
    let manifest = std::fs::read_to_string(repo().join("input/pressbook.toml")).unwrap();
    let listed: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"articles/"))
        .map(|l| l.trim_end_matches(['"', ',']))
        .collect();
    assert_eq!(listed.len(), 8);
    let (_, json, _) = run(&["list", s(&repo().join("input")), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"].as_str().unwrap().trim_start_matches("articles/"))
        .collect();
    assert_eq!(files, listed);
    for e in v.as_array().unwrap() {
        assert!(e["words"].as_u64().unwrap() > 300);
        assert!(e["reading_minutes"].as_u64().unwrap() >= 1);
    }
    // The table has a header, one row per article and a total.
    assert!(out.starts_with("SECTION"), "{out}");
    assert_eq!(out.lines().count(), 10, "{out}");
    assert!(out.contains("World") && out.contains("Science & Technology"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = run(&["completions", shell]);
        assert_eq!(code, 0);
        assert!(
            out.contains("pressbook") && out.contains("build"),
            "{shell}: {out}"
        );
    }
    let (code, out, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH pressbook"), "{out}");
    let (code, out, _) = run(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!("pressbook {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn wrong_usage_exits_2() {
    let (code, _, err) = run(&["build", "--format", "docx"]);
    assert_eq!(code, 2);
    // The values come from the registry of outputs.
    for name in ["epub", "kepub", "pdf", "cover", "all"] {
        assert!(err.contains(name), "{name} not offered: {err}");
    }
    assert_eq!(run(&["send", "--to", "a@example.org", "-f", "all"]).0, 2);
    assert_eq!(run(&["frobnicate"]).0, 2);
}

/// `--format cover` writes the EPUB's cover picture on its own.
#[test]
fn format_cover_writes_the_epubs_cover_picture() {
    let out = scratch("cli-cover");
    let (code, _, err) = run(&["build", "input", "--out", s(&out), "-f", "cover", "-q"]);
    assert_eq!(code, 0, "{err}");
    // Hidden: the image step's cache (`.pictures`).
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let png = std::fs::read(&files[0]).unwrap();
    assert!(s(&files[0]).ends_with("frontline-weekly-2026-11-23.cover.png"));
    let img = image::load_from_memory(&png).unwrap();
    assert!(img.height() > img.width(), "a portrait cover");
    let (code, _, err) = run(&["build", "input", "--out", s(&out), "-f", "epub", "-q"]);
    assert_eq!(code, 0, "{err}");
    let epub = file_in(&out, "epub");
    let in_book = unzip(&epub)
        .into_iter()
        .find(|(name, _)| name.ends_with(".png") && name.contains("cover"))
        .expect("the EPUB has a cover picture");
    assert!(
        in_book.1 == png,
        "the cover output differs from the EPUB's cover"
    );
}

#[test]
fn quiet_build_prints_nothing_and_summary_lines_otherwise() {
    let out_dir = scratch("cli-quiet");
    let (code, out, err) = run(&[
        "build",
        s(&fixture("flat")),
        "-o",
        s(&out_dir),
        "-f",
        "epub",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!((out.as_str(), err.as_str()), ("", ""));
    let (_, out, _) = run(&["build", s(&fixture("flat")), "-o", s(&out_dir)]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "one summary line per file:\n{out}");
    assert!(
        lines[0].starts_with("wrote ")
            && lines[0].contains("(EPUB, ")
            && lines[0].contains("3 articles"),
        "{out}"
    );
    assert!(
        lines[1].contains(".pdf (PDF, ") && lines[1].contains(" pages, 3 articles)"),
        "{out}"
    );
}

#[test]
fn watch_rebuilds_on_change() {
    let root = scratch("cli-watch");
    let dir = root.join("d");
    assert_eq!(run(&["init", s(&dir)]).0, 0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pressbook"))
        .args(["build", s(&dir), "--watch", "--format", "epub"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(root.join("watch.log")).unwrap())
        .spawn()
        .unwrap();
    let book = || {
        std::fs::read_dir(dir.join("dist")).ok().and_then(|mut it| {
            it.find_map(|e| {
                e.ok()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "epub"))
            })
        })
    };
    let wait_for = |pred: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !pred() && start.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(100));
        }
        pred()
    };
    assert!(wait_for(&|| book().is_some()), "first build");
    let first = std::fs::read(book().unwrap()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let article = dir.join("articles/sample-news.txt");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        format!("A paragraph added while watching.\n\n{text}"),
    )
    .unwrap();
    let changed = wait_for(&|| {
        book()
            .and_then(|b| std::fs::read(b).ok())
            .is_some_and(|b| b != first)
    });
    child.kill().unwrap();
    let _ = child.wait();
    let log = std::fs::read_to_string(root.join("watch.log")).unwrap_or_default();
    assert!(
        changed,
        "the book was rebuilt after the article changed; log:\n{log}"
    );
}
