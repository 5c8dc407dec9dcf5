//! Components in Markdown: what each built-in one puts on the page, a site's
//! own component and an override, every mistake in a call reported at its
//! file, line and column, `check`'s captions warning, and the preview
//! re-rendering a page when a component's template changes.

use std::fs;

use brum::serve::engine::{Change, Incremental};

use crate::support::{EPOCH, Shown, TestSite, main_of, shown};

const STORY: &str = "stories/launch-film/index.html";
const STORY_FILE: &str = "content/stories/launch-film/index.md";

fn built() -> (TestSite, String) {
    let site = TestSite::fixture("components");
    site.build_ok(&[]);
    let page = site.page(STORY);
    (site, page)
}

/// The component's output: from `start` (which must be in `page`) to the
/// end of the element it opens.
fn block<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let at = page
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not on the page:\n{page}"));
    let rest = &page[at..];
    &rest[..rest.find(end).map_or(rest.len(), |e| e + end.len())]
}

#[test]
fn a_youtube_video_is_a_link_until_the_visitor_plays_it() {
    let (_site, page) = built();
    let video = block(&page, "<figure class=\"brum-video\">", "</figure>");
    assert!(video.contains(
        "<a class=\"brum-video__play\" href=\"https://www.youtube.com/watch?v=abc123\">"
    ));
    assert!(video.contains("Watch “The 8 July event at the MAC” on YouTube</a>"));
    assert!(video.contains("data-brum-video=\"https://www.youtube-nocookie.com/embed/abc123\""));
    assert!(video.contains("<figcaption>The 8 July event at the MAC"));
    // Nothing is loaded from the host before the visitor chooses to play:
    // no frame, no script, no picture from another site.
    assert!(!page.contains("<iframe"));
    assert!(!page.contains("ytimg.com") && !page.contains("i.vimeocdn.com"));
    assert_eq!(
        page.matches("<script src=\"/video.js\" defer></script>")
            .count(),
        1
    );
}

#[test]
fn a_video_from_another_site_shows_the_pages_own_picture_until_played() {
    let site = TestSite::fixture("components");
    let text = fs::read_to_string(site.root().join(STORY_FILE)).unwrap();
    site.write(
        STORY_FILE,
        text.replacen(
            "+++\n\n",
            "image = \"crowd.png\"\nimage_alt = \"Partners around tables\"\n+++\n\n",
            1,
        ),
    );
    site.build_ok(&[]);
    let page = site.page(STORY);
    let frame = block(&page, "<div class=\"brum-video__frame\"", "</div>");
    assert!(
        frame.contains("<img class=\"brum-video__poster\" src=\"/stories/launch-film/crowd-"),
        "{frame}"
    );
    assert!(
        frame.contains("alt=\"\" loading=\"lazy\""),
        "a backdrop to the link: {frame}"
    );
    // Without a picture of its own, a plain panel.
    let (_site, plain) = built();
    let frame = block(&plain, "<div class=\"brum-video__frame\"", "</div>");
    assert!(!frame.contains("<img"), "{frame}");
}

#[test]
fn a_vimeo_video_asks_not_to_be_tracked() {
    let (_site, page) = built();
    assert!(page.contains("data-brum-video=\"https://player.vimeo.com/video/76979871?dnt=1\""));
    assert!(page.contains("href=\"https://vimeo.com/76979871\""));
}

#[test]
fn a_video_file_plays_in_the_page_with_its_captions() {
    let (site, page) = built();
    let video = block(&page, "<video", "</video>");
    assert!(video.contains("<source src=\"/stories/launch-film/launch.mp4\">"));
    assert!(video.contains(
        "<track kind=\"captions\" src=\"/stories/launch-film/launch.vtt\" srclang=\"en-GB\" label=\"Captions\" default>"
    ));
    assert!(video.contains("poster=\"/stories/launch-film/crowd-"));
    assert!(video.contains("<a href=\"/stories/launch-film/launch.mp4\">Download the video: The launch, filmed in the hall</a>"));
    assert!(site.out().join("stories/launch-film/launch.vtt").is_file());
}

