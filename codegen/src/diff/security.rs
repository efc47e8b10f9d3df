//! Security: requirements of the document and of each operation, with
//! their scopes, and the security schemes under `components`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::engine::Differ;
use super::rules;
use super::{Direction, OperationRef, Side};
use crate::error::JsonPointer;
use crate::semver::Semver;
use crate::walk::{entries, Operation};

impl<'a> Differ<'a> {
    /// Compares the security requirements an operation present in both
    /// documents has, its own or the document's.
    pub(super) fn operation_security(
        &mut self,
        a: &Operation<'a>,
        b: &Operation<'a>,
        r: &OperationRef,
    ) {
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

    /// Compares the document's security requirements.
    pub(super) fn global_security(&mut self) {
        let ptr = JsonPointer::root().join("security");
        self.security(
            self.base.get("security"),
            self.rev.get("security"),
            (&ptr, &ptr),
            None,
            true,
        );
    }

    /// Compares two lists of security requirement alternatives.
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

    /// Compares the security schemes under `components`.
    pub(super) fn security_schemes(&mut self) {
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
                if xa.get("authorizationUrl") != xb.get("authorizationUrl") {
                    self.emit(
                        &rules::API_SECURITY_COMPONENT_OAUTH_URL_CHANGED,
                        None,
                        Direction::None,
                        &flow_ptr.join("authorizationUrl"),
                        Side::Revision,
                        Semver::Patch,
                        format!("security scheme `{name}` ({flow}) authorization URL changed"),
                    );
                }
                let descriptions =
                    |x: &'_ Value| x.get("scopes").and_then(Value::as_object).cloned();
                if let (Some(da), Some(db)) = (descriptions(xa), descriptions(xb)) {
                    for (scope, text) in &da {
                        if db.get(scope).is_some_and(|other| other != text) {
                            self.emit(
                                &rules::API_SECURITY_COMPONENT_OAUTH_SCOPE_CHANGED,
                                None,
                                Direction::None,
                                &flow_ptr.join("scopes").join(scope),
                                Side::Revision,
                                Semver::Patch,
                                format!("security scheme `{name}` scope `{scope}` has a new description"),
                            );
                        }
                    }
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
}

/// Security requirement alternatives: the sorted scheme names of each,
/// with the scopes each scheme needs.
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
