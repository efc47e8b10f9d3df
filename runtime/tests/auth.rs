//! The token sources and the token cache against real HTTP servers on loopback.
//!
//! Every credential is a distinctive sentinel string, so the redaction checks
//! can look for it in everything that gets formatted.

use std::error::Error as _;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use httpmock::prelude::*;
use httpmock::{Mock, When};
use partner_api_runtime::auth::{
    AccessToken, AuthError, Certificate, ClientCredential, ClientCredentials, RefreshToken, Secret,
    TokenCache, TokenSource,
};
use serde_json::json;

const CLIENT_ID: &str = "client-id-4711";
const CLIENT_SECRET: &str = "client-secret-SENTINEL-9f1c";
const ACCESS_TOKEN: &str = "access-token-SENTINEL-2b7e";
const REFRESH_TOKEN: &str = "refresh-token-SENTINEL-1-c0de";
const ROTATED_REFRESH_TOKEN: &str = "refresh-token-SENTINEL-2-beef";
const PARTNER_CENTER: &str = "https://api.partnercenter.microsoft.com";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A throwaway RSA key pair, made once per test binary because generating
/// one takes a noticeable fraction of a second even optimised.
struct KeyPair {
    pkcs8_pem: String,
    pkcs1_pem: String,
    public_pem: String,
}

fn key_pair() -> &'static KeyPair {
    static KEY: OnceLock<KeyPair> = OnceLock::new();
    KEY.get_or_init(|| {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};

        let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
        KeyPair {
            pkcs8_pem: key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string(),
            pkcs1_pem: key.to_pkcs1_pem(LineEnding::LF).unwrap().to_string(),
            public_pem: key
                .to_public_key()
                .to_public_key_pem(LineEnding::LF)
                .unwrap(),
        }
    })
}

/// Fails if `shown` contains any credential, token or line of a private key.
fn assert_redacted(shown: &str) {
    for sentinel in [
        CLIENT_SECRET,
        ACCESS_TOKEN,
        REFRESH_TOKEN,
        ROTATED_REFRESH_TOKEN,
        "SENTINEL",
    ] {
        assert!(!shown.contains(sentinel), "{sentinel:?} leaked in: {shown}");
    }
    // Key lines are checked only once the key exists, so tests that do not
    // need it do not pay for generating it.
    if let Some(key) = KEY_MADE.get() {
        for line in key.pkcs8_pem.lines().chain(key.pkcs1_pem.lines()) {
            assert!(
                line.trim().is_empty() || !shown.contains(line),
                "key line {line:?} leaked in: {shown}"
            );
        }
    }
}

/// Set by the tests that use the key pair, read by [`assert_redacted`].
static KEY_MADE: OnceLock<&'static KeyPair> = OnceLock::new();

fn test_key() -> &'static KeyPair {
    let key = key_pair();
    let _ = KEY_MADE.set(key);
    key
}

/// Checks `Display` and `Debug` of an error and of every error in its chain.
fn assert_error_redacted(error: &AuthError) {
    assert_redacted(&format!("{error} / {error:?}"));
    let mut source = error.source();
    while let Some(inner) = source {
        assert_redacted(&format!("{inner} / {inner:?}"));
        source = inner.source();
    }
}

