#![doc = include_str!("../README.md")]

// The generated module is formatted by prettyplease, not rustfmt.
#[rustfmt::skip]
mod generated;

pub use generated::*;

/// The `uuid` crate the generated types use for GUIDs, so callers need not
/// depend on a matching version themselves.
pub use uuid;
