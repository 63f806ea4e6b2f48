//! The faces a layout uses: the bundled families, replaced by manifest
//! fonts where given, plus fallbacks for scripts the text face lacks.
//!
//! A [`FontSet`] is built once per build and shared (`Arc`); faces are cheap
//! to clone (their data is reference-counted).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use harfrust::Font;

use crate::fonts as bundled;
use crate::model::FontChoice;

/// Index of a face in its [`FontSet`].
pub type FaceId = u16;

/// The role of a face in the type design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Regular = 0,
    Italic = 1,
    Bold = 2,
    BoldItalic = 3,
    Sans = 4,
    SansBold = 5,
    Mono = 6,
}

impl Role {
    pub fn id(self) -> FaceId {
        self as FaceId
    }
}

/// The bytes of a font file.
#[derive(Clone)]
pub enum FontData {
    Static(&'static [u8]),
    Owned(Arc<Vec<u8>>),
}

impl FontData {
    pub fn bytes(&self) -> &[u8] {
        match self {
            FontData::Static(b) => b,
            FontData::Owned(v) => v,
        }
    }
}

/// One face, ready for shaping.
#[derive(Clone)]
pub struct Face {
    /// A short name for messages (file name or bundled family).
    pub name: String,
    pub data: FontData,
    pub font: Font,
    pub upem: f32,
    /// Advance of U+002D HYPHEN-MINUS, in em, and its glyph.
    pub hyphen: Option<(u16, f32)>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("name", &self.name).finish()
    }
}

impl Face {
    fn new(name: &str, data: FontData) -> anyhow::Result<Face> {
        let font = match &data {
            FontData::Static(b) => Font::new(*b, 0),
            FontData::Owned(v) => Font::new(v.as_ref().clone(), 0),
        }
        .with_context(|| format!("{name} is not a font file pressbook can read"))?;
        let upem = font.units_per_em() as f32;
        let mut face = Face {
            name: name.to_string(),
            data,
            font,
            upem,
            hyphen: None,
        };
        face.hyphen = face.glyph_for('-').map(|g| (g, face.advance_em(g)));
        Ok(face)
    }

    /// The glyph for `c`, if the face has one.
    pub fn glyph_for(&self, c: char) -> Option<u16> {
        self.font
            .charmap()
            .map_unicode(c)
            .map(|g| g.to_u32() as u16)
            .filter(|&g| g != 0)
    }

    pub fn covers(&self, c: char) -> bool {
        self.glyph_for(c).is_some()
    }

    /// The advance of glyph `gid` in em.
    pub fn advance_em(&self, gid: u16) -> f32 {
        self.font
            .glyph_metrics()
            .h_advance(harfrust::GlyphId::new(gid as u32))
            / self.upem
    }
}

/// All faces of a build. The first seven are the roles in [`Role`] order;
/// fallbacks follow.
#[derive(Debug, Clone)]
pub struct FontSet {
    pub faces: Vec<Face>,
    /// Faces tried, in order, for characters a face lacks.
    pub fallbacks: Vec<FaceId>,
}

impl FontSet {
    /// The fonts compiled into pressbook.
    pub fn bundled() -> FontSet {
        let faces = [
            ("Source Serif 4", bundled::SERIF_REGULAR),
            ("Source Serif 4 Italic", bundled::SERIF_ITALIC),
            ("Source Serif 4 Bold", bundled::SERIF_BOLD),
            ("Source Serif 4 Bold Italic", bundled::SERIF_BOLD_ITALIC),
            ("Source Sans 3", bundled::SANS_REGULAR),
            ("Source Sans 3 Bold", bundled::SANS_BOLD),
            ("Source Code Pro", bundled::MONO_REGULAR),
        ]
        .into_iter()
        .map(|(n, b)| Face::new(n, FontData::Static(b)).expect("bundled fonts are valid"))
        .collect();
        FontSet {
            faces,
            fallbacks: Vec::new(),
        }
    }

    /// The bundled fonts with the manifest's choices put in.
    pub fn load(choice: &FontChoice) -> anyhow::Result<FontSet> {
        let mut set = FontSet::bundled();
        let slots = [
            (&choice.regular, Role::Regular),
            (&choice.italic, Role::Italic),
            (&choice.bold, Role::Bold),
            (&choice.bold_italic, Role::BoldItalic),
        ];
        for (path, role) in slots {
            if let Some(p) = path {
                set.faces[role as usize] = load_file(p)?;
            }
        }
        for p in &choice.fallback {
            set.fallbacks.push(set.faces.len() as FaceId);
            set.faces.push(load_file(p)?);
        }
        Ok(set)
    }

    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id as usize]
    }

    /// The first fallback face that has every character of `s`.
    pub fn fallback_for(&self, s: &str) -> Option<FaceId> {
        self.fallbacks.iter().copied().find(|&f| {
            let face = self.face(f);
            s.chars().all(|c| c.is_whitespace() || face.covers(c))
        })
    }
}

fn load_file(path: &Path) -> anyhow::Result<Face> {
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read the font {}", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    Face::new(&name, FontData::Owned(Arc::new(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_cover_latin_greek_cyrillic() {
        let set = FontSet::bundled();
        for role in [Role::Regular, Role::Italic, Role::Bold, Role::BoldItalic] {
            let f = set.face(role.id());
            for c in "Aé€“”—ΩωЖж".chars() {
                assert!(f.covers(c), "{} lacks {c}", f.name);
            }
            assert!(!f.covers('ع'));
            assert!(f.hyphen.is_some());
        }
    }
}
