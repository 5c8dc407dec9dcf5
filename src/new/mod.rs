//! `brum new`: a new content file with its front matter filled in, so an
//! author starts from something that builds. Every field docs/content.md defines is
//! there: the required ones set, the optional ones commented out with what they
//! are for and the keys this site accepts. New files are drafts and never
//! replace an existing file.

mod translation;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{self, Config, Vocabulary};
use crate::content::Section;
use crate::error::{Diagnostic, Error, Result};

/// What `brum new` was asked for.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The site folder (with `site.toml`).
    pub root: PathBuf,
    pub section: Section,
    /// The title (a partner's name).
    pub title: String,
    /// The address to use instead of the one made from the title.
    pub slug: Option<String>,
    /// Write `<slug>/index.md`, a folder that can hold the item's pictures.
    pub bundle: bool,
    /// The date written into `date` (and shown in examples).
    pub today: NaiveDate,
    /// A translation: its language and the original's file name without
    /// `.md` (`--lang ur --from canal-walks`).
    pub translate: Option<(String, String)>,
}

/// The longest slug made from a title, in bytes; longer titles are cut at a
/// word boundary so addresses stay readable.
const MAX_SLUG: usize = 60;

/// A slug from a title: letters of any script transliterated to ASCII
/// ("Łódź" → "lodz", "北京" → "bei-jing"), `&` read as "and", apostrophes
/// dropped, everything else a hyphen; at most [`MAX_SLUG`] bytes.
pub fn slug_for(title: &str) -> String {
    let mut ascii = String::with_capacity(title.len());
    for c in title.chars() {
        match c {
            '&' => ascii.push_str(" and "),
            '\'' | '’' | 'ʼ' => {}
            c if c.is_alphanumeric() => match deunicode::deunicode_char(c) {
                Some(s) => ascii.push_str(s),
                None => ascii.push(' '),
            },
            _ => ascii.push(' '),
        }
    }
    let slug = crate::markdown::slugify(&ascii);
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    let cut = slug[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
    slug[..cut].trim_end_matches('-').to_string()
}

/// Writes the new file and returns its path (under `options.root`).
pub fn create(options: &NewOptions) -> Result<PathBuf> {
    let root = &options.root;
    if !root.join(config::FILE_NAME).is_file() {
        return Err(Error::invalid(vec![
            Diagnostic::new(root.join(config::FILE_NAME), "there is no site.toml here")
                .with_help("run brum in a site folder, or point to one with --root DIR"),
        ]));
    }
    let config = config::load(root)?;
    let section = options.section;
    let noun = section.noun();
    if options.title.trim().is_empty() {
        return Err(invalid(
            "",
            format!("the {noun} needs a title"),
            format!(
                "for example: brum new {} \"Canal walks at dawn\"",
                arg_name(section)
            ),
        ));
    }
    if let Some((lang, from)) = &options.translate {
        return translation::create(options, &config, lang, from);
    }
    let slug = match &options.slug {
        Some(s) => s.trim().to_string(),
        None => slug_for(&options.title),
    };
    if let Some(why) = crate::content::slug_problem(&slug) {
        let message = match &options.slug {
            Some(_) => format!("the slug `{slug}` {why}"),
            None => format!(
                "no address can be made from the title \"{}\"",
                options.title.trim()
            ),
        };
        return Err(invalid(
            "",
            message,
            "give the address with --slug, e.g. --slug canal-walks".to_string(),
        ));
    }
    if section == Section::Pages && crate::site::routes::is_reserved(&slug) {
        return Err(invalid(
            "",
            format!("the page address /{slug}/ is taken by the {slug} section"),
            format!("give the page another address, e.g. --slug about-{slug}"),
        ));
    }
    if section == Section::Partners && config.sectors.is_empty() {
        return Err(invalid(
            config::FILE_NAME,
            "a partner needs a sector, and site.toml has no [sectors]".to_string(),
            "add the sectors to site.toml first, e.g.\n[sectors]\npublic = \"Public sector\""
                .to_string(),
        ));
    }

    let rel_dir = Path::new(crate::content::load::CONTENT_DIR).join(section.dir());
    let flat = rel_dir.join(format!("{slug}.md"));
    let bundled = rel_dir.join(&slug).join("index.md");
    for existing in [&flat, &bundled] {
        if root.join(existing).exists() {
            return Err(exists(existing, section));
        }
    }
    let rel = if options.bundle { bundled } else { flat };
    let text = contents(
        section,
        &options.title,
        &slug,
        options.today,
        &config,
        &partner_slugs(root),
    );
    write_new(root, &rel, &text, section)?;
    Ok(root.join(rel))
}

/// Writes `text` to the new file `rel` (under `root`), never replacing one.
fn write_new(root: &Path, rel: &Path, text: &str, section: Section) -> Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        crate::fs::create_dir_all(parent)?;
    }
    // `create_new` refuses to replace a file, even one that appeared after
    // it was looked for.
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(exists(rel, section));
        }
        Err(e) => return Err(Error::io("create", &path, e)),
    };
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io("write", &path, e))
}

