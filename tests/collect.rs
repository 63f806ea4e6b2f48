//! End-to-end tests of `extract`, `add` and `fetch` against a real HTTP
//! server on 127.0.0.1 that serves the pages and feeds under
//! tests/fixtures/collect (written for these tests, like real news sites:
//! chrome, ads, comments, JSON-LD), images, errors, a slow page, redirects
//! and 304s. No test reaches another host.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;

/// A request the server saw: path, lower-cased headers, and when it
/// arrived and its answer was written.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: Vec<(String, String)>,
    status: u16,
    at: Instant,
    done: Option<Instant>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Server {
    base: String,
    log: Arc<Mutex<Vec<Seen>>>,
}

/// What the server answers for /robots.txt: status and body.
type RobotsTxt = Option<(u16, &'static str)>;

impl Server {
    /// A server without a robots.txt (it answers 404).
    fn start() -> Server {
        Server::with_robots(None)
    }

    fn with_robots(robots: RobotsTxt) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let (b, l) = (base.clone(), log.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (b, l) = (b.clone(), l.clone());
                std::thread::spawn(move || serve(stream, &b, &l, robots));
            }
        });
        Server { base, log }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self, path: &str) -> Vec<Seen> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }
}

fn fixture_text(rel: &str, base: &str) -> Vec<u8> {
    let p = fixture("collect").join(rel);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
    match String::from_utf8(bytes.clone()) {
        Ok(s) => s.replace("{BASE}", base).into_bytes(),
        Err(_) => bytes,
    }
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(16, 9, image::Rgb([0x2c, 0x4a, 0x6b]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A PNG signature followed by 17 MiB: over the 16 MiB image limit.
fn huge_png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.resize(17 << 20, 0);
    b
}

fn serve(mut stream: TcpStream, base: &str, log: &Mutex<Vec<Seen>>, robots: RobotsTxt) {
    let at = Instant::now();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let header = |k: &str| headers.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let route = path.split('?').next().unwrap_or("").to_string();
    let html = "text/html; charset=utf-8";
    let (status, ctype, body, extra): (u16, &str, Vec<u8>, Vec<(String, String)>) =
        match route.as_str() {
            "/news/harbour-cranes.html" => (
                200,
                html,
                fixture_text("site/harbour-cranes.html", base),
                vec![],
            ),
            "/news/ferry.html" | "/news/ferry-copy.html" => {
                (200, html, fixture_text("site/ferry.html", base), vec![])
            }
            "/news/dredgers.html" => (
                200,
                html,
                fixture_text("site/broken-image.html", base),
                vec![],
            ),
            // windows-1252 bytes, and no charset anywhere.
            "/news/latin1.html" => (
                200,
                "text/html",
                fixture_text("site/latin1.html", base),
                vec![],
            ),
            "/news/sections.html" => (
                200,
                html,
                fixture_text("site/no-article.html", base),
                vec![],
            ),
            "/slow" => {
                std::thread::sleep(Duration::from_secs(4));
                (200, html, fixture_text("site/ferry.html", base), vec![])
            }
            "/files/report.pdf" => (
                200,
                "application/pdf",
                b"%PDF-1.4\n%\xe2\xe3\n".to_vec(),
                vec![],
            ),
            "/huge" => (200, html, vec![b'x'; 9 << 20], vec![]),
            "/redirect/cranes" => (
                302,
                html,
                Vec::new(),
                vec![("Location".into(), "/news/harbour-cranes.html".into())],
            ),
            "/loop" => (
                302,
                html,
                Vec::new(),
                vec![("Location".into(), "/loop".into())],
            ),
            "/img/crane.png" => (200, "image/png", png(), vec![]),
            // Too large, said by Content-Length, or found only while reading.
            "/img/huge.png" | "/img/endless.png" => (200, "image/png", huge_png(), vec![]),
            "/news/big-picture.html" | "/news/endless-picture.html" => {
                let img = if route.contains("big") {
                    "huge"
                } else {
                    "endless"
                };
                let page = String::from_utf8(fixture_text("site/broken-image.html", base))
                    .unwrap()
                    .replace("/img/missing.png", &format!("/img/{img}.png"));
                (200, html, page.into_bytes(), vec![])
            }
            "/robots.txt" => match robots {
                Some((status, text)) => (status, "text/plain", text.as_bytes().to_vec(), vec![]),
                None => (404, "text/plain", b"not found".to_vec(), vec![]),
            },
            "/feeds/ports.rss" => {
                let etag = "\"ports-1\"";
                if header("if-none-match").as_deref() == Some(etag) {
                    (
                        304,
                        "application/rss+xml",
                        Vec::new(),
                        vec![("ETag".into(), etag.into())],
                    )
                } else {
                    (
                        200,
                        "application/rss+xml",
                        fixture_text("feeds/ports.rss", base),
                        vec![
                            ("ETag".into(), etag.into()),
                            (
                                "Last-Modified".into(),
                                "Tue, 24 Nov 2026 10:00:00 GMT".into(),
                            ),
                        ],
                    )
                }
            }
            "/feeds/coast.atom" => (
                200,
                "application/atom+xml",
                fixture_text("feeds/coast.atom", base),
                vec![],
            ),
            "/feeds/mixed.json" => (
                200,
                "application/feed+json",
                fixture_text("feeds/mixed.json", base),
                vec![],
            ),
            "/feeds/trouble.rss" => (
                200,
                "application/rss+xml",
                fixture_text("feeds/trouble.rss", base),
                vec![],
            ),
            "/feeds/broken.rss" => (500, "text/plain", b"internal error".to_vec(), vec![]),
            "/feeds/not-a-feed.xml" => (
                200,
                html,
                fixture_text("site/no-article.html", base),
                vec![],
            ),
            _ => (404, "text/plain", b"not found".to_vec(), vec![]),
        };
    let entry = {
        let mut log = log.lock().unwrap();
        log.push(Seen {
            path: path.clone(),
            headers: headers.clone(),
            status,
            at,
            done: None,
        });
        log.len() - 1
    };
    let reason = match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        _ => "Internal Server Error",
    };
    let mut head =
        format!("HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nConnection: close\r\n");
    // These give no length, so only the reader's limit stops them.
    if route != "/huge" && route != "/img/endless.png" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if status != 304 {
        let _ = stream.write_all(&body);
    }
    let _ = stream.flush();
    log.lock().unwrap()[entry].done = Some(Instant::now());
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = pressbook(args);
    out3(o)
}

fn out3(o: Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A fresh digest dated 2026-11-25 with `extra` appended to its manifest.
fn digest(name: &str, extra: &str) -> PathBuf {
    let dir = scratch(name).join("digest");
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    std::fs::write(
        dir.join("pressbook.toml"),
        format!("# Weekly digest of the harbour\ntitle = \"Harbour Week\"\nlanguage = \"en\"\ndate = \"2026-11-25\"\n{extra}"),
    )
    .unwrap();
    dir
}

/// Files under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

/// Markdown that pulldown-cmark reads without any raw HTML event.
fn assert_no_raw_html(md: &str) {
    for ev in pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::all()) {
        if let pulldown_cmark::Event::Html(h) | pulldown_cmark::Event::InlineHtml(h) = &ev {
            panic!("raw HTML {h:?} in:\n{md}");
        }
    }
}

const CHROME: &[&str] = &[
    "cookies",
    "Accept all",
    "Share on Social",
    "Sign me up",
    "Get the Harbour Daily briefing",
    "Most read",
    "Storm warning",
    "Seagull42",
    "Dockside",
    "About us",
    "Subscribers read more",
    "Related",
    "Dredging the channel",
    "Advertisement",
    "Blue Line",
    "Weather",
    "Print",
];

#[test]
fn extract_json_gives_metadata_and_only_the_article() {
    let srv = Server::start();
    let (code, out, err) = run(&["extract", &srv.url("/news/harbour-cranes.html"), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["title"], "Cranes return to the north quay");
    assert_eq!(v["byline"], "Mara Lind");
    assert_eq!(v["published"], "2026-11-20T07:45:00+01:00");
    assert_eq!(v["site"], "Harbour Daily");
    assert_eq!(v["url"], srv.url("/news/harbour-cranes.html"));
    assert_eq!(v["language"], "en-GB");
    assert_eq!(v["lead_image"], srv.url("/img/crane.png"));
    assert!(v["excerpt"]
        .as_str()
        .unwrap()
        .starts_with("After two years"));
    let md = v["markdown"].as_str().unwrap();
    assert_no_raw_html(md);
    for want in [
        "After two years of repairs",
        "## A slow first shift",
        "*a third less power*",
        "**Northern Light**",
        "> It felt like learning to drive again",
        "- Ships of up to three hundred metres",
        "| Quay | Before the closure | During the repairs |",
        "| North | 4,200 | 0 |",
        "The refitted cranes on their first evening shift.",
        "by the spring",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    for chrome in CHROME {
        assert!(!md.contains(chrome), "chrome {chrome:?} kept in:\n{md}");
    }
    assert!(
        !md.contains("# Cranes return"),
        "headline repeated in the body:\n{md}"
    );
    let text = v["text"].as_str().unwrap();
    assert!(
        text.contains("posts before dawn.\n\nThe port authority"),
        "{text}"
    );
    assert!(!text.contains('*') && !text.contains('|'), "{text}");
    for key in [
        "title",
        "byline",
        "published",
        "site",
        "url",
        "language",
        "excerpt",
        "lead_image",
        "markdown",
        "text",
    ] {
        assert!(v.get(key).is_some(), "no {key} in {v}");
    }
}

#[test]
fn extract_reads_files_and_stdin_against_url_and_prints_front_matter() {
    let srv = Server::start();
    let dir = scratch("collect-extract-file");
    let page = dir.join("saved.html");
    std::fs::write(
        &page,
        fixture_text("site/harbour-cranes.html", "https://harbour.example"),
    )
    .unwrap();
    let (code, out, err) = run(&[
        "extract",
        s(&page),
        "--url",
        "https://harbour.example/news/cranes",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("---\ntitle: \"Cranes return to the north quay\"\n"),
        "{out}"
    );
    assert!(
        out.contains("author: \"Mara Lind\"\n") && out.contains("source: \"Harbour Daily\"\n"),
        "{out}"
    );
    assert!(
        out.contains("rights: \"© 2026 Harbour Daily Ltd\"\n"),
        "{out}"
    );
    assert!(
        out.contains("](https://harbour.example/img/crane.png"),
        "image not resolved against --url:\n{out}"
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_pressbook"))
        .args(["extract", "-", "--url", &srv.url("/saved/"), "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&fixture_text("site/ferry.html", &srv.base))
        .unwrap();
    let (code, out, err) = out3(child.wait_with_output().unwrap());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["byline"], "Tom Ash");
    assert_eq!(
        v["url"],
        srv.url("/news/night-ferry"),
        "canonical link wins"
    );
    assert_eq!(v["lead_image"], serde_json::Value::Null);
    let md = v["markdown"].as_str().unwrap();
    for chrome in [
        "Trending",
        "Seal spotted",
        "Island Cottages",
        "More stories",
        "Copy link",
        "Log in",
    ] {
        assert!(!md.contains(chrome), "chrome {chrome:?} kept:\n{md}");
    }
}

#[test]
fn extract_decodes_windows_1252_without_a_charset() {
    let srv = Server::start();
    let (code, out, err) = run(&["extract", &srv.url("/news/latin1.html"), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["title"], "Le café du port rouvre ses portes");
    assert_eq!(v["byline"], "Élodie Marchand");
    assert_eq!(v["language"], "fr");
    let text = v["text"].as_str().unwrap();
    assert!(
        text.contains("Après huit mois de travaux") && text.contains("« Les marins"),
        "{text}"
    );
}

#[test]
fn extract_sends_a_user_agent_and_follows_redirects() {
    let srv = Server::start();
    let (code, out, err) = run(&["extract", &srv.url("/redirect/cranes"), "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Cranes return"), "{out}");
    let seen = srv.requests("/news/harbour-cranes.html");
    assert_eq!(seen.len(), 1);
    let ua = seen[0]
        .headers
        .iter()
        .find(|(k, _)| k == "user-agent")
        .map(|(_, v)| v.clone())
        .unwrap();
    assert!(
        ua.starts_with(&format!("pressbook/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
}

#[test]
fn extract_bad_inputs_name_the_source_and_exit_1() {
    let srv = Server::start();
    let cases: Vec<(String, &str)> = vec![
        (srv.url("/news/gone.html"), "404"),
        (srv.url("/files/report.pdf"), "not an HTML page"),
        (srv.url("/news/sections.html"), "no article"),
        (srv.url("/huge"), "larger than"),
        (srv.url("/loop"), "redirects more than"),
        ("ftp://example.org/x.html".into(), "not an http"),
        ("no-such-file.html".into(), "no-such-file.html"),
    ];
    for (src, why) in &cases {
        let (code, out, err) = run(&["extract", src]);
        assert_eq!(code, 1, "{src}: {out}{err}");
        assert!(
            err.contains(src.trim_start_matches("ftp://")) || err.contains(src.as_str()),
            "{src} not named: {err}"
        );
        assert!(err.contains(why), "{src}: expected {why:?} in {err}");
        assert!(out.is_empty(), "{src}: printed {out}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let (code, _, err) = run(&["extract", &srv.url("/slow"), "--timeout", "1"]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&srv.url("/slow")) && err.contains("timed out after 1 s"),
        "{err}"
    );
}

#[test]
fn add_saves_article_images_and_manifest_line() {
    let srv = Server::start();
    let dir = digest(
        "collect-add",
        "\n# Sections in reading order\n[[sections]]\ntitle = \"News\"\narticles = []\n",
    );
    let (code, out, err) = run(&[
        "add",
        s(&dir),
        &srv.url("/redirect/cranes"),
        "--section",
        "Ports",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let file = dir.join("articles/cranes-return-to-the-north-quay.md");
    let text = std::fs::read_to_string(&file).unwrap();
    for want in [
        "title: \"Cranes return to the north quay\"\n",
        "author: \"Mara Lind\"\n",
        "source: \"Harbour Daily\"\n",
        &format!("url: \"{}\"\n", srv.url("/news/harbour-cranes.html")),
        "date: \"2026-11-20T07:45:00+01:00\"\n",
        "language: \"en-GB\"\n",
        "summary: \"After two years",
        "rights: \"© 2026 Harbour Daily Ltd\"\n",
        "fetched: \"",
        "![Three blue cranes against an evening sky](images/cranes-return-to-the-north-quay/01-crane.png \"The refitted cranes on their first evening shift.\")",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    assert_no_raw_html(&text);
    let img = dir.join("articles/images/cranes-return-to-the-north-quay/01-crane.png");
    assert_eq!(std::fs::read(&img).unwrap(), png());
    let manifest = std::fs::read_to_string(dir.join("pressbook.toml")).unwrap();
    assert!(
        manifest.contains("# Sections in reading order"),
        "comments lost:\n{manifest}"
    );
    assert!(
        manifest.contains(
            "title = \"Ports\"\narticles = [\"articles/cranes-return-to-the-north-quay.md\"]"
        ),
        "{manifest}"
    );
    let state = std::fs::read_to_string(dir.join("pressbook.state.json")).unwrap();
    assert!(
        state.contains("cranes-return-to-the-north-quay.md"),
        "{state}"
    );

    // The same article through a tracking link is not added again.
    let again = srv.url("/news/harbour-cranes.html?utm_source=newsletter&utm_medium=email");
    let (code, out, err) = run(&["add", s(&dir), &again]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("already") || err.contains("already"),
        "{out}{err}"
    );
    assert_eq!(tree(&dir.join("articles")).len(), 2);

    let (code, _, err) = run(&["check", s(&dir)]);
    assert_eq!(code, 0, "{err}");
    // The saved file reads cleanly (only the empty "News" section is noted).
    assert!(!err.contains("cranes-return"), "{err}");
}

#[test]
fn add_keeps_the_article_when_an_image_fails_and_exits_1() {
    let srv = Server::start();
    let dir = digest("collect-add-broken", "");
    let (code, out, err) = run(&[
        "add",
        s(&dir),
        &srv.url("/news/dredgers.html"),
        &srv.url("/news/gone.html"),
        &srv.url("/news/latin1.html"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains(&srv.url("/img/missing.png")) && err.contains("404"),
        "{err}"
    );
    assert!(err.contains(&srv.url("/news/gone.html")), "{err}");
    // The picture left out is a warning naming the article; the page that
    // is gone is an error.
    let line = |url: &str| err.lines().find(|l| l.contains(url)).unwrap_or_default();
    assert!(
        line(&srv.url("/img/missing.png")).starts_with("warning: image "),
        "{err}"
    );
    assert!(
        err.contains("--> ") && err.contains("articles/dredgers-start-work-in-the-channel.md"),
        "{err}"
    );
    assert!(
        line(&srv.url("/news/gone.html")).starts_with("error: "),
        "{err}"
    );
    assert!(err.contains("1 source(s) of 3 could not be added"), "{err}");
    let files = tree(&dir.join("articles"));
    assert_eq!(
        files,
        [
            "dredgers-start-work-in-the-channel.md",
            "le-café-du-port-rouvre-ses-portes.md"
        ],
        "{files:?}"
    );
    let text = std::fs::read_to_string(dir.join("articles/dredgers-start-work-in-the-channel.md"))
        .unwrap();
    assert!(
        text.contains("*One of the two dredgers near the breakwater.*"),
        "caption kept as text:\n{text}"
    );
    assert!(!text.contains("missing.png"), "{text}");
}

fn feeds_manifest(srv: &Server, feeds: &[(&str, Option<&str>)]) -> String {
    let mut m = String::from("\n# Feeds read by `pressbook fetch`\n");
    for (path, section) in feeds {
        m.push_str(&format!("[[feeds]]\nurl = \"{}\"\n", srv.url(path)));
        if let Some(sec) = section {
            m.push_str(&format!("section = \"{sec}\"\n"));
        }
        m.push_str("max = 10\n");
    }
    m
}

#[test]
fn fetch_adds_new_items_once_and_the_digest_builds() {
    let srv = Server::start();
    let dir = digest(
        "collect-fetch",
        &feeds_manifest(
            &srv,
            &[
                ("/feeds/ports.rss", Some("Ports")),
                ("/feeds/coast.atom", None),
                ("/feeds/mixed.json", Some("Weekend")),
            ],
        ),
    );
    // A digest with feeds and no articles yet is valid; building it says why not.
    let (code, _, err) = run(&["check", s(&dir)]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["build", s(&dir)]);
    assert_eq!(code, 1);
    assert!(
        err.contains("nothing to build") && err.contains("fetch"),
        "{err}"
    );

    let (code, out, err) = run(&["fetch", s(&dir)]);
    assert_eq!(code, 0, "{out}{err}");
    let files: Vec<String> = tree(&dir.join("articles"))
        .into_iter()
        .filter(|f| f.ends_with(".md"))
        .collect();
    assert_eq!(
        files,
        [
            "cranes-return-to-the-north-quay.md",
            "le-café-du-port-rouvre-ses-portes.md",
            "the-lighthouse-keeper-s-last-winter.md",
            "the-night-ferry-changes-its-timetable.md",
        ],
        "{out}{err}"
    );
    // Full text from the Atom feed: the page itself is never requested.
    assert!(srv.requests("/news/lighthouse.html").is_empty());
    // Older than seven days before the digest date: skipped unseen.
    assert!(srv.requests("/news/regatta.html").is_empty());
    let light =
        std::fs::read_to_string(dir.join("articles/the-lighthouse-keeper-s-last-winter.md"))
            .unwrap();
    assert!(
        light.contains("author: \"Ruth Quayle\"")
            && light.contains("## Logbooks and visitors")
            && light.contains("> The light does not need me"),
        "{light}"
    );
    let manifest = std::fs::read_to_string(dir.join("pressbook.toml")).unwrap();
    assert!(
        manifest.contains("# Feeds read by `pressbook fetch`"),
        "{manifest}"
    );
    for sec in [
        "title = \"Ports\"",
        "title = \"Coast Courier\"",
        "title = \"Weekend\"",
    ] {
        assert!(manifest.contains(sec), "no section {sec}:\n{manifest}");
    }
    assert_eq!(
        manifest
            .matches("cranes-return-to-the-north-quay.md")
            .count(),
        1,
        "{manifest}"
    );

    // Nothing new: nothing added, and the RSS feed answers 304.
    let before = std::fs::read_to_string(dir.join("pressbook.toml")).unwrap();
    let (code, out, err) = run(&["fetch", s(&dir)]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("pressbook.toml")).unwrap(),
        before
    );
    assert_eq!(
        tree(&dir.join("articles"))
            .iter()
            .filter(|f| f.ends_with(".md"))
            .count(),
        4
    );
    let rss = srv.requests("/feeds/ports.rss");
    assert_eq!(rss.len(), 2);
    assert!(
        rss[1]
            .headers
            .iter()
            .any(|(k, v)| k == "if-none-match" && v == "\"ports-1\""),
        "{rss:?}"
    );
    assert_eq!(rss[1].status, 304);
    assert!(format!("{out}{err}").contains("unchanged"), "{out}{err}");

    let (code, _, err) = run(&["check", s(&dir)]);
    assert_eq!(code, 0, "{err}");
    let outdir = dir.join("dist");
    let files = build(&dir, &outdir, "epub");
    let book = only_with_ext(&files, "epub");
    let verdict = epubcheck(&book);
    assert_eq!(
        (verdict.fatal, verdict.errors),
        (0, 0),
        "{}",
        verdict.report
    );
}

#[test]
fn fetch_since_and_dry_run() {
    let srv = Server::start();
    let dir = digest(
        "collect-since",
        &feeds_manifest(&srv, &[("/feeds/ports.rss", None)]),
    );
    let manifest = std::fs::read_to_string(dir.join("pressbook.toml")).unwrap();
    let (code, out, err) = run(&["fetch", s(&dir), "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Cranes return") && out.contains("night ferry"),
        "{out}"
    );
    assert!(tree(&dir.join("articles")).is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.join("pressbook.toml")).unwrap(),
        manifest
    );
    assert!(!dir.join("pressbook.state.json").exists());

    let (code, out, err) = run(&["fetch", s(&dir), "--since", "2026-11-21"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        tree(&dir.join("articles")),
        ["the-night-ferry-changes-its-timetable.md"]
    );
    assert!(srv.requests("/news/harbour-cranes.html").is_empty());
    let m = std::fs::read_to_string(dir.join("pressbook.toml")).unwrap();
    assert!(
        m.contains("title = \"Harbour Daily: Ports\""),
        "section from the feed's title:\n{m}"
    );

    let (code, _, err) = run(&["fetch", s(&dir), "--since", "next tuesday"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn fetch_bad_feeds_and_items_are_reported_and_the_rest_comes_in() {
    let srv = Server::start();
    let dir = digest(
        "collect-trouble",
        &feeds_manifest(
            &srv,
            &[
                ("/feeds/missing.rss", None),
                ("/feeds/broken.rss", None),
                ("/feeds/not-a-feed.xml", None),
                ("/feeds/trouble.rss", Some("Trouble")),
            ],
        ),
    );
    let (code, out, err) = run(&["fetch", s(&dir), "--timeout", "1"]);
    assert_eq!(code, 1, "{out}{err}");
    let all = format!("{out}{err}");
    for (url, why) in [
        ("/feeds/missing.rss", "404"),
        ("/feeds/broken.rss", "500"),
        ("/feeds/not-a-feed.xml", "not an RSS, Atom or JSON feed"),
        ("/news/gone.html", "404"),
        ("/slow", "timed out after 1 s"),
        ("/files/report.pdf", "not an HTML page"),
        ("/news/sections.html", "no article"),
        ("/huge", "larger than"),
        ("/img/missing.png", "404"),
    ] {
        let line = all
            .lines()
            .find(|l| l.contains(&srv.url(url)))
            .unwrap_or_else(|| panic!("{url} not named in:\n{all}"));
        assert!(
            all.contains(why) && line.contains(&srv.url(url)),
            "{url}: {why:?} not in:\n{all}"
        );
    }
    let files = tree(&dir.join("articles"));
    assert_eq!(
        files,
        [
            "dredgers-start-work-in-the-channel.md",
            "le-café-du-port-rouvre-ses-portes.md"
        ],
        "half-written files left:\n{files:?}"
    );
    assert!(
        out.contains("8 failed, 1 warning(s)"),
        "the missing picture is a warning:\n{out}"
    );
    let m = std::fs::read_to_string(dir.join("pressbook.toml")).unwrap();
    assert_eq!(m.matches("articles/").count(), 2, "{m}");
    let (code, _, err) = run(&["check", s(&dir)]);
    assert_eq!(code, 0, "{err}");
}

/// The licensed Mozilla pages in tests/fixtures/readability: the words of
/// the article Readability.js finds are the words pressbook saves.
#[test]
fn readability_pages_keep_the_expected_words() {
    use pressbook::collect::{blocks, clean, convert, extract, markdown};
    use std::collections::HashMap;
    let words = |t: &str| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for w in t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            *m.entry(w.to_lowercase()).or_default() += 1;
        }
        m
    };
    let base = url::Url::parse("http://fakehost/test/page.html").unwrap();
    let root = fixture("readability");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 12);
    let mut report = Vec::new();
    for p in &pages {
        let mut src = Vec::new();
        std::fs::File::open(p.join("source.html"))
            .unwrap()
            .read_to_end(&mut src)
            .unwrap();
        let (html, _) = pressbook::collect::charset::decode_html(&src, None).unwrap();
        let e = extract::page(&html, Some(&base), Default::default())
            .and_then(clean::clean)
            .unwrap_or_else(|e| panic!("{p:?}: {e}"));
        let expected = std::fs::read_to_string(p.join("expected.html")).unwrap();
        let exp = markdown::to_text(&convert::convert(
            &dom_query::Document::from(expected.as_str()).root(),
            None,
        ));
        let body = &e.blocks[usize::from(e.lead_restored)..];
        let (g, x) = (words(&markdown::to_text(body)), words(&exp));
        let common: usize = g
            .iter()
            .map(|(w, n)| (*n).min(*x.get(w).unwrap_or(&0)))
            .sum();
        let precision = common as f64 / g.values().sum::<usize>().max(1) as f64;
        let recall = common as f64 / x.values().sum::<usize>().max(1) as f64;
        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(p.join("expected-metadata.json")).unwrap(),
        )
        .unwrap();
        if precision < 0.95
            || recall < 0.95
            || meta["title"].as_str().map(blocks::collapse) != e.meta.title
        {
            report.push(format!(
                "{p:?}: precision {precision:.3} recall {recall:.3} title {:?} want {}",
                e.meta.title, meta["title"]
            ));
        }
        assert_no_raw_html(&markdown::to_markdown(&e.blocks));
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// One request at a time per host, with a pause between them: the second
/// page's request reaches the server at least the pause (500 ms, less a
/// little for clocks) after the first answer was written.
#[test]
fn requests_to_one_host_wait_for_each_other() {
    let srv = Server::start();
    let dir = digest("collect-delay", "");
    let (code, out, err) = run(&[
        "add",
        s(&dir),
        &srv.url("/news/ferry.html"),
        &srv.url("/news/latin1.html"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let first = &srv.requests("/news/ferry.html")[0];
    let second = &srv.requests("/news/latin1.html")[0];
    let done = first.done.expect("the first answer was written");
    assert!(
        second.at > done,
        "the requests overlapped: {first:?} {second:?}"
    );
    let gap = second.at - done;
    assert!(
        gap >= Duration::from_millis(450),
        "only {gap:?} between two requests to one host"
    );
}

/// An image over the 16 MiB limit, whether its Content-Length says so or
/// only its body shows it, is left out with a message naming it; the
/// article is saved without it.
#[test]
fn images_over_the_size_limit_are_refused_and_the_article_kept() {
    let srv = Server::start();
    let dir = digest("collect-image-limit", "");
    let (code, out, err) = run(&[
        "add",
        s(&dir),
        &srv.url("/news/big-picture.html"),
        &srv.url("/news/endless-picture.html"),
    ]);
    // The pictures left out are warnings: the articles came in.
    assert_eq!(code, 0, "{out}{err}");
    for img in ["/img/huge.png", "/img/endless.png"] {
        let line = err
            .lines()
            .find(|l| l.contains(&srv.url(img)))
            .unwrap_or_else(|| panic!("{img} not named in:\n{err}"));
        assert!(line.contains("larger than the 16 MiB limit"), "{line}");
        assert!(line.starts_with("warning: image "), "{line}");
    }
    let files = tree(&dir.join("articles"));
    assert_eq!(
        files,
        [
            "dredgers-start-work-in-the-channel-2.md",
            "dredgers-start-work-in-the-channel.md",
        ],
        "{out}{err}"
    );
    for f in &files {
        let text = std::fs::read_to_string(dir.join("articles").join(f)).unwrap();
        assert!(text.contains("Two dredgers began deepening"), "{text}");
        assert!(!text.contains(".png"), "image kept in:\n{text}");
    }
}

/// The manifest's `user_agent` is what the server sees, on pages and
/// images alike; without it the User-Agent names pressbook and its version.
#[test]
fn manifest_user_agent_is_sent_and_the_default_names_pressbook() {
    let ua = "HarbourWeekBot/1.0 (+mailto:desk@example.org)";
    let default = format!(
        "pressbook/{} (+https://github.com/pressbook/pressbook)",
        env!("CARGO_PKG_VERSION")
    );
    for (name, manifest_line, want) in [
        ("collect-ua-default", String::new(), default.as_str()),
        ("collect-ua-own", format!("user_agent = \"{ua}\"\n"), ua),
    ] {
        let srv = Server::start();
        let dir = digest(name, &manifest_line);
        let (code, out, err) = run(&["add", s(&dir), &srv.url("/news/harbour-cranes.html")]);
        assert_eq!(code, 0, "{out}{err}");
        for path in ["/news/harbour-cranes.html", "/img/crane.png"] {
            let seen = srv.requests(path);
            assert_eq!(seen.len(), 1, "{path}");
            assert_eq!(seen[0].header("user-agent"), Some(want), "{path}");
        }
    }
}

/// A bad feed `url` or `max` stops `check` and `fetch` with a message that
/// names the key and the manifest's file and line, and exit code 1; every
/// bad entry is reported in one run, and nothing is fetched or written.
#[test]
fn bad_feed_url_and_max_are_named_with_file_and_line() {
    // The manifest opens with 4 lines, then a blank one and [[feeds]]:
    // `url` is on line 7 and `max` on line 8. Any address that slipped
    // through would be 127.0.0.1's discard port, never a real host.
    let ok_url = "url = \"http://127.0.0.1:9/feed.xml\"";
    let cases: &[(&str, &str, &str, u32)] = &[
        ("url = \"ftp://127.0.0.1:9/feed.xml\"", "max = 5", "feed `url` \"ftp://127.0.0.1:9/feed.xml\" uses the ftp: scheme; pressbook fetches only http:// and https://", 7),
        ("url = \"feeds/ports.xml\"", "max = 5", "feed `url` \"feeds/ports.xml\" is not an absolute address", 7),
        ("url = \"http://[::1/feed.xml\"", "max = 5", "feed `url` \"http://[::1/feed.xml\" is not a valid address", 7),
        (ok_url, "max = 0", "feed `max` is 0; it must be 1 or more", 8),
        (ok_url, "max = -3", "feed `max` is -3; it must be 1 or more", 8),
        (ok_url, "max = \"ten\"", "feed `max` is the string \"ten\"; it must be a whole number", 8),
        (ok_url, "max = 2.5", "feed `max` is 2.5; it must be a whole number", 8),
    ];
    for (i, (url, max, want, line)) in cases.iter().enumerate() {
        let dir = digest(
            &format!("collect-bad-feed-{i}"),
            &format!("\n[[feeds]]\n{url}\n{max}\n"),
        );
        for cmd in ["check", "fetch"] {
            let (code, out, err) = run(&[cmd, s(&dir)]);
            assert_eq!(code, 1, "{cmd} {url} {max}: {out}{err}");
            assert!(err.contains(want), "{cmd}: {want:?} not in:\n{err}");
            assert!(
                err.contains(&format!("pressbook.toml:{line}:")),
                "{cmd}: line {line} not named in:\n{err}"
            );
        }
        assert!(tree(&dir.join("articles")).is_empty());
        assert!(!dir.join("pressbook.state.json").exists());
    }
    let dir = digest(
        "collect-bad-feeds",
        "\n[[feeds]]\nurl = \"mailto:desk@example.org\"\n\n[[feeds]]\nurl = \"http://127.0.0.1:9/b.xml\"\nmax = 0\n",
    );
    let (code, _, err) = run(&["fetch", s(&dir)]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("feed `url` \"mailto:desk@example.org\"") && err.contains("pressbook.toml:7:"),
        "{err}"
    );
    assert!(
        err.contains("feed `max` is 0") && err.contains("pressbook.toml:11:"),
        "{err}"
    );
}

const ROBOTS: &str = "\
# Harbour Daily keeps robots out, except pressbook in the news pages
User-agent: *
Disallow: /

User-agent: pressbook
Allow: /news/
Disallow: /news/ferry
Disallow: /news/latin1.html$
";

/// `fetch` reads robots.txt once per host and run, and skips the item
/// pages it disallows for pressbook (its own group wins over `*`), naming
/// them, with exit code 0. A manifest `user_agent` is matched against the
/// groups by its own name. `add`, given one address by a person, does not
/// ask. A robots.txt that answers 500 keeps the pages out and fails.
#[test]
fn fetch_honours_robots_txt_and_add_does_not() {
    let srv = Server::with_robots(Some((200, ROBOTS)));
    let feeds = feeds_manifest(
        &srv,
        &[("/feeds/ports.rss", None), ("/feeds/mixed.json", None)],
    );
    let dir = digest("collect-robots", &feeds);
    let (code, out, err) = run(&["fetch", s(&dir)]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        tree(&dir.join("articles"))
            .iter()
            .filter(|f| f.ends_with(".md"))
            .collect::<Vec<_>>(),
        ["cranes-return-to-the-north-quay.md"],
        "{out}{err}"
    );
    for page in ["/news/ferry.html", "/news/latin1.html"] {
        assert!(srv.requests(page).is_empty(), "{page} was fetched");
        let want = format!(
            "skipped {}: {} disallows it for User-agent pressbook",
            srv.url(page),
            srv.url("/robots.txt")
        );
        assert!(out.contains(&want), "{want:?} not in:\n{out}{err}");
    }
    assert!(out.contains("2 disallowed by robots.txt"), "{out}");
    assert_eq!(srv.requests("/robots.txt").len(), 1, "read once per run");

    // A person adding the address is not a robot.
    let (code, out, err) = run(&["add", s(&dir), &srv.url("/news/ferry.html")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(dir
        .join("articles/the-night-ferry-changes-its-timetable.md")
        .is_file());
    assert_eq!(srv.requests("/robots.txt").len(), 1);

    // Another name falls under `*`, which disallows everything.
    let ua = "HarbourWeekBot/1.0 (+mailto:desk@example.org)";
    let feeds = feeds_manifest(&srv, &[("/feeds/ports.rss", None)]);
    let dir = digest(
        "collect-robots-own-ua",
        &format!("user_agent = \"{ua}\"\n{feeds}"),
    );
    let (code, out, err) = run(&["fetch", s(&dir)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(tree(&dir.join("articles")).is_empty(), "{out}{err}");
    assert!(
        out.contains("disallows it for User-agent *") && out.contains("2 disallowed by robots.txt"),
        "{out}"
    );
    let robots = srv.requests("/robots.txt");
    assert_eq!(robots.len(), 2);
    assert_eq!(robots[1].header("user-agent"), Some(ua));

    // robots.txt that cannot be read: RFC 9309 says assume "disallow all".
    let broken = Server::with_robots(Some((500, "oops")));
    let feeds = feeds_manifest(&broken, &[("/feeds/ports.rss", None)]);
    let dir = digest("collect-robots-500", &feeds);
    let (code, out, err) = run(&["fetch", s(&dir)]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(tree(&dir.join("articles")).is_empty(), "{out}{err}");
    assert!(
        err.contains(&broken.url("/news/ferry.html"))
            && err.contains(&format!("{} could not be read", broken.url("/robots.txt")))
            && err.contains("500"),
        "{err}"
    );
    assert!(broken.requests("/news/ferry.html").is_empty());
}
