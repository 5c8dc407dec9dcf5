//! brum's Markdown against pulldown-cmark's own HTML, over every input of
//! pulldown-cmark's test suite (the CommonMark spec examples, its extensions
//! and its regressions), copied into `tests/pulldown-cmark-suite/` (see the
//! README there). Both render with brum's options. For every input: brum does
//! not panic; no word is lost or added (besides the note numbers and "Back to
//! reference" links brum writes on purpose); every note link leads to its
//! note and back; and any other difference is one of [`INTENDED`].

use std::collections::{BTreeMap, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};

use brum::markdown::{self, Links};
use html5gum::{Token, Tokenizer};
use pulldown_cmark::Parser;

/// The suite's files, as pulldown-cmark 0.13.6 ships them.
const SUITE: &[(&str, &str)] = &[
    (
        "blockquotes_tags",
        include_str!("pulldown-cmark-suite/blockquotes_tags.rs"),
    ),
    (
        "definition_lists",
        include_str!("pulldown-cmark-suite/definition_lists.rs"),
    ),
    (
        "footnotes",
        include_str!("pulldown-cmark-suite/footnotes.rs"),
    ),
    (
        "gfm_strikethrough",
        include_str!("pulldown-cmark-suite/gfm_strikethrough.rs"),
    ),
    (
        "gfm_table",
        include_str!("pulldown-cmark-suite/gfm_table.rs"),
    ),
    (
        "gfm_tasklist",
        include_str!("pulldown-cmark-suite/gfm_tasklist.rs"),
    ),
    (
        "heading_attrs",
        include_str!("pulldown-cmark-suite/heading_attrs.rs"),
    ),
    ("math", include_str!("pulldown-cmark-suite/math.rs")),
    (
        "metadata_blocks",
        include_str!("pulldown-cmark-suite/metadata_blocks.rs"),
    ),
    (
        "old_footnotes",
        include_str!("pulldown-cmark-suite/old_footnotes.rs"),
    ),
    (
        "regression",
        include_str!("pulldown-cmark-suite/regression.rs"),
    ),
    (
        "smart_punct",
        include_str!("pulldown-cmark-suite/smart_punct.rs"),
    ),
    ("spec", include_str!("pulldown-cmark-suite/spec.rs")),
    (
        "strikethrough",
        include_str!("pulldown-cmark-suite/strikethrough.rs"),
    ),
    (
        "super_sub",
        include_str!("pulldown-cmark-suite/super_sub.rs"),
    ),
    ("table", include_str!("pulldown-cmark-suite/table.rs")),
    (
        "wikilinks",
        include_str!("pulldown-cmark-suite/wikilinks.rs"),
    ),
];

/// The page every input is rendered as, so relative addresses have
/// somewhere to resolve from.
const PAGE: &str = "/stories/x/";

