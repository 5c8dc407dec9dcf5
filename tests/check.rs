//! `brum check`: a fixture with one of each problem gets each diagnostic at
//! its file, line and column; a fixture with none checks clean. Errors fail
//! the command, warnings only with --deny-warnings; --format json prints the
//! same findings as JSON lines; nothing is written.

use crate::support::{TestSite, shown};

/// A diagnostic as `--format json` prints it: severity, path, line, column,
/// message.
type Found = (String, String, Option<u64>, Option<u64>, String);

fn json_findings(stdout: &str) -> Vec<(Found, String)> {
    stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            (
                (
                    s("severity"),
                    s("path"),
                    v["line"].as_u64(),
                    v["column"].as_u64(),
                    s("message"),
                ),
                s("help"),
            )
        })
        .collect()
}

fn e(path: &str, line: u64, column: u64, message: &str) -> Found {
    (
        "error".into(),
        path.into(),
        Some(line),
        Some(column),
        message.into(),
    )
}

fn w(path: &str, line: u64, column: u64, message: &str) -> Found {
    (
        "warning".into(),
        path.into(),
        Some(line),
        Some(column),
        message.into(),
    )
}

const STORY: &str = "content/stories/everything-wrong.md";

/// Every problem in tests/fixtures/check-problems, in the order reported.
fn expected() -> Vec<Found> {
    vec![
        w(
            "content/partners/bvsc.md",
            5,
            12,
            "`logo_alt` is a file name, not a description",
        ),
        w(
            STORY,
            5,
            13,
            "`image_alt` is a file name, not a description",
        ),
        e(
            STORY,
            8,
            30,
            "the link leads to `/stories/canal-walk/`, but there is no page at that address",
        ),
        e(
            STORY,
            10,
            16,
            "the link `../partners/nobody.md` points to a content file that is not published or does not exist",
        ),
        e(
            STORY,
            12,
            29,
            "there is no `#histroy` on /partners/the-mac/",
        ),
        e(
            STORY,
            12,
            72,
            "there is no `#founders` on /partners/the-mac/",
        ),
        e(
            STORY,
            14,
            16,
            "there is no `#nowhere` on /stories/everything-wrong/",
        ),
        e(STORY, 16, 24, "the image `/images/lock.jpg` does not exist"),
        e(
            STORY,
            16,
            59,
            "the link leads to `/downloads/report.pdf`, but there is no file at that address",
        ),
        e(STORY, 18, 1, "this image has no alt text"),
        w(STORY, 20, 1, "the alt text `canal.png` is a file name"),
        e(STORY, 22, 1, "this image has no alt attribute"),
        w(
            STORY,
            24,
            1,
            "this heading skips a level: a level-4 heading after a level-1 one",
        ),
        w(
            STORY,
            26,
            19,
            "the link text \"click here\" does not say where the link goes",
        ),
        e(STORY, 28, 1, "this link has no text"),
        e(STORY, 28, 17, "this link has no address"),
        e(
            "content/stories/photo-walk/index.md",
            8,
            82,
            "the image `blue.png` does not exist",
        ),
        e(
            "templates/404.html",
            5,
            32,
            "the template's link leads to `/contact/`, but there is no page at that address (on /404.html)",
        ),
    ]
}

#[test]
fn a_site_with_no_problems_checks_clean() {
    let site = TestSite::fixture("check-clean");
    for args in [
        &[][..],
        &["--drafts"],
        &["--deny-warnings"],
        &["--base-url", "https://example.org/sub/"],
    ] {
        let run = site.brum("check", args);
        assert_eq!(run.code, Some(0), "{args:?}:\n{}", run.stderr);
        assert_eq!(run.stderr, "", "{args:?}");
        assert_eq!(
            run.stdout, "Checked 17 pages made from 8 content files: no problems found\n",
            "{args:?}"
        );
    }
    let run = site.brum("check", &["--format", "json"]);
    assert_eq!(run.code, Some(0));
    assert_eq!(run.stdout, "", "no findings, no JSON lines");
    assert!(!site.out().exists(), "check writes nothing");
}

