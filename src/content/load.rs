//! Loading a whole `content/` tree: find the files, sort them into kinds and
//! bundles, and parse them in parallel, collecting every error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::{
    IndexFile, Item, Page, Partner, Section, Source, Story, TimelineEntry, parse_index, parse_item,
};
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};

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

/// Loads `root/content`. A missing folder is an empty site.
pub fn load(root: &Path, config: &Config) -> Result<ContentTree> {
    let (jobs, mut errors) = scan(root);
    let results: Vec<Result<Parsed, Vec<Diagnostic>>> = jobs
        .into_par_iter()
        .map(|job| parse(root, &job, config))
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(p) => parsed.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors));
    }
    Ok(ContentTree::assemble(parsed))
}

impl ContentTree {
    /// Sorts parsed files into the tree, keeping their order.
    pub fn assemble(parsed: impl IntoIterator<Item = Parsed>) -> ContentTree {
        let mut tree = ContentTree::default();
        for p in parsed {
            match p {
                Parsed::Home(index) => tree.home = Some(index),
                Parsed::SectionIndex(section, index) => tree.section_intros.push((section, index)),
                Parsed::Story(s) => tree.stories.push(s),
                Parsed::Partner(p) => tree.partners.push(p),
                Parsed::Timeline(t) => tree.timeline.push(t),
                Parsed::Page(p) => tree.pages.push(p),
            }
        }
        tree
    }
}

/// Reads and parses one content file.
pub fn parse(root: &Path, job: &Job, config: &Config) -> Result<Parsed, Vec<Diagnostic>> {
    run(root, &root.join(CONTENT_DIR), job.clone(), config)
}

fn run(root: &Path, content: &Path, job: Job, config: &Config) -> Result<Parsed, Vec<Diagnostic>> {
    let source = |path: &Path,
                  bundle: Option<PathBuf>,
                  assets: Vec<String>|
     -> Result<(String, Source), Vec<Diagnostic>> {
        let display = crate::fs::display_path(root, path);
        let text = crate::fs::read_text(path, &display).map_err(|e| e.diagnostics().to_vec())?;
        let content_path = path
            .strip_prefix(content)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Ok((
            text,
            Source {
                path: display,
                content_path,
                bundle,
                assets,
                body: String::new(),
                body_line: 1,
            },
        ))
    };
    match job {
        Job::Home(path) => {
            let (text, src) = source(&path, None, Vec::new())?;
            parse_index(&text, src).map(|i| Parsed::Home(Arc::new(i)))
        }
        Job::SectionIndex(section, path) => {
            let (text, src) = source(&path, None, Vec::new())?;
            parse_index(&text, src).map(|i| Parsed::SectionIndex(section, Arc::new(i)))
        }
        Job::Item {
            section,
            path,
            bundle,
            assets,
        } => {
            let (text, src) = source(&path, bundle, assets)?;
            parse_item(section, &text, src, config).map(|item| match item {
                Item::Story(s) => Parsed::Story(Arc::new(s)),
                Item::Partner(p) => Parsed::Partner(Arc::new(p)),
                Item::Timeline(t) => Parsed::Timeline(Arc::new(t)),
                Item::Page(p) => Parsed::Page(Arc::new(p)),
            })
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
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
