//! The site model: which items are published, their URLs, cross references
//! (partners ↔ stories ↔ timeline), listings and their order. Rendering the
//! Markdown happens here too, because links between content files need every
//! URL first. No file output and no templates.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;

use crate::cache::{MarkdownCache, hash_of};
use crate::config::{Config, unknown_key_help};
use crate::content::{
    ContentItem, ContentTree, IndexFile, Page, Partner, Picture, Section, Source, Status, Story,
    TimelineEntry,
};
use crate::error::{Diagnostic, Error, LineIndex, Result};
use crate::markdown::{self, Links, Rendered};
use crate::statics::{StaticFiles, StaticSource};
use crate::url::{encode_segment, join_url};

/// How to build: the build's clock and whether unpublished work is shown.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Include drafts and future-dated stories.
    pub drafts: bool,
    /// "Now" for future stories and timeline statuses.
    pub now: DateTime<Utc>,
}

/// Path segments at the top of the site that pages cannot take.
pub const RESERVED_TOP: [&str; 6] = [
    "stories",
    "partners",
    "timeline",
    "topics",
    "questions",
    "page",
];

#[derive(Debug)]
pub struct Entry<T> {
    pub item: Arc<T>,
    /// Root-relative, with the base path: `/sub/stories/x/`.
    pub url: String,
    pub rendered: Arc<Rendered>,
    /// Resolved URL of the item's image or logo.
    pub image_url: Option<String>,
}

#[derive(Debug)]
pub struct StoryEntry {
    pub entry: Entry<Story>,
    /// Index into `Site::partners`, when the partner is published.
    pub partner: Option<usize>,
    /// A draft, or dated after the build (only present with drafts on).
    pub unpublished: bool,
}

#[derive(Debug)]
pub struct TimelineItem {
    pub entry: Entry<TimelineEntry>,
    pub status: Status,
    pub status_derived: bool,
    pub partners: Vec<usize>,
}

/// An `_index.md` rendered.
#[derive(Debug, Default)]
pub struct Intro {
    pub title: Option<String>,
    pub description: Option<String>,
    pub html: String,
    /// The page it introduces.
    pub url: String,
    /// The `_index.md` it came from; None when there is none.
    pub source: Option<Source>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub options: Options,
    pub root: PathBuf,
    pub home: Intro,
    pub intros: HashMap<Section, Intro>,
    /// Newest first.
    pub stories: Vec<StoryEntry>,
    /// By name.
    pub partners: Vec<Entry<Partner>>,
    /// In date order.
    pub timeline: Vec<TimelineItem>,
    /// By weight, then title.
    pub pages: Vec<Entry<Page>>,
    /// Per topic in `config.topics` order: indexes into `stories`.
    pub topic_stories: Vec<Vec<usize>>,
    /// Per question in `config.questions` order.
    pub question_stories: Vec<Vec<usize>>,
    /// Per partner: its stories, newest first.
    pub partner_stories: Vec<Vec<usize>>,
    /// Per partner: its timeline entries, in date order.
    pub partner_timeline: Vec<Vec<usize>>,
    /// Bundle files to publish: (source file, output path relative to the output root).
    pub assets: Vec<(StaticSource, String)>,
}

fn item<'a>(
    common: &'a crate::content::Common,
    url: &'a str,
    title: &'a str,
    rendered: &'a Rendered,
) -> ItemRef<'a> {
    ItemRef {
        common,
        url,
        title,
        rendered,
    }
}

/// Any published item, seen through what every kind has.
pub struct ItemRef<'a> {
    pub common: &'a crate::content::Common,
    pub url: &'a str,
    /// A story's, entry's or page's title; a partner's name.
    pub title: &'a str,
    pub rendered: &'a Rendered,
}

