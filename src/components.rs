//! What each component takes, read from the comment at the top of its
//! template (`templates/components/<name>.html`): its arguments and their
//! types, whether it takes a body, whether it stands as a block. The site
//! stage checks every call against these before anything is rendered.
//!
//! ```text
//! {#- A pull quote.
//! +++
//! block = true
//! body = "markdown?"
//! one_of = [["text", "body"]]
//! [args]
//! text = "string?"
//! by = "string"
//! +++ -#}
//! ```
//!
//! A template with no `+++` block in its first comment takes anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, LineIndex};

/// Where components' templates live, among the templates.
pub const FOLDER: &str = "components/";

/// What an argument must be.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    String,
    Number,
    Bool,
    Array,
    /// A file beside the page (in its bundle) or in `static/`: its address.
    File,
    /// A picture, as a file, published responsively.
    Image,
    /// A link, resolved like a Markdown link (content files, the base path).
    Link,
    /// A partner's slug.
    Partner,
    /// One of these words.
    Choice(Vec<String>),
}

impl Type {
    fn parse(word: &str) -> Option<Type> {
        Some(match word {
            "string" => Type::String,
            "number" => Type::Number,
            "bool" => Type::Bool,
            "array" => Type::Array,
            "file" => Type::File,
            "image" => Type::Image,
            "link" => Type::Link,
            "partner" => Type::Partner,
            _ => return None,
        })
    }

    /// How a help message shows a value of this type.
    pub fn example(&self) -> String {
        match self {
            Type::String | Type::Partner => "\"…\"".into(),
            Type::Number => "3".into(),
            Type::Bool => "true".into(),
            Type::Array => "[\"a\", \"b\"]".into(),
            Type::File | Type::Image => "\"file.jpg\"".into(),
            Type::Link => "\"/get-involved/\"".into(),
            Type::Choice(words) => format!("\"{}\"", words.first().map_or("", String::as_str)),
        }
    }

    /// What a value of this type is, in words.
    pub fn describe(&self) -> String {
        match self {
            Type::String => "a text".into(),
            Type::Number => "a number".into(),
            Type::Bool => "true or false".into(),
            Type::Array => "a list".into(),
            Type::File => "a file's name".into(),
            Type::Image => "a picture's file name".into(),
            Type::Link => "a link".into(),
            Type::Partner => "a partner's slug".into(),
            Type::Choice(words) => format!("one of {}", words.join(", ")),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArgSpec {
    pub ty: Type,
    pub required: bool,
}

/// What a component does with a body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BodyKind {
    None,
    Markdown,
    Text,
}

/// One component's contract.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The template file, as the user knows it.
    pub file: PathBuf,
    /// None: the template declares nothing and takes any argument and body.
    pub args: Option<BTreeMap<String, ArgSpec>>,
    pub body: BodyKind,
    pub body_required: bool,
    /// Must stand on a line of its own.
    pub block: bool,
    /// Groups of arguments (`body` for the body) of which exactly one is given.
    pub one_of: Vec<Vec<String>>,
}

/// Every component the site has, by name.
#[derive(Debug, Clone, Default)]
pub struct Specs {
    by_name: BTreeMap<String, Spec>,
}

impl Specs {
    /// Reads each `components/<name>.html` among `templates` (name → file, text).
    pub fn read<'a>(
        templates: impl IntoIterator<Item = (&'a str, &'a Path, &'a str)>,
    ) -> (Specs, Vec<Diagnostic>) {
        let mut specs = Specs::default();
        let mut errors = Vec::new();
        for (name, file, text) in templates {
            let Some(component) = name
                .strip_prefix(FOLDER)
                .and_then(|n| n.strip_suffix(".html"))
            else {
                continue;
            };
            match parse(file, text) {
                Ok(spec) => {
                    specs.by_name.insert(component.to_string(), spec);
                }
                Err(d) => errors.push(d),
            }
        }
        (specs, errors)
    }

