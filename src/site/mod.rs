//! The site model: which items are published, their addresses, cross
//! references (partners ↔ stories ↔ timeline), listings and their order.
//! Rendering the Markdown happens here too, because links between content
//! files need every address first. No file output and no templates.

pub mod alternates;
pub mod bodies;
pub mod claims;
pub mod components;
pub mod edit;
pub mod listings;
pub mod refs;
pub mod routes;
pub mod unpublished;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

pub use alternates::Alternates;
use bodies::{BodyContext, render_items};
pub use components::{Placed, Resolved};
use routes::{Fixed, Routes};
use unpublished::Unpublished;

use crate::cache::{MarkdownCache, hash_of};
use crate::components::Specs;
use crate::config::{Config, Language};
use crate::content::data::Data;
use crate::content::{
    Broken, ContentItem, ContentTree, IndexFile, Page, Partner, Section, Source, Status, Story,
    TimelineEntry,
};
use crate::error::Diagnostic;
use crate::markdown::Rendered;
use crate::statics::{StaticFiles, StaticSource};

/// How to build: the build's clock and whether unpublished work is shown.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Include drafts and future-dated stories.
    pub drafts: bool,
    /// "Now" for future stories and timeline statuses.
    pub now: DateTime<Utc>,
}

#[derive(Debug)]
pub struct Entry<T> {
    pub item: Arc<T>,
    /// Root-relative, with the base path: `/sub/stories/x/`.
    pub url: String,
    pub rendered: Arc<Rendered>,
    /// Resolved URL of the item's image or logo.
    pub image_url: Option<String>,
    /// The component calls in its body, checked.
    pub components: Vec<Placed>,
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
    /// The component calls in its text, checked.
    pub components: Vec<Placed>,
}

/// The site in one language: its items, lists and addresses. The default
/// language's holds the others' in `translations`.
#[derive(Debug)]
pub struct Site {
    /// The settings as this language's pages see them.
    pub config: Config,
    /// The language this is the site in.
    pub lang: Language,
    /// Every address the site has.
    pub routes: Routes,
    pub options: Options,
    pub root: PathBuf,
    pub home: Intro,
    pub intros: HashMap<Section, Intro>,
    /// Newest first.
    pub stories: Vec<StoryEntry>,
    /// This language's partners by name, then (from `own_partners` on) the
    /// default language's that it has no translation of: stories and
    /// entries name them and link to them, but they are not this
    /// language's pages.
    pub partners: Vec<Entry<Partner>>,
    /// How many of `partners` are this language's own.
    pub own_partners: usize,
    /// In date order.
    pub timeline: Vec<TimelineItem>,
    /// This language's pages by weight, then title; then (from `own_pages`
    /// on) the default language's that it has no translation of, for the
    /// menu and the footer's links.
    pub pages: Vec<Entry<Page>>,
    /// How many of `pages` are this language's own.
    pub own_pages: usize,
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
    /// Items this build leaves out, by content file (`stories/x.md`).
    pub unpublished: HashMap<String, Unpublished>,
    /// Items whose file could not be read (their errors are reported), by
    /// content file, with the address each would have.
    pub unreadable: HashMap<String, String>,
    /// Every published content file (`stories/x.md`) → its address in this
    /// language: its translation's, else the original's.
    pub content_urls: HashMap<String, String>,
    /// The site in each other language (empty but in the default
    /// language's).
    pub translations: Vec<Site>,
    /// Every page that exists in more than one language, with each version
    /// (filled in the default language's).
    pub alternates: Alternates,
    /// A hash of `content_urls`: a body that links to content files is
    /// rendered again when it changes (the Markdown cache's key).
    pub links_hash: u64,
    /// The data files as this language's templates see them (`data`): an
    /// object keyed by file name, shared by languages with no files of
    /// their own.
    pub data: Arc<serde_json::Value>,
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
            .own_partners()
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
            .own_pages()
            .iter()
            .map(move |p| item(&p.item.common, &p.url, &p.item.title, &p.rendered));
        stories.chain(partners).chain(timeline).chain(pages)
    }

    /// This language's own partner profiles (not those it borrows).
    pub fn own_partners(&self) -> &[Entry<Partner>] {
        &self.partners[..self.own_partners]
    }

    /// This language's own pages (not those it borrows).
    pub fn own_pages(&self) -> &[Entry<Page>] {
        &self.pages[..self.own_pages]
    }

    /// This site, then the site in each other language.
    pub fn languages(&self) -> impl Iterator<Item = &Site> {
        std::iter::once(self).chain(&self.translations)
    }

    /// The home page's intro, then each list's.
    pub fn intros(&self) -> impl Iterator<Item = &Intro> {
        std::iter::once(&self.home).chain(self.intros.values())
    }

    pub fn today(&self) -> NaiveDate {
        self.options.now.date_naive()
    }
}