/// Decodes an `application/x-www-form-urlencoded` body into sorted pairs.
fn form_fields(body: &str) -> Form {
    // A URL query uses the same encoding, and `Url` is already at hand.
    let url = reqwest::Url::parse(&format!("http://form.invalid/?{body}")).unwrap();
    let mut fields: Form = url.query_pairs().into_owned().collect();
    fields.sort();
    fields
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn expected(pairs: &[(&str, &str)]) -> Form {
    let mut fields: Form = pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    fields.sort();
    fields
}

fn json_response(status: u16, body: serde_json::Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
}

/// A decoded form body: its fields as sorted `(name, value)` pairs.
type Form = Vec<(String, String)>;

/// The form bodies a token endpoint received, in order.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<Form>>>);

impl Captured {
    fn all(&self) -> Vec<Form> {
        self.0.lock().unwrap().clone()
    }
}

/// A token endpoint at `path` that records each form and answers with
/// `respond(number of the request from 1, its form)`.
async fn token_endpoint<'a>(
    server: &'a MockServer,
    path: &str,
    delay: Duration,
    respond: impl Fn(usize, &[(String, String)]) -> HttpMockResponse + Send + Sync + 'static,
) -> (Mock<'a>, Captured) {
    let captured = Captured::default();
    let sink = captured.clone();
    let mock = server
        .mock_async(|when: When, then| {
            when.method(POST)
                .path(path)
                .header("content-type", "application/x-www-form-urlencoded");
            then.delay(delay).respond_with(move |request| {
                let fields = form_fields(&request.body_string());
                let number = {
                    let mut all = sink.0.lock().unwrap();
                    all.push(fields.clone());
                    all.len()
                };
                respond(number, &fields)
            });
        })
        .await;
    (mock, captured)
}

fn secret_credentials(url: &str) -> ClientCredentials {
    ClientCredentials::builder(
        url,
        CLIENT_ID,
        ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
    )
    .allow_insecure_loopback()
    .build()
    .unwrap()
}

fn seconds_until(token: &AccessToken) -> u64 {
    token
        .expires_at()
        .saturating_duration_since(Instant::now())
        .as_secs()
}

#[tokio::test]
async fn client_secret_request_has_exactly_the_documented_fields() {
    let server = MockServer::start_async().await;
    let (mock, captured) = token_endpoint(&server, "/connect/token", Duration::ZERO, |_, _| {
        json_response(
            200,
            json!({"access_token": ACCESS_TOKEN, "expires_in": 3600, "token_type": "Bearer"}),
        )
    })
    .await;
    let cache = TokenCache::new(secret_credentials(&server.url("/connect/token")));

    let token = cache
        .token(&["platform.backup.read", "platform.tenant.read"])
        .await
        .unwrap();

    assert_eq!(token.expose(), ACCESS_TOKEN);
    mock.assert_calls_async(1).await;
    assert_eq!(
        captured.all(),
        vec![expected(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("scope", "platform.backup.read platform.tenant.read"),
        ])]
    );
}

#[tokio::test]
async fn no_scope_field_without_scopes() {
    let server = MockServer::start_async().await;
    let (_mock, captured) = token_endpoint(&server, "/token", Duration::ZERO, |_, _| {
        json_response(200, json!({"access_token": ACCESS_TOKEN}))
    })
    .await;
    let source = secret_credentials(&server.url("/token"));

    let token = source.fetch(&[]).await.unwrap();

    assert!(field(&captured.all()[0], "scope").is_none());
    // No `expires_in`: one hour is assumed.
    assert!((3590..=3600).contains(&seconds_until(&token)));
}

#[tokio::test]
async fn expires_in_may_be_a_number_or_a_numeric_string() {
    let server = MockServer::start_async().await;
    let _mock = token_endpoint(&server, "/token", Duration::ZERO, |n, _| {
        // Entra ID v1 sends a string, RFC 6749 servers a number.
        let expires_in = if n == 1 { json!(3599) } else { json!("1799") };
        json_response(
            200,
            json!({"access_token": ACCESS_TOKEN, "expires_in": expires_in}),
        )
    })
    .await;
    let source = secret_credentials(&server.url("/token"));

    let as_number = source.fetch(&["s"]).await.unwrap();
    let as_string = source.fetch(&["s"]).await.unwrap();

    assert!((3590..=3599).contains(&seconds_until(&as_number)));
    assert!((1790..=1799).contains(&seconds_until(&as_string)));
    assert_eq!(as_string.secret().expose(), ACCESS_TOKEN);
}

#[derive(Debug, serde::Deserialize)]
struct AssertionClaims {
    iss: String,
    sub: String,
    aud: String,
    jti: String,
    iat: u64,
    nbf: u64,
    exp: u64,
}

