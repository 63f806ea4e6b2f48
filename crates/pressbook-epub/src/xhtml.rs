//! The model as XHTML pages for the EPUB.

use pressbook_model::model::{
    has_scheme, visit_inline_text, Align, Article, Block, Digest, Footnote, ImageSrc, Inline,
    Section, Target,
};
use pressbook_model::typography::tie_dashes;
use pressbook_model::xml::Xml;

pub const STYLESHEET: &str = include_str!("style.css");

/// File names of the pages, shared by the pages and the package.
pub fn article_file(a: &Article) -> String {
    format!("{}.xhtml", a.id)
}

pub fn section_file(s: &Section) -> String {
    format!("{}.xhtml", s.id)
}

pub const COVER_FILE: &str = "cover.xhtml";
pub const TITLE_FILE: &str = "title.xhtml";
pub const CONTENTS_FILE: &str = "contents.xhtml";
pub const COVER_IMAGE: &str = "images/cover.png";

/// Writes XHTML pages for one digest.
pub struct Pages<'a> {
    digest: &'a Digest,
}

impl<'a> Pages<'a> {
    pub fn new(digest: &'a Digest) -> Self {
        Pages { digest }
    }

    fn start(&self, x: &mut Xml, title: &str, lang: &str, body_class: &str) {
        x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
        x.open(
            "html",
            &[
                ("xmlns", "http://www.w3.org/1999/xhtml"),
                ("xmlns:epub", "http://www.idpf.org/2007/ops"),
                ("lang", lang),
                ("xml:lang", lang),
            ],
        )
        .newline();
        x.open("head", &[]).newline();
        x.empty("meta", &[("charset", "UTF-8")]).newline();
        x.element("title", &[], title).newline();
        x.empty(
            "link",
            &[
                ("rel", "stylesheet"),
                ("type", "text/css"),
                ("href", "stylesheet.css"),
            ],
        )
        .newline();
        x.close("head").newline();
        x.open("body", &[("class", body_class)]).newline();
    }

    fn end(x: &mut Xml) -> String {
        x.newline().close("body").newline().close("html").newline();
        std::mem::take(x).finish()
    }

    pub fn cover(&self) -> String {
        let m = &self.digest.meta;
        let mut x = Xml::new();
        self.start(&mut x, &m.title, &m.language, "cover");
        x.open("section", &[("epub:type", "cover"), ("class", "cover")]);
        let alt = cover_alt(self.digest);
        x.empty("img", &[("src", COVER_IMAGE), ("alt", &alt)]);
        x.close("section");
        Self::end(&mut x)
    }

    pub fn title_page(&self) -> String {
        let m = &self.digest.meta;
        let mut x = Xml::new();
        self.start(&mut x, &m.title, &m.language, "titlepage");
        x.open(
            "section",
            &[("epub:type", "titlepage"), ("class", "titlepage")],
        )
        .newline();
        if let Some(logo) = self.digest.house.logo {
            let src = format!("images/{}", self.digest.asset(logo).name);
            let owner = m.publisher.as_deref().unwrap_or(&m.title);
            let alt = format!("{owner} logo");
            x.empty("img", &[("class", "logo"), ("src", &src), ("alt", &alt)])
                .newline();
        }
        x.element("h1", &[("class", "title")], &tie_dashes(&m.title))
            .newline();
        if let Some(s) = &m.subtitle {
            x.element("p", &[("class", "subtitle")], &tie_dashes(s))
                .newline();
        }
        x.element("p", &[("class", "issue")], &m.issue_line())
            .newline();
        if let Some(e) = m.editor_line() {
            x.element("p", &[("class", "editor")], &e).newline();
        }
        if let Some(p) = &m.publisher {
            x.element("p", &[("class", "publisher")], p).newline();
        }
        if let Some(d) = &m.description {
            x.element("p", &[("class", "description")], &tie_dashes(d))
                .newline();
        }
        if let Some(r) = &m.rights {
            x.element("p", &[("class", "rights")], r).newline();
        }
        x.close("section");
        Self::end(&mut x)
    }

