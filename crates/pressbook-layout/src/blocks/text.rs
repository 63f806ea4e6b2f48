//! Headings, paragraphs, and inline content → styled text.

use pressbook_model::model::{Article, ImageSrc, Inline, Target};

use super::super::inline::Family;
use super::super::LinkTarget;
use super::{Align, Band, BlockRole, FlowBuilder, Kind, RichText, TextStyle};

impl FlowBuilder<'_> {
    /// A heading: kept with what follows, with its destination and outline
    /// entry.
    pub(super) fn heading(
        &mut self,
        a: &Article,
        level: u8,
        id: &str,
        content: &[Inline],
        band: Band,
    ) {
        let body = self.body();
        let leading = self.style.leading;
        let (h1, h2) = (self.style.sizes.heading1, self.style.sizes.heading2);
        let sp = &self.style.spacing;
        let (st, lead, before) = match level {
            1 => (
                TextStyle::sans(h1.size).bold(),
                h1.leading,
                leading * sp.heading1_before_lines,
            ),
            2 => (
                TextStyle::sans(h2.size).bold(),
                h2.leading,
                leading * sp.heading2_before_lines,
            ),
            _ => (
                body.bold().italic(),
                leading,
                leading * sp.heading_before_lines,
            ),
        };
        let rt = self.rich(a, content, st.no_hyphens());
        self.role = BlockRole::Heading(level);
        let h = self.headings.next(level);
        self.tag(Kind::H(h));
        let first = self.push_lines(&rt, band, 0.0, Align::Left, st.size, lead, before);
        if let Some(e) = self.elems.get_mut(first) {
            let dest = format!("{}/{}", a.id, id);
            e.dests.push(dest.clone());
            e.outline
                .push((self.outline_level + level, inline_text(content), Some(dest)));
        }
        self.after_space(self.style.spacing.heading_after);
        self.keep_next = true;
        self.after_para = false;
    }

    /// A body paragraph: indented when it follows another, else set after
    /// a space.
    pub(super) fn paragraph(&mut self, a: &Article, content: &[Inline], band: Band) {
        let body = self.body();
        let rt = self.rich(a, content, body);
        if rt.is_empty() {
            return;
        }
        let (indent, before) = if self.after_para {
            (self.style.indent, 0.0)
        } else {
            (0.0, self.space())
        };
        let leading = self.style.leading;
        self.role = self.para_role;
        self.tag(Kind::P);
        self.push_lines(
            &rt,
            band,
            indent,
            Align::Justify,
            body.size,
            leading,
            before,
        );
        self.after_para = true;
    }

    /// Inline content → styled text.
    pub(super) fn rich(&self, a: &Article, inlines: &[Inline], style: TextStyle) -> RichText {
        let mut rt = RichText::new();
        self.inlines(a, inlines, style, None, false, &mut rt);
        rt.finish();
        rt
    }

    fn inlines(
        &self,
        a: &Article,
        inlines: &[Inline],
        st: TextStyle,
        link: Option<&LinkTarget>,
        strike: bool,
        rt: &mut RichText,
    ) {
        for i in inlines {
            match i {
                Inline::Text(t) => rt.push(t, st, link, 0.0, strike),
                Inline::Emph(c) => {
                    let mut s = st;
                    s.italic = !st.italic;
                    self.inlines(a, c, s, link, strike, rt)
                }
                Inline::Strong(c) => self.inlines(a, c, st.bold(), link, strike, rt),
                Inline::Strike(c) => self.inlines(a, c, st, link, true, rt),
                Inline::Code(t) => {
                    let code = TextStyle {
                        family: Family::Mono,
                        hyphenate: false,
                        size: st.size * self.style.sizes.inline_code_em,
                        ..st
                    };
                    rt.push(t, code, link, 0.0, strike);
                }
                Inline::Link { url, content, .. } => {
                    let target = self.link_target(a, url);
                    self.inlines(a, content, st, target.as_ref().or(link), strike, rt);
                }
                Inline::Image { src, alt, .. } => {
                    let label = format!("[Image: {}]", if alt.is_empty() { "" } else { alt });
                    let target = match src {
                        ImageSrc::Remote(u) => Some(LinkTarget::Url(u.clone())),
                        ImageSrc::Asset(_) => None,
                    };
                    rt.push(&label, st.italic(), target.as_ref().or(link), 0.0, strike);
                }
                Inline::NoteRef { number } => {
                    let sup = TextStyle {
                        size: st.size * self.style.sizes.superscript_em,
                        family: Family::Serif,
                        bold: false,
                        italic: false,
                        hyphenate: false,
                        ..st
                    };
                    let target = LinkTarget::Internal(format!("{}/fn{number}", a.id));
                    rt.push(
                        &number.to_string(),
                        sup,
                        Some(&target),
                        st.size * self.style.sizes.superscript_rise_em,
                        false,
                    );
                }
                Inline::LineBreak => rt.line_break(),
            }
        }
    }

    pub(super) fn link_target(&self, a: &Article, url: &str) -> Option<LinkTarget> {
        match self.digest.resolve(a, url) {
            Target::Url(u) => Some(LinkTarget::Url(u)),
            Target::Article { id, fragment } => Some(LinkTarget::Internal(match fragment {
                Some(f) => format!("{id}/{f}"),
                None => id,
            })),
            Target::Outside => None,
        }
    }
}

/// The text of `inlines` alone, white space collapsed (outline titles).
fn inline_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    pressbook_model::model::visit_inline_text(inlines, &mut |t| s.push_str(t));
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
