//! The pictures drawn at build time (timeline road, vision cycle, partner
//! network, commitments chart): well-formed SVG, the same bytes on every
//! build, and saying what the content says. The `pictures` fixture's clock is
//! 1 October 2015, when the contributions entry is under way.

use std::path::Path;

use crate::support::{TestSite, text_of};

/// Every `<svg>…</svg>` of a page (the pictures do not nest).
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("an <svg> is closed") + start + 6;
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// The picture with this id on a page, parsed as XML.
fn picture<'a>(html: &'a str, id: &str) -> &'a str {
    svgs(html)
        .into_iter()
        .find(|s| s.contains(&format!("id=\"{id}\"")))
        .unwrap_or_else(|| panic!("no picture #{id} on the page"))
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"))
}

fn has_class(node: &roxmltree::Node, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

fn built() -> TestSite {
    let site = TestSite::fixture("pictures");
    site.build_ok(&[]);
    site
}

#[test]
fn every_picture_is_well_formed_and_names_itself() {
    let site = built();
    for (page, id) in [
        ("timeline/index.html", "brum-road"),
        ("index.html", "brum-cycle"),
        ("partners/index.html", "brum-net"),
        ("partners/index.html", "brum-commitments"),
    ] {
        let html = site.page(page);
        let doc = parse(picture(&html, id));
        let svg = doc.root_element();
        let role = svg.attribute("role").unwrap();
        assert!(role == "img" || role == "group", "{id}: role {role}");
        // The name and description are the picture's own title and desc.
        let title_id = svg.attribute("aria-labelledby").unwrap();
        let title = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(title_id))
            .unwrap_or_else(|| panic!("{id}: no element #{title_id}"));
        assert_eq!(title.tag_name().name(), "title");
        assert!(!title.text().unwrap_or("").is_empty());
        let desc_id = svg.attribute("aria-describedby").unwrap();
        let desc = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(desc_id))
            .unwrap();
        assert_eq!(desc.tag_name().name(), "desc");
    }
}

#[test]
fn a_partner_name_with_markup_stays_text_in_the_network() {
    let site = built();
    let html = site.page("partners/index.html");
    let svg = picture(&html, "brum-net");
    assert!(!svg.contains("<script>"), "{svg}");
    let doc = parse(svg);
    let bakery = doc
        .descendants()
        .find(|n| n.tag_name().name() == "a" && n.attribute("href") == Some("/partners/bakery/"))
        .expect("the bakery's node links to its page");
    assert_eq!(
        bakery.attribute("aria-label"),
        Some(
            "</title><script>alert(1)</script> & \"Brum\" Bakery, Private sector, linked with 1 partner"
        )
    );
}

#[test]
fn the_same_content_draws_the_same_bytes() {
    let site = built();
    let again = site.root().join("again");
    site.build_ok(&["--output", again.to_str().unwrap()]);
    for page in ["index.html", "timeline/index.html", "partners/index.html"] {
        let first = site.page(page);
        let second = crate::support::read(&again.join(page));
        assert_eq!(svgs(&first), svgs(&second), "{page} differs between builds");
    }
}

#[test]
fn the_road_marks_today_and_gives_every_status_a_shape_and_a_word() {
    let site = built();
    let html = site.page("timeline/index.html");
    let doc = parse(picture(&html, "brum-road"));
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    assert!(
        texts.iter().any(|t| t == "Today, 1 October 2015"),
        "{texts:?}"
    );
    assert!(
        doc.descendants().any(|n| has_class(&n, "brum-road__today")),
        "a line marks today"
    );
    // The legend names each status beside its shape.
    for word in ["Done", "In progress", "Planned"] {
        assert!(texts.iter().any(|t| t == word), "legend lacks {word}");
    }
    // Each entry: its marker's shape follows its status, and its title says it.
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| has_class(n, "brum-road__entry"))
        .collect();
    assert_eq!(entries.len(), 4);
    let expect = [
        ("1. Public debates", "Done", "circle", "brum-mark--done"),
        ("2. City vision agreed", "Done", "circle", "brum-mark--done"),
        (
            "3. Partners set out their contributions",
            "In progress",
            "path",
            "brum-mark--in-progress",
        ),
        ("4. Formal launch", "Planned", "rect", "brum-mark--planned"),
    ];
    for (entry, (title, status, shape, class)) in entries.iter().zip(expect) {
        let tooltip = entry.children().find(|n| n.has_tag_name("title")).unwrap();
        let tooltip = tooltip.text().unwrap();
        assert!(tooltip.starts_with(title), "{tooltip}");
        assert!(tooltip.ends_with(status), "{tooltip}");
        let mark = entry
            .descendants()
            .find(|n| has_class(n, "brum-mark"))
            .unwrap();
        assert_eq!(mark.tag_name().name(), shape, "{title}");
        assert!(has_class(&mark, class), "{title}");
    }
    // Periods are bars; the listing beside the road is numbered to match.
    let bars = doc
        .descendants()
        .filter(|n| has_class(n, "brum-road__bar") && n.has_tag_name("rect"))
        .count();
    assert!(
        bars >= 3,
        "two periods (one over two years) and the legend's"
    );
    let list = text_of(&html[html.find("id=\"brum-timeline-list\"").unwrap()..]);
    assert!(list.contains("Entry 3 15 September 2015"), "{list}");
}

