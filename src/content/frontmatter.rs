//! Splitting a content file into TOML front matter and Markdown body, and
//! reading typed fields out of the front matter while collecting every problem.

use std::ops::Range;
use std::path::Path;

use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::unknown_key_help;
use crate::error::{Diagnostic, LineIndex, Position};

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Position,
}

pub use super::date::Date;

/// The parts of a content file.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// 1-based line of the first line of front matter text.
    pub front_matter_line: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Splits `+++ TOML +++ body`. Line ends may be `\n`, `\r\n` or `\r`.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let mut lines = LineSpans::new(text);
    let first = lines.next().map(|r| text[r].trim_end());
    match first {
        Some("+++") => {}
        Some("---") => {
            return Err(Diagnostic::new(path, "front matter is YAML (`---`); brum reads TOML front matter between `+++` lines")
                .at_line(1)
                .with_help("write the fields as TOML between two `+++` lines, e.g.\n+++\ntitle = \"My story\"\ndate = 2015-07-08\n+++"));
        }
        _ => {
            return Err(Diagnostic::new(path, "the file does not start with front matter")
                .at_line(1)
                .with_help("start the file with a `+++` line, the TOML fields (title = \"...\", ...), and another `+++` line"));
        }
    }
    let start = lines.pos;
    let mut line_no = 1;
    for range in lines.by_ref() {
        line_no += 1;
        if text[range.clone()].trim_end() == "+++" {
            let body_start = lines.pos;
            return Ok(Split {
                front_matter: &text[start..range.start],
                front_matter_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
    }
    Err(Diagnostic::new(path, "the front matter is never closed")
        .at_line(1)
        .with_help("add a line with only `+++` after the last front matter field"))
}

/// Iterates the byte ranges of lines, without their line ends.
struct LineSpans<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> LineSpans<'a> {
    fn new(text: &'a str) -> Self {
        LineSpans { text, pos: 0 }
    }
}

impl Iterator for LineSpans<'_> {
    type Item = Range<usize>;
    fn next(&mut self) -> Option<Range<usize>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let start = self.pos;
        match rest.find(['\n', '\r']) {
            Some(i) => {
                let ending = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                self.pos += i + ending;
                Some(start..start + i)
            }
            None => {
                self.pos = self.text.len();
                Some(start..self.text.len())
            }
        }
    }
}

/// Typed access to a front-matter table. Every getter records its own errors;
/// `finish` reports fields nobody asked for.
pub struct Fields<'a> {
    path: &'a Path,
    lines: LineIndex<'a>,
    line_offset: usize,
    entries: Vec<(&'a str, Position, &'a Spanned<DeValue<'a>>)>,
    used: Vec<&'static str>,
    pub errors: Vec<Diagnostic>,
}

/// Parses front matter text. On a TOML syntax error, every error found.
pub fn parse_table<'a>(
    split: &Split<'a>,
    path: &Path,
) -> Result<Spanned<DeTable<'a>>, Vec<Diagnostic>> {
    let (table, errors) = DeTable::parse_recoverable(split.front_matter);
    if errors.is_empty() {
        return Ok(table);
    }
    let lines = LineIndex::new(split.front_matter);
    Err(errors
        .iter()
        .map(|e| {
            let mut pos = lines.position(e.span().map_or(0, |s| s.start));
            pos.line += split.front_matter_line - 1;
            Diagnostic::new(path, crate::config::toml_message(e))
                .at(pos)
                .with_help("front matter is TOML: strings in double quotes (title = \"A title\"), dates without quotes (date = 2015-07-08), lists in brackets (topics = [\"culture\"])")
        })
        .collect())
}

