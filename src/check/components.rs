//! What `check` says about the components authors call, beyond what the
//! build checks: a video file with no captions track, which people who
//! cannot hear it cannot follow (WCAG 2.2, 1.2.2 Captions).

use crate::error::Diagnostic;
use crate::site::{Placed, Resolved, Site};

/// A warning for each `video` with a file (`src`) and no `captions`.
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    calls(site).filter_map(uncaptioned).collect()
}

/// Every component call in every language's published files.
pub(super) fn calls(site: &Site) -> impl Iterator<Item = &Placed> {
    site.languages().flat_map(|lang| {
        let stories = lang.stories.iter().map(|s| &s.entry.components);
        let partners = lang.own_partners().iter().map(|e| &e.components);
        let timeline = lang.timeline.iter().map(|t| &t.entry.components);
        let pages = lang.own_pages().iter().map(|e| &e.components);
        let intros = lang.intros().map(|i| &i.components);
        stories
            .chain(partners)
            .chain(timeline)
            .chain(pages)
            .chain(intros)
            .flatten()
    })
}

fn uncaptioned(call: &Placed) -> Option<Diagnostic> {
    let arg = |name: &str| call.args.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let src = match arg("src") {
        Some(Resolved::Value(v)) if call.name == "video" => v.as_str()?,
        _ => return None,
    };
    if arg("captions").is_some() {
        return None;
    }
    let file = src.rsplit('/').next().unwrap_or(src);
    Some(
        Diagnostic::warning(&call.file, format!("the video `{file}` has no captions track"))
            .at(call.pos)
            .with_help(format!(
                "add captions=\"{}.vtt\" to the call, a WebVTT file of what is said, beside the story: people who cannot hear the video can then follow it",
                file.rsplit_once('.').map_or(file, |(stem, _)| stem)
            )),
    )
}
