//! Headers of the caller's own and token URLs other than production, end to
//! end through the generated clients against loopback servers:
//!
//! - `header(name, value)` on the operation builders: sent with every retry,
//!   replacing the operation's own header of that name, and a bad name or
//!   value is `Error::InvalidRequest` before anything is sent;
//! - `ClientBuilder::on_request`: runs once per attempt (retries, the resend
//!   after a 401, next-page requests), after the `Authorization` header, and
//!   each attempt starts from the request as built;
//! - `token_url(..)` on a credential builder started from a scheme keeps the
//!   scheme's resource (Partner Center) and the operation's scopes (AvePoint);
//! - a token source made for one scheme is refused for another.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use avepoint_graph::runtime::auth::{ClientCredential, ClientCredentials, Secret, TokenCache};
use avepoint_graph::runtime::{BuildError, Error, RetryPolicy};
use futures::StreamExt;
use httpmock::prelude::*;
use partner_center::uuid::Uuid;
use serde_json::json;

use crate::recorder::{Recorder, Reply};

const CLIENT_ID: &str = "client-id-0815";
const CLIENT_SECRET: &str = "client-secret-SENTINEL-h3ad";
const ACCESS_TOKEN: &str = "access-token-SENTINEL-h00k";
const TOKEN_PATH: &str = "/connect/token";
const PARTNER_CENTER_RESOURCE: &str = "https://api.partnercenter.microsoft.com";
const TENANT: &str = "0a3f5c2e-9d41-4b7a-8e6f-1c2d3e4f5a6b";

/// A request hook as `ClientBuilder::on_request` takes it.
type Hook = Box<dyn Fn(&mut reqwest::Request) + Send + Sync>;

/// Retries that wait about a millisecond, so the tests stay fast.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(4))
}

fn secret() -> ClientCredential {
    ClientCredential::Secret(Secret::new(CLIENT_SECRET))
}

/// A loopback identity server that answers every token request with
/// [`ACCESS_TOKEN`].
async fn token_server() -> MockServer {
    let idp = MockServer::start_async().await;
    idp.mock_async(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .header("content-type", "application/json")
            .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}));
    })
    .await;
    idp
}

/// A Partner Center client for `base` with app-only tokens from `idp`.
fn partner_center_client(
    base: &str,
    idp: &MockServer,
    hook: Option<Hook>,
) -> partner_center::Client {
    let scheme = &partner_center::schemes::PARTNER_CENTER_APP_ONLY;
    let source = scheme
        .client_credentials(CLIENT_ID, secret())
        .token_url(idp.url(TOKEN_PATH))
        .allow_insecure_loopback()
        .build()
        .expect("token source");
    let builder = partner_center::Client::builder(base)
        .auth(scheme, source)
        .retry(fast_retries());
    match hook {
        Some(hook) => builder.on_request(hook),
        None => builder,
    }
    .build()
    .expect("client builds")
}

fn customer() -> Reply {
    Reply::json(200, &json!({"id": TENANT}))
}

/// The values of header `name` in a recorded request, in order.
fn values(request: &crate::recorder::Recorded, name: &str) -> Vec<String> {
    request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
        .collect()
}

// --- header(name, value) on the builders ---------------------------------

