//! Lists: items set in an inset, each marker hanging on its item's first
//! baseline; a list does not leave its first or last item alone on a page.

use pressbook_model::model::{Article, Block};

use super::{Align, Band, BlockRole, FlowBuilder, Kind};

impl FlowBuilder<'_> {
    pub(super) fn list(
        &mut self,
        a: &Article,
        start: Option<u64>,
        items: &[Vec<Block>],
        band: Band,
    ) {
        let inset = self.style.body_size * self.style.sizes.list_inset_em;
        // Right to left (Arabic, Hebrew): the inset and the markers are on
        // the right.
        let rtl = self.lang.is_some_and(|l| l.rtl);
        let inner = Band {
            x: if rtl { band.x } else { band.x + inset },
            measure: band.measure - inset,
        };
        let list_first = self.elems.len();
        let mut item_starts = Vec::with_capacity(items.len());
        let list = self.tree.add(
            Kind::L {
                numbered: start.is_some(),
            },
            self.parent,
        );
        let outer = std::mem::replace(&mut self.parent, list);
        for (i, item) in items.iter().enumerate() {
            item_starts.push(self.elems.len());
            let marker = match start {
                Some(n) => format!("{}.", n + i as u64),
                None => if band.x > 0.0 && band.x >= inset {
                    "\u{2013}"
                } else {
                    "\u{2022}"
                }
                .to_string(),
            };
            self.list_item(a, item, &marker, inner, inset, rtl);
        }
        self.parent = outer;
        // Orphan and widow control for whole items.
        if items.len() > 2 {
            for k in [item_starts[1], item_starts[items.len() - 1]] {
                if let Some(e) = self.elems.get_mut(k) {
                    e.break_before = false;
                }
            }
        }
        // Nested lists sit close to their item.
        let space = if band.x > 0.0 && self.decos.is_empty() {
            self.style.spacing.list.nested_before
        } else {
            self.space()
        };
        if let Some(e) = self.elems.get_mut(list_first) {
            e.space_before = e.space_before.max(space);
        }
        self.after_space(space * self.style.spacing.after_block_share);
        self.after_para = false;
    }

    /// One item's blocks in `inner`, its marker hanging in the `inset`
    /// before it (after it, at the right, when `rtl`).
    fn list_item(
        &mut self,
        a: &Article,
        item: &[Block],
        marker: &str,
        inner: Band,
        inset: f32,
        rtl: bool,
    ) {
        self.after_para = false;
        let first = self.elems.len();
        let li = self.tree.add(Kind::LI, self.parent);
        let label = self.tree.add(Kind::Lbl, li);
        let body = self.tree.add(Kind::LBody, li);
        let outer = std::mem::replace(&mut self.parent, body);
        for (k, b) in item.iter().enumerate() {
            match b {
                // Paragraphs in a list are set without indent, close together.
                Block::Paragraph(content) => {
                    let rt = self.rich(a, content, self.body());
                    self.role = BlockRole::ListItem;
                    self.tag(Kind::P);
                    let sp = &self.style.spacing.list;
                    let before = if k == 0 {
                        sp.item_before
                    } else {
                        self.space() * sp.item_paragraph_share
                    };
                    self.push_lines(
                        &rt,
                        inner,
                        0.0,
                        Align::Justify,
                        self.style.body_size,
                        self.style.leading,
                        before,
                    );
                }
                other => self.block(a, other, inner),
            }
        }
        self.parent = outer;
        if first < self.elems.len() {
            if let Some(line) = self.label(marker, self.body().no_hyphens(), inset) {
                let gap = self.style.body_size * self.style.spacing.list.marker_gap_em;
                let x = if rtl {
                    inner.x + inner.measure + gap
                } else {
                    inner.x - gap - line.width
                };
                let e = &mut self.elems[first];
                let y = if e.baseline > 0.0 {
                    e.baseline
                } else {
                    self.style.leading * 0.75
                };
                super::place_first(e, line, x, y, label);
            }
        }
    }
}
