//! pressbook's own layout engine: the document model in, finished pages of
//! positioned items out.
//!
//! The stages, each in its own module:
//! - [`fonts`]: the faces (bundled or from the manifest) and coverage;
//! - [`shape`]: styled text runs shaped once per paragraph with harfrust;
//! - [`hyphen`] and [`linebreak`]: break opportunities (UAX #14, hyphenation
//!   patterns) and Knuth–Plass total-fit line breaking;
//! - [`paragraph`]: inline content → justified (or ragged) lines of glyphs;
//! - [`blocks`]: article blocks → a flow of unbreakable strips with
//!   page-break rules (keep with next, widows and orphans);
//! - [`paginate`]: the flow → pages.
//!
//! Everything is in PostScript points, with the origin at the top left of
//! the page and y growing downwards; the PDF writer flips it. The writer only
//! walks the finished [`Page`]s, and tests can inspect positions.

pub mod blocks;
pub mod fonts;
pub mod hyphen;
pub mod linebreak;
pub mod paginate;
pub mod paragraph;
pub mod shape;
pub mod style;
pub mod units;

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::model::{AssetId, Digest};

pub use fonts::{FaceId, FontSet};
pub use style::PageStyle;
pub use units::{Point, Rgb};

/// A laid-out document: pages plus what later stages (contents, bookmarks,
/// links) need to find things on them.
#[derive(Debug, Clone)]
pub struct Document {
    pub pages: Vec<Page>,
    /// Section → article → heading, with the page each starts on.
    pub outline: Vec<OutlineEntry>,
    pub warnings: Vec<Diagnostic>,
}

/// One finished page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    /// Everything drawn, in drawing order; positions are absolute.
    pub items: Vec<(Point, Item)>,
    /// The article this page belongs to (the one that is running at its top).
    pub article: Option<String>,
    /// Whether an article starts at the top of this page (no running head).
    pub opening: bool,
    /// Named destinations on this page: `article-id` or `article-id/heading-id`
    /// (and `article-id/fn3` for notes), with the y where they are.
    pub destinations: Vec<(String, f32)>,
    /// Clickable areas.
    pub links: Vec<LinkArea>,
}

/// Something drawn on a page.
#[derive(Debug, Clone)]
pub enum Item {
    Text(TextRun),
    /// A straight line from the position to `(x + dx, y + dy)`.
    Line {
        dx: f32,
        dy: f32,
        thickness: f32,
        color: Rgb,
    },
    /// A filled rectangle whose top-left corner is the position.
    Rect {
        w: f32,
        h: f32,
        fill: Rgb,
    },
    /// A stroked rectangle (frames).
    Frame {
        w: f32,
        h: f32,
        thickness: f32,
        color: Rgb,
    },
    /// An image whose top-left corner is the position.
    Image {
        asset: AssetId,
        w: f32,
        h: f32,
    },
}

/// Glyphs of one face, size and colour on one baseline. The position of the
/// item is the start of the baseline.
#[derive(Debug, Clone)]
pub struct TextRun {
    pub face: FaceId,
    pub size: f32,
    pub color: Rgb,
    pub glyphs: Vec<PlacedGlyph>,
    /// The source text; each glyph owns a slice of it (its cluster), so text
    /// extracted from the PDF is exactly the source.
    pub text: String,
}

impl TextRun {
    /// The text of glyph `i` (empty for the second and later glyphs of a
    /// cluster).
    pub fn glyph_text(&self, i: usize) -> &str {
        let g = &self.glyphs[i];
        &self.text[g.text.0 as usize..g.text.1 as usize]
    }

    /// Width from the run start to the end of the last glyph.
    pub fn width(&self) -> f32 {
        self.glyphs.last().map_or(0.0, |g| g.x + g.advance)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PlacedGlyph {
    pub gid: u16,
    /// Offset from the run's origin along the baseline.
    pub x: f32,
    /// The glyph's own advance (for extents).
    pub advance: f32,
    /// Byte range of its text in [`TextRun::text`].
    pub text: (u32, u32),
}

/// A clickable rectangle (top-left corner, size).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub target: LinkTarget,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    Url(String),
    /// A named destination (see [`Page::destinations`]).
    Internal(String),
}

/// An entry of the document outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// 0 = section, 1 = article, 2.. = headings inside an article.
    pub level: u8,
    pub title: String,
    /// 0-based page index.
    pub page: usize,
    /// Destination name (article id or `article/heading`), if any.
    pub dest: Option<String>,
}

/// Lays out the whole digest.
pub fn layout(digest: &Digest, fonts: &Arc<FontSet>, style: &PageStyle) -> Document {
    let (elems, warnings) = blocks::flow(digest, fonts, style);
    let (mut pages, outline) = paginate::paginate(&elems, style);
    paginate::add_folios(&mut pages, fonts, style);
    Document {
        pages,
        outline,
        warnings,
    }
}
