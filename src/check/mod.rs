//! `brum check`: everything the build validates, without writing anything,
//! plus what a build cannot see: links that lead nowhere (pages, `#fragments`,
//! files), missing images, and the accessibility of what authors write;
//! with `--external`, whether other sites' pages still answer.
//!
//! The pages are rendered in memory exactly as the build would make them, so a
//! link is judged against the real output.

pub mod accessibility;
mod components;
mod consent;
pub mod external;
mod html;
pub mod images;
pub mod links;
mod people;
mod rendered;
mod review;
mod source;
mod translations;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::content::{ContentTree, Picture, Source};
use crate::error::{Diagnostic, Error, LineIndex, Position, Result};
use crate::pipeline::{self, Caches, Loaded, Options};
use crate::render;
use crate::site::Site;

pub use rendered::{Rendered, Target};
pub use source::Found;

/// What `brum check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site, and how it would be built (`--drafts`, `--base-url`).
    pub site: Options,
    /// Also ask other sites whether their pages still answer.
    pub external: bool,
    /// Also list, for each original, the languages it has no translation in.
    pub translations: bool,
}

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the site loaded well enough for its links to be checked.
    pub links_checked: bool,
    /// Pages rendered and read.
    pub pages: usize,
    /// Content files read.
    pub files: usize,
    /// External addresses checked (from the cache or by asking).
    pub external: usize,
    /// Files marked `needs_review = true` (translations awaiting someone
    /// who speaks the language), as the user knows them. Not a problem:
    /// a list for the team.
    pub awaiting_review: Vec<PathBuf>,
}

/// One Markdown file being checked: where it is and what it says.
#[derive(Debug)]
pub struct Doc {
    /// As the user knows it: `content/stories/x.md`.
    pub path: PathBuf,
    /// Relative to `content/`: `stories/x.md`.
    pub content_path: String,
    pub body: String,
    /// 1-based line of the body's first line.
    pub body_line: usize,
    /// Whether it is a bundle's `index.md`, with its files beside it.
    pub bundle: bool,
    /// The page it becomes, when this build publishes it.
    pub url: Option<String>,
    pub found: Found,
    /// Alt texts written in front matter (`image_alt`, `logo_alt`).
    pub alts: Vec<FrontMatterAlt>,
}

/// An `image_alt` or `logo_alt` field.
#[derive(Debug, Clone)]
pub struct FrontMatterAlt {
    pub key: String,
    pub value: String,
    /// Where the value is written.
    pub pos: Position,
    /// The picture it describes (`image`, `logo`), when set.
    pub src: Option<String>,
    /// The field that records the consent of people in the picture
    /// (`image_consent`); None for pictures that have none (logos).
    pub consent_key: Option<&'static str>,
    /// What that field says.
    pub consent: Option<String>,
}

impl Doc {
    /// A diagnostic at `span` (a byte range of the body), underlining it to
    /// the end of its first line.
    pub fn at(&self, span: &Range<usize>, d: Diagnostic) -> Diagnostic {
        let lines = LineIndex::new(&self.body);
        let mut pos = lines.position(span.start);
        let text = self.body.get(span.clone()).unwrap_or_default();
        let first_line = text.split(['\n', '\r']).next().unwrap_or_default();
        pos.line += self.body_line - 1;
        let mut d = d.at(pos).spanning(first_line.chars().count().max(1));
        d.path = self.path.clone();
        d
    }

