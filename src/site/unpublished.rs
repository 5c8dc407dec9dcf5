//! Items this build leaves out, and why: a draft, or a story dated after the
//! build. A link to one says so, rather than that nothing is there.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::Options;
use super::routes::Routes;
use crate::content::{ContentItem, ContentTree, Date, Section};

/// Why an item is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// `draft = true`.
    Draft,
    /// A story whose date is after the build's.
    Scheduled(Date),
}

/// An item this build leaves out.
#[derive(Debug, Clone)]
pub struct Unpublished {
    /// The address it will have.
    pub url: String,
    /// Its file, as the author knows it: `content/stories/x.md`.
    pub path: PathBuf,
    pub section: Section,
    pub why: Why,
}

impl Unpublished {
    /// "the story content/stories/x.md, which is a draft".
    pub fn describe(&self) -> String {
        let what = format!("the {} {}", self.section.noun(), self.path.display());
        match self.why {
            Why::Draft => format!("{what}, which is a draft"),
            Why::Scheduled(date) => format!("{what}, which is scheduled for {}", date.display()),
        }
    }

    /// What the author can do about a link to it.
    pub fn help(&self) -> String {
        match self.why {
            Why::Draft => format!(
                "it is published once `draft = true` is taken out of {}; until then, link to it from drafts only (`brum serve` and `build --drafts` show drafts)",
                self.path.display()
            ),
            Why::Scheduled(date) => format!(
                "it is published by the first build on or after {}; until then, link to it from drafts only, or build with --drafts to preview it",
                date.display()
            ),
        }
    }
}

/// Every item `options` leaves out, by content file (`stories/x.md`).
pub fn of(tree: &ContentTree, routes: &Routes, options: &Options) -> HashMap<String, Unpublished> {
    let mut out = HashMap::new();
    if options.drafts {
        return out;
    }
    for s in &tree.stories {
        let why = if s.common.draft {
            Some(Why::Draft)
        } else if s.date.value.at > options.now {
            Some(Why::Scheduled(s.date.value))
        } else {
            None
        };
        add(s, why, routes, &mut out);
    }
    let draft = |draft: bool| draft.then_some(Why::Draft);
    for p in &tree.partners {
        add(p, draft(p.common.draft), routes, &mut out);
    }
    for t in &tree.timeline {
        add(t, draft(t.common.draft), routes, &mut out);
    }
    for p in &tree.pages {
        add(p, draft(p.common.draft), routes, &mut out);
    }
    out
}

fn add<T: ContentItem>(
    item: &Arc<T>,
    why: Option<Why>,
    routes: &Routes,
    out: &mut HashMap<String, Unpublished>,
) {
    let Some(why) = why else {
        return;
    };
    let c = item.common();
    out.insert(
        c.source.content_path.clone(),
        Unpublished {
            url: routes.item(T::SECTION, &c.slug),
            path: c.source.path.clone(),
            section: T::SECTION,
            why,
        },
    );
}
