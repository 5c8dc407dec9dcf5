//! Small pieces every picture is written with: escaping, numbers that print
//! the same on every build, and a guess at how wide a line of text is (there
//! is no font at build time, so layout works from an upper estimate).

use std::fmt::Write as _;

/// Escapes text and attribute values for XML (and so for HTML around it).
pub fn esc(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with one decimal, `-0` written as `0`: short, and the same
/// bytes for the same input.
pub fn num(x: f64) -> String {
    let mut s = String::with_capacity(8);
    push_num(&mut s, x);
    s
}

pub fn push_num(out: &mut String, x: f64) {
    let tenths = (x * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let t = tenths.unsigned_abs();
    let _ = write!(out, "{}", t / 10);
    if !t.is_multiple_of(10) {
        let _ = write!(out, ".{}", t % 10);
    }
}

/// An upper estimate of the width of `text` at `size` in a sans-serif face.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// The opening of an accessible picture: `role` is `img` (a picture with a
/// text alternative) or `group` (a picture holding links). Its name and
/// description are its own `<title>` and `<desc>`.
pub fn open(
    out: &mut String,
    id: &str,
    class: &str,
    role: &str,
    (width, height): (f64, f64),
    title: &str,
    desc: &str,
) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"brum-pic {class}\" id=\"{id}\" \
         viewBox=\"0 0 {} {}\" role=\"{role}\" aria-labelledby=\"{id}-title\" \
         aria-describedby=\"{id}-desc\"><title id=\"{id}-title\">{}</title>\
         <desc id=\"{id}-desc\">{}</desc>",
        num(width),
        num(height),
        esc(title),
        esc(desc),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(-3.25), "-3.3");
        assert_eq!(num(-0.5), "-0.5");
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            esc("</title><script>& \"x\" 'y'\u{1}"),
            "&lt;/title&gt;&lt;script&gt;&amp; &quot;x&quot; &#39;y&#39;"
        );
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(truncate("Birmingham", 20), "Birmingham");
        assert_eq!(truncate("Birmingham Partners", 11), "Birmingham…");
    }
}
