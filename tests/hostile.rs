//! Hostile input: whatever an author pastes or a disk holds, the build ends
//! with a clear error (file, line, message) or a correct page, never a panic
//! or a crash, and it writes nothing outside its output folder. Large inputs
//! are made by the tests, not kept as fixtures.

use image::GenericImageView;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::support::{Run, Shown, TestSite, main_of, shown, text_of};

/// Every path under `dir` with what it holds (a link's target, a file's
/// bytes); links are never followed, so a loop is just a link.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.insert(rel, target.as_os_str().as_encoded_bytes().to_vec());
            } else if meta.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, out);
            } else {
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Everything around the site's output: the whole temp folder the site sits
/// in, less `public/`, the build's lock file beside it, and the image cache
/// in `.brum-cache/`, which the build keeps by design.
fn outside_output(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let around = site.root().parent().unwrap();
    tree(around)
        .into_iter()
        .filter(|(p, _)| {
            !p.starts_with("site/public/")
                && !p.starts_with("site/.brum-cache/")
                && !p.ends_with(".brum-lock")
        })
        .collect()
}

/// Adds `files` to a fresh copy of the basic fixture and builds it. The build
/// must end as a program should (success, or exit code 1 with diagnostics),
/// never by a panic or a signal, and must not write outside its output.
fn build_with(files: &[(&str, &[u8])]) -> (TestSite, Run) {
    let site = TestSite::fixture("basic");
    for (path, contents) in files {
        site.write(path, contents);
    }
    let run = build_quietly(&site);
    (site, run)
}

fn build_quietly(site: &TestSite) -> Run {
    let before = outside_output(site);
    let run = site.build(&[]);
    assert!(
        matches!(run.code, Some(0) | Some(1)),
        "the build ended with {:?}, not success or a reported error:\n{}",
        run.code,
        run.stderr
    );
    for sign in ["panicked", "stack overflow", "RUST_BACKTRACE"] {
        assert!(!run.stderr.contains(sign), "{sign}:\n{}", run.stderr);
    }
    let after = outside_output(site);
    let changed: Vec<&String> = after
        .keys()
        .chain(before.keys())
        .filter(|k| after.get(*k) != before.get(*k))
        .collect();
    assert!(
        changed.is_empty(),
        "the build wrote outside its output folder: {changed:?}"
    );
    run
}

/// The one diagnostic about `path`, which must be an error with a message
/// containing `message`; the build must have failed, saying nothing was written.
fn error_about(run: &Run, path: &str, message: &str) -> Shown {
    assert!(!run.success, "the build should fail:\n{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    let found: Vec<Shown> = shown(&run.stderr)
        .into_iter()
        .filter(|d| d.path == path)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one diagnostic about {path}:\n{}",
        run.stderr
    );
    let d = found.into_iter().next().unwrap();
    assert_eq!(d.severity, "error");
    assert!(
        d.message.contains(message),
        "expected {message:?} in:\n{}",
        run.stderr
    );
    d
}

fn story(front: &str, body: &str) -> Vec<u8> {
    format!("+++\ntitle = \"Hostile\"\ndate = 2015-07-01\n{front}+++\n{body}").into_bytes()
}

fn story_page(site: &TestSite, slug: &str) -> String {
    site.page(&format!("stories/{slug}/index.html"))
}

#[test]
#[ignore = "slow tier: builds and checks a 10 MB story"]
fn a_ten_megabyte_story_is_built_whole() {
    let mut body = String::with_capacity(10 << 20);
    let mut n = 0;
    while body.len() < 10 << 20 {
        body.push_str(&format!(
            "Paragraph {n} about the *canal* and [the Mac](../partners/the-mac.md).\n\n"
        ));
        n += 1;
    }
    body.push_str("The very last paragraph.\n");
    let (site, run) = build_with(&[("content/stories/huge.md", &story("", &body))]);
    assert!(run.success, "{}", run.stderr);
    let page = story_page(&site, "huge");
    assert!(page.len() > 10 << 20);
    assert!(page.contains("<p>Paragraph 0 about the <em>canal</em>"));
    assert!(page.contains(&format!("<p>Paragraph {} about", n - 1)));
    assert!(page.contains("<p>The very last paragraph.</p>"));
}

#[test]
#[ignore = "slow tier: builds a 100,000-line story"]
fn a_file_of_a_hundred_thousand_lines_is_built_whole() {
    let body: String = (0..100_000)
        .map(|i| {
            if i % 1000 == 0 {
                format!("## Part {i}\n")
            } else {
                format!("Line {i}.\n")
            }
        })
        .collect();
    let (site, run) = build_with(&[("content/stories/long.md", &story("", &body))]);
    assert!(run.success, "{}", run.stderr);
    let page = story_page(&site, "long");
    assert!(page.contains("id=\"part-99000\""));
    assert!(page.contains("Line 99999."));
}

/// 10,000 levels of lists, block quotes, emphasis and links: each must come
/// out as a page holding the innermost text, in the build and in `check`
/// (which parses the HTML the build makes), not as a stack overflow.
#[test]
#[ignore = "slow tier: Markdown nested 10,000 deep"]
fn markdown_nested_ten_thousand_deep_builds_and_checks() {
    const DEEP: usize = 10_000;
    let bodies = [
        ("lists", format!("{}innermost\n", "- ".repeat(DEEP))),
        ("quotes", format!("{}innermost\n", "> ".repeat(DEEP))),
        (
            "emphasis",
            format!("{}innermost{}\n", "*".repeat(DEEP), "*".repeat(DEEP)),
        ),
        (
            "strong",
            format!("{}innermost{}\n", "**a ".repeat(DEEP), " b**".repeat(DEEP)),
        ),
        (
            "links",
            format!("{}innermost{}\n", "[".repeat(DEEP), "](/x)".repeat(DEEP)),
        ),
        (
            "indented-lists",
            (0..DEEP)
                .map(|i| format!("{}- level {i}\n", "  ".repeat(i.min(2000))))
                .collect(),
        ),
        (
            "html",
            format!(
                "{}innermost{}\n",
                "<div>".repeat(DEEP),
                "</div>".repeat(DEEP)
            ),
        ),
    ];
    let files: Vec<(String, Vec<u8>)> = bodies
        .iter()
        .map(|(name, body)| (format!("content/stories/{name}.md"), story("", body)))
        .collect();
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let (site, run) = build_with(&files);
    assert!(run.success, "{}", run.stderr);
    for (name, _) in &bodies {
        let page = story_page(&site, name);
        assert!(
            page.contains("innermost") || page.contains("level 9999"),
            "{name} lost its text"
        );
    }
    let check = site.brum("check", &[]);
    assert!(matches!(check.code, Some(0) | Some(1)), "{}", check.stderr);
    assert!(!check.stderr.contains("panicked"), "{}", check.stderr);
}

#[test]
fn a_byte_order_mark_is_dropped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(story("", "Marked text.\n"));
    let (site, run) = build_with(&[("content/stories/bom.md", &bytes)]);
    assert!(run.success, "{}", run.stderr);
    let page = story_page(&site, "bom");
    assert!(text_of(main_of(&page)).contains("Hostile"));
    assert!(page.contains("<p>Marked text.</p>"));
    assert!(!page.contains('\u{feff}'));
}

