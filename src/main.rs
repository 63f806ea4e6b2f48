//! The `pressbook` command: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use pressbook::{BuildError, BuildOptions, Format, LoadOptions};

#[derive(Parser)]
#[command(
    name = "pressbook",
    version,
    about = "Turn a folder of articles into an EPUB 3 and a typeset PDF"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the digest in DIR into e-book files.
    Build {
        /// The digest folder (holding pressbook.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder [default: DIR/dist].
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Which files to write.
        #[arg(long, short, value_enum, default_value_t = FormatArg::All)]
        format: FormatArg,
        #[command(flatten)]
        input: InputArgs,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Validate the digest in DIR as `build` would, writing nothing.
    Check {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        input: InputArgs,
    },
}

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
}

impl InputArgs {
    fn load_options(&self) -> LoadOptions {
        let mut o = LoadOptions::from_env();
        o.allow_outside = self.allow_outside;
        if let Some(k) = self.max_article_size {
            o.limits.max_article_bytes = k << 10;
        }
        o
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Epub,
    Pdf,
    All,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            dir,
            out,
            format,
            input,
            quiet,
        } => {
            let opts = BuildOptions {
                load: input.load_options(),
                dir,
                out,
                format: match format {
                    FormatArg::Epub => Format::Epub,
                    FormatArg::Pdf => Format::Pdf,
                    FormatArg::All => Format::All,
                },
                strict: input.strict,
            };
            match pressbook::build(&opts) {
                Ok(report) => {
                    if !quiet {
                        eprint!("{}", pressbook::render_diagnostics(&report.warnings));
                        for n in &report.notes {
                            eprintln!("note: {n}");
                        }
                        for w in &report.written {
                            let pages = w.pages.map(|p| format!(", {p} pages")).unwrap_or_default();
                            println!(
                                "wrote {} ({}, {:.1} KiB{pages}, {} articles)",
                                w.path.display(),
                                w.format,
                                w.bytes as f64 / 1024.0,
                                w.articles
                            );
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Check { dir, input } => {
            match pressbook::check(&dir, &input.load_options(), input.strict) {
                Ok((digest, warnings)) => {
                    eprint!("{}", pressbook::render_diagnostics(&warnings));
                    println!(
                        "ok: {} articles in {} sections, {} warning(s)",
                        digest.articles().count(),
                        digest.sections.len(),
                        warnings.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
    }
}

fn fail(e: BuildError) -> ExitCode {
    match e {
        BuildError::Input(diags) => eprint!("{}", pressbook::render_diagnostics(&diags)),
        BuildError::Output(e) => eprintln!("error: {e:#}"),
    }
    ExitCode::from(1)
}
