//! The token endpoint shared by every grant: URL template, https rule, the
//! form POST and the reading of its response.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::ACCEPT;
use reqwest::Url;
use serde_json::Value;

use super::{AuthError, Secret};
use crate::client::is_loopback;

/// Timeout of token requests unless the builder sets another.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Lifetime assumed when a token response has no `expires_in` (RFC 6749
/// leaves it optional; both vendors document one hour).
const DEFAULT_EXPIRES_IN: Duration = Duration::from_secs(3600);
/// Longest token response read. Real ones are a few KiB; the cap keeps a
/// misbehaving endpoint from making us buffer without end.
const BODY_LIMIT: usize = 64 * 1024;
/// Longest piece of server text kept in an error, in bytes.
const EXCERPT_LIMIT: usize = 512;
/// JSON fields whose values are masked in excerpts, matched as substrings of
/// the lowercased key, so that `access_token`, `id_token` and the like are
/// caught without listing every vendor's spelling.
const SENSITIVE_KEYS: [&str; 4] = ["token", "secret", "assertion", "password"];

/// Settings collected by a grant's builder, checked by [`EndpointConfig::build`].
pub(crate) struct EndpointConfig {
    template: String,
    parameters: Vec<(String, String)>,
    resource: Option<String>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    allow_insecure_loopback: bool,
}

impl EndpointConfig {
    pub(crate) fn new(template: String) -> Self {
        Self {
            template,
            parameters: Vec::new(),
            resource: None,
            http_client: None,
            timeout: None,
            allow_insecure_loopback: false,
        }
    }

    pub(crate) fn url_parameter(&mut self, name: &str, value: &str) {
        self.parameters.retain(|(n, _)| n != name);
        self.parameters.push((name.to_owned(), value.to_owned()));
    }

    /// Replaces the URL template (placeholders given so far are kept).
    pub(crate) fn token_url(&mut self, template: String) {
        self.template = template;
    }

    pub(crate) fn resource(&mut self, uri: String) {
        self.resource = Some(uri);
    }

    pub(crate) fn http_client(&mut self, client: reqwest::Client) {
        self.http_client = Some(client);
    }

    pub(crate) fn timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    pub(crate) fn allow_insecure_loopback(&mut self) {
        self.allow_insecure_loopback = true;
    }

    /// Fills the placeholders and enforces the https rule.
    pub(crate) fn build(self) -> Result<Endpoint, AuthError> {
        let resolved = fill_placeholders(&self.template, &self.parameters)?;
        let url = Url::parse(&resolved).map_err(|e| AuthError::InvalidUrl {
            url: resolved.clone(),
            reason: e.to_string(),
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            // Credentials belong in the form body; in the URL they would end
            // up in every error message and log line that names it.
            let mut shown = url.clone();
            let _ = shown.set_username("");
            let _ = shown.set_password(None);
            return Err(AuthError::InvalidUrl {
                url: shown.into(),
                reason: "a user name or password in the url is not allowed".into(),
            });
        }
        let secure = match url.scheme() {
            "https" => true,
            "http" => self.allow_insecure_loopback && is_loopback(&url),
            _ => false,
        };
        if !secure {
            return Err(AuthError::InsecureUrl { url: url.into() });
        }
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                // A redirect could take the credentials to another host or
                // to plain http; a token endpoint has no reason to redirect.
                .redirect(reqwest::redirect::Policy::none())
                .https_only(!self.allow_insecure_loopback)
                .build()
                .map_err(|e| AuthError::HttpClient {
                    url: url.to_string(),
                    source: Arc::new(e),
                })?,
        };
        Ok(Endpoint {
            url,
            resource: self.resource,
            http,
            timeout: self.timeout,
        })
    }
}

impl fmt::Debug for EndpointConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The HTTP client is left out: its Debug output includes proxy
        // settings, which may carry proxy credentials.
        f.debug_struct("EndpointConfig")
            .field("template", &self.template)
            .field("parameters", &self.parameters)
            .field("resource", &self.resource)
            .field("custom_http_client", &self.http_client.is_some())
            .field("timeout", &self.timeout)
            .field("allow_insecure_loopback", &self.allow_insecure_loopback)
            .finish()
    }
}

/// A validated token endpoint.
pub(crate) struct Endpoint {
    url: Url,
    resource: Option<String>,
    http: reqwest::Client,
    /// Set on the builder; applies to a caller's HTTP client too.
    timeout: Option<Duration>,
}

/// The parts of a successful token response that are used.
pub(crate) struct TokenResponse {
    pub(crate) access_token: Secret,
    pub(crate) expires_in: Duration,
    pub(crate) refresh_token: Option<Secret>,
}

