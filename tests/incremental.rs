//! The live preview's incremental rebuilds give exactly what a cold build of
//! the same files gives, over a run of edits, additions, renames and
//! deletions; and an edit re-renders only the pages it can change.

use std::collections::BTreeMap;
use std::fs;

use brum::serve::engine::{Change, Incremental, Outcome};

use crate::support::{EPOCH, TestSite, snapshot};

fn options(site: &TestSite) -> brum::Options {
    let mut o = brum::Options::new(site.root());
    o.now = chrono::DateTime::from_timestamp(EPOCH.parse().unwrap(), 0).unwrap();
    o.drafts = true;
    o.base_url = Some("http://127.0.0.1:1111/".into());
    o
}

/// The in-memory site, as bytes.
fn served(inc: &Incremental) -> BTreeMap<String, Vec<u8>> {
    let snapshot = inc.snapshot();
    snapshot
        .files
        .iter()
        .map(|(path, file)| {
            (
                path.clone(),
                file.bytes(&snapshot.root).unwrap().into_owned(),
            )
        })
        .collect()
}

/// Every file of a cold build of the same files, as bytes.
fn cold_build(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let out = site.root().join("../cold");
    let o = brum::BuildOptions {
        site: options(site),
        output: Some(out.clone()),
    };
    brum::build(&o).unwrap();
    snapshot(&out)
}

/// A cold build of the same files, as bytes: the site without its search
/// index.
fn cold(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let mut files = cold_build(site);
    // The build's record of what it wrote, for the next build; not a page.
    files.remove(brum::output::MANIFEST);
    // The search index: `brum serve` builds it apart from the site, on a
    // thread of its own (tested in serve.rs).
    files.retain(|path, _| !path.starts_with("pagefind/"));
    files
}

fn assert_same(inc: &Incremental, site: &TestSite, step: &str) {
    let hot = served(inc);
    let cold = cold(site);
    let hot_paths: Vec<_> = hot.keys().collect();
    let cold_paths: Vec<_> = cold.keys().collect();
    assert_eq!(hot_paths, cold_paths, "after {step}: different files");
    for (path, bytes) in &cold {
        assert!(
            hot[path] == *bytes,
            "after {step}: {path} differs from a cold build"
        );
    }
}

/// An edit to one file re-renders its page and the few that show it, not
/// the whole site.
fn assert_few_rendered(edit: &Outcome) {
    assert!(
        edit.rendered >= 1 && edit.rendered < edit.pages / 2,
        "rendered {} of {}",
        edit.rendered,
        edit.pages
    );
}

fn content(site: &TestSite, rel: &str) -> Change {
    Change::Content(site.root().join(rel))
}

#[test]
fn incremental_rebuilds_equal_cold_builds_over_a_run_of_edits() {
    let site = TestSite::fixture("basic");
    let mut inc = Incremental::new(options(&site), false);
    let first = inc.rebuild(&[]).unwrap();
    assert_eq!(
        first.rendered, first.pages,
        "the first build renders everything"
    );
    assert_same(&inc, &site, "the first build");

    // Edit one story's body: its page and the lists it is on, not the rest.
    let path = "content/stories/canal-walks.md";
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, text.replace("quiet network", "quiet, green network"));
    let edit = inc.rebuild(&[content(&site, path)]).unwrap();
    assert_few_rendered(&edit);
    assert_same(&inc, &site, "editing a story");

    // Add a story.
    site.write("content/stories/new-one.md", "+++\ntitle = \"A new one\"\ndate = 2015-09-20\ntopics = [\"economy\"]\npartner = \"the-mac\"\n+++\nFresh.\n");
    inc.rebuild(&[content(&site, "content/stories/new-one.md")])
        .unwrap();
    assert_same(&inc, &site, "adding a story");

    // Rename a story file (its address changes; a link to it moves).
    fs::rename(
        site.root().join("content/stories/new-one.md"),
        site.root().join("content/stories/renamed.md"),
    )
    .unwrap();
    inc.rebuild(&[
        content(&site, "content/stories/new-one.md"),
        content(&site, "content/stories/renamed.md"),
    ])
    .unwrap();
    assert_same(&inc, &site, "renaming a story");

    // Rename the partner that stories link to by file (../partners/the-mac.md).
    site.write(
        "content/partners/the-mac.md",
        fs::read_to_string(site.root().join("content/partners/the-mac.md"))
            .unwrap()
            .replace(
                "name = \"Midlands Arts Centre\"",
                "name = \"mac birmingham\"",
            ),
    );
    inc.rebuild(&[content(&site, "content/partners/the-mac.md")])
        .unwrap();
    assert_same(&inc, &site, "renaming a partner");

    // Delete a story and a bundle file.
    site.remove("content/stories/jobs-for-young-people.md");
    site.remove("content/stories/bundle-story/notes.txt");
    inc.rebuild(&[
        content(&site, "content/stories/jobs-for-young-people.md"),
        content(&site, "content/stories/bundle-story/notes.txt"),
    ])
    .unwrap();
    assert_same(&inc, &site, "deleting files");

    // A site template overriding the theme's: every page may change.
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html lang=\"en\"><title>x</title><p>Lost? {{ site.title }}</p></html>",
    );
    inc.rebuild(&[Change::Templates(site.root().join("templates/404.html"))])
        .unwrap();
    assert_same(&inc, &site, "adding a template");

    // site.toml: everything.
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        toml.replace("stories_per_page = 2", "stories_per_page = 3"),
    );
    inc.rebuild(&[Change::Config]).unwrap();
    assert_same(&inc, &site, "changing site.toml");

    // A static file.
    site.write("static/extra.css", "body { color: red }");
    let css = inc
        .rebuild(&[Change::Static(site.root().join("static/extra.css"))])
        .unwrap();
    assert!(css.css_only && css.rendered == 0, "{css:?}");
    assert_same(&inc, &site, "adding a stylesheet");
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_a_fix_recovers() {
    let site = TestSite::fixture("basic");
    let mut inc = Incremental::new(options(&site), false);
    inc.rebuild(&[]).unwrap();
    let good = served(&inc);
    let path = "content/stories/canal-walks.md";
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        text.replace("topics = [\"culture\"]", "topics = [\"cultur\"]"),
    );
    let err = inc.rebuild(&[content(&site, path)]).unwrap_err();
    assert!(err.to_string().contains("unknown topic `cultur`"), "{err}");
    assert!(served(&inc) == good, "the last good site is still served");
    site.write(path, text.replace("quiet network", "mended network"));
    inc.rebuild(&[content(&site, path)]).unwrap();
    assert_same(&inc, &site, "the fix");
    assert!(
        String::from_utf8_lossy(&served(&inc)["stories/canal-walks/index.html"])
            .contains("mended network")
    );
}

