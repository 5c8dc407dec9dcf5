//! Rendering every item's Markdown, in parallel and through the cache, once
//! every address is known (links between content files need them), and
//! resolving each front-matter picture's address.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::components;
use super::routes::Routes;
use super::unpublished::Unpublished;
use super::{Entry, Intro};
use crate::cache::{MarkdownCache, hash_of};
use crate::components::Specs;
use crate::content::{Common, ContentItem, IndexFile, Picture, Source};
use crate::error::{Diagnostic, LineIndex};
use crate::markdown::{self, Links, Rendered};
use crate::statics::StaticFiles;

/// What Markdown bodies are rendered against.
pub struct BodyContext<'a> {
    pub routes: &'a Routes,
    /// Every published content file (`stories/x.md`) → its address.
    pub content_urls: &'a HashMap<String, String>,
    /// Items left out this build, by content file.
    pub unpublished: &'a HashMap<String, Unpublished>,
    /// A hash of `content_urls`, for the cache.
    pub links_hash: u64,
    pub statics: &'a StaticFiles,
    pub cache: &'a MarkdownCache,
    /// What each component takes; None when the templates did not load.
    pub components: Option<&'a Specs>,
    /// A hash of which components take their body as text (it changes how
    /// bodies parse), for the cache: made once, not once per body.
    pub parse_key: u64,
    /// The slugs of the partners a page may show.
    pub partners: &'a HashSet<String>,
}

/// A body rendered this build, for the cache: (content path, input hash, rendering).
pub type Fresh = (String, u64, Arc<Rendered>);

/// Gives each item its URL and renders its Markdown, in parallel.
pub fn render_items<T: ContentItem + Sync>(
    items: Vec<Arc<T>>,
    cx: &BodyContext,
    errors: &mut Vec<Diagnostic>,
    fresh: &mut Vec<Fresh>,
) -> Vec<Entry<T>> {
    let rendered: Vec<(Entry<T>, Vec<Diagnostic>, Fresh)> = items
        .into_par_iter()
        .map(|item| render_item(item, cx))
        .collect();
    rendered
        .into_iter()
        .map(|(entry, mut errs, key)| {
            errors.append(&mut errs);
            fresh.push(key);
            entry
        })
        .collect()
}

pub(super) fn render_item<T: ContentItem>(
    item: Arc<T>,
    cx: &BodyContext,
) -> (Entry<T>, Vec<Diagnostic>, Fresh) {
    let c = item.common();
    let url = cx.routes.item(T::SECTION, &c.slug);
    let (rendered, input, mut errs) = render_body(&c.source, &url, item.summary(), cx);
    let (placed, call_errors) = components::place(&rendered, &c.source, &url, cx);
    errs.extend(call_errors);
    let image_url = item.picture().map(|pic| {
        let (u, e) = picture_url(pic, c, &url, cx);
        errs.extend(e);
        u
    });
    let key = (c.source.content_path.clone(), input, rendered.clone());
    let entry = Entry {
        item,
        url,
        rendered,
        image_url,
        components: placed,
    };
    (entry, errs, key)
}

/// An `_index.md` rendered as the intro of the page at `url`.
pub fn render_intro(
    index: Arc<IndexFile>,
    url: String,
    cx: &BodyContext,
    errors: &mut Vec<Diagnostic>,
) -> Intro {
    let (rendered, _, mut errs) = render_body(&index.source, &url, None, cx);
    errors.append(&mut errs);
    let (placed, mut call_errors) = components::place(&rendered, &index.source, &url, cx);
    errors.append(&mut call_errors);
    Intro {
        title: index.title.clone(),
        description: index.description.clone(),
        html: rendered.html.clone(),
        url,
        source: Some(index.source.clone()),
        components: placed,
    }
}

pub(super) fn source_dir(source: &Source) -> &str {
    source
        .content_path
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir)
}

