//! The model and the templates to pages: one job per output file, rendered in
//! parallel and handed to a [`Sink`]. No file-system access of its own.
//!
//! [`jobs`] lists what there is to render, [`pages`] has one function per
//! kind of page, [`view`] what templates see of the model, [`paginator`] a
//! list's page links, [`vars`] a page's variables and their fingerprint,
//! [`templates`] the Tera set-up, [`structured`] the JSON-LD, and
//! [`charts`] the SVG pictures.

pub mod charts;
pub mod components;
mod contents;
mod filters;
pub mod jobs;
pub mod languages;
mod markdown_filter;
pub mod pages;
pub mod paginator;
pub mod strings;
pub mod structured;
pub mod templates;
pub mod vars;
pub mod view;

use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{CachedPage, PageCache};
use crate::error::{Diagnostic, Error, JobError, Result, collect_jobs};
use crate::images::Catalog;
use crate::output::Sink;
use crate::site::Site;
use crate::statics::{StaticFiles, StaticSource};
use charts::Pictures;
pub use jobs::{Job, Kind, jobs};
use pages::Renderer;
use templates::Templates;

/// What rendering produced.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub pages: usize,
    pub files: usize,
}

/// Each language's renderer and its jobs: the default language first.
fn renderers<'a>(
    site: &'a Site,
    images: &'a Arc<Catalog>,
    templates: &'a Templates,
    pictures: &'a [Pictures],
) -> Vec<(Renderer<'a>, Vec<Job>)> {
    site.languages()
        .zip(pictures)
        .map(|(lang, pictures)| {
            let renderer = Renderer::new(lang, site, images, templates, pictures);
            (renderer, jobs(lang))
        })
        .collect()
}

/// Every job of every language, each with its language's renderer.
fn all_jobs<'r, 'a>(renderers: &'r [(Renderer<'a>, Vec<Job>)]) -> Vec<(&'r Renderer<'a>, &'r Job)> {
    renderers
        .iter()
        .flat_map(|(r, jobs)| jobs.iter().map(move |j| (r, j)))
        .collect()
}

/// How many jobs a thread renders before it parses the searchable ones
/// among them for the index. Alternating the two page by page made each
/// evict the other's code and data from the core's caches: Tera's and the
/// renderer's samples grew by a fifth with search on, and the indexer's word
/// memo missed the cache. Batches of 32 took a tenth off the CPU time of
/// the 10,000-story build with search (8 about half that; 128 no better);
/// a batch's pages are held meanwhile, about 30 KB each.
const INDEX_BATCH: usize = 32;

/// Renders every job and copies every file into `sink`, handing each
/// searchable page to `index` too. Template errors are all collected; a
/// write error stops the build. `pictures` are each language's charts.
pub fn render_site(
    site: &Site,
    images: &Arc<Catalog>,
    templates: &Templates,
    pictures: &[Pictures],
    statics: &StaticFiles,
    sink: &dyn Sink,
    index: Option<&crate::search::Indexer>,
) -> Result<Counts> {
    let renderers = renderers(site, images, templates, pictures);
    let jobs = all_jobs(&renderers);
    let results: Vec<std::result::Result<(), JobError>> = jobs
        .par_chunks(INDEX_BATCH)
        // Each batch a task of its own: rayon's adaptive split otherwise
        // leaves a thread a run of batches that it works through alone
        // unless another thread steals it early, which can leave one core
        // busy at the end while the other waits.
        .with_max_len(1)
        .flat_map_iter(|batch| render_batch(batch, sink, index))
        .collect();
    collect_jobs(results)?;
    let copied = copy_files(site, images, statics, sink)?;
    Ok(Counts {
        pages: jobs.len(),
        files: jobs.len() + copied,
    })
}

/// Renders and writes a batch of jobs, then adds its searchable pages to
/// `index` (see [`INDEX_BATCH`]).
fn render_batch(
    batch: &[(&Renderer, &Job)],
    sink: &dyn Sink,
    index: Option<&crate::search::Indexer>,
) -> Vec<std::result::Result<(), JobError>> {
    let mut documents = Vec::new();
    let results = batch
        .iter()
        .map(|(renderer, job)| {
            let (path, bytes) = renderer.render(job).map_err(JobError::Input)?;
            stays_inside(&path).map_err(JobError::Io)?;
            sink.write(&path, &bytes).map_err(JobError::Io)?;
            if index.is_some() && job.searchable() {
                documents.push(crate::search::Document {
                    path,
                    html: Arc::new(bytes),
                });
            }
            Ok(())
        })
        .collect();
    if let Some(index) = index {
        index.add_all(documents);
    }
    results
}

/// Copies the static and bundle files that are published as they are (raster
/// images are published re-encoded, see [`crate::images`]); how many.
fn copy_files(
    site: &Site,
    images: &Catalog,
    statics: &StaticFiles,
    sink: &dyn Sink,
) -> Result<usize> {
    let processed = images.source_paths();
    let assets = site.languages().flat_map(|l| &l.assets);
    let copies: Vec<(&StaticSource, &str)> = statics
        .iter()
        .map(|(dest, src)| (src, dest.as_str()))
        .chain(assets.map(|(src, dest)| (src, dest.as_str())))
        .filter(|(_, dest)| !processed.contains(dest))
        .collect();
    copies.par_iter().try_for_each(|(src, dest)| {
        stays_inside(dest)?;
        match src {
            StaticSource::File(path) => sink.copy(path, dest),
            StaticSource::Builtin(bytes) => sink.write(dest, bytes),
            StaticSource::Made(bytes) => sink.write(dest, bytes),
        }
    })?;
    Ok(copies.len())
}