fn invalid(path: &str, message: String, help: String) -> Error {
    Error::invalid(vec![Diagnostic::new(path, message).with_help(help)])
}

fn exists(rel: &Path, section: Section) -> Error {
    Error::invalid(vec![
        Diagnostic::new(
            rel,
            "this file already exists; brum new never replaces a file",
        )
        .with_help(format!(
            "open the file to edit it, or give the new {} another title or --slug",
            section.noun()
        )),
    ])
}

/// The word for a section on the command line: `brum new story`.
pub fn arg_name(section: Section) -> &'static str {
    match section {
        Section::Stories => "story",
        Section::Partners => "partner",
        Section::Timeline => "timeline",
        Section::Pages => "page",
    }
}

/// The slugs of the partner profiles on disk (file and bundle names), for
/// the examples in a new file.
fn partner_slugs(root: &Path) -> Vec<String> {
    let dir = root
        .join(crate::content::load::CONTENT_DIR)
        .join(Section::Partners.dir());
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut slugs: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(['.', '_']) {
                None
            } else if let Some(slug) = name.strip_suffix(".md") {
                Some(slug.to_string())
            } else if e.path().join("index.md").is_file() {
                Some(name)
            } else {
                None
            }
        })
        .collect();
    slugs.sort();
    slugs
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `a, b, c` (at most a handful, then "…").
fn keys(vocab: &Vocabulary) -> String {
    list(vocab.iter().map(|(k, _)| k))
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    let mut shown = items.iter().take(8).copied().collect::<Vec<_>>().join(", ");
    if items.len() > 8 {
        shown.push_str(", …");
    }
    shown
}

fn first_key<'a>(vocab: &'a Vocabulary, fallback: &'a str) -> &'a str {
    vocab.iter().next().map_or(fallback, |(k, _)| k)
}

/// What every kind of new file is written from.
struct Draft<'a> {
    section: Section,
    title: &'a str,
    slug: &'a str,
    /// Today, as front matter writes a date.
    date: String,
    /// A year from today: an example `review_by`.
    next_year: String,
    config: &'a Config,
    /// The first partner's slug, for examples.
    first_partner: &'a str,
    /// The partners there are, for comments.
    partners_hint: String,
}

/// The text of a new content file. Pure, so it can be tested without a disk.
pub fn contents(
    section: Section,
    title: &str,
    slug: &str,
    today: NaiveDate,
    config: &Config,
    partners: &[String],
) -> String {
    let partners_hint = if partners.is_empty() {
        "there are none yet: a partner is a file in content/partners/".to_string()
    } else {
        list(partners.iter().map(String::as_str))
    };
    let cx = Draft {
        section,
        title: title.trim(),
        slug,
        date: today.format("%Y-%m-%d").to_string(),
        next_year: crate::content::a_year_on(today),
        config,
        first_partner: partners.first().map_or("partner-slug", String::as_str),
        partners_hint,
    };
    let mut f = FrontMatter::default();
    let body = match section {
        Section::Stories => story(&mut f, &cx),
        Section::Partners => partner(&mut f, &cx),
        Section::Timeline => timeline_entry(&mut f, &cx),
        Section::Pages => page(&mut f, &cx),
    };
    format!("+++\n{}+++\n\n{body}", f.text)
}

