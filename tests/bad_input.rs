//! Bad input: every problem reported at once, each naming the file and line,
//! what is wrong and what would be right; the exit code is non-zero and the
//! previous output is left exactly as it was.

use crate::support::{Shown, TestSite, shown, snapshot};

/// One expected diagnostic: `file`, `file:line` or `file:line:column`, part
/// of the message, part of the help.
struct Expect<'a>(&'a str, &'a str, &'a str);

impl Expect<'_> {
    /// Whether `d` is at this place: the same file, and the same line and
    /// column where they are given.
    fn is_at(&self, d: &Shown) -> bool {
        let mut parts = self.0.split(':');
        let path = parts.next().unwrap_or_default();
        let line = parts.next().map(|l| l.parse::<usize>().unwrap());
        let column = parts.next().map(|c| c.parse::<usize>().unwrap());
        d.path == path
            && line.is_none_or(|l| d.line == Some(l))
            && column.is_none_or(|c| d.column == Some(c))
    }
}

/// Builds the fixture, then adds `files` and builds again: the second build
/// must fail with exactly the expected diagnostics and touch nothing.
fn rejects(files: &[(&str, &[u8])], expected: &[Expect]) {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.out());
    for (path, contents) in files {
        site.write(path, contents);
    }
    let run = site.build(&[]);
    assert!(!run.success, "the build should fail");
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.is_empty(), "no success line: {}", run.stdout);
    let diagnostics = shown(&run.stderr);
    assert_eq!(
        diagnostics.len(),
        expected.len(),
        "one diagnostic per problem:\n{}",
        run.stderr
    );
    for e in expected {
        let Expect(place, message, help) = e;
        let d = diagnostics
            .iter()
            .find(|d| e.is_at(d) && d.message.contains(message))
            .unwrap_or_else(|| panic!("no diagnostic {message:?} at {place} in:\n{}", run.stderr));
        assert_eq!(d.severity, "error");
        let shown_help = d.help.as_deref().unwrap_or_default();
        assert!(
            shown_help.contains(help),
            "expected help {help:?} in {shown_help:?}"
        );
        if d.line.is_some() {
            assert!(d.source.is_some(), "the source line is shown: {d:?}");
        }
    }
    let n = expected.len();
    assert!(
        run.stderr.contains(&format!(
            "{n} error{} found; nothing was written",
            if n == 1 { "" } else { "s" }
        )),
        "{}",
        run.stderr
    );
    assert!(
        snapshot(&site.out()) == before,
        "the previous output was changed"
    );
}

const STORY: &str = "+++\ntitle = \"Bad\"\ndate = 2015-07-01\n";

fn story(extra: &str) -> Vec<u8> {
    format!("{STORY}{extra}+++\nBody.\n").into_bytes()
}

#[test]
fn unknown_partner_names_the_nearest() {
    rejects(
        &[("content/stories/bad.md", &story("partner = \"the-macc\"\n"))],
        &[Expect(
            "content/stories/bad.md:4:11",
            "unknown partner `the-macc`",
            "did you mean `the-mac`?",
        )],
    );
}

#[test]
fn unknown_topic_names_the_nearest() {
    rejects(
        &[(
            "content/stories/bad.md",
            &story("topics = [\"culture\", \"educaton\"]\n"),
        )],
        &[Expect(
            "content/stories/bad.md:4:22",
            "unknown topic `educaton`",
            "did you mean `education`?",
        )],
    );
}

#[test]
fn unknown_topic_far_from_any_lists_the_known_ones() {
    rejects(
        &[("content/stories/bad.md", &story("topics = [\"zoology\"]\n"))],
        &[Expect(
            "content/stories/bad.md:4",
            "unknown topic `zoology`",
            "known topics: `culture`, `economy`, `education`",
        )],
    );
}

#[test]
fn unknown_question_names_the_nearest() {
    rejects(
        &[("content/stories/bad.md", &story("question = \"grate\"\n"))],
        &[Expect(
            "content/stories/bad.md:4",
            "unknown question `grate`",
            "did you mean `great`?",
        )],
    );
}

