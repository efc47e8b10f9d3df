//! Operations: matched by method and path shape, then added, removed,
//! deprecated or renamed; a matched pair is compared area by area.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::engine::{is_true, Differ};
use super::lifecycle::{self, Deprecation, Removal};
use super::rules;
use super::{DiffError, Direction, OperationRef, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;
use crate::walk::{operations, Operation};

/// `/a/{id}/b` and `/a/{name}/b` are the same endpoint: the path with every
/// parameter name blanked, which is how the differ matches operations.
pub fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// How a change names the operation `op`.
fn op_ref(op: &Operation<'_>) -> OperationRef {
    OperationRef {
        method: op.method.to_uppercase(),
        path: op.path.to_owned(),
        operation_id: op.id().map(str::to_owned),
    }
}

/// Refuses a document in which two paths differ only in the names of their
/// path parameters and share a method (`GET /a/{x}` and `GET /a/{y}`):
/// the endpoints cannot be told apart, so neither can their changes.
pub(super) fn check_duplicates(root: &Value, side: Side) -> Result<(), DiffError> {
    let mut seen: BTreeMap<(String, &str), &str> = BTreeMap::new();
    for op in operations(root) {
        if let Some(first) = seen.insert((path_shape(op.path), op.method), op.path) {
            if first != op.path {
                return Err(DiffError::DuplicateEndpoint {
                    side,
                    method: op.method.to_uppercase(),
                    first: first.to_owned(),
                    second: op.path.to_owned(),
                    pointer: op.ptr.as_str().to_owned(),
                });
            }
        }
    }
    Ok(())
}

impl<'a> Differ<'a> {
    /// Reports operations added or removed, and compares the ones both
    /// documents have.
    pub(super) fn operations(&mut self) {
        let base_ops = operations(self.base);
        let rev_ops = operations(self.rev);
        let key = |op: &Operation<'_>| (path_shape(op.path), op.method);
        let rev_by_key: BTreeMap<_, &Operation<'_>> =
            rev_ops.iter().map(|op| (key(op), op)).collect();
        let base_by_key: BTreeMap<_, &Operation<'_>> =
            base_ops.iter().map(|op| (key(op), op)).collect();
        let rev_shapes: BTreeSet<String> = rev_ops.iter().map(|op| path_shape(op.path)).collect();

        for op in &base_ops {
            let r = op_ref(op);
            match rev_by_key.get(&key(op)) {
                Some(rev_op) => self.operation(op, rev_op),
                None => {
                    let whole_path = !rev_shapes.contains(&path_shape(op.path));
                    let (rule, note) = match (lifecycle::removal(op.value), whole_path) {
                        (Removal::WithoutDeprecation, true) => {
                            (&rules::API_PATH_REMOVED_WITHOUT_DEPRECATION, String::new())
                        }
                        (Removal::WithoutDeprecation, false) => {
                            (&rules::API_REMOVED_WITHOUT_DEPRECATION, String::new())
                        }
                        (Removal::WithDeprecation, true) => {
                            (&rules::API_PATH_REMOVED_WITH_DEPRECATION, String::new())
                        }
                        (Removal::WithDeprecation, false) => {
                            (&rules::API_REMOVED_WITH_DEPRECATION, String::new())
                        }
                        (Removal::BeforeSunset(date), true) => (
                            &rules::API_PATH_REMOVED_BEFORE_SUNSET,
                            format!(" before its sunset date {date}"),
                        ),
                        (Removal::BeforeSunset(date), false) => (
                            &rules::API_REMOVED_BEFORE_SUNSET,
                            format!(" before its sunset date {date}"),
                        ),
                        (Removal::SunsetUnreadable(text), _) => (
                            &rules::API_PATH_SUNSET_PARSE,
                            format!("; its sunset date `{text}` cannot be read"),
                        ),
                    };
                    let message =
                        format!("removed the operation {r}{note} (its client method is gone)");
                    self.emit(
                        rule,
                        Some(&r),
                        Direction::None,
                        &op.ptr,
                        Side::Base,
                        Semver::Major,
                        message,
                    );
                }
            }
        }
        for op in &rev_ops {
            if !base_by_key.contains_key(&key(op)) {
                let r = op_ref(op);
                let message = format!("added the operation {r} (a new client method)");
                self.emit(
                    &rules::ENDPOINT_ADDED,
                    Some(&r),
                    Direction::None,
                    &op.ptr,
                    Side::Revision,
                    Semver::Minor,
                    message,
                );
            }
        }
    }

    /// Compares one operation present in both documents.
    fn operation(&mut self, a: &Operation<'a>, b: &Operation<'a>) {
        let r = op_ref(b);
        self.min_days = lifecycle::min_sunset_days(b.value, &self.options.deprecation);
        self.operation_lifecycle(a, b, &r);
        match (a.id(), b.id()) {
            (x, y) if x == y => {}
            (None, Some(id)) => self.emit(
                &rules::API_OPERATION_ID_ADDED,
                Some(&r),
                Direction::None,
                &b.ptr.join("operationId"),
                Side::Revision,
                // The method was named after the path; now after the id.
                Semver::Major,
                format!("operationId changed from `-` to `{id}`, which renames the client method"),
            ),
            (x, y) => self.emit(
                &rules::API_OPERATION_ID_REMOVED,
                Some(&r),
                Direction::None,
                &b.ptr.join("operationId"),
                Side::Revision,
                Semver::Major,
                format!(
                    "operationId changed from `{}` to `{}`, which renames the client method",
                    x.unwrap_or("-"),
                    y.unwrap_or("-")
                ),
            ),
        }
        let tags = |op: &Operation<'_>| -> BTreeSet<String> {
            op.value
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        let (ta, tb) = (tags(a), tags(b));
        for tag in tb.difference(&ta) {
            self.emit(
                &rules::API_TAG_ADDED,
                Some(&r),
                Direction::None,
                &b.ptr.join("tags"),
                Side::Revision,
                Semver::Patch,
                format!("tag `{tag}` added"),
            );
        }
        for tag in ta.difference(&tb) {
            self.emit(
                &rules::API_TAG_REMOVED,
                Some(&r),
                Direction::None,
                &a.ptr.join("tags"),
                Side::Base,
                Semver::Patch,
                format!("tag `{tag}` removed"),
            );
        }
        self.parameters(a, b, &r);
        self.request_body(a, b, &r);
        self.responses(a, b, &r);
        self.operation_security(a, b, &r);
    }

    /// Deprecation, sunset dates and stability levels of an operation
    /// present in both documents.
    fn operation_lifecycle(&mut self, a: &Operation<'a>, b: &Operation<'a>, r: &OperationRef) {
        let emit = |differ: &mut Self,
                    rule: &'static rules::Rule,
                    ptr: JsonPointer,
                    side: Side,
                    message: String| {
            differ.emit(
                rule,
                Some(r),
                Direction::None,
                &ptr,
                side,
                Semver::Patch,
                message,
            );
        };
        match (
            is_true(a.value, "deprecated"),
            is_true(b.value, "deprecated"),
        ) {
            (false, true) => {
                let ptr = b.ptr.join("deprecated");
                match lifecycle::deprecation(b.value, self.min_days) {
                    Deprecation::Plain => emit(self, &rules::ENDPOINT_DEPRECATED, ptr, Side::Revision, "the operation is now deprecated".to_owned()),
                    Deprecation::SunsetMissing => emit(self, &rules::API_DEPRECATED_SUNSET_MISSING, ptr, Side::Revision, format!("the operation is now deprecated without a sunset date; the deprecation policy asks for one at least {} days ahead", self.min_days)),
                    Deprecation::WithSunset(date) => emit(self, &rules::ENDPOINT_DEPRECATED_WITH_SUNSET, ptr, Side::Revision, format!("the operation is now deprecated, with the sunset date {date}")),
                    Deprecation::Unreadable(text) => emit(self, &rules::API_DEPRECATED_SUNSET_PARSE, b.ptr.join("x-sunset"), Side::Revision, format!("the operation is now deprecated, but its sunset date `{text}` cannot be read")),
                    Deprecation::TooSoon(date) => emit(self, &rules::API_SUNSET_DATE_TOO_SMALL, b.ptr.join("x-sunset"), Side::Revision, format!("the operation is now deprecated with the sunset date {date}, {}", lifecycle::too_soon_note(self.min_days))),
                }
            }
            (true, false) => emit(
                self,
                &rules::ENDPOINT_REACTIVATED,
                b.ptr.clone(),
                Side::Revision,
                "the operation is no longer deprecated".to_owned(),
            ),
            _ => {}
        }
        match lifecycle::sunset_moved(a.value, b.value, self.min_days) {
            Err(()) => emit(
                self,
                &rules::SUNSET_DELETED,
                a.ptr.join("x-sunset"),
                Side::Base,
                "the operation is still deprecated but lost its sunset date".to_owned(),
            ),
            Ok(Some((old, new))) => emit(
                self,
                &rules::API_SUNSET_DATE_CHANGED_TOO_SMALL,
                b.ptr.join("x-sunset"),
                Side::Revision,
                format!(
                    "the sunset date moved earlier, from {old} to {new}, {}",
                    lifecycle::too_soon_note(self.min_days)
                ),
            ),
            Ok(None) => {}
        }
        match (lifecycle::stability(a.value), lifecycle::stability(b.value)) {
            (Ok(x), Ok(y)) if y < x => emit(
                self,
                &rules::API_STABILITY_DECREASED,
                b.ptr.join("x-stability-level"),
                Side::Revision,
                format!(
                    "stability level went down from {} to {}",
                    lifecycle::stability_name(x),
                    lifecycle::stability_name(y)
                ),
            ),
            (Ok(x), Ok(y)) if y > x => emit(
                self,
                &rules::API_STABILITY_INCREASED,
                b.ptr.join("x-stability-level"),
                Side::Revision,
                format!(
                    "stability level went up from {} to {}",
                    lifecycle::stability_name(x),
                    lifecycle::stability_name(y)
                ),
            ),
            (Ok(_), Ok(_)) => {}
            (Err(bad), _) => emit(
                self,
                &rules::API_INVALID_STABILITY_LEVEL,
                a.ptr.join("x-stability-level"),
                Side::Base,
                format!("`x-stability-level` `{bad}` is not one of draft, alpha, beta, stable"),
            ),
            (_, Err(bad)) => emit(
                self,
                &rules::API_INVALID_STABILITY_LEVEL,
                b.ptr.join("x-stability-level"),
                Side::Revision,
                format!("`x-stability-level` `{bad}` is not one of draft, alpha, beta, stable"),
            ),
        }
    }
}
