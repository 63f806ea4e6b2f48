//! Loading a digest folder: manifest, articles, ordering into sections.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;

use crate::diag::{Diagnostic, Sink};
use crate::manifest::{self, ArticleOrder, ArticleRef, EpubSettings, Manifest, PdfSettings};
use crate::model::{Article, Digest, DigestMeta, House, Section};
use crate::render::Settings;
use crate::source::{self, markdown::slug, AssetStore, Limits};
use crate::typography::smart;

/// Options for loading a digest.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Allow article paths outside the digest folder.
    pub allow_outside: bool,
    pub limits: Limits,
    /// Stands in for "today" when the manifest has no date (tests, reproducible builds).
    pub today: Option<NaiveDate>,
    /// `SOURCE_DATE_EPOCH`, when set.
    pub source_date_epoch: Option<i64>,
    /// `--font-path`: folders searched for fonts before the manifest's
    /// `[fonts] path` and the system's.
    pub font_path: Vec<PathBuf>,
    /// `--no-system-fonts`: search no system font folder.
    pub no_system_fonts: bool,
    /// `build --image-budget`: overrides `[images] budget`.
    pub image_budget: Option<u64>,
}

impl LoadOptions {
    /// Options from the environment: `SOURCE_DATE_EPOCH` is honoured.
    pub fn from_env() -> Self {
        LoadOptions {
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .and_then(|v| v.trim().parse().ok()),
            ..Default::default()
        }
    }
}

/// A loaded digest folder: the manifest, the model, and the manifest's
/// settings for the outputs that read them.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub manifest: Manifest,
    pub digest: Digest,
    pub settings: Settings,
}

/// Loads and validates a digest folder. Every problem found is in the
/// returned diagnostics; the result is `None` when any of them is an error.
pub fn digest(dir: &Path, opts: &LoadOptions) -> (Option<Loaded>, Sink) {
    let mut diags = Sink::new();
    let Some(manifest) = manifest::load(dir, opts.allow_outside, &mut diags) else {
        return (None, diags);
    };
    let root = (!opts.allow_outside).then(|| confine_root(dir));
    let mut pdf = pdf_settings(&manifest, root.as_deref(), &mut diags);
    let epub = epub_settings(&manifest, &mut diags);
    for d in &pdf.fonts.dirs {
        if !d.is_dir() {
            diags.push(
                Diagnostic::error(format!("font folder {} does not exist", d.display()))
                    .at(manifest.dir.join(manifest::MANIFEST_NAME))
                    .hint("fix the folder under [fonts] path (relative to the digest folder) or remove it"),
            );
        }
    }
    for d in opts.font_path.iter().rev() {
        if !d.is_dir() {
            diags.push(
                Diagnostic::error(format!("--font-path {} is not a folder", d.display()))
                    .hint("give a folder that holds .ttf, .otf or .ttc files"),
            );
        }
        pdf.fonts.dirs.insert(0, d.clone());
    }
    if opts.no_system_fonts {
        pdf.fonts.system_fonts = false;
    }
    let digest = assemble(&manifest, opts, root.as_deref(), &mut diags);
    if diags.has_errors() {
        return (None, diags);
    }
    let settings = Settings {
        pdf,
        epub,
        html: manifest.html.clone(),
        images: crate::picture::ImageSettings {
            budget: opts.image_budget.or(manifest.images.budget),
            ..manifest.images.clone()
        },
    };
    (
        Some(Loaded {
            manifest,
            digest,
            settings,
        }),
        diags,
    )
}

/// The EPUB's settings: `[style] css` read, which must be UTF-8 text.
fn epub_settings(m: &Manifest, diags: &mut Sink) -> EpubSettings {
    let Some(path) = &m.style.css else {
        return EpubSettings::default();
    };
    let manifest_path = m.dir.join(manifest::MANIFEST_NAME);
    let problem = |message: String, hint: &str| {
        Diagnostic::error(message)
            .at(&manifest_path)
            .hint(hint.to_string())
    };
    let css = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text.trim_start_matches('\u{feff}').to_string()),
            Err(e) => {
                diags.push(problem(
                    format!(
                        "[style] css: {} is not UTF-8 text (bad byte at offset {})",
                        path.display(),
                        e.utf8_error().valid_up_to()
                    ),
                    "save the stylesheet as UTF-8",
                ));
                None
            }
        },
        Err(e) => {
            diags.push(problem(
                format!("[style] css: cannot read {}: {e}", path.display()),
                "fix the path (relative to the digest folder) or remove the key",
            ));
            None
        }
    };
    EpubSettings { css }
}