/// Builds the model from loaded content, and returns every problem found
/// beside it: addresses claimed twice, partners that do not exist, links
/// and pictures that lead nowhere. The model is made whatever the problems,
/// so `brum check` can go on to check links where the build stops. The
/// default language is built first; each other language is built against
/// it (its links, its partners).
pub fn build(
    config: Config,
    mut tree: ContentTree,
    from: Sources,
    options: Options,
    cache: &mut MarkdownCache,
) -> (Site, Vec<Diagnostic>) {
    let Sources {
        root,
        data,
        statics,
        components,
    } = from;
    let translations = std::mem::take(&mut tree.translations);
    let mut fresh = Vec::new();
    let mut cx = Build {
        root,
        data,
        statics,
        options,
        cache,
        fresh: &mut fresh,
        errors: Vec::new(),
        components,
    };
    let default = config.default_language().clone();
    let mut site = build_language(&config, default, tree, None, &mut cx);
    for (code, tree) in translations {
        let Some(lang) = config.language(&code).cloned() else {
            continue;
        };
        let translated = build_language(&config, lang, tree, Some(&site), &mut cx);
        site.translations.push(translated);
    }
    let errors = cx.errors;
    cache.replace(fresh);
    site.alternates = Alternates::of(&site);
    (site, errors)
}

/// What a site is built from besides its settings and content: where it
/// is, its data files, its static files, and what its components take
/// (None when the templates did not load).
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    pub root: &'a Path,
    pub data: &'a Data,
    pub statics: &'a StaticFiles,
    pub components: Option<&'a Specs>,
}

/// What building each language shares.
struct Build<'a> {
    root: &'a Path,
    data: &'a Data,
    statics: &'a StaticFiles,
    options: Options,
    cache: &'a MarkdownCache,
    /// Bodies rendered this build, every language's, for the cache.
    fresh: &'a mut Vec<(String, u64, u64, Arc<Rendered>)>,
    errors: Vec<Diagnostic>,
    components: Option<&'a Specs>,
}

