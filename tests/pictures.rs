//! Pictures: checked where they enter (`add`, `fetch`, `build` of local
//! files) and fitted to each output by the image step. Every picture here
//! is made by the test itself; pages are served on 127.0.0.1.

use std::io::{BufRead, BufReader, Cursor, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

use crate::common::*;

/// A server answering each path with (content type, body); 404 otherwise.
struct Site {
    base: String,
}

type Routes = Arc<Vec<(String, &'static str, Vec<u8>)>>;

impl Site {
    fn start(routes: Vec<(&str, &'static str, Vec<u8>)>) -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Routes = Arc::new(
            routes
                .into_iter()
                .map(|(p, t, b)| (p.to_string(), t, b))
                .collect(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let routes = routes.clone();
                std::thread::spawn(move || answer(stream, &routes));
            }
        });
        Site { base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn answer(mut stream: TcpStream, routes: &Routes) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
    }
    let found = routes.iter().find(|(p, _, _)| *p == path);
    let (status, ctype, body) = match found {
        Some((_, t, b)) => ("200 OK", *t, b.as_slice()),
        None => ("404 Not Found", "text/plain", &b"gone"[..]),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(body);
}

pub fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut v = Vec::new();
    img.write_to(&mut Cursor::new(&mut v), format).unwrap();
    v
}

/// A smooth colour picture (gradients and a disc), `w` × `h`.
pub fn photo(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let d = ((fx - 0.5).powi(2) + (fy - 0.4).powi(2)).sqrt();
        let disc = if d < 0.2 { 90.0 } else { 0.0 };
        Rgb([
            (40.0 + 180.0 * fx + disc).min(255.0) as u8,
            (60.0 + 150.0 * fy) as u8,
            (200.0 - 120.0 * fx * fy + disc / 2.0).min(255.0) as u8,
        ])
    })
}

