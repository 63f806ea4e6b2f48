//! End-to-end: the book on devices. The Kobo KEPUB checked with EPUBCheck,
//! Ace and against the plain EPUB page by page; `send` against a real SMTP
//! server (aiosmtpd) on 127.0.0.1; `check --device` on real digests.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::common::*;

/// Values of attribute `name` in an XHTML page, in order.
fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn kepub_keeps_every_page_text_link_and_note() {
    let out = scratch("kepub-sample");
    let files = build(&repo().join("input"), &out, "kepub");
    assert_eq!(files.len(), 1, "{files:?}");
    let kepub = files[0].clone();
    assert_eq!(
        kepub.file_name().unwrap().to_str().unwrap(),
        "frontline-weekly-2026-11-23.kepub.epub"
    );
    assert_epub_valid(&kepub);

    let epub_out = scratch("kepub-sample-epub");
    let epub = only_with_ext(&build(&repo().join("input"), &epub_out, "epub"), "epub");
    let plain = unzip(&epub);
    let kobo = unzip(&kepub);
    assert_eq!(
        plain.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        kobo.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        "same files in the same order"
    );
    let mut spans = 0;
    for ((name, a), (_, b)) in plain.iter().zip(&kobo) {
        if !name.ends_with(".xhtml") {
            assert_eq!(a, b, "{name} changed");
            continue;
        }
        let (a, b) = (
            std::str::from_utf8(a).unwrap(),
            std::str::from_utf8(b).unwrap(),
        );
        assert_eq!(xhtml_text(a), xhtml_text(b), "{name}: text changed");
        let hrefs = |p: &str| attr_values(p, "href");
        assert_eq!(hrefs(a), hrefs(b), "{name}: links changed");
        // Every id of the EPUB page is still there, and all ids are unique.
        let ids_b = attr_values(b, "id");
        for id in attr_values(a, "id") {
            assert!(ids_b.contains(&id), "{name}: id {id} lost");
        }
        let mut sorted = ids_b.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ids_b.len(), "{name}: duplicate ids");
        assert!(
            b.contains("<div id=\"book-columns\"><div id=\"book-inner\">"),
            "{name}: no Kobo wrapper"
        );
        spans += b.matches("class=\"koboSpan\" id=\"kobo.").count();
        // Note references keep their element, type, role and target.
        for (i, chunk) in a.split("<a epub:type=\"noteref\"").enumerate().skip(1) {
            let tag = chunk.split('>').next().unwrap();
            assert!(b.contains(tag), "{name}: noteref {i} changed: {tag}");
        }
    }
    assert!(spans > 300, "only {spans} Kobo spans");
    // A paragraph's sentences each get a span, numbered by paragraph.
    let page = kobo
        .iter()
        .find(|(n, _)| n.contains("/a01-"))
        .map(|(_, d)| std::str::from_utf8(d).unwrap())
        .unwrap();
    let p = page
        .split("<p>")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    let ids = attr_values(p, "id");
    assert!(ids.len() >= 2, "{p}");
    let para = ids[0].rsplit_once('.').unwrap().0.to_string();
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(id, &format!("{para}.{}", i + 1), "{p}");
    }
    // Code keeps its spacing: no spans inside <pre>.
    for (name, d) in &kobo {
        let d = String::from_utf8_lossy(d);
        for pre in d.split("<pre").skip(1) {
            let pre = pre.split("</pre>").next().unwrap();
            assert!(!pre.contains("koboSpan"), "{name}: span in code");
        }
    }
    assert_ace_clean(&[&kepub]);
}

/// A real SMTP server (aiosmtpd) on 127.0.0.1, stopped when dropped.
pub(crate) struct SmtpServer {
    child: Child,
    pub(crate) port: u16,
    dir: PathBuf,
}

impl SmtpServer {
    pub(crate) fn start(name: &str, auth: Option<&str>) -> Self {
        Self::start_with(name, auth, None)
    }

