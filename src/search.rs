//! The site's search index (when site.toml turns search on): Pagefind's,
//! built in-process from the rendered pages, so search works on plain static
//! hosting with no server. Pages are handed to an indexing thread as they are
//! rendered; once all are in, they are sorted by path (for reproducible
//! output) and parsed in parallel (the patched Pagefind in vendor/pagefind).
//! The index files come back as (path, bytes) for the output to write with
//! everything else. Which parts of a page are indexed, and its type and
//! topics, are said by `data-pagefind-*` attributes in the theme.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::thread::JoinHandle;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::error::{Diagnostic, Error, Result};

/// The folder of the output that holds the index and `pagefind.js`.
pub const BUNDLE_DIR: &str = "pagefind";

/// A page to index: its output path (`stories/x/index.html`) and HTML.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: String,
    pub html: std::sync::Arc<Vec<u8>>,
}

/// The index's files: output path (`pagefind/pagefind.js`) → bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// A finished index.
pub struct Index {
    pub files: Files,
    /// Of the time after the last page came in, how long Pagefind took to
    /// assemble and serialise the index (the rest was reading the pages).
    pub assembling: std::time::Duration,
}

/// The URL Pagefind records for a page: relative to the site's base path,
/// which `pagefind.js` adds back from where it is loaded.
fn url_of(path: &str) -> String {
    let dir = path.strip_suffix("index.html").unwrap_or(path);
    format!("/{dir}")
}

/// An index being built on a thread of its own: pages go in with
/// [`add`](Self::add) as they are rendered; [`finish`](Self::finish) waits
/// for the files.
pub struct Indexer {
    pages: Option<mpsc::Sender<Document>>,
    worker: JoinHandle<Result<Index>>,
}

impl Indexer {
    /// Starts an empty index. For a site in one `language` (`en-GB`) every
    /// page goes into one index, whatever its own `lang` says; for a site in
    /// several (None), each page into its language's, which the search page
    /// of that language reads.
    pub fn start(language: Option<&str>) -> Result<Indexer> {
        let language = language.map(|l| {
            l.split(['-', '_'])
                .next()
                .unwrap_or("en")
                .to_ascii_lowercase()
        });
        let (pages, inbox) = mpsc::channel::<Document>();
        let worker = std::thread::Builder::new()
            .name("brum-search".into())
            .spawn(move || index(language.as_deref(), inbox))
            .map_err(|e| {
                Error::io(
                    "start the search indexer for",
                    std::path::Path::new(BUNDLE_DIR),
                    e,
                )
            })?;
        Ok(Indexer {
            pages: Some(pages),
            worker,
        })
    }

    /// Queues a page; cheap, so renderers can call it as they go.
    pub fn add(&self, document: Document) {
        if let Some(pages) = &self.pages {
            // A send fails only when the worker has stopped, and then
            // `finish` reports why.
            let _ = pages.send(document);
        }
    }

    /// Waits for every queued page to be indexed and returns the index.
    pub fn finish(mut self) -> Result<Index> {
        drop(self.pages.take());
        self.worker
            .join()
            .unwrap_or_else(|_| Err(failure("the indexer stopped unexpectedly")))
    }
}

/// Builds an index from `documents` at once: for callers that have every
/// page already (`brum serve`).
pub fn build(
    language: Option<&str>,
    documents: impl IntoIterator<Item = Document>,
) -> Result<Files> {
    let indexer = Indexer::start(language)?;
    for d in documents {
        indexer.add(d);
    }
    indexer.finish().map(|i| i.files)
}

fn failure(message: impl std::fmt::Display) -> Error {
    Error::invalid(vec![
        Diagnostic::new(
            BUNDLE_DIR,
            format!("could not build the search index: {message}"),
        )
        .with_help("this is a bug in brum or Pagefind; the rest of the site is fine"),
    ])
}

/// The indexing thread: Pagefind's API is async, so it gets a small runtime
/// of its own (its blocking pool does the parsing).
fn index(language: Option<&str>, inbox: mpsc::Receiver<Document>) -> Result<Index> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failure)?;
    runtime.block_on(async move {
        let options = match language {
            Some(language) => PagefindServiceConfig::builder()
                .force_language(language.to_string())
                .build(),
            None => PagefindServiceConfig::builder().build(),
        };
        let mut index = PagefindIndex::new(Some(options)).map_err(failure)?;
        // Pages arrive in whatever order the renderers finish; Pagefind's
        // output depends on the order it is given, so sort for builds that
        // are byte-for-byte the same.
        let mut documents: Vec<Document> = inbox.iter().collect();
        documents.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let documents: Vec<(String, String)> = documents
            .into_iter()
            .map(|doc| {
                let html = String::from_utf8_lossy(&doc.html).into_owned();
                (url_of(&doc.path), html)
            })
            .collect();
        index.add_html_files(documents).await.map_err(failure)?;
        let assembling = std::time::Instant::now();
        let files = index.get_files().await.map_err(failure)?;
        let files = files
            .into_iter()
            .filter(|f| !is_unused_ui(&f.filename))
            .map(|f| {
                let name = f
                    .filename
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                (format!("{BUNDLE_DIR}/{name}"), f.contents)
            })
            .collect();
        Ok(Index {
            files,
            assembling: assembling.elapsed(),
        })
    })
}

/// Pagefind's ready-made search interfaces: the theme has its own markup on
/// `pagefind.js`, so these are never loaded and not published.
fn is_unused_ui(name: &std::path::Path) -> bool {
    let name = name.to_string_lossy();
    [
        "pagefind-ui.",
        "pagefind-component-ui.",
        "pagefind-modular-ui.",
        "pagefind-highlight.",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_relative_to_the_base_path() {
        assert_eq!(url_of("stories/x/index.html"), "/stories/x/");
        assert_eq!(url_of("about/index.html"), "/about/");
    }

    #[test]
    fn an_index_has_the_script_and_the_pages() {
        let page = |path: &str, body: &str| {
            Document {
            path: path.into(),
            html: std::sync::Arc::new(
                format!("<html lang=\"en\"><body><main data-pagefind-body><h1>{body}</h1><p>{body}</p></main></body></html>").into_bytes(),
            ),
        }
        };
        let files = build(
            Some("en-GB"),
            [
                page("stories/a/index.html", "Canals"),
                page("stories/b/index.html", "Balti"),
            ],
        )
        .unwrap();
        assert!(files.contains_key("pagefind/pagefind.js"));
        assert!(!files.contains_key("pagefind/pagefind-ui.js"));
        assert!(files.contains_key("pagefind/pagefind-entry.json"));
        let fragments = files.keys().filter(|k| k.ends_with(".pf_fragment")).count();
        assert_eq!(fragments, 2);
    }
}
