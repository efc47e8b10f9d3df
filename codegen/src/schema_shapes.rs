//! Schemas shaped before typify sees them, where typify stops (`todo!` or a
//! panic) on a construct whose meaning is clear:
//!
//! - `format` on an `object` or `array` schema (Twilio's `uri-map`, Azure's
//!   `file`) is dropped: JSON Schema's formats describe strings and
//!   numbers, and OpenAPI defines none for objects or arrays, so it says
//!   nothing about the value. typify-impl 0.8 `convert.rs` stops with
//!   "invalid (or unexpected) schema" on it.
//! - an `enum` without `type` whose values are of several JSON types
//!   (`[true, false, 0, 1]`) becomes a `oneOf` of one typed `enum` per
//!   type, in the order the types first occur; typify panics with
//!   "multiple implied types for an un-typed enum" on it, and makes an
//!   untagged enum of the `oneOf`. A `null` among the values makes the
//!   schema `nullable`.
//!
//! - a string `enum` whose values typify would give the same variant name
//!   (`e-` and `e+`, `reactions-+1` and `reactions--1`) loses its `enum`
//!   and is a plain string: typify-impl 0.8 `type_entry.rs` panics with
//!   "Failed to make unique variant names" on it. Validation warns about it
//!   ([`unnameable_enum`]).
//! - a `default` that is not of the schema's `type`, or not one of its
//!   `enum` values, is dropped; validation
//!   refuses it, or warns under `samples = "warn"` (typify fails with "value
//!   does not conform to the given schema", naming no schema).
//!
//! - carriage returns in descriptions, summaries and titles become line
//!   feeds: they end up in doc comments, where rustc refuses a bare CR.
//!
//! Samples and defaults are data and are otherwise left alone.

use serde_json::{Map, Value};

/// Keys whose values are data, not schemas.
const DATA: [&str; 4] = ["example", "examples", "default", "enum"];

/// Shapes every schema of `document` as the module says; returns how many
/// it changed.
pub(crate) fn shape_for_typify(document: &mut Value) -> usize {
    let mut count = 0;
    walk(document, &mut count);
    count
}

fn walk(value: &mut Value, count: &mut usize) {
    match value {
        Value::Object(map) => {
            for key in ["description", "summary", "title"] {
                if let Some(Value::String(text)) = map.get_mut(key) {
                    if text.contains('\r') {
                        *text = text.replace("\r\n", "\n").replace('\r', "\n");
                        *count += 1;
                    }
                }
            }
            if drop_container_format(map) {
                *count += 1;
            }
            if split_mixed_enum(map) {
                *count += 1;
            }
            if drop_foreign_default(map) {
                *count += 1;
            }
            if drop_unnameable_enum(map) {
                *count += 1;
            }
            for (key, child) in map.iter_mut() {
                if !DATA.contains(&key.as_str()) {
                    walk(child, count);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, count)),
        _ => {}
    }
}

/// Whether `value` is of the JSON Schema type `kind` (`null` always is:
/// whether it is allowed is `nullable`'s business). An integer must be
/// written without a fraction: JSON Schema accepts `1.0`, typify does not.
/// Unknown types accept anything.
pub(crate) fn conforms(value: &Value, kind: &str) -> bool {
    match (kind, value) {
        (_, Value::Null) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("number", Value::Number(_))
        | ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        ("integer" | "number" | "string" | "boolean" | "array" | "object", _) => false,
        _ => true,
    }
}

/// Whether the schema has an `enum` and a non-null `default` that is not
/// one of its values (typify refuses the schema then too).
pub(crate) fn default_outside_enum(map: &Map<String, Value>) -> bool {
    match (
        map.get("enum").and_then(Value::as_array),
        map.get("default"),
    ) {
        (Some(values), Some(default)) => !default.is_null() && !values.contains(default),
        _ => false,
    }
}

/// Drops a `default` that is not of the schema's `type`, or not one of its
/// `enum` values: validation
/// refuses it, or under `samples = "warn"` warns about it, since typify
/// refuses the schema otherwise.
fn drop_foreign_default(map: &mut Map<String, Value>) -> bool {
    let foreign = match (map.get("type").and_then(Value::as_str), map.get("default")) {
        (Some(kind), Some(default)) => !conforms(default, kind) || default_outside_enum(map),
        _ => false,
    };
    if foreign {
        map.remove("default");
    }
    foreign
}

/// typify's name for an enum variant (typify-impl 0.8 `util.rs`
/// `sanitize`, Pascal case).
fn variant_name(raw: &str) -> String {
    use heck::ToPascalCase;
    let out = match raw {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => raw
            .replace('\'', "")
            .replace(|c| !unicode_ident::is_xid_continue(c), "-")
            .to_pascal_case(),
    };
    match out.chars().next() {
        None => "X".to_owned(),
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("X{out}"),
    }
}

/// The values of a string `enum` that typify cannot give distinct variant
/// names (it tries each value's name, then one with the elided characters
/// as `X`, and panics when both collide); `None` when it can, or when
/// `schema` is not a string enum.
pub(crate) fn unnameable_enum(schema: &Map<String, Value>) -> Option<Vec<&str>> {
    if !matches!(
        schema.get("type").and_then(Value::as_str),
        None | Some("string")
    ) {
        return None;
    }
    let values: Vec<&str> = schema
        .get("enum")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let unique = |names: Vec<String>| {
        let mut seen = std::collections::BTreeSet::new();
        names.into_iter().all(|name| seen.insert(name))
    };
    let plain = values.iter().map(|v| variant_name(v)).collect();
    let with_x = values
        .iter()
        .map(|v| variant_name(&v.replace(|c| c == '_' || !unicode_ident::is_xid_continue(c), "X")))
        .collect();
    if unique(plain) || unique(with_x) {
        return None;
    }
    Some(values)
}

/// Drops the `enum` of a string enum typify cannot name ([`unnameable_enum`]).
fn drop_unnameable_enum(map: &mut Map<String, Value>) -> bool {
    if unnameable_enum(map).is_some() {
        map.remove("enum");
        true
    } else {
        false
    }
}

/// Drops a string `format` beside `type: object` or `type: array`.
fn drop_container_format(map: &mut Map<String, Value>) -> bool {
    let container = matches!(
        map.get("type").and_then(Value::as_str),
        Some("object" | "array")
    );
    if container && map.get("format").is_some_and(Value::is_string) {
        map.remove("format");
        true
    } else {
        false
    }
}

/// The JSON Schema type of an enum value; `None` for `null`.
fn json_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::Null => None,
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        Value::String(_) => Some("string"),
        Value::Array(_) => Some("array"),
        Value::Object(_) => Some("object"),
    }
}

