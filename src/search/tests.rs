//! The search index against upstream Pagefind's own path, and as brum
//! hands pages over.

use super::*;

#[test]
fn urls_are_relative_to_the_base_path() {
    assert_eq!(url_of("stories/x/index.html"), "/stories/x/");
    assert_eq!(url_of("about/index.html"), "/about/");
}

fn page(path: &str, body: &str) -> Document {
    Document {
        path: path.into(),
        html: Arc::new(
            format!("<html lang=\"en\"><body><main data-pagefind-body><h1>{body}</h1><p>{body}</p></main></body></html>").into_bytes(),
        ),
    }
}

#[test]
fn an_index_has_the_script_and_the_pages() {
    let files = build(
        Some("en-GB"),
        [
            page("stories/a/index.html", "Canals"),
            page("stories/b/index.html", "Balti"),
        ],
    )
    .unwrap();
    assert!(files.contains_key("pagefind/pagefind.js"));
    assert!(!files.contains_key("pagefind/pagefind-ui.js"));
    assert!(files.contains_key("pagefind/pagefind-entry.json"));
    let fragments = files.keys().filter(|k| k.ends_with(".pf_fragment")).count();
    assert_eq!(fragments, 2);
}

#[test]
fn kept_records_give_the_index_a_fresh_build_gives() {
    let a = page("stories/a/index.html", "Canals");
    let b = page("stories/b/index.html", "Balti");
    let c = page("stories/c/index.html", "Jewellery");
    let mut records = Records::new(Some("en-GB")).unwrap();
    let first = records.index(&[a.clone(), b.clone()]).unwrap();
    assert_eq!(first.parsed, 2);
    let b2 = page("stories/b/index.html", "Bullring");
    let second = records.index(&[c.clone(), b2.clone(), a.clone()]).unwrap();
    assert_eq!(second.parsed, 2, "only the new and the changed page");
    assert_eq!(second.files, build(Some("en-GB"), [a, b2, c]).unwrap());
}

/// The index upstream Pagefind's own API makes of `pages`, and the one
/// page records make (zlib's bytes and libdeflate's, at level 9).
fn both_ways(language: Option<&str>, pages: &[(&str, &str)]) -> (Files, Files) {
    let config = || match language {
        Some(l) => PagefindServiceConfig::builder()
            .force_language(l.into())
            .build(),
        None => PagefindServiceConfig::builder().build(),
    };
    let owned = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter()
            .map(|(u, h)| (u.to_string(), h.to_string()))
            .collect()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let upstream = runtime.block_on(async {
        let mut index = pagefind::api::PagefindIndex::new(Some(config())).unwrap();
        index.add_html_files(owned(pages)).await.unwrap();
        index.get_files().await.unwrap()
    });
    let maker = RecordIndexer::new(Some(config()), 9).unwrap();
    let mut memo = WordMemo::default();
    let records: Vec<PageRecord> = owned(pages)
        .into_iter()
        .map(|(url, html)| maker.record(url, html, &mut memo).unwrap())
        .collect();
    let records: Vec<Arc<PageRecord>> = records.into_iter().map(Arc::new).collect();
    let ours = maker.assemble_once(&records).unwrap();
    let named = |files: Vec<pagefind::IndexFile>| -> Files {
        files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().into_owned(), f.contents))
            .collect()
    };
    (named(upstream), named(ours))
}