impl Endpoint {
    /// The resolved token URL (also the `aud` of client assertions).
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// The form field that says what the token is for: `resource` when one is
    /// set (Entra ID v1), otherwise `scope` with the scopes joined by spaces
    /// (RFC 6749 §3.3), or nothing when there are no scopes.
    pub(crate) fn audience_field(&self, scopes: &[&str]) -> Option<(&'static str, String)> {
        match &self.resource {
            Some(resource) => Some(("resource", resource.clone())),
            None if scopes.is_empty() => None,
            None => Some(("scope", scopes.join(" "))),
        }
    }

    /// POSTs `form` and reads the token response.
    ///
    /// `sent_secrets` are the credentials in `form`; they are masked in any
    /// server text that ends up in an error, in case the server echoes them.
    pub(crate) async fn request(
        &self,
        form: &[(&str, &str)],
        sent_secrets: &[&str],
    ) -> Result<TokenResponse, AuthError> {
        let transport = |e: reqwest::Error| AuthError::Transport {
            url: self.url.to_string(),
            source: Arc::new(e.without_url()),
        };
        let mut request = self
            .http
            .post(self.url.clone())
            .header(ACCEPT, "application/json")
            .form(form);
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status();

        let mut body = Vec::new();
        let mut overflow = false;
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            let room = BODY_LIMIT - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                overflow = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }

        let unexpected = |reason: &'static str, excerpt: String| AuthError::UnexpectedResponse {
            url: self.url.to_string(),
            status,
            reason,
            excerpt,
        };
        let json: Option<Value> = if overflow {
            None
        } else {
            serde_json::from_slice(&body).ok()
        };

        if status.is_success() {
            if overflow {
                return Err(unexpected("response body exceeds 64 KiB", String::new()));
            }
            // No excerpt of a non-JSON success body: it might carry a token in
            // a form (such as url-encoded) that cannot be masked reliably.
            let Some(json) = json else {
                return Err(unexpected("response is not json", String::new()));
            };
            return parse_token(&json)
                .map_err(|reason| unexpected(reason, json_excerpt(&json, sent_secrets)));
        }

        if let Some(Value::Object(fields)) = &json {
            if let Some(Value::String(error)) = fields.get("error") {
                return Err(AuthError::Rejected {
                    url: self.url.to_string(),
                    status,
                    error: one_line(&bounded(&scrub(error, sent_secrets))),
                    error_description: fields
                        .get("error_description")
                        .and_then(Value::as_str)
                        .map(|d| one_line(&bounded(&scrub(d, sent_secrets)))),
                });
            }
        }
        let excerpt = match &json {
            Some(json) => json_excerpt(json, sent_secrets),
            None => bounded(&scrub(&String::from_utf8_lossy(&body), sent_secrets)),
        };
        Err(unexpected("response is not an oauth2 error", excerpt))
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url.as_str())
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

/// Replaces each `{name}` in `template` with the percent-encoded value of
/// parameter `name`.
fn fill_placeholders(template: &str, parameters: &[(String, String)]) -> Result<String, AuthError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        let invalid = |reason: &str| AuthError::InvalidUrl {
            url: template.to_owned(),
            reason: reason.to_owned(),
        };
        if rest[open..].starts_with('}') {
            return Err(invalid("unmatched `}`"));
        }
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| invalid("unmatched `{`"))?;
        let name = &after[..close];
        let value = parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .ok_or_else(|| AuthError::UnresolvedPlaceholder {
                url: template.to_owned(),
                name: name.to_owned(),
            })?;
        percent_encode(value, &mut out);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value
/// stays inside the one path segment its placeholder occupies.
fn percent_encode(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

/// Reads a successful token response, or says what is wrong with it.
fn parse_token(json: &Value) -> Result<TokenResponse, &'static str> {
    let Value::Object(fields) = json else {
        return Err("response is not a json object");
    };
    let access_token = match fields.get("access_token") {
        Some(Value::String(token)) if !token.is_empty() => Secret::new(token.as_str()),
        Some(Value::String(_)) => return Err("access_token is empty"),
        Some(_) => return Err("access_token is not a string"),
        None => return Err("response has no access_token"),
    };
    // Entra ID v1 sends `"3599"`, RFC 6749 servers send `3599`.
    let expires_in = match fields.get("expires_in") {
        None | Some(Value::Null) => DEFAULT_EXPIRES_IN,
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Duration::from_secs)
            .ok_or("expires_in is not a whole number of seconds")?,
        Some(Value::String(s)) => s
            .trim()
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| "expires_in is not a whole number of seconds")?,
        Some(_) => return Err("expires_in is not a whole number of seconds"),
    };
    let refresh_token = match fields.get("refresh_token") {
        None | Some(Value::Null) => None,
        Some(Value::String(token)) if !token.is_empty() => Some(Secret::new(token.as_str())),
        Some(_) => return Err("refresh_token is not a non-empty string"),
    };
    Ok(TokenResponse {
        access_token,
        expires_in,
        refresh_token,
    })
}

