//! Images and files referenced from content: every picture an author puts in
//! the text (Markdown `![..](..)` or an HTML `<img>`) must be a file the build
//! publishes. Front-matter pictures (`image`, `logo`) the build checks itself.

use std::collections::HashSet;

use super::Doc;
use super::links::Context;
use super::rendered::Target;
use crate::error::Diagnostic;

/// Checks the pictures in published text; records their rendered addresses
/// (and the front-matter pictures') in `from_content`.
pub fn check(docs: &[Doc], cx: &Context, from_content: &mut HashSet<String>) -> Vec<Diagnostic> {
    let site = cx.site;
    from_content.extend(
        site.stories
            .iter()
            .filter_map(|s| s.entry.image_url.clone())
            .chain(site.partners.iter().filter_map(|p| p.image_url.clone())),
    );
    let mut out = Vec::new();
    for doc in docs {
        let Some(page_url) = &doc.url else {
            continue;
        };
        for image in &doc.found.images {
            let src = image.src.trim();
            if src.is_empty() {
                out.push(doc.at(&image.span, Diagnostic::new("", "this image has no address").with_help(
                    "put the picture's address between the parentheses: ![What it shows](/images/photo.jpg)",
                )));
                continue;
            }
            let Some(url) = cx.rendered_address(doc, page_url, src) else {
                from_content.insert(src.to_string());
                continue;
            };
            from_content.insert(url.clone());
            let Target::Internal(target) = cx.rendered.resolve(&url, page_url) else {
                continue;
            };
            if target.file.is_some() {
                continue;
            }
            let span = image.src_span.as_ref().unwrap_or(&image.span);
            out.push(doc.at(span, missing(src, doc)));
        }
    }
    out
}

fn missing(src: &str, doc: &Doc) -> Diagnostic {
    let help = if let Some(rest) = src.strip_prefix('/') {
        format!(
            "an address starting with / is a file in static/: put the picture at static/{rest}, or correct the address"
        )
    } else if doc.bundle {
        let folder = doc
            .content_path
            .rsplit('/')
            .nth(1)
            .unwrap_or_default()
            .to_string();
        format!(
            "put the picture beside index.md in the folder `{folder}`, or write an address such as /images/{src} for a picture in static/images/"
        )
    } else {
        format!(
            "a picture beside the text needs a bundle: move this file to {}/index.md and the picture beside it, or put the picture in static/images/ and write /images/{src}",
            doc.path.with_extension("").display()
        )
    };
    Diagnostic::new("", format!("the image `{src}` does not exist")).with_help(help)
}
