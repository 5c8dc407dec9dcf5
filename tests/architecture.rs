//! The code's layering (ARCHITECTURE.md): data flows one way, so no
//! top-level module of `src/` uses another that uses it back, directly or
//! through others. A cycle means a helper is in the wrong home.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Top-level module → (module it uses → a file that uses it).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// Every `crate::module` a top-level module's code names (comments aside).
fn graph(src: &Path) -> Graph {
    let modules: BTreeSet<String> = fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .filter(|m| !["lib", "main", "cli"].contains(&m.as_str()))
        .collect();
    let mut graph = Graph::new();
    for module in &modules {
        let edges = graph.entry(module.clone()).or_default();
        for file in rust_files(&src.join(module)) {
            let text = fs::read_to_string(&file).unwrap();
            let code = text.lines().filter(|l| !l.trim_start().starts_with("//"));
            for line in code {
                for used in line.split("crate::").skip(1) {
                    let name: String = used
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if modules.contains(&name) && name != *module {
                        let shown = file.strip_prefix(src).unwrap().display().to_string();
                        edges.entry(name).or_insert(shown);
                    }
                }
            }
        }
    }
    graph
}

/// `dir.rs` and every `.rs` file under `dir/`.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let single = dir.with_extension("rs");
    if single.is_file() {
        files.push(single);
    }
    if dir.is_dir() {
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
    }
    files
}

/// A cycle through `graph`, as the modules on it in order, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            return Some(path[at..].to_vec());
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_top_level_module_uses_one_that_uses_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph(&src);
    assert!(graph.contains_key("pipeline") && graph["build"].contains_key("pipeline"));
    if let Some(cycle) = find_cycle(&graph) {
        let mut steps = Vec::new();
        for (i, from) in cycle.iter().enumerate() {
            let to = &cycle[(i + 1) % cycle.len()];
            steps.push(format!("{from} -> {to} (in src/{})", graph[from][to]));
        }
        panic!("an import cycle:\n  {}", steps.join("\n  "));
    }
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let edge = |to: &str| (to.to_string(), "x.rs".to_string());
    let mut graph = Graph::new();
    graph.insert("a".into(), [edge("b")].into());
    graph.insert("b".into(), [edge("c")].into());
    graph.insert("c".into(), BTreeMap::new());
    assert_eq!(find_cycle(&graph), None);
    graph.insert("c".into(), [edge("a")].into());
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into()])
    );
}
