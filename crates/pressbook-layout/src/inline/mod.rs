//! Inline layout: a paragraph's styled text → lines of positioned glyphs,
//! in stages that each turn one type into the next (as typst's
//! `typst-layout/src/inline` does):
//!
//! 1. [`itemize`]: [`RichText`] → [`itemize::Run`]s (one face, script
//!    and bidi level each);
//! 2. [`shape`]: runs → [`shape::Shaped`] glyphs (harfrust, with fallback
//!    faces);
//! 3. [`items`]: glyphs → Knuth–Plass boxes, glue and penalties at the
//!    break opportunities of [`hyphen`];
//! 4. [`linebreak`]: items → the breaks (total fit);
//! 5. [`line::lines`]: breaks → [`line::LineSpec`]s (items and glue ratio);
//! 6. [`line::place`]: each line → a [`Line`] of text runs, justified,
//!    ragged or centred.

pub mod hyphen;
pub mod itemize;
pub mod items;
pub mod line;
pub mod linebreak;
pub mod shape;
pub mod text;

pub use text::{Family, RichText, Span, TextStyle};

use super::fonts::{FontSet, Han};
use super::tags::Tags;
use super::units::Point;
use super::{BlockRole, LinkArea, PageItem, Placed};
use linebreak::Params;
use shape::Shaper;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
    Right,
}

/// `s` as a bidi isolate (FSI … PDI, UAX #9): a date such as "28 November
/// 2026" inside a right-to-left line keeps its own order instead of
/// showing as "November 2026 28".
pub fn isolate(s: &str) -> String {
    format!("\u{2068}{s}\u{2069}")
}

pub use pressbook_model::direction::is_invisible_format;

/// How to set a paragraph.
#[derive(Debug, Clone, Copy)]
pub struct ParaOpts {
    pub measure: f32,
    pub indent: f32,
    pub align: Align,
    /// The text's language: hyphenation, Han forms, direction. With one,
    /// a right-to-left paragraph is also aligned from the right (start and
    /// end swap); without one (labels, contents, running heads) lines are
    /// ordered right to left where the text is, and aligned as asked.
    pub lang: Option<hyphen::Lang>,
}

impl ParaOpts {
    /// No indent and no hyphenation: labels, numbers, cells of code.
    pub fn bare(measure: f32, align: Align) -> Self {
        ParaOpts {
            measure,
            indent: 0.0,
            align,
            lang: None,
        }
    }
}

/// The "link number" of a line's item that layout added and the text does
/// not hold (the hyphen at a break): an artifact.
pub const ADDED: u16 = u16::MAX;

/// One set line: items relative to the start of its baseline.
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// Each item with the number of the link it is part of (0: none;
    /// [`ADDED`]: not in the text).
    pub items: Vec<(Point, PageItem, u16)>,
    pub links: Vec<LinkArea>,
    pub width: f32,
    /// The line ends inside a word (at a hyphenation point or after a
    /// hyphen or dash): a page should not end after it.
    pub hyphenated: bool,
}

/// Where the baseline of `size`-point type sits in a strip `leading`
/// tall: the type's body (1.25 em) centred, the baseline 0.92 em down it.
pub fn baseline_in(leading: f32, size: f32) -> f32 {
    (leading - 1.25 * size) / 2.0 + 0.92 * size
}

impl Line {
    /// Moves the line's items (as `role`, part of `tags`) and link areas
    /// into `items` and `links`, its baseline starting at `(x, baseline)`.
    pub fn place(
        self,
        x: f32,
        baseline: f32,
        role: BlockRole,
        tags: Tags,
        items: &mut Vec<Placed>,
        links: &mut Vec<LinkArea>,
    ) {
        items.extend(self.items.into_iter().map(|(p, it, no)| {
            let at = p.offset(x, baseline);
            if no == ADDED {
                Placed::new(at, it, BlockRole::Artifact)
            } else {
                Placed::new(at, it, role).tagged(tags.link(no))
            }
        }));
        links.extend(self.links.into_iter().map(|l| LinkArea {
            x: l.x + x,
            y: l.y + baseline,
            node: tags.link(l.node as u16),
            ..l
        }));
    }
}

