//! brum patch: the word index of the last assembly, kept so that the next
//! one redoes only what a few changed pages touch.
//!
//! A word chunk holds every page's postings of its words, so upstream makes
//! every chunk again from every page for any change. [`WordTable`] keeps,
//! for every word, where it is in each page's record and its weight in
//! chunking, and for every chunk its range, hash and compressed bytes. When
//! the records at some page numbers are replaced (the same number of pages,
//! the same meta fields), only the words whose postings differ between the
//! old and new record are marked, the chunk boundaries are worked out again
//! from the kept weights by the same rule, and only the chunks that hold a
//! marked word, or whose words changed, are merged, encoded and compressed
//! again. The files are those a cold assembly makes, byte for byte. A change
//! that moves page numbers (a page added or removed) rebuilds the table.

use std::sync::Arc;

use hashbrown::HashMap;
use rayon::prelude::*;

use super::chunk_cbor::{ChunkWriter, PagePostings};
use super::{gzip, Level, read_bytes, read_varint, skip_word_postings, PageRecord};
use crate::index::index_metadata::MetaChunk;
use crate::utils::full_hash;

/// The word index of one language, as last assembled.
#[derive(Default)]
pub(crate) struct WordTable {
    /// The records the places point into, in page order.
    pages: Vec<Arc<PageRecord>>,
    meta_fields: Vec<String>,
    /// Each page's meta field ids in the index, by its own.
    field_ids: Vec<Vec<i32>>,
    chunk_size: usize,
    /// Every word of those pages, in byte order.
    words: Vec<Word>,
    chunks: Vec<Chunk>,
    /// How many words the last call merged again (all, when it rebuilt).
    marked: usize,
}

struct Word {
    word: Box<[u8]>,
    /// (page number, where the word starts in that page's postings), by page.
    places: Vec<(u32, u32)>,
    /// Its weight in chunking: what `chunk_index` adds up for it.
    size: usize,
    /// Its postings changed since the chunks were made.
    changed: bool,
}

/// A word chunk as made.
pub(crate) struct Chunk {
    /// Its first and last word (before `trim_chunk_meta`); `hash` is empty.
    pub range: MetaChunk,
    /// The SHA-1 of its bytes.
    pub hash: String,
    pub compressed: Vec<u8>,
    /// How many words it holds.
    words: usize,
    /// Made by the last call, not kept from the one before.
    made: bool,
}

/// More changed pages than one in this many, and the table is rebuilt:
/// patching then costs more than starting again.
const PATCH_LIMIT: usize = 4;

impl WordTable {
    /// The chunks of the word index of `pages` (in page order), made again
    /// only where they differ from the last call's. A caller that takes
    /// their bytes must not call again.
    pub fn chunks(
        &mut self,
        pages: Vec<Arc<PageRecord>>,
        meta_fields: &[String],
        chunk_size: usize,
        level: Level,
    ) -> &mut [Chunk] {
        let patched = self.chunk_size == chunk_size
            && self.meta_fields == meta_fields
            && self.patch(&pages);
        if !patched {
            self.rebuild(&pages);
            self.meta_fields = meta_fields.to_vec();
            self.chunk_size = chunk_size;
        }
        self.field_ids = pages.iter().map(|p| field_ids(p, meta_fields)).collect();
        self.pages = pages;
        if patched {
            self.weigh_changed();
        }
        self.chunks = self.make_chunks(level);
        self.marked = self.words.iter().filter(|w| w.changed).count();
        for word in &mut self.words {
            word.changed = false;
        }
        &mut self.chunks
    }

