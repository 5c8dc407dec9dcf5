//! brum: a static site generator for the Birmingham Partners campaign site.
//!
//! Data flows one way: [`config`] → [`content`] (load and validate) → [`site`]
//! (the model) → [`render`] (Markdown and templates) → [`output`] (written
//! atomically). The library never prints; the binary reports.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cache;
pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod fs;
pub mod images;
pub mod incremental;
pub mod markdown;
pub mod new;
pub mod output;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod site;
pub mod statics;
pub mod theme;
pub mod url;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

pub use error::{Diagnostic, Error, Result, Severity};

/// What `brum build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (with `site.toml`).
    pub root: PathBuf,
    /// Where to write; `[build] output_dir` under `root` when None.
    pub output: Option<PathBuf>,
    /// Include drafts and future-dated stories.
    pub drafts: bool,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// The build's "now": see [`build_time`].
    pub now: DateTime<Utc>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            base_url: None,
            now: build_time(),
        }
    }
}

/// What a finished build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Where the time went, in order.
    pub phases: Vec<(&'static str, Duration)>,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// What image processing did: decoded, made, and taken from the cache.
    pub images: images::process::Stats,
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

/// Loads and checks everything a build needs, without writing anything.
pub fn load(
    options: &BuildOptions,
) -> Result<(
    site::Site,
    render::templates::Templates,
    statics::StaticFiles,
)> {
    let (loaded, _warnings) = load_checked(options)?;
    Ok((loaded.site, loaded.templates, loaded.statics))
}

/// Like [`load_with_problems`], but any error fails; the warnings come back
/// beside the site.
fn load_checked(options: &BuildOptions) -> Result<(Loaded, Vec<Diagnostic>)> {
    let (loaded, problems) = load_with_problems(options)?;
    if problems.iter().any(Diagnostic::is_error) {
        Err(Error::invalid(problems))
    } else {
        Ok((loaded, problems))
    }
}

/// A site ready to render: the model, its templates and its static files.
pub struct Loaded {
    pub site: site::Site,
    /// The site's raster images, planned beside the model.
    pub images: std::sync::Arc<images::Catalog>,
    pub templates: render::templates::Templates,
    pub statics: statics::StaticFiles,
}

/// Like [`load`], but keeps a model that has problems which do not stop
/// pages from being made (see [`site::build_with_problems`]), beside those
/// problems. An error when no model can be made at all: `site.toml`, a
/// content file or a template is broken.
pub fn load_with_problems(options: &BuildOptions) -> Result<(Loaded, Vec<Diagnostic>)> {
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
    // Content, templates and static files are checked side by side so that
    // one run reports the problems of all three.
    let mut errors = Vec::new();
    let (tree, templates) = rayon::join(
        || content::load(root, &config),
        || render::templates::load(root, &config),
    );
    let (statics, mut static_errors) = statics::collect(root, &config);
    errors.append(&mut static_errors);
    let templates = templates.map_err(|e| collect(e, &mut errors));
    let tree = tree.map_err(|e| collect(e, &mut errors));
    let (Ok(tree), Ok(templates)) = (tree, templates) else {
        return Err(Error::invalid(errors));
    };
    let (site, mut problems) = site::build(
        config,
        tree,
        root,
        &statics,
        site::Options {
            drafts: options.drafts,
            now: options.now,
        },
        &mut cache::MarkdownCache::default(),
    );
    errors.append(&mut problems);
    let (images, mut image_errors) =
        images::plan(&site, &statics, &mut images::ProbeCache::default());
    errors.append(&mut image_errors);
    let loaded = Loaded {
        site,
        images: std::sync::Arc::new(images),
        templates,
        statics,
    };
    Ok((loaded, errors))
}

/// Keeps an input error's diagnostics for a combined report; passes I/O errors on.
fn collect(e: Error, into: &mut Vec<Diagnostic>) {
    match e {
        Error::Invalid(mut d) => into.append(&mut d),
        Error::Io {
            action,
            path,
            source,
        } => into.push(Diagnostic::new(
            path,
            format!("could not {action}: {source}"),
        )),
    }
}

/// Builds the site: load, check, render into a staging folder, swap it in.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let mut phases = Vec::new();
    let mut lap = Instant::now();
    let mut phase = |name: &'static str| {
        phases.push((name, lap.elapsed()));
        lap = Instant::now();
    };
    let (loaded, warnings) = load_checked(options)?;
    let Loaded {
        site,
        images,
        templates,
        statics,
    } = loaded;
    phase("read, check and render Markdown");
    let output = output_dir(options, &site.config);
    let staging = output::Staging::begin(&output)?;
    let pictures = render::charts::Pictures::draw(&site);
    phase("draw the pictures");
    let indexer = if site.config.search {
        Some(search::Indexer::start(&site.config.language)?)
    } else {
        None
    };
    let mut counts = render::render_site(
        &site,
        &images,
        &templates,
        pictures,
        &statics,
        &staging,
        indexer.as_ref(),
    )?;
    phase("render templates and write");
    let mut assembling = None;
    if let Some(indexer) = indexer {
        let index = indexer.finish()?;
        assembling = Some(index.assembling);
        phase("search index: read the pages");
        for (path, bytes) in &index.files {
            output::Sink::write(&staging, path, bytes)?;
        }
        counts.files += index.files.len();
        phase("search index: write");
    }
    let image_stats = images::process::publish(
        &images.jobs(),
        &site.config.images,
        &images::process::cache_for(&options.root),
        &staging,
    )?;
    phase("images");
    staging.commit()?;
    phase("swap in, remove the old output");
    drop(site);
    phase("free memory");
    // Pagefind assembles the index at the end of reading; said apart.
    if let Some((at, assembling)) = phases
        .iter()
        .position(|(name, _)| *name == "search index: read the pages")
        .zip(assembling)
    {
        phases[at].1 = phases[at].1.saturating_sub(assembling);
        phases.insert(at + 1, ("search index: assemble (Pagefind)", assembling));
    }
    Ok(BuildReport {
        pages: counts.pages,
        files: counts.files + image_stats.made + image_stats.cached,
        output,
        elapsed: started.elapsed(),
        phases,
        warnings,
        images: image_stats,
    })
}

fn output_dir(options: &BuildOptions, config: &config::Config) -> PathBuf {
    match &options.output {
        Some(out) => out.clone(),
        None => join_root(&options.root, &config.build.output_dir),
    }
}

fn join_root(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}
