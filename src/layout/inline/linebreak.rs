//! Knuth–Plass total-fit line breaking over boxes, glue and penalties.
//!
//! The algorithm finds, for a whole paragraph, the breaks that minimise the
//! sum of demerits (badness of each line, penalties, consecutive hyphens,
//! abrupt changes of tightness). When no feasible set of breaks exists it
//! retries with a larger tolerance, then with emergency stretch and the
//! emergency break points inside over-long tokens, and finally accepts an
//! overfull line rather than fail.

/// An item of the paragraph's horizontal list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpItem {
    pub kind: Kind,
    pub width: f32,
    pub stretch: f32,
    pub shrink: f32,
    /// For penalties: the cost of breaking here (`-INF` forces a break,
    /// `INF` forbids it).
    pub penalty: f32,
    /// For penalties: a hyphen (consecutive flagged breaks cost extra).
    pub flagged: bool,
    /// For penalties: used only when nothing else works.
    pub emergency: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Box,
    Glue,
    Penalty,
}

pub const INF: f32 = 10000.0;

impl KpItem {
    pub fn boxed(width: f32) -> KpItem {
        KpItem {
            kind: Kind::Box,
            width,
            stretch: 0.0,
            shrink: 0.0,
            penalty: 0.0,
            flagged: false,
            emergency: false,
        }
    }

    pub fn glue(width: f32, stretch: f32, shrink: f32) -> KpItem {
        KpItem {
            kind: Kind::Glue,
            stretch,
            shrink,
            ..KpItem::boxed(width)
        }
    }

    pub fn penalty(width: f32, penalty: f32, flagged: bool) -> KpItem {
        KpItem {
            kind: Kind::Penalty,
            penalty,
            flagged,
            ..KpItem::boxed(width)
        }
    }

    fn is_forced(&self) -> bool {
        self.kind == Kind::Penalty && self.penalty <= -INF
    }
}

/// Tuning, with TeX's defaults where they apply.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub line_penalty: f32,
    pub double_hyphen_demerits: f32,
    pub final_hyphen_demerits: f32,
    pub adj_demerits: f32,
    /// Penalty for the emergency break points (inside long tokens).
    pub emergency_penalty: f32,
    /// Ragged lines: the stretch allowed at each line's end (and inner glue
    /// is set at its natural width). `None` = justified.
    pub ragged: Option<f32>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            line_penalty: 10.0,
            double_hyphen_demerits: 10000.0,
            final_hyphen_demerits: 5000.0,
            adj_demerits: 10000.0,
            emergency_penalty: 1000.0,
            ragged: None,
        }
    }
}

/// The item indices where lines end (each a glue or a penalty; the last is
/// the paragraph's final forced penalty).
pub fn break_lines(items: &[KpItem], measure: f32, params: &Params) -> Vec<usize> {
    if items.is_empty() {
        return Vec::new();
    }
    let passes = [
        (1.0, 0.0, false, false),
        (2.5, 0.0, false, false),
        (3.0, measure * 0.25, true, false),
        // The last pass takes any line that fits, however loose, before
        // an overfull one.
        (f32::INFINITY, measure * 0.25, true, true),
    ];
    for (tolerance, emergency_stretch, emergency_points, last) in passes {
        let pass = Pass {
            items,
            measure,
            params,
            tolerance,
            emergency_stretch,
            emergency_points,
            last,
        };
        if let Some(breaks) = pass.run() {
            return breaks;
        }
    }
    // `last` always finds something; this is only reached with no items.
    vec![items.len() - 1]
}

