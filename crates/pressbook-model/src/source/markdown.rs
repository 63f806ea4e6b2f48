//! Markdown articles: YAML front matter, then CommonMark (with footnotes,
//! tables, strikethrough and smart punctuation) turned into model blocks.
//!
//! The converter consumes pulldown-cmark's event stream with an explicit
//! stack of open containers, so nesting depth never becomes call depth.

use std::collections::{BTreeMap, HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use crate::diag::{line_col, Diagnostic};
use crate::model::{Align, Block, Footnote, ImageSrc, Inline, Table};

/// Containers nested deeper than this are flattened into their parent (with
/// a warning) so that hostile input cannot blow the stack of any writer.
pub const MAX_DEPTH: usize = 48;

/// Front matter as written. Unknown keys are collected to warn about them.
#[derive(Debug, Default, Deserialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub author: Option<OneOrMany>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub date: Option<serde_norway::Value>,
    pub section: Option<String>,
    pub language: Option<String>,
    pub rights: Option<String>,
    pub summary: Option<String>,
    /// When `add` or `fetch` fetched the article (kept for the record).
    pub fetched: Option<serde_norway::Value>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, serde_norway::Value>,
}

pub const FRONT_MATTER_KEYS: &[&str] = &[
    "title", "author", "source", "url", "date", "section", "language", "rights", "summary",
    "fetched",
];

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn joined(&self) -> String {
        match self {
            OneOrMany::One(s) => s.clone(),
            OneOrMany::Many(v) => match v.len() {
                0 => String::new(),
                1 => v[0].clone(),
                n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
            },
        }
    }
}

/// A Markdown file split into front matter and body.
pub struct Split<'a> {
    pub front: Option<&'a str>,
    /// 1-based line of the first front-matter line.
    pub front_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
}

/// Splits `---` front matter from the body. The text has no BOM.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            front: None,
            front_line: 0,
            body: text,
            body_offset: 0,
        });
    }
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_offset = offset + line.len();
            return Ok(Split {
                front: Some(&text[first_line_end..offset]),
                front_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("front matter is not closed")
        .line(1)
        .hint("end the front matter with a line of three dashes: ---"))
}

/// Parses YAML front matter; `line` is where it starts in the file.
pub fn parse_front_matter(yaml: &str, line: usize) -> Result<FrontMatter, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_norway::from_str::<FrontMatter>(yaml).map_err(|e| {
        let mut d = Diagnostic::error(format!("front matter is not valid YAML: {e}"))
            .hint("front matter holds `key: value` lines, e.g. title: \"My headline\"; quote values that contain a colon");
        if let Some(loc) = e.location() {
            d = d.line_col(line + loc.line() - 1, loc.column());
        } else {
            d = d.line(line);
        }
        d.message = format!(
            "front matter is not valid YAML: {}",
            e.to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
        );
        d
    })
}

/// The result of converting a Markdown body.
#[derive(Debug, Default)]
pub struct Converted {
    pub body: Vec<Block>,
    pub footnotes: Vec<Footnote>,
    /// Warnings with body-relative byte offsets.
    pub warnings: Vec<(usize, Diagnostic)>,
}

/// Something that turns an image URL (as written) into an image source.
/// `offset` is the byte offset of the image in the body, for messages.
pub trait ImageResolver {
    fn resolve(&mut self, url: &str, offset: usize) -> ImageSrc;
}

/// Converts a Markdown body to blocks. Heading ids are unique within the
/// article. `first_line` is the body's first line in its file (links carry
/// their line, for messages about them).
pub fn convert(body: &str, first_line: usize, images: &mut dyn ImageResolver) -> Converted {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut c = Converter {
        newlines: body.match_indices('\n').map(|(i, _)| i).collect(),
        first_line,
        ..Converter::default()
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        c.event(event, range.start, images);
    }
    c.finish()
}

