//! The editor in the browser (`[cms]`): what the build publishes under
//! `/admin/`, the `config.yml` checked against the site's model, and
//! `brum serve`'s local-backend API, asked as Decap asks it and as a
//! hostile page or path would. The slow tier writes a story through the
//! editor in Chromium.

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, Locator};

use crate::browser::Session;
use crate::serve::{Preview, Response, http_post};
use crate::support::TestSite;

const CMS_ON: &str = "\n[cms]\nenabled = true\n";

/// The languages fixture (English, Urdu, Polish) with the editor on.
fn site_with_editor(extra: &str) -> TestSite {
    let site = TestSite::fixture("languages");
    let toml = site.read("site.toml");
    site.write("site.toml", format!("{toml}{CMS_ON}{extra}"));
    site
}

/// The block of `config.yml` for one collection.
fn collection<'a>(config: &'a str, name: &str) -> &'a str {
    let start = config
        .find(&format!("  - name: \"{name}\""))
        .unwrap_or_else(|| panic!("no {name} collection:\n{config}"));
    let rest = &config[start + 4..];
    let end = rest.find("\n  - name: ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

/// The block of one field in a collection's block.
fn field<'a>(collection: &'a str, name: &str) -> &'a str {
    let at = collection
        .find(&format!("name: \"{name}\"\n"))
        .unwrap_or_else(|| panic!("no field {name}:\n{collection}"));
    // Fields are list items at six spaces; their options are deeper.
    let item = "\n      - label:";
    let start = collection[..at].rfind(item).unwrap();
    let rest = &collection[start + item.len()..];
    let end = rest.find(item).unwrap_or(rest.len());
    &rest[..end]
}

/// The `value:`s of a select field's options.
fn option_values(field: &str) -> Vec<String> {
    field
        .lines()
        .filter_map(|l| l.trim().strip_prefix("value: "))
        .map(|v| v.trim_matches('"').to_string())
        .collect()
}

#[test]
fn the_editor_is_published_only_when_the_site_turns_it_on() {
    let site = TestSite::fixture("languages");
    site.build_ok(&[]);
    assert!(!site.out().join("admin").exists());

    let site = site_with_editor("");
    site.build_ok(&[]);
    let page = site.page("admin/index.html");
    assert!(page.contains("<html lang=\"en-GB\">"), "{page}");
    assert!(page.contains("<title>Content editor · Fixture Partners</title>"));
    assert!(page.contains("<script src=\"decap/decap-cms.js\"></script>"));
    let vendored =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor/decap-cms/dist/decap-cms.js");
    assert_eq!(
        std::fs::read(site.out().join("admin/decap/decap-cms.js")).unwrap(),
        std::fs::read(vendored).unwrap(),
        "Decap's script is published from the site itself, as released"
    );
    // No search index, sitemap entry or feed item for the editor.
    assert!(!site.read("public/sitemap.xml").contains("/admin/"));
}

#[test]
fn config_yml_offers_the_sites_vocabularies_and_requires_what_brum_requires() {
    let site = site_with_editor("");
    site.build_ok(&[]);
    let config = site.read("public/admin/config.yml");
    let stories = collection(&config, "stories");
    assert!(stories.contains("folder: \"content/stories\""));
    assert!(stories.contains("format: \"toml-frontmatter\""));
    assert!(
        stories.contains("path: \"{{slug}}/index\""),
        "new stories are bundles"
    );
    let toml: toml::Table = site.read("site.toml").parse().unwrap();
    let keys = |table: &str| -> Vec<String> {
        let mut value = &toml::Value::Table(toml.clone());
        for part in table.split('.') {
            value = &value[part];
        }
        value.as_table().unwrap().keys().cloned().collect()
    };
    // Every key of site.toml's vocabularies, in its order, and nothing else.
    assert_eq!(option_values(field(stories, "topics")), keys("topics"));
    assert_eq!(option_values(field(stories, "topics")).len(), 2);
    assert_eq!(
        option_values(field(stories, "question")),
        keys("campaign.questions")
    );
    let partner = field(stories, "partner");
    assert!(
        partner.contains("widget: \"relation\"") && partner.contains("collection: \"partners\"")
    );
    let partners = collection(&config, "partners");
    // A new partner's file is named after its name, as a story's after its title.
    assert!(
        partners.contains("identifier_field: \"name\""),
        "{partners}"
    );
    assert!(stories.contains("identifier_field: \"title\""));
    assert_eq!(option_values(field(partners, "sector")), keys("sectors"));
    assert_eq!(
        option_values(field(partners, "commitments")),
        keys("commitments")
    );
    let required = [
        ("stories", ["title", "date"].as_slice()),
        ("partners", &["name", "sector"]),
        ("timeline", &["title", "date"]),
        ("pages", &["title"]),
    ];
    for (kind, fields) in required {
        let block = collection(&config, kind);
        for name in fields.iter() {
            assert!(
                field(block, name).contains("required: true"),
                "{kind}.{name} is required, as brum requires it"
            );
        }
        assert!(field(block, "draft").contains("widget: \"boolean\""));
    }
    assert!(field(stories, "summary").contains("required: false"));
    assert!(field(stories, "image_consent").contains("never published"));
    assert!(field(partners, "review_by").contains("widget: \"datetime\""));
    assert!(field(collection(&config, "pages"), "review_by").contains("widget: \"datetime\""));
    // Without a repository the published editor saves only through serve.
    assert!(
        config.starts_with("backend:\n  name: \"proxy\"\n"),
        "{config}"
    );
    assert!(
        !config.contains("local_backend"),
        "the published site is not this computer"
    );
}

