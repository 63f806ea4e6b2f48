//! The EPUB 3 back end: XHTML pages packaged with epub-builder.

pub mod kepub;
pub mod xhtml;

use std::io::{Cursor, Read, Seek, Write};

use anyhow::Context;

use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, TocElement, ZipLibrary,
};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime as ZipDateTime, ZipArchive, ZipWriter};

use pressbook_model::diag::Sink;
use pressbook_model::manifest::EpubSettings;
use pressbook_model::model::Digest;
use pressbook_model::picture::{ImageSettings, PictureTarget};
use pressbook_model::render::{Output, RenderContext, Rendered, Settings};
use pressbook_model::typography::tie_dashes;
use pressbook_model::xml;
use xhtml::{Pages, CONTENTS_FILE, COVER_FILE, COVER_IMAGE, TITLE_FILE};

/// The EPUB and its Kobo flavour behind the [`Output`] seam.
pub struct EpubOutput {
    pub flavour: Flavour,
    /// Draws the cover picture (PNG bytes). The registry gives the
    /// layout's, which draws the PDF's cover page, so this crate needs no
    /// layout engine and a change in the layout does not recompile it.
    pub cover: DrawCover,
}

/// What draws a digest's cover picture, as PNG bytes, in the manifest's
/// settings.
pub type DrawCover = fn(&Digest, &Settings) -> anyhow::Result<Vec<u8>>;

impl Output for EpubOutput {
    fn name(&self) -> &'static str {
        match self.flavour {
            Flavour::Epub => "epub",
            Flavour::Kepub => "kepub",
        }
    }
    fn label(&self) -> &'static str {
        match self.flavour {
            Flavour::Epub => "EPUB",
            Flavour::Kepub => "KEPUB",
        }
    }
    fn extension(&self) -> &'static str {
        match self.flavour {
            Flavour::Epub => "epub",
            // Kobo goes by the double extension.
            Flavour::Kepub => "kepub.epub",
        }
    }
    fn settings_table(&self) -> &'static str {
        "[style]"
    }
    fn about(&self) -> &'static str {
        match self.flavour {
            Flavour::Epub => "EPUB 3, for e-readers and Apple Books",
            Flavour::Kepub => "Kobo's KEPUB (NAME.kepub.epub)",
        }
    }
    fn in_all(&self) -> bool {
        self.flavour == Flavour::Epub
    }
    fn pictures(&self, settings: &ImageSettings) -> PictureTarget {
        PictureTarget::ereader(settings)
    }
    fn render<'a>(&self, cx: RenderContext<'a>, _sink: &mut Sink) -> anyhow::Result<Rendered<'a>> {
        let flavour = self.flavour;
        let cover =
            (self.cover)(cx.digest, cx.settings).context("cannot draw the cover picture")?;
        Ok(Rendered::new(None, move |out| {
            package_flavour(cx.digest, flavour, cx.settings, &cover, out)
        }))
    }
}

/// Which EPUB to write: the standard one, or Kobo's KEPUB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Epub,
    Kepub,
}

/// What the book declares it conforms to (EPUB Accessibility 1.1's own
/// wording); Ace checks the pages against it.
pub const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA";

/// Builds the whole EPUB in memory (without extra CSS) around the cover
/// picture `cover` (PNG bytes) and returns its bytes.
pub fn package(digest: &Digest, cover: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    package_flavour(digest, Flavour::Epub, &Settings::default(), cover, &mut out)?;
    Ok(out.into_inner())
}

/// Builds the EPUB or KEPUB and writes the final zip to `out`: its
/// stylesheet with the `[style]` CSS, `cover` (PNG bytes) its cover
/// picture.
pub fn package_flavour<W: Write + Seek>(
    digest: &Digest,
    flavour: Flavour,
    settings: &Settings,
    cover: &[u8],
    out: W,
) -> anyhow::Result<()> {
    let zip = ZipLibrary::new().map_err(epub_err)?;
    let mut b = EpubBuilder::new(zip).map_err(epub_err)?;
    metadata(&mut b, digest);
    resources(&mut b, digest, settings, cover)?;
    let pages = Pages::new(digest);
    front_pages(&mut b, &pages)?;
    body_pages(&mut b, digest, &pages)?;
    // epub-builder's zip, rewritten with fixed timestamps and order.
    let mut raw = Vec::new();
    b.generate(&mut raw).map_err(epub_err)?;
    normalize_zip(&raw, out, digest, flavour)
}

type Builder = EpubBuilder<ZipLibrary>;

