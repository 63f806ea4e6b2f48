//! Every kind of bad input gets a clear error naming the file, the place and
//! what to do; builds that fail leave good files alone.

use std::path::Path;

use crate::common::write_digest as digest;
use crate::common::*;

const OK_TXT: &[u8] = b"Fine text.\n\n(c) Source 2026: Fine\n";

/// Runs `check` and returns (exit code, stderr).
fn check(dir: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["check", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = pressbook(&args);
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn assert_error(dir: &Path, needles: &[&str]) {
    let (code, err) = check(dir, &[]);
    assert_eq!(code, 1, "expected failure:\n{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
    assert!(
        err.contains("help: "),
        "every error says what to do:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn manifest_syntax_error() {
    let d = digest(
        "err-toml",
        &[("pressbook.toml", b"title = \"T\"\ndate = \n")],
    );
    let (code, err) = check(&d, &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: manifest:") && err.contains("pressbook.toml:2:"),
        "{err}"
    );
}

#[test]
fn unknown_manifest_key_suggests_the_nearest() {
    let d = digest(
        "err-key",
        &[("pressbook.toml", b"title = \"T\"\nsubtitel = \"S\"\n")],
    );
    assert_error(
        &d,
        &[
            "unknown key `subtitel`",
            "pressbook.toml:2:1",
            "did you mean `subtitle`?",
        ],
    );
}

#[test]
fn missing_article() {
    let d = digest(
        "err-missing",
        &[(
            "pressbook.toml",
            b"title = \"T\"\narticles = [\"articles/gone.md\"]\n",
        )],
    );
    assert_error(
        &d,
        &["\"articles/gone.md\" does not exist", "pressbook.toml:2"],
    );
}

#[test]
fn article_not_utf8_names_the_byte_offset() {
    let d = digest(
        "err-utf8",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\narticles = [\"articles/latin1.txt\"]\n",
            ),
            (
                "articles/latin1.txt",
                b"Caf\xe9 society.\n\n(c) Source 2026: Cafe\n",
            ),
        ],
    );
    assert_error(
        &d,
        &[
            "latin1.txt:1:4",
            "not valid UTF-8 (byte offset 3: 0xE9)",
            "re-encode it as UTF-8",
        ],
    );
}

#[test]
fn broken_front_matter() {
    let d = digest(
        "err-yaml",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\narticles = [\"articles/a.md\"]\n",
            ),
            (
                "articles/a.md",
                b"---\ntitle: ok\nauthor: [unclosed\n---\n\nBody.\n",
            ),
        ],
    );
    assert_error(&d, &["a.md:", "front matter is not valid YAML"]);
    let d = digest(
        "err-yaml-open",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\narticles = [\"articles/a.md\"]\n",
            ),
            ("articles/a.md", b"---\ntitle: never closed\n\nBody.\n"),
        ],
    );
    assert_error(&d, &["a.md:1", "front matter is not closed"]);
}

#[test]
fn unknown_front_matter_key_is_a_warning_unless_strict() {
    let d = digest(
        "err-fm-key",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\narticles = [\"articles/a.md\"]\n",
            ),
            ("articles/a.md", b"---\ntitle: A\nauthr: Me\n---\n\nBody.\n"),
        ],
    );
    let (code, err) = check(&d, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: unknown front-matter key `authr`"),
        "{err}"
    );
    assert!(
        err.contains("a.md:3") && err.contains("did you mean `author`?"),
        "{err}"
    );
    let (code, err) = check(&d, &["--strict"]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn missing_and_undecodable_images() {
    let d = digest(
        "err-images",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\narticles = [\"articles/a.md\"]\n",
            ),
            (
                "articles/a.md",
                b"# A\n\nText.\n\n![gone](images/nope.png)\n\n![broken](images/bad.png)\n",
            ),
            (
                "articles/images/bad.png",
                b"\x89PNG\r\n\x1a\nthis is not really a png",
            ),
        ],
    );
    assert_error(
        &d,
        &[
            "a.md:5",
            "images/nope.png cannot be read",
            "a.md:7",
            "bad.png is left out: it cannot be decoded",
        ],
    );
}

#[test]
fn duplicate_and_outside_articles() {
    let root = digest(
        "err-dup",
        &[
            ("d/pressbook.toml", b"title = \"T\"\narticles = [\n\"articles/a.txt\",\n\"articles/a.txt\",\n\"../outside.txt\",\n]\n"),
            ("d/articles/a.txt", OK_TXT),
            ("outside.txt", OK_TXT),
        ],
    );
    let d = root.join("d");
    assert_error(
        &d,
        &[
            "listed twice",
            "pressbook.toml:4",
            "lies outside the digest folder",
            "--allow-outside",
        ],
    );
    let (code, err) = check(&d, &["--allow-outside"]);
    assert_eq!(code, 1, "the duplicate is still an error:\n{err}");
    assert!(!err.contains("outside"), "{err}");
}

#[test]
fn empty_article() {
    let d = digest(
        "err-empty",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\narticles = [\"articles/e.txt\", \"articles/e.md\"]\n",
            ),
            ("articles/e.txt", b"\xef\xbb\xbf\n  \n"),
            ("articles/e.md", b"---\ntitle: Only a title\n---\n"),
        ],
    );
    assert_error(
        &d,
        &[
            "e.txt",
            "article is empty",
            "e.md",
            "has a title but no text",
        ],
    );
}

