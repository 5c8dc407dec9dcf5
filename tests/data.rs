//! Data files: `data/*.toml`, `*.json` and `*.csv` given to templates as
//! `data.<name>`, each broken file reported at its line and column, names
//! that clash refused, and each language's own version of a file.

use crate::support::{Shown, TestSite, main_of, shown, snapshot, text_of};

/// The fixture's own 404 page shows a value of each data file.
fn not_found_text(site: &TestSite) -> String {
    text_of(main_of(&site.page("404.html")))
}

#[test]
fn values_from_each_format_appear_in_the_built_pages() {
    let site = TestSite::fixture("components");
    site.build_ok(&[]);
    let html = site.page("404.html");
    let text = not_found_text(&site);
    // TOML: text, a whole number, a date (as written), a list of tables.
    assert!(
        text.contains("The launch at the MAC on 2015-07-08: 12 commitments."),
        "{text}"
    );
    assert!(
        html.contains("<li id=\"kind-lead-conversations\">Lead conversations: Take the questions to your staff &amp; members.</li>"),
        "values are escaped like any other text:\n{html}"
    );
    // JSON: a list of objects, with numbers and true or false.
    assert!(
        text.contains("Cannon Hill Park seats 300, step-free"),
        "{text}"
    );
    assert!(
        html.contains("The Library &lt;main hall&gt; seats 120</li>"),
        "{html}"
    );
    // CSV: a row per line, every value text as written.
    assert!(text.contains("Asha (Host, events): 007 hours"), "{text}");
    assert!(text.contains("Ben (Writer): 12 hours"), "{text}");
}

#[test]
fn the_commitments_chart_says_the_total_the_data_file_gives() {
    let site = TestSite::fixture("components");
    site.build_ok(&[]);
    let partners = site.page("partners/index.html");
    assert!(
        partners.contains(
            "<figcaption>The launch (the MAC, 8 July 2015): partners made 12 commitments.</figcaption>"
        ),
        "{partners}"
    );
    // Without the event, no caption: the chart itself counts partner profiles.
    site.write("data/commitments.toml", "total = 12\n");
    site.remove("templates/404.html");
    site.build_ok(&[]);
    assert!(!site.page("partners/index.html").contains("<figcaption>"));
}

/// Builds the fixture, adds `files`, builds again: every diagnostic, which
/// must be errors, and the last good output untouched.
fn rejected(files: &[(&str, &str)]) -> (Vec<Shown>, String) {
    let site = TestSite::fixture("components");
    site.build_ok(&[]);
    let before = snapshot(&site.out());
    for (path, text) in files {
        site.write(path, text);
    }
    let run = site.build(&[]);
    assert!(!run.success, "the build should fail");
    assert!(
        snapshot(&site.out()) == before,
        "the last good site was changed"
    );
    let found = shown(&run.stderr);
    assert!(
        found.iter().all(|d| d.severity == "error"),
        "{}",
        run.stderr
    );
    (found, run.stderr)
}

fn place(d: &Shown) -> String {
    format!(
        "{}:{}:{}",
        d.path,
        d.line.unwrap_or(0),
        d.column.unwrap_or(0)
    )
}

#[test]
fn a_broken_file_of_each_format_is_reported_at_its_line_and_column() {
    let (found, stderr) = rejected(&[
        (
            "data/commitments.toml",
            "total = 12\n[event]\nname = \"The launch\nplace = \"the MAC\"\n",
        ),
        (
            "data/venues.json",
            "[\n  {\"name\": \"Park\", \"seats\": 300,}\n]\n",
        ),
        (
            "data/volunteers.csv",
            "name,role,hours\nAsha,Host,7\nBen,Writer\n",
        ),
    ]);
    let places: Vec<String> = found.iter().map(place).collect();
    assert_eq!(
        places,
        vec![
            // toml points where the closing quote should be; serde_json at the `}`.
            "data/commitments.toml:3:19",
            "data/venues.json:2:33",
            "data/volunteers.csv:3:1",
        ],
        "{stderr}"
    );
    assert!(found[0].message.starts_with("invalid TOML: "), "{stderr}");
    assert!(
        found[1].message.starts_with("invalid JSON: trailing comma"),
        "{stderr}"
    );
    assert_eq!(
        found[2].message,
        "this row has 2 fields, and the header has 3"
    );
    for d in &found {
        assert!(d.source.is_some(), "the line is shown: {d:?}");
        assert!(d.help.is_some(), "what would be right is said: {d:?}");
    }
    assert!(
        stderr.contains("3 errors found; nothing was written"),
        "{stderr}"
    );
}

