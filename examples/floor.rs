//! The floor: the least work any generator must do for a brum corpus. It
//! reads every content file, renders each Markdown body with pulldown-cmark
//! (brum's options), and writes one HTML file per item and per stories list
//! page (ten to a page), with no templates, no validation, in parallel.
//! `bench/run.py` times it beside brum and Hugo, to show how close brum is to
//! the limit of the machine.
//!
//!     cargo run --release --example floor -- CORPUS OUTPUT

use std::fs;
use std::path::{Path, PathBuf};

use brum::markdown::options;
use pulldown_cmark::{Parser, html};
use rayon::prelude::*;

/// (section, slug, title, html) for one content file.
fn render(path: &Path, content: &Path) -> Option<(String, String, String, String)> {
    let text = fs::read_to_string(path).ok()?;
    let rest = text.strip_prefix("+++")?;
    let end = rest.find("\n+++")?;
    let front = &rest[..end];
    let body = &rest[end + 4..];
    let title = front
        .lines()
        .find_map(|l| {
            l.strip_prefix("title = ")
                .or_else(|| l.strip_prefix("name = "))
        })
        .unwrap_or("")
        .trim_matches('"')
        .to_string();
    let rel = path.strip_prefix(content).ok()?;
    let section = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let slug = if path.file_name()? == "index.md" {
        path.parent()?.file_name()?.to_string_lossy().into_owned()
    } else {
        path.file_stem()?.to_string_lossy().into_owned()
    };
    let mut out = String::with_capacity(body.len() * 5 / 4);
    html::push_html(&mut out, Parser::new_ext(body, options()));
    Some((section, slug, title, out))
}

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [corpus, output] = args.as_slice() else {
        eprintln!("usage: floor CORPUS OUTPUT");
        std::process::exit(2);
    };
    let content = corpus.join("content");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.file_name() != "_index.md")
        .map(|e| e.into_path())
        .collect();
    let items: Vec<(String, String, String, String)> = files
        .par_iter()
        .filter_map(|p| render(p, &content))
        .collect();
    items.par_iter().for_each(|(section, slug, title, body)| {
        let dir = if section == "pages" {
            output.join(slug)
        } else {
            output.join(section).join(slug)
        };
        fs::create_dir_all(&dir).expect("create a folder");
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><title>{title}</title><main>{body}</main></html>"
        );
        fs::write(dir.join("index.html"), page).expect("write a page");
    });
    let stories: Vec<&(String, String, String, String)> =
        items.iter().filter(|i| i.0 == "stories").collect();
    stories.par_chunks(10).enumerate().for_each(|(n, chunk)| {
        let dir = if n == 0 {
            output.join("stories")
        } else {
            output.join(format!("stories/page/{}", n + 1))
        };
        fs::create_dir_all(&dir).expect("create a folder");
        let list: String = chunk
            .iter()
            .map(|(_, slug, title, _)| format!("<li><a href=\"/stories/{slug}/\">{title}</a></li>"))
            .collect();
        fs::write(
            dir.join("index.html"),
            format!(
                "<!DOCTYPE html><html lang=\"en\"><title>Stories</title><ul>{list}</ul></html>"
            ),
        )
        .expect("write a page");
    });
    println!(
        "floor: {} items, {} list pages into {}",
        items.len(),
        stories.len().div_ceil(10),
        output.display()
    );
}
