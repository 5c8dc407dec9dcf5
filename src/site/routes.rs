//! Every address the site has, said once: the fixed pages, the address of
//! each kind of item, topics, questions and lists' later pages, and the
//! output file an address is written to. Address claims, render jobs, the
//! sitemap, the navigation and what templates receive all ask here, so a new
//! kind of page, or a prefix for every address, is one edit in this file.
//!
//! Addresses come out root-relative with the site's base path
//! (`/sub/stories/x/`); [`Routes::permalink`] makes one absolute.

use crate::config::Config;
use crate::content::Section;
use crate::url::{encode_segment, join_url, output_path};

/// The pages every site has (the search page when search is on), each at a
/// fixed address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fixed {
    Home,
    Stories,
    Partners,
    Timeline,
    Topics,
    Questions,
    Search,
    NotFound,
    Feed,
    Sitemap,
    Robots,
}

impl Fixed {
    pub const ALL: [Fixed; 11] = [
        Fixed::Home,
        Fixed::Stories,
        Fixed::Partners,
        Fixed::Timeline,
        Fixed::Topics,
        Fixed::Questions,
        Fixed::Search,
        Fixed::NotFound,
        Fixed::Feed,
        Fixed::Sitemap,
        Fixed::Robots,
    ];

    /// The address, relative to the base path.
    pub const fn path(self) -> &'static str {
        match self {
            Fixed::Home => "/",
            Fixed::Stories => "/stories/",
            Fixed::Partners => "/partners/",
            Fixed::Timeline => "/timeline/",
            Fixed::Topics => "/topics/",
            Fixed::Questions => "/questions/",
            Fixed::Search => "/search/",
            Fixed::NotFound => "/404.html",
            Fixed::Feed => "/feed.xml",
            Fixed::Sitemap => "/sitemap.xml",
            Fixed::Robots => "/robots.txt",
        }
    }

    /// The home page and the lists: the fixed pages a sitemap names.
    pub const fn in_sitemap(self) -> bool {
        matches!(
            self,
            Fixed::Home
                | Fixed::Stories
                | Fixed::Partners
                | Fixed::Timeline
                | Fixed::Topics
                | Fixed::Questions
        )
    }

    /// Whether each language has its own (under its prefix): the home page,
    /// the lists, the search page and the feed. The 404 page, the sitemap
    /// and robots.txt are the site's, once, at the top.
    pub const fn per_language(self) -> bool {
        !matches!(self, Fixed::NotFound | Fixed::Sitemap | Fixed::Robots)
    }

    /// The file it is written to, relative to the output folder.
    pub fn file(self) -> String {
        output_path("/", self.path())
    }

    /// A list's folder name, which also names its section for marking the
    /// navigation: `stories`.
    pub fn folder(self) -> &'static str {
        self.path().trim_matches('/')
    }

    /// Lists, whose folder no page may take as its slug.
    const fn is_list(self) -> bool {
        self.in_sitemap() && !matches!(self, Fixed::Home)
    }

    /// The list a section's items sit under; pages sit at the top.
    pub const fn list_of(section: Section) -> Option<Fixed> {
        match section {
            Section::Stories => Some(Fixed::Stories),
            Section::Partners => Some(Fixed::Partners),
            Section::Timeline => Some(Fixed::Timeline),
            Section::Pages => None,
        }
    }
}

/// The main navigation's lists, in order.
pub const NAV: [Fixed; 4] = [
    Fixed::Stories,
    Fixed::Partners,
    Fixed::Timeline,
    Fixed::Topics,
];

/// The folder of a list's later pages: `/stories/page/2/`.
const PAGE_SEGMENT: &str = "page";

/// Files of the theme that pages and structured data point at.
pub mod theme_files {
    pub const STYLE: &str = "/style.css";
    pub const FAVICON: &str = "/favicon.svg";
    pub const LOGO: &str = "/logo.svg";
    /// The picture link previews show for pages without one (1200×630).
    pub const SOCIAL: &str = "/social.png";
}

/// Plain pages the theme links to from every page's footer.
pub mod footer_pages {
    pub const ACCESSIBILITY: &str = "accessibility";
    pub const PRIVACY: &str = "privacy";
}

/// Whether a page's slug is a top-level folder the site uses itself.
pub fn is_reserved(slug: &str) -> bool {
    slug == PAGE_SEGMENT
        || Fixed::ALL
            .into_iter()
            .filter(|f| f.is_list())
            .any(|f| f.folder() == slug)
}

/// An item's address relative to the base path: under its list, or at the
/// top for pages.
pub fn item_path(section: Section, slug: &str) -> String {
    let list = Fixed::list_of(section).map_or("/", Fixed::path);
    format!("{list}{}/", encode_segment(slug))
}

/// The addresses of one site: where it lives (`base_url`) and every kind of
/// page under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routes {
    /// `/` or `/sub/`.
    base_path: String,
    /// `https://example.org`, without the base path.
    origin: String,
    /// The language's folder (`/ur`), or empty for the default language.
    prefix: String,
}

impl Routes {
    /// The addresses of the default language's pages.
    pub fn new(config: &Config) -> Routes {
        let origin_end = config.base_url.len() - config.base_path.len();
        Routes {
            base_path: config.base_path.clone(),
            origin: config.base_url[..origin_end].to_string(),
            prefix: String::new(),
        }
    }

