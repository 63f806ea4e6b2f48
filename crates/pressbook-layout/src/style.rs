//! The page and type style: sizes, leading, margins, spacing. One place to
//! tune the look.

use pressbook_model::model::PageSize;

use super::units::{mm, Rgb};

/// A rectangle of a page that strips fill from its top.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// Top-left corner on the page.
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

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
    /// Space around blocks, rules, insets and gaps.
    pub spacing: Spacing,
    /// Body pages are set in this many columns across the measure, this
    /// far apart, with a hairline down the middle of the gutter.
    pub columns: usize,
    pub gutter: f32,
    pub column_rule: bool,
    /// Body pages carry running heads (a small screen has no room for
    /// them).
    pub running_heads: bool,
    /// The house accent for rules (the masthead's, under article heads),
    /// which are ink and grey without one; and the colour of text set in
    /// the accent (kickers, labels, links), as dark as reading on white
    /// needs.
    pub accent: Option<Rgb>,
    pub accent_text: Rgb,
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

/// The colours the cover is set in. The PDF's cover is printed on the
/// paper in the page's own colours ([`CoverInk::paper`]); the cover picture
/// (`crate::cover`) lays the same cover out on a ground of its own, so the
/// page model itself says every colour and whoever draws it decides none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverInk {
    /// A ground over the whole page, drawn first; `None`: the paper.
    pub ground: Option<Rgb>,
    /// The title, headlines and description.
    pub text: Rgb,
    /// The subtitle, date, section counts, "Also:" and the foot.
    pub muted: Rgb,
    /// The hairlines.
    pub rule: Rgb,
    /// The masthead rule (the text colour without an accent).
    pub accent: Option<Rgb>,
    /// The publisher and the labels.
    pub accent_text: Rgb,
    /// Behind the logo: a plate, so that a logo made for paper shows on a
    /// dark ground; `None` on paper.
    pub plate: Option<Rgb>,
}

impl CoverInk {
    /// The cover on the paper of `style`'s pages, in its colours.
    pub fn paper(style: &PageStyle) -> CoverInk {
        CoverInk {
            ground: None,
            text: Rgb::INK,
            muted: Rgb::GREY,
            rule: Rgb::RULE,
            accent: style.accent,
            accent_text: style.accent_text,
            plate: None,
        }
    }
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
    /// This scale with every size in points multiplied by `k` (those in em
    /// follow the body by themselves; the cover scales on its own).
    pub fn scaled(&self, k: f32) -> Sizes {
        let t = |s: TypeSize| ts(s.size * k, s.leading * k);
        Sizes {
            kicker: t(self.kicker),
            notes_label: t(self.notes_label),
            byline: t(self.byline),
            source_line: t(self.source_line),
            summary: t(self.summary),
            heading1: t(self.heading1),
            heading2: t(self.heading2),
            caption: t(self.caption),
            placeholder: t(self.placeholder),
            about_label: t(self.about_label),
            about: t(self.about),
            about_names: self.about_names * k,
            code_pad: self.code_pad * k,
            cell_pad: (self.cell_pad.0 * k, self.cell_pad.1 * k),
            entry_detail: t(self.entry_detail),
            folio: self.folio * k,
            running_label: self.running_label * k,
            running_title: self.running_title * k,
            ..self.clone()
        }
    }

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

/// Space around blocks, rules, insets and gaps, in points; `*_lines` are
/// multiples of the body leading, `*_share` fractions of what they name.
/// The same on every page size (the cover's scale with the body size).
#[derive(Debug, Clone, PartialEq)]
pub struct Spacing {
    /// Between paragraphs not indented, and before most blocks.
    pub paragraph_lines: f32,
    /// Before headings of level 1, level 2 and deeper; after any heading.
    pub heading1_before_lines: f32,
    pub heading2_before_lines: f32,
    pub heading_before_lines: f32,
    pub heading_after: f32,
    /// Rule thicknesses.
    pub rules: Rules,
    pub head: HeadSpacing,
    /// The short centred rule of a Markdown `---`.
    pub section_rule: ShortRule,
    /// The short centred rule between articles of a compact digest.
    pub article_rule: ShortRule,
    pub quote: QuoteSpacing,
    pub list: ListSpacing,
    pub notes: NotesSpacing,
    /// The shaded strips above and below a code block, as a share of the
    /// code padding.
    pub code_strip_share: f32,
    /// After code blocks, images and lists, and between the parts of a
    /// table split into column groups: a share of the paragraph space.
    pub after_block_share: f32,
    pub image: ImageSpacing,
    pub attribution: AttributionSpacing,
    pub contents: ContentsSpacing,
    pub cover: CoverSpacing,
}

/// Thicknesses of rules and frames, in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// Under an article's head and a matter page's headline, above the
    /// attribution, in section rules and on the cover.
    pub hairline: f32,
    /// Above a table and at its foot; under its header row.
    pub table: f32,
    pub table_header: f32,
    /// The bar down a quote's left.
    pub quote_bar: f32,
    /// The frame of an image placeholder.
    pub frame: f32,
    /// Under the cover's publisher line.
    pub masthead: f32,
}