#[test]
fn unknown_sector_and_commitment_name_the_nearest() {
    rejects(
        &[(
            "content/partners/bad.md",
            b"+++\nname = \"Bad\"\nsector = \"publik\"\ncommitments = [\"host-event\"]\n+++\n",
        )],
        &[
            Expect(
                "content/partners/bad.md:3",
                "unknown sector `publik`",
                "did you mean `public`?",
            ),
            Expect(
                "content/partners/bad.md:4",
                "unknown commitment `host-event`",
                "did you mean `host-events`?",
            ),
        ],
    );
}

/// Field errors and cross-reference errors come out of one run: a wrong
/// topic in one story, a wrong sector in a partner and a partner that does
/// not exist in another story are three errors, not two and then one.
#[test]
fn field_and_cross_reference_errors_are_reported_together() {
    let files: &[(&str, &[u8])] = &[
        (
            "content/stories/bad-topic.md",
            &story("topics = [\"cultur\"]\n"),
        ),
        (
            "content/partners/bad-sector.md",
            b"+++\nname = \"Bad\"\nsector = \"publik\"\n+++\n",
        ),
        (
            "content/stories/bad-partner.md",
            &story("partner = \"nobody-at-all\"\n"),
        ),
        // Naming the partner whose file is broken is not one more error.
        (
            "content/stories/names-bad-sector.md",
            &story("partner = \"bad-sector\"\n"),
        ),
    ];
    let expected = [
        Expect(
            "content/partners/bad-sector.md:3",
            "unknown sector `publik`",
            "did you mean `public`?",
        ),
        Expect(
            "content/stories/bad-partner.md:4",
            "unknown partner `nobody-at-all`",
            "a partner is the slug of a file in content/partners/",
        ),
        Expect(
            "content/stories/bad-topic.md:4",
            "unknown topic `cultur`",
            "did you mean `culture`?",
        ),
    ];
    rejects(files, &expected);
    // brum check reports the same three (the fixture's theme also links to
    // pages it does not have, which only check looks at).
    let site = TestSite::fixture("basic");
    for (path, contents) in files {
        site.write(path, contents);
    }
    let check = site.brum("check", &[]);
    let errors: Vec<_> = shown(&check.stderr)
        .into_iter()
        .filter(|d| d.severity == "error" && d.path.starts_with("content/"))
        .collect();
    assert_eq!(errors.len(), 3, "{}", check.stderr);
    for e in &expected {
        assert!(
            errors.iter().any(|d| e.is_at(d) && d.message.contains(e.1)),
            "{} missing from:\n{}",
            e.1,
            check.stderr
        );
    }
}

/// A story whose field is wrong is still read for what it names, so the
/// partner it names is checked in the same run.
#[test]
fn a_wrong_field_and_a_wrong_partner_in_one_file_are_both_reported() {
    rejects(
        &[(
            "content/stories/bad.md",
            &story("topics = [\"cultur\"]\npartner = \"the-macc\"\n"),
        )],
        &[
            Expect(
                "content/stories/bad.md:4:11",
                "unknown topic `cultur`",
                "did you mean `culture`?",
            ),
            Expect(
                "content/stories/bad.md:5:11",
                "unknown partner `the-macc`",
                "did you mean `the-mac`?",
            ),
        ],
    );
}

#[test]
fn unknown_timeline_partner_names_the_nearest() {
    rejects(
        &[(
            "content/timeline/bad.md",
            b"+++\ntitle = \"Bad\"\ndate = 2015-07-01\npartners = [\"city-counsil\"]\n+++\n",
        )],
        &[Expect(
            "content/timeline/bad.md:4",
            "unknown partner `city-counsil`",
            "did you mean `city-council`?",
        )],
    );
}

#[test]
fn missing_required_fields_are_named() {
    rejects(
        &[
            ("content/stories/bad.md", b"+++\ntitle = \"No date\"\n+++\n"),
            (
                "content/partners/bad.md",
                b"+++\nname = \"No sector\"\n+++\n",
            ),
        ],
        &[
            Expect(
                "content/stories/bad.md:1",
                "the required field `date` is missing",
                "date = 2015-07-08",
            ),
            Expect(
                "content/partners/bad.md:1",
                "the required field `sector` is missing",
                "sector =",
            ),
        ],
    );
}

