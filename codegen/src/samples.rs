//! The documented samples attached to a spec's operations, and the JSON
//! Schema each one must satisfy.

use serde_json::{json, Map, Value};

use crate::error::{Diagnostic, JsonPointer};
use crate::load::Spec;
use crate::media;
use crate::walk::{deref, entries, operations};

/// What part of an exchange a sample shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SampleKind {
    /// The value of a parameter, e.g. a path id or a header.
    Parameter {
        /// The parameter's name.
        name: String,
        /// Where it goes: `path`, `query`, `header` or `cookie`.
        location: String,
    },
    /// A request body.
    Request {
        /// Its media type.
        media_type: String,
    },
    /// A response body.
    Response {
        /// The status key as written in the spec, e.g. `200` or `4XX`.
        status: String,
        /// Its media type.
        media_type: String,
    },
    /// A response header value.
    ResponseHeader {
        /// The status key as written in the spec.
        status: String,
        /// The header's name.
        name: String,
    },
}

/// One documented sample value attached to an operation.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The `operationId` of the operation, or the path and method when the
    /// operation has none.
    pub operation: String,
    /// The request path template, e.g. `/partner/customers/{id}`.
    pub path: String,
    /// The HTTP method, lowercase.
    pub method: String,
    /// What the sample shows.
    pub kind: SampleKind,
    /// The sample's name in an `examples` map, or `example` for the
    /// single-valued form.
    pub name: String,
    /// Where the sample value is in the spec.
    pub pointer: JsonPointer,
    /// The sample value.
    pub value: Value,
    /// Where the schema the value must satisfy is in the spec, if any.
    pub schema: Option<JsonPointer>,
}

/// Every sample attached to an operation in `spec`, in document order.
pub fn samples(spec: &Spec) -> Vec<Sample> {
    let root = &spec.value;
    let mut out = Vec::new();
    for op in operations(root) {
        let schema_at = |holder: &Value, holder_ptr: &JsonPointer| {
            holder
                .get("schema")
                .and_then(|schema| deref(root, schema, holder_ptr.join("schema")).map(|(_, p)| p))
        };
        let mut push = |kind: SampleKind,
                        schema: Option<JsonPointer>,
                        values: Vec<(String, Value, JsonPointer)>| {
            for (name, value, pointer) in values {
                out.push(Sample {
                    operation: op.name(),
                    path: op.path.to_owned(),
                    method: op.method.to_owned(),
                    kind: kind.clone(),
                    name,
                    pointer,
                    value,
                    schema: schema.clone(),
                });
            }
        };
        for (param, param_ptr) in op.parameters(root) {
            let kind = SampleKind::Parameter {
                name: str_field(param, "name"),
                location: str_field(param, "in"),
            };
            match crate::json_query::media_of(param) {
                // A value sent as JSON text: its samples may be on the
                // parameter or on its media type, and both are checked
                // against the media type's schema.
                Some((media_type, media)) => {
                    let media_ptr = param_ptr.join("content").join(media_type);
                    let mut values = sample_values(root, param, &param_ptr);
                    values.extend(sample_values(root, media, &media_ptr));
                    push(kind, schema_at(media, &media_ptr), values);
                }
                None => push(
                    kind,
                    schema_at(param, &param_ptr),
                    sample_values(root, param, &param_ptr),
                ),
            }
        }

        if let Some((body, body_ptr)) = op.request_body(root) {
            for (media_type, content, content_ptr) in entries(root, body, "content", &body_ptr) {
                let kind = SampleKind::Request {
                    media_type: media_type.clone(),
                };
                push(
                    kind,
                    schema_at(content, &content_ptr),
                    sample_values(root, content, &content_ptr),
                );
            }
        }

        for (status, response, response_ptr) in entries(root, op.value, "responses", &op.ptr) {
            for (media_type, content, content_ptr) in
                entries(root, response, "content", &response_ptr)
            {
                let kind = SampleKind::Response {
                    status: status.clone(),
                    media_type: media_type.clone(),
                };
                push(
                    kind,
                    schema_at(content, &content_ptr),
                    sample_values(root, content, &content_ptr),
                );
            }
            for (name, header, header_ptr) in entries(root, response, "headers", &response_ptr) {
                let kind = SampleKind::ResponseHeader {
                    status: status.clone(),
                    name: name.clone(),
                };
                push(
                    kind,
                    schema_at(header, &header_ptr),
                    sample_values(root, header, &header_ptr),
                );
            }
        }
    }
    out
}

fn str_field(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The `example` and `examples` values of a parameter, header or media type
/// object, with `$ref`s to `components/examples` followed.
fn sample_values(
    root: &Value,
    holder: &Value,
    holder_ptr: &JsonPointer,
) -> Vec<(String, Value, JsonPointer)> {
    let mut out = Vec::new();
    if let Some(value) = holder.get("example") {
        out.push((
            "example".to_owned(),
            value.clone(),
            holder_ptr.join("example"),
        ));
    }
    for (name, example) in holder
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let example_ptr = holder_ptr.join("examples").join(name);
        if let Some((example, example_ptr)) = deref(root, example, example_ptr) {
            if let Some(value) = example.get("value") {
                out.push((name.clone(), value.clone(), example_ptr.join("value")));
            }
        }
    }
    out
}

/// A self-contained JSON Schema (draft 4, the dialect OpenAPI 3.0 schemas
/// extend) for the schema at `pointer`: OpenAPI's `nullable` becomes a
/// `null` type, and `$ref`s to components resolve inside the result.
pub fn json_schema(spec: &Spec, pointer: &JsonPointer) -> Option<Value> {
    json_schema_with(spec, pointer, &components(spec))
}

