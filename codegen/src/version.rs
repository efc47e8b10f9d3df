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

use std::path::{Path, PathBuf};

use crate::diff::{self, DiffOptions};
use crate::error::{Error, Result};
use crate::semver::Semver;
use crate::settings::Settings;

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
    /// The version in the settings file: the last release.
    pub released: String,
    /// The version the generated crate must carry.
    pub version: String,
    /// The highest SemVer level among the changes, if there are any.
    pub level: Option<Semver>,
    /// How many changes the differ found since the release.
    pub changes: usize,
    /// Whether a released copy of the spec exists.
    pub has_baseline: bool,
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
    let baseline_rel = released_path(spec_rel);
    let text = match std::fs::read_to_string(root.join(&baseline_rel)) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(VersionDecision {
                version: released.clone(),
                released,
                level: None,
                changes: 0,
                has_baseline: false,
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
    };
    let changes = diff::diff(&baseline.value, current, &options);
    let level = (!changes.is_empty()).then(|| diff::required_semver(&changes));
    let version = match level {
        Some(level) => bump(&released, level).ok_or_else(|| Error::Settings {
            path: Settings::path_for(spec_rel),
            message: format!("crate version `{released}` is not MAJOR.MINOR.PATCH"),
        })?,
        None => released.clone(),
    };
    Ok(VersionDecision {
        released,
        version,
        level,
        changes: changes.len(),
        has_baseline: true,
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
}
