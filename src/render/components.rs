//! Runs the components a body calls: each mark the Markdown left in a body's
//! HTML (`\0c3\0`, or `\0o3\0`…`\0e3\0` around a body) is replaced by its
//! template's output, inner calls first. Done once per load, after the
//! images are planned, so every page (and `serve`'s fingerprints) sees the
//! finished body, and a component's template error is found by `check` too.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};
use tera::Context;

use super::templates::{Templates, error_chain};
use super::view::{Image, Views};
use crate::components::FOLDER;
use crate::content::ContentItem;
use crate::error::Diagnostic;
use crate::images::Catalog;
use crate::markdown::calls::Body as CallBody;
use crate::site::{Entry, Placed, Resolved, Site};

/// Runs the components of every body in every language, and keeps the
/// finished bodies in `catalog`. Returns the errors the templates made.
pub fn expand_all(site: &Site, catalog: &mut Catalog, templates: &Templates) -> Vec<Diagnostic> {
    let mut finished = Vec::new();
    let mut errors = Vec::new();
    for lang in site.languages() {
        let bodies = with_components(lang);
        if bodies.is_empty() {
            continue;
        }
        let views = Views::new(lang, catalog, &templates.strings);
        let runner = Runner::new(lang, &views, templates);
        for body in bodies {
            let html = catalog.body(body.content_path, body.html);
            match runner.expand(html, &body) {
                Ok(done) => finished.push((body.content_path.to_string(), done)),
                Err(d) => errors.push(d),
            }
        }
    }
    for (content_path, html) in finished {
        catalog.set_body(&content_path, html);
    }
    errors
}

/// Runs the components of story `i`'s body again (in the language `site`
/// is), after its text changed, and keeps the finished body in `catalog`.
pub fn expand_story(
    site: &Site,
    i: usize,
    catalog: &mut Catalog,
    templates: &Templates,
) -> Result<(), Diagnostic> {
    let Some(story) = site.stories.get(i) else {
        return Ok(());
    };
    let text = Text::of(&story.entry, true);
    if text.placed.is_empty() {
        return Ok(());
    }
    let done = {
        let views = Views::new(site, catalog, &templates.strings);
        let runner = Runner::new(site, &views, templates);
        runner.expand(catalog.body(text.content_path, text.html), &text)?
    };
    catalog.set_body(text.content_path, done);
    Ok(())
}

/// A body (a page's text) that calls components.
struct Text<'a> {
    content_path: &'a str,
    html: &'a str,
    placed: &'a [Placed],
    /// The page's own picture (a story's `image`): (address, alt text).
    picture: Option<(&'a str, &'a str)>,
}

impl<'a> Text<'a> {
    /// An item's body; `own_picture` when its front-matter picture is the
    /// page's own (a story's image, not a partner's logo).
    fn of<T: ContentItem>(e: &'a Entry<T>, own_picture: bool) -> Self {
        let picture = match (&e.image_url, e.item.picture()) {
            (Some(url), Some(pic)) if own_picture => Some((url.as_str(), pic.alt.as_str())),
            _ => None,
        };
        Text {
            content_path: &e.item.common().source.content_path,
            html: &e.rendered.html,
            placed: &e.components,
            picture,
        }
    }
}

/// The bodies of a language that call components.
/// Only a language's own partners and pages: those it borrows from the
/// default language keep the default language's body (the same file), and
/// running them again in this language's words would replace it.
fn with_components(site: &Site) -> Vec<Text<'_>> {
    let stories = site.stories.iter().map(|s| Text::of(&s.entry, true));
    let partners = site.own_partners().iter().map(|e| Text::of(e, false));
    let timeline = site.timeline.iter().map(|t| Text::of(&t.entry, true));
    let pages = site.own_pages().iter().map(|e| Text::of(e, true));
    let intros = site.intros().filter_map(|intro| {
        Some(Text {
            content_path: &intro.source.as_ref()?.content_path,
            html: &intro.html,
            placed: &intro.components,
            picture: None,
        })
    });
    stories
        .chain(partners)
        .chain(timeline)
        .chain(pages)
        .chain(intros)
        .filter(|b| !b.placed.is_empty())
        .collect()
}

/// What the components of one page share.
struct Page<'p> {
    /// How many calls of each component so far.
    counts: HashMap<&'p str, usize>,
    /// The page's own picture, as the theme's image.
    picture: Option<Value>,
}

/// What every component of one language's pages is given.
struct Runner<'a> {
    site: &'a Site,
    views: &'a Views<'a>,
    templates: &'a Templates,
    site_value: Arc<Value>,
    t: Arc<Value>,
    partners: HashMap<&'a str, usize>,
}

impl<'a> Runner<'a> {
    fn new(site: &'a Site, views: &'a Views<'a>, templates: &'a Templates) -> Self {
        let partners = site
            .partners
            .iter()
            .enumerate()
            .map(|(i, e)| (e.item.common.slug.as_str(), i))
            .collect();
        Runner {
            site,
            views,
            templates,
            site_value: Arc::new(tera::to_value(views.site()).unwrap_or_default()),
            t: templates.strings.shared(&site.lang.code),
            partners,
        }
    }

