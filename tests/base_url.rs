//! `--base-url`: every internal link follows it, including a sub-path.

use crate::support::{TestSite, hrefs, read, snapshot};

#[test]
fn a_sub_path_prefixes_every_internal_link() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--base-url", "https://example.org/partners/"]);
    let files = snapshot(&site.out());
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for href in hrefs(&html) {
            if href.starts_with('/') {
                assert!(
                    href.starts_with("/partners/"),
                    "{path}: {href} ignores the sub-path"
                );
                checked += 1;
            } else if href.starts_with("http") && href.contains("example.org") {
                assert!(
                    href.starts_with("https://example.org/partners/"),
                    "{path}: {href}"
                );
            }
        }
        for src in html
            .split("src=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            if src.starts_with('/') {
                assert!(
                    src.starts_with("/partners/"),
                    "{path}: src {src} ignores the sub-path"
                );
            }
        }
    }
    assert!(checked > 100, "only {checked} internal links seen");
    // Links written in Markdown as site paths and as content files follow too.
    let jobs = read(&site.out().join("stories/jobs-for-young-people/index.html"));
    assert!(jobs.contains("href=\"/partners/partners/the-mac/\""));
    assert!(jobs.contains("href=\"/partners/timeline/first-meeting/\""));
    assert!(jobs.contains("src=\"/partners/images/pic-4w-"), "{jobs}");
    // Absolute URLs carry the sub-path.
    let feed = read(&site.out().join("feed.xml"));
    assert!(feed.contains("<id>https://example.org/partners/stories/canal-walks/</id>"));
    let alias = read(&site.out().join("old/canal-walks/index.html"));
    assert!(alias.contains("url=https://example.org/partners/stories/canal-walks/"));
    // The output folder is the site itself, to be served at the sub-path.
    assert!(site.out().join("stories/canal-walks/index.html").is_file());
}

#[test]
fn a_bad_base_url_is_refused() {
    let site = TestSite::fixture("basic");
    let run = site.build(&["--base-url", "example.org"]);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("--base-url must be an absolute http(s) URL"),
        "{}",
        run.stderr
    );
}