/// The site in one language; `default` is the default language's site,
/// when this is another.
fn build_language(
    config: &Config,
    lang: Language,
    tree: ContentTree,
    default: Option<&Site>,
    b: &mut Build,
) -> Site {
    let config = config.in_language(&lang);
    let routes = Routes::for_language(&config, lang.prefix());
    let options = b.options;
    let errors = &mut b.errors;
    errors.extend(claims_and_refs(&config, &lang, &tree, default));
    let mut unpublished = unpublished::of(&tree, &routes, &options);
    let published = Published::of(tree, &options);
    let mut published = published;
    let mut content_urls = HashMap::new();
    if let Some(d) = default {
        published.keep_translations_of(&d.content_urls);
        content_urls.clone_from(&d.content_urls);
        // Every language has a home page, with an intro or without.
        if let Some(home) = content_urls.get_mut(HOME_FILE) {
            *home = routes.fixed(Fixed::Home);
        }
    }
    content_urls.extend(published.content_urls(&routes));
    if let Some(d) = default {
        for (path, u) in &d.unpublished {
            unpublished.entry(path.clone()).or_insert_with(|| u.clone());
        }
    }
    let unreadable = published.unreadable(&routes);
    let links_hash = content_urls.iter().fold(0u64, |acc, kv| acc ^ hash_of(kv));
    let partner_slugs = partner_slugs(&published, default);
    let cx = BodyContext {
        routes: &routes,
        content_urls: &content_urls,
        unpublished: &unpublished,
        links_hash,
        statics: b.statics,
        cache: b.cache,
        components: b.components,
        parse_key: b.components.map_or(0, Specs::parse_key),
        partners: &partner_slugs,
    };
    let mut fresh = Vec::new();
    let mut stories = render_items(published.stories, &cx, errors, &mut fresh);
    let mut partners = render_items(published.partners, &cx, errors, &mut fresh);
    let mut timeline = render_items(published.timeline, &cx, errors, &mut fresh);
    let mut pages = render_items(published.pages, &cx, errors, &mut fresh);
    let home = published
        .home
        .map(|index| bodies::render_intro(index, routes.fixed(Fixed::Home), &cx, errors))
        .unwrap_or_default();
    let intros: HashMap<Section, Intro> = published
        .section_intros
        .into_iter()
        .map(|(section, index)| {
            let url = routes.section(section);
            (section, bodies::render_intro(index, url, &cx, errors))
        })
        .collect();
    b.fresh.extend(
        fresh
            .into_iter()
            .map(|(path, input, rendered)| (path, input, links_hash, rendered)),
    );

    listings::sort(&mut stories, &mut partners, &mut timeline, &mut pages);
    let mut assets = Vec::new();
    add_assets(&stories, &routes, &mut assets);
    add_assets(&partners, &routes, &mut assets);
    add_assets(&timeline, &routes, &mut assets);
    add_assets(&pages, &routes, &mut assets);
    let (own_partners, own_pages) = (partners.len(), pages.len());
    if let Some(d) = default {
        partners.extend(borrowed(&partners, d.own_partners()));
        pages.extend(borrowed(&pages, d.own_pages()));
    }
    let partner_index = listings::partner_index(&partners);
    let stories = listings::stories(stories, &partner_index, &options);
    let timeline = listings::timeline(timeline, &partner_index, options.now.date_naive());
    drop(partner_index);
    let lists = listings::lists(&config, &stories, &timeline, partners.len());
    let data = b.data.for_language(&lang.code);

    Site {
        config,
        lang,
        routes,
        options,
        root: b.root.to_path_buf(),
        home,
        intros,
        stories,
        partners,
        own_partners,
        timeline,
        pages,
        own_pages,
        topic_stories: lists.topic_stories,
        question_stories: lists.question_stories,
        partner_stories: lists.partner_stories,
        partner_timeline: lists.partner_timeline,
        assets,
        unpublished,
        unreadable,
        content_urls,
        links_hash,
        translations: Vec::new(),
        alternates: Alternates::default(),
        data,
    }
}

/// Addresses claimed twice (or a language's folder taken by a page) and
/// partners named that do not exist, in one language's files; a language
/// other than the default may name the default's partners.
fn claims_and_refs(
    config: &Config,
    lang: &Language,
    tree: &ContentTree,
    default: Option<&Site>,
) -> Vec<Diagnostic> {
    let others: Vec<&str> = match lang.default {
        true => config.languages[1..]
            .iter()
            .map(|l| l.code.as_str())
            .collect(),
        false => Vec::new(),
    };
    let mut errors = claims::check(tree, config.search, &others);
    let mut known_partners = tree.broken_slugs(Section::Partners);
    if let Some(d) = default {
        known_partners.extend(d.partners.iter().map(|p| p.item.common.slug.as_str()));
    }
    errors.extend(refs::check_partners(
        &tree.stories,
        &tree.timeline,
        &tree.partners,
        &known_partners,
    ));
    errors
}

/// The default language's items that `own` has no translation of, as they
/// are there (their own address and words).
fn borrowed<T: ContentItem>(own: &[Entry<T>], default: &[Entry<T>]) -> Vec<Entry<T>> {
    let translated: std::collections::HashSet<&str> = own
        .iter()
        .filter_map(|e| e.item.common().source.original.as_deref())
        .collect();
    default
        .iter()
        .filter(|e| !translated.contains(e.item.common().source.content_path.as_str()))
        .map(|p| Entry {
            item: p.item.clone(),
            url: p.url.clone(),
            rendered: p.rendered.clone(),
            image_url: p.image_url.clone(),
            components: p.components.clone(),
        })
        .collect()
}

/// What this build publishes: drafts only when asked for, stories only once
/// their date has come.
struct Published {
    home: Option<Arc<IndexFile>>,
    section_intros: Vec<(Section, Arc<IndexFile>)>,
    stories: Vec<Arc<Story>>,
    partners: Vec<Arc<Partner>>,
    timeline: Vec<Arc<TimelineEntry>>,
    pages: Vec<Arc<Page>>,
    /// Files that could not be read: links to them are not reported again.
    broken: Vec<Arc<Broken>>,
}

