//! Puts the calls `calls.rs` cut out back among the parsed events, as marks
//! in the HTML (`\0c3\0` for call 3, `\0o3\0` … `\0e3\0` around a body)
//! that the render stage replaces with each component's output. A NUL in
//! the author's text is made U+FFFD before this, so a mark is never text.
//!
//! A call on a line of its own is lifted out of its paragraph, so a block
//! component never lands inside a `<p>`; each call learns the heading level
//! it comes under; and a body must end in the block it started in.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::calls::{CallError, Scanned, Token};
use super::heading_level;

type Events<'a> = Vec<(Event<'a>, usize)>;

/// The events with every token made a mark (or given back its character).
pub(super) fn place<'a>(events: Events<'a>, s: &mut Scanned) -> Events<'a> {
    let mut placed = vec![false; s.tokens.len()];
    let events = split_tokens(events, s, &mut placed);
    for (n, done) in placed.into_iter().enumerate() {
        let Some(token) = s.tokens.get(n).copied() else {
            continue;
        };
        if !done && !matches!(token, Token::Literal(_)) {
            let at = s.token_at[n];
            s.errors.push(CallError::new(
                at,
                "a component cannot be called here",
                "call it in the text or on a line of its own, not inside a link's address, a picture's description or a heading's attributes",
            ));
        }
    }
    let events = lift_blocks(events, s);
    check_bodies(&events, s);
    events
}

/// The mark for a call token.
fn mark(token: Token) -> Option<String> {
    match token {
        Token::Call(n) => Some(format!("\0c{n}\0")),
        Token::Open(n) => Some(format!("\0o{n}\0")),
        Token::Close(n) => Some(format!("\0e{n}\0")),
        Token::Literal(_) => None,
    }
}

/// A mark event: its kind (`c`, `o`, `e`) and call.
fn as_mark(event: &Event) -> Option<(u8, usize)> {
    let (Event::InlineHtml(t) | Event::Html(t)) = event else {
        return None;
    };
    let inner = t.strip_prefix('\0')?.strip_suffix('\0')?;
    let kind = *inner.as_bytes().first()?;
    Some((kind, inner[1..].parse().ok()?))
}

/// Splits text and HTML events at each token; gives literals back their
/// character wherever they are. Marks `placed` the tokens that found a place.
fn split_tokens<'a>(events: Events<'a>, s: &Scanned, placed: &mut [bool]) -> Events<'a> {
    let mut out = Vec::with_capacity(events.len() + 2 * s.tokens.len());
    let mut in_image = 0usize;
    for (event, offset) in events {
        match event {
            Event::Start(Tag::Image { .. }) => {
                in_image += 1;
                out.push((restore_in_tag(event, s), offset));
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                out.push((event, offset));
            }
            Event::Text(t) if in_image == 0 && has_token(&t) => {
                split(&t, s, placed, offset, &mut out, |x| Event::Text(x.into()))
            }
            Event::Html(t) if has_token(&t) => {
                split(&t, s, placed, offset, &mut out, |x| Event::Html(x.into()))
            }
            Event::InlineHtml(t) if in_image == 0 && has_token(&t) => {
                split(&t, s, placed, offset, &mut out, |x| {
                    Event::InlineHtml(x.into())
                })
            }
            Event::Text(t) if has_token(&t) => out.push((Event::Text(literal(&t, s)), offset)),
            Event::Code(t) if has_token(&t) => out.push((Event::Code(literal(&t, s)), offset)),
            Event::Start(_) => out.push((restore_in_tag(event, s), offset)),
            other => out.push((other, offset)),
        }
    }
    out
}

fn has_token(text: &str) -> bool {
    // Every token is a four-byte character starting 0xF3.
    text.as_bytes().contains(&0xF3)
}

