//! `build --watch`: rebuild whenever an article, image or the manifest changes.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher};

use crate::{build, BuildError, BuildOptions, BuildReport};

/// Changes closer together than this make one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// Builds once, then again after every change under the digest folder
/// (outside the output folder), calling `on_build` with each result. Returns
/// only when watching fails.
pub fn watch(
    opts: &BuildOptions,
    mut on_build: impl FnMut(Result<BuildReport, BuildError>),
) -> anyhow::Result<()> {
    let out_dir = opts.out.clone().unwrap_or_else(|| opts.dir.join("dist"));
    on_build(build(opts));
    let out_dir = out_dir.canonicalize().unwrap_or(out_dir);

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })
    .context("cannot start watching files")?;
    watcher
        .watch(&opts.dir, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", opts.dir.display()))?;

    loop {
        let event = rx.recv().context("the file watcher stopped")?;
        if !matters(&event, &out_dir) {
            continue;
        }
        // Let a burst of saves settle into one rebuild.
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(_) => continue,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    anyhow::bail!("the file watcher stopped")
                }
            }
        }
        on_build(build(opts));
    }
}

/// Whether a file event should trigger a rebuild.
fn matters(event: &notify::Result<notify::Event>, out_dir: &Path) -> bool {
    let Ok(event) = event else { return false };
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        let p: PathBuf = p.canonicalize().unwrap_or_else(|_| p.clone());
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') || n.ends_with('~'));
        !p.starts_with(out_dir) && !hidden
    })
}
