//! Front and back matter: the cover, the contents and the "Sources" page.
//!
//! They are laid out after the body, because they print its page numbers.
//! The body is numbered from 1 whatever comes before it (the front matter
//! has roman folios), so the contents can be set once with the final
//! numbers however many pages it takes itself.

use std::collections::HashMap;

use pressbook_model::model::{Article, Digest, ImageFormat, Section};

use super::flow::Strip;
use super::furniture::{label_style, Setter, Stack};
use super::inline::{Align, RichText, TextStyle};
use super::style::{CoverInk, CoverSizes, CoverSpacing, PageStyle, Rules};
use super::tags::{Kind, NodeId, Tags, Tree};
use super::units::{Point, Rgb};
use super::{BlockRole, LinkTarget, Page, PageItem, Placed};

/// Destination names of the matter this module makes.
pub const CONTENTS: &str = "contents";
pub const SOURCES: &str = "sources";

/// The logo's height on the cover at a 10.5 pt body, in points.
const LOGO_HEIGHT: f32 = 40.0;

/// The cover: publisher, title, subtitle, date and ISO week, then each
/// section with its lead headline (a link to it), and the editor and rights
/// at the foot; on the paper, in the page's colours.
pub fn cover(digest: &Digest, set: &mut Setter, style: &PageStyle, tree: &mut Tree) -> Page {
    cover_in(digest, set, style, &CoverInk::paper(style), tree)
}

/// The cover set in `ink`: its ground (if any) first, then a plate behind
/// the logo (if any), then everything [`cover`] sets, in the same places.
pub fn cover_in(
    digest: &Digest,
    set: &mut Setter,
    style: &PageStyle,
    ink: &CoverInk,
    tree: &mut Tree,
) -> Page {
    let mut page = Page {
        width: style.width,
        height: style.height,
        opening: true,
        destinations: vec![("cover".into(), 0.0)],
        ..Page::default()
    };
    if let Some(fill) = ink.ground {
        page.items.push(Placed::new(
            Point::new(0.0, 0.0),
            PageItem::FilledRect {
                w: style.width,
                h: style.height,
                fill,
            },
            BlockRole::Artifact,
        ));
    }
    let sect = tree.add(Kind::Sect, Tree::ROOT);
    let mut c = Cover {
        page,
        set,
        tree,
        sect,
        x: style.margin_left,
        measure: style.measure,
        scale: style.body_size / 10.5,
        sizes: style.sizes.cover.clone(),
        gaps: style.spacing.cover.clone(),
        rules: style.spacing.rules.clone(),
        ink: *ink,
        // A small screen gets a smaller logo: the masthead must leave room
        // for the issue's contents.
        logo_height: (LOGO_HEIGHT * style.body_size / 10.5).min(style.height * 0.06),
        y: style.margin_top,
    };
    c.logo(digest);
    c.masthead(digest);
    let bottom = style.height - style.margin_bottom;
    let limit = c.foot_limit(digest, bottom);
    c.in_this_issue(digest, bottom, limit);
    c.foot(digest, bottom);
    c.page
}

/// A text the cover sets: the text, its size, its leading, its role and
/// the space before it.
type Part = (RichText, f32, f32, BlockRole, f32);

/// The cover being set, top to bottom.
struct Cover<'s> {
    page: Page,
    set: &'s mut Setter,
    tree: &'s mut Tree,
    /// The cover's structure node.
    sect: NodeId,
    x: f32,
    measure: f32,
    /// Sizes scale with the body size of the page style.
    scale: f32,
    sizes: CoverSizes,
    gaps: CoverSpacing,
    rules: Rules,
    /// The colours: the house accent for the masthead rule and labels.
    ink: CoverInk,
    logo_height: f32,
    /// Where the next line's body starts.
    y: f32,
}