    /// Every word of `pages`, all marked changed, with its weight. Each
    /// record is read from start to end once (weighing a word afterwards,
    /// page by page through its places, went to memory for every place),
    /// the pages in as many runs as there are threads, merged in order.
    fn rebuild(&mut self, pages: &[Arc<PageRecord>]) {
        let per = pages.len().div_ceil(rayon::current_num_threads()).max(1);
        let gathered = pages
            .par_chunks(per)
            .enumerate()
            .map(|(run, pages)| gather(pages, run * per))
            .reduce(HashMap::new, merge);
        let mut words: Vec<Word> = gathered
            .into_iter()
            .map(|(word, found)| Word {
                word: word.into(),
                places: found.places,
                size: found.size + found.forms.len(),
                changed: true,
            })
            .collect();
        words.par_sort_unstable_by(|a, b| a.word.cmp(&b.word));
        self.words = words;
    }

    /// Replaces the records that differ from the last call's at the same
    /// page numbers, marking the words whose postings differ. False, with
    /// nothing done, when page numbers would move or too many differ.
    fn patch(&mut self, pages: &[Arc<PageRecord>]) -> bool {
        if self.pages.len() != pages.len() || self.pages.is_empty() {
            return false;
        }
        let replaced: Vec<usize> = (0..pages.len())
            .filter(|&n| !Arc::ptr_eq(&self.pages[n], &pages[n]))
            .collect();
        if replaced.len() > pages.len() / PATCH_LIMIT {
            return false;
        }
        for n in replaced {
            let old = self.pages[n].clone();
            self.replace(n as u32, &old, &pages[n]);
        }
        true
    }