#[test]
fn a_figure_is_a_responsive_picture_with_caption_and_credit() {
    let (_site, page) = built();
    let figure = block(&page, "<figure class=\"brum-figure\">", "</figure>");
    assert!(
        figure
            .contains("<picture><source type=\"image/webp\" srcset=\"/stories/launch-film/crowd-")
    );
    assert!(figure.contains("alt=\"Partners around tables in the MAC&#39;s hall\""));
    assert!(figure.contains(
        "<figcaption>The room at the launch. <span class=\"brum-figure__credit\">Credit: Fixture Photos</span></figcaption>"
    ));
}

#[test]
fn a_callout_has_a_heading_one_level_below_the_one_it_comes_under() {
    let (_site, page) = built();
    let callout = block(
        &page,
        "<div class=\"brum-box brum-box--get-involved\"",
        "</div>",
    );
    assert!(callout.contains("role=\"note\" aria-labelledby=\"brum-box-1\""));
    assert!(callout.contains("<h3 id=\"brum-box-1\" class=\"brum-box__title\">Get involved</h3>"));
    assert!(callout.contains(
        "<p>Host a conversation in your own organisation: <strong>anyone</strong> can.</p>"
    ));
    let titled = block(
        &page,
        "<div class=\"brum-box brum-box--important\"",
        "</div>",
    );
    assert!(titled.contains(">Before you film</h3>"));
}

#[test]
fn a_quote_takes_its_words_as_text_or_as_a_body() {
    let (_site, page) = built();
    assert!(page.contains("<p>It&#39;s the people who make this city.</p>"));
    assert!(
        page.contains("<figcaption class=\"brum-quote__by\">A resident of Moseley</figcaption>")
    );
    let second = block(&page, "<p>We need to", "</figure>");
    assert!(second.contains("<em>talk</em>") && second.contains("<p>And listen.</p>"));
    assert!(second.contains("A student at the University of Birmingham</figcaption>"));
}

#[test]
fn a_partner_card_links_to_the_profile() {
    let (_site, page) = built();
    let card = block(&page, "<div class=\"brum-partner-card\">", "</div>");
    assert!(card.contains("<a href=\"/partners/the-mac/\">Midlands Arts Centre</a>"));
    assert!(card.contains("Voluntary and community sector"));
    assert!(card.contains("An arts centre in Cannon Hill Park."));
}

#[test]
fn a_sites_own_component_and_override_are_used() {
    let (_site, page) = built();
    assert!(page.contains(
        "<p class=\"site-stat\"><strong class=\"site-stat__n\">43</strong> commitments made on the day</p>"
    ));
    // The site's cta replaces the theme's, in a sentence and on its own line.
    assert!(page.contains("Want to help? <a class=\"brum-button site-cta\" href=\"/about/\">Read about us</a> or see below."));
    assert!(
        page.contains("<a class=\"brum-button site-cta\" href=\"/stories/\">Read every story</a>")
    );
}

#[test]
fn the_themes_cta_is_a_button_link_in_a_sentence_or_a_paragraph() {
    let site = TestSite::fixture("components");
    site.remove("templates/components/cta.html");
    site.build_ok(&[]);
    let page = site.page(STORY);
    assert!(page.contains(
        "Want to help? <a class=\"brum-button\" href=\"/about/\">Read about us</a> or see below."
    ));
    assert!(page.contains(
        "<p class=\"brum-cta\"><a class=\"brum-button\" href=\"/stories/\">Read every story</a></p>"
    ));
}

#[test]
fn code_and_escapes_show_calls_as_written() {
    let (_site, page) = built();
    assert!(page.contains("<code>{{ video(youtube=\"x\", title=\"y\") }}</code>"));
    assert!(page.contains(" and {{ quote() }} for a quote."));
    assert!(!main_of(&page).contains('\0'));
}

