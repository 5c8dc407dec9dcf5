//! What templates see: borrowed, serialisable views of the model. Field names
//! here are the theme contract (themes/default/TEMPLATES.md); the model can
//! change without templates noticing.

use serde::Serialize;

pub use super::contents::{TOC_AUTO_MIN, TocEntry, show_toc, toc};

use super::strings::{Strings, Words};
use crate::content::{Date, Section, Status};
use crate::images::Catalog;
use crate::markdown::Heading;
use crate::site::routes::{self, Fixed, footer_pages, theme_files};
use crate::site::{Entry, Site, StoryEntry, TimelineItem};

#[derive(Serialize)]
pub struct Link<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct Term<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

#[derive(Serialize)]
pub struct Question<'a> {
    pub key: &'a str,
    pub text: &'a str,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

#[derive(Serialize)]
pub struct KeyName<'a> {
    pub key: &'a str,
    pub name: &'a str,
}

#[derive(Serialize)]
pub struct PartnerRef<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub url: &'a str,
}

/// A front-matter image or logo. When brum publishes it responsively,
/// `width`/`height` are set and the srcsets list its copies (see the
/// `picture` macro of the default theme); else `src` is `url` and the rest
/// empty (an SVG, a GIF, another site's image).
#[derive(Serialize)]
pub struct Image<'a> {
    pub url: &'a str,
    pub alt: &'a str,
    pub src: &'a str,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub srcset: &'a str,
    pub webp_srcset: &'a str,
}

impl<'a> Image<'a> {
    pub fn new(url: &'a str, alt: &'a str, picture: Option<&'a crate::images::Responsive>) -> Self {
        match picture {
            Some(p) => Image {
                url,
                alt,
                src: &p.src,
                width: Some(p.width),
                height: Some(p.height),
                srcset: &p.srcset,
                webp_srcset: &p.webp_srcset,
            },
            None => Image {
                url,
                alt,
                src: url,
                width: None,
                height: None,
                srcset: "",
                webp_srcset: "",
            },
        }
    }
}

#[derive(Serialize)]
pub struct Social<'a> {
    pub twitter: &'a str,
    pub twitter_url: String,
    pub facebook: &'a str,
}

#[derive(Serialize)]
pub struct Campaign<'a> {
    pub name: &'a str,
    pub questions: Vec<Question<'a>>,
}

#[derive(Serialize)]
pub struct NavItem<'a> {
    pub label: &'a str,
    pub url: String,
    /// The `page.section` whose pages this item leads to ("" for menu pages).
    pub section: &'static str,
}

#[derive(Serialize)]
pub struct Urls {
    pub home: String,
    pub stories: String,
    pub partners: String,
    pub timeline: String,
    pub topics: String,
    pub questions: String,
    pub accessibility: String,
    pub privacy: String,
    pub style: String,
    pub favicon: String,
    pub logo: String,
}

/// The section a kind of page belongs to, for marking the navigation.
pub fn section_of(kind: &str) -> &'static str {
    match kind {
        "stories" | "story" => "stories",
        "partners" | "partner" => "partners",
        "timeline" | "timeline_entry" => "timeline",
        "topics" | "topic" => "topics",
        "questions" | "question" => "questions",
        _ => "",
    }
}

/// `site`: the same on every page.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The language of these pages: `en-GB`, `ur`.
    pub language: &'a str,
    /// Which way its text runs: `ltr` or `rtl`, for `<html dir>`.
    pub dir: &'static str,
    /// Whether the site is published in more than one language.
    pub multilingual: bool,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub campaign: Campaign<'a>,
    pub topics: Vec<Term<'a>>,
    pub sectors: Vec<KeyName<'a>>,
    pub social: Social<'a>,
    pub menu: Vec<Link<'a>>,
    /// The main navigation: the four sections, then the menu pages.
    pub nav: Vec<NavItem<'a>>,
    /// The site's fixed addresses, under the base path, so templates need
    /// not call `url()` for them on every page.
    pub urls: Urls,
    /// The description up to its first colon: the strapline under the name.
    pub tagline: &'a str,
    pub feed_url: String,
    pub feed_permalink: String,
    /// This language's home page as an absolute URL (the base URL for the
    /// default language): a feed's id.
    pub home_permalink: String,
    pub build_date: String,
    pub drafts: bool,
}

