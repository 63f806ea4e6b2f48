//! A digest folder, loaded once: the manifest, the model and the settings
//! of every output. `build` renders from it, `send` and `check --device`
//! render one output from the same load, and `watch` keeps it and reloads
//! it after a change.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use pressbook_model::diag::{Diagnostic, Sink};
use pressbook_model::manifest::MANIFEST_NAME;
use pressbook_model::model::Digest;
use pressbook_model::output;
use pressbook_model::render::{Companion, Output, RenderContext, Written};
use pressbook_model::source::markdown::slug;

use crate::{outputs, Error, LoadOptions, Loaded, Progress, Step};
use pressbook_pictures as pictures;

/// A loaded digest folder.
pub struct Project {
    pub dir: PathBuf,
    options: LoadOptions,
    loaded: Loaded,
    /// What loading found that is not an error.
    pub warnings: Vec<Diagnostic>,
    /// A size every output is fitted to (`send --max-size`), besides the
    /// e-reader outputs' `[images] budget`.
    pub max_size: Option<u64>,
}

/// The image step's cache, inside the output folder.
pub const PICTURE_CACHE: &str = ".pictures";

/// A rendered book, in memory.
struct Book {
    bytes: Vec<u8>,
    pages: Option<usize>,
    /// What fitting to a budget did, in one line.
    pictures: Option<String>,
    /// Files written beside the book (the HTML edition's picture folder).
    companions: Vec<Companion>,
}

/// The result of a successful build.
#[derive(Debug)]
pub struct BuildReport {
    pub written: Vec<Written>,
    pub warnings: Vec<Diagnostic>,
}

impl Project {
    /// Loads and validates the digest at `dir`. With `strict`, a warning
    /// is an error.
    pub fn load(dir: &Path, options: &LoadOptions, strict: bool) -> Result<Project, Error> {
        let (loaded, warnings) = load(dir, options, strict)?;
        Ok(Project {
            dir: dir.to_path_buf(),
            options: options.clone(),
            loaded,
            warnings,
            max_size: None,
        })
    }

    /// Loads the folder again (after a change), keeping this project when
    /// the new state has errors.
    pub fn reload(&mut self, strict: bool) -> Result<(), Error> {
        let (loaded, warnings) = load(&self.dir, &self.options, strict)?;
        self.loaded = loaded;
        self.warnings = warnings;
        Ok(())
    }

    pub fn digest(&self) -> &Digest {
        &self.loaded.digest
    }

    pub fn loaded(&self) -> &Loaded {
        &self.loaded
    }

    pub fn into_loaded(self) -> Loaded {
        self.loaded
    }

    /// The output folder: `out`, else `DIR/dist`.
    pub fn out_dir(&self, out: Option<&Path>) -> PathBuf {
        out.map_or_else(|| default_out_dir(&self.dir), Path::to_path_buf)
    }

    /// The file `output` writes in `out_dir`.
    pub fn path_of(&self, output: &dyn Output, out_dir: &Path) -> PathBuf {
        out_dir.join(self.file_name(output))
    }

    /// The file name of `output`: title and issue date, e.g.
    /// `frontline-weekly-2026-11-23.pdf`.
    pub fn file_name(&self, output: &dyn Output) -> String {
        format!("{}.{}", output_stem(self.digest()), output.extension())
    }

    /// Renders `output` into memory, its pictures prepared as a build
    /// would (cached in `out_dir`), reporting into `sink` (for `check
    /// --device`, which inspects the book a device would get).
    pub fn render_to_memory(
        &self,
        output: &dyn Output,
        out_dir: &Path,
        sink: &mut Sink,
    ) -> anyhow::Result<Vec<u8>> {
        Ok(self.render(output, out_dir, sink)?.bytes)
    }

    /// The image step, then the output: fitted to the budget when the
    /// output has one (or `max_size` is set).
    fn render(&self, o: &dyn Output, out_dir: &Path, sink: &mut Sink) -> anyhow::Result<Book> {
        let settings = &self.loaded.settings;
        let mut target = o.pictures(&settings.images);
        if let Some(max) = self.max_size {
            target.budget = Some(target.budget.map_or(max, |b| b.min(max)));
        }
        let cache = pictures::Cache::new(out_dir.join(PICTURE_CACHE));
        let digest = self.digest();
        let mut pages = None;
        let mut companions = Vec::new();
        let mut render = |d: &Digest, sink: &mut Sink| -> anyhow::Result<Vec<u8>> {
            let cx = RenderContext {
                digest: d,
                settings,
            };
            let rendered = o.render(cx, sink)?;
            pages = rendered.pages;
            companions = rendered.companions.clone();
            let mut book = std::io::Cursor::new(Vec::new());
            rendered.write(&mut book)?;
            Ok(book.into_inner())
        };
        // A size from `send --max-size` alone is a wish: a book that cannot
        // be fitted is rendered as it is, and `send` refuses it with its
        // own message. An `[images] budget` that cannot be met is an error.
        let own_budget = o.pictures(&settings.images).budget.is_some();
        let fitted = target.budget.map(|budget| {
            pictures::budget::fit(digest, &target, budget, Some(&cache), &mut |d| {
                render(d, sink)
            })
        });
        let (prepared, bytes, summary) = match fitted {
            Some(Ok(f)) => (f.prepared, f.book, f.summary),
            Some(Err(e)) if own_budget => return Err(e),
            _ => {
                let p = pictures::prepare(digest, &target, &[], Some(&cache))?;
                let bytes = render(&pictures::with_assets(digest, p.assets.clone()), sink)?;
                (p, bytes, None)
            }
        };
        for n in prepared.notes {
            sink.push(n);
        }
        Ok(Book {
            bytes,
            pages,
            companions,
            pictures: summary,
        })
    }

