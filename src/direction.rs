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

/// Whether a paragraph is set right to left: when its language is written
/// so, or when most of its letters are right-to-left ones (an Arabic
/// paragraph in an article whose language was not given, which the
/// digest's then stands for). An English paragraph that merely starts
/// with a Hebrew name stays left to right.
pub fn paragraph_rtl(text: &str, lang_rtl: bool) -> bool {
    lang_rtl || mostly_rtl(text)
}

#[cfg(test)]
mod tests {
    use super::*;

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
