//! Markdown as authors write it, as readers get it.

use crate::support::{TestSite, hrefs, main_of, shown};

#[test]
fn tables_footnotes_strikethrough_tasks_smart_punctuation_and_heading_ids() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let html = site.page("stories/markdown-features/index.html");
    let main = main_of(&html);
    assert!(main.contains("“Quotes” and – dashes"), "smart punctuation");
    assert!(
        main.contains("<table>")
            && main.contains("<th>Ward</th>")
            && main.contains("<td>Aston</td>")
    );
    assert!(main.contains("<del>old</del>"));
    assert!(main.contains("type=\"checkbox\" disabled checked aria-label=\"Done\""));
    assert!(main.contains("type=\"checkbox\" disabled aria-label=\"Not done yet\""));
    // Two headings with the same text get distinct, stable ids.
    assert!(
        main.contains("<h2 id=\"plans\">Plans</h2>")
            && main.contains("<h2 id=\"plans-1\">Plans</h2>")
    );
    // The footnote reference and the note link to each other.
    assert!(main.contains("href=\"#fn-1\" id=\"fnref-1\""));
    assert!(main.contains("<li id=\"fn-1\">") && main.contains("href=\"#fnref-1\""));
    assert!(main.contains("Where the figure comes from."));
}

#[test]
fn summary_is_the_text_before_the_more_marker() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let list = main_of(&site.page("stories/index.html")).to_string();
    assert!(list.contains("“Quotes” and – dashes in the first paragraph."));
    assert!(
        !list.contains("Where the figure comes from"),
        "only the summary is listed"
    );
    // The front matter summary wins over the first paragraph.
    let page2 = site.page("stories/page/2/index.html");
    assert!(
        page2.contains("Apprenticeships that <em>stay</em> in the city."),
        "{page2}"
    );
}

#[test]
fn relative_links_to_content_files_and_bundle_files_resolve() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let jobs = site.page("stories/jobs-for-young-people/index.html");
    assert!(hrefs(main_of(&jobs)).contains(&"/partners/the-mac/".to_string()));
    let bundle = site.page("stories/bundle-story/index.html");
    let main = main_of(&bundle);
    assert!(
        hrefs(main).contains(&"/partners/the-mac/".to_string()),
        "../../partners/the-mac.md from a bundle"
    );
    assert!(hrefs(main).contains(&"/stories/bundle-story/notes.txt".to_string()));
    assert!(main.contains("src=\"/stories/bundle-story/photo-4w-"));
    assert!(
        main.contains("alt=\"A red square on a white wall\""),
        "the front matter image and its alt text"
    );
}

/// A story as authors write them: an email autolink, a note that cites
/// another note, a note nothing cites yet... and a summary that links to a
/// place further down.
const NOTES_STORY: &str = "+++
title = \"Notes from the canal\"
date = 2015-07-02
+++

Write to us at <hello@birminghampartners.com>, or read [where we meet](#where-we-meet).

The towpath reopened in May[^reopened], after two years[^works].

## Where we meet

At the basin[^reopened].

[^reopened]: The council's notice[^notice] gives the date.
[^works]: Repairs to the lock gates.
[^notice]: Notice 42 of 2015, posted at the lock.
";

/// Every `#fragment` link in `html` leads to an id in it.
fn assert_places_exist(html: &str) {
    for href in hrefs(html) {
        if let Some(id) = href.strip_prefix('#') {
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "#{id} leads nowhere in {html}"
            );
        }
    }
}

