//! brum patch (16): a word chunk's CBOR written straight into a buffer.
//!
//! `minicbor`'s derived encoder wrote each of a chunk's millions of small
//! integers through its `Write` trait, a call, a length check and a copy of
//! one to five bytes each: more than 200 instructions an integer, and a
//! fifteenth of a search build's time. The bytes are the same: CBOR's
//! shortest form, structs as arrays of their fields in `#[n]` order, vectors
//! as definite-length arrays, strings as text (tested against `minicbor`).

use super::{index_meta_loc, read_bytes, read_loc, read_varint};
#[cfg(test)]
use crate::index::index_words::{PackedPage, PackedWord};

const UNSIGNED: u8 = 0;
const NEGATIVE: u8 = 1;
const TEXT: u8 = 3;
const ARRAY: u8 = 4;

/// Where a page's record holds a word: its postings' bytes from `at`, the
/// page's number in the index, its meta field ids there (by its own).
pub(super) struct PagePostings<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
    pub page: usize,
    pub field_ids: &'a [i32],
}

/// A chunk written word by word straight from the page records (17): the
/// bytes [`word_index`] writes for the words `merge_decoded` would make of
/// the same postings, without making them.
pub(super) struct ChunkWriter<'a> {
    out: Vec<u8>,
    plain: Vec<u8>,
    variants: Vec<Variant<'a>>,
}

/// A variant's pages as they are written, before its head can be.
struct Variant<'a> {
    form: &'a [u8],
    pages: Vec<u8>,
    count: u64,
    last: usize,
}

impl<'a> ChunkWriter<'a> {
    /// A chunk of `words` words.
    pub fn new(words: usize) -> Self {
        let mut out = Vec::with_capacity(64 * words);
        head(&mut out, ARRAY, 1);
        head(&mut out, ARRAY, words as u64);
        ChunkWriter { out, plain: Vec::new(), variants: Vec::new() }
    }

