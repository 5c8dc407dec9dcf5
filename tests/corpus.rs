//! A generated corpus (`../shared/bench/gen_corpus.py`) builds, with a page
//! for every published story, as the generator's own checker sees it.

use std::process::Command;

#[test]
#[ignore = "slow tier: generates and builds a 1,000-story corpus"]
fn a_thousand_story_corpus_builds_with_every_published_page() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let out = dir.path().join("out");
    crate::support::gen_corpus(&corpus, &["--stories", "1000"]);

    crate::support::build_corpus(&corpus, &out);

    let checked = Command::new("python3")
        .arg(crate::support::gen_corpus_script())
        .args([
            "--check-build",
            corpus.to_str().unwrap(),
            out.to_str().unwrap(),
        ])
        .env("SOURCE_DATE_EPOCH", crate::support::CORPUS_EPOCH)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(report.contains("check-build: OK"), "{report}");
}
