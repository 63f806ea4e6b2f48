//! Embedded fonts: each face the pages use, subset to the glyphs they use,
//! as a CID-keyed Type 0 font (Identity-H, two-byte codes).
//!
//! The subset renumbers glyphs from 0 (subsetter's [`GlyphRemapper`]); the
//! content streams write the new numbers, which are also the CIDs. Each new
//! glyph carries one ToUnicode text: the text of its first use that has any
//! (a glyph that continues a cluster has none of its own), so that text
//! extracted from the PDF is the source text.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Chunk, Finish, Name, Rect, Ref, Str};
use rayon::prelude::*;
use skrifa::instance::{LocationRef, Size};
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};
use subsetter::GlyphRemapper;

use super::compress::{self, Packed};

use pressbook_layout::{Document, FaceId, FontSet, PageItem};

/// The glyphs of one face that the pages use.
pub(super) struct UsedFace {
    pub remap: GlyphRemapper,
    /// New glyph id → its text.
    texts: BTreeMap<u16, String>,
    /// Advance of each new glyph in thousandths of an em, as the font's
    /// `/W` array says and the content streams assume.
    pub widths: Vec<i32>,
    /// Whether glyph 0 (.notdef) is drawn.
    notdef: bool,
}

/// Every face the pages use, in face order.
pub(super) struct UsedFonts {
    pub faces: BTreeMap<FaceId, UsedFace>,
}

impl UsedFonts {
    /// Collects the glyphs and their texts from every page. Glyphs are
    /// numbered in order of first use, so the numbering depends only on the
    /// document.
    pub fn collect(doc: &Document, fonts: &FontSet) -> Self {
        let mut faces: BTreeMap<FaceId, UsedFace> = BTreeMap::new();
        for page in &doc.pages {
            for placed in &page.items {
                let PageItem::Text(run) = &placed.item else {
                    continue;
                };
                let used = faces.entry(run.face).or_insert_with(|| UsedFace {
                    remap: GlyphRemapper::new(),
                    texts: BTreeMap::new(),
                    widths: Vec::new(),
                    notdef: false,
                });
                for (g, text) in run.glyphs_with_text() {
                    used.notdef |= g.gid == 0;
                    let new = used.remap.remap(g.gid);
                    if !text.is_empty() {
                        used.texts.entry(new).or_insert_with(|| text.to_string());
                    }
                }
            }
        }
        for (&id, used) in faces.iter_mut() {
            let face = fonts.face(id);
            used.widths = used
                .remap
                .remapped_gids()
                .map(|old| (face.advance_em(old) * 1000.0).round() as i32)
                .collect();
        }
        UsedFonts { faces }
    }

    /// Whether any page draws a glyph as .notdef (a character no font has),
    /// which PDF/A forbids.
    pub fn shows_notdef(&self) -> bool {
        self.faces.values().any(|f| f.notdef)
    }

    /// The new glyph id of `gid` in `face` and its advance in thousandths
    /// of an em.
    pub fn glyph(&self, face: FaceId, gid: u16) -> (u16, i32) {
        let used = &self.faces[&face];
        let new = used.remap.get(gid).unwrap_or(0);
        (new, used.widths[new as usize])
    }

    /// Subsets and compresses every face (in parallel) and writes its
    /// objects; returns the font dictionary of each face.
    pub fn embed(
        &self,
        pdf: &mut Chunk,
        alloc: &mut Ref,
        fonts: &FontSet,
    ) -> anyhow::Result<BTreeMap<FaceId, Ref>> {
        let prepared: Vec<(FaceId, Prepared)> = self
            .faces
            .par_iter()
            .map(|(&id, used)| {
                let face = fonts.face(id);
                let subset = subsetter::subset(face.data.bytes(), face.index, &used.remap)
                    .map_err(|e| anyhow!("cannot subset the font {}: {e}", face.name))?;
                let font = FontRef::from_index(face.data.bytes(), face.index)
                    .with_context(|| format!("cannot read the font {}", face.name))?;
                Ok((id, Prepared::new(id, &font, used, subset)))
            })
            .collect::<anyhow::Result<_>>()?;
        let mut ids = BTreeMap::new();
        for (id, p) in prepared {
            ids.insert(id, p.write(pdf, alloc, &self.faces[&id]));
        }
        Ok(ids)
    }
}

/// One face's subset and what its dictionaries say, ready to be written.
struct Prepared {
    name: String,
    cff: bool,
    file: Packed,
    /// The font file's length before compression.
    file_len: i32,
    cmap: Packed,
    metrics: Metrics,
}

/// The font descriptor's figures, in thousandths of an em.
struct Metrics {
    bbox: [f32; 4],
    italic_angle: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    flags: FontFlags,
    stem_v: f32,
}

impl Prepared {
    fn new(id: FaceId, font: &FontRef, used: &UsedFace, subset: Vec<u8>) -> Prepared {
        let name = format!("{}+{}", subset_tag(id), postscript_name(font));
        let cff =
            FontRef::new(&subset).is_ok_and(|f| f.table_data(skrifa::Tag::new(b"CFF ")).is_some());
        let metrics = Metrics::of(font, &name);
        Prepared {
            name,
            cff,
            file_len: subset.len() as i32,
            file: Packed::new(subset, compress::LEVEL),
            cmap: Packed::new(to_unicode(&used.texts), compress::LEVEL),
            metrics,
        }
    }