impl<'a> Fields<'a> {
    pub fn new(table: &'a DeTable<'a>, split: &Split<'a>, path: &'a Path) -> Self {
        let lines = LineIndex::new(split.front_matter);
        let line_offset = split.front_matter_line - 1;
        let entries = table
            .iter()
            .map(|(k, v)| {
                let mut pos = lines.position(k.span().start);
                pos.line += line_offset;
                (k.get_ref().as_ref(), pos, v)
            })
            .collect();
        Fields {
            path,
            lines,
            line_offset,
            entries,
            used: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The file these fields belong to.
    pub fn path(&self) -> &'a Path {
        self.path
    }

    fn pos(&self, span: Range<usize>) -> Position {
        let mut pos = self.lines.position(span.start);
        pos.line += self.line_offset;
        pos
    }

    fn get(&mut self, key: &'static str) -> Option<(Position, &'a Spanned<DeValue<'a>>)> {
        self.used.push(key);
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, pos, v)| (*pos, *v))
    }

    fn error(&mut self, pos: Position, message: String, help: impl Into<String>) {
        self.errors
            .push(Diagnostic::new(self.path, message).at(pos).with_help(help));
    }

    fn missing(&mut self, key: &str, example: &str) {
        self.errors.push(
            Diagnostic::new(self.path, format!("the required field `{key}` is missing"))
                .at_line(1)
                .with_help(format!(
                    "add it to the front matter, e.g. {key} = {example}"
                )),
        );
    }

    fn wrong_type(
        &mut self,
        key: &str,
        pos: Position,
        found: &DeValue,
        expected: &str,
        example: &str,
    ) {
        let found = describe(found);
        self.error(
            pos,
            format!("`{key}` must be {expected}, found {found}"),
            format!("for example {key} = {example}"),
        );
    }

    /// A string field. `example` shows the right form in errors.
    pub fn string(
        &mut self,
        key: &'static str,
        required: bool,
        example: &str,
    ) -> Option<Located<String>> {
        let Some((_, v)) = self.get(key) else {
            if required {
                self.missing(key, example);
            }
            return None;
        };
        let pos = self.pos(v.span());
        match v.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                pos,
            }),
            other => {
                self.wrong_type(key, pos, other, "a string in double quotes", example);
                None
            }
        }
    }

    /// A string that must not be blank when present.
    pub fn text(
        &mut self,
        key: &'static str,
        required: bool,
        example: &str,
    ) -> Option<Located<String>> {
        let s = self.string(key, required, example)?;
        if s.value.trim().is_empty() {
            self.error(
                s.pos,
                format!("`{key}` is empty"),
                format!("for example {key} = {example}"),
            );
            return None;
        }
        Some(s)
    }

    pub fn bool(&mut self, key: &'static str) -> Option<bool> {
        let (_, v) = self.get(key)?;
        let pos = self.pos(v.span());
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            DeValue::String(s) if s == "true" || s == "false" => {
                self.error(
                    pos,
                    format!(
                        "`{key}` must be true or false without quotes, found the string \"{s}\""
                    ),
                    format!("write {key} = {s}"),
                );
                None
            }
            other => {
                self.wrong_type(key, pos, other, "true or false", "true");
                None
            }
        }
    }

    pub fn integer(&mut self, key: &'static str, example: &str) -> Option<i64> {
        let (_, v) = self.get(key)?;
        let pos = self.pos(v.span());
        match v.get_ref() {
            DeValue::Integer(i) => {
                match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                    Ok(n) => Some(n),
                    Err(_) => {
                        self.error(
                            pos,
                            format!("`{key}` is out of range"),
                            format!("for example {key} = {example}"),
                        );
                        None
                    }
                }
            }
            other => {
                self.wrong_type(key, pos, other, "a whole number", example);
                None
            }
        }
    }

    pub fn date(&mut self, key: &'static str, required: bool) -> Option<Located<Date>> {
        const EXAMPLE: &str = "2015-07-08 or 2015-07-08T18:30:00+01:00";
        let Some((_, v)) = self.get(key) else {
            if required {
                self.missing(key, "2015-07-08");
            }
            return None;
        };
        let pos = self.pos(v.span());
        match v.get_ref() {
            DeValue::Datetime(dt) => match to_date(dt) {
                Ok(value) => Some(Located { value, pos }),
                Err(why) => {
                    self.error(
                        pos,
                        format!("`{key}` is not a valid date: {why}"),
                        format!("for example {key} = {EXAMPLE}"),
                    );
                    None
                }
            },
            DeValue::String(s) => {
                let help = if s.parse::<toml::value::Datetime>().is_ok() {
                    format!("write the date without quotes: {key} = {s}")
                } else {
                    format!("write a TOML date without quotes, for example {key} = {EXAMPLE}")
                };
                self.error(
                    pos,
                    format!("`{key}` must be a date, found the string \"{s}\""),
                    help,
                );
                None
            }
            other => {
                self.wrong_type(key, pos, other, "a date", EXAMPLE);
                None
            }
        }
    }

    /// A list of strings; `example` is a whole list such as `["culture"]`.
    pub fn strings(&mut self, key: &'static str, example: &str) -> Vec<Located<String>> {
        let Some((_, v)) = self.get(key) else {
            return Vec::new();
        };
        let pos = self.pos(v.span());
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    let item_pos = self.pos(item.span());
                    match item.get_ref() {
                        DeValue::String(s) => out.push(Located {
                            value: s.to_string(),
                            pos: item_pos,
                        }),
                        other => {
                            self.wrong_type(key, item_pos, other, "a list of strings", example)
                        }
                    }
                }
                out
            }
            DeValue::String(s) => {
                self.error(
                    pos,
                    format!("`{key}` must be a list, found the string \"{s}\""),
                    format!("put it in brackets: {key} = [\"{s}\"]"),
                );
                Vec::new()
            }
            other => {
                self.wrong_type(key, pos, other, "a list of strings", example);
                Vec::new()
            }
        }
    }

    /// Reports fields that no getter asked for, naming the nearest known one.
    pub fn finish(mut self, kind: &str) -> Vec<Diagnostic> {
        let unknown: Vec<(&str, Position)> = self
            .entries
            .iter()
            .filter(|(k, _, _)| !self.used.contains(k))
            .map(|(k, pos, _)| (*k, *pos))
            .collect();
        for (key, pos) in unknown {
            let help = unknown_key_help(key, &self.used, "fields");
            self.error(pos, format!("unknown field `{key}` in a {kind}"), help);
        }
        self.errors
    }
}

