//! `site.toml`: parsed into raw serde types, then validated into a [`Config`]
//! with every problem reported at once. Parsing (`parse`) is apart from reading
//! the file so tests can feed text directly.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Error, LineIndex, Result};

/// A table of `key = "display name"` from `site.toml`, in file order.
#[derive(Debug, Clone, Default)]
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    campaign: RawCampaign,
    #[serde(default)]
    topics: toml::Table,
    #[serde(default)]
    sectors: toml::Table,
    #[serde(default)]
    commitments: toml::Table,
    #[serde(default)]
    social: RawSocial,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    images: RawImages,
    #[serde(default)]
    search: RawSearch,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    #[serde(default)]
    enabled: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawImages {
    widths: Option<Vec<i64>>,
    quality: Option<i64>,
    webp: Option<bool>,
    max_megapixels: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(default)]
    skip: Vec<String>,
    timeout: Option<i64>,
    cache_hours: Option<i64>,
    per_host: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    #[serde(default)]
    name: String,
    #[serde(default)]
    questions: toml::Table,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSocial {
    #[serde(default)]
    twitter: String,
    #[serde(default)]
    facebook: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    output_dir: Option<PathBuf>,
    stories_per_page: Option<i64>,
    feed_limit: Option<i64>,
    home_stories: Option<i64>,
}

fn default_language() -> String {
    "en".into()
}

fn default_theme() -> String {
    "default".into()
}

pub const FILE_NAME: &str = "site.toml";

/// Reads and validates `site.toml` in `root`.
pub fn load(root: &Path) -> Result<Config> {
    let path = root.join(FILE_NAME);
    let text = crate::fs::read_text(&path, Path::new(FILE_NAME))?;
    parse(&text, Path::new(FILE_NAME))
}

/// Validates the text of a `site.toml`; `display_path` names it in errors.
pub fn parse(text: &str, display_path: &Path) -> Result<Config> {
    let lines = LineIndex::new(text);
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new(display_path, toml_message(&e));
        if let Some(span) = e.span() {
            d = d.at(lines.position(span.start));
        }
        Error::invalid(vec![d.with_help(
            "see the site.toml example in CONTENT.md: title, base_url, [campaign], [topics], [sectors], [commitments], [social], [build], [images], [search], and [check] for brum check",
        )])
    })?;
    let mut errors = Vec::new();
    // Destructured so that a new raw field cannot be silently ignored.
    let RawConfig {
        title,
        base_url,
        description,
        language,
        theme,
        campaign,
        topics,
        sectors,
        commitments,
        social,
        build,
        check,
        images,
        search,
    } = raw;

    let line_of = |needle: &str| {
        text.find(needle)
            .map(|i| lines.position(i).line)
            .unwrap_or(1)
    };
    let mut err = |needle: &str, message: String, help: &str| {
        errors.push(
            Diagnostic::new(display_path, message)
                .at_line(line_of(needle))
                .with_help(help),
        );
    };

    let (base_url, base_path) = match normalise_base_url(&base_url) {
        Some(pair) => pair,
        None => {
            err(
                "base_url",
                format!("`base_url` must be an absolute http(s) URL, found {base_url:?}"),
                "for example base_url = \"https://www.birminghampartners.com\" or \"https://example.org/partners/\"",
            );
            (String::from("/"), String::from("/"))
        }
    };
    if title.trim().is_empty() {
        err(
            "title",
            "`title` is empty".into(),
            "give the site a name, e.g. title = \"Birmingham Partners\"",
        );
    }
    let mut vocab = |table: toml::Table, name: &str, section: &str| -> Vocabulary {
        let mut entries = Vec::new();
        for (key, value) in table {
            match value {
                toml::Value::String(s) => entries.push((key, s)),
                other => err(
                    &format!("{key} ="),
                    format!(
                        "[{section}] `{key}` must be a string (its display name), found {}",
                        other.type_str()
                    ),
                    &format!("for example {key} = \"{name}\""),
                ),
            }
        }
        Vocabulary { entries }
    };
    let questions = vocab(
        campaign.questions,
        "What's great about Birmingham?",
        "campaign.questions",
    );
    let topics = vocab(topics, "Culture", "topics");
    let sectors = vocab(sectors, "Public sector", "sectors");
    let commitments = vocab(commitments, "Host events", "commitments");

    let mut positive = |value: Option<i64>, key: &str, default: usize| -> usize {
        match value {
            None => default,
            Some(n) if n >= 1 => usize::try_from(n).unwrap_or(default),
            Some(n) => {
                err(
                    key,
                    format!("`{key}` must be at least 1, found {n}"),
                    &format!("for example {key} = {default}"),
                );
                default
            }
        }
    };
    let stories_per_page = positive(build.stories_per_page, "stories_per_page", 10);
    let feed_limit = positive(build.feed_limit, "feed_limit", 20);
    let home_stories = positive(build.home_stories, "home_stories", 6);
    let timeout = positive(check.timeout, "timeout", 10) as u64;
    let per_host = positive(check.per_host, "per_host", 2);
    let cache_hours = match check.cache_hours {
        None => 24,
        Some(n) if n >= 0 => n as u64,
        Some(n) => {
            err(
                "cache_hours",
                format!("[check] `cache_hours` cannot be negative, found {n}"),
                "for example cache_hours = 24, or 0 to ask every time",
            );
            0
        }
    };
    let images = image_settings(images, &mut err);
    let skip: Vec<String> = check
        .skip
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();

    if !errors.is_empty() {
        return Err(Error::invalid(errors));
    }
    Ok(Config {
        title,
        base_url,
        base_path,
        description,
        language,
        theme,
        campaign_name: campaign.name,
        questions,
        topics,
        sectors,
        commitments,
        social: Social {
            twitter: social.twitter.trim_start_matches('@').to_string(),
            facebook: social.facebook,
        },
        build: BuildSettings {
            output_dir: build.output_dir.unwrap_or_else(|| PathBuf::from("public")),
            stories_per_page,
            feed_limit,
            home_stories,
        },
        check: CheckSettings {
            skip,
            timeout,
            cache_hours,
            per_host,
        },
        images,
        search: search.enabled,
    })
}