impl Site {
    /// Every published item: stories, partners, timeline entries, pages.
    pub fn items(&self) -> impl Iterator<Item = ItemRef<'_>> {
        let stories = self.stories.iter().map(move |s| {
            item(
                &s.entry.item.common,
                &s.entry.url,
                &s.entry.item.title,
                &s.entry.rendered,
            )
        });
        let partners = self
            .partners
            .iter()
            .map(move |p| item(&p.item.common, &p.url, &p.item.name, &p.rendered));
        let timeline = self.timeline.iter().map(move |t| {
            item(
                &t.entry.item.common,
                &t.entry.url,
                &t.entry.item.title,
                &t.entry.rendered,
            )
        });
        let pages = self
            .pages
            .iter()
            .map(move |p| item(&p.item.common, &p.url, &p.item.title, &p.rendered));
        stories.chain(partners).chain(timeline).chain(pages)
    }

    /// The home page's intro, then each list's.
    pub fn intros(&self) -> impl Iterator<Item = &Intro> {
        std::iter::once(&self.home).chain(self.intros.values())
    }

    /// A site path (`/x/`) under the base path.
    pub fn url(&self, path: &str) -> String {
        join_url(&self.config.base_path, path)
    }

    /// An absolute URL for a root-relative one that already has the base path.
    pub fn permalink(&self, url: &str) -> String {
        let base = &self.config.base_url;
        let origin_end = base.len() - self.config.base_path.len();
        format!("{}{url}", &base[..origin_end])
    }

    pub fn today(&self) -> NaiveDate {
        self.options.now.date_naive()
    }
}

fn item_path(section: Section, slug: &str) -> String {
    let slug = encode_segment(slug);
    match section {
        Section::Pages => format!("/{slug}/"),
        s => format!("/{}/{slug}/", s.dir()),
    }
}

/// Who has claimed which address. Two claims on one address are an error;
/// two that differ only in case are a warning, since both pages are made but
/// a static host on a case-insensitive disk would keep only one of them.
struct Claims {
    /// Lower-cased address → (the address as claimed, who, line).
    owners: HashMap<String, (String, PathBuf, Option<usize>)>,
    errors: Vec<Diagnostic>,
}

impl Claims {
    fn new() -> Self {
        let mut owners = HashMap::new();
        for fixed in [
            "/",
            "/stories/",
            "/partners/",
            "/timeline/",
            "/topics/",
            "/questions/",
            "/404.html",
            "/feed.xml",
            "/sitemap.xml",
            "/robots.txt",
        ] {
            owners.insert(
                fixed.to_string(),
                (
                    fixed.to_string(),
                    PathBuf::from("(the site's own pages)"),
                    None,
                ),
            );
        }
        Claims {
            owners,
            errors: Vec::new(),
        }
    }

    fn claim(&mut self, url: &str, who: &Path, line: Option<usize>) {
        let key = url.to_lowercase();
        match self.owners.get(&key) {
            Some((first_url, first, first_line)) if first != who => {
                let first_at = match first_line {
                    Some(l) => format!("{}:{l}", first.display()),
                    None => first.display().to_string(),
                };
                let mut d = if first_url == url {
                    Diagnostic::new(who, format!("the address {url} is already taken by {first_at}"))
                        .with_help("give one of them another `slug` (or remove the alias), so each page has an address of its own")
                } else {
                    Diagnostic::warning(who, format!("the address {url} differs only in case from {first_url} ({first_at})"))
                        .with_help("both pages are made, but a web host on a case-insensitive disk (Windows, macOS) would keep only one; give one of them another `slug`")
                };
                d.line = line.or(Some(1));
                self.errors.push(d);
            }
            Some(_) => {}
            None => {
                self.owners
                    .insert(key, (url.to_string(), who.to_path_buf(), line));
            }
        }
    }

    /// Every item claims its address and aliases, drafts included, so that
    /// a clash shows up before the draft is published.
    fn claim_all<T: ContentItem>(&mut self, items: &[Arc<T>]) {
        for item in items {
            let c = item.common();
            self.claim(
                &item_path(T::SECTION, &c.slug),
                &c.source.path,
                c.slug_pos.map(|p| p.line),
            );
            for alias in &c.aliases {
                self.claim(&alias.value, &c.source.path, Some(alias.pos.line));
            }
        }
    }
}

