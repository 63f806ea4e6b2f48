//! SVG rebuilt from an allow-list. The file is parsed as XML (well-formed
//! or refused; entities never read from outside, the DOCTYPE never
//! copied), and a new document is written holding only drawing elements
//! and presentation attributes: no script, no event handler, no
//! `foreignObject`, no link to anything but a fragment of the same file or
//! an embedded raster picture, no `@import` or remote `url()` in styles.
//! The result is the same bytes for the same input.

use std::fmt::Write;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Deeper nesting than this is dropped (no drawing needs it, and the
/// rebuild recurses).
const MAX_DEPTH: usize = 128;

/// Files nesting deeper than this are refused before parsing.
const MAX_PARSE_DEPTH: usize = 512;

/// How deep the elements of `text` nest (a quick scan that errs on the
/// deep side: quotes, comments, CDATA and declarations are skipped).
fn nesting(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    let skip_to = |from: usize, end: &[u8]| {
        b[from..]
            .windows(end.len())
            .position(|w| w == end)
            .map_or(b.len(), |p| from + p + end.len())
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = skip_to(i + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = skip_to(i + 9, b"]]>");
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = skip_to(i + 2, b">");
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = skip_to(i + 2, b">");
        } else {
            let mut j = i + 1;
            let mut quote = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, q @ (b'"' | b'\'')) => quote = Some(q),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if j < b.len() && b[j - 1] != b'/' {
                depth += 1;
                max = max.max(depth);
            }
            i = j + 1;
        }
    }
    max
}

/// Elements kept with their content.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "title",
    "desc",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "marker",
    "image",
    "style",
    "filter",
    "feGaussianBlur",
    "feOffset",
    "feBlend",
    "feColorMatrix",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feDropShadow",
];

/// Elements that run, load or show something from outside: reported when
/// removed (other unknown elements, such as an editor's metadata, go
/// silently).
const ACTIVE: &[&str] = &[
    "script",
    "foreignObject",
    "iframe",
    "embed",
    "object",
    "set",
    "animate",
    "animateTransform",
    "animateMotion",
    "audio",
    "video",
    "handler",
    "listener",
];

/// Elements replaced by their content (a link becomes what it shows).
const UNWRAPPED: &[&str] = &["a", "switch"];

/// Attributes kept (values still checked for references).
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "style",
    "transform",
    "d",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "fr",
    "width",
    "height",
    "points",
    "viewBox",
    "preserveAspectRatio",
    "version",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "color",
    "display",
    "visibility",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "font-variant",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "word-spacing",
    "text-decoration",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "startOffset",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "offset",
    "stop-color",
    "stop-opacity",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "mask",
    "maskUnits",
    "maskContentUnits",
    "marker-start",
    "marker-mid",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "orient",
    "markerUnits",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "filter",
    "filterUnits",
    "primitiveUnits",
    "stdDeviation",
    "in",
    "in2",
    "result",
    "mode",
    "type",
    "values",
    "operator",
    "k1",
    "k2",
    "k3",
    "k4",
    "flood-color",
    "flood-opacity",
    "radius",
    "vector-effect",
    "paint-order",
    "shape-rendering",
    "text-rendering",
    "image-rendering",
    "role",
    "aria-label",
    "aria-hidden",
    "lang",
    "href",
    "media",
];

/// A rebuilt SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Sanitised {
    pub svg: String,
    /// Its size in CSS pixels (width/height, else the viewBox, else 800×600).
    pub width: u32,
    pub height: u32,
    /// What active or remote content was removed, each once, e.g.
    /// `<script>`, `event handler onload` (editors' metadata is removed
    /// without a word).
    pub removed: Vec<String>,
}

/// The name of the first element of an XML-looking file, if it is one
/// (after a BOM, the XML declaration, comments and a DOCTYPE).
pub fn first_element(data: &[u8]) -> Option<String> {
    let head = &data[..data.len().min(64 << 10)];
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>")?.1.trim_start();
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->")?.1.trim_start();
        } else if rest.starts_with("<!") {
            rest = skip_doctype(rest)?.trim_start();
        } else if let Some(r) = rest.strip_prefix('<') {
            let name: String = r
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
                .collect();
            let local = name.rsplit(':').next().unwrap_or_default().to_string();
            return (!local.is_empty()).then_some(local);
        } else {
            return None;
        }
    }
}

