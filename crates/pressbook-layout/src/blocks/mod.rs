//! Article blocks → the flow of strips ([`Strip`]s) for the paginator, one
//! module per kind of block: [`article`] (the head, tightening),
//! [`text`] (headings, paragraphs, inline content), [`list`], [`table`],
//! [`image`], [`code`], [`quote`] (and rules), [`notes`] and
//! [`attribution`].
//!
//! Every strip is as wide as the text column and never split across pages:
//! one line of a paragraph, one table row, one image. Strips say whether a
//! page may end before them, which is how headings keep with what follows,
//! and how widows and orphans are avoided (a page may not end after the
//! first line of a paragraph or before its last, nor after a hyphenated
//! line).

mod article;
mod attribution;
mod code;
mod image;
mod list;
mod notes;
mod quote;
mod table;
mod text;

use std::sync::Arc;

use rayon::prelude::*;

use pressbook_model::diag::Sink;
use pressbook_model::model::{Article, Block, Digest};

use super::flow::Strip;
use super::fonts::FontSet;
use super::inline::shape::Shaper;
use super::inline::{self, Align, Line, ParaOpts, RichText, TextStyle};
use super::style::PageStyle;
use super::tags::{HeadingLevels, Kind, NodeId, Tags, Tree, UNTAGGED};
use super::units::{Point, Rgb};
use super::{BlockRole, PageItem, Placed};

/// A decoration drawn on every strip while it is active (quote bars, code
/// shading).
#[derive(Debug, Clone, Copy)]
enum Deco {
    Bar { x: f32 },
    Shade { x: f32, w: f32 },
}

/// The horizontal band blocks are set in: its left edge from the text
/// column's, and its width.
#[derive(Debug, Clone, Copy)]
struct Band {
    x: f32,
    measure: f32,
}

/// The whole digest as one flow of strips, reporting into `sink` what it
/// finds on the way (characters no font has, images that cannot be drawn,
/// each once: an article set again to tighten it finds the same); the strips'
/// structure nodes are added to `tree`, an article under its root.
///
/// Articles are set in parallel: each one starts from the same state (a new
/// page, or a rule in compact mode) and only looks at its own strips, so a
/// builder per article gives what one builder walking them all would. The
/// strips and warnings are then joined in reading order, so the result does
/// not depend on the number of threads.
pub fn flow(
    digest: &Digest,
    fonts: &Arc<FontSet>,
    style: &PageStyle,
    tree: &mut Tree,
    sink: &mut Sink,
) -> Vec<Strip> {
    // Where each article stands (its outline flags depend on that alone).
    let mut jobs = Vec::new();
    let mut first = true;
    for section in &digest.sections {
        let mut first_in_section = true;
        for article in &section.articles {
            jobs.push((section, article, first, first_in_section));
            first = false;
            first_in_section = false;
        }
    }
    let mut elems = Vec::new();
    // A few articles per worker at a time. The strips are copied into this
    // thread's memory as each batch comes in: left where the workers made
    // them, they would stay in the workers' allocator arenas, whose memory
    // the rest of the build (which runs on this thread) cannot reuse once
    // they are freed.
    let batch = rayon::current_num_threads().max(1) * 4;
    for jobs in jobs.chunks(batch) {
        let parts: Vec<(Vec<Strip>, Sink, Tree)> = jobs
            .par_iter()
            .map_init(
                Shaper::new,
                |shaper, &(section, article, first, in_section)| {
                    let mut b = FlowBuilder::new(digest, fonts.clone(), style.clone());
                    std::mem::swap(&mut b.shaper, shaper);
                    b.whole_article(section, article, first, in_section);
                    std::mem::swap(&mut b.shaper, shaper);
                    b.finish()
                },
            )
            .collect();
        for (e, w, part) in parts {
            // Each article numbered its nodes from 0 (its root standing for
            // the document's).
            let map = tree.graft(part, Tree::ROOT);
            elems.extend(e.iter().map(|e| {
                let mut e = e.clone();
                for p in &mut e.items {
                    p.node = map.id(p.node);
                }
                for l in &mut e.links {
                    l.node = map.id(l.node);
                }
                e
            }));
            sink.extend(w);
        }
    }
    elems
}

