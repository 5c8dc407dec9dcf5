//! docs/content.md, the authors' guide, stays true: every field `brum new`
//! writes into a new file is described there, and its site.toml example
//! builds a site as it is.

use std::collections::BTreeSet;

use crate::support::{TestSite, read};

fn guide() -> String {
    read(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content.md"))
}

/// The keys of a file's front matter, set or commented out.
fn keys(text: &str) -> BTreeSet<String> {
    let front = text.split("+++").nth(1).unwrap_or_default();
    front
        .lines()
        .filter_map(|l| {
            let l = l.strip_prefix("# ").unwrap_or(l);
            let (key, _) = l.split_once(" = ")?;
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_')
                .then(|| key.to_string())
        })
        .collect()
}

#[test]
fn the_guide_describes_every_field_brum_new_writes() {
    let site = TestSite::fixture("basic");
    let guide = guide();
    for kind in ["story", "partner", "timeline", "page"] {
        let run = site.brum("new", &[kind, "A new one"]);
        assert!(run.success, "{}", run.stderr);
        let text = read(std::path::Path::new(run.stdout.trim()));
        let keys = keys(&text);
        assert!(keys.len() >= 4, "{kind}: {keys:?}");
        for key in keys {
            assert!(
                guide.contains(&format!("`{key}`")),
                "docs/content.md does not describe the {kind} field `{key}`"
            );
        }
    }
}

#[test]
fn the_guides_site_toml_builds() {
    let guide = guide();
    let example = guide
        .split("## site.toml")
        .nth(1)
        .and_then(|s| s.split("```toml\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("a site.toml example");
    let site = TestSite::fixture("check-clean");
    site.write("site.toml", example);
    // The fixture's content uses its own topics; the example's must load.
    site.write(
        "content/stories/canal-walks.md",
        "+++\ntitle = \"Canal walks\"\ndate = 2015-07-10\ntopics = [\"culture\"]\n+++\n\nText.\n",
    );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
}
