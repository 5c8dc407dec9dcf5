//! `brum serve`, driven as a user would: the real binary on a free port, files
//! edited the ways editors save them, pages fetched over HTTP (with a raw
//! client, so hostile paths reach the server as written), and the
//! live-reload stream read as a browser would.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::support::{EPOCH, TestSite, snapshot};

/// A running `brum serve`, stopped (Ctrl-C) when dropped.
pub(crate) struct Preview {
    child: Child,
    pub(crate) port: u16,
    /// Lines the server printed, as they come.
    lines: mpsc::Receiver<String>,
    /// Lines already read from `lines`.
    seen: Vec<String>,
}

impl Preview {
    pub(crate) fn start(site: &TestSite, args: &[&str]) -> Preview {
        let mut command = Command::new(env!("CARGO_BIN_EXE_brum"));
        command.args(["serve", "--root"]).arg(site.root());
        Preview::spawn(command, args)
    }

    /// Started as an author does: in the site folder, with no `--root`.
    fn start_in_folder(site: &TestSite, args: &[&str]) -> Preview {
        let mut command = Command::new(env!("CARGO_BIN_EXE_brum"));
        command.arg("serve").current_dir(site.root());
        Preview::spawn(command, args)
    }

    fn spawn(mut command: Command, args: &[&str]) -> Preview {
        let mut child = command
            .args(args)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut preview = Preview {
            child,
            port: 0,
            lines,
            seen: Vec::new(),
        };
        let line = preview.wait_line("Serving the preview at ");
        let url = line
            .split("at ")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        preview.port = url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        preview
    }

    /// Waits for a printed line containing `needle` (or finds it among
    /// those printed already); later waits look past it.
    pub(crate) fn wait_line(&mut self, needle: &str) -> String {
        if let Some(i) = self.seen.iter().position(|l| l.contains(needle)) {
            return self.seen.drain(..=i).next_back().unwrap_or_default();
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(line) => self.seen.push(line),
                Err(_) => break,
            }
        }
        panic!("the server never printed {needle:?}");
    }

    pub(crate) fn get(&self, path: &str) -> Response {
        http_get(self.port, path)
    }

    /// Polls `path` until its body satisfies `ok`; the last response.
    pub(crate) fn wait_for(&self, path: &str, ok: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never became as expected; last:\n{}",
                r.body
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn interrupt(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop on Ctrl-C"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub(crate) struct Response {
    pub(crate) status: u16,
    headers: String,
    pub(crate) body: String,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// GET with the path exactly as given.
fn http_get(port: u16, path: &str) -> Response {
    http_send(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    )
}

/// POST `body` with the given header lines (`Host` among them when wanted).
pub(crate) fn http_post(port: u16, path: &str, headers: &[&str], body: &str) -> Response {
    let mut head = format!("POST {path} HTTP/1.1\r\nConnection: close\r\n");
    for line in headers {
        head.push_str(line);
        head.push_str("\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    http_send(port, &head)
}

/// Sends a raw request; the response as it came.
fn http_send(port: u16, request: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

/// The live-reload stream, as a browser's EventSource reads it: event names.
fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__brum/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && tx.send((event.clone(), data.to_string())).is_err()
            {
                return;
            }
        }
    });
    // The stream is open once the response head has come back; a request
    // for a page after this point is ordered after the subscription.
    thread::sleep(Duration::from_millis(200));
    rx
}

fn next_event(rx: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((event, data)) if event == name => return data,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no {name} event");
}

const STORY: &str = "content/stories/canal-walks.md";

fn story_text(site: &TestSite) -> String {
    fs::read_to_string(site.root().join(STORY)).unwrap()
}

#[test]
fn serves_pages_with_their_types_folders_and_the_sites_404() {
    let site = TestSite::fixture("basic");
    let preview = Preview::start(&site, &["--port", "0"]);
    let home = preview.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("What makes Fixtureville great?"));
    assert!(
        home.body.contains("/__brum/live.js"),
        "the live-reload script is added"
    );
    assert_eq!(
        preview.get("/style.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        preview.get("/feed.xml").header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    assert_eq!(
        preview.get("/images/pic.png").header("content-type"),
        Some("image/png")
    );
    let story = preview.get("/stories/canal-walks/");
    assert!(story.status == 200 && story.body.contains("Canal walks at dawn"));
    let bare = preview.get("/stories/canal-walks");
    assert_eq!(bare.status, 301);
    assert_eq!(bare.header("location"), Some("/stories/canal-walks/"));
    let missing = preview.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.to_lowercase().contains("not found"),
        "the site's own 404 page"
    );
}

