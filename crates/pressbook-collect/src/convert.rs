//! The article's DOM (dom_query, the extractor's own parser) turned into
//! blocks ([`Blk`]). Nothing of the HTML survives as raw markup: elements
//! without a block or inline form give their text.

use dom_query::NodeRef;
use url::Url;

use crate::blocks::{collapse, has_text, plain, Blk, Inl};

/// Elements whose content is never article text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "video", "audio",
    "canvas", "svg", "math", "form", "button", "input", "select", "textarea", "label", "head",
    "title", "meta", "link", "nav", "source", "track", "map", "dialog",
];

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "figure",
    "figcaption",
    "hr",
    "dl",
    "dt",
    "dd",
    "address",
    "details",
    "summary",
    "center",
    "fieldset",
    "hgroup",
    "body",
    "html",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "menu",
];

/// Deepest nesting walked; deeper content is flattened into text so that
/// hostile pages cannot exhaust the stack.
const MAX_DEPTH: usize = 40;

/// Deepest nesting of elements a page keeps before the extractor sees it:
/// an element this deep keeps its text and loses its child elements
/// ([`cut_deep`]). Work over a tree grows with its depth (the extractor
/// walks ancestors for every node), so thousands of nested `<div>`s took
/// quadratic time; real articles stay far below this.
pub const MAX_NESTING: usize = 64;

/// The text a reader sees in `node`: its text nodes, leaving out those
/// inside elements that are never article text (script, style… in
/// [`SKIP`]) at any depth, `node` itself included. Walks without recursion.
pub fn reader_text(node: &NodeRef) -> String {
    let mut out = String::new();
    let mut stack = vec![*node];
    while let Some(n) = stack.pop() {
        if n.is_text() {
            out.push_str(&n.text());
            continue;
        }
        if n.is_element() && SKIP.contains(&name_of(&n).as_str()) {
            continue;
        }
        // Children pushed last-first, so they come off in order.
        let mut children: Vec<NodeRef> = n.children_it(false).collect();
        children.reverse();
        stack.extend(children);
    }
    out
}

/// Cuts the tree under `root` at [`MAX_NESTING`] levels: each element that
/// deep is replaced by its [`reader_text`]. One pass over the tree, and
/// each cut subtree is read once, so the cost stays linear in the page.
pub fn cut_deep(root: &NodeRef) {
    let mut cut = Vec::new();
    let mut stack = vec![(*root, 0usize)];
    while let Some((n, depth)) = stack.pop() {
        for child in n.children_it(false) {
            if !child.is_element() {
                continue;
            }
            if depth + 1 >= MAX_NESTING {
                cut.push(child);
            } else {
                stack.push((child, depth + 1));
            }
        }
    }
    for n in cut {
        let text = reader_text(&n);
        n.set_text(text);
    }
}

struct Walker<'u> {
    base: Option<&'u Url>,
    depth: usize,
}

/// Converts the children of `root` into blocks. Relative links and images
/// resolve against `base`.
pub fn convert(root: &NodeRef, base: Option<&Url>) -> Vec<Blk> {
    let mut w = Walker { base, depth: 0 };
    let mut out = Vec::new();
    w.blocks(root, &mut out);
    normalize_headings(&mut out);
    out
}

fn name_of(node: &NodeRef) -> String {
    node.node_name()
        .map(|n| n.to_ascii_lowercase())
        .unwrap_or_default()
}

fn has_block_descendant(node: &NodeRef) -> bool {
    node.descendants_it()
        .any(|d| d.is_element() && BLOCKS.contains(&name_of(&d).as_str()))
}