#[test]
fn crlf_and_lone_cr_line_ends_read_like_newlines() {
    let lf = "+++\ntitle = \"Line ends\"\ndate = 2015-07-01\n+++\nFirst paragraph.\n\n## A heading\n\nSecond paragraph.\n";
    let (site, run) = build_with(&[
        (
            "content/stories/crlf.md",
            lf.replace('\n', "\r\n").as_bytes(),
        ),
        ("content/stories/cr.md", lf.replace('\n', "\r").as_bytes()),
    ]);
    assert!(run.success, "{}", run.stderr);
    for slug in ["crlf", "cr"] {
        let page = story_page(&site, slug);
        let main = main_of(&page);
        assert!(text_of(main).contains("Line ends"), "{slug}");
        assert!(main.contains("<p>First paragraph.</p>"), "{slug}: {main}");
        assert!(main.contains("id=\"a-heading\""), "{slug}");
        assert!(main.contains("<p>Second paragraph.</p>"), "{slug}");
    }
}

#[test]
fn nul_bytes_in_the_body_become_replacement_characters() {
    let (site, run) = build_with(&[("content/stories/nul.md", &story("", "Before\0after.\n"))]);
    assert!(run.success, "{}", run.stderr);
    assert!(story_page(&site, "nul").contains("<p>Before\u{FFFD}after.</p>"));
}