/// Headers added on the builder go out with the call and with its retry;
/// one replaces the operation's own `Accept`, and a name added twice is
/// sent twice.
#[tokio::test]
async fn builder_headers_are_sent_with_every_retry() {
    let server = Recorder::script(vec![Reply::status(503), customer()]).await;
    let idp = token_server().await;
    let client = partner_center_client(server.base_url(), &idp, None);
    client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .header("X-Locale", "de-DE")
        .header("MS-Contract-Version", String::from("v1"))
        .header("accept", "application/json; charset=utf-8")
        .header("x-trace", "a")
        .header("x-trace", "b")
        .send()
        .await
        .unwrap_or_else(|e| panic!("getCustomer: {e}"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one retry after the 503");
    for request in &requests {
        assert_eq!(values(request, "x-locale"), ["de-DE"]);
        assert_eq!(values(request, "ms-contract-version"), ["v1"]);
        assert_eq!(
            values(request, "accept"),
            ["application/json; charset=utf-8"]
        );
        assert_eq!(values(request, "x-trace"), ["a", "b"]);
        // The client's own headers are still there.
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {ACCESS_TOKEN}").as_str())
        );
        assert!(request.header("ms-requestid").is_some());
    }
}

/// A header name or value that is not valid HTTP makes `send()` fail with
/// `Error::InvalidRequest` naming the header (not its value); nothing is
/// sent and nothing panics.
/// `MS-Contract-Version` (`x-auto-value: default`) goes out as `v1` on
/// every attempt when the caller sets nothing, and once only; a version the
/// caller sets replaces it.
#[tokio::test]
async fn the_contract_version_is_sent_by_default_and_the_callers_wins() {
    let server = Recorder::script(vec![Reply::status(503), customer(), customer()]).await;
    let idp = token_server().await;
    let client = partner_center_client(server.base_url(), &idp, None);
    client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .unwrap_or_else(|e| panic!("getCustomer: {e}"));
    client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .ms_contract_version("v2")
        .send()
        .await
        .unwrap_or_else(|e| panic!("getCustomer: {e}"));
    let sent: Vec<Vec<String>> = server
        .requests()
        .iter()
        .map(|r| values(r, "ms-contract-version"))
        .collect();
    assert_eq!(sent, [vec!["v1"], vec!["v1"], vec!["v2"]]);
}

#[tokio::test]
async fn an_invalid_builder_header_is_an_invalid_request_and_nothing_is_sent() {
    let server = Recorder::script(vec![customer()]).await;
    let client = partner_center::Client::builder(server.base_url())
        .build()
        .expect("client builds");
    let call = |name: &'static str, value: &'static str| {
        client
            .get_customer()
            .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
            .header(name, value)
            .send()
    };
    let bad_name = call("X Locale", "de-DE").await.unwrap_err();
    assert!(
        matches!(&bad_name, Error::InvalidRequest(m) if m.contains("header name")),
        "{bad_name}"
    );
    let bad_value = call("X-Locale", "de\r\nX-Injected: SENTINEL")
        .await
        .unwrap_err();
    assert!(
        matches!(&bad_value, Error::InvalidRequest(m) if m.contains("`x-locale`")),
        "{bad_value}"
    );
    assert!(!format!("{bad_value} {bad_value:?}").contains("SENTINEL"));
    // The avepoint client has the method too, on a POST builder.
    let avepoint = avepoint_graph::Client::builder(server.base_url())
        .build()
        .expect("client builds");
    let e = avepoint
        .list_customers()
        .body(avepoint_graph::types::CustomerBatchRequest::default())
        .header("", "x")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::InvalidRequest(_)), "{e}");
    assert_eq!(server.hits(), 0);
}

// --- on_request ---------------------------------------------------------

/// What the hook saw of one attempt.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    attempt: usize,
    path: String,
    authorization: Option<String>,
    locale: Option<String>,
}

/// A hook that records each attempt and adds `x-attempt: <n>` to it.
fn recording_hook() -> (Arc<Mutex<Vec<Seen>>>, Hook) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let count = AtomicUsize::new(0);
    let hook = move |request: &mut reqwest::Request| {
        let attempt = count.fetch_add(1, Ordering::SeqCst) + 1;
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let entry = Seen {
            attempt,
            path: request.url().path().to_owned(),
            authorization: header("authorization"),
            locale: header("x-locale"),
        };
        log.lock().unwrap().push(entry);
        request.headers_mut().append(
            "x-attempt",
            reqwest::header::HeaderValue::from(attempt as u64),
        );
    };
    (seen, Box::new(hook))
}

