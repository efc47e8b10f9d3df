//! Operations whose documented responses have several types: a body on 200
//! and none on 204, different bodies on 200 and 202, an error body per
//! status, or a `default` next to 2XX codes.
//!
//! progenitor gives an operation one success type and one error type (it
//! asserts so), and counts `default` as both. For such an operation this
//! module plans a response enum per class (success, error) with a variant
//! per documented status, and shapes the document progenitor sees so that
//! it generates every body type without asserting:
//!
//! - the operation keeps one JSON response, its *anchor* (so progenitor
//!   still sends `Accept: application/json` and names that body's type);
//! - every other JSON body type gets a synthetic operation of its own,
//!   `<operationId>-<status>`, whose only response is that body. Its
//!   generated type (`<OperationId><Status>Response` when inline) is the
//!   variant's type; the emit stage (`emit::responses`) removes the
//!   synthetic operations' code and writes the enums and the dispatch.
//!
//! `default` is an error when the operation documents 2XX responses, and a
//! success otherwise. An operation with a status code that has no reason
//! phrase (`250`) gets this dispatch too, even with one type per class:
//! progenitor's mock generator cannot name a helper for that code; so does
//! one with a code beside its range (`403` and `4XX`), which progenitor's
//! match would never reach.

use serde_json::{json, Map, Value};

use crate::media;
use crate::walk;

/// What a response contributes to an operation's types.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ResponseKind {
    /// No body.
    None,
    /// A body that is not JSON (a byte stream).
    Raw,
    /// A protocol upgrade (101).
    Upgrade,
    /// JSON with a schema, identified by its `$ref`, or by its inline text
    /// with keys sorted (structurally identical inline schemas are one
    /// type, as typify generates them).
    Json(String),
}

impl ResponseKind {
    /// How an error message names it.
    pub fn describe(&self) -> String {
        match self {
            ResponseKind::None => "no body".to_owned(),
            ResponseKind::Raw => "non-JSON body".to_owned(),
            ResponseKind::Upgrade => "protocol upgrade".to_owned(),
            ResponseKind::Json(schema) if schema.starts_with("#/") => format!("`{schema}`"),
            ResponseKind::Json(_) => "inline schema".to_owned(),
        }
    }
}

/// The kind of a (dereferenced) response object, and its JSON media
/// type's schema when it has one. `None` when a JSON media type has no
/// schema (validation reports it).
pub(crate) fn kind_of<'a>(
    status: &str,
    response: &'a Value,
) -> Option<(ResponseKind, Option<&'a Value>)> {
    let content = response.get("content").and_then(Value::as_object);
    let json = content.and_then(|c| c.iter().find(|(mt, _)| media::progenitor_decodes_json(mt)));
    Some(match json {
        Some((_, media)) => match media.get("schema") {
            Some(schema) => {
                let key = match schema.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference.to_owned(),
                    None => sorted(schema).to_string(),
                };
                (ResponseKind::Json(key), Some(schema))
            }
            // No schema: any JSON value (the empty schema, see `media`).
            None => (ResponseKind::Json("{}".to_owned()), None),
        },
        None if status == "101" => (ResponseKind::Upgrade, None),
        None if content.is_some_and(|c| !c.is_empty()) => (ResponseKind::Raw, None),
        None => (ResponseKind::None, None),
    })
}

/// `value` with every object's keys sorted.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Whether a status key is a success (`Some(true)`), an error
/// (`Some(false)`), neither (1XX other than 101, 3XX: `None`), or
/// `default`, which `has_2xx` decides.
pub(crate) fn is_success(status: &str, has_2xx: bool) -> Option<bool> {
    match status {
        "default" => Some(!has_2xx),
        s if s.len() == 3 && s.ends_with("XX") => match s.as_bytes()[0] {
            b'2' => Some(true),
            b'4' | b'5' => Some(false),
            _ => None,
        },
        s => match s.parse::<u16>() {
            Ok(101 | 200..=299) => Some(true),
            Ok(400..=599) => Some(false),
            _ => None,
        },
    }
}

