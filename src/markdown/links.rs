//! Links in the text: where each address leads (a content file to its
//! page, a relative address made root-relative, the base path put in front),
//! and which of them lead within the site.

use pulldown_cmark::{CowStr, Event, LinkType, Tag};

use super::Links;

/// Rewrites link targets in place; true when any named a content file.
pub(super) fn rewrite_links(
    events: &mut [(Event, usize)],
    links: &Links,
    broken: &mut Vec<(usize, String)>,
) -> bool {
    let mut uses_content = false;
    for (event, offset) in events.iter_mut() {
        let dest = match event {
            // An email autolink's address is no path: the HTML writer puts
            // `mailto:` before it as it stands.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => continue,
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        match resolve(dest, links) {
            Resolution::Keep => {}
            Resolution::To(url) => *dest = CowStr::from(url),
            Resolution::Content(url) => {
                uses_content = true;
                *dest = CowStr::from(url);
            }
            Resolution::Missing => {
                uses_content = true;
                broken.push((*offset, dest.to_string()));
            }
        }
    }
    uses_content
}

/// The root-relative targets of links (not images), once rewritten.
pub(super) fn site_links(events: &[(Event, usize)]) -> Vec<String> {
    let mut out: Vec<String> = events
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Start(Tag::Link { dest_url, .. })
                if dest_url.starts_with('/') && !dest_url.starts_with("//") =>
            {
                let end = dest_url.find(['#', '?']).unwrap_or(dest_url.len());
                Some(dest_url[..end].to_string())
            }
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What becomes of a link's address on the rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Used as written: a fragment, an external or root-relative address.
    Keep,
    /// Rewritten to this root-relative URL.
    To(String),
    /// A content file's page.
    Content(String),
    /// A content file (`.md`) that is not published or does not exist.
    Missing,
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !url[..i].contains('/')
        }
        None => false,
    }
}

/// Where a link or image address written in Markdown leads.
pub fn resolve(dest: &str, links: &Links) -> Resolution {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return Resolution::Keep;
    }
    if let Some(rest) = dest.strip_prefix('/') {
        return if links.base_path == "/" {
            Resolution::Keep
        } else {
            Resolution::To(format!("{}{rest}", links.base_path))
        };
    }
    let split = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, tail) = dest.split_at(split);
    if path.ends_with(".md") {
        let target = content_file(dest, links.source_dir);
        return match target.and_then(|t| links.content_urls.get(&t)) {
            Some(url) => Resolution::Content(format!("{url}{tail}")),
            None => Resolution::Missing,
        };
    }
    // A relative file or page: make it root-relative, so it works in lists
    // and feeds as well as on the page itself.
    let dir = links.page_url.trim_start_matches('/');
    match normalise(&format!("{dir}{path}")) {
        Some(p) => {
            let trailing = if path.ends_with('/') && !p.is_empty() {
                "/"
            } else {
                ""
            };
            Resolution::To(format!("/{p}{trailing}{tail}"))
        }
        None => Resolution::Keep,
    }
}

/// The content file (`stories/x.md`, relative to `content/`) that a link
/// written in a file in `source_dir` names, when it names one.
pub fn content_file(dest: &str, source_dir: &str) -> Option<String> {
    let path = &dest[..dest.find(['#', '?']).unwrap_or(dest.len())];
    if !path.ends_with(".md") {
        return None;
    }
    normalise(&format!("{source_dir}/{path}"))
}

/// Resolves `.` and `..` in a `/`-separated relative path; None if it climbs
/// above the root.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}
