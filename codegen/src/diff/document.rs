//! Document-level changes: schemas removed from `components`, and whether
//! `info.version` moved the way the changes need (oasdiff's versioning
//! policy: a breaking change should come with a new major version).

use serde_json::Value;

use super::engine::Differ;
use super::rules::{self, Rule};
use super::{Change, Compat, Direction, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;

impl<'a> Differ<'a> {
    /// Reports the schemas under `components/schemas` that the revision
    /// no longer has.
    pub(super) fn component_schemas(&mut self) {
        let schemas = |root: &'a Value| {
            root.get("components")
                .and_then(|c| c.get("schemas"))
                .and_then(Value::as_object)
        };
        let empty = serde_json::Map::new();
        let sa = schemas(self.base).unwrap_or(&empty);
        let sb = schemas(self.rev).unwrap_or(&empty);
        let removed: Vec<&String> = sa.keys().filter(|n| !sb.contains_key(*n)).collect();
        let ptr = JsonPointer::root().join("components").join("schemas");
        for name in removed {
            self.emit(
                &rules::API_SCHEMA_REMOVED,
                None,
                Direction::None,
                &ptr.join(name),
                Side::Base,
                // Its generated type is gone.
                Semver::Major,
                format!("schema `{name}` removed"),
            );
        }
    }
}

/// `major.minor.patch` of a version like `v1.2.3-beta+7`.
fn parse_semver(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.strip_prefix('v').unwrap_or(version);
    let core = core.split(['-', '+']).next()?;
    let mut parts = core.split('.');
    let mut next = || -> Option<u64> {
        let part = parts.next()?;
        if part.is_empty() || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        part.parse().ok()
    };
    let version = (next()?, next()?, next()?);
    parts.next().is_none().then_some(version)
}

/// The document's `info.version`.
fn info_version(root: &Value) -> Option<&str> {
    root.get("info")?.get("version")?.as_str()
}

/// Appends oasdiff's versioning-policy finding, if any: when a change is
/// breaking, `info.version` should have a new major version (a new minor
/// one while the major version is 0).
pub(super) fn versioning(base: &Value, revision: &Value, changes: &mut Vec<Change>) {
    let (Some(va), Some(vb)) = (info_version(base), info_version(revision)) else {
        return;
    };
    let (Some(a), Some(b)) = (parse_semver(va), parse_semver(vb)) else {
        return;
    };
    if !changes.iter().any(|c| c.compat == Compat::Breaking) {
        return;
    }
    let (rule, message): (&'static Rule, String) = if va == vb {
        (
            &rules::API_VERSION_NOT_BUMPED,
            format!("there is a breaking change but `info.version` is still {vb}"),
        )
    } else if b <= a {
        (
            &rules::API_VERSION_DECREASED,
            format!("there is a breaking change but `info.version` went down from {va} to {vb}"),
        )
    } else if !(if a.0 == 0 && b.0 == 0 {
        b.1 > a.1
    } else {
        b.0 > a.0
    }) {
        (
            &rules::API_MAJOR_VERSION_NOT_BUMPED,
            format!(
                "there is a breaking change but the major version did not go up ({va} to {vb})"
            ),
        )
    } else {
        return;
    };
    changes.push(Change {
        id: String::new(),
        rule: rule.id,
        operation: None,
        direction: Direction::None,
        pointer: "/info/version".to_owned(),
        side: Side::Revision,
        path: String::new(),
        line: None,
        message,
        compat: rule.compat,
        semver: Semver::Patch,
        accepted: None,
    });
}

#[cfg(test)]
mod tests {
    use super::parse_semver;

    #[test]
    fn versions() {
        assert_eq!(parse_semver("1.2.3"), Some((1, 2, 3)));
        assert_eq!(parse_semver("v0.10.0-beta.1+7"), Some((0, 10, 0)));
        assert_eq!(parse_semver("1.2"), None);
        assert_eq!(parse_semver("2024-01-01"), None);
    }
}