#[derive(Debug)]
enum Frame {
    /// The article body or a footnote definition.
    Blocks(Vec<Block>, Option<String>),
    Quote(Vec<Block>),
    List(Option<u64>, Vec<Vec<Block>>),
    Item(Vec<Block>),
    /// A paragraph; `implicit` for the text of a tight list item.
    Para(Vec<Inline>, bool),
    Heading(u8, Option<String>, Vec<Inline>),
    Code(Option<String>, String),
    Table(Table, bool),
    Row(Vec<Vec<Inline>>),
    Cell(Vec<Inline>),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    /// URL, title, content, byte offset.
    Link(String, Option<String>, Vec<Inline>, usize),
    /// URL, title, alt text (its content as text), byte offset.
    Image(String, Option<String>, String, usize),
    /// A container past `MAX_DEPTH`: its content goes to the parent.
    Flattened,
}

#[derive(Default)]
struct Converter {
    stack: Vec<Frame>,
    /// Footnote labels in order of first reference, and their numbers.
    note_numbers: Vec<String>,
    note_index: HashMap<String, usize>,
    note_defs: BTreeMap<String, Vec<Block>>,
    /// Heading ids given out, and the next suffix to try for each base
    /// (sets, so that thousands of equal headings stay linear).
    heading_ids: HashSet<String>,
    next_suffix: HashMap<String, usize>,
    warnings: Vec<(usize, Diagnostic)>,
    warned_html: bool,
    warned_depth: bool,
    /// Offsets of the body's newlines, and the body's first line in its file.
    newlines: Vec<usize>,
    first_line: usize,
}

impl Converter {
    /// The file line of a body offset.
    fn line(&self, offset: usize) -> usize {
        self.first_line + self.newlines.partition_point(|&n| n < offset)
    }

