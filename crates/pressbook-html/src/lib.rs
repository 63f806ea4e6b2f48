//! The digest for browsers and mail: the HTML edition (one self-contained
//! page, `--format html`) and the newsletter (`send --format html`). Both
//! write articles through the model's shared markup, as the EPUB does.

pub mod newsletter;
pub mod page;

use pressbook_model::diag::Sink;
use pressbook_model::manifest::HtmlImages;
use pressbook_model::render::{file_stem, Companion, Output, RenderContext, Rendered};

pub use page::Edition;

/// The HTML edition behind the [`Output`] seam.
pub struct HtmlOutput;

impl Output for HtmlOutput {
    fn name(&self) -> &'static str {
        "html"
    }
    fn label(&self) -> &'static str {
        "HTML"
    }
    fn extension(&self) -> &'static str {
        "html"
    }
    fn settings_table(&self) -> &'static str {
        "[html]"
    }
    fn about(&self) -> &'static str {
        "one web page that works offline (NAME.html)"
    }
    fn in_all(&self) -> bool {
        false
    }
    fn render<'a>(&self, cx: RenderContext<'a>, _sink: &mut Sink) -> anyhow::Result<Rendered<'a>> {
        let edition = Edition {
            digest: cx.digest,
            images: cx.settings.html.images,
            stem: file_stem(cx.digest),
        };
        let companions = match edition.images {
            HtmlImages::Embed => Vec::new(),
            HtmlImages::Folder => cx
                .digest
                .assets
                .iter()
                .map(|a| Companion {
                    name: format!("{}/{}", page::folder_name(&edition.stem), a.name),
                    data: a.data.clone(),
                })
                .collect(),
        };
        let html = edition.page(cx.settings);
        Ok(Rendered::new(None, move |out| {
            out.write_all(html.as_bytes())?;
            Ok(())
        })
        .with_companions(companions))
    }
}
