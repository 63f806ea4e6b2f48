//! `build --watch`: rebuild whenever an article, image or the manifest
//! changes, from one [`Project`] kept for the whole session.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher};

use crate::{BuildOptions, BuildReport, Error, Project};

/// Changes closer together than this make one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(250);
/// A steady stream of changes still rebuilds this often.
const MAX_DELAY: Duration = Duration::from_secs(2);

/// Builds once, then again after every change under the digest folder
/// (outside the output folder), calling `on_build` with each result. Returns
/// only when watching fails.
pub fn watch(
    opts: &BuildOptions,
    mut on_build: impl FnMut(Result<BuildReport, Error>),
) -> anyhow::Result<()> {
    let out_dir = opts.out_dir();
    let _ = std::fs::create_dir_all(&out_dir);
    let out_dir = out_dir.canonicalize().unwrap_or(out_dir);

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })
    .context("cannot start watching files")?;
    watcher
        .watch(&opts.dir, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", opts.dir.display()))?;
    // Watch first, then build: a change made during the first build is not missed.
    let mut project = None;
    on_build(rebuild(&mut project, opts));

    loop {
        let event = rx.recv().context("the file watcher stopped")?;
        if !matters(&event, &out_dir) {
            continue;
        }
        // Let a burst of saves settle into one rebuild. Only relevant events
        // extend the wait (someone reading dist/ must not hold it off).
        let mut quiet_since = Instant::now();
        let started = Instant::now();
        while quiet_since.elapsed() < DEBOUNCE && started.elapsed() < MAX_DELAY {
            match rx.recv_timeout(DEBOUNCE.saturating_sub(quiet_since.elapsed())) {
                Ok(e) if matters(&e, &out_dir) => quiet_since = Instant::now(),
                Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    anyhow::bail!("the file watcher stopped")
                }
            }
        }
        on_build(rebuild(&mut project, opts));
    }
}

/// Loads the project (again, when there is one) and builds it. A project
/// whose reload fails stays as it was, so the next change reloads it.
fn rebuild(project: &mut Option<Project>, opts: &BuildOptions) -> Result<BuildReport, Error> {
    let p = match project {
        Some(p) => {
            p.reload(opts.strict)?;
            p
        }
        None => project.insert(Project::load(&opts.dir, &opts.load, opts.strict)?),
    };
    crate::build_project(p, opts)
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