/// Sets `rt` into lines: the stages one after the other. Characters no
/// face covers are noted in the shaper.
pub fn set(rt: &RichText, fonts: &FontSet, shaper: &mut Shaper, opts: &ParaOpts) -> Vec<Line> {
    if rt.text.is_empty() {
        return Vec::new();
    }
    let rtl = itemize::base_rtl(&rt.text, opts.lang.is_some_and(|l| l.rtl));
    let runs = itemize::itemize(rt, rtl);
    let han = opts.lang.map_or(Han::Simplified, |l| l.han);
    let shaped = shape::shape(rt, &runs, fonts, shaper, han);
    let items = items::items(rt, &shaped, fonts, opts, rtl);
    let params = Params {
        ragged: (opts.align != Align::Justify).then_some(opts.measure * 0.3),
        ..Params::default()
    };
    let breaks = linebreak::break_lines(&items.kp, opts.measure, &params);
    line::lines(&items, &breaks, opts)
        .iter()
        .map(|spec| line::place(rt, &shaped, &items, spec, opts, rtl))
        .collect()
}

/// The narrowest measures `rt` can be set in, from its shaped widths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinWidths {
    /// The widest word: text between spaces and the breaks UAX #14
    /// allows, hyphenation and cuts inside long tokens aside.
    pub word: f32,
    /// The widest cluster: what no break can narrow.
    pub cluster: f32,
}

