//! The faces a layout uses: the bundled families, replaced by manifest
//! fonts where given, plus fallbacks for scripts the text face lacks.
//!
//! A [`FontSet`] is built once per build and shared (`Arc`); faces are cheap
//! to clone (their data is reference-counted). Faces from the machine
//! ([`super::sysfonts`]) are added by [`FontSet::prepare`], once, before
//! the digest is set, so face ids do not depend on which thread sets what.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use anyhow::Context;
use harfrust::Font;

use crate::bundled;
use crate::sysfonts::{Catalogue, Catalogues};
pub use crate::want::{is_cjk, script_name, Class, Han, Want};
use pressbook_model::model::{Digest, FontChoice};

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

    /// The role face `id` plays, if it is one of the seven.
    pub fn of(id: FaceId) -> Option<Role> {
        use Role::*;
        [Regular, Italic, Bold, BoldItalic, Sans, SansBold, Mono]
            .into_iter()
            .find(|r| r.id() == id)
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
    /// The face's index inside its file: 0 for a plain font file, the
    /// face's place in a collection (.ttc, as Noto CJK ships).
    pub index: u32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("name", &self.name).finish()
    }
}

impl Face {
    fn new(name: &str, data: FontData) -> anyhow::Result<Face> {
        Face::new_in(name, data, 0)
    }

    /// Face `index` of the file (collection) `data`.
    fn new_in(name: &str, data: FontData, index: u32) -> anyhow::Result<Face> {
        let font = match &data {
            FontData::Static(b) => Font::new(*b, index),
            // Shared, not copied: the faces of one collection (.ttc) and
            // every clone of a face use the one copy of the file.
            FontData::Owned(v) => Font::new(v.clone() as Arc<dyn AsRef<[u8]> + Send + Sync>, index),
        }
        .with_context(|| format!("{name} is not a font file pressbook can read"))?;
        let upem = font.units_per_em() as f32;
        let mut face = Face {
            name: name.to_string(),
            data,
            font,
            upem,
            hyphen: None,
            index,
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

impl Want {
    /// A stand-in for `face` (one of the roles; other faces count as the
    /// regular serif).
    pub fn for_face(face: FaceId, han: Han) -> Want {
        let (class, bold, italic) = match Role::of(face) {
            Some(Role::Italic) => (Class::Serif, false, true),
            Some(Role::Bold) => (Class::Serif, true, false),
            Some(Role::BoldItalic) => (Class::Serif, true, true),
            Some(Role::Sans) => (Class::Sans, false, false),
            Some(Role::SansBold) => (Class::Sans, true, false),
            Some(Role::Mono) => (Class::Mono, false, false),
            Some(Role::Regular) | None => (Class::Serif, false, false),
        };
        Want {
            class,
            bold,
            italic,
            han,
            script: None,
        }
    }

    /// This want for text written in the script of `text`'s first
    /// character that has one.
    pub fn for_text(self, text: &str) -> Want {
        Want {
            script: text.chars().find_map(script_name),
            ..self
        }
    }
}

/// A face found on the machine, with what it was ranked by.
#[derive(Debug, Clone)]
struct Found {
    face: Face,
    entry: super::sysfonts::Entry,
}

/// All faces of a build. The first seven are the roles in [`Role`] order;
/// the manifest's fallbacks follow, then the faces found on the machine.
#[derive(Debug, Clone)]
pub struct FontSet {
    pub faces: Vec<Face>,
    /// Faces tried, in order, for characters a face lacks.
    pub fallbacks: Vec<FaceId>,
    /// Where to look for more faces: `None` when nothing is searched.
    search: Option<(Vec<PathBuf>, bool)>,
    /// Catalogues of those folders kept from earlier builds, if any.
    catalogues: Option<&'static Catalogues>,
    /// The faces [`FontSet::prepare`] found, after [`Self::faces`].
    found: OnceLock<Vec<Found>>,
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
            search: None,
            catalogues: None,
            found: OnceLock::new(),
        }
    }

    /// The bundled fonts with the manifest's choices put in, searching
    /// `choice.dirs` (and the system's folders) for what they lack.
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
        set.search = Some((choice.dirs.clone(), choice.system_fonts));
        Ok(set)
    }

