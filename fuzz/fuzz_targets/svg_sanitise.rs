//! The SVG allow-list on any bytes: it never panics, never takes more than
//! the nesting it allows, and what it keeps is inert and stable (rebuilding
//! its own output changes nothing).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressbook_model::picture::{self, svg};

fuzz_target!(|data: &[u8]| {
    let _ = picture::sniff(data);
    if let Ok(clean) = svg::sanitise(data) {
        let lower = clean.svg.to_ascii_lowercase();
        for bad in ["<script", "javascript:", "<foreignobject", "<!doctype", "<!entity", "@import"] {
            assert!(!lower.contains(bad), "{bad} kept in {}", clean.svg);
        }
        let again = svg::sanitise(clean.svg.as_bytes()).expect("the rebuilt SVG parses");
        assert_eq!(again.svg, clean.svg, "not stable");
    }
});
