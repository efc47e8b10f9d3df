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