#[test]
fn components_show_in_the_pages_language() {
    let site = TestSite::fixture("components");
    site.write(
        "site.toml",
        fs::read_to_string(site.root().join("site.toml")).unwrap()
            + "\n[languages.pl]\nname = \"Polski\"\n",
    );
    site.write(
        "content/stories/launch-film/index.pl.md",
        "+++\ntitle = \"Start na filmie\"\n+++\n\n{{ video(youtube=\"abc123\", title=\"Spotkanie 8 lipca\") }}\n\n{% callout() %}\nTekst.\n{% end %}\n",
    );
    site.build_ok(&[]);
    let page = site.page("pl/stories/launch-film/index.html");
    assert!(
        page.contains("Obejrzyj „Spotkanie 8 lipca” w serwisie YouTube</a>"),
        "{page}"
    );
    assert!(page.contains(">Uwaga</h2>"));
}

#[test]
fn a_partner_another_language_borrows_keeps_its_own_languages_words() {
    // The fixture's Urdu has no translation of the MAC's profile, so it
    // borrows the English one; its callout must stay in English.
    let site = TestSite::fixture("components");
    let path = "content/partners/the-mac.md";
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        text + "\n{% callout() %}\nOpen every day.\n{% end %}\n",
    );
    site.build_ok(&[]);
    let page = site.page("partners/the-mac/index.html");
    assert!(page.contains("class=\"brum-box__title\">Note</h"), "{page}");
}

/// Writes `story` into the fixture and builds: the build fails, and these
/// diagnostics (place, message, help) are among what it says.
fn rejected(story: &str) -> Vec<Shown> {
    let site = TestSite::fixture("components");
    site.write(
        "content/stories/wrong.md",
        format!("+++\ntitle = \"Wrong\"\ndate = 2015-07-01\n+++\n\n{story}"),
    );
    let run = site.build(&[]);
    assert!(!run.success, "the build should fail:\n{}", run.stdout);
    assert!(!site.out().exists(), "nothing is written");
    shown(&run.stderr)
}

fn assert_reported(diagnostics: &[Shown], line: usize, column: usize, message: &str, help: &str) {
    let d = diagnostics
        .iter()
        .find(|d| d.message.contains(message) && d.line == Some(line))
        .unwrap_or_else(|| panic!("no {message:?} at line {line} in {diagnostics:#?}"));
    assert_eq!(d.path, "content/stories/wrong.md");
    assert_eq!((d.line, d.column), (Some(line), Some(column)), "{d:?}");
    assert_eq!(d.severity, "error");
    assert!(
        d.help.as_deref().unwrap_or_default().contains(help),
        "{d:?}"
    );
}

