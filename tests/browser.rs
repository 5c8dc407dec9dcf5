//! Driving headless Chromium through WebDriver (chromedriver) for the slow
//! tier's browser tests: a built site served over loopback HTTP as a static
//! host serves it, a chromedriver on a free port, and a session.

/// Headless Chromium looking at a built site: the folder served over
/// loopback HTTP, a chromedriver and a WebDriver session, kept together so
/// they stop together (the client first).
pub struct Session {
    pub client: Client,
    pub runtime: Runtime,
    /// `http://127.0.0.1:PORT`, where the site is served.
    pub base: String,
    _driver: Driver,
    _profile: TempDir,
}

impl Session {
    /// Serves `site` (a built site's folder) and opens a browser on it; None
    /// when Chromium or chromedriver is missing here (on CI, a failure).
    pub fn open(site: PathBuf) -> Option<Session> {
        let port = serve_folder(site);
        Session::browse(format!("http://127.0.0.1:{port}"))
    }

    /// A browser on a site someone else serves at `base` (`brum serve`).
    pub fn browse(base: String) -> Option<Session> {
        let (chromium, driver_program) = browser()?;
        let profile = tempfile::tempdir().unwrap();
        let driver = Driver::start(&driver_program);
        let runtime = Runtime::new().unwrap();
        let client = runtime.block_on(connect(&driver, &chromium, profile.path()));
        Some(Session {
            client,
            runtime,
            base,
            _driver: driver,
            _profile: profile,
        })
    }
}

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use tempfile::TempDir;
use tokio::runtime::Runtime;

impl Drop for Session {
    /// Ends the WebDriver session before chromedriver is stopped, so that
    /// chromedriver quits the browser it started: killing chromedriver alone
    /// leaves Chromium running. A test that closed it already gets an error
    /// here, which does not matter.
    fn drop(&mut self) {
        let client = self.client.clone();
        let _ = self.runtime.block_on(client.close());
    }
}

/// Serves a folder over HTTP on a free loopback port, as a static host
/// does (`/x/` is `x/index.html`), until the test ends.
fn serve_folder(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(&root, stream));
        }
    });
    port
}

fn answer(root: &Path, mut stream: TcpStream) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Read the rest of the head.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut rel = path.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let file = root.join(&rel);
    let (status, body) = match (rel.contains(".."), std::fs::read(&file)) {
        (false, Ok(bytes)) => ("200 OK", bytes),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Chromium and chromedriver, or None when they are missing here. On CI
/// (`CI` set) a missing browser fails the test: `.ci/run` installs both.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = find_program(&["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        (c, d) => {
            let missing = format!(
                "the browser tests need Chromium and chromedriver (found: chromium {}, chromedriver {}); \
                 on Debian: apt-get install chromium chromium-driver",
                c.is_some(),
                d.is_some()
            );
            assert!(std::env::var_os("CI").is_none(), "{missing}");
            eprintln!("skipping: {missing}");
            None
        }
    }
}

/// A chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(program: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn connect(driver: &Driver, chromium: &Path, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session")
}
