//! Article blocks → a flow of strips ([`Elem`]s) for the paginator.
//!
//! Every strip is as wide as the text column and never split across pages:
//! one line of a paragraph, one table row, one image. Strips say whether a
//! page may end before them, which is how headings keep with what follows,
//! and how widows and orphans are avoided (a page may not end after the
//! first line of a paragraph or before its last).

use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::model::{
    has_scheme, Align as ColAlign, Article, Block, Digest, Footnote, ImageFormat, ImageSrc, Inline,
    Section, Table, Target,
};

use super::fonts::FontSet;
use super::hyphen;
use super::paragraph::{self, Align, Family, Line, ParaOpts, RichText, TextStyle};
use super::shape::Shaper;
use super::style::PageStyle;
use super::units::{Point, Rgb};
use super::{Item, LinkArea, LinkTarget};

/// A strip of the flow: never split, placed at the text column's left edge.
#[derive(Debug, Clone, Default)]
pub struct Elem {
    pub height: f32,
    /// Space above it, dropped at the top of a page.
    pub space_before: f32,
    /// Items relative to the strip's top-left corner.
    pub items: Vec<(Point, Item)>,
    pub links: Vec<LinkArea>,
    /// A page may end just before this strip.
    pub break_before: bool,
    /// This strip must start a page.
    pub new_page: bool,
    /// Repeated at the top of a page that starts with this strip (table
    /// header rows).
    pub header: Option<Arc<Elem>>,
    /// Named destinations at this strip's top.
    pub dests: Vec<String>,
    /// Outline entries that start here: (level, title, destination).
    pub outline: Vec<(u8, String, Option<String>)>,
    /// The article this strip belongs to.
    pub article: Option<Arc<str>>,
    /// The first strip of an article.
    pub opening: bool,
    /// Baseline of the first line (for list markers).
    pub baseline: f32,
    /// A separator: not drawn when it falls at the top of a page.
    pub drop_at_top: bool,
}

/// A decoration drawn on every strip while it is active (quote bars, code
/// shading).
#[derive(Debug, Clone, Copy)]
enum Deco {
    Bar { x: f32 },
    Shade { x: f32, w: f32 },
}

/// The horizontal frame blocks are set in.
#[derive(Debug, Clone, Copy)]
struct Frame {
    x: f32,
    measure: f32,
}

/// The whole digest as one flow of strips, with the warnings found on the
/// way (characters no font has, images that cannot be drawn).
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
) -> (Vec<Elem>, Vec<Diagnostic>) {
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
    let mut warnings = Vec::new();
    // A few articles per worker at a time. The strips are copied into this
    // thread's memory as each batch comes in: left where the workers made
    // them, they would stay in the workers' allocator arenas, whose memory
    // the rest of the build (which runs on this thread) cannot reuse once
    // they are freed.
    let batch = rayon::current_num_threads().max(1) * 4;
    for jobs in jobs.chunks(batch) {
        let parts: Vec<(Vec<Elem>, Vec<Diagnostic>)> = jobs
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
        for (e, w) in parts {
            elems.extend(e.iter().cloned());
            warnings.extend(w);
        }
    }
    (elems, warnings)
}

pub struct FlowBuilder<'d> {
    digest: &'d Digest,
    fonts: Arc<FontSet>,
    style: PageStyle,
    shaper: Shaper,
    elems: Vec<Elem>,
    warnings: Vec<Diagnostic>,
    article: Option<Arc<str>>,
    lang: Option<hypher::Lang>,
    /// The next strip may not be preceded by a page break.
    keep_next: bool,
    /// The next strip opens an article.
    opening_next: bool,
    decos: Vec<Deco>,
    missing: Vec<char>,
    /// The last block was a body paragraph (so the next one is indented).
    after_para: bool,
    /// Set tighter (an article that would leave a few lines alone on its
    /// last page is set again with less space).
    tight: bool,
    /// Outline level of the current article: 1 under a section title, 0 at
    /// the top (beside the contents) when its section has none.
    outline_level: u8,
}

impl<'d> FlowBuilder<'d> {
    pub fn new(digest: &'d Digest, fonts: Arc<FontSet>, style: PageStyle) -> Self {
        FlowBuilder {
            digest,
            fonts,
            style,
            shaper: Shaper::new(),
            elems: Vec::new(),
            warnings: Vec::new(),
            article: None,
            lang: None,
            keep_next: false,
            opening_next: false,
            decos: Vec::new(),
            missing: Vec::new(),
            after_para: false,
            tight: false,
            outline_level: 1,
        }
    }

    pub fn finish(self) -> (Vec<Elem>, Vec<Diagnostic>) {
        (self.elems, self.warnings)
    }

    fn body(&self) -> TextStyle {
        TextStyle::serif(self.style.body_size)
    }

    fn full(&self) -> Frame {
        Frame {
            x: 0.0,
            measure: self.style.measure,
        }
    }

