//! Inline content → lines of positioned glyphs.
//!
//! A paragraph is flattened into one string with styled spans, shaped once,
//! turned into Knuth–Plass items at its break opportunities, broken, and set:
//! justified (glue stretched or shrunk), ragged or centred.

use std::ops::Range;

use super::fonts::{FaceId, FontSet, Role};
use super::hyphen::{self, BreakKind};
use super::linebreak::{self, Item as KpItem, Kind, Params, INF};
use super::shape::{Glyph, Shaper};
use super::units::{Point, Rgb};
use super::{Item, LinkArea, LinkTarget, PlacedGlyph, TextRun};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Serif,
    Sans,
    Mono,
}

/// How a piece of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub family: Family,
    pub bold: bool,
    pub italic: bool,
    pub size: f32,
    pub color: Rgb,
    /// Extra space after each glyph, in em (letter-spacing for caps).
    pub tracking: f32,
    pub hyphenate: bool,
}

impl TextStyle {
    pub fn serif(size: f32) -> Self {
        TextStyle {
            family: Family::Serif,
            bold: false,
            italic: false,
            size,
            color: Rgb::INK,
            tracking: 0.0,
            hyphenate: true,
        }
    }

    pub fn sans(size: f32) -> Self {
        TextStyle {
            family: Family::Sans,
            hyphenate: false,
            ..TextStyle::serif(size)
        }
    }

    pub fn face(&self) -> FaceId {
        match (self.family, self.bold, self.italic) {
            (Family::Serif, false, false) => Role::Regular,
            (Family::Serif, false, true) => Role::Italic,
            (Family::Serif, true, false) => Role::Bold,
            (Family::Serif, true, true) => Role::BoldItalic,
            (Family::Sans, false, _) => Role::Sans,
            (Family::Sans, true, _) => Role::SansBold,
            (Family::Mono, _, _) => Role::Mono,
        }
        .id()
    }

    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
    pub fn color(mut self, c: Rgb) -> Self {
        self.color = c;
        self
    }
    pub fn tracking(mut self, t: f32) -> Self {
        self.tracking = t;
        self
    }
    pub fn no_hyphens(mut self) -> Self {
        self.hyphenate = false;
        self
    }
}

/// A styled range of a [`RichText`].
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub range: Range<usize>,
    pub style: TextStyle,
    /// Raised by this much (superscripts), in points.
    pub rise: f32,
    pub link: Option<LinkTarget>,
    pub strike: bool,
}

/// A paragraph's text with its styles.
#[derive(Debug, Clone, Default)]
pub struct RichText {
    pub text: String,
    pub spans: Vec<Span>,
    /// Byte offsets of explicit line breaks.
    pub forced: Vec<usize>,
}

impl RichText {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn plain(text: &str, style: TextStyle) -> Self {
        let mut r = RichText::new();
        r.push(text, style, None, 0.0, false);
        r.finish();
        r
    }

    /// Appends `s`, collapsing white space as HTML does.
    pub fn push(
        &mut self,
        s: &str,
        style: TextStyle,
        link: Option<&LinkTarget>,
        rise: f32,
        strike: bool,
    ) {
        let start = self.text.len();
        for c in s.chars() {
            if c.is_whitespace() && c != '\u{A0}' && c != '\u{202F}' {
                let at_start = self.text.is_empty() || self.forced.last() == Some(&self.text.len());
                if !at_start && !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
            } else if c != '\u{AD}' && !c.is_control() {
                self.text.push(c);
            }
        }
        if self.text.len() > start {
            self.spans.push(Span {
                range: start..self.text.len(),
                style,
                rise,
                link: link.cloned(),
                strike,
            });
        }
    }

    /// Appends text taken verbatim (code): spaces are kept.
    pub fn push_verbatim(&mut self, s: &str, style: TextStyle, link: Option<&LinkTarget>) {
        let start = self.text.len();
        for c in s.chars() {
            if c == '\n' || c == '\t' {
                self.text.push(' ');
            } else if !c.is_control() {
                self.text.push(c);
            }
        }
        if self.text.len() > start {
            self.spans.push(Span {
                range: start..self.text.len(),
                style,
                rise: 0.0,
                link: link.cloned(),
                strike: false,
            });
        }
    }

    pub fn line_break(&mut self) {
        self.trim_end();
        self.forced.push(self.text.len());
    }

