//! The SVG allow-list on any bytes: it never panics, what it keeps parses
//! as XML and is inert (no script or foreign element, no handler, no
//! reference but a fragment or an embedded raster, no style that loads
//! anything), and it is stable (rebuilding its own output changes nothing).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressbook_model::picture::{self, svg};

fuzz_target!(|data: &[u8]| {
    let _ = picture::sniff(data);
    let Ok(clean) = svg::sanitise(data) else {
        return;
    };
    let doc = roxmltree::Document::parse(&clean.svg).expect("the rebuilt SVG is XML");
    for n in doc.descendants().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        assert!(!matches!(name, "script" | "foreignObject" | "iframe" | "set" | "animate"), "{name} kept");
        for a in n.attributes() {
            let v = a.value().to_ascii_lowercase();
            assert!(!a.name().to_ascii_lowercase().starts_with("on"), "handler {} kept", a.name());
            if a.name() == "href" {
                assert!(v.starts_with('#') || v.starts_with("data:image/"), "href {v} kept");
            }
            assert!(!v.contains("javascript:") && !v.contains("@import"), "{} = {v} kept", a.name());
        }
        if name == "style" {
            let css = n.text().unwrap_or_default().to_ascii_lowercase();
            assert!(!css.contains("@import") && !css.contains("url(http"), "style {css} kept");
        }
    }
    let again = svg::sanitise(clean.svg.as_bytes()).expect("the rebuilt SVG is accepted");
    assert_eq!(again.svg, clean.svg, "not stable");
});
