//! Operations: matched by method and path shape, then added, removed,
//! deprecated or renamed; a matched pair is compared area by area.

use std::collections::{BTreeMap, BTreeSet};

use super::engine::{is_true, Differ};
use super::rules;
use super::{Direction, OperationRef, Side};
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

    /// Compares one operation present in both documents.
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
}
