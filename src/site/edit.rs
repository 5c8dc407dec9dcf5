//! Bringing a built model up to date with an edit to a story's text alone,
//! in place: the commonest save while an author drafts. Its front matter is
//! as it was, so every address, list, order and cross reference stays; only
//! the story's rendered body (and what lists show of it) changes. Anything
//! more (a new problem, a new picture, a new link to a partner) says no,
//! and the caller loads the site again from the start.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::bodies::{BodyContext, render_item};
use super::{Entry, Site, Sources};
use crate::cache::MarkdownCache;
use crate::components::Specs;
use crate::content::Story;

/// Where an edited story is: the language (its position in
/// [`Site::languages`]) and its index in that site's stories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub lang: usize,
    pub index: usize,
}

/// A story's new text, rendered against the site as it is, not yet in it.
pub struct Edit {
    pub at: At,
    /// The story as the site will hold it.
    pub entry: Entry<Story>,
    /// For the Markdown cache: (content file, input hash, rendering).
    fresh: (String, u64, Arc<crate::markdown::Rendered>),
    links_hash: u64,
}

/// Renders the text of the story `story` is a new reading of, when its
/// front matter is unchanged and the new text brings no problem and no
/// change to what the rest of the site derives from it (its picture, its
/// links within the site). None when the edit is more than that. The
/// caller checks what else it must (the images the text shows), then
/// [`apply`](Edit::apply)s it.
pub fn story_text(
    site: &Site,
    story: Arc<Story>,
    from: Sources,
    cache: &MarkdownCache,
) -> Option<Edit> {
    let at = find(site, &story)?;
    let lang = site.languages().nth(at.lang)?;
    let old = &lang.stories[at.index].entry;
    if !old.item.same_but_body(&story) {
        return None;
    }
    let links_hash = lang.links_hash;
    let partners: HashSet<String> = lang
        .partners
        .iter()
        .map(|p| p.item.common.slug.clone())
        .collect();
    let cx = BodyContext {
        routes: &lang.routes,
        content_urls: &lang.content_urls,
        unpublished: &lang.unpublished,
        links_hash,
        statics: from.statics,
        cache,
        components: from.components,
        parse_key: from.components.map_or(0, Specs::parse_key),
        partners: &partners,
    };
    let (entry, problems, fresh) = render_item(story, &cx);
    let same = old.url == entry.url
        && old.image_url == entry.image_url
        && old.rendered.site_links == entry.rendered.site_links;
    (problems.is_empty() && same).then_some(Edit {
        at,
        entry,
        fresh,
        links_hash,
    })
}

impl Edit {
    /// The story as the site holds it now.
    pub fn old<'s>(&self, site: &'s Site) -> Option<&'s Entry<Story>> {
        let lang = site.languages().nth(self.at.lang)?;
        Some(&lang.stories.get(self.at.index)?.entry)
    }

    /// Puts the new text into the site (and its rendering into the cache).
    pub fn apply(self, site: &mut Site, cache: &mut MarkdownCache) -> At {
        let (path, input, rendered) = self.fresh;
        cache.insert(path, input, self.links_hash, rendered);
        if let Some(lang) = language_mut(site, self.at.lang)
            && let Some(story) = lang.stories.get_mut(self.at.index)
        {
            story.entry = self.entry;
        }
        self.at
    }
}

/// Until when a model holds for the same files: the next midnight (UTC;
/// timeline statuses go by the day), or the time of the first story not
/// out yet, whichever comes first. A preview that follows the clock loads
/// the site again from then on, rather than editing it in place.
pub fn stable_until(site: &Site) -> DateTime<Utc> {
    let midnight = site
        .today()
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::<Utc>::MAX_UTC, |t| t.and_utc());
    let now = site.options.now;
    let scheduled = site.languages().flat_map(|l| {
        let listed = l.stories.iter().map(|s| s.entry.item.date.value.at);
        let left_out = l.unpublished.values().filter_map(|u| match u.why {
            super::unpublished::Why::Scheduled(d) => Some(d.at),
            super::unpublished::Why::Draft => None,
        });
        listed
            .chain(left_out)
            .map(|at| at.with_timezone(&Utc))
            .filter(move |at| *at > now)
    });
    scheduled.fold(midnight, DateTime::min)
}

/// Where the story read from the same file is, in its language's site.
fn find(site: &Site, story: &Story) -> Option<At> {
    let source = &story.common.source;
    let lang = match &source.lang {
        None => 0,
        Some(code) => {
            1 + site
                .translations
                .iter()
                .position(|t| &t.lang.code == code)?
        }
    };
    let stories = &site.languages().nth(lang)?.stories;
    let index = stories
        .iter()
        .position(|s| s.entry.item.common.source.content_path == source.content_path)?;
    Some(At { lang, index })
}

fn language_mut(site: &mut Site, lang: usize) -> Option<&mut Site> {
    match lang {
        0 => Some(site),
        n => site.translations.get_mut(n - 1),
    }
}
