//! The theme's own words in each of the site's languages ("Published",
//! "Share", the navigation, the 404 and search pages, the months): the
//! theme's `i18n/<code>.toml` files, each key overridable by the site's
//! own `i18n/<code>.toml`. The theme's `en.toml` names every key; a word a
//! language's files do not give falls back to the default language's, then
//! to English. Templates see a page's language's words as `t`.
//!
//! A word may hold placeholders (`{name}`), filled with [`fill`] in Rust
//! and the `fill` filter in templates, which also makes `<name>…</name>`
//! a link. A count is a table of the language's plural forms (CLDR's
//! categories: `one`, `few`, `many`, `other`), chosen by [`plural_category`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::config::{Config, Language};
use crate::error::{Diagnostic, LineIndex};
use crate::theme::Theme;

/// The folder of translation files, in a theme and in a site.
pub const DIR: &str = "i18n";

/// The language every theme writes its words in first.
const BASE: &str = "en";

/// Every language's words, complete.
#[derive(Debug, Default)]
pub struct Strings {
    /// Language code → its words (a JSON object for templates), shared
    /// by every page's context rather than copied into each.
    by_lang: HashMap<String, Arc<Value>>,
    /// Language code → the keys its own files do not give.
    missing: HashMap<String, Vec<String>>,
}

/// One translation file's words, by key.
type FileWords = BTreeMap<String, Value>;

impl Strings {
    /// A language's words, as templates see them (`t`).
    pub fn of(&self, code: &str) -> &Value {
        static EMPTY: Value = Value::Null;
        self.by_lang.get(code).map_or(&EMPTY, |v| &**v)
    }

    /// A language's words as a page's context holds them: shared.
    pub fn shared(&self, code: &str) -> Arc<Value> {
        self.by_lang.get(code).cloned().unwrap_or_default()
    }

    /// One word in a language; the key itself when no file has it.
    pub fn word<'s>(&'s self, code: &str, key: &'s str) -> &'s str {
        self.of(code)
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(key)
    }

    /// A language's words, for code that writes pages (the pictures).
    pub fn words<'s>(&'s self, code: &'s str) -> Words<'s> {
        Words {
            strings: self,
            code,
        }
    }

    /// A count in a language: the plural form `n` takes, from the table at
    /// `key`, with `{n}` filled in.
    pub fn count(&self, code: &str, key: &str, n: usize) -> String {
        let form = plural_form(self.of(code).get(key), code, n as f64).unwrap_or(key);
        form.replace("{n}", &n.to_string())
    }

    /// The keys a language's own files leave to another language.
    pub fn missing(&self, code: &str) -> &[String] {
        self.missing.get(code).map_or(&[], Vec::as_slice)
    }

    /// How a language writes a date: its `date_format` with `{day}`,
    /// `{month}` and `{year}`, and its `months`.
    pub fn date(&self, code: &str, day: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let t = self.of(code);
        let month = t
            .get("months")
            .and_then(|m| m.get(day.month0() as usize))
            .and_then(Value::as_str)
            .map_or_else(|| day.month().to_string(), str::to_string);
        let format = t
            .get("date_format")
            .and_then(Value::as_str)
            .unwrap_or("{day} {month} {year}");
        format
            .replace("{day}", &day.day().to_string())
            .replace("{month}", &month)
            .replace("{year}", &day.year().to_string())
    }
}

/// One language's words: [`Strings`] with the language chosen.
#[derive(Clone, Copy)]
pub struct Words<'s> {
    strings: &'s Strings,
    code: &'s str,
}

impl<'s> Words<'s> {
    pub fn word(&self, key: &'s str) -> &'s str {
        self.strings.word(self.code, key)
    }

    /// A word with its placeholders filled: `{name}` becomes `value`.
    pub fn fill(&self, key: &'s str, values: &[(&str, &str)]) -> String {
        fill(self.word(key), values)
    }

    /// A count: see [`Strings::count`].
    pub fn count(&self, key: &str, n: usize) -> String {
        self.strings.count(self.code, key, n)
    }

    /// A list of words (`months`); empty when the key is not a list.
    pub fn list(&self, key: &str) -> Vec<&'s str> {
        let value = self.strings.of(self.code).get(key);
        let items = value
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        items.iter().filter_map(Value::as_str).collect()
    }

