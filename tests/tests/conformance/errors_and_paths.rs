//! Error responses that are not the documented shape, timeouts, the
//! encoding of path parameters and trailing slashes of base URLs, end to
//! end through the generated clients against the scripted
//! [`recorder`](crate::recorder) on loopback, which shows the raw request
//! line and counts every request.
//!
//! Slow answers are made by the responder sleeping (inside
//! `block_in_place`, so the runtime's other tasks go on) far longer than a
//! 200 ms timeout. No test measures time: each only checks that the call
//! failed with `is_timeout()` and how many requests the server saw.

use std::time::Duration;

use avepoint_graph::runtime::auth::{ClientCredential, ClientCredentials, Secret};
use avepoint_graph::runtime::error::{ERROR_BODY_LIMIT, EXCERPT_LIMIT};
use avepoint_graph::runtime::{BearerToken, Error, RetryPolicy};
use futures::StreamExt;
use partner_center::uuid::Uuid;
use serde_json::json;

use crate::recorder::{Recorded, Recorder, Reply};

/// A customer tenant id for the Partner Center calls.
const TENANT: &str = "0a3f5c2e-9d41-4b7a-8e6f-1c2d3e4f5a6b";
/// The per-request timeout of the timeout tests.
const TIMEOUT: Duration = Duration::from_millis(200);
/// How long a slow answer takes: far beyond [`TIMEOUT`].
const SLOW: Duration = Duration::from_secs(2);
const GATEWAY_PAGE: &str = "<html><body><h1>Service Unavailable</h1><p>gateway</p></body></html>";

/// Retries that wait about a millisecond, so the tests stay fast.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(4))
}

/// Answers `reply` after [`SLOW`], blocking only this connection's task.
fn slowly(reply: Reply) -> impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static {
    move |_, _| {
        tokio::task::block_in_place(|| std::thread::sleep(SLOW));
        reply.clone()
    }
}

fn partner_center(base: &str, policy: RetryPolicy) -> partner_center::Client {
    partner_center::Client::builder(base)
        .retry(policy)
        .build()
        .expect("client builds")
}

fn avepoint(base: &str, policy: RetryPolicy) -> avepoint_graph::Client {
    avepoint_graph::Client::builder(base)
        .retry(policy)
        .build()
        .expect("client builds")
}

// --- error bodies that are not the documented shape ------------------------

/// Partner Center documents its error resource for 4XX and 5XX. A 404, 429
/// or 503 whose body is a gateway's HTML page or `{"error": ..}` is not
/// that resource: it comes back as `Error::UndocumentedResponse` with the
/// status, the response's headers (a request id, `Retry-After`), the body as
/// excerpt with its length, and why it did not decode, never as
/// `InvalidResponsePayload` ("missing field `code`").
#[tokio::test]
async fn partner_center_error_statuses_with_other_bodies_keep_status_headers_and_body() {
    let odata = json!({"error": {"code": "NotFound", "message": "no such customer"}}).to_string();
    for status in [404u16, 429, 503] {
        for (content_type, body) in [
            ("text/html", GATEWAY_PAGE.to_owned()),
            ("application/json", odata.clone()),
        ] {
            let server = Recorder::script(vec![Reply::status(status)
                .header("content-type", content_type)
                .header("x-request-id", "req-77")
                .header("retry-after", "120")
                .body(body.clone())])
            .await;
            // `Retry-After: 120` does not fit the policy's time, so the 429
            // and 503 are answered once.
            let client = partner_center(server.base_url(), fast_retries());
            let error = client
                .get_customer()
                .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
                .send()
                .await
                .expect_err("an error status");
            let case = format!("{status} {content_type}");
            let Error::UndocumentedResponse(raw) = &error else {
                panic!("{case}: expected UndocumentedResponse, got {error:?}");
            };
            assert_eq!(raw.status, status, "{case}");
            assert_eq!(raw.excerpt, body, "{case}");
            assert_eq!(raw.length, body.len(), "{case}");
            assert!(raw.complete, "{case}");
            assert!(raw.mismatch.is_some(), "{case}: {raw:?}");
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{case}");
            let headers = error.headers().expect("headers are kept");
            assert_eq!(headers["x-request-id"], "req-77", "{case}");
            assert_eq!(headers["retry-after"], "120", "{case}");
            assert!(error.error_body().is_none(), "{case}");
            let shown = error.to_string();
            assert!(
                shown.contains(&status.to_string()) && shown.contains(&body),
                "{case}: {shown}"
            );
            assert_eq!(server.hits(), 1, "{case}");
        }
    }
}

