//! Hostile pages and feeds served on 127.0.0.1 to `extract`, `add` and
//! `fetch` (issue 32). Every run is checked the same way: it never ends in
//! a panic (exit 101), it ends within [`TIME_BOUND`] and [`RSS_BOUND_MIB`]
//! of peak memory (read from /proc while it runs), its terminal output
//! holds no raw control character, and a failed run leaves the digest's
//! files as they were.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// No hostile case may take longer (the runs use `--timeout 3`).
const TIME_BOUND: Duration = Duration::from_secs(25);
/// Nor hold more memory at its peak.
const RSS_BOUND_MIB: u64 = 400;

/// What the server does for a path.
#[derive(Clone)]
enum Reply {
    /// Status line, extra headers, body.
    Plain(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// A page that sends one byte every 200 ms, for ever.
    Drip,
}

fn html(body: &str) -> Reply {
    Reply::Plain(
        200,
        vec![("Content-Type", "text/html; charset=utf-8".into())],
        body.as_bytes().to_vec(),
    )
}

/// A server answering each path from `routes` (404 otherwise); robots.txt
/// is absent.
fn serve(routes: Vec<(&'static str, Reply)>) -> String {
    serve_with_self(|_| routes)
}

fn answer(mut stream: TcpStream, routes: &[(&'static str, Reply)]) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
    }
    let reply = routes
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, r)| r.clone());
    match reply {
        Some(Reply::Drip) => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>");
            for _ in 0..500 {
                std::thread::sleep(Duration::from_millis(200));
                if stream.write_all(b" ").is_err() {
                    return;
                }
            }
        }
        Some(Reply::Plain(status, headers, body)) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        None => {
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    }
}

/// How a run ended.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs pressbook with `args`, checking the bounds every hostile run must
/// keep, and returns what it printed.
fn run(args: &[&str]) -> Ran {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pressbook"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let o = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let e = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            if let Some(v) = s.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
                let kib = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                peak_kib = peak_kib.max(kib);
            }
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > TIME_BOUND {
            let _ = child.kill();
            panic!("{args:?} ran longer than {TIME_BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let ran = Ran {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&e.join().unwrap()).into_owned(),
    };
    assert_ne!(ran.code, 101, "{args:?} panicked:\n{}", ran.stderr);
    assert!(
        peak_kib >> 10 <= RSS_BOUND_MIB,
        "{args:?} peaked at {} MiB",
        peak_kib >> 10
    );
    for (name, text) in [("stdout", &ran.stdout), ("stderr", &ran.stderr)] {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{args:?}: raw control character on {name}: {text:?}"
        );
    }
    ran
}

/// A digest with one article in it already.
fn digest(name: &str, feeds: &[String]) -> PathBuf {
    let mut manifest =
        String::from("title = \"Harbour Week\"\nlanguage = \"en\"\ndate = \"2026-11-25\"\n");
    for f in feeds {
        manifest.push_str(&format!("\n[[feeds]]\nurl = \"{f}\"\nmax = 5\n"));
    }
    let dir = write_digest(
        name,
        &[
            ("pressbook.toml", manifest.as_bytes()),
            (
                "articles/kept.md",
                b"---\ntitle: Kept\n---\n\nThe old article stays as it was.\n",
            ),
        ],
    );
    dir
}

/// Every file of `dir` with its bytes, to compare before and after a run.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.ends_with("pressbook.state.json") {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn words(n: usize) -> String {
    "The tide came in over the old quay while the ferry waited. ".repeat(n / 11 + 1)
}

fn article(title: &str, extra: &str) -> String {
    format!("<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{}</p>{extra}<p>{}</p></article></body></html>", words(80), words(40))
}

