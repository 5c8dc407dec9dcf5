//! The `markdown` filter: Markdown text that is not a page's body (a data
//! file's description, say) as HTML in a template. `inline=true` leaves out
//! the paragraph around a text of one paragraph, for a heading or a list
//! item. Links are resolved under the site's base path; component calls
//! are not run, and show as written.

use std::collections::HashMap;

use tera::Value;

use crate::markdown::{self, Links};

pub struct MarkdownFilter {
    pub base_path: String,
}

impl tera::Filter for MarkdownFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = match value {
            Value::String(s) => s.as_str(),
            Value::Null => "",
            other => {
                return Err(tera::Error::msg(format!(
                    "markdown: expected text, found {other}"
                )));
            }
        };
        let none = HashMap::new();
        let links = Links {
            base_path: &self.base_path,
            page_url: &self.base_path,
            source_dir: "",
            content_urls: &none,
        };
        let html = markdown::render_without_calls(text, &links).html;
        let inline = args.get("inline").and_then(Value::as_bool).unwrap_or(false);
        Ok(Value::String(if inline {
            unwrap_paragraph(html)
        } else {
            html
        }))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `<p>text</p>` as `text`; anything else as it is.
fn unwrap_paragraph(html: String) -> String {
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Filter;

    fn run(text: &str, inline: bool) -> String {
        let f = MarkdownFilter {
            base_path: "/sub/".into(),
        };
        let args = HashMap::from([("inline".to_string(), Value::Bool(inline))]);
        f.filter(&Value::String(text.into()), &args)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn text_becomes_html_with_links_under_the_base_path() {
        assert_eq!(
            run("Ask *what's great* – [join](/get-involved/)", false),
            "<p>Ask <em>what’s great</em> – <a href=\"/sub/get-involved/\">join</a></p>\n"
        );
        assert_eq!(run("**Bold** words", true), "<strong>Bold</strong> words");
        assert_eq!(run("a\n\nb", true), "<p>a</p>\n<p>b</p>\n");
        assert_eq!(run("{{ video() }}", false), "<p>{{ video() }}</p>\n");
    }
}
