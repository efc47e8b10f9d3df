//! The production layers of the runtime (tokens, retries, request ids,
//! paging, forward-compatible decoding, typed errors, path checks and
//! redaction), exercised end to end through the generated clients against
//! real HTTP servers on loopback: httpmock where matching and hit counts
//! suffice, the [`recorder`](crate::recorder) where every request has to be
//! seen as sent or answered from a script.
//!
//! Every credential and token is a distinctive sentinel string, so the
//! redaction checks can look for it in everything that gets formatted.
//! Retries wait a millisecond, so the suite stays fast; the one test that
//! honours `Retry-After: 1` waits that second.

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use avepoint_graph::runtime::auth::{
    Certificate, ClientCredential, ClientCredentials, RefreshToken, Secret,
};
use avepoint_graph::runtime::{BuildError, Error, RetryPolicy};
use futures::StreamExt;
use httpmock::prelude::*;
use partner_center::uuid::Uuid;
use serde_json::{json, Value};

use crate::recorder::{Recorder, Reply};

const CLIENT_ID: &str = "client-id-4711";
const CLIENT_SECRET: &str = "client-secret-SENTINEL-5e1f";
const ACCESS_TOKEN: &str = "access-token-SENTINEL-1-a11c";
const NEW_ACCESS_TOKEN: &str = "access-token-SENTINEL-2-b0b0";
const REFRESH_TOKEN: &str = "refresh-token-SENTINEL-c0de";
/// Every sentinel; none may appear in anything the client formats.
const SENTINELS: [&str; 5] = [
    CLIENT_SECRET,
    ACCESS_TOKEN,
    NEW_ACCESS_TOKEN,
    REFRESH_TOKEN,
    "SENTINEL",
];
const TOKEN_PATH: &str = "/connect/token";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const PARTNER_CENTER_RESOURCE: &str = "https://api.partnercenter.microsoft.com";
/// A customer tenant id for the Partner Center calls.
const TENANT: &str = "0a3f5c2e-9d41-4b7a-8e6f-1c2d3e4f5a6b";

/// Retries that wait about a millisecond, so the tests stay fast.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(4))
}

/// A successful token response carrying `token`.
fn token_response(token: &str) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(
            json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600}).to_string(),
        )
        .build()
}

/// A client-secret token source for the loopback token endpoint `url`.
fn secret_source(url: &str) -> ClientCredentials {
    ClientCredentials::builder(
        url,
        CLIENT_ID,
        ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
    )
    .allow_insecure_loopback()
    .build()
    .expect("loopback token url is accepted")
}

/// An AvePoint client for `base` that obtains tokens from the client-secret
/// source at `token_url` for the `elementsCommercial` scheme.
fn avepoint_client(base: &str, token_url: &str) -> avepoint_graph::Client {
    avepoint_graph::Client::builder(base)
        .auth(
            &avepoint_graph::schemes::ELEMENTS_COMMERCIAL,
            secret_source(token_url),
        )
        .retry(fast_retries())
        .build()
        .expect("client builds")
}

/// An AvePoint client for `base` without authentication, with `policy`.
fn plain_avepoint(base: &str, policy: RetryPolicy) -> avepoint_graph::Client {
    avepoint_graph::Client::builder(base)
        .retry(policy)
        .build()
        .expect("client builds")
}

/// A Partner Center client for `base` without authentication, with `policy`.
fn plain_partner_center(base: &str, policy: RetryPolicy) -> partner_center::Client {
    partner_center::Client::builder(base)
        .retry(policy)
        .build()
        .expect("client builds")
}

/// Decodes an `application/x-www-form-urlencoded` body into sorted pairs.
fn form_fields(body: &str) -> Vec<(String, String)> {
    // A URL query uses the same encoding, and `Url` is already at hand.
    let url = reqwest::Url::parse(&format!("http://form.invalid/?{body}")).expect("form body");
    let mut fields: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    fields.sort();
    fields
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Fails if `shown` contains any sentinel credential or token.
fn assert_no_secret(shown: &str) {
    for sentinel in SENTINELS {
        assert!(!shown.contains(sentinel), "{sentinel:?} leaked in: {shown}");
    }
}

/// Checks `Display` and `Debug` of an error and of every error in its chain.
fn assert_error_hides_secrets<E: fmt::Debug>(error: &Error<E>) {
    assert_no_secret(&format!("{error} / {error:?}"));
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        assert_no_secret(&format!("{inner} / {inner:?}"));
        source = inner.source();
    }
}

/// A page of the AvePoint batch listing with the customers `ids`.
fn batch_page(ids: &[&str], page_index: i64, total: Option<i64>) -> Value {
    let data: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "jobStatus": 1, "managementMode": 1}))
        .collect();
    let mut metadata = json!({"pageIndex": page_index, "pageSize": 2});
    if let Some(total) = total {
        metadata["totalCount"] = json!(total);
    }
    json!({"data": data, "metadata": metadata})
}

// --- 1-3: tokens through the client --------------------------------------

/// AvePoint with a client secret: the client asks the token endpoint for
/// the scope the spec names for each operation (`partner.customers.read.all`
/// for `getCustomer`, `elements.customers.read.all` for
/// `listCustomers`), sends each token as `Authorization: Bearer` to the
/// operation that needed it, and caches tokens per scope set (a second
/// `getCustomer` fetches nothing). The scheme's own builder targets the
/// documented https token URL.
#[tokio::test]
async fn avepoint_client_secret_token_carries_the_operations_scope() {
    let scheme_source = avepoint_graph::schemes::ELEMENTS_COMMERCIAL
        .client_credentials(
            CLIENT_ID,
            ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
        )
        .build()
        .expect("the scheme's https token url is accepted");
    let shown = format!("{scheme_source:?}");
    assert!(
        shown.contains("https://identity.avepointonlineservices.com/connect/token"),
        "{shown}"
    );
    assert_no_secret(&shown);

    let idp = MockServer::start_async().await;
    let token_for = |scope: &'static str, token: &'static str| {
        idp.mock_async(move |when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET)
                .form_urlencoded_tuple("scope", scope)
                .form_urlencoded_tuple_count(".*", ".*", 4);
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"access_token": token, "expires_in": 3600}));
        })
    };
    let customer_token = token_for("partner.customers.read.all", ACCESS_TOKEN).await;
    let batch_token = token_for("elements.customers.read.all", NEW_ACCESS_TOKEN).await;

    let api = MockServer::start_async().await;
    let customer = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/partner/customers/c-1")
                .header("authorization", format!("Bearer {ACCESS_TOKEN}"));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"id": "c-1", "organization": "Contoso"}));
        })
        .await;
    let batch = api
        .mock_async(|when, then| {
            when.method(POST)
                .path("/partner/external/v3/general/customers/batch")
                .header("authorization", format!("Bearer {NEW_ACCESS_TOKEN}"));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(batch_page(&["c-1"], 1, Some(1)));
        })
        .await;

    let client = avepoint_client(&api.base_url(), &idp.url(TOKEN_PATH));
    let got = client.get_customer().id("c-1").send().await;
    let got = got.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    assert_eq!(got.into_inner().organization.as_deref(), Some("Contoso"));
    let page = client.list_customers().send().await;
    let page = page.unwrap_or_else(|e| panic!("listCustomers: {e}"));
    assert_eq!(page.into_inner().data.map(|d| d.len()), Some(1));
    client
        .get_customer()
        .id("c-1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("second getCustomer: {e}"));

    customer_token.assert_calls_async(1).await;
    batch_token.assert_calls_async(1).await;
    customer.assert_calls_async(2).await;
    batch.assert_calls_async(1).await;
}

