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
///
/// A translation's fields fall back to its original's
/// ([`Fields::with_fallback`]): a field the translation leaves out is read
/// from the original, whose problems the original's own load reports.
pub struct Fields<'a> {
    path: &'a Path,
    own: Lines<'a>,
    fallback: Option<Lines<'a>>,
    entries: Vec<Entry<'a>>,
    used: Vec<&'static str>,
    /// Whether the field being read came from the fallback.
    reading_inherited: bool,
    pub errors: Vec<Diagnostic>,
}

/// Fields a translation never takes from its original: old addresses
/// belong to the original's page, and when the text was last updated,
/// whether it awaits review and when it is next due to be read again are
/// about the translation's own words.
const NOT_INHERITED: [&str; 4] = ["aliases", "needs_review", "review_by", "updated"];

/// Positions in one file's front matter.
struct Lines<'a> {
    index: LineIndex<'a>,
    line_offset: usize,
}

impl<'a> Lines<'a> {
    fn of(split: &Split<'a>) -> Self {
        Lines {
            index: LineIndex::new(split.front_matter),
            line_offset: split.front_matter_line - 1,
        }
    }

    fn pos(&self, offset: usize) -> Position {
        let mut pos = self.index.position(offset);
        pos.line += self.line_offset;
        pos
    }
}

struct Entry<'a> {
    key: &'a str,
    pos: Position,
    value: &'a Spanned<DeValue<'a>>,
    inherited: bool,
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
        let own = Lines::of(split);
        let entries = table
            .iter()
            .map(|(k, v)| Entry {
                key: k.get_ref().as_ref(),
                pos: own.pos(k.span().start),
                value: v,
                inherited: false,
            })
            .collect();
        Fields {
            path,
            own,
            fallback: None,
            entries,
            used: Vec::new(),
            reading_inherited: false,
            errors: Vec::new(),
        }
    }

    /// Also reads the original's fields (`table`, from `split`), for those
    /// this file leaves out.
    pub fn with_fallback(mut self, table: &'a DeTable<'a>, split: &Split<'a>) -> Self {
        let lines = Lines::of(split);
        for (k, v) in table.iter() {
            let key: &str = k.get_ref().as_ref();
            if NOT_INHERITED.contains(&key) || self.entries.iter().any(|e| e.key == key) {
                continue;
            }
            self.entries.push(Entry {
                key,
                pos: lines.pos(k.span().start),
                value: v,
                inherited: true,
            });
        }
        self.fallback = Some(lines);
        self
    }

    /// The file these fields belong to.
    pub fn path(&self) -> &'a Path {
        self.path
    }

    /// Whether `key` is written in this file (not taken from an original).
    pub fn is_own(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key && !e.inherited)
    }

    fn pos(&self, span: Range<usize>) -> Position {
        match (&self.fallback, self.reading_inherited) {
            (Some(lines), true) => lines.pos(span.start),
            _ => self.own.pos(span.start),
        }
    }

    fn get(&mut self, key: &'static str) -> Option<(Position, &'a Spanned<DeValue<'a>>)> {
        self.used.push(key);
        let entry = self.entries.iter().find(|e| e.key == key);
        self.reading_inherited = entry.is_some_and(|e| e.inherited);
        entry.map(|e| (e.pos, e.value))
    }

    /// A problem with the field `key`, unless the field was taken from the
    /// original (whose own load reports it).
    pub fn push_for(&mut self, key: &str, d: Diagnostic) {
        if self.fallback.is_none() || self.is_own(key) {
            self.errors.push(d);
        }
    }

    fn error(&mut self, pos: Position, message: String, help: impl Into<String>) {
        if self.reading_inherited {
            // The original's own load reports its problems.
            return;
        }
        self.errors
            .push(Diagnostic::new(self.path, message).at(pos).with_help(help));
    }

    fn missing(&mut self, key: &str, example: &str) {
        if self.fallback.is_some() {
            // Missing from the original too, which reports it.
            return;
        }
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
            // A date in quotes is taken as the date: the editor in the
            // browser (Decap CMS) writes dates that way.
            DeValue::String(s) => match s.parse::<toml::value::Datetime>().map(|dt| to_date(&dt)) {
                Ok(Ok(value)) => Some(Located { value, pos }),
                Ok(Err(why)) => {
                    self.error(
                        pos,
                        format!("`{key}` is not a valid date: {why}"),
                        format!("for example {key} = {EXAMPLE}"),
                    );
                    None
                }
                Err(_) => {
                    self.error(
                        pos,
                        format!("`{key}` must be a date, found the string \"{s}\""),
                        format!("write a TOML date, for example {key} = {EXAMPLE}"),
                    );
                    None
                }
            },
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
        self.reading_inherited = false;
        let unknown: Vec<(&str, Position)> = self
            .entries
            .iter()
            .filter(|e| !e.inherited && !self.used.contains(&e.key))
            .map(|e| (e.key, e.pos))
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
            "+++\ntitle = 3\ndate = \"8 July 2015\"\ntitel = \"x\"\n+++\n",
            |f| {
                f.string("title", true, "\"A title\"");
                f.date("date", true);
            },
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[0].line, Some(2));
        assert_eq!(errors[1].line, Some(3));
        assert!(errors[1].help.as_deref().unwrap().contains("2015-07-08"));
        assert_eq!(errors[2].line, Some(4));
        assert!(errors[2].help.as_deref().unwrap().contains("`title`"));
    }

    #[test]
    fn a_date_in_quotes_is_the_date() {
        let mut got = None;
        let errors = fields_of("+++\ndate = \"2015-07-08\"\n+++\n", |f| {
            got = f.date("date", true);
        });
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            got.unwrap().value.at.to_rfc3339(),
            "2015-07-08T00:00:00+00:00"
        );
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
