//! Plain-text news articles, as news sites export them.
//!
//! Paragraphs are separated by blank lines (or are one long line each), and
//! the last line is an attribution such as
//! `(c) Sky News 2018: Syrian rebels’ last stand as Assad forces close in`.

/// What a plain-text file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainArticle {
    pub paragraphs: Vec<Paragraph>,
    pub attribution: Option<AttributionLine>,
}

/// One paragraph and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    pub line: usize,
}

/// The parsed last line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributionLine {
    pub source: String,
    pub year: Option<i32>,
    pub headline: String,
    /// The line as written, e.g. for a rights statement.
    pub raw: String,
}

/// Parses a plain-text article. The text must already be valid UTF-8; a
/// leading BOM and CRLF/CR line endings are accepted.
pub fn parse(text: &str) -> PlainArticle {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    };

    let mut lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .collect();
    while lines.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        lines.pop();
    }
    let attribution = lines.last().and_then(|(_, l)| parse_attribution(l.trim()));
    if attribution.is_some() {
        lines.pop();
    }

    let mut paragraphs = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    for &(n, line) in lines.iter().chain(std::iter::once(&(0, ""))) {
        if line.trim().is_empty() {
            if !block.is_empty() {
                split_block(&block, &mut paragraphs);
                block.clear();
            }
        } else {
            block.push((n, line));
        }
    }
    PlainArticle {
        paragraphs,
        attribution,
    }
}

/// A block of consecutive lines is one paragraph wrapped over several lines,
/// unless its lines read as whole paragraphs of their own (long lines ending
/// a sentence), as in exports that put one paragraph per line.
fn split_block(block: &[(usize, &str)], out: &mut Vec<Paragraph>) {
    let one_per_line = block.len() > 1
        && block[..block.len() - 1]
            .iter()
            .all(|(_, l)| l.chars().count() > 100 && ends_sentence(l));
    if one_per_line {
        out.extend(block.iter().map(|&(line, l)| Paragraph {
            text: collapse_spaces(l),
            line,
        }));
    } else {
        let joined = block
            .iter()
            .map(|(_, l)| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        out.push(Paragraph {
            text: collapse_spaces(&joined),
            line: block[0].0,
        });
    }
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .ends_with(['.', '!', '?', '"', '”', '’', '\'', ':', ')', '…'])
}

/// Runs of spaces and tabs become one space; other characters are kept as
/// they are (curly quotes, dashes, any script).
fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c == ' ' || c == '\t' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Parses `(c) Source 2018: Headline` (also `©` and `(C)`). The year is
/// optional; the headline may itself contain colons.
pub fn parse_attribution(line: &str) -> Option<AttributionLine> {
    let rest = ["(c)", "(C)", "©"]
        .iter()
        .find_map(|p| line.strip_prefix(p))?
        .trim_start();
    // The source ends at the first colon; a year may sit just before it.
    let colon = rest.find(':')?;
    let (before, headline) = (rest[..colon].trim(), rest[colon + 1..].trim());
    if before.is_empty() || headline.is_empty() {
        return None;
    }
    let (source, year) = match before.rsplit_once(char::is_whitespace) {
        Some((src, y)) if y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) => {
            (src.trim(), y.parse().ok())
        }
        _ if before.len() == 4 && before.chars().all(|c| c.is_ascii_digit()) => {
            return None; // a year with no source
        }
        _ => (before, None),
    };
    Some(AttributionLine {
        source: source.to_string(),
        year,
        headline: headline.to_string(),
        raw: line.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(a: &PlainArticle) -> Vec<&str> {
        a.paragraphs.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn attribution_forms() {
        for (line, source, year, headline) in [
            (
                "(c) Sky News 2018: Syrian rebels’ last stand as Assad forces close in",
                "Sky News",
                Some(2018),
                "Syrian rebels’ last stand as Assad forces close in",
            ),
            (
                "© Harbour Daily 2025: Port reopens",
                "Harbour Daily",
                Some(2025),
                "Port reopens",
            ),
            ("(C) The Post 2024:Tight", "The Post", Some(2024), "Tight"),
            (
                "(c) Northlight News: Budget: what changes",
                "Northlight News",
                None,
                "Budget: what changes",
            ),
            ("(c) Radio 4 2019: Title", "Radio 4", Some(2019), "Title"),
        ] {
            let a = parse_attribution(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(
                (a.source.as_str(), a.year, a.headline.as_str()),
                (source, year, headline)
            );
            assert_eq!(a.raw, line);
        }
    }

    #[test]
    fn not_attributions() {
        for line in [
            "Copyright notice: none",
            "(c) 2018: no source",
            "(c) Source 2018:",
            "(c) no colon here",
            "The (c) mark mid-line: no",
        ] {
            assert_eq!(parse_attribution(line), None, "{line}");
        }
    }

    #[test]
    fn paragraphs_and_attribution() {
        let a = parse(
            "First “para”\nwrapped here.\n\nSecond – with dash.\n\n(c) Sky News 2018: Head\n",
        );
        assert_eq!(
            texts(&a),
            ["First “para” wrapped here.", "Second – with dash."]
        );
        assert_eq!(a.paragraphs[1].line, 4);
        assert_eq!(a.attribution.unwrap().headline, "Head");
    }

    #[test]
    fn bom_crlf_and_no_trailing_newline() {
        let a = parse("\u{feff}One.\r\n\r\nTwo.\r\n\r\n© Paper 2020: H");
        assert_eq!(texts(&a), ["One.", "Two."]);
        let at = a.attribution.unwrap();
        assert_eq!((at.source.as_str(), at.year), ("Paper", Some(2020)));
    }

    #[test]
    fn attribution_without_blank_line_before() {
        let a = parse("Para one.\n\nPara two ends.\n(C) Paper 2021: Head line\n");
        assert_eq!(texts(&a), ["Para one.", "Para two ends."]);
        assert_eq!(a.attribution.unwrap().headline, "Head line");
    }

    #[test]
    fn no_attribution() {
        let a = parse("Just text.\n\nMore text.\n");
        assert_eq!(texts(&a), ["Just text.", "More text."]);
        assert_eq!(a.attribution, None);
    }

    #[test]
    fn one_paragraph_per_long_line() {
        let l1 = "A".repeat(120) + ".";
        let l2 = "B".repeat(130) + "”";
        let l3 = "short last.";
        let a = parse(&format!("{l1}\n{l2}\n{l3}\n"));
        assert_eq!(texts(&a), [l1.as_str(), l2.as_str(), l3]);
        assert_eq!(a.paragraphs[2].line, 3);
    }

    #[test]
    fn any_script_is_kept() {
        let a = parse("Καλημέρα κόσμε — Привет, мир. مرحبا 你好\n");
        assert_eq!(texts(&a), ["Καλημέρα κόσμε — Привет, мир. مرحبا 你好"]);
    }

    #[test]
    fn empty_input() {
        let a = parse("\u{feff}\n\n  \n");
        assert!(a.paragraphs.is_empty());
        assert_eq!(a.attribution, None);
    }
}
