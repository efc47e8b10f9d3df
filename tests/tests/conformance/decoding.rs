//! Responses decode whatever the service sends that fits the type: the
//! constraints of a schema (`maxLength`, `minLength`, `pattern`) describe
//! what the service accepts, so they are checked where a request value is
//! built and not when a response is read; and a `null` of an optional
//! nullable property survives the round trip, apart from an absent member.

use conformance::{partner_center, responses_for};
use httpmock::MockServer;
use partner_center::{types, Client, Error};
use serde_json::{json, Value};

/// The first sample of `createCustomer`'s 201, a customer with a billing
/// address whose `state` is documented as `WA`, with that state replaced.
fn customer_with_state(state: &str) -> Value {
    let sample = responses_for(&partner_center().samples, "createCustomer", "201")
        .into_iter()
        .next()
        .expect("a createCustomer 201 sample");
    let mut customer = sample.value.clone();
    let address = customer
        .pointer_mut("/billingProfile/defaultAddress")
        .expect("the sample has a billing address");
    assert_eq!(address["state"], "WA", "the documented state");
    address["state"] = json!(state);
    customer
}

/// A `list_customers` page with a customer whose `state` is `NSW` (three
/// characters, where requests allow two) decodes, the state intact; the
/// same value is still refused when a request value is built from it.
#[tokio::test]
async fn a_customer_whose_state_is_nsw_decodes_in_a_list_page() {
    let customer = customer_with_state("NSW");
    let page = json!({
        "totalCount": 1,
        "items": [customer],
        "attributes": { "objectType": "Collection" }
    });
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/v1/customers");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(page.clone());
        })
        .await;
    let client = Client::new(&server.base_url());
    let got = client
        .list_customers()
        .send()
        .await
        .expect("a page with an NSW state decodes")
        .into_inner();
    mock.assert_async().await;
    let items = got.items.as_deref().expect("items");
    let state = items[0]
        .billing_profile
        .as_ref()
        .and_then(|profile| profile.default_address.as_ref())
        .and_then(|address| address.state.as_ref())
        .expect("a state");
    assert_eq!(state.as_str(), "NSW");
    // Written back unchanged.
    assert_eq!(serde_json::to_value(&got).unwrap()["items"][0], customer);
    // Building a request value still checks the documented limit.
    assert!(types::AddressState::try_from("NSW").is_err());
    assert!(types::AddressState::try_from("WA").is_ok());
}

/// An error whose `description` is longer than the documented 1,024
/// characters still comes back as the typed error body.
#[tokio::test]
async fn an_error_description_past_its_limit_is_still_the_typed_error() {
    let description = "x".repeat(1_500);
    let body = json!({ "code": 600008, "description": description, "source": "PartnerFD" });
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/v1/customers");
            then.status(404)
                .header("content-type", "application/json")
                .json_body(body.clone());
        })
        .await;
    let client = Client::new(&server.base_url());
    let result = client.list_customers().send().await;
    mock.assert_async().await;
    match result {
        Err(Error::ErrorResponse(error)) => {
            assert_eq!(error.status(), 404);
            assert_eq!(error.description.len(), 1_500);
        }
        other => panic!("expected the typed error body, got {other:?}"),
    }
    assert!(types::ErrorResponseDescription::try_from("x".repeat(1_025)).is_err());
}

/// `softDeletionTime` is optional and nullable: absent, `null` and a value
/// each decode to their own value and are written back as they came.
#[test]
fn an_optional_nullable_property_keeps_null_apart_from_absent() {
    for (member, expected) in [
        (None, None),
        (Some(Value::Null), Some(None)),
        (
            Some(json!("2025-01-01T00:00:00Z")),
            Some(Some("2025-01-01T00:00:00Z".to_owned())),
        ),
    ] {
        let mut user = json!({ "id": "4d5e6f7a", "displayName": "Test" });
        if let Some(member) = &member {
            user["softDeletionTime"] = member.clone();
        }
        let read: types::CustomerUser = serde_json::from_value(user.clone()).unwrap();
        assert_eq!(read.soft_deletion_time, expected, "{user}");
        assert_eq!(serde_json::to_value(&read).unwrap(), user);
    }
}
