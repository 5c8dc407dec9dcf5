//! Markdown to HTML: pure, text in and HTML out. Adds stable, unique heading
//! ids, numbered footnotes with back-links, accessible task-list boxes, a
//! summary, and rewrites links so they work under any base path.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

mod args;
pub mod calls;
mod footnotes;
mod links;
mod place;
use calls::{Call, CallError};
use footnotes::footnotes;
pub use links::{Resolution, content_file, resolve};
use links::{rewrite_links, site_links};

/// What a link in the text is resolved against.
pub struct Links<'a> {
    /// The site's base path: `/` or `/sub/`.
    pub base_path: &'a str,
    /// The URL of the page being rendered, root-relative: `/sub/stories/x/`.
    pub page_url: &'a str,
    /// The folder of the source file, relative to `content/`: `stories`.
    pub source_dir: &'a str,
    /// Content file (`partners/mac.md`) → its page URL.
    pub content_urls: &'a HashMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The text before `<!-- more -->`, else the first paragraph; as HTML
    /// without ids, headings, images or footnote marks, so it can sit in a list.
    pub summary_html: String,
    pub summary_text: String,
    /// `summary_text` cut for a list when it is long (see `short_summary`).
    pub summary_short: String,
    pub word_count: usize,
    pub headings: Vec<Heading>,
    /// Links to content files that do not exist: (byte offset, link).
    pub broken_links: Vec<(usize, String)>,
    /// Whether any link named a content file, so the HTML depends on where
    /// other pages are.
    pub uses_content_links: bool,
    /// Where the text's links lead within the site: root-relative paths,
    /// without `#fragment` or `?query` (the partner network is drawn from them).
    pub site_links: Vec<String>,
    /// The component calls in the text, in the order written; each one's
    /// mark in `html` is replaced by its output when the page is rendered.
    pub calls: Vec<Call>,
    /// Mistakes in writing the calls, at their offsets in the text.
    pub call_errors: Vec<CallError>,
}

/// The Markdown extensions brum turns on; `check` parses with the same.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Ids the theme uses itself; headings never take them.
fn reserved_id(id: &str) -> bool {
    id == "main" || id.starts_with("brum-") || id.starts_with("fn-") || id.starts_with("fnref-")
}

/// A NUL in the text becomes U+FFFD, as CommonMark says: HTML cannot hold one.
fn without_nul(event: Event) -> Event {
    fn fix(s: CowStr) -> CowStr {
        if s.contains('\0') {
            CowStr::from(s.replace('\0', "\u{FFFD}"))
        } else {
            s
        }
    }
    match event {
        Event::Text(t) => Event::Text(fix(t)),
        Event::Code(t) => Event::Code(fix(t)),
        Event::Html(t) => Event::Html(fix(t)),
        Event::InlineHtml(t) => Event::InlineHtml(fix(t)),
        other => other,
    }
}

pub fn render(text: &str, links: &Links) -> Rendered {
    render_with(text, links, &|_| false)
}

/// Renders `text`; `raw_body` says which components take their body as
/// text rather than Markdown.
pub fn render_with(text: &str, links: &Links, raw_body: &dyn Fn(&str) -> bool) -> Rendered {
    render_inner(text, links, Some(raw_body))
}

/// Renders `text` with no component calls in it: `{{ x() }}` stays text.
/// For Markdown that is not a page's body (a data file's, in a template).
pub fn render_without_calls(text: &str, links: &Links) -> Rendered {
    render_inner(text, links, None)
}

