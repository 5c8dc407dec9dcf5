//! Tera set-up: the theme's templates with the site's own overriding them by
//! name, an escaper fit for both HTML and XML, and the `url` function.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tera::{Tera, Value};
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::images::{Catalog, Format};
use crate::theme::Theme;

/// The templates every theme must have, one per kind of page.
pub const REQUIRED: [&str; 17] = [
    "index.html",
    "stories.html",
    "story.html",
    "topics.html",
    "topic.html",
    "questions.html",
    "question.html",
    "partners.html",
    "partner.html",
    "timeline.html",
    "timeline_entry.html",
    "page.html",
    "404.html",
    "alias.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
];

pub struct Templates {
    pub tera: Tera,
    /// Template name → its file, relative to the site root, for messages.
    pub files: HashMap<String, PathBuf>,
    /// The images of the site being rendered, for `resize_image`: set by
    /// the renderer before each render, since templates outlive a build
    /// in `serve`.
    pub images: ImageSlot,
}

/// Where `resize_image` finds the catalog of the build in progress.
pub type ImageSlot = Arc<RwLock<Arc<Catalog>>>;

/// Escapes the five characters that matter in HTML text, attributes and XML.
/// Tera's default also escapes `/`, which makes URLs in feeds unreadable.
fn escape_markup(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Loads the theme's templates, then the site's `templates/` over them.
pub fn load(root: &Path, config: &Config) -> Result<Templates> {
    let theme = Theme::locate(root, config).map_err(|d| Error::invalid(vec![d]))?;
    let site_dir = root.join("templates");
    let mut errors = Vec::new();
    let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    let builtin_dir = PathBuf::from(format!("(brum's built-in theme `{}`)", config.theme));
    let theme_dir = theme.templates_dir().unwrap_or_else(|| builtin_dir.clone());
    if theme.templates_dir().is_none() {
        for (name, bytes) in Theme::builtin_files("templates") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            sources.insert(name.clone(), (builtin_dir.join(&name), text));
        }
    }
    for dir in theme.templates_dir().iter().chain([&site_dir]) {
        if !dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(Diagnostic::new(
                        crate::content::display_path(root, e.path().unwrap_or(dir)),
                        format!("cannot read the templates folder: {e}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let display = crate::content::display_path(root, entry.path());
            match crate::fs::read_text(entry.path(), &display) {
                Ok(text) => {
                    sources.insert(name, (display, text));
                }
                Err(e) => errors.extend(e.diagnostics().iter().cloned()),
            }
        }
    }
    for name in REQUIRED {
        if !sources.contains_key(name) {
            errors.push(
                Diagnostic::new(crate::content::display_path(root, &theme_dir.join(name)), format!("the template `{name}` is missing"))
                    .with_help(format!("the theme `{}` (or the site's templates/ folder) must have a {name}; see themes/default/TEMPLATES.md", config.theme)),
            );
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors));
    }

    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape_markup);
    let files: HashMap<String, PathBuf> = sources
        .iter()
        .map(|(n, (p, _))| (n.clone(), p.clone()))
        .collect();
    // Parse each template alone first, so every broken one is reported.
    for (name, (path, text)) in &sources {
        if let Err(e) = tera::Template::new(name, None, text) {
            errors.push(template_diagnostic(path, &e));
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors));
    }
    if let Err(e) =
        tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
    {
        let path = files.values().next().cloned().unwrap_or_default();
        let mut d = template_diagnostic(&path, &e);
        if let Some((name, p)) = files
            .iter()
            .find(|(n, _)| error_chain(&e).contains(&format!("'{n}'")))
        {
            d.path = p.clone();
            let _ = name;
        }
        return Err(Error::invalid(vec![d]));
    }
    let base_path = config.base_path.clone();
    tera.register_function(
        "url",
        move |args: &HashMap<String, Value>| -> tera::Result<Value> {
            match args.get("path").and_then(Value::as_str) {
                Some(path) => Ok(Value::String(crate::site::join_url(&base_path, path))),
                None => Err(tera::Error::msg(
                    "url() needs a `path` argument, e.g. url(path=\"/style.css\")",
                )),
            }
        },
    );
    let images = ImageSlot::default();
    tera.register_function("resize_image", resize_image(images.clone(), config));
    Ok(Templates {
        tera,
        files,
        images,
    })
}

