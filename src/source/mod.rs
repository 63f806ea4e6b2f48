//! Reading article files into the model: one function per file, whatever
//! its format.

pub mod markdown;
pub mod plaintext;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::diag::{line_col, Diagnostic, Diagnostics};
use crate::model::{
    Article, ArticleMeta, Asset, AssetId, Block, ImageFormat, ImageSrc, Inline, PubDate,
};
use markdown::{ImageResolver, FRONT_MATTER_KEYS};

/// Limits that keep hostile input from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_article_bytes: u64,
    pub max_image_bytes: u64,
    pub max_image_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_article_bytes: 8 << 20,
            max_image_bytes: 32 << 20,
            max_image_pixels: 60_000_000,
        }
    }
}

/// Local images, each read and checked once, shared by all articles.
#[derive(Debug, Default)]
pub struct AssetStore {
    assets: Vec<Asset>,
    paths: Vec<PathBuf>,
}

impl AssetStore {
    pub fn into_assets(self) -> Vec<Asset> {
        self.assets
    }

    /// Moves the assets of `other` (one article's) into this store and
    /// points the article's images at them. Articles are loaded in parallel,
    /// each with its own store; merging them in reading order keeps asset
    /// ids and names the same whatever the thread count.
    pub fn absorb(&mut self, other: AssetStore, article: &mut Article) {
        if other.assets.is_empty() {
            return;
        }
        let mut map = Vec::with_capacity(other.assets.len());
        for (mut asset, path) in other.assets.into_iter().zip(other.paths) {
            let id = match self.paths.iter().position(|p| *p == path) {
                Some(i) => AssetId(i),
                None => {
                    let id = AssetId(self.assets.len());
                    // Renumber the name's prefix for its global position.
                    let stem = asset
                        .name
                        .split_once('-')
                        .and_then(|(_, r)| r.split_once('-'))
                        .map_or(asset.name.clone(), |(_, r)| r.to_string());
                    asset.name = format!("img-{:02}-{stem}", id.0 + 1);
                    self.assets.push(asset);
                    self.paths.push(path);
                    id
                }
            };
            map.push(id);
        }
        let remap = |src: &mut ImageSrc| {
            if let ImageSrc::Asset(id) = src {
                *id = map[id.0];
            }
        };
        let mut remap = remap;
        for_each_image(&mut article.body, &mut remap);
        for note in &mut article.footnotes {
            for_each_image(&mut note.content, &mut remap);
        }
    }

    /// Loads the image at `path` (once), or explains why it cannot.
    fn load(&mut self, path: &Path, limits: &Limits) -> Result<AssetId, (String, String)> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if let Some(i) = self.paths.iter().position(|p| *p == key) {
            return Ok(AssetId(i));
        }
        let size = std::fs::metadata(path)
            .map_err(|e| {
                (
                    format!("image {} cannot be read: {e}", path.display()),
                    "check the path; it is relative to the article file".to_string(),
                )
            })?
            .len();
        if size > limits.max_image_bytes {
            return Err((
                format!(
                    "image {} is {} MiB, over the {} MiB limit",
                    path.display(),
                    size >> 20,
                    limits.max_image_bytes >> 20
                ),
                "scale the image down before adding it".into(),
            ));
        }
        let data = std::fs::read(path).map_err(|e| {
            (
                format!("image {} cannot be read: {e}", path.display()),
                "check the file's permissions".to_string(),
            )
        })?;
        let (format, width, height) = probe_image(&data).map_err(|why| {
            (
                format!("image {} cannot be decoded: {why}", path.display()),
                "use a PNG, JPEG, GIF or SVG file".to_string(),
            )
        })?;
        if u64::from(width) * u64::from(height) > limits.max_image_pixels {
            return Err((
                format!(
                    "image {} is {width}×{height} pixels, over the limit of {} megapixels",
                    path.display(),
                    limits.max_image_pixels / 1_000_000
                ),
                "scale the image down before adding it".into(),
            ));
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(markdown::slug)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "image".into());
        let ext = match format {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Gif => "gif",
            ImageFormat::Svg => "svg",
        };
        let id = AssetId(self.assets.len());
        self.assets.push(Asset {
            name: format!("img-{:02}-{stem}.{ext}", id.0 + 1),
            media_type: format.media_type(),
            data: Arc::new(data),
            width,
            height,
            format,
        });
        self.paths.push(key);
        Ok(id)
    }
}

