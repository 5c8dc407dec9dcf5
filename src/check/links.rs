//! Internal links: every link an author wrote in Markdown, and every link in
//! the templates' output, must lead to a page or file the build makes, and a
//! `#fragment` to an id on that page. Links may be site addresses
//! (`/stories/x/`) or paths to content files (`../partners/mac.md`).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::rendered::{Internal, Rendered, Target, nearest_url};
use super::{Doc, TemplateSource};
use crate::error::{Diagnostic, LineIndex};
use crate::markdown::{self, Resolution};
use crate::site::Site;
use crate::site::unpublished::Unpublished;
use crate::url::percent_decode;

/// What links are judged against.
pub struct Context<'a> {
    pub site: &'a Site,
    pub rendered: &'a Rendered,
    /// Published content file (`stories/x.md`) → its address.
    pub content_urls: &'a HashMap<String, String>,
    /// Items this build leaves out, by the address they will have.
    pub unpublished: HashMap<&'a str, &'a Unpublished>,
    /// Addresses of items whose file could not be read.
    pub unreadable: HashSet<&'a str>,
}

/// The items `site` leaves out, by the address each will have.
pub fn unpublished_by_url(site: &Site) -> HashMap<&str, &Unpublished> {
    site.languages()
        .flat_map(|l| l.unpublished.values())
        .map(|u| (u.url.as_str(), u))
        .collect()
}

impl Context<'_> {
    /// The address a link written in `doc` has on the rendered page; None for
    /// a content file that does not exist, which the build reports itself.
    pub fn rendered_address(&self, doc: &Doc, page_url: &str, dest: &str) -> Option<String> {
        let links = markdown::Links {
            base_path: &self.site.config.base_path,
            page_url,
            source_dir: doc.source_dir(),
            content_urls: self.content_urls,
        };
        match markdown::resolve(dest.trim(), &links) {
            Resolution::Keep => Some(dest.trim().to_string()),
            Resolution::To(url) | Resolution::Content(url) => Some(url),
            Resolution::Missing => None,
        }
    }

    /// The address without the site's base path, as authors write it.
    fn shown(&self, url: &str) -> String {
        let base = self.rendered.base_path();
        match url.strip_prefix(base) {
            Some(rest) => format!("/{rest}"),
            None => url.to_string(),
        }
    }
}

/// Whether an address names a file (`.pdf`, `.png`) rather than a page.
pub fn is_file_address(url: &str) -> bool {
    let last = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    !url.ends_with('/')
        && last
            .rsplit_once('.')
            .is_some_and(|(_, ext)| !ext.is_empty() && ext != "html" && ext != "htm")
}

/// Checks the links written in Markdown, and the notes; records each link's
/// rendered address in `from_content`, so the template check does not report
/// it again.
pub fn check_content(
    docs: &[Doc],
    cx: &Context,
    from_content: &mut HashSet<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in docs {
        // Drafts too: these need no page.
        notes(doc, &mut out);
        email_addresses(doc, &mut out);
        let Some(page_url) = &doc.url else {
            continue;
        };
        for link in &doc.found.links {
            if link.dest.trim().is_empty() {
                continue; // accessibility reports a link with no address
            }
            let Some(url) = cx.rendered_address(doc, page_url, &link.dest) else {
                // The build reports it; the page keeps the address as written.
                from_content.insert(link.dest.trim().to_string());
                continue;
            };
            // The page writes the address percent-encoded (`#caf%C3%A9`), and
            // a summary's `#place` as the page's own address: recorded in
            // every form, the template check knows each for the author's.
            if url.starts_with('#') {
                from_content.insert(percent_decode(&format!("{page_url}{url}")));
            }
            from_content.insert(percent_decode(&url));
            from_content.insert(url.clone());
            let Target::Internal(target) = cx.rendered.resolve(&url, page_url) else {
                continue;
            };
            let span = link.dest_span.as_ref().unwrap_or(&link.span);
            if let Some(d) = judge(&target, &link.dest, CONTENT, cx) {
                out.push(doc.at(span, d));
            }
        }
        summary_links(doc, page_url, cx, from_content, &mut out);
    }
    out
}

