//! The site's data files: `data/*.toml`, `*.json` and `*.csv` beside
//! `site.toml`, read once per load and given to every template as
//! `data.<name>` (docs/content.md, "Data files"). A folder is a table of
//! its files (`data/events/launch.toml` is `data.events.launch`), and
//! `<name>.<code>.toml` is one language's version of `<name>.toml`: on
//! that language's pages, what it gives takes the place of the original's,
//! table by table, and what it leaves out is the original's.

mod formats;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Map, Value};
use walkdir::WalkDir;

pub use formats::Format;

use crate::config::{Config, is_code};
use crate::error::Diagnostic;

/// The folder of data files, beside `site.toml`.
pub const DATA_DIR: &str = "data";

/// Every data file's value, as each language's templates see it (`data`):
/// an object keyed by file name.
#[derive(Debug, Clone)]
pub struct Data {
    default: Arc<Value>,
    /// The languages that have files of their own; the others see the
    /// default language's.
    languages: Vec<(String, Arc<Value>)>,
}

impl Default for Data {
    fn default() -> Self {
        Data {
            default: Arc::new(Value::Object(Map::new())),
            languages: Vec::new(),
        }
    }
}

impl Data {
    /// `data` on the pages of the language `code`.
    pub fn for_language(&self, code: &str) -> Arc<Value> {
        self.languages
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| self.default.clone(), |(_, v)| v.clone())
    }
}

/// A data file found under `data/`.
#[derive(Debug)]
struct File {
    path: PathBuf,
    /// As the user knows it: `data/events/launch.toml`.
    shown: PathBuf,
    /// Where its value goes in `data`: the folders' names, then the file's
    /// name without its language code and extension.
    key: Vec<String>,
    /// The language of a language's version; None for the original.
    lang: Option<String>,
    format: Format,
}

impl File {
    /// How templates name it: `data.events.launch`.
    fn variable(&self) -> String {
        format!("data.{}", self.key.join("."))
    }
}

/// Reads every data file under `root/data`, and every problem in them. A
/// missing folder is no data. A file that cannot be used is left out.
pub fn load(root: &Path, config: &Config) -> (Data, Vec<Diagnostic>) {
    let dir = root.join(DATA_DIR);
    if !dir.is_dir() {
        return (Data::default(), Vec::new());
    }
    let mut problems = Vec::new();
    let files = find(root, &dir, config, &mut problems);
    let files = without_clashes(files, &mut problems);
    let read: Vec<(File, Result<Value, Vec<Diagnostic>>)> = files
        .into_par_iter()
        .map(|f| {
            let value = crate::fs::read_text(&f.path, &f.shown)
                .map_err(|e| e.diagnostics().to_vec())
                .and_then(|text| f.format.parse(&text, &f.shown));
            (f, value)
        })
        .collect();
    let mut values = Vec::with_capacity(read.len());
    for (file, value) in read {
        match value {
            Ok(v) => values.push((file, v)),
            Err(mut d) => problems.append(&mut d),
        }
    }
    (assemble(values, config), problems)
}

/// Every file under `dir` that is a data file, in name order; a file of
/// another kind is a warning, a name templates could not use an error.
/// Hidden files and editors' working files are left alone.
fn find(root: &Path, dir: &Path, config: &Config, problems: &mut Vec<Diagnostic>) -> Vec<File> {
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::fs::is_editor_junk(&e.file_name().to_string_lossy())
        });
    let mut files = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let fallback = crate::fs::display_path(root, dir);
                problems.push(crate::fs::walk_problem(root, &e, fallback));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let shown = crate::fs::display_path(root, entry.path());
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        match file(&parts, &shown, config) {
            Ok((key, lang, format)) => files.push(File {
                path: entry.path().to_path_buf(),
                shown,
                key,
                lang,
                format,
            }),
            Err(problem) => problems.push(problem),
        }
    }
    files
}

/// A file's place in `data`, its language and its format, from its path
/// under `data/` (`parts`); `shown` is the path as the user knows it.
fn file(
    parts: &[String],
    shown: &Path,
    config: &Config,
) -> Result<(Vec<String>, Option<String>, Format), Diagnostic> {
    // Never empty: the walk gives files inside `data/`.
    let Some((name, folders)) = parts.split_last() else {
        return Err(Diagnostic::new(shown, "this is not a file in data/"));
    };
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let Some(format) = Format::of(extension) else {
        return Err(Diagnostic::warning(shown, "this is not a data file, and is left out")
            .with_help("data/ holds .toml, .json and .csv files; a file to publish as it is goes in static/"));
    };
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((base, code)) if !base.is_empty() && is_code(code) => (base, Some(code)),
        _ => (stem, None),
    };
    if let Some(lang) = lang {
        language(lang, config)
            .map_err(|(message, help)| Diagnostic::new(shown, message).with_help(help))?;
    }
    let key: Vec<String> = folders.iter().cloned().chain([stem.to_string()]).collect();
    if let Some(part) = key.iter().find(|p| p.contains('.') || p.is_empty()) {
        let help = format!(
            "write it with a hyphen or an underscore: `{}`",
            part.replace('.', "_")
        );
        return Err(Diagnostic::new(
            shown,
            format!(
                "`{part}` cannot name data: templates read a dot in data.<folder>.<file> as a step into a table"
            ),
        )
        .with_help(help));
    }
    Ok((key, lang.map(str::to_string), format))
}

