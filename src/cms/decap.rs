//! Decap CMS's `config.yml`, made from the site's content model: a
//! collection for each kind of content, writing TOML front matter between
//! `+++` into the folders authors use by hand, with the vocabularies of
//! `site.toml` as the only choices a form offers. docs/content.md is the
//! reference this follows; a field added there belongs here too.

use super::yaml::Yaml;
use crate::config::{Config, Vocabulary};

/// Where `brum serve` answers Decap's local-backend API, under the site.
pub const API_PATH: &str = "api/v1";

/// The whole `config.yml`. `base_url` is where the site is served: when it
/// is this computer (`brum serve`), the editor saves through serve's API.
pub fn config_yml(config: &Config) -> String {
    let mut doc = vec![("backend", backend(config))];
    if is_local(&config.base_url) {
        let url = format!("{}{API_PATH}", config.base_url);
        doc.push(("local_backend", Yaml::Map(vec![("url", Yaml::Str(url))])));
    }
    doc.extend([
        ("site_url", Yaml::str(&config.base_url)),
        ("media_folder", Yaml::str("static/images")),
        ("public_folder", Yaml::str("/images")),
        (
            "slug",
            Yaml::Map(vec![
                ("encoding", Yaml::str("ascii")),
                ("clean_accents", Yaml::Bool(true)),
            ]),
        ),
        (
            "collections",
            Yaml::List(vec![stories(config), partners(config), timeline(), pages()]),
        ),
    ]);
    Yaml::Map(doc).to_text()
}

