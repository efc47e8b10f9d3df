//! Validate stage: rejects, with a pointer and the operation, everything the
//! generator cannot handle (progenitor answers many of these with a panic),
//! and every sample that contradicts its schema.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use crate::error::{Diagnostic, Error, JsonPointer, Result};
use crate::load::Spec;
use crate::media;
use crate::model::{self, Model};
use crate::responses::ResponseKind;
use crate::samples::check_samples;
use crate::settings::{Strictness, ValidationSettings};
use crate::walk::{deref, operations, resolve_ref, Operation};

/// Checks `spec` and returns its [`Model`], or every problem found, not
/// just the first. Samples that do not match their schemas are errors.
pub fn validate(spec: &Spec) -> Result<Model> {
    validate_with(spec, &ValidationSettings::default()).map(|(model, _)| model)
}

/// Like [`validate`], with the strictness of `settings`; returns the
/// findings that were only warnings beside the model.
pub fn validate_with(
    spec: &Spec,
    settings: &ValidationSettings,
) -> Result<(Model, Vec<Diagnostic>)> {
    let mut problems = Vec::new();
    check_refs(spec, &spec.value, JsonPointer::root(), &mut problems);
    // Later checks follow references; stop here if some dangle.
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    check_operations(spec, &mut problems);
    // A default of the wrong type is data, like a sample: with `samples =
    // "warn"` it is a warning, and the shaping drops it
    // (`schema_shapes`).
    let mut defaults = Vec::new();
    // What the generator does differently from the spec without refusing
    // it: always warnings.
    let mut notes = Vec::new();
    check_schemas(
        spec,
        &spec.value,
        JsonPointer::root(),
        &mut problems,
        &mut defaults,
        &mut notes,
    );
    check_security(spec, &mut problems);
    let extensions = crate::extensions::check(spec, &mut problems);
    let servers = crate::extensions::servers::check(spec, &mut problems);
    let samples = crate::samples::samples(spec);
    let mismatches = check_samples(spec, &samples);
    let mut warnings = notes;
    match settings.samples {
        Strictness::Error => problems.extend(mismatches.into_iter().chain(defaults)),
        Strictness::Warn => warnings.extend(mismatches.into_iter().chain(defaults)),
    }
    if problems.is_empty() {
        Ok((model::build(spec, extensions, servers, samples), warnings))
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The operation an element belongs to, from its pointer
/// (`/paths/<path>/<method>/...`), looked up directly rather than by
/// walking every operation, since it runs for every `$ref`.
fn operation_at(spec: &Spec, pointer: &JsonPointer) -> Option<String> {
    let mut tokens = pointer.as_str().split('/').skip(1);
    if tokens.next()? != "paths" {
        return None;
    }
    let (path, method) = (tokens.next()?, tokens.next()?);
    if !crate::walk::METHODS.contains(&method) {
        return None;
    }
    let op = JsonPointer::root().join("paths").as_str().to_owned() + "/" + path + "/" + method;
    let operation = spec.value.pointer(&op)?;
    // Named as the other problems name it: by its id, or else by method
    // and path (`walk::Operation::name`).
    match operation
        .get("operationId")
        .and_then(Value::as_str)
        .filter(|id| !id.trim().is_empty())
    {
        Some(id) => Some(id.to_owned()),
        None => {
            let path = path.replace("~1", "/").replace("~0", "~");
            Some(format!("{} {path}", method.to_uppercase()))
        }
    }
}

fn check_refs(spec: &Spec, value: &Value, pointer: JsonPointer, out: &mut Vec<Diagnostic>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let ref_ptr = pointer.join("$ref");
                let operation = operation_at(spec, &pointer);
                let problem = match reference.as_str() {
                    None => Some("`$ref` must be a string".to_owned()),
                    Some(r) if !r.starts_with("#/") => Some(format!(
                        "external reference `{r}` is not supported; move the target into this document"
                    )),
                    Some(r) => resolve_ref(&spec.value, r)
                        .is_none()
                        .then(|| format!("dangling reference `{r}`: nothing at that pointer")),
                };
                if let Some(message) = problem {
                    out.push(spec.diagnostic(ref_ptr, operation.as_deref(), message));
                }
            }
            for (key, child) in map {
                // Samples are data, not schema: a `$ref` key inside one is a value.
                if key == "example" || (key == "value" && map.contains_key("summary")) {
                    continue;
                }
                check_refs(spec, child, pointer.join(key), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_refs(spec, child, pointer.join(i), out);
            }
        }
        _ => {}
    }
}

