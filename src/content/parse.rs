//! Reading one content file's front matter into a typed item: the fields
//! every item has, then each kind's own, checked against `site.toml`, every
//! problem in the file collected before it is refused.

use std::path::{Path, PathBuf};

use super::frontmatter::{self, Fields, Split};
use super::{
    Broken, Common, IndexFile, Item, Located, Page, Partner, Picture, Section, Source, Status,
    Story, TimelineEntry,
};
use crate::config::{Config, Vocabulary};
use crate::error::Diagnostic;

/// Parses one item file's text: every problem in the file, and the item
/// when its required fields are there (a field that is wrong is left out
/// of it), so that what it names can still be checked. A translation passes
/// its original's text: the fields it leaves out are the original's.
pub fn parse_item(
    section: Section,
    text: &str,
    original: Option<&str>,
    source: Source,
    config: &Config,
) -> (Option<Item>, Vec<Diagnostic>) {
    let path = source.path.clone();
    let split = match frontmatter::split(text, &path) {
        Ok(split) => split,
        Err(d) => return (None, vec![d]),
    };
    let table = match frontmatter::parse_table(&split, &path) {
        Ok(table) => table,
        Err(d) => return (None, d),
    };
    // An original that cannot be read reports its own problems; its
    // translation cannot be completed without it.
    let fallback = match original.map(|text| read_original(text, &path)) {
        Some(None) => return (None, Vec::new()),
        Some(Some(fallback)) => Some(fallback),
        None => None,
    };
    let mut f = Fields::new(table.get_ref(), &split, &path);
    if let Some((split, table)) = &fallback {
        f = f.with_fallback(table.get_ref(), split);
    }
    let source = Source {
        body: split.body.to_string(),
        body_line: split.body_line,
        ..source
    };
    // The common fields are read even when the kind's own are wrong, so
    // that `draft` or `slug` is not then reported as an unknown field.
    let item = match section {
        Section::Stories => {
            let build = story(&mut f, config);
            let common = common(&mut f, source, &split);
            build.map(|build| Item::Story(build(common)))
        }
        Section::Partners => {
            let build = partner(&mut f, config);
            let common = common(&mut f, source, &split);
            build.map(|build| Item::Partner(build(common)))
        }
        Section::Timeline => {
            let build = timeline(&mut f);
            let common = common(&mut f, source, &split);
            build.map(|build| Item::Timeline(build(common)))
        }
        Section::Pages => {
            let build = page(&mut f);
            let common = common(&mut f, source, &split);
            build.map(|build| Item::Page(build(common)))
        }
    };
    (item, f.finish(section.noun()))
}

/// An original's front matter, for its translation; None when it cannot
/// be read.
fn read_original<'a>(
    text: &'a str,
    path: &Path,
) -> Option<(Split<'a>, toml::Spanned<toml::de::DeTable<'a>>)> {
    let split = frontmatter::split(text, path).ok()?;
    let table = frontmatter::parse_table(&split, path).ok()?;
    Some((split, table))
}

/// Parses an `_index.md` (or its translation, given the original's text).
pub fn parse_index(
    text: &str,
    original: Option<&str>,
    source: Source,
) -> Result<IndexFile, Vec<Diagnostic>> {
    let path = source.path.clone();
    let split = frontmatter::split(text, &path).map_err(|d| vec![d])?;
    let table = frontmatter::parse_table(&split, &path)?;
    let fallback = original.map(|text| read_original(text, &path));
    let mut f = Fields::new(table.get_ref(), &split, &path);
    match &fallback {
        Some(Some((split, table))) => f = f.with_fallback(table.get_ref(), split),
        Some(None) => return Err(Vec::new()),
        None => {}
    }
    let title = f
        .text("title", false, "\"Birmingham Partners\"")
        .map(|l| l.value);
    let description = f
        .string("description", false, "\"One sentence about this page\"")
        .map(|l| l.value);
    let needs_review = f.bool("needs_review").unwrap_or(false);
    let errors = f.finish("section index");
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(IndexFile {
        source: Source {
            body: split.body.to_string(),
            body_line: split.body_line,
            ..source
        },
        title,
        description,
        needs_review,
    })
}

