//! The comparison itself: operations are matched by method and path shape,
//! `$ref`s are followed (a change inside a shared component is reported at
//! every operation that uses it), and recursive schemas terminate because a
//! pair of components already being compared is not entered again. Pairs of
//! components are compared once and the result reused, which keeps large
//! documents fast.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use serde_json::Value;

use super::rules::{self, Rule};
use super::{Change, DiffOptions, Direction, OperationRef, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;
use crate::settings::OptionalArrays;
use crate::walk::{deref, entries, operations, Operation};

/// A change found inside a schema, relative to where the comparison of that
/// schema started, so that it can be reused at every place the schema is
/// referenced.
#[derive(Debug, Clone)]
struct Rel {
    rule: &'static Rule,
    pointer: JsonPointer,
    side: Side,
    semver: Semver,
    /// Property path below the schema root, e.g. `data[]/jobStatus`.
    prop: String,
    /// What changed, without the location.
    detail: String,
}

type MemoKey = (String, String, Direction);

/// Stands in for a missing `properties` map.
static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

struct Differ<'a> {
    base: &'a Value,
    rev: &'a Value,
    options: &'a DiffOptions,
    out: Vec<Change>,
    memo: HashMap<MemoKey, Rc<Vec<Rel>>>,
    /// The schema pairs being compared, innermost last, each with whether a
    /// recursion cut inside it left its result partial.
    stack: Vec<(MemoKey, bool)>,
}

pub(super) fn diff(base: &Value, rev: &Value, options: &DiffOptions) -> Vec<Change> {
    let mut differ = Differ {
        base,
        rev,
        options,
        out: Vec::new(),
        memo: HashMap::new(),
        stack: Vec::new(),
    };
    differ.operations();
    differ.global_security();
    differ.security_schemes();
    differ.servers();
    differ.out
}

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

fn op_ref(op: &Operation<'_>) -> OperationRef {
    OperationRef {
        method: op.method.to_uppercase(),
        path: op.path.to_owned(),
        operation_id: op.id().map(str::to_owned),
    }
}

fn is_true(value: &Value, key: &str) -> bool {
    value.get(key) == Some(&Value::Bool(true))
}

fn is_success(status: &str) -> bool {
    status == "default"
        || status == "2XX"
        || status == "101"
        || status.parse::<u16>().is_ok_and(|s| (200..300).contains(&s))
}

fn is_json(media_type: &str) -> bool {
    crate::media::is_json(media_type)
}

