//! The editor in the browser (`[cms] enabled` in site.toml): Decap CMS,
//! published at `/admin/` with a `config.yml` made from the site's content
//! model, so a form offers only what `site.toml` allows. `brum serve`
//! answers Decap's local-backend API ([`backend`]) so an author can write
//! on their own computer with nothing else installed; the published site
//! saves through the git host named in `[cms]`.

pub mod backend;
mod decap;
mod yaml;

use std::sync::Arc;

use include_dir::{Dir, include_dir};

use crate::config::Config;

pub use decap::{API_PATH, config_yml, is_local};

/// The Decap CMS release in vendor/decap-cms/ (see its README.md).
pub const DECAP_VERSION: &str = "3.16.3";

/// The folder of the output the editor is published in.
pub const ADMIN_DIR: &str = "admin";

static DECAP: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/vendor/decap-cms/dist");

/// The form's own rules, beyond what Decap's fields can say.
const BRUM_CMS_JS: &str = include_str!("brum-cms.js");

/// Where Decap's own colours fall short of WCAG 2.2 AA.
const BRUM_CMS_CSS: &str = include_str!("brum-cms.css");

/// One file of the editor.
pub enum AdminFile {
    /// One of Decap's, as released.
    Decap(&'static [u8]),
    /// Made for this site.
    Made(Arc<Vec<u8>>),
}

/// The editor's files, by output path (`admin/config.yml`), when the site
/// has one.
pub fn admin_files(config: &Config) -> Vec<(String, AdminFile)> {
    if config.cms.is_none() {
        return Vec::new();
    }
    let made = |text: String| AdminFile::Made(Arc::new(text.into_bytes()));
    let mut files = vec![
        (format!("{ADMIN_DIR}/index.html"), made(index_html(config))),
        (format!("{ADMIN_DIR}/config.yml"), made(config_yml(config))),
        (
            format!("{ADMIN_DIR}/brum-cms.js"),
            made(BRUM_CMS_JS.to_string()),
        ),
        (
            format!("{ADMIN_DIR}/brum-cms.css"),
            made(BRUM_CMS_CSS.to_string()),
        ),
    ];
    for file in DECAP.files() {
        let name = file.path().to_string_lossy().replace('\\', "/");
        files.push((
            format!("{ADMIN_DIR}/decap/{name}"),
            AdminFile::Decap(file.contents()),
        ));
    }
    files
}

/// The page that loads the editor. Decap draws everything inside it; the
/// page itself names the site and says what to do without JavaScript.
fn index_html(config: &Config) -> String {
    let title = escape(&format!("Content editor · {}", config.title));
    let lang = escape(&config.language);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"robots\" content=\"noindex\">\n<title>{title}</title>\n\
<link rel=\"stylesheet\" href=\"brum-cms.css\">\n</head>\n<body>\n\
<noscript><p>The content editor needs JavaScript. Without it, write the files in \
<code>content/</code> as docs/content.md describes.</p></noscript>\n\
<script src=\"decap/decap-cms.js\"></script>\n<script src=\"brum-cms.js\"></script>\n\
</body>\n</html>\n"
    )
}

/// Text for an HTML attribute or element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
