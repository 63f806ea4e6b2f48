//! Content streams: the bytes that draw one laid-out page, written straight
//! from its items (no operation objects in between).
//!
//! Positions come from the layout; here y is flipped (PDF's origin is the
//! bottom left), numbers are written with at most two decimals, and the
//! font and colours are set only when they change.

use super::embed::{self, UsedFonts};
use super::images;
use pressbook_layout::{BlockRole, FaceId, NodeId, Page, PageItem, Placed, Point, Rgb, TextRun};
use pressbook_layout::{Tree, UNTAGGED};

/// What a stretch of the content stream is marked as.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    /// Content of a structure node.
    Node(NodeId),
    /// An artifact; of pagination (running heads, folios) or of layout.
    Artifact { pagination: bool },
}

impl Mark {
    fn of(p: &Placed) -> Mark {
        let content = matches!(p.item, PageItem::Text(_) | PageItem::Image { .. });
        if content && p.node != UNTAGGED {
            Mark::Node(p.node)
        } else {
            Mark::Artifact {
                pagination: p.role == BlockRole::Pagination,
            }
        }
    }
}

/// The content stream of `page`, uncompressed, with each stretch marked as
/// a structure node's content or as an artifact; and the node of each
/// marked-content id (MCID) it uses, in order.
pub(super) fn page(p: &Page, fonts: &UsedFonts, tree: &Tree) -> (Vec<u8>, Vec<NodeId>) {
    let mut w = Writer {
        out: Vec::with_capacity(p.items.len() * 64),
        height: p.height,
        in_text: false,
        font: None,
        fill: None,
        stroke: None,
        line_width: None,
    };
    let mut mark = None;
    let mut mcids = Vec::new();
    for placed in &p.items {
        let pos = placed.at;
        if matches!(&placed.item, PageItem::Text(r) if r.glyphs.is_empty()) {
            continue;
        }
        let m = Mark::of(placed);
        if mark != Some(m) {
            // A marked stretch holds whole text objects.
            w.end_text();
            if mark.is_some() {
                w.op(b"EMC");
            }
            w.begin_mark(m, tree, &mut mcids);
            mark = Some(m);
        }
        if !matches!(placed.item, PageItem::Text(_)) {
            w.end_text();
        }
        match &placed.item {
            PageItem::Text(run) => w.text(run, pos, fonts),
            PageItem::Segment {
                dx,
                dy,
                thickness,
                color,
            } => w.segment(pos, *dx, *dy, *thickness, *color),
            PageItem::FilledRect { w: rw, h, fill } => {
                w.set_fill(*fill);
                w.rect(pos, *rw, *h);
                w.op(b"f");
            }
            PageItem::StrokedRect {
                w: rw,
                h,
                thickness,
                color,
            } => {
                w.set_stroke(*color, *thickness);
                w.rect(pos, *rw, *h);
                w.op(b"S");
            }
            PageItem::Image { asset, w: iw, h } => {
                let y = w.height - pos.y - h;
                w.op(b"q");
                w.nums(&[*iw, 0.0, 0.0, *h, pos.x, y]);
                w.op(b"cm");
                w.name(&images::resource_name(*asset));
                w.op(b"Do");
                w.op(b"Q");
            }
        }
    }
    w.end_text();
    if mark.is_some() {
        w.op(b"EMC");
    }
    (w.out, mcids)
}

/// A page's bytes so far and the graphics state they leave.
struct Writer {
    out: Vec<u8>,
    /// Page height, for flipping y.
    height: f32,
    in_text: bool,
    font: Option<(FaceId, f32)>,
    fill: Option<Rgb>,
    stroke: Option<Rgb>,
    line_width: Option<f32>,
}

impl Writer {
    fn op(&mut self, op: &[u8]) {
        self.out.extend_from_slice(op);
        self.out.push(b'\n');
    }

    fn nums(&mut self, values: &[f32]) {
        for &v in values {
            num(&mut self.out, v);
            self.out.push(b' ');
        }
    }

