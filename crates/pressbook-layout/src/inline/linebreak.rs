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
    /// How far past the measure a line ending here may reach (optical
    /// margin alignment): for a box, its last glyph's protrusion; for a
    /// penalty with a width, the added hyphen's.
    pub hang: f32,
    /// For boxes: how far into the left margin the box's first glyph may
    /// reach when a line starts with it.
    pub lead: f32,
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
            hang: 0.0,
            lead: 0.0,
        }
    }

    /// A box whose glyphs may hang `lead` into the left margin and `hang`
    /// into the right one.
    pub fn hanging(width: f32, lead: f32, hang: f32) -> KpItem {
        KpItem {
            lead,
            hang,
            ..KpItem::boxed(width)
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

/// Tuning. The values were chosen by measuring the corpus against typst
/// (`examples/line_quality.sh`); see the README.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Added to every line's badness before squaring (fewer lines win).
    pub line_penalty: f32,
    /// Two flagged (hyphenated) lines in a row.
    pub double_hyphen_demerits: f32,
    /// A third flagged line in a row: only when nothing else fits.
    pub ladder_demerits: f32,
    /// The paragraph's next-to-last line ends in a hyphen.
    pub final_hyphen_demerits: f32,
    /// Neighbouring lines whose fitness classes are more than one apart
    /// (a tight line after a loose one).
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
            double_hyphen_demerits: 30000.0,
            ladder_demerits: 1.0e8,
            final_hyphen_demerits: 10000.0,
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
    // The first pass allows spaces a fifth past their full stretch: on the
    // corpus that costs fewer hyphens than it adds loose lines.
    let passes = [
        (1.2, 0.0, false, false),
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
/// at `measure` (what may hang into the margins included), for setting
/// glue: positive stretches, negative shrinks.
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
    /// Flagged (hyphenated) lines in a row ending here: 0, 1 or 2 (a third
    /// one is counted as 2 again, having paid the ladder demerits).
    run: u8,
    /// How far the next line's first glyph may hang into the left margin.
    lead: f32,
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

/// The best new node per fitness class and flagged run: (demerits, from).
type Best = [[Option<(f64, usize)>; 3]; 4];

impl Pass<'_> {
    fn run(&self) -> Option<Vec<usize>> {
        let items = self.items;
        let mut nodes = vec![Node {
            pos: usize::MAX,
            line: 0,
            fitness: 1,
            run: 0,
            lead: items.first().map_or(0.0, |it| it.lead),
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
    /// new node per fitness class and flagged run, and deactivates nodes
    /// too far behind. `(tw, ty, tz)` are the totals up to the item.
    fn try_break(
        &self,
        i: usize,
        (tw, ty, tz): (f64, f64, f64),
        nodes: &mut Vec<Node>,
        active: &mut Vec<usize>,
    ) {
        let it = &self.items[i];
        let forced = it.is_forced();
        let flagged = it.kind == Kind::Penalty && it.flagged;
        let penalty_width = if it.kind == Kind::Penalty {
            it.width as f64
        } else {
            0.0
        };
        // What may hang into the right margin: the added hyphen, else the
        // last glyph before the break. The last line is not justified.
        let hang = if forced || self.params.ragged.is_some() {
            0.0
        } else if penalty_width > 0.0 {
            it.hang
        } else {
            match i.checked_sub(1).map(|k| &self.items[k]) {
                Some(prev) if prev.kind == Kind::Box => prev.hang,
                _ => 0.0,
            }
        } as f64;
        let mut best: Best = [[None; 3]; 4];
        let mut k = 0;
        while k < active.len() {
            let a = active[k];
            let n = nodes[a];
            let room = self.measure as f64 + hang + n.lead as f64;
            let mut r = self.ratio_from(&n, (tw, ty, tz), penalty_width, room);
            let deactivate = r < -1.0 || forced;
            let mut feasible = r >= -1.0 && r <= self.tolerance as f64;
            if deactivate {
                active.remove(k);
                // The last pass never leaves the paragraph without a way on.
                if self.last
                    && active.is_empty()
                    && !feasible
                    && best.iter().flatten().all(Option::is_none)
                {
                    feasible = true;
                    r = r.clamp(-1.0, 1.0);
                }
            } else {
                k += 1;
            }
            // A third hyphenated line in a row: only in the last pass (a
            // looser pass is tried first).
            if !feasible || (flagged && n.run >= 2 && !self.last) {
                continue;
            }
            let (d, class) = self.demerits(it, &n, r);
            let run = if flagged { (n.run + 1).min(2) } else { 0 };
            let slot = &mut best[class as usize][run as usize];
            if slot.is_none_or(|(bd, _)| d < bd) {
                *slot = Some((d, a));
            }
        }
        let min = best
            .iter()
            .flatten()
            .flatten()
            .map(|b| b.0)
            .fold(f64::INFINITY, f64::min);
        if min == f64::INFINITY {
            return;
        }
        let (w, y, z, lead) = self.totals_after(i, (tw, ty, tz));
        for (class, runs) in best.iter().enumerate() {
            for (run, b) in runs.iter().enumerate() {
                let Some((d, from)) = *b else { continue };
                if d > min + self.params.adj_demerits as f64 {
                    continue;
                }
                nodes.push(Node {
                    pos: i,
                    line: nodes[from].line + 1,
                    fitness: class as u8,
                    run: run as u8,
                    lead,
                    w,
                    y,
                    z,
                    demerits: d,
                    prev: Some(from),
                });
                active.push(nodes.len() - 1);
            }
        }
    }

    /// The adjustment ratio of a line from node `n` to a break with totals
    /// `(tw, ty, tz)` and a penalty `penalty_width` wide, in `room` (the
    /// measure plus what may hang into the margins).
    fn ratio_from(
        &self,
        n: &Node,
        (tw, ty, tz): (f64, f64, f64),
        penalty_width: f64,
        room: f64,
    ) -> f64 {
        let measure = room;
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
        if flagged && n.run > 0 {
            d += self.params.double_hyphen_demerits as f64;
            if n.run >= 2 {
                d += self.params.ladder_demerits as f64;
            }
        }
        if forced && n.run > 0 {
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
        // The last line's glue is free: its looseness says nothing.
        if !forced && class.abs_diff(n.fitness) > 1 {
            d += self.params.adj_demerits as f64;
        }
        (d + n.demerits, class)
    }

    /// Totals after a break at item `i` (the glue and penalties that vanish
    /// at the break are skipped), and the lead of the box the next line
    /// starts with.
    fn totals_after(&self, i: usize, (tw, ty, tz): (f64, f64, f64)) -> (f64, f64, f64, f32) {
        let (mut w, mut y, mut z) = (tw, ty, tz);
        for (j, after) in self.items.iter().enumerate().skip(i) {
            match after.kind {
                Kind::Box => return (w, y, z, after.lead),
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
        (w, y, z, 0.0)
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

    /// The longest run of consecutive lines ending at a flagged break.
    fn longest_ladder(items: &[KpItem], breaks: &[usize]) -> usize {
        let (mut run, mut longest) = (0, 0);
        for &b in breaks {
            if items[b].kind == Kind::Penalty && items[b].flagged {
                run += 1;
                longest = longest.max(run);
            } else {
                run = 0;
            }
        }
        longest
    }

    #[test]
    fn a_paragraph_that_offers_a_ladder_breaks_without_one() {
        // Every word splits in the middle, and hyphens are made attractive
        // (a negative penalty), so every line would end in one if it could.
        let mut items = Vec::new();
        for i in 0..60 {
            if i > 0 {
                items.push(KpItem::glue(1.0, 0.5, 0.33));
            }
            items.push(KpItem::boxed(3.0));
            items.push(KpItem::penalty(0.5, -100.0, true));
            items.push(KpItem::boxed(3.0));
        }
        items.push(KpItem::glue(0.0, INF, 0.0));
        items.push(KpItem::penalty(0.0, -INF, false));
        for measure in [17.0, 23.0, 31.0, 40.0] {
            let breaks = break_lines(&items, measure, &Params::default());
            let ladder = longest_ladder(&items, &breaks);
            assert!(ladder <= 2, "{ladder} hyphens in a row at {measure}");
            assert!(ladder >= 1, "no hyphen at all at {measure}");
        }
    }

    #[test]
    fn a_hanging_hyphen_gives_its_line_more_room() {
        // Two words that fit only if the hyphen ending the line may hang.
        let mut items = vec![
            KpItem::boxed(10.0),
            KpItem::glue(1.0, 0.0, 0.0),
            KpItem::boxed(8.5),
            KpItem {
                hang: 0.5,
                ..KpItem::penalty(1.0, 0.0, true)
            },
            KpItem::boxed(5.0),
        ];
        items.push(KpItem::glue(0.0, INF, 0.0));
        items.push(KpItem::penalty(0.0, -INF, false));
        // 10 + 1 + 8.5 + hyphen 1 = 20.5: 0.5 past the measure of 20.
        let breaks = break_lines(&items, 20.0, &Params::default());
        assert_eq!(breaks[0], 3, "the line ends at the hanging hyphen");
        let line = [&items[..3], &[KpItem::boxed(1.0)]].concat();
        assert_eq!(
            ratio(&line, 20.0 + 0.5, false),
            0.0,
            "set at its natural width"
        );
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