#[test]
fn links_work_on_the_local_port_whatever_base_url_says() {
    let site = TestSite::fixture("basic");
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        toml.replace("https://example.org", "https://example.org/partners/"),
    );
    let preview = Preview::start(&site, &["--port", "0"]);
    let home = preview.get("/");
    assert!(
        home.body.contains("href=\"/stories/\""),
        "links are at the root of the preview"
    );
    assert!(!home.body.contains("href=\"/partners/stories/\""));
    assert!(
        home.body
            .contains(&format!("href=\"http://127.0.0.1:{}/\"", preview.port)),
        "canonical URL on the preview"
    );
    assert_eq!(preview.get("/stories/").status, 200);
}

#[test]
fn drafts_are_shown_in_preview_unless_asked_not_to() {
    let site = TestSite::fixture("basic");
    let preview = Preview::start(&site, &["--port", "0"]);
    let draft = preview.get("/stories/a-draft/");
    assert_eq!(draft.status, 200);
    assert!(draft.body.to_lowercase().contains("draft"));
    drop(preview);
    let preview = Preview::start(&site, &["--port", "0", "--no-drafts"]);
    assert_eq!(preview.get("/stories/a-draft/").status, 404);
}

#[test]
fn no_request_reaches_a_file_outside_the_site() {
    let site = TestSite::fixture("basic");
    let secret = "TOP-SECRET-7d1f";
    site.write("secret.txt", secret);
    site.write("content/secret.txt", secret);
    let outside = site.root().join("../outside.txt");
    fs::write(&outside, secret).unwrap();
    let preview = Preview::start(&site, &["--port", "0"]);
    let abs = outside.canonicalize().unwrap();
    let abs = abs.to_str().unwrap();
    for path in [
        "/../secret.txt",
        "/../../outside.txt",
        "/stories/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/outside.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2f..%2foutside.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "/content/secret.txt",
        "/secret.txt",
        abs,
        &format!("/{abs}"),
        "//etc/passwd",
        "/etc/passwd",
        "/../../../../../../etc/passwd",
    ] {
        let r = preview.get(path);
        assert!(
            !r.body.contains(secret),
            "{path} leaked a file outside the site"
        );
        assert!(!r.body.contains("root:x:0:0"), "{path} leaked /etc/passwd");
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
    }
}

#[test]
fn a_symlink_out_of_the_site_is_never_served() {
    let site = TestSite::fixture("basic");
    let outside = site.root().join("../outside.txt");
    fs::write(&outside, "OUTSIDE-9a2c").unwrap();
    std::os::unix::fs::symlink(&outside, site.root().join("static/leak.txt")).unwrap();
    let mut preview = Preview::start(&site, &["--port", "0"]);
    preview.wait_line("points outside the site");
    let r = preview.get("/leak.txt");
    assert!(!r.body.contains("OUTSIDE-9a2c"));
    assert_eq!(r.status, 503, "no good build yet: the page says why");
    assert!(r.body.contains("brum-build-error") && r.body.contains("points outside the site"));
}