/// Renders a body (or takes it from the cache) and reports its broken links.
fn render_body(
    source: &Source,
    url: &str,
    summary: Option<&str>,
    cx: &BodyContext,
) -> (Arc<Rendered>, u64, Vec<Diagnostic>) {
    let base = cx.routes.base_path();
    let input = hash_of((
        &source.body,
        url,
        base,
        &source.content_path,
        summary,
        cx.parse_key,
    ));
    let rendered = cx
        .cache
        .get(&source.content_path, input, cx.links_hash)
        .unwrap_or_else(|| {
            let links = Links {
                base_path: base,
                page_url: url,
                source_dir: source_dir(source),
                content_urls: cx.content_urls,
            };
            let raw_body = |name: &str| cx.components.is_some_and(|c| c.raw_body(name));
            let mut rendered = markdown::render_with(&source.body, &links, &raw_body);
            if let Some(summary) = summary {
                (rendered.summary_html, rendered.summary_text) =
                    markdown::render_summary(summary, &links);
                rendered.summary_short = markdown::short_summary(&rendered.summary_text);
            }
            Arc::new(rendered)
        });
    let errors = broken_links(source, &rendered, cx.unpublished);
    (rendered, input, errors)
}

/// A link to a content file that is not published, at its line: one left
/// out this build says why.
fn broken_links(
    source: &Source,
    rendered: &Rendered,
    unpublished: &HashMap<String, Unpublished>,
) -> Vec<Diagnostic> {
    if rendered.broken_links.is_empty() {
        return Vec::new();
    }
    let lines = LineIndex::new(&source.body);
    rendered
        .broken_links
        .iter()
        .map(|(offset, link)| {
            let mut pos = lines.position(*offset);
            pos.line += source.body_line - 1;
            let target = markdown::content_file(link, source_dir(source));
            let d = match target.and_then(|t| unpublished.get(&t)) {
                Some(u) => Diagnostic::new(&source.path, format!("the link `{link}` points to {}", u.describe()))
                    .with_help(u.help()),
                None => Diagnostic::new(&source.path, format!("the link `{link}` points to a content file that is not published or does not exist"))
                    .with_help("link to a file in content/ relative to this one (e.g. ../partners/the-mac.md), or to a site address such as /partners/the-mac/; drafts and future stories are not published"),
            };
            d.at(pos)
        })
        .collect()
}

/// The URL of a front-matter image, and an error if the file is not there.
fn picture_url(
    pic: &Picture,
    c: &Common,
    page_url: &str,
    cx: &BodyContext,
) -> (String, Vec<Diagnostic>) {
    let src = pic.src.value.trim();
    let (url, missing) = asset_url(src, &c.source, page_url, cx);
    let errors = missing
        .map(|help| {
            Diagnostic::new(&c.source.path, format!("the image `{src}` does not exist"))
                .at(pic.src.pos)
                .with_help(help)
        })
        .into_iter()
        .collect();
    (url, errors)
}

/// The URL of a file a page names (`photo.jpg` beside it in its bundle,
/// `/images/x.jpg` in `static/`, or another site's), and, when the file is
/// not there, what would be right.
pub(super) fn asset_url(
    src: &str,
    source: &Source,
    page_url: &str,
    cx: &BodyContext,
) -> (String, Option<String>) {
    if src.starts_with("http://") || src.starts_with("https://") {
        return (src.to_string(), None);
    }
    if let Some(rest) = src.strip_prefix('/') {
        let url = cx.routes.url(rest);
        let missing = (!cx.statics.contains_key(rest)).then(|| {
            format!(
                "an address starting with / is a file in static/; put the file at static/{rest}"
            )
        });
        return (url, missing);
    }
    let url = format!("{page_url}{src}");
    let missing = match &source.bundle {
        Some(_) if source.assets.iter().any(|a| a == src) => None,
        Some(bundle) => {
            let folder = bundle
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Some(format!(
                "put the file beside index.md in the bundle folder `{folder}`, or write an address such as /images/{src} for a file in static/images/"
            ))
        }
        None => Some(format!(
            "a relative file needs a bundle: move this file to {}/index.md and the file beside it, or put the file in static/ and write /images/{src}",
            source.content_path.trim_end_matches(".md")
        )),
    };
    (url, missing)
}