/// Renders every page into memory, reusing from `previous` each page whose
/// template and variables are unchanged (so its bytes are too). Returns the
/// new pages and how many were rendered afresh. Assumes the templates are
/// those `previous` was rendered with; `pictures` are each language's
/// charts ([`Pictures::draw_all`]).
pub fn render_pages(
    site: &Site,
    images: &Arc<Catalog>,
    templates: &Templates,
    pictures: &[Pictures],
    previous: &PageCache,
) -> Result<(PageCache, usize)> {
    let renderers = renderers(site, images, templates, pictures);
    let results: Vec<std::result::Result<(String, CachedPage, bool), Diagnostic>> =
        all_jobs(&renderers)
            .par_iter()
            .map(|(renderer, job)| render_cached(renderer, job, previous))
            .collect();
    let (rendered, diagnostics) = split(results);
    let fresh = rendered.iter().filter(|(_, _, fresh)| *fresh).count();
    let pages = rendered
        .into_iter()
        .map(|(path, page, _)| (path, page))
        .collect();
    if diagnostics.is_empty() {
        Ok((pages, fresh))
    } else {
        Err(Error::invalid(diagnostics))
    }
}

/// One page: the one in `previous` when its fingerprint is the same, else
/// rendered afresh (the flag says which).
fn render_cached(
    renderer: &Renderer,
    job: &Job,
    previous: &PageCache,
) -> std::result::Result<(String, CachedPage, bool), Diagnostic> {
    let prepared = renderer.prepare(job);
    let fingerprint = prepared.vars.fingerprint(prepared.template);
    if let Some(old) = previous
        .get(&prepared.path)
        .filter(|old| old.fingerprint == fingerprint)
    {
        return Ok((prepared.path, old.clone(), false));
    }
    let bytes = renderer.render_prepared(prepared.template, prepared.vars)?;
    let page = CachedPage {
        searchable: job.searchable(),
        fingerprint,
        bytes: Arc::new(bytes),
    };
    Ok((prepared.path, page, true))
}

/// Renders some pages of one language (its position in
/// [`Site::languages`]) into `pages`, in place of what was there: for an
/// edit whose pages are known ([`jobs::showing_story`]). The other pages
/// are as they were. Returns the paths of the pages that changed.
pub fn render_some(
    site: &Site,
    images: &Arc<Catalog>,
    templates: &Templates,
    (lang, pictures): (usize, &Pictures),
    jobs: &[Job],
    pages: &mut PageCache,
) -> Result<Vec<String>> {
    let Some(lang) = site.languages().nth(lang) else {
        return Ok(Vec::new());
    };
    let renderer = Renderer::new(lang, site, images, templates, pictures);
    let results: Vec<_> = jobs
        .par_iter()
        .map(|job| render_cached(&renderer, job, pages))
        .collect();
    let (rendered, diagnostics) = split(results);
    if !diagnostics.is_empty() {
        return Err(Error::invalid(diagnostics));
    }
    let mut changed = Vec::new();
    for (path, page, fresh) in rendered {
        if fresh {
            changed.push(path.clone());
            pages.insert(path, page);
        }
    }
    Ok(changed)
}

/// A page rendered in memory, with the job and template it came from.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub job: Job,
    /// The language of the site the job belongs to (its indexes are that
    /// site's).
    pub lang: String,
    /// The template that rendered it: `story.html`.
    pub template: &'static str,
    /// Relative to the output root: `stories/x/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Renders every page in memory, each with where it came from, for callers
/// that read pages rather than write them (`brum check`). Every template
/// error is reported.
pub fn render_with_jobs(
    site: &Site,
    images: &Arc<Catalog>,
    templates: &Templates,
) -> Result<Vec<RenderedPage>> {
    let pictures = Pictures::draw_all(site, &templates.strings);
    let renderers = renderers(site, images, templates, &pictures);
    let results: Vec<std::result::Result<RenderedPage, Diagnostic>> = all_jobs(&renderers)
        .into_par_iter()
        .map(|(renderer, job)| {
            let job = job.clone();
            let prepared = renderer.prepare(&job);
            let (template, path) = (prepared.template, prepared.path);
            let bytes = renderer.render_prepared(template, prepared.vars)?;
            Ok(RenderedPage {
                job,
                lang: renderer.site().lang.code.clone(),
                template,
                path,
                bytes,
            })
        })
        .collect();
    let (pages, diagnostics) = split(results);
    if diagnostics.is_empty() {
        Ok(pages)
    } else {
        Err(Error::invalid(diagnostics))
    }
}

/// The pages that rendered, and the problems of those that did not.
fn split<T>(results: Vec<std::result::Result<T, Diagnostic>>) -> (Vec<T>, Vec<Diagnostic>) {
    let mut ok = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(page) => ok.push(page),
            Err(d) => problems.push(d),
        }
    }
    (ok, problems)
}

/// Refuses an output path that would land outside the output folder. Content
/// checks keep such paths out (slugs, aliases); this is the last line, so a
/// mistake there is a failed build, never a file written elsewhere.
fn stays_inside(path: &str) -> Result<()> {
    let inside = !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\0')
        && path.split('/').all(|part| part != ".." && part != ".");
    if inside {
        Ok(())
    } else {
        Err(Error::io(
            "write outside the output folder",
            std::path::Path::new(path),
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the path leaves the output folder; brum refuses to write it",
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_output_are_refused() {
        for bad in [
            "../x/index.html",
            "a/../../b",
            "/etc/passwd",
            "a/./b",
            "a\0b",
            "",
        ] {
            assert!(stays_inside(bad).is_err(), "{bad:?}");
        }
        for good in [
            "index.html",
            "stories/x/index.html",
            "my story/index.html",
            "a..b/c",
        ] {
            assert!(stays_inside(good).is_ok(), "{good:?}");
        }
    }
}
