//! Query parameters whose value is a JSON document: a parameter with
//! `content: {application/json: {schema: ..}}` instead of `schema` (OpenAPI
//! 3.0.3, Parameter Object: the value is serialized as the media type, then
//! percent-encoded), such as a search filter
//! `filter={"Field":"Domain","Value":"cont"}`.
//!
//! progenitor reads only `schema` on parameters and fails on `content`. So
//! validation accepts `content` where its meaning is clear (a query
//! parameter, one JSON media type with a schema) and refuses the rest;
//! the document progenitor sees types such a parameter
//! `partner_api_runtime::query::Json<T>`, `T` the media type's schema's
//! type, which the caller builds from a `T` and which serializes as its
//! compact JSON text. The emit pass `emit::json_query` orders `T`'s fields
//! as the schema orders its properties, so the text has its keys in the
//! documented order.

use serde_json::{Map, Value};

use crate::error::{Diagnostic, JsonPointer};
use crate::load::Spec;
use crate::media;

/// The one media type and its object of a parameter's `content`, when the
/// parameter has `content` with exactly one entry.
pub(crate) fn media_of(param: &Value) -> Option<(&String, &Value)> {
    let content = param.get("content")?.as_object()?;
    match content.len() {
        1 => content.iter().next(),
        _ => None,
    }
}

/// Whether the parameter is sent as JSON text: `content` with one JSON
/// media type (validation refuses every other use of `content`).
pub(crate) fn is_json_text(param: &Value) -> bool {
    media_of(param).is_some_and(|(media_type, _)| media::is_json(media_type))
}

/// Where the schema of a parameter's value is: its `schema`, or the
/// schema of its one `content` media type.
pub(crate) fn schema_pointer(param: &Value, ptr: &JsonPointer) -> Option<JsonPointer> {
    if param.get("schema").is_some() {
        return Some(ptr.join("schema"));
    }
    let (media_type, media) = media_of(param)?;
    media
        .get("schema")
        .map(|_| ptr.join("content").join(media_type).join("schema"))
}

/// The property names of a JSON-text parameter's object schema (`$ref`s
/// followed), in the order the schema declares them; empty for any other
/// parameter or schema.
pub(crate) fn declared_keys(root: &Value, param: &Value) -> Vec<String> {
    if !is_json_text(param) {
        return Vec::new();
    }
    let schema = media_of(param).and_then(|(_, media)| media.get("schema"));
    schema
        .and_then(|schema| crate::walk::deref(root, schema, JsonPointer::root()))
        .and_then(|(schema, _)| schema.get("properties")?.as_object())
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

/// Checks a parameter that has `content`: a query parameter, no `schema`
/// or serialization keywords beside it, exactly one JSON media type with
/// a schema and no `encoding`.
pub(crate) fn check(
    spec: &Spec,
    param: &Value,
    ptr: &JsonPointer,
    op: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let name = param
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let place = param.get("in").and_then(Value::as_str).unwrap_or_default();
    let content_ptr = ptr.join("content");
    let mut problem = |at: JsonPointer, message: String| {
        out.push(spec.diagnostic(at, op, format!("parameter `{name}`: {message}")));
    };
    if place != "query" {
        problem(
            content_ptr.clone(),
            format!(
                "`content` is only supported on query parameters (sent as JSON text), not on {place} parameters; use `schema`"
            ),
        );
    }
    if param.get("schema").is_some() {
        problem(
            ptr.join("schema"),
            "has both `schema` and `content`; a parameter has one of them".to_owned(),
        );
    }
    for key in ["style", "explode", "allowReserved"] {
        if param.get(key).is_some() {
            problem(
                ptr.join(key),
                format!("`{key}` does not apply beside `content`; the value is sent as JSON text"),
            );
        }
    }
    let Some(content) = param.get("content").and_then(Value::as_object) else {
        problem(
            content_ptr,
            "`content` must be an object with one media type".to_owned(),
        );
        return;
    };
    if content.len() != 1 {
        let types: Vec<&str> = content.keys().map(String::as_str).collect();
        problem(
            content_ptr,
            format!(
                "`content` must have exactly one media type, found {} ({})",
                types.len(),
                if types.is_empty() {
                    "none".to_owned()
                } else {
                    types.join(", ")
                }
            ),
        );
        return;
    }
    let Some((media_type, media_object)) = content.iter().next() else {
        return;
    };
    let media_ptr = content_ptr.join(media_type);
    if !media::is_json(media_type) {
        problem(
            media_ptr,
            format!(
                "media type `{media_type}` in `content` is not supported; only JSON (`application/json`) values can be sent in a query parameter"
            ),
        );
        return;
    }
    if media_object.get("schema").is_none() {
        problem(
            media_ptr.clone(),
            format!("media type `{media_type}` in `content` has no `schema`"),
        );
    }
    if media_object.get("encoding").is_some() {
        problem(
            media_ptr.join("encoding"),
            "`encoding` is not supported on a parameter's media type".to_owned(),
        );
    }
}

/// The edits that give every JSON-text parameter (inline in an operation or
/// path item, or under `components/parameters`) its media type's schema
/// as `schema`, for the document progenitor sees; as `(JSON pointer, new
/// parameter)` pairs for [`apply`], none when no parameter has `content`.
pub(crate) fn shape_edits(document: &Value) -> Vec<(String, Value)> {
    let mut edits = Vec::new();
    // `owner` names an inline object or enum schema's type (typify needs
    // a name for it): the operation, path or component parameter it is in.
    let mut visit = |list: Option<&Value>, base: JsonPointer, owner: &str| {
        let params: Vec<(String, &Value)> = match list {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, p)| (i.to_string(), p))
                .collect(),
            Some(Value::Object(map)) => map.iter().map(|(k, p)| (k.clone(), p)).collect(),
            _ => Vec::new(),
        };
        for (key, param) in params {
            if let Some(shaped) = shaped(param, owner) {
                edits.push((base.join(&key).as_str().to_owned(), shaped));
            }
        }
    };
    let paths = JsonPointer::root().join("paths");
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        visit(
            item.get("parameters"),
            paths.join(path).join("parameters"),
            path,
        );
    }
    let ops = crate::walk::operations(document);
    for (op, id) in ops.iter().zip(crate::walk::operation_ids(document)) {
        visit(op.value.get("parameters"), op.ptr.join("parameters"), &id);
    }
    visit(
        document.pointer("/components/parameters"),
        JsonPointer::root().join("components").join("parameters"),
        "",
    );
    edits
}

