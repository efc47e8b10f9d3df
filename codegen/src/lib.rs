//! Turns hand-authored OpenAPI 3.0 documents into formatted Rust client
//! crates, one module per pipeline stage:
//!
//! - [`load`]: YAML or JSON into a typed document, errors with file:line:column;
//! - [`validate`]: rejects what the generator cannot handle and samples that
//!   contradict their schemas, errors with the JSON pointer and operation,
//!   and returns the spec's [`Model`], which every later stage reads;
//! - [`generate`]: progenitor, run once for the client and its mocks, with
//!   its panics caught;
//! - [`emit`]: small passes over progenitor's syntax tree that wire it to
//!   `partner-api-runtime` and add open enums, operation tables, paging
//!   streams and mocks;
//! - [`format`]: `prettyplease`, with a header naming the command;
//! - [`write`]: atomic writes, or a comparison for `--check`.
//!
//! [`project`] runs them over every spec in a repository.

#![deny(missing_docs)]

pub mod diff;
pub mod emit;
mod error;
mod extensions;
pub mod format;
pub mod generate;
pub mod json_lines;
mod json_query;
pub mod load;
pub mod media;
mod model;
mod names;
pub mod package;
pub mod project;
mod responses;
mod rust_types;
pub mod samples;
mod schema_shapes;
pub mod semver;
pub mod settings;
pub mod validate;
pub mod version;
mod walk;
pub mod write;

pub use error::{Diagnostic, Error, JsonPointer, Location, OperationId, Result};
pub use load::{load, load_document, load_str, Document, Spec};
pub use model::Model;
pub use validate::{validate, validate_with};
