//! Every component call in a body checked against its component's contract
//! (`crate::components`), once every address is known, and its arguments
//! resolved: a file or link to its address, a picture to the address its
//! responsive copies are planned from, a partner to a slug that exists. The
//! render stage runs the templates with what this gives.

use std::collections::HashSet;
use std::path::PathBuf;

use serde_json::Value;

use super::bodies::{BodyContext, asset_url};
use crate::components::{BodyKind, Spec, Specs, Type};
use crate::config::unknown_key_help;
use crate::content::Source;
use crate::error::{Diagnostic, LineIndex, Position};
use crate::markdown::calls::{Body, Call};
use crate::markdown::{self, Links, Rendered, Resolution};

/// A call, checked, with its arguments resolved.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Its place among the body's calls: the number in its marks.
    pub index: usize,
    pub name: String,
    pub args: Vec<(String, Resolved)>,
    pub body: Body,
    pub block: bool,
    pub heading_level: u8,
    /// Where the call is written, for an error its template makes.
    pub file: PathBuf,
    pub pos: Position,
}

/// An argument's value, as its template will see it.
#[derive(Debug, Clone)]
pub enum Resolved {
    Value(Value),
    /// A picture's address, to find its responsive copies by.
    Image(String),
    /// A partner's slug, known to be published.
    Partner(String),
}

/// What a call is checked in: the page and its source.
struct Site<'a> {
    source: &'a Source,
    page_url: &'a str,
    cx: &'a BodyContext<'a>,
    lines: LineIndex<'a>,
}

impl Site<'_> {
    fn pos(&self, offset: usize) -> Position {
        let mut pos = self.lines.position(offset);
        pos.line += self.source.body_line - 1;
        pos
    }

    fn error(&self, offset: usize, message: String, help: String) -> Diagnostic {
        Diagnostic::new(&self.source.path, message)
            .at(self.pos(offset))
            .with_help(help)
    }
}

/// The calls of a rendered body, checked and resolved, and every mistake in
/// writing them. With no contracts (the templates did not load) only the
/// syntax is checked.
pub fn place(
    rendered: &Rendered,
    source: &Source,
    page_url: &str,
    cx: &BodyContext,
) -> (Vec<Placed>, Vec<Diagnostic>) {
    if rendered.calls.is_empty() && rendered.call_errors.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let site = Site {
        source,
        page_url,
        cx,
        lines: LineIndex::new(&source.body),
    };
    let mut errors: Vec<Diagnostic> = rendered
        .call_errors
        .iter()
        .map(|e| site.error(e.at, e.message.clone(), e.help.clone()))
        .collect();
    let Some(specs) = cx.components else {
        return (Vec::new(), errors);
    };
    let placed = rendered
        .calls
        .iter()
        .enumerate()
        .filter_map(|(index, call)| check_call(index, call, specs, &site, &mut errors))
        .collect();
    (placed, errors)
}

fn check_call(
    index: usize,
    call: &Call,
    specs: &Specs,
    site: &Site,
    errors: &mut Vec<Diagnostic>,
) -> Option<Placed> {
    let Some(spec) = specs.get(&call.name) else {
        let names: Vec<&str> = specs.names().collect();
        errors.push(site.error(
            call.at,
            format!("there is no component `{}`", call.name),
            format!(
                "{}; a site's own component is a template at templates/components/{}.html",
                unknown_key_help(&call.name, &names, "components"),
                call.name
            ),
        ));
        return None;
    };
    let before = errors.len();
    check_shape(call, spec, site, errors);
    let args = call
        .args
        .iter()
        .filter_map(|arg| {
            let ty = match &spec.args {
                Some(args) => match args.get(&arg.name) {
                    Some(a) => Some(&a.ty),
                    None => {
                        let known: Vec<&str> = args.keys().map(String::as_str).collect();
                        errors.push(site.error(
                            arg.at,
                            format!("`{}` has no argument `{}`", call.name, arg.name),
                            unknown_key_help(&arg.name, &known, "arguments"),
                        ));
                        return None;
                    }
                },
                None => None,
            };
            let value = match ty {
                Some(ty) => resolve(&call.name, &arg.name, &arg.value, ty, arg.at, site),
                None => Ok(Resolved::Value(arg.value.clone())),
            };
            value
                .map_err(|d| errors.push(d))
                .ok()
                .map(|v| (arg.name.clone(), v))
        })
        .collect();
    (errors.len() == before).then(|| Placed {
        index,
        name: call.name.clone(),
        args,
        body: call.body.clone(),
        block: call.block,
        heading_level: call.heading_level,
        file: site.source.path.clone(),
        pos: site.pos(call.at),
    })
}

