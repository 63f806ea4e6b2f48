//! Ace by DAISY, the EPUB accessibility checker, on books the tests build.
//! It starts Chromium for every book (a few seconds each), so tests batch
//! the books they check into one call.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One violation Ace reported: the rule, its impact, and where.
#[derive(Debug)]
pub struct AceViolation {
    pub rule: String,
    pub impact: String,
    pub detail: String,
}

fn ace_cli() -> PathBuf {
    let cli = std::env::var("PRESSBOOK_ACE").expect(
        "PRESSBOOK_ACE is not set: run the suite with `bash tests/run.sh`, which installs Ace (chromium, nodejs, @daisy/ace-cli)",
    );
    let cli = PathBuf::from(cli);
    assert!(
        cli.is_file(),
        "Ace is missing at {cli:?}: run `bash tests/run.sh`"
    );
    cli
}

/// Runs Ace on each book; returns its violations per book, in order.
pub fn ace(books: &[&Path]) -> Vec<Vec<AceViolation>> {
    let cli = ace_cli();
    let chromium =
        std::env::var("PUPPETEER_EXECUTABLE_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).is_file(),
        "Ace needs Chromium at {chromium}: run `bash tests/run.sh`"
    );
    books
        .iter()
        .map(|book| {
            let out = book.with_extension("ace");
            let _ = std::fs::remove_dir_all(&out);
            let o = Command::new(&cli)
                .args(["-f", "-s", "-o"])
                .arg(&out)
                .arg(book)
                .env("PUPPETEER_EXECUTABLE_PATH", &chromium)
                .output()
                .expect("run ace-cli");
            let report = std::fs::read_to_string(out.join("report.json")).unwrap_or_else(|e| {
                panic!(
                    "Ace wrote no report for {book:?} ({e}):\n{}\n{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                )
            });
            violations(&report)
        })
        .collect()
}

/// The failed assertions of an Ace `report.json`.
pub fn violations(report: &str) -> Vec<AceViolation> {
    let v: serde_json::Value = serde_json::from_str(report).expect("Ace report is JSON");
    let mut out = Vec::new();
    for doc in v["assertions"].as_array().into_iter().flatten() {
        let page = doc["earl:testSubject"]["url"].as_str().unwrap_or("?");
        for a in doc["assertions"].as_array().into_iter().flatten() {
            if a["earl:result"]["earl:outcome"].as_str() != Some("fail") {
                continue;
            }
            out.push(AceViolation {
                rule: a["earl:test"]["dct:title"].as_str().unwrap_or("?").into(),
                impact: a["earl:test"]["earl:impact"].as_str().unwrap_or("?").into(),
                detail: format!(
                    "{page}: {} {}",
                    a["earl:result"]["dct:description"].as_str().unwrap_or(""),
                    a["earl:result"]["html"].as_str().unwrap_or("")
                ),
            });
        }
    }
    out
}

/// Asserts that Ace finds nothing in any of `books`.
pub fn assert_ace_clean(books: &[&Path]) {
    let reports = ace(books);
    let bad: Vec<String> = books
        .iter()
        .zip(&reports)
        .filter(|(_, r)| !r.is_empty())
        .map(|(b, r)| {
            let lines: Vec<String> = r
                .iter()
                .map(|v| format!("  [{}] {}: {}", v.impact, v.rule, v.detail))
                .collect();
            format!("{b:?}:\n{}", lines.join("\n"))
        })
        .collect();
    assert!(bad.is_empty(), "Ace found violations:\n{}", bad.join("\n"));
}