/// AvePoint with a certificate: the token request carries
/// `client_assertion_type` (JWT bearer) and a `client_assertion` that is an
/// RS256 JWT signed by the configured key, issued and subject the client id,
/// addressed to the token URL; no `client_secret`. The client's `Debug`
/// shows no line of the private key.
#[tokio::test]
async fn avepoint_certificate_credential_sends_a_signed_client_assertion() {
    use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};

    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("rsa key");
    let private_pem = key.to_pkcs8_pem(LineEnding::LF).expect("pkcs8 pem");
    let public_pem = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("public pem");

    let idp = MockServer::start_async().await;
    let forms = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&forms);
    let token = idp
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.respond_with(move |request| {
                sink.lock()
                    .unwrap()
                    .push(form_fields(&request.body_string()));
                token_response(ACCESS_TOKEN)
            });
        })
        .await;
    let api = MockServer::start_async().await;
    let customer = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/partner/customers/c-1")
                .header("authorization", format!("Bearer {ACCESS_TOKEN}"));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"id": "c-1"}));
        })
        .await;

    let token_url = idp.url(TOKEN_PATH);
    let certificate = Certificate::from_pem(private_pem.as_bytes()).expect("certificate");
    let source = ClientCredentials::builder(
        token_url.as_str(),
        CLIENT_ID,
        ClientCredential::Certificate(certificate),
    )
    .allow_insecure_loopback()
    .build()
    .expect("token source");
    let client = avepoint_graph::Client::builder(api.base_url())
        .auth(&avepoint_graph::schemes::ELEMENTS_COMMERCIAL, source)
        .retry(fast_retries())
        .build()
        .expect("client builds");
    let shown = format!("{client:?}");
    for line in private_pem.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            !shown.contains(line),
            "key line {line:?} leaked in: {shown}"
        );
    }

    let result = client.get_customer().id("c-1").send().await;
    result.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    token.assert_calls_async(1).await;
    customer.assert_calls_async(1).await;

    let forms = forms.lock().unwrap().clone();
    let fields = &forms[0];
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
    assert_eq!(field(fields, "client_assertion_type"), Some(JWT_BEARER));
    assert_eq!(field(fields, "scope"), Some("partner.customers.read.all"));

    #[derive(serde::Deserialize)]
    struct Claims {
        iss: String,
        sub: String,
        aud: String,
    }
    let assertion = field(fields, "client_assertion").expect("client_assertion");
    let decoding = jsonwebtoken::DecodingKey::from_rsa_pem(public_pem.as_bytes()).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[token_url.as_str()]);
    let claims = jsonwebtoken::decode::<Claims>(assertion, &decoding, &validation)
        .unwrap_or_else(|e| panic!("assertion does not verify: {e}"))
        .claims;
    assert_eq!(
        (
            claims.iss.as_str(),
            claims.sub.as_str(),
            claims.aud.as_str()
        ),
        (CLIENT_ID, CLIENT_ID, token_url.as_str())
    );
}

/// Partner Center app-only: with the `partnerCenterAppOnly` scheme the
/// token request is `grant_type=client_credentials` with
/// `resource=https://api.partnercenter.microsoft.com` and no `scope` field
/// (Entra ID v1), and the API request carries the token. The scheme's own
/// builder fills `{tenantId}` of the documented token URL and the resource.
#[tokio::test]
async fn partner_center_app_only_token_asks_for_the_resource_not_a_scope() {
    let scheme_source = partner_center::schemes::PARTNER_CENTER_APP_ONLY
        .client_credentials(
            CLIENT_ID,
            ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
        )
        .url_parameter("tenantId", "contoso.onmicrosoft.com")
        .build()
        .expect("the scheme's https token url is accepted");
    let shown = format!("{scheme_source:?}");
    assert!(
        shown.contains("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token")
            && shown.contains(PARTNER_CENTER_RESOURCE),
        "{shown}"
    );

    let idp = MockServer::start_async().await;
    let token = idp
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET)
                .form_urlencoded_tuple("resource", PARTNER_CENTER_RESOURCE)
                .form_urlencoded_tuple_missing("scope")
                .form_urlencoded_tuple_count(".*", ".*", 4);
            then.status(200)
                .header("content-type", "application/json")
                // Entra ID v1 sends the lifetime as a string.
                .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": "3599"}));
        })
        .await;
    let api = MockServer::start_async().await;
    let customer = api
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/customers/{TENANT}"))
                .header("authorization", format!("Bearer {ACCESS_TOKEN}"));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"id": TENANT}));
        })
        .await;

    let source = ClientCredentials::builder(
        idp.url(TOKEN_PATH),
        CLIENT_ID,
        ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
    )
    .resource(PARTNER_CENTER_RESOURCE)
    .allow_insecure_loopback()
    .build()
    .expect("token source");
    let client = partner_center::Client::builder(api.base_url())
        .auth(&partner_center::schemes::PARTNER_CENTER_APP_ONLY, source)
        .retry(fast_retries())
        .build()
        .expect("client builds");
    let result = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await;
    result.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    token.assert_calls_async(1).await;
    customer.assert_calls_async(1).await;
}

/// Partner Center app + user: with the `partnerCenterAppUser` scheme and a
/// refresh-token source the token request is `grant_type=refresh_token`
/// with the stored refresh token and the resource (no `scope`, although the
/// spec names `user_impersonation`), and the API request carries the token.
#[tokio::test]
async fn partner_center_app_user_redeems_the_refresh_token() {
    let idp = MockServer::start_async().await;
    let token = idp
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .form_urlencoded_tuple("grant_type", "refresh_token")
                .form_urlencoded_tuple("refresh_token", REFRESH_TOKEN)
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("resource", PARTNER_CENTER_RESOURCE)
                .form_urlencoded_tuple_missing("scope")
                .form_urlencoded_tuple_count(".*", ".*", 4);
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}));
        })
        .await;
    let api = MockServer::start_async().await;
    let list = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/customers")
                .query_param("size", "5")
                .header("authorization", format!("Bearer {ACCESS_TOKEN}"));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"totalCount": 1, "items": [{"id": TENANT}]}));
        })
        .await;

    let source = RefreshToken::builder(idp.url(TOKEN_PATH), CLIENT_ID, Secret::new(REFRESH_TOKEN))
        .resource(PARTNER_CENTER_RESOURCE)
        .allow_insecure_loopback()
        .build()
        .expect("token source");
    let client = partner_center::Client::builder(api.base_url())
        .auth(&partner_center::schemes::PARTNER_CENTER_APP_USER, source)
        .retry(fast_retries())
        .build()
        .expect("client builds");
    let page = client.list_customers().size(5).send().await;
    let page = page.unwrap_or_else(|e| panic!("listCustomers: {e}"));
    assert_eq!(page.into_inner().items.map(|i| i.len()), Some(1));
    token.assert_calls_async(1).await;
    list.assert_calls_async(1).await;
}