/// A story: title and date set, every other field offered.
fn story(f: &mut FrontMatter, cx: &Draft) -> &'static str {
    f.set("title", &quoted(cx.title));
    f.set("date", &cx.date);
    f.draft("story");
    f.optional(
        "When the story last changed in a way readers should know about.",
        "updated",
        &cx.date,
    );
    f.optional(
        "Who wrote it, as readers should see the name.",
        "author",
        "\"Your name\"",
    );
    f.optional(
        &format!(
            "The partner it is about: the slug of a partner profile ({}).",
            cx.partners_hint
        ),
        "partner",
        &quoted(cx.first_partner),
    );
    let questions = cx
        .config
        .questions
        .iter()
        .map(|(k, q)| format!("{k} ({q})"))
        .collect::<Vec<_>>()
        .join(", ");
    f.optional(
        &format!("Which campaign question it answers: {questions}."),
        "question",
        &quoted(first_key(&cx.config.questions, "great")),
    );
    f.optional(
        &format!("Its topics, any of: {}.", keys(&cx.config.topics)),
        "topics",
        &format!("[{}]", quoted(first_key(&cx.config.topics, "culture"))),
    );
    f.optional(
        "One or two sentences for lists and the feed; without it, the text before <!-- more -->.",
        "summary",
        "\"What the story is about, in a sentence.\"",
    );
    f.optional(
        "A picture: a file in static/ (/images/photo.jpg), or one beside index.md in a bundle.",
        "image",
        "\"/images/photo.jpg\"",
    );
    f.optional(
        "What the picture shows, for people who cannot see it (needed with image).",
        "image_alt",
        "\"Volunteers planting trees in Cannon Hill Park\"",
    );
    f.optional(
        "Where the consent of the people in the picture is kept (never published); brum check asks when image_alt names people.",
        "image_consent",
        "\"Release forms signed on the day, kept by the comms team\"",
    );
    f.toc();
    f.common(cx.section, cx.slug);
    "Start with a paragraph that sums the story up: lists and the feed show it.\n\
     \n\
     <!-- more -->\n\
     \n\
     Then tell the story. A line starting with `## ` is a section heading;\n\
     `[the words to click](/partners/)` is a link; and\n\
     `![what the picture shows](/images/photo.jpg)` is a picture.\n"
}

/// A partner profile: name and sector set.
fn partner(f: &mut FrontMatter, cx: &Draft) -> &'static str {
    f.set("name", &quoted(cx.title));
    let sectors = cx
        .config
        .sectors
        .iter()
        .map(|(k, s)| format!("{k} ({s})"))
        .collect::<Vec<_>>()
        .join(", ");
    f.comment(&format!("The partner's sector, one of: {sectors}."));
    f.set("sector", &quoted(first_key(&cx.config.sectors, "public")));
    f.draft("partner profile");
    f.optional(
        "The partner's own website.",
        "website",
        "\"https://example.org/\"",
    );
    f.optional(
        "Their logo: a file in static/, or one beside index.md in a bundle.",
        "logo",
        "\"/images/logo.png\"",
    );
    f.optional(
        "The logo's text alternative (needed with logo).",
        "logo_alt",
        &quoted(&format!("{} logo", cx.title)),
    );
    f.optional("Their X (Twitter) handle.", "twitter", "\"@handle\"");
    f.optional(
        "Their Facebook page.",
        "facebook",
        "\"https://www.facebook.com/example\"",
    );
    f.optional("When they joined the partnership.", "joined", &cx.date);
    f.optional(
        &format!(
            "What they offered to do, any of: {}.",
            keys(&cx.config.commitments)
        ),
        "commitments",
        &format!(
            "[{}]",
            quoted(first_key(&cx.config.commitments, "host-events"))
        ),
    );
    f.review_by(cx);
    f.common(cx.section, cx.slug);
    "Who the partner is and what they do for the city, in a paragraph or two.\n"
}

