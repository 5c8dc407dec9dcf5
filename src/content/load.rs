//! Loading a whole `content/` tree: find the files, sort them into kinds and
//! bundles, and parse them in parallel, collecting every error. A file that
//! cannot be used is kept as [`Broken`] beside the tree, so the rest of the
//! site can still be checked and what names it is not reported again.
//! [`Cache`] keeps parsed files between loads, for `brum serve`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use super::{
    IndexFile, Item, Page, Partner, Section, Source, Story, TimelineEntry, parse_index, parse_item,
};
use crate::config::Config;
use crate::error::Diagnostic;

/// Everything under `content/`, parsed and checked file by file. Items are
/// shared (`Arc`) so a live preview can keep them between builds.
#[derive(Debug, Default, Clone)]
pub struct ContentTree {
    /// `content/_index.md`: the home page's intro.
    pub home: Option<Arc<IndexFile>>,
    /// `content/<section>/_index.md`: a list page's intro.
    pub section_intros: Vec<(Section, Arc<IndexFile>)>,
    pub stories: Vec<Arc<Story>>,
    pub partners: Vec<Arc<Partner>>,
    pub timeline: Vec<Arc<TimelineEntry>>,
    pub pages: Vec<Arc<Page>>,
    /// Files that could not be used; their errors are reported apart.
    pub broken: Vec<Arc<Broken>>,
    /// Each other language's files (translations, their fields completed
    /// from their originals), in `site.toml` order; each tree's own
    /// `translations` is empty.
    pub translations: Vec<(String, ContentTree)>,
}

/// A content file that could not be used, and what could be learned of it.
#[derive(Debug, Clone)]
pub struct Broken {
    /// The section of an item; None for an `_index.md`.
    pub section: Option<Section>,
    /// Its slug as far as it can be read: front matter's `slug` when that
    /// reads, else the file's name.
    pub slug: String,
    /// Where it is, with its body when the front matter could be split off
    /// (else the body is empty).
    pub source: Source,
}

/// What reading one content file gave: the item, or what is known of a
/// file that could not be used; and the problems found in it either way.
#[derive(Debug, Clone)]
pub struct Read {
    /// The language of a translation; None for the default language.
    pub lang: Option<String>,
    pub result: Result<Parsed, Arc<Broken>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A parsed content file.
#[derive(Debug, Clone)]
pub enum Parsed {
    Home(Arc<IndexFile>),
    SectionIndex(Section, Arc<IndexFile>),
    Story(Arc<Story>),
    Partner(Arc<Partner>),
    Timeline(Arc<TimelineEntry>),
    Page(Arc<Page>),
}

pub use super::scan::{CONTENT_DIR, Job, What, scan};

/// Loads `root/content`, every file afresh. A missing folder is an empty site.
pub fn load(root: &Path, config: &Config) -> (ContentTree, Vec<Diagnostic>) {
    Cache::default().load(root, config, &HashSet::new())
}

impl ContentTree {
    /// Sorts parsed files into the tree, keeping their order; the problems
    /// of those that failed come back beside it.
    pub fn assemble<'a>(
        reads: impl IntoIterator<Item = &'a Read>,
        config: &Config,
    ) -> (ContentTree, Vec<Diagnostic>) {
        let mut tree = ContentTree {
            translations: config.languages[1..]
                .iter()
                .map(|l| (l.code.clone(), ContentTree::default()))
                .collect(),
            ..ContentTree::default()
        };
        let mut errors = Vec::new();
        for read in reads {
            errors.extend(read.diagnostics.iter().cloned());
            let tree = match &read.lang {
                None => &mut tree,
                Some(lang) => match tree.translations.iter_mut().find(|(l, _)| l == lang) {
                    Some((_, t)) => t,
                    // The scan reads only the site's languages.
                    None => continue,
                },
            };
            match read.result.clone() {
                Ok(Parsed::Home(index)) => tree.home = Some(index),
                Ok(Parsed::SectionIndex(section, index)) => {
                    tree.section_intros.push((section, index))
                }
                Ok(Parsed::Story(s)) => tree.stories.push(s),
                Ok(Parsed::Partner(p)) => tree.partners.push(p),
                Ok(Parsed::Timeline(t)) => tree.timeline.push(t),
                Ok(Parsed::Page(p)) => tree.pages.push(p),
                Err(broken) => tree.broken.push(broken),
            }
        }
        (tree, errors)
    }