#[test]
fn a_missed_event_is_caught_by_the_file_stamp() {
    let site = TestSite::fixture("basic");
    let mut inc = Incremental::new(options(&site), false);
    inc.rebuild(&[]).unwrap();
    let path = "content/stories/canal-walks.md";
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        text.replace("quiet network", "unannounced network, longer"),
    );
    // No Change::Content for it: the size differs, so it is read again.
    inc.rebuild(&[]).unwrap();
    assert_same(&inc, &site, "an edit without an event");
}

#[test]
fn translations_rebuild_incrementally_like_any_other_file() {
    let site = TestSite::fixture("languages");
    let mut inc = Incremental::new(options(&site), false);
    inc.rebuild(&[]).unwrap();
    assert_same(&inc, &site, "the first build");

    // Edit a translation: its page changes, the rest of the site does not.
    let path = "content/stories/canal-walks.ur.md";
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, text.replace("ہر ہفتے", "ہر ہفتے صبح"));
    let edit = inc.rebuild(&[content(&site, path)]).unwrap();
    assert_few_rendered(&edit);
    assert_same(&inc, &site, "editing a translation");

    // Edit the original: the translation takes its new date.
    let path = "content/stories/canal-walks.md";
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, text.replace("date = 2015-09-01", "date = 2015-09-03"));
    inc.rebuild(&[content(&site, path)]).unwrap();
    assert_same(&inc, &site, "editing an original");

    // Add a translation, then delete one.
    site.write(
        "content/partners/city-council.pl.md",
        "+++\nname = \"Rada Miasta\"\n+++\nRada.\n",
    );
    inc.rebuild(&[content(&site, "content/partners/city-council.pl.md")])
        .unwrap();
    assert_same(&inc, &site, "adding a translation");
    site.remove("content/pages/about.pl.md");
    inc.rebuild(&[content(&site, "content/pages/about.pl.md")])
        .unwrap();
    assert_same(&inc, &site, "deleting a translation");

    // A language's settings in site.toml.
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        toml.replace("title = \"Partnerzy Fixture\"", "title = \"Partnerzy\""),
    );
    inc.rebuild(&[Change::Config]).unwrap();
    assert_same(&inc, &site, "changing a language's title");
}

