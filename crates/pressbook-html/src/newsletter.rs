//! The newsletter: the edition as a briefing in the mail itself
//! (`send --format html`). Masthead, contents, and per article its
//! headline, byline, source, standfirst (or the start of its first
//! paragraph) and a link to the original: short enough that mail clients
//! show it whole (Gmail clips an HTML part over about 102 KB). Two
//! renderings of the same briefing: HTML for mail clients (conservative
//! markup, every style on its element, as clients drop `<style>`) and plain
//! text for terminal clients.

use pressbook_model::house::Colour;
use pressbook_model::markup::{plain, valid_url};
use pressbook_model::model::{has_scheme, Article, AssetId, Block, Digest, ImageSrc};
use pressbook_model::typography::tie_dashes;
use pressbook_model::xml::Xml;

/// The longest excerpt of a first paragraph, in characters.
const EXCERPT_CHARS: usize = 420;
/// The text part's line length.
const TEXT_WIDTH: usize = 72;

/// A briefing, ready for the mail.
#[derive(Debug, Clone)]
pub struct Newsletter {
    pub html: String,
    pub text: String,
    /// The pictures the HTML shows, each to be sent as an inline part
    /// with its `Content-ID` (none with `--no-images`).
    pub images: Vec<InlineImage>,
}

/// One picture of the HTML part, referred to as `cid:{cid}`.
#[derive(Debug, Clone)]
pub struct InlineImage {
    pub cid: String,
    pub file_name: String,
    pub media_type: &'static str,
    pub data: std::sync::Arc<Vec<u8>>,
}

/// What the briefing says besides the digest.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Send pictures (the logo, each article's first picture).
    pub images: bool,
    /// The attached full edition's file name.
    pub attached: Option<String>,
    /// Where a reader unsubscribes.
    pub unsubscribe: Option<String>,
}

/// The subject line: `[deliver] subject`, else "<title>, <date>".
pub fn subject(digest: &Digest, configured: Option<&str>) -> String {
    configured.map(str::to_string).unwrap_or_else(|| {
        format!(
            "{}, {}",
            digest.meta.title,
            digest.meta.date.format("%-d %B %Y")
        )
    })
}

/// One article as the briefing shows it.
struct Entry<'a> {
    article: &'a Article,
    kicker: Option<&'a str>,
    /// The standfirst, else the start of the first paragraph.
    excerpt: String,
    /// The original's address, when it is a web address.
    url: Option<&'a str>,
    picture: Option<(AssetId, &'a str)>,
}

fn entries(digest: &Digest) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for s in &digest.sections {
        for a in &s.articles {
            let excerpt = match &a.meta.summary {
                Some(s) => tie_dashes(s).into_owned(),
                None => first_paragraph(&a.body)
                    .map(|p| shorten(&tie_dashes(&p), EXCERPT_CHARS))
                    .unwrap_or_default(),
            };
            out.push(Entry {
                article: a,
                kicker: s.title.as_deref(),
                excerpt,
                url: a
                    .meta
                    .url
                    .as_deref()
                    .filter(|u| has_scheme(u) && valid_url(u) && u.starts_with("http")),
                picture: first_picture(&a.body),
            });
        }
    }
    out
}

fn first_paragraph(body: &[Block]) -> Option<String> {
    body.iter().find_map(|b| match b {
        Block::Paragraph(inlines) => {
            let text = plain(inlines);
            (!text.trim().is_empty()).then_some(text)
        }
        _ => None,
    })
}

fn first_picture(body: &[Block]) -> Option<(AssetId, &str)> {
    body.iter().find_map(|b| match b {
        Block::Image {
            src: ImageSrc::Asset(id),
            alt,
            ..
        } => Some((*id, alt.as_str())),
        _ => None,
    })
}

/// `text` cut at a word boundary before `max` characters, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    // Split at ordinary spaces only: the no-break space before a dash stays.
    let text = words(text).collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The preheader: the line clients show after the subject.
fn preheader(digest: &Digest, entries: &[Entry]) -> String {
    match &digest.meta.description {
        Some(d) => tie_dashes(d).into_owned(),
        None => {
            let heads: Vec<String> = entries
                .iter()
                .map(|e| tie_dashes(&e.article.meta.title).into_owned())
                .collect();
            shorten(&heads.join(" · "), 150)
        }
    }
}

