//! The logical structure of the laid-out document: what a screen reader
//! walks (a tagged PDF's structure tree). Blocks add a [`Node`] for every
//! heading, paragraph, list, table, figure and link they set, and every
//! text run or image they place names its node ([`super::Placed::node`]);
//! the PDF writer turns the placed items into marked content and the nodes
//! into structure elements, in the order their content appears.
//!
//! A node exists before anything of it is placed, so text split across
//! pages or columns stays one element, and a node whose content is never
//! placed (an empty cell) is left out.

/// Index of a node in its [`Tree`].
pub type NodeId = u32;

/// The node of placed items that no reader should hear (running heads,
/// folios, rules, shading, a repeated table header): PDF artifacts.
pub const UNTAGGED: NodeId = u32::MAX;

/// The kind of a structure element: the standard PDF structure types
/// pressbook uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document,
    /// An article.
    Art,
    /// The cover, the Sources page.
    Sect,
    /// A numbered heading, 1 to 6, levels never skipped.
    H(u8),
    P,
    BlockQuote,
    /// A list, numbered or not.
    L {
        numbered: bool,
    },
    LI,
    Lbl,
    LBody,
    Table,
    THead,
    TBody,
    TR,
    /// A header cell, for its column.
    TH,
    TD,
    Figure,
    Caption,
    Link,
    Note,
    Code,
    Toc,
    Toci,
}

impl Kind {
    /// The structure type's name (and the marked-content tag).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Document => "Document",
            Kind::Art => "Art",
            Kind::Sect => "Sect",
            Kind::H(1) => "H1",
            Kind::H(2) => "H2",
            Kind::H(3) => "H3",
            Kind::H(4) => "H4",
            Kind::H(5) => "H5",
            Kind::H(_) => "H6",
            Kind::P => "P",
            Kind::BlockQuote => "BlockQuote",
            Kind::L { .. } => "L",
            Kind::LI => "LI",
            Kind::Lbl => "Lbl",
            Kind::LBody => "LBody",
            Kind::Table => "Table",
            Kind::THead => "THead",
            Kind::TBody => "TBody",
            Kind::TR => "TR",
            Kind::TH => "TH",
            Kind::TD => "TD",
            Kind::Figure => "Figure",
            Kind::Caption => "Caption",
            Kind::Link => "Link",
            Kind::Note => "Note",
            Kind::Code => "Code",
            Kind::Toc => "TOC",
            Kind::Toci => "TOCI",
        }
    }
}

/// One structure element.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub parent: NodeId,
    /// Alternative text (a figure's description).
    pub alt: Option<String>,
    /// Its language, where it differs from the document's (BCP 47).
    pub lang: Option<String>,
    /// A note's identifier (PDF/UA wants one on every `Note`).
    pub id: Option<String>,
    /// Its text in reading order, where the content (drawn left to right)
    /// does not give it: text with right-to-left script.
    pub actual: Option<String>,
}

/// The nodes of a document; node 0 is its root (the `Document`).
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}

impl Tree {
    pub const ROOT: NodeId = 0;

    pub fn new() -> Self {
        Tree {
            nodes: vec![Node {
                kind: Kind::Document,
                parent: UNTAGGED,
                alt: None,
                lang: None,
                id: None,
                actual: None,
            }],
        }
    }

