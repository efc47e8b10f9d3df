//! The versions `package.rs` writes into every generated `Cargo.toml` are
//! string literals; these tests tie them to the workspace's own manifests, so
//! that a dependency bump in `codegen/` or `runtime/` cannot leave the
//! generated crates pinned to the old version.

use std::path::{Path, PathBuf};

use codegen::package::{self, PROGENITOR_VERSION, RUNTIME_VERSION};
use codegen::settings::Settings;

fn repo_root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .canonicalize()
        .expect("repository root")
}

fn manifest(rel: &str) -> toml::Table {
    let path = repo_root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The version requirement of a dependency entry (`"1"` or `{ version = "1" }`).
fn requirement(entry: &toml::Value) -> Option<&str> {
    match entry {
        toml::Value::String(version) => Some(version),
        toml::Value::Table(table) => table.get("version")?.as_str(),
        _ => None,
    }
}

/// Every `name = requirement` in the `[dependencies]` and `[dev-dependencies]`
/// of a manifest.
fn dependencies(manifest: &toml::Table) -> Vec<(String, String, &'static str)> {
    let mut out = Vec::new();
    for section in ["dependencies", "dev-dependencies"] {
        let Some(table) = manifest.get(section).and_then(|t| t.as_table()) else {
            continue;
        };
        for (name, entry) in table {
            if let Some(version) = requirement(entry) {
                out.push((name.clone(), version.to_owned(), section));
            }
        }
    }
    out
}

/// A generated `Cargo.toml` that names every optional dependency.
fn generated_manifest() -> toml::Table {
    let settings: Settings =
        toml::from_str("[crate]\nname = \"x\"\nversion = \"0.1.0\"\ndescription = \"x\"\n")
            .expect("settings parse");
    let code = "::uuid:: ::chrono:: ::regress:: futures::";
    package::cargo_toml(
        &settings,
        "0.1.0",
        "specs/x.settings.toml",
        code,
        "../../runtime",
    )
    .parse()
    .expect("generated Cargo.toml parses")
}

#[test]
fn progenitor_version_is_the_one_codegen_generates_with() {
    let codegen = manifest("codegen/Cargo.toml");
    let pin = requirement(&codegen["dependencies"]["progenitor-impl"]);
    assert_eq!(
        pin,
        Some(format!("={PROGENITOR_VERSION}").as_str()),
        "codegen/Cargo.toml pins progenitor-impl {pin:?}, package::PROGENITOR_VERSION is {PROGENITOR_VERSION:?}"
    );
    let runtime = manifest("runtime/Cargo.toml");
    let client = requirement(&runtime["dependencies"]["progenitor-client"]);
    assert_eq!(
        client,
        Some(format!("={PROGENITOR_VERSION}").as_str()),
        "runtime/Cargo.toml pins progenitor-client {client:?}, package::PROGENITOR_VERSION is {PROGENITOR_VERSION:?}"
    );
}

#[test]
fn runtime_version_is_the_runtime_crates_version() {
    let runtime = manifest("runtime/Cargo.toml");
    let version = runtime["package"]["version"].as_str();
    assert_eq!(
        version,
        Some(RUNTIME_VERSION),
        "runtime/Cargo.toml is version {version:?}, package::RUNTIME_VERSION is {RUNTIME_VERSION:?}"
    );
}

#[test]
fn generated_dependencies_match_the_runtimes() {
    // The generated code hands reqwest, serde and uuid values to the runtime
    // and back: a requirement that differs could resolve to two versions
    // whose types do not mix.
    let runtime = dependencies(&manifest("runtime/Cargo.toml"));
    let generated = dependencies(&generated_manifest());
    let mut compared = Vec::new();
    for (name, version, section) in &generated {
        let in_runtime: Vec<&str> = runtime
            .iter()
            .filter(|(n, _, _)| n == name)
            .map(|(_, v, _)| v.as_str())
            .collect();
        for theirs in in_runtime {
            assert_eq!(
                version, theirs,
                "generated [{section}] {name} = {version:?}, runtime/Cargo.toml has {theirs:?}"
            );
            compared.push(name.as_str());
        }
    }
    for name in [
        "progenitor-client",
        "reqwest",
        "serde",
        "serde_json",
        "uuid",
        "httpmock",
        "tokio",
    ] {
        assert!(
            compared.contains(&name),
            "{name} was not compared: {compared:?}"
        );
    }
}

#[test]
fn generated_package_fields_match_the_workspace() {
    let workspace = manifest("Cargo.toml");
    let shared = workspace["workspace"]["package"]
        .as_table()
        .expect("[workspace.package]");
    let generated = generated_manifest();
    for field in ["edition", "rust-version", "license"] {
        assert_eq!(
            generated["package"].get(field),
            shared.get(field),
            "generated Cargo.toml's `{field}` differs from [workspace.package]"
        );
    }
}
