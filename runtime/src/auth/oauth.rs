//! The OAuth2 grants: client credentials (RFC 6749 §4.4), with a client secret
//! or a signed JWT client assertion (RFC 7523 §2.2), and refresh token
//! (RFC 6749 §6).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

use super::endpoint::{Endpoint, EndpointConfig};
use super::{AccessToken, AuthError, Secret, TokenSource};
use crate::meta::SecurityScheme;

/// The `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// How long a client assertion is valid. It is used at once, so it only has
/// to outlive the request and a little clock skew.
const ASSERTION_LIFETIME_SECS: u64 = 5 * 60;

/// How a client proves its identity to the token endpoint.
///
/// `Debug` never shows the secret or the key.
#[derive(Clone, Debug)]
pub enum ClientCredential {
    /// A client secret, sent as the `client_secret` form field.
    Secret(Secret),
    /// A certificate's private key, which signs a short-lived JWT sent as
    /// the `client_assertion` form field.
    Certificate(Certificate),
}

/// The RS256 signing key of a certificate credential.
///
/// The identity service knows the certificate's public half; each token
/// request carries a fresh JWT signed with this key (`iss` and `sub` the
/// client ID, `aud` the token URL, a random `jti`, valid for five minutes).
#[derive(Clone)]
pub struct Certificate {
    key: EncodingKey,
    thumbprint: Option<String>,
}

/// The claims of a client assertion.
#[derive(Serialize)]
struct AssertionClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    jti: String,
    iat: u64,
    nbf: u64,
    exp: u64,
}

impl Certificate {
    /// Loads an RSA private key from PEM text: PKCS#8 (`BEGIN PRIVATE KEY`) or
    /// PKCS#1 (`BEGIN RSA PRIVATE KEY`). Other blocks in the text, such as the
    /// certificate itself, are skipped. Encrypted keys are not supported.
    pub fn from_pem(private_key_pem: &[u8]) -> Result<Self, AuthError> {
        let invalid = |reason| AuthError::InvalidPrivateKey { reason };
        let text = std::str::from_utf8(private_key_pem)
            .map_err(|_| invalid("the pem text is not utf-8"))?;
        let block = find_private_key_block(text).ok_or_else(|| {
            invalid(if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
                "encrypted private keys are not supported; decrypt the key first"
            } else {
                "no `PRIVATE KEY` or `RSA PRIVATE KEY` pem block found"
            })
        })?;
        let key = EncodingKey::from_rsa_pem(block.as_bytes())
            .map_err(|_| invalid("not an rsa private key in pkcs#8 or pkcs#1 form"))?;
        let certificate = Self {
            key,
            thumbprint: None,
        };
        // jsonwebtoken checks only the PEM framing here and decodes the key
        // when it signs. A trial signature makes a corrupt key fail now, where
        // the credential is configured, instead of at the first token request.
        certificate
            .sign("trial", "trial")
            .map_err(|_| invalid("the key cannot make rs256 signatures"))?;
        Ok(certificate)
    }

    /// Adds an `x5t` header to each assertion: the base64url-encoded SHA-1
    /// thumbprint of the certificate, which identity services use to pick the
    /// registered certificate to verify with.
    pub fn with_thumbprint(mut self, x5t: impl Into<String>) -> Self {
        self.thumbprint = Some(x5t.into());
        self
    }

    /// A signed assertion for `client_id` addressed to `audience`.
    fn sign(&self, client_id: &str, audience: &str) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::RS256);
        header.x5t.clone_from(&self.thumbprint);
        // A clock before 1970 is not worth an error of its own: the identity
        // service rejects the assertion and says why.
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let claims = AssertionClaims {
            iss: client_id,
            sub: client_id,
            aud: audience,
            jti: uuid::Uuid::new_v4().to_string(),
            iat: now,
            nbf: now,
            exp: now + ASSERTION_LIFETIME_SECS,
        };
        jsonwebtoken::encode(&header, &claims, &self.key)
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("key", &"RS256 private key (redacted)")
            .field("thumbprint", &self.thumbprint)
            .finish()
    }
}

