//! `brum check`: everything the build validates, without writing anything,
//! plus what a build cannot see: links that lead nowhere (pages, `#fragments`,
//! files), missing images, and the accessibility of what authors write;
//! with `--external`, whether other sites' pages still answer.
//!
//! The pages are rendered in memory exactly as the build would make them, so a
//! link is judged against the real output.

pub mod accessibility;
pub mod external;
mod html;
pub mod images;
pub mod links;
mod rendered;
mod source;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::content::frontmatter;
use crate::error::{Diagnostic, Error, LineIndex, Position, Result};
use crate::site::Site;
use crate::{BuildOptions, config, render};

pub use rendered::{Rendered, Target};
pub use source::Found;

/// What `brum check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site, and how it would be built (`--drafts`, `--base-url`).
    pub build: BuildOptions,
    /// Also ask other sites whether their pages still answer.
    pub external: bool,
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

/// Checks the site.
pub fn check(options: &CheckOptions) -> Result<Report> {
    let root = &options.build.root;
    let mut report = Report::default();
    let (loaded, mut diagnostics) = match crate::load_with_problems(&options.build) {
        Ok((loaded, problems)) => (Some(loaded), problems),
        Err(Error::Invalid(d)) => (None, d),
        Err(e) => return Err(e),
    };
    if !root.join(config::FILE_NAME).is_file() {
        report.diagnostics = diagnostics;
        return Ok(report);
    }
    let mut docs = read_docs(root);
    report.files = docs.len();
    let no_pages = |_: &Doc| None;

    match loaded {
        None => diagnostics.extend(accessibility::check(&docs, &no_pages)),
        Some(loaded) => {
            match render::render_with_jobs(&loaded.site, &loaded.images, &loaded.templates) {
                Err(Error::Invalid(d)) => {
                    diagnostics.extend(d);
                    diagnostics.extend(accessibility::check(&docs, &no_pages));
                }
                Err(e) => return Err(e),
                Ok(pages) => {
                    let rendered =
                        Rendered::new(&loaded.site, &loaded.images, &loaded.statics, pages);
                    let content_urls = content_urls(&loaded.site);
                    for doc in &mut docs {
                        doc.url = content_urls.get(&doc.content_path).cloned();
                    }
                    // Where the text's headings sit in the page's outline.
                    let first_headings = first_heading_ids(&loaded.site);
                    let level_above = |doc: &Doc| {
                        let id = first_headings.get(&doc.content_path)?;
                        rendered.level_before(doc.url.as_deref()?, id)
                    };
                    diagnostics.extend(accessibility::check(&docs, &level_above));
                    let mut from_content = HashSet::new();
                    let cx = links::Context {
                        site: &loaded.site,
                        rendered: &rendered,
                        content_urls: &content_urls,
                    };
                    diagnostics.extend(links::check_content(&docs, &cx, &mut from_content));
                    diagnostics.extend(images::check(&docs, &cx, &mut from_content));
                    let templates = template_sources(root, &loaded.templates);
                    diagnostics.extend(links::check_templates(&cx, &from_content, &templates));
                    if options.external {
                        let found = external::collect(&docs, &cx, root, &templates);
                        let settings = external::Settings::from_config(&loaded.site.config, root);
                        let checked = external::check(&found, &settings);
                        report.external = checked.checked;
                        diagnostics.extend(checked.diagnostics);
                    }
                    report.links_checked = true;
                    report.pages = rendered.pages.len();
                }
            }
        }
    }
    diagnostics.sort();
    diagnostics.dedup();
    report.diagnostics = diagnostics;
    Ok(report)
}

/// Every published content file → the id of the first heading in its text.
fn first_heading_ids(site: &Site) -> HashMap<String, String> {
    let mut ids = HashMap::new();
    for item in site.items() {
        if let Some(h) = item.rendered.headings.first() {
            ids.insert(item.common.source.content_path.clone(), h.id.clone());
        }
    }
    ids
}

/// Every published content file (`stories/x.md`) → its page's address.
fn content_urls(site: &Site) -> HashMap<String, String> {
    let mut urls = HashMap::new();
    for item in site.items() {
        urls.insert(
            item.common.source.content_path.clone(),
            item.url.to_string(),
        );
    }
    for intro in std::iter::once(&site.home).chain(site.intros.values()) {
        if let Some(source) = &intro.source {
            urls.insert(source.content_path.clone(), intro.url.clone());
        }
    }
    urls
}

/// Reads every Markdown file under `content/`, drafts included: what authors
/// write is checked whether or not it is published yet. Files the build
/// cannot read are left to the build's own errors.
fn read_docs(root: &Path) -> Vec<Doc> {
    let content = root.join(crate::content::load::CONTENT_DIR);
    let mut docs = Vec::new();
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.flatten() {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let display = crate::fs::display_path(root, path);
        let Ok(text) = crate::fs::read_text(path, &display) else {
            continue;
        };
        let Ok(split) = frontmatter::split(&text, &display) else {
            continue;
        };
        let content_path = path
            .strip_prefix(&content)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bundle = content_path.matches('/').count() == 2 && content_path.ends_with("/index.md");
        docs.push(Doc {
            alts: front_matter_alts(&split, &display),
            found: source::scan(split.body),
            body: split.body.to_string(),
            body_line: split.body_line,
            path: display,
            content_path,
            bundle,
            url: None,
        });
    }
    docs
}

/// The alt texts in a file's front matter, with where they are written.
fn front_matter_alts(split: &frontmatter::Split, path: &Path) -> Vec<FrontMatterAlt> {
    let Ok(table) = frontmatter::parse_table(split, path) else {
        return Vec::new();
    };
    let lines = LineIndex::new(split.front_matter);
    let string = |key: &str| {
        let (_, value) = table
            .get_ref()
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)?;
        match value.get_ref() {
            toml::de::DeValue::String(s) => Some((s.to_string(), value.span())),
            _ => None,
        }
    };
    [("image_alt", "image"), ("logo_alt", "logo")]
        .into_iter()
        .filter_map(|(key, src_key)| {
            let (value, span) = string(key)?;
            let mut pos = lines.position(span.start);
            pos.line += split.front_matter_line - 1;
            Some(FrontMatterAlt {
                key: key.to_string(),
                value,
                pos,
                src: string(src_key).map(|(s, _)| s),
            })
        })
        .collect()
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
