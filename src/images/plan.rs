//! Planning a site's images after its model is made: probe every raster file
//! it publishes, mark the ones pages show, give each front-matter image its
//! responsive form, and turn body images into `<picture>`s.

use std::sync::Arc;

use super::{Catalog, Format, ProbeCache, markup, unsupported_format};
use crate::content::{ContentItem, Picture};
use crate::error::Diagnostic;
use crate::site::{Entry, Site};
use crate::statics::{StaticFiles, StaticSource};
use crate::url::join_url;

/// Plans the images of `site` and stores the catalog in it. Returns the
/// problems: images that cannot be read, are too large, or are in a format
/// brum cannot publish.
pub fn attach(site: &mut Site, statics: &StaticFiles, probes: &mut ProbeCache) -> Vec<Diagnostic> {
    let base = site.config.base_path.clone();
    let root = site.root.clone();
    let files = statics
        .iter()
        .map(|(dest, src)| (src, dest))
        .chain(site.assets.iter().map(|(src, dest)| (src, dest)))
        .filter_map(|(src, dest)| match src {
            StaticSource::File(path) if Format::from_name(dest).is_some() => Some((
                path.clone(),
                crate::fs::display_path(&root, path),
                join_url(&base, dest),
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
    let mut catalog = Catalog::new(site.config.images.clone(), sources);

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
        }
    }
    mark(
        site.stories.iter().map(|s| &s.entry),
        &mut catalog,
        &mut errors,
    );
    mark(
        site.timeline.iter().map(|t| &t.entry),
        &mut catalog,
        &mut errors,
    );
    mark(&site.partners, &mut catalog, &mut errors);
    mark(&site.pages, &mut catalog, &mut errors);
    for s in &site.stories {
        if let Some(url) = &s.entry.image_url {
            catalog.mark_card(url);
        }
    }
    let intro_urls: Vec<String> = std::iter::once(&site.home)
        .chain(site.intros.values())
        .flat_map(|i| markup::image_urls(&i.html))
        .collect();
    for url in intro_urls {
        catalog.mark_used(&url);
    }

    fn apply<T: ContentItem>(e: &mut Entry<T>, catalog: &Catalog) {
        e.picture = e
            .image_url
            .as_deref()
            .and_then(|u| catalog.responsive(u))
            .map(Arc::new);
        let has_picture = e.picture.is_some();
        if let Some(html) = markup::rewrite_body(&e.rendered.html, catalog, has_picture) {
            let mut rendered = (*e.rendered).clone();
            rendered.html = html;
            e.rendered = Arc::new(rendered);
        }
    }
    for s in &mut site.stories {
        apply(&mut s.entry, &catalog);
    }
    for p in &mut site.partners {
        apply(p, &catalog);
    }
    for t in &mut site.timeline {
        apply(&mut t.entry, &catalog);
    }
    for p in &mut site.pages {
        apply(p, &catalog);
    }
    for intro in std::iter::once(&mut site.home).chain(site.intros.values_mut()) {
        if let Some(html) = markup::rewrite_body(&intro.html, &catalog, false) {
            intro.html = html;
        }
    }
    site.images = Arc::new(catalog);
    errors
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
