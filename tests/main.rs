//! The end-to-end test suite, one binary (as ripgrep does): building each
//! area as its own binary linked the whole library seven times.
//! Each module is one area; `common` holds the helpers that run the real
//! binary and the real validators.

mod common;

mod cli;
mod collect;
mod docs;
mod epub;
mod errors;
mod hostile;
mod html;
mod invariant;
mod pdf;
mod pdf_nav;
mod pictures;
mod readers;
mod robustness;
mod scripts;
mod style;
mod tagged;
