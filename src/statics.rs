//! Which static files the site publishes: the theme's `static/`, then the
//! site's own (which wins on the same path). Symlinks that lead out of the
//! site are refused, never followed. With `[cms]` on, the editor's files
//! come first, under `admin/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::cms::AdminFile;
use crate::config::Config;
use crate::error::Diagnostic;
use crate::theme::Theme;

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    File(PathBuf),
    Builtin(&'static [u8]),
    /// Made by brum for this site (the editor's `admin/config.yml`).
    Made(Arc<Vec<u8>>),
}

/// Output path (relative, `/`-separated) → source, in path order.
pub type StaticFiles = BTreeMap<String, StaticSource>;

pub fn collect(root: &Path, config: &Config) -> (StaticFiles, Vec<Diagnostic>) {
    let mut files = StaticFiles::new();
    let mut errors = Vec::new();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // The editor first: a site's own static/admin/ replaces it.
    for (name, file) in crate::cms::admin_files(config) {
        let source = match file {
            AdminFile::Decap(bytes) => StaticSource::Builtin(bytes),
            AdminFile::Made(bytes) => StaticSource::Made(bytes),
        };
        files.insert(name, source);
    }
    let theme = Theme::locate(root, config).ok();
    if let Some(Theme::Builtin) = theme {
        for (name, bytes) in Theme::builtin_files("static") {
            files.insert(name, StaticSource::Builtin(bytes));
        }
    }
    let theme_dir = theme.and_then(|t| t.static_dir());
    for dir in theme_dir.into_iter().chain([root.join("static")]) {
        if !dir.is_dir() {
            continue;
        }
        let walker = WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().unwrap_or(&dir);
                    errors.push(Diagnostic::new(
                        crate::fs::display_path(root, path),
                        format!("cannot read this static file: {e}"),
                    ));
                    continue;
                }
            };
            let display = crate::fs::display_path(root, entry.path());
            if entry.path_is_symlink() {
                match entry.path().canonicalize() {
                    Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                    Ok(target) if target.starts_with(&canonical_root) => {
                        errors.push(Diagnostic::new(display, "this is a link to a folder; brum does not follow folder links in static/").with_help("copy the folder into static/ instead"));
                        continue;
                    }
                    Ok(target) => {
                        errors.push(
                            Diagnostic::new(
                                display,
                                format!(
                                    "this link points outside the site (to {}); it is not copied",
                                    target.display()
                                ),
                            )
                            .with_help("copy the file into static/ instead of linking to it"),
                        );
                        continue;
                    }
                    Err(e) => {
                        errors.push(
                            Diagnostic::new(display, format!("this link leads nowhere: {e}"))
                                .with_help(
                                    "remove the link, or copy the file it meant into static/",
                                ),
                        );
                        continue;
                    }
                }
            } else if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(name, StaticSource::File(entry.path().to_path_buf()));
        }
    }
    (files, errors)
}