#[test]
fn wrong_types_say_what_was_expected() {
    rejects(
        &[(
            "content/stories/bad.md",
            &story("draft = \"yes\"\ntopics = \"culture\"\n"),
        )],
        &[
            Expect(
                "content/stories/bad.md:4",
                "`draft` must be true or false, found the string \"yes\"",
                "draft = true",
            ),
            Expect(
                "content/stories/bad.md:5",
                "`topics` must be a list, found the string \"culture\"",
                "topics = [\"culture\"]",
            ),
        ],
    );
}

#[test]
fn bad_dates_are_reported() {
    rejects(
        &[
            (
                "content/stories/bad.md",
                b"+++\ntitle = \"Bad\"\ndate = \"8 July 2015\"\n+++\n",
            ),
            (
                "content/stories/worse.md",
                b"+++\ntitle = \"Worse\"\ndate = 2015-13-45\n+++\n",
            ),
        ],
        &[
            Expect(
                "content/stories/bad.md:3",
                "`date` must be a date, found the string \"8 July 2015\"",
                "date = 2015-07-08",
            ),
            Expect(
                "content/stories/worse.md:3",
                "invalid TOML",
                "dates without quotes",
            ),
        ],
    );
}

#[test]
fn a_period_cannot_end_before_it_starts() {
    rejects(
        &[(
            "content/timeline/bad.md",
            b"+++\ntitle = \"Backwards\"\ndate = 2015-08-01\nend = 2015-07-01\n+++\n",
        )],
        &[Expect(
            "content/timeline/bad.md:4",
            "`end` (2015-07-01) is before `date` (2015-08-01)",
            "ends on or after",
        )],
    );
}

#[test]
fn an_image_needs_its_alt_text() {
    rejects(
        &[(
            "content/stories/bad.md",
            &story("image = \"/images/pic.png\"\n"),
        )],
        &[Expect(
            "content/stories/bad.md:4",
            "`image` is set but `image_alt` is missing",
            "image_alt = ",
        )],
    );
}

#[test]
fn a_missing_image_file_is_reported() {
    rejects(
        &[(
            "content/stories/bad.md",
            &story("image = \"/images/nope.png\"\nimage_alt = \"x\"\n"),
        )],
        &[Expect(
            "content/stories/bad.md:4",
            "the image `/images/nope.png` does not exist",
            "static/images/nope.png",
        )],
    );
}

#[test]
fn two_files_cannot_claim_the_same_address() {
    rejects(
        &[
            ("content/stories/canal-walks/index.md", &story("")),
            (
                "content/stories/other.md",
                &story("slug = \"custom-slug\"\n"),
            ),
            (
                "content/pages/moved.md",
                b"+++\ntitle = \"Moved\"\naliases = [\"/privacy-policy/\"]\n+++\n",
            ),
        ],
        &[
            Expect(
                "content/stories/canal-walks/index.md",
                "the address /stories/canal-walks/ is already taken by content/stories/canal-walks.md",
                "another `slug`",
            ),
            Expect(
                "content/stories/other.md:4",
                "the address /stories/custom-slug/ is already taken by content/stories/no-partner.md:4",
                "another `slug`",
            ),
            Expect(
                "content/pages/privacy.md:4",
                "the address /privacy-policy/ is already taken by content/pages/moved.md:3",
                "remove the alias",
            ),
        ],
    );
}

#[test]
fn a_page_cannot_take_a_section_address() {
    rejects(
        &[(
            "content/pages/stories.md",
            b"+++\ntitle = \"Stories\"\n+++\n",
        )],
        &[Expect(
            "content/pages/stories.md:1",
            "the page address /stories/ is taken by the stories section",
            "slug = ",
        )],
    );
}

#[test]
fn yaml_front_matter_is_named_as_such() {
    rejects(
        &[(
            "content/stories/bad.md",
            b"---\ntitle: Bad\ndate: 2015-07-01\n---\nBody.\n",
        )],
        &[Expect(
            "content/stories/bad.md:1",
            "front matter is YAML",
            "+++",
        )],
    );
}

