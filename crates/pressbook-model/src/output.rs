//! Writing output files atomically: a temporary file in the same folder,
//! flushed to disk, then renamed over the target. A build that fails or is
//! killed never leaves a partial file where a good one was.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Temporary files end in this, never in `.epub`/`.pdf`, so a reader never
/// mistakes one for a finished book.
const TMP_SUFFIX: &str = ".pressbook-tmp";

/// Writes `path` atomically with whatever `write` puts in the file.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut File) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .context("output path has no file name")?;
    let tmp = dir.join(format!(".{name}.{}{TMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        write(&mut f)?;
        f.flush()?;
        f.sync_all()
            .with_context(|| format!("cannot flush {}", tmp.display()))?;
        fs::rename(&tmp, path)
            .with_context(|| format!("cannot move the new file to {}", path.display()))?;
        // Make the rename itself durable.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes `path` atomically through a buffer; returns the file's size.
pub fn write_buffered(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&mut File>) -> anyhow::Result<()>,
) -> anyhow::Result<u64> {
    write_atomic(path, |f| {
        let mut w = std::io::BufWriter::new(f);
        write(&mut w)?;
        w.flush()?;
        Ok(())
    })?;
    Ok(fs::metadata(path)?.len())
}

/// Writes bytes atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic(path, |f| Ok(f.write_all(bytes)?))
}

/// Removes temporaries left by builds that were killed. Returns what it removed.
pub fn clean_stale(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            let stale = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.') && n.ends_with(TMP_SUFFIX));
            if stale && fs::remove_file(&p).is_ok() {
                removed.push(p);
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pressbook-out-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn failed_write_keeps_the_old_file_and_no_temporary() {
        let d = scratch("fail");
        let target = d.join("book.epub");
        fs::write(&target, b"good").unwrap();
        let r = write_atomic(&target, |f| {
            f.write_all(b"half")?;
            anyhow::bail!("boom")
        });
        assert!(r.is_err());
        assert_eq!(fs::read(&target).unwrap(), b"good");
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1);
        write_bytes(&target, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn stale_temporaries_are_cleaned() {
        let d = scratch("stale");
        fs::write(d.join(".book.epub.123.pressbook-tmp"), b"x").unwrap();
        fs::write(d.join("keep.epub"), b"x").unwrap();
        assert_eq!(clean_stale(&d).len(), 1);
        assert!(d.join("keep.epub").exists());
        fs::remove_dir_all(d).unwrap();
    }
}
