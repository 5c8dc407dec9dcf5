//! Watching the site's folders: file events gathered into batches (a save
//! is often several events: a temporary file, a rename, a close), each path
//! classified by a pure function into what it means for the build.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{Event, RecursiveMode, Watcher as _};

use super::engine::Change;

/// The folders under the site root that are watched recursively.
pub const WATCHED_DIRS: [&str; 6] = ["content", "data", "static", "templates", "themes", "i18n"];

/// How long a batch waits for the next event before it is handed over. An
/// editor's save is a burst of events microseconds apart, so a short quiet
/// spell ends it; the rebuild does not wait longer than that for nothing.
const QUIET: Duration = Duration::from_millis(8);

/// The longest a batch gathers events while they keep coming (a checkout of
/// many files), so the preview is never held back for long.
const LONGEST: Duration = Duration::from_millis(250);

/// What changed on disk in one batch, or why the events could not be read.
pub type Batch = Result<Vec<Event>, Vec<notify::Error>>;

/// What a changed path means for the build; None when it means nothing.
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    if parts.iter().any(|p| crate::fs::is_editor_junk(p)) {
        return None;
    }
    let path = path.to_path_buf();
    match parts.as_slice() {
        ["site.toml"] => Some(Change::Config),
        ["content", _, ..] => Some(Change::Content(path)),
        ["data", _, ..] => Some(Change::Data(path)),
        ["static", _, ..] => Some(Change::Static(path)),
        ["templates" | "i18n", _, ..] => Some(Change::Templates(path)),
        ["themes", _, "static", _, ..] => Some(Change::Static(path)),
        ["themes", _, ..] => Some(Change::Templates(path)),
        // A watched folder itself appearing or going: treat it as a change
        // of its kind, so the next rebuild rescans it.
        ["content"] => Some(Change::Content(path)),
        ["data"] => Some(Change::Data(path)),
        ["static"] => Some(Change::Static(path)),
        ["templates" | "themes" | "i18n"] => Some(Change::Templates(path)),
        _ => None,
    }
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    watcher: notify::RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<Event>>,
    root: PathBuf,
}

impl Watcher {
    /// Watches `root` (for `site.toml`, not recursively) and each existing
    /// folder in [`WATCHED_DIRS`]. `root` should be absolute: the events
    /// name absolute paths.
    pub fn start(root: &Path) -> notify::Result<Watcher> {
        let (tx, events) = mpsc::channel();
        let watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })?;
        let mut watcher = Watcher {
            watcher,
            events,
            root: root.to_path_buf(),
        };
        watcher.watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED_DIRS {
            watcher.watch_dir(dir);
        }
        Ok(watcher)
    }

    /// Starts watching a top-level folder if it exists (it may be created
    /// while serving).
    pub fn watch_dir(&mut self, dir: &str) {
        let path = self.root.join(dir);
        if path.is_dir() {
            let _ = self.watcher.watch(&path, RecursiveMode::Recursive);
        }
    }

    /// Waits for the next batch: the first event, and those that follow it
    /// until a quiet spell ([`QUIET`]) or [`LONGEST`]. None when watching
    /// has stopped.
    pub fn next_batch(&self) -> Option<Batch> {
        let first = self.events.recv().ok()?;
        let started = Instant::now();
        let (mut events, mut errors) = (Vec::new(), Vec::new());
        let mut add = |event: notify::Result<Event>| match event {
            Ok(e) => events.push(e),
            Err(e) => errors.push(e),
        };
        add(first);
        while started.elapsed() < LONGEST {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => add(event),
                // Quiet, or the watcher gone: the batch is what came.
                Err(_) => break,
            }
        }
        Some(match errors.is_empty() {
            true => Ok(events),
            false => Err(errors),
        })
    }
}

