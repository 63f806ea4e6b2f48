//! Why collecting an article, or opening a digest to collect into, failed.
//! Each step has its own error; this gathers them, naming what failed.

use std::path::PathBuf;

use crate::extract::ExtractError;
use crate::fetch::FetchError;
use crate::source::SourceError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} not found; run `pressbook init {}` first", .manifest.display(), .dir.display())]
    NoDigest { manifest: PathBuf, dir: PathBuf },
    /// `pressbook.state.json` could not be read.
    #[error(transparent)]
    State(anyhow::Error),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{0} offers nothing to read")]
    Empty(String),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{name}: cannot extract an article")]
    Extract {
        name: String,
        #[source]
        source: ExtractError,
    },
    /// Writing the article, its images or the manifest.
    #[error(transparent)]
    Save(anyhow::Error),
}

/// The error and its causes, `: `-separated (as anyhow's `{:#}`).
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_names_the_thing_and_the_cause() {
        let e = Error::Extract {
            name: "https://n.example/a".into(),
            source: ExtractError::NoArticle(4),
        };
        assert_eq!(
            chain(&e),
            "https://n.example/a: cannot extract an article: found no article in the page (only 4 words of text)"
        );
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let e = Error::Save(anyhow::Error::new(io).context("cannot create articles"));
        assert_eq!(chain(&e), "cannot create articles: gone");
    }
}
