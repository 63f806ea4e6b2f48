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
    /// one at `end`.
    fn flush_box(&mut self, start: &mut usize, width: &mut f32, end: usize) {
        if end > *start {
            self.push(KpItem::boxed(*width), *start..end, None);
        }
        *start = end;
        *width = 0.0;
    }
}

/// The items of the shaped paragraph `rt`.
pub fn items(rt: &RichText, shaped: &Shaped, fonts: &FontSet, opts: &ParaOpts) -> Items {
    let glyphs = &shaped.glyphs;
    let ragged = opts.align != Align::Justify;
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
                b.flush_box(&mut box_start, &mut box_w, gi);
                b.push(KpItem::glue(0.0, INF, 0.0), gi..gi, None);
                b.push(KpItem::penalty(0.0, -INF, false), gi..gi, None);
                forced_i += 1;
            } else if op_i < ops.len() && ops[op_i].0 == c && ops[op_i].1 != BreakKind::Space {
                b.flush_box(&mut box_start, &mut box_w, gi);
                let prev = &glyphs[gi.saturating_sub(1)];
                if let Some((item, hyphen)) = break_penalty(ops[op_i].1, prev, rt, fonts) {
                    b.push(item, gi..gi, hyphen);
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
            let mut start = range.start;
            let mut w = 0.0f32;
            for gi in range.clone() {
                if gi > range.start && shaped.starts_cluster(gi) {
                    out.push(KpItem::boxed(w), start..gi, None);
                    out.push(emergency(), gi..gi, None);
                    start = gi;
                    w = 0.0;
                }
                w += shaped.glyphs[gi].advance;
            }
            out.push(KpItem::boxed(w), start..range.end, None);
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

/// Where the text may break, by byte offset. The last word is never
/// hyphenated: a fragment alone on the last line reads badly.
fn opportunities(rt: &RichText, opts: &ParaOpts) -> Vec<(usize, BreakKind)> {
    let span_at = |at: usize| -> &Span {
        let k = rt.spans.partition_point(|s| s.range.end <= at);
        &rt.spans[k.min(rt.spans.len() - 1)]
    };
    let mut ops = hyphen::opportunities(&rt.text, opts.lang, &|at| span_at(at).style.hyphenate);
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
                    KpItem::penalty(adv * size, 50.0, true),
                    Some(Hyphen {
                        face: prev.face,
                        gid,
                        advance: adv * size,
                        span: prev.span,
                    }),
                ),
                None => (KpItem::penalty(0.0, 50.0, true), None),
            });
        }
        BreakKind::AfterHyphen => KpItem::penalty(0.0, 50.0, true),
        BreakKind::Allowed => KpItem::penalty(0.0, 100.0, false),
        BreakKind::Separator => KpItem::penalty(0.0, 200.0, false),
        BreakKind::Emergency => emergency(),
        BreakKind::Space => return None,
    };
    Some((item, None))
}