/// Builds the briefing of `digest`.
pub fn newsletter(digest: &Digest, extras: &Extras) -> Newsletter {
    let entries = entries(digest);
    let mut images = Vec::new();
    let mut cid_of = |id: AssetId| -> String {
        let asset = digest.asset(id);
        let cid = format!("img{}.{}@pressbook", id.0, digest.meta.uuid.simple());
        if !images.iter().any(|i: &InlineImage| i.cid == cid) {
            images.push(InlineImage {
                cid: cid.clone(),
                file_name: asset.name.clone(),
                media_type: asset.media_type,
                data: asset.data.clone(),
            });
        }
        cid
    };
    let html = mail_html(digest, &entries, extras, &mut |id| {
        extras.images.then(|| cid_of(id))
    });
    Newsletter {
        html,
        text: mail_text(digest, &entries, extras),
        images,
    }
}

// Every colour is on its element, as clients that drop <style> need; the
// page sets its own background so that its ink never meets a client's dark
// one. Clients that keep <style> and follow the reader's dark mode (Apple
// Mail, Outlook for Mac) get the dark colours of [`dark_mode`]; the others
// darken the page themselves, which mid-dark ink on white survives.
const PAPER: &str = "#ffffff";
const INK: &str = "#222222";
const MUTED: &str = "#595959";
const RULE: &str = "#d0d0d0";
const SANS: &str = "font-family:Helvetica,Arial,sans-serif;";

/// The dark colours, for clients that keep `<style>` (the light ones are
/// on the elements).
fn dark_mode(digest: &Digest) -> String {
    let dark = Colour {
        r: 0x16,
        g: 0x16,
        b: 0x16,
    };
    let accent = digest.house.accent.map_or(
        Colour {
            r: 0x9c,
            g: 0xc3,
            b: 0xf5,
        },
        |a| a.text.lightened_for_text_on(dark),
    );
    format!(
        "@media (prefers-color-scheme: dark) {{\n\
         .pb-page {{ background: {dark} !important; color: #e6e4e0 !important; }}\n\
         .pb-page a, .pb-accent {{ color: {accent} !important; border-color: {accent} !important; }}\n\
         .pb-muted {{ color: #b4b2ae !important; }}\n\
         }}\n"
    )
}

fn accent(digest: &Digest) -> String {
    digest
        .house
        .accent
        .map_or_else(|| "#1f4e79".to_string(), |a| a.text.to_string())
}

fn mail_html(
    digest: &Digest,
    entries: &[Entry],
    extras: &Extras,
    cid: &mut dyn FnMut(AssetId) -> Option<String>,
) -> String {
    let m = &digest.meta;
    let accent = accent(digest);
    let mut x = Xml::new();
    crate::page::open_document(&mut x, &[("lang", &m.language)]);
    x.empty(
        "meta",
        &[
            ("name", "supported-color-schemes"),
            ("content", "light dark"),
        ],
    )
    .newline();
    x.element("title", &[], &subject(digest, None)).newline();
    x.open("style", &[]).newline();
    x.raw(&dark_mode(digest));
    x.close("style").newline();
    x.close("head").newline();
    x.open(
        "body",
        &[
            ("class", "pb-page"),
            (
                "style",
                &format!("margin:0;padding:0;background:{PAPER};color:{INK};"),
            ),
        ],
    )
    .newline();
    // Shown by clients beside the subject, hidden in the message.
    x.element(
        "div",
        &[(
            "style",
            "display:none;max-height:0;overflow:hidden;opacity:0;font-size:1px;line-height:1px;",
        )],
        &preheader(digest, entries),
    )
    .newline();
    x.open(
        "div",
        &[
            ("class", "pb-page"),
            (
                "style",
                &format!("max-width:600px;margin:0 auto;padding:16px;background:{PAPER};color:{INK};font-family:Georgia,'Times New Roman',serif;font-size:17px;line-height:1.5;"),
            ),
        ],
    )
    .newline();
    masthead_html(&mut x, digest, &accent, cid);
    contents_html(&mut x, entries, &accent);
    let mut section: Option<&str> = None;
    for e in entries {
        if e.kicker != section {
            section = e.kicker;
            if let Some(s) = section {
                x.element(
                    "h2",
                    &[("class", "pb-accent"), ("style", &format!("{SANS}font-size:15px;text-transform:uppercase;letter-spacing:1px;color:{accent};border-top:3px solid {accent};padding-top:8px;margin:32px 0 0;"))],
                    &tie_dashes(s),
                )
                .newline();
            }
        }
        entry_html(&mut x, &m.language, e, &accent, cid);
    }
    footer_html(&mut x, digest, extras);
    x.close("div").newline();
    x.close("body").newline().close("html").newline();
    x.finish()
}