/// Finds the first PKCS#8 or PKCS#1 private key block in PEM text.
fn find_private_key_block(text: &str) -> Option<&str> {
    ["PRIVATE KEY", "RSA PRIVATE KEY"]
        .iter()
        .filter_map(|label| {
            let begin = format!("-----BEGIN {label}-----");
            let end = format!("-----END {label}-----");
            let start = text.find(&begin)?;
            let stop = start + text[start..].find(&end)? + end.len();
            Some((start, &text[start..stop]))
        })
        .min_by_key(|(start, _)| *start)
        .map(|(_, block)| block)
}

/// The OAuth2 client-credentials grant (RFC 6749 §4.4) against one token URL:
/// an app acting as itself, with a client secret or a certificate.
#[derive(Debug)]
pub struct ClientCredentials {
    endpoint: Endpoint,
    client_id: String,
    credential: ClientCredential,
    scheme: Option<SecurityScheme>,
}

impl ClientCredentials {
    /// Starts configuring the grant. `token_url` may contain `{name}`
    /// placeholders, filled with [`ClientCredentialsBuilder::url_parameter`].
    pub fn builder(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        credential: ClientCredential,
    ) -> ClientCredentialsBuilder {
        ClientCredentialsBuilder {
            endpoint: EndpointConfig::new(token_url.into()),
            client_id: client_id.into(),
            credential,
            scheme: None,
        }
    }

    async fn fetch_token(&self, scopes: &[&str]) -> Result<AccessToken, AuthError> {
        let audience = self.endpoint.audience_field(scopes);
        let assertion;
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", &self.client_id),
        ];
        match &self.credential {
            ClientCredential::Secret(secret) => form.push(("client_secret", secret.expose())),
            ClientCredential::Certificate(certificate) => {
                assertion = certificate
                    .sign(&self.client_id, self.endpoint.url().as_str())
                    .map_err(|_| AuthError::Assertion {
                        url: self.endpoint.url().to_string(),
                    })?;
                form.push(("client_assertion_type", JWT_BEARER));
                form.push(("client_assertion", &assertion));
            }
        }
        if let Some((name, value)) = &audience {
            form.push((name, value));
        }
        let sent_secrets: Vec<&str> = form
            .iter()
            .filter(|(name, _)| matches!(*name, "client_secret" | "client_assertion"))
            .map(|(_, value)| *value)
            .collect();
        let response = self.endpoint.request(&form, &sent_secrets).await?;
        Ok(AccessToken::new(response.access_token, response.expires_in))
    }
}

impl TokenSource for ClientCredentials {
    fn fetch<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + 'a>> {
        Box::pin(self.fetch_token(scopes))
    }

    fn security_scheme(&self) -> Option<&SecurityScheme> {
        self.scheme.as_ref()
    }
}

/// Configures a [`ClientCredentials`] grant.
#[derive(Debug)]
pub struct ClientCredentialsBuilder {
    endpoint: EndpointConfig,
    client_id: String,
    credential: ClientCredential,
    scheme: Option<SecurityScheme>,
}

impl ClientCredentialsBuilder {
    /// Fills every `{name}` placeholder in the token URL with `value`,
    /// percent-encoded, e.g. `("tenantId", "contoso.onmicrosoft.com")`.
    pub fn url_parameter(mut self, name: &str, value: &str) -> Self {
        self.endpoint.url_parameter(name, value);
        self
    }

