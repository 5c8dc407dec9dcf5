//! A generated corpus (`bench/corpus.py`) builds, with a page for every
//! published item and none for the rest, as the generator's own
//! `--check-build` sees it.

#[test]
#[ignore = "slow tier: generates and builds a 1,000-story corpus"]
fn a_thousand_story_corpus_builds_with_every_published_page() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let out = dir.path().join("out");
    crate::support::gen_corpus(&corpus, &["--stories", "1000"]);

    crate::support::build_corpus(&corpus, &out);

    let checked = crate::support::run_corpus_py(
        crate::support::corpus_py()
            .arg("--check-build")
            .arg(&corpus)
            .arg(&out)
            .env("SOURCE_DATE_EPOCH", crate::support::CORPUS_EPOCH),
    );
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(report.contains("check-build: OK"), "{report}");
}