/// `text` cut at its tokens into `make(text)` events and marks.
fn split<'a>(
    text: &str,
    s: &Scanned,
    placed: &mut [bool],
    offset: usize,
    out: &mut Events<'a>,
    make: impl Fn(String) -> Event<'a>,
) {
    let mut run = String::new();
    for c in text.chars() {
        let Some(token) = s.token(c) else {
            run.push(c);
            continue;
        };
        match (token, mark(token)) {
            (Token::Literal(ch), _) => run.push(ch),
            (_, Some(m)) => {
                if !run.is_empty() {
                    out.push((make(std::mem::take(&mut run)), offset));
                }
                if let Some(n) = s.token_index(c) {
                    placed[n] = true;
                }
                out.push((Event::InlineHtml(CowStr::from(m)), offset));
            }
            (_, None) => {}
        }
    }
    if !run.is_empty() {
        out.push((make(run), offset));
    }
}

/// The text with literal tokens given back and call tokens dropped (they
/// are reported as having no place).
fn literal<'a>(text: &str, s: &Scanned) -> CowStr<'a> {
    let kept: String = text
        .chars()
        .filter_map(|c| match s.token(c) {
            Some(Token::Literal(ch)) => Some(ch),
            Some(_) => None,
            None => Some(c),
        })
        .collect();
    CowStr::from(kept)
}

/// A link's or picture's address and title with literals given back.
fn restore_in_tag<'a>(event: Event<'a>, s: &Scanned) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if has_token(&dest_url) || has_token(&title) => Event::Start(Tag::Link {
            link_type,
            dest_url: literal(&dest_url, s),
            title: literal(&title, s),
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if has_token(&dest_url) || has_token(&title) => Event::Start(Tag::Image {
            link_type,
            dest_url: literal(&dest_url, s),
            title: literal(&title, s),
            id,
        }),
        other => other,
    }
}

fn is_break(event: &Event) -> bool {
    matches!(event, Event::SoftBreak | Event::HardBreak)
}

/// Lifts marks that stand on a line of their own out of their paragraph
/// (and marks those calls as blocks); drops a paragraph left empty.
fn lift_blocks<'a>(events: Events<'a>, s: &mut Scanned) -> Events<'a> {
    let mut out: Events = Vec::with_capacity(events.len());
    let mut iter = events.into_iter().peekable();
    while let Some((event, offset)) = iter.next() {
        if !matches!(event, Event::Start(Tag::Paragraph)) {
            let tight_item = matches!(out.last(), Some((Event::Start(Tag::Item), _)))
                && matches!(iter.peek(), Some((Event::End(TagEnd::Item), _)));
            if tight_item && let Some((b'c' | b'o', n)) = as_mark(&event) {
                set_block(s, n);
            }
            out.push((event, offset));
            continue;
        }
        let mut inner: Events = Vec::new();
        let mut end = None;
        for (e, o) in iter.by_ref() {
            if matches!(e, Event::End(TagEnd::Paragraph)) {
                end = Some((e, o));
                break;
            }
            inner.push((e, o));
        }
        lift_paragraph(inner, (event, offset), end, s, &mut out);
    }
    out
}

