//! The site's search index (when site.toml turns search on): Pagefind's,
//! built in-process from the rendered pages, so search works on plain static
//! hosting with no server. Which parts of a page are indexed, and its type
//! and topics, are said by `data-pagefind-*` attributes in the theme, so the
//! index is made from the rendered HTML, not from the model.
//!
//! Each page is parsed soon after it is rendered (a thread renders a batch
//! of pages, then parses them), on the thread that rendered it, into a
//! Pagefind page record (vendor/pagefind, `records`; a page
//! Pagefind's own reader cannot read whole is cut first to what it reads
//! of it, `reading`): a few
//! kilobytes of packed postings and its compressed fragment, so the HTML
//! need not be kept. Once all are in, the records are sorted by path (for
//! reproducible output) and assembled into the index files, which come back
//! as (path, bytes) for the output to write with everything else.
//! [`Records`] keeps records between builds for `brum serve`: a page whose
//! bytes have not changed is not parsed again.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pagefind::options::PagefindServiceConfig;
use pagefind::records::{Assembly, PageRecord, RecordIndexer, WordMemo};
use rayon::prelude::*;

use crate::error::{Diagnostic, Error, Result};

mod reading;

/// The folder of the output that holds the index and `pagefind.js`.
pub const BUNDLE_DIR: &str = "pagefind";

/// How hard the index files are gzipped, in libdeflate's levels (see
/// vendor/pagefind/PATCHED.md, section 18). Upstream Pagefind uses zlib's
/// 9 for all. The filters and the meta file, which every search loads, at 6.
const GZIP_LEVEL: u32 = 6;

/// The fragments, one per page and most of the bytes compressed, at 1: on
/// this text libdeflate's 1 makes them 2.8% larger than zlib's 6 in half
/// the time.
const FRAGMENT_GZIP_LEVEL: u32 = 1;

/// The word chunks at 1, like the fragments. On the 10,000-story corpus
/// they are 20.42 MB at 1 against 19.26 MB at 5 (+6%; the whole index +2.5%,
/// about 3 kB more in each chunk a search loads), and libdeflate compresses
/// their 43 MB of CBOR in 254 ms against 457 ms; levels 2 to 4 are about as
/// large as 1 and slower. A search build took 4% fewer instructions
/// (callgrind, 1,000 stories): a build's time is worth more to a site than
/// the 6%, which a search downloads a chunk or two of.
const WORD_GZIP_LEVEL: u32 = 1;

/// A page to index: its output path (`stories/x/index.html`) and HTML.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: String,
    pub html: Arc<Vec<u8>>,
}

/// The index's files: output path (`pagefind/pagefind.js`) → bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// A finished index.
pub struct Index {
    pub files: Files,
    /// How long assembling the index took, once every page was parsed.
    pub assembling: Duration,
}

/// The URL Pagefind records for a page: relative to the site's base path,
/// which `pagefind.js` adds back from where it is loaded.
fn url_of(path: &str) -> String {
    let dir = path.strip_suffix("index.html").unwrap_or(path);
    format!("/{dir}")
}

/// Pagefind's record maker for a site in one `language` (`en-GB`), where
/// every page goes into one index whatever its own `lang` says; or, for a
/// site in several (None), each page into its language's, which the search
/// page of that language reads.
fn record_indexer(language: Option<&str>) -> Result<RecordIndexer> {
    let language = language.map(|l| {
        l.split(['-', '_'])
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase()
    });
    let options = match language {
        Some(language) => PagefindServiceConfig::builder()
            .force_language(language)
            .build(),
        None => PagefindServiceConfig::builder().build(),
    };
    RecordIndexer::new(Some(options), GZIP_LEVEL)
        .and_then(|maker| maker.with_word_level(WORD_GZIP_LEVEL))
        .and_then(|maker| maker.with_fragment_level(FRAGMENT_GZIP_LEVEL))
        .map_err(failure)
}