#[test]
fn invalid_utf8_points_at_the_bad_byte() {
    rejects(
        &[(
            "content/stories/bad.md",
            b"+++\ntitle = \"Caf\xE9\"\ndate = 2015-07-01\n+++\n",
        )],
        &[Expect(
            "content/stories/bad.md:2:13",
            "not valid UTF-8 (byte 0xE9)",
            "UTF-8",
        )],
    );
}

#[test]
fn an_unreadable_file_is_reported() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.out());
    // A link to nothing: listed in the folder, impossible to read (root
    // ignores permission bits, so chmod 000 would not do).
    std::os::unix::fs::symlink(
        "/nonexistent/brum-test",
        site.root().join("content/stories/gone.md"),
    )
    .unwrap();
    let run = site.build(&[]);
    assert!(!run.success);
    let d = &shown(&run.stderr)[0];
    assert_eq!(
        (d.path.as_str(), d.line, d.message.as_str()),
        ("content/stories/gone.md", None, "the file does not exist"),
        "{}",
        run.stderr
    );
    assert!(snapshot(&site.out()) == before);
}

#[test]
fn unknown_fields_name_the_nearest_known_field() {
    rejects(
        &[("content/stories/bad.md", &story("drafts = true\n"))],
        &[Expect(
            "content/stories/bad.md:4",
            "unknown field `drafts` in a story",
            "did you mean `draft`?",
        )],
    );
}

#[test]
fn a_link_to_a_missing_content_file_is_reported() {
    rejects(
        &[(
            "content/stories/bad.md",
            format!("{STORY}+++\n\nSee [the list](../partners/nobody.md).\n").as_bytes(),
        )],
        &[Expect(
            "content/stories/bad.md:6:5",
            "the link `../partners/nobody.md` points to a content file that is not published or does not exist",
            "relative to this one",
        )],
    );
}

#[test]
fn every_error_in_every_file_is_reported_at_once() {
    rejects(
        &[
            (
                "content/stories/bad.md",
                &story("topics = [\"cultur\"]\nquestion = \"grate\"\n"),
            ),
            ("content/timeline/bad.md", b"+++\ndate = 2015-07-01\n+++\n"),
            ("content/pages/bad.md", b"---\ntitle: x\n---\n"),
        ],
        &[
            Expect("content/pages/bad.md:1", "YAML", "+++"),
            Expect(
                "content/stories/bad.md:4",
                "unknown topic `cultur`",
                "`culture`",
            ),
            Expect(
                "content/stories/bad.md:5",
                "unknown question `grate`",
                "`great`",
            ),
            Expect(
                "content/timeline/bad.md:1",
                "`title` is missing",
                "title = ",
            ),
        ],
    );
}

#[test]
fn a_broken_site_toml_is_reported_with_its_line() {
    let site = TestSite::fixture("basic");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        toml.replace("stories_per_page = 2", "stories_per_page = \"two\""),
    );
    let run = site.build(&[]);
    assert!(!run.success);
    let d = &shown(&run.stderr)[0];
    assert_eq!(
        (d.path.as_str(), d.line, d.column),
        ("site.toml", Some(34), Some(20))
    );
    assert_eq!(
        d.message,
        "invalid TOML: invalid type: string \"two\", expected a whole number"
    );
    assert_eq!(d.source.as_deref(), Some("stories_per_page = \"two\""));
    assert_eq!(d.underline.as_deref(), Some("^^^^^"));
}

#[test]
fn a_missing_site_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_brum"))
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("there is no site.toml here") && stderr.contains("--root DIR"),
        "{stderr}"
    );
}

#[test]
fn every_broken_template_is_reported_with_its_line() {
    rejects(
        &[
            (
                "templates/story.html",
                b"{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ story.title }</h1>\n{% endblock content %}\n",
            ),
            (
                "templates/page.html",
                b"{% extends \"base.html\" %}\n{% block content %}\n{% if page.title %}\n{% endblock content %}\n",
            ),
        ],
        &[
            Expect("templates/story.html:3", "template error", "Tera"),
            Expect("templates/page.html", "template error", "Tera"),
        ],
    );
}
