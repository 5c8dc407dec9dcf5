//! brum's Tera filters for words and data: `json_script` (a value as JSON
//! safe inside `<script>`), `plural` (a count's form in a language) and
//! `fill` (a word's placeholders and links filled in). The `markdown` filter
//! is in `markdown_filter.rs`.

use std::collections::HashMap;

use tera::Value;

use super::templates::escape_markup;

/// `json_script`: a value as JSON that is safe inside `<script>`. serde_json
/// writes valid JSON; `<`, `>` and `&` then become `\u003c`-style escapes so
/// no `</script>` or `<!--` can end the element early, and U+2028/2029 are
/// escaped for older JavaScript parsers. Marked safe: the output is never
/// HTML-escaped again (that would corrupt the JSON).
pub struct JsonScript;

impl tera::Filter for JsonScript {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let json = serde_json::to_string(value).map_err(tera::Error::json)?;
        Ok(Value::String(json_for_script(&json)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `plural(n, lang)`: the form of a count (`t.count_stories`, a table of
/// plural forms) that the language `lang` uses for `n`, with `{n}` filled
/// in. A plain word is its own form. Plain text, escaped as usual.
pub struct Plural;

impl tera::Filter for Plural {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let n = args.get("n").ok_or_else(|| {
            tera::Error::msg(
                "plural needs the number, e.g. t.count_stories | plural(n=story_count, lang=site.language)",
            )
        })?;
        let number = n
            .as_f64()
            .ok_or_else(|| tera::Error::msg(format!("plural: `n` must be a number, found {n}")))?;
        let lang = args.get("lang").and_then(Value::as_str).unwrap_or("en");
        let form = super::strings::plural_form(Some(value), lang, number).ok_or_else(|| {
            tera::Error::msg(format!(
                "plural: the value must be a word or a table of plural forms, found {value}"
            ))
        })?;
        Ok(Value::String(form.replace("{n}", &plain_text(n))))
    }
}

/// `fill(name=value, …)`: a word with its placeholders filled, as HTML:
/// `{name}` becomes the value (escaped), and `<name>text</name>` a link,
/// `<a href="value">text</a>`. Everything else in the word is escaped, so
/// the output is marked safe; a name with no value is left as it is.
pub struct Fill;

impl tera::Filter for Fill {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(Value::String(fill_html(&plain_text(value), args)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// A value as text: strings as they are, numbers as written, null empty.
fn plain_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// See [`Fill`].
fn fill_html(text: &str, args: &HashMap<String, Value>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find(['{', '<']) {
        out.push_str(&escape_markup(&rest[..at]));
        let tail = &rest[at..];
        if let Some((name, after)) = marker(tail, '{', '}')
            && let Some(v) = args.get(name)
        {
            out.push_str(&escape_markup(&plain_text(v)));
            rest = after;
            continue;
        }
        let close = |name: &str| format!("</{name}>");
        if let Some((name, after)) = marker(tail, '<', '>')
            && let Some(v) = args.get(name)
            && let Some(end) = after.find(&close(name))
        {
            out.push_str("<a href=\"");
            out.push_str(&escape_markup(&plain_text(v)));
            out.push_str("\">");
            out.push_str(&fill_html(&after[..end], args));
            out.push_str("</a>");
            rest = &after[end + close(name).len()..];
            continue;
        }
        out.push_str(&escape_markup(&tail[..1]));
        rest = &tail[1..];
    }
    out.push_str(&escape_markup(rest));
    out
}

/// `{name}` or `<name>` at the start of `s`: the name and what follows.
fn marker(s: &str, open: char, close: char) -> Option<(&str, &str)> {
    let inner = s.strip_prefix(open)?;
    let end = inner.find(close)?;
    let name = &inner[..end];
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    is_name.then(|| (name, &inner[end + close.len_utf8()..]))
}

/// Escapes JSON text for an HTML `<script>` element; see [`JsonScript`].
pub fn json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_script_cannot_close_the_element_and_round_trips() {
        let title = "</script><script>alert(1)</script> & \"Brum\" \u{2028}";
        let value = serde_json::json!({ "headline": title });
        let out = tera::Filter::filter(&JsonScript, &value, &HashMap::new()).unwrap();
        let text = out.as_str().unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert!(!text.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(back["headline"], title);
    }

    fn args(pairs: &[(&str, Value)]) -> HashMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn fill_makes_links_and_escapes_everything_else() {
        let a = args(&[
            ("site", "A & B <i>".into()),
            ("home", "/x?a=1&b=2".into()),
            ("n", 3.into()),
        ]);
        assert_eq!(
            fill_html("the <home>{site} home</home>, {n} & {other} <b>", &a),
            "the <a href=\"/x?a=1&amp;b=2\">A &amp; B &lt;i&gt; home</a>, 3 &amp; {other} &lt;b&gt;"
        );
        // A value cannot open a link: it is filled in after the word is read.
        let a = args(&[("site", "<home>x</home>".into()), ("home", "/".into())]);
        assert_eq!(fill_html("{site}", &a), "&lt;home&gt;x&lt;/home&gt;");
        // An unclosed tag is text.
        assert_eq!(fill_html("<home>x", &a), "&lt;home&gt;x");
    }

    #[test]
    fn plural_picks_the_languages_form() {
        let forms = serde_json::json!({"one": "{n} historia", "few": "{n} historie", "many": "{n} historii"});
        let form = |n: i64, lang: &str| {
            let a = args(&[("n", n.into()), ("lang", lang.into())]);
            tera::Filter::filter(&Plural, &forms, &a).unwrap()
        };
        assert_eq!(form(1, "pl"), "1 historia");
        assert_eq!(form(3, "pl"), "3 historie");
        assert_eq!(form(22, "pl"), "22 historie");
        assert_eq!(form(12, "pl"), "12 historii");
        assert_eq!(form(5, "pl"), "5 historii");
        assert_eq!(form(0, "pl"), "0 historii");
        let en = serde_json::json!({"one": "{n} story", "other": "{n} stories"});
        let a = args(&[("n", 1.into()), ("lang", "en-GB".into())]);
        assert_eq!(tera::Filter::filter(&Plural, &en, &a).unwrap(), "1 story");
        let a = args(&[("n", 2.into())]);
        assert_eq!(tera::Filter::filter(&Plural, &en, &a).unwrap(), "2 stories");
    }
}
