//! Any text through brum's Markdown rendering (its options, heading ids, link
//! rewriting, footnotes, summary): no panic, no stack overflow, every heading
//! gets an id, and every note mark and back link leads to its note.
#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use brum::markdown::{self, Links};
use libfuzzer_sys::fuzz_target;

fn content_urls() -> &'static HashMap<String, String> {
    static URLS: OnceLock<HashMap<String, String>> = OnceLock::new();
    URLS.get_or_init(|| {
        HashMap::from([
            ("stories/a.md".to_string(), "/sub/stories/a/".to_string()),
            (
                "partners/mac.md".to_string(),
                "/sub/partners/mac/".to_string(),
            ),
            ("pages/about.md".to_string(), "/sub/about/".to_string()),
        ])
    })
}

fuzz_target!(|text: &str| {
    let links = Links {
        base_path: "/sub/",
        page_url: "/sub/stories/x/",
        source_dir: "stories",
        content_urls: content_urls(),
    };
    let rendered = markdown::render(text, &links);
    // Every heading found gets an id: the page's anchors depend on it.
    assert!(rendered.headings.iter().all(|h| !h.id.is_empty()));
    // Raw HTML could spell the same marks; only brum's own are judged.
    if !text.contains("footnote") {
        for target in note_links(&rendered.html) {
            assert!(
                rendered.html.contains(&format!("id=\"{target}\"")),
                "#{target} leads nowhere"
            );
        }
    }
    let _ = markdown::render_summary(text, &links);
});

/// The targets of brum's note marks (`<sup class="footnote-ref"><a
/// href="#fn-N"`) and back links (`<a href="#fnref-N" class="footnote-back">`).
fn note_links(html: &str) -> Vec<&str> {
    let marks = html
        .split("<sup class=\"footnote-ref\"><a href=\"#")
        .skip(1);
    let backs = html
        .split("<a href=\"#")
        .skip(1)
        .filter(|s| s.contains("\" class=\"footnote-back\""));
    marks
        .chain(backs)
        .filter_map(|s| s.split('"').next())
        .collect()
}
