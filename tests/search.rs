//! Search as a visitor uses it: a fixture site built with brum, served over
//! loopback HTTP as a static host would serve it, and its search page driven
//! in headless Chromium through WebDriver (chromedriver). Also what the
//! build writes for search, and that `brum serve` keeps its index current.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use crate::browser::Session;
use crate::support::TestSite;

#[test]
fn the_build_writes_an_index_of_items_but_not_lists() {
    let site = TestSite::fixture("search");
    site.build_ok(&[]);
    let out = site.out();
    assert!(out.join("pagefind/pagefind.js").is_file());
    assert!(out.join("pagefind/pagefind-entry.json").is_file());
    let fragments = std::fs::read_dir(out.join("pagefind/fragment"))
        .unwrap()
        .count();
    // Three stories, a partner, a timeline entry and a page; no lists.
    assert_eq!(fragments, 6);
    let page = site.page("search/index.html");
    assert!(page.contains("<label for=\"brum-search-q\">Search for</label>"));
    assert!(page.contains("role=\"status\""));
    assert!(page.contains("Search needs JavaScript"));
}

/// The text Pagefind keeps of each page (its fragments, gunzipped), by URL.
fn indexed_texts(out: &Path) -> Vec<(String, String)> {
    use std::io::Read;
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(out.join("pagefind/fragment")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut json = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut json)
            .unwrap();
        let json = json.strip_prefix("pagefind_dcd").unwrap();
        let fragment: serde_json::Value = serde_json::from_str(json).unwrap();
        let text = |key: &str| fragment[key].as_str().unwrap().to_string();
        texts.push((text("url"), text("content")));
    }
    texts
}

/// The text Pagefind keeps of the search fixture's page at `url`.
fn fixture_text(url: &str) -> String {
    let site = TestSite::fixture("search");
    site.build_ok(&[]);
    let texts = indexed_texts(&site.out());
    let found = texts.into_iter().find(|(u, _)| u == url);
    found
        .unwrap_or_else(|| panic!("{url} is not in the index"))
        .1
}

#[test]
fn a_storys_details_are_indexed_as_separate_words() {
    let text = fixture_text("/stories/zeppelin-over-the-bullring/");
    // A term and its value were read as one word ("ByAsha"), in the index
    // and in the excerpts a visitor sees.
    assert!(
        text.starts_with("A zeppelin over the Bullring. Published 1 July 2015. By Asha Patel. Reading time 1 min. "),
        "{text}"
    );
}

#[test]
fn a_tables_header_cells_are_indexed_as_separate_words() {
    let text = fixture_text("/stories/canal-walks/");
    // Pagefind ended a data cell as a sentence but ran header cells
    // together ("StretchTowpath"), so neither heading could be found.
    assert!(
        text.contains("Stretch. Towpath. Gas Street to Ladywood. 2 km"),
        "{text}"
    );
}

#[test]
fn a_site_without_search_has_no_index_page_link_or_search_action() {
    let site = TestSite::fixture("search");
    let toml = site.read("site.toml");
    assert!(toml.contains("[search]\nenabled = true\n"));
    site.write("site.toml", toml.replace("[search]\nenabled = true\n", ""));
    site.build_ok(&[]);
    let out = site.out();
    assert!(!out.join("pagefind").exists(), "no index is written");
    assert!(!out.join("search/index.html").exists(), "no search page");
    let home = site.page("index.html");
    assert!(
        !home.contains("/search/"),
        "nothing links to search:\n{home}"
    );
    assert!(!home.contains("SearchAction"));
    assert!(home.contains("\"@type\":\"WebSite\""), "{home}");
    // Turned back on, everything returns.
    site.write("site.toml", toml);
    site.build_ok(&[]);
    assert!(out.join("pagefind/pagefind.js").is_file());
    assert!(site.page("index.html").contains("SearchAction"));
}

