//! Schemas: `$ref`s are followed (a change inside a shared component is
//! reported at every operation that uses it), and recursive schemas
//! terminate because a pair of components already being compared is not
//! entered again. Pairs of components are compared once and the result
//! reused, which keeps large documents fast. Object properties are compared
//! in [`super::properties`].

use std::rc::Rc;

use serde_json::Value;

use super::engine::Differ;
use super::rules::{self, Rule};
use super::{Direction, Side};
use crate::error::JsonPointer;
use crate::rust_types;
use crate::semver::Semver;
use crate::walk::deref;

/// A change found inside a schema, relative to where the comparison of that
/// schema started, so that it can be reused at every place the schema is
/// referenced.
#[derive(Debug, Clone)]
pub(super) struct Rel {
    pub(super) rule: &'static Rule,
    pub(super) pointer: JsonPointer,
    pub(super) side: Side,
    pub(super) semver: Semver,
    /// Property path below the schema root, e.g. `data[]/jobStatus`.
    pub(super) prop: String,
    /// What changed, without the location.
    pub(super) detail: String,
}

/// A pair of schemas, by where they are, compared for one direction.
pub(super) type MemoKey = (String, String, Direction);

impl<'a> Differ<'a> {
    /// Compares two schemas, appending changes with property paths below
    /// `prop`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn schema(
        &mut self,
        dir: Direction,
        a: &'a Value,
        a_ptr: JsonPointer,
        b: &'a Value,
        b_ptr: JsonPointer,
        prop: &str,
        out: &mut Vec<Rel>,
    ) {
        let both_refs = a.get("$ref").is_some() && b.get("$ref").is_some();
        let (Some((a, a_ptr)), Some((b, b_ptr))) =
            (deref(self.base, a, a_ptr), deref(self.rev, b, b_ptr))
        else {
            return;
        };
        // The pair is keyed by where the two schemas really are; meeting a
        // pair again while it is being compared means the schemas recurse.
        let key = (a_ptr.as_str().to_owned(), b_ptr.as_str().to_owned(), dir);
        if both_refs {
            if let Some(rels) = self.memo.get(&key) {
                let rels = Rc::clone(rels);
                out.extend(rels.iter().map(|rel| Rel {
                    prop: join_prop(prop, &rel.prop),
                    ..rel.clone()
                }));
                return;
            }
        }
        if let Some(at) = self.stack.iter().position(|(k, _)| *k == key) {
            // Cut the cycle here. Everything compared since this pair was
            // entered saw only part of it, so none of that may be reused.
            for entry in &mut self.stack[at + 1..] {
                entry.1 = true;
            }
            return;
        }
        self.stack.push((key, false));
        if both_refs {
            let mut inner = Vec::new();
            self.schema_body(dir, a, a_ptr, b, b_ptr, "", &mut inner);
            let Some((key, partial)) = self.stack.pop() else {
                return;
            };
            out.extend(inner.iter().map(|rel| Rel {
                prop: join_prop(prop, &rel.prop),
                ..rel.clone()
            }));
            if !partial {
                self.memo.insert(key, Rc::new(inner));
            }
        } else {
            self.schema_body(dir, a, a_ptr, b, b_ptr, prop, out);
            self.stack.pop();
        }
    }

    /// Compares two schemas that are not references.
    #[allow(clippy::too_many_arguments)]
    fn schema_body(
        &mut self,
        dir: Direction,
        a: &'a Value,
        a_ptr: JsonPointer,
        b: &'a Value,
        b_ptr: JsonPointer,
        prop: &str,
        out: &mut Vec<Rel>,
    ) {
        // A one-element `allOf` is a wrapper (usually to add a description
        // beside a `$ref`); look through it.
        if let Some((inner, inner_ptr)) = single_all_of(a, &a_ptr) {
            return self.schema(dir, inner, inner_ptr, b, b_ptr, prop, out);
        }
        if let Some((inner, inner_ptr)) = single_all_of(b, &b_ptr) {
            return self.schema(dir, a, a_ptr, inner, inner_ptr, prop, out);
        }
        let request = dir == Direction::Request;
        let (ta, tb) = (type_of(a), type_of(b));
        let (fa, fb) = (format_of(a), format_of(b));
        if type_changed(a, b) {
            let rule = match (prop.is_empty(), request) {
                (true, true) => &rules::REQUEST_BODY_TYPE_CHANGED,
                (true, false) => &rules::RESPONSE_BODY_TYPE_CHANGED,
                (false, true) => &rules::REQUEST_PROPERTY_TYPE_CHANGED,
                (false, false) => &rules::RESPONSE_PROPERTY_TYPE_CHANGED,
            };
            out.push(Rel {
                rule,
                pointer: b_ptr,
                side: Side::Revision,
                semver: rust_type_semver(ta, fa, tb, fb),
                prop: prop.to_owned(),
                detail: format!(
                    "type changed from {} to {}",
                    describe_type(ta, fa),
                    describe_type(tb, fb)
                ),
            });
            return;
        }

        let (added, removed) = enum_delta(a, b);
        let string_enum = is_string_enum(b);
        for value in added {
            let (rule, semver) = if request {
                (&rules::REQUEST_PROPERTY_ENUM_VALUE_ADDED, Semver::Minor)
            } else {
                (&rules::RESPONSE_PROPERTY_ENUM_VALUE_ADDED, Semver::Minor)
            };
            out.push(Rel {
                rule,
                pointer: b_ptr.join("enum"),
                side: Side::Revision,
                semver,
                prop: prop.to_owned(),
                detail: format!("new enum value {value}{}", enum_note(string_enum)),
            });
        }
        for value in removed {
            let rule = if request {
                &rules::REQUEST_PROPERTY_ENUM_VALUE_REMOVED
            } else {
                &rules::RESPONSE_PROPERTY_ENUM_VALUE_REMOVED
            };
            out.push(Rel {
                rule,
                pointer: a_ptr.join("enum"),
                side: Side::Base,
                semver: Semver::Major,
                prop: prop.to_owned(),
                detail: format!("enum value {value} removed"),
            });
        }

        if ta == Some("array") || tb == Some("array") {
            if let (Some(ia), Some(ib)) = (a.get("items"), b.get("items")) {
                let item_prop = format!("{}[]", if prop.is_empty() { "" } else { prop });
                self.schema(
                    dir,
                    ia,
                    a_ptr.join("items"),
                    ib,
                    b_ptr.join("items"),
                    &item_prop,
                    out,
                );
            }
        }

        for keyword in ["oneOf", "anyOf", "allOf"] {
            let (xa, xb) = (
                a.get(keyword).and_then(Value::as_array),
                b.get(keyword).and_then(Value::as_array),
            );
            match (xa, xb) {
                (None, None) => {}
                (Some(xa), Some(xb)) if xa.len() == xb.len() => {
                    for (i, (sa, sb)) in xa.iter().zip(xb).enumerate() {
                        self.schema(
                            dir,
                            sa,
                            a_ptr.join(keyword).join(i),
                            sb,
                            b_ptr.join(keyword).join(i),
                            prop,
                            out,
                        );
                    }
                }
                _ => {
                    let rule = if request {
                        &rules::REQUEST_PROPERTY_TYPE_CHANGED
                    } else {
                        &rules::RESPONSE_PROPERTY_TYPE_CHANGED
                    };
                    out.push(Rel {
                        rule,
                        pointer: b_ptr.clone(),
                        side: Side::Revision,
                        semver: Semver::Major,
                        prop: prop.to_owned(),
                        detail: format!("the `{keyword}` alternatives changed"),
                    });
                }
            }
        }

        if let (Some(xa @ Value::Object(_)), Some(xb @ Value::Object(_))) =
            (a.get("additionalProperties"), b.get("additionalProperties"))
        {
            let values_prop = join_prop(prop, "*");
            self.schema(
                dir,
                xa,
                a_ptr.join("additionalProperties"),
                xb,
                b_ptr.join("additionalProperties"),
                &values_prop,
                out,
            );
        }

        self.properties(dir, a, &a_ptr, b, &b_ptr, prop, out);
    }
}