    /// Looks for faces through catalogues kept across builds (the caller
    /// keeps them for as long as it builds).
    pub fn keeping_catalogues(mut self, catalogues: &'static Catalogues) -> Self {
        self.catalogues = Some(catalogues);
        self
    }

    /// The folders searched for faces and whether the system's are; `None`
    /// for the bundled set alone. For messages.
    pub fn searches(&self) -> Option<(&[PathBuf], bool)> {
        self.search.as_ref().map(|(d, s)| (d.as_slice(), *s))
    }

    pub fn face(&self, id: FaceId) -> &Face {
        let id = id as usize;
        match self.faces.get(id) {
            Some(f) => f,
            None => {
                &self.found.get().expect("face id of a prepared set")[id - self.faces.len()].face
            }
        }
    }

    /// How many faces there are (ids `0..len`).
    pub fn len(&self) -> usize {
        self.faces.len() + self.found.get().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first fallback face that has every character of `s`: the
    /// manifest's in order, then those found on the machine in their order
    /// of preference for `want`.
    pub fn fallback_for(&self, s: &str, want: &Want) -> Option<FaceId> {
        let covers = |face: &Face| s.chars().all(|c| c.is_whitespace() || face.covers(c));
        if let Some(f) = self
            .fallbacks
            .iter()
            .copied()
            .find(|&f| covers(self.face(f)))
        {
            return Some(f);
        }
        let found = self.found.get()?;
        found
            .iter()
            .enumerate()
            .filter(|(_, f)| covers(&f.face))
            .min_by(|(_, a), (_, b)| {
                super::sysfonts::rank(&a.entry, want).cmp(&super::sysfonts::rank(&b.entry, want))
            })
            .map(|(k, _)| (self.faces.len() + k) as FaceId)
    }

    /// Whether a face of the set as loaded (roles and manifest fallbacks)
    /// has `c`.
    fn has(&self, c: char) -> bool {
        self.faces.iter().any(|f| f.covers(c))
    }

    /// Finds on the machine faces for the characters of `digest` that no
    /// face of the set has: for each character, the first face in the
    /// documented order ([`super::sysfonts`]) for each kind of type
    /// (serif, sans, mono; regular and bold) in the Han forms of the
    /// language it is written in. Runs once per set; later calls do
    /// nothing.
    pub fn prepare(&self, digest: &Digest) {
        let Some((dirs, system)) = &self.search else {
            return;
        };
        if dirs.is_empty() && !system {
            return;
        }
        self.found.get_or_init(|| {
            let needs = self.needs(digest);
            if needs.is_empty() {
                return Vec::new();
            }
            let catalogue = match self.catalogues {
                Some(kept) => kept.get(dirs, *system),
                None => Arc::new(Mutex::new(Catalogue::scan(dirs, *system))),
            };
            let mut catalogue = catalogue.lock().unwrap_or_else(PoisonError::into_inner);
            find_faces(&needs, &mut catalogue)
        });
    }

    /// The characters of `digest` no face has, each with the Han forms of
    /// the text it appears in (for characters whose forms depend on it).
    fn needs(&self, digest: &Digest) -> BTreeSet<(Han, char)> {
        let mut needs = BTreeSet::new();
        let mut add = |text: &str, han: Han| {
            for c in text.chars() {
                if !c.is_whitespace()
                    && !c.is_control()
                    && !pressbook_model::direction::is_invisible_format(c)
                    && !self.has(c)
                {
                    needs.insert((if is_cjk(c) { han } else { Han::Simplified }, c));
                }
            }
        };
        let m = &digest.meta;
        let top = Han::for_tag(&m.language);
        let front = [
            Some(&m.title),
            m.subtitle.as_ref(),
            m.editor.as_ref(),
            m.publisher.as_ref(),
            m.description.as_ref(),
            m.rights.as_ref(),
        ];
        for t in front.into_iter().flatten() {
            add(t, top);
        }
        for section in &digest.sections {
            if let Some(t) = &section.title {
                add(t, top);
            }
            for a in &section.articles {
                let han = Han::for_tag(&a.meta.language);
                let meta = &a.meta;
                let head = [
                    Some(&meta.title),
                    meta.author.as_ref(),
                    meta.source.as_ref(),
                    meta.summary.as_ref(),
                    meta.rights.as_ref(),
                    meta.url.as_ref(),
                ];
                for t in head.into_iter().flatten() {
                    add(t, han);
                }
                pressbook_model::model::visit_text(&a.body, &mut |t| add(t, han));
                for n in &a.footnotes {
                    pressbook_model::model::visit_text(&n.content, &mut |t| add(t, han));
                }
            }
        }
        needs
    }
}

/// The kinds of type a fallback is found for.
const KINDS: [(Class, bool); 5] = [
    (Class::Serif, false),
    (Class::Serif, true),
    (Class::Sans, false),
    (Class::Sans, true),
    (Class::Mono, false),
];

/// The faces on the machine for `needs`, loaded, in a fixed order.
fn find_faces(needs: &BTreeSet<(Han, char)>, cat: &mut Catalogue) -> Vec<Found> {
    let mut chosen: BTreeSet<usize> = BTreeSet::new();
    let mut orders: BTreeMap<Want, Vec<usize>> = BTreeMap::new();
    for &(han, c) in needs {
        for (class, bold) in KINDS {
            let want = Want {
                class,
                bold,
                italic: false,
                han,
                script: script_name(c),
            };
            let order = orders.entry(want).or_insert_with(|| cat.ranked(&want));
            if let Some(&i) = order.iter().find(|&&i| cat.covers(i, c)) {
                chosen.insert(i);
            }
        }
    }
    // Load each chosen face, reading each file once.
    let mut files: BTreeMap<PathBuf, Option<Arc<Vec<u8>>>> = BTreeMap::new();
    let mut out = Vec::new();
    for i in chosen {
        let e = cat.entries[i].clone();
        let data = files
            .entry(e.path.clone())
            .or_insert_with(|| std::fs::read(&e.path).ok().map(Arc::new))
            .clone();
        let Some(data) = data else { continue };
        let name = format!("{} ({})", e.family, e.path.display());
        if let Ok(face) = Face::new_in(&name, FontData::Owned(data), e.index) {
            out.push(Found { face, entry: e });
        }
    }
    out
}

/// What to tell the reader about characters no font has: which Debian
/// packages would provide them, and how pressbook looks for fonts.
pub fn missing_hint(chars: &[char], fonts: &FontSet) -> String {
    let mut packages = BTreeSet::new();
    for &c in chars {
        packages.insert(if is_cjk(c) {
            "fonts-noto-cjk"
        } else if matches!(u32::from(c), 0x1F000..=0x1FAFF | 0x2600..=0x27BF) {
            "fonts-noto-color-emoji"
        } else {
            "fonts-noto-core"
        });
    }
    let packages: Vec<&str> = packages.into_iter().collect();
    let install = format!(
        "install a font that has them (on Debian: apt-get install {})",
        packages.join(" ")
    );
    match fonts.searches() {
        Some((_, true)) => format!(
            "{install}, pass --font-path DIR for a folder of fonts, or name a font file under [fonts] fallback in pressbook.toml"
        ),
        Some((_, false)) => format!(
            "{install} and drop --no-system-fonts (or `system = false` under [fonts]), pass --font-path DIR, or name a font file under [fonts] fallback in pressbook.toml"
        ),
        None => format!(
            "{install}, or name a font file under [fonts] fallback in pressbook.toml"
        ),
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
