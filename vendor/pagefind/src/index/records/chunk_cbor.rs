//! brum patch (16): a word chunk's CBOR written straight into a buffer.
//!
//! `minicbor`'s derived encoder wrote each of a chunk's millions of small
//! integers through its `Write` trait, a call, a length check and a copy of
//! one to five bytes each: more than 200 instructions an integer, and a
//! fifteenth of a search build's time. The bytes are the same: CBOR's
//! shortest form, structs as arrays of their fields in `#[n]` order, vectors
//! as definite-length arrays, strings as text (tested against `minicbor`).

use crate::index::index_words::{PackedPage, PackedWord};

const UNSIGNED: u8 = 0;
const NEGATIVE: u8 = 1;
const TEXT: u8 = 3;
const ARRAY: u8 = 4;

/// `WordIndex { words }` as `minicbor::encode` writes it, page numbers
/// delta-encoded within each list of pages as upstream stores them.
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