    /// Slugs of the files of `section` that could not be read.
    pub fn broken_slugs(&self, section: Section) -> Vec<&str> {
        self.broken
            .iter()
            .filter(|b| b.section == Some(section))
            .map(|b| b.slug.as_str())
            .collect()
    }
}

/// A file's modification time and size; a translation's, and its
/// original's, which it takes fields from.
type Stamp = ((SystemTime, u64), Option<(SystemTime, u64)>);

fn stamp(job: &Job) -> Option<Stamp> {
    let of = |path: &Path| {
        let meta = std::fs::metadata(path).ok()?;
        Some((meta.modified().ok()?, meta.len()))
    };
    let original = match &job.translation {
        Some(t) => Some(of(&t.original)?),
        None => None,
    };
    Some((of(&job.path)?, original))
}

/// A parsed content file and the size and time it had when read.
#[derive(Debug)]
struct CachedFile {
    job: Job,
    stamp: Option<Stamp>,
    read: Read,
}

/// Parsed content files kept between loads, by path. The default keeps
/// nothing (a build or check reads each file once); [`Cache::kept`] keeps
/// them, for `brum serve`.
#[derive(Debug, Default)]
pub struct Cache {
    files: Option<HashMap<PathBuf, CachedFile>>,
    /// The last scan of `content/`: the files in order, and its problems.
    scanned: Option<(Vec<Job>, Vec<Diagnostic>)>,
}

impl Cache {
    /// A cache that keeps what it parses for the next load.
    pub fn kept() -> Cache {
        Cache {
            files: Some(HashMap::new()),
            scanned: None,
        }
    }

    /// Forgets every file (`site.toml` changed: every file is read again).
    pub fn clear(&mut self) {
        if let Some(files) = &mut self.files {
            files.clear();
        }
        self.scanned = None;
    }

    /// Scans `content/` and parses what is not kept: files named in
    /// `changed`, new files, and files whose size or time moved (a missed
    /// event costs a read, never a stale page). When every file `changed`
    /// names is one already kept and still there, the set of files is as
    /// it was: the last scan stands, and only those files are looked at.
    pub fn load(
        &mut self,
        root: &Path,
        config: &Config,
        changed: &HashSet<&Path>,
    ) -> (ContentTree, Vec<Diagnostic>) {
        let Some(kept) = &mut self.files else {
            let (jobs, mut errors) = scan(root, config);
            let reads: Vec<Read> = jobs
                .into_par_iter()
                .map(|job| parse(root, &job, config))
                .collect();
            let (tree, mut parse_errors) = ContentTree::assemble(&reads, config);
            errors.append(&mut parse_errors);
            return (tree, errors);
        };
        // A path neither kept nor there now came and went between loads
        // (an editor's temporary file renamed over the one it saves).
        let same_files = !changed.is_empty()
            && changed
                .iter()
                .all(|p| kept.contains_key(*p) == p.exists() && !p.is_dir());
        let (jobs, mut errors) = match &self.scanned {
            Some(scanned) if same_files => scanned.clone(),
            _ => {
                let scanned = scan(root, config);
                self.scanned = Some(scanned.clone());
                scanned
            }
        };
        let mut old = std::mem::take(kept);
        let work: Vec<(Job, Option<Stamp>, Option<CachedFile>)> = jobs
            .into_iter()
            .map(|job| {
                let original = job.translation.as_ref().map(|t| t.original.as_path());
                let named = changed.contains(job.path.as_path())
                    || original.is_some_and(|o| changed.contains(o));
                let cached = old.remove(&job.path).filter(|c| c.job == job && !named);
                if same_files && let Some(c) = cached {
                    return (job, c.stamp, Some(c));
                }
                let now = stamp(&job);
                let cached = cached.filter(|c| c.stamp.is_some() && c.stamp == now);
                (job, now, cached)
            })
            .collect();
        let files: Vec<CachedFile> = work
            .into_par_iter()
            .map(|(job, now, cached)| {
                cached.unwrap_or_else(|| CachedFile {
                    read: parse(root, &job, config),
                    job,
                    stamp: now,
                })
            })
            .collect();
        let reads = files.iter().map(|f| &f.read);
        let (tree, mut parse_errors) = ContentTree::assemble(reads, config);
        errors.append(&mut parse_errors);
        kept.extend(files.into_iter().map(|f| (f.job.path.clone(), f)));
        (tree, errors)
    }
}