const RICH: &[(&str, &str)] = &[
    (
        "/a/",
        r#"<html lang="en"><head><title>A</title></head><body><nav>Menu</nav>
        <main data-pagefind-body data-pagefind-filter="type:Story" data-pagefind-meta="type:Story">
        <h1 id="top">Café culture in Digbeth</h1><p>The café on the high-street serves naïve
        coffee; sysconfig.is_python_build and camelCaseWords. <a data-pagefind-filter="topic">Culture</a></p>
        <h2 id="more">More about Digbeth</h2><p data-pagefind-weight="3">Weighted words here.</p>
        <img src="/x.jpg" alt="A picture"><div data-pagefind-ignore>Hidden words</div>
        <span data-pagefind-sort="date:2021-01-02"></span></main></body></html>"#,
    ),
    (
        "/b/",
        r#"<html lang="en"><body><main data-pagefind-body data-pagefind-filter="type:Page" data-pagefind-meta="type:Page">
        <h1>Balti Triangle</h1><p>Café and balti; the Bullring’s markets — £5 each. <a data-pagefind-filter="topic">Culture</a>
        <a data-pagefind-filter="topic">Economy</a></p><span data-pagefind-sort="date:2020-05-06"></span></main></body></html>"#,
    ),
    (
        "/c/",
        r#"<html lang="pl"><body><main data-pagefind-body><h1>Zażółć gęślą jaźń</h1><p>Kawiarnia w Birmingham.</p></main></body></html>"#,
    ),
    (
        "/d/",
        r#"<html><body><main data-pagefind-body><h1>No language</h1><p>Canals and more canals.</p></main></body></html>"#,
    ),
    (
        "/e/",
        r#"<html lang="en"><body><p>No body mark, so not indexed.</p></body></html>"#,
    ),
];

#[test]
fn records_make_the_index_upstream_pagefind_makes() {
    for language in [Some("en"), None] {
        let (upstream, ours) = both_ways(language, RICH);
        assert_same_files(&upstream, &ours, &format!("{language:?}"));
    }
}

/// The same file names, and each file the same bytes once gunzipped
/// (named in `context` when not: the bytes themselves are too long to
/// print). Records gzip with libdeflate, upstream with zlib: the same
/// content, other bytes.
fn assert_same_files(expected: &Files, actual: &Files, context: &str) {
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        actual.keys().collect::<Vec<_>>(),
        "{context}"
    );
    for (name, bytes) in expected {
        assert!(
            gunzipped(&actual[name]) == gunzipped(bytes),
            "{name} differs ({context})"
        );
    }
}

/// `bytes` gunzipped when they are gzip, else as they are.
fn gunzipped(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return bytes.to_vec();
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a whole gzip stream");
    out
}

/// The index of `pages` parsed whole, and parsed as brum hands them over.
fn whole_and_viewed(pages: &[(&str, &str)]) -> (Vec<pagefind::IndexFile>, Files) {
    let maker = record_indexer(Some("en")).unwrap();
    let mut memo = WordMemo::default();
    let whole: Vec<Arc<PageRecord>> = pages
        .iter()
        .map(|(u, h)| {
            Arc::new(
                maker
                    .record(u.to_string(), h.to_string(), &mut memo)
                    .unwrap(),
            )
        })
        .collect();
    let viewed = build(
        Some("en"),
        pages.iter().map(|(u, h)| Document {
            path: format!("{}index.html", &u[1..]),
            html: Arc::new(h.as_bytes().to_vec()),
        }),
    )
    .unwrap();
    (maker.assemble_once(&by_url(whole)).unwrap(), viewed)
}

