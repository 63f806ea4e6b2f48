//! pressbook's model: everything before the outputs.
//!
//! A digest folder is read here: [`manifest`] (pressbook.toml) and
//! [`source`] (the article files) are loaded by [`load`] into the
//! [`model`], with every problem reported through [`diag`]. The outputs
//! (other crates) implement [`render::Renderer`] over the finished model
//! and write through [`output`]; none of them reaches back into loading.

pub mod diag;
pub mod direction;
pub mod house;
pub mod links;
pub mod load;
pub mod manifest;
pub mod markup;
pub mod model;
pub mod output;
pub mod picture;
pub mod render;
pub mod source;
pub mod typography;
pub mod xml;

pub use load::{LoadOptions, Loaded};
