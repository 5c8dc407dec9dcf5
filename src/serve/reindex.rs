//! The preview's search index, rebuilt on a thread of its own: a save is
//! served as soon as its pages are rendered, and the index catches up a
//! moment later and is swapped in whole. Saves that arrive while an index is
//! being built are coalesced: only the newest site is indexed next.

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
                while let Ok(mut batch) = inbox.recv() {
                    // Only the newest site matters.
                    while let Ok(newer) = inbox.try_recv() {
                        batch = newer;
                    }
                    let Some(documents) = batch.documents else {
                        *shared.search.write().unwrap_or_else(|e| e.into_inner()) = Arc::default();
                        continue;
                    };
                    let started = Instant::now();
                    let pages = documents.len();
                    match search::build(batch.language.as_deref(), documents) {
                        Ok(files) => {
                            *shared.search.write().unwrap_or_else(|e| e.into_inner()) =
                                Arc::new(files);
                            report(Report::Indexed {
                                pages,
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