fn is_published_story(s: &Story, options: &Options) -> bool {
    options.drafts || (!s.common.draft && s.date.value.at <= options.now)
}

/// What Markdown bodies are rendered against.
struct BodyContext<'a> {
    base: &'a str,
    content_urls: &'a HashMap<String, String>,
    /// A hash of `content_urls`, for the cache.
    links_hash: u64,
    statics: &'a StaticFiles,
    cache: &'a MarkdownCache,
}

/// A body rendered this build, for the cache: (content path, input hash, rendering).
type Fresh = (String, u64, Arc<Rendered>);

/// Gives each item its URL and renders its Markdown, in parallel.
fn render_items<T: ContentItem + Sync>(
    items: Vec<Arc<T>>,
    cx: &BodyContext,
    errors: &mut Vec<Diagnostic>,
    fresh: &mut Vec<Fresh>,
) -> Vec<Entry<T>> {
    let rendered: Vec<(Entry<T>, Vec<Diagnostic>, Fresh)> = items
        .into_par_iter()
        .map(|item| {
            let c = item.common();
            let url = join_url(cx.base, &item_path(T::SECTION, &c.slug));
            let (rendered, input, mut errs) = render_body(&c.source, &url, item.summary(), cx);
            let image_url = item.picture().map(|pic| {
                let (u, e) = picture_url(pic, c, &url, cx.base, cx.statics);
                errs.extend(e);
                u
            });
            let key = (c.source.content_path.clone(), input, rendered.clone());
            (
                Entry {
                    item,
                    url,
                    rendered,
                    image_url,
                },
                errs,
                key,
            )
        })
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

/// Checks that every partner a story or timeline entry names exists
/// (drafts included: the name is right, the partner just isn't out yet).
fn check_partner_refs(
    stories: &[Arc<Story>],
    timeline: &[Arc<TimelineEntry>],
    partners: &[Arc<Partner>],
) -> Vec<Diagnostic> {
    let slugs: Vec<&str> = partners.iter().map(|p| p.common.slug.as_str()).collect();
    // A set: stories x partners string comparisons grow with the square of the site.
    let known: std::collections::HashSet<&str> = slugs.iter().copied().collect();
    let refs = stories
        .iter()
        .flat_map(|s| s.partner.iter().map(move |p| (&s.common.source.path, p)))
        .chain(
            timeline
                .iter()
                .flat_map(|t| t.partners.iter().map(move |p| (&t.common.source.path, p))),
        );
    refs.filter(|(_, slug)| !known.contains(slug.value.as_str()))
        .map(|(path, slug)| {
            Diagnostic::new(path, format!("unknown partner `{}`", slug.value))
                .at(slug.pos)
                .with_help(format!(
                    "{} (a partner is the slug of a file in content/partners/)",
                    unknown_key_help(&slug.value, &slugs, "partners")
                ))
        })
        .collect()
}

/// Builds the model from loaded content. Every cross-reference problem is
/// reported at once.
pub fn build(
    config: Config,
    tree: ContentTree,
    root: &Path,
    statics: &StaticFiles,
    options: Options,
    cache: &mut MarkdownCache,
) -> Result<Site> {
    let (site, problems) = build_with_problems(config, tree, root, statics, options, cache);
    let errors: Vec<Diagnostic> = problems.into_iter().filter(Diagnostic::is_error).collect();
    if errors.is_empty() {
        Ok(site)
    } else {
        Err(Error::invalid(errors))
    }
}

/// Builds the model even when content has problems that do not stop a page
/// from being made (a broken link, a missing image, two items on one
/// address), and returns the problems beside it: `brum check` goes on to
/// check links on such a model, where the build stops.
pub fn build_with_problems(
    config: Config,
    tree: ContentTree,
    root: &Path,
    statics: &StaticFiles,
    options: Options,
    cache: &mut MarkdownCache,
) -> (Site, Vec<Diagnostic>) {
    let ContentTree {
        home,
        section_intros,
        stories,
        partners,
        timeline,
        pages,
    } = tree;

    let mut claims = Claims::new();
    claims.claim_all(&stories);
    claims.claim_all(&partners);
    claims.claim_all(&timeline);
    let mut errors = Vec::new();
    let (pages, reserved): (Vec<Arc<Page>>, Vec<Arc<Page>>) = pages
        .into_iter()
        .partition(|p| !RESERVED_TOP.contains(&p.common.slug.as_str()));
    for p in &reserved {
        let slug = &p.common.slug;
        let mut d = Diagnostic::new(
            &p.common.source.path,
            format!("the page address /{slug}/ is taken by the {slug} section"),
        )
        .with_help(format!(
            "give the page another slug, e.g. slug = \"about-{slug}\""
        ));
        d.line = Some(p.common.slug_pos.map_or(1, |p| p.line));
        errors.push(d);
    }
    claims.claim_all(&pages);
    errors.append(&mut claims.errors);
    errors.append(&mut check_partner_refs(&stories, &timeline, &partners));

    // What is published this build.
    let keep = |c: &crate::content::Common| options.drafts || !c.draft;
    let stories: Vec<Arc<Story>> = stories
        .into_iter()
        .filter(|s| is_published_story(s, &options))
        .collect();
    let partners: Vec<Arc<Partner>> = partners.into_iter().filter(|p| keep(&p.common)).collect();
    let timeline: Vec<Arc<TimelineEntry>> =
        timeline.into_iter().filter(|t| keep(&t.common)).collect();
    let pages: Vec<Arc<Page>> = pages.into_iter().filter(|p| keep(&p.common)).collect();

    // Every published content file's URL, for links between them.
    let base = config.base_path.clone();
    let mut content_urls: HashMap<String, String> = HashMap::new();
    fn add_urls<T: ContentItem>(items: &[Arc<T>], base: &str, urls: &mut HashMap<String, String>) {
        for item in items {
            let c = item.common();
            urls.insert(
                c.source.content_path.clone(),
                join_url(base, &item_path(T::SECTION, &c.slug)),
            );
        }
    }
    add_urls(&stories, &base, &mut content_urls);
    add_urls(&partners, &base, &mut content_urls);
    add_urls(&timeline, &base, &mut content_urls);
    add_urls(&pages, &base, &mut content_urls);
    if home.is_some() {
        content_urls.insert("_index.md".into(), base.clone());
    }

    let links_hash = content_urls.iter().fold(0u64, |acc, kv| acc ^ hash_of(kv));
    let cx = BodyContext {
        base: &base,
        content_urls: &content_urls,
        links_hash,
        statics,
        cache,
    };
    let mut fresh = Vec::new();
    let mut stories = render_items(stories, &cx, &mut errors, &mut fresh);
    let mut partners = render_items(partners, &cx, &mut errors, &mut fresh);
    let mut timeline = render_items(timeline, &cx, &mut errors, &mut fresh);
    let mut pages = render_items(pages, &cx, &mut errors, &mut fresh);

    let mut render_intro = |index: Arc<IndexFile>, url: &str| -> Intro {
        let (rendered, _, mut errs) = render_body(&index.source, url, None, &cx);
        errors.append(&mut errs);
        Intro {
            title: index.title.clone(),
            description: index.description.clone(),
            html: rendered.html.clone(),
            url: url.to_string(),
            source: Some(index.source.clone()),
        }
    };
    let home = home
        .map(|index| render_intro(index, &base))
        .unwrap_or_default();
    let intros: HashMap<Section, Intro> = section_intros
        .into_iter()
        .map(|(section, index)| {
            (
                section,
                render_intro(index, &join_url(&base, &format!("/{}/", section.dir()))),
            )
        })
        .collect();
    cache.replace(
        fresh
            .into_iter()
            .map(|(path, input, rendered)| (path, input, links_hash, rendered)),
    );

    // Order: newest stories first, partners by name, the timeline by date,
    // pages by weight; the slug breaks ties so the order never depends on the disk.
    stories.sort_by(|a, b| {
        b.item
            .date
            .value
            .at
            .cmp(&a.item.date.value.at)
            .then_with(|| a.item.common.slug.cmp(&b.item.common.slug))
    });
    partners.sort_by_cached_key(|p| (p.item.name.to_lowercase(), p.item.common.slug.clone()));
    timeline.sort_by(|a, b| {
        a.item
            .date
            .value
            .at
            .cmp(&b.item.date.value.at)
            .then_with(|| a.item.common.slug.cmp(&b.item.common.slug))
    });
    pages.sort_by(|a, b| {
        a.item
            .weight
            .cmp(&b.item.weight)
            .then_with(|| a.item.title.cmp(&b.item.title))
    });

    let mut assets = Vec::new();
    fn add_assets<T: ContentItem>(
        entries: &[Entry<T>],
        base: &str,
        assets: &mut Vec<(StaticSource, String)>,
    ) {
        for e in entries {
            let source = &e.item.common().source;
            if let Some(bundle) = &source.bundle {
                // The URL is percent-encoded; the folder has the real name.
                let dir = crate::url::percent_decode(e.url.strip_prefix(base).unwrap_or(&e.url));
                for a in &source.assets {
                    assets.push((StaticSource::File(bundle.join(a)), format!("{dir}{a}")));
                }
            }
        }
    }
    add_assets(&stories, &base, &mut assets);
    add_assets(&partners, &base, &mut assets);
    add_assets(&timeline, &base, &mut assets);
    add_assets(&pages, &base, &mut assets);

    // Cross references, by index.
    let partner_index: HashMap<&str, usize> = partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.item.common.slug.as_str(), i))
        .collect();
    let today = options.now.date_naive();
    let stories: Vec<StoryEntry> = stories
        .into_iter()
        .map(|entry| StoryEntry {
            partner: entry
                .item
                .partner
                .as_ref()
                .and_then(|p| partner_index.get(p.value.as_str()).copied()),
            unpublished: entry.item.common.draft || entry.item.date.value.at > options.now,
            entry,
        })
        .collect();
    let timeline: Vec<TimelineItem> = timeline
        .into_iter()
        .map(|entry| {
            let t = &entry.item;
            let (status, status_derived) = match t.status {
                Some(s) => (s, false),
                None => (
                    derive_status(t.date.value.day(), t.end.map(|e| e.day()), today),
                    true,
                ),
            };
            let partners = t
                .partners
                .iter()
                .filter_map(|p| partner_index.get(p.value.as_str()).copied())
                .collect();
            TimelineItem {
                status,
                status_derived,
                partners,
                entry,
            }
        })
        .collect();

    let mut topic_stories = vec![Vec::new(); config.topics.len()];
    let mut question_stories = vec![Vec::new(); config.questions.len()];
    let mut partner_stories = vec![Vec::new(); partners.len()];
    let mut partner_timeline = vec![Vec::new(); partners.len()];
    for (i, s) in stories.iter().enumerate() {
        for t in &s.entry.item.topics {
            if let Some(k) = config.topics.position(t) {
                // A story may list a topic twice; it is on the topic's page once.
                if topic_stories[k].last() != Some(&i) {
                    topic_stories[k].push(i);
                }
            }
        }
        if let Some(k) = s
            .entry
            .item
            .question
            .as_deref()
            .and_then(|q| config.questions.position(q))
        {
            question_stories[k].push(i);
        }
        if let Some(p) = s.partner {
            partner_stories[p].push(i);
        }
    }
    for (i, t) in timeline.iter().enumerate() {
        for &p in &t.partners {
            if partner_timeline[p].last() != Some(&i) {
                partner_timeline[p].push(i);
            }
        }
    }

    let site = Site {
        config,
        options,
        root: root.to_path_buf(),
        home,
        intros,
        stories,
        partners,
        timeline,
        pages,
        topic_stories,
        question_stories,
        partner_stories,
        partner_timeline,
        assets,
    };
    (site, errors)
}

