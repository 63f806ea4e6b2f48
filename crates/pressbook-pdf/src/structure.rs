//! The structure tree of a tagged PDF: the layout's [`Tree`] written as
//! structure elements, each holding its marked content (by page and MCID),
//! its child elements and its link annotations, in the order they appear
//! in the content (which is reading order); and the parent tree that takes
//! a page's MCIDs and an annotation back to their elements.

use pdf_writer::writers::StructChildren;
use pdf_writer::{Chunk, Finish, Name, Ref, Str, TextStr};

use pressbook_layout::tags::Kind;
use pressbook_layout::{NodeId, Tree};

/// A link annotation written on a page, for the structure.
#[derive(Debug, Clone, Copy)]
pub(super) struct Annot {
    pub id: Ref,
    pub page: usize,
    /// Its `Link` node.
    pub node: NodeId,
    /// Its `/StructParent` key.
    pub key: i32,
}

/// A child of a structure element.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kid {
    /// Marked content: page index and MCID.
    Content(usize, i32),
    Element(NodeId),
    Annotation(usize, Ref),
}

/// Each node's children in order of appearance, and which nodes appear.
struct Shape {
    kids: Vec<Vec<Kid>>,
    present: Vec<bool>,
}

impl Shape {
    /// Walks the content of every page in order (`marks[page][mcid]` is
    /// the node of that MCID), then the annotations.
    fn of(tree: &Tree, marks: &[Vec<NodeId>], annots: &[Annot]) -> Shape {
        let n = tree.len();
        let mut s = Shape {
            kids: vec![Vec::new(); n],
            present: vec![false; n],
        };
        s.present[Tree::ROOT as usize] = true;
        for (page, mcids) in marks.iter().enumerate() {
            for (mcid, &node) in mcids.iter().enumerate() {
                s.kids[node as usize].push(Kid::Content(page, mcid as i32));
                s.attach(tree, node);
            }
        }
        for a in annots {
            s.kids[a.node as usize].push(Kid::Annotation(a.page, a.id));
            s.attach(tree, a.node);
        }
        s.keep_empty_cells(tree);
        s
    }

    /// Marks `node` and its ancestors present, each added to its parent's
    /// children when it first appears.
    fn attach(&mut self, tree: &Tree, mut node: NodeId) {
        while !self.present[node as usize] {
            self.present[node as usize] = true;
            let parent = tree.nodes[node as usize].parent;
            self.kids[parent as usize].push(Kid::Element(node));
            node = parent;
        }
    }

    /// An empty cell of a row that is there keeps its place, so that every
    /// row has as many cells as the table has columns.
    fn keep_empty_cells(&mut self, tree: &Tree) {
        for (i, node) in tree.nodes.iter().enumerate() {
            let cell = matches!(node.kind, Kind::TH | Kind::TD);
            if !cell || self.present[i] || !self.present[node.parent as usize] {
                continue;
            }
            self.present[i] = true;
            let row = &mut self.kids[node.parent as usize];
            // Nodes are made in reading order: before the first later one.
            let at = row
                .iter()
                .position(|k| matches!(k, Kid::Element(e) if *e as usize > i))
                .unwrap_or(row.len());
            row.insert(at, Kid::Element(i as NodeId));
        }
    }
}

/// Writes the structure elements and the structure tree root; returns the
/// root for the catalog. Page `i`'s `/StructParents` key is `i`.
pub(super) fn write(
    pdf: &mut Chunk,
    alloc: &mut Ref,
    tree: &Tree,
    pages: &[Ref],
    marks: &[Vec<NodeId>],
    annots: &[Annot],
) -> Ref {
    let shape = Shape::of(tree, marks, annots);
    let root = alloc.bump();
    let refs: Vec<Option<Ref>> = shape
        .present
        .iter()
        .map(|&p| p.then(|| alloc.bump()))
        .collect();
    let id_tree = write_elements(pdf, tree, &shape, &refs, pages, root);

    let mut r = pdf.indirect(root).dict();
    r.pair(Name(b"Type"), Name(b"StructTreeRoot"));
    if let Some(doc) = refs[Tree::ROOT as usize] {
        r.pair(Name(b"K"), doc);
    }
    {
        let mut parent_tree = r.insert(Name(b"ParentTree")).dict();
        let mut nums = parent_tree.insert(Name(b"Nums")).array();
        for (page, mcids) in marks.iter().enumerate() {
            nums.item(page as i32);
            let mut arr = nums.push().array();
            for &n in mcids {
                arr.item(refs[n as usize].expect("a node with content is present"));
            }
        }
        for a in annots {
            nums.item(a.key);
            nums.item(refs[a.node as usize].expect("a link node is present"));
        }
    }
    let next_key = marks.len() as i32 + annots.len() as i32;
    r.pair(Name(b"ParentTreeNextKey"), next_key);
    if !id_tree.is_empty() {
        let mut ids = r.insert(Name(b"IDTree")).dict();
        let mut names = ids.insert(Name(b"Names")).array();
        for (id, elem) in &id_tree {
            names.item(Str(id.as_bytes()));
            names.item(*elem);
        }
    }
    r.finish();
    root
}