/// Parses one page into its record; `memo` is the words met before.
/// Pagefind's own reader of well-formed pages reads brum's pages whole
/// faster than they can be cut; a page it cannot read goes to lol_html cut
/// down to what Pagefind reads of it (`reading`).
fn record(maker: &RecordIndexer, document: &Document, memo: &mut WordMemo) -> Result<PageRecord> {
    // Rendered pages are UTF-8: `from_utf8` checks that a word at a time,
    // where `from_utf8_lossy` went a character at a time (2% of a build).
    // The page is lent, not copied: Pagefind's reader keeps nothing of it.
    let html = match std::str::from_utf8(&document.html) {
        Ok(html) => std::borrow::Cow::Borrowed(html),
        Err(_) => String::from_utf8_lossy(&document.html),
    };
    let view = |html: &str| reading::pagefind_view(html).into_owned();
    maker
        .record_or_view(url_of(&document.path), &html, view, memo)
        .map_err(failure)
}

/// `records` sorted by URL, so that the same pages give the same index
/// whatever order they came in.
fn by_url(mut records: Vec<Arc<PageRecord>>) -> Vec<Arc<PageRecord>> {
    records.sort_unstable_by(|a, b| a.url().cmp(b.url()));
    records
}

/// Pagefind's files as brum's: under [`BUNDLE_DIR`], without the unused
/// interfaces.
fn named(files: Vec<pagefind::IndexFile>) -> Files {
    files
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
        .collect()
}

/// An index being built as pages are rendered: [`add_all`](Self::add_all)
/// parses pages on the caller's thread (the renderers', in parallel);
/// [`finish`](Self::finish) assembles the index.
pub struct Indexer {
    maker: RecordIndexer,
    records: Mutex<Vec<PageRecord>>,
    /// Word memos for the threads that add pages: one is taken for a page
    /// and put back after, so there are about as many as threads.
    memos: Mutex<Vec<WordMemo>>,
    /// The first page that could not be parsed, reported by `finish`.
    failed: Mutex<Option<Error>>,
}

impl Indexer {
    /// Starts an empty index (see [`record_indexer`] for `language`).
    pub fn start(language: Option<&str>) -> Result<Indexer> {
        Ok(Indexer {
            maker: record_indexer(language)?,
            records: Mutex::default(),
            memos: Mutex::default(),
            failed: Mutex::default(),
        })
    }

    /// Parses pages into the index, on the caller's thread; their HTML is
    /// not kept.
    pub fn add_all(&self, documents: Vec<Document>) {
        if documents.is_empty() {
            return;
        }
        let taken = self.memos.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut memo = taken.unwrap_or_default();
        let mut made = Vec::with_capacity(documents.len());
        let mut failure = None;
        for document in &documents {
            match record(&self.maker, document, &mut memo) {
                Ok(r) => made.push(r),
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        self.memos
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(memo);
        self.records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .append(&mut made);
        if let Some(e) = failure {
            let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.get_or_insert(e);
        }
    }

    /// Assembles the index from every page added.
    pub fn finish(self) -> Result<Index> {
        let early = Mutex::new(Files::new());
        let mut index = self.finish_early(&|files| {
            early
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(files)
        })?;
        index
            .files
            .extend(early.into_inner().unwrap_or_else(|e| e.into_inner()));
        Ok(index)
    }

    /// [`finish`](Self::finish), giving the pages' fragments and the
    /// filters to `early` as soon as they are made, while the word chunks
    /// still are: creating ten thousand files is mostly the system's work,
    /// which then overlaps the chunks' compression. The index holds the rest.
    pub fn finish_early(self, early: &(dyn Fn(Files) + Sync)) -> Result<Index> {
        if let Some(e) = self.failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(e);
        }
        let started = Instant::now();
        let records = self.records.into_inner().unwrap_or_else(|e| e.into_inner());
        let records = by_url(records.into_iter().map(Arc::new).collect());
        let files = self
            .maker
            .assemble_once_early(&records, &|files| early(named(files)))
            .map_err(failure)?;
        // Freeing ten thousand records took this thread 20 ms with the
        // others idle; one of them does it while the index is written.
        rayon::spawn(move || drop(records));
        Ok(Index {
            files: named(files),
            assembling: started.elapsed(),
        })
    }
}

/// Page records kept from one index to the next (`brum serve`), and what
/// the last assembly of them kept (see `Assembly`): a new index parses only
/// the pages whose bytes changed and redoes only the part of the index that
/// they touch.
pub struct Records {
    maker: RecordIndexer,
    language: Option<String>,
    pages: HashMap<String, Kept>,
    assembly: Assembly,
}

/// A page's record, with the HTML it was made from and that HTML's hash:
/// a page passed again with the same `Arc` is known unchanged unhashed.
struct Kept {
    html: Arc<Vec<u8>>,
    hash: u64,
    record: Arc<PageRecord>,
}

/// What [`Records::index`] did.
pub struct Update {
    pub files: Files,
    /// Pages parsed, of all indexed.
    pub parsed: usize,
    /// Word index chunks made afresh, and how many the index has.
    pub chunks: (usize, usize),
    /// Words found changed (merged again), and how many the index has.
    pub words: (usize, usize),
}

impl Records {
    /// No records yet, for an index in `language` (see [`record_indexer`]).
    pub fn new(language: Option<&str>) -> Result<Records> {
        Ok(Records {
            maker: record_indexer(language)?,
            language: language.map(str::to_string),
            pages: HashMap::new(),
            assembly: Assembly::default(),
        })
    }

