//! `x-rust-name` and `x-security-schemes` on the entries of `servers`: the
//! name of each server's constant in the generated `servers` module, and
//! the security schemes whose tokens the server takes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Diagnostic, JsonPointer};
use crate::load::Spec;

/// What the extensions say about one server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ServerExtensions {
    /// The name of the server's constant (`servers::GCP_JAPAN`); `None`
    /// for a URL with `{variables}`, which is not a usable base URL.
    pub constant: Option<String>,
    /// `x-security-schemes`: the declared schemes whose tokens this server
    /// takes, in document order; empty when the spec pairs none.
    pub schemes: Vec<String>,
}

/// The name of the constant `server` becomes: its `x-rust-name` when that
/// is a string, else the SCREAMING_SNAKE_CASE of the URL without its
/// scheme (`https://api.example.com/v1` → `API_EXAMPLE_COM_V1`); `None` for
/// a URL with server variables. The one definition, read by validation and
/// by the differ's crate verdicts.
pub(crate) fn server_constant(server: &Value) -> Option<String> {
    let url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if url.contains('{') {
        return None;
    }
    if let Some(name) = server.get("x-rust-name").and_then(Value::as_str) {
        return Some(name.to_owned());
    }
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    Some(crate::names::screaming_snake(rest, "SERVER"))
}

/// The constant of each of `servers`, in order ([`server_constant`]), made
/// distinct: a name derived from a URL that an earlier server or any
/// `x-rust-name` already has (`http://` and `https://` of one host, a URL
/// listed twice) takes its scheme (`HTTP_API_EXAMPLE_COM`), else a number
/// (`API_EXAMPLE_COM_2`). Two `x-rust-name`s that are the same stay the
/// same; validation refuses them.
pub(crate) fn server_constants(servers: &[Value]) -> Vec<Option<String>> {
    let explicit: BTreeSet<&str> = servers
        .iter()
        .filter(|s| server_constant(s).is_some())
        .filter_map(|s| s.get("x-rust-name").and_then(Value::as_str))
        .collect();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    servers
        .iter()
        .map(|server| {
            let base = server_constant(server)?;
            if server.get("x-rust-name").is_some() {
                taken.insert(base.clone());
                return Some(base);
            }
            let free = |name: &String, taken: &BTreeSet<String>| {
                !taken.contains(name) && !explicit.contains(name.as_str())
            };
            let url = server
                .get("url")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let with_scheme = crate::names::screaming_snake(url, "SERVER");
            let name = [base.clone(), with_scheme]
                .into_iter()
                .chain((2..).map(|n| format!("{base}_{n}")))
                .find(|name| free(name, &taken))?;
            taken.insert(name.clone());
            Some(name)
        })
        .collect()
}

/// Whether `name` is SCREAMING_SNAKE_CASE: uppercase ASCII letters and
/// digits in words joined by single `_`, starting with a letter.
fn is_screaming_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.split('_').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// Checks and reads the extensions of every server, in document order; a
/// misused extension is reported and read as absent. Two servers that
/// would become the same constant are reported at the later one.
pub(crate) fn check(spec: &Spec, out: &mut Vec<Diagnostic>) -> Vec<ServerExtensions> {
    let root = &spec.value;
    let servers_ptr = JsonPointer::root().join("servers");
    let declared = root
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let mut taken: BTreeMap<String, JsonPointer> = BTreeMap::new();
    // By URL without a trailing `/`: the first server with it and its schemes.
    let mut paired: BTreeMap<String, (JsonPointer, Vec<String>)> = BTreeMap::new();
    let mut read = Vec::new();
    let list = root.get("servers").and_then(Value::as_array);
    let constants = server_constants(list.map_or(&[][..], Vec::as_slice));
    for ((i, server), constant) in list.into_iter().flatten().enumerate().zip(constants) {
        let ptr = servers_ptr.join(i);
        let mut ext = ServerExtensions::default();
        let templated = server
            .get("url")
            .and_then(Value::as_str)
            .is_some_and(|u| u.contains('{'));
        let mut named_ptr = ptr.join("url");
        match server.get("x-rust-name") {
            None => {}
            Some(Value::String(name)) if templated => out.push(spec.diagnostic(
                ptr.join("x-rust-name"),
                None,
                format!(
                    "`x-rust-name` `{name}` on a server whose URL has variables; such a server gets no constant"
                ),
            )),
            Some(Value::String(name)) if is_screaming_snake(name) => {
                named_ptr = ptr.join("x-rust-name");
            }
            Some(other) => {
                let shown = other
                    .as_str()
                    .map_or_else(|| other.to_string(), |s| format!("`{s}`"));
                out.push(spec.diagnostic(
                    ptr.join("x-rust-name"),
                    None,
                    format!(
                        "`x-rust-name` must be a SCREAMING_SNAKE_CASE name such as `GCP_JAPAN`, not {shown}"
                    ),
                ));
                read.push(ext);
                continue;
            }
        }
        ext.constant = constant;
        if let Some(constant) = &ext.constant {
            if let Some(first) = taken.get(constant) {
                out.push(spec.diagnostic(
                    named_ptr.clone(),
                    None,
                    format!(
                        "servers {} and {} both become the constant `servers::{constant}`; give one of them another `x-rust-name`",
                        first.parent().unwrap_or_else(JsonPointer::root),
                        ptr
                    ),
                ));
            } else {
                taken.insert(constant.clone(), named_ptr.clone());
            }
        }
        ext.schemes = schemes(spec, server, &ptr, declared, out);
        // `schemes_of(url)` answers one list per URL.
        if let Some(url) = server.get("url").and_then(Value::as_str) {
            let url = url.trim_end_matches('/').to_owned();
            match paired.get(&url) {
                Some((first, schemes)) if *schemes != ext.schemes => out.push(spec.diagnostic(
                    if server.get("x-security-schemes").is_some() {
                        ptr.join("x-security-schemes")
                    } else {
                        ptr.clone()
                    },
                    None,
                    format!(
                        "servers {first} and {ptr} have the same URL but different `x-security-schemes`"
                    ),
                )),
                Some(_) => {}
                None => {
                    paired.insert(url, (ptr.clone(), ext.schemes.clone()));
                }
            }
        }
        read.push(ext);
    }
    read
}

