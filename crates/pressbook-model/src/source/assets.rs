//! Images an article uses: each local file read, checked and kept once for
//! the whole digest, whichever articles refer to it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{markdown, Limits};
use crate::diag::{Diagnostic, Refusal, Sink};
use crate::model::{Article, Asset, AssetId, Block, ImageFormat, ImageSrc, Inline};
use markdown::ImageResolver;

/// Local images, each read and checked once, shared by all articles.
#[derive(Debug, Default)]
pub struct AssetStore {
    assets: Vec<Asset>,
    paths: Vec<PathBuf>,
    /// Images must lie in this folder (resolved); `None` with `--allow-outside`.
    root: Option<PathBuf>,
}

impl AssetStore {
    /// A store that refuses images outside `root` (symlinks resolved).
    pub fn confined_to(root: Option<PathBuf>) -> Self {
        AssetStore {
            root,
            ..AssetStore::default()
        }
    }

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

    /// Loads an image the manifest names (the logo), confined to `root`
    /// (`None` with `--allow-outside`) whatever this store's own root is.
    pub fn load_named(
        &mut self,
        path: &Path,
        root: Option<&Path>,
        limits: &Limits,
    ) -> Result<AssetId, Diagnostic> {
        let own = std::mem::replace(&mut self.root, root.map(Path::to_path_buf));
        let loaded = self.load(path, limits);
        self.root = own;
        loaded
    }

    /// Loads the image at `path` (once), or explains why it cannot.
    pub(super) fn load(&mut self, path: &Path, limits: &Limits) -> Result<AssetId, Diagnostic> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if let Some(i) = self.paths.iter().position(|p| *p == key) {
            return Ok(AssetId(i));
        }
        if let Some(root) = &self.root {
            if path.exists() && !key.starts_with(root) {
                return Err(Diagnostic::error(format!(
                    "image {} lies outside the digest folder",
                    path.display()
                ))
                .hint("copy the image into the digest folder, or pass --allow-outside"));
            }
        }
        let size = std::fs::metadata(path)
            .map_err(|e| {
                Diagnostic::error(format!("image {} cannot be read: {e}", path.display()))
                    .hint("check the path; it is relative to the article file")
            })?
            .len();
        if size > limits.max_image_bytes {
            return Err(Diagnostic::error(format!(
                "image {} is {} MiB, over the {} MiB limit",
                path.display(),
                size >> 20,
                limits.max_image_bytes >> 20
            ))
            .hint("scale the image down before adding it"));
        }
        let data = std::fs::read(path).map_err(|e| {
            Diagnostic::error(format!("image {} cannot be read: {e}", path.display()))
                .hint("check the file's permissions")
        })?;
        let (format, width, height) = probe_image(&data).map_err(|why| {
            Diagnostic::error(format!("image {} cannot be decoded: {why}", path.display()))
                .hint("use a PNG, JPEG, GIF or SVG file")
        })?;
        if u64::from(width) * u64::from(height) > limits.max_image_pixels {
            return Err(Diagnostic::error(format!(
                "image {} is {width}×{height} pixels, over the limit of {} megapixels",
                path.display(),
                limits.max_image_pixels / 1_000_000
            ))
            .hint("scale the image down before adding it"));
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
fn probe_image(data: &[u8]) -> Result<(ImageFormat, u32, u32), Refusal> {
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
        Ok(other) => return Err(format!("{other:?} images are not supported").into()),
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

/// Resolves a Markdown article's image references against its folder.
pub(super) struct LocalImages<'a> {
    pub dir: PathBuf,
    pub path: &'a Path,
    pub file_text: &'a str,
    pub body_offset: usize,
    pub limits: &'a Limits,
    pub assets: &'a mut AssetStore,
    pub diags: &'a mut Sink,
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
            Err(d) => {
                let line = markdown::body_line(self.file_text, self.body_offset, offset);
                self.diags.push(d.at(self.path).line(line));
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

#[cfg(test)]
mod tests {
    use super::*;
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
