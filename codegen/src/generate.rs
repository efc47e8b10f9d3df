//! Generate stage: progenitor turns a validated spec into a token stream.
//! progenitor panics on some inputs; a panic is caught here and reported as
//! an error that names the operation.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;

use crate::error::{Error, OperationId, Result};
use crate::load::Spec;
use crate::model::Model;
use crate::rust_types;
use crate::settings::{Interface, OptionalArrays, Settings};

thread_local! {
    /// Set while this thread runs progenitor: the message of the last panic.
    static CAPTURE: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Installs, once, a panic hook that stays quiet for panics caught here and
/// defers to the previous hook for every other panic.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|c| {
                let mut slot = c.borrow_mut();
                match slot.as_mut() {
                    Some(message) => {
                        let text = info
                            .payload()
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| info.payload().downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "unknown panic".to_owned());
                        let at = info
                            .location()
                            .map(|l| format!(" ({}:{})", l.file(), l.line()))
                            .unwrap_or_default();
                        *message = Some(format!("{text}{at}"));
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err(message)`.
fn catch<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    install_hook();
    CAPTURE.with(|c| *c.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let message = CAPTURE.with(|c| c.borrow_mut().take()).flatten();
    result.map_err(|_| message.unwrap_or_else(|| "unknown panic".to_owned()))
}

fn progenitor_settings(settings: &Settings) -> progenitor_impl::GenerationSettings {
    let mut out = progenitor_impl::GenerationSettings::new();
    out.with_interface(match settings.generation.interface {
        Interface::Builder => progenitor_impl::InterfaceStyle::Builder,
        Interface::Positional => progenitor_impl::InterfaceStyle::Positional,
    })
    .with_tag(progenitor_impl::TagStyle::Merged)
    .with_timeout(settings.generation.timeout_seconds)
    // The client carries the runtime's state: tokens, retry policy and the
    // operation table (see `emit`).
    .with_inner_type(quote::quote!(::partner_api_runtime::Runtime))
    // The marker type of optional nullable properties (see
    // `mark_optional_nullables`), rewritten by `emit::nullable`.
    .with_crate(crate::emit::RUNTIME, progenitor_impl::CrateVers::Any, None);
    for derive in &settings.generation.derives {
        out.with_derive(derive);
    }
    for (type_name, patch) in &settings.patches {
        let mut typify_patch = progenitor_impl::TypePatch::default();
        if let Some(rename) = &patch.rename {
            typify_patch.with_rename(rename);
        }
        for derive in &patch.derives {
            typify_patch.with_derive(derive);
        }
        out.with_patch(type_name, &typify_patch);
    }
    out
}

/// progenitor's output for one spec.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The client: types, `Client`, builders.
    pub client: TokenStream,
    /// The typed `httpmock` helpers, when they were asked for.
    pub mocks: Option<TokenStream>,
    /// How many optional nullable properties the document progenitor saw
    /// marks with `partner_api_runtime::Nullable<T>` (see
    /// `mark_optional_nullables`).
    pub nullables: usize,
}

/// Runs progenitor once on the whole document: the client and, when
/// `mocks` names the client's crate path (e.g. `crate`), the mock helpers
/// from the same generator (they read the type space the client fills).
fn run(
    openapi: &OpenAPI,
    settings: &Settings,
    mocks: Option<&str>,
) -> std::result::Result<Generated, String> {
    let settings = progenitor_settings(settings);
    let result = catch(|| {
        let mut generator = progenitor_impl::Generator::new(&settings);
        let client = generator
            .generate_tokens(openapi)
            .map_err(|err| err.to_string())?;
        let mocks = match mocks {
            Some(crate_path) => Some(
                generator
                    .httpmock(openapi, crate_path)
                    .map_err(|err| format!("mock helpers: {err}"))?,
            ),
            None => None,
        };
        Ok(Generated {
            client,
            mocks,
            nullables: 0,
        })
    });
    match result {
        Ok(result) => result,
        Err(panic) => Err(format!("panicked: {panic}")),
    }
}

/// Generates the client and progenitor's typed `httpmock` helpers for
/// `spec` in one progenitor run, naming the client's items in the helpers
/// through `crate_path` (e.g. `crate`).
/// Parameters whose Rust names would collide get the names the [`Model`]
/// gives them (see [`crate::names`]).
pub fn generate_with_mocks(
    spec: &Spec,
    model: &Model,
    settings: &Settings,
    crate_path: &str,
) -> Result<Generated> {
    generate_inner(spec, Some(model), settings, Some(crate_path))
}

/// The document progenitor sees: the spec, with optional arrays shaped as
/// the settings ask and JSON query parameters given their media type's
/// schema (see [`crate::json_query`]).
/// Also returns how many optional nullable properties it marked.
fn shaped(spec: &Spec, model: Option<&Model>, settings: &Settings) -> Result<(OpenAPI, usize)> {
    let arrays = settings.generation.optional_arrays == OptionalArrays::Option;
    let renames = model.filter(|model| crate::names::any_renamed(model));
    let plans: Vec<(String, &crate::responses::Plan)> = model
        .into_iter()
        .flat_map(|model| &model.operations)
        .filter_map(|op| Some((op.ptr.as_str().to_owned(), op.plan.as_ref()?)))
        .collect();
    let media_edits = crate::media::shape_edits(&spec.value);
    let json_query_edits = crate::json_query::shape_edits(&spec.value);
    // progenitor needs an `operationId` on every operation.
    let made_up: Vec<(String, String)> = model
        .into_iter()
        .flat_map(|model| &model.operations)
        .filter(|op| op.id_made_up)
        .map(|op| {
            (
                op.ptr.join("operationId").as_str().to_owned(),
                op.id.0.clone(),
            )
        })
        .collect();
    let mut value = spec.value.clone();
    let nullables = mark_optional_nullables(&mut value);
    let typify_shapes = crate::schema_shapes::shape_for_typify(&mut value);
    if !arrays
        && nullables == 0
        && typify_shapes == 0
        && renames.is_none()
        && plans.is_empty()
        && media_edits.is_empty()
        && json_query_edits.is_empty()
        && made_up.is_empty()
    {
        return Ok((spec.openapi.clone(), 0));
    }
    crate::media::apply(&mut value, media_edits);
    crate::json_query::apply(&mut value, json_query_edits);
    for (ptr, id) in made_up {
        let (parent, _) = ptr.rsplit_once('/').unwrap_or_default();
        if let Some(serde_json::Value::Object(op)) = value.pointer_mut(parent) {
            op.insert("operationId".to_owned(), serde_json::Value::String(id));
        }
    }
    if arrays {
        mark_optional_arrays(&mut value);
    }
    // Responses first: the renames may move a path, the response shaping
    // addresses operations by their pointers in the spec.
    crate::responses::shape_document(&plans, &mut value);
    if let Some(model) = renames {
        crate::names::shape_document(model, &mut value);
    }
    let openapi = serde_json::from_value::<OpenAPI>(value).map_err(|err| Error::Generator {
        file: spec.path.clone(),
        operation: OperationId("*".to_owned()),
        message: format!("cannot re-read the document after shaping it for progenitor: {err}"),
    })?;
    Ok((openapi, nullables))
}

/// Generates the client code for `spec`, without mock helpers.
pub fn generate(spec: &Spec, settings: &Settings) -> Result<TokenStream> {
    generate_inner(spec, None, settings, None).map(|generated| generated.client)
}

fn generate_inner(
    spec: &Spec,
    model: Option<&Model>,
    settings: &Settings,
    mocks: Option<&str>,
) -> Result<Generated> {
    let (openapi, nullables) = shaped(spec, model, settings)?;
    let mut generated = run(&openapi, settings, mocks).map_err(|message| Error::Generator {
        file: spec.path.clone(),
        operation: culprit(&openapi, settings, mocks),
        message,
    })?;
    generated.nullables = nullables;
    Ok(generated)
}

/// Finds the operation that makes progenitor fail: the smallest prefix of
/// the operations (in document order) that still fails, by bisection, so
/// that a document of a thousand operations takes about ten runs instead
/// of a thousand. A failure with no operation at all is in the component
/// schemas, reported as such.
fn culprit(openapi: &OpenAPI, settings: &Settings, mocks: Option<&str>) -> OperationId {
    let ops: Vec<(&String, &str, Option<&String>)> = openapi
        .paths
        .paths
        .iter()
        .filter_map(|(path, item)| Some((path, item.as_item()?)))
        .flat_map(|(path, item)| {
            item.iter()
                .map(move |(method, op)| (path, method, op.operation_id.as_ref()))
        })
        .collect();
    let prefix = |k: usize| -> OpenAPI {
        let mut out = openapi.clone();
        for (path, item) in out.paths.paths.iter_mut() {
            let openapiv3::ReferenceOr::Item(item) = item else {
                continue;
            };
            for method in crate::walk::METHODS {
                if !ops[..k].iter().any(|(p, m, _)| *p == path && *m == method) {
                    clear(item, method);
                }
            }
        }
        out.paths
            .paths
            .retain(|path, _| ops[..k].iter().any(|(p, _, _)| *p == path));
        out
    };
    let fails = |k: usize| run(&prefix(k), settings, mocks).is_err();
    if fails(0) {
        return OperationId("* (the component schemas)".to_owned());
    }
    // Invariant: the first `lo` operations generate, the first `hi` fail.
    let (mut lo, mut hi) = (0, ops.len());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fails(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    match ops.get(hi.saturating_sub(1)) {
        Some((path, method, id)) => OperationId(
            id.map(|id| id.to_string())
                .unwrap_or_else(|| format!("{} {path}", method.to_uppercase())),
        ),
        None => OperationId("*".to_owned()),
    }
}

fn clear(item: &mut openapiv3::PathItem, method: &str) {
    let slot = match method {
        "get" => &mut item.get,
        "put" => &mut item.put,
        "post" => &mut item.post,
        "delete" => &mut item.delete,
        "options" => &mut item.options,
        "head" => &mut item.head,
        "patch" => &mut item.patch,
        "trace" => &mut item.trace,
        _ => return,
    };
    *slot = None;
}

/// Replaces the schema of every property that is both optional and
/// `nullable` (inline, not a `$ref`, whose siblings progenitor ignores)
/// with the marker type `partner_api_runtime::Nullable<T>`, `T` the
/// property's own schema without `nullable`, so that `emit::nullable` can
/// find its field and make it `Option<Option<T>>`: typify would collapse
/// absent and `null` into one `None`, and a `null` that a page shows would
/// be lost on the way back. Returns how many were marked. Runs before
/// [`mark_optional_arrays`], which marks arrays `nullable` only to make them
/// `Option<Vec<T>>`.
/// Gives the inline schemas typify makes a type of (objects, enums,
/// compositions, constrained strings) inside `value`, reached from its
/// parent through `key`, a `title` after `parent` and the way to them
/// (`Gist forks item`), unless they have one: inside a marker type's
/// parameter typify has no names to derive theirs from.
fn title_nested(value: &mut serde_json::Value, key: &str, parent: &str) {
    use serde_json::Value;
    let name = match key {
        "items" => format!("{parent} item"),
        "additionalProperties" => format!("{parent} value"),
        "properties" | "oneOf" | "anyOf" | "allOf" | "not" => parent.to_owned(),
        _ => return,
    };
    match value {
        Value::Object(map) if key == "properties" => {
            for (prop, child) in map.iter_mut() {
                name_schema(child, &format!("{name} {prop}"));
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                name_schema(child, &format!("{name} variant {}", i + 1));
            }
        }
        other => name_schema(other, &name),
    }
}

/// Titles `schema` `name` when typify makes a type of it and it has no
/// title, and goes on into its children ([`title_nested`]).
fn name_schema(schema: &mut serde_json::Value, name: &str) {
    match schema {
        serde_json::Value::Object(map) if !map.contains_key("$ref") => name_object(map, name),
        _ => {}
    }
}

/// [`name_schema`] of a schema object that is not a `$ref`. typify makes a
/// type of an enum, an object, a composition and a constrained string (a
/// newtype), and fails without a name for one.
fn name_object(map: &mut serde_json::Map<String, serde_json::Value>, name: &str) {
    let named = ["enum", "properties", "oneOf", "anyOf", "allOf"]
        .iter()
        .chain(&["minLength", "maxLength", "pattern"])
        .any(|key| map.contains_key(*key));
    if named && !map.contains_key("title") {
        map.insert(
            "title".to_owned(),
            serde_json::Value::String(name.to_owned()),
        );
    }
    for (key, child) in map.iter_mut() {
        title_nested(child, key, name);
    }
}

fn mark_optional_nullables(value: &mut serde_json::Value) -> usize {
    use serde_json::{json, Value};
    fn walk(value: &mut Value, name: &str, parent_key: &str, count: &mut usize) {
        match value {
            Value::Object(map) => {
                let required: Vec<String> = map
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(Value::Object(properties)) = map.get_mut("properties") {
                    for (prop, schema) in properties.iter_mut() {
                        let Value::Object(fields) = schema else {
                            continue;
                        };
                        let nullable = fields.get("nullable") == Some(&Value::Bool(true));
                        let is_ref = fields.contains_key("$ref");
                        if !rust_types::is_double_option(required.contains(prop), nullable, is_ref)
                        {
                            continue;
                        }
                        let mut inner = fields.clone();
                        inner.remove("nullable");
                        let description = inner.remove("description");
                        // typify names an inline type by its title here (it
                        // has no property to name it after), nor the inline
                        // types inside it (an array's item object, a nested
                        // enum); these are the names it would have suggested.
                        name_object(&mut inner, &format!("{name} {prop}"));
                        let mut marker = serde_json::Map::new();
                        marker.insert(
                            "x-rust-type".to_owned(),
                            json!({
                                "crate": crate::emit::RUNTIME,
                                "version": "*",
                                "path": format!("{}::Nullable", crate::emit::RUNTIME),
                                "parameters": [Value::Object(inner)],
                            }),
                        );
                        if let Some(description) = description {
                            marker.insert("description".to_owned(), description);
                        }
                        *schema = Value::Object(marker);
                        *count += 1;
                    }
                }
                for (key, child) in map.iter_mut() {
                    if matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                        continue;
                    }
                    // A component is named by its key, a property's inline
                    // schema after its object and itself.
                    let child_name = match parent_key {
                        "schemas" => key.clone(),
                        "properties" => format!("{name} {key}"),
                        _ => name.to_owned(),
                    };
                    walk(child, &child_name, key, count);
                }
            }
            Value::Array(items) => items
                .iter_mut()
                .for_each(|item| walk(item, name, parent_key, count)),
            _ => {}
        }
    }
    let mut count = 0;
    walk(value, "", "", &mut count);
    count
}

/// Makes every inline array property that its object does not require
/// `nullable`, which progenitor types as `Option<Vec<T>>` (see
/// [`rust_types::marked_nullable`]). Samples are data and are left alone.
fn mark_optional_arrays(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let required: Vec<String> = map
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                for (name, property) in properties.iter_mut() {
                    // progenitor reads a `$ref` without its siblings, so a
                    // `nullable` beside one would change nothing.
                    let inline_array = rust_types::is_inline_array(
                        property.get("type").and_then(Value::as_str),
                        property.get("$ref").and_then(Value::as_str).is_some(),
                    );
                    let required = required.contains(name);
                    if rust_types::marked_nullable(inline_array, required, OptionalArrays::Option) {
                        if let Value::Object(property) = property {
                            property.insert("nullable".to_owned(), Value::Bool(true));
                        }
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    mark_optional_arrays(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mark_optional_arrays),
        _ => {}
    }
}
