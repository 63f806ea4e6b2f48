//! Tables: column widths shared out from the cells' content as browsers
//! do, one strip per row, the header row repeated on each page the table
//! runs over.

use std::sync::Arc;

use crate::model::{Align as ColAlign, Article, Inline, Table};

use super::{
    inline, Align, Band, BlockRole, Elem, FlowBuilder, PageItem, ParaOpts, Placed, Point, Rgb,
    RichText, TextStyle,
};

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

impl FlowBuilder<'_> {
    pub(super) fn table(&mut self, a: &Article, t: &Table, band: Band) {
        let ncols = t
            .head
            .len()
            .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
        if ncols == 0 {
            return;
        }
        let size = self.style.body_size * self.style.sizes.table_em;
        let body = TextStyle::serif(size);
        let cell = |b: &Self, cells: &[Vec<Inline>], st| -> Vec<RichText> {
            (0..ncols)
                .map(|i| b.rich(a, cells.get(i).map_or(&[][..], |c| c.as_slice()), st))
                .collect()
        };
        let head_rts = cell(self, &t.head, body.bold());
        let row_rts: Vec<Vec<RichText>> = t.rows.iter().map(|r| cell(self, r, body)).collect();
        let (pad_x, pad_y) = self.style.sizes.cell_pad;
        let widths = self.column_widths(&head_rts, &row_rts, band.measure, pad_x);
        let grid = Grid {
            widths,
            align: (0..ncols)
                .map(
                    |i| match t.align.get(i).copied().unwrap_or(ColAlign::None) {
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
        self.rows(&grid, (!t.head.is_empty()).then_some(&head_rts), &row_rts);
        self.after_space(self.space());
        self.after_para = false;
    }

    /// Pushes the header (if any) and body rows, with rules above, below
    /// the header and at the foot.
    fn rows(&mut self, grid: &Grid, head: Option<&Vec<RichText>>, rows: &[Vec<RichText>]) {
        let table_w: f32 = grid.widths.iter().sum();
        let rule = |y: f32, thick: f32| {
            Placed::new(
                Point::new(grid.x0, y),
                PageItem::hline(table_w, thick, Rgb::INK),
                BlockRole::Artifact,
            )
        };
        let mut header: Option<Arc<Elem>> = None;
        if let Some(head) = head {
            let mut e = self.row(grid, head);
            e.items.push(rule(0.0, 0.8));
            let h = e.height;
            e.items.push(rule(h, 0.5));
            e.space_before = self.space();
            e.break_before = true;
            header = Some(Arc::new(e.clone()));
            self.push(e);
            self.keep_next = true;
        }
        let n = rows.len();
        for (k, cells) in rows.iter().enumerate() {
            let mut e = self.row(grid, cells);
            if k == 0 && head.is_none() {
                e.items.push(rule(0.0, 0.8));
                e.space_before = self.space();
            }
            if k + 1 == n {
                let h = e.height;
                e.items.push(rule(h, 0.8));
            }
            e.break_before = k >= 1 && (n - k >= 1);
            e.header = header.clone();
            self.push(e);
        }
    }

    /// Column widths from content: natural (one line) and minimum (the
    /// longest word), shared out in `avail` as browsers do.
    fn column_widths(
        &mut self,
        head: &[RichText],
        rows: &[Vec<RichText>],
        avail: f32,
        pad_x: f32,
    ) -> Vec<f32> {
        let ncols = head.len();
        let mut max_w = vec![0.0f32; ncols];
        let mut min_w = vec![0.0f32; ncols];
        for row in std::iter::once(head).chain(rows.iter().map(Vec::as_slice)) {
            for (i, rt) in row.iter().enumerate() {
                let (natural, word) = self.measure_text(rt);
                max_w[i] = max_w[i].max(natural + 2.0 * pad_x);
                min_w[i] = min_w[i].max(word + 2.0 * pad_x);
            }
        }
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

    /// One row as a strip as tall as its tallest cell.
    fn row(&mut self, grid: &Grid, cells: &[RichText]) -> Elem {
        let (leading, pad_x, pad_y) = (grid.leading, grid.pad_x, grid.pad_y);
        let baseline = inline::baseline_in(leading, grid.size);
        let mut e = Elem::default();
        let mut x = grid.x0;
        let mut rows = 1;
        for (i, rt) in cells.iter().enumerate() {
            let opts = ParaOpts {
                measure: (grid.widths[i] - 2.0 * pad_x).max(1.0),
                indent: 0.0,
                align: grid.align[i],
                lang: self.lang,
            };
            let lines = inline::set(rt, &self.fonts, &mut self.shaper, &opts, &mut self.missing);
            rows = rows.max(lines.len());
            for (k, line) in lines.into_iter().enumerate() {
                let y = pad_y + baseline + k as f32 * leading;
                line.place(
                    x + pad_x,
                    y,
                    BlockRole::TableCell,
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

    /// Natural one-line width of `rt` and the width of its widest word.
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
        let lines = inline::set(rt, &self.fonts, &mut self.shaper, &opts, &mut self.missing);
        let natural = lines.iter().map(|l| l.width).fold(0.0, f32::max);
        let chars = rt.text.chars().count().max(1) as f32;
        let longest = rt
            .text
            .split(' ')
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0) as f32;
        // Words are cut at separators when they must be; an estimate of the
        // widest word is enough to share the width out.
        (natural, (natural * longest / chars).min(natural).min(120.0))
    }
}