/// Verifies a client assertion's signature with the test key's public half
/// and returns its claims.
fn verify_assertion(assertion: &str, audience: &str) -> AssertionClaims {
    use jsonwebtoken::{Algorithm, DecodingKey, Validation};

    let key = DecodingKey::from_rsa_pem(test_key().public_pem.as_bytes()).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[CLIENT_ID]);
    validation.sub = Some(CLIENT_ID.to_owned());
    validation.validate_nbf = true;
    validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "sub", "aud", "jti"]);
    jsonwebtoken::decode::<AssertionClaims>(assertion, &key, &validation)
        .unwrap()
        .claims
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn certificate_assertion_is_signed_and_carries_the_claims() {
    let key = test_key();
    let server = MockServer::start_async().await;
    let (mock, captured) = token_endpoint(&server, "/connect/token", Duration::ZERO, |_, _| {
        json_response(
            200,
            json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}),
        )
    })
    .await;
    let token_url = server.url("/connect/token");
    let certificate = Certificate::from_pem(key.pkcs8_pem.as_bytes())
        .unwrap()
        .with_thumbprint("x5t-thumbprint-value");
    let source = ClientCredentials::builder(
        token_url.as_str(),
        CLIENT_ID,
        ClientCredential::Certificate(certificate),
    )
    .allow_insecure_loopback()
    .build()
    .unwrap();

    let before = unix_now();
    let first = source.fetch(&["platform.backup.read"]).await.unwrap();
    source.fetch(&["platform.backup.read"]).await.unwrap();

    assert_eq!(first.secret().expose(), ACCESS_TOKEN);
    mock.assert_calls_async(2).await;
    let requests = captured.all();
    let mut jtis = Vec::new();
    for fields in &requests {
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "client_assertion",
                "client_assertion_type",
                "client_id",
                "grant_type",
                "scope"
            ]
        );
        assert_eq!(field(fields, "grant_type"), Some("client_credentials"));
        assert_eq!(field(fields, "client_id"), Some(CLIENT_ID));
        assert_eq!(field(fields, "client_assertion_type"), Some(JWT_BEARER));
        assert_eq!(field(fields, "scope"), Some("platform.backup.read"));

        let assertion = field(fields, "client_assertion").unwrap();
        let header = jsonwebtoken::decode_header(assertion).unwrap();
        assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
        assert_eq!(header.x5t.as_deref(), Some("x5t-thumbprint-value"));

        let claims = verify_assertion(assertion, &token_url);
        assert_eq!(claims.iss, CLIENT_ID);
        assert_eq!(claims.sub, CLIENT_ID);
        assert_eq!(claims.aud, token_url);
        let jti = uuid::Uuid::parse_str(&claims.jti).unwrap();
        assert_eq!(jti.get_version_num(), 4);
        jtis.push(jti);
        let after = unix_now();
        assert!((before..=after).contains(&claims.iat), "{claims:?}");
        assert_eq!(claims.nbf, claims.iat);
        assert_eq!(claims.exp, claims.iat + 300);
    }
    assert_ne!(jtis[0], jtis[1], "each assertion needs a fresh jti");
}

#[tokio::test]
async fn pkcs1_keys_sign_too() {
    let key = test_key();
    let server = MockServer::start_async().await;
    let (_mock, captured) = token_endpoint(&server, "/token", Duration::ZERO, |_, _| {
        json_response(200, json!({"access_token": ACCESS_TOKEN}))
    })
    .await;
    let token_url = server.url("/token");
    // A certificate block before the key, as `openssl pkcs12 -nodes` writes it.
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\nTUlJQw==\n-----END CERTIFICATE-----\n{}",
        key.pkcs1_pem
    );
    let certificate = Certificate::from_pem(pem.as_bytes()).unwrap();
    let source = ClientCredentials::builder(
        token_url.as_str(),
        CLIENT_ID,
        ClientCredential::Certificate(certificate),
    )
    .allow_insecure_loopback()
    .build()
    .unwrap();

    source.fetch(&[]).await.unwrap();

    let fields = &captured.all()[0];
    let claims = verify_assertion(field(fields, "client_assertion").unwrap(), &token_url);
    assert_eq!(claims.aud, token_url);
    let header = jsonwebtoken::decode_header(field(fields, "client_assertion").unwrap()).unwrap();
    assert_eq!(header.x5t, None);
}