#[test]
fn a_data_file_edit_is_shown_as_a_cold_build_shows_it() {
    let site = TestSite::fixture("components");
    let mut inc = Incremental::new(options(&site), false);
    inc.rebuild(&[]).unwrap();
    let not_found =
        |inc: &Incremental| String::from_utf8_lossy(&served(inc)["404.html"]).into_owned();
    assert!(not_found(&inc).contains("12 commitments"));

    // Edit a data file: the pages that show it change, as a cold build's.
    let path = "data/commitments.toml";
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, text.replace("total = 12", "total = 13"));
    let data = Change::Data(site.root().join(path));
    inc.rebuild(std::slice::from_ref(&data)).unwrap();
    assert!(not_found(&inc).contains("13 commitments"));
    assert_same(&inc, &site, "editing a data file");

    // Nothing changed since: nothing is rendered again.
    let nothing = inc.rebuild(&[]).unwrap();
    assert_eq!(nothing.rendered, 0, "{nothing:?}");

    // Broken, the last good site stays; mended, it is shown.
    site.write(path, "total = \n");
    let err = inc.rebuild(std::slice::from_ref(&data)).unwrap_err();
    assert!(err.to_string().contains("invalid TOML"), "{err}");
    assert!(not_found(&inc).contains("13 commitments"));
    site.write(path, text.replace("total = 12", "total = 14"));
    inc.rebuild(std::slice::from_ref(&data)).unwrap();
    assert!(not_found(&inc).contains("14 commitments"));
    assert_same(&inc, &site, "mending a data file");

    // A new file, then none at all.
    site.write("data/more.json", "{\"a\": 1}");
    inc.rebuild(&[Change::Data(site.root().join("data/more.json"))])
        .unwrap();
    assert_same(&inc, &site, "adding a data file");
    fs::remove_dir_all(site.root().join("data")).unwrap();
    fs::remove_file(site.root().join("templates/404.html")).unwrap();
    inc.rebuild(&[
        Change::Data(site.root().join("data")),
        Change::Templates(site.root().join("templates/404.html")),
    ])
    .unwrap();
    assert_same(&inc, &site, "removing the data folder");
}

/// Every story file of a fixture: `content/stories/x.md` or `…/index.md`.
fn story_files(site: &TestSite) -> Vec<String> {
    let dir = site.root().join("content/stories");
    let mut files: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.file_name() != "_index.md")
        .map(|e| {
            let rel = e.path().strip_prefix(site.root()).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_story_text_edit_made_in_place_equals_a_cold_build_for_every_story() {
    // serve edits the model in place for a save that changes only a story's
    // text, and renders only the pages that show it: here every story of
    // each fixture (translations, components, pictures, bundles) has its
    // first paragraph and its end edited, and the site must be what a cold
    // build makes.
    for fixture in ["basic", "languages", "components", "pictures"] {
        let site = TestSite::fixture(fixture);
        let mut inc = Incremental::new(options(&site), false);
        inc.rebuild(&[]).unwrap();
        for path in story_files(&site) {
            let text = fs::read_to_string(site.root().join(&path)).unwrap();
            let Some((front, body)) = text.rsplit_once("+++\n") else {
                continue;
            };
            let edited =
                format!("{front}+++\nAn opening line, added.\n\n{body}\nA closing line.\n");
            site.write(&path, &edited);
            let edit = inc.rebuild(&[content(&site, &path)]);
            let edit = edit.unwrap_or_else(|e| panic!("{fixture} {path}: {e}"));
            let step = format!("editing the text of {fixture}'s {path}");
            assert!(edit.in_place, "{step}: the site was loaded again");
            assert_few_rendered(&edit);
            assert_same(&inc, &site, &step);
        }
    }
}

#[test]
fn more_than_a_text_edit_loads_the_site_again() {
    let site = TestSite::fixture("basic");
    let mut inc = Incremental::new(options(&site), false);
    inc.rebuild(&[]).unwrap();
    let path = "content/stories/canal-walks.md";
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    // A new title: lists, neighbours and links show it.
    site.write(path, text.replace("title = \"", "title = \"New: "));
    let edit = inc.rebuild(&[content(&site, path)]).unwrap();
    assert!(!edit.in_place, "{edit:?}");
    assert_same(&inc, &site, "retitling a story");
    // A link to a partner page: the partner network changes.
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        format!("{text}\nSee [the council](/partners/city-council/).\n"),
    );
    let edit = inc.rebuild(&[content(&site, path)]).unwrap();
    assert!(!edit.in_place, "{edit:?}");
    assert_same(&inc, &site, "linking to a partner");
    // A save by writing a temporary file and renaming it over the story
    // (sed -i, many editors): the temporary file's event does not stop the
    // edit being made in place.
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        "content/stories/sedX1b2c3",
        format!("{text}\nRenamed into place.\n"),
    );
    fs::rename(
        site.root().join("content/stories/sedX1b2c3"),
        site.root().join(path),
    )
    .unwrap();
    let edit = inc
        .rebuild(&[
            content(&site, "content/stories/sedX1b2c3"),
            content(&site, path),
        ])
        .unwrap();
    assert!(edit.in_place, "{edit:?}");
    assert_same(&inc, &site, "a save through a temporary file");
    // Then a plain text edit is made in place again.
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, format!("{text}\nOne more line.\n"));
    let edit = inc.rebuild(&[content(&site, path)]).unwrap();
    assert!(edit.in_place, "{edit:?}");
    assert_same(&inc, &site, "a text edit after them");
}