fn common(f: &mut Fields, source: Source, _split: &Split) -> Common {
    let file_slug = default_slug(&source);
    let slug = f.text("slug", false, "\"my-story\"");
    // A slug taken from the original is placed in the original.
    let slug_pos = slug.as_ref().filter(|_| f.is_own("slug")).map(|s| s.pos);
    let slug = match slug {
        Some(s) => match slug_problem(&s.value) {
            None => s.value,
            Some(why) => {
                f.push_for(
                    "slug",
                    Diagnostic::new(&source.path, format!("`slug` {why}"))
                        .at(s.pos)
                        .with_help(format!(
                            "use letters, digits and hyphens, e.g. slug = \"{}\"",
                            crate::markdown::slugify(&s.value)
                        )),
                );
                file_slug
            }
        },
        None => file_slug,
    };
    let draft = f.bool("draft").unwrap_or(false);
    let needs_review = f.bool("needs_review").unwrap_or(false);
    let aliases = f
        .strings("aliases", "[\"/old/address/\"]")
        .into_iter()
        .filter_map(|a| match normalise_alias(&a.value) {
            Ok(value) => Some(Located { value, pos: a.pos }),
            Err(why) => {
                f.errors.push(
                    Diagnostic::new(&source.path, format!("alias \"{}\" {why}", a.value))
                        .at(a.pos)
                        .with_help("an alias is an old address on this site, e.g. aliases = [\"/old/address/\"]"),
                );
                None
            }
        })
        .collect();
    Common {
        source,
        slug,
        slug_pos,
        draft,
        needs_review,
        aliases,
    }
}

/// What can be learned of a file that could not be used: its body, when
/// the front matter closes, and its slug (front matter's, when it reads
/// and is a good slug; else the file's name).
pub fn salvage(section: Option<Section>, text: &str, mut source: Source) -> Broken {
    let mut slug = default_slug(&source);
    if let Ok(split) = frontmatter::split(text, &source.path) {
        if let Ok(table) = frontmatter::parse_table(&split, &source.path)
            && let Some(toml::de::DeValue::String(s)) =
                table.get_ref().get("slug").map(|v| v.get_ref())
            && slug_problem(s).is_none()
        {
            slug = s.to_string();
        }
        source.body = split.body.to_string();
        source.body_line = split.body_line;
    }
    Broken {
        section,
        slug,
        source,
    }
}

/// The slug from the file or bundle folder name, without a translation's
/// language code: `canal-walks.ur.md` and `canal-walks/index.ur.md` are
/// `canal-walks`.
fn default_slug(source: &Source) -> String {
    let mut parts = source.content_path.rsplit('/');
    let name = parts.next().unwrap_or_default();
    let suffix = match &source.lang {
        Some(lang) => format!(".{lang}.md"),
        None => ".md".to_string(),
    };
    match name.strip_suffix(&suffix).unwrap_or(name) {
        "index" => parts.next().unwrap_or_default().to_string(),
        stem => stem.to_string(),
    }
}

/// Why a slug cannot name a folder of the output, if it cannot.
pub fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.trim().is_empty() {
        Some("is empty")
    } else if slug.contains(['/', '\\']) {
        Some("contains a slash; a slug names one page, not a path")
    } else if slug.chars().any(char::is_control) {
        Some("contains a control character")
    } else if slug.starts_with('.') {
        Some("starts with a dot, which would hide the page")
    } else {
        None
    }
}

/// `/old/path` or `old/path/` → `/old/path/`; a `.html` file path stays a file.
pub fn normalise_alias(alias: &str) -> Result<String, &'static str> {
    let trimmed = alias.trim();
    if trimmed.is_empty() {
        return Err("is empty");
    }
    if trimmed.contains("://") {
        return Err("is a full URL; write the path only");
    }
    // The file is written under the decoded name (`%20` is a space), so the
    // decoded form is what must stay inside the site: `%2e%2e` is `..`.
    let decoded = crate::url::percent_decode(trimmed);
    if trimmed.contains(['\\', '?', '#'])
        || decoded.contains('\\')
        || decoded.chars().any(char::is_control)
    {
        return Err(
            "contains a character that cannot be part of a path (\\, ?, # or a control character)",
        );
    }
    let segments: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err("is the home page");
    }
    if decoded
        .split('/')
        .any(|s| s == "." || s == ".." || s.starts_with('.'))
    {
        return Err("contains a `.` or `..` segment, which would point outside the site");
    }
    let mut path = format!("/{}", segments.join("/"));
    let is_file = segments
        .last()
        .is_some_and(|s| s.ends_with(".html") || s.ends_with(".htm"));
    if !is_file {
        path.push('/');
    }
    Ok(path)
}

