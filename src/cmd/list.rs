//! `pressbook list`: the digest's articles in reading order.

use anyhow::Context;
use pressbook::{listing, term, Error};

use super::{DirArg, InputArgs};

/// List the digest's articles in reading order.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dir: DirArg,
    /// Print JSON for scripts.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    input: InputArgs,
}

pub fn run(a: Args) -> Result<(), Error> {
    let dir = &a.dir.dir;
    let (pressbook::Loaded { digest, .. }, warnings) =
        pressbook::check(dir, &a.input.load_options(), a.input.strict)?;
    term::print_diagnostics(&warnings);
    let entries = listing::entries(&digest, dir);
    if a.json {
        let json = serde_json::to_string_pretty(&entries).context("cannot write the listing")?;
        pressbook::say!("{json}");
    } else {
        pressbook::say_raw!("{}", listing::table(&entries));
    }
    Ok(())
}
