//! The client generated from `tests/specs/response-kinds.yaml`: operations
//! whose documented responses have several types return an enum with a
//! variant per status, and their errors an enum of the documented error
//! bodies. One test per documented status, against a loopback server.

use response_kinds::responses::{FailVariouslyError, GetThingOrNothing, StartJob};
use response_kinds::runtime::RetryPolicy;
use response_kinds::{types, Client, Error};
use serde_json::json;

use crate::recorder::{Recorder, Reply};

/// A client for a server that answers every request with `reply`.
async fn answering(reply: Reply) -> (Recorder, Client) {
    let server = Recorder::script(vec![reply]).await;
    let client = Client::builder(server.base_url())
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    (server, client)
}

fn thing(id: &str) -> types::Thing {
    types::Thing { id: id.to_owned() }
}

#[tokio::test]
async fn a_200_with_a_body_is_its_variant() {
    let (_server, client) = answering(Reply::json(200, &json!({"id": "t1"}))).await;
    let response = client
        .get_thing_or_nothing()
        .id("t1")
        .send()
        .await
        .expect("200");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.into_inner(), GetThingOrNothing::Ok(thing("t1")));
}

#[tokio::test]
async fn a_204_without_a_body_is_its_variant() {
    let (_server, client) = answering(Reply::status(204)).await;
    let response = client
        .get_thing_or_nothing()
        .id("t1")
        .send()
        .await
        .expect("204");
    assert_eq!(response.into_inner(), GetThingOrNothing::NoContent);
}

#[tokio::test]
async fn a_200_and_a_202_decode_their_own_bodies() {
    let (_server, client) = answering(Reply::json(200, &json!({"id": "done"}))).await;
    let done = client.start_job().send().await.expect("200").into_inner();
    assert_eq!(done, StartJob::Ok(thing("done")));

    let (_server, client) = answering(Reply::json(
        202,
        &json!({"jobId": "j1", "location": "/jobs/j1"}),
    ))
    .await;
    let accepted = client.start_job().send().await.expect("202").into_inner();
    let StartJob::Accepted(job) = accepted else {
        panic!("202 must be `Accepted`, got {accepted:?}");
    };
    assert_eq!(job.job_id, "j1");
    assert_eq!(job.location.as_deref(), Some("/jobs/j1"));
}

#[tokio::test]
async fn a_202_body_is_not_read_as_the_200_type() {
    // The 202 body lacks the 200 type's required `id`: decoding by status
    // must use the 202 type and succeed.
    let (_server, client) = answering(Reply::json(202, &json!({"jobId": "j2"}))).await;
    assert!(matches!(
        client.start_job().send().await.expect("202").into_inner(),
        StartJob::Accepted(_)
    ));
}

