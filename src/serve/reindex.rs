//! The preview's search index, rebuilt on a thread of its own: a save is
//! served as soon as its pages are rendered, and the index catches up a
//! moment later and is swapped in whole. Saves that arrive while an index is
//! being built are coalesced: only the newest site is indexed next.
//!
//! The thread keeps each page's Pagefind record between indexes, and what
//! the last assembly of them made ([`search::Records`]), so a save parses
//! only the pages whose bytes changed and makes again only the word index
//! chunks that hold words whose postings changed. Fragments, filters, sorts
//! and the meta file are still made from every record (cheap); the chunks
//! of the most common words cover every page, so a save's work still grows
//! with the site there.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use super::Report;
use super::server::Shared;
use crate::search::{self, Document};

/// A site's searchable pages, to index; `None` when the site has no search
/// (`[search]` turned off), so the last index goes too.
struct Batch {
    language: Option<String>,
    documents: Option<Vec<Document>>,
}

/// Hands sites to the indexing thread.
pub struct Reindexer {
    batches: mpsc::Sender<Batch>,
}

impl Reindexer {
    /// Starts the thread; each index it builds replaces the one `shared`
    /// serves, and is reported.
    pub fn start(
        shared: Arc<Shared>,
        report: Arc<dyn Fn(Report) + Send + Sync>,
    ) -> std::io::Result<Reindexer> {
        let (batches, inbox) = mpsc::channel::<Batch>();
        std::thread::Builder::new()
            .name("brum-reindex".into())
            .spawn(move || {
                let mut kept: Option<search::Records> = None;
                while let Ok(mut batch) = inbox.recv() {
                    // Only the newest site matters.
                    while let Ok(newer) = inbox.try_recv() {
                        batch = newer;
                    }
                    let Some(documents) = batch.documents else {
                        kept = None;
                        *shared.search.write().unwrap_or_else(|e| e.into_inner()) = Arc::default();
                        continue;
                    };
                    let started = Instant::now();
                    match index(&mut kept, batch.language.as_deref(), &documents) {
                        Ok(files) => {
                            *shared.search.write().unwrap_or_else(|e| e.into_inner()) =
                                Arc::new(files);
                            report(Report::Indexed {
                                pages: documents.len(),
                                ms: started.elapsed().as_millis(),
                            });
                        }
                        Err(e) => report(Report::IndexFailed(e.to_string())),
                    }
                }
            })?;
        Ok(Reindexer { batches })
    }

    /// Queues a site's pages for indexing; returns at once.
    pub fn submit(&self, language: Option<&str>, documents: Vec<Document>) {
        let _ = self.batches.send(Batch {
            language: language.map(str::to_string),
            documents: Some(documents),
        });
    }

    /// Drops the index: the site no longer has search.
    pub fn clear(&self) {
        let _ = self.batches.send(Batch {
            language: None,
            documents: None,
        });
    }
}

/// The index of `documents`, from the records `kept` of the last one when
/// they were made for the same language (a changed `site.toml` may change it).
fn index(
    kept: &mut Option<search::Records>,
    language: Option<&str>,
    documents: &[Document],
) -> crate::error::Result<search::Files> {
    let records = match kept.take() {
        Some(records) if records.language() == language => records,
        _ => search::Records::new(language)?,
    };
    let records = kept.insert(records);
    records.index(documents).map(|update| update.files)
}
