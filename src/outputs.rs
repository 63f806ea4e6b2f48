//! The registry of outputs (mdBook's `with_renderer`): every output format
//! is listed once, here. The command line's `--format` values, `send`,
//! `check --device` and the output folder all ask this module, so adding
//! an output is one module implementing [`Output`] and one line below.

use pressbook_epub::{EpubOutput, Flavour};
use pressbook_html::HtmlOutput;
use pressbook_layout::cover::{self, CoverOutput};
use pressbook_model::render::Output;
use pressbook_pdf::PdfOutput;

/// Where books go unless `--out` says otherwise: `DIR/dist`.
pub const DEFAULT_OUT_DIR: &str = "dist";

/// Every output, in the order `--format all` writes them.
static OUTPUTS: &[&dyn Output] = &[
    &EpubOutput {
        flavour: Flavour::Epub,
        cover: cover::draw,
    },
    &EpubOutput {
        flavour: Flavour::Kepub,
        cover: cover::draw,
    },
    &PdfOutput,
    &CoverOutput,
    &HtmlOutput,
];

/// The `--format` value that stands for every output [`Output::in_all`].
pub const ALL: &str = "all";

/// Every registered output.
pub fn all() -> &'static [&'static dyn Output] {
    OUTPUTS
}

/// The output called `name` (its `--format` value).
pub fn find(name: &str) -> Option<&'static dyn Output> {
    OUTPUTS.iter().copied().find(|o| o.name() == name)
}

/// What a `--format` value selects: one output, or those `all` writes.
pub fn select(name: &str) -> Option<Vec<&'static dyn Output>> {
    if name == ALL {
        return Some(OUTPUTS.iter().copied().filter(|o| o.in_all()).collect());
    }
    find(name).map(|o| vec![o])
}

/// The `--format` values with their help, for the command line.
pub fn format_values(with_all: bool) -> Vec<clap::builder::PossibleValue> {
    let all = with_all.then(|| {
        let names: Vec<&str> = OUTPUTS
            .iter()
            .filter(|o| o.in_all())
            .map(|o| o.label())
            .collect();
        clap::builder::PossibleValue::new(ALL).help(names.join(" and "))
    });
    OUTPUTS
        .iter()
        .map(|o| clap::builder::PossibleValue::new(o.name()).help(o.about()))
        .chain(all)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions_are_unique_and_all_is_epub_and_pdf() {
        let mut names: Vec<&str> = all().iter().map(|o| o.name()).collect();
        let mut exts: Vec<&str> = all().iter().map(|o| o.extension()).collect();
        names.sort();
        names.dedup();
        exts.sort();
        exts.dedup();
        assert_eq!(names.len(), all().len());
        assert_eq!(exts.len(), all().len());
        assert!(find(ALL).is_none(), "`all` must not name an output");
        let in_all: Vec<&str> = select(ALL).unwrap().iter().map(|o| o.name()).collect();
        assert_eq!(in_all, ["epub", "pdf"]);
        assert_eq!(find("kepub").unwrap().extension(), "kepub.epub");
        assert!(select("docx").is_none());
    }
}
