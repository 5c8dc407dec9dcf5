//! brum patch (15): a page's words as numbers.
//!
//! Upstream gathers a page's words into a `HashMap<String, Vec<FossickedWord>>`:
//! every occurrence of a word hashes its stem again, every new stem on a page
//! is copied into a key, and every occurrence whose original form differs
//! copies that form. Here the memo kept between pages numbers each stem and
//! original form once, and remembers for each stem where it is on the page
//! being read, so an occurrence is a push into a vector found by index. The
//! map upstream's callers expect is made from this only for them
//! ([`PageWords::into_map`]); page records are encoded from it directly.

use std::hash::{Hash, Hasher};

use hashbrown::{Equivalent, HashMap};

use super::splitting::IndexableWord;
use super::FossickedWord;

/// brum patch: the words to index for each distinct word of a text, so that
/// a word met again is not normalised, split and stemmed again (a third of
/// the time of parsing a page went on that), and the numbers of their
/// strings (15). Upstream's `fossick_sync` keeps one for a page; a caller
/// parsing many pages with the same options can keep one for them all.
/// Cleared when the language changes, and when it grows past `MAX_WORDS`,
/// so it stays a few megabytes.
#[derive(Default)]
pub struct WordMemo {
    language: String,
    /// A word as it stands in the text → its indexable words, a range of
    /// `found`.
    words: HashMap<Key, (u32, u32)>,
    found: Vec<MemoWord>,
    strings: Strings,
    /// For each string number: the page it was last met on (`page`'s
    /// value then) and its place in that page's [`PageWords`].
    places: Vec<(u32, u32)>,
    page: u32,
}

/// A word of the text as the memo keeps it. brum patch: looked up once for
/// every word of every page. A word of up to [`INLINE`] bytes, nearly every
/// one, is held in the table's entry itself: a key on the heap made each
/// hit a second trip to memory, to compare the word with it, and that trip
/// missed the cache more often than not. Compared inline (see [`same`]).
enum Key {
    Short(u8, [u8; INLINE]),
    Long(Box<str>),
}

/// The longest word kept in a [`Key`] itself: 22 bytes and their length
/// make the key no larger than a boxed string and its tag.
const INLINE: usize = 22;

impl Key {
    fn new(word: &str) -> Key {
        match word.len() {
            n if n <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..n].copy_from_slice(word.as_bytes());
                Key::Short(n as u8, bytes)
            }
            _ => Key::Long(word.into()),
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Key::Short(n, bytes) => &bytes[..*n as usize],
            Key::Long(word) => word.as_bytes(),
        }
    }
}

/// A word of the text looked up in the memo.
struct Probe<'a>(&'a str);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        same(self.bytes(), other.bytes())
    }
}

impl Eq for Key {}

// Both hash their bytes as a `str` does, so that a probe finds its key.
impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.bytes());
        state.write_u8(0xff);
    }
}

impl Hash for Probe<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.0.as_bytes());
        state.write_u8(0xff);
    }
}

impl Equivalent<Key> for Probe<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        same(self.0.as_bytes(), key.bytes())
    }
}

/// `a == b` for the short strings words are, without calling `memcmp`
/// (calling it was 1.3% of a build with search): the bytes compared as a
/// few overlapping integers.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_ne_bytes(s[at..at + 8].try_into().unwrap_or_default());
    let half = |s: &[u8], at: usize| u32::from_ne_bytes(s[at..at + 4].try_into().unwrap_or_default());
    match n {
        0..4 => a.iter().zip(b).all(|(x, y)| x == y),
        4..=8 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        _ => {
            let mut at = 0;
            while at + 8 < n {
                if word(a, at) != word(b, at) {
                    return false;
                }
                at += 8;
            }
            word(a, n - 8) == word(b, n - 8)
        }
    }
}

/// An indexable word, by number.
#[derive(Debug, Clone, Copy)]
pub(super) struct MemoWord {
    pub stem: u32,
    pub is_compound_part: bool,
    /// The form before diacritics were taken off, where it differs.
    pub original: Option<u32>,
}

/// One occurrence of a word on a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordAt {
    pub position: u32,
    pub weight: u8,
    /// The form before diacritics were taken off (a string of the memo).
    pub original: Option<u32>,
}

/// A page's words: each stem (a string of the memo) with its occurrences,
/// in the order of their first occurrence. Occurrences are gathered in one
/// vector, each with its stem's place, and grouped by stem once the page
/// is read ([`PageWords::group`]): not a vector per stem, grown as it goes.
#[derive(Debug, Default)]
pub struct PageWords {
    stems: Vec<u32>,
    found: Vec<(u32, WordAt)>,
    /// After `group`: the occurrences by stem, and where each stem's begin.
    grouped: Vec<WordAt>,
    starts: Vec<u32>,
}

/// Strings numbered in the order they were first given.
#[derive(Default)]
struct Strings {
    ids: HashMap<String, u32>,
    all: Vec<String>,
}

impl Strings {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.all.len() as u32;
        self.all.push(s.to_owned());
        self.ids.insert(s.to_owned(), id);
        id
    }
}

impl WordMemo {
    /// Past this many words the memo starts again, so that a site of many
    /// distinct words does not grow it without end.
    const MAX_WORDS: usize = 100_000;