/// A documented Partner Center error body still comes back typed, with the
/// response's headers, next to the raw fallback.
#[tokio::test]
async fn partner_center_matching_error_body_stays_typed() {
    let body = json!({"code": 600, "description": "no customer", "source": "PartnerFD"});
    let server = Recorder::script(vec![
        Reply::json(404, &body).header("x-request-id", "req-78")
    ])
    .await;
    let client = partner_center(server.base_url(), RetryPolicy::none());
    let error = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(TENANT).unwrap())
        .send()
        .await
        .expect_err("404");
    let Error::ErrorResponse(typed) = &error else {
        panic!("expected ErrorResponse, got {error:?}");
    };
    assert_eq!(typed.status(), 404);
    assert_eq!(typed.as_ref().description.as_str(), "no customer");
    assert_eq!(error.headers().unwrap()["x-request-id"], "req-78");
    assert!(error.raw_response().is_none());
}

/// error-codes.md lists code 400072 with HTTP 200: an error body with a
/// success status comes back as the typed error, with status 200, even for
/// a success type whose every field is optional (the usage budget), so it
/// is neither a decode failure nor an empty success. A success body still
/// decodes as the success type, also when a string value is "code".
#[tokio::test]
async fn partner_center_error_body_with_status_200_is_the_typed_error() {
    let error_body = json!({
        "code": "400072",
        "description": "This item isn't available.",
        "source": "PartnerFD",
    });
    let budget = json!({"amount": 250, "attributes": {"objectType": "SpendingBudget"}, "links": {"self": {"uri": "code", "method": "description", "headers": []}}});
    let customer = json!({"id": TENANT, "companyProfile": {"companyName": "Contoso", "domain": "contoso.example"}});
    let server = Recorder::script(vec![
        Reply::json(200, &error_body).header("MS-CorrelationId", "c-1"),
        Reply::json(200, &error_body),
        Reply::json(200, &budget),
        Reply::json(200, &customer),
    ])
    .await;
    let client = partner_center(server.base_url(), RetryPolicy::none());
    let tenant = Uuid::parse_str(TENANT).unwrap();

    let error = client
        .get_customer()
        .customer_tenant_id(tenant)
        .send()
        .await
        .expect_err("an error body");
    let Error::ErrorResponse(typed) = &error else {
        panic!("expected ErrorResponse, got {error:?}");
    };
    assert_eq!(typed.status(), 200);
    assert_eq!(
        typed.as_ref().description.as_str(),
        "This item isn't available."
    );
    assert_eq!(typed.as_ref().source.as_deref(), Some("PartnerFD"));
    assert_eq!(error.headers().unwrap()["MS-CorrelationId"], "c-1");

    let body: partner_center::types::SpendingBudget =
        serde_json::from_value(json!({"amount": 250})).expect("budget");
    let error = client
        .update_customer_usage_budget()
        .customer_tenant_id(tenant)
        .body(body.clone())
        .send()
        .await
        .expect_err("an error body, not an empty budget");
    assert!(
        matches!(&error, Error::ErrorResponse(t) if t.status() == 200),
        "{error:?}"
    );

    let read = client
        .update_customer_usage_budget()
        .customer_tenant_id(tenant)
        .body(body)
        .send()
        .await
        .expect("a budget")
        .into_inner();
    assert_eq!(read.amount, Some(Some(250.0)));
    let read = client
        .get_customer()
        .customer_tenant_id(tenant)
        .send()
        .await
        .expect("a customer")
        .into_inner();
    assert_eq!(read.id.to_string(), TENANT);
    assert_eq!(server.requests().len(), 4);
}