/// Writes every present node as a structure element; returns the
/// elements with an `/ID`, sorted by it (the root's `/IDTree`).
fn write_elements(
    pdf: &mut Chunk,
    tree: &Tree,
    shape: &Shape,
    refs: &[Option<Ref>],
    pages: &[Ref],
    root: Ref,
) -> Vec<(String, Ref)> {
    let mut ids = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        let Some(id) = refs[i] else { continue };
        // A plain dictionary: `/Type /StructElem` is optional, and with
        // thousands of elements its bytes count.
        let mut e = pdf.indirect(id).dict();
        e.pair(Name(b"S"), Name(node.kind.name().as_bytes()));
        let parent = if i == Tree::ROOT as usize {
            root
        } else {
            refs[node.parent as usize].expect("a present node's parent is present")
        };
        e.pair(Name(b"P"), parent);
        let kids = &shape.kids[i];
        // The element's page: marked content on it is given by MCID alone.
        let home = kids.iter().find_map(|k| match k {
            Kid::Content(p, _) | Kid::Annotation(p, _) => Some(*p),
            Kid::Element(_) => None,
        });
        if let Some(p) = home {
            e.pair(Name(b"Pg"), pages[p]);
        }
        if let Some(alt) = &node.alt {
            e.pair(Name(b"Alt"), TextStr(alt));
        }
        if let Some(text) = &node.actual {
            e.pair(Name(b"ActualText"), TextStr(text));
        }
        if let Some(lang) = &node.lang {
            e.pair(Name(b"Lang"), TextStr(lang));
        }
        if let Some(note) = &node.id {
            e.pair(Name(b"ID"), Str(note.as_bytes()));
            ids.push((note.clone(), id));
        }
        match node.kind {
            Kind::TH => {
                e.insert(Name(b"A"))
                    .dict()
                    .pair(Name(b"O"), Name(b"Table"))
                    .pair(Name(b"Scope"), Name(b"Column"));
            }
            Kind::L { numbered } => {
                let style = if numbered { "Decimal" } else { "Disc" };
                e.insert(Name(b"A"))
                    .dict()
                    .pair(Name(b"O"), Name(b"List"))
                    .pair(Name(b"ListNumbering"), Name(style.as_bytes()));
            }
            _ => {}
        }
        let mut k = e.insert(Name(b"K")).start::<StructChildren>();
        for kid in kids {
            match *kid {
                Kid::Content(p, mcid) if Some(p) == home => {
                    k.marked_content_id(mcid);
                }
                Kid::Content(p, mcid) => {
                    k.marked_content_ref()
                        .page(pages[p])
                        .marked_content_id(mcid);
                }
                Kid::Element(c) => {
                    k.struct_element(refs[c as usize].expect("a child is present"));
                }
                Kid::Annotation(p, annot) => {
                    k.object_ref().page(pages[p]).object(annot);
                }
            }
        }
    }
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph with a link in its middle, over two pages; a table row
    /// with an empty first cell.
    #[test]
    fn children_come_in_reading_order() {
        let mut t = Tree::new();
        let art = t.add(Kind::Art, Tree::ROOT);
        let p = t.add(Kind::P, art);
        let link = t.add(Kind::Link, p);
        let table = t.add(Kind::Table, art);
        let tr = t.add(Kind::TR, table);
        let empty = t.add(Kind::TD, tr);
        let full = t.add(Kind::TD, tr);
        let unused = t.add(Kind::P, art);
        let marks = vec![vec![p, link, p], vec![p, full]];
        let annots = [Annot {
            id: Ref::new(99),
            page: 0,
            node: link,
            key: 2,
        }];
        let s = Shape::of(&t, &marks, &annots);
        assert_eq!(
            s.kids[p as usize],
            [
                Kid::Content(0, 0),
                Kid::Element(link),
                Kid::Content(0, 2),
                Kid::Content(1, 0)
            ]
        );
        assert_eq!(
            s.kids[link as usize],
            [Kid::Content(0, 1), Kid::Annotation(0, Ref::new(99))]
        );
        assert_eq!(
            s.kids[tr as usize],
            [Kid::Element(empty), Kid::Element(full)]
        );
        assert_eq!(s.kids[art as usize], [Kid::Element(p), Kid::Element(table)]);
        assert!(!s.present[unused as usize]);
    }
}