    /// Sends token requests to `url` instead of the URL given at the start
    /// (for a builder started from a scheme, the spec's token URL): a test
    /// server, another cloud's identity service, a proxy. Everything else
    /// stays, including the scheme's `resource` and the scopes each
    /// operation asks for. `url` may contain `{name}` placeholders like the
    /// original; an `http` URL needs
    /// [`allow_insecure_loopback`](Self::allow_insecure_loopback) and a
    /// loopback host.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint.token_url(url.into());
        self
    }

    /// Records the scheme this source is for, so that the client builder
    /// can refuse it for another one.
    pub(crate) fn for_scheme(mut self, scheme: &SecurityScheme) -> Self {
        self.scheme = Some(*scheme);
        self
    }

    /// Sends `resource=<uri>` (Microsoft Entra ID v1 endpoints) instead of a
    /// `scope` field.
    pub fn resource(mut self, uri: impl Into<String>) -> Self {
        self.endpoint.resource(uri.into());
        self
    }

    /// Sends token requests with `client` instead of a new client with a 30 s
    /// timeout that follows no redirects. Configure `client` to refuse
    /// redirects too: a redirect could carry the credentials elsewhere.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.endpoint.http_client(client);
        self
    }

    /// Longest time a token request may take, from sending it until its
    /// response has been read (default 30 s). Applies to a client given
    /// with `http_client` too. A token request that times out is not
    /// retried; the call fails with `Error::Auth`, whose `is_timeout()` is
    /// true.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.endpoint.timeout(timeout);
        self
    }

    /// For tests: also accepts an `http` token URL whose host is a loopback
    /// address (127.0.0.0/8, `::1` or `localhost`).
    pub fn allow_insecure_loopback(mut self) -> Self {
        self.endpoint.allow_insecure_loopback();
        self
    }

    /// Checks the token URL (every placeholder filled, parsable, `https`
    /// unless loopback was allowed) and creates the grant.
    pub fn build(self) -> Result<ClientCredentials, AuthError> {
        Ok(ClientCredentials {
            endpoint: self.endpoint.build()?,
            client_id: self.client_id,
            credential: self.credential,
            scheme: self.scheme,
        })
    }
}

/// The OAuth2 refresh-token grant (RFC 6749 §6): an app acting for a user,
/// redeeming a refresh token obtained earlier through an interactive sign-in.
///
/// When the server rotates the refresh token (returns a new one with the
/// access token), the new one replaces the stored one and is used from then
/// on. Persist it with [`current_refresh_token`](Self::current_refresh_token):
/// the original may stop working.
#[derive(Debug)]
pub struct RefreshToken {
    endpoint: Endpoint,
    client_id: String,
    client_secret: Option<Secret>,
    /// Locked for the whole of a redemption, so concurrent fetches (for
    /// different scope sets) take turns and each sends the latest rotated
    /// token: servers that detect reuse of a rotated token revoke them all.
    refresh_token: tokio::sync::Mutex<Secret>,
    scheme: Option<SecurityScheme>,
}

impl RefreshToken {
    /// Starts configuring the grant. `token_url` may contain `{name}`
    /// placeholders, filled with [`RefreshTokenBuilder::url_parameter`].
    pub fn builder(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        refresh_token: Secret,
    ) -> RefreshTokenBuilder {
        RefreshTokenBuilder {
            endpoint: EndpointConfig::new(token_url.into()),
            client_id: client_id.into(),
            client_secret: None,
            refresh_token,
            scheme: None,
        }
    }

    /// The refresh token the next fetch will redeem: the configured one, or
    /// the latest the server rotated it to.
    pub async fn current_refresh_token(&self) -> Secret {
        self.refresh_token.lock().await.clone()
    }

    async fn fetch_token(&self, scopes: &[&str]) -> Result<AccessToken, AuthError> {
        let mut stored = self.refresh_token.lock().await;
        let audience = self.endpoint.audience_field(scopes);
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", stored.expose()),
            ("client_id", &self.client_id),
        ];
        let mut sent_secrets = vec![stored.expose()];
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.expose()));
            sent_secrets.push(secret.expose());
        }
        if let Some((name, value)) = &audience {
            form.push((name, value));
        }
        let response = self.endpoint.request(&form, &sent_secrets).await?;
        if let Some(rotated) = response.refresh_token {
            *stored = rotated;
        }
        Ok(AccessToken::new(response.access_token, response.expires_in))
    }
}

impl TokenSource for RefreshToken {
    fn fetch<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + 'a>> {
        Box::pin(self.fetch_token(scopes))
    }

    fn security_scheme(&self) -> Option<&SecurityScheme> {
        self.scheme.as_ref()
    }
}