    /// `tls`: "smtps" or "starttls", with a certificate from the server's
    /// own authority, whose certificate is [`SmtpServer::ca`].
    fn start_with(name: &str, auth: Option<&str>, tls: Option<&str>) -> Self {
        let python = std::env::var("PRESSBOOK_PYTHON").expect(
            "PRESSBOOK_PYTHON is not set: run the suite with `bash tests/run.sh`, which installs aiosmtpd",
        );
        let dir = scratch(name);
        let mut cmd = Command::new(python);
        cmd.arg(repo().join("tests/tools/smtp_server.py"))
            .arg(dir.join("mail"));
        if let Some(a) = auth {
            cmd.args(["--auth", a]);
        }
        if let Some(t) = tls {
            cmd.args(["--tls", t]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP test server");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the SMTP test server did not start (is aiosmtpd installed? run `bash tests/run.sh`): {line:?}")
        });
        SmtpServer { child, port, dir }
    }

    /// The certificate of the authority that signed a TLS server's.
    fn ca(&self) -> PathBuf {
        self.dir.join("mail/ca.pem")
    }

    /// The messages received: (envelope JSON, raw message).
    pub(crate) fn messages(&self) -> Vec<(serde_json::Value, PathBuf)> {
        let mut v = Vec::new();
        for i in 1.. {
            let json = self.dir.join(format!("mail/{i}.json"));
            let Ok(text) = std::fs::read_to_string(&json) else {
                break;
            };
            v.push((
                serde_json::from_str(&text).unwrap(),
                self.dir.join(format!("mail/{i}.eml")),
            ));
        }
        v
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `pressbook send ARGS` with `smtp` as `PRESSBOOK_SMTP` and a home
/// folder of its own (so no real config file is read).
pub(crate) fn send(home: &Path, smtp: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pressbook"));
    c.arg("send")
        .args(args)
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    match smtp {
        Some(s) => c.env("PRESSBOOK_SMTP", s),
        None => c.env_remove("PRESSBOOK_SMTP"),
    };
    c.output().expect("run pressbook send")
}

/// The attachments of a message, decoded by Python's own e-mail parser:
/// (file name, bytes).
fn attachments(eml: &Path) -> Vec<(String, Vec<u8>)> {
    let python = std::env::var("PRESSBOOK_PYTHON").unwrap();
    let out = eml.with_extension("parts");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let script = [
        "import email, email.policy, sys, pathlib",
        "m = email.message_from_bytes(pathlib.Path(sys.argv[1]).read_bytes(), policy=email.policy.default)",
        "for part in m.iter_attachments():",
        "    (pathlib.Path(sys.argv[2]) / part.get_filename()).write_bytes(part.get_content())",
    ]
    .join("\n");
    let o = Command::new(python)
        .args(["-c", &script])
        .arg(eml)
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_str().unwrap().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn header<'a>(eml: &'a str, name: &str) -> Option<&'a str> {
    eml.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
}

