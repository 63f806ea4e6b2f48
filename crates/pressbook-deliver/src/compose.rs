//! The message itself: a book as an attachment, or a newsletter
//! (`multipart/alternative`: plain text and HTML, the HTML's pictures as
//! inline `cid:` parts, the book attached beside it when asked). The
//! connection is the transport's business, in `lib.rs`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

/// What a message says.
pub enum Body {
    /// A few lines of text (beside an attached book).
    Text(String),
    /// The edition in the message: the same briefing as text and as HTML.
    Newsletter {
        text: String,
        html: String,
        /// The HTML's pictures, each referred to as `cid:{cid}`.
        images: Vec<InlinePart>,
    },
}

/// A picture the HTML part shows.
pub struct InlinePart {
    /// Its Content-ID, without angle brackets.
    pub cid: String,
    pub file_name: String,
    pub content_type: &'static str,
    pub data: Arc<Vec<u8>>,
}

/// A finished book attached to the message.
pub struct Attached<'a> {
    /// e.g. `frontline-weekly-2026-11-23.epub`.
    pub file_name: String,
    pub content_type: &'static str,
    pub data: &'a [u8],
}

/// One message to mail.
pub struct Mail<'a> {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub subject: String,
    pub body: Body,
    pub attachment: Option<Attached<'a>>,
    /// Where a reader unsubscribes (`https:` or `mailto:`), sent as
    /// `List-Unsubscribe`.
    pub unsubscribe: Option<String>,
}

impl Mail<'_> {
    /// The bytes the message carries besides its text: the attached book
    /// and the pictures.
    pub fn payload_size(&self) -> u64 {
        let book = self.attachment.as_ref().map_or(0, |a| a.data.len());
        let pictures: usize = match &self.body {
            Body::Text(_) => 0,
            Body::Newsletter { images, .. } => images.iter().map(|i| i.data.len()).sum(),
        };
        (book + pictures) as u64
    }

    /// What the message is called in a refusal: the book, or the newsletter.
    pub fn name(&self) -> String {
        match &self.attachment {
            Some(a) => a.file_name.clone(),
            None => "the newsletter".into(),
        }
    }
}

/// `List-Unsubscribe` (RFC 2369): lettre has no type for it.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.trim_matches(['<', '>']).to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// A Message-ID unique to this message, at the sender's domain.
fn message_id(from: &Mailbox) -> String {
    static COUNT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "<pressbook.{nanos:x}.{}.{}@{}>",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed),
        from.email.domain()
    )
}

/// The message, with its Message-ID and Date (lettre adds the date).
pub fn message(mail: &Mail) -> Result<Message, lettre::error::Error> {
    let mut b = Message::builder()
        .from(mail.from.clone())
        .subject(mail.subject.clone())
        .message_id(Some(message_id(&mail.from)));
    for to in &mail.to {
        b = b.to(to.clone());
    }
    if let Some(u) = &mail.unsubscribe {
        b = b.header(ListUnsubscribe(u.clone()));
    }
    let attachment = mail.attachment.as_ref().map(|a| {
        let content_type = ContentType::parse(a.content_type).unwrap_or(ContentType::TEXT_PLAIN);
        Attachment::new(a.file_name.clone()).body(a.data.to_vec(), content_type)
    });
    match (&mail.body, attachment) {
        (Body::Text(text), Some(file)) => b.multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(text.clone()))
                .singlepart(file),
        ),
        (Body::Text(text), None) => b.singlepart(SinglePart::plain(text.clone())),
        (Body::Newsletter { text, html, images }, file) => {
            let letter = newsletter(text, html, images);
            match file {
                Some(file) => b.multipart(MultiPart::mixed().multipart(letter).singlepart(file)),
                None => b.multipart(letter),
            }
        }
    }
}

/// `multipart/alternative`: the text, then the HTML (with its pictures in
/// `multipart/related` when there are any).
fn newsletter(text: &str, html: &str, images: &[InlinePart]) -> MultiPart {
    let alternative = MultiPart::alternative().singlepart(SinglePart::plain(text.to_string()));
    if images.is_empty() {
        return alternative.singlepart(SinglePart::html(html.to_string()));
    }
    let mut related = MultiPart::related().singlepart(SinglePart::html(html.to_string()));
    for i in images {
        let content_type = ContentType::parse(i.content_type).unwrap_or(ContentType::TEXT_PLAIN);
        related = related.singlepart(
            Attachment::new_inline_with_name(i.cid.clone(), i.file_name.clone())
                .body(i.data.to_vec(), content_type),
        );
    }
    alternative.multipart(related)
}
