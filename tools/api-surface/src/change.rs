//! The change model: what happened to one public item, and the SemVer level
//! it needs.

use std::fmt;

/// How much a change breaks Rust code that uses a crate, by the Cargo
/// SemVer rules.
///
/// The same levels as `codegen::semver::Semver`, which this crate does not
/// depend on (see the crate documentation); the tests that compare the two
/// map one to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Semver {
    /// Nothing a caller can observe at compile time changes; bodies or
    /// attributes may have.
    Patch,
    /// Additions only: new items, or values accepted that were rejected.
    Minor,
    /// Code that compiled or worked before may fail to compile or fail at
    /// run time.
    Major,
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        })
    }
}

/// One difference between the public APIs of two versions of a crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChange {
    /// The path-like key of the item, e.g. `types::Customer::tags` or
    /// `impl Default for types::Customer`.
    pub item: String,
    /// Whether the item was added, removed or changed.
    pub kind: ApiChangeKind,
    /// How much the change breaks code that uses the crate.
    pub semver: Semver,
    /// A sentence saying what changed and why it has this level.
    pub detail: String,
}

/// What happened to an item between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApiChangeKind {
    /// The item exists only in the new version.
    Added,
    /// The item exists only in the old version.
    Removed,
    /// The item exists in both versions, with a different signature or
    /// behaviour.
    Changed,
}

impl fmt::Display for ApiChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiChangeKind::Added => "added",
            ApiChangeKind::Removed => "removed",
            ApiChangeKind::Changed => "changed",
        })
    }
}

impl fmt::Display for ApiChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} `{}`: {}",
            self.semver, self.kind, self.item, self.detail
        )
    }
}
