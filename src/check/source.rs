//! What an author wrote in a Markdown body, found by parsing it (pulldown-cmark
//! for Markdown, html5gum for HTML typed into it): links, images and headings,
//! each with the byte range it covers, so checks can point at it.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::html;

/// A link in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The address as written; an email autolink's (`<hello@example.org>`)
    /// with the `mailto:` the page gives it.
    pub dest: String,
    /// The words a reader sees (images' alt text included).
    pub text: String,
    /// Whether the link holds an image.
    pub has_image: bool,
    /// The whole link: `[text](dest)`.
    pub span: Range<usize>,
    /// The address within it, when it is written there.
    pub dest_span: Option<Range<usize>>,
    /// `<https://...>` or `<a href>` typed as HTML: no text of its own to check.
    pub bare: bool,
}

/// An image in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub src: String,
    /// None for HTML `<img>` without an `alt` attribute.
    pub alt: Option<String>,
    pub span: Range<usize>,
    pub src_span: Option<Range<usize>>,
    /// An `<img>` typed as HTML, where `alt=""` marks a decorative image.
    pub html: bool,
}

/// A heading in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub span: Range<usize>,
}

/// A footnote definition: `[^label]: text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// As written.
    pub label: String,
    /// The whole definition.
    pub span: Range<usize>,
}

/// A footnote reference: `[^label]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRef {
    pub label: String,
    /// The note it is written in (an index into `Found::notes`), if any.
    pub in_note: Option<usize>,
}

#[derive(Debug, Default)]
pub struct Found {
    pub links: Vec<Link>,
    pub images: Vec<Image>,
    pub headings: Vec<Heading>,
    pub notes: Vec<Note>,
    pub note_refs: Vec<NoteRef>,
}

/// Where `dest` is written inside the link or image source `text` (which
/// starts at `start`): after the `](`, for inline links.
fn dest_span(text: &str, start: usize, dest: &str) -> Option<Range<usize>> {
    if dest.is_empty() {
        return None;
    }
    let open = text.rfind("](")?;
    let at = text[open..].find(dest)? + open;
    Some(start + at..start + at + dest.len())
}

