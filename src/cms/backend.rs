//! Decap CMS's local-backend API (the one `decap-server` implements, for
//! `local_backend` in config.yml), answered by `brum serve` so an author
//! needs no Node: each request is `{action, params}` as JSON, and reads or
//! writes files of the site.
//!
//! Only `content/` and `static/` are reachable. A path is refused, never
//! resolved, when it is absolute, has `.`, `..` or empty segments, a
//! backslash, a drive or a hidden name, or leads (through a link) out of
//! those folders. Translations (`x.ur.md`) and introductions (`_index.md`)
//! are left out of lists: the form edits the default language's files.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

/// The folders of the site the editor may touch.
const ROOTS: [&str; 2] = ["content", "static"];

/// The site the API works on.
#[derive(Debug)]
pub struct Backend {
    /// The site folder, absolute.
    root: PathBuf,
    /// The codes of the site's languages other than the default.
    translations: Vec<String>,
}

/// A request the API does not carry out, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status: 400 a bad request, 403 a path outside the editor's
    /// folders, 404 a file that is not there, 500 a failure to read or write.
    pub status: u16,
    pub message: String,
}

impl Refusal {
    fn new(status: u16, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
        }
    }
}

type Answer = Result<Value, Refusal>;

impl Backend {
    /// The API for a site whose settings turn the editor on; `root` is the
    /// site folder, absolute.
    pub fn for_site(config: &crate::config::Config, root: &Path) -> Option<Backend> {
        config.cms.as_ref()?;
        let translations = config
            .languages
            .iter()
            .filter(|l| !l.default)
            .map(|l| l.code.clone())
            .collect();
        Some(Backend::new(root, translations))
    }

    pub fn new(root: &Path, translations: Vec<String>) -> Backend {
        Backend {
            root: root.to_path_buf(),
            translations,
        }
    }

    /// The answer to one request body.
    pub fn answer(&self, request: &Value) -> Answer {
        let action = request.get("action").and_then(Value::as_str).unwrap_or("");
        let params = request.get("params").cloned().unwrap_or(Value::Null);
        match action {
            "info" => Ok(self.info()),
            "entriesByFolder" => self.entries_by_folder(&params),
            "entriesByFiles" => self.entries_by_files(&params),
            "getEntry" => self.entry(text(&params, "path")?),
            "persistEntry" => self.persist_entry(&params),
            "getMedia" => self.media(text(&params, "mediaFolder")?),
            "getMediaFile" => self.media_file(text(&params, "path")?),
            "persistMedia" => self.persist_media(&params),
            "deleteFile" => self.delete(&[text(&params, "path")?]),
            "deleteFiles" => self.delete(&texts(&params, "paths")?),
            "getDeployPreview" => Ok(Value::Null),
            other => Err(Refusal::new(
                422,
                format!(
                    "brum serve does not do {other:?}: it saves straight to the files (publish mode \"simple\")"
                ),
            )),
        }
    }

    fn info(&self) -> Value {
        let name = self
            .root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        json!({
            "repo": name.unwrap_or_else(|| "site".into()),
            "publish_modes": ["simple"],
            "type": "local_fs",
        })
    }

    fn entries_by_folder(&self, params: &Value) -> Answer {
        let folder = self.resolve(text(params, "folder")?)?;
        let extension = params
            .get("extension")
            .and_then(Value::as_str)
            .unwrap_or("");
        let depth = params.get("depth").and_then(Value::as_u64).unwrap_or(1);
        let mut files = Vec::new();
        list(&folder, extension, depth, &mut files);
        files.sort();
        let entries = files
            .iter()
            .filter(|f| self.is_editable(f))
            .filter_map(|f| Some(read_entry(&self.relative(f)?, f)))
            .collect();
        Ok(Value::Array(entries))
    }

    fn entries_by_files(&self, params: &Value) -> Answer {
        let files = params.get("files").and_then(Value::as_array);
        let mut entries = Vec::new();
        for file in files.into_iter().flatten() {
            let path = text(file, "path")?;
            entries.push(read_entry(path, &self.resolve(path)?));
        }
        Ok(Value::Array(entries))
    }

    fn entry(&self, path: &str) -> Answer {
        Ok(read_entry(path, &self.resolve(path)?))
    }

    fn persist_entry(&self, params: &Value) -> Answer {
        let entry = params.get("entry").cloned().unwrap_or(Value::Null);
        let data_files = match params.get("dataFiles").and_then(Value::as_array) {
            Some(files) => files.clone(),
            None => vec![entry],
        };
        let assets = params.get("assets").and_then(Value::as_array);
        // Every path is checked before anything is written.
        let mut writes = Vec::new();
        for file in &data_files {
            let raw = text(file, "raw")?;
            writes.push((self.resolve(text(file, "path")?)?, raw.as_bytes().to_vec()));
        }
        for asset in assets.into_iter().flatten() {
            writes.push((self.resolve(text(asset, "path")?)?, content(asset)?));
        }
        for (path, bytes) in &writes {
            write(path, bytes)?;
        }
        for file in &data_files {
            if let Some(new_path) = file.get("newPath").and_then(Value::as_str) {
                self.rename(text(file, "path")?, new_path)?;
            }
        }
        Ok(json!({"message": "entry persisted"}))
    }