/// AvePoint's spec documents 400, 401, 403, 404, 429, 500 and 503 for every
/// operation, none with a body. A 403 without a body comes back as the
/// typed `Error::ErrorResponse` with its status and headers. A documented
/// status that brings a body anyway (a JSON 404, a 500 gateway page) and an
/// undocumented status (418) come back as `Error::UndocumentedResponse`
/// with status, headers and the body read, so nothing the server said is
/// dropped.
#[tokio::test]
async fn avepoint_error_statuses_come_back_typed_with_what_the_server_said() {
    for status in [400u16, 401, 403, 404, 429, 500, 503] {
        let server = Recorder::script(vec![Reply::status(status).header("x-trace", "t-0")]).await;
        let error = avepoint(server.base_url(), RetryPolicy::none())
            .get_customer()
            .id("c-1")
            .send()
            .await
            .expect_err("an error status");
        let Error::ErrorResponse(typed) = &error else {
            panic!("{status} without a body: expected ErrorResponse, got {error:?}");
        };
        assert_eq!(typed.status(), status);
        assert_eq!(typed.headers()["x-trace"], "t-0", "{status}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
    let cases = [
        (404u16, r#"{"message":"customer not found"}"#),
        (500, GATEWAY_PAGE),
        (418, "teapot"),
    ];
    for (status, body) in cases {
        let server = Recorder::script(vec![Reply::status(status)
            .header("x-trace", "t-1")
            .body(body)])
        .await;
        let client = avepoint(server.base_url(), RetryPolicy::none());
        let error = client
            .get_customer()
            .id("c-1")
            .send()
            .await
            .expect_err("an error status");
        let raw = error
            .raw_response()
            .unwrap_or_else(|| panic!("{status}: expected UndocumentedResponse, got {error:?}"));
        assert_eq!(raw.status, status);
        assert_eq!(raw.headers["x-trace"], "t-1", "{status}");
        assert_eq!(raw.excerpt, body, "{status}");
        assert_eq!(raw.length, body.len(), "{status}");
        assert!(raw.complete && raw.mismatch.is_none(), "{status}: {raw:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert!(!error.is_timeout());
    }
    let server = Recorder::script(vec![Reply::status(418)]).await;
    let error = avepoint(server.base_url(), RetryPolicy::none())
        .get_customer()
        .id("c-1")
        .send()
        .await
        .expect_err("418");
    assert_eq!(
        error.to_string(),
        "undocumented response status 418 I'm a teapot with an empty body"
    );
}

/// An error body far longer than the read limit is read only up to
/// `ERROR_BODY_LIMIT` bytes (`complete` is false, `length` is the limit)
/// and its excerpt is at most `EXCERPT_LIMIT` bytes, cut at a character
/// boundary (two-byte characters, so no half of one) and marked with `…`.
#[tokio::test]
async fn a_huge_error_body_is_read_bounded_with_a_char_boundary_excerpt() {
    let body = "é".repeat(ERROR_BODY_LIMIT * 2);
    let server = Recorder::script(vec![Reply::status(502).body(body.clone())]).await;
    let error = avepoint(server.base_url(), RetryPolicy::none())
        .get_customer()
        .id("c-1")
        .send()
        .await
        .expect_err("502");
    let raw = error.raw_response().expect("an undocumented response");
    assert_eq!(raw.status, 502);
    assert!(!raw.complete);
    assert_eq!(raw.length, ERROR_BODY_LIMIT);
    let shown = raw.excerpt.strip_suffix('…').expect("the cut is marked");
    assert!(shown.len() <= EXCERPT_LIMIT, "{} bytes", shown.len());
    assert!(!shown.contains('\u{FFFD}'), "{shown}");
    assert!(body.starts_with(shown));
    assert!(error.to_string().contains("more than"), "{error}");
}

/// A next-page link answered with a gateway page gives the same raw error
/// from the stream, after the first page's items.
#[tokio::test]
async fn partner_center_next_page_with_a_gateway_page_is_an_undocumented_response() {
    let first = json!({
        "totalCount": 1,
        "items": [{"id": "c-1"}],
        "links": {"next": {"uri": "/v1/customers?size=1&seekOperation=Next", "method": "GET",
                           "headers": [{"key": "MS-ContinuationToken", "value": "tok"}]}},
        "attributes": {"objectType": "Collection"},
    });
    let server = Recorder::script(vec![
        Reply::json(200, &first),
        Reply::status(404)
            .header("content-type", "text/html")
            .body(GATEWAY_PAGE),
    ])
    .await;
    let client = partner_center(server.base_url(), RetryPolicy::none());
    let results: Vec<_> = client.list_customers().size(1).stream().collect().await;
    let [Ok(first), Err(error)] = &results[..] else {
        panic!("expected one item and an error, got {results:?}");
    };
    assert_eq!(first.id, "c-1");
    let raw = error.raw_response().expect("an undocumented response");
    assert_eq!(raw.status, 404);
    assert_eq!(raw.excerpt, GATEWAY_PAGE);
    assert_eq!(server.hits(), 2);
}

// --- timeouts ----------------------------------------------------------------

/// A GET that times out fails with `is_timeout()` and "timed out" in the
/// top-level message; being idempotent, it is sent `max_attempts` (3)
/// times. With `with_retry_timeouts(false)` it is sent once. The timeout set
/// on the builder also applies over a caller's own HTTP client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_get_says_so_and_is_retried_only_as_the_policy_allows() {
    let server = Recorder::start(slowly(Reply::json(200, &json!({"id": "x"})))).await;
    let policies = [
        (fast_retries().with_max_attempts(3), 3),
        (
            fast_retries()
                .with_max_attempts(3)
                .with_retry_timeouts(false),
            1,
        ),
    ];
    for (policy, sends) in policies {
        let before = server.hits();
        let client = avepoint_graph::Client::builder(server.base_url())
            .http_client(reqwest::Client::new())
            .timeout(TIMEOUT)
            .retry(policy.clone())
            .build()
            .expect("client builds");
        let error = client
            .get_customer()
            .id("c-1")
            .send()
            .await
            .expect_err("the server is too slow");
        assert!(error.is_timeout(), "{error:?}");
        let shown = error.to_string();
        assert!(shown.starts_with("request timed out"), "{shown}");
        assert_eq!(server.hits() - before, sends, "{policy:?}");
    }
}

/// A non-idempotent POST that times out is sent exactly once, even when the
/// policy retries non-idempotent operations: it may have reached the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_post_is_never_sent_again() {
    let server = Recorder::start(slowly(Reply::json(200, &json!({"id": "a1"})))).await;
    let client = hostile_names::Client::builder(server.base_url())
        .auth(
            &hostile_names::schemes::BEARER,
            BearerToken::new(Secret::new("test-token".to_owned())),
        )
        .timeout(TIMEOUT)
        .retry(fast_retries().with_retry_non_idempotent(true))
        .build()
        .expect("client builds");
    let error = client
        .type_()
        .request("r")
        .info("i")
        .body(hostile_names::types::Thing {
            id: "t1".to_owned(),
            kind: None,
            level: hostile_names::types::ThingLevel::from(1),
        })
        .send()
        .await
        .expect_err("the server is too slow");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.hits(), 1);
}

/// A token request slower than the token source's timeout fails the call
/// with `Error::Auth` whose `is_timeout()` is true; the token endpoint saw
/// exactly one request and the API none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_request_times_out_at_the_sources_timeout() {
    let idp = Recorder::start(slowly(Reply::json(
        200,
        &json!({"access_token": "t", "token_type": "Bearer", "expires_in": 3600}),
    )))
    .await;
    let api = Recorder::script(vec![Reply::json(200, &json!({"id": "x"}))]).await;
    let tokens = ClientCredentials::builder(
        format!("{}/connect/token", idp.base_url()),
        "client-id",
        ClientCredential::Secret(Secret::new("client-secret")),
    )
    .allow_insecure_loopback()
    .timeout(TIMEOUT)
    .build()
    .expect("loopback token url is accepted");
    let client = avepoint_graph::Client::builder(api.base_url())
        .auth(&avepoint_graph::schemes::ELEMENTS_COMMERCIAL, tokens)
        .retry(fast_retries())
        .build()
        .expect("client builds");
    let error = client
        .get_customer()
        .id("c-1")
        .send()
        .await
        .expect_err("the token endpoint is too slow");
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.to_string().contains("timed out"), "{error}");
    assert_eq!(idp.hits(), 1);
    assert_eq!(api.hits(), 0);
}

