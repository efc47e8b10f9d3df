//! Semantic-versioning levels, and how a crate version moves by one.

use std::fmt;

/// How much a change breaks Rust code that uses a generated crate, by the
/// Cargo SemVer rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Semver {
    /// Nothing a caller can observe at compile time or run time changes
    /// (documentation, or values the generated code does not use).
    Patch,
    /// Additions only: new methods, or values accepted that were rejected.
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