    /// Writes the Type 0 font with its descendant, descriptor, font file and
    /// ToUnicode map; returns the Type 0 font.
    fn write(&self, pdf: &mut Chunk, alloc: &mut Ref, used: &UsedFace) -> Ref {
        let (type0, cid, descriptor, file, cmap) = (
            alloc.bump(),
            alloc.bump(),
            alloc.bump(),
            alloc.bump(),
            alloc.bump(),
        );
        let name = Name(self.name.as_bytes());
        pdf.type0_font(type0)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let mut c = pdf.cid_font(cid);
        c.subtype(if self.cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        });
        c.base_font(name);
        c.system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        });
        c.font_descriptor(descriptor);
        c.widths()
            .consecutive(0, used.widths.iter().map(|&w| w as f32));
        if !self.cff {
            c.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        c.finish();
        let m = &self.metrics;
        let mut d = pdf.font_descriptor(descriptor);
        d.name(name)
            .flags(FontFlags::from_bits_truncate(m.flags.bits()))
            .bbox(Rect::new(m.bbox[0], m.bbox[1], m.bbox[2], m.bbox[3]))
            .italic_angle(m.italic_angle)
            .ascent(m.ascent)
            .descent(m.descent)
            .cap_height(m.cap_height)
            .stem_v(m.stem_v);
        if self.cff {
            d.font_file3(file);
        } else {
            d.font_file2(file);
        }
        d.finish();
        let mut s = compress::stream(pdf, file, &self.file);
        if self.cff {
            // An OpenType file with CFF outlines (PDF 1.6).
            s.pair(Name(b"Subtype"), Name(b"OpenType"));
        } else {
            s.pair(Name(b"Length1"), self.file_len);
        }
        s.finish();
        compress::stream(pdf, cmap, &self.cmap);
        type0
    }
}

impl Metrics {
    fn of(font: &FontRef, name: &str) -> Metrics {
        let m = font.metrics(Size::unscaled(), LocationRef::default());
        let em = |v: f32| (v * 1000.0 / m.units_per_em as f32).round();
        let bbox = m.bounds.map_or_else(
            || {
                [
                    0.0,
                    em(m.descent),
                    em(m.max_width.unwrap_or(1000.0)),
                    em(m.ascent),
                ]
            },
            |b| [em(b.x_min), em(b.y_min), em(b.x_max), em(b.y_max)],
        );
        // Symbolic (its glyphs are addressed by CID, not a standard
        // encoding), plus fixed pitch, serif and italic where they apply.
        let mut flags = FontFlags::SYMBOLIC;
        if m.is_monospace {
            flags |= FontFlags::FIXED_PITCH;
        } else if !name.contains("Sans") {
            flags |= FontFlags::SERIF;
        }
        if m.italic_angle != 0.0 {
            flags |= FontFlags::ITALIC;
        }
        let bold = font.attributes().weight.value() >= 600.0;
        Metrics {
            bbox,
            italic_angle: m.italic_angle,
            ascent: em(m.ascent),
            descent: em(m.descent),
            cap_height: em(m.cap_height.unwrap_or(m.ascent * 0.7)),
            flags,
            // No font table has the stem width; this is the usual estimate.
            stem_v: if bold { 120.0 } else { 80.0 },
        }
    }
}

/// The resource name of a face in content streams.
pub(super) fn resource_name(face: FaceId) -> String {
    format!("F{face}")
}

/// Six capital letters naming the subset, as the PDF specification asks;
/// fixed per face so that builds are reproducible.
fn subset_tag(face: FaceId) -> String {
    let a = (b'A' + (face / 26 % 26) as u8) as char;
    let b = (b'A' + (face % 26) as u8) as char;
    format!("PRSB{a}{b}")
}

/// The face's PostScript name (name id 6), or a stand-in; only the
/// characters a PDF name allows without escapes.
fn postscript_name(font: &FontRef) -> String {
    let name = font
        .localized_strings(StringId::POSTSCRIPT_NAME)
        .english_or_first()
        .map(|s| s.to_string())
        .unwrap_or_default();
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if clean.is_empty() {
        "Font".into()
    } else {
        clean
    }
}

/// The ToUnicode CMap: each new glyph id to its text (UTF-16BE), in
/// `bfchar` blocks of at most 100 entries as the format requires.
fn to_unicode(texts: &BTreeMap<u16, String>) -> Vec<u8> {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &String)> = texts.iter().collect();
    for block in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", block.len()));
        for (gid, text) in block {
            out.push_str(&format!("<{gid:04X}> <"));
            for unit in text.encode_utf16() {
                out.push_str(&format!("{unit:04X}"));
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_maps_each_glyph_to_its_text_in_blocks_of_100() {
        let mut texts = BTreeMap::new();
        for g in 1..=150u16 {
            texts.insert(g, "a".to_string());
        }
        texts.insert(151, "ﬁ𝄞".to_string());
        let cmap = String::from_utf8(to_unicode(&texts)).unwrap();
        assert!(cmap.contains("100 beginbfchar\n"));
        assert!(cmap.contains("51 beginbfchar\n"));
        // A character outside the BMP is a surrogate pair.
        assert!(cmap.contains("<0097> <FB01D834DD1E>\n"), "{cmap}");
    }

    #[test]
    fn subset_tags_are_six_capitals() {
        for face in [0, 6, 27, 700] {
            let t = subset_tag(face);
            assert_eq!(t.len(), 6);
            assert!(t.chars().all(|c| c.is_ascii_uppercase()));
        }
    }
}