/// Whether `lang`, from a file name, is one of the site's other languages;
/// if not, what is wrong and what would be right.
fn language(lang: &str, config: &Config) -> Result<(), (String, String)> {
    if lang == config.default_language().code {
        return Err((
            format!("`{lang}` is the site's default language, whose files carry no code"),
            format!("name the file without `.{lang}`: it is the original"),
        ));
    }
    if config.language(lang).is_none() {
        let codes: Vec<&str> = config.languages[1..]
            .iter()
            .map(|l| l.code.as_str())
            .collect();
        let known = match codes.as_slice() {
            [] => "the site has no other languages yet".to_string(),
            codes => format!("its other languages are {}", codes.join(", ")),
        };
        return Err((
            format!("`{lang}` in the file name is not one of the site's languages"),
            format!(
                "add [languages.{lang}] to site.toml to publish in it ({known}); if `.{lang}` is part of the name, write it with a hyphen"
            ),
        ));
    }
    Ok(())
}

/// The files less those that cannot all be used: two files for one name
/// (`x.toml` and `x.csv`), a file and a folder of the same name, a
/// language's version with no original. The first in name order is kept.
fn without_clashes(files: Vec<File>, problems: &mut Vec<Diagnostic>) -> Vec<File> {
    let mut kept: Vec<File> = Vec::with_capacity(files.len());
    let mut seen: HashMap<(Vec<String>, Option<String>), usize> = HashMap::new();
    for f in files {
        if let Some(&i) = seen.get(&(f.key.clone(), f.lang.clone())) {
            let (one, other) = (kept[i].shown.display(), f.shown.display());
            let message = format!("{one} and {other} are both `{}`", f.variable());
            problems.push(
                Diagnostic::new(&f.shown, message).with_help("keep one of them, or rename one"),
            );
            continue;
        }
        seen.insert((f.key.clone(), f.lang.clone()), kept.len());
        kept.push(f);
    }
    let originals: Vec<(Vec<String>, PathBuf)> = kept
        .iter()
        .filter(|f| f.lang.is_none())
        .map(|f| (f.key.clone(), f.shown.clone()))
        .collect();
    kept.retain(|f| match clash(f, &originals) {
        Some(problem) => {
            problems.push(problem);
            false
        }
        None => true,
    });
    kept
}

/// What keeps `f` out of `data`, given every original's key and file: a
/// file of the name of a folder it is in, or no original to take the place
/// of.
fn clash(f: &File, originals: &[(Vec<String>, PathBuf)]) -> Option<Diagnostic> {
    let outer = originals
        .iter()
        .find(|(o, _)| o.len() < f.key.len() && f.key.starts_with(o));
    if let Some((key, file)) = outer {
        let folder = format!("{DATA_DIR}/{}/", key.join("/"));
        let message = format!(
            "{} and the folder {folder} are both `data.{}`",
            file.display(),
            key.join(".")
        );
        let help = "a folder in data/ is a table of its files: rename the folder or the file";
        return Some(Diagnostic::new(&f.shown, message).with_help(help));
    }
    if f.lang.is_some() && !originals.iter().any(|(o, _)| *o == f.key) {
        let message = format!(
            "this language's version has no original: there is no `{}` for it to stand in for",
            f.variable()
        );
        let help = "a language's version sits beside its original, with the language's code before the extension: commitments.toml, commitments.ur.toml";
        return Some(Diagnostic::new(&f.shown, message).with_help(help));
    }
    None
}

/// Each language's `data`: the originals, then a language's own versions
/// in their place.
fn assemble(values: Vec<(File, Value)>, config: &Config) -> Data {
    let mut default = Map::new();
    for (file, value) in values.iter().filter(|(f, _)| f.lang.is_none()) {
        insert(&mut default, &file.key, value.clone(), false);
    }
    let mut languages = Vec::new();
    for lang in &config.languages[1..] {
        let mut versions = values
            .iter()
            .filter(|(f, _)| f.lang.as_ref() == Some(&lang.code))
            .peekable();
        if versions.peek().is_none() {
            continue;
        }
        let mut map = default.clone();
        for (file, value) in versions {
            insert(&mut map, &file.key, value.clone(), true);
        }
        languages.push((lang.code.clone(), Arc::new(Value::Object(map))));
    }
    Data {
        default: Arc::new(Value::Object(default)),
        languages,
    }
}

