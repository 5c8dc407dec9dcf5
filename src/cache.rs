//! What a live preview keeps between builds, so that an edit costs only what
//! it changes: each content file's rendered Markdown, and a fingerprint of
//! every page's inputs with the bytes they gave. Both are pure memo tables:
//! a hit gives exactly what a cold build would compute.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3Default;

use crate::markdown::Rendered;

/// Rendered Markdown by content file (`stories/x.md`).
#[derive(Debug, Default)]
pub struct MarkdownCache {
    entries: HashMap<String, CachedBody>,
}

#[derive(Debug, Clone)]
pub struct CachedBody {
    /// Hash of everything the rendering read but the addresses of other pages.
    input: u64,
    /// The addresses of other pages, when the text linked to content files.
    links: Option<u64>,
    pub rendered: Arc<Rendered>,
}

impl MarkdownCache {
    /// The cached rendering of `content_path`, if made from the same inputs.
    pub fn get(&self, content_path: &str, input: u64, links: u64) -> Option<Arc<Rendered>> {
        let cached = self.entries.get(content_path)?;
        (cached.input == input && cached.links.is_none_or(|l| l == links))
            .then(|| cached.rendered.clone())
    }

    /// Replaces the whole table with this build's renderings, so files that
    /// are gone are forgotten.
    pub fn replace(
        &mut self,
        entries: impl IntoIterator<Item = (String, u64, u64, Arc<Rendered>)>,
    ) {
        self.entries = entries
            .into_iter()
            .map(|(path, input, links, rendered)| {
                let links = rendered.uses_content_links.then_some(links);
                (
                    path,
                    CachedBody {
                        input,
                        links,
                        rendered,
                    },
                )
            })
            .collect();
    }

    /// Keeps one body's new rendering (an edit made in place).
    pub fn insert(&mut self, path: String, input: u64, links: u64, rendered: Arc<Rendered>) {
        let links = rendered.uses_content_links.then_some(links);
        let body = CachedBody {
            input,
            links,
            rendered,
        };
        self.entries.insert(path, body);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A page of the last good build: what its inputs hashed to, and its bytes.
#[derive(Debug, Clone)]
pub struct CachedPage {
    pub fingerprint: u64,
    /// Whether the page goes into the search index.
    pub searchable: bool,
    pub bytes: Arc<Vec<u8>>,
}

/// Pages by output path.
pub type PageCache = HashMap<String, CachedPage>;

/// Hashes anything hashable, with XXH3: fast over the long texts of pages,
/// and 64 bits make an accidental match between two different inputs
/// vanishingly unlikely.
pub fn hash_of(value: impl Hash) -> u64 {
    let mut h = Xxh3Default::new();
    value.hash(&mut h);
    h.finish()
}

/// XXH3 of some bytes.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// An `io::Write` that hashes what is written: serialising a value into it
/// fingerprints the value without building the text. Writes are gathered
/// in a buffer first: a serialiser writes many pieces of a few bytes, and
/// XXH3 takes each piece at a cost of its own. The hash is the same however
/// the bytes are split.
pub struct HashWriter {
    hasher: Xxh3Default,
    buffer: Vec<u8>,
}

/// How much [`HashWriter`] gathers before hashing it.
const HASH_BUFFER: usize = 8 * 1024;

impl Default for HashWriter {
    fn default() -> Self {
        HashWriter {
            hasher: Xxh3Default::new(),
            buffer: Vec::with_capacity(HASH_BUFFER),
        }
    }
}

impl HashWriter {
    pub fn finish(&mut self) -> u64 {
        self.hasher.update(&self.buffer);
        self.buffer.clear();
        self.hasher.digest()
    }

    pub fn write_u64(&mut self, n: u64) {
        self.take(&n.to_le_bytes());
    }

    fn take(&mut self, bytes: &[u8]) {
        if self.buffer.len() + bytes.len() > HASH_BUFFER {
            self.hasher.update(&self.buffer);
            self.buffer.clear();
        }
        if bytes.len() >= HASH_BUFFER {
            self.hasher.update(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
        }
    }
}

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.take(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_does_not_depend_on_how_the_bytes_are_written() {
        use std::io::Write;
        let text: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        let mut whole = HashWriter::default();
        whole.write_all(&text).unwrap();
        let mut pieces = HashWriter::default();
        for chunk in text.chunks(7).chain(std::iter::once(&[][..])) {
            pieces.write_all(chunk).unwrap();
        }
        let mut mixed = HashWriter::default();
        let (a, b) = text.split_at(9_000);
        mixed.write_all(&a[..3]).unwrap();
        mixed.write_all(&a[3..]).unwrap();
        mixed.write_all(b).unwrap();
        let expected = hash_bytes(&text);
        assert_eq!(whole.finish(), expected);
        assert_eq!(pieces.finish(), expected);
        assert_eq!(mixed.finish(), expected);
    }

    #[test]
    fn a_body_without_content_links_survives_address_changes() {
        let mut cache = MarkdownCache::default();
        let plain = Arc::new(Rendered::default());
        let linked = Arc::new(Rendered {
            uses_content_links: true,
            ..Rendered::default()
        });
        cache.replace([
            ("a.md".to_string(), 1, 10, plain),
            ("b.md".to_string(), 2, 10, linked),
        ]);
        assert!(
            cache.get("a.md", 1, 11).is_some(),
            "addresses changed, but a.md links to none"
        );
        assert!(
            cache.get("b.md", 2, 11).is_none(),
            "b.md links to a page whose address may have moved"
        );
        assert!(cache.get("b.md", 2, 10).is_some());
        assert!(cache.get("a.md", 3, 10).is_none(), "the text changed");
    }
}
