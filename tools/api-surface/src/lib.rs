//! How the public API of a generated client crate changed between two
//! versions of its source, graded by the Cargo SemVer rules.
//!
//! This is a development tool of the workspace, not part of the generator:
//! `codegen`'s tests use it to check the SemVer level the spec differ
//! predicts (`codegen::diff`) against the public API of the real
//! before/after generated code. It is therefore only a dev-dependency of
//! `codegen`, and it does not depend on `codegen` itself, so that the
//! generator's public API and build stay free of it; it has its own
//! [`Semver`] level, which the tests map to `codegen::semver::Semver`.
//!
//! Both versions are parsed with `syn`; every public item is recorded under a
//! path-like key (`types::Customer`, `types::Customer::tags`,
//! `types::RelationshipToPartner::Reseller`, `Client::get_customer`,
//! `builder::GetCustomer::page_index`, `impl Default for types::Customer`)
//! with a normalised signature (tokens without doc comments or other
//! attributes, function bodies left out) and a separate fingerprint of its
//! behaviour (bodies and attributes such as `#[serde(...)]`). The two maps are
//! then compared key by key:
//!
//! - a public item, field, variant, method or trait impl removed, a signature
//!   or field type changed, or an item turned into another kind of item is
//!   [`Semver::Major`];
//! - a public field added to a struct whose fields are all public and which
//!   is not `#[non_exhaustive]`, or a variant added to an enum that is not
//!   `#[non_exhaustive]`, is [`Semver::Major`]; otherwise the addition is
//!   [`Semver::Minor`], as is any new type, function, method, module or trait
//!   impl;
//! - becoming `#[non_exhaustive]`, a private field appearing in a struct
//!   whose fields were all public, or a trait item without a default, is
//!   [`Semver::Major`];
//! - trait impls, written or derived, are keyed by the trait's last path
//!   segment and the type (`impl Default for types::Customer`), so that a
//!   derive replaced by a hand-written impl is the same impl;
//! - the integer-enum newtypes typify writes (`impl TryFrom<i32> for T` that
//!   checks `[0_i32, 1_i32].contains(&value)`) are compared by the values they
//!   accept: values only added is [`Semver::Minor`], any removed is
//!   [`Semver::Major`];
//! - any other change to a body or attribute is [`Semver::Patch`]; doc
//!   comments are ignored, and so are private and `pub(crate)` items.
//!
//! The modules follow the data: `surface` holds the entries, which `collect`
//! (items) and `impls` (impl blocks) gather from a `syn` file, resolving
//! paths with `scope` and printing tokens with `tokens`; `compare` turns two
//! surfaces into the [`ApiChange`]s of `change`.

#![deny(missing_docs)]

mod change;
mod collect;
mod compare;
mod impls;
mod scope;
mod surface;
mod tokens;

pub use change::{ApiChange, ApiChangeKind, Semver};

/// Compares the public API of two versions of a Rust source file, `before`
/// and `after`, and lists every difference, sorted by item key and kind.
///
/// Returns the parse error of whichever file is not valid Rust; its message
/// starts with `before:` or `after:`.
pub fn api_diff(before: &str, after: &str) -> Result<Vec<ApiChange>, syn::Error> {
    let before = surface::surface(before).map_err(|e| relabel("before", &e))?;
    let after = surface::surface(after).map_err(|e| relabel("after", &e))?;
    Ok(compare::diff(&before, &after))
}

/// The level a release with `changes` needs: the highest level among them,
/// [`Semver::Patch`] when there are none.
pub fn api_semver(changes: &[ApiChange]) -> Semver {
    changes
        .iter()
        .map(|c| c.semver)
        .max()
        .unwrap_or(Semver::Patch)
}

fn relabel(which: &str, err: &syn::Error) -> syn::Error {
    syn::Error::new(err.span(), format!("{which}: {err}"))
}