#[test]
fn every_way_editors_save_ends_with_the_right_page() {
    let site = TestSite::fixture("basic");
    let preview = Preview::start(&site, &["--port", "0"]);
    let original = story_text(&site);
    let page = "/stories/canal-walks/";
    let path = site.root().join(STORY);
    let with = |word: &str| original.replace("quiet network", &format!("{word} network"));
    let shows = |word: &str| {
        preview
            .wait_for(page, |r| r.body.contains(&format!("{word} network")))
            .status
            == 200
    };

    // Write a temporary file, then rename it over the story.
    let tmp = site.root().join("content/stories/.canal-walks.md.tmp123");
    fs::write(&tmp, with("renamed-over")).unwrap();
    fs::rename(&tmp, &path).unwrap();
    assert!(shows("renamed-over"));

    // Write a backup first, then the file in place.
    fs::copy(&path, site.root().join("content/stories/canal-walks.md~")).unwrap();
    fs::write(&path, with("after-backup")).unwrap();
    assert!(shows("after-backup"));

    // Vim: probe with 4913, move the original to a backup, write anew.
    fs::write(site.root().join("content/stories/4913"), "").unwrap();
    fs::remove_file(site.root().join("content/stories/4913")).unwrap();
    fs::rename(&path, site.root().join("content/stories/canal-walks.md~")).unwrap();
    fs::write(
        site.root().join("content/stories/.canal-walks.md.swp"),
        "swap",
    )
    .unwrap();
    fs::write(&path, with("vim-style")).unwrap();
    assert!(shows("vim-style"));

    // Truncate, then write a moment later.
    {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        thread::sleep(Duration::from_millis(30));
        f.write_all(with("truncated-then-written").as_bytes())
            .unwrap();
    }
    assert!(shows("truncated-then-written"));

    // Save twice within 5 ms: the second one wins.
    fs::write(&path, with("first-of-two")).unwrap();
    thread::sleep(Duration::from_millis(5));
    fs::write(&path, with("second-of-two")).unwrap();
    assert!(shows("second-of-two"));
    thread::sleep(Duration::from_millis(400));
    assert!(
        preview.get(page).body.contains("second-of-two network"),
        "a stale first save came back"
    );

    // Delete, then create again.
    fs::remove_file(&path).unwrap();
    preview.wait_for(page, |r| r.status == 404);
    fs::write(&path, with("re-created")).unwrap();
    assert!(shows("re-created"));

    // Swap and backup files never became pages of their own...
    let list = preview.get("/stories/page/3/");
    assert!(!list.body.contains(".swp") && !list.body.contains("4913"));
    // ...and the whole preview equals a cold build of the files now on disk.
    thread::sleep(Duration::from_millis(300));
    let out = site.root().join("../cold");
    let run = Command::new(env!("CARGO_BIN_EXE_brum"))
        .args(["build", "--drafts", "--root"])
        .arg(site.root())
        .args([
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            &format!("http://127.0.0.1:{}/", preview.port),
        ])
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut cold = snapshot(&out);
    cold.remove(brum::output::MANIFEST);
    // The preview's index is built on its own (see the test below).
    cold.retain(|path, _| !path.starts_with("pagefind/"));
    assert!(cold.len() > 30);
    for (file, bytes) in &cold {
        let url = match file.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{file}"),
        };
        let served = preview.get(&url.replace(' ', "%20"));
        assert_eq!(served.status, 200, "{url}");
        let expected = String::from_utf8_lossy(bytes);
        let expected = if file.ends_with(".html") {
            String::from_utf8_lossy(&brum::serve::server::inject(bytes, None)).into_owned()
        } else {
            expected.into_owned()
        };
        assert!(served.body == expected, "{url} differs from a cold build");
    }
}

#[test]
fn a_broken_save_shows_the_error_on_every_page_and_a_fix_clears_it() {
    let site = TestSite::fixture("basic");
    let mut preview = Preview::start(&site, &["--port", "0"]);
    let stream = events(preview.port);
    let original = story_text(&site);
    site.write(
        STORY,
        original.replace("topics = [\"culture\"]", "topics = [\"cultur\"]"),
    );
    let data = next_event(&stream, "build-error");
    let message: String = serde_json::from_str(&data).unwrap();
    assert!(
        message.contains("error: unknown topic `cultur`\n --> content/stories/canal-walks.md:7:11"),
        "{message}"
    );
    assert!(
        message.contains("topics = [\"cultur\"]"),
        "the source line is shown: {message}"
    );
    assert!(message.contains("did you mean `culture`?"));
    // The terminal says the same.
    preview.wait_line("error: unknown topic `cultur`");
    preview.wait_line(" --> content/stories/canal-walks.md:7:11");
    // Every page, even one the edit does not touch, carries the message;
    // the last good site is still what is shown.
    let about = preview.get("/about/");
    assert_eq!(about.status, 200);
    assert!(
        about.body.contains("brum-build-error") && about.body.contains("unknown topic `cultur`")
    );
    assert!(
        preview
            .get("/stories/canal-walks/")
            .body
            .contains("Canal walks at dawn")
    );

    site.write(STORY, original.replace("quiet network", "mended network"));
    assert_eq!(next_event(&stream, "reload"), "reload");
    let fixed = preview.wait_for("/stories/canal-walks/", |r| {
        r.body.contains("mended network")
    });
    assert!(
        !fixed.body.contains("brum-build-error"),
        "the overlay is gone"
    );
    assert!(!preview.get("/about/").body.contains("brum-build-error"));
    preview.wait_line("pages re-rendered");
}

