//! Fixture sites in temp folders, the brum binary, and ways to look at output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 2015-10-01T00:00:00Z: the fixture's "today".
pub const EPOCH: &str = "1443657600";

pub struct TestSite {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

impl TestSite {
    /// A private copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_tree(&fixture_dir(name), &root);
        TestSite { _dir: dir, root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The default output folder.
    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.root.join(rel)).unwrap();
    }

    /// Runs `brum build --root <site> ARGS` with the fixture's clock.
    pub fn build(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_brum"))
            .arg("build")
            .arg("--root")
            .arg(&self.root)
            .args(args)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .output()
            .unwrap();
        Run::from(output)
    }

    /// Runs `brum COMMAND --root <site> ARGS` with the fixture's clock.
    pub fn brum(&self, command: &str, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_brum"))
            .arg(command)
            .arg("--root")
            .arg(&self.root)
            .args(args)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .output()
            .unwrap();
        Run::from(output)
    }

    /// Builds and insists it worked.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let run = self.build(args);
        assert!(run.success, "build failed:\n{}", run.stderr);
        run
    }

    /// A file of the site, as text.
    pub fn read(&self, rel: &str) -> String {
        read(&self.root.join(rel))
    }

    /// A file of the default output, as text.
    pub fn page(&self, rel: &str) -> String {
        read(&self.out().join(rel))
    }
}

/// A `python3` command running the corpus generator, `bench/corpus.py`
/// (`bench/README.md`): it writes a generated site, and checks a build of one
/// with `--check-build`. Run it with [`run_corpus_py`].
pub fn corpus_py() -> Command {
    let mut cmd = Command::new("python3");
    cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/corpus.py"));
    cmd
}

/// Runs a [`corpus_py`] command and returns what it did; fails the test,
/// saying so, when there is no `python3` to run it.
pub fn run_corpus_py(cmd: &mut Command) -> Output {
    match cmd.output() {
        Ok(done) => done,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "the slow-tier tests run the corpus generator, bench/corpus.py, with python3 \
             (3.11 or later), and there is no python3 on PATH: {e}"
        ),
        Err(e) => panic!("cannot run python3 bench/corpus.py: {e}"),
    }
}

/// Generates a corpus into `out` with `bench/corpus.py`, given its
/// arguments (`--stories 200`, ...), and fails the test if it cannot.
pub fn gen_corpus(out: &Path, args: &[&str]) {
    let done = run_corpus_py(corpus_py().arg("--out").arg(out).args(args));
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
}

/// The clock generated corpora are built at (2025-11-25): some of their
/// stories are dated in the future, so a build must not follow today's.
pub const CORPUS_EPOCH: &str = "1764028800";

/// Builds a generated corpus into `out` at [`CORPUS_EPOCH`], and fails the
/// test if the build does.
pub fn build_corpus(corpus: &Path, out: &Path) {
    let build = Command::new(env!("CARGO_BIN_EXE_brum"))
        .arg("build")
        .arg("--root")
        .arg(corpus)
        .arg("--output")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", CORPUS_EPOCH)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub struct Run {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            success: o.status.success(),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Every file under `dir`: relative path → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// The text a reader sees in some HTML: tags dropped, entities for the few
/// characters the escaper writes decoded, whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `<main>` element of a page: the part that is the page's own.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has a <main>");
    let end = html.rfind("</main>").expect("page has a </main>");
    &html[start..end]
}

/// Every `href="..."` value in some HTML.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// One diagnostic as `brum` printed it, read back from the rustc-style text:
///
/// ```text
/// error: unknown partner `the-macc`
///  --> content/stories/bad.md:4:11
///   |
/// 4 | partner = "the-macc"
///   |           ^^^^^^^^^^
///   |
///   = help: did you mean `the-mac`?
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub severity: String,
    pub message: String,
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The source line as shown, when it was.
    pub source: Option<String>,
    /// The underline under it (`^^^`), from its first mark, when shown.
    pub underline: Option<String>,
    /// The help text, continuation lines joined with `\n`.
    pub help: Option<String>,
}