    /// Starts reading a page in `language`: the words of pages in another
    /// language are of no use to it.
    pub(super) fn start_page(&mut self, language: &str) {
        let full = self.words.len() > Self::MAX_WORDS
            || self.strings.all.len() > 4 * Self::MAX_WORDS
            || self.page == u32::MAX;
        if self.language != language || full {
            *self = WordMemo {
                language: language.to_string(),
                ..WordMemo::default()
            };
        }
        self.page += 1;
    }

    /// Appends the indexable words of `word` to `out`: from the memo, or
    /// from `make` the first time `word` is met.
    pub(super) fn words_of(
        &mut self,
        word: &str,
        out: &mut Vec<MemoWord>,
        make: impl FnOnce() -> Vec<IndexableWord>,
    ) {
        let (start, len) = match self.words.get(&Probe(word)) {
            Some(&range) => range,
            None => {
                let start = self.found.len() as u32;
                for indexable in make() {
                    let numbered = self.number(&indexable);
                    self.found.push(numbered);
                }
                let range = (start, self.found.len() as u32 - start);
                self.words.insert(Key::new(word), range);
                range
            }
        };
        out.extend_from_slice(&self.found[start as usize..(start + len) as usize]);
    }

    /// `word` by number.
    pub(super) fn number(&mut self, word: &IndexableWord) -> MemoWord {
        MemoWord {
            stem: self.strings.id(&word.stemmed),
            is_compound_part: word.is_compound_part,
            original: word.original.as_deref().map(|o| self.strings.id(o)),
        }
    }

    /// Adds `at` to the postings of `stem` on the page being read; not when
    /// `unless_there` and the stem already has a posting at that position.
    pub(super) fn add(&mut self, page: &mut PageWords, stem: u32, at: WordAt, unless_there: bool) {
        let id = stem as usize;
        if self.places.len() <= id {
            self.places.resize(id + 1, (0, 0));
        }
        let (seen_on, place) = &mut self.places[id];
        if *seen_on != self.page {
            *seen_on = self.page;
            *place = page.stems.len() as u32;
            page.stems.push(stem);
        }
        let place = *place;
        let there = || page.found.iter().any(|(p, w)| *p == place && w.position == at.position);
        if !(unless_there && there()) {
            page.found.push((place, at));
        }
    }

    /// String number `id`.
    pub fn string(&self, id: u32) -> &str {
        &self.strings.all[id as usize]
    }

    /// The place in the page being read of the stem `word`, if it is there.
    pub fn place_of(&self, word: &str) -> Option<usize> {
        let id = *self.strings.ids.get(word)?;
        match self.places.get(id as usize) {
            Some(&(page, place)) if page == self.page => Some(place as usize),
            _ => None,
        }
    }
}

impl PageWords {
    pub fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }

    /// Groups the occurrences by stem, each stem's in the order they were
    /// added (a counting sort).
    pub(super) fn group(&mut self) {
        let mut starts = vec![0u32; self.stems.len() + 1];
        for (place, _) in &self.found {
            starts[*place as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let none = WordAt { position: 0, weight: 0, original: None };
        let mut grouped = vec![none; self.found.len()];
        for (place, at) in self.found.drain(..) {
            grouped[next[place as usize] as usize] = at;
            next[place as usize] += 1;
        }
        self.grouped = grouped;
        self.starts = starts;
    }

    /// Each stem's string (from `memo`, which read this page last) and
    /// postings, in the order of [`WordMemo::place_of`]; once grouped.
    pub fn stems<'a>(&'a self, memo: &'a WordMemo) -> impl Iterator<Item = (&'a str, &'a [WordAt])> {
        self.stems.iter().enumerate().map(|(i, stem)| {
            let (start, end) = (self.starts[i] as usize, self.starts[i + 1] as usize);
            (memo.string(*stem), &self.grouped[start..end])
        })
    }

    /// Upstream's map of the same words; once grouped.
    pub fn into_map(self, memo: &WordMemo) -> HashMap<String, Vec<FossickedWord>> {
        self.stems(memo)
            .map(|(stem, at)| {
                let words = at
                    .iter()
                    .map(|w| FossickedWord {
                        position: w.position,
                        weight: w.weight,
                        original_word: w.original.map(|o| memo.string(o).to_owned()),
                    })
                    .collect();
                (stem.to_owned(), words)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_is_equality_at_every_length_and_place_of_a_difference() {
        for n in 0..=24 {
            let a: Vec<u8> = (0..n as u8).map(|i| b'a' + i).collect();
            assert!(same(&a, &a.clone()), "{n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] = b'Z';
                assert!(!same(&a, &b), "{n}, differing at {at}");
            }
            assert!(!same(&a, &a[..n.saturating_sub(1)]) || n == 0);
        }
    }

    #[test]
    fn a_word_is_found_by_its_text() {
        let mut memo = WordMemo::default();
        memo.start_page("en");
        let made = |w: &str| vec![IndexableWord { stemmed: w.to_string(), original: None, is_compound_part: false }];
        let mut out = Vec::new();
        memo.words_of("Birmingham", &mut out, || made("birmingham"));
        memo.words_of("Birmingham", &mut out, || panic!("the memo has it"));
        memo.words_of("Birminghan", &mut out, || made("birminghan"));
        let long = "Wolverhampton-Birmingham-Coventry";
        memo.words_of(long, &mut out, || made("long"));
        memo.words_of(long, &mut out, || panic!("the memo has it too"));
        let stems: Vec<&str> = out.iter().map(|w| memo.string(w.stem)).collect();
        assert_eq!(stems, ["birmingham", "birmingham", "birminghan", "long", "long"]);
    }
}