/// `resize_image(path, width, height, op, format)`: a copy of one of the
/// site's JPEG, PNG or WebP images at one size, as `{url, width, height,
/// resized}`. `op="fit"` (the default) scales to fit inside the sizes given;
/// `op="fill"` cuts to exactly that shape (centred), e.g. 1200×630 for
/// OpenGraph. Never enlarges. An image brum does not process (SVG, GIF,
/// another site's) comes back as it is, with `resized = false`.
fn resize_image(
    slot: ImageSlot,
    config: &Config,
) -> impl Fn(&HashMap<String, Value>) -> tera::Result<Value> + Send + Sync + 'static {
    let base = config.base_path.clone();
    move |args| {
        let path = args.get("path").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg(
                "resize_image() needs a `path`, e.g. resize_image(path=story.image.url, width=1200, height=630, op=\"fill\")",
            )
        })?;
        let size = |key: &str| -> tera::Result<Option<u32>> {
            match args.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .map(Some)
                    .ok_or_else(|| {
                        tera::Error::msg(format!(
                            "resize_image(): `{key}` must be a whole number of pixels, found {v}"
                        ))
                    }),
            }
        };
        let (width, height) = (size("width")?, size("height")?);
        let crop = match args.get("op").and_then(Value::as_str).unwrap_or("fit") {
            "fit" => false,
            "fill" => true,
            other => {
                return Err(tera::Error::msg(format!(
                    "resize_image(): `op` is \"fit\" or \"fill\", found {other:?}"
                )));
            }
        };
        let format = match args.get("format").and_then(Value::as_str) {
            None | Some("auto") => None,
            Some(name) => Some(Format::from_name(&format!("x.{name}")).ok_or_else(|| {
                tera::Error::msg(format!(
                    "resize_image(): `format` is \"auto\", \"jpg\", \"png\" or \"webp\", found {name:?}"
                ))
            })?),
        };
        let url = if path.starts_with(&base) || path.contains("://") {
            path.to_string()
        } else {
            crate::site::join_url(&base, path)
        };
        let catalog = slot.read().unwrap_or_else(|e| e.into_inner()).clone();
        if catalog.get(&url).is_none() {
            return Ok(serde_json::json!({
                "url": url, "width": null, "height": null, "resized": false
            }));
        }
        let (url, width, height) = catalog
            .resize(&url, width, height, crop, format)
            .map_err(tera::Error::msg)?;
        Ok(serde_json::json!({
            "url": url, "width": width, "height": height, "resized": true
        }))
    }
}

/// The whole chain of a Tera error in one line.
pub fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// A Tera error as a diagnostic, with the line when Tera gives one (` --> 3:5`).
pub fn template_diagnostic(path: &Path, e: &tera::Error) -> Diagnostic {
    let chain = error_chain(e);
    let mut d = Diagnostic::new(
        path,
        format!(
            "template error: {}",
            chain
                .replace('\n', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ),
    );
    if let Some(at) = chain.find("--> ") {
        let rest = &chain[at + 4..];
        let mut nums = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        if let (Some(l), Some(c)) = (nums.next(), nums.next())
            && let (Ok(l), Ok(c)) = (l.parse(), c.parse())
        {
            d.line = Some(l);
            d.column = Some(c);
        }
    }
    d.help = Some("templates use Tera's syntax: https://keats.github.io/tera/docs/".into());
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_slashes_alone() {
        assert_eq!(
            escape_markup("</a> & \"b\" 'c' /d"),
            "&lt;/a&gt; &amp; &quot;b&quot; &#39;c&#39; /d"
        );
    }
}
