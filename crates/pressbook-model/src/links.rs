//! The link policy, applied once when the digest is loaded, so that every
//! writer gets links that are valid in an EPUB and a PDF:
//!
//! - `http`, `https` and `mailto` addresses stay links (spaces and other
//!   characters a URL cannot hold are percent-encoded; an address without a
//!   host is text);
//! - links inside the digest (`#heading`, `other.md#heading`) stay links; a
//!   fragment that names no heading or note goes to the article's start;
//! - everything else (`javascript:`, `data:`, `file:`, a file that is not an
//!   article of the digest, a malformed address) becomes its text.
//!
//! Each change is a warning naming the article's file and line.

use std::collections::{HashMap, HashSet};

use crate::diag::{Diagnostic, Sink};
use crate::model::{resolve_link, Article, Block, Digest, ImageSrc, Inline, Target};

/// Schemes that stay links.
const WEB_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Applies the policy to every article of `digest`.
pub fn enforce(digest: &mut Digest, diags: &mut Sink) {
    let anchors: HashMap<String, HashSet<String>> = digest
        .articles()
        .map(|a| (a.id.clone(), anchors(a)))
        .collect();
    let files = digest.files.clone();
    for section in &mut digest.sections {
        for article in &mut section.articles {
            let mut policy = Policy {
                from_id: article.id.clone(),
                from_path: article.path.clone(),
                files: &files,
                anchors: &anchors,
                diags,
            };
            policy.blocks(&mut article.body);
            for note in &mut article.footnotes {
                policy.blocks(&mut note.content);
            }
        }
    }
}

/// The fragments a link into `a` may name: its heading ids and notes.
fn anchors(a: &Article) -> HashSet<String> {
    let mut ids = HashSet::new();
    fn walk(blocks: &[Block], ids: &mut HashSet<String>) {
        for b in blocks {
            match b {
                Block::Heading { id, .. } => {
                    ids.insert(id.clone());
                }
                Block::Quote(inner) => walk(inner, ids),
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, ids)),
                _ => {}
            }
        }
    }
    walk(&a.body, &mut ids);
    for note in &a.footnotes {
        ids.insert(format!("fn{}", note.number));
        walk(&note.content, &mut ids);
    }
    ids
}

/// What becomes of one link.
#[derive(Debug, PartialEq)]
enum Decision {
    /// A link, to this address (maybe rewritten).
    Link(String),
    /// A link to this address instead of the one written, with the reason.
    Moved(String, String, &'static str),
    /// Its text only, with the reason and what to do.
    Text(String, &'static str),
}

struct Policy<'a> {
    from_id: String,
    from_path: std::path::PathBuf,
    files: &'a HashMap<std::path::PathBuf, String>,
    anchors: &'a HashMap<String, HashSet<String>>,
    diags: &'a mut Sink,
}

impl Policy<'_> {
    fn blocks(&mut self, blocks: &mut [Block]) {
        for b in blocks.iter_mut() {
            match b {
                Block::Heading { content, .. } | Block::Paragraph(content) => {
                    self.inlines(content, 0)
                }
                Block::Quote(inner) => self.blocks(inner),
                Block::List { items, .. } => items.iter_mut().for_each(|i| self.blocks(i)),
                Block::Table(t) => {
                    for cell in t.head.iter_mut().chain(t.rows.iter_mut().flatten()) {
                        self.inlines(cell, 0);
                    }
                }
                Block::Image {
                    src: ImageSrc::Remote(url),
                    alt,
                    ..
                } => {
                    if let Some(text) = self.remote_image(url, alt, 0) {
                        *b = Block::Paragraph(vec![Inline::Text(text)]);
                    }
                }
                Block::Image { .. } | Block::Code { .. } | Block::Rule => {}
            }
        }
    }