#[test]
fn hostile_pages_fail_cleanly_or_are_read_safely() {
    let mut deflated = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    deflated
        .write_all(article("Packed", "").as_bytes())
        .unwrap();
    let noise: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
        .collect();
    let nested = format!(
        "{}<p>{}</p>{}",
        "<div>".repeat(30_000),
        words(60),
        "</div>".repeat(30_000)
    );
    let base = serve(vec![
        ("/escape", html(&article("Night \u{1b}]0;owned\u{7} \u{1b}[2J shift", ""))),
        ("/deflate", Reply::Plain(200, vec![("Content-Type", "text/html".into()), ("Content-Encoding", "deflate".into())], deflated.finish().unwrap())),
        ("/br", Reply::Plain(200, vec![("Content-Type", "text/html".into()), ("Content-Encoding", "br".into())], b"\x1b\x00garbage".to_vec())),
        ("/noise", Reply::Plain(200, vec![("Content-Type", "text/html".into())], noise)),
        ("/to-file", Reply::Plain(302, vec![("Location", "file:///etc/passwd".into())], Vec::new())),
        ("/busy", Reply::Plain(503, vec![("Retry-After", "120".into())], Vec::new())),
        ("/drip", Reply::Drip),
        ("/nested", html(&nested)),
        ("/links", html(&article("Links", "<p><a href='java&#x0A;script:alert(1)'>one</a> <a href='&#x01;javascript:alert(2)'>two</a> <a href='vbscript:msgbox(3)'>three</a> <a href=' data:text/html,x'>four</a> <a href='https://ok.example/'>five</a></p><pre><script>alert('pre')</script>kept code</pre>"))),
        ("/future", html(&article("Later", "").replace("<head>", "<head><meta property='article:published_time' content='9999-12-31T00:00:00Z'>"))),
    ]);
    let url = |p: &str| format!("{base}{p}");
    let extract = |p: &str| run(&["extract", &url(p), "--timeout", "3"]);

    let r = extract("/escape");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("title:"), "{}", r.stdout);

    let r = extract("/deflate");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("The tide came in"), "{}", r.stdout);

    // Refused, each said as what it is.
    for (path, why) in [
        ("/br", "compressed as \"br\""),
        ("/noise", "binary data, not text"),
        (
            "/to-file",
            "redirects to file:///etc/passwd, which is not an http",
        ),
        ("/busy", "answered 503 and asks to retry after 120 s"),
        ("/drip", "timed out after 3 s"),
    ] {
        let r = extract(path);
        assert_eq!(r.code, 1, "{path}");
        assert!(r.stderr.contains(why), "{path}: {}", r.stderr);
    }

    // Read, or given up at the --timeout: never an unbounded run.
    let r = extract("/nested");
    assert!(
        (r.code == 0 && r.stdout.contains("The tide came in"))
            || (r.code == 1 && r.stderr.contains("took longer than 3 s")),
        "{}",
        r.stderr
    );

    let r = extract("/links");
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Every link left goes to an http(s) address (the extractor may have
    // made a harmless path of a broken scheme); none runs anything.
    for target in r.stdout.split("](").skip(1) {
        let target = target.split(')').next().unwrap().to_ascii_lowercase();
        assert!(
            target.starts_with("http://") || target.starts_with("https://"),
            "{target}"
        );
    }
    assert!(
        !r.stdout.contains("alert('pre')") && !r.stdout.contains("](data:"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("(https://ok.example/)") && r.stdout.contains("kept code"),
        "{}",
        r.stdout
    );

    let r = extract("/future");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("9999"), "{}", r.stdout);
    assert!(
        r.stderr.contains("more than a day in the future"),
        "{}",
        r.stderr
    );

    // Failed adds leave the digest as it was; the good one is added.
    let dir = digest("hostile-add", &[]);
    let before = snapshot(&dir);
    for p in ["/br", "/noise", "/to-file", "/busy", "/drip"] {
        let r = run(&["add", dir.to_str().unwrap(), &url(p), "--timeout", "3"]);
        assert_eq!(r.code, 1, "{p}: {}", r.stderr);
        assert_eq!(snapshot(&dir), before, "{p} changed the digest");
    }
    let r = run(&[
        "add",
        dir.to_str().unwrap(),
        &url("/escape"),
        "--timeout",
        "3",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\\u{1b}]0;owned\\u{7}"), "{}", r.stdout);
    assert!(
        std::fs::read(dir.join("articles/kept.md")).unwrap()
            == before
                .iter()
                .find(|(p, _)| p.ends_with("kept.md"))
                .unwrap()
                .1
    );
}

#[test]
fn hostile_feeds_never_stop_the_feeds_after_them() {
    let good = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Good</title><item><title>Arrived \u{1b}[2J</title><link>{BASE}/item</link><guid>g1</guid><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate></item><item><title>Far</title><link>{BASE}/far</link><guid>g2</guid><pubDate>Fri, 31 Dec 9999 08:00:00 GMT</pubDate></item></channel></rss>"
        .to_string();
    let wide = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>Wide</title><item><title>Wide item</title><link>{BASE}/wide</link><guid>w</guid></item></channel></rss>";
    let mut bad_utf8 = good.clone().into_bytes();
    bad_utf8.insert(70, 0xC3);
    bad_utf8.insert(71, 0x28);
    let feed =
        |b: Vec<u8>| Reply::Plain(200, vec![("Content-Type", "application/rss+xml".into())], b);
    let srv = serve_with_self(move |b| {
        let utf16be: Vec<u8> = wide
            .replace("{BASE}", b)
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        vec![
            ("/wide.xml", feed(utf16be)),
            ("/bad.xml", feed(bad_utf8)),
            ("/good.xml", feed(good.replace("{BASE}", b).into_bytes())),
            ("/item", html(&article("Arrived", ""))),
            ("/far", html(&article("Far", ""))),
            ("/wide", html(&article("Wide item", ""))),
        ]
    });
    let dir = digest(
        "hostile-fetch",
        &[
            format!("{srv}/bad.xml"),
            format!("{srv}/wide.xml"),
            format!("{srv}/good.xml"),
        ],
    );
    let r = run(&[
        "fetch",
        dir.to_str().unwrap(),
        "--timeout",
        "3",
        "--since",
        "2026-11-01",
    ]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("not valid UTF-8 (at byte 70)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("9999-12-31 is more than a day in the future"),
        "{}",
        r.stderr
    );
    let names: Vec<String> = article_files(&dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("wide-item")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.starts_with("arrived")), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("far")), "{names:?}");
    let far = std::fs::read_to_string(dir.join("articles/far.md")).unwrap();
    assert!(!far.contains("9999"), "{far}");
    let r = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// [`serve`] with routes that need the server's own address.
fn serve_with_self(routes: impl FnOnce(&str) -> Vec<(&'static str, Reply)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let routes = routes(&base);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            std::thread::spawn(move || answer(stream, &routes));
        }
    });
    base
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let dir = digest("hostile-pipe", &[]);
    for args in [
        vec!["list", dir.to_str().unwrap()],
        vec!["man"],
        vec!["completions", "bash"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pressbook"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the command writes.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