#[test]
fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let site = TestSite::fixture("basic");
    site.write("static/extra.css", "body { margin: 0 }");
    let preview = Preview::start(&site, &["--port", "0"]);
    let stream = events(preview.port);
    site.write("static/extra.css", "body { margin: 1px }");
    assert_eq!(next_event(&stream, "css"), "css");
    preview.wait_for("/extra.css", |r| r.body.contains("1px"));
    // A page edit reloads.
    site.write(
        STORY,
        story_text(&site).replace("quiet network", "other network"),
    );
    assert_eq!(next_event(&stream, "reload"), "reload");
}

#[test]
fn one_line_per_rebuild_says_what_changed_pages_and_time() {
    let site = TestSite::fixture("basic");
    let mut preview = Preview::start(&site, &["--port", "0"]);
    site.write(
        STORY,
        story_text(&site).replace("quiet network", "busy network"),
    );
    let line = preview.wait_line("content/stories/canal-walks.md changed:");
    let re_rendered: usize = line
        .split(": ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..20).contains(&re_rendered), "{line}");
    assert!(line.ends_with(" ms"), "{line}");
}

#[test]
fn a_save_is_seen_when_serve_runs_in_the_site_folder() {
    // `brum serve` with no --root: the watcher's absolute paths must still
    // be recognised as the site's (they once were not, and no save was seen).
    let site = TestSite::fixture("basic");
    let mut preview = Preview::start_in_folder(&site, &["--port", "0"]);
    site.write(
        STORY,
        story_text(&site).replace("quiet network", "folder-relative network"),
    );
    preview.wait_line("content/stories/canal-walks.md changed:");
    let page = preview.get("/stories/canal-walks/");
    assert!(
        page.body.contains("folder-relative network"),
        "{}",
        page.body
    );
}

#[test]
fn a_data_folder_made_while_serving_is_read_and_watched() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html lang=\"en\"><title>x</title><p>Hello, {{ data.words.place | default(value=\"nowhere\") }}.</p></html>",
    );
    let preview = Preview::start(&site, &["--port", "0"]);
    preview.wait_for("/404.html", |r| r.body.contains("Hello, nowhere."));
    site.write("data/words.toml", "place = \"Digbeth\"\n");
    preview.wait_for("/404.html", |r| r.body.contains("Hello, Digbeth."));
    site.write("data/words.toml", "place = \"Moseley\"\n");
    preview.wait_for("/404.html", |r| r.body.contains("Hello, Moseley."));
}

#[test]
fn a_taken_port_is_said_and_the_next_free_one_used() {
    let site = TestSite::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut preview = Preview::start(&site, &["--port", &port.to_string()]);
    assert_ne!(preview.port, port);
    let line = preview.wait_line("is in use");
    assert_eq!(
        line,
        format!(
            "Port {port} is in use; serving on port {} instead.",
            preview.port
        )
    );
    assert_eq!(preview.get("/").status, 200);
    drop(taken);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = TestSite::fixture("basic");
    let mut preview = Preview::start(&site, &["--port", "0"]);
    let _stream = events(preview.port);
    let status = preview.interrupt();
    assert!(status.success(), "{status:?}");
    assert!(
        TcpStream::connect(("127.0.0.1", preview.port)).is_err(),
        "the port is free again"
    );
    preview.wait_line("Stopped.");
}