/// The document's component schemas, converted to JSON Schema once.
fn components(spec: &Spec) -> Value {
    spec.value
        .get("components")
        .and_then(|c| c.get("schemas"))
        .map(to_json_schema)
        .unwrap_or_else(|| json!({}))
}

fn json_schema_with(spec: &Spec, pointer: &JsonPointer, components: &Value) -> Option<Value> {
    let schema = spec.value.pointer(pointer.as_str())?;
    let mut root = to_json_schema(schema);
    if let Value::Object(map) = &mut root {
        map.insert(
            "components".to_owned(),
            json!({ "schemas": components.clone() }),
        );
    } else {
        // `true`/`false` schemas cannot carry definitions; wrap them.
        root = json!({ "allOf": [root], "components": { "schemas": components.clone() } });
    }
    Some(root)
}

fn to_json_schema(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .filter(|(key, _)| !key.starts_with("x-") && key.as_str() != "nullable")
                .map(|(key, value)| (key.clone(), to_json_schema(value)))
                .collect();
            if map.get("nullable") == Some(&Value::Bool(true)) {
                match out.get_mut("type") {
                    Some(Value::String(ty)) => {
                        let ty = ty.clone();
                        out.insert("type".to_owned(), json!([ty, "null"]));
                        if let Some(Value::Array(values)) = out.get_mut("enum") {
                            if !values.contains(&Value::Null) {
                                values.push(Value::Null);
                            }
                        }
                    }
                    _ => return json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

/// The URI under which the document's converted components are
/// registered, so that a sample's schema refers to them without a copy.
const COMPONENTS_URI: &str = "urn:partner-apis:openapi-components";

/// `schema` with every local `$ref` (`#/components/...`) pointing into the
/// registered components resource instead.
fn rebase_refs(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(reference) if key == "$ref" && reference.starts_with("#/") => {
                        *reference = format!("{COMPONENTS_URI}{reference}");
                    }
                    other => rebase_refs(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rebase_refs),
        _ => {}
    }
}

/// Checks every sample against its schema with a JSON Schema validator.
///
/// The document's components are converted once and registered as one
/// resource that every sample schema refers to; each distinct schema is
/// compiled once, used for all its samples and dropped, so time and memory
/// grow with samples + schemas, not with samples × document size (GitHub's
/// description has thousands of samples over megabytes of components).
pub(crate) fn check_samples(spec: &Spec, samples: &[Sample]) -> Vec<Diagnostic> {
    let mut out: Vec<(usize, Diagnostic)> = Vec::new();
    let components = json!({ "components": { "schemas": components(spec) } });
    let registry = match jsonschema::Registry::new()
        .draft(jsonschema::Draft::Draft4)
        .add(COMPONENTS_URI, &components)
        .and_then(|builder| builder.prepare())
    {
        Ok(registry) => registry,
        Err(err) => {
            return vec![spec.diagnostic(
                JsonPointer::root().join("components").join("schemas"),
                None,
                format!("the component schemas are not valid JSON Schema: {err}"),
            )]
        }
    };
    // Samples grouped by schema, in document order within each group.
    let mut groups: std::collections::BTreeMap<&JsonPointer, Vec<(usize, &Sample)>> =
        std::collections::BTreeMap::new();
    for (index, sample) in samples.iter().enumerate() {
        let Some(schema_ptr) = &sample.schema else {
            continue;
        };
        if let SampleKind::Request { media_type } | SampleKind::Response { media_type, .. } =
            &sample.kind
        {
            if !media::is_json(media_type) {
                continue;
            }
        }
        groups.entry(schema_ptr).or_default().push((index, sample));
    }
    for (schema_ptr, group) in groups {
        let Some(raw) = spec.value.pointer(schema_ptr.as_str()) else {
            continue;
        };
        let mut schema = to_json_schema(raw);
        rebase_refs(&mut schema);
        let first = group[0].1;
        let validator = match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .with_registry(&registry)
            .should_validate_formats(true)
            // Draft 4 knows no `uuid` format, but OpenAPI specs use it and
            // the generated client rejects non-GUIDs, so samples must match.
            .with_format("uuid", is_uuid)
            .build(&schema)
        {
            Ok(validator) => validator,
            Err(err) => {
                out.push((
                    group[0].0,
                    spec.diagnostic(
                        schema_ptr.clone(),
                        Some(&first.operation),
                        format!("schema is not valid JSON Schema: {err}"),
                    ),
                ));
                continue;
            }
        };
        for (index, sample) in group {
            for error in validator.iter_errors(&sample.value) {
                let at = error.instance_path().to_string();
                // Point at the offending value inside the sample, so the
                // reported line is the line of that value.
                let pointer = JsonPointer::parse(&format!("{}{at}", sample.pointer.as_str()))
                    .unwrap_or_else(|| sample.pointer.clone());
                let at = if at.is_empty() { "/".to_owned() } else { at };
                out.push((
                    index,
                    spec.diagnostic(
                        pointer,
                        Some(&sample.operation),
                        format!(
                            "sample `{}` does not match its schema at {at}: {error}",
                            sample.name
                        ),
                    ),
                ));
            }
        }
    }
    // Reported in document order, whatever the grouping.
    out.sort_by_key(|(index, _)| *index);
    out.into_iter().map(|(_, d)| d).collect()
}

/// Whether `text` is a hyphenated GUID (8-4-4-4-12 hexadecimal digits).
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}
