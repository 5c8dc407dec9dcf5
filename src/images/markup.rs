//! `<picture>` markup for images in Markdown bodies. pulldown-cmark writes
//! every Markdown image as `<img src="…" alt="…" />` (with ` title="…"` when
//! one is given); those whose file brum processes become a `<picture>` with a
//! WebP source, a srcset in the original format, and their size. Images
//! written as raw HTML are the author's and are left alone.

use super::{Catalog, Responsive};

/// How wide a body image is shown: the text column, at most.
pub const BODY_SIZES: &str = "(min-width: 48rem) 68ch, calc(100vw - 2rem)";

/// The `<picture>` for an image.
pub fn picture(r: &Responsive, alt: &str, title: Option<&str>, sizes: &str, lazy: bool) -> String {
    let mut html = String::with_capacity(256 + r.srcset.len() * 2);
    html.push_str("<picture>");
    if !r.webp_srcset.is_empty() {
        html.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
            escape(&r.webp_srcset)
        ));
    }
    html.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{alt}\"",
        escape(&r.src),
        escape(&r.srcset),
        r.width,
        r.height
    ));
    if let Some(title) = title {
        html.push_str(&format!(" title=\"{title}\""));
    }
    if lazy {
        html.push_str(" loading=\"lazy\"");
    }
    html.push_str(" decoding=\"async\"></picture>");
    html
}

/// What starts an image pulldown-cmark wrote.
const IMG: &str = "<img src=\"";

/// Where the next image starts in `html`. memchr's searcher rather than
/// `str::find`: every body of the site is searched on every load, and this
/// was a tenth of a rebuild's time.
fn next_img(html: &str) -> Option<usize> {
    memchr::memmem::find(html.as_bytes(), IMG.as_bytes())
}

/// The addresses of the images pulldown-cmark wrote into `html`, unescaped.
pub fn image_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = html;
    while let Some(at) = next_img(rest) {
        rest = &rest[at + 10..];
        if let Some(end) = rest.find('"') {
            urls.push(url_of(&rest[..end]));
        }
    }
    urls
}

/// Replaces each Markdown image whose file is in `catalog` with a
/// `<picture>`. The first image loads at once unless `first_is_lazy`
/// (a page with an image above its text); the rest load lazily.
/// None when nothing changed.
pub fn rewrite_body(html: &str, catalog: &Catalog, first_is_lazy: bool) -> Option<String> {
    next_img(html)?;
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    let mut changed = false;
    let mut seen = 0usize;
    while let Some(at) = next_img(rest) {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        let Some(end) = tag.find("/>") else {
            break;
        };
        let parsed = parse_tag(&tag[..end]);
        let lazy = first_is_lazy || seen > 0;
        seen += 1;
        match parsed.and_then(|(src, alt, title)| {
            let r = catalog.responsive(&url_of(src))?;
            Some(picture(&r, alt, title, BODY_SIZES, lazy))
        }) {
            Some(picture) => {
                out.push_str(&picture);
                changed = true;
            }
            None => out.push_str(&tag[..end + 2]),
        }
        rest = &tag[end + 2..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// `<img src="a" alt="b" title="c" ` → (a, b, c), attributes still escaped.
fn parse_tag(tag: &str) -> Option<(&str, &str, Option<&str>)> {
    let rest = tag.strip_prefix(IMG)?;
    let (src, rest) = rest.split_once('"')?;
    let rest = rest.strip_prefix(" alt=\"")?;
    let (alt, rest) = rest.split_once('"')?;
    let title = rest
        .strip_prefix(" title=\"")
        .and_then(|t| t.split_once('"'))
        .map(|(t, _)| t);
    Some((src, alt, title))
}

/// An address as written in HTML → as the catalog knows it: entities and
/// percent-escapes undone.
fn url_of(escaped: &str) -> String {
    let text = escaped.replace("&amp;", "&");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or(text)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_with_and_without_titles() {
        assert_eq!(
            parse_tag("<img src=\"/a%20b.jpg\" alt=\"A &amp; B\" "),
            Some(("/a%20b.jpg", "A &amp; B", None))
        );
        assert_eq!(
            parse_tag("<img src=\"/a.jpg\" alt=\"\" title=\"T\" "),
            Some(("/a.jpg", "", Some("T")))
        );
        assert_eq!(url_of("/a%20b.jpg?x=1&amp;y=2"), "/a b.jpg?x=1&y=2");
    }

    #[test]
    fn images_brum_does_not_know_are_left_alone() {
        let catalog = Catalog::default();
        let html = "<p><img src=\"/x.svg\" alt=\"x\" /></p>";
        assert_eq!(rewrite_body(html, &catalog, false), None);
        assert_eq!(image_urls(html), vec!["/x.svg".to_string()]);
    }
}
