//! What text asks of a face: its kind of type, the regional forms of Han
//! characters its language wants, and its script. The font set
//! ([`crate::fonts`]) and the system-font catalogue ([`crate::sysfonts`])
//! both speak in these terms.

/// The three kinds of type a role stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Serif,
    Sans,
    Mono,
}

/// The regional forms of Han characters (and the kana, hangul and
/// punctuation that go with them) a language wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Han {
    Simplified,
    Traditional,
    HongKong,
    Japanese,
    Korean,
}

impl Han {
    /// The forms for a BCP 47 tag: `ja` Japanese, `ko` Korean, `zh-TW`,
    /// `zh-Hant` Traditional, `zh-HK` Hong Kong; anything else Simplified
    /// (the most widely read forms, for a Chinese name in an English text).
    pub fn for_tag(tag: &str) -> Han {
        let lower = tag.to_ascii_lowercase();
        let mut parts = lower.split(['-', '_']);
        match parts.next() {
            Some("ja") => Han::Japanese,
            Some("ko") => Han::Korean,
            Some("zh" | "yue") => {
                let rest: Vec<&str> = parts.collect();
                if rest.contains(&"hk") || rest.contains(&"mo") {
                    Han::HongKong
                } else if rest.contains(&"hant") || rest.contains(&"tw") {
                    Han::Traditional
                } else {
                    Han::Simplified
                }
            }
            _ => Han::Simplified,
        }
    }
}

/// What a fallback face should look like: the kind and style of the face it
/// stands in for, and the language's Han forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Want {
    pub class: Class,
    pub bold: bool,
    pub italic: bool,
    pub han: Han,
    /// The name fonts made for the text's script carry ("Arabic",
    /// "Hebrew", "CJK"…), when known.
    pub script: Option<&'static str>,
}

/// The word in the family names of fonts made for `c`'s script (Noto
/// Naskh Arabic, Noto Sans Hebrew, Noto Serif CJK JP), for the scripts
/// whose characters pan-Unicode faces (DejaVu) also cover; `None` for
/// Latin and characters of no script.
pub fn script_name(c: char) -> Option<&'static str> {
    use harfrust::Script;
    Some(match harfrust::unicode::script(u32::from(c)) {
        Script::ARABIC => "Arabic",
        Script::HEBREW => "Hebrew",
        Script::HAN | Script::HIRAGANA | Script::KATAKANA | Script::HANGUL | Script::BOPOMOFO => {
            "CJK"
        }
        Script::THAI => "Thai",
        Script::DEVANAGARI => "Devanagari",
        Script::BENGALI => "Bengali",
        Script::TAMIL => "Tamil",
        Script::ARMENIAN => "Armenian",
        Script::GEORGIAN => "Georgian",
        Script::ETHIOPIC => "Ethiopic",
        Script::SYRIAC => "Syriac",
        Script::THAANA => "Thaana",
        Script::KHMER => "Khmer",
        Script::LAO => "Lao",
        _ => return None,
    })
}

/// Whether `c` is written differently in Chinese, Japanese and Korean
/// fonts (Han, kana, hangul, bopomofo, their punctuation and full-width
/// forms).
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3000..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}
