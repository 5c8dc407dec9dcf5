//! The content kinds of docs/content.md, as read from one file each: their fields,
//! checked against `site.toml`, with positions kept for later cross-checks.
//! Loading a whole `content/` tree lives in [`load`].

pub mod data;
mod date;
pub mod frontmatter;
pub mod load;
mod parse;
pub mod scan;

use std::path::PathBuf;

use crate::error::Position;
pub use date::{MONTHS, a_year_on};
pub use frontmatter::{Date, Located};

pub use load::{Broken, ContentTree, load};
pub use parse::{normalise_alias, parse_index, parse_item, salvage, slug_problem};

/// The folders under `content/` that hold items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Stories,
    Partners,
    Timeline,
    Pages,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Stories,
        Section::Partners,
        Section::Timeline,
        Section::Pages,
    ];

    pub fn dir(self) -> &'static str {
        match self {
            Section::Stories => "stories",
            Section::Partners => "partners",
            Section::Timeline => "timeline",
            Section::Pages => "pages",
        }
    }

    pub fn from_dir(dir: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.dir() == dir)
    }

    /// What one item is called in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Section::Stories => "story",
            Section::Partners => "partner profile",
            Section::Timeline => "timeline entry",
            Section::Pages => "page",
        }
    }
}

/// Where an item came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Relative to the site root, for messages: `content/stories/x.md`.
    pub path: PathBuf,
    /// Relative to `content/`, with `/` separators: `stories/x.md`.
    pub content_path: String,
    /// The bundle folder (absolute) when the item is `<slug>/index.md`.
    pub bundle: Option<PathBuf>,
    /// Files in the bundle, relative to it, `/`-separated.
    pub assets: Vec<String>,
    pub body: String,
    /// 1-based line of the body's first line.
    pub body_line: usize,
    /// The language code of a translation (`ur`); None for the default
    /// language.
    pub lang: Option<String>,
    /// A translation's original, relative to `content/`: `stories/x.md`.
    pub original: Option<String>,
}

/// Fields every item has.
#[derive(Debug, Clone, PartialEq)]
pub struct Common {
    pub source: Source,
    pub slug: String,
    /// Where `slug` was set in front matter; None when it is the file name.
    pub slug_pos: Option<Position>,
    pub draft: bool,
    /// A translation awaiting review by someone who speaks the language
    /// (`needs_review = true`); `brum check` lists them.
    pub needs_review: bool,
    pub aliases: Vec<Located<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub src: Located<String>,
    pub alt: String,
    /// Where the alt text is written.
    pub alt_pos: Position,
    /// Where the consent of the people in it is recorded (`image_consent`):
    /// never published; `brum check` asks for it when the alt text names
    /// people. Logos have none.
    pub consent: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub common: Common,
    pub title: String,
    pub date: Located<Date>,
    pub updated: Option<Date>,
    pub author: Option<String>,
    pub partner: Option<Located<String>>,
    pub question: Option<String>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    pub image: Option<Picture>,
    /// `toc`: whether to show a contents list; None leaves it to the
    /// number of headings.
    pub toc: Option<bool>,
}

impl Story {
    /// Whether `other` is this story with only its text changed: every
    /// field, address and position the same. Such an edit leaves the
    /// site's addresses, lists and order as they were.
    pub fn same_but_body(&self, other: &Story) -> bool {
        let mut other = other.clone();
        other
            .common
            .source
            .body
            .clone_from(&self.common.source.body);
        *self == other
    }
}

#[derive(Debug, Clone)]
pub struct Partner {
    pub common: Common,
    pub name: String,
    pub sector: String,
    pub website: Option<String>,
    pub logo: Option<Picture>,
    /// Without the `@`.
    pub twitter: Option<String>,
    pub facebook: Option<String>,
    pub joined: Option<Date>,
    pub commitments: Vec<String>,
    /// When the profile should next be read again (`review_by`): `brum
    /// check` warns once the day has passed.
    pub review_by: Option<Located<Date>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Done,
    InProgress,
    Planned,
}

impl Status {
    pub const KEYS: [&'static str; 3] = ["done", "in-progress", "planned"];

    pub fn key(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::InProgress => "in-progress",
            Status::Planned => "planned",
        }
    }

    fn from_key(key: &str) -> Option<Status> {
        match key {
            "done" => Some(Status::Done),
            "in-progress" => Some(Status::InProgress),
            "planned" => Some(Status::Planned),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub common: Common,
    pub title: String,
    pub date: Located<Date>,
    pub end: Option<Date>,
    pub status: Option<Status>,
    pub location: Option<String>,
    pub partners: Vec<Located<String>>,
    /// As a story's `toc`.
    pub toc: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub common: Common,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub menu: bool,
    /// As a story's `toc`.
    pub toc: Option<bool>,
    /// As a partner's `review_by`.
    pub review_by: Option<Located<Date>>,
}

/// An `_index.md`: the intro of the home page or of a section's list.
#[derive(Debug, Clone)]
pub struct IndexFile {
    pub source: Source,
    pub title: Option<String>,
    pub description: Option<String>,
    /// A translation awaiting review (see [`Common::needs_review`]).
    pub needs_review: bool,
}

/// Any item, as parsed from one file.
#[derive(Debug, Clone)]
pub enum Item {
    Story(Story),
    Partner(Partner),
    Timeline(TimelineEntry),
    Page(Page),
}

/// What the model needs of every kind of item.
pub trait ContentItem: Send {
    const SECTION: Section;
    fn common(&self) -> &Common;
    /// The front-matter picture (a story's image, a partner's logo).
    fn picture(&self) -> Option<&Picture> {
        None
    }
    /// A summary written in front matter, which wins over the body's.
    fn summary(&self) -> Option<&str> {
        None
    }
}

impl ContentItem for Story {
    const SECTION: Section = Section::Stories;
    fn common(&self) -> &Common {
        &self.common
    }
    fn picture(&self) -> Option<&Picture> {
        self.image.as_ref()
    }
    fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }
}

impl ContentItem for Partner {
    const SECTION: Section = Section::Partners;
    fn common(&self) -> &Common {
        &self.common
    }
    fn picture(&self) -> Option<&Picture> {
        self.logo.as_ref()
    }
}

impl ContentItem for TimelineEntry {
    const SECTION: Section = Section::Timeline;
    fn common(&self) -> &Common {
        &self.common
    }
}

impl ContentItem for Page {
    const SECTION: Section = Section::Pages;
    fn common(&self) -> &Common {
        &self.common
    }
}

impl Item {
    pub fn common(&self) -> &Common {
        match self {
            Item::Story(s) => &s.common,
            Item::Partner(p) => &p.common,
            Item::Timeline(t) => &t.common,
            Item::Page(p) => &p.common,
        }
    }
}
