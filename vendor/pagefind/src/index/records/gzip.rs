//! brum patch: the index files of page records gzipped by libdeflate.
//!
//! Every file Pagefind writes is `pagefind_dcd` and its bytes, gzipped,
//! and each is whole in memory before it is compressed, so nothing needs a
//! streaming compressor. libdeflate compresses whole buffers: on the
//! fragments of a 10,000-story site (64 MB of JSON) its level 1 took 470 ms
//! where zlib-rs at level 6 took 978 ms, for files 2.8% larger; on the word
//! chunks (43 MB of CBOR) its level 5 took 629 ms where zlib-rs at level 4
//! took 763 ms, for files 2% smaller (PATCHED.md, section 18). The bytes
//! differ from flate2's, the content does not: Pagefind's client gunzips
//! any gzip stream.

use std::cell::RefCell;

use anyhow::{anyhow, Result};
use libdeflater::{CompressionLvl, Compressor};

/// A libdeflate compression level, 0 (stored) to 12.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Level(CompressionLvl);

impl Level {
    pub(crate) fn new(level: u32) -> Result<Level> {
        i32::try_from(level)
            .ok()
            .and_then(|l| CompressionLvl::new(l).ok())
            .map(Level)
            .ok_or_else(|| anyhow!("gzip level {level} is not one of 0 to 12"))
    }
}

/// A file as upstream compresses it: `pagefind_dcd`, then `bytes`, gzipped.
pub(crate) fn gzip(bytes: &[u8], level: Level) -> Vec<u8> {
    thread_local! {
        // A compressor's tables take longer to set up than a fragment
        // takes to compress: one is kept per level and thread.
        static COMPRESSORS: RefCell<Vec<(Level, Compressor)>> = const { RefCell::new(Vec::new()) };
        static SCRATCH: RefCell<(Vec<u8>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
    }
    COMPRESSORS.with_borrow_mut(|kept| {
        let at = match kept.iter().position(|(l, _)| *l == level) {
            Some(at) => at,
            None => {
                kept.push((level, Compressor::new(level.0)));
                kept.len() - 1
            }
        };
        let compressor = &mut kept[at].1;
        SCRATCH.with_borrow_mut(|(input, output)| {
            input.clear();
            input.extend_from_slice(b"pagefind_dcd");
            input.extend_from_slice(bytes);
            output.resize(compressor.gzip_compress_bound(input.len()), 0);
            let written = compressor
                .gzip_compress(input, output)
                .expect("the output has room for libdeflate's bound");
            // Copied out at its size: a record holds its fragment until the
            // index is written, and the scratch buffer is the input's size.
            output[..written].to_vec()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("a whole gzip stream");
        out
    }

    #[test]
    fn a_file_gunzips_to_the_signature_and_its_bytes() {
        let text: Vec<u8> = (0..40_000u32)
            .map(|i| b"the canal and the bull ring, "[(i * i % 29) as usize])
            .collect();
        let other: Vec<u8> = (0..9_000u32).map(|i| (i * 31 % 251) as u8).collect();
        let inputs = [
            &text[..],
            &b""[..],
            &other[..],
            &b"x"[..],
            &text[..300],
            &text[7..8000],
        ];
        for level in [0, 1, 5, 6, 12] {
            // Twice round, so that a kept compressor is used again.
            for input in inputs.iter().chain(inputs.iter()) {
                let level = Level::new(level).unwrap();
                let unzipped = gunzip(&gzip(input, level));
                assert_eq!(&unzipped[..12], b"pagefind_dcd");
                assert!(unzipped[12..] == **input, "{level:?} {}", input.len());
            }
        }
        assert!(gzip(&text, Level::new(1).unwrap()).len() < text.len() / 10);
    }

    #[test]
    fn a_level_out_of_range_is_refused() {
        let refused = Level::new(13).unwrap_err().to_string();
        assert_eq!(refused, "gzip level 13 is not one of 0 to 12");
    }
}
