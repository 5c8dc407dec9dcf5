//! The site as the build would write it, held in memory: which files exist,
//! the ids on each page, the links each page holds, and where any address
//! leads. Links are judged against this, so `check` agrees with the output.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use super::html;
use crate::images::Catalog;
use crate::render::{Job, RenderedPage};
use crate::site::Site;
use crate::statics::StaticFiles;
use crate::url::{output_path, percent_decode};

/// A rendered HTML page, read.
pub struct Page {
    /// The page's address: `/stories/x/`.
    pub url: String,
    /// The template that made it.
    pub template: &'static str,
    /// The content file it shows, for an item's own page.
    pub source: Option<PathBuf>,
    pub refs: Vec<html::Ref>,
}

/// The content file an item's page comes from.
fn source_of(root: &Site, lang: &str, job: &Job) -> Option<PathBuf> {
    let site = root.languages().find(|s| s.lang.code == lang)?;
    let common = match job {
        Job::Story(i) => &site.stories.get(*i)?.entry.item.common,
        Job::Partner(i) => &site.partners.get(*i)?.item.common,
        Job::TimelineEntry(i) => &site.timeline.get(*i)?.entry.item.common,
        Job::Page(i) => &site.pages.get(*i)?.item.common,
        _ => return None,
    };
    Some(common.source.path.clone())
}

pub struct Rendered {
    base_path: String,
    /// `https://host`: the base URL without its path.
    origin: String,
    /// Every output file, relative to the output root.
    files: HashSet<String>,
    /// Output path of each HTML page → its ids.
    ids: HashMap<String, HashSet<String>>,
    /// Output path of each HTML page → its headings: level and id, in order.
    headings: HashMap<String, Vec<(u8, Option<String>)>>,
    /// The HTML pages, in output path order.
    pub pages: Vec<Page>,
}

