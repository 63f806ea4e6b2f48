//! The plain-text article parser on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let a = pressbook::source::plaintext::parse(text);
    // No text is lost: every paragraph's words come from the input.
    for p in &a.paragraphs {
        for w in p.text.split_whitespace() {
            assert!(text.contains(w));
        }
    }
});