    /// A moved entry: the file alone (decap-server also moves the files
    /// beside it; brum does not yet, so a bundle's pictures stay put).
    fn rename(&self, from: &str, to: &str) -> Result<(), Refusal> {
        let (from, to) = (self.resolve(from)?, self.resolve(to)?);
        if to.exists() {
            return Err(Refusal::new(
                409,
                format!("{} is already there: choose another name", self.shown(&to)),
            ));
        }
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| failed("make the folder for", &to, e))?;
        }
        std::fs::rename(&from, &to).map_err(|e| failed("move", &from, e))
    }

    fn media(&self, folder: &str) -> Answer {
        let dir = self.resolve(folder)?;
        let mut files = Vec::new();
        list(&dir, "", 1, &mut files);
        files.sort();
        let media = files
            .iter()
            .filter_map(|f| self.relative(f))
            .filter_map(|path| self.media_file(&path).ok())
            .collect();
        Ok(Value::Array(media))
    }

    fn media_file(&self, path: &str) -> Answer {
        let bytes = read(&self.resolve(path)?)?;
        let name = path.rsplit('/').next().unwrap_or(path);
        Ok(json!({
            "id": id(&bytes),
            "content": BASE64.encode(&bytes),
            "encoding": "base64",
            "path": path,
            "name": name,
        }))
    }

    fn persist_media(&self, params: &Value) -> Answer {
        let asset = params.get("asset").cloned().unwrap_or(Value::Null);
        let path = text(&asset, "path")?;
        write(&self.resolve(path)?, &content(&asset)?)?;
        self.media_file(path)
    }

    fn delete(&self, paths: &[&str]) -> Answer {
        let resolved: Vec<PathBuf> = paths
            .iter()
            .map(|p| self.resolve(p))
            .collect::<Result<_, _>>()?;
        for path in &resolved {
            match std::fs::remove_file(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(failed("delete", path, e));
                }
                _ => {}
            }
        }
        Ok(json!({"message": format!("deleted {}", paths.join(", "))}))
    }

    /// The file a request's path names, when it is inside `content/` or
    /// `static/`, whether or not it exists yet.
    pub fn resolve(&self, path: &str) -> Result<PathBuf, Refusal> {
        let segments = segments(path).ok_or_else(|| outside(path))?;
        if !ROOTS.contains(&segments[0]) {
            return Err(outside(path));
        }
        let mut full = self.root.clone();
        full.extend(&segments);
        self.stays_inside(&full, segments[0], path)?;
        Ok(full)
    }

    /// Refuses a path that a link among its existing parts takes out of
    /// the folder it starts in. A link that leads nowhere is refused too:
    /// writing through it would make a file wherever it points.
    fn stays_inside(&self, full: &Path, top: &str, asked: &str) -> Result<(), Refusal> {
        let top_dir = self.root.join(top);
        if top_dir.symlink_metadata().is_err() {
            // Not made yet (a site with no static/): nothing below it exists.
            return Ok(());
        }
        let allowed = top_dir.canonicalize().map_err(|_| outside(asked))?;
        let existing = full
            .ancestors()
            .find(|p| p.symlink_metadata().is_ok())
            .unwrap_or(&top_dir);
        match existing.canonicalize() {
            Ok(real) if real.starts_with(&allowed) => Ok(()),
            _ => Err(outside(asked)),
        }
    }

    /// A list entry the form edits: not a translation, not an introduction.
    fn is_editable(&self, file: &Path) -> bool {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if name.starts_with('_') || name.starts_with('.') {
            return false;
        }
        let stem = name.rsplit_once('.').map_or(&*name, |(stem, _)| stem);
        match stem.rsplit_once('.') {
            Some((_, code)) => !self.translations.iter().any(|t| t == code),
            None => true,
        }
    }

    /// `content/stories/x.md` for a file under the site.
    fn relative(&self, file: &Path) -> Option<String> {
        let rel = file.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    fn shown(&self, file: &Path) -> String {
        self.relative(file)
            .unwrap_or_else(|| file.display().to_string())
    }
}

