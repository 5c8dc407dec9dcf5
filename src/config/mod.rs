//! `site.toml`: parsed into raw serde types, then validated into a [`Config`]
//! with every problem reported at once. Parsing (`parse`) is apart from reading
//! the file so tests can feed text directly.

mod languages;
mod parse;
mod raw;

use std::path::{Path, PathBuf};

use crate::error::Result;
pub use languages::{Direction, Language, Translated, autonym, is_code};
pub use parse::{parse, toml_message};

/// A table of `key = "display name"` from `site.toml`, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    entries: Vec<(String, String)>,
}

impl Vocabulary {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// These entries, each with `other`'s display name where it gives one:
    /// a language's translated vocabulary over the default's.
    pub fn overlaid(&self, other: &Vocabulary) -> Vocabulary {
        let entries = self
            .entries
            .iter()
            .map(|(k, v)| (k.clone(), other.get(k).unwrap_or(v).to_string()))
            .collect();
        Vocabulary { entries }
    }

    /// The help line for an unknown key: the closest known key when there is a
    /// plausible one, else the whole list.
    pub fn help_for(&self, unknown: &str, what: &str) -> String {
        let keys: Vec<&str> = self.entries.iter().map(|(k, _)| k.as_str()).collect();
        unknown_key_help(unknown, &keys, what)
    }
}

/// "did you mean `x`?" when a key is close to a known one, else the known keys.
pub fn unknown_key_help(unknown: &str, known: &[&str], what: &str) -> String {
    if known.is_empty() {
        return format!("no {what} is defined");
    }
    if let Some(near) = nearest(unknown, known) {
        return format!("did you mean `{near}`?");
    }
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("known {what}: {list}")
}

/// The known key most like `unknown`, if any is close enough to be a likely typo.
pub fn nearest<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = unknown.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&lower, &k.to_lowercase()), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[derive(Debug, Clone)]
pub struct Social {
    /// A handle without the `@`; empty when not set.
    pub twitter: String,
    pub facebook: String,
}

#[derive(Debug, Clone)]
pub struct BuildSettings {
    pub output_dir: PathBuf,
    pub stories_per_page: usize,
    /// How many stories the Atom feed carries.
    pub feed_limit: usize,
    /// How many stories the home page shows.
    pub home_stories: usize,
}

/// How `brum check --external` asks other sites (`[check]` in site.toml).
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Addresses not to ask: a link is skipped when it starts with one.
    pub skip: Vec<String>,
    /// How long to wait for one answer, in seconds.
    pub timeout: u64,
    /// How long a good answer is kept in the cache, in hours (0: never kept).
    pub cache_hours: u64,
    /// How many requests one host gets at a time.
    pub per_host: usize,
}

/// The validated site settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`: `/` or `/sub/path/`.
    pub base_path: String,
    pub description: String,
    pub language: String,
    pub theme: String,
    pub campaign_name: String,
    pub questions: Vocabulary,
    pub topics: Vocabulary,
    pub sectors: Vocabulary,
    pub commitments: Vocabulary,
    pub social: Social,
    pub build: BuildSettings,
    pub check: CheckSettings,
    pub images: ImageSettings,
    /// Whether the site has search (`[search] enabled` in site.toml): a
    /// Pagefind index, the search page, its link in the menu, and the
    /// search action in the home page's structured data. Off unless asked
    /// for: indexing costs more than building every other page.
    pub search: bool,
    /// Every language the site is published in: the default (`language`)
    /// first, then each `[languages.<code>]` in file order.
    pub languages: Vec<Language>,
    /// The editor in the browser (`[cms] enabled`), published at `/admin/`;
    /// None when it is off.
    pub cms: Option<Cms>,
}

/// The editor in the browser (`[cms]` in site.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cms {
    /// Where the published editor saves: None when no repository is named,
    /// and then only `brum serve` can save.
    pub host: Option<GitHost>,
}

/// The git host the published editor commits to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitHost {
    /// Decap's backend name: `github`, `gitlab` or `gitea`.
    pub backend: String,
    /// `owner/name` on that host.
    pub repo: String,
    pub branch: String,
    /// The OAuth server that signs authors in (Decap's `base_url`), when it
    /// is not the host's default.
    pub auth_url: Option<String>,
}