/// Checks the links in a story's front-matter `summary`, which the story
/// lists show (a `#place` as the story's own address), and reports them at
/// the summary rather than at the lists' templates.
fn summary_links(
    doc: &Doc,
    page_url: &str,
    cx: &Context,
    from_content: &mut HashSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(summary) = cx
        .site
        .stories
        .iter()
        .find(|s| s.entry.item.common.source.content_path == doc.content_path)
        .and_then(|s| s.entry.item.summary.as_deref())
    else {
        return;
    };
    let found = super::source::scan(summary);
    if found.links.is_empty() {
        return;
    }
    // Where the summary is written; the build has read this file already.
    let text = std::fs::read_to_string(cx.site.root.join(&doc.path)).unwrap_or_default();
    let split = crate::content::frontmatter::split(&text, &doc.path).ok();
    for link in &found.links {
        let Some(mut url) = cx.rendered_address(doc, page_url, &link.dest) else {
            continue;
        };
        if url.starts_with('#') {
            url = format!("{page_url}{url}");
        }
        from_content.insert(percent_decode(&url));
        from_content.insert(url.clone());
        let Target::Internal(target) = cx.rendered.resolve(&url, page_url) else {
            continue;
        };
        let Some(mut d) = judge(&target, &link.dest, CONTENT, cx) else {
            continue;
        };
        d.path = doc.path.clone();
        if let Some(split) = &split {
            // The address after the `summary` key, as written there.
            let fm = split.front_matter;
            let key = fm
                .match_indices("summary")
                .map(|(i, _)| i)
                .find(|&i| fm[..i].ends_with('\n') || i == 0)
                .unwrap_or(0);
            let inline = format!("]({})", link.dest);
            let at = fm[key..]
                .find(&inline)
                .map(|i| key + i + 2)
                .or_else(|| fm[key..].find(link.dest.as_str()).map(|i| key + i));
            let mut pos = LineIndex::new(fm).position(at.unwrap_or(key));
            pos.line += split.front_matter_line - 1;
            d = d.at(pos).spanning(link.dest.chars().count().max(1));
        }
        out.push(d);
    }
}

/// The problem with an internal link, if it has one; placed by the caller.
fn judge(target: &Internal, written: &str, who: &str, cx: &Context) -> Option<Diagnostic> {
    if cx.unreadable.contains(target.url.as_str()) {
        return None; // the file's own errors are reported
    }
    let Some(file) = &target.file else {
        return Some(missing(target, written, who, cx));
    };
    let fragment = target.fragment.as_deref()?;
    if cx.rendered.has_fragment(file, fragment) {
        return None;
    }
    Some(no_fragment(target, fragment, file, cx))
}

fn missing(target: &Internal, written: &str, who: &str, cx: &Context) -> Diagnostic {
    let shown = cx.shown(&target.url);
    if let Some(u) = cx.unpublished.get(target.url.as_str()) {
        let message = format!("{who} `{written}` leads to {}", u.describe());
        return Diagnostic::new("", message).with_help(u.help());
    }
    let what = if is_file_address(&target.url) {
        "file"
    } else {
        "page"
    };
    let message = if written == shown || written == target.url {
        format!("{who} leads to `{written}`, but there is no {what} at that address")
    } else {
        format!("{who} `{written}` leads to {shown}, but there is no {what} at that address")
    };
    let help = if what == "file" {
        format!(
            "put the file in static{shown} (files in static/ are published at the same address), or correct the address"
        )
    } else if let Some(near) = nearest_url(&target.url, cx.rendered.page_urls()) {
        format!("did you mean {}?", cx.shown(near))
    } else if who == TEMPLATE {
        let page = shown.trim_matches('/');
        if page.is_empty() || page.contains('/') {
            "change the link in the template, or add the page it leads to".to_string()
        } else {
            format!(
                "add the page (content/pages/{page}.md makes {shown}), or change the link in the template"
            )
        }
    } else {
        "link to a page that exists: a site address such as /stories/canal-walks/, or the path of its content file such as ../stories/canal-walks.md".to_string()
    };
    Diagnostic::new("", message).with_help(help)
}

/// Who wrote a link, in messages.
const CONTENT: &str = "the link";
const TEMPLATE: &str = "the template's link";