    fn event(&mut self, event: Event<'_>, offset: usize, images: &mut dyn ImageResolver) {
        if self.stack.is_empty() {
            self.stack.push(Frame::Blocks(Vec::new(), None));
        }
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(tag, images),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => self.push_inline(Inline::Code(t.into_string())),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.push_inline(Inline::LineBreak),
            Event::Rule => self.push_block(Block::Rule),
            Event::FootnoteReference(label) => {
                let label = label.into_string();
                let number = match self.note_index.get(&label) {
                    Some(&n) => n,
                    None => {
                        self.note_numbers.push(label.clone());
                        let n = self.note_numbers.len();
                        self.note_index.insert(label, n);
                        n
                    }
                };
                self.push_inline(Inline::NoteRef {
                    number: number as u32,
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html, offset),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
        }
    }

    fn depth(&self) -> usize {
        self.stack
            .iter()
            .filter(|f| matches!(f, Frame::Quote(_) | Frame::List(..) | Frame::Item(_)))
            .count()
    }

    fn open_container(&mut self, frame: Frame, offset: usize) {
        if self.depth() >= MAX_DEPTH {
            if !self.warned_depth {
                self.warned_depth = true;
                self.warnings.push((
                    offset,
                    Diagnostic::warning(format!(
                        "lists and quotes nest deeper than {MAX_DEPTH} levels; deeper levels are flattened"
                    ))
                    .hint("simplify the nesting"),
                ));
            }
            self.stack.push(Frame::Flattened);
        } else {
            self.close_implicit_para();
            self.stack.push(frame);
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::Paragraph => {
                self.close_implicit_para();
                self.stack.push(Frame::Para(Vec::new(), false))
            }
            Tag::Heading { level, id, .. } => {
                self.close_implicit_para();
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.stack.push(Frame::Heading(
                    level,
                    id.map(|i| i.into_string()),
                    Vec::new(),
                ))
            }
            Tag::BlockQuote(_) => self.open_container(Frame::Quote(Vec::new()), offset),
            Tag::List(start) => self.open_container(Frame::List(start, Vec::new()), offset),
            Tag::Item => self.open_container(Frame::Item(Vec::new()), offset),
            Tag::CodeBlock(kind) => {
                self.close_implicit_para();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(str::to_string)
                        .filter(|s| !s.is_empty()),
                    CodeBlockKind::Indented => None,
                };
                self.stack.push(Frame::Code(lang, String::new()))
            }
            Tag::FootnoteDefinition(label) => {
                self.close_implicit_para();
                self.stack
                    .push(Frame::Blocks(Vec::new(), Some(label.into_string())))
            }
            Tag::Table(aligns) => {
                self.close_implicit_para();
                let align = aligns
                    .iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::None => Align::None,
                        pulldown_cmark::Alignment::Left => Align::Left,
                        pulldown_cmark::Alignment::Center => Align::Center,
                        pulldown_cmark::Alignment::Right => Align::Right,
                    })
                    .collect();
                self.stack.push(Frame::Table(
                    Table {
                        align,
                        head: Vec::new(),
                        rows: Vec::new(),
                    },
                    false,
                ))
            }
            Tag::TableHead => {
                if let Some(Frame::Table(_, in_head)) = self.stack.last_mut() {
                    *in_head = true;
                }
                self.stack.push(Frame::Row(Vec::new()))
            }
            Tag::TableRow => self.stack.push(Frame::Row(Vec::new())),
            Tag::TableCell => self.stack.push(Frame::Cell(Vec::new())),
            Tag::Emphasis => self.open_inline(Frame::Emph(Vec::new())),
            Tag::Strong => self.open_inline(Frame::Strong(Vec::new())),
            Tag::Strikethrough => self.open_inline(Frame::Strike(Vec::new())),
            Tag::Link {
                dest_url, title, ..
            } => self.open_inline(Frame::Link(
                dest_url.into_string(),
                Some(title.into_string()).filter(|t| !t.is_empty()),
                Vec::new(),
                offset,
            )),
            Tag::Image {
                dest_url, title, ..
            } => self.open_inline(Frame::Image(
                dest_url.into_string(),
                Some(title.into_string()).filter(|t| !t.is_empty()),
                String::new(),
                offset,
            )),
            // Not enabled; handled so that their text is never lost.
            Tag::HtmlBlock
            | Tag::MetadataBlock(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript => {}
        }
    }

    fn end(&mut self, tag: TagEnd, images: &mut dyn ImageResolver) {
        match tag {
            TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_)
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript => return,
            TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                self.close_implicit_para()
            }
            _ => {}
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Flattened => {}
            Frame::Para(inlines, _) => {
                if let Some(b) = paragraph_block(inlines) {
                    self.push_block(b)
                }
            }
            Frame::Heading(level, id, content) => {
                let id = self.unique_heading_id(id, &content);
                self.push_block(Block::Heading { level, id, content })
            }
            Frame::Quote(blocks) => self.push_block(Block::Quote(blocks)),
            Frame::List(start, items) => self.push_block(Block::List { start, items }),
            Frame::Item(blocks) => match self.stack.last_mut() {
                Some(Frame::List(_, items)) => items.push(blocks),
                // The list itself was flattened: keep the item's blocks.
                _ => blocks.into_iter().for_each(|b| self.push_block(b)),
            },
            Frame::Code(lang, text) => self.push_block(Block::Code { lang, text }),
            Frame::Blocks(blocks, Some(label)) => {
                self.note_defs.entry(label).or_insert(blocks);
            }
            Frame::Blocks(blocks, None) => {
                // Unbalanced end: put the body back.
                self.stack.push(Frame::Blocks(blocks, None));
            }
            Frame::Table(table, _) => self.push_block(Block::Table(table)),
            Frame::Row(cells) => {
                if let Some(Frame::Table(t, in_head)) = self.stack.last_mut() {
                    if *in_head {
                        t.head = cells;
                        *in_head = false;
                    } else {
                        t.rows.push(cells);
                    }
                }
            }
            Frame::Cell(inlines) => {
                if let Some(Frame::Row(cells)) = self.stack.last_mut() {
                    cells.push(trim_inlines(inlines));
                }
            }
            Frame::Emph(c) => self.push_inline(Inline::Emph(c)),
            Frame::Strong(c) => self.push_inline(Inline::Strong(c)),
            Frame::Strike(c) => self.push_inline(Inline::Strike(c)),
            Frame::Link(url, title, content, offset) => {
                let line = self.line(offset);
                self.push_inline(Inline::Link {
                    url,
                    title,
                    content,
                    line,
                })
            }
            Frame::Image(url, title, alt, offset) => {
                let src = images.resolve(&url, offset);
                self.push_inline(Inline::Image { src, alt, title })
            }
        }
    }

    fn open_inline(&mut self, frame: Frame) {
        self.ensure_inline_context();
        self.stack.push(frame);
    }

    /// Text outside any paragraph (a tight list item) opens an implicit one.
    fn ensure_inline_context(&mut self) {
        if matches!(
            self.stack.last(),
            Some(
                Frame::Blocks(..)
                    | Frame::Quote(_)
                    | Frame::Item(_)
                    | Frame::List(..)
                    | Frame::Flattened
            )
        ) {
            self.stack.push(Frame::Para(Vec::new(), true));
        }
    }

    fn close_implicit_para(&mut self) {
        if let Some(Frame::Para(_, true)) = self.stack.last() {
            if let Some(Frame::Para(inlines, _)) = self.stack.pop() {
                if let Some(b) = paragraph_block(inlines) {
                    self.push_block(b);
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        match self.stack.last_mut() {
            Some(Frame::Code(_, text)) => text.push_str(t),
            Some(Frame::Image(_, _, alt, _)) => alt.push_str(t),
            _ => self.push_inline(Inline::Text(t.to_string())),
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        if let Some(Frame::Image(_, _, alt, _)) = self.stack.last_mut() {
            // Formatting inside alt text: keep its text only.
            crate::model::visit_inline_text(std::slice::from_ref(&inline), &mut |t| {
                alt.push_str(t)
            });
            return;
        }
        self.ensure_inline_context();
        let target = match self.stack.last_mut() {
            Some(
                Frame::Para(v, _)
                | Frame::Heading(_, _, v)
                | Frame::Cell(v)
                | Frame::Emph(v)
                | Frame::Strong(v)
                | Frame::Strike(v)
                | Frame::Link(_, _, v, _),
            ) => v,
            _ => return self.push_orphan_inline(inline),
        };
        match (target.last_mut(), inline) {
            (Some(Inline::Text(prev)), Inline::Text(t)) => prev.push_str(&t),
            (_, inline) => target.push(inline),
        }
    }

    /// Inline content in a place that holds none (e.g. a table row): keep
    /// it as a paragraph rather than lose it.
    fn push_orphan_inline(&mut self, inline: Inline) {
        if let Some(Frame::Row(cells)) = self.stack.last_mut() {
            cells.push(vec![inline]);
        }
    }

    fn push_block(&mut self, block: Block) {
        self.close_implicit_para();
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Blocks(v, _) | Frame::Quote(v) | Frame::Item(v) => {
                    v.push(block);
                    return;
                }
                Frame::List(_, items) => {
                    items.push(vec![block]);
                    return;
                }
                _ => {}
            }
        }
    }

    fn html(&mut self, html: &str, offset: usize) {
        let trimmed = html.trim();
        if trimmed.starts_with("<!--") {
            return; // comments are not text
        }
        let lower = trimmed.to_ascii_lowercase();
        if matches!(lower.as_str(), "<br>" | "<br/>" | "<br />") {
            return self.push_inline(Inline::LineBreak);
        }
        if !self.warned_html {
            self.warned_html = true;
            self.warnings.push((
                offset,
                Diagnostic::warning("raw HTML is shown as text, not interpreted")
                    .hint("use Markdown instead of HTML tags"),
            ));
        }
        let text = html.trim_end_matches('\n');
        if matches!(
            self.stack.last(),
            Some(Frame::Blocks(..) | Frame::Quote(_) | Frame::Item(_))
        ) {
            self.push_block(Block::Paragraph(vec![Inline::Text(text.to_string())]));
        } else {
            self.text(text);
        }
    }

    fn unique_heading_id(&mut self, given: Option<String>, content: &[Inline]) -> String {
        let base = match given {
            Some(id) => slug(&id),
            None => {
                let mut text = String::new();
                crate::model::visit_inline_text(content, &mut |t| text.push_str(t));
                slug(&text)
            }
        };
        // Footnotes own the ids `fn…`, so a heading slug that starts so gets
        // a prefix (adding a number suffix alone would never get it out).
        let base = if base.is_empty() {
            "section".to_string()
        } else if base.starts_with("fn") {
            format!("h-{base}")
        } else {
            base
        };
        let mut id = base.clone();
        let n = self.next_suffix.entry(base.clone()).or_insert(2);
        while self.heading_ids.contains(&id) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        self.heading_ids.insert(id.clone());
        id
    }

    fn finish(mut self) -> Converted {
        while self.stack.len() > 1 {
            // Unbalanced events never come from pulldown-cmark; close anyway.
            let tag = TagEnd::Paragraph;
            self.end(tag, &mut NoImages);
        }
        let body = match self.stack.pop() {
            Some(Frame::Blocks(blocks, _)) => blocks,
            _ => Vec::new(),
        };
        let mut footnotes = Vec::new();
        for (i, label) in self.note_numbers.iter().enumerate() {
            let content = self.note_defs.remove(label).unwrap_or_else(|| {
                self.warnings.push((
                    0,
                    Diagnostic::warning(format!(
                        "footnote [^{label}] is referenced but never defined"
                    ))
                    .hint(format!("add a line `[^{label}]: text of the note`")),
                ));
                vec![Block::Paragraph(vec![Inline::Text(format!("[^{label}]"))])]
            });
            footnotes.push(Footnote {
                number: i as u32 + 1,
                content,
            });
        }
        // Definitions nobody references still hold text: keep them as notes.
        for (label, content) in std::mem::take(&mut self.note_defs) {
            self.warnings.push((
                0,
                Diagnostic::warning(format!(
                    "footnote [^{label}] is defined but never referenced"
                ))
                .hint("reference it in the text or remove it"),
            ));
            footnotes.push(Footnote {
                number: footnotes.len() as u32 + 1,
                content,
            });
        }
        Converted {
            body,
            footnotes,
            warnings: self.warnings,
        }
    }
}

struct NoImages;
impl ImageResolver for NoImages {
    fn resolve(&mut self, url: &str, _: usize) -> ImageSrc {
        ImageSrc::Remote(url.to_string())
    }
}

/// A paragraph holding only an image becomes a figure; an empty one vanishes.
fn paragraph_block(inlines: Vec<Inline>) -> Option<Block> {
    let inlines = trim_inlines(inlines);
    if inlines.is_empty() {
        return None;
    }
    if let [Inline::Image { src, alt, title }] = inlines.as_slice() {
        return Some(Block::Image {
            src: src.clone(),
            alt: alt.clone(),
            title: title.clone(),
        });
    }
    Some(Block::Paragraph(inlines))
}

/// Drops leading/trailing whitespace of a run of inlines.
fn trim_inlines(mut v: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(t)) = v.first_mut() {
        *t = t.trim_start().to_string();
        if t.is_empty() {
            v.remove(0);
        }
    }
    if let Some(Inline::Text(t)) = v.last_mut() {
        *t = t.trim_end().to_string();
        if t.is_empty() {
            v.pop();
        }
    }
    v
}

