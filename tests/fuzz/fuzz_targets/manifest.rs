//! The manifest parser on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    let mut diags = pressbook::diag::Sink::new();
    let _ = pressbook::manifest::parse(
        text,
        Path::new("/nonexistent-digest"),
        Path::new("pressbook.toml"),
        false,
        &mut diags,
    );
    for d in diags.iter() {
        let _ = d.to_string();
    }
});
