//! Media types: the one place that says which ones carry JSON.
//!
//! Two questions have two answers, each defined once:
//! - [`is_json`]: does the content use JSON syntax (`application/json`, any
//!   `+json` suffix, with or without parameters)? Samples of such media types
//!   are validated against their schemas.
//! - [`progenitor_decodes_json`]: does progenitor generate a typed JSON
//!   decode for it? progenitor accepts exactly `application/json`, optionally
//!   followed by `;` and parameters (progenitor-impl `method.rs`); anything
//!   else becomes a raw byte stream.

/// The request media types progenitor can send, the one chosen first
/// when a body offers several (progenitor-impl `BodyContentType`).
const SENDABLE: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

/// Whether progenitor can send a request body of this media type.
pub(crate) fn progenitor_sends(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default();
    SENDABLE.contains(&essence)
}

/// The media type the client sends for a request body that offers
/// `media_types`: JSON when offered, else the first other kind progenitor
/// can send, else the first listed. A body that accepts several media
/// types accepts each of them, so sending one is faithful to the spec.
pub(crate) fn chosen_request_media<'a>(media_types: &[&'a str]) -> Option<&'a str> {
    SENDABLE
        .iter()
        .find_map(|want| {
            media_types
                .iter()
                .find(|m| m.split(';').next() == Some(*want))
                .copied()
        })
        .or_else(|| media_types.first().copied())
}

/// How `document` is shaped for progenitor (which stops with `todo!` on both): a
/// request body offering several media types keeps only the one the
/// client sends ([`chosen_request_media`]), and a JSON media type without a
/// schema gets the empty schema, which accepts any JSON value (what no
/// schema means), and a byte-stream or text request body without one gets
/// the binary or plain string schema progenitor sends those with. Shared `$ref`'d bodies and responses are edited in a copy
/// at the operation, so other operations keep theirs. Returns the edits,
/// as `(JSON pointer, new value)`, for [`apply`]; none when the document
/// needs no shaping, so it need not be copied.
pub(crate) fn shape_edits(document: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    let mut edits: Vec<(String, serde_json::Value)> = Vec::new();
    for op in crate::walk::operations(document) {
        if let Some((body, _)) = op
            .request_body(document)
            .filter(|(body, _)| needs_shaping(body, true))
        {
            let mut body = body.clone();
            if shape_content(&mut body, true) {
                edits.push((op.ptr.join("requestBody").as_str().to_owned(), body));
            }
        }
        for (status, response, _) in crate::walk::entries(document, op.value, "responses", &op.ptr)
        {
            if !needs_shaping(response, false) {
                continue;
            }
            let mut response = response.clone();
            if shape_content(&mut response, false) {
                let ptr = op.ptr.join("responses").join(status);
                edits.push((ptr.as_str().to_owned(), response));
            }
        }
    }
    edits
}

/// Applies [`shape_edits`] to the document they were computed on.
pub(crate) fn apply(document: &mut serde_json::Value, edits: Vec<(String, serde_json::Value)>) {
    for (ptr, value) in edits {
        if let Some(slot) = document.pointer_mut(&ptr) {
            *slot = value;
        }
    }
}

/// Whether [`shape_content`] would change `holder`, read without copying.
fn needs_shaping(holder: &serde_json::Value, request: bool) -> bool {
    let Some(content) = holder.get("content").and_then(serde_json::Value::as_object) else {
        return false;
    };
    (request && content.len() > 1)
        || content.iter().any(|(media_type, media)| {
            media.get("schema").is_none() && implied_schema(media_type, request).is_some()
        })
}

/// Applies [`shape_edits`]'s rules to one body or response object;
/// returns whether it changed.
fn shape_content(holder: &mut serde_json::Value, request: bool) -> bool {
    use serde_json::Value;
    let Some(Value::Object(content)) = holder.get_mut("content") else {
        return false;
    };
    let mut changed = false;
    if request && content.len() > 1 {
        let types: Vec<&str> = content.keys().map(String::as_str).collect();
        if let Some(chosen) = chosen_request_media(&types).map(str::to_owned) {
            content.retain(|media_type, _| *media_type == chosen);
            changed = true;
        }
    }
    for (media_type, media) in content.iter_mut() {
        let Value::Object(media) = media else {
            continue;
        };
        if media.contains_key("schema") {
            continue;
        }
        if let Some(schema) = implied_schema(media_type, request) {
            media.insert("schema".to_owned(), schema);
            changed = true;
        }
    }
    changed
}

/// The schema a media type without one implies, where it implies one: any
/// JSON value for JSON, and for a request body the only schemas progenitor
/// sends a byte stream or text with.
pub(crate) fn implied_schema(media_type: &str, request: bool) -> Option<serde_json::Value> {
    let essence = media_type.split(';').next().unwrap_or_default();
    let json = if request {
        essence == "application/json"
    } else {
        progenitor_decodes_json(media_type)
    };
    match essence {
        _ if json => Some(serde_json::json!({})),
        "application/octet-stream" if request => {
            Some(serde_json::json!({ "type": "string", "format": "binary" }))
        }
        "text/plain" | "text/x-markdown" if request => {
            Some(serde_json::json!({ "type": "string" }))
        }
        _ => None,
    }
}

/// The media type without parameters, trimmed and lowercase.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type carries JSON syntax.
pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether progenitor decodes a response of this media type as typed JSON.
pub fn progenitor_decodes_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_syntax_includes_suffixes_and_parameters() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/jsonl"));
    }

    #[test]
    fn progenitor_decodes_only_application_json() {
        assert!(progenitor_decodes_json("application/json"));
        assert!(progenitor_decodes_json("application/json;charset=utf-8"));
        assert!(!progenitor_decodes_json("application/problem+json"));
        assert!(!progenitor_decodes_json("text/json"));
    }
}
