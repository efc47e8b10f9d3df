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

/// How the client sends a request body of one media type, where progenitor
/// would not send it as documented. progenitor sends five media types
/// ([`SENDABLE`]), and a byte stream or text only with the plain string
/// schema; the other kinds are shown to it as one of those, and the emit
/// pass `request_bodies` puts the documented `Content-Type` back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sent {
    /// progenitor sends it as documented.
    AsDocumented,
    /// JSON under another name (`application/merge-patch+json`): typed
    /// as the schema says, serialised as JSON, sent with `content_type`.
    Json { content_type: String },
    /// Text the caller gives as a `String` (XML, a JSON Web Token, text
    /// whose schema is more than a plain string), sent with `content_type`.
    Text { content_type: String },
    /// Bytes the caller gives (any other media type, or a byte stream
    /// whose schema is more than a binary string), sent with
    /// `content_type`.
    Bytes { content_type: String },
    /// `multipart/form-data`, built by the caller as a
    /// `reqwest::multipart::Form`, which sets the boundary.
    Multipart,
}

impl Sent {
    /// The media type progenitor is shown, and the schema it is given in
    /// place of the documented one (`None`: the documented one is kept).
    fn shown_as(&self) -> Option<(&'static str, Option<serde_json::Value>)> {
        match self {
            Sent::AsDocumented => None,
            Sent::Json { .. } => Some(("application/json", None)),
            Sent::Text { .. } => {
                Some(("text/plain", Some(serde_json::json!({ "type": "string" }))))
            }
            Sent::Bytes { .. } | Sent::Multipart => Some((
                "application/octet-stream",
                Some(serde_json::json!({ "type": "string", "format": "binary" })),
            )),
        }
    }
}

/// Media types whose content is text, beyond `text/*`: the client takes
/// them as a `String`.
const TEXTUAL: [&str; 6] = [
    "application/xml",
    "application/jwt",
    "application/javascript",
    "application/yaml",
    "application/x-yaml",
    "application/graphql",
];

/// How a request body of `media_type`, described by the media type object
/// `media` (whose schema may be a `$ref` into `document`), is sent; or why
/// it cannot be.
pub(crate) fn request_sent(
    document: &serde_json::Value,
    media_type: &str,
    media: &serde_json::Value,
) -> Result<Sent, String> {
    let essence = essence(media_type);
    let schema = media.get("schema").map(|schema| {
        crate::walk::deref(document, schema, crate::error::JsonPointer::root())
            .map_or(schema, |(schema, _)| schema)
    });
    let plain = |format: Option<&str>| schema.is_none_or(|schema| is_plain_string(schema, format));
    // A wildcard names no type to send; the most general one of its kind is
    // sent, and the caller may set another (`Content-Type` as an extra
    // header replaces the operation's).
    let concrete = |general: &str| {
        if essence.contains('*') {
            general.to_owned()
        } else {
            media_type.to_owned()
        }
    };
    Ok(match essence.as_str() {
        "application/json" | "application/x-www-form-urlencoded" => Sent::AsDocumented,
        "application/octet-stream" if plain(Some("binary")) => Sent::AsDocumented,
        "text/plain" | "text/x-markdown" if plain(None) => Sent::AsDocumented,
        "multipart/form-data" => Sent::Multipart,
        _ if essence.starts_with("multipart/") => {
            return Err(format!(
                "`{media_type}` is not supported (of the multipart types, the client sends `multipart/form-data`)"
            ))
        }
        _ if is_json(media_type) => Sent::Json {
            content_type: media_type.to_owned(),
        },
        _ if essence.starts_with("text/")
            || essence.ends_with("+xml")
            || TEXTUAL.contains(&essence.as_str()) =>
        {
            Sent::Text {
                content_type: concrete("text/plain"),
            }
        }
        _ => Sent::Bytes {
            content_type: concrete("application/octet-stream"),
        },
    })
}

