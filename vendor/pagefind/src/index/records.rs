//! brum patch: an index built from page records.
//!
//! Upstream holds every parsed page (`FossickedData`: a hash map of words
//! with a 32-byte entry per word occurrence, the page's text, its metadata)
//! until the end, clones them all once more to group them by language, and
//! then packs them. On a site of 11,000 pages that is gigabytes, and every
//! page is parsed again whenever the index is rebuilt.
//!
//! Here a page is parsed and packed on its own, at once, into a
//! [`PageRecord`]: its postings in a few kilobytes of varints, its fragment
//! already serialised and compressed. Records can be made on any thread as
//! pages appear, kept by a caller between builds (a page that has not changed
//! need not be parsed again), and [`RecordIndexer::assemble`] turns a list of
//! them into the index files. The files are those upstream's
//! `build_indexes` and `write_files` make from the same pages in the same
//! order, byte for byte once gunzipped: records gzip with libdeflate
//! (`gzip.rs`), upstream with zlib (tested in brum's suite against the
//! upstream path).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use anyhow::{bail, Result};
use rust_patch::Patch;
use hashbrown::HashMap;

use super::index_filter::{FilterIndex, PackedValue};
use super::index_metadata::{MetaFilter, MetaIndex, MetaPage, MetaSort};
#[cfg(test)]
use super::index_words::{PackedPage, PackedVariant, PackedWord};
use super::index_metadata::MetaChunk;
use super::{parse_float_sort, parse_int_sort, trim_chunk_meta, SortType};
#[cfg(test)]
use super::page_word_map;
use crate::fossick::Fossicker;
pub use crate::fossick::WordMemo;
use crate::options::{PagefindInboundConfig, PagefindServiceConfig, SearchOptions};
use crate::output::{self, LanguageMeta, SyntheticFile};
use crate::utils::full_hash;

mod chunk_cbor;
mod gzip;
mod page_words;
mod word_table;
use gzip::{gzip, Level};
use word_table::WordTable;

/// Makes page records and assembles them into an index, with one set of
/// options. Shareable between threads.
pub struct RecordIndexer {
    options: SearchOptions,
    /// libdeflate's levels (brum patch, 18): of the fragments, of the word
    /// chunks, and of the rest (filters and the meta file), all `level` of
    /// `new` unless set by `with_fragment_level` and `with_word_level`.
    fragment_level: Level,
    word_level: Level,
    level: Level,
}

/// One page, parsed and packed: all an index needs of it.
pub struct PageRecord {
    url: String,
    language: String,
    has_custom_body: bool,
    force_inclusion: bool,
    /// Whether the page's body has any words (upstream drops those without).
    has_words: bool,
    sort: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    /// The page's meta field names, sorted: its field ids are their places.
    meta_fields: Vec<String>,
    word_count: usize,
    /// The SHA-1 of the fragment's JSON, which names its file.
    fragment_hash: String,
    /// The fragment file's bytes, compressed.
    fragment: Vec<u8>,
    /// The postings, see [`encode_words`].
    words: Vec<u8>,
}

impl PageRecord {
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bytes it holds on the heap, roughly: for callers that keep many.
    pub fn heap_size(&self) -> usize {
        self.url.len() + self.fragment_hash.len() + self.fragment.len() + self.words.len()
    }
}

/// brum patch: what one assembly keeps for the next, so that after a small
/// change it redoes only what the change touched: each language's word
/// index ([`word_table::WordTable`]) and the script files, which never
/// change (minifying them is not free).
#[derive(Default)]
pub struct Assembly {
    languages: HashMap<String, WordTable>,
    common: Vec<SyntheticFile>,
}

impl Assembly {
    /// How many word index chunks the last assembly made afresh, of how
    /// many it has: the rest were kept from the one before.
    pub fn chunks_made(&self) -> (usize, usize) {
        sum(self.languages.values().map(WordTable::made))
    }

    /// How many words the last assembly found changed (and merged again),
    /// of how many: all of them when it started afresh.
    pub fn words_changed(&self) -> (usize, usize) {
        sum(self.languages.values().map(WordTable::marked))
    }
}

fn sum(counts: impl Iterator<Item = (usize, usize)>) -> (usize, usize) {
    counts.fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
}

