//! The differ's state and entry point. Each area of the spec is compared in
//! its own module ([`super::operations`], [`super::parameters`],
//! [`super::bodies`], [`super::schemas`], [`super::properties`],
//! [`super::security`], [`super::servers`]), all as methods of [`Differ`],
//! which collects the changes.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

use super::rules::Rule;
use super::schemas::{MemoKey, Rel, Typing};
use super::{Change, DiffOptions, Direction, OperationRef, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;

/// The two documents being compared and the changes found so far.
pub(super) struct Differ<'a> {
    pub(super) base: &'a Value,
    pub(super) rev: &'a Value,
    pub(super) options: &'a DiffOptions,
    pub(super) out: Vec<Change>,
    /// Changes inside pairs of `$ref`'d schemas, already compared.
    pub(super) memo: HashMap<MemoKey, Rc<Vec<Rel>>>,
    /// The schema pairs being compared, innermost last, each with whether a
    /// recursion cut inside it left its result partial.
    pub(super) stack: Vec<(MemoKey, bool)>,
    /// How the values being compared are typed on the wire, which decides
    /// whether a type change to `string` can break a caller.
    pub(super) typing: Typing,
    /// The minimum number of days between deprecation and sunset for the
    /// operation being compared (see [`super::lifecycle::min_sunset_days`]).
    pub(super) min_days: u32,
}

/// Compares the documents, unsorted and with duplicates (see [`super::diff`]).
pub(super) fn diff(base: &Value, rev: &Value, options: &DiffOptions) -> Vec<Change> {
    let mut differ = Differ {
        base,
        rev,
        options,
        out: Vec::new(),
        memo: HashMap::new(),
        stack: Vec::new(),
        typing: Typing::Strong,
        min_days: 0,
    };
    differ.operations();
    differ.global_security();
    differ.security_schemes();
    differ.component_schemas();
    differ.servers();
    differ.out
}

/// Whether `value` has `key` set to `true`.
pub(super) fn is_true(value: &Value, key: &str) -> bool {
    value.get(key) == Some(&Value::Bool(true))
}

impl Differ<'_> {
    /// Records one change.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn emit(
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
            id: String::new(),
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
            accepted: None,
        });
    }
}
