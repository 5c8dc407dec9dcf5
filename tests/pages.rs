//! Every kind of page the generator writes, and what each shows.

use crate::support::{TestSite, hrefs, main_of, text_of};

fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    site
}

#[test]
fn every_page_is_written() {
    let site = built();
    for page in [
        "index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "stories/index.html",
        "stories/page/2/index.html",
        "stories/page/3/index.html",
        "stories/canal-walks/index.html",
        "stories/custom-slug/index.html",
        "stories/bundle-story/index.html",
        "topics/index.html",
        "topics/culture/index.html",
        "topics/culture/page/2/index.html",
        "topics/economy/index.html",
        "questions/index.html",
        "questions/great/index.html",
        "questions/future/index.html",
        "partners/index.html",
        "partners/the-mac/index.html",
        "partners/city-council/index.html",
        "timeline/index.html",
        "timeline/campaign/index.html",
        "timeline/launch/index.html",
        "about/index.html",
        "privacy/index.html",
        "old/canal-walks/index.html",
        "privacy-policy/index.html",
        "style.css",
        "images/pic.png",
        "stories/bundle-story/photo.png",
        "stories/bundle-story/notes.txt",
    ] {
        assert!(site.out().join(page).is_file(), "{page} is missing");
    }
    assert!(
        !site.out().join("stories/page/4").exists(),
        "five stories at two a page make three pages"
    );
    assert!(
        !site.out().join("stories/no-partner").exists(),
        "the slug in front matter names the page"
    );
}