/// Scans a Markdown body.
pub fn scan(body: &str) -> Found {
    let mut found = Found::default();
    // Open links and images: index into found.links / found.images.
    let mut open_links: Vec<usize> = Vec::new();
    let mut open_images: Vec<usize> = Vec::new();
    let mut open_notes: Vec<usize> = Vec::new();
    let parser = Parser::new_ext(body, crate::markdown::options()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let text = body.get(range.clone()).unwrap_or_default();
                let dest = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                found.links.push(Link {
                    dest,
                    text: String::new(),
                    has_image: false,
                    dest_span: dest_span(text, range.start, &dest_url),
                    span: range,
                    bare: matches!(link_type, LinkType::Autolink | LinkType::Email),
                });
                open_links.push(found.links.len() - 1);
            }
            Event::End(TagEnd::Link) => {
                open_links.pop();
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let text = body.get(range.clone()).unwrap_or_default();
                found.images.push(Image {
                    src: dest_url.to_string(),
                    alt: Some(String::new()),
                    src_span: dest_span(text, range.start, &dest_url),
                    span: range,
                    html: false,
                });
                open_images.push(found.images.len() - 1);
                if let Some(&l) = open_links.last() {
                    found.links[l].has_image = true;
                }
            }
            Event::End(TagEnd::Image) => {
                open_images.pop();
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                found.notes.push(Note {
                    label: label.to_string(),
                    span: range,
                });
                open_notes.push(found.notes.len() - 1);
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                open_notes.pop();
            }
            Event::FootnoteReference(label) => found.note_refs.push(NoteRef {
                label: label.to_string(),
                in_note: open_notes.last().copied(),
            }),
            Event::Start(Tag::Heading { level: l, .. }) => {
                // The heading's own line, not the underline of a setext one.
                let line_end = body[range.start..]
                    .find(['\n', '\r'])
                    .map_or(range.end, |i| range.start + i)
                    .min(range.end);
                found.headings.push(Heading {
                    level: crate::markdown::heading_level(l),
                    span: range.start..line_end,
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(&i) = open_images.last()
                    && let Some(alt) = &mut found.images[i].alt
                {
                    alt.push_str(&t);
                }
                if let Some(&l) = open_links.last() {
                    found.links[l].text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(&l) = open_links.last() {
                    found.links[l].text.push(' ');
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                scan_html(&h, range.start, &mut found);
                if let Some(&l) = open_links.last() {
                    // HTML inside a link (an <img>, a <span>) may carry its text.
                    for r in html::read(&h).refs {
                        if let Some(alt) = r.alt {
                            found.links[l].text.push_str(&alt);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Links and images in HTML typed into Markdown, at `start` in the body.
fn scan_html(text: &str, start: usize, found: &mut Found) {
    for r in html::read(text).refs {
        let span = start + r.span.start..start + r.span.end;
        let src_span = r.url_span.map(|s| start + s.start..start + s.end);
        match r.kind {
            html::Kind::Link => found.links.push(Link {
                dest: r.url,
                text: String::new(),
                has_image: false,
                span,
                dest_span: src_span,
                bare: true,
            }),
            html::Kind::Image => found.images.push(Image {
                src: r.url,
                alt: r.alt,
                span,
                src_span,
                html: true,
            }),
            html::Kind::Resource => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_images_and_headings_are_found_with_their_places() {
        let body = "## Two\n\nSee [the *MAC*](/partners/the-mac/ \"t\") and ![A canal](canal.jpg).\n\n#### Four\n\n[![Logo](logo.png)](/x/) <https://example.org>\n";
        let f = scan(body);
        let headings: Vec<_> = f
            .headings
            .iter()
            .map(|h| (h.level, &body[h.span.clone()]))
            .collect();
        assert_eq!(headings, [(2, "## Two"), (4, "#### Four")]);
        let l = &f.links[0];
        assert_eq!(
            (l.dest.as_str(), l.text.as_str()),
            ("/partners/the-mac/", "the MAC")
        );
        assert_eq!(
            &body[l.span.clone()],
            "[the *MAC*](/partners/the-mac/ \"t\")"
        );
        assert_eq!(&body[l.dest_span.clone().unwrap()], "/partners/the-mac/");
        let img = &f.images[0];
        assert_eq!(img.alt.as_deref(), Some("A canal"));
        assert_eq!(&body[img.src_span.clone().unwrap()], "canal.jpg");
        assert!(f.links[1].has_image && f.links[1].text == "Logo");
        assert!(f.links[2].bare);
    }

    #[test]
    fn email_autolinks_are_mailto_and_notes_are_found_with_where_they_are_referenced() {
        let body = "Mail <hello@example.org>.[^a]\n\n[^a]: A note[^b].\n\n[^b]: B.\n";
        let f = scan(body);
        assert_eq!(f.links[0].dest, "mailto:hello@example.org");
        assert!(f.links[0].bare);
        let labels: Vec<_> = f
            .notes
            .iter()
            .map(|n| (n.label.as_str(), &body[n.span.clone()]))
            .collect();
        assert_eq!(
            labels,
            [("a", "[^a]: A note[^b].\n\n"), ("b", "[^b]: B.\n")]
        );
        let refs: Vec<_> = f
            .note_refs
            .iter()
            .map(|r| (r.label.as_str(), r.in_note))
            .collect();
        assert_eq!(refs, [("a", None), ("b", Some(0))]);
    }

    #[test]
    fn html_typed_into_markdown_is_read_too() {
        let body = "Text <img src=\"a.png\"> and <a href=\"/b/\">b</a>.\n";
        let f = scan(body);
        assert_eq!(f.images[0].alt, None);
        assert!(f.images[0].html);
        assert_eq!(&body[f.images[0].span.clone()], "<img src=\"a.png\">");
        assert_eq!(f.links[0].dest, "/b/");
        assert_eq!(&body[f.links[0].dest_span.clone().unwrap()], "/b/");
    }
}
