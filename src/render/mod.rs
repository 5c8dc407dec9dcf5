//! The model and the templates to pages: one job per output file, rendered in
//! parallel and handed to a [`Sink`]. No file-system access of its own.

pub mod charts;
pub mod structured;
pub mod templates;
pub mod view;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::cache::{CachedPage, HashWriter, PageCache};

use crate::content::Section;
use crate::error::{Diagnostic, Error, JobError, Result, collect_jobs};
use crate::images::Catalog;
use crate::output::Sink;
use crate::site::Site;
use crate::statics::StaticSource;
use crate::url::output_path;
use charts::Pictures;
use templates::{Templates, template_diagnostic};
use view::{SectorView, SitemapEntry, Views};

/// One output file to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Home,
    /// Page `n` (1-based) of the stories list.
    Stories(usize),
    Story(usize),
    Topics,
    Topic(usize, usize),
    Questions,
    Question(usize, usize),
    Partners,
    Partner(usize),
    Timeline,
    TimelineEntry(usize),
    Page(usize),
    NotFound,
    /// The search page.
    Search,
    /// An old address (`/old/`, relative to the base path), and the URL and
    /// title of the page it leads to.
    Alias(String, String, String),
    Feed,
    Sitemap,
    Robots,
}

/// The positions on page `n` (1-based) of a list of `len`, `per_page` to a page.
fn page_range(len: usize, n: usize, per_page: usize) -> std::ops::Range<usize> {
    let start = (n.saturating_sub(1) * per_page).min(len);
    start..(start + per_page).min(len)
}

fn pages_for(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// Every page the site has.
pub fn jobs(site: &Site) -> Vec<Job> {
    let per = site.config.build.stories_per_page;
    let mut jobs = vec![
        Job::Home,
        Job::Topics,
        Job::Questions,
        Job::Partners,
        Job::Timeline,
        Job::NotFound,
        Job::Feed,
        Job::Sitemap,
        Job::Robots,
    ];
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.extend((1..=pages_for(site.stories.len(), per)).map(Job::Stories));
    jobs.extend((0..site.stories.len()).map(Job::Story));
    for (k, list) in site.topic_stories.iter().enumerate() {
        jobs.extend((1..=pages_for(list.len(), per)).map(|n| Job::Topic(k, n)));
    }
    for (k, list) in site.question_stories.iter().enumerate() {
        jobs.extend((1..=pages_for(list.len(), per)).map(|n| Job::Question(k, n)));
    }
    jobs.extend((0..site.partners.len()).map(Job::Partner));
    jobs.extend((0..site.timeline.len()).map(Job::TimelineEntry));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for item in site.items() {
        for a in &item.common.aliases {
            jobs.push(Job::Alias(
                a.value.clone(),
                item.url.to_string(),
                item.title.to_string(),
            ));
        }
    }
    jobs
}

impl Job {
    /// Whether the page goes into the search index: the pages of items
    /// (stories, partners, timeline entries, plain pages). Lists only repeat
    /// what those say, and would crowd the results.
    pub fn searchable(&self) -> bool {
        matches!(
            self,
            Job::Story(_) | Job::Partner(_) | Job::TimelineEntry(_) | Job::Page(_)
        )
    }
}

/// What rendering produced.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub pages: usize,
    pub files: usize,
}

/// Renders every job and copies every file into `sink`, handing each
/// searchable page to `index` too. Template errors are all collected; a
/// write error stops the build.
pub fn render_site(
    site: &Site,
    images: &Arc<Catalog>,
    templates: &Templates,
    pictures: Pictures,
    statics: &crate::statics::StaticFiles,
    sink: &dyn Sink,
    index: Option<&crate::search::Indexer>,
) -> Result<Counts> {
    let renderer = Renderer::with_pictures(site, images, templates, pictures);
    let jobs = jobs(site);
    let results: Vec<std::result::Result<(), JobError>> = jobs
        .par_iter()
        .map(|job| {
            let (path, bytes) = renderer.render(job).map_err(JobError::Input)?;
            stays_inside(&path).map_err(JobError::Io)?;
            sink.write(&path, &bytes).map_err(JobError::Io)?;
            if let Some(index) = index.filter(|_| job.searchable()) {
                index.add(crate::search::Document {
                    path,
                    html: std::sync::Arc::new(bytes),
                });
            }
            Ok(())
        })
        .collect();
    collect_jobs(results)?;
    // Raster images are published re-encoded (see crate::images), never copied.
    let processed = images.source_paths();
    let copies: Vec<(&StaticSource, &str)> = statics
        .iter()
        .map(|(dest, src)| (src, dest.as_str()))
        .chain(site.assets.iter().map(|(src, dest)| (src, dest.as_str())))
        .filter(|(_, dest)| !processed.contains(dest))
        .collect();
    copies.par_iter().try_for_each(|(src, dest)| {
        stays_inside(dest)?;
        match src {
            StaticSource::File(path) => sink.copy(path, dest),
            StaticSource::Builtin(bytes) => sink.write(dest, bytes),
        }
    })?;
    Ok(Counts {
        pages: jobs.len(),
        files: jobs.len() + copies.len(),
    })
}