impl RecordIndexer {
    /// `level`: the gzip level of every compressed file, 0 to 12 (upstream
    /// compresses with zlib at 9; these are libdeflate's levels).
    pub fn new(config: Option<PagefindServiceConfig>, level: u32) -> Result<Self> {
        let mut inbound: PagefindInboundConfig =
            serde_json::from_str("{}").expect("All fields have serde defaults");
        inbound.service = true;
        if let Some(config) = config {
            inbound = config.apply(inbound);
        }
        let options = SearchOptions::load(inbound)?;
        if options.max_fragments.is_some() {
            bail!("Page records do not support grouped fragments (max_fragments)");
        }
        let level = Level::new(level)?;
        Ok(Self {
            options,
            fragment_level: level,
            word_level: level,
            level,
        })
    }

    /// The gzip level of the word chunks alone, which are most of the bytes
    /// an index compresses.
    pub fn with_word_level(self, level: u32) -> Result<Self> {
        Ok(Self {
            word_level: Level::new(level)?,
            ..self
        })
    }

    /// The gzip level of the fragments alone, one per page, made as the
    /// pages are parsed.
    pub fn with_fragment_level(self, level: u32) -> Result<Self> {
        Ok(Self {
            fragment_level: Level::new(level)?,
            ..self
        })
    }

    /// Parses one HTML page into a record. `url` is taken as given. `memo`
    /// holds the words of pages parsed before with this indexer: keep one
    /// per thread.
    pub fn record(&self, url: String, html: String, memo: &mut WordMemo) -> Result<PageRecord> {
        self.record_of(Fossicker::new_synthetic(None, Some(url), html), memo)
    }

    /// `record`, but a page the well-formed reader (13) cannot read whole
    /// is given as `view(html)`: a caller that can cut a page down to what
    /// Pagefind reads of it does that only for the pages that need it. The
    /// page is borrowed: the reader keeps nothing of it, so only a page it
    /// declines is copied, into its view (26).
    pub fn record_or_view(
        &self,
        url: String,
        html: &str,
        view: impl FnOnce(&str) -> String,
        memo: &mut WordMemo,
    ) -> Result<PageRecord> {
        let page = match crate::fossick::parser::parse_well_formed(html, &self.options) {
            Some(mut data) => {
                if let Some(language) = &self.options.force_language {
                    data.language = language.clone();
                }
                Fossicker::new_with_data(url, data)
            }
            None => Fossicker::new_synthetic(None, Some(url), view(html)),
        };
        self.record_of(page, memo)
    }

    fn record_of(&self, page: Fossicker, memo: &mut WordMemo) -> Result<PageRecord> {
        let (page, words) = page.fossick_words(&self.options, memo)?;
        let meta_fields: Vec<String> = page.fragment.data.meta.keys().cloned().collect();
        let identity: Vec<u16> = (0..meta_fields.len() as u16).collect();
        let has_words = !words.is_empty();
        let words = page_words::encode_page_words(&words, memo, page.meta_word_data, &identity);
        let json = page.fragment.data.to_json();
        Ok(PageRecord {
            fragment_hash: full_hash(json.as_bytes()),
            fragment: gzip(json.as_bytes(), self.fragment_level),
            words,
            url: page.url,
            language: page.language,
            has_custom_body: page.has_custom_body,
            force_inclusion: page.force_inclusion,
            has_words,
            sort: page.sort,
            filters: page.fragment.data.filters,
            meta_fields,
            word_count: page.fragment.data.word_count,
        })
    }

    /// The index files for `records`, in the order given (which decides
    /// page numbers: give the same order for the same output). Records with
    /// the same URL are the caller's to avoid. brum patch: `kept` is what
    /// the last call left there (or a new one); only what differs from that
    /// call's records is done again, and the files are the same as without.
    pub fn assemble(
        &self,
        records: &[Arc<PageRecord>],
        kept: &mut Assembly,
    ) -> Result<Vec<SyntheticFile>> {
        let made = self.assemble_with(records, kept, true, None);
        if made.is_err() {
            *kept = Assembly::default();
        }
        made
    }

    /// [`assemble`](Self::assemble) for a caller that will not call again:
    /// nothing is kept, so nothing is copied to keep.
    pub fn assemble_once(&self, records: &[Arc<PageRecord>]) -> Result<Vec<SyntheticFile>> {
        self.assemble_with(records, &mut Assembly::default(), false, None)
    }