    /// Lays out every article of the digest, one after the other ([`flow`]
    /// does the same in parallel).
    pub fn digest(&mut self) {
        let digest = self.digest;
        let mut first = true;
        for section in &digest.sections {
            let mut first_in_section = true;
            for article in &section.articles {
                self.whole_article(section, article, first, first_in_section);
                first = false;
                first_in_section = false;
            }
        }
    }

    /// Lays out one article: its head, body, notes and attribution, set
    /// again tighter when that saves a page. An article leaves the builder
    /// as it found it (nothing kept with what follows, no open quote or code
    /// block), so articles can be set by separate builders.
    fn whole_article(
        &mut self,
        section: &Section,
        article: &Article,
        first: bool,
        first_in_section: bool,
    ) {
        let start = self.elems.len();
        let warned = self.warnings.len();
        self.article_start(section, article, first, first_in_section);
        self.article(article);
        if !self.style.compact {
            self.tighten_if_it_saves_a_page(
                section,
                article,
                start,
                warned,
                first,
                first_in_section,
            );
        }
        debug_assert!(!self.keep_next && !self.opening_next && self.decos.is_empty());
    }

    /// When the article's last page would hold only a few lines, sets it
    /// again a little tighter (leading, spaces, headline, a compact
    /// attribution) and keeps that if it takes fewer pages.
    fn tighten_if_it_saves_a_page(
        &mut self,
        section: &Section,
        article: &Article,
        start: usize,
        warned: usize,
        first: bool,
        first_in_section: bool,
    ) {
        let fill = super::paginate::page_fill(&self.elems[start..], &self.style);
        let avail = self.style.content_height();
        if fill.len() < 2 || fill.last().copied().unwrap_or(avail) > avail * 0.3 {
            return;
        }
        let loose = self.elems.split_off(start);
        let loose_warnings = self.warnings.split_off(warned);
        let saved = self.style.clone();
        self.style.leading -= 0.5;
        self.tight = true;
        self.article_start(section, article, first, first_in_section);
        self.article(article);
        self.tight = false;
        self.style = saved;
        let tight_pages = super::paginate::page_fill(&self.elems[start..], &self.style).len();
        if tight_pages >= fill.len() {
            self.elems.truncate(start);
            self.elems.extend(loose);
            self.warnings.truncate(warned);
            self.warnings.extend(loose_warnings);
        }
    }

    fn push(&mut self, mut e: Elem) {
        if self.keep_next {
            e.break_before = false;
            self.keep_next = false;
        }
        if self.opening_next {
            e.opening = true;
            self.opening_next = false;
        }
        e.article = self.article.clone();
        for d in self.decos.clone() {
            match d {
                Deco::Bar { x } => e.items.push((
                    Point::new(x, 0.0),
                    Item::Line {
                        dx: 0.0,
                        dy: e.height,
                        thickness: 1.2,
                        color: Rgb::RULE,
                    },
                )),
                Deco::Shade { x, w } => e.items.insert(
                    0,
                    (
                        Point::new(x, 0.0),
                        Item::Rect {
                            w,
                            h: e.height,
                            fill: Rgb::SHADE,
                        },
                    ),
                ),
            }
        }
        self.elems.push(e);
    }

    /// Sets `rt` and pushes one strip per line, with widow and orphan
    /// control. Returns the index of the first strip pushed.
    #[allow(clippy::too_many_arguments)]
    fn lines(
        &mut self,
        rt: &RichText,
        frame: Frame,
        indent: f32,
        align: Align,
        size: f32,
        leading: f32,
        space_before: f32,
    ) -> usize {
        let first = self.elems.len();
        let opts = ParaOpts {
            measure: frame.measure,
            indent,
            align,
            lang: self.lang,
        };
        let lines = paragraph::set(rt, &self.fonts, &mut self.shaper, &opts, &mut self.missing);
        let n = lines.len();
        let baseline = paragraph::baseline_in(leading, size);
        for (k, line) in lines.into_iter().enumerate() {
            let mut e = line_elem(line, frame.x, baseline, leading);
            e.break_before = k == 0 || (k >= 2 && n - k >= 2);
            e.space_before = if k == 0 { space_before } else { 0.0 };
            self.push(e);
        }
        first
    }

