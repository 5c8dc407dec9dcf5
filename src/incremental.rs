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
use crate::config::{self, Config, ImageSettings};
use crate::content::ContentTree;
use crate::content::load::{self, Job, Parsed};
use crate::error::{Diagnostic, Error, Result};
use crate::images;
use crate::render::templates::{self, Templates};
use crate::site;
use crate::statics::{self, StaticFiles, StaticSource};
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
    /// A processed image: from the cache, else made when asked for.
    Image(Arc<ImageFile>),
}

/// One file made from an image, with what making it needs.
#[derive(Debug)]
pub struct ImageFile {
    pub source: Arc<images::Source>,
    pub output: images::Output,
    pub settings: ImageSettings,
    pub cache: images::process::Cache,
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
            Served::Image(f) => std::borrow::Cow::Owned(
                images::process::one(&f.source, &f.output, &f.settings, &f.cache)
                    .map_err(|d| std::io::Error::other(d.message))?,
            ),
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
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Pages rendered afresh (the rest were unchanged).
    pub rendered: usize,
    /// Pages that no longer exist.
    pub removed: usize,
    /// Pages in the site.
    pub pages: usize,
    /// Only stylesheets changed: browsers can swap them without a reload.
    pub css_only: bool,
    /// Image files read to learn their size (unchanged ones are not).
    pub images_read: usize,
    pub elapsed: std::time::Duration,
    /// Problems that did not stop the build, as `brum build` prints them.
    pub warnings: Vec<Diagnostic>,
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
    probes: images::ProbeCache,
    /// The last good build's images, whose template requests carry over to
    /// pages reused from `pages`.
    images: Option<Arc<images::Catalog>>,
    /// The thread making this build's images in the background.
    warming: Option<std::thread::JoinHandle<usize>>,
    /// Held by the thread that makes images, so two never make the same file.
    warm_lock: Arc<std::sync::Mutex<()>>,
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
            probes: images::ProbeCache::default(),
            images: None,
            warming: None,
            warm_lock: Arc::default(),
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

    /// Whether the site has search (`[search] enabled`), once a build has
    /// read `site.toml`.
    pub fn search_enabled(&self) -> bool {
        self.config.as_ref().is_some_and(|c| c.search)
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
        let (site, problems) = site::build(
            config,
            tree,
            &root,
            &statics,
            site::Options {
                drafts: self.options.drafts,
                now: self.options.now,
            },
            &mut self.markdown,
        );
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            problems.into_iter().partition(Diagnostic::is_error);
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        let (images, image_errors) = images::plan(&site, &statics, &mut self.probes);
        if !image_errors.is_empty() {
            return Err(Error::invalid(image_errors));
        }
        if let Some(previous) = &self.images {
            images.inherit_requests(previous);
        }
        let images = Arc::new(images);
        let (pages, rendered) = render::render_pages(&site, &images, templates, &self.pages)?;
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
        // After the static files, so that an original is served re-encoded.
        let jobs = images.jobs();
        let cache = images::process::cache_for(&root);
        let settings = &site.config.images;
        for job in &jobs {
            for output in &job.outputs {
                let file = ImageFile {
                    source: job.source.clone(),
                    output: output.clone(),
                    settings: settings.clone(),
                    cache: cache.clone(),
                };
                files.insert(output.path.clone(), Served::Image(Arc::new(file)));
            }
        }
        self.warm(jobs, settings.clone(), cache);
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
            images_read: self.probes.read,
            elapsed: started.elapsed(),
            warnings,
        };
        self.images = Some(images);
        self.pages = pages;
        self.snapshot = Arc::new(Snapshot {
            files,
            root: root.canonicalize().unwrap_or(root),
        });
        Ok(outcome)
    }

    /// Makes the images not yet cached on a thread of their own, so no
    /// rebuild waits for pixels; until they are made, a request for one
    /// makes it then.
    fn warm(
        &mut self,
        jobs: Vec<images::Job>,
        settings: ImageSettings,
        cache: images::process::Cache,
    ) {
        let lock = self.warm_lock.clone();
        let handle = std::thread::Builder::new()
            .name("brum-images".into())
            .spawn(move || {
                let _held = lock.lock().unwrap_or_else(|e| e.into_inner());
                images::process::warm(&jobs, &settings, &cache)
            });
        self.warming = handle.ok();
    }

    /// Waits for the background image work of the last rebuild; returns how
    /// many files it made.
    pub fn wait_for_images(&mut self) -> usize {
        self.warming.take().and_then(|h| h.join().ok()).unwrap_or(0)
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
