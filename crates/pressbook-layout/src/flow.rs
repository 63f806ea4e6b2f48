//! The flow: what the blocks of the digest become before pagination. A
//! list of strips ([`Strip`]s) that pagination places into regions;
//! blocks make them, pagination reads them, neither knows the other.

use std::sync::Arc;

use super::{LinkArea, Placed};

/// A strip of the flow: never split, placed at the region's left edge.
#[derive(Debug, Clone, Default)]
pub struct Strip {
    pub height: f32,
    /// Space above it, dropped at the top of a region.
    pub space_before: f32,
    /// Items relative to the strip's top-left corner.
    pub items: Vec<Placed>,
    pub links: Vec<LinkArea>,
    /// A region may end just before this strip.
    pub break_before: bool,
    /// This strip must start a page.
    pub new_page: bool,
    /// Repeated at the top of a region that starts with this strip (table
    /// header rows).
    pub header: Option<Arc<Strip>>,
    /// Named destinations at this strip's top.
    pub dests: Vec<String>,
    /// Outline entries that start here: (level, title, destination).
    pub outline: Vec<(u8, String, Option<String>)>,
    /// The article this strip belongs to.
    pub article: Option<Arc<str>>,
    /// The first strip of an article.
    pub opening: bool,
    /// Baseline of the first line (for list markers).
    pub baseline: f32,
    /// A separator: not drawn when it falls at the top of a page.
    pub drop_at_top: bool,
    /// On pages set in columns, the strip spans them all (an article's
    /// head); the others fill one column at a time.
    pub span: bool,
}