/// Tokens travel only over https or to this machine: a client with
/// authentication for a plain-http base URL on another host is refused
/// when built (`BuildError::InsecureBaseUrl`), while https, loopback http
/// and plain http without authentication are accepted; a security scheme
/// of another API is refused too (`BuildError::UnknownScheme`).
#[test]
fn the_client_builder_refuses_insecure_hosts_and_foreign_schemes() {
    let build = |base: &str| {
        avepoint_graph::Client::builder(base)
            .auth(
                &avepoint_graph::schemes::ELEMENTS_COMMERCIAL,
                secret_source("http://127.0.0.1:9/connect/token"),
            )
            .build()
    };
    let refused = build("http://api.example.com");
    assert!(
        matches!(&refused, Err(BuildError::InsecureBaseUrl { url }) if url == "http://api.example.com"),
        "{refused:?}"
    );
    for base in [
        "https://api.example.com",
        "http://127.0.0.1:9",
        "http://localhost:9",
    ] {
        build(base).unwrap_or_else(|e| panic!("{base}: {e}"));
    }
    avepoint_graph::Client::builder("http://api.example.com")
        .build()
        .expect("no token, no https requirement");

    let foreign = avepoint_graph::Client::builder("https://api.example.com")
        .auth(
            &partner_center::schemes::PARTNER_CENTER_APP_ONLY,
            secret_source("http://127.0.0.1:9/connect/token"),
        )
        .build();
    assert!(
        matches!(&foreign, Err(BuildError::UnknownScheme { scheme }) if scheme == "partnerCenterAppOnly"),
        "{foreign:?}"
    );
}

// --- 4-5: the token cache under load and after a 401 ---------------------

/// Single flight: 100 concurrent `getCustomer` calls on a cold cache (the
/// token endpoint answers slowly, so all of them wait for it) cause exactly
/// one token request, and all 100 API requests go out with that token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_concurrent_calls_fetch_one_token() {
    let idp = MockServer::start_async().await;
    let token = idp
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.delay(Duration::from_millis(200))
                .status(200)
                .header("content-type", "application/json")
                .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}));
        })
        .await;
    let api = MockServer::start_async().await;
    let customer = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/partner/customers/c-1")
                .header("authorization", format!("Bearer {ACCESS_TOKEN}"));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"id": "c-1"}));
        })
        .await;

    let client = avepoint_client(&api.base_url(), &idp.url(TOKEN_PATH));
    let calls = (0..100).map(|_| client.get_customer().id("c-1").send());
    let results = futures::future::join_all(calls).await;
    for result in results {
        result.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    }
    token.assert_calls_async(1).await;
    customer.assert_calls_async(100).await;
}

/// A token endpoint that issues `ACCESS_TOKEN` first and `NEW_ACCESS_TOKEN`
/// afterwards, and `getCustomer` mocks that answer 401 to the first token
/// and `fresh_status` to the second. Returns the token, stale and fresh
/// mocks.
async fn rotating_token_setup<'a>(
    idp: &'a MockServer,
    api: &'a MockServer,
    fresh_status: u16,
) -> (httpmock::Mock<'a>, httpmock::Mock<'a>, httpmock::Mock<'a>) {
    let issued = Arc::new(AtomicUsize::new(0));
    let token = idp
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.respond_with(move |_| {
                let n = issued.fetch_add(1, Ordering::SeqCst);
                token_response(if n == 0 {
                    ACCESS_TOKEN
                } else {
                    NEW_ACCESS_TOKEN
                })
            });
        })
        .await;
    let stale = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/partner/customers/c-1")
                .header("authorization", format!("Bearer {ACCESS_TOKEN}"));
            then.status(401)
                .header("www-authenticate", "Bearer error=\"invalid_token\"");
        })
        .await;
    let fresh = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/partner/customers/c-1")
                .header("authorization", format!("Bearer {NEW_ACCESS_TOKEN}"));
            then.status(fresh_status)
                .header("content-type", "application/json")
                .json_body(json!({"id": "c-1"}));
        })
        .await;
    (token, stale, fresh)
}

/// A 401 makes the client drop the rejected token, fetch a new one and send
/// the request again with the new token: token endpoint and API are hit
/// twice each, and the second API request carries the new token.
#[tokio::test]
async fn a_401_refreshes_the_token_once_and_resends_with_the_new_one() {
    let (idp, api) = (
        MockServer::start_async().await,
        MockServer::start_async().await,
    );
    let (token, stale, fresh) = rotating_token_setup(&idp, &api, 200).await;
    let client = avepoint_client(&api.base_url(), &idp.url(TOKEN_PATH));
    let result = client.get_customer().id("c-1").send().await;
    let got = result.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    assert_eq!(got.into_inner().id.as_deref(), Some("c-1"));
    token.assert_calls_async(2).await;
    stale.assert_calls_async(1).await;
    fresh.assert_calls_async(1).await;
}

/// When the new token is rejected too, the 401 is returned after exactly one
/// refresh (token endpoint 2 hits, API 2 hits, the second with the new
/// token), and the error shows no credential or token.
#[tokio::test]
async fn a_persistent_401_is_returned_after_one_refresh() {
    let (idp, api) = (
        MockServer::start_async().await,
        MockServer::start_async().await,
    );
    let (token, stale, fresh) = rotating_token_setup(&idp, &api, 401).await;
    let client = avepoint_client(&api.base_url(), &idp.url(TOKEN_PATH));
    let error = client
        .get_customer()
        .id("c-1")
        .send()
        .await
        .expect_err("the API rejects every token");
    assert!(
        matches!(&error, Error::UndocumentedResponse(r) if r.status == 401),
        "{error:?}"
    );
    assert_error_hides_secrets(&error);
    token.assert_calls_async(2).await;
    stale.assert_calls_async(1).await;
    fresh.assert_calls_async(1).await;
}

// --- 6: retries -----------------------------------------------------------

/// `Retry-After` is honoured: with a policy whose computed backoff (at
/// least half an hour) could never fit in its 10 s budget, a 429 without
/// `Retry-After` is not retried, while a 429 with `Retry-After: 1` is
/// retried once and the call succeeds. Only the header can have made the
/// retry possible.
#[tokio::test]
async fn retry_after_is_honoured_when_the_computed_backoff_would_not_fit() {
    let hour = Duration::from_secs(3600);
    let policy = RetryPolicy::default()
        .with_initial_backoff(hour)
        .with_max_backoff(hour)
        .with_max_elapsed(Duration::from_secs(10));

    let without = Recorder::script(vec![
        Reply::status(429),
        Reply::json(200, &json!({"id": "c-1"})),
    ])
    .await;
    let client = plain_avepoint(without.base_url(), policy.clone());
    let error = client.get_customer().id("c-1").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429), "{error:?}");
    assert_eq!(without.hits(), 1, "the computed backoff must not fit");

    let with = Recorder::script(vec![
        Reply::status(429).header("retry-after", "1"),
        Reply::json(200, &json!({"id": "c-1"})),
    ])
    .await;
    let client = plain_avepoint(with.base_url(), policy);
    let result = client.get_customer().id("c-1").send().await;
    result.unwrap_or_else(|e| panic!("getCustomer after Retry-After: {e}"));
    assert_eq!(with.hits(), 2);
}

