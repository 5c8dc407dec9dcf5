//! `brum check --external` against a server on 127.0.0.1 started by each
//! test: broken and slow links are reported where they are written (Markdown,
//! a partner's front matter, site.toml), `skip` is honoured, good answers are
//! cached until they expire, and one host never gets more than `per_host`
//! requests at once.

use crate::support::{TestServer, TestSite, shown};

/// The clean fixture with `[check]` settings and a page of links, one a line
/// from line 5 (`- [Link N](URL)`: the address starts at column 12).
fn site_with_links(check: &str, links: &[String]) -> TestSite {
    let site = TestSite::fixture("check-clean");
    let toml = site.read("site.toml");
    site.write("site.toml", format!("{toml}\n[check]\n{check}\n"));
    let list: String = links
        .iter()
        .enumerate()
        .map(|(i, url)| format!("- [Link {}]({url})\n", i + 1))
        .collect();
    site.write(
        "content/pages/links.md",
        format!("+++\ntitle = \"Links\"\n+++\n\n{list}"),
    );
    site
}

fn json(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn place(v: &serde_json::Value) -> (String, String, u64, u64, String) {
    (
        v["severity"].as_str().unwrap().to_string(),
        v["path"].as_str().unwrap().to_string(),
        v["line"].as_u64().unwrap(),
        v["column"].as_u64().unwrap(),
        v["message"].as_str().unwrap().to_string(),
    )
}

#[test]
fn broken_slow_and_unreachable_links_are_reported_where_they_are_written() {
    let server = TestServer::start();
    let links: Vec<String> = [
        "/ok",
        "/gone",
        "/slow",
        "/no-head",
        "/moved",
        "/skipped/page",
    ]
    .iter()
    .map(|p| server.url(p))
    .chain(["http://127.0.0.1:1/closed".to_string()])
    .collect();
    let site = site_with_links(
        &format!("timeout = 1\nskip = [\"{}\"]", server.url("/skipped/")),
        &links,
    );
    // An address in front matter, and one in site.toml.
    let partner = site.read("content/partners/the-mac.md");
    site.write(
        "content/partners/the-mac.md",
        partner.replacen(
            "sector = \"voluntary\"\n",
            &format!(
                "sector = \"voluntary\"\nwebsite = \"{}\"\n",
                server.url("/gone-partner")
            ),
            1,
        ),
    );
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!(
            "{toml}\n[social]\nfacebook = \"{}\"\n",
            server.url("/gone-social")
        ),
    );

    let run = site.brum("check", &["--external", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let found: Vec<_> = json(&run.stdout).iter().map(place).collect();
    let gone = |path: &str| {
        format!(
            "the link to {} is broken: the site answered 404 (Not Found)",
            server.url(path)
        )
    };
    let e = |path: &str, line, column, message: String| {
        ("error".to_string(), path.to_string(), line, column, message)
    };
    assert_eq!(
        found,
        [
            e("content/pages/links.md", 6, 12, gone("/gone")),
            (
                "warning".to_string(),
                "content/pages/links.md".to_string(),
                7,
                12,
                format!("{} did not answer within 1 s", server.url("/slow"))
            ),
            e(
                "content/pages/links.md",
                11,
                12,
                "http://127.0.0.1:1/closed could not be reached: the connection was refused"
                    .to_string()
            ),
            e("content/partners/the-mac.md", 4, 12, gone("/gone-partner")),
            e("site.toml", 30, 13, gone("/gone-social")),
        ]
    );
    for v in json(&run.stdout) {
        assert!(!v["help"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        server.hits("/skipped/page"),
        0,
        "skipped addresses are not asked"
    );
    assert_eq!(server.hits("/moved"), 1);
    assert_eq!(
        server.hits("/ok"),
        2,
        "once itself, once where /moved leads"
    );
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|(_, p)| p == "/no-head")
            .map(|(m, _)| m.as_str())
            .collect::<Vec<_>>(),
        ["HEAD", "GET"],
        "a refused HEAD is asked again with GET"
    );
    // Without --external, nothing is asked.
    let before = server.requests().len();
    let run = site.brum("check", &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(server.requests().len(), before);
}

#[test]
fn good_answers_are_cached_until_they_expire() {
    let server = TestServer::start();
    let site = site_with_links("", &[server.url("/ok"), server.url("/gone")]);
    let run = site.brum("check", &["--external"]);
    assert_eq!(run.code, Some(1));
    let d = &shown(&run.stderr)[0];
    assert_eq!(
        (d.path.as_str(), d.line, d.column),
        ("content/pages/links.md", Some(6), Some(12))
    );
    assert_eq!(
        d.source.as_deref(),
        Some(format!("- [Link 2]({})", server.url("/gone")).as_str())
    );
    assert_eq!((server.hits("/ok"), server.hits("/gone")), (1, 2));

    let cache: serde_json::Value =
        serde_json::from_str(&site.read(".brum-cache/links.json")).unwrap();
    assert_eq!(cache["links"][server.url("/ok")]["status"], 200);
    assert!(
        cache["links"].get(server.url("/gone")).is_none(),
        "only good answers are kept"
    );

    // A second run asks only what was not good.
    let run = site.brum("check", &["--external"]);
    assert_eq!(run.code, Some(1));
    assert_eq!((server.hits("/ok"), server.hits("/gone")), (1, 4));

    // An answer older than cache_hours (24 by default) is asked again.
    let mut stale: serde_json::Value =
        serde_json::from_str(&site.read(".brum-cache/links.json")).unwrap();
    stale["links"][server.url("/ok")]["checked"] = serde_json::json!(1_000_000_000u64);
    site.write(".brum-cache/links.json", stale.to_string());
    site.remove("content/pages/links.md");
    site.write(
        "content/pages/links.md",
        format!(
            "+++\ntitle = \"Links\"\n+++\n\n- [Link 1]({})\n",
            server.url("/ok")
        ),
    );
    let run = site.brum("check", &["--external"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Checked 18 pages made from 9 content files and 1 link to other sites: no problems found\n"
    );
    assert_eq!(server.hits("/ok"), 2);
}

#[test]
fn a_host_gets_at_most_per_host_requests_at_once() {
    for per_host in [2, 4] {
        let server = TestServer::start();
        let links: Vec<String> = (1..=8)
            .map(|n| server.url(&format!("/busy?n={n}")))
            .collect();
        let site = site_with_links(&format!("per_host = {per_host}\ncache_hours = 0"), &links);
        let run = site.brum("check", &["--external"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(server.requests().len(), 8, "each address asked once");
        assert!(
            server.max_concurrent() <= per_host,
            "{} at once with per_host = {per_host}",
            server.max_concurrent()
        );
        assert!(
            server.max_concurrent() > 1,
            "requests run side by side: {}",
            server.max_concurrent()
        );
        assert!(
            !site.root().join(".brum-cache/links.json").exists(),
            "cache_hours = 0 keeps nothing"
        );
    }
}
