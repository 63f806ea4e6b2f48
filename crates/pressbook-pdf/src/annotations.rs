//! Where links go: named destinations (the article and heading anchors),
//! link annotations to them, and URL annotations.
//!
//! Annotations are written with their page; the destinations once every
//! page exists. Positions are in points from the top-left corner
//! of the page, as in the layout, and flipped on the way in.

use pdf_writer::types::{ActionType, AnnotationFlags, AnnotationType};
use pdf_writer::{Chunk, Name, Null, Rect, Ref, Str, TextStr};

use super::structure::Annot;
use pressbook_layout::{Document, LinkArea, LinkTarget, NodeId, Page, UNTAGGED};

/// A named place on a page.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Destination {
    pub name: String,
    /// 0-based page index.
    pub page: usize,
    /// Distance from the top of the page, in points.
    pub y: f32,
}

/// The named destinations of a laid-out document.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Links {
    pub destinations: Vec<Destination>,
}

impl Links {
    pub fn collect(doc: &Document) -> Self {
        let mut n = Links::default();
        for (i, page) in doc.pages.iter().enumerate() {
            for (name, y) in &page.destinations {
                n.destinations.push(Destination {
                    name: name.clone(),
                    page: i,
                    y: *y,
                });
            }
        }
        n
    }
}

/// The page objects of the document and their heights.
pub(super) struct PageRefs {
    pub ids: Vec<Ref>,
    pub heights: Vec<f32>,
}

/// Writes the name tree of `destinations` (sorted by name, as it requires;
/// the first of equal names wins); returns it for the catalog's `/Names`.
pub(super) fn write_destinations(
    pdf: &mut Chunk,
    alloc: &mut Ref,
    pages: &PageRefs,
    destinations: &[Destination],
) -> Ref {
    let mut dests: Vec<&Destination> = destinations
        .iter()
        .filter(|d| d.page < pages.ids.len())
        .collect();
    dests.sort_by_cached_key(|d| dest_bytes(&d.name));
    dests.dedup_by(|a, b| a.name == b.name);
    let id = alloc.bump();
    let mut tree = pdf.indirect(id).dict();
    let mut names = tree.insert(Name(b"Names")).array();
    for d in &dests {
        let top = pages.heights[d.page] - d.y;
        names.item(Str(&dest_bytes(&d.name)));
        names
            .push()
            .array()
            .item(pages.ids[d.page])
            .item(Name(b"XYZ"))
            .item(Null)
            .item(top)
            .item(Null);
    }
    id
}

/// The link annotations written so far that belong to a `Link` element,
/// with their parent tree keys (from `first_key` on, after the pages').
pub(super) struct Annots {
    pub first_key: i32,
    pub written: Vec<Annot>,
}

impl Annots {
    /// Notes annotation `id` on page `page` as part of `node`; returns its
    /// `/StructParent` key.
    fn add(&mut self, id: Ref, page: usize, node: NodeId) -> i32 {
        let key = self.first_key + self.written.len() as i32;
        self.written.push(Annot {
            id,
            page,
            node,
            key,
        });
        key
    }
}

/// Writes the annotations of the links of page `index`: URLs as URI
/// actions, internal links by destination name; printed, with no visible
/// border, described by their text (`texts`); those of a `Link` element
/// are added to `annots`. Returns them for the page's `/Annots`.
pub(super) fn write_annotations(
    pdf: &mut Chunk,
    alloc: &mut Ref,
    index: usize,
    page: &Page,
    texts: &[String],
    annots: &mut Annots,
) -> Vec<Ref> {
    page.links
        .iter()
        .zip(texts)
        .map(|(l, text)| {
            let id = alloc.bump();
            let mut a = pdf.annotation(id);
            a.subtype(AnnotationType::Link)
                .rect(rect(page.height, l))
                .border(0.0, 0.0, 0.0, None)
                .flags(AnnotationFlags::PRINT)
                .contents(TextStr(&description(l, text)));
            if l.node != UNTAGGED {
                a.struct_parent(annots.add(id, index, l.node));
            }
            match &l.target {
                LinkTarget::Url(url) => {
                    a.action()
                        .action_type(ActionType::Uri)
                        .uri(Str(url.as_bytes()));
                }
                LinkTarget::Internal(dest) => {
                    a.pair(Name(b"Dest"), Str(&dest_bytes(dest)));
                }
            }
            id
        })
        .collect()
}

/// What a screen reader says of a link (its `/Contents`): its text, else
/// where it goes.
fn description(l: &LinkArea, text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match &l.target {
        _ if !text.is_empty() => text,
        LinkTarget::Url(url) => url.clone(),
        LinkTarget::Internal(dest) => format!("Go to {dest}"),
    }
}

/// A link's rectangle in PDF coordinates (its top-left corner flipped).
fn rect(page_height: f32, l: &LinkArea) -> Rect {
    Rect::new(l.x, page_height - l.y - l.h, l.x + l.w, page_height - l.y)
}

/// A destination name as the bytes of a PDF string. Names are byte
/// strings that readers decode differently, so anything outside plain
/// ASCII is percent-encoded (article ids may hold any script).
pub(super) fn dest_bytes(name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    for &b in name.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_./".contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}