/// The `page_count` and `hash` of the preview's search index.
fn search_entry(preview: &Preview) -> (u64, String) {
    let r = preview.get("/pagefind/pagefind-entry.json");
    assert_eq!(r.status, 200, "the index is served: {}", r.body);
    let entry: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let lang = entry["languages"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap();
    (
        lang["page_count"].as_u64().unwrap(),
        lang["hash"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_story_edit_is_served_at_once_and_the_search_index_catches_up() {
    let site = TestSite::fixture("search");
    let mut preview = Preview::start(&site, &["--port", "0"]);
    preview.wait_line("Search index updated: 6 pages");
    let (pages, before) = search_entry(&preview);
    assert_eq!(pages, 6);
    assert_eq!(
        preview.get("/pagefind/pagefind.js").header("content-type"),
        Some("text/javascript; charset=utf-8")
    );

    let path = "content/stories/canal-walks.md";
    let text = site
        .read(path)
        .replace("quiet network", "hovercraft network");
    site.write(path, text);
    preview.wait_for("/stories/canal-walks/", |r| {
        r.body.contains("hovercraft network")
    });
    preview.wait_line("Search index updated: 6 pages");
    let (pages, after) = search_entry(&preview);
    assert_eq!(pages, 6);
    assert_ne!(after, before, "the new index is swapped in");

    site.write(
        "content/stories/new-one.md",
        "+++\ntitle = \"A new one\"\ndate = 2015-07-04\n+++\n\nFresh.\n",
    );
    preview.wait_for("/stories/new-one/", |r| r.status == 200);
    preview.wait_line("Search index updated: 7 pages");
    assert_eq!(search_entry(&preview).0, 7);
}

#[test]
fn warnings_are_shown_in_the_terminal_as_a_build_shows_them() {
    let site = TestSite::fixture("search");
    let mut preview = Preview::start(&site, &["--port", "0"]);
    preview.wait_line("Built ");
    site.write(
        "content/stories/Canal-Walks.md",
        "+++\ntitle = \"Shouting\"\ndate = 2015-07-04\n+++\n\nLoud.\n",
    );
    let line = preview.wait_line("differs only in case");
    assert!(line.starts_with("warning: the address"), "{line}");
    preview.wait_line("--> content/stories/");
    // The page is still made: a warning does not stop the build.
    preview.wait_for("/stories/Canal-Walks/", |r| r.body.contains("Loud."));
}

#[test]
fn turning_search_off_while_previewing_takes_the_index_and_page_away() {
    let site = TestSite::fixture("search");
    let mut preview = Preview::start(&site, &["--port", "0"]);
    preview.wait_line("Search index updated: 6 pages");
    let toml = site.read("site.toml");
    site.write("site.toml", toml.replace("[search]\nenabled = true\n", ""));
    preview.wait_for("/search/", |r| r.status == 404);
    preview.wait_for("/pagefind/pagefind.js", |r| r.status == 404);
    assert!(!preview.get("/").body.contains("/search/"));
    site.write("site.toml", toml);
    preview.wait_for("/search/", |r| r.status == 200);
    preview.wait_line("Search index updated: 6 pages");
    assert_eq!(search_entry(&preview).0, 6);
}

/// The addresses `pid` listens on, from `/proc/<pid>/net/tcp` and `tcp6`
/// (state 0A), as `ip:port` strings, hex as the kernel writes them.
fn listening(pid: u32) -> Vec<String> {
    let mut found = Vec::new();
    let inodes: Vec<String> = fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| fs::read_link(e.ok()?.path()).ok())
        .filter_map(|l| {
            let l = l.to_string_lossy().into_owned();
            Some(l.strip_prefix("socket:[")?.strip_suffix(']')?.to_string())
        })
        .collect();
    for table in ["tcp", "tcp6"] {
        let text = fs::read_to_string(format!("/proc/{pid}/net/{table}")).unwrap_or_default();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() > 9 && cols[3] == "0A" && inodes.iter().any(|i| i == cols[9]) {
                found.push(cols[1].to_string());
            }
        }
    }
    found
}

#[test]
fn the_preview_listens_on_loopback_only_unless_told() {
    let site = TestSite::fixture("basic");
    let mut preview = Preview::start(&site, &["--port", "0"]);
    let addrs = listening(preview.child.id());
    // 0100007F is 127.0.0.1 as /proc writes it.
    assert_eq!(
        addrs,
        vec![format!("0100007F:{:04X}", preview.port)],
        "one socket, on 127.0.0.1"
    );
    assert!(!preview.seen.iter().any(|l| l.contains("Warning")));
    preview.interrupt();

    let mut exposed = Preview::start(&site, &["--port", "0", "--bind", "0.0.0.0"]);
    let warning = exposed.wait_line("Warning: listening on 0.0.0.0:");
    assert!(
        warning.contains("other machines on the network can see this preview"),
        "{warning}"
    );
    exposed.interrupt();
}

/// A file served from `static/` that is swapped for a link out of the site
/// while the preview runs: the rebuild refuses the link and keeps the last
/// good site, whose entry for that file must not follow the link either.
#[test]
fn a_static_file_swapped_for_a_link_out_is_not_served() {
    let site = TestSite::fixture("basic");
    let secret = "SWAPPED-SECRET-51c0";
    fs::write(site.root().join("../outside.txt"), secret).unwrap();
    fs::create_dir_all(site.root().join("../elsewhere")).unwrap();
    fs::write(site.root().join("../elsewhere/page.txt"), secret).unwrap();
    site.write("static/notes.txt", "inside the site");
    site.write("static/docs/page.txt", "inside the site too");
    let mut preview = Preview::start(&site, &["--port", "0"]);
    assert_eq!(preview.get("/notes.txt").body, "inside the site");
    assert_eq!(preview.get("/docs/page.txt").body, "inside the site too");

    // A file swapped for a link.
    site.remove("static/notes.txt");
    std::os::unix::fs::symlink(
        site.root().join("../outside.txt"),
        site.root().join("static/notes.txt"),
    )
    .unwrap();
    preview.wait_line("points outside the site");
    let r = preview.get("/notes.txt");
    assert!(!r.body.contains(secret), "the link was followed");
    assert_eq!(r.status, 404);

    // A folder swapped for a link.
    fs::remove_dir_all(site.root().join("static/docs")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("../elsewhere"),
        site.root().join("static/docs"),
    )
    .unwrap();
    preview.wait_line("static/docs");
    let r = preview.get("/docs/page.txt");
    assert!(!r.body.contains(secret), "the folder link was followed");
    assert_eq!(r.status, 404);
    assert_eq!(
        preview.get("/").status,
        200,
        "the rest of the site is served"
    );
}

/// Requests no browser sends: a 100 KB path, a 1 MB header, ten thousand
/// headers, a NUL and raw bytes in the request line. Each gets a 4xx (or the
/// connection closed), and the server goes on answering.
#[test]
fn overlong_and_malformed_requests_get_4xx_and_the_server_lives() {
    let site = TestSite::fixture("basic");
    let preview = Preview::start(&site, &["--port", "0"]);
    let long_path = format!("/{}", "a".repeat(100 * 1024));
    let big_header = format!("X-Big: {}\r\n", "b".repeat(1 << 20));
    let many_headers: String = (0..10_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let requests: Vec<(&str, Vec<u8>)> = vec![
        (
            "100 KB path",
            format!("GET {long_path} HTTP/1.1\r\nHost: x\r\n\r\n").into_bytes(),
        ),
        (
            "1 MB header",
            format!("GET / HTTP/1.1\r\nHost: x\r\n{big_header}\r\n").into_bytes(),
        ),
        (
            "10,000 headers",
            format!("GET / HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n").into_bytes(),
        ),
        (
            "NUL in path",
            b"GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        ),
        (
            "raw bytes",
            b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        ),
        (
            "not HTTP",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n".to_vec(),
        ),
        (
            "absolute URI",
            b"GET http://evil.example/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        ),
        (
            "backslashes",
            b"GET \\..\\..\\etc\\passwd HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        ),
    ];
    for (what, request) in requests {
        let mut stream = TcpStream::connect(("127.0.0.1", preview.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        // The server may stop reading (and close) before the whole request
        // is sent: that is an answer too.
        let _ = stream.write_all(&request);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let head = String::from_utf8_lossy(&raw);
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!(
            status == 0 || (400..500).contains(&status),
            "{what}: {}",
            head.lines().next().unwrap_or_default()
        );
        assert!(!head.contains("root:x:0:0"), "{what}");
        assert_eq!(
            preview.get("/").status,
            200,
            "{what}: the server stopped answering"
        );
    }
}
