//! Typographer's punctuation for text that does not pass through the
//! Markdown parser (the manifest's title, subtitle, description), and the
//! no-break space that keeps a spaced dash off the start of a line.

/// Curly quotes, dashes and ellipses, as pulldown-cmark's smart punctuation
/// gives the articles: `'` and `"` turn to ‘’ “” by what stands beside
/// them, `---` to an em dash, `--` to an en dash, `...` to an ellipsis.
pub fn smart(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = out.chars().next_back();
        let next = chars.get(i + 1).copied();
        // A quote opens after a space, an opening bracket or dash, or at the start.
        let opens = prev.is_none_or(|p| p.is_whitespace() || "([{‘“—–-/".contains(p));
        match c {
            '\'' => {
                // An apostrophe inside a word (week's) or after one is a closing quote.
                let opening = opens && next.is_some_and(|n| !n.is_whitespace());
                out.push(if opening { '‘' } else { '’' });
            }
            '"' => {
                let opening = opens && next.is_some_and(|n| !n.is_whitespace());
                out.push(if opening { '“' } else { '”' });
            }
            '-' if chars[i..].starts_with(&['-', '-', '-']) => {
                out.push('—');
                i += 2;
            }
            '-' if next == Some('-') => {
                out.push('–');
                i += 1;
            }
            '.' if chars[i..].starts_with(&['.', '.', '.']) => {
                out.push('…');
                i += 2;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Replaces the space before a spaced en or em dash with a no-break space,
/// so a line never starts with the dash.
pub fn tie_dashes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(" –") && !text.contains(" —") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 4);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && chars.peek().is_some_and(|n| *n == '–' || *n == '—') {
            out.push('\u{a0}');
        } else {
            out.push(c);
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_dashes_and_ellipses() {
        assert_eq!(
            smart("A briefing on the week's reporting"),
            "A briefing on the week’s reporting"
        );
        assert_eq!(
            smart("\"Quoted\" -- it's --- done..."),
            "“Quoted” – it’s — done…"
        );
        assert_eq!(smart("'Single' and ('inner')"), "‘Single’ and (‘inner’)");
        assert_eq!(smart("the '90s"), "the ‘90s");
        assert_eq!(smart("rock 'n' roll"), "rock ‘n’ roll");
        assert_eq!(smart("plain text"), "plain text");
    }

    #[test]
    fn dashes_tied_to_the_word_before() {
        assert_eq!(tie_dashes("one – two"), "one\u{a0}– two");
        assert_eq!(tie_dashes("one — two"), "one\u{a0}— two");
        assert_eq!(tie_dashes(" – at the start"), "\u{a0}– at the start");
        assert_eq!(tie_dashes("1914–1918"), "1914–1918");
        assert!(matches!(
            tie_dashes("no dash"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
