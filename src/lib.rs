//! pressbook: a folder of articles in, an EPUB 3 and a typeset PDF out.
//!
//! The pipeline runs one way, one crate a stage (ARCHITECTURE.md):
//! [`pressbook_model`] (manifest, article files, loading into the model) →
//! one [`Output`] per format, listed once in [`outputs`] ([`pressbook_epub`];
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
pub use pressbook_html as html;
pub use pressbook_layout as layout;
pub use pressbook_layout::cover;
pub use pressbook_model::{
    diag, direction, house, links, load, manifest, model, output, picture, render, source,
    typography, xml,
};
pub use pressbook_pdf as pdf;

pub mod corpus;
pub mod listing;
pub mod outputs;
pub mod project;
pub mod scaffold;
pub mod term;
pub mod watch;

use std::path::{Path, PathBuf};

use diag::Diagnostic;
pub use load::{LoadOptions, Loaded};
pub use project::{default_out_dir, output_stem, BuildReport, Project};
pub use render::{Output, Written};

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
    /// What to write (see [`outputs::select`]).
    pub outputs: Vec<&'static dyn Output>,
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
            outputs: outputs::select(outputs::ALL).unwrap_or_default(),
            load: LoadOptions::from_env(),
            strict: false,
            progress: None,
        }
    }

    /// The output folder: `--out`, else `DIR/dist`.
    pub fn out_dir(&self) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| default_out_dir(&self.dir))
    }
}

/// Why a command failed: what the command line prints before exiting
/// (with 2 for [`Error::Usage`], else 1).
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

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::Problems(_) | Error::Failed(_) => 1,
        }
    }
}

/// Loads and validates the digest at `dir`, writing nothing.
pub fn check(
    dir: &Path,
    opts: &LoadOptions,
    strict: bool,
) -> Result<(Loaded, Vec<Diagnostic>), Error> {
    let project = Project::load(dir, opts, strict)?;
    let warnings = project.warnings.clone();
    Ok((project.into_loaded(), warnings))
}

/// Loads the digest at `opts.dir` and writes the requested outputs.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    build_project(&Project::load(&opts.dir, &opts.load, opts.strict)?, opts)
}

/// Writes the outputs `opts` asks for from a loaded `project`; the report
/// holds loading's warnings, then the outputs'.
pub fn build_project(project: &Project, opts: &BuildOptions) -> Result<BuildReport, Error> {
    let mut report = project.build(
        &opts.outputs,
        &opts.out_dir(),
        opts.strict,
        opts.progress.as_ref(),
    )?;
    report
        .warnings
        .splice(0..0, project.warnings.iter().cloned());
    Ok(report)
}

/// Diagnostics as a printable report, compiler style, optionally coloured.
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
