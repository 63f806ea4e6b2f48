//! pressbook: a folder of articles in, an EPUB 3 and a typeset PDF out.
//!
//! The pipeline runs one way, one crate a stage (ARCHITECTURE.md):
//! [`pressbook_model`] (manifest, article files, loading into the model) →
//! one [`Renderer`] per output format ([`pressbook_epub`];
//! [`pressbook_layout`] → [`pressbook_pdf`]) → [`output`] (atomic writes).
//! [`pressbook_collect`] writes article files upstream of it all and
//! [`pressbook_deliver`] mails finished books downstream. This crate holds
//! what the command line calls: [`build`], [`check`] and the other entry
//! points; the binary's `cmd/` modules parse arguments and call them.
//!
//! Errors: a problem in the user's input is a [`Diagnostic`] naming its
//! file, line and a hint, collected so one run reports them all; failed
//! operations (a file that cannot be written) carry an `anyhow` chain of
//! causes. Both reach the command line as one [`Error`].

pub use pressbook_collect as collect;
pub use pressbook_deliver as deliver;
pub use pressbook_epub as epub;
pub use pressbook_layout as layout;
pub use pressbook_layout::cover;
pub use pressbook_model::{
    diag, digest, direction, house, links, manifest, model, output, render, source, typography, xml,
};
pub use pressbook_pdf as pdf;

pub mod corpus;
pub mod listing;
pub mod scaffold;
pub mod term;
pub mod watch;

use std::path::{Path, PathBuf};

use diag::Diagnostic;
pub use digest::{LoadOptions, Loaded};
use model::Digest;
pub use render::{Refused, Renderer, Written};

/// Output formats a build can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Epub,
    /// Kobo's KEPUB (`NAME.kepub.epub`); not part of `All`.
    Kepub,
    Pdf,
    All,
}

/// What a build is doing, for progress displays.
#[derive(Debug, Clone)]
pub enum Step {
    Loaded { articles: usize },
    Rendering(&'static str),
    Wrote(Written),
}

/// A callback told about each [`Step`].
pub type Progress = std::sync::Arc<dyn Fn(&Step) + Send + Sync>;

/// Options for [`build`].
#[derive(Clone)]
pub struct BuildOptions {
    pub dir: PathBuf,
    /// Output folder; default `DIR/dist`.
    pub out: Option<PathBuf>,
    pub format: Format,
    pub load: LoadOptions,
    /// Treat warnings as errors.
    pub strict: bool,
    pub progress: Option<Progress>,
}

impl BuildOptions {
    /// Options for building `dir` with defaults for everything else.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        BuildOptions {
            dir: dir.into(),
            out: None,
            format: Format::All,
            load: LoadOptions::from_env(),
            strict: false,
            progress: None,
        }
    }

    fn report(&self, step: Step) {
        if let Some(p) = &self.progress {
            p(&step);
        }
    }
}

/// The result of a successful build.
#[derive(Debug)]
pub struct BuildReport {
    pub written: Vec<Written>,
    pub warnings: Vec<Diagnostic>,
}

/// Why a command failed: what the command line prints before exiting with 1.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems with the input or the output folder, each a [`Diagnostic`]
    /// naming its place; every one found is listed.
    #[error("{} problem(s)", .0.iter().filter(|d| d.is_error()).count())]
    Problems(Vec<Diagnostic>),
    /// An operation failed (writing a file, the file watcher), with its
    /// chain of causes.
    #[error("{0:#}")]
    Failed(#[from] anyhow::Error),
    /// The command line asks for something impossible (exit code 2, as
    /// for clap's own usage errors).
    #[error("{0}")]
    Usage(String),
}

/// Loads and validates the digest at `dir`, writing nothing.
pub fn check(
    dir: &Path,
    opts: &LoadOptions,
    strict: bool,
) -> Result<(Loaded, Vec<Diagnostic>), Error> {
    let (digest, mut diags) = digest::load(dir, opts);
    if strict {
        diags.make_strict();
    }
    match digest {
        Some(d) if !diags.has_errors() => Ok((d, diags.into_vec())),
        _ => Err(Error::Problems(diags.into_vec())),
    }
}