fn render_inner(text: &str, links: &Links, raw_body: Option<&dyn Fn(&str) -> bool>) -> Rendered {
    let mut scanned = raw_body
        .filter(|_| calls::may_have_calls(text))
        .map(|raw_body| calls::scan(text, raw_body));
    // The events borrow the text the calls were cut from, while placing
    // them changes the rest of what the scan found.
    let cut = scanned.as_mut().map(|s| std::mem::take(&mut s.text));
    let source = cut.as_deref().unwrap_or(text);
    let mut events: Vec<(Event, usize)> = Parser::new_ext(source, options())
        .into_offset_iter()
        .map(|(e, r)| (without_nul(e), r.start))
        .collect();
    if let Some(s) = &mut scanned {
        events = place::place(events, s);
    }
    let mut out = Rendered::default();
    out.uses_content_links = rewrite_links(&mut events, links, &mut out.broken_links);
    if let Some(s) = scanned {
        for (offset, _) in &mut out.broken_links {
            *offset = s.original(*offset);
        }
        out.calls = s.calls;
        out.call_errors = s.errors;
    }
    out.site_links = site_links(&events);
    label_task_boxes(&mut events);
    out.headings = assign_heading_ids(&mut events);
    // After footnotes move their definitions to the end, so the range
    // indexes the events rendered (and never reaches the notes).
    let (events, body_len) = footnotes(events);
    let summary = summary_range(&events[..body_len]);

    out.word_count = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(count_words(t)),
            _ => None,
        })
        .sum();
    let (summary_html, summary_text) = match summary {
        Some(range) => summarise(events[range].iter().map(|(e, _)| e.clone()), links),
        None => (String::new(), String::new()),
    };
    out.summary_html = summary_html;
    out.summary_text = summary_text;
    out.summary_short = short_summary(&out.summary_text);
    out.html.reserve(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter().map(|(e, _)| e));
    out
}

/// The words in a text, as `split_whitespace` counts them; ASCII text (most
/// of it) is counted by byte, without decoding characters.
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        // Rust's ASCII whitespace plus the vertical tab, as `char::is_whitespace`.
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// Renders a front-matter summary (Markdown) the way summaries are shown.
pub fn render_summary(text: &str, links: &Links) -> (String, String) {
    let mut events: Vec<(Event, usize)> = Parser::new_ext(text, options())
        .into_offset_iter()
        .map(|(e, r)| (without_nul(e), r.start))
        .collect();
    rewrite_links(&mut events, links, &mut Vec::new());
    summarise(events.into_iter().map(|(e, _)| e), links)
}

/// Which events make the summary: all before a top-level `<!-- more -->`,
/// else the first top-level paragraph.
fn summary_range(events: &[(Event, usize)]) -> Option<std::ops::Range<usize>> {
    let mut depth = 0usize;
    let mut first_paragraph: Option<usize> = None;
    let mut paragraph_end = None;
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::HtmlBlock) if depth == 0 => {
                if let Some((Event::Html(html), _)) = events.get(i + 1)
                    && is_more_marker(html)
                {
                    return Some(0..i);
                }
                depth += 1;
            }
            Event::Start(Tag::Paragraph) if depth == 0 => {
                if first_paragraph.is_none() {
                    first_paragraph = Some(i);
                }
                depth += 1;
            }
            Event::End(TagEnd::Paragraph) if depth == 1 => {
                depth -= 1;
                if paragraph_end.is_none() {
                    paragraph_end = Some(i + 1);
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Some(first_paragraph?..paragraph_end?)
}

fn is_more_marker(html: &str) -> bool {
    let inner = html.trim();
    inner
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|s| s.trim() == "more")
}

/// Renders summary events as list-safe HTML and plain text. A link to a
/// place on the page (`#plans`) leads there from lists and feeds too.
fn summarise<'a>(events: impl Iterator<Item = Event<'a>>, links: &Links) -> (String, String) {
    let mut kept = Vec::new();
    let mut text = String::new();
    let mut in_image = 0usize;
    let mut in_footnote = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            _ if in_image > 0 => {}
            Event::Start(Tag::FootnoteDefinition(_)) => in_footnote += 1,
            Event::End(TagEnd::FootnoteDefinition) => in_footnote = in_footnote.saturating_sub(1),
            _ if in_footnote > 0 => {}
            Event::FootnoteReference(_) => {}
            Event::Start(Tag::Heading { .. }) => kept.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::Heading(_)) => {
                kept.push(Event::End(TagEnd::Paragraph));
                text.push(' ');
            }
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with('#') => kept.push(Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(format!("{}{dest_url}", links.page_url)),
                title,
                id,
            })),
            Event::Text(ref t) | Event::Code(ref t) => {
                text.push_str(t);
                kept.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                kept.push(event);
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                text.push(' ');
                kept.push(event);
            }
            other => kept.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, kept.into_iter());
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (html, text)
}

/// pulldown-cmark's task boxes have no accessible name; give them one.
fn label_task_boxes(events: &mut [(Event, usize)]) {
    for (event, _) in events.iter_mut() {
        if let Event::TaskListMarker(done) = event {
            let html = if *done {
                "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
            } else {
                "<input type=\"checkbox\" disabled aria-label=\"Not done yet\"> "
            };
            *event = Event::InlineHtml(CowStr::from(html));
        }
    }
}

