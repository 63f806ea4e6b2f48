//! The HTML edition: the whole digest as one page. Masthead, contents,
//! the sections with their articles (written by the model's shared
//! [`markup`], as the EPUB writes them), the Sources list and a colophon.

use base64::Engine;

use pressbook_model::direction::is_rtl_language;
use pressbook_model::house::Colour;
use pressbook_model::manifest::HtmlImages;
use pressbook_model::markup::{self, valid_url, ArticleMarkup, Dialect};
use pressbook_model::model::{has_scheme, Article, AssetId, Digest, Section, Target};
use pressbook_model::render::Settings;
use pressbook_model::typography::tie_dashes;
use pressbook_model::xml::Xml;

/// pressbook's stylesheet for the edition.
pub const STYLESHEET: &str = include_str!("style.css");

/// The dark page's background in the stylesheet: the accent is lightened
/// against it for dark mode.
const DARK_PAPER: Colour = Colour {
    r: 0x16,
    g: 0x16,
    b: 0x16,
};

/// One digest as one page.
pub struct Edition<'a> {
    pub digest: &'a Digest,
    pub images: HtmlImages,
    /// The output's file name without extension: pictures in a folder go
    /// in `STEM_files/`.
    pub stem: String,
}

impl Dialect for Edition<'_> {
    fn epub_types(&self) -> bool {
        false
    }

    /// Every article shares the page: its ids carry its own.
    fn fragment_id(&self, article: &Article, local: &str) -> String {
        format!("{}-{local}", article.id)
    }

    /// A web address as it is, another article (or a place in one) as a
    /// place on this page, a file outside the digest as text.
    fn link_target(&self, article: &Article, url: &str) -> Option<String> {
        match self.digest.resolve(article, url) {
            Target::Url(u) => valid_url(&u).then_some(u),
            Target::Article {
                id,
                fragment: Some(f),
            } => Some(format!("#{id}-{f}")),
            Target::Article { id, fragment: None } => Some(format!("#{id}")),
            Target::Outside => None,
        }
    }

    fn image_src(&self, asset: AssetId) -> String {
        let a = self.digest.asset(asset);
        match self.images {
            HtmlImages::Embed => format!(
                "data:{};base64,{}",
                a.media_type,
                base64::engine::general_purpose::STANDARD.encode(a.data.as_slice())
            ),
            HtmlImages::Folder => format!("{}/{}", folder_name(&self.stem), url_path(&a.name)),
        }
    }
}

/// The folder beside the page that holds its pictures.
pub fn folder_name(stem: &str) -> String {
    format!("{stem}_files")
}