/// The text after a `<!DOCTYPE …>` (with an internal subset in brackets).
fn skip_doctype(s: &str) -> Option<&str> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '>' if depth == 0 => return Some(&s[i + 1..]),
            _ => {}
        }
    }
    None
}

/// Parses `data` and rebuilds it from the allow-list, or says why not.
pub fn sanitise(data: &[u8]) -> Result<Sanitised, String> {
    let text = std::str::from_utf8(data).map_err(|_| "it is not UTF-8 text".to_string())?;
    let text = text.trim_start_matches('\u{feff}');
    // The XML parser recurses with the nesting: refuse deep files first.
    if nesting(text) > MAX_PARSE_DEPTH {
        return Err(format!(
            "its elements nest deeper than {MAX_PARSE_DEPTH} levels"
        ));
    }
    let opts = roxmltree::ParsingOptions {
        // Internal entities expand within roxmltree's own limits; external
        // ones are never read. The DOCTYPE is not copied.
        allow_dtd: true,
        nodes_limit: 1_000_000,
    };
    let doc = roxmltree::Document::parse_with_options(text, opts)
        .map_err(|e| format!("it is not well-formed XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" || !in_svg_ns(root) {
        return Err(format!(
            "its root element is <{}>, not an SVG <svg>",
            root.tag_name().name()
        ));
    }
    let mut w = Rebuild::default();
    w.element(root, 0);
    let (width, height) = size(root).unwrap_or((800, 600));
    w.removed.sort();
    w.removed.dedup();
    Ok(Sanitised {
        svg: w.out,
        width,
        height,
        removed: w.removed,
    })
}

fn in_svg_ns(n: roxmltree::Node) -> bool {
    matches!(n.tag_name().namespace(), None | Some(SVG_NS))
}

#[derive(Default)]
struct Rebuild {
    out: String,
    removed: Vec<String>,
    uses_xlink: bool,
}

impl Rebuild {
    fn element(&mut self, n: roxmltree::Node, depth: usize) {
        let name = n.tag_name().name();
        if depth > MAX_DEPTH {
            self.removed
                .push(format!("elements nested deeper than {MAX_DEPTH}"));
            return;
        }
        if !in_svg_ns(n) {
            // Editors' metadata (Inkscape, Illustrator): nothing to report.
            return;
        }
        if UNWRAPPED.contains(&name) {
            self.children(n, depth);
            return;
        }
        if !ELEMENTS.contains(&name) {
            if ACTIVE.contains(&name) {
                self.removed.push(format!("<{name}>"));
            }
            return;
        }
        if name == "style" {
            return self.style_element(n);
        }
        let at = self.out.len();
        self.out.push('<');
        self.out.push_str(name);
        if depth == 0 {
            self.out.push_str(" xmlns=\"http://www.w3.org/2000/svg\"");
        }
        let mut keep = true;
        for a in n.attributes() {
            keep &= self.attribute(name, a);
        }
        if !keep {
            // An <image> or <use> whose only reference was removed.
            self.out.truncate(at);
            return;
        }
        self.out.push('>');
        self.children(n, depth);
        let _ = write!(self.out, "</{name}>");
        if depth == 0 && self.uses_xlink {
            let open = "<svg xmlns=\"http://www.w3.org/2000/svg\"";
            self.out
                .insert_str(open.len(), " xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
        }
    }

    fn children(&mut self, n: roxmltree::Node, depth: usize) {
        for c in n.children() {
            if c.is_element() {
                self.element(c, depth + 1);
            } else if c.is_text() {
                escape_into(&mut self.out, c.text().unwrap_or_default(), false);
            }
        }
    }

    /// Writes one attribute if allowed; `false` when the element must go
    /// (a reference element whose reference is not allowed).
    fn attribute(&mut self, element: &str, a: roxmltree::Attribute) -> bool {
        let (ns, name, value) = (a.namespace(), a.name(), a.value());
        let qualified = match ns {
            None => name.to_string(),
            Some(XLINK_NS) if name == "href" => "xlink:href".to_string(),
            Some(XML_NS) if matches!(name, "space" | "lang") => format!("xml:{name}"),
            Some(_) => return true,
        };
        if ns.is_none() && !ATTRIBUTES.contains(&name) {
            if name.to_ascii_lowercase().starts_with("on") {
                self.removed.push(format!("event handler {name}"));
            }
            return true;
        }
        // A reference is written as it was checked, whitespace removed
        // (found by fuzzing: "data\t:image/png" passed the check and was
        // kept as a relative link).
        let squeezed: String;
        let mut value = value;
        if name == "href" {
            if !href_allowed(element, value) {
                self.removed.push(format!("reference {}", shorten(value)));
                return !matches!(element, "image" | "use");
            }
            squeezed = value.chars().filter(|c| !c.is_whitespace()).collect();
            value = &squeezed;
            self.uses_xlink |= qualified == "xlink:href";
        } else if !style_allowed(value) {
            self.removed
                .push(format!("{name} with a remote or active value"));
            return true;
        }
        let _ = write!(self.out, " {qualified}=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
        true
    }

    /// A `<style>` element is kept only when its rules load nothing.
    fn style_element(&mut self, n: roxmltree::Node) {
        let css: String = n.children().filter_map(|c| c.text()).collect();
        if style_allowed(&css) {
            self.out.push_str("<style>");
            escape_into(&mut self.out, &css, false);
            self.out.push_str("</style>");
        } else {
            self.removed
                .push("<style> with @import or a remote url()".into());
        }
    }
}

/// A reference is allowed to a fragment of the same file, and, on
/// `<image>`, to a PNG, JPEG or GIF embedded as a data URL.
fn href_allowed(element: &str, value: &str) -> bool {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if v.starts_with('#') {
        return element != "image";
    }
    let lower = v.to_ascii_lowercase();
    element == "image"
        && ["data:image/png;", "data:image/jpeg;", "data:image/gif;"]
            .iter()
            .any(|p| lower.starts_with(p))
}

/// A style or presentation value that loads nothing and runs nothing:
/// `url()` only to a fragment, no `@import`, no escapes that could hide
/// either, no script schemes or expressions.
fn style_allowed(value: &str) -> bool {
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if squeezed.contains('\\')
        || squeezed.contains("@import")
        || squeezed.contains("expression(")
        || squeezed.contains("javascript:")
        || squeezed.contains("vbscript:")
        || squeezed.contains("-moz-binding")
        || squeezed.contains("behavior:")
        || squeezed.contains("/*")
    {
        return false;
    }
    let mut rest = squeezed.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let target = rest.trim_start_matches(['"', '\'']);
        if !target.starts_with('#') {
            return false;
        }
    }
    true
}

fn shorten(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        t.push('…');
    }
    t.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn escape_into(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// The root's size in CSS pixels, from width/height or the viewBox.
fn size(root: roxmltree::Node) -> Option<(u32, u32)> {
    let num = |v: &str| -> Option<f64> {
        let n: String = v
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        n.parse().ok().filter(|x: &f64| x.is_finite() && *x > 0.0)
    };
    let px = |x: f64| x.round().clamp(1.0, 30_000.0) as u32;
    let pct = |v: Option<&str>| v.is_some_and(|v| v.trim_end().ends_with('%'));
    let (w, h) = (root.attribute("width"), root.attribute("height"));
    if !pct(w) && !pct(h) {
        if let (Some(w), Some(h)) = (w.and_then(num), h.and_then(num)) {
            return Some((px(w), px(h)));
        }
    }
    let vb: Vec<f64> = root
        .attribute("viewBox")?
        .split([' ', ','])
        .filter_map(|n| n.parse().ok())
        .collect();
    (vb.len() == 4 && vb[2] > 0.0 && vb[3] > 0.0).then(|| (px(vb[2]), px(vb[3])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> Sanitised {
        sanitise(svg.as_bytes()).unwrap()
    }

    #[test]
    fn drawing_is_kept_and_sized() {
        let s = clean(
            r##"<?xml version="1.0"?><!-- made by hand -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40.4" viewBox="0 0 120 40">
<title>Harbour</title><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
<rect width="10" height="10" fill="url(#g)"/><use xlink:href="#g"/><text x="1" y="2">A &amp; B</text></svg>"##,
        );
        assert_eq!((s.width, s.height), (120, 40));
        assert!(s.removed.is_empty(), "{:?}", s.removed);
        assert!(s.svg.contains("fill=\"url(#g)\""), "{}", s.svg);
        assert!(s.svg.contains("xlink:href=\"#g\""), "{}", s.svg);
        assert!(s.svg.contains("xmlns:xlink="), "{}", s.svg);
        assert!(s.svg.contains("A &amp; B"), "{}", s.svg);
        // The rebuilt file is itself accepted unchanged.
        assert_eq!(clean(&s.svg).svg, s.svg);
    }

    #[test]
    fn active_and_remote_content_is_removed() {
        let s = clean(
            r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">
<script>alert(2)</script>
<a href="javascript:alert(3)"><circle r="4" onclick="x()"/></a>
<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/"/></foreignObject>
<image href="https://tracker.example/pixel.png"/><use xlink:href="https://evil.example/s.svg#x"/>
<rect style="fill:url(https://evil.example/p.png)"/><rect fill="url( 'http://evil.example/' )"/>
<style>@import url(https://evil.example/a.css);</style>
<image xlink:href="data:image/png;base64,iVBORw0KGgo="/>
</svg>"##,
        );
        for bad in [
            "alert",
            "javascript",
            "foreignObject",
            "iframe",
            "evil.example",
            "tracker",
            "@import",
            "onclick",
            "onload",
        ] {
            assert!(!s.svg.contains(bad), "{bad} left in {}", s.svg);
        }
        assert!(s.svg.contains("<circle r=\"4\">"), "{}", s.svg);
        assert!(s.svg.contains("data:image/png;base64"), "{}", s.svg);
        assert!(s.removed.iter().any(|r| r == "<script>"), "{:?}", s.removed);
        assert!(s.removed.iter().any(|r| r == "event handler onload"));
    }

    #[test]
    fn malformed_xml_external_entities_and_other_roots_are_refused() {
        assert!(sanitise(b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>").is_err());
        assert!(sanitise(b"<html><svg/></html>").is_err());
        assert!(sanitise(b"\xff\xfe<\0s\0").is_err());
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"#;
        match sanitise(xxe) {
            Ok(s) => assert!(!s.svg.contains("root:"), "{}", s.svg),
            Err(e) => assert!(e.contains("XML"), "{e}"),
        }
        let laughs = br#"<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;</text></svg>"#;
        if let Ok(s) = sanitise(laughs) {
            assert!(s.svg.len() < 2_000_000, "{} bytes", s.svg.len());
        }
    }

    #[test]
    fn deep_nesting_is_cut() {
        let n = 5000;
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
            "<g>".repeat(n),
            "</g>".repeat(n)
        );
        let err = sanitise(svg.as_bytes()).unwrap_err();
        assert!(err.contains("nest deeper"), "{err}");
        let n = 300;
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
            "<g>".repeat(n),
            "</g>".repeat(n)
        );
        let s = sanitise(svg.as_bytes()).unwrap();
        assert!(s.svg.matches("<g>").count() <= MAX_DEPTH);
    }

    #[test]
    fn references_are_written_as_checked() {
        let s = clean("<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"data\t\t:image/png;base64,AAAA\"/></svg>");
        assert!(
            s.svg.contains("href=\"data:image/png;base64,AAAA\""),
            "{}",
            s.svg
        );
    }

    #[test]
    fn first_elements() {
        assert_eq!(
            first_element(b"\xEF\xBB\xBF<?xml version='1.0'?><!DOCTYPE svg PUBLIC \"a\" \"b\" [<!ENTITY x \"y\">]><!-- c --><svg/>").as_deref(),
            Some("svg")
        );
        assert_eq!(
            first_element(b"<!doctype html><html>").as_deref(),
            Some("html")
        );
        assert_eq!(first_element(b"hello"), None);
    }
}