/// A timeline entry: title and date set.
fn timeline_entry(f: &mut FrontMatter, cx: &Draft) -> &'static str {
    f.set("title", &quoted(cx.title));
    f.set("date", &cx.date);
    f.draft("timeline entry");
    f.optional("When a period ends (not before date).", "end", &cx.date);
    f.optional(
        "done, in-progress or planned; leave it out to work it out from the dates.",
        "status",
        "\"planned\"",
    );
    f.optional(
        "Where it happens.",
        "location",
        "\"mac birmingham, Cannon Hill Park\"",
    );
    f.optional(
        &format!(
            "The partners involved: slugs of partner profiles ({}).",
            cx.partners_hint
        ),
        "partners",
        &format!("[{}]", quoted(cx.first_partner)),
    );
    f.toc();
    f.common(cx.section, cx.slug);
    "What happened, or what is planned, and why it matters.\n"
}

/// A plain page: its title set.
fn page(f: &mut FrontMatter, cx: &Draft) -> &'static str {
    f.set("title", &quoted(cx.title));
    f.draft("page");
    f.optional(
        "One sentence about the page, for search results and link previews.",
        "description",
        "\"One sentence about this page.\"",
    );
    f.optional(
        "Where it comes in the menu: lower numbers first.",
        "weight",
        "10",
    );
    f.optional("Whether the site's navigation lists it.", "menu", "true");
    f.toc();
    f.review_by(cx);
    f.common(cx.section, cx.slug);
    "The page's text.\n"
}

/// Front matter being written, line by line.
#[derive(Default)]
struct FrontMatter {
    text: String,
    optional_started: bool,
}

impl FrontMatter {
    fn set(&mut self, key: &str, value: &str) {
        self.text.push_str(&format!("{key} = {value}\n"));
    }

    fn comment(&mut self, text: &str) {
        self.text.push_str(&format!("# {text}\n"));
    }

    fn draft(&mut self, noun: &str) {
        self.comment(&format!(
            "A draft is only in previews (brum serve, brum build --drafts). To publish the {noun}, delete the next line."
        ));
        self.set("draft", "true");
    }

    /// A commented-out field with what it is for.
    fn optional(&mut self, what: &str, key: &str, example: &str) {
        if !self.optional_started {
            self.text
                .push_str("\n# Optional: to use a field, delete the \"# \" before it.\n");
            self.optional_started = true;
        }
        self.text.push('\n');
        self.comment(what);
        self.text.push_str(&format!("# {key} = {example}\n"));
    }

    fn toc(&mut self) {
        let min = crate::render::view::TOC_AUTO_MIN;
        self.optional(
            &format!(
                "A contents list above the text: true shows one, false never; left out, a text with {min} or more section headings has one."
            ),
            "toc",
            "true",
        );
    }

    fn review_by(&mut self, cx: &Draft) {
        self.optional(
            "When to read it again to see that it is still true: brum check warns once the day has passed.",
            "review_by",
            &cx.next_year,
        );
    }

    fn common(&mut self, section: Section, slug: &str) {
        let address = crate::site::routes::item_path(section, slug);
        self.optional(
            &format!("The page's address is {address}; set this to change it."),
            "slug",
            &quoted(slug),
        );
        self.optional(
            "Old addresses that should lead here.",
            "aliases",
            "[\"/old/address/\"]",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_transliterate_accents_and_other_scripts() {
        assert_eq!(
            slug_for("Café Culture in Łódź & Balsall Heath"),
            "cafe-culture-in-lodz-and-balsall-heath"
        );
        assert_eq!(slug_for("Straße — Größe"), "strasse-grosse");
        assert_eq!(slug_for("Москва"), "moskva");
        assert_eq!(slug_for("北京 story"), "bei-jing-story");
        assert_eq!(slug_for("Brum’s “best” 😀 party"), "brums-best-party");
        assert_eq!(slug_for("!!!"), "");
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let slug = slug_for(&"a long title with words ".repeat(10));
        assert!(slug.len() <= MAX_SLUG, "{slug}");
        assert!(slug.ends_with("words") || slug.ends_with("title"), "{slug}");
        assert!(!slug.ends_with('-'));
    }
}
