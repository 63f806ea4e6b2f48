//! `[images]` as validated: how the image step fits pictures to each
//! output, and how many pictures `add` and `fetch` take.

/// The image step's settings (`[images]`, `build --image-budget`).
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSettings {
    /// The whole book's size the EPUB/KEPUB is fitted to, in bytes.
    pub budget: Option<u64>,
    /// JPEG quality of re-encoded pictures, 1–100.
    pub quality: u8,
    /// Longest width and height in the EPUB/KEPUB; `None`: the flavour's
    /// default ([`EREADER_MAX_WIDTH`] × [`EREADER_MAX_HEIGHT`]).
    pub max_width: Option<u32>,
    pub max_height: Option<u32>,
    /// Pictures in grey, for e-ink readers.
    pub greyscale: bool,
    /// What `add` and `fetch` take.
    pub quota: PictureQuota,
}

/// The e-reader default: no side over what the largest e-ink screens show,
/// and within `check --device`'s 1920 px rule.
pub const EREADER_MAX_WIDTH: u32 = 1600;
pub const EREADER_MAX_HEIGHT: u32 = 1920;
/// JPEG quality unless `[images] quality` says otherwise.
pub const DEFAULT_QUALITY: u8 = 85;

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            budget: None,
            quality: DEFAULT_QUALITY,
            max_width: None,
            max_height: None,
            greyscale: false,
            quota: PictureQuota::default(),
        }
    }
}

/// What one output asks of its pictures; the image step
/// (`pressbook-pictures`) prepares every picture to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PictureTarget {
    /// Longest width and height (`u32::MAX`: any).
    pub max_width: u32,
    pub max_height: u32,
    /// JPEG quality of re-encoded pictures.
    pub quality: u8,
    pub greyscale: bool,
    /// The whole book's size to fit, in bytes.
    pub budget: Option<u64>,
}

impl PictureTarget {
    /// Any size, in colour: pictures upright, in a format every output
    /// reads, metadata removed (the PDF resamples by placed size itself).
    pub fn any_size(s: &ImageSettings) -> Self {
        PictureTarget {
            max_width: u32::MAX,
            max_height: u32::MAX,
            quality: s.quality,
            greyscale: false,
            budget: None,
        }
    }

    /// An e-reader's: within the screen sizes `check --device` accepts,
    /// greyscale and the budget as `[images]` says.
    pub fn ereader(s: &ImageSettings) -> Self {
        PictureTarget {
            max_width: s.max_width.unwrap_or(EREADER_MAX_WIDTH),
            max_height: s.max_height.unwrap_or(EREADER_MAX_HEIGHT),
            quality: s.quality,
            greyscale: s.greyscale,
            budget: s.budget,
        }
    }
}

/// Limits on the pictures `add` and `fetch` download: per article and per
/// run, in count and bytes. Pictures past a limit are left out with a
/// warning; the article is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureQuota {
    pub per_article: usize,
    pub article_bytes: u64,
    pub per_run: usize,
    pub run_bytes: u64,
}

impl Default for PictureQuota {
    fn default() -> Self {
        PictureQuota {
            per_article: 40,
            article_bytes: 48 << 20,
            per_run: 400,
            run_bytes: 512 << 20,
        }
    }
}

/// Parses a size such as `45MB`, `25 MB`, `800kB`, `2MiB` or a number of
/// bytes (decimal units as mail services state them; `KiB`, `MiB`, `GiB`
/// binary).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    (n.is_finite() && n >= 0.0 && n * factor < 1e15).then(|| (n * factor).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("45MB"), Some(45_000_000));
        assert_eq!(parse_size("25 mb"), Some(25_000_000));
        assert_eq!(parse_size("1.5k"), Some(1500));
        assert_eq!(parse_size("2MiB"), Some(2 << 20));
        assert_eq!(parse_size("123"), Some(123));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("5 parsecs"), None);
    }
}