// --- path parameters ---------------------------------------------------------

/// Every character outside RFC 3986's unreserved set is percent-encoded in a
/// path segment: `\` (which URL parsing would turn into `/`), `;`, `%`, `#`,
/// `?`, `/`, spaces, the other reserved characters and non-ASCII (as UTF-8
/// bytes). The raw request line shows exactly one segment in each case.
#[tokio::test]
async fn path_parameters_are_one_segment_on_the_wire_whatever_they_contain() {
    let server = Recorder::script(vec![Reply::json(200, &json!({"id": "x"}))]).await;
    let client = avepoint(server.base_url(), RetryPolicy::none());
    let cases = [
        (r"..\customers\victim", "..%5Ccustomers%5Cvictim"),
        (r"a\b", "a%5Cb"),
        ("a;b=c", "a%3Bb%3Dc"),
        ("100%", "100%25"),
        ("%2E%2E", "%252E%252E"),
        ("a#frag", "a%23frag"),
        ("a?x=1", "a%3Fx%3D1"),
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("with space", "with%20space"),
        ("!$&'()*+,:@[]", "%21%24%26%27%28%29%2A%2B%2C%3A%40%5B%5D"),
        ("é€😀", "%C3%A9%E2%82%AC%F0%9F%98%80"),
        ("keep-._~AZ09", "keep-._~AZ09"),
    ];
    for (id, segment) in cases {
        let before = server.hits();
        client
            .get_customer()
            .id(id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("id {id:?}: {e}"));
        let requests = server.requests();
        assert_eq!(requests.len(), before + 1, "id {id:?}");
        assert_eq!(
            requests[before].target,
            format!("/partner/customers/{segment}"),
            "id {id:?}: the raw request target"
        );
    }
}

