//! Preflight for reading devices: what a Kindle, a Kobo or Apple Books (or
//! the store pipeline in front of it) rejects or renders badly, found by
//! reading the finished book itself, so the check sees exactly what the
//! device will get. Each finding is a warning that says why it matters;
//! `--strict` makes them errors.

use std::io::{Cursor, Read};

use pressbook_model::diag::Diagnostic;

use super::KINDLE_MAIL_LIMIT;

/// Devices `check --device` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    Kindle,
    Kobo,
    Apple,
}

impl Device {
    pub fn name(self) -> &'static str {
        match self {
            Device::Kindle => "Kindle",
            Device::Kobo => "Kobo",
            Device::Apple => "Apple Books",
        }
    }
}

/// The longest image side worth sending: the largest e-reader screens are
/// about 1900 px on their long side; bigger images only cost memory and
/// time, and Kindle's conversion scales them down anyway.
pub const MAX_IMAGE_SIDE: u32 = 1920;

/// The cover's limit: Amazon's cover guideline is 1600×2560 px, which shows
/// sharp on every screen and in the store's library grid.
pub const MAX_COVER_SIDE: u32 = 2560;

/// What the preflight needs to know beyond the book.
pub struct Context {
    /// The manifest sets `language` (otherwise the book says `en` by default).
    pub language_stated: bool,
    /// Where the book's pictures came from, so findings name the file the
    /// user has and the article it is in, not a path inside the EPUB.
    pub pictures: Vec<PictureSource>,
}

/// One picture of the book, as the user knows it.
#[derive(Debug, Clone)]
pub struct PictureSource {
    /// Its file name in the book without the extension (the image step
    /// may change the format), e.g. `img-03-harbour`.
    pub stem: String,
    /// The file it was made from, e.g. `articles/images/harbour.jpg`.
    pub file: String,
    /// The articles that show it.
    pub articles: Vec<String>,
}

impl Context {
    /// How a finding names the picture at `path` inside the book.
    fn picture(&self, path: &str) -> String {
        let name = path.rsplit('/').next().unwrap_or(path);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        match self.pictures.iter().find(|p| p.stem == stem) {
            Some(p) if p.articles.is_empty() => format!("picture {}", p.file),
            Some(p) => format!("picture {} (in {})", p.file, p.articles.join(", ")),
            None => path.to_string(),
        }
    }
}

/// One item of the OPF manifest.
struct Item {
    href: String,
    media_type: String,
    properties: String,
}

impl Item {
    fn is_cover(&self) -> bool {
        self.properties
            .split_whitespace()
            .any(|p| p == "cover-image")
    }
}

/// The parts of a finished EPUB the rules read.
struct Book<'a> {
    file_name: &'a str,
    size: u64,
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    opf: String,
    /// The folder of the package document, which item paths are relative to.
    base: String,
    items: Vec<Item>,
}

impl<'a> Book<'a> {
    fn open(file_name: &'a str, bytes: &'a [u8]) -> anyhow::Result<Self> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| anyhow::anyhow!("{file_name} is not a readable EPUB: {e}"))?;
        let mut book = Book {
            file_name,
            size: bytes.len() as u64,
            zip,
            opf: String::new(),
            base: String::new(),
            items: Vec::new(),
        };
        let container = book.text("META-INF/container.xml").unwrap_or_default();
        let opf_path = attr(&container, "rootfile", "full-path").unwrap_or_default();
        book.opf = book
            .text(&opf_path)
            .ok_or_else(|| anyhow::anyhow!("{file_name} has no package document"))?;
        book.base = opf_path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        book.items = items(&book.opf);
        Ok(book)
    }

    fn read(&mut self, name: &str) -> Option<Vec<u8>> {
        let mut e = self.zip.by_name(name).ok()?;
        let mut v = Vec::new();
        e.read_to_end(&mut v).ok()?;
        Some(v)
    }

    fn text(&mut self, name: &str) -> Option<String> {
        self.read(name).and_then(|v| String::from_utf8(v).ok())
    }

    /// An item's path in the zip.
    fn path(&self, item: &Item) -> String {
        if self.base.is_empty() {
            item.href.clone()
        } else {
            format!("{}/{}", self.base, item.href)
        }
    }

    /// Apple Books shows embedded fonts when the package asks for them, in
    /// the OPF or in its own display-options file (epub-builder writes one).
    fn asks_apple_for_fonts(&mut self) -> bool {
        self.opf.contains("ibooks:specified-fonts")
            || self
                .read("META-INF/com.apple.ibooks.display-options.xml")
                .is_some_and(|d| String::from_utf8_lossy(&d).contains("\"specified-fonts\">true<"))
    }
}