    /// [`assemble_once`](Self::assemble_once), giving each language's
    /// fragment and filter files to `early` as soon as they are made, while
    /// the word chunks still are: a caller that writes the files can write
    /// those meanwhile. The files returned are the others.
    pub fn assemble_once_early(
        &self,
        records: &[Arc<PageRecord>],
        early: &(dyn Fn(Vec<SyntheticFile>) + Sync),
    ) -> Result<Vec<SyntheticFile>> {
        self.assemble_with(records, &mut Assembly::default(), false, Some(early))
    }

    fn assemble_with(
        &self,
        records: &[Arc<PageRecord>],
        kept: &mut Assembly,
        keep: bool,
        early: Option<&(dyn Fn(Vec<SyntheticFile>) + Sync)>,
    ) -> Result<Vec<SyntheticFile>> {
        let mut files = Vec::new();
        let mut entries = Vec::new();
        let mut tables = std::mem::take(&mut kept.languages);
        for (language, pages) in by_language(records) {
            let mut table = tables.remove(&language).unwrap_or_default();
            let built = self.language_index(&language, &pages, &mut table, keep, early)?;
            entries.push(built.meta);
            files.extend(built.files);
            if keep {
                kept.languages.insert(language, table);
            }
        }
        files.extend(self.common_files(entries, &mut kept.common));
        Ok(files)
    }

    /// `write_common`'s files, with the entry file for `entries`; the rest
    /// made once and kept in `kept`.
    fn common_files(
        &self,
        entries: Vec<LanguageMeta>,
        kept: &mut Vec<SyntheticFile>,
    ) -> Vec<SyntheticFile> {
        const ENTRY: &str = "pagefind-entry.json";
        if kept.is_empty() {
            let outdir = self.options.bundle_output.clone();
            let common = futures::executor::block_on(output::write_common_to_memory(
                Vec::new(),
                self.options.write_playground,
                &outdir,
                &self.options,
            ));
            *kept = common
                .into_iter()
                .map(|mut file| {
                    if let Ok(relative) = file.filename.strip_prefix(&outdir) {
                        file.filename = relative.to_path_buf();
                    }
                    file
                })
                .filter(|file| file.filename.as_os_str() != ENTRY)
                .collect();
        }
        let mut files = kept.clone();
        files.push(SyntheticFile {
            filename: ENTRY.into(),
            contents: output::entry_json(entries, &self.options).into_bytes(),
        });
        files
    }

    /// One language's index: `build_indexes` and `write_files` of upstream,
    /// from records; the word index through `words`, which keeps it when
    /// `keep`.
    fn language_index(
        &self,
        language: &str,
        records: &[Arc<PageRecord>],
        words: &mut WordTable,
        keep: bool,
        early: Option<&(dyn Fn(Vec<SyntheticFile>) + Sync)>,
    ) -> Result<LanguageFiles> {
        if u32::try_from(records.len()).is_err() {
            bail!("Language {language} has too many documents to index, must be < {}", u32::MAX);
        }
        let pages: Vec<&PageRecord> = records.iter().map(|r| &**r).collect();
        let pages = pages.as_slice();
        let meta_fields: Vec<String> = pages
            .iter()
            .flat_map(|p| p.meta_fields.iter().map(String::as_str))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(str::to_string)
            .collect();
        // brum patch: the fragments, filters and sorts are made on this
        // thread while the others start on the word chunks, rather than
        // before them with the others idle; and handed to `early` then.
        let chunk_size = self.options.index_chunk_size;
        let (listed, chunks) = rayon::join(
            || {
                let mut listed = self.page_files(language, pages);
                if let Some(early) = early {
                    early(std::mem::take(&mut listed.files));
                }
                listed
            },
            || words.chunks(records.to_vec(), &meta_fields, chunk_size, self.word_level),
        );
        let PageFiles { mut files, pages: meta_pages, filters, sorts } = listed;
        let mut meta = MetaIndex {
            version: self.options.version.into(),
            pages: meta_pages,
            index_chunks: Vec::new(),
            filters,
            sorts,
            meta_fields,
        };
        meta.index_chunks = chunks
            .iter()
            .map(|c| MetaChunk {
                from: c.range.from.clone(),
                to: c.range.to.clone(),
                hash: String::new(),
            })
            .collect();
        trim_chunk_meta(&mut meta.index_chunks);
        let named = short_names(language, chunks.iter().map(|c| c.hash.as_str()));
        for ((chunk, name), range) in chunks.iter_mut().zip(named).zip(&mut meta.index_chunks) {
            let contents = match keep {
                true => chunk.compressed.clone(),
                false => std::mem::take(&mut chunk.compressed),
            };
            files.push(SyntheticFile {
                filename: format!("index/{name}.pf_index").into(),
                contents,
            });
            range.hash = name;
        }
        let mut meta_bytes: Vec<u8> = Vec::new();
        let _ = minicbor::encode::<MetaIndex, &mut Vec<u8>>(meta, meta_bytes.as_mut());
        let meta_hash = format!(
            "{language}_{}",
            &full_hash(&meta_bytes)[0..=(language.len() + 7)]
        );
        files.push(self.compressed(format!("pagefind.{meta_hash}.pf_meta"), &meta_bytes));
        let wasm = output::language_wasm(language);
        if let Some((_, bytes)) = &wasm {
            files.push(SyntheticFile {
                filename: format!("wasm.{language}.pagefind").into(),
                contents: bytes.to_vec(),
            });
        }
        Ok(LanguageFiles {
            files,
            meta: LanguageMeta {
                page_count: pages.len(),
                language: language.to_string(),
                hash: meta_hash,
                wasm: wasm.map(|(name, _)| name),
            },
        })
    }

