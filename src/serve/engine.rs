//! A build kept in memory and brought up to date by changes: the engine of
//! `brum serve`. A rebuild runs the same [pipeline](crate::pipeline) as
//! `brum build`, with caches that make it re-read only the files that
//! changed and re-render only the Markdown and the pages whose inputs
//! changed, and gives exactly what a cold build of the same files gives.
//! The last good site stays available while a change is broken.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::cache::PageCache;
use crate::config::ImageSettings;
use crate::error::{Diagnostic, Result};
use crate::images::{self, Catalog};
pub use crate::pipeline::Change;
use crate::pipeline::{self, Caches, Options, Ready, build_time};
use crate::render::{self, charts::Pictures, templates::Templates};
use crate::site::Site;
use crate::statics::{StaticFiles, StaticSource};

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

/// Reads `path` if the file it opens is inside `root`. The file is opened
/// first; then its path is resolved, and the file at the resolved path must
/// be the very one opened (same device and inode, or volume and file index
/// on Windows). So a link swapped in between the check and the read is
/// refused, on every platform, without asking the OS where an open file is.
fn read_within(path: &Path, root: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let outside = |why: &str| std::io::Error::new(std::io::ErrorKind::PermissionDenied, why);
    let mut file = std::fs::File::open(path)?;
    let real = path.canonicalize()?;
    if root.as_os_str().is_empty() || !real.starts_with(root) {
        return Err(outside("the file now leads outside the site"));
    }
    let opened = same_file::Handle::from_file(file.try_clone()?)?;
    if same_file::Handle::from_path(&real)? != opened {
        return Err(outside("the file was replaced while it was being read"));
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
    /// The editor's API on the site's files, when `[cms]` is on.
    pub editor: Option<Arc<crate::cms::backend::Backend>>,
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
    /// Whether the last build was brought up to date in place (a story's
    /// text edited), rather than the site loaded again.
    pub in_place: bool,
    /// Problems that did not stop the build, as `brum build` prints them.
    pub warnings: Vec<Diagnostic>,
}

/// A site kept in memory and brought up to date by changes.
pub struct Incremental {
    options: Options,
    /// Whether each rebuild takes the clock's time (else `options.now` stays).
    follow_clock: bool,
    caches: Caches,
    pages: PageCache,
    /// The templates `pages` were rendered with: when others are loaded,
    /// every page is rendered again.
    rendered_with: Option<Arc<Templates>>,
    snapshot: Arc<Snapshot>,
    /// The last good build's images, whose template requests carry over to
    /// pages reused from `pages`.
    images: Option<Arc<Catalog>>,
    /// The thread making this build's images in the background.
    warming: Option<std::thread::JoinHandle<usize>>,
    /// Held by the thread that makes images, so two never make the same file.
    warm_lock: Arc<std::sync::Mutex<()>>,
    /// The last good build's model, for edits made in place; None after a
    /// build that failed, until one succeeds.
    built: Option<Built>,
}

/// What the last good build was made from, besides its images and
/// templates: enough to bring it up to date with an edit in place.
struct Built {
    site: Site,
    statics: Arc<StaticFiles>,
    pictures: Vec<Pictures>,
    warnings: Vec<Diagnostic>,
    /// Until when the model holds as time passes
    /// ([`crate::site::edit::stable_until`]).
    stable_until: chrono::DateTime<chrono::Utc>,
}

impl Incremental {
    /// An empty build; the first [`rebuild`](Self::rebuild) builds everything.
    /// With `follow_clock`, each rebuild's "now" is the time it runs (a
    /// future story appears when its time comes); else `options.now` stays.
    pub fn new(options: Options, follow_clock: bool) -> Self {
        Incremental {
            options,
            follow_clock,
            caches: Caches::kept(),
            pages: PageCache::new(),
            rendered_with: None,
            snapshot: Arc::new(Snapshot::default()),
            images: None,
            warming: None,
            warm_lock: Arc::default(),
            built: None,
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
        self.caches.config().is_some_and(|c| c.search)
    }

    /// The language the search index is made in (`en-GB`), once a build
    /// has read `site.toml`; None for a site in several, whose pages each
    /// go into their own language's index.
    pub fn search_language(&self) -> Option<&str> {
        let config = self.caches.config()?;
        (!config.is_multilingual()).then_some(config.language.as_str())
    }

    /// Brings the site up to date with `changes`. On error the last good
    /// site is kept, and the next rebuild tries again from where this one
    /// failed.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Outcome> {
        let started = Instant::now();
        if self.follow_clock {
            self.options.now = build_time();
        }
        if let Some(outcome) = self.edit_in_place(changes, started) {
            return Ok(outcome);
        }
        // The model is made again; until that succeeds there is none to edit.
        self.built = None;
        let loaded = pipeline::load(&self.options, &mut self.caches, changes)?;
        let ready = loaded.ready()?;
        if let Some(previous) = &self.images {
            ready.images.inherit_requests(previous);
        }
        let same_templates = self
            .rendered_with
            .as_ref()
            .is_some_and(|t| Arc::ptr_eq(t, &ready.templates));
        if !same_templates {
            self.pages.clear();
        }
        let pictures = Pictures::draw_all(&ready.site, &ready.templates.strings);
        let (pages, rendered) = render::render_pages(
            &ready.site,
            &ready.images,
            &ready.templates,
            &pictures,
            &self.pages,
        )?;
        let removed = self
            .pages
            .keys()
            .filter(|k| !pages.contains_key(*k))
            .count();
        let files = self.files(&ready, &pages);
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
            images_read: self.caches.images_read(),
            elapsed: started.elapsed(),
            in_place: false,
            warnings: ready.warnings.clone(),
        };
        let root = self.options.root.clone();
        self.images = Some(ready.images);
        self.rendered_with = Some(ready.templates);
        self.pages = pages;
        let root = root.canonicalize().unwrap_or(root);
        self.snapshot = Arc::new(Snapshot {
            files,
            editor: crate::cms::backend::Backend::for_site(&ready.site.config, &root).map(Arc::new),
            root,
        });
        self.built = Some(Built {
            stable_until: crate::site::edit::stable_until(&ready.site),
            site: ready.site,
            statics: ready.statics,
            pictures,
            warnings: ready.warnings,
        });
        Ok(outcome)
    }

    /// Brings the last good build up to date with `changes` without loading
    /// the site again, when they are saves of stories whose text alone
    /// changed ([`pipeline::edit_texts`]): only the pages that show those
    /// stories are rendered ([`render::jobs::showing_story`]). None when
    /// the changes need a full rebuild; nothing has changed then but the
    /// model, which the full rebuild makes again.
    fn edit_in_place(&mut self, changes: &[Change], started: Instant) -> Option<Outcome> {
        let built = self.built.as_mut()?;
        if changes.is_empty() || self.options.now >= built.stable_until {
            return None;
        }
        let templates = self.rendered_with.clone()?;
        let images = self.images.clone()?;
        let from = (&*built.statics, &*images, &*templates);
        let edited = pipeline::edit_texts(
            &self.options,
            &mut self.caches,
            &mut built.site,
            from,
            changes,
        )?;
        let mut changed = Vec::new();
        for (lang, pictures) in built.pictures.iter().enumerate() {
            let mut jobs: Vec<render::Job> = Vec::new();
            for at in edited.stories.iter().filter(|at| at.lang == lang) {
                let site = built.site.languages().nth(lang)?;
                for job in render::jobs::showing_story(site, at.index) {
                    if !jobs.contains(&job) {
                        jobs.push(job);
                    }
                }
            }
            let site = &built.site;
            let some = (lang, pictures);
            let out = render::render_some(
                site,
                &edited.images,
                &templates,
                some,
                &jobs,
                &mut self.pages,
            );
            changed.extend(out.ok()?);
        }
        let mut files = self.snapshot.files.clone();
        for path in &changed {
            let page = self.pages.get(path)?;
            files.insert(path.clone(), Served::Page(page.bytes.clone()));
        }
        self.snapshot = Arc::new(Snapshot {
            files,
            root: self.snapshot.root.clone(),
            editor: self.snapshot.editor.clone(),
        });
        self.images = Some(edited.images);
        Some(Outcome {
            rendered: changed.len(),
            removed: 0,
            pages: self.pages.len(),
            css_only: false,
            // No image file is looked at: the text shows the same images.
            images_read: 0,
            elapsed: started.elapsed(),
            in_place: true,
            warnings: built.warnings.clone(),
        })
    }

    /// Every file of the site as the server hands it out, and the images
    /// not yet made set to be made in the background.
    fn files(&mut self, ready: &Ready, pages: &PageCache) -> HashMap<String, Served> {
        let mut files: HashMap<String, Served> =
            HashMap::with_capacity(pages.len() + ready.statics.len());
        let assets = ready
            .site
            .languages()
            .flat_map(|l| &l.assets)
            .map(|(s, d)| (d, s));
        for (dest, src) in ready.statics.iter().chain(assets) {
            let served = match src {
                StaticSource::File(p) => Served::File(p.clone()),
                StaticSource::Builtin(b) => Served::Builtin(b),
                StaticSource::Made(b) => Served::Page(b.clone()),
            };
            files.insert(dest.clone(), served);
        }
        for (path, page) in pages {
            files.insert(path.clone(), Served::Page(page.bytes.clone()));
        }
        // After the static files, so that an original is served re-encoded.
        let jobs = ready.images.jobs();
        let cache = images::process::cache_for(&self.options.root);
        let settings = &ready.site.config.images;
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
        files
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
}