/// Findings for one device, each with the reason it matters.
struct Findings {
    device: Device,
    found: Vec<Diagnostic>,
}

impl Findings {
    fn warn(&mut self, msg: String, why: &str) {
        let dev = self.device.name();
        self.found
            .push(Diagnostic::warning(format!("{dev}: {msg}")).hint(why.to_string()));
    }
}

/// Checks the EPUB `book` (named `file_name`) for `device`.
pub fn preflight(
    device: Device,
    file_name: &str,
    book: &[u8],
    cx: &Context,
) -> anyhow::Result<Vec<Diagnostic>> {
    let mut book = Book::open(file_name, book)?;
    let mut f = Findings {
        device,
        found: Vec::new(),
    };
    language_rule(&book, cx, &mut f);
    cover_rule(&book, &mut f);
    resource_rules(&mut book, cx, &mut f);
    match device {
        Device::Kindle => kindle_rules(&book, &mut f),
        Device::Kobo => kobo_rules(&book, &mut f),
        Device::Apple => {}
    }
    Ok(f.found)
}

/// Language: the device picks fonts, hyphenation, dictionary and voice by it.
fn language_rule(book: &Book, cx: &Context, f: &mut Findings) {
    let lang = element_text(&book.opf, "dc:language").unwrap_or_default();
    if lang.trim().is_empty() || lang.trim() == "und" {
        f.warn(
            format!("{} declares no language", book.file_name),
            "Send to Kindle rejects an EPUB without one, and every reader uses it to choose hyphenation, the dictionary and the read-aloud voice: set `language` in pressbook.toml",
        );
    } else if !cx.language_stated {
        f.warn(
            format!("the manifest sets no `language`, so the book says `{lang}` by default"),
            "readers hyphenate, look words up and read aloud in the book's language: set `language` in pressbook.toml (e.g. \"en-GB\", \"de\")",
        );
    }
}

fn cover_rule(book: &Book, f: &mut Findings) {
    if !book.items.iter().any(Item::is_cover) {
        f.warn(
            "the book has no cover image".into(),
            "the library shows a blank tile without one",
        );
    }
}

/// Images and fonts, item by item.
fn resource_rules(book: &mut Book, cx: &Context, f: &mut Findings) {
    let apple_fonts = book.asks_apple_for_fonts();
    let dev = f.device.name();
    for item in std::mem::take(&mut book.items) {
        let path = book.path(&item);
        match item.media_type.as_str() {
            "image/webp" if f.device != Device::Apple => f.warn(
                format!(
                    "{} is a WebP image, which {dev} does not show",
                    cx.picture(&path)
                ),
                "convert it to JPEG (photographs) or PNG (drawings) before adding it",
            ),
            "image/png" | "image/jpeg" | "image/gif" => {
                let size = book.read(&path).and_then(|data| {
                    image::ImageReader::new(Cursor::new(data))
                        .with_guessed_format()
                        .ok()?
                        .into_dimensions()
                        .ok()
                });
                // Covers have their own guideline: Kindle's is 1600×2560.
                let limit = if item.is_cover() {
                    MAX_COVER_SIDE
                } else {
                    MAX_IMAGE_SIDE
                };
                if let Some((w, h)) = size.filter(|(w, h)| *w.max(h) > limit) {
                    f.warn(
                        format!("{} is {w}×{h} px in the book, over {limit} px", cx.picture(&path)),
                        "no e-reader screen is that large: the device scales it down, spending memory and page-turn time, and Kindle's conversion may refuse very large images; pressbook scales pictures to 1600 × 1920 px unless [images] max_width or max_height asks for more",
                    );
                }
            }
            t if is_font(t, &item.href) => font_rule(&path, apple_fonts, f),
            _ => {}
        }
        book.items.push(item);
    }
}

