//! The languages a site publishes in: `language` (the default, published at
//! the top) and each `[languages.<code>]` table (published under
//! `/<code>/`), with their own names, directions and translated settings.
//! What a language's table leaves out falls back to the default's.

use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use toml::Spanned;

use super::Vocabulary;

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// As HTML's `dir` attribute writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    /// The direction of a language by its code's first part: the scripts of
    /// these languages run right to left.
    pub fn of_code(code: &str) -> Direction {
        const RTL: [&str; 10] = ["ur", "ar", "fa", "he", "ps", "ckb", "yi", "dv", "sd", "ug"];
        let primary = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
        if RTL.contains(&primary.as_str()) {
            Direction::Rtl
        } else {
            Direction::Ltr
        }
    }
}

/// One language of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// As written in `site.toml` and in file names: `ur`, `en-GB`.
    pub code: String,
    /// The language's name in itself, for the language switcher: `اردو`.
    pub name: String,
    pub dir: Direction,
    /// Whether it is the default language, whose pages have no prefix.
    pub default: bool,
    /// What this language says instead of the default's settings.
    pub translated: Translated,
}

impl Language {
    /// The folder its pages are published under: `ur`; empty for the
    /// default language.
    pub fn prefix(&self) -> &str {
        if self.default { "" } else { &self.code }
    }
}

/// A language's own `title`, `description`, campaign name and questions,
/// topics, sectors and commitments; each absent part falls back to the
/// default language's, and each vocabulary only to the keys it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translated {
    pub title: Option<String>,
    pub description: Option<String>,
    pub campaign_name: Option<String>,
    pub questions: Vocabulary,
    pub topics: Vocabulary,
    pub sectors: Vocabulary,
    pub commitments: Vocabulary,
}

/// A language code as brum accepts it in `site.toml` and file names: a
/// BCP 47 tag's shape (`ur`, `pl`, `pt-BR`, `zh-Hant`), letters, digits
/// and hyphens.
pub fn is_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The name a language calls itself, for the codes a Birmingham site is
/// likely to use; None for others (the switcher then shows the code, or
/// the `name` the site gives).
pub fn autonym(code: &str) -> Option<&'static str> {
    let primary = code.split('-').next().unwrap_or(code);
    Some(match primary {
        "en" => "English",
        "cy" => "Cymraeg",
        "ur" => "اردو",
        "pa" => "ਪੰਜਾਬੀ",
        "bn" => "বাংলা",
        "ar" => "العربية",
        "fa" => "فارسی",
        "ps" => "پښتو",
        "ckb" => "کوردی",
        "so" => "Soomaali",
        "pl" => "Polski",
        "ro" => "Română",
        "gu" => "ગુજરાતી",
        "hi" => "हिन्दी",
        "ta" => "தமிழ்",
        "zh" => "中文",
        "fr" => "Français",
        "es" => "Español",
        "pt" => "Português",
        "it" => "Italiano",
        "de" => "Deutsch",
        "uk" => "Українська",
        "ru" => "Русский",
        "lt" => "Lietuvių",
        "sk" => "Slovenčina",
        "cs" => "Čeština",
        "tr" => "Türkçe",
        "ti" => "ትግርኛ",
        "am" => "አማርኛ",
        "he" => "עברית",
        _ => return None,
    })
}

/// `[languages.<code>]` as serde reads it.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    pub name: Option<Spanned<String>>,
    pub dir: Option<Spanned<String>>,
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub campaign: RawLanguageCampaign,
    pub topics: Option<Spanned<toml::Table>>,
    pub sectors: Option<Spanned<toml::Table>>,
    pub commitments: Option<Spanned<toml::Table>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawLanguageCampaign {
    pub name: Option<String>,
    pub questions: Option<Spanned<toml::Table>>,
}

/// The `[languages]` tables in file order, each code with where it is.
#[derive(Default)]
pub struct RawLanguages(pub Vec<(Spanned<String>, RawLanguage)>);

impl<'de> Deserialize<'de> for RawLanguages {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Tables;
        impl<'de> Visitor<'de> for Tables {
            type Value = RawLanguages;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table per language, such as [languages.ur]")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<RawLanguages, M::Error> {
                let mut all = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    all.push(entry);
                }
                Ok(RawLanguages(all))
            }
        }
        d.deserialize_map(Tables)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_comes_from_the_code() {
        for rtl in [
            "ur", "ar", "fa", "he", "ps", "ckb", "yi", "dv", "sd", "ug", "ur-PK",
        ] {
            assert_eq!(Direction::of_code(rtl), Direction::Rtl, "{rtl}");
        }
        for ltr in ["en-GB", "pl", "pa", "bn", "urd"] {
            assert_eq!(Direction::of_code(ltr), Direction::Ltr, "{ltr}");
        }
    }

    #[test]
    fn codes_have_a_tags_shape() {
        for good in ["ur", "pl", "ckb", "pt-BR", "zh-Hant", "en-GB"] {
            assert!(is_code(good), "{good}");
        }
        for bad in [
            "",
            "u",
            "UR",
            "urdu",
            "ur_PK",
            "ur-",
            "ur/x",
            "ur-toolongsubtag",
        ] {
            assert!(!is_code(bad), "{bad}");
        }
    }
}