#[test]
fn one_of_each_problem_is_reported_at_its_file_line_and_column() {
    let site = TestSite::fixture("check-problems");
    let run = site.brum("check", &["--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let found = json_findings(&run.stdout);
    let places: Vec<Found> = found.iter().map(|(f, _)| f.clone()).collect();
    let expected = expected();
    for (got, want) in places.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    assert_eq!(places.len(), expected.len(), "{}", run.stdout);
    for ((f, help), _) in found.iter().zip(&expected) {
        assert!(!help.is_empty(), "{f:?} has a help line");
    }
    // The help says what would be right.
    let help_of = |line: u64, column: u64| {
        found
            .iter()
            .find(|((_, p, l, c, _), _)| p == STORY && *l == Some(line) && *c == Some(column))
            .map(|(_, h)| h.as_str())
            .unwrap()
    };
    assert_eq!(help_of(8, 30), "did you mean /stories/canal-walks/?");
    assert_eq!(help_of(12, 29), "did you mean `#history`?");
    assert!(help_of(16, 24).contains("static/images/lock.jpg"));
    assert!(help_of(24, 1).contains("start it with ## instead"));
    assert!(
        run.stderr
            .ends_with("error: 13 errors and 5 warnings found\n"),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists(), "check writes nothing");
}

#[test]
fn human_output_is_rustc_style_with_the_same_findings() {
    let site = TestSite::fixture("check-problems");
    let run = site.brum("check", &[]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    let shown = shown(&run.stderr);
    let places: Vec<Found> = shown
        .iter()
        .map(|d| {
            (
                d.severity.clone(),
                d.path.clone(),
                d.line.map(|l| l as u64),
                d.column.map(|c| c as u64),
                d.message.clone(),
            )
        })
        .collect();
    assert_eq!(places, expected());
    let fragment = &shown[4];
    assert_eq!(
        fragment.source.as_deref(),
        Some(
            "A [place that is not there](/partners/the-mac/#histroy), and [another](../partners/the-mac.md#founders)."
        )
    );
    assert_eq!(
        fragment.underline.as_deref(),
        Some("^^^^^^^^^^^^^^^^^^^^^^^^^^")
    );
    assert_eq!(fragment.help.as_deref(), Some("did you mean `#history`?"));
    let template = shown.last().unwrap();
    assert_eq!(
        template.source.as_deref(),
        Some("  <p>Try <a href=\"{{ url(path=\"/contact/\") }}\">contacting us</a>.</p>")
    );
    assert_eq!(template.underline.as_deref(), Some("^^^^^^^^^"));
    assert!(
        run.stderr
            .ends_with("\nerror: 13 errors and 5 warnings found\n")
    );
}

#[test]
fn warnings_fail_the_check_only_with_deny_warnings() {
    let site = TestSite::fixture("check-clean");
    site.write(
        "content/pages/privacy.md",
        "+++\ntitle = \"Privacy\"\n+++\n\nWe keep no data. [Read more](/about/).\n",
    );
    let run = site.brum("check", &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let d = &shown(&run.stderr)[0];
    assert_eq!(
        (d.severity.as_str(), d.path.as_str(), d.line, d.column),
        ("warning", "content/pages/privacy.md", Some(5), Some(18))
    );
    assert!(
        run.stderr.ends_with("\nwarning: 1 warning found\n"),
        "{}",
        run.stderr
    );

    let run = site.brum("check", &["--deny-warnings"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.ends_with(
            "\nerror: 1 warning found, and --deny-warnings makes warnings fail the check\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn check_reports_what_the_build_reports_and_the_accessibility_of_drafts() {
    let site = TestSite::fixture("check-clean");
    site.write(
        "content/stories/bad.md",
        "+++\ntitle = \"Bad\"\ndate = 2015-07-01\ntopics = [\"cultur\"]\n+++\n\n#### Deep\n",
    );
    site.write(
        "content/stories/a-draft.md",
        "+++\ntitle = \"Draft\"\ndate = 2015-07-01\ndraft = true\n+++\n\n![](/images/canal.png)\n",
    );
    let build = site.build(&[]);
    let check = site.brum("check", &[]);
    assert_eq!(check.code, Some(1));
    let from_build = shown(&build.stderr);
    let from_check = shown(&check.stderr);
    // The build's error, exactly as the build gives it...
    assert_eq!(from_build.len(), 1, "{}", build.stderr);
    assert!(from_check.contains(&from_build[0]), "{}", check.stderr);
    assert_eq!(from_build[0].message, "unknown topic `cultur`");
    // ...and what only check looks at, in drafts too.
    let rest: Vec<_> = from_check
        .iter()
        .filter(|d| **d != from_build[0])
        .map(|d| (d.path.as_str(), d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        rest,
        [
            (
                "content/stories/a-draft.md",
                Some(7),
                "this image has no alt text"
            ),
            (
                "content/stories/bad.md",
                Some(7),
                "this heading skips a level: a level-4 heading after a level-1 one"
            ),
        ]
    );
    // The files that did load had their links checked all the same.
    assert!(
        !check.stderr.contains("links and images were not checked"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .ends_with("error: 2 errors and 1 warning found\n")
    );
}

#[test]
fn links_are_checked_in_the_files_that_loaded_while_another_is_broken() {
    let site = TestSite::fixture("check-clean");
    site.write(
        "content/stories/bad.md",
        "+++\ntitle = \"Bad\"\ndate = 2015-07-01\ntopics = [\"cultur\"]\n+++\n\nText.\n",
    );
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\n\nSee [the plan](/downloads/plans.pdf) and [the MAC](../partners/the-mac.md#histroy).\n",
    );
    let check = site.brum("check", &[]);
    let found: Vec<_> = shown(&check.stderr)
        .into_iter()
        .map(|d| (d.path, d.line, d.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/pages/about.md".to_string(),
                Some(5),
                "the link leads to `/downloads/plans.pdf`, but there is no file at that address"
                    .to_string()
            ),
            (
                "content/pages/about.md".to_string(),
                Some(5),
                "there is no `#histroy` on /partners/the-mac/".to_string()
            ),
            (
                "content/stories/bad.md".to_string(),
                Some(4),
                "unknown topic `cultur`".to_string()
            ),
        ],
        "{}",
        check.stderr
    );
}

#[test]
fn a_link_to_a_draft_or_a_scheduled_story_says_so() {
    let site = TestSite::fixture("check-clean");
    site.write(
        "content/stories/coming.md",
        "+++\ntitle = \"Coming\"\ndate = 2026-03-03\n+++\n\nSoon.\n",
    );
    site.write(
        "content/stories/unfinished.md",
        "+++\ntitle = \"Unfinished\"\ndate = 2015-07-01\ndraft = true\n+++\n\nLater.\n",
    );
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\n\nRead [what comes](../stories/coming.md), [the draft](/stories/unfinished/).\n",
    );
    let build = site.build(&[]);
    let from_build = shown(&build.stderr);
    assert_eq!(from_build.len(), 1, "{}", build.stderr);
    assert_eq!(
        from_build[0].message,
        "the link `../stories/coming.md` points to the story content/stories/coming.md, which is scheduled for 3 March 2026"
    );
    assert_eq!(from_build[0].line, Some(5));
    assert!(
        from_build[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("published by the first build on or after 3 March 2026"),
        "{}",
        build.stderr
    );
    let check = site.brum("check", &[]);
    let messages: Vec<_> = shown(&check.stderr)
        .into_iter()
        .map(|d| d.message)
        .collect();
    assert!(
        messages.contains(
            &"the link `/stories/unfinished/` leads to the story content/stories/unfinished.md, which is a draft"
                .to_string()
        ),
        "{}",
        check.stderr
    );
    // With drafts, both are published and both links are good.
    let preview = site.brum("check", &["--drafts"]);
    assert!(preview.success, "{}", preview.stderr);
}

#[test]
fn links_are_checked_against_the_pages_this_build_makes() {
    // A link to a draft is broken in the real build and fine in a preview.
    let site = TestSite::fixture("check-clean");
    site.write(
        "content/stories/coming-soon.md",
        "+++\ntitle = \"Coming soon\"\ndate = 2015-09-01\ndraft = true\n\n+++\n\n## Plans\n",
    );
    site.write(
        "content/pages/privacy.md",
        "+++\ntitle = \"Privacy\"\n+++\n\nSee [our plans](/stories/coming-soon/#plans).\n",
    );
    let run = site.brum("check", &[]);
    assert_eq!(run.code, Some(1));
    let d = &shown(&run.stderr)[0];
    assert_eq!(
        (d.path.as_str(), d.line, d.column),
        ("content/pages/privacy.md", Some(5), Some(17))
    );
    let run = site.brum("check", &["--drafts"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn the_sites_own_content_checks_clean() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_brum"))
        .args(["check", "--deny-warnings", "--root", root])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&run.stdout).ends_with(": no problems found\n"));
}

#[test]
fn headings_follow_the_outline_of_the_page_they_are_on() {
    // A partner's text sits under the page's "About" heading (level 2); a
    // story's under its title (level 1).
    let site = TestSite::fixture("check-clean");
    let partner = site.read("content/partners/the-mac.md");
    site.write(
        "content/partners/the-mac.md",
        partner.replace("## History", "### History\n\n##### Deeper"),
    );
    site.write(
        "content/stories/deep.md",
        "+++\ntitle = \"Deep\"\ndate = 2015-07-01\n+++\n\n### Too deep\n",
    );
    let run = site.brum("check", &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let found: Vec<_> = shown(&run.stderr)
        .into_iter()
        .map(|d| (d.path, d.line, d.message, d.help.unwrap_or_default()))
        .collect();
    assert_eq!(found.len(), 2, "{}", run.stderr);
    assert_eq!(
        (found[0].0.as_str(), found[0].1, found[0].2.as_str()),
        (
            "content/partners/the-mac.md",
            Some(13),
            "this heading skips a level: a level-5 heading after a level-3 one"
        )
    );
    assert!(found[0].3.starts_with("start it with #### instead"));
    assert_eq!(
        (found[1].0.as_str(), found[1].1, found[1].2.as_str()),
        (
            "content/stories/deep.md",
            Some(6),
            "this heading skips a level: a level-3 heading after a level-1 one"
        )
    );
    assert!(
        found[1]
            .3
            .ends_with("(the page has a level-1 heading above the text)"),
        "{}",
        found[1].3
    );
}