#[test]
fn the_cycle_highlights_the_stage_of_the_work_under_way() {
    let site = built();
    let html = site.page("index.html");
    let doc = parse(picture(&html, "brum-cycle"));
    let current: Vec<String> = doc
        .descendants()
        .filter(|n| has_class(n, "brum-cycle__stage--current"))
        .map(|n| {
            n.descendants()
                .filter(|t| has_class(t, "brum-cycle__label"))
                .filter_map(|t| t.text())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(current, ["Contributions"]);
    let stages = doc
        .descendants()
        .filter(|n| has_class(n, "brum-cycle__stage"))
        .count();
    assert_eq!(stages, 5);
    // The list beside it says the same in words.
    assert!(
        html.contains("aria-current=\"step\">Contributions <strong>(we are here)</strong>"),
        "{}",
        text_of(&html)
    );
}

#[test]
fn the_commitments_chart_and_table_count_partners_by_sector() {
    let site = built();
    let html = site.page("partners/index.html");
    let doc = parse(picture(&html, "brum-commitments"));
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    // Per kind: its total, then (sector name, count) per sector.
    let expect = [
        ("Host events (3 in all)", ["2", "0", "1"]),
        ("Lead conversations (2 in all)", ["1", "0", "1"]),
        ("Join the communications team (2 in all)", ["0", "1", "1"]),
    ];
    for (heading, counts) in expect {
        let at = texts
            .iter()
            .position(|t| *t == heading)
            .unwrap_or_else(|| panic!("no {heading} in {texts:?}"));
        let got = [texts[at + 2], texts[at + 4], texts[at + 6]];
        assert_eq!(got, counts, "{heading}");
        assert_eq!(
            [texts[at + 1], texts[at + 3], texts[at + 5]],
            [
                "Public sector",
                "Private sector",
                "Voluntary and community sector"
            ]
        );
    }
    let table = text_of(&html[html.find("<table class=\"brum-table\"").unwrap()..]);
    assert!(
        table.contains(
            "Host events 2 0 1 3 Lead conversations 1 0 1 2 Join the communications team 0 1 1 2"
        ),
        "{table}"
    );
}

#[test]
fn partners_are_linked_by_shared_entries_and_stories() {
    let site = built();
    let html = site.page("partners/index.html");
    let doc = parse(picture(&html, "brum-net"));
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|n| n.attribute("aria-label"))
        .collect();
    // Council: the debates (with the MAC) and the vision (with the library);
    // the MAC's story links to the bakery.
    assert!(names.contains(&"Fixtureville Council, Public sector, linked with 2 partners"));
    assert!(
        names.contains(
            &"Midlands Arts Centre, Voluntary and community sector, linked with 2 partners"
        )
    );
    assert!(
        names.contains(
            &"A partner on its own, Voluntary and community sector, linked with 0 partners"
        )
    );
    assert_eq!(names.len(), 5);
    // A name written beside a node is the start of its accessible name (WCAG 2.5.3).
    for a in doc.descendants().filter(|n| n.has_tag_name("a")) {
        let label = a
            .descendants()
            .find(|n| n.has_tag_name("text"))
            .and_then(|t| t.text())
            .expect("few partners: every node is named beside it");
        assert!(
            a.attribute("aria-label").unwrap().starts_with(label),
            "{label}"
        );
    }
    let directory = text_of(&html[html.find("id=\"brum-directory\"").unwrap()..]);
    assert!(
        directory.contains("Fixtureville Library linked with 1 partner"),
        "{directory}"
    );
}

/// Builds a generated corpus with `partners` partners and returns its partners page.
fn corpus_partners_page(partners: usize, dir: &Path) -> String {
    let corpus = dir.join(format!("corpus-{partners}"));
    let out = dir.join(format!("out-{partners}"));
    let count = partners.to_string();
    crate::support::gen_corpus(&corpus, &["--stories", "200", "--partners", &count]);
    crate::support::build_corpus(&corpus, &out);
    crate::support::read(&out.join("partners/index.html"))
}

/// The centre of every node of a network picture, and the radius each fits in.
fn node_centres(svg: &str) -> (Vec<(f64, f64)>, f64) {
    let doc = parse(svg);
    let radius: f64 = doc
        .root_element()
        .attribute("data-node-radius")
        .unwrap()
        .parse()
        .unwrap();
    let centres = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            assert!(a.attribute("href").unwrap().contains("/partners/"));
            assert!(!a.attribute("aria-label").unwrap().is_empty());
            let g = a.children().find(|n| n.has_tag_name("g")).unwrap();
            let t = g.attribute("transform").unwrap();
            let inner = t.trim_start_matches("translate(").trim_end_matches(')');
            let (x, y) = inner.split_once(' ').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    (centres, radius)
}

#[test]
#[ignore = "slow tier: lays out networks of up to 500 partners"]
fn the_network_never_overlaps_nodes_at_10_100_or_500_partners() {
    let dir = tempfile::tempdir().unwrap();
    let mut hundred = String::new();
    for partners in [10, 100, 500] {
        let html = corpus_partners_page(partners, dir.path());
        let (centres, radius) = node_centres(picture(&html, "brum-net"));
        assert_eq!(centres.len(), partners);
        let mut closest = f64::INFINITY;
        for (i, a) in centres.iter().enumerate() {
            for b in &centres[i + 1..] {
                closest = closest.min(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt());
            }
        }
        // Centres are written to 0.1, so allow for the rounding.
        assert!(
            closest >= 2.0 * radius + 1.0,
            "{partners} partners: two nodes {closest} apart, each {radius} across"
        );
        if partners == 100 {
            hundred = picture(&html, "brum-net").to_string();
        }
    }
    // The same corpus generated and built again draws the same network.
    let again = tempfile::tempdir().unwrap();
    let html = corpus_partners_page(100, again.path());
    assert_eq!(picture(&html, "brum-net"), hundred);
}