    /// Writes `outputs` into `out_dir`, one after the other. With `strict`,
    /// an output that finds a problem writes nothing and the build stops.
    /// The report holds what the outputs found; loading's own warnings
    /// stay in [`Project::warnings`].
    pub fn build(
        &self,
        outputs: &[&dyn Output],
        out_dir: &Path,
        strict: bool,
        progress: Option<&Progress>,
    ) -> Result<BuildReport, Error> {
        let articles = self.digest().articles().count();
        if articles == 0 {
            return Err(Error::Problems(vec![Diagnostic::error(
                "nothing to build: the digest has no articles yet",
            )
            .at(self.dir.join(MANIFEST_NAME))
            .hint("run `pressbook fetch` to collect the articles of its [[feeds]], or add some with `pressbook add`")]));
        }
        let report = |step: Step| {
            if let Some(p) = progress {
                p(&step);
            }
        };
        report(Step::Loaded { articles });
        prepare_out_dir(out_dir).map_err(|e| Error::Problems(vec![e]))?;
        let mut warnings = Vec::new();
        let mut written = Vec::new();
        // One output after the other: side by side saves a few per cent of
        // the time but stacks the EPUB's memory on the PDF's peak (and each
        // output already uses both cores inside).
        for &o in outputs {
            report(Step::Rendering(o.label()));
            let (w, found) = self.write(o, out_dir, strict)?;
            warnings.extend(found);
            report(Step::Wrote(w.clone()));
            written.push(w);
        }
        Ok(BuildReport { written, warnings })
    }

    /// Renders one output and writes it atomically; returns what it wrote
    /// and the warnings it found.
    fn write(
        &self,
        o: &dyn Output,
        out_dir: &Path,
        strict: bool,
    ) -> Result<(Written, Vec<Diagnostic>), Error> {
        let path = self.path_of(o, out_dir);
        let failed = |e: anyhow::Error| {
            Error::Failed(e.context(format!(
                "cannot write the {} to {}",
                o.label(),
                path.display()
            )))
        };
        let mut sink = Sink::new();
        let book = self.render(o, out_dir, &mut sink).map_err(failed)?;
        if strict && !sink.is_empty() {
            sink.make_strict();
            return Err(Error::Problems(sink.into_vec()));
        }
        for c in &book.companions {
            write_companion(out_dir, c).map_err(failed)?;
        }
        output::write_bytes(&path, &book.bytes).map_err(failed)?;
        let written = Written {
            path,
            format: o.label(),
            bytes: book.bytes.len() as u64,
            pages: book.pages,
            articles: self.digest().articles().count(),
            pictures: book.pictures,
        };
        Ok((written, sink.into_vec()))
    }

    /// Whether `book` is newer than everything it is built from: every
    /// file under the digest folder (outside `out_dir` and hidden
    /// folders), the article files (which may live outside it), and
    /// pressbook itself.
    pub fn is_fresh(&self, book: &Path, out_dir: &Path) -> bool {
        let Some(built) = mtime(book) else {
            return false;
        };
        let mut newest = std::env::current_exe()
            .ok()
            .and_then(|p| mtime(&p))
            .unwrap_or(SystemTime::UNIX_EPOCH);
        for a in self.digest().files.keys() {
            match mtime(a) {
                Some(t) => newest = newest.max(t),
                None => return false,
            }
        }
        match newest_in(&self.dir, out_dir.canonicalize().ok().as_deref()) {
            Some(t) => built > newest.max(t),
            None => false,
        }
    }
}

/// The output folder of the digest at `dir` when `--out` is not given.
pub fn default_out_dir(dir: &Path) -> PathBuf {
    dir.join(outputs::DEFAULT_OUT_DIR)
}

/// The output file name without extension: title and issue date, e.g.
/// `frontline-weekly-2026-11-23`.
pub fn output_stem(digest: &Digest) -> String {
    let slug = slug(&digest.meta.title);
    let base = if slug.is_empty() { "digest" } else { &slug };
    format!("{base}-{}", digest.meta.date.format("%Y-%m-%d"))
}

/// Loads and validates the digest at `dir`, writing nothing.
fn load(dir: &Path, opts: &LoadOptions, strict: bool) -> Result<(Loaded, Vec<Diagnostic>), Error> {
    let (digest, mut sink) = pressbook_model::load::digest(dir, opts);
    if strict {
        sink.make_strict();
    }
    match digest {
        Some(d) if !sink.has_errors() => Ok((d, sink.into_vec())),
        _ => Err(Error::Problems(sink.into_vec())),
    }
}

fn mtime(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// The newest modification time under `dir`, skipping hidden folders and
/// `skip`; `None` when a folder cannot be read (then nothing is fresh).
fn newest_in(dir: &Path, skip: Option<&Path>) -> Option<SystemTime> {
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()?.flatten() {
            let p = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            if e.file_type().ok()?.is_dir() {
                if !hidden && p.canonicalize().ok().as_deref() != skip {
                    stack.push(p);
                }
            } else if let Some(t) = mtime(&p) {
                newest = newest.max(t);
            }
        }
    }
    Some(newest)
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

/// Writes a file an output puts beside itself, atomically, creating its
/// folder.
fn write_companion(out_dir: &Path, c: &Companion) -> anyhow::Result<()> {
    let path = c
        .name
        .split('/')
        .fold(out_dir.to_path_buf(), |p, part| p.join(part));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", parent.display()))?;
    }
    output::write_bytes(&path, &c.data)
}