    fn article_start(
        &mut self,
        section: &Section,
        a: &Article,
        first: bool,
        first_in_section: bool,
    ) {
        self.article = Some(Arc::from(a.id.as_str()));
        self.lang = hyphen::language(&a.meta.language);
        self.missing.clear();
        let compact_follow = self.style.compact && !first;
        let mut outline = Vec::new();
        if first_in_section {
            if let Some(t) = &section.title {
                outline.push((0, t.clone(), None));
            }
        }
        self.outline_level = u8::from(section.title.is_some());
        outline.push((self.outline_level, a.meta.title.clone(), Some(a.id.clone())));
        // The strip that opens the article: carries the page break (or the
        // separating rule), the destination and the outline entries.
        let mut open = Elem {
            new_page: !compact_follow,
            break_before: true,
            dests: vec![a.id.clone()],
            outline,
            ..Elem::default()
        };
        if compact_follow {
            open.drop_at_top = true;
            open.space_before = self.style.leading * 2.0;
            open.height = self.style.leading * 1.5;
            let w = self.style.measure * 0.2;
            open.items.push((
                Point::new((self.style.measure - w) / 2.0, self.style.leading * 0.5),
                Item::hline(w, 0.6, Rgb::RULE),
            ));
        }
        self.opening_next = true;
        self.push(open);
        self.keep_next = true;

        let full = self.full();
        if let Some(t) = &section.title {
            let st = TextStyle::sans(7.5)
                .bold()
                .color(Rgb::ACCENT)
                .tracking(0.07);
            let rt = RichText::plain(&t.to_uppercase(), st);
            self.lines(&rt, full, 0.0, Align::Left, 7.5, 12.0, 0.0);
            self.keep_next = true;
        }
        let head = self.style.body_size * if self.tight { 1.8 } else { 2.1 };
        let rt = RichText::plain(&a.meta.title, TextStyle::serif(head).bold().no_hyphens());
        self.lines(&rt, full, 0.0, Align::Left, head, head * 1.15, 2.0);
        self.keep_next = true;
        if let Some(author) = &a.meta.author {
            let rt = RichText::plain(&format!("By {author}"), TextStyle::serif(11.0).italic());
            self.lines(&rt, full, 0.0, Align::Left, 11.0, 15.0, 6.0);
            self.keep_next = true;
        }
        let source_line: Vec<String> = [a.meta.source.clone(), a.meta.date.map(|d| d.to_string())]
            .into_iter()
            .flatten()
            .collect();
        if !source_line.is_empty() {
            let st = TextStyle::sans(8.5).color(Rgb::GREY).tracking(0.02);
            let rt = RichText::plain(&source_line.join("  ·  "), st);
            self.lines(&rt, full, 0.0, Align::Left, 8.5, 12.0, 2.0);
            self.keep_next = true;
        }
        if let Some(s) = &a.meta.summary {
            let st = TextStyle::serif(11.5).italic().color(Rgb::GREY);
            let rt = RichText::plain(s, st);
            self.lines(&rt, full, 0.0, Align::Left, 11.5, 15.5, 8.0);
            self.keep_next = true;
        }
        // A hairline under the head.
        let rule = Elem {
            height: self.style.leading * 1.2,
            space_before: 4.0,
            items: vec![(
                Point::new(0.0, self.style.leading * 0.5),
                Item::hline(self.style.measure, 0.5, Rgb::RULE),
            )],
            ..Elem::default()
        };
        self.push(rule);
        self.keep_next = true;
        self.after_para = false;
    }

    fn article(&mut self, a: &Article) {
        let full = self.full();
        self.blocks(a, &a.body, full);
        self.notes(a, &a.footnotes);
        self.attribution(a);
        if !self.missing.is_empty() {
            let chars: String = self
                .missing
                .iter()
                .map(|c| format!("{c} (U+{:04X})", *c as u32))
                .collect::<Vec<_>>()
                .join(", ");
            self.warnings.push(
                Diagnostic::warning(format!(
                    "no font has these characters of \u{201c}{}\u{201d}, so the PDF shows empty boxes: {chars}",
                    a.meta.title
                ))
                .at(&a.path)
                .hint("add a font that has them under [fonts] fallback in pressbook.toml"),
            );
        }
    }

    fn blocks(&mut self, a: &Article, blocks: &[Block], frame: Frame) {
        for b in blocks {
            self.block(a, b, frame);
        }
    }

    /// A short label (a list marker, a note number) set on one line.
    fn label(&mut self, text: &str, style: TextStyle, measure: f32) -> Option<Line> {
        let rt = RichText::plain(text, style);
        self.set_plain(&rt, measure, Align::Left).into_iter().next()
    }

    /// `rt` set without indent or hyphenation.
    fn set_plain(&mut self, rt: &RichText, measure: f32, align: Align) -> Vec<Line> {
        let opts = ParaOpts::plain(measure, align);
        paragraph::set(rt, &self.fonts, &mut self.shaper, &opts, &mut self.missing)
    }

    fn space(&self) -> f32 {
        self.style.leading * 0.6
    }