#[test]
fn a_theme_needs_a_search_page_only_when_the_site_has_search() {
    let site = TestSite::fixture("search");
    // A copy of the default theme without its search page.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&theme) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&theme).unwrap();
        if entry.file_type().is_file() && rel != Path::new("templates/search.html") {
            site.write(
                &format!("themes/plain/{}", rel.display()),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    let toml = site
        .read("site.toml")
        .replace("theme = \"default\"", "theme = \"plain\"");
    site.write("site.toml", &toml);
    let run = site.build(&[]);
    assert!(!run.success);
    for line in [
        "error: the template `search.html` is missing",
        "--> themes/plain/templates/search.html",
        "site.toml turns search on ([search] enabled = true)",
    ] {
        assert!(run.stderr.contains(line), "{line}:\n{}", run.stderr);
    }
    site.write("site.toml", toml.replace("[search]\nenabled = true\n", ""));
    site.build_ok(&[]);
    assert!(!site.out().join("search").exists());
}

/// Waits until the live region says something other than "" or
/// "Searching…", and returns it.
async fn settled_status(client: &Client, wanted: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = client
            .find(Locator::Id("brum-search-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if status.contains(wanted) {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "the status never said {wanted:?}; it says {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

#[test]
#[ignore = "slow tier: drives Chromium through chromedriver"]
fn a_visitor_finds_the_two_stories_with_a_word_then_narrows_by_topic() {
    let site = TestSite::fixture("search");
    site.build_ok(&[]);
    let Some(browser) = Session::open(site.out()) else {
        return;
    };
    browser.runtime.block_on(async {
        let client = browser.client.clone();
        let base = &browser.base;
        client.goto(&format!("{base}/search/")).await.unwrap();
        // The form appears once the index has loaded.
        client
            .wait()
            .for_element(Locator::Css("#brum-search-form:not([hidden])"))
            .await
            .unwrap();
        let input = client.find(Locator::Id("brum-search-q")).await.unwrap();
        input.send_keys("zeppelin").await.unwrap();
        let status = settled_status(&client, "results").await;
        assert_eq!(status, "2 results for “zeppelin”.");
        let mut titles = texts(&client, ".brum-result__title a").await;
        titles.sort();
        assert_eq!(
            titles,
            ["A zeppelin over the Bullring", "Airships mean business"]
        );
        assert_eq!(
            texts(&client, ".brum-result__type").await,
            ["Story", "Story"]
        );
        let marks = texts(&client, ".brum-result__excerpt mark").await;
        assert!(
            marks.iter().all(|m| m.eq_ignore_ascii_case("zeppelin")),
            "{marks:?}"
        );

        let topic = client.find(Locator::Id("brum-search-topic")).await.unwrap();
        topic.select_by_label("Culture").await.unwrap();
        let status = settled_status(&client, "in Culture").await;
        assert_eq!(status, "1 result for “zeppelin” in Culture.");
        assert_eq!(
            texts(&client, ".brum-result__title a").await,
            ["A zeppelin over the Bullring"]
        );
        let url = client.current_url().await.unwrap();
        assert_eq!(url.query(), Some("q=zeppelin&topic=Culture"));

        // The home page's search action: the query comes from the address.
        client
            .goto(&format!("{base}/search/?q=canal"))
            .await
            .unwrap();
        let status = settled_status(&client, "result").await;
        assert_eq!(status, "1 result for “canal”.");
        assert_eq!(
            texts(&client, ".brum-result__title a").await,
            ["Canal walks at dawn"]
        );
        client.close().await.unwrap();
    });
}

#[test]
#[ignore = "slow tier: drives Chromium through chromedriver"]
fn each_languages_search_page_finds_that_languages_pages() {
    let site = TestSite::fixture("languages");
    site.build_ok(&[]);
    let Some(browser) = Session::open(site.out()) else {
        return;
    };
    browser.runtime.block_on(async {
        let client = browser.client.clone();
        let base = &browser.base;
        for (page, query, title, said) in [
            (
                "/ur/search/",
                "نہر",
                "نہر کی سیر پڑوسیوں کو قریب لاتی ہے",
                "1 نتیجہ برائے “نہر”۔",
            ),
            (
                "/pl/search/",
                "kanału",
                "Spacery nad kanałem zbliżają sąsiadów",
                "1 wynik dla „kanału”.",
            ),
            (
                "/search/",
                "towpath",
                "Canal walks bring neighbours together",
                "1 result for “towpath”.",
            ),
        ] {
            let q = query.replace(' ', "+");
            client.goto(&format!("{base}{page}?q={q}")).await.unwrap();
            client
                .wait()
                .for_element(Locator::Css(".brum-result__title a"))
                .await
                .unwrap();
            // Only the page's own language: the story in the others is not
            // among the results.
            assert_eq!(
                texts(&client, ".brum-result__title a").await,
                [title],
                "{page}"
            );
            // The count, in the page's language.
            assert_eq!(settled_status(&client, query).await, said, "{page}");
        }
        client.close().await.unwrap();
    });
}
