//! The preview's HTTP side: files from the in-memory site (never from the
//! disk by a path the request chose), the live-reload script and event
//! stream, and the build error shown on every page while there is one.

use crate::site::routes::Fixed;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::engine::{Served, Snapshot};

/// What browsers are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them in place.
    Css,
    /// The build broke: show this message over the page.
    BuildError(String),
    /// The server is stopping: end the stream.
    Shutdown,
}

/// What the server and the watcher share.
pub struct Shared {
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// The message of the build error in force, if any.
    pub error: RwLock<Option<String>>,
    pub notices: broadcast::Sender<Notice>,
    /// The search index's files (`pagefind/...`), swapped in whole by the
    /// indexing thread when it has caught up with the site.
    pub search: RwLock<Arc<crate::search::Files>>,
    /// Who may use the editor's API.
    pub access: super::editor::Access,
}

impl Shared {
    pub fn new(snapshot: Arc<Snapshot>, access: super::editor::Access) -> Arc<Shared> {
        let (notices, _) = broadcast::channel(64);
        Arc::new(Shared {
            snapshot: RwLock::new(snapshot),
            error: RwLock::new(None),
            notices,
            search: RwLock::new(Arc::default()),
            access,
        })
    }

    pub(super) fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().map(|s| s.clone()).unwrap_or_default()
    }

    fn error(&self) -> Option<String> {
        self.error.read().ok().and_then(|e| e.clone())
    }
}

const LIVE_JS: &str = include_str!("live.js");

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__brum/live.js", get(live_js))
        .route("/__brum/events", get(events))
        .route(
            &format!("/{}", crate::cms::API_PATH),
            axum::routing::post(super::editor::api),
        )
        .fallback(file)
        .with_state(shared)
}

async fn live_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_JS,
    )
        .into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = BroadcastStream::new(shared.notices.subscribe())
        .filter_map(|n| n.ok())
        .take_while(|n| *n != Notice::Shutdown)
        .map(|n| {
            Ok(match n {
                Notice::Reload | Notice::Shutdown => {
                    Event::default().event("reload").data("reload")
                }
                Notice::Css => Event::default().event("css").data("css"),
                Notice::BuildError(message) => Event::default()
                    .event("build-error")
                    .data(serde_json::to_string(&message).unwrap_or_default()),
            })
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Why a request path names no file.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not a path brum would ever serve: `..`, a backslash, NUL, bad escapes.
    BadPath,
}

/// Turns a request path into a key of the site's files. The path is
/// percent-decoded exactly once, so `%252e%252e` stays a literal name and
/// matches nothing; `.`/`..` segments, backslashes and NUL are refused
/// rather than resolved. `/x/` names `x/index.html`.
pub fn resolve(path: &str) -> Result<String, Refused> {
    let decoded = crate::url::percent_decode_strict(path).ok_or(Refused::BadPath)?;
    if decoded.contains(['\0', '\\']) {
        return Err(Refused::BadPath);
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Err(Refused::BadPath),
            s => segments.push(s),
        }
    }
    let mut key = segments.join("/");
    if key.is_empty() || decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(key)
}

