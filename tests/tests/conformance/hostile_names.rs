//! The client generated from `tests/specs/hostile-names.yaml`, whose
//! parameters are named like progenitor's own locals (`request`, `info`,
//! `result`, `response`, `client`, `body`), whose operation ids are Rust
//! keywords (`type`, `match`), and which has two parameters that differ
//! only in case (`Mode`, `mode`) and a query parameter named like the body.
//! It must compile (this file uses it) and send exactly the documented
//! request through the runtime's layers.

use futures::StreamExt;
use hostile_names::runtime::auth::Secret;
use hostile_names::runtime::{BearerToken, RetryPolicy};
use hostile_names::{schemes, types, Client};
use serde_json::json;

use crate::recorder::{Recorder, Reply};

fn client(base: &str) -> Client {
    Client::builder(base)
        .auth(
            &schemes::BEARER,
            BearerToken::new(Secret::new("test-token".to_owned())),
        )
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn every_colliding_name_reaches_the_wire_as_documented() {
    let server = Recorder::script(vec![Reply::json(
        200,
        &json!({"id": "a1", "kind": "fancy"}),
    )])
    .await;
    let thing = client(server.base_url())
        .type_()
        .request("r1")
        .info("i1")
        .result("res")
        .response(7)
        .client("cli")
        .body_query("bq")
        .mode("upper")
        .mode_query("lower")
        .body(types::Thing {
            id: "t1".to_owned(),
            kind: Some(types::Kind::Plain),
            level: types::ThingLevel::from(1),
        })
        .send()
        .await
        .expect("the call succeeds")
        .into_inner();
    assert_eq!(thing.id, "a1");
    assert_eq!(thing.kind, Some(types::Kind::Fancy));

    let [request] = server.requests().try_into().expect("one request");
    assert_eq!(request.method, "POST");
    assert_eq!(request.path(), "/things/r1/i1");
    let mut query = request.query_pairs();
    query.sort();
    let expected: Vec<(String, String)> = [
        ("Mode", "upper"),
        ("body", "bq"),
        ("client", "cli"),
        ("mode", "lower"),
        ("response", "7"),
        ("result", "res"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(query, expected);
    assert_eq!(request.header("authorization"), Some("Bearer test-token"));
    let trace = request
        .header("x-trace")
        .expect("x-auto-value header is sent");
    assert_eq!(trace.len(), 36, "a hyphenated UUID, got {trace}");
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(body, json!({"id": "t1", "kind": "plain", "level": 1}));
}

#[tokio::test]
async fn a_keyword_operation_pages_through_its_stream() {
    let server = Recorder::start(|n, _| match n {
        1 => Reply::json(
            200,
            &json!({"items": [{"id": "a"}, {"id": "b"}], "page": 1, "total": 3}),
        ),
        _ => Reply::json(200, &json!({"items": [{"id": "c"}], "page": 2, "total": 3})),
    })
    .await;
    let client = client(server.base_url());
    let ids: Vec<String> = client
        .match_()
        .stream()
        .map(|thing| thing.expect("each page decodes").id)
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c"]);
    let pages: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(pages, ["/things?page=1", "/things?page=2"]);
}

#[tokio::test]
async fn the_sample_server_answers_with_the_documented_sample() {
    let server = hostile_names::mock::sample_server().await;
    let thing = Client::new(&server.base_url())
        .type_()
        .request("x")
        .info("y")
        .body(types::Thing {
            id: "t".to_owned(),
            kind: None,
            level: types::ThingLevel::from(1),
        })
        .send()
        .await
        .expect("the sample server answers")
        .into_inner();
    assert_eq!(thing.id, "a1");
}

/// The typed mock expectations use the wire names too.
#[tokio::test]
async fn mock_expectations_match_the_wire_names() {
    use hostile_names::mock::MockServerExt;
    let server = httpmock::MockServer::start_async().await;
    let mock = server.type_(|when, then| {
        when.request("r")
            .info("i")
            .mode("upper")
            .mode_query("lower")
            .body_query("bq");
        then.ok(&types::Thing {
            id: "m".to_owned(),
            kind: None,
            level: types::ThingLevel::from(1),
        });
    });
    let thing = Client::new(&server.base_url())
        .type_()
        .request("r")
        .info("i")
        .mode("upper")
        .mode_query("lower")
        .body_query("bq")
        .body(types::Thing {
            id: "t".to_owned(),
            kind: None,
            level: types::ThingLevel::from(1),
        })
        .send()
        .await
        .expect("the mock answers")
        .into_inner();
    assert_eq!(thing.id, "m");
    mock.assert();
}
