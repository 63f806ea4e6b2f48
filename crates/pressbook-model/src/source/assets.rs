//! Images an article uses: each local file read, checked and kept once for
//! the whole digest, whichever articles refer to it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{markdown, Limits};
use crate::diag::{Diagnostic, Sink};
use crate::model::{Article, Asset, AssetId, Block, ImageSrc, Inline};
use crate::picture::{self, Refused};
use markdown::ImageResolver;

/// Local images, each read and checked once, shared by all articles.
#[derive(Debug, Default)]
pub struct AssetStore {
    assets: Vec<Asset>,
    paths: Vec<PathBuf>,
    /// Images must lie in this folder (resolved); `None` with `--allow-outside`.
    root: Option<PathBuf>,
    /// Warnings about what the SVG allow-list removed, one per file.
    removed: Vec<Diagnostic>,
}

impl AssetStore {
    /// A store that refuses images outside `root` (symlinks resolved).
    pub fn confined_to(root: Option<PathBuf>) -> Self {
        AssetStore {
            root,
            ..AssetStore::default()
        }
    }

    /// Warnings about SVG content removed since the last call.
    pub fn take_notes(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.removed)
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
        let limits = limits.pictures();
        if size > limits.max_bytes {
            let why = Refused::TooLarge {
                size: size >> 20,
                limit: limits.max_bytes >> 20,
            };
            return Err(refused(path, &why));
        }
        let data = std::fs::read(path).map_err(|e| {
            Diagnostic::error(format!("image {} cannot be read: {e}", path.display()))
                .hint("check the file's permissions")
        })?;
        let checked = picture::check(data, &limits).map_err(|why| refused(path, &why))?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(markdown::slug)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "image".into());
        let ext = checked.format.extension();
        let format = checked.format;
        let (width, height) = (checked.width, checked.height);
        if !checked.removed.is_empty() {
            self.removed.push(Diagnostic::warning(format!(
                "image {}: removed from the SVG: {}",
                path.display(),
                checked.removed.join(", ")
            ))
            .hint("the book holds the drawing without them: nothing in an e-book may run a script or load from the web"));
        }
        let data = checked.data;
        let id = AssetId(self.assets.len());
        self.assets.push(Asset {
            name: format!("img-{:02}-{stem}.{ext}", id.0 + 1),
            media_type: format.media_type(),
            data: Arc::new(data),
            width,
            height,
            format,
            source: key.clone(),
        });
        self.paths.push(key);
        Ok(id)
    }
}

/// The local pictures an article shows, in order (for messages that name
/// the article a picture is in).
pub fn assets_of(article: &Article) -> Vec<AssetId> {
    let mut ids = Vec::new();
    let mut note = |src: &mut ImageSrc| {
        if let ImageSrc::Asset(id) = src {
            ids.push(*id);
        }
    };
    for_each_image(&mut article.body.clone(), &mut note);
    for n in &article.footnotes {
        for_each_image(&mut n.content.clone(), &mut note);
    }
    ids
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

/// A picture refused by [`picture::check`]: a warning (the image is left
/// out and the article kept), naming the file.
fn refused(path: &Path, why: &Refused) -> Diagnostic {
    Diagnostic::warning(format!("image {} is left out: {why}", path.display())).hint(
        "the article is built without it (its alt text shows instead); replace the file with a PNG, JPEG, GIF, WebP or SVG picture of at most 60 megapixels",
    )
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
        let loaded = self.assets.load(&target, self.limits);
        let line = markdown::body_line(self.file_text, self.body_offset, offset);
        for d in self.assets.take_notes() {
            self.diags.push(d.at(self.path).line(line));
        }
        match loaded {
            Ok(id) => ImageSrc::Asset(id),
            Err(d) => {
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
}
