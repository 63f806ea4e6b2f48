//! A paragraph's text as the layout receives it: one string with styled
//! spans and explicit line breaks, white space already collapsed.

use std::ops::Range;

use super::super::fonts::{FaceId, Role};
use super::super::units::Rgb;
use super::super::LinkTarget;

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
    /// Which link of the text this span is part of, from 1 (0: none); a
    /// link whose text changes style is one link.
    pub link_no: u16,
    pub strike: bool,
}

/// A paragraph's text with its styles.
#[derive(Debug, Clone, Default)]
pub struct RichText {
    pub text: String,
    pub spans: Vec<Span>,
    /// Byte offsets of explicit line breaks.
    pub forced: Vec<usize>,
    /// How many links the text holds.
    pub links: u16,
}

impl RichText {
    pub fn new() -> Self {
        Self::default()
    }

    /// `text` in one style.
    pub fn styled(text: &str, style: TextStyle) -> Self {
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
            let link_no = self.link_no(link, start);
            self.spans.push(Span {
                range: start..self.text.len(),
                style,
                rise,
                link: link.cloned(),
                link_no,
                strike,
            });
        }
    }

    /// The number of the link a span from `start` is part of: the previous
    /// span's when it ends there with the same target, else a new one.
    fn link_no(&mut self, link: Option<&LinkTarget>, start: usize) -> u16 {
        let Some(link) = link else { return 0 };
        match self.spans.last() {
            Some(s) if s.link.as_ref() == Some(link) && s.range.end == start => s.link_no,
            _ => {
                self.links += 1;
                self.links
            }
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
            let link_no = self.link_no(link, start);
            self.spans.push(Span {
                range: start..self.text.len(),
                style,
                rise: 0.0,
                link: link.cloned(),
                link_no,
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
