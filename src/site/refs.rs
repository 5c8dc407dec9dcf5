//! Cross references between items that name each other: every partner a
//! story or timeline entry names must exist.

use std::collections::HashSet;
use std::sync::Arc;

use crate::config::unknown_key_help;
use crate::content::{Partner, Story, TimelineEntry};
use crate::error::Diagnostic;

/// Checks that every partner a story or timeline entry names exists (drafts
/// included: the name is right, the partner just isn't out yet). `also_known`
/// are slugs of partner files that exist but could not be read: their
/// errors are reported already, so naming them is not one more.
pub fn check_partners(
    stories: &[Arc<Story>],
    timeline: &[Arc<TimelineEntry>],
    partners: &[Arc<Partner>],
    also_known: &[&str],
) -> Vec<Diagnostic> {
    let slugs: Vec<&str> = partners.iter().map(|p| p.common.slug.as_str()).collect();
    // A set: stories x partners string comparisons grow with the square of the site.
    let known: HashSet<&str> = slugs.iter().chain(also_known).copied().collect();
    let refs = stories
        .iter()
        .flat_map(|s| s.partner.iter().map(move |p| (&s.common.source.path, p)))
        .chain(
            timeline
                .iter()
                .flat_map(|t| t.partners.iter().map(move |p| (&t.common.source.path, p))),
        );
    refs.filter(|(_, slug)| !known.contains(slug.value.as_str()))
        .map(|(path, slug)| {
            Diagnostic::new(path, format!("unknown partner `{}`", slug.value))
                .at(slug.pos)
                .with_help(format!(
                    "{} (a partner is the slug of a file in content/partners/)",
                    unknown_key_help(&slug.value, &slugs, "partners")
                ))
        })
        .collect()
}
