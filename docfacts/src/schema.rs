//! Just enough reading of a spec's JSON to compare it with page facts:
//! local `$ref`s, `allOf` merges, property lookup without case, and a
//! schema's kind.

use serde_json::{Map, Value};

use crate::facts::Kind;

/// The value a local `$ref` (`#/components/...`) points to, followed
/// until it is not a reference (at most 32 hops, against cycles).
pub(crate) fn resolve<'a>(root: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(target) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        match target.strip_prefix('#').and_then(|p| root.pointer(p)) {
            Some(next) => value = next,
            None => return value,
        }
    }
    value
}

/// The properties of an object schema, including those of its `allOf`
/// branches, each with the schema that declares it and whether that
/// schema lists it as required.
pub(crate) fn properties<'a>(
    root: &'a Value,
    schema: &'a Value,
) -> Vec<(&'a str, &'a Value, bool)> {
    let mut out = Vec::new();
    collect(root, schema, &mut out, 0);
    out
}

fn collect<'a>(
    root: &'a Value,
    schema: &'a Value,
    out: &mut Vec<(&'a str, &'a Value, bool)>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    let schema = resolve(root, schema);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            out.push((name.as_str(), prop, required.contains(&name.as_str())));
        }
    }
    // allOf merges; oneOf/anyOf variants (a page documenting several
    // bodies in several tables) contribute every property of every branch.
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            for branch in branches {
                collect(root, branch, out, depth + 1);
            }
        }
    }
}

/// A property by name, without case or separators (`ID` finds `id`).
pub(crate) fn property<'a>(
    root: &'a Value,
    schema: &'a Value,
    name: &str,
) -> Option<(&'a str, &'a Value, bool)> {
    let props = properties(root, schema);
    props
        .iter()
        .find(|(n, _, _)| *n == name)
        .or_else(|| props.iter().find(|(n, _, _)| same_name(n, name)))
        .copied()
}

/// Names compare without case and without `-`/`_` separators.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    key(a) == key(b)
}

/// The schema of an array's items, if the schema is an array.
pub(crate) fn items<'a>(root: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let schema = resolve(root, schema);
    schema.get("items").map(|i| resolve(root, i))
}

/// The kind of JSON value a schema describes, if it says.
pub(crate) fn kind(root: &Value, schema: &Value) -> Option<Kind> {
    let schema = resolve(root, schema);
    let ty = schema.get("type").and_then(Value::as_str);
    if ty.is_none() {
        // `allOf: [$ref]` (a reference with siblings) and nullable
        // `anyOf`/`oneOf` wrappers take their branches' kind, if they agree.
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array) {
                let kinds: Vec<Kind> = branches
                    .iter()
                    .filter(|b| {
                        resolve(root, b).get("type").and_then(Value::as_str) != Some("null")
                    })
                    .filter_map(|b| kind(root, b))
                    .collect();
                if let Some(first) = kinds.first() {
                    if kinds.iter().all(|k| k == first) {
                        return Some(*first);
                    }
                }
                return None;
            }
        }
    }
    Some(match ty {
        Some("string") => Kind::String,
        Some("integer") => Kind::Integer,
        Some("number") => Kind::Number,
        Some("boolean") => Kind::Boolean,
        Some("array") => Kind::Array,
        Some("object") => Kind::Object,
        _ if schema.get("properties").is_some() || schema.get("allOf").is_some() => Kind::Object,
        _ => return None,
    })
}

/// Whether a page's kind fits a schema's: a number column may be written
/// as integer, and an object may be a named type the page links.
pub(crate) fn kinds_agree(page: Kind, spec: Kind) -> bool {
    page == spec
        || matches!(
            (page, spec),
            (Kind::Number, Kind::Integer) | (Kind::Integer, Kind::Number)
        )
}

/// The schema one level down a dotted field path from `schema`: through a
/// property, and through array items on the way.
pub(crate) fn descend<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = resolve(root, schema);
    match items(root, schema) {
        Some(items) => descend(root, items),
        None => schema,
    }
}

/// The schema that holds the `enum` of `schema`: itself, or the branch of
/// an `allOf`/`anyOf`/`oneOf` that has one.
pub(crate) fn enum_holder<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = resolve(root, schema);
    if schema.get("enum").is_some() {
        return schema;
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for branch in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let branch = resolve(root, branch);
            if branch.get("enum").is_some() {
                return branch;
            }
        }
    }
    schema
}

/// The object under a key, or an empty one.
pub(crate) fn object<'a>(value: &'a Value, key: &str) -> Option<&'a Map<String, Value>> {
    value.get(key).and_then(Value::as_object)
}