    fn block(&mut self, a: &Article, b: &Block, frame: Frame) {
        let body = self.body();
        let leading = self.style.leading;
        match b {
            Block::Heading { level, id, content } => {
                let (st, lead, before) = match level {
                    1 => (TextStyle::sans(12.5).bold(), 16.0, leading * 1.4),
                    2 => (TextStyle::sans(11.0).bold(), 14.5, leading * 1.1),
                    _ => (body.bold().italic(), leading, leading * 0.9),
                };
                let rt = self.rich(a, content, st.no_hyphens());
                let first = self.lines(&rt, frame, 0.0, Align::Left, st.size, lead, before);
                if let Some(e) = self.elems.get_mut(first) {
                    let dest = format!("{}/{}", a.id, id);
                    e.dests.push(dest.clone());
                    e.outline
                        .push((self.outline_level + *level, plain(content), Some(dest)));
                }
                self.after_space(3.0);
                self.keep_next = true;
                self.after_para = false;
            }
            Block::Paragraph(content) => {
                let rt = self.rich(a, content, body);
                if rt.is_empty() {
                    return;
                }
                let (indent, before) = if self.after_para {
                    (self.style.indent, 0.0)
                } else {
                    (0.0, self.space())
                };
                self.lines(
                    &rt,
                    frame,
                    indent,
                    Align::Justify,
                    body.size,
                    leading,
                    before,
                );
                self.after_para = true;
            }
            Block::Quote(inner) => {
                let inset = self.style.body_size * 1.6;
                let inner_frame = Frame {
                    x: frame.x + inset,
                    measure: frame.measure - inset * 1.5,
                };
                self.after_para = false;
                self.decos.push(Deco::Bar {
                    x: frame.x + inset * 0.35,
                });
                let first = self.elems.len();
                self.blocks(a, inner, inner_frame);
                self.decos.pop();
                let space = self.space();
                if let Some(e) = self.elems.get_mut(first) {
                    e.space_before = e.space_before.max(space);
                }
                self.after_space(self.space());
                self.after_para = false;
            }
            Block::List { start, items } => self.list(a, *start, items, frame),
            Block::Code { text, .. } => self.code(text, frame),
            Block::Table(t) => self.table(a, t, frame),
            Block::Image { src, alt, title } => self.image(a, src, alt, title.as_deref(), frame),
            Block::Rule => {
                let w = frame.measure * 0.25;
                let e = Elem {
                    height: leading * 1.5,
                    space_before: leading * 0.5,
                    break_before: true,
                    items: vec![(
                        Point::new(frame.x + (frame.measure - w) / 2.0, leading * 0.75),
                        Item::hline(w, 0.5, Rgb::RULE),
                    )],
                    ..Elem::default()
                };
                self.push(e);
                self.after_para = false;
            }
        }
    }

    /// Adds space after the last strip by growing it.
    fn after_space(&mut self, h: f32) {
        if let Some(e) = self.elems.last_mut() {
            e.height += h;
        }
    }

