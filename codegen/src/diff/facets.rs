//! The facets of one schema that do not nest: enum values (and
//! `x-extensible-enum`), defaults, and the validation constraints
//! (`maximum`, `minimum`, their exclusive flags, `maxLength`, `minLength`,
//! `maxItems`, `minItems`, `pattern`). The same comparison serves bodies,
//! properties and parameters; the rule id is composed from where the schema
//! is and what changed, and a change is reported only where oasdiff has a
//! rule for it (a response's maximum going down, for example, harms nobody
//! and has none).

use serde_json::Value;

use super::engine::{is_true, Differ};
use super::rules::{self, Rule};
use super::schemas::{dir_word, enum_delta, enum_note, is_string_enum, Pick, Rel};
use super::{Direction, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;

/// A bound, a length or a count: the keyword and how rule ids name it.
const NUMERIC: &[(&str, &str)] = &[
    ("maximum", "max"),
    ("minimum", "min"),
    ("maxLength", "max-length"),
    ("minLength", "min-length"),
    ("maxItems", "max-items"),
    ("minItems", "min-items"),
];

/// Where the compared schema sits, which decides the rule ids.
#[derive(Debug, Clone, Copy)]
pub(super) enum Place {
    /// A request or response body or a property below it.
    Schema(Direction),
    /// A parameter's schema; the name is for messages.
    Parameter,
}

/// One facet change before its rule is chosen.
pub(super) struct Facet {
    /// The rule kind, e.g. `max-decreased`, `default-value-added`.
    pub(super) kind: String,
    pub(super) pointer: JsonPointer,
    pub(super) side: Side,
    pub(super) semver: Semver,
    pub(super) detail: String,
}

/// Compares the non-nesting facets of two schemas (both dereferenced) and
/// lists what changed; `ro` and `wo` are the revision's `readOnly` and
/// `writeOnly` (the base's for a removal).
pub(super) fn facet_changes(
    place: Place,
    a: &Value,
    a_ptr: &JsonPointer,
    b: &Value,
    b_ptr: &JsonPointer,
) -> Vec<Facet> {
    let mut out = Vec::new();
    let request = !matches!(place, Place::Schema(Direction::Response));
    let mut push =
        |kind: String, pointer: JsonPointer, side: Side, semver: Semver, detail: String| {
            out.push(Facet {
                kind,
                pointer,
                side,
                semver,
                detail,
            })
        };

    // Enum values.
    let (added, removed) = enum_delta(a, b);
    let string_enum = is_string_enum(b);
    for value in added {
        push(
            "enum-value-added".into(),
            b_ptr.join("enum"),
            Side::Revision,
            // Enums are open and `#[non_exhaustive]`: a new value is a new
            // variant, which is a minor change.
            Semver::Minor,
            format!("new enum value {value}{}", enum_note(string_enum)),
        );
    }
    for value in removed {
        push(
            "enum-value-removed".into(),
            a_ptr.join("enum"),
            Side::Base,
            Semver::Major,
            format!("enum value {value} removed"),
        );
    }
    if a.get("enum").is_none()
        && b.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|v| !v.is_empty())
    {
        push(
            "became-enum".into(),
            b_ptr.join("enum"),
            Side::Revision,
            // A string becomes a Rust enum.
            Semver::Major,
            "restricted to a list of enum values".into(),
        );
    }
    if request {
        let values = |v: &Value| -> Vec<Value> {
            v.get("x-extensible-enum")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (xa, xb) = (values(a), values(b));
        if !xb.is_empty() {
            for value in xa.iter().filter(|v| !xb.contains(v)) {
                push(
                    "x-extensible-enum-value-removed".into(),
                    b_ptr.join("x-extensible-enum"),
                    Side::Revision,
                    Semver::Patch,
                    format!("`x-extensible-enum` value {value} removed"),
                );
            }
        }
    }

    // The default.
    match (a.get("default"), b.get("default")) {
        (None, Some(d)) => push(
            "default-value-added".into(),
            b_ptr.join("default"),
            Side::Revision,
            Semver::Patch,
            format!("got the default {d}"),
        ),
        (Some(d), None) => push(
            "default-value-removed".into(),
            a_ptr.join("default"),
            Side::Base,
            Semver::Patch,
            format!("lost its default {d}"),
        ),
        (Some(x), Some(y)) if x != y => push(
            "default-value-changed".into(),
            b_ptr.join("default"),
            Side::Revision,
            Semver::Patch,
            format!("default changed from {x} to {y}"),
        ),
        _ => {}
    }

    // Bounds, lengths and counts.
    for (keyword, name) in NUMERIC {
        let (x, y) = (
            a.get(*keyword).and_then(Value::as_f64),
            b.get(*keyword).and_then(Value::as_f64),
        );
        let (kind, pointer, side) = match (x, y) {
            (None, Some(_)) => ("set", b_ptr.join(keyword), Side::Revision),
            (Some(_), None) => ("unset", a_ptr.join(keyword), Side::Base),
            (Some(x), Some(y)) if y > x => ("increased", b_ptr.join(keyword), Side::Revision),
            (Some(x), Some(y)) if y < x => ("decreased", b_ptr.join(keyword), Side::Revision),
            _ => continue,
        };
        let show = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
        push(
            format!("{name}-{kind}"),
            pointer,
            side,
            Semver::Patch,
            format!("`{keyword}` changed from {} to {}", show(x), show(y)),
        );
    }
    // OpenAPI 3.0's exclusive bounds are flags beside the bound.
    for (keyword, name) in [
        ("exclusiveMaximum", "exclusive-max"),
        ("exclusiveMinimum", "exclusive-min"),
    ] {
        if a.get(keyword).is_none() && is_true(b, keyword) {
            push(
                format!("{name}-set"),
                b_ptr.join(keyword),
                Side::Revision,
                Semver::Patch,
                format!("`{keyword}` set"),
            );
        }
    }
    match (
        a.get("pattern").and_then(Value::as_str),
        b.get("pattern").and_then(Value::as_str),
    ) {
        (None, Some(p)) => push(
            "pattern-added".into(),
            b_ptr.join("pattern"),
            Side::Revision,
            Semver::Patch,
            format!("got the pattern `{p}`"),
        ),
        (Some(p), None) => push(
            "pattern-removed".into(),
            a_ptr.join("pattern"),
            Side::Base,
            Semver::Patch,
            format!("lost the pattern `{p}`"),
        ),
        // oasdiff calls a request's pattern changed to `.*` (which accepts
        // everything) generalized rather than changed.
        (Some(x), Some(y)) if x != y => push(
            if request && y == ".*" {
                "pattern-generalized".into()
            } else {
                "pattern-changed".into()
            },
            b_ptr.join("pattern"),
            Side::Revision,
            Semver::Patch,
            format!("pattern changed from `{x}` to `{y}`"),
        ),
        _ => {}
    }
    out
}

/// The rule for a facet change of a body or property schema, given the
/// revision's (or for a removal the base's) `readOnly` and `writeOnly`.
fn schema_pick(dir: Direction, kind: &str, ro: bool, wo: bool) -> Pick {
    let d = dir_word(dir);
    let body = match kind {
        // oasdiff's body-level names for a body's enum values.
        "enum-value-removed" if dir == Direction::Response => {
            rules::find("response-mediatype-enum-value-removed")
        }
        // oasdiff has no rule for a body's new enum value; the property
        // rule keeps the crate's new variant visible.
        "enum-value-added" => rules::find(&format!("{d}-property-enum-value-added")),
        _ => rules::find(&format!("{d}-body-{kind}")),
    };
    let special = match dir {
        Direction::Request if ro => rules::find(&format!("request-read-only-property-{kind}")),
        // A write-only property is not in responses: constraints on it do
        // not matter there, and its other changes have their own rules.
        Direction::Response if wo => {
            let own = rules::find(&format!("response-write-only-property-{kind}"));
            if own.is_none() && !kind.starts_with("default") && !kind.starts_with("enum") {
                return Pick::new(body, None);
            }
            own
        }
        _ => None,
    };
    let property = special.or_else(|| rules::find(&format!("{d}-property-{kind}")));
    Pick::new(body, property)
}

/// The rule for a facet change of a parameter's schema.
pub(super) fn parameter_rule(kind: &str) -> Option<&'static Rule> {
    rules::find(&format!("request-parameter-{kind}"))
}

impl Differ<'_> {
    /// Compares the non-nesting facets of two body or property schemas.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn facets(
        &mut self,
        dir: Direction,
        a: &Value,
        a_ptr: &JsonPointer,
        b: &Value,
        b_ptr: &JsonPointer,
        prop: &str,
        out: &mut Vec<Rel>,
    ) {
        for facet in facet_changes(Place::Schema(dir), a, a_ptr, b, b_ptr) {
            let flags_of = if facet.side == Side::Base { a } else { b };
            let rule = schema_pick(
                dir,
                &facet.kind,
                is_true(flags_of, "readOnly"),
                is_true(flags_of, "writeOnly"),
            );
            if !rule.exists() {
                continue;
            }
            out.push(Rel {
                rule,
                pointer: facet.pointer,
                side: facet.side,
                semver: facet.semver,
                prop: prop.to_owned(),
                detail: facet.detail,
            });
        }
    }
}