/// The `Content-Type` of `sent` when it cannot be a header value (the
/// generated code writes it with `HeaderValue::from_static`, which accepts
/// visible ASCII and spaces only).
pub(crate) fn unsendable_content_type(sent: &Sent) -> Option<&str> {
    match sent {
        Sent::Json { content_type }
        | Sent::Text { content_type }
        | Sent::Bytes { content_type }
            if !content_type
                .bytes()
                .all(|b| b == b'\t' || (32..127).contains(&b)) =>
        {
            Some(content_type)
        }
        _ => None,
    }
}

/// Whether `schema` is exactly what progenitor sends a text (`format:
/// None`) or byte-stream (`Some("binary")`) body with: a string of that
/// format, not nullable, without a default, pattern, length bounds or enum.
fn is_plain_string(schema: &serde_json::Value, format: Option<&str>) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    object.get("type").and_then(serde_json::Value::as_str) == Some("string")
        && object.get("format").and_then(serde_json::Value::as_str) == format
        && [
            "nullable",
            "default",
            "pattern",
            "minLength",
            "maxLength",
            "enum",
            "discriminator",
        ]
        .iter()
        .all(|key| match object.get(*key) {
            None => true,
            Some(serde_json::Value::Bool(false)) => *key == "nullable",
            Some(_) => false,
        })
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

