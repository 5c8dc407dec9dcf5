//! `brum new`: a new content file with every field of docs/content.md, a slug made
//! from the title, today's date; it builds as a draft as it is, and brum never
//! writes over a file that is already there.

use crate::support::{TestSite, shown};

const CAFE: &str = "Café Culture in Łódź & Balsall Heath";
const CAFE_FILE: &str = "content/stories/cafe-culture-in-lodz-and-balsall-heath.md";

/// Runs `brum new KIND TITLE ARGS` and insists it worked; returns the path
/// it printed, relative to the site.
fn new_ok(site: &TestSite, kind: &str, title: &str, args: &[&str]) -> String {
    let mut all = vec![kind, title];
    all.extend_from_slice(args);
    let run = site.brum("new", &all);
    assert!(run.success, "brum new failed:\n{}", run.stderr);
    let printed = run.stdout.trim_end();
    assert_eq!(run.stdout.lines().count(), 1, "one line: {}", run.stdout);
    let root = format!("{}/", site.root().display());
    printed
        .strip_prefix(&root)
        .unwrap_or_else(|| panic!("{printed} is not under {root}"))
        .to_string()
}

/// The line `# key = ...` or `key = ...`, and the line before it.
fn field<'a>(text: &'a str, key: &str) -> (&'a str, &'a str) {
    let lines: Vec<&str> = text.lines().collect();
    let i = lines
        .iter()
        .position(|l| {
            l.strip_prefix("# ")
                .unwrap_or(l)
                .starts_with(&format!("{key} = "))
        })
        .unwrap_or_else(|| panic!("no `{key}` in:\n{text}"));
    (lines[i], lines[i - 1])
}

#[test]
fn a_new_story_has_every_field_a_slug_from_its_title_and_todays_date() {
    let site = TestSite::fixture("basic");
    assert_eq!(new_ok(&site, "story", CAFE, &[]), CAFE_FILE);
    let text = site.read(CAFE_FILE);
    assert!(
        text.starts_with(&format!("+++\ntitle = \"{CAFE}\"\ndate = 2015-10-01\n")),
        "{text}"
    );
    assert_eq!(field(&text, "draft").0, "draft = true");
    // Every optional field of docs/content.md is there, commented out, with a
    // comment above saying what it is for; examples use this site's keys.
    for (key, example) in [
        ("updated", "2015-10-01"),
        ("author", "\"Your name\""),
        ("partner", "\"city-council\""),
        ("question", "\"great\""),
        ("topics", "[\"culture\"]"),
        ("summary", "\"What the story is about, in a sentence.\""),
        ("image", "\"/images/photo.jpg\""),
        (
            "image_alt",
            "\"Volunteers planting trees in Cannon Hill Park\"",
        ),
        ("toc", "true"),
        ("slug", "\"cafe-culture-in-lodz-and-balsall-heath\""),
        ("aliases", "[\"/old/address/\"]"),
    ] {
        let (line, about) = field(&text, key);
        assert_eq!(line, format!("# {key} = {example}"));
        assert!(
            about.starts_with("# ") && about.len() > 12,
            "`{key}` says what it is for: {about:?}"
        );
    }
    assert!(
        field(&text, "topics")
            .1
            .contains("culture, economy, education")
    );
    assert!(
        field(&text, "question")
            .1
            .contains("great (What's great about Fixtureville?)")
    );
    // The front matter is closed and a body follows.
    assert_eq!(text.matches("\n+++\n").count(), 1);
    assert!(text.contains("<!-- more -->"));
}

#[test]
fn slugs_transliterate_other_scripts() {
    let site = TestSite::fixture("basic");
    for (title, file) in [
        ("Москва и Łódź", "content/stories/moskva-i-lodz.md"),
        (
            "北京 & Brum’s “best”",
            "content/stories/bei-jing-and-brums-best.md",
        ),
        ("Straße — Größe!", "content/stories/strasse-grosse.md"),
    ] {
        assert_eq!(new_ok(&site, "story", title, &[]), file);
        assert!(site.read(file).contains(&format!("title = \"{title}\"")));
    }
}