/// How raster images are published (`[images]` in site.toml).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageSettings {
    /// The widths, in pixels, each used image is published at (smallest
    /// first); none wider than the image itself.
    pub widths: Vec<u32>,
    /// Lossy quality for JPEG and WebP, 1 to 100.
    pub quality: u8,
    /// Whether WebP copies are made beside the original format.
    pub webp: bool,
    /// Images with more pixels than this (in millions) are refused unread:
    /// a small file can claim a huge picture (a "decompression bomb").
    pub max_megapixels: u32,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: vec![480, 800, 1200, 1600],
            quality: 80,
            webp: true,
            max_megapixels: 64,
        }
    }
}

pub const FILE_NAME: &str = "site.toml";

/// Reads and validates `site.toml` in `root`.
pub fn load(root: &Path) -> Result<Config> {
    let path = root.join(FILE_NAME);
    let text = crate::fs::read_text(&path, Path::new(FILE_NAME))?;
    parse(&text, Path::new(FILE_NAME))
}

impl Config {
    /// The default language: the one published at the top.
    pub fn default_language(&self) -> &Language {
        &self.languages[0]
    }

    /// The language with this code, if the site has it.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// Whether the site is published in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The settings as `lang`'s pages see them: its code as `language`, and
    /// its title, description and vocabularies where it translates them.
    pub fn in_language(&self, lang: &Language) -> Config {
        let t = &lang.translated;
        let mut c = self.clone();
        c.language = lang.code.clone();
        if let Some(title) = &t.title {
            c.title = title.clone();
        }
        if let Some(description) = &t.description {
            c.description = description.clone();
        }
        if let Some(name) = &t.campaign_name {
            c.campaign_name = name.clone();
        }
        c.questions = self.questions.overlaid(&t.questions);
        c.topics = self.topics.overlaid(&t.topics);
        c.sectors = self.sectors.overlaid(&t.sectors);
        c.commitments = self.commitments.overlaid(&t.commitments);
        c
    }