/// Calls `f` on every image source in `blocks`.
fn for_each_image(blocks: &mut [Block], f: &mut dyn FnMut(&mut ImageSrc)) {
    fn inlines(v: &mut [Inline], f: &mut dyn FnMut(&mut ImageSrc)) {
        for i in v {
            match i {
                Inline::Image { src, .. } => f(src),
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => inlines(c, f),
                Inline::Link { content, .. } => inlines(content, f),
                _ => {}
            }
        }
    }
    for b in blocks {
        match b {
            Block::Image { src, .. } => f(src),
            Block::Heading { content, .. } | Block::Paragraph(content) => inlines(content, f),
            Block::Quote(inner) => for_each_image(inner, f),
            Block::List { items, .. } => items.iter_mut().for_each(|i| for_each_image(i, f)),
            Block::Table(t) => {
                for cell in t.head.iter_mut().chain(t.rows.iter_mut().flatten()) {
                    inlines(cell, f)
                }
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

/// Format and pixel size of an image, from its bytes (not its name).
fn probe_image(data: &[u8]) -> Result<(ImageFormat, u32, u32), String> {
    let head = &data[..data.len().min(512)];
    let head_text = String::from_utf8_lossy(head);
    if head_text.contains("<svg") || head_text.trim_start().starts_with("<?xml") {
        let text = String::from_utf8_lossy(data);
        if !text.contains("<svg") {
            return Err("XML file without an <svg> element".into());
        }
        let (w, h) = svg_size(&text).unwrap_or((800, 600));
        return Ok((ImageFormat::Svg, w, h));
    }
    let format = match image::guess_format(data) {
        Ok(image::ImageFormat::Png) => ImageFormat::Png,
        Ok(image::ImageFormat::Jpeg) => ImageFormat::Jpeg,
        Ok(image::ImageFormat::Gif) => ImageFormat::Gif,
        Ok(other) => return Err(format!("{other:?} images are not supported")),
        Err(_) => return Err("not a known image format".into()),
    };
    let reader = image::ImageReader::with_format(
        std::io::Cursor::new(data),
        match format {
            ImageFormat::Png => image::ImageFormat::Png,
            ImageFormat::Jpeg => image::ImageFormat::Jpeg,
            _ => image::ImageFormat::Gif,
        },
    );
    let (w, h) = reader.into_dimensions().map_err(|e| e.to_string())?;
    if w == 0 || h == 0 {
        return Err("the image is empty".into());
    }
    // Decode fully once so a truncated file is caught here, not in a reader.
    image::load_from_memory(data).map_err(|e| e.to_string())?;
    Ok((format, w, h))
}

/// Width and height of an SVG from its root attributes or viewBox.
fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| -> Option<f64> {
        let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let v = &tag[i..i + tag[i..].find('"')?];
        let num: String = v
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        num.parse().ok()
    };
    if let (Some(w), Some(h)) = (attr("width"), attr("height")) {
        return Some((w.round().max(1.0) as u32, h.round().max(1.0) as u32));
    }
    let i = tag.find("viewBox=\"")? + 9;
    let nums: Vec<f64> = tag[i..i + tag[i..].find('"')?]
        .split([' ', ','])
        .filter_map(|n| n.parse().ok())
        .collect();
    (nums.len() == 4).then(|| {
        (
            nums[2].round().max(1.0) as u32,
            nums[3].round().max(1.0) as u32,
        )
    })
}

/// Reads an article file and returns it with a provisional id (the digest
/// stage assigns the final one). Problems go to `diags`.
pub fn load_article(
    path: &Path,
    language: &str,
    limits: &Limits,
    assets: &mut AssetStore,
    diags: &mut Diagnostics,
) -> Option<Article> {
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot read article: {e}")).at(path));
            return None;
        }
    };
    if size > limits.max_article_bytes {
        diags.push(
            Diagnostic::error(format!(
                "article is {} KiB, over the {} KiB limit",
                size >> 10,
                limits.max_article_bytes >> 10
            ))
            .at(path)
            .hint("split it, or raise the limit with --max-article-size"),
        );
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot read article: {e}")).at(path));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
            let (line, col) = line_col(valid, offset);
            diags.push(
                Diagnostic::error(format!(
                    "article is not valid UTF-8 (byte offset {offset}: 0x{:02X})",
                    e.as_bytes()[offset]
                ))
                .at(path)
                .line_col(line, col)
                .hint("re-encode it as UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"),
            );
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::error("article is empty")
                .at(path)
                .hint("write the article, or remove it from the manifest"),
        );
        return None;
    }
    let is_markdown = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    );
    let article = if is_markdown {
        load_markdown(path, text, language, limits, assets, diags)
    } else {
        Some(load_plaintext(path, text, language, diags))
    }?;
    if article.body.is_empty() {
        diags.push(
            Diagnostic::error("article has a title but no text")
                .at(path)
                .hint("write the article body below the front matter"),
        );
        return None;
    }
    Some(article)
}