/// Sets articles into strips, one article at a time.
struct FlowBuilder<'d> {
    digest: &'d Digest,
    fonts: Arc<FontSet>,
    style: PageStyle,
    shaper: Shaper,
    elems: Vec<Strip>,
    sink: Sink,
    article: Option<Arc<str>>,
    lang: Option<inline::hyphen::Lang>,
    /// The next strip may not be preceded by a page break.
    keep_next: bool,
    /// The next strip opens an article.
    opening_next: bool,
    decos: Vec<Deco>,
    /// The last block was a body paragraph (so the next one is indented).
    after_para: bool,
    /// Set tighter (an article that would leave a few lines alone on its
    /// last page is set again with less space).
    tight: bool,
    /// The role of the lines set next.
    role: BlockRole,
    /// The role of a body paragraph here ([`BlockRole::Quote`] in quotes).
    para_role: BlockRole,
    /// Outline level of the current article: 1 under a section title, 0 at
    /// the top (beside the contents) when its section has none.
    outline_level: u8,
    /// The strips pushed span every column (the head, on pages set in
    /// columns).
    span: bool,
    /// The article's structure, its root standing for the document.
    tree: Tree,
    /// The node new blocks go into (the article, a quote, a list item…).
    parent: NodeId,
    /// The node of the lines set next (like [`Self::role`]).
    node: NodeId,
    headings: HeadingLevels,
}

impl<'d> FlowBuilder<'d> {
    fn new(digest: &'d Digest, fonts: Arc<FontSet>, style: PageStyle) -> Self {
        FlowBuilder {
            digest,
            fonts,
            style,
            shaper: Shaper::new(),
            elems: Vec::new(),
            sink: Sink::new(),
            article: None,
            lang: None,
            keep_next: false,
            opening_next: false,
            decos: Vec::new(),
            after_para: false,
            tight: false,
            role: BlockRole::Paragraph,
            para_role: BlockRole::Paragraph,
            outline_level: 1,
            span: false,
            tree: Tree::new(),
            parent: Tree::ROOT,
            node: UNTAGGED,
            headings: HeadingLevels::default(),
        }
    }

    fn finish(self) -> (Vec<Strip>, Sink, Tree) {
        (self.elems, self.sink, self.tree)
    }

    /// A new node of `kind` in the current container, which the lines set
    /// next are part of.
    fn tag(&mut self, kind: Kind) -> NodeId {
        self.node = self.tree.add(kind, self.parent);
        self.node
    }

    /// Runs `f` with a new node of `kind` as the container of the blocks it
    /// sets; returns the node.
    fn within(&mut self, kind: Kind, f: impl FnOnce(&mut Self)) -> NodeId {
        let node = self.tree.add(kind, self.parent);
        let outer = std::mem::replace(&mut self.parent, node);
        f(self);
        self.parent = outer;
        node
    }

    /// The nodes for `rt` set as [`Self::node`]: a `Link` inside it for
    /// each of its links.
    fn tags_for(&mut self, rt: &RichText) -> Tags {
        self.tree.text(self.node, &rt.text, rt.links)
    }

    fn body(&self) -> TextStyle {
        TextStyle::serif(self.style.body_size)
    }

    fn full(&self) -> Band {
        Band {
            x: 0.0,
            measure: self.style.measure,
        }
    }

    fn push(&mut self, mut e: Strip) {
        if self.keep_next {
            e.break_before = false;
            self.keep_next = false;
        }
        if self.opening_next {
            e.opening = true;
            self.opening_next = false;
        }
        e.article = self.article.clone();
        e.span = self.span;
        for d in self.decos.clone() {
            match d {
                Deco::Bar { x } => e.items.push(Placed::new(
                    Point::new(x, 0.0),
                    PageItem::Segment {
                        dx: 0.0,
                        dy: e.height,
                        thickness: self.style.spacing.rules.quote_bar,
                        color: Rgb::RULE,
                    },
                    BlockRole::Artifact,
                )),
                Deco::Shade { x, w } => e.items.insert(
                    0,
                    Placed::new(
                        Point::new(x, 0.0),
                        PageItem::FilledRect {
                            w,
                            h: e.height,
                            fill: Rgb::SHADE,
                        },
                        BlockRole::Artifact,
                    ),
                ),
            }
        }
        self.elems.push(e);
    }