    /// The folder of the file, relative to `content/`, for links to other
    /// content files.
    pub fn source_dir(&self) -> &str {
        self.content_path.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// Checks the site. Every problem the build finds, and what only a check
/// looks at, in one report; links are checked in every file that loaded,
/// whatever is wrong with the others.
pub fn check(options: &CheckOptions) -> Result<Report> {
    let mut report = Report::default();
    let (loaded, content) = match pipeline::load_with_content(&options.site, &mut Caches::default())
    {
        Ok(loaded) => loaded,
        // No site.toml, or a broken one: nothing else can be read.
        Err(Error::Invalid(d)) => {
            report.diagnostics = d;
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    let mut docs = docs(&content);
    report.files = docs.len();
    report.awaiting_review = awaiting_review(&content);
    let mut diagnostics = loaded.problems.clone();
    diagnostics.extend(translations::stale(&content));
    diagnostics.extend(components::warnings(&loaded.site));
    diagnostics.extend(review::check(&content, options.site.now.date_naive()));
    let known = consent::known_names(&loaded.site.config, &content);
    diagnostics.extend(consent::check_docs(&docs, &known));
    diagnostics.extend(consent::check_figures(&loaded.site, &known));
    if let Some(t) = &loaded.templates {
        diagnostics.extend(translations::missing_words(&loaded.site.config, &t.strings));
    }
    if options.translations {
        diagnostics.extend(translations::untranslated(&loaded.site.config, &content));
    }
    let pages = match &loaded.templates {
        Some(templates) => render::render_with_jobs(&loaded.site, &loaded.images, templates),
        None => Err(Error::invalid(Vec::new())),
    };
    match pages {
        Ok(pages) => {
            let checked = check_pages(options, &loaded, &mut docs, pages);
            diagnostics.extend(checked.diagnostics);
            report.external = checked.external;
            report.pages = checked.pages;
            report.links_checked = true;
        }
        Err(Error::Invalid(d)) => {
            diagnostics.extend(d);
            diagnostics.extend(accessibility::check(&docs, &|_: &Doc| None));
        }
        Err(e) => return Err(e),
    }
    diagnostics.sort();
    diagnostics.dedup();
    report.diagnostics = diagnostics;
    Ok(report)
}

/// What checking the rendered pages found.
struct Checked {
    diagnostics: Vec<Diagnostic>,
    pages: usize,
    external: usize,
}

/// Checks what authors wrote against the pages the build makes: the outline
/// their headings sit in, their links and pictures, the templates' links,
/// and with `--external` other sites' pages.
fn check_pages(
    options: &CheckOptions,
    loaded: &Loaded,
    docs: &mut [Doc],
    pages: Vec<render::RenderedPage>,
) -> Checked {
    let root = &options.site.root;
    let site = &loaded.site;
    let rendered = Rendered::new(site, &loaded.images, &loaded.statics, pages);
    let content_urls = content_urls(site);
    for doc in docs.iter_mut() {
        doc.url = content_urls.get(&doc.content_path).cloned();
    }
    let mut diagnostics = Vec::new();
    // Where the text's headings sit in the page's outline.
    let first_headings = first_heading_ids(site);
    let level_above = |doc: &Doc| {
        let id = first_headings.get(&doc.content_path)?;
        rendered.level_before(doc.url.as_deref()?, id)
    };
    diagnostics.extend(accessibility::check(docs, &level_above));
    let mut from_content = HashSet::new();
    let cx = links::Context {
        site,
        rendered: &rendered,
        content_urls: &content_urls,
        unpublished: links::unpublished_by_url(site),
        unreadable: site
            .languages()
            .flat_map(|l| l.unreadable.values())
            .map(String::as_str)
            .collect(),
    };
    diagnostics.extend(links::check_content(docs, &cx, &mut from_content));
    diagnostics.extend(images::check(docs, &cx, &mut from_content));
    let templates = match &loaded.templates {
        Some(t) => template_sources(root, t),
        None => Vec::new(),
    };
    diagnostics.extend(links::check_templates(&cx, &from_content, &templates));
    let mut external = 0;
    if options.external {
        let found = external::collect(docs, &cx, root, &templates);
        let settings = external::Settings::from_config(&site.config, root);
        let checked = external::check(&found, &settings);
        external = checked.checked;
        diagnostics.extend(checked.diagnostics);
    }
    Checked {
        diagnostics,
        pages: rendered.pages.len(),
        external,
    }
}

/// Every published content file → the id of the first heading in its text.
fn first_heading_ids(site: &Site) -> HashMap<String, String> {
    let mut ids = HashMap::new();
    for item in site.languages().flat_map(Site::items) {
        if let Some(h) = item.rendered.headings.first() {
            ids.insert(item.common.source.content_path.clone(), h.id.clone());
        }
    }
    ids
}

/// Every published content file (`stories/x.md`) → its page's address; and
/// where each that could not be read would be.
fn content_urls(site: &Site) -> HashMap<String, String> {
    let mut urls = HashMap::new();
    for site in site.languages() {
        urls.extend(site.unreadable.clone());
        for item in site.items() {
            urls.insert(
                item.common.source.content_path.clone(),
                item.url.to_string(),
            );
        }
        for intro in site.intros() {
            if let Some(source) = &intro.source {
                urls.insert(source.content_path.clone(), intro.url.clone());
            }
        }
    }
    urls
}

/// Every file marked `needs_review`, in every language, by path.
fn awaiting_review(content: &ContentTree) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    let trees = std::iter::once(content).chain(content.translations.iter().map(|(_, t)| t));
    for tree in trees {
        let intros = tree
            .home
            .iter()
            .chain(tree.section_intros.iter().map(|(_, i)| i));
        out.extend(
            intros
                .filter(|i| i.needs_review)
                .map(|i| i.source.path.clone()),
        );
        let commons = (tree.stories.iter().map(|s| &s.common))
            .chain(tree.partners.iter().map(|p| &p.common))
            .chain(tree.timeline.iter().map(|t| &t.common))
            .chain(tree.pages.iter().map(|p| &p.common));
        out.extend(
            commons
                .filter(|c| c.needs_review)
                .map(|c| c.source.path.clone()),
        );
    }
    out.sort();
    out
}

/// Every content file as written, drafts and files with broken front matter
/// included: what authors write is checked whether or not it is published
/// yet. A file that could not be read at all has no text to check.
fn docs(content: &ContentTree) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (_, translated) in &content.translations {
        docs.extend(self::docs(translated));
    }
    let intros = content
        .home
        .iter()
        .chain(content.section_intros.iter().map(|(_, i)| i));
    docs.extend(intros.map(|i| doc(&i.source, None)));
    for s in &content.stories {
        docs.push(doc(
            &s.common.source,
            s.image
                .as_ref()
                .map(|p| ("image_alt", Some("image_consent"), p)),
        ));
    }
    for p in &content.partners {
        docs.push(doc(
            &p.common.source,
            p.logo.as_ref().map(|l| ("logo_alt", None, l)),
        ));
    }
    docs.extend(content.timeline.iter().map(|t| doc(&t.common.source, None)));
    docs.extend(content.pages.iter().map(|p| doc(&p.common.source, None)));
    docs.extend(content.broken.iter().map(|b| doc(&b.source, None)));
    docs.sort_by(|a, b| a.content_path.cmp(&b.content_path));
    docs
}

/// The fields of a front-matter picture: its alt text's and its consent's.
type PictureKeys<'a> = (&'a str, Option<&'static str>, &'a Picture);

/// One file to check, with its front-matter picture.
fn doc(source: &Source, picture: Option<PictureKeys>) -> Doc {
    Doc {
        path: source.path.clone(),
        content_path: source.content_path.clone(),
        found: source::scan(&source.body),
        body: source.body.clone(),
        body_line: source.body_line,
        bundle: source.bundle.is_some(),
        url: None,
        alts: picture
            .into_iter()
            .map(|(key, consent_key, pic)| FrontMatterAlt {
                key: key.to_string(),
                value: pic.alt.clone(),
                pos: pic.alt_pos,
                src: Some(pic.src.value.clone()),
                consent_key,
                consent: pic.consent.clone(),
            })
            .collect(),
    }
}

/// A template's text and the file it is shown as.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Its name: `base.html`.
    pub name: String,
    /// `themes/default/templates/base.html`.
    pub path: PathBuf,
    pub text: String,
}

/// Every template, in name order: the site's and the theme's from disk, the
/// built-in theme's from brum itself.
fn template_sources(
    root: &Path,
    templates: &crate::render::templates::Templates,
) -> Vec<TemplateSource> {
    let builtin: HashMap<String, &'static [u8]> = crate::theme::Theme::builtin_files("templates")
        .into_iter()
        .collect();
    let mut out: Vec<TemplateSource> = templates
        .files
        .iter()
        .filter_map(|(name, shown)| {
            let text = match std::fs::read(root.join(shown)) {
                Ok(bytes) => bytes,
                Err(_) => builtin.get(name)?.to_vec(),
            };
            Some(TemplateSource {
                name: name.clone(),
                path: shown.clone(),
                text: String::from_utf8_lossy(&text).into_owned(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
