//! The seam between the model and the output formats (mdBook's
//! `Renderer`): each format implements [`Renderer`], reads the finished
//! [`Digest`] and writes one file.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::model::Digest;

/// One output format. Each renderer reads the finished model and writes
/// one file; it never reaches back into loading.
pub trait Renderer {
    /// Human name, e.g. "EPUB".
    fn name(&self) -> &'static str;
    /// File extension without the dot.
    fn extension(&self) -> &'static str;
    /// Writes the digest to `path` (atomically). With `strict`, a renderer
    /// that finds problems returns [`Refused`] and writes nothing.
    fn render(&self, digest: &Digest, path: &Path, strict: bool) -> anyhow::Result<Written>;
}

/// What a renderer wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub format: &'static str,
    pub bytes: u64,
    /// Page count, for paged formats.
    pub pages: Option<usize>,
    pub articles: usize,
    /// Problems found while rendering (e.g. characters no font has).
    pub warnings: Vec<Diagnostic>,
}

/// A renderer's refusal to write a file because `--strict` turns the
/// warnings it found into errors.
#[derive(Debug, thiserror::Error)]
#[error("warnings are errors with --strict")]
pub struct Refused(pub Vec<Diagnostic>);