    fn trim_end(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
            let n = self.text.len();
            if let Some(last) = self.spans.last_mut() {
                last.range.end = last.range.end.min(n);
                if last.range.is_empty() {
                    self.spans.pop();
                }
            }
        }
    }

    /// Drops trailing white space; call once all text is in.
    pub fn finish(&mut self) {
        self.trim_end();
        let n = self.text.len();
        self.forced.retain(|&f| f < n && f > 0);
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
    Right,
}

/// How to set a paragraph.
#[derive(Debug, Clone, Copy)]
pub struct ParaOpts {
    pub measure: f32,
    pub indent: f32,
    pub align: Align,
    pub lang: Option<hypher::Lang>,
}

impl ParaOpts {
    /// No indent and no hyphenation: labels, numbers, cells of code.
    pub fn plain(measure: f32, align: Align) -> Self {
        ParaOpts {
            measure,
            indent: 0.0,
            align,
            lang: None,
        }
    }
}

/// One set line: items relative to the start of its baseline.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub items: Vec<(Point, Item)>,
    pub links: Vec<LinkArea>,
    pub width: f32,
}

/// Where the baseline of `size`-point type sits in a strip `leading`
/// tall: the type's body (1.25 em) centred, the baseline 0.92 em down it.
pub fn baseline_in(leading: f32, size: f32) -> f32 {
    (leading - 1.25 * size) / 2.0 + 0.92 * size
}

impl Line {
    /// Moves the line's items and link areas into `items` and `links`, its
    /// baseline starting at `(x, baseline)`.
    pub fn place(
        self,
        x: f32,
        baseline: f32,
        items: &mut Vec<(Point, Item)>,
        links: &mut Vec<LinkArea>,
    ) {
        items.extend(
            self.items
                .into_iter()
                .map(|(p, it)| (p.offset(x, baseline), it)),
        );
        links.extend(self.links.into_iter().map(|l| LinkArea {
            x: l.x + x,
            y: l.y + baseline,
            ..l
        }));
    }
}