#[test]
fn a_nul_byte_in_front_matter_is_an_error_at_its_line() {
    let (_, run) = build_with(&[(
        "content/stories/nul.md",
        b"+++\ntitle = \"Hostile\"\ndate = 2015-07-01\nauthor = \"A\0B\"\n+++\nBody.\n",
    )]);
    let d = error_about(&run, "content/stories/nul.md", "");
    assert_eq!(d.line, Some(4), "{}", run.stderr);
}

#[test]
fn invalid_utf8_in_the_body_is_an_error_at_its_line() {
    // A Latin-1 é (0xE9, no continuation byte) on the file's seventh line.
    let mut bytes = story("", "Fine.\n\nCaf");
    bytes.extend(b"\xE9 broken.\n");
    let (_, run) = build_with(&[("content/stories/latin1.md", &bytes)]);
    let d = error_about(
        &run,
        "content/stories/latin1.md",
        "not valid UTF-8 (byte 0xE9)",
    );
    assert_eq!((d.line, d.column), (Some(7), Some(4)), "{}", run.stderr);
}

#[test]
fn an_empty_file_is_an_error() {
    let (_, run) = build_with(&[("content/stories/empty.md", b"")]);
    let d = error_about(
        &run,
        "content/stories/empty.md",
        "does not start with front matter",
    );
    assert_eq!(d.line, Some(1));
}

#[test]
fn front_matter_that_never_closes_is_an_error() {
    let (_, run) = build_with(&[(
        "content/stories/open.md",
        b"+++\ntitle = \"Open\"\ndate = 2015-07-01\n\nThe body, with no closing line above.\n",
    )]);
    let d = error_about(&run, "content/stories/open.md", "never closed");
    assert!(d.help.unwrap_or_default().contains("+++"));
}