#[test]
fn invalid_private_keys_are_refused() {
    let key = test_key();
    // The public key, a truncated private key and text without PEM.
    let truncated: String = key.pkcs8_pem.lines().take(5).collect::<Vec<_>>().join("\n")
        + "\n-----END PRIVATE KEY-----\n";
    for pem in [
        key.public_pem.as_str(),
        truncated.as_str(),
        "not pem at all",
    ] {
        let error = Certificate::from_pem(pem.as_bytes()).unwrap_err();
        assert!(
            matches!(error, AuthError::InvalidPrivateKey { .. }),
            "{error:?}"
        );
        assert_error_redacted(&error);
    }
}

#[tokio::test]
async fn resource_replaces_scope_and_tenant_placeholder_is_filled() {
    let server = MockServer::start_async().await;
    let (mock, captured) = token_endpoint(
        &server,
        "/contoso.onmicrosoft.com/oauth2/token",
        Duration::ZERO,
        |_, _| {
            json_response(
                200,
                json!({"access_token": ACCESS_TOKEN, "expires_in": "3599", "token_type": "Bearer"}),
            )
        },
    )
    .await;
    let template = format!("{}/{{tenantId}}/oauth2/token", server.base_url());
    let source = ClientCredentials::builder(
        template,
        CLIENT_ID,
        ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
    )
    .url_parameter("tenantId", "contoso.onmicrosoft.com")
    .resource(PARTNER_CENTER)
    .allow_insecure_loopback()
    .build()
    .unwrap();

    let token = source.fetch(&["ignored.scope"]).await.unwrap();

    assert_eq!(token.secret().expose(), ACCESS_TOKEN);
    mock.assert_calls_async(1).await;
    assert_eq!(
        captured.all(),
        vec![expected(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("resource", PARTNER_CENTER),
        ])]
    );
}

#[test]
fn unfilled_placeholder_is_an_error() {
    let error = ClientCredentials::builder(
        "https://login.microsoftonline.com/{tenantId}/oauth2/token",
        CLIENT_ID,
        ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
    )
    .url_parameter("tenant", "contoso.onmicrosoft.com")
    .build()
    .unwrap_err();

    match &error {
        AuthError::UnresolvedPlaceholder { url, name } => {
            assert_eq!(name, "tenantId");
            assert_eq!(
                url,
                "https://login.microsoftonline.com/{tenantId}/oauth2/token"
            );
        }
        other => panic!("unexpected error: {other:?}"),
    }
    assert!(error.to_string().contains("{tenantId}"), "{error}");
    assert_error_redacted(&error);

    let error = RefreshToken::builder(
        "https://login.microsoftonline.com/{tenantId}/oauth2/token",
        CLIENT_ID,
        Secret::new(REFRESH_TOKEN),
    )
    .build()
    .unwrap_err();
    assert!(matches!(error, AuthError::UnresolvedPlaceholder { .. }));
    assert_error_redacted(&error);
}