/// The `x-security-schemes` of a server: a list of declared scheme names.
fn schemes(
    spec: &Spec,
    server: &Value,
    ptr: &JsonPointer,
    declared: Option<&serde_json::Map<String, Value>>,
    out: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let ptr = ptr.join("x-security-schemes");
    let Some(value) = server.get("x-security-schemes") else {
        return Vec::new();
    };
    let Some(list) = value.as_array() else {
        out.push(spec.diagnostic(
            ptr,
            None,
            "`x-security-schemes` must be a list of security scheme names",
        ));
        return Vec::new();
    };
    let mut names = Vec::new();
    for (i, item) in list.iter().enumerate() {
        match item.as_str() {
            Some(name) if declared.is_some_and(|d| d.contains_key(name)) => {
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_owned());
                }
            }
            Some(name) => out.push(spec.diagnostic(
                ptr.join(i),
                None,
                format!("security scheme `{name}` is not declared in `components/securitySchemes`"),
            )),
            None => out.push(spec.diagnostic(
                ptr.join(i),
                None,
                "`x-security-schemes` must be a list of security scheme names",
            )),
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_constant_is_the_rust_name_or_comes_from_the_url() {
        let named = json!({"url": "https://graph-au.example.com", "x-rust-name": "AUSTRALIA"});
        assert_eq!(server_constant(&named).as_deref(), Some("AUSTRALIA"));
        let host = json!({"url": "https://api.partner.example.com/v1/"});
        assert_eq!(
            server_constant(&host).as_deref(),
            Some("API_PARTNER_EXAMPLE_COM_V1")
        );
        let loopback = json!({"url": "http://127.0.0.1:8080"});
        assert_eq!(
            server_constant(&loopback).as_deref(),
            Some("SERVER_127_0_0_1_8080")
        );
        assert_eq!(
            server_constant(&json!({"url": "/"})).as_deref(),
            Some("SERVER")
        );
        let templated = json!({"url": "https://graph-{dc}.example.com"});
        assert_eq!(server_constant(&templated), None);
    }

    #[test]
    fn derived_constants_give_way_to_earlier_ones_and_to_rust_names() {
        let servers = [
            json!({"url": "https://api.example.com"}),
            json!({"url": "http://api.example.com"}),
            json!({"url": "https://api.example.com/"}),
            json!({"url": "https://v2.example.com"}),
            json!({"url": "https://{region}.example.com"}),
            json!({"url": "https://other.example.com", "x-rust-name": "V2_EXAMPLE_COM"}),
        ];
        assert_eq!(
            server_constants(&servers),
            [
                Some("API_EXAMPLE_COM".to_owned()),
                Some("HTTP_API_EXAMPLE_COM".to_owned()),
                Some("HTTPS_API_EXAMPLE_COM".to_owned()),
                Some("HTTPS_V2_EXAMPLE_COM".to_owned()),
                None,
                Some("V2_EXAMPLE_COM".to_owned()),
            ]
        );
        let twice = [
            json!({"url": "https://a.example"}),
            json!({"url": "https://a.example"}),
            json!({"url": "https://a.example"}),
        ];
        assert_eq!(
            server_constants(&twice),
            [
                Some("A_EXAMPLE".to_owned()),
                Some("HTTPS_A_EXAMPLE".to_owned()),
                Some("A_EXAMPLE_2".to_owned()),
            ]
        );
    }

    #[test]
    fn rust_names_are_screaming_snake_case() {
        for good in ["AUSTRALIA", "GCP_JAPAN", "AOS2", "US_EAST_2"] {
            assert!(is_screaming_snake(good), "{good}");
        }
        for bad in [
            "",
            "gcpJapan",
            "GCP__JAPAN",
            "_GCP",
            "GCP_",
            "2ND",
            "GCP-JAPAN",
        ] {
            assert!(!is_screaming_snake(bad), "{bad}");
        }
    }
}
