//! The output folder: written atomically, reproducible, never half-written.

use std::fs;

use crate::support::{TestSite, snapshot};

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let first = snapshot(&site.out());
    let other = site.root().join("second");
    site.build_ok(&["--output", other.to_str().unwrap()]);
    let second = snapshot(&other);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between builds");
    }
}

#[test]
fn a_rebuild_replaces_the_old_site_and_leaves_nothing_behind() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    fs::write(site.out().join("stale.html"), "from an older build").unwrap();
    site.remove("content/stories/canal-walks.md");
    site.build_ok(&[]);
    assert!(!site.out().join("stale.html").exists());
    assert!(!site.out().join("stories/canal-walks").exists());
    let siblings: Vec<String> = fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .filter(|n| !n.ends_with("lock"))
        .collect();
    assert!(
        siblings.is_empty(),
        "staging folders left behind: {siblings:?}"
    );
}

#[test]
fn output_can_go_anywhere() {
    let site = TestSite::fixture("basic");
    let out = site.root().join("deep/down/site");
    site.build_ok(&["--output", out.to_str().unwrap()]);
    assert!(out.join("index.html").is_file());
    assert!(
        !site.out().exists(),
        "nothing written to the default folder"
    );
}

#[test]
fn a_rebuild_links_unchanged_pages_and_rewrites_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let inode = |p: &str| fs::metadata(site.out().join(p)).unwrap().ino();
    let about = inode("about/index.html");
    let canal = inode("stories/canal-walks/index.html");
    let text = fs::read_to_string(site.root().join("content/stories/canal-walks.md")).unwrap();
    site.write(
        "content/stories/canal-walks.md",
        text.replace("quiet network", "quiet, linked network"),
    );
    site.build_ok(&[]);
    assert_eq!(
        inode("about/index.html"),
        about,
        "an unchanged page is linked from the last build"
    );
    assert_ne!(inode("stories/canal-walks/index.html"), canal);
    assert!(
        site.page("stories/canal-walks/index.html")
            .contains("quiet, linked network")
    );
    // Linked or written, the result is what a fresh build gives.
    let fresh = site.root().join("fresh");
    site.build_ok(&["--output", fresh.to_str().unwrap()]);
    assert!(snapshot(&fresh) == snapshot(&site.out()));
}
