//! Markdown as authors write it, as readers get it.

use crate::support::{TestSite, hrefs, main_of};

#[test]
fn tables_footnotes_strikethrough_tasks_smart_punctuation_and_heading_ids() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let html = site.page("stories/markdown-features/index.html");
    let main = main_of(&html);
    assert!(main.contains("“Quotes” and – dashes"), "smart punctuation");
    assert!(
        main.contains("<table>")
            && main.contains("<th>Ward</th>")
            && main.contains("<td>Aston</td>")
    );
    assert!(main.contains("<del>old</del>"));
    assert!(main.contains("type=\"checkbox\" disabled checked aria-label=\"Done\""));
    assert!(main.contains("type=\"checkbox\" disabled aria-label=\"Not done yet\""));
    // Two headings with the same text get distinct, stable ids.
    assert!(
        main.contains("<h2 id=\"plans\">Plans</h2>")
            && main.contains("<h2 id=\"plans-1\">Plans</h2>")
    );
    // The footnote reference and the note link to each other.
    assert!(main.contains("href=\"#fn-1\" id=\"fnref-1\""));
    assert!(main.contains("<li id=\"fn-1\">") && main.contains("href=\"#fnref-1\""));
    assert!(main.contains("Where the figure comes from."));
}

#[test]
fn summary_is_the_text_before_the_more_marker() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let list = main_of(&site.page("stories/index.html")).to_string();
    assert!(list.contains("“Quotes” and – dashes in the first paragraph."));
    assert!(
        !list.contains("Where the figure comes from"),
        "only the summary is listed"
    );
    // The front matter summary wins over the first paragraph.
    let page2 = site.page("stories/page/2/index.html");
    assert!(
        page2.contains("Apprenticeships that <em>stay</em> in the city."),
        "{page2}"
    );
}

#[test]
fn relative_links_to_content_files_and_bundle_files_resolve() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let jobs = site.page("stories/jobs-for-young-people/index.html");
    assert!(hrefs(main_of(&jobs)).contains(&"/partners/the-mac/".to_string()));
    let bundle = site.page("stories/bundle-story/index.html");
    let main = main_of(&bundle);
    assert!(
        hrefs(main).contains(&"/partners/the-mac/".to_string()),
        "../../partners/the-mac.md from a bundle"
    );
    assert!(hrefs(main).contains(&"/stories/bundle-story/notes.txt".to_string()));
    assert!(main.contains("src=\"/stories/bundle-story/photo-4w-"));
    assert!(
        main.contains("alt=\"A red square on a white wall\""),
        "the front matter image and its alt text"
    );
}
