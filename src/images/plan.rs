//! Planning a site's images after its model is made: probe every raster file
//! it publishes, mark the ones pages show, give each front-matter image its
//! responsive form, and turn body images into `<picture>`s. The model is only
//! read: what planning finds goes into the [`Catalog`] beside it.

use std::sync::Arc;

use super::{Catalog, Format, ProbeCache, markup, unsupported_format};
use crate::content::{ContentItem, Picture};
use crate::error::Diagnostic;
use crate::site::{Entry, Placed, Resolved, Site};
use crate::statics::{StaticFiles, StaticSource};

/// Plans the images of `site`, in every language. Returns the catalog and
/// the problems: images that cannot be read, are too large, or are in a
/// format brum cannot publish.
pub fn plan(
    site: &Site,
    statics: &StaticFiles,
    probes: &mut ProbeCache,
) -> (Catalog, Vec<Diagnostic>) {
    let (mut catalog, mut errors) = probe(site, statics, probes);
    for lang in site.languages() {
        mark_used(lang, &mut catalog, &mut errors);
        for s in &lang.stories {
            if let Some(url) = &s.entry.image_url {
                catalog.mark_card(url);
            }
        }
    }
    for lang in site.languages() {
        responsive_forms(lang, &mut catalog);
    }
    (catalog, errors)
}

/// Reads the size of every raster file the site publishes: its static files
/// and the files in its bundles.
fn probe(
    site: &Site,
    statics: &StaticFiles,
    probes: &mut ProbeCache,
) -> (Catalog, Vec<Diagnostic>) {
    let files = statics
        .iter()
        .map(|(dest, src)| (src, dest))
        .chain(
            site.languages()
                .flat_map(|l| &l.assets)
                .map(|(src, dest)| (src, dest)),
        )
        .filter_map(|(src, dest)| match src {
            StaticSource::File(path) if Format::from_name(dest).is_some() => Some((
                path.clone(),
                crate::fs::display_path(&site.root, path),
                site.routes.url(dest),
                dest.clone(),
            )),
            _ => None,
        })
        .collect();
    let mut errors = Vec::new();
    let mut sources = Vec::new();
    for result in probes.probe_all(files, &site.config.images) {
        match result {
            Ok(s) => sources.push(s),
            Err(d) => errors.push(d),
        }
    }
    (Catalog::new(site.config.images.clone(), sources), errors)
}

/// Marks every image a page shows (front matter and bodies), so it gets
/// every width; an image in a format brum cannot publish is an error.
fn mark_used(site: &Site, catalog: &mut Catalog, errors: &mut Vec<Diagnostic>) {
    fn mark<'a, T: ContentItem + 'a>(
        entries: impl IntoIterator<Item = &'a Entry<T>>,
        catalog: &mut Catalog,
        errors: &mut Vec<Diagnostic>,
    ) {
        for e in entries {
            let source = &e.item.common().source;
            if let (Some(url), Some(pic)) = (&e.image_url, e.item.picture())
                && !catalog.mark_used(url)
            {
                check_format(url, &source.path, Some(pic), errors);
            }
            for url in markup::image_urls(&e.rendered.html) {
                if !catalog.mark_used(&url) {
                    check_format(&url, &source.path, None, errors);
                }
            }
            for url in component_images(&e.components) {
                if !catalog.mark_used(url) {
                    check_format(url, &source.path, None, errors);
                }
            }
        }
    }
    mark(site.stories.iter().map(|s| &s.entry), catalog, errors);
    mark(site.timeline.iter().map(|t| &t.entry), catalog, errors);
    mark(site.own_partners(), catalog, errors);
    mark(site.own_pages(), catalog, errors);
    for intro in site.intros() {
        for url in markup::image_urls(&intro.html) {
            catalog.mark_used(&url);
        }
        for url in component_images(&intro.components) {
            catalog.mark_used(url);
        }
    }
}

/// The pictures components show (a `figure`'s `src`).
fn component_images(placed: &[Placed]) -> impl Iterator<Item = &str> {
    placed.iter().flat_map(|p| {
        p.args.iter().filter_map(|(_, v)| match v {
            Resolved::Image(url) => Some(url.as_str()),
            _ => None,
        })
    })
}

/// Gives each picture a component shows its responsive form.
fn component_forms(placed: &[Placed], catalog: &mut Catalog) {
    for url in component_images(placed) {
        if let Some(r) = catalog.responsive(url) {
            catalog.set_picture(url, Arc::new(r));
        }
    }
}

/// Each front-matter picture's responsive form, and each body with its
/// images turned into `<picture>`s, kept in the catalog by the source file.
fn responsive_forms(site: &Site, catalog: &mut Catalog) {
    fn forms<'a, T: ContentItem + 'a>(
        entries: impl IntoIterator<Item = &'a Entry<T>>,
        catalog: &mut Catalog,
    ) {
        for e in entries {
            if let Some(u) = e.image_url.as_deref()
                && let Some(responsive) = catalog.responsive(u)
            {
                catalog.set_picture(u, Arc::new(responsive));
            }
            plan_body(catalog, e);
            component_forms(&e.components, catalog);
        }
    }
    forms(site.stories.iter().map(|s| &s.entry), catalog);
    forms(site.own_partners(), catalog);
    forms(site.timeline.iter().map(|t| &t.entry), catalog);
    forms(site.own_pages(), catalog);
    for intro in site.intros() {
        component_forms(&intro.components, catalog);
        if let (Some(source), Some(html)) = (
            &intro.source,
            markup::rewrite_body(&intro.html, catalog, false),
        ) {
            catalog.set_body(&source.content_path, html);
        }
    }
}

/// The images an item's page shows from its text: those of its body and
/// of its components, in order.
fn shown<T: ContentItem>(e: &Entry<T>) -> Vec<String> {
    let body = markup::image_urls(&e.rendered.html);
    let components = component_images(&e.components).map(str::to_string);
    body.into_iter().chain(components).collect()
}

/// Whether an item's new text shows the same images as the old: then the
/// image files planned for the site stand as they are.
pub fn same_images<T: ContentItem>(old: &Entry<T>, new: &Entry<T>) -> bool {
    shown(old) == shown(new)
}

/// An item's body with its images made `<picture>`s, once its own
/// picture's form is in the catalog; run again when its text changes (and
/// shows the same images, see [`same_images`]).
pub fn plan_body<T: ContentItem>(catalog: &mut Catalog, e: &Entry<T>) {
    let picture = e
        .image_url
        .as_deref()
        .is_some_and(|u| catalog.picture(u).is_some());
    let path = &e.item.common().source.content_path;
    match markup::rewrite_body(&e.rendered.html, catalog, picture) {
        Some(html) => catalog.set_body(path, html),
        None => catalog.remove_body(path),
    }
}

/// An image a page shows that brum does not process: fine for SVG, GIF and
/// other sites' files; an error for camera formats browsers cannot show.
fn check_format(
    url: &str,
    content: &std::path::Path,
    pic: Option<&Picture>,
    errors: &mut Vec<Diagnostic>,
) {
    let name = url.split(['?', '#']).next().unwrap_or(url);
    if let Some(kind) = unsupported_format(name) {
        let mut d = Diagnostic::new(
            content,
            format!("the image `{url}` is a {kind} file, which brum cannot publish for browsers"),
        )
        .with_help("convert it to JPEG (photos) or PNG (graphics) and point to the new file");
        if let Some(pic) = pic {
            d = d.at(pic.src.pos);
        }
        errors.push(d);
    }
}
