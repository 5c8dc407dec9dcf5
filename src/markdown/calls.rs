//! Component calls in the text, in Zola's shortcode syntax: `{{ name(args) }}`
//! and `{% name(args) %}body{% end %}`. Each call is cut out of the text
//! before it is parsed as Markdown and a token left in its place, one
//! private-use character, so that nothing in the arguments is read as
//! Markdown (quotes made curly, `_` made emphasis). `place.rs` finds the
//! tokens among the parsed events.
//!
//! Nothing in a code span or code block is a call, and `{{/*`, `*/}}`,
//! `{%/*` and `*/%}` write `{{`, `}}`, `{%` and `%}` as they are.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};
use serde_json::Value;

use super::args::Cursor;

/// Tokens are characters from Supplementary Private Use Area-A: no text
/// means anything by them, and one an author wrote is kept as a token too
/// (a literal), so it can never be taken for a call.
const TOKEN_BASE: u32 = 0xF0000;
const TOKEN_LAST: u32 = 0xFFFFD;

/// One argument: `title="The launch"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: String,
    pub value: Value,
    /// Where its name starts, in the original text.
    pub at: usize,
}

/// A call's body, between `{% name(…) %}` and `{% end %}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    None,
    /// Rendered with the rest of the text; its HTML sits between the call's
    /// opening and closing marks in the page's HTML.
    Markdown,
    /// Kept as written, for a component that takes its body as text.
    Text(String),
}

/// A component call as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<Arg>,
    /// Where the call starts (its `{{` or `{%`), in the original text.
    pub at: usize,
    pub body: Body,
    /// Whether the call stands on a line of its own (a block), rather than
    /// inside a paragraph's text.
    pub block: bool,
    /// The level a heading in the component takes: one below the heading
    /// the call comes under (the page's title is level 1).
    pub heading_level: u8,
}

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Token {
    Call(usize),
    Open(usize),
    Close(usize),
    /// A private-use character the author wrote.
    Literal(char),
}

/// A mistake in a call: where, what, and what would be right.
#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    pub at: usize,
    pub message: String,
    pub help: String,
}

impl CallError {
    pub(super) fn new(at: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        CallError {
            at,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// The text with its calls cut out, and what was cut.
#[derive(Debug, Default)]
pub struct Scanned {
    pub text: String,
    pub calls: Vec<Call>,
    pub tokens: Vec<Token>,
    /// Where each token's text started, in the original text.
    pub token_at: Vec<usize>,
    pub errors: Vec<CallError>,
    /// (offset in `text`, offset in the original) at each edit, in order.
    edits: Vec<(usize, usize)>,
}

impl Scanned {
    /// The token a character stands for, if it is one.
    pub fn token(&self, c: char) -> Option<Token> {
        self.tokens.get(self.token_index(c)?).copied()
    }

    /// Which token a character is, if it is one.
    pub fn token_index(&self, c: char) -> Option<usize> {
        let n = (c as u32).checked_sub(TOKEN_BASE)? as usize;
        (n < self.tokens.len()).then_some(n)
    }

    /// The offset in the original text of an offset in `text`.
    pub fn original(&self, offset: usize) -> usize {
        let i = self.edits.partition_point(|(new, _)| *new <= offset);
        match i.checked_sub(1).map(|i| self.edits[i]) {
            Some((new, old)) => old + (offset - new),
            None => offset,
        }
    }
}

/// Whether a text may hold calls (or characters that must become tokens):
/// most bodies have none and are parsed as they are.
pub fn may_have_calls(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"{{").is_some()
        || memchr::memmem::find(bytes, b"{%").is_some()
        || memchr::memmem::find(bytes, b"*/").is_some()
        // 0xF3 leads every character from U+C0000, the tokens' among them.
        || memchr::memchr(0xF3, bytes).is_some()
}

fn is_token_char(c: char) -> bool {
    (TOKEN_BASE..=TOKEN_LAST).contains(&(c as u32))
}

/// Cuts the calls out of `text`. `raw_body` says which components take
/// their body as text rather than Markdown.
pub fn scan(text: &str, raw_body: &dyn Fn(&str) -> bool) -> Scanned {
    let mut s = Scanner {
        src: text,
        out: Scanned {
            text: String::with_capacity(text.len()),
            ..Scanned::default()
        },
        open: Vec::new(),
        raw_body,
    };
    s.run(&code_ranges(text));
    s.out
}

/// The byte ranges of code spans and code blocks, in order.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(text, super::options()).into_offset_iter() {
        if matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_)))
            && ranges.last().is_none_or(|r| r.end <= range.start)
        {
            ranges.push(range);
        }
    }
    ranges
}

struct Scanner<'a> {
    src: &'a str,
    out: Scanned,
    /// Calls opened and not yet ended, innermost last.
    open: Vec<usize>,
    raw_body: &'a dyn Fn(&str) -> bool,
}

/// The written forms that stand for delimiters as they are.
const ESCAPES: [(&str, &str); 4] = [
    ("{{/*", "{{"),
    ("*/}}", "}}"),
    ("{%/*", "{%"),
    ("*/%}", "%}"),
];

