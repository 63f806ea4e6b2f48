//! Prepared pictures kept on disk, keyed by the input bytes and every
//! setting that shapes the result, so a rebuild with unchanged pictures
//! decodes nothing and gives the same bytes. Each entry is written
//! atomically; an entry that cannot be read is simply made again.

use std::path::{Path, PathBuf};

use pressbook_model::model::{Asset, ImageFormat};
use pressbook_model::picture::PictureTarget;
use sha2::{Digest as _, Sha256};

use crate::prepare::Level;

/// Bumped whenever the step would make different bytes from the same input.
const VERSION: &str = "pictures-1";

/// A folder of prepared pictures.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Cache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry's file name for `a` fitted to `t` at `level`.
    pub fn key(a: &Asset, t: &PictureTarget, level: Level) -> String {
        let mut h = Sha256::new();
        h.update(VERSION);
        h.update(format!(
            "{}x{}q{}g{}l{}",
            t.max_width, t.max_height, t.quality, t.greyscale, level.0
        ));
        h.update((a.data.len() as u64).to_le_bytes());
        h.update(&a.data[..]);
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A prepared picture: one byte for the format, width and height
    /// (4 bytes each), then the file.
    pub fn get(&self, key: &str) -> Option<(ImageFormat, u32, u32, Vec<u8>)> {
        let raw = std::fs::read(self.dir.join(key)).ok()?;
        let format = match *raw.first()? {
            b'j' => ImageFormat::Jpeg,
            b'p' => ImageFormat::Png,
            b'g' => ImageFormat::Gif,
            _ => return None,
        };
        let w = u32::from_le_bytes(raw.get(1..5)?.try_into().ok()?);
        let h = u32::from_le_bytes(raw.get(5..9)?.try_into().ok()?);
        Some((format, w, h, raw.get(9..)?.to_vec()))
    }

    /// Keeps `a` under `key`; a failure only costs the next build time.
    pub fn put(&self, key: &str, a: &Asset) {
        let tag = match a.format {
            ImageFormat::Jpeg => b'j',
            ImageFormat::Png => b'p',
            ImageFormat::Gif => b'g',
            _ => return,
        };
        let mut raw = Vec::with_capacity(a.data.len() + 9);
        raw.push(tag);
        raw.extend(a.width.to_le_bytes());
        raw.extend(a.height.to_le_bytes());
        raw.extend_from_slice(&a.data);
        if std::fs::create_dir_all(&self.dir).is_ok() {
            let _ = pressbook_model::output::write_bytes(&self.dir.join(key), &raw);
        }
    }
}
