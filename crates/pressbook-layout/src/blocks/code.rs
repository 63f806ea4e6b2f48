//! Code blocks: monospace rows on a shaded band, long rows wrapped.

use super::super::inline::Family;
use super::{
    inline, line_elem, Align, Band, BlockRole, Deco, FlowBuilder, Kind, RichText, Strip, Tags,
    TextStyle,
};

impl FlowBuilder<'_> {
    pub(super) fn code(&mut self, text: &str, band: Band) {
        let size = self.style.body_size * self.style.sizes.code_em;
        let leading = (size * 1.4).round();
        let pad = self.style.sizes.code_pad;
        let st = TextStyle {
            family: Family::Mono,
            hyphenate: false,
            ..TextStyle::serif(size)
        };
        let mono = self.fonts.face(st.face());
        let cw = mono.glyph_for('0').map_or(0.6, |g| mono.advance_em(g)) * size;
        let cols = (((band.measure - 2.0 * pad) / cw).floor() as usize).max(10);
        let rows = wrap(text, cols);
        self.role = BlockRole::Code;
        let node = self.tag(Kind::Code);
        self.decos.push(Deco::Shade {
            x: band.x,
            w: band.measure,
        });
        let strip = pad * self.style.spacing.code_strip_share;
        let top = Strip {
            height: strip,
            space_before: self.space(),
            break_before: true,
            ..Strip::default()
        };
        self.push(top);
        let n = rows.len();
        let baseline = inline::baseline_in(leading, size);
        for (k, row) in rows.iter().enumerate() {
            let mut rt = RichText::new();
            rt.push_verbatim(row, st, None);
            let line = self
                .set_bare(&rt, f32::MAX / 4.0, Align::Left)
                .into_iter()
                .next()
                .unwrap_or_default();
            let mut e = line_elem(
                line,
                band.x + pad,
                baseline,
                leading,
                BlockRole::Code,
                Tags::of(node),
            );
            e.break_before = k >= 2 && n - k >= 2;
            self.push(e);
        }
        let bottom = Strip {
            height: strip,
            ..Strip::default()
        };
        self.push(bottom);
        self.decos.pop();
        self.after_space(self.space() * self.style.spacing.after_block_share);
        self.after_para = false;
    }
}

/// The rows of `text` at most `cols` characters wide: wrapped at the last
/// space that leaves a row at least half full, else at `cols`;
/// continuations are indented by two spaces.
fn wrap(text: &str, cols: usize) -> Vec<String> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let mut rows: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let line = line.replace('\t', "    ");
        let chars: Vec<char> = line.chars().collect();
        if chars.is_empty() {
            rows.push(String::new());
            continue;
        }
        let mut at = 0;
        let mut first = true;
        while at < chars.len() {
            let width = if first { cols } else { cols - 2 };
            let mut end = (at + width).min(chars.len());
            if end < chars.len() {
                if let Some(sp) = chars[at..end].iter().rposition(|c| *c == ' ') {
                    if sp > width / 2 {
                        end = at + sp + 1;
                    }
                }
            }
            let mut s: String = chars[at..end].iter().collect();
            if !first {
                s.insert_str(0, "  ");
            }
            rows.push(s.trim_end().to_string());
            at = end;
            first = false;
        }
    }
    rows
}