impl Scanner<'_> {
    fn run(&mut self, code: &[Range<usize>]) {
        let src = self.src;
        let mut code = code.iter().peekable();
        let mut i = 0;
        let mut copied = 0;
        while i < src.len() {
            while code.peek().is_some_and(|r| r.end <= i) {
                code.next();
            }
            let in_code = code.peek().is_some_and(|r| r.start <= i);
            let rest = &src[i..];
            let step = if in_code {
                // Code holds no calls, but an author's private-use
                // character there must still not be read as a token.
                literal(rest)
            } else if let Some((from, to)) = ESCAPES.iter().find(|(f, _)| rest.starts_with(f)) {
                Some((from.len(), Piece::Text(to)))
            } else if rest.starts_with("{{") || rest.starts_with("{%") {
                self.call_at(i)
            } else {
                literal(rest)
            };
            let Some((len, piece)) = step else {
                i += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            };
            self.out.text.push_str(&src[copied..i]);
            self.push(piece, i);
            i += len;
            copied = i;
            self.out.edits.push((self.out.text.len(), i));
        }
        self.out.text.push_str(&src[copied..]);
        for &call in &self.open {
            let c = &self.out.calls[call];
            self.out.errors.push(CallError::new(
                c.at,
                format!("the body of `{}` is never closed", c.name),
                "end it with {% end %} on a line of its own",
            ));
        }
    }

    fn push(&mut self, piece: Piece, at: usize) {
        match piece {
            Piece::Text(t) => self.out.text.push_str(t),
            Piece::Token(token) => {
                let n = self.out.tokens.len() as u32;
                match char::from_u32(TOKEN_BASE + n).filter(|_| TOKEN_BASE + n <= TOKEN_LAST) {
                    Some(c) => {
                        self.out.text.push(c);
                        self.out.tokens.push(token);
                        self.out.token_at.push(at);
                    }
                    None => self.out.errors.push(CallError::new(
                        at,
                        "this file has more component calls than brum can place",
                        "split the text into more than one file",
                    )),
                }
            }
            Piece::Nothing => {}
        }
    }

    /// The call (or `{% end %}`) starting at `i`: how much text it takes and
    /// what stands in its place. None when it is no call (`{{ x }}`).
    fn call_at(&mut self, i: usize) -> Option<(usize, Piece)> {
        let mut p = Cursor::new(self.src, i);
        let with_body = p.src[i..].starts_with("{%");
        p.pos += 2;
        p.space();
        let name = p.ident()?;
        p.space();
        if !p.eat("(") {
            return (with_body && name == "end" && p.eat("%}")).then(|| self.end(i, p.pos - i));
        }
        let args = match p.args() {
            Ok(args) => args,
            Err(e) => return self.fail(e),
        };
        p.space();
        let close = if with_body { "%}" } else { "}}" };
        if !p.eat(close) {
            return self.fail(CallError::new(
                p.pos,
                format!("the call to `{name}` does not end with `{close}`"),
                format!("write it as {} {name}(…) {close}", &close_to_open(close)),
            ));
        }
        let mut call = Call {
            name,
            args,
            at: i,
            body: Body::None,
            block: false,
            heading_level: 2,
        };
        if !with_body {
            self.out.calls.push(call);
            return Some((
                p.pos - i,
                Piece::Token(Token::Call(self.out.calls.len() - 1)),
            ));
        }
        if (self.raw_body)(&call.name) {
            return self.raw(call, i, p.pos);
        }
        call.body = Body::Markdown;
        self.out.calls.push(call);
        let n = self.out.calls.len() - 1;
        self.open.push(n);
        Some((p.pos - i, Piece::Token(Token::Open(n))))
    }

    fn end(&mut self, at: usize, len: usize) -> (usize, Piece) {
        match self.open.pop() {
            Some(n) => (len, Piece::Token(Token::Close(n))),
            None => {
                self.out.errors.push(CallError::new(
                    at,
                    "`{% end %}` with no component to end",
                    "a body starts with {% name(…) %}; remove this line or add the opening call",
                ));
                (len, Piece::Nothing)
            }
        }
    }

    /// A call whose body is text: everything up to the next `{% end %}`.
    fn raw(&mut self, mut call: Call, at: usize, body_start: usize) -> Option<(usize, Piece)> {
        let Some((body_end, end)) = find_end(self.src, body_start) else {
            return self.fail(CallError::new(
                at,
                format!("the body of `{}` is never closed", call.name),
                "end it with {% end %}",
            ));
        };
        call.body = Body::Text(self.src[body_start..body_end].to_string());
        self.out.calls.push(call);
        Some((
            end - at,
            Piece::Token(Token::Call(self.out.calls.len() - 1)),
        ))
    }

    /// Records a mistake; the call's first character stays as text, so the
    /// rest of the file is still read.
    fn fail(&mut self, e: CallError) -> Option<(usize, Piece)> {
        self.out.errors.push(e);
        None
    }
}

