//! Tables: column widths shared out from the cells' content as browsers
//! do, one strip per row, the header row repeated on each page the table
//! runs over.

use std::sync::Arc;

use pressbook_model::diag::Diagnostic;
use pressbook_model::model::{Align as ColAlign, Article, Inline, Table};

use super::{
    inline, Align, Band, BlockRole, FlowBuilder, Kind, PageItem, ParaOpts, Placed, Point, Rgb,
    RichText, Strip, TextStyle,
};

/// Columns in groups that fit `avail` at their minimum widths: all of them
/// when they fit; else the first column, then as many more as fit, again
/// with the first column, until every column is placed.
fn column_groups(min_w: &[f32], avail: f32) -> Vec<Vec<usize>> {
    if min_w.iter().sum::<f32>() <= avail || min_w.len() < 2 {
        return vec![(0..min_w.len()).collect()];
    }
    let mut groups = Vec::new();
    let mut group = vec![0];
    let mut used = min_w[0];
    for (i, &w) in min_w.iter().enumerate().skip(1) {
        if used + w > avail && group.len() > 1 {
            groups.push(std::mem::replace(&mut group, vec![0]));
            used = min_w[0];
        }
        group.push(i);
        used += w;
    }
    groups.push(group);
    groups
}

/// Column widths in `avail` from natural and minimum widths, shared out as
/// browsers do; minimum widths scaled down only when even they do not fit
/// (a first column with one very wide neighbour).
fn share_widths(max_w: &[f32], min_w: &[f32], avail: f32) -> Vec<f32> {
    let ncols = max_w.len();
    let sum_max: f32 = max_w.iter().sum();
    let sum_min: f32 = min_w.iter().sum();
    if sum_max <= avail {
        // Natural widths, spread to the measure when the table is wide.
        let extra = if sum_max > avail * 0.6 {
            (avail - sum_max) / ncols as f32
        } else {
            0.0
        };
        max_w.iter().map(|w| w + extra).collect()
    } else if sum_min <= avail {
        let k = (avail - sum_min) / (sum_max - sum_min).max(1e-3);
        (0..ncols)
            .map(|i| min_w[i] + (max_w[i] - min_w[i]) * k)
            .collect()
    } else {
        min_w.iter().map(|w| w * avail / sum_min).collect()
    }
}

/// Where a table's cells go.
struct Grid {
    /// Column widths, padding included.
    widths: Vec<f32>,
    align: Vec<Align>,
    x0: f32,
    size: f32,
    leading: f32,
    pad_x: f32,
    pad_y: f32,
}

/// The smallest type a table is shrunk to, as a share of its normal size,
/// before it is split into column groups.
const MIN_SCALE: f32 = 0.72;