    /// A language's fragment and filter files, with their entries in the
    /// meta index, and its sort orders.
    fn page_files(&self, language: &str, pages: &[&PageRecord]) -> PageFiles {
        let mut listed = PageFiles {
            files: Vec::new(),
            pages: Vec::new(),
            filters: Vec::new(),
            sorts: sorts(pages),
        };
        for (hash, page) in fragment_names(language, pages) {
            listed.files.push(SyntheticFile {
                filename: format!("fragment/{hash}.pf_fragment").into(),
                contents: page.fragment.clone(),
            });
            listed.pages.push(MetaPage {
                hash,
                word_count: page.word_count as u32,
                group_hash: "".into(),
            });
        }
        for (filter, hash, bytes) in filter_indexes(language, pages) {
            listed.files.push(self.compressed(format!("filter/{hash}.pf_filter"), &bytes));
            listed.filters.push(MetaFilter { filter, hash });
        }
        listed
    }

    fn compressed(&self, filename: String, bytes: &[u8]) -> SyntheticFile {
        SyntheticFile {
            filename: filename.into(),
            contents: gzip(bytes, self.level),
        }
    }
}

/// What [`RecordIndexer::page_files`] makes.
struct PageFiles {
    files: Vec<SyntheticFile>,
    pages: Vec<MetaPage>,
    filters: Vec<MetaFilter>,
    sorts: Vec<MetaSort>,
}

struct LanguageFiles {
    files: Vec<SyntheticFile>,
    meta: LanguageMeta,
}

/// The records that go into an index, by language, as `build_indexes` of
/// `SearchState` chooses them: with a `data-pagefind-body` anywhere, only
/// pages with one (or forced in); only pages with words; pages of no known
/// language join the language with the most pages.
fn by_language(records: &[Arc<PageRecord>]) -> BTreeMap<String, Vec<Arc<PageRecord>>> {
    let used_custom_body = records.iter().any(|r| r.has_custom_body);
    let mut languages: BTreeMap<String, Vec<Arc<PageRecord>>> = BTreeMap::new();
    for record in records {
        if (used_custom_body && !record.has_custom_body && !record.force_inclusion)
            || !record.has_words
        {
            continue;
        }
        languages
            .entry(record.language.clone())
            .or_default()
            .push(record.clone());
    }
    let primary = languages
        .iter()
        .filter(|(language, _)| language.as_str() != "unknown")
        .max_by(|(a, pages_a), (b, pages_b)| pages_a.len().cmp(&pages_b.len()).then(b.cmp(a)))
        .map(|(language, _)| language.clone())
        .unwrap_or_else(|| "unknown".into());
    if let Some(unknown) = languages.remove("unknown") {
        languages.entry(primary).or_default().extend(unknown);
    }
    languages
}

