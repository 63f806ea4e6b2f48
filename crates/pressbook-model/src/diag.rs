//! Sink: one type for every problem any stage finds.
//!
//! Stages push into a [`Sink`] collector instead of returning at the
//! first problem, so a run reports everything wrong at once, like a compiler.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub path: Option<PathBuf>,
    /// 1-based line and column, where known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            path: None,
            line: None,
            column: None,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, path: impl AsRef<Path>) -> Self {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    pub fn line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn line_col(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The compiler-style text, with ANSI colours when `color` is set.
    pub fn render(&self, color: bool) -> String {
        let paint = |code: &str, s: &str| {
            if color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        let label = match self.severity {
            Severity::Error => paint("1;31", "error"),
            Severity::Warning => paint("1;33", "warning"),
        };
        // Messages quote titles, addresses and server answers: what came
        // from outside is made visible before the colours go around it.
        let message = visible(&self.message);
        let mut out = format!("{label}{} {}", paint("1", ":"), paint("1", &message));
        if let Some(path) = &self.path {
            let shown = visible(&path.display().to_string()).into_owned();
            out.push_str(&format!("\n  {} {shown}", paint("1;34", "-->")));
            if let Some(line) = self.line {
                out.push_str(&format!(":{line}"));
                if let Some(col) = self.column {
                    out.push_str(&format!(":{col}"));
                }
            }
        }
        if let Some(hint) = &self.hint {
            let hint = visible(hint);
            out.push_str(&format!("\n  {} {hint}", paint("1;36", "help:")));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Where every stage reports problems (typst's `Sink`): loading, collecting,
/// layout and writing push into the one sink of a run, which keeps them in
/// order and drops exact repeats. What is fatal is the caller's decision
/// ([`Sink::make_strict`] for `--strict`), never a stage's.
#[derive(Debug, Default, Clone)]
pub struct Sink {
    items: Vec<Diagnostic>,
}

impl Sink {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `d` unless the same problem was reported already.
    pub fn push(&mut self, d: Diagnostic) {
        if !self.items.contains(&d) {
            self.items.push(d);
        }
    }

    pub fn warn(&mut self, message: impl Into<String>) {
        self.push(Diagnostic::warning(message));
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for d in other {
            self.push(d);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Turns warnings into errors (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }
}

impl IntoIterator for Sink {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The known key closest to `key`, if it is close enough to be a typo
/// (for "did you mean" hints).
pub fn suggest(key: &str, known: &[&'static str]) -> Option<&'static str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(dist, k)| *dist <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// Why a value is refused, worded to follow its name ("feed `url` … has no
/// host name"); the caller puts it into a [`Diagnostic`] with the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

impl From<String> for Refusal {
    fn from(s: String) -> Self {
        Refusal(s)
    }
}

impl From<&str> for Refusal {
    fn from(s: &str) -> Self {
        Refusal(s.to_string())
    }
}

/// `text` safe to print on a terminal: every control character but line
/// feed and tab, and every character that reorders the text around it
/// (bidirectional overrides and isolates), shown as a `\u{..}` escape, so
/// that a title holding `ESC]0;…BEL` or `ESC[2J` cannot retitle or clear
/// the terminal, nor a U+202E make a line read backwards. Every text from
/// outside (titles, addresses, server answers) reaches the terminal
/// through this function.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `c` acts on the terminal or on the order of what follows it
/// rather than showing as itself.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = text
        .get(line_start..offset)
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let d = Diagnostic::error("unknown key `titel`")
            .at("digest/pressbook.toml")
            .line_col(3, 1)
            .hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "error: unknown key `titel`\n  --> digest/pressbook.toml:3:1\n  help: did you mean `title`?"
        );
    }

    #[test]
    fn the_sink_keeps_order_and_drops_repeats() {
        let mut sink = Sink::new();
        sink.warn("b");
        sink.push(Diagnostic::error("a").at("x.md"));
        sink.warn("b");
        sink.push(Diagnostic::error("a").at("y.md"));
        let messages: Vec<String> = sink.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("warning: b"));
        assert!(!sink.iter().next().unwrap().is_error());
        sink.make_strict();
        assert!(sink.iter().all(Diagnostic::is_error));
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(
            visible("plain – text\nnext\tcol"),
            "plain – text\nnext\tcol"
        );
        assert_eq!(visible("a\x1b]0;owned\x07b"), "a\\u{1b}]0;owned\\u{7}b");
        assert_eq!(
            visible("\x1b[2J\r\u{9b}\u{7f}"),
            "\\u{1b}[2J\\u{d}\\u{9b}\\u{7f}"
        );
        assert_eq!(visible("abc\u{202e}fdp.exe"), "abc\\u{202e}fdp.exe");
        let d = Diagnostic::warning("title \x1b[2Jgone").hint("see \x07");
        assert!(!d.render(true).contains("\x1b[2J"), "{}", d.render(true));
        assert!(!d.render(false).contains('\x07'));
    }

    #[test]
    fn line_col_counts_chars() {
        let text = "ab\ncδe\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 6), (2, 3)); // after 'c' and 2-byte 'δ'
    }
}
