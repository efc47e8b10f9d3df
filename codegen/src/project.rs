//! The whole repository at once: every spec in `specs/` with its settings,
//! turned into the set of files under `generated/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::write::GeneratedFile;
use crate::{emit, format, load, package, settings::Settings, validate, version};

/// The folder, relative to the repository root, that holds the specs.
pub const SPECS_DIR: &str = "specs";
/// The folder, relative to the repository root, that holds generated crates.
pub const GENERATED_DIR: &str = "generated";

/// The spec files under `root/specs`, sorted: every `.yaml`, `.yml` and
/// `.json` file.
pub fn spec_files(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = root.join(SPECS_DIR);
    let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        action: "cannot list specs in",
        source,
    })?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.clone(),
            action: "cannot list specs in",
            source,
        })?;
        let path = entry.path();
        let is_spec = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
        if is_spec && path.is_file() {
            out.push(PathBuf::from(SPECS_DIR).join(entry.file_name()));
        }
    }
    out.sort();
    Ok(out)
}

/// One spec's crate, generated in memory.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    /// The spec, relative to the repository root.
    pub spec: PathBuf,
    /// The settings read beside it.
    pub settings: Settings,
    /// The version the crate carries, and why.
    pub version: version::VersionDecision,
    /// The crate's machine-owned files.
    pub files: Vec<GeneratedFile>,
}

/// Loads, validates and generates one spec (a path relative to `root`),
/// returning the crate's machine-owned files. Nothing is written.
pub fn generate_spec(root: &Path, spec_rel: &Path) -> Result<(Settings, Vec<GeneratedFile>)> {
    let generated = generate_crate(root, spec_rel)?;
    Ok((generated.settings, generated.files))
}

/// Like [`generate_spec`], keeping the version decision too.
pub fn generate_crate(root: &Path, spec_rel: &Path) -> Result<GeneratedCrate> {
    let spec_source = slash_path(spec_rel);
    let settings_rel = Settings::path_for(spec_rel);
    let settings_source = slash_path(&settings_rel);
    let settings =
        Settings::load(&root.join(&settings_rel)).map_err(|err| relabel(err, &settings_rel))?;
    let spec = load::load_str(spec_rel, &read(root, spec_rel)?)?;
    let model = validate::validate(&spec)?;
    let decision = version::decide(root, spec_rel, spec.value(), &settings)?;
    let emitted = emit::emit(&spec, &model, &settings)?;
    let code = format::format_file(&spec_source, &emitted.file);

    let crate_dir = PathBuf::from(GENERATED_DIR).join(&settings.krate.name);
    let files = vec![
        GeneratedFile {
            path: crate_dir.join("Cargo.toml"),
            contents: package::cargo_toml(&settings, &decision.version, &settings_source, &code),
        },
        GeneratedFile {
            path: crate_dir.join("README.md"),
            contents: package::readme(&model, &emitted, &settings, &spec_source),
        },
        GeneratedFile {
            path: crate_dir.join("src").join("generated.rs"),
            contents: code,
        },
    ];
    Ok(GeneratedCrate {
        spec: spec_rel.to_owned(),
        settings,
        version: decision,
        files,
    })
}

/// Generates every spec under `root/specs`, returning their files.
pub fn generate_all(root: &Path) -> Result<Vec<GeneratedFile>> {
    Ok(generate_crates(root)?
        .into_iter()
        .flat_map(|generated| generated.files)
        .collect())
}

/// Generates every spec under `root/specs`. Fails on the first spec that
/// fails, or when two specs claim the same crate name.
pub fn generate_crates(root: &Path) -> Result<Vec<GeneratedCrate>> {
    let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut out = Vec::new();
    for spec in spec_files(root)? {
        let generated = generate_crate(root, &spec)?;
        let name = &generated.settings.krate.name;
        if let Some(other) = names.insert(name.clone(), spec.clone()) {
            return Err(Error::Settings {
                path: Settings::path_for(&spec),
                message: format!("crate name `{name}` is already used by {}", other.display()),
            });
        }
        out.push(generated);
    }
    Ok(out)
}

fn read(root: &Path, rel: &Path) -> Result<String> {
    std::fs::read_to_string(root.join(rel)).map_err(|source| Error::Io {
        path: rel.to_owned(),
        action: "cannot read spec",
        source,
    })
}

/// Reports paths relative to the repository root rather than absolute.
fn relabel(err: Error, rel: &Path) -> Error {
    match err {
        Error::Io { action, source, .. } => Error::Io {
            path: rel.to_owned(),
            action,
            source,
        },
        Error::Settings { message, .. } => Error::Settings {
            path: rel.to_owned(),
            message,
        },
        other => other,
    }
}

/// A relative path with `/` separators on every platform, for file headers.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