/// Validates `[images]`; `err` records a problem at the line of its key.
fn image_settings(raw: RawImages, err: &mut impl FnMut(&str, String, &str)) -> ImageSettings {
    let RawImages {
        widths,
        quality,
        webp,
        max_megapixels,
    } = raw;
    let defaults = ImageSettings::default();
    let widths = match widths {
        None => defaults.widths,
        Some(list) => {
            let mut good: Vec<u32> = Vec::with_capacity(list.len());
            for w in list {
                match u32::try_from(w) {
                    Ok(w) if (16..=8192).contains(&w) => good.push(w),
                    _ => err(
                        "widths",
                        format!(
                            "[images] `widths` must be pixel widths from 16 to 8192, found {w}"
                        ),
                        "for example widths = [480, 800, 1200, 1600]",
                    ),
                }
            }
            good.sort_unstable();
            good.dedup();
            if good.is_empty() {
                err(
                    "widths",
                    "[images] `widths` needs at least one width".into(),
                    "for example widths = [480, 800, 1200, 1600]",
                );
                defaults.widths
            } else {
                good
            }
        }
    };
    let quality = match quality {
        None => defaults.quality,
        Some(q) if (1..=100).contains(&q) => q as u8,
        Some(q) => {
            err(
                "quality",
                format!("[images] `quality` must be from 1 to 100, found {q}"),
                "for example quality = 80 (higher is sharper and heavier)",
            );
            defaults.quality
        }
    };
    let max_megapixels = match max_megapixels {
        None => defaults.max_megapixels,
        Some(n) if (1..=1000).contains(&n) => n as u32,
        Some(n) => {
            err(
                "max_megapixels",
                format!("[images] `max_megapixels` must be from 1 to 1000, found {n}"),
                "for example max_megapixels = 64 (a 48-megapixel phone photo fits)",
            );
            defaults.max_megapixels
        }
    };
    ImageSettings {
        widths,
        quality,
        webp: webp.unwrap_or(defaults.webp),
        max_megapixels,
    }
}

impl Config {
    /// Replaces the base URL (for `--base-url` and for `serve`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) = normalise_base_url(url).ok_or_else(|| {
            format!("--base-url must be an absolute http(s) URL such as https://example.org/partners/, found {url:?}")
        })?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }
}

/// `https://host/sub` → (`https://host/sub/`, `/sub/`). None when not http(s).
fn normalise_base_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(char::is_whitespace) || path.contains(['?', '#']) {
        return None;
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    let scheme_len = url.len() - rest.len();
    Some((format!("{}{host}{path}", &url[..scheme_len]), path))
}

/// toml's messages start with a "TOML parse error" banner and a snippet; keep
/// only the sentence, since the position is reported apart.
pub fn toml_message(e: &toml::de::Error) -> String {
    let m = e.message().trim();
    let m = m.strip_suffix('.').unwrap_or(m);
    let m = m
        .replace("expected i64", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected usize", "expected a whole number");
    format!("invalid TOML: {m}")
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn nearest_finds_typos_only() {
        assert_eq!(nearest("cultre", &["culture", "economy"]), Some("culture"));
        assert_eq!(nearest("zzz", &["culture", "economy"]), None);
    }
}
