//! Stages 5 and 6, lines and place: the breaks → lines (which items each
//! holds, how far its glue stretches) → glyphs positioned on the line,
//! grouped into text runs, with link areas and strike-through rules.

use std::ops::Range;

use super::super::units::{Point, Rgb};
use super::super::{LinkArea, LinkTarget, NodeId, PageItem, TextRun};
use super::items::Items;
use super::linebreak::{self, Kind, KpItem, INF};
use super::shape::{Glyph, Shaped};
use super::text::RichText;
use super::{Align, Line, ParaOpts, ADDED};

/// One line between two breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSpec {
    /// The items on the line (the break item excluded).
    pub items: Range<usize>,
    /// Glue adjustment: positive stretches, negative shrinks.
    pub ratio: f32,
    /// How far the line's first glyph hangs into the left margin and its
    /// last one (or its added hyphen) into the right margin.
    pub hang: (f32, f32),
}

/// The lines that `breaks` (item indices where lines end) make.
pub fn lines(items: &Items, breaks: &[usize], opts: &ParaOpts) -> Vec<LineSpec> {
    let ragged = opts.align != Align::Justify;
    let mut out = Vec::with_capacity(breaks.len());
    let mut start = 0;
    let mut line_items: Vec<KpItem> = Vec::new();
    for &end in breaks {
        // Glue and penalties vanish at a break (but indentation at the very
        // start of the text is kept).
        let mut s = start;
        while start > 0 && s < end && items.kp[s].kind != Kind::Box {
            s += 1;
        }
        line_items.clear();
        line_items.extend_from_slice(&items.kp[s..end]);
        let brk = items.kp[end];
        if brk.kind == Kind::Penalty && brk.width > 0.0 {
            line_items.push(KpItem::boxed(brk.width));
        }
        let hang = if ragged {
            (0.0, 0.0)
        } else {
            (
                line_items.first().map_or(0.0, |it| it.lead),
                end_hang(items, end),
            )
        };
        out.push(LineSpec {
            items: s..end,
            ratio: linebreak::ratio(&line_items, opts.measure + hang.0 + hang.1, ragged),
            hang,
        });
        start = end + 1;
    }
    out
}

/// How far the line ending at item `end` may hang into the right margin:
/// the added hyphen, else the last glyph (the last line does not hang).
fn end_hang(items: &Items, end: usize) -> f32 {
    let brk = &items.kp[end];
    if brk.kind == Kind::Penalty && brk.penalty <= -INF {
        0.0
    } else if brk.kind == Kind::Penalty && brk.width > 0.0 {
        brk.hang
    } else {
        match end.checked_sub(1).map(|k| &items.kp[k]) {
            Some(prev) if prev.kind == Kind::Box => prev.hang,
            _ => 0.0,
        }
    }
}

/// The text of the space kept at the end of a line (see [`arrange`]).
const LINE_END_SPACE: &str = " ";