/// Applies [`shape_edits`] to the document they were computed on.
pub(crate) fn apply(document: &mut Value, edits: Vec<(String, Value)>) {
    crate::media::apply(document, edits);
}

/// The schema typify reads as `partner_api_runtime::query::Json<T>`, `T`
/// the type of `schema`: a value that serializes as its JSON text, which
/// the query string then percent-encodes. (A struct parameter of its own
/// would be sent field by field, and progenitor stops with `unreachable!`
/// on an optional one, since typify gives structs builders.)
fn json_type(schema: Value) -> Value {
    let runtime = crate::emit::RUNTIME;
    serde_json::json!({
        "x-rust-type": {
            "crate": runtime,
            "version": "*",
            "path": format!("{runtime}::query::Json"),
            "parameters": [schema],
        }
    })
}

/// The parameter as progenitor sees it: `content` replaced by its media
/// type's schema; `None` when it is not a JSON-text parameter.
fn shaped(param: &Value, owner: &str) -> Option<Value> {
    if !is_json_text(param) {
        return None;
    }
    let (_, media) = media_of(param)?;
    let mut schema = media.get("schema")?.clone();
    // Inside `x-rust-type` typify names an inline type by its title only;
    // this is the name progenitor gives a parameter's type otherwise.
    if let Value::Object(fields) = &mut schema {
        let named = ["enum", "properties", "oneOf", "anyOf", "allOf"]
            .iter()
            .any(|key| fields.contains_key(*key));
        if named && !fields.contains_key("title") {
            let name = param
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let title = format!("{owner} {name}");
            fields.insert("title".to_owned(), Value::String(title.trim().to_owned()));
        }
    }
    let mut out: Map<String, Value> = param.as_object()?.clone();
    out.remove("content");
    out.insert("schema".to_owned(), json_type(schema));
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_json_query_parameter_gets_its_media_type_schema() {
        let document = json!({
            "paths": {"/things": {"get": {"parameters": [
                {"name": "size", "in": "query", "schema": {"type": "integer"}},
                {"name": "filter", "in": "query", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Filter"},
                    "examples": {"one": {"value": {"Field": "Name"}}}
                }}}
            ]}}},
            "components": {"parameters": {"Search": {"name": "q", "in": "query", "content": {
                "application/json": {"schema": {"type": "object"}}
            }}}}
        });
        let edits = super::shape_edits(&document);
        let pointers: Vec<&str> = edits.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1things/get/parameters/1",
                "/components/parameters/Search"
            ]
        );
        assert_eq!(
            edits[0].1,
            json!({"name": "filter", "in": "query", "schema": {"x-rust-type": {
                "crate": "partner_api_runtime",
                "version": "*",
                "path": "partner_api_runtime::query::Json",
                "parameters": [{"$ref": "#/components/schemas/Filter"}]
            }}})
        );
        let mut shaped = document.clone();
        super::apply(&mut shaped, edits);
        assert_eq!(
            shaped.pointer("/components/parameters/Search/schema/x-rust-type/parameters/0"),
            Some(&json!({"type": "object"}))
        );
    }

    #[test]
    fn a_document_without_content_parameters_needs_no_edits() {
        let document = json!({"paths": {"/things": {"get": {"parameters": [
            {"name": "size", "in": "query", "schema": {"type": "integer"}}
        ]}}}});
        assert!(super::shape_edits(&document).is_empty());
    }
}