    /// Replaces the base URL (for `--base-url` and for `serve`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) = parse::normalise_base_url(url).ok_or_else(|| {
            format!("--base-url must be an absolute http(s) URL such as https://example.org/partners/, found {url:?}")
        })?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    const MINIMAL: &str = "title = \"T\"\nbase_url = \"https://example.org/partners\"\n";

    #[test]
    fn base_url_gains_trailing_slash_and_path() {
        let c = parse(MINIMAL, Path::new("site.toml")).unwrap();
        assert_eq!(c.base_url, "https://example.org/partners/");
        assert_eq!(c.base_path, "/partners/");
        assert_eq!(c.build.stories_per_page, 10);
    }

    #[test]
    fn topics_keep_file_order() {
        let text = format!("{MINIMAL}[topics]\nzeta = \"Z\"\nalpha = \"A\"\n");
        let c = parse(&text, Path::new("site.toml")).unwrap();
        let keys: Vec<_> = c.topics.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["zeta", "alpha"]);
    }

    #[test]
    fn every_problem_is_reported() {
        let text = "title = \"\"\nbase_url = \"ftp://x\"\n[build]\nstories_per_page = 0\n";
        let Err(Error::Invalid(d)) = parse(text, Path::new("site.toml")) else {
            panic!("expected errors")
        };
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(
            d.iter()
                .any(|d| d.line == Some(4) && d.message.contains("stories_per_page"))
        );
    }

    #[test]
    fn unknown_field_names_the_line() {
        let text = format!("{MINIMAL}[build]\nstories_per_pge = 3\n");
        let Err(Error::Invalid(d)) = parse(&text, Path::new("site.toml")) else {
            panic!("expected errors")
        };
        assert_eq!(d[0].line, Some(4));
        assert!(d[0].message.contains("stories_per_pge"), "{}", d[0].message);
    }

    #[test]
    fn search_is_off_unless_asked_for() {
        assert!(!parse(MINIMAL, Path::new("site.toml")).unwrap().search);
        let on = format!("{MINIMAL}[search]\nenabled = true\n");
        assert!(parse(&on, Path::new("site.toml")).unwrap().search);
        let typo = format!("{MINIMAL}[search]\nenable = true\n");
        let Err(Error::Invalid(d)) = parse(&typo, Path::new("site.toml")) else {
            panic!("expected errors")
        };
        assert_eq!(d[0].line, Some(4));
        assert!(d[0].message.contains("enable"), "{}", d[0].message);
    }

    #[test]
    fn check_settings_have_defaults_and_are_validated() {
        let c = parse(MINIMAL, Path::new("site.toml")).unwrap();
        assert_eq!(
            (c.check.timeout, c.check.cache_hours, c.check.per_host),
            (10, 24, 2)
        );
        assert!(c.check.skip.is_empty());
        let text = format!(
            "{MINIMAL}[check]\nskip = [\"https://twitter.com/\", \" \"]\ntimeout = 3\ncache_hours = 0\nper_host = 1\n"
        );
        let c = parse(&text, Path::new("site.toml")).unwrap();
        assert_eq!(c.check.skip, ["https://twitter.com/"]);
        assert_eq!(
            (c.check.timeout, c.check.cache_hours, c.check.per_host),
            (3, 0, 1)
        );
        let text = format!("{MINIMAL}[check]\ntimeout = 0\ncache_hours = -1\n");
        let Err(Error::Invalid(d)) = parse(&text, Path::new("site.toml")) else {
            panic!("expected errors")
        };
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].line, Some(4));
        assert_eq!(d[1].line, Some(5));
    }

    const LANGUAGES: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"en-GB\"\n\
        [topics]\neconomy = \"Economy\"\nculture = \"Culture\"\n\
        [languages.ur]\nname = \"اردو\"\ntitle = \"برمنگھم پارٹنرز\"\n\
        [languages.ur.topics]\nculture = \"ثقافت\"\n\
        [languages.pl]\n";

    #[test]
    fn languages_come_in_file_order_after_the_default() {
        let c = parse(LANGUAGES, Path::new("site.toml")).unwrap();
        let codes: Vec<_> = c.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en-GB", "ur", "pl"]);
        let names: Vec<_> = c.languages.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["English", "اردو", "Polski"]);
        let dirs: Vec<_> = c.languages.iter().map(|l| l.dir).collect();
        assert_eq!(dirs, [Direction::Ltr, Direction::Rtl, Direction::Ltr]);
        assert_eq!(c.languages[1].prefix(), "ur");
        assert_eq!(c.default_language().prefix(), "");
        assert!(c.is_multilingual());
    }

    #[test]
    fn a_language_falls_back_to_the_default_where_it_says_nothing() {
        let c = parse(LANGUAGES, Path::new("site.toml")).unwrap();
        let ur = c.in_language(&c.languages[1]);
        assert_eq!(ur.language, "ur");
        assert_eq!(ur.title, "برمنگھم پارٹنرز");
        assert_eq!(ur.topics.get("culture"), Some("ثقافت"));
        assert_eq!(ur.topics.get("economy"), Some("Economy"));
        let pl = c.in_language(&c.languages[2]);
        assert_eq!(pl.title, "T");
    }

    #[test]
    fn language_problems_name_their_lines() {
        let text = format!(
            "{MINIMAL}[topics]\nculture = \"C\"\n[languages.ur]\ndir = \"right\"\n\
             [languages.ur.topics]\ncultur = \"ثقافت\"\n[languages.Polish]\n"
        );
        let Err(Error::Invalid(d)) = parse(&text, Path::new("site.toml")) else {
            panic!("expected errors")
        };
        let lines: Vec<_> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(d.len(), 3, "{lines:?}");
        assert_eq!(d[0].line, Some(6), "{lines:?}");
        assert!(d[0].message.contains("`dir` must be \"rtl\" or \"ltr\""));
        assert_eq!(d[1].line, Some(8), "{lines:?}");
        assert!(d[1].help.as_deref().unwrap_or("").contains("culture"));
        assert_eq!(d[2].line, Some(9), "{lines:?}");
        assert!(d[2].message.contains("not a language code"));
    }

    #[test]
    fn nearest_finds_typos_only() {
        assert_eq!(nearest("cultre", &["culture", "economy"]), Some("culture"));
        assert_eq!(nearest("zzz", &["culture", "economy"]), None);
    }
}