/// A lowercase ASCII-ish slug for ids and file names; non-Latin letters are
/// kept (XML names allow them) but punctuation and spaces become hyphens.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Converts a body-relative byte offset to a file line.
pub fn body_line(file_text: &str, body_offset: usize, offset: usize) -> usize {
    line_col(file_text, body_offset + offset).0
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Remote;
    impl ImageResolver for Remote {
        fn resolve(&mut self, url: &str, _: usize) -> ImageSrc {
            ImageSrc::Remote(url.to_string())
        }
    }

    fn conv(md: &str) -> Converted {
        convert(md, 1, &mut Remote)
    }

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    #[test]
    fn paragraphs_emphasis_links() {
        let c = conv(
            "Hello *big* **bold** ~~gone~~ `x` [site](https://example.org \"T\").\n\nSecond\nline.",
        );
        assert_eq!(
            c.body,
            vec![
                Block::Paragraph(vec![
                    text("Hello "),
                    Inline::Emph(vec![text("big")]),
                    text(" "),
                    Inline::Strong(vec![text("bold")]),
                    text(" "),
                    Inline::Strike(vec![text("gone")]),
                    text(" "),
                    Inline::Code("x".into()),
                    text(" "),
                    Inline::Link {
                        url: "https://example.org".into(),
                        title: Some("T".into()),
                        content: vec![text("site")],
                        line: 1,
                    },
                    text("."),
                ]),
                Block::Paragraph(vec![text("Second line.")]),
            ]
        );
    }

    #[test]
    fn smart_punctuation() {
        let c = conv("\"Quoted\" -- it's --- done...");
        assert_eq!(
            c.body,
            vec![Block::Paragraph(vec![text("“Quoted” – it’s — done…")])]
        );
    }

    #[test]
    fn headings_get_unique_ids() {
        let c = conv("## Overview\n\n## Overview\n\n### Custom {#mine}\n");
        let ids: Vec<_> = c
            .body
            .iter()
            .map(|b| match b {
                Block::Heading { level, id, .. } => (*level, id.as_str()),
                _ => panic!(),
            })
            .collect();
        assert_eq!(ids, [(2, "overview"), (2, "overview-2"), (3, "mine")]);
    }

    #[test]
    fn tight_and_loose_nested_lists() {
        let c = conv("- one\n- two\n  1. a\n  2. b\n\n3. x\n\n4. y\n");
        assert_eq!(
            c.body,
            vec![
                Block::List {
                    start: None,
                    items: vec![
                        vec![Block::Paragraph(vec![text("one")])],
                        vec![
                            Block::Paragraph(vec![text("two")]),
                            Block::List {
                                start: Some(1),
                                items: vec![
                                    vec![Block::Paragraph(vec![text("a")])],
                                    vec![Block::Paragraph(vec![text("b")])],
                                ]
                            }
                        ],
                    ]
                },
                Block::List {
                    start: Some(3),
                    items: vec![
                        vec![Block::Paragraph(vec![text("x")])],
                        vec![Block::Paragraph(vec![text("y")])],
                    ]
                }
            ]
        );
    }

    #[test]
    fn quotes_code_rules_tables() {
        let c = conv(
            "> quoted\n\n```rust extra\nfn x() {}\n```\n\n---\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n",
        );
        assert_eq!(
            c.body[0],
            Block::Quote(vec![Block::Paragraph(vec![text("quoted")])])
        );
        assert_eq!(
            c.body[1],
            Block::Code {
                lang: Some("rust".into()),
                text: "fn x() {}\n".into()
            }
        );
        assert_eq!(c.body[2], Block::Rule);
        assert_eq!(
            c.body[3],
            Block::Table(Table {
                align: vec![Align::Left, Align::Right],
                head: vec![vec![text("A")], vec![text("B")]],
                rows: vec![vec![vec![text("1")], vec![text("2")]]],
            })
        );
    }

    #[test]
    fn footnotes_numbered_by_first_reference() {
        let c = conv("B[^b] then A[^a] and B again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n");
        let refs: Vec<u32> = match &c.body[0] {
            Block::Paragraph(v) => v
                .iter()
                .filter_map(|i| match i {
                    Inline::NoteRef { number } => Some(*number),
                    _ => None,
                })
                .collect(),
            _ => panic!(),
        };
        assert_eq!(refs, [1, 2, 1]);
        assert_eq!(c.footnotes.len(), 2);
        assert_eq!(
            c.footnotes[0].content,
            vec![Block::Paragraph(vec![text("Note B.")])]
        );
        assert_eq!(
            c.footnotes[1].content,
            vec![Block::Paragraph(vec![text("Note A.")])]
        );
        assert!(c.warnings.is_empty());
    }

    #[test]
    fn unreferenced_footnote_is_kept_with_warning() {
        let c = conv("Text.\n\n[^x]: Orphan note.\n");
        assert_eq!(c.footnotes.len(), 1);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn lone_image_becomes_figure() {
        let c = conv("![A *harbour*](images/h.png)\n\nText ![i](x.png) inline.");
        assert_eq!(
            c.body[0],
            Block::Image {
                src: ImageSrc::Remote("images/h.png".into()),
                alt: "A harbour".into(),
                title: None
            }
        );
        assert!(matches!(&c.body[1], Block::Paragraph(v) if v.len() == 3));
    }

    #[test]
    fn raw_html_is_kept_as_text() {
        let c = conv("a<br>b <span>c</span>\n\n<div>block</div>\n\n<!-- gone -->\n");
        assert_eq!(
            c.body[0],
            Block::Paragraph(vec![text("a"), Inline::LineBreak, text("b <span>c</span>")])
        );
        assert_eq!(c.body[1], Block::Paragraph(vec![text("<div>block</div>")]));
        assert_eq!(c.body.len(), 2);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn deep_nesting_is_flattened_not_lost() {
        let md = format!("{}deep text\n", "> ".repeat(500));
        let c = conv(&md);
        let mut all = String::new();
        crate::model::visit_text(&c.body, &mut |t| all.push_str(t));
        assert_eq!(all, "deep text");
        assert_eq!(c.warnings.len(), 1);
        let list = (0..300)
            .map(|i| format!("{}- item{i}\n", "  ".repeat(i)))
            .collect::<String>();
        let c = conv(&list);
        let mut all = String::new();
        crate::model::visit_text(&c.body, &mut |t| all.push_str(t));
        assert!(all.contains("item0") && all.contains("item299"));
    }

    #[test]
    fn front_matter_split_and_parse() {
        let text = "---\ntitle: \"Hello: world\"\nauthor: [Ana, Ben, Cy]\ndate: 2026-11-20\nmood: calm\n---\nBody\n";
        let s = split_front_matter(text).unwrap();
        assert_eq!(s.body, "Body\n");
        let fm = parse_front_matter(s.front.unwrap(), s.front_line).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Hello: world"));
        assert_eq!(fm.author.unwrap().joined(), "Ana, Ben and Cy");
        assert!(fm.unknown.contains_key("mood"));
        assert!(split_front_matter("---\ntitle: x\n").is_err());
        assert!(split_front_matter("No front matter")
            .unwrap()
            .front
            .is_none());
    }

    #[test]
    fn broken_yaml_names_the_line() {
        let d = parse_front_matter("title: ok\nauthor: [unclosed\n", 2).unwrap_err();
        assert!(d.message.contains("not valid YAML"), "{d}");
        assert!(d.line.unwrap() >= 3, "{d}");
    }

    /// Found by cargo-fuzz (markdown target, a 10 s timeout): a heading
    /// whose slug starts with `fn` looped forever looking for a free id.
    #[test]
    fn fuzz_heading_slug_starting_with_fn_does_not_hang() {
        let heading_ids = |text: &str| -> Vec<String> {
            convert(text, 1, &mut Remote)
                .body
                .into_iter()
                .filter_map(|b| match b {
                    Block::Heading { id, .. } => Some(id),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            heading_ids("# fnNotes fernd\t\t\n_\t\t\t=\0lo"),
            ["h-fnnotes-fernd"]
        );
        assert_eq!(
            heading_ids("# fn1\n\n# fn1\n\nText.[^1]\n\n[^1]: A note."),
            ["h-fn1", "h-fn1-2"]
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Syrian rebels’ last stand!"),
            "syrian-rebels-last-stand"
        );
        assert_eq!(slug("Καλημέρα κόσμε"), "καλημέρα-κόσμε");
        assert_eq!(slug("  --  "), "");
    }
}
