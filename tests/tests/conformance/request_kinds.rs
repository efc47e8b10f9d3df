//! The client generated from `tests/specs/request-kinds.yaml`: request
//! bodies of media types progenitor does not send itself go out with the
//! documented `Content-Type` and exactly the bytes given, one test per
//! kind, against a loopback server.

use request_kinds::runtime::RetryPolicy;
use request_kinds::{types, Client};
use serde_json::json;

use crate::recorder::{Recorded, Recorder, Reply};

/// A client for a server that answers every request with `reply`.
async fn answering(reply: Reply) -> (Recorder, Client) {
    let server = Recorder::script(vec![reply]).await;
    let client = Client::builder(server.base_url())
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    (server, client)
}

/// The one request the server saw.
fn only(server: &Recorder) -> Recorded {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.into_iter().next().expect("one request")
}

fn card(name: &str) -> types::Card {
    types::Card {
        name: name.to_owned(),
        balance: Some(5),
    }
}

#[tokio::test]
async fn vendor_json_is_typed_and_sent_with_its_media_type() {
    let (server, client) = answering(Reply::status(204)).await;
    client
        .put_card_vendor_json()
        .body(card("gift"))
        .send()
        .await
        .expect("204");
    let request = only(&server);
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.header("content-type"),
        Some("application/vnd.kinds.card.v1+json")
    );
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(body, json!({"name": "gift", "balance": 5}));
}

#[tokio::test]
async fn xml_is_sent_as_the_text_given_with_its_media_type() {
    // The schema describes an object; XML is not serialised from it, so the
    // client takes the document as text.
    let xml = "<card><name>gift</name></card>";
    let (server, client) = answering(Reply::status(204)).await;
    client.post_xml().body(xml).send().await.expect("204");
    let request = only(&server);
    assert_eq!(request.header("content-type"), Some("text/xml"));
    assert_eq!(request.body, xml.as_bytes());
}

#[tokio::test]
async fn a_json_web_token_is_sent_as_text() {
    let token = "eyJhbGciOiJub25lIn0.e30.";
    let (server, client) = answering(Reply::status(204)).await;
    client.post_token().body(token).send().await.expect("204");
    let request = only(&server);
    assert_eq!(request.header("content-type"), Some("application/jwt"));
    assert_eq!(request.body, token.as_bytes());
}

#[tokio::test]
async fn any_media_type_is_sent_as_a_byte_stream_the_caller_may_name() {
    let bytes = vec![0u8, 159, 146, 150, 255];
    let (server, client) = answering(Reply::status(204)).await;
    client
        .post_anything()
        .body(bytes.clone())
        .send()
        .await
        .expect("204");
    let request = only(&server);
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, bytes);

    // `*/*` names no type; the caller's `Content-Type` replaces the
    // operation's.
    let (server, client) = answering(Reply::status(204)).await;
    client
        .post_anything()
        .body(bytes.clone())
        .header("Content-Type", "application/pdf")
        .send()
        .await
        .expect("204");
    let request = only(&server);
    assert_eq!(request.header("content-type"), Some("application/pdf"));
    assert_eq!(
        request
            .headers
            .iter()
            .filter(|(n, _)| n == "content-type")
            .count(),
        1
    );
}

#[tokio::test]
async fn an_image_without_a_schema_is_bytes_with_its_media_type() {
    let png = b"\x89PNG\r\n\x1a\n".to_vec();
    let (server, client) = answering(Reply::status(204)).await;
    client
        .post_image()
        .body(png.clone())
        .send()
        .await
        .expect("204");
    let request = only(&server);
    assert_eq!(request.header("content-type"), Some("image/png"));
    assert_eq!(request.body, png);
}

#[tokio::test]
async fn multipart_form_data_is_sent_with_its_boundary() {
    let (server, client) = answering(Reply::status(204)).await;
    let form = reqwest::multipart::Form::new().text("name", "photo").part(
        "file",
        reqwest::multipart::Part::bytes(b"\x89PNG".to_vec())
            .file_name("a.png")
            .mime_str("image/png")
            .expect("mime"),
    );
    client.post_upload().body(form).send().await.expect("204");
    let request = only(&server);
    let content_type = request.header("content-type").expect("content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("multipart content type, got {content_type}"));
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.starts_with(&format!("--{boundary}\r\n")), "{body}");
    assert!(
        body.contains("Content-Disposition: form-data; name=\"name\"\r\n\r\nphoto\r\n"),
        "{body}"
    );
    assert!(
        body.contains(
            "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u{fffd}PNG\r\n"
        ),
        "{body}"
    );
    assert!(body.ends_with(&format!("--{boundary}--\r\n")), "{body}");
}

#[tokio::test]
async fn a_byte_stream_described_by_an_object_is_bytes() {
    let bytes = br#"{"name":"raw"}"#.to_vec();
    let (server, client) = answering(Reply::status(204)).await;
    client
        .post_object_stream()
        .body(bytes.clone())
        .send()
        .await
        .expect("204");
    let request = only(&server);
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn text_described_by_an_enumeration_is_text() {
    let (server, client) = answering(Reply::status(204)).await;
    client
        .post_mode_text()
        .body("fast")
        .send()
        .await
        .expect("204");
    let request = only(&server);
    assert_eq!(request.header("content-type"), Some("text/plain"));
    assert_eq!(request.body, b"fast");
}

#[tokio::test]
async fn json_with_an_encoding_map_is_plain_json_both_ways() {
    let (server, client) =
        answering(Reply::json(200, &json!({"name": "kept", "balance": 7}))).await;
    let stored = client
        .post_json_with_encoding()
        .body(card("kept"))
        .send()
        .await
        .expect("200")
        .into_inner();
    assert_eq!(
        stored,
        types::Card {
            name: "kept".into(),
            balance: Some(7)
        }
    );
    let request = only(&server);
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(body, json!({"name": "kept", "balance": 5}));
}
