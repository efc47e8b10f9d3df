//! Object properties: added, removed, made required or optional, made
//! nullable or not, and each property's schema compared in turn.

use std::collections::BTreeSet;

use serde_json::Value;

use super::engine::{is_true, Differ};
use super::lifecycle::{self, Deprecation};
use super::rules;
use super::schemas::{dir_word, join_prop, type_of, Pick, Rel};
use super::{Direction, Side};
use crate::error::JsonPointer;
use crate::rust_types;
use crate::semver::Semver;
use crate::walk::deref;

/// Stands in for a missing `properties` map.
static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

impl<'a> Differ<'a> {
    /// Compares the `properties` of two object schemas, appending changes
    /// with property paths below `prop`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn properties(
        &mut self,
        dir: Direction,
        a: &'a Value,
        a_ptr: &JsonPointer,
        b: &'a Value,
        b_ptr: &JsonPointer,
        prop: &str,
        out: &mut Vec<Rel>,
    ) {
        let pa = a
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let pb = b
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        if pa.is_empty() && pb.is_empty() {
            return;
        }
        let req_a = required_set(a);
        let req_b = required_set(b);
        let request = dir == Direction::Request;
        // Properties that moved into the alternatives of a new `oneOf` are
        // not removed (the wrapping is reported in `compositions`).
        let moved = self.one_of_wrapping(a, b).unwrap_or_default();

        for (name, schema) in pa {
            if pb.contains_key(name) || moved.contains(name) {
                continue;
            }
            let required = req_a.contains(name.as_str());
            let resolved = deref(self.base, schema, a_ptr.clone()).map_or(schema, |(v, _)| v);
            let (ro, wo) = (
                is_true(resolved, "readOnly"),
                is_true(resolved, "writeOnly"),
            );
            let rule = match (request, required) {
                // A read-only property is not sent: removing it from a
                // request changes nothing on the wire.
                (true, _) if ro => &rules::REQUEST_READ_ONLY_PROPERTY_REMOVED,
                (true, _) => &rules::REQUEST_PROPERTY_REMOVED,
                (false, true) if wo => &rules::RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_REMOVED,
                (false, true) => &rules::RESPONSE_REQUIRED_PROPERTY_REMOVED,
                (false, false) if wo => &rules::RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_REMOVED,
                (false, false) => &rules::RESPONSE_OPTIONAL_PROPERTY_REMOVED,
            };
            out.push(Rel {
                rule: Pick::fixed(rule),
                pointer: a_ptr.join("properties").join(name),
                side: Side::Base,
                semver: Semver::Major,
                prop: join_prop(prop, name),
                detail: format!(
                    "{} property removed (its struct field is gone)",
                    if required { "required" } else { "optional" }
                ),
            });
        }
        for (name, schema) in pb {
            if pa.contains_key(name) {
                continue;
            }
            let required = req_b.contains(name.as_str());
            let resolved = deref(self.rev, schema, b_ptr.clone()).map_or(schema, |(v, _)| v);
            let (ro, wo) = (
                is_true(resolved, "readOnly"),
                is_true(resolved, "writeOnly"),
            );
            let with_default = resolved.get("default").is_some();
            let rule = match (request, required) {
                // A read-only property is not sent, required or not.
                (true, _) if ro => &rules::REQUEST_READ_ONLY_PROPERTY_ADDED,
                (true, true) if with_default => &rules::NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT,
                (true, true) => &rules::NEW_REQUIRED_REQUEST_PROPERTY,
                (true, false) => &rules::NEW_OPTIONAL_REQUEST_PROPERTY,
                (false, true) if wo => &rules::RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_ADDED,
                (false, true) => &rules::RESPONSE_REQUIRED_PROPERTY_ADDED,
                (false, false) if wo => &rules::RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_ADDED,
                (false, false) => &rules::RESPONSE_OPTIONAL_PROPERTY_ADDED,
            };
            out.push(Rel {
                rule: Pick::fixed(rule),
                pointer: b_ptr.join("properties").join(name),
                side: Side::Revision,
                // A new public field of an exhaustive struct breaks struct
                // literals and exhaustive patterns.
                semver: Semver::Major,
                prop: join_prop(prop, name),
                detail: format!(
                    "{} property added (a new public struct field)",
                    if required { "required" } else { "optional" }
                ),
            });
        }
        for (name, sa) in pa {
            let Some(sb) = pb.get(name) else { continue };
            let child = join_prop(prop, name);
            let sa_ptr = a_ptr.join("properties").join(name);
            let sb_ptr = b_ptr.join("properties").join(name);
            let (ra, rb) = (req_a.contains(name.as_str()), req_b.contains(name.as_str()));
            let resolved_a = deref(self.base, sa, sa_ptr.clone()).map(|(v, _)| v);
            let resolved_b = deref(self.rev, sb, sb_ptr.clone()).map(|(v, _)| v);
            let nullable_a =
                resolved_a.is_some_and(|v| is_true(v, "nullable")) || is_true(sa, "nullable");
            let nullable_b =
                resolved_b.is_some_and(|v| is_true(v, "nullable")) || is_true(sb, "nullable");
            // The array is inline only if it is on both sides; its type is
            // taken from the revision.
            let (ref_a, ref_b) = (sa.get("$ref").is_some(), sb.get("$ref").is_some());
            let is_ref = ref_a || ref_b;
            let inline_array = rust_types::is_inline_array(resolved_b.and_then(type_of), is_ref);
            let empty_vec =
                rust_types::optional_is_empty_vec(inline_array, self.options.optional_arrays);
            if ra != rb {
                // Only the change of `required` is graded here (a change of
                // `nullable` is reported on its own below): a patch when the
                // field's type stays as it was under either side's
                // nullability.
                let same_type = [nullable_a, nullable_b].into_iter().all(|nullable| {
                    rust_types::option_depth(ra, nullable, ref_a, empty_vec)
                        == rust_types::option_depth(rb, nullable, ref_b, empty_vec)
                });
                let semver = if same_type {
                    Semver::Patch
                } else {
                    Semver::Major
                };
                let ro_b = resolved_b.is_some_and(|v| is_true(v, "readOnly"));
                let wo_b = resolved_b.is_some_and(|v| is_true(v, "writeOnly"));
                let with_default = resolved_b.is_some_and(|v| v.get("default").is_some());
                let rule = match (request, rb) {
                    (true, true) if ro_b => &rules::REQUEST_READ_ONLY_PROPERTY_BECAME_REQUIRED,
                    (true, true) if with_default => {
                        &rules::REQUEST_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT
                    }
                    (true, true) => &rules::REQUEST_PROPERTY_BECAME_REQUIRED,
                    (true, false) => &rules::REQUEST_PROPERTY_BECAME_OPTIONAL,
                    (false, true) if wo_b => &rules::RESPONSE_WRITE_ONLY_PROPERTY_BECAME_REQUIRED,
                    (false, true) => &rules::RESPONSE_PROPERTY_BECAME_REQUIRED,
                    (false, false) if wo_b => &rules::RESPONSE_WRITE_ONLY_PROPERTY_BECAME_OPTIONAL,
                    (false, false) => &rules::RESPONSE_PROPERTY_BECAME_OPTIONAL,
                };
                let detail = if rb {
                    "became required"
                } else {
                    "became optional"
                };
                out.push(Rel {
                    rule: Pick::fixed(rule),
                    pointer: b_ptr.join("required"),
                    side: Side::Revision,
                    semver,
                    prop: child.clone(),
                    detail: detail.to_owned(),
                });
            }
            if nullable_a != nullable_b {
                // Likewise only the change of `nullable`, under either
                // side's `required`. An optional inline array kept as an
                // empty `Vec<T>` is graded like any other optional property
                // here (`Option<T>` either way), as it always has been.
                let same_type = [ra, rb].into_iter().all(|required| {
                    rust_types::option_depth(required, nullable_a, ref_a, false)
                        == rust_types::option_depth(required, nullable_b, ref_b, false)
                });
                let semver = if same_type {
                    Semver::Patch
                } else {
                    Semver::Major
                };
                let rule = match (request, nullable_b) {
                    (true, true) => &rules::REQUEST_PROPERTY_BECAME_NULLABLE,
                    (true, false) => &rules::REQUEST_PROPERTY_BECAME_NOT_NULLABLE,
                    (false, true) => &rules::RESPONSE_PROPERTY_BECAME_NULLABLE,
                    (false, false) => &rules::RESPONSE_PROPERTY_BECAME_NOT_NULLABLE,
                };
                let detail = if nullable_b {
                    "may now be null"
                } else {
                    "can no longer be null"
                };
                out.push(Rel {
                    rule: Pick::fixed(rule),
                    pointer: sb_ptr.clone(),
                    side: Side::Revision,
                    semver,
                    prop: child.clone(),
                    detail: detail.to_owned(),
                });
            }
            if let (Some(va), Some(vb)) = (resolved_a, resolved_b) {
                property_flags(dir, (va, vb), &sb_ptr, ra, self.min_days, &child, out);
            }
            self.schema(dir, sa, sa_ptr, sb, sb_ptr, &child, out);
        }
    }
}

