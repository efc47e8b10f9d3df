//! Conformance tests: the generated clients in `generated/` against the
//! samples documented in `specs/`, in one test binary.
//!
//! - [`avepoint`] and [`partner_center`]: every documented response sample
//!   round-trips through its generated type, and every operation is called
//!   through the generated client against a real HTTP server on loopback
//!   (httpmock) that checks the documented request and returns the sample;
//! - [`decoding`]: responses decode values past the request constraints,
//!   and optional nullable members keep `null` apart from absent;
//! - [`schemas`]: every sample matches its JSON Schema, and the validator
//!   rejects mutated samples;
//! - [`client_layers`]: tokens, retries, request ids, paging, forward
//!   compatibility, typed errors, path checks and redaction, end to end
//!   through both generated clients, partly against the scripted
//!   [`recorder`] server;
//! - [`errors_and_paths`]: error responses that are not the documented
//!   shape, timeouts and their retries, the percent-encoding of path
//!   parameters on the wire, and trailing slashes of base URLs;
//! - [`headers_and_auth`]: headers of the caller's own (builder
//!   `header(..)`, the `on_request` hook) and token URLs other than
//!   production, with the check that a token source fits its scheme;
//! - [`paging`]: next links in both of Partner Center's forms, resuming
//!   from a kept cursor and streams that own their client;
//! - [`hostile_names`]: a client generated from a test spec of our own
//!   whose names collide with progenitor's and Rust's, compiled and driven
//!   through the runtime;
//! - [`sample_servers`]: both crates' `mock::sample_server()` answer every
//!   operation;
//! - [`response_kinds`]: a client generated from a test spec of our own
//!   whose operations have several response types, one test per status.
//! - [`request_kinds`]: a client generated from a test spec of our own
//!   whose request bodies are of media types progenitor does not send
//!   itself (vendor JSON, XML, bytes, multipart form data), one test per
//!   kind.

// The legacy operations (and the delegated admin customers) are deprecated
// by their APIs, with replacements named, and are still exercised here: the
// services still answer them.
#![allow(deprecated)]

mod avepoint;
mod client_layers;
mod decoding;
mod errors_and_paths;
mod headers_and_auth;
mod hostile_names;
mod paging;
mod partner_center;
mod recorder;
mod request_kinds;
mod response_kinds;
mod sample_servers;
mod schemas;