#[test]
fn new_files_of_every_kind_build_as_drafts() {
    let site = TestSite::fixture("basic");
    assert_eq!(new_ok(&site, "story", CAFE, &[]), CAFE_FILE);
    let partner = new_ok(&site, "partner", "Midlands Arts Centre", &[]);
    let entry = new_ok(&site, "timeline", "Partners' picnic", &[]);
    let page = new_ok(&site, "page", "Contact us", &[]);
    let bundle = new_ok(&site, "story", "Photos from the picnic", &["--bundle"]);
    assert_eq!(partner, "content/partners/midlands-arts-centre.md");
    assert_eq!(entry, "content/timeline/partners-picnic.md");
    assert_eq!(page, "content/pages/contact-us.md");
    assert_eq!(bundle, "content/stories/photos-from-the-picnic/index.md");
    let partner_text = site.read(&partner);
    assert!(partner_text.starts_with("+++\nname = \"Midlands Arts Centre\"\n"));
    assert!(partner_text.contains("\nsector = \"public\"\n"));

    let pages = [
        (
            "stories/cafe-culture-in-lodz-and-balsall-heath/index.html",
            CAFE,
        ),
        (
            "partners/midlands-arts-centre/index.html",
            "Midlands Arts Centre",
        ),
        ("timeline/partners-picnic/index.html", "Partners' picnic"),
        ("contact-us/index.html", "Contact us"),
        (
            "stories/photos-from-the-picnic/index.html",
            "Photos from the picnic",
        ),
    ];
    // A preview shows them, marked as drafts...
    site.build_ok(&["--drafts"]);
    for (path, title) in pages {
        let html = site.page(path);
        let escaped = title.replace('&', "&amp;").replace('\'', "&#39;");
        assert!(html.contains(&format!("<h1>{escaped}</h1>")), "{path}");
        assert!(html.contains("Draft"), "{path} is marked as a draft");
    }
    // `brum check` finds nothing to fix in them.
    let check = site.brum("check", &["--drafts"]);
    let about_new: Vec<_> = shown(&check.stderr)
        .into_iter()
        .filter(|d| [CAFE_FILE, &partner, &entry, &page, &bundle].contains(&d.path.as_str()))
        .collect();
    assert!(about_new.is_empty(), "{}", check.stderr);
    // ...and the real build leaves them out.
    site.build_ok(&[]);
    for (path, _) in pages {
        assert!(!site.out().join(path).exists(), "{path} is a draft");
    }
}

#[test]
fn new_never_replaces_a_file() {
    let site = TestSite::fixture("basic");
    let before = site.read("content/stories/canal-walks.md");
    for (title, args, existing) in [
        ("Canal walks", vec![], "content/stories/canal-walks.md"),
        (
            "Canal walks",
            vec!["--bundle"],
            "content/stories/canal-walks.md",
        ),
        (
            "Bundle story",
            vec![],
            "content/stories/bundle-story/index.md",
        ),
        (
            "Anything",
            vec!["--slug", "canal-walks"],
            "content/stories/canal-walks.md",
        ),
    ] {
        let mut all = vec!["story", title];
        all.extend(args);
        let run = site.brum("new", &all);
        assert_eq!(run.code, Some(1), "{all:?} must fail");
        assert!(run.stdout.is_empty());
        let d = &shown(&run.stderr)[0];
        assert_eq!(d.path, existing, "{}", run.stderr);
        assert_eq!(
            d.message,
            "this file already exists; brum new never replaces a file"
        );
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("another title or --slug")
        );
    }
    assert_eq!(site.read("content/stories/canal-walks.md"), before);
    assert!(!site.root().join("content/stories/canal-walks").exists());
}

#[test]
fn new_refuses_addresses_that_cannot_work() {
    let site = TestSite::fixture("basic");
    for (args, message) in [
        (
            vec!["page", "Stories"],
            "error: the page address /stories/ is taken by the stories section",
        ),
        (
            vec!["story", "!!!"],
            "error: no address can be made from the title \"!!!\"",
        ),
        (
            vec!["story", "Fine", "--slug", "a/b"],
            "error: the slug `a/b` contains a slash; a slug names one page, not a path",
        ),
        (vec!["story", "  "], "error: the story needs a title"),
    ] {
        let run = site.brum("new", &args);
        assert_eq!(run.code, Some(1), "{args:?}");
        assert!(
            run.stderr.starts_with(&format!("{message}\n")),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("= help: "), "{}", run.stderr);
    }
}
