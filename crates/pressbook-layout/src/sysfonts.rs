//! Fonts from the machine, for characters neither the bundled fonts nor the
//! digest's fonts have (issue 15).
//!
//! fontdb lists the faces in fontconfig's directories (and the folders
//! given with `--font-path` or `[fonts] path`); pressbook then ranks them
//! itself, so that the choice is the same on every run on one machine:
//!
//! 1. the regional forms of Han characters the text's language wants
//!    (`ja` → a JP face, `ko` → KR, `zh-TW`/`zh-Hant` → TC, `zh-HK` → HK,
//!    else SC), judged from the family name's last word;
//! 2. ordinary text faces before UI, Display, Kufi, Rashi and emoji ones,
//!    then faces made for the character's script (the script in the family
//!    name: Noto Naskh Arabic, Noto Sans Hebrew, Noto Serif CJK) before
//!    faces that merely cover it (DejaVu Sans has Arabic and Hebrew too);
//! 3. the style: serif (Serif, Naskh, Mincho, Song, Ming in the family
//!    name) for the serif roles, sans for the sans ones, monospaced for code;
//! 4. the weight nearest to the one wanted (400 or 700), then upright or
//!    italic as wanted, then normal width;
//! 5. the folders in the order given (`--font-path` first, then
//!    `[fonts] path`, then the system's), then the file path and the face
//!    index inside it.
//!
//! The first face in that order that has a character is the one used.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use crate::want::{Class, Han, Want};

/// One face on the machine, as fontdb describes it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub index: u32,
    pub family: String,
    pub weight: u16,
    pub italic: bool,
    /// fontdb's width class, 1 (ultra-condensed) to 9; 5 is normal.
    pub stretch: u16,
    pub class: Class,
    pub han: Option<Han>,
    /// Not an ordinary text face (UI, Display, Kufi, Rashi, emoji…).
    pub special: bool,
    /// Which folder it came from, in the documented order.
    pub dir_rank: usize,
}

/// The faces found, in the fixed order of point 5, with what is known of
/// each one's characters once it has been read.
pub struct Catalogue {
    pub entries: Vec<Entry>,
    coverage: HashMap<usize, Vec<u32>>,
}

/// Catalogues already scanned, by the folders they list, so that a process
/// that builds again (`build --watch`) reads the machine's fonts once. A
/// catalogue only remembers what files hold; what a build picks from it is
/// the same whether it is new or kept.
#[derive(Default)]
pub struct Catalogues {
    scanned: Mutex<Vec<Scanned>>,
}

/// One scanned catalogue and what it lists.
type Scanned = ((Vec<PathBuf>, bool), Arc<Mutex<Catalogue>>);

/// The process's catalogues, shared by every font set that searches the
/// machine (the PDF's, the cover picture's): a build lists and reads the
/// machine's fonts once, and `build --watch` once for the whole session.
pub static MACHINE: Catalogues = Catalogues::new();

impl std::fmt::Debug for Catalogues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Catalogues")
    }
}

impl Catalogues {
    pub const fn new() -> Self {
        Catalogues {
            scanned: Mutex::new(Vec::new()),
        }
    }

    /// The catalogue of `dirs` (and, with `system`, the system's folders),
    /// scanned on first use.
    pub fn get(&self, dirs: &[PathBuf], system: bool) -> Arc<Mutex<Catalogue>> {
        let mut scanned = self.scanned.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (dirs.to_vec(), system);
        if let Some((_, c)) = scanned.iter().find(|(k, _)| *k == key) {
            return c.clone();
        }
        let c = Arc::new(Mutex::new(Catalogue::scan(dirs, system)));
        scanned.push((key, c.clone()));
        c
    }
}

impl Catalogue {
    /// Lists the faces in `dirs` (in that order) and, with `system`, in
    /// fontconfig's font directories.
    pub fn scan(dirs: &[PathBuf], system: bool) -> Catalogue {
        let mut entries = Vec::new();
        let mut rank = 0;
        for dir in dirs {
            let mut db = fontdb::Database::new();
            db.load_fonts_dir(dir);
            collect(&db, rank, &mut entries);
            rank += 1;
        }
        if system {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            collect(&db, rank, &mut entries);
        }
        // fontdb lists a directory in the order the file system gives:
        // sort, so the choice does not depend on it.
        entries.sort_by(|a, b| (a.dir_rank, &a.path, a.index).cmp(&(b.dir_rank, &b.path, b.index)));
        entries.dedup_by(|a, b| a.path == b.path && a.index == b.index);
        Catalogue {
            entries,
            coverage: HashMap::new(),
        }
    }

    /// The entries in the order of preference for `want`.
    pub fn ranked(&self, want: &Want) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.entries.len()).collect();
        order.sort_by_key(|&i| rank(&self.entries[i], want));
        order
    }

    /// Whether entry `i` has a glyph for `c`. A file is read once, for all
    /// its faces; only their character lists are kept.
    pub fn covers(&mut self, i: usize, c: char) -> bool {
        if !self.coverage.contains_key(&i) {
            let path = self.entries[i].path.clone();
            let data = std::fs::read(&path).unwrap_or_default();
            for (k, e) in self.entries.iter().enumerate() {
                if e.path == path {
                    self.coverage.insert(k, codepoints(&data, e.index));
                }
            }
            self.coverage.entry(i).or_default();
        }
        self.coverage[&i].binary_search(&u32::from(c)).is_ok()
    }
}

