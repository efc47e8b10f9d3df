//! Turns hand-authored OpenAPI 3.0 documents into formatted Rust client
//! crates, one module per pipeline stage:
//!
//! - [`load`]: YAML or JSON into a typed document, errors with file:line:column;
//! - [`validate`]: rejects what the generator cannot handle and samples that
//!   contradict their schemas, errors with the JSON pointer and operation;
//! - [`generate`]: progenitor, with its panics caught;
//! - [`augment`]: wires the output to `partner-api-runtime` and adds open
//!   enums, operation tables and paging streams;
//! - [`format`]: `syn` and `prettyplease`, with a header naming the command;
//! - [`write`]: atomic writes, or a comparison for `--check`.
//!
//! [`project`] runs them over every spec in a repository.

#![deny(missing_docs)]

pub mod augment;
pub mod diff;
mod error;
mod extensions;
pub mod format;
pub mod generate;
pub mod load;
pub mod package;
pub mod project;
pub mod samples;
pub mod semver;
pub mod settings;
pub mod validate;
pub mod version;
mod walk;
pub mod write;

pub use error::{Diagnostic, Error, JsonPointer, Location, OperationId, Result};
pub use load::{load, load_document, load_str, Document, Spec};
pub use validate::validate;
