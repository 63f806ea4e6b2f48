//! The article's body as it travels down the line: a small tree of blocks
//! ([`Blk`]) and inline content ([`Inl`]), made by [`crate::convert`] from
//! the page's DOM, and written out by [`crate::markdown`]. A tree rather
//! than Markdown text so that image addresses can be pointed at the local
//! copies before the file is written.

/// A block of the converted article.
#[derive(Debug, Clone, PartialEq)]
pub enum Blk {
    Heading(u8, Vec<Inl>),
    Para(Vec<Inl>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Blk>>,
    },
    Quote(Vec<Blk>),
    Code(String),
    /// Rows of cells; the first row is the header.
    Table(Vec<Vec<Vec<Inl>>>),
    Figure {
        src: String,
        alt: String,
        caption: String,
    },
    Rule,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inl {
    Text(String),
    Emph(Vec<Inl>),
    Strong(Vec<Inl>),
    Strike(Vec<Inl>),
    Code(String),
    Link(String, Vec<Inl>),
    Image { src: String, alt: String },
    Break,
}

/// Whether inline content holds any text (images and breaks do not count).
pub fn has_text(items: &[Inl]) -> bool {
    items.iter().any(|i| match i {
        Inl::Text(t) | Inl::Code(t) => !t.trim().is_empty(),
        Inl::Emph(c) | Inl::Strong(c) | Inl::Strike(c) | Inl::Link(_, c) => has_text(c),
        Inl::Image { .. } | Inl::Break => false,
    })
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of inline content, whitespace collapsed.
pub fn plain(items: &[Inl]) -> String {
    let mut s = String::new();
    plain_into(items, &mut s, " ");
    collapse(&s)
}

/// Appends the text of inline content to `s`, line breaks as `br`.
pub fn plain_into(items: &[Inl], s: &mut String, br: &str) {
    for i in items {
        match i {
            Inl::Text(t) | Inl::Code(t) => s.push_str(t),
            Inl::Emph(c) | Inl::Strong(c) | Inl::Strike(c) | Inl::Link(_, c) => {
                plain_into(c, s, br)
            }
            Inl::Image { .. } => {}
            Inl::Break => s.push_str(br),
        }
    }
}

/// Every image address in the blocks, in reading order, once each.
pub fn images(blocks: &[Blk]) -> Vec<String> {
    fn inl(items: &[Inl], out: &mut Vec<String>) {
        for i in items {
            match i {
                Inl::Image { src, .. } if !out.contains(src) => out.push(src.clone()),
                Inl::Emph(c) | Inl::Strong(c) | Inl::Strike(c) | Inl::Link(_, c) => inl(c, out),
                _ => {}
            }
        }
    }
    fn blk(blocks: &[Blk], out: &mut Vec<String>) {
        for b in blocks {
            match b {
                Blk::Heading(_, c) | Blk::Para(c) => inl(c, out),
                Blk::List { items, .. } => items.iter().for_each(|i| blk(i, out)),
                Blk::Quote(c) => blk(c, out),
                Blk::Table(rows) => rows.iter().flatten().for_each(|c| inl(c, out)),
                Blk::Figure { src, .. } if !out.contains(src) => out.push(src.clone()),
                Blk::Figure { .. } | Blk::Code(_) | Blk::Rule => {}
            }
        }
    }
    let mut out = Vec::new();
    blk(blocks, &mut out);
    out
}

/// Points every image at `map(src)`; `None` drops the image.
pub fn map_images(blocks: &mut Vec<Blk>, map: &dyn Fn(&str) -> Option<String>) {
    fn inl(items: &mut Vec<Inl>, map: &dyn Fn(&str) -> Option<String>) {
        items.retain_mut(|i| match i {
            Inl::Image { src, .. } => match map(src) {
                Some(s) => {
                    *src = s;
                    true
                }
                None => false,
            },
            Inl::Emph(c) | Inl::Strong(c) | Inl::Strike(c) | Inl::Link(_, c) => {
                inl(c, map);
                true
            }
            _ => true,
        });
    }
    blocks.retain_mut(|b| match b {
        Blk::Heading(_, c) | Blk::Para(c) => {
            inl(c, map);
            true
        }
        Blk::List { items, .. } => {
            items.iter_mut().for_each(|i| map_images(i, map));
            true
        }
        Blk::Quote(c) => {
            map_images(c, map);
            true
        }
        Blk::Table(rows) => {
            rows.iter_mut().flatten().for_each(|c| inl(c, map));
            true
        }
        Blk::Figure { src, caption, .. } => match map(src) {
            Some(s) => {
                *src = s;
                true
            }
            // Keep the caption's words when the picture is gone.
            None if !caption.is_empty() => {
                *b = Blk::Para(vec![Inl::Emph(vec![Inl::Text(caption.clone())])]);
                true
            }
            None => false,
        },
        Blk::Code(_) | Blk::Rule => true,
    });
}
