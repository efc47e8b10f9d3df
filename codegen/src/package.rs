//! The files around the generated code that make it a crate: `Cargo.toml`
//! with the dependency versions the code was generated for, and a README.

use std::fmt::Write as _;

use crate::emit::Emitted;
use crate::format::header;
use crate::model::{Model, SchemeKind};
use crate::settings::Settings;

/// The progenitor version this crate generates with; the generated code's
/// runtime, `progenitor-client`, must be the same version.
pub const PROGENITOR_VERSION: &str = "0.15.1";

/// The version of `partner-api-runtime` (in `runtime/`) the generated code
/// is written against.
pub const RUNTIME_VERSION: &str = "0.1.0";

/// Optional crates the generated code names, found by scanning it.
const OPTIONAL_DEPENDENCIES: [(&str, &str); 4] = [
    (
        "::uuid::",
        r#"uuid = { version = "1", features = ["serde"] }"#,
    ),
    (
        "::chrono::",
        r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#,
    ),
    ("::regress::", r#"regress = "0.10""#),
    ("futures::", r#"futures = "0.3""#),
];

/// The name of a generated crate's offline example
/// (`examples/<crate>-offline.rs`, hand-written). It carries the crate's name
/// because cargo puts every workspace example into one folder, where two
/// `offline` examples would collide.
pub fn offline_example(crate_name: &str) -> String {
    format!("{crate_name}-offline")
}

/// `Cargo.toml` of the generated crate.
/// `version` is the decided version (see [`crate::version`]).
/// `runtime_path` is the path from the crate's folder to `runtime/`.
pub fn cargo_toml(
    settings: &Settings,
    version: &str,
    settings_source: &str,
    code: &str,
    runtime_path: &str,
) -> String {
    let krate = &settings.krate;
    let mut out = header("#", settings_source);
    let _ = write!(
        out,
        r#"
[package]
name = "{name}"
version = "{version}"
description = "{description}"
edition = "2021"
rust-version = "1.88"
license = "MIT OR Apache-2.0"
readme = "README.md"

[dependencies]
# The runtime of the generated code; pinned to the generator's version.
progenitor-client = "={progenitor}"
# Tokens, retries, paging and errors of the generated code; pinned.
partner-api-runtime = {{ path = "{runtime_path}", version = "={runtime}" }}
reqwest = {{ version = "0.13", features = [{reqwest_features}] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
"#,
        name = krate.name,
        description = krate.description.replace('\\', "\\\\").replace('"', "\\\""),
        progenitor = PROGENITOR_VERSION,
        runtime = RUNTIME_VERSION,
        runtime_path = runtime_path,
        // `multipart` only where an operation sends multipart form data.
        reqwest_features = if code.contains("::reqwest::multipart::") {
            r#""json", "query", "stream", "multipart""#
        } else {
            r#""json", "query", "stream""#
        },
    );
    for (marker, line) in OPTIONAL_DEPENDENCIES {
        if code.contains(marker) {
            out.push_str(line);
            out.push('\n');
        }
    }
    let _ = write!(
        out,
        r#"# Typed mock expectations and a sample server (feature `mock`).
httpmock = {{ version = "0.8", optional = true }}
# progenitor's mock helpers match paths with regular expressions.
regex = {{ version = "1", optional = true }}

[features]
# `mock`: test helpers for code that uses this client (see the `mock` module).
mock = ["dep:httpmock", "dep:regex"]

[dev-dependencies]
# Runs the README's example and the `{example}` example.
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
# The `{example}` example runs against the crate's own sample server.
{name} = {{ path = ".", features = ["mock"] }}
"#,
        name = krate.name,
        example = offline_example(&krate.name),
    );
    out
}

/// `README.md` of the generated crate: what it is, how to depend on it, and
/// the usage example from the settings file (compiled as a doctest).
/// Method names are the ones progenitor gave the operations.
pub fn readme(model: &Model, emitted: &Emitted, settings: &Settings, spec_source: &str) -> String {
    let krate = &settings.krate;
    let method =
        |op: &crate::model::Operation| emitted.method_of(&op.id.0).unwrap_or_default().to_owned();
    let mut out = String::new();
    let _ = writeln!(out, "<!-- {} -->", header("", spec_source).trim());
    let _ = writeln!(out, "# {}\n", krate.name);
    let _ = writeln!(out, "{}\n", krate.description);
    let _ = writeln!(
        out,
        "Generated from `{spec_source}` ({}, API version {}).\n",
        model.title, model.version
    );
    out.push_str("## Servers\n\n");
    if model.servers.iter().any(|s| s.constant.is_some()) {
        out.push_str(
            "Each is a constant of the `servers` module, to pass to `Client::new` or\n`Client::builder`.\n\n",
        );
    }
    for server in &model.servers {
        let mut line = match &server.constant {
            Some(constant) => format!("- `servers::{constant}` (`{}`)", server.url),
            None => format!("- `{}`", server.url),
        };
        let mut about: Vec<String> = server.description.iter().map(|d| one_line(d)).collect();
        if !server.schemes.is_empty() {
            let schemes: Vec<String> = server
                .schemes
                .iter()
                .map(|name| format!("`schemes::{}`", crate::emit::constant_name(name)))
                .collect();
            about.push(format!("Sign in with {}.", schemes.join(" or ")));
        }
        if !about.is_empty() {
            let _ = write!(line, ": {}", about.join(" "));
        }
        let _ = writeln!(out, "{line}");
    }
    out.push_str(
        "\n## Operations\n\n| method | path | client method | security (any one of) |\n| --- | --- | --- | --- |\n",
    );
    for op in &model.operations {
        let security = if op.security.is_empty() {
            "none".to_owned()
        } else {
            op.security
                .iter()
                .map(|requirement| {
                    requirement
                        .iter()
                        .map(|(scheme, scopes)| match scopes.is_empty() {
                            true => format!("`{scheme}`"),
                            false => format!("`{scheme}` ({})", scopes.join(", ")),
                        })
                        .collect::<Vec<_>>()
                        .join(" + ")
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = writeln!(
            out,
            "| `{}` | `{}` | `Client::{}` | {security} |",
            op.method.upper(),
            op.path,
            method(op)
        );
    }
    authentication(&mut out, model);
    behaviour(&mut out, model, emitted, &krate.name);
    let _ = write!(
        out,
        r#"
## Depending on it

```toml
[dependencies]
{name} = {{ path = "generated/{name}" }}  # or a git dependency on this repository
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
```

## Usage

"#,
        name = krate.name
    );
    match &settings.readme.example {
        Some(example) => {
            let _ = write!(out, "```rust,no_run\n{}\n```\n", example.trim_end());
        }
        None => out.push_str("See the `Client` type's methods.\n"),
    }
    out.push_str(
        "\n## Regenerating\n\nThis crate's `Cargo.toml`, `README.md` and `src/generated.rs` are written by\n`cargo xtask generate`; edit the spec or its settings file, not these files.\n`src/lib.rs` is hand-written.\n",
    );
    out
}

/// The security schemes, with token endpoints and scopes, so users know how
/// to obtain the bearer token the client sends.
fn authentication(out: &mut String, model: &Model) {
    if model.schemes.is_empty() {
        return;
    }
    out.push_str(AUTHENTICATION);
    for scheme in &model.schemes {
        let name = &scheme.name;
        let constant = crate::emit::constant_name(name);
        match &scheme.kind {
            SchemeKind::OAuth2(_) => {
                let mut parts = Vec::new();
                if let Some(flow) = scheme.flow("clientCredentials") {
                    parts.push(format!(
                        "client credentials at `{}`, scopes {}",
                        flow.token_url.as_deref().unwrap_or_default(),
                        scope_list(flow.scopes.iter())
                    ));
                }
                if let Some(flow) = scheme.flow("authorizationCode") {
                    parts.push(format!(
                        "authorization code via `{}` and `{}`, scopes {}",
                        flow.authorization_url.as_deref().unwrap_or_default(),
                        flow.token_url.as_deref().unwrap_or_default(),
                        scope_list(flow.scopes.iter())
                    ));
                }
                let _ = writeln!(
                    out,
                    "- `schemes::{constant}` (`{name}`): OAuth2, {}",
                    parts.join("; ")
                );
            }
            SchemeKind::Http { scheme } => {
                let _ = writeln!(
                    out,
                    "- `schemes::{constant}` (`{name}`): HTTP `{scheme}` authentication"
                );
            }
            SchemeKind::ApiKey {
                name: key,
                location,
            } => {
                let _ = writeln!(
                    out,
                    "- `{name}`: API key `{key}` in the {}",
                    capitalized(location)
                );
            }
            SchemeKind::OpenIdConnect { url } => {
                let _ = writeln!(out, "- `{name}`: OpenID Connect, `{url}`");
            }
        }
    }
}

/// `header` → `Header`, as the README has always written API key places.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The opening of the README's authentication section.
const AUTHENTICATION: &str = "\n## Authentication\n\nGive `Client::builder(..).auth(scheme, source)` one of the schemes below (the\n`schemes::` statics) and a token source: `scheme.client_credentials(..)` with a\nclient secret or a certificate (an RS256-signed JWT client assertion),\n`scheme.refresh_token(..)` to act for a user, `runtime::BearerToken` for a token\nobtained elsewhere, or any `runtime::auth::TokenSource`. Each request asks for\nthe scopes its operation's security requirement names for that scheme; tokens\nare cached until shortly before they expire, concurrent requests share one\ntoken request, and a 401 triggers one refresh and one retry. Token URLs must be\n`https`, and secrets and tokens never appear in `Debug` output or errors.\n\nTo get tokens from another token URL (a test server, another cloud), start\nfrom the scheme and change only the URL: `scheme.client_credentials(..)` (or\n`refresh_token(..)`) followed by `.token_url(url)`. The scheme's `resource` and\nthe scopes each operation asks for carry over; an `http` URL is accepted only\nfor a loopback host and after `.allow_insecure_loopback()`. A source started\nfrom one scheme is refused for another (`BuildError::SchemeMismatch` from\n`build()`), except for an HTTP bearer scheme, which takes any token.\n\n";

/// Retries, paging, filled headers, open enums, errors and mocks, with the
/// operations each applies to.
fn behaviour(out: &mut String, model: &Model, emitted: &Emitted, crate_name: &str) {
    let mut idempotent = Vec::new();
    let mut paged = Vec::new();
    let mut auto = std::collections::BTreeSet::new();
    let mut fixed = std::collections::BTreeSet::new();
    for op in &model.operations {
        let name = emitted.method_of(&op.id.0).unwrap_or_default();
        if op.idempotent {
            idempotent.push(format!("`{name}`"));
        }
        if op.pagination.is_some() {
            paged.push(format!("`Client::{name}(..).stream()`"));
        }
        for (name, value) in op.auto_headers() {
            match value {
                crate::extensions::AutoValue::Uuid => auto.insert(name.to_owned()),
                crate::extensions::AutoValue::Default(text) => {
                    fixed.insert(format!("`{name}: {text}`"))
                }
            };
        }
    }
    let none = || "none".to_owned();
    let list = |items: &[String]| {
        if items.is_empty() {
            none()
        } else {
            items.join(", ")
        }
    };
    let _ = write!(
        out,
        r#"
## Behaviour

- **Retries**: 429, 502, 503, 504 and connection failures are retried with
  exponential backoff and jitter, honouring `Retry-After`, within the attempts
  and total time of the `RetryPolicy` (default: 4 attempts, 60 s). Only
  idempotent operations are retried unless the policy says otherwise:
  {idempotent}. A request that times out (default 60 s per request,
  `Client::builder(..).timeout(..)`; 30 s per token request, `.timeout(..)`
  on the token source's builder) is retried only for idempotent operations
  (`RetryPolicy::with_retry_timeouts(false)` turns that off), never for the
  others, since it may have reached the server.
- **Paging**: {paged} yield every item across pages as a `Stream`, fetching
  one page at a time, so memory stays bounded by one page.
- **Headers filled per call**: {auto} get a fresh UUID when the caller does not
  set them, kept across the retries of that call.{fixed}
- **Headers of your own**: every operation builder has `.header(name, value)`
  for a header the spec does not document (such as `X-Locale` or a tracing
  header); a name or value that is not valid HTTP makes `send()` fail with
  `Error::InvalidRequest`. `Client::builder(..).on_request(|request| ..)` sees
  and may change every request just before it goes out, each retry and
  next-page request included, after the `Authorization` header is set. (A
  crate generated with `interface = "positional"` has no builders, so only
  the hook.)
- **Forward compatibility**: enums are open (`#[non_exhaustive]`, with an
  `Unknown` variant that keeps a value the spec does not list), unknown fields
  are ignored and optional fields may be absent.
- **Errors**: `Error::ErrorResponse` carries a documented error body, typed;
  `Error::UndocumentedResponse` keeps the status, headers and a bounded
  excerpt of any other error: a status the spec does not document, or an
  error body that is not the documented one (a gateway page);
  `Error::InvalidResponsePayload` keeps the status and a bounded excerpt of a
  success body that does not decode; `Error::is_timeout()` says whether the
  call timed out. Path parameters are percent-encoded (everything outside
  RFC 3986's unreserved characters, `\` and `;` included), and values that
  would change the path (`.`, `..`, empty) are refused before sending.
- **Testing your code**: the `mock` feature adds `mock::MockServerExt`, typed
  `httpmock` expectations per operation, and `mock::sample_server()`, which
  answers every operation with its documented sample (`cargo run -p
  {crate_name} --example {example}` shows it).
"#,
        example = offline_example(crate_name),
        idempotent = list(&idempotent),
        paged = list(&paged),
        fixed = if fixed.is_empty() {
            String::new()
        } else {
            let several = fixed.len() > 1;
            let list = fixed.into_iter().collect::<Vec<_>>().join(", ");
            format!(
                "\n  {list} {} sent as written when the caller does not set {}.",
                if several { "are" } else { "is" },
                if several { "them" } else { "it" }
            )
        },
        auto = if auto.is_empty() {
            none()
        } else {
            auto.iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
}

fn scope_list<'a>(scopes: impl Iterator<Item = &'a String>) -> String {
    let scopes: Vec<String> = scopes.map(|s| format!("`{s}`")).collect();
    if scopes.is_empty() {
        "none".to_owned()
    } else {
        scopes.join(", ")
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The hand-written `src/lib.rs` a new crate starts with. The generator
/// writes it only when the file does not exist; after that it is the
/// crate owner's.
pub fn lib_rs_scaffold() -> String {
    r#"#![doc = include_str!("../README.md")]

// The generated module is formatted by prettyplease, not rustfmt.
#[rustfmt::skip]
mod generated;

pub use generated::*;
"#
    .to_owned()
}