impl Walker<'_> {
    /// A link's address, or `None` when it may not stay a link.
    fn resolve(&self, href: &str) -> Option<String> {
        allowed(href, self.base, LINK_SCHEMES)
    }

    fn image_src(&self, img: &NodeRef) -> Option<String> {
        let candidates = [
            img.attr("src"),
            img.attr("data-src"),
            img.attr("srcset")
                .or_else(|| img.attr("data-srcset"))
                .and_then(|s| largest_in_srcset(&s).map(Into::into)),
        ];
        candidates
            .into_iter()
            .flatten()
            .find_map(|s| allowed(&s, self.base, &["http", "https"]))
    }

    /// Walks a container: runs of inline content become paragraphs, block
    /// children their own blocks.
    fn blocks(&mut self, node: &NodeRef, out: &mut Vec<Blk>) {
        self.depth += 1;
        let mut run: Vec<Inl> = Vec::new();
        for child in node.children_it(false) {
            if child.is_text() {
                run.push(Inl::Text(child.text().to_string()));
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let name = name_of(&child);
            if SKIP.contains(&name.as_str()) {
                continue;
            }
            let block = BLOCKS.contains(&name.as_str())
                || (self.depth < MAX_DEPTH && name != "a" && has_block_descendant(&child));
            if block && self.depth < MAX_DEPTH {
                flush(&mut run, out);
                self.block(&child, &name, out);
            } else {
                self.inline(&child, &name, &mut run);
            }
        }
        flush(&mut run, out);
        self.depth -= 1;
    }

    fn block(&mut self, node: &NodeRef, name: &str, out: &mut Vec<Blk>) {
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                let content = self.inlines(node);
                if has_text(&content) {
                    out.push(Blk::Heading(level, content));
                }
            }
            "ul" | "ol" | "menu" => {
                let start = if name == "ol" {
                    Some(
                        node.attr("start")
                            .and_then(|s| s.trim().parse().ok())
                            .unwrap_or(1),
                    )
                } else {
                    None
                };
                let mut items = Vec::new();
                for li in node.element_children() {
                    let mut item = Vec::new();
                    self.blocks(&li, &mut item);
                    if !item.is_empty() {
                        items.push(item);
                    }
                }
                if !items.is_empty() {
                    out.push(Blk::List { start, items });
                }
            }
            "blockquote" => {
                let mut inner = Vec::new();
                self.blocks(node, &mut inner);
                if !inner.is_empty() {
                    out.push(Blk::Quote(inner));
                }
            }
            "pre" => {
                let text = reader_text(node);
                let text = text.trim_matches('\n');
                if !text.trim().is_empty() {
                    out.push(Blk::Code(text.to_string()));
                }
            }
            "hr" => out.push(Blk::Rule),
            "table" => self.table(node, out),
            "figure" => self.figure(node, out),
            "figcaption" | "caption" => {
                let content = self.inlines(node);
                if has_text(&content) {
                    out.push(Blk::Para(vec![Inl::Emph(content)]));
                }
            }
            "dt" => {
                let content = self.inlines(node);
                if has_text(&content) {
                    out.push(Blk::Para(vec![Inl::Strong(content)]));
                }
            }
            _ => self.blocks(node, out),
        }
    }

    fn figure(&mut self, node: &NodeRef, out: &mut Vec<Blk>) {
        let img = node
            .descendants_it()
            .find(|d| d.is_element() && name_of(d) == "img");
        let has_other_blocks = node.descendants_it().any(|d| {
            d.is_element()
                && matches!(name_of(&d).as_str(), "table" | "blockquote" | "pre" | "p")
                && !d.ancestors_it(None).any(|a| name_of(&a) == "figcaption")
        });
        match img.and_then(|i| self.image_src(&i).map(|s| (i, s))) {
            Some((img, src)) if !has_other_blocks => {
                let caption = node
                    .descendants_it()
                    .find(|d| d.is_element() && name_of(d) == "figcaption")
                    .map(|c| plain(&self.inlines(&c)))
                    .unwrap_or_default();
                let alt = img.attr("alt").map(|a| collapse(&a)).unwrap_or_default();
                out.push(Blk::Figure {
                    src,
                    alt: if alt.is_empty() { caption.clone() } else { alt },
                    caption,
                });
            }
            _ => self.blocks(node, out),
        }
    }

    fn table(&mut self, node: &NodeRef, out: &mut Vec<Blk>) {
        let rows: Vec<NodeRef> = node
            .descendants_it()
            .filter(|d| {
                d.is_element()
                    && name_of(d) == "tr"
                    // Rows of this table, not of a table nested in a cell.
                    && d.ancestors_it(None)
                        .find(|a| name_of(a) == "table")
                        .is_some_and(|t| t.id == node.id)
            })
            .collect();
        let cells: Vec<Vec<NodeRef>> = rows
            .iter()
            .map(|r| {
                r.element_children()
                    .into_iter()
                    .filter(|c| matches!(name_of(c).as_str(), "td" | "th"))
                    .collect()
            })
            .collect();
        let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
        let nested = node
            .descendants_it()
            .any(|d| d.is_element() && d.id != node.id && name_of(&d) == "table");
        let blocky = node.descendants_it().any(|d| {
            d.is_element()
                && matches!(
                    name_of(&d).as_str(),
                    "p" | "ul" | "ol" | "h1" | "h2" | "h3" | "blockquote" | "div"
                )
        });
        // A table used for layout (one column, or holding tables and
        // paragraphs) is read as the blocks it holds.
        if columns <= 1 || nested || (blocky && columns > 0 && rows.len() <= 2) {
            for row in &cells {
                for cell in row {
                    self.blocks(cell, out);
                }
            }
            return;
        }
        let mut table = Vec::new();
        if let Some(c) = node
            .element_children()
            .into_iter()
            .find(|c| name_of(c) == "caption")
        {
            let content = self.inlines(&c);
            if has_text(&content) {
                out.push(Blk::Para(vec![Inl::Emph(content)]));
            }
        }
        for row in &cells {
            let mut r: Vec<Vec<Inl>> = Vec::new();
            for cell in row {
                let span = cell
                    .attr("colspan")
                    .and_then(|s| s.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, columns);
                r.push(self.inlines(cell));
                for _ in 1..span {
                    r.push(Vec::new());
                }
            }
            r.truncate(columns);
            while r.len() < columns {
                r.push(Vec::new());
            }
            table.push(r);
        }
        if !table.is_empty() {
            out.push(Blk::Table(table));
        }
    }

    /// The inline content of `node`, block boundaries inside it read as
    /// spaces.
    fn inlines(&mut self, node: &NodeRef) -> Vec<Inl> {
        let mut run = Vec::new();
        self.inline_children(node, &mut run);
        run
    }

    fn inline_children(&mut self, node: &NodeRef, run: &mut Vec<Inl>) {
        self.depth += 1;
        for child in node.children_it(false) {
            if child.is_text() {
                run.push(Inl::Text(child.text().to_string()));
            } else if child.is_element() {
                let name = name_of(&child);
                if !SKIP.contains(&name.as_str()) {
                    self.inline(&child, &name, run);
                }
            }
        }
        self.depth -= 1;
    }

    fn inline(&mut self, node: &NodeRef, name: &str, run: &mut Vec<Inl>) {
        if self.depth >= MAX_DEPTH {
            run.push(Inl::Text(reader_text(node)));
            return;
        }
        match name {
            "em" | "i" | "cite" | "dfn" | "var" => {
                let c = self.inlines(node);
                run.push(Inl::Emph(c));
            }
            "strong" | "b" => {
                let c = self.inlines(node);
                run.push(Inl::Strong(c));
            }
            "del" | "s" | "strike" => {
                let c = self.inlines(node);
                run.push(Inl::Strike(c));
            }
            "code" | "kbd" | "samp" | "tt" => run.push(Inl::Code(collapse(&reader_text(node)))),
            "br" => run.push(Inl::Break),
            "img" => {
                if let Some(src) = self.image_src(node) {
                    let alt = node.attr("alt").map(|a| collapse(&a)).unwrap_or_default();
                    run.push(Inl::Image { src, alt });
                }
            }
            "a" => {
                let c = self.inlines(node);
                match node.attr("href").and_then(|h| self.resolve(&h)) {
                    Some(url) if has_text(&c) => run.push(Inl::Link(url, c)),
                    _ => run.extend(c),
                }
            }
            _ if BLOCKS.contains(&name) => {
                run.push(Inl::Text(" ".into()));
                self.inline_children(node, run);
                run.push(Inl::Text(" ".into()));
            }
            _ => self.inline_children(node, run),
        }
    }
}

