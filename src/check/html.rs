//! Reading HTML with a real tokenizer (html5gum): the ids a page has, and the
//! links, images and other files it points to, with their places. Used on
//! rendered pages and on HTML typed into Markdown.

use std::collections::HashSet;
use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// What an address in HTML is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<a href>`, `<area href>`: somewhere a reader goes.
    Link,
    /// `<img src>`.
    Image,
    /// `<link href>`, `<script src>`, `<source src>` and the like: files
    /// the page loads.
    Resource,
}

/// One address in the HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub kind: Kind,
    /// As written, entities decoded.
    pub url: String,
    /// The whole tag.
    pub span: Range<usize>,
    /// The address inside the tag, when it can be found as written.
    pub url_span: Option<Range<usize>>,
    /// An image's `alt`, None when the attribute is absent.
    pub alt: Option<String>,
}

#[derive(Debug, Default)]
pub struct Read {
    /// Every `id` (and `<a name>`): what `#fragment` links can reach.
    pub ids: HashSet<String>,
    pub refs: Vec<Ref>,
    /// Every heading in order: its level and id.
    pub headings: Vec<(u8, Option<String>)>,
}

/// Which attribute of which element holds an address.
fn address_attribute(tag: &str) -> Option<(&'static str, Kind)> {
    Some(match tag {
        "a" | "area" => ("href", Kind::Link),
        "img" => ("src", Kind::Image),
        "link" => ("href", Kind::Resource),
        "script" | "source" | "audio" | "video" | "iframe" | "embed" | "track" => {
            ("src", Kind::Resource)
        }
        _ => return None,
    })
}

fn heading_level(tag: &str) -> Option<u8> {
    match tag.as_bytes() {
        [b'h', n @ b'1'..=b'6'] => Some(n - b'0'),
        _ => None,
    }
}

pub fn read(html: &str) -> Read {
    let mut out = Read::default();
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    // Script and style contents are text, not tags.
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
        let attr = |key: &str| {
            tag.attributes
                .get(key.as_bytes())
                .map(|v| String::from_utf8_lossy(&v.value).into_owned())
        };
        let id = attr("id").filter(|s| !s.is_empty());
        if let Some(level) = heading_level(&name) {
            out.headings.push((level, id.clone()));
        }
        if let Some(id) = id {
            out.ids.insert(id);
        }
        if name == "a"
            && let Some(anchor) = attr("name").filter(|s| !s.is_empty())
        {
            out.ids.insert(anchor);
        }
        let Some((key, kind)) = address_attribute(&name) else {
            continue;
        };
        let Some(url) = attr(key) else {
            continue;
        };
        let span = tag.span.start..tag.span.end.min(html.len());
        let tag_text = html.get(span.clone()).unwrap_or_default();
        let url_span = if url.is_empty() {
            None
        } else {
            tag_text
                .find(url.as_str())
                .map(|i| span.start + i..span.start + i + url.len())
        };
        out.refs.push(Ref {
            kind,
            alt: if kind == Kind::Image {
                attr("alt")
            } else {
                None
            },
            url: url.trim().to_string(),
            span,
            url_span,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_links_and_images_with_their_places() {
        let html = "<main id=\"main\"><h1>T</h1><h2 id=\"plans\">P</h2><a name=\"old\"></a>\
                    <a href=\"/x/?a=1&amp;b=2#plans\">x</a><img src=\"p.png\" alt=\"\">\
                    <img src=\"q.png\"><script>var s = '<a href=\"/not-a-link/\">';</script>\
                    <link rel=\"stylesheet\" href=\"/style.css\">";
        let r = read(html);
        let mut ids: Vec<_> = r.ids.iter().map(String::as_str).collect();
        ids.sort();
        assert_eq!(ids, ["main", "old", "plans"]);
        assert_eq!(r.headings, [(1, None), (2, Some("plans".to_string()))]);
        let urls: Vec<_> = r.refs.iter().map(|r| (r.kind, r.url.as_str())).collect();
        assert_eq!(
            urls,
            [
                (Kind::Link, "/x/?a=1&b=2#plans"),
                (Kind::Image, "p.png"),
                (Kind::Image, "q.png"),
                (Kind::Resource, "/style.css"),
            ]
        );
        assert_eq!(r.refs[1].alt.as_deref(), Some(""));
        assert_eq!(r.refs[2].alt, None);
        assert_eq!(
            &html[r.refs[1].span.clone()],
            "<img src=\"p.png\" alt=\"\">"
        );
        assert_eq!(&html[r.refs[1].url_span.clone().unwrap()], "p.png");
    }
}