/// The house style: the accent, and the logo loaded as one of the digest's
/// images (after the articles' own, so their names do not change).
fn house(
    m: &Manifest,
    opts: &LoadOptions,
    root: Option<&Path>,
    assets: &mut AssetStore,
    diags: &mut Sink,
) -> House {
    let logo =
        m.style
            .logo
            .as_ref()
            .and_then(|path| match assets.load_named(path, root, &opts.limits) {
                Ok(id) => {
                    for d in assets.take_notes() {
                        diags.push(d.at(m.dir.join(manifest::MANIFEST_NAME)));
                    }
                    Some(id)
                }
                Err(mut d) => {
                    d.message = format!("[style] logo: {}", d.message);
                    if d.message.contains("cannot be read") {
                        d.hint = Some(
                            "fix the path (relative to the digest folder) or remove the key".into(),
                        );
                    }
                    diags.push(d.at(m.dir.join(manifest::MANIFEST_NAME)));
                    None
                }
            });
    House {
        accent: m.style.accent,
        logo,
    }
}

/// The manifest's PDF settings with its font files checked, plus the font
/// files dropped into the digest's own `fonts/` folder as fallbacks (in
/// file-name order, so the output does not depend on the directory listing).
fn pdf_settings(m: &Manifest, root: Option<&Path>, diags: &mut Sink) -> PdfSettings {
    let mut pdf = m.pdf.clone();
    let manifest_path = m.dir.join(manifest::MANIFEST_NAME);
    for p in pdf.fonts.files() {
        if !p.is_file() {
            diags.push(
                Diagnostic::error(format!("font file {} does not exist", p.display()))
                    .at(&manifest_path)
                    .hint("fix the path (relative to the digest folder) or remove the key"),
            );
        } else if outside(p, root) {
            diags.push(
                Diagnostic::error(format!(
                    "font file {} lies outside the digest folder",
                    p.display()
                ))
                .at(&manifest_path)
                .hint("copy the font into the digest's fonts/ folder, or pass --allow-outside"),
            );
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(m.dir.join("fonts"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("ttf") || e.eq_ignore_ascii_case("otf"))
        })
        .filter(|p| !pdf.fonts.files().any(|named| named == p))
        .filter(|p| {
            let out = outside(p, root);
            if out {
                diags.push(
                    Diagnostic::error(format!(
                        "font file {} links to a file outside the digest folder",
                        p.display()
                    ))
                    .at(p)
                    .hint("copy the font itself into fonts/, or pass --allow-outside"),
                );
            }
            !out
        })
        .collect();
    found.sort();
    pdf.fonts.fallback.extend(found);
    pdf
}

/// The digest folder with symlinks resolved: files must lie inside it.
fn confine_root(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// Whether `path`, symlinks resolved, lies outside `root` (never, when
/// there is no root: `--allow-outside`).
fn outside(path: &Path, root: Option<&Path>) -> bool {
    root.is_some_and(|root| path.canonicalize().is_ok_and(|p| !p.starts_with(root)))
}

/// The listed articles that exist and lie inside the folder (symlinks
/// resolved); each other one is an error at the manifest line that lists it.
fn existing(
    refs: Vec<(usize, ArticleRef)>,
    m: &Manifest,
    root: Option<&Path>,
    diags: &mut Sink,
) -> Vec<(usize, ArticleRef)> {
    let manifest_path = m.dir.join(manifest::MANIFEST_NAME);
    refs.into_iter()
        .filter(|(_, r)| {
            let problem = if !r.path.is_file() {
                Some((
                    format!("article {:?} does not exist", r.listed),
                    format!("expected a file at {}", r.path.display()),
                ))
            } else if outside(&r.path, root) {
                Some((
                    format!(
                        "article {:?} links to a file outside the digest folder",
                        r.listed
                    ),
                    "copy the article into the digest folder, or pass --allow-outside".to_string(),
                ))
            } else {
                None
            };
            if let Some((message, hint)) = &problem {
                let mut d = Diagnostic::error(message.clone())
                    .at(&manifest_path)
                    .hint(hint.clone());
                if r.line > 0 {
                    d = d.line(r.line);
                }
                diags.push(d);
            }
            problem.is_none()
        })
        .collect()
}

/// The model from a manifest: its articles loaded, grouped, numbered.
fn assemble(m: &Manifest, opts: &LoadOptions, root: Option<&Path>, diags: &mut Sink) -> Digest {
    let (group_titles, refs) = article_refs(m, diags);
    let refs = existing(refs, m, root, diags);
    let (grouped, mut assets) = load_articles(&refs, group_titles.len(), m, opts, root, diags);
    let house = house(m, opts, root, &mut assets, diags);
    let mut groups = into_groups(m, group_titles, grouped);
    warn_empty(&groups, m, diags);
    groups.retain(|(_, a)| !a.is_empty());
    let sections = number(groups);
    let mut digest = Digest {
        meta: digest_meta(m, opts),
        files: sections
            .iter()
            .flat_map(|s| &s.articles)
            .map(|a| (crate::model::normal_path(&a.path), a.id.clone()))
            .collect(),
        sections,
        assets: assets.into_assets(),
        house,
    };
    crate::links::enforce(&mut digest, diags);
    for a in digest.sections.iter_mut().flat_map(|s| &mut s.articles) {
        crate::model::close_heading_gaps(&mut a.body);
    }
    digest
}

/// A section title (or none) per group, and every article to load with the
/// index of its group.
type Refs = (Vec<Option<String>>, Vec<(usize, ArticleRef)>);

fn article_refs(m: &Manifest, diags: &mut Sink) -> Refs {
    match &m.order {
        ArticleOrder::Sections(plans) => (
            plans.iter().map(|p| Some(p.title.clone())).collect(),
            plans
                .iter()
                .enumerate()
                .flat_map(|(i, p)| p.articles.iter().map(move |r| (i, r.clone())))
                .collect(),
        ),
        ArticleOrder::Flat(refs) => (vec![None], refs.iter().map(|r| (0, r.clone())).collect()),
        ArticleOrder::Discover => (
            vec![None],
            discover(&m.dir, diags)
                .into_iter()
                .map(|r| (0, r))
                .collect(),
        ),
    }
}

/// Reads and parses the articles in parallel, merging diagnostics and
/// assets in reading order so the result does not depend on the thread
/// count. Returns the articles of each group.
fn load_articles(
    refs: &[(usize, ArticleRef)],
    groups: usize,
    m: &Manifest,
    opts: &LoadOptions,
    root: Option<&Path>,
    diags: &mut Sink,
) -> (Vec<Vec<Article>>, AssetStore) {
    let loaded: Vec<(usize, Option<Article>, Sink, AssetStore)> = refs
        .par_iter()
        .map(|(group, r)| {
            let mut d = Sink::new();
            let mut store = AssetStore::confined_to(root.map(Path::to_path_buf));
            let a = source::load_article(&r.path, &m.language, &opts.limits, &mut store, &mut d);
            (*group, a, d, store)
        })
        .collect();
    let mut assets = AssetStore::default();
    let mut grouped: Vec<Vec<Article>> = vec![Vec::new(); groups];
    for (group, article, d, store) in loaded {
        diags.extend(d);
        if let Some(mut a) = article {
            assets.absorb(store, &mut a);
            grouped[group].push(a);
        }
    }
    (grouped, assets)
}

/// (section title, articles) in reading order.
fn into_groups(
    m: &Manifest,
    titles: Vec<Option<String>>,
    mut grouped: Vec<Vec<Article>>,
) -> Vec<(Option<String>, Vec<Article>)> {
    match &m.order {
        ArticleOrder::Sections(_) => titles.into_iter().zip(grouped).collect(),
        ArticleOrder::Flat(_) => group_by_front_matter(grouped.pop().unwrap_or_default()),
        ArticleOrder::Discover => {
            let mut articles = grouped.pop().unwrap_or_default();
            // By date, then file name; undated articles last.
            articles.sort_by(|a, b| {
                let key = |x: &Article| (x.meta.date.is_none(), x.meta.date.map(|d| d.sort_key()));
                key(a).cmp(&key(b)).then_with(|| a.path.cmp(&b.path))
            });
            group_by_front_matter(articles)
        }
    }
}

/// A section without articles is a warning; a digest without any, an error.
fn warn_empty(groups: &[(Option<String>, Vec<Article>)], m: &Manifest, diags: &mut Sink) {
    for (title, articles) in groups {
        if articles.is_empty() && !diags.has_errors() {
            let mut d = Diagnostic::warning(match title {
                Some(t) => format!("section {t:?} has no articles"),
                None => "the digest has no articles".to_string(),
            })
            .at(m.dir.join(manifest::MANIFEST_NAME));
            if title.is_none() && !m.feeds.is_empty() {
                // A new digest before its first fetch: valid, not buildable.
                d = d.hint("run `pressbook fetch` to collect the articles of its [[feeds]]");
            } else if title.is_none() {
                d = d
                    .hint("list articles in pressbook.toml, or put .md/.txt files under articles/");
                d.severity = crate::diag::Severity::Error;
            }
            diags.push(d);
        }
    }
}

/// Final ids for sections and articles: unique and stable for the same input.
fn number(groups: Vec<(Option<String>, Vec<Article>)>) -> Vec<Section> {
    let mut n = 0;
    groups
        .into_iter()
        .enumerate()
        .map(|(i, (title, mut articles))| {
            for a in &mut articles {
                n += 1;
                let s = slug(&a.meta.title);
                a.id = if s.is_empty() {
                    format!("a{n:02}")
                } else {
                    format!("a{n:02}-{s}")
                };
            }
            let id = match &title {
                Some(t) if !slug(t).is_empty() => format!("s{}-{}", i + 1, slug(t)),
                _ => format!("s{}", i + 1),
            };
            Section {
                title,
                id,
                articles,
            }
        })
        .collect()
}

/// The digest's metadata; dates from the manifest, the options, or today.
fn digest_meta(m: &Manifest, opts: &LoadOptions) -> DigestMeta {
    let date = m
        .date
        .or(opts.today)
        .unwrap_or_else(|| Utc::now().date_naive());
    let modified = opts
        .source_date_epoch
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or_else(|| date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    let (identifier, uuid) = identifier(m.identifier.as_deref(), &m.title, date);
    DigestMeta {
        // The manifest's text gets the articles' typographer's quotes.
        title: smart(&m.title),
        subtitle: m.subtitle.as_deref().map(smart),
        editor: m.editor.clone(),
        publisher: m.publisher.clone(),
        language: m.language.clone(),
        date,
        identifier,
        uuid,
        rights: m.rights.as_deref().map(smart),
        description: m.description.as_deref().map(smart),
        modified,
    }
}

/// The identifier as given (a UUID inside it is used for the package), or
/// a name-based UUID from title and date, so rebuilds keep the same id.
fn identifier(given: Option<&str>, title: &str, date: NaiveDate) -> (String, uuid::Uuid) {
    match given {
        Some(id) => {
            let bare = id.strip_prefix("urn:uuid:").unwrap_or(id);
            match uuid::Uuid::parse_str(bare) {
                Ok(u) => (format!("urn:uuid:{u}"), u),
                Err(_) => (
                    id.to_string(),
                    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, id.as_bytes()),
                ),
            }
        }
        None => {
            let name = format!("pressbook:{title}:{date}");
            let u = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes());
            (format!("urn:uuid:{u}"), u)
        }
    }
}

/// Groups a flat list by front-matter `section`, sections in order of first
/// appearance. With no sections at all, one untitled group.
fn group_by_front_matter(articles: Vec<Article>) -> Vec<(Option<String>, Vec<Article>)> {
    if articles.iter().all(|a| a.meta.section.is_none()) {
        return vec![(None, articles)];
    }
    let mut groups: Vec<(Option<String>, Vec<Article>)> = Vec::new();
    for a in articles {
        let title = Some(
            a.meta
                .section
                .clone()
                .unwrap_or_else(|| "Other".to_string()),
        );
        match groups.iter_mut().find(|(t, _)| *t == title) {
            Some((_, v)) => v.push(a),
            None => groups.push((title, vec![a])),
        }
    }
    groups
}

/// Every `.md`/`.txt` under `DIR/articles`, sorted by path.
fn discover(dir: &Path, diags: &mut Sink) -> Vec<ArticleRef> {
    let root = dir.join("articles");
    let mut found: Vec<PathBuf> = Vec::new();
    let mut pending = vec![root.clone()];
    while let Some(d) = pending.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                if d != root || root.exists() {
                    diags.push(Diagnostic::error(format!("cannot list folder: {e}")).at(&d));
                }
                continue;
            }
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let ft = entry.file_type();
            if ft.as_ref().is_ok_and(|t| t.is_dir()) {
                pending.push(p);
            } else if source::Format::of(&p).is_some() {
                found.push(p);
            }
        }
    }
    found.sort();
    found
        .into_iter()
        .map(|path| ArticleRef {
            listed: path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .display()
                .to_string(),
            path,
            line: 0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_stable() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (a, ua) = identifier(None, "T", d);
        let (b, ub) = identifier(None, "T", d);
        assert_eq!((a.clone(), ua), (b, ub));
        assert!(a.starts_with("urn:uuid:"));
        let (c, _) = identifier(None, "T", d.succ_opt().unwrap());
        assert_ne!(a, c);
        let (isbn, u) = identifier(Some("urn:isbn:9780000000000"), "T", d);
        assert_eq!(isbn, "urn:isbn:9780000000000");
        assert_eq!(u.get_version_num(), 5);
        let (given, u) = identifier(
            Some("urn:uuid:6f1c2d3e-8a4b-5c6d-9e0f-1a2b3c4d5e6f"),
            "T",
            d,
        );
        assert_eq!(given, "urn:uuid:6f1c2d3e-8a4b-5c6d-9e0f-1a2b3c4d5e6f");
        assert_eq!(u.to_string(), "6f1c2d3e-8a4b-5c6d-9e0f-1a2b3c4d5e6f");
    }
}
