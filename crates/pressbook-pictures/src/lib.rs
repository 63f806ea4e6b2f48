//! The image step, between the model and the writers: every picture of a
//! [`Digest`] prepared for one output's [`PictureTarget`] (size, format,
//! orientation, metadata, grey), in parallel and deterministically (the
//! same bytes for any thread count), cached by input bytes and settings,
//! and, for outputs with a budget, stepped down until the whole book fits
//! ([`budget`]). The writers see only the prepared [`Digest`]; nothing here
//! reads article files or reaches into loading.

pub mod budget;
mod cache;
mod prepare;
mod strip;

use pressbook_model::diag::Diagnostic;
use pressbook_model::model::{Asset, Digest};
use pressbook_model::picture::PictureTarget;
use rayon::prelude::*;

pub use cache::Cache;
pub use prepare::Level;

/// A digest's pictures prepared for one output.
pub struct Prepared {
    pub assets: Vec<Asset>,
    /// One note per picture the reader should know about.
    pub notes: Vec<Diagnostic>,
}

/// Prepares every picture of `digest` for `target`, each at its level
/// (`levels` empty: all at the target itself).
pub fn prepare(
    digest: &Digest,
    target: &PictureTarget,
    levels: &[Level],
    cache: Option<&Cache>,
) -> anyhow::Result<Prepared> {
    let fitted: Vec<(Asset, Option<String>)> = digest
        .assets
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            let level = levels.get(i).copied().unwrap_or_default();
            fit_cached(a, target, level, cache)
        })
        .collect::<anyhow::Result<_>>()?;
    let mut assets = Vec::with_capacity(fitted.len());
    let mut notes = Vec::new();
    for (a, note) in fitted {
        if let Some(n) = note {
            notes.push(Diagnostic::warning(n).at(&a.source));
        }
        assets.push(a);
    }
    Ok(Prepared { assets, notes })
}

/// `digest` with its pictures replaced by `assets` (names may change with
/// the format; ids stay).
pub fn with_assets(digest: &Digest, assets: Vec<Asset>) -> Digest {
    let mut d = digest.clone();
    d.assets = assets;
    d
}

pub(crate) fn fit_cached(
    a: &Asset,
    target: &PictureTarget,
    level: Level,
    cache: Option<&Cache>,
) -> anyhow::Result<(Asset, Option<String>)> {
    if a.format.raster().is_none() {
        return Ok((a.clone(), None));
    }
    let key = cache.map(|_| Cache::key(a, target, level));
    if let (Some(c), Some(k)) = (cache, &key) {
        // Animated GIFs are never kept (their note must be said again).
        if let Some((format, w, h, data)) = c.get(k) {
            return Ok((prepare::with_data(a, format, data, w, h), None));
        }
    }
    let fitted = prepare::fit(a, target, level)
        .map_err(|e| anyhow::anyhow!("cannot prepare the image {}: {e}", a.source.display()))?;
    if let (Some(c), Some(k), None) = (cache, &key, &fitted.note) {
        c.put(k, &fitted.asset);
    }
    Ok((fitted.asset, fitted.note))
}
