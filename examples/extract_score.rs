//! Scores pressbook's article extraction on Mozilla's Readability test
//! pages: for each folder with `source.html`, `expected.html` and
//! `expected-metadata.json`, the article text pressbook saves is compared
//! word by word with the text of the article Readability.js extracts.
//!
//!     cargo run --release --example extract_score -- ../shared/testdata/readability-pages [--no-strip] [--verbose] [--removed] [--dump DIR]
//!
//! `--removed` prints, for each page that does not match, the paragraphs
//! chrome removal took out (what dom_smoothie alone keeps). `--dump DIR`
//! writes each page's expected text to `DIR/<page>.txt`, so that other
//! extractors can be scored against the same text. `--score-html DIR`
//! scores another extractor's output instead of pressbook's: the article
//! HTML it gave for each page, in `DIR/<page>.html`, read with the same
//! converter (a missing or empty file is an empty article).
//!
//! A page matches when both precision (extracted words that are expected)
//! and recall (expected words that were extracted) are at least 95 %,
//! counting words as a multiset. Metadata fields match when equal after
//! collapsing whitespace. A lead figure pressbook restores (Readability.js
//! drops it) is left out of the comparison.

use std::collections::HashMap;
use std::path::Path;

use pressbook::collect::{blocks, clean, convert, extract, markdown};
use url::Url;

fn words(text: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *m.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    m
}