fn masthead_html(
    x: &mut Xml,
    digest: &Digest,
    accent: &str,
    cid: &mut dyn FnMut(AssetId) -> Option<String>,
) {
    let m = &digest.meta;
    x.open(
        "div",
        &[(
            "style",
            &format!("text-align:center;padding:8px 0 16px;border-bottom:3px double {RULE};"),
        )],
    )
    .newline();
    if let Some(src) = digest.house.logo.and_then(&mut *cid) {
        let owner = m.publisher.as_deref().unwrap_or(&m.title);
        x.empty(
            "img",
            &[
                ("src", &format!("cid:{src}")),
                ("alt", &format!("{owner} logo")),
                ("height", "48"),
                ("style", "height:48px;width:auto;border:0;"),
            ],
        )
        .newline();
    }
    x.element(
        "h1",
        &[("style", "font-size:32px;line-height:1.2;margin:8px 0 4px;")],
        &tie_dashes(&m.title),
    )
    .newline();
    if let Some(s) = &m.subtitle {
        x.element(
            "p",
            &[("style", "font-style:italic;margin:0 0 4px;")],
            &tie_dashes(s),
        )
        .newline();
    }
    x.element(
        "p",
        &[
            ("class", "pb-accent"),
            (
                "style",
                &format!("{SANS}font-size:13px;text-transform:uppercase;letter-spacing:1px;color:{accent};margin:0;"),
            ),
        ],
        &m.issue_line(),
    )
    .newline();
    if let Some(e) = m.editor_line() {
        x.element(
            "p",
            &[(
                "style",
                &format!("font-size:14px;color:{MUTED};margin:4px 0 0;"),
            )],
            &e,
        )
        .newline();
    }
    x.close("div").newline();
}

fn contents_html(x: &mut Xml, entries: &[Entry], accent: &str) {
    x.element(
        "h2",
        &[("class", "pb-accent"), ("style", &format!("{SANS}font-size:13px;text-transform:uppercase;letter-spacing:1px;color:{accent};margin:20px 0 6px;"))],
        "In this issue",
    )
    .newline();
    x.open("ul", &[("style", "margin:0;padding:0 0 0 20px;")])
        .newline();
    for e in entries {
        x.open("li", &[("style", "margin:0 0 4px;")]);
        x.element(
            "a",
            &[
                ("href", &format!("#{}", e.article.id)),
                ("style", &format!("color:{accent};")),
            ],
            &tie_dashes(&e.article.meta.title),
        );
        x.close("li").newline();
    }
    x.close("ul").newline();
}

fn entry_html(
    x: &mut Xml,
    page_lang: &str,
    e: &Entry,
    accent: &str,
    cid: &mut dyn FnMut(AssetId) -> Option<String>,
) {
    let a = e.article;
    let mut attrs = vec![
        ("id", a.id.as_str()),
        ("style", "margin:24px 0 0;padding:0 0 16px;"),
    ];
    if a.meta.language != page_lang {
        attrs.push(("lang", a.meta.language.as_str()));
    }
    x.open("div", &attrs).newline();
    x.element(
        "h3",
        &[("style", "font-size:22px;line-height:1.25;margin:0 0 6px;")],
        &tie_dashes(&a.meta.title),
    )
    .newline();
    let byline = a.meta.byline();
    if !byline.is_empty() {
        x.element(
            "p",
            &[(
                "style",
                &format!("{SANS}font-size:13px;color:{MUTED};margin:0 0 8px;"),
            )],
            &tie_dashes(&byline),
        )
        .newline();
    }
    if let Some((id, alt)) = e.picture {
        if let Some(src) = cid(id) {
            x.empty(
                "img",
                &[
                    ("src", &format!("cid:{src}")),
                    ("alt", alt),
                    ("width", "568"),
                    ("style", "display:block;width:100%;max-width:568px;height:auto;border:0;margin:0 0 8px;"),
                ],
            )
            .newline();
        }
    }
    if !e.excerpt.is_empty() {
        x.element("p", &[("style", "margin:0 0 8px;")], &e.excerpt)
            .newline();
    }
    if let Some(url) = e.url {
        x.open(
            "p",
            &[("style", &format!("{SANS}font-size:14px;margin:0;"))],
        );
        let label = match &a.meta.source {
            Some(s) => format!("Read the original at {s}"),
            None => "Read the original".to_string(),
        };
        x.element(
            "a",
            &[("href", url), ("style", &format!("color:{accent};"))],
            &tie_dashes(&label),
        );
        x.close("p").newline();
    }
    x.close("div").newline();
}

