//! Stage 1, itemize: a paragraph's text → runs that are shaped each as a
//! whole: one span (one face, size and tracking), one script, one bidi
//! level.
//!
//! Runs split where the span (and so the face) changes and where the
//! script changes; characters of no script of their own (spaces, digits,
//! punctuation, combining marks) stay in the run before them. Fallback
//! faces for characters a run's face lacks are found while shaping. Runs
//! also split where the bidi embedding level (UAX #9, unicode-bidi)
//! changes: odd levels are shaped right to left.

use std::ops::Range;

use harfrust::Script;

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
    /// The script of its letters; `None` when it has none (only spaces,
    /// digits, punctuation…).
    pub script: Option<Script>,
    /// Bidi embedding level: even is left to right.
    pub level: u8,
}

/// The script `c` is written in, if it has one of its own (not Common,
/// Inherited or Unknown), by the data harfrust shapes with.
pub fn script_of(c: char) -> Option<Script> {
    match harfrust::unicode::script(u32::from(c)) {
        Script::COMMON | Script::INHERITED | Script::UNKNOWN => None,
        s => Some(s),
    }
}

pub use pressbook_model::direction::paragraph_rtl as base_rtl;

/// The bidi embedding level of each byte of `text` in a paragraph of base
/// direction `rtl` (UAX #9 up to rule I2; the line rules are applied when
/// lines are ordered).
pub fn levels(text: &str, rtl: bool) -> Vec<u8> {
    let base = if rtl {
        unicode_bidi::Level::rtl()
    } else {
        unicode_bidi::Level::ltr()
    };
    // Nothing to resolve in text of one direction: every level is the base.
    // (Left-to-right text with nothing from U+0590 on is that, unlooked.)
    let mixed = (rtl || pressbook_model::direction::may_hold_rtl(text))
        && text.chars().any(|c| {
            use unicode_bidi::BidiClass::*;
            let k = unicode_bidi::bidi_class(c);
            if rtl {
                matches!(k, L | EN | AN | LRE | LRO | LRI | FSI | RLE | RLO | RLI)
            } else {
                matches!(k, R | AL | AN | LRE | LRO | LRI | FSI | RLE | RLO | RLI)
            }
        });
    if !mixed {
        return vec![base.number(); text.len()];
    }
    let info = unicode_bidi::BidiInfo::new(text, Some(base));
    info.levels.iter().map(|l| l.number()).collect()
}

/// The runs of `rt`, in logical order, in a paragraph of base direction
/// `rtl`.
pub fn itemize(rt: &RichText, rtl: bool) -> Vec<Run> {
    let levels = levels(&rt.text, rtl);
    let mut runs = Vec::with_capacity(rt.spans.len());
    for (k, span) in rt.spans.iter().enumerate() {
        let run = |range: Range<usize>, script| Run {
            level: levels[range.start],
            range,
            span: k as u16,
            face: span.style.face(),
            size: span.style.size,
            tracking: span.style.tracking,
            script,
        };
        let mut start = span.range.start;
        let mut script = None;
        for (i, c) in rt.text[span.range.clone()].char_indices() {
            let at = span.range.start + i;
            if at > start && levels[at] != levels[at - 1] {
                runs.push(run(start..at, script));
                start = at;
                script = script_of(c);
                continue;
            }
            let Some(s) = script_of(c) else { continue };
            match script {
                None => script = Some(s),
                Some(cur) if cur != s => {
                    let at = span.range.start + i;
                    runs.push(run(start..at, script));
                    (start, script) = (at, Some(s));
                }
                Some(_) => {}
            }
        }
        runs.push(run(start..span.range.end, script));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inline::TextStyle;

    #[test]
    fn runs_split_where_the_script_changes() {
        let mut rt = RichText::new();
        let serif = TextStyle::serif(10.0);
        rt.push("harbour Ζεύς, город 東京 — 100% ", serif, None, 0.0, false);
        rt.push("שלום tariff", serif.italic(), None, 0.0, false);
        rt.finish();
        let runs = itemize(&rt, false);
        let texts: Vec<(&str, Option<Script>)> = runs
            .iter()
            .map(|r| (&rt.text[r.range.clone()], r.script))
            .collect();
        assert_eq!(
            texts,
            [
                ("harbour ", Some(Script::LATIN)),
                ("Ζεύς, ", Some(Script::GREEK)),
                ("город ", Some(Script::CYRILLIC)),
                ("東京 — 100% ", Some(Script::HAN)),
                ("שלום", Some(Script::HEBREW)),
                (" tariff", Some(Script::LATIN)),
            ]
        );
        // The Hebrew word is right to left (level 1) inside the English
        // paragraph; the space after it, between it and a Latin word,
        // takes the paragraph's direction (UAX #9 rule N1).
        let levels: Vec<u8> = runs.iter().map(|r| r.level).collect();
        assert_eq!(levels, [0, 0, 0, 0, 1, 0]);
        assert_eq!(runs[3].face, serif.face());
        assert_eq!(runs[4].face, serif.italic().face());
        assert_eq!((runs[4].span, runs[5].span), (1, 1));
        // Nothing lost, nothing twice.
        let ranges: Vec<_> = runs.iter().map(|r| r.range.clone()).collect();
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!((ranges[0].start, ranges[5].end), (0, rt.text.len()));
    }

    #[test]
    fn an_arabic_paragraph_is_right_to_left_with_its_numbers_and_latin_left_to_right() {
        let text = "قال إن 120 سفينة من Harbour Works وصلت.";
        let rt = RichText::styled(text, TextStyle::serif(10.0));
        let runs = itemize(&rt, base_rtl(text, false));
        let level_of = |needle: &str| {
            let at = text.find(needle).unwrap();
            runs.iter().find(|r| r.range.contains(&at)).unwrap().level
        };
        assert_eq!(level_of("قال"), 1);
        assert_eq!(level_of("120"), 2);
        assert_eq!(level_of("Harbour"), 2);
        assert_eq!(level_of("Works"), 2);
        assert_eq!(level_of("وصلت"), 1);
        // Levels change only at run boundaries.
        let levels = levels(text, true);
        for r in &runs {
            assert!(
                levels[r.range.clone()].iter().all(|&l| l == r.level),
                "{r:?}"
            );
        }
    }

    #[test]
    fn a_run_of_no_script_has_none() {
        let rt = RichText::styled("— 100% (3)", TextStyle::sans(9.0));
        let runs = itemize(&rt, false);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].script, None);
    }
}