fn key_in(
    f: &mut Fields,
    field_key: &str,
    key: &Located<String>,
    vocab: &Vocabulary,
    field: &str,
    what: &str,
) -> bool {
    if vocab.get(&key.value).is_some() {
        return true;
    }
    let help = vocab.help_for(&key.value, what);
    f.push_for(
        field_key,
        Diagnostic::new(f_path(f), format!("unknown {field} `{}`", key.value))
            .at(key.pos)
            .with_help(format!("{help} ({what} are listed in site.toml)")),
    );
    false
}

fn f_path(f: &Fields) -> PathBuf {
    f.path().to_path_buf()
}

/// A front-matter picture: its file (`key`), its alt text (`alt_key`), and
/// for a picture that may show people, where their consent is recorded
/// (`consent_key`).
fn picture(
    f: &mut Fields,
    key: &'static str,
    alt_key: &'static str,
    consent_key: Option<&'static str>,
) -> Option<Picture> {
    let src = f.text(key, false, "\"photo.jpg\"");
    let alt = f.string(alt_key, false, "\"What the picture shows\"");
    let consent = consent_key.and_then(|k| {
        f.text(
            k,
            false,
            "\"Release forms signed on the day, kept by the comms team\"",
        )
    });
    match (src, alt) {
        (Some(src), Some(alt)) if !alt.value.trim().is_empty() => Some(Picture {
            src,
            alt: alt.value,
            alt_pos: alt.pos,
            consent: consent.map(|c| c.value),
        }),
        (Some(src), _) => {
            f.push_for(
                key,
                Diagnostic::new(f_path(f), format!("`{key}` is set but `{alt_key}` is missing or empty"))
                    .at(src.pos)
                    .with_help(format!(
                        "describe the picture for people who cannot see it, e.g. {alt_key} = \"Volunteers planting trees in Cannon Hill Park\""
                    )),
            );
            None
        }
        (None, _) => None,
    }
}

fn http_url(f: &mut Fields, key: &'static str, example: &str) -> Option<String> {
    let url = f.text(key, false, example)?;
    if url.value.starts_with("https://") || url.value.starts_with("http://") {
        return Some(url.value);
    }
    f.push_for(
        key,
        Diagnostic::new(
            f_path(f),
            format!(
                "`{key}` must be an absolute http(s) URL, found \"{}\"",
                url.value
            ),
        )
        .at(url.pos)
        .with_help(format!("for example {key} = {example}")),
    );
    None
}

type Build<T> = Box<dyn FnOnce(Common) -> T>;

fn story(f: &mut Fields, config: &Config) -> Option<Build<Story>> {
    let title = f.text("title", true, "\"What makes Birmingham great\"");
    let date = f.date("date", true);
    let updated = f.date("updated", false).map(|d| d.value);
    let author = f.text("author", false, "\"Jo Bloggs\"").map(|l| l.value);
    let partner = f.text("partner", false, "\"the-mac\"");
    let question = f.text("question", false, "\"great\"");
    let question = question
        .filter(|q| key_in(f, "question", q, &config.questions, "question", "questions"))
        .map(|q| q.value);
    let topics = f.strings("topics", "[\"culture\", \"education\"]");
    let topics = topics
        .into_iter()
        .filter(|t| key_in(f, "topics", t, &config.topics, "topic", "topics"))
        .map(|t| t.value)
        .collect();
    let summary = f
        .string("summary", false, "\"One or two sentences\"")
        .map(|l| l.value);
    let image = picture(f, "image", "image_alt", Some("image_consent"));
    let toc = f.bool("toc");
    let (title, date) = (title?, date?);
    Some(Box::new(move |common| Story {
        common,
        title: title.value,
        date,
        updated,
        author,
        partner,
        question,
        topics,
        summary,
        image,
        toc,
    }))
}

