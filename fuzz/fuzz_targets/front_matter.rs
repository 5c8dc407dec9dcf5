//! Any bytes as a content file of every kind: splitting front matter, parsing
//! its TOML and reading the fields must give an item or diagnostics, never a
//! panic. The site.toml is the test fixture's, so known keys are reachable.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use brum::config::Config;
use brum::content::{self, Section, Source};
use libfuzzer_sys::fuzz_target;

const SITE: &str = include_str!("../../tests/fixtures/basic/site.toml");

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG
        .get_or_init(|| brum::config::parse(SITE, Path::new("site.toml")).expect("fixture config"))
}

fn source(section: Section) -> Source {
    Source {
        path: PathBuf::from(format!("content/{}/fuzz.md", section.dir())),
        content_path: format!("{}/fuzz.md", section.dir()),
        bundle: None,
        assets: Vec::new(),
        body: String::new(),
        body_line: 1,
        lang: None,
        original: None,
    }
}

/// A translation as authors write one: a title and text, the rest from its
/// original.
const TRANSLATION: &str = "+++\ntitle = \"نہر کی سیر\"\nneeds_review = true\n+++\nمتن۔\n";

fuzz_target!(|data: &[u8]| {
    // Bytes are decoded the way a file on disk is: BOM dropped, bad UTF-8 a diagnostic.
    let Ok(text) = brum::fs::decode_text(data.to_vec(), Path::new("fuzz.md")) else {
        return;
    };
    for section in Section::ALL {
        let _ = content::parse_item(section, &text, None, source(section), config());
        // The input as a translation of a fixed original, and as the
        // original of a fixed translation: a field from either side.
        let _ = content::parse_item(section, &text, Some(TRANSLATION), source(section), config());
        let _ = content::parse_item(section, TRANSLATION, Some(&text), source(section), config());
    }
    let _ = content::parse_index(&text, None, source(Section::Stories));
    let _ = content::parse_index(TRANSLATION, Some(&text), source(Section::Stories));
});
