//! `pressbook send`: build (or reuse) one format and mail it, or mail the
//! edition as a newsletter (`--format html`).

use std::path::{Path, PathBuf};

use pressbook::deliver::{self, settings, Attached, Body, InlinePart, Mail, SmtpSettings};
use pressbook::html::newsletter::{self, Extras};
use pressbook::{outputs, term, Error, Output, Project};

use super::{DirArg, InputArgs};

/// Mail the digest in DIR as an attachment (Send to Kindle, or any inbox),
/// or with --format html as a newsletter in the message itself.
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
    /// Which file to send; `html` sends the newsletter: the edition's
    /// briefing in the message (text and HTML).
    #[arg(long, short, default_value = "epub",
          value_parser = clap::builder::PossibleValuesParser::new(outputs::format_values(false)))]
    format: String,
    /// With --format html: attach the full book in this format too.
    #[arg(long, value_name = "FORMAT",
          value_parser = clap::builder::PossibleValuesParser::new(outputs::format_values(false)))]
    attach: Option<String>,
    /// With --format html: leave the pictures out of the newsletter.
    #[arg(long)]
    no_images: bool,
    /// Output folder [default: DIR/dist].
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Largest attachment to send, e.g. 25MB for Gmail.
    #[arg(long, value_name = "SIZE", default_value = "50MB", value_parser = parse_size)]
    max_size: u64,
    #[command(flatten)]
    input: InputArgs,
}

pub(super) fn parse_size(s: &str) -> Result<u64, Error> {
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

    let (output, newsletter, attach) = formats(&a)?;
    let mut project = Project::load(&a.dir.dir, &a.input.load_options(), a.input.strict)?;
    term::print_diagnostics(&project.warnings);
    let out_dir = project.out_dir(a.out.as_deref());
    let deliver = project.loaded().manifest.deliver.clone();
    let subject = newsletter::subject(project.digest(), deliver.subject.as_deref());
    // The book to attach: the one asked for, or none for a newsletter
    // without `--attach`.
    let attached = if newsletter { attach } else { Some(output) };
    let book = match attached {
        Some(o) => Some(ready(
            &mut project,
            o,
            &out_dir,
            a.input.strict,
            a.max_size,
        )?),
        None => None,
    };
    let data = match &book {
        Some(path) => std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?,
        None => Vec::new(),
    };
    let attachment = book.as_ref().map(|path| {
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("digest")
            .to_string();
        Attached {
            content_type: deliver::content_type(&file_name),
            file_name,
            data: &data,
        }
    });
    let (body, unsubscribe) = if newsletter {
        let extras = Extras {
            images: !a.no_images,
            attached: attachment.as_ref().map(|f| f.file_name.clone()),
            unsubscribe: deliver.unsubscribe.clone(),
        };
        (newsletter_body(&project, &extras), extras.unsubscribe)
    } else {
        let body = format!(
            "{subject}: the {} is attached ({}).\n\nSent by pressbook {}.\n",
            output.label(),
            project.file_name(output),
            env!("CARGO_PKG_VERSION")
        );
        (Body::Text(body), None)
    };
    let what = match &attachment {
        Some(f) if newsletter => format!("the newsletter with {}", f.file_name),
        Some(f) => f.file_name.clone(),
        None => "the newsletter".into(),
    };
    let mail = Mail {
        from,
        to,
        subject,
        body,
        attachment,
        unsubscribe,
    };
    deliver::send(&smtp, &mail, a.max_size).map_err(|e| Error::Failed(e.into()))?;
    pressbook::say!(
        "sent {what} ({}) to {} via {}",
        deliver::human_size(mail.payload_size()),
        a.to.join(", "),
        smtp.masked()
    );
    Ok(())
}

/// The output `--format` names, whether that is the newsletter, and the
/// output `--attach` names.
type Formats = (&'static dyn Output, bool, Option<&'static dyn Output>);

fn formats(a: &Args) -> Result<Formats, Error> {
    let find =
        |f: &str| outputs::find(f).ok_or_else(|| Error::Usage(format!("no output format {f:?}")));
    let output = find(&a.format)?;
    let newsletter = output.name() == pressbook::html::HtmlOutput.name();
    if !newsletter && (a.attach.is_some() || a.no_images) {
        return Err(Error::Usage(
            "--attach and --no-images go with --format html (the newsletter)".into(),
        ));
    }
    let attach = a.attach.as_deref().map(find).transpose()?;
    Ok((output, newsletter, attach))
}

/// The edition's briefing as the message's text and HTML.
fn newsletter_body(project: &Project, extras: &Extras) -> Body {
    let letter = newsletter::newsletter(project.digest(), extras);
    let images = letter
        .images
        .into_iter()
        .map(|i| InlinePart {
            cid: i.cid,
            file_name: i.file_name,
            content_type: i.media_type,
            data: i.data,
        })
        .collect();
    Body::Newsletter {
        text: letter.text,
        html: letter.html,
        images,
    }
}

/// The file `output` writes, built unless the one on disk is up to date.
fn ready(
    project: &mut Project,
    output: &'static dyn Output,
    out_dir: &Path,
    strict: bool,
    max_size: u64,
) -> Result<PathBuf, Error> {
    let path = project.path_of(output, out_dir);
    let fits = std::fs::metadata(&path).is_ok_and(|m| m.len() <= max_size);
    if project.is_fresh(&path, out_dir) && fits {
        pressbook::say_err!("using {} (up to date)", path.display());
    } else {
        // The image step fits the book to the limit when its pictures can
        // be made smaller; a book that cannot fit is refused with the reason.
        project.max_size = Some(max_size);
        let report = project.build(&[output], out_dir, strict, None)?;
        term::print_diagnostics(&report.warnings);
        for w in &report.written {
            pressbook::say_err!("{}", term::summary_line(w));
        }
    }
    Ok(path)
}
