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

/// A folder of specs and the folder their crates are generated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecSet {
    /// The specs, relative to the repository root.
    pub specs: &'static str,
    /// Where their crates go, relative to the repository root; two levels
    /// deep, like `generated/`, so the crates' relative paths to `runtime/`
    /// hold.
    pub generated: &'static str,
}

/// The spec sets `cargo xtask generate` regenerates: the vendor APIs the
/// project ships (`specs/` → `generated/`), and test APIs of the
/// project's own (`tests/specs/` → `tests/generated/`), whose crates the
/// conformance tests compile and drive. Only the first set is diffed and
/// released.
pub const SPEC_SETS: [SpecSet; 2] = [
    SpecSet {
        specs: SPECS_DIR,
        generated: GENERATED_DIR,
    },
    SpecSet {
        specs: "tests/specs",
        generated: "tests/generated",
    },
];

/// The spec set a spec path (relative to the root) belongs to; specs
/// outside every set's folder generate into `generated/`.
pub fn spec_set_of(spec_rel: &Path) -> SpecSet {
    SPEC_SETS
        .iter()
        .copied()
        .rev()
        .find(|set| spec_rel.parent() == Some(Path::new(set.specs)))
        .unwrap_or(SPEC_SETS[0])
}

/// The spec files under `root/specs`, sorted: every `.yaml`, `.yml` and
/// `.json` file.
pub fn spec_files(root: &Path) -> Result<Vec<PathBuf>> {
    files_in(root, SPECS_DIR)
}

/// The spec files of every [`SPEC_SETS`] entry, set by set, each set
/// sorted; a set whose folder does not exist has none.
pub fn all_spec_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for set in SPEC_SETS {
        if set.specs == SPECS_DIR || root.join(set.specs).is_dir() {
            out.extend(files_in(root, set.specs)?);
        }
    }
    Ok(out)
}

fn files_in(root: &Path, specs_dir: &str) -> Result<Vec<PathBuf>> {
    let dir = root.join(specs_dir);
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
            out.push(PathBuf::from(specs_dir).join(entry.file_name()));
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
    /// Findings the settings make warnings rather than errors.
    pub warnings: Vec<crate::error::Diagnostic>,
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
    let (model, warnings) = validate::validate_with(&spec, &settings.validation)?;
    let decision = version::decide(root, spec_rel, spec.value(), &settings)?;
    let emitted = emit::emit(&spec, &model, &settings)?;
    let code = format::format_file(&spec_source, &emitted.file);

    let crate_dir = PathBuf::from(spec_set_of(spec_rel).generated).join(&settings.krate.name);
    let files = vec![
        GeneratedFile {
            path: crate_dir.join("Cargo.toml"),
            contents: package::cargo_toml(
                &settings,
                &decision.version,
                &settings_source,
                &code,
                &runtime_path(&crate_dir),
            ),
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
        warnings,
    })
}

/// Generates every spec of every [`SPEC_SETS`] entry, returning their files.
pub fn generate_all(root: &Path) -> Result<Vec<GeneratedFile>> {
    Ok(generate_crates(root)?
        .into_iter()
        .flat_map(|generated| generated.files)
        .collect())
}

/// Generates every spec of every [`SPEC_SETS`] entry. Fails on the first
/// spec that fails, or when two specs claim the same crate name.
pub fn generate_crates(root: &Path) -> Result<Vec<GeneratedCrate>> {
    let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut out = Vec::new();
    for spec in all_spec_files(root)? {
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

/// The path from a crate folder (relative to the root) to `runtime/`.
fn runtime_path(crate_dir: &Path) -> String {
    let depth = crate_dir.components().count();
    format!("{}runtime", "../".repeat(depth))
}

/// A relative path with `/` separators on every platform, for file headers.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
