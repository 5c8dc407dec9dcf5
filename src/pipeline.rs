//! The one load every command runs: `site.toml` → content → the site model →
//! its images, beside the templates and static files, with every problem
//! found on the way. `brum build` renders what it gives and writes it,
//! `brum check` reads it, and `brum serve` passes the same [`Caches`] in on
//! every save so that only what changed is read again.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::cache::MarkdownCache;
use crate::config::{self, Config};
use crate::content::data::{self, Data};
use crate::content::{self, ContentTree};
use crate::error::{Diagnostic, Error, Result};
use crate::images::{self, Catalog, ProbeCache};
use crate::render;
use crate::render::templates::{self, Templates};
use crate::site::{self, Site};
use crate::statics::{self, StaticFiles};

/// How a site is loaded: the folder, and how it is published.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder (with `site.toml`).
    pub root: PathBuf,
    /// Include drafts and future-dated stories.
    pub drafts: bool,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// The build's "now": see [`build_time`].
    pub now: DateTime<Utc>,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            drafts: false,
            base_url: None,
            now: build_time(),
        }
    }
}

/// "Now" for a build: `SOURCE_DATE_EPOCH` when set (reproducible builds),
/// else the clock.
pub fn build_time() -> DateTime<Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(Utc::now)
}

/// What changed on disk since the last load, as `serve`'s watcher sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    /// `site.toml`: everything is read again.
    Config,
    /// A template (the site's or the theme's).
    Templates(PathBuf),
    /// A file under `static/` or a theme's `static/`.
    Static(PathBuf),
    /// A file under `content/`.
    Content(PathBuf),
    /// A file under `data/`: the data files are read again.
    Data(PathBuf),
}

/// What one load keeps for the next. A build or check starts from
/// [`Caches::default`], which keeps no content files; `serve` from
/// [`Caches::kept`], and hands the same caches to every load.
#[derive(Default)]
pub struct Caches {
    config: Option<Config>,
    templates: Option<Arc<Templates>>,
    statics: Option<(Arc<StaticFiles>, Vec<Diagnostic>)>,
    data: Option<(Data, Vec<Diagnostic>)>,
    content: content::load::Cache,
    markdown: MarkdownCache,
    probes: ProbeCache,
}

impl Caches {
    /// Caches that keep every parsed file, for loading again and again.
    pub fn kept() -> Caches {
        Caches {
            content: content::load::Cache::kept(),
            ..Caches::default()
        }
    }

    /// The site's settings, once a load has read them.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// How many image files the loads so far read to learn their size.
    pub fn images_read(&self) -> usize {
        self.probes.read
    }

    /// Forgets what `changes` make stale. A change to `site.toml`, or a
    /// `site.toml` that did not load last time, forgets everything.
    fn forget(&mut self, changes: &[Change]) {
        if self.config.is_none() || changes.contains(&Change::Config) {
            self.config = None;
            self.templates = None;
            self.statics = None;
            self.data = None;
            self.content.clear();
            self.markdown = MarkdownCache::default();
        }
        let templates = changes.iter().any(|c| matches!(c, Change::Templates(_)));
        let statics = changes.iter().any(|c| matches!(c, Change::Static(_)));
        if templates {
            self.templates = None;
        }
        if templates || statics {
            // A theme's folders hold both; which is which is cheap to redo.
            self.statics = None;
        }
        if changes.iter().any(|c| matches!(c, Change::Data(_))) {
            self.data = None;
        }
    }
}

/// A loaded site: the model and what rendering it needs, and every problem
/// found. The model is made whatever the problems, so `brum check` can go
/// on to check the links of the files that did load.
pub struct Loaded {
    pub site: Site,
    /// The site's raster images, planned beside the model.
    pub images: Arc<Catalog>,
    pub statics: Arc<StaticFiles>,
    /// None when a template could not be loaded (its errors are among the
    /// problems).
    pub templates: Option<Arc<Templates>>,
    /// Errors and warnings, in the order found.
    pub problems: Vec<Diagnostic>,
}

/// A site with no errors, ready to render; its warnings beside it.
pub struct Ready {
    pub site: Site,
    pub images: Arc<Catalog>,
    pub statics: Arc<StaticFiles>,
    pub templates: Arc<Templates>,
    pub warnings: Vec<Diagnostic>,
}

impl Loaded {
    /// The site, if it has no errors; else every error at once.
    pub fn ready(self) -> Result<Ready> {
        let (errors, warnings): (Vec<_>, Vec<_>) =
            self.problems.into_iter().partition(Diagnostic::is_error);
        match self.templates {
            Some(templates) if errors.is_empty() => Ok(Ready {
                site: self.site,
                images: self.images,
                statics: self.statics,
                templates,
                warnings,
            }),
            _ => Err(Error::invalid(errors)),
        }
    }
}

/// Loads the site at `options.root`, reusing what `caches` hold and is not
/// made stale by `changes`. An error only when there is no model to make:
/// no `site.toml`, a broken one, a wrong `--base-url`, or a failed read.
pub fn load(options: &Options, caches: &mut Caches, changes: &[Change]) -> Result<Loaded> {
    load_keeping(options, caches, changes, false).map(|(loaded, _)| loaded)
}

/// Like [`load`], and also every content file as read, drafts and the files
/// that could not be used included: what `brum check` reads. A build does
/// not keep them, so the drafts it leaves out are freed as soon as the model
/// is made (at 10,000 stories, 13 MB of a build's peak memory).
pub fn load_with_content(options: &Options, caches: &mut Caches) -> Result<(Loaded, ContentTree)> {
    let (loaded, content) = load_keeping(options, caches, &[], true)?;
    Ok((loaded, content.unwrap_or_default()))
}

