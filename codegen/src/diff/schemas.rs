//! Schemas: `$ref`s are followed (a change inside a shared component is
//! reported at every operation that uses it), and recursive schemas
//! terminate because a pair of components already being compared is not
//! entered again. Pairs of components are compared once and the result
//! reused, which keeps large documents fast. Object properties are compared
//! in [`super::properties`].

use std::rc::Rc;

use serde_json::Value;

use super::engine::{is_true, Differ};
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
    pub(super) rule: Pick,
    pub(super) pointer: JsonPointer,
    pub(super) side: Side,
    pub(super) semver: Semver,
    /// Property path below the schema root, e.g. `data[]/jobStatus`.
    pub(super) prop: String,
    /// What changed, without the location.
    pub(super) detail: String,
}

/// The rule a change inside a schema is reported under, which for many
/// rules depends on whether the schema turns out to be the body itself or a
/// property below it; that is known only where the change is reported,
/// since a component's changes are reused wherever it is referenced.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pick {
    body: Option<&'static Rule>,
    property: Option<&'static Rule>,
}

impl Pick {
    /// The same rule at any depth.
    pub(super) fn fixed(rule: &'static Rule) -> Self {
        Self {
            body: Some(rule),
            property: Some(rule),
        }
    }

    /// `{dir}-body-{kind}` for the body, `{dir}-property-{kind}` below it
    /// (either may not exist: then nothing is reported there).
    pub(super) fn schema(dir: Direction, kind: &str) -> Self {
        let d = dir_word(dir);
        Self {
            body: rules::find(&format!("{d}-body-{kind}")),
            property: rules::find(&format!("{d}-property-{kind}")),
        }
    }

    /// A pick with the given rules for the body and for properties.
    pub(super) fn new(body: Option<&'static Rule>, property: Option<&'static Rule>) -> Self {
        Self { body, property }
    }

    /// The rule at property path `prop` (empty for the body itself).
    pub(super) fn at(&self, prop: &str) -> Option<&'static Rule> {
        if prop.is_empty() {
            self.body
        } else {
            self.property
        }
    }

    /// Whether there is a rule at any depth.
    pub(super) fn exists(&self) -> bool {
        self.body.is_some() || self.property.is_some()
    }
}

/// `request` or `response`, as rule ids spell the direction.
pub(super) fn dir_word(dir: Direction) -> &'static str {
    match dir {
        Direction::Request => "request",
        _ => "response",
    }
}

/// How the values a schema describes are typed on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Typing {
    /// JSON: `1` and `"1"` are different values.
    Strong,
    /// Text (XML, forms): any value also reads as a string.
    Weak,
    /// An object parameter, which may be sent as JSON or as text; a type
    /// change is judged both ways (see [`classify_parameter_property_type`]).
    Unknown,
}

/// A pair of schemas, by where they are, compared for one direction,
/// typing (see [`Differ::typing`]) and deprecation minimum (see
/// [`Differ::min_days`]).
pub(super) type MemoKey = (String, String, Direction, Typing, u32);

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
        let key = (
            a_ptr.as_str().to_owned(),
            b_ptr.as_str().to_owned(),
            dir,
            self.typing,
            self.min_days,
        );
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
        let (ta, tb) = (type_of(a), type_of(b));
        let (fa, fb) = (format_of(a), format_of(b));
        if type_changed(a, b) {
            let (rule, note) = match self.typing {
                Typing::Unknown => {
                    let kind = classify_parameter_property_type(a, b);
                    let note = match kind {
                        TypeChange::Changed => {
                            " (rejects old values if sent as JSON or as text, not both)"
                        }
                        TypeChange::Specialized => "",
                        _ => " (wider)",
                    };
                    (Pick::new(None, Some(kind.parameter_property_rule())), note)
                }
                typing => {
                    let kind = classify_type(dir, typing == Typing::Strong, a, b);
                    (Pick::schema(dir, kind.suffix()), kind.note())
                }
            };
            // A read-only property is not sent, so its type does not matter
            // in a request body (oasdiff still reports it in a parameter).
            let read_only = dir == Direction::Request && !prop.is_empty() && is_true(b, "readOnly");
            if !read_only || self.typing == Typing::Unknown {
                out.push(Rel {
                    rule,
                    pointer: b_ptr,
                    side: Side::Revision,
                    semver: rust_type_semver(ta, fa, tb, fb),
                    prop: prop.to_owned(),
                    detail: format!(
                        "type changed from {} to {}{}",
                        describe_type(ta, fa),
                        describe_type(tb, fb),
                        note
                    ),
                });
            }
            return;
        }

        self.facets(dir, a, &a_ptr, b, &b_ptr, prop, out);

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

        self.compositions(dir, a, &a_ptr, b, &b_ptr, prop, out);

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

/// How a change of type or format affects callers, in oasdiff's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TypeChange {
    /// Values valid before may be invalid now (or, in a response, values
    /// the client did not expect may come back).
    Changed,
    /// The new type accepts every value the old one did (`integer` to
    /// `number`, `int32` to `int64`, a type or format dropped).
    Generalized,
    /// The new type accepts only values the old one did (responses only).
    Specialized,
    /// Two unrelated types, harmless only because the media type is not
    /// strongly typed (such as XML or a form).
    Compatible,
}

impl TypeChange {
    /// The end of the rule id: `type-changed`, `type-generalized`...
    pub(super) fn suffix(self) -> &'static str {
        match self {
            TypeChange::Changed => "type-changed",
            TypeChange::Generalized => "type-generalized",
            TypeChange::Specialized => "type-specialized",
            TypeChange::Compatible => "type-compatible",
        }
    }

    /// A few words for the message.
    pub(super) fn note(self) -> &'static str {
        match self {
            TypeChange::Changed => "",
            TypeChange::Generalized => " (wider)",
            TypeChange::Specialized => " (narrower)",
            TypeChange::Compatible => " (compatible in a media type that is not strongly typed)",
        }
    }
}

