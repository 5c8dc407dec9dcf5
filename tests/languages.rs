//! A site in several languages (`tests/fixtures/languages`: English by
//! default, Urdu and Polish): each language's pages under its code, what a
//! translation takes from its original, the links between the languages
//! (hreflang, the switcher, the sitemap), feeds and search per language,
//! and the errors an author can make naming translations.

use std::path::Path;

use crate::support::{TestSite, copy_tree, hrefs, main_of, shown, text_of};

fn built() -> TestSite {
    let site = TestSite::fixture("languages");
    site.build_ok(&[]);
    site
}

#[test]
fn every_language_has_its_own_pages_and_only_its_own_items() {
    let site = built();
    let out = site.out();
    for lang in ["ur/", "pl/"] {
        for page in [
            "index.html",
            "feed.xml",
            "stories/index.html",
            "partners/index.html",
            "timeline/index.html",
            "topics/index.html",
            "topics/culture/index.html",
            "questions/great/index.html",
            "search/index.html",
        ] {
            assert!(out.join(lang).join(page).is_file(), "{lang}{page}");
        }
    }
    for page in [
        "ur/stories/canal-walks/index.html",
        "ur/partners/the-mac/index.html",
        "ur/timeline/launch/index.html",
        "ur/about/index.html",
        "pl/stories/spacery-nad-kanalem/index.html",
        "pl/stories/bundle-walk/index.html",
        "pl/o-nas/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    // Items with no translation are not pages of that language, and the
    // site's own files are written once, at the top.
    for absent in [
        "ur/stories/untranslated",
        "ur/partners/city-council",
        "ur/stories/bundle-walk",
        "pl/partners/the-mac",
        "pl/about",
        "ur/404.html",
        "ur/sitemap.xml",
        "ur/robots.txt",
    ] {
        assert!(!out.join(absent).exists(), "{absent} should not exist");
    }
    let ur_stories = text_of(main_of(&site.page("ur/stories/index.html")));
    assert!(
        ur_stories.contains("نہر کی سیر پڑوسیوں کو قریب لاتی ہے"),
        "{ur_stories}"
    );
    assert!(
        !ur_stories.contains("A story only in English"),
        "{ur_stories}"
    );
}

#[test]
fn each_page_says_its_language_and_direction() {
    let site = built();
    for (page, html) in [
        ("index.html", r#"<html lang="en-GB" dir="ltr">"#),
        ("ur/index.html", r#"<html lang="ur" dir="rtl">"#),
        (
            "ur/stories/canal-walks/index.html",
            r#"<html lang="ur" dir="rtl">"#,
        ),
        ("pl/o-nas/index.html", r#"<html lang="pl" dir="ltr">"#),
    ] {
        assert!(site.page(page).contains(html), "{page} lacks {html}");
    }
    let feed = site.page("ur/feed.xml");
    assert!(feed.contains(r#"xml:lang="ur""#), "{feed}");
    assert!(feed.contains("<id>https://example.org/ur/</id>"), "{feed}");
}

#[test]
fn a_translation_takes_what_it_leaves_out_from_its_original() {
    let site = built();
    let ur = site.page("ur/stories/canal-walks/index.html");
    let text = text_of(main_of(&ur));
    // Its own title and words; the original's date, partner and topic, the
    // partner's and topic's names in Urdu where site.toml and the partner's
    // translation give them.
    assert!(text.contains("نہر کی سیر پڑوسیوں کو قریب لاتی ہے"), "{text}");
    assert!(text.contains("مڈلینڈز آرٹس سینٹر"), "{text}");
    assert!(text.contains("ثقافت"), "{text}");
    assert!(text.contains("2015"), "{text}");
    let links = hrefs(main_of(&ur));
    assert!(
        links.iter().any(|h| h == "/ur/partners/the-mac/"),
        "{links:?}"
    );
    assert!(
        links.iter().any(|h| h == "/ur/topics/culture/"),
        "{links:?}"
    );
    // A link to the original's file leads to its translation.
    assert!(links.iter().any(|h| h == "/ur/about/"), "{links:?}");
    // Polish has no Urdu-style topic names: the default's are shown.
    let pl = text_of(main_of(
        &site.page("pl/stories/spacery-nad-kanalem/index.html"),
    ));
    assert!(pl.contains("Culture"), "{pl}");
    // A partner with no Urdu profile is named and linked in English.
    let untranslated = site.page("ur/timeline/launch/index.html");
    let links = hrefs(main_of(&untranslated));
    assert!(
        links.iter().any(|h| h == "/partners/city-council/"),
        "{links:?}"
    );
    assert!(text_of(main_of(&untranslated)).contains("Fixtureville City Council"));
}

#[test]
fn a_bundle_translation_publishes_the_bundles_files_beside_it() {
    let site = built();
    let pl = site.page("pl/stories/bundle-walk/index.html");
    let links = hrefs(main_of(&pl));
    assert!(
        links
            .iter()
            .any(|h| h == "/pl/stories/bundle-walk/route.txt"),
        "{links:?}"
    );
    assert_eq!(
        site.page("pl/stories/bundle-walk/route.txt"),
        site.page("stories/bundle-walk/route.txt")
    );
}

#[test]
fn each_version_names_every_other_and_the_default() {
    let site = built();
    let expected = [
        r#"<link rel="alternate" hreflang="en-GB" href="https://example.org/stories/canal-walks/">"#,
        r#"<link rel="alternate" hreflang="ur" href="https://example.org/ur/stories/canal-walks/">"#,
        r#"<link rel="alternate" hreflang="pl" href="https://example.org/pl/stories/spacery-nad-kanalem/">"#,
        r#"<link rel="alternate" hreflang="x-default" href="https://example.org/stories/canal-walks/">"#,
    ];
    for page in [
        "stories/canal-walks/index.html",
        "ur/stories/canal-walks/index.html",
        "pl/stories/spacery-nad-kanalem/index.html",
    ] {
        let html = site.page(page);
        for link in expected {
            assert!(html.contains(link), "{page} lacks {link}");
        }
    }
    // Every language has the lists.
    let topics = site.page("pl/topics/culture/index.html");
    assert!(topics.contains(r#"hreflang="ur" href="https://example.org/ur/topics/culture/""#));
    // A page in one language only has no alternates.
    let only = site.page("stories/untranslated/index.html");
    assert!(
        !only.contains(r#"<link rel="alternate" hreflang"#),
        "{only}"
    );
}

#[test]
fn the_switcher_leads_to_the_same_page_or_the_languages_home() {
    let site = built();
    let html = site.page("ur/partners/the-mac/index.html");
    let switcher = html
        .split(r#"<nav class="brum-languages""#)
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .expect("a language switcher");
    assert!(
        switcher.contains(
            r#"<a href="/partners/the-mac/" lang="en-GB" hreflang="en-GB" dir="ltr">English</a>"#
        ),
        "{switcher}"
    );
    assert!(switcher.contains(r#"<a href="/ur/partners/the-mac/" lang="ur" hreflang="ur" dir="rtl" aria-current="true">اردو</a>"#), "{switcher}");
    // No Polish profile of the partner: the switcher leads to Polish's home.
    assert!(
        switcher.contains(r#"<a href="/pl/" lang="pl" hreflang="pl" dir="ltr">Polski</a>"#),
        "{switcher}"
    );
    // A site in one language has no switcher.
    let single = TestSite::fixture("basic");
    single.build_ok(&[]);
    assert!(!single.page("index.html").contains("brum-languages"));
}

#[test]
fn the_footer_and_menu_lead_to_the_default_language_where_there_is_no_translation() {
    let site = built();
    let links = hrefs(&site.page("pl/index.html"));
    for link in [
        "/pl/o-nas/",
        "/get-involved/",
        "/accessibility/",
        "/privacy/",
    ] {
        assert!(links.iter().any(|h| h == link), "{link} not in {links:?}");
    }
    assert!(
        !links.iter().any(|h| h == "/pl/accessibility/"),
        "{links:?}"
    );
}

#[test]
fn the_sitemap_lists_every_language_with_its_alternates() {
    let site = built();
    let sitemap = site.page("sitemap.xml");
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    assert!(sitemap.contains("<loc>https://example.org/ur/stories/canal-walks/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/pl/o-nas/</loc>"));
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://example.org/pl/o-nas/</loc>"))
        .unwrap();
    for alt in [
        r#"<xhtml:link rel="alternate" hreflang="en-GB" href="https://example.org/about/"/>"#,
        r#"<xhtml:link rel="alternate" hreflang="ur" href="https://example.org/ur/about/"/>"#,
        r#"<xhtml:link rel="alternate" hreflang="pl" href="https://example.org/pl/o-nas/"/>"#,
        r#"<xhtml:link rel="alternate" hreflang="x-default" href="https://example.org/about/"/>"#,
    ] {
        assert!(entry.contains(alt), "{entry} lacks {alt}");
    }
    assert!(!sitemap.contains("<loc>https://example.org/ur/stories/untranslated/</loc>"));
}

#[test]
fn each_language_has_its_own_feed_of_its_own_stories() {
    let site = built();
    let ur = site.page("ur/feed.xml");
    assert!(ur.contains("نہر کی سیر پڑوسیوں کو قریب لاتی ہے"), "{ur}");
    assert!(!ur.contains("A story only in English"), "{ur}");
    let en = site.page("feed.xml");
    assert!(en.contains("A story only in English"), "{en}");
    assert!(!en.contains("نہر"), "{en}");
}

#[test]
fn search_makes_an_index_for_each_language() {
    let site = built();
    let entry = site.page("pagefind/pagefind-entry.json");
    for lang in ["\"en-gb\"", "\"ur\"", "\"pl\""] {
        assert!(entry.contains(lang), "{lang} not in {entry}");
    }
}

#[test]
fn a_drafts_translation_waits_for_it() {
    let site = TestSite::fixture("languages");
    let original = site.read("content/stories/canal-walks.md");
    site.write(
        "content/stories/canal-walks.md",
        original.replacen("+++\n", "+++\ndraft = true\n", 1),
    );
    site.build_ok(&[]);
    assert!(!site.out().join("ur/stories/canal-walks").exists());
    assert!(!site.out().join("pl/stories/spacery-nad-kanalem").exists());
}

#[test]
fn check_lists_the_translations_awaiting_review() {
    let site = TestSite::fixture("languages");
    let run = site.brum("check", &["--deny-warnings"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("5 files are marked needs_review = true"),
        "{}",
        run.stderr
    );
    for path in [
        "content/_index.ur.md",
        "content/pages/about.pl.md",
        "content/stories/canal-walks.ur.md",
    ] {
        assert!(
            run.stderr.contains(&format!("  {path}\n")),
            "{path}: {}",
            run.stderr
        );
    }
}

/// Adds `files` to the languages fixture and builds: the build must fail,
/// and `expected` (file, part of the message, part of the help) be among
/// what it says, each at its line when one is given (`file:line`).
fn rejects(files: &[(&str, &str)], expected: &[(&str, &str, &str)]) {
    let site = TestSite::fixture("languages");
    for (path, contents) in files {
        site.write(path, contents);
    }
    let run = site.build(&[]);
    assert!(!run.success, "the build should fail");
    let found = shown(&run.stderr);
    for (place, message, help) in expected {
        let (path, line) = match place.split_once(':') {
            Some((p, l)) => (p, Some(l.parse::<usize>().unwrap())),
            None => (*place, None),
        };
        assert!(
            found.iter().any(|d| d.path == path
                && line.is_none_or(|l| d.line == Some(l))
                && d.message.contains(message)
                && d.help.as_deref().unwrap_or_default().contains(help)),
            "no {place}: {message} / {help} in\n{}",
            run.stderr
        );
    }
}

const STORY: &str = "+++\ntitle = \"T\"\n+++\nText.\n";

#[test]
fn a_code_the_site_does_not_have_is_an_error() {
    rejects(
        &[("content/stories/canal-walks.fr.md", STORY)],
        &[(
            "content/stories/canal-walks.fr.md",
            "`fr` in the file name is not one of the site's languages",
            "add [languages.fr] to site.toml",
        )],
    );
}

#[test]
fn a_translation_with_no_original_is_an_error() {
    rejects(
        &[
            ("content/stories/gone.ur.md", STORY),
            ("content/stories/bundle-walk.pl.md", STORY),
        ],
        &[
            (
                "content/stories/gone.ur.md",
                "this translation has no original (content/stories/gone.md does not exist)",
                "a translation sits beside its original",
            ),
            (
                "content/stories/bundle-walk.pl.md",
                "has no original",
                "content/stories/bundle-walk/index.pl.md",
            ),
        ],
    );
}

#[test]
fn the_default_languages_code_in_a_file_name_is_an_error() {
    rejects(
        &[("content/stories/canal-walks.en-GB.md", STORY)],
        &[(
            "content/stories/canal-walks.en-GB.md",
            "is the site's default language",
            "name the file without `.en-GB`",
        )],
    );
}

#[test]
fn a_wrong_direction_is_an_error_at_its_line() {
    let site = TestSite::fixture("languages");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        config.replace("name = \"Polski\"\n", "name = \"Polski\"\ndir = \"left\"\n"),
    );
    let run = site.build(&[]);
    assert!(!run.success);
    let line = config
        .lines()
        .position(|l| l == "name = \"Polski\"")
        .unwrap()
        + 2;
    let found = shown(&run.stderr);
    assert!(
        found.iter().any(|d| d.path == "site.toml"
            && d.line == Some(line)
            && d.message
                .contains("[languages.pl] `dir` must be \"rtl\" or \"ltr\", found \"left\"")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_translations_own_mistakes_are_its_own_and_its_originals_are_not_repeated() {
    rejects(
        &[(
            "content/stories/canal-walks.ur.md",
            "+++\ntitle = \"T\"\ntopics = [\"cultur\"]\n+++\nText.\n",
        )],
        &[(
            "content/stories/canal-walks.ur.md:3",
            "unknown topic `cultur`",
            "did you mean `culture`?",
        )],
    );
}

#[test]
fn dates_are_written_in_each_language() {
    let site = built();
    let pl = text_of(main_of(
        &site.page("pl/stories/spacery-nad-kanalem/index.html"),
    ));
    assert!(pl.contains("1 września 2015"), "{pl}");
    let ur = text_of(main_of(&site.page("ur/stories/canal-walks/index.html")));
    assert!(ur.contains("1 ستمبر 2015"), "{ur}");
    let en = text_of(main_of(&site.page("stories/canal-walks/index.html")));
    assert!(en.contains("1 September 2015"), "{en}");
}

#[test]
fn new_writes_a_translation_beside_its_original() {
    let site = TestSite::fixture("languages");
    let run = site.brum(
        "new",
        &[
            "story",
            "Spacer po kanale",
            "--lang",
            "pl",
            "--from",
            "untranslated",
        ],
    );
    assert!(run.success, "{}", run.stderr);
    let text = site.read("content/stories/untranslated.pl.md");
    assert!(
        text.starts_with("+++\ntitle = \"Spacer po kanale\"\ndraft = true\n"),
        "{text}"
    );
    assert!(
        text.contains("# date = 2015-08-01\n# partner = \"city-council\"\n"),
        "{text}"
    );
    assert!(text.ends_with("+++\nOnly in English so far.\n"), "{text}");
    // A draft: published with --drafts, at the original's address.
    site.build_ok(&["--drafts"]);
    let page = site.page("pl/stories/untranslated/index.html");
    assert!(page.contains("Spacer po kanale"), "{page}");
    // Into a language the site does not have: an error naming site.toml.
    let run = site.brum(
        "new",
        &["story", "x", "--lang", "fr", "--from", "canal-walks"],
    );
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("`fr` is not one of the site's languages"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_warns_about_a_translation_older_than_its_original() {
    let site = TestSite::fixture("languages");
    let original = site.read("content/stories/canal-walks.md");
    site.write(
        "content/stories/canal-walks.md",
        original.replace(
            "date = 2015-09-01\n",
            "date = 2015-09-01\nupdated = 2015-10-05\n",
        ),
    );
    let run = site.brum("check", &[]);
    let found = shown(&run.stderr);
    for path in [
        "content/stories/canal-walks.ur.md",
        "content/stories/canal-walks.pl.md",
    ] {
        assert!(
            found.iter().any(|d| d.path == path
                && d.severity == "warning"
                && d.message.contains("this translation may be out of date: its original content/stories/canal-walks.md was updated on 5 October 2015")
                && d.help.as_deref().unwrap_or_default().contains("set updated = 2015-10-05")),
            "{path}: {}",
            run.stderr
        );
    }
    // Once the translation says it caught up, no warning.
    let ur = site.read("content/stories/canal-walks.ur.md");
    site.write(
        "content/stories/canal-walks.ur.md",
        ur.replacen("+++\n", "+++\nupdated = 2015-10-06\n", 1),
    );
    let run = site.brum("check", &[]);
    assert!(
        !run.stderr
            .contains("content/stories/canal-walks.ur.md\n = help: bring"),
        "{}",
        run.stderr
    );
    assert_eq!(
        shown(&run.stderr)
            .iter()
            .filter(|d| d.message.contains("out of date"))
            .count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn check_lists_what_a_language_lacks_when_asked() {
    let site = TestSite::fixture("languages");
    let quiet = site.brum("check", &[]);
    assert!(
        !quiet.stderr.contains("no translation into"),
        "{}",
        quiet.stderr
    );
    let run = site.brum("check", &["--translations"]);
    let found = shown(&run.stderr);
    let about = |path: &str| {
        found
            .iter()
            .find(|d| d.path == path && d.message.starts_with("no translation into"))
            .map(|d| d.message.clone())
    };
    assert_eq!(
        about("content/stories/untranslated.md").as_deref(),
        Some("no translation into اردو (ur), Polski (pl)")
    );
    assert_eq!(
        about("content/partners/the-mac.md").as_deref(),
        Some("no translation into Polski (pl)")
    );
    assert_eq!(about("content/stories/canal-walks.md"), None);
}

#[test]
fn check_warns_about_a_language_the_themes_words_are_missing_from() {
    let site = TestSite::fixture("languages");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{config}\n[languages.so]\nname = \"Soomaali\"\n"),
    );
    let run = site.brum("check", &[]);
    let found = shown(&run.stderr);
    assert!(
        found.iter().any(|d| d.path == "i18n/so.toml"
            && d.severity == "warning"
            && d.message
                .contains("of the theme's words have no Soomaali (so) translation")),
        "{}",
        run.stderr
    );
    assert!(
        !found.iter().any(|d| d.path == "i18n/ur.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_themes_words_are_in_each_pages_language() {
    let site = built();
    let pl = text_of(&site.page("pl/stories/spacery-nad-kanalem/index.html"));
    for words in [
        "Przejdź do treści głównej",
        // The navigation, the story's facts, sharing, the footer.
        "Historie Partnerzy Oś czasu Tematy",
        "Opublikowano 1 września 2015",
        "Czas czytania 1 min",
        "Udostępnij tę historię",
        "Wyślij e-mailem",
        "O tej stronie",
        "Dostępność Prywatność",
        "Starsza historia",
    ] {
        assert!(pl.contains(words), "{words} not in {pl}");
    }
    let ur = text_of(&site.page("ur/stories/canal-walks/index.html"));
    for words in [
        "مرکزی مواد پر جائیں",
        "کہانیاں شراکت دار ٹائم لائن موضوعات",
        "اشاعت 1 ستمبر 2015",
        "یہ کہانی شیئر کریں",
        "اس سائٹ کے بارے میں",
        "کہانیوں کی فیڈ (Atom)",
    ] {
        assert!(ur.contains(words), "{words} not in {ur}");
    }
    let html = site.page("ur/stories/canal-walks/index.html");
    assert!(html.contains(r#"<nav class="brum-languages" aria-label="زبانیں">"#));
    // Counts take each language's plural forms: Polish has three.
    let questions = text_of(&site.page("pl/questions/index.html"));
    assert!(questions.contains("zadaje dwa pytania"), "{questions}");
    assert!(questions.contains("1 historia odpowiada na to pytanie."));
    assert!(questions.contains("0 historii odpowiada na to pytanie."));
    let home = text_of(&site.page("pl/index.html"));
    assert!(home.contains("2 organizacje partnerskie"), "{home}");
    // The pictures are drawn in the language too.
    let road = site.page("ur/timeline/index.html");
    assert!(road.contains(">ٹائم لائن بطور راستہ</title>"), "{road}");
    assert!(road.contains("آج (1 اکتوبر 2015) نشان زد ہے"), "{road}");
    // And English pages keep their English.
    let en = text_of(&site.page("stories/canal-walks/index.html"));
    assert!(en.contains("Published 1 September 2015"), "{en}");
    assert!(en.contains("Share this story"), "{en}");
}

/// The theme's English words longer than a word or two, as en.toml gives
/// them, with their Polish and Urdu: none of them should be left on a page
/// in either language.
fn theme_sentences() -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
    let table = |code: &str| -> toml::Table {
        toml::from_str(&std::fs::read_to_string(dir.join(format!("{code}.toml"))).unwrap()).unwrap()
    };
    let (en, pl, ur) = (table("en"), table("pl"), table("ur"));
    let text = |t: &toml::Table, key: &str| t[key].as_str().unwrap_or_default().to_string();
    en.iter()
        .filter_map(|(key, value)| {
            let english = value.as_str()?;
            let plain = !english.contains(['{', '<']) && english.split_whitespace().count() >= 3;
            plain.then(|| (english.to_string(), text(&pl, key), text(&ur, key)))
        })
        .collect()
}

#[test]
fn no_english_of_the_theme_is_left_on_polish_or_urdu_pages() {
    let site = built();
    let sentences = theme_sentences();
    assert!(sentences.len() > 30, "{}", sentences.len());
    for page in [
        "index.html",
        "stories/index.html",
        "partners/index.html",
        "timeline/index.html",
        "topics/index.html",
        "topics/culture/index.html",
        "questions/index.html",
        "questions/great/index.html",
        "search/index.html",
    ] {
        for lang in ["pl", "ur"] {
            let html = site.page(&format!("{lang}/{page}"));
            let text = text_of(&html);
            for (english, ..) in &sentences {
                assert!(
                    !text.contains(english.as_str()) && !html.contains(english.as_str()),
                    "{lang}/{page} still says {english:?}"
                );
            }
        }
    }
}

#[test]
fn a_sites_word_overrides_the_themes_in_its_language_only() {
    let site = built();
    // tests/fixtures/languages/i18n/pl.toml gives footer_follow.
    let pl = text_of(&site.page("pl/index.html"));
    assert!(pl.contains("Bądź z nami w kontakcie"), "{pl}");
    assert!(!pl.contains("Śledź rozmowę"), "{pl}");
    let ur = text_of(&site.page("ur/index.html"));
    assert!(ur.contains("گفتگو سے جڑے رہیں"), "{ur}");
    let en = text_of(&site.page("index.html"));
    assert!(en.contains("Follow the conversation"), "{en}");
}

#[test]
fn a_word_a_language_does_not_give_falls_back_to_english() {
    let site = TestSite::fixture("languages");
    // The site's own copy of the default theme, its Polish lacking a word.
    let theme = site.root().join("themes/default");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &theme,
    );
    let pl = site.read("themes/default/i18n/pl.toml");
    let without: String = pl
        .lines()
        .filter(|l| !l.starts_with("story_published ="))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, pl, "pl.toml has story_published");
    site.write("themes/default/i18n/pl.toml", without);
    site.build_ok(&[]);
    let story = text_of(&site.page("pl/stories/spacery-nad-kanalem/index.html"));
    assert!(story.contains("Published 1 września 2015"), "{story}");
    assert!(story.contains("Czas czytania"), "{story}");
}

#[test]
fn a_page_cannot_take_a_languages_folder() {
    rejects(
        &[("content/pages/ur.md", "+++\ntitle = \"Urdu\"\n+++\nText.\n")],
        &[(
            "content/pages/ur.md",
            "the address /ur/ is already taken by (the site's pages in `ur`",
            "give one of them another `slug`",
        )],
    );
}
