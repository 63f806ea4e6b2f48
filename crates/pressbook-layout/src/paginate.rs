//! The flow of strips → regions → pages.
//!
//! Strips fill regions (as typst's `Regions`: the current region, then the
//! ones after it) top to bottom; a page has one region today, the text
//! block, and two columns will be two regions of one page. When a strip
//! does not fit, the region ends at the last place before it where a break
//! is allowed (so a heading goes over with its paragraph, and no paragraph
//! leaves a single line behind); only when a region has no such place is it
//! broken where it is full.

use super::flow::Strip;
use super::style::{PageStyle, Region};
use super::units::Point;
use super::{LinkArea, OutlineEntry, Page, PageItem};

/// The regions still to fill: the current one and those after it, page
/// after page (every page has the regions of [`PageStyle::regions`]).
#[derive(Debug, Clone)]
pub struct Regions {
    per_page: Vec<Region>,
    page: usize,
    index: usize,
}

impl Regions {
    pub fn new(style: &PageStyle) -> Self {
        Regions::per_page(style.regions())
    }

    /// Every page with the regions `per_page`, filled in that order.
    pub fn per_page(per_page: Vec<Region>) -> Self {
        assert!(!per_page.is_empty(), "a page without regions");
        Regions {
            per_page,
            page: 0,
            index: 0,
        }
    }

    /// The region being filled.
    pub fn current(&self) -> Region {
        self.per_page[self.index]
    }

    /// The 0-based page of the current region.
    pub fn page(&self) -> usize {
        self.page
    }

    /// Moves on to the next region (on the next page after the last).
    pub fn next(&mut self) {
        self.index += 1;
        if self.index == self.per_page.len() {
            self.next_page();
        }
    }

    /// Moves on to the first region of the next page.
    pub fn next_page(&mut self) {
        self.page += 1;
        self.index = 0;
    }
}

/// Places `elems` on pages. The strips are moved onto the pages, not
/// copied: at a thousand articles they are a few hundred megabytes.
pub fn paginate(elems: Vec<Strip>, style: &PageStyle) -> (Vec<Page>, Vec<OutlineEntry>) {
    paginate_in(elems, Regions::new(style), style)
}

/// Places the body's strips on pages: in the style's columns when it has
/// more than one (the front and back matter always fill the text block).
pub fn paginate_body(elems: Vec<Strip>, style: &PageStyle) -> (Vec<Page>, Vec<OutlineEntry>) {
    if style.columns < 2 {
        return paginate(elems, style);
    }
    let plan = plan_columns(&elems, style);
    place(plan, elems, style)
}

/// [`paginate`] into the given regions.
pub fn paginate_in(
    elems: Vec<Strip>,
    regions: Regions,
    style: &PageStyle,
) -> (Vec<Page>, Vec<OutlineEntry>) {
    let plan = plan(&elems, regions);
    place(plan, elems, style)
}

/// Moves the strips onto the pages the plan puts them on.
fn place(
    plan: Vec<Filled>,
    elems: Vec<Strip>,
    style: &PageStyle,
) -> (Vec<Page>, Vec<OutlineEntry>) {
    let mut elems: Vec<Strip> = elems;
    let mut outline = Vec::new();
    let mut pages: Vec<Page> = Vec::new();
    for filled in plan {
        let strips = filled
            .placed
            .into_iter()
            .map(|(y, at)| {
                let e = match at {
                    At::Header(i) => repeated(elems[i].header.as_deref()),
                    At::Strip(i) => std::mem::take(&mut elems[i]),
                };
                (y, e)
            })
            .collect();
        while pages.len() <= filled.page {
            pages.push(Page {
                width: style.width,
                height: style.height,
                ..Page::default()
            });
        }
        let page = &mut pages[filled.page];
        page.items.extend(filled.extra);
        place_region(
            page,
            filled.region,
            filled.page_top,
            strips,
            filled.page,
            &mut outline,
        );
    }
    (pages, outline)
}

/// How full each region would be (height used by strips) if `elems` were
/// paginated alone; in columns, how far down each page is filled.
pub fn region_fill(elems: &[Strip], style: &PageStyle) -> Vec<f32> {
    if style.columns > 1 {
        let mut pages: Vec<f32> = Vec::new();
        for f in plan_columns(elems, style) {
            if pages.len() <= f.page {
                pages.resize(f.page + 1, 0.0);
            }
            let bottom = f.region.y - style.margin_top + used(elems, &f.placed);
            pages[f.page] = pages[f.page].max(bottom);
        }
        return pages;
    }
    plan(elems, Regions::new(style))
        .iter()
        .map(|filled| {
            filled.placed.last().map_or(0.0, |&(y, at)| {
                y + match at {
                    At::Header(i) => elems[i].header.as_ref().map_or(0.0, |h| h.height),
                    At::Strip(i) => elems[i].height,
                }
            })
        })
        .collect()
}