/// Configures a [`RefreshToken`] grant.
#[derive(Debug)]
pub struct RefreshTokenBuilder {
    endpoint: EndpointConfig,
    client_id: String,
    client_secret: Option<Secret>,
    refresh_token: Secret,
    scheme: Option<SecurityScheme>,
}

impl RefreshTokenBuilder {
    /// Authenticates the client with `secret` (confidential clients, such as
    /// a Partner Center web app).
    pub fn client_secret(mut self, secret: Secret) -> Self {
        self.client_secret = Some(secret);
        self
    }

    /// Fills every `{name}` placeholder in the token URL with `value`,
    /// percent-encoded, e.g. `("tenantId", "contoso.onmicrosoft.com")`.
    pub fn url_parameter(mut self, name: &str, value: &str) -> Self {
        self.endpoint.url_parameter(name, value);
        self
    }

    /// Sends token requests to `url` instead of the URL given at the start
    /// (for a builder started from a scheme, the spec's token URL): a test
    /// server, another cloud's identity service, a proxy. Everything else
    /// stays, including the scheme's `resource` and the scopes each
    /// operation asks for. `url` may contain `{name}` placeholders like the
    /// original; an `http` URL needs
    /// [`allow_insecure_loopback`](Self::allow_insecure_loopback) and a
    /// loopback host.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint.token_url(url.into());
        self
    }

    /// Records the scheme this source is for, so that the client builder
    /// can refuse it for another one.
    pub(crate) fn for_scheme(mut self, scheme: &SecurityScheme) -> Self {
        self.scheme = Some(*scheme);
        self
    }

    /// Sends `resource=<uri>` (Microsoft Entra ID v1 endpoints) instead of a
    /// `scope` field.
    pub fn resource(mut self, uri: impl Into<String>) -> Self {
        self.endpoint.resource(uri.into());
        self
    }

    /// Sends token requests with `client` instead of a new client with a 30 s
    /// timeout that follows no redirects. Configure `client` to refuse
    /// redirects too: a redirect could carry the credentials elsewhere.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.endpoint.http_client(client);
        self
    }

    /// Longest time a token request may take, from sending it until its
    /// response has been read (default 30 s). Applies to a client given
    /// with `http_client` too. A token request that times out is not
    /// retried; the call fails with `Error::Auth`, whose `is_timeout()` is
    /// true.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.endpoint.timeout(timeout);
        self
    }

    /// For tests: also accepts an `http` token URL whose host is a loopback
    /// address (127.0.0.0/8, `::1` or `localhost`).
    pub fn allow_insecure_loopback(mut self) -> Self {
        self.endpoint.allow_insecure_loopback();
        self
    }

    /// Checks the token URL (every placeholder filled, parsable, `https`
    /// unless loopback was allowed) and creates the grant.
    pub fn build(self) -> Result<RefreshToken, AuthError> {
        Ok(RefreshToken {
            endpoint: self.endpoint.build()?,
            client_id: self.client_id,
            client_secret: self.client_secret,
            refresh_token: tokio::sync::Mutex::new(self.refresh_token),
            scheme: self.scheme,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_key_among_other_blocks() {
        let text = "Bag Attributes\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n\
                    -----BEGIN RSA PRIVATE KEY-----\nBBBB\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(
            find_private_key_block(text),
            Some("-----BEGIN RSA PRIVATE KEY-----\nBBBB\n-----END RSA PRIVATE KEY-----")
        );
        assert_eq!(
            find_private_key_block("-----BEGIN ENCRYPTED PRIVATE KEY-----\nCC\n"),
            None
        );
    }

    #[test]
    fn unusable_keys_are_refused_without_echoing_them() {
        let pem =
            "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LXNlbnRpbmVs\n-----END PRIVATE KEY-----\n";
        let error = Certificate::from_pem(pem.as_bytes()).unwrap_err();
        assert!(matches!(error, AuthError::InvalidPrivateKey { .. }));
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("bm90LWEta2V5LXNlbnRpbmVs"), "{shown}");

        let error = Certificate::from_pem(
            b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
        )
        .unwrap_err();
        assert!(error.to_string().contains("encrypted"), "{error}");
        assert!(Certificate::from_pem(b"\xff\xfe").is_err());
    }
}
