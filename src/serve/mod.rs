//! `brum serve`: build into memory, serve on a local port, watch the site's
//! folders, rebuild what each save affects and tell open browsers. A broken
//! save never stops the preview: the last good site stays up with the error
//! shown over it until the file is fixed.

mod editor;
pub mod engine;
pub mod reindex;
pub mod server;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};
use engine::{Change, Incremental, Outcome};
use server::{Notice, Shared};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 lets the system choose.
    pub port: u16,
    pub bind: IpAddr,
    pub drafts: bool,
    pub open: bool,
    /// Let the editor save when serve listens beyond this computer.
    pub cms_on_network: bool,
}

/// What the preview has to say; the binary prints it.
#[derive(Debug, Clone)]
pub enum Report {
    /// The port asked for was in use; another was taken.
    PortTaken {
        wanted: u16,
        got: u16,
    },
    /// Bound to an address other machines can reach.
    Exposed {
        addr: SocketAddr,
    },
    /// The editor in the browser is on (`[cms]`), at this address.
    Editor {
        url: String,
    },
    Listening {
        url: String,
    },
    /// The first build; `warnings` as `brum build` prints them (empty when
    /// there are none).
    Built {
        pages: usize,
        ms: u128,
        warnings: String,
    },
    /// A rebuild after `what` changed; `warnings` as for `Built`, printed
    /// again on every rebuild until they are fixed.
    Rebuilt {
        what: String,
        outcome: Outcome,
        warnings: String,
    },
    /// A build failed; `message` is what browsers show too.
    Failed {
        what: String,
        message: String,
    },
    /// The search index has caught up with the site.
    Indexed {
        pages: usize,
        ms: u128,
    },
    /// The search index could not be built; search shows the last one.
    IndexFailed(String),
    /// Watching could not start or went wrong: edits will not show.
    WatchFailed(String),
    Stopped,
}

/// How far past a taken port to look for a free one.
const PORT_SEARCH: u16 = 100;

fn bind(options: &ServeOptions, report: &dyn Fn(Report)) -> Result<TcpListener> {
    let first = TcpListener::bind((options.bind, options.port));
    match first {
        Ok(l) => Ok(l),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && options.port != 0 => {
            for port in options.port.saturating_add(1)..=options.port.saturating_add(PORT_SEARCH) {
                if let Ok(l) = TcpListener::bind((options.bind, port)) {
                    report(Report::PortTaken {
                        wanted: options.port,
                        got: port,
                    });
                    return Ok(l);
                }
            }
            Err(Error::io(
                "listen on port",
                &PathBuf::from(options.port.to_string()),
                e,
            ))
        }
        Err(e) => Err(Error::io(
            "listen on port",
            &PathBuf::from(options.port.to_string()),
            e,
        )),
    }
}

/// The text of a failed build, as both the terminal and browsers show it:
/// the same rustc-style diagnostics `brum build` prints, without colour.
pub fn failure_message(root: &std::path::Path, e: &Error) -> String {
    match e {
        Error::Invalid(diagnostics) => {
            let mut text = crate::report::Reporter::new(root, false).render_all(diagnostics);
            let n = diagnostics.len();
            text.push_str(&format!(
                "{n} error{}; the preview shows the last good site",
                if n == 1 { "" } else { "s" }
            ));
            text
        }
        other => other.to_string(),
    }
}

/// Warnings as `brum build` prints them, for the terminal.
fn warnings_text(root: &std::path::Path, warnings: &[crate::error::Diagnostic]) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    crate::report::Reporter::new(root, false).render_all(warnings)
}

