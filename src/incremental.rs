//! A build kept in memory and brought up to date by changes: the engine of
//! `brum serve`. A rebuild re-reads only the files that changed, re-renders
//! only the Markdown and the pages whose inputs changed, and gives exactly
//! what a cold build of the same files gives. The last good site stays
//! available while a change is broken.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use crate::cache::{MarkdownCache, PageCache};
use crate::config::{self, Config};
use crate::content::ContentTree;
use crate::content::load::{self, Job, Parsed};
use crate::error::{Diagnostic, Error, Result};
use crate::site;
use crate::statics::{self, StaticFiles, StaticSource};
use crate::templates::{self, Templates};
use crate::{BuildOptions, build_time, render};

/// What changed on disk, as the watcher classifies it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    /// `site.toml`: everything is rebuilt.
    Config,
    /// A template (the site's or the theme's): every page is rendered again.
    Templates(PathBuf),
    /// A file under `static/` or a theme's `static/`.
    Static(PathBuf),
    /// A file under `content/`.
    Content(PathBuf),
}

/// A file of the built site, as the server hands it out.
#[derive(Debug, Clone)]
pub enum Served {
    /// A rendered page.
    Page(Arc<Vec<u8>>),
    /// A static or bundle file, read from where it is when asked for.
    File(PathBuf),
    /// A file of the built-in theme.
    Builtin(&'static [u8]),
}

impl Served {
    /// The bytes, reading a file source, which must still be inside `root`
    /// (the site folder, canonical): a file swapped for a link out of the
    /// site after the last good build is refused, not followed.
    pub fn bytes(&self, root: &Path) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        Ok(match self {
            Served::Page(b) => std::borrow::Cow::Borrowed(b.as_slice()),
            Served::File(p) => std::borrow::Cow::Owned(read_within(p, root)?),
            Served::Builtin(b) => std::borrow::Cow::Borrowed(b),
        })
    }
}

/// Reads `path` if the file it opens is inside `root`. Where the opened file
/// really is comes from the open descriptor itself, so no link can be swapped
/// in between the check and the read.
fn read_within(path: &Path, root: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    let mut file = std::fs::File::open(path)?;
    let real = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))
        .or_else(|_| path.canonicalize())?;
    if root.as_os_str().is_empty() || !real.starts_with(root) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file now leads outside the site",
        ));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The whole built site: output path (`stories/x/index.html`) → file.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: HashMap<String, Served>,
    /// The site folder, canonical: no file is served from outside it.
    pub root: PathBuf,
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// Pages rendered afresh (the rest were unchanged).
    pub rendered: usize,
    /// Pages that no longer exist.
    pub removed: usize,
    /// Pages in the site.
    pub pages: usize,
    /// Only stylesheets changed: browsers can swap them without a reload.
    pub css_only: bool,
    pub elapsed: std::time::Duration,
}

/// A file's modification time and size.
type Stamp = (SystemTime, u64);

/// A parsed content file and the size and time it had when read.
struct CachedFile {
    job: Job,
    stamp: Option<Stamp>,
    result: std::result::Result<Parsed, Vec<Diagnostic>>,
}

pub struct Incremental {
    options: BuildOptions,
    /// Whether each rebuild takes the clock's time (else `options.now` stays).
    follow_clock: bool,
    config: Option<Config>,
    templates: Option<Templates>,
    statics: Option<(StaticFiles, Vec<Diagnostic>)>,
    files: HashMap<PathBuf, CachedFile>,
    markdown: MarkdownCache,
    pages: PageCache,
    snapshot: Arc<Snapshot>,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Incremental {
    /// An empty build; the first [`rebuild`](Self::rebuild) builds everything.
    /// With `follow_clock`, each rebuild's "now" is the time it runs (a
    /// future story appears when its time comes); else `options.now` stays.
    pub fn new(options: BuildOptions, follow_clock: bool) -> Self {
        Incremental {
            options,
            follow_clock,
            config: None,
            templates: None,
            statics: None,
            files: HashMap::new(),
            markdown: MarkdownCache::default(),
            pages: PageCache::new(),
            snapshot: Arc::new(Snapshot::default()),
        }
    }

    /// The last good site.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.clone()
    }

    /// The pages of the last good site that go into the search index.
    pub fn search_documents(&self) -> Vec<crate::search::Document> {
        self.pages
            .iter()
            .filter(|(_, p)| p.searchable)
            .map(|(path, p)| crate::search::Document {
                path: path.clone(),
                html: p.bytes.clone(),
            })
            .collect()
    }

    /// A hash of every searchable page's path and contents: when it is the
    /// same, so would the index be.
    pub fn search_fingerprint(&self) -> u64 {
        self.pages
            .iter()
            .filter(|(_, p)| p.searchable)
            .fold(0u64, |acc, (path, p)| {
                acc.wrapping_add(
                    crate::cache::hash_bytes(path.as_bytes()) ^ p.fingerprint.rotate_left(17),
                )
            })
    }

    /// The site's language (`en-GB`), once a build has read `site.toml`.
    pub fn language(&self) -> &str {
        self.config.as_ref().map_or("en", |c| c.language.as_str())
    }

