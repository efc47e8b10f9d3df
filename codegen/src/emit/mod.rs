//! Emit stage: progenitor's output for a validated spec, edited into the
//! client this project ships, as a syntax tree ready to format.
//!
//! progenitor runs once, for the client and its mock helpers. Its output is
//! parsed once and edited by small passes, each in a module of its own:
//!
//! - [`wiring`]: requests through `partner_api_runtime::send`, started
//!   from the base URL parsed once and with path parameters formatted into
//!   the URL, bodies through its `decode`, its `Error`, no `api-version`
//!   header, `Client::new(baseurl)`;
//! - [`json_query`]: the JSON text of a query parameter with
//!   `content: application/json` has its keys in the schema's order;
//! - [`open_enums`]: unknown enum values decode into an `Unknown` variant;
//! - [`lenient_decode`]: constrained strings decode without their checks,
//!   which stay on the constructors that build requests;
//! - [`nullable`]: a property both optional and nullable keeps `null`
//!   apart from absent (`Option<Option<T>>`);
//! - [`recursive`]: an optional property whose schema contains itself is
//!   `Option<Box<T>>` and left out when absent;
//! - [`deprecated`]: a deprecated operation's `Client` method is
//!   `#[deprecated]`, naming its replacement (`x-replaced-by`);
//! - [`op_servers`]: an operation with `servers` of its own is sent there
//!   (or to the client's replacement of it), not to the base URL;
//! - [`request_bodies`]: a request body of a media type progenitor does not
//!   send (vendor JSON, XML, bytes, multipart form data) is sent as
//!   documented;
//! - [`success_errors`]: an error body sent with a success status comes back
//!   as `Error::ErrorResponse` (`x-errors-with-success-status`);
//! - [`tables`]: the `API` operation table, `schemes::*` and
//!   `Client::builder`;
//! - [`op_index`]: each builder's `send` passes its operation's position
//!   in that table to the runtime, which then need not search for it;
//! - [`paging`]: `stream()` on the builder of every `x-pagination`
//!   operation;
//! - [`mocks`]: the `mock` module with `sample_server()`.
//!
//! Every assumption about the shape of progenitor's and typify's output is
//! in [`shape`]; a shape that is not found fails generation with the
//! operation and the assumption, never silently.

mod deprecated;
mod extra_headers;
mod json_query;
mod lenient_decode;
mod mocks;
mod nullable;
mod op_index;
mod op_servers;
mod open_enums;
mod paging;
mod recursive;
mod request_bodies;
mod responses;
mod shape;
mod success_errors;
mod tables;
mod wire_names;
mod wiring;

use proc_macro2::Span;
use syn::{File, Ident};

pub use tables::constant_name;

use crate::error::{Error, OperationId, Result};
use crate::load::Spec;
use crate::model::Model;
use crate::settings::Settings;

/// The runtime crate the generated code depends on.
pub const RUNTIME: &str = "partner_api_runtime";

/// `partner_api_runtime`, as an identifier for generated paths.
fn runtime() -> Ident {
    Ident::new(RUNTIME, Span::call_site())
}

/// The generated client of one spec.
#[derive(Clone)]
pub struct Emitted {
    /// The whole `src/generated.rs`, unformatted.
    pub file: File,
    /// For each operation in document order, its `operationId` and the
    /// name progenitor gave its `Client` method.
    pub methods: Vec<(OperationId, String)>,
}

impl std::fmt::Debug for Emitted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emitted")
            .field("items", &self.file.items.len())
            .field("methods", &self.methods)
            .finish()
    }
}

impl Emitted {
    /// The `Client` method of the operation `operation_id`.
    pub fn method_of(&self, operation_id: &str) -> Option<&str> {
        self.methods
            .iter()
            .find(|(id, _)| id.0 == operation_id)
            .map(|(_, method)| method.as_str())
    }
}