#[test]
fn oversized_article_is_refused() {
    let big = "word ".repeat(50_000) + "\n\n(c) S 2026: Big\n";
    let d = digest(
        "err-big",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\narticles = [\"articles/big.txt\"]\n",
            ),
            ("articles/big.txt", big.as_bytes()),
        ],
    );
    let (code, err) = check(&d, &["--max-article-size", "64"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("over the 64 KiB limit") && err.contains("--max-article-size"),
        "{err}"
    );
    assert_eq!(check(&d, &[]).0, 0);
}

#[test]
fn no_attribution_warns_and_uses_the_file_name() {
    let d = digest(
        "err-noattr",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\narticles = [\"articles/quiet-harbour.txt\"]\n",
            ),
            (
                "articles/quiet-harbour.txt",
                b"Just text, no attribution.\n",
            ),
        ],
    );
    let (code, err) = check(&d, &[]);
    assert_eq!(code, 0);
    assert!(
        err.contains("warning: no attribution line") && err.contains("quiet-harbour.txt"),
        "{err}"
    );
    let out = scratch("err-noattr-out");
    let book = only_with_ext(&build(&d, &out, "epub"), "epub");
    let page = unzip(&book)
        .into_iter()
        .find(|(n, _)| n.contains("a01-"))
        .map(|(_, d)| String::from_utf8(d).unwrap())
        .unwrap();
    assert!(page.contains(">Quiet harbour</h1>"), "{page}");
}

#[test]
fn unusable_output_folder() {
    let d = digest(
        "err-out",
        &[
            ("pressbook.toml", b"title = \"T\"\narticles = [\"a.txt\"]\n"),
            ("a.txt", OK_TXT),
            ("blocker", b"a file"),
        ],
    );
    let o = pressbook(&[
        "build",
        d.to_str().unwrap(),
        "--out",
        d.join("blocker/dist").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot create the output folder") && err.contains("blocker/dist"),
        "{err}"
    );
    assert!(!d.join("blocker").is_dir());
    assert!(err.contains("help: "), "{err}");
}

#[test]
fn failed_build_keeps_the_previous_book() {
    let d = digest(
        "err-keep",
        &[
            (
                "pressbook.toml",
                b"title = \"T\"\ndate = \"2026-01-01\"\narticles = [\"a.txt\"]\n",
            ),
            ("a.txt", OK_TXT),
        ],
    );
    let out = d.join("dist");
    let book = only_with_ext(&build(&d, &out, "epub"), "epub");
    let good = std::fs::read(&book).unwrap();
    std::fs::write(d.join("a.txt"), b"\xff\xfe broken").unwrap();
    let o = pressbook(&["build", d.to_str().unwrap(), "-f", "epub"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&book).unwrap(),
        good,
        "the good book is untouched"
    );
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}
