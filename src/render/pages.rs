//! One function per kind of page: its address, its title and description,
//! and the variables its template receives. What every page shares (`site`,
//! `page`) is made in one place, [`Renderer::vars`].

use std::sync::{Arc, OnceLock};

use tera::Value;

use super::charts::Pictures;
use super::jobs::{Job, Kind, page_range, pages_for};
use super::languages;
use super::paginator::paginator;
use super::structured::{self, SocialImage};
use super::templates::{Templates, template_diagnostic};
use super::vars::{Made, Vars};
use super::view::{PageMeta, SectorView, SitemapEntry, Views};
use crate::cache::HashWriter;
use crate::content::{Section, Status};
use crate::error::Diagnostic;
use crate::images::Catalog;
use crate::site::Site;
use crate::site::routes::{Fixed, Routes};

/// One page, ready to render.
pub struct Prepared<'a> {
    pub template: &'static str,
    /// Output path, relative to the output root.
    pub path: String,
    pub vars: Vars<'a>,
}

/// What a page says about itself: `page` before its picture and structured
/// data are added.
struct About<'s> {
    kind: Kind,
    title: &'s str,
    description: &'s str,
    url: String,
    draft: bool,
}

impl<'s> About<'s> {
    fn new(kind: Kind, title: &'s str, url: String) -> Self {
        About {
            kind,
            title,
            description: "",
            url,
            draft: false,
        }
    }
}

