use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Serialize, Debug, Clone)]
pub struct PageAnchorData {
    pub element: String,
    pub id: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub location: u32,
}

#[derive(Serialize, Debug, Clone)]
pub struct PageFragmentData {
    pub url: String,
    pub content: String,
    pub word_count: usize,
    pub filters: BTreeMap<String, Vec<String>>,
    pub meta: BTreeMap<String, String>,
    pub anchors: Vec<PageAnchorData>,
}

#[derive(Debug, Clone)]
pub struct PageFragment {
    pub page_number: usize,
    pub data: PageFragmentData,
}

impl PageFragmentData {
    /// brum patch (23): `serde_json::to_string(self)`, byte for byte,
    /// written directly. Most of a fragment is its `content`, which serde_json
    /// escapes a byte at a time; here eight bytes are looked at at once.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.content.len() + self.url.len() + 256);
        out.push_str("{\"url\":");
        push_json_string(&mut out, &self.url);
        out.push_str(",\"content\":");
        push_json_string(&mut out, &self.content);
        out.push_str(",\"word_count\":");
        out.push_str(&self.word_count.to_string());
        out.push_str(",\"filters\":{");
        for (i, (name, values)) in self.filters.iter().enumerate() {
            push_comma(&mut out, i);
            push_json_string(&mut out, name);
            out.push_str(":[");
            for (j, value) in values.iter().enumerate() {
                push_comma(&mut out, j);
                push_json_string(&mut out, value);
            }
            out.push(']');
        }
        out.push_str("},\"meta\":{");
        for (i, (name, value)) in self.meta.iter().enumerate() {
            push_comma(&mut out, i);
            push_json_string(&mut out, name);
            out.push(':');
            push_json_string(&mut out, value);
        }
        out.push_str("},\"anchors\":[");
        for (i, anchor) in self.anchors.iter().enumerate() {
            push_comma(&mut out, i);
            push_anchor(&mut out, anchor);
        }
        out.push_str("]}");
        out
    }
}

fn push_anchor(out: &mut String, anchor: &PageAnchorData) {
    out.push_str("{\"element\":");
    push_json_string(out, &anchor.element);
    out.push_str(",\"id\":");
    push_json_string(out, &anchor.id);
    out.push_str(",\"text\":");
    push_json_string(out, &anchor.text);
    if let Some(title) = &anchor.title {
        out.push_str(",\"title\":");
        push_json_string(out, title);
    }
    out.push_str(",\"location\":");
    out.push_str(&anchor.location.to_string());
    out.push('}');
}

fn push_comma(out: &mut String, index: usize) {
    if index > 0 {
        out.push(',');
    }
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"`, `\` and
/// the control characters below U+0020, nothing else.
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        at = next_to_escape(bytes, at);
        if at == bytes.len() {
            break;
        }
        // Escapes are ASCII, so `copied..at` ends on a character boundary.
        out.push_str(&s[copied..at]);
        push_escape(out, bytes[at]);
        at += 1;
        copied = at;
    }
    out.push_str(&s[copied..]);
    out.push('"');
}

/// Where the first byte from `at` on that needs escaping is, or the end.
fn next_to_escape(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero where the high bit of this is set (the usual
    // test, exact for the lowest such byte, which is the one used).
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    while at + 8 <= bytes.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        let x = u64::from_le_bytes(word);
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let found = control | zero_in(x ^ (ONES * b'"' as u64)) | zero_in(x ^ (ONES * b'\\' as u64));
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < bytes.len() && !needs_escape(bytes[at]) {
        at += 1;
    }
    at
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

fn push_escape(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match byte {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        _ => {
            out.push_str("\\u00");
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 0xf) as usize] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment(content: &str, other: &str) -> PageFragmentData {
        PageFragmentData {
            url: format!("/{other}/"),
            content: content.to_string(),
            word_count: content.len(),
            filters: BTreeMap::from([
                ("type".to_string(), vec!["Story".to_string(), other.to_string()]),
                (other.to_string(), vec![]),
            ]),
            meta: BTreeMap::from([("title".to_string(), other.to_string())]),
            anchors: vec![
                PageAnchorData {
                    element: "h2".into(),
                    id: other.into(),
                    text: content.chars().take(9).collect(),
                    title: None,
                    location: 7,
                },
                PageAnchorData {
                    element: "h3".into(),
                    id: "b".into(),
                    text: String::new(),
                    title: Some(other.into()),
                    location: u32::MAX,
                },
            ],
        }
    }

    #[test]
    fn fragments_are_written_as_serde_json_writes_them() {
        let cases = [
            "",
            "plain words, nothing to escape at all",
            "\"quoted\" and back\\slash",
            "tabs\tand\nnew\rlines, \u{8} \u{c} \u{0} \u{1f} \u{7f}",
            "naïve café — “curly” 東京 😀 end\"",
            "12345678\"2345678\\234567\u{1}",
        ];
        for content in cases {
            for other in ["x", "a\"b", "é\\\n"] {
                let page = fragment(content, other);
                assert_eq!(page.to_json(), serde_json::to_string(&page).unwrap());
            }
        }
        let empty = PageFragmentData {
            filters: BTreeMap::new(),
            meta: BTreeMap::new(),
            anchors: vec![],
            ..fragment("", "x")
        };
        assert_eq!(empty.to_json(), serde_json::to_string(&empty).unwrap());
    }

    #[test]
    fn every_byte_and_place_of_an_escape_is_written_as_serde_json_writes_it() {
        // Each ASCII character at each offset in a word, where the eight
        // byte steps and the byte by byte tail meet.
        for byte in 0u8..0x80 {
            for at in 0..20 {
                let mut text = "abcdefghijklmnopqrst".to_string();
                text.replace_range(at..=at, &(byte as char).to_string());
                let page = fragment(&text, "x");
                assert_eq!(page.to_json(), serde_json::to_string(&page).unwrap(), "{byte} at {at}");
            }
        }
    }
}