    /// Page `n`'s record `old` becomes `new`: its places follow, and a word
    /// whose postings differ (or whose field ids may) is marked.
    fn replace(&mut self, n: u32, old: &PageRecord, new: &PageRecord) {
        let same_fields = old.meta_fields == new.meta_fields;
        let mut old_words = postings_of(old).peekable();
        let mut new_words = postings_of(new).peekable();
        loop {
            let order = match (old_words.peek(), new_words.peek()) {
                (None, None) => return,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(a), Some(b)) => a.word.cmp(b.word),
            };
            match order {
                std::cmp::Ordering::Less => {
                    let gone = old_words.next().expect("peeked");
                    self.remove_place(gone.word, n);
                }
                std::cmp::Ordering::Greater => {
                    let added = new_words.next().expect("peeked");
                    self.insert_place(added.word, n, added.at);
                }
                std::cmp::Ordering::Equal => {
                    let (was, now) = (old_words.next(), new_words.next());
                    let (was, now) = (was.expect("peeked"), now.expect("peeked"));
                    let same = same_fields && was.postings == now.postings;
                    self.move_place(now.word, n, now.at, same);
                }
            }
        }
    }

    /// Page `n`'s postings of `word` are now at `at`; `same` says whether
    /// they are what they were.
    fn move_place(&mut self, word: &[u8], n: u32, at: usize, same: bool) {
        let found = self.words.binary_search_by(|w| (*w.word).cmp(word));
        let Ok(i) = found else {
            return self.insert_place(word, n, at);
        };
        let entry = &mut self.words[i];
        match entry.places.binary_search_by_key(&n, |p| p.0) {
            Ok(p) => {
                entry.places[p].1 = at as u32;
                entry.changed |= !same;
            }
            Err(_) => self.insert_place(word, n, at),
        }
    }

    fn remove_place(&mut self, word: &[u8], n: u32) {
        let Ok(i) = self.words.binary_search_by(|w| (*w.word).cmp(word)) else {
            return;
        };
        let entry = &mut self.words[i];
        if let Ok(p) = entry.places.binary_search_by_key(&n, |p| p.0) {
            entry.places.remove(p);
        }
        entry.changed = true;
        if entry.places.is_empty() {
            self.words.remove(i);
        }
    }

    fn insert_place(&mut self, word: &[u8], n: u32, at: usize) {
        let i = match self.words.binary_search_by(|w| (*w.word).cmp(word)) {
            Ok(i) => i,
            Err(i) => {
                let fresh = Word {
                    word: word.into(),
                    places: Vec::new(),
                    size: 0,
                    changed: true,
                };
                self.words.insert(i, fresh);
                i
            }
        };
        let entry = &mut self.words[i];
        let p = entry
            .places
            .binary_search_by_key(&n, |p| p.0)
            .unwrap_or_else(|p| p);
        entry.places.insert(p, (n, at as u32));
        entry.changed = true;
    }

    /// How many chunks the last call made, of how many.
    pub fn made(&self) -> (usize, usize) {
        let made = self.chunks.iter().filter(|c| c.made).count();
        (made, self.chunks.len())
    }

    /// How many words the last call found changed, of how many.
    pub fn marked(&self) -> (usize, usize) {
        (self.marked, self.words.len())
    }

    /// Works out the chunking weight of every marked word.
    fn weigh_changed(&mut self) {
        let pages = &self.pages;
        self.words
            .par_iter_mut()
            .filter(|w| w.changed)
            .for_each(|w| w.size = weight(pages, &w.places));
    }

    /// Cuts the words into chunks as `chunk_index` does, and makes those
    /// that are not the last call's unchanged.
    fn make_chunks(&self, level: Level) -> Vec<Chunk> {
        let spans = spans(&self.words, self.chunk_size);
        let mut changed_before = Vec::with_capacity(self.words.len() + 1);
        changed_before.push(0usize);
        for word in &self.words {
            changed_before.push(changed_before.last().copied().unwrap_or(0) + word.changed as usize);
        }
        let previous: HashMap<&[u8], &Chunk> = self
            .chunks
            .iter()
            .map(|c| (c.range.from.as_bytes(), c))
            .collect();
        let by_hash: HashMap<&str, &[u8]> = self
            .chunks
            .iter()
            .map(|c| (c.hash.as_str(), c.compressed.as_slice()))
            .collect();
        // Each place of a word is a page's record somewhere in memory: the
        // records' bytes and field ids side by side here are one load from
        // a small table instead of two through each page's `PageRecord`.
        let records: Vec<(&[u8], &[i32])> = self
            .pages
            .iter()
            .zip(&self.field_ids)
            .map(|(page, ids)| (&page.words[..], &ids[..]))
            .collect();
        spans
            .into_par_iter()
            .map(|(start, end)| {
                let kept = previous.get(&*self.words[start].word).filter(|c| {
                    c.words == end - start
                        && c.range.to.as_bytes() == &*self.words[end - 1].word
                        && changed_before[end] == changed_before[start]
                });
                match kept {
                    Some(chunk) => copy(chunk),
                    None => self.make_chunk(start..end, &records, &by_hash, level),
                }
            })
            .collect()
    }

    /// The chunk of words `span`: merged from the pages, encoded, and
    /// compressed unless the last call made the same bytes.
    fn make_chunk(
        &self,
        span: std::ops::Range<usize>,
        records: &[(&[u8], &[i32])],
        by_hash: &HashMap<&str, &[u8]>,
        level: Level,
    ) -> Chunk {
        let words = span.len();
        let held: Vec<&Word> = self.words[span].iter().filter(|w| !w.places.is_empty()).collect();
        let mut writer = ChunkWriter::new(held.len());
        // The places, in the order they are read, a few ahead: each is
        // asked of memory before it is needed.
        let mut ahead = held.iter().flat_map(|w| &w.places).skip(PREFETCH_AHEAD);
        for w in &held {
            let postings = w.places.iter().map(|&(n, at)| {
                if let Some(&(n, at)) = ahead.next() {
                    prefetch(records[n as usize].0, at as usize);
                }
                let (bytes, field_ids) = records[n as usize];
                PagePostings {
                    bytes,
                    at: at as usize,
                    page: n as usize,
                    field_ids,
                }
            });
            writer.word(&w.word, postings);
        }
        let bytes = writer.finish();
        let word = |w: Option<&&Word>| w.map_or("".into(), |w| String::from_utf8_lossy(&w.word).into_owned());
        let range = MetaChunk {
            from: word(held.first()),
            to: word(held.last()),
            hash: "".into(),
        };
        let hash = full_hash(&bytes);
        let compressed = match by_hash.get(hash.as_str()) {
            Some(done) => done.to_vec(),
            None => gzip(&bytes, level),
        };
        Chunk {
            range,
            hash,
            compressed,
            words,
            made: true,
        }
    }
}