/// Sets `rt` into lines. Characters no face covers are added to `missing`.
pub fn set(
    rt: &RichText,
    fonts: &FontSet,
    shaper: &mut Shaper,
    opts: &ParaOpts,
    missing: &mut Vec<char>,
) -> Vec<Line> {
    if rt.text.is_empty() {
        return Vec::new();
    }
    // 1. Shape every span once.
    let mut glyphs: Vec<Glyph> = Vec::with_capacity(rt.text.len());
    for (k, span) in rt.spans.iter().enumerate() {
        let start = glyphs.len();
        shaper.shape(
            fonts,
            span.style.face(),
            span.style.size,
            k as u16,
            &rt.text[span.range.clone()],
            span.range.start,
            &mut glyphs,
            missing,
        );
        if span.style.tracking != 0.0 {
            let extra = span.style.tracking * span.style.size;
            for g in &mut glyphs[start..] {
                g.advance += extra;
            }
        }
    }
    // 2. Where each byte's cluster starts in the glyph list.
    let mut first_glyph = vec![u32::MAX; rt.text.len() + 1];
    for (i, g) in glyphs.iter().enumerate() {
        let c = g.cluster as usize;
        if first_glyph[c] == u32::MAX {
            first_glyph[c] = i as u32;
        }
    }
    let span_at = |at: usize| -> &Span {
        let k = rt.spans.partition_point(|s| s.range.end <= at);
        &rt.spans[k.min(rt.spans.len() - 1)]
    };
    let ragged = opts.align != Align::Justify;
    let mut ops = hyphen::opportunities(&rt.text, opts.lang, &|at| span_at(at).style.hyphenate);
    // The last word is never hyphenated: a fragment alone on the last line
    // reads badly.
    if let Some(last_space) = rt.text.rfind(' ') {
        ops.retain(|&(at, k)| k != BreakKind::Hyphen || at < last_space);
    }

    // 3. Items.
    let mut b = ItemBuilder::default();
    if opts.indent > 0.0 {
        b.push(KpItem::boxed(opts.indent), 0..0, None);
    }
    let mut op_i = 0;
    let mut forced_i = 0;
    let mut box_start = 0usize;
    let mut box_w = 0.0f32;
    for (gi, g) in glyphs.iter().enumerate() {
        let c = g.cluster as usize;
        let starts_cluster = first_glyph[c] == gi as u32;
        if starts_cluster {
            while op_i < ops.len() && ops[op_i].0 < c {
                op_i += 1;
            }
            while forced_i < rt.forced.len() && rt.forced[forced_i] < c {
                forced_i += 1;
            }
            if forced_i < rt.forced.len() && rt.forced[forced_i] == c {
                b.flush_box(&mut box_start, &mut box_w, gi);
                b.push(KpItem::glue(0.0, INF, 0.0), gi..gi, None);
                b.push(KpItem::penalty(0.0, -INF, false), gi..gi, None);
                forced_i += 1;
            } else if op_i < ops.len() && ops[op_i].0 == c && ops[op_i].1 != BreakKind::Space {
                b.flush_box(&mut box_start, &mut box_w, gi);
                let prev = &glyphs[gi.saturating_sub(1)];
                let size = rt.spans[prev.span as usize].style.size;
                let item = match ops[op_i].1 {
                    BreakKind::Hyphen => {
                        let face = fonts.face(prev.face);
                        match face.hyphen {
                            Some((gid, adv)) => {
                                b.push(
                                    KpItem::penalty(adv * size, 50.0, true),
                                    gi..gi,
                                    Some(Hyphen {
                                        face: prev.face,
                                        gid,
                                        advance: adv * size,
                                        span: prev.span,
                                    }),
                                );
                                None
                            }
                            None => Some(KpItem::penalty(0.0, 50.0, true)),
                        }
                    }
                    BreakKind::AfterHyphen => Some(KpItem::penalty(0.0, 50.0, true)),
                    BreakKind::Allowed => Some(KpItem::penalty(0.0, 100.0, false)),
                    BreakKind::Separator => Some(KpItem::penalty(0.0, 200.0, false)),
                    BreakKind::Emergency => Some(KpItem {
                        emergency: true,
                        ..KpItem::penalty(0.0, 1000.0, false)
                    }),
                    BreakKind::Space => None,
                };
                if let Some(item) = item {
                    b.push(item, gi..gi, None);
                }
            }
        }
        if starts_cluster && rt.text.as_bytes()[c] == b' ' {
            b.flush_box(&mut box_start, &mut box_w, gi);
            let w = g.advance;
            let (st, sh) = if ragged {
                (0.0, 0.0)
            } else {
                (w * 0.6, w * 0.3)
            };
            b.push(KpItem::glue(w, st, sh), gi..gi + 1, None);
            box_start = gi + 1;
            continue;
        }
        box_w += g.advance;
    }
    b.flush_box(&mut box_start, &mut box_w, glyphs.len());
    b.push(
        KpItem::glue(0.0, INF, 0.0),
        glyphs.len()..glyphs.len(),
        None,
    );
    b.push(
        KpItem::penalty(0.0, -INF, false),
        glyphs.len()..glyphs.len(),
        None,
    );

    // 4. Break.
    let params = Params {
        ragged: ragged.then_some(opts.measure * 0.3),
        ..Params::default()
    };
    let breaks = linebreak::break_lines(&b.items, opts.measure, &params);

    // 5. Set each line.
    let mut lines = Vec::with_capacity(breaks.len());
    let mut start = 0;
    let mut line_items: Vec<KpItem> = Vec::new();
    for &end in &breaks {
        // Glue and penalties vanish at a break (but indentation at the very
        // start of the text is kept).
        let mut s = start;
        while start > 0 && s < end && b.items[s].kind != Kind::Box {
            s += 1;
        }
        line_items.clear();
        line_items.extend_from_slice(&b.items[s..end]);
        let brk = b.items[end];
        if brk.kind == Kind::Penalty && brk.width > 0.0 {
            line_items.push(KpItem::boxed(brk.width));
        }
        let r = linebreak::ratio(&line_items, opts.measure, ragged);
        lines.push(set_line(rt, &glyphs, &b, s..end, r, opts));
        start = end + 1;
    }
    lines
}

#[derive(Debug, Clone, Copy)]
struct Hyphen {
    face: FaceId,
    gid: u16,
    advance: f32,
    span: u16,
}

#[derive(Default)]
struct ItemBuilder {
    items: Vec<KpItem>,
    /// Glyphs each item stands for.
    glyphs: Vec<Range<usize>>,
    hyphens: Vec<Option<Hyphen>>,
}

impl ItemBuilder {
    fn push(&mut self, item: KpItem, glyphs: Range<usize>, hyphen: Option<Hyphen>) {
        self.items.push(item);
        self.glyphs.push(glyphs);
        self.hyphens.push(hyphen);
    }

