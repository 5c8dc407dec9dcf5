//! Partner profiles and pages past their `review_by` date: what they say
//! about an organisation or about the partnership was meant to be read
//! again by then, and may no longer be true. Stories and timeline entries
//! have no such date: they say what happened on their day.

use chrono::NaiveDate;

use crate::content::{ContentTree, Date, Located, Section, a_year_on};
use crate::error::Diagnostic;

/// A warning for each published-to-be file whose `review_by` is before
/// `today` (the build's day, which tests pin), in every language.
pub fn check(content: &ContentTree, today: NaiveDate) -> Vec<Diagnostic> {
    let trees = std::iter::once(content).chain(content.translations.iter().map(|(_, t)| t));
    let mut out = Vec::new();
    for tree in trees {
        let partners = tree
            .partners
            .iter()
            .map(|p| (Section::Partners, &p.common, &p.review_by));
        let pages = tree
            .pages
            .iter()
            .map(|p| (Section::Pages, &p.common, &p.review_by));
        for (section, common, review_by) in partners.chain(pages) {
            // A draft is not on the site, so nothing readers see is stale.
            let Some(review_by) = review_by.as_ref().filter(|_| !common.draft) else {
                continue;
            };
            if review_by.value.day() < today {
                out.push(passed(&common.source.path, section, review_by, today));
            }
        }
    }
    out
}

fn passed(
    path: &std::path::Path,
    section: Section,
    review_by: &Located<Date>,
    today: NaiveDate,
) -> Diagnostic {
    let written = review_by.value.written();
    let next = a_year_on(today);
    let mut d = Diagnostic::warning(
        path,
        format!(
            "`review_by` {written} has passed: this {} is due to be read again",
            section.noun()
        ),
    )
    .with_help(format!(
        "check that what it says is still true and bring it up to date, then set the next date, e.g. review_by = {next}"
    ))
    .at(review_by.pos);
    d.length = u32::try_from(written.chars().count()).ok();
    d
}