/// The preview's search index of `inc`'s site, brought up to date from
/// `records` as `brum serve` does; with how many words it found changed,
/// of how many.
fn hot_index(
    inc: &Incremental,
    records: &mut brum::search::Records,
) -> (BTreeMap<String, Vec<u8>>, (usize, usize)) {
    let update = records.index(&inc.search_documents()).unwrap();
    (update.files, update.words)
}

/// A cold build's search index of the same files.
fn cold_index(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let mut files = cold_build(site);
    files.retain(|path, _| path.starts_with("pagefind/"));
    files
}

fn assert_same_index(hot: &BTreeMap<String, Vec<u8>>, site: &TestSite, step: &str) {
    let cold = cold_index(site);
    assert!(
        cold.keys().any(|k| k.ends_with(".pf_index")),
        "{step}: no index"
    );
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(hot), names(&cold), "after {step}: different files");
    for (path, bytes) in &cold {
        assert!(hot[path] == *bytes, "after {step}: {path} differs");
    }
}

/// A story of about 300 words, the same for the same `n`: syllables make a
/// vocabulary of thousands of words, the first ones far more common, with
/// an accented form now and then, so that 150 stories make a word index of
/// several chunks whose words are on many pages.
fn generated_story(n: usize) -> String {
    const SYLLABLES: [&str; 12] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "bre", "dun", "gal", "pho",
    ];
    let mut x = n as u64 + 1;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as usize
    };
    let mut words = Vec::new();
    for _ in 0..300 {
        let r = next() % 1728;
        let i = r * r / 1728;
        let mut word: String = [i / 144, i / 12 % 12, i % 12]
            .iter()
            .map(|&s| SYLLABLES[s])
            .collect();
        if next() % 40 == 0 {
            word = word.replacen('e', "é", 1);
        }
        words.push(word);
    }
    format!(
        "+++\ntitle = \"Story {n}\"\ndate = 2016-01-{:02}\ntopics = [\"culture\"]\n+++\n\n{}.\n",
        n % 28 + 1,
        words.join(" ")
    )
}

#[test]
fn the_previews_search_index_brought_up_to_date_equals_a_cold_builds() {
    let site = TestSite::fixture("search");
    for n in 0..150 {
        site.write(
            &format!("content/stories/gen-{n:03}.md"),
            generated_story(n),
        );
    }
    let mut inc = Incremental::new(options(&site), false);
    inc.rebuild(&[]).unwrap();
    let mut records = brum::search::Records::new(inc.search_language()).unwrap();
    let update = records.index(&inc.search_documents()).unwrap();
    let chunks = update.chunks.1;
    assert!(chunks >= 4, "only {chunks} word chunks: too few to test");
    let hot = update.files;
    assert_same_index(&hot, &site, "the first index");

    let story = "content/stories/gen-040.md";
    type Edit = Box<dyn Fn(String) -> String>;
    let steps: Vec<(&str, &str, Edit)> = vec![
        (
            "a sentence added at the end of a story",
            story,
            Box::new(|t| format!("{t}\nThe zeppelin kaloré came.\n")),
        ),
        (
            "words changed in the middle of a story",
            story,
            Box::new(|t| {
                let (head, body) = t.split_at(t.rfind("+++").unwrap_or(0));
                format!("{head}{}", body.replacen(' ', " kamisa vivivi ", 40))
            }),
        ),
        (
            "a story's title changed",
            story,
            Box::new(|t| t.replace("Story 40", "Airship 40")),
        ),
        (
            "a word taken out of one story",
            "content/stories/canal-walks.md",
            Box::new(|t| t.replace("quiet network", "network")),
        ),
    ];
    for (step, path, change) in steps {
        site.write(path, change(site.read(path)));
        inc.rebuild(&[content(&site, path)]).unwrap();
        // Only the changed page's words are merged again, not the site's.
        let (hot, (changed, words)) = hot_index(&inc, &mut records);
        assert!(
            changed * 4 < words,
            "{step}: {changed} of {words} words merged"
        );
        assert_same_index(&hot, &site, step);
    }

    site.write("content/stories/new-one.md", generated_story(999));
    inc.rebuild(&[content(&site, "content/stories/new-one.md")])
        .unwrap();
    assert_same_index(&hot_index(&inc, &mut records).0, &site, "a story added");

    site.remove("content/stories/gen-100.md");
    inc.rebuild(&[content(&site, "content/stories/gen-100.md")])
        .unwrap();
    assert_same_index(&hot_index(&inc, &mut records).0, &site, "a story removed");
}
