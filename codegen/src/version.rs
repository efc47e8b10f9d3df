//! Versioning: a generated crate's version follows the differ's SemVer
//! verdict, measured against the spec as it was last released.
//!
//! The rule: `specs/released/<spec file>` is a copy of the spec at the last
//! release and the settings' `[crate] version` is the version released then.
//! `cargo xtask generate` diffs the released copy against the current spec and
//! writes into the generated `Cargo.toml` the released version bumped by the
//! highest level among the changes (for 0.x versions Cargo treats the minor
//! number as the breaking one, so major → 0.(m+1).0 and minor or patch →
//! 0.m.(p+1)). Without changes, or without a released copy, the released
//! version is used as is. Changes the differ does not report (descriptions,
//! samples) do not move the version. `cargo xtask release` makes the current
//! spec the released one and records the new version in the settings.
//!
//! The generator itself can change the generated API with the spec
//! unchanged (a new error type, open enums). Such a change raises
//! [`GENERATOR_EPOCH`]; a crate whose last release was generated with an
//! older epoch (`[crate] generator_epoch` in its settings, written by
//! `release`) gets a major bump at its next release. A crate never released
//! (no released copy) has no older API to break, so its version is the one
//! in its settings whatever the epoch.

use std::path::{Path, PathBuf};

use crate::diff::{self, DiffOptions};
use crate::error::{Error, Result};
use crate::semver::Semver;
use crate::settings::Settings;

/// Raised whenever the generator changes the public API of the crates it
/// generates from an unchanged spec. 2: the runtime's `Error`, open
/// `#[non_exhaustive]` enums, `Client::builder`, `schemes`, `API`, paging
/// streams and the `mock` module. 3: an optional nullable property is
/// `Option<Option<T>>`. 4: an optional property whose schema contains
/// itself is `Option<Box<T>>` (typify's `Box<Option<T>>` before).
pub const GENERATOR_EPOCH: u32 = 4;

/// The folder, relative to the repository root, holding released specs.
pub const RELEASED_DIR: &str = "specs/released";

/// Where the released copy of `spec_rel` lives.
pub fn released_path(spec_rel: &Path) -> PathBuf {
    let name = spec_rel.file_name().map(PathBuf::from).unwrap_or_default();
    PathBuf::from(RELEASED_DIR).join(name)
}

/// The version a crate needs, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionDecision {
    /// The version in the settings file: the last release, or for a crate
    /// never released, the version it starts with.
    pub released: String,
    /// The version the generated crate must carry.
    pub version: String,
    /// The highest SemVer level among the changes, if there are any.
    pub level: Option<Semver>,
    /// How many changes the differ found since the release.
    pub changes: usize,
    /// Whether a released copy of the spec exists.
    pub has_baseline: bool,
    /// Whether the generator changed the API since the release (its epoch
    /// is newer than the release's), which forces a major bump. Always
    /// `false` without a release.
    pub generator_changed: bool,
}

/// Decides the version for the spec at `spec_rel` (relative to `root`) with
/// current contents `current`.
pub fn decide(
    root: &Path,
    spec_rel: &Path,
    current: &serde_json::Value,
    settings: &Settings,
) -> Result<VersionDecision> {
    let released = settings.krate.version.clone();
    let generator_changed = settings.krate.generator_epoch < GENERATOR_EPOCH;
    let bumped = |level: Option<Semver>| -> Result<String> {
        match level {
            Some(level) => bump(&released, level).ok_or_else(|| Error::Settings {
                path: Settings::path_for(spec_rel),
                message: format!("crate version `{released}` is not MAJOR.MINOR.PATCH"),
            }),
            None => Ok(released.clone()),
        }
    };
    let generator_level = generator_changed.then_some(Semver::Major);
    let baseline_rel = released_path(spec_rel);
    let text = match std::fs::read_to_string(root.join(&baseline_rel)) {
        Ok(text) => text,
        // Never released: no generated API was published that a newer
        // generator could have changed.
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(VersionDecision {
                version: released.clone(),
                released,
                level: None,
                changes: 0,
                has_baseline: false,
                generator_changed: false,
            })
        }
        Err(source) => {
            return Err(Error::Io {
                path: baseline_rel,
                action: "cannot read released spec",
                source,
            })
        }
    };
    let baseline = crate::load::load_document(&baseline_rel, &text, false)?;
    let options = DiffOptions {
        optional_arrays: settings.generation.optional_arrays,
        // The deprecation policy grades the wire only, not the version.
        ..DiffOptions::default()
    };
    let changes = diff::diff(&baseline.value, current, &options).map_err(|source| Error::Diff {
        file: spec_rel.to_owned(),
        source: Box::new(source),
    })?;
    let spec_level = (!changes.is_empty()).then(|| diff::required_semver(&changes));
    let level = spec_level.max(generator_level);
    Ok(VersionDecision {
        version: bumped(level)?,
        released,
        level,
        changes: changes.len(),
        has_baseline: true,
        generator_changed,
    })
}