#[test]
fn a_repository_in_site_toml_is_where_the_published_editor_commits() {
    let site = site_with_editor("repo = \"birminghampartners/site\"\nbranch = \"live\"\n");
    site.build_ok(&[]);
    let config = site.read("public/admin/config.yml");
    assert!(
        config.starts_with(
            "backend:\n  name: \"github\"\n  repo: \"birminghampartners/site\"\n  branch: \"live\"\n"
        ),
        "{config}"
    );
    let site = site_with_editor("repo = \"not a repo\"\n");
    let run = site.build(&[]);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("[cms] `repo` must be `owner/name`, found \"not a repo\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("site.toml:"), "{}", run.stderr);
}

/// The editor's API on a running preview, asked as Decap asks.
fn api(preview: &Preview, body: &str) -> Response {
    let host = format!("Host: 127.0.0.1:{}", preview.port);
    let origin = format!("Origin: http://127.0.0.1:{}", preview.port);
    let headers = [
        host.as_str(),
        origin.as_str(),
        "Content-Type: application/json",
    ];
    http_post(preview.port, "/api/v1", &headers, body)
}

#[test]
fn serve_answers_decaps_local_backend_on_the_sites_own_files() {
    let site = site_with_editor("");
    let mut preview = Preview::start(&site, &["--port", "0"]);
    let line = preview.wait_line("Writing in the browser: ");
    assert!(
        line.ends_with(&format!(":{}/admin/", preview.port)),
        "{line}"
    );
    let info = api(&preview, r#"{"action":"info"}"#);
    assert_eq!(info.status, 200, "{}", info.body);
    assert!(info.body.contains("\"type\":\"local_fs\""), "{}", info.body);

    let list = api(
        &preview,
        r#"{"action":"entriesByFolder","params":{"folder":"content/stories","extension":"md","depth":2}}"#,
    );
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body
            .contains("\"path\":\"content/stories/canal-walks.md\"")
    );
    assert!(
        list.body
            .contains("\"path\":\"content/stories/bundle-walk/index.md\"")
    );
    assert!(
        !list.body.contains("canal-walks.ur.md"),
        "translations are not listed"
    );
    assert!(
        !list.body.contains("_index"),
        "introductions are not listed"
    );

    let story = "+++\ntitle = \"Tea at the library\"\ndate = \"2015-09-20\"\ntopics = [\"culture\"]\n+++\nTea every Tuesday.\n";
    let persist = serde_json::json!({
        "action": "persistEntry",
        "params": {"entry": {"path": "content/stories/tea/index.md", "raw": story}, "assets": []},
    });
    let saved = api(&preview, &persist.to_string());
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(site.read("content/stories/tea/index.md"), story);
    let page = preview.wait_for("/stories/tea/", |r| r.status == 200);
    assert!(page.body.contains("Tea every Tuesday."), "{}", page.body);
}

#[test]
fn the_api_touches_nothing_outside_content_and_static() {
    let site = site_with_editor("");
    let preview = Preview::start(&site, &["--port", "0"]);
    let toml = site.read("site.toml");
    for path in [
        "site.toml",
        "templates/x.html",
        "/etc/passwd",
        "../outside.md",
        "content/../site.toml",
        "content/stories/../../site.toml",
        "content\\..\\site.toml",
        "content/./stories/x.md",
        "content//x.md",
        "static/.hidden",
        "C:/Windows/x.md",
        "public/index.html",
    ] {
        let write = serde_json::json!({
            "action": "persistEntry",
            "params": {"entry": {"path": path, "raw": "overwritten"}, "assets": []},
        });
        let r = api(&preview, &write.to_string());
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(
            r.body.contains("only files under content/ and static/"),
            "{}",
            r.body
        );
        let read = serde_json::json!({"action": "getMediaFile", "params": {"path": path}});
        assert_eq!(api(&preview, &read.to_string()).status, 403, "{path}");
    }
    assert_eq!(site.read("site.toml"), toml, "nothing was written");
    assert!(!site.root().parent().unwrap().join("outside.md").exists());
}

#[cfg(unix)]
#[test]
fn a_link_out_of_content_is_not_followed() {
    let site = site_with_editor("");
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/escape")).unwrap();
    let preview = Preview::start(&site, &["--port", "0"]);
    let write = serde_json::json!({
        "action": "persistMedia",
        "params": {"asset": {"path": "content/escape/x.md", "content": "aGk=", "encoding": "base64"}},
    });
    let r = api(&preview, &write.to_string());
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(!outside.path().join("x.md").exists());
}

#[test]
fn only_this_preview_may_use_the_api() {
    let site = site_with_editor("");
    let preview = Preview::start(&site, &["--port", "0"]);
    let port = preview.port;
    let host = format!("Host: 127.0.0.1:{port}");
    let info = r#"{"action":"info"}"#;
    // A form on another site can post text/plain without asking first.
    let r = http_post(port, "/api/v1", &[&host, "Content-Type: text/plain"], info);
    assert_eq!(r.status, 415, "{}", r.body);
    let r = http_post(
        port,
        "/api/v1",
        &[
            &host,
            "Origin: http://evil.example",
            "Content-Type: application/json",
        ],
        info,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // A DNS name pointed at 127.0.0.1 (rebinding) is not this preview.
    let r = http_post(
        port,
        "/api/v1",
        &[
            &format!("Host: evil.example:{port}"),
            "Content-Type: application/json",
        ],
        info,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // The editor's own page gets no live-reload script: a reload would
    // lose what is being written.
    let page = preview.get("/admin/");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/__brum/live.js"), "{}", page.body);
}

#[test]
fn the_api_is_off_without_cms_and_beyond_this_computer() {
    let site = TestSite::fixture("languages");
    let preview = Preview::start(&site, &["--port", "0"]);
    let r = api(&preview, r#"{"action":"info"}"#);
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(
        r.body.contains("set enabled = true under [cms]"),
        "{}",
        r.body
    );
    drop(preview);

    let site = site_with_editor("");
    let preview = Preview::start(&site, &["--port", "0", "--bind", "0.0.0.0"]);
    let r = api(&preview, r#"{"action":"info"}"#);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("--cms-on-network"), "{}", r.body);
}

/// Waits for an element; the page's text on failure.
async fn wait_for(client: &Client, xpath: &str) -> fantoccini::elements::Element {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(e) = client.find(Locator::XPath(xpath)).await {
            return e;
        }
        if Instant::now() > deadline {
            let text = client
                .execute("return document.body.innerText", vec![])
                .await
                .map(|v| v.to_string())
                .unwrap_or_default();
            panic!("never appeared: {xpath}\npage:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The input a form label names.
fn labelled(label: &str) -> String {
    format!("//input[@id=//label[starts-with(., '{label}')]/@for]")
}

async fn click(client: &Client, xpath: &str) {
    wait_for(client, xpath).await.click().await.unwrap();
}

async fn type_into(client: &Client, label: &str, text: &str) {
    let input = wait_for(client, &labelled(label)).await;
    input.send_keys(text).await.unwrap();
}

/// A form for a new entry of `collection`, past the sign-in page.
async fn open_new(client: &Client, base: &str, collection: &str) {
    let url = format!("{base}/admin/#/collections/{collection}/new");
    client.goto(&url).await.unwrap();
    click(client, "//button[contains(., 'Login')]").await;
}

/// Types `typed` into a choice field and picks the option shown as `option`.
async fn choose(client: &Client, label: &str, typed: &str, option: &str) {
    let input = wait_for(client, &labelled(label)).await;
    input.send_keys(typed).await.unwrap();
    let shown = format!("//*[contains(@id, 'option') and .='{option}']");
    wait_for(client, &shown).await;
    let enter = String::from(char::from(Key::Enter));
    input.send_keys(&enter).await.unwrap();
}

async fn publish(client: &Client) {
    click(client, "//span[@role='button' and .='Publish']").await;
    click(client, "//*[contains(text(), 'Publish now')]").await;
}

/// The text of `rel` once the editor's save has written it.
fn written(site: &TestSite, rel: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !site.root().join(rel).is_file() {
        assert!(Instant::now() < deadline, "{rel} was never written");
        std::thread::sleep(Duration::from_millis(100));
    }
    site.read(rel)
}

/// The editor's site, its preview and a browser on it; None when Chromium
/// is missing here (on CI, a failure).
fn editor_in_browser() -> Option<(TestSite, Preview, Session, String)> {
    let site = site_with_editor("");
    let preview = Preview::start(&site, &["--port", "0"]);
    let base = format!("http://127.0.0.1:{}", preview.port);
    let session = Session::browse(base.clone())?;
    Some((site, preview, session, base))
}

#[test]
#[ignore = "slow tier: Chromium"]
fn an_author_writes_a_story_in_the_browser_and_sees_it_previewed() {
    let Some((site, preview, session, base)) = editor_in_browser() else {
        return;
    };
    let client = &session.client;
    session.runtime.block_on(async {
        open_new(client, &base, "stories").await;
        type_into(client, "Title", "Tea at the library").await;
        click(client, "//label[.='Date']/following::button[.='Now'][1]").await;
        choose(client, "Partner", "Midlands", "Midlands Arts Centre").await;
        choose(client, "Topics", "Culture", "Culture").await;
        let body = "//label[starts-with(., 'Text')]/following::*[@contenteditable='true'][1]";
        wait_for(client, body)
            .await
            .send_keys("Every Tuesday the library serves tea to anyone who comes in.")
            .await
            .unwrap();
        publish(client).await;
        wait_for(client, "//*[contains(., 'Entry saved')]").await;
    });
    let text = written(&site, "content/stories/tea-at-the-library/index.md");
    assert!(
        text.starts_with("+++\ntitle = \"Tea at the library\"\n"),
        "{text}"
    );
    assert!(text.contains("partner = \"the-mac\""), "{text}");
    assert!(text.contains("topics = [\"culture\"]"), "{text}");
    // Valid as brum reads it: the preview has the page, with the partner.
    let page = preview.wait_for("/stories/tea-at-the-library/", |r| r.status == 200);
    assert!(
        page.body.contains("<h1>Tea at the library</h1>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("serves tea to anyone who comes in."));
    assert!(page.body.contains("/partners/the-mac/"), "{}", page.body);
    drop(preview);
    site.build_ok(&[]);
}

#[test]
#[ignore = "slow tier: Chromium"]
fn a_picture_is_saved_beside_its_story_and_not_without_its_alt_text() {
    let picture = crate::support::fixture_dir("check-clean").join("static/images/canal.png");
    let Some((site, preview, session, base)) = editor_in_browser() else {
        return;
    };
    let client = &session.client;
    session.runtime.block_on(async {
        open_new(client, &base, "stories").await;
        type_into(client, "Title", "Tea on the towpath").await;
        click(client, "//label[.='Date']/following::button[.='Now'][1]").await;
        click(client, "//button[contains(., 'Choose an image')]").await;
        let upload = wait_for(client, "//input[@type='file']").await;
        upload
            .send_keys(&picture.display().to_string())
            .await
            .unwrap();
        click(client, "//button[contains(., 'Choose selected')]").await;
        publish(client).await;
        wait_for(client, "//*[contains(., 'The picture needs its alt text')]").await;
        type_into(
            client,
            "What the picture shows",
            "The towpath at Gas Street Basin",
        )
        .await;
        publish(client).await;
        wait_for(client, "//*[contains(., 'Entry saved')]").await;
    });
    let text = written(&site, "content/stories/tea-on-the-towpath/index.md");
    let bundle = site.root().join("content/stories/tea-on-the-towpath");
    assert_eq!(
        std::fs::read(bundle.join("canal.png")).unwrap(),
        std::fs::read(&picture).unwrap(),
        "the picture is beside the story, as uploaded"
    );
    assert!(
        text.contains("image = \"canal.png\"\nimage_alt = \"The towpath at Gas Street Basin\""),
        "{text}"
    );
    let page = preview.wait_for("/stories/tea-on-the-towpath/", |r| r.status == 200);
    assert!(
        page.body
            .contains("alt=\"The towpath at Gas Street Basin\""),
        "{}",
        page.body
    );
}

#[test]
#[ignore = "slow tier: Chromium"]
fn a_partner_written_in_the_browser_is_filed_under_its_name() {
    let Some((site, preview, session, base)) = editor_in_browser() else {
        return;
    };
    let client = &session.client;
    session.runtime.block_on(async {
        open_new(client, &base, "partners").await;
        type_into(client, "Name", "Canal and River Trust").await;
        choose(client, "Sector", "Public", "Public sector").await;
        publish(client).await;
        wait_for(client, "//*[contains(., 'Entry saved')]").await;
    });
    let text = written(&site, "content/partners/canal-and-river-trust/index.md");
    assert!(
        text.contains("name = \"Canal and River Trust\"\nsector = \"public\""),
        "{text}"
    );
    let page = preview.wait_for("/partners/canal-and-river-trust/", |r| r.status == 200);
    assert!(page.body.contains("Canal and River Trust"));
}
