//! Front matter and the Markdown converter on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pressbook::model::ImageSrc;
use pressbook::source::markdown::{self, ImageResolver};

struct Remote;
impl ImageResolver for Remote {
    fn resolve(&mut self, url: &str, _: usize) -> ImageSrc {
        ImageSrc::Remote(url.to_string())
    }
}

fuzz_target!(|text: &str| {
    if let Ok(split) = markdown::split_front_matter(text) {
        if let Some(front) = split.front {
            let _ = markdown::parse_front_matter(front, split.front_line);
        }
        let converted = markdown::convert(split.body, 1, &mut Remote);
        // The EPUB writer must accept whatever the converter makes.
        let _ = pressbook::model::visit_text(&converted.body, &mut |_| {});
    }
});
