//! Tera set-up: the theme's templates with the site's own overriding them by
//! name, an escaper fit for both HTML and XML, and the `url` function.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tera::{Tera, Value};
use walkdir::WalkDir;

use super::filters;
pub use super::filters::json_for_script;
use super::jobs::Kind;
use super::strings::Strings;
use crate::components::Specs;
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::images::{Catalog, Format};
use crate::site::routes::Routes;
use crate::theme::Theme;

/// The template of the search page (`[search] enabled = true`).
const SEARCH_PAGE: &str = Kind::Search.template();

pub struct Templates {
    pub tera: Tera,
    /// Template name → its file, relative to the site root, for messages.
    pub files: HashMap<String, PathBuf>,
    /// The images of the site being rendered, for `resize_image`: set by
    /// the renderer before each render, since templates outlive a build
    /// in `serve`.
    pub images: ImageSlot,
    /// The theme's words in each language (`t` in templates).
    pub strings: Strings,
    /// What reading the translation files found that does not stop a
    /// build (a site's word the theme does not have).
    pub warnings: Vec<Diagnostic>,
    /// What each component (`components/<name>.html`) takes.
    pub components: Specs,
}

/// Where `resize_image` finds the catalog of the build in progress.
pub type ImageSlot = Arc<RwLock<Arc<Catalog>>>;

/// Escapes the five characters that matter in HTML text, attributes and XML.
/// Tera's default also escapes `/`, which makes URLs in feeds unreadable.
pub(super) fn escape_markup(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut clean = 0;
    // Copies the runs between special characters whole: most text has none.
    for (i, &b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[clean..i]);
        out.push_str(entity);
        clean = i + 1;
    }
    out.push_str(&input[clean..]);
    out
}

/// Template name → (its file as the user knows it, its text).
type Sources = BTreeMap<String, (PathBuf, String)>;

/// Loads the theme's templates, then the site's `templates/` over them.
/// Every missing, unreadable or broken template is reported at once.
pub fn load(root: &Path, config: &Config) -> Result<Templates> {
    let theme = Theme::locate(root, config).map_err(|d| Error::invalid(vec![d]))?;
    let (sources, mut errors) = read_sources(root, config, &theme);
    errors.extend(missing(root, config, &theme, &sources));
    let (strings, string_problems) = super::strings::load(root, config, &theme);
    let (string_errors, warnings): (Vec<_>, Vec<_>) =
        string_problems.into_iter().partition(Diagnostic::is_error);
    errors.extend(string_errors);
    let (components, component_errors) = Specs::read(
        sources
            .iter()
            .map(|(name, (file, text))| (name.as_str(), file.as_path(), text.as_str())),
    );
    errors.extend(component_errors);
    if !errors.is_empty() {
        return Err(Error::invalid(errors));
    }
    let files: HashMap<String, PathBuf> = sources
        .iter()
        .map(|(n, (p, _))| (n.clone(), p.clone()))
        .collect();
    let mut tera = compile(&sources, &files)?;
    let cycles = include_cycles(&tera, &files);
    if !cycles.is_empty() {
        return Err(Error::invalid(cycles));
    }
    let images = register_functions(&mut tera, config);
    Ok(Templates {
        tera,
        files,
        images,
        strings,
        warnings,
        components,
    })
}

/// Where a theme built into brum says its templates are, in messages.
fn builtin_dir(config: &Config) -> PathBuf {
    PathBuf::from(format!("(brum's built-in theme `{}`)", config.theme))
}

/// The theme's templates (from its folder or from brum), then the site's.
fn read_sources(root: &Path, config: &Config, theme: &Theme) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::new();
    let mut errors = Vec::new();
    if theme.templates_dir().is_none() {
        let dir = builtin_dir(config);
        for (name, bytes) in Theme::builtin_files("templates") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let shown = PathBuf::from(format!("{}/{name}", dir.display()));
            sources.insert(name.clone(), (shown, text));
        }
    }
    let site_dir = root.join("templates");
    for dir in theme.templates_dir().iter().chain([&site_dir]) {
        if dir.is_dir() {
            read_dir(root, dir, &mut sources, &mut errors);
        }
    }
    (sources, errors)
}

/// Every template in `dir` (hidden files aside), named by its path in it.
fn read_dir(root: &Path, dir: &Path, sources: &mut Sources, errors: &mut Vec<Diagnostic>) {
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::new(
                    crate::fs::display_path(root, e.path().unwrap_or(dir)),
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
        let display = crate::fs::display_path(root, entry.path());
        match crate::fs::read_text(entry.path(), &display) {
            Ok(text) => {
                sources.insert(name, (display, text));
            }
            Err(e) => errors.extend(e.diagnostics().iter().cloned()),
        }
    }
}

/// The templates a kind of page needs that neither the theme nor the site has.
fn missing(root: &Path, config: &Config, theme: &Theme, sources: &Sources) -> Vec<Diagnostic> {
    let theme_dir = theme.templates_dir().unwrap_or_else(|| builtin_dir(config));
    let required = Kind::ALL.into_iter().filter(|k| k.required(config.search));
    let absent = required
        .map(Kind::template)
        .filter(|name| !sources.contains_key(*name));
    absent
        .map(|name| {
            let help = if name == SEARCH_PAGE {
                format!("site.toml turns search on ([search] enabled = true), so the theme `{}` (or the site's templates/ folder) needs a {name} for the /search/ page; or turn search off", config.theme)
            } else {
                format!("the theme `{}` (or the site's templates/ folder) must have a {name}; see themes/default/TEMPLATES.md", config.theme)
            };
            let path = match theme.templates_dir() {
                Some(dir) => crate::fs::display_path(root, &dir.join(name)),
                None => PathBuf::from(format!("{}/{name}", theme_dir.display())),
            };
            Diagnostic::new(path, format!("the template `{name}` is missing")).with_help(help)
        })
        .collect()
}

