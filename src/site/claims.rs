//! Who has claimed which address: every item its own and its aliases', the
//! site its fixed pages. Two claims on one address are an error; two that
//! differ only in case are a warning, since both pages are made but a static
//! host on a case-insensitive disk would keep only one of them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::routes::{self, Fixed};
use crate::content::{ContentItem, ContentTree};
use crate::error::Diagnostic;

/// Checks every address of `tree`, drafts included, so that a clash shows
/// up before the draft is published.
/// `languages` are the folders of the site's other languages (`ur`),
/// which no page of the default language may take.
pub fn check(tree: &ContentTree, search: bool, languages: &[&str]) -> Vec<Diagnostic> {
    let mut claims = Claims::new(search);
    for code in languages {
        let folder = format!("/{code}/");
        let owner = PathBuf::from(format!(
            "(the site's pages in `{code}`, from [languages.{code}] in site.toml)"
        ));
        claims
            .owners
            .insert(folder.to_lowercase(), (folder, owner, None));
    }
    claims.claim_all(&tree.stories);
    claims.claim_all(&tree.partners);
    claims.claim_all(&tree.timeline);
    let mut errors = reserved_pages(tree);
    let pages: Vec<_> = tree
        .pages
        .iter()
        .filter(|p| !routes::is_reserved(&p.common.slug))
        .cloned()
        .collect();
    claims.claim_all(&pages);
    errors.append(&mut claims.errors);
    errors
}

/// Pages whose slug is a folder the site uses itself.
fn reserved_pages(tree: &ContentTree) -> Vec<Diagnostic> {
    let reserved = tree
        .pages
        .iter()
        .filter(|p| routes::is_reserved(&p.common.slug));
    reserved
        .map(|p| {
            let slug = &p.common.slug;
            let mut d = Diagnostic::new(
                &p.common.source.path,
                format!("the page address /{slug}/ is taken by the {slug} section"),
            )
            .with_help(format!(
                "give the page another slug, e.g. slug = \"about-{slug}\""
            ));
            d.line = Some(p.common.slug_pos.map_or(1, |p| p.line));
            d
        })
        .collect()
}

struct Claims {
    /// Lower-cased address → (the address as claimed, who, line).
    owners: HashMap<String, (String, PathBuf, Option<usize>)>,
    errors: Vec<Diagnostic>,
}

impl Claims {
    /// The site's own pages, claimed first. The search page only when the
    /// site has one.
    fn new(search: bool) -> Self {
        let mut owners = HashMap::new();
        let fixed = Fixed::ALL
            .into_iter()
            .filter(|f| search || *f != Fixed::Search);
        for path in fixed.map(Fixed::path) {
            owners.insert(
                path.to_string(),
                (
                    path.to_string(),
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

    fn claim_all<T: ContentItem>(&mut self, items: &[Arc<T>]) {
        for item in items {
            let c = item.common();
            self.claim(
                &routes::item_path(T::SECTION, &c.slug),
                &c.source.path,
                c.slug_pos.map(|p| p.line),
            );
            for alias in &c.aliases {
                self.claim(&alias.value, &c.source.path, Some(alias.pos.line));
            }
        }
    }
}