/// A strip placed in a region: strip `i` itself, or the repeated table
/// header that strip `i` carries.
#[derive(Debug, Clone, Copy)]
enum At {
    Strip(usize),
    Header(usize),
}

/// One filled region: where it is and its strips with their y offsets
/// from its top.
struct Filled {
    page: usize,
    region: Region,
    /// The region starts at the top of the page's text block (a separator
    /// there is not drawn, an article opening there has no running head).
    page_top: bool,
    placed: Vec<(f32, At)>,
    /// Drawn on the page besides the strips (the rule between columns).
    extra: Vec<super::Placed>,
}

/// The height the strips `placed` take from the region's top.
fn used(elems: &[Strip], placed: &[(f32, At)]) -> f32 {
    placed.last().map_or(0.0, |&(y, at)| {
        y + match at {
            At::Header(i) => elems[i].header.as_ref().map_or(0.0, |h| h.height),
            At::Strip(i) => elems[i].height,
        }
    })
}

/// Pages in columns: each article's head spans the text block, and the
/// strips after it fill the columns below it, left to right, each as a
/// region of its own (so keeps, widows and orphans work per column). When
/// a run of column strips ends on a page (the article ends, or the next
/// head follows in a compact digest) its columns are balanced: as short as
/// they can be while holding it, as a newspaper sets an article's end.
fn plan_columns(elems: &[Strip], style: &PageStyle) -> Vec<Filled> {
    let full = style.content_height();
    let (n, cw) = (style.columns, style.column_width());
    let mut out = Vec::new();
    let (mut page, mut y) = (0usize, 0.0f32);
    let mut i = 0;
    while i < elems.len() {
        if elems[i].new_page && y > 0.0 {
            (page, y) = (page + 1, 0.0);
        }
        let span = elems[i].span;
        let j = (i + 1..elems.len())
            .find(|&k| elems[k].span != span || elems[k].new_page)
            .unwrap_or(elems.len());
        let gap = if y > 0.0 { elems[i].space_before } else { 0.0 };
        let avail = full - y - gap;
        let top = style.margin_top + y + gap;
        if span {
            let (placed, end, _) = fill(&elems[..j], i, avail);
            let height = used(elems, &placed);
            // The head goes over with the first lines after it.
            let after = if end == j && j < elems.len() && !elems[j].new_page {
                keep_height(elems, j)
            } else {
                0.0
            };
            if y > 0.0 && (end < j || height + after > avail + 0.01) {
                (page, y) = (page + 1, 0.0);
                continue;
            }
            out.push(Filled {
                page,
                region: Region {
                    x: style.margin_left,
                    y: top,
                    width: style.measure,
                    height,
                },
                page_top: y == 0.0,
                placed,
                extra: Vec::new(),
            });
            y += gap + height;
            i = end;
            if end < j {
                (page, y) = (page + 1, 0.0);
            }
            continue;
        }
        if y > 0.0 && keep_height(elems, i) > avail + 0.01 {
            (page, y) = (page + 1, 0.0);
            continue;
        }
        let mut cols = fill_columns(elems, i, j, n, avail);
        let end = cols.last().map_or(i + 1, |c| c.1);
        if end >= j {
            if let Some(b) = balanced(elems, i, j, n, avail) {
                cols = b;
            }
        }
        let height = cols
            .iter()
            .map(|(placed, _)| used(elems, placed))
            .fold(0.0f32, f32::max);
        let mut extra = column_rules(style, top, height, cols.len());
        for (c, (placed, _)) in cols.into_iter().enumerate() {
            out.push(Filled {
                page,
                region: Region {
                    x: style.margin_left + c as f32 * (cw + style.gutter),
                    y: top,
                    width: cw,
                    height: avail,
                },
                page_top: y == 0.0,
                placed,
                extra: std::mem::take(&mut extra),
            });
        }
        i = end.min(j).max(i + 1);
        if end >= j {
            y += gap + height;
        } else {
            (page, y) = (page + 1, 0.0);
        }
    }
    out
}