#[test]
fn send_mails_the_built_book_to_every_recipient() {
    let server = SmtpServer::start("send-plain", None);
    let home = scratch("send-plain-home");
    let out = scratch("send-plain-out");
    let smtp = format!("smtp://127.0.0.1:{}", server.port);
    let dir = repo().join("input");
    let args = [
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--to",
        "reader@kindle.example.com",
        "--to",
        "second@example.org",
        "--from",
        "Editor <editor@example.org>",
    ];
    let o = send(&home, Some(&smtp), &args);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let book = out.join("frontline-weekly-2026-11-23.epub");
    assert!(book.is_file(), "send builds the EPUB");
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    let (env, eml) = &msgs[0];
    assert_eq!(env["mail_from"], "editor@example.org");
    assert_eq!(
        env["rcpt_tos"],
        serde_json::json!(["reader@kindle.example.com", "second@example.org"])
    );
    let raw = std::fs::read_to_string(eml).unwrap();
    assert!(
        header(&raw, "Subject").is_some_and(|s| s.contains("Frontline Weekly")),
        "{raw:.600}"
    );
    let parts = attachments(eml);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].0, "frontline-weekly-2026-11-23.epub");
    assert!(
        parts[0].1 == std::fs::read(&book).unwrap(),
        "the attachment is the built file byte for byte"
    );
    assert!(
        stdout(&o).contains("reader@kindle.example.com"),
        "{}",
        stdout(&o)
    );

    // Nothing changed: the build is reused, not rewritten.
    let before = std::fs::metadata(&book).unwrap().modified().unwrap();
    let o = send(&home, Some(&smtp), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("up to date"), "{}", stderr(&o));
    assert_eq!(
        std::fs::metadata(&book).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(server.messages().len(), 2);

    // The KEPUB and the PDF go the same way.
    for (format, name) in [
        ("kepub", "frontline-weekly-2026-11-23.kepub.epub"),
        ("pdf", "frontline-weekly-2026-11-23.pdf"),
    ] {
        let mut a = args.to_vec();
        a.extend(["--format", format]);
        let o = send(&home, Some(&smtp), &a);
        assert!(o.status.success(), "{}", stderr(&o));
        let msgs = server.messages();
        let parts = attachments(&msgs.last().unwrap().1);
        assert_eq!(parts[0].0, name);
        assert!(parts[0].1 == std::fs::read(out.join(name)).unwrap());
    }
}

#[test]
fn send_logs_in_and_never_shows_the_password() {
    let server = SmtpServer::start("send-auth", Some("editor:s3cret-Pa55"));
    let home = scratch("send-auth-home");
    let out = scratch("send-auth-out");
    let dir = fixture("flat");
    let args = [
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--to",
        "reader@example.org",
        "--from",
        "editor@example.org",
    ];
    // A wrong password: refused, with the server named and no password shown.
    let wrong = format!("smtp://editor:wr0ng-Pa55@127.0.0.1:{}", server.port);
    let o = send(&home, Some(&wrong), &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let all = stdout(&o) + &stderr(&o);
    assert!(all.contains(&format!("127.0.0.1:{}", server.port)), "{all}");
    assert!(!all.contains("wr0ng-Pa55"), "password shown:\n{all}");
    assert!(server.messages().is_empty());

    // The right one, from the config file this time.
    let cfg = home.join(".config/pressbook");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        format!(
            "[smtp]\nurl = \"smtp://editor:s3cret-Pa55@127.0.0.1:{}\"\nfrom = \"editor@example.org\"\n",
            server.port
        ),
    )
    .unwrap();
    let o = send(&home, None, &args[..5]);
    assert!(o.status.success(), "{}", stderr(&o));
    let all = stdout(&o) + &stderr(&o);
    assert!(!all.contains("s3cret-Pa55"), "password shown:\n{all}");
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].0["authenticated"], true);
    assert_eq!(msgs[0].0["mail_from"], "editor@example.org");
    // Nothing the build wrote holds the password either.
    for e in std::fs::read_dir(&out).unwrap() {
        let data = std::fs::read(e.unwrap().path()).unwrap();
        assert!(!data.windows(11).any(|w| w == b"s3cret-Pa55"));
    }
}