/// Every diagnostic in some output, in the order printed.
pub fn shown(output: &str) -> Vec<Shown> {
    let lines: Vec<&str> = output.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let head = lines[i];
        let (severity, message) = match head.split_once(": ") {
            Some((s @ ("error" | "warning"), m)) => (s, m),
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(place) = lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            i += 1;
            continue;
        };
        let mut parts = place.rsplitn(3, ':').collect::<Vec<_>>();
        parts.reverse();
        let numbers: Vec<usize> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        let path = if numbers.is_empty() {
            place.to_string()
        } else {
            parts[..parts.len() - numbers.len()].join(":")
        };
        let mut d = Shown {
            severity: severity.to_string(),
            message: message.to_string(),
            path,
            line: numbers.first().copied(),
            column: numbers.get(1).copied(),
            source: None,
            underline: None,
            help: None,
        };
        i += 2;
        let mut help: Vec<String> = Vec::new();
        while i < lines.len() && !lines[i].trim().is_empty() {
            let l = lines[i];
            let trimmed = l.trim_start();
            if let Some(h) = trimmed.strip_prefix("= help: ") {
                help.push(h.to_string());
            } else if !help.is_empty() {
                help.push(trimmed.to_string());
            } else if let Some((gutter, text)) = l.split_once(" | ") {
                if gutter.trim().parse::<usize>().is_ok() {
                    d.source = Some(text.to_string());
                } else if text.trim_start().starts_with('^') {
                    d.underline = Some(text.trim().to_string());
                }
            }
            i += 1;
        }
        if !help.is_empty() {
            d.help = Some(help.join("\n"));
        }
        found.push(d);
    }
    found
}

/// A tiny HTTP server on 127.0.0.1 for the external-link tests; it never
/// talks to anything else. Its paths:
///
/// - `/ok` answers 200; `/gone…` answers 404;
/// - `/slow` waits 3 s, then answers 200; `/busy…` waits 300 ms, then 200;
/// - `/no-head` answers HEAD with 405 and GET with 200;
/// - `/moved` redirects (301) to `/ok`.
///
/// It records every request and the most it was answering at once, and stops
/// when dropped, or by itself after a minute.
pub struct TestServer {
    pub port: u16,
    state: std::sync::Arc<ServerState>,
}

#[derive(Default)]
struct ServerState {
    /// (method, path) of every request, in order.
    hits: std::sync::Mutex<Vec<(String, String)>>,
    active: std::sync::atomic::AtomicUsize,
    max_active: std::sync::atomic::AtomicUsize,
    stop: std::sync::atomic::AtomicBool,
}

impl TestServer {
    pub fn start() -> TestServer {
        use std::sync::Arc;
        use std::sync::atomic::Ordering;
        use std::time::{Duration, Instant};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(ServerState::default());
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            let started = Instant::now();
            while !shared.stop.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(60)
            {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let state = Arc::clone(&shared);
                        std::thread::spawn(move || answer(stream, &state));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        TestServer { port, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// How many requests (of any method) asked for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|(_, p)| p == path).count()
    }

    pub fn requests(&self) -> Vec<(String, String)> {
        self.state.hits.lock().unwrap().clone()
    }

    /// The most requests it was answering at the same time.
    pub fn max_concurrent(&self) -> usize {
        self.state
            .max_active
            .load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.state
            .stop
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

fn answer(mut stream: std::net::TcpStream, state: &ServerState) {
    use std::io::{Read, Write};
    use std::sync::atomic::Ordering;
    use std::time::Duration;
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut parts = head.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    state
        .hits
        .lock()
        .unwrap()
        .push((method.clone(), path.clone()));
    let now = state.active.fetch_add(1, Ordering::SeqCst) + 1;
    state.max_active.fetch_max(now, Ordering::SeqCst);
    let route = path.split('?').next().unwrap_or_default();
    let (status, extra) = match route {
        "/ok" => ("200 OK", String::new()),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", String::new())
        }
        r if r.starts_with("/busy") => {
            std::thread::sleep(Duration::from_millis(300));
            ("200 OK", String::new())
        }
        "/no-head" if method == "HEAD" => ("405 Method Not Allowed", String::new()),
        "/no-head" => ("200 OK", String::new()),
        "/moved" => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
        _ => ("404 Not Found", String::new()),
    };
    state.active.fetch_sub(1, Ordering::SeqCst);
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
}