fn file_stem_title(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("Untitled");
    let words: Vec<String> = stem
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| w.to_string())
        .collect();
    let mut title = words.join(" ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    title
}

fn load_plaintext(path: &Path, text: &str, language: &str, diags: &mut Diagnostics) -> Article {
    let parsed = plaintext::parse(text);
    let mut meta = ArticleMeta {
        language: language.to_string(),
        ..Default::default()
    };
    match parsed.attribution {
        Some(a) => {
            meta.title = a.headline;
            meta.source = Some(a.source);
            meta.date = a.year.map(PubDate::Year);
            meta.rights = Some(a.raw);
        }
        None => {
            meta.title = file_stem_title(path);
            diags.push(
                Diagnostic::warning("no attribution line; the headline comes from the file name")
                    .at(path)
                    .hint("end the file with a line such as `(c) Publisher 2026: Headline`"),
            );
        }
    }
    Article {
        id: String::new(),
        path: path.to_path_buf(),
        meta,
        body: parsed
            .paragraphs
            .into_iter()
            .map(|p| Block::Paragraph(vec![Inline::Text(p.text)]))
            .collect(),
        footnotes: Vec::new(),
    }
}

struct LocalImages<'a> {
    dir: PathBuf,
    path: &'a Path,
    file_text: &'a str,
    body_offset: usize,
    limits: &'a Limits,
    assets: &'a mut AssetStore,
    diags: &'a mut Diagnostics,
}

impl ImageResolver for LocalImages<'_> {
    fn resolve(&mut self, url: &str, offset: usize) -> ImageSrc {
        let is_remote = url.contains("://") || url.starts_with("data:") || url.starts_with("//");
        if is_remote {
            return ImageSrc::Remote(url.to_string());
        }
        let decoded = percent_decode(url);
        let target = self.dir.join(&decoded);
        match self.assets.load(&target, self.limits) {
            Ok(id) => ImageSrc::Asset(id),
            Err((message, hint)) => {
                let line = markdown::body_line(self.file_text, self.body_offset, offset);
                self.diags.push(
                    Diagnostic::error(message)
                        .at(self.path)
                        .line(line)
                        .hint(hint),
                );
                ImageSrc::Remote(url.to_string())
            }
        }
    }
}