/// The output file name: title and issue date, e.g. `frontline-weekly-2026-11-23`.
pub fn output_stem(digest: &Digest) -> String {
    let slug = source::markdown::slug(&digest.meta.title);
    let base = if slug.is_empty() { "digest" } else { &slug };
    format!("{base}-{}", digest.meta.date.format("%Y-%m-%d"))
}

/// Loads the digest at `opts.dir` and writes the requested formats.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let (Loaded { digest, pdf, epub }, mut warnings) = check(&opts.dir, &opts.load, opts.strict)?;
    if digest.articles().count() == 0 {
        return Err(Error::Problems(vec![Diagnostic::error(
            "nothing to build: the digest has no articles yet",
        )
        .at(opts.dir.join(manifest::MANIFEST_NAME))
        .hint("run `pressbook fetch` to collect the articles of its [[feeds]], or add some with `pressbook add`")]));
    }
    opts.report(Step::Loaded {
        articles: digest.articles().count(),
    });
    let out_dir = opts.out.clone().unwrap_or_else(|| opts.dir.join("dist"));
    prepare_out_dir(&out_dir).map_err(|e| Error::Problems(vec![e]))?;

    // `all` renders every format from the one loaded digest.
    let renderers: Vec<Box<dyn Renderer>> = match opts.format {
        Format::Epub => vec![Box::new(epub::EpubRenderer { settings: epub })],
        Format::Kepub => vec![Box::new(epub::KepubRenderer { settings: epub })],
        Format::Pdf => vec![Box::new(pdf::PdfRenderer::new(pdf))],
        Format::All => vec![
            Box::new(epub::EpubRenderer { settings: epub }),
            Box::new(pdf::PdfRenderer::new(pdf)),
        ],
    };
    let stem = output_stem(&digest);
    // One format after the other: side by side saves a few per cent of the
    // time but stacks the EPUB's memory on the PDF's peak (and each
    // renderer already uses both cores inside).
    let mut written = Vec::new();
    for r in &renderers {
        let path = out_dir.join(format!("{stem}.{}", r.extension()));
        opts.report(Step::Rendering(r.name()));
        let mut w =
            r.render(&digest, &path, opts.strict)
                .map_err(|e| match e.downcast::<Refused>() {
                    Ok(Refused(found)) => {
                        let mut diags = diag::Sink::new();
                        found.into_iter().for_each(|d| diags.push(d));
                        diags.make_strict();
                        Error::Problems(diags.into_vec())
                    }
                    Err(e) => Error::Failed(e.context(format!(
                        "cannot write the {} to {}",
                        r.name(),
                        path.display()
                    ))),
                })?;
        warnings.append(&mut w.warnings);
        opts.report(Step::Wrote(w.clone()));
        written.push(w);
    }
    Ok(BuildReport { written, warnings })
}

/// Makes sure the output folder exists and is writable, and removes
/// temporaries a killed build left behind.
fn prepare_out_dir(dir: &Path) -> Result<(), Diagnostic> {
    let hint = "choose another folder with --out, or fix the folder's permissions";
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(format!("cannot create the output folder: {e}"))
            .at(dir)
            .hint(hint)
    })?;
    let probe = dir.join(".pressbook-write-test");
    std::fs::write(&probe, b"").map_err(|e| {
        Diagnostic::error(format!("cannot write into the output folder: {e}"))
            .at(dir)
            .hint(hint)
    })?;
    let _ = std::fs::remove_file(probe);
    output::clean_stale(dir);
    Ok(())
}

/// Sink as a printable report, compiler style, optionally coloured.
pub fn render_diagnostics(diags: &[Diagnostic], color: bool) -> String {
    let mut s = String::new();
    for d in diags {
        s.push_str(&d.render(color));
        s.push_str("\n\n");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 {
        s.push_str(&format!(
            "error: stopped with {errors} error(s) and {warnings} warning(s)\n"
        ));
    }
    s
}
