//! What there is to render: one job per output file, and the kinds of page
//! with the template each is rendered with and the name templates see as
//! `page.kind`. A new kind of page is a [`Kind`] here, its address in
//! [`crate::site::routes`] and its function in `pages.rs`.

use crate::site::Site;
use crate::site::routes::Fixed;

/// One output file to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Home,
    /// Page `n` (1-based) of the stories list.
    Stories(usize),
    Story(usize),
    Topics,
    /// Page `n` of the `k`th topic's list.
    Topic(usize, usize),
    Questions,
    /// Page `n` of the `k`th question's list.
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

/// A kind of page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Home,
    Stories,
    Story,
    Topics,
    Topic,
    Questions,
    Question,
    Partners,
    Partner,
    Timeline,
    TimelineEntry,
    Page,
    NotFound,
    Search,
    Alias,
    Feed,
    Sitemap,
    Robots,
}

impl Kind {
    pub const ALL: [Kind; 18] = [
        Kind::Home,
        Kind::Stories,
        Kind::Story,
        Kind::Topics,
        Kind::Topic,
        Kind::Questions,
        Kind::Question,
        Kind::Partners,
        Kind::Partner,
        Kind::Timeline,
        Kind::TimelineEntry,
        Kind::Page,
        Kind::NotFound,
        Kind::Search,
        Kind::Alias,
        Kind::Feed,
        Kind::Sitemap,
        Kind::Robots,
    ];

    /// Its name in templates: `page.kind`.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Stories => "stories",
            Kind::Story => "story",
            Kind::Topics => "topics",
            Kind::Topic => "topic",
            Kind::Questions => "questions",
            Kind::Question => "question",
            Kind::Partners => "partners",
            Kind::Partner => "partner",
            Kind::Timeline => "timeline",
            Kind::TimelineEntry => "timeline_entry",
            Kind::Page => "page",
            Kind::NotFound => "404",
            Kind::Search => "search",
            Kind::Alias => "alias",
            Kind::Feed => "feed",
            Kind::Sitemap => "sitemap",
            Kind::Robots => "robots",
        }
    }

    /// The template it is rendered with.
    pub const fn template(self) -> &'static str {
        match self {
            Kind::Home => "index.html",
            Kind::Stories => "stories.html",
            Kind::Story => "story.html",
            Kind::Topics => "topics.html",
            Kind::Topic => "topic.html",
            Kind::Questions => "questions.html",
            Kind::Question => "question.html",
            Kind::Partners => "partners.html",
            Kind::Partner => "partner.html",
            Kind::Timeline => "timeline.html",
            Kind::TimelineEntry => "timeline_entry.html",
            Kind::Page => "page.html",
            Kind::NotFound => "404.html",
            Kind::Search => "search.html",
            Kind::Alias => "alias.html",
            Kind::Feed => "feed.xml",
            Kind::Sitemap => "sitemap.xml",
            Kind::Robots => "robots.txt",
        }
    }

    /// The list whose section the page belongs to, for marking the
    /// navigation: a list and the pages of its items.
    pub const fn list(self) -> Option<Fixed> {
        match self {
            Kind::Stories | Kind::Story => Some(Fixed::Stories),
            Kind::Partners | Kind::Partner => Some(Fixed::Partners),
            Kind::Timeline | Kind::TimelineEntry => Some(Fixed::Timeline),
            Kind::Topics | Kind::Topic => Some(Fixed::Topics),
            Kind::Questions | Kind::Question => Some(Fixed::Questions),
            _ => None,
        }
    }

    /// `page.section`: the list's folder name, or "".
    pub fn section(self) -> &'static str {
        self.list().map_or("", Fixed::folder)
    }

    /// Whether a theme must have its template: every kind, the search page
    /// only on a site with search.
    pub const fn required(self, search: bool) -> bool {
        search || !matches!(self, Kind::Search)
    }

    /// Whether its pages go into the search index: the pages of items
    /// (stories, partners, timeline entries, plain pages). Lists only repeat
    /// what those say, and would crowd the results.
    pub const fn searchable(self) -> bool {
        matches!(
            self,
            Kind::Story | Kind::Partner | Kind::TimelineEntry | Kind::Page
        )
    }
}

