//! Ace by DAISY, the EPUB accessibility checker, on books the tests build.
//! One Ace server (Node and Chromium) serves the whole test binary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};

use super::checker::Checker;

/// One violation Ace reported: the rule, its impact, and where.
#[derive(Debug, Clone)]
pub struct AceViolation {
    pub rule: String,
    pub impact: String,
    pub detail: String,
}

/// The node_modules folder Ace was installed into (`PRESSBOOK_ACE` names
/// its `ace-cli`, as `tests/run.sh` sets it).
fn ace_modules() -> PathBuf {
    let cli = std::env::var("PRESSBOOK_ACE").expect(
        "PRESSBOOK_ACE is not set: run the suite with `bash tests/run.sh`, which installs Ace (chromium, nodejs, @daisy/ace-cli)",
    );
    let cli = PathBuf::from(cli);
    assert!(
        cli.is_file(),
        "Ace is missing at {cli:?}: run `bash tests/run.sh`"
    );
    cli.parent()
        .and_then(Path::parent)
        .expect("PRESSBOOK_ACE is node_modules/.bin/ace-cli")
        .to_path_buf()
}

/// One Node process with one Chromium for the whole test binary
/// (`tests/tools/ace-server.js`): ace-cli would start both for every book.
fn server() -> MutexGuard<'static, Checker> {
    static SERVER: OnceLock<Mutex<Checker>> = OnceLock::new();
    Checker::get(&SERVER, "Ace", || {
        let chromium = std::env::var("PUPPETEER_EXECUTABLE_PATH")
            .unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(
            Path::new(&chromium).is_file(),
            "Ace needs Chromium at {chromium}: run `bash tests/run.sh`"
        );
        let mut cmd = Command::new("node");
        cmd.arg(super::repo().join("tests/tools/ace-server.js"))
            .arg(ace_modules())
            .env("PUPPETEER_EXECUTABLE_PATH", &chromium);
        cmd
    })
}

/// Books already checked, by content: tests that build the same book twice
/// (reproducibility, thread counts) pay for Ace once.
fn checked() -> MutexGuard<'static, HashMap<Vec<u8>, Vec<AceViolation>>> {
    static CHECKED: OnceLock<Mutex<HashMap<Vec<u8>, Vec<AceViolation>>>> = OnceLock::new();
    CHECKED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Runs Ace on each book; returns its violations per book, in order.
pub fn ace(books: &[&Path]) -> Vec<Vec<AceViolation>> {
    books.iter().map(|book| ace_one(book)).collect()
}

fn ace_one(book: &Path) -> Vec<AceViolation> {
    let bytes = std::fs::read(book).unwrap_or_else(|e| panic!("read {book:?}: {e}"));
    if let Some(v) = checked().get(&bytes) {
        return v.clone();
    }
    let out = super::report_path(book, "ace");
    let answer = server().ask(&format!("{}\t{}", book.display(), out.display()));
    assert!(answer == "ok", "Ace could not check {book:?}: {answer}");
    let report = std::fs::read_to_string(out.join("report.json"))
        .unwrap_or_else(|e| panic!("Ace wrote no report for {book:?}: {e}"));
    let v = violations(&report);
    checked().insert(bytes, v.clone());
    v
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
