//! `pressbook check`: validate the digest as `build` would, writing nothing;
//! with `--device`, also preflight the book for a reading device.

use clap::ValueEnum;
use pressbook::deliver::device::{self, Device};
use pressbook::diag::Sink;
use pressbook::{outputs, term, Error, Project};

use super::{DirArg, InputArgs};

/// Validate the digest in DIR as `build` would, writing nothing.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dir: DirArg,
    /// Also check what this device (or its store pipeline) rejects or shows badly.
    #[arg(long, value_enum, value_name = "DEVICE")]
    device: Option<DeviceArg>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeviceArg {
    Kindle,
    Kobo,
    Apple,
}

pub fn run(a: Args) -> Result<(), Error> {
    let project = Project::load(&a.dir.dir, &a.input.load_options(), a.input.strict)?;
    let mut warnings = project.warnings.clone();
    if let Some(d) = a.device {
        let device = match d {
            DeviceArg::Kindle => Device::Kindle,
            DeviceArg::Kobo => Device::Kobo,
            DeviceArg::Apple => Device::Apple,
        };
        let mut found = preflight(&project, device)?;
        if a.input.strict {
            found.make_strict();
        }
        if found.has_errors() {
            warnings.extend(found);
            return Err(Error::Problems(warnings));
        }
        warnings.extend(found);
    }
    term::print_diagnostics(&warnings);
    let digest = project.digest();
    pressbook::say!(
        "ok: {} articles in {} sections, {} warning(s)",
        digest.articles().count(),
        digest.sections.len(),
        warnings.len()
    );
    Ok(())
}

/// Each picture of the digest by its name in the book, with its file and
/// the articles that show it (relative to the digest folder).
fn picture_sources(project: &Project) -> Vec<device::PictureSource> {
    let digest = project.digest();
    let rel = |p: &std::path::Path| {
        let dir = project
            .dir
            .canonicalize()
            .unwrap_or_else(|_| project.dir.clone());
        p.strip_prefix(&dir)
            .or_else(|_| p.strip_prefix(&project.dir))
            .unwrap_or(p)
            .display()
            .to_string()
    };
    let mut sources: Vec<device::PictureSource> = digest
        .assets
        .iter()
        .map(|a| device::PictureSource {
            stem: a
                .name
                .rsplit_once('.')
                .map_or(a.name.clone(), |(s, _)| s.to_string()),
            file: rel(&a.source),
            articles: Vec::new(),
        })
        .collect();
    for article in digest.articles() {
        for id in pressbook::source::assets_of(article) {
            let file = rel(&article.path);
            let users = &mut sources[id.0].articles;
            if !users.contains(&file) {
                users.push(file);
            }
        }
    }
    sources
}

/// What `device` would reject or show badly in the book it gets (the KEPUB
/// on a Kobo, else the EPUB), built in memory.
fn preflight(project: &Project, device: Device) -> Result<Sink, Error> {
    let name = match device {
        Device::Kobo => "kepub",
        _ => "epub",
    };
    let output = outputs::find(name).ok_or_else(|| Error::Usage(format!("no {name} output")))?;
    let mut found = Sink::new();
    let book = project.render_to_memory(output, &project.out_dir(None), &mut found)?;
    let cx = device::Context {
        language_stated: project.loaded().manifest.language_stated,
        pictures: picture_sources(project),
    };
    found.extend(device::preflight(
        device,
        &project.file_name(output),
        &book,
        &cx,
    )?);
    Ok(found)
}
