//! The subcommands, one module each (as mdBook does): each owns its
//! arguments and a `run` that calls the library. Errors come back as
//! [`pressbook::Error`]; `main` prints them and picks the exit code.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use pressbook::LoadOptions;

mod add;
mod build;
mod check;
mod completions;
mod extract;
mod fetch;
mod gen_corpus;
mod init;
mod list;
mod new;
mod send;

#[derive(Parser)]
#[command(
    name = "pressbook",
    version,
    about = "Turn a folder of articles into an EPUB 3 and a typeset PDF",
    after_help = "Start with `pressbook init my-digest`, then `pressbook build my-digest`."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Build(build::Args),
    Check(check::Args),
    List(list::Args),
    Init(init::Args),
    New(new::Args),
    Send(send::Args),
    Extract(extract::Args),
    Add(add::Args),
    Fetch(fetch::Args),
    Completions(completions::Args),
    /// Print the man page (roff).
    Man,
    #[command(hide = true)]
    GenCorpus(gen_corpus::Args),
}

/// Runs the command line's subcommand.
pub fn run(cli: Cli) -> Result<(), pressbook::Error> {
    match cli.command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::List(a) => list::run(a),
        Command::Init(a) => init::run(a),
        Command::New(a) => new::run(a),
        Command::Send(a) => send::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Add(a) => add::run(a),
        Command::Fetch(a) => fetch::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Man => completions::man(),
        Command::GenCorpus(a) => gen_corpus::run(a),
    }
}

/// The digest folder argument most commands take.
#[derive(clap::Args)]
struct DirArg {
    /// The digest folder (holding pressbook.toml).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// How to read the digest: shared by every command that loads one.
#[derive(clap::Args)]
struct InputArgs {
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Allow article paths outside the digest folder.
    #[arg(long)]
    allow_outside: bool,
    /// Largest article file accepted, in KiB.
    #[arg(long, value_name = "KIB")]
    max_article_size: Option<u64>,
    /// Largest image file accepted, in KiB.
    #[arg(long, value_name = "KIB")]
    max_image_size: Option<u64>,
    /// A folder of fonts for characters the PDF's fonts lack, searched
    /// before the system's (repeatable).
    #[arg(long, value_name = "DIR")]
    font_path: Vec<PathBuf>,
    /// Do not look for fonts in the system's font folders.
    #[arg(long)]
    no_system_fonts: bool,
}

impl InputArgs {
    fn load_options(&self) -> LoadOptions {
        let mut o = LoadOptions::from_env();
        o.allow_outside = self.allow_outside;
        o.font_path = self.font_path.clone();
        o.no_system_fonts = self.no_system_fonts;
        if let Some(k) = self.max_article_size {
            o.limits.max_article_bytes = k << 10;
        }
        if let Some(k) = self.max_image_size {
            o.limits.max_image_bytes = k << 10;
        }
        o
    }
}

/// Today in the user's time zone: the default date of new articles.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
