//! An article's opening (the strip that starts it, its head) and the
//! tightening that sets an article again when that saves a page.

use std::sync::Arc;

use pressbook_model::diag::Diagnostic;
use pressbook_model::model::{Article, Section};

use super::super::inline::hyphen;
use super::{
    Align, BlockRole, FlowBuilder, Kind, PageItem, Placed, Point, Rgb, RichText, Strip, TextStyle,
    Tree, UNTAGGED,
};

impl FlowBuilder<'_> {
    /// Lays out one article: its head, body, notes and attribution, set
    /// again tighter when that saves a page. An article leaves the builder
    /// as it found it (nothing kept with what follows, no open quote or code
    /// block), so articles can be set by separate builders.
    pub(super) fn whole_article(
        &mut self,
        section: &Section,
        article: &Article,
        first: bool,
        first_in_section: bool,
    ) {
        let start = self.elems.len();
        let nodes = self.tree.len();
        self.article_start(section, article, first, first_in_section);
        self.article(article);
        if !self.style.compact {
            self.tighten_if_it_saves_a_page(
                section,
                article,
                [start, nodes],
                first,
                first_in_section,
            );
        }
        self.parent = Tree::ROOT;
        self.node = UNTAGGED;
        debug_assert!(!self.keep_next && !self.opening_next && self.decos.is_empty());
    }

    /// When the article's last region (page) would hold only a few lines,
    /// sets it again a little tighter (leading, spaces, headline, a compact
    /// attribution) and keeps that if it takes fewer regions.
    fn tighten_if_it_saves_a_page(
        &mut self,
        section: &Section,
        article: &Article,
        [start, nodes]: [usize; 2],
        first: bool,
        first_in_section: bool,
    ) {
        // (In columns: how full each page is.)
        let fill = super::super::paginate::region_fill(&self.elems[start..], &self.style);
        let avail = self.style.content_height();
        if fill.len() < 2 || fill.last().copied().unwrap_or(avail) > avail * 0.3 {
            return;
        }
        let loose = self.elems.split_off(start);
        let loose_nodes = self.tree.nodes.split_off(nodes);
        let saved = self.style.clone();
        self.style.leading -= 0.5;
        self.tight = true;
        self.article_start(section, article, first, first_in_section);
        self.article(article);
        self.tight = false;
        self.style = saved;
        let tight_pages =
            super::super::paginate::region_fill(&self.elems[start..], &self.style).len();
        if tight_pages >= fill.len() {
            self.elems.truncate(start);
            self.elems.extend(loose);
            self.tree.truncate(nodes);
            self.tree.nodes.extend(loose_nodes);
        }
    }

    /// The opening strip and the head: section label, headline, byline,
    /// source line, summary and a hairline.
    fn article_start(
        &mut self,
        section: &Section,
        a: &Article,
        first: bool,
        first_in_section: bool,
    ) {
        self.article = Some(Arc::from(a.id.as_str()));
        self.lang = hyphen::language(&a.meta.language);
        self.parent = Tree::ROOT;
        self.parent = self.tag(Kind::Art);
        if !same_language(&a.meta.language, &self.digest.meta.language) {
            self.tree.node_mut(self.parent).lang = Some(a.meta.language.clone());
        }
        self.headings = Default::default();
        self.shaper.clear_missing();
        // On pages in columns the head spans them; the body fills them.
        self.span = self.style.columns > 1;
        let open = self.opening_strip(section, a, first, first_in_section);
        self.opening_next = true;
        self.push(open);
        self.keep_next = true;
        self.head(section, a);
        // A hairline under the head.
        let sp = &self.style.spacing;
        let rule = Strip {
            height: self.style.leading * sp.head.rule_height_lines,
            space_before: sp.head.rule_before,
            items: vec![Placed::new(
                Point::new(0.0, self.style.leading * sp.head.rule_at_lines),
                PageItem::hline(
                    self.style.measure,
                    sp.rules.hairline,
                    self.style.accent.unwrap_or(Rgb::RULE),
                ),
                BlockRole::Artifact,
            )],
            ..Strip::default()
        };
        self.push(rule);
        self.keep_next = true;
        self.after_para = false;
        self.span = false;
    }

    /// The strip that opens the article: carries the page break (or the
    /// separating rule), the destination and the outline entries.
    fn opening_strip(
        &mut self,
        section: &Section,
        a: &Article,
        first: bool,
        first_in_section: bool,
    ) -> Strip {
        let compact_follow = self.style.compact && !first;
        let mut outline = Vec::new();
        if first_in_section {
            if let Some(t) = &section.title {
                outline.push((0, t.clone(), None));
            }
        }
        self.outline_level = u8::from(section.title.is_some());
        outline.push((self.outline_level, a.meta.title.clone(), Some(a.id.clone())));
        let mut open = Strip {
            new_page: !compact_follow,
            break_before: true,
            dests: vec![a.id.clone()],
            outline,
            ..Strip::default()
        };
        if compact_follow {
            let r = &self.style.spacing.article_rule;
            open.drop_at_top = true;
            open.space_before = self.style.leading * r.before_lines;
            open.height = self.style.leading * r.height_lines;
            let w = self.style.measure * r.width_share;
            open.items.push(Placed::new(
                Point::new(
                    (self.style.measure - w) / 2.0,
                    self.style.leading * r.at_lines,
                ),
                PageItem::hline(w, r.thickness, Rgb::RULE),
                BlockRole::Artifact,
            ));
        }
        open
    }

    /// The lines of the head, each kept with the next.
    fn head(&mut self, section: &Section, a: &Article) {
        let sz = self.style.sizes.clone();
        let sp = self.style.spacing.head.clone();
        self.role = BlockRole::Label;
        if let Some(t) = &section.title {
            let st = TextStyle::sans(sz.kicker.size)
                .bold()
                .color(self.style.accent_text)
                .tracking(0.07);
            let rt = RichText::styled(&t.to_uppercase(), st);
            let k = sz.kicker;
            self.head_line(&rt, Kind::P, k.size, k.leading, 0.0);
        }
        self.role = BlockRole::Title;
        let em = if self.tight {
            sz.headline_tight_em
        } else {
            sz.headline_em
        };
        let head = self.style.body_size * em;
        let rt = RichText::styled(&a.meta.title, TextStyle::serif(head).bold().no_hyphens());
        let leading = head * sz.headline_leading;
        self.head_line(&rt, Kind::H(1), head, leading, sp.headline_before);
        self.role = BlockRole::Paragraph;
        if let Some(author) = &a.meta.author {
            let b = sz.byline;
            let rt = RichText::styled(&format!("By {author}"), TextStyle::serif(b.size).italic());
            self.head_line(&rt, Kind::P, b.size, b.leading, sp.byline_before);
        }
        let source_line: Vec<String> = [
            a.meta.source.clone(),
            a.meta
                .date
                .map(|d| super::super::inline::isolate(&d.to_string())),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !source_line.is_empty() {
            let l = sz.source_line;
            let st = TextStyle::sans(l.size).color(Rgb::GREY).tracking(0.02);
            let rt = RichText::styled(&source_line.join("  ·  "), st);
            self.head_line(&rt, Kind::P, l.size, l.leading, sp.source_line_before);
        }
        if let Some(s) = &a.meta.summary {
            let l = sz.summary;
            let st = TextStyle::serif(l.size).italic().color(Rgb::GREY);
            let rt = RichText::styled(s, st);
            self.head_line(&rt, Kind::P, l.size, l.leading, sp.summary_before);
        }
    }

    /// One line group of the head (a node of `kind`): the full measure,
    /// left aligned, kept with what follows.
    fn head_line(&mut self, rt: &RichText, kind: Kind, size: f32, leading: f32, before: f32) {
        self.tag(kind);
        let full = self.full();
        self.push_lines(rt, full, 0.0, Align::Left, size, leading, before);
        self.keep_next = true;
    }

    /// The article's body, notes and attribution, and the warning about
    /// characters no font has.
    fn article(&mut self, a: &Article) {
        // The body, notes and attribution are set in one column's width
        // (images, tables and code scale or wrap to it).
        let page_measure = self.style.measure;
        self.style.measure = self.style.column_width();
        let full = self.full();
        self.blocks(a, &a.body, full);
        self.notes(a, &a.footnotes);
        self.attribution(a);
        self.style.measure = page_measure;
        let missing = self.shaper.missing();
        if !missing.is_empty() {
            let chars: String = missing
                .iter()
                .map(|c| format!("{c} (U+{:04X})", *c as u32))
                .collect::<Vec<_>>()
                .join(", ");
            self.sink.push(
                Diagnostic::warning(format!(
                    "no font has these characters of \u{201c}{}\u{201d}, so the PDF shows empty boxes and claims neither PDF/A nor PDF/UA: {chars}",
                    a.meta.title
                ))
                .at(&a.path)
                .hint(crate::fonts::missing_hint(missing, &self.fonts)),
            );
        }
    }
}

/// Whether two BCP 47 tags name the same language (`en-GB` and `en` do:
/// a screen reader needs a change of language, not of region).
fn same_language(a: &str, b: &str) -> bool {
    let primary = |t: &str| {
        t.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    primary(a) == primary(b)
}