/// Two path parameters of one operation are encoded each on its own.
#[tokio::test]
async fn two_path_parameters_are_encoded_independently() {
    let server = Recorder::script(vec![Reply::json(200, &json!({"id": "a1"}))]).await;
    let client = hostile_names::Client::builder(server.base_url())
        .auth(
            &hostile_names::schemes::BEARER,
            BearerToken::new(Secret::new("test-token".to_owned())),
        )
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    client
        .type_()
        .request(r"a\..")
        .info("b;c d")
        .body(hostile_names::types::Thing {
            id: "t1".to_owned(),
            kind: None,
            level: hostile_names::types::ThingLevel::from(1),
        })
        .send()
        .await
        .expect("the call succeeds");
    let [request] = server.requests().try_into().expect("one request");
    assert_eq!(request.path(), "/things/a%5C../b%3Bc%20d");
}

// --- base urls ---------------------------------------------------------------

/// `Client::new` and `Client::builder` both trim a trailing `/` of the base
/// URL, so the request line is `/partner/customers/c-1`, not `//partner/..`.
#[tokio::test]
async fn a_trailing_slash_of_the_base_url_is_trimmed_by_new_and_builder() {
    let server = Recorder::script(vec![Reply::json(200, &json!({"id": "x"}))]).await;
    let base = format!("{}/", server.base_url());
    let clients = [
        avepoint_graph::Client::new(&base),
        avepoint(&base, RetryPolicy::none()),
    ];
    for client in &clients {
        client
            .get_customer()
            .id("c-1")
            .send()
            .await
            .expect("the call succeeds");
    }
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        ["/partner/customers/c-1", "/partner/customers/c-1"]
    );
}