/// Gives every heading an id from its text, unique on the page, and returns
/// the outline.
fn assign_heading_ids(events: &mut [(Event, usize)]) -> Vec<Heading> {
    let mut used: HashSet<String> = HashSet::new();
    let mut headings = Vec::new();
    // Ids the author set take precedence over generated ones.
    for (event, _) in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            used.insert(id.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = heading_level(*level);
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let id = explicit.unwrap_or_else(|| {
                let base = slugify(&text);
                // A reserved id would stay reserved whatever number follows
                // it (`fn-x-1`), so the search below would never end.
                let base = if base.is_empty() {
                    "section".to_string()
                } else if reserved_id(&format!("{base}-1")) {
                    format!("section-{base}")
                } else {
                    base
                };
                let mut candidate = base.clone();
                let mut n = 1;
                while used.contains(&candidate) || reserved_id(&candidate) {
                    candidate = format!("{base}-{n}");
                    n += 1;
                }
                used.insert(candidate.clone());
                candidate
            });
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id.clone()));
            }
            headings.push(Heading { level, id, text });
            i = j;
        }
        i += 1;
    }
    headings
}

pub fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A URL- and id-safe form of a text: lower case, letters and digits (of any
/// script) kept, everything else folded into single hyphens.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '/' || c == '.' {
            pending_dash = true;
        }
    }
    out
}