    /// The addresses of a language's pages: under `/<prefix>/`, or at the
    /// top for the default language (an empty prefix).
    pub fn for_language(config: &Config, prefix: &str) -> Routes {
        let mut routes = Routes::new(config);
        if !prefix.is_empty() {
            routes.prefix = format!("/{}", encode_segment(prefix));
        }
        routes
    }

    /// A page of this language: `path` under its prefix and the base path.
    fn page(&self, path: &str) -> String {
        self.url(&format!("{}{path}", self.prefix))
    }

    /// `/` or `/sub/`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Any path of the site (`/style.css`) under the base path.
    pub fn url(&self, path: &str) -> String {
        join_url(&self.base_path, path)
    }

    pub fn fixed(&self, page: Fixed) -> String {
        if page.per_language() {
            self.page(page.path())
        } else {
            self.url(page.path())
        }
    }

    /// A story's, partner's, timeline entry's or page's address.
    pub fn item(&self, section: Section, slug: &str) -> String {
        self.page(&item_path(section, slug))
    }

    /// Where a section's `_index.md` introduces its list.
    pub fn section(&self, section: Section) -> String {
        match Fixed::list_of(section) {
            Some(list) => self.fixed(list),
            None => self.page(&format!("/{}/", section.dir())),
        }
    }

    /// The list of a topic's stories.
    pub fn topic(&self, key: &str) -> String {
        self.under(Fixed::Topics, key)
    }

    /// The list of stories answering a campaign question.
    pub fn question(&self, key: &str) -> String {
        self.under(Fixed::Questions, key)
    }

    fn under(&self, list: Fixed, key: &str) -> String {
        self.page(&format!("{}{}/", list.path(), encode_segment(key)))
    }

    /// Page `n` (1-based) of the list whose first page is `first`.
    pub fn list_page(first: &str, n: usize) -> String {
        if n <= 1 {
            first.to_string()
        } else {
            format!("{first}{PAGE_SEGMENT}/{n}/")
        }
    }

    /// Where the search index's files are published.
    pub fn search_bundle(&self) -> String {
        self.url(&format!("/{}/", crate::search::BUNDLE_DIR))
    }

    /// An absolute URL for an address made here.
    pub fn permalink(&self, url: &str) -> String {
        format!("{}{url}", self.origin)
    }

    /// The file an address is written to, relative to the output folder.
    pub fn output_path(&self, url: &str) -> String {
        output_path(&self.base_path, url)
    }

    /// The file an alias (`/old/`, relative to the base path) is written to.
    pub fn alias_output_path(alias: &str) -> String {
        output_path("/", alias)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(origin: &str, base_path: &str) -> Routes {
        Routes {
            base_path: base_path.into(),
            origin: origin.into(),
            prefix: String::new(),
        }
    }

    #[test]
    fn a_languages_pages_sit_under_its_code_and_the_sites_files_do_not() {
        let mut r = routes("https://example.org", "/sub/");
        r.prefix = "/ur".into();
        assert_eq!(r.fixed(Fixed::Home), "/sub/ur/");
        assert_eq!(r.fixed(Fixed::Feed), "/sub/ur/feed.xml");
        assert_eq!(r.fixed(Fixed::Sitemap), "/sub/sitemap.xml");
        assert_eq!(r.fixed(Fixed::NotFound), "/sub/404.html");
        assert_eq!(r.item(Section::Stories, "x"), "/sub/ur/stories/x/");
        assert_eq!(r.item(Section::Pages, "about"), "/sub/ur/about/");
        assert_eq!(r.topic("culture"), "/sub/ur/topics/culture/");
        assert_eq!(r.url("/style.css"), "/sub/style.css");
        assert_eq!(
            r.output_path("/sub/ur/stories/x/"),
            "ur/stories/x/index.html"
        );
        assert_eq!(r.search_bundle(), "/sub/pagefind/");
    }

    #[test]
    fn every_kind_of_address_under_a_sub_path() {
        let r = routes("https://example.org", "/sub/");
        assert_eq!(r.fixed(Fixed::Home), "/sub/");
        assert_eq!(r.fixed(Fixed::Feed), "/sub/feed.xml");
        assert_eq!(
            r.item(Section::Stories, "canal walks"),
            "/sub/stories/canal%20walks/"
        );
        assert_eq!(r.item(Section::Pages, "about"), "/sub/about/");
        assert_eq!(r.topic("quality-of-life"), "/sub/topics/quality-of-life/");
        assert_eq!(r.question("great"), "/sub/questions/great/");
        assert_eq!(Routes::list_page("/sub/stories/", 1), "/sub/stories/");
        assert_eq!(
            Routes::list_page("/sub/stories/", 3),
            "/sub/stories/page/3/"
        );
        assert_eq!(r.permalink("/sub/about/"), "https://example.org/sub/about/");
        assert_eq!(r.output_path("/sub/stories/x/"), "stories/x/index.html");
        assert_eq!(Fixed::Home.file(), "index.html");
        assert_eq!(Fixed::NotFound.file(), "404.html");
        assert_eq!(Fixed::Stories.file(), "stories/index.html");
    }

    #[test]
    fn pages_cannot_take_a_list_folder() {
        for slug in [
            "stories",
            "partners",
            "timeline",
            "topics",
            "questions",
            "page",
        ] {
            assert!(is_reserved(slug), "{slug}");
        }
        for slug in ["about", "search", "story"] {
            assert!(!is_reserved(slug), "{slug}");
        }
    }
}
