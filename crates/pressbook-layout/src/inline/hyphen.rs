//! Where a line may break inside a paragraph's text: UAX #14 opportunities,
//! hyphenation points (hypher's patterns) and, for long tokens such as URLs,
//! extra points after separators.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::super::fonts::{is_cjk, Han};

/// Why a line may end at a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// After a space (the space becomes the line end).
    Space,
    /// UAX #14 allows it without a space (after a dash, a slash…).
    Allowed,
    /// After an explicit hyphen or dash: flagged like a hyphen.
    AfterHyphen,
    /// A hyphenation point: a hyphen is added when the line ends here.
    Hyphen,
    /// Inside a long token (URL, identifier), after a separator.
    Separator,
    /// Anywhere inside an over-long token: last resort only.
    Emergency,
}

/// What the layout needs to know of a text's language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lang {
    /// Hyphenation patterns, when hypher has them.
    pub hyphenation: Option<hypher::Lang>,
    /// The Han forms fallback fonts should have.
    pub han: Han,
    /// Written right to left: paragraphs are set so.
    pub rtl: bool,
}

/// The language of a BCP 47 tag; `None` for an empty tag.
pub fn language(tag: &str) -> Option<Lang> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    if primary.is_empty() {
        return None;
    }
    let b = primary.as_bytes();
    let hyphenation = if b.len() == 2 {
        hypher::Lang::from_iso([b[0], b[1]])
    } else {
        None
    };
    let rtl = pressbook_model::direction::is_rtl_language(tag);
    Some(Lang {
        hyphenation,
        han: Han::for_tag(tag),
        rtl,
    })
}

/// The hyphenation patterns for a tag, if hypher has them.
pub fn patterns(tag: &str) -> Option<hypher::Lang> {
    language(tag).and_then(|l| l.hyphenation)
}

/// Byte offsets inside `word` where it may be hyphenated.
pub fn hyphenation_points(word: &str, lang: hypher::Lang) -> Vec<usize> {
    let mut points = Vec::new();
    let mut at = 0;
    for syllable in hypher::hyphenate(word, lang) {
        at += syllable.len();
        if at < word.len() {
            points.push(at);
        }
    }
    points
}

/// Words seen on this thread, per language, with their hyphenation points
/// (hypher's pattern walk is the costly part, and running text repeats its
/// words). Only a cache: the points are those [`hyphenation_points`] gives.
type WordCache = HashMap<Box<str>, Box<[u16]>, BuildHasherDefault<Fnv>>;

/// Past this many words the cache starts again (bounds its memory).
const CACHE_WORDS: usize = 1 << 16;

thread_local! {
    static WORDS: RefCell<Vec<(hypher::Lang, WordCache)>> = const { RefCell::new(Vec::new()) };
}

/// FNV-1a: words are short, so a simple hash beats SipHash here.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Appends `word`'s hyphenation points, shifted by `at`, to `out`.
fn push_hyphenation_points(
    word: &str,
    lang: hypher::Lang,
    at: usize,
    out: &mut Vec<(usize, BreakKind)>,
) {
    // Offsets are stored as u16: longer words skip the cache.
    if word.len() > usize::from(u16::MAX) {
        for p in hyphenation_points(word, lang) {
            out.push((at + p, BreakKind::Hyphen));
        }
        return;
    }
    WORDS.with(|cell| {
        let mut langs = cell.borrow_mut();
        let k = match langs.iter().position(|(l, _)| *l == lang) {
            Some(k) => k,
            None => {
                langs.push((lang, WordCache::default()));
                langs.len() - 1
            }
        };
        let cache = &mut langs[k].1;
        if let Some(points) = cache.get(word) {
            out.extend(
                points
                    .iter()
                    .map(|&p| (at + usize::from(p), BreakKind::Hyphen)),
            );
            return;
        }
        let points: Box<[u16]> = hyphenation_points(word, lang)
            .into_iter()
            .map(|p| p as u16)
            .collect();
        out.extend(
            points
                .iter()
                .map(|&p| (at + usize::from(p), BreakKind::Hyphen)),
        );
        if cache.len() >= CACHE_WORDS {
            cache.clear();
        }
        cache.insert(word.into(), points);
    });
}

