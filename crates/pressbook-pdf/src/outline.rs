//! The document outline (bookmarks), nested as the digest is: sections,
//! articles, headings.

use pdf_writer::{Chunk, Name, Ref, Str, TextStr};

use super::annotations::dest_bytes;
use pressbook_layout::OutlineEntry;

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
pub(super) fn write(pdf: &mut Chunk, alloc: &mut Ref, nodes: &[OutlineNode]) -> Option<Ref> {
    if nodes.is_empty() {
        return None;
    }
    let root = alloc.bump();
    let (first, last, count) = write_level(pdf, alloc, nodes, root);
    pdf.outline(root).first(first).last(last).count(count);
    Some(root)
}

/// Writes one level of the outline under `parent`; returns the first and
/// last item and the number of visible descendants.
fn write_level(
    pdf: &mut Chunk,
    alloc: &mut Ref,
    nodes: &[OutlineNode],
    parent: Ref,
) -> (Ref, Ref, i32) {
    let ids: Vec<Ref> = nodes.iter().map(|_| alloc.bump()).collect();
    let mut visible = 0;
    for (i, node) in nodes.iter().enumerate() {
        visible += 1;
        // Children first: their objects are written before this item's.
        let children =
            (!node.children.is_empty()).then(|| write_level(pdf, alloc, &node.children, ids[i]));
        let mut item = pdf.outline_item(ids[i]);
        item.title(TextStr(&node.title)).parent(parent);
        item.pair(Name(b"Dest"), Str(&dest_bytes(&node.dest)));
        if i > 0 {
            item.prev(ids[i - 1]);
        }
        if i + 1 < ids.len() {
            item.next(ids[i + 1]);
        }
        if let Some((first, last, count)) = children {
            item.first(first).last(last);
            // A negative count means "closed" with that many hidden items.
            item.count(if node.open { count } else { -count });
            if node.open {
                visible += count;
            }
        }
    }
    (ids[0], ids[ids.len() - 1], visible)
}