impl Published {
    fn of(tree: ContentTree, options: &Options) -> Published {
        let keep = |c: &crate::content::Common| options.drafts || !c.draft;
        let is_out =
            |s: &Story| options.drafts || (!s.common.draft && s.date.value.at <= options.now);
        Published {
            home: tree.home,
            section_intros: tree.section_intros,
            stories: tree.stories.into_iter().filter(|s| is_out(s)).collect(),
            partners: filter(tree.partners, |p| keep(&p.common)),
            timeline: filter(tree.timeline, |t| keep(&t.common)),
            pages: tree
                .pages
                .into_iter()
                .filter(|p| keep(&p.common) && !routes::is_reserved(&p.common.slug))
                .collect(),
            broken: tree.broken,
        }
    }

    /// Leaves out translations whose original is not published: a draft's
    /// translation waits for it.
    fn keep_translations_of(&mut self, published: &HashMap<String, String>) {
        fn keep<T: ContentItem>(items: &mut Vec<Arc<T>>, published: &HashMap<String, String>) {
            items.retain(|i| {
                let original = i.common().source.original.as_ref();
                original.is_none_or(|o| published.contains_key(o))
            });
        }
        keep(&mut self.stories, published);
        keep(&mut self.partners, published);
        keep(&mut self.timeline, published);
        keep(&mut self.pages, published);
    }

    /// Every published content file's address, for links between them.
    fn content_urls(&self, routes: &Routes) -> HashMap<String, String> {
        fn add<T: ContentItem>(
            items: &[Arc<T>],
            routes: &Routes,
            urls: &mut HashMap<String, String>,
        ) {
            for item in items {
                let c = item.common();
                let url = routes.item(T::SECTION, &c.slug);
                // A link to the original, in a translation, leads to the
                // translation.
                if let Some(original) = &c.source.original {
                    urls.insert(original.clone(), url.clone());
                }
                urls.insert(c.source.content_path.clone(), url);
            }
        }
        let mut urls = HashMap::new();
        add(&self.stories, routes, &mut urls);
        add(&self.partners, routes, &mut urls);
        add(&self.timeline, routes, &mut urls);
        add(&self.pages, routes, &mut urls);
        if let Some(home) = &self.home {
            urls.insert(home.source.content_path.clone(), routes.fixed(Fixed::Home));
        }
        urls.extend(self.unreadable(routes));
        urls
    }

    /// Where each item that could not be read would be: it has its own
    /// errors, and a link to it is not one more.
    fn unreadable(&self, routes: &Routes) -> HashMap<String, String> {
        let items = self.broken.iter().filter_map(|b| Some((b, b.section?)));
        items
            .map(|(b, section)| {
                let url = routes.item(section, &b.slug);
                (b.source.content_path.clone(), url)
            })
            .collect()
    }
}

/// The home page's intro, relative to `content/`.
const HOME_FILE: &str = "_index.md";

fn filter<T>(items: Vec<Arc<T>>, keep: impl Fn(&T) -> bool) -> Vec<Arc<T>> {
    items.into_iter().filter(|i| keep(i)).collect()
}

/// The files of each bundle, published beside its page.
fn add_assets<T: ContentItem>(
    entries: &[Entry<T>],
    routes: &Routes,
    assets: &mut Vec<(StaticSource, String)>,
) {
    for e in entries {
        let source = &e.item.common().source;
        if let Some(bundle) = &source.bundle {
            // The address is percent-encoded; the folder has the real name.
            let dir = routes.output_path(&e.url);
            let dir = dir.strip_suffix("index.html").unwrap_or(&dir);
            for a in &source.assets {
                assets.push((StaticSource::File(bundle.join(a)), format!("{dir}{a}")));
            }
        }
    }
}

/// The partners a language's pages may name: its own, and those it borrows
/// from the default language.
fn partner_slugs(published: &Published, default: Option<&Site>) -> HashSet<String> {
    let own = published.partners.iter().map(|p| p.common.slug.clone());
    let borrowed = default
        .into_iter()
        .flat_map(|d| d.own_partners().iter().map(|e| e.item.common.slug.clone()));
    own.chain(borrowed).collect()
}
