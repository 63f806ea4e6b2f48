//! The page and type style: sizes, leading, margins. One place to tune the
//! look.

use crate::model::PageSize;

use super::paginate::Region;
use super::units::mm;

/// Page geometry and the type scale.
#[derive(Debug, Clone)]
pub struct PageStyle {
    pub width: f32,
    pub height: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub margin_left: f32,
    /// Width of the text column.
    pub measure: f32,
    /// Body text size and baseline-to-baseline distance.
    pub body_size: f32,
    pub leading: f32,
    /// First-line indent of paragraphs that follow a paragraph.
    pub indent: f32,
    /// Each article starts after a rule rather than on a new page.
    pub compact: bool,
    /// The document ends with a page listing every article's source.
    pub sources_page: bool,
}

impl PageStyle {
    pub fn new(size: PageSize, compact: bool) -> Self {
        let (width, height) = size.points();
        let (body_size, measure) = match size {
            // ~66 characters of 10.5 pt Source Serif per line.
            PageSize::A4 | PageSize::Letter => (10.5, 348.0),
            PageSize::A5 => (9.5, 300.0),
        };
        let leading = (body_size * 1.32f32)
            .round_ties_even()
            .max(body_size * 1.25);
        let margin_left = (width - measure) / 2.0;
        let (margin_top, margin_bottom) = match size {
            PageSize::A5 => (mm(17.0), mm(22.0)),
            _ => (mm(25.0), mm(30.0)),
        };
        PageStyle {
            width,
            height,
            margin_top,
            margin_bottom,
            margin_left,
            measure,
            body_size,
            leading,
            indent: body_size * 1.3,
            compact,
            sources_page: false,
        }
    }

    /// The style the manifest's PDF settings ask for.
    pub fn for_settings(settings: &crate::manifest::PdfSettings) -> Self {
        PageStyle {
            sources_page: settings.sources_page,
            ..PageStyle::new(settings.page_size, settings.compact)
        }
    }

    /// Height available for the text block.
    pub fn content_height(&self) -> f32 {
        self.height - self.margin_top - self.margin_bottom
    }

    /// The regions of a page the flow fills, in order: the text block.
    pub fn regions(&self) -> Vec<Region> {
        vec![Region {
            x: self.margin_left,
            y: self.margin_top,
            width: self.measure,
            height: self.content_height(),
        }]
    }
}
