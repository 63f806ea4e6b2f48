//! Turning bytes from outside into text. A page: byte-order mark, then the
//! HTTP header's charset, then a `<meta>` declaration, then statistical
//! detection. A feed: byte-order mark, the UTF-16 layout of `<?`, the
//! header, the XML declaration, else UTF-8; it must be valid in that
//! charset, and reaches the feed parser as UTF-8 whatever it came as.
//! Either must then read as text, not as binary data.

use encoding_rs::Encoding;

/// Why bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotText {
    #[error("it is binary data, not text: {bad} of its first {seen} characters, read as {charset}, are control characters or invalid bytes")]
    Binary {
        charset: &'static str,
        bad: usize,
        seen: usize,
    },
    #[error("it is not valid {charset}{}, the charset {why}", at.map(|a| format!(" (at byte {a})")).unwrap_or_default())]
    Invalid {
        charset: &'static str,
        at: Option<usize>,
        why: &'static str,
    },
}

/// Decodes an HTML page. `content_type` is the HTTP header, if any.
/// Returns the text and the name of the encoding used, or why the bytes
/// are no page.
pub fn decode_html(
    bytes: &[u8],
    content_type: Option<&str>,
) -> Result<(String, &'static str), NotText> {
    let encoding = pick(bytes, content_type);
    let (text, _, _) = encoding.decode(bytes);
    is_text(&text, encoding)?;
    Ok((text.into_owned(), encoding.name()))
}

/// Decodes a feed into UTF-8 text whose XML declaration, if any, no longer
/// names another charset (the parser reads it as UTF-8).
pub fn decode_feed(bytes: &[u8], content_type: Option<&str>) -> Result<String, NotText> {
    let (encoding, skip, why) = feed_charset(bytes, content_type);
    let body = &bytes[skip..];
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or_else(|| NotText::Invalid {
            charset: encoding.name(),
            at: (encoding == encoding_rs::UTF_8)
                .then(|| {
                    std::str::from_utf8(body)
                        .err()
                        .map(|e| skip + e.valid_up_to())
                })
                .flatten(),
            why,
        })?;
    is_text(&text, encoding)?;
    Ok(undeclared(&text))
}

/// The charset of a feed, the length of its byte-order mark, and where the
/// charset came from (for the error when the bytes are not valid in it).
fn feed_charset(
    bytes: &[u8],
    content_type: Option<&str>,
) -> (&'static Encoding, usize, &'static str) {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return (enc, len, "its byte-order mark names");
    }
    // `<?` or `<r` in UTF-16 without a byte-order mark.
    match bytes {
        [b'<', 0, x, 0, ..] if *x != 0 => {
            return (encoding_rs::UTF_16LE, 0, "its bytes are laid out in")
        }
        [0, b'<', 0, x, ..] if *x != 0 => {
            return (encoding_rs::UTF_16BE, 0, "its bytes are laid out in")
        }
        _ => {}
    }
    // A UTF-16 label on bytes that are not UTF-16 (no mark, no layout) is
    // wrong: they are ASCII-compatible (as the HTML standard rules).
    let ascii_compatible =
        |e: &'static Encoding| e != encoding_rs::UTF_16LE && e != encoding_rs::UTF_16BE;
    if let Some(enc) = content_type
        .and_then(header_charset)
        .filter(|e| ascii_compatible(e))
    {
        return (enc, 0, "its Content-Type header names");
    }
    if let Some(enc) = xml_declared(bytes).filter(|e| ascii_compatible(e)) {
        return (enc, 0, "its XML declaration names");
    }
    (encoding_rs::UTF_8, 0, "XML is read in when it names none")
}

/// The `encoding="…"` of an XML declaration at the start of `bytes`.
fn xml_declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(256)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = find(head, b"?>")?;
    let decl = &head[..end];
    let at = find(decl, b"encoding")? + 8;
    let rest = &decl[at..];
    let rest = rest
        .iter()
        .skip_while(|b| matches!(b, b' ' | b'=' | b'"' | b'\'' | b'\t' | b'\r' | b'\n'))
        .take_while(|b| !matches!(b, b'"' | b'\'' | b' ' | b'?'))
        .copied()
        .collect::<Vec<u8>>();
    Encoding::for_label(&rest)
}

/// `text` with its XML declaration, if it has one, reduced to the version:
/// the text is UTF-8 now, whatever the declaration said.
fn undeclared(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("<?xml") {
        if let Some(end) = rest.find("?>") {
            if rest[..end].contains("encoding") {
                return format!("<?xml version=\"1.0\"?>{}", &rest[end + 2..]);
            }
        }
    }
    text.to_string()
}

/// Checks that decoded `text` is text: binary data read in a single-byte
/// charset decodes without error, but into control characters (about one
/// byte in ten), and in UTF-8 into replacement characters. A page may hold
/// a stray one; more than one character in a hundred is no page.
fn is_text(text: &str, encoding: &'static Encoding) -> Result<(), NotText> {
    let mut seen = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        seen += 1;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) || c == '\u{fffd}' {
            bad += 1;
        }
    }
    if bad > 8 && bad * 100 > seen {
        return Err(NotText::Binary {
            charset: encoding.name(),
            bad,
            seen,
        });
    }
    Ok(())
}

fn pick(bytes: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    if let Some(enc) = content_type.and_then(header_charset) {
        return enc;
    }
    if let Some(enc) = meta_charset(bytes) {
        return enc;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// `text/html; charset=ISO-8859-1` → windows-1252 (as browsers do).
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")?;
    let value = lower[at + 8..]
        .split(';')
        .next()?
        .trim()
        .trim_matches(|c| c == '"' || c == '\'');
    Encoding::for_label(value.as_bytes())
}

/// A `<meta charset>` or `<meta http-equiv=content-type>` in the first
/// 4 KiB, where the HTML standard says it must be.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset=") {
            let rest = &tag[c + 8..];
            let rest = rest
                .iter()
                .skip_while(|b| matches!(b, b'"' | b'\'' | b' '))
                .take_while(|b| !matches!(b, b'"' | b'\'' | b' ' | b';' | b'/' | b'>'))
                .copied()
                .collect::<Vec<u8>>();
            if let Some(enc) = Encoding::for_label(&rest) {
                // A page that says UTF-16 but was read as bytes is ASCII-
                // compatible after all (HTML standard).
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    return Some(encoding_rs::UTF_8);
                }
                return Some(enc);
            }
        }
        from = end.max(start + 5);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_everything() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("<meta charset=latin1>é".as_bytes());
        let (t, name) = decode_html(&b, Some("text/html; charset=iso-8859-1")).unwrap();
        assert_eq!(name, "UTF-8");
        assert!(t.ends_with('é'));
    }

    #[test]
    fn header_then_meta() {
        let b = b"<meta charset=\"utf-8\"><p>caf\xe9</p>";
        assert_eq!(
            decode_html(b, Some("text/html; charset=ISO-8859-1"))
                .unwrap()
                .1,
            "windows-1252"
        );
        let b = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">";
        assert_eq!(decode_html(b, None).unwrap().1, "windows-1251");
    }

    #[test]
    fn undeclared_latin_text_is_detected() {
        let b = b"<html><body><p>Le caf\xe9 de la gare a rouvert ses portes apr\xe8s des mois de travaux; les habitu\xe9s sont revenus d\xe8s l'aube.</p></body></html>";
        let (t, name) = decode_html(b, Some("text/html")).unwrap();
        assert_eq!(name, "windows-1252");
        assert!(t.contains("café") && t.contains("après"), "{t}");
    }
}