#[test]
fn pages_cut_to_their_body_give_the_index_whole_pages_give() {
    let chrome = |body: &str| {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Site</title>\
             <meta data-pagefind-meta=\"kind:page\"></head><body>\
             <a href=\"#main\" id=\"skip\">Skip</a><header><img src=\"/logo.svg\" alt=\"Logo\">\
             <nav><a href=\"/\">Home</a></nav>\
             <p>Header words</p></header><main id=\"main\">{body}</main>\
             <footer><p>Footer words and more</p></footer></body></html>"
        )
    };
    let bodies = [
        "<article data-pagefind-body><h1 id=\"t\">Canals</h1><p>Locks and <b>boats</b>.</p>\
         <h2 id=\"more\">More</h2><p>Towpaths <span data-pagefind-filter=\"topic\">Culture</span></p></article>",
        "<article data-pagefind-body data-pagefind-meta=\"type:Story\"><h1>Balti</h1>\
         <img src=\"/b.jpg\" alt=\"A bowl\"><article><p>Nested <!-- more --> article</p></article></article>",
        "<div data-pagefind-body><p>No title here</p><!-- <div> --></div>",
        "<div data-pagefind-body><h1>Title, no picture</h1><p>Words</p></div>",
    ];
    let pages: Vec<(String, String)> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| (format!("/p{i}/"), chrome(b)))
        .collect();
    let pages: Vec<(&str, &str)> = pages
        .iter()
        .map(|(u, h)| (u.as_str(), h.as_str()))
        .collect();
    for (url, html) in &pages {
        assert!(
            matches!(reading::pagefind_view(html), std::borrow::Cow::Owned(_)),
            "{url}"
        );
    }
    let (whole, viewed) = whole_and_viewed(&pages);
    assert_same_files(&named(whole), &viewed, "whole and cut pages");
}

/// Pages whose text Pagefind's parser handles in its odd corners: an
/// element with no end tag among the ones it leaves out (`<svg/>`,
/// `<iframe/>`), which drops its parent's text; and those it leaves out
/// inside, around and outside the indexed part. The texts are what
/// Pagefind 1.6.0 as published gives (checked when its element handler
/// was patched, vendor/pagefind/PATCHED.md section 11).
#[test]
fn the_parser_leaves_out_what_upstream_pagefind_leaves_out() {
    let page = |body: &str| {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>T</title></head><body>\
             <header>Head</header><main><h1>Page</h1>{body}</main><nav>Outside</nav></body></html>"
        )
    };
    let cases = [
        ("<p>Before <svg/> after</p><p>More</p>", "Head Page. More."),
        (
            "<div>Keep<nav data-pagefind-ignore=\"all\">Nav</nav> this</div>",
            "Head Page. Keep this.",
        ),
        (
            "<p>Text</p><footer>Foot</footer><form>Form text<input name=x></form>",
            "Head Page. Text.",
        ),
        (
            "<p>a<label>Label</label>b</p><noscript>NS</noscript><template>T</template>\
             <iframe src=x></iframe><p>end<iframe/>tail</p>",
            "Head Page. ab. end",
        ),
        (
            "<section><style>.x{}</style><script>var x</script><svg><title>S</title></svg>Done</section>",
            "Head Page. Done.",
        ),
    ];
    for (body, text) in cases {
        let files = build(
            Some("en"),
            [Document {
                path: "p/index.html".into(),
                html: Arc::new(page(body).into_bytes()),
            }],
        )
        .unwrap();
        let (_, fragment) = files
            .iter()
            .find(|(name, _)| name.ends_with(".pf_fragment"))
            .unwrap();
        let json = String::from_utf8(gunzipped(fragment)).unwrap();
        assert!(
            json.contains(&format!("\"content\":\"{text}\"")),
            "{body}: {json}"
        );
    }
}

#[test]
fn the_files_given_early_and_the_rest_are_the_whole_index() {
    let pages = || {
        [
            page("stories/a/index.html", "Canals"),
            page("stories/b/index.html", "Balti"),
        ]
    };
    let whole = build(Some("en-GB"), pages()).unwrap();
    let indexer = Indexer::start(Some("en-GB")).unwrap();
    indexer.add_all(pages().into());
    let early = Mutex::new(Files::new());
    let index = indexer
        .finish_early(&|files| early.lock().unwrap().extend(files))
        .unwrap();
    let early = early.into_inner().unwrap();
    let fragments = early.keys().filter(|k| k.ends_with(".pf_fragment")).count();
    assert_eq!(fragments, 2, "{:?}", early.keys());
    assert!(index.files.contains_key("pagefind/pagefind.js"));
    assert!(early.keys().all(|k| !index.files.contains_key(k)));
    let mut all = index.files;
    all.extend(early);
    assert_eq!(all, whole);
}