impl<'a> Differ<'a> {
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        rule: &'static Rule,
        operation: Option<&OperationRef>,
        direction: Direction,
        pointer: &JsonPointer,
        side: Side,
        semver: Semver,
        message: String,
    ) {
        self.out.push(Change {
            rule: rule.id,
            operation: operation.cloned(),
            direction,
            pointer: pointer.as_str().to_owned(),
            side,
            path: String::new(),
            line: None,
            message,
            compat: rule.compat,
            semver,
        });
    }

    // ------------------------------------------------------------ operations

    fn operations(&mut self) {
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
                    let deprecated = is_true(op.value, "deprecated");
                    let whole_path = !rev_shapes.contains(&path_shape(op.path));
                    let rule = match (whole_path, deprecated) {
                        (true, false) => &rules::API_PATH_REMOVED_WITHOUT_DEPRECATION,
                        (true, true) => &rules::API_PATH_REMOVED_WITH_DEPRECATION,
                        (false, false) => &rules::API_REMOVED_WITHOUT_DEPRECATION,
                        (false, true) => &rules::API_REMOVED_WITH_DEPRECATION,
                    };
                    let message = format!("removed the operation {r} (its client method is gone)");
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

    fn operation(&mut self, a: &Operation<'a>, b: &Operation<'a>) {
        let r = op_ref(b);
        match (
            is_true(a.value, "deprecated"),
            is_true(b.value, "deprecated"),
        ) {
            (false, true) => self.emit(
                &rules::ENDPOINT_DEPRECATED,
                Some(&r),
                Direction::None,
                &b.ptr.join("deprecated"),
                Side::Revision,
                Semver::Patch,
                "the operation is now deprecated".to_owned(),
            ),
            (true, false) => self.emit(
                &rules::ENDPOINT_REACTIVATED,
                Some(&r),
                Direction::None,
                &b.ptr,
                Side::Revision,
                Semver::Patch,
                "the operation is no longer deprecated".to_owned(),
            ),
            _ => {}
        }
        if a.id() != b.id() {
            let message = format!(
                "operationId changed from `{}` to `{}`, which renames the client method",
                a.id().unwrap_or("-"),
                b.id().unwrap_or("-")
            );
            self.emit(
                &rules::API_OPERATION_ID_UPDATED,
                Some(&r),
                Direction::None,
                &b.ptr.join("operationId"),
                Side::Revision,
                Semver::Major,
                message,
            );
        }
        self.parameters(a, b, &r);
        self.request_body(a, b, &r);
        self.responses(a, b, &r);
        self.operation_security(a, b, &r);
    }

    // ------------------------------------------------------------ parameters

    fn parameters(&mut self, a: &Operation<'a>, b: &Operation<'a>, r: &OperationRef) {
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

    // ---------------------------------------------------------- request body

    fn request_body(&mut self, a: &Operation<'a>, b: &Operation<'a>, r: &OperationRef) {
        let dir = Direction::Request;
        match (a.request_body(self.base), b.request_body(self.rev)) {
            (None, None) => {}
            (None, Some((body, ptr))) => {
                if is_true(body, "required") {
                    self.emit(
                        &rules::ADDED_REQUIRED_REQUEST_BODY,
                        Some(r),
                        dir,
                        &ptr,
                        Side::Revision,
                        Semver::Major,
                        "added a required request body".to_owned(),
                    );
                } else {
                    self.emit(
                        &rules::ADDED_OPTIONAL_REQUEST_BODY,
                        Some(r),
                        dir,
                        &ptr,
                        Side::Revision,
                        Semver::Minor,
                        "added an optional request body (a new builder method)".to_owned(),
                    );
                }
            }
            (Some((_, ptr)), None) => {
                self.emit(
                    &rules::REQUEST_BODY_REMOVED,
                    Some(r),
                    dir,
                    &ptr,
                    Side::Base,
                    Semver::Major,
                    "removed the request body (its builder method is gone)".to_owned(),
                );
            }
            (Some((ba, _)), Some((bb, pb))) => {
                match (is_true(ba, "required"), is_true(bb, "required")) {
                    (false, true) => self.emit(
                        &rules::REQUEST_BODY_BECAME_REQUIRED,
                        Some(r),
                        dir,
                        &pb.join("required"),
                        Side::Revision,
                        Semver::Major,
                        "the request body became required".to_owned(),
                    ),
                    (true, false) => self.emit(
                        &rules::REQUEST_BODY_BECAME_OPTIONAL,
                        Some(r),
                        dir,
                        &pb,
                        Side::Revision,
                        Semver::Minor,
                        "the request body became optional".to_owned(),
                    ),
                    _ => {}
                }
                let ca = entries(self.base, ba, "content", &JsonPointer::root());
                let cb = entries(self.rev, bb, "content", &pb);
                for (mt, _, ptr) in &ca {
                    if !cb.iter().any(|(m, ..)| m == mt) {
                        let semver = if is_json(mt) {
                            Semver::Major
                        } else {
                            Semver::Patch
                        };
                        let ptr = a
                            .request_body(self.base)
                            .map(|(_, p)| p.join("content").join(mt))
                            .unwrap_or_else(|| ptr.clone());
                        self.emit(
                            &rules::REQUEST_BODY_MEDIA_TYPE_REMOVED,
                            Some(r),
                            dir,
                            &ptr,
                            Side::Base,
                            semver,
                            format!("the request body no longer accepts `{mt}`"),
                        );
                    }
                }
                for (mt, _, ptr) in &cb {
                    if !ca.iter().any(|(m, ..)| m == mt) {
                        let semver = if is_json(mt) {
                            Semver::Major
                        } else {
                            Semver::Patch
                        };
                        self.emit(
                            &rules::REQUEST_BODY_MEDIA_TYPE_ADDED,
                            Some(r),
                            dir,
                            ptr,
                            Side::Revision,
                            semver,
                            format!("the request body accepts `{mt}`"),
                        );
                    }
                }
                let base_body_ptr = a
                    .request_body(self.base)
                    .map(|(_, p)| p)
                    .unwrap_or_default();
                for (mt, ma, _) in &ca {
                    let Some((_, mb, mb_ptr)) = cb.iter().find(|(m, ..)| m == mt) else {
                        continue;
                    };
                    let (Some(sa), Some(sb)) = (ma.get("schema"), mb.get("schema")) else {
                        continue;
                    };
                    let a_ptr = base_body_ptr.join("content").join(mt).join("schema");
                    self.body(
                        dir,
                        "the request body".to_owned(),
                        sa,
                        a_ptr,
                        sb,
                        mb_ptr.join("schema"),
                        r,
                    );
                }
            }
        }
    }

    // ------------------------------------------------------------- responses

    fn responses(&mut self, a: &Operation<'a>, b: &Operation<'a>, r: &OperationRef) {
        let dir = Direction::Response;
        let ra = entries(self.base, a.value, "responses", &a.ptr);
        let rb = entries(self.rev, b.value, "responses", &b.ptr);
        // The generated method's success and error types come from these sets.
        let types_a = response_types(self.base, &ra);
        let types_b = response_types(self.rev, &rb);
        let success_semver = if types_a.0 != types_b.0 {
            Semver::Major
        } else {
            Semver::Patch
        };
        let error_semver = if types_a.1 != types_b.1 {
            Semver::Major
        } else {
            Semver::Patch
        };

        for (status, _, ptr) in &ra {
            if rb.iter().any(|(s, ..)| s == status) {
                continue;
            }
            let (rule, semver) = if is_success(status) {
                (&rules::RESPONSE_SUCCESS_STATUS_REMOVED, success_semver)
            } else {
                (&rules::RESPONSE_NON_SUCCESS_STATUS_REMOVED, error_semver)
            };
            self.emit(
                rule,
                Some(r),
                dir,
                ptr,
                Side::Base,
                semver,
                format!("removed the response status `{status}`"),
            );
        }
        for (status, _, ptr) in &rb {
            if ra.iter().any(|(s, ..)| s == status) {
                continue;
            }
            let (rule, semver) = if is_success(status) {
                (&rules::RESPONSE_SUCCESS_STATUS_ADDED, success_semver)
            } else {
                (&rules::RESPONSE_NON_SUCCESS_STATUS_ADDED, error_semver)
            };
            self.emit(
                rule,
                Some(r),
                dir,
                ptr,
                Side::Revision,
                semver,
                format!("added the response status `{status}`"),
            );
        }
        for (status, resp_a, ptr_a) in &ra {
            let Some((_, resp_b, ptr_b)) = rb.iter().find(|(s, ..)| s == status) else {
                continue;
            };
            let ca = entries(self.base, resp_a, "content", ptr_a);
            let cb = entries(self.rev, resp_b, "content", ptr_b);
            let semver = if is_success(status) {
                success_semver
            } else {
                error_semver
            };
            for (mt, _, ptr) in &ca {
                if !cb.iter().any(|(m, ..)| m == mt) {
                    let semver = if is_json(mt) { Semver::Major } else { semver };
                    self.emit(
                        &rules::RESPONSE_MEDIA_TYPE_REMOVED,
                        Some(r),
                        dir,
                        ptr,
                        Side::Base,
                        semver,
                        format!("response `{status}` no longer has `{mt}` content"),
                    );
                }
            }
            for (mt, _, ptr) in &cb {
                if !ca.iter().any(|(m, ..)| m == mt) {
                    let semver = if is_json(mt) { Semver::Major } else { semver };
                    self.emit(
                        &rules::RESPONSE_MEDIA_TYPE_ADDED,
                        Some(r),
                        dir,
                        ptr,
                        Side::Revision,
                        semver,
                        format!("response `{status}` has new `{mt}` content"),
                    );
                }
            }
            for (mt, ma, ma_ptr) in &ca {
                let Some((_, mb, mb_ptr)) = cb.iter().find(|(m, ..)| m == mt) else {
                    continue;
                };
                let (Some(sa), Some(sb)) = (ma.get("schema"), mb.get("schema")) else {
                    continue;
                };
                self.body(
                    dir,
                    format!("the response `{status}`"),
                    sa,
                    ma_ptr.join("schema"),
                    sb,
                    mb_ptr.join("schema"),
                    r,
                );
            }
        }
    }

    // --------------------------------------------------------------- schemas

    /// Compares a request or response body schema and emits what differs.
    #[allow(clippy::too_many_arguments)]
    fn body(
        &mut self,
        dir: Direction,
        place: String,
        a: &'a Value,
        a_ptr: JsonPointer,
        b: &'a Value,
        b_ptr: JsonPointer,
        r: &OperationRef,
    ) {
        let mut rels = Vec::new();
        self.schema(dir, a, a_ptr, b, b_ptr, "", &mut rels);
        for rel in rels {
            let at = if rel.prop.is_empty() {
                "the body".to_owned()
            } else {
                format!("`{}`", rel.prop)
            };
            let message = format!("{}: {} in {place}", at, rel.detail);
            self.emit(
                rel.rule,
                Some(r),
                dir,
                &rel.pointer,
                rel.side,
                rel.semver,
                message,
            );
            if let Some(change) = self.out.last_mut() {
                change.path = rel.prop;
            }
        }
    }

    /// Compares two schemas, appending changes with property paths below
    /// `prop`.
    #[allow(clippy::too_many_arguments)]
    fn schema(
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

    #[allow(clippy::too_many_arguments)]
    fn properties(
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

        for (name, schema) in pa {
            if pb.contains_key(name) {
                continue;
            }
            let required = req_a.contains(name.as_str());
            let rule = match (request, required) {
                (true, _) => &rules::REQUEST_PROPERTY_REMOVED,
                (false, true) => &rules::RESPONSE_REQUIRED_PROPERTY_REMOVED,
                (false, false) => &rules::RESPONSE_OPTIONAL_PROPERTY_REMOVED,
            };
            let _ = schema;
            out.push(Rel {
                rule,
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
        for name in pb.keys() {
            if pa.contains_key(name) {
                continue;
            }
            let required = req_b.contains(name.as_str());
            let rule = match (request, required) {
                (true, true) => &rules::NEW_REQUIRED_REQUEST_PROPERTY,
                (true, false) => &rules::NEW_OPTIONAL_REQUEST_PROPERTY,
                (false, true) => &rules::RESPONSE_REQUIRED_PROPERTY_ADDED,
                (false, false) => &rules::RESPONSE_OPTIONAL_PROPERTY_ADDED,
            };
            out.push(Rel {
                rule,
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
            let array = resolved_b.and_then(type_of) == Some("array");
            if ra != rb {
                // The Rust type is `Option<T>` unless required and not
                // nullable; optional arrays may be a plain `Vec` instead.
                // A `$ref`'d array is a named newtype, which becomes `Option<_>`.
                let inline = sa.get("$ref").is_none() && sb.get("$ref").is_none();
                let vec_either_way =
                    array && inline && self.options.optional_arrays == OptionalArrays::Empty;
                let semver = if vec_either_way || (nullable_a && nullable_b) {
                    Semver::Patch
                } else {
                    Semver::Major
                };
                let rule = match (request, rb) {
                    (true, true) => &rules::REQUEST_PROPERTY_BECAME_REQUIRED,
                    (true, false) => &rules::REQUEST_PROPERTY_BECAME_OPTIONAL,
                    (false, true) => &rules::RESPONSE_PROPERTY_BECAME_REQUIRED,
                    (false, false) => &rules::RESPONSE_PROPERTY_BECAME_OPTIONAL,
                };
                let detail = if rb {
                    "became required"
                } else {
                    "became optional"
                };
                out.push(Rel {
                    rule,
                    pointer: b_ptr.join("required"),
                    side: Side::Revision,
                    semver,
                    prop: child.clone(),
                    detail: detail.to_owned(),
                });
            }
            if nullable_a != nullable_b {
                let semver = if !ra && !rb {
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
                    rule,
                    pointer: sb_ptr.clone(),
                    side: Side::Revision,
                    semver,
                    prop: child.clone(),
                    detail: detail.to_owned(),
                });
            }
            self.schema(dir, sa, sa_ptr, sb, sb_ptr, &child, out);
        }
    }

    // -------------------------------------------------------------- security

    fn operation_security(&mut self, a: &Operation<'a>, b: &Operation<'a>, r: &OperationRef) {
        let (sa, sb) = (a.value.get("security"), b.value.get("security"));
        if sa.is_none() && sb.is_none() {
            return;
        }
        // An operation without its own `security` uses the document's.
        let sa = sa.or_else(|| self.base.get("security"));
        let sb = sb.or_else(|| self.rev.get("security"));
        // Removals point into the base, where the requirement was.
        let base_ptr = if a.value.get("security").is_some() {
            a.ptr.join("security")
        } else {
            JsonPointer::root().join("security")
        };
        let ptr = if b.value.get("security").is_some() {
            b.ptr.join("security")
        } else {
            JsonPointer::root().join("security")
        };
        self.security(sa, sb, (&base_ptr, &ptr), Some(r), false);
    }

    fn global_security(&mut self) {
        let ptr = JsonPointer::root().join("security");
        self.security(
            self.base.get("security"),
            self.rev.get("security"),
            (&ptr, &ptr),
            None,
            true,
        );
    }

    fn security(
        &mut self,
        a: Option<&Value>,
        b: Option<&Value>,
        (base_ptr, ptr): (&JsonPointer, &JsonPointer),
        r: Option<&OperationRef>,
        global: bool,
    ) {
        let ra = requirements(a);
        let rb = requirements(b);
        let (added, removed, scope_added, scope_removed) = if global {
            (
                &rules::API_GLOBAL_SECURITY_ADDED,
                &rules::API_GLOBAL_SECURITY_REMOVED,
                &rules::API_GLOBAL_SECURITY_SCOPE_ADDED,
                &rules::API_GLOBAL_SECURITY_SCOPE_REMOVED,
            )
        } else {
            (
                &rules::API_SECURITY_ADDED,
                &rules::API_SECURITY_REMOVED,
                &rules::API_SECURITY_SCOPE_ADDED,
                &rules::API_SECURITY_SCOPE_REMOVED,
            )
        };
        // The generated client does not use security yet, so none of these
        // changes its API: patch.
        for schemes in ra.keys() {
            if !rb.contains_key(schemes) {
                self.emit(
                    removed,
                    r,
                    Direction::None,
                    base_ptr,
                    Side::Base,
                    Semver::Patch,
                    format!("security requirement {} removed", schemes.join(" + ")),
                );
            }
        }
        for schemes in rb.keys() {
            if !ra.contains_key(schemes) {
                self.emit(
                    added,
                    r,
                    Direction::None,
                    ptr,
                    Side::Revision,
                    Semver::Patch,
                    format!("security requirement {} added", schemes.join(" + ")),
                );
            }
        }
        for (schemes, scopes_a) in &ra {
            let Some(scopes_b) = rb.get(schemes) else {
                continue;
            };
            for (scheme, sa) in scopes_a {
                let sb = scopes_b.get(scheme).cloned().unwrap_or_default();
                for scope in sb.difference(sa) {
                    self.emit(
                        scope_added,
                        r,
                        Direction::None,
                        ptr,
                        Side::Revision,
                        Semver::Patch,
                        format!("`{scheme}` now also needs the scope `{scope}`"),
                    );
                }
                for scope in sa.difference(&sb) {
                    self.emit(
                        scope_removed,
                        r,
                        Direction::None,
                        ptr,
                        Side::Revision,
                        Semver::Patch,
                        format!("`{scheme}` no longer needs the scope `{scope}`"),
                    );
                }
            }
        }
    }

    fn security_schemes(&mut self) {
        let base_ptr = JsonPointer::root().join("components");
        let sa = entries(
            self.base,
            self.base.get("components").unwrap_or(&Value::Null),
            "securitySchemes",
            &base_ptr,
        );
        let sb = entries(
            self.rev,
            self.rev.get("components").unwrap_or(&Value::Null),
            "securitySchemes",
            &base_ptr,
        );
        for (name, _, ptr) in &sa {
            if !sb.iter().any(|(n, ..)| n == name) {
                self.emit(
                    &rules::API_SECURITY_COMPONENT_REMOVED,
                    None,
                    Direction::None,
                    ptr,
                    Side::Base,
                    // Its `schemes::` static disappears.
                    Semver::Major,
                    format!("security scheme `{name}` removed"),
                );
            }
        }
        for (name, _, ptr) in &sb {
            if !sa.iter().any(|(n, ..)| n == name) {
                self.emit(
                    &rules::API_SECURITY_COMPONENT_ADDED,
                    None,
                    Direction::None,
                    ptr,
                    Side::Revision,
                    // A new `schemes::` static.
                    Semver::Minor,
                    format!("security scheme `{name}` added"),
                );
            }
        }
        for (name, a, _) in &sa {
            let Some((_, b, ptr)) = sb.iter().find(|(n, ..)| n == name) else {
                continue;
            };
            if a.get("type") != b.get("type") {
                self.emit(
                    &rules::API_SECURITY_COMPONENT_TYPE_CHANGED,
                    None,
                    Direction::None,
                    &ptr.join("type"),
                    Side::Revision,
                    Semver::Patch,
                    format!("security scheme `{name}` changed type"),
                );
                continue;
            }
            let empty = serde_json::Map::new();
            let fa = a.get("flows").and_then(Value::as_object).unwrap_or(&empty);
            let fb = b.get("flows").and_then(Value::as_object).unwrap_or(&empty);
            for (flow, xa) in fa {
                let Some(xb) = fb.get(flow) else { continue };
                let flow_ptr = ptr.join("flows").join(flow);
                if xa.get("tokenUrl") != xb.get("tokenUrl") {
                    self.emit(
                        &rules::API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED,
                        None,
                        Direction::None,
                        &flow_ptr.join("tokenUrl"),
                        Side::Revision,
                        Semver::Patch,
                        format!("security scheme `{name}` ({flow}) token URL changed"),
                    );
                }
                let scopes = |x: &Value| -> BTreeSet<String> {
                    x.get("scopes")
                        .and_then(Value::as_object)
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default()
                };
                let (ka, kb) = (scopes(xa), scopes(xb));
                for scope in kb.difference(&ka) {
                    self.emit(
                        &rules::API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED,
                        None,
                        Direction::None,
                        &flow_ptr.join("scopes").join(scope),
                        Side::Revision,
                        Semver::Patch,
                        format!("security scheme `{name}` offers the scope `{scope}`"),
                    );
                }
                for scope in ka.difference(&kb) {
                    self.emit(
                        &rules::API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED,
                        None,
                        Direction::None,
                        &flow_ptr.join("scopes"),
                        Side::Revision,
                        Semver::Patch,
                        format!("security scheme `{name}` no longer offers the scope `{scope}`"),
                    );
                }
            }
        }
    }

    // --------------------------------------------------------------- servers

    fn servers(&mut self) {
        let urls = |root: &Value| -> Vec<(String, usize)> {
            root.get("servers")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .enumerate()
                        .filter_map(|(i, s)| {
                            s.get("url")
                                .and_then(Value::as_str)
                                .map(|u| (u.to_owned(), i))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (ua, ub) = (urls(self.base), urls(self.rev));
        let servers = JsonPointer::root().join("servers");
        for (url, i) in &ua {
            if !ub.iter().any(|(u, _)| u == url) {
                self.emit(
                    &rules::SERVER_REMOVED,
                    None,
                    Direction::None,
                    &servers.join(i),
                    Side::Base,
                    Semver::Patch,
                    format!("server `{url}` removed"),
                );
            }
        }
        for (url, i) in &ub {
            if !ua.iter().any(|(u, _)| u == url) {
                self.emit(
                    &rules::SERVER_ADDED,
                    None,
                    Direction::None,
                    &servers.join(i),
                    Side::Revision,
                    Semver::Patch,
                    format!("server `{url}` added"),
                );
            }
        }
    }
}

// ------------------------------------------------------------------ helpers

fn join_prop(prefix: &str, name: &str) -> String {
    match (prefix.is_empty(), name.is_empty()) {
        (true, _) => name.to_owned(),
        (_, true) => prefix.to_owned(),
        _ if name.starts_with('[') => format!("{prefix}{name}"),
        _ => format!("{prefix}/{name}"),
    }
}

fn single_all_of<'v>(value: &'v Value, ptr: &JsonPointer) -> Option<(&'v Value, JsonPointer)> {
    let all_of = value.get("allOf")?.as_array()?;
    let structural = ["type", "properties", "items", "enum", "oneOf", "anyOf"];
    if all_of.len() == 1 && !structural.iter().any(|k| value.get(*k).is_some()) {
        Some((&all_of[0], ptr.join("allOf").join(0)))
    } else {
        None
    }
}

fn type_of(value: &Value) -> Option<&str> {
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
fn type_changed(a: &Value, b: &Value) -> bool {
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

fn is_composition(value: &Value) -> bool {
    ["allOf", "oneOf", "anyOf", "$ref"]
        .iter()
        .any(|k| value.get(*k).is_some())
}

/// The Rust type the generator gives a scalar schema (typify's mapping).
fn rust_scalar(ty: Option<&str>, format: Option<&str>) -> String {
    match (ty, format) {
        (
            Some("integer"),
            Some(f @ ("int8" | "int16" | "int32" | "uint8" | "uint16" | "uint32" | "uint64")),
        ) => f.to_owned(),
        (Some("integer"), _) => "int64".to_owned(),
        (Some("number"), Some("float")) => "f32".to_owned(),
        (Some("number"), _) => "f64".to_owned(),
        (
            Some("string"),
            Some(f @ ("uuid" | "date-time" | "date" | "ip" | "ipv4" | "ipv6" | "uri")),
        ) => format!("string:{f}"),
        (Some("string"), _) => "String".to_owned(),
        (t, _) => t.unwrap_or_default().to_owned(),
    }
}

/// A type change that leaves the generated Rust type as it was (such as
/// `integer` gaining `format: int64`, both `i64`) is a patch for the crate.
fn rust_type_semver(
    ta: Option<&str>,
    fa: Option<&str>,
    tb: Option<&str>,
    fb: Option<&str>,
) -> Semver {
    if rust_scalar(ta, fa) == rust_scalar(tb, fb) {
        Semver::Patch
    } else {
        Semver::Major
    }
}

fn format_of(value: &Value) -> Option<&str> {
    value.get("format").and_then(Value::as_str)
}

fn describe_type(ty: Option<&str>, format: Option<&str>) -> String {
    match (ty, format) {
        (Some(t), Some(f)) => format!("`{t}` (`{f}`)"),
        (Some(t), None) => format!("`{t}`"),
        (None, Some(f)) => format!("untyped (`{f}`)"),
        (None, None) => "untyped".to_owned(),
    }
}

fn enum_delta(a: &Value, b: &Value) -> (Vec<String>, Vec<String>) {
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

/// Whether the schema becomes a Rust enum of strings: a string enum,
/// declared as such or only by its values.
fn is_string_enum(value: &Value) -> bool {
    match type_of(value) {
        Some(t) => t == "string",
        None => value
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_string)),
    }
}

fn enum_note(string_enum: bool) -> &'static str {
    if string_enum {
        " (a new variant of an open, non-exhaustive Rust enum)"
    } else {
        " (a new variant of an open, non-exhaustive Rust enum of codes)"
    }
}

fn required_set(value: &Value) -> BTreeSet<&str> {
    value
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

type Requirements = BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>>;

/// Security requirement alternatives keyed by their sorted scheme names.
fn requirements(value: Option<&Value>) -> Requirements {
    let mut out = Requirements::new();
    for requirement in value.and_then(Value::as_array).into_iter().flatten() {
        let Some(map) = requirement.as_object() else {
            continue;
        };
        let mut schemes: Vec<String> = map.keys().cloned().collect();
        schemes.sort();
        let scopes = map
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                )
            })
            .collect();
        out.insert(schemes, scopes);
    }
    out
}

/// The generated method's success and error types as progenitor derives
/// them: one key per distinct JSON schema (or body-less / raw response).
fn response_types(
    root: &Value,
    responses: &[(&String, &Value, JsonPointer)],
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut success = BTreeSet::new();
    let mut error = BTreeSet::new();
    for (status, response, _) in responses {
        let content = response.get("content").and_then(Value::as_object);
        let key = match content.and_then(|c| c.iter().find(|(mt, _)| is_json(mt))) {
            Some((_, media)) => match media.get("schema") {
                Some(schema) => schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| schema.to_string()),
                None => "json".to_owned(),
            },
            None if content.is_some_and(|c| !c.is_empty()) => "raw".to_owned(),
            None => "none".to_owned(),
        };
        let _ = root;
        if is_success(status) {
            success.insert(key.clone());
        }
        if status.as_str() == "default" || status.starts_with('4') || status.starts_with('5') {
            error.insert(key);
        }
    }
    (success, error)
}
