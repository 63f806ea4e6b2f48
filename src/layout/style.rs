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
    /// The sizes of everything that is not running text.
    pub sizes: Sizes,
}

/// A type size and the baseline-to-baseline distance it is set at, in
/// points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypeSize {
    pub size: f32,
    pub leading: f32,
}

const fn ts(size: f32, leading: f32) -> TypeSize {
    TypeSize { size, leading }
}

/// The sizes of headings, labels, notes, tables, code, the cover and the
/// furniture, in points; `*_em` are multiples of the body size. The same on
/// every page size (the cover's scale with the body size).
#[derive(Debug, Clone, PartialEq)]
pub struct Sizes {
    /// Small capitals labels: the section above a headline, "NOTES".
    pub kicker: TypeSize,
    pub notes_label: TypeSize,
    /// An article's headline, and when set tight; its leading is a multiple
    /// of its size.
    pub headline_em: f32,
    pub headline_tight_em: f32,
    pub headline_leading: f32,
    pub byline: TypeSize,
    pub source_line: TypeSize,
    pub summary: TypeSize,
    /// Headings of levels 1 and 2 (deeper ones are body-sized).
    pub heading1: TypeSize,
    pub heading2: TypeSize,
    pub caption: TypeSize,
    /// The description inside an image placeholder.
    pub placeholder: TypeSize,
    /// "About this article": its label, its rows, the width of the names.
    pub about_label: TypeSize,
    pub about: TypeSize,
    pub about_names: f32,
    pub note_em: f32,
    pub code_em: f32,
    pub inline_code_em: f32,
    pub table_em: f32,
    pub superscript_em: f32,
    pub superscript_rise_em: f32,
    /// Insets of quotes and lists, padding of code blocks and table cells
    /// (across, down).
    pub quote_inset_em: f32,
    pub list_inset_em: f32,
    pub code_pad: f32,
    pub cell_pad: (f32, f32),
    /// Contents and sources: the small line under an entry.
    pub entry_detail: TypeSize,
    /// Furniture: folios, the label and the title of running heads.
    pub folio: f32,
    pub running_label: f32,
    pub running_title: f32,
    pub cover: CoverSizes,
}

/// The cover's sizes at a 10.5 pt body (they scale with it).
#[derive(Debug, Clone, PartialEq)]
pub struct CoverSizes {
    pub publisher: TypeSize,
    pub title: f32,
    pub subtitle: f32,
    pub date: TypeSize,
    pub description: f32,
    pub in_this_issue: TypeSize,
    pub section: TypeSize,
    pub lead: f32,
    pub also: TypeSize,
    pub more: TypeSize,
    pub editor: f32,
    pub rights: f32,
    pub foot_leading: f32,
}

impl Sizes {
    /// pressbook's type scale.
    pub const STANDARD: Sizes = Sizes {
        kicker: ts(7.5, 12.0),
        notes_label: ts(8.0, 12.0),
        headline_em: 2.1,
        headline_tight_em: 1.8,
        headline_leading: 1.15,
        byline: ts(11.0, 15.0),
        source_line: ts(8.5, 12.0),
        summary: ts(11.5, 15.5),
        heading1: ts(12.5, 16.0),
        heading2: ts(11.0, 14.5),
        caption: ts(8.8, 12.0),
        placeholder: ts(8.5, 11.0),
        about_label: ts(7.5, 11.0),
        about: ts(8.0, 10.5),
        about_names: 54.0,
        note_em: 0.86,
        code_em: 0.82,
        inline_code_em: 0.86,
        table_em: 0.88,
        superscript_em: 0.62,
        superscript_rise_em: 0.36,
        quote_inset_em: 1.6,
        list_inset_em: 1.7,
        code_pad: 7.0,
        cell_pad: (5.0, 3.5),
        entry_detail: ts(8.0, 11.5),
        folio: 8.5,
        running_label: 6.5,
        running_title: 8.5,
        cover: CoverSizes {
            publisher: ts(8.0, 14.0),
            title: 34.0,
            subtitle: 15.0,
            date: ts(9.5, 14.0),
            description: 11.0,
            in_this_issue: ts(7.5, 16.0),
            section: ts(7.0, 13.0),
            lead: 14.0,
            also: ts(9.5, 13.0),
            more: ts(10.0, 14.0),
            editor: 8.5,
            rights: 7.5,
            foot_leading: 11.0,
        },
    };
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
            sizes: Sizes::STANDARD,
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
