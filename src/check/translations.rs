//! What a check says about translations: a story translated before its
//! original was last updated, a language the theme's words are missing
//! from, and, when asked (`--translations`), the items a language has no
//! translation of.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::content::{ContentItem, ContentTree, Story};
use crate::error::Diagnostic;
use crate::render::strings::{self, Strings};

/// A translated story whose original has been updated since: the original's
/// `updated` (or date) is later than the translation's own.
pub fn stale(content: &ContentTree) -> Vec<Diagnostic> {
    let originals: HashMap<&str, &Story> = content
        .stories
        .iter()
        .map(|s| (s.common.source.content_path.as_str(), s.as_ref()))
        .collect();
    let mut out = Vec::new();
    for (_, tree) in &content.translations {
        for t in &tree.stories {
            let original = t.common.source.original.as_deref();
            let Some(o) = original.and_then(|p| originals.get(p)) else {
                continue;
            };
            let changed = o.updated.unwrap_or(o.date.value);
            let translated = t.updated.unwrap_or(t.date.value);
            if changed.at > translated.at {
                out.push(
                    Diagnostic::warning(
                        &t.common.source.path,
                        format!(
                            "this translation may be out of date: its original {} was updated on {}, after this translation ({})",
                            o.common.source.path.display(),
                            changed.display(),
                            translated.display()
                        ),
                    )
                    .with_help(format!(
                        "bring the translation up to date with the original, then set updated = {} in it",
                        changed.iso()
                    )),
                );
            }
        }
    }
    out
}

/// A language some of the theme's words are missing from: pages in it show
/// those words in the default language.
pub fn missing_words(config: &Config, strings: &Strings) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for lang in &config.languages {
        let missing = strings.missing(&lang.code);
        if missing.is_empty() {
            continue;
        }
        let shown: Vec<&str> = missing.iter().take(6).map(String::as_str).collect();
        let more = if missing.len() > shown.len() {
            ", …"
        } else {
            ""
        };
        out.push(
            Diagnostic::warning(
                PathBuf::from(format!("{}/{}.toml", strings::DIR, lang.code)),
                format!(
                    "{} of the theme's words have no {} ({}) translation: {}{more}; pages in {} show them in {}",
                    missing.len(),
                    lang.name,
                    lang.code,
                    shown.join(", "),
                    lang.name,
                    config.default_language().name
                ),
            )
            .with_help(format!(
                "add them to the site's {}/{}.toml (the theme's words, in English, are in its i18n/en.toml)",
                strings::DIR,
                lang.code
            )),
        );
    }
    out
}

/// Each published original some of the site's languages have no
/// translation of (for `--translations`).
pub fn untranslated(config: &Config, content: &ContentTree) -> Vec<Diagnostic> {
    let mut translated: HashMap<&str, Vec<&str>> = HashMap::new();
    for (code, tree) in &content.translations {
        for original in originals(tree) {
            translated.entry(original).or_default().push(code);
        }
    }
    let mut out = Vec::new();
    for (path, content_path, draft) in files(content) {
        if draft {
            continue;
        }
        let have = translated
            .get(content_path)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let lacking: Vec<String> = config.languages[1..]
            .iter()
            .filter(|l| !have.contains(&l.code.as_str()))
            .map(|l| format!("{} ({})", l.name, l.code))
            .collect();
        if !lacking.is_empty() {
            out.push(
                Diagnostic::warning(path, format!("no translation into {}", lacking.join(", ")))
                    .with_help("brum new <kind> \"<translated title>\" --lang <code> --from <this file's name> starts one"),
            );
        }
    }
    out
}

/// The originals a language's files translate, relative to `content/`.
fn originals(tree: &ContentTree) -> impl Iterator<Item = &str> {
    files_of(tree).filter_map(|(source, _)| source.original.as_deref())
}

/// Every item file of the default language: its path, its path relative
/// to `content/`, and whether it is a draft.
fn files(content: &ContentTree) -> impl Iterator<Item = (PathBuf, &str, bool)> {
    files_of(content).map(|(s, draft)| (s.path.clone(), s.content_path.as_str(), draft))
}

fn files_of(tree: &ContentTree) -> impl Iterator<Item = (&crate::content::Source, bool)> {
    fn of<T: ContentItem>(
        items: &[std::sync::Arc<T>],
    ) -> impl Iterator<Item = (&crate::content::Source, bool)> {
        items.iter().map(|i| (&i.common().source, i.common().draft))
    }
    of(&tree.stories)
        .chain(of(&tree.partners))
        .chain(of(&tree.timeline))
        .chain(of(&tree.pages))
}