fn footer_html(x: &mut Xml, digest: &Digest, extras: &Extras) {
    let style = format!("{SANS}font-size:12px;color:{MUTED};margin:4px 0;");
    x.open(
        "div",
        &[(
            "style",
            &format!(
                "border-top:1px solid {RULE};margin-top:24px;padding-top:12px;text-align:center;"
            ),
        )],
    )
    .newline();
    if let Some(f) = &extras.attached {
        x.element(
            "p",
            &[("class", "pb-muted"), ("style", &style)],
            &format!("The full edition is attached: {f}."),
        )
        .newline();
    }
    if let Some(r) = &digest.meta.rights {
        x.element("p", &[("class", "pb-muted"), ("style", &style)], r)
            .newline();
    }
    if let Some(u) = &extras.unsubscribe {
        x.open("p", &[("class", "pb-muted"), ("style", &style)]);
        x.element(
            "a",
            &[("href", u), ("style", "color:inherit;")],
            "Unsubscribe",
        );
        x.close("p").newline();
    }
    x.element(
        "p",
        &[("class", "pb-muted"), ("style", &style)],
        &format!("Sent by pressbook {}.", env!("CARGO_PKG_VERSION")),
    )
    .newline();
    x.close("div").newline();
}

fn mail_text(digest: &Digest, entries: &[Entry], extras: &Extras) -> String {
    let m = &digest.meta;
    let mut t = String::new();
    let para = |t: &mut String, s: &str| {
        t.push_str(&wrap(s, TEXT_WIDTH));
        t.push('\n');
    };
    para(&mut t, &tie_dashes(&m.title).to_uppercase());
    if let Some(s) = &m.subtitle {
        para(&mut t, &tie_dashes(s));
    }
    para(&mut t, &m.issue_line());
    if let Some(e) = m.editor_line() {
        para(&mut t, &e);
    }
    t.push_str("\nIN THIS ISSUE\n");
    for (i, e) in entries.iter().enumerate() {
        t.push_str(&wrap(
            &format!("{:>2}. {}", i + 1, tie_dashes(&e.article.meta.title)),
            TEXT_WIDTH,
        ));
        t.push('\n');
    }
    let mut section: Option<&str> = None;
    for e in entries {
        if e.kicker != section {
            section = e.kicker;
            if let Some(s) = section {
                let s = tie_dashes(s).to_uppercase();
                t.push_str(&format!("\n\n{s}\n{}\n", "=".repeat(s.chars().count())));
            }
        }
        let a = e.article;
        t.push('\n');
        para(&mut t, &tie_dashes(&a.meta.title));
        let byline = a.meta.byline();
        if !byline.is_empty() {
            para(&mut t, &tie_dashes(&byline));
        }
        if !e.excerpt.is_empty() {
            t.push('\n');
            para(&mut t, &e.excerpt);
        }
        if let Some(u) = e.url {
            t.push_str(&format!("Read the original: {u}\n"));
        }
    }
    t.push_str("\n-- \n");
    if let Some(f) = &extras.attached {
        para(&mut t, &format!("The full edition is attached: {f}."));
    }
    if let Some(r) = &m.rights {
        para(&mut t, r);
    }
    if let Some(u) = &extras.unsubscribe {
        t.push_str(&format!("Unsubscribe: {u}\n"));
    }
    t.push_str(&format!(
        "Sent by pressbook {}.\n",
        env!("CARGO_PKG_VERSION")
    ));
    t
}

/// The words of `text`, split at ordinary spaces and line breaks (never at
/// a no-break space).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', '\n', '\t', '\r'])
        .filter(|w| !w.is_empty())
}

/// `text` broken into lines of at most `width` characters at spaces (a
/// longer word stays whole on its own line).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in words(text) {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_shortens_at_words() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
        assert_eq!(shorten("short text", 20), "short text");
        assert_eq!(shorten("one two three, four five", 16), "one two three…");
        assert_eq!(wrap("a\u{a0}– b", 3), "a\u{a0}–\nb");
    }
}