    /// The language these records were made for.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// The index of `documents`, every page of the site; pages not among
    /// them are forgotten.
    pub fn index(&mut self, documents: &[Document]) -> Result<Update> {
        let parsed = self.update(documents)?;
        if self.pages.len() > documents.len() {
            let current: std::collections::HashSet<&str> =
                documents.iter().map(|d| d.path.as_str()).collect();
            self.pages.retain(|path, _| current.contains(path.as_str()));
        }
        let records = by_url(self.pages.values().map(|k| k.record.clone()).collect());
        let files = self.maker.assemble(&records, &mut self.assembly);
        Ok(Update {
            files: named(files.map_err(failure)?),
            parsed,
            chunks: self.assembly.chunks_made(),
            words: self.assembly.words_changed(),
        })
    }

    /// Makes records of the documents whose bytes are new; returns how many.
    fn update(&mut self, documents: &[Document]) -> Result<usize> {
        let new: Vec<(&Document, u64)> = documents
            .par_iter()
            .filter(|d| {
                let kept = self.pages.get(&d.path);
                kept.is_none_or(|k| !Arc::ptr_eq(&k.html, &d.html))
            })
            .map(|d| (d, crate::cache::hash_bytes(&d.html)))
            .collect();
        let (same, stale): (Vec<_>, Vec<_>) = new
            .into_iter()
            .partition(|(d, hash)| self.pages.get(&d.path).is_some_and(|k| k.hash == *hash));
        for (d, _) in same {
            if let Some(kept) = self.pages.get_mut(&d.path) {
                kept.html = d.html.clone();
            }
        }
        let parsed: Vec<(&Document, u64, PageRecord)> = stale
            .par_iter()
            .map_init(WordMemo::default, |memo, &(d, hash)| {
                Ok((d, hash, record(&self.maker, d, memo)?))
            })
            .collect::<Result<_>>()?;
        let count = parsed.len();
        for (d, hash, r) in parsed {
            let kept = Kept {
                html: d.html.clone(),
                hash,
                record: Arc::new(r),
            };
            self.pages.insert(d.path.clone(), kept);
        }
        Ok(count)
    }
}

/// Builds an index from `documents` at once, for callers that have every
/// page already.
pub fn build(
    language: Option<&str>,
    documents: impl IntoIterator<Item = Document>,
) -> Result<Files> {
    let indexer = Indexer::start(language)?;
    indexer.add_all(documents.into_iter().collect());
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
mod tests;