#[tokio::test]
async fn refresh_token_grant_keeps_the_rotated_token() {
    let server = MockServer::start_async().await;
    let (mock, captured) = token_endpoint(
        &server,
        "/contoso.onmicrosoft.com/oauth2/token",
        Duration::ZERO,
        |n, _| {
            if n == 1 {
                json_response(
                    200,
                    json!({
                        "access_token": ACCESS_TOKEN,
                        "expires_in": "3600",
                        "refresh_token": ROTATED_REFRESH_TOKEN,
                    }),
                )
            } else {
                // No new refresh token: the rotated one stays.
                json_response(
                    200,
                    json!({"access_token": ACCESS_TOKEN, "expires_in": "3600"}),
                )
            }
        },
    )
    .await;
    let source = Arc::new(
        RefreshToken::builder(
            format!("{}/{{tenantId}}/oauth2/token", server.base_url()),
            CLIENT_ID,
            Secret::new(REFRESH_TOKEN),
        )
        .client_secret(Secret::new(CLIENT_SECRET))
        .url_parameter("tenantId", "contoso.onmicrosoft.com")
        .resource(PARTNER_CENTER)
        .allow_insecure_loopback()
        .build()
        .unwrap(),
    );
    assert_eq!(source.current_refresh_token().await.expose(), REFRESH_TOKEN);

    let first = source.fetch(&[]).await.unwrap();
    assert_eq!(first.secret().expose(), ACCESS_TOKEN);
    assert_eq!(
        source.current_refresh_token().await.expose(),
        ROTATED_REFRESH_TOKEN
    );
    // Through a cache that shares the source, as a client would hold it.
    let cache = TokenCache::from_arc(source.clone());
    cache.token(&[]).await.unwrap();

    mock.assert_calls_async(2).await;
    let requests = captured.all();
    let redeemed = |refresh_token| {
        expected(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("resource", PARTNER_CENTER),
        ])
    };
    assert_eq!(requests[0], redeemed(REFRESH_TOKEN));
    assert_eq!(requests[1], redeemed(ROTATED_REFRESH_TOKEN));
    assert_eq!(
        source.current_refresh_token().await.expose(),
        ROTATED_REFRESH_TOKEN
    );
    assert_redacted(&format!("{source:?} {cache:?}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_concurrent_calls_on_a_cold_cache_fetch_once() {
    let server = MockServer::start_async().await;
    // The delay keeps the fetch in flight while every task piles up behind it.
    let (mock, _) = token_endpoint(&server, "/token", Duration::from_millis(300), |_, _| {
        json_response(
            200,
            json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}),
        )
    })
    .await;
    let cache = TokenCache::new(secret_credentials(&server.url("/token")));

    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.token(&["scope.a"]).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().expose(), ACCESS_TOKEN);
    }

    mock.assert_calls_async(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_failure() {
    let server = MockServer::start_async().await;
    let (mock, _) = token_endpoint(&server, "/token", Duration::from_millis(500), |_, _| {
        json_response(400, json!({"error": "invalid_client"}))
    })
    .await;
    let cache = TokenCache::new(secret_credentials(&server.url("/token")));

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.token(&["scope.a"]).await })
        })
        .collect();
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert!(matches!(error, AuthError::Rejected { .. }), "{error:?}");
    }
    mock.assert_calls_async(1).await;

    // A later call is not a waiter: it tries again.
    assert!(cache.token(&["scope.a"]).await.is_err());
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn expired_tokens_are_fetched_again() {
    let server = MockServer::start_async().await;
    let (mock, _) = token_endpoint(&server, "/token", Duration::ZERO, |n, _| {
        json_response(
            200,
            json!({"access_token": format!("token-{n}"), "expires_in": 2}),
        )
    })
    .await;
    let cache = TokenCache::new(secret_credentials(&server.url("/token")));

    assert_eq!(cache.token(&["s"]).await.unwrap().expose(), "token-1");
    // A two-second token is shorter than the 60 s margin, yet still reused
    // for half its life rather than fetched on every call.
    assert_eq!(cache.token(&["s"]).await.unwrap().expose(), "token-1");
    mock.assert_calls_async(1).await;

    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(cache.token(&["s"]).await.unwrap().expose(), "token-2");
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn tokens_are_replaced_within_the_refresh_margin() {
    let server = MockServer::start_async().await;
    let (mock, _) = token_endpoint(&server, "/token", Duration::ZERO, |n, _| {
        json_response(
            200,
            json!({"access_token": format!("token-{n}"), "expires_in": 3}),
        )
    })
    .await;
    let cache = TokenCache::new(secret_credentials(&server.url("/token")))
        .with_refresh_margin(Duration::from_millis(1400));

    assert_eq!(cache.token(&["s"]).await.unwrap().expose(), "token-1");
    assert_eq!(cache.token(&["s"]).await.unwrap().expose(), "token-1");
    // 1.7 s in, token-1 is valid for 1.3 s more: inside the 1.4 s margin.
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert_eq!(cache.token(&["s"]).await.unwrap().expose(), "token-2");
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn scope_sets_are_cached_separately() {
    let server = MockServer::start_async().await;
    let (mock, _) = token_endpoint(&server, "/token", Duration::ZERO, |_, fields| {
        let scope = field(fields, "scope").unwrap_or_default().replace(' ', "+");
        json_response(200, json!({"access_token": format!("token-for-{scope}")}))
    })
    .await;
    let cache = TokenCache::new(secret_credentials(&server.url("/token")));

    assert_eq!(cache.token(&["a"]).await.unwrap().expose(), "token-for-a");
    assert_eq!(cache.token(&["b"]).await.unwrap().expose(), "token-for-b");
    assert_eq!(cache.token(&["a"]).await.unwrap().expose(), "token-for-a");
    assert_eq!(
        cache.token(&["a", "b"]).await.unwrap().expose(),
        "token-for-a+b"
    );
    // The same set in another order shares the token.
    assert_eq!(
        cache.token(&["b", "a"]).await.unwrap().expose(),
        "token-for-a+b"
    );
    mock.assert_calls_async(3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalidate_refreshes_once_for_a_burst_of_rejections() {
    let server = MockServer::start_async().await;
    let (mock, _) = token_endpoint(&server, "/token", Duration::from_millis(100), |n, _| {
        json_response(200, json!({"access_token": format!("token-{n}")}))
    })
    .await;
    let cache = TokenCache::new(secret_credentials(&server.url("/token")));
    let scopes = ["scope.a"];
    let stale = cache.token(&scopes).await.unwrap();
    assert_eq!(stale.expose(), "token-1");

    // Twenty requests were all answered 401 for the same token.
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (cache, stale) = (cache.clone(), stale.clone());
            tokio::spawn(async move {
                cache.invalidate(&["scope.a"], &stale).await;
                cache.token(&["scope.a"]).await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().expose(), "token-2");
    }
    mock.assert_calls_async(2).await;

    // A late 401 for the old token leaves the new one alone.
    cache.invalidate(&scopes, &stale).await;
    assert_eq!(cache.token(&scopes).await.unwrap().expose(), "token-2");
    // Invalidating a scope set that was never fetched does nothing either.
    cache.invalidate(&["never.fetched"], &stale).await;
    mock.assert_calls_async(2).await;
}

#[test]
fn only_https_token_urls_are_accepted() {
    let build = |url: &str, loopback: bool| {
        let builder = ClientCredentials::builder(
            url,
            CLIENT_ID,
            ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
        );
        let builder = if loopback {
            builder.allow_insecure_loopback()
        } else {
            builder
        };
        builder.build()
    };
    let insecure = |result: Result<ClientCredentials, AuthError>| match result {
        Err(error @ AuthError::InsecureUrl { .. }) => {
            assert_error_redacted(&error);
            true
        }
        _ => false,
    };

    assert!(build(
        "https://identity.avepointonlineservices.com/connect/token",
        false
    )
    .is_ok());
    assert!(insecure(build("http://example.com/token", false)));
    assert!(insecure(build("http://127.0.0.1:8080/token", false)));
    assert!(build("http://127.0.0.1:8080/token", true).is_ok());
    assert!(build("http://localhost:8080/token", true).is_ok());
    assert!(build("http://[::1]:8080/token", true).is_ok());
    assert!(insecure(build("http://example.com/token", true)));
    assert!(insecure(build("http://10.0.0.1/token", true)));
    assert!(insecure(build("ftp://127.0.0.1/token", true)));

    let error = build("not a url", false).unwrap_err();
    assert!(matches!(error, AuthError::InvalidUrl { .. }), "{error:?}");
    assert!(error.to_string().contains("not a url"), "{error}");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start_async().await;
    let elsewhere = server
        .mock_async(|when, then| {
            when.path("/elsewhere");
            then.status(200)
                .json_body(json!({"access_token": ACCESS_TOKEN}));
        })
        .await;
    let _redirect = server
        .mock_async(|when, then| {
            when.path("/token");
            then.status(307)
                .header("location", server.url("/elsewhere"));
        })
        .await;
    let source = secret_credentials(&server.url("/token"));

    let error = source.fetch(&[]).await.unwrap_err();

    assert_eq!(
        error.status(),
        Some(reqwest::StatusCode::TEMPORARY_REDIRECT)
    );
    elsewhere.assert_calls_async(0).await;
    assert_error_redacted(&error);
}

#[tokio::test]
async fn oauth_error_response_names_status_and_code() {
    let server = MockServer::start_async().await;
    let _mock = token_endpoint(&server, "/token", Duration::ZERO, |_, _| {
        // A server that echoes the secret back must not get it into the error.
        json_response(
            400,
            json!({
                "error": "invalid_client",
                "error_description": format!("AADSTS7000215: secret {CLIENT_SECRET} is not valid"),
            }),
        )
    })
    .await;
    let token_url = server.url("/token");
    let source = secret_credentials(&token_url);

    let error = source.fetch(&["s"]).await.unwrap_err();

    match &error {
        AuthError::Rejected {
            url,
            status,
            error,
            error_description,
        } => {
            assert_eq!(url, &token_url);
            assert_eq!(status.as_u16(), 400);
            assert_eq!(error, "invalid_client");
            assert_eq!(
                error_description.as_deref(),
                Some("AADSTS7000215: secret *** is not valid")
            );
        }
        other => panic!("unexpected error: {other:?}"),
    }
    let message = error.to_string();
    for part in [token_url.as_str(), "400", "invalid_client", "AADSTS7000215"] {
        assert!(message.contains(part), "{part:?} missing in: {message}");
    }
    assert_error_redacted(&error);
}

#[tokio::test]
async fn non_json_server_error_keeps_a_bounded_excerpt() {
    let server = MockServer::start_async().await;
    let body = format!(
        "<html><body>upstream failure {}</body></html>",
        "x".repeat(2000)
    );
    let response_body = body.clone();
    let _mock = token_endpoint(&server, "/token", Duration::ZERO, move |_, _| {
        HttpMockResponse::builder()
            .status(500)
            .header("content-type", "text/html")
            .body(response_body.clone())
            .build()
    })
    .await;
    let token_url = server.url("/token");
    let source = secret_credentials(&token_url);

    let error = source.fetch(&["s"]).await.unwrap_err();

    match &error {
        AuthError::UnexpectedResponse {
            url,
            status,
            excerpt,
            ..
        } => {
            assert_eq!(url, &token_url);
            assert_eq!(status.as_u16(), 500);
            assert_eq!(excerpt.len(), 512);
            assert!(body.starts_with(excerpt.as_str()));
        }
        other => panic!("unexpected error: {other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains("500"), "{message}");
    assert!(message.contains("upstream failure"), "{message}");
    assert!(message.contains(&token_url), "{message}");
    assert_error_redacted(&error);
}

#[tokio::test]
async fn unusable_success_responses_never_show_the_token() {
    let server = MockServer::start_async().await;
    let _mock = token_endpoint(&server, "/token", Duration::ZERO, |n, _| match n {
        1 => json_response(
            200,
            json!({"access_token": ACCESS_TOKEN, "expires_in": "soon", "id_token": ACCESS_TOKEN}),
        ),
        2 => json_response(200, json!({"token": ACCESS_TOKEN})),
        _ => HttpMockResponse::builder()
            .status(200)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("access_token={ACCESS_TOKEN}&expires_in=3600"))
            .build(),
    })
    .await;
    let source = secret_credentials(&server.url("/token"));

    for reason in [
        "expires_in is not a whole number",
        "no access_token",
        "not json",
    ] {
        let error = source.fetch(&["s"]).await.unwrap_err();
        assert!(
            matches!(error, AuthError::UnexpectedResponse { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains(reason), "{error}");
        assert_error_redacted(&error);
    }
}

#[tokio::test]
async fn transport_failures_name_the_url() {
    // Bind and drop a listener to get a loopback port nobody listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let token_url = format!("http://127.0.0.1:{port}/token");
    let source = secret_credentials(&token_url);

    let error = source.fetch(&["s"]).await.unwrap_err();

    assert!(matches!(error, AuthError::Transport { .. }), "{error:?}");
    assert!(error.to_string().contains(&token_url), "{error}");
    assert!(error.source().is_some());
    assert_error_redacted(&error);
}

#[tokio::test]
async fn nothing_formats_a_secret() {
    let key = test_key();
    let server = MockServer::start_async().await;
    let _mock = token_endpoint(&server, "/token", Duration::ZERO, |_, _| {
        json_response(
            200,
            json!({"access_token": ACCESS_TOKEN, "refresh_token": ROTATED_REFRESH_TOKEN}),
        )
    })
    .await;
    let url = server.url("/token");

    let secret = Secret::new(CLIENT_SECRET);
    let certificate = Certificate::from_pem(key.pkcs8_pem.as_bytes()).unwrap();
    let by_secret = ClientCredential::Secret(secret.clone());
    let by_certificate = ClientCredential::Certificate(certificate.clone());
    let secret_builder = ClientCredentials::builder(url.as_str(), CLIENT_ID, by_secret.clone())
        .allow_insecure_loopback();
    let certificate_builder =
        ClientCredentials::builder(url.as_str(), CLIENT_ID, by_certificate.clone())
            .allow_insecure_loopback();
    let refresh_builder =
        RefreshToken::builder(url.as_str(), CLIENT_ID, Secret::new(REFRESH_TOKEN))
            .client_secret(secret.clone())
            .allow_insecure_loopback();
    let shown_builders = format!("{secret_builder:?} {certificate_builder:?} {refresh_builder:?}");
    let with_secret = secret_builder.build().unwrap();
    let with_certificate = certificate_builder.build().unwrap();
    let refresh = Arc::new(refresh_builder.build().unwrap());
    let cache = TokenCache::new(with_certificate);
    let refresh_cache = TokenCache::from_arc(refresh.clone());
    let token = with_secret.fetch(&[]).await.unwrap();
    cache.token(&["s"]).await.unwrap();
    refresh_cache.token(&["s"]).await.unwrap();

    assert_redacted(&shown_builders);
    assert_redacted(&format!(
        "{secret:?} {secret} {certificate:?} {by_secret:?} {by_certificate:?} \
         {with_secret:?} {refresh:?} {cache:?} {refresh_cache:?} {token:?}"
    ));
    // The values are still there, just not printed.
    assert_eq!(secret.expose(), CLIENT_SECRET);
    assert_eq!(token.secret().expose(), ACCESS_TOKEN);
    assert_eq!(
        refresh.current_refresh_token().await.expose(),
        ROTATED_REFRESH_TOKEN
    );
}

#[test]
fn types_can_cross_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<TokenCache>();
    send_sync::<AuthError>();
    send_sync::<ClientCredentials>();
    send_sync::<RefreshToken>();
    send_sync::<Secret>();
    send_sync::<AccessToken>();

    let cache = TokenCache::new(secret_credentials("http://127.0.0.1:9/token"));
    // The futures are what clients hold across `.await` in spawned tasks.
    send(&cache.token(&[]));
    send(&cache.invalidate(&[], &Secret::new("x")));
}