/// An article's head: space before its lines, and the hairline under it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadSpacing {
    pub headline_before: f32,
    pub byline_before: f32,
    pub source_line_before: f32,
    pub summary_before: f32,
    pub rule_before: f32,
    /// The hairline's strip and where in it the rule sits.
    pub rule_height_lines: f32,
    pub rule_at_lines: f32,
}

/// A short centred rule: its width (a share of the measure), its strip,
/// where in the strip it sits, the space before it and its thickness.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortRule {
    pub width_share: f32,
    pub height_lines: f32,
    pub at_lines: f32,
    pub before_lines: f32,
    pub thickness: f32,
}

/// A quote's text is inset on the left by the quote inset, and on the
/// right by this share of it; its bar stands at a share of the inset.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteSpacing {
    pub measure_less_insets: f32,
    pub bar_at_share: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListSpacing {
    /// Before a list nested in an item (instead of the paragraph space).
    pub nested_before: f32,
    /// Before an item's first paragraph; before its later ones, as a
    /// share of the paragraph space.
    pub item_before: f32,
    pub item_paragraph_share: f32,
    /// Between a marker and its item, in em of the body size.
    pub marker_gap_em: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NotesSpacing {
    pub label_before_lines: f32,
    /// The inset that holds a note's number, in em of the notes' size.
    pub number_inset_em: f32,
    /// Before a note's first paragraph and before its later ones.
    pub first_before: f32,
    pub next_before: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImageSpacing {
    pub caption_before: f32,
    /// The placeholder's description: inset from its frame, and the
    /// narrowest it is set in.
    pub placeholder_inset: f32,
    pub placeholder_min_measure: f32,
}

/// "About this article": the hairline's strip and the space before it,
/// and before each row.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributionSpacing {
    pub rule_height: f32,
    pub before_lines: f32,
    pub row_before: f32,
}

/// The contents and the "Sources" page.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentsSpacing {
    /// Width kept free for page numbers at the right of an entry.
    pub number_column: f32,
    /// Dot leaders sit on a grid of this pitch so they line up down the
    /// page, from this far after the title.
    pub leader_pitch: f32,
    pub leader_gap: f32,
    /// Before a section's label, and after it.
    pub section_before_lines: f32,
    pub section_after: f32,
    /// Before an entry, before its detail line; before a "Sources" entry.
    pub entry_before_lines: f32,
    pub detail_before: f32,
    pub source_before_lines: f32,
    /// The page's headline: space before and after it, then its hairline's
    /// place and strip.
    pub headline_before: f32,
    pub headline_after: f32,
    pub rule_at_lines: f32,
    pub rule_height_lines: f32,
}

/// The cover's gaps at a 10.5 pt body; those marked so scale with it.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverSpacing {
    /// After the masthead rule (scaled).
    pub after_masthead_rule: f32,
    pub subtitle_before: f32,
    /// Before the date and the description (scaled).
    pub date_before: f32,
    pub description_before: f32,
    /// Around the rule under the masthead (scaled).
    pub before_rule: f32,
    pub after_rule: f32,
    /// Kept free above the foot (scaled).
    pub foot_room: f32,
    /// A section needs this much room beyond its headline (the first not
    /// scaled, the second scaled).
    pub section_room: f32,
    pub section_room_scaled: f32,
    /// Before and after each section (scaled).
    pub section_before: f32,
    pub section_after: f32,
    pub also_before: f32,
    /// The foot's rule above its lines, and its first baseline below the
    /// rule's place (scaled).
    pub foot_rule_gap: f32,
    pub foot_baseline: f32,
}