/// A bounded excerpt of a JSON body with sensitive fields masked.
fn json_excerpt(json: &Value, sent_secrets: &[&str]) -> String {
    let mut masked = json.clone();
    mask_sensitive(&mut masked);
    bounded(&scrub(&masked.to_string(), sent_secrets))
}

fn mask_sensitive(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                let key = key.to_ascii_lowercase();
                if SENSITIVE_KEYS.iter().any(|s| key.contains(s)) {
                    *field = Value::String("***".into());
                } else {
                    mask_sensitive(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_sensitive),
        _ => {}
    }
}

/// Masks every occurrence of the sent credentials in server text.
fn scrub(text: &str, sent_secrets: &[&str]) -> String {
    sent_secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_owned(), |text, secret| text.replace(secret, "***"))
}

/// Replaces line breaks and other control characters with spaces: Entra ID
/// spreads its `error_description` over several lines (trace and correlation
/// IDs), and an error message should stay on one.
fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.trim().to_owned()
}

/// Cuts `text` to at most [`EXCERPT_LIMIT`] bytes at a character boundary.
fn bounded(text: &str) -> String {
    if text.len() <= EXCERPT_LIMIT {
        return text.to_owned();
    }
    let mut end = EXCERPT_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn placeholders_are_filled_and_encoded() {
        let url = fill_placeholders(
            "https://login.example/{tenantId}/oauth2/{tenantId}",
            &params(&[("tenantId", "contoso.onmicrosoft.com/x y")]),
        )
        .unwrap();
        assert_eq!(
            url,
            "https://login.example/contoso.onmicrosoft.com%2Fx%20y/oauth2/contoso.onmicrosoft.com%2Fx%20y"
        );
    }

    #[test]
    fn unbalanced_braces_are_invalid() {
        for template in ["https://a.example/{x", "https://a.example/x}"] {
            let error = fill_placeholders(template, &params(&[("x", "1")])).unwrap_err();
            assert!(
                matches!(error, AuthError::InvalidUrl { .. }),
                "{template}: {error}"
            );
        }
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://127.0.0.1/",
            "http://127.1.2.3:8/",
            "http://[::1]:9/",
            "http://LOCALHOST/",
        ] {
            assert!(is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
        for url in [
            "http://example.com/",
            "http://10.0.0.1/",
            "http://localhost.example/",
        ] {
            assert!(!is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
    }

    #[test]
    fn credentials_in_the_url_are_refused_without_echoing_them() {
        let error = EndpointConfig::new("https://user:pw-sentinel@login.example/token".into())
            .build()
            .unwrap_err();
        assert!(matches!(error, AuthError::InvalidUrl { .. }));
        assert!(!format!("{error} {error:?}").contains("pw-sentinel"));
    }

    #[test]
    fn token_response_shapes() {
        let parsed =
            parse_token(&serde_json::json!({"access_token": "a", "expires_in": "3599"})).unwrap();
        assert_eq!(parsed.expires_in, Duration::from_secs(3599));
        let parsed = parse_token(&serde_json::json!({"access_token": "a"})).unwrap();
        assert_eq!(parsed.expires_in, DEFAULT_EXPIRES_IN);
        assert!(parsed.refresh_token.is_none());
        for bad in [
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!({"access_token": 5}),
            serde_json::json!({"access_token": "a", "expires_in": "soon"}),
            serde_json::json!({"access_token": "a", "expires_in": -1}),
            serde_json::json!({"access_token": "a", "refresh_token": 1}),
        ] {
            assert!(parse_token(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn excerpts_mask_tokens_and_sent_secrets() {
        let body = serde_json::json!({
            "access_token": "at-sentinel",
            "nested": [{"Id_Token": "id-sentinel"}],
            "note": "echo sec-sentinel",
            "expires_in": "soon"
        });
        let excerpt = json_excerpt(&body, &["sec-sentinel"]);
        for sentinel in ["at-sentinel", "id-sentinel", "sec-sentinel"] {
            assert!(!excerpt.contains(sentinel), "{excerpt}");
        }
        assert!(excerpt.contains("soon"), "{excerpt}");
    }

    #[test]
    fn descriptions_are_kept_on_one_line() {
        assert_eq!(
            one_line("AADSTS7000215: bad secret.\r\nTrace ID: 1\r\n"),
            "AADSTS7000215: bad secret.  Trace ID: 1"
        );
    }

    #[test]
    fn bounded_cuts_at_a_char_boundary() {
        // "é" is two bytes, so after the leading "a" byte 512 falls inside one.
        let text = format!("a{}", "é".repeat(EXCERPT_LIMIT));
        assert_eq!(bounded(&text).len(), EXCERPT_LIMIT - 1);
        assert_eq!(bounded("short"), "short");
    }
}