    /// A date in this language: see [`Strings::date`].
    pub fn date(&self, day: chrono::NaiveDate) -> String {
        self.strings.date(self.code, day)
    }
}

/// `text` with each `{name}` replaced by its value, in one pass (a value
/// is never read for placeholders); other braces are left as they are.
/// Text, not HTML: the caller escapes the result for where it goes.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let value = tail.find('}').and_then(|end| {
            let (_, v) = values.iter().find(|(name, _)| *name == &tail[..end])?;
            Some((v, end))
        });
        match value {
            Some((v, end)) => {
                out.push_str(v);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('{');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The plural category a number takes in a language (CLDR's rules, for
/// whole numbers and decimals): `one`, `few`, `many` or `other`. Polish
/// has its own rule; every other language is given English's (which is
/// Urdu's too): `one` for exactly 1, else `other`. A language with another
/// rule needs it added here.
pub fn plural_category(code: &str, n: f64) -> &'static str {
    let primary = code.split(['-', '_']).next().unwrap_or(code);
    let whole = n.fract() == 0.0 && n >= 0.0;
    let i = n.abs().trunc() as u64;
    match primary.to_ascii_lowercase().as_str() {
        "pl" if !whole => "other",
        "pl" if i == 1 => "one",
        "pl" if (2..=4).contains(&(i % 10)) && !(12..=14).contains(&(i % 100)) => "few",
        "pl" => "many",
        _ if whole && i == 1 => "one",
        _ => "other",
    }
}

/// The form of a count a language uses for `n`: from a table of plural
/// forms, its category's, else `other`'s, else the first; a plain word is
/// its own form.
pub fn plural_form<'v>(value: Option<&'v Value>, code: &str, n: f64) -> Option<&'v str> {
    match value? {
        Value::String(s) => Some(s),
        Value::Object(forms) => forms
            .get(plural_category(code, n))
            .or_else(|| forms.get("other"))
            .or_else(|| forms.values().next())
            .and_then(Value::as_str),
        _ => None,
    }
}

/// Reads the theme's and the site's translation files and completes each
/// language's words. Problems: a file that is not TOML, a value that is not
/// text, a key of the site's that the theme does not have.
pub fn load(root: &Path, config: &Config, theme: &Theme) -> (Strings, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let theme_files = read_theme(root, theme, &mut errors);
    let site_files = read_folder(root, &root.join(DIR), &mut errors);
    let keys: Vec<&String> = theme_files
        .get(BASE)
        .map(|w| w.keys().collect())
        .unwrap_or_default();
    for (code, (path, words)) in &site_files {
        for key in words.keys().filter(|k| !keys.contains(k)) {
            let theme_file = format!("{DIR}/{BASE}.toml");
            errors.push(
                Diagnostic::warning(
                    path,
                    format!("`{key}` in {code}.toml is not one of the theme's words"),
                )
                .with_help(format!(
                    "the theme's words are the keys of its {theme_file}; check the spelling"
                )),
            );
        }
    }
    let layer = |code: &str| -> Vec<&FileWords> {
        let site = site_files.get(code).map(|(_, w)| w);
        site.into_iter().chain(theme_files.get(code)).collect()
    };
    let mut strings = Strings::default();
    let default = config.default_language();
    for lang in &config.languages {
        let own: Vec<&FileWords> = codes(lang).iter().flat_map(|c| layer(c)).collect();
        let fallback: Vec<&FileWords> = codes(default)
            .iter()
            .chain([&BASE.to_string()])
            .flat_map(|c| layer(c))
            .collect();
        let mut object = serde_json::Map::new();
        let mut missing = Vec::new();
        for key in &keys {
            let found = own.iter().find_map(|w| w.get(*key));
            if found.is_none() {
                missing.push((*key).clone());
            }
            if let Some(v) = found.or_else(|| fallback.iter().find_map(|w| w.get(*key))) {
                object.insert((*key).clone(), v.clone());
            }
        }
        strings
            .by_lang
            .insert(lang.code.clone(), Arc::new(Value::Object(object)));
        strings.missing.insert(lang.code.clone(), missing);
    }
    (strings, errors)
}