    /// Adds a node of `kind` under `parent`.
    pub fn add(&mut self, kind: Kind, parent: NodeId) -> NodeId {
        self.nodes.push(Node {
            kind,
            parent,
            alt: None,
            lang: None,
            id: None,
            actual: None,
        });
        (self.nodes.len() - 1) as NodeId
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// Moves the nodes of `part` (built on its own, its root standing for
    /// `under`) into this tree; returns how to renumber its ids.
    pub fn graft(&mut self, part: Tree, under: NodeId) -> Renumber {
        let map = Renumber {
            offset: self.nodes.len() as NodeId - 1,
            under,
        };
        self.nodes
            .extend(part.nodes.into_iter().skip(1).map(|n| Node {
                parent: map.id(n.parent),
                ..n
            }));
        map
    }

    /// The tags of `text`, with its `links`, set as `node`: the text noted
    /// ([`Self::set_text`]) and its links added.
    pub fn text(&mut self, node: NodeId, text: &str, links: u16) -> Tags {
        self.set_text(node, text);
        self.with_links(node, links)
    }

    /// The tags of text set as `node`: a `Link` inside it for each of the
    /// text's `links` (none when the text is untagged).
    pub fn with_links(&mut self, node: NodeId, links: u16) -> Tags {
        let mut tags = Tags::of(node);
        if links > 0 && node != UNTAGGED {
            tags.first_link = self.len() as NodeId;
            for _ in 0..links {
                self.add(Kind::Link, node);
            }
        }
        tags
    }

    /// Notes that `node` holds `text`: when the text has right-to-left
    /// script, its glyphs are drawn (and stored) in visual order, so the
    /// node carries the text in reading order for a screen reader.
    pub fn set_text(&mut self, node: NodeId, text: &str) {
        if node == UNTAGGED || !pressbook_model::direction::may_hold_rtl(text) {
            return;
        }
        // Without the bidi controls (a date is isolated in any text).
        let reading: String = text
            .chars()
            .filter(|&c| !matches!(c as u32, 0x200E..=0x200F | 0x202A..=0x202E | 0x2066..=0x2069))
            .collect();
        if pressbook_model::direction::may_hold_rtl(&reading) {
            self.node_mut(node).actual = Some(reading);
        }
    }

    /// Forgets the nodes from `len` on (a part set again).
    pub fn truncate(&mut self, len: usize) {
        self.nodes.truncate(len.max(1));
    }
}

/// The new ids of a grafted part's nodes.
#[derive(Debug, Clone, Copy)]
pub struct Renumber {
    offset: NodeId,
    under: NodeId,
}

impl Renumber {
    pub fn id(self, id: NodeId) -> NodeId {
        match id {
            UNTAGGED => UNTAGGED,
            Tree::ROOT => self.under,
            n => n + self.offset,
        }
    }
}

/// The structure nodes a line's items go to: its text's, and the first of
/// its links' (the text's `k`-th link is `first_link + k - 1`); without
/// link nodes, link text is part of `text` (a contents entry, which is a
/// link as a whole).
#[derive(Debug, Clone, Copy)]
pub struct Tags {
    pub text: NodeId,
    pub first_link: NodeId,
}

impl Tags {
    pub fn of(text: NodeId) -> Self {
        Tags {
            text,
            first_link: UNTAGGED,
        }
    }

    pub fn link(self, no: u16) -> NodeId {
        if no == 0 || self.first_link == UNTAGGED || self.text == UNTAGGED {
            self.text
        } else {
            self.first_link + NodeId::from(no) - 1
        }
    }
}

/// Heading levels without skips: each heading is one deeper than the
/// nearest shallower one before it (Markdown `#` then `###` gives 2 then
/// 3, under an article's headline at 1).
#[derive(Debug, Default)]
pub struct HeadingLevels {
    open: Vec<u8>,
}

impl HeadingLevels {
    /// The structure level (2..=6) of a heading at Markdown `level`.
    pub fn next(&mut self, level: u8) -> u8 {
        while self.open.last().is_some_and(|&l| l >= level) {
            self.open.pop();
        }
        self.open.push(level);
        (1 + self.open.len() as u8).min(6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_levels_never_skip() {
        let mut h = HeadingLevels::default();
        let got: Vec<u8> = [1, 3, 3, 2, 4, 1, 6].iter().map(|&l| h.next(l)).collect();
        assert_eq!(got, [2, 3, 3, 3, 4, 2, 3]);
    }

    #[test]
    fn right_to_left_text_is_kept_in_reading_order() {
        let mut t = Tree::new();
        let latin = t.add(Kind::P, Tree::ROOT);
        let hebrew = t.add(Kind::P, Tree::ROOT);
        t.set_text(latin, "A harbour reopens \u{2068}2026-11-28\u{2069}");
        t.set_text(hebrew, "ספרייה \u{2068}2026\u{2069} חדשה");
        t.set_text(UNTAGGED, "ספרייה");
        assert_eq!(t.nodes[latin as usize].actual, None);
        assert_eq!(
            t.nodes[hebrew as usize].actual.as_deref(),
            Some("ספרייה 2026 חדשה")
        );
    }

    #[test]
    fn grafted_parts_keep_their_shape() {
        let mut part = Tree::new();
        let art = part.add(Kind::Art, Tree::ROOT);
        let p = part.add(Kind::P, art);
        let mut t = Tree::new();
        let sect = t.add(Kind::Sect, Tree::ROOT);
        let map = t.graft(part, Tree::ROOT);
        assert_eq!(map.id(art), 2);
        assert_eq!(map.id(p), 3);
        assert_eq!(map.id(UNTAGGED), UNTAGGED);
        assert_eq!(t.nodes[2].parent, Tree::ROOT);
        assert_eq!(t.nodes[3].parent, 2);
        assert_eq!(t.nodes[sect as usize].kind, Kind::Sect);
    }
}
