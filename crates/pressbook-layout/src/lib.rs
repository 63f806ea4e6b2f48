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
//!   page numbers are known; [`furniture`]: running heads and folios;
//! - [`cover`]: the cover picture (the EPUB's cover image): the cover page
//!   laid out on a page of the picture's shape and drawn by [`raster`].
//!
//! Everything is in PostScript points, with the origin at the top left of
//! the page and y growing downwards; the PDF writer flips it. The writer only
//! walks the finished [`Page`]s, and tests can inspect positions.

pub mod blocks;
pub mod bundled;
pub mod cover;
pub mod flow;
pub mod fonts;
pub mod front;
pub mod furniture;
pub mod inline;
pub mod paginate;
pub mod raster;
pub mod style;
pub mod sysfonts;
pub mod tags;
pub mod units;
pub mod want;

use std::collections::HashMap;
use std::sync::Arc;

use pressbook_model::diag::{Diagnostic, Sink};
use pressbook_model::model::{AssetId, Digest};

pub use fonts::{FaceId, FontSet};
pub use style::PageStyle;
pub use tags::{NodeId, Tree, UNTAGGED};
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
    /// The logical structure the placed items belong to.
    pub tree: Tree,
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

/// An item at its position, with the role of the block it came from and
/// the structure node it is part of.
#[derive(Debug, Clone)]
pub struct Placed {
    pub at: Point,
    pub item: PageItem,
    pub role: BlockRole,
    /// [`UNTAGGED`] for what is not content (and for rules and shapes,
    /// whatever it says).
    pub node: NodeId,
}

impl Placed {
    /// An untagged item (an artifact).
    pub fn new(at: Point, item: PageItem, role: BlockRole) -> Self {
        Placed {
            at,
            item,
            role,
            node: UNTAGGED,
        }
    }

    /// This item as part of `node`.
    pub fn tagged(self, node: NodeId) -> Self {
        Placed { node, ..self }
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
/// innermost one). The structure itself is in [`Placed::node`]; the PDF
/// writer reads the role only to mark artifacts as pagination.
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
    /// What no reader should hear: rules, leaders, shading and bars.
    Artifact,
    /// Artifacts of pagination: running heads, folios, a table header
    /// repeated on a new page.
    Pagination,
}

impl BlockRole {
    pub fn is_artifact(self) -> bool {
        matches!(self, BlockRole::Artifact | BlockRole::Pagination)
    }
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
    /// Each glyph with its text (empty for the second and later glyphs of a
    /// cluster). The texts follow one another in [`TextRun::text`], so each
    /// glyph stores only its text's length.
    pub fn glyphs_with_text(&self) -> impl Iterator<Item = (&PlacedGlyph, &str)> {
        let mut at = 0;
        self.glyphs.iter().map(move |g| {
            let from = at;
            at += g.text_len as usize;
            (g, self.text.get(from..at).unwrap_or_default())
        })
    }

    /// Adds a glyph whose text is `text` (empty for a glyph that continues
    /// a cluster).
    pub fn push(&mut self, gid: u16, x: f32, advance: f32, text: &str) {
        self.text.push_str(text);
        self.glyphs.push(PlacedGlyph {
            gid,
            x,
            advance,
            text_len: text.len() as u32,
        });
    }