/// The adjustment ratio of the line `items[from..to]` (with `to` the break)
/// at `measure`, for setting glue: positive stretches, negative shrinks.
pub fn ratio(items: &[KpItem], measure: f32, ragged: bool) -> f32 {
    let (mut w, mut y, mut z) = (0.0, 0.0, 0.0);
    for it in items {
        if it.kind != Kind::Penalty {
            w += it.width;
            y += it.stretch;
            z += it.shrink;
        }
    }
    if ragged {
        return 0.0;
    }
    if w < measure {
        if y > 0.0 {
            ((measure - w) / y).min(if y >= INF { 0.0 } else { f32::MAX })
        } else {
            0.0
        }
    } else if w > measure && z > 0.0 {
        ((measure - w) / z).max(-1.0)
    } else {
        0.0
    }
}

#[derive(Clone, Copy)]
struct Node {
    /// Index of the break item (`usize::MAX` for the paragraph start).
    pos: usize,
    line: usize,
    fitness: u8,
    flagged: bool,
    /// Totals from the paragraph start to just after the break.
    w: f64,
    y: f64,
    z: f64,
    demerits: f64,
    prev: Option<usize>,
}

struct Pass<'a> {
    items: &'a [KpItem],
    measure: f32,
    params: &'a Params,
    tolerance: f32,
    emergency_stretch: f32,
    emergency_points: bool,
    last: bool,
}

