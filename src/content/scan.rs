//! Walking `content/` and deciding what each file is: the home page's or a
//! list's intro, an item, a bundle's file, or a translation of one of these
//! (`about.ur.md`, `canal-walks/index.pl.md`, `_index.ur.md`), each with the
//! original it translates. Nothing is read here but folder entries.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::Section;
use crate::config::{Config, is_code};
use crate::error::Diagnostic;

pub const CONTENT_DIR: &str = "content";

/// One content file to read, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub what: What,
    /// The file to read.
    pub path: PathBuf,
    /// Set when the file translates another.
    pub translation: Option<Translation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// `content/_index.md`.
    Home,
    /// `content/<section>/_index.md`.
    SectionIndex(Section),
    Item {
        section: Section,
        /// The bundle folder when the item is `<slug>/index.md`.
        bundle: Option<PathBuf>,
        /// The bundle's other files, relative to it, `/`-separated.
        assets: Vec<String>,
    },
}

/// What a translated file translates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The language code from the file name: `ur`.
    pub lang: String,
    /// The original file (`content/stories/canal-walks.md`).
    pub original: PathBuf,
}

impl Job {
    pub fn section(&self) -> Option<Section> {
        match self.what {
            What::Item { section, .. } => Some(section),
            _ => None,
        }
    }

    pub fn lang(&self) -> Option<&str> {
        self.translation.as_ref().map(|t| t.lang.as_str())
    }
}

/// A Markdown file's name apart: `canal-walks.ur.md` → (`canal-walks`,
/// Some(`ur`)); `about.md` → (`about`, None). None for other files. A last
/// dotted part that has a language code's shape is taken as one.
pub fn split_name(file: &str) -> Option<(&str, Option<&str>)> {
    let stem = file.strip_suffix(".md")?;
    match stem.rsplit_once('.') {
        Some((base, code)) if !base.is_empty() && is_code(code) => Some((base, Some(code))),
        _ => Some((stem, None)),
    }
}

/// Hidden files and what editors write while saving are never content.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    crate::fs::is_editor_junk(&name.to_string_lossy())
}

/// Every file under `content/`, as its path parts relative to it, in name
/// order; and the folder entries that could not be read.
fn walk(root: &Path, content: &Path) -> (Vec<Vec<String>>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(crate::fs::walk_problem(
                    root,
                    &e,
                    PathBuf::from(CONTENT_DIR),
                ));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(content) {
            let parts = rel.components();
            files.push(
                parts
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect(),
            );
        }
    }
    (files, errors)
}

/// Walks `content/` and decides what each file is. Files that are neither
/// content nor in a bundle (an editor's backup, a stray note) are left alone.
pub fn scan(root: &Path, config: &Config) -> (Vec<Job>, Vec<Diagnostic>) {
    let content = &root.join(CONTENT_DIR);
    if !content.is_dir() {
        return (Vec::new(), Vec::new());
    }
    let (files, mut errors) = walk(root, content);
    let mut s = Scanner {
        root,
        content,
        config,
        present: files.iter().map(|p| p.join("/")).collect(),
        // A bundle is a folder `<section>/<name>/` holding an `index.md`.
        bundles: files
            .iter()
            .filter(|p| p.len() == 3 && p[2] == "index.md")
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect(),
        bundle_assets: BTreeMap::new(),
        jobs: Vec::new(),
        errors: Vec::new(),
    };
    for parts in &files {
        s.file(parts);
    }
    s.finish_bundles();
    errors.append(&mut s.errors);
    (s.jobs, errors)
}

struct Scanner<'a> {
    root: &'a Path,
    content: &'a Path,
    config: &'a Config,
    /// Every file, `/`-separated relative to `content/`.
    present: HashSet<String>,
    bundles: BTreeSet<(String, String)>,
    bundle_assets: BTreeMap<(String, String), Vec<String>>,
    jobs: Vec<Job>,
    errors: Vec<Diagnostic>,
}

