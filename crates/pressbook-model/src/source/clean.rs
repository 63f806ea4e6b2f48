//! Text cleaning, done once where the model is built so that every writer
//! gets the same text: control characters (other than tab and newline) and
//! Unicode noncharacters are removed, and text is put in Unicode NFC (safe:
//! canonical composition changes no character's meaning, and lets fonts
//! and search find precomposed letters).

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::model::{is_blank, Article, Block, Footnote, ImageSrc, Inline};

/// A character that cannot be represented in the outputs (XML forbids most
/// C0 controls; C1 controls and noncharacters are not text).
pub fn is_unwanted(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n' && c != '\r')
        || matches!(c as u32, 0xFDD0..=0xFDEF)
        || (c as u32 & 0xFFFE) == 0xFFFE
}

/// `s` without unwanted characters, in NFC. Returns the characters removed.
pub fn clean(s: &mut String) -> Vec<char> {
    let mut removed = Vec::new();
    if s.chars().any(is_unwanted) {
        removed = s.chars().filter(|&c| is_unwanted(c)).collect();
        s.retain(|c| !is_unwanted(c));
    }
    if is_nfc_quick(s.chars()) != IsNormalized::Yes {
        *s = s.nfc().collect();
    }
    removed
}

/// Cleans every text of an article: metadata, headings, paragraphs, code,
/// alt text, link titles, footnotes. Returns the characters removed.
pub fn article(a: &mut Article) -> Vec<char> {
    let mut removed = Vec::new();
    let m = &mut a.meta;
    for field in [&mut m.title].into_iter().chain(
        [
            &mut m.author,
            &mut m.source,
            &mut m.url,
            &mut m.section,
            &mut m.rights,
            &mut m.summary,
        ]
        .into_iter()
        .flatten(),
    ) {
        removed.extend(clean(field));
    }
    blocks(&mut a.body, &mut removed);
    for Footnote { content, .. } in &mut a.footnotes {
        blocks(content, &mut removed);
    }
    removed
}

fn blocks(blocks: &mut Vec<Block>, removed: &mut Vec<char>) {
    for b in blocks.iter_mut() {
        match b {
            Block::Heading { content, .. } | Block::Paragraph(content) => inlines(content, removed),
            Block::Quote(inner) => self::blocks(inner, removed),
            Block::List { items, .. } => items.iter_mut().for_each(|i| self::blocks(i, removed)),
            Block::Code { text, .. } => removed.extend(clean(text)),
            Block::Table(t) => {
                for cell in t.head.iter_mut().chain(t.rows.iter_mut().flatten()) {
                    inlines(cell, removed);
                }
            }
            Block::Image { alt, title, src } => {
                clean_alt(alt, removed);
                title.iter_mut().for_each(|t| removed.extend(clean(t)));
                if let ImageSrc::Remote(u) = src {
                    removed.extend(clean(u));
                }
            }
            Block::Rule => {}
        }
    }
    // A heading that shows nothing (a stray byte-order mark, a zero-width
    // space) would be an empty entry for readers and screen readers.
    blocks.retain(
        |b| !matches!(b, Block::Heading { content, .. } if crate::model::shows_nothing(content)),
    );
}

/// Alt text that shows nothing is no alt text: screen readers differ on
/// reading a lone space, and none can say anything useful about it.
fn clean_alt(alt: &mut String, removed: &mut Vec<char>) {
    removed.extend(clean(alt));
    if is_blank(alt) {
        alt.clear();
    }
}

fn inlines(inlines: &mut [Inline], removed: &mut Vec<char>) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => removed.extend(clean(t)),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => self::inlines(c, removed),
            Inline::Link {
                url,
                title,
                content,
                ..
            } => {
                removed.extend(clean(url));
                title.iter_mut().for_each(|t| removed.extend(clean(t)));
                self::inlines(content, removed);
            }
            Inline::Image { alt, src, .. } => {
                clean_alt(alt, removed);
                if let ImageSrc::Remote(u) = src {
                    removed.extend(clean(u));
                }
            }
            Inline::NoteRef { .. } | Inline::LineBreak => {}
        }
    }
}

/// `U+0007, U+001B` for a message.
pub fn codes(chars: &[char]) -> String {
    let mut seen: Vec<char> = chars.to_vec();
    seen.sort_unstable();
    seen.dedup();
    let mut list: Vec<String> = seen
        .iter()
        .take(6)
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect();
    if seen.len() > 6 {
        list.push("…".into());
    }
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_noncharacters_go_tabs_and_newlines_stay() {
        let mut s = "a\u{7}b\tc\nd\u{85}e\u{FDD0}f\u{FFFE}g\u{1FFFF}h\u{7F}".to_string();
        let removed = clean(&mut s);
        assert_eq!(s, "ab\tc\ndefgh");
        assert_eq!(removed.len(), 6);
        assert_eq!(
            codes(&removed),
            "U+0007, U+007F, U+0085, U+FDD0, U+FFFE, U+1FFFF"
        );
    }

    #[test]
    fn text_is_put_in_nfc() {
        let mut s = "cafe\u{301} Ω".to_string();
        assert!(clean(&mut s).is_empty());
        assert_eq!(s, "café Ω");
    }
}
