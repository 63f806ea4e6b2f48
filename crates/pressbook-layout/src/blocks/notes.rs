//! An article's notes: a small label, then each note in smaller type with
//! its number hanging in the inset and a destination for its reference.

use pressbook_model::model::{Article, Block, Footnote};

use super::{Align, Band, BlockRole, FlowBuilder, Kind, Rgb, RichText, Strip, TextStyle};

impl FlowBuilder<'_> {
    pub(super) fn notes(&mut self, a: &Article, notes: &[Footnote]) {
        if notes.is_empty() {
            return;
        }
        let full = self.full();
        let l = self.style.sizes.notes_label;
        let st = TextStyle::sans(l.size)
            .bold()
            .color(Rgb::GREY)
            .tracking(0.07);
        let rt = RichText::styled("NOTES", st);
        self.role = BlockRole::Label;
        self.tag(Kind::P);
        let before = self.style.leading * self.style.spacing.notes.label_before_lines;
        self.push_lines(&rt, full, 0.0, Align::Left, l.size, l.leading, before);
        self.keep_next = true;
        let size = self.style.body_size * self.style.sizes.note_em;
        let inset = size * self.style.spacing.notes.number_inset_em;
        let band = Band {
            x: inset,
            measure: full.measure - inset,
        };
        for note in notes {
            self.note(a, note, band, size);
        }
        self.after_para = false;
    }

    /// One note in `band`, its number in the inset to its left.
    fn note(&mut self, a: &Article, note: &Footnote, band: Band, size: f32) {
        let leading = (size * 1.3).round();
        let first = self.elems.len();
        let node = self.tree.add(Kind::Note, self.parent);
        self.tree.node_mut(node).id = Some(format!("{}-fn{}", a.id, note.number));
        let number = self.tree.add(Kind::Lbl, node);
        let outer = std::mem::replace(&mut self.parent, node);
        for (k, b) in note.content.iter().enumerate() {
            match b {
                Block::Paragraph(content) => {
                    let rt = self.rich(a, content, TextStyle::serif(size));
                    self.role = BlockRole::Note;
                    self.tag(Kind::P);
                    self.push_lines(
                        &rt,
                        band,
                        0.0,
                        Align::Justify,
                        size,
                        leading,
                        if k == 0 {
                            self.style.spacing.notes.first_before
                        } else {
                            self.style.spacing.notes.next_before
                        },
                    );
                }
                other => self.block(a, other, band),
            }
        }
        self.parent = outer;
        if first == self.elems.len() {
            self.push(Strip {
                height: leading,
                break_before: true,
                ..Strip::default()
            });
        }
        let label = self.label(&format!("{}.", note.number), TextStyle::serif(size), band.x);
        let e = &mut self.elems[first];
        e.dests.push(format!("{}/fn{}", a.id, note.number));
        let y = if e.baseline > 0.0 {
            e.baseline
        } else {
            leading * 0.75
        };
        if let Some(line) = label {
            super::place_first(e, line, 0.0, y, number);
        }
    }
}
