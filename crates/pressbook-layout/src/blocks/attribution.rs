//! "About this article": source, author, date, original address and rights
//! at an article's end, as a small table (or, when the article is set
//! tight, one run-on paragraph). It keeps with the end of the text.

use pressbook_model::model::{has_scheme, Article, Attribution};

use super::super::LinkTarget;
use super::{
    Align, Band, BlockRole, FlowBuilder, Kind, PageItem, Placed, Point, Rgb, RichText, Strip,
    TextStyle,
};

/// The fields shown, in order: name, text and link.
fn fields(at: &Attribution) -> Vec<(&'static str, String, Option<LinkTarget>)> {
    let mut rows = vec![(
        "Source",
        at.source.unwrap_or("Not stated").to_string(),
        None,
    )];
    if let Some(au) = at.author {
        rows.push(("Author", au.to_string(), None));
    }
    if let Some(d) = at.date {
        rows.push(("Published", crate::inline::isolate(&d.to_string()), None));
    }
    if let Some(u) = at.url {
        let link = has_scheme(u).then(|| LinkTarget::Url(u.to_string()));
        rows.push(("Original", u.to_string(), link));
    }
    if let Some(r) = at.rights {
        rows.push(("Rights", r.to_string(), None));
    }
    rows
}

impl FlowBuilder<'_> {
    pub(super) fn attribution(&mut self, a: &Article) {
        let full = self.full();
        // The block keeps with the end of the text: it never stands alone
        // at the top of a page.
        let sp = &self.style.spacing;
        let rule = Strip {
            height: sp.attribution.rule_height,
            space_before: self.style.leading * sp.attribution.before_lines,
            break_before: false,
            items: vec![Placed::new(
                Point::new(0.0, 0.0),
                PageItem::hline(
                    full.measure,
                    sp.rules.hairline,
                    self.style.accent.unwrap_or(Rgb::RULE),
                ),
                BlockRole::Artifact,
            )],
            ..Strip::default()
        };
        self.push(rule);
        self.keep_next = true;
        let l = self.style.sizes.about_label;
        let st = TextStyle::sans(l.size)
            .bold()
            .color(self.style.accent_text)
            .tracking(0.07);
        let rt = RichText::styled("ABOUT THIS ARTICLE", st);
        self.role = BlockRole::Label;
        self.tag(Kind::P);
        self.push_lines(&rt, full, 0.0, Align::Left, l.size, l.leading, 0.0);
        self.role = BlockRole::Paragraph;
        let rows = fields(&a.meta.attribution());
        if self.tight {
            return self.attribution_compact(rows);
        }
        let (size, leading) = (self.style.sizes.about.size, self.style.sizes.about.leading);
        let label_w = self.style.sizes.about_names;
        let value = Band {
            x: label_w,
            measure: full.measure - label_w,
        };
        for (label, text, link) in rows {
            self.keep_next = true;
            let mut rt = RichText::new();
            rt.push(&text, TextStyle::sans(size), link.as_ref(), 0.0, false);
            rt.finish();
            let before = self.style.spacing.attribution.row_before;
            let row = self.tag(Kind::P);
            let first = self.push_lines(&rt, value, 0.0, Align::Left, size, leading, before);
            // Keep the block together.
            for e in &mut self.elems[first..] {
                e.break_before = false;
            }
            let lab = RichText::styled(label, TextStyle::sans(size).bold().color(Rgb::GREY));
            let lines = self.set_bare(&lab, label_w, Align::Left);
            if let (Some(line), Some(e)) = (lines.into_iter().next(), self.elems.get_mut(first)) {
                let y = e.baseline;
                let name = self.tree.add(Kind::Lbl, row);
                super::place_first(e, line, 0.0, y, name);
            }
        }
        self.keep_next = false;
    }

    /// The attribution as one run-on paragraph (used when space is short).
    fn attribution_compact(&mut self, rows: Vec<(&str, String, Option<LinkTarget>)>) {
        let about = self.style.sizes.about;
        let label = TextStyle::sans(about.size).bold().color(Rgb::GREY);
        let value = TextStyle::sans(about.size);
        let mut rt = RichText::new();
        for (name, text, link) in rows {
            if !rt.text.is_empty() {
                rt.push(
                    " \u{a0}\u{b7}\u{a0} ",
                    value.color(Rgb::GREY),
                    None,
                    0.0,
                    false,
                );
            }
            rt.push(name, label, None, 0.0, false);
            rt.push("\u{a0}", label, None, 0.0, false);
            rt.push(&text, value, link.as_ref(), 0.0, false);
        }
        rt.finish();
        let full = self.full();
        self.keep_next = true;
        self.tag(Kind::P);
        let before = self.style.spacing.attribution.row_before;
        let first = self.push_lines(
            &rt,
            full,
            0.0,
            Align::Left,
            about.size,
            about.leading,
            before,
        );
        for e in &mut self.elems[first..] {
            e.break_before = false;
        }
        self.keep_next = false;
    }
}