impl FlowBuilder<'_> {
    /// A table in `band`: natural widths when they fit; else smaller type,
    /// down to a floor; else groups of columns, each repeating the first
    /// column, one after the other. Cells never run into each other.
    pub(super) fn table(&mut self, a: &Article, t: &Table, band: Band) {
        let ncols = t
            .head
            .len()
            .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
        if ncols == 0 {
            return;
        }
        let normal = self.style.body_size * self.style.sizes.table_em;
        let mut size = normal;
        let mut cells = self.cells(a, t, ncols, size);
        let (pad_x, pad_y) = self.style.sizes.cell_pad;
        let (mut max_w, mut min_w) = self.column_extents(&cells, pad_x);
        let sum_min: f32 = min_w.iter().sum();
        if sum_min > band.measure {
            // Smaller type: widths shrink with it (padding does not).
            let text: f32 = sum_min - 2.0 * pad_x * ncols as f32;
            let room = band.measure - 2.0 * pad_x * ncols as f32;
            let scale = (room / text.max(1e-3)).clamp(MIN_SCALE, 1.0);
            size = normal * scale;
            cells = self.cells(a, t, ncols, size);
            (max_w, min_w) = self.column_extents(&cells, pad_x);
        }
        let groups = column_groups(&min_w, band.measure);
        if size < normal || groups.len() > 1 {
            self.sink.push(
                Diagnostic::warning(format!(
                    "a table of {ncols} columns in \u{201c}{}\u{201d} is wider than the page: {}",
                    a.meta.title,
                    if groups.len() > 1 {
                        format!(
                            "set in smaller type in {} parts, each repeating the first column",
                            groups.len()
                        )
                    } else {
                        "set in smaller type".to_string()
                    }
                ))
                .at(&a.path)
                .hint("fewer or narrower columns keep the table whole; the EPUB scrolls it"),
            );
        }
        for (g, cols) in groups.iter().enumerate() {
            let pick = |v: &[f32]| cols.iter().map(|&i| v[i]).collect::<Vec<f32>>();
            let grid = Grid {
                widths: share_widths(&pick(&max_w), &pick(&min_w), band.measure),
                align: cols
                    .iter()
                    .map(
                        |&i| match t.align.get(i).copied().unwrap_or(ColAlign::None) {
                            ColAlign::Right => Align::Right,
                            ColAlign::Center => Align::Center,
                            _ => Align::Left,
                        },
                    )
                    .collect(),
                x0: band.x,
                size,
                leading: (size * 1.3).round(),
                pad_x,
                pad_y,
            };
            let take = |row: &[RichText]| cols.iter().map(|&i| row[i].clone()).collect::<Vec<_>>();
            let head = (!t.head.is_empty()).then(|| take(&cells[0]));
            let rows: Vec<Vec<RichText>> = cells[1..].iter().map(|r| take(r)).collect();
            if g > 0 {
                self.after_space(self.space() * self.style.spacing.after_block_share);
            }
            self.rows(&grid, head.as_ref(), &rows);
        }
        self.after_space(self.space());
        self.after_para = false;
    }

    /// Every cell as rich text at `size`: the header row first (empty when
    /// there is none), then the body rows, each `ncols` wide.
    fn cells(&self, a: &Article, t: &Table, ncols: usize, size: f32) -> Vec<Vec<RichText>> {
        let body = TextStyle::serif(size);
        let row = |cells: &[Vec<Inline>], st| -> Vec<RichText> {
            (0..ncols)
                .map(|i| self.rich(a, cells.get(i).map_or(&[][..], |c| c.as_slice()), st))
                .collect()
        };
        std::iter::once(row(&t.head, body.bold()))
            .chain(t.rows.iter().map(|r| row(r, body)))
            .collect()
    }

    /// Pushes the header (if any) and body rows, with rules above, below
    /// the header and at the foot.
    fn rows(&mut self, grid: &Grid, head: Option<&Vec<RichText>>, rows: &[Vec<RichText>]) {
        let table_w: f32 = grid.widths.iter().sum();
        let (outer, under_head) = (
            self.style.spacing.rules.table,
            self.style.spacing.rules.table_header,
        );
        let rule = |y: f32, thick: f32| {
            Placed::new(
                Point::new(grid.x0, y),
                PageItem::hline(table_w, thick, Rgb::INK),
                BlockRole::Artifact,
            )
        };
        let mut header: Option<Arc<Strip>> = None;
        let table = self.tree.add(Kind::Table, self.parent);
        let outside = std::mem::replace(&mut self.parent, table);
        if let Some(head) = head {
            self.parent = self.tree.add(Kind::THead, table);
            let mut e = self.row(grid, head, Kind::TH);
            e.items.push(rule(0.0, outer));
            let h = e.height;
            e.items.push(rule(h, under_head));
            e.space_before = self.space();
            e.break_before = true;
            header = Some(Arc::new(e.clone()));
            self.push(e);
            self.keep_next = true;
        }
        let n = rows.len();
        self.parent = self.tree.add(Kind::TBody, table);
        for (k, cells) in rows.iter().enumerate() {
            let mut e = self.row(grid, cells, Kind::TD);
            if k == 0 && head.is_none() {
                e.items.push(rule(0.0, outer));
                e.space_before = self.space();
            }
            if k + 1 == n {
                let h = e.height;
                e.items.push(rule(h, outer));
            }
            e.break_before = k >= 1 && (n - k >= 1);
            e.header = header.clone();
            self.push(e);
        }
        self.parent = outside;
    }

    /// Each column's natural width (its cells on one line) and minimum
    /// width (its widest word, and never less than a few characters so
    /// that a cut word still fits), padding included.
    fn column_extents(&mut self, cells: &[Vec<RichText>], pad_x: f32) -> (Vec<f32>, Vec<f32>) {
        let ncols = cells.first().map_or(0, Vec::len);
        let mut max_w = vec![0.0f32; ncols];
        let mut min_w = vec![0.0f32; ncols];
        for row in cells {
            for (i, rt) in row.iter().enumerate() {
                let (natural, word) = self.measure_text(rt);
                let floor = rt.spans.first().map_or(0.0, |s| s.style.size) * 2.5;
                max_w[i] = max_w[i].max(natural + 2.0 * pad_x);
                min_w[i] = min_w[i].max(word.max(floor.min(natural)) + 2.0 * pad_x);
            }
        }
        (max_w, min_w)
    }

    /// One row as a strip as tall as its tallest cell, its cells nodes of
    /// `kind` (header or data).
    fn row(&mut self, grid: &Grid, cells: &[RichText], kind: Kind) -> Strip {
        let tr = self.tree.add(Kind::TR, self.parent);
        let (leading, pad_x, pad_y) = (grid.leading, grid.pad_x, grid.pad_y);
        let baseline = inline::baseline_in(leading, grid.size);
        let mut e = Strip::default();
        let mut x = grid.x0;
        let mut rows = 1;
        for (i, rt) in cells.iter().enumerate() {
            let opts = ParaOpts {
                measure: (grid.widths[i] - 2.0 * pad_x).max(1.0),
                indent: 0.0,
                align: grid.align[i],
                lang: self.lang,
            };
            let lines = inline::set(rt, &self.fonts, &mut self.shaper, &opts);
            rows = rows.max(lines.len());
            self.node = self.tree.add(kind, tr);
            let tags = self.tags_for(rt);
            for (k, line) in lines.into_iter().enumerate() {
                let y = pad_y + baseline + k as f32 * leading;
                line.place(
                    x + pad_x,
                    y,
                    BlockRole::TableCell,
                    tags,
                    &mut e.items,
                    &mut e.links,
                );
            }
            x += grid.widths[i];
        }
        e.height = rows as f32 * leading + 2.0 * pad_y;
        e.baseline = pad_y + baseline;
        e
    }

    /// Natural one-line width of `rt` and the width its column needs: its
    /// widest word, shaped.
    fn measure_text(&mut self, rt: &RichText) -> (f32, f32) {
        if rt.text.is_empty() {
            return (0.0, 0.0);
        }
        let opts = ParaOpts {
            measure: f32::MAX / 4.0,
            indent: 0.0,
            align: Align::Left,
            lang: None,
        };
        let lines = inline::set(rt, &self.fonts, &mut self.shaper, &opts);
        let natural = lines.iter().map(|l| l.width).fold(0.0, f32::max);
        let min = inline::min_widths(rt, &self.fonts, &mut self.shaper);
        // Past 120 points a word is cut to fit its column (anywhere, when no
        // separator serves), but never narrower than its widest cluster.
        (natural, min.word.min(natural).min(120.0).max(min.cluster))
    }
}