impl Job {
    pub fn kind(&self) -> Kind {
        match self {
            Job::Home => Kind::Home,
            Job::Stories(_) => Kind::Stories,
            Job::Story(_) => Kind::Story,
            Job::Topics => Kind::Topics,
            Job::Topic(..) => Kind::Topic,
            Job::Questions => Kind::Questions,
            Job::Question(..) => Kind::Question,
            Job::Partners => Kind::Partners,
            Job::Partner(_) => Kind::Partner,
            Job::Timeline => Kind::Timeline,
            Job::TimelineEntry(_) => Kind::TimelineEntry,
            Job::Page(_) => Kind::Page,
            Job::NotFound => Kind::NotFound,
            Job::Search => Kind::Search,
            Job::Alias(..) => Kind::Alias,
            Job::Feed => Kind::Feed,
            Job::Sitemap => Kind::Sitemap,
            Job::Robots => Kind::Robots,
        }
    }

    /// Whether the page goes into the search index (see [`Kind::searchable`]).
    pub fn searchable(&self) -> bool {
        self.kind().searchable()
    }
}

/// The positions on page `n` (1-based) of a list of `len`, `per_page` to a page.
pub fn page_range(len: usize, n: usize, per_page: usize) -> std::ops::Range<usize> {
    let start = (n.saturating_sub(1) * per_page).min(len);
    start..(start + per_page).min(len)
}

/// How many pages a list of `items` takes: one at least, even when empty.
pub fn pages_for(items: usize, per_page: usize) -> usize {
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
        Job::Feed,
    ];
    // The site's own files, once: at the top, in the default language.
    if site.lang.default {
        jobs.extend([Job::NotFound, Job::Sitemap, Job::Robots]);
    }
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
    jobs.extend((0..site.own_partners).map(Job::Partner));
    jobs.extend((0..site.timeline.len()).map(Job::TimelineEntry));
    jobs.extend((0..site.own_pages).map(Job::Page));
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

/// The pages that show story `i` of `site`: its own; its neighbours', which
/// link to it; and each list it is on (the stories, its topics, its
/// question, its partner, the home page and the feed when it is among the
/// latest), at the page it falls on. When a story's text alone changes,
/// these are the pages that can change and no others (`serve` renders just
/// them; `tests/incremental.rs` holds it to a full build).
pub fn showing_story(site: &Site, i: usize) -> Vec<Job> {
    let per = site.config.build.stories_per_page;
    let page_of = |list: &[usize]| list.iter().position(|&j| j == i).map(|at| at / per + 1);
    let mut jobs = vec![Job::Story(i), Job::Stories(i / per + 1)];
    jobs.extend(i.checked_sub(1).map(Job::Story));
    if i + 1 < site.stories.len() {
        jobs.push(Job::Story(i + 1));
    }
    if i < site.config.build.home_stories {
        jobs.push(Job::Home);
    }
    if i < site.config.build.feed_limit {
        jobs.push(Job::Feed);
    }
    for (k, list) in site.topic_stories.iter().enumerate() {
        jobs.extend(page_of(list).map(|n| Job::Topic(k, n)));
    }
    for (k, list) in site.question_stories.iter().enumerate() {
        jobs.extend(page_of(list).map(|n| Job::Question(k, n)));
    }
    let partner = site.stories.get(i).and_then(|s| s.partner);
    jobs.extend(partner.filter(|&p| p < site.own_partners).map(Job::Partner));
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_template_and_name() {
        let mut templates: Vec<_> = Kind::ALL.iter().map(|k| k.template()).collect();
        let mut names: Vec<_> = Kind::ALL.iter().map(|k| k.name()).collect();
        templates.sort();
        templates.dedup();
        names.sort();
        names.dedup();
        assert_eq!(templates.len(), Kind::ALL.len());
        assert_eq!(names.len(), Kind::ALL.len());
        assert_eq!(Kind::Story.section(), "stories");
        assert_eq!(Kind::TimelineEntry.section(), "timeline");
        assert_eq!(Kind::Page.section(), "");
    }

    #[test]
    fn lists_take_one_page_at_least() {
        assert_eq!(pages_for(0, 10), 1);
        assert_eq!(pages_for(21, 10), 3);
        assert_eq!(page_range(21, 3, 10), 20..21);
        assert_eq!(page_range(5, 3, 10), 5..5);
    }
}
