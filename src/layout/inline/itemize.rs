//! Stage 1, itemize: a paragraph's text → runs that are shaped each as a
//! whole (one span: one face, size and direction).
//!
//! Fallback faces for characters a run's face lacks are found while
//! shaping. Every run is left to right for now; bidi levels (UAX #9) will
//! split runs here and set [`Run::level`].

use std::ops::Range;

use super::super::fonts::FaceId;
use super::text::RichText;

/// A piece of the paragraph shaped as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Byte range in [`RichText::text`].
    pub range: Range<usize>,
    /// Index of the span it comes from.
    pub span: u16,
    pub face: FaceId,
    pub size: f32,
    /// Extra space after each glyph, in em.
    pub tracking: f32,
    /// Bidi embedding level: even is left to right.
    pub level: u8,
}

/// The runs of `rt`, in logical order.
pub fn itemize(rt: &RichText) -> Vec<Run> {
    rt.spans
        .iter()
        .enumerate()
        .map(|(k, span)| Run {
            range: span.range.clone(),
            span: k as u16,
            face: span.style.face(),
            size: span.style.size,
            tracking: span.style.tracking,
            level: 0,
        })
        .collect()
}