    fn list(&mut self, a: &Article, start: Option<u64>, items: &[Vec<Block>], frame: Frame) {
        let depth = self.decos.len().min(3);
        let _ = depth;
        let inset = self.style.body_size * 1.7;
        let inner = Frame {
            x: frame.x + inset,
            measure: frame.measure - inset,
        };
        let list_first = self.elems.len();
        let mut item_starts = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            item_starts.push(self.elems.len());
            let marker = match start {
                Some(n) => format!("{}.", n + i as u64),
                None => if frame.x > 0.0 && frame.x >= inset {
                    "\u{2013}"
                } else {
                    "\u{2022}"
                }
                .to_string(),
            };
            self.after_para = false;
            let first = self.elems.len();
            for (k, b) in item.iter().enumerate() {
                match b {
                    // Paragraphs in a list are set without indent, close together.
                    Block::Paragraph(content) => {
                        let rt = self.rich(a, content, self.body());
                        let before = if k == 0 { 2.0 } else { self.space() * 0.6 };
                        self.lines(
                            &rt,
                            inner,
                            0.0,
                            Align::Justify,
                            self.style.body_size,
                            self.style.leading,
                            before,
                        );
                    }
                    other => self.block(a, other, inner),
                }
            }
            // The marker hangs in the inset, on the first baseline.
            if first < self.elems.len() {
                if let Some(line) = self.label(&marker, self.body().no_hyphens(), inset) {
                    let gap = self.style.body_size * 0.5;
                    let x = inner.x - gap - line.width;
                    let e = &mut self.elems[first];
                    let y = if e.baseline > 0.0 {
                        e.baseline
                    } else {
                        self.style.leading * 0.75
                    };
                    line.place(x, y, &mut e.items, &mut e.links);
                }
            }
        }
        // Orphan and widow control for whole items: a list does not leave
        // its first or last item alone on a page.
        if items.len() > 2 {
            for k in [item_starts[1], item_starts[items.len() - 1]] {
                if let Some(e) = self.elems.get_mut(k) {
                    e.break_before = false;
                }
            }
        }
        // Nested lists sit close to their item.
        let space = if frame.x > 0.0 && self.decos.is_empty() {
            2.0
        } else {
            self.space()
        };
        if let Some(e) = self.elems.get_mut(list_first) {
            e.space_before = e.space_before.max(space);
        }
        self.after_space(space * 0.5);
        self.after_para = false;
    }

    fn code(&mut self, text: &str, frame: Frame) {
        let size = self.style.body_size * 0.82;
        let leading = (size * 1.4).round();
        let pad = 7.0;
        let st = TextStyle {
            family: Family::Mono,
            hyphenate: false,
            ..TextStyle::serif(size)
        };
        let mono = self.fonts.face(st.face());
        let cw = mono.glyph_for('0').map_or(0.6, |g| mono.advance_em(g)) * size;
        let cols = (((frame.measure - 2.0 * pad) / cw).floor() as usize).max(10);
        let text = text.strip_suffix('\n').unwrap_or(text);
        let mut rows: Vec<String> = Vec::new();
        for line in text.split('\n') {
            let line = line.replace('\t', "    ");
            let chars: Vec<char> = line.chars().collect();
            if chars.is_empty() {
                rows.push(String::new());
                continue;
            }
            // Wrap at the last space that leaves a line at least half full,
            // else at the measure; continuations are indented.
            let mut at = 0;
            let mut first = true;
            while at < chars.len() {
                let width = if first { cols } else { cols - 2 };
                let mut end = (at + width).min(chars.len());
                if end < chars.len() {
                    if let Some(sp) = chars[at..end].iter().rposition(|c| *c == ' ') {
                        if sp > width / 2 {
                            end = at + sp + 1;
                        }
                    }
                }
                let mut s: String = chars[at..end].iter().collect();
                if !first {
                    s.insert_str(0, "  ");
                }
                rows.push(s.trim_end().to_string());
                at = end;
                first = false;
            }
        }
        self.decos.push(Deco::Shade {
            x: frame.x,
            w: frame.measure,
        });
        let top = Elem {
            height: pad * 0.6,
            space_before: self.space(),
            break_before: true,
            ..Elem::default()
        };
        self.push(top);
        let n = rows.len();
        let baseline = paragraph::baseline_in(leading, size);
        for (k, row) in rows.iter().enumerate() {
            let mut rt = RichText::new();
            rt.push_verbatim(row, st, None);
            let line = self
                .set_plain(&rt, f32::MAX / 4.0, Align::Left)
                .into_iter()
                .next()
                .unwrap_or_default();
            let mut e = line_elem(line, frame.x + pad, baseline, leading);
            e.break_before = k >= 2 && n - k >= 2;
            self.push(e);
        }
        let bottom = Elem {
            height: pad * 0.6,
            ..Elem::default()
        };
        self.push(bottom);
        self.decos.pop();
        self.after_space(self.space() * 0.5);
        self.after_para = false;
    }

    fn table(&mut self, a: &Article, t: &Table, frame: Frame) {
        let ncols = t
            .head
            .len()
            .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
        if ncols == 0 {
            return;
        }
        let size = self.style.body_size * 0.88;
        let leading = (size * 1.3).round();
        let pad_x = 5.0;
        let pad_y = 3.5;
        let body = TextStyle::serif(size);
        let head = body.bold();
        let head_rts: Vec<RichText> = (0..ncols)
            .map(|i| self.rich(a, t.head.get(i).map_or(&[][..], |c| c.as_slice()), head))
            .collect();
        let row_rts: Vec<Vec<RichText>> = t
            .rows
            .iter()
            .map(|r| {
                (0..ncols)
                    .map(|i| self.rich(a, r.get(i).map_or(&[][..], |c| c.as_slice()), body))
                    .collect()
            })
            .collect();
        // Column widths from content: natural (one line) and minimum (the
        // longest word), shared out as browsers do.
        let mut max_w = vec![0.0f32; ncols];
        let mut min_w = vec![0.0f32; ncols];
        for row in std::iter::once(&head_rts).chain(row_rts.iter()) {
            for (i, rt) in row.iter().enumerate() {
                let (natural, word) = self.measure_text(rt);
                max_w[i] = max_w[i].max(natural + 2.0 * pad_x);
                min_w[i] = min_w[i].max(word + 2.0 * pad_x);
            }
        }
        let avail = frame.measure;
        let sum_max: f32 = max_w.iter().sum();
        let sum_min: f32 = min_w.iter().sum();
        let widths: Vec<f32> = if sum_max <= avail {
            // Natural widths, spread to the measure when the table is wide.
            let extra = if sum_max > avail * 0.6 {
                (avail - sum_max) / ncols as f32
            } else {
                0.0
            };
            max_w.iter().map(|w| w + extra).collect()
        } else if sum_min <= avail {
            let k = (avail - sum_min) / (sum_max - sum_min).max(1e-3);
            (0..ncols)
                .map(|i| min_w[i] + (max_w[i] - min_w[i]) * k)
                .collect()
        } else {
            min_w.iter().map(|w| w * avail / sum_min).collect()
        };
        let table_w: f32 = widths.iter().sum();
        let align = |i: usize| match t.align.get(i).copied().unwrap_or(ColAlign::None) {
            ColAlign::Right => Align::Right,
            ColAlign::Center => Align::Center,
            _ => Align::Left,
        };
        let rule = |y: f32, thick: f32| {
            (
                Point::new(frame.x, y),
                Item::hline(table_w, thick, Rgb::INK),
            )
        };
        let has_head = !t.head.is_empty();
        let mut header: Option<Arc<Elem>> = None;
        if has_head {
            let mut e = self.row(
                &head_rts, &widths, frame.x, size, leading, pad_x, pad_y, &align,
            );
            e.items.push(rule(0.0, 0.8));
            let h = e.height;
            e.items.push(rule(h, 0.5));
            e.space_before = self.space();
            e.break_before = true;
            header = Some(Arc::new(e.clone()));
            self.push(e);
            self.keep_next = true;
        }
        let n = row_rts.len();
        for (k, cells) in row_rts.iter().enumerate() {
            let mut e = self.row(cells, &widths, frame.x, size, leading, pad_x, pad_y, &align);
            if k == 0 && !has_head {
                e.items.push(rule(0.0, 0.8));
                e.space_before = self.space();
            }
            if k + 1 == n {
                let h = e.height;
                e.items.push(rule(h, 0.8));
            }
            e.break_before = k >= 1 && (n - k >= 1);
            e.header = header.clone();
            self.push(e);
        }
        self.after_space(self.space());
        self.after_para = false;
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        cells: &[RichText],
        widths: &[f32],
        x0: f32,
        size: f32,
        leading: f32,
        pad_x: f32,
        pad_y: f32,
        align: &dyn Fn(usize) -> Align,
    ) -> Elem {
        let baseline = paragraph::baseline_in(leading, size);
        let mut e = Elem::default();
        let mut x = x0;
        let mut rows = 1;
        for (i, rt) in cells.iter().enumerate() {
            let opts = ParaOpts {
                measure: (widths[i] - 2.0 * pad_x).max(1.0),
                indent: 0.0,
                align: align(i),
                lang: self.lang,
            };
            let lines = paragraph::set(rt, &self.fonts, &mut self.shaper, &opts, &mut self.missing);
            rows = rows.max(lines.len());
            for (k, line) in lines.into_iter().enumerate() {
                let y = pad_y + baseline + k as f32 * leading;
                line.place(x + pad_x, y, &mut e.items, &mut e.links);
            }
            x += widths[i];
        }
        e.height = rows as f32 * leading + 2.0 * pad_y;
        e.baseline = pad_y + baseline;
        e
    }

    /// Natural one-line width of `rt` and the width of its widest word.
    fn measure_text(&mut self, rt: &RichText) -> (f32, f32) {
        if rt.text.is_empty() {
            return (0.0, 0.0);
        }
        let opts = ParaOpts {
            measure: f32::MAX / 4.0,
            indent: 0.0,
            align: Align::Left,
            lang: None,
        };
        let lines = paragraph::set(rt, &self.fonts, &mut self.shaper, &opts, &mut self.missing);
        let natural = lines.iter().map(|l| l.width).fold(0.0, f32::max);
        let chars = rt.text.chars().count().max(1) as f32;
        let longest = rt
            .text
            .split(' ')
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0) as f32;
        // Words are cut at separators when they must be; an estimate of the
        // widest word is enough to share the width out.
        (natural, (natural * longest / chars).min(natural).min(120.0))
    }

    fn image(&mut self, a: &Article, src: &ImageSrc, alt: &str, title: Option<&str>, frame: Frame) {
        let space = self.space();
        match src {
            ImageSrc::Asset(id) => {
                let asset = self.digest.asset(*id);
                let aspect = asset.height.max(1) as f32 / asset.width.max(1) as f32;
                let natural = asset.width as f32 * 0.75;
                let mut w = if natural > frame.measure * 0.5 {
                    frame.measure
                } else {
                    natural
                };
                let max_h = self.style.content_height() * 0.6;
                if w * aspect > max_h {
                    w = max_h / aspect;
                }
                let h = w * aspect;
                let x = frame.x + (frame.measure - w) / 2.0;
                let mut e = Elem {
                    height: h,
                    space_before: space,
                    break_before: true,
                    ..Elem::default()
                };
                if asset.format == ImageFormat::Svg {
                    e.items.push((
                        Point::new(x, 0.0),
                        Item::Frame {
                            w,
                            h,
                            thickness: 0.6,
                            color: Rgb::RULE,
                        },
                    ));
                    let label = format!(
                        "[Image: {}]",
                        if alt.is_empty() { &asset.name } else { alt }
                    );
                    let st = TextStyle::sans(8.5).color(Rgb::GREY);
                    let rt = RichText::plain(&label, st);
                    let lines = self.set_plain(&rt, (w - 12.0).max(20.0), Align::Center);
                    let total = lines.len() as f32 * 11.0;
                    for (k, line) in lines.into_iter().enumerate() {
                        let y = (h - total) / 2.0 + 8.5 + k as f32 * 11.0;
                        line.place(x + 6.0, y, &mut e.items, &mut e.links);
                    }
                    self.warnings.push(
                        Diagnostic::warning(format!(
                            "the SVG image {} cannot be drawn in the PDF; a framed placeholder with its description stands in for it",
                            asset.name
                        ))
                        .at(&a.path)
                        .hint("use a PNG or JPEG version of the image for the PDF"),
                    );
                } else {
                    e.items
                        .push((Point::new(x, 0.0), Item::Image { asset: *id, w, h }));
                }
                self.push(e);
                let caption = title.unwrap_or(alt);
                if !caption.is_empty() {
                    self.keep_next = true;
                    let st = TextStyle::serif(8.8).italic().color(Rgb::GREY);
                    let rt = RichText::plain(caption, st);
                    self.lines(&rt, frame, 0.0, Align::Center, 8.8, 12.0, 4.0);
                }
                self.after_space(space * 0.5);
            }
            ImageSrc::Remote(url) => {
                let label = format!("[Image: {}]", if alt.is_empty() { url } else { alt });
                let st = self.body().italic().color(Rgb::GREY);
                let mut rt = RichText::new();
                let link = LinkTarget::Url(url.clone());
                rt.push(&label, st, Some(&link), 0.0, false);
                rt.finish();
                self.lines(
                    &rt,
                    frame,
                    0.0,
                    Align::Center,
                    st.size,
                    self.style.leading,
                    space,
                );
                self.after_space(space * 0.5);
            }
        }
        self.after_para = false;
    }

    fn notes(&mut self, a: &Article, notes: &[Footnote]) {
        if notes.is_empty() {
            return;
        }
        let full = self.full();
        let st = TextStyle::sans(8.0).bold().color(Rgb::GREY).tracking(0.07);
        let rt = RichText::plain("NOTES", st);
        self.lines(
            &rt,
            full,
            0.0,
            Align::Left,
            8.0,
            12.0,
            self.style.leading * 1.5,
        );
        self.keep_next = true;
        let size = self.style.body_size * 0.86;
        let leading = (size * 1.3).round();
        let inset = size * 1.6;
        let frame = Frame {
            x: inset,
            measure: full.measure - inset,
        };
        for note in notes {
            let first = self.elems.len();
            for (k, b) in note.content.iter().enumerate() {
                match b {
                    Block::Paragraph(content) => {
                        let rt = self.rich(a, content, TextStyle::serif(size));
                        self.lines(
                            &rt,
                            frame,
                            0.0,
                            Align::Justify,
                            size,
                            leading,
                            if k == 0 { 3.0 } else { 2.0 },
                        );
                    }
                    other => self.block(a, other, frame),
                }
            }
            if first == self.elems.len() {
                self.push(Elem {
                    height: leading,
                    break_before: true,
                    ..Elem::default()
                });
            }
            let label = self.label(&format!("{}.", note.number), TextStyle::serif(size), inset);
            let e = &mut self.elems[first];
            e.dests.push(format!("{}/fn{}", a.id, note.number));
            let y = if e.baseline > 0.0 {
                e.baseline
            } else {
                leading * 0.75
            };
            if let Some(line) = label {
                line.place(0.0, y, &mut e.items, &mut e.links);
            }
        }
        self.after_para = false;
    }

    fn attribution(&mut self, a: &Article) {
        let at = a.meta.attribution();
        let full = self.full();
        // The block keeps with the end of the text: it never stands alone
        // at the top of a page.
        let rule = Elem {
            height: 9.0,
            space_before: self.style.leading * 1.2,
            break_before: false,
            items: vec![(
                Point::new(0.0, 0.0),
                Item::hline(full.measure, 0.5, Rgb::RULE),
            )],
            ..Elem::default()
        };
        self.push(rule);
        self.keep_next = true;
        let st = TextStyle::sans(7.5)
            .bold()
            .color(Rgb::ACCENT)
            .tracking(0.07);
        let rt = RichText::plain("ABOUT THIS ARTICLE", st);
        self.lines(&rt, full, 0.0, Align::Left, 7.5, 11.0, 0.0);
        let mut rows: Vec<(&str, String, Option<LinkTarget>)> = Vec::new();
        if self.tight {
            return self.attribution_compact(a);
        }
        rows.push((
            "Source",
            at.source.unwrap_or("Not stated").to_string(),
            None,
        ));
        if let Some(au) = at.author {
            rows.push(("Author", au.to_string(), None));
        }
        if let Some(d) = at.date {
            rows.push(("Published", d.to_string(), None));
        }
        if let Some(u) = at.url {
            let link = has_scheme(u).then(|| LinkTarget::Url(u.to_string()));
            rows.push(("Original", u.to_string(), link));
        }
        if let Some(r) = at.rights {
            rows.push(("Rights", r.to_string(), None));
        }
        let size = 8.0;
        let leading = 10.5;
        let label_w = 54.0;
        let value = Frame {
            x: label_w,
            measure: full.measure - label_w,
        };
        for (label, text, link) in rows {
            self.keep_next = true;
            let mut rt = RichText::new();
            rt.push(&text, TextStyle::sans(size), link.as_ref(), 0.0, false);
            rt.finish();
            let first = self.lines(&rt, value, 0.0, Align::Left, size, leading, 1.0);
            // Keep the block together.
            for e in &mut self.elems[first..] {
                e.break_before = false;
            }
            let lab = RichText::plain(label, TextStyle::sans(size).bold().color(Rgb::GREY));
            let lines = self.set_plain(&lab, label_w, Align::Left);
            if let (Some(line), Some(e)) = (lines.into_iter().next(), self.elems.get_mut(first)) {
                let y = e.baseline;
                line.place(0.0, y, &mut e.items, &mut e.links);
            }
        }
        self.keep_next = false;
    }

    /// The attribution as one run-on paragraph (used when space is short).
    fn attribution_compact(&mut self, a: &Article) {
        let at = a.meta.attribution();
        let label = TextStyle::sans(8.0).bold().color(Rgb::GREY);
        let value = TextStyle::sans(8.0);
        let mut rt = RichText::new();
        let field = |rt: &mut RichText, name: &str, text: &str, link: Option<LinkTarget>| {
            if !rt.text.is_empty() {
                rt.push(
                    " \u{a0}\u{b7}\u{a0} ",
                    value.color(Rgb::GREY),
                    None,
                    0.0,
                    false,
                );
            }
            rt.push(name, label, None, 0.0, false);
            rt.push("\u{a0}", label, None, 0.0, false);
            rt.push(text, value, link.as_ref(), 0.0, false);
        };
        field(&mut rt, "Source", at.source.unwrap_or("Not stated"), None);
        if let Some(au) = at.author {
            field(&mut rt, "Author", au, None);
        }
        if let Some(d) = at.date {
            field(&mut rt, "Published", &d.to_string(), None);
        }
        if let Some(u) = at.url {
            let link = has_scheme(u).then(|| LinkTarget::Url(u.to_string()));
            field(&mut rt, "Original", u, link);
        }
        if let Some(r) = at.rights {
            field(&mut rt, "Rights", r, None);
        }
        rt.finish();
        let full = self.full();
        self.keep_next = true;
        let first = self.lines(&rt, full, 0.0, Align::Left, 8.0, 10.5, 1.0);
        for e in &mut self.elems[first..] {
            e.break_before = false;
        }
        self.keep_next = false;
    }

    /// Inline content → styled text.
    fn rich(&self, a: &Article, inlines: &[Inline], style: TextStyle) -> RichText {
        let mut rt = RichText::new();
        self.inlines(a, inlines, style, None, false, &mut rt);
        rt.finish();
        rt
    }

    fn inlines(
        &self,
        a: &Article,
        inlines: &[Inline],
        st: TextStyle,
        link: Option<&LinkTarget>,
        strike: bool,
        rt: &mut RichText,
    ) {
        for i in inlines {
            match i {
                Inline::Text(t) => rt.push(t, st, link, 0.0, strike),
                Inline::Emph(c) => {
                    let mut s = st;
                    s.italic = !st.italic;
                    self.inlines(a, c, s, link, strike, rt)
                }
                Inline::Strong(c) => self.inlines(a, c, st.bold(), link, strike, rt),
                Inline::Strike(c) => self.inlines(a, c, st, link, true, rt),
                Inline::Code(t) => {
                    let code = TextStyle {
                        family: Family::Mono,
                        hyphenate: false,
                        size: st.size * 0.86,
                        ..st
                    };
                    rt.push(t, code, link, 0.0, strike);
                }
                Inline::Link { url, content, .. } => {
                    let target = self.link_target(a, url);
                    self.inlines(a, content, st, target.as_ref().or(link), strike, rt);
                }
                Inline::Image { src, alt } => {
                    let label = format!("[Image: {}]", if alt.is_empty() { "" } else { alt });
                    let target = match src {
                        ImageSrc::Remote(u) => Some(LinkTarget::Url(u.clone())),
                        ImageSrc::Asset(_) => None,
                    };
                    rt.push(&label, st.italic(), target.as_ref().or(link), 0.0, strike);
                }
                Inline::NoteRef { number } => {
                    let sup = TextStyle {
                        size: st.size * 0.62,
                        family: Family::Serif,
                        bold: false,
                        italic: false,
                        hyphenate: false,
                        ..st
                    };
                    let target = LinkTarget::Internal(format!("{}/fn{number}", a.id));
                    rt.push(
                        &number.to_string(),
                        sup,
                        Some(&target),
                        st.size * 0.36,
                        false,
                    );
                }
                Inline::LineBreak => rt.line_break(),
            }
        }
    }

    fn link_target(&self, a: &Article, url: &str) -> Option<LinkTarget> {
        match self.digest.resolve(a, url) {
            Target::Url(u) => Some(LinkTarget::Url(u)),
            Target::Article { id, fragment } => Some(LinkTarget::Internal(match fragment {
                Some(f) => format!("{id}/{f}"),
                None => id,
            })),
            Target::Outside => None,
        }
    }
}

/// One line as a strip of height `leading`, its baseline at `baseline`.
fn line_elem(line: Line, x: f32, baseline: f32, leading: f32) -> Elem {
    let mut e = Elem {
        height: leading,
        baseline,
        ..Elem::default()
    };
    line.place(x, baseline, &mut e.items, &mut e.links);
    e
}

fn plain(inlines: &[Inline]) -> String {
    let mut s = String::new();
    crate::model::visit_inline_text(inlines, &mut |t| s.push_str(t));
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
