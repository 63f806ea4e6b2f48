//! Page furniture: running heads and folios, and a small typesetter for the
//! one-off lines that furniture, cover, contents and sources are made of.

use std::collections::HashMap;
use std::sync::Arc;

use super::flow::Strip;
use super::fonts::FontSet;
use super::inline::shape::Shaper;
use super::inline::{self, Align, Line, ParaOpts, RichText, TextStyle};
use super::style::PageStyle;
use super::tags::{NodeId, Tags, UNTAGGED};
use super::units::{Point, Rgb};
use super::{BlockRole, LinkArea, LinkTarget, Page, PageItem, Placed};

/// Sets short texts outside the article flow. Characters no font has were
/// already reported for the article they come from, so they are not
/// reported again here.
pub struct Setter {
    fonts: Arc<FontSet>,
    shaper: Shaper,
}

impl Setter {
    pub fn new(fonts: &Arc<FontSet>) -> Self {
        Setter {
            fonts: fonts.clone(),
            shaper: Shaper::new(),
        }
    }

    /// `rt` set ragged, centred or flush right in `measure`; each line's
    /// items are relative to the start of its baseline.
    pub fn lines(&mut self, rt: &RichText, measure: f32, align: Align) -> Vec<Line> {
        let opts = ParaOpts::bare(measure, align);
        let lines = inline::set(rt, &self.fonts, &mut self.shaper, &opts);
        self.shaper.clear_missing();
        lines
    }

    /// One line of plain text (a folio, a page number).
    pub fn line(&mut self, text: &str, style: TextStyle, measure: f32, align: Align) -> Line {
        let rt = RichText::styled(text, style.no_hyphens());
        self.lines(&rt, measure, align)
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    /// Natural width of `text` on one line.
    pub fn width(&mut self, text: &str, style: TextStyle) -> f32 {
        self.line(text, style, 1.0e5, Align::Left).width
    }
}

/// An unbreakable strip built from lines stacked top to bottom.
pub struct Stack {
    pub elem: Strip,
}

impl Stack {
    pub fn new(space_before: f32) -> Self {
        Stack {
            elem: Strip {
                space_before,
                break_before: true,
                ..Strip::default()
            },
        }
    }

    /// Adds `lines` (as `role`, part of `tags`) at `x`, each `leading`
    /// tall, after `gap` of space. Returns the y of the last baseline.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        lines: Vec<Line>,
        role: BlockRole,
        tags: Tags,
        x: f32,
        size: f32,
        leading: f32,
        gap: f32,
    ) -> f32 {
        let e = &mut self.elem;
        e.height += gap;
        let mut baseline = e.height;
        for line in lines {
            baseline = e.height + inline::baseline_in(leading, size);
            line.place(x, baseline, role, tags, &mut e.items, &mut e.links);
            e.height += leading;
        }
        baseline
    }

    /// Adds an entry's `title` (type of `size`) and its page `number` (a
    /// line set flush right), on the title's last baseline, both part of
    /// `tags`. Returns that baseline.
    pub fn title_and_number(
        &mut self,
        title: Vec<Line>,
        number: Line,
        size: f32,
        tags: Tags,
    ) -> f32 {
        let role = BlockRole::Paragraph;
        let baseline = self.add(title, role, tags, 0.0, size, size * 1.3, 0.0);
        let e = &mut self.elem;
        number.place(0.0, baseline, role, tags, &mut e.items, &mut e.links);
        baseline
    }

    /// Makes the whole strip, `w` wide, one link (of the `Link` `node`).
    pub fn link_all(&mut self, target: LinkTarget, w: f32, node: NodeId) {
        let h = self.elem.height;
        self.elem.links.push(LinkArea {
            x: 0.0,
            y: 0.0,
            w,
            h,
            target,
            node,
        });
    }
}

/// The small capitals-like label used above headlines and in heads.
pub fn label_style(size: f32) -> TextStyle {
    TextStyle::sans(size).bold().tracking(0.07)
}

/// Folios on every page but the cover (roman numerals in the front matter,
/// arabic from 1 in the body) and running heads on body pages that do not
/// open an article: the digest title on the left, the running article's
/// title on the right.
pub fn decorate(
    pages: &mut [Page],
    front: usize,
    digest_title: &str,
    titles: &HashMap<String, String>,
    set: &mut Setter,
    style: &PageStyle,
) {
    let sz = &style.sizes;
    let folio = TextStyle::serif(sz.folio).color(Rgb::GREY);
    let head_label = label_style(sz.running_label).color(Rgb::GREY);
    let head_title = TextStyle::serif(sz.running_title).italic().color(Rgb::GREY);
    let label = digest_title.to_uppercase();
    let label_w = set.width(&label, head_label);
    let baseline = style.margin_top - style.leading * 2.0;
    for (i, page) in pages.iter_mut().enumerate().skip(1) {
        let number = if i < front {
            roman(i + 1)
        } else {
            (i - front + 1).to_string()
        };
        let line = set.line(&number, folio, style.measure, Align::Center);
        let y = style.height - style.margin_bottom * 0.5;
        pagination(line, style.margin_left, y, page);

        if i < front || page.opening || !style.running_heads {
            continue;
        }
        let Some(title) = page.article.as_ref().and_then(|id| titles.get(id)) else {
            continue;
        };
        let x = style.margin_left;
        let line = set.line(&label, head_label, style.measure, Align::Left);
        pagination(line, x, baseline, page);
        let room = style.measure - label_w - 18.0;
        let title = fit(set, title, head_title, room);
        let line = set.line(&title, head_title, style.measure, Align::Right);
        pagination(line, x, baseline, page);
        page.items.push(Placed::new(
            Point::new(x, baseline + style.leading * 0.6),
            PageItem::hline(style.measure, 0.4, Rgb::RULE),
            BlockRole::Pagination,
        ));
    }
}

/// Places a line of furniture (a folio, a running head) on `page`: a
/// pagination artifact, which no screen reader reads.
fn pagination(line: Line, x: f32, baseline: f32, page: &mut Page) {
    line.place(
        x,
        baseline,
        BlockRole::Pagination,
        Tags::of(UNTAGGED),
        &mut page.items,
        &mut page.links,
    );
}

/// `text` cut at a word and ended with an ellipsis so that it fits `room`.
fn fit(set: &mut Setter, text: &str, style: TextStyle, room: f32) -> String {
    if set.width(text, style) <= room {
        return text.to_string();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for n in (1..words.len()).rev() {
        let cut = format!("{}\u{2026}", words[..n].join(" "));
        if set.width(&cut, style) <= room {
            return cut;
        }
    }
    "\u{2026}".to_string()
}

/// Lower-case roman numerals, as front matter is numbered.
pub fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            s.push_str(digits);
            n -= value;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        let got: Vec<String> = [1, 2, 4, 9, 14, 40, 90, 1994].map(roman).to_vec();
        assert_eq!(got, ["i", "ii", "iv", "ix", "xiv", "xl", "xc", "mcmxciv"]);
    }
}