    pub fn contents(&self) -> String {
        let m = &self.digest.meta;
        let mut x = Xml::new();
        self.start(&mut x, "Contents", &m.language, "contents");
        x.open(
            "section",
            &[
                ("epub:type", "toc"),
                ("role", "doc-toc"),
                ("aria-labelledby", "contents-title"),
                ("class", "contents"),
            ],
        )
        .newline();
        x.element("h1", &[("id", "contents-title")], "Contents")
            .newline();
        for s in &self.digest.sections {
            if let Some(t) = &s.title {
                x.open("h2", &[]);
                x.element("a", &[("href", &section_file(s))], &tie_dashes(t));
                x.close("h2").newline();
            }
            x.open("ol", &[("class", "entries")]).newline();
            for a in &s.articles {
                x.open("li", &[]);
                x.element(
                    "a",
                    &[("href", &article_file(a)), ("dir", "auto")],
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
            x.close("ol").newline();
        }
        x.close("section");
        Self::end(&mut x)
    }

    pub fn section(&self, s: &Section) -> String {
        let m = &self.digest.meta;
        let title = s.title.as_deref().unwrap_or("Articles");
        let mut x = Xml::new();
        self.start(&mut x, title, &m.language, "section-opener");
        x.open(
            "section",
            &[
                ("class", "section-opener"),
                ("epub:type", "part"),
                ("role", "doc-part"),
                ("aria-labelledby", "part-title"),
            ],
        )
        .newline();
        x.element("h1", &[("id", "part-title")], &tie_dashes(title))
            .newline();
        x.open("ul", &[]).newline();
        for a in &s.articles {
            x.open("li", &[]);
            x.element(
                "a",
                &[("href", &article_file(a)), ("dir", "auto")],
                &tie_dashes(&a.meta.title),
            );
            x.close("li").newline();
        }
        x.close("ul").newline().close("section");
        Self::end(&mut x)
    }

    pub fn article(&self, section: &Section, a: &Article) -> String {
        let mut x = Xml::new();
        self.start(&mut x, &a.meta.title, &a.meta.language, "article");
        // Right-to-left articles say so, and so does every paragraph whose
        // direction differs from its article's (readers then align and
        // order it right).
        let rtl = pressbook_model::direction::is_rtl_language(&a.meta.language);
        let mut attrs = vec![("id", a.id.as_str()), ("class", "article")];
        if rtl {
            attrs.push(("dir", "rtl"));
        }
        x.open("article", &attrs).newline();
        x.open("header", &[("class", "article-head")]).newline();
        if let Some(t) = &section.title {
            x.element("p", &[("class", "kicker")], &tie_dashes(t))
                .newline();
        }
        x.element("h1", &[("class", "headline")], &tie_dashes(&a.meta.title))
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

        let mut w = BodyWriter {
            pages: self,
            article: a,
            rtl,
            x: &mut x,
            note_refs_seen: Vec::new(),
            top_heading: pressbook_model::model::top_heading_level(&a.body).unwrap_or(2),
        };
        w.blocks(&a.body);
        w.footnotes(&a.footnotes);
        attribution(&mut x, a);
        x.close("article");
        Self::end(&mut x)
    }

    /// Where a link goes in the book: a web address as it is (when
    /// EPUBCheck would accept it), a link to another article as its page,
    /// or `None` (shown as text) for a file outside the digest.
    fn link_target(&self, article: &Article, url: &str) -> Option<String> {
        match self.digest.resolve(article, url) {
            Target::Url(u) => valid_url(&u).then_some(u),
            Target::Article {
                id,
                fragment: Some(f),
            } if id == article.id => Some(format!("#{f}")),
            Target::Article { id, fragment } => {
                let page = format!("{id}.xhtml");
                Some(match fragment {
                    Some(f) => format!("{page}#{f}"),
                    None => page,
                })
            }
            Target::Outside => None,
        }
    }
}

/// EPUBCheck rejects hrefs that are not valid URLs (spaces, control characters).
fn valid_url(url: &str) -> bool {
    !url.chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"')
}

/// The cover's alternative text: everything that is drawn on it.
pub fn cover_alt(d: &Digest) -> String {
    let m = &d.meta;
    let mut parts = vec![m.title.clone()];
    parts.extend(m.subtitle.clone());
    parts.push(m.date.format("%-d %B %Y").to_string());
    parts.extend(m.publisher.clone());
    format!("Cover: {}", parts.join(", "))
}

/// The block at the end of every article saying where it came from.
fn attribution(x: &mut Xml, a: &Article) {
    let at = a.meta.attribution();
    x.open("footer", &[("class", "attribution")]).newline();
    x.element(
        "h2",
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

struct BodyWriter<'p, 'a, 'x> {
    pages: &'p Pages<'a>,
    article: &'p Article,
    x: &'x mut Xml,
    /// Footnotes referenced so far, to give each reference a unique id.
    note_refs_seen: Vec<u32>,
    /// The article's highest heading level, written as <h2> under the headline.
    top_heading: u8,
    /// The article is written right to left.
    rtl: bool,
}

impl BodyWriter<'_, '_, '_> {
    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading { level, id, content } => {
                let rank = level.saturating_sub(self.top_heading) as usize;
                let tag = ["h2", "h3", "h4", "h5", "h6"][rank.min(4)];
                self.x.open(tag, &[("id", id)]);
                self.inlines(content);
                self.x.close(tag).newline();
            }
            Block::Paragraph(content) => {
                let mut text = String::new();
                pressbook_model::model::visit_inline_text(content, &mut |t| text.push_str(t));
                let dir = match (self.rtl, pressbook_model::direction::mostly_rtl(&text)) {
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

    fn table(&mut self, t: &pressbook_model::model::Table) {
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
                let name = format!("images/{}", self.pages.digest.asset(*id).name);
                self.x.empty("img", &[("src", &name), ("alt", alt)]);
            }
            // Remote images are not allowed in an EPUB: link to them.
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
            } => match self.pages.link_target(self.article, url) {
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
            Inline::NoteRef { number } => {
                let n = *number;
                let count = self.note_refs_seen.iter().filter(|&&m| m == n).count();
                self.note_refs_seen.push(n);
                let id = if count == 0 {
                    format!("fnref{n}")
                } else {
                    format!("fnref{n}-{}", count + 1)
                };
                self.x.open("sup", &[]);
                self.x.element(
                    "a",
                    &[
                        ("epub:type", "noteref"),
                        ("role", "doc-noteref"),
                        ("id", &id),
                        ("href", &format!("#fn{n}")),
                    ],
                    &n.to_string(),
                );
                self.x.close("sup");
            }
            Inline::LineBreak => {
                self.x.empty("br", &[]);
            }
        }
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
        self.x
            .open(
                "section",
                &[("class", "footnotes"), ("epub:type", "footnotes")],
            )
            .newline();
        self.x
            .element("h2", &[("class", "notes-title")], "Notes")
            .newline();
        for note in notes {
            let n = note.number;
            self.x.open(
                "aside",
                &[
                    ("epub:type", "footnote"),
                    ("role", "doc-footnote"),
                    ("id", &format!("fn{n}")),
                ],
            );
            let referenced = self.note_refs_seen.contains(&n);
            let marker = |x: &mut Xml| {
                if referenced {
                    x.element(
                        "a",
                        &[
                            ("href", &format!("#fnref{n}")),
                            ("role", "doc-backlink"),
                            ("class", "note-number"),
                        ],
                        &format!("{n}."),
                    );
                } else {
                    x.element("span", &[("class", "note-number")], &format!("{n}."));
                }
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
        self.x.close("section").newline();
    }
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
    fn schemes() {
        assert!(has_scheme("https://example.org"));
        assert!(has_scheme("mailto:a@b.c"));
        assert!(!has_scheme("images/a.png"));
        assert!(!has_scheme("c:/x"[2..].as_ref()));
        assert!(!valid_url("https://example.org/a b"));
    }
}
