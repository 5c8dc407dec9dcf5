//! Addresses: joining a path to the site's base path, percent-encoding a
//! path segment and decoding it again, and the output file an address is
//! written to. One home for these, so every stage spells an address the same
//! way.

/// `base` ends in `/`; `path` may start with one.
pub fn join_url(base: &str, path: &str) -> String {
    format!("{base}{}", path.trim_start_matches('/'))
}

/// Percent-encodes what cannot stand in a URL path segment as written.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for c in segment.chars() {
        let escape = matches!(
            c,
            ' ' | '"'
                | '#'
                | '%'
                | '<'
                | '>'
                | '?'
                | '['
                | '\\'
                | ']'
                | '^'
                | '`'
                | '{'
                | '|'
                | '}'
        ) || c.is_control();
        if escape {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Undoes [`encode_segment`] so files carry their real names. Leniently: a
/// `%` not followed by two hex digits stays as it is, and bytes that are not
/// UTF-8 become U+FFFD.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = hex_byte(bytes.get(i + 1..i + 3))
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes a request path strictly: None for a `%` without two hex digits or
/// for bytes that are not UTF-8, since a server must not guess what was meant.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(hex_byte(bytes.get(i + 1..i + 3))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn hex_byte(digits: Option<&[u8]>) -> Option<u8> {
    let digits = std::str::from_utf8(digits?).ok()?;
    u8::from_str_radix(digits, 16).ok()
}

/// The output path (relative to the output root) for a root-relative URL.
pub fn output_path(base_path: &str, url: &str) -> String {
    let rel = url
        .strip_prefix(base_path)
        .unwrap_or(url.trim_start_matches('/'));
    let rel = percent_decode(rel);
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_with_spaces_are_encoded() {
        assert_eq!(encode_segment("a b#c"), "a%20b%23c");
        assert_eq!(encode_segment("café"), "café");
        assert_eq!(encode_segment("a\u{7}"), "a%07");
    }

    #[test]
    fn decoding_undoes_encoding() {
        for s in ["a b#c", "café", "100%", "x?y"] {
            assert_eq!(percent_decode(&encode_segment(s)), s);
        }
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode_strict("a%2"), None);
        assert_eq!(percent_decode_strict("a%ff"), None);
        assert_eq!(percent_decode_strict("my%20story"), Some("my story".into()));
    }

    #[test]
    fn output_paths_are_pretty_and_under_the_base() {
        assert_eq!(output_path("/", "/"), "index.html");
        assert_eq!(
            output_path("/sub/", "/sub/stories/x/"),
            "stories/x/index.html"
        );
        assert_eq!(output_path("/sub/", "/sub/feed.xml"), "feed.xml");
        assert_eq!(output_path("/", "/my%20story/"), "my story/index.html");
    }
}
