//! Validating `site.toml`: the raw values serde read, checked one table at a
//! time, every problem collected at the line of its key before any stops
//! the load.

mod cms;
mod languages;

use std::path::{Path, PathBuf};

use super::raw::{RawBuild, RawCheck, RawConfig, RawImages};
use super::{BuildSettings, CheckSettings, Config, ImageSettings, Social, Vocabulary};
use crate::error::{Diagnostic, Error, LineIndex, Result};

/// The problems found in one `site.toml`, each placed at the line of the
/// key it is about.
struct Problems<'a> {
    text: &'a str,
    lines: LineIndex<'a>,
    path: &'a Path,
    found: Vec<Diagnostic>,
}

impl Problems<'_> {
    /// A problem with the value written after `needle` (a key).
    fn at(&mut self, needle: &str, message: String, help: &str) {
        let line = self
            .text
            .find(needle)
            .map_or(1, |i| self.lines.position(i).line);
        let d = Diagnostic::new(self.path, message)
            .at_line(line)
            .with_help(help);
        self.found.push(d);
    }

    /// A problem with the value written after `needle`, looking from byte
    /// `start` on (inside one table), else anywhere.
    fn at_from(&mut self, start: usize, needle: &str, message: String, help: &str) {
        let found = self.text.get(start..).and_then(|rest| rest.find(needle));
        match found {
            Some(i) => self.at_span(start + i..start + i, message, help),
            None => self.at(needle, message, help),
        }
    }

    /// A problem with the value at byte range `span` of the file.
    fn at_span(&mut self, span: std::ops::Range<usize>, message: String, help: &str) {
        let d = Diagnostic::new(self.path, message)
            .at(self.lines.position(span.start))
            .with_help(help);
        self.found.push(d);
    }

    /// A whole number of at least 1, else `default` and a problem.
    fn positive(&mut self, value: Option<i64>, key: &str, default: usize) -> usize {
        match value {
            None => default,
            Some(n) if n >= 1 => usize::try_from(n).unwrap_or(default),
            Some(n) => {
                let help = format!("for example {key} = {default}");
                self.at(key, format!("`{key}` must be at least 1, found {n}"), &help);
                default
            }
        }
    }
}

/// Validates the text of a `site.toml`; `display_path` names it in errors.
pub fn parse(text: &str, display_path: &Path) -> Result<Config> {
    let raw = read(text, display_path)?;
    let mut problems = Problems {
        text,
        lines: LineIndex::new(text),
        path: display_path,
        found: Vec::new(),
    };
    let config = validate(raw, &mut problems);
    if problems.found.is_empty() {
        Ok(config)
    } else {
        Err(Error::invalid(problems.found))
    }
}

/// The TOML read into raw values: a syntax error or a misspelt key is
/// reported at its line.
fn read(text: &str, display_path: &Path) -> Result<RawConfig> {
    toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new(display_path, toml_message(&e));
        if let Some(span) = e.span() {
            d = d.at(LineIndex::new(text).position(span.start));
        }
        Error::invalid(vec![d.with_help(
            "see the site.toml example in docs/content.md: title, base_url, [campaign], [topics], [sectors], [commitments], [social], [build], [images], [search], [cms], and [check] for brum check",
        )])
    })
}

/// Every table checked; what is wrong is in `p`, with a default in its place.
fn validate(raw: RawConfig, p: &mut Problems) -> Config {
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
        languages,
        cms,
    } = raw;
    let (base_url, base_path) = base_url_of(&base_url, p);
    if title.trim().is_empty() {
        let help = "give the site a name, e.g. title = \"Birmingham Partners\"";
        p.at("title", "`title` is empty".into(), help);
    }
    let questions = vocabulary(campaign.questions, "campaign.questions", p);
    let topics = vocabulary(topics, "topics", p);
    let sectors = vocabulary(sectors, "sectors", p);
    let commitments = vocabulary(commitments, "commitments", p);
    let known = Known {
        questions: &questions,
        topics: &topics,
        sectors: &sectors,
        commitments: &commitments,
    };
    let languages = languages::validate(&language, languages, &known, p);
    Config {
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
        languages,
        social: Social {
            twitter: social.twitter.trim_start_matches('@').to_string(),
            facebook: social.facebook,
        },
        build: build_settings(build, p),
        check: check_settings(check, p),
        images: image_settings(images, p),
        search: search.enabled,
        cms: cms::validate(cms, p),
    }
}

