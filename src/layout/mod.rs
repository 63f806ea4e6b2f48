//! pressbook's own layout engine: the document model in, finished pages of
//! positioned items out.
//!
//! The stages, each in its own module:
//! - [`fonts`]: the faces (bundled or from the manifest) and coverage;
//! - [`inline`]: a paragraph's styled text → justified (or ragged) lines of
//!   glyphs, in stages: itemize, shape, items, Knuth–Plass breaking, lines;
//! - [`blocks`]: article blocks → a [`flow`] of unbreakable strips with
//!   page-break rules (keep with next, widows and orphans);
//! - [`paginate`]: the flow → regions → pages;
//! - [`style`]: page geometry and every type size, one place to tune;
//! - [`front`]: cover, contents and the "Sources" page, set once the body's
//!   page numbers are known; [`furniture`]: running heads and folios.
//!
//! Everything is in PostScript points, with the origin at the top left of
//! the page and y growing downwards; the PDF writer flips it. The writer only
//! walks the finished [`Page`]s, and tests can inspect positions.

pub mod blocks;
pub mod flow;
pub mod fonts;
pub mod front;
pub mod furniture;
pub mod inline;
pub mod paginate;
pub mod style;
pub mod units;

use std::collections::HashMap;
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
    /// How many pages of front matter (cover, contents) come before the
    /// body; they are numbered i, ii, … and the body from 1.
    pub front_pages: usize,
    /// Section → article → heading, with the page each starts on.
    pub outline: Vec<OutlineEntry>,
    pub warnings: Vec<Diagnostic>,
}

impl Document {
    /// The folio printed on page `index` (0-based): roman in the front
    /// matter, arabic from 1 in the body.
    pub fn page_label(&self, index: usize) -> String {
        if index < self.front_pages {
            furniture::roman(index + 1)
        } else {
            (index - self.front_pages + 1).to_string()
        }
    }
}

/// One finished page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    /// Everything drawn, in drawing order; positions are absolute.
    pub items: Vec<Placed>,
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

/// An item at its position, with the role of the block it came from.
#[derive(Debug, Clone)]
pub struct Placed {
    pub at: Point,
    pub item: PageItem,
    pub role: BlockRole,
}

impl Placed {
    pub fn new(at: Point, item: PageItem, role: BlockRole) -> Self {
        Placed { at, item, role }
    }

    /// This item moved by `(dx, dy)`.
    pub fn offset(self, dx: f32, dy: f32) -> Self {
        Placed {
            at: self.at.offset(dx, dy),
            ..self
        }
    }
}

/// What a placed item is part of: the kind of block it came from (the
/// innermost one), from which the structure tree of a tagged PDF is built.
/// The PDF writer does not read it yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockRole {
    /// The headline of an article or of a front or back matter page.
    Title,
    /// A heading inside an article, at its level in the model (1 for `#`).
    Heading(u8),
    /// Running text: body paragraphs, and the lines of an article's head,
    /// attribution, the cover and the contents.
    Paragraph,
    /// A paragraph set directly in a list item.
    ListItem,
    /// A list marker, a note number or an attribution field's name.
    Label,
    TableCell,
    /// An image or its placeholder.
    Figure,
    Caption,
    /// A paragraph of a note.
    Note,
    Code,
    /// A paragraph of a block quote.
    Quote,
    /// What no reader should hear: running heads, folios, rules, leaders,
    /// shading and bars.
    Artifact,
}

/// Something drawn on a page.
#[derive(Debug, Clone)]
pub enum PageItem {
    Text(TextRun),
    /// A straight line from the position to `(x + dx, y + dy)`.
    Segment {
        dx: f32,
        dy: f32,
        thickness: f32,
        color: Rgb,
    },
    /// A filled rectangle whose top-left corner is the position.
    FilledRect {
        w: f32,
        h: f32,
        fill: Rgb,
    },
    /// A stroked rectangle (the frame of an image placeholder).
    StrokedRect {
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

impl PageItem {
    /// A horizontal rule `width` long from the item's position.
    pub fn hline(width: f32, thickness: f32, color: Rgb) -> PageItem {
        PageItem::Segment {
            dx: width,
            dy: 0.0,
            thickness,
            color,
        }
    }
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
    /// 0 = section (or contents, sources, an article outside sections),
    /// 1 = article, 2.. = headings inside an article.
    pub level: u8,
    pub title: String,
    /// 0-based page index.
    pub page: usize,
    /// Destination name (article id or `article/heading`), if any.
    pub dest: Option<String>,
}

/// Lays out the whole digest: the body first, then the back and front
/// matter that print its page numbers, then heads and folios.
pub fn layout(digest: &Digest, fonts: &Arc<FontSet>, style: &PageStyle) -> Document {
    let (elems, warnings) = blocks::flow(digest, fonts, style);
    let (mut body, mut body_outline) = paginate::paginate(elems, style);
    let mut set = furniture::Setter::new(fonts);

    let articles: std::collections::HashSet<&str> =
        digest.articles().map(|a| a.id.as_str()).collect();
    let starts: front::Starts = body_outline
        .iter()
        .filter(|e| e.dest.as_deref().is_some_and(|d| articles.contains(d)))
        .filter_map(|e| Some((e.dest.clone()?, e.page)))
        .collect();
    let mut sources_page = None;
    if style.sources_page {
        let back = front::sources(digest, &starts, &mut set, style);
        let (pages, outline) = paginate::paginate(back, style);
        sources_page = Some(body.len());
        body_outline.extend(outline.into_iter().map(|e| OutlineEntry {
            page: e.page + body.len(),
            ..e
        }));
        body.extend(pages);
    }
    let contents = front::contents(digest, &starts, sources_page, &mut set, style);
    let (contents, contents_outline) = paginate::paginate(contents, style);
    let front_pages = 1 + contents.len();

    let mut pages = Vec::with_capacity(front_pages + body.len());
    pages.push(front::cover(digest, &mut set, style));
    pages.extend(contents);
    pages.extend(body);
    let shift = |entries: Vec<OutlineEntry>, by: usize| {
        entries.into_iter().map(move |e| OutlineEntry {
            page: e.page + by,
            ..e
        })
    };
    let outline = shift(contents_outline, 1)
        .chain(shift(body_outline, front_pages))
        .collect();

    let mut titles: HashMap<String, String> = digest
        .articles()
        .map(|a| (a.id.clone(), a.meta.title.clone()))
        .collect();
    titles.insert(front::SOURCES.into(), "Sources".into());
    furniture::decorate(
        &mut pages,
        front_pages,
        &digest.meta.title,
        &titles,
        &mut set,
        style,
    );
    Document {
        pages,
        front_pages,
        outline,
        warnings,
    }
}