fn check_operations(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let root = &spec.value;
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        out.push(spec.diagnostic(JsonPointer::root(), None, "the document has no `paths`"));
        return;
    };
    for (path, item) in paths {
        if item.get("$ref").is_some() {
            let ptr = JsonPointer::root().join("paths").join(path).join("$ref");
            out.push(spec.diagnostic(ptr, None, "path items given by `$ref` are not supported"));
        }
    }
    let mut operation_ids = HashSet::new();
    for operation in operations(root) {
        // An operation without an id gets one made up from its method and
        // path (`walk::operation_ids`); problems name it by method and path.
        let label = operation.name();
        let op = Some(operation.id().unwrap_or(label.as_str()));
        if let Some(operation_id) = operation.id() {
            let id_ptr = operation.ptr.join("operationId");
            if !operation_ids.insert(operation_id.to_owned()) {
                out.push(spec.diagnostic(id_ptr, op, "duplicate `operationId`"));
            }
        }
        check_parameters(spec, &operation, op, out);
        check_request_body(spec, &operation, op, out);
        check_responses(spec, &operation, op, out);
    }
}

/// The `{name}` segments of a path template.
fn path_names(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

fn check_parameters(
    spec: &Spec,
    operation: &Operation<'_>,
    op: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let template = path_names(operation.path);
    // Operation parameters override path-item ones with the same name and place.
    let mut merged: BTreeMap<(String, String), (&Value, JsonPointer)> = BTreeMap::new();
    for (param, ptr) in operation.parameters(&spec.value) {
        let field = |key: &str| param.get(key).and_then(Value::as_str).unwrap_or_default();
        merged.insert(
            (field("in").to_owned(), field("name").to_owned()),
            (param, ptr),
        );
    }
    let mut declared = BTreeSet::new();
    for ((place, name), (param, ptr)) in &merged {
        let style = param.get("style").and_then(Value::as_str);
        let content = param.get("content").is_some();
        if content {
            // Sent as JSON text; see `json_query` for what is refused.
            crate::json_query::check(spec, param, ptr, op, out);
        } else if param.get("schema").is_none() {
            out.push(spec.diagnostic(
                ptr.clone(),
                op,
                format!("parameter `{name}` has no `schema`"),
            ));
        }
        match place.as_str() {
            "path" => {
                declared.insert(name.clone());
                if param.get("required") != Some(&Value::Bool(true)) {
                    out.push(spec.diagnostic(
                        ptr.clone(),
                        op,
                        format!("path parameter `{name}` must have `required: true`"),
                    ));
                }
                if !template.contains(name) {
                    out.push(spec.diagnostic(
                        ptr.clone(),
                        op,
                        format!("path parameter `{name}` does not appear in the path template"),
                    ));
                }
                if style.is_some_and(|s| s != "simple") {
                    out.push(spec.diagnostic(
                        ptr.join("style"),
                        op,
                        format!("path parameter `{name}`: only `style: simple` is supported"),
                    ));
                }
            }
            "query" => {
                if !content && style.is_some_and(|s| s != "form") {
                    out.push(spec.diagnostic(
                        ptr.join("style"),
                        op,
                        format!("query parameter `{name}`: only `style: form` is supported"),
                    ));
                }
                if !content && has_object_schema(spec, param, ptr) {
                    out.push(spec.diagnostic(
                        ptr.join("schema"),
                        op,
                        format!("query parameter `{name}`: an object schema is not supported (the generator sends scalars and arrays in the query; `content: application/json` sends an object as JSON text)"),
                    ));
                }
            }
            "header" => {
                if style.is_some_and(|s| s != "simple") {
                    out.push(spec.diagnostic(
                        ptr.join("style"),
                        op,
                        format!("header parameter `{name}`: only `style: simple` is supported"),
                    ));
                }
                if !content && has_object_schema(spec, param, ptr) {
                    out.push(spec.diagnostic(
                        ptr.join("schema"),
                        op,
                        format!("header parameter `{name}`: an object schema is not supported (the generator sends scalars in headers)"),
                    ));
                }
                // progenitor writes a header value with `to_string()`, which
                // a `Vec` does not have: the crate would not compile.
                let array = param_schema(spec, param, ptr).is_some_and(|schema| {
                    schema.get("type").and_then(Value::as_str) == Some("array")
                });
                if !content && array {
                    out.push(spec.diagnostic(
                        ptr.join("schema"),
                        op,
                        format!("header parameter `{name}`: an array schema is not supported (the generator sends scalars in headers)"),
                    ));
                }
            }
            "cookie" => out.push(spec.diagnostic(
                ptr.clone(),
                op,
                format!("cookie parameter `{name}` is not supported by the generator"),
            )),
            other => out.push(spec.diagnostic(
                ptr.join("in"),
                op,
                format!("parameter `{name}` has unknown location `{other}`"),
            )),
        }
    }
    for name in template.difference(&declared) {
        out.push(spec.diagnostic(
            operation.ptr.clone(),
            op,
            format!("path template segment `{{{name}}}` has no path parameter"),
        ));
    }
}

/// The parameter's schema, through `$ref`s.
fn param_schema<'s>(spec: &'s Spec, param: &'s Value, ptr: &JsonPointer) -> Option<&'s Value> {
    let schema = param.get("schema")?;
    deref(&spec.value, schema, ptr.join("schema")).map(|(schema, _)| schema)
}

/// Whether the parameter's schema is an object: progenitor sends scalars
/// and arrays in queries and scalars in headers, and asserts on a
/// parameter whose type has properties.
fn has_object_schema(spec: &Spec, param: &Value, ptr: &JsonPointer) -> bool {
    param_schema(spec, param, ptr).is_some_and(|schema| {
        schema.get("type").and_then(Value::as_str) == Some("object")
            || schema.get("properties").is_some()
    })
}

fn check_request_body(
    spec: &Spec,
    operation: &Operation<'_>,
    op: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let Some((body, body_ptr)) = operation.request_body(&spec.value) else {
        return;
    };
    // A body offering several media types is sent as one of them
    // (`media::chosen_request_media`); that one must be sendable.
    let content = body.get("content").and_then(Value::as_object);
    let types: Vec<&str> = content
        .into_iter()
        .flatten()
        .map(|(t, _)| t.as_str())
        .collect();
    let Some(chosen) = media::chosen_request_media(&types) else {
        return;
    };
    let ptr = body_ptr.join("content").join(chosen);
    let Some(media) = content.and_then(|c| c.get(chosen)) else {
        return;
    };
    let sent = match media::request_sent(&spec.value, chosen, media) {
        Ok(sent) => sent,
        Err(reason) => {
            out.push(spec.diagnostic(ptr, op, format!("request body: {reason}")));
            return;
        }
    };
    if let Some(bad) = media::unsendable_content_type(&sent) {
        out.push(spec.diagnostic(
            ptr.clone(),
            op,
            format!("request body: the media type `{bad}` cannot be sent as a `Content-Type` header (visible ASCII only)"),
        ));
    }
    // `encoding` applies to form and multipart bodies only (OpenAPI 3.0
    // Media Type Object); the shaping drops it elsewhere, and a multipart
    // body's parts are the caller's.
    if media::is_form(chosen)
        && media
            .get("encoding")
            .and_then(Value::as_object)
            .is_some_and(|e| !e.is_empty())
    {
        out.push(spec.diagnostic(
            ptr.join("encoding"),
            op,
            "request body: `encoding` of form data is not supported".to_owned(),
        ));
    }
    let implied =
        sent != media::Sent::AsDocumented || media::implied_schema(chosen, true).is_some();
    if media.get("schema").is_none() && !implied {
        out.push(spec.diagnostic(
            ptr,
            op,
            "request body: a media type without `schema` is not supported".to_owned(),
        ));
    }
}

/// `json`: a media type whose schema the generator can imply when it has
/// none (any JSON value, a byte stream, text; see `media::implied_schema`);
/// elsewhere a schema is needed.
fn check_media(
    spec: &Spec,
    media: &Value,
    ptr: &JsonPointer,
    op: Option<&str>,
    what: &str,
    json: bool,
    out: &mut Vec<Diagnostic>,
) {
    // An `encoding` map applies to form and multipart bodies only; the
    // shaping drops it from JSON ones (`media::shape_edits`).
    if media.get("schema").is_none() && !json {
        out.push(spec.diagnostic(
            ptr.clone(),
            op,
            format!("{what}: a media type without `schema` is not supported"),
        ));
    }
}

fn check_responses(
    spec: &Spec,
    operation: &Operation<'_>,
    op: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let responses_ptr = operation.ptr.join("responses");
    let Some(responses) = operation.value.get("responses").and_then(Value::as_object) else {
        out.push(spec.diagnostic(operation.ptr.clone(), op, "operation has no `responses`"));
        return;
    };
    let has_2xx = responses.keys().any(|s| crate::responses::is_2xx(s));
    // Per class (success, error), the kinds of body and the statuses with
    // each. Several kinds become a response enum (see `responses`), which
    // holds JSON bodies and no-body statuses; a byte stream or a protocol
    // upgrade beside other kinds is beyond it.
    let mut classes: [BTreeMap<ResponseKind, Vec<String>>; 2] = Default::default();
    for (status, response) in responses {
        let ptr = responses_ptr.join(status);
        let class = match status.as_str() {
            "default" => Some(!has_2xx),
            s if s.len() == 3 && s.ends_with("XX") => match s.as_bytes()[0] {
                b'1'..=b'5' => crate::responses::is_success(s, has_2xx),
                _ => {
                    out.push(spec.diagnostic(ptr, op, format!("`{status}` is not an HTTP status code, a range like `4XX`, or `default`")));
                    continue;
                }
            },
            s => match s.parse::<u16>() {
                Ok(100..=599) => crate::responses::is_success(s, has_2xx),
                _ => {
                    out.push(spec.diagnostic(ptr, op, format!("`{status}` is not an HTTP status code, a range like `4XX`, or `default`")));
                    continue;
                }
            },
        };
        let Some((response, response_ptr)) = deref(&spec.value, response, ptr) else {
            continue;
        };
        if let Some((media_type, media)) = response
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.iter().find(|(mt, _)| media::progenitor_decodes_json(mt)))
        {
            let media_ptr = response_ptr.join("content").join(media_type);
            check_media(
                spec,
                media,
                &media_ptr,
                op,
                &format!("response `{status}`"),
                true,
                out,
            );
        }
        let Some((kind, _)) = crate::responses::kind_of(status, response) else {
            continue;
        };
        if let Some(success) = class {
            classes[usize::from(!success)]
                .entry(kind)
                .or_default()
                .push(status.clone());
        }
    }
    for (set, what) in classes.iter().zip(["success", "error"]) {
        // An error enum carries a non-JSON error body as text; a success
        // one has no variant for a byte stream.
        let unsupported = set.keys().any(|k| match k {
            ResponseKind::Upgrade => true,
            ResponseKind::Raw => what == "success",
            _ => false,
        });
        if set.len() > 1 && unsupported {
            let detail = set
                .iter()
                .map(|(kind, statuses)| format!("{} → {}", statuses.join(", "), kind.describe()))
                .collect::<Vec<_>>()
                .join("; ");
            out.push(spec.diagnostic(
                responses_ptr.clone(),
                op,
                format!(
                    "{} different {what} response types ({detail}); a response enum holds JSON bodies, statuses without a body and (for errors) text bodies, not a success byte stream or a protocol upgrade beside them",
                    set.len()
                ),
            ));
        }
    }
}

