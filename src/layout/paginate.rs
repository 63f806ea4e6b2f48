//! The flow of strips → pages.
//!
//! Strips are placed top to bottom. When one does not fit, the page ends at
//! the last place before it where a break is allowed (so a heading goes over
//! with its paragraph, and no paragraph leaves a single line behind); only
//! when a page has no such place is it broken where it is full.

use super::blocks::Elem;
use super::style::PageStyle;
use super::units::Point;
use super::{Item, LinkArea, OutlineEntry, Page};

/// Places `elems` on pages. The strips are moved onto the pages, not
/// copied: at a thousand articles they are a few hundred megabytes.
pub fn paginate(elems: Vec<Elem>, style: &PageStyle) -> (Vec<Page>, Vec<OutlineEntry>) {
    let plan = plan(&elems, style);
    let mut elems: Vec<Elem> = elems;
    let mut outline = Vec::new();
    let pages = plan
        .into_iter()
        .enumerate()
        .map(|(n, placed)| {
            let strips = placed
                .into_iter()
                .map(|(y, at)| {
                    let e = match at {
                        At::Header(i) => elems[i].header.as_deref().cloned().unwrap_or_default(),
                        At::Strip(i) => std::mem::take(&mut elems[i]),
                    };
                    (y, e)
                })
                .collect();
            make_page(strips, style, n, &mut outline)
        })
        .collect();
    (pages, outline)
}

/// How full each page would be (height used by strips) if `elems` were
/// paginated alone.
pub fn page_fill(elems: &[Elem], style: &PageStyle) -> Vec<f32> {
    plan(elems, style)
        .iter()
        .map(|placed| {
            placed.last().map_or(0.0, |&(y, at)| {
                y + match at {
                    At::Header(i) => elems[i].header.as_ref().map_or(0.0, |h| h.height),
                    At::Strip(i) => elems[i].height,
                }
            })
        })
        .collect()
}

/// A strip placed on a page: strip `i` itself, or the repeated table
/// header that strip `i` carries.
#[derive(Debug, Clone, Copy)]
enum At {
    Strip(usize),
    Header(usize),
}

/// The strips of each page with their y offsets from the text block's top.
fn plan(elems: &[Elem], style: &PageStyle) -> Vec<Vec<(f32, At)>> {
    let avail = style.content_height();
    let mut pages = Vec::new();
    let mut i = 0;
    while i < elems.len() {
        // Fill one page starting at strip `i`.
        let start = i;
        let mut y = 0.0f32;
        let mut placed: Vec<(f32, At)> = Vec::new();
        // A repeated table header goes first.
        if let Some(h) = &elems[i].header {
            if !elems[i].new_page {
                placed.push((0.0, At::Header(i)));
                y += h.height;
            }
        }
        let mut end = i;
        while end < elems.len() {
            let e = &elems[end];
            if end > start && e.new_page {
                break;
            }
            let before = if end == start { 0.0 } else { e.space_before };
            if end > start && y + before + e.height > avail + 0.01 {
                // Back up to the last strip a page may end before.
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
        pages.push(placed);
        i = end;
    }
    pages
}

fn make_page(
    placed: Vec<(f32, Elem)>,
    style: &PageStyle,
    index: usize,
    outline: &mut Vec<OutlineEntry>,
) -> Page {
    let mut page = Page {
        width: style.width,
        height: style.height,
        ..Page::default()
    };
    let (x0, y0) = (style.margin_left, style.margin_top);
    for (y, e) in placed {
        if page.article.is_none() {
            page.article = e.article.as_deref().map(str::to_string);
        }
        if e.opening && y < 1.0 {
            page.opening = true;
        }
        // A separator at the top of a page is not drawn, but what it
        // carries (the article's destination and bookmarks) still counts.
        if !(e.drop_at_top && y < 1.0) {
            page.items.extend(
                e.items
                    .into_iter()
                    .map(|(p, it)| (p.offset(x0, y0 + y), it)),
            );
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
    page
}

/// All the text items of a page with their positions (for tests).
pub fn text_items(page: &Page) -> impl Iterator<Item = (Point, &super::TextRun)> {
    page.items.iter().filter_map(|(p, it)| match it {
        Item::Text(r) => Some((*p, r)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PageSize;

    fn line(break_before: bool) -> Elem {
        Elem {
            height: 14.0,
            break_before,
            ..Elem::default()
        }
    }

    /// A paragraph of `n` lines with widow/orphan rules, as blocks.rs makes.
    fn para(n: usize) -> Vec<Elem> {
        (0..n)
            .map(|k| line(k == 0 || (k >= 2 && n - k >= 2)))
            .collect()
    }

    /// Lines of the paragraph on each page, after a filler that leaves
    /// room for `room` lines on the first page.
    fn split(room: usize, n: usize, style: &PageStyle) -> Vec<usize> {
        let per_page = (style.content_height() / 14.0).floor() as usize;
        let mut elems = vec![Elem {
            height: 14.0 * (per_page - room) as f32,
            break_before: true,
            ..Elem::default()
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
}