/// Whether a status key is a code without an HTTP reason phrase (e.g.
/// `250`, `299`): progenitor's mock generator names a helper after the
/// phrase and panics without one, so such operations get this module's
/// dispatch, and progenitor sees only statuses that have one.
pub(crate) fn lacks_reason(status: &str) -> bool {
    status.parse::<u16>().is_ok_and(|code| {
        http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .is_none()
    })
}

/// Whether a status key is a 2XX code or range.
pub(crate) fn is_2xx(status: &str) -> bool {
    status.starts_with('2') && status != "default"
}

/// One documented status of a planned operation.
#[derive(Debug, Clone)]
pub(crate) struct Status {
    /// The key as written: `200`, `4XX`, `default`.
    pub status: String,
    pub kind: ResponseKind,
}

/// The response enums of one operation.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// The success statuses, in document order.
    pub success: Vec<Status>,
    /// The error statuses, in document order.
    pub error: Vec<Status>,
    /// Whether the successes have more than one type (else progenitor's
    /// single success type stays).
    pub success_enum: bool,
    /// Whether the errors have more than one type.
    pub error_enum: bool,
    /// The status whose body progenitor types on the operation itself.
    pub anchor: Option<String>,
    /// The statuses whose body type comes from a synthetic operation, with
    /// that operation's id, in the order they are added to the document.
    pub synthetic: Vec<(String, String)>,
}

impl Plan {
    /// The status whose type stands for `kind`: the anchor or the
    /// synthetic operation's, for a JSON kind.
    pub fn source_of(&self, kind: &ResponseKind) -> Option<&str> {
        self.success
            .iter()
            .chain(&self.error)
            .find(|s| {
                s.kind == *kind
                    && (self.anchor.as_deref() == Some(s.status.as_str())
                        || self.synthetic.iter().any(|(st, _)| *st == s.status))
            })
            .map(|s| s.status.as_str())
    }
}

