//! `pressbook check`: validate the digest as `build` would, writing nothing.

use pressbook::{term, Error};

use super::{DirArg, InputArgs};

/// Validate the digest in DIR as `build` would, writing nothing.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dir: DirArg,
    #[command(flatten)]
    input: InputArgs,
}

pub fn run(a: Args) -> Result<(), Error> {
    let (pressbook::Loaded { digest, .. }, warnings) =
        pressbook::check(&a.dir.dir, &a.input.load_options(), a.input.strict)?;
    term::print_diagnostics(&warnings);
    println!(
        "ok: {} articles in {} sections, {} warning(s)",
        digest.articles().count(),
        digest.sections.len(),
        warnings.len()
    );
    Ok(())
}
