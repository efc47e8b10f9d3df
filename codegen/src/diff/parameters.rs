//! Parameters: matched by location and name (header names ignore case),
//! then added, removed, moved, made required or optional, and their
//! schemas' type, enum values and defaults compared, as well as the
//! properties of object parameters and the items of array ones.

use std::collections::BTreeMap;

use serde_json::Value;

use super::engine::{is_true, Differ};
use super::facets::{facet_changes, parameter_rule, Place};
use super::lifecycle::{self, Deprecation, Removal};
use super::rules::{self, Rule};
use super::schemas::{
    classify_parameter_type, describe_type, format_of, rust_type_semver, type_changed, type_of,
    TypeChange, Typing,
};
use super::{Direction, OperationRef, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;
use crate::walk::{deref, Operation};

impl<'a> Differ<'a> {
    /// Compares the parameters of an operation present in both documents.
    pub(super) fn parameters(&mut self, a: &Operation<'a>, b: &Operation<'a>, r: &OperationRef) {
        // A path parameter is keyed by its position in the path template,
        // so that `/groups/{group_id}` and `/groups/{groupId}` have the same
        // parameter; the name is kept for messages.
        let collect = |op: &Operation<'a>, root: &'a Value| {
            let positions = path_parameter_names(op.path);
            let mut map: BTreeMap<(String, String), (&'a Value, JsonPointer)> = BTreeMap::new();
            for (param, ptr) in op.parameters(root) {
                let field = |k: &str| {
                    param
                        .get(k)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                let place = field("in");
                // Header names are case-insensitive (and so is the builder
                // method progenitor derives from them).
                let name = match place.as_str() {
                    "header" => field("name").to_ascii_lowercase(),
                    "path" => match positions.iter().position(|p| *p == field("name")) {
                        Some(at) => format!("{{{at}}}"),
                        None => field("name"),
                    },
                    _ => field("name"),
                };
                // A parameter without a name cannot be matched (OpenAPI
                // requires one); the first of two with the same key wins.
                if !name.is_empty() {
                    map.entry((place, name)).or_insert((param, ptr));
                }
            }
            map
        };
        let pa = collect(a, self.base);
        let pb = collect(b, self.rev);
        let dir = Direction::Request;

        for ((place, name), (param, ptr)) in &pa {
            if pb.contains_key(&(place.clone(), name.clone())) {
                continue;
            }
            if let Some(((new_place, _), (new_param, new_ptr))) = pb
                .iter()
                .find(|((p, n), _)| n == name && !pa.contains_key(&(p.clone(), n.clone())))
            {
                // The builder method is named after the parameter alone, so
                // the crate only changes if the parameter's type or
                // required flag changes too.
                let same_method = is_true(param, "required") == is_true(new_param, "required")
                    && value_schema(param) == value_schema(new_param);
                let semver = if same_method {
                    Semver::Patch
                } else {
                    Semver::Major
                };
                let message = format!("parameter `{name}` moved from {place} to {new_place}");
                self.emit(
                    &rules::REQUEST_PARAMETER_LOCATION_CHANGED,
                    Some(r),
                    dir,
                    new_ptr,
                    Side::Revision,
                    semver,
                    message,
                );
                continue;
            }
            let shown = param.get("name").and_then(Value::as_str).unwrap_or(name);
            let (rule, note) = match lifecycle::removal(param) {
                Removal::WithoutDeprecation => (&rules::REQUEST_PARAMETER_REMOVED, String::new()),
                Removal::WithDeprecation => (
                    &rules::REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION,
                    " after its deprecation".to_owned(),
                ),
                Removal::BeforeSunset(date) => (
                    &rules::REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET,
                    format!(" before its sunset date {date}"),
                ),
                Removal::SunsetUnreadable(text) => (
                    &rules::REQUEST_PARAMETER_SUNSET_PARSE,
                    format!("; its sunset date `{text}` cannot be read"),
                ),
            };
            let message = format!(
                "removed the {place} parameter `{shown}`{note} (its builder method is gone)"
            );
            self.emit(rule, Some(r), dir, ptr, Side::Base, Semver::Major, message);
        }
        for ((place, key_name), (param, ptr)) in &pb {
            if pa.contains_key(&(place.clone(), key_name.clone())) {
                continue;
            }
            let name = param
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(key_name);
            if pa
                .iter()
                .any(|((p, n), _)| n == key_name && !pb.contains_key(&(p.clone(), n.clone())))
            {
                continue; // reported as a location change
            }
            // oasdiff names a non-path parameter added to the path item
            // (so to every operation of an existing path) apart.
            let shared = place != "path" && declared_on_path_item(b, self.rev, place, key_name);
            let also = if shared {
                " to the path item (every operation of the path)"
            } else {
                ""
            };
            if is_true(param, "required") {
                let rule = if place == "path" {
                    &rules::NEW_REQUEST_PATH_PARAMETER
                } else if shared {
                    &rules::NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH
                } else {
                    &rules::NEW_REQUIRED_REQUEST_PARAMETER
                };
                let message = format!(
                    "added the required {place} parameter `{name}`{also}; calls without it fail"
                );
                self.emit(
                    rule,
                    Some(r),
                    dir,
                    ptr,
                    Side::Revision,
                    Semver::Major,
                    message,
                );
            } else {
                let rule = if shared {
                    &rules::NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH
                } else {
                    &rules::NEW_OPTIONAL_REQUEST_PARAMETER
                };
                let message = format!(
                    "added the optional {place} parameter `{name}`{also} (a new builder method)"
                );
                self.emit(
                    rule,
                    Some(r),
                    dir,
                    ptr,
                    Side::Revision,
                    Semver::Minor,
                    message,
                );
            }
        }
        for (key, (a_param, a_ptr)) in &pa {
            let Some((b_param, b_ptr)) = pb.get(key) else {
                continue;
            };
            let a_name = a_param
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let name = b_param
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&key.1);
            if key.0 == "path" && a_name != name {
                self.emit(
                    &rules::REQUEST_PATH_PARAMETER_RENAMED,
                    Some(r),
                    dir,
                    b_ptr,
                    Side::Revision,
                    // The builder method is named after the parameter.
                    Semver::Major,
                    format!("path parameter `{a_name}` renamed to `{name}` (its builder method is renamed)"),
                );
            }
            self.parameter_lifecycle(name, a_param, b_param, b_ptr, r);
            match (is_true(a_param, "required"), is_true(b_param, "required")) {
                (false, true) => self.emit(
                    &rules::REQUEST_PARAMETER_BECAME_REQUIRED,
                    Some(r),
                    dir,
                    &b_ptr.join("required"),
                    Side::Revision,
                    Semver::Major,
                    format!("parameter `{name}` became required; calls without it fail"),
                ),
                (true, false) => self.emit(
                    &rules::REQUEST_PARAMETER_BECAME_OPTIONAL,
                    Some(r),
                    dir,
                    b_ptr,
                    Side::Revision,
                    Semver::Minor,
                    format!("parameter `{name}` became optional"),
                ),
                _ => {}
            }
            // A parameter sent as JSON text (`content`) is typed by its
            // media type's schema, so a `schema` that became `content` (or
            // back) compares as a change of that type.
            let (Some(sa), Some(sb)) = (value_schema(a_param), value_schema(b_param)) else {
                continue;
            };
            let (Some(sa_ptr), Some(sb_ptr)) = (
                crate::json_query::schema_pointer(a_param, a_ptr),
                crate::json_query::schema_pointer(b_param, b_ptr),
            ) else {
                continue;
            };
            let header = key.0 == "header";
            self.parameter_schema(name, header, (sa, &sa_ptr), (sb, &sb_ptr), r);
        }
    }

    /// Deprecation and sunset dates of a parameter present in both
    /// documents.
    fn parameter_lifecycle(
        &mut self,
        name: &str,
        a: &Value,
        b: &Value,
        b_ptr: &JsonPointer,
        r: &OperationRef,
    ) {
        let dir = Direction::Request;
        match (is_true(a, "deprecated"), is_true(b, "deprecated")) {
            (false, true) => {
                let (rule, pointer, message) = match lifecycle::deprecation(b, self.min_days) {
                    Deprecation::SunsetMissing => (
                        &rules::REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING,
                        b_ptr.join("deprecated"),
                        format!("parameter `{name}` is now deprecated without a sunset date; the deprecation policy asks for one at least {} days ahead", self.min_days),
                    ),
                    Deprecation::Plain | Deprecation::WithSunset(_) => (
                        &rules::REQUEST_PARAMETER_DEPRECATED,
                        b_ptr.join("deprecated"),
                        format!("parameter `{name}` is now deprecated"),
                    ),
                    Deprecation::Unreadable(text) => (
                        &rules::REQUEST_PARAMETER_SUNSET_PARSE,
                        b_ptr.join("x-sunset"),
                        format!("parameter `{name}` is now deprecated, but its sunset date `{text}` cannot be read"),
                    ),
                    Deprecation::TooSoon(date) => (
                        &rules::REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL,
                        b_ptr.join("x-sunset"),
                        format!("parameter `{name}` is now deprecated with the sunset date {date}, {}", lifecycle::too_soon_note(self.min_days)),
                    ),
                };
                self.emit(
                    rule,
                    Some(r),
                    dir,
                    &pointer,
                    Side::Revision,
                    Semver::Patch,
                    message,
                );
            }
            (true, false) => self.emit(
                &rules::REQUEST_PARAMETER_REACTIVATED,
                Some(r),
                dir,
                b_ptr,
                Side::Revision,
                Semver::Patch,
                format!("parameter `{name}` is no longer deprecated"),
            ),
            _ => {}
        }
        match lifecycle::sunset_moved(a, b, self.min_days) {
            Err(()) => self.emit(
                &rules::REQUEST_PARAMETER_SUNSET_DELETED,
                Some(r),
                dir,
                b_ptr,
                Side::Revision,
                Semver::Patch,
                format!("parameter `{name}` is still deprecated but lost its sunset date"),
            ),
            Ok(Some((old, new))) => self.emit(
                &rules::REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL,
                Some(r),
                dir,
                &b_ptr.join("x-sunset"),
                Side::Revision,
                Semver::Patch,
                format!(
                    "parameter `{name}`'s sunset date moved earlier, from {old} to {new}, {}",
                    lifecycle::too_soon_note(self.min_days)
                ),
            ),
            Ok(None) => {}
        }
    }

    /// Compares the schemas of a parameter present in both documents: the
    /// schema itself, then its properties and items.
    fn parameter_schema(
        &mut self,
        name: &str,
        header: bool,
        (a, a_ptr): (&'a Value, &JsonPointer),
        (b, b_ptr): (&'a Value, &JsonPointer),
        r: &OperationRef,
    ) {
        let (Some((ra, _)), Some((rb, rb_ptr))) = (
            deref(self.base, a, a_ptr.clone()),
            deref(self.rev, b, b_ptr.clone()),
        ) else {
            return;
        };
        let dir = Direction::Request;
        match (is_true(ra, "nullable"), is_true(rb, "nullable")) {
            (false, true) => self.emit(
                &rules::REQUEST_PARAMETER_BECAME_NULLABLE,
                Some(r),
                dir,
                &rb_ptr,
                Side::Revision,
                Semver::Patch,
                format!("parameter `{name}` accepts null"),
            ),
            (true, false) => self.emit(
                &rules::REQUEST_PARAMETER_BECAME_NOT_NULLABLE,
                Some(r),
                dir,
                &rb_ptr,
                Side::Revision,
                Semver::Patch,
                format!("parameter `{name}` no longer accepts null"),
            ),
            _ => {}
        }
        if type_changed(ra, rb) {
            self.parameter_type(name, ra, rb, &rb_ptr, r);
        } else {
            // Every facet change is reported in the revision's parameter,
            // which exists (a facet it lost is reported where it was).
            for facet in facet_changes(Place::Parameter, ra, &rb_ptr, rb, &rb_ptr) {
                let Some(rule) = parameter_rule(&facet.kind) else {
                    continue;
                };
                let message = format!("parameter `{name}`: {}", facet.detail);
                // oasdiff reports a header parameter restricted to enum
                // values twice: as a parameter and as a header "property".
                if header && facet.kind == "became-enum" {
                    self.emit(
                        &rules::REQUEST_HEADER_PROPERTY_BECAME_ENUM,
                        Some(r),
                        dir,
                        &facet.pointer,
                        Side::Revision,
                        facet.semver,
                        format!("header {message}"),
                    );
                }
                self.emit(
                    rule,
                    Some(r),
                    dir,
                    &facet.pointer,
                    Side::Revision,
                    facet.semver,
                    message,
                );
            }
        }
        self.parameter_properties(name, header, (a, a_ptr), (b, b_ptr), r);
    }

    /// Compares what is below a parameter's schema: the properties of an
    /// object parameter and the items of an array one, reported under
    /// oasdiff's `request-parameter-property-*` rules (and, for a header,
    /// its `request-header-property-*` ones). oasdiff has no rule for other
    /// changes there (a property added or removed, a bound moved), so
    /// neither has this differ.
    fn parameter_properties(
        &mut self,
        name: &str,
        header: bool,
        (a, a_ptr): (&'a Value, &JsonPointer),
        (b, b_ptr): (&'a Value, &JsonPointer),
        r: &OperationRef,
    ) {
        let mut rels = Vec::new();
        // Whether such a parameter is sent as JSON or as text depends on
        // its serialization, so type changes are judged both ways.
        let typing = std::mem::replace(&mut self.typing, Typing::Unknown);
        let dir = Direction::Request;
        self.schema(dir, a, a_ptr.clone(), b, b_ptr.clone(), "", &mut rels);
        self.typing = typing;
        let place = if header { "header" } else { "parameter" };
        for rel in rels {
            if rel.prop.is_empty() {
                continue; // the parameter itself, compared above
            }
            let Some(found) = rel.rule.at(&rel.prop) else {
                continue;
            };
            for rule in parameter_property_rules(found, header, &rel.prop) {
                let at = match rel.prop.strip_prefix("[]") {
                    Some("") => "the items".to_owned(),
                    _ => format!("`{}`", rel.prop),
                };
                let message = format!("{at}: {} in the {place} `{name}`", rel.detail);
                self.emit(
                    rule,
                    Some(r),
                    dir,
                    &rel.pointer,
                    rel.side,
                    rel.semver,
                    message,
                );
                if let Some(change) = self.out.last_mut() {
                    change.path = rel.prop.clone();
                }
            }
        }
    }

    /// Reports a change of a parameter's type or format.
    fn parameter_type(
        &mut self,
        name: &str,
        a: &Value,
        b: &Value,
        b_ptr: &JsonPointer,
        r: &OperationRef,
    ) {
        let (ta, tb) = (type_of(a), type_of(b));
        let (fa, fb) = (format_of(a), format_of(b));
        let rule = match classify_parameter_type(a, b) {
            TypeChange::Changed => &rules::REQUEST_PARAMETER_TYPE_CHANGED,
            _ => &rules::REQUEST_PARAMETER_TYPE_GENERALIZED,
        };
        let message = format!(
            "parameter `{name}` changed type from {} to {}",
            describe_type(ta, fa),
            describe_type(tb, fb)
        );
        self.emit(
            rule,
            Some(r),
            Direction::Request,
            b_ptr,
            Side::Revision,
            rust_type_semver(ta, fa, tb, fb),
            message,
        );
    }
}

/// The rules a change found below a parameter's schema is reported under,
/// given the rule it has in a request body (`found`) and its property path:
/// none for the changes oasdiff has no parameter rule for.
fn parameter_property_rules(found: &'static Rule, header: bool, prop: &str) -> Vec<&'static Rule> {
    let is = |rule: &Rule| found.id == rule.id;
    let mut out = Vec::new();
    if is(&rules::REQUEST_PROPERTY_BECAME_NULLABLE) {
        out.push(&rules::REQUEST_PARAMETER_PROPERTY_BECAME_NULLABLE);
    } else if is(&rules::REQUEST_PROPERTY_BECAME_NOT_NULLABLE) {
        out.push(&rules::REQUEST_PARAMETER_PROPERTY_BECAME_NOT_NULLABLE);
    } else if is(&rules::REQUEST_PROPERTY_ENUM_VALUE_ADDED) {
        out.push(&rules::REQUEST_PARAMETER_PROPERTY_ENUM_VALUE_ADDED);
    } else if is(&rules::REQUEST_PROPERTY_ENUM_VALUE_REMOVED)
        || is(&rules::REQUEST_READ_ONLY_PROPERTY_ENUM_VALUE_REMOVED)
    {
        // oasdiff does not set read-only properties apart in parameters.
        out.push(&rules::REQUEST_PARAMETER_PROPERTY_ENUM_VALUE_REMOVED);
    } else if [
        &rules::REQUEST_PARAMETER_PROPERTY_TYPE_CHANGED,
        &rules::REQUEST_PARAMETER_PROPERTY_TYPE_GENERALIZED,
        &rules::REQUEST_PARAMETER_PROPERTY_TYPE_SPECIALIZED,
    ]
    .into_iter()
    .any(is)
    {
        out.push(found);
    } else if header {
        if is(&rules::REQUEST_PROPERTY_BECAME_ENUM) {
            out.push(&rules::REQUEST_HEADER_PROPERTY_BECAME_ENUM);
        } else if is(&rules::REQUEST_PROPERTY_BECAME_REQUIRED)
            || is(&rules::REQUEST_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT)
        {
            out.push(&rules::REQUEST_HEADER_PROPERTY_BECAME_REQUIRED);
        } else if is(&rules::NEW_REQUIRED_REQUEST_PROPERTY)
            || is(&rules::NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT)
        {
            out.push(&rules::NEW_REQUIRED_REQUEST_HEADER_PROPERTY);
            // Below the first level oasdiff reads a new required property
            // as one that also became required (it checks that the
            // property exists only at the first level), so it reports both.
            let nested = prop.contains('/') || prop.starts_with('[');
            if nested {
                out.push(&rules::REQUEST_HEADER_PROPERTY_BECAME_REQUIRED);
            }
        }
    }
    out
}

/// Whether the parameter keyed `(place, key)` (a non-path location; header
/// keys are lowercase) is declared on the operation's path item rather
/// than on the operation itself.
fn declared_on_path_item(op: &Operation<'_>, root: &Value, place: &str, key: &str) -> bool {
    let declares = |holder: &Value, ptr: &JsonPointer| {
        holder
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| deref(root, p, ptr.clone()))
            .any(|(p, _)| {
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                let name = if place == "header" {
                    name.to_ascii_lowercase()
                } else {
                    name.to_owned()
                };
                p.get("in").and_then(Value::as_str) == Some(place) && name == key
            })
    };
    declares(op.item, &op.item_ptr) && !declares(op.value, &op.ptr)
}

/// The names of the path parameters of a template, in order.
fn path_parameter_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// The schema of a parameter's value: its `schema`, or that of its one
/// `content` media type.
fn value_schema(param: &Value) -> Option<&Value> {
    param
        .get("schema")
        .or_else(|| crate::json_query::media_of(param)?.1.get("schema"))
}
