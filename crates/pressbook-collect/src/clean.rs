//! The fourth step: [`Extracted`] → [`Article`], the article's HTML turned
//! into blocks ([`crate::convert`]) with what does not belong to it taken
//! out: chrome the extractor kept, the headline and byline repeated at the
//! top. A page whose extractor dropped every picture gets its lead figure
//! back; one with too few words is no article.

use dom_query::Document;

use crate::blocks::{self, plain, Blk};
use crate::chrome::{drop_chrome_blocks, strip_chrome};
use crate::convert::{convert, cut_deep};
use crate::extract::{ExtractError, Extracted, Meta};
use crate::markdown::{to_markdown, to_text};

/// The article as it will be saved, but for its pictures.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub meta: Meta,
    pub blocks: Vec<Blk>,
    /// The first block is the page's lead figure, put back because the
    /// extractor left it out.
    pub lead_restored: bool,
    /// What was wrong but did not stop the article (a date out of range).
    pub warnings: Vec<pressbook_model::diag::Diagnostic>,
}

impl Article {
    /// The `--json` form: the metadata, the Markdown and the text.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(&self.meta).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert("markdown".into(), to_markdown(&self.blocks).into());
            o.insert("text".into(), to_text(&self.blocks).into());
        }
        v
    }
}

/// Cleans an extracted article.
pub fn clean(e: Extracted) -> Result<Article, ExtractError> {
    let content = Document::fragment(e.html);
    cut_deep(&content.root());
    let Some(tidy) = e.tidy else {
        return Ok(Article {
            blocks: convert(&content.root(), e.base.as_ref()),
            meta: e.meta,
            lead_restored: false,
            warnings: e.warnings,
        });
    };
    if tidy.opts.strip_chrome {
        strip_chrome(&content);
    }
    let mut blocks = convert(&content.root(), e.base.as_ref());
    drop_repeated_head(
        &mut blocks,
        e.meta.title.as_deref(),
        tidy.byline_as_written.as_deref(),
    );
    if tidy.opts.strip_chrome {
        drop_chrome_blocks(&mut blocks, &tidy.chrome_texts);
    }
    let mut lead_restored = false;
    if blocks::images(&blocks).is_empty() {
        if let Some((src, alt, caption)) = tidy.lead_figure {
            blocks.insert(0, Blk::Figure { src, alt, caption });
            lead_restored = true;
        }
    }
    let words = to_text(&blocks).split_whitespace().count();
    if words < tidy.opts.min_words {
        return Err(ExtractError::NoArticle(words));
    }
    Ok(Article {
        meta: e.meta,
        blocks,
        lead_restored,
        warnings: e.warnings,
    })
}

/// The article's own headline (and byline line) repeated at the top of the
/// body: the front matter already carries them.
fn drop_repeated_head(blocks: &mut Vec<Blk>, title: Option<&str>, byline: Option<&str>) {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    if let (Some(Blk::Heading(_, c)), Some(t)) = (blocks.first(), title) {
        if norm(&plain(c)) == norm(t) {
            blocks.remove(0);
        }
    }
    if let (Some(Blk::Para(c)), Some(b)) = (blocks.first(), byline) {
        let p = norm(&plain(c));
        if !p.is_empty() && (p == norm(b) || p == norm(&format!("by {b}"))) {
            blocks.remove(0);
        }
    }
}