fn overlap(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> usize {
    a.iter()
        .map(|(w, n)| (*n).min(*b.get(w).unwrap_or(&0)))
        .sum()
}

/// Precision (extracted words that are expected) and recall (expected
/// words that were extracted).
fn precision_recall(g: &HashMap<String, usize>, x: &HashMap<String, usize>) -> (f64, f64) {
    let common = overlap(g, x) as f64;
    let gt: usize = g.values().sum();
    let xt: usize = x.values().sum();
    let p = match (gt, xt) {
        (0, 0) => 1.0,
        (0, _) => 0.0,
        _ => common / gt as f64,
    };
    let r = if xt == 0 { 1.0 } else { common / xt as f64 };
    (p, r)
}

/// The paragraphs dom_smoothie alone keeps that chrome removal took out.
fn print_removed(html: &str, base: &Url, kept: &str) {
    let opts = extract::ExtractOptions {
        strip_chrome: false,
        min_words: 0,
    };
    let Ok(all) = extract::page(html, Some(base), opts).and_then(clean::clean) else {
        return;
    };
    let kept: std::collections::HashSet<&str> = kept.split("\n\n").collect();
    let text = markdown::to_text(&all.blocks[usize::from(all.lead_restored)..]);
    for para in text.split("\n\n").filter(|p| !kept.contains(p)) {
        let short: String = para.chars().take(150).collect();
        let more = if short.len() < para.len() { "…" } else { "" };
        println!("    removed: {}{more}", short.replace('\n', " "));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--")
                && (*i == 0 || !matches!(args[i - 1].as_str(), "--dump" | "--score-html"))
        })
        .map(|(_, a)| a)
        .cloned()
        .unwrap_or_else(|| "../shared/testdata/readability-pages".into());
    let strip = !args.iter().any(|a| a == "--no-strip");
    let verbose = args.iter().any(|a| a == "--verbose");
    let removed = args.iter().any(|a| a == "--removed");
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let score_html = args
        .iter()
        .position(|a| a == "--score-html")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    if let Some(d) = &dump {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("cannot create {d:?}: {e}"));
    }
    let mut folders: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("source.html").is_file() && p.join("expected.html").is_file())
        .collect();
    folders.sort();
    let base = Url::parse("http://fakehost/test/page.html").unwrap();
    let opts = extract::ExtractOptions {
        strip_chrome: strip,
        min_words: 0,
    };
    let (mut n, mut matched, mut f90, mut no_article) = (0, 0, 0, 0);
    let (mut psum, mut rsum) = (0.0, 0.0);
    let mut meta_hits: HashMap<&str, (usize, usize)> = HashMap::new();
    let started = std::time::Instant::now();
    for f in &folders {
        n += 1;
        let src = std::fs::read(f.join("source.html")).unwrap();
        let (html, _) = pressbook::collect::charset::decode_html(&src, None).unwrap_or_default();
        let expected_html = std::fs::read_to_string(f.join("expected.html")).unwrap();
        let exp_doc = dom_query::Document::from(expected_html.as_str());
        let exp_text = markdown::to_text(&convert::convert(&exp_doc.root(), None));
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let score_html = args
            .iter()
            .position(|a| a == "--score-html")
            .and_then(|i| args.get(i + 1))
            .map(std::path::PathBuf::from);
        if let Some(d) = &dump {
            std::fs::write(d.join(format!("{name}.txt")), &exp_text).unwrap();
        }
        if let Some(d) = &score_html {
            let h = std::fs::read_to_string(d.join(format!("{name}.html"))).unwrap_or_default();
            let doc = dom_query::Document::fragment(h);
            let text = markdown::to_text(&convert::convert(&doc.root(), Some(&base)));
            let (p, r) = precision_recall(&words(&text), &words(&exp_text));
            psum += p;
            rsum += r;
            matched += usize::from(p >= 0.95 && r >= 0.95);
            f90 += usize::from(p >= 0.90 && r >= 0.90);
            if verbose || p < 0.95 || r < 0.95 {
                println!("{name:45} precision {p:.3} recall {r:.3}");
            }
            continue;
        }
        let got = extract::page(&html, Some(&base), opts).and_then(clean::clean);
        let (got_text, got) = match got {
            // The lead figure pressbook puts back is not part of what
            // Readability.js returns: leave it out of the comparison.
            Ok(e) => (
                markdown::to_text(&e.blocks[usize::from(e.lead_restored)..]),
                Some(e),
            ),
            Err(_) => (String::new(), None),
        };
        let strict = extract::page(
            &html,
            Some(&base),
            extract::ExtractOptions {
                strip_chrome: strip,
                ..Default::default()
            },
        )
        .and_then(clean::clean);
        if strict.is_err() {
            no_article += 1;
        }
        let (g, x) = (words(&got_text), words(&exp_text));
        let (p, r) = precision_recall(&g, &x);
        let gt: usize = g.values().sum();
        let xt: usize = x.values().sum();
        psum += p;
        rsum += r;
        if p >= 0.95 && r >= 0.95 {
            matched += 1;
        }
        if p >= 0.90 && r >= 0.90 {
            f90 += 1;
        }
        if verbose || p < 0.95 || r < 0.95 {
            println!("{name:45} precision {p:.3} recall {r:.3} ({gt} / {xt} words)");
        }
        if removed && strip && (p < 0.95 || r < 0.95) {
            print_removed(&html, &base, &got_text);
        }
        if let Ok(m) = std::fs::read_to_string(f.join("expected-metadata.json")) {
            let m: serde_json::Value = serde_json::from_str(&m).unwrap_or_default();
            let norm = |s: Option<&str>| s.map(blocks::collapse).filter(|s| !s.is_empty());
            let fields: [(&str, &str, Option<String>); 4] = [
                (
                    "title",
                    "title",
                    got.as_ref().and_then(|e| e.meta.title.clone()),
                ),
                (
                    "byline",
                    "byline",
                    got.as_ref().and_then(|e| e.meta.byline.clone()),
                ),
                (
                    "site",
                    "siteName",
                    got.as_ref().and_then(|e| e.meta.site.clone()),
                ),
                (
                    "lang",
                    "lang",
                    got.as_ref().and_then(|e| e.meta.language.clone()),
                ),
            ];
            for (label, key, value) in fields {
                let want = norm(m.get(key).and_then(|v| v.as_str()));
                if let Some(want) = want {
                    let e = meta_hits.entry(label).or_insert((0, 0));
                    e.1 += 1;
                    let have = norm(value.as_deref());
                    let ok = have
                        .as_deref()
                        .map(|h| {
                            h.eq_ignore_ascii_case(&want)
                                || h.trim_start_matches("By ") == want.trim_start_matches("By ")
                        })
                        .unwrap_or(false);
                    if ok {
                        e.0 += 1;
                    } else if verbose {
                        println!("  {name}: {label} {have:?} expected {want:?}");
                    }
                }
            }
        }
    }
    println!();
    match &score_html {
        Some(d) => println!("pages: {n}; scoring the article HTML in {}", d.display()),
        None => println!(
            "pages: {n}; chrome stripping: {}",
            if strip { "on" } else { "off" }
        ),
    }
    println!("match (precision and recall >= 95%): {matched}/{n}");
    println!("close (precision and recall >= 90%): {f90}/{n}");
    println!(
        "mean precision {:.3}, mean recall {:.3}",
        psum / n as f64,
        rsum / n as f64
    );
    println!(
        "pages refused as 'no article' (< {} words): {no_article}",
        extract::MIN_WORDS
    );
    let mut keys: Vec<_> = meta_hits.keys().copied().collect();
    keys.sort();
    for k in keys {
        let (h, t) = meta_hits[k];
        println!("metadata {k}: {h}/{t} pages that state it");
    }
    println!("time: {:.1} s", started.elapsed().as_secs_f64());
    let _ = Path::new(&dir);
}
