//! File-system calls that put the path into every error, so no failure reaches
//! the user without saying which file it was about.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, LineIndex, Result};

/// The path as the user knows it: relative to the site root, with `/`
/// between its parts on every system, so that a report reads the same on
/// Windows as on Linux (and Windows takes `/` in paths too).
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(relative) => {
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            PathBuf::from(parts.join("/"))
        }
        Err(_) => path.to_path_buf(),
    }
}

/// A folder entry a walk could not read, as a problem at its path (shown
/// from `root`), or at `fallback` when the walk gives none.
pub fn walk_problem(root: &Path, e: &walkdir::Error, fallback: PathBuf) -> Diagnostic {
    let path = e.path().map_or(fallback, |p| display_path(root, p));
    Diagnostic::new(path, format!("cannot read this folder entry: {e}"))
}

/// Files editors and office programs write beside the real one while saving
/// or while it is open: Vim's swap files and its `4913` probe, Emacs's
/// `#autosave#` and `.#lock`, `~` backups, Word's and LibreOffice's `~$` and
/// `.~lock.…#` owner files, `.tmp` saves (Windows editors), partial
/// downloads, and anything hidden. Never content, and never a change.
pub fn is_editor_junk(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".crdownload",
            ".part",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Reads a UTF-8 text file the user wrote. A missing, unreadable or non-UTF-8
/// file is a problem with the input, so it comes back as a diagnostic naming
/// `display` (the path as the user knows it). A byte-order mark is dropped.
pub fn read_text(path: &Path, display: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| {
        let what = match e.kind() {
            io::ErrorKind::NotFound => "the file does not exist".to_string(),
            io::ErrorKind::PermissionDenied => {
                "the file cannot be read (permission denied)".to_string()
            }
            _ => format!("the file cannot be read: {e}"),
        };
        Error::invalid(vec![Diagnostic::new(display, what)])
    })?;
    decode_text(bytes, display).map_err(|d| Error::invalid(vec![d]))
}

/// Turns file bytes into text, or a diagnostic pointing at the first bad byte.
/// A lone CR (old Mac line ends) is read as a newline: TOML does not accept
/// one, and line numbers count newlines. Same length, so offsets hold.
pub fn decode_text(mut bytes: Vec<u8>, display: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // A lone CR (old Mac line ends) is a line end; CRLF is left for the
    // parsers, which take it. Most files have no CR at all: memchr skips them
    // at memory speed, where a byte loop was 2.5% of a build.
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'\r', &bytes[from..]) {
        let i = from + at;
        if bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
        from = i + 1;
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let bad = bytes[good];
        // Safe: everything before `good` is valid UTF-8.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let pos = LineIndex::new(prefix).position(prefix.len());
        Diagnostic::new(
            display,
            format!("the file is not valid UTF-8 (byte 0x{bad:02X})"),
        )
        .at(pos)
        .with_help("save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)")
    })
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(|e| Error::io("create the folder", path, e))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| Error::io("write", path, e))
}

pub fn copy(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| Error::io("copy a file to", to, e))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io("remove", path, e)),
        _ => Ok(()),
    }
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|e| Error::io("rename a folder to", to, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_line() {
        let d = decode_text(b"+++\ntitle = \"a\xFFb\"\n".to_vec(), Path::new("x.md")).unwrap_err();
        assert_eq!(d.line, Some(2));
        assert_eq!(d.column, Some(11));
        assert!(d.message.contains("0xFF"));
    }

    #[test]
    fn lone_carriage_returns_are_newlines() {
        let text = decode_text(b"a\rb\r\nc\r".to_vec(), Path::new("x")).unwrap();
        assert_eq!(text, "a\nb\r\nc\n");
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(
            decode_text(b"\xEF\xBB\xBFhi".to_vec(), Path::new("x")).unwrap(),
            "hi"
        );
    }
}
