//! One data file's text to a value templates can read, in each format brum
//! takes, or every problem found in it, each at its line and column.

use std::path::Path;

use serde_json::{Map, Number, Value};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{Diagnostic, LineIndex, Position};

/// The formats of `data/`, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
    Csv,
}

impl Format {
    /// The format a file extension names, in any case; None for others.
    pub fn of(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// Reads `text`, the file `path` as the user knows it.
    pub fn parse(self, text: &str, path: &Path) -> Result<Value, Vec<Diagnostic>> {
        match self {
            Format::Toml => toml(text, path),
            Format::Json => json(text, path).map_err(|d| vec![d]),
            Format::Csv => csv(text, path),
        }
    }
}

/// A TOML file is a table. Every syntax error is reported; dates become text
/// as written (`2015-07-08`), since JSON, and so Tera, has no dates.
fn toml(text: &str, path: &Path) -> Result<Value, Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                let pos = lines.position(e.span().map_or(0, |s| s.start));
                Diagnostic::new(path, crate::config::toml_message(e))
                    .at(pos)
                    .with_help("a data file in TOML: text in double quotes (name = \"The MAC\"), numbers and dates without (total = 43, date = 2015-07-08), lists in brackets, [table] headings")
            })
            .collect());
    }
    let mut problems = Vec::new();
    let value = toml_table(table.get_ref(), &mut |span, message, help| {
        problems.push(
            Diagnostic::new(path, message)
                .at(lines.position(span.start))
                .with_help(help),
        );
    });
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(problems)
    }
}

/// Reports a value JSON cannot hold: its place, what is wrong, what is right.
type Report<'r> = dyn FnMut(std::ops::Range<usize>, String, &str) + 'r;

fn toml_table(table: &DeTable, report: &mut Report) -> Value {
    let map: Map<String, Value> = table
        .iter()
        .map(|(k, v)| (k.get_ref().to_string(), toml_value(v, report)))
        .collect();
    Value::Object(map)
}

fn toml_value(v: &Spanned<DeValue>, report: &mut Report) -> Value {
    match v.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) => Value::from(n),
            Err(_) => {
                let help = "whole numbers in a data file are between -9223372036854775808 and 9223372036854775807; write a larger one as text, in quotes";
                report(v.span(), "this number is too large".into(), help);
                Value::Null
            }
        },
        DeValue::Float(f) => {
            let number = f.as_str().replace('_', "").parse::<f64>().ok();
            match number.and_then(Number::from_f64) {
                Some(n) => Value::Number(n),
                None => {
                    let help = "templates take only finite numbers: write the number out, or use text in quotes";
                    report(
                        v.span(),
                        format!("`{}` is not a number templates can use", f.as_str()),
                        help,
                    );
                    Value::Null
                }
            }
        }
        DeValue::Array(items) => {
            Value::Array(items.iter().map(|i| toml_value(i, report)).collect())
        }
        DeValue::Table(t) => toml_table(t, report),
    }
}

/// A JSON file holds any JSON value. serde_json stops at the first error.
fn json(text: &str, path: &Path) -> Result<Value, Diagnostic> {
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // The place is reported apart; the message is only the sentence.
        let message = match message.rfind(" at line ") {
            Some(at) => &message[..at],
            None => &message,
        };
        Diagnostic::new(path, format!("invalid JSON: {message}"))
            .at(byte_position(text, e.line(), e.column()))
            .with_help("a data file in JSON: one value, usually an object ({\"total\": 43}); keys and text in double quotes, no comma after the last item, no comments")
    })
}

/// The place of byte column `column` (1-based) of line `line`, in
/// characters, as every other diagnostic counts them. serde_json counts
/// bytes.
fn byte_position(text: &str, line: usize, column: usize) -> Position {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    LineIndex::new(text).position(offset)
}

/// How many rows with the wrong number of fields are reported, one by
/// one, before the rest are counted: a header gone wrong would make every
/// row one.
const ROWS_REPORTED: usize = 10;

/// A CSV file is a list of rows, each an object keyed by the header's
/// names, every value text as written (a CSV file says nothing of types).
fn csv(text: &str, path: &Path) -> Result<Value, Vec<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(vec![csv_error(&e, text, path)]),
    };
    let mut problems = header_problems(&header, path);
    let mut rows = Vec::new();
    let mut wrong = 0;
    for record in reader.records() {
        match record {
            Ok(r) => {
                let row = header
                    .iter()
                    .cloned()
                    .zip(r.iter().map(|v| Value::String(v.into())));
                rows.push(Value::Object(row.collect()));
            }
            Err(e) => {
                wrong += 1;
                if wrong <= ROWS_REPORTED {
                    problems.push(csv_error(&e, text, path));
                }
            }
        }
    }
    if wrong > ROWS_REPORTED {
        let more = wrong - ROWS_REPORTED;
        problems.push(
            Diagnostic::new(
                path,
                format!("{more} more rows have the wrong number of fields"),
            )
            .with_help("check the header row (the first line) against the rows"),
        );
    }
    if problems.is_empty() {
        Ok(Value::Array(rows))
    } else {
        Err(problems)
    }
}