#[test]
fn every_mistake_in_a_call_is_reported_at_its_place_in_one_run() {
    let story = "\
{{ vidoe(youtube=\"abc\", title=\"x\") }}

{{ video(youtube=\"abc\") }}

{{ video(youtube=\"abc\", title=3) }}

Text {{ figure(src=\"nope.png\", alt=\"x\") }} more.

{{ partner(slug=\"the-mc\") }}

{{ video(youtube=\"a\", vimeo=\"b\", title=\"x\") }}

{{ callout(kind=\"warning\") }}

{% callout() %}
never closed
";
    let d = rejected(story);
    assert_reported(
        &d,
        6,
        1,
        "there is no component `vidoe`",
        "did you mean `video`?",
    );
    assert_reported(
        &d,
        8,
        1,
        "`video` needs the argument `title`",
        "add title=\"…\"",
    );
    assert_reported(
        &d,
        10,
        25,
        "the argument `title` of `video` must be a text",
        "title=\"…\"",
    );
    assert_reported(
        &d,
        12,
        6,
        "`figure` stands on a line of its own",
        "on a line by itself",
    );
    assert_reported(
        &d,
        12,
        16,
        "the file `nope.png` does not exist",
        "needs a bundle",
    );
    assert_reported(
        &d,
        14,
        12,
        "there is no published partner `the-mc`",
        "did you mean `the-mac`?",
    );
    assert_reported(
        &d,
        16,
        1,
        "`video` takes only one of youtube, vimeo, src",
        "keep one",
    );
    assert_reported(
        &d,
        18,
        12,
        "must be one of note, important, get-involved",
        "kind=\"note\"",
    );
    assert_reported(&d, 18, 1, "`callout` needs a body", "{% end %}");
    assert_reported(
        &d,
        20,
        1,
        "the body of `callout` is never closed",
        "{% end %}",
    );
    assert_eq!(d.len(), 10, "{d:#?}");
}

#[test]
fn mistakes_in_a_calls_syntax_are_reported_where_they_are() {
    let d = rejected(
        "{{ quote(text=\"unfinished, by=\"x\") }}\n\n{{ cta(href=\"/\" text=\"x\") }}\n\n{% end %}\n",
    );
    assert_reported(&d, 6, 32, "expected `,` or `)`", "separate arguments");
    assert_reported(&d, 8, 17, "expected `,` or `)`", "separate arguments");
    assert_reported(
        &d,
        10,
        1,
        "`{% end %}` with no component to end",
        "opening call",
    );
}

#[test]
fn a_broken_component_contract_names_the_template_line() {
    let site = TestSite::fixture("components");
    site.write(
        "templates/components/stat.html",
        "{#\n+++\n[args]\nn = \"numbr\"\n+++\n#}<p>{{ n }}</p>",
    );
    let run = site.build(&[]);
    assert!(!run.success);
    let d = shown(&run.stderr);
    assert_eq!(d[0].path, "templates/components/stat.html");
    assert!(
        d[0].message
            .contains("the argument `n` has a type brum does not know"),
        "{d:?}"
    );
}

#[test]
fn a_template_error_in_a_component_names_the_call() {
    let site = TestSite::fixture("components");
    site.write(
        "templates/components/stat.html",
        "<p>{{ n | nosuchfilter }}</p>",
    );
    let run = site.build(&[]);
    assert!(!run.success);
    assert!(run.stderr.contains("nosuchfilter"), "{}", run.stderr);
}

#[test]
fn check_warns_about_a_video_file_without_captions() {
    let site = TestSite::fixture("components");
    let text = fs::read_to_string(site.root().join(STORY_FILE)).unwrap();
    site.write(STORY_FILE, text.replace(", captions=\"launch.vtt\"", ""));
    let run = site.brum("check", &[]);
    let d = shown(&run.stderr);
    let w = d
        .iter()
        .find(|d| {
            d.message
                .contains("the video `launch.mp4` has no captions track")
        })
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert_eq!(w.severity, "warning");
    assert_eq!(w.path, STORY_FILE);
    assert!(
        w.help
            .as_deref()
            .unwrap_or_default()
            .contains("captions=\"launch.vtt\"")
    );
    let clean = TestSite::fixture("components").brum("check", &["--deny-warnings"]);
    assert!(clean.success, "{}", clean.stderr);
}

fn options(site: &TestSite) -> brum::Options {
    let mut o = brum::Options::new(site.root());
    o.now = chrono::DateTime::from_timestamp(EPOCH.parse().unwrap(), 0).unwrap();
    o
}

#[test]
fn the_preview_re_renders_a_page_when_its_components_template_changes() {
    let site = TestSite::fixture("components");
    let mut inc = Incremental::new(options(&site), false);
    inc.rebuild(&[]).unwrap();
    let page = |inc: &Incremental| {
        let snapshot = inc.snapshot();
        let file = &snapshot.files[STORY];
        String::from_utf8(file.bytes(&snapshot.root).unwrap().into_owned()).unwrap()
    };
    assert!(page(&inc).contains("class=\"site-stat\""));
    let path = "templates/components/stat.html";
    let text = fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        text.replace("site-stat\"", "site-stat site-stat--big\""),
    );
    let outcome = inc
        .rebuild(&[Change::Templates(site.root().join(path))])
        .unwrap();
    assert!(outcome.rendered >= 1);
    assert!(page(&inc).contains("class=\"site-stat site-stat--big\""));
    // And an edit to the body re-renders the page with its components run.
    let text = fs::read_to_string(site.root().join(STORY_FILE)).unwrap();
    site.write(STORY_FILE, text.replace("n=43", "n=44"));
    inc.rebuild(&[Change::Content(site.root().join(STORY_FILE))])
        .unwrap();
    assert!(page(&inc).contains("<strong class=\"site-stat__n\">44</strong>"));
}

/// The addresses of every resource the page in `client` has loaded.
async fn loaded(client: &fantoccini::Client) -> Vec<String> {
    let urls = client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(urls).unwrap()
}

#[test]
#[ignore = "slow tier: drives Chromium through chromedriver"]
fn a_video_loads_nothing_from_its_host_until_the_visitor_presses_play() {
    use fantoccini::Locator;

    use crate::browser::Session;

    let (site, _) = built();
    let Some(browser) = Session::open(site.out()) else {
        return;
    };
    browser.runtime.block_on(async {
        let client = browser.client.clone();
        client
            .goto(&format!("{}/stories/launch-film/", browser.base))
            .await
            .unwrap();
        let before = loaded(&client).await;
        assert!(
            before.iter().any(|u| u.ends_with("/video.js")),
            "{before:?}"
        );
        assert!(
            before
                .iter()
                .all(|u| u.starts_with(&format!("{}/", browser.base))),
            "only the site's own files load before play: {before:?}"
        );
        assert!(
            client
                .find_all(Locator::Css("iframe"))
                .await
                .unwrap()
                .is_empty()
        );
        let play = client
            .find(Locator::Css(".brum-video__play"))
            .await
            .unwrap();
        // The theme scrolls smoothly, so the click would land before the
        // page got there: jump instead, and see nothing covers the link.
        let covering = client
            .execute(
                "const a = arguments[0]; a.scrollIntoView({block: 'center', behavior: 'instant'}); \
                 const r = a.getBoundingClientRect(); \
                 const e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); \
                 return a.contains(e) ? '' : e.outerHTML.slice(0, 200);",
                vec![serde_json::to_value(&play).unwrap()],
            )
            .await
            .unwrap();
        assert_eq!(covering, "", "something covers the play link");
        play.click().await.unwrap();
        let frame = client
            .wait()
            .for_element(Locator::Css("iframe.brum-video__player"))
            .await
            .unwrap();
        let src = frame.attr("src").await.unwrap().unwrap_or_default();
        assert_eq!(
            src,
            "https://www.youtube-nocookie.com/embed/abc123?autoplay=1"
        );
        let title = frame.attr("title").await.unwrap().unwrap_or_default();
        assert_eq!(title, "The 8 July event at the MAC");
        // The frame has the focus, so keyboard users are in the player.
        let focused = client
            .execute("return document.activeElement.tagName", vec![])
            .await
            .unwrap();
        assert_eq!(focused, "IFRAME");
        client.close().await.unwrap();
    });
}

#[test]
fn components_read_the_sites_data_files() {
    let (_site, page) = built();
    let table = block(&page, "<table class=\"site-venues\">", "</table>");
    assert!(table.contains("<caption>Venues partners offered</caption>"));
    assert!(table.contains("<tr><td>Cannon Hill Park</td><td>300</td><td>Yes</td></tr>"));
    assert!(table.contains("<td>The Library &lt;main hall&gt;</td><td>120</td><td>No</td>"));
    // A data file's Markdown, through the `markdown` filter, under the
    // heading level the call comes under.
    assert!(page.contains("<h3 id=\"kind-host-events\">Host events</h3>\n<p>Offer a room, a hall or a <em>corner of a park</em>.</p>"), "{page}");
}