/// A word of some pages as [`WordTable::rebuild`] gathers it: its places,
/// its weight without its forms, and those forms.
#[derive(Default)]
struct Gathered<'a> {
    places: Vec<(u32, u32)>,
    size: usize,
    forms: Vec<&'a [u8]>,
}

/// The words of `pages`, numbered from `first`.
fn gather(pages: &[Arc<PageRecord>], first: usize) -> HashMap<&[u8], Gathered<'_>> {
    let mut gathered: HashMap<&[u8], Gathered> = HashMap::new();
    for (n, page) in pages.iter().enumerate() {
        let bytes = &page.words;
        let mut at = 0;
        while at < bytes.len() {
            let start = at;
            let word = read_bytes(bytes, &mut at);
            let entry = gathered.entry(word).or_default();
            entry.size += page_weight(bytes, &mut at, &mut entry.forms);
            entry.places.push(((first + n) as u32, start as u32));
        }
    }
    gathered
}

/// The words of `earlier` pages and of `later` ones, together.
fn merge<'a>(
    mut earlier: HashMap<&'a [u8], Gathered<'a>>,
    later: HashMap<&'a [u8], Gathered<'a>>,
) -> HashMap<&'a [u8], Gathered<'a>> {
    if earlier.is_empty() {
        return later;
    }
    for (word, found) in later {
        let entry = earlier.entry(word).or_default();
        entry.places.extend(found.places);
        entry.size += found.size;
        for form in found.forms {
            add_form(&mut entry.forms, form);
        }
    }
    earlier
}

/// How many places ahead of the one being read `make_chunk` prefetches.
const PREFETCH_AHEAD: usize = 8;

/// Starts loading the cache line of `bytes` at `at`, where the processor
/// has an instruction for it: a hint, nothing else changes.
#[inline(always)]
fn prefetch(bytes: &[u8], at: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing the program sees and does not fault,
    // whatever the address; this one is inside `bytes` anyway.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(bytes.as_ptr().wrapping_add(at) as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (bytes, at);
}

fn copy(chunk: &Chunk) -> Chunk {
    Chunk {
        range: MetaChunk {
            from: chunk.range.from.clone(),
            to: chunk.range.to.clone(),
            hash: String::new(),
        },
        hash: chunk.hash.clone(),
        compressed: chunk.compressed.clone(),
        words: chunk.words,
        made: false,
    }
}

/// The word ranges of the chunks: a chunk ends with the word that brings
/// its weight to `chunk_size` or more.
fn spans(words: &[Word], chunk_size: usize) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, word) in words.iter().enumerate() {
        size += word.size;
        if size >= chunk_size {
            spans.push((start, i + 1));
            (start, size) = (i + 1, 0);
        }
    }
    if start < words.len() {
        spans.push((start, words.len()));
    }
    spans
}

/// A page's ids of its meta fields in an index whose fields are
/// `meta_fields` (by the page's own).
fn field_ids(page: &PageRecord, meta_fields: &[String]) -> Vec<i32> {
    page.meta_fields
        .iter()
        .map(|f| meta_fields.iter().position(|g| g == f).unwrap_or(0) as i32)
        .collect()
}