/// Puts `value` at `key`, making a table for each folder on the way; or,
/// to `merge` a language's version, over what is there.
fn insert(map: &mut Map<String, Value>, key: &[String], value: Value, merge: bool) {
    let Some((name, folders)) = key.split_last() else {
        return;
    };
    let mut at = map;
    for folder in folders {
        let entry = at
            .entry(folder.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        // A file of the folder's name was reported, and left out.
        let Value::Object(inner) = entry else {
            return;
        };
        at = inner;
    }
    match at.get_mut(name) {
        Some(original) if merge => merge_over(original, value),
        _ => {
            at.insert(name.clone(), value);
        }
    }
}

/// A language's version over its original: a table's keys one by one, so
/// a version need give only what it changes; any other value (text, a
/// number, a list) whole.
fn merge_over(original: &mut Value, version: Value) {
    match (original, version) {
        (Value::Object(original), Value::Object(version)) => {
            for (key, value) in version {
                match original.get_mut(&key) {
                    Some(o) => merge_over(o, value),
                    None => {
                        original.insert(key, value);
                    }
                }
            }
        }
        (original, version) => *original = version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config() -> Config {
        let text = "title = \"T\"\nbase_url = \"https://example.org\"\nlanguage = \"en\"\n[languages.pl]\n[languages.ur]\n";
        crate::config::parse(text, Path::new("site.toml")).unwrap()
    }

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Data, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(DATA_DIR).join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (data, mut problems) = load(dir.path(), &config());
        problems.sort();
        (dir, data, problems)
    }

    fn messages(problems: &[Diagnostic]) -> Vec<String> {
        problems
            .iter()
            .map(|d| format!("{}: {}", d.path.display(), d.message))
            .collect()
    }

    #[test]
    fn files_and_folders_become_tables_and_languages_give_what_they_change() {
        let (_dir, data, problems) = site(&[
            (
                "commitments.toml",
                "total = 43\nname = \"launch\"\nkinds = [\"a\", \"b\"]\n[event]\nname = \"launch\"\ndate = 2015-07-08\n",
            ),
            (
                "commitments.pl.toml",
                "name = \"start\"\nkinds = [\"c\"]\n[event]\nname = \"start\"\n",
            ),
            ("events/launch.json", "{\"place\": \"the MAC\"}"),
            ("partners.csv", "name\nThe MAC\n"),
            (".hidden.toml", "not = [read"),
            ("notes.toml~", "nor = [this"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        let en = data.for_language("en");
        assert_eq!(
            *en,
            json!({
                "commitments": {"total": 43, "name": "launch", "kinds": ["a", "b"], "event": {"name": "launch", "date": "2015-07-08"}},
                "events": {"launch": {"place": "the MAC"}},
                "partners": [{"name": "The MAC"}]
            })
        );
        assert_eq!(
            data.for_language("pl")["commitments"],
            json!({"total": 43, "name": "start", "kinds": ["c"], "event": {"name": "start", "date": "2015-07-08"}})
        );
        assert_eq!(data.for_language("pl")["events"], en["events"]);
        assert!(Arc::ptr_eq(&data.for_language("ur"), &en));
    }

    #[test]
    fn no_data_folder_is_an_empty_table() {
        let (_dir, data, problems) = site(&[]);
        assert!(problems.is_empty());
        assert_eq!(*data.for_language("en"), json!({}));
    }

    #[test]
    fn names_that_clash_or_cannot_be_used_are_reported() {
        let (_dir, data, problems) = site(&[
            ("commitments.csv", "a\n1\n"),
            ("commitments.toml", "a = 1"),
            ("events.toml", "a = 1"),
            ("events/launch.toml", "a = 1"),
            ("orphan.pl.toml", "a = 1"),
            ("old.de.json", "{}"),
            ("old.en.json", "{}"),
            ("v1.2.json", "{}"),
            ("readme.md", "hello"),
        ]);
        assert_eq!(
            messages(&problems),
            vec![
                "data/commitments.toml: data/commitments.csv and data/commitments.toml are both `data.commitments`",
                "data/events/launch.toml: data/events.toml and the folder data/events/ are both `data.events`",
                "data/old.de.json: `de` in the file name is not one of the site's languages",
                "data/old.en.json: `en` is the site's default language, whose files carry no code",
                "data/orphan.pl.toml: this language's version has no original: there is no `data.orphan` for it to stand in for",
                "data/readme.md: this is not a data file, and is left out",
                "data/v1.2.json: `v1.2` cannot name data: templates read a dot in data.<folder>.<file> as a step into a table",
            ]
        );
        let warnings: Vec<_> = problems.iter().filter(|d| !d.is_error()).collect();
        assert_eq!(warnings.len(), 1);
        assert_eq!(data.for_language("en")["commitments"], json!([{"a": "1"}]));
    }

    #[test]
    fn every_broken_file_is_reported() {
        let (_dir, data, problems) = site(&[
            ("a.toml", "x = 1\ny = [1,\n"),
            ("b.json", "{\"x\": }"),
            ("c.csv", "a,b\n1\n"),
            ("d.toml", "fine = true"),
        ]);
        let places: Vec<_> = problems
            .iter()
            .map(|d| (d.path.display().to_string(), d.line))
            .collect();
        assert_eq!(
            places,
            vec![
                ("data/a.toml".to_string(), Some(2)),
                ("data/b.json".to_string(), Some(1)),
                ("data/c.csv".to_string(), Some(2)),
            ]
        );
        assert_eq!(*data.for_language("en"), json!({"d": {"fine": true}}));
    }
}