/// A file name as a URL path segment.
fn url_path(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Edition<'_> {
    /// The page.
    pub fn page(&self, settings: &Settings) -> String {
        let d = self.digest;
        let m = &d.meta;
        let mut x = Xml::new();
        let mut attrs = vec![("lang", m.language.as_str())];
        if is_rtl_language(&m.language) {
            attrs.push(("dir", "rtl"));
        }
        open_document(&mut x, &attrs);
        self.head(&mut x, settings);
        x.open("body", &[]).newline();
        x.element(
            "a",
            &[("class", "skip-link"), ("href", "#main")],
            "Skip to the articles",
        )
        .newline();
        self.masthead(&mut x);
        self.contents(&mut x);
        x.open("main", &[("id", "main")]).newline();
        for s in &d.sections {
            self.section(&mut x, s);
        }
        self.sources(&mut x);
        x.close("main").newline();
        self.colophon(&mut x);
        x.close("body").newline().close("html").newline();
        x.finish()
    }

    /// The rest of the `<head>`: title, description, the stylesheet.
    fn head(&self, x: &mut Xml, settings: &Settings) {
        let m = &self.digest.meta;
        let title = format!("{}, {}", tie_dashes(&m.title), m.date.format("%-d %B %Y"));
        x.element("title", &[], &title).newline();
        if let Some(desc) = &m.description {
            x.empty(
                "meta",
                &[("name", "description"), ("content", &tie_dashes(desc))],
            )
            .newline();
        }
        let generator = format!("pressbook {}", env!("CARGO_PKG_VERSION"));
        x.empty("meta", &[("name", "generator"), ("content", &generator)])
            .newline();
        x.open("style", &[]).newline();
        // The stylesheet is text inside <style>: only `</` could end it.
        x.raw(&stylesheet(self.digest, settings).replace("</", "<\\/"));
        x.close("style").newline();
        x.close("head").newline();
    }

    /// Title, subtitle, issue line and the rest of the EPUB's title page.
    fn masthead(&self, x: &mut Xml) {
        let d = self.digest;
        let m = &d.meta;
        x.open("header", &[("class", "masthead")]).newline();
        if let Some(logo) = d.house.logo {
            let owner = m.publisher.as_deref().unwrap_or(&m.title);
            let alt = format!("{owner} logo");
            x.empty(
                "img",
                &[
                    ("class", "logo"),
                    ("src", &self.image_src(logo)),
                    ("alt", &alt),
                ],
            )
            .newline();
        }
        x.element("h1", &[("class", "title")], &tie_dashes(&m.title))
            .newline();
        let line = |x: &mut Xml, class: &str, text: &str| {
            x.element("p", &[("class", class)], text).newline();
        };
        if let Some(s) = &m.subtitle {
            line(x, "subtitle", &tie_dashes(s));
        }
        line(x, "issue", &m.issue_line());
        if let Some(e) = m.editor_line() {
            line(x, "editor", &e);
        }
        if let Some(p) = &m.publisher {
            line(x, "publisher", p);
        }
        if let Some(desc) = &m.description {
            line(x, "description", &tie_dashes(desc));
        }
        x.close("header").newline();
    }

    /// The contents: every section and article, linked.
    fn contents(&self, x: &mut Xml) {
        x.open(
            "nav",
            &[("class", "contents"), ("aria-labelledby", "contents-title")],
        )
        .newline();
        x.element("h2", &[("id", "contents-title")], "Contents")
            .newline();
        x.open("ol", &[]).newline();
        for s in &self.digest.sections {
            match &s.title {
                Some(t) => {
                    x.open("li", &[("class", "contents-section")]);
                    x.element("a", &[("href", &format!("#{}", s.id))], &tie_dashes(t));
                    x.open("ol", &[]).newline();
                    entries(x, s);
                    x.close("ol").close("li").newline();
                }
                None => entries(x, s),
            }
        }
        x.open("li", &[]);
        x.element("a", &[("href", "#sources")], "Sources");
        x.close("li").newline();
        x.close("ol").newline();
        x.close("nav").newline();
    }

    fn section(&self, x: &mut Xml, s: &Section) {
        let headline_level = match &s.title {
            Some(t) => {
                let title_id = format!("{}-title", s.id);
                x.open(
                    "section",
                    &[
                        ("class", "section"),
                        ("id", &s.id),
                        ("aria-labelledby", &title_id),
                    ],
                )
                .newline();
                x.element(
                    "h2",
                    &[("class", "section-title"), ("id", &title_id)],
                    &tie_dashes(t),
                )
                .newline();
                3
            }
            None => 2,
        };
        for a in &s.articles {
            let lang =
                (a.meta.language != self.digest.meta.language).then_some(a.meta.language.as_str());
            let m = ArticleMarkup {
                section: s,
                article: a,
                headline_level,
                lang,
            };
            markup::article(x, self, &m);
            x.newline();
        }
        if s.title.is_some() {
            x.close("section").newline();
        }
    }

    /// Every article's attribution, in reading order (the PDF's Sources page).
    fn sources(&self, x: &mut Xml) {
        x.open(
            "section",
            &[
                ("class", "sources"),
                ("id", "sources"),
                ("aria-labelledby", "sources-title"),
            ],
        )
        .newline();
        x.element("h2", &[("id", "sources-title")], "Sources")
            .newline();
        x.open("ol", &[]).newline();
        for a in self.digest.articles() {
            let at = a.meta.attribution();
            let mut attrs = vec![];
            if a.meta.language != self.digest.meta.language {
                attrs.push(("lang", a.meta.language.as_str()));
            }
            x.open("li", &attrs);
            x.element(
                "a",
                &[("href", &format!("#{}", a.id)), ("dir", "auto")],
                &tie_dashes(&a.meta.title),
            );
            let mut detail =
                vec![tie_dashes(at.source.unwrap_or("Source not stated")).into_owned()];
            detail.extend(at.author.map(|s| tie_dashes(s).into_owned()));
            detail.extend(at.date.map(|d| d.to_string()));
            detail.extend(at.rights.map(|s| tie_dashes(s).into_owned()));
            x.open("span", &[("class", "source-detail")]);
            x.text(&detail.join(" · "));
            x.close("span");
            if let Some(url) = at.url {
                x.open("span", &[("class", "source-detail")]);
                if has_scheme(url) && valid_url(url) {
                    x.element("a", &[("href", url), ("class", "url")], url);
                } else {
                    x.text(url);
                }
                x.close("span");
            }
            x.close("li").newline();
        }
        x.close("ol").newline();
        x.close("section").newline();
    }

    fn colophon(&self, x: &mut Xml) {
        let m = &self.digest.meta;
        x.open("footer", &[("class", "colophon")]).newline();
        if let Some(r) = &m.rights {
            x.element("p", &[("class", "rights")], r).newline();
        }
        let made = format!(
            "{}, {}. Made with pressbook.",
            tie_dashes(&m.title),
            m.issue_line()
        );
        x.element("p", &[], &made).newline();
        x.close("footer").newline();
    }
}

