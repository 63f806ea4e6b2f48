//! The seam between the model and the outputs (mdBook's `Renderer`): each
//! output implements [`Output`], reads the finished [`Digest`] and the
//! manifest's settings, reports problems into the run's [`Sink`], and hands
//! back what to write. The caller decides whether warnings are fatal
//! (`--strict`) and writes the file atomically, so an output never sees a
//! path, a flag or a half-written file.

use std::io::{Seek, Write};
use std::path::PathBuf;

use crate::diag::Sink;
use crate::manifest::{EpubSettings, HtmlSettings, PdfSettings};
use crate::model::Digest;
use crate::picture::{ImageSettings, PictureTarget};

/// The manifest's settings tables for the outputs, read and checked once
/// when the digest loads.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `[pdf]` and `[fonts]`, with the font files checked.
    pub pdf: PdfSettings,
    /// `[style] css`, read.
    pub epub: EpubSettings,
    /// `[html]`.
    pub html: HtmlSettings,
    /// `[images]` (with `build --image-budget`): read by the image step,
    /// which runs before any output.
    pub images: crate::picture::ImageSettings,
}

/// What an output is given.
#[derive(Clone, Copy)]
pub struct RenderContext<'a> {
    pub digest: &'a Digest,
    pub settings: &'a Settings,
}

/// One output format, registered once (the registry in the `pressbook`
/// crate lists them); everything that names formats asks the registry.
pub trait Output: Send + Sync {
    /// The `--format` value, e.g. `kepub`.
    fn name(&self) -> &'static str;
    /// Human name, e.g. "KEPUB".
    fn label(&self) -> &'static str;
    /// File extension without the leading dot, e.g. `kepub.epub`.
    fn extension(&self) -> &'static str;
    /// The manifest table its settings come from, for the help text.
    fn settings_table(&self) -> &'static str;
    /// One line for `--help`.
    fn about(&self) -> &'static str;
    /// Whether `--format all` writes it.
    fn in_all(&self) -> bool;
    /// What the image step prepares this output's pictures to (it runs
    /// before [`Output::render`], which sees only prepared pictures).
    fn pictures(&self, settings: &ImageSettings) -> PictureTarget {
        PictureTarget::any_size(settings)
    }
    /// Prepares the output: everything that can find a problem (layout,
    /// fonts) happens here, reported into `sink`; the bytes are produced
    /// by [`Rendered::write`] only once the caller accepts the warnings.
    fn render<'a>(&self, cx: RenderContext<'a>, sink: &mut Sink) -> anyhow::Result<Rendered<'a>>;
}

/// A prepared output, ready to write.
pub struct Rendered<'a> {
    /// Page count, for paged formats.
    pub pages: Option<usize>,
    /// Files that go beside the output (the HTML edition's pictures with
    /// `[html] images = "folder"`), written before it.
    pub companions: Vec<Companion>,
    write: WriteFn<'a>,
}

/// A file written beside an output, e.g. `NAME_files/map.png`.
#[derive(Debug, Clone)]
pub struct Companion {
    /// Its path relative to the output folder, `/`-separated.
    pub name: String,
    pub data: std::sync::Arc<Vec<u8>>,
}

/// The name every output's file starts with: title and issue date, e.g.
/// `frontline-weekly-2026-11-23` (an output that points at files beside
/// it needs it too).
pub fn file_stem(digest: &Digest) -> String {
    let slug = crate::source::markdown::slug(&digest.meta.title);
    let base = if slug.is_empty() { "digest" } else { &slug };
    format!("{base}-{}", digest.meta.date.format("%Y-%m-%d"))
}

/// What writes a prepared output's bytes.
type WriteFn<'a> = Box<dyn FnOnce(&mut dyn WriteSeek) -> anyhow::Result<()> + 'a>;

impl<'a> Rendered<'a> {
    pub fn new(
        pages: Option<usize>,
        write: impl FnOnce(&mut dyn WriteSeek) -> anyhow::Result<()> + 'a,
    ) -> Self {
        Rendered {
            pages,
            companions: Vec::new(),
            write: Box::new(write),
        }
    }

    /// The same, with files to write beside it.
    pub fn with_companions(mut self, companions: Vec<Companion>) -> Self {
        self.companions = companions;
        self
    }

    /// Writes the bytes to `out`.
    pub fn write(self, out: &mut dyn WriteSeek) -> anyhow::Result<()> {
        (self.write)(out)
    }
}

/// Where outputs write: a file, or memory (zip archives need to seek).
pub trait WriteSeek: Write + Seek {}

impl<T: Write + Seek> WriteSeek for T {}

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    /// The output's human name, e.g. "PDF".
    pub format: &'static str,
    pub bytes: u64,
    /// Page count, for paged formats.
    pub pages: Option<usize>,
    pub articles: usize,
    /// What the image step did to fit a budget, in one line.
    pub pictures: Option<String>,
}
