//! The model as XHTML pages for the EPUB.

pub use pressbook_model::markup::plain;
use pressbook_model::markup::{self, valid_url, ArticleMarkup, Dialect};
use pressbook_model::model::{Article, AssetId, Digest, Section, Target};
use pressbook_model::typography::tie_dashes;
use pressbook_model::xml::Xml;

pub const STYLESHEET: &str = include_str!("style.css");

/// File names of the pages, shared by the pages and the package.
pub fn article_file(a: &Article) -> String {
    format!("{}.xhtml", a.id)
}

pub fn section_file(s: &Section) -> String {
    format!("{}.xhtml", s.id)
}

pub const COVER_FILE: &str = "cover.xhtml";
pub const TITLE_FILE: &str = "title.xhtml";
pub const CONTENTS_FILE: &str = "contents.xhtml";
pub const COVER_IMAGE: &str = "images/cover.png";

/// Writes XHTML pages for one digest.
pub struct Pages<'a> {
    digest: &'a Digest,
}

impl<'a> Pages<'a> {
    pub fn new(digest: &'a Digest) -> Self {
        Pages { digest }
    }

    fn start(&self, x: &mut Xml, title: &str, lang: &str, body_class: &str) {
        x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
        x.open(
            "html",
            &[
                ("xmlns", "http://www.w3.org/1999/xhtml"),
                ("xmlns:epub", "http://www.idpf.org/2007/ops"),
                ("lang", lang),
                ("xml:lang", lang),
            ],
        )
        .newline();
        x.open("head", &[]).newline();
        x.empty("meta", &[("charset", "UTF-8")]).newline();
        x.element("title", &[], title).newline();
        x.empty(
            "link",
            &[
                ("rel", "stylesheet"),
                ("type", "text/css"),
                ("href", "stylesheet.css"),
            ],
        )
        .newline();
        x.close("head").newline();
        x.open("body", &[("class", body_class)]).newline();
    }

    fn end(x: &mut Xml) -> String {
        x.newline().close("body").newline().close("html").newline();
        std::mem::take(x).finish()
    }

    pub fn cover(&self) -> String {
        let m = &self.digest.meta;
        let mut x = Xml::new();
        self.start(&mut x, &m.title, &m.language, "cover");
        x.open("section", &[("epub:type", "cover"), ("class", "cover")]);
        let alt = cover_alt(self.digest);
        x.empty("img", &[("src", COVER_IMAGE), ("alt", &alt)]);
        x.close("section");
        Self::end(&mut x)
    }

    pub fn title_page(&self) -> String {
        let m = &self.digest.meta;
        let mut x = Xml::new();
        self.start(&mut x, &m.title, &m.language, "titlepage");
        x.open(
            "section",
            &[("epub:type", "titlepage"), ("class", "titlepage")],
        )
        .newline();
        if let Some(logo) = self.digest.house.logo {
            let src = format!("images/{}", self.digest.asset(logo).name);
            let owner = m.publisher.as_deref().unwrap_or(&m.title);
            let alt = format!("{owner} logo");
            x.empty("img", &[("class", "logo"), ("src", &src), ("alt", &alt)])
                .newline();
        }
        x.element("h1", &[("class", "title")], &tie_dashes(&m.title))
            .newline();
        if let Some(s) = &m.subtitle {
            x.element("p", &[("class", "subtitle")], &tie_dashes(s))
                .newline();
        }
        x.element("p", &[("class", "issue")], &m.issue_line())
            .newline();
        if let Some(e) = m.editor_line() {
            x.element("p", &[("class", "editor")], &e).newline();
        }
        if let Some(p) = &m.publisher {
            x.element("p", &[("class", "publisher")], p).newline();
        }
        if let Some(d) = &m.description {
            x.element("p", &[("class", "description")], &tie_dashes(d))
                .newline();
        }
        if let Some(r) = &m.rights {
            x.element("p", &[("class", "rights")], r).newline();
        }
        x.close("section");
        Self::end(&mut x)
    }

