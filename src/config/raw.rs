//! `site.toml` as serde reads it, before any value is checked. Every table
//! denies unknown fields, so a misspelt key is an error at its line.

use std::path::PathBuf;

use serde::Deserialize;

pub use super::languages::RawLanguages;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub campaign: RawCampaign,
    #[serde(default)]
    pub topics: toml::Table,
    #[serde(default)]
    pub sectors: toml::Table,
    #[serde(default)]
    pub commitments: toml::Table,
    #[serde(default)]
    pub social: RawSocial,
    #[serde(default)]
    pub build: RawBuild,
    #[serde(default)]
    pub check: RawCheck,
    #[serde(default)]
    pub images: RawImages,
    #[serde(default)]
    pub search: RawSearch,
    #[serde(default)]
    pub languages: RawLanguages,
    #[serde(default)]
    pub cms: RawCms,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCms {
    #[serde(default)]
    pub enabled: bool,
    pub backend: Option<String>,
    pub repo: Option<String>,
    pub branch: Option<String>,
    pub auth_url: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSearch {
    #[serde(default)]
    pub enabled: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawImages {
    pub widths: Option<Vec<i64>>,
    pub quality: Option<i64>,
    pub webp: Option<bool>,
    pub max_megapixels: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    #[serde(default)]
    pub skip: Vec<String>,
    pub timeout: Option<i64>,
    pub cache_hours: Option<i64>,
    pub per_host: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCampaign {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub questions: toml::Table,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSocial {
    #[serde(default)]
    pub twitter: String,
    #[serde(default)]
    pub facebook: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawBuild {
    pub output_dir: Option<PathBuf>,
    pub stories_per_page: Option<i64>,
    pub feed_limit: Option<i64>,
    pub home_stories: Option<i64>,
}

fn default_language() -> String {
    "en".into()
}

fn default_theme() -> String {
    "default".into()
}