/// The sort orders, as `build_indexes` makes them.
fn sorts(pages: &[&PageRecord]) -> Vec<MetaSort> {
    let keys: BTreeSet<&String> = pages.iter().flat_map(|p| p.sort.keys()).collect();
    let number = |v: &str| {
        parse_int_sort(v)
            .map(|i| i as f32)
            .unwrap_or_else(|| parse_float_sort(v).unwrap_or_default())
    };
    keys.into_iter()
        .map(|key| {
            let mut values: Vec<(&String, usize)> = pages
                .iter()
                .enumerate()
                .filter_map(|(n, p)| p.sort.get(key).map(|v| (v, n)))
                .collect();
            let numeric = values
                .iter()
                .all(|(v, _)| parse_int_sort(v).is_some() || parse_float_sort(v).is_some());
            match if numeric { SortType::Number } else { SortType::String } {
                SortType::String => values.sort_by_key(|p| p.0),
                SortType::Number => values.sort_by(|a, b| number(a.0).total_cmp(&number(b.0))),
            }
            MetaSort {
                sort: key.clone(),
                pages: values.into_iter().map(|(_, n)| n).collect(),
            }
        })
        .collect()
}

/// Each page's fragment name, in page order: the first `language.len() + 8`
/// characters of `<language>_<hash>` (`full_hash`), one longer at a time while taken.
fn fragment_names<'a>(
    language: &str,
    pages: &[&'a PageRecord],
) -> Vec<(String, &'a PageRecord)> {
    let mut taken: HashMap<String, &str> = HashMap::new();
    let mut named = Vec::with_capacity(pages.len());
    for &page in pages {
        let full = format!("{language}_{}", page.fragment_hash);
        let mut length = language.len() + 8;
        while let Some(other) = taken.get(&full[..length.min(full.len())]) {
            if *other == full.as_str() || length >= full.len() {
                break;
            }
            length += 1;
        }
        let name = full[..length.min(full.len())].to_string();
        taken.insert(name.clone(), &page.fragment_hash);
        named.push((name, page));
    }
    named
}

/// The filter indexes: (filter, file name, bytes), by filter name.
fn filter_indexes(language: &str, pages: &[&PageRecord]) -> Vec<(String, String, Vec<u8>)> {
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (n, page) in pages.iter().enumerate() {
        for (filter, values) in &page.filters {
            let filter = filters.entry(filter).or_default();
            for value in values {
                filter.entry(value).or_default().push(n);
            }
        }
    }
    let encoded: Vec<(String, Vec<u8>, String)> = filters
        .into_iter()
        .map(|(filter, values)| {
            let index = FilterIndex {
                filter: filter.to_string(),
                values: values
                    .into_iter()
                    .map(|(value, pages)| PackedValue {
                        value: value.to_string(),
                        pages,
                    })
                    .collect(),
            };
            let mut bytes: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<FilterIndex, &mut Vec<u8>>(index, bytes.as_mut());
            let hash = full_hash(&bytes);
            (filter.to_string(), bytes, hash)
        })
        .collect();
    let names = short_names(language, encoded.iter().map(|(_, _, hash)| hash.as_str()));
    encoded
        .into_iter()
        .zip(names)
        .map(|((filter, bytes, _), name)| (filter, name, bytes))
        .collect()
}

/// Short names for hashed files, in order, as upstream gives word and
/// filter indexes: `<language>_` and 7 characters of the hash, two more at
/// a time while the name is taken, up to the whole hash.
fn short_names<'a>(language: &str, hashes: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken: hashbrown::HashSet<String> = hashbrown::HashSet::new();
    hashes
        .map(|hash| {
            let full = format!("{language}_{hash}");
            let mut end = language.len() + 8;
            // Upstream's slice `0..=len + 1` grows the name by two.
            while taken.contains(&full[..end]) {
                end = (end + 2).min(full.len());
                if end == full.len() {
                    break;
                }
            }
            taken.insert(full[..end].to_string());
            full[..end].to_string()
        })
        .collect()
}

