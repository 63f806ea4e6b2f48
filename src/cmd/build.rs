//! `pressbook build`: the digest into e-book files, once or on every change.

use std::path::PathBuf;

use pressbook::{outputs, term, BuildOptions, BuildReport, Error};

use super::{DirArg, InputArgs};

/// Build the digest in DIR into e-book files.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dir: DirArg,
    /// Output folder [default: DIR/dist].
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Which files to write.
    #[arg(long, short, default_value = outputs::ALL,
          value_parser = clap::builder::PossibleValuesParser::new(outputs::format_values(true)))]
    format: String,
    /// Fit the EPUB and KEPUB to this size, e.g. 45MB (overrides
    /// `[images] budget`): pictures step down until the book fits.
    #[arg(long, value_name = "SIZE", value_parser = super::send::parse_size)]
    image_budget: Option<u64>,
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
}

pub fn run(a: Args) -> Result<(), Error> {
    let progress = term::ProgressDisplay::new(a.verbose);
    let mut load = a.input.load_options();
    load.image_budget = a.image_budget;
    let opts = BuildOptions {
        load,
        dir: a.dir.dir,
        out: a.out,
        outputs: outputs::select(&a.format)
            .ok_or_else(|| Error::Usage(format!("no output format {:?}", a.format)))?,
        strict: a.input.strict,
        progress: (!a.quiet).then(|| progress.callback()),
    };
    let show = |report: &BuildReport| {
        if !a.quiet {
            term::print_diagnostics(&report.warnings);
            for w in &report.written {
                pressbook::say!("{}", term::summary_line(w));
            }
        }
    };
    if !a.watch {
        let result = pressbook::build(&opts);
        progress.finish();
        return result.map(|r| show(&r));
    }
    // Watching reports each build's outcome and carries on; it returns
    // only when watching itself fails.
    pressbook::watch::watch(&opts, |result| {
        progress.finish();
        match result {
            Ok(report) => show(&report),
            Err(e) => term::print_error(&e),
        }
        if !a.quiet {
            pressbook::say_err!(
                "watching {} for changes (Ctrl-C to stop)",
                opts.dir.display()
            );
        }
    })
    .map_err(Error::from)
}
