//! What of a page lol_html is given to read, when Pagefind's reader of
//! well-formed pages (vendor/pagefind/PATCHED.md, section 13) cannot read
//! it whole. Pagefind parses the whole page, but on a page with a
//! `data-pagefind-body` element it keeps only that element's text, the
//! head's title, the `<html>` language, and the `data-pagefind-*`
//! attributes and first `h1` and `img` wherever they are. Cutting out the
//! header, navigation and footer around the body saves lol_html that share
//! of its parse, and may leave out what the well-formed reader could not
//! read (an `iframe` in a footer), so that it reads the rest. For a page it
//! reads whole, the cut costs more than it saves (PATCHED.md, 13).
//!
//! The cut is made only where it cannot change the index: one body element,
//! found by plain text search, with nothing in it that hides markup from
//! such a search (comments, scripts, raw text), and nothing Pagefind reads
//! in the parts left out. Any other page is given whole.

use std::borrow::Cow;

/// Strings whose presence in the parts left out could change what Pagefind
/// records: its attributes, the `h1` it takes a title from, the `img` it
/// takes an image from, and a `title` element. Matched case-insensitively.
const READ_OUTSIDE: &[&str] = &["data-pagefind", "<h1", "<img", "<title"];

/// Markup in whose content a `<` does not start a tag, so that counting
/// tags by text search could go wrong; a body containing any is given whole.
/// (Comments are skipped as the parser skips them.)
const OPAQUE: &[&str] = &[
    "<script",
    "<style",
    "<template",
    "<textarea",
    "<title",
    "<xmp",
    "<plaintext",
    "<noscript",
    "<iframe",
    "<noembed",
    "<noframes",
    "<![cdata[",
];

/// The page as Pagefind should read it: the head and `<body>` start tag,
/// the `data-pagefind-body` element, and the closing tags; or the whole
/// page when that cannot be shown to give the same index.
pub fn pagefind_view(html: &str) -> Cow<'_, str> {
    match body_element(html) {
        Some((body_tag_end, start, end)) => {
            let mut view = String::with_capacity(body_tag_end + (end - start) + 16);
            view.push_str(&html[..body_tag_end]);
            view.push_str(&html[start..end]);
            view.push_str("</body></html>");
            Cow::Owned(view)
        }
        None => Cow::Borrowed(html),
    }
}

/// (end of the `<body>` start tag, start and end of the one
/// `data-pagefind-body` element), when the parts between them can be left out.
fn body_element(html: &str) -> Option<(usize, usize, usize)> {
    let lower = html.to_ascii_lowercase();
    const MARKER: &str = "data-pagefind-body";
    let marker = lower.find(MARKER)?;
    let attribute = lower[..marker].ends_with(|c: char| c.is_ascii_whitespace())
        && ends_name(&lower[marker..], MARKER.len());
    if !attribute || lower[marker + 1..].contains(MARKER) {
        return None;
    }
    let body_open = lower[..marker].rfind("<body")?;
    if !ends_name(&lower[body_open..], "<body".len()) {
        return None;
    }
    let body_tag_end = body_open + start_tag_len(&lower[body_open..])?;
    let start = lower[..marker].rfind('<')?;
    if start < body_tag_end || start + start_tag_len(&lower[start..])? < marker {
        return None;
    }
    let name = tag_name(&lower[start + 1..])?;
    let end = matching_end(&lower, start, name)?;
    let body_close = end + lower[end..].find("</body")?;
    let (before, after) = (&lower[body_tag_end..start], &lower[end..body_close]);
    if before
        .rfind("<!--")
        .is_some_and(|open| !before[open..].contains("-->"))
    {
        return None; // the marker is in a comment, where Pagefind does not see it
    }
    let opaque = OPAQUE
        .iter()
        .any(|o| lower[start..end].contains(o) || before.contains(o) || after.contains(o));
    let read = |part: &str, allowed: &str| {
        READ_OUTSIDE
            .iter()
            .any(|r| *r != allowed && part.contains(r))
    };
    // Pagefind takes the first `img` after a title, so one before the body is
    // never taken, unless the head gave a title through its attributes.
    let img_before = if may_set_title(&lower[..body_tag_end]) {
        ""
    } else {
        "<img"
    };
    let safe = !opaque && !read(before, img_before) && !read(after, "");
    safe.then_some((body_tag_end, start, end))
}

/// Whether a `data-pagefind-meta` in `part` may name a `title`.
fn may_set_title(part: &str) -> bool {
    part.match_indices("data-pagefind-meta").any(|(at, name)| {
        let rest = &part[at + name.len()..];
        let Some(value) = rest.strip_prefix('=') else {
            return rest.trim_start().starts_with('=');
        };
        let quote = match value.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => return true,
        };
        value[1..]
            .find(quote)
            .is_none_or(|end| value[1..1 + end].contains("title"))
    })
}

/// The tag name at the start of `rest` (just after a `<`).
fn tag_name(rest: &str) -> Option<&str> {
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    (len > 0).then(|| &rest[..len])
}