/// The hairlines between `count` columns of `height` from `top`, when the
/// style rules them.
fn column_rules(style: &PageStyle, top: f32, height: f32, count: usize) -> Vec<super::Placed> {
    if !style.column_rule {
        return Vec::new();
    }
    let cw = style.column_width();
    (1..count)
        .map(|c| {
            let x = style.margin_left + c as f32 * (cw + style.gutter) - style.gutter / 2.0;
            super::Placed::new(
                Point::new(x, top),
                PageItem::Segment {
                    dx: 0.0,
                    dy: height,
                    thickness: style.spacing.rules.hairline * 0.6,
                    color: super::Rgb::RULE,
                },
                super::BlockRole::Artifact,
            )
        })
        .collect()
}

/// Filled columns: each one's strips (with their y offsets) and where the
/// next column starts.
type Columns = Vec<(Vec<(f32, At)>, usize)>;

/// The columns strips `i..j` fill, each `height` tall.
fn fill_columns(elems: &[Strip], i: usize, j: usize, n: usize, height: f32) -> Columns {
    let mut cols = Vec::new();
    let mut k = i;
    while cols.len() < n && k < j {
        let (placed, end, _) = fill(&elems[..j], k, height);
        cols.push((placed, end));
        k = end;
    }
    cols
}

/// The shortest columns, at most `avail` tall, that hold strips `i..j`
/// with every keep rule kept, if any do.
fn balanced(elems: &[Strip], i: usize, j: usize, n: usize, avail: f32) -> Option<Columns> {
    let fits = |h: f32| -> Option<Columns> {
        let cols = fill_columns(elems, i, j, n, h);
        let all_in = cols.last().is_some_and(|c| c.1 >= j);
        let none_over = cols.iter().all(|(p, _)| used(elems, p) <= h + 0.01);
        (all_in && none_over).then_some(cols)
    };
    let mut best = fits(avail)?;
    let (mut lo, mut hi) = (0.0f32, avail);
    while hi - lo > 0.5 {
        let mid = (lo + hi) / 2.0;
        match fits(mid) {
            Some(cols) => {
                best = cols;
                hi = mid;
            }
            None => lo = mid,
        }
    }
    Some(best)
}

/// The height of strips from `i` up to the first place after it where a
/// region may end: what must fit together.
fn keep_height(elems: &[Strip], i: usize) -> f32 {
    let mut h = elems[i].height;
    for e in &elems[i + 1..] {
        if e.break_before || e.new_page || e.span {
            break;
        }
        h += e.space_before + e.height;
    }
    h
}

/// The strips of each region, in the order the regions are filled.
fn plan(elems: &[Strip], mut regions: Regions) -> Vec<Filled> {
    let mut filled = Vec::new();
    let mut i = 0;
    while i < elems.len() {
        let region = regions.current();
        let (placed, end, page_break) = fill(elems, i, region.height);
        filled.push(Filled {
            page: regions.page(),
            region,
            page_top: true,
            placed,
            extra: Vec::new(),
        });
        if page_break {
            regions.next_page();
        } else {
            regions.next();
        }
        i = end;
    }
    filled
}

/// Fills one region `avail` tall with the strips from `start`: the strips
/// placed, where the next region starts, and whether it must be on a new
/// page.
fn fill(elems: &[Strip], start: usize, avail: f32) -> (Vec<(f32, At)>, usize, bool) {
    let mut y = 0.0f32;
    let mut placed: Vec<(f32, At)> = Vec::new();
    // A repeated table header goes first.
    if let Some(h) = &elems[start].header {
        if !elems[start].new_page {
            placed.push((0.0, At::Header(start)));
            y += h.height;
        }
    }
    let mut end = start;
    let mut page_break = false;
    while end < elems.len() {
        let e = &elems[end];
        if end > start && e.new_page {
            page_break = true;
            break;
        }
        let before = if end == start { 0.0 } else { e.space_before };
        if end > start && y + before + e.height > avail + 0.01 {
            // Back up to the last strip a region may end before.
            if let Some(b) = (start + 1..=end).rev().find(|&k| elems[k].break_before) {
                if b < end {
                    let keep = placed.len() - (end - b);
                    placed.truncate(keep);
                }
                end = b;
            }
            break;
        }
        y += before;
        placed.push((y, At::Strip(end)));
        y += e.height;
        end += 1;
    }
    if end == start {
        end = start + 1;
    }
    (placed, end, page_break)
}