/// A 503 followed by a 200 is retried once and the call succeeds.
#[tokio::test]
async fn a_503_then_success_is_retried() {
    let server = Recorder::script(vec![
        Reply::status(503),
        Reply::json(200, &json!({"id": "c-1"})),
    ])
    .await;
    let client = plain_avepoint(server.base_url(), fast_retries());
    let result = client.get_customer().id("c-1").send().await;
    result.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    assert_eq!(server.hits(), 2);
}

/// 502 and 504 are retried like 503: 502, 504, 200 ends in success after
/// three sends.
#[tokio::test]
async fn bad_gateway_and_gateway_timeout_are_retried() {
    let server = Recorder::script(vec![
        Reply::status(502),
        Reply::status(504),
        Reply::json(200, &json!({"id": "c-1"})),
    ])
    .await;
    let client = plain_avepoint(server.base_url(), fast_retries());
    let result = client.get_customer().id("c-1").send().await;
    result.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    assert_eq!(server.hits(), 3);
}

/// Retries stop at `with_max_attempts(3)` (the default would allow 4): a
/// server that always answers 503 is hit exactly 3 times and the error
/// keeps status 503.
#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = Recorder::script(vec![Reply::status(503)]).await;
    let client = plain_avepoint(server.base_url(), fast_retries().with_max_attempts(3));
    let error = client.get_customer().id("c-1").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    assert_eq!(server.hits(), 3);
}

/// A `Retry-After` longer than the policy's `max_elapsed` ends the call at
/// once: `Retry-After: 3600` with a 5 s budget means exactly one send, and
/// the 429 is returned.
#[tokio::test]
async fn a_retry_after_beyond_max_elapsed_is_not_waited_for() {
    let server = Recorder::script(vec![Reply::status(429).header("retry-after", "3600")]).await;
    let policy = fast_retries().with_max_elapsed(Duration::from_secs(5));
    let client = plain_avepoint(server.base_url(), policy);
    let error = client.get_customer().id("c-1").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429), "{error:?}");
    assert_eq!(server.hits(), 1);
}

/// The batch POST is marked `x-idempotent: true`, and the client honours
/// it: a 503 is retried (two sends with the same body) although POST is not
/// idempotent by itself; with `RetryPolicy::none()` it is sent exactly once.
#[tokio::test]
async fn the_idempotent_batch_post_is_retried_unless_retries_are_off() {
    let replies = || {
        vec![
            Reply::status(503),
            Reply::json(200, &batch_page(&["c-1"], 1, Some(1))),
        ]
    };
    let body = avepoint_graph::types::CustomerBatchRequest {
        customer_ids: Some(vec!["c-1".into()]),
    };

    let server = Recorder::script(replies()).await;
    let client = plain_avepoint(server.base_url(), fast_retries());
    let result = client.list_customers().body(body.clone()).send().await;
    result.unwrap_or_else(|e| panic!("listCustomers: {e}"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.body, br#"{"customerIds":["c-1"]}"#);
    }

    let server = Recorder::script(replies()).await;
    let client = plain_avepoint(server.base_url(), RetryPolicy::none());
    let error = client.list_customers().body(body).send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    assert_eq!(server.hits(), 1);
}

/// Resolves every name to one address and counts the lookups: each new
/// connection attempt looks the host up once, so the count is the number
/// of attempts even when no server ever sees them.
struct CountingResolver {
    target: SocketAddr,
    lookups: Arc<AtomicUsize>,
}

impl reqwest::dns::Resolve for CountingResolver {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        let addrs: reqwest::dns::Addrs = Box::new(std::iter::once(self.target));
        Box::pin(async move { Ok(addrs) })
    }
}

/// A refused connection (a closed loopback port) is retried up to
/// `with_max_attempts(3)` (three connection attempts, counted by the DNS
/// resolver of the HTTP client) and ends in `Error::CommunicationError`
/// with a connect error.
#[tokio::test]
async fn a_refused_connection_is_retried_up_to_the_bound() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
        // Dropped here: nothing listens on the port any more.
    };
    let lookups = Arc::new(AtomicUsize::new(0));
    let http = reqwest::Client::builder()
        .no_proxy()
        .dns_resolver(Arc::new(CountingResolver {
            target: closed,
            lookups: Arc::clone(&lookups),
        }))
        .build()
        .expect("http client");
    let client =
        avepoint_graph::Client::builder(format!("http://closed-port.test:{}", closed.port()))
            .http_client(http)
            .retry(fast_retries().with_max_attempts(3))
            .build()
            .expect("client builds");
    let error = client.get_customer().id("c-1").send().await.unwrap_err();
    match &error {
        Error::CommunicationError(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected CommunicationError, got {other:?}"),
    }
    assert_eq!(lookups.load(Ordering::SeqCst), 3);
}

// --- 7: Partner Center request ids ----------------------------------------

/// The header `name` of each request, parsed as a UUID.
fn uuid_header(requests: &[crate::recorder::Recorded], name: &str) -> Vec<Uuid> {
    requests
        .iter()
        .map(|r| {
            let value = r
                .header(name)
                .unwrap_or_else(|| panic!("{} {} has no {name}", r.method, r.target));
            Uuid::parse_str(value).unwrap_or_else(|e| panic!("{name} {value:?}: {e}"))
        })
        .collect()
}

/// `MS-RequestId` identifies one call: the three sends of a call answered
/// 503, 503, 200 carry the same value, a valid version 4 UUID, and the next
/// call gets a different one.
#[tokio::test]
async fn ms_request_id_is_stable_across_retries_and_new_per_call() {
    let server = Recorder::script(vec![
        Reply::status(503),
        Reply::status(503),
        Reply::json(200, &json!({"id": TENANT})),
    ])
    .await;
    let client = plain_partner_center(server.base_url(), fast_retries());
    let tenant = Uuid::parse_str(TENANT).unwrap();
    for _ in 0..2 {
        let result = client
            .get_customer()
            .customer_tenant_id(tenant)
            .send()
            .await;
        result.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    }
    let ids = uuid_header(&server.requests(), "MS-RequestId");
    assert_eq!(
        ids.len(),
        4,
        "three sends for the first call, one for the second"
    );
    assert_eq!(ids[0].get_version_num(), 4, "{}", ids[0]);
    assert!(ids[1] == ids[0] && ids[2] == ids[0], "{ids:?}");
    assert_ne!(ids[3], ids[0], "{ids:?}");
}

/// `MS-CorrelationId` is filled with a fresh UUID per call (kept across the
/// retries of that call), and a value the caller sets with the builder's
/// `ms_correlation_id(..)` is sent unchanged on every send.
#[tokio::test]
async fn ms_correlation_id_is_fresh_per_call_and_the_callers_value_is_kept() {
    let server = Recorder::script(vec![
        Reply::status(503),
        Reply::json(200, &json!({"totalCount": 0, "items": []})),
        Reply::json(200, &json!({"totalCount": 0, "items": []})),
        Reply::status(503),
        Reply::json(200, &json!({"totalCount": 0, "items": []})),
    ])
    .await;
    let client = plain_partner_center(server.base_url(), fast_retries());
    let mine = Uuid::parse_str("5b8f7a3c-2d1e-4f6a-9b0c-7d8e9f0a1b2c").unwrap();
    client.list_customers().size(1).send().await.unwrap();
    client.list_customers().size(1).send().await.unwrap();
    client
        .list_customers()
        .size(1)
        .ms_correlation_id(mine)
        .send()
        .await
        .unwrap();

    let ids = uuid_header(&server.requests(), "MS-CorrelationId");
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert_eq!(ids[0], ids[1], "kept across the retry of the first call");
    assert_ne!(ids[2], ids[0], "fresh for the second call");
    assert_eq!(ids[0].get_version_num(), 4);
    assert_eq!(ids[2].get_version_num(), 4);
    assert_eq!(&ids[3..], [mine, mine], "the caller's value, on both sends");
}