/// Parses every template into one Tera, with brum's escaping and filters.
fn compile(sources: &Sources, files: &HashMap<String, PathBuf>) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape_markup);
    let all = sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str()));
    if let Err(e) = tera.add_raw_templates(all) {
        return Err(Error::invalid(compile_errors(sources, files, &e)));
    }
    tera.register_filter("json_script", filters::JsonScript);
    tera.register_filter("plural", filters::Plural);
    tera.register_filter("fill", filters::Fill);
    Ok(tera)
}

/// Tera stops at the first broken template: each is parsed alone (only
/// now, as parsing is a tenth of a small build) so every one is reported.
/// When each parses alone, the error is between them (an unknown parent or
/// macro file), reported at the template it names.
fn compile_errors(
    sources: &Sources,
    files: &HashMap<String, PathBuf>,
    e: &tera::Error,
) -> Vec<Diagnostic> {
    let errors: Vec<Diagnostic> = sources
        .iter()
        .filter_map(|(name, (path, text))| {
            let broken = tera::Template::new(name, None, text).err()?;
            Some(template_diagnostic(path, &broken))
        })
        .collect();
    if !errors.is_empty() {
        return errors;
    }
    let path = files.values().next().cloned().unwrap_or_default();
    let mut d = template_diagnostic(&path, e);
    let named = files
        .iter()
        .find(|(n, _)| error_chain(e).contains(&format!("'{n}'")));
    if let Some((_, p)) = named {
        d.path = p.clone();
    }
    vec![d]
}

/// `url()` and `resize_image()`; the slot `resize_image` reads the images
/// of the build being rendered from.
fn register_functions(tera: &mut Tera, config: &Config) -> ImageSlot {
    let routes = Routes::new(config);
    tera.register_filter(
        "markdown",
        super::markdown_filter::MarkdownFilter {
            base_path: routes.base_path().to_string(),
        },
    );
    tera.register_function(
        "url",
        move |args: &HashMap<String, Value>| -> tera::Result<Value> {
            match args.get("path").and_then(Value::as_str) {
                Some(path) => Ok(Value::String(routes.url(path))),
                None => Err(tera::Error::msg(
                    "url() needs a `path` argument, e.g. url(path=\"/style.css\")",
                )),
            }
        },
    );
    let images = ImageSlot::default();
    tera.register_function("resize_image", resize_image(images.clone(), config));
    images
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
    let routes = Routes::new(config);
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
        let url = if path.starts_with(routes.base_path()) || path.contains("://") {
            path.to_string()
        } else {
            routes.url(path)
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

/// Templates that include themselves, directly or through others (or
/// through the templates they extend, or the macro files they import): Tera
/// would recurse until the stack overflows, so each is an error up front.
fn include_cycles(tera: &Tera, files: &HashMap<String, PathBuf>) -> Vec<Diagnostic> {
    let mut edges: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for name in tera.get_template_names() {
        let Ok(t) = tera.get_template(name) else {
            continue;
        };
        let mut to = Vec::new();
        included(&t.ast, &mut to);
        for m in t.macros.values() {
            included(&m.body, &mut to);
        }
        to.extend(t.parent.iter().cloned());
        to.extend(t.imported_macro_files.iter().map(|(file, _)| file.clone()));
        to.retain(|n| files.contains_key(n));
        edges.insert(name, to);
    }
    let mut errors = Vec::new();
    for start in edges.keys() {
        // Breadth first, keeping how each template was reached.
        let mut came_from: HashMap<&str, &str> = HashMap::new();
        let mut queue: std::collections::VecDeque<&str> = [*start].into();
        let mut cycle = None;
        while let Some(at) = queue.pop_front() {
            for next in edges.get(at).into_iter().flatten() {
                if next == start {
                    cycle = Some(at);
                    break;
                }
                if !came_from.contains_key(next.as_str()) {
                    came_from.insert(next, at);
                    queue.push_back(next);
                }
            }
            if cycle.is_some() {
                break;
            }
        }
        let Some(last) = cycle else { continue };
        let mut chain = vec![*start];
        let mut at = last;
        while at != *start {
            chain.push(at);
            at = came_from[at];
        }
        chain.push(start);
        chain.reverse();
        let path = files.get(*start).cloned().unwrap_or_default();
        errors.push(
            Diagnostic::new(
                path,
                format!(
                    "the template `{start}` includes itself ({}), which would never end",
                    chain.join(" → ")
                ),
            )
            .with_help("remove the `include` (or `extends`) that leads back to this template"),
        );
    }
    errors
}

/// The templates named by `include` tags anywhere in `nodes`.
fn included(nodes: &[tera::ast::Node], out: &mut Vec<String>) {
    use tera::ast::Node;
    for node in nodes {
        match node {
            Node::Include(_, names, _) => out.extend(names.iter().cloned()),
            Node::Block(_, b, _) => included(&b.body, out),
            Node::Forloop(_, f, _) => {
                included(&f.body, out);
                if let Some(empty) = &f.empty_body {
                    included(empty, out);
                }
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    included(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    included(body, out);
                }
            }
            Node::FilterSection(_, f, _) => included(&f.body, out),
            Node::MacroDefinition(_, m, _) => included(&m.body, out),
            _ => {}
        }
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