/// `prefix/name`, or `prefix[]` for an item path; either may be empty.
pub(super) fn join_prop(prefix: &str, name: &str) -> String {
    match (prefix.is_empty(), name.is_empty()) {
        (true, _) => name.to_owned(),
        (_, true) => prefix.to_owned(),
        _ if name.starts_with('[') => format!("{prefix}{name}"),
        _ => format!("{prefix}/{name}"),
    }
}

/// The only member of an `allOf` that merely wraps one schema.
fn single_all_of<'v>(value: &'v Value, ptr: &JsonPointer) -> Option<(&'v Value, JsonPointer)> {
    let all_of = value.get("allOf")?.as_array()?;
    let structural = ["type", "properties", "items", "enum", "oneOf", "anyOf"];
    if all_of.len() == 1 && !structural.iter().any(|k| value.get(*k).is_some()) {
        Some((&all_of[0], ptr.join("allOf").join(0)))
    } else {
        None
    }
}

/// The schema's `type`, or the one its `properties` or `items` imply.
pub(super) fn type_of(value: &Value) -> Option<&str> {
    match value.get("type").and_then(Value::as_str) {
        Some(t) => Some(t),
        None if value.get("properties").is_some() => Some("object"),
        None if value.get("items").is_some() => Some("array"),
        None => None,
    }
}