/// A header must name every column, each once: the names are the keys
/// templates read a row's values by.
fn header_problems(header: &[String], path: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let n = i + 1;
        if name.trim().is_empty() {
            problems.push(
                Diagnostic::new(path, format!("column {n} of the header has no name"))
                    .at_line(1)
                    .with_help("the first row names the columns; each row becomes an object keyed by those names"),
            );
        } else if header[..i].contains(name) {
            problems.push(
                Diagnostic::new(path, format!("the header names two columns `{name}`"))
                    .at_line(1)
                    .with_help("give every column its own name"),
            );
        }
    }
    problems
}

fn csv_error(e: &csv::Error, text: &str, path: &Path) -> Diagnostic {
    let lines = LineIndex::new(text);
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let d = Diagnostic::new(
                path,
                format!(
                    "this row has {len} field{}, and the header has {expected_len}",
                    if *len == 1 { "" } else { "s" }
                ),
            )
            .with_help("every row has one field for each column of the header; a value with a comma in it goes in double quotes (\"Digbeth, Birmingham\")");
            match pos {
                Some(p) => d.at(lines.position(p.byte() as usize)),
                None => d,
            }
        }
        _ => {
            let d = Diagnostic::new(path, format!("invalid CSV: {e}"));
            match e.position() {
                Some(p) => d.at(lines.position(p.byte() as usize)),
                None => d,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(format: Format, text: &str) -> Result<Value, Vec<Diagnostic>> {
        format.parse(text, Path::new("data/x"))
    }

    fn places(r: Result<Value, Vec<Diagnostic>>) -> Vec<(usize, usize, String)> {
        r.unwrap_err()
            .into_iter()
            .map(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0), d.message))
            .collect()
    }

    #[test]
    fn toml_becomes_json_with_dates_as_text() {
        let v = parse(
            Format::Toml,
            "total = 1_000\nshare = 0.5\nyes = true\n[event]\ndate = 2015-07-08\n[[kinds]]\nkey = \"a\"\n",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"total": 1000, "share": 0.5, "yes": true, "event": {"date": "2015-07-08"}, "kinds": [{"key": "a"}]})
        );
    }

    #[test]
    fn toml_errors_are_at_their_place() {
        let found = places(parse(Format::Toml, "a = 1\nb = \"open\nc = 2\n"));
        // toml points at the line's end, where the closing quote is missing.
        assert_eq!((found[0].0, found[0].1), (2, 10), "{found:?}");
        let found = places(parse(
            Format::Toml,
            "a = 1\nb = nan\nc = 99999999999999999999\n",
        ));
        assert_eq!(found[0].0, 2, "{found:?}");
        assert!(found[0].2.contains("`nan`"), "{found:?}");
        assert_eq!((found[1].0, found[1].1), (3, 5), "{found:?}");
    }

    #[test]
    fn json_errors_count_columns_in_characters() {
        let found = places(parse(Format::Json, "{\n  \"café\": 1,\n  \"b\": }\n"));
        assert_eq!((found[0].0, found[0].1), (3, 8), "{found:?}");
        assert!(
            found[0].2.starts_with("invalid JSON: expected value"),
            "{found:?}"
        );
        let found = places(parse(Format::Json, "{\"é\": x}"));
        assert_eq!((found[0].0, found[0].1), (1, 7), "{found:?}");
        assert_eq!(parse(Format::Json, "[1, \"a\"]").unwrap(), json!([1, "a"]));
    }

    #[test]
    fn csv_rows_are_objects_of_text() {
        let v = parse(
            Format::Csv,
            "name,count,place\nThe MAC,007,\"Cannon Hill, Birmingham\"\r\n\nLibrary,2,\n",
        )
        .unwrap();
        assert_eq!(
            v,
            json!([
                {"name": "The MAC", "count": "007", "place": "Cannon Hill, Birmingham"},
                {"name": "Library", "count": "2", "place": ""}
            ])
        );
        assert_eq!(parse(Format::Csv, "").unwrap(), json!([]));
        assert_eq!(parse(Format::Csv, "a,b\n").unwrap(), json!([]));
    }

    #[test]
    fn csv_rows_and_headers_that_do_not_fit_are_reported() {
        let found = places(parse(Format::Csv, "a,b\n1,2\n1,2,3\n\"x\ny\"\n"));
        assert_eq!(
            found,
            vec![
                (3, 1, "this row has 3 fields, and the header has 2".into()),
                (4, 1, "this row has 1 field, and the header has 2".into()),
            ]
        );
        let found = places(parse(Format::Csv, "a,,a\n1,2,3\n"));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].2.contains("column 2"), "{found:?}");
        assert!(found[1].2.contains("two columns `a`"), "{found:?}");
        let many = format!("a,b\n{}", "1\n".repeat(12));
        let found = places(parse(Format::Csv, &many));
        assert_eq!(found.len(), ROWS_REPORTED + 1);
        assert_eq!(
            found[ROWS_REPORTED].2,
            "2 more rows have the wrong number of fields"
        );
    }
}