/// A glyph at its x on the line; the added hyphen carries its own text.
type Positioned = (f32, Glyph, Option<&'static str>);

/// Sets one line: glyphs positioned, then aligned in the measure. In a
/// right-to-left paragraph (`rtl`) with a language, left and right
/// alignment swap: its lines start at the right.
pub fn place(
    rt: &RichText,
    shaped: &Shaped,
    items: &Items,
    spec: &LineSpec,
    opts: &ParaOpts,
    rtl: bool,
) -> Line {
    let (mut placed, width) = arrange(shaped, items, spec);
    if rtl || placed.iter().any(|p| p.1.level > 0) {
        reorder(&mut placed, width, if rtl { 1 } else { 0 });
    }
    let align = match (opts.align, rtl && opts.lang.is_some()) {
        (Align::Left | Align::Justify, true) => Align::Right,
        (Align::Right, true) => Align::Left,
        (a, _) => a,
    };
    let shift = match align {
        Align::Center => ((opts.measure - width) / 2.0).max(0.0),
        Align::Right => (opts.measure - width).max(0.0),
        // Justified: the line starts in the left margin by what hangs there.
        _ => -spec.hang.0,
    };
    let mut line = finalize(rt, &placed, width, shift);
    line.hyphenated = items
        .kp
        .get(spec.items.end)
        .is_some_and(|k| k.kind == Kind::Penalty && k.flagged);
    line
}

/// The glyphs of the line's items with their x (glue set at the line's
/// ratio), plus a hyphen when the line ends at one, and the line's width.
/// The glyphs come in logical order; [`reorder`] puts them in display
/// order.
fn arrange(shaped: &Shaped, b: &Items, spec: &LineSpec) -> (Vec<Positioned>, f32) {
    let range = spec.items.clone();
    let r = spec.ratio;
    let glyphs = &shaped.glyphs;
    let n_glyphs: usize = range.clone().map(|k| b.glyphs[k].len()).sum();
    let mut placed: Vec<Positioned> = Vec::with_capacity(n_glyphs + 1);
    let mut x = 0.0f32;
    for k in range.clone() {
        let it = &b.kp[k];
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
    // A line that ends at a space keeps it, drawn at the line's end with
    // no width: text taken from the PDF (a screen reader's, a copy) then
    // has a space between the line's last word and the next line's first,
    // as pdfTeX's "fake spaces" do.
    if let Some(g) =
        b.kp.get(range.end)
            .filter(|k| k.kind == Kind::Glue)
            .and_then(|_| b.glyphs[range.end].clone().next())
    {
        placed.push((x, glyphs[g], Some(LINE_END_SPACE)));
    }
    if let Some(Some(h)) = b.hyphens.get(range.end) {
        let g = Glyph {
            gid: h.gid,
            face: h.face,
            span: h.span,
            advance: h.advance,
            dx: 0.0,
            dy: 0.0,
            cluster: 0,
            text_len: 0,
            level: placed.last().map_or(0, |p| p.1.level),
        };
        placed.push((x, g, Some("-")));
        x += h.advance;
    }
    (placed, x)
}

/// Puts the line's glyphs (positioned in logical order, the line `width`
/// wide) in visual order, left to right, by UAX #9's rules L1 and L2:
/// spaces at the line's end take the paragraph's `base` level, then every
/// sequence at level k or more is reversed, for k from the highest level
/// down to the lowest odd one. Each glyph keeps the room it had (its
/// advance, or the set width of its space), so justification survives; an
/// indent stays at the paragraph's start (the right, in a right-to-left
/// one).
fn reorder(placed: &mut Vec<Positioned>, width: f32, base: u8) {
    let n = placed.len();
    if n == 0 {
        return;
    }
    // The room of each glyph: up to the next one's x (the last one's to
    // the line's end). Glyphs of one cluster after the first have their
    // own x, so each keeps its offset from the pen.
    let room: Vec<f32> = (0..n)
        .map(|i| {
            let next = placed.get(i + 1).map_or(width, |p| p.0);
            next - placed[i].0
        })
        .collect();
    // Room before the first glyph (an indent) goes with the paragraph's
    // start: a box of the base level.
    let lead = placed[0].0;
    // Rule L1 has nothing to do: the spaces at a break are not on the line.
    let levels: Vec<u8> = placed.iter().map(|p| p.1.level).collect();
    let mut order: Vec<usize> = (0..n).collect();
    let max = levels.iter().copied().max().unwrap_or(0).max(base);
    let min_odd = levels
        .iter()
        .copied()
        .chain([base])
        .filter(|l| l % 2 == 1)
        .min();
    if let Some(min_odd) = min_odd {
        let mut k = max;
        while k >= min_odd {
            let mut i = 0;
            while i < n {
                if levels[order[i]] >= k {
                    let mut j = i;
                    while j < n && levels[order[j]] >= k {
                        j += 1;
                    }
                    order[i..j].reverse();
                    i = j;
                } else {
                    i += 1;
                }
            }
            k -= 1;
        }
    }
    let old = std::mem::take(placed);
    let mut x = if base % 2 == 1 { 0.0 } else { lead };
    for &i in &order {
        let (_, g, extra) = old[i];
        placed.push((x, g, extra));
        x += room[i];
    }
}

/// Groups positioned glyphs into runs of one face, size, colour and
/// baseline, and follows their spans' links and strike-through.
fn finalize(rt: &RichText, placed: &[Positioned], width: f32, shift: f32) -> Line {
    let mut line = Line {
        width: width + shift.min(0.0),
        ..Line::default()
    };
    let mut run: Option<OpenRun> = None;
    let mut link: Option<(f32, f32, &LinkTarget, u16, f32)> = None;
    let mut strike: Option<(f32, f32, f32, Rgb)> = None;
    for (i, (gx, g, extra)) in placed.iter().enumerate() {
        // Bidi controls draw nothing; the space glyph the shaper puts for
        // them would carry their text into the PDF's ToUnicode map.
        let text = &rt.text[g.cluster as usize..(g.cluster + g.text_len) as usize];
        if extra.is_none() && g.text_len > 0 && text.chars().all(super::is_invisible_format) {
            continue;
        }
        let span = &rt.spans[g.span as usize];
        let st = &span.style;
        let gx = gx + shift;
        let open = run_for(&mut run, &mut line, rt, placed, i, gx);
        let (origin, r) = (open.origin, &mut open.run);
        // The kept space takes no room.
        let advance = if *extra == Some(LINE_END_SPACE) {
            0.0
        } else {
            g.advance
        };
        r.push(g.gid, gx + g.dx - origin.x, advance, extra.unwrap_or(text));
        // Link areas and strike-through lines follow their spans.
        let end_x = gx + r.glyphs.last().map_or(0.0, |p| p.advance);
        match (&mut link, &span.link) {
            (Some((_, e, _, no, h)), Some(_)) if *no == span.link_no => {
                *e = end_x;
                *h = h.max(st.size);
            }
            (cur, l) => {
                if let Some(done) = cur.take() {
                    line.links.push(link_area(done));
                }
                *cur = l.as_ref().map(|l| (gx, end_x, l, span.link_no, st.size));
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
        close(done, &mut line);
    }
    if let Some(done) = link.take() {
        line.links.push(link_area(done));
    }
    if let Some(done) = strike.take() {
        push_strike(&mut line, done);
    }
    line
}

/// A text run being filled.
struct OpenRun {
    origin: Point,
    run: TextRun,
    /// The link it is part of ([`ADDED`]: none, and not in the text).
    link_no: u16,
}

/// Moves a finished run to the line.
fn close(open: OpenRun, line: &mut Line) {
    line.items
        .push((open.origin, PageItem::Text(open.run), open.link_no));
}

/// The run glyph `i` (at `gx`) goes into: the current one if it has the
/// glyph's face, size, colour, baseline and link, else a new one (the
/// finished run moves to the line).
fn run_for<'r>(
    run: &'r mut Option<OpenRun>,
    line: &mut Line,
    rt: &RichText,
    placed: &[Positioned],
    i: usize,
    gx: f32,
) -> &'r mut OpenRun {
    let key_of = |(_, g, extra): &Positioned| {
        let span = &rt.spans[g.span as usize];
        // The hyphen added at a break is a run of its own: it is not in
        // the text, so it is no part of what a screen reader hears.
        let link = if *extra == Some("-") {
            ADDED
        } else {
            span.link_no
        };
        (g.face, span.style.size, span.style.color, span.rise, link)
    };
    let g = &placed[i].1;
    let span = &rt.spans[g.span as usize];
    let key = key_of(&placed[i]);
    let same = run.as_ref().is_some_and(|o| {
        let r = &o.run;
        (r.face, r.size, r.color, -o.origin.y, o.link_no) == (key.0, key.1, key.2, key.3, key.4)
    });
    if !same {
        if let Some(done) = run.take() {
            close(done, line);
        }
        // Size the run once: it holds its glyphs for the whole build.
        let (mut n, mut bytes) = (0, 0);
        for p @ (_, h, e) in placed[i..].iter() {
            if key_of(p) != key {
                break;
            }
            n += 1;
            bytes += match e {
                Some(t) => t.len(),
                None => h.text_len as usize,
            };
        }
        *run = Some(OpenRun {
            origin: Point::new(gx, -span.rise),
            run: TextRun {
                face: g.face,
                size: span.style.size,
                color: span.style.color,
                glyphs: Vec::with_capacity(n),
                text: String::with_capacity(bytes),
            },
            link_no: key.4,
        });
    }
    run.as_mut().expect("run")
}

/// A link's area on the line; its node is the link's number in the text
/// until [`super::Line::place`] gives it the link's node.
fn link_area((start, end, target, no, size): (f32, f32, &LinkTarget, u16, f32)) -> LinkArea {
    LinkArea {
        x: start,
        y: -size * 0.9,
        w: end - start,
        h: size * 1.2,
        target: target.clone(),
        node: NodeId::from(no),
    }
}

fn push_strike(line: &mut Line, (start, end, size, color): (f32, f32, f32, Rgb)) {
    line.items.push((
        Point::new(start, -size * 0.28),
        PageItem::Segment {
            dx: end - start,
            dy: 0.0,
            thickness: size * 0.06,
            color,
        },
        0,
    ));
}