impl Pass<'_> {
    fn run(&self) -> Option<Vec<usize>> {
        let items = self.items;
        let mut nodes = vec![Node {
            pos: usize::MAX,
            line: 0,
            fitness: 1,
            flagged: false,
            w: 0.0,
            y: 0.0,
            z: 0.0,
            demerits: 0.0,
            prev: None,
        }];
        let mut active: Vec<usize> = vec![0];
        let (mut tw, mut ty, mut tz) = (0.0f64, 0.0f64, 0.0f64);
        for (i, it) in items.iter().enumerate() {
            match it.kind {
                Kind::Box => tw += it.width as f64,
                Kind::Glue => {
                    if i > 0 && items[i - 1].kind == Kind::Box {
                        self.try_break(i, (tw, ty, tz), &mut nodes, &mut active);
                    }
                    tw += it.width as f64;
                    ty += it.stretch as f64;
                    tz += it.shrink as f64;
                }
                Kind::Penalty => {
                    if it.penalty < INF && (!it.emergency || self.emergency_points) {
                        self.try_break(i, (tw, ty, tz), &mut nodes, &mut active);
                    }
                }
            }
            if active.is_empty() {
                return None;
            }
        }
        let end = items.len() - 1;
        let best = active
            .iter()
            .copied()
            .filter(|&a| nodes[a].pos == end)
            .min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))?;
        let mut breaks = Vec::new();
        let mut n = Some(best);
        while let Some(k) = n {
            if nodes[k].pos != usize::MAX {
                breaks.push(nodes[k].pos);
            }
            n = nodes[k].prev;
        }
        breaks.reverse();
        Some(breaks)
    }

    /// Considers a break at item `i` from every active node: adds the best
    /// new node per fitness class and deactivates nodes too far behind.
    /// `(tw, ty, tz)` are the totals up to the item.
    fn try_break(
        &self,
        i: usize,
        (tw, ty, tz): (f64, f64, f64),
        nodes: &mut Vec<Node>,
        active: &mut Vec<usize>,
    ) {
        let it = &self.items[i];
        let forced = it.is_forced();
        let penalty_width = if it.kind == Kind::Penalty {
            it.width as f64
        } else {
            0.0
        };
        // Best candidate per fitness class: (demerits, from node).
        let mut best: [Option<(f64, usize)>; 4] = [None; 4];
        let mut k = 0;
        while k < active.len() {
            let a = active[k];
            let n = nodes[a];
            let mut r = self.ratio_from(&n, (tw, ty, tz), penalty_width);
            let deactivate = r < -1.0 || forced;
            let mut feasible = r >= -1.0 && r <= self.tolerance as f64;
            if deactivate {
                active.remove(k);
                // The last pass never leaves the paragraph without a way on.
                if self.last && active.is_empty() && !feasible && best.iter().all(Option::is_none) {
                    feasible = true;
                    r = r.clamp(-1.0, 1.0);
                }
            } else {
                k += 1;
            }
            if !feasible {
                continue;
            }
            let (d, class) = self.demerits(it, &n, r);
            if best[class as usize].is_none_or(|(bd, _)| d < bd) {
                best[class as usize] = Some((d, a));
            }
        }
        if best.iter().all(Option::is_none) {
            return;
        }
        let (w, y, z) = self.totals_after(i, (tw, ty, tz));
        let min = best
            .iter()
            .flatten()
            .map(|b| b.0)
            .fold(f64::INFINITY, f64::min);
        for (class, b) in best.iter().enumerate() {
            let Some((d, from)) = *b else { continue };
            if d > min + self.params.adj_demerits as f64 {
                continue;
            }
            nodes.push(Node {
                pos: i,
                line: nodes[from].line + 1,
                fitness: class as u8,
                flagged: it.kind == Kind::Penalty && it.flagged,
                w,
                y,
                z,
                demerits: d,
                prev: Some(from),
            });
            active.push(nodes.len() - 1);
        }
    }

    /// The adjustment ratio of a line from node `n` to a break with totals
    /// `(tw, ty, tz)` and a penalty `penalty_width` wide.
    fn ratio_from(&self, n: &Node, (tw, ty, tz): (f64, f64, f64), penalty_width: f64) -> f64 {
        let measure = self.measure as f64;
        let w = tw - n.w + penalty_width;
        let (y, z) = match self.params.ragged {
            Some(rag) => (ty - n.y + rag as f64, 0.0),
            None => (ty - n.y + self.emergency_stretch as f64, tz - n.z),
        };
        if w < measure {
            if y > 0.0 {
                (measure - w) / y
            } else {
                INF as f64
            }
        } else if w > measure {
            if z > 0.0 {
                (measure - w) / z
            } else {
                -INF as f64
            }
        } else {
            0.0
        }
    }

    /// The total demerits of a line at ratio `r` from node `n` ending at
    /// item `it`, and the line's fitness class.
    fn demerits(&self, it: &KpItem, n: &Node, r: f64) -> (f64, u8) {
        let forced = it.is_forced();
        let badness = 100.0 * r.abs().powi(3);
        let mut d = (self.params.line_penalty as f64 + badness).powi(2);
        let p = if it.kind == Kind::Penalty {
            if it.emergency {
                self.params.emergency_penalty as f64
            } else {
                it.penalty as f64
            }
        } else {
            0.0
        };
        if p >= 0.0 {
            d += p * p;
        } else if !forced {
            d -= p * p;
        }
        let flagged = it.kind == Kind::Penalty && it.flagged;
        if flagged && n.flagged {
            d += self.params.double_hyphen_demerits as f64;
        }
        if forced && n.flagged {
            d += self.params.final_hyphen_demerits as f64;
        }
        let class: u8 = if r < -0.5 {
            0
        } else if r <= 0.5 {
            1
        } else if r <= 1.0 {
            2
        } else {
            3
        };
        if class.abs_diff(n.fitness) > 1 {
            d += self.params.adj_demerits as f64;
        }
        (d + n.demerits, class)
    }

    /// Totals after a break at item `i`: the glue and penalties that vanish
    /// at the break are skipped.
    fn totals_after(&self, i: usize, (tw, ty, tz): (f64, f64, f64)) -> (f64, f64, f64) {
        let (mut w, mut y, mut z) = (tw, ty, tz);
        for (j, after) in self.items.iter().enumerate().skip(i) {
            match after.kind {
                Kind::Box => break,
                Kind::Glue => {
                    w += after.width as f64;
                    y += after.stretch as f64;
                    z += after.shrink as f64;
                }
                Kind::Penalty => {
                    if after.is_forced() && j > i {
                        break;
                    }
                }
            }
        }
        (w, y, z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph of fixed-width "words" (widths in characters).
    fn words(lengths: &[usize]) -> Vec<KpItem> {
        let mut items = Vec::new();
        for (i, &n) in lengths.iter().enumerate() {
            if i > 0 {
                items.push(KpItem::glue(1.0, 0.5, 0.33));
            }
            items.push(KpItem::boxed(n as f32));
        }
        items.push(KpItem::glue(0.0, INF, 0.0));
        items.push(KpItem::penalty(0.0, -INF, false));
        items
    }

    fn line_widths(items: &[KpItem], breaks: &[usize]) -> Vec<f32> {
        let mut out = Vec::new();
        let mut start = 0;
        for &b in breaks {
            let mut w = 0.0;
            for it in &items[start..b] {
                if it.kind != Kind::Penalty {
                    w += it.width;
                }
            }
            // Glue at the line start is discarded.
            let lead: f32 = items[start..b]
                .iter()
                .take_while(|i| i.kind != Kind::Box)
                .map(|i| i.width)
                .sum();
            out.push(w - lead);
            start = b + 1;
        }
        out
    }

    #[test]
    fn a_known_paragraph_breaks_the_same_way() {
        let lens = [3, 5, 2, 7, 4, 4, 6, 3, 8, 2, 5, 5, 9, 3, 4, 6, 2, 7, 5, 3];
        let items = words(&lens);
        let breaks = break_lines(&items, 30.0, &Params::default());
        // 30 | 28 | 31 (shrunk) | 20 (last): checked by hand.
        assert_eq!(breaks, vec![11, 21, 31, 40], "breaks moved");
    }

    #[test]
    fn no_line_overflows_when_breaks_exist() {
        let lens: Vec<usize> = (0..200).map(|i| 2 + (i * 7) % 9).collect();
        let items = words(&lens);
        let measure = 40.0;
        let breaks = break_lines(&items, measure, &Params::default());
        let widths = line_widths(&items, &breaks);
        for (n, w) in widths.iter().enumerate() {
            // Shrink may take a line at most its shrinkability past the measure.
            assert!(*w <= measure * 1.1, "line {n} is {w} wide");
        }
    }

    #[test]
    fn total_fit_prefers_hyphens_only_when_they_help() {
        // Flagged penalties with a cost: with room to spare, none is used.
        let mut items = Vec::new();
        for i in 0..10 {
            if i > 0 {
                items.push(KpItem::glue(1.0, 0.5, 0.33));
            }
            items.push(KpItem::boxed(2.0));
            items.push(KpItem::penalty(0.3, 50.0, true));
            items.push(KpItem::boxed(2.0));
        }
        items.push(KpItem::glue(0.0, INF, 0.0));
        items.push(KpItem::penalty(0.0, -INF, false));
        let breaks = break_lines(&items, 200.0, &Params::default());
        assert_eq!(breaks, vec![items.len() - 1]);
    }

    #[test]
    fn the_last_pass_prefers_a_loose_line_to_an_overfull_one() {
        // Ragged, no stretch inside: "2 29" overflows 30, and a line
        // with "2" alone is far too loose for the earlier passes.
        let mut items = vec![KpItem::boxed(2.0), KpItem::glue(1.0, 0.0, 0.0)];
        items.push(KpItem::boxed(29.0));
        items.push(KpItem::glue(0.0, INF, 0.0));
        items.push(KpItem::penalty(0.0, -INF, false));
        let params = Params {
            ragged: Some(3.0),
            ..Params::default()
        };
        let breaks = break_lines(&items, 30.0, &params);
        assert_eq!(breaks, vec![1, 4]);
        for w in line_widths(&items, &breaks) {
            assert!(w <= 30.0, "a line is {w} wide");
        }
    }

    #[test]
    fn an_unbreakable_box_wider_than_the_measure_still_gives_lines() {
        let items = words(&[5, 80, 5]);
        let breaks = break_lines(&items, 30.0, &Params::default());
        assert_eq!(*breaks.last().unwrap(), items.len() - 1);
        assert!(breaks.len() >= 2);
    }
}