impl Scanner<'_> {
    fn path_of(&self, parts: &[String]) -> PathBuf {
        parts
            .iter()
            .fold(self.content.to_path_buf(), |p, s| p.join(s))
    }

    fn problem(&mut self, parts: &[String], message: String, help: String) {
        let path = crate::fs::display_path(self.root, &self.path_of(parts));
        self.errors
            .push(Diagnostic::new(path, message).with_help(help));
    }

    fn file(&mut self, parts: &[String]) {
        let Some(name) = parts.last() else { return };
        let name =
            split_name(name).map(|(base, lang)| (base.to_string(), lang.map(str::to_string)));
        match (parts, name) {
            ([_], Some((base, lang))) if base == "_index" => {
                self.push(parts, What::Home, lang.as_deref());
            }
            ([_], _) => {}
            ([section, rest @ ..], name) => self.in_section(parts, section, rest, name),
            ([], _) => {}
        }
    }

    fn in_section(
        &mut self,
        parts: &[String],
        section: &str,
        rest: &[String],
        name: Option<(String, Option<String>)>,
    ) {
        let Some(sec) = Section::from_dir(section) else {
            if name.is_some() {
                self.problem(
                    parts,
                    format!("`{section}` is not a content section"),
                    "content goes in content/stories/, content/partners/, content/timeline/ or content/pages/".into(),
                );
            }
            return;
        };
        let in_bundle = |dir: &String| self.bundles.contains(&(section.to_string(), dir.clone()));
        match (rest, name) {
            ([_], Some((base, lang))) if base == "_index" => {
                self.push(parts, What::SectionIndex(sec), lang.as_deref())
            }
            ([_], Some((_, lang))) => self.push(parts, item(sec), lang.as_deref()),
            ([_], None) => {}
            // The original's index.md is read once the bundle's files are known.
            ([_, index], _) if index == "index.md" => {}
            ([dir, _], Some((base, Some(lang)))) if base == "index" => {
                if !in_bundle(dir) {
                    // Reports that the bundle's index.md is missing.
                    self.translation(parts, &lang);
                    return;
                }
                let bundle = self.content.join(section).join(dir);
                let what = What::Item {
                    section: sec,
                    bundle: Some(bundle),
                    assets: Vec::new(),
                };
                self.push(parts, what, Some(&lang));
            }
            ([dir, inner @ ..], _) if in_bundle(dir) => {
                let key = (section.to_string(), dir.clone());
                self.bundle_assets.entry(key).or_default().push(inner.join("/"));
            }
            (_, Some(_)) => self.problem(
                parts,
                format!("this file is not where a {} can be", sec.noun()),
                format!(
                    "a {} is content/{section}/<slug>.md, or content/{section}/<slug>/index.md with its files beside it",
                    sec.noun()
                ),
            ),
            _ => {}
        }
    }

    /// A job for the file at `parts`; for a translation, once its language
    /// and its original are found.
    fn push(&mut self, parts: &[String], what: What, lang: Option<&str>) {
        let path = self.path_of(parts);
        let translation = match lang {
            None => None,
            Some(lang) => match self.translation(parts, lang) {
                Some(t) => Some(t),
                None => return,
            },
        };
        self.jobs.push(Job {
            what,
            path,
            translation,
        });
    }

    /// What the translation at `parts` translates, or None with the problem
    /// reported: a language the site does not have, or no original.
    fn translation(&mut self, parts: &[String], lang: &str) -> Option<Translation> {
        let config = self.config;
        if lang == config.default_language().code {
            self.problem(
                parts,
                format!("`{lang}` is the site's default language, whose files carry no code"),
                format!("name the file without `.{lang}`: it is the original"),
            );
            return None;
        }
        if config.language(lang).is_none() {
            let codes: Vec<&str> = config.languages[1..]
                .iter()
                .map(|l| l.code.as_str())
                .collect();
            let known = match codes.as_slice() {
                [] => "the site has no other languages yet".to_string(),
                codes => format!("its other languages are {}", codes.join(", ")),
            };
            self.problem(
                parts,
                format!("`{lang}` in the file name is not one of the site's languages"),
                format!("add [languages.{lang}] to site.toml to publish in it ({known}); if `.{lang}` is part of the name, write it with a hyphen"),
            );
            return None;
        }
        let mut original = parts.to_vec();
        let last = original.len() - 1;
        original[last] = original[last].replace(&format!(".{lang}.md"), ".md");
        if !self.present.contains(&original.join("/")) {
            let wanted = format!("{CONTENT_DIR}/{}", original.join("/"));
            let mut help = format!(
                "a translation sits beside its original: write {wanted} first, or check the name"
            );
            if let [section, name] = original.as_slice()
                && let Some(slug) = name.strip_suffix(".md")
                && self.bundles.contains(&(section.clone(), slug.to_string()))
            {
                help = format!(
                    "the original is the bundle {CONTENT_DIR}/{section}/{slug}/index.md: name this file {CONTENT_DIR}/{section}/{slug}/index.{lang}.md"
                );
            }
            self.problem(
                parts,
                format!("this translation has no original ({wanted} does not exist)"),
                help,
            );
            return None;
        }
        Some(Translation {
            lang: lang.to_string(),
            original: self.path_of(&original),
        })
    }

    /// The bundles' originals, each with its files, and every bundle
    /// translation given the same files.
    fn finish_bundles(&mut self) {
        let bundles = std::mem::take(&mut self.bundles);
        for (section, dir) in bundles {
            let Some(sec) = Section::from_dir(&section) else {
                continue;
            };
            let bundle = self.content.join(&section).join(&dir);
            let key = (section, dir);
            let mut assets = self.bundle_assets.remove(&key).unwrap_or_default();
            // Translations are pages of the bundle, not files it publishes.
            assets.retain(|a| !matches!(split_name(a), Some(("index", Some(_)))));
            for job in &mut self.jobs {
                if let What::Item {
                    bundle: Some(b),
                    assets: a,
                    ..
                } = &mut job.what
                    && *b == bundle
                {
                    a.clone_from(&assets);
                }
            }
            self.jobs.push(Job {
                what: What::Item {
                    section: sec,
                    bundle: Some(bundle.clone()),
                    assets,
                },
                path: bundle.join("index.md"),
                translation: None,
            });
        }
    }
}

fn item(section: Section) -> What {
    What::Item {
        section,
        bundle: None,
        assets: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_before_md_marks_a_translation() {
        assert_eq!(
            split_name("canal-walks.ur.md"),
            Some(("canal-walks", Some("ur")))
        );
        assert_eq!(split_name("index.pt-BR.md"), Some(("index", Some("pt-BR"))));
        assert_eq!(split_name("_index.pl.md"), Some(("_index", Some("pl"))));
        assert_eq!(split_name("about.md"), Some(("about", None)));
        assert_eq!(split_name("v2.0-launch.md"), Some(("v2.0-launch", None)));
        assert_eq!(split_name(".ur.md"), Some((".ur", None)));
        assert_eq!(split_name("photo.jpg"), None);
    }
}
