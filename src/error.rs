//! Structured errors: where a problem is (file, line, column) is data, not text,
//! so the CLI can print it and tests can match on it.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is: errors fail the command, warnings only inform
/// (unless `brum check --deny-warnings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with the site's input, pinned to a place in a file. The
/// field order is the report order: by file, then line, then column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root where it is inside it.
    pub path: PathBuf,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What would be right: the nearest known key, the expected form, an example.
    pub help: Option<String>,
    /// How many characters, from `column` on, the problem covers; when None,
    /// the report underlines the word or value at the column. (u32 keeps a
    /// diagnostic small enough to return by value.)
    pub length: Option<u32>,
}

impl Diagnostic {
    /// An error: it fails the build or the check.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            length: None,
        }
    }

    /// A warning: reported, but the command still succeeds.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(path, message)
        }
    }

    /// Covers `length` characters from the column on.
    pub fn spanning(mut self, length: usize) -> Self {
        self.length = Some(u32::try_from(length).unwrap_or(u32::MAX));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at(mut self, pos: Position) -> Self {
        self.line = Some(pos.line);
        self.column = Some(pos.column);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}: {}", self.severity, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A line and column in a text, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets in a text to lines and columns. Built once per file so
/// that many lookups (one per diagnostic) stay cheap.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Position { line, column }
    }
}

/// Why a build or a load failed.
#[derive(Debug)]
pub enum Error {
    /// The input has problems: every one found, sorted by file and line.
    Invalid(Vec<Diagnostic>),
    /// The file system refused something brum had to do.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

/// Why one of many parallel jobs failed: a problem with the input, reported
/// with every other one, or an I/O error, which stops the build at once.
pub enum JobError {
    Input(Diagnostic),
    Io(Error),
}

/// The outcome of many parallel jobs: every input problem at once, else the
/// first I/O error, else success.
pub fn collect_jobs(
    results: impl IntoIterator<Item = std::result::Result<(), JobError>>,
) -> Result<()> {
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(JobError::Input(d)) => diagnostics.push(d),
            Err(JobError::Io(e)) => return Err(e),
        }
    }
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(diagnostics))
    }
}

impl Error {
    pub fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn invalid(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort();
        diagnostics.dedup();
        Error::Invalid(diagnostics)
    }

    /// The diagnostics of an invalid input; empty for other failures.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(d) => d,
            Error::Io { .. } => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(diagnostics) => {
                for d in diagnostics {
                    writeln!(f, "{d}")?;
                }
                let n = diagnostics.len();
                write!(
                    f,
                    "{n} error{} found; nothing was written",
                    if n == 1 { "" } else { "s" }
                )
            }
            Error::Io {
                action,
                path,
                source,
            } => {
                if is_disk_full(source) {
                    write!(
                        f,
                        "the disk is full: could not {action} {} (no space left on the device); \
                         free some space and try again",
                        path.display()
                    )
                } else {
                    write!(f, "could not {action} {}: {source}", path.display())
                }
            }
        }
    }
}

/// Out of space, or out of the user's quota: either way, nothing brum can do.
fn is_disk_full(e: &io::Error) -> bool {
    const ENOSPC: i32 = 28;
    const EDQUOT: i32 = 122;
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    ) || matches!(e.raw_os_error(), Some(ENOSPC | EDQUOT))
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Invalid(_) => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let idx = LineIndex::new("ab\nçd\n");
        assert_eq!(idx.position(0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(3), Position { line: 2, column: 1 });
        // 'ç' is two bytes but one column
        assert_eq!(idx.position(5), Position { line: 2, column: 2 });
        assert_eq!(idx.position(99), Position { line: 3, column: 1 });
    }

    #[test]
    fn display_names_file_line_and_help() {
        let d = Diagnostic::new("content/stories/a.md", "unknown topic `cultur`")
            .at(Position {
                line: 4,
                column: 11,
            })
            .with_help("did you mean `culture`?");
        assert_eq!(
            d.to_string(),
            "content/stories/a.md:4:11: error: unknown topic `cultur`\n  help: did you mean `culture`?"
        );
    }
}