fn kindle_rules(book: &Book, f: &mut Findings) {
    if book.size > KINDLE_MAIL_LIMIT {
        f.warn(
            format!(
                "{} is {}, over Send to Kindle's 50 MB limit for mail",
                book.file_name,
                super::human_size(book.size)
            ),
            "Amazon refuses larger attachments: shrink the images, or copy the file with the Send to Kindle app or USB",
        );
    }
}

fn kobo_rules(book: &Book, f: &mut Findings) {
    if !book
        .items
        .iter()
        .any(|i| i.media_type == "application/x-dtbncx+xml")
    {
        f.warn(
            format!("{} has no NCX table of contents", book.file_name),
            "Kobo firmware before 4.x reads the contents from toc.ncx only, and shows none without it",
        );
    }
    if !book.file_name.ends_with(".kepub.epub") {
        f.warn(
            format!("{} is a plain EPUB", book.file_name),
            "Kobo opens plain EPUBs with its older renderer, without reading statistics or its page-turn and font options: build with --format kepub and copy the .kepub.epub",
        );
    }
}

fn font_rule(path: &str, apple_fonts: bool, f: &mut Findings) {
    let woff = path.ends_with(".woff") || path.ends_with(".woff2");
    match f.device {
        Device::Kindle if woff => f.warn(
            format!("{path} is a WOFF font, which Kindle does not read"),
            "embed TTF or OTF fonts",
        ),
        Device::Kindle => f.warn(
            format!("{path} is an embedded font that Kindle shows only with the Publisher Font setting"),
            "readers see their chosen font unless they pick Publisher Font: do not rely on it for meaning",
        ),
        Device::Kobo => f.warn(
            format!("{path} is an embedded font that Kobo shows only with the Publisher Default font"),
            "readers see their chosen font unless they pick Publisher Default: do not rely on it for meaning",
        ),
        Device::Apple if !apple_fonts => f.warn(
            format!("{path} is an embedded font that Apple Books ignores without ibooks:specified-fonts"),
            "declare <meta property=\"ibooks:specified-fonts\">true</meta> in the package",
        ),
        Device::Apple => {}
    }
}

fn is_font(media_type: &str, href: &str) -> bool {
    media_type.starts_with("font/")
        || media_type.starts_with("application/font-")
        || media_type.starts_with("application/x-font-")
        || media_type == "application/vnd.ms-opentype"
        || [".ttf", ".otf", ".woff", ".woff2"]
            .iter()
            .any(|e| href.to_ascii_lowercase().ends_with(e))
}

/// The `<item>`s of the OPF manifest.
fn items(opf: &str) -> Vec<Item> {
    opf.split("<item ")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            let get = |name: &str| attr_in(tag, name).unwrap_or_default();
            Some(Item {
                href: get("href"),
                media_type: get("media-type"),
                properties: get("properties"),
            })
        })
        .collect()
}

/// The value of attribute `name` on the first `<element …>`.
fn attr(xml: &str, element: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!("<{element} "))?;
    let tag = &xml[start..start + xml[start..].find('>')?];
    attr_in(tag, name)
}

fn attr_in(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    loop {
        let i = rest.find(name)?;
        let before = rest[..i].chars().next_back();
        let after = rest[i + name.len()..].trim_start();
        if before.is_none_or(char::is_whitespace) {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                let v = &v[1..];
                return Some(unescape(&v[..v.find(q)?]));
            }
        }
        rest = &rest[i + name.len()..];
    }
}

