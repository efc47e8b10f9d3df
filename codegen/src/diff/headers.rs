//! Response headers: added, removed, made optional or nullable, and their
//! types (header values are text on the wire, so a type change toward
//! `string` is only a generalization).

use serde_json::Value;

use super::engine::{is_true, Differ};
use super::rules::{self, Rule};
use super::schemas::{classify_type, describe_type, format_of, type_changed, type_of, TypeChange};
use super::{Direction, OperationRef, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;
use crate::walk::{deref, entries};

impl<'a> Differ<'a> {
    /// Compares the headers of one response present in both documents.
    pub(super) fn response_headers(
        &mut self,
        status: &str,
        (ra, ra_ptr): (&'a Value, &JsonPointer),
        (rb, rb_ptr): (&'a Value, &JsonPointer),
        r: &OperationRef,
    ) {
        let dir = Direction::Response;
        // Header names are case-insensitive.
        let lower = |list: Vec<(&'a String, &'a Value, JsonPointer)>| -> Vec<(String, &'a Value, JsonPointer)> {
            list.into_iter().map(|(n, v, p)| (n.to_ascii_lowercase(), v, p)).collect()
        };
        let ha = lower(entries(self.base, ra, "headers", ra_ptr));
        let hb = lower(entries(self.rev, rb, "headers", rb_ptr));
        for (name, header, ptr) in &ha {
            if hb.iter().any(|(n, ..)| n == name) {
                continue;
            }
            let rule = if is_true(header, "required") {
                &rules::REQUIRED_RESPONSE_HEADER_REMOVED
            } else {
                &rules::OPTIONAL_RESPONSE_HEADER_REMOVED
            };
            self.emit(
                rule,
                Some(r),
                dir,
                ptr,
                Side::Base,
                Semver::Patch,
                format!("response `{status}` no longer has the header `{name}`"),
            );
        }
        for (name, _, ptr) in &hb {
            if !ha.iter().any(|(n, ..)| n == name) {
                self.emit(
                    &rules::RESPONSE_HEADER_ADDED,
                    Some(r),
                    dir,
                    ptr,
                    Side::Revision,
                    Semver::Patch,
                    format!("response `{status}` has the new header `{name}`"),
                );
            }
        }
        for (name, a, _) in &ha {
            let Some((_, b, b_ptr)) = hb.iter().find(|(n, ..)| n == name) else {
                continue;
            };
            if is_true(a, "required") && !is_true(b, "required") {
                self.emit(
                    &rules::RESPONSE_HEADER_BECAME_OPTIONAL,
                    Some(r),
                    dir,
                    &b_ptr.join("required"),
                    Side::Revision,
                    Semver::Patch,
                    format!("response `{status}` header `{name}` may now be absent"),
                );
            }
            let schema = |root: &'a Value, h: &'a Value, p: JsonPointer| {
                h.get("schema")
                    .and_then(|s| deref(root, s, p.join("schema")))
            };
            let (Some((sa, _)), Some((sb, sb_ptr))) = (
                schema(self.base, a, JsonPointer::root()),
                schema(self.rev, b, b_ptr.clone()),
            ) else {
                continue;
            };
            match (is_true(sa, "nullable"), is_true(sb, "nullable")) {
                (false, true) => self.emit(
                    &rules::RESPONSE_HEADER_BECAME_NULLABLE,
                    Some(r),
                    dir,
                    &sb_ptr,
                    Side::Revision,
                    Semver::Patch,
                    format!("response `{status}` header `{name}` may now be null"),
                ),
                (true, false) => self.emit(
                    &rules::RESPONSE_HEADER_BECAME_NOT_NULLABLE,
                    Some(r),
                    dir,
                    &sb_ptr,
                    Side::Revision,
                    Semver::Patch,
                    format!("response `{status}` header `{name}` is no longer null"),
                ),
                _ => {}
            }
            if type_changed(sa, sb) {
                let rule: &'static Rule = match classify_type(dir, false, sa, sb) {
                    TypeChange::Changed => &rules::RESPONSE_HEADER_TYPE_CHANGED,
                    TypeChange::Generalized => &rules::RESPONSE_HEADER_TYPE_GENERALIZED,
                    TypeChange::Specialized => &rules::RESPONSE_HEADER_TYPE_SPECIALIZED,
                    TypeChange::Compatible => &rules::RESPONSE_HEADER_TYPE_COMPATIBLE,
                };
                let message = format!(
                    "response `{status}` header `{name}` changed type from {} to {}",
                    describe_type(type_of(sa), format_of(sa)),
                    describe_type(type_of(sb), format_of(sb))
                );
                self.emit(
                    rule,
                    Some(r),
                    dir,
                    &sb_ptr,
                    Side::Revision,
                    Semver::Patch,
                    message,
                );
            }
        }
    }
}
