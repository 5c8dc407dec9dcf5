//! What a shared link shows and what search engines read: canonical URLs,
//! descriptions, OpenGraph and Twitter card tags, schema.org JSON-LD, share
//! links, and every value escaped for the context it lands in.

use serde_json::Value;

use crate::support::TestSite;

fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    site
}

/// Undoes the five escapes the theme's escaper writes.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The `content` of `<meta {attr}="{name}" content="...">`, unescaped.
fn meta(html: &str, attr: &str, name: &str) -> Option<String> {
    let needle = format!("<meta {attr}=\"{name}\" content=\"");
    let start = html.find(&needle)? + needle.len();
    let end = html[start..].find('"')? + start;
    Some(unescape(&html[start..end]))
}

fn og(html: &str, name: &str) -> String {
    meta(html, "property", name).unwrap_or_else(|| panic!("no {name} in:\n{html}"))
}

fn twitter(html: &str, name: &str) -> String {
    meta(html, "name", name).unwrap_or_else(|| panic!("no {name} in:\n{html}"))
}

fn canonical(html: &str) -> String {
    let needle = "<link rel=\"canonical\" href=\"";
    let start = html.find(needle).expect("a canonical link") + needle.len();
    unescape(&html[start..start + html[start..].find('"').unwrap()])
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(at, _)| {
            let start = at + open.len();
            let end = start + html[start..].find("</script>").expect("closed script");
            serde_json::from_str(&html[start..end])
                .unwrap_or_else(|e| panic!("JSON-LD does not parse ({e}):\n{}", &html[start..end]))
        })
        .collect()
}

fn only_json_ld(html: &str) -> Value {
    let mut all = json_ld(html);
    assert_eq!(all.len(), 1, "one JSON-LD block");
    all.remove(0)
}

#[test]
fn a_story_with_an_image_shares_it_and_is_an_article() {
    let site = built();
    let html = site.page("stories/bundle-story/index.html");
    let url = "https://example.org/stories/bundle-story/";
    assert_eq!(canonical(&html), url);
    assert_eq!(og(&html, "og:url"), url);
    assert_eq!(og(&html, "og:type"), "article");
    assert_eq!(og(&html, "og:title"), "A story with its own photo");
    assert_eq!(og(&html, "og:site_name"), "Fixture Partners");
    assert!(og(&html, "og:description").starts_with("Here is the photo"));
    assert_eq!(
        meta(&html, "name", "description").unwrap(),
        og(&html, "og:description")
    );
    // The photo cut to the link-preview shape (1200×630, never enlarged: this
    // one is tiny), a file of its own, with its size said.
    let image = og(&html, "og:image");
    let file = image
        .strip_prefix("https://example.org/stories/bundle-story/photo-")
        .unwrap_or_else(|| panic!("{image}"));
    assert!(file.ends_with(".png"), "{image}");
    let path = site
        .out()
        .join(image.trim_start_matches("https://example.org/"));
    let (w, h) = image::image_dimensions(&path).unwrap();
    assert_eq!(og(&html, "og:image:width"), w.to_string());
    assert_eq!(og(&html, "og:image:height"), h.to_string());
    assert!(
        (w as f64 / h as f64 - 1200.0 / 630.0).abs() < 0.3,
        "{w}x{h} is the card's shape"
    );
    let image = image.as_str();
    assert_eq!(og(&html, "og:image:alt"), "A red square on a white wall");
    assert_eq!(twitter(&html, "twitter:card"), "summary_large_image");
    assert_eq!(twitter(&html, "twitter:image"), image);
    assert_eq!(
        twitter(&html, "twitter:image:alt"),
        "A red square on a white wall"
    );
    assert_eq!(twitter(&html, "twitter:site"), "@FixturePartners");

    let ld = only_json_ld(&html);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Article");
    assert_eq!(ld["headline"], "A story with its own photo");
    assert_eq!(ld["author"]["@type"], "Person");
    assert_eq!(ld["author"]["name"], "Kim Lee");
    assert_eq!(ld["datePublished"], "2015-08-20");
    assert!(
        ld.get("dateModified").is_none(),
        "no updated date was given"
    );
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], "Fixture Partners");
    assert_eq!(
        ld["publisher"]["logo"]["url"],
        "https://example.org/logo.svg"
    );
    assert_eq!(ld["image"]["url"], image);
    assert_eq!(ld["mainEntityOfPage"]["@id"], url);
    assert_eq!(ld["url"], url);
    assert_eq!(ld["about"]["name"], "Midlands Arts Centre");
}