fn load_keeping(
    options: &Options,
    caches: &mut Caches,
    changes: &[Change],
    keep_content: bool,
) -> Result<(Loaded, Option<ContentTree>)> {
    let root = &options.root;
    caches.forget(changes);
    let config = match caches.config.take() {
        Some(config) => config,
        None => load_config(options)?,
    };
    caches.config = Some(config.clone());
    let mut problems = Vec::new();
    let changed: HashSet<&Path> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Content(p) => Some(p.as_path()),
            _ => None,
        })
        .collect();
    // Content and templates are read side by side; one run reports the
    // problems of both.
    let ((content, mut content_problems), templates) = rayon::join(
        || caches.content.load(root, &config, &changed),
        || match caches.templates.clone() {
            Some(t) => Ok(t),
            None => templates::load(root, &config).map(Arc::new),
        },
    );
    let templates = templates
        .map_err(|e| problems.extend(diagnostics_of(e)))
        .ok();
    if let Some(t) = &templates {
        problems.extend(t.warnings.iter().cloned());
    }
    caches.templates = templates.clone();
    let (statics, static_problems) = caches
        .statics
        .get_or_insert_with(|| {
            let (files, problems) = statics::collect(root, &config);
            (Arc::new(files), problems)
        })
        .clone();
    problems.extend(static_problems);
    problems.append(&mut content_problems);
    let (data, data_problems) = caches.data.get_or_insert_with(|| data::load(root, &config));
    problems.extend(data_problems.iter().cloned());
    let site_options = site::Options {
        drafts: options.drafts,
        now: options.now,
    };
    let kept = keep_content.then(|| content.clone());
    let sources = site::Sources {
        root,
        data,
        statics: &statics,
        components: templates.as_deref().map(|t| &t.components),
    };
    let (site, mut site_problems) =
        site::build(config, content, sources, site_options, &mut caches.markdown);
    problems.append(&mut site_problems);
    let (mut images, mut image_problems) = images::plan(&site, &statics, &mut caches.probes);
    problems.append(&mut image_problems);
    if let Some(t) = &templates {
        problems.extend(render::components::expand_all(&site, &mut images, t));
    }
    let loaded = Loaded {
        site,
        images: Arc::new(images),
        statics,
        templates,
        problems,
    };
    Ok((loaded, kept))
}

/// What [`edit_texts`] did: where each edited story is, and the images
/// catalog with their bodies planned again.
pub struct Edited {
    pub stories: Vec<site::edit::At>,
    pub images: Arc<Catalog>,
}

/// Brings `site`, the last good load's model, up to date with `changes` in
/// place, when they are saves of stories whose text alone changed (see
/// [`site::edit`]): each file read again and its body rendered, planned and
/// its components run, nothing else read or rebuilt. None when the changes
/// are more than that, or bring a problem: then [`load`] (with the same
/// caches and changes) does it all, and reports.
pub fn edit_texts(
    options: &Options,
    caches: &mut Caches,
    site: &mut Site,
    (statics, images, templates): (&StaticFiles, &Catalog, &Templates),
    changes: &[Change],
) -> Option<Edited> {
    let config = caches.config.as_ref()?;
    let mut edits = Vec::new();
    for change in changes {
        let Change::Content(path) = change else {
            return None;
        };
        if !caches.content.knows(path) && !path.exists() {
            // An editor's temporary file, already renamed over the story.
            continue;
        }
        let (old, new) = caches.content.reread(&options.root, config, path)?;
        let (Ok(content::load::Parsed::Story(_)), Ok(content::load::Parsed::Story(story))) =
            (&old.result, new.result)
        else {
            return None;
        };
        if !old.diagnostics.is_empty() || !new.diagnostics.is_empty() {
            return None;
        }
        let sources = site::Sources {
            root: &options.root,
            data: &caches.data.as_ref()?.0,
            statics,
            components: Some(&templates.components),
        };
        let edit = site::edit::story_text(site, story, sources, &caches.markdown)?;
        if !images::plan::same_images(edit.old(site)?, &edit.entry) {
            return None;
        }
        edits.push(edit);
    }
    let mut catalog = images.clone();
    let mut stories = Vec::new();
    for edit in edits {
        let at = edit.apply(site, &mut caches.markdown);
        let lang = site.languages().nth(at.lang)?;
        images::plan::plan_body(&mut catalog, &lang.stories.get(at.index)?.entry);
        render::components::expand_story(lang, at.index, &mut catalog, templates).ok()?;
        stories.push(at);
    }
    Some(Edited {
        stories,
        images: Arc::new(catalog),
    })
}

/// `site.toml`, with `--base-url` applied: the one place it is.
fn load_config(options: &Options) -> Result<Config> {
    let root = &options.root;
    if !root.join(config::FILE_NAME).is_file() {
        return Err(Error::invalid(vec![
            Diagnostic::new(root.join(config::FILE_NAME), "there is no site.toml here")
                .with_help("run brum in a site folder, or point to one with --root DIR"),
        ]));
    }
    let mut config = config::load(root)?;
    if let Some(url) = &options.base_url {
        config
            .set_base_url(url)
            .map_err(|m| Error::invalid(vec![Diagnostic::new("--base-url", m)]))?;
    }
    Ok(config)
}

/// An error's problems, for a combined report: an input error's
/// diagnostics, or an I/O error as one.
pub fn diagnostics_of(e: Error) -> Vec<Diagnostic> {
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