/// One paragraph's events, with its leading and trailing lone marks lifted.
fn lift_paragraph<'a>(
    inner: Events<'a>,
    start: (Event<'a>, usize),
    end: Option<(Event<'a>, usize)>,
    s: &mut Scanned,
    out: &mut Events<'a>,
) {
    if whole_body(&inner).is_some() {
        let mut inner = inner;
        let close = inner.pop().into_iter();
        let open: Events = inner.drain(..1).collect();
        push_lifted(open, s, out);
        if inner.first().is_some_and(|(e, _)| is_break(e)) {
            inner.remove(0);
        }
        if inner.last().is_some_and(|(e, _)| is_break(e)) {
            inner.pop();
        }
        if !inner.is_empty() {
            out.push(start);
            out.extend(inner);
            out.extend(end);
        }
        push_lifted(close.collect(), s, out);
        return;
    }
    let mut lo = 0;
    while lo < inner.len()
        && as_mark(&inner[lo].0).is_some()
        && inner.get(lo + 1).is_none_or(|(e, _)| is_break(e))
    {
        lo += 2;
    }
    let lo = lo.min(inner.len());
    let mut hi = inner.len();
    while hi > lo
        && as_mark(&inner[hi - 1].0).is_some()
        && (hi - 1 == lo || is_break(&inner[hi - 2].0))
    {
        hi = if hi - 1 == lo { lo } else { hi - 2 };
    }
    let mut iter = inner.into_iter();
    let before: Events = iter.by_ref().take(lo).collect();
    let middle: Events = iter.by_ref().take(hi - lo).collect();
    let after: Events = iter.collect();
    push_lifted(before, s, out);
    if !middle.is_empty() {
        out.push(start);
        out.extend(middle);
        out.extend(end);
    }
    push_lifted(after, s, out);
}

/// A paragraph that is one body, `{% x() %}text{% end %}` on one line: its
/// call.
fn whole_body(inner: &Events) -> Option<usize> {
    let (b'o', n) = as_mark(&inner.first()?.0)? else {
        return None;
    };
    let (b'e', m) = as_mark(&inner.last()?.0)? else {
        return None;
    };
    (n == m && inner.len() > 2).then_some(n)
}

/// Lifted marks as blocks of their own; the line breaks between them go.
fn push_lifted<'a>(events: Events<'a>, s: &mut Scanned, out: &mut Events<'a>) {
    for (e, o) in events {
        let Some((kind, n)) = as_mark(&e) else {
            continue;
        };
        if kind != b'e' {
            set_block(s, n);
        }
        if let Event::InlineHtml(t) | Event::Html(t) = e {
            out.push((Event::Html(t), o));
        }
    }
}

fn set_block(s: &mut Scanned, call: usize) {
    if let Some(c) = s.calls.get_mut(call) {
        c.block = true;
    }
}

