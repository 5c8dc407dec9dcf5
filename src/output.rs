//! Writing a built site atomically: everything goes into a staging folder
//! beside the output, which is swapped in only when complete. A failed or
//! killed build leaves the previous output exactly as it was. A file whose
//! bytes are the same as last time is hard-linked from the previous output
//! instead of written again (creating files is most of a build's system time).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// Where rendered files go. Paths are relative to the output root and use `/`.
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()>;
    fn copy(&self, from: &Path, path: &str) -> Result<()>;
}

/// The file in an output folder that lists each file's content hash, so the
/// next build can tell which files it may link rather than write.
pub const MANIFEST: &str = ".brum-manifest";

/// A folder being filled beside the real output; see [`Staging::commit`].
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    // Held for the staging folder's life: one build at a time per output.
    _lock: fs::File,
    committed: bool,
    /// The previous output's manifest: path → hash of its bytes.
    previous: HashMap<String, u64>,
    /// This build's manifest.
    written: Mutex<Vec<(String, u64)>>,
    linked: AtomicUsize,
    /// The folders made in the staging folder so far. Asking the system for
    /// one that exists is a failed `mkdir` that locks its parent against the
    /// file creations going on in it; the search index puts 10,000 files in
    /// one folder.
    folders: Mutex<HashSet<String>>,
}

fn read_manifest(output: &Path) -> HashMap<String, u64> {
    let Ok(text) = fs::read_to_string(output.join(MANIFEST)) else {
        return HashMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let (hash, path) = line.split_once('\t')?;
            Some((path.to_string(), u64::from_str_radix(hash, 16).ok()?))
        })
        .collect()
}

const MARK: &str = ".brum-";

fn staging_prefix(output: &Path) -> String {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    format!(".{name}{MARK}")
}

impl Staging {
    /// Creates an empty staging folder beside `output`, after clearing what
    /// earlier killed builds left there.
    pub fn begin(output: &Path) -> Result<Staging> {
        let output = absolute(output);
        let parent = output
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        crate::fs::create_dir_all(&parent)?;
        if output.exists() && !output.is_dir() {
            return Err(Error::io(
                "replace",
                &output,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "it is a file, not a folder",
                ),
            ));
        }
        let prefix = staging_prefix(&output);
        let lock_path = parent.join(format!("{prefix}lock"));
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io("create the lock file", &lock_path, e))?;
        // Waits for another build of the same output to end; released when
        // the file is closed, or by the system if this process is killed.
        lock.lock().map_err(|e| Error::io("lock", &lock_path, e))?;
        // Under the lock, anything else with our prefix is a leftover.
        if let Ok(entries) = fs::read_dir(&parent) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(&prefix) && !name.ends_with("lock") {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = parent.join(format!("{prefix}new-{}", std::process::id()));
        fs::create_dir(&dir).map_err(|e| Error::io("create the staging folder", &dir, e))?;
        Ok(Staging {
            previous: read_manifest(&output),
            output,
            dir,
            _lock: lock,
            committed: false,
            written: Mutex::new(Vec::new()),
            linked: AtomicUsize::new(0),
            folders: Mutex::new(HashSet::new()),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn target(&self, path: &str) -> Result<PathBuf> {
        let target = self.dir.join(path);
        let Some((folder, _)) = path.rsplit_once('/') else {
            return Ok(target);
        };
        let folders = || self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if !folders().contains(folder) {
            let parent = self.dir.join(folder);
            fs::create_dir_all(&parent).map_err(|e| Error::io("create the folder", &parent, e))?;
            folders().insert(folder.to_string());
        }
        Ok(target)
    }

    /// How many files were linked from the previous output.
    pub fn linked(&self) -> usize {
        self.linked.load(Ordering::Relaxed)
    }

    /// Writes this build's manifest into the staging folder, so it is
    /// swapped in with the files it describes.
    fn write_manifest(&self) -> Result<()> {
        let mut entries =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        entries.sort();
        let mut text = String::with_capacity(entries.len() * 48);
        for (path, hash) in entries {
            text.push_str(&format!("{hash:016x}\t{path}\n"));
        }
        crate::fs::write(&self.dir.join(MANIFEST), text.as_bytes())
    }

    /// Swaps the staging folder in as the output, and removes the old one.
    pub fn commit(mut self) -> Result<()> {
        self.write_manifest()?;
        if self.output.exists() {
            match exchange(&self.dir, &self.output) {
                Ok(()) => {}
                // No atomic exchange here (Windows; or a file system without
                // one): two renames, with the old output kept until the new
                // one is in place. Between the two the output folder does not
                // exist for a moment; a failed second rename puts the old one
                // back.
                Err(_) => {
                    let old = self.dir.with_file_name(format!(
                        "{}old-{}",
                        staging_prefix(&self.output),
                        std::process::id()
                    ));
                    crate::fs::rename(&self.output, &old)?;
                    if let Err(e) = crate::fs::rename(&self.dir, &self.output) {
                        let _ = fs::rename(&old, &self.output);
                        return Err(e);
                    }
                    self.dir = old;
                }
            }
            // `dir` now holds the previous output.
            crate::fs::remove_dir_all(&self.dir)?;
        } else {
            crate::fs::rename(&self.dir, &self.output)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.target(path)?;
        // Names a manifest line cannot hold are simply always written.
        if path.contains(['\t', '\n', '\r']) {
            return crate::fs::write(&target, bytes);
        }
        let hash = crate::cache::hash_bytes(bytes);
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), hash));
        if self.previous.get(path) == Some(&hash)
            && fs::hard_link(self.output.join(path), &target).is_ok()
        {
            self.linked.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        crate::fs::write(&target, bytes)
    }

    fn copy(&self, from: &Path, path: &str) -> Result<()> {
        let bytes = fs::read(from).map_err(|e| Error::io("read", from, e))?;
        self.write(path, &bytes)
    }
}

/// Swaps two folders in one step, where the system can: Linux's
/// `renameat2(RENAME_EXCHANGE)`, macOS's `renamex_np(RENAME_SWAP)`.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(Into::into)
}

/// Windows has no way to swap two folders in one step (`ReplaceFileW` and
/// `MoveFileExW` replace files only): the caller falls back to two renames.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange of folders on this system",
    ))
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_old_output_and_leaves_no_staging() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.write("a/index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "public" && !n.ends_with("lock"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn dropped_staging_leaves_output_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        {
            let staging = Staging::begin(&out).unwrap();
            staging.write("index.html", b"half").unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            2,
            "only public and the lock file remain"
        );
    }

    #[test]
    fn unchanged_files_are_linked_from_the_previous_output() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::begin(&out).unwrap();
        first.write("same.html", b"same").unwrap();
        first.write("changes.html", b"one").unwrap();
        first.commit().unwrap();
        let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let (same, changes) = (inode("same.html"), inode("changes.html"));
        let second = Staging::begin(&out).unwrap();
        second.write("same.html", b"same").unwrap();
        second.write("changes.html", b"two").unwrap();
        assert_eq!(second.linked(), 1);
        second.commit().unwrap();
        assert_eq!(inode("same.html"), same, "linked, not written again");
        assert_ne!(inode("changes.html"), changes);
        assert_eq!(fs::read_to_string(out.join("changes.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(out.join("same.html")).unwrap(), "same");
    }
}