fn describe(v: &DeValue) -> String {
    match v {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Integer(i) => format!("the number {}", i.as_str()),
        DeValue::Float(f) => format!("the number {}", f.as_str()),
        DeValue::Boolean(b) => format!("{b}"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "a list".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

fn to_date(dt: &toml::value::Datetime) -> Result<Date, String> {
    let Some(d) = dt.date else {
        return Err("it has a time but no day".into());
    };
    let day =
        NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()).ok_or_else(|| {
            format!(
                "{:04}-{:02}-{:02} is not a day in the calendar",
                d.year, d.month, d.day
            )
        })?;
    let (time, has_time) = match dt.time {
        Some(t) => (
            NaiveTime::from_hms_nano_opt(
                t.hour.into(),
                t.minute.into(),
                t.second.into(),
                t.nanosecond,
            )
            .ok_or("the time of day is out of range")?,
            true,
        ),
        None => (NaiveTime::MIN, false),
    };
    let offset_minutes = match dt.offset {
        None | Some(toml::value::Offset::Z) => 0,
        Some(toml::value::Offset::Custom { minutes }) => i32::from(minutes),
    };
    let offset =
        FixedOffset::east_opt(offset_minutes * 60).ok_or("the UTC offset is out of range")?;
    let at = offset
        .from_local_datetime(&day.and_time(time))
        .single()
        .ok_or("the time does not exist in that offset")?;
    Ok(Date { at, has_time })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(text: &str, f: impl FnOnce(&mut Fields)) -> Vec<Diagnostic> {
        let path = Path::new("x.md");
        let split = split(text, path).unwrap();
        let table = parse_table(&split, path).unwrap();
        let mut fields = Fields::new(table.get_ref(), &split, path);
        f(&mut fields);
        fields.finish("story")
    }

    #[test]
    fn splits_crlf_and_lone_cr() {
        for text in [
            "+++\r\ntitle = \"a\"\r\n+++\r\nbody",
            "+++\rtitle = \"a\"\r+++\rbody",
        ] {
            let s = split(text, Path::new("x")).unwrap();
            assert_eq!(s.front_matter.trim(), "title = \"a\"");
            assert_eq!(s.body, "body");
            assert_eq!(s.body_line, 4);
        }
    }

    #[test]
    fn yaml_and_unclosed_front_matter_are_named() {
        let e = split("---\ntitle: a\n---\n", Path::new("x")).unwrap_err();
        assert!(e.message.contains("YAML"));
        let e = split("+++\ntitle = \"a\"\n", Path::new("x")).unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn wrong_types_and_unknown_fields_point_at_their_lines() {
        let errors = fields_of(
            "+++\ntitle = 3\ndate = \"2015-07-08\"\ntitel = \"x\"\n+++\n",
            |f| {
                f.string("title", true, "\"A title\"");
                f.date("date", true);
            },
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[0].line, Some(2));
        assert!(
            errors[1]
                .help
                .as_deref()
                .unwrap()
                .contains("without quotes")
        );
        assert_eq!(errors[2].line, Some(4));
        assert!(errors[2].help.as_deref().unwrap().contains("`title`"));
    }

    #[test]
    fn dates_keep_offsets() {
        let mut got = None;
        let errors = fields_of("+++\ndate = 2015-07-08T18:30:00+01:00\n+++\n", |f| {
            got = f.date("date", true);
        });
        assert!(errors.is_empty());
        assert_eq!(
            got.unwrap().value.at.to_rfc3339(),
            "2015-07-08T18:30:00+01:00"
        );
    }

    #[test]
    fn impossible_days_are_reported_on_their_line() {
        let path = Path::new("x.md");
        let text = "+++\ntitle = \"a\"\ndate = 2015-02-30\n+++\n";
        let errors = parse_table(&split(text, path).unwrap(), path).unwrap_err();
        assert_eq!(errors[0].line, Some(3), "{errors:?}");
    }
}