#[test]
fn a_story_without_an_image_shares_the_site_picture() {
    let site = built();
    let html = site.page("stories/canal-walks/index.html");
    assert_eq!(og(&html, "og:image"), "https://example.org/social.png");
    assert_eq!(
        og(&html, "og:image:alt"),
        "Fixture Partners: What makes Fixtureville great?"
    );
    assert!(site.out().join("social.png").is_file());
    let ld = only_json_ld(&html);
    assert_eq!(ld["image"]["url"], "https://example.org/social.png");
    assert_eq!(ld["author"]["name"], "Asha Patel");
}

#[test]
fn a_story_updated_date_is_date_modified() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/stories/revised.md",
        "+++\ntitle = \"Revised\"\ndate = 2015-06-01\nupdated = 2015-09-02T10:30:00+01:00\n+++\n\nText.\n",
    );
    site.build_ok(&[]);
    let ld = only_json_ld(&site.page("stories/revised/index.html"));
    assert_eq!(ld["datePublished"], "2015-06-01");
    assert_eq!(ld["dateModified"], "2015-09-02T10:30:00+01:00");
    assert_eq!(
        ld["author"]["@type"], "Organization",
        "without an author the site is the author"
    );
}

#[test]
fn a_partner_page_is_an_organization() {
    let site = built();
    let html = site.page("partners/the-mac/index.html");
    let url = "https://example.org/partners/the-mac/";
    assert_eq!(canonical(&html), url);
    assert_eq!(og(&html, "og:type"), "website");
    assert_eq!(og(&html, "og:title"), "Midlands Arts Centre");
    assert_eq!(og(&html, "og:image"), "https://example.org/social.png");
    let ld = only_json_ld(&html);
    assert_eq!(ld["@type"], "Organization");
    assert_eq!(ld["name"], "Midlands Arts Centre");
    assert_eq!(ld["url"], url);
    assert_eq!(ld["description"], "An arts centre in Cannon Hill Park.");
    let same_as: Vec<&str> = ld["sameAs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        same_as,
        [
            "https://macbirmingham.co.uk/",
            "https://twitter.com/macbirmingham"
        ]
    );
    assert!(html.contains("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample%2Eorg%2Fpartners%2Fthe%2Dmac%2F"));
}

#[test]
fn a_partner_logo_is_its_picture_and_logo() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/partners/with-logo/index.md",
        "+++\nname = \"Logo Co\"\nsector = \"public\"\nlogo = \"logo.png\"\nlogo_alt = \"Logo Co's green leaf\"\n+++\n\nAbout.\n",
    );
    site.write(
        "content/partners/with-logo/logo.png",
        std::fs::read(site.root().join("static/images/pic.png")).unwrap(),
    );
    site.build_ok(&[]);
    let html = site.page("partners/with-logo/index.html");
    let logo = "https://example.org/partners/with-logo/logo.png";
    assert_eq!(og(&html, "og:image"), logo);
    assert_eq!(og(&html, "og:image:alt"), "Logo Co's green leaf");
    assert_eq!(only_json_ld(&html)["logo"]["url"], logo);
}

