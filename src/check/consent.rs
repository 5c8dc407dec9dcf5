//! Pictures of people with no record of their consent: a picture whose alt
//! text or caption names people (`people.rs` says how that is read) and
//! that does not say where their consent is kept. The record is never
//! published; it is there so that the team can answer "did they agree?"
//! when asked, years later.
//!
//! Where a picture records it: a story's `image` in `image_consent`, a
//! `figure` call in its `consent` argument. A Markdown picture
//! (`![…](…)`) or an HTML `<img>` has nowhere to write it, so the help says
//! to make it a `figure`.

use super::Doc;
use super::people::{Known, named_people};
use crate::config::Config;
use crate::content::ContentTree;
use crate::error::Diagnostic;
use crate::site::{Placed, Resolved, Site};

/// What is said about the consent record when it is missing.
const WHY: &str = "keep a record of their consent (a signed release, an email) and say where it is; this is never published. If no one in it can be recognised, say that instead";

/// The names the site knows to be places and organisations: its title,
/// campaign, vocabularies, partners' names and timeline locations.
pub fn known_names(config: &Config, content: &ContentTree) -> Known {
    let vocab = [
        &config.questions,
        &config.topics,
        &config.sectors,
        &config.commitments,
    ];
    let names = [config.title.as_str(), config.campaign_name.as_str()]
        .into_iter()
        .chain(
            vocab
                .into_iter()
                .flat_map(|v| v.iter().map(|(_, name)| name)),
        )
        .chain(content.partners.iter().map(|p| p.name.as_str()))
        .chain(
            content
                .timeline
                .iter()
                .filter_map(|t| t.location.as_deref()),
        );
    Known::new(names)
}

/// Front-matter pictures and pictures in the text, in every file.
pub fn check_docs(docs: &[Doc], known: &Known) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in docs {
        front_matter(doc, known, &mut out);
        in_text(doc, known, &mut out);
    }
    out
}

fn front_matter(doc: &Doc, known: &Known, out: &mut Vec<Diagnostic>) {
    for alt in &doc.alts {
        let Some(consent_key) = alt.consent_key else {
            continue;
        };
        if alt.consent.is_some() {
            continue;
        }
        let Some(named) = named_people(&alt.value, known) else {
            continue;
        };
        let mut d = Diagnostic::warning(
            doc.path.clone(),
            format!(
                "`{}` names people (\"{named}\"), and the picture has no record of their consent",
                alt.key
            ),
        )
        .with_help(format!(
            "{WHY}: {consent_key} = \"Release forms signed on the day, kept by the comms team\""
        ))
        .at(alt.pos);
        d.length = u32::try_from(alt.value.chars().count() + 2).ok();
        out.push(d);
    }
}

fn in_text(doc: &Doc, known: &Known, out: &mut Vec<Diagnostic>) {
    for image in &doc.found.images {
        let Some(named) = image.alt.as_deref().and_then(|a| named_people(a, known)) else {
            continue;
        };
        let src = image.src.trim();
        let d = Diagnostic::warning(
            "",
            format!("this picture's alt text names people (\"{named}\"), and it has no record of their consent"),
        )
        .with_help(format!(
            "{WHY}. A picture in the text records it as a figure: {{{{ figure(src=\"{src}\", alt=\"…\", consent=\"Release forms signed on the day, kept by the comms team\") }}}}"
        ));
        out.push(doc.at(&image.span, d));
    }
}

/// `figure` calls, in every language's published files.
pub fn check_figures(site: &Site, known: &Known) -> Vec<Diagnostic> {
    super::components::calls(site)
        .filter_map(|call| figure(call, known))
        .collect()
}

/// A warning for a `figure` whose alt text or caption names people and
/// that has no `consent`. The credit is not read: it names the
/// photographer, who is not in the picture.
fn figure(call: &Placed, known: &Known) -> Option<Diagnostic> {
    if call.name != "figure" || call.args.iter().any(|(n, _)| n == "consent") {
        return None;
    }
    let text = |name: &str| {
        call.args.iter().find_map(|(n, v)| match v {
            Resolved::Value(v) if n == name => v.as_str(),
            _ => None,
        })
    };
    let (field, named) = ["alt", "caption"]
        .into_iter()
        .find_map(|f| Some((f, named_people(text(f)?, known)?)))?;
    Some(
        Diagnostic::warning(
            &call.file,
            format!("this figure's {field} names people (\"{named}\"), and it has no record of their consent"),
        )
        .at(call.pos)
        .with_help(format!(
            "{WHY}: add consent=\"Release forms signed on the day, kept by the comms team\" to the call"
        )),
    )
}