/// A page's template variables, kept as the views themselves so a page can
/// be fingerprinted (serialised straight into a hash) without building the
/// values Tera needs; those are made only for pages that are rendered.
struct Vars<'a> {
    /// `site`: the same on every page, so hashed once per build.
    site: &'a Value,
    site_hash: u64,
    entries: Vec<(&'static str, Var<'a>)>,
}

/// One template variable: a view, or a list of values already made (the
/// stories of a list, each made once per build however many lists show it).
enum Var<'a> {
    View(Box<dyn erased_serde::Serialize + 'a>),
    Values(Vec<&'a Value>),
}

impl Serialize for Var<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Var::View(v) => v.serialize(s),
            Var::Values(v) => v.serialize(s),
        }
    }
}

impl<'a> Vars<'a> {
    fn new(site: &'a Value, site_hash: u64) -> Self {
        Vars {
            site,
            site_hash,
            entries: Vec::with_capacity(8),
        }
    }

    fn insert<T: Serialize + 'a>(&mut self, key: &'static str, value: T) {
        self.entries.push((key, Var::View(Box::new(value))));
    }

    fn insert_values(&mut self, key: &'static str, values: Vec<&'a Value>) {
        self.entries.push((key, Var::Values(values)));
    }

    /// A hash of the template name and every variable.
    fn fingerprint(&self, template: &str) -> u64 {
        let mut w = HashWriter::default();
        w.write_u64(self.site_hash);
        std::io::Write::write_all(&mut w, template.as_bytes()).ok();
        for (key, value) in &self.entries {
            std::io::Write::write_all(&mut w, key.as_bytes()).ok();
            // postcard writes text as length and bytes, with none of JSON's
            // escaping: most of what is hashed is page text.
            if postcard::to_io(value, &mut w).is_err() {
                serde_json::to_writer(&mut w, value).ok();
            }
        }
        w.finish()
    }

    fn into_context(self) -> Context {
        let mut map = serde_json::Map::with_capacity(self.entries.len() + 1);
        map.insert("site".to_string(), self.site.clone());
        for (key, value) in self.entries {
            let value = match value {
                // A clone is a third of the cost of serialising the view again.
                Var::Values(values) => Value::Array(values.into_iter().cloned().collect()),
                Var::View(view) => tera::to_value(&view).unwrap_or(Value::Null),
            };
            map.insert(key.to_string(), value);
        }
        Context::from_value(Value::Object(map)).unwrap_or_default()
    }
}

/// One page, ready to render.
struct Prepared<'a> {
    template: &'static str,
    /// Output path, relative to the output root.
    path: String,
    vars: Vars<'a>,
}