#[tokio::test]
async fn a_201_is_the_success_and_default_is_the_error() {
    let (_server, client) = answering(Reply::json(201, &json!({"id": "new"}))).await;
    let created = client
        .create_thing()
        .send()
        .await
        .expect("201")
        .into_inner();
    assert_eq!(created, thing("new"));

    // `default` beside a 2XX code is an error, for any other status.
    for status in [400, 409, 500] {
        let (_server, client) = answering(Reply::json(status, &json!({"message": "no"}))).await;
        match client.create_thing().send().await {
            Err(Error::ErrorResponse(problem)) => {
                assert_eq!(problem.status().as_u16(), status);
                assert_eq!(problem.into_inner().message, "no");
            }
            other => panic!("{status} must be the documented error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn three_error_bodies_come_back_as_their_variants() {
    let (_server, client) = answering(Reply::json(400, &json!({"message": "bad"}))).await;
    match client.fail_variously().send().await {
        Err(Error::ErrorResponse(e)) => assert_eq!(
            e.into_inner(),
            FailVariouslyError::BadRequest(types::Problem {
                message: "bad".to_owned()
            })
        ),
        other => panic!("400: {other:?}"),
    }

    let (_server, client) = answering(Reply::json(404, &json!({"missing": "thing"}))).await;
    match client.fail_variously().send().await {
        Err(Error::ErrorResponse(e)) => assert_eq!(
            e.into_inner(),
            FailVariouslyError::NotFound(types::Missing {
                missing: "thing".to_owned()
            })
        ),
        other => panic!("404: {other:?}"),
    }

    let (_server, client) = answering(Reply::json(503, &json!({"retryAfter": 5}))).await;
    match client.fail_variously().send().await {
        Err(Error::ErrorResponse(e)) => {
            assert_eq!(e.status().as_u16(), 503);
            let FailVariouslyError::ServerError(body) = e.into_inner() else {
                panic!("503 must be `ServerError`");
            };
            assert_eq!(body.retry_after, Some(5));
        }
        other => panic!("503: {other:?}"),
    }
}

#[tokio::test]
async fn the_success_of_an_operation_with_error_enums_is_its_type() {
    let (_server, client) = answering(Reply::json(200, &json!({"id": "ok"}))).await;
    let fine = client
        .fail_variously()
        .send()
        .await
        .expect("200")
        .into_inner();
    assert_eq!(fine, thing("ok"));
}

#[tokio::test]
async fn a_default_error_with_a_text_body_keeps_the_text() {
    let (_server, client) = answering(
        Reply::status(418)
            .header("content-type", "text/html")
            .body("<p>teapot</p>"),
    )
    .await;
    match client.fail_variously().send().await {
        Err(Error::ErrorResponse(e)) => {
            assert_eq!(e.status().as_u16(), 418);
            assert_eq!(
                e.into_inner(),
                FailVariouslyError::Default("<p>teapot</p>".to_owned())
            );
        }
        other => panic!("418 is the documented `default` text error: {other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_status_is_not_a_documented_variant() {
    // `startJob` documents no error at all.
    let (_server, client) = answering(Reply::json(418, &json!({"message": "teapot"}))).await;
    match client.start_job().send().await {
        Err(Error::UndocumentedResponse(raw)) => {
            assert_eq!(raw.status.as_u16(), 418);
            assert!(raw.excerpt.contains("teapot"), "{raw:?}");
        }
        other => panic!("418 is not documented: {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_error_status_with_another_body_keeps_what_the_server_said() {
    // 404 documents `Missing`; a gateway page is not it.
    let (_server, client) = answering(Reply::status(404).body("<html>gateway</html>")).await;
    match client.fail_variously().send().await {
        Err(Error::UndocumentedResponse(raw)) => {
            assert_eq!(raw.status.as_u16(), 404);
            assert!(raw.excerpt.contains("gateway"), "{raw:?}");
            assert!(raw.mismatch.is_some(), "the mismatch is kept");
        }
        other => panic!("a 404 gateway page: {other:?}"),
    }
}

#[tokio::test]
async fn a_status_without_a_reason_phrase_is_decoded_as_documented() {
    let (_server, client) = answering(Reply::json(250, &json!({"id": "odd"}))).await;
    let response = client.get_odd_status().send().await.expect("250");
    assert_eq!(response.status().as_u16(), 250);
    assert_eq!(response.into_inner(), thing("odd"));

    // A plain 200 is not what the operation documents.
    let (_server, client) = answering(Reply::json(200, &json!({"id": "odd"}))).await;
    assert!(matches!(
        client.get_odd_status().send().await,
        Err(Error::UndocumentedResponse(_))
    ));
}

#[tokio::test]
async fn a_code_beside_its_range_is_matched_before_it() {
    let (_server, client) = answering(Reply::status(403)).await;
    let Err(Error::ErrorResponse(forbidden)) = client.get_ranged().send().await else {
        panic!("403 is a documented error");
    };
    assert_eq!(forbidden.status().as_u16(), 403);

    let (_server, client) = answering(Reply::json(409, &json!({"message": "conflict"}))).await;
    match client.get_ranged().send().await {
        Err(Error::ErrorResponse(e)) => {
            assert!(format!("{:?}", e.into_inner()).contains("conflict"))
        }
        other => panic!("409 falls in `4XX`: {other:?}"),
    }
}