#[test]
fn the_build_ends_with_one_line_of_pages_and_time() {
    let site = TestSite::fixture("basic");
    let run = site.build_ok(&[]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(lines[0].starts_with("Built 35 pages"), "{}", lines[0]);
    assert!(lines[0].ends_with(" ms"), "{}", lines[0]);
}

#[test]
fn home_shows_campaign_latest_stories_next_steps_and_partner_count() {
    let site = built();
    let home = site.page("index.html");
    let text = text_of(main_of(&home));
    assert!(text.contains("What makes Fixtureville great?"), "{text}");
    assert!(text.contains("What's great about Fixtureville?"));
    assert!(text.contains("What will make Fixtureville successful in the future?"));
    assert!(text.contains("Welcome to the fixture campaign home."));
    // Newest story first.
    let newest = text
        .find("A story without a partner")
        .expect("latest story shown");
    let older = text.find("Canal walks at dawn").expect("older story shown");
    assert!(newest < older);
    assert!(!text.contains("A draft story"));
    // What is next: the period in progress and the planned steps, not the past.
    assert!(text.contains("The summer campaign"));
    assert!(text.contains("City vision agreed"));
    assert!(
        !text.contains("First steering group meeting"),
        "done entries are not 'next'"
    );
    assert!(text.contains('2'), "partner count");
    assert!(hrefs(&home).contains(&"/partners/".to_string()));
}

#[test]
fn stories_are_paginated_newest_first() {
    let site = built();
    let first = text_of(main_of(&site.page("stories/index.html")));
    assert!(
        first.contains("A story without a partner") && first.contains("Markdown features"),
        "{first}"
    );
    assert!(!first.contains("Canal walks at dawn"));
    let second_html = site.page("stories/page/2/index.html");
    let second = text_of(main_of(&second_html));
    assert!(
        second.contains("A story with its own photo") && second.contains("Jobs for young people"),
        "{second}"
    );
    let links = hrefs(&second_html);
    assert!(
        links.contains(&"/stories/".to_string()),
        "link back to page 1"
    );
    assert!(
        links.contains(&"/stories/page/3/".to_string()),
        "link on to page 3"
    );
    let third = text_of(main_of(&site.page("stories/page/3/index.html")));
    assert!(third.contains("Canal walks at dawn"));
}

#[test]
fn story_page_shows_author_date_partner_question_topics_and_neighbours() {
    let site = built();
    let html = site.page("stories/jobs-for-young-people/index.html");
    let main = main_of(&html);
    let text = text_of(main);
    assert!(text.contains("Jobs for young people"));
    assert!(text.contains("Tom Reid"));
    assert!(text.contains("1 August 2015"));
    assert!(text.contains("3 August 2015"), "updated date");
    assert!(text.contains("Fixtureville City Council"));
    assert!(text.contains("What will make Fixtureville successful in the future?"));
    let links = hrefs(main);
    for link in [
        "/partners/city-council/",
        "/questions/future/",
        "/topics/economy/",
        "/topics/education/",
    ] {
        assert!(links.contains(&link.to_string()), "{link} in {links:?}");
    }
    // Older: the canal story; newer: the bundle story.
    assert!(links.contains(&"/stories/canal-walks/".to_string()));
    assert!(links.contains(&"/stories/bundle-story/".to_string()));
    assert!(
        main.contains("src=\"/images/pic-4w-")
            && main.contains("alt=\"Apprentices at a workbench\"")
    );
}

#[test]
fn topic_and_question_pages_list_their_stories_paginated() {
    let site = built();
    let culture = text_of(main_of(&site.page("topics/culture/index.html")));
    assert!(
        culture.contains("A story without a partner")
            && culture.contains("A story with its own photo")
    );
    assert!(!culture.contains("A draft story") && !culture.contains("A story from the future"));
    let culture2 = text_of(main_of(&site.page("topics/culture/page/2/index.html")));
    assert!(culture2.contains("Canal walks at dawn"));
    let index = site.page("topics/index.html");
    for key in ["culture", "economy", "education"] {
        assert!(hrefs(&index).contains(&format!("/topics/{key}/")));
    }
    let great = text_of(main_of(&site.page("questions/great/index.html")));
    assert!(great.contains("Canal walks at dawn") && great.contains("A story with its own photo"));
    assert!(!great.contains("Jobs for young people"));
}

#[test]
fn partner_page_lists_commitments_stories_and_timeline() {
    let site = built();
    let html = site.page("partners/the-mac/index.html");
    let text = text_of(main_of(&html));
    assert!(text.contains("Midlands Arts Centre"));
    assert!(text.contains("Host events") && text.contains("Lead conversations"));
    assert!(text.contains("An arts centre in Cannon Hill Park."));
    assert!(text.contains("Canal walks at dawn") && text.contains("A story with its own photo"));
    assert!(
        !text.contains("Jobs for young people"),
        "another partner's story"
    );
    assert!(
        text.contains("The summer campaign"),
        "timeline entry that involves the partner"
    );
    assert!(!text.contains("First steering group meeting"));
    assert!(hrefs(&html).contains(&"https://macbirmingham.co.uk/".to_string()));
}

#[test]
fn partner_directory_is_grouped_by_sector_without_drafts() {
    let site = built();
    let html = site.page("partners/index.html");
    // The directory, after the pictures (which name every partner too).
    let text = text_of(&html[html.find("id=\"brum-directory\"").expect("a directory")..]);
    // The last mention of each sector is its heading (a theme may list them first).
    let public = text.rfind("Public sector").expect("public sector heading");
    let council = text.find("Fixtureville City Council").unwrap();
    let voluntary = text
        .rfind("Voluntary and community sector")
        .expect("voluntary heading");
    let mac = text.find("Midlands Arts Centre").unwrap();
    assert!(
        public < council && council < voluntary && voluntary < mac,
        "{text}"
    );
    assert!(!text.contains("A partner still in draft"));
    assert!(!site.out().join("partners/hidden").exists());
}

#[test]
fn timeline_shows_every_entry_in_order_with_status_and_ranges() {
    let site = built();
    let html = site.page("timeline/index.html");
    // The list of entries, after the road (which names every entry too).
    let text = text_of(&html[html.find("id=\"brum-timeline-list\"").expect("a list")..]);
    let order: Vec<usize> = [
        "First steering group meeting",
        "The summer campaign",
        "City vision agreed",
        "Formal launch",
    ]
    .iter()
    .map(|t| text.find(t).unwrap_or_else(|| panic!("{t} missing")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "date order: {text}");
    // Status per entry, derived from the dates against 1 October 2015 unless given.
    let status_after = |title: &str| {
        let at = text.find(title).unwrap();
        ["Done", "In progress", "Planned"]
            .into_iter()
            .min_by_key(|s| text[at..].find(s).unwrap_or(usize::MAX))
            .unwrap()
    };
    assert_eq!(status_after("First steering group meeting"), "Done");
    assert_eq!(status_after("The summer campaign"), "In progress");
    assert_eq!(status_after("City vision agreed"), "Planned");
    assert_eq!(status_after("Formal launch"), "Planned");
    assert!(
        text.contains("1 August 2015") && text.contains("31 October 2015"),
        "the period's range"
    );
    let entry = text_of(main_of(&site.page("timeline/campaign/index.html")));
    assert!(entry.contains("Across the city") && entry.contains("Midlands Arts Centre"));
}

#[test]
fn menu_pages_are_in_the_navigation_by_weight() {
    let site = built();
    let home = site.page("index.html");
    let about = home.find("href=\"/about/\"").expect("about in nav");
    let involved = home
        .find("href=\"/get-involved/\"")
        .expect("get involved in nav");
    assert!(about < involved, "weight 1 before weight 2");
    let nav_end = home.find("<main").unwrap();
    assert!(
        !home[..nav_end].contains("href=\"/privacy/\""),
        "privacy is not a menu page"
    );
    let about_page = text_of(main_of(&site.page("about/index.html")));
    assert!(
        about_page.contains("About us") && about_page.contains("A coalition, not a committee.")
    );
}

#[test]
fn aliases_redirect_to_their_page() {
    let site = built();
    let alias = site.page("old/canal-walks/index.html");
    assert!(alias.contains("http-equiv=\"refresh\""));
    assert!(
        alias.contains("url=https://example.org/stories/canal-walks/"),
        "{alias}"
    );
    assert!(alias.contains("rel=\"canonical\" href=\"https://example.org/stories/canal-walks/\""));
    let privacy = site.page("privacy-policy/index.html");
    assert!(privacy.contains("https://example.org/privacy/"));
}

#[test]
fn feed_is_atom_with_published_stories_newest_first() {
    let site = built();
    let xml = site.page("feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("the feed is well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .map(|c| c.text().unwrap_or("").to_string())
    };
    assert_eq!(child(feed, "id").as_deref(), Some("https://example.org/"));
    assert_eq!(child(feed, "title").as_deref(), Some("Fixture Partners"));
    assert_eq!(
        child(feed, "updated").as_deref(),
        Some("2015-09-15T00:00:00Z")
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    let ids: Vec<String> = entries.iter().map(|e| child(*e, "id").unwrap()).collect();
    assert_eq!(
        ids,
        [
            "https://example.org/stories/custom-slug/",
            "https://example.org/stories/markdown-features/",
            "https://example.org/stories/bundle-story/",
            "https://example.org/stories/jobs-for-young-people/",
            "https://example.org/stories/canal-walks/",
        ]
    );
    for e in &entries {
        for required in ["title", "updated", "link", "content"] {
            assert!(
                e.children().any(|c| c.tag_name().name() == required),
                "entry lacks {required}"
            );
        }
    }
    let jobs = &entries[3];
    assert_eq!(
        child(*jobs, "published").as_deref(),
        Some("2015-08-01T09:30:00+01:00")
    );
    assert_eq!(
        child(*jobs, "updated").as_deref(),
        Some("2015-08-03T00:00:00+00:00")
    );
    let content = child(*jobs, "content").unwrap();
    assert!(
        content.contains("<a href=\"/partners/the-mac/\">the MAC</a>"),
        "HTML content, escaped in the XML: {content}"
    );
}

#[test]
fn sitemap_lists_every_published_page_and_robots_points_to_it() {
    let site = built();
    let xml = site.page("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("the sitemap is well-formed XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .collect();
    for url in [
        "https://example.org/",
        "https://example.org/stories/canal-walks/",
        "https://example.org/stories/custom-slug/",
        "https://example.org/partners/the-mac/",
        "https://example.org/timeline/launch/",
        "https://example.org/about/",
        "https://example.org/topics/culture/",
    ] {
        assert!(locs.contains(&url), "{url} not in sitemap");
    }
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("a-draft") || l.contains("the-future") || l.contains("hidden"))
    );
    let robots = site.page("robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn not_found_page_links_home() {
    let site = built();
    let page = site.page("404.html");
    assert!(hrefs(&page).contains(&"/".to_string()));
    assert!(text_of(&page).to_lowercase().contains("not found"));
}