#[test]
fn two_files_of_one_name_are_an_error_naming_both() {
    let (found, stderr) = rejected(&[("data/commitments.csv", "total\n12\n")]);
    assert_eq!(found.len(), 1, "{stderr}");
    assert_eq!(found[0].path, "data/commitments.toml");
    assert_eq!(
        found[0].message,
        "data/commitments.csv and data/commitments.toml are both `data.commitments`"
    );
}

#[test]
fn names_templates_could_not_use_are_errors() {
    let (found, stderr) = rejected(&[
        ("data/v1.2.json", "{}"),
        ("data/volunteers.pl.csv", "name\n"),
        ("data/venues.en-GB.json", "[]"),
    ]);
    let messages: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d.path.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        vec![
            (
                "data/v1.2.json",
                "`v1.2` cannot name data: templates read a dot in data.<folder>.<file> as a step into a table"
            ),
            (
                "data/venues.en-GB.json",
                "`en-GB` is the site's default language, whose files carry no code"
            ),
            (
                "data/volunteers.pl.csv",
                "`pl` in the file name is not one of the site's languages"
            ),
        ],
        "{stderr}"
    );
}

#[test]
fn a_folder_is_a_table_and_other_files_are_a_warning() {
    let site = TestSite::fixture("components");
    site.write("data/events/launch.toml", "place = \"Cannon Hill Park\"\n");
    site.write("data/notes.txt", "Counted by hand.\n");
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html lang=\"en\"><title>x</title><main><p>At {{ data.events.launch.place }}.</p></main></html>",
    );
    let run = site.build_ok(&[]);
    assert!(not_found_text(&site).contains("At Cannon Hill Park."));
    let found = shown(&run.stderr);
    assert_eq!(found.len(), 1, "{}", run.stderr);
    assert_eq!(
        (found[0].severity.as_str(), found[0].path.as_str()),
        ("warning", "data/notes.txt")
    );
    assert_eq!(found[0].message, "this is not a data file, and is left out");

    // A file named as the folder is: which is `data.events`?
    site.write("data/events.json", "{}");
    let run = site.build(&[]);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("data/events.json and the folder data/events/ are both `data.events`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_language_gives_only_what_it_changes() {
    let site = TestSite::fixture("languages");
    site.write(
        "data/words.toml",
        "greeting = \"Hello\"\nplace = \"Fixtureville\"\n",
    );
    site.write("data/words.pl.toml", "greeting = \"Dzień dobry\"\n");
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"{{ site.language }}\"><title>x</title><main><p>{{ data.words.greeting }}, {{ data.words.place }}.</p></main></html>",
    );
    site.build_ok(&[]);
    let text = |page: &str| text_of(main_of(&site.page(page)));
    assert_eq!(text("about/index.html"), "Hello, Fixtureville.");
    assert_eq!(text("pl/o-nas/index.html"), "Dzień dobry, Fixtureville.");
    assert_eq!(text("ur/about/index.html"), "Hello, Fixtureville.");

    site.write("data/greetings.ur.toml", "greeting = \"سلام\"\n");
    let run = site.build(&[]);
    assert!(!run.success);
    assert!(
        run.stderr.contains(
            "this language's version has no original: there is no `data.greetings` for it to stand in for"
        ),
        "{}",
        run.stderr
    );
}