/// Adds one page's postings of a word, as `build_indexes` merges pages.
/// brum patch: `merge_word(merged, decode_word(..))` without making a
/// string for a word (or variant) already merged, nor a vector of its pages
/// on the way: assembly read each word once per page it is on. Now (17)
/// the reference `ChunkWriter`, which writes the chunk without it, is
/// tested against.
#[cfg(test)]
fn merge_decoded(
    merged: &mut Option<PackedWord>,
    bytes: &[u8],
    at: &mut usize,
    page_number: usize,
    field_ids: &[i32],
) {
    let Some(existing) = merged else {
        *merged = Some(decode_word(bytes, at, page_number, field_ids));
        return;
    };
    read_bytes(bytes, at);
    read_pages_into(&mut existing.pages, bytes, at, page_number, field_ids);
    for _ in 0..read_varint(bytes, at) {
        let form = read_bytes(bytes, at);
        let known = existing
            .additional_variants
            .iter()
            .position(|v| v.form.as_bytes() == form);
        let index = known.unwrap_or_else(|| {
            existing.additional_variants.push(PackedVariant {
                form: String::from_utf8_lossy(form).into_owned(),
                pages: Vec::new(),
            });
            existing.additional_variants.len() - 1
        });
        let pages = &mut existing.additional_variants[index].pages;
        read_pages_into(pages, bytes, at, page_number, field_ids);
    }
}

#[cfg(test)]
fn merge_word(merged: &mut Option<PackedWord>, page: PackedWord) {
    let Some(existing) = merged else {
        *merged = Some(page);
        return;
    };
    existing.pages.extend(page.pages);
    for variant in page.additional_variants {
        match existing
            .additional_variants
            .iter_mut()
            .find(|v| v.form == variant.form)
        {
            Some(known) => known.pages.extend(variant.pages),
            None => existing.additional_variants.push(variant),
        }
    }
}

/// A chunk's range (untrimmed, see `trim_chunk_meta`) and its CBOR, page
/// numbers delta-encoded as upstream does.
#[cfg(test)]
fn encode_chunk(chunk: Vec<PackedWord>) -> (MetaChunk, Vec<u8>) {
    let range = MetaChunk {
        from: chunk.first().map_or("".into(), |w| w.word.clone()),
        to: chunk.last().map_or("".into(), |w| w.word.clone()),
        hash: "".into(),
    };
    (range, chunk_cbor::word_index(&chunk))
}

#[cfg(test)]
fn delta_pages(pages: &mut [PackedPage]) {
    let mut last = 0;
    for page in pages {
        let delta = page.page_number - last;
        last = page.page_number;
        page.page_number = delta;
    }
}

// The postings of a record: for each word, in byte order of the words,
//   word, pages (0 or 1 of: locs, meta locs),
//   variants (each: form, pages as above),
// with strings as a length and bytes, counts and lengths as LEB128 varints,
// and locations zigzag-encoded. Meta locations carry the page's own field
// ids, mapped to the index's when the record is read.

// brum patch: the reference `page_words` is tested against.
#[cfg(test)]
fn encode_words(words: HashMap<String, PackedWord>) -> Vec<u8> {
    let mut words: Vec<PackedWord> = words.into_values().collect();
    words.sort_unstable_by(|a, b| a.word.cmp(&b.word));
    let mut out = Vec::new();
    for word in &words {
        write_bytes(&mut out, word.word.as_bytes());
        write_pages(&mut out, &word.pages);
        write_varint(&mut out, word.additional_variants.len() as u32);
        for variant in &word.additional_variants {
            write_bytes(&mut out, variant.form.as_bytes());
            write_pages(&mut out, &variant.pages);
        }
    }
    out.shrink_to_fit();
    out
}

// brum patch: the reference `page_words` is tested against.
#[cfg(test)]
fn write_pages(out: &mut Vec<u8>, pages: &[PackedPage]) {
    write_varint(out, pages.len() as u32);
    for page in pages {
        write_locs(out, &page.locs);
        write_locs(out, &page.meta_locs);
    }
}

fn write_locs(out: &mut Vec<u8>, locs: &[i32]) {
    write_varint(out, locs.len() as u32);
    for &loc in locs {
        write_varint(out, ((loc << 1) ^ (loc >> 31)) as u32);
    }
}

fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_varint(out, bytes.len() as u32);
    out.extend_from_slice(bytes);
}

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let byte = bytes[*at];
        *at += 1;
        value |= u32::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return value;
        }
        shift += 7;
    }
}