/// The end (after its `>`) of the `name` element starting at `start`,
/// counting nested elements of the same name; None if it is not closed.
fn matching_end(lower: &str, start: usize, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let close = format!("</{name}");
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let next = lower[at..].find(['<'])? + at;
        let rest = &lower[next..];
        if rest.starts_with("<!--") {
            at = next + 2 + rest[2..].find("-->")? + 3;
        } else if rest.starts_with(&close) && ends_name(rest, close.len()) {
            depth = depth.checked_sub(1)?;
            let tag_end = next + rest.find('>')? + 1;
            if depth == 0 {
                return Some(tag_end);
            }
            at = tag_end;
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            if rest.starts_with(&open) && ends_name(rest, open.len()) {
                depth += 1;
            }
            at = next + start_tag_len(rest)?;
        } else {
            at = next + 1;
        }
    }
}

/// The length of the start tag at the start of `tag`, through its `>`,
/// skipping quoted attribute values (which may hold `<` and `>`); None if
/// it does not end.
fn start_tag_len(tag: &str) -> Option<usize> {
    let bytes = tag.as_bytes();
    let mut after_equals = false;
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i + 1),
            b'=' => after_equals = true,
            quote @ (b'"' | b'\'') if after_equals => {
                i += 1 + tag[i + 1..].find(quote as char)?;
                after_equals = false;
            }
            c if c.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    None
}

/// Whether the name in `tag` ends at `len` (so `<a` is not `<abbr`).
fn ends_name(tag: &str, len: usize) -> bool {
    tag[len..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_whitespace() || c == '>' || c == '/' || c == '=')
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><title>T</title></head>\
        <body class=\"k\"><header><a href=\"/\">Home</a></header><main id=\"main\">\
        <article data-pagefind-body><h1>Canals</h1><article><p>Inner</p></article>\
        <p>Text</p></article></main><footer>Footer</footer></body></html>";

    #[test]
    fn a_page_is_cut_to_its_head_and_body_element() {
        assert_eq!(
            pagefind_view(PAGE),
            "<!DOCTYPE html><html lang=\"en\"><head><title>T</title></head><body class=\"k\">\
             <article data-pagefind-body><h1>Canals</h1><article><p>Inner</p></article>\
             <p>Text</p></article></body></html>"
        );
    }

    #[test]
    fn comments_and_a_logo_before_the_body_do_not_stop_the_cut() {
        let page = PAGE
            .replace("<p>Text", "<!-- </article> --><!--><p>Text")
            .replace("<header>", "<header><img src=\"/logo.svg\" alt=\"\">");
        let view = pagefind_view(&page);
        assert!(
            view.contains("<!-- </article> --><!--><p>Text</p></article></body>"),
            "{view}"
        );
        let titled = page.replace("<head>", "<head><meta data-pagefind-meta=\"title:T\">");
        assert!(matches!(pagefind_view(&titled), Cow::Borrowed(_)));
        let kind = page.replace("<head>", "<head><meta data-pagefind-meta=\"kind:page\">");
        assert!(matches!(pagefind_view(&kind), Cow::Owned(_)));
    }

    #[test]
    fn markup_in_attribute_values_does_not_move_the_cut() {
        let page = PAGE.replace("<p>Text</p>", "<p title=\"</article> <article>\">Text</p>");
        assert!(
            pagefind_view(&page)
                .ends_with("<p title=\"</article> <article>\">Text</p></article></body></html>")
        );
        let named = PAGE.replace("<footer>", "<footer title=\"data-pagefind-body\">");
        assert!(
            matches!(pagefind_view(&named), Cow::Borrowed(_)),
            "a second marker"
        );
        let only_in_a_value = PAGE
            .replace(" data-pagefind-body", "")
            .replace("<main id=\"main\">", "<main title=\"data-pagefind-body\">");
        assert!(matches!(pagefind_view(&only_in_a_value), Cow::Borrowed(_)));
        let commented = PAGE
            .replace(
                "<article data-pagefind-body>",
                "<!-- <div data-pagefind-body></div> --><article>",
            )
            .replace("h1>", "h2>");
        assert!(
            matches!(pagefind_view(&commented), Cow::Borrowed(_)),
            "a marker in a comment"
        );
        assert_eq!(start_tag_len("<a href='x>y' b = \"<\">rest"), Some(22));
        assert_eq!(start_tag_len("<a href=\"x"), None);
    }

    #[test]
    fn a_page_is_given_whole_when_the_cut_could_change_the_index() {
        let whole = |page: String| matches!(pagefind_view(&page), Cow::Borrowed(_));
        let outside = [
            "<img src=x>",
            "<h1>Title</h1>",
            "<span data-pagefind-filter=\"t:x\"></span>",
        ];
        for markup in outside {
            assert!(
                whole(PAGE.replace("<footer>", &format!("<footer>{markup}"))),
                "{markup}"
            );
        }
        for markup in &outside[1..] {
            assert!(
                whole(PAGE.replace("<header>", &format!("<header>{markup}"))),
                "{markup}"
            );
        }
        for markup in [
            "<script>x</script>",
            "<template></template>",
            "<textarea></textarea>",
        ] {
            assert!(
                whole(PAGE.replace("<p>Text", &format!("{markup}<p>Text"))),
                "{markup}"
            );
        }
        assert!(whole(PAGE.replace("<main", "<main data-pagefind-body")));
        assert!(whole(PAGE.replace("</article></main>", "</main>")));
        assert!(whole(PAGE.replace("data-pagefind-body", "")));
    }
}