fn partner(f: &mut Fields, config: &Config) -> Option<Build<Partner>> {
    let name = f.text("name", true, "\"Midlands Arts Centre\"");
    let sector = f.text("sector", true, "\"voluntary\"");
    let sector = sector.filter(|s| key_in(f, "sector", s, &config.sectors, "sector", "sectors"));
    let website = http_url(f, "website", "\"https://example.org/\"");
    let logo = picture(f, "logo", "logo_alt", None);
    let twitter = f.text("twitter", false, "\"@BhamPartners\"").and_then(|t| {
        let handle = t.value.trim().trim_start_matches('@').to_string();
        if !handle.is_empty() && handle.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Some(handle);
        }
        f.push_for(
            "twitter",
            Diagnostic::new(f_path(f), format!("`twitter` must be a handle, found \"{}\"", t.value))
                .at(t.pos)
                .with_help("a handle is letters, digits and _, with or without @, e.g. twitter = \"@BhamPartners\""),
        );
        None
    });
    let facebook = http_url(f, "facebook", "\"https://www.facebook.com/example\"");
    let joined = f.date("joined", false).map(|d| d.value);
    let review_by = f.date("review_by", false);
    let commitments = f.strings("commitments", "[\"host-events\"]");
    let commitments = commitments
        .into_iter()
        .filter(|c| {
            key_in(
                f,
                "commitments",
                c,
                &config.commitments,
                "commitment",
                "commitments",
            )
        })
        .map(|c| c.value)
        .collect();
    let (name, sector) = (name?, sector?);
    Some(Box::new(move |common| Partner {
        common,
        name: name.value,
        sector: sector.value,
        website,
        logo,
        twitter,
        facebook,
        joined,
        commitments,
        review_by,
    }))
}

fn timeline(f: &mut Fields) -> Option<Build<TimelineEntry>> {
    let title = f.text("title", true, "\"City vision agreed\"");
    let date = f.date("date", true);
    let end = f.date("end", false);
    if let (Some(start), Some(end)) = (&date, &end)
        && end.value.at < start.value.at
    {
        f.push_for(
            "end",
            Diagnostic::new(
                f_path(f),
                format!(
                    "`end` ({}) is before `date` ({})",
                    end.value.written(),
                    start.value.written()
                ),
            )
            .at(end.pos)
            .with_help("a period ends on or after the day it starts; check the year and month"),
        );
    }
    let status = f.text("status", false, "\"planned\"").and_then(|s| {
        let status = Status::from_key(&s.value);
        if status.is_none() {
            let help = unknown_help(&s.value, &Status::KEYS, "statuses");
            f.push_for(
                "status",
                Diagnostic::new(f_path(f), format!("unknown status `{}`", s.value))
                    .at(s.pos)
                    .with_help(format!(
                        "{help}; or leave `status` out to work it out from the dates"
                    )),
            );
        }
        status
    });
    let location = f
        .text("location", false, "\"mac birmingham, Cannon Hill Park\"")
        .map(|l| l.value);
    let partners = f.strings("partners", "[\"the-mac\", \"birmingham-city-council\"]");
    let toc = f.bool("toc");
    let (title, date) = (title?, date?);
    let end = end.map(|e| e.value);
    Some(Box::new(move |common| TimelineEntry {
        common,
        title: title.value,
        date,
        end,
        status,
        location,
        partners,
        toc,
    }))
}

fn page(f: &mut Fields) -> Option<Build<Page>> {
    let title = f.text("title", true, "\"About us\"");
    let description = f
        .string("description", false, "\"One sentence about this page\"")
        .map(|l| l.value);
    let weight = f.integer("weight", "10").unwrap_or(0);
    let menu = f.bool("menu").unwrap_or(false);
    let toc = f.bool("toc");
    let review_by = f.date("review_by", false);
    let title = title?;
    Some(Box::new(move |common| Page {
        common,
        title: title.value,
        description,
        weight,
        menu,
        toc,
        review_by,
    }))
}

fn unknown_help(unknown: &str, known: &[&str], what: &str) -> String {
    crate::config::unknown_key_help(unknown, known, what)
}
