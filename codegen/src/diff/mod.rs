//! The spec differ: compares two versions of an OpenAPI 3.0 document and
//! classifies every change twice, for callers on the wire and for Rust code
//! using the generated crate.
//!
//! Rule names follow oasdiff's where one applies (see [`rules`]); the wire
//! levels follow oasdiff's published levels (ERR is breaking, WARN is
//! possibly breaking, INFO is non-breaking). The SemVer level comes from how
//! this project's generator maps each schema construct to Rust: for example a
//! new property is a new public field of an exhaustive struct (major), a new
//! optional query parameter is a new builder method (minor), and a new enum
//! value is a new variant of an open, `#[non_exhaustive]` Rust enum (minor).

mod bodies;
mod compositions;
pub mod config;
mod document;
mod engine;
mod facets;
mod headers;
mod lifecycle;
mod media_names;
mod operations;
mod parameters;
mod properties;
pub mod render;
pub mod rules;
mod schemas;
mod security;
mod servers;

pub use operations::path_shape;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use crate::semver::Semver;
use crate::settings::OptionalArrays;

/// How a change affects callers already using the API on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compat {
    /// Existing calls keep working.
    NonBreaking,
    /// Existing calls may stop working, depending on how they use the API.
    PossiblyBreaking,
    /// Existing calls can stop working.
    Breaking,
}

impl fmt::Display for Compat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compat::NonBreaking => "non-breaking",
            Compat::PossiblyBreaking => "possibly-breaking",
            Compat::Breaking => "breaking",
        })
    }
}

/// Which way the data a change concerns flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Sent by the client: parameters and request bodies.
    Request,
    /// Sent by the server: responses.
    Response,
    /// Neither: paths, security, servers.
    None,
}

/// Which of the two documents a pointer refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The older document (the element was removed or changed from here).
    Base,
    /// The newer document.
    Revision,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Base => "base",
            Side::Revision => "revision",
        })
    }
}

/// Why two documents cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// Two paths of one document differ only in the names of their path
    /// parameters and share a method, so they are the same endpoint.
    #[error("the {side} document has duplicate endpoints: `{method} {first}` and `{method} {second}` differ only in path parameter names (at {pointer})")]
    DuplicateEndpoint {
        /// The document with the duplicates.
        side: Side,
        /// The uppercase method.
        method: String,
        /// The first path, in document order.
        first: String,
        /// The second path.
        second: String,
        /// JSON pointer of the second operation.
        pointer: String,
    },
}

/// The operation a change belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct OperationRef {
    /// Uppercase HTTP method.
    pub method: String,
    /// Path template as written in the document the change is located in.
    pub path: String,
    /// The `operationId`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
}

impl fmt::Display for OperationRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if let Some(id) = &self.operation_id {
            write!(f, " ({id})")?;
        }
        Ok(())
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// A stable fingerprint of the change (see [`Change::fingerprint`]),
    /// set by [`diff`].
    pub id: String,
    /// The rule that found it: an oasdiff rule name where one applies.
    pub rule: &'static str,
    /// The operation, or `None` for document-level changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<OperationRef>,
    /// Request, response or neither.
    pub direction: Direction,
    /// JSON pointer of the changed element.
    pub pointer: String,
    /// The document `pointer` is in.
    pub side: Side,
    /// The property path inside the request or response body, e.g.
    /// `data[]/jobStatus`; empty for the body itself and outside bodies.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// 1-based line in the revision file of the changed element, or, for an
    /// element only the base has, of its nearest enclosing element; set by
    /// callers that index lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What changed, in words.
    pub message: String,
    /// The verdict for existing callers on the wire.
    pub compat: Compat,
    /// The verdict for Rust code using the generated crate.
    pub semver: Semver,
    /// Set when a reviewed-and-accepted entry of the diff settings covers
    /// the change: its reason (empty when it gives none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

