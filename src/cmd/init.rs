//! `pressbook init`: a digest folder that builds straight away.

use std::path::PathBuf;

use pressbook::{scaffold, Error};

/// Create a digest folder with a commented manifest and two example articles.
#[derive(clap::Args)]
pub struct Args {
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(a: Args) -> Result<(), Error> {
    for f in scaffold::init(&a.dir, super::today())? {
        pressbook::say!("created {}", f.display());
    }
    pressbook::say!("next: pressbook build {}", a.dir.display());
    Ok(())
}