/// Renders the pages of one language's site with one set of templates.
pub struct Renderer<'a> {
    site: &'a Site,
    /// The default language's site, which holds every language's.
    root: &'a Site,
    templates: &'a Templates,
    views: Views<'a>,
    site_value: Arc<Value>,
    /// The page's language's words (`t`).
    words: Arc<Value>,
    site_hash: u64,
    /// Each story as a list shows it, made when first needed.
    list_stories: Vec<OnceLock<Made>>,
    pictures: &'a Pictures,
    default_image: SocialImage,
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        root: &'a Site,
        images: &'a Arc<Catalog>,
        templates: &'a Templates,
        pictures: &'a Pictures,
    ) -> Self {
        // Templates outlive a build in `serve`: resize_image must see this one's images.
        *templates.images.write().unwrap_or_else(|e| e.into_inner()) = images.clone();
        let views = Views::new(site, images, &templates.strings);
        let site_value = Arc::new(tera::to_value(views.site()).unwrap_or_default());
        let mut w = HashWriter::default();
        serde_json::to_writer(&mut w, &*site_value).ok();
        serde_json::to_writer(&mut w, templates.strings.of(&site.lang.code)).ok();
        serde_json::to_writer(&mut w, &*site.data).ok();
        let site_hash = w.finish();
        Renderer {
            site,
            root,
            templates,
            views,
            site_value,
            words: templates.strings.shared(&site.lang.code),
            site_hash,
            list_stories: site.stories.iter().map(|_| OnceLock::new()).collect(),
            pictures,
            default_image: structured::default_image(site),
        }
    }

    /// The language's site this renders.
    pub fn site(&self) -> &'a Site {
        self.site
    }

    /// Renders one job: its output path and bytes.
    pub fn render(&self, job: &Job) -> Result<(String, Vec<u8>), Diagnostic> {
        let prepared = self.prepare(job);
        let bytes = self.render_prepared(prepared.template, prepared.vars)?;
        Ok((prepared.path, bytes))
    }

    pub fn render_prepared(&self, template: &str, vars: Vars) -> Result<Vec<u8>, Diagnostic> {
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
    pub fn prepare(&self, job: &Job) -> Prepared<'_> {
        let (url, vars) = match job {
            Job::Home => self.home(),
            Job::Stories(n) => self.story_list(*n),
            Job::Story(i) => self.story(*i),
            Job::Topics => self.topics(),
            Job::Topic(k, n) => self.topic(*k, *n),
            Job::Questions => self.questions(),
            Job::Question(k, n) => self.question(*k, *n),
            Job::Partners => self.partners(),
            Job::Partner(i) => self.partner(*i),
            Job::Timeline => self.timeline(),
            Job::TimelineEntry(i) => self.timeline_entry(*i),
            Job::Page(i) => self.page(*i),
            Job::Search => self.search(),
            Job::NotFound => self.plain(Kind::NotFound, Fixed::NotFound),
            Job::Alias(from, to, title) => self.alias(from, to, title),
            Job::Feed => self.feed(),
            Job::Sitemap => self.sitemap(),
            Job::Robots => self.plain(Kind::Robots, Fixed::Robots),
        };
        let path = match job {
            // An alias is an old address of this site: under the base path already.
            Job::Alias(from, ..) => Routes::alias_output_path(from),
            _ => self.routes().output_path(&url),
        };
        Prepared {
            template: job.kind().template(),
            path,
            vars,
        }
    }

    fn routes(&self) -> &Routes {
        &self.site.routes
    }

    /// `page`, with the site's default picture and no structured data.
    fn meta(&self, about: About) -> PageMeta {
        PageMeta {
            kind: about.kind.name(),
            section: about.kind.section(),
            title: about.title.to_string(),
            description: about.description.to_string(),
            permalink: self.routes().permalink(&about.url),
            draft: about.draft,
            image: self.default_image.clone(),
            json_ld: Value::Null,
            alternates: languages::alternates(self.root, &about.url),
            languages: languages::switcher(self.root, self.site, &about.url),
            url: about.url,
            toc: Vec::new(),
            show_toc: false,
        }
    }

    /// The variables every page has: `site`, `t`, `data` and `page`.
    fn vars(&self, meta: PageMeta) -> Vars<'_> {
        let mut vars = Vars::new(
            &self.site_value,
            &self.words,
            &self.site.data,
            self.site_hash,
        );
        vars.insert("page", meta);
        vars
    }

    fn about(&self, about: About) -> Vars<'_> {
        self.vars(self.meta(about))
    }

    /// A page with nothing but `site` and `page`.
    fn plain(&self, kind: Kind, page: Fixed) -> (String, Vars<'_>) {
        let url = self.routes().fixed(page);
        let title = self.views.fixed_title(page);
        (url.clone(), self.about(About::new(kind, title, url)))
    }

    /// The stories at `indexes`, as values for a list.
    fn stories(&self, indexes: impl IntoIterator<Item = usize>) -> Vec<&Made> {
        indexes
            .into_iter()
            .map(|i| {
                self.list_stories[i].get_or_init(|| {
                    let view = self.views.story(&self.site.stories[i], false);
                    Made::new(tera::to_value(view).unwrap_or(Value::Null))
                })
            })
            .collect()
    }

    /// A list with a `_index.md` intro: its title and description come from
    /// the intro, whose text shows on the first page only.
    fn list_vars(
        &self,
        kind: Kind,
        list: Fixed,
        section: Section,
        url: &str,
        n: usize,
    ) -> Vars<'_> {
        let intro = self.site.intros.get(&section);
        let title = self
            .views
            .section_title(section, self.views.fixed_title(list));
        let mut about = About::new(kind, title, url.to_string());
        about.description = intro.and_then(|i| i.description.as_deref()).unwrap_or("");
        let mut vars = self.about(about);
        let text = intro.filter(|_| n == 1).map_or("", |i| self.views.intro(i));
        vars.insert("intro", text);
        vars
    }

    /// Page `n` of a list of `len` stories whose first page is `first`:
    /// the stories on it (the `j`th is story `at(j)`) and the paginator.
    fn paged_stories<'s>(
        &'s self,
        vars: &mut Vars<'s>,
        (len, at): (usize, impl Fn(usize) -> usize),
        first: &str,
        n: usize,
    ) {
        let per = self.site.config.build.stories_per_page;
        vars.insert_values("stories", self.stories(page_range(len, n, per).map(at)));
        let totals = (pages_for(len, per), len, per);
        vars.insert("paginator", paginator(first, n, totals));
    }

    fn home(&self) -> (String, Vars<'_>) {
        let site = self.site;
        let v = &self.views;
        let url = self.routes().fixed(Fixed::Home);
        let mut about = About::new(
            Kind::Home,
            site.home.title.as_deref().unwrap_or(&site.config.title),
            url.clone(),
        );
        about.description = site
            .home
            .description
            .as_deref()
            .unwrap_or(&site.config.description);
        let mut meta = self.meta(about);
        meta.json_ld = structured::website(site);
        let mut vars = self.vars(meta);
        vars.insert("intro", v.intro(&site.home));
        let latest = 0..site.stories.len().min(site.config.build.home_stories);
        vars.insert_values("latest", self.stories(latest));
        let timeline = site.timeline.iter().enumerate();
        let upcoming = timeline.clone().filter(|(_, t)| t.status != Status::Done);
        vars.insert("next_up", v.timeline(upcoming.map(|(i, _)| i).take(3)));
        let done: Vec<usize> = timeline
            .filter(|(_, t)| t.status == Status::Done)
            .map(|(i, _)| i)
            .collect();
        let recent = done[done.len().saturating_sub(3)..].iter().copied();
        vars.insert("recent", v.timeline(recent));
        vars.insert("partner_count", site.partners.len());
        vars.insert("story_count", site.stories.len());
        vars.insert("cycle", &self.pictures.cycle);
        (url, vars)
    }

    fn story_list(&self, n: usize) -> (String, Vars<'_>) {
        let first = self.routes().fixed(Fixed::Stories);
        let url = Routes::list_page(&first, n);
        let mut vars = self.list_vars(Kind::Stories, Fixed::Stories, Section::Stories, &url, n);
        self.paged_stories(&mut vars, (self.site.stories.len(), |j| j), &first, n);
        (url, vars)
    }

    fn story(&self, i: usize) -> (String, Vars<'_>) {
        let site = self.site;
        let v = &self.views;
        let s = &site.stories[i];
        let e = &s.entry;
        let mut about = About::new(Kind::Story, &e.item.title, e.url.clone());
        about.description = &e.rendered.summary_text;
        about.draft = s.unpublished;
        let mut meta = self.meta(about);
        let alt = e.item.image.as_ref().map(|p| p.alt.as_str());
        meta.image = structured::card_image_of(site, v.images, e, alt);
        meta.json_ld = structured::article(site, s, &meta.image);
        meta.set_toc(&e.rendered.headings, e.item.toc);
        let mut vars = self.vars(meta);
        vars.insert("story", v.story(s, true));
        // Newest first: the older story is the next index.
        vars.insert("prev", site.stories.get(i + 1).map(|p| v.story(p, false)));
        let newer = i.checked_sub(1).map(|n| v.story(&site.stories[n], false));
        vars.insert("next", newer);
        (e.url.clone(), vars)
    }

    fn topics(&self) -> (String, Vars<'_>) {
        let site = self.site;
        let url = self.routes().fixed(Fixed::Topics);
        let title = self.views.fixed_title(Fixed::Topics);
        let about = About::new(Kind::Topics, title, url.clone());
        let mut vars = self.about(about);
        let topics: Vec<_> = site
            .config
            .topics
            .iter()
            .enumerate()
            .map(|(k, (key, _))| self.views.topic(key, Some(site.topic_stories[k].len())))
            .collect();
        vars.insert("topics", topics);
        (url, vars)
    }

    fn topic(&self, k: usize, n: usize) -> (String, Vars<'_>) {
        let (key, name) = self.site.config.topics.iter().nth(k).unwrap_or_default();
        let list = &self.site.topic_stories[k];
        let term = self.views.topic(key, Some(list.len()));
        let url = Routes::list_page(&term.url, n);
        let mut vars = self.about(About::new(Kind::Topic, name, url.clone()));
        self.paged_stories(&mut vars, (list.len(), |j| list[j]), &term.url, n);
        vars.insert("topic", term);
        (url, vars)
    }

    fn questions(&self) -> (String, Vars<'_>) {
        let site = self.site;
        let url = self.routes().fixed(Fixed::Questions);
        let title = &site.config.campaign_name;
        let mut vars = self.about(About::new(Kind::Questions, title, url.clone()));
        let questions: Vec<_> = site
            .config
            .questions
            .iter()
            .enumerate()
            .map(|(k, (key, _))| {
                self.views
                    .question(key, Some(site.question_stories[k].len()))
            })
            .collect();
        vars.insert("questions", questions);
        (url, vars)
    }

    fn question(&self, k: usize, n: usize) -> (String, Vars<'_>) {
        let (key, text) = self.site.config.questions.iter().nth(k).unwrap_or_default();
        let list = &self.site.question_stories[k];
        let q = self.views.question(key, Some(list.len()));
        let url = Routes::list_page(&q.url, n);
        let mut vars = self.about(About::new(Kind::Question, text, url.clone()));
        self.paged_stories(&mut vars, (list.len(), |j| list[j]), &q.url, n);
        vars.insert("question", q);
        (url, vars)
    }

    fn partners(&self) -> (String, Vars<'_>) {
        let site = self.site;
        let url = self.routes().fixed(Fixed::Partners);
        let mut vars = self.list_vars(Kind::Partners, Fixed::Partners, Section::Partners, &url, 1);
        vars.insert("sectors", self.sectors());
        vars.insert("partner_count", site.own_partners);
        vars.insert("network", &self.pictures.network);
        vars.insert("commitments", &self.pictures.commitments);
        (url, vars)
    }

    /// The partners grouped by sector, in `site.toml`'s order of sectors.
    fn sectors(&self) -> Vec<SectorView<'_>> {
        let site = self.site;
        let in_sector = |key: &str| {
            site.own_partners()
                .iter()
                .enumerate()
                .filter(|(_, p)| p.item.sector == key)
                .map(|(i, _)| {
                    let mut view = self.views.partner(i, false);
                    view.connections = Some(self.pictures.connections[i]);
                    view
                })
                .collect()
        };
        site.config
            .sectors
            .iter()
            .map(|(key, name)| SectorView {
                key,
                name,
                partners: in_sector(key),
            })
            .filter(|s| !s.partners.is_empty())
            .collect()
    }

    fn partner(&self, i: usize) -> (String, Vars<'_>) {
        let site = self.site;
        let v = &self.views;
        let p = &site.partners[i];
        let mut about = About::new(Kind::Partner, &p.item.name, p.url.clone());
        about.description = &p.rendered.summary_text;
        about.draft = p.item.common.draft;
        let mut meta = self.meta(about);
        let alt = p.item.logo.as_ref().map(|l| l.alt.as_str());
        meta.image = structured::image_of(site, p, alt);
        meta.json_ld = structured::organization(site, i);
        let mut vars = self.vars(meta);
        vars.insert("partner", v.partner(i, true));
        let stories = site.partner_stories[i].iter().copied();
        vars.insert_values("stories", self.stories(stories));
        let timeline = v.timeline(site.partner_timeline[i].iter().copied());
        vars.insert("timeline", timeline);
        (p.url.clone(), vars)
    }

    fn timeline(&self) -> (String, Vars<'_>) {
        let url = self.routes().fixed(Fixed::Timeline);
        let mut vars = self.list_vars(Kind::Timeline, Fixed::Timeline, Section::Timeline, &url, 1);
        vars.insert("entries", self.views.timeline(0..self.site.timeline.len()));
        vars.insert("road", self.pictures.road.as_str());
        (url, vars)
    }

    fn timeline_entry(&self, i: usize) -> (String, Vars<'_>) {
        let site = self.site;
        let v = &self.views;
        let t = &site.timeline[i];
        let e = &t.entry;
        let mut about = About::new(Kind::TimelineEntry, &e.item.title, e.url.clone());
        about.description = &e.rendered.summary_text;
        about.draft = e.item.common.draft;
        let mut meta = self.meta(about);
        meta.json_ld = structured::event(site, t).unwrap_or(Value::Null);
        meta.set_toc(&e.rendered.headings, e.item.toc);
        let mut vars = self.vars(meta);
        vars.insert("entry", v.timeline_entry(t));
        let earlier = i
            .checked_sub(1)
            .map(|n| v.timeline_entry(&site.timeline[n]));
        vars.insert("prev", earlier);
        vars.insert(
            "next",
            site.timeline.get(i + 1).map(|n| v.timeline_entry(n)),
        );
        (e.url.clone(), vars)
    }

    fn page(&self, i: usize) -> (String, Vars<'_>) {
        let p = &self.site.pages[i];
        let mut about = About::new(Kind::Page, &p.item.title, p.url.clone());
        about.description = p
            .item
            .description
            .as_deref()
            .unwrap_or(&p.rendered.summary_text);
        about.draft = p.item.common.draft;
        let mut meta = self.meta(about);
        meta.set_toc(&p.rendered.headings, p.item.toc);
        let mut vars = self.vars(meta);
        vars.insert("content", self.views.body(p));
        (p.url.clone(), vars)
    }

    fn search(&self) -> (String, Vars<'_>) {
        let (url, mut vars) = self.plain(Kind::Search, Fixed::Search);
        vars.insert("bundle_url", self.routes().search_bundle());
        (url, vars)
    }

    fn alias(&self, from: &str, to: &str, title: &str) -> (String, Vars<'_>) {
        let url = self.routes().url(from);
        let redirecting = self.views.words().word("alias_redirecting");
        let mut vars = self.about(About::new(Kind::Alias, redirecting, url.clone()));
        vars.insert("target", self.routes().permalink(to));
        vars.insert("target_title", title.to_string());
        (url, vars)
    }

    fn feed(&self) -> (String, Vars<'_>) {
        let site = self.site;
        let url = self.routes().fixed(Fixed::Feed);
        let mut about = About::new(Kind::Feed, &site.config.title, url.clone());
        about.description = &site.config.description;
        let mut vars = self.about(about);
        let latest = &site.stories[..site.stories.len().min(site.config.build.feed_limit)];
        let stories: Vec<_> = latest.iter().map(|s| self.views.story(s, true)).collect();
        let updated = latest
            .iter()
            .map(|s| {
                let item = &s.entry.item;
                let at = item.updated.unwrap_or(item.date.value).at;
                at.with_timezone(&chrono::Utc)
            })
            .max()
            .unwrap_or(site.options.now);
        vars.insert("stories", stories);
        let updated = updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        vars.insert("updated", updated);
        (url, vars)
    }

    fn sitemap(&self) -> (String, Vars<'_>) {
        let (url, mut vars) = self.plain(Kind::Sitemap, Fixed::Sitemap);
        vars.insert("entries", self.sitemap_entries());
        (url, vars)
    }

    /// For each language: the home page and lists, every item, then every
    /// topic and question.
    fn sitemap_entries(&self) -> Vec<SitemapEntry> {
        let mut out = Vec::new();
        for site in self.root.languages() {
            self.sitemap_language(site, &mut out);
        }
        out
    }

    fn sitemap_language(&self, site: &Site, out: &mut Vec<SitemapEntry>) {
        let r = &site.routes;
        let entry = |url: &str, lastmod: String| SitemapEntry {
            loc: r.permalink(url),
            lastmod,
            alternates: languages::alternates(self.root, url),
        };
        let fixed = Fixed::ALL.into_iter().filter(|f| f.in_sitemap());
        out.extend(fixed.map(|f| entry(&r.fixed(f), String::new())));
        for s in &site.stories {
            let d = s.entry.item.updated.unwrap_or(s.entry.item.date.value);
            out.push(entry(&s.entry.url, d.iso()));
        }
        let items = site.items().skip(site.stories.len());
        out.extend(items.map(|item| entry(item.url, String::new())));
        for (key, _) in site.config.topics.iter() {
            out.push(entry(&r.topic(key), String::new()));
        }
        for (key, _) in site.config.questions.iter() {
            out.push(entry(&r.question(key), String::new()));
        }
    }
}