/// A section's articles in the contents, each with its source.
fn entries(x: &mut Xml, s: &Section) {
    for a in &s.articles {
        markup::contents_entry(x, a, &format!("#{}", a.id));
    }
}

/// The start of a page for browsers and mail: doctype, `<html>` with
/// `attrs`, and the `<head>`'s character set, viewport and colour schemes.
pub(crate) fn open_document(x: &mut Xml, attrs: &[(&str, &str)]) {
    x.raw("<!DOCTYPE html>\n");
    x.open("html", attrs).newline();
    x.open("head", &[]).newline();
    x.empty("meta", &[("charset", "utf-8")]).newline();
    x.empty(
        "meta",
        &[
            ("name", "viewport"),
            ("content", "width=device-width, initial-scale=1"),
        ],
    )
    .newline();
    x.empty(
        "meta",
        &[("name", "color-scheme"), ("content", "light dark")],
    )
    .newline();
}

/// pressbook's stylesheet, then the house style's accent (in light and
/// dark mode), then the editor's own CSS, which therefore wins.
pub fn stylesheet(digest: &Digest, settings: &Settings) -> String {
    let mut css = STYLESHEET.to_string();
    if let Some(accent) = digest.house.accent {
        let dark = accent.text.lightened_for_text_on(DARK_PAPER);
        let dark_rule = accent.given.lightened_for_text_on(DARK_PAPER);
        css.push_str(&format!(
            "\n/* [style] accent */\n\
             :root {{ --accent: {}; --accent-rule: {}; }}\n\
             @media (prefers-color-scheme: dark) {{ :root {{ --accent: {dark}; --accent-rule: {dark_rule}; }} }}\n\
             @media print {{ :root {{ --accent: #000; --accent-rule: {}; }} }}\n",
            accent.text, accent.given, accent.given
        ));
    }
    if let Some(extra) = &settings.epub.css {
        css.push_str("\n/* [style] css */\n");
        css.push_str(extra);
        if !extra.ends_with('\n') {
            css.push('\n');
        }
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picture_names_are_url_paths() {
        assert_eq!(url_path("map-1.png"), "map-1.png");
        assert_eq!(url_path("a b#.png"), "a%20b%23.png");
        assert_eq!(folder_name("weekly-2026-11-23"), "weekly-2026-11-23_files");
    }
}
