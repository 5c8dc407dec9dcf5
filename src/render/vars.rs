//! A page's template variables, kept as views until they are needed: a page
//! can be fingerprinted (its views serialised straight into a hash) to learn
//! whether it changed, and the values Tera needs are made only for pages
//! that are rendered.

use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Value};

use crate::cache::HashWriter;

/// A page's template variables, kept as the views themselves so a page can
/// be fingerprinted (serialised straight into a hash) without building the
/// values Tera needs; those are made only for pages that are rendered.
pub struct Vars<'a> {
    /// `site`, `t` (the theme's words) and `data` (the data files): the
    /// same on every page of a language, so hashed once per build and
    /// shared by every page's context, not copied into each.
    site: &'a Arc<Value>,
    t: &'a Arc<Value>,
    data: &'a Arc<Value>,
    site_hash: u64,
    entries: Vec<(&'static str, Var<'a>)>,
}

/// One template variable: a view, or a list of values already made (the
/// stories of a list, each made once per build however many lists show it).
enum Var<'a> {
    View(Box<dyn erased_serde::Serialize + 'a>),
    Values(Vec<&'a Made>),
}

/// A value made once and shown on many pages (a story as lists show it),
/// with its hash, so a page's fingerprint takes the hash rather than
/// serialising the value again on every page that lists it.
pub struct Made {
    pub value: Value,
    hash: u64,
}

impl Made {
    pub fn new(value: Value) -> Made {
        let mut w = HashWriter::default();
        hash_value(&value, &mut w);
        Made {
            hash: w.finish(),
            value,
        }
    }
}

impl<'a> Vars<'a> {
    pub fn new(
        site: &'a Arc<Value>,
        t: &'a Arc<Value>,
        data: &'a Arc<Value>,
        site_hash: u64,
    ) -> Self {
        Vars {
            site,
            t,
            data,
            site_hash,
            entries: Vec::with_capacity(8),
        }
    }

    pub fn insert<T: Serialize + 'a>(&mut self, key: &'static str, value: T) {
        self.entries.push((key, Var::View(Box::new(value))));
    }

    pub fn insert_values(&mut self, key: &'static str, values: Vec<&'a Made>) {
        self.entries.push((key, Var::Values(values)));
    }

    /// A hash of the template name and every variable.
    pub fn fingerprint(&self, template: &str) -> u64 {
        let mut w = HashWriter::default();
        w.write_u64(self.site_hash);
        std::io::Write::write_all(&mut w, template.as_bytes()).ok();
        for (key, value) in &self.entries {
            std::io::Write::write_all(&mut w, key.as_bytes()).ok();
            match value {
                Var::Values(made) => {
                    w.write_u64(made.len() as u64);
                    made.iter().for_each(|m| w.write_u64(m.hash));
                }
                Var::View(view) => hash_value(view, &mut w),
            }
        }
        w.finish()
    }

    pub fn into_context(self) -> Context {
        let mut context = Context::new();
        context.insert_shared("site", self.site.clone());
        context.insert_shared("t", self.t.clone());
        context.insert_shared("data", self.data.clone());
        for (key, value) in self.entries {
            let value = match value {
                // A clone is a third of the cost of serialising the view again.
                Var::Values(made) => Value::Array(made.iter().map(|m| m.value.clone()).collect()),
                Var::View(view) => tera::to_value(&view).unwrap_or(Value::Null),
            };
            context.insert_shared(key, Arc::new(value));
        }
        context
    }
}

/// Feeds a value to a hash. postcard writes text as length and bytes, with
/// none of JSON's escaping (most of what is hashed is page text); JSON is
/// for what postcard cannot write.
fn hash_value(value: &impl Serialize, w: &mut HashWriter) {
    if postcard::to_io(value, &mut *w).is_err() {
        serde_json::to_writer(w, value).ok();
    }
}
