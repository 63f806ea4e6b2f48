//! An article as HTML markup: its head (kicker, headline, byline, source,
//! standfirst), body, notes and attribution. The EPUB's XHTML pages and the
//! HTML edition both write articles through here, so both show the same
//! words in the same typography; a [`Dialect`] says what differs between
//! them (where links and images point, the ids on the page, EPUB's
//! `epub:type` attributes).

use crate::direction::{is_rtl_language, mostly_rtl};
use crate::model::{
    has_scheme, top_heading_level, visit_inline_text, Align, Article, AssetId, Block, Footnote,
    ImageSrc, Inline, Section, Table,
};
use crate::typography::tie_dashes;
use crate::xml::Xml;

/// What differs between the outputs that write articles as HTML.
pub trait Dialect {
    /// Whether to write EPUB's `epub:type` semantics beside the ARIA roles.
    fn epub_types(&self) -> bool;
    /// The id a fragment of `article` (a heading, a note) has on the page.
    fn fragment_id(&self, article: &Article, local: &str) -> String;
    /// Where a link in `article` goes, or `None` to show it as text.
    fn link_target(&self, article: &Article, url: &str) -> Option<String>;
    /// The `src` of a local image.
    fn image_src(&self, asset: AssetId) -> String;
}

/// How one article is written.
pub struct ArticleMarkup<'a> {
    pub section: &'a Section,
    pub article: &'a Article,
    /// The headline's level (`1` for `h1`); the article's own headings,
    /// notes and attribution sit one level below it.
    pub headline_level: u8,
    /// A `lang` attribute for the article element (when the page's own
    /// language is not the article's).
    pub lang: Option<&'a str>,
}

/// Hrefs that are not valid URLs (spaces, control characters) are
/// rejected by EPUBCheck and the Nu HTML Checker alike.
pub fn valid_url(url: &str) -> bool {
    !url.chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"')
}

/// `h1` … `h6` for a level, levels past 6 written as `h6`.
pub fn heading_tag(level: u8) -> &'static str {
    ["h1", "h2", "h3", "h4", "h5", "h6"][usize::from(level.clamp(1, 6)) - 1]
}

/// Writes the `<article>` element: head, body, notes, attribution.
pub fn article(x: &mut Xml, d: &dyn Dialect, m: &ArticleMarkup) {
    let a = m.article;
    // Right-to-left articles say so, and so does every paragraph whose
    // direction differs from its article's (readers then align and
    // order it right).
    let rtl = is_rtl_language(&a.meta.language);
    let mut attrs = vec![("id", a.id.as_str()), ("class", "article")];
    if rtl {
        attrs.push(("dir", "rtl"));
    }
    if let Some(lang) = m.lang {
        attrs.push(("lang", lang));
    }
    x.open("article", &attrs).newline();
    head(x, m);
    let sub = m.headline_level + 1;
    let mut w = BodyWriter {
        dialect: d,
        article: a,
        rtl,
        x: &mut *x,
        note_refs_seen: Vec::new(),
        top_heading: top_heading_level(&a.body).unwrap_or(2),
        sub_level: sub,
    };
    w.blocks(&a.body);
    w.footnotes(&a.footnotes);
    attribution(x, a, sub);
    x.close("article");
}

/// Kicker, headline, byline, source line and standfirst.
fn head(x: &mut Xml, m: &ArticleMarkup) {
    let a = m.article;
    x.open("header", &[("class", "article-head")]).newline();
    if let Some(t) = &m.section.title {
        x.element("p", &[("class", "kicker")], &tie_dashes(t))
            .newline();
    }
    x.element(
        heading_tag(m.headline_level),
        &[("class", "headline")],
        &tie_dashes(&a.meta.title),
    )
    .newline();
    if let Some(author) = &a.meta.author {
        x.element("p", &[("class", "byline")], &format!("By {author}"))
            .newline();
    }
    if a.meta.source.is_some() || a.meta.date.is_some() {
        x.open("p", &[("class", "source-line")]);
        if let Some(src) = &a.meta.source {
            x.text(src);
        }
        if let Some(d) = a.meta.date {
            if a.meta.source.is_some() {
                x.text(" · ");
            }
            // Isolated, so that a date in a right-to-left line keeps its
            // own order ("28 November 2026", not "November 2026 28").
            x.element("bdi", &[], &d.to_string());
        }
        x.close("p").newline();
    }
    if let Some(s) = &a.meta.summary {
        x.element("p", &[("class", "summary")], &tie_dashes(s))
            .newline();
    }
    x.close("header").newline();
}