/// The segments of a relative, `/`-separated path with no `.`, `..`,
/// empty, hidden or drive-like part; None for anything else.
fn segments(path: &str) -> Option<Vec<&str>> {
    if path.is_empty() || path.contains(['\\', '\0']) {
        return None;
    }
    let parts: Vec<&str> = path.split('/').collect();
    let bad = |s: &&str| s.is_empty() || s.starts_with('.') || s.contains(':');
    if parts.iter().any(bad) {
        return None;
    }
    Some(parts)
}

fn outside(path: &str) -> Refusal {
    Refusal::new(
        403,
        format!(
            "{path:?} is not a file the editor may touch: only files under content/ and static/ are"
        ),
    )
}

fn failed(what: &str, path: &Path, e: std::io::Error) -> Refusal {
    let status = if e.kind() == std::io::ErrorKind::NotFound {
        404
    } else {
        500
    };
    Refusal::new(status, format!("could not {what} {}: {e}", path.display()))
}

fn text<'a>(params: &'a Value, key: &str) -> Result<&'a str, Refusal> {
    params
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| Refusal::new(400, format!("the request has no `{key}` text")))
}

fn texts<'a>(params: &'a Value, key: &str) -> Result<Vec<&'a str>, Refusal> {
    let list = params.get(key).and_then(Value::as_array);
    let list = list.ok_or_else(|| Refusal::new(400, format!("the request has no `{key}` list")))?;
    list.iter()
        .map(|v| {
            v.as_str().ok_or_else(|| {
                Refusal::new(400, format!("`{key}` holds something other than text"))
            })
        })
        .collect()
}

/// An asset's bytes: `content` in its `encoding` (base64, else text).
fn content(asset: &Value) -> Result<Vec<u8>, Refusal> {
    let data = text(asset, "content")?;
    match asset.get("encoding").and_then(Value::as_str) {
        Some("base64") => BASE64
            .decode(data)
            .map_err(|e| Refusal::new(400, format!("the file's content is not base64: {e}"))),
        _ => Ok(data.as_bytes().to_vec()),
    }
}

/// Files under `dir`, `depth` levels down at most, whose names end in
/// `extension`; hidden names skipped, links not followed.
fn list(dir: &Path, extension: &str, depth: u64, out: &mut Vec<PathBuf>) {
    let walker = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(depth.min(16) as usize)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.flatten() {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.ends_with(extension) {
            out.push(entry.into_path());
        }
    }
}

/// `{data, file: {path, id}}` for `file`, which the request called `path`;
/// `data` null when the file cannot be read.
fn read_entry(path: &str, file: &Path) -> Value {
    match read(file) {
        Ok(bytes) => json!({
            "data": String::from_utf8_lossy(&bytes),
            "file": {"path": path, "id": id(&bytes)},
        }),
        Err(_) => json!({"data": null, "file": {"path": path, "id": null}}),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Refusal> {
    std::fs::read(path).map_err(|e| failed("read", path, e))
}

/// Written beside and renamed over, so the watcher never sees half a file.
fn write(path: &Path, bytes: &[u8]) -> Result<(), Refusal> {
    let dir = path
        .parent()
        .ok_or_else(|| Refusal::new(400, "no folder"))?;
    std::fs::create_dir_all(dir).map_err(|e| failed("make the folder", dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.brum-cms.tmp"));
    let result = std::fs::File::create(&temp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&temp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(failed("write", path, e));
    }
    Ok(())
}

/// A file's version, for Decap to tell one from another.
fn id(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_plain_relative_segments_or_nothing() {
        assert_eq!(
            segments("content/stories/x.md"),
            Some(vec!["content", "stories", "x.md"])
        );
        for bad in [
            "",
            "/etc/passwd",
            "a/../b",
            "a/./b",
            "a//b",
            "a\\b",
            "c:/x",
            ".git/config",
            "a/.hidden",
            "a\0b",
        ] {
            assert_eq!(segments(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn lists_leave_out_translations_and_introductions() {
        let backend = Backend::new(Path::new("/site"), vec!["ur".into(), "pl".into()]);
        let editable = |name: &str| backend.is_editable(Path::new(name));
        assert!(editable("content/stories/canal-walks.md"));
        assert!(editable("content/stories/walk/index.md"));
        assert!(
            editable("content/stories/v1.2.md"),
            "a dot that is not a language code"
        );
        assert!(!editable("content/stories/canal-walks.ur.md"));
        assert!(!editable("content/stories/walk/index.pl.md"));
        assert!(!editable("content/stories/_index.md"));
    }

    #[test]
    fn an_unknown_action_says_what_serve_does_instead() {
        let backend = Backend::new(Path::new("/site"), Vec::new());
        let refusal = backend
            .answer(&json!({"action": "unpublishedEntries"}))
            .unwrap_err();
        assert_eq!(refusal.status, 422);
        assert!(
            refusal.message.contains("publish mode \"simple\""),
            "{}",
            refusal.message
        );
    }
}
