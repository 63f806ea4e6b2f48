//! `pressbook send`: build (or reuse) one format and mail it.

use std::path::PathBuf;

use pressbook::deliver::{self, settings, Mail, SmtpSettings};
use pressbook::{outputs, term, Error, Project};

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
    #[arg(long, short, default_value = "epub",
          value_parser = clap::builder::PossibleValuesParser::new(outputs::format_values(false)))]
    format: String,
    /// Output folder [default: DIR/dist].
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Largest attachment to send, e.g. 25MB for Gmail.
    #[arg(long, value_name = "SIZE", default_value = "50MB", value_parser = parse_size)]
    max_size: u64,
    #[command(flatten)]
    input: InputArgs,
}

pub fn parse_size(s: &str) -> Result<u64, Error> {
    deliver::parse_size(s)
        .ok_or_else(|| Error::Usage(format!("{s:?} is not a size such as 50MB or 800kB")))
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

    let output = outputs::find(&a.format)
        .ok_or_else(|| Error::Usage(format!("no output format {:?}", a.format)))?;
    let mut project = Project::load(&a.dir.dir, &a.input.load_options(), a.input.strict)?;
    term::print_diagnostics(&project.warnings);
    let meta = &project.digest().meta;
    let out_dir = project.out_dir(a.out.as_deref());
    let path = project.path_of(output, &out_dir);
    let subject = format!("{}, {}", meta.title, meta.date.format("%-d %B %Y"));
    let body = format!(
        "{subject}: the {} is attached ({}).\n\nSent by pressbook {}.\n",
        output.label(),
        project.file_name(output),
        env!("CARGO_PKG_VERSION")
    );
    let fits = std::fs::metadata(&path).is_ok_and(|m| m.len() <= a.max_size);
    if project.is_fresh(&path, &out_dir) && fits {
        eprintln!("using {} (up to date)", path.display());
    } else {
        // The image step fits the book to the limit when its pictures can
        // be made smaller; a book that cannot fit is refused with the reason.
        project.max_size = Some(a.max_size);
        let report = project.build(&[output], &out_dir, a.input.strict, None)?;
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