/// `page`: the page being rendered.
#[derive(Serialize)]
pub struct PageMeta {
    pub kind: &'static str,
    /// The section the page belongs to (see `section_of`).
    pub section: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub draft: bool,
    /// The picture a shared link shows: the story's image or partner's logo
    /// where there is one, else the site's default.
    pub image: super::structured::SocialImage,
    /// schema.org data for the page (null when it has none); print it with
    /// the `json_script` filter.
    pub json_ld: serde_json::Value,
    /// The page in every language that has it, then `x-default`; empty
    /// when only its own language does.
    pub alternates: Vec<super::languages::Alternate>,
    /// The language switcher: every language of the site, each leading to
    /// this page or, where it has none, to its home page; empty for a site
    /// in one language.
    pub languages: Vec<super::languages::LanguageLink>,
    /// The headings of a story's, timeline entry's or page's text as a
    /// tree (see [`toc`]); empty on other pages.
    pub toc: Vec<TocEntry>,
    /// Whether the theme should show `toc` (see [`show_toc`]).
    pub show_toc: bool,
}

impl PageMeta {
    /// Gives the page its contents list: `wanted` is the front matter's `toc`.
    pub fn set_toc(&mut self, headings: &[Heading], wanted: Option<bool>) {
        self.toc = toc(headings);
        self.show_toc = show_toc(wanted, headings);
    }
}

#[derive(Serialize)]
pub struct StoryView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub date: String,
    pub date_iso: String,
    pub date_display: String,
    pub updated: String,
    pub updated_iso: String,
    pub updated_display: String,
    pub author: &'a str,
    pub partner: Option<PartnerRef<'a>>,
    pub question: Option<Question<'a>>,
    pub topics: Vec<Term<'a>>,
    pub summary: &'a str,
    pub summary_text: &'a str,
    /// For a list: `summary_text` cut to about 280 characters when it is
    /// longer than 320, else empty (and `summary` is short enough to show).
    pub summary_short: &'a str,
    pub image: Option<Image<'a>>,
    pub draft: bool,
    pub word_count: usize,
    pub reading_minutes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
}

#[derive(Serialize)]
pub struct PartnerView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub sector: KeyName<'a>,
    pub website: &'a str,
    pub twitter: &'a str,
    pub twitter_url: String,
    pub facebook: &'a str,
    pub joined_iso: String,
    pub joined_display: String,
    pub commitments: Vec<KeyName<'a>>,
    pub logo: Option<Image<'a>>,
    pub summary_text: &'a str,
    pub story_count: usize,
    /// How many partners it is linked with in the network (partners list only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connections: Option<usize>,
    pub draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
}

#[derive(Serialize)]
pub struct TimelineView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub date_iso: String,
    pub date_display: String,
    pub end_iso: String,
    pub end_display: String,
    pub when_display: String,
    pub status: &'static str,
    pub status_label: &'a str,
    pub status_derived: bool,
    pub location: &'a str,
    pub partners: Vec<PartnerRef<'a>>,
    pub summary_text: &'a str,
    pub draft: bool,
    pub content: &'a str,
}

#[derive(Serialize)]
pub struct SectorView<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub partners: Vec<PartnerView<'a>>,
}

#[derive(Serialize)]
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: String,
    /// The page in each language that has it (see `PageMeta::alternates`).
    pub alternates: Vec<super::languages::Alternate>,
}

fn opt<T>(d: Option<&Date>, f: impl Fn(&Date) -> T) -> T
where
    T: Default,
{
    d.map(f).unwrap_or_default()
}