impl TypeChange {
    /// The rule for a change of type of a parameter's property or items.
    fn parameter_property_rule(self) -> &'static Rule {
        match self {
            TypeChange::Changed => &rules::REQUEST_PARAMETER_PROPERTY_TYPE_CHANGED,
            TypeChange::Specialized => &rules::REQUEST_PARAMETER_PROPERTY_TYPE_SPECIALIZED,
            _ => &rules::REQUEST_PARAMETER_PROPERTY_TYPE_GENERALIZED,
        }
    }
}

/// Whether every value of type `sub` is a value of type `sup`.
fn is_subtype(sub: &str, sup: &str) -> bool {
    sub == sup || (sub == "integer" && sup == "number")
}

/// Whether the type `from` may become `to` without rejecting a value:
/// the same type, `integer` within `number`, or, where values are text on
/// the wire, anything becoming a string or untyped.
fn type_contains(to: Option<&str>, from: Option<&str>, strong: bool) -> bool {
    match (to, from) {
        (Some(to), Some(from)) if is_subtype(from, to) => true,
        _ if !strong => matches!(to, None | Some("string")),
        _ => false,
    }
}

/// Whether format `from` may become `to` for the type `ty` without
/// rejecting a value.
fn format_contains(ty: Option<&str>, to: Option<&str>, from: Option<&str>) -> bool {
    match (ty, to, from) {
        (_, None, _) => true,
        (_, Some(t), Some(f)) if t == f => true,
        (Some("number"), Some("double"), Some("float")) => true,
        (Some("integer"), Some("int64"), Some("int32")) => true,
        (Some("integer"), Some("bigint"), Some("int32" | "int64")) => true,
        (Some("string"), Some("date-time"), Some("date" | "time")) => true,
        _ => false,
    }
}

/// Whether going from `(ta, fa)` to `(tb, fb)` can reject a value that was
/// valid, judged toward `tb`; a type dropped altogether never does.
fn narrows(
    ta: Option<&str>,
    fa: Option<&str>,
    tb: Option<&str>,
    fb: Option<&str>,
    strong: bool,
) -> bool {
    let type_diff = ta != tb;
    if type_diff && tb.is_none() {
        return false;
    }
    let type_breaking = type_diff && !type_contains(tb, ta, strong);
    let format_breaking = fa != fb && !format_contains(tb, fb, fa);
    type_breaking || format_breaking
}

/// Classifies a change of type or format the way oasdiff does: a request
/// (or parameter) may widen, a response may narrow; `strong` is whether the
/// values are typed on the wire (JSON), rather than text.
pub(super) fn classify_type(dir: Direction, strong: bool, a: &Value, b: &Value) -> TypeChange {
    let (ta, tb) = (type_of(a), type_of(b));
    let (fa, fb) = (format_of(a), format_of(b));
    let both_typed = ta.is_some() && tb.is_some();
    if dir == Direction::Request {
        let widened = ta.zip(tb).is_some_and(|(x, y)| is_subtype(x, y)) && ta != tb;
        let (ta_eff, tb_eff) = if widened { (tb, tb) } else { (ta, tb) };
        if narrows(ta_eff, fa, tb_eff, fb, strong) {
            TypeChange::Changed
        } else if ta != tb && both_typed && !widened {
            TypeChange::Compatible
        } else {
            TypeChange::Generalized
        }
    } else {
        let narrowed = ta.zip(tb).is_some_and(|(x, y)| is_subtype(y, x)) && ta != tb;
        let widened = ta.zip(tb).is_some_and(|(x, y)| is_subtype(x, y)) && ta != tb;
        let (ta_eff, tb_eff) = if narrowed { (ta, ta) } else { (ta, tb) };
        // Responses are judged the other way round: toward the base.
        if narrows(tb_eff, fb, ta_eff, fa, strong) {
            if widened {
                TypeChange::Generalized
            } else {
                TypeChange::Changed
            }
        } else if ta != tb && both_typed && !narrowed {
            TypeChange::Compatible
        } else {
            TypeChange::Specialized
        }
    }
}

/// Classifies a parameter's change of type or format: its value is text on
/// the wire, so it is either generalized or changed.
pub(super) fn classify_parameter_type(a: &Value, b: &Value) -> TypeChange {
    if request_type_breaks(a, b, false) {
        TypeChange::Changed
    } else {
        TypeChange::Generalized
    }
}

/// Whether a request's change of type or format from `a` to `b` rejects
/// a value that was valid, when values are typed (`strong`) or text.
fn request_type_breaks(a: &Value, b: &Value, strong: bool) -> bool {
    let (ta, tb) = (type_of(a), type_of(b));
    let (fa, fb) = (format_of(a), format_of(b));
    let type_breaking = ta != tb && !type_contains(tb, ta, strong);
    let format_breaking = fa != fb && !format_contains(tb, fb, fa);
    type_breaking || format_breaking
}

/// Classifies a change of type or format of a property (or the items) of a
/// parameter as oasdiff does: whether such a parameter is sent as JSON or
/// as text is not known, so the change is judged both ways. It is
/// specialized when it breaks both, generalized when it breaks neither, and
/// changed (possibly breaking) when they disagree.
pub(super) fn classify_parameter_property_type(a: &Value, b: &Value) -> TypeChange {
    match (
        request_type_breaks(a, b, true),
        request_type_breaks(a, b, false),
    ) {
        (true, true) => TypeChange::Specialized,
        (false, false) => TypeChange::Generalized,
        _ => TypeChange::Changed,
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
