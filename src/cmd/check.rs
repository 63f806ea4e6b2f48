//! `pressbook check`: validate the digest as `build` would, writing nothing;
//! with `--device`, also preflight the book for a reading device.

use clap::ValueEnum;
use pressbook::deliver::device::{self, Device};
use pressbook::diag::Sink;
use pressbook::epub::Flavour;
use pressbook::{term, Error};

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
    let (pressbook::Loaded { digest, epub, .. }, mut warnings) =
        pressbook::check(&a.dir.dir, &a.input.load_options(), a.input.strict)?;
    if let Some(d) = a.device {
        let device = match d {
            DeviceArg::Kindle => Device::Kindle,
            DeviceArg::Kobo => Device::Kobo,
            DeviceArg::Apple => Device::Apple,
        };
        // The book the device gets: the KEPUB on a Kobo, else the EPUB,
        // built in memory.
        let (flavour, ext) = match device {
            Device::Kobo => (Flavour::Kepub, "kepub.epub"),
            _ => (Flavour::Epub, "epub"),
        };
        let mut book = std::io::Cursor::new(Vec::new());
        pressbook::epub::package_flavour(&digest, flavour, &epub, &mut book)?;
        let name = format!("{}.{ext}", pressbook::output_stem(&digest));
        let manifest = a.dir.dir.join("pressbook.toml");
        let cx = device::Context {
            language_stated: language_stated(&manifest),
        };
        let mut found = Sink::new();
        for f in device::preflight(device, &name, book.get_ref(), &cx)? {
            found.push(f);
        }
        if a.input.strict {
            found.make_strict();
        }
        if found.has_errors() {
            let mut all = warnings;
            all.extend(found.into_vec());
            return Err(Error::Problems(all));
        }
        warnings.extend(found.into_vec());
    }
    term::print_diagnostics(&warnings);
    println!(
        "ok: {} articles in {} sections, {} warning(s)",
        digest.articles().count(),
        digest.sections.len(),
        warnings.len()
    );
    Ok(())
}

/// Whether the manifest names the book's language itself (the default,
/// `en`, is a guess a device preflight should point out).
fn language_stated(manifest: &std::path::Path) -> bool {
    std::fs::read_to_string(manifest)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .is_some_and(|t| t.contains_key("language"))
}