/// A PNG whose header claims `w` × `h` pixels and which holds no data.
pub fn claimed_png(w: u32, h: u32) -> Vec<u8> {
    let mut data = encode(
        &DynamicImage::ImageRgb8(RgbImage::new(1, 1)),
        ImageFormat::Png,
    );
    data[16..20].copy_from_slice(&w.to_be_bytes());
    data[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&data[12..29]);
    data[29..33].copy_from_slice(&crc.to_be_bytes());
    data
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// SVGs that must never reach a book as they are.
pub fn hostile_svgs() -> Vec<(&'static str, String)> {
    let ns = "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"";
    vec![
        ("script", format!("<svg {ns} width=\"40\" height=\"40\"><script>alert(1)</script><rect width=\"40\" height=\"40\" fill=\"#36c\"/></svg>")),
        ("onload", format!("<svg {ns} onload=\"alert(2)\" width=\"40\" height=\"40\"><circle r=\"10\" cx=\"20\" cy=\"20\" onmouseover=\"alert(3)\"/></svg>")),
        ("jslink", format!("<svg {ns} width=\"40\" height=\"40\"><a xlink:href=\"javascript:alert(4)\"><rect width=\"9\" height=\"9\"/></a><a href=\"java&#x0A;script:alert(5)\"><rect width=\"5\" height=\"5\"/></a></svg>")),
        ("foreign", format!("<svg {ns} width=\"40\" height=\"40\"><foreignObject width=\"40\" height=\"40\"><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"https://evil.example/\"></iframe></foreignObject><rect width=\"4\" height=\"4\"/></svg>")),
        ("remote", format!("<svg {ns} width=\"40\" height=\"40\"><style>@import url(https://evil.example/x.css); rect {{ fill: url(https://evil.example/p.png) }}</style><image href=\"https://evil.example/t.png\" width=\"9\" height=\"9\"/><use xlink:href=\"https://evil.example/s.svg#a\"/><rect width=\"4\" height=\"4\" style=\"fill:url('https://evil.example/q.png')\"/></svg>")),
        ("xxe", format!("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg {ns} width=\"40\" height=\"40\"><text y=\"20\">&x;</text></svg>")),
        ("malformed", format!("<svg {ns} width=\"40\" height=\"40\"><g><rect width=\"4\" height=\"4\"></svg>")),
    ]
}

/// Words that must not appear anywhere in a book's SVG or XHTML.
pub const ACTIVE: &[&str] = &[
    "<script",
    "onload=",
    "onmouseover=",
    "javascript:",
    "foreignObject",
    "evil.example",
    "@import",
    "/etc/passwd",
    "<!DOCTYPE svg [",
];

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

fn new_digest(name: &str, extra: &str) -> PathBuf {
    let dir = scratch(name).join("digest");
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    std::fs::write(
        dir.join("pressbook.toml"),
        format!("title = \"Harbour Pictures\"\nlanguage = \"en\"\ndate = \"2026-11-25\"\n{extra}"),
    )
    .unwrap();
    dir
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// The text of every SVG and XHTML file in the EPUB.
fn book_markup(epub: &Path) -> String {
    unzip(epub)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".svg") || n.ends_with(".xhtml") || n.ends_with(".opf"))
        .map(|(n, d)| format!("== {n}\n{}\n", String::from_utf8_lossy(&d)))
        .collect()
}

fn assert_inert(markup: &str) {
    for bad in ACTIVE {
        assert!(!markup.contains(bad), "{bad} reached the book:\n{markup}");
    }
}

/// `add` on a page whose pictures are hostile or broken: it saves the
/// article with the good pictures and the SVGs rebuilt, warns naming each
/// picture left out, and the digest then builds clean.
#[test]
fn add_keeps_the_article_and_drops_bad_pictures() {
    let good = encode(&DynamicImage::ImageRgb8(photo(320, 200)), ImageFormat::Png);
    let junk = [&b"\x89PNG\r\n\x1a\n"[..], &[0x5A; 3000]].concat();
    let not_found = b"<!DOCTYPE html><html><head><title>404</title></head><body><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><circle r=\"4\"/></svg><p>Not found</p></body></html>".to_vec();
    let mut routes: Vec<(&str, &'static str, Vec<u8>)> = vec![
        ("/img/good.png", "image/png", good),
        ("/img/huge.png", "image/png", claimed_png(100_000, 100_000)),
        ("/img/junk.png", "image/png", junk),
        ("/img/logo.svg", "image/svg+xml", not_found),
    ];
    let svgs = hostile_svgs();
    let svg_paths: Vec<String> = svgs.iter().map(|(n, _)| format!("/img/{n}.svg")).collect();
    for ((_, body), path) in svgs.iter().zip(&svg_paths) {
        routes.push((path.as_str(), "image/svg+xml", body.clone().into_bytes()));
    }
    let imgs: String = routes
        .iter()
        .map(|(p, _, _)| format!("<figure><img src=\"{p}\" alt=\"picture {p}\"></figure>\n"))
        .collect();
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Cranes at the harbour</title></head><body><article><h1>Cranes at the harbour</h1>\n{}\n{imgs}\n{}</article></body></html>",
        "<p>The new cranes arrived on Tuesday and were lifted into place by the morning shift, watched by a crowd of dock workers and their families.</p>".repeat(4),
        "<p>By evening the first container ship had been unloaded, two hours faster than the old cranes ever managed.</p>".repeat(3),
    );
    routes.push((
        "/news/cranes.html",
        "text/html; charset=utf-8",
        page.into_bytes(),
    ));
    let site = Site::start(routes);
    let dir = new_digest("pictures-add-hostile", "");
    let (code, out, err) = run(&["add", s(&dir), &site.url("/news/cranes.html")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("added"), "{out}{err}");
    for (bad, why) in [
        ("/img/huge.png", "100000×100000"),
        ("/img/junk.png", "cannot be decoded"),
        ("/img/logo.svg", "HTML page"),
        ("/img/malformed.svg", "not well-formed"),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(&site.url(bad)))
            .unwrap_or_else(|| panic!("no warning for {bad}:\n{err}"));
        assert!(
            line.starts_with("warning: ") && line.contains(why),
            "{bad}: {line}"
        );
    }
    assert!(err.contains("removed from the SVG: <script>"), "{err}");
    let saved = files(&dir.join("articles"));
    assert!(saved.iter().any(|f| f.ends_with("good.png")), "{saved:?}");
    for gone in ["huge", "junk", "logo", "malformed"] {
        assert!(
            !saved.iter().any(|f| f.contains(gone)),
            "{gone} saved: {saved:?}"
        );
    }
    for f in saved.iter().filter(|f| f.ends_with(".svg")) {
        assert_inert(&std::fs::read_to_string(dir.join("articles").join(f)).unwrap());
    }
    let outdir = scratch("pictures-add-hostile-out");
    let (code, _, err) = run(&[
        "build",
        s(&dir),
        "--out",
        s(&outdir),
        "--format",
        "epub",
        "--strict",
    ]);
    assert_eq!(code, 0, "{err}");
    let epub = file_in(&outdir, "epub");
    assert_epub_valid(&epub);
    assert_inert(&book_markup(&epub));
}

/// `build` of local files: a picture that cannot be used is a warning
/// naming it, the article is built without it, and hostile SVGs reach the
/// book rebuilt. Nothing a failed picture does stops the build.
#[test]
fn build_drops_bad_local_pictures_with_a_warning() {
    let dir = new_digest("pictures-build-hostile", "");
    let pics = dir.join("articles/images");
    std::fs::create_dir_all(&pics).unwrap();
    std::fs::write(pics.join("huge.png"), claimed_png(100_000, 100_000)).unwrap();
    std::fs::write(
        pics.join("junk.png"),
        [&b"\x89PNG\r\n\x1a\n"[..], &[7u8; 500]].concat(),
    )
    .unwrap();
    std::fs::write(
        pics.join("page.svg"),
        b"<!DOCTYPE html><html><body><svg></svg></body></html>",
    )
    .unwrap();
    // Over 60 megapixels, and a small file.
    let big = image::GrayImage::from_pixel(8000, 7600, image::Luma([200]));
    std::fs::write(
        pics.join("big.png"),
        encode(&DynamicImage::ImageLuma8(big), ImageFormat::Png),
    )
    .unwrap();
    let mut body =
        String::from("# Harbour drawings\n\nThe harbour office published its plans this week.\n\n");
    for n in ["huge.png", "junk.png", "page.svg", "big.png"] {
        body.push_str(&format!("![bad {n}](images/{n})\n\n"));
    }
    for (n, svg) in hostile_svgs() {
        std::fs::write(pics.join(format!("{n}.svg")), svg).unwrap();
        body.push_str(&format!("![drawing {n}](images/{n}.svg)\n\n"));
    }
    std::fs::write(dir.join("articles/plans.md"), body).unwrap();
    let out = scratch("pictures-build-hostile-out");
    let (code, _, err) = run(&["build", s(&dir), "--out", s(&out), "--format", "epub"]);
    assert_eq!(code, 0, "{err}");
    for (name, why) in [
        ("huge.png", "100000×100000"),
        ("junk.png", "cannot be decoded"),
        ("page.svg", "HTML page"),
        ("big.png", "8000×7600"),
        ("malformed.svg", "not well-formed"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning: image ") && l.contains(name) && l.contains(why)),
            "{name}: {err}"
        );
    }
    assert!(
        err.contains("removed from the SVG: <foreignObject>"),
        "{err}"
    );
    let epub = file_in(&out, "epub");
    assert_epub_valid(&epub);
    let markup = book_markup(&epub);
    assert_inert(&markup);
    assert!(markup.contains("Harbour drawings"));
    // --strict makes the warnings stop the build, writing nothing new.
    let strict_out = scratch("pictures-build-hostile-strict");
    let (code, _, _) = run(&[
        "build",
        s(&dir),
        "--out",
        s(&strict_out),
        "--format",
        "epub",
        "--strict",
    ]);
    assert_eq!(code, 1);
    assert!(files(&strict_out).is_empty());
}

#[allow(dead_code)]
fn rgba(w: u32, h: u32) -> RgbaImage {
    RgbaImage::from_fn(w, h, |x, y| {
        Rgba([(x % 256) as u8, (y % 256) as u8, 90, ((x + y) % 256) as u8])
    })
}

/// A JPEG of `img` with an EXIF segment saying `orientation` and holding
/// a GPS-like string, as a phone writes it.
fn jpeg_with_exif(img: &RgbImage, orientation: u16) -> Vec<u8> {
    let plain = encode(&DynamicImage::ImageRgb8(img.clone()), ImageFormat::Jpeg);
    let mut tiff = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
    tiff.extend(orientation.to_le_bytes());
    tiff.extend([0, 0, 0, 0, 0, 0]);
    tiff.extend(b"GPSLatitude 52.3676N");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(len.to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

fn animated_gif() -> Vec<u8> {
    let mut v = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new(&mut v);
        let frames = (0..3).map(|i| {
            image::Frame::new(RgbaImage::from_pixel(
                60,
                40,
                Rgba([80 * i as u8, 90, 200, 255]),
            ))
        });
        enc.encode_frames(frames).unwrap();
    }
    v
}

/// Mean SSIM of two grey pictures of one size, over 8 × 8 windows.
fn ssim(a: &image::GrayImage, b: &image::GrayImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let (w, h) = a.dimensions();
    let (mut total, mut n) = (0.0, 0.0);
    for by in (0..h.saturating_sub(7)).step_by(8) {
        for bx in (0..w.saturating_sub(7)).step_by(8) {
            let px = |img: &image::GrayImage| -> Vec<f64> {
                (0..64)
                    .map(|k| f64::from(img.get_pixel(bx + k % 8, by + k / 8).0[0]))
                    .collect()
            };
            let (x, y) = (px(a), px(b));
            let mx = x.iter().sum::<f64>() / 64.0;
            let my = y.iter().sum::<f64>() / 64.0;
            let vx = x.iter().map(|v| (v - mx).powi(2)).sum::<f64>() / 63.0;
            let vy = y.iter().map(|v| (v - my).powi(2)).sum::<f64>() / 63.0;
            let cov = x
                .iter()
                .zip(&y)
                .map(|(p, q)| (p - mx) * (q - my))
                .sum::<f64>()
                / 63.0;
            total += ((2.0 * mx * my + c1) * (2.0 * cov + c2))
                / ((mx * mx + my * my + c1) * (vx + vy + c2));
            n += 1.0;
        }
    }
    total / n
}

/// A digest of the pictures real pages carry.
fn picture_digest(name: &str, extra: &str) -> (PathBuf, RgbImage) {
    let dir = new_digest(name, extra);
    let pics = dir.join("articles/images");
    std::fs::create_dir_all(&pics).unwrap();
    let big = photo(6000, 4000);
    let mut rotated = photo(300, 200);
    for y in 0..40 {
        for x in 0..40 {
            rotated.put_pixel(x, y, Rgb([250, 0, 0]));
        }
    }
    let wide16 = image::ImageBuffer::<image::Rgba<u16>, Vec<u16>>::from_fn(2400, 900, |x, y| {
        image::Rgba([
            (x * 27) as u16,
            (y * 70) as u16,
            30000,
            if x < 100 { 0 } else { 65535 },
        ])
    });
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("harbour.jpg", jpeg_with_exif(&big, 1)),
        ("phone.jpg", jpeg_with_exif(&rotated, 6)),
        (
            "chart16.png",
            encode(&DynamicImage::ImageRgba16(wide16), ImageFormat::Png),
        ),
        (
            "quay.webp",
            encode(
                &DynamicImage::ImageRgb8(photo(2200, 1400)),
                ImageFormat::WebP,
            ),
        ),
        (
            "map.bmp",
            encode(
                &DynamicImage::ImageRgb8(photo(2500, 1800)),
                ImageFormat::Bmp,
            ),
        ),
        (
            "scan.tif",
            encode(
                &DynamicImage::ImageRgb8(photo(2100, 2900)),
                ImageFormat::Tiff,
            ),
        ),
        ("spinner.gif", animated_gif()),
        (
            "pixel.png",
            encode(
                &DynamicImage::ImageRgba8(RgbaImage::new(1, 1)),
                ImageFormat::Png,
            ),
        ),
    ];
    let mut body = String::from("# The harbour in pictures\n\nA week at the harbour, in photographs and drawings sent in by readers.\n\n");
    for (n, data) in &files {
        std::fs::write(pics.join(n), data).unwrap();
        body.push_str(&format!(
            "![Picture {n}](images/{n})\n\nSent in by a reader this week.\n\n"
        ));
    }
    std::fs::write(dir.join("articles/pictures.md"), body).unwrap();
    (dir, big)
}

/// The pictures inside a book: (name, bytes).
fn book_pictures(epub: &Path) -> Vec<(String, Vec<u8>)> {
    unzip(epub)
        .into_iter()
        .filter(|(n, _)| n.contains("/images/img-"))
        .collect()
}

#[test]
fn pictures_are_fitted_to_e_readers() {
    let (dir, big) = picture_digest("pictures-fit", "");
    let out = scratch("pictures-fit-out");
    let (code, _, err) = run(&["build", s(&dir), "--out", s(&out), "--format", "epub"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("spinner.gif is animated"), "{err}");
    let epub = file_in(&out, "epub");
    assert_epub_valid(&epub);
    let pics = book_pictures(&epub);
    assert_eq!(
        pics.len(),
        8,
        "{:?}",
        pics.iter().map(|p| &p.0).collect::<Vec<_>>()
    );
    for (name, data) in &pics {
        assert!(
            [".jpg", ".png", ".gif"].iter().any(|e| name.ends_with(e)),
            "{name} is not a format every reader shows"
        );
        let img = image::load_from_memory(data).unwrap();
        assert!(
            img.width() <= 1600 && img.height() <= 1920,
            "{name}: {}×{}",
            img.width(),
            img.height()
        );
        for meta in [&b"Exif\0\0"[..], b"GPSLatitude"] {
            assert!(
                !data.windows(meta.len()).any(|w| w == meta),
                "{name} keeps its metadata"
            );
        }
    }
    let find = |stem: &str| {
        let (_, d) = pics.iter().find(|(n, _)| n.contains(stem)).unwrap();
        image::load_from_memory(d).unwrap()
    };
    // The phone photo stands upright: portrait, its red corner at the top right.
    let phone = find("phone").to_rgb8();
    assert_eq!(phone.dimensions(), (200, 300));
    let corner = phone.get_pixel(185, 15).0;
    assert!(corner[0] > 200 && corner[1] < 60, "{corner:?}");
    // The big photo still looks like itself.
    let harbour = find("harbour");
    let (w, h) = (harbour.width(), harbour.height());
    let reference = DynamicImage::ImageRgb8(big)
        .resize_exact(w, h, image::imageops::FilterType::Triangle)
        .to_luma8();
    let score = ssim(&harbour.to_luma8(), &reference);
    assert!(score >= 0.9, "SSIM {score}");
    // Transparency is kept as PNG.
    assert!(pics
        .iter()
        .any(|(n, _)| n.contains("chart16") && n.ends_with(".png")));
    // check --device finds nothing about the pictures for any reader.
    for device in ["kindle", "kobo", "apple"] {
        let (_, o, e) = run(&["check", s(&dir), "--device", device]);
        let all = format!("{o}{e}");
        assert!(
            !all.contains("px in the book") && !all.contains("WebP"),
            "{device}: {all}"
        );
    }
    // A rebuild uses the cache and gives the same bytes.
    let first = std::fs::read(&epub).unwrap();
    assert!(out.join(".pictures").is_dir());
    let (code, _, err) = run(&["build", s(&dir), "--out", s(&out), "--format", "epub"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(&epub).unwrap(),
        first,
        "a rebuild changed the book"
    );
    // The originals are never changed.
    assert!(std::fs::read(dir.join("articles/images/phone.jpg"))
        .unwrap()
        .windows(6)
        .any(|w| w == b"Exif\0\0"));
}

#[test]
fn a_budget_and_greyscale_fit_the_kepub() {
    let (dir, _) = picture_digest("pictures-budget", "[images]\ngreyscale = true\n");
    let out = scratch("pictures-budget-out");
    let (code, _, err) = run(&["build", s(&dir), "--out", s(&out), "--format", "kepub"]);
    assert_eq!(code, 0, "{err}");
    let book = file_in(&out, "epub");
    let free = std::fs::metadata(&book).unwrap().len();
    let budget = free * 6 / 10;
    let (code, o, err) = run(&[
        "build",
        s(&dir),
        "--out",
        s(&out),
        "--format",
        "kepub",
        "--image-budget",
        &budget.to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(o.contains("pictures fitted to the"), "{o}");
    let size = std::fs::metadata(&book).unwrap().len();
    assert!(size <= budget, "{size} over {budget} (unfitted {free})");
    assert_epub_valid(&book);
    for (name, data) in book_pictures(&book) {
        let img = image::load_from_memory(&data).unwrap().to_rgba8();
        assert!(
            img.pixels().all(|p| p.0[0] == p.0[1] && p.0[1] == p.0[2]),
            "{name} is not grey"
        );
    }
    // A budget the text alone cannot meet is refused with the reason.
    let (code, _, err) = run(&[
        "build",
        s(&dir),
        "--out",
        s(&out),
        "--format",
        "kepub",
        "--image-budget",
        "20kB",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot be made to fit"), "{err}");
}