/// The base URL with its path apart: `https://host/sub` → (`https://host/sub/`, `/sub/`).
fn base_url_of(base_url: &str, p: &mut Problems) -> (String, String) {
    normalise_base_url(base_url).unwrap_or_else(|| {
        p.at(
            "base_url",
            format!("`base_url` must be an absolute http(s) URL, found {base_url:?}"),
            "for example base_url = \"https://www.birminghampartners.com\" or \"https://example.org/partners/\"",
        );
        (String::from("/"), String::from("/"))
    })
}

/// The default language's vocabularies, which a language's own may only
/// translate.
struct Known<'a> {
    questions: &'a Vocabulary,
    topics: &'a Vocabulary,
    sectors: &'a Vocabulary,
    commitments: &'a Vocabulary,
}

/// A `key = "display name"` table such as `[topics]`, in file order.
fn vocabulary(table: toml::Table, section: &str, p: &mut Problems) -> Vocabulary {
    let example = match section {
        "campaign.questions" => "What's great about Birmingham?",
        "sectors" => "Public sector",
        "commitments" => "Host events",
        _ => "Culture",
    };
    let mut entries = Vec::new();
    for (key, value) in table {
        match value {
            toml::Value::String(s) => entries.push((key, s)),
            other => p.at(
                &format!("{key} ="),
                format!(
                    "[{section}] `{key}` must be a string (its display name), found {}",
                    other.type_str()
                ),
                &format!("for example {key} = \"{example}\""),
            ),
        }
    }
    Vocabulary { entries }
}

fn build_settings(build: RawBuild, p: &mut Problems) -> BuildSettings {
    BuildSettings {
        output_dir: build.output_dir.unwrap_or_else(|| PathBuf::from("public")),
        stories_per_page: p.positive(build.stories_per_page, "stories_per_page", 10),
        feed_limit: p.positive(build.feed_limit, "feed_limit", 20),
        home_stories: p.positive(build.home_stories, "home_stories", 6),
    }
}

fn check_settings(check: RawCheck, p: &mut Problems) -> CheckSettings {
    let timeout = p.positive(check.timeout, "timeout", 10) as u64;
    let per_host = p.positive(check.per_host, "per_host", 2);
    let cache_hours = match check.cache_hours {
        None => 24,
        Some(n) if n >= 0 => n as u64,
        Some(n) => {
            p.at(
                "cache_hours",
                format!("[check] `cache_hours` cannot be negative, found {n}"),
                "for example cache_hours = 24, or 0 to ask every time",
            );
            0
        }
    };
    let skip = check
        .skip
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    CheckSettings {
        skip,
        timeout,
        cache_hours,
        per_host,
    }
}

/// Validates `[images]`.
fn image_settings(raw: RawImages, p: &mut Problems) -> ImageSettings {
    let RawImages {
        widths,
        quality,
        webp,
        max_megapixels,
    } = raw;
    let defaults = ImageSettings::default();
    let widths = match widths {
        None => defaults.widths,
        Some(list) => image_widths(list, p).unwrap_or(defaults.widths),
    };
    let quality = match quality {
        None => defaults.quality,
        Some(q) if (1..=100).contains(&q) => q as u8,
        Some(q) => {
            p.at(
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
            p.at(
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

/// `[images] widths`, smallest first; None when none is good.
fn image_widths(list: Vec<i64>, p: &mut Problems) -> Option<Vec<u32>> {
    const HELP: &str = "for example widths = [480, 800, 1200, 1600]";
    let mut good: Vec<u32> = Vec::with_capacity(list.len());
    for w in list {
        match u32::try_from(w) {
            Ok(w) if (16..=8192).contains(&w) => good.push(w),
            _ => p.at(
                "widths",
                format!("[images] `widths` must be pixel widths from 16 to 8192, found {w}"),
                HELP,
            ),
        }
    }
    good.sort_unstable();
    good.dedup();
    if good.is_empty() {
        let message = "[images] `widths` needs at least one width".into();
        p.at("widths", message, HELP);
        return None;
    }
    Some(good)
}

/// `https://host/sub` → (`https://host/sub/`, `/sub/`). None when not http(s).
pub fn normalise_base_url(url: &str) -> Option<(String, String)> {
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