/// Puts the strips of one region on its page.
fn place_region(
    page: &mut Page,
    region: Region,
    page_top: bool,
    placed: Vec<(f32, Strip)>,
    index: usize,
    outline: &mut Vec<OutlineEntry>,
) {
    let (x0, y0) = (region.x, region.y);
    for (y, e) in placed {
        if page.article.is_none() {
            page.article = e.article.as_deref().map(str::to_string);
        }
        if e.opening && y < 1.0 && page_top {
            page.opening = true;
        }
        // A separator at the top of a region is not drawn, but what it
        // carries (the article's destination and bookmarks) still counts.
        if !(e.drop_at_top && y < 1.0 && page_top) {
            page.items
                .extend(e.items.into_iter().map(|p| p.offset(x0, y0 + y)));
        }
        for l in e.links {
            page.links.push(LinkArea {
                x: l.x + x0,
                y: l.y + y0 + y,
                ..l
            });
        }
        for d in e.dests {
            page.destinations.push((d, y0 + y));
        }
        for (level, title, dest) in e.outline {
            outline.push(OutlineEntry {
                level,
                title,
                page: index,
                dest,
            });
        }
    }
}

/// All the text items of a page with their positions (for tests).
pub fn text_items(page: &Page) -> impl Iterator<Item = (Point, &super::TextRun)> {
    page.items.iter().filter_map(|p| match &p.item {
        PageItem::Text(r) => Some((p.at, r)),
        _ => None,
    })
}