/// Renders every page into memory, reusing from `previous` each page whose
/// template and variables are unchanged (so its bytes are too). Returns the
/// new pages and how many were rendered afresh. Assumes the templates are
/// those `previous` was rendered with.
pub fn render_pages(
    site: &Site,
    images: &Arc<Catalog>,
    templates: &Templates,
    previous: &PageCache,
) -> Result<(PageCache, usize)> {
    let renderer = Renderer::new(site, images, templates);
    let jobs = jobs(site);
    let results: Vec<std::result::Result<(String, CachedPage, bool), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
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
                bytes: std::sync::Arc::new(bytes),
            };
            Ok((prepared.path, page, true))
        })
        .collect();
    let mut pages = PageCache::with_capacity(results.len());
    let mut rendered = 0;
    let mut diagnostics = Vec::new();
    for r in results {
        match r {
            Ok((path, page, fresh)) => {
                rendered += usize::from(fresh);
                pages.insert(path, page);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(Error::invalid(diagnostics));
    }
    Ok((pages, rendered))
}

/// A page rendered in memory, with the job and template it came from.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub job: Job,
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
    let renderer = Renderer::new(site, images, templates);
    let results: Vec<std::result::Result<RenderedPage, Diagnostic>> = jobs(site)
        .into_par_iter()
        .map(|job| {
            let prepared = renderer.prepare(&job);
            let (template, path) = (prepared.template, prepared.path);
            let bytes = renderer.render_prepared(template, prepared.vars)?;
            Ok(RenderedPage {
                job,
                template,
                path,
                bytes,
            })
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for r in results {
        match r {
            Ok(page) => pages.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.is_empty() {
        Ok(pages)
    } else {
        Err(Error::invalid(diagnostics))
    }
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

struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    views: Views<'a>,
    site_value: tera::Value,
    site_hash: u64,
    /// Each story as a list shows it, made when first needed.
    list_stories: Vec<std::sync::OnceLock<Value>>,
    pictures: Pictures,
    default_image: structured::SocialImage,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, images: &'a Arc<Catalog>, templates: &'a Templates) -> Self {
        Self::with_pictures(site, images, templates, Pictures::draw(site))
    }

    fn with_pictures(
        site: &'a Site,
        images: &'a Arc<Catalog>,
        templates: &'a Templates,
        pictures: Pictures,
    ) -> Self {
        *templates.images.write().unwrap_or_else(|e| e.into_inner()) = images.clone();
        let views = Views::new(site, images);
        let site_value = tera::to_value(views.site()).unwrap_or_default();
        let mut w = HashWriter::default();
        serde_json::to_writer(&mut w, &site_value).ok();
        let site_hash = w.finish();
        Renderer {
            site,
            templates,
            views,
            site_value,
            site_hash,
            list_stories: site
                .stories
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            pictures,
            default_image: structured::default_image(site),
        }
    }

    /// The stories at `indexes`, as values for a list.
    fn stories(&self, indexes: &[usize]) -> Vec<&Value> {
        indexes
            .iter()
            .map(|&i| {
                self.list_stories[i].get_or_init(|| {
                    tera::to_value(self.views.story(&self.site.stories[i], false))
                        .unwrap_or(Value::Null)
                })
            })
            .collect()
    }

    fn context(
        &self,
        kind: &'static str,
        title: &str,
        description: &str,
        url: &str,
        draft: bool,
    ) -> Vars<'_> {
        self.vars(self.meta(kind, title, description, url, draft))
    }

    /// `page` with the site's default picture and no structured data.
    fn meta(
        &self,
        kind: &'static str,
        title: &str,
        description: &str,
        url: &str,
        draft: bool,
    ) -> view::PageMeta {
        view::PageMeta {
            kind,
            section: view::section_of(kind),
            title: title.to_string(),
            description: description.to_string(),
            url: url.to_string(),
            permalink: self.site.permalink(url),
            draft,
            image: self.default_image.clone(),
            json_ld: Value::Null,
        }
    }

    fn vars(&self, meta: view::PageMeta) -> Vars<'_> {
        let mut ctx = Vars::new(&self.site_value, self.site_hash);
        ctx.insert("page", meta);
        ctx
    }

    fn render(&self, job: &Job) -> std::result::Result<(String, Vec<u8>), Diagnostic> {
        let prepared = self.prepare(job);
        let bytes = self.render_prepared(prepared.template, prepared.vars)?;
        Ok((prepared.path, bytes))
    }

    fn render_prepared(
        &self,
        template: &str,
        vars: Vars,
    ) -> std::result::Result<Vec<u8>, Diagnostic> {
        let ctx = vars.into_context();
        let html = self.templates.tera.render(template, &ctx).map_err(|e| {
            let path = self
                .templates
                .files
                .get(template)
                .cloned()
                .unwrap_or_default();
            template_diagnostic(&path, &e)
        })?;
        Ok(html.into_bytes())
    }

    /// The template, output path and variables of a job.
    fn prepare(&self, job: &Job) -> Prepared<'_> {
        let site = self.site;
        let v = &self.views;
        let per = site.config.build.stories_per_page;
        let (template, url, ctx): (&'static str, String, Vars) = match job {
            Job::Home => {
                let url = site.url("/");
                let title = site.home.title.as_deref().unwrap_or(&site.config.title);
                let description = site
                    .home
                    .description
                    .as_deref()
                    .unwrap_or(&site.config.description);
                let mut meta = self.meta("home", title, description, &url, false);
                meta.json_ld = structured::website(site);
                let mut ctx = self.vars(meta);
                ctx.insert("intro", v.intro(&site.home));
                let latest: Vec<usize> =
                    (0..site.stories.len().min(site.config.build.home_stories)).collect();
                ctx.insert_values("latest", self.stories(&latest));
                let upcoming = site
                    .timeline
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.status != crate::content::Status::Done)
                    .map(|(i, _)| i)
                    .take(3);
                ctx.insert("next_up", v.timeline(upcoming));
                let done: Vec<usize> = site
                    .timeline
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.status == crate::content::Status::Done)
                    .map(|(i, _)| i)
                    .collect();
                ctx.insert(
                    "recent",
                    v.timeline(done[done.len().saturating_sub(3)..].iter().copied()),
                );
                ctx.insert("partner_count", site.partners.len());
                ctx.insert("story_count", site.stories.len());
                ctx.insert("cycle", &self.pictures.cycle);
                ("index.html", url, ctx)
            }
            Job::Stories(n) => {
                let base = site.url("/stories/");
                let url = view::page_url(&base, *n);
                let title = v.section_title(Section::Stories, "Stories");
                let mut ctx = self.list_context("stories", title, &url, *n, Section::Stories);
                let indexes: Vec<usize> = page_range(site.stories.len(), *n, per).collect();
                ctx.insert_values("stories", self.stories(&indexes));
                ctx.insert(
                    "paginator",
                    v.paginator(
                        &base,
                        *n,
                        pages_for(site.stories.len(), per),
                        site.stories.len(),
                    ),
                );
                ("stories.html", url, ctx)
            }
            Job::Story(i) => {
                let s = &site.stories[*i];
                let url = s.entry.url.clone();
                let mut meta = self.meta(
                    "story",
                    &s.entry.item.title,
                    &s.entry.rendered.summary_text,
                    &url,
                    s.unpublished,
                );
                let alt = s.entry.item.image.as_ref().map(|p| p.alt.as_str());
                meta.image = structured::card_image_of(site, v.images, &s.entry, alt);
                meta.json_ld = structured::article(site, s, &meta.image);
                let mut ctx = self.vars(meta);
                ctx.insert("story", v.story(s, true));
                // Newest first: the older story is the next index.
                ctx.insert("prev", site.stories.get(i + 1).map(|p| v.story(p, false)));
                ctx.insert(
                    "next",
                    i.checked_sub(1).map(|n| v.story(&site.stories[n], false)),
                );
                ("story.html", url, ctx)
            }
            Job::Topics => {
                let url = site.url("/topics/");
                let mut ctx = self.context("topics", "Topics", "", &url, false);
                let topics: Vec<_> = site
                    .config
                    .topics
                    .iter()
                    .enumerate()
                    .map(|(k, (key, _))| v.topic(key, Some(site.topic_stories[k].len())))
                    .collect();
                ctx.insert("topics", topics);
                ("topics.html", url, ctx)
            }
            Job::Topic(k, n) => {
                let (key, name) = site.config.topics.iter().nth(*k).unwrap_or_default();
                let list = &site.topic_stories[*k];
                let term = v.topic(key, Some(list.len()));
                let url = view::page_url(&term.url, *n);
                let mut ctx = self.context("topic", name, "", &url, false);
                ctx.insert_values(
                    "stories",
                    self.stories(&list[page_range(list.len(), *n, per)]),
                );
                ctx.insert(
                    "paginator",
                    v.paginator(&term.url, *n, pages_for(list.len(), per), list.len()),
                );
                ctx.insert("topic", term);
                ("topic.html", url, ctx)
            }
            Job::Questions => {
                let url = site.url("/questions/");
                let mut ctx =
                    self.context("questions", &site.config.campaign_name, "", &url, false);
                let questions: Vec<_> = site
                    .config
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(k, (key, _))| v.question(key, Some(site.question_stories[k].len())))
                    .collect();
                ctx.insert("questions", questions);
                ("questions.html", url, ctx)
            }
            Job::Question(k, n) => {
                let (key, text) = site.config.questions.iter().nth(*k).unwrap_or_default();
                let list = &site.question_stories[*k];
                let q = v.question(key, Some(list.len()));
                let url = view::page_url(&q.url, *n);
                let mut ctx = self.context("question", text, "", &url, false);
                ctx.insert_values(
                    "stories",
                    self.stories(&list[page_range(list.len(), *n, per)]),
                );
                ctx.insert(
                    "paginator",
                    v.paginator(&q.url, *n, pages_for(list.len(), per), list.len()),
                );
                ctx.insert("question", q);
                ("question.html", url, ctx)
            }
            Job::Partners => {
                let url = site.url("/partners/");
                let title = v.section_title(Section::Partners, "Partners");
                let mut ctx = self.list_context("partners", title, &url, 1, Section::Partners);
                let sectors: Vec<SectorView> = site
                    .config
                    .sectors
                    .iter()
                    .map(|(key, name)| SectorView {
                        key,
                        name,
                        partners: site
                            .partners
                            .iter()
                            .enumerate()
                            .filter(|(_, p)| p.item.sector == key)
                            .map(|(i, _)| {
                                let mut view = v.partner(i, false);
                                view.connections = Some(self.pictures.connections[i]);
                                view
                            })
                            .collect(),
                    })
                    .filter(|s| !s.partners.is_empty())
                    .collect();
                ctx.insert("sectors", sectors);
                ctx.insert("partner_count", site.partners.len());
                ctx.insert("network", &self.pictures.network);
                ctx.insert("commitments", &self.pictures.commitments);
                ("partners.html", url, ctx)
            }
            Job::Partner(i) => {
                let p = &site.partners[*i];
                let url = p.url.clone();
                let mut meta = self.meta(
                    "partner",
                    &p.item.name,
                    &p.rendered.summary_text,
                    &url,
                    p.item.common.draft,
                );
                let alt = p.item.logo.as_ref().map(|l| l.alt.as_str());
                meta.image = structured::image_of(site, p, alt);
                meta.json_ld = structured::organization(site, *i);
                let mut ctx = self.vars(meta);
                ctx.insert("partner", v.partner(*i, true));
                ctx.insert_values("stories", self.stories(&site.partner_stories[*i]));
                ctx.insert(
                    "timeline",
                    v.timeline(site.partner_timeline[*i].iter().copied()),
                );
                ("partner.html", url, ctx)
            }
            Job::Timeline => {
                let url = site.url("/timeline/");
                let title = v.section_title(Section::Timeline, "Timeline");
                let mut ctx = self.list_context("timeline", title, &url, 1, Section::Timeline);
                ctx.insert("entries", v.timeline(0..site.timeline.len()));
                ctx.insert("road", self.pictures.road.as_str());
                ("timeline.html", url, ctx)
            }
            Job::TimelineEntry(i) => {
                let t = &site.timeline[*i];
                let url = t.entry.url.clone();
                let mut meta = self.meta(
                    "timeline_entry",
                    &t.entry.item.title,
                    &t.entry.rendered.summary_text,
                    &url,
                    t.entry.item.common.draft,
                );
                meta.json_ld = structured::event(site, t).unwrap_or(Value::Null);
                let mut ctx = self.vars(meta);
                ctx.insert("entry", v.timeline_entry(t));
                ctx.insert(
                    "prev",
                    i.checked_sub(1)
                        .map(|n| v.timeline_entry(&site.timeline[n])),
                );
                ctx.insert(
                    "next",
                    site.timeline.get(i + 1).map(|n| v.timeline_entry(n)),
                );
                ("timeline_entry.html", url, ctx)
            }
            Job::Page(i) => {
                let p = &site.pages[*i];
                let url = p.url.clone();
                let description = p
                    .item
                    .description
                    .as_deref()
                    .unwrap_or(&p.rendered.summary_text);
                let mut ctx = self.context(
                    "page",
                    &p.item.title,
                    description,
                    &url,
                    p.item.common.draft,
                );
                ctx.insert("content", v.body(p));
                ("page.html", url, ctx)
            }
            Job::Search => {
                let url = site.url("/search/");
                let mut ctx = self.context("search", "Search", "", &url, false);
                ctx.insert(
                    "bundle_url",
                    site.url(&format!("/{}/", crate::search::BUNDLE_DIR)),
                );
                (templates::SEARCH_PAGE, url, ctx)
            }
            Job::NotFound => {
                let url = site.url("/404.html");
                (
                    "404.html",
                    url.clone(),
                    self.context("404", "Page not found", "", &url, false),
                )
            }
            Job::Alias(from, to, title) => {
                let url = site.url(from);
                let mut ctx = self.context("alias", "Redirecting", "", &url, false);
                ctx.insert("target", site.permalink(to));
                ctx.insert("target_title", title.clone());
                ("alias.html", url, ctx)
            }
            Job::Feed => {
                let url = site.url("/feed.xml");
                let mut ctx = self.context(
                    "feed",
                    &site.config.title,
                    &site.config.description,
                    &url,
                    false,
                );
                let stories: Vec<_> = site
                    .stories
                    .iter()
                    .take(site.config.build.feed_limit)
                    .map(|s| v.story(s, true))
                    .collect();
                let updated = site
                    .stories
                    .iter()
                    .take(site.config.build.feed_limit)
                    .map(|s| {
                        s.entry
                            .item
                            .updated
                            .unwrap_or(s.entry.item.date.value)
                            .at
                            .with_timezone(&chrono::Utc)
                    })
                    .max()
                    .unwrap_or(site.options.now);
                ctx.insert("stories", stories);
                ctx.insert(
                    "updated",
                    updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                );
                ("feed.xml", url, ctx)
            }
            Job::Sitemap => {
                let url = site.url("/sitemap.xml");
                let mut ctx = self.context("sitemap", "Sitemap", "", &url, false);
                ctx.insert("entries", self.sitemap());
                ("sitemap.xml", url, ctx)
            }
            Job::Robots => {
                let url = site.url("/robots.txt");
                (
                    "robots.txt",
                    url.clone(),
                    self.context("robots", "robots.txt", "", &url, false),
                )
            }
        };
        let path = match job {
            Job::Alias(from, ..) => output_path("/", from),
            _ => output_path(&site.config.base_path, &url),
        };
        Prepared {
            template,
            path,
            vars: ctx,
        }
    }

    fn list_context(
        &self,
        kind: &'static str,
        title: &str,
        url: &str,
        n: usize,
        section: Section,
    ) -> Vars<'_> {
        let intro = self.site.intros.get(&section);
        let description = intro.and_then(|i| i.description.as_deref()).unwrap_or("");
        let mut ctx = self.context(kind, title, description, url, false);
        // The intro text belongs on the first page of a list only.
        ctx.insert(
            "intro",
            intro.filter(|_| n == 1).map_or("", |i| self.views.intro(i)),
        );
        ctx
    }

    fn sitemap(&self) -> Vec<SitemapEntry> {
        let site = self.site;
        let entry = |url: &str, lastmod: String| SitemapEntry {
            loc: site.permalink(url),
            lastmod,
        };
        let mut out = vec![entry(&site.url("/"), String::new())];
        for path in [
            "/stories/",
            "/partners/",
            "/timeline/",
            "/topics/",
            "/questions/",
        ] {
            out.push(entry(&site.url(path), String::new()));
        }
        for s in &site.stories {
            let d = s.entry.item.updated.unwrap_or(s.entry.item.date.value);
            out.push(entry(&s.entry.url, view::iso(&d)));
        }
        for p in &site.partners {
            out.push(entry(&p.url, String::new()));
        }
        for t in &site.timeline {
            out.push(entry(&t.entry.url, String::new()));
        }
        for p in &site.pages {
            out.push(entry(&p.url, String::new()));
        }
        let views = &self.views;
        for (key, _) in site.config.topics.iter() {
            out.push(entry(&views.topic(key, None).url, String::new()));
        }
        for (key, _) in site.config.questions.iter() {
            out.push(entry(&views.question(key, None).url, String::new()));
        }
        out
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