/// Splits an untyped `enum` of several JSON types into a `oneOf` of typed
/// ones. Integers and other numbers together are one `number` enum.
fn split_mixed_enum(map: &mut Map<String, Value>) -> bool {
    if map.contains_key("type") || map.contains_key("$ref") {
        return false;
    }
    let Some(Value::Array(values)) = map.get("enum") else {
        return false;
    };
    let mut groups: Vec<(&'static str, Vec<Value>)> = Vec::new();
    let mut null = false;
    for value in values {
        let Some(mut kind) = json_type(value) else {
            null = true;
            continue;
        };
        if kind == "integer" && groups.iter().any(|(k, _)| *k == "number") {
            kind = "number";
        }
        if kind == "number" {
            if let Some(group) = groups.iter_mut().find(|(k, _)| *k == "integer") {
                group.0 = "number";
            }
        }
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, members)) => members.push(value.clone()),
            None => groups.push((kind, vec![value.clone()])),
        }
    }
    if groups.len() < 2 {
        return false;
    }
    map.remove("enum");
    let branches = groups
        .into_iter()
        .map(|(kind, members)| serde_json::json!({ "type": kind, "enum": members }))
        .collect();
    map.insert("oneOf".to_owned(), Value::Array(branches));
    if null {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_of_objects_and_arrays_are_dropped_and_others_kept() {
        let mut document = json!({"components": {"schemas": {
            "Links": {"type": "object", "format": "uri-map", "description": "d"},
            "List": {"type": "array", "format": "csv", "items": {"type": "string", "format": "uri"}},
            "When": {"type": "string", "format": "date-time"},
            "Sample": {"type": "object", "example": {"type": "object", "format": "kept"}},
        }}});
        assert_eq!(shape_for_typify(&mut document), 2);
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Links"],
            json!({"type": "object", "description": "d"})
        );
        assert_eq!(schemas["List"]["items"]["format"], "uri");
        assert!(schemas["List"].get("format").is_none());
        assert_eq!(schemas["When"]["format"], "date-time");
        assert_eq!(schemas["Sample"]["example"]["format"], "kept");
    }

    #[test]
    fn carriage_returns_in_descriptions_become_line_feeds() {
        let mut schema = json!({"description": "a\r\nb\rc", "example": {"description": "x\ry"}});
        assert_eq!(shape_for_typify(&mut schema), 1);
        assert_eq!(schema["description"], "a\nb\nc");
        assert_eq!(schema["example"]["description"], "x\ry");
    }

    #[test]
    fn string_enums_typify_cannot_name_are_plain_strings() {
        let mut schema = json!({"type": "string", "enum": ["e-", "e+", "mu-"]});
        assert_eq!(shape_for_typify(&mut schema), 1);
        assert_eq!(schema, json!({"type": "string"}));
        // typify's second try (elided characters as `X`) tells these apart.
        for mut kept in [
            json!({"type": "string", "enum": ["a-b", "aB"]}),
            json!({"type": "string", "enum": ["+1", "-1"]}),
            json!({"type": "string", "enum": ["open", "closed"]}),
        ] {
            let before = kept.clone();
            assert_eq!(shape_for_typify(&mut kept), 0, "{before}");
            assert_eq!(kept, before);
        }
    }

    #[test]
    fn an_untyped_enum_of_several_types_becomes_one_of_typed_enums() {
        let mut schema =
            json!({"description": "flag", "enum": [true, false, 0, 1.5, 1, null, "x"]});
        assert_eq!(shape_for_typify(&mut schema), 1);
        assert_eq!(
            schema,
            json!({
                "description": "flag",
                "nullable": true,
                "oneOf": [
                    {"type": "boolean", "enum": [true, false]},
                    {"type": "number", "enum": [0, 1.5, 1]},
                    {"type": "string", "enum": ["x"]},
                ],
            })
        );
        // One type, a typed enum, or a reference: left alone.
        for mut kept in [
            json!({"enum": ["a", "b", null]}),
            json!({"type": "string", "enum": ["a", 1]}),
            json!({"$ref": "#/x", "enum": [1, "a"]}),
        ] {
            let before = kept.clone();
            assert_eq!(shape_for_typify(&mut kept), 0);
            assert_eq!(kept, before);
        }
    }
}