/// The package's Dublin Core and accessibility metadata.
fn metadata(b: &mut Builder, digest: &Digest) {
    let m = &digest.meta;
    b.epub_version(EpubVersion::V30);
    b.set_title(m.title.clone());
    b.set_lang(m.language.clone());
    if let Some(e) = &m.editor {
        b.add_author(e.clone());
    }
    if let Some(d) = &m.description {
        b.add_description(d.clone());
    }
    if let Some(r) = &m.rights {
        b.set_license(r.clone());
    }
    for s in digest.sections.iter().filter_map(|s| s.title.as_ref()) {
        b.add_subject(s.clone());
    }
    b.set_generator(format!("pressbook {}", env!("CARGO_PKG_VERSION")));
    b.set_uuid(m.uuid);
    b.set_modified_date(m.modified);
    b.set_publication_date(m.date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    b.set_toc_name("Contents");
    for (property, value) in [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "alternativeText"),
        ("schema:accessibilityHazard", "none"),
        (
            "schema:accessibilitySummary",
            "A digest of articles with a navigable table of contents, headings that mark its structure, text alternatives for images, and notes linked both ways.",
        ),
    ] {
        b.add_metadata_opf(Box::new(MetadataOpfV3::new(
            property.to_string(),
            xml::escape(value),
        )));
    }
}

/// The stylesheet, the cover image and the articles' images.
fn resources(
    b: &mut Builder,
    digest: &Digest,
    settings: &Settings,
    cover: &[u8],
) -> anyhow::Result<()> {
    b.stylesheet(stylesheet(digest, &settings.epub).as_bytes())
        .map_err(epub_err)?;
    b.add_cover_image(COVER_IMAGE, cover, "image/png")
        .map_err(epub_err)?;
    for a in &digest.assets {
        b.add_resource(
            format!("images/{}", a.name),
            a.data.as_slice(),
            a.media_type,
        )
        .map_err(epub_err)?;
    }
    Ok(())
}

/// pressbook's stylesheet, then the house style's rules (accent, logo),
/// then the editor's own CSS, which therefore wins where they disagree.
pub fn stylesheet(digest: &Digest, settings: &EpubSettings) -> String {
    let mut css = xhtml::STYLESHEET.to_string();
    if let Some(accent) = digest.house.accent {
        let (text, given) = (accent.text, accent.given);
        // Text in the accent uses the colour darkened for contrast when
        // needed; rules and bars take it as given.
        css.push_str(&format!(
            "\n/* [style] accent */\n\
             .kicker, .notes-title, .attribution-title, .contents h2 {{ color: {text}; }}\n\
             a {{ color: {text}; }}\n\
             .contents a, .section-opener a {{ color: inherit; }}\n\
             hr, .attribution {{ border-top-color: {given}; }}\n\
             pre {{ border-left-color: {given}; }}\n"
        ));
    }
    if digest.house.logo.is_some() {
        css.push_str(
            "\n/* [style] logo: a fixed height, its own aspect ratio */\n\
             .titlepage .logo { display: block; height: 3em; width: auto; max-width: 80%; margin: 0 auto 1.5em; }\n",
        );
    }
    if let Some(extra) = &settings.css {
        css.push_str("\n/* [style] css */\n");
        css.push_str(extra);
        if !extra.ends_with('\n') {
            css.push('\n');
        }
    }
    css
}

/// Cover, title page and contents, before the sections.
fn front_pages(b: &mut Builder, pages: &Pages) -> anyhow::Result<()> {
    b.add_content(
        EpubContent::new(COVER_FILE, pages.cover().as_bytes())
            .title("Cover")
            .reftype(ReferenceType::Cover),
    )
    .map_err(epub_err)?;
    b.add_content(
        EpubContent::new(TITLE_FILE, pages.title_page().as_bytes())
            .title("Title page")
            .reftype(ReferenceType::TitlePage),
    )
    .map_err(epub_err)?;
    b.add_content(
        EpubContent::new(CONTENTS_FILE, pages.contents().as_bytes())
            .title("Contents")
            .reftype(ReferenceType::Toc),
    )
    .map_err(epub_err)?;
    Ok(())
}