fn no_fragment(target: &Internal, fragment: &str, file: &str, cx: &Context) -> Diagnostic {
    let shown = cx.shown(&target.url);
    // The ids an author can aim at: the headings', not the theme's own.
    let mut ids: Vec<&str> = cx
        .rendered
        .ids(file)
        .map(|ids| {
            ids.iter()
                .map(String::as_str)
                .filter(|id| {
                    *id != "main"
                        && !id.starts_with("brum-")
                        && !id.starts_with("fn-")
                        && !id.starts_with("fnref-")
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    let help = if let Some(near) = crate::config::nearest(fragment, &ids) {
        format!("did you mean `#{near}`?")
    } else if let [only] = ids.as_slice() {
        format!("the only place on that page is `#{only}`")
    } else if ids.is_empty() {
        format!("{shown} has no headings to link to; link to the page itself")
    } else {
        let list = ids
            .iter()
            .take(8)
            .map(|id| format!("`#{id}`"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "the places on that page are {list}: a heading's id is its text in lower case, with hyphens for spaces"
        )
    };
    Diagnostic::new("", format!("there is no `#{fragment}` on {shown}")).with_help(help)
}

/// Notes that no reference in the text leads to (directly, or through
/// another note), and second definitions of a label: the page lists them
/// after the others, with no way to them from the text.
fn notes(doc: &Doc, out: &mut Vec<Diagnostic>) {
    let notes = &doc.found.notes;
    let key = |label: &str| label.to_lowercase();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, note) in notes.iter().enumerate() {
        first.entry(key(&note.label)).or_insert(i);
    }
    // What each note refers to; then the notes reached from the text, and
    // from the notes reached.
    let mut cites: Vec<Vec<usize>> = vec![Vec::new(); notes.len()];
    let mut todo: Vec<usize> = Vec::new();
    for r in &doc.found.note_refs {
        let Some(&to) = first.get(&key(&r.label)) else {
            continue;
        };
        match r.in_note {
            Some(from) => cites[from].push(to),
            None => todo.push(to),
        }
    }
    let mut reached = vec![false; notes.len()];
    while let Some(i) = todo.pop() {
        if !std::mem::replace(&mut reached[i], true) {
            todo.extend(&cites[i]);
        }
    }
    for (i, note) in notes.iter().enumerate() {
        let label = &note.label;
        let d = if first.get(&key(label)) != Some(&i) {
            Diagnostic::warning(
                "",
                format!("the note `[^{label}]` is defined twice: references lead to the first"),
            )
            .with_help(format!(
                "give this one a label of its own, such as [^{label}-2], and refer to it where it belongs; the page lists it after the others"
            ))
        } else if !reached[i] {
            Diagnostic::warning(
                "",
                format!("nothing in the text refers to the note `[^{label}]`"),
            )
            .with_help(format!(
                "put [^{label}] after the words it explains; the page lists it after the others, with no way to it from the text"
            ))
        } else {
            continue;
        };
        out.push(doc.at(&note.span, d));
    }
}

/// `mailto:` addresses that are not whole addresses (`hello@example`,
/// `hello.example.org`): a reader's mail program would reject them.
fn email_addresses(doc: &Doc, out: &mut Vec<Diagnostic>) {
    for link in &doc.found.links {
        let dest = link.dest.trim();
        let Some(scheme) = dest.get(..7) else {
            continue;
        };
        if !scheme.eq_ignore_ascii_case("mailto:") {
            continue;
        }
        let addresses = dest[7..].split('?').next().unwrap_or_default();
        let addresses = percent_decode(addresses);
        let bad = addresses
            .split(',')
            .map(str::trim)
            .find(|a| !is_email_address(a));
        let Some(bad) = bad else {
            continue;
        };
        let message = if bad.is_empty() {
            "this email link has no address".to_string()
        } else {
            format!("`{bad}` is not a whole email address")
        };
        let span = link.dest_span.as_ref().unwrap_or(&link.span);
        out.push(doc.at(
            span,
            Diagnostic::new("", message).with_help(
                "an address is a name, @ and a domain with a dot: mailto:hello@birminghampartners.com",
            ),
        ));
    }
}

/// Whether `address` is `name@domain.tld`: a name without spaces or angle
/// brackets, and a domain of two or more dot-separated labels of letters,
/// digits and inner hyphens.
pub fn is_email_address(address: &str) -> bool {
    let Some((name, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let name_ok = !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>@\"".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    name_ok && domain_ok
}

/// One broken address in the templates' output.
struct Broken<'a> {
    template: &'static str,
    first_page: &'a str,
    pages: usize,
    /// As written in the HTML.
    written: &'a str,
    diagnostic: Diagnostic,
}

/// Checks the links in the templates' output (everything but what authors
/// wrote, which [`check_content`] reports in their own files). Each broken
/// address is reported once, at the template that writes it.
pub fn check_templates(
    cx: &Context,
    from_content: &HashSet<String>,
    templates: &[TemplateSource],
) -> Vec<Diagnostic> {
    let mut broken: BTreeMap<String, Broken> = BTreeMap::new();
    for page in &cx.rendered.pages {
        for r in &page.refs {
            if from_content.contains(&r.url) || from_content.contains(&percent_decode(&r.url)) {
                continue;
            }
            let Target::Internal(target) = cx.rendered.resolve(&r.url, &page.url) else {
                continue;
            };
            let key = format!(
                "{}#{}",
                target.url,
                target.fragment.as_deref().unwrap_or("")
            );
            // A theme's broken link is on every page: judge it once.
            if let Some(b) = broken.get_mut(&key) {
                b.pages += 1;
                continue;
            }
            let Some(d) = judge(&target, &r.url, TEMPLATE, cx) else {
                continue;
            };
            broken.insert(
                key,
                Broken {
                    template: page.template,
                    first_page: &page.url,
                    pages: 1,
                    written: &r.url,
                    diagnostic: d,
                },
            );
        }
    }
    broken
        .into_values()
        .map(|b| place_in_template(b, cx, templates))
        .collect()
}

/// Finds where a template writes a broken address: the page's own template
/// first, then the ones it may extend or include.
fn place_in_template(b: Broken, cx: &Context, templates: &[TemplateSource]) -> Diagnostic {
    let shown = cx.shown(b.written);
    let needles: Vec<String> = {
        let mut n = vec![b.written.to_string()];
        if let Some((path, fragment)) = shown.split_once('#') {
            if !fragment.is_empty() {
                n.push(format!("#{fragment}"));
            }
            n.push(path.to_string());
        } else {
            n.push(shown.clone());
        }
        n.retain(|s| s.len() > 1);
        n
    };
    let order = templates
        .iter()
        .filter(|t| t.name == b.template)
        .chain(templates.iter().filter(|t| t.name != b.template));
    let mut d = b.diagnostic;
    let pages = if b.pages == 1 {
        format!("on {}", cx.shown(b.first_page))
    } else {
        format!("on {} pages, such as {}", b.pages, cx.shown(b.first_page))
    };
    d.message = format!("{} ({pages})", d.message);
    let mut found = None;
    'search: for t in order {
        for needle in &needles {
            if let Some(i) = t.text.find(needle.as_str()) {
                found = Some((t, i, needle.chars().count()));
                break 'search;
            }
        }
    }
    match found {
        Some((t, i, len)) => {
            d.path = t.path.clone();
            d.at(LineIndex::new(&t.text).position(i)).spanning(len)
        }
        None => {
            d.path = templates
                .iter()
                .find(|t| t.name == b.template)
                .map(|t| t.path.clone())
                .unwrap_or_else(|| b.template.into());
            d
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_from_pages() {
        assert!(is_file_address("/downloads/report.pdf"));
        assert!(is_file_address("/images/a.b.png"));
        assert!(!is_file_address("/stories/x/"));
        assert!(!is_file_address("/404.html"));
        assert!(!is_file_address("/v1.2/"));
    }

    #[test]
    fn email_addresses_are_told_from_near_misses() {
        for good in [
            "hello@birminghampartners.com",
            "foo+special@Bar.baz-bar0.com",
            "o'brien@example.co.uk",
            "info@café.example",
        ] {
            assert!(is_email_address(good), "{good}");
        }
        for bad in [
            "",
            "hello",
            "hello@birminghampartners",
            "hello.birminghampartners.com",
            "@example.org",
            "hello @example.org",
            "hello@example..org",
            "hello@-example.org",
            "hello@example.org.",
        ] {
            assert!(!is_email_address(bad), "{bad}");
        }
    }
}