/// A type change is reported when both sides declare a type and the type or
/// format differs, or when one side loses its type altogether. A side that
/// is a composition (for example an `allOf` wrapped around the old schema)
/// is compared structurally instead, so that such rewrites are not reported
/// as type changes.
pub(super) fn type_changed(a: &Value, b: &Value) -> bool {
    let (ta, tb) = (type_of(a), type_of(b));
    match (ta, tb) {
        (Some(_), Some(_)) => ta != tb || format_of(a) != format_of(b),
        (None, None) => false,
        // A typed schema against an untyped one: a change of type unless the
        // untyped side is a composition to be compared structurally.
        (Some(_), None) => !is_composition(b),
        (None, Some(_)) => !is_composition(a),
    }
}

/// Whether the schema is a reference or a composition of others.
fn is_composition(value: &Value) -> bool {
    ["allOf", "oneOf", "anyOf", "$ref"]
        .iter()
        .any(|k| value.get(*k).is_some())
}

/// A type change that leaves the generated Rust type as it was (such as
/// `integer` gaining `format: int64`, both `i64`) is a patch for the crate.
pub(super) fn rust_type_semver(
    ta: Option<&str>,
    fa: Option<&str>,
    tb: Option<&str>,
    fb: Option<&str>,
) -> Semver {
    if rust_types::scalar_type(ta, fa) == rust_types::scalar_type(tb, fb) {
        Semver::Patch
    } else {
        Semver::Major
    }
}

/// The schema's `format`.
pub(super) fn format_of(value: &Value) -> Option<&str> {
    value.get("format").and_then(Value::as_str)
}

/// A type and format in words, for messages.
pub(super) fn describe_type(ty: Option<&str>, format: Option<&str>) -> String {
    match (ty, format) {
        (Some(t), Some(f)) => format!("`{t}` (`{f}`)"),
        (Some(t), None) => format!("`{t}`"),
        (None, Some(f)) => format!("untyped (`{f}`)"),
        (None, None) => "untyped".to_owned(),
    }
}

/// The `enum` values added and removed, as JSON text.
pub(super) fn enum_delta(a: &Value, b: &Value) -> (Vec<String>, Vec<String>) {
    let values = |v: &Value| -> Vec<Value> {
        v.get("enum")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (va, vb) = (values(a), values(b));
    if va.is_empty() || vb.is_empty() {
        // Becoming (or ceasing to be) an enum is not an enum value change.
        return (Vec::new(), Vec::new());
    }
    let added = vb
        .iter()
        .filter(|v| !va.contains(v))
        .map(Value::to_string)
        .collect();
    let removed = va
        .iter()
        .filter(|v| !vb.contains(v))
        .map(Value::to_string)
        .collect();
    (added, removed)
}

/// Whether the schema becomes a Rust enum of strings (see
/// [`rust_types::is_string_enum`]).
pub(super) fn is_string_enum(value: &Value) -> bool {
    let values = value.get("enum").and_then(Value::as_array);
    rust_types::is_string_enum(type_of(value), values.map(Vec::as_slice))
}

/// What a new enum value means for the Rust enum, for messages.
pub(super) fn enum_note(string_enum: bool) -> &'static str {
    if string_enum {
        " (a new variant of an open, non-exhaustive Rust enum)"
    } else {
        " (a new variant of an open, non-exhaustive Rust enum of codes)"
    }
}