#[test]
fn send_failures_name_the_server_and_exit_codes_follow_the_rules() {
    let home = scratch("send-fail-home");
    let out = scratch("send-fail-out");
    let dir = fixture("flat");
    let base = [
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--from",
        "editor@example.org",
    ];
    let with = |extra: &[&'static str]| {
        let mut v = base.to_vec();
        v.extend_from_slice(extra);
        v
    };
    // No server listening: exit 1, host and port named.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("smtps://u:hunter2-x@127.0.0.1:{port}");
    let o = send(&home, Some(&url), &with(&["--to", "r@example.org"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("127.0.0.1:{port}")),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("hunter2-x"), "{}", stderr(&o));

    // A server that speaks plain SMTP where TLS was asked for: exit 1.
    let server = SmtpServer::start("send-fail-tls", None);
    let url = format!("smtps://127.0.0.1:{}", server.port);
    let o = send(&home, Some(&url), &with(&["--to", "r@example.org"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("127.0.0.1:{}", server.port)),
        "{}",
        stderr(&o)
    );

    // Over the size limit: refused before anything is sent, saying what to do.
    let url = format!("smtp://127.0.0.1:{}", server.port);
    let o = send(
        &home,
        Some(&url),
        &with(&["--to", "r@example.org", "--max-size", "2kB"]),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("50 MB") && stderr(&o).contains("--max-size"),
        "{}",
        stderr(&o)
    );
    assert!(server.messages().is_empty());

    // Wrong usage: exit 2.
    for (smtp, args, needle) in [
        (Some(url.as_str()), with(&[]), "--to"),
        (
            Some(url.as_str()),
            with(&["--to", "not an address"]),
            "not an address",
        ),
        (None, with(&["--to", "r@example.org"]), "PRESSBOOK_SMTP"),
        (
            Some("http://x:hunter2-y@example.org"),
            with(&["--to", "r@example.org"]),
            "PRESSBOOK_SMTP",
        ),
        (
            Some(url.as_str()),
            with(&["--to", "r@example.org", "--format", "all"]),
            "format",
        ),
    ] {
        let o = send(&home, smtp, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("hunter2-y"), "{}", stderr(&o));
    }
    assert!(server.messages().is_empty());
}

#[test]
fn send_over_tls_trusts_the_authority_named_by_ca() {
    let home = scratch("send-tls-home");
    let out = scratch("send-tls-out");
    let dir = fixture("flat");
    let args = [
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--from",
        "editor@example.org",
        "--to",
        "reader@example.org",
    ];
    for (mode, scheme, query) in [
        ("smtps", "smtps", "?"),
        ("starttls", "smtp", "?tls=required&"),
    ] {
        let server = SmtpServer::start_with(
            &format!("send-tls-{mode}"),
            Some("editor:tls-Pa55"),
            Some(mode),
        );
        let ca = server.ca();
        let at = format!("editor:tls-Pa55@127.0.0.1:{}", server.port);
        // The server's certificate is not from a public authority: refused.
        let bare = format!("{scheme}://{at}{}", query.trim_end_matches(['?', '&']));
        let o = send(&home, Some(&bare), &args);
        assert_eq!(o.status.code(), Some(1), "{mode}: {}", stderr(&o));
        assert!(
            server.messages().is_empty(),
            "{mode}: nothing sent unverified"
        );
        assert!(!stderr(&o).contains("tls-Pa55"), "{}", stderr(&o));
        // Trusting its authority: the message goes, encrypted and logged in.
        let url = format!("{scheme}://{at}{query}ca={}", ca.display());
        let o = send(&home, Some(&url), &args);
        assert!(o.status.success(), "{mode}: {}{}", stdout(&o), stderr(&o));
        let msgs = server.messages();
        assert_eq!(msgs.len(), 1, "{mode}");
        assert_eq!(msgs[0].0["authenticated"], true, "{mode}");
        assert_eq!(
            msgs[0].0["rcpt_tos"],
            serde_json::json!(["reader@example.org"])
        );
        let parts = attachments(&msgs[0].1);
        let book = file_in(&out, "epub");
        assert!(
            parts[0].1 == std::fs::read(&book).unwrap(),
            "{mode}: byte for byte"
        );
        assert!(!stdout(&o).contains("tls-Pa55") && !stderr(&o).contains("tls-Pa55"));
    }
    // A ca= file that is not there is named as such, before connecting.
    let o = send(
        &home,
        Some("smtps://127.0.0.1:1?ca=/nonexistent/ca.pem"),
        &args,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("/nonexistent/ca.pem"), "{}", stderr(&o));
}

/// A PNG of `side`×`side` pixels of noise: it does not compress, so a few
/// of them make a book of a known, large size.
fn noise_png(side: u32, seed: u64) -> Vec<u8> {
    let mut x = seed;
    let img = image::RgbImage::from_fn(side, side, |_, _| {
        // xorshift: cheap, and enough to defeat deflate.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        image::Rgb([x as u8, (x >> 8) as u8, (x >> 16) as u8])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[test]
/// Pictures that would make the book too large for mail are fitted by the
/// image step (scaled to the readers' sizes), and the book goes out.
fn send_fits_pictures_that_would_make_the_book_too_large() {
    let server = SmtpServer::start("send-big", None);
    let home = scratch("send-big-home");
    let images: Vec<Vec<u8>> = (1..=3).map(|i| noise_png(2400, i)).collect();
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "pressbook.toml".into(),
            b"title = \"Picture Week\"\ndate = 2026-11-30\nlanguage = \"en\"\narticles = [\"photos.md\"]\n".to_vec(),
        ),
        (
            "photos.md".into(),
            b"---\ntitle: Three photographs\n---\n\n![Static one](one.png)\n\n![Static two](two.png)\n\n![Static three](three.png)\n".to_vec(),
        ),
    ];
    for (name, png) in ["one.png", "two.png", "three.png"].iter().zip(images) {
        files.push((name.to_string(), png));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = write_digest("send-big-digest", &refs);
    let out = dir.join("dist");
    let url = format!("smtp://127.0.0.1:{}", server.port);
    let o = send(
        &home,
        Some(&url),
        &[
            dir.to_str().unwrap(),
            "--to",
            "reader@kindle.example.com",
            "--from",
            "e@example.org",
        ],
    );
    let book = out.join("picture-week-2026-11-30.epub");
    let size = std::fs::metadata(&book).map(|m| m.len()).unwrap_or(0);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(size > 0 && size <= 50_000_000, "{size} bytes");
    assert_eq!(server.messages().len(), 1, "the book is sent");
}

/// A digest with no `language` and an image wider than any e-reader.
fn device_fixture(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("articles/images")).unwrap();
    std::fs::write(
        dir.join("pressbook.toml"),
        "title = \"Device Test\"\ndate = \"2026-11-23\"\narticles = [\"articles/wide.md\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("articles/wide.md"),
        "---\ntitle: A wide picture\nsource: Test Desk\n---\n\nA panorama follows.\n\n![A long strip of grey](images/wide.png)\n",
    )
    .unwrap();
    let img = image::RgbImage::from_pixel(2400, 300, image::Rgb([120, 120, 120]));
    img.save(dir.join("articles/images/wide.png")).unwrap();
    dir
}

fn check_device(dir: &Path, device: &str, strict: bool) -> Output {
    let mut args = vec!["check", dir.to_str().unwrap(), "--device", device];
    if strict {
        args.push("--strict");
    }
    pressbook(&args)
}

#[test]
fn device_preflight_explains_each_finding() {
    let sample = repo().join("input");
    for device in ["kindle", "kobo", "apple"] {
        let o = check_device(&sample, device, true);
        assert!(o.status.success(), "{device}: {}{}", stdout(&o), stderr(&o));
        assert!(
            stdout(&o).contains("0 warning(s)"),
            "{device}: {}",
            stdout(&o)
        );
    }
    let dir = device_fixture("device-wide");
    let o = check_device(&dir, "kindle", false);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    // The image step scales the wide picture to the readers' sizes, so
    // no picture is flagged any more.
    assert!(!err.contains("px in the book"), "{err}");
    assert!(err.contains("sets no `language`"), "{err}");
    assert!(err.contains("help:"), "each finding says why: {err}");
    let o = check_device(&dir, "kindle", true);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error"), "{}", stderr(&o));
    let o = check_device(&dir, "nook", false);
    assert_eq!(o.status.code(), Some(2));
}