impl Cache {
    /// Whether `path` is a file an earlier load read.
    pub fn knows(&self, path: &Path) -> bool {
        self.files.as_ref().is_some_and(|f| f.contains_key(path))
    }

    /// Reads one file kept from an earlier load again, and keeps the new
    /// reading in place of the old: the old and the new, or None when the
    /// file is not kept (new, or not a content file). Nothing else is
    /// scanned or read: `serve` uses it for a save it was told of.
    pub fn reread(&mut self, root: &Path, config: &Config, path: &Path) -> Option<(Read, Read)> {
        let kept = self.files.as_mut()?.get_mut(path)?;
        // The time before the read: a write after it shows as a change.
        kept.stamp = stamp(&kept.job);
        let read = parse(root, &kept.job, config);
        let old = std::mem::replace(&mut kept.read, read.clone());
        Some((old, read))
    }
}

/// Reads and parses one content file (a translation with its original).
pub fn parse(root: &Path, job: &Job, config: &Config) -> Read {
    let content = root.join(CONTENT_DIR);
    let mut source = source_of(root, &content, job);
    let lang = job.lang().map(str::to_string);
    let failed = |diagnostics: Vec<Diagnostic>, text: &str, source: Source| Read {
        lang: lang.clone(),
        result: Err(Arc::new(super::salvage(job.section(), text, source))),
        diagnostics,
    };
    let text = match crate::fs::read_text(&job.path, &source.path) {
        Ok(text) => text,
        Err(e) => return failed(e.diagnostics().to_vec(), "", source),
    };
    let original = match &job.translation {
        None => None,
        Some(t) => match crate::fs::read_text(&t.original, &t.original) {
            Ok(text) => Some(text),
            // The original's own load reports why it cannot be read.
            Err(_) => return failed(Vec::new(), &text, source),
        },
    };
    let original = original.as_deref();
    let index = |source: Source| parse_index(&text, original, source).map(Arc::new);
    let (parsed, diagnostics) = match &job.what {
        What::Home => match index(source.clone()) {
            Ok(i) => (Some(Parsed::Home(i)), Vec::new()),
            Err(d) => (None, d),
        },
        What::SectionIndex(section) => match index(source.clone()) {
            Ok(i) => (Some(Parsed::SectionIndex(*section, i)), Vec::new()),
            Err(d) => (None, d),
        },
        What::Item { section, .. } => {
            let (item, diagnostics) = parse_item(*section, &text, original, source.clone(), config);
            (item.map(Parsed::of), diagnostics)
        }
    };
    match parsed {
        Some(parsed) => Read {
            lang,
            result: Ok(parsed),
            diagnostics,
        },
        None => {
            source.body.clear();
            failed(diagnostics, &text, source)
        }
    }
}

impl Parsed {
    fn of(item: Item) -> Parsed {
        match item {
            Item::Story(s) => Parsed::Story(Arc::new(s)),
            Item::Partner(p) => Parsed::Partner(Arc::new(p)),
            Item::Timeline(t) => Parsed::Timeline(Arc::new(t)),
            Item::Page(p) => Parsed::Page(Arc::new(p)),
        }
    }
}

/// Where a file is, as every message and link knows it; its body comes later.
fn source_of(root: &Path, content: &Path, job: &Job) -> Source {
    let relative = |path: &Path| {
        path.strip_prefix(content)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    };
    let (bundle, assets) = match &job.what {
        What::Item { bundle, assets, .. } => (bundle.clone(), assets.clone()),
        _ => (None, Vec::new()),
    };
    Source {
        path: crate::fs::display_path(root, &job.path),
        content_path: relative(&job.path),
        bundle,
        assets,
        body: String::new(),
        body_line: 1,
        lang: job.lang().map(str::to_string),
        original: job.translation.as_ref().map(|t| relative(&t.original)),
    }
}