/// Every attempt of a call is the same request: the three sends of a call
/// answered 503, 503, 200 carry the same target, `Accept`, the same bearer
/// token (the cache is asked once), and the same `MS-RequestId` and
/// `MS-CorrelationId`; the two filled-in ids differ from each other (they
/// come from one draw of random bytes) and both are version 4 UUIDs.
#[tokio::test]
async fn every_attempt_of_a_call_sends_the_same_request() {
    let idp = MockServer::start_async().await;
    let token = idp
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.respond_with(|_| token_response(ACCESS_TOKEN));
        })
        .await;
    let server = Recorder::script(vec![
        Reply::status(503),
        Reply::status(503),
        Reply::json(200, &json!({"id": TENANT})),
    ])
    .await;
    let source = ClientCredentials::builder(
        idp.url(TOKEN_PATH),
        CLIENT_ID,
        ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
    )
    .resource(PARTNER_CENTER_RESOURCE)
    .allow_insecure_loopback()
    .build()
    .expect("token source");
    let client = partner_center::Client::builder(server.base_url())
        .auth(&partner_center::schemes::PARTNER_CENTER_APP_ONLY, source)
        .retry(fast_retries())
        .build()
        .expect("client builds");
    let result = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await;
    result.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    token.assert_calls_async(1).await;

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, requests[0].target);
        assert_eq!(request.header("accept"), Some("application/json"));
        assert_eq!(request.header("authorization"), Some(bearer.as_str()));
    }
    let request_ids = uuid_header(&requests, "MS-RequestId");
    let correlation_ids = uuid_header(&requests, "MS-CorrelationId");
    assert!(
        request_ids.iter().all(|id| *id == request_ids[0]),
        "{request_ids:?}"
    );
    assert!(
        correlation_ids.iter().all(|id| *id == correlation_ids[0]),
        "{correlation_ids:?}"
    );
    assert_ne!(request_ids[0], correlation_ids[0]);
    assert_eq!(request_ids[0].get_version_num(), 4);
    assert_eq!(correlation_ids[0].get_version_num(), 4);
}

/// A retry keeps the client's per-request timeout: with
/// `ClientBuilder::timeout(300 ms)`, a server that answers 503, then never
/// answers the second send, then answers 200 makes a call that succeeds on
/// the third send, because the second timed out (and timeouts of an
/// idempotent `GET` are retried). An attempt that lost the timeout would
/// wait for the HTTP client's own (60 s); the guard below turns that into
/// a failure instead of a hang.
#[tokio::test]
async fn a_retried_attempt_keeps_the_clients_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let sends = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&sends);
    let server = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let mut seen = Vec::new();
                loop {
                    let Ok(n) = stream.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buf[..n]);
                    while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        seen.drain(..end + 4);
                        let reply: &[u8] = match counted.fetch_add(1, Ordering::SeqCst) + 1 {
                            1 => b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n",
                            // Holds the connection open without answering.
                            2 => std::future::pending().await,
                            _ => b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n{\"id\":\"c\"}",
                        };
                        if stream.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    let client = avepoint_graph::Client::builder(&base)
        .retry(fast_retries())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client builds");
    let call = client.get_customer().id("c").send();
    let result = tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .expect("the second send timed out after the client's 300 ms, not the HTTP client's 60 s");
    result.unwrap_or_else(|e| panic!("getCustomer: {e}"));
    assert_eq!(sends.load(Ordering::SeqCst), 3);
    server.abort();
}

// --- 8: paging ------------------------------------------------------------

/// The ids of a stream's items, failing on the first error.
fn ids_of<T, E: fmt::Debug>(
    items: Vec<Result<T, Error<E>>>,
    id: impl Fn(&T) -> Option<String>,
) -> Vec<String> {
    items
        .into_iter()
        .map(|item| id(&item.unwrap_or_else(|e| panic!("stream item: {e}"))).expect("an id"))
        .collect()
}

/// The AvePoint batch stream asks for pages 1, 2 and 3 (each with
/// `pageSize=2` and the same body), yields the five customers in order and
/// stops once `totalCount` (5) items were yielded, without a fourth
/// request.
#[tokio::test]
async fn avepoint_stream_walks_numbered_pages_until_the_total() {
    let pages: [&[&str]; 3] = [&["c1", "c2"], &["c3", "c4"], &["c5"]];
    let server = Recorder::start(move |_, request| {
        let index: usize = request
            .query_pairs()
            .into_iter()
            .find(|(k, _)| k == "pageIndex")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let ids = index.checked_sub(1).and_then(|i| pages.get(i)).copied();
        Reply::json(200, &batch_page(ids.unwrap_or(&[]), index as i64, Some(5)))
    })
    .await;
    let client = plain_avepoint(server.base_url(), fast_retries());
    let body = avepoint_graph::types::CustomerBatchRequest {
        customer_ids: Some(vec!["c1".into(), "c5".into()]),
    };
    let items: Vec<_> = client
        .list_customers()
        .body(body)
        .page_size(2)
        .stream()
        .collect()
        .await;
    assert_eq!(
        ids_of(items, |c| c.id.clone()),
        ["c1", "c2", "c3", "c4", "c5"]
    );

    let requests = server.requests();
    let queries: Vec<Vec<(String, String)>> = requests.iter().map(|r| r.query_pairs()).collect();
    let expected: Vec<Vec<(String, String)>> = (1..=3)
        .map(|n| {
            vec![
                ("pageIndex".to_owned(), n.to_string()),
                ("pageSize".to_owned(), "2".to_owned()),
            ]
        })
        .collect();
    assert_eq!(queries, expected);
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.path(),
            "/partner/external/v3/general/customers/batch"
        );
        assert_eq!(request.body, br#"{"customerIds":["c1","c5"]}"#);
    }
}

/// Without a `totalCount`, the AvePoint batch stream stops after the first
/// empty page: pages of 2, 2 and 0 customers give four items and exactly
/// three requests.
#[tokio::test]
async fn avepoint_stream_without_total_stops_after_an_empty_page() {
    let pages: [&[&str]; 2] = [&["c1", "c2"], &["c3", "c4"]];
    let server = Recorder::start(move |n, _| {
        let ids = pages.get(n - 1).copied().unwrap_or(&[]);
        Reply::json(200, &batch_page(ids, n as i64, None))
    })
    .await;
    let client = plain_avepoint(server.base_url(), fast_retries());
    let items: Vec<_> = client
        .list_customers()
        .page_size(2)
        .stream()
        .collect()
        .await;
    assert_eq!(ids_of(items, |c| c.id.clone()), ["c1", "c2", "c3", "c4"]);
    let indexes: Vec<String> = server
        .requests()
        .iter()
        .map(|r| {
            r.query_pairs()
                .into_iter()
                .find(|(k, _)| k == "pageIndex")
                .unwrap()
                .1
        })
        .collect();
    assert_eq!(indexes, ["1", "2", "3"]);
}