/// The pages in the menu, in weight order: a language's own, and the
/// default language's it has not translated.
fn menu_pages(site: &Site) -> impl Iterator<Item = &Entry<crate::content::Page>> {
    let mut pages: Vec<_> = site.pages.iter().filter(|p| p.item.menu).collect();
    if site.own_pages < site.pages.len() {
        pages.sort_by(|a, b| (a.item.weight, &a.item.title).cmp(&(b.item.weight, &b.item.title)));
    }
    pages.into_iter()
}

/// The address of the page with `slug`: in this language when it has the
/// page, else the default language's.
fn page_url(site: &Site, slug: &str) -> String {
    let is = |p: &&Entry<crate::content::Page>| {
        let c = &p.item.common;
        let original = c.source.original.as_deref().unwrap_or_default();
        c.slug == slug
            || original == format!("pages/{slug}.md")
            || original == format!("pages/{slug}/index.md")
    };
    let page = site.pages.iter().find(is);
    page.map_or_else(|| site.routes.item(Section::Pages, slug), |p| p.url.clone())
}

fn twitter_url(handle: &str) -> String {
    if handle.is_empty() {
        String::new()
    } else {
        format!("https://twitter.com/{handle}")
    }
}

/// Builds views; holds the site so every view can make URLs, and its images
/// so pictures and bodies are shown responsively.
pub struct Views<'a> {
    pub site: &'a Site,
    pub images: &'a Catalog,
    /// The theme's words, for the words and dates of the page's language.
    pub strings: &'a Strings,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site, images: &'a Catalog, strings: &'a Strings) -> Self {
        Views {
            site,
            images,
            strings,
        }
    }

    /// "8 July 2015", in the site's language.
    pub fn date(&self, date: &crate::content::Date) -> String {
        self.strings.date(&self.site.lang.code, date.day())
    }

    /// The theme's words in the site's language.
    pub fn words(&self) -> Words<'a> {
        self.strings.words(&self.site.lang.code)
    }

    /// What a fixed page is called, in the site's language: in the
    /// navigation, and as its title unless an `_index.md` gives another.
    pub fn fixed_title(&self, page: Fixed) -> &'a str {
        let key = match page {
            Fixed::Home => "nav_home",
            Fixed::Stories => "nav_stories",
            Fixed::Partners => "nav_partners",
            Fixed::Timeline => "nav_timeline",
            Fixed::Topics => "nav_topics",
            Fixed::Questions => "nav_questions",
            Fixed::Search => "nav_search",
            Fixed::NotFound => "not_found_title",
            // Files, not pages: their titles are never shown.
            Fixed::Feed => return "Feed",
            Fixed::Sitemap => return "Sitemap",
            Fixed::Robots => return "robots.txt",
        };
        self.words().word(key)
    }

    /// A body as pages show it: with its images made responsive.
    pub fn body<T>(&self, e: &'a Entry<T>) -> &'a str
    where
        T: crate::content::ContentItem,
    {
        self.images
            .body(&e.item.common().source.content_path, &e.rendered.html)
    }

    /// An intro (the home page's, a list's) as pages show it.
    pub fn intro(&self, intro: &'a crate::site::Intro) -> &'a str {
        match &intro.source {
            Some(source) => self.images.body(&source.content_path, &intro.html),
            None => &intro.html,
        }
    }

    pub fn site(&self) -> SiteView<'a> {
        let site = self.site;
        let c = &site.config;
        let r = &site.routes;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            dir: site.lang.dir.as_str(),
            multilingual: c.is_multilingual(),
            base_url: &c.base_url,
            base_path: &c.base_path,
            campaign: Campaign {
                name: &c.campaign_name,
                questions: c
                    .questions
                    .iter()
                    .map(|(k, _)| self.question(k, None))
                    .collect(),
            },
            topics: c
                .topics
                .iter()
                .enumerate()
                .map(|(i, (k, _))| self.topic(k, Some(site.topic_stories[i].len())))
                .collect(),
            sectors: c
                .sectors
                .iter()
                .map(|(key, name)| KeyName { key, name })
                .collect(),
            social: Social {
                twitter: &c.social.twitter,
                twitter_url: twitter_url(&c.social.twitter),
                facebook: &c.social.facebook,
            },
            menu: menu_pages(site)
                .map(|p| Link {
                    title: &p.item.title,
                    url: p.url.clone(),
                })
                .collect(),
            nav: routes::NAV
                .into_iter()
                .map(|list| NavItem {
                    label: self.fixed_title(list),
                    url: r.fixed(list),
                    section: list.folder(),
                })
                .chain(menu_pages(site).map(|p| NavItem {
                    label: &p.item.title,
                    url: p.url.clone(),
                    section: "",
                }))
                .chain(site.config.search.then(|| NavItem {
                    label: self.fixed_title(Fixed::Search),
                    url: r.fixed(Fixed::Search),
                    section: "",
                }))
                .collect(),
            urls: Urls {
                home: r.fixed(Fixed::Home),
                stories: r.fixed(Fixed::Stories),
                partners: r.fixed(Fixed::Partners),
                timeline: r.fixed(Fixed::Timeline),
                topics: r.fixed(Fixed::Topics),
                questions: r.fixed(Fixed::Questions),
                accessibility: page_url(site, footer_pages::ACCESSIBILITY),
                privacy: page_url(site, footer_pages::PRIVACY),
                style: r.url(theme_files::STYLE),
                favicon: r.url(theme_files::FAVICON),
                logo: r.url(theme_files::LOGO),
            },
            tagline: c.description.split(':').next().unwrap_or("").trim_end(),
            feed_url: r.fixed(Fixed::Feed),
            feed_permalink: r.permalink(&r.fixed(Fixed::Feed)),
            home_permalink: r.permalink(&r.fixed(Fixed::Home)),
            build_date: site.today().format("%Y-%m-%d").to_string(),
            drafts: site.options.drafts,
        }
    }

    pub fn topic(&self, key: &'a str, count: Option<usize>) -> Term<'a> {
        let c = &self.site.config;
        Term {
            key,
            name: c.topics.get(key).unwrap_or(key),
            url: self.site.routes.topic(key),
            count,
        }
    }

    pub fn question(&self, key: &'a str, count: Option<usize>) -> Question<'a> {
        let c = &self.site.config;
        Question {
            key,
            text: c.questions.get(key).unwrap_or(key),
            url: self.site.routes.question(key),
            count,
        }
    }

    fn partner_ref(&self, index: usize) -> PartnerRef<'a> {
        let p = &self.site.partners[index];
        PartnerRef {
            slug: &p.item.common.slug,
            name: &p.item.name,
            url: &p.url,
        }
    }

    pub fn story(&self, s: &'a StoryEntry, with_content: bool) -> StoryView<'a> {
        let e = &s.entry;
        let st = &e.item;
        StoryView {
            title: &st.title,
            url: &e.url,
            permalink: self.site.routes.permalink(&e.url),
            date: st.date.value.at.to_rfc3339(),
            date_iso: st.date.value.iso(),
            date_display: self.date(&st.date.value),
            updated: opt(st.updated.as_ref(), |d| d.at.to_rfc3339()),
            updated_iso: opt(st.updated.as_ref(), Date::iso),
            updated_display: opt(st.updated.as_ref(), |d| self.date(d)),
            author: st.author.as_deref().unwrap_or(""),
            partner: s.partner.map(|i| self.partner_ref(i)),
            question: st.question.as_deref().map(|q| self.question(q, None)),
            topics: st.topics.iter().map(|t| self.topic(t, None)).collect(),
            summary: &e.rendered.summary_html,
            summary_text: &e.rendered.summary_text,
            summary_short: &e.rendered.summary_short,
            image: match (&e.image_url, &st.image) {
                (Some(url), Some(pic)) => Some(Image::new(url, &pic.alt, self.images.picture(url))),
                _ => None,
            },
            draft: s.unpublished,
            word_count: e.rendered.word_count,
            reading_minutes: e.rendered.word_count.div_ceil(200).max(1),
            content: with_content.then(|| self.body(e)),
        }
    }

    pub fn stories(&self, indexes: &[usize]) -> Vec<StoryView<'a>> {
        indexes
            .iter()
            .map(|&i| self.story(&self.site.stories[i], false))
            .collect()
    }

    pub fn partner(&self, index: usize, with_content: bool) -> PartnerView<'a> {
        let e = &self.site.partners[index];
        let p = &e.item;
        let c = &self.site.config;
        PartnerView {
            slug: &p.common.slug,
            name: &p.name,
            url: &e.url,
            permalink: self.site.routes.permalink(&e.url),
            sector: KeyName {
                key: &p.sector,
                name: c.sectors.get(&p.sector).unwrap_or(&p.sector),
            },
            website: p.website.as_deref().unwrap_or(""),
            twitter: p.twitter.as_deref().unwrap_or(""),
            twitter_url: twitter_url(p.twitter.as_deref().unwrap_or("")),
            facebook: p.facebook.as_deref().unwrap_or(""),
            joined_iso: opt(p.joined.as_ref(), Date::iso),
            joined_display: opt(p.joined.as_ref(), |d| self.date(d)),
            commitments: p
                .commitments
                .iter()
                .map(|k| KeyName {
                    key: k,
                    name: c.commitments.get(k).unwrap_or(k),
                })
                .collect(),
            logo: match (&e.image_url, &p.logo) {
                (Some(url), Some(pic)) => Some(Image::new(url, &pic.alt, self.images.picture(url))),
                _ => None,
            },
            summary_text: &e.rendered.summary_text,
            story_count: self.site.partner_stories[index].len(),
            connections: None,
            draft: p.common.draft,
            content: with_content.then(|| self.body(e)),
        }
    }

    pub fn timeline_entry(&self, t: &'a TimelineItem) -> TimelineView<'a> {
        let e: &Entry<_> = &t.entry;
        let item = &e.item;
        let start = self.date(&item.date.value);
        let end_display = opt(item.end.as_ref(), |d| self.date(d));
        let when_display = if end_display.is_empty() || end_display == start {
            start.clone()
        } else {
            format!("{start} – {end_display}")
        };
        TimelineView {
            title: &item.title,
            url: &e.url,
            permalink: self.site.routes.permalink(&e.url),
            date_iso: item.date.value.iso(),
            date_display: start,
            end_iso: opt(item.end.as_ref(), Date::iso),
            end_display,
            when_display,
            status: status_key(t.status),
            status_label: self.words().word(status_word(t.status)),
            status_derived: t.status_derived,
            location: item.location.as_deref().unwrap_or(""),
            partners: t.partners.iter().map(|&i| self.partner_ref(i)).collect(),
            summary_text: &e.rendered.summary_text,
            draft: item.common.draft,
            content: self.body(e),
        }
    }

    pub fn timeline(&self, indexes: impl Iterator<Item = usize>) -> Vec<TimelineView<'a>> {
        indexes
            .map(|i| self.timeline_entry(&self.site.timeline[i]))
            .collect()
    }

    pub fn section_title(&self, section: Section, default: &'a str) -> &'a str {
        self.site
            .intros
            .get(&section)
            .and_then(|i| i.title.as_deref())
            .unwrap_or(default)
    }
}

fn status_key(s: Status) -> &'static str {
    s.key()
}

/// The word that names a status: `status_done`.
pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Done => "status_done",
        Status::InProgress => "status_in_progress",
        Status::Planned => "status_planned",
    }
}