/// The files a language's words come from, most particular first:
/// `pt-BR`, then `pt`.
fn codes(lang: &Language) -> Vec<String> {
    let mut codes = vec![lang.code.clone()];
    if let Some((primary, _)) = lang.code.split_once('-') {
        codes.push(primary.to_string());
    }
    codes
}

/// The theme's translation files, by language code.
fn read_theme(
    root: &Path,
    theme: &Theme,
    errors: &mut Vec<Diagnostic>,
) -> HashMap<String, FileWords> {
    match theme {
        Theme::Folder(dir) => read_folder(root, &dir.join(DIR), errors)
            .into_iter()
            .map(|(code, (_, words))| (code, words))
            .collect(),
        Theme::Builtin => Theme::builtin_files(DIR)
            .into_iter()
            .filter_map(|(name, bytes)| {
                let code = name.strip_suffix(".toml")?.to_string();
                let path = PathBuf::from(format!("(brum's built-in theme)/{DIR}/{name}"));
                let text = String::from_utf8_lossy(bytes);
                Some((code, parse(&text, &path, errors)))
            })
            .collect(),
    }
}

/// Every `<code>.toml` in `dir`, with the path messages name it by.
fn read_folder(
    root: &Path,
    dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> HashMap<String, (PathBuf, FileWords)> {
    let mut out = HashMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        let Some(code) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".toml"))
        else {
            continue;
        };
        let shown = crate::fs::display_path(root, &path);
        match crate::fs::read_text(&path, &shown) {
            Ok(text) => {
                let words = parse(&text, &shown, errors);
                out.insert(code.to_string(), (shown, words));
            }
            Err(e) => errors.extend(e.diagnostics().iter().cloned()),
        }
    }
    out
}

/// The names a count's forms may have: CLDR's plural categories.
const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One file's words: text, lists of text (`months`), or tables of a
/// count's plural forms (`{ one = "{n} story", other = "{n} stories" }`).
fn parse(text: &str, path: &Path, errors: &mut Vec<Diagnostic>) -> FileWords {
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let mut d = Diagnostic::new(path, crate::config::toml_message(&e));
            if let Some(span) = e.span() {
                d = d.at(LineIndex::new(text).position(span.start));
            }
            errors.push(d.with_help("a translation file is TOML: published = \"Published\""));
            return FileWords::new();
        }
    };
    let mut words = FileWords::new();
    for (key, value) in table {
        let ok = match &value {
            toml::Value::String(_) => true,
            toml::Value::Array(items) => items.iter().all(toml::Value::is_str),
            toml::Value::Table(forms) => forms
                .iter()
                .all(|(k, v)| v.is_str() && PLURAL_CATEGORIES.contains(&k.as_str())),
            _ => false,
        };
        if !ok {
            let line = text
                .find(&format!("{key} ="))
                .map_or(1, |i| LineIndex::new(text).position(i).line);
            errors.push(
                Diagnostic::new(
                    path,
                    format!("`{key}` must be text in double quotes, a list of them, or a table of plural forms"),
                )
                .at_line(line)
                .with_help(format!("for example {key} = \"…\", or for a count {key} = {{ one = \"{{n}} …\", other = \"{{n}} …\" }} (the forms are CLDR's: zero, one, two, few, many, other)")),
            );
            continue;
        }
        words.insert(key, serde_json::to_value(&value).unwrap_or(Value::Null));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_written_in_the_languages_words() {
        let mut strings = Strings::default();
        strings.by_lang.insert(
            "pl".into(),
            Arc::new(serde_json::json!({"date_format": "{day} {month} {year}", "months": ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"]})),
        );
        let day = chrono::NaiveDate::from_ymd_opt(2015, 7, 8).unwrap();
        assert_eq!(strings.date("pl", day), "8 lipca 2015");
        assert_eq!(strings.date("xx", day), "8 7 2015");
    }
}