/// A timeline entry's status from its dates, judged by day.
pub fn derive_status(start: NaiveDate, end: Option<NaiveDate>, today: NaiveDate) -> Status {
    let end = end.unwrap_or(start);
    if today < start {
        Status::Planned
    } else if today > end {
        Status::Done
    } else {
        Status::InProgress
    }
}

fn source_dir(source: &Source) -> &str {
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
    let input = hash_of((&source.body, url, cx.base, &source.content_path, summary));
    let rendered = cx
        .cache
        .get(&source.content_path, input, cx.links_hash)
        .unwrap_or_else(|| {
            let links = Links {
                base_path: cx.base,
                page_url: url,
                source_dir: source_dir(source),
                content_urls: cx.content_urls,
            };
            let mut rendered = markdown::render(&source.body, &links);
            if let Some(summary) = summary {
                (rendered.summary_html, rendered.summary_text) =
                    markdown::render_summary(summary, &links);
                rendered.summary_short = markdown::short_summary(&rendered.summary_text);
            }
            Arc::new(rendered)
        });
    let mut errors = Vec::new();
    if !rendered.broken_links.is_empty() {
        let lines = LineIndex::new(&source.body);
        for (offset, link) in &rendered.broken_links {
            let mut pos = lines.position(*offset);
            pos.line += source.body_line - 1;
            errors.push(
                Diagnostic::new(&source.path, format!("the link `{link}` points to a content file that is not published or does not exist"))
                    .at(pos)
                    .with_help("link to a file in content/ relative to this one (e.g. ../partners/the-mac.md), or to a site address such as /partners/the-mac/; drafts and future stories are not published"),
            );
        }
    }
    (rendered, input, errors)
}