/// A Partner Center customer page with the ids `ids` and, when `next` is
/// `Some((uri, token))`, a next link to `uri` whose headers carry `token`
/// as `MS-ContinuationToken`.
fn customer_page(ids: &[&str], next: Option<(&str, &str)>) -> Value {
    let items: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    let mut page = json!({
        "totalCount": ids.len(),
        "items": items,
        "links": {"self": {"uri": "/v1/customers?size=2", "method": "GET", "headers": []}},
        "attributes": {"objectType": "Collection"},
    });
    if let Some((uri, token)) = next {
        page["links"]["next"] = json!({
            "uri": uri,
            "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": token}],
        });
    }
    page
}

/// The Partner Center stream follows `links.next`: the first request is
/// `GET /v1/customers?size=2` without a continuation token; each further
/// request goes to the link's URI (`?size=2&seek_operation=Next`) with the
/// link's `MS-ContinuationToken` header (`tok-1`, then `tok-2`) and the
/// bearer token (fetched once); the page without a next link ends the
/// stream, and every item arrives in order.
#[tokio::test]
async fn partner_center_stream_follows_next_links_with_their_headers() {
    const NEXT: &str = "/v1/customers?size=2&seek_operation=Next";
    let server = Recorder::start(|_, request| {
        let page = match request.header("MS-ContinuationToken") {
            None => customer_page(&["a", "b"], Some((NEXT, "tok-1"))),
            Some("tok-1") => customer_page(&["c", "d"], Some((NEXT, "tok-2"))),
            Some("tok-2") => customer_page(&["e"], None),
            Some(other) => panic!("unexpected continuation token {other}"),
        };
        Reply::json(200, &page)
    })
    .await;
    let idp = MockServer::start_async().await;
    let token = idp
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.respond_with(|_| token_response(ACCESS_TOKEN));
        })
        .await;
    let source = ClientCredentials::builder(
        idp.url(TOKEN_PATH),
        CLIENT_ID,
        ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
    )
    .resource(PARTNER_CENTER_RESOURCE)
    .allow_insecure_loopback()
    .build()
    .expect("token source");
    let client = partner_center::Client::builder(server.base_url())
        .auth(&partner_center::schemes::PARTNER_CENTER_APP_ONLY, source)
        .retry(fast_retries())
        .build()
        .expect("client builds");
    let items: Vec<_> = client.list_customers().size(2).stream().collect().await;
    assert_eq!(
        ids_of(items, |c| Some(c.id.clone())),
        ["a", "b", "c", "d", "e"]
    );
    token.assert_calls_async(1).await;
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    for request in server.requests() {
        assert_eq!(
            request.header("authorization"),
            Some(bearer.as_str()),
            "{}",
            request.target
        );
    }

    let sent: Vec<(String, String, Option<String>)> = server
        .requests()
        .iter()
        .map(|r| {
            (
                r.method.clone(),
                r.target.clone(),
                r.header("MS-ContinuationToken").map(str::to_owned),
            )
        })
        .collect();
    let get = |target: &str, token: Option<&str>| {
        (
            "GET".to_owned(),
            target.to_owned(),
            token.map(str::to_owned),
        )
    };
    assert_eq!(
        sent,
        [
            get("/v1/customers?size=2", None),
            get(NEXT, Some("tok-1")),
            get(NEXT, Some("tok-2")),
        ]
    );
}

/// A next link to another origin is refused: the stream yields the first
/// page's items and then `Error::InvalidRequest`, and ends. Nothing is sent
/// to the other origin (checked with a second loopback server on another
/// port) and nothing more to the API.
#[tokio::test]
async fn partner_center_stream_refuses_a_next_link_to_another_host() {
    let elsewhere = Recorder::script(vec![Reply::json(200, &customer_page(&["x"], None))]).await;
    let other_origin = format!("{}/v1/customers?size=2", elsewhere.base_url());
    for next in ["https://evil.example/x", other_origin.as_str()] {
        let page = customer_page(&["a", "b"], Some((next, "tok-1")));
        let server = Recorder::script(vec![Reply::json(200, &page)]).await;
        let client = plain_partner_center(server.base_url(), fast_retries());
        let mut items: Vec<_> = client.list_customers().size(2).stream().collect().await;
        let last = items.pop().expect("an item or error");
        assert!(
            matches!(&last, Err(Error::InvalidRequest(m)) if m.contains(next)),
            "link {next}: {last:?}"
        );
        assert_eq!(
            ids_of(items, |c| Some(c.id.clone())),
            ["a", "b"],
            "link {next}"
        );
        assert_eq!(server.hits(), 1, "link {next}");
    }
    assert_eq!(elsewhere.hits(), 0);
}

// --- 9: forward compatibility ---------------------------------------------

/// A batch page with codes the spec does not list (`jobStatus: 42`,
/// `managementMode: 9`) and unknown fields at every level decodes through
/// the client: the codes become `Unknown(42)` and `Unknown(9)`, known codes
/// keep their variants, and re-serialising gives back every known field
/// with the unknown codes unchanged.
#[tokio::test]
async fn avepoint_unknown_codes_and_fields_decode_and_reencode() {
    let known = json!({
        "data": [
            {
                "id": "c-1", "organization": "Contoso", "ownerEmail": "admin@contoso.example",
                "countryOrRegion": "United States", "jobStatus": 42, "managementMode": 9,
                "tenants": [{"id": "t-1", "name": "Contoso"}],
            },
            {"id": "c-2", "jobStatus": 1, "managementMode": 2, "tenants": []},
        ],
        "metadata": {"pageIndex": 1, "pageSize": 50, "totalCount": 2},
    });
    let mut sent = known.clone();
    sent["nextCursor"] = json!("opaque");
    sent["metadata"]["elapsedMs"] = json!(12);
    sent["data"][0]["licenses"] = json!({"seats": 3, "sku": ["E5"]});
    sent["data"][0]["tenants"][0]["region"] = json!("EU");
    sent["data"][1]["flags"] = json!(null);

    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(POST);
        then.status(200)
            .header("content-type", "application/json")
            .json_body(sent.clone());
    })
    .await;
    let client = plain_avepoint(&api.base_url(), fast_retries());
    let page = client
        .list_customers()
        .send()
        .await
        .unwrap_or_else(|e| panic!("listCustomers: {e}"))
        .into_inner();

    use avepoint_graph::types::{JobStatus, ManagementMode};
    let data = page.data.as_deref().expect("data");
    assert_eq!(data[0].job_status, Some(JobStatus::Unknown(42)));
    assert_eq!(data[0].management_mode, Some(ManagementMode::Unknown(9)));
    assert_eq!(data[1].job_status, Some(JobStatus::Working));
    assert_eq!(
        data[1].management_mode,
        Some(ManagementMode::ToBeConfigured)
    );
    assert_eq!(serde_json::to_value(&page).unwrap(), known);
}