/// The block at the end of every article saying where it came from.
fn attribution(x: &mut Xml, a: &Article, level: u8) {
    let at = a.meta.attribution();
    x.open("footer", &[("class", "attribution")]).newline();
    x.element(
        heading_tag(level),
        &[("class", "attribution-title")],
        "About this article",
    )
    .newline();
    x.open("dl", &[]).newline();
    let row = |x: &mut Xml, label: &str, value: &dyn Fn(&mut Xml)| {
        x.element("dt", &[], label);
        x.open("dd", &[]);
        value(x);
        x.close("dd").newline();
    };
    row(x, "Source", &|x| {
        x.text(&tie_dashes(at.source.unwrap_or("Not stated")));
    });
    if let Some(author) = at.author {
        row(x, "Author", &|x| {
            x.text(&tie_dashes(author));
        });
    }
    if let Some(date) = at.date {
        row(x, "Published", &|x| {
            x.text(&date.to_string());
        });
    }
    if let Some(url) = at.url {
        row(x, "Original", &|x| {
            if has_scheme(url) && valid_url(url) {
                x.element("a", &[("href", url), ("class", "url")], url);
            } else {
                x.text(url);
            }
        });
    }
    if let Some(rights) = at.rights {
        row(x, "Rights", &|x| {
            x.text(&tie_dashes(rights));
        });
    }
    x.close("dl").newline();
    x.close("footer").newline();
}

struct BodyWriter<'p, 'x> {
    dialect: &'p dyn Dialect,
    article: &'p Article,
    x: &'x mut Xml,
    /// Footnotes referenced so far, to give each reference a unique id.
    note_refs_seen: Vec<u32>,
    /// The article's highest heading level, written one under the headline.
    top_heading: u8,
    /// The level under the headline: the top headings, notes, attribution.
    sub_level: u8,
    /// The article is written right to left.
    rtl: bool,
}