/// The preference key of `e` for `want`: smaller is better (points 1–5).
pub fn rank<'e>(e: &'e Entry, want: &Want) -> impl Ord + 'e {
    let han = u8::from(e.han.is_some_and(|h| h != want.han));
    let script = u8::from(want.script.is_some_and(|n| !e.family.contains(n)));
    let class = u8::from(e.class != want.class);
    let weight = e.weight.abs_diff(if want.bold { 700 } else { 400 });
    let italic = u8::from(e.italic != want.italic);
    let stretch = e.stretch.abs_diff(5);
    (
        han,
        u8::from(e.special),
        script,
        class,
        weight,
        italic,
        stretch,
        e.dir_rank,
        &e.path,
        e.index,
    )
}

fn collect(db: &fontdb::Database, dir_rank: usize, out: &mut Vec<Entry>) {
    for f in db.faces() {
        let fontdb::Source::File(path) = &f.source else {
            continue;
        };
        let family = f
            .families
            .first()
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        out.push(Entry {
            path: path.clone(),
            index: f.index,
            class: class_of(&family, f.monospaced),
            han: han_of_family(&family),
            special: is_special(&family),
            family,
            weight: f.weight.0,
            italic: f.style != fontdb::Style::Normal,
            stretch: f.stretch.to_number(),
            dir_rank,
        });
    }
}

fn class_of(family: &str, monospaced: bool) -> Class {
    if monospaced || family.contains("Mono") {
        Class::Mono
    } else if ["Serif", "Naskh", "Mincho", "Song", "Ming", "Times"]
        .iter()
        .any(|k| family.contains(k))
    {
        Class::Serif
    } else {
        Class::Sans
    }
}

/// The Han forms a family is made for, from its name's last word
/// ("Noto Serif CJK JP").
fn han_of_family(family: &str) -> Option<Han> {
    match family.rsplit(' ').next()? {
        "JP" | "Japanese" => Some(Han::Japanese),
        "KR" | "Korean" => Some(Han::Korean),
        "SC" | "CN" => Some(Han::Simplified),
        "TC" | "TW" => Some(Han::Traditional),
        "HK" => Some(Han::HongKong),
        _ => None,
    }
}

fn is_special(family: &str) -> bool {
    let words: Vec<&str> = family.split(' ').collect();
    words.iter().any(|w| {
        matches!(
            *w,
            "UI" | "Display" | "Kufi" | "Rashi" | "Emoji" | "Color" | "Symbols" | "Symbols2"
        )
    })
}

/// Every code point face `index` of the font file `data` maps, sorted
/// (empty when it cannot be read).
fn codepoints(data: &[u8], index: u32) -> Vec<u32> {
    use skrifa::MetadataProvider;
    let Ok(font) = skrifa::FontRef::from_index(data, index) else {
        return Vec::new();
    };
    let mut v: Vec<u32> = font.charmap().mappings().map(|(c, _)| c).collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_is_scanned_once_per_set_of_folders() {
        let kept = Catalogues::new();
        let dir = std::env::temp_dir();
        let a = kept.get(std::slice::from_ref(&dir), false);
        let b = kept.get(std::slice::from_ref(&dir), false);
        let c = kept.get(&[], false);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
    }

    fn entry(family: &str, weight: u16, path: &str) -> Entry {
        Entry {
            path: path.into(),
            index: 0,
            family: family.into(),
            weight,
            italic: false,
            stretch: 5,
            class: class_of(family, false),
            han: han_of_family(family),
            special: is_special(family),
            dir_rank: 1,
        }
    }

    #[test]
    fn language_then_style_then_weight_decide() {
        let faces = [
            entry("Noto Sans CJK SC", 400, "/a"),
            entry("Noto Serif CJK SC", 400, "/b"),
            entry("Noto Serif CJK JP", 700, "/c"),
            entry("Noto Serif CJK JP", 400, "/d"),
            entry("Noto Sans CJK JP", 400, "/e"),
            entry("Noto Sans Arabic UI", 400, "/f"),
            entry("Noto Sans Arabic", 400, "/g"),
            entry("Noto Naskh Arabic", 400, "/h"),
            entry("DejaVu Sans", 400, "/0"),
        ];
        let cat = Catalogue {
            entries: faces.to_vec(),
            coverage: HashMap::new(),
        };
        let first = |class, bold, han| {
            let w = Want {
                class,
                bold,
                italic: false,
                han,
                script: Some("CJK"),
            };
            cat.entries[cat.ranked(&w)[0]].path.clone()
        };
        let sc = |p: &str| PathBuf::from(p);
        // Japanese wants the JP faces even in sans, Chinese the SC ones.
        assert_eq!(first(Class::Serif, false, Han::Japanese), sc("/d"));
        assert_eq!(first(Class::Serif, true, Han::Japanese), sc("/c"));
        assert_eq!(first(Class::Sans, false, Han::Japanese), sc("/e"));
        assert_eq!(first(Class::Serif, false, Han::Simplified), sc("/b"));
        assert_eq!(first(Class::Sans, false, Han::Simplified), sc("/a"));
        // Naskh counts as serif; UI faces come last.
        let order = cat.ranked(&Want {
            class: Class::Sans,
            bold: false,
            italic: false,
            han: Han::Simplified,
            script: Some("Arabic"),
        });
        let pos = |p: &str| order.iter().position(|&i| cat.entries[i].path == sc(p));
        assert!(pos("/g") < pos("/h") && pos("/h") < pos("/f"));
        // A face made for Arabic before a sans that merely covers it, even
        // one that sorts first by path.
        assert!(pos("/g") < pos("/0") && pos("/h") < pos("/0"));
        assert_eq!(class_of("Noto Naskh Arabic", false), Class::Serif);
    }
}
