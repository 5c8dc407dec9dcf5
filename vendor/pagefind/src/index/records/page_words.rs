//! brum patch: a page's words encoded straight from what fossicking found,
//! the bytes `encode_words(page_word_map(..))` makes, without building a
//! `PackedWord`, `PackedPage` and their vectors for every word of every
//! page only to write them out and drop them (section 12 of PATCHED.md).

use std::collections::BTreeMap;

use hashbrown::HashMap;

use super::{write_bytes, write_locs, write_varint};
use crate::fossick::{MetaFossickedWord, PageWords, WordAt, WordMemo};

/// A word's postings on the page: in its text (`locs`) and in its meta
/// fields (`meta`), packed as `positions_to_packed_page` and
/// `meta_positions_to_packed` pack them.
#[derive(Default)]
struct Postings {
    locs: Option<Vec<i32>>,
    meta: Option<Vec<i32>>,
}

/// The record's word bytes for a page's `words` (numbered by `memo`, which
/// read the page last) and `meta_words`, field ids mapped through
/// `field_ids`.
pub(super) fn encode_page_words(
    words: &PageWords,
    memo: &WordMemo,
    meta_words: HashMap<String, Vec<MetaFossickedWord>>,
    field_ids: &[u16],
) -> Vec<u8> {
    // Most words differ in their first eight bytes: compared as a number
    // first, the strings themselves are seldom looked at when sorting.
    type Found<'a> = (u64, &'a str, &'a [WordAt], Option<&'a Vec<MetaFossickedWord>>);
    let mut all: Vec<Found> = words.stems(memo).map(|(word, at)| (prefix(word), word, at, None)).collect();
    for (word, found) in &meta_words {
        match memo.place_of(word) {
            Some(place) => all[place].3 = Some(found),
            None => all.push((prefix(word), word.as_str(), &[], Some(found))),
        }
    }
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let mut out = Vec::new();
    let mut scratch = Vec::new();
    for (_, word, found, meta) in all {
        let mut plain = Postings::default();
        let mut variants: Vec<(&str, Postings)> = Vec::new();
        if !found.is_empty() {
            plain.locs = pack_text(found.iter().filter(|w| w.original.is_none()), &mut scratch);
            let forms = found.iter().map(|w| (w, w.original.map(|o| memo.string(o))));
            for (form, found) in by_form(forms) {
                let locs = pack_text(found.into_iter(), &mut scratch);
                variants.push((form, Postings { locs, meta: None }));
            }
        }
        if let Some(found) = meta {
            let plain_meta = found.iter().filter(|w| w.original_word.is_none());
            if let Some(meta) = pack_meta(plain_meta, field_ids) {
                plain.meta = Some(meta);
            }
            let text_forms = variants.len();
            for (form, found) in by_form(found.iter().map(|w| (w, w.original_word.as_deref()))) {
                let meta = pack_meta(found.into_iter(), field_ids);
                match variants[..text_forms].iter_mut().find(|(f, _)| *f == form) {
                    Some((_, postings)) => postings.meta = meta,
                    None => variants.push((form, Postings { locs: None, meta })),
                }
            }
        }
        write_bytes(&mut out, word.as_bytes());
        write_postings(&mut out, &plain);
        write_varint(&mut out, variants.len() as u32);
        for (form, postings) in &variants {
            write_bytes(&mut out, form.as_bytes());
            write_postings(&mut out, postings);
        }
    }
    out.shrink_to_fit();
    out
}

/// The first eight bytes of `word` (zeros after its end) as a number that
/// orders as they do.
fn prefix(word: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = word.len().min(8);
    bytes[..n].copy_from_slice(&word.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// The positions with an original form, grouped by it in the forms' order.
fn by_form<'a, T>(found: impl Iterator<Item = (&'a T, Option<&'a str>)>) -> BTreeMap<&'a str, Vec<&'a T>> {
    let mut forms: BTreeMap<&str, Vec<&T>> = BTreeMap::new();
    for (word, form) in found {
        if let Some(form) = form {
            forms.entry(form).or_default().push(word);
        }
    }
    forms
}

/// A page's entry: none when the word has no postings of either kind here,
/// else one page with its text and meta locations (either may be empty).
fn write_postings(out: &mut Vec<u8>, postings: &Postings) {
    if postings.locs.is_none() && postings.meta.is_none() {
        write_varint(out, 0);
        return;
    }
    write_varint(out, 1);
    for locs in [&postings.locs, &postings.meta] {
        write_locs(out, locs.as_deref().unwrap_or_default());
    }
}

/// `positions_to_packed_page`'s locations; None when there are no positions.
fn pack_text<'a>(
    found: impl Iterator<Item = &'a WordAt>,
    scratch: &mut Vec<(u8, u32, u8)>,
) -> Option<Vec<i32>> {
    scratch.clear();
    scratch.extend(found.map(|w| {
        let key = if w.weight == 25 { 0 } else { w.weight };
        (key, w.position, w.weight)
    }));
    if scratch.is_empty() {
        return None;
    }
    scratch.sort_by_key(|&(key, position, _)| (key, position));
    let mut current_weight = 25;
    let mut last_position = 0;
    // A change of weight takes two entries: sized for them, so that the
    // vector is not grown (a copy) for nearly every word (15).
    let changes = usize::from(scratch[0].2 != current_weight)
        + scratch.windows(2).filter(|w| w[0].2 != w[1].2).count();
    let mut locs = Vec::with_capacity(scratch.len() + changes);
    for &(_, position, weight) in scratch.iter() {
        if weight != current_weight {
            locs.push(-(weight as i32) - 1);
            locs.push(position as i32);
            current_weight = weight;
        } else {
            locs.push((position - last_position) as i32);
        }
        last_position = position;
    }
    Some(locs)
}

/// `meta_positions_to_packed`'s locations; None when there are none.
fn pack_meta<'a>(found: impl Iterator<Item = &'a MetaFossickedWord>, field_ids: &[u16]) -> Option<Vec<i32>> {
    let mut positions: Vec<(u16, u32)> = found
        .map(|w| (field_ids[w.field_id as usize], w.position))
        .collect();
    if positions.is_empty() {
        return None;
    }
    positions.sort_unstable();
    let mut current_field = None;
    let mut last_position = 0;
    let mut locs = Vec::with_capacity(positions.len() + 8);
    for (field, position) in positions {
        if Some(field) != current_field {
            locs.push(-(field as i32) - 1);
            current_field = Some(field);
            last_position = 0;
        }
        locs.push((position - last_position) as i32);
        last_position = position;
    }
    Some(locs)
}
