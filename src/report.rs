//! Diagnostics as people and programs read them: rustc-style text (through
//! annotate-snippets: severity, message, `file:line:column`, the source line
//! with the problem underlined, the help line) and JSON lines for CI.
//! Everything here returns strings; printing is the binary's job.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::error::{Diagnostic, Severity};

/// Renders diagnostics, reading each file they name once to show its lines.
pub struct Reporter {
    root: PathBuf,
    renderer: Renderer,
    sources: HashMap<PathBuf, Option<String>>,
}

impl Reporter {
    /// `root` is the folder diagnostics' relative paths are relative to (the
    /// site root); `styled` adds terminal colours.
    pub fn new(root: impl Into<PathBuf>, styled: bool) -> Self {
        Reporter {
            root: root.into(),
            renderer: if styled {
                Renderer::styled()
            } else {
                Renderer::plain()
            },
            sources: HashMap::new(),
        }
    }

    /// One diagnostic, ending in a newline.
    pub fn render(&mut self, d: &Diagnostic) -> String {
        let line_text = match d.line {
            Some(n) if n >= 1 => self.source(&d.path).and_then(|text| line_of(text, n)),
            _ => None,
        };
        let mut out = render_with_line(&self.renderer, d, line_text.as_deref());
        out.push('\n');
        out
    }

    /// Every diagnostic, each followed by a blank line, then the count.
    pub fn render_all(&mut self, diagnostics: &[Diagnostic]) -> String {
        let mut out = String::new();
        for d in diagnostics {
            out.push_str(&self.render(d));
            out.push('\n');
        }
        out
    }

    fn source(&mut self, path: &Path) -> Option<&str> {
        let root = &self.root;
        self.sources
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let full = if path.is_absolute() {
                    path.to_path_buf()
                } else {
                    root.join(path)
                };
                // Lossy, so that a file with a bad byte still shows its line.
                std::fs::read(full)
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            })
            .as_deref()
    }
}

/// The text of 1-based line `n`, without its line end (`\n`, `\r\n` or `\r`,
/// as the content reader accepts).
fn line_of(text: &str, n: usize) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rest = text;
    for _ in 1..n {
        let i = rest.find(['\n', '\r'])?;
        let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + skip..];
    }
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

/// Renders one diagnostic; `line_text` is the text of its line when known.
pub fn render_with_line(renderer: &Renderer, d: &Diagnostic, line_text: Option<&str>) -> String {
    let path = d.path.to_string_lossy();
    let title = level(d.severity).primary_title(d.message.as_str());
    let mut group = match (d.line, line_text) {
        (Some(line), Some(text)) => {
            let span = span_of(text, d.column, d.length);
            title.element(
                Snippet::source(text)
                    .line_start(line)
                    .path(path.as_ref())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        (Some(line), None) => {
            let mut origin = Origin::path(path.as_ref()).line(line);
            if let Some(column) = d.column {
                origin = origin.char_column(column);
            }
            title.element(origin)
        }
        // A problem with the command line rather than a file.
        (None, _) if path.is_empty() => Group::with_title(title),
        (None, _) => title.element(Origin::path(path.as_ref())),
    };
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let report: [Group; 1] = [group];
    renderer.render(&report)
}

/// The byte range to underline in `line`: `length` characters from the
/// 1-based `column`; without a length, the value or word that starts there;
/// without a column, the whole line less its indentation.
fn span_of(line: &str, column: Option<usize>, length: Option<u32>) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    };
    let Some(column) = column else {
        let start = line.len() - line.trim_start().len();
        let end = line.trim_end().len().max(start);
        return start..end;
    };
    let start = byte_at(column.saturating_sub(1));
    let end = match length {
        Some(n) => {
            let first = line[..start].chars().count();
            byte_at(first.saturating_add(usize::try_from(n).unwrap_or(usize::MAX)))
        }
        None => start + token_len(&line[start..]),
    };
    start..end.max(start)
}

/// The length in bytes of the value at the start of `rest`: a quoted string,
/// a bracketed list, or a run up to the next space or separator.
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    match first {
        '"' | '\'' => {
            let mut escaped = false;
            for (i, c) in chars {
                match c {
                    '\\' if !escaped && first == '"' => escaped = true,
                    c if c == first && !escaped => return i + c.len_utf8(),
                    _ => escaped = false,
                }
            }
            rest.len()
        }
        '[' => {
            let mut depth = 0usize;
            let mut quote: Option<char> = None;
            for (i, c) in rest.char_indices() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => quote = Some(c),
                    (None, '[') => depth += 1,
                    (None, ']') => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
            }
            rest.len()
        }
        _ => match rest.find(|c: char| c.is_whitespace() || ",]=)".contains(c)) {
            Some(0) => first.len_utf8(),
            Some(i) => i,
            None => rest.len(),
        },
    }
}