/// How `document` is shaped for progenitor, which stops with `todo!` or an
/// error on what it does not send or decode itself: each request body as
/// [`shaped_request_body`] says, and a response media type without a
/// schema gets the one it implies ([`implied_schema`]: any JSON value for
/// JSON). Shared `$ref`'d bodies and responses are edited in a copy at the
/// operation, so other operations keep theirs. Returns the edits, as `(JSON
/// pointer, new value)`, for [`apply`]; none when the document needs no
/// shaping, so it need not be copied.
pub(crate) fn shape_edits(document: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    let mut edits: Vec<(String, serde_json::Value)> = Vec::new();
    for op in crate::walk::operations(document) {
        if let Some(body) = op
            .request_body(document)
            .and_then(|(body, _)| shaped_request_body(document, body))
        {
            edits.push((op.ptr.join("requestBody").as_str().to_owned(), body));
        }
        for (status, response, _) in crate::walk::entries(document, op.value, "responses", &op.ptr)
        {
            if !response_needs_shaping(response) {
                continue;
            }
            let mut response = response.clone();
            if shape_response(&mut response) {
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

/// The request body object `body` as progenitor is shown it, or `None`
/// when it is shown as it is: only the media type the client sends
/// ([`chosen_request_media`]), with the schema it implies when it has none
/// ([`implied_schema`]), shown as what progenitor sends when progenitor
/// would not send it as documented ([`request_sent`]), and without an
/// `encoding` map unless it is form data (OpenAPI applies `encoding` to
/// form and multipart bodies only; a multipart body's parts are the
/// caller's).
fn shaped_request_body(
    document: &serde_json::Value,
    body: &serde_json::Value,
) -> Option<serde_json::Value> {
    use serde_json::Value;
    let content = body.get("content")?.as_object()?;
    let types: Vec<&str> = content.keys().map(String::as_str).collect();
    let chosen = chosen_request_media(&types)?;
    let media = content.get(chosen)?;
    let sent = request_sent(document, chosen, media).ok()?;
    let implied = media
        .get("schema")
        .is_none()
        .then(|| implied_schema(chosen, true))
        .flatten();
    let form = is_form(chosen);
    let drop_encoding = !form && media.get("encoding").is_some();
    if content.len() == 1 && sent == Sent::AsDocumented && implied.is_none() && !drop_encoding {
        return None;
    }
    let mut media = media.clone();
    if let Value::Object(media) = &mut media {
        if let Some(schema) = implied {
            media.insert("schema".to_owned(), schema);
        }
        if drop_encoding {
            media.remove("encoding");
        }
    }
    let mut shown = chosen.to_owned();
    if let Some((name, schema)) = sent.shown_as() {
        shown = name.to_owned();
        if let (Value::Object(media), Some(schema)) = (&mut media, schema) {
            media.insert("schema".to_owned(), schema);
        }
    }
    let mut body = body.clone();
    let mut only = serde_json::Map::new();
    only.insert(shown, media);
    body["content"] = Value::Object(only);
    Some(body)
}

/// Whether [`shape_response`] would change `response`, read without
/// copying.
fn response_needs_shaping(response: &serde_json::Value) -> bool {
    let Some(content) = response
        .get("content")
        .and_then(serde_json::Value::as_object)
    else {
        return false;
    };
    content.iter().any(|(media_type, media)| {
        (media.get("schema").is_none() && implied_schema(media_type, false).is_some())
            || (progenitor_decodes_json(media_type) && media.get("encoding").is_some())
    })
}

/// Gives each media type of a response object without a schema the one it
/// implies ([`implied_schema`]), and drops a JSON media type's `encoding`;
/// returns whether it changed.
fn shape_response(response: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    let Some(Value::Object(content)) = response.get_mut("content") else {
        return false;
    };
    let mut changed = false;
    for (media_type, media) in content.iter_mut() {
        let Value::Object(media) = media else {
            continue;
        };
        // progenitor asserts that a JSON response has no `encoding` map,
        // which OpenAPI applies to form and multipart bodies only.
        if progenitor_decodes_json(media_type) && media.remove("encoding").is_some() {
            changed = true;
        }
        if media.contains_key("schema") {
            continue;
        }
        if let Some(schema) = implied_schema(media_type, false) {
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

/// Whether the media type is form data (`application/x-www-form-urlencoded`,
/// with or without parameters), the one request body besides JSON that
/// progenitor types.
pub(crate) fn is_form(media_type: &str) -> bool {
    essence(media_type) == "application/x-www-form-urlencoded"
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
    fn request_bodies_are_sent_as_their_media_type_says() {
        use serde_json::json;
        let document = json!({"components": {"schemas": {
            "Card": {"type": "object"},
            "Blob": {"type": "string", "format": "binary"},
        }}});
        let sent = |media_type: &str, media: serde_json::Value| {
            request_sent(&document, media_type, &media)
        };
        let card = json!({"schema": {"$ref": "#/components/schemas/Card"}});
        let blob = json!({"schema": {"$ref": "#/components/schemas/Blob"}});
        assert_eq!(
            sent("application/json", card.clone()),
            Ok(Sent::AsDocumented)
        );
        assert_eq!(
            sent("application/octet-stream", blob),
            Ok(Sent::AsDocumented)
        );
        assert_eq!(sent("text/plain", json!({})), Ok(Sent::AsDocumented));
        assert_eq!(
            sent("application/octet-stream", card.clone()),
            Ok(Sent::Bytes {
                content_type: "application/octet-stream".into()
            })
        );
        assert_eq!(
            sent(
                "text/plain",
                json!({"schema": {"type": "string", "enum": ["a"]}})
            ),
            Ok(Sent::Text {
                content_type: "text/plain".into()
            })
        );
        assert_eq!(
            sent("application/merge-patch+json", card.clone()),
            Ok(Sent::Json {
                content_type: "application/merge-patch+json".into()
            })
        );
        for textual in [
            "text/xml",
            "application/xml",
            "application/atom+xml",
            "application/jwt",
        ] {
            assert_eq!(
                sent(textual, card.clone()),
                Ok(Sent::Text {
                    content_type: textual.into()
                }),
                "{textual}"
            );
        }
        assert_eq!(
            sent("text/*", json!({})),
            Ok(Sent::Text {
                content_type: "text/plain".into()
            })
        );
        assert_eq!(
            sent("image/png", json!({})),
            Ok(Sent::Bytes {
                content_type: "image/png".into()
            })
        );
        assert_eq!(
            sent("*/*", json!({})),
            Ok(Sent::Bytes {
                content_type: "application/octet-stream".into()
            })
        );
        assert_eq!(
            sent("Multipart/Form-Data", card.clone()),
            Ok(Sent::Multipart)
        );
        assert!(sent("multipart/related", card)
            .unwrap_err()
            .contains("multipart/related"));
    }

    #[test]
    fn progenitor_decodes_only_application_json() {
        assert!(progenitor_decodes_json("application/json"));
        assert!(progenitor_decodes_json("application/json;charset=utf-8"));
        assert!(!progenitor_decodes_json("application/problem+json"));
        assert!(!progenitor_decodes_json("text/json"));
    }
}
