//! Reading a call's name and arguments: `name(title="x", n=3, ok=true,
//! tags=["a", "b"])`, as in Zola. Strings have no escapes; a string that
//! holds one kind of quote mark is written in another (`"`, `'` or `` ` ``).

use serde_json::Value;

use super::calls::{Arg, CallError};

/// A cursor over a call's text.
pub(super) struct Cursor<'a> {
    pub(super) src: &'a str,
    pub(super) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(src: &'a str, pos: usize) -> Self {
        Cursor { src, pos }
    }

    pub(super) fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    pub(super) fn space(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    pub(super) fn eat(&mut self, s: &str) -> bool {
        let ok = self.rest().starts_with(s);
        if ok {
            self.pos += s.len();
        }
        ok
    }

    /// A name: a letter or `_`, then letters, digits and `_`, as in Zola.
    pub(super) fn ident(&mut self) -> Option<String> {
        let rest = self.rest();
        let first = rest.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '_') {
            return None;
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        self.pos += len;
        Some(rest[..len].to_string())
    }

    /// `name=value, …)`, after the `(`.
    pub(super) fn args(&mut self) -> Result<Vec<Arg>, CallError> {
        let mut args: Vec<Arg> = Vec::new();
        loop {
            self.space();
            if self.eat(")") {
                return Ok(args);
            }
            let at = self.pos;
            let name = self.ident().ok_or_else(|| {
                CallError::new(
                    at,
                    "expected an argument's name or `)`",
                    "arguments are written name=value, separated by commas: title=\"The launch\", width=300",
                )
            })?;
            self.space();
            if !self.eat("=") {
                return Err(CallError::new(
                    self.pos,
                    format!("expected `=` after the argument `{name}`"),
                    format!("give it a value: {name}=\"…\""),
                ));
            }
            self.space();
            let value = self.value()?;
            if args.iter().any(|a| a.name == name) {
                return Err(CallError::new(
                    at,
                    format!("the argument `{name}` is given twice"),
                    "keep one of them",
                ));
            }
            args.push(Arg { name, value, at });
            self.space();
            if !self.eat(",") && !self.rest().starts_with(')') {
                return Err(CallError::new(
                    self.pos,
                    "expected `,` or `)` after an argument",
                    "separate arguments with commas and close the list with `)`",
                ));
            }
        }
    }

    /// A string (in `"`, `'` or backquotes), number, boolean or array.
    fn value(&mut self) -> Result<Value, CallError> {
        let at = self.pos;
        let rest = self.rest();
        match rest.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => {
                let end = rest[1..].find(q).ok_or_else(|| {
                    CallError::new(
                        at,
                        "this text never ends",
                        format!("close it with {q}; a text may not hold its own quote mark, so use another kind (\", ' or `) around it"),
                    )
                })?;
                self.pos += end + 2;
                Ok(Value::String(rest[1..=end].to_string()))
            }
            Some('[') => self.array(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            _ => match self.ident().as_deref() {
                Some("true") => Ok(Value::Bool(true)),
                Some("false") => Ok(Value::Bool(false)),
                _ => Err(CallError::new(
                    at,
                    "expected a value",
                    "a value is a text in quotes (\"…\"), a number (3, 2.5), true or false, or a list ([\"a\", \"b\"])",
                )),
            },
        }
    }

    fn number(&mut self) -> Result<Value, CallError> {
        let at = self.pos;
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(k, c)| !(c.is_ascii_digit() || c == '.' || (k == 0 && c == '-')))
            .map_or(rest.len(), |(k, _)| k);
        let text = &rest[..len];
        self.pos += len;
        let number = if text.contains('.') {
            text.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
        } else {
            text.parse::<i64>().ok().map(serde_json::Number::from)
        };
        number.map(Value::Number).ok_or_else(|| {
            CallError::new(
                at,
                format!("`{text}` is not a number"),
                "write a number such as 3, -1 or 2.5",
            )
        })
    }

    fn array(&mut self) -> Result<Value, CallError> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.space();
            if self.eat("]") {
                return Ok(Value::Array(items));
            }
            items.push(self.value()?);
            self.space();
            if !self.eat(",") && !self.rest().starts_with(']') {
                return Err(CallError::new(
                    self.pos,
                    "expected `,` or `]` in a list",
                    "separate a list's values with commas and close it with `]`",
                ));
            }
        }
    }
}
