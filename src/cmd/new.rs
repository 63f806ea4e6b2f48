//! `pressbook new`: a Markdown article listed in the manifest.

use std::path::PathBuf;

use pressbook::{scaffold, Error};

/// Add a Markdown article to the digest and list it in the manifest.
#[derive(clap::Args)]
pub struct Args {
    /// The digest folder.
    dir: PathBuf,
    /// The article's headline.
    headline: String,
    /// The section to list it in (created if missing).
    #[arg(long, short)]
    section: Option<String>,
}

pub fn run(a: Args) -> Result<(), Error> {
    let path = scaffold::new_article(&a.dir, &a.headline, a.section.as_deref(), super::today())?;
    pressbook::say!("created {}", path.display());
    Ok(())
}
