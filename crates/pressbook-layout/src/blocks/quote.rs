//! Block quotes (inset, with a bar down their left) and section rules.

use pressbook_model::model::{Article, Block};

use super::{Band, BlockRole, Deco, FlowBuilder, Kind, PageItem, Placed, Point, Rgb, Strip};

impl FlowBuilder<'_> {
    pub(super) fn quote(&mut self, a: &Article, inner: &[Block], band: Band) {
        let inset = self.style.body_size * self.style.sizes.quote_inset_em;
        let inner_band = Band {
            x: band.x + inset,
            measure: band.measure - inset * self.style.spacing.quote.measure_less_insets,
        };
        self.after_para = false;
        self.decos.push(Deco::Bar {
            x: band.x + inset * self.style.spacing.quote.bar_at_share,
        });
        let first = self.elems.len();
        let outer = std::mem::replace(&mut self.para_role, BlockRole::Quote);
        self.within(Kind::BlockQuote, |b| b.blocks(a, inner, inner_band));
        self.para_role = outer;
        self.decos.pop();
        let space = self.space();
        if let Some(e) = self.elems.get_mut(first) {
            e.space_before = e.space_before.max(space);
        }
        self.after_space(self.space());
        self.after_para = false;
    }

    /// A short centred rule between parts of an article.
    pub(super) fn rule(&mut self, band: Band) {
        let leading = self.style.leading;
        let r = &self.style.spacing.section_rule;
        let w = band.measure * r.width_share;
        let e = Strip {
            height: leading * r.height_lines,
            space_before: leading * r.before_lines,
            break_before: true,
            items: vec![Placed::new(
                Point::new(band.x + (band.measure - w) / 2.0, leading * r.at_lines),
                PageItem::hline(w, r.thickness, Rgb::RULE),
                BlockRole::Artifact,
            )],
            ..Strip::default()
        };
        self.push(e);
        self.after_para = false;
    }
}