/// Plans the response enums of an operation from its (dereferenced)
/// responses, or `None` when progenitor's one success and one error type
/// fit: at most one type per class and no `default` beside 2XX codes.
pub(crate) fn plan(operation_id: &str, responses: &[(String, ResponseKind)]) -> Option<Plan> {
    let has_2xx = responses.iter().any(|(s, _)| is_2xx(s));
    let has_default = responses.iter().any(|(s, _)| s == "default");
    let (mut success, mut error) = (Vec::new(), Vec::new());
    for (status, kind) in responses {
        let entry = Status {
            status: status.clone(),
            kind: kind.clone(),
        };
        match is_success(status, has_2xx) {
            Some(true) => success.push(entry),
            Some(false) => error.push(entry),
            None => {}
        }
    }
    let kinds = |list: &[Status]| {
        let mut kinds: Vec<&ResponseKind> = list.iter().map(|s| &s.kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds.len()
    };
    let (success_enum, error_enum) = (kinds(&success) > 1, kinds(&error) > 1);
    let odd_code = responses.iter().any(|(s, _)| lacks_reason(s));
    // progenitor orders a range like `4XX` as its first code, so a code
    // after it in the same class (`403` beside `4XX`) becomes an
    // unreachable match arm; this dispatch puts codes before ranges.
    let code_beside_range = responses.iter().any(|(range, _)| {
        range.ends_with("XX")
            && responses.iter().any(|(code, _)| {
                code.parse::<u16>().is_ok()
                    && code.as_bytes()[0] == range.as_bytes()[0]
                    && code.get(1..) != Some("00")
            })
    });
    if !(success_enum || error_enum || (has_default && has_2xx) || odd_code || code_beside_range) {
        return None;
    }
    let is_json = |s: &&Status| matches!(s.kind, ResponseKind::Json(_));
    let anchor = success
        .iter()
        .find(is_json)
        .or_else(|| error.iter().find(is_json))
        .map(|s| s.status.clone());
    let anchor_kind = anchor.as_ref().and_then(|a| {
        success
            .iter()
            .chain(&error)
            .find(|s| s.status == *a)
            .map(|s| s.kind.clone())
    });
    let mut synthetic: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<ResponseKind> = anchor_kind.into_iter().collect();
    for status in success.iter().chain(&error).filter(is_json) {
        if !seen.contains(&status.kind) {
            seen.push(status.kind.clone());
            synthetic.push((
                status.status.clone(),
                format!("{operation_id}-{}", status.status),
            ));
        }
    }
    Some(Plan {
        success,
        error,
        success_enum,
        error_enum,
        anchor,
        synthetic,
    })
}

/// Makes every synthetic operation id distinct, as progenitor names
/// things, from every real one and every other synthetic one: progenitor
/// turns `DataStores_Get-default` into the builder `DataStoresGetDefault`,
/// which a real `DataStores_GetDefault` also gets, and the synthetic one's
/// code (removed again after typing) would take the real one's with it. A
/// colliding id gets a number.
pub(crate) fn unique_synthetic_ids(
    mut operations: Vec<crate::model::Operation>,
) -> Vec<crate::model::Operation> {
    let mut taken: std::collections::HashSet<String> = operations
        .iter()
        .map(|op| crate::names::key(&op.id.0))
        .collect();
    for op in &mut operations {
        let Some(plan) = &mut op.plan else { continue };
        for (_, id) in &mut plan.synthetic {
            let base = id.clone();
            let mut n = 2;
            while !taken.insert(crate::names::key(id)) {
                *id = format!("{base}-{n}");
                n += 1;
            }
        }
    }
    operations
}

/// The path of a synthetic operation: under a prefix no real spec uses.
fn synthetic_path(synthetic_id: &str) -> String {
    format!("/__codegen_response_type/{synthetic_id}")
}

/// Shapes `document` for progenitor: each planned operation keeps only its
/// anchor response (and, when the anchor is an error, its first no-body
/// success, so that progenitor's `Accept` rule holds), and the synthetic
/// operations are appended at the end of `paths`, in plan order.
/// `plans` holds each planned operation's JSON pointer and plan, in
/// document order.
pub(crate) fn shape_document(plans: &[(String, &Plan)], document: &mut Value) {
    let mut synthetic_paths: Vec<(String, Value)> = Vec::new();
    for (op_ptr, plan) in plans {
        let Some(responses) = document
            .pointer(&format!("{op_ptr}/responses"))
            .and_then(Value::as_object)
            .cloned()
        else {
            continue;
        };
        let resolved = |status: &str| -> Option<Value> {
            let response = responses.get(status)?;
            walk::deref(document, response, crate::error::JsonPointer::root())
                .map(|(r, _)| r.clone())
        };
        // progenitor counts `default` as success and error, so the kept
        // responses never use it: the dispatch is the emit stage's anyway.
        let mut kept = Map::new();
        let anchor_is_error = plan
            .anchor
            .as_ref()
            .is_some_and(|a| plan.error.iter().any(|s| s.status == *a));
        if plan.anchor.is_none() || anchor_is_error {
            kept.insert("200".to_owned(), json!({ "description": "(no body)" }));
        }
        if let Some(anchor) = &plan.anchor {
            let key = match (anchor.as_str(), anchor_is_error) {
                ("default", true) => "5XX".to_owned(),
                ("default", false) => "200".to_owned(),
                (other, true) if lacks_reason(other) => format!("{}XX", &other[..1]),
                (other, false) if lacks_reason(other) => "200".to_owned(),
                (other, _) => other.to_owned(),
            };
            if let Some(response) = resolved(anchor) {
                kept.insert(key, response);
            }
        }
        for (status, synthetic_id) in &plan.synthetic {
            let Some(response) = resolved(status) else {
                continue;
            };
            let schema = response
                .get("content")
                .and_then(Value::as_object)
                .and_then(|c| c.iter().find(|(mt, _)| media::progenitor_decodes_json(mt)))
                .and_then(|(_, m)| m.get("schema"))
                .cloned()
                .unwrap_or(Value::Bool(true));
            synthetic_paths.push((
                synthetic_path(synthetic_id),
                json!({ "get": {
                    "operationId": synthetic_id,
                    "responses": { "200": {
                        "description": "(response type)",
                        "content": { "application/json": { "schema": schema } }
                    } }
                } }),
            ));
        }
        if let Some(Value::Object(operation)) = document.pointer_mut(op_ptr) {
            operation.insert("responses".to_owned(), Value::Object(kept));
        }
    }
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for (path, item) in synthetic_paths {
            paths.insert(path, item);
        }
    }
}