/// `version` moved up by `level`, with Cargo's rule for 0.x versions.
pub fn bump(version: &str, level: Semver) -> Option<String> {
    let parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [major, minor, patch] = parts[..] else {
        return None;
    };
    Some(match (major, level) {
        (0, Semver::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Semver::Major) => format!("{}.0.0", major + 1),
        (_, Semver::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Semver::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_follow_cargo_rules() {
        assert_eq!(bump("0.1.0", Semver::Major).as_deref(), Some("0.2.0"));
        assert_eq!(bump("0.1.3", Semver::Minor).as_deref(), Some("0.1.4"));
        assert_eq!(bump("0.1.3", Semver::Patch).as_deref(), Some("0.1.4"));
        assert_eq!(bump("1.2.3", Semver::Major).as_deref(), Some("2.0.0"));
        assert_eq!(bump("1.2.3", Semver::Minor).as_deref(), Some("1.3.0"));
        assert_eq!(bump("1.2.3", Semver::Patch).as_deref(), Some("1.2.4"));
        assert_eq!(bump("1.2", Semver::Patch), None);
    }

    fn settings(epoch: Option<u32>) -> Settings {
        let epoch = epoch
            .map(|e| format!("generator_epoch = {e}\n"))
            .unwrap_or_default();
        toml::from_str(&format!(
            "[crate]\nname = \"x\"\nversion = \"0.3.1\"\ndescription = \"x\"\n{epoch}"
        ))
        .expect("settings parse")
    }

    /// A release made by an older generator gets a major bump even when the
    /// spec is unchanged; one made by this generator does not.
    #[test]
    fn an_older_generator_epoch_forces_a_major_bump() {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = Path::new("specs/x.yaml");
        let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n";
        std::fs::create_dir_all(dir.path().join(RELEASED_DIR)).expect("mkdir");
        std::fs::write(dir.path().join(released_path(spec)), text).expect("write");
        let current: serde_json::Value = serde_json::json!({"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {}});

        let old = decide(dir.path(), spec, &current, &settings(None)).expect("decide");
        assert_eq!(old.version, "0.4.0");
        assert!(old.generator_changed);
        assert_eq!(old.level, Some(Semver::Major));
        assert_eq!(old.changes, 0);

        let same =
            decide(dir.path(), spec, &current, &settings(Some(GENERATOR_EPOCH))).expect("decide");
        assert_eq!(same.version, "0.3.1");
        assert!(!same.generator_changed);
        assert_eq!(same.level, None);
    }

    /// A spec with no released copy was never released: no generator epoch
    /// applies, and the version is the one its settings start with.
    #[test]
    fn a_spec_never_released_keeps_its_settings_version() {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = Path::new("specs/x.yaml");
        let current: serde_json::Value = serde_json::json!({"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {}});
        for epoch in [None, Some(1), Some(GENERATOR_EPOCH)] {
            let decision = decide(dir.path(), spec, &current, &settings(epoch)).expect("decide");
            assert!(!decision.has_baseline, "{epoch:?}");
            assert!(!decision.generator_changed, "{epoch:?}");
            assert_eq!(decision.level, None, "{epoch:?}");
            assert_eq!(decision.version, "0.3.1", "{epoch:?}");
            assert_eq!(decision.released, "0.3.1", "{epoch:?}");
        }
    }
}
