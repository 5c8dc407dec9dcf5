/// Symbols that count as part of a word
/// (specifically, the "Punctuation, Connector" Unicode category)
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

/// brum patch (22): a name for `bytes`, the same for the same bytes, as hex.
/// Upstream took SHA-1's (with each byte's leading zero dropped); names of
/// files that are only ever looked up through the index need no
/// cryptographic hash, and XXH3's 128 bits take a fraction of the time.
pub fn full_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}