impl Cover<'_> {
    /// Sets `rt` ragged from `y`, each line `leading` below the last: a
    /// paragraph, or the heading when `role` is the title.
    fn text(&mut self, rt: RichText, size: f32, leading: f32, role: BlockRole) {
        let kind = if role == BlockRole::Title {
            Kind::H(1)
        } else {
            Kind::P
        };
        let node = self.tree.add(kind, self.sect);
        let tags = self.tree.text(node, &rt.text, rt.links);
        for line in self.set.lines(&rt, self.measure, Align::Left) {
            let baseline = self.y + 0.92 * size;
            line.place(
                self.x,
                baseline,
                role,
                tags,
                &mut self.page.items,
                &mut self.page.links,
            );
            self.y += leading;
        }
    }

    /// A rule across the measure at `y`.
    fn rule(&mut self, y: f32, thickness: f32, color: Rgb) {
        self.page.items.push(Placed::new(
            Point::new(self.x, y),
            PageItem::hline(self.measure, thickness, color),
            BlockRole::Artifact,
        ));
    }

    /// The logo at the head of the cover: a fixed height (scaled with the
    /// body), its aspect ratio kept, no wider than the measure. An SVG logo,
    /// which the PDF cannot draw, is left out (the layout warns).
    fn logo(&mut self, digest: &Digest) {
        let Some(id) = digest.house.logo else {
            return;
        };
        let asset = digest.asset(id);
        if asset.format == ImageFormat::Svg {
            return;
        }
        let aspect = asset.width.max(1) as f32 / asset.height.max(1) as f32;
        let mut h = self.logo_height;
        let mut w = h * aspect;
        if w > self.measure {
            (w, h) = (self.measure, self.measure / aspect);
        }
        if let Some(fill) = self.ink.plate {
            // A fifth of the logo's height all round, into the margin.
            let pad = h * 0.2;
            self.page.items.push(Placed::new(
                Point::new(self.x - pad, self.y - pad),
                PageItem::FilledRect {
                    w: w + 2.0 * pad,
                    h: h + 2.0 * pad,
                    fill,
                },
                BlockRole::Artifact,
            ));
        }
        self.page.items.push(Placed::new(
            Point::new(self.x, self.y),
            PageItem::Image { asset: id, w, h },
            BlockRole::Figure,
        ));
        self.y += h + self.gaps.subtitle_before * 3.0 * self.scale;
    }

    /// Publisher, title, subtitle, date and week, description, between
    /// rules.
    fn masthead(&mut self, digest: &Digest) {
        let meta = &digest.meta;
        let (scale, c, g) = (self.scale, self.sizes.clone(), self.gaps.clone());
        let para = BlockRole::Paragraph;
        if let Some(p) = &meta.publisher {
            let st = label_style(c.publisher.size * scale).color(self.ink.accent_text);
            let rt = RichText::styled(&p.to_uppercase(), st);
            self.text(rt, c.publisher.size, c.publisher.leading, para);
        }
        let masthead = self.ink.accent.unwrap_or(self.ink.text);
        self.rule(self.y, self.rules.masthead, masthead);
        self.y += g.after_masthead_rule * scale;
        let size = c.title * scale;
        let st = TextStyle::serif(size)
            .bold()
            .color(self.ink.text)
            .no_hyphens();
        let title = RichText::styled(&meta.title, st);
        self.text(title, size, size * 1.08, BlockRole::Title);
        if let Some(sub) = &meta.subtitle {
            self.y += g.subtitle_before;
            let size = c.subtitle * scale;
            let st = TextStyle::serif(size)
                .italic()
                .color(self.ink.muted)
                .no_hyphens();
            self.text(RichText::styled(sub, st), size, size * 1.3, para);
        }
        self.y += g.date_before * scale;
        let date = format!(
            "{}  \u{b7}  {}",
            meta.date.format("%A %-d %B %Y"),
            meta.week_label()
        );
        let (size, leading) = (c.date.size * scale, c.date.leading * scale);
        let st = TextStyle::sans(size).color(self.ink.muted).no_hyphens();
        self.text(RichText::styled(&date, st), size, leading, para);
        if let Some(d) = &meta.description {
            self.y += g.description_before * scale;
            let size = c.description * scale;
            let st = TextStyle::serif(size).color(self.ink.text);
            self.text(RichText::styled(d, st), size, size * 1.4, para);
        }
        self.y += g.before_rule * scale;
        self.rule(self.y, self.rules.hairline, self.ink.rule);
        self.y += g.after_rule * scale;
    }

    /// "In this issue": as many sections as fit above the foot (the bottom
    /// margin at `bottom`), each with its lead headline. A section is taken
    /// when it fits by its estimated room, and only if its lines, and the
    /// note on what else is inside when more follow, end above `limit`,
    /// where the foot begins (a narrow page wraps "Also:" into more lines
    /// than the estimate allows for).
    fn in_this_issue(&mut self, digest: &Digest, bottom: f32, limit: f32) {
        let (scale, c, g) = (self.scale, self.sizes.clone(), self.gaps.clone());
        let foot = bottom - g.foot_room * scale;
        // A small page's masthead may leave no room for any of it.
        let label_room = (c.in_this_issue.leading + c.more.leading) * scale;
        if self.y + label_room > foot || self.y + label_room > limit {
            return;
        }
        let st = label_style(c.in_this_issue.size * scale).color(self.ink.accent_text);
        let label = RichText::styled("IN THIS ISSUE", st);
        let leading = c.in_this_issue.leading * scale;
        self.text(label, c.in_this_issue.size, leading, BlockRole::Label);
        let sections: Vec<_> = digest
            .sections
            .iter()
            .filter(|s| !s.articles.is_empty())
            .collect();
        for (k, section) in sections.iter().enumerate() {
            let lead = &section.articles[0];
            let head = c.lead * scale;
            let head_lines = self
                .set
                .lines(
                    &RichText::styled(&lead.meta.title, TextStyle::serif(head).bold()),
                    self.measure,
                    Align::Left,
                )
                .len();
            let need =
                g.section_room + head_lines as f32 * head * 1.2 + g.section_room_scaled * scale;
            let parts = self.section_parts(section, head);
            let note_room = if k + 1 < sections.len() {
                c.more.leading
            } else {
                0.0
            };
            let end = self.y + g.section_before * scale + self.height(&parts) + note_room;
            if self.y + need > foot || end > limit {
                self.more(sections.len() - k, k == 0);
                break;
            }
            self.y += g.section_before * scale;
            for (rt, size, leading, role, gap) in parts {
                self.y += gap;
                self.text(rt, size, leading, role);
            }
            self.y += g.section_after * scale;
        }
    }

    /// The note that `more` sections are inside (`all`: and none is shown).
    fn more(&mut self, more: usize, all: bool) {
        let c = self.sizes.clone();
        let st = TextStyle::serif(c.more.size * self.scale)
            .italic()
            .color(self.ink.muted);
        let plural = if more == 1 { "" } else { "s" };
        let note = if all {
            format!("{more} section{plural} inside")
        } else {
            format!("and {more} more section{plural} inside")
        };
        self.text(
            RichText::styled(&note, st),
            c.more.size,
            c.more.leading,
            BlockRole::Paragraph,
        );
    }

    /// What a section on the cover sets, in order: its name and size, its
    /// lead headline (a link) and up to three more titles, each as the text,
    /// its size, its leading, its role and the space before it.
    fn section_parts(&self, section: &Section, head: f32) -> Vec<Part> {
        let (scale, c) = (self.scale, self.sizes.clone());
        let para = BlockRole::Paragraph;
        let lead = &section.articles[0];
        let n = section.articles.len();
        let mut parts = Vec::new();
        if let Some(title) = &section.title {
            let count = format!("   {n} article{}", if n == 1 { "" } else { "s" });
            let mut rt = RichText::new();
            rt.push(
                &title.to_uppercase(),
                label_style(c.section.size * scale).color(self.ink.text),
                None,
                0.0,
                false,
            );
            let grey = TextStyle::sans(c.section.size * scale).color(self.ink.muted);
            rt.push(&count, grey, None, 0.0, false);
            rt.finish();
            let leading = c.section.leading * scale;
            parts.push((rt, c.section.size, leading, BlockRole::Label, 0.0));
        }
        let link = LinkTarget::Internal(lead.id.clone());
        let mut rt = RichText::new();
        let st = TextStyle::serif(head)
            .bold()
            .color(self.ink.text)
            .no_hyphens();
        rt.push(&lead.meta.title, st, Some(&link), 0.0, false);
        rt.finish();
        parts.push((rt, head, head * 1.2, para, 0.0));
        let also: Vec<&str> = section.articles[1..]
            .iter()
            .map(|a| a.meta.title.as_str())
            .take(3)
            .collect();
        if !also.is_empty() {
            let st = TextStyle::serif(c.also.size * scale)
                .color(self.ink.muted)
                .no_hyphens();
            let mut s = format!("Also: {}", also.join(" \u{b7} "));
            if n > 4 {
                s.push_str(&format!(" \u{b7} and {} more", n - 4));
            }
            let leading = c.also.leading * scale;
            let rt = RichText::styled(&s, st);
            parts.push((rt, c.also.size, leading, para, self.gaps.also_before));
        }
        parts
    }

    /// The height `parts` take when set.
    fn height(&mut self, parts: &[Part]) -> f32 {
        parts
            .iter()
            .map(|(rt, _, leading, _, gap)| {
                gap + self.set.lines(rt, self.measure, Align::Left).len() as f32 * leading
            })
            .sum()
    }

    /// The foot's lines: the editor and the rights.
    fn foot_texts(&self, digest: &Digest) -> Vec<RichText> {
        let meta = &digest.meta;
        let (scale, c) = (self.scale, &self.sizes);
        let mut foot_lines = Vec::new();
        if let Some(e) = meta.editor_line() {
            foot_lines.push(RichText::styled(
                &e,
                TextStyle::sans(c.editor * scale)
                    .bold()
                    .color(self.ink.muted),
            ));
        }
        if let Some(r) = &meta.rights {
            foot_lines.push(RichText::styled(
                r,
                TextStyle::sans(c.rights * scale).color(self.ink.muted),
            ));
        }
        foot_lines
    }

    /// Where the foot's rule will be, for a foot set upwards from `bottom`:
    /// what is above it ends a rule gap higher.
    fn foot_limit(&mut self, digest: &Digest, bottom: f32) -> f32 {
        let lines: usize = self
            .foot_texts(digest)
            .iter()
            .map(|rt| self.set.lines(rt, self.measure, Align::Left).len())
            .sum();
        let leading = self.sizes.foot_leading * self.scale;
        bottom - lines as f32 * leading - 2.0 * self.gaps.foot_rule_gap
    }

    /// The foot: editor and rights, set upwards from the bottom margin at
    /// `bottom`.
    fn foot(&mut self, digest: &Digest, bottom: f32) {
        let (scale, c) = (self.scale, self.sizes.clone());
        let mut set_foot = Vec::new();
        for rt in &self.foot_texts(digest) {
            let node = self.tree.add(Kind::P, self.sect);
            for line in self.set.lines(rt, self.measure, Align::Left) {
                set_foot.push((line, node));
            }
        }
        let leading = c.foot_leading * scale;
        let mut y = bottom - set_foot.len() as f32 * leading;
        let g = self.gaps.clone();
        self.rule(y - g.foot_rule_gap, self.rules.hairline, self.ink.rule);
        let page = &mut self.page;
        for (line, node) in set_foot {
            let role = BlockRole::Paragraph;
            line.place(
                self.x,
                y + g.foot_baseline * scale,
                role,
                Tags::of(node),
                &mut page.items,
                &mut page.links,
            );
            y += leading;
        }
    }
}