    pub fn contents(&self) -> String {
        let m = &self.digest.meta;
        let mut x = Xml::new();
        self.start(&mut x, "Contents", &m.language, "contents");
        x.open(
            "section",
            &[
                ("epub:type", "toc"),
                ("role", "doc-toc"),
                ("aria-labelledby", "contents-title"),
                ("class", "contents"),
            ],
        )
        .newline();
        x.element("h1", &[("id", "contents-title")], "Contents")
            .newline();
        for s in &self.digest.sections {
            if let Some(t) = &s.title {
                x.open("h2", &[]);
                x.element("a", &[("href", &section_file(s))], &tie_dashes(t));
                x.close("h2").newline();
            }
            x.open("ol", &[("class", "entries")]).newline();
            for a in &s.articles {
                markup::contents_entry(&mut x, a, &article_file(a));
            }
            x.close("ol").newline();
        }
        x.close("section");
        Self::end(&mut x)
    }

    pub fn section(&self, s: &Section) -> String {
        let m = &self.digest.meta;
        let title = s.title.as_deref().unwrap_or("Articles");
        let mut x = Xml::new();
        self.start(&mut x, title, &m.language, "section-opener");
        x.open(
            "section",
            &[
                ("class", "section-opener"),
                ("epub:type", "part"),
                ("role", "doc-part"),
                ("aria-labelledby", "part-title"),
            ],
        )
        .newline();
        x.element("h1", &[("id", "part-title")], &tie_dashes(title))
            .newline();
        x.open("ul", &[]).newline();
        for a in &s.articles {
            x.open("li", &[]);
            x.element(
                "a",
                &[("href", &article_file(a)), ("dir", "auto")],
                &tie_dashes(&a.meta.title),
            );
            x.close("li").newline();
        }
        x.close("ul").newline().close("section");
        Self::end(&mut x)
    }

    pub fn article(&self, section: &Section, a: &Article) -> String {
        let mut x = Xml::new();
        self.start(&mut x, &a.meta.title, &a.meta.language, "article");
        let m = ArticleMarkup {
            section,
            article: a,
            headline_level: 1,
            lang: None,
        };
        markup::article(&mut x, self, &m);
        Self::end(&mut x)
    }
}

impl Dialect for Pages<'_> {
    fn epub_types(&self) -> bool {
        true
    }

    /// Each article is a page of its own: its ids are its own.
    fn fragment_id(&self, _article: &Article, local: &str) -> String {
        local.to_string()
    }

    fn image_src(&self, asset: AssetId) -> String {
        format!("images/{}", self.digest.asset(asset).name)
    }

    /// Where a link goes in the book: a web address as it is (when
    /// EPUBCheck would accept it), a link to another article as its page,
    /// or `None` (shown as text) for a file outside the digest.
    fn link_target(&self, article: &Article, url: &str) -> Option<String> {
        match self.digest.resolve(article, url) {
            Target::Url(u) => valid_url(&u).then_some(u),
            Target::Article {
                id,
                fragment: Some(f),
            } if id == article.id => Some(format!("#{f}")),
            Target::Article { id, fragment } => {
                let page = format!("{id}.xhtml");
                Some(match fragment {
                    Some(f) => format!("{page}#{f}"),
                    None => page,
                })
            }
            Target::Outside => None,
        }
    }
}

/// The cover's alternative text: everything that is drawn on it.
pub fn cover_alt(d: &Digest) -> String {
    let m = &d.meta;
    let mut parts = vec![m.title.clone()];
    parts.extend(m.subtitle.clone());
    parts.push(m.date.format("%-d %B %Y").to_string());
    parts.extend(m.publisher.clone());
    format!("Cover: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        use pressbook_model::model::has_scheme;
        assert!(has_scheme("https://example.org"));
        assert!(has_scheme("mailto:a@b.c"));
        assert!(!has_scheme("images/a.png"));
        assert!(!has_scheme("c:/x"[2..].as_ref()));
        assert!(!valid_url("https://example.org/a b"));
    }
}
