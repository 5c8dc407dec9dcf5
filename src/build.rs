//! `brum build`: load the site through the [pipeline](crate::pipeline),
//! render every page into a staging folder beside the output, add the search
//! index and the images, and swap the new site in only when it is complete.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::error::{Diagnostic, Result};
use crate::pipeline::{self, Caches, Options, Ready};
use crate::{config, images, output, render, search};

/// What `brum build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site and how it is published.
    pub site: Options,
    /// Where to write; `[build] output_dir` under the root when None.
    pub output: Option<PathBuf>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            site: Options::new(root),
            output: None,
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

/// The time each phase of a build took.
struct Phases {
    lap: Instant,
    done: Vec<(&'static str, Duration)>,
}

impl Phases {
    fn start() -> Phases {
        Phases {
            lap: Instant::now(),
            done: Vec::new(),
        }
    }

    fn end(&mut self, name: &'static str) {
        self.done.push((name, self.lap.elapsed()));
        self.lap = Instant::now();
    }
}

/// Builds the site: load, check, render into a staging folder, swap it in.
/// Any error leaves the previous output as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let mut phases = Phases::start();
    let loaded = pipeline::load(&options.site, &mut Caches::default(), &[])?;
    let ready = loaded.ready()?;
    phases.end("read, check and render Markdown");
    let output = output_dir(options, &ready.site.config);
    let staging = output::Staging::begin(&output)?;
    let pictures = render::charts::Pictures::draw_all(&ready.site, &ready.templates.strings);
    phases.end("draw the pictures");
    let indexer = match ready.site.config.search {
        true => {
            let c = &ready.site.config;
            let language = (!c.is_multilingual()).then_some(c.language.as_str());
            Some(search::Indexer::start(language)?)
        }
        false => None,
    };
    let Ready {
        site,
        images,
        statics,
        templates,
        warnings,
    } = ready;
    let mut counts = render::render_site(
        &site,
        &images,
        &templates,
        &pictures,
        &statics,
        &staging,
        indexer.as_ref(),
    )?;
    // With search on, each page is parsed for the index soon after it is
    // rendered, on the same thread (see render::INDEX_BATCH), so this phase
    // includes that.
    phases.end("render templates and write");
    if let Some(indexer) = indexer {
        // Its 10,000 files for 10,000 stories, on every thread: creating a
        // file is mostly the system's time, which two threads overlap. The
        // fragments are written while the word chunks are made (see
        // `finish_early`), so that phase includes them.
        let write = |files: &search::Files| -> Result<usize> {
            files
                .par_iter()
                .try_for_each(|(path, bytes)| output::Sink::write(&staging, path, bytes))?;
            Ok(files.len())
        };
        let written = std::sync::atomic::AtomicUsize::new(0);
        let failed = std::sync::Mutex::new(None);
        let index = indexer.finish_early(&|files| match write(&files) {
            Ok(n) => {
                written.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            }
            Err(e) => {
                let mut failed = failed.lock().unwrap_or_else(|e| e.into_inner());
                failed.get_or_insert(e);
            }
        })?;
        if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(e);
        }
        counts.files += written.into_inner();
        phases.end("search index: assemble (Pagefind), write the pages' fragments");
        counts.files += write(&index.files)?;
        phases.end("search index: write the rest");
    }
    let cache = images::process::cache_for(&options.site.root);
    let image_stats =
        images::process::publish(&images.jobs(), &site.config.images, &cache, &staging)?;
    phases.end("images");
    staging.commit()?;
    phases.end("swap in, remove the old output");
    drop(site);
    phases.end("free memory");
    Ok(BuildReport {
        pages: counts.pages,
        files: counts.files + image_stats.made + image_stats.cached,
        output,
        elapsed: started.elapsed(),
        phases: phases.done,
        warnings,
        images: image_stats,
    })
}

fn output_dir(options: &BuildOptions, config: &config::Config) -> PathBuf {
    match &options.output {
        Some(out) => out.clone(),
        None => join_root(&options.site.root, &config.build.output_dir),
    }
}

fn join_root(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}
