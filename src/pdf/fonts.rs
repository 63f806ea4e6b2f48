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
use lopdf::{dictionary, Document as LoDocument, Object, ObjectId, Stream};
use rayon::prelude::*;
use skrifa::instance::{LocationRef, Size};
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};
use subsetter::GlyphRemapper;

use crate::layout::{Document, FaceId, FontSet, PageItem};

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
                for (i, g) in run.glyphs.iter().enumerate() {
                    used.notdef |= g.gid == 0;
                    let new = used.remap.remap(g.gid);
                    let text = run.glyph_text(i);
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

    /// Subsets every face (in parallel) and adds its objects; returns the
    /// font dictionary of each face.
    pub fn embed(
        &self,
        lo: &mut LoDocument,
        fonts: &FontSet,
    ) -> anyhow::Result<BTreeMap<FaceId, ObjectId>> {
        let subsets: Vec<(FaceId, Vec<u8>)> = self
            .faces
            .par_iter()
            .map(|(&id, used)| {
                let face = fonts.face(id);
                subsetter::subset(face.data.bytes(), face.index, &used.remap)
                    .map(|bytes| (id, bytes))
                    .map_err(|e| anyhow!("cannot subset the font {}: {e}", face.name))
            })
            .collect::<anyhow::Result<_>>()?;
        let mut ids = BTreeMap::new();
        for (id, subset) in subsets {
            let used = &self.faces[&id];
            let face = fonts.face(id);
            let font = FontRef::from_index(face.data.bytes(), face.index)
                .with_context(|| format!("cannot read the font {}", face.name))?;
            ids.insert(id, add_font(lo, id, &font, used, subset));
        }
        Ok(ids)
    }
}

/// The resource name of a face in content streams.
pub(super) fn resource_name(face: FaceId) -> String {
    format!("F{face}")
}

/// Adds the Type 0 font of one subset face with its descendant, descriptor,
/// font file and ToUnicode map.
fn add_font(
    lo: &mut LoDocument,
    id: FaceId,
    font: &FontRef,
    used: &UsedFace,
    subset: Vec<u8>,
) -> ObjectId {
    let name = format!("{}+{}", subset_tag(id), postscript_name(font));
    let cff =
        FontRef::new(&subset).is_ok_and(|f| f.table_data(skrifa::Tag::new(b"CFF ")).is_some());
    let file = lo.add_object(font_file(subset, cff));
    let descriptor = lo.add_object(descriptor(font, &name, file, cff));
    let widths = vec![
        Object::Integer(0),
        Object::Array(
            used.widths
                .iter()
                .map(|&w| Object::Integer(w as i64))
                .collect(),
        ),
    ];
    let mut cid_font = dictionary! {
        "Type" => "Font",
        "Subtype" => if cff { "CIDFontType0" } else { "CIDFontType2" },
        "BaseFont" => Object::Name(name.clone().into_bytes()),
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => Object::Reference(descriptor),
        "W" => widths,
    };
    if !cff {
        cid_font.set("CIDToGIDMap", "Identity");
    }
    let cid_font = lo.add_object(cid_font);
    let cmap = lo.add_object(Stream::new(dictionary! {}, to_unicode(&used.texts)));
    lo.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => Object::Name(name.into_bytes()),
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(cid_font)],
        "ToUnicode" => Object::Reference(cmap),
    })
}

fn font_file(subset: Vec<u8>, cff: bool) -> Stream {
    if cff {
        // An OpenType file with CFF outlines (PDF 1.6).
        Stream::new(dictionary! { "Subtype" => "OpenType" }, subset)
    } else {
        let len = subset.len() as i64;
        Stream::new(dictionary! { "Length1" => len }, subset)
    }
}

fn descriptor(font: &FontRef, name: &str, file: ObjectId, cff: bool) -> lopdf::Dictionary {
    let m = font.metrics(Size::unscaled(), LocationRef::default());
    let em = |v: f32| Object::Integer((v * 1000.0 / m.units_per_em as f32).round() as i64);
    let bbox = m.bounds.map_or_else(
        || {
            vec![
                em(0.0),
                em(m.descent),
                em(m.max_width.unwrap_or(1000.0)),
                em(m.ascent),
            ]
        },
        |b| vec![em(b.x_min), em(b.y_min), em(b.x_max), em(b.y_max)],
    );
    // Symbolic (its glyphs are addressed by CID, not a standard encoding),
    // plus fixed pitch, serif and italic where they apply.
    let serif = !name.contains("Sans") && !m.is_monospace;
    let flags = 4
        | if m.is_monospace { 1 } else { 0 }
        | if serif { 2 } else { 0 }
        | if m.italic_angle != 0.0 { 64 } else { 0 };
    let bold = font.attributes().weight.value() >= 600.0;
    let mut d = dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => Object::Name(name.as_bytes().to_vec()),
        "Flags" => flags,
        "FontBBox" => bbox,
        "ItalicAngle" => Object::Real(m.italic_angle),
        "Ascent" => em(m.ascent),
        "Descent" => em(m.descent),
        "CapHeight" => em(m.cap_height.unwrap_or(m.ascent * 0.7)),
        // No font table has the stem width; this is the usual estimate.
        "StemV" => if bold { 120 } else { 80 },
    };
    d.set(
        if cff { "FontFile3" } else { "FontFile2" },
        Object::Reference(file),
    );
    d
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