    pub fn get(&self, name: &str) -> Option<&Spec> {
        self.by_name.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// Whether the component takes its body as text, not Markdown.
    pub fn raw_body(&self, name: &str) -> bool {
        self.get(name).is_some_and(|s| s.body == BodyKind::Text)
    }

    /// A hash of what changes how bodies are parsed (which take text).
    pub fn parse_key(&self) -> u64 {
        let raw: Vec<&str> = self.names().filter(|n| self.raw_body(n)).collect();
        crate::cache::hash_of(&raw)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    #[serde(default)]
    block: bool,
    body: Option<String>,
    #[serde(default)]
    one_of: Vec<Vec<String>>,
    #[serde(default)]
    args: BTreeMap<String, RawArg>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawArg {
    Word(String),
    Table {
        values: Vec<String>,
        #[serde(default)]
        optional: bool,
    },
}

/// The contract at the top of one template.
pub fn parse(file: &Path, text: &str) -> Result<Spec, Diagnostic> {
    let open = Spec {
        file: file.to_path_buf(),
        args: None,
        body: BodyKind::Markdown,
        body_required: false,
        block: false,
        one_of: Vec::new(),
    };
    let Some((toml_at, toml)) = header(text) else {
        return Ok(open);
    };
    let at = |offset: usize| LineIndex::new(text).position(toml_at + offset);
    let raw: RawSpec = toml::from_str(toml).map_err(|e| {
        let d = Diagnostic::new(
            file,
            format!("the component's contract is not valid: {}", e.message()),
        )
        .with_help(
            "see \"Components\" in TEMPLATES.md for what the block between +++ lines may hold",
        );
        match e.span() {
            Some(span) => d.at(at(span.start)),
            None => d,
        }
    })?;
    let problem = |message: String, help: &str| {
        Diagnostic::new(file, message)
            .at(at(0))
            .with_help(help.to_string())
    };
    let mut args = BTreeMap::new();
    for (name, raw_arg) in raw.args {
        let spec = arg_spec(raw_arg).ok_or_else(|| {
            problem(
                format!("the argument `{name}` has a type brum does not know"),
                "a type is \"string\", \"number\", \"bool\", \"array\", \"file\", \"image\", \"link\" or \"partner\", with ? after it when the argument may be left out, or { values = [\"a\", \"b\"] } for a choice",
            )
        })?;
        args.insert(name, spec);
    }
    let (body, body_required) = match raw.body.as_deref().unwrap_or("none") {
        "none" => (BodyKind::None, false),
        "markdown" => (BodyKind::Markdown, true),
        "markdown?" => (BodyKind::Markdown, false),
        "text" => (BodyKind::Text, true),
        "text?" => (BodyKind::Text, false),
        other => {
            return Err(problem(
                format!("`body = \"{other}\"` is not a kind of body"),
                "write body = \"none\", \"markdown\" or \"text\", with ? after it when the body may be left out",
            ));
        }
    };
    for name in raw.one_of.iter().flatten() {
        if name != "body" && !args.contains_key(name) {
            return Err(problem(
                format!("`one_of` names `{name}`, which is not among the arguments"),
                "name arguments listed under [args], or body",
            ));
        }
    }
    Ok(Spec {
        args: Some(args),
        body,
        body_required,
        block: raw.block,
        one_of: raw.one_of,
        ..open
    })
}

fn arg_spec(raw: RawArg) -> Option<ArgSpec> {
    match raw {
        RawArg::Word(word) => {
            let (word, optional) = match word.strip_suffix('?') {
                Some(w) => (w, true),
                None => (word.as_str(), false),
            };
            Some(ArgSpec {
                ty: Type::parse(word)?,
                required: !optional,
            })
        }
        RawArg::Table { values, optional } => Some(ArgSpec {
            ty: Type::Choice(values),
            required: !optional,
        }),
    }
}

/// The TOML between `+++` lines in the template's first comment, with its
/// offset in the template.
fn header(text: &str) -> Option<(usize, &str)> {
    let lead = text.len() - text.trim_start().len();
    let rest = text[lead..].strip_prefix("{#")?;
    let comment = &rest[..rest.find("#}")?];
    let start = comment.find("+++")?;
    let body_start = start + 3;
    let len = comment[body_start..].find("+++")?;
    let offset = lead + 2 + body_start;
    Some((offset, &text[offset..offset + len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> Result<Spec, Diagnostic> {
        parse(Path::new("templates/components/x.html"), text)
    }

    #[test]
    fn a_contract_gives_types_requirements_body_and_block() {
        let s = spec(
            "{#- A quote.\n+++\nblock = true\nbody = \"markdown?\"\none_of = [[\"text\", \"body\"]]\n[args]\ntext = \"string?\"\nby = \"string\"\nkind = { values = [\"a\", \"b\"], optional = true }\n+++ -#}\n<blockquote>",
        )
        .unwrap();
        let args = s.args.unwrap();
        assert_eq!(
            args["by"],
            ArgSpec {
                ty: Type::String,
                required: true
            }
        );
        assert!(!args["text"].required);
        assert_eq!(args["kind"].ty, Type::Choice(vec!["a".into(), "b".into()]));
        assert_eq!(
            (s.body, s.body_required, s.block),
            (BodyKind::Markdown, false, true)
        );
    }

    #[test]
    fn a_template_without_a_contract_takes_anything() {
        let s = spec("{# just a note #}<p>{{ body }}</p>").unwrap();
        assert!(s.args.is_none());
        assert_eq!(s.body, BodyKind::Markdown);
    }

    #[test]
    fn a_bad_contract_is_reported_at_its_line() {
        let e = spec("{#\n+++\n[args]\ntitle = \"strnig\"\n+++\n#}").unwrap_err();
        assert!(
            e.to_string()
                .contains("`title` has a type brum does not know"),
            "{e}"
        );
        let e = spec("{#\n+++\nblok = true\n+++\n#}").unwrap_err();
        assert!(e.to_string().contains(":3:1:"), "{e}");
        let e = spec("{#\n+++\nbody = \"html\"\n+++\n#}").unwrap_err();
        assert!(e.to_string().contains("not a kind of body"), "{e}");
    }
}