/// Cards show a story's own summary unless it runs past `LONG` characters;
/// then its first `CUT` characters (whole graphemes) and an ellipsis.
pub fn short_summary(text: &str) -> String {
    const LONG: usize = 320;
    const CUT: usize = 280;
    if text.chars().nth(LONG).is_none() {
        return String::new();
    }
    // Printable ASCII is one grapheme per byte, and most summaries are: the
    // grapheme walk costs a hundred times more.
    if text.as_bytes()[..=CUT]
        .iter()
        .all(|b| (b' '..=b'~').contains(b))
    {
        return format!("{}…", &text[..CUT]);
    }
    use unicode_segmentation::UnicodeSegmentation;
    match text.grapheme_indices(true).nth(CUT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tvertical\x0Btab\x0Cfeed\r\nline",
            "café au lait",
            "no\u{a0}break space\u{2003}em",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn long_summaries_are_cut_on_a_grapheme_with_an_ellipsis() {
        assert_eq!(short_summary(&"a".repeat(320)), "");
        let long = format!("{}{}", "é".repeat(279), "e\u{301}".repeat(50));
        let short = short_summary(&long);
        assert!(short.ends_with("e\u{301}…"), "{short}");
        assert_eq!(short.chars().count(), 279 + 2 + 1);
        let ascii = format!("{}{}", "a ".repeat(140), "b".repeat(100));
        assert_eq!(short_summary(&ascii), format!("{}…", "a ".repeat(140)));
        // Not the fast path: a combining mark right at the cut stays whole.
        let mark = format!("{}e\u{301}{}", "a".repeat(279), "c".repeat(60));
        assert_eq!(
            short_summary(&mark),
            format!("{}e\u{301}…", "a".repeat(279))
        );
    }

    fn links<'a>(urls: &'a HashMap<String, String>, base: &'a str, page: &'a str) -> Links<'a> {
        Links {
            base_path: base,
            page_url: page,
            source_dir: "stories",
            content_urls: urls,
        }
    }

    fn html(text: &str) -> Rendered {
        let urls = HashMap::new();
        render(text, &links(&urls, "/", "/stories/x/"))
    }

    #[test]
    fn heading_ids_are_unique_and_avoid_theme_ids() {
        let r = html("## Why it matters\n\n## Why it matters\n\n## Main\n\n## Café & Culture\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "why-it-matters",
                "why-it-matters-1",
                "main-1",
                "café-culture"
            ]
        );
        assert!(r.html.contains("<h2 id=\"why-it-matters-1\">"));
    }

    #[test]
    fn explicit_heading_ids_win() {
        let r = html("## Plans {#plans}\n\n## Plans\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["plans", "plans-1"]);
    }

    #[test]
    fn footnotes_are_numbered_and_linked_both_ways() {
        let r = html("First[^b] and second[^a].\n\n[^a]: Note A.\n[^b]: Note B.\n");
        assert!(
            r.html.contains("<a href=\"#fn-1\" id=\"fnref-1\">1</a>"),
            "{}",
            r.html
        );
        let b = r.html.find("Note B").unwrap();
        let a = r.html.find("Note A").unwrap();
        assert!(b < a, "notes are in reference order");
        assert!(r.html.contains("<li id=\"fn-2\">"));
        assert!(r.html.contains("href=\"#fnref-2\""));
    }

    /// Every `#fn-N` and `#fnref-N` link in `html` leads to an id in it.
    fn assert_note_links_work(html: &str) {
        for part in html.split("href=\"#").skip(1) {
            let target = &part[..part.find('"').unwrap()];
            assert!(
                html.contains(&format!("id=\"{target}\"")),
                "#{target} leads nowhere in {html}"
            );
        }
    }

    #[test]
    fn a_note_referenced_only_from_another_note_gets_its_own_number() {
        let r = html(
            "Text[^a] and more[^c].\n\n[^a]: Note A, see[^b].\n[^b]: Note B.\n[^c]: Note C.\n",
        );
        assert_note_links_work(&r.html);
        // A is 1 and C is 2 (from the text); B, found in A's note, is 3.
        assert!(
            r.html
                .contains("Note A, see<sup class=\"footnote-ref\"><a href=\"#fn-3\" id=\"fnref-3\">3</a></sup>"),
            "{}",
            r.html
        );
        let (a, b, c) = (
            r.html.find("Note A").unwrap(),
            r.html.find("Note B").unwrap(),
            r.html.find("Note C").unwrap(),
        );
        assert!(a < c && c < b, "{}", r.html);
        assert!(
            r.html
                .contains("<li id=\"fn-3\">\n<p>Note B.</p>\n<a href=\"#fnref-3\"")
        );
        assert!(!r.html.contains("footnote-reference"), "{}", r.html);
    }

    #[test]
    fn notes_nothing_references_keep_their_words_without_a_back_link() {
        let r = html("Text[^a].\n\n[^a]: Used.\n\n[^spare]: Written but not referenced.\n");
        assert_note_links_work(&r.html);
        assert!(
            r.html
                .contains("<li id=\"fn-2\">\n<p>Written but not referenced.</p>\n</li>"),
            "{}",
            r.html
        );
        // With no reference at all, the notes are still listed.
        let r = html("Text.\n\n[^only]: Alone.\n");
        assert!(
            r.html.contains("<li id=\"fn-1\">\n<p>Alone.</p>\n</li>"),
            "{}",
            r.html
        );
        // A definition followed by an escaped reference: the reference is in
        // its own note, and nothing else refers to it.
        let r = html("[^1]: footnote definition text\n[^1]\\: this is a reference\n");
        assert_note_links_work(&r.html);
        assert!(r.html.contains("footnote definition text"), "{}", r.html);
        assert!(r.html.contains(": this is a reference"), "{}", r.html);
    }

    #[test]
    fn notes_defined_in_lists_quotes_and_tables_are_listed() {
        let r = html(
            "* First\n  [^1]: in a list\n* Second [^1]\n\n> quote\n> [^2]: in a quote\n\n| a | b |\n|---|---|\n| c | d |\n[^3]: after a table [^3]\n",
        );
        assert_note_links_work(&r.html);
        for words in ["in a list", "in a quote", "after a table"] {
            assert!(r.html.contains(words), "{words}: {}", r.html);
        }
        assert_eq!(r.html.matches("<li id=\"fn-").count(), 3, "{}", r.html);
    }

    #[test]
    fn a_second_definition_of_a_label_is_kept_as_a_note_of_its_own() {
        let r = html("Text[^a].\n\n[^a]: First.\n\n[^A]: Second.\n");
        assert_note_links_work(&r.html);
        let first = r.html.find("First.").unwrap();
        let second = r.html.find("Second.").unwrap();
        assert!(first < second);
        assert!(
            r.html.contains("<li id=\"fn-2\">\n<p>Second.</p>\n</li>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn email_autolinks_are_mailto_the_address() {
        let r = html("Write to us at <hello@birminghampartners.com>.\n");
        assert!(
            r.html.contains(
                "<a href=\"mailto:hello@birminghampartners.com\">hello@birminghampartners.com</a>"
            ),
            "{}",
            r.html
        );
        assert!(r.site_links.is_empty());
        assert!(r.broken_links.is_empty());
    }

    #[test]
    fn summary_stops_at_more_marker_and_drops_ids() {
        let r = html("Intro *text*.\n\n## A heading\n\nMore.\n\n<!-- more -->\n\nRest.\n");
        assert_eq!(
            r.summary_html,
            "<p>Intro <em>text</em>.</p>\n<p>A heading</p>\n<p>More.</p>\n"
        );
        assert_eq!(r.summary_text, "Intro text. A heading More.");
    }

    /// A summary is shown on other pages (lists, feeds), where `#plans`
    /// alone would lead to a place on that page instead.
    #[test]
    fn summary_links_to_places_on_the_page_lead_to_the_page() {
        let r = html("See [the plans](#plans) and [the top](/#x).\n\n## Plans\n");
        assert_eq!(
            r.summary_html,
            "<p>See <a href=\"/stories/x/#plans\">the plans</a> and <a href=\"/#x\">the top</a>.</p>\n"
        );
        assert!(r.html.contains("<a href=\"#plans\">"), "{}", r.html);
        let urls = HashMap::new();
        let (summary, _) = render_summary(
            "About [our plans](#plans).",
            &links(&urls, "/sub/", "/sub/stories/x/"),
        );
        assert_eq!(
            summary,
            "<p>About <a href=\"/sub/stories/x/#plans\">our plans</a>.</p>\n"
        );
    }

    #[test]
    fn summary_defaults_to_first_paragraph() {
        let r = html("## Title\n\nFirst para[^1].\n\nSecond.\n\n[^1]: n\n");
        assert_eq!(r.summary_html, "<p>First para.</p>\n");
    }

    /// Found by the `markdown` fuzz target: a heading whose text slugifies to
    /// a reserved id (`fnref-a`) looked for a free `fnref-a-N` forever.
    #[test]
    fn headings_named_like_reserved_ids_get_an_id_and_end() {
        let r = html("# fnref-A\n\n## FN- notes\n\n### Main\n\n#### brum-x\n\n# main\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "section-fnref-a",
                "section-fn-notes",
                "main-1",
                "section-brum-x",
                "main-2"
            ]
        );
    }

    /// Found by the `markdown` fuzz target: a footnote definition before the
    /// first paragraph shifted the events under the summary's range, which
    /// then ran past the end (a panic) or took the wrong text.
    #[test]
    fn a_footnote_defined_before_the_first_paragraph_leaves_the_summary_whole() {
        let r = html("# Title\n\n[^2]: Early *note*.\n\nText[^1] here.\n\n[^1]: Note.\n");
        assert_eq!(r.summary_html, "<p>Text here.</p>\n");
        let r = html(
            "# A\n\n- [ ] task\n\n[^2]: No*em* **strong**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: Note.../partners/mac.md#x)\n",
        );
        assert_eq!(r.summary_text, "Text.");
    }

    #[test]
    fn links_follow_base_path_and_content_files() {
        let mut urls = HashMap::new();
        urls.insert(
            "partners/mac.md".to_string(),
            "/sub/partners/mac/".to_string(),
        );
        let l = links(&urls, "/sub/", "/sub/stories/x/");
        let r = render(
            "[a](/stories/y/) [b](../partners/mac.md#about) [c](pic.jpg) [d](https://x.org/) [e](../nope.md) [f](#top)",
            &l,
        );
        assert!(r.html.contains("href=\"/sub/stories/y/\""));
        assert!(r.html.contains("href=\"/sub/partners/mac/#about\""));
        assert!(r.html.contains("href=\"/sub/stories/x/pic.jpg\""));
        assert!(r.html.contains("href=\"https://x.org/\""));
        assert!(r.html.contains("href=\"#top\""));
        assert_eq!(r.broken_links, vec![(80, "../nope.md".to_string())]);
        assert_eq!(
            r.site_links,
            [
                "/sub/partners/mac/",
                "/sub/stories/x/pic.jpg",
                "/sub/stories/y/"
            ]
        );
    }

    #[test]
    fn smart_punctuation_tables_strikethrough_and_tasks() {
        let r = html(
            "\"Brum's\" -- best\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n",
        );
        assert!(r.html.contains("“Brum’s” – best"), "{}", r.html);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
    }

    #[test]
    fn slugify_keeps_letters_of_any_script() {
        assert_eq!(slugify("  Hello, World!  "), "hello-world");
        assert_eq!(slugify("Łódź — 2015"), "łódź-2015");
    }
}