/// The single-customer lookup tolerates a field the spec does not know
/// (here a new `tenantRegion` and a nested object) and keeps the known ones.
#[tokio::test]
async fn avepoint_get_customer_ignores_unknown_fields() {
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path("/partner/customers/c-1");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(json!({
                "@odata.context": "https://graph.example/$metadata#customers/$entity",
                "id": "c-1",
                "organization": "Contoso",
                "jobStatus": "Working",
                "tenantRegion": "EU",
                "extra": {"nested": [1, 2]},
            }));
    })
    .await;
    let client = plain_avepoint(&api.base_url(), fast_retries());
    let customer = client
        .get_customer()
        .id("c-1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("getCustomer: {e}"))
        .into_inner();
    assert_eq!(customer.organization.as_deref(), Some("Contoso"));
    assert_eq!(customer.job_status.as_deref(), Some("Working"));
}

/// A Partner Center customer whose `relationshipToPartner` is a program
/// the spec does not list decodes as `RelationshipToPartner::Unknown`, and
/// re-encodes to the same string; unknown fields are ignored.
#[tokio::test]
async fn partner_center_unknown_relationship_decodes_as_unknown() {
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path(format!("/v1/customers/{TENANT}"));
        then.status(200)
            .header("content-type", "application/json")
            .json_body(json!({
                "id": TENANT,
                "relationshipToPartner": "some_future_program",
                "companyProfile": {"domain": "contoso.onmicrosoft.com", "futureField": 1},
                "futureTopLevel": true,
            }));
    })
    .await;
    let client = plain_partner_center(&api.base_url(), fast_retries());
    let customer = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .unwrap_or_else(|e| panic!("getCustomer: {e}"))
        .into_inner();
    assert_eq!(
        customer.relationship_to_partner,
        Some(partner_center::types::RelationshipToPartner::Unknown(
            "some_future_program".into()
        ))
    );
    let reencoded = serde_json::to_value(&customer).unwrap();
    assert_eq!(reencoded["relationshipToPartner"], "some_future_program");
}

/// A Partner Center customer with every optional field absent (only the
/// required `id`) decodes, with every optional field `None`.
#[tokio::test]
async fn partner_center_customer_with_only_required_fields_decodes() {
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path(format!("/v1/customers/{TENANT}"));
        then.status(200)
            .header("content-type", "application/json")
            .json_body(json!({"id": TENANT}));
    })
    .await;
    let client = plain_partner_center(&api.base_url(), fast_retries());
    let customer = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .unwrap_or_else(|e| panic!("getCustomer: {e}"))
        .into_inner();
    assert_eq!(customer.id, TENANT);
    assert_eq!(
        serde_json::to_value(&customer).unwrap(),
        json!({"id": TENANT})
    );
}

// --- 10: typed errors -----------------------------------------------------

/// Serves `body` with `status` to `getCustomer` and returns the error.
async fn partner_center_error(
    status: u16,
    body: Value,
) -> Error<partner_center::types::ErrorResponse> {
    let server = Recorder::script(vec![Reply::json(status, &body)]).await;
    let client = plain_partner_center(server.base_url(), RetryPolicy::none());
    client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .expect_err("an error status")
}

/// A Partner Center 404 whose `code` is a number comes back as
/// `Error::ErrorResponse` with status 404 and the typed body, `code` being
/// `ErrorResponseCode::Integer(1000)`; the same body with the string code
/// `"InvalidInput"` gives `ErrorResponseCode::String`.
#[tokio::test]
async fn partner_center_error_bodies_are_typed_with_integer_or_string_codes() {
    use partner_center::types::ErrorResponseCode;
    let cases = [
        (json!(1000), ErrorResponseCode::Integer(1000)),
        (
            json!("InvalidInput"),
            ErrorResponseCode::String("InvalidInput".into()),
        ),
    ];
    for (code, expected) in cases {
        let body = json!({"code": code, "description": "x", "data": [], "source": "PartnerFD"});
        let error = partner_center_error(404, body).await;
        let Error::ErrorResponse(response) = &error else {
            panic!("code {code}: expected ErrorResponse, got {error:?}");
        };
        assert_eq!(response.status(), 404);
        let typed = response.as_ref();
        assert_eq!(typed.code, expected);
        assert_eq!(typed.description.as_str(), "x");
        assert_eq!(typed.data.as_deref(), Some(&[][..]));
        assert_eq!(typed.source.as_deref(), Some("PartnerFD"));
        assert_eq!(error.error_body().map(|b| &b.code), Some(&expected));
    }
}

/// A 200 whose body is a real sample cut in half is
/// `Error::InvalidResponsePayload` with status 200, the full body length
/// and an excerpt bounded to 512 bytes plus the `…` mark (at most 513
/// characters), taken from the start of the body.
#[tokio::test]
async fn a_truncated_200_body_is_an_invalid_payload_with_a_bounded_excerpt() {
    let samples =
        conformance::responses_for(&conformance::partner_center().samples, "getCustomer", "200");
    let sample =
        serde_json::to_string_pretty(&samples.first().expect("a 200 sample").value).unwrap();
    let truncated = sample.as_bytes()[..sample.len() / 2].to_vec();
    assert!(
        truncated.len() > 512,
        "the sample is too short: {} bytes",
        sample.len()
    );

    let server = Recorder::script(vec![Reply::status(200)
        .header("content-type", "application/json")
        .body(truncated.clone())])
    .await;
    let client = plain_partner_center(server.base_url(), fast_retries());
    let error = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .expect_err("a truncated body does not decode");
    let Error::InvalidResponsePayload(payload) = &error else {
        panic!("expected InvalidResponsePayload, got {error:?}");
    };
    assert_eq!(payload.status, 200);
    assert_eq!(payload.length, truncated.len());
    assert!(
        payload.excerpt.chars().count() <= 513,
        "{}",
        payload.excerpt
    );
    let shown = payload
        .excerpt
        .strip_suffix('…')
        .expect("the cut is marked");
    assert!(truncated.starts_with(shown.as_bytes()), "{shown}");
    assert!(payload.source.is_eof(), "{}", payload.source);
    assert_eq!(server.hits(), 1);
}

const HTML_502: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";

/// A non-JSON HTML 502 that outlasts the retries: Partner Center documents
/// a JSON error body for 5XX, so the client tries to decode it and, as it
/// is not that body, returns `Error::UndocumentedResponse` with status 502,
/// the page as excerpt and why it did not decode, after exactly
/// `max_attempts` (2) sends.
#[tokio::test]
async fn partner_center_html_502_after_retries_is_an_undocumented_response() {
    let server = Recorder::script(vec![Reply::status(502)
        .header("content-type", "text/html")
        .body(HTML_502)])
    .await;
    let client = plain_partner_center(server.base_url(), fast_retries().with_max_attempts(2));
    let error = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .expect_err("502");
    match &error {
        Error::UndocumentedResponse(raw) => {
            assert_eq!(raw.status, 502);
            assert_eq!(raw.excerpt, HTML_502);
            assert_eq!(raw.length, HTML_502.len());
            assert!(raw.mismatch.is_some(), "{raw:?}");
        }
        other => panic!("expected UndocumentedResponse, got {other:?}"),
    }
    assert_eq!(server.hits(), 2);
}

