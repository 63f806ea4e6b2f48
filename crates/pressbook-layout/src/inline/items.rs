//! Stage 3, items: glyphs → the Knuth–Plass list of boxes (glyphs between
//! break opportunities), glue (spaces) and penalties (breaks elsewhere:
//! hyphenation points, after dashes, inside long tokens, forced breaks).

use std::ops::Range;

use super::super::fonts::{FaceId, FontSet};
use super::hyphen::{self, BreakKind};
use super::linebreak::{Kind, KpItem, INF};
use super::shape::{Glyph, Shaped};
use super::text::{RichText, Span};
use super::{Align, ParaOpts};

/// The hyphen drawn when a line ends at a hyphenation point.
#[derive(Debug, Clone, Copy)]
pub struct Hyphen {
    pub face: FaceId,
    pub gid: u16,
    pub advance: f32,
    pub span: u16,
}

/// The paragraph's items, and for each the glyphs it stands for and the
/// hyphen it adds when a line ends there.
#[derive(Debug, Default)]
pub struct Items {
    pub kp: Vec<KpItem>,
    pub glyphs: Vec<Range<usize>>,
    pub hyphens: Vec<Option<Hyphen>>,
}

impl Items {
    fn push(&mut self, item: KpItem, glyphs: Range<usize>, hyphen: Option<Hyphen>) {
        self.kp.push(item);
        self.glyphs.push(glyphs);
        self.hyphens.push(hyphen);
    }

    /// Ends the box of glyphs `start..end` (if any) and starts the next
    /// one at `end`. With `hang`, the box's first and last glyphs may
    /// protrude into the margins.
    fn flush_box(
        &mut self,
        start: &mut usize,
        width: &mut f32,
        end: usize,
        hang: Option<(&RichText, &Shaped)>,
    ) {
        if end > *start {
            let item = match hang {
                Some((rt, shaped)) => {
                    let g = &shaped.glyphs;
                    let (first, last) = (&g[*start], &g[end - 1]);
                    let text =
                        |g: &Glyph| &rt.text[g.cluster as usize..(g.cluster + g.text_len) as usize];
                    let lead = text(first)
                        .chars()
                        .next()
                        .map_or(0.0, |c| protrusion(c).0 * first.advance);
                    let hang = text(last)
                        .chars()
                        .next_back()
                        .map_or(0.0, |c| protrusion(c).1 * last.advance);
                    KpItem::hanging(*width, lead, hang)
                }
                None => KpItem::boxed(*width),
            };
            self.push(item, *start..end, None);
        }
        *start = end;
        *width = 0.0;
    }
}