/// A private-use character at the start of `rest`, kept as itself.
fn literal(rest: &str) -> Option<(usize, Piece)> {
    rest.chars()
        .next()
        .filter(|c| is_token_char(*c))
        .map(|c| (c.len_utf8(), Piece::Token(Token::Literal(c))))
}

fn close_to_open(close: &str) -> &'static str {
    if close == "%}" { "{%" } else { "{{" }
}

/// The next `{% end %}` from `from`: where it starts and where it ends.
fn find_end(src: &str, from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(k) = memchr::memmem::find(&src.as_bytes()[i..], b"{%") {
        let start = i + k;
        let mut p = Cursor::new(src, start + 2);
        p.space();
        if p.ident().as_deref() == Some("end") {
            p.space();
            if p.eat("%}") {
                return Some((start, p.pos));
            }
        }
        i = start + 2;
    }
    None
}

enum Piece {
    Text(&'static str),
    Token(Token),
    Nothing,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown_body(_: &str) -> bool {
        false
    }

    fn scanned(text: &str) -> Scanned {
        scan(text, &markdown_body)
    }

    #[test]
    fn an_inline_call_becomes_one_token_with_its_arguments() {
        let s = scanned(
            "Watch {{ video(youtube=\"abc\", start=30, loop=true, tags=['a', `b`]) }} now.",
        );
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.calls.len(), 1);
        let c = &s.calls[0];
        assert_eq!(c.name, "video");
        assert_eq!(c.at, 6);
        let values: Vec<String> = c
            .args
            .iter()
            .map(|a| format!("{}={}", a.name, a.value))
            .collect();
        assert_eq!(
            values,
            [
                "youtube=\"abc\"",
                "start=30",
                "loop=true",
                "tags=[\"a\",\"b\"]"
            ]
        );
        let token: Vec<char> = s.text.chars().filter(|c| is_token_char(*c)).collect();
        assert_eq!(s.token(token[0]), Some(Token::Call(0)));
        assert!(s.text.starts_with("Watch ") && s.text.ends_with(" now."));
        // After the token, offsets map back past the whole call.
        let after = s.text.find(" now").unwrap();
        assert_eq!(
            &"Watch {{ video(youtube=\"abc\", start=30, loop=true, tags=['a', `b`]) }} now."
                [s.original(after)..],
            " now."
        );
    }

    #[test]
    fn bodies_open_and_close_with_nesting() {
        let s = scanned(
            "{% callout(kind=\"note\") %}\nA {% quote(by=\"Ann\") %}hi{% end %}\n{% end %}\n",
        );
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(
            s.tokens,
            [
                Token::Open(0),
                Token::Open(1),
                Token::Close(1),
                Token::Close(0)
            ]
        );
        assert_eq!(s.calls[1].args[0].value, Value::String("Ann".into()));
    }

    #[test]
    fn code_and_escapes_are_not_calls() {
        let s = scanned("`{{ video() }}` and\n\n```\n{% callout() %}\n```\n\n{{/* video() */}}");
        assert!(s.calls.is_empty() && s.errors.is_empty(), "{:?}", s.calls);
        assert!(s.text.ends_with("{{ video() }}"), "{}", s.text);
        assert!(s.text.contains("`{{ video() }}`"));
    }

    #[test]
    fn text_without_parentheses_is_left_alone() {
        let s = scanned("Tera writes {{ name }} and {% if x %}.");
        assert!(s.calls.is_empty() && s.errors.is_empty());
        assert_eq!(s.text, "Tera writes {{ name }} and {% if x %}.");
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let cases = [
            ("{{ video(title=\"x) }}", 15, "this text never ends"),
            (
                "{{ video(title) }}",
                14,
                "expected `=` after the argument `title`",
            ),
            ("{{ video(a=1 b=2) }}", 13, "expected `,` or `)`"),
            ("{{ video(a=1) %}", 14, "does not end with `}}`"),
            ("{{ video(a=nope) }}", 11, "expected a value"),
            ("{{ video(a=1, a=2) }}", 14, "given twice"),
            ("{% callout() %}\nno end", 0, "never closed"),
            ("text\n{% end %}", 5, "no component to end"),
        ];
        for (text, at, message) in cases {
            let s = scanned(text);
            assert_eq!(s.errors.len(), 1, "{text}: {:?}", s.errors);
            assert_eq!(s.errors[0].at, at, "{text}");
            assert!(
                s.errors[0].message.contains(message),
                "{text}: {}",
                s.errors[0].message
            );
        }
    }

    #[test]
    fn a_raw_body_is_kept_as_written() {
        let s = scan(
            "{% code(lang=\"rs\") %}\n*not* {{ x() }}\n{% end %}",
            &|n| n == "code",
        );
        assert!(s.errors.is_empty());
        assert_eq!(s.calls.len(), 1);
        assert_eq!(s.calls[0].body, Body::Text("\n*not* {{ x() }}\n".into()));
    }

    #[test]
    fn an_authors_private_use_character_stays_itself() {
        let s = scanned("a \u{F0000} b");
        let c = s.text.chars().find(|c| is_token_char(*c)).unwrap();
        assert_eq!(s.token(c), Some(Token::Literal('\u{F0000}')));
    }
}