/// The same HTML 502 from AvePoint, whose spec documents no error status:
/// `Error::UndocumentedResponse` keeping status 502 and the page, after
/// exactly `max_attempts` (2) sends.
#[tokio::test]
async fn avepoint_html_502_after_retries_is_an_undocumented_response() {
    let server = Recorder::script(vec![Reply::status(502)
        .header("content-type", "text/html")
        .body(HTML_502)])
    .await;
    let client = plain_avepoint(server.base_url(), fast_retries().with_max_attempts(2));
    let error = client
        .get_customer()
        .id("c-1")
        .send()
        .await
        .expect_err("502");
    match &error {
        Error::UndocumentedResponse(raw) => {
            assert_eq!(raw.status, 502);
            assert_eq!(raw.excerpt, HTML_502);
        }
        other => panic!("expected UndocumentedResponse, got {other:?}"),
    }
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(server.hits(), 2);
}

// --- 11: path injection ---------------------------------------------------

/// Path parameters stay one path segment: `../admin` and `a/b?c` reach the
/// server as exactly `/partner/customers/..%2Fadmin` and
/// `/partner/customers/a%2Fb%3Fc` with no query string, while `..`, `.` and
/// the empty string, which would change the path, are refused with
/// `Error::InvalidRequest` and nothing is sent.
#[tokio::test]
async fn path_parameters_cannot_change_the_request_path() {
    let server = Recorder::script(vec![Reply::json(200, &json!({"id": "x"}))]).await;
    let client = plain_avepoint(server.base_url(), fast_retries());
    for (id, path) in [
        ("../admin", "/partner/customers/..%2Fadmin"),
        ("a/b?c", "/partner/customers/a%2Fb%3Fc"),
    ] {
        let before = server.hits();
        let result = client.get_customer().id(id).send().await;
        result.unwrap_or_else(|e| panic!("id {id:?}: {e}"));
        let requests = server.requests();
        assert_eq!(requests.len(), before + 1, "id {id:?}");
        let sent = &requests[before];
        assert_eq!(sent.method, "GET");
        assert_eq!(sent.target, path, "id {id:?}: the raw request target");
        assert_eq!(sent.query(), None);
    }
    for id in ["..", ".", ""] {
        let before = server.hits();
        let result = client.get_customer().id(id).send().await;
        assert!(
            matches!(&result, Err(Error::InvalidRequest(_))),
            "id {id:?}: {result:?}"
        );
        assert_eq!(server.hits(), before, "id {id:?} must send nothing");
    }
}

// --- 12: redaction --------------------------------------------------------

/// Nothing the client formats shows a credential or token: the `Debug` of
/// client builders and clients (with a client secret, and with a refresh
/// token; before a call and with a token cached after one), and `Display`,
/// `Debug` and the source chain of the errors auth produces: the token
/// endpoint rejecting the client (`400 invalid_client`, its description
/// echoing the secret) or the refresh token (`invalid_grant`, echoing it),
/// and the API answering 401 (AvePoint untyped, Partner Center typed).
#[tokio::test]
async fn no_secret_appears_in_debug_output_or_errors() {
    let idp = MockServer::start_async().await;
    let api = MockServer::start_async().await;
    let good_token = idp
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .form_urlencoded_tuple("grant_type", "client_credentials");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}));
        })
        .await;
    api.mock_async(|when, then| {
        when.method(GET).path("/partner/customers/c-1");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(json!({"id": "c-1"}));
    })
    .await;

    // Builders and clients, before and after a token is cached.
    let builder = avepoint_graph::Client::builder(api.base_url()).auth(
        &avepoint_graph::schemes::ELEMENTS_COMMERCIAL,
        secret_source(&idp.url(TOKEN_PATH)),
    );
    assert_no_secret(&format!("{builder:?}"));
    let client = builder.build().expect("client builds");
    assert_no_secret(&format!("{client:?}"));
    client.get_customer().id("c-1").send().await.unwrap();
    good_token.assert_calls_async(1).await;
    assert_no_secret(&format!("{client:?}"));
    let refresh_source =
        RefreshToken::builder(idp.url("/refresh"), CLIENT_ID, Secret::new(REFRESH_TOKEN))
            .client_secret(Secret::new(CLIENT_SECRET))
            .resource(PARTNER_CENTER_RESOURCE)
            .allow_insecure_loopback()
            .build()
            .expect("token source");
    let builder = partner_center::Client::builder(api.base_url()).auth(
        &partner_center::schemes::PARTNER_CENTER_APP_USER,
        refresh_source,
    );
    assert_no_secret(&format!("{builder:?}"));
    let refresh_client = builder
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    assert_no_secret(&format!("{refresh_client:?}"));

    // The token endpoint rejects the client secret and echoes it.
    let rejecting_idp = MockServer::start_async().await;
    rejecting_idp
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(400)
                .header("content-type", "application/json")
                .json_body(json!({
                    "error": "invalid_client",
                    "error_description": format!("AADSTS7000215: invalid secret {CLIENT_SECRET}"),
                }));
        })
        .await;
    let api_calls = api
        .mock_async(|when, then| {
            when.method(GET).path("/partner/customers/c-2");
            then.status(200);
        })
        .await;
    let client = avepoint_client(&api.base_url(), &rejecting_idp.url(TOKEN_PATH));
    let error = client.get_customer().id("c-2").send().await.unwrap_err();
    assert!(
        matches!(&error, Error::Auth(auth) if auth.status().map(|s| s.as_u16()) == Some(400)),
        "{error:?}"
    );
    assert!(error.to_string().contains("invalid_client"), "{error}");
    assert_error_hides_secrets(&error);
    api_calls.assert_calls_async(0).await;

    // The token endpoint rejects the refresh token and echoes it.
    idp.mock_async(|when, then| {
        when.method(POST).path("/refresh");
        then.status(400)
            .header("content-type", "application/json")
            .json_body(json!({
                "error": "invalid_grant",
                "error_description": format!("refresh token {REFRESH_TOKEN} has expired"),
            }));
    })
    .await;
    let error = refresh_client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Auth(_)), "{error:?}");
    assert!(error.to_string().contains("invalid_grant"), "{error}");
    assert_error_hides_secrets(&error);

    // The API answers 401 to every token.
    let pc_idp = MockServer::start_async().await;
    pc_idp
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}));
        })
        .await;
    let pc_api = MockServer::start_async().await;
    pc_api
        .mock_async(|when, then| {
            when.any_request();
            then.status(401)
                .header("content-type", "application/json")
                .json_body(
                    json!({"code": 401, "description": "Unauthorized", "source": "PartnerFD"}),
                );
        })
        .await;
    let source = ClientCredentials::builder(
        pc_idp.url(TOKEN_PATH),
        CLIENT_ID,
        ClientCredential::Secret(Secret::new(CLIENT_SECRET)),
    )
    .resource(PARTNER_CENTER_RESOURCE)
    .allow_insecure_loopback()
    .build()
    .expect("token source");
    let client = partner_center::Client::builder(pc_api.base_url())
        .auth(&partner_center::schemes::PARTNER_CENTER_APP_ONLY, source)
        .retry(fast_retries())
        .build()
        .expect("client builds");
    let error = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error:?}");
    assert!(matches!(&error, Error::ErrorResponse(_)), "{error:?}");
    assert_error_hides_secrets(&error);

    let client = avepoint_client(&pc_api.base_url(), &pc_idp.url(TOKEN_PATH));
    let error = client.get_customer().id("c-1").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error:?}");
    assert_error_hides_secrets(&error);
}