fn element_text(xml: &str, element: &str) -> Option<String> {
    let start = xml.find(&format!("<{element}"))?;
    let open_end = start + xml[start..].find('>')? + 1;
    let end = open_end + xml[open_end..].find(&format!("</{element}>"))?;
    Some(unescape(&xml[open_end..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal EPUB with the given OPF manifest items and files.
    fn book(lang: &str, items: &str, files: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        // Stored, so that a large file makes a large book.
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("META-INF/container.xml", o).unwrap();
        z.write_all(b"<container><rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles></container>").unwrap();
        z.start_file("OEBPS/content.opf", o).unwrap();
        write!(z, "<package><metadata><dc:language>{lang}</dc:language></metadata><manifest>{items}</manifest></package>").unwrap();
        for (name, data) in files {
            z.start_file(format!("OEBPS/{name}"), o).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut v = Vec::new();
        image::RgbImage::new(w, h)
            .write_to(&mut Cursor::new(&mut v), image::ImageFormat::Png)
            .unwrap();
        v
    }

    fn messages(device: Device, name: &str, data: &[u8], stated: bool) -> Vec<String> {
        preflight(
            device,
            name,
            data,
            &Context {
                language_stated: stated,
                pictures: vec![PictureSource {
                    stem: "big".into(),
                    file: "articles/images/big.png".into(),
                    articles: vec!["articles/plans.md".into()],
                }],
            },
        )
        .unwrap()
        .iter()
        .map(|d| d.render(false))
        .collect()
    }

    const COVER: &str =
        "<item id=\"c\" href=\"c.png\" media-type=\"image/png\" properties=\"cover-image\"/>";
    const NCX: &str = "<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>";

    #[test]
    fn a_clean_book_passes_everywhere() {
        let b = book(
            "en-GB",
            &format!("{COVER}{NCX}"),
            &[("c.png", png(600, 800))],
        );
        for d in [Device::Kindle, Device::Apple] {
            assert!(messages(d, "b.epub", &b, true).is_empty());
        }
        assert!(messages(Device::Kobo, "b.kepub.epub", &b, true).is_empty());
    }

    #[test]
    fn a_book_over_the_mail_limit_is_flagged_for_kindle_only() {
        let big = vec![7u8; KINDLE_MAIL_LIMIT as usize + 1];
        let b = book(
            "en",
            &format!("{COVER}{NCX}"),
            &[("c.png", png(10, 10)), ("big.bin", big)],
        );
        let k = messages(Device::Kindle, "b.epub", &b, true).join("\n");
        assert!(k.contains("over Send to Kindle's 50 MB limit"), "{k}");
        assert!(messages(Device::Apple, "b.epub", &b, true).is_empty());
    }

    #[test]
    fn each_rule_fires_with_its_reason() {
        let items = format!(
            "{COVER}<item id=\"w\" href=\"w.webp\" media-type=\"image/webp\"/><item id=\"f\" href=\"f.woff2\" media-type=\"font/woff2\"/><item media-type=\"image/png\" id=\"big\" href=\"big.png\"/>"
        );
        let b = book(
            "",
            &items,
            &[
                ("c.png", png(10, 10)),
                ("big.png", png(2400, 100)),
                ("w.webp", vec![0; 8]),
            ],
        );
        let k = messages(Device::Kindle, "b.epub", &b, true).join("\n");
        for needle in [
            "declares no language",
            "Send to Kindle rejects",
            "w.webp is a WebP image",
            "OEBPS/f.woff2 is a WOFF font",
            "picture articles/images/big.png (in articles/plans.md) is 2400×100 px in the book",
        ] {
            assert!(k.contains(needle), "{needle} missing from:\n{k}");
        }
        let kobo = messages(Device::Kobo, "b.epub", &b, true).join("\n");
        assert!(
            kobo.contains("no NCX") && kobo.contains("--format kepub"),
            "{kobo}"
        );
        assert!(kobo.contains("Publisher Default"), "{kobo}");
        let apple = messages(Device::Apple, "b.epub", &b, true).join("\n");
        assert!(apple.contains("ibooks:specified-fonts"), "{apple}");
        assert!(!apple.contains("WebP"), "Apple Books shows WebP:\n{apple}");
        let bare = book("en", NCX, &[]);
        let m = messages(Device::Apple, "b.epub", &bare, false).join("\n");
        assert!(
            m.contains("no cover image") && m.contains("sets no `language`"),
            "{m}"
        );
    }
}
