//! Hostile conditions: builds killed at any moment, and real articles
//! mutated hundreds of times. Nothing may panic, and no broken book may be
//! left where a good one was.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::*;
use proptest::prelude::*;

/// Every entry of the zip can be read back in full.
fn zip_is_whole(path: &Path) -> bool {
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut z) = zip::ZipArchive::new(f) else {
        return false;
    };
    (0..z.len()).all(|i| {
        let mut buf = Vec::new();
        z.by_index(i)
            .is_ok_and(|mut e| e.read_to_end(&mut buf).is_ok())
    })
}

/// The PDF is complete and qpdf finds nothing wrong with it.
fn pdf_is_whole(path: &Path) -> bool {
    let o = Command::new("qpdf")
        .args(["--check", path.to_str().unwrap()])
        .output()
        .unwrap_or_else(|e| panic!("qpdf is not installed ({e}): run `bash tests/run.sh`"));
    o.status.success()
}

#[test]
fn sigkill_at_any_moment_leaves_no_broken_book() {
    let root = scratch("kill");
    let dir = root.join("corpus");
    let o = pressbook(&["gen-corpus", dir.to_str().unwrap(), "--articles", "150"]);
    assert!(o.status.success());
    let out = dir.join("dist");
    // A good book to protect; how long a build takes here and now.
    let started = std::time::Instant::now();
    let good_files = build_unchecked(&dir, &out, "all");
    let took = started.elapsed();
    assert_eq!(good_files.len(), 2);
    // Change the input so that a finished rebuild would differ.
    let first = dir.join("articles/00001.txt");
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&first, format!("A new first paragraph.\n\n{text}")).unwrap();

    // From loading, through the EPUB, to typesetting and writing the PDF:
    // kills spread over the build's own duration, so a slow or busy machine
    // is killed at the same stages as a fast one.
    for percent in [1u32, 4, 10, 20, 30, 45, 60, 75, 90, 97, 110] {
        let delay_ms = (took * percent / 100).as_millis();
        let mut child = Command::new(env!("CARGO_BIN_EXE_pressbook"))
            .args(["build", dir.to_str().unwrap(), "--format", "all", "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took * percent / 100);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        for entry in std::fs::read_dir(&out).unwrap() {
            let p = entry.unwrap().path();
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            if name.ends_with(".epub") {
                assert!(zip_is_whole(&p), "broken EPUB after kill at {delay_ms} ms");
            } else if name.ends_with(".pdf") {
                assert!(pdf_is_whole(&p), "broken PDF after kill at {delay_ms} ms");
            } else {
                assert!(
                    name.starts_with('.') && name.ends_with(".pressbook-tmp"),
                    "unexpected file {name}"
                );
            }
        }
        // The good book is never lost: each final file is still there, and
        // (checked above) whole, so either the old one or a complete new one.
        for path in &good_files {
            assert!(
                path.is_file(),
                "{path:?} vanished after kill at {delay_ms} ms"
            );
        }
    }
    // The next run cleans up whatever temporaries the kills left.
    build_unchecked(&dir, &out, "all");
    for entry in std::fs::read_dir(&out).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            !name.ends_with(".pressbook-tmp"),
            "stale temporary {name} was not cleaned"
        );
    }
}

