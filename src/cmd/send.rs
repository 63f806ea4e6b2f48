//! `pressbook send`: build (or reuse) one format and mail it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use clap::ValueEnum;
use pressbook::deliver::{self, settings, Mail, SmtpSettings};
use pressbook::{term, BuildOptions, Error, Format};

use super::{DirArg, InputArgs};

/// Mail the digest in DIR as an attachment (Send to Kindle, or any inbox).
///
/// SMTP settings come from PRESSBOOK_SMTP (smtps://user:password@host:465,
/// smtp://host:587?tls=required, smtp://host:25) or from
/// ~/.config/pressbook/config.toml ([smtp] url, from).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dir: DirArg,
    /// Recipient (repeat for several), e.g. your …@kindle.com address.
    #[arg(long, required = true, value_name = "ADDRESS")]
    to: Vec<String>,
    /// Sender [default: `from` in the config file, else the SMTP user].
    #[arg(long, value_name = "ADDRESS")]
    from: Option<String>,
    /// Which file to send.
    #[arg(long, short, value_enum, default_value_t = SendFormat::Epub)]
    format: SendFormat,
    /// Output folder [default: DIR/dist].
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Largest attachment to send, e.g. 25MB for Gmail.
    #[arg(long, value_name = "SIZE", default_value = "50MB", value_parser = parse_size)]
    max_size: u64,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum SendFormat {
    Epub,
    Kepub,
    Pdf,
}

fn parse_size(s: &str) -> Result<u64, String> {
    deliver::parse_size(s).ok_or_else(|| format!("{s:?} is not a size such as 50MB or 800kB"))
}

pub fn run(a: Args) -> Result<(), Error> {
    // Everything the command line can get wrong is checked before building.
    let mailbox = |s: &str, what: &str| {
        s.parse::<deliver::Mailbox>()
            .map_err(|_| Error::Usage(format!("{what} {s:?} is not an e-mail address")))
    };
    let to =
        a.to.iter()
            .map(|t| mailbox(t, "--to"))
            .collect::<Result<Vec<_>, _>>()?;
    let env = std::env::var(settings::ENV).ok();
    let smtp = SmtpSettings::load(env.as_deref(), &settings::config_path())
        .map_err(|e| Error::Usage(e.to_string()))?;
    let from = match (&a.from, &smtp.from, &smtp.user) {
        (Some(f), _, _) => mailbox(f, "--from")?,
        (None, Some(f), _) => mailbox(f, "`from` in the config file")?,
        (None, None, Some(u)) if u.contains('@') => mailbox(u, "the SMTP user")?,
        _ => {
            return Err(Error::Usage(
                "say who the mail is from with --from ADDRESS (for Kindle, an approved sender)"
                    .into(),
            ))
        }
    };

    let (format, ext, name) = match a.format {
        SendFormat::Epub => (Format::Epub, "epub", "EPUB"),
        SendFormat::Kepub => (Format::Kepub, "kepub.epub", "KEPUB"),
        SendFormat::Pdf => (Format::Pdf, "pdf", "PDF"),
    };
    let load = a.input.load_options();
    let (loaded, warnings) = pressbook::check(&a.dir.dir, &load, a.input.strict)?;
    term::print_diagnostics(&warnings);
    let meta = &loaded.digest.meta;
    let out_dir = a.out.clone().unwrap_or_else(|| a.dir.dir.join("dist"));
    let path = out_dir.join(format!("{}.{ext}", pressbook::output_stem(&loaded.digest)));
    let subject = format!("{}, {}", meta.title, meta.date.format("%-d %B %Y"));
    let body = format!(
        "{subject}: the {name} is attached ({}).\n\nSent by pressbook {}.\n",
        path.file_name().and_then(|n| n.to_str()).unwrap_or(""),
        env!("CARGO_PKG_VERSION")
    );
    let inputs: Vec<PathBuf> = loaded.digest.files.keys().cloned().collect();
    if is_fresh(&path, &a.dir.dir, &out_dir, &inputs) {
        eprintln!("using {} (up to date)", path.display());
    } else {
        let report = pressbook::build(&BuildOptions {
            dir: a.dir.dir.clone(),
            out: a.out.clone(),
            format,
            load,
            strict: a.input.strict,
            progress: None,
        })?;
        term::print_diagnostics(&report.warnings);
        for w in &report.written {
            eprintln!("{}", term::summary_line(w));
        }
    }

    let data =
        std::fs::read(&path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("digest")
        .to_string();
    let mail = Mail {
        from,
        to,
        subject,
        body,
        content_type: deliver::content_type(&file_name),
        file_name: file_name.clone(),
        data: &data,
    };
    deliver::send(&smtp, &mail, a.max_size).map_err(|e| Error::Failed(e.into()))?;
    println!(
        "sent {file_name} ({}) to {} via {}",
        deliver::human_size(data.len() as u64),
        a.to.join(", "),
        smtp.masked()
    );
    Ok(())
}

/// Whether `book` is newer than everything it is built from: every file
/// under the digest folder (outside the output folder and hidden folders),
/// the article files (which may live outside it), and pressbook itself.
fn is_fresh(book: &Path, dir: &Path, out_dir: &Path, articles: &[PathBuf]) -> bool {
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let Some(built) = mtime(book) else {
        return false;
    };
    let out_dir = out_dir.canonicalize().ok();
    let mut newest = std::env::current_exe()
        .ok()
        .and_then(|p| mtime(&p))
        .unwrap_or(SystemTime::UNIX_EPOCH);
    for a in articles {
        match mtime(a) {
            Some(t) => newest = newest.max(t),
            None => return false,
        }
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            return false;
        };
        for e in entries.flatten() {
            let p = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            match e.file_type() {
                Ok(t) if t.is_dir() => {
                    if !hidden && p.canonicalize().ok() != out_dir {
                        stack.push(p);
                    }
                }
                Ok(_) => {
                    if let Some(t) = mtime(&p) {
                        newest = newest.max(t);
                    }
                }
                Err(_) => return false,
            }
        }
    }
    built > newest
}