/// How many errors and warnings a list holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Counts {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }

    /// "2 errors and 1 warning", "1 error", "3 warnings", "no problems".
    pub fn describe(self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (self.errors, self.warnings) {
            (0, 0) => "no problems".to_string(),
            (e, 0) => plural(e, "error"),
            (0, w) => plural(w, "warning"),
            (e, w) => format!("{} and {}", plural(e, "error"), plural(w, "warning")),
        }
    }
}

/// One diagnostic as a line of JSON: `severity`, `path`, `line`, `column`,
/// `message`, `help` (null when unknown) and `length` (when known).
pub fn json_line(d: &Diagnostic) -> String {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        severity: Severity,
        path: std::borrow::Cow<'a, str>,
        line: Option<usize>,
        column: Option<usize>,
        message: &'a str,
        help: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        length: Option<u32>,
    }
    let line = Line {
        severity: d.severity,
        path: d.path.to_string_lossy(),
        line: d.line,
        column: d.column,
        message: &d.message,
        help: d.help.as_deref(),
        length: d.length,
    };
    serde_json::to_string(&line).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Position;

    fn plain(d: &Diagnostic, line: Option<&str>) -> String {
        render_with_line(&Renderer::plain(), d, line)
    }

    #[test]
    fn a_value_is_underlined_with_the_help_below() {
        let d = Diagnostic::new("content/stories/a.md", "unknown partner `the-macc`")
            .at(Position {
                line: 4,
                column: 11,
            })
            .with_help("did you mean `the-mac`?");
        let out = plain(&d, Some("partner = \"the-macc\""));
        assert_eq!(
            out,
            "error: unknown partner `the-macc`
 --> content/stories/a.md:4:11
  |
4 | partner = \"the-macc\"
  |           ^^^^^^^^^^
  |
  = help: did you mean `the-mac`?"
        );
    }

    #[test]
    fn a_warning_with_a_length_and_no_source_line() {
        let mut d = Diagnostic::warning("content/x.md", "heading skips a level")
            .at(Position { line: 9, column: 1 })
            .spanning(3);
        assert!(plain(&d, Some("### Deep")).contains("9 | ### Deep\n  | ^^^"));
        d.help = Some("use ##".into());
        let out = plain(&d, None);
        assert!(out.starts_with("warning: heading skips a level\n"), "{out}");
        assert!(out.contains("--> content/x.md:9:1"), "{out}");
        assert!(out.contains("= help: use ##"), "{out}");
    }

    #[test]
    fn a_problem_with_no_file_is_the_message_and_help() {
        let d = Diagnostic::new("", "the story needs a title").with_help("give one");
        assert_eq!(
            plain(&d, None),
            "error: the story needs a title\n |\n = help: give one"
        );
    }

    #[test]
    fn tokens_are_values_lists_or_words() {
        assert_eq!(token_len("\"a \\\" b\" rest"), 8);
        assert_eq!(token_len("[\"a]\", \"b\"] x"), 11);
        assert_eq!(token_len("drafts = true"), 6);
        assert_eq!(token_len("2015-13-45"), 10);
        assert_eq!(token_len(""), 0);
    }

    #[test]
    fn lines_are_found_whatever_the_line_ends() {
        assert_eq!(line_of("a\r\nb\rc\nd", 3).as_deref(), Some("c"));
        assert_eq!(line_of("a\nb", 2).as_deref(), Some("b"));
        assert_eq!(line_of("a\nb", 3), None);
    }

    #[test]
    fn counts_read_as_english() {
        let e = Diagnostic::new("a", "x");
        let w = Diagnostic::warning("a", "y");
        assert_eq!(
            Counts::of(&[e.clone(), w.clone(), e]).describe(),
            "2 errors and 1 warning"
        );
        assert_eq!(Counts::of(&[w]).describe(), "1 warning");
        assert_eq!(Counts::of(&[]).describe(), "no problems");
    }

    #[test]
    fn json_lines_carry_every_field() {
        let d = Diagnostic::warning("content/x.md", "m")
            .at(Position { line: 2, column: 3 })
            .with_help("h");
        assert_eq!(
            json_line(&d),
            r#"{"severity":"warning","path":"content/x.md","line":2,"column":3,"message":"m","help":"h"}"#
        );
    }
}
