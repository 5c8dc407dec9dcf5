//! Loading a whole `content/` tree: find the files, sort them into kinds and
//! bundles, and parse them in parallel, collecting every error. A file that
//! cannot be used is kept as [`Broken`] beside the tree, so the rest of the
//! site can still be checked and what names it is not reported again.
//! [`Cache`] keeps parsed files between loads, for `brum serve`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

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
    pub result: Result<Parsed, Arc<Broken>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One content file to read, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Home(PathBuf),
    SectionIndex(Section, PathBuf),
    Item {
        section: Section,
        path: PathBuf,
        bundle: Option<PathBuf>,
        assets: Vec<String>,
    },
}

impl Job {
    /// The file to read.
    pub fn path(&self) -> &Path {
        match self {
            Job::Home(p) | Job::SectionIndex(_, p) | Job::Item { path: p, .. } => p,
        }
    }

    fn section(&self) -> Option<Section> {
        match self {
            Job::Item { section, .. } => Some(*section),
            _ => None,
        }
    }
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

pub const CONTENT_DIR: &str = "content";

/// Loads `root/content`, every file afresh. A missing folder is an empty site.
pub fn load(root: &Path, config: &Config) -> (ContentTree, Vec<Diagnostic>) {
    Cache::default().load(root, config, &HashSet::new())
}

impl ContentTree {
    /// Sorts parsed files into the tree, keeping their order; the problems
    /// of those that failed come back beside it.
    pub fn assemble<'a>(
        reads: impl IntoIterator<Item = &'a Read>,
    ) -> (ContentTree, Vec<Diagnostic>) {
        let mut tree = ContentTree::default();
        let mut errors = Vec::new();
        for read in reads {
            errors.extend(read.diagnostics.iter().cloned());
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

/// A file's modification time and size.
type Stamp = (SystemTime, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
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
}

impl Cache {
    /// A cache that keeps what it parses for the next load.
    pub fn kept() -> Cache {
        Cache {
            files: Some(HashMap::new()),
        }
    }

    /// Forgets every file (`site.toml` changed: every file is read again).
    pub fn clear(&mut self) {
        if let Some(files) = &mut self.files {
            files.clear();
        }
    }

    /// Scans `content/` and parses what is not kept: files named in
    /// `changed`, new files, and files whose size or time moved (a missed
    /// event costs a read, never a stale page).
    pub fn load(
        &mut self,
        root: &Path,
        config: &Config,
        changed: &HashSet<&Path>,
    ) -> (ContentTree, Vec<Diagnostic>) {
        let (jobs, mut errors) = scan(root);
        let Some(kept) = &mut self.files else {
            let reads: Vec<Read> = jobs
                .into_par_iter()
                .map(|job| parse(root, &job, config))
                .collect();
            let (tree, mut parse_errors) = ContentTree::assemble(&reads);
            errors.append(&mut parse_errors);
            return (tree, errors);
        };
        let mut old = std::mem::take(kept);
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
        let (tree, mut parse_errors) = ContentTree::assemble(files.iter().map(|f| &f.read));
        errors.append(&mut parse_errors);
        kept.extend(files.into_iter().map(|f| (f.job.path().to_path_buf(), f)));
        (tree, errors)
    }
}

/// Reads and parses one content file.
pub fn parse(root: &Path, job: &Job, config: &Config) -> Read {
    let content = root.join(CONTENT_DIR);
    let (bundle, assets) = match job {
        Job::Item { bundle, assets, .. } => (bundle.clone(), assets.clone()),
        _ => (None, Vec::new()),
    };
    let source = source_of(root, &content, job.path(), bundle, assets);
    let failed = |diagnostics: Vec<Diagnostic>, text: &str, source: Source| Read {
        result: Err(Arc::new(super::salvage(job.section(), text, source))),
        diagnostics,
    };
    let text = match crate::fs::read_text(job.path(), &source.path) {
        Ok(text) => text,
        Err(e) => return failed(e.diagnostics().to_vec(), "", source),
    };
    let index = |source: Source| parse_index(&text, source).map(Arc::new);
    let (parsed, diagnostics) = match job {
        Job::Home(_) => match index(source.clone()) {
            Ok(i) => (Some(Parsed::Home(i)), Vec::new()),
            Err(d) => (None, d),
        },
        Job::SectionIndex(section, _) => match index(source.clone()) {
            Ok(i) => (Some(Parsed::SectionIndex(*section, i)), Vec::new()),
            Err(d) => (None, d),
        },
        Job::Item { section, .. } => {
            let (item, diagnostics) = parse_item(*section, &text, source.clone(), config);
            (item.map(Parsed::of), diagnostics)
        }
    };
    match parsed {
        Some(parsed) => Read {
            result: Ok(parsed),
            diagnostics,
        },
        None => failed(diagnostics, &text, source),
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
fn source_of(
    root: &Path,
    content: &Path,
    path: &Path,
    bundle: Option<PathBuf>,
    assets: Vec<String>,
) -> Source {
    let content_path = path
        .strip_prefix(content)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Source {
        path: crate::fs::display_path(root, path),
        content_path,
        bundle,
        assets,
        body: String::new(),
        body_line: 1,
    }
}

/// Hidden files and what editors write while saving are never content.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    crate::fs::is_editor_junk(&name.to_string_lossy())
}

/// Walks `content/` and decides what each file is. Files that are neither
/// content nor in a bundle (an editor's backup, a stray note) are left alone.
pub fn scan(root: &Path) -> (Vec<Job>, Vec<Diagnostic>) {
    let content = &root.join(CONTENT_DIR);
    let mut errors = Vec::new();
    if !content.is_dir() {
        return (Vec::new(), errors);
    }
    let mut files: Vec<Vec<String>> = Vec::new();
    let walker = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| crate::fs::display_path(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                errors.push(Diagnostic::new(
                    path,
                    format!("cannot read this folder entry: {e}"),
                ));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.push(parts);
    }

    // A bundle is a folder `<section>/<name>/` holding an `index.md`.
    let bundles: BTreeSet<(String, String)> = files
        .iter()
        .filter(|p| p.len() == 3 && p[2] == "index.md")
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();

    let mut jobs = Vec::new();
    let mut bundle_assets: std::collections::BTreeMap<(String, String), Vec<String>> =
        Default::default();
    let path_of = |parts: &[String]| parts.iter().fold(content.to_path_buf(), |p, s| p.join(s));
    for parts in &files {
        let is_md = parts.last().is_some_and(|n| n.ends_with(".md"));
        match parts.as_slice() {
            [name] if name == "_index.md" => jobs.push(Job::Home(path_of(parts))),
            [_] => {}
            [section, rest @ ..] => {
                let Some(sec) = Section::from_dir(section) else {
                    if is_md {
                        errors.push(
                            Diagnostic::new(crate::fs::display_path(root, &path_of(parts)), format!("`{section}` is not a content section"))
                                .with_help("content goes in content/stories/, content/partners/, content/timeline/ or content/pages/"),
                        );
                    }
                    continue;
                };
                match rest {
                    [name] if name == "_index.md" => jobs.push(Job::SectionIndex(sec, path_of(parts))),
                    [name] if is_md => jobs.push(Job::Item {
                        section: sec,
                        path: path_of(parts),
                        bundle: None,
                        assets: Vec::new(),
                    }),
                    [_] => {}
                    [_, name] if name == "index.md" => {}
                    [dir, inner @ ..] if bundles.contains(&(section.clone(), dir.clone())) => {
                        bundle_assets.entry((section.clone(), dir.clone())).or_default().push(inner.join("/"));
                    }
                    _ if is_md => errors.push(
                        Diagnostic::new(crate::fs::display_path(root, &path_of(parts)), format!("this file is not where a {} can be", sec.noun()))
                            .with_help(format!(
                                "a {} is content/{}/<slug>.md, or content/{}/<slug>/index.md with its files beside it",
                                sec.noun(),
                                section,
                                section
                            )),
                    ),
                    _ => {}
                }
            }
            [] => {}
        }
    }
    for (section, dir) in bundles {
        let Some(sec) = Section::from_dir(&section) else {
            continue;
        };
        let bundle = content.join(&section).join(&dir);
        let assets = bundle_assets.remove(&(section, dir)).unwrap_or_default();
        jobs.push(Job::Item {
            section: sec,
            path: bundle.join("index.md"),
            bundle: Some(bundle),
            assets,
        });
    }
    (jobs, errors)
}
