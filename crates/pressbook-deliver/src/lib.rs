//! Delivery: mailing a finished book (Send to Kindle, or any inbox).
//!
//! This stage only reads files the renderers wrote; it never looks at the
//! model. SMTP goes through lettre with rustls (no OpenSSL).

pub mod device;
pub mod settings;

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

pub use lettre::message::Mailbox;
pub use settings::{Security, SmtpSettings};

/// Send to Kindle's limit for a document sent by e-mail.
pub const KINDLE_MAIL_LIMIT: u64 = 50 * 1000 * 1000;

/// One book to mail.
pub struct Mail<'a> {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub subject: String,
    pub body: String,
    /// The attachment's file name, e.g. `frontline-weekly-2026-11-23.epub`.
    pub file_name: String,
    pub content_type: &'static str,
    pub data: &'a [u8],
}

/// Why a book was not sent. Every message names the server as `host:port`
/// and none contains the password.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("{file} is {} but the limit for mail is {}: Send to Kindle takes at most 50 MB. Send a smaller format (the EPUB is usually far smaller than the PDF), shrink the images, copy the file over USB, or raise the limit with --max-size if your server takes more", human_size(*.size), human_size(*.limit))]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("cannot build the message: {0}")]
    Message(String),
    #[error("cannot use the certificates in {} (the SMTP setting's ca=): {why}", .file.display())]
    Ca {
        file: std::path::PathBuf,
        why: String,
    },
    #[error("cannot send through {endpoint} ({masked}): {why}")]
    Server {
        endpoint: String,
        masked: String,
        why: String,
    },
}

/// The content type of a built file, from its name.
pub fn content_type(file_name: &str) -> &'static str {
    if file_name.ends_with(".pdf") {
        "application/pdf"
    } else if file_name.ends_with(".png") {
        "image/png"
    } else {
        // KEPUB is an EPUB too; Kobo goes by the `.kepub.epub` name.
        "application/epub+zip"
    }
}

/// Mails `mail` through the server in `settings`, refusing an attachment
/// over `limit` bytes before connecting.
pub fn send(settings: &SmtpSettings, mail: &Mail, limit: u64) -> Result<(), SendError> {
    let size = mail.data.len() as u64;
    if size > limit {
        return Err(SendError::TooLarge {
            file: mail.file_name.clone(),
            size,
            limit,
        });
    }
    let message = message(mail).map_err(|e| SendError::Message(e.to_string()))?;
    let server = |why: String| SendError::Server {
        endpoint: settings.endpoint(),
        masked: settings.masked(),
        why: settings.scrub(&why),
    };
    let roots = extra_roots(settings)?;
    let tls = || {
        let mut params = TlsParameters::builder(settings.host.clone());
        for cert in &roots {
            params = params.add_root_certificate(cert.clone());
        }
        params.build().map_err(|e| server(error_chain(&e)))
    };
    let tls = match settings.security {
        Security::Tls => Tls::Wrapper(tls()?),
        Security::StartTls => Tls::Required(tls()?),
        Security::StartTlsIfOffered => Tls::Opportunistic(tls()?),
        Security::Plain => Tls::None,
    };
    let mut transport = SmtpTransport::builder_dangerous(settings.host.as_str())
        .port(settings.port)
        .tls(tls)
        .timeout(Some(Duration::from_secs(60)));
    if let Some(user) = &settings.user {
        let password = settings.password.as_ref().map(|p| p.expose().to_string());
        transport =
            transport.credentials(Credentials::new(user.clone(), password.unwrap_or_default()));
    }
    transport
        .build()
        .send(&message)
        .map(|_| ())
        .map_err(|e| server(error_chain(&e)))
}

/// The certificates of `?ca=FILE`, read before connecting so that a wrong
/// path is named as such and not as a TLS failure.
fn extra_roots(settings: &SmtpSettings) -> Result<Vec<Certificate>, SendError> {
    let Some(file) = &settings.ca else {
        return Ok(Vec::new());
    };
    let bad = |why: String| SendError::Ca {
        file: file.clone(),
        why,
    };
    let pem = std::fs::read(file).map_err(|e| bad(e.to_string()))?;
    // lettre takes one certificate per call: split the bundle.
    let text = String::from_utf8_lossy(&pem);
    const END: &str = "-----END CERTIFICATE-----";
    let certs: Vec<Certificate> = text
        .split_inclusive(END)
        .filter(|block| block.contains("-----BEGIN CERTIFICATE-----"))
        .map(|block| {
            Certificate::from_pem(block.trim().as_bytes()).map_err(|e| bad(error_chain(&e)))
        })
        .collect::<Result<_, _>>()?;
    if certs.is_empty() {
        return Err(bad("it holds no PEM certificate".into()));
    }
    Ok(certs)
}

fn message(mail: &Mail) -> Result<Message, lettre::error::Error> {
    let mut b = Message::builder()
        .from(mail.from.clone())
        .subject(mail.subject.clone());
    for to in &mail.to {
        b = b.to(to.clone());
    }
    let content_type = ContentType::parse(mail.content_type).unwrap_or(ContentType::TEXT_PLAIN);
    b.multipart(
        MultiPart::mixed()
            .singlepart(SinglePart::plain(mail.body.clone()))
            .singlepart(
                Attachment::new(mail.file_name.clone()).body(mail.data.to_vec(), content_type),
            ),
    )
}

/// lettre's error and its causes on one line (the cause says "connection
/// refused" or what the server answered).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cause = c.source();
    }
    s
}

/// `1.5 MB`, in the units mail limits are stated in.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    }
}

pub use pressbook_model::picture::parse_size;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("50MB"), Some(50_000_000));
        assert_eq!(parse_size("25 mb"), Some(25_000_000));
        assert_eq!(parse_size("1.5k"), Some(1500));
        assert_eq!(parse_size("123"), Some(123));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("5 parsecs"), None);
        assert_eq!(human_size(62_300_000), "62.3 MB");
    }

    #[test]
    fn too_large_is_refused_before_connecting() {
        // Port 9 on a TEST-NET address: never reached, the size check comes first.
        let s = SmtpSettings::parse("smtp://192.0.2.1:9", "test").unwrap();
        let data = vec![0u8; 2000];
        let mail = Mail {
            from: "a@example.org".parse().unwrap(),
            to: vec!["b@example.org".parse().unwrap()],
            subject: "s".into(),
            body: "b".into(),
            file_name: "book.pdf".into(),
            content_type: content_type("book.pdf"),
            data: &data,
        };
        let e = send(&s, &mail, 1000).unwrap_err();
        assert!(matches!(e, SendError::TooLarge { size: 2000, .. }));
        assert!(e.to_string().contains("book.pdf is 2.0 kB"), "{e}");
    }
}