/// The widest word and the widest cluster of `rt`, as it is shaped.
/// Characters no face covers are noted in the shaper.
pub fn min_widths(rt: &RichText, fonts: &FontSet, shaper: &mut Shaper) -> MinWidths {
    let mut out = MinWidths {
        word: 0.0,
        cluster: 0.0,
    };
    if rt.text.is_empty() {
        return out;
    }
    let rtl = itemize::base_rtl(&rt.text, false);
    let runs = itemize::itemize(rt, rtl);
    let shaped = shape::shape(rt, &runs, fonts, shaper, Han::Simplified);
    let mut breaks: Vec<usize> = hyphen::opportunities(&rt.text, None, &|_| false)
        .into_iter()
        .filter(|(_, k)| {
            matches!(
                k,
                hyphen::BreakKind::Space
                    | hyphen::BreakKind::Allowed
                    | hyphen::BreakKind::AfterHyphen
            )
        })
        .map(|(at, _)| at)
        .chain(rt.forced.iter().copied())
        .collect();
    breaks.sort_unstable();
    let (mut word, mut cluster) = (0.0f32, 0.0f32);
    for (i, g) in shaped.glyphs.iter().enumerate() {
        if shaped.starts_cluster(i) {
            let c = g.cluster as usize;
            cluster = 0.0;
            if rt.text.as_bytes()[c] == b' ' {
                word = 0.0;
                continue;
            }
            if breaks.binary_search(&c).is_ok() {
                word = 0.0;
            }
        }
        word += g.advance;
        cluster += g.advance;
        out.word = out.word.max(word);
        out.cluster = out.cluster.max(cluster);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, measure: f32) -> Vec<Line> {
        let fonts = FontSet::bundled();
        let rt = RichText::styled(text, TextStyle::serif(10.5));
        let opts = ParaOpts {
            measure,
            indent: 0.0,
            align: Align::Justify,
            lang: hyphen::language("en"),
        };
        set(&rt, &fonts, &mut Shaper::new(), &opts)
    }

    fn line_text(l: &Line) -> String {
        let mut s = String::new();
        for (_, it, _) in &l.items {
            if let PageItem::Text(r) = it {
                s.push_str(&r.text);
            }
        }
        s
    }

    /// The line's extent: the left edge of its first glyph and the right
    /// edge of its last, and how far each may hang into the margin.
    fn extent(l: &Line) -> ((f32, f32), (f32, f32)) {
        let mut glyphs = Vec::new();
        for (p, it, _) in &l.items {
            if let PageItem::Text(r) = it {
                for (g, c) in r.glyphs_with_text() {
                    glyphs.push((p.x + g.x, g.advance, c.to_string()));
                }
            }
        }
        let (x0, a0, t0) = glyphs.first().cloned().unwrap_or_default();
        let (x1, a1, t1) = glyphs.last().cloned().unwrap_or_default();
        let lead = t0
            .chars()
            .next()
            .map_or(0.0, |c| items::protrusion(c).0 * a0);
        let hang = t1
            .chars()
            .next_back()
            .map_or(0.0, |c| items::protrusion(c).1 * a1);
        ((x0, lead), (x1 + a1, hang))
    }

    const PARA: &str = "The harbour at Velmar reopened on Monday after eighteen months of \
        reconstruction, and the first ferry to dock was greeted by a crowd that had waited \
        since dawn. Officials said the new breakwater would withstand storms of the kind \
        that wrecked the old one, though engineers interviewed independently were more \
        cautious about the projections and the unprecedented maintenance requirements.";

    #[test]
    fn justified_lines_fill_the_measure_and_never_overflow() {
        let measure = 300.0;
        let lines = lines_of(PARA, measure);
        assert!(lines.len() >= 4);
        for (i, l) in lines.iter().enumerate() {
            let ((left, lead), (right, hang)) = extent(l);
            assert!(
                right <= measure + hang + 0.01,
                "line {i} overflows: {right}"
            );
            assert!(left >= -lead - 0.01, "line {i} starts at {left}");
            if i + 1 < lines.len() {
                // Full lines reach the measure exactly, plus what hangs.
                assert!(
                    (right - (measure + hang)).abs() < 0.05,
                    "line {i} ends at {right}, not {measure} + {hang}"
                );
            }
        }
        // All the text comes back, in order (hyphens added at breaks aside).
        let mut all = String::new();
        for l in &lines {
            let t = line_text(l);
            match t.strip_suffix('-') {
                Some(head) if head.ends_with(|c: char| c.is_alphabetic()) => all.push_str(head),
                _ => {
                    all.push_str(&t);
                    all.push(' ');
                }
            }
        }
        assert_eq!(
            all.split_whitespace().collect::<Vec<_>>().join(" "),
            PARA.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn hyphenated_breaks_split_words_at_valid_points() {
        let lines = lines_of(PARA, 150.0);
        let lang = hyphen::patterns("en").unwrap();
        for l in &lines {
            let t = line_text(l);
            if let Some(head) = t.strip_suffix('-') {
                let frag = head.rsplit(' ').next().unwrap();
                let word = PARA
                    .split(|c: char| !c.is_alphabetic())
                    .find(|w| w.starts_with(frag) && w.len() > frag.len())
                    .unwrap_or_else(|| panic!("no word for {frag}"));
                let points = hyphen::hyphenation_points(word, lang);
                assert!(points.contains(&frag.len()), "{word} split after {frag}");
            }
        }
    }

    #[test]
    fn a_line_ending_in_a_hyphen_extends_past_the_measure_by_its_protrusion() {
        let mut seen = 0;
        for measure in (120..240).step_by(7) {
            let measure = measure as f32;
            let lines = lines_of(PARA, measure);
            for l in &lines[..lines.len() - 1] {
                if !line_text(l).ends_with('-') {
                    continue;
                }
                seen += 1;
                // The hyphen (a third of an em at 10.5 pt) hangs 70 % out.
                let (_, (right, expected)) = extent(l);
                assert!(expected > 1.5, "the hyphen hangs {expected}");
                assert!(
                    (right - measure - expected).abs() < 0.05,
                    "at {measure} a hyphenated line ends at {right}"
                );
            }
        }
        assert!(seen > 0, "no hyphenated line at any measure");
    }

    #[test]
    fn an_opening_quote_hangs_into_the_left_margin() {
        let text = format!("\u{201C}{PARA}\u{201D}");
        let lines = lines_of(&text, 260.0);
        let ((left, lead), _) = extent(&lines[0]);
        assert!(lead > 1.0, "the quote hangs {lead}");
        assert!((left + lead).abs() < 0.01, "first glyph at {left}");
        // The lines after it start at the margin.
        let ((left, lead), _) = extent(&lines[1]);
        assert!(lead == 0.0 && left.abs() < 0.01);
    }

    #[test]
    fn short_words_and_the_last_word_are_not_hyphenated() {
        // Four-letter words only, then a long last word: no line ends in
        // a hyphen, whatever the measure.
        let text = "over that with from data some were when they been have more \
            also into only just than them into over that with from data some were when \
            they been have more also into only just than them characteristically";
        for measure in (60..200).step_by(9) {
            for l in lines_of(text, measure as f32) {
                let t = line_text(&l);
                assert!(!t.ends_with('-'), "at {measure}: {t}");
            }
        }
    }

    #[test]
    fn a_long_url_is_broken_inside_the_measure() {
        let lines = lines_of(
            "See https://example.org/a/very/long/path/that/does/not/fit/on/one/line/at/all/index.html for more.",
            120.0,
        );
        for l in &lines {
            assert!(
                l.width <= 120.0 + 0.01,
                "{} wide: {}",
                l.width,
                line_text(l)
            );
        }
    }

    /// Every line of `rt` set in `measure` (and what it draws) fits, and
    /// no character is lost.
    fn assert_fits(rt: &RichText, measure: f32, align: Align) {
        let fonts = FontSet::bundled();
        let opts = ParaOpts {
            measure,
            indent: 0.0,
            align,
            lang: hyphen::language("en"),
        };
        let lines = set(rt, &fonts, &mut Shaper::new(), &opts);
        let mut all = String::new();
        for (i, l) in lines.iter().enumerate() {
            let t = line_text(l);
            assert!(
                l.width <= measure + 0.01,
                "line {i} {t:?} is {} wide",
                l.width
            );
            for (p, it, _) in &l.items {
                if let PageItem::Text(r) = it {
                    assert!(p.x >= -0.01 && p.x + r.width() <= measure + 0.01, "{t:?}");
                }
            }
            all.push_str(t.strip_suffix('-').unwrap_or(&t));
        }
        let squeeze = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
        if pressbook_model::direction::mostly_rtl(&rt.text)
            || rt
                .text
                .chars()
                .any(|c| ('\u{590}'..='\u{8FF}').contains(&c))
        {
            // Right-to-left words come in display order: compare what is
            // there, not its order.
            let sorted = |s: &str| {
                let mut v: Vec<char> = squeeze(s).chars().collect();
                v.sort_unstable();
                v
            };
            assert_eq!(sorted(&all), sorted(&rt.text));
        } else {
            assert_eq!(squeeze(&all), squeeze(&rt.text));
        }
    }

    #[test]
    fn a_word_wider_than_the_measure_is_cut_so_that_every_piece_fits() {
        let serif = TextStyle::serif(7.6);
        for align in [Align::Justify, Align::Left] {
            // Shorter than the long-token cut points, wider than the measure.
            assert_fits(&RichText::styled("harbour quay", serif), 12.0, align);
            // The hyphenated pieces of a long word, then its leftover.
            let long = "budget Intercontinentalisation tariff Intercontinentalisation";
            assert_fits(&RichText::styled(long, serif), 22.0, align);
            // Characters no bundled face has: notdef boxes, one word.
            let arabic = "tick \u{627}\u{644}\u{639}\u{631}\u{628}\u{64a}\u{629} \u{a9}";
            assert_fits(&RichText::styled(arabic, serif), 14.0, align);
        }
    }

    #[test]
    fn min_widths_are_the_shaped_widest_word_and_cluster() {
        let fonts = FontSet::bundled();
        let serif = TextStyle::serif(10.0);
        let width = |text: &str| {
            let opts = ParaOpts::bare(f32::MAX / 4.0, Align::Left);
            let rt = RichText::styled(text, serif);
            set(&rt, &fonts, &mut Shaper::new(), &opts)[0].width
        };
        let (word, wide) = (width("Intercontinentalisation"), width("W"));
        let rt = RichText::styled("well- a Intercontinentalisation W", serif);
        let min = min_widths(&rt, &fonts, &mut Shaper::new());
        assert!((min.word - word).abs() < 0.01, "{min:?} vs {word}");
        assert!((min.cluster - wide).abs() < 0.01, "{min:?} vs {wide}");
    }

    /// `text` set in `measure` in the language `tag`: its lines.
    fn lines_in(text: &str, tag: &str, measure: f32, align: Align, indent: f32) -> Vec<Line> {
        let fonts = FontSet::bundled();
        let rt = RichText::styled(text, TextStyle::serif(10.0));
        let opts = ParaOpts {
            measure,
            indent,
            align,
            lang: hyphen::language(tag),
        };
        set(&rt, &fonts, &mut Shaper::new(), &opts)
    }

    /// The line's glyphs left to right: (x, text) with x from the line's
    /// start.
    /// Where the rightmost glyph of a line ends.
    fn line_end(l: &Line) -> f32 {
        l.items
            .iter()
            .filter_map(|(p, it, _)| match it {
                PageItem::Text(r) => Some(p.x + r.width()),
                _ => None,
            })
            .fold(0.0f32, f32::max)
    }

    /// The line's glyphs as shown, left to right, with their text.
    fn glyphs_of(l: &Line) -> Vec<(f32, String)> {
        let mut out = Vec::new();
        for (p, it, _) in &l.items {
            if let PageItem::Text(r) = it {
                for (g, c) in r.glyphs_with_text() {
                    out.push((p.x + g.x, c.to_string()));
                }
            }
        }
        out.sort_by(|a, b| a.0.total_cmp(&b.0));
        out
    }

    /// The line's text as shown, left to right.
    fn shown(l: &Line) -> String {
        glyphs_of(l).into_iter().map(|g| g.1).collect()
    }

    #[test]
    fn scripts_rtl_runs_are_shown_right_to_left_inside_either_direction() {
        // Hebrew inside English: the Hebrew word reads from the right, the
        // English around it from the left. (No bundled face has Hebrew: its
        // letters are boxes, which still stand in their places.)
        let l = &lines_in("abc אבג def", "en", 400.0, Align::Justify, 0.0)[0];
        assert_eq!(shown(l), "abc גבא def");
        let xs: Vec<f32> = glyphs_of(l).iter().map(|g| g.0).collect();
        assert!(xs.windows(2).all(|w| w[0] <= w[1]), "{xs:?}");
        // A Hebrew paragraph: its first word at the right, the English
        // phrase inside it left to right, and the line set from the right.
        let lines = lines_in("אבג abc def דהו", "he", 400.0, Align::Justify, 0.0);
        let l = &lines[0];
        assert_eq!(shown(l), "והד abc def גבא");
        let g = glyphs_of(l);
        let (x, last) = g.last().unwrap();
        assert_eq!(last, "א");
        let right = x + l
            .items
            .iter()
            .find_map(|(_, it, _)| match it {
                PageItem::Text(r) => r.glyphs.last().map(|g| g.advance),
                _ => None,
            })
            .unwrap();
        assert!(
            (right - 400.0).abs() < 0.5,
            "the line ends at {right}, not the right edge"
        );
    }

    #[test]
    fn scripts_rtl_lines_are_justified_to_the_right_with_the_indent_there() {
        let words = "אבג דהו זחט יכל מנס עפצ קרש תאב גדה וזח טיכ למנ סעפ צקר שתא";
        let text = format!("{words} {words} {words}");
        let measure = 150.0;
        let lines = lines_in(&text, "he", measure, Align::Justify, 14.0);
        assert!(lines.len() >= 3);
        for (i, l) in lines.iter().enumerate() {
            let g = glyphs_of(l);
            let (x0, _) = g.first().unwrap();
            let first_text = &g.last().unwrap().1;
            let right = g.last().unwrap().0 + 5.0;
            // Every line's start (its first word) is at the right edge;
            // full lines also reach the left one.
            assert!(right <= measure + 0.5, "line {i} overflows");
            if i + 1 < lines.len() {
                assert!(*x0 < 1.0, "line {i} starts at {x0}");
            }
            assert!(!first_text.is_empty());
        }
        // The first line leaves the indent free at the right: its
        // rightmost glyph ends an indent short of the measure.
        let first = &lines[0];
        let last_glyph = line_end(first);
        assert!(
            (last_glyph - (measure - 14.0)).abs() < 0.5,
            "ends at {last_glyph}"
        );
        // The last line is set from the right too.
        let end = line_end(lines.last().unwrap());
        assert!((end - measure).abs() < 0.5, "last line ends at {end}");
    }

    #[test]
    fn scripts_cjk_breaks_between_characters_keep_closing_marks_off_line_starts() {
        let text = "本周一清晨，第一列高速列车驶入山区小镇的新车站，数百名居民在站台上挥手欢迎。\
            车站站长说：「我们希望游客在春天回来看花，也希望年轻人不必再为了工作离开家乡。」\
            这条线路全长 186 公里，采用 CR400 型列车。";
        for measure in (60..260).step_by(13) {
            let measure = measure as f32;
            let lines = lines_in(text, "zh", measure, Align::Justify, 0.0);
            assert!(lines.len() > 1);
            let mut all = String::new();
            for (i, l) in lines.iter().enumerate() {
                let t = line_text(l);
                assert!(
                    l.width <= measure + 0.01,
                    "at {measure} line {i} is {} wide",
                    l.width
                );
                let first = t.chars().next().unwrap();
                assert!(
                    !"、。，」）：！？".contains(first),
                    "at {measure} line {i} starts with {first}: {t}"
                );
                let last = t.chars().next_back().unwrap();
                assert!(
                    !"「（".contains(last),
                    "at {measure} line {i} ends with {last}: {t}"
                );
                // No hyphens are added to Chinese.
                assert!(!t.ends_with('-'), "{t}");
                if i + 1 < lines.len() {
                    // Justified: full lines reach the measure by the space
                    // spread between characters.
                    let g = glyphs_of(l);
                    let end = line_end(l);
                    assert!(
                        (end - measure).abs() < 0.5,
                        "at {measure} line {i} ends at {end}: {t}"
                    );
                    assert!(g.len() > 2);
                }
                all.push_str(&t);
            }
            let squeeze = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
            assert_eq!(squeeze(&all), squeeze(text));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 48,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever the words, measure and alignment, no line is wider than
        /// the measure (long words are hyphenated or cut at separators).
        #[test]
        fn no_line_is_longer_than_its_measure(
            words in proptest::collection::vec("[a-zA-Z]{1,14}|[a-z]{2,6}[-/.][a-z]{2,9}|[0-9]{1,4}", 1..70),
            measure in 20.0f32..420.0,
            align in 0usize..4,
            indent in proptest::bool::ANY,
        ) {
            let fonts = FontSet::bundled();
            let rt = RichText::styled(&words.join(" "), TextStyle::serif(10.5));
            let opts = ParaOpts {
                measure,
                indent: if indent { 14.0 } else { 0.0 },
                align: [Align::Justify, Align::Left, Align::Center, Align::Right][align],
                lang: hyphen::language("en"),
            };
            let lines = set(&rt, &fonts, &mut Shaper::new(), &opts);
            proptest::prop_assert!(!lines.is_empty());
            for (i, l) in lines.iter().enumerate() {
                // Only what hangs (punctuation, hyphens) passes the measure.
                let ((left, lead), (right, hang)) = extent(l);
                proptest::prop_assert!(right <= measure + hang + 0.01, "line {} ends at {} in {}: {:?}", i, right, measure, line_text(l));
                proptest::prop_assert!(left >= -lead - 0.01, "line {} starts at {}", i, left);
                for (p, it, _) in &l.items {
                    if let PageItem::Text(r) = it {
                        proptest::prop_assert!(p.x >= -lead - 0.01 && p.x + r.width() <= measure + hang + 0.01);
                    }
                }
            }
        }
    }
}