/// Gives each call its heading level, and reports a body that ends in
/// another block than it started in (its HTML would not nest).
fn check_bodies(events: &Events, s: &mut Scanned) {
    let mut level = 1u8;
    let mut containers: Vec<usize> = vec![0];
    let mut next_container = 1;
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (event, _) in events {
        match event {
            Event::Start(Tag::Heading { level: l, .. }) => {
                level = heading_level(*l);
                containers.push(next_container);
                next_container += 1;
            }
            Event::Start(_) => {
                containers.push(next_container);
                next_container += 1;
            }
            Event::End(_) => {
                containers.pop();
            }
            _ => {}
        }
        let Some((kind, n)) = as_mark(event) else {
            continue;
        };
        let here = containers.last().copied().unwrap_or(0);
        if let Some(call) = s.calls.get_mut(n).filter(|_| kind != b'e') {
            call.heading_level = (level + 1).min(6);
        }
        match kind {
            b'o' => open.push((n, here)),
            b'e' if open.pop().is_some_and(|(_, started)| started != here) => {
                let at = s.calls.get(n).map_or(0, |c| c.at);
                let name = s.calls.get(n).map_or("", |c| c.name.as_str()).to_string();
                s.errors.push(CallError::new(
                        at,
                        format!("the body of `{name}` ends in a different block from the one it starts in"),
                        format!("put {{% {name}(…) %}} and {{% end %}} each on a line of its own, at the same indentation (both inside a list item or quote, or both outside it)"),
                    ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::markdown::{Links, Rendered, render};

    fn html(text: &str) -> Rendered {
        let urls = HashMap::new();
        let links = Links {
            base_path: "/",
            page_url: "/stories/x/",
            source_dir: "stories",
            content_urls: &urls,
        };
        render(text, &links)
    }

    #[test]
    fn a_call_on_its_own_line_is_a_block_outside_any_paragraph() {
        let r = html("Before.\n\n{{ video(title=\"A\") }}\n\nAfter.");
        assert_eq!(r.html, "<p>Before.</p>\n\0c0\0\n<p>After.</p>\n");
        assert!(r.calls[0].block);
        assert!(r.call_errors.is_empty());
    }

    #[test]
    fn a_call_in_a_sentence_stays_inline() {
        let r = html("Press {{ cta(href=\"/x/\", text=\"Go\") }} now.");
        assert_eq!(r.html, "<p>Press \0c0\0 now.</p>\n");
        assert!(!r.calls[0].block);
    }

    #[test]
    fn a_call_on_the_first_line_of_a_paragraph_is_lifted_before_it() {
        let r = html("{{ partner(slug=\"mac\") }}\nThe MAC hosted.");
        assert_eq!(r.html, "\0c0\0\n<p>The MAC hosted.</p>\n");
        assert!(r.calls[0].block);
    }

    #[test]
    fn a_body_keeps_its_markdown_between_marks() {
        let r = html("## Join\n\n{% callout(kind=\"note\") %}\nMarkdown **here**.\n{% end %}\n");
        assert_eq!(
            r.html,
            "<h2 id=\"join\">Join</h2>\n\0o0\0\n<p>Markdown <strong>here</strong>.</p>\n\0e0\0"
        );
        assert!(r.calls[0].block);
        assert_eq!(r.calls[0].heading_level, 3);
    }

    #[test]
    fn a_one_line_body_becomes_a_paragraph_inside_the_component() {
        let r = html("{% callout() %}Markdown **here** is rendered.{% end %}");
        assert_eq!(
            r.html,
            "\0o0\0\n<p>Markdown <strong>here</strong> is rendered.</p>\n\0e0\0"
        );
        assert_eq!(r.calls[0].heading_level, 2);
    }

    #[test]
    fn a_body_that_ends_in_another_block_is_an_error() {
        let r = html("- {% callout() %}\n  text\n\n{% end %}");
        assert_eq!(r.call_errors.len(), 1, "{:?}", r.html);
        assert!(
            r.call_errors[0]
                .message
                .contains("ends in a different block")
        );
    }

    #[test]
    fn a_call_in_a_link_address_has_no_place() {
        let r = html("[x]({{ url(a=1) }}) and ![{{ v(a=1) }}](p.png)");
        assert_eq!(r.call_errors.len(), 2, "{:?}", r.call_errors);
        assert!(!r.html.contains('\0'));
    }

    #[test]
    fn calls_leave_quotes_and_underscores_alone_and_offsets_still_match() {
        let r = html("{{ quote(text=\"it's _great_\", by=\"Ann\") }}\n\n[gone](missing.md)");
        assert_eq!(r.calls[0].args[0].value, "it's _great_");
        let (at, link) = &r.broken_links[0];
        assert_eq!(link, "missing.md");
        assert_eq!(*at, 44);
    }

    #[test]
    fn tight_list_items_hold_block_calls() {
        let r = html("- {{ partner(slug=\"a\") }}\n- {{ partner(slug=\"b\") }}\n");
        assert!(r.calls.iter().all(|c| c.block), "{:?}", r.html);
    }

    /// Pieces of text that stress the cut-and-place: calls, bodies, code,
    /// escapes, lists, quotes, links, headings, tables, stray marks.
    const PIECES: [&str; 24] = [
        "{{ v(a=1) }}",
        "{% b() %}",
        "{% end %}",
        "\n",
        "\n\n",
        "- ",
        "> ",
        "# h ",
        "`",
        "```\n",
        "[x](",
        ")",
        "![",
        "]",
        "text ",
        "*",
        "{{/*",
        "*/}}",
        "| a | b |\n|---|---|\n",
        "    ",
        "\u{F0000}",
        "\0",
        "[^1]",
        "\n[^1]: n {{ v() }}\n",
    ];

    #[test]
    fn any_mix_of_calls_and_markdown_places_every_mark_whole() {
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..4000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            let r = html(&text);
            let marks: Vec<&str> = r.html.split('\0').skip(1).step_by(2).collect();
            assert_eq!(
                r.html.matches('\0').count() % 2,
                0,
                "{text:?}: {:?}",
                r.html
            );
            for m in &marks {
                let n: usize = m[1..].parse().unwrap_or_else(|_| panic!("{text:?}: {m:?}"));
                assert!(n < r.calls.len(), "{text:?}");
            }
            if r.call_errors.is_empty() {
                let opens = marks.iter().filter(|m| m.starts_with('o')).count();
                let ends = marks.iter().filter(|m| m.starts_with('e')).count();
                assert_eq!(opens, ends, "{text:?}: {:?}", r.html);
            }
        }
    }
}