#[test]
fn a_timeline_entry_with_a_location_is_an_event() {
    let site = built();
    let html = site.page("timeline/campaign/index.html");
    let ld = only_json_ld(&html);
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["name"], "The summer campaign");
    assert_eq!(ld["url"], "https://example.org/timeline/campaign/");
    assert_eq!(ld["startDate"], "2015-08-01");
    assert_eq!(ld["endDate"], "2015-10-31");
    assert_eq!(ld["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(ld["location"]["@type"], "Place");
    assert_eq!(ld["location"]["name"], "Across the city");
    let organizers: Vec<&str> = ld["organizer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(organizers.len(), 2);
    assert!(organizers.contains(&"Midlands Arts Centre"));

    let no_place = site.page("timeline/first-meeting/index.html");
    assert!(
        json_ld(&no_place).is_empty(),
        "an entry without a location is not an event"
    );
    assert_eq!(
        og(&no_place, "og:url"),
        "https://example.org/timeline/first-meeting/"
    );
}

#[test]
fn the_home_page_is_a_website_with_a_search_action() {
    let site = built();
    let html = site.page("index.html");
    assert_eq!(canonical(&html), "https://example.org/");
    assert_eq!(og(&html, "og:title"), "What makes Fixtureville great?");
    assert_eq!(og(&html, "og:image"), "https://example.org/social.png");
    let ld = only_json_ld(&html);
    assert_eq!(ld["@type"], "WebSite");
    assert_eq!(ld["name"], "Fixture Partners");
    assert_eq!(ld["url"], "https://example.org/");
    let action = &ld["potentialAction"];
    assert_eq!(action["@type"], "SearchAction");
    assert_eq!(
        action["target"]["urlTemplate"],
        "https://example.org/search/?q={search_term_string}"
    );
    assert_eq!(action["query-input"], "required name=search_term_string");
    assert!(
        site.out().join("search/index.html").is_file(),
        "the search action leads to a page"
    );
}

#[test]
fn every_page_has_a_canonical_url_and_a_description() {
    let site = built();
    for (page, url) in [
        ("stories/index.html", "https://example.org/stories/"),
        (
            "topics/culture/index.html",
            "https://example.org/topics/culture/",
        ),
        ("about/index.html", "https://example.org/about/"),
        ("search/index.html", "https://example.org/search/"),
    ] {
        let html = site.page(page);
        assert_eq!(canonical(&html), url, "{page}");
        assert!(!meta(&html, "name", "description").unwrap().is_empty());
        assert!(!og(&html, "og:description").is_empty(), "{page}");
        assert_eq!(twitter(&html, "twitter:card"), "summary_large_image");
    }
}

#[test]
fn share_links_are_plain_links_with_encoded_parameters() {
    let site = built();
    let html = site.page("stories/canal-walks/index.html");
    let url = "https%3A%2F%2Fexample%2Eorg%2Fstories%2Fcanal%2Dwalks%2F";
    let title = "Canal%20walks%20at%20dawn";
    for href in [
        format!("https://twitter.com/intent/tweet?text={title}&amp;url={url}"),
        format!("https://www.facebook.com/sharer/sharer.php?u={url}"),
        format!("https://www.linkedin.com/sharing/share-offsite/?url={url}"),
        format!("mailto:?subject={title}&amp;body={url}"),
    ] {
        assert!(html.contains(&format!("<a href=\"{href}\">")), "{href}");
    }
    // No third-party scripts, frames or pixels anywhere in the theme.
    for page in [
        "index.html",
        "stories/canal-walks/index.html",
        "search/index.html",
    ] {
        let html = site.page(page);
        for (at, _) in html.match_indices("<script") {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            assert!(
                !tag.contains("src=\"http") && !tag.contains("src=\"//"),
                "{page}: {tag}"
            );
        }
        assert!(!html.contains("<iframe"), "{page}");
    }
}

const HOSTILE: &str = "</script><script>alert(1)</script> & \"Brum\"";

#[test]
fn a_hostile_title_is_text_everywhere() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/stories/hostile.md",
        format!(
            "+++\ntitle = '{HOSTILE}'\ndate = 2015-09-30\ntopics = [\"culture\"]\nslug = \"hostile\"\n+++\n\nA hostile title.\n"
        ),
    );
    site.build_ok(&[]);
    let escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Brum&quot;";

    let html = site.page("stories/hostile/index.html");
    assert!(!html.contains("<script>alert"), "no live script:\n{html}");
    assert!(html.contains(&format!("<h1>{escaped}</h1>")));
    assert!(html.contains(&format!("<title>{escaped} | Fixture Partners</title>")));
    assert_eq!(og(&html, "og:title"), HOSTILE);
    assert_eq!(twitter(&html, "twitter:title"), HOSTILE);
    // JSON-LD parses, and round-trips the exact title.
    let ld = only_json_ld(&html);
    assert_eq!(ld["headline"], HOSTILE);
    // Share links carry it percent-encoded.
    assert!(html.contains(
        "text=%3C%2Fscript%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%20%26%20%22Brum%22&amp;url="
    ));

    for listing in [
        "index.html",
        "stories/index.html",
        "topics/culture/index.html",
    ] {
        let html = site.page(listing);
        assert!(!html.contains("<script>alert"), "{listing}");
        assert!(html.contains(escaped), "{listing} shows the title as text");
    }

    let feed = site.page("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title") && n.parent().is_some_and(|p| p.has_tag_name("entry")))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&HOSTILE), "{titles:?}");

    let sitemap = site.page("sitemap.xml");
    roxmltree::Document::parse(&sitemap).expect("the sitemap is XML");
    assert!(sitemap.contains("https://example.org/stories/hostile/"));
}
