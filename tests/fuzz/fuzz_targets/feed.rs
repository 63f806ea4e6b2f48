//! Feed parsing on arbitrary bytes, under every charset label: no input
//! may crash the feed parser (its guard turns a crash into an error, which
//! is reported here as a finding).
#![no_main]
use libfuzzer_sys::fuzz_target;
use pressbook::collect::feeds::{parse, FeedError};
use pressbook::collect::guard::Stopped;

const LABELS: &[Option<&str>] = &[
    None,
    Some("application/rss+xml; charset=utf-8"),
    Some("text/xml; charset=utf-16"),
    Some("text/xml; charset=utf-16be"),
    Some("application/atom+xml; charset=windows-1252"),
    Some("application/xml; charset=shift_jis"),
    Some("application/feed+json; charset=gb18030"),
];

fuzz_target!(|data: &[u8]| {
    for label in LABELS {
        if let Err(FeedError::Stopped(Stopped::Crashed { message, .. })) =
            parse(data, "https://feeds.example/f.xml", *label)
        {
            panic!("the feed parser crashed: {message}");
        }
    }
});