/// `%20` and friends in local image paths.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn load_markdown(
    path: &Path,
    text: &str,
    language: &str,
    limits: &Limits,
    assets: &mut AssetStore,
    diags: &mut Diagnostics,
) -> Option<Article> {
    let split = match markdown::split_front_matter(text) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d.at(path));
            return None;
        }
    };
    let front = match split.front {
        Some(yaml) => match markdown::parse_front_matter(yaml, split.front_line) {
            Ok(f) => f,
            Err(d) => {
                diags.push(d.at(path));
                return None;
            }
        },
        None => markdown::FrontMatter::default(),
    };
    for key in front.unknown.keys() {
        let line = text
            .lines()
            .position(|l| l.starts_with(&format!("{key}:")))
            .map_or(1, |i| i + 1);
        let mut d = Diagnostic::warning(format!("unknown front-matter key `{key}` is ignored"))
            .at(path)
            .line(line);
        d = match crate::manifest::suggest(key, FRONT_MATTER_KEYS) {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d.hint(format!("known keys are: {}", FRONT_MATTER_KEYS.join(", "))),
        };
        diags.push(d);
    }

    let date = match &front.date {
        None => None,
        Some(v) => {
            let s = match v {
                serde_norway::Value::String(s) => s.clone(),
                serde_norway::Value::Number(n) => n.to_string(),
                other => format!("{other:?}"),
            };
            let parsed = parse_pub_date(&s);
            if parsed.is_none() {
                let line = text
                    .lines()
                    .position(|l| l.starts_with("date:"))
                    .map_or(1, |i| i + 1);
                diags.push(
                    Diagnostic::warning(format!(
                        "front-matter date {s:?} is not a date; it is ignored"
                    ))
                    .at(path)
                    .line(line)
                    .hint("write it as YYYY-MM-DD or YYYY"),
                );
            }
            parsed
        }
    };

    let mut resolver = LocalImages {
        dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        path,
        file_text: text,
        body_offset: split.body_offset,
        limits,
        assets,
        diags,
    };
    let converted = markdown::convert(split.body, &mut resolver);
    for (offset, d) in converted.warnings {
        let line = markdown::body_line(text, split.body_offset, offset);
        diags.push(d.at(path).line(line));
    }
    let mut body = converted.body;

    // The headline: front matter, else a leading `# Heading`, else the file name.
    let leading_h1 = match body.first() {
        Some(Block::Heading {
            level: 1, content, ..
        }) => {
            let mut t = String::new();
            crate::model::visit_inline_text(content, &mut |s| t.push_str(s));
            Some(t)
        }
        _ => None,
    };
    let title = match (
        front.title.clone().filter(|t| !t.trim().is_empty()),
        leading_h1,
    ) {
        (Some(t), Some(h1)) => {
            if h1.trim() == t.trim() {
                body.remove(0); // the same headline twice
            }
            t
        }
        (Some(t), None) => t,
        (None, Some(h1)) => {
            body.remove(0);
            h1
        }
        (None, None) => {
            diags.push(
                Diagnostic::warning("no title; the headline comes from the file name")
                    .at(path)
                    .line(1)
                    .hint("add `title: ...` to the front matter"),
            );
            file_stem_title(path)
        }
    };

    // Blank values (as `pressbook new` writes them) mean "not given".
    let given = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let meta = ArticleMeta {
        title: title.trim().to_string(),
        author: given(front.author.as_ref().map(|a| a.joined())),
        source: given(front.source),
        url: given(front.url),
        date,
        section: given(front.section),
        language: given(front.language).unwrap_or_else(|| language.to_string()),
        rights: given(front.rights),
        summary: given(front.summary),
    };
    Some(Article {
        id: String::new(),
        path: path.to_path_buf(),
        meta,
        body,
        footnotes: converted.footnotes,
    })
}

/// `2026-11-20`, `2026-11-20T10:00:00Z` or `2026`.
fn parse_pub_date(s: &str) -> Option<PubDate> {
    let s = s.trim();
    if let Some(day) = s
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        return Some(PubDate::Day(day));
    }
    if s.len() == 4 {
        return s.parse().ok().map(PubDate::Year);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pub_dates() {
        assert_eq!(
            parse_pub_date("2026-11-20"),
            NaiveDate::from_ymd_opt(2026, 11, 20).map(PubDate::Day)
        );
        assert!(parse_pub_date("2026-11-20T08:00:00Z").is_some());
        assert_eq!(parse_pub_date("2018"), Some(PubDate::Year(2018)));
        assert_eq!(parse_pub_date("last week"), None);
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            file_stem_title(Path::new("a/market-close_notes.txt")),
            "Market close notes"
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("my%20pic.png"), "my pic.png");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg_size("<svg width=\"120\" height=\"40.4\">"),
            Some((120, 40))
        );
        assert_eq!(svg_size("<svg viewBox=\"0 0 300 150\">"), Some((300, 150)));
    }
}
