//! Runtime layers shared by the generated partner API clients.
//!
//! The generated crates call into this crate for everything progenitor does
//! not do: OAuth2 tokens ([`auth`]), retries with backoff ([`retry`]), paging
//! ([`paging`]) and errors that keep the status and a bounded excerpt of an
//! unreadable body ([`Error`]). Everything vendor-specific (token URLs,
//! scopes, which operations are idempotent, how a list pages) comes from the
//! spec, through the tables the generator emits ([`OperationMeta`],
//! [`SecurityScheme`]).

// `Error` mirrors progenitor's, whose `UnexpectedResponse` holds the whole
// `reqwest::Response` so callers can read it; boxing it would only move the
// allocation.
#![allow(clippy::result_large_err)]
#![deny(missing_docs)]

pub mod auth;
mod bearer;
pub mod client;
mod env;
pub mod error;
mod headers;
pub mod meta;
pub mod nullable;
pub mod paging;
pub mod query;
mod request_url;
pub mod responses;
pub mod retry;

pub use bearer::BearerToken;
pub use client::{
    decode, decode_or_error, default_http_client, send, send_operation, BuildError, ClientBuilder,
    ErrorKeys, GeneratedClient, Runtime,
};
pub use env::{env_var, EnvVarError};
pub use error::{Error, InvalidPayload};
pub use headers::ExtraHeaders;
pub use meta::{ApiMeta, AutoHeader, AutoValue, OperationMeta, SchemeKind, SecurityScheme};
pub use paging::{Link, PageStream};
pub use retry::RetryPolicy;

// Re-exported so generated code and users name the same versions.
pub use futures_core::Stream;
/// `next()`, `collect()` and friends for the paging streams.
pub use futures_util::StreamExt;
pub use progenitor_client;
pub use reqwest;