/// Whether `base_url` is this computer: the preview, not the published site.
pub fn is_local(base_url: &str) -> bool {
    let rest = base_url
        .strip_prefix("http://")
        .or_else(|| base_url.strip_prefix("https://"))
        .unwrap_or(base_url);
    let host = rest.split('/').next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The git host from `[cms]`; with none, the one that `brum serve` answers
/// (the published editor then cannot save; the README says what to add).
fn backend(config: &Config) -> Yaml {
    match config.cms.as_ref().and_then(|c| c.host.as_ref()) {
        Some(host) => {
            let mut map = vec![
                ("name", Yaml::str(&host.backend)),
                ("repo", Yaml::str(&host.repo)),
                ("branch", Yaml::str(&host.branch)),
            ];
            if let Some(url) = &host.auth_url {
                map.push(("base_url", Yaml::str(url)));
            }
            Yaml::Map(map)
        }
        None => Yaml::Map(vec![
            ("name", Yaml::str("proxy")),
            (
                "proxy_url",
                Yaml::Str(format!("{}{API_PATH}", config.base_url)),
            ),
        ]),
    }
}

/// A folder collection of Markdown files with TOML front matter. New
/// entries are bundles (`<slug>/index.md`), so their pictures go beside
/// them; existing single files are edited where they are.
fn collection(name: &str, label: &str, singular: &str, summary: &str, fields: Vec<Yaml>) -> Yaml {
    // The field a new entry's slug (its file name) is made from: Decap
    // looks for `title`, and partners have a `name` instead.
    let identifier = if name == "partners" { "name" } else { "title" };
    Yaml::Map(vec![
        ("name", Yaml::str(name)),
        ("identifier_field", Yaml::str(identifier)),
        ("label", Yaml::str(label)),
        ("label_singular", Yaml::str(singular)),
        ("folder", Yaml::Str(format!("content/{name}"))),
        ("create", Yaml::Bool(true)),
        ("extension", Yaml::str("md")),
        ("format", Yaml::str("toml-frontmatter")),
        ("path", Yaml::str("{{slug}}/index")),
        ("media_folder", Yaml::str("")),
        ("public_folder", Yaml::str("")),
        ("summary", Yaml::str(summary)),
        // The site itself is the preview: `brum serve` shows each save.
        ("editor", Yaml::Map(vec![("preview", Yaml::Bool(false))])),
        ("fields", Yaml::List(fields)),
    ])
}

fn stories(config: &Config) -> Yaml {
    let fields = vec![
        string("title", "Title", true, ""),
        date(
            "date",
            "Date",
            true,
            "When it is published; a later date waits for its day.",
        ),
        date(
            "updated",
            "Updated",
            false,
            "When it last changed in a way readers should know about.",
        ),
        string("author", "Author", false, "The name readers see."),
        partner_relation("partner", "Partner", false),
        select(
            "question",
            "Campaign question",
            &config.questions,
            false,
            false,
        ),
        select("topics", "Topics", &config.topics, true, false),
        text(
            "summary",
            "Summary",
            "One or two sentences for lists and the feed.",
        ),
        image("image", "Picture"),
        alt("image_alt"),
        string(
            "image_consent",
            "Consent of the people pictured",
            false,
            "Where their consent is recorded (a form's reference, who keeps it); never published. brum check asks for it when the picture's words name people.",
        ),
        draft(),
        body(),
    ];
    collection(
        "stories",
        "Stories",
        "Story",
        "{{title}} ({{date | date('YYYY-MM-DD')}})",
        fields,
    )
}

fn partners(config: &Config) -> Yaml {
    let fields = vec![
        string("name", "Name", true, "The organisation's name."),
        select("sector", "Sector", &config.sectors, false, true),
        string(
            "website",
            "Website",
            false,
            "The full address, starting https://",
        ),
        image("logo", "Logo"),
        alt("logo_alt"),
        string(
            "twitter",
            "Twitter",
            false,
            "The handle, with or without @.",
        ),
        string("facebook", "Facebook", false, "The page's full address."),
        date("joined", "Joined", false, "The date they joined."),
        select(
            "commitments",
            "Commitments",
            &config.commitments,
            true,
            false,
        ),
        date(
            "review_by",
            "Review by",
            false,
            "When this profile should be read again; brum check warns once the day has passed.",
        ),
        draft(),
        body(),
    ];
    collection("partners", "Partners", "Partner", "{{name}}", fields)
}

fn timeline() -> Yaml {
    let status = Yaml::Map(vec![
        ("label", Yaml::str("Status")),
        ("name", Yaml::str("status")),
        ("widget", Yaml::str("select")),
        ("options", Yaml::strs(["done", "in-progress", "planned"])),
        ("required", Yaml::Bool(false)),
        (
            "hint",
            Yaml::str("Left empty, it follows from the dates and today."),
        ),
    ]);
    let fields = vec![
        string("title", "Title", true, ""),
        date("date", "Date", true, "When it happens, or starts."),
        date(
            "end",
            "End",
            false,
            "When a period ends; not before the date.",
        ),
        status,
        string("location", "Location", false, "Where it happens."),
        partner_relation("partners", "Partners", true),
        draft(),
        body(),
    ];
    collection(
        "timeline",
        "Timeline",
        "Timeline entry",
        "{{title}} ({{date | date('YYYY-MM-DD')}})",
        fields,
    )
}

fn pages() -> Yaml {
    let weight = Yaml::Map(vec![
        ("label", Yaml::str("Order in the menu")),
        ("name", Yaml::str("weight")),
        ("widget", Yaml::str("number")),
        ("value_type", Yaml::str("int")),
        ("required", Yaml::Bool(false)),
        ("hint", Yaml::str("Lower comes first.")),
    ]);
    let menu = boolean(
        "menu",
        "In the menu",
        "On: the page is listed in the site's navigation.",
    );
    let fields = vec![
        string("title", "Title", true, ""),
        text(
            "description",
            "Description",
            "One sentence for search results and link previews.",
        ),
        weight,
        menu,
        date(
            "review_by",
            "Review by",
            false,
            "When this page should be read again; brum check warns once the day has passed.",
        ),
        draft(),
        body(),
    ];
    collection("pages", "Pages", "Page", "{{title}}", fields)
}

fn field(
    name: &str,
    label: &str,
    widget: &str,
    required: bool,
    hint: &str,
) -> Vec<(&'static str, Yaml)> {
    let mut map = vec![
        ("label", Yaml::str(label)),
        ("name", Yaml::str(name)),
        ("widget", Yaml::str(widget)),
        ("required", Yaml::Bool(required)),
    ];
    if !hint.is_empty() {
        map.push(("hint", Yaml::str(hint)));
    }
    map
}

fn string(name: &str, label: &str, required: bool, hint: &str) -> Yaml {
    Yaml::Map(field(name, label, "string", required, hint))
}

fn text(name: &str, label: &str, hint: &str) -> Yaml {
    Yaml::Map(field(name, label, "text", false, hint))
}

fn boolean(name: &str, label: &str, hint: &str) -> Yaml {
    let mut map = field(name, label, "boolean", false, hint);
    map.push(("default", Yaml::Bool(false)));
    Yaml::Map(map)
}

/// A day, written as a TOML date (`2026-12-01`), as brum reads it.
fn date(name: &str, label: &str, required: bool, hint: &str) -> Yaml {
    let mut map = field(name, label, "datetime", required, hint);
    map.extend([
        ("format", Yaml::str("YYYY-MM-DD")),
        ("date_format", Yaml::str("YYYY-MM-DD")),
        ("time_format", Yaml::Bool(false)),
    ]);
    Yaml::Map(map)
}

/// A choice of a vocabulary's keys, shown by their names.
fn select(
    name: &str,
    label: &str,
    vocabulary: &Vocabulary,
    multiple: bool,
    required: bool,
) -> Yaml {
    let options = vocabulary
        .iter()
        .map(|(key, shown)| Yaml::Map(vec![("label", Yaml::str(shown)), ("value", Yaml::str(key))]))
        .collect();
    let mut map = field(name, label, "select", required, "");
    map.push(("options", Yaml::List(options)));
    if multiple {
        map.push(("multiple", Yaml::Bool(true)));
    }
    Yaml::Map(map)
}

/// A partner, chosen by name, saved as its slug (its file's name).
fn partner_relation(name: &str, label: &str, multiple: bool) -> Yaml {
    let mut map = field(name, label, "relation", false, "");
    map.extend([
        ("collection", Yaml::str("partners")),
        ("search_fields", Yaml::strs(["name"])),
        ("display_fields", Yaml::strs(["name"])),
        ("value_field", Yaml::str("{{slug}}")),
    ]);
    if multiple {
        map.push(("multiple", Yaml::Bool(true)));
    }
    Yaml::Map(map)
}

fn image(name: &str, label: &str) -> Yaml {
    let hint = "Saved beside the text. Say what it shows in the next field.";
    let mut map = field(name, label, "image", false, hint);
    map.push(("choose_url", Yaml::Bool(false)));
    Yaml::Map(map)
}

/// The picture's alt text: the form refuses a picture without it (see
/// `admin/brum-cms.js`), as `brum build` does.
fn alt(name: &str) -> Yaml {
    string(
        name,
        "What the picture shows",
        false,
        "Needed with a picture: for people who cannot see it.",
    )
}

fn draft() -> Yaml {
    boolean(
        "draft",
        "Draft",
        "On: kept off the site (the preview shows it).",
    )
}

/// The text, raw Markdown first: the rich-text mode rewrites Markdown it
/// does not know, such as component calls (`{{ video(...) }}`).
fn body() -> Yaml {
    let mut map = field("body", "Text", "markdown", false, "");
    map.push(("modes", Yaml::strs(["raw", "rich_text"])));
    Yaml::Map(map)
}

#[cfg(test)]
mod tests {
    use super::is_local;

    #[test]
    fn only_this_computer_is_local() {
        assert!(is_local("http://127.0.0.1:1111/"));
        assert!(is_local("http://localhost:8080/sub/"));
        assert!(is_local("http://[::1]:3000/"));
        assert!(!is_local("https://www.birminghampartners.com/"));
        assert!(!is_local("http://127.0.0.1.example.org/"));
    }
}
