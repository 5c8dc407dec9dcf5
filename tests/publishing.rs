//! Drafts and future-dated stories: out by default, in with `--drafts`.

use crate::support::{TestSite, main_of, text_of};

#[test]
fn drafts_and_future_stories_are_left_out_by_default() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    assert!(!site.out().join("stories/a-draft").exists());
    assert!(!site.out().join("stories/the-future").exists());
    assert!(!site.out().join("partners/hidden").exists());
    let feed = site.page("feed.xml");
    assert!(!feed.contains("A draft story") && !feed.contains("A story from the future"));
    let culture = text_of(main_of(&site.page("topics/culture/index.html")));
    assert!(!culture.contains("A story from the future"));
}

#[test]
fn drafts_flag_includes_drafts_and_future_stories() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--drafts"]);
    let draft = site.page("stories/a-draft/index.html");
    assert!(text_of(main_of(&draft)).contains("Not ready yet."));
    assert!(
        text_of(main_of(&draft)).to_lowercase().contains("draft"),
        "a visible draft badge"
    );
    assert!(site.out().join("stories/the-future/index.html").is_file());
    assert!(site.out().join("partners/hidden/index.html").is_file());
    let newest = text_of(main_of(&site.page("stories/index.html")));
    assert!(
        newest.contains("A story from the future"),
        "the future story is the newest"
    );
}

#[test]
fn a_story_dated_later_today_waits_for_its_time() {
    let site = TestSite::fixture("basic");
    // The fixture clock is 2015-10-01T00:00:00Z.
    site.write(
        "content/stories/tonight.md",
        "+++\ntitle = \"Tonight\"\ndate = 2015-10-01T18:00:00+01:00\n+++\nLater.\n",
    );
    site.write(
        "content/stories/this-morning.md",
        "+++\ntitle = \"Early\"\ndate = 2015-10-01T00:30:00+01:00\n+++\nEarlier.\n",
    );
    site.build_ok(&[]);
    assert!(!site.out().join("stories/tonight").exists());
    assert!(
        site.out().join("stories/this-morning/index.html").is_file(),
        "00:30 BST is 23:30 UTC the day before"
    );
}
