//! Kobo's KEPUB conventions applied to finished XHTML pages.
//!
//! A KEPUB is an ordinary EPUB whose pages follow what Kobo's own store
//! pipeline writes (as kepubify, the common converter, reproduces it): the
//! body's content sits in `div#book-columns > div#book-inner`, and every
//! sentence of text is wrapped in `<span class="koboSpan" id="kobo.P.S">`,
//! which the reader uses for highlights, reading statistics and position
//! sync. `P` counts the paragraphs (`p`, headings, lists, tables, images), `S` the
//! sentences within one. Text in `pre` (and scripts, styles, media) is left
//! as it is, so code keeps its exact spacing. Links, note references and
//! ids are untouched: spans go inside elements, never around them, so a
//! footnote link still opens its note.
//!
//! The pages come from our own writer (or epub-builder's templates), so they
//! are well-formed XML with `>` escaped in attribute values; a small
//! tokenizer is enough and keeps the bytes outside text nodes unchanged.

/// The style rule Kobo adds to every page: no margins on the wrapper, so the
/// book's own spacing is what the reader sees.
const STYLE: &str = "<style type=\"text/css\" class=\"kobostylehacks\">div#book-inner { margin-top: 0; margin-bottom: 0; }</style>\n";

/// Elements whose text is kept byte for byte.
const VERBATIM: &[&str] = &["pre", "script", "style", "audio", "video", "svg", "math"];

/// Elements that start a new paragraph number when text follows them.
const PARAGRAPHS: &[&str] = &["p", "ol", "ul", "table", "h1", "h2", "h3", "h4", "h5", "h6"];

/// Rewrites one XHTML page with Kobo's spans and wrapper divs. A page that
/// already has them (or has no body) is returned unchanged.
pub fn transform(page: &str) -> String {
    if page.contains("class=\"koboSpan\"") || page.contains("id=\"book-columns\"") {
        return page.to_string();
    }
    let Some(body_start) = page.find("<body") else {
        return page.to_string();
    };
    let Some(open_end) = page[body_start..].find('>').map(|i| body_start + i + 1) else {
        return page.to_string();
    };
    let Some(body_end) = page.rfind("</body>") else {
        return page.to_string();
    };
    let head = &page[..body_start];
    let mut out = String::with_capacity(page.len() * 2);
    match head.rfind("</head>") {
        Some(i) => {
            out.push_str(&head[..i]);
            out.push_str(STYLE);
            out.push_str(&head[i..]);
        }
        None => out.push_str(head),
    }
    out.push_str(&page[body_start..open_end]);
    out.push_str("<div id=\"book-columns\"><div id=\"book-inner\">");
    Spans::default().body(&page[open_end..body_end], &mut out);
    out.push_str("</div></div>");
    out.push_str(&page[body_end..]);
    out
}

/// The counters and element stack of one page.
#[derive(Default)]
struct Spans {
    para: u32,
    seg: u32,
    /// A paragraph element opened: the next span starts a new number.
    next_para: bool,
    stack: Vec<String>,
    /// Depth inside verbatim elements.
    verbatim: usize,
}

impl Spans {
    fn body(&mut self, body: &str, out: &mut String) {
        let mut rest = body;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("<!--") {
                let end = after.find("-->").map_or(rest.len(), |i| i + 7);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            } else if rest.starts_with('<') {
                let end = rest.find('>').map_or(rest.len(), |i| i + 1);
                self.tag(&rest[..end], out);
                rest = &rest[end..];
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                self.text(&rest[..end], out);
                rest = &rest[end..];
            }
        }
    }

    fn tag(&mut self, tag: &str, out: &mut String) {
        let inner = tag.trim_start_matches('<').trim_end_matches('>');
        let closing = inner.starts_with('/');
        let empty = inner.ends_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        if closing {
            if let Some(i) = self.stack.iter().rposition(|n| *n == name) {
                self.stack.truncate(i);
            }
            if VERBATIM.contains(&name.as_str()) {
                self.verbatim = self.verbatim.saturating_sub(1);
            }
            out.push_str(tag);
            return;
        }
        if self.verbatim == 0 && name == "img" {
            // An image is a paragraph of its own, in a span of its own.
            self.para += 1;
            self.seg = 1;
            self.next_para = false;
            self.open_span(out);
            out.push_str(tag);
            out.push_str("</span>");
            return;
        }
        out.push_str(tag);
        if empty {
            return;
        }
        if VERBATIM.contains(&name.as_str()) {
            self.verbatim += 1;
        } else if PARAGRAPHS.contains(&name.as_str()) {
            self.next_para = true;
        }
        self.stack.push(name);
    }

    fn text(&mut self, text: &str, out: &mut String) {
        if self.verbatim > 0 {
            out.push_str(text);
            return;
        }
        let in_p = self.stack.last().is_some_and(|n| n == "p");
        for sentence in sentences(text) {
            // Whitespace between blocks stays bare; inside a paragraph it is
            // part of the text the reader can select.
            if sentence.chars().all(char::is_whitespace) && !in_p {
                out.push_str(sentence);
                continue;
            }
            if self.next_para {
                self.para += 1;
                self.seg = 0;
                self.next_para = false;
            }
            self.seg += 1;
            self.open_span(out);
            out.push_str(sentence);
            out.push_str("</span>");
        }
    }

    fn open_span(&self, out: &mut String) {
        out.push_str("<span class=\"koboSpan\" id=\"kobo.");
        out.push_str(&self.para.to_string());
        out.push('.');
        out.push_str(&self.seg.to_string());
        out.push_str("\">");
    }
}

