//! Which way text runs: the facts both renderers need (the PDF's layout
//! sets right-to-left paragraphs, the EPUB marks them with `dir`).

/// Whether a BCP 47 tag names a language written right to left (in Arabic,
/// Hebrew, Syriac, Thaana or N'Ko script); an explicit script subtag
/// decides when there is one (`pa-Arab` is, `az-Latn` is not).
pub fn is_rtl_language(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    let script = parts
        .find(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|p| p.to_ascii_lowercase());
    match script.as_deref() {
        Some(s) => matches!(
            s,
            "arab" | "hebr" | "syrc" | "thaa" | "nkoo" | "adlm" | "rohg"
        ),
        None => matches!(
            primary.as_str(),
            "ar" | "he"
                | "iw"
                | "fa"
                | "ur"
                | "yi"
                | "ps"
                | "sd"
                | "ug"
                | "ckb"
                | "dv"
                | "syr"
                | "ku"
                | "arc"
                | "nqo"
        ),
    }
}

/// Whether most of the letters of `text` are right-to-left ones (UAX #9
/// classes R and AL against L).
pub fn mostly_rtl(text: &str) -> bool {
    use unicode_bidi::BidiClass::{AL, L, R};
    if !may_hold_rtl(text) {
        return false;
    }
    let (mut l, mut r) = (0usize, 0usize);
    for c in text.chars() {
        match unicode_bidi::bidi_class(c) {
            L => l += 1,
            R | AL => r += 1,
            _ => {}
        }
    }
    r > l
}

/// Whether `text` has any character of the right-to-left blocks (Hebrew
/// to Arabic Extended, their presentation forms, the right-to-left planes
/// of the SMP) or a bidi mark or embedding: outside these no character is
/// of class R, AL or AN or an explicit control. A range test per
/// character, so that the usual Latin paragraph skips the class lookups
/// (they were a tenth of an EPUB build).
pub fn may_hold_rtl(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x0590..=0x08FF
            | 0x200E..=0x200F
            | 0x202A..=0x202E
            | 0x2066..=0x2069
            | 0xFB1D..=0xFDFF
            | 0xFE70..=0xFEFF
            | 0x10800..=0x10FFF
            | 0x1E800..=0x1EFFF)
    })
}

/// Whether a paragraph is set right to left: when its language is written
/// so, or when most of its letters are right-to-left ones (an Arabic
/// paragraph in an article whose language was not given, which the
/// digest's then stands for). An English paragraph that merely starts
/// with a Hebrew name stays left to right.
pub fn paragraph_rtl(text: &str, lang_rtl: bool) -> bool {
    lang_rtl || mostly_rtl(text)
}

/// Whether `c` is a bidi control or another invisible format character,
/// which is neither drawn nor looked for in fonts.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_of_the_rtl_blocks_may_hold_rtl() {
        assert!(!may_hold_rtl(
            "Plain English, café, Ωmega, Жж – “quoted” 中文"
        ));
        assert!(may_hold_rtl("Named שלום"));
        assert!(may_hold_rtl("سلام"));
        assert!(may_hold_rtl("a\u{2067}b")); // a bidi isolate
        assert!(!mostly_rtl("Only Latin letters here"));
        // The shortcut agrees with the classes: every R, AL, AN or explicit
        // control is inside the ranges.
        use unicode_bidi::BidiClass::*;
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            let k = unicode_bidi::bidi_class(c);
            if matches!(
                k,
                R | AL | AN | LRE | LRO | RLE | RLO | LRI | RLI | FSI | PDI | PDF
            ) {
                assert!(
                    may_hold_rtl(&c.to_string()),
                    "{c:?} U+{:04X} is {k:?}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn direction_from_language_and_letters() {
        assert!(is_rtl_language("ar-EG") && is_rtl_language("he") && is_rtl_language("fa"));
        assert!(is_rtl_language("pa-Arab") && !is_rtl_language("az-Latn"));
        assert!(!is_rtl_language("en") && !is_rtl_language("ja") && !is_rtl_language(""));
        assert!(!paragraph_rtl(
            "נועה לוי spoke about the ships of the old port",
            false
        ));
        assert!(paragraph_rtl("الميناء يفتح أرصفته (Harbour Works)", false));
        assert!(paragraph_rtl("Harbour Works", true));
    }
}