fn read_bytes<'a>(bytes: &'a [u8], at: &mut usize) -> &'a [u8] {
    let len = read_varint(bytes, at) as usize;
    let out = &bytes[*at..*at + len];
    *at += len;
    out
}

#[cfg(test)]
fn read_string(bytes: &[u8], at: &mut usize) -> String {
    String::from_utf8_lossy(read_bytes(bytes, at)).into_owned()
}

fn skip_word_postings(bytes: &[u8], at: &mut usize) {
    skip_pages(bytes, at);
    for _ in 0..read_varint(bytes, at) {
        read_bytes(bytes, at);
        skip_pages(bytes, at);
    }
}

fn skip_pages(bytes: &[u8], at: &mut usize) {
    for _ in 0..read_varint(bytes, at) {
        for _ in 0..2 {
            for _ in 0..read_varint(bytes, at) {
                read_varint(bytes, at);
            }
        }
    }
}

/// The word at `at`, as page `page_number` of an index whose meta field ids
/// are `field_ids` (by the page's own).
#[cfg(test)]
fn decode_word(bytes: &[u8], at: &mut usize, page_number: usize, field_ids: &[i32]) -> PackedWord {
    let word = read_string(bytes, at);
    let pages = read_pages(bytes, at, page_number, field_ids);
    let variants = (0..read_varint(bytes, at))
        .map(|_| PackedVariant {
            form: read_string(bytes, at),
            pages: read_pages(bytes, at, page_number, field_ids),
        })
        .collect();
    PackedWord {
        word,
        pages,
        additional_variants: variants,
    }
}

#[cfg(test)]
fn read_pages(bytes: &[u8], at: &mut usize, page_number: usize, field_ids: &[i32]) -> Vec<PackedPage> {
    let mut pages = Vec::new();
    read_pages_into(&mut pages, bytes, at, page_number, field_ids);
    pages
}

#[cfg(test)]
fn read_pages_into(
    pages: &mut Vec<PackedPage>,
    bytes: &[u8],
    at: &mut usize,
    page_number: usize,
    field_ids: &[i32],
) {
    for _ in 0..read_varint(bytes, at) {
        let locs = read_locs(bytes, at);
        let mut meta_locs = read_locs(bytes, at);
        for loc in meta_locs.iter_mut() {
            *loc = index_meta_loc(*loc, field_ids);
        }
        pages.push(PackedPage {
            page_number,
            locs,
            meta_locs,
        });
    }
}

#[cfg(test)]
fn read_locs(bytes: &[u8], at: &mut usize) -> Vec<i32> {
    (0..read_varint(bytes, at)).map(|_| read_loc(bytes, at)).collect()
}

/// A location as `write_locs` wrote it (zigzag-encoded).
fn read_loc(bytes: &[u8], at: &mut usize) -> i32 {
    let v = read_varint(bytes, at);
    ((v >> 1) as i32) ^ -((v & 1) as i32)
}

