//! Parameter names that progenitor would turn into the same Rust name.
//!
//! progenitor names each parameter's builder method, struct field and local
//! after the parameter (snake case), and the request body `body`, without
//! making them unique: `Mode` and `mode`, or a query parameter `body` next
//! to a request body, generate code that does not compile. Such a
//! parameter is given a distinct name in the document progenitor sees
//! ([`shape_document`]), and the emit stage puts the wire name back into
//! the generated request and mock code (`emit::wire_names`), so the
//! request on the wire is exactly the documented one.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::error::JsonPointer;
use crate::model::{Model, Parameter};
use crate::walk;

/// Lowercase letters and digits: two names with the same key become the
/// same snake-case Rust name (an over-approximation of progenitor's rule,
/// which only ever renames more than needed). The one comparison of names
/// across naming styles (an `operationId` and progenitor's method, a
/// parameter and its builder method, a component and its Rust type).
pub(crate) fn key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// SCREAMING_SNAKE_CASE of a name, with `_` where the case changes or a
/// character is not a letter or digit (`elementsCommercial` →
/// `ELEMENTS_COMMERCIAL`, `graph-au.example.com` → `GRAPH_AU_EXAMPLE_COM`);
/// `fallback` is put in front of a result that is empty or starts with a
/// digit, which would not be an identifier. The one spelling of every
/// generated constant's name.
pub(crate) fn screaming_snake(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    let out = out.trim_matches('_');
    if out.is_empty() {
        fallback.to_owned()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{fallback}_{out}")
    } else {
        out.to_owned()
    }
}

/// Assigns `progenitor_name` to every parameter of an operation whose Rust
/// name would collide with an earlier parameter's or with the body's.
pub(crate) fn assign(parameters: &mut [Parameter], has_body: bool) {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    if has_body {
        taken.insert("body".to_owned());
    }
    let all: BTreeSet<String> = parameters.iter().map(|p| key(&p.name)).collect();
    for parameter in parameters.iter_mut() {
        let base = key(&parameter.name);
        if taken.insert(base.clone()) {
            continue;
        }
        let mut candidates = std::iter::once(format!("{}_{}", parameter.name, parameter.location))
            .chain((2..).map(|n| format!("{}_{n}", parameter.name)));
        let shaped = candidates
            .find(|c| !taken.contains(&key(c)) && !all.contains(&key(c)))
            .unwrap_or_default();
        taken.insert(key(&shaped));
        parameter.progenitor_name = Some(shaped);
    }
}

/// Whether any operation has a renamed parameter.
pub(crate) fn any_renamed(model: &Model) -> bool {
    model
        .operations
        .iter()
        .any(|op| op.parameters.iter().any(|p| p.progenitor_name.is_some()))
}

/// Gives the renamed parameters their progenitor names in `document` (the
/// JSON value progenitor will read). Every operation of an affected path
/// item gets its full parameter list inline, and the path item's own list
/// is dropped, so no `$ref`'d component or shared entry changes for other
/// operations.
pub(crate) fn shape_document(model: &Model, document: &mut Value) {
    let affected: BTreeSet<String> = model
        .operations
        .iter()
        .filter(|op| op.parameters.iter().any(|p| p.progenitor_name.is_some()))
        .map(|op| op.path.clone())
        .collect();
    for path in affected {
        let item_ptr = JsonPointer::root().join("paths").join(&path);
        let mut new_path = path.clone();
        for op in model.operations.iter().filter(|op| op.path == path) {
            let list = merged_parameters(document, &op.ptr)
                .into_iter()
                .map(|mut param| {
                    let (name, location) = (text(&param, "name"), text(&param, "in"));
                    let renamed = op
                        .parameters
                        .iter()
                        .find(|p| p.name == name && p.location == location)
                        .and_then(|p| p.progenitor_name.clone());
                    if let (Some(renamed), Value::Object(map)) = (renamed, &mut param) {
                        if location == "path" {
                            new_path =
                                new_path.replace(&format!("{{{name}}}"), &format!("{{{renamed}}}"));
                        }
                        map.insert("name".to_owned(), Value::String(renamed));
                    }
                    param
                })
                .collect();
            if let Some(Value::Object(operation)) = document.pointer_mut(op.ptr.as_str()) {
                operation.insert("parameters".to_owned(), Value::Array(list));
            }
        }
        if let Some(Value::Object(item)) = document.pointer_mut(item_ptr.as_str()) {
            item.remove("parameters");
        }
        if new_path != path {
            if let Some(Value::Object(paths)) = document.get_mut("paths") {
                // Rebuilt in order: progenitor generates operations in
                // document order, which the emit stage relies on.
                *paths = std::mem::take(paths)
                    .into_iter()
                    .map(|(key, item)| match key == path {
                        true => (new_path.clone(), item),
                        false => (key, item),
                    })
                    .collect();
            }
        }
    }
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The operation's parameters with path-item ones merged in, `$ref`s
/// resolved, as values.
fn merged_parameters(document: &Value, op_ptr: &JsonPointer) -> Vec<Value> {
    let Some(item_ptr) = op_ptr.parent() else {
        return Vec::new();
    };
    let lists = [item_ptr, op_ptr.clone()].map(|ptr| {
        document
            .pointer(ptr.as_str())
            .and_then(|holder| holder.get("parameters"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    });
    let mut out: Vec<Value> = Vec::new();
    for param in lists.into_iter().flatten() {
        let Some((param, _)) = walk::deref(document, &param, JsonPointer::root()) else {
            continue;
        };
        let param = param.clone();
        let same = |other: &Value| {
            text(other, "name") == text(&param, "name") && text(other, "in") == text(&param, "in")
        };
        match out.iter_mut().find(|o| same(o)) {
            Some(existing) => *existing = param,
            None => out.push(param),
        }
    }
    out
}
