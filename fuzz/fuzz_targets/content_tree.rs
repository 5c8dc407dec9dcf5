//! A whole site from arbitrary bytes: a handful of files (and links) under
//! `content/` and `data/`, loaded, checked, modelled and rendered with the built-in theme
//! into memory. No panic, and every output path stays inside the output
//! folder (relative, no `..`, no NUL).
#![no_main]

use std::fs;
use std::path::Path;
use std::sync::Mutex;

use arbitrary::Arbitrary;
use brum::output::Sink;
use libfuzzer_sys::fuzz_target;

// The fixture in three languages, so that names such as `x.ur.md` are read
// as translations.
const SITE: &str = include_str!("../../tests/fixtures/languages/site.toml");

#[derive(Debug, Arbitrary)]
enum Folder {
    Top,
    Stories,
    Partners,
    Timeline,
    Pages,
    Other(String),
    /// `data/`, beside `content/`.
    Data,
}

#[derive(Debug, Arbitrary)]
enum Body {
    Bytes(Vec<u8>),
    /// A story with valid front matter around arbitrary Markdown, so the
    /// fuzzer reaches rendering without first having to invent TOML.
    Story {
        title: String,
        slug: Option<String>,
        aliases: Vec<String>,
        body: String,
    },
    /// A symbolic link to another name (possibly itself, possibly `..`).
    Link(String),
}

#[derive(Debug, Arbitrary)]
struct File {
    folder: Folder,
    bundle: Option<String>,
    name: String,
    body: Body,
}

/// A file or folder name the file system accepts, or None.
fn name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 100
        && !name.contains(['/', '\0'])
        && name != "."
        && name != ".."
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Memory(Mutex<Vec<String>>);

impl Memory {
    fn record(&self, path: &str) {
        assert!(
            !path.starts_with('/')
                && !path.contains('\0')
                && !path.contains('\\')
                && path.split('/').all(|part| part != ".."),
            "output path leaves the output folder: {path:?}"
        );
        self.0.lock().unwrap().push(path.to_string());
    }
}

impl Sink for Memory {
    fn write(&self, path: &str, _bytes: &[u8]) -> brum::Result<()> {
        self.record(path);
        Ok(())
    }
    fn copy(&self, from: &Path, path: &str) -> brum::Result<()> {
        fs::read(from).map_err(|e| brum::Error::io("read", from, e))?;
        self.record(path);
        Ok(())
    }
}

fuzz_target!(|files: Vec<File>| {
    if files.len() > 12 {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    fs::write(root.join("site.toml"), SITE).expect("site.toml");
    let content = root.join("content");
    fs::create_dir(&content).expect("content");
    for file in &files {
        let mut path = content.clone();
        match &file.folder {
            Folder::Data => path = root.join("data"),
            Folder::Top => {}
            Folder::Stories => path.push("stories"),
            Folder::Partners => path.push("partners"),
            Folder::Timeline => path.push("timeline"),
            Folder::Pages => path.push("pages"),
            Folder::Other(name) if name_ok(name) => path.push(name),
            Folder::Other(_) => continue,
        }
        if let Some(bundle) = &file.bundle {
            if !name_ok(bundle) {
                continue;
            }
            path.push(bundle);
        }
        if !name_ok(&file.name) {
            continue;
        }
        if fs::create_dir_all(&path).is_err() {
            continue;
        }
        path.push(&file.name);
        let _ = match &file.body {
            Body::Bytes(bytes) => fs::write(&path, bytes),
            Body::Story {
                title,
                slug,
                aliases,
                body,
            } => {
                let mut text = format!("+++\ntitle = {}\ndate = 2015-07-08\n", toml_string(title));
                if let Some(slug) = slug {
                    text.push_str(&format!("slug = {}\n", toml_string(slug)));
                }
                let aliases: Vec<String> = aliases.iter().map(|a| toml_string(a)).collect();
                text.push_str(&format!("aliases = [{}]\n+++\n{body}", aliases.join(", ")));
                fs::write(&path, text)
            }
            Body::Link(target) => std::os::unix::fs::symlink(target, &path),
        };
    }
    // Everything a build does but parse the theme's templates, which do not
    // change between runs and would take most of each run's time. A file
    // with problems does not stop the rest, as in `brum check`: the model
    // and its pages are made from whatever loaded.
    let (config, templates) = fixed();
    let (tree, _problems) = brum::content::load(root, config);
    let (data, _problems) = brum::content::data::load(root, config);
    let (statics, _problems) = brum::statics::collect(root, config);
    let options = brum::site::Options {
        drafts: true,
        now: chrono::DateTime::from_timestamp(1_443_657_600, 0).expect("fixed now"),
    };
    let sources = brum::site::Sources {
        root,
        data: &data,
        statics: &statics,
        components: Some(&templates.components),
    };
    let (site, _problems) = brum::site::build(
        config.clone(),
        tree,
        sources,
        options,
        &mut brum::cache::MarkdownCache::default(),
    );
    let mut probes = brum::images::ProbeCache::default();
    let (images, _problems) = brum::images::plan(&site, &statics, &mut probes);
    let images = std::sync::Arc::new(images);
    let sink = Memory(Mutex::new(Vec::new()));
    let pictures = brum::render::charts::Pictures::draw_all(&site, &templates.strings);
    let _ = brum::render::render_site(&site, &images, templates, &pictures, &statics, &sink, None);
});

/// The fixture's config and the built-in theme's templates, loaded once.
fn fixed() -> &'static (brum::config::Config, brum::render::templates::Templates) {
    static FIXED: std::sync::OnceLock<(brum::config::Config, brum::render::templates::Templates)> =
        std::sync::OnceLock::new();
    FIXED.get_or_init(|| {
        let config = brum::config::parse(SITE, Path::new("site.toml")).expect("fixture config");
        let empty = tempfile::tempdir().expect("temp dir");
        let templates =
            brum::render::templates::load(empty.path(), &config).expect("built-in theme");
        (config, templates)
    })
}