/// The hook runs once per attempt: the first request, the resend after a
/// 401 and token refresh, and the retry after a 503. It sees the request
/// as sent (the token and the builder's headers are already on it), and
/// what it adds to one attempt does not pile up on the next.
#[tokio::test]
async fn the_request_hook_runs_for_every_attempt_after_the_token() {
    let server = Recorder::script(vec![Reply::status(401), Reply::status(503), customer()]).await;
    let idp = token_server().await;
    let (seen, hook) = recording_hook();
    let client = partner_center_client(server.base_url(), &idp, Some(hook));
    client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .header("X-Locale", "de-DE")
        .send()
        .await
        .unwrap_or_else(|e| panic!("getCustomer: {e}"));

    let bearer = format!("Bearer {ACCESS_TOKEN}");
    let path = format!("/v1/customers/{TENANT}");
    let seen = seen.lock().unwrap().clone();
    let expected: Vec<Seen> = (1..=3)
        .map(|attempt| Seen {
            attempt,
            path: path.clone(),
            authorization: Some(bearer.clone()),
            locale: Some("de-DE".into()),
        })
        .collect();
    assert_eq!(seen, expected);
    let sent: Vec<Vec<String>> = server
        .requests()
        .iter()
        .map(|r| values(r, "x-attempt"))
        .collect();
    assert_eq!(sent, [["1"], ["2"], ["3"]]);
}

/// The hook also runs for the requests a paging stream sends to follow
/// next links, which the builder did not make.
#[tokio::test]
async fn the_request_hook_runs_for_next_page_requests() {
    const NEXT: &str = "/v1/customers?size=1&seekOperation=Next";
    let server = Recorder::start(|n, _| {
        let page = |id: &str, next: bool| {
            let mut page = json!({"totalCount": 2, "items": [{"id": id}], "attributes": {"objectType": "Collection"}});
            if next {
                page["links"] = json!({"next": {"uri": NEXT, "method": "GET", "headers": []}});
            }
            page
        };
        Reply::json(200, &if n == 1 { page("a", true) } else { page("b", false) })
    })
    .await;
    let idp = token_server().await;
    let (seen, hook) = recording_hook();
    let client = partner_center_client(server.base_url(), &idp, Some(hook));
    let items: Vec<_> = client.list_customers().size(1).stream().collect().await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|c| c.unwrap_or_else(|e| panic!("{e}")).id)
        .collect();
    assert_eq!(ids, ["a", "b"]);
    let attempts: Vec<(usize, String)> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|s| (s.attempt, s.path.clone()))
        .collect();
    assert_eq!(
        attempts,
        [
            (1, "/v1/customers".to_owned()),
            (2, "/v1/customers".to_owned())
        ]
    );
    let sent: Vec<(String, Vec<String>)> = server
        .requests()
        .iter()
        .map(|r| (r.target.clone(), values(r, "x-attempt")))
        .collect();
    assert_eq!(
        sent,
        [
            ("/v1/customers?size=1".to_owned(), vec!["1".to_owned()]),
            (NEXT.to_owned(), vec!["2".to_owned()]),
        ]
    );
}

// --- token URLs and schemes ----------------------------------------------