/// Whether an event can mean new content. Reading a file is an event too
/// (the build's own reads would otherwise start the next build); closing a
/// file after writing it is the one access that counts.
pub fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The changes in a batch of events, without repeats, in order.
pub fn changes(root: &Path, events: &[Event]) -> Vec<Change> {
    // Some systems (macOS) name the real path, links resolved; it is taken
    // back to the root as given, the form the build's own paths have.
    let real = root.canonicalize().ok();
    let as_given = |path: &Path| match (path.strip_prefix(root), &real) {
        (Err(_), Some(real)) => path.strip_prefix(real).map(|rel| root.join(rel)).ok(),
        _ => None,
    };
    let mut out: Vec<Change> = Vec::new();
    for event in events.iter().filter(|e| is_change(&e.kind)) {
        for path in &event.paths {
            let path = as_given(path).unwrap_or_else(|| path.clone());
            if let Some(change) = classify(root, &path)
                && !out.contains(&change)
            {
                out.push(change);
            }
        }
    }
    out
}

/// A short description of a batch for the terminal: one path, or a count.
pub fn describe(root: &Path, changes: &[Change]) -> String {
    let path_of = |c: &Change| match c {
        Change::Config => PathBuf::from("site.toml"),
        Change::Templates(p) | Change::Static(p) | Change::Content(p) | Change::Data(p) => {
            p.strip_prefix(root).unwrap_or(p).to_path_buf()
        }
    };
    match changes {
        [] => "nothing".to_string(),
        [one] => path_of(one).display().to_string(),
        [first, rest @ ..] => format!("{} and {} more", path_of(first).display(), rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(p: &str) -> Option<Change> {
        classify(Path::new("/site"), &Path::new("/site").join(p))
    }

    #[test]
    fn paths_are_classified_by_folder() {
        assert_eq!(c("site.toml"), Some(Change::Config));
        assert_eq!(
            c("content/stories/a.md"),
            Some(Change::Content("/site/content/stories/a.md".into()))
        );
        assert_eq!(
            c("data/commitments.toml"),
            Some(Change::Data("/site/data/commitments.toml".into()))
        );
        assert_eq!(c("data"), Some(Change::Data("/site/data".into())));
        assert_eq!(c("data/.commitments.toml.swp"), None);
        assert_eq!(
            c("static/style.css"),
            Some(Change::Static("/site/static/style.css".into()))
        );
        assert_eq!(
            c("templates/story.html"),
            Some(Change::Templates("/site/templates/story.html".into()))
        );
        assert_eq!(
            c("themes/default/templates/base.html"),
            Some(Change::Templates(
                "/site/themes/default/templates/base.html".into()
            ))
        );
        assert_eq!(
            c("themes/default/static/style.css"),
            Some(Change::Static(
                "/site/themes/default/static/style.css".into()
            ))
        );
        assert_eq!(c("public/index.html"), None);
        assert_eq!(c("README.md"), None);
        assert_eq!(
            classify(Path::new("/site"), Path::new("/elsewhere/x.md")),
            None
        );
    }

    #[test]
    fn editor_swap_and_backup_files_are_ignored() {
        for junk in [
            "content/stories/.a.md.swp",
            "content/stories/a.md.swp",
            "content/stories/a.md~",
            "content/stories/.#a.md",
            "content/stories/#a.md#",
            "content/stories/4913",
            "content/.git/index",
            "static/.DS_Store",
            "content/stories/~$a.md",
            "content/stories/a.md.tmp",
            "content/stories/a.md.crdownload",
        ] {
            assert_eq!(c(junk), None, "{junk}");
        }
        assert!(c("content/stories/a.md").is_some());
    }

    #[test]
    fn reads_are_not_changes_but_a_finished_write_is() {
        use notify::event::{CreateKind, ModifyKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
    }

    #[test]
    fn a_batch_is_described_briefly() {
        let root = Path::new("/site");
        assert_eq!(
            describe(root, &[Change::Content("/site/content/a.md".into())]),
            "content/a.md"
        );
        assert_eq!(
            describe(
                root,
                &[Change::Config, Change::Content("/site/content/a.md".into())]
            ),
            "site.toml and 1 more"
        );
    }
}
