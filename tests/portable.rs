//! What Windows editors leave in a site folder is handled as on Linux: a
//! story saved with CRLF line ends and a byte-order mark builds the same
//! page, and the owner files Word and LibreOffice keep beside an open file
//! (`~$…`, `.~lock.…#`) and the `.tmp` files editors save through are not
//! content. (The Windows build itself is proved under Wine by
//! `.ci/windows`, which compares its output with Linux's byte for byte.)

use crate::support::{TestSite, snapshot};

#[test]
fn what_windows_editors_save_builds_as_on_linux() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.out());
    let story = site.read("content/stories/canal-walks.md");
    let windows = format!("\u{feff}{}", story.replace('\n', "\r\n"));
    site.write("content/stories/canal-walks.md", windows);
    site.write(
        "content/stories/~$nal-walks.md",
        b"\x00\x10owner".as_slice(),
    );
    site.write("content/stories/.~lock.canal-walks.md#", "owner,host");
    site.write("content/stories/canal-walks.md.tmp", "+++\nbroken");
    site.write("content/stories/bundle-story/~$photo.md", "owner");
    let run = site.build_ok(&[]);
    assert!(run.stderr.is_empty(), "no warnings: {}", run.stderr);
    assert_eq!(
        snapshot(&site.out()),
        before,
        "the same site, byte for byte"
    );
}
