//! Turning page bytes into text: byte-order mark, then the HTTP header's
//! charset, then a `<meta>` declaration, then statistical detection.

use encoding_rs::Encoding;

/// Decodes an HTML page. `content_type` is the HTTP header, if any.
/// Returns the text and the name of the encoding used.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> (String, &'static str) {
    let encoding = pick(bytes, content_type, true);
    let (text, _, _) = encoding.decode(bytes);
    (text.into_owned(), encoding.name())
}

/// Decodes a text body that is not HTML (a JSON feed): BOM, header, then
/// detection.
pub fn decode_text(bytes: &[u8], content_type: Option<&str>) -> String {
    let encoding = pick(bytes, content_type, false);
    encoding.decode(bytes).0.into_owned()
}

fn pick(bytes: &[u8], content_type: Option<&str>, html: bool) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    if let Some(enc) = content_type.and_then(header_charset) {
        return enc;
    }
    if html {
        if let Some(enc) = meta_charset(bytes) {
            return enc;
        }
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
        let (t, name) = decode_html(&b, Some("text/html; charset=iso-8859-1"));
        assert_eq!(name, "UTF-8");
        assert!(t.ends_with('é'));
    }

    #[test]
    fn header_then_meta() {
        let b = b"<meta charset=\"utf-8\"><p>caf\xe9</p>";
        assert_eq!(
            decode_html(b, Some("text/html; charset=ISO-8859-1")).1,
            "windows-1252"
        );
        let b = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">";
        assert_eq!(decode_html(b, None).1, "windows-1251");
    }

    #[test]
    fn undeclared_latin_text_is_detected() {
        let b = b"<html><body><p>Le caf\xe9 de la gare a rouvert ses portes apr\xe8s des mois de travaux; les habitu\xe9s sont revenus d\xe8s l'aube.</p></body></html>";
        let (t, name) = decode_html(b, Some("text/html"));
        assert_eq!(name, "windows-1252");
        assert!(t.contains("café") && t.contains("après"), "{t}");
    }
}
