//! Delivery: mailing a finished book (Send to Kindle, or any inbox).
//!
//! This stage only reads files the renderers wrote; it never looks at the
//! model. SMTP goes through lettre with rustls (no OpenSSL).

pub mod compose;
pub mod device;
pub mod settings;

use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

pub use compose::{message, Attached, Body, InlinePart, Mail};
pub use lettre::message::Mailbox;
pub use settings::{Security, SmtpSettings};

/// Send to Kindle's limit for a document sent by e-mail.
pub const KINDLE_MAIL_LIMIT: u64 = 50 * 1000 * 1000;

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
    #[error("refusing to send the password for {user} unencrypted to {endpoint} ({masked}): use smtps:// or ?tls=required, or add ?insecure=true to the URL if this network is yours")]
    InsecureAuth {
        user: String,
        endpoint: String,
        masked: String,
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
    let size = mail.payload_size();
    if size > limit {
        return Err(SendError::TooLarge {
            file: mail.name(),
            size,
            limit,
        });
    }
    if settings.exposes_password() && !settings.insecure {
        return Err(SendError::InsecureAuth {
            user: settings.user.clone().unwrap_or_default(),
            endpoint: settings.endpoint(),
            masked: settings.masked(),
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
        // Each read and write waits at most this; `within` bounds the
        // whole exchange.
        .timeout(Some(settings.timeout.min(Duration::from_secs(60))));
    if let Some(user) = &settings.user {
        let password = settings.password.as_ref().map(|p| p.expose().to_string());
        transport =
            transport.credentials(Credentials::new(user.clone(), password.unwrap_or_default()));
    }
    within(settings.timeout, transport.build(), message).map_err(|e| {
        server(match e {
            Exchange::Failed(e) if e.is_timeout() || timed_out(&e) => format!(
                "the server timed out (no answer within {} s); {}",
                settings.timeout.as_secs().min(60),
                error_chain(&e)
            ),
            Exchange::Failed(e) => error_chain(&e),
            Exchange::Late => format!(
                "timed out after {} s, the most one message may take (the URL's ?timeout=SECS sets it)",
                settings.timeout.as_secs()
            ),
        })
    })
}

/// How an exchange with the server ended badly.
enum Exchange {
    Failed(lettre::transport::smtp::Error),
    /// Not over by the deadline.
    Late,
}

/// Sends `message` on a thread of its own and waits at most `deadline`:
/// a server that stalls after each line (or after the final dot) cannot
/// stretch one message past it. A late exchange is left to end on its
/// own; the command is over by then.
fn within(deadline: Duration, transport: SmtpTransport, message: Message) -> Result<(), Exchange> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(transport.send(&message).map(|_| ()));
    });
    match rx.recv_timeout(deadline) {
        Ok(result) => result.map_err(Exchange::Failed),
        Err(_) => Err(Exchange::Late),
    }
}

/// Whether a lettre error is a socket timeout it does not call one (a read
/// that hit its timeout says "Resource temporarily unavailable").
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) {
                return true;
            }
        }
        cause = c.source();
    }
    false
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
    fn a_password_never_crosses_the_network_unencrypted_unless_told() {
        let data = b"book".to_vec();
        let mail = Mail {
            from: "a@example.org".parse().unwrap(),
            to: vec!["b@example.org".parse().unwrap()],
            subject: "s".into(),
            body: Body::Text("b".into()),
            attachment: Some(Attached {
                file_name: "book.epub".into(),
                content_type: content_type("book.epub"),
                data: &data,
            }),
            unsubscribe: None,
        };
        for url in [
            "smtp://me:hunter2@192.0.2.1:9",
            "smtp://me:hunter2@relay.example.org:9?tls=opportunistic",
        ] {
            let s = SmtpSettings::parse(url, "test").unwrap();
            let e = send(&s, &mail, 1000).unwrap_err();
            assert!(matches!(e, SendError::InsecureAuth { .. }), "{url}: {e}");
            assert!(
                e.to_string().contains("?insecure=true") && !e.to_string().contains("hunter2"),
                "{e}"
            );
        }
        for url in [
            "smtp://me:hunter2@127.0.0.1:25",
            "smtp://me:hunter2@[::1]:25",
            "smtp://me:hunter2@localhost:25",
            "smtp://me:hunter2@relay.example.org?insecure=true",
            "smtp://relay.example.org",
            "smtp://me:hunter2@relay.example.org?tls=required",
        ] {
            let s = SmtpSettings::parse(url, "test").unwrap();
            assert!(!s.exposes_password() || s.insecure, "{url}");
        }
    }

    #[test]
    fn the_deadline_is_read_from_the_url() {
        let s = SmtpSettings::parse("smtp://h?timeout=5", "test").unwrap();
        assert_eq!(s.timeout, Duration::from_secs(5));
        assert_eq!(s.masked(), "smtp://h:25?timeout=5");
        let s = SmtpSettings::parse("smtp://h", "test").unwrap();
        assert_eq!(
            s.timeout,
            Duration::from_secs(settings::DEFAULT_TIMEOUT_SECS)
        );
        assert!(SmtpSettings::parse("smtp://h?timeout=0", "test").is_err());
        assert!(SmtpSettings::parse("smtp://h?timeout=soon", "test").is_err());
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
            body: Body::Text("b".into()),
            attachment: Some(Attached {
                file_name: "book.pdf".into(),
                content_type: content_type("book.pdf"),
                data: &data,
            }),
            unsubscribe: None,
        };
        let e = send(&s, &mail, 1000).unwrap_err();
        assert!(matches!(e, SendError::TooLarge { size: 2000, .. }));
        assert!(e.to_string().contains("book.pdf is 2.0 kB"), "{e}");
    }
}