    fn name(&mut self, name: &str) {
        self.out.push(b'/');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b' ');
    }

    /// Opens the marked stretch `m`: `/P <</MCID 3>> BDC` for a node's
    /// content (the node's MCID added to `mcids`), `/Artifact BMC` for
    /// an artifact.
    fn begin_mark(&mut self, m: Mark, tree: &Tree, mcids: &mut Vec<NodeId>) {
        match m {
            Mark::Node(n) => {
                self.name(tree.nodes[n as usize].kind.name());
                self.out.extend_from_slice(b"<</MCID ");
                let mut buf = itoa::Buffer::new();
                self.out
                    .extend_from_slice(buf.format(mcids.len()).as_bytes());
                self.op(b">>BDC");
                mcids.push(n);
            }
            Mark::Artifact { pagination: true } => {
                self.op(b"/Artifact <</Type/Pagination>>BDC");
            }
            Mark::Artifact { pagination: false } => self.op(b"/Artifact BMC"),
        }
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.op(b"ET");
            self.in_text = false;
        }
    }

    fn set_fill(&mut self, c: Rgb) {
        if self.fill != Some(c) {
            self.nums(&[c.0, c.1, c.2]);
            self.op(b"rg");
            self.fill = Some(c);
        }
    }

    fn set_stroke(&mut self, c: Rgb, width: f32) {
        if self.stroke != Some(c) {
            self.nums(&[c.0, c.1, c.2]);
            self.op(b"RG");
            self.stroke = Some(c);
        }
        if self.line_width != Some(width) {
            self.nums(&[width]);
            self.op(b"w");
            self.line_width = Some(width);
        }
    }

    /// A rectangle path whose top-left corner is `pos`.
    fn rect(&mut self, pos: Point, w: f32, h: f32) {
        let y = self.height - pos.y - h;
        self.nums(&[pos.x, y, w, h]);
        self.op(b"re");
    }

    /// A straight line with butt caps (the default cap style, never changed).
    fn segment(&mut self, pos: Point, dx: f32, dy: f32, thickness: f32, c: Rgb) {
        self.set_stroke(c, thickness);
        let y = self.height - pos.y;
        self.nums(&[pos.x, y]);
        self.op(b"m");
        self.nums(&[pos.x + dx, y - dy]);
        self.op(b"l S");
    }

    /// One run: its origin by the text matrix, then glyph codes whose TJ
    /// offsets put each glyph exactly where layout placed it.
    ///
    /// PDF advances the pen by each glyph's width from the font's `/W`
    /// array; the number after a glyph moves the pen from there to where the
    /// next glyph goes (kerning, justification), in thousandths of the size.
    fn text(&mut self, run: &TextRun, pos: Point, fonts: &UsedFonts) {
        if run.glyphs.is_empty() {
            return;
        }
        if !self.in_text {
            self.op(b"BT");
            self.in_text = true;
        }
        if self.font != Some((run.face, run.size)) {
            self.name(&embed::resource_name(run.face));
            self.nums(&[run.size]);
            self.op(b"Tf");
            self.font = Some((run.face, run.size));
        }
        self.set_fill(run.color);
        let first_x = run.glyphs[0].x;
        self.nums(&[1.0, 0.0, 0.0, 1.0, pos.x + first_x, self.height - pos.y]);
        self.op(b"Tm");
        let per_em = 1000.0 / run.size;
        self.out.extend_from_slice(b"[<");
        for (i, g) in run.glyphs.iter().enumerate() {
            let (code, width) = fonts.glyph(run.face, g.gid);
            hex4(&mut self.out, code);
            if let Some(next) = run.glyphs.get(i + 1) {
                let offset = width as f32 - (next.x - g.x) * per_em;
                // Tiny offsets are rounding noise; leave them out.
                if offset.abs() >= 0.05 {
                    self.out.extend_from_slice(b">");
                    num(&mut self.out, offset);
                    self.out.extend_from_slice(b"<");
                }
            }
        }
        self.out.extend_from_slice(b">]TJ\n");
    }
}

/// Writes `v` with at most two decimals and no trailing zeros (`12.5`,
/// `-0.25`, `3`): enough for 1/100 pt, and what every reader accepts.
fn num(out: &mut Vec<u8>, v: f32) {
    let scaled = (v as f64 * 100.0).round() as i64;
    if scaled < 0 {
        out.push(b'-');
    }
    let a = scaled.unsigned_abs();
    let mut buf = itoa::Buffer::new();
    out.extend_from_slice(buf.format(a / 100).as_bytes());
    let frac = a % 100;
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 10) as u8);
        if !frac.is_multiple_of(10) {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
}

/// A two-byte glyph code as four hex digits.
fn hex4(out: &mut Vec<u8>, code: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((code >> shift) & 0xF) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: f32) -> String {
        let mut out = Vec::new();
        num(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_have_at_most_two_decimals() {
        assert_eq!(n(0.0), "0");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(12.5), "12.5");
        assert_eq!(n(-0.25), "-0.25");
        assert_eq!(n(841.889), "841.89");
        assert_eq!(n(3.0999), "3.1");
        assert_eq!(n(-1234.05), "-1234.05");
    }

    #[test]
    fn codes_are_four_hex_digits() {
        let mut out = Vec::new();
        hex4(&mut out, 0x0A3F);
        hex4(&mut out, 7);
        assert_eq!(out, b"0A3F0007");
    }
}