/// A record's meta location as the index has it: a negative location starts
/// a meta field, -(id + 1), by the page's own id, mapped through `field_ids`.
fn index_meta_loc(loc: i32, field_ids: &[i32]) -> i32 {
    if loc >= 0 {
        return loc;
    }
    let own = (-loc - 1) as usize;
    -field_ids.get(own).copied().unwrap_or(own as i32) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_survive_the_round_trip() {
        let mut words = HashMap::new();
        words.insert(
            "cafe".to_string(),
            PackedWord {
                word: "cafe".into(),
                pages: vec![PackedPage {
                    page_number: 0,
                    locs: vec![3, -49, 7, 1_000_000],
                    meta_locs: vec![-2, 0, 4],
                }],
                additional_variants: vec![PackedVariant {
                    form: "café".into(),
                    pages: vec![PackedPage {
                        page_number: 0,
                        locs: vec![12],
                        meta_locs: vec![],
                    }],
                }],
            },
        );
        let bytes = encode_words(words);
        let mut at = 0;
        let word = decode_word(&bytes, &mut at, 5, &[0, 3]);
        assert_eq!(at, bytes.len());
        assert_eq!(word.word, "cafe");
        assert_eq!(word.pages[0].page_number, 5);
        assert_eq!(word.pages[0].locs, vec![3, -49, 7, 1_000_000]);
        assert_eq!(word.pages[0].meta_locs, vec![-4, 0, 4]);
        assert_eq!(word.additional_variants[0].form, "café");
        assert_eq!(word.additional_variants[0].pages[0].locs, vec![12]);
    }

    /// Three pages' postings of one word, with a variant on two of them and
    /// another on one, merged both ways.
    #[test]
    fn merge_decoded_merges_as_merge_word_did() {
        let page = |n: usize, variants: &[&str]| {
            let mut words = HashMap::new();
            let pages = |loc| vec![PackedPage { page_number: n, locs: vec![loc, n as i32], meta_locs: vec![-1, 1] }];
            words.insert(
                "cafe".to_string(),
                PackedWord {
                    word: "cafe".into(),
                    pages: pages(1),
                    additional_variants: variants
                        .iter()
                        .map(|v| PackedVariant { form: v.to_string(), pages: pages(7) })
                        .collect(),
                },
            );
            encode_words(words)
        };
        let pages = [page(0, &["café"]), page(1, &[]), page(2, &["cafè", "café"])];
        let (mut by_word, mut decoded) = (None, None);
        for (n, bytes) in pages.iter().enumerate() {
            let ids = [n as i32 + 3, 0];
            merge_word(&mut by_word, decode_word(bytes, &mut 0, n, &ids));
            let mut at = 0;
            merge_decoded(&mut decoded, bytes, &mut at, n, &ids);
            assert_eq!(at, bytes.len());
        }
        let show = |w: Option<PackedWord>| {
            let w = w.unwrap();
            let pages = |p: &[PackedPage]| p.iter().map(|p| (p.page_number, p.locs.clone(), p.meta_locs.clone())).collect::<Vec<_>>();
            let variants: Vec<_> = w.additional_variants.iter().map(|v| (v.form.clone(), pages(&v.pages))).collect();
            format!("{} {:?} {:?}", w.word, pages(&w.pages), variants)
        };
        let (by_word, decoded) = (show(by_word), show(decoded));
        assert!(by_word.contains("cafè") && by_word.contains("(2, [1, 2], [-6, 1])"), "{by_word}");
        assert_eq!(decoded, by_word);
    }

    #[test]
    fn page_words_encode_as_page_word_map_and_encode_words_did() {
        let pages = [
            r#"<html lang="en"><head><title>Café</title></head><body><main data-pagefind-body
              data-pagefind-meta="type:Café story, place:naïve Digbeth">
              <h1>Café culture: the café and the cafe</h1><p>A naïve café, a naive one; Café Naïve.
              camelCaseWords and sysconfig.is_python_build.</p>
              <p data-pagefind-weight="0">Unweighted café</p><p data-pagefind-weight="3">Weighted naïve</p>
              <h2>Résumé</h2><p>résumé resume Resume</p></main></body></html>"#,
            r#"<html lang="en"><body><main data-pagefind-body data-pagefind-meta="title:Only in the title, author:Zoë">
              <p>Plain words only.</p></main></body></html>"#,
        ];
        let maker = RecordIndexer::new(None, 6).unwrap();
        let page_of = |html: &str| Fossicker::new_synthetic(None, Some("/y/".into()), html.to_string());
        for html in pages {
            let page = || Fossicker::new_synthetic(None, Some("/x/".into()), html.to_string());
            let a = page().fossick_sync_with(&maker.options, &mut WordMemo::default()).unwrap();
            // A memo that has read other pages first, as a caller's would.
            let mut memo = WordMemo::default();
            for other in pages.iter().rev() {
                page_of(other).fossick_words(&maker.options, &mut memo).unwrap();
            }
            let (b, words) = page().fossick_words(&maker.options, &mut memo).unwrap();
            let ids: Vec<u16> = (0..a.fragment.data.meta.len() as u16).collect();
            assert!(a.meta_word_data.values().flatten().any(|w| w.original_word.is_some()) || html.contains("Zoë"));
            let upstream = encode_words(page_word_map(a.word_data, a.meta_word_data, 0, &ids));
            let ours = page_words::encode_page_words(&words, &memo, b.meta_word_data, &ids);
            assert!(upstream == ours, "{html}");
        }
    }
}