/// Where articles start, as 0-based page indexes into the body.
pub type Starts = HashMap<String, usize>;

/// The contents: a heading, then each section's articles with source, dot
/// leaders and page number; every entry links to its article.
pub fn contents(
    digest: &Digest,
    starts: &Starts,
    sources_page: Option<usize>,
    set: &mut Setter,
    style: &PageStyle,
    tree: &mut Tree,
) -> Vec<Strip> {
    let (mut elems, sect) = heading(&digest.meta.title, "Contents", CONTENTS, set, style, tree);
    let toc = tree.add(Kind::Toc, sect);
    let sp = &style.spacing.contents;
    let mut keep = true;
    for section in &digest.sections {
        if let Some(title) = &section.title {
            let mut s = Stack::new(style.leading * sp.section_before_lines);
            let item = tree.add(Kind::Toci, toc);
            add_label(&mut s, title, set, style, tree.add(Kind::P, item));
            s.elem.height += sp.section_after;
            s.elem.break_before = !keep;
            elems.push(s.elem);
            keep = true;
        }
        for a in &section.articles {
            let number = starts.get(&a.id).map(|p| (p + 1).to_string());
            let item = tree.add(Kind::Toci, toc);
            let link = tree.add(Kind::Link, item);
            let mut e = entry(a, number.as_deref(), true, set, style, link).elem;
            entry_text(tree, link, a, number.as_deref());
            e.break_before = !keep;
            keep = false;
            elems.push(e);
        }
    }
    if let Some(p) = sources_page {
        let mut s = Stack::new(style.leading * sp.section_before_lines);
        let st = TextStyle::serif(style.body_size).italic();
        let title = set.lines(
            &RichText::styled("Sources", st),
            style.measure - sp.number_column,
            Align::Left,
        );
        let item = tree.add(Kind::Toci, toc);
        let link = tree.add(Kind::Link, item);
        leaders_and_number(
            &mut s,
            title,
            &(p + 1).to_string(),
            style.body_size,
            set,
            style,
            link,
        );
        s.link_all(LinkTarget::Internal(SOURCES.into()), style.measure, link);
        // Never alone on the last page of the contents (small pages).
        s.elem.break_before = false;
        elems.push(s.elem);
    }
    elems
}