/// Every break opportunity in `text`, sorted by offset. `hyphenate(range)`
/// says whether the text in that byte range may be hyphenated (it is false
/// for code and for spans in another language).
pub fn opportunities(
    text: &str,
    lang: Option<hypher::Lang>,
    hyphenate: &dyn Fn(usize) -> bool,
) -> Vec<(usize, BreakKind)> {
    let mut out = Vec::new();
    for (at, op) in linebreaks(text) {
        if at == text.len() || at == 0 {
            continue;
        }
        let before = text[..at].chars().next_back().unwrap_or(' ');
        let kind = if before == ' ' {
            BreakKind::Space
        } else if matches!(op, BreakOpportunity::Mandatory) {
            // Other mandatory breaks (from the text itself) are treated as
            // plain opportunities: explicit line breaks come from the model.
            BreakKind::Allowed
        } else if matches!(before, '-' | '\u{2010}' | '\u{2013}' | '\u{2014}') {
            BreakKind::AfterHyphen
        } else {
            BreakKind::Allowed
        };
        out.push((at, kind));
    }
    // Tokens: maximal runs without spaces.
    let mut token_start = None;
    let mut extra = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c == ' ' || c == '\n' {
            if let Some(s) = token_start.take() {
                token_points(text, s, i, lang, hyphenate, &mut extra);
            }
        } else if token_start.is_none() {
            token_start = Some(i);
        }
    }
    out.extend(extra);
    out.sort_by_key(|&(at, kind)| (at, kind_rank(kind)));
    out.dedup_by_key(|e| e.0);
    out
}

/// Lower rank wins when two kinds fall on one offset.
fn kind_rank(k: BreakKind) -> u8 {
    match k {
        BreakKind::Space => 0,
        BreakKind::AfterHyphen => 1,
        BreakKind::Allowed => 2,
        BreakKind::Hyphen => 3,
        BreakKind::Separator => 4,
        BreakKind::Emergency => 5,
    }
}

fn token_points(
    text: &str,
    start: usize,
    end: usize,
    lang: Option<hypher::Lang>,
    hyphenate: &dyn Fn(usize) -> bool,
    out: &mut Vec<(usize, BreakKind)>,
) {
    let token = &text[start..end];
    let chars = token.chars().count();
    // Words inside the token: hyphenation.
    if let Some(lang) = lang {
        let mut word_start = None;
        for (i, c) in token
            .char_indices()
            .chain(std::iter::once((token.len(), ' ')))
        {
            if c.is_alphabetic() || c == '\u{AD}' {
                if word_start.is_none() {
                    word_start = Some(i);
                }
            } else if let Some(ws) = word_start.take() {
                let word = &token[ws..i];
                let n = word.chars().count();
                let all_caps = word.chars().all(|c| !c.is_lowercase());
                if n >= 5 && !all_caps && hyphenate(start + ws) {
                    push_hyphenation_points(word, lang, start + ws, out);
                }
            }
        }
    }
    if chars > 18 {
        let mut prev = None;
        for (i, c) in token.char_indices() {
            if let Some(p) = prev {
                let here = start + i;
                // Chinese and Japanese break between characters by UAX #14
                // already, which keeps closing marks off a line's start.
                if is_cjk(p) || is_cjk(c) {
                    prev = Some(c);
                    continue;
                }
                if matches!(p, '/' | '.' | '?' | '&' | '=' | '_' | '#' | ':' | '@' | ',') {
                    out.push((here, BreakKind::Separator));
                } else {
                    out.push((here, BreakKind::Emergency));
                }
            }
            prev = Some(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_tags() {
        assert!(patterns("en-GB").is_some());
        assert!(patterns("el").is_some());
        assert!(patterns("ru").is_some());
        assert!(patterns("zz").is_none());
        assert!(language("").is_none());
        let ar = language("ar-EG").unwrap();
        assert!(ar.rtl && ar.hyphenation.is_none());
        assert!(language("he").unwrap().rtl && language("fa").unwrap().rtl);
        assert!(!language("en").unwrap().rtl && !language("az-Latn").unwrap().rtl);
        assert!(language("pa-Arab").unwrap().rtl);
        assert_eq!(language("ja").unwrap().han, Han::Japanese);
        assert_eq!(language("zh-Hant-TW").unwrap().han, Han::Traditional);
        assert_eq!(language("zh").unwrap().han, Han::Simplified);
    }

    #[test]
    fn hyphenation_points_split_real_syllables() {
        let lang = patterns("en").unwrap();
        let word = "hyphenation";
        let pts = hyphenation_points(word, lang);
        assert!(!pts.is_empty());
        for p in &pts {
            assert!(word.is_char_boundary(*p));
            assert!(*p >= 2 && *p <= word.len() - 2, "{p}");
        }
        assert!(pts.contains(&2) || pts.contains(&6), "{pts:?}");
    }

    #[test]
    fn opportunities_cover_spaces_hyphens_and_urls() {
        let lang = patterns("en");
        let text = "a well-known https://example.org/some/very/long/path";
        let ops = opportunities(text, lang, &|_| true);
        assert!(ops.contains(&(2, BreakKind::Space)));
        assert!(ops.contains(&(7, BreakKind::AfterHyphen)));
        let slash = text.find("org/").unwrap() + 4;
        assert!(ops
            .iter()
            .any(|&(at, k)| at == slash && matches!(k, BreakKind::Separator | BreakKind::Allowed)));
    }
}
