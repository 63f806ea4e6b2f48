//! Stage 2, shape: runs → glyphs, with harfrust.
//!
//! Each run of a paragraph is shaped once, as a whole, so kerning and
//! ligatures work across word boundaries. Characters the run's face lacks
//! are shaped with a fallback face, or reported as missing.

use harfrust::{Buffer, Direction, Script, ShapeOptions, ShapePlan, ShaperFont};

use super::super::fonts::{FaceId, FontSet, Han, Want};
use super::itemize::Run;
use super::text::RichText;

/// A paragraph's glyphs in logical order.
#[derive(Debug, Clone, Default)]
pub struct Shaped {
    pub glyphs: Vec<Glyph>,
    /// For each byte of the text (and one past its end), the first glyph of
    /// the cluster that starts there, or `u32::MAX`.
    pub first_glyph: Vec<u32>,
}

impl Shaped {
    /// Whether glyph `i` is the first of its cluster.
    pub fn starts_cluster(&self, i: usize) -> bool {
        self.first_glyph[self.glyphs[i].cluster as usize] == i as u32
    }
}

/// Shapes every run of `rt` (fallbacks in the Han forms `han`).
/// Characters no face covers are noted in the shaper.
pub fn shape(
    rt: &RichText,
    runs: &[Run],
    fonts: &FontSet,
    shaper: &mut Shaper,
    han: Han,
) -> Shaped {
    let mut glyphs: Vec<Glyph> = Vec::with_capacity(rt.text.len());
    for run in runs {
        let start = glyphs.len();
        shaper.shape(
            fonts,
            Segment {
                face: run.face,
                size: run.size,
                span: run.span,
                script: run.script,
                level: run.level,
                han,
            },
            &rt.text[run.range.clone()],
            run.range.start,
            &mut glyphs,
        );
        if run.tracking != 0.0 {
            let extra = run.tracking * run.size;
            for g in &mut glyphs[start..] {
                g.advance += extra;
            }
        }
    }
    let mut first_glyph = vec![u32::MAX; rt.text.len() + 1];
    for (i, g) in glyphs.iter().enumerate() {
        let c = g.cluster as usize;
        if first_glyph[c] == u32::MAX {
            first_glyph[c] = i as u32;
        }
    }
    Shaped {
        glyphs,
        first_glyph,
    }
}

/// A shaped glyph of a paragraph.
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    pub gid: u16,
    pub face: FaceId,
    /// Index of the span it came from.
    pub span: u16,
    /// Advance in points (kerning included).
    pub advance: f32,
    /// Offsets from the pen position, in points (y upwards).
    pub dx: f32,
    pub dy: f32,
    /// Byte offset of its cluster in the paragraph text.
    pub cluster: u32,
    /// Length in bytes of the text this glyph stands for; 0 for the second
    /// and later glyphs of one cluster.
    pub text_len: u32,
    /// Bidi embedding level of its run: odd is right to left.
    pub level: u8,
}

/// How a piece of text is shaped: its face, size and span, its script
/// (guessed from its letters when `None`), its bidi level, and the Han
/// forms a fallback should have.
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub face: FaceId,
    pub size: f32,
    pub span: u16,
    pub script: Option<Script>,
    pub level: u8,
    pub han: Han,
}

impl Segment {
    /// Left to right, in the face's own script, Simplified Han forms.
    pub fn ltr(face: FaceId, size: f32, span: u16) -> Segment {
        Segment {
            face,
            size,
            span,
            script: None,
            level: 0,
            han: Han::Simplified,
        }
    }
}

/// A reusable shaper: keeps its buffer, its scratch space and the shaping
/// plans it has compiled (one per face, direction and script) between calls.
/// None of that changes the result, only how long it takes.
pub struct Shaper {
    buffer: Option<Buffer>,
    plans: Vec<(FaceId, Direction, Option<Script>, ShapePlan)>,
    starts: Vec<u32>,
    /// Characters no face covers, in order of first appearance, since the
    /// last [`Shaper::clear_missing`]: whoever sets the text words the
    /// warning (an article names itself in it).
    missing: Vec<char>,
}

impl Default for Shaper {
    fn default() -> Self {
        Self::new()
    }
}

impl Shaper {
    /// The characters no face covered since the last clear.
    pub fn missing(&self) -> &[char] {
        &self.missing
    }

    pub fn clear_missing(&mut self) {
        self.missing.clear();
    }