impl Spacing {
    /// pressbook's spacing.
    pub const STANDARD: Spacing = Spacing {
        paragraph_lines: 0.6,
        heading1_before_lines: 1.4,
        heading2_before_lines: 1.1,
        heading_before_lines: 0.9,
        heading_after: 3.0,
        rules: Rules {
            hairline: 0.5,
            table: 0.8,
            table_header: 0.5,
            quote_bar: 1.2,
            frame: 0.6,
            masthead: 2.0,
        },
        head: HeadSpacing {
            headline_before: 2.0,
            byline_before: 6.0,
            source_line_before: 2.0,
            summary_before: 8.0,
            rule_before: 4.0,
            rule_height_lines: 1.2,
            rule_at_lines: 0.5,
        },
        section_rule: ShortRule {
            width_share: 0.25,
            height_lines: 1.5,
            at_lines: 0.75,
            before_lines: 0.5,
            thickness: 0.5,
        },
        article_rule: ShortRule {
            width_share: 0.2,
            height_lines: 1.5,
            at_lines: 0.5,
            before_lines: 2.0,
            thickness: 0.6,
        },
        quote: QuoteSpacing {
            measure_less_insets: 1.5,
            bar_at_share: 0.35,
        },
        list: ListSpacing {
            nested_before: 2.0,
            item_before: 2.0,
            item_paragraph_share: 0.6,
            marker_gap_em: 0.5,
        },
        notes: NotesSpacing {
            label_before_lines: 1.5,
            number_inset_em: 1.6,
            first_before: 3.0,
            next_before: 2.0,
        },
        code_strip_share: 0.6,
        after_block_share: 0.5,
        image: ImageSpacing {
            caption_before: 4.0,
            placeholder_inset: 6.0,
            placeholder_min_measure: 20.0,
        },
        attribution: AttributionSpacing {
            rule_height: 9.0,
            before_lines: 1.2,
            row_before: 1.0,
        },
        contents: ContentsSpacing {
            number_column: 30.0,
            leader_pitch: 5.0,
            leader_gap: 3.0,
            section_before_lines: 1.4,
            section_after: 4.0,
            entry_before_lines: 0.5,
            detail_before: 1.0,
            source_before_lines: 0.8,
            headline_before: 2.0,
            headline_after: 4.0,
            rule_at_lines: 0.5,
            rule_height_lines: 1.2,
        },
        cover: CoverSpacing {
            after_masthead_rule: 26.0,
            subtitle_before: 4.0,
            date_before: 10.0,
            description_before: 10.0,
            before_rule: 14.0,
            after_rule: 22.0,
            foot_room: 40.0,
            section_room: 12.0,
            section_room_scaled: 30.0,
            section_before: 8.0,
            section_after: 6.0,
            also_before: 2.0,
            foot_rule_gap: 8.0,
            foot_baseline: 8.0,
        },
    };
}

impl PageStyle {
    pub fn new(size: PageSize, compact: bool) -> Self {
        PageStyle::with(size, compact, 1, None)
    }

    /// The style for `size` with `columns` body columns and, when given, a
    /// body size other than the page size's own (the type scale and the
    /// measure follow it).
    pub fn with(size: PageSize, compact: bool, columns: usize, body: Option<f32>) -> Self {
        let (width, height) = size.points();
        let columns = columns.max(1);
        let (default_body, default_measure) = match size {
            // ~66 characters of 10.5 pt Source Serif per line.
            PageSize::A4 | PageSize::Letter if columns == 1 => (10.5, 348.0),
            PageSize::A4 | PageSize::Letter => (9.5, width - 2.0 * mm(17.0)),
            PageSize::A5 if columns == 1 => (9.5, 300.0),
            PageSize::A5 => (8.5, width - 2.0 * mm(13.0)),
            // Screens: what the page leaves beside narrow margins, at most
            // ~66 characters of a body a little larger than print's.
            _ => {
                let body = if width < mm(120.0) { 9.5 } else { 10.0 };
                let side = (width * 0.07).max(mm(6.0));
                (body, (width - 2.0 * side).min(body * 33.0))
            }
        };
        let body_size = body.unwrap_or(default_body);
        // A body size given in the manifest keeps the line's length in
        // characters (as far as the page allows).
        let measure = match body {
            Some(b) if columns == 1 => {
                (default_measure * b / default_body).min(width - 2.0 * mm(12.0))
            }
            _ => default_measure,
        };
        let leading = (body_size * 1.32f32)
            .round_ties_even()
            .max(body_size * 1.25);
        let margin_left = (width - measure) / 2.0;
        let (margin_top, margin_bottom) = match size {
            PageSize::A5 => (mm(17.0), mm(22.0)),
            PageSize::A4 | PageSize::Letter => (mm(25.0), mm(30.0)),
            _ if height < mm(150.0) => (mm(7.0), mm(11.0)),
            _ => (mm(18.0), mm(22.0)),
        };
        // Print's scale is set for a 10.5 pt body (A5's 9.5 pt keeps it);
        // another body, given or a screen's, scales every size with it.
        let sizes = if body.is_some() || size.is_screen() {
            Sizes::STANDARD.scaled(body_size / 10.5)
        } else {
            Sizes::STANDARD
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
            sizes,
            spacing: Spacing::STANDARD,
            columns,
            gutter: (body_size * 1.6).round(),
            column_rule: true,
            // Heads sit two lines above the text block: only where the top
            // margin has room for them and the page is not a small screen.
            running_heads: height >= mm(150.0),
            accent: None,
            accent_text: Rgb::ACCENT,
        }
    }

    /// The style the manifest's PDF settings ask for.
    pub fn for_settings(settings: &pressbook_model::manifest::PdfSettings) -> Self {
        PageStyle {
            sources_page: settings.sources_page,
            ..PageStyle::with(
                settings.page_size,
                settings.compact,
                settings.columns.count(),
                settings.body_size,
            )
        }
    }

    /// This style in the digest's accent, when it has one.
    pub fn in_house(&self, house: &pressbook_model::model::House) -> Self {
        let mut style = self.clone();
        if let Some(a) = house.accent {
            style.accent = Some(Rgb::from(a.given));
            style.accent_text = Rgb::from(a.text);
        }
        style
    }

    /// The width of one body column.
    pub fn column_width(&self) -> f32 {
        let n = self.columns as f32;
        (self.measure - self.gutter * (n - 1.0)) / n
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
