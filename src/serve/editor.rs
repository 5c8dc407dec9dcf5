//! The editor's API on the preview, `POST /api/v1` (see [`crate::cms`]):
//! Decap CMS in the author's browser reads and writes the site's files
//! through it. It writes files, so it answers only this computer's browser:
//! it is off when serve listens beyond this computer (unless
//! `--cms-on-network` asks for it), it wants the host it is served on in
//! `Host` (so a web page cannot reach it by a DNS name that points here),
//! and it takes only `application/json`, which a page on another site
//! cannot send here without the browser asking first (CORS), and this
//! server never says yes.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::server::Shared;

/// Who may use the API.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// False when serve listens beyond this computer and was not told
    /// `--cms-on-network`.
    pub open: bool,
    /// `Host` values the API answers (`127.0.0.1:1111`); empty: any.
    pub hosts: Vec<String>,
}

impl Access {
    pub fn new(addr: SocketAddr, on_network: bool) -> Access {
        let port = addr.port();
        if addr.ip().is_loopback() {
            let hosts = ["127.0.0.1", "localhost", "[::1]"]
                .iter()
                .map(|h| format!("{h}:{port}"))
                .collect();
            Access { open: true, hosts }
        } else {
            Access {
                open: on_network,
                hosts: Vec::new(),
            }
        }
    }
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

/// Why a request may not use the API, if it may not.
fn refused(access: &Access, headers: &HeaderMap) -> Option<Response> {
    if !access.open {
        return Some(refuse(
            StatusCode::FORBIDDEN,
            "brum serve is listening beyond this computer (--bind), so the editor cannot save: anyone who can reach it could change the site's files. Run brum serve without --bind, or add --cms-on-network if every machine that can reach it is trusted.",
        ));
    }
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST).unwrap_or("");
    if !access.hosts.is_empty() && !access.hosts.iter().any(|h| h == host) {
        return Some(refuse(
            StatusCode::FORBIDDEN,
            "the editor answers only the address brum serve printed",
        ));
    }
    if let Some(origin) = text(header::ORIGIN)
        && origin != format!("http://{host}")
    {
        return Some(refuse(
            StatusCode::FORBIDDEN,
            "the editor answers only pages of this preview",
        ));
    }
    let json = text(header::CONTENT_TYPE).is_some_and(|t| t.starts_with("application/json"));
    (!json).then(|| {
        refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the editor's API takes application/json",
        )
    })
}

pub async fn api(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(response) = refused(&shared.access, &headers) {
        return response;
    }
    let snapshot = shared.snapshot();
    let Some(backend) = snapshot.editor.clone() else {
        return refuse(
            StatusCode::NOT_FOUND,
            "the editor is off: set enabled = true under [cms] in site.toml",
        );
    };
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, &format!("not JSON: {e}")),
    };
    // Files are read and written off the server's own threads.
    let answer = tokio::task::spawn_blocking(move || backend.answer(&request)).await;
    match answer {
        Ok(Ok(value)) => axum::Json(value).into_response(),
        Ok(Err(refusal)) => {
            let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
            refuse(status, &refusal.message)
        }
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the editor's request failed",
        ),
    }
}