/// The items of the shaped paragraph `rt`, set right to left when `rtl`.
pub fn items(rt: &RichText, shaped: &Shaped, fonts: &FontSet, opts: &ParaOpts, rtl: bool) -> Items {
    let glyphs = &shaped.glyphs;
    let ragged = opts.align != Align::Justify;
    // Optical margin alignment for justified left-to-right text only (the
    // protrusion tables are for Latin marks at the left and right ends).
    let hang = (!ragged && !rtl).then_some((rt, shaped));
    let ops = opportunities(rt, opts);
    let mut b = Items::default();
    if opts.indent > 0.0 {
        b.push(KpItem::boxed(opts.indent), 0..0, None);
    }
    let mut op_i = 0;
    let mut forced_i = 0;
    let mut box_start = 0usize;
    let mut box_w = 0.0f32;
    for (gi, g) in glyphs.iter().enumerate() {
        let c = g.cluster as usize;
        let starts_cluster = shaped.starts_cluster(gi);
        if starts_cluster {
            while op_i < ops.len() && ops[op_i].0 < c {
                op_i += 1;
            }
            while forced_i < rt.forced.len() && rt.forced[forced_i] < c {
                forced_i += 1;
            }
            if forced_i < rt.forced.len() && rt.forced[forced_i] == c {
                b.flush_box(&mut box_start, &mut box_w, gi, hang);
                b.push(KpItem::glue(0.0, INF, 0.0), gi..gi, None);
                b.push(KpItem::penalty(0.0, -INF, false), gi..gi, None);
                forced_i += 1;
            } else if op_i < ops.len() && ops[op_i].0 == c && ops[op_i].1 != BreakKind::Space {
                b.flush_box(&mut box_start, &mut box_w, gi, hang);
                let prev = &glyphs[gi.saturating_sub(1)];
                if ops[op_i].1 == BreakKind::Allowed && between_cjk(&rt.text, c) {
                    // Chinese and Japanese: a break between characters is an
                    // ordinary one, and justification spreads the line's
                    // slack between the characters (glue of no width).
                    let size = rt.spans[prev.span as usize].style.size;
                    let st = if ragged { 0.0 } else { size * CJK_STRETCH };
                    b.push(KpItem::glue(0.0, st, 0.0), gi..gi, None);
                } else if let Some((item, hyphen)) = break_penalty(ops[op_i].1, prev, rt, fonts) {
                    b.push(item, gi..gi, hyphen);
                }
            }
        }
        if starts_cluster && rt.text.as_bytes()[c] == b' ' {
            b.flush_box(&mut box_start, &mut box_w, gi, hang);
            let w = g.advance;
            let (st, sh) = if ragged {
                (0.0, 0.0)
            } else {
                (w * SPACE_STRETCH, w * SPACE_SHRINK)
            };
            b.push(KpItem::glue(w, st, sh), gi..gi + 1, None);
            box_start = gi + 1;
            continue;
        }
        box_w += g.advance;
    }
    b.flush_box(&mut box_start, &mut box_w, glyphs.len(), hang);
    let mut b = split_wider_than(b, shaped, opts.measure);
    let end = glyphs.len();
    b.push(KpItem::glue(0.0, INF, 0.0), end..end, None);
    b.push(KpItem::penalty(0.0, -INF, false), end..end, None);
    b
}

/// An emergency break before every cluster of each piece (boxes between
/// two break opportunities, with the hyphen its break adds) wider than
/// `measure`: a word that fits no line is cut so that every piece fits
/// (each piece as wide as its clusters allow). Pieces that fit are kept
/// whole.
fn split_wider_than(b: Items, shaped: &Shaped, measure: f32) -> Items {
    let n = b.kp.len();
    let too_wide = |from: usize| -> Option<usize> {
        let mut to = from;
        let mut w = 0.0;
        while to < n && b.kp[to].kind == Kind::Box {
            w += b.kp[to].width;
            to += 1;
        }
        let brk = b.kp.get(to).filter(|it| it.kind == Kind::Penalty);
        (w + brk.map_or(0.0, |it| it.width) > measure).then_some(to)
    };
    let mut out = Items::default();
    let mut k = 0;
    while k < n {
        let Some(to) = (b.kp[k].kind == Kind::Box).then(|| too_wide(k)).flatten() else {
            out.push(b.kp[k], b.glyphs[k].clone(), b.hyphens[k]);
            k += 1;
            continue;
        };
        for j in k..to {
            let range = b.glyphs[j].clone();
            if range.is_empty() {
                out.push(b.kp[j], range, b.hyphens[j]);
                continue;
            }
            // The first piece keeps the box's left protrusion, the last
            // its right one.
            let (mut lead, hang) = (b.kp[j].lead, b.kp[j].hang);
            let mut start = range.start;
            let mut w = 0.0f32;
            for gi in range.clone() {
                if gi > range.start && shaped.starts_cluster(gi) {
                    out.push(KpItem::hanging(w, lead, 0.0), start..gi, None);
                    out.push(emergency(), gi..gi, None);
                    lead = 0.0;
                    start = gi;
                    w = 0.0;
                }
                w += shaped.glyphs[gi].advance;
            }
            out.push(KpItem::hanging(w, lead, hang), start..range.end, None);
        }
        k = to;
    }
    out
}

/// A break inside a word, taken only when nothing else fits.
fn emergency() -> KpItem {
    KpItem {
        emergency: true,
        ..KpItem::penalty(0.0, 1000.0, false)
    }
}

