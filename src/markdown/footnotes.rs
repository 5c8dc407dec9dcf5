//! Footnotes: definitions lifted out of the text into a numbered list at
//! the end, with links both ways.

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// A footnote definition, lifted out of the text.
struct Note<'a> {
    /// Its label as references match it: case-folded.
    key: String,
    events: Vec<(Event<'a>, usize)>,
    /// Its number, once referenced (or once listed unreferenced).
    number: Option<usize>,
    /// References to it found so far.
    refs: usize,
}

/// Labels match whatever their case, as pulldown-cmark matches them.
fn fold_label(label: &str) -> String {
    label.to_lowercase()
}

/// Moves footnote definitions to a numbered list at the end, with links both
/// ways. Notes are numbered in the order they are first referenced, from the
/// text or from another note (so a note referenced only from a note comes
/// after it); notes that nothing references follow, in the order written,
/// because every word an author wrote belongs on the page. Ids are `fn-N` and
/// `fnref-N`, which headings never take. Returns the events and how many of
/// them are the text before the notes.
pub(super) fn footnotes(events: Vec<(Event, usize)>) -> (Vec<(Event, usize)>, usize) {
    if !events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    }) {
        let len = events.len();
        return (events, len);
    }
    let mut body = Vec::with_capacity(events.len());
    let mut notes: Vec<Note> = Vec::new();
    // Definitions being read, innermost last. pulldown-cmark ends one before
    // it starts the next, but a definition in a definition must not swallow
    // or drop the other's text if that ever changes.
    let mut open: Vec<usize> = Vec::new();
    for (event, offset) in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                notes.push(Note {
                    key: fold_label(&label),
                    events: Vec::new(),
                    number: None,
                    refs: 0,
                });
                open.push(notes.len() - 1);
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                open.pop();
            }
            e => match open.last() {
                Some(&i) => notes[i].events.push((e, offset)),
                None => body.push((e, offset)),
            },
        }
    }
    // References lead to the first definition of their label, as in
    // pulldown-cmark and GFM; a second one is listed as a note of its own.
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, note) in notes.iter().enumerate() {
        first.entry(note.key.clone()).or_insert(i);
    }
    let mut order: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(body.len() + 8 * notes.len() + 2);
    link_references(body, &mut notes, &first, &mut order, &mut out);
    let body_len = out.len();
    if notes.is_empty() {
        return (out, body_len);
    }
    // Each note's references may number more notes, so the list grows while
    // it is written.
    let mut listed: Vec<Vec<(Event, usize)>> = Vec::with_capacity(notes.len());
    let mut unreferenced = 0;
    loop {
        if listed.len() == order.len() {
            while notes.get(unreferenced).is_some_and(|n| n.number.is_some()) {
                unreferenced += 1;
            }
            if unreferenced == notes.len() {
                break;
            }
            number(&mut notes, &mut order, unreferenced);
        }
        let events = std::mem::take(&mut notes[order[listed.len()]].events);
        let mut linked = Vec::with_capacity(events.len());
        link_references(events, &mut notes, &first, &mut order, &mut linked);
        listed.push(linked);
    }
    out.push((
        Event::Html(CowStr::from(
            "<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n",
        )),
        0,
    ));
    for (i, events) in listed.into_iter().enumerate() {
        let n = i + 1;
        out.push((
            Event::Html(CowStr::from(format!("<li id=\"fn-{n}\">\n"))),
            0,
        ));
        out.extend(events);
        let mut end = String::new();
        // A note nothing references has nowhere to go back to.
        if notes[order[i]].refs > 0 {
            let _ = writeln!(
                end,
                "<a href=\"#fnref-{n}\" class=\"footnote-back\">Back to reference {n}</a>"
            );
        }
        end.push_str("</li>\n");
        out.push((Event::Html(CowStr::from(end)), 0));
    }
    out.push((Event::Html(CowStr::from("</ol>\n</section>\n")), 0));
    (out, body_len)
}

/// The number of note `i`, given it now if it has none.
fn number(notes: &mut [Note], order: &mut Vec<usize>, i: usize) -> usize {
    match notes[i].number {
        Some(n) => n,
        None => {
            order.push(i);
            notes[i].number = Some(order.len());
            order.len()
        }
    }
}

/// Copies `events` to `out`, each footnote reference made a numbered link to
/// its note, with an id for the note to link back to.
fn link_references<'a>(
    events: Vec<(Event<'a>, usize)>,
    notes: &mut [Note<'a>],
    first: &HashMap<String, usize>,
    order: &mut Vec<usize>,
    out: &mut Vec<(Event<'a>, usize)>,
) {
    for (event, offset) in events {
        let Event::FootnoteReference(label) = event else {
            out.push((event, offset));
            continue;
        };
        let Some(&i) = first.get(&fold_label(&label)) else {
            // pulldown-cmark makes no reference without a definition; should
            // one come, its words stay as written.
            out.push((Event::Text(CowStr::from(format!("[^{label}]"))), offset));
            continue;
        };
        let n = number(notes, order, i);
        notes[i].refs += 1;
        let id = match notes[i].refs {
            1 => format!("fnref-{n}"),
            k => format!("fnref-{n}-{k}"),
        };
        out.push((
            Event::InlineHtml(CowStr::from(format!(
                "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\">{n}</a></sup>"
            ))),
            offset,
        ));
    }
}
