//! Contents lists (`tests/fixtures/components`): a long page lists its
//! headings, nested as they are, linking to ids the page has; a short one
//! does not; front matter's `toc` forces the list or turns it off, and a
//! wrong value is an error at its line; a translation's list is headed in
//! its language.

use crate::support::{TestSite, main_of, shown};

fn built() -> TestSite {
    let site = TestSite::fixture("components");
    site.build_ok(&[]);
    site
}

/// The contents list of a page, if it has one.
fn toc_of(html: &str) -> Option<&str> {
    let start = html.find(r#"<nav class="brum-contents""#)?;
    let end = start + html[start..].find("</nav>")?;
    Some(&html[start..end])
}

/// The list's links as (depth, fragment), depth 1 for the outermost list.
fn entries(toc: &str) -> Vec<(usize, String)> {
    let mut depth = 0;
    let mut out = Vec::new();
    for (i, _) in toc.match_indices('<') {
        let tag = &toc[i..];
        if tag.starts_with("<ol") {
            depth += 1;
        } else if tag.starts_with("</ol>") {
            depth -= 1;
        } else if let Some(rest) = tag.strip_prefix("<a href=\"#") {
            out.push((depth, rest.split('"').next().unwrap().to_string()));
        }
    }
    out
}

fn expected(list: &[(usize, &str)]) -> Vec<(usize, String)> {
    list.iter().map(|&(d, id)| (d, id.to_string())).collect()
}

#[test]
fn a_long_page_lists_its_headings_as_they_nest() {
    let site = built();
    let html = site.page("guide/index.html");
    let toc = toc_of(&html).expect("the guide has a contents list");
    assert!(
        toc.contains(r#"aria-labelledby="brum-contents-title""#)
            && toc.contains(
                r#"<h2 id="brum-contents-title" class="brum-contents__title">Contents</h2>"#
            ),
        "{toc}"
    );
    // Levels 2 to 4; the level-5 heading is not listed.
    let want = [
        (1, "who-can-join"),
        (2, "small-organisations"),
        (2, "organisations-outside-the-city"),
        (1, "what-joining-means"),
        (2, "hosting-an-event"),
        (3, "what-a-venue-needs"),
        (2, "leading-a-conversation"),
        (1, "next-steps"),
        (1, "faq"),
        (2, "next-steps-1"),
    ];
    assert_eq!(entries(toc), expected(&want), "{toc}");
    assert!(toc.contains(">What joining means</a>"), "{toc}");
    assert!(!toc.contains("a-note-on-access"), "{toc}");
    // Every link leads to a heading of the text, and the list comes first.
    let prose = &html[html.find(r#"<div class="brum-prose">"#).unwrap()..];
    for (_, id) in entries(toc) {
        let heading = format!(r#" id="{id}">"#);
        assert_eq!(prose.matches(&heading).count(), 1, "{id}");
    }
}

#[test]
fn a_timeline_entry_with_many_headings_has_a_list() {
    let site = built();
    let html = site.page("timeline/consultation/index.html");
    let toc = toc_of(&html).expect("the entry has a contents list");
    assert_eq!(entries(toc).len(), 4, "{toc}");
    assert!(entries(toc).iter().all(|(depth, _)| *depth == 1), "{toc}");
}

#[test]
fn short_texts_and_toc_false_have_no_list() {
    let site = built();
    for page in [
        "about/index.html",
        "stories/canal-walks/index.html",
        "timeline/launch/index.html",
        "stories/a-long-story-unlisted/index.html",
        "index.html",
        "stories/index.html",
        "partners/the-mac/index.html",
    ] {
        let html = site.page(page);
        assert!(toc_of(&html).is_none(), "{page} has a contents list");
        assert!(!html.contains("brum-contents"), "{page}");
    }
    // Turned off, not missing: its headings are there.
    let unlisted = site.page("stories/a-long-story-unlisted/index.html");
    assert!(
        unlisted.contains(r#"<h2 id="the-year-after">"#),
        "{unlisted}"
    );
}

#[test]
fn toc_true_lists_even_two_headings() {
    let site = built();
    let html = site.page("stories/a-short-story-listed/index.html");
    let toc = toc_of(main_of(&html)).expect("the story asked for a list");
    let want = [(1, "the-morning"), (1, "the-evening")];
    assert_eq!(entries(toc), expected(&want), "{toc}");
}

#[test]
fn a_skipped_level_nests_under_the_heading_above() {
    let site = TestSite::fixture("components");
    site.write(
        "content/pages/skips.md",
        "+++\ntitle = \"Skips\"\ntoc = true\n+++\n\n# Beside the title\n\n\
         #### Before any level 2\n\n## Top\n\n#### Deep\n\n### Less deep\n",
    );
    site.build_ok(&[]);
    let html = site.page("skips/index.html");
    let want = [
        (1, "before-any-level-2"),
        (1, "top"),
        (2, "deep"),
        (2, "less-deep"),
    ];
    assert_eq!(entries(toc_of(&html).unwrap()), expected(&want));
}

#[test]
fn a_toc_that_is_not_true_or_false_is_an_error_at_its_line() {
    let site = TestSite::fixture("components");
    site.write(
        "content/stories/bad-toc.md",
        "+++\ntitle = \"Bad\"\ndate = 2015-07-12\ntoc = \"yes\"\n+++\n\nText.\n",
    );
    let run = site.build(&[]);
    assert!(!run.success);
    let found = shown(&run.stderr);
    assert_eq!(found.len(), 1, "{}", run.stderr);
    let d = &found[0];
    assert_eq!(
        (d.path.as_str(), d.line, d.column),
        ("content/stories/bad-toc.md", Some(4), Some(7)),
        "{}",
        run.stderr
    );
    assert_eq!(
        d.message, "`toc` must be true or false, found the string \"yes\"",
        "{}",
        run.stderr
    );
}

#[test]
fn the_fixtures_lists_pass_brum_check() {
    let site = TestSite::fixture("components");
    // The footer links to these; the fixture has no need of them otherwise.
    for page in ["accessibility", "privacy"] {
        let text = format!("+++\ntitle = \"{page}\"\n+++\n\nText.\n");
        site.write(&format!("content/pages/{page}.md"), text);
    }
    let run = site.brum("check", &["--deny-warnings"]);
    assert!(run.success, "{}", run.stderr);
}

#[test]
fn a_translation_takes_toc_from_its_original_and_heads_it_in_its_language() {
    let site = TestSite::fixture("languages");
    let sections = |names: [&str; 2]| names.map(|n| format!("## {n}\n\nText.\n\n")).concat();
    site.write(
        "content/pages/about.md",
        format!(
            "+++\ntitle = \"About\"\nmenu = true\ntoc = true\n+++\n\n{}",
            sections(["Who we are", "What we do"])
        ),
    );
    site.write(
        "content/pages/about.ur.md",
        format!(
            "+++\ntitle = \"ہمارے بارے میں\"\n+++\n\n{}",
            sections(["ہم کون ہیں", "ہم کیا کرتے ہیں"])
        ),
    );
    site.write(
        "content/pages/about.pl.md",
        format!(
            "+++\ntitle = \"O nas\"\nslug = \"o-nas\"\n+++\n\n{}",
            sections(["Kim jesteśmy", "Co robimy"])
        ),
    );
    site.build_ok(&[]);
    for (page, word) in [
        ("about/index.html", ">Contents</h2>"),
        ("ur/about/index.html", ">فہرست مضامین</h2>"),
        ("pl/o-nas/index.html", ">Spis treści</h2>"),
    ] {
        let html = site.page(page);
        let toc = toc_of(&html).unwrap_or_else(|| panic!("{page} has no list"));
        assert!(toc.contains(word), "{page}: {toc}");
        assert_eq!(entries(toc).len(), 2, "{page}: {toc}");
    }
}

#[test]
fn check_still_sees_a_text_that_skips_a_level_under_its_contents_list() {
    let site = TestSite::fixture("components");
    site.write(
        "content/pages/starts-deep.md",
        "+++\ntitle = \"Starts deep\"\ntoc = true\n+++\n\n### Too deep\n\nText.\n\n## Then right\n",
    );
    let run = site.brum("check", &[]);
    let found = shown(&run.stderr);
    let d = found
        .iter()
        .find(|d| d.message.contains("skips a level"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert_eq!(d.path, "content/pages/starts-deep.md");
    assert_eq!(d.line, Some(6));
    assert!(
        d.message.contains("level-3 heading after a level-1 one"),
        "{}",
        d.message
    );
}