/// A table header set again at the top of a page: a pagination artifact,
/// since a reader has heard it where the table began.
fn repeated(header: Option<&Strip>) -> Strip {
    let mut e = header.cloned().unwrap_or_default();
    for p in &mut e.items {
        p.role = super::BlockRole::Pagination;
        p.node = super::UNTAGGED;
    }
    e.links.clear();
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use pressbook_model::model::PageSize;

    fn line(break_before: bool) -> Strip {
        Strip {
            height: 14.0,
            break_before,
            ..Strip::default()
        }
    }

    /// A paragraph of `n` lines with widow/orphan rules, as the blocks make.
    fn para(n: usize) -> Vec<Strip> {
        (0..n)
            .map(|k| line(k == 0 || (k >= 2 && n - k >= 2)))
            .collect()
    }

    /// Lines of the paragraph on each page, after a filler that leaves
    /// room for `room` lines on the first page.
    fn split(room: usize, n: usize, style: &PageStyle) -> Vec<usize> {
        let per_page = (style.content_height() / 14.0).floor() as usize;
        let mut elems = vec![Strip {
            height: 14.0 * (per_page - room) as f32,
            break_before: true,
            ..Strip::default()
        }];
        let mut p = para(n);
        for e in &mut p {
            e.dests.push("line".into());
        }
        elems.extend(p);
        let (pages, _) = paginate(elems, style);
        pages.iter().map(|p| p.destinations.len()).collect()
    }

    #[test]
    fn no_widows_or_orphans() {
        let style = PageStyle::new(PageSize::A4, false);
        // One line of room: the paragraph's first line would be an orphan.
        assert_eq!(split(1, 5, &style), vec![0, 5]);
        // Two lines of room, three lines: the last would be a widow.
        assert_eq!(split(2, 3, &style), vec![0, 3]);
        // Two lines of room, four lines: two and two.
        assert_eq!(split(2, 4, &style), vec![2, 2]);
        // Three lines of room, four lines: still two and two.
        assert_eq!(split(3, 4, &style), vec![2, 2]);
        assert_eq!(split(3, 6, &style), vec![3, 3]);
    }

    #[test]
    fn a_heading_is_never_last_on_a_page() {
        let style = PageStyle::new(PageSize::A5, false);
        let per_page = (style.content_height() / 14.0).floor() as usize;
        let mut elems = para(per_page - 1);
        // The heading fits, but the paragraph after it does not.
        let mut heading = line(true);
        heading.dests.push("heading".into());
        elems.push(heading);
        let mut next = para(4);
        next[0].break_before = false;
        elems.extend(next);
        let (pages, _) = paginate(elems, &style);
        assert!(pages.len() == 2);
        assert!(
            pages[0].destinations.is_empty(),
            "heading left at the page foot"
        );
        assert_eq!(pages[1].destinations.len(), 1);
    }

    #[test]
    fn two_regions_a_page_fill_left_then_right() {
        // Two columns 100 pt tall: three 30 pt strips fit in each.
        let style = PageStyle::new(PageSize::A4, false);
        let column = |x: f32| Region {
            x,
            y: 50.0,
            width: 100.0,
            height: 100.0,
        };
        let regions = Regions::per_page(vec![column(40.0), column(200.0)]);
        let mut elems: Vec<Strip> = (0..8)
            .map(|i| Strip {
                height: 30.0,
                break_before: true,
                dests: vec![i.to_string()],
                items: vec![crate::Placed::new(
                    Point::new(0.0, 0.0),
                    PageItem::hline(10.0, 1.0, crate::Rgb::INK),
                    crate::BlockRole::Artifact,
                )],
                ..Strip::default()
            })
            .collect();
        elems[7].new_page = true;
        let (pages, _) = paginate_in(elems, regions, &style);
        let at = |p: &Page| -> Vec<(String, f32, f32)> {
            p.destinations
                .iter()
                .zip(&p.items)
                .map(|((d, _), it)| (d.clone(), it.at.x, it.at.y))
                .collect()
        };
        let want = |v: &[(&str, f32, f32)]| -> Vec<(String, f32, f32)> {
            v.iter().map(|&(d, x, y)| (d.to_string(), x, y)).collect()
        };
        assert_eq!(pages.len(), 3);
        assert_eq!(
            at(&pages[0]),
            want(&[
                ("0", 40.0, 50.0),
                ("1", 40.0, 80.0),
                ("2", 40.0, 110.0),
                ("3", 200.0, 50.0),
                ("4", 200.0, 80.0),
                ("5", 200.0, 110.0),
            ])
        );
        assert_eq!(at(&pages[1]), want(&[("6", 40.0, 50.0)]));
        // A strip that must start a page skips the free column.
        assert_eq!(at(&pages[2]), want(&[("7", 40.0, 50.0)]));
    }

    /// A strip named `name` (its destination) with a short rule as its
    /// item, so that its place can be read back.
    fn named(name: &str, height: f32, span: bool) -> Strip {
        Strip {
            height,
            break_before: true,
            span,
            dests: vec![name.to_string()],
            items: vec![crate::Placed::new(
                Point::new(0.0, 0.0),
                PageItem::hline(10.0, 1.0, crate::Rgb::INK),
                crate::BlockRole::Paragraph,
            )],
            ..Strip::default()
        }
    }

    /// (page, name, x, y) of every named strip.
    fn places(pages: &[Page]) -> Vec<(usize, String, f32, f32)> {
        let mut out = Vec::new();
        for (n, p) in pages.iter().enumerate() {
            let items = p
                .items
                .iter()
                .filter(|i| i.role != crate::BlockRole::Artifact);
            for ((d, _), it) in p.destinations.iter().zip(items) {
                out.push((n, d.clone(), it.at.x, it.at.y));
            }
        }
        out
    }

    #[test]
    fn style_columns_head_spans_body_fills_left_then_right_balanced() {
        let style = PageStyle::with(PageSize::A4, false, 2, None);
        let (left, top) = (style.margin_left, style.margin_top);
        let right = left + style.column_width() + style.gutter;
        let mut elems = vec![named("h1", 20.0, true), named("h2", 20.0, true)];
        elems[0].new_page = true;
        elems.extend((0..30).map(|k| named(&format!("a{k}"), 14.0, false)));
        // A second article, longer than one page of columns.
        let per_column = ((style.content_height() - 40.0) / 14.0).floor() as usize;
        let mut head = named("g1", 40.0, true);
        head.new_page = true;
        elems.push(head);
        elems.extend((0..2 * per_column + 10).map(|k| named(&format!("b{k}"), 14.0, false)));
        let (pages, _) = paginate_body(elems, &style);
        assert_eq!(pages.len(), 3);
        let at = places(&pages);
        let find = |name: &str| at.iter().find(|p| p.1 == name).cloned().unwrap();
        // The head spans from the left margin; the body starts below it.
        assert_eq!(find("h1"), (0, "h1".into(), left, top));
        assert_eq!(find("a0"), (0, "a0".into(), left, top + 40.0));
        // Thirty lines balance as fifteen and fifteen.
        assert_eq!(
            find("a14"),
            (0, "a14".into(), left, top + 40.0 + 14.0 * 14.0)
        );
        assert_eq!(find("a15"), (0, "a15".into(), right, top + 40.0));
        assert_eq!(find("a29").2, right);
        // The long article fills both columns of its first page, then the
        // next page's from the top, balanced (five and five).
        assert_eq!(find("g1"), (1, "g1".into(), left, top));
        let b = |k: usize| find(&format!("b{k}"));
        assert_eq!((b(per_column - 1).0, b(per_column - 1).2), (1, left));
        assert_eq!((b(per_column).0, b(per_column).2), (1, right));
        assert_eq!(
            b(2 * per_column),
            (2, format!("b{}", 2 * per_column), left, top)
        );
        assert_eq!(
            b(2 * per_column + 5),
            (2, format!("b{}", 2 * per_column + 5), right, top)
        );
        // A hairline down the gutter of every page with two columns.
        let rules = |p: &Page| {
            p.items
                .iter()
                .filter(|i| matches!(i.item, PageItem::Segment { dx, .. } if dx == 0.0))
                .map(|i| i.at.x)
                .collect::<Vec<f32>>()
        };
        let mid = left + style.column_width() + style.gutter / 2.0;
        for p in &pages {
            assert_eq!(rules(p), vec![mid]);
        }
    }

    #[test]
    fn style_columns_compact_head_goes_below_the_balanced_columns() {
        let style = PageStyle::with(PageSize::A4, true, 2, None);
        let (left, top) = (style.margin_left, style.margin_top);
        let mut elems = vec![named("h1", 20.0, true)];
        elems[0].new_page = true;
        elems.extend((0..10).map(|k| named(&format!("a{k}"), 14.0, false)));
        let mut sep = named("h2", 20.0, true);
        sep.space_before = 12.0;
        sep.drop_at_top = true;
        elems.push(sep);
        elems.extend((0..4).map(|k| named(&format!("b{k}"), 14.0, false)));
        let (pages, _) = paginate_body(elems, &style);
        assert_eq!(pages.len(), 1);
        let at = places(&pages);
        let find = |name: &str| at.iter().find(|p| p.1 == name).cloned().unwrap();
        // Ten lines: five a column, then the next head under them (drawn:
        // it is not at the top of the page), then its body.
        assert_eq!(find("a5").3, top + 20.0);
        let below = top + 20.0 + 5.0 * 14.0 + 12.0;
        assert_eq!(find("h2"), (0, "h2".into(), left, below));
        assert_eq!(find("b0").3, below + 20.0);
        assert_eq!(find("b2").3, below + 20.0);
        assert!(!pages[0].items.is_empty());
    }

    /// A random strip: height, space above, whether a page may end before
    /// it and whether it starts a page.
    fn strip() -> impl proptest::strategy::Strategy<Value = (f32, f32, bool, bool)> {
        use proptest::prelude::*;
        (
            1.0f32..120.0,
            prop_oneof![Just(0.0f32), 0.0f32..20.0],
            proptest::bool::weighted(0.7),
            proptest::bool::weighted(0.05),
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 200,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Pagination places every strip once, in order, and never below
        /// the text block (unless a strip alone is taller than it).
        #[test]
        fn pagination_keeps_order_and_page_height(
            strips in proptest::collection::vec(strip(), 1..120),
            a5 in proptest::bool::ANY,
        ) {
            let style = PageStyle::new(if a5 { PageSize::A5 } else { PageSize::A4 }, false);
            let elems: Vec<Strip> = strips
                .iter()
                .enumerate()
                .map(|(i, &(height, space_before, break_before, new_page))| Strip {
                    height,
                    space_before,
                    break_before,
                    new_page,
                    dests: vec![i.to_string()],
                    ..Strip::default()
                })
                .collect();
            let (pages, _) = paginate(elems, &style);
            let order: Vec<usize> = pages
                .iter()
                .flat_map(|p| p.destinations.iter().map(|(d, _)| d.parse::<usize>().unwrap()))
                .collect();
            proptest::prop_assert_eq!(order, (0..strips.len()).collect::<Vec<_>>());
            let bottom = style.margin_top + style.content_height();
            for (n, page) in pages.iter().enumerate() {
                for (k, (d, top)) in page.destinations.iter().enumerate() {
                    let i: usize = d.parse().unwrap();
                    let (height, _, _, new_page) = strips[i];
                    if k == 0 {
                        proptest::prop_assert!((top - style.margin_top).abs() < 0.01);
                        if height > style.content_height() {
                            continue;
                        }
                    } else {
                        proptest::prop_assert!(!new_page, "strip {} starts page {} but is not first", i, n);
                    }
                    proptest::prop_assert!(
                        top + height <= bottom + 0.011,
                        "strip {} on page {} ends at {} below {}", i, n, top + height, bottom
                    );
                }
            }
        }
    }
}