    fn flush_box(&mut self, start: &mut usize, width: &mut f32, end: usize) {
        if end > *start {
            self.push(KpItem::boxed(*width), *start..end, None);
        }
        *start = end;
        *width = 0.0;
    }
}

/// Places the glyphs of items `range` (plus a hyphen when the line ends at
/// one) with glue set at ratio `r`.
fn set_line(
    rt: &RichText,
    glyphs: &[Glyph],
    b: &ItemBuilder,
    range: Range<usize>,
    r: f32,
    opts: &ParaOpts,
) -> Line {
    // (x, glyph) in line order; hyphen as a pseudo-glyph.
    let n_glyphs: usize = range.clone().map(|k| b.glyphs[k].len()).sum();
    let mut placed: Vec<(f32, Glyph, Option<&'static str>)> = Vec::with_capacity(n_glyphs + 1);
    let mut x = 0.0f32;
    for k in range.clone() {
        let it = &b.items[k];
        match it.kind {
            Kind::Box => {
                if b.glyphs[k].is_empty() {
                    x += it.width;
                }
                for g in &glyphs[b.glyphs[k].clone()] {
                    placed.push((x, *g, None));
                    x += g.advance;
                }
            }
            Kind::Glue => {
                for g in &glyphs[b.glyphs[k].clone()] {
                    placed.push((x, *g, None));
                }
                let adj = if r >= 0.0 {
                    it.stretch * r
                } else {
                    it.shrink * r
                };
                x += it.width + if it.stretch >= INF { 0.0 } else { adj };
            }
            Kind::Penalty => {}
        }
    }
    let end = range.end;
    if let Some(Some(h)) = b.hyphens.get(end) {
        let g = Glyph {
            gid: h.gid,
            face: h.face,
            span: h.span,
            advance: h.advance,
            dx: 0.0,
            dy: 0.0,
            cluster: 0,
            text_len: 0,
        };
        placed.push((x, g, Some("-")));
        x += h.advance;
    }
    let width = x;
    let shift = match opts.align {
        Align::Center => ((opts.measure - width) / 2.0).max(0.0),
        Align::Right => (opts.measure - width).max(0.0),
        _ => 0.0,
    };
    let mut line = Line {
        width,
        ..Line::default()
    };
    // Group into runs of one face, size, colour and baseline.
    let key_of = |g: &Glyph| {
        let span = &rt.spans[g.span as usize];
        (g.face, span.style.size, span.style.color, span.rise)
    };
    let text_len = |g: &Glyph, extra: &Option<&str>| match extra {
        Some(t) => t.len(),
        None => g.text_len as usize,
    };
    let mut run: Option<(Point, TextRun)> = None;
    let mut link: Option<(f32, f32, LinkTarget, f32)> = None;
    let mut strike: Option<(f32, f32, f32, Rgb)> = None;
    for (i, (gx, g, extra)) in placed.iter().enumerate() {
        let span = &rt.spans[g.span as usize];
        let st = &span.style;
        let gx = gx + shift;
        let key = (g.face, st.size, st.color, span.rise);
        let same = run
            .as_ref()
            .is_some_and(|(p, r)| (r.face, r.size, r.color, -p.y) == (key.0, key.1, key.2, key.3));
        if !same {
            if let Some(done) = run.take() {
                line.items.push((done.0, Item::Text(done.1)));
            }
            // Size the run once: it holds its glyphs for the whole build.
            let (mut n, mut bytes) = (0, 0);
            for (_, h, e) in placed[i..].iter() {
                if key_of(h) != key {
                    break;
                }
                n += 1;
                bytes += text_len(h, e);
            }
            run = Some((
                Point::new(gx, -span.rise),
                TextRun {
                    face: g.face,
                    size: st.size,
                    color: st.color,
                    glyphs: Vec::with_capacity(n),
                    text: String::with_capacity(bytes),
                },
            ));
        }
        let (origin, r) = run.as_mut().expect("run");
        let from = r.text.len() as u32;
        match extra {
            Some(t) => r.text.push_str(t),
            None => r
                .text
                .push_str(&rt.text[g.cluster as usize..(g.cluster + g.text_len) as usize]),
        }
        r.glyphs.push(PlacedGlyph {
            gid: g.gid,
            x: gx + g.dx - origin.x,
            advance: g.advance,
            text: (from, r.text.len() as u32),
        });
        // Link areas and strike-through lines follow their spans.
        let end_x = gx + g.advance;
        match (&mut link, &span.link) {
            (Some((_, e, t, h)), Some(l)) if t == l => {
                *e = end_x;
                *h = h.max(st.size);
            }
            (cur, l) => {
                if let Some((s, e, t, h)) = cur.take() {
                    line.links.push(link_area(s, e, t, h));
                }
                *cur = l.as_ref().map(|l| (gx, end_x, l.clone(), st.size));
            }
        }
        match (&mut strike, span.strike) {
            (Some((_, e, _, _)), true) => *e = end_x,
            (cur, s) => {
                if let Some(done) = cur.take() {
                    push_strike(&mut line, done);
                }
                if s {
                    *cur = Some((gx, end_x, st.size, st.color));
                }
            }
        }
    }
    if let Some(done) = run.take() {
        line.items.push((done.0, Item::Text(done.1)));
    }
    if let Some((s, e, t, h)) = link.take() {
        line.links.push(link_area(s, e, t, h));
    }
    if let Some(done) = strike.take() {
        push_strike(&mut line, done);
    }
    line
}

fn link_area(start: f32, end: f32, target: LinkTarget, size: f32) -> LinkArea {
    LinkArea {
        x: start,
        y: -size * 0.9,
        w: end - start,
        h: size * 1.2,
        target,
    }
}

fn push_strike(line: &mut Line, (start, end, size, color): (f32, f32, f32, Rgb)) {
    line.items.push((
        Point::new(start, -size * 0.28),
        Item::Line {
            dx: end - start,
            dy: 0.0,
            thickness: size * 0.06,
            color,
        },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, measure: f32) -> Vec<Line> {
        let fonts = FontSet::bundled();
        let rt = RichText::plain(text, TextStyle::serif(10.5));
        let opts = ParaOpts {
            measure,
            indent: 0.0,
            align: Align::Justify,
            lang: hyphen::language("en"),
        };
        let mut missing = Vec::new();
        set(&rt, &fonts, &mut Shaper::new(), &opts, &mut missing)
    }

    fn line_text(l: &Line) -> String {
        let mut s = String::new();
        for (_, it) in &l.items {
            if let Item::Text(r) = it {
                s.push_str(&r.text);
            }
        }
        s
    }

    const PARA: &str = "The harbour at Velmar reopened on Monday after eighteen months of \
        reconstruction, and the first ferry to dock was greeted by a crowd that had waited \
        since dawn. Officials said the new breakwater would withstand storms of the kind \
        that wrecked the old one, though engineers interviewed independently were more \
        cautious about the projections and the unprecedented maintenance requirements.";

    #[test]
    fn justified_lines_fill_the_measure_and_never_overflow() {
        let measure = 300.0;
        let lines = lines_of(PARA, measure);
        assert!(lines.len() >= 4);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.width <= measure + 0.01, "line {i} overflows: {}", l.width);
            if i + 1 < lines.len() {
                assert!(l.width > measure - 0.5, "line {i} is short: {}", l.width);
            }
        }
        // All the text comes back, in order (hyphens added at breaks aside).
        let mut all = String::new();
        for l in &lines {
            let t = line_text(l);
            match t.strip_suffix('-') {
                Some(head) if head.ends_with(|c: char| c.is_alphabetic()) => all.push_str(head),
                _ => {
                    all.push_str(&t);
                    all.push(' ');
                }
            }
        }
        assert_eq!(
            all.split_whitespace().collect::<Vec<_>>().join(" "),
            PARA.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn hyphenated_breaks_split_words_at_valid_points() {
        let lines = lines_of(PARA, 150.0);
        let lang = hyphen::language("en").unwrap();
        for l in &lines {
            let t = line_text(l);
            if let Some(head) = t.strip_suffix('-') {
                let frag = head.rsplit(' ').next().unwrap();
                let word = PARA
                    .split(|c: char| !c.is_alphabetic())
                    .find(|w| w.starts_with(frag) && w.len() > frag.len())
                    .unwrap_or_else(|| panic!("no word for {frag}"));
                let points = hyphen::hyphenation_points(word, lang);
                assert!(points.contains(&frag.len()), "{word} split after {frag}");
            }
        }
    }

    #[test]
    fn a_long_url_is_broken_inside_the_measure() {
        let lines = lines_of(
            "See https://example.org/a/very/long/path/that/does/not/fit/on/one/line/at/all/index.html for more.",
            120.0,
        );
        for l in &lines {
            assert!(
                l.width <= 120.0 + 0.01,
                "{} wide: {}",
                l.width,
                line_text(l)
            );
        }
    }
}
