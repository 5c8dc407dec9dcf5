//! Just enough YAML to write Decap's `config.yml`: maps in the order given
//! (so the file reads like a hand-written one), lists, and scalars. Strings
//! are always double-quoted with JSON's escapes, which YAML reads the same,
//! so no value (a topic called "yes", a title with a colon) changes meaning.

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Str(String),
    Bool(bool),
    List(Vec<Yaml>),
    Map(Vec<(&'static str, Yaml)>),
}

impl Yaml {
    pub fn str(s: impl Into<String>) -> Yaml {
        Yaml::Str(s.into())
    }

    /// A list of strings.
    pub fn strs<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Yaml {
        Yaml::List(items.into_iter().map(Yaml::str).collect())
    }

    /// The document's text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.block(0, &mut out);
        out
    }

    fn is_empty_collection(&self) -> bool {
        matches!(self, Yaml::List(l) if l.is_empty())
            || matches!(self, Yaml::Map(m) if m.is_empty())
    }

    /// This value as a block at `indent`, each line ending in a newline.
    fn block(&self, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match self {
            Yaml::Map(entries) => {
                for (key, value) in entries {
                    out.push_str(&pad);
                    out.push_str(key);
                    out.push(':');
                    value.after_key(indent + 2, out);
                }
            }
            Yaml::List(items) => {
                for item in items {
                    out.push_str(&pad);
                    out.push('-');
                    match item {
                        // A map's first key goes on the dash's line.
                        Yaml::Map(entries) if !entries.is_empty() => {
                            let mut inner = String::new();
                            item.block(indent + 2, &mut inner);
                            out.push(' ');
                            out.push_str(&inner[indent + 2..]);
                        }
                        _ => item.after_key(indent + 2, out),
                    }
                }
            }
            scalar => {
                out.push_str(&pad);
                out.push_str(&scalar.inline());
                out.push('\n');
            }
        }
    }

    /// The value after `key:` or `-`: inline when a scalar or empty,
    /// else on the lines below at `indent`.
    fn after_key(&self, indent: usize, out: &mut String) {
        match self {
            Yaml::Map(_) | Yaml::List(_) if !self.is_empty_collection() => {
                out.push('\n');
                self.block(indent, out);
            }
            _ => {
                out.push(' ');
                out.push_str(&self.inline());
                out.push('\n');
            }
        }
    }

    fn inline(&self) -> String {
        match self {
            Yaml::Str(s) => serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()),
            Yaml::Bool(b) => b.to_string(),
            Yaml::List(_) => "[]".into(),
            Yaml::Map(_) => "{}".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Yaml;

    #[test]
    fn nested_maps_and_lists_are_indented_as_yaml_reads_them() {
        let doc = Yaml::Map(vec![
            ("backend", Yaml::Map(vec![("name", Yaml::str("github"))])),
            (
                "collections",
                Yaml::List(vec![Yaml::Map(vec![
                    ("name", Yaml::str("stories")),
                    ("create", Yaml::Bool(true)),
                    ("fields", Yaml::List(vec![])),
                    ("tags", Yaml::strs(["a: b", "yes"])),
                ])]),
            ),
            ("weight", Yaml::Bool(false)),
        ]);
        assert_eq!(
            doc.to_text(),
            "backend:\n  name: \"github\"\ncollections:\n  - name: \"stories\"\n    create: true\n    fields: []\n    tags:\n      - \"a: b\"\n      - \"yes\"\nweight: false\n"
        );
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(
            Yaml::str("a \"quote\"\nand a line").to_text(),
            "\"a \\\"quote\\\"\\nand a line\"\n"
        );
    }
}