    pub fn new() -> Self {
        Shaper {
            buffer: Some(Buffer::new()),
            plans: Vec::new(),
            starts: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// Shapes `text` (which starts at byte `base` of the paragraph) as
    /// `seg` says, appending glyphs to `out` in logical order. Characters
    /// no face covers are noted in [`Shaper::missing`].
    pub fn shape(
        &mut self,
        fonts: &FontSet,
        seg: Segment,
        text: &str,
        base: usize,
        out: &mut Vec<Glyph>,
    ) {
        if text.is_empty() {
            return;
        }
        let start = out.len();
        let want = Want::for_face(seg.face, seg.han);
        self.shape_raw(fonts, seg, text, base, out);
        // Runs of .notdef glyphs: try a fallback face for them.
        let mut i = start;
        while i < out.len() {
            if out[i].gid != 0 {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < out.len() && out[j].gid == 0 {
                j += 1;
            }
            let from = out[i..j].iter().map(|g| g.cluster).min().unwrap_or(0) as usize;
            let to = out[i..j]
                .iter()
                .map(|g| g.cluster + g.text_len)
                .max()
                .unwrap_or(0) as usize;
            let piece = &text[from - base..to - base];
            // The piece takes the script of its own letters (the run's,
            // when it has any).
            let sub_seg = |face| Segment {
                face,
                script: None,
                ..seg
            };
            let mut sub = Vec::new();
            let want = want.for_text(piece);
            match fonts.fallback_for(piece, &want) {
                Some(fb) => self.shape_raw(fonts, sub_seg(fb), piece, from, &mut sub),
                None => {
                    // No one face has it all: each character from the first
                    // face that has it, consecutive ones together.
                    let mut groups: Vec<(Option<FaceId>, usize, usize)> = Vec::new();
                    for (k, c) in piece.char_indices() {
                        let mut buf = [0u8; 4];
                        let face = if c.is_whitespace() {
                            groups.last().and_then(|g| g.0)
                        } else {
                            fonts.fallback_for(c.encode_utf8(&mut buf), &want)
                        };
                        match groups.last_mut() {
                            Some(g) if g.0 == face || unicode_is_mark(c) => g.2 = k + c.len_utf8(),
                            _ => groups.push((face, k, k + c.len_utf8())),
                        }
                    }
                    for (face, a, b) in groups {
                        let part = &piece[a..b];
                        let face = face.unwrap_or_else(|| {
                            for c in part.chars() {
                                if !c.is_whitespace()
                                    && !c.is_control()
                                    && !self.missing.contains(&c)
                                {
                                    self.missing.push(c);
                                }
                            }
                            seg.face
                        });
                        self.shape_raw(fonts, sub_seg(face), part, from + a, &mut sub);
                    }
                }
            }
            let n = sub.len();
            out.splice(i..j, sub);
            // Pieces that stayed boxes are not tried again.
            i += n;
        }
    }

    fn shape_raw(
        &mut self,
        fonts: &FontSet,
        seg: Segment,
        text: &str,
        base: usize,
        out: &mut Vec<Glyph>,
    ) {
        let Segment {
            face: face_id,
            size,
            span,
            script,
            level,
            ..
        } = seg;
        let face = fonts.face(face_id);
        let shaper = ShaperFont::new(&face.font);
        let mut buf = self.buffer.take().unwrap_or_default();
        buf.clear();
        buf.push_str(text);
        buf.set_script(script);
        buf.guess_segment_properties();
        // The direction is the run's bidi level's, not the script's guess:
        // digits and Latin words inside Arabic are left to right.
        let rtl = level % 2 == 1;
        buf.set_direction(if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
        // The plan depends only on the face and the segment properties (the
        // buffer's language is never set): compile it once per shaper.
        let (direction, script) = (buf.direction(), buf.script());
        let k = match self
            .plans
            .iter()
            .position(|(f, d, s, _)| *f == face_id && *d == direction && *s == script)
        {
            Some(k) => k,
            None => {
                let plan = ShapePlan::new(&face.font, direction, script, None, &[]);
                self.plans.push((face_id, direction, script, plan));
                self.plans.len() - 1
            }
        };
        let options = ShapeOptions::new().plan(Some(&self.plans[k].3));
        let buf = match harfrust::shape(&shaper, &mut buf, options) {
            Ok(()) => buf,
            Err(_) => {
                self.buffer = Some(Buffer::new());
                return;
            }
        };
        let scale = size / face.upem;
        let infos = buf.glyph_infos();
        let positions = buf.glyph_positions();
        let first = out.len();
        out.reserve(infos.len());
        for (info, pos) in infos.iter().zip(positions) {
            out.push(Glyph {
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                face: face_id,
                span,
                advance: pos.x_advance as f32 * scale,
                dx: pos.x_offset as f32 * scale,
                dy: pos.y_offset as f32 * scale,
                cluster: (base + info.cluster as usize) as u32,
                text_len: 0,
                level,
            });
        }
        // Right-to-left glyphs come in visual order: the paragraph keeps
        // them in logical order (lines are reordered when they are placed),
        // and reversing twice gives harfrust's order back.
        if rtl {
            out[first..].reverse();
        }
        let end = (base + text.len()) as u32;
        cluster_text(&mut out[first..], &mut self.starts, end);
        self.buffer = Some(buf);
    }
}

/// Whether `c` is a combining mark (it goes with the character before).
fn unicode_is_mark(c: char) -> bool {
    matches!(harfrust::unicode::script(u32::from(c)), Script::INHERITED)
}

/// Gives each cluster's text length to its first glyph in logical order
/// (the others get none); `end` is where the shaped text ends. `starts` is
/// scratch space.
fn cluster_text(glyphs: &mut [Glyph], starts: &mut Vec<u32>, end: u32) {
    starts.clear();
    starts.extend(glyphs.iter().map(|g| g.cluster));
    starts.sort_unstable();
    starts.dedup();
    let mut seen_prev: Option<u32> = None;
    let n = glyphs.len();
    let rtl = n > 1 && glyphs[0].cluster > glyphs[n - 1].cluster;
    for j in 0..n {
        let k = if rtl { n - 1 - j } else { j };
        let c = glyphs[k].cluster;
        if seen_prev == Some(c) {
            continue;
        }
        seen_prev = Some(c);
        let idx = starts.partition_point(|&s| s <= c);
        let next = starts.get(idx).copied().unwrap_or(end);
        glyphs[k].text_len = next - c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Role;

    fn shape(text: &str) -> (Vec<Glyph>, Vec<char>) {
        shape_with(&FontSet::bundled(), text)
    }

    /// `text` in the regular face of `fonts`: glyphs and missing characters.
    fn shape_with(fonts: &FontSet, text: &str) -> (Vec<Glyph>, Vec<char>) {
        let mut out = Vec::new();
        let mut shaper = Shaper::new();
        shaper.shape(
            fonts,
            Segment::ltr(Role::Regular.id(), 10.0, 0),
            text,
            0,
            &mut out,
        );
        (out, shaper.missing().to_vec())
    }

    #[test]
    fn ligature_keeps_its_text() {
        let (g, missing) = shape("office");
        assert!(missing.is_empty());
        // "ffi" is one glyph standing for three characters.
        assert!(g.len() < 6, "expected a ligature, got {} glyphs", g.len());
        let total: u32 = g.iter().map(|g| g.text_len).sum();
        assert_eq!(total, 6);
        assert!(g.iter().any(|g| g.text_len == 3));
    }

    #[test]
    fn kerning_changes_advances() {
        let (av, _) = shape("AV");
        let (a, _) = shape("A");
        let (v, _) = shape("V");
        let kerned: f32 = av.iter().map(|g| g.advance).sum();
        assert!(kerned < a[0].advance + v[0].advance);
    }

    #[test]
    fn a_fallback_face_fills_in_missing_characters() {
        // The serif lacks box-drawing characters; the monospace has them.
        let mut fonts = FontSet::bundled();
        let serif = fonts.face(Role::Regular.id());
        let mono = fonts.face(Role::Mono.id());
        let c = '\u{2502}';
        assert!(!serif.covers(c) && mono.covers(c));
        fonts.fallbacks.push(Role::Mono.id());
        let (out, missing) = shape_with(&fonts, "a\u{2502}b");
        assert!(missing.is_empty(), "{missing:?}");
        assert_eq!(out.len(), 3);
        assert_eq!(out[1].face, Role::Mono.id());
        assert_ne!(out[1].gid, 0);
        assert_eq!(out[1].cluster, 1);
        assert_eq!(out[2].face, Role::Regular.id());
    }

    #[test]
    fn missing_characters_are_reported() {
        let (_, missing) = shape("abc مرحبا");
        assert!(missing.contains(&'م'));
    }
}
