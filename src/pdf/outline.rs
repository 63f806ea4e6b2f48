//! The document outline (bookmarks), nested as the digest is: sections,
//! articles, headings.

use lopdf::{dictionary, Dictionary, Document as LoDocument, Object, ObjectId};

use super::links::dest_name;
use super::text_string;
use crate::layout::OutlineEntry;

/// One bookmark and those nested under it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct OutlineNode {
    pub title: String,
    /// Named destination the bookmark jumps to.
    pub dest: String,
    /// Whether its children are shown when the outline opens.
    pub open: bool,
    pub children: Vec<OutlineNode>,
}

/// The flat outline (levels) as a tree. An entry without a destination of
/// its own (a section) jumps to the first one after it.
pub(super) fn tree(entries: &[OutlineEntry]) -> Vec<OutlineNode> {
    let mut roots: Vec<OutlineNode> = Vec::new();
    let mut stack: Vec<(u8, OutlineNode)> = Vec::new();
    let attach = |stack: &mut Vec<(u8, OutlineNode)>, roots: &mut Vec<OutlineNode>| {
        if let Some((_, node)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(node),
                None => roots.push(node),
            }
        }
    };
    for (i, e) in entries.iter().enumerate() {
        let Some(dest) = entries[i..].iter().find_map(|e| e.dest.clone()) else {
            continue;
        };
        while stack.last().is_some_and(|(level, _)| *level >= e.level) {
            attach(&mut stack, &mut roots);
        }
        let node = OutlineNode {
            title: e.title.clone(),
            dest,
            open: e.level == 0,
            children: Vec::new(),
        };
        stack.push((e.level, node));
    }
    while !stack.is_empty() {
        attach(&mut stack, &mut roots);
    }
    roots
}

/// Writes the outline's objects; returns its root, if it has any entry.
pub(super) fn add(doc: &mut LoDocument, nodes: &[OutlineNode]) -> Option<ObjectId> {
    if nodes.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    let (first, last, count) = add_level(doc, nodes, root);
    doc.set_object(
        root,
        dictionary! {
            "Type" => "Outlines",
            "First" => Object::Reference(first),
            "Last" => Object::Reference(last),
            "Count" => count,
        },
    );
    Some(root)
}

/// Points the catalog at the outline and opens the viewer on it.
pub(super) fn set_in_catalog(catalog: &mut Dictionary, root: Option<ObjectId>) {
    if let Some(root) = root {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", "UseOutlines");
    }
}

/// Writes one level of the outline under `parent`; returns the first and
/// last item and the number of visible descendants.
fn add_level(
    doc: &mut LoDocument,
    nodes: &[OutlineNode],
    parent: ObjectId,
) -> (ObjectId, ObjectId, i64) {
    let ids: Vec<ObjectId> = nodes.iter().map(|_| doc.new_object_id()).collect();
    let mut visible = 0;
    for (i, node) in nodes.iter().enumerate() {
        let mut d = dictionary! {
            "Title" => text_string(&node.title),
            "Parent" => Object::Reference(parent),
            "Dest" => dest_name(&node.dest),
        };
        if i > 0 {
            d.set("Prev", Object::Reference(ids[i - 1]));
        }
        if i + 1 < ids.len() {
            d.set("Next", Object::Reference(ids[i + 1]));
        }
        visible += 1;
        if !node.children.is_empty() {
            let (first, last, count) = add_level(doc, &node.children, ids[i]);
            d.set("First", Object::Reference(first));
            d.set("Last", Object::Reference(last));
            // A negative count means "closed" with that many hidden items.
            d.set("Count", if node.open { count } else { -count });
            if node.open {
                visible += count;
            }
        }
        doc.set_object(ids[i], d);
    }
    (ids[0], ids[ids.len() - 1], visible)
}
