//! Where links go: named destinations (the article and heading anchors),
//! link annotations to them, and URL annotations.
//!
//! URL annotations are added with their page; destinations and internal
//! links once every page exists. Positions are in points from the top-left corner
//! of the page, as in the layout, and flipped on the way in.

use lopdf::{dictionary, Document as LoDocument, Object, ObjectId, StringFormat};

use crate::layout::{Document, LinkTarget, Page};

/// A named place on a page.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Destination {
    pub name: String,
    /// 0-based page index.
    pub page: usize,
    /// Distance from the top of the page, in points.
    pub y: f32,
}

/// A clickable area that jumps to a named destination.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct InternalLink {
    pub page: usize,
    /// Left, top, width, height, in points from the top-left corner.
    pub rect: [f32; 4],
    pub dest: String,
}

/// The destinations and internal links of a laid-out document.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Links {
    pub destinations: Vec<Destination>,
    pub internal: Vec<InternalLink>,
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
            for l in &page.links {
                if let LinkTarget::Internal(dest) = &l.target {
                    n.internal.push(InternalLink {
                        page: i,
                        rect: [l.x, l.y, l.w, l.h],
                        dest: dest.clone(),
                    });
                }
            }
        }
        n
    }
}

/// The page objects of a written document and their heights.
pub(super) struct PageRefs {
    pub ids: Vec<ObjectId>,
    heights: Vec<f32>,
}

impl PageRefs {
    pub fn of(doc: &LoDocument) -> Self {
        let ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let heights = ids
            .iter()
            .map(|&p| page_height(doc, p).unwrap_or(842.0))
            .collect();
        PageRefs { ids, heights }
    }
}

fn page_height(doc: &LoDocument, page: ObjectId) -> Option<f32> {
    let dict = doc.get_object(page).ok()?.as_dict().ok()?;
    let mb = dict.get(b"MediaBox").ok()?.as_array().ok()?;
    let num = |o: &Object| {
        o.as_float()
            .ok()
            .or_else(|| o.as_i64().ok().map(|i| i as f32))
    };
    Some(num(mb.get(3)?)? - num(mb.get(1)?)?)
}

/// Adds the name tree of `destinations` (sorted by name, as it requires;
/// the first of equal names wins) and returns the catalog's `/Names`.
pub(super) fn add_destinations(
    doc: &mut LoDocument,
    pages: &PageRefs,
    destinations: &[Destination],
) -> ObjectId {
    let mut dests: Vec<&Destination> = destinations
        .iter()
        .filter(|d| d.page < pages.ids.len())
        .collect();
    dests.sort_by_cached_key(|d| dest_bytes(&d.name));
    dests.dedup_by(|a, b| a.name == b.name);
    let mut names = Vec::with_capacity(dests.len() * 2);
    for d in &dests {
        let top = pages.heights[d.page] - d.y;
        names.push(dest_name(&d.name));
        names.push(Object::Array(vec![
            Object::Reference(pages.ids[d.page]),
            "XYZ".into(),
            Object::Null,
            Object::Real(top),
            Object::Null,
        ]));
    }
    let dests_id = doc.add_object(dictionary! { "Names" => names });
    doc.add_object(dictionary! { "Dests" => Object::Reference(dests_id) })
}

/// Adds each internal link to its page's annotations.
pub(super) fn add_internal_links(
    doc: &mut LoDocument,
    pages: &PageRefs,
    links: &[InternalLink],
) -> anyhow::Result<()> {
    for link in links.iter().filter(|l| l.page < pages.ids.len()) {
        let h = pages.heights[link.page];
        let annot = doc.add_object(dictionary! {
            "Type" => "Annot",
            "Subtype" => "Link",
            "Rect" => rect(h, link.rect),
            "Border" => vec![0.into(), 0.into(), 0.into()],
            "F" => 4,
            "Dest" => dest_name(&link.dest),
        });
        let page = doc.get_object_mut(pages.ids[link.page])?.as_dict_mut()?;
        match page.get_mut(b"Annots") {
            Ok(Object::Array(a)) => a.push(Object::Reference(annot)),
            _ => page.set("Annots", vec![Object::Reference(annot)]),
        }
    }
    Ok(())
}

/// Adds the page's links to URLs as annotations (printed, with no visible
/// border); returns them for the page's `/Annots`.
pub(super) fn add_url_annotations(doc: &mut LoDocument, p: &Page) -> Vec<Object> {
    let h = p.height;
    p.links
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Url(url) => Some(Object::Reference(doc.add_object(dictionary! {
                "Type" => "Annot",
                "Subtype" => "Link",
                "Rect" => rect(h, [l.x, l.y, l.w, l.h]),
                "Border" => vec![0.into(), 0.into(), 0.into()],
                "F" => 4,
                "A" => dictionary! {
                    "S" => "URI",
                    "URI" => Object::String(url.as_bytes().to_vec(), StringFormat::Literal),
                },
            }))),
            LinkTarget::Internal(_) => None,
        })
        .collect()
}

/// A rectangle from the top-left corner and size, in PDF coordinates.
fn rect(page_height: f32, [x, y, w, h]: [f32; 4]) -> Vec<Object> {
    vec![
        Object::Real(x),
        Object::Real(page_height - y - h),
        Object::Real(x + w),
        Object::Real(page_height - y),
    ]
}

/// A destination name as a PDF string. Names are byte strings that readers
/// decode differently, so anything outside plain ASCII is percent-encoded
/// (article ids may hold any script).
pub(super) fn dest_name(name: &str) -> Object {
    Object::String(dest_bytes(name), StringFormat::Literal)
}

fn dest_bytes(name: &str) -> Vec<u8> {
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
