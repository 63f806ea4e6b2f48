//! The sources of today, each a [`Source`]: a page's address
//! ([`WebPage`]), a saved page or standard input ([`SavedPage`]), and the
//! new items of a feed ([`FeedItems`]).

pub mod feed;
pub mod saved;
pub mod web;

use std::path::PathBuf;

use url::Url;

pub use feed::FeedItems;
pub use saved::SavedPage;
pub use web::WebPage;

use crate::source::{Source, SourceError};

/// The source a command-line argument names: `-` for standard input, an
/// address with `://`, else a saved page. `base` is `--url`, the address
/// the page is read as.
pub fn from_arg(arg: &str, base: Option<&str>) -> Result<Box<dyn Source>, SourceError> {
    let base = base.map(parse_base).transpose()?;
    Ok(if arg == "-" {
        Box::new(SavedPage::stdin(base))
    } else if arg.contains("://") {
        Box::new(WebPage::new(arg, base))
    } else {
        Box::new(SavedPage::file(PathBuf::from(arg), base))
    })
}

fn parse_base(b: &str) -> Result<Url, SourceError> {
    Url::parse(b)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| SourceError::Base(b.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_name_stdin_addresses_and_files() {
        let name = |arg: &str| from_arg(arg, None).map(|s| s.name()).unwrap();
        assert_eq!(name("-"), "standard input");
        assert_eq!(name("https://n.example/a"), "https://n.example/a");
        assert_eq!(name("saved/page.html"), "saved/page.html");
        let bad = from_arg("page.html", Some("news/page")).err().unwrap();
        assert_eq!(
            bad.to_string(),
            "--url \"news/page\" is not an absolute http(s) address"
        );
    }
}