    /// `html` with every mark replaced by its component's output.
    fn expand(&self, html: &str, body: &Text) -> Result<String, Diagnostic> {
        let mut page = Page {
            counts: HashMap::new(),
            picture: body.picture.map(|(url, alt)| {
                tera::to_value(Image::new(url, alt, self.views.images.picture(url)))
                    .unwrap_or_default()
            }),
        };
        let mut pos = 0;
        self.expand_from(html, &mut pos, None, body.placed, &mut page)
    }

    /// From `pos` to the end of the body of call `until` (or of `html`).
    fn expand_from<'p>(
        &self,
        html: &str,
        pos: &mut usize,
        until: Option<usize>,
        placed: &'p [Placed],
        page: &mut Page<'p>,
    ) -> Result<String, Diagnostic> {
        let mut out = String::with_capacity(html.len() - *pos);
        while let Some((start, kind, n, end)) = next_mark(html, *pos) {
            out.push_str(&html[*pos..start]);
            *pos = end;
            let call = placed.iter().find(|p| p.index == n);
            match kind {
                b'c' => {
                    if let Some(call) = call {
                        out.push_str(&self.run(call, None, page)?);
                    }
                }
                b'o' => {
                    let body = self.expand_from(html, pos, Some(n), placed, page)?;
                    if let Some(call) = call {
                        out.push_str(&self.run(call, Some(body), page)?);
                    }
                }
                _ if until == Some(n) => return Ok(out),
                _ => {}
            }
        }
        out.push_str(&html[*pos..]);
        *pos = html.len();
        Ok(out)
    }

    /// One component's output.
    fn run<'p>(
        &self,
        call: &'p Placed,
        body_html: Option<String>,
        page: &mut Page<'p>,
    ) -> Result<String, Diagnostic> {
        let nth = page.counts.entry(call.name.as_str()).or_default();
        *nth += 1;
        let mut vars = Map::new();
        for (name, value) in &call.args {
            vars.insert(name.clone(), self.value(value, &call.args));
        }
        let body = match (&call.body, body_html) {
            (CallBody::Text(text), _) => Some(text.clone()),
            (_, html) => html,
        };
        if let Some(body) = body {
            vars.insert("body".into(), Value::String(body));
        }
        vars.insert("nth".into(), Value::from(*nth));
        if let Some(picture) = &page.picture {
            vars.insert("page_image".into(), picture.clone());
        }
        vars.insert("heading_level".into(), Value::from(call.heading_level));
        vars.insert("block".into(), Value::Bool(call.block));
        vars.insert("lang".into(), Value::String(self.site.lang.code.clone()));
        let mut ctx = Context::from_value(Value::Object(vars)).unwrap_or_default();
        ctx.insert_shared("site", self.site_value.clone());
        ctx.insert_shared("t", self.t.clone());
        ctx.insert_shared("data", self.site.data.clone());
        let template = format!("{FOLDER}{}.html", call.name);
        let html = self.templates.tera.render(&template, &ctx);
        // In a sentence, the template file's last newline would be a space.
        let html = html.map(|h| if call.block { h } else { h.trim().to_string() });
        html.map_err(|e| {
            let file = self
                .templates
                .files
                .get(&template)
                .cloned()
                .unwrap_or_default();
            let reason = error_chain(&e)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            Diagnostic::new(
                &call.file,
                format!(
                    "the component `{}` could not be rendered: {reason}",
                    call.name
                ),
            )
            .at(call.pos)
            .with_help(format!(
                "the fault is in {} or in what this call gives it",
                file.display()
            ))
        })
    }

    /// An argument as its template sees it: a picture as the theme's image
    /// (with its `alt` argument), a partner as its card.
    fn value(&self, value: &Resolved, args: &[(String, Resolved)]) -> Value {
        match value {
            Resolved::Value(v) => v.clone(),
            Resolved::Image(url) => {
                let alt = args.iter().find_map(|(n, v)| match v {
                    Resolved::Value(Value::String(s)) if n == "alt" => Some(s.as_str()),
                    _ => None,
                });
                let image = Image::new(url, alt.unwrap_or(""), self.views.images.picture(url));
                tera::to_value(image).unwrap_or_default()
            }
            Resolved::Partner(slug) => match self.partners.get(slug.as_str()) {
                Some(&i) => tera::to_value(self.views.partner(i, false)).unwrap_or_default(),
                None => Value::Null,
            },
        }
    }
}

/// The next mark at or after `from`: (where it starts, its kind, its call,
/// where it ends).
fn next_mark(html: &str, from: usize) -> Option<(usize, u8, usize, usize)> {
    let bytes = html.as_bytes();
    let start = from + memchr::memchr(0, &bytes[from..])?;
    let close = start + 1 + memchr::memchr(0, &bytes[start + 1..])?;
    let kind = *bytes.get(start + 1)?;
    let n = html.get(start + 2..close)?.parse().ok()?;
    Some((start, kind, n, close + 1))
}

#[cfg(test)]
mod tests {
    use super::next_mark;

    #[test]
    fn marks_are_found_with_their_kind_and_call() {
        let html = "<p>a</p>\0o12\0<p>b</p>\0e12\0";
        assert_eq!(next_mark(html, 0), Some((8, b'o', 12, 13)));
        assert_eq!(next_mark(html, 13), Some((21, b'e', 12, 26)));
        assert_eq!(next_mark(html, 26), None);
    }
}