    /// Brings the site up to date with `changes`. On error the last good
    /// site is kept, and the next rebuild tries again from where this one
    /// failed.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Outcome> {
        let started = Instant::now();
        let root = self.options.root.clone();
        if self.follow_clock {
            self.options.now = build_time();
        }

        let reset = self.config.is_none() || changes.contains(&Change::Config);
        if reset {
            // Cleared first, so that a broken site.toml is read again next time.
            self.config = None;
            let mut config = config::load(&root)?;
            if let Some(url) = &self.options.base_url {
                config
                    .set_base_url(url)
                    .map_err(|m| Error::invalid(vec![Diagnostic::new("--base-url", m)]))?;
            }
            self.config = Some(config);
            self.templates = None;
            self.statics = None;
            self.files.clear();
            self.markdown = MarkdownCache::default();
            self.pages.clear();
        }
        let Some(config) = self.config.clone() else {
            return Err(Error::invalid(Vec::new()));
        };
        let template_change = changes.iter().any(|c| matches!(c, Change::Templates(_)));
        let static_change = changes.iter().any(|c| matches!(c, Change::Static(_)));
        if template_change || self.templates.is_none() {
            self.templates = None;
            self.pages.clear();
        }
        if static_change || template_change {
            // A theme's folders hold both; which is which is cheap to redo.
            self.statics = None;
        }

        let mut errors = Vec::new();
        if self.templates.is_none() {
            match templates::load(&root, &config) {
                Ok(t) => self.templates = Some(t),
                Err(e) => errors.extend(diagnostics_of(e)),
            }
        }
        let (statics, static_errors) = self
            .statics
            .get_or_insert_with(|| statics::collect(&root, &config));
        errors.extend(static_errors.iter().cloned());
        let statics = statics.clone();

        let changed: HashSet<&Path> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Content(p) => Some(p.as_path()),
                _ => None,
            })
            .collect();
        let tree = self.refresh_content(&config, &changed, &mut errors);

        let Some(templates) = self.templates.as_ref() else {
            return Err(Error::invalid(errors));
        };
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        let site = site::build(
            config,
            tree,
            &root,
            &statics,
            site::Options {
                drafts: self.options.drafts,
                now: self.options.now,
            },
            &mut self.markdown,
        )?;
        let (pages, rendered) = render::render_pages(&site, templates, &self.pages)?;
        let removed = self
            .pages
            .keys()
            .filter(|k| !pages.contains_key(*k))
            .count();

        let mut files: HashMap<String, Served> =
            HashMap::with_capacity(pages.len() + statics.len());
        for (dest, src) in statics
            .iter()
            .chain(site.assets.iter().map(|(s, d)| (d, s)))
        {
            let served = match src {
                StaticSource::File(p) => Served::File(p.clone()),
                StaticSource::Builtin(b) => Served::Builtin(b),
            };
            files.insert(dest.clone(), served);
        }
        for (path, page) in &pages {
            files.insert(path.clone(), Served::Page(page.bytes.clone()));
        }
        let css_only = !changes.is_empty()
            && rendered == 0
            && removed == 0
            && changes.iter().all(
                |c| matches!(c, Change::Static(p) if p.extension().is_some_and(|e| e == "css")),
            );
        let outcome = Outcome {
            rendered,
            removed,
            pages: pages.len(),
            css_only,
            elapsed: started.elapsed(),
        };
        self.pages = pages;
        self.snapshot = Arc::new(Snapshot {
            files,
            root: root.canonicalize().unwrap_or(root),
        });
        Ok(outcome)
    }

    /// Scans `content/` and re-parses what changed: files named in `changed`,
    /// new files, and files whose size or time moved (a missed event costs a
    /// read, never a stale page).
    fn refresh_content(
        &mut self,
        config: &Config,
        changed: &HashSet<&Path>,
        errors: &mut Vec<Diagnostic>,
    ) -> ContentTree {
        let root = self.options.root.clone();
        let (jobs, mut scan_errors) = load::scan(&root);
        errors.append(&mut scan_errors);
        let mut old = std::mem::take(&mut self.files);
        let work: Vec<(Job, Option<Stamp>, Option<CachedFile>)> = jobs
            .into_iter()
            .map(|job| {
                let now = stamp(job.path());
                let cached = old.remove(job.path()).filter(|c| {
                    c.job == job
                        && c.stamp.is_some()
                        && c.stamp == now
                        && !changed.contains(job.path())
                });
                (job, now, cached)
            })
            .collect();
        let fresh: Vec<CachedFile> = work
            .into_par_iter()
            .map(|(job, now, cached)| match cached {
                Some(c) => c,
                None => CachedFile {
                    result: load::parse(&root, &job, config),
                    job,
                    stamp: now,
                },
            })
            .collect();
        let mut parsed = Vec::with_capacity(fresh.len());
        for file in fresh {
            match &file.result {
                Ok(p) => parsed.push(p.clone()),
                Err(e) => errors.extend(e.iter().cloned()),
            }
            self.files.insert(file.job.path().to_path_buf(), file);
        }
        ContentTree::assemble(parsed)
    }
}

fn diagnostics_of(e: Error) -> Vec<Diagnostic> {
    match e {
        Error::Invalid(d) => d,
        Error::Io {
            action,
            path,
            source,
        } => vec![Diagnostic::new(
            path,
            format!("could not {action}: {source}"),
        )],
    }
}
