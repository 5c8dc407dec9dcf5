//! Which pages exist in which languages. Each group is one page in every
//! language that has it: an item and its translations (matched by the
//! original's file), and the home page, the lists, each topic's and
//! question's list and the search page, which every language has. Pages
//! take their `hreflang` links, the language switcher and the sitemap's
//! alternates from here.

use std::collections::HashMap;

use super::Site;
use super::routes::Fixed;

#[derive(Debug, Default)]
pub struct Alternates {
    /// A page's address → its group.
    by_url: HashMap<String, usize>,
    /// Each group's versions: (index into `config.languages`, address), in
    /// the languages' order.
    groups: Vec<Vec<(usize, String)>>,
}

impl Alternates {
    /// The groups of a site and its translations; none for a site in one
    /// language.
    pub fn of(site: &Site) -> Alternates {
        let mut keyed: HashMap<String, usize> = HashMap::new();
        let mut alternates = Alternates::default();
        if site.translations.is_empty() {
            return alternates;
        }
        for lang_site in site.languages() {
            let Some(lang) = site
                .config
                .languages
                .iter()
                .position(|l| l.code == lang_site.lang.code)
            else {
                continue;
            };
            for (key, url) in pages(lang_site) {
                let next = keyed.len();
                let group = *keyed.entry(key).or_insert(next);
                if group == alternates.groups.len() {
                    alternates.groups.push(Vec::new());
                }
                alternates.groups[group].push((lang, url.clone()));
                alternates.by_url.insert(url, group);
            }
        }
        alternates
    }

    /// Every version of the page at `url`, its own included, in the
    /// languages' order; empty when the page has no other.
    pub fn versions(&self, url: &str) -> &[(usize, String)] {
        match self.by_url.get(url).map(|&g| &self.groups[g]) {
            Some(group) if group.len() > 1 => group,
            _ => &[],
        }
    }
}

/// Each page of one language that others may have, by a key that is the
/// same in every language.
fn pages(site: &Site) -> Vec<(String, String)> {
    let r = &site.routes;
    let mut pages: Vec<(String, String)> = Fixed::ALL
        .into_iter()
        .filter(|f| f.per_language() && f.in_sitemap())
        .chain(site.config.search.then_some(Fixed::Search))
        .map(|f| (format!("fixed:{}", f.path()), r.fixed(f)))
        .collect();
    for (key, _) in site.config.topics.iter() {
        pages.push((format!("topic:{key}"), r.topic(key)));
    }
    for (key, _) in site.config.questions.iter() {
        pages.push((format!("question:{key}"), r.question(key)));
    }
    for item in site.items() {
        let source = &item.common.source;
        let original = source.original.as_ref().unwrap_or(&source.content_path);
        pages.push((format!("item:{original}"), item.url.to_string()));
    }
    pages
}