/// Splits text after each sentence end as Kobo does: one or more of `.`,
/// `!`, `?`, optionally one closing quote or ellipsis, then white space; the
/// white space stays with the sentence it ends. A stop not followed by a
/// space (`3.5`, `e.g.x`) does not end a sentence. The pieces join back to
/// exactly the input.
fn sentences(text: &str) -> Vec<&str> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Text,
        Stop,
        Quote,
        Space,
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut state = State::Text;
    for (i, c) in text.char_indices() {
        let stop = matches!(c, '.' | '!' | '?');
        let quote = matches!(c, '\'' | '"' | '”' | '’' | '“' | '…');
        // Only ASCII white space counts, as in Kobo's own splitting.
        let space = matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
        state = match state {
            State::Space if space => State::Space,
            State::Space => {
                out.push(&text[start..i]);
                start = i;
                if stop {
                    State::Stop
                } else {
                    State::Text
                }
            }
            _ if stop => State::Stop,
            State::Stop if quote => State::Quote,
            State::Stop | State::Quote if space => State::Space,
            _ => State::Text,
        };
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_join_back_to_the_text() {
        let t = "One. Two!? “Three?” she said: 3.5 per cent… five.  ";
        let s = sentences(t);
        assert_eq!(
            s,
            vec![
                "One. ",
                "Two!? ",
                "“Three?” ",
                "she said: 3.5 per cent… five.  "
            ]
        );
        assert_eq!(s.concat(), t);
        assert_eq!(sentences("A.\nB"), vec!["A.\n", "B"]);
        assert!(sentences("").is_empty());
    }

    #[test]
    fn spans_numbered_by_paragraph_and_sentence() {
        let page = "<html><head><title>T</title></head><body class=\"article\">\n<h1>Head</h1>\n<p>First one. Second <em>emph.</em> Third<sup><a epub:type=\"noteref\" href=\"#fn1\">1</a></sup></p>\n<pre><code>a. b</code></pre>\n<figure><img src=\"i.png\" alt=\"x\"/></figure>\n<ul><li>Item.</li></ul>\n</body></html>";
        let out = transform(page);
        let want = "<html><head><title>T</title><style type=\"text/css\" class=\"kobostylehacks\">div#book-inner { margin-top: 0; margin-bottom: 0; }</style>\n</head><body class=\"article\"><div id=\"book-columns\"><div id=\"book-inner\">\n\
<h1><span class=\"koboSpan\" id=\"kobo.1.1\">Head</span></h1>\n\
<p><span class=\"koboSpan\" id=\"kobo.2.1\">First one. </span><span class=\"koboSpan\" id=\"kobo.2.2\">Second </span><em><span class=\"koboSpan\" id=\"kobo.2.3\">emph.</span></em><span class=\"koboSpan\" id=\"kobo.2.4\"> Third</span><sup><a epub:type=\"noteref\" href=\"#fn1\"><span class=\"koboSpan\" id=\"kobo.2.5\">1</span></a></sup></p>\n\
<pre><code>a. b</code></pre>\n\
<figure><span class=\"koboSpan\" id=\"kobo.3.1\"><img src=\"i.png\" alt=\"x\"/></span></figure>\n\
<ul><li><span class=\"koboSpan\" id=\"kobo.4.1\">Item.</span></li></ul>\n\
</div></div></body></html>";
        assert_eq!(out, want);
        // Idempotent: a page that has spans is left alone.
        assert_eq!(transform(&out), out);
    }
}