/// The "Sources" page: every article's attribution, in reading order.
pub fn sources(
    digest: &Digest,
    starts: &Starts,
    set: &mut Setter,
    style: &PageStyle,
    tree: &mut Tree,
) -> Vec<Strip> {
    let (mut elems, sect) = heading(&digest.meta.title, "Sources", SOURCES, set, style, tree);
    let detail = style.sizes.entry_detail;
    let st = TextStyle::sans(detail.size).color(Rgb::GREY);
    let para = BlockRole::Paragraph;
    let measure = style.measure - style.spacing.contents.number_column;
    for (k, a) in digest.articles().enumerate() {
        let number = starts.get(&a.id).map(|p| (p + 1).to_string());
        // Each entry is a paragraph: the article's line (a link to it),
        // then its address (a link) and rights.
        let p = tree.add(Kind::P, sect);
        let link = tree.add(Kind::Link, p);
        let mut s = entry(a, number.as_deref(), false, set, style, link);
        entry_text(tree, link, a, number.as_deref());
        if let Some(url) = &a.meta.url {
            let link = LinkTarget::Url(url.clone());
            let mut rt = RichText::new();
            rt.push(url, st.color(style.accent_text), Some(&link), 0.0, false);
            rt.finish();
            let tags = tree.with_links(p, rt.links);
            s.add(
                set.lines(&rt, measure, Align::Left),
                para,
                tags,
                0.0,
                detail.size,
                detail.leading,
                0.0,
            );
        }
        if let Some(r) = &a.meta.rights {
            s.add(
                set.lines(&RichText::styled(r, st), measure, Align::Left),
                para,
                Tags::of(p),
                0.0,
                detail.size,
                detail.leading,
                0.0,
            );
        }
        s.elem.space_before = style.leading * style.spacing.contents.source_before_lines;
        // The first entry keeps with the heading.
        s.elem.break_before = k > 0;
        elems.push(s.elem);
    }
    for e in &mut elems {
        e.article = Some(SOURCES.into());
    }
    elems
}