/// Schemes a link of an article may have; every other (`javascript:`,
/// `vbscript:`, `data:`, `file:`…) leaves only the link's text.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// `href` as an address whose scheme is one of `schemes`, decided after
/// parsing it as a browser would (resolved against `base`, with the tabs,
/// line feeds and leading control characters a browser drops removed), so
/// that `java&#x0A;script:` or `&#x01;javascript:` cannot pass as
/// something else. Without a base, only a fragment (`#part`) stays
/// relative.
pub fn allowed(href: &str, base: Option<&Url>, schemes: &[&str]) -> Option<String> {
    if href.trim().is_empty() {
        return None;
    }
    let parsed = match base {
        Some(b) => b.join(href),
        None => Url::parse(href),
    };
    match parsed {
        Ok(u) => schemes.contains(&u.scheme()).then(|| u.to_string()),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let h: String = href
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            (h.starts_with('#') && !h[1..].contains(':')).then_some(h)
        }
        Err(_) => None,
    }
}

fn largest_in_srcset(srcset: &str) -> Option<String> {
    srcset
        .split(',')
        .filter_map(|c| {
            let mut parts = c.split_whitespace();
            let url = parts.next()?;
            let w = parts
                .next()
                .and_then(|d| d.trim_end_matches(['w', 'x']).parse::<f64>().ok())
                .unwrap_or(1.0);
            Some((url.to_string(), w))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(u, _)| u)
}

/// A finished inline run becomes a paragraph, or a figure when it is one
/// image alone.
fn flush(run: &mut Vec<Inl>, out: &mut Vec<Blk>) {
    let items = std::mem::take(run);
    if !has_text(&items) && !items.iter().any(|i| matches!(i, Inl::Image { .. })) {
        return;
    }
    let meaningful: Vec<&Inl> = items
        .iter()
        .filter(|i| !matches!(i, Inl::Text(t) if t.trim().is_empty()) && !matches!(i, Inl::Break))
        .collect();
    if let [Inl::Image { src, alt }] = meaningful.as_slice() {
        out.push(Blk::Figure {
            src: src.clone(),
            alt: alt.clone(),
            caption: String::new(),
        });
        return;
    }
    out.push(Blk::Para(items));
}

/// Body headings start at level 2: the article's title is the level 1.
fn normalize_headings(blocks: &mut [Blk]) {
    fn min_level(blocks: &[Blk], m: &mut u8) {
        for b in blocks {
            match b {
                Blk::Heading(l, _) => *m = (*m).min(*l),
                Blk::Quote(c) => min_level(c, m),
                Blk::List { items, .. } => items.iter().for_each(|i| min_level(i, m)),
                _ => {}
            }
        }
    }
    fn shift(blocks: &mut [Blk], by: u8) {
        for b in blocks {
            match b {
                Blk::Heading(l, _) => *l = (*l + by).min(6),
                Blk::Quote(c) => shift(c, by),
                Blk::List { items, .. } => items.iter_mut().for_each(|i| shift(i, by)),
                _ => {}
            }
        }
    }
    let mut m = 6;
    min_level(blocks, &mut m);
    if m < 2 {
        shift(blocks, 2 - m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::{images, map_images};
    use crate::markdown::{to_markdown, to_text};

    fn md(html: &str) -> String {
        let doc = dom_query::Document::from(html);
        let base = Url::parse("https://news.example/a/b.html").unwrap();
        let body = doc.body().unwrap();
        to_markdown(&convert(&body, Some(&base)))
    }

    #[test]
    fn paragraphs_emphasis_links() {
        let out = md("<p>One <em>two </em><strong>three</strong> <a href='/x'>four</a>.</p><p>Five<br>six</p>");
        assert_eq!(
            out,
            "One *two* **three** [four](https://news.example/x).\n\nFive\\\nsix\n"
        );
    }

    #[test]
    fn headings_start_at_two_and_lists_nest() {
        let out = md("<h1>Top</h1><ul><li>a<ul><li>b</li></ul></li><li>c</li></ul><ol start=3><li>x</li></ol>");
        assert_eq!(out, "## Top\n\n- a\n\n  - b\n\n- c\n\n3. x\n");
    }

    #[test]
    fn no_raw_html_survives() {
        let out = md("<p>a &lt;b&gt; tag &amp; *stars* <span>x</span><iframe src=x></iframe><script>bad()</script></p><div><video src=v></video></div>");
        assert_eq!(out, "a \\<b\\> tag \\& \\*stars\\* x\n");
    }

    #[test]
    fn tables_quotes_code_figures() {
        let out = md("<table><tr><th>Port</th><th>Ships</th></tr><tr><td>North|1</td><td>4</td></tr></table>\
            <blockquote><p>Said</p><p>it</p></blockquote><pre>let x = 1;\n</pre>\
            <figure><img src='c.jpg' alt='Crane'><figcaption>A \"crane\" at dusk</figcaption></figure><hr>");
        assert_eq!(
            out,
            "| Port | Ships |\n| --- | --- |\n| North\\|1 | 4 |\n\n> Said\n>\n> it\n\n```\nlet x = 1;\n```\n\n![Crane](https://news.example/a/c.jpg \"A \\\"crane\\\" at dusk\")\n\n---\n"
        );
    }

    #[test]
    fn line_starts_are_escaped() {
        let out = md("<p>1986. A year</p><p># not a heading</p><p>- not a list</p>");
        assert_eq!(
            out,
            "1986\\. A year\n\n\\# not a heading\n\n\\- not a list\n"
        );
    }

    #[test]
    fn text_has_blank_lines_between_paragraphs() {
        let doc =
            dom_query::Document::from("<h2>Head</h2><p>One <b>two</b></p><ul><li>three</li></ul>");
        let blocks = convert(&doc.body().unwrap(), None);
        assert_eq!(to_text(&blocks), "Head\n\nOne two\n\nthree");
    }

    #[test]
    fn images_can_be_remapped_or_dropped() {
        let doc = dom_query::Document::from("<p><img src='/a.png'></p><figure><img src='/b.png'><figcaption>Cap</figcaption></figure>");
        let base = Url::parse("https://n.example/").unwrap();
        let mut blocks = convert(&doc.body().unwrap(), Some(&base));
        assert_eq!(
            images(&blocks),
            ["https://n.example/a.png", "https://n.example/b.png"]
        );
        map_images(&mut blocks, &|s| {
            s.ends_with("a.png").then(|| "images/a.png".to_string())
        });
        assert_eq!(to_markdown(&blocks), "![](images/a.png)\n\n*Cap*\n");
    }

    #[test]
    fn link_schemes_are_decided_after_parsing() {
        let base = Url::parse("https://news.example/a/b.html").unwrap();
        for bad in [
            "javascript:alert(1)",
            "java\nscript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            " \u{0}JaVaScRiPt:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>x</script>",
            "file:///etc/passwd",
            "jar:https://x.example/!/",
        ] {
            assert_eq!(allowed(bad, Some(&base), LINK_SCHEMES), None, "{bad:?}");
            assert_eq!(allowed(bad, None, LINK_SCHEMES), None, "{bad:?}");
        }
        assert_eq!(
            allowed("/c?d#e", Some(&base), LINK_SCHEMES).as_deref(),
            Some("https://news.example/c?d#e")
        );
        assert_eq!(
            allowed("#notes", None, LINK_SCHEMES).as_deref(),
            Some("#notes")
        );
        assert_eq!(
            allowed("mailto:desk@news.example", None, LINK_SCHEMES).as_deref(),
            Some("mailto:desk@news.example")
        );
        assert_eq!(
            allowed("mailto:desk@news.example", None, &["http", "https"]),
            None
        );
        let md = md("<p><a href='java&#x0A;script:alert(1)'>one</a> <a href='&#x01;javascript:x'>two</a> <a href='vbscript:x'>three</a> <a href='https://ok.example/'>four</a></p>");
        assert!(!md.to_ascii_lowercase().contains("script:"), "{md}");
        assert!(md.contains("[four](https://ok.example/)"), "{md}");
    }

    #[test]
    fn script_and_style_never_become_text() {
        let md = md(
            "<pre><script>alert('pre')</script>kept</pre><p><code><style>.x{}</style>c()</code> \
            <kbd><script>k()</script>K</kbd></p>",
        );
        assert!(
            !md.contains("alert") && !md.contains(".x{}") && !md.contains("k()"),
            "{md}"
        );
        assert!(md.contains("kept") && md.contains("c()"), "{md}");
        // Deeper than the walk goes, and deeper than the cut.
        for depth in [45, 70, 300] {
            let html = format!(
                "{}<p>deep words</p><script>secret()</script><style>p{{}}</style>{}",
                "<div><span>".repeat(depth),
                "</span></div>".repeat(depth)
            );
            let doc = dom_query::Document::from(html.as_str());
            cut_deep(&doc.root());
            let body = doc.body().unwrap();
            let out = to_markdown(&convert(&body, None));
            assert!(out.contains("deep words"), "{depth}: {out}");
            assert!(
                !out.contains("secret") && !out.contains("p{}"),
                "{depth}: {out}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_cut_at_the_documented_level() {
        let n = 20_000;
        let html = format!("{}<b>bottom</b>{}", "<div>".repeat(n), "</div>".repeat(n));
        let doc = dom_query::Document::from(html.as_str());
        cut_deep(&doc.root());
        let deepest = doc
            .root()
            .descendants_it()
            .filter(|d| d.is_element())
            .map(|d| d.ancestors_it(None).count())
            .max()
            .unwrap();
        assert!(deepest <= MAX_NESTING, "{deepest}");
        assert!(reader_text(&doc.root()).contains("bottom"));
    }
}
