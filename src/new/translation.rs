//! `brum new <kind> "<title>" --lang ur --from canal-walks`: a translation
//! beside its original (`canal-walks.ur.md`, or `index.ur.md` in a bundle).
//! The original's words are carried over to be translated (its title is the
//! one given; its summary, alt texts, description, location; its body); the
//! fields a translation takes from its original (date, partner, topics…)
//! are shown as comments, so the translator sees them without fixing them.

use std::path::{Path, PathBuf};

use super::{NewOptions, arg_name, invalid, quoted, write_new};
use crate::config::Config;
use crate::content::Section;
use crate::content::frontmatter;
use crate::error::{Error, Result};

/// Front-matter fields of each kind that are words to translate.
fn words(section: Section) -> &'static [&'static str] {
    match section {
        Section::Stories => &["summary", "author", "image_alt"],
        Section::Partners => &["logo_alt"],
        Section::Timeline => &["location"],
        Section::Pages => &["description"],
    }
}

/// The field that names an item: a partner's `name`, else `title`.
fn title_key(section: Section) -> &'static str {
    match section {
        Section::Partners => "name",
        _ => "title",
    }
}

/// Writes the translation of `from` into `lang`; returns its path.
pub fn create(options: &NewOptions, config: &Config, lang: &str, from: &str) -> Result<PathBuf> {
    let section = options.section;
    check_language(config, lang)?;
    let (original, translation) = paths(&options.root, section, from, lang)?;
    let text = crate::fs::read_text(&options.root.join(&original), &original)?;
    let contents = translation_text(section, &options.title, &text, &original)?;
    write_new(&options.root, &translation, &contents, section)?;
    Ok(options.root.join(translation))
}

fn check_language(config: &Config, lang: &str) -> Result<()> {
    let others: Vec<&str> = config.languages[1..]
        .iter()
        .map(|l| l.code.as_str())
        .collect();
    if config.language(lang).is_some_and(|l| !l.default) {
        return Ok(());
    }
    let help = if others.is_empty() {
        format!("add the language to site.toml first, e.g.\n[languages.{lang}]\nname = \"…\"")
    } else {
        format!(
            "the site's other languages are {}; add [languages.{lang}] to site.toml to publish in it",
            others.join(", ")
        )
    };
    let message = if config.language(lang).is_some() {
        format!("`{lang}` is the site's default language: its files are the originals")
    } else {
        format!("`{lang}` is not one of the site's languages")
    };
    Err(invalid(crate::config::FILE_NAME, message, help))
}

/// The original's file and the translation's, relative to the site root.
fn paths(root: &Path, section: Section, from: &str, lang: &str) -> Result<(PathBuf, PathBuf)> {
    let dir = Path::new(crate::content::load::CONTENT_DIR).join(section.dir());
    let flat = dir.join(format!("{from}.md"));
    let bundled = dir.join(from).join("index.md");
    if root.join(&flat).is_file() {
        Ok((flat, dir.join(format!("{from}.{lang}.md"))))
    } else if root.join(&bundled).is_file() {
        Ok((bundled, dir.join(from).join(format!("index.{lang}.md"))))
    } else {
        Err(invalid(
            "",
            format!(
                "there is no {} `{from}` to translate: neither {} nor {} exists",
                section.noun(),
                flat.display(),
                bundled.display()
            ),
            format!(
                "--from takes the original's file name without .md, e.g. brum new {} \"…\" --lang {lang} --from canal-walks",
                arg_name(section)
            ),
        ))
    }
}

/// The translation's text: the given title, the original's words to
/// translate, its other fields as comments, and its body.
fn translation_text(section: Section, title: &str, original: &str, path: &Path) -> Result<String> {
    let split = frontmatter::split(original, path).map_err(|d| Error::invalid(vec![d]))?;
    let table: toml::Table = toml::from_str(split.front_matter).map_err(|e| {
        invalid(
            &path.display().to_string(),
            format!(
                "the original's front matter cannot be read: {}",
                crate::config::toml_message(&e)
            ),
            "fix the original first (brum check shows where), then translate it".to_string(),
        )
    })?;
    let mut out = String::from("+++\n");
    out.push_str(&format!(
        "{} = {}\n",
        title_key(section),
        quoted(title.trim())
    ));
    let words = words(section);
    for (key, value) in &table {
        if words.contains(&key.as_str()) {
            out.push_str(&format!("{key} = {value}  # translate\n"));
        }
    }
    out.push_str("draft = true\n# needs_review = true  # until someone who speaks the language has read it\n");
    let inherited: Vec<_> = table
        .iter()
        .filter(|(k, _)| {
            let k = k.as_str();
            k != title_key(section)
                && !words.contains(&k)
                // Not inherited: the translation sets its own or none.
                && !["draft", "aliases", "needs_review", "review_by"].contains(&k)
        })
        .collect();
    if !inherited.is_empty() {
        out.push_str("# From the original (set one here only to differ from it):\n");
        for (key, value) in inherited {
            out.push_str(&format!("# {key} = {value}\n"));
        }
    }
    out.push_str("+++\n");
    out.push_str(split.body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_carries_the_originals_words_and_shows_the_rest() {
        let original = "+++\ntitle = \"Canal walks\"\ndate = 2015-09-01\npartner = \"the-mac\"\nsummary = \"Weekly walks.\"\naliases = [\"/old/\"]\n+++\nEvery Saturday.\n";
        let text =
            translation_text(Section::Stories, "نہر کی سیر", original, Path::new("x.md")).unwrap();
        assert_eq!(
            text,
            "+++\ntitle = \"نہر کی سیر\"\nsummary = \"Weekly walks.\"  # translate\ndraft = true\n# needs_review = true  # until someone who speaks the language has read it\n# From the original (set one here only to differ from it):\n# date = 2015-09-01\n# partner = \"the-mac\"\n+++\nEvery Saturday.\n"
        );
    }
}