/// Schema keywords that make progenitor's schema conversion panic.
fn check_schemas(
    spec: &Spec,
    value: &Value,
    pointer: JsonPointer,
    out: &mut Vec<Diagnostic>,
    defaults: &mut Vec<Diagnostic>,
    notes: &mut Vec<Diagnostic>,
) {
    match value {
        Value::Object(map) => {
            if let Some(values) = crate::schema_shapes::unnameable_enum(map) {
                notes.push(spec.diagnostic(
                    pointer.join("enum"),
                    operation_at(spec, &pointer).as_deref(),
                    format!(
                        "the enum values {} make the same Rust variant names (typify cannot tell them apart); the type is a plain string",
                        values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            // typify refuses a schema whose values are not of its type
            // ("value does not conform to the given schema", no location).
            if let Some(kind) = map.get("type").and_then(Value::as_str) {
                let values = map.get("enum").and_then(Value::as_array);
                for (i, value) in values.into_iter().flatten().enumerate() {
                    if !crate::schema_shapes::conforms(value, kind) {
                        out.push(spec.diagnostic(
                            pointer.join("enum").join(i),
                            operation_at(spec, &pointer).as_deref(),
                            format!("enum value `{value}` is not of the schema's type `{kind}`"),
                        ));
                    }
                }
                if let Some(default) = map.get("default") {
                    if crate::schema_shapes::default_outside_enum(map) {
                        defaults.push(spec.diagnostic(
                            pointer.join("default"),
                            operation_at(spec, &pointer).as_deref(),
                            format!("default `{default}` is not one of the schema's `enum` values"),
                        ));
                    } else if !crate::schema_shapes::conforms(default, kind) {
                        defaults.push(spec.diagnostic(
                            pointer.join("default"),
                            operation_at(spec, &pointer).as_deref(),
                            format!("default `{default}` is not of the schema's type `{kind}`"),
                        ));
                    }
                }
            }
            for (flag, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if map.get(flag) == Some(&Value::Bool(true)) && !map.contains_key(bound) {
                    out.push(spec.diagnostic(
                        pointer.join(flag),
                        operation_at(spec, &pointer).as_deref(),
                        format!("`{flag}: true` needs `{bound}`"),
                    ));
                }
            }
            for (key, child) in map {
                if key == "example" || key == "examples" || key == "default" || key == "enum" {
                    continue;
                }
                check_schemas(spec, child, pointer.join(key), out, defaults, notes);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_schemas(spec, child, pointer.join(i), out, defaults, notes);
            }
        }
        _ => {}
    }
}

/// Security requirements must name declared schemes and, for OAuth2, scopes
/// one of the scheme's flows offers.
fn check_security(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let root = &spec.value;
    let schemes = root
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let mut requirements: Vec<(JsonPointer, &Value, Option<&str>)> = Vec::new();
    if let Some(global) = root.get("security") {
        requirements.push((JsonPointer::root().join("security"), global, None));
    }
    for operation in operations(root) {
        if let Some(security) = operation.value.get("security") {
            requirements.push((operation.ptr.join("security"), security, operation.id()));
        }
    }
    for (ptr, list, op) in requirements {
        for (i, requirement) in list.as_array().into_iter().flatten().enumerate() {
            for (name, scopes) in requirement.as_object().into_iter().flatten() {
                let at = ptr.join(i).join(name);
                let Some(scheme) = schemes.and_then(|s| s.get(name)) else {
                    out.push(spec.diagnostic(at, op, format!("security scheme `{name}` is not declared in `components/securitySchemes`")));
                    continue;
                };
                let Some((scheme, _)) = deref(root, scheme, JsonPointer::root()) else {
                    continue;
                };
                if scheme.get("type").and_then(Value::as_str) != Some("oauth2") {
                    continue;
                }
                let offered: BTreeSet<&str> = scheme
                    .get("flows")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .flat_map(|(_, flow)| {
                        flow.get("scopes")
                            .and_then(Value::as_object)
                            .into_iter()
                            .flatten()
                            .map(|(s, _)| s.as_str())
                    })
                    .collect();
                for scope in scopes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !offered.contains(scope) {
                        out.push(spec.diagnostic(
                            at.clone(),
                            op,
                            format!("scope `{scope}` is not offered by security scheme `{name}`"),
                        ));
                    }
                }
            }
        }
    }
}