#[test]
fn a_story_with_an_email_autolink_and_nested_notes_builds_and_checks_clean() {
    let site = TestSite::fixture("check-clean");
    site.write("content/stories/notes-from-the-canal.md", NOTES_STORY);
    site.build_ok(&[]);
    let page = site.page("stories/notes-from-the-canal/index.html");
    let main = main_of(&page);
    assert!(
        main.contains(
            "<a href=\"mailto:hello@birminghampartners.com\">hello@birminghampartners.com</a>"
        ),
        "{main}"
    );
    assert_places_exist(main);
    // In the order first referenced: the two from the text, then the one
    // cited from the first note; both references to note 1 lead to it.
    assert!(
        main.contains(
            "May<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>"
        )
    );
    assert!(
        main.contains(
            "years<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\">2</a></sup>"
        )
    );
    assert!(main.contains(
        "basin<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1-2\">1</a></sup>"
    ));
    assert!(main.contains(
        "notice<sup class=\"footnote-ref\"><a href=\"#fn-3\" id=\"fnref-3\">3</a></sup> gives the date."
    ));
    assert!(main.contains(
        "<li id=\"fn-3\">\n<p>Notice 42 of 2015, posted at the lock.</p>\n<a href=\"#fnref-3\" class=\"footnote-back\">Back to reference 3</a>"
    ));
    // The summary's link leads to the story's heading from the story list.
    let list = site.page("stories/index.html");
    assert!(
        list.contains("<a href=\"/stories/notes-from-the-canal/#where-we-meet\">where we meet</a>"),
        "{list}"
    );
    let run = site.brum("check", &["--deny-warnings"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.ends_with(": no problems found\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_reports_email_addresses_that_are_not_whole_and_notes_nothing_refers_to() {
    let site = TestSite::fixture("check-clean");
    site.write(
        "content/stories/loose-ends.md",
        "+++
title = \"Loose ends\"
date = 2015-07-02
+++

Mail [the team](mailto:hello@birminghampartners) or <hello@birminghampartners.com>.

Text[^a].

[^a]: Cited.
[^spare]: Nothing cites this, though it cites another[^orphan].
[^A]: A second note a.
[^orphan]: Cited only from a note nothing cites.
",
    );
    let run = site.brum("check", &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let found: Vec<_> = shown(&run.stderr)
        .into_iter()
        .map(|d| (d.severity, d.path, d.line, d.column, d.message))
        .collect();
    let at = |severity: &str, line, column, message: &str| {
        (
            severity.to_string(),
            "content/stories/loose-ends.md".to_string(),
            Some(line),
            Some(column),
            message.to_string(),
        )
    };
    assert_eq!(
        found,
        [
            at(
                "error",
                6,
                17,
                "`hello@birminghampartners` is not a whole email address"
            ),
            at(
                "warning",
                11,
                1,
                "nothing in the text refers to the note `[^spare]`"
            ),
            at(
                "warning",
                12,
                1,
                "the note `[^A]` is defined twice: references lead to the first"
            ),
            at(
                "warning",
                13,
                1,
                "nothing in the text refers to the note `[^orphan]`"
            ),
        ],
        "{}",
        run.stderr
    );
    // Their words are on the page all the same.
    site.build_ok(&[]);
    let page = site.page("stories/loose-ends/index.html");
    for words in [
        "Nothing cites this",
        "A second note a.",
        "Cited only from a note nothing cites.",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
}

/// A broken `#place` written in a story is reported once, at the story's
/// line: not again at the templates of the pages that show the story's
/// summary or text, however the page spells the address.
#[test]
fn a_broken_place_in_a_story_is_reported_at_the_story_only() {
    let site = TestSite::fixture("check-clean");
    site.write(
        "content/stories/cafes.md",
        "+++
title = \"Cafés\"
date = 2015-07-02
+++

See [the café](#café-cultur), [the plans](<#our plans>) and [the walk](#where-we-walk).

## Café culture
",
    );
    let run = site.brum("check", &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let found: Vec<_> = shown(&run.stderr)
        .into_iter()
        .map(|d| {
            (
                d.path,
                d.line,
                d.column,
                d.message,
                d.help.unwrap_or_default(),
            )
        })
        .collect();
    let story = "content/stories/cafes.md".to_string();
    assert_eq!(
        found,
        [
            (
                story.clone(),
                Some(6),
                16,
                "there is no `#café-cultur` on /stories/cafes/".to_string(),
                "did you mean `#café-culture`?".to_string()
            ),
            (
                story.clone(),
                Some(6),
                44,
                "there is no `#our plans` on /stories/cafes/".to_string(),
                "the only place on that page is `#café-culture`".to_string()
            ),
            (
                story,
                Some(6),
                72,
                "there is no `#where-we-walk` on /stories/cafes/".to_string(),
                "the only place on that page is `#café-culture`".to_string()
            ),
        ]
        .map(|(p, l, c, m, h)| (p, l, Some(c), m, h)),
        "{}",
        run.stderr
    );
}

/// A summary written in front matter shows on the story lists: its broken
/// links are reported at the summary, not at the lists' templates.
#[test]
fn a_broken_place_in_a_front_matter_summary_is_reported_at_the_summary() {
    let site = TestSite::fixture("check-clean");
    site.write(
        "content/stories/plans.md",
        "+++
title = \"Plans\"
date = 2015-07-02
summary = \"What we mean to do: [the places](#places), [the plans](#plan).\"
+++

## Plans

## Places
",
    );
    let run = site.brum("check", &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let found: Vec<_> = shown(&run.stderr)
        .into_iter()
        .map(|d| {
            (
                d.path,
                d.line,
                d.column,
                d.message,
                d.help.unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "content/stories/plans.md".to_string(),
            Some(4),
            Some(67),
            "there is no `#plan` on /stories/plans/".to_string(),
            "did you mean `#plans`?".to_string()
        )],
        "{}",
        run.stderr
    );
    // The story list leads to the story's places.
    site.build_ok(&[]);
    let list = site.page("stories/index.html");
    assert!(list.contains("href=\"/stories/plans/#places\""), "{list}");
}