    /// Width from the run start to the right end of its rightmost glyph
    /// (glyphs are in reading order, which is not left to right in
    /// right-to-left text).
    pub fn width(&self) -> f32 {
        self.glyphs
            .iter()
            .map(|g| g.x + g.advance)
            .fold(0.0, f32::max)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PlacedGlyph {
    pub gid: u16,
    /// Offset from the run's origin along the baseline.
    pub x: f32,
    /// The glyph's own advance (for extents).
    pub advance: f32,
    /// The length in bytes of its text, which follows the previous glyph's
    /// in [`TextRun::text`]. Glyphs are most of a laid-out digest's memory
    /// (7 million for 1,000 articles), so each is kept to 16 bytes.
    pub text_len: u32,
}

/// A clickable rectangle (top-left corner, size).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub target: LinkTarget,
    /// The `Link` node its text is part of.
    pub node: NodeId,
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
pub fn layout(
    digest: &Digest,
    fonts: &Arc<FontSet>,
    style: &PageStyle,
    sink: &mut Sink,
) -> Document {
    let style = &style.in_house(&digest.house);
    // Faces from the machine for what the set lacks, before any article
    // is set (in parallel), so that face ids are the same on every run.
    fonts.prepare(digest);
    let mut tree = Tree::new();
    let elems = blocks::flow(digest, fonts, style, &mut tree, sink);
    if let Some(logo) = digest.house.logo.map(|id| digest.asset(id)) {
        if logo.format == pressbook_model::model::ImageFormat::Svg {
            sink.push(
                Diagnostic::warning(
                    "[style] logo is an SVG, which the PDF cannot draw: the PDF cover has no logo (the EPUB shows it)",
                )
                .hint("give [style] logo as a PNG or JPEG to have it on the PDF cover too"),
            );
        }
    }
    let (mut body, mut body_outline) = paginate::paginate_body(elems, style);
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
        let back = front::sources(digest, &starts, &mut set, style, &mut tree);
        let (pages, outline) = paginate::paginate(back, style);
        sources_page = Some(body.len());
        body_outline.extend(outline.into_iter().map(|e| OutlineEntry {
            page: e.page + body.len(),
            ..e
        }));
        body.extend(pages);
    }
    let contents = front::contents(digest, &starts, sources_page, &mut set, style, &mut tree);
    let (contents, contents_outline) = paginate::paginate(contents, style);
    let front_pages = 1 + contents.len();

    let mut pages = Vec::with_capacity(front_pages + body.len());
    pages.push(front::cover(digest, &mut set, style, &mut tree));
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
        tree,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pressbook_model::model::{
        Article, ArticleMeta, Block, DigestMeta, Inline, PageSize, Section,
    };
    use proptest::prelude::*;

    fn words(n: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        proptest::collection::vec("[a-z]{1,10}", n).prop_map(|w| w.join(" "))
    }

    fn para() -> impl Strategy<Value = Block> {
        words(1..60).prop_map(|t| Block::Paragraph(vec![Inline::Text(t)]))
    }

    /// Any block pressbook lays out, with random text (images aside: they
    /// need assets).
    fn block() -> impl Strategy<Value = Block> {
        let leaf = prop_oneof![
            4 => para(),
            1 => (1u8..4, words(1..8)).prop_map(|(level, t)| Block::Heading {
                level,
                id: String::new(),
                content: vec![Inline::Text(t)],
            }),
            1 => proptest::collection::vec("[ a-z{}();=]{0,90}", 1..30)
                .prop_map(|l| Block::Code { lang: None, text: l.join("\n") }),
            1 => (1usize..4, proptest::collection::vec(words(1..6), 1..12)).prop_map(|(cols, cells)| {
                let row = |k: usize| (0..cols).map(|c| vec![Inline::Text(cells[(k + c) % cells.len()].clone())]).collect::<Vec<_>>();
                Block::Table(pressbook_model::model::Table {
                    align: Vec::new(),
                    head: row(0),
                    rows: (1..cells.len()).map(row).collect(),
                })
            }),
            1 => Just(Block::Rule),
        ];
        leaf.prop_recursive(2, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 1..4).prop_map(Block::Quote),
                (
                    proptest::option::of(1u64..20),
                    proptest::collection::vec(proptest::collection::vec(inner, 1..3), 1..6)
                )
                    .prop_map(|(start, items)| Block::List { start, items }),
            ]
        })
    }

    fn digest(bodies: Vec<Vec<Block>>) -> Digest {
        let articles = bodies
            .into_iter()
            .enumerate()
            .map(|(i, mut body)| {
                let mut n = 0;
                for b in &mut body {
                    if let Block::Heading { id, .. } = b {
                        n += 1;
                        *id = format!("h{n}");
                    }
                }
                Article {
                    id: format!("a{i}"),
                    path: format!("a{i}.md").into(),
                    meta: ArticleMeta {
                        title: format!("Article {i}"),
                        language: "en".into(),
                        ..ArticleMeta::default()
                    },
                    body,
                    footnotes: Vec::new(),
                }
            })
            .collect();
        let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        Digest {
            house: Default::default(),
            meta: DigestMeta {
                title: "Property".into(),
                subtitle: None,
                editor: None,
                publisher: None,
                language: "en".into(),
                date,
                identifier: "urn:uuid:00000000-0000-0000-0000-000000000000".into(),
                uuid: uuid::Uuid::nil(),
                rights: None,
                description: None,
                modified: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            },
            sections: vec![Section {
                title: None,
                id: "s1".into(),
                articles,
            }],
            assets: Vec::new(),
            files: HashMap::new(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 40,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Whatever the blocks: no text of the body lies outside the text
        /// block (across or below; markers may hang left of it), and the
        /// articles come in order.
        #[test]
        fn random_blocks_stay_inside_the_text_block(
            bodies in proptest::collection::vec(proptest::collection::vec(block(), 1..12), 1..4),
            size in prop_oneof![Just(PageSize::A4), Just(PageSize::A5)],
            compact in proptest::bool::ANY,
        ) {
            let n = bodies.len();
            let digest = digest(bodies);
            let style = PageStyle::new(size, compact);
            let doc = layout(&digest, &Arc::new(FontSet::bundled()), &style, &mut Sink::new());
            let (left, right) = (style.margin_left, style.margin_left + style.measure);
            let bottom = style.margin_top + style.content_height();
            let mut opened = Vec::new();
            for page in &doc.pages[doc.front_pages..] {
                for (d, _) in &page.destinations {
                    if !d.contains('/') {
                        opened.push(d.clone());
                    }
                }
                for p in page.items.iter().filter(|p| !p.role.is_artifact()) {
                    if let PageItem::Text(r) = &p.item {
                        // List markers may hang into the margin (a marker
                        // "10." is wider than the inset leaves), and so may
                        // punctuation by its protrusion (a glyph is at most
                        // an em wide).
                        let hang = |c: Option<char>, side: fn((f32, f32)) -> f32| {
                            c.map_or(0.0, |c| side(inline::items::protrusion(c)) * r.size)
                        };
                        let lead = hang(r.text.chars().next(), |p| p.0);
                        let tail = hang(r.text.chars().next_back(), |p| p.1);
                        let from = if p.role == BlockRole::Label { 0.0 } else { left - lead - 0.01 };
                        prop_assert!(
                            p.at.x >= from && p.at.x + r.width() <= right + tail + 0.01,
                            "{:?} {:?} from {} to {} outside {}..{}", p.role, r.text, p.at.x, p.at.x + r.width(), left, right
                        );
                        prop_assert!(p.at.y <= bottom + 0.01, "{:?} {:?} at {} below {}", p.role, r.text, p.at.y, bottom);
                    }
                }
            }
            prop_assert_eq!(opened, (0..n).map(|i| format!("a{i}")).collect::<Vec<_>>());
        }
    }
}
