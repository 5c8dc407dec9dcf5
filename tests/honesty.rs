//! The checks that keep a site honest over time (issue 18): `review_by` on
//! partner profiles and pages, warned about once the fixture's day (1
//! October 2015) is past it; and the consent of people in pictures, asked
//! for when a picture's alt text or caption names people. Both warnings
//! name the file and line; neither stops a build; the consent record is
//! never published.

use crate::support::TestSite;

/// (severity, path, line, column, message, help) of each `--format json`
/// finding.
type Finding = (String, String, u64, u64, String, String);

fn findings(site: &TestSite, args: &[&str]) -> Vec<Finding> {
    let mut all = vec!["--format", "json"];
    all.extend(args);
    let run = site.brum("check", &all);
    run.stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            let n = |k: &str| v[k].as_u64().unwrap_or_default();
            let f = (s("severity"), s("path"), n("line"), n("column"));
            (f.0, f.1, f.2, f.3, s("message"), s("help"))
        })
        .collect()
}

/// Without the help: what a test compares.
fn places(found: &[Finding]) -> Vec<(&str, &str, u64, u64, &str)> {
    found
        .iter()
        .map(|(sev, p, l, c, m, _)| (sev.as_str(), p.as_str(), *l, *c, m.as_str()))
        .collect()
}

const PARTNER: &str = "content/partners/the-mac.md";

fn partner_reviewed_by(date: &str) -> String {
    format!(
        "+++\nname = \"Midlands Arts Centre\"\nsector = \"voluntary\"\nreview_by = {date}\n+++\n\nAn arts centre in Cannon Hill Park.\n\n## History\n\nIt opened in 1962.\n"
    )
}

#[test]
fn a_review_by_day_that_has_passed_is_a_warning_at_its_line() {
    let site = TestSite::fixture("check-clean");
    site.write(PARTNER, partner_reviewed_by("2015-09-30"));
    site.write(
        "content/pages/privacy.md",
        "+++\ntitle = \"Privacy\"\nreview_by = 2015-06-01\n+++\n\nWe keep no data.\n",
    );
    let found = findings(&site, &[]);
    assert_eq!(
        places(&found),
        [
            (
                "warning",
                "content/pages/privacy.md",
                3,
                13,
                "`review_by` 2015-06-01 has passed: this page is due to be read again"
            ),
            (
                "warning",
                PARTNER,
                4,
                13,
                "`review_by` 2015-09-30 has passed: this partner profile is due to be read again"
            ),
        ]
    );
    assert!(
        found[1]
            .5
            .contains("set the next date, e.g. review_by = 2016-10-01")
    );
    // A warning: the site still builds.
    site.build_ok(&[]);
}

#[test]
fn a_review_by_day_still_to_come_or_on_a_draft_says_nothing() {
    let site = TestSite::fixture("check-clean");
    // The fixture's day itself has not passed.
    site.write(PARTNER, partner_reviewed_by("2015-10-01"));
    site.write(
        "content/pages/privacy.md",
        "+++\ntitle = \"Privacy\"\nreview_by = 2016-04-01\n+++\n\nWe keep no data.\n",
    );
    site.write(
        "content/pages/old.md",
        "+++\ntitle = \"Old\"\ndraft = true\nreview_by = 2014-01-01\n+++\n\nOld.\n",
    );
    let run = site.brum("check", &["--deny-warnings"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn a_review_by_that_is_not_a_date_is_an_error_at_its_line() {
    let site = TestSite::fixture("check-clean");
    site.write(PARTNER, partner_reviewed_by("\"next spring\""));
    let found = findings(&site, &[]);
    assert_eq!(
        places(&found),
        [(
            "error",
            PARTNER,
            4,
            13,
            "`review_by` must be a date, found the string \"next spring\""
        )]
    );
    assert!(
        found[0]
            .5
            .starts_with("write a TOML date, for example review_by = 2015-07-08"),
        "{}",
        found[0].5
    );
    let build = site.build(&[]);
    assert!(!build.success);
    assert!(
        build.stderr.contains("content/partners/the-mac.md:4:13"),
        "{}",
        build.stderr
    );
}

#[test]
fn a_story_has_no_review_by() {
    let site = TestSite::fixture("check-clean");
    site.write(
        "content/stories/dated.md",
        "+++\ntitle = \"Dated\"\ndate = 2015-07-01\nreview_by = 2016-01-01\n+++\n\nText.\n",
    );
    let found = findings(&site, &[]);
    let (sev, path, line, _, message, _) = &found[0];
    assert_eq!(
        (sev.as_str(), path.as_str(), *line, message.as_str()),
        (
            "error",
            "content/stories/dated.md",
            4,
            "unknown field `review_by` in a story"
        )
    );
}

const STORY: &str = "content/stories/people.md";

#[test]
fn a_picture_that_names_people_without_consent_is_a_warning() {
    let site = TestSite::fixture("check-clean");
    site.write(
        STORY,
        "+++\ntitle = \"People\"\ndate = 2015-07-01\nimage = \"/images/canal.png\"\nimage_alt = \"Volunteers clearing the towpath\"\n+++\n\n\
         ![Jane Smith at the lock](/images/canal.png)\n\n\
         {{ figure(src=\"/images/canal.png\", alt=\"A stall at the market\", caption=\"Amir Khan at his stall.\") }}\n",
    );
    let found = findings(&site, &[]);
    assert_eq!(
        places(&found),
        [
            (
                "warning",
                STORY,
                5,
                13,
                "`image_alt` names people (\"Volunteers\"), and the picture has no record of their consent"
            ),
            (
                "warning",
                STORY,
                8,
                1,
                "this picture's alt text names people (\"Jane Smith\"), and it has no record of their consent"
            ),
            (
                "warning",
                STORY,
                10,
                1,
                "this figure's caption names people (\"Amir Khan\"), and it has no record of their consent"
            ),
        ]
    );
    assert!(found[0].5.contains("image_consent = \""), "{}", found[0].5);
    assert!(
        found[1]
            .5
            .contains("{{ figure(src=\"/images/canal.png\", alt=\"…\", consent=\"")
    );
    assert!(found[2].5.contains("add consent=\""));
}

#[test]
fn a_consent_record_a_building_or_a_photographers_credit_says_nothing_and_is_never_published() {
    let site = TestSite::fixture("check-clean");
    site.write(
        STORY,
        "+++\ntitle = \"People\"\ndate = 2015-07-01\nimage = \"/images/canal.png\"\nimage_alt = \"Volunteers clearing the towpath\"\nimage_consent = \"Release forms BP-041, kept by the comms team\"\n+++\n\n\
         ![The Council House in Victoria Square at dusk](/images/canal.png)\n\n\
         {{ figure(src=\"/images/canal.png\", alt=\"Amir Khan at his stall\", consent=\"Asked on the day; email of 2 July kept by comms\") }}\n\n\
         {{ figure(src=\"/images/canal.png\", alt=\"Boats at Gas Street Basin\", credit=\"Jo Bloggs\") }}\n",
    );
    let run = site.brum("check", &["--deny-warnings"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    site.build_ok(&[]);
    let page = site.page("stories/people/index.html");
    assert!(page.contains("Amir Khan at his stall"));
    assert!(!page.contains("BP-041") && !page.contains("email of 2 July"));
}
