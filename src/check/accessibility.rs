//! The accessibility of what authors write, read from the Markdown itself so
//! each problem points at its line: pictures without alt text or with a file
//! name for one, headings that skip a level, links with no text or with text
//! ("click here") that says nothing out of context. Drafts included.

use super::Doc;
use super::source::Link;
use crate::error::Diagnostic;

/// Link texts that say nothing about where a link goes when read alone, as
/// screen reader users often hear links (as a list).
const VAGUE: [&str; 10] = [
    "here",
    "click here",
    "click",
    "read more",
    "more",
    "learn more",
    "this",
    "link",
    "this link",
    "click this link",
];

const PICTURE_EXTENSIONS: [&str; 10] = [
    "jpg", "jpeg", "png", "gif", "webp", "svg", "avif", "heic", "tif", "tiff",
];

/// Checks every file. `level_above` gives, where the page is known, the
/// level of the page's own heading just above the text (a partner's text sits
/// under an "About" heading of level 2); otherwise the title's level 1 is.
pub fn check(docs: &[Doc], level_above: &dyn Fn(&Doc) -> Option<u8>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in docs {
        images(doc, &mut out);
        links(doc, &mut out);
        headings(doc, level_above(doc), &mut out);
        front_matter(doc, &mut out);
    }
    out
}

/// Whether an alt text is a file name rather than a description: it ends in a
/// picture's extension, is the picture's own file name, or is a camera's
/// name for it (`IMG_2041`, `DSC01234`).
pub fn is_file_name(alt: &str, src: Option<&str>) -> bool {
    let alt = alt.trim();
    let lower = alt.to_lowercase();
    if lower.contains(' ') && !lower.contains('.') {
        return false;
    }
    if let Some((_, ext)) = lower.rsplit_once('.')
        && PICTURE_EXTENSIONS.contains(&ext)
    {
        return true;
    }
    let camera = ["img_", "img-", "dsc_", "dscn", "dsc", "pxl_", "photo_"]
        .iter()
        .any(|p| {
            lower.strip_prefix(p).is_some_and(|rest| {
                !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '_')
            })
        });
    if camera {
        return true;
    }
    let Some(src) = src else {
        return false;
    };
    let file = src.rsplit('/').next().unwrap_or(src).to_lowercase();
    let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
    !lower.is_empty() && (lower == file || (lower == stem && stem.contains(['-', '_'])))
}

fn images(doc: &Doc, out: &mut Vec<Diagnostic>) {
    for image in &doc.found.images {
        let d = match &image.alt {
            None => Diagnostic::new("", "this image has no alt attribute").with_help(
                "describe the picture for people who cannot see it: alt=\"Volunteers planting trees in Cannon Hill Park\" (or alt=\"\" if it is only decoration)",
            ),
            Some(alt) if alt.trim().is_empty() && !image.html => {
                Diagnostic::new("", "this image has no alt text").with_help(
                    "describe the picture between the brackets, for people who cannot see it: ![Volunteers planting trees in Cannon Hill Park](photo.jpg)",
                )
            }
            Some(alt) if is_file_name(alt, Some(&image.src)) => Diagnostic::warning(
                "",
                format!("the alt text `{}` is a file name", alt.trim()),
            )
            .with_help(
                "describe what the picture shows, for people who cannot see it: ![Volunteers planting trees in Cannon Hill Park](photo.jpg)",
            ),
            Some(_) => continue,
        };
        out.push(doc.at(&image.span, d));
    }
}

/// A link's text as a reader hears it: lower case, spaces and the
/// punctuation around it trimmed.
fn plain_text(link: &Link) -> String {
    link.text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

fn links(doc: &Doc, out: &mut Vec<Diagnostic>) {
    for link in &doc.found.links {
        if link.dest.trim().is_empty() {
            out.push(doc.at(
                &link.span,
                Diagnostic::new("", "this link has no address").with_help(
                    "put the address between the parentheses: [Our partners](/partners/)",
                ),
            ));
            continue;
        }
        if link.bare {
            continue;
        }
        let text = plain_text(link);
        if text.is_empty() && !link.has_image {
            out.push(doc.at(
                &link.span,
                Diagnostic::new("", "this link has no text").with_help(
                    "put the words to click between the brackets: [Midlands Arts Centre](/partners/the-mac/)",
                ),
            ));
        } else if VAGUE.contains(&text.as_str()) {
            out.push(doc.at(
                &link.span,
                Diagnostic::warning(
                    "",
                    format!("the link text \"{}\" does not say where the link goes", link.text.trim()),
                )
                .with_help(
                    "use words that make sense on their own, e.g. \"read the city vision\" rather than \"click here\": many people move from link to link",
                ),
            ));
        }
    }
}

fn headings(doc: &Doc, level_above: Option<u8>, out: &mut Vec<Diagnostic>) {
    let above = level_above.unwrap_or(1).max(1);
    let mut previous = above;
    for (i, h) in doc.found.headings.iter().enumerate() {
        if h.level > previous + 1 {
            let right = "#".repeat(usize::from(previous) + 1);
            let why = if i == 0 {
                format!(" (the page has a level-{above} heading above the text)")
            } else {
                String::new()
            };
            out.push(doc.at(
                &h.span,
                Diagnostic::warning(
                    "",
                    format!(
                        "this heading skips a level: a level-{} heading after a level-{previous} one",
                        h.level
                    ),
                )
                .with_help(format!(
                    "start it with {right} instead: headings go down one level at a time, so that people using screen readers can follow the outline{why}"
                )),
            ));
        }
        previous = h.level;
    }
}

fn front_matter(doc: &Doc, out: &mut Vec<Diagnostic>) {
    for alt in &doc.alts {
        if is_file_name(&alt.value, alt.src.as_deref()) {
            let mut d = Diagnostic::warning(
                doc.path.clone(),
                format!("`{}` is a file name, not a description", alt.key),
            )
            .with_help(format!(
                "describe what the picture shows, for people who cannot see it: {} = \"Volunteers planting trees in Cannon Hill Park\"",
                alt.key
            ))
            .at(alt.pos);
            d.length = u32::try_from(alt.value.chars().count() + 2).ok();
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_told_from_descriptions() {
        assert!(is_file_name("IMG_2041.jpg", None));
        assert!(is_file_name("IMG_2041", Some("x.png")));
        assert!(is_file_name("DSC01234", None));
        assert!(is_file_name("canal-walk", Some("/images/canal-walk.jpg")));
        assert!(is_file_name("photo.PNG", None));
        assert!(!is_file_name("A canal at dawn", Some("/images/canal.jpg")));
        assert!(!is_file_name("Canal", Some("/images/canal.jpg")));
        assert!(!is_file_name("Logo of the MAC", None));
    }

    #[test]
    fn vague_link_texts_are_recognised_whatever_their_case_and_punctuation() {
        let link = |text: &str| Link {
            dest: "/x/".into(),
            text: text.into(),
            has_image: false,
            span: 0..1,
            dest_span: None,
            bare: false,
        };
        for text in [
            "Here",
            "  click   HERE! ",
            "Read more…",
            "more →",
            "this link",
        ] {
            assert!(VAGUE.contains(&plain_text(&link(text)).as_str()), "{text}");
        }
        for text in ["Read more about the plan", "where we meet", "Here and now"] {
            assert!(!VAGUE.contains(&plain_text(&link(text)).as_str()), "{text}");
        }
    }
}
