//! Parameters: matched by location and name (header names ignore case),
//! then added, removed, moved, made required or optional, and their
//! schemas' type, enum values and defaults compared.

use std::collections::BTreeMap;

use serde_json::Value;

use super::engine::{is_true, Differ};
use super::rules;
use super::schemas::{
    describe_type, enum_delta, enum_note, format_of, is_string_enum, rust_type_semver,
    type_changed, type_of,
};
use super::{Direction, OperationRef, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;
use crate::walk::{deref, Operation};

impl<'a> Differ<'a> {
    /// Compares the parameters of an operation present in both documents.
    pub(super) fn parameters(&mut self, a: &Operation<'a>, b: &Operation<'a>, r: &OperationRef) {
        let collect = |op: &Operation<'a>, root: &'a Value| {
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
                let name = if place == "header" {
                    field("name").to_ascii_lowercase()
                } else {
                    field("name")
                };
                map.insert((place, name), (param, ptr));
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
                    && param.get("schema") == new_param.get("schema");
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
            let _ = param;
            let message =
                format!("removed the {place} parameter `{name}` (its builder method is gone)");
            self.emit(
                &rules::REQUEST_PARAMETER_REMOVED,
                Some(r),
                dir,
                ptr,
                Side::Base,
                Semver::Major,
                message,
            );
        }
        for ((place, name), (param, ptr)) in &pb {
            if pa.contains_key(&(place.clone(), name.clone())) {
                continue;
            }
            if pa
                .iter()
                .any(|((p, n), _)| n == name && !pb.contains_key(&(p.clone(), n.clone())))
            {
                continue; // reported as a location change
            }
            if is_true(param, "required") {
                let rule = if place == "path" {
                    &rules::NEW_REQUEST_PATH_PARAMETER
                } else {
                    &rules::NEW_REQUIRED_REQUEST_PARAMETER
                };
                let message =
                    format!("added the required {place} parameter `{name}`; calls without it fail");
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
                let message =
                    format!("added the optional {place} parameter `{name}` (a new builder method)");
                self.emit(
                    &rules::NEW_OPTIONAL_REQUEST_PARAMETER,
                    Some(r),
                    dir,
                    ptr,
                    Side::Revision,
                    Semver::Minor,
                    message,
                );
            }
        }
        for (key, (a_param, _)) in &pa {
            let Some((b_param, b_ptr)) = pb.get(key) else {
                continue;
            };
            let name = &key.1;
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
            let (Some(sa), Some(sb)) = (a_param.get("schema"), b_param.get("schema")) else {
                continue;
            };
            self.parameter_schema(name, sa, sb, &b_ptr.join("schema"), r);
        }
    }

    /// Compares the schemas of a parameter present in both documents.
    fn parameter_schema(
        &mut self,
        name: &str,
        a: &'a Value,
        b: &'a Value,
        b_ptr: &JsonPointer,
        r: &OperationRef,
    ) {
        let (Some((a, _)), Some((b, b_ptr))) = (
            deref(self.base, a, JsonPointer::root()),
            deref(self.rev, b, b_ptr.clone()),
        ) else {
            return;
        };
        let dir = Direction::Request;
        let (ta, tb) = (type_of(a), type_of(b));
        let (fa, fb) = (format_of(a), format_of(b));
        if type_changed(a, b) {
            let semver = rust_type_semver(ta, fa, tb, fb);
            let message = format!(
                "parameter `{name}` changed type from {} to {}",
                describe_type(ta, fa),
                describe_type(tb, fb)
            );
            self.emit(
                &rules::REQUEST_PARAMETER_TYPE_CHANGED,
                Some(r),
                dir,
                &b_ptr,
                Side::Revision,
                semver,
                message,
            );
            return;
        }
        if let (Some(ia), Some(ib)) = (a.get("items"), b.get("items")) {
            let resolved = (
                deref(self.base, ia, JsonPointer::root()),
                deref(self.rev, ib, b_ptr.join("items")),
            );
            if let (Some((ia, _)), Some((ib, ib_ptr))) = resolved {
                if type_changed(ia, ib) {
                    let (ta, fa, tb, fb) = (type_of(ia), format_of(ia), type_of(ib), format_of(ib));
                    let message = format!(
                        "parameter `{name}` items changed type from {} to {}",
                        describe_type(ta, fa),
                        describe_type(tb, fb)
                    );
                    let semver = rust_type_semver(ta, fa, tb, fb);
                    self.emit(
                        &rules::REQUEST_PARAMETER_TYPE_CHANGED,
                        Some(r),
                        dir,
                        &ib_ptr,
                        Side::Revision,
                        semver,
                        message,
                    );
                    return;
                }
            }
        }
        let (added, removed) = enum_delta(a, b);
        let string_enum = is_string_enum(b);
        for value in added {
            // Enums are open and `#[non_exhaustive]`: a new value is a new
            // variant, which is a minor change.
            let semver = Semver::Minor;
            let message = format!(
                "parameter `{name}` accepts the new value {value}{}",
                enum_note(string_enum)
            );
            self.emit(
                &rules::REQUEST_PARAMETER_ENUM_VALUE_ADDED,
                Some(r),
                dir,
                &b_ptr.join("enum"),
                Side::Revision,
                semver,
                message,
            );
        }
        for value in removed {
            let message = format!("parameter `{name}` no longer accepts the value {value}");
            self.emit(
                &rules::REQUEST_PARAMETER_ENUM_VALUE_REMOVED,
                Some(r),
                dir,
                &b_ptr.join("enum"),
                Side::Revision,
                Semver::Major,
                message,
            );
        }
        match (a.get("default"), b.get("default")) {
            (None, Some(d)) => self.emit(
                &rules::REQUEST_PARAMETER_DEFAULT_VALUE_ADDED,
                Some(r),
                dir,
                &b_ptr.join("default"),
                Side::Revision,
                Semver::Patch,
                format!("parameter `{name}` got the default {d}"),
            ),
            (Some(d), None) => self.emit(
                &rules::REQUEST_PARAMETER_DEFAULT_VALUE_REMOVED,
                Some(r),
                dir,
                &b_ptr,
                Side::Revision,
                Semver::Patch,
                format!("parameter `{name}` lost its default {d}"),
            ),
            (Some(x), Some(y)) if x != y => self.emit(
                &rules::REQUEST_PARAMETER_DEFAULT_VALUE_CHANGED,
                Some(r),
                dir,
                &b_ptr.join("default"),
                Side::Revision,
                Semver::Patch,
                format!("parameter `{name}` default changed from {x} to {y}"),
            ),
            _ => {}
        }
    }
}