/// Generates the client of `spec`, whose [`Model`] validation returned.
pub fn emit(spec: &Spec, model: &Model, settings: &Settings) -> Result<Emitted> {
    let fail = |operation: Option<&OperationId>, message: String| Error::Generator {
        file: spec.path.clone(),
        operation: operation
            .cloned()
            .unwrap_or_else(|| OperationId("*".to_owned())),
        message,
    };
    let generated = crate::generate::generate_with_mocks(spec, model, settings, "crate")?;
    let mut file: File = syn::parse2(generated.client)
        .map_err(|e| fail(None, format!("cannot parse progenitor's output: {e}")))?;

    nullable::nullable(&mut file, generated.nullables).map_err(|m| fail(None, m))?;
    recursive::recursive(&mut file).map_err(|m| fail(None, m))?;
    let wired = wiring::wire(&mut file).map_err(|m| fail(None, m))?;
    // Before anything reads the operations: it removes the code of the
    // synthetic operations that typed the response enums' bodies.
    let synthetic =
        responses::response_enums(model, settings, &mut file).map_err(|m| fail(None, m))?;

    // progenitor generates operations in document order, as the model
    // lists them; the names must agree too, or the order assumption broke.
    let sends = shape::sends(&file);
    if sends.len() != model.operations.len() {
        return Err(fail(
            None,
            format!(
                "expected progenitor's code for {} operation(s), found {} (assumption: one `send` per operation, see emit/shape.rs)",
                model.operations.len(),
                sends.len()
            ),
        ));
    }
    let mut ops = Vec::new();
    let mut mock_renames = Vec::new();
    for (op, send) in model.operations.iter().zip(&sends) {
        if crate::names::key(&send.method) != crate::names::key(&op.id.0) {
            return Err(fail(
                Some(&op.id),
                format!(
                    "progenitor's code in this position is for `{}` (assumption: operations in document order)",
                    send.method
                ),
            ));
        }
        if !wired.contains(&send.method) {
            return Err(fail(
                Some(&op.id),
                "progenitor's pre/exec/post hook calls were not found in the operation's body (assumption: four consecutive statements, see emit/shape.rs `hooks`)".into(),
            ));
        }
        // Before the names are restored: it finds parameters by the names
        // progenitor saw.
        json_query::order_keys(&mut file, op, send).map_err(|m| fail(Some(&op.id), m))?;
        let renames = wire_names::renames(op);
        if !renames.is_empty() {
            let builder = send.builder.to_string();
            let types = [builder.clone(), format!("{builder}When")];
            if wire_names::restore(&mut file.items, &types[..1], &renames) < renames.len() {
                return Err(fail(
                    Some(&op.id),
                    "the renamed parameters' names were not found in the request code (assumption: progenitor writes each query and header name as a string literal in `send`, see emit/wire_names.rs)".into(),
                ));
            }
            mock_renames.push((types, renames));
        }
        if let Some(body) = &op.body {
            request_bodies::request_body(&mut file, &send.builder, &body.sent)
                .map_err(|m| fail(Some(&op.id), m))?;
        }
        if let Some(url) = &op.server {
            op_servers::op_server(&mut file, &send.builder, url)
                .map_err(|m| fail(Some(&op.id), m))?;
        }
        if !op.error_keys.is_empty() {
            success_errors::success_errors(&mut file, &send.builder, &op.error_keys)
                .map_err(|m| fail(Some(&op.id), m))?;
        }
        ops.push(tables::OpInfo {
            method_name: send.method.clone(),
            op,
        });
    }

    extra_headers::add(&mut file, model, &sends).map_err(|(op, m)| fail(Some(&op), m))?;

    for (op, send) in model.operations.iter().zip(&sends) {
        let Some(replaced_by) = &op.deprecated else {
            continue;
        };
        let instead = replaced_by.as_ref().and_then(|id| {
            model
                .operations
                .iter()
                .zip(&sends)
                .find(|(o, _)| o.id.0 == *id)
                .map(|(_, s)| s.method.as_str())
        });
        deprecated::deprecate(&mut file, &send.method, instead)
            .map_err(|m| fail(Some(&op.id), m))?;
    }

    let types = shape::module_mut(&mut file, "types")
        .ok_or_else(|| fail(None, "no `types` module in progenitor's output".into()))?;
    lenient_decode::lenient_decode(types);
    open_enums::open_enums(model, types).map_err(|m| fail(None, m))?;

    let mut streams = Vec::new();
    for (info, send) in ops.iter().zip(&sends) {
        if let Some(pagination) = &info.op.pagination {
            let stream = paging::stream_method(&file, info, send, pagination)
                .map_err(|m| fail(Some(&info.op.id), m))?;
            let stream: syn::Item = syn::parse2(stream).map_err(|e| {
                fail(
                    Some(&info.op.id),
                    format!("generated stream method does not parse: {e}"),
                )
            })?;
            streams.push(stream);
        }
    }
    if !streams.is_empty() {
        shape::module_mut(&mut file, "builder")
            .ok_or_else(|| fail(None, "no `builder` module in progenitor's output".into()))?
            .extend(streams);
    }

    let methods = ops
        .iter()
        .map(|info| (info.op.id.clone(), info.method_name.clone()))
        .collect();
    // The table is sorted by progenitor's name, which the runtime searches.
    ops.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    // Each builder's `send` names its position in that table (the
    // positional interface keeps the lookup by name).
    for (index, info) in ops.iter().enumerate() {
        let Some(send) = sends.iter().find(|s| s.method == info.method_name) else {
            continue;
        };
        if send.builder != "Client" {
            op_index::op_index(&mut file, &send.builder, index)
                .map_err(|m| fail(Some(&info.op.id), m))?;
        }
    }
    let tables: File = syn::parse2(tables::tables(model, &ops))
        .map_err(|e| fail(None, format!("generated tables do not parse: {e}")))?;
    file.items.extend(tables.items);

    let mocks = generated.mocks.unwrap_or_default();
    let mut mocks = mocks::mock_module(model, &mocks).map_err(|m| fail(None, m))?;
    synthetic.remove_mocks(&mut mocks);
    for (types, renames) in &mock_renames {
        wire_names::restore(&mut mocks.items, &types[1..], renames);
    }
    file.items.extend(mocks.items);
    Ok(Emitted { file, methods })
}