    /// The word `word` from its `postings`, in page order; at least one.
    pub fn word(&mut self, word: &[u8], postings: impl Iterator<Item = PagePostings<'a>>) {
        let (mut plain, mut last) = (0, 0);
        self.plain.clear();
        self.variants.clear();
        for p in postings {
            let mut at = p.at;
            read_bytes(p.bytes, &mut at);
            plain += copy_pages(&mut self.plain, &p, &mut at, &mut last);
            for _ in 0..read_varint(p.bytes, &mut at) {
                let form = read_bytes(p.bytes, &mut at);
                let known = self.variants.iter().position(|v| v.form == form);
                let index = known.unwrap_or_else(|| {
                    let pages = Vec::new();
                    self.variants.push(Variant { form, pages, count: 0, last: 0 });
                    self.variants.len() - 1
                });
                let v = &mut self.variants[index];
                v.count += copy_pages(&mut v.pages, &p, &mut at, &mut v.last);
            }
        }
        let out = &mut self.out;
        head(out, ARRAY, 3);
        text(out, &String::from_utf8_lossy(word));
        head(out, ARRAY, plain);
        out.extend_from_slice(&self.plain);
        head(out, ARRAY, self.variants.len() as u64);
        for v in &self.variants {
            head(out, ARRAY, 2);
            text(out, &String::from_utf8_lossy(v.form));
            head(out, ARRAY, v.count);
            out.extend_from_slice(&v.pages);
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// Writes the pages of a posting list at `at` as `PackedPage`s, page
/// numbers as the difference from `last`, meta fields by the index's ids;
/// how many.
fn copy_pages(out: &mut Vec<u8>, p: &PagePostings, at: &mut usize, last: &mut usize) -> u64 {
    let pages = read_varint(p.bytes, at);
    for _ in 0..pages {
        head(out, ARRAY, 3);
        head(out, UNSIGNED, (p.page - *last) as u64);
        *last = p.page;
        for meta in [false, true] {
            let locs = read_varint(p.bytes, at);
            head(out, ARRAY, locs as u64);
            for _ in 0..locs {
                let loc = read_loc(p.bytes, at);
                int(out, if meta { index_meta_loc(loc, p.field_ids) } else { loc });
            }
        }
    }
    u64::from(pages)
}

/// `WordIndex { words }` as `minicbor::encode` writes it, page numbers
/// delta-encoded within each list of pages as upstream stores them.
#[cfg(test)]
pub(super) fn word_index(words: &[PackedWord]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * words.len());
    head(&mut out, ARRAY, 1);
    head(&mut out, ARRAY, words.len() as u64);
    for word in words {
        head(&mut out, ARRAY, 3);
        text(&mut out, &word.word);
        pages(&mut out, &word.pages);
        head(&mut out, ARRAY, word.additional_variants.len() as u64);
        for variant in &word.additional_variants {
            head(&mut out, ARRAY, 2);
            text(&mut out, &variant.form);
            pages(&mut out, &variant.pages);
        }
    }
    out
}

#[cfg(test)]
fn pages(out: &mut Vec<u8>, pages: &[PackedPage]) {
    head(out, ARRAY, pages.len() as u64);
    let mut last = 0;
    for page in pages {
        head(out, ARRAY, 3);
        head(out, UNSIGNED, (page.page_number - last) as u64);
        last = page.page_number;
        for locs in [&page.locs, &page.meta_locs] {
            head(out, ARRAY, locs.len() as u64);
            for &loc in locs.iter() {
                int(out, loc);
            }
        }
    }
}

fn text(out: &mut Vec<u8>, s: &str) {
    head(out, TEXT, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn int(out: &mut Vec<u8>, n: i32) {
    match n {
        0.. => head(out, UNSIGNED, n as u64),
        _ => head(out, NEGATIVE, (-1 - n as i64) as u64),
    }
}

/// A data item's head: its major type and argument in the shortest form.
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let major = major << 5;
    if n < 24 {
        out.push(major | n as u8);
    } else if n <= u8::MAX as u64 {
        out.extend_from_slice(&[major | 24, n as u8]);
    } else if n <= u16::MAX as u64 {
        out.push(major | 25);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else if n <= u32::MAX as u64 {
        out.push(major | 26);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(major | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::index_words::{PackedVariant, WordIndex};

    /// Pages' records of random words, variants and meta fields: each word
    /// written from them by `ChunkWriter` as `encode_chunk` writes what
    /// `merge_decoded` makes of them.
    #[test]
    fn writes_a_chunk_as_merging_then_encoding_did() {
        use super::super::{encode_chunk, encode_words, merge_decoded, read_bytes, skip_word_postings};
        use crate::index::index_words::PackedVariant;
        use hashbrown::HashMap;
        let mut seed = 11u64;
        let mut next = move |bound: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % bound
        };
        let vocabulary = ["bull", "canal", "café", "digbeth", "ring", "zoë"];
        for round in 0..100 {
            let pages: Vec<(Vec<u8>, Vec<i32>)> = (0..1 + next(8))
                .map(|_| {
                    let mut words = HashMap::new();
                    for word in vocabulary {
                        if next(3) == 0 {
                            continue;
                        }
                        let list = |next: &mut dyn FnMut(u64) -> u64| {
                            (0..next(2))
                                .map(|_| {
                                    let locs = (0..next(5)).map(|_| next(3000) as i32 - 30).collect();
                                    let meta_locs = (0..next(4))
                                        .map(|i| if i % 2 == 0 { -1 - next(3) as i32 } else { next(9) as i32 })
                                        .collect();
                                    PackedPage { page_number: 0, locs, meta_locs }
                                })
                                .collect()
                        };
                        let pages = list(&mut next);
                        let additional_variants = (0..next(3))
                            .map(|v| PackedVariant { form: format!("{word}{}", ["é", "è", "ë"][v as usize]), pages: list(&mut next) })
                            .collect();
                        words.insert(word.to_string(), PackedWord { word: word.to_string(), pages, additional_variants });
                    }
                    (encode_words(words), vec![next(4) as i32, 2, 0])
                })
                .collect();
            let mut ours = ChunkWriter::new(vocabulary.len());
            let mut merged_words = Vec::new();
            for word in vocabulary {
                let mut places = Vec::new();
                for (n, (bytes, _)) in pages.iter().enumerate() {
                    let mut at = 0;
                    while at < bytes.len() {
                        let start = at;
                        let found = read_bytes(bytes, &mut at) == word.as_bytes();
                        skip_word_postings(bytes, &mut at);
                        if found {
                            places.push((n, start));
                        }
                    }
                }
                if places.is_empty() {
                    continue;
                }
                let mut merged = None;
                for &(n, at) in &places {
                    merge_decoded(&mut merged, &pages[n].0, &mut { at }, n, &pages[n].1);
                }
                merged_words.extend(merged);
                let postings = places.iter().map(|&(n, at)| PagePostings {
                    bytes: &pages[n].0,
                    at,
                    page: n,
                    field_ids: &pages[n].1,
                });
                ours.word(word.as_bytes(), postings);
            }
            let count = merged_words.len();
            let theirs = encode_chunk(merged_words).1;
            let mut ours = ours.finish();
            // ChunkWriter was told every word of the vocabulary would come.
            ours[1] = (ARRAY << 5) | count as u8;
            assert!(ours == theirs, "round {round}");
        }
    }

    /// Words with every size of argument, negative numbers to `i32::MIN`,
    /// strings past 23 and 255 bytes, and variants, written both ways.
    #[test]
    fn writes_what_minicbor_writes() {
        let mut seed = 7u64;
        let mut next = move |bound: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % bound
        };
        let specials = [0, 1, -1, 23, 24, -24, -25, 255, 256, -256, -257, 65535, 65536, -65537, i32::MAX, i32::MIN];
        for round in 0..200 {
            let mut words = Vec::new();
            for w in 0..next(30) {
                let mut page_number = 0;
                let mut page_list = |next: &mut dyn FnMut(u64) -> u64| {
                    (0..next(6))
                        .map(|_| {
                            page_number += next(if round % 3 == 0 { 100_000 } else { 300 }) as usize;
                            let locs = |next: &mut dyn FnMut(u64) -> u64| {
                                (0..next(40))
                                    .map(|_| match next(4) {
                                        0 => specials[next(specials.len() as u64) as usize],
                                        _ => next(70_000) as i32 - 35_000,
                                    })
                                    .collect()
                            };
                            PackedPage { page_number, locs: locs(next), meta_locs: locs(next) }
                        })
                        .collect::<Vec<_>>()
                };
                let word = "w".repeat(1 + (w as usize * 13) % 300);
                let pages = page_list(&mut next);
                let additional_variants = (0..next(3))
                    .map(|v| PackedVariant { form: format!("{word}é{v}"), pages: page_list(&mut next) })
                    .collect();
                words.push(PackedWord { word, pages, additional_variants });
            }
            let ours = word_index(&words);
            let mut delta = words.clone();
            for word in &mut delta {
                super::super::delta_pages(&mut word.pages);
                for variant in &mut word.additional_variants {
                    super::super::delta_pages(&mut variant.pages);
                }
            }
            let mut theirs: Vec<u8> = Vec::new();
            minicbor::encode::<WordIndex, &mut Vec<u8>>(WordIndex { words: delta }, theirs.as_mut()).unwrap();
            assert!(ours == theirs, "round {round}");
        }
    }
}