fn content_type(key: &str) -> HeaderValue {
    if key == Fixed::Feed.file() {
        return HeaderValue::from_static("application/atom+xml; charset=utf-8");
    }
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let value = match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if key.ends_with(".xml")
            || key.ends_with(".js")
            || key.ends_with(".json")
            || key.ends_with(".svg") =>
        {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

/// Adds the live-reload script, and the build error when there is one,
/// to an HTML page.
pub fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut extra = String::from("<script src=\"/__brum/live.js\" defer></script>");
    if let Some(message) = error {
        // JSON inside a script element: `<` escaped so no text can end it.
        let json = serde_json::to_string(message)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        extra.push_str(&format!(
            "<script id=\"brum-build-error\" type=\"application/json\">{json}</script>"
        ));
    }
    let text = String::from_utf8_lossy(html);
    let at = text
        .rfind("</body>")
        .or_else(|| text.rfind("</html>"))
        .unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

async fn file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "",
        )
            .into_response();
    }
    let Ok(key) = resolve(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    let snapshot = shared.snapshot();
    if let Some(found) = snapshot.files.get(&key) {
        if let Served::Image(_) = found {
            // Making an image takes a while: off the server's own threads.
            let found = found.clone();
            let root = snapshot.root.clone();
            let task = tokio::task::spawn_blocking(move || {
                send(&key, &found, &root, StatusCode::OK, &shared)
            });
            return task.await.unwrap_or_else(|_| {
                (StatusCode::INTERNAL_SERVER_ERROR, "image failed").into_response()
            });
        }
        return send(&key, found, &snapshot.root, StatusCode::OK, &shared);
    }
    let search = shared.search.read().map(|s| s.clone()).unwrap_or_default();
    if let Some(bytes) = search.get(&key) {
        return (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, content_type(&key)),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            bytes.clone(),
        )
            .into_response();
    }
    // `/x` where `x/` is a page: redirect, so relative links work.
    let dir_index = format!("{key}/index.html");
    if !key.ends_with("index.html") && snapshot.files.contains_key(&dir_index) {
        let location = format!("{}/", uri.path());
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
            "",
        )
            .into_response();
    }
    let not_found = Fixed::NotFound.file();
    match snapshot.files.get(&not_found) {
        Some(page) => send(
            &not_found,
            page,
            &snapshot.root,
            StatusCode::NOT_FOUND,
            &shared,
        ),
        // No site yet (the first build failed): a bare page that shows why.
        None if shared.error().is_some() => {
            let shell = b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Waiting for a good build</title></head><body><h1>Waiting for a good build</h1></body></html>";
            let body = inject(shell, shared.error().as_deref());
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, content_type("x.html"))],
                body,
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn send(
    key: &str,
    served: &Served,
    root: &std::path::Path,
    status: StatusCode,
    shared: &Shared,
) -> Response {
    let bytes = match served.bytes(root) {
        Ok(b) => b,
        // An image that cannot be made says why.
        Err(e) if matches!(served, Served::Image(_)) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response();
        }
        // A static file deleted since the last rebuild (gone until the
        // next), or swapped for a link out of the site (never followed).
        Err(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    // The editor's page is left alone: a reload would lose what is being written.
    let editor = key
        .strip_prefix(crate::cms::ADMIN_DIR)
        .is_some_and(|rest| rest.starts_with('/'));
    let body = if key.ends_with(".html") && !editor {
        inject(&bytes, shared.error().as_deref())
    } else {
        bytes.into_owned()
    };
    (
        status,
        [
            (header::CONTENT_TYPE, content_type(key)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_with_index_for_folders() {
        assert_eq!(resolve("/"), Ok("index.html".into()));
        assert_eq!(resolve("/stories/x/"), Ok("stories/x/index.html".into()));
        assert_eq!(resolve("/style.css"), Ok("style.css".into()));
        assert_eq!(resolve("/my%20story/"), Ok("my story/index.html".into()));
        assert_eq!(resolve("//stories//x/"), Ok("stories/x/index.html".into()));
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for bad in [
            "/../etc/passwd",
            "/stories/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%5c..%5cetc",
            "/a%00b",
            "/%zz",
            "/./x",
        ] {
            assert_eq!(resolve(bad), Err(Refused::BadPath), "{bad}");
        }
        // Decoded once only: a double-encoded dot-dot is a literal name.
        assert_eq!(resolve("/%252e%252e/x"), Ok("%2e%2e/x".into()));
    }

    #[test]
    fn injection_goes_before_the_end_of_body_and_escapes_the_error() {
        let out = String::from_utf8(inject(
            b"<html><body><p>hi</p></body></html>",
            Some("bad </script><b>"),
        ))
        .unwrap();
        assert!(out.contains("<p>hi</p><script src=\"/__brum/live.js\" defer></script>"));
        assert!(out.contains("\"bad \\u003c/script>\\u003cb>\""), "{out}");
        assert!(out.ends_with("</body></html>"));
    }
}