    /// `line` is that of the enclosing link, for images inside one.
    fn inlines(&mut self, inlines: &mut Vec<Inline>, line: usize) {
        let mut i = 0;
        while i < inlines.len() {
            match &mut inlines[i] {
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => self.inlines(c, line),
                Inline::Image {
                    src: ImageSrc::Remote(url),
                    alt,
                    ..
                } => {
                    if let Some(text) = self.remote_image(url, alt, line) {
                        inlines[i] = Inline::Text(text);
                    }
                }
                Inline::Link {
                    url, content, line, ..
                } => {
                    let line = *line;
                    self.inlines(content, line);
                    if crate::model::shows_nothing(content) {
                        // A link must say where it goes, to screen readers too.
                        self.warn(
                            line,
                            format!("link to {url} has no text; its address is shown"),
                            "write the link's text between the brackets: [text](address)",
                        );
                        *content = vec![Inline::Text(url.clone())];
                    }
                    match self.decide(url) {
                        Decision::Link(new) => *url = new,
                        Decision::Moved(new, why, hint) => {
                            self.warn(line, why, hint);
                            *url = new;
                        }
                        Decision::Text(why, hint) => {
                            self.warn(line, why, hint);
                            let Inline::Link { content, .. } = inlines.remove(i) else {
                                unreachable!("matched a link above")
                            };
                            let n = content.len();
                            inlines.splice(i..i, content);
                            i += n;
                            continue;
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// A remote image whose address may not be linked becomes its label.
    fn remote_image(&mut self, url: &str, alt: &str, line: usize) -> Option<String> {
        match web_address(url) {
            Some(Ok(_)) => None,
            _ => {
                let shown = if url.len() > 40 {
                    &url[..url.floor_char_boundary(40)]
                } else {
                    url
                };
                self.warn(
                    line,
                    format!("image {shown:?} is not a file of the digest or a web address; its description is shown instead"),
                    "save the image into the digest folder and refer to the file",
                );
                Some(format!(
                    "[Image: {}]",
                    if alt.is_empty() { "image" } else { alt }
                ))
            }
        }
    }

    fn warn(&mut self, line: usize, message: String, hint: &str) {
        let mut d = Diagnostic::warning(message).at(&self.from_path).hint(hint);
        if line > 0 {
            d = d.line(line);
        }
        self.diags.push(d);
    }

    fn decide(&mut self, url: &str) -> Decision {
        let url = url.trim();
        let shown = if url.len() > 60 {
            &url[..url.floor_char_boundary(60)]
        } else {
            url
        };
        if url.is_empty() {
            return Decision::Text(
                "a link without an address is shown as text".into(),
                "give the link an address, or remove it",
            );
        }
        if let Some(web) = web_address(url) {
            return match web {
                Ok(u) => Decision::Link(u),
                Err(why) => Decision::Text(
                    format!("link {shown:?} is not a valid address ({why}); its text is kept"),
                    "correct the address",
                ),
            };
        }
        match resolve_link(self.files, &self.from_id, &self.from_path, url) {
            Target::Url(_) => Decision::Text(
                format!("link {shown:?} is not allowed in the book (only http, https and mailto addresses are); its text is kept"),
                "link to a web page or an article of the digest instead",
            ),
            Target::Outside => Decision::Text(
                format!("link {shown:?} is not an article of this digest; its text is kept"),
                "link to an article the manifest lists, or give a full https:// address",
            ),
            Target::Article { fragment: None, .. } => Decision::Link(url.to_string()),
            Target::Article {
                id,
                fragment: Some(f),
            } => {
                let known = self.anchors.get(&id).is_some_and(|a| a.contains(&f));
                if known {
                    return Decision::Link(url.to_string());
                }
                // To the article's start: its own file, as a relative link.
                let file = match url.split_once('#') {
                    Some((file, _)) if !file.is_empty() => file.to_string(),
                    _ => self
                        .from_path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                };
                if f.is_empty() {
                    return Decision::Link(file);
                }
                Decision::Moved(
                    file,
                    format!("link {shown:?}: the article has no heading or note `#{f}`; the link goes to the article's start"),
                    "link to an existing heading (its id is its text in lower case, with hyphens), or drop the #part",
                )
            }
        }
    }
}

/// For an address with a web scheme: the address as it may be linked, or
/// why it cannot be. `None` when `url` has no web scheme.
fn web_address(url: &str) -> Option<Result<String, &'static str>> {
    let (scheme, rest) = url.split_once(':')?;
    let scheme_lc = scheme.to_ascii_lowercase();
    if !WEB_SCHEMES.contains(&scheme_lc.as_str()) {
        return None;
    }
    let encoded = encode(rest);
    if scheme_lc == "mailto" {
        return Some(if encoded.is_empty() {
            Err("no address after mailto:")
        } else {
            Ok(format!("mailto:{encoded}"))
        });
    }
    let Some(after) = encoded.strip_prefix("//") else {
        return Some(Err("no // after the scheme"));
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((h, p)) => (h, p.strip_prefix(':')),
            None => return Some(Err("an unclosed [ in the host")),
        },
        None => match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Some(Err("no host name"));
    }
    let bracketed = host_port.starts_with('[');
    let host_ok = host
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_') || (bracketed && c == ':'));
    if !host_ok || host.starts_with(['.', '-']) {
        return Some(Err("the host name has characters a host cannot have"));
    }
    if port.is_some_and(|p| !p.chars().all(|c| c.is_ascii_digit()) || p.len() > 5) {
        return Some(Err("the port is not a number"));
    }
    Some(Ok(format!("{scheme_lc}:{encoded}")))
}

/// Percent-encodes what a URL cannot hold as it is: spaces, controls,
/// `"<>\^`{|}`, and a `%` that starts no escape.
fn encode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let escape = match c {
            '%' => {
                !(bytes.len() > i + 2
                    && bytes[i + 1].is_ascii_hexdigit()
                    && bytes[i + 2].is_ascii_hexdigit())
            }
            c if c.is_whitespace() || c.is_control() => true,
            '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' => true,
            _ => false,
        };
        if escape {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses() {
        let ok = |u: &str| web_address(u).unwrap().unwrap();
        assert_eq!(
            ok("https://example.org/a b?q=1"),
            "https://example.org/a%20b?q=1"
        );
        assert_eq!(ok("HTTP://Example.org:8080/x"), "http://Example.org:8080/x");
        assert_eq!(ok("mailto:desk@example.org"), "mailto:desk@example.org");
        assert_eq!(ok("https://[::1]:80/"), "https://[::1]:80/");
        assert_eq!(ok("https://example.org/100%"), "https://example.org/100%25");
        for bad in [
            "https://",
            "http:example.org",
            "https://exa mple.org",
            "https://a:b:c/",
            "mailto:",
        ] {
            assert!(web_address(bad).unwrap().is_err(), "{bad}");
        }
        for other in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "b.md",
            "#top",
        ] {
            assert!(web_address(other).is_none(), "{other}");
        }
    }
}
