//! What a page says about the other languages: its versions in each
//! (`<link rel="alternate" hreflang>`, the sitemap's alternates) and the
//! language switcher, which leads to the same page in each language that
//! has it and otherwise to that language's home page. A site in one
//! language has neither.

use serde::Serialize;

use crate::site::Site;
use crate::site::routes::Fixed;

/// One version of a page.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Alternate {
    /// The language's code, as `hreflang` takes it.
    pub code: String,
    pub permalink: String,
}

/// One language in the switcher.
#[derive(Serialize, Clone, Debug)]
pub struct LanguageLink {
    pub code: String,
    /// Its name in itself.
    pub name: String,
    pub dir: &'static str,
    pub url: String,
    /// Whether this language has the page (else `url` is its home page).
    pub has_page: bool,
    /// Whether it is the page's own language.
    pub current: bool,
}

/// Every version of the page at `url`, its own included, then `x-default`
/// (the default language's); empty when no other language has it.
pub fn alternates(root: &Site, url: &str) -> Vec<Alternate> {
    let versions = root.alternates.versions(url);
    let languages = &root.config.languages;
    let mut out: Vec<Alternate> = versions
        .iter()
        .map(|(lang, url)| Alternate {
            code: languages[*lang].code.clone(),
            permalink: root.routes.permalink(url),
        })
        .collect();
    if let Some((_, url)) = versions.iter().find(|(lang, _)| *lang == 0) {
        out.push(Alternate {
            code: "x-default".into(),
            permalink: root.routes.permalink(url),
        });
    }
    out
}

/// The language switcher of a page of `site` at `url`: every language, in
/// `site.toml`'s order; empty for a site in one language.
pub fn switcher(root: &Site, site: &Site, url: &str) -> Vec<LanguageLink> {
    if root.translations.is_empty() {
        return Vec::new();
    }
    let versions = root.alternates.versions(url);
    root.languages()
        .enumerate()
        .map(|(i, lang_site)| {
            let lang = &lang_site.lang;
            let version = versions.iter().find(|(l, _)| *l == i).map(|(_, u)| u);
            LanguageLink {
                code: lang.code.clone(),
                name: lang.name.clone(),
                dir: lang.dir.as_str(),
                url: version
                    .cloned()
                    .unwrap_or_else(|| lang_site.routes.fixed(Fixed::Home)),
                has_page: version.is_some(),
                current: lang.code == site.lang.code,
            }
        })
        .collect()
}