impl Change {
    /// A fingerprint that stays the same while the change does: a hash of
    /// the rule, the operation (method and path with parameter names
    /// blanked), the property path and the message. It ignores pointers and
    /// lines, which move when unrelated parts of the document change, so a
    /// bot can tell findings it has seen from new ones.
    pub fn fingerprint(&self) -> String {
        // FNV-1a, 64 bits: small, stable across platforms and releases.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let operation = self
            .operation
            .as_ref()
            .map(|op| format!("{} {}", op.method, path_shape(&op.path)))
            .unwrap_or_default();
        for part in [self.rule, &operation, &self.path, &self.message] {
            for byte in part.bytes().chain([0xff]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }
}

/// How the generated crate maps schemas, which decides SemVer levels, and
/// the deprecation policy the wire verdicts follow.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiffOptions {
    /// How optional array properties are typed (see the settings file).
    pub optional_arrays: OptionalArrays,
    /// The minimum time between deprecation and sunset.
    pub deprecation: DeprecationPolicy,
}

/// oasdiff's deprecation policy: how many days at least must lie between
/// deprecating an operation, a parameter or a property and its sunset date
/// (`x-sunset`), by the operation's `x-stability-level` (draft and alpha
/// need none; an operation without a level counts as stable). With a
/// minimum above 0, deprecating without a sunset date is breaking (the
/// `*-deprecated-sunset-missing` rules), and so is a sunset date sooner than
/// the minimum (`*-sunset-date-too-small`, `*-sunset-date-changed-too-small`).
/// The default, 0 days for both, is oasdiff's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeprecationPolicy {
    /// Days for beta operations (oasdiff's `--deprecation-days-beta`).
    pub beta_days: u32,
    /// Days for stable operations (oasdiff's `--deprecation-days-stable`).
    pub stable_days: u32,
}

/// Compares two OpenAPI 3.0 documents given as JSON values. The changes
/// come sorted by operation, then pointer, then rule. A change is reported
/// once per operation: where an operation reaches the same changed element
/// along several property paths (a component used twice, or a recursive
/// schema), the shortest path is kept, which also makes the result
/// independent of the order operations are compared in.
///
/// A document with two paths that differ only in path parameter names (the
/// same endpoint twice) is refused.
pub fn diff(
    base: &Value,
    revision: &Value,
    options: &DiffOptions,
) -> Result<Vec<Change>, DiffError> {
    operations::check_duplicates(base, Side::Base)?;
    operations::check_duplicates(revision, Side::Revision)?;
    let mut changes = engine::diff(base, revision, options);
    changes.sort_by(|a, b| {
        (
            &a.operation,
            &a.pointer,
            a.rule,
            a.side,
            a.message.len(),
            &a.message,
        )
            .cmp(&(
                &b.operation,
                &b.pointer,
                b.rule,
                b.side,
                b.message.len(),
                &b.message,
            ))
    });
    // Body changes reached along several paths differ only in `path` (and
    // in the message, which names the path): compare them without it.
    let key = |c: &Change| {
        let leaf = c.path.rsplit('/').next().unwrap_or_default().to_owned();
        let detail = c.message.replacen(&format!("`{}`", c.path), "", 1);
        (
            c.operation.clone(),
            c.pointer.clone(),
            c.rule,
            c.side,
            leaf,
            detail,
        )
    };
    changes.dedup_by(|later, first| key(later) == key(first));
    document::versioning(base, revision, &mut changes);
    for change in &mut changes {
        change.id = change.fingerprint();
    }
    Ok(changes)
}

/// The most breaking wire verdict, or `None` when nothing changed.
pub fn worst_compat(changes: &[Change]) -> Option<Compat> {
    changes.iter().map(|c| c.compat).max()
}

/// The SemVer level the changes need together (`Patch` when none).
pub fn required_semver(changes: &[Change]) -> Semver {
    changes
        .iter()
        .map(|c| c.semver)
        .max()
        .unwrap_or(Semver::Patch)
}