impl BodyWriter<'_, '_> {
    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn id(&self, local: &str) -> String {
        self.dialect.fragment_id(self.article, local)
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading { level, id, content } => {
                let rank = level.saturating_sub(self.top_heading);
                let tag = heading_tag(self.sub_level.saturating_add(rank));
                let id = self.id(id);
                self.x.open(tag, &[("id", &id)]);
                self.inlines(content);
                self.x.close(tag).newline();
            }
            Block::Paragraph(content) => {
                let mut text = String::new();
                visit_inline_text(content, &mut |t| text.push_str(t));
                let dir = match (self.rtl, mostly_rtl(&text)) {
                    (false, true) => Some("rtl"),
                    (true, false) if text.chars().any(char::is_alphabetic) => Some("ltr"),
                    _ => None,
                };
                self.x.open(
                    "p",
                    &dir.map(|d| ("dir", d)).into_iter().collect::<Vec<_>>(),
                );
                self.inlines(content);
                self.x.close("p").newline();
            }
            Block::Quote(inner) => {
                self.x.open("blockquote", &[]).newline();
                self.blocks(inner);
                self.x.close("blockquote").newline();
            }
            Block::List { start, items } => self.list(*start, items),
            Block::Code { lang, text } => self.code(lang.as_deref(), text),
            Block::Table(t) => self.table(t),
            Block::Image { src, alt, title } => {
                self.x.open("figure", &[]);
                self.image(src, alt);
                let caption = title.as_deref().unwrap_or(alt);
                if caption == alt && !alt.is_empty() {
                    // The image's text alternative already says it: hide the
                    // repeat from screen readers, show it to everyone else.
                    self.x
                        .element("figcaption", &[("aria-hidden", "true")], caption);
                } else if !caption.is_empty() {
                    self.x.element("figcaption", &[], caption);
                }
                self.x.close("figure").newline();
            }
            Block::Rule => {
                self.x.empty("hr", &[]).newline();
            }
        }
    }

    fn list(&mut self, start: Option<u64>, items: &[Vec<Block>]) {
        let tag = if start.is_some() { "ol" } else { "ul" };
        let start_attr = start.filter(|s| *s != 1).map(|s| s.to_string());
        match &start_attr {
            Some(s) => self.x.open(tag, &[("start", s)]),
            None => self.x.open(tag, &[]),
        };
        self.x.newline();
        for item in items {
            self.x.open("li", &[]);
            // A one-paragraph item is written without <p>, as tight lists are.
            match item.as_slice() {
                [Block::Paragraph(content)] => self.inlines(content),
                _ => self.blocks(item),
            }
            self.x.close("li").newline();
        }
        self.x.close(tag).newline();
    }

    fn code(&mut self, lang: Option<&str>, text: &str) {
        let class = lang.as_ref().map(|l| format!("language-{l}"));
        self.x.open("pre", &[("class", "code")]);
        match &class {
            Some(c) => self.x.open("code", &[("class", c)]),
            None => self.x.open("code", &[]),
        };
        // One block per source line, so a line that wraps on a
        // narrow screen continues indented (the stylesheet's hanging
        // indent) and is told apart from the next line; the newline
        // stays inside, for readers without the stylesheet.
        for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
            // Continuations sit two characters right of the line's
            // own indentation (tabs are four wide in the stylesheet).
            let indent: usize = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .map(|c| if c == '\t' { 4 } else { 1 })
                .sum();
            let hang = format!("padding-left: {0}ch; text-indent: -{0}ch", indent + 2);
            self.x.open("span", &[("class", "line"), ("style", &hang)]);
            self.x.text(line).text("\n");
            self.x.close("span");
        }
        self.x.close("code").close("pre").newline();
    }

    fn table(&mut self, t: &Table) {
        // It scrolls when the table is wider than the screen: keyboard
        // users must be able to reach it (Ace: scrollable-region-focusable).
        self.x
            .open("div", &[("class", "table-wrap"), ("tabindex", "0")]);
        self.x.open("table", &[]).newline();
        let align = |i: usize| match t.align.get(i).copied().unwrap_or(Align::None) {
            Align::Left => Some("text-align: left"),
            Align::Center => Some("text-align: center"),
            Align::Right => Some("text-align: right"),
            Align::None => None,
        };
        if !t.head.is_empty() {
            self.x.open("thead", &[]).open("tr", &[]);
            for (i, cell) in t.head.iter().enumerate() {
                self.cell("th", align(i), cell);
            }
            self.x.close("tr").close("thead").newline();
        }
        self.x.open("tbody", &[]).newline();
        for row in &t.rows {
            self.x.open("tr", &[]);
            for (i, cell) in row.iter().enumerate() {
                self.cell("td", align(i), cell);
            }
            self.x.close("tr").newline();
        }
        self.x.close("tbody").close("table").close("div").newline();
    }

    fn cell(&mut self, tag: &str, align: Option<&str>, content: &[Inline]) {
        match align {
            Some(style) => self.x.open(tag, &[("style", style)]),
            None => self.x.open(tag, &[]),
        };
        self.inlines(content);
        self.x.close(tag);
    }

    fn image(&mut self, src: &ImageSrc, alt: &str) {
        match src {
            ImageSrc::Asset(id) => {
                let name = self.dialect.image_src(*id);
                self.x.empty("img", &[("src", &name), ("alt", alt)]);
            }
            // Remote images would be fetched when the page is read (and
            // are not allowed in an EPUB): link to them.
            ImageSrc::Remote(url) if has_scheme(url) && valid_url(url) => {
                self.x
                    .open("a", &[("href", url), ("class", "remote-image")]);
                self.x.text(&format!(
                    "[Image: {}]",
                    if alt.is_empty() { url } else { alt }
                ));
                self.x.close("a");
            }
            ImageSrc::Remote(url) => {
                self.x.element(
                    "span",
                    &[("class", "remote-image")],
                    &format!("[Image: {}]", if alt.is_empty() { url } else { alt }),
                );
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text(t) => {
                self.x.text(&tie_dashes(t));
            }
            Inline::Emph(c) => self.wrap("em", c),
            Inline::Strong(c) => self.wrap("strong", c),
            Inline::Strike(c) => self.wrap("del", c),
            Inline::Code(t) => {
                self.x.element("code", &[], t);
            }
            Inline::Link {
                url,
                title,
                content,
                ..
            } => match self.dialect.link_target(self.article, url) {
                Some(href) => {
                    match title {
                        Some(t) => self.x.open("a", &[("href", &href), ("title", t)]),
                        None => self.x.open("a", &[("href", &href)]),
                    };
                    self.inlines(content);
                    self.x.close("a");
                }
                None => self.wrap("span", content),
            },
            Inline::Image { src, alt, .. } => self.image(src, alt),
            Inline::NoteRef { number } => self.note_ref(*number),
            Inline::LineBreak => {
                self.x.empty("br", &[]);
            }
        }
    }

    fn note_ref(&mut self, n: u32) {
        let count = self.note_refs_seen.iter().filter(|&&m| m == n).count();
        self.note_refs_seen.push(n);
        let id = if count == 0 {
            self.id(&format!("fnref{n}"))
        } else {
            self.id(&format!("fnref{n}-{}", count + 1))
        };
        let href = format!("#{}", self.id(&format!("fn{n}")));
        let mut attrs = Vec::with_capacity(4);
        if self.dialect.epub_types() {
            attrs.push(("epub:type", "noteref"));
        }
        attrs.extend([
            ("role", "doc-noteref"),
            ("id", id.as_str()),
            ("href", href.as_str()),
        ]);
        self.x.open("sup", &[]);
        self.x.element("a", &attrs, &n.to_string());
        self.x.close("sup");
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        self.x.open(tag, &[]);
        self.inlines(content);
        self.x.close(tag);
    }

    fn footnotes(&mut self, notes: &[Footnote]) {
        if notes.is_empty() {
            return;
        }
        let mut attrs = vec![("class", "footnotes")];
        if self.dialect.epub_types() {
            attrs.push(("epub:type", "footnotes"));
        }
        self.x.open("section", &attrs).newline();
        self.x
            .element(
                heading_tag(self.sub_level),
                &[("class", "notes-title")],
                "Notes",
            )
            .newline();
        for note in notes {
            self.footnote(note);
        }
        self.x.close("section").newline();
    }

    fn footnote(&mut self, note: &Footnote) {
        let n = note.number;
        let id = self.id(&format!("fn{n}"));
        let mut attrs = Vec::with_capacity(3);
        if self.dialect.epub_types() {
            attrs.push(("epub:type", "footnote"));
        }
        attrs.extend([("role", "doc-footnote"), ("id", id.as_str())]);
        self.x.open("aside", &attrs);
        let back = self
            .note_refs_seen
            .contains(&n)
            .then(|| format!("#{}", self.id(&format!("fnref{n}"))));
        let marker = |x: &mut Xml| {
            match &back {
                Some(href) => x.element(
                    "a",
                    &[
                        ("href", href),
                        ("role", "doc-backlink"),
                        ("class", "note-number"),
                    ],
                    &format!("{n}."),
                ),
                None => x.element("span", &[("class", "note-number")], &format!("{n}.")),
            };
            x.text(" ");
        };
        // The number goes inside the first paragraph, as readers expect.
        match note.content.split_first() {
            Some((Block::Paragraph(first), rest)) => {
                self.x.open("p", &[]);
                marker(self.x);
                self.inlines(first);
                self.x.close("p");
                self.blocks(rest);
            }
            _ => {
                self.x.open("p", &[]);
                marker(self.x);
                self.x.close("p");
                self.blocks(&note.content);
            }
        }
        self.x.close("aside").newline();
    }
}

/// One article in a contents list: its headline linked to `href`, and
/// its source.
pub fn contents_entry(x: &mut Xml, a: &Article, href: &str) {
    x.open("li", &[]);
    x.element(
        "a",
        &[("href", href), ("dir", "auto")],
        &tie_dashes(&a.meta.title),
    );
    if let Some(src) = &a.meta.source {
        x.text(" ");
        x.element(
            "span",
            &[("class", "entry-source"), ("dir", "auto")],
            &tie_dashes(src),
        );
    }
    x.close("li").newline();
}

/// Plain text of inlines (for titles and alt text).
pub fn plain(inlines: &[Inline]) -> String {
    let mut s = String::new();
    visit_inline_text(inlines, &mut |t| s.push_str(t));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_heading_tags() {
        assert!(valid_url("https://example.org/a"));
        assert!(!valid_url("https://example.org/a b"));
        assert_eq!(heading_tag(1), "h1");
        assert_eq!(heading_tag(3), "h3");
        assert_eq!(heading_tag(9), "h6");
    }
}