/// One mutation of a text: what a careless paste or a broken editor does.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, String),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let snippet = prop_oneof![
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("---\n".to_string()),
        Just("> > > > > > > > > > > > > > > > > > > > > >".to_string()),
        Just("[^x]".to_string()),
        Just("[^x]: note\n".to_string()),
        Just("![img](missing.png)".to_string()),
        Just("| a | b |\n|---|---|\n| 1 |".to_string()),
        Just("```\n".to_string()),
        Just("<div><span>".to_string()),
        Just("(c) Broken 20".to_string()),
        Just("\u{feff}".to_string()),
        Just("\r\n".to_string()),
        Just("\0\u{1}\u{7f}".to_string()),
        Just("title: [".to_string()),
        Just("*_**__~~".to_string()),
        "\\PC{0,12}",
    ];
    prop_oneof![
        (any::<usize>(), snippet).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<usize>(), 0usize..200).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 0usize..400).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, muts: &[Mutation]) -> String {
    let mut t = text.to_string();
    let at = |t: &String, i: usize| {
        let mut i = i % (t.len() + 1);
        while !t.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for m in muts {
        match m {
            Mutation::Insert(i, s) => {
                let i = at(&t, *i);
                t.insert_str(i, s);
            }
            Mutation::Delete(i, n) => {
                let i = at(&t, *i);
                let j = at(&t, i + n);
                if j >= i {
                    t.replace_range(i..j, "");
                }
            }
            Mutation::Duplicate(i, n) => {
                let i = at(&t, *i);
                let j = at(&t, i + n);
                if j >= i {
                    let piece = t[i..j].to_string();
                    t.insert_str(j, &piece);
                }
            }
            Mutation::Truncate(i) => {
                let i = at(&t, *i);
                t.truncate(i);
            }
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// Mutated real articles never panic the loader, the layout engine or
    /// the writers: they
    /// either build or fail with diagnostics.
    #[test]
    fn mutated_articles_never_panic(which in 0usize..8, muts in proptest::collection::vec(mutation(), 1..6)) {
        let src = repo().join("input");
        let files = article_files(&src);
        let file = &files[which % files.len()];
        let text = std::fs::read_to_string(file).unwrap();
        let mutated = apply(&text, &muts);
        let dir = std::env::temp_dir().join(format!("pressbook-mut-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("articles/images")).unwrap();
        std::fs::copy(src.join("articles/images/harbour.png"), dir.join("articles/images/harbour.png")).unwrap();
        let name = file.file_name().unwrap();
        std::fs::write(dir.join("articles").join(name), &mutated).unwrap();
        std::fs::write(
            dir.join("pressbook.toml"),
            format!("title = \"M\"\ndate = \"2026-01-01\"\narticles = [\"articles/{}\"]\n", name.to_str().unwrap()),
        ).unwrap();
        let result = std::panic::catch_unwind(|| {
            let (loaded, diags) = pressbook::load::digest(&dir, &pressbook::LoadOptions::default());
            match loaded {
                Some(pressbook::Loaded { digest: d, settings, .. }) => {
                    let cover = pressbook::cover::draw(&d, &settings).expect("drawing the cover works");
                    let bytes = pressbook::epub::package(&d, &cover).expect("packaging a loaded digest works");
                    assert!(bytes.len() > 1000);
                    let (doc, fonts) = pressbook::pdf::typeset(&settings.pdf, &d, &mut Default::default()).expect("typesetting works");
                    let pdf = pressbook::pdf::write(&doc, &fonts, &d).expect("writing the PDF works");
                    assert!(pdf.starts_with(b"%PDF"));
                }
                None => assert!(diags.has_errors()),
            }
        });
        let _ = std::fs::remove_dir_all(&dir);
        prop_assert!(result.is_ok(), "panic on mutated {:?}", name);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// Mutated manifests give a manifest or diagnostics, never a panic.
    #[test]
    fn mutated_manifests_never_panic(muts in proptest::collection::vec(mutation(), 1..6)) {
        let text = std::fs::read_to_string(repo().join("input/pressbook.toml")).unwrap();
        let mutated = apply(&text, &muts);
        let mut diags = pressbook::diag::Sink::new();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pressbook::manifest::parse(&mutated, &repo().join("input"), Path::new("pressbook.toml"), false, &mut diags)
        }));
        prop_assert!(result.is_ok());
        for d in diags.iter() {
            prop_assert!(!d.message.is_empty() && d.path.is_some());
        }
    }

    /// The plain-text parser keeps every word that is not the attribution.
    #[test]
    fn plain_text_keeps_every_word(text in "\\PC{0,400}(\n\n\\PC{0,200}){0,4}") {
        let a = pressbook::source::plaintext::parse(&text);
        let kept: String = a.paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" ");
        let attribution = a.attribution.as_ref().map(|a| a.raw.as_str()).unwrap_or("");
        let words_in = text.split_whitespace().filter(|w| !w.starts_with('\u{feff}')).count();
        let words_out = kept.split_whitespace().count() + attribution.split_whitespace().count();
        prop_assert_eq!(words_in, words_out, "{:?}", text);
    }
}