/// Runs the preview until Ctrl-C.
pub fn run(
    mut options: ServeOptions,
    report: impl Fn(Report) + Send + Sync + 'static,
) -> Result<()> {
    // The watcher names changed files by absolute path: a relative root
    // (`.`, the usual) would match none of them.
    options.root = std::path::absolute(&options.root)
        .map_err(|e| Error::io("find the folder", &options.root, e))?;
    let report = Arc::new(report);
    let listener = bind(&options, &*report)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("read the address of", &options.root, e))?;
    if !addr.ip().is_loopback() {
        report(Report::Exposed { addr });
    }
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let host = if addr.is_ipv6() && !addr.ip().is_unspecified() {
        format!("[{host}]")
    } else {
        host
    };
    let url = format!("http://{host}:{}/", addr.port());

    let mut build = crate::Options::new(&options.root);
    build.drafts = options.drafts;
    build.base_url = Some(url.clone());
    let follow_clock = std::env::var_os("SOURCE_DATE_EPOCH").is_none();
    let mut inc = Incremental::new(build, follow_clock);
    let access = editor::Access::new(addr, options.cms_on_network);
    let shared = Shared::new(inc.snapshot(), access);
    let report_to: Arc<dyn Fn(Report) + Send + Sync> = report.clone();
    let reindexer = reindex::Reindexer::start(shared.clone(), report_to)
        .map_err(|e| Error::io("start the search indexer for", &options.root, e))?;
    let mut indexed = None;
    match inc.rebuild(&[]) {
        Ok(outcome) => {
            *shared.snapshot.write().unwrap_or_else(|e| e.into_inner()) = inc.snapshot();
            reindex_if_changed(&inc, &reindexer, &mut indexed);
            report(Report::Built {
                pages: outcome.pages,
                ms: outcome.elapsed.as_millis(),
                warnings: warnings_text(&options.root, &outcome.warnings),
            });
        }
        Err(e) => {
            let message = failure_message(&options.root, &e);
            *shared.error.write().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
            report(Report::Failed {
                what: "the first build".into(),
                message,
            });
        }
    }

    match watch::Watcher::start(&options.root) {
        Ok(watcher) => {
            let shared = shared.clone();
            let report = report.clone();
            let root = options.root.clone();
            std::thread::Builder::new()
                .name("brum-watch".into())
                .spawn(move || {
                    let index = (reindexer, indexed);
                    watch_loop(watcher, inc, index, &root, &shared, &*report)
                })
                .map_err(|e| Error::io("start the watcher for", &options.root, e))?;
        }
        Err(e) => report(Report::WatchFailed(e.to_string())),
    }

    report(Report::Listening { url: url.clone() });
    if shared.snapshot().editor.is_some() {
        report(Report::Editor {
            url: format!("{url}{}/", crate::cms::ADMIN_DIR),
        });
    }
    if options.open {
        let _ = webbrowser::open(&url);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("start the server for", &options.root, e))?;
    let served = runtime.block_on(async {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let notices = shared.notices.clone();
        axum::serve(listener, server::router(shared))
            .with_graceful_shutdown(async move {
                stop_signal().await;
                // Ends every live-reload stream, so shutdown does not wait on them.
                let _ = notices.send(Notice::Shutdown);
            })
            .await
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    served.map_err(|e| Error::io("serve", &options.root, e))?;
    report(Report::Stopped);
    Ok(())
}

/// Ctrl-C (Ctrl-Break too on Windows), or a polite request to stop:
/// SIGTERM on Unix, closing the console window on Windows.
async fn stop_signal() {
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate() => {}
    }
}

#[cfg(unix)]
async fn terminate() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut s) => {
            s.recv().await;
        }
        Err(_) => std::future::pending::<()>().await,
    }
}

#[cfg(windows)]
async fn terminate() {
    use tokio::signal::windows::{ctrl_break, ctrl_close};
    match (ctrl_break(), ctrl_close()) {
        (Ok(mut brk), Ok(mut close)) => {
            tokio::select! {
                _ = brk.recv() => {}
                _ = close.recv() => {}
            }
        }
        _ => std::future::pending::<()>().await,
    }
}

#[cfg(not(any(unix, windows)))]
async fn terminate() {
    std::future::pending::<()>().await
}

/// Queues the site for indexing when its searchable pages differ from those
/// last queued (`indexed` holds their fingerprint), or drops the index when
/// search has been turned off.
fn reindex_if_changed(
    inc: &Incremental,
    reindexer: &reindex::Reindexer,
    indexed: &mut Option<u64>,
) {
    if !inc.search_enabled() {
        if indexed.take().is_some() {
            reindexer.clear();
        }
        return;
    }
    let fingerprint = inc.search_fingerprint();
    if *indexed != Some(fingerprint) {
        *indexed = Some(fingerprint);
        reindexer.submit(inc.search_language(), inc.search_documents());
    }
}

/// Rebuilds on every batch of changes until the watcher goes away.
fn watch_loop(
    mut watcher: watch::Watcher,
    mut inc: Incremental,
    (reindexer, mut indexed): (reindex::Reindexer, Option<u64>),
    root: &std::path::Path,
    shared: &Shared,
    report: &dyn Fn(Report),
) {
    while let Some(batch) = watcher.next_batch() {
        let batch = match batch {
            Ok(batch) => batch,
            Err(errors) => {
                let text = errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
                report(Report::WatchFailed(text));
                continue;
            }
        };
        let changes = watch::changes(root, &batch);
        if changes.is_empty() {
            continue;
        }
        // A watched folder that has just appeared needs a watch of its own.
        for dir in watch::WATCHED_DIRS {
            if changes.iter().any(|c| matches!(c, Change::Content(p) | Change::Data(p) | Change::Static(p) | Change::Templates(p) if p == &root.join(dir))) {
                watcher.watch_dir(dir);
            }
        }
        let what = watch::describe(root, &changes);
        match inc.rebuild(&changes) {
            Ok(outcome) => {
                *shared.snapshot.write().unwrap_or_else(|e| e.into_inner()) = inc.snapshot();
                reindex_if_changed(&inc, &reindexer, &mut indexed);
                let had_error = shared
                    .error
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .take()
                    .is_some();
                let notice = if outcome.css_only && !had_error {
                    Notice::Css
                } else {
                    Notice::Reload
                };
                if outcome.rendered > 0
                    || outcome.removed > 0
                    || had_error
                    || outcome.css_only
                    || changes.iter().any(|c| matches!(c, Change::Static(_)))
                {
                    let _ = shared.notices.send(notice);
                }
                let warnings = warnings_text(root, &outcome.warnings);
                report(Report::Rebuilt {
                    what,
                    outcome,
                    warnings,
                });
            }
            Err(e) => {
                let message = failure_message(root, &e);
                *shared.error.write().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
                let _ = shared.notices.send(Notice::BuildError(message.clone()));
                report(Report::Failed { what, message });
            }
        }
    }
}
