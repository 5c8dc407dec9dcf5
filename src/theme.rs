//! Where a theme's files come from: the site's own `themes/<name>/` folder, or,
//! for `default` when the site has no copy, the default theme built into brum
//! (so any content folder builds as it is).

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::Config;
use crate::error::Diagnostic;

static BUILTIN_DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub enum Theme {
    /// `themes/<name>/` in the site.
    Folder(PathBuf),
    /// The default theme compiled into brum.
    Builtin,
}

impl Theme {
    pub fn locate(root: &Path, config: &Config) -> Result<Theme, Diagnostic> {
        let folder = root.join("themes").join(&config.theme);
        if folder.is_dir() {
            Ok(Theme::Folder(folder))
        } else if config.theme == "default" {
            Ok(Theme::Builtin)
        } else {
            Err(Diagnostic::new(crate::config::FILE_NAME, format!("the theme `{}` was not found: there is no folder themes/{}/", config.theme, config.theme))
                .with_help("set `theme` in site.toml to a folder under themes/, or to \"default\" for the theme built into brum"))
        }
    }

    /// The folder of templates, when the theme is on disk.
    pub fn templates_dir(&self) -> Option<PathBuf> {
        match self {
            Theme::Folder(dir) => Some(dir.join("templates")),
            Theme::Builtin => None,
        }
    }

    pub fn static_dir(&self) -> Option<PathBuf> {
        match self {
            Theme::Folder(dir) => Some(dir.join("static")),
            Theme::Builtin => None,
        }
    }

    /// The built-in theme's files under `sub` (`templates` or `static`):
    /// (path relative to `sub`, contents).
    pub fn builtin_files(sub: &str) -> Vec<(String, &'static [u8])> {
        let mut out = Vec::new();
        if let Some(dir) = BUILTIN_DEFAULT.get_dir(sub) {
            collect(dir, sub, &mut out);
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

fn collect(dir: &'static Dir<'static>, sub: &str, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        let rel = file.path().strip_prefix(sub).unwrap_or(file.path());
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if !name.split('/').any(|s| s.starts_with('.')) {
            out.push((name, file.contents()));
        }
    }
    for d in dir.dirs() {
        collect(d, sub, out);
    }
}