/// The URL of a front-matter image, and an error if the file is not there.
fn picture_url(
    pic: &Picture,
    c: &crate::content::Common,
    page_url: &str,
    base: &str,
    statics: &StaticFiles,
) -> (String, Vec<Diagnostic>) {
    let src = pic.src.value.trim();
    if src.starts_with("http://") || src.starts_with("https://") {
        return (src.to_string(), Vec::new());
    }
    let missing = |help: String| {
        vec![
            Diagnostic::new(&c.source.path, format!("the image `{src}` does not exist"))
                .at(pic.src.pos)
                .with_help(help),
        ]
    };
    if let Some(rest) = src.strip_prefix('/') {
        let url = join_url(base, rest);
        if statics.contains_key(rest) {
            return (url, Vec::new());
        }
        return (
            url,
            missing(format!(
                "an address starting with / is a file in static/; put the file at static/{rest}"
            )),
        );
    }
    let url = format!("{page_url}{src}");
    match &c.source.bundle {
        Some(_) if c.source.assets.iter().any(|a| a == src) => (url, Vec::new()),
        Some(bundle) => {
            let folder = bundle
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                url,
                missing(format!(
                    "put the file beside index.md in the bundle folder `{folder}`, or write an address such as /images/{src} for a file in static/images/"
                )),
            )
        }
        None => (
            url,
            missing(format!(
                "a relative image needs a bundle: move this file to {}/index.md and the image beside it, or put the image in static/ and write /images/{src}",
                c.source.content_path.trim_end_matches(".md")
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn status_comes_from_the_dates() {
        let today = day("2015-10-01");
        assert_eq!(derive_status(day("2015-09-11"), None, today), Status::Done);
        assert_eq!(
            derive_status(day("2015-10-01"), None, today),
            Status::InProgress
        );
        assert_eq!(
            derive_status(day("2015-12-01"), Some(day("2016-03-31")), today),
            Status::Planned
        );
        assert_eq!(
            derive_status(day("2015-08-01"), Some(day("2016-03-31")), today),
            Status::InProgress
        );
    }
}
