//! `pressbook completions` and `pressbook man`: generated from the CLI itself.

use anyhow::Context;
use clap::CommandFactory;
use pressbook::Error;

use super::Cli;

/// Print a shell completion script.
#[derive(clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(a: Args) -> Result<(), Error> {
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "pressbook", &mut out);
    pressbook::term::say_bytes(&out);
    Ok(())
}

pub fn man() -> Result<(), Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .context("cannot write the man page")?;
    pressbook::term::say_bytes(&out);
    Ok(())
}
