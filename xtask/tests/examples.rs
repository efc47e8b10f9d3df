//! The generated crates' examples: cargo builds every workspace example into
//! one folder, so two with the same name collide (cargo only warns), and the
//! commands the documentation gives must name examples that exist.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The real repository root.
fn repo_root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .canonicalize()
        .expect("repository root")
}

/// Every generated crate's folder with the names of its examples.
fn examples() -> BTreeMap<PathBuf, Vec<String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(repo_root().join("generated")).unwrap() {
        let krate = entry.unwrap().path();
        let mut names = Vec::new();
        if let Ok(files) = std::fs::read_dir(krate.join("examples")) {
            for file in files {
                let path = file.unwrap().path();
                if path.extension().is_some_and(|e| e == "rs") {
                    names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
                }
            }
        }
        out.insert(krate, names);
    }
    out
}

#[test]
fn example_names_are_unique_across_the_workspace() {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (krate, names) in examples() {
        for name in names {
            if let Some(other) = seen.insert(name.clone(), krate.clone()) {
                panic!(
                    "example `{name}` is in both {} and {}: cargo's output files collide",
                    other.display(),
                    krate.display()
                );
            }
        }
    }
}

/// The `--example NAME` commands in a text, with the package each names.
fn example_commands(text: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '`')
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if *word == "--example" {
            let package = words[..i]
                .iter()
                .rposition(|w| *w == "-p")
                .map(|p| words[p + 1].to_owned())
                .unwrap_or_default();
            out.push((package, words[i + 1].to_owned()));
        }
    }
    out
}

#[test]
fn documented_example_commands_name_existing_examples() {
    let examples = examples();
    let root = repo_root();
    let mut documents = vec![root.join("README.md")];
    for (krate, names) in &examples {
        documents.push(krate.join("README.md"));
        documents.extend(
            names
                .iter()
                .map(|n| krate.join("examples").join(format!("{n}.rs"))),
        );
    }
    let mut found = 0;
    for document in documents {
        let text = std::fs::read_to_string(&document).unwrap();
        for (package, example) in example_commands(&text) {
            let names = examples
                .get(&root.join("generated").join(&package))
                .unwrap_or_else(|| {
                    panic!("{}: no generated crate `{package}`", document.display())
                });
            assert!(
                names.contains(&example),
                "{}: `cargo run -p {package} --example {example}`, but {package} has only {names:?}",
                document.display()
            );
            found += 1;
        }
    }
    assert!(found >= 6, "only {found} example commands found");
}