/// Section openers and articles, with each article's `##` headings under
/// it in the navigation.
fn body_pages(b: &mut Builder, digest: &Digest, pages: &Pages) -> anyhow::Result<()> {
    let mut first = true;
    for s in &digest.sections {
        let level = if let Some(title) = &s.title {
            let page = pages.section(s);
            b.add_content(
                EpubContent::new(xhtml::section_file(s), page.as_bytes())
                    .title(tie_dashes(title).into_owned())
                    .level(1),
            )
            .map_err(epub_err)?;
            2
        } else {
            1
        };
        for a in &s.articles {
            let page = pages.article(s, a);
            let file = xhtml::article_file(a);
            let mut content = EpubContent::new(file.clone(), page.as_bytes())
                .title(tie_dashes(&a.meta.title).into_owned())
                .level(level);
            for h in a.body.iter().filter_map(|b| match b {
                pressbook_model::model::Block::Heading {
                    level: 2,
                    id,
                    content,
                } => Some((id, content)),
                _ => None,
            }) {
                content = content.child(
                    TocElement::new(
                        format!("{file}#{}", h.0),
                        tie_dashes(&xhtml::plain(h.1)).into_owned(),
                    )
                    .level(level + 1),
                );
            }
            if first {
                content = content.reftype(ReferenceType::Text);
                first = false;
            }
            b.add_content(content).map_err(epub_err)?;
        }
    }
    Ok(())
}

fn epub_err(e: epub_builder::Error) -> anyhow::Error {
    anyhow::anyhow!("EPUB packaging failed: {e}")
}

/// Rewrites epub-builder's zip so that the same input gives the same bytes
/// (fixed timestamps and permissions; it stamps the wall clock), and adds the
/// OPF metadata it has no setter for (`dc:publisher`, a non-UUID identifier).
fn normalize_zip<W: Write + Seek>(
    raw: &[u8],
    out: W,
    digest: &Digest,
    flavour: Flavour,
) -> anyhow::Result<()> {
    let m = &digest.meta;
    let mut archive = ZipArchive::new(Cursor::new(raw))?;
    let mut writer = ZipWriter::new(out);
    let when = {
        use chrono::{Datelike, Timelike};
        let t = m.modified.naive_utc();
        ZipDateTime::from_date_and_time(
            t.year().clamp(1980, 2107) as u16,
            t.month() as u8,
            t.day() as u8,
            t.hour() as u8,
            t.minute() as u8,
            t.second() as u8,
        )
        .unwrap_or_default()
    };
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name().to_string();
        let mut data = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut data)?;
        let method = if name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(when)
            .unix_permissions(0o644);
        if name.ends_with("content.opf") {
            data = patch_opf(String::from_utf8(data)?, digest).into_bytes();
        } else if name.ends_with("nav.xhtml") {
            data = patch_nav(String::from_utf8(data)?, &m.language).into_bytes();
        }
        if flavour == Flavour::Kepub && name.ends_with(".xhtml") {
            data = kepub::transform(&String::from_utf8(data)?).into_bytes();
        }
        writer.start_file(name, options)?;
        writer.write_all(&data)?;
    }
    writer.finish()?;
    Ok(())
}

/// Inserts metadata elements epub-builder cannot write.
fn patch_opf(opf: String, digest: &Digest) -> String {
    let m = &digest.meta;
    let mut extra = String::new();
    if let Some(p) = &m.publisher {
        extra.push_str(&format!(
            "    <dc:publisher>{}</dc:publisher>\n",
            xml::escape(p)
        ));
    }
    if !m.identifier.starts_with("urn:uuid:") {
        extra.push_str(&format!(
            "    <dc:identifier id=\"digest-id\">{}</dc:identifier>\n",
            xml::escape(&m.identifier)
        ));
    }
    if let Some(s) = &m.subtitle {
        extra.push_str(&format!(
            "    <dc:title id=\"subtitle\">{}</dc:title>\n    <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n",
            xml::escape(s)
        ));
    }
    extra.push_str(&format!(
        "    <meta property=\"dcterms:conformsTo\">{CONFORMS_TO}</meta>\n"
    ));
    // The package's own language, which Ace wants beside dc:language.
    let opf = opf.replacen(
        "<package version=\"3.0\"",
        &format!(
            "<package version=\"3.0\" xml:lang=\"{}\"",
            xml::escape(&m.language)
        ),
        1,
    );
    match opf.find("  </metadata>") {
        Some(i) => format!("{}{}{}", &opf[..i], extra, &opf[i..]),
        None => opf,
    }
}

/// Gives epub-builder's navigation document what Ace asks of every page:
/// a language, ARIA roles matching the `epub:type`s, and a distinct label
/// on each navigation landmark.
fn patch_nav(nav: String, lang: &str) -> String {
    let lang = xml::escape(lang);
    nav.replacen(
        "xmlns:epub=\"http://www.idpf.org/2007/ops\">",
        &format!(
            "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">"
        ),
        1,
    )
    .replacen(
        "<nav epub:type = \"toc\" id=\"toc\">",
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">",
        1,
    )
    .replacen(
        "<nav epub:type = \"landmarks\">",
        "<nav epub:type=\"landmarks\" aria-label=\"Landmarks\">",
        1,
    )
}