/// Partner Center: a scheme's credential builder pointed at another token
/// URL (with a placeholder, filled before or after the URL is changed)
/// still sends the scheme's `resource`, and no `scope`.
#[tokio::test]
async fn a_custom_token_url_keeps_the_schemes_resource() {
    let idp = MockServer::start_async().await;
    let token = idp
        .mock_async(|when, then| {
            when.method(POST)
                .path("/contoso.example/oauth2/token")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("resource", PARTNER_CENTER_RESOURCE)
                .form_urlencoded_tuple_missing("scope");
            then.status(200)
                .header("content-type", "application/json")
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
    let scheme = &partner_center::schemes::PARTNER_CENTER_APP_ONLY;
    let source = scheme
        .client_credentials(CLIENT_ID, secret())
        .url_parameter("tenantId", "contoso.example")
        .token_url(format!("{}/{{tenantId}}/oauth2/token", idp.base_url()))
        .allow_insecure_loopback()
        .build()
        .expect("token source");
    let client = partner_center::Client::builder(api.base_url())
        .auth(scheme, source)
        .build()
        .expect("client builds");
    client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .unwrap_or_else(|e| panic!("getCustomer: {e}"));
    token.assert_calls_async(1).await;
    customer.assert_calls_async(1).await;

    // Without the loopback opt-in an http token URL is still refused.
    let refused = scheme
        .client_credentials(CLIENT_ID, secret())
        .token_url(idp.url(TOKEN_PATH))
        .build();
    assert!(refused.is_err(), "{refused:?}");
}

/// AvePoint: with another token URL, token requests still ask for the scope
/// the operation's security requirement names.
#[tokio::test]
async fn a_custom_token_url_keeps_the_operations_scope() {
    let idp = MockServer::start_async().await;
    let token = idp
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .form_urlencoded_tuple("scope", "partner.customers.read.all")
                .form_urlencoded_tuple_missing("resource");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": 3600}));
        })
        .await;
    let server = Recorder::script(vec![Reply::json(200, &json!({"id": "c1"}))]).await;
    let scheme = &avepoint_graph::schemes::ELEMENTS_COMMERCIAL;
    let source = scheme
        .client_credentials(CLIENT_ID, secret())
        .token_url(idp.url(TOKEN_PATH))
        .allow_insecure_loopback()
        .build()
        .expect("token source");
    let client = avepoint_graph::Client::builder(server.base_url())
        .auth(scheme, source)
        .build()
        .expect("client builds");
    client
        .get_customer()
        .id("c1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("getCustomer: {e}"));
    token.assert_calls_async(1).await;
}

/// A source started from one scheme is refused for another scheme of the
/// same API (their token URL, resource or grant may differ) and for a
/// scheme of another API with the same shape; an HTTP bearer scheme takes
/// any source, and a source not started from a scheme is not checked.
#[test]
fn a_source_made_for_one_scheme_is_refused_for_another() {
    use partner_center::schemes::{BEARER, PARTNER_CENTER_APP_ONLY, PARTNER_CENTER_APP_USER};
    let app_only = || {
        PARTNER_CENTER_APP_ONLY
            .client_credentials(CLIENT_ID, secret())
            .url_parameter("tenantId", "contoso.example")
            .build()
            .expect("token source")
    };
    let build = |scheme: &'static avepoint_graph::runtime::SecurityScheme, cache: TokenCache| {
        partner_center::Client::builder("https://api.partnercenter.example")
            .auth_cache(scheme, cache)
            .build()
    };
    let refused = build(&PARTNER_CENTER_APP_USER, TokenCache::new(app_only()));
    assert!(
        matches!(
            &refused,
            Err(BuildError::SchemeMismatch { scheme, source_scheme })
                if scheme == "partnerCenterAppUser" && source_scheme == "partnerCenterAppOnly"
        ),
        "{refused:?}"
    );
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("partnerCenterAppOnly") && message.contains("partnerCenterAppUser"),
        "{message}"
    );
    build(&PARTNER_CENTER_APP_ONLY, TokenCache::new(app_only())).expect("its own scheme");
    build(&BEARER, TokenCache::new(app_only())).expect("a bearer scheme takes any token");
    let refresh = PARTNER_CENTER_APP_USER
        .refresh_token(CLIENT_ID, Secret::new("refresh-SENTINEL"))
        .url_parameter("tenantId", "contoso.example")
        .build()
        .expect("token source");
    let refused = build(&PARTNER_CENTER_APP_ONLY, TokenCache::new(refresh));
    assert!(
        matches!(&refused, Err(BuildError::SchemeMismatch { .. })),
        "{refused:?}"
    );

    let untagged = ClientCredentials::builder("https://login.example/token", CLIENT_ID, secret())
        .build()
        .expect("token source");
    build(&PARTNER_CENTER_APP_USER, TokenCache::new(untagged)).expect("not checked");

    // The AvePoint scheme's source on a Partner Center client: refused
    // (here the AvePoint scheme is also unknown to Partner Center's API).
    let avepoint = avepoint_graph::schemes::ELEMENTS_COMMERCIAL
        .client_credentials(CLIENT_ID, secret())
        .build()
        .expect("token source");
    let refused = partner_center::Client::builder("https://api.partnercenter.example")
        .auth(&PARTNER_CENTER_APP_ONLY, avepoint)
        .build();
    assert!(
        matches!(&refused, Err(BuildError::SchemeMismatch { source_scheme, .. }) if source_scheme == "elementsCommercial"),
        "{refused:?}"
    );
}