/// A word's weight in chunking, from its places, without unpacking it: one
/// for each page it is on and each location there, in every form, and one
/// for each form other than the plain one.
fn weight(pages: &[Arc<PageRecord>], places: &[(u32, u32)]) -> usize {
    let mut forms: Vec<&[u8]> = Vec::new();
    let mut size = 0;
    for &(n, at) in places {
        let bytes = &pages[n as usize].words;
        let mut at = at as usize;
        read_bytes(bytes, &mut at);
        size += page_weight(bytes, &mut at, &mut forms);
    }
    size + forms.len()
}

/// The weight of a word's postings on one page, read from `at` (just after
/// the word), without its forms, which are added to `forms` once each.
fn page_weight<'a>(bytes: &'a [u8], at: &mut usize, forms: &mut Vec<&'a [u8]>) -> usize {
    let mut size = pages_weight(bytes, at);
    for _ in 0..read_varint(bytes, at) {
        add_form(forms, read_bytes(bytes, at));
        size += pages_weight(bytes, at);
    }
    size
}

/// Adds `form` to `forms` unless it is there: a form weighs one however
/// many pages it is on.
fn add_form<'a>(forms: &mut Vec<&'a [u8]>, form: &'a [u8]) {
    if !forms.contains(&form) {
        forms.push(form);
    }
}

fn pages_weight(bytes: &[u8], at: &mut usize) -> usize {
    let mut size = 0;
    for _ in 0..read_varint(bytes, at) {
        size += 1;
        for _ in 0..2 {
            let locs = read_varint(bytes, at);
            size += locs as usize;
            for _ in 0..locs {
                read_varint(bytes, at);
            }
        }
    }
    size
}

/// A word of a record: the word, where it starts, and its postings' bytes.
struct Posting<'a> {
    word: &'a [u8],
    at: usize,
    postings: &'a [u8],
}

fn postings_of(page: &PageRecord) -> impl Iterator<Item = Posting<'_>> {
    let bytes = &page.words;
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let word = read_bytes(bytes, &mut at);
        let from = at;
        skip_word_postings(bytes, &mut at);
        Some(Posting {
            word,
            at: start,
            postings: &bytes[from..at],
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::records::{RecordIndexer, WordMemo};

    fn records(pages: &[&str]) -> Vec<Arc<PageRecord>> {
        let maker = RecordIndexer::new(None, 6).unwrap();
        let mut memo = WordMemo::default();
        pages
            .iter()
            .enumerate()
            .map(|(n, html)| Arc::new(maker.record(format!("/{n}/"), html.to_string(), &mut memo).unwrap()))
            .collect()
    }

    /// Gathered in runs and merged, the words are as gathered in one run,
    /// and each one's weight is what `weight` finds through its places
    /// (forms met on pages of different runs counted once).
    #[test]
    fn words_gathered_in_runs_are_the_words_gathered_at_once() {
        let page = |words: &str| {
            format!(r#"<html lang="fr"><body><main data-pagefind-body><h1>{words}</h1><p>café naïve {words}</p></main></body></html>"#)
        };
        let pages = records(&[
            &page("Café cafe résumé"),
            &page("resume Résumé naive"),
            &page("the canal café"),
            &page("naïve naïve Naive canal"),
            &page("éléphant elephant"),
        ]);
        let sorted = |g: HashMap<&[u8], Gathered>| {
            let mut all: Vec<_> = g
                .into_iter()
                .map(|(w, f)| (w.to_vec(), f.places, f.size + f.forms.len()))
                .collect();
            all.sort();
            all
        };
        let at_once = gather(&pages, 0);
        let forms: usize = at_once.values().map(|f| f.forms.len()).sum();
        assert!(forms >= 3, "{forms} forms");
        let whole = sorted(at_once);
        for (word, places, size) in &whole {
            assert_eq!(*size, weight(&pages, places), "{}", String::from_utf8_lossy(word));
        }
        for cut in 0..=pages.len() {
            let runs = merge(gather(&pages[..cut], 0), gather(&pages[cut..], cut));
            assert_eq!(sorted(runs), whole, "cut at {cut}");
        }
    }
}