/// Required arguments, groups of which one is given, the body, and whether
/// the call stands where a block can.
fn check_shape(call: &Call, spec: &Spec, site: &Site, errors: &mut Vec<Diagnostic>) {
    let name = &call.name;
    let mut given: HashSet<&str> = call.args.iter().map(|a| a.name.as_str()).collect();
    let has_body = call.body != Body::None;
    if has_body {
        given.insert("body");
    }
    let mut fail = |message: String, help: String| errors.push(site.error(call.at, message, help));
    if spec.block && !call.block {
        fail(
            format!("`{name}` stands on a line of its own, not inside a paragraph"),
            "put the call on a line by itself, with a blank line before and after it".into(),
        );
    }
    for (arg, a) in spec.args.iter().flatten() {
        if a.required && !given.contains(arg.as_str()) {
            fail(
                format!("`{name}` needs the argument `{arg}`"),
                format!("add {arg}={} to the call", a.ty.example()),
            );
        }
    }
    for group in &spec.one_of {
        let here: Vec<&str> = group
            .iter()
            .map(String::as_str)
            .filter(|g| given.contains(g))
            .collect();
        let list = group.join(", ");
        match here.len() {
            1 => {}
            0 => fail(
                format!("`{name}` needs one of: {list}"),
                format!("give exactly one of {list}"),
            ),
            _ => fail(
                format!(
                    "`{name}` takes only one of {list}, and this call gives {}",
                    here.join(" and ")
                ),
                "keep one of them".into(),
            ),
        }
    }
    match (spec.body, has_body) {
        (BodyKind::None, true) if spec.args.is_some() => fail(
            format!("`{name}` takes no body"),
            format!("write it as {{{{ {name}(…) }}}}, with no {{% end %}}"),
        ),
        (BodyKind::Markdown | BodyKind::Text, false) if spec.body_required => fail(
            format!("`{name}` needs a body"),
            format!("write {{% {name}(…) %}}, the text, then {{% end %}} on a line of its own"),
        ),
        _ => {}
    }
}

/// An argument checked against its type and resolved.
fn resolve(
    call: &str,
    arg: &str,
    value: &Value,
    ty: &Type,
    at: usize,
    site: &Site,
) -> Result<Resolved, Diagnostic> {
    let wrong = || {
        site.error(
            at,
            format!("the argument `{arg}` of `{call}` must be {}", ty.describe()),
            format!("write {arg}={}", ty.example()),
        )
    };
    let text = value.as_str();
    match ty {
        Type::String if text.is_some() => Ok(Resolved::Value(value.clone())),
        Type::Number if value.is_number() => Ok(Resolved::Value(value.clone())),
        Type::Bool if value.is_boolean() => Ok(Resolved::Value(value.clone())),
        Type::Array if value.is_array() => Ok(Resolved::Value(value.clone())),
        Type::Choice(words) if text.is_some_and(|t| words.iter().any(|w| w == t)) => {
            Ok(Resolved::Value(value.clone()))
        }
        Type::File | Type::Image if text.is_some() => {
            let src = text.unwrap_or_default().trim();
            let (url, missing) = asset_url(src, site.source, site.page_url, site.cx);
            match missing {
                Some(help) => Err(site.error(at, format!("the file `{src}` does not exist"), help)),
                None if *ty == Type::Image => Ok(Resolved::Image(url)),
                None => Ok(Resolved::Value(Value::String(url))),
            }
        }
        Type::Link if text.is_some() => link(text.unwrap_or_default(), arg, call, at, site),
        Type::Partner if text.is_some() => {
            let slug = text.unwrap_or_default();
            if site.cx.partners.contains(slug) {
                return Ok(Resolved::Partner(slug.to_string()));
            }
            let known: Vec<&str> = site.cx.partners.iter().map(String::as_str).collect();
            Err(site.error(
                at,
                format!("there is no published partner `{slug}`"),
                unknown_key_help(slug, &known, "partners"),
            ))
        }
        _ => Err(wrong()),
    }
}

/// A link argument, resolved like a link in the text.
fn link(dest: &str, arg: &str, call: &str, at: usize, site: &Site) -> Result<Resolved, Diagnostic> {
    let links = Links {
        base_path: site.cx.routes.base_path(),
        page_url: site.page_url,
        source_dir: super::bodies::source_dir(site.source),
        content_urls: site.cx.content_urls,
    };
    match markdown::resolve(dest, &links) {
        Resolution::Keep => Ok(Resolved::Value(Value::String(dest.to_string()))),
        Resolution::To(url) | Resolution::Content(url) => Ok(Resolved::Value(Value::String(url))),
        Resolution::Missing => Err(site.error(
            at,
            format!("the `{arg}` of `{call}`, `{dest}`, points to a content file that is not published or does not exist"),
            "link to a file in content/ relative to this one (e.g. ../pages/get-involved.md), or to a site address such as /get-involved/".into(),
        )),
    }
}