/// Where an address leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Not checked: `mailto:`, `tel:` and other schemes, and addresses on the
    /// same host but outside the site's base path.
    Skip,
    /// An http(s) address elsewhere, without its `#fragment`.
    External(String),
    Internal(Internal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Internal {
    /// The address on the site, with the base path: `/stories/x/`.
    pub url: String,
    /// The output file it is, when there is one.
    pub file: Option<String>,
    /// The part after `#`, decoded; None when there is none.
    pub fragment: Option<String>,
}

fn has_scheme(url: &str) -> Option<&str> {
    let i = url.find(':')?;
    let scheme = &url[..i];
    let valid = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then_some(scheme)
}

/// Resolves `.` and `..` in an absolute path; `..` above the root stays at it.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "" | "." if i + 1 < segments.len() => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

impl Rendered {
    pub fn new(
        site: &Site,
        images: &Catalog,
        statics: &StaticFiles,
        rendered: Vec<RenderedPage>,
    ) -> Self {
        let base_path = site.config.base_path.clone();
        let base_url = &site.config.base_url;
        let origin = base_url[..base_url.len() - base_path.len()].to_string();
        let mut files: HashSet<String> = statics.keys().cloned().collect();
        let assets = site.languages().flat_map(|l| &l.assets);
        files.extend(assets.map(|(_, dest)| dest.clone()));
        // Made images (after rendering, so templates' resize_image requests count).
        files.extend(
            images
                .jobs()
                .into_iter()
                .flat_map(|j| j.outputs.into_iter().map(|o| o.path)),
        );
        files.extend(rendered.iter().map(|p| p.path.clone()));
        let mut read: Vec<(String, html::Read, Page)> = rendered
            .into_par_iter()
            .filter(|p| p.path.ends_with(".html"))
            .map(|p| {
                let text = String::from_utf8_lossy(&p.bytes);
                let r = html::read(&text);
                let url = if p.path == "index.html" {
                    base_path.clone()
                } else if let Some(dir) = p.path.strip_suffix("/index.html") {
                    format!("{base_path}{dir}/")
                } else {
                    format!("{base_path}{}", p.path)
                };
                let mut r = r;
                let page = Page {
                    url,
                    template: p.template,
                    source: source_of(site, &p.lang, &p.job),
                    refs: std::mem::take(&mut r.refs),
                };
                (p.path, r, page)
            })
            .collect();
        read.sort_by(|a, b| a.0.cmp(&b.0));
        let mut ids = HashMap::with_capacity(read.len());
        let mut headings = HashMap::with_capacity(read.len());
        let mut pages = Vec::with_capacity(read.len());
        for (path, r, page) in read {
            ids.insert(path.clone(), r.ids);
            headings.insert(path, r.headings);
            pages.push(page);
        }
        Rendered {
            base_path,
            origin,
            files,
            ids,
            headings,
            pages,
        }
    }

    /// Where `url`, found on the page at `page_url`, leads.
    pub fn resolve(&self, url: &str, page_url: &str) -> Target {
        let url = url.trim();
        if url.is_empty() {
            return Target::Skip;
        }
        if let Some(rest) = url.strip_prefix("//") {
            return self.resolve(&format!("https://{rest}"), page_url);
        }
        let mut local = url;
        if let Some(scheme) = has_scheme(url) {
            if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
                return Target::Skip;
            }
            // The site's own address, written out in full, is internal.
            let own = [
                self.origin.clone(),
                self.origin.replacen("https:", "http:", 1),
            ]
            .into_iter()
            .find(|o| url.len() >= o.len() && url[..o.len()].eq_ignore_ascii_case(o));
            match own {
                Some(o) if url[o.len()..].starts_with('/') || url.len() == o.len() => {
                    local = &url[o.len()..];
                    if local.is_empty() {
                        local = "/";
                    }
                }
                _ => {
                    let without_fragment = url.split('#').next().unwrap_or(url);
                    return Target::External(without_fragment.to_string());
                }
            }
        }
        let (rest, fragment) = match local.split_once('#') {
            Some((r, f)) => (r, Some(percent_decode(f))),
            None => (local, None),
        };
        let path = rest.split('?').next().unwrap_or(rest);
        let path = if path.is_empty() {
            page_url.to_string()
        } else if path.starts_with('/') {
            normalise(path)
        } else {
            let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
            normalise(&format!("{dir}{path}"))
        };
        if !path.starts_with(&self.base_path) && format!("{path}/") != self.base_path {
            return Target::Skip;
        }
        let file = [path.clone(), format!("{path}/")]
            .iter()
            .map(|p| output_path(&self.base_path, p))
            .find(|f| self.files.contains(f));
        Target::Internal(Internal {
            url: path,
            file,
            fragment: fragment.filter(|f| !f.is_empty()),
        })
    }

    /// The ids of an HTML page; None for other files.
    pub fn ids(&self, file: &str) -> Option<&HashSet<String>> {
        self.ids.get(file)
    }

    /// Whether `fragment` is a place on `file`. Files that are not pages
    /// (a PDF's `#page=2`) and `#top` (the top of any page) always are.
    pub fn has_fragment(&self, file: &str, fragment: &str) -> bool {
        match self.ids(file) {
            Some(ids) => ids.contains(fragment) || fragment.eq_ignore_ascii_case("top"),
            None => true,
        }
    }

    /// The level of the heading just before the one with id `id` on the
    /// page at `url`: the level the author's first heading follows.
    pub fn level_before(&self, url: &str, id: &str) -> Option<u8> {
        let file = output_path(&self.base_path, url);
        let headings = self.headings.get(&file)?;
        let i = headings
            .iter()
            .position(|(_, h)| h.as_deref() == Some(id))?;
        // The heading of a contents list stands apart from the outline the
        // text continues: the text follows the title above it.
        let mut outline = headings[..i]
            .iter()
            .filter(|(_, h)| h.as_deref() != Some(CONTENTS_HEADING));
        Some(outline.next_back().map_or(0, |(level, _)| *level))
    }

    /// The site addresses of every page, for "did you mean" suggestions.
    pub fn page_urls(&self) -> impl Iterator<Item = &str> {
        self.pages.iter().map(|p| p.url.as_str())
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

/// The id of the default theme's contents list heading (`m::toc`).
const CONTENTS_HEADING: &str = "brum-contents-title";

/// The known address most like `url` among those in the same folder.
pub fn nearest_url<'a>(url: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let trimmed = url.trim_end_matches('/');
    let (parent, name) = trimmed.rsplit_once('/')?;
    let siblings: Vec<(&str, &str)> = known
        .filter_map(|k| {
            let (p, n) = k.trim_end_matches('/').rsplit_once('/')?;
            (p == parent && !n.is_empty()).then_some((k, n))
        })
        .collect();
    let names: Vec<&str> = siblings.iter().map(|(_, n)| *n).collect();
    let near = crate::config::nearest(name, &names)?;
    siblings.iter().find(|(_, n)| *n == near).map(|(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(base_path: &str, files: &[&str]) -> Rendered {
        let mut ids = HashMap::new();
        ids.insert(
            "partners/mac/index.html".to_string(),
            ["history".to_string()].into_iter().collect(),
        );
        Rendered {
            base_path: base_path.to_string(),
            origin: "https://example.org".to_string(),
            files: files.iter().map(|f| f.to_string()).collect(),
            ids,
            headings: HashMap::new(),
            pages: Vec::new(),
        }
    }

    fn internal(url: &str, file: Option<&str>, fragment: Option<&str>) -> Target {
        Target::Internal(Internal {
            url: url.to_string(),
            file: file.map(str::to_string),
            fragment: fragment.map(str::to_string),
        })
    }

    #[test]
    fn addresses_resolve_to_output_files() {
        let r = rendered(
            "/sub/",
            &["index.html", "partners/mac/index.html", "my file.pdf"],
        );
        let page = "/sub/stories/x/";
        assert_eq!(
            r.resolve("/sub/partners/mac/#history", page),
            internal(
                "/sub/partners/mac/",
                Some("partners/mac/index.html"),
                Some("history")
            )
        );
        assert_eq!(
            r.resolve("../../partners/mac?x=1", page),
            internal("/sub/partners/mac", Some("partners/mac/index.html"), None)
        );
        assert_eq!(
            r.resolve("https://EXAMPLE.org/sub/", page),
            internal("/sub/", Some("index.html"), None)
        );
        assert_eq!(
            r.resolve("/sub/my%20file.pdf", page),
            internal("/sub/my%20file.pdf", Some("my file.pdf"), None)
        );
        assert_eq!(
            r.resolve("#top", page),
            internal("/sub/stories/x/", None, Some("top"))
        );
        assert_eq!(
            r.resolve("/sub/nope/", page),
            internal("/sub/nope/", None, None)
        );
        assert_eq!(r.resolve("/elsewhere/", page), Target::Skip);
        assert_eq!(r.resolve("mailto:a@b.org", page), Target::Skip);
        assert_eq!(
            r.resolve("https://other.org/a#b", page),
            Target::External("https://other.org/a".into())
        );
        assert_eq!(
            r.resolve("//other.org/a", page),
            Target::External("https://other.org/a".into())
        );
    }

    #[test]
    fn fragments_are_checked_on_pages_only() {
        let r = rendered("/", &["partners/mac/index.html", "a.pdf"]);
        assert!(r.has_fragment("partners/mac/index.html", "history"));
        assert!(r.has_fragment("partners/mac/index.html", "top"));
        assert!(!r.has_fragment("partners/mac/index.html", "histroy"));
        assert!(r.has_fragment("a.pdf", "page=2"));
    }

    #[test]
    fn suggestions_come_from_the_same_folder() {
        let known = ["/stories/canal-walks/", "/partners/canal-walk/", "/about/"];
        assert_eq!(
            nearest_url("/stories/canal-walk/", known.iter().copied()),
            Some("/stories/canal-walks/")
        );
        assert_eq!(nearest_url("/stories/zzz/", known.iter().copied()), None);
    }
}