/// Every input of the suite: (test name, Markdown). Each generated test is
/// `fn NAME() {` then `let original = r##"..."##;`.
fn inputs() -> Vec<(String, &'static str)> {
    const OPEN: &str = "    let original = r##\"";
    let mut out = Vec::new();
    for (file, text) in SUITE {
        let mut rest = *text;
        while let Some(at) = rest.find(OPEN) {
            let before = &rest[..at];
            let name = before
                .rfind("\nfn ")
                .map(|f| &before[f + 4..])
                .and_then(|s| s.split_once('('))
                .map_or_else(|| format!("{file}?"), |(n, _)| n.to_string());
            rest = &rest[at + OPEN.len()..];
            let end = rest
                .find("\"##;\n")
                .unwrap_or_else(|| panic!("{name}: no end to its input"));
            out.push((name, &rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// A difference brum makes on purpose, and how to undo it on both sides so
/// the rest can be compared.
struct Intended {
    name: &'static str,
    undo: fn(&str) -> String,
}

/// The differences between brum's HTML and pulldown-cmark's that brum means.
const INTENDED: &[Intended] = &[
    // Every heading gets an id, so that readers can link to it and the
    // outline can list it (ids authors set with `{#id}` are kept: see
    // `author_heading_ids_are_kept`).
    Intended {
        name: "heading ids",
        undo: without_heading_ids,
    },
    // Task-list boxes get an accessible name ("Done", "Not done yet");
    // pulldown-cmark's have none.
    Intended {
        name: "task-list labels",
        undo: plain_task_boxes,
    },
    // Page-relative addresses are written root-relative, so the same HTML
    // works in lists, feeds and search results as well as on the page.
    Intended {
        name: "relative addresses resolved",
        undo: page_relative,
    },
    // Notes are gathered into a numbered list at the end of the text, with
    // links both ways, rather than left where they are defined.
    Intended {
        name: "notes listed at the end",
        undo: notes_apart,
    },
];

fn brum_html(text: &str) -> String {
    let urls = HashMap::new();
    let links = Links {
        base_path: "/",
        page_url: PAGE,
        source_dir: "stories",
        content_urls: &urls,
    };
    markdown::render(text, &links).html
}

fn pulldown_html(text: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(text, markdown::options()));
    html
}

/// The `id="..."` values of headings.
fn heading_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for part in html.split("<h").skip(1) {
        if let Some(rest) = part
            .strip_prefix(|c: char| ('1'..='6').contains(&c))
            .and_then(|r| r.strip_prefix(" id=\""))
            && let Some(end) = rest.find('"')
        {
            ids.push(rest[..end].to_string());
        }
    }
    ids
}

fn without_heading_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let level = rest.as_bytes().get(at + 2);
        if level.is_some_and(|b| (b'1'..=b'6').contains(b))
            && let Some(id) = rest[at + 3..].strip_prefix(" id=\"")
            && let Some(end) = id.find('"')
        {
            out.push_str(&rest[..at + 3]);
            rest = &id[end + 1..];
            continue;
        }
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

fn plain_task_boxes(html: &str) -> String {
    html.replace(
        "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> ",
        "[x]",
    )
    .replace(
        "<input type=\"checkbox\" disabled aria-label=\"Not done yet\"> ",
        "[ ]",
    )
    .replace(
        "<input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n",
        "[x]",
    )
    .replace("<input disabled=\"\" type=\"checkbox\"/>\n", "[ ]")
    // pulldown-cmark ends its box with a line break, brum with a space;
    // before a list or a quote in the item, brum's line break follows.
    .replace("[x]\n", "[x]")
    .replace("[ ]\n", "[ ]")
}

fn page_relative(html: &str) -> String {
    html.replace(&format!("href=\"{PAGE}"), "href=\"")
        .replace(&format!("src=\"{PAGE}"), "src=\"")
}

/// The end of the element that starts at `html[start..]`, counting nested
/// `<tag` and `</tag>`.
fn element_end(html: &str, start: usize, tag: &str) -> Option<usize> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let next_open = html[at..].find(&open).map(|i| at + i);
        let next_close = html[at..].find(&close).map(|i| at + i)?;
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                at = o + open.len();
            }
            _ => {
                depth -= 1;
                at = next_close + close.len();
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
}

/// Notes taken out of the text and listed after it, sorted, each reference
/// replaced by a mark: the same for pulldown-cmark's notes (rendered where
/// they are defined) and brum's (a list at the end). Also takes out the line
/// breaks that were around a note where it stood.
fn notes_apart(html: &str) -> String {
    const DEFINITION: &str = "<div class=\"footnote-definition\"";
    const SECTION: &str = "<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n";
    if !html.contains(REFERENCE) && !html.contains(DEFINITION) && !html.contains(SECTION) {
        return html.to_string();
    }
    let mut text = html.to_string();
    let mut notes: Vec<String> = Vec::new();
    // pulldown-cmark: `<div class="footnote-definition" id="a"><sup
    // class="footnote-definition-label">1</sup>…</div>`, where written.
    while let Some(start) = text.find(DEFINITION) {
        let Some(end) = element_end(&text, start, "div") else {
            break;
        };
        let inner = &text[start..end - "</div>".len()];
        let body = inner.split_once("</sup>").map_or(inner, |(_, b)| b);
        notes.push(body.to_string());
        text.replace_range(start..end, "");
    }
    // brum: one list at the end; each note `<li id="fn-N">…` with a
    // "Back to reference" link unless nothing refers to it.
    if let Some(start) = text.rfind(SECTION) {
        let list = text[start + SECTION.len()..].to_string();
        let list = list.strip_suffix("</ol>\n</section>\n").unwrap_or(&list);
        for item in list.split("<li id=\"fn-").skip(1) {
            let body = item.split_once(">\n").map_or(item, |(_, b)| b);
            let body = body.strip_suffix("</li>\n").unwrap_or(body);
            let body = match body.rfind("<a href=\"#fnref-") {
                Some(back) if body[back..].contains("class=\"footnote-back\"") => &body[..back],
                _ => body,
            };
            notes.push(body.to_string());
        }
        text.truncate(start);
    }
    text = marked(text);
    let mut notes: Vec<String> = notes.into_iter().map(marked).collect();
    notes.sort();
    let mut out = tight(&text);
    for note in notes {
        out.push_str("\n[note]");
        out.push_str(&tight(&note));
    }
    out
}

/// The start of a note reference: pulldown-cmark's `footnote-reference`,
/// brum's `footnote-ref`.
const REFERENCE: &str = "<sup class=\"footnote-ref";

/// Each note reference (pulldown-cmark's `footnote-reference`, brum's
/// `footnote-ref`) replaced by a mark: their numbers and targets differ.
fn marked(mut html: String) -> String {
    while let Some(start) = html.find(REFERENCE) {
        let Some(end) = element_end(&html, start, "sup") else {
            break;
        };
        html.replace_range(start..end, "[^]");
    }
    html
}

/// Without white space next to tags: a note taken out of a list item leaves
/// the line break that stood before it.
fn tight(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut pending_space = false;
    for c in html.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && c != '<' && !out.ends_with('>') && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// Elements inside which words run on: no space between them and the text
/// around them.
const INLINE: [&str; 12] = [
    "a", "em", "strong", "del", "code", "sup", "sub", "span", "img", "input", "s", "mark",
];

/// The words a reader sees (and image descriptions), without note numbers
/// and "Back to reference" links, which both sides write their own way.
fn words(html: &str) -> Vec<String> {
    let mut text = String::new();
    // Inside a note number or back link: its end tag, and nesting depth.
    let mut skipping: Option<(String, usize)> = None;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_string();
                if let Some((skip, depth)) = &mut skipping {
                    if *skip == name {
                        *depth += 1;
                    }
                    continue;
                }
                let class = tag
                    .attributes
                    .get(b"class".as_slice())
                    .map(|v| String::from_utf8_lossy(v).to_string())
                    .unwrap_or_default();
                // Note numbers (`<sup class="footnote-…">`) and back links.
                if (name == "sup" && class.starts_with("footnote-")) || class == "footnote-back" {
                    skipping = Some((name, 1));
                    continue;
                }
                if let Some(alt) = tag.attributes.get(b"alt".as_slice()) {
                    text.push_str(&String::from_utf8_lossy(alt));
                }
                if !INLINE.contains(&name.as_str()) {
                    text.push(' ');
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_string();
                if let Some((skip, depth)) = &mut skipping {
                    if *skip == name {
                        *depth -= 1;
                        if *depth == 0 {
                            skipping = None;
                        }
                    }
                    continue;
                }
                if !INLINE.contains(&name.as_str()) {
                    text.push(' ');
                }
            }
            Token::String(s) if skipping.is_none() => text.push_str(&String::from_utf8_lossy(&s)),
            _ => {}
        }
    }
    text.split_whitespace().map(str::to_string).collect()
}

/// Words in `theirs` missing from `ours` (lost), and the other way (added).
fn word_difference(theirs: &[String], ours: &[String]) -> (Vec<String>, Vec<String>) {
    let mut count: BTreeMap<&str, i64> = BTreeMap::new();
    for w in theirs {
        *count.entry(w).or_default() += 1;
    }
    for w in ours {
        *count.entry(w).or_default() -= 1;
    }
    let (mut lost, mut added) = (Vec::new(), Vec::new());
    for (w, n) in count {
        let list = if n > 0 { &mut lost } else { &mut added };
        list.extend(std::iter::repeat_n(
            w.to_string(),
            n.unsigned_abs() as usize,
        ));
    }
    (lost, added)
}

/// Note links (in a note mark, and back from a note) in brum's HTML that
/// lead to no id in it.
fn dangling_note_links(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut targets = Vec::new();
    let mut in_mark = false;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let attr = |key: &str| {
                    tag.attributes
                        .get(key.as_bytes())
                        .map(|v| String::from_utf8_lossy(v).to_string())
                };
                let class = attr("class").unwrap_or_default();
                if &*tag.name == b"sup" && class.starts_with("footnote-") {
                    in_mark = true;
                }
                ids.extend(attr("id"));
                if &*tag.name == b"a"
                    && (in_mark || class == "footnote-back")
                    && let Some(href) = attr("href")
                {
                    targets.push(href.strip_prefix('#').unwrap_or(&href).to_string());
                }
            }
            Token::EndTag(tag) if &*tag.name == b"sup" => in_mark = false,
            _ => {}
        }
    }
    targets.retain(|t| !ids.contains(t));
    targets
}