    /// Sets `rt` and pushes one strip per line (its items as
    /// [`Self::role`]), with widow and orphan control. Returns the index of
    /// the first strip pushed.
    #[allow(clippy::too_many_arguments)]
    fn push_lines(
        &mut self,
        rt: &RichText,
        band: Band,
        indent: f32,
        align: Align,
        size: f32,
        leading: f32,
        space_before: f32,
    ) -> usize {
        let first = self.elems.len();
        let opts = ParaOpts {
            measure: band.measure,
            indent,
            align,
            lang: self.lang,
        };
        let lines = inline::set(rt, &self.fonts, &mut self.shaper, &opts);
        let n = lines.len();
        let baseline = inline::baseline_in(leading, size);
        let tags = self.tags_for(rt);
        let mut after_hyphen = false;
        for (k, line) in lines.into_iter().enumerate() {
            let hyphenated = line.hyphenated;
            let mut e = line_elem(line, band.x, baseline, leading, self.role, tags);
            // No page ends after the first line (orphan), before the last
            // (widow) or in the middle of a hyphenated word: the reader
            // would turn the page mid-word. The line breaker allows at most
            // two hyphenated lines in a row, so a break is never far.
            e.break_before = k == 0 || (k >= 2 && n - k >= 2 && !after_hyphen);
            after_hyphen = hyphenated;
            e.space_before = if k == 0 { space_before } else { 0.0 };
            self.push(e);
        }
        first
    }

    fn blocks(&mut self, a: &Article, blocks: &[Block], band: Band) {
        for b in blocks {
            self.block(a, b, band);
        }
    }

    /// A short label (a list marker, a note number) set on one line.
    fn label(&mut self, text: &str, style: TextStyle, measure: f32) -> Option<Line> {
        let rt = RichText::styled(text, style);
        self.set_bare(&rt, measure, Align::Left).into_iter().next()
    }

    /// `rt` set without indent or hyphenation.
    fn set_bare(&mut self, rt: &RichText, measure: f32, align: Align) -> Vec<Line> {
        let opts = ParaOpts::bare(measure, align);
        inline::set(rt, &self.fonts, &mut self.shaper, &opts)
    }

    fn space(&self) -> f32 {
        self.style.leading * self.style.spacing.paragraph_lines
    }

    fn block(&mut self, a: &Article, b: &Block, band: Band) {
        match b {
            Block::Heading { level, id, content } => self.heading(a, *level, id, content, band),
            Block::Paragraph(content) => self.paragraph(a, content, band),
            Block::Quote(inner) => self.quote(a, inner, band),
            Block::List { start, items } => self.list(a, *start, items, band),
            Block::Code { text, .. } => self.code(text, band),
            Block::Table(t) => self.table(a, t, band),
            Block::Image { src, alt, title } => self.image(a, src, alt, title.as_deref(), band),
            Block::Rule => self.rule(band),
        }
    }

    /// Adds space after the last strip by growing it.
    fn after_space(&mut self, h: f32) {
        if let Some(e) = self.elems.last_mut() {
            e.height += h;
        }
    }
}

/// One line as a strip of height `leading`, its baseline at `baseline`.
fn line_elem(
    line: Line,
    x: f32,
    baseline: f32,
    leading: f32,
    role: BlockRole,
    tags: Tags,
) -> Strip {
    let mut e = Strip {
        height: leading,
        baseline,
        ..Strip::default()
    };
    line.place(x, baseline, role, tags, &mut e.items, &mut e.links);
    e
}

/// Places `line` (a list marker, a note number, a field's name) at
/// `(x, baseline)` in `e`, before the strip's other items so that it is
/// read first.
fn place_first(e: &mut Strip, line: Line, x: f32, baseline: f32, node: NodeId) {
    let mut items = Vec::new();
    line.place(
        x,
        baseline,
        BlockRole::Label,
        Tags::of(node),
        &mut items,
        &mut e.links,
    );
    e.items.splice(0..0, items);
}
