//! Fitting a whole book to a size (`[images] budget`, `build
//! --image-budget`, `send --max-size`): the largest pictures step down
//! first, JPEG quality before size ([`Level`]), and the book is rendered
//! again until it fits. A book that cannot fit, because its text and
//! other files alone are too large, is refused with the reason.

use pressbook_model::model::Digest;
use pressbook_model::picture::PictureTarget;

use crate::{fit_cached, prepare, with_assets, Cache, Level, Prepared};

/// Rounds of stepping down before giving up (each renders the book).
const MAX_ROUNDS: usize = 12;

/// A book fitted to its budget.
pub struct Fitted {
    pub prepared: Prepared,
    /// The rendered book.
    pub book: Vec<u8>,
    /// One line saying what was done, when anything was.
    pub summary: Option<String>,
}

/// Renders `digest` with its pictures prepared for `target`, stepping the
/// largest pictures down until the book is at most `budget` bytes.
pub fn fit(
    digest: &Digest,
    target: &PictureTarget,
    budget: u64,
    cache: Option<&Cache>,
    render: &mut dyn FnMut(&Digest) -> anyhow::Result<Vec<u8>>,
) -> anyhow::Result<Fitted> {
    let mut levels = vec![Level::default(); digest.assets.len()];
    let mut prepared = prepare(digest, target, &levels, cache)?;
    let mut book = render(&with_assets(digest, prepared.assets.clone()))?;
    let first = book.len() as u64;
    for _ in 0..MAX_ROUNDS {
        if book.len() as u64 <= budget {
            break;
        }
        // Aim a little under: the zip's own overhead moves with the data.
        let need = (book.len() as u64 - budget) + budget / 100;
        let mut order: Vec<usize> = (0..levels.len())
            .filter(|&i| levels[i] < Level::MAX && digest.assets[i].format.raster().is_some())
            .collect();
        if order.is_empty() {
            break;
        }
        order.sort_by_key(|&i| (std::cmp::Reverse(prepared.assets[i].data.len()), i));
        let mut saved = 0u64;
        for i in order {
            let old = prepared.assets[i].data.len() as u64;
            levels[i] = levels[i].next().unwrap_or(Level::MAX);
            let (a, _) = fit_cached(&digest.assets[i], target, levels[i], cache)?;
            saved += old.saturating_sub(a.data.len() as u64);
            prepared.assets[i] = a;
            if saved >= need {
                break;
            }
        }
        book = render(&with_assets(digest, prepared.assets.clone()))?;
    }
    let size = book.len() as u64;
    if size > budget {
        let pictures: u64 = prepared.assets.iter().map(|a| a.data.len() as u64).sum();
        anyhow::bail!(
            "the book cannot be made to fit {}: with every picture at its smallest it is {} ({} of it text, fonts and other files); raise the budget, leave out articles, or send another format",
            mb(budget),
            mb(size),
            mb(size.saturating_sub(pictures))
        );
    }
    let stepped: Vec<usize> = (0..levels.len())
        .filter(|&i| levels[i] > Level(0))
        .collect();
    let summary = (!stepped.is_empty()).then(|| {
        let quality = stepped
            .iter()
            .map(|&i| levels[i].apply(target, u32::MAX, u32::MAX).0)
            .min()
            .unwrap_or(target.quality);
        let smaller = stepped.iter().filter(|&&i| levels[i] > Level(4)).count();
        let also = if smaller > 0 {
            format!(", {smaller} of them also made smaller")
        } else {
            String::new()
        };
        format!(
            "pictures fitted to the {} budget: {} of {} re-encoded (JPEG quality down to {quality}){also}; {} → {}",
            mb(budget),
            stepped.len(),
            levels.len(),
            mb(first),
            mb(size)
        )
    });
    Ok(Fitted {
        prepared,
        book,
        summary,
    })
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
