//! The `pressbook` command: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use pressbook::{term, BuildError, BuildOptions, Format, LoadOptions};

#[derive(Parser)]
#[command(
    name = "pressbook",
    version,
    about = "Turn a folder of articles into an EPUB 3 and a typeset PDF",
    after_help = "Start with `pressbook init my-digest`, then `pressbook build my-digest`."
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
        /// Rebuild whenever an article, image or the manifest changes.
        #[arg(long, short)]
        watch: bool,
        #[command(flatten)]
        input: InputArgs,
        /// Print nothing but errors.
        #[arg(long, short, conflicts_with = "verbose")]
        quiet: bool,
        /// Say what each step does.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Validate the digest in DIR as `build` would, writing nothing.
    Check {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        input: InputArgs,
    },
    /// List the digest's articles in reading order.
    List {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Create a digest folder with a commented manifest and two example articles.
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Add a Markdown article to the digest and list it in the manifest.
    New {
        /// The digest folder.
        dir: PathBuf,
        /// The article's headline.
        headline: String,
        /// The section to list it in (created if missing).
        #[arg(long, short)]
        section: Option<String>,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
    /// Write a synthetic corpus of N articles (for benchmarks).
    #[command(hide = true)]
    GenCorpus {
        dir: PathBuf,
        #[arg(long, short, default_value_t = 100)]
        articles: usize,
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
    /// Largest image file accepted, in KiB.
    #[arg(long, value_name = "KIB")]
    max_image_size: Option<u64>,
}

impl InputArgs {
    fn load_options(&self) -> LoadOptions {
        let mut o = LoadOptions::from_env();
        o.allow_outside = self.allow_outside;
        if let Some(k) = self.max_article_size {
            o.limits.max_article_bytes = k << 10;
        }
        if let Some(k) = self.max_image_size {
            o.limits.max_image_bytes = k << 10;
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
    let today = chrono::Local::now().date_naive();
    match cli.command {
        Command::Build {
            dir,
            out,
            format,
            watch,
            input,
            quiet,
            verbose,
        } => {
            let progress = term::ProgressDisplay::new(verbose);
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
                progress: (!quiet).then(|| progress.callback()),
            };
            let show = |result: Result<pressbook::BuildReport, BuildError>| {
                progress.finish();
                match result {
                    Ok(report) => {
                        if !quiet {
                            term::print_diagnostics(&report.warnings);
                            for n in &report.notes {
                                eprintln!("note: {n}");
                            }
                            for w in &report.written {
                                println!("{}", term::summary_line(w));
                            }
                        }
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(e),
                }
            };
            if watch {
                let result = pressbook::watch::watch(&opts, |r| {
                    show(r);
                    if !quiet {
                        eprintln!(
                            "watching {} for changes (Ctrl-C to stop)",
                            opts.dir.display()
                        );
                    }
                });
                if let Err(e) = result {
                    eprintln!("error: {e:#}");
                }
                return ExitCode::from(1);
            }
            show(pressbook::build(&opts))
        }
        Command::Check { dir, input } => {
            match pressbook::check(&dir, &input.load_options(), input.strict) {
                Ok((digest, warnings)) => {
                    term::print_diagnostics(&warnings);
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
        Command::List { dir, json, input } => {
            match pressbook::check(&dir, &input.load_options(), input.strict) {
                Ok((digest, warnings)) => {
                    term::print_diagnostics(&warnings);
                    let entries = pressbook::listing::entries(&digest, &dir);
                    if json {
                        match serde_json::to_string_pretty(&entries) {
                            Ok(s) => println!("{s}"),
                            Err(e) => {
                                eprintln!("error: {e}");
                                return ExitCode::from(1);
                            }
                        }
                    } else {
                        print!("{}", pressbook::listing::table(&entries));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Init { dir } => match pressbook::scaffold::init(&dir, today) {
            Ok(files) => {
                for f in files {
                    println!("created {}", f.display());
                }
                println!("next: pressbook build {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::New {
            dir,
            headline,
            section,
        } => match pressbook::scaffold::new_article(&dir, &headline, section.as_deref(), today) {
            Ok(path) => {
                println!("created {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "pressbook",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::GenCorpus { dir, articles } => match pressbook::corpus::generate(&dir, articles) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            }
        },
        Command::Man => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn fail(e: BuildError) -> ExitCode {
    match e {
        BuildError::Problems(diags) => term::print_diagnostics(&diags),
        BuildError::Output(e) => eprintln!("error: {e:#}"),
    }
    ExitCode::from(1)
}