/// Deprecation, stability, `readOnly` and `writeOnly` of a property present
/// in both documents (`required` is whether the base requires it; `min_days`
/// the deprecation policy's minimum for the operation).
fn property_flags(
    dir: Direction,
    (a, b): (&Value, &Value),
    b_ptr: &JsonPointer,
    required: bool,
    min_days: u32,
    prop: &str,
    out: &mut Vec<Rel>,
) {
    let d = dir_word(dir);
    let mut push = |id: String, pointer: JsonPointer, detail: String| {
        if let Some(rule) = rules::find(&id) {
            out.push(Rel {
                rule: Pick::fixed(rule),
                pointer,
                side: Side::Revision,
                semver: Semver::Patch,
                prop: prop.to_owned(),
                detail,
            });
        }
    };
    match (is_true(a, "deprecated"), is_true(b, "deprecated")) {
        (false, true) => match lifecycle::deprecation(b, min_days) {
            Deprecation::SunsetMissing => push(
                format!("{d}-property-deprecated-sunset-missing"),
                b_ptr.join("deprecated"),
                format!("deprecated without a sunset date; the deprecation policy asks for one at least {min_days} days ahead"),
            ),
            Deprecation::WithSunset(date) => push(
                format!("{d}-property-deprecated-with-sunset"),
                b_ptr.join("deprecated"),
                format!("deprecated, with the sunset date {date}"),
            ),
            Deprecation::Unreadable(text) => push(
                format!("{d}-property-deprecated-sunset-invalid"),
                b_ptr.join("x-sunset"),
                format!("deprecated, but its sunset date `{text}` cannot be read"),
            ),
            Deprecation::TooSoon(date) => push(
                format!("{d}-property-sunset-date-too-small"),
                b_ptr.join("x-sunset"),
                format!(
                    "deprecated with the sunset date {date}, {}",
                    lifecycle::too_soon_note(min_days)
                ),
            ),
            Deprecation::Plain => push(
                format!("{d}-property-deprecated"),
                b_ptr.join("deprecated"),
                "deprecated".into(),
            ),
        },
        (true, false) => push(
            format!("{d}-property-reactivated"),
            b_ptr.clone(),
            "no longer deprecated".into(),
        ),
        _ => {}
    }
    if let (Ok(x), Ok(y)) = (lifecycle::stability(a), lifecycle::stability(b)) {
        if x != y {
            let way = if y < x { "decreased" } else { "increased" };
            push(
                format!("{d}-property-stability-{way}"),
                b_ptr.join("x-stability-level"),
                format!(
                    "stability level changed from {} to {}",
                    lifecycle::stability_name(x),
                    lifecycle::stability_name(y)
                ),
            );
        }
    }
    let class = if required { "required" } else { "optional" };
    for (keyword, name) in [("readOnly", "read-only"), ("writeOnly", "write-only")] {
        let (x, y) = (is_true(a, keyword), is_true(b, keyword));
        if x != y {
            let became = if y {
                name.to_owned()
            } else {
                format!("not-{name}")
            };
            push(
                format!("{d}-{class}-property-became-{became}"),
                b_ptr.join(keyword),
                format!("{} `{keyword}`", if y { "became" } else { "is no longer" }),
            );
        }
    }
}

/// The names in the schema's `required`.
fn required_set(value: &Value) -> BTreeSet<&str> {
    value
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}