/// The opening of a front or back matter page: a label with the digest's
/// title, a headline, a hairline. Starts a page, carries a destination and
/// an outline entry. Its texts go into a new `Sect` of the document, which
/// is returned for the rest of the page.
fn heading(
    digest_title: &str,
    title: &str,
    dest: &str,
    set: &mut Setter,
    style: &PageStyle,
    tree: &mut Tree,
) -> (Vec<Strip>, NodeId) {
    let sect = tree.add(Kind::Sect, Tree::ROOT);
    let mut s = Stack::new(0.0);
    add_label(&mut s, digest_title, set, style, tree.add(Kind::P, sect));
    let size = style.body_size * style.sizes.headline_em;
    let st = TextStyle::serif(size).bold().no_hyphens();
    let lines = set.lines(&RichText::styled(title, st), style.measure, Align::Left);
    let leading = size * style.sizes.headline_leading;
    let sp = &style.spacing.contents;
    s.add(
        lines,
        BlockRole::Title,
        Tags::of(tree.add(Kind::H(1), sect)),
        0.0,
        size,
        leading,
        sp.headline_before,
    );
    s.elem.height += sp.headline_after;
    s.elem.items.push(Placed::new(
        Point::new(0.0, s.elem.height + style.leading * sp.rule_at_lines),
        PageItem::hline(style.measure, style.spacing.rules.hairline, Rgb::RULE),
        BlockRole::Artifact,
    ));
    s.elem.height += style.leading * sp.rule_height_lines;
    let mut e = s.elem;
    e.new_page = true;
    e.opening = true;
    e.dests = vec![dest.to_string()];
    e.outline = vec![(0, title.to_string(), Some(dest.to_string()))];
    (vec![e], sect)
}