#[test]
fn every_suite_input_keeps_its_words_and_differs_only_as_intended() {
    let inputs = inputs();
    // pulldown-cmark 0.13.6's suite: as many inputs as it has tests.
    assert_eq!(inputs.len(), 1154);
    let mut problems = Vec::new();
    let mut identical = 0;
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, text) in &inputs {
        let theirs = pulldown_html(text);
        let Ok(ours) = catch_unwind(AssertUnwindSafe(|| brum_html(text))) else {
            problems.push(format!("{name}: brum panicked"));
            continue;
        };
        let (lost, added) = word_difference(&words(&theirs), &words(&ours));
        if !lost.is_empty() || !added.is_empty() {
            problems.push(format!("{name}: lost {lost:?}, added {added:?}\n{ours}"));
        }
        let dangling = dangling_note_links(&ours);
        if !dangling.is_empty() {
            problems.push(format!(
                "{name}: note links to nowhere {dangling:?}\n{ours}"
            ));
        }
        let ours_ids = heading_ids(&ours);
        if let Some(id) = heading_ids(&theirs)
            .iter()
            .find(|id| !ours_ids.contains(id))
        {
            problems.push(format!(
                "{name}: the heading id {id:?} the author set is gone"
            ));
        }
        if without_heading_ids(&ours) == without_heading_ids(&theirs) {
            identical += 1;
            continue;
        }
        let (mut a, mut b) = (ours.clone(), theirs.clone());
        for kind in INTENDED {
            let (ua, ub) = ((kind.undo)(&a), (kind.undo)(&b));
            if (ua != a || ub != b) && kind.name != "heading ids" {
                *by_kind.entry(kind.name).or_default() += 1;
            }
            (a, b) = (ua, ub);
        }
        if a != b {
            problems.push(format!(
                "{name}: a difference not in INTENDED\n--- input\n{text}\n--- pulldown-cmark\n{theirs}\n--- brum\n{ours}\n--- A\n{a}\n--- B\n{b}"
            ));
        }
    }
    let differing = inputs.len() - identical;
    println!(
        "{} inputs: {identical} identical once heading ids are set aside, {differing} with intended differences {by_kind:?}",
        inputs.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn author_heading_ids_are_kept() {
    let html = brum_html("# Title {#top-of-page}\n\n## Plans\n");
    assert_eq!(heading_ids(&html), ["top-of-page", "plans"]);
}

/// The comparison itself: a lost word, a moved note and a dangling link are
/// each seen.
#[test]
fn the_comparison_sees_lost_words_and_dangling_note_links() {
    let (lost, added) = word_difference(
        &words("<p>Write <em>to</em> us</p>"),
        &words("<p>Write us <sup class=\"footnote-ref\"><a href=\"#fn-1\">1</a></sup></p>"),
    );
    assert_eq!((lost, added), (vec!["to".to_string()], vec![]));
    // pulldown-cmark's reference to a note brum dropped, as it did.
    assert_eq!(
        dangling_note_links(
            "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>\
             <sup class=\"footnote-reference\"><a href=\"#b\">1</a></sup><a href=\"#top\">top</a>\
             <li id=\"fn-1\"><a href=\"#fnref-1\" class=\"footnote-back\">Back</a>\
             <a href=\"#fnref-2\" class=\"footnote-back\">Back</a></li>"
        ),
        ["b", "fnref-2"]
    );
    let theirs = pulldown_html("Text[^a].\n\n[^a]: Note.\n");
    let ours = brum_html("Text[^a].\n\n[^a]: Note.\n");
    assert_ne!(theirs, ours);
    assert_eq!(notes_apart(&theirs), notes_apart(&ours));
    assert_eq!(notes_apart(&ours), "<p>Text[^].</p>\n[note]<p>Note.</p>");
}