/// How far a justified space may stretch and shrink, as fractions of its
/// width (at ratio ±1). Measured on the corpus against typst
/// (`examples/line_quality.sh`): more stretch lets the breaker avoid
/// hyphens; shrink past a third of the space makes the tightest gaps
/// tighter than typst's.
const SPACE_STRETCH: f32 = 1.0;
const SPACE_SHRINK: f32 = 0.35;

/// How far the space between two Chinese or Japanese characters may
/// stretch in justified text, in em (at ratio 1).
const CJK_STRETCH: f32 = 0.25;

/// Whether the break at byte `at` of `text` falls between Chinese or
/// Japanese characters (either side is one).
fn between_cjk(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    before.is_some_and(super::super::fonts::is_cjk)
        || after.is_some_and(super::super::fonts::is_cjk)
}

/// The penalty for breaking at a hyphenation point or after an explicit
/// hyphen or dash (TeX's `\hyphenpenalty` and `\exhyphenpenalty`, 50 in
/// plain TeX). 300 makes a hyphen cost as much as a line at badness 290 (ratio
/// 1.4), so it is the exception: 21 % of justified lines on the corpus, where
/// 50 gave 35 %.
const HYPHEN_PENALTY: f32 = 300.0;

/// How far a character may hang into the left and the right margin, as
/// fractions of its advance (optical margin alignment, after microtype's
/// and typst's tables): the lighter the mark, the further it hangs.
pub fn protrusion(c: char) -> (f32, f32) {
    match c {
        '-' | '\u{2010}' | '\u{2011}' | '\u{AD}' => (0.0, 0.7),
        '.' | ',' => (0.0, 0.7),
        ':' | ';' => (0.0, 0.4),
        '!' | '?' => (0.0, 0.2),
        '\u{2013}' => (0.0, 0.4),
        '\u{2014}' => (0.0, 0.25),
        '\u{2019}' | '\u{201D}' | '\u{203A}' | '\u{BB}' => (0.0, 0.6),
        '\'' | '"' => (0.5, 0.5),
        '\u{2018}' | '\u{201C}' | '\u{201E}' | '\u{2039}' | '\u{AB}' => (0.6, 0.0),
        _ => (0.0, 0.0),
    }
}

/// Where the text may break, by byte offset. The last word is never
/// hyphenated: a fragment alone on the last line reads badly.
fn opportunities(rt: &RichText, opts: &ParaOpts) -> Vec<(usize, BreakKind)> {
    let span_at = |at: usize| -> &Span {
        let k = rt.spans.partition_point(|s| s.range.end <= at);
        &rt.spans[k.min(rt.spans.len() - 1)]
    };
    let lang = opts.lang.and_then(|l| l.hyphenation);
    let mut ops = hyphen::opportunities(&rt.text, lang, &|at| span_at(at).style.hyphenate);
    if let Some(last_space) = rt.text.rfind(' ') {
        ops.retain(|&(at, k)| k != BreakKind::Hyphen || at < last_space);
    }
    ops
}

/// The penalty for a break of `kind` after glyph `prev` (none for spaces,
/// which are glue), with the hyphen it adds.
fn break_penalty(
    kind: BreakKind,
    prev: &Glyph,
    rt: &RichText,
    fonts: &FontSet,
) -> Option<(KpItem, Option<Hyphen>)> {
    let item = match kind {
        BreakKind::Hyphen => {
            let size = rt.spans[prev.span as usize].style.size;
            return Some(match fonts.face(prev.face).hyphen {
                Some((gid, adv)) => (
                    KpItem {
                        hang: protrusion('-').1 * adv * size,
                        ..KpItem::penalty(adv * size, HYPHEN_PENALTY, true)
                    },
                    Some(Hyphen {
                        face: prev.face,
                        gid,
                        advance: adv * size,
                        span: prev.span,
                    }),
                ),
                None => (KpItem::penalty(0.0, HYPHEN_PENALTY, true), None),
            });
        }
        BreakKind::AfterHyphen => KpItem::penalty(0.0, HYPHEN_PENALTY, true),
        BreakKind::Allowed => KpItem::penalty(0.0, 100.0, false),
        BreakKind::Separator => KpItem::penalty(0.0, 200.0, false),
        BreakKind::Emergency => emergency(),
        BreakKind::Space => return None,
    };
    Some((item, None))
}