/// One article's entry: its headline (with dot leaders when `leaders`)
/// and page number, then source, author and date in small grey type. The
/// whole entry links to the article: its text is the `Link` `link`.
fn entry(
    a: &Article,
    number: Option<&str>,
    leaders: bool,
    set: &mut Setter,
    style: &PageStyle,
    link: NodeId,
) -> Stack {
    let tags = Tags::of(link);
    let sp = &style.spacing.contents;
    let mut s = Stack::new(style.leading * sp.entry_before_lines);
    let size = style.body_size;
    let st = if leaders {
        TextStyle::serif(size).no_hyphens()
    } else {
        TextStyle::serif(size * 0.95).bold().no_hyphens()
    };
    let title = set.lines(
        &RichText::styled(&a.meta.title, st),
        style.measure - sp.number_column,
        Align::Left,
    );
    let number = number.unwrap_or("");
    if leaders {
        leaders_and_number(&mut s, title, number, size, set, style, link);
    } else {
        let st = TextStyle::serif(size * 0.95);
        let number = set.line(number, st, style.measure, Align::Right);
        s.title_and_number(title, number, size, tags);
    }
    let parts = details(a);
    if !parts.is_empty() {
        let detail = style.sizes.entry_detail;
        let st = TextStyle::sans(detail.size).color(Rgb::GREY);
        let lines = set.lines(
            &RichText::styled(&parts.join("  \u{b7}  "), st),
            style.measure - sp.number_column,
            Align::Left,
        );
        s.add(
            lines,
            BlockRole::Paragraph,
            tags,
            0.0,
            detail.size,
            detail.leading,
            sp.detail_before,
        );
    }
    s.link_all(LinkTarget::Internal(a.id.clone()), style.measure, link);
    s
}

/// An entry's small grey line: source, author, date.
fn details(a: &Article) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(src) = &a.meta.source {
        parts.push(src.clone());
    }
    if let Some(au) = &a.meta.author {
        parts.push(au.clone());
    }
    if let Some(d) = a.meta.date {
        parts.push(super::inline::isolate(&d.to_string()));
    }
    parts
}

/// What an entry's `Link` says, in reading order (for right-to-left
/// titles, whose glyphs are stored in visual order).
fn entry_text(tree: &mut Tree, link: NodeId, a: &Article, number: Option<&str>) {
    let mut text = a.meta.title.clone();
    for part in number.into_iter().map(str::to_string).chain(details(a)) {
        text.push(' ');
        text.push_str(&part);
    }
    tree.set_text(link, &text);
}

/// Adds `title`'s lines, then dot leaders from the end of its last line to
/// the page number, set flush right on that line; the title and number are
/// part of `node`, the leaders are not.
#[allow(clippy::too_many_arguments)]
fn leaders_and_number(
    s: &mut Stack,
    title: Vec<super::inline::Line>,
    number: &str,
    size: f32,
    set: &mut Setter,
    style: &PageStyle,
    node: NodeId,
) {
    let last_width = title.last().map_or(0.0, |l| l.width);
    let st = TextStyle::serif(size);
    let num_w = set.width(number, st);
    let line = set.line(number, st, style.measure, Align::Right);
    let baseline = s.title_and_number(title, line, size, Tags::of(node));

    let dot = set.line(".", st.color(Rgb::GREY), 100.0, Align::Left);
    let Some((_, PageItem::Text(proto), _)) = dot.items.first() else {
        return;
    };
    let Some(glyph) = proto.glyphs.first().copied() else {
        return;
    };
    let (pitch, gap) = (
        style.spacing.contents.leader_pitch,
        style.spacing.contents.leader_gap,
    );
    let from = last_width + gap;
    let to = style.measure - num_w - pitch;
    let first = (from / pitch).ceil() * pitch;
    let mut run = proto.clone();
    run.glyphs.clear();
    run.text.clear();
    let mut x = first;
    while x + glyph.advance <= to {
        run.push(glyph.gid, x - first, glyph.advance, ".");
        x += pitch;
    }
    if !run.glyphs.is_empty() {
        s.elem.items.push(Placed::new(
            Point::new(first, baseline),
            PageItem::Text(run),
            BlockRole::Artifact,
        ));
    }
}

/// A small capitals label in the accent (a section name, the digest's
/// title), as `node`.
fn add_label(s: &mut Stack, text: &str, set: &mut Setter, style: &PageStyle, node: NodeId) {
    let k = style.sizes.kicker;
    let st = label_style(k.size).color(style.accent_text);
    let lines = set.lines(
        &RichText::styled(&text.to_uppercase(), st),
        style.measure,
        Align::Left,
    );
    s.add(
        lines,
        BlockRole::Label,
        Tags::of(node),
        0.0,
        k.size,
        k.leading,
        0.0,
    );
}