/// Builds one story per case (`content/stories/<name>.md`, with the case's
/// front-matter line), and checks each is refused at that line (4), with an
/// error whose message mentions `about`.
fn each_story_refused_at_its_line(cases: &[(&str, String)], about: &str) {
    let files: Vec<(String, Vec<u8>)> = cases
        .iter()
        .map(|(name, front)| {
            (
                format!("content/stories/{name}.md"),
                story(front, "Body.\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let (_, run) = build_with(&files);
    for (name, _) in cases {
        let d = error_about(&run, &format!("content/stories/{name}.md"), about);
        assert_eq!(d.line, Some(4), "{name}: {}", run.stderr);
    }
}

/// Slugs that would name a folder outside `stories/`: each is refused at its
/// line, and nothing appears anywhere but in the output.
#[test]
fn slugs_that_climb_out_are_refused() {
    let slugs = [
        ("dots", r#""../../x""#),
        ("absolute", r#""/etc/passwd""#),
        ("middle", r#""a/../../b""#),
        ("backslash", r#""..\\..\\x""#),
        ("nul", r#""a\u0000b""#),
        ("dot", r#"".""#),
        ("dotdot", r#""..""#),
    ];
    let cases = slugs.map(|(name, slug)| (name, format!("slug = {slug}\n")));
    each_story_refused_at_its_line(&cases, "`slug`");
}

#[test]
fn aliases_that_climb_out_are_refused() {
    let aliases = [
        ("dots", r#""../../x""#),
        ("middle", r#""a/../../b""#),
        ("backslash", r#""..\\x""#),
        ("nul", r#""a\u0000b""#),
        ("encoded", r#""/%2e%2e/%2e%2e/escaped/""#),
        ("encoded-slashes", r#""/a%2f..%2f..%2f..%2fescaped/""#),
        ("encoded-upper", r#""/%2E%2E/x/""#),
        ("half-encoded", r#""/.%2e/x/""#),
        ("encoded-backslash", r#""/%5c..%5cx/""#),
        ("encoded-nul", r#""/a%00b/""#),
    ];
    let cases = aliases.map(|(name, alias)| (name, format!("aliases = [{alias}]\n")));
    each_story_refused_at_its_line(&cases, "alias");
}

/// An absolute alias is an address on this site: it becomes a redirect page
/// inside the output, never a file at that path on the machine.
#[test]
fn an_absolute_alias_is_a_page_inside_the_output() {
    let (site, run) = build_with(&[(
        "content/stories/moved.md",
        &story("aliases = [\"/etc/passwd\"]\n", "Body.\n"),
    )]);
    assert!(run.success, "{}", run.stderr);
    let redirect = site.page("etc/passwd/index.html");
    assert!(redirect.contains("/stories/moved/"), "{redirect}");
}

#[test]
fn an_alias_on_a_real_page_is_an_error() {
    let (_, run) = build_with(&[(
        "content/stories/thief.md",
        &story("aliases = [\"/stories/canal-walks/\"]\n", "Body.\n"),
    )]);
    assert!(!run.success);
    let all = shown(&run.stderr);
    assert!(
        all.iter().any(|d| d.severity == "error"
            && d.message
                .contains("the address /stories/canal-walks/ is already taken")),
        "{}",
        run.stderr
    );
}

/// Both pages are made (the disk under the build tells them apart), with a
/// warning: a static host on a case-insensitive disk would keep only one.
#[test]
fn slugs_differing_only_in_case_are_a_warning() {
    let (site, run) = build_with(&[("content/stories/Canal-Walks.md", &story("", "Shouting.\n"))]);
    assert!(run.success, "{}", run.stderr);
    let warnings: Vec<Shown> = shown(&run.stderr)
        .into_iter()
        .filter(|d| d.severity == "warning")
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    let w = &warnings[0];
    assert!(
        w.path.ends_with("Canal-Walks.md") || w.path.ends_with("canal-walks.md"),
        "{w:?}"
    );
    assert!(w.message.contains("differs only in case"), "{w:?}");
    assert!(story_page(&site, "Canal-Walks").contains("<p>Shouting.</p>"));
    assert!(text_of(main_of(&story_page(&site, "canal-walks"))).contains("Canal"));
}

#[test]
fn a_symlink_loop_in_content_is_an_error_not_a_hang() {
    let site = TestSite::fixture("basic");
    let stories = site.root().join("content/stories");
    std::os::unix::fs::symlink("loop.md", stories.join("loop.md")).unwrap();
    std::os::unix::fs::symlink("ping.md", stories.join("pong.md")).unwrap();
    std::os::unix::fs::symlink("pong.md", stories.join("ping.md")).unwrap();
    // A folder link back up: followed, it would never end.
    std::os::unix::fs::symlink("..", stories.join("up")).unwrap();
    std::os::unix::fs::symlink(".", site.root().join("content/pages/here")).unwrap();
    let run = build_quietly(&site);
    for name in ["loop", "ping", "pong"] {
        let d = error_about(
            &run,
            &format!("content/stories/{name}.md"),
            "cannot be read",
        );
        assert!(d.message.contains("symbolic links"), "{d:?}");
    }
    assert_eq!(shown(&run.stderr).len(), 3, "{}", run.stderr);
}

#[test]
fn a_static_link_out_of_the_site_is_refused_and_never_copied() {
    let site = TestSite::fixture("basic");
    let outside = site.root().parent().unwrap().join("secret.txt");
    fs::write(&outside, "the secret").unwrap();
    std::os::unix::fs::symlink(&outside, site.root().join("static/secret.txt")).unwrap();
    std::os::unix::fs::symlink("/etc", site.root().join("static/etc")).unwrap();
    let run = build_quietly(&site);
    let d = error_about(&run, "static/secret.txt", "points outside the site");
    assert!(d.help.unwrap_or_default().contains("copy the file"));
    error_about(&run, "static/etc", "outside the site");
    assert!(!site.out().exists(), "nothing was built");
}

/// A real (tiny) PNG: brum re-encodes every picture it publishes.
fn tiny_png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(2, 2, image::Rgb([200, 120, 40]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Spaces, emoji and right-to-left text in file and folder names: each makes
/// its page at its own address (a bundle's files beside it), and its URL
/// escapes the spaces.
#[test]
fn names_with_spaces_emoji_and_right_to_left_text_make_pages() {
    let (site, run) = build_with(&[
        (
            "content/stories/canal walks 🚣 ممتاز.md",
            &story("", "Spaces, emoji, Arabic.\n"),
        ),
        (
            "content/stories/קפה ☕/index.md",
            &story(
                "image = \"תמונה 1.png\"\nimage_alt = \"A cup of coffee\"\n",
                "Hebrew bundle.\n",
            ),
        ),
        ("content/stories/קפה ☕/תמונה 1.png", &tiny_png()),
        ("static/files/plan 📄 خطة.txt", b"a plan"),
    ]);
    assert!(run.success, "{}", run.stderr);
    assert!(story_page(&site, "canal walks 🚣 ممتاز").contains("<p>Spaces, emoji, Arabic.</p>"));
    assert!(story_page(&site, "קפה ☕").contains("<p>Hebrew bundle.</p>"));
    let published = fs::read(site.out().join("stories/קפה ☕/תמונה 1.png")).unwrap();
    assert_eq!(
        image::load_from_memory(&published).unwrap().dimensions(),
        (2, 2),
        "the picture is published (re-encoded) beside its story"
    );
    assert_eq!(
        fs::read(site.out().join("files/plan 📄 خطة.txt")).unwrap(),
        b"a plan"
    );
    // Addresses keep letters of any script and escape what a URL cannot hold.
    let sitemap = site.page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/stories/canal%20walks%20🚣%20ممتاز/</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://example.org/stories/קפה%20☕/</loc>"));
}

/// A template that includes itself, directly or through another, or
/// extends itself, is an error naming the template, not a stack overflow.
#[test]
fn a_template_that_includes_itself_is_an_error() {
    let cases: [&[(&str, &str)]; 3] = [
        &[("story.html", "{% include \"story.html\" %}")],
        &[("page.html", "{% extends \"page.html\" %}")],
        &[
            (
                "timeline.html",
                "{% if true %}{% include \"partials/card.html\" %}{% endif %}",
            ),
            (
                "partials/card.html",
                "{% for x in [1] %}{% include \"timeline.html\" %}{% endfor %}",
            ),
        ],
    ];
    for files in cases {
        let files: Vec<(String, &[u8])> = files
            .iter()
            .map(|(name, text)| (format!("templates/{name}"), text.as_bytes()))
            .collect();
        let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
        let (_, run) = build_with(&files);
        let first = files[0].0;
        assert!(!run.success, "{first}: the build should fail");
        let ds = shown(&run.stderr);
        assert!(
            ds.iter()
                .any(|d| d.severity == "error" && first.ends_with(&d.path.replace('\\', "/"))),
            "{first}: an error naming the template:\n{}",
            run.stderr
        );
    }
}

/// The build needs no network: in a network namespace of its own, with no
/// interface but a downed loopback, it builds the same site. (Only `check
/// --external` has an HTTP client.) Needs root for `unshare --net`; in CI,
/// which runs as root, not being able to is a failure.
#[test]
#[ignore = "slow tier: needs root, for unshare --net"]
fn the_build_works_with_no_network_at_all() {
    let site = TestSite::fixture("basic");
    let offline = std::process::Command::new("unshare")
        .args(["--net", "--"])
        .arg(env!("CARGO_BIN_EXE_brum"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", crate::support::EPOCH)
        .output();
    let offline = match offline {
        Ok(o) if !String::from_utf8_lossy(&o.stderr).starts_with("unshare:") => o,
        other => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must be able to unshare the network: {other:?}"
            );
            eprintln!("skipped: cannot make a network namespace here");
            return;
        }
    };
    assert!(
        offline.status.success(),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    let without = crate::support::snapshot(&site.out());
    fs::remove_dir_all(site.out()).unwrap();
    site.build_ok(&[]);
    assert!(crate::support::snapshot(&site.out()) == without);
}
