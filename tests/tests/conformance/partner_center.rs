//! Partner Center: the documented samples of `specs/partner-center.yaml`
//! against the generated `partner_center` client.

use std::collections::BTreeMap;

use conformance::{
    check_response_samples, match_path_template, operation, operation_ids, parameter_samples,
    partner_center, request_samples, response_header_samples, response_samples, response_status,
    responses_for, roundtrip_check, sample_description, sample_label, RequestSample, TypeTableRow,
};
use httpmock::MockServer;
use partner_center::uuid::Uuid;
use partner_center::{types, Client, Error};
use serde_json::{json, Value};

/// The generated type of every documented response, by operation and status.
const TYPE_TABLE: &[TypeTableRow] = &[
    (
        "listCustomers",
        "200",
        roundtrip_check::<types::CustomerCollection>,
    ),
    (
        "listCustomers",
        "4XX",
        roundtrip_check::<types::ErrorResponse>,
    ),
    (
        "listCustomers",
        "5XX",
        roundtrip_check::<types::ErrorResponse>,
    ),
    ("getCustomer", "200", roundtrip_check::<types::Customer>),
    (
        "getCustomer",
        "4XX",
        roundtrip_check::<types::ErrorResponse>,
    ),
    (
        "getCustomer",
        "5XX",
        roundtrip_check::<types::ErrorResponse>,
    ),
];

/// The operations the client tests below exercise, in document order.
const CLIENT_TESTED: &[&str] = &["listCustomers", "getCustomer"];

/// The concrete status each documented status range is served with. The
/// only 4XX sample is the "not found" body, which the error-codes page
/// pairs with HTTP 404.
const RANGE_STATUS: &[(&str, u16)] = &[("4XX", 404), ("5XX", 500)];

#[test]
fn every_response_sample_round_trips_through_its_generated_type() {
    let (checked, problems) = check_response_samples(&partner_center().samples, TYPE_TABLE);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 0, "no response sample found");
}

#[test]
fn every_operation_has_a_client_test() {
    assert_eq!(operation_ids(&partner_center().spec), CLIENT_TESTED);
}

/// The documented values of a parameter or 200 response header, as
/// strings.
fn documented_values(samples: Vec<&codegen::samples::Sample>) -> Vec<String> {
    samples
        .into_iter()
        .map(|s| {
            s.value
                .as_str()
                .unwrap_or_else(|| panic!("{} is not a string", sample_label(s)))
                .to_owned()
        })
        .collect()
}

/// The documented request line a response sample comes from: the one whose
/// source page the sample's description names. Exactly one must match.
fn request_for<'a>(
    response: &codegen::samples::Sample,
    requests: &'a [RequestSample],
) -> &'a RequestSample {
    let description = sample_description(&partner_center().spec, response)
        .unwrap_or_else(|| panic!("{} has no description", sample_label(response)));
    let matching: Vec<&RequestSample> = requests
        .iter()
        .filter(|r| description.contains(&r.source))
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "{}: expected exactly one request sample whose source its description names, found {matching:?}",
        sample_label(response)
    );
    matching[0]
}

/// The path a documented request line asks for, with every `<name>`
/// placeholder of a path parameter replaced by `values[name]`.
fn concrete_path(template: &str, request: &RequestSample, values: &BTreeMap<&str, &str>) -> String {
    let params = match_path_template(template, request.path()).unwrap_or_else(|| {
        panic!(
            "{}: {} does not match {template}",
            request.source,
            request.path()
        )
    });
    let mut path = template.to_owned();
    for (name, value) in params {
        let value = if value == format!("<{name}>") {
            values
                .get(name.as_str())
                .unwrap_or_else(|| panic!("no value for placeholder <{name}>"))
                .to_string()
        } else {
            value
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    path
}

/// What a documented request line sends, checked against the spec: its
/// `MS-CorrelationId` and `MS-RequestId` values, each among the documented
/// values of that header parameter of the operation, and an HTTP client
/// that sends its `Authorization` header by default (the generated client
/// has no authentication of its own). `Accept` must be `application/json`,
/// which the client sends itself; any other documented header fails the
/// test, since the client has no way to send it.
struct DocumentedCall<'r> {
    http: reqwest::Client,
    correlation_id: &'r str,
    request_id: &'r str,
}

/// Reads the [`DocumentedCall`] of `request`, a request line of `operation_id`.
fn documented_call<'r>(operation_id: &str, request: &'r RequestSample) -> DocumentedCall<'r> {
    let samples = &partner_center().samples;
    let documented = |name| documented_values(parameter_samples(samples, operation_id, name));
    let (correlation_ids, request_ids) =
        (documented("MS-CorrelationId"), documented("MS-RequestId"));
    let mut default_headers = reqwest::header::HeaderMap::new();
    let (mut correlation_id, mut request_id) = (None, None);
    for (name, value) in &request.headers {
        match name.as_str() {
            "MS-CorrelationId" => {
                assert!(
                    correlation_ids.contains(value),
                    "{}: {name} {value}",
                    request.source
                );
                correlation_id = Some(value.as_str());
            }
            "MS-RequestId" => {
                assert!(
                    request_ids.contains(value),
                    "{}: {name} {value}",
                    request.source
                );
                request_id = Some(value.as_str());
            }
            "Accept" => assert_eq!(value, "application/json", "{}", request.source),
            "Authorization" => {
                default_headers.insert(
                    reqwest::header::AUTHORIZATION,
                    value.parse().expect("header value"),
                );
            }
            other => panic!(
                "{}: no way to send documented header {other}",
                request.source
            ),
        }
    }
    DocumentedCall {
        http: reqwest::Client::builder()
            .default_headers(default_headers)
            .build()
            .unwrap(),
        correlation_id: correlation_id.expect("request sample has MS-CorrelationId"),
        request_id: request_id.expect("request sample has MS-RequestId"),
    }
}

/// Checks that the server may echo `call`'s GUIDs: both must be documented
/// values of the `MS-CorrelationId` and `MS-RequestId` headers of the
/// operation's 200 response.
fn assert_echo_is_documented(operation_id: &str, call: &DocumentedCall<'_>, label: &str) {
    let echoed = |name| {
        documented_values(response_header_samples(
            &partner_center().samples,
            operation_id,
            "200",
            name,
        ))
    };
    assert!(
        echoed("MS-CorrelationId")
            .iter()
            .any(|v| v == call.correlation_id),
        "{label}: MS-CorrelationId {} is not a documented response header value",
        call.correlation_id
    );
    assert!(
        echoed("MS-RequestId").iter().any(|v| v == call.request_id),
        "{label}: MS-RequestId {} is not a documented response header value",
        call.request_id
    );
}

/// The documented error samples (4XX and 5XX) of `operation_id`, each with
/// the concrete status it is served with.
fn error_samples(operation_id: &str) -> Vec<(&'static codegen::samples::Sample, u16)> {
    let errors: Vec<_> = response_samples(&partner_center().samples)
        .into_iter()
        .filter(|s| s.operation == operation_id && response_status(s) != Some("200"))
        .map(|sample| {
            let range = response_status(sample).unwrap();
            let status = RANGE_STATUS
                .iter()
                .find(|(r, _)| *r == range)
                .unwrap_or_else(|| {
                    panic!(
                        "{}: no concrete status chosen for {range}",
                        sample_label(sample)
                    )
                })
                .1;
            (sample, status)
        })
        .collect();
    assert!(!errors.is_empty(), "{operation_id} has no error sample");
    assert!(
        errors
            .iter()
            .any(|(s, _)| response_status(s) == Some("4XX")),
        "{operation_id}: no 4XX sample to serve as the 404 body"
    );
    errors
}

/// The `x-pagination` extension of `operation_id`.
fn pagination(operation_id: &str) -> &'static Value {
    let (_, _, op) = operation(&partner_center().spec, operation_id).unwrap();
    op.get("x-pagination")
        .unwrap_or_else(|| panic!("{operation_id} has no x-pagination"))
}

/// A string field of an `x-pagination` extension.
fn pagination_field<'a>(pagination: &'a Value, field: &str) -> &'a str {
    pagination[field]
        .as_str()
        .unwrap_or_else(|| panic!("x-pagination has no string `{field}`: {pagination}"))
}

/// `getCustomer`, for each 200 sample (current, 2023, 2017): the request line
/// of the same page is sent exactly as documented (its `Authorization`,
/// `Accept`, `MS-CorrelationId` and `MS-RequestId` headers reach the
/// server, on the path with the tenant id the response describes), the
/// server answers with the sample and the documented `MS-CorrelationId` and
/// `MS-RequestId` response headers, and the client returns the typed
/// `Customer` and exposes both headers.
#[tokio::test]
async fn get_customer_sends_each_documented_request_and_returns_its_sample() {
    let loaded = partner_center();
    let (template, method, _) = operation(&loaded.spec, "getCustomer").unwrap();
    let requests = request_samples(&loaded.spec, "getCustomer");
    let tenant_ids = documented_values(parameter_samples(
        &loaded.samples,
        "getCustomer",
        "customer-tenant-id",
    ));

    let responses = responses_for(&loaded.samples, "getCustomer", "200");
    assert!(!responses.is_empty(), "getCustomer has no 200 sample");
    let server = MockServer::start_async().await;
    for response in responses {
        let label = sample_label(response);
        let expected: types::Customer = serde_json::from_value(response.value.clone())
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let request = request_for(response, &requests);
        assert!(
            request.method.eq_ignore_ascii_case(method),
            "{}",
            request.source
        );

        // The tenant id in the path: the parameter example that is the id
        // of the customer the response describes.
        let tenant_id = response.value["id"].as_str().expect("customer id");
        assert!(
            tenant_ids.iter().any(|t| t == tenant_id),
            "{label}: id {tenant_id} is not among the path parameter's examples {tenant_ids:?}"
        );
        let path = concrete_path(
            template,
            request,
            &BTreeMap::from([("customer-tenant-id", tenant_id)]),
        );

        // Every documented header goes out: the two GUIDs as arguments, the
        // bearer token as a default header of the HTTP client, Accept by the
        // client. The server echoes both GUIDs, as the samples show.
        let call = documented_call("getCustomer", request);
        assert_echo_is_documented("getCustomer", &call, &label);
        let (correlation_id, request_id) = (call.correlation_id, call.request_id);

        let mock = server
            .mock_async(|when, then| {
                let mut when = when
                    .method(request.method.as_str())
                    .path(path.as_str())
                    .query_param_count(".*", ".*", 0)
                    .header("accept", "application/json")
                    .header("MS-CorrelationId", correlation_id)
                    .header("MS-RequestId", request_id);
                for (name, value) in &request.headers {
                    when = when.header(name.as_str(), value.as_str());
                }
                then.status(200)
                    .header("content-type", "application/json")
                    .header("MS-CorrelationId", correlation_id)
                    .header("MS-RequestId", request_id)
                    .json_body(response.value.clone());
            })
            .await;
        let client = Client::new_with_client(
            &server.base_url(),
            call.http,
            partner_center::runtime::Runtime::new(&partner_center::API),
        );
        let result = client
            .get_customer()
            .customer_tenant_id(Uuid::parse_str(tenant_id).expect("tenant id is a GUID"))
            .ms_correlation_id(Uuid::parse_str(correlation_id).expect("GUID"))
            .ms_request_id(Uuid::parse_str(request_id).expect("GUID"))
            .send()
            .await;
        // Checked first: on a mismatch httpmock explains what differed.
        mock.assert_async().await;
        let got = result.unwrap_or_else(|e| panic!("{label} via {}: {e:?}", request.source));
        assert_eq!(got.status(), 200);
        let header = |name: &str| got.headers().get(name).and_then(|v| v.to_str().ok());
        assert_eq!(header("MS-CorrelationId"), Some(correlation_id), "{label}");
        assert_eq!(header("MS-RequestId"), Some(request_id), "{label}");
        assert_eq!(got.into_inner(), expected, "{label} via {}", request.source);
        mock.delete_async().await;
    }
}

/// Every documented error sample (4XX and 5XX), served with a concrete
/// status from the range, comes back as `Error::ErrorResponse` holding the
/// typed `ErrorResponse` and that status.
#[tokio::test]
async fn get_customer_error_samples_come_back_as_error_response() {
    let loaded = partner_center();
    let (template, method, _) = operation(&loaded.spec, "getCustomer").unwrap();
    let tenant_ids = documented_values(parameter_samples(
        &loaded.samples,
        "getCustomer",
        "customer-tenant-id",
    ));

    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for (sample, status) in error_samples("getCustomer") {
        let label = sample_label(sample);
        let expected: types::ErrorResponse =
            serde_json::from_value(sample.value.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
        for tenant_id in &tenant_ids {
            let mock = server
                .mock_async(|when, then| {
                    when.method(method.to_uppercase().as_str())
                        .path(template.replace("{customer-tenant-id}", tenant_id))
                        .header("accept", "application/json");
                    then.status(status)
                        .header("content-type", "application/json")
                        .json_body(sample.value.clone());
                })
                .await;
            let result = client
                .get_customer()
                .customer_tenant_id(Uuid::parse_str(tenant_id).expect("GUID"))
                .send()
                .await;
            mock.assert_async().await;
            match result {
                Err(Error::ErrorResponse(body)) => {
                    assert_eq!(body.status(), status, "{label}");
                    assert_eq!(body.into_inner(), expected, "{label}");
                }
                other => {
                    panic!("{label} served as {status}: expected ErrorResponse, got {other:?}")
                }
            }
            mock.delete_async().await;
        }
    }
}

/// A 503 whose body is not JSON is reported as an error carrying the raw
/// body, not a panic.
#[tokio::test]
async fn get_customer_non_json_503_is_an_error() {
    let loaded = partner_center();
    let (template, method, _) = operation(&loaded.spec, "getCustomer").unwrap();
    let tenant_ids = documented_values(parameter_samples(
        &loaded.samples,
        "getCustomer",
        "customer-tenant-id",
    ));
    let tenant_id = tenant_ids.first().expect("a tenant id example");
    let body = "<html><body>Service Unavailable</body></html>";
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(method.to_uppercase().as_str())
                .path(template.replace("{customer-tenant-id}", tenant_id));
            then.status(503)
                .header("content-type", "text/html")
                .body(body);
        })
        .await;
    // Without retries, so the 503 is answered once.
    let client = Client::builder(server.base_url())
        .retry(partner_center::runtime::RetryPolicy::none())
        .build()
        .unwrap();
    let result = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(tenant_id).unwrap())
        .send()
        .await;
    mock.assert_async().await;
    match result {
        Err(Error::UndocumentedResponse(raw)) => {
            assert_eq!(raw.status, 503);
            assert_eq!(raw.excerpt, body);
            assert_eq!(raw.length, body.len());
            let mismatch = raw.mismatch.as_ref().expect("why it did not decode");
            assert!(mismatch.is_syntax(), "{mismatch}");
        }
        other => panic!("expected UndocumentedResponse, got {other:?}"),
    }
}

/// A tenant id that is not a GUID is refused before anything is sent.
#[tokio::test]
async fn get_customer_rejects_a_non_guid_tenant_id_without_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = Client::new(&server.base_url());
    let result = client
        .get_customer()
        .customer_tenant_id("not-a-guid")
        .send()
        .await;
    assert!(
        matches!(result, Err(Error::InvalidRequest(_))),
        "{result:?}"
    );
    assert_eq!(mock.calls_async().await, 0);
}

/// The documented values of the integer query parameter `size` of
/// `listCustomers`.
fn documented_sizes() -> Vec<i64> {
    parameter_samples(&partner_center().samples, "listCustomers", "size")
        .into_iter()
        .map(|s| {
            s.value
                .as_i64()
                .unwrap_or_else(|| panic!("{} is not an integer", sample_label(s)))
        })
        .collect()
}

/// `listCustomers`, for its 200 sample: the request line of the same page is
/// sent exactly as documented (`GET /v1/customers?size=40` with no other
/// query parameter, and its `Authorization`, `Accept`, `MS-CorrelationId`
/// and `MS-RequestId` headers reach the server), the server answers with the
/// sample and the documented `MS-CorrelationId` and `MS-RequestId` response
/// headers, and the client returns the typed `CustomerCollection` and
/// exposes both headers.
#[tokio::test]
async fn list_customers_sends_the_documented_request_and_returns_its_sample() {
    let loaded = partner_center();
    let (template, method, _) = operation(&loaded.spec, "listCustomers").unwrap();
    let requests = request_samples(&loaded.spec, "listCustomers");
    let sizes = documented_sizes();

    let responses = responses_for(&loaded.samples, "listCustomers", "200");
    assert!(!responses.is_empty(), "listCustomers has no 200 sample");
    let server = MockServer::start_async().await;
    for response in responses {
        let label = sample_label(response);
        let expected: types::CustomerCollection = serde_json::from_value(response.value.clone())
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let request = request_for(response, &requests);
        assert!(
            request.method.eq_ignore_ascii_case(method),
            "{}",
            request.source
        );
        let path = concrete_path(template, request, &BTreeMap::new());

        // The page size exactly as the documented URL gives it, the only
        // query parameter there.
        let size = match request.query().as_slice() {
            [("size", size)] => size
                .parse::<i32>()
                .unwrap_or_else(|e| panic!("{}: size {size}: {e}", request.source)),
            other => panic!(
                "{}: expected only a size query parameter, found {other:?}",
                request.source
            ),
        };
        assert!(
            sizes.contains(&i64::from(size)),
            "{}: size {size} is not among the parameter's examples {sizes:?}",
            request.source
        );

        let call = documented_call("listCustomers", request);
        assert_echo_is_documented("listCustomers", &call, &label);
        let (correlation_id, request_id) = (call.correlation_id, call.request_id);

        let mock = server
            .mock_async(|when, then| {
                let mut when = when
                    .method("GET")
                    .path(path.as_str())
                    .query_param("size", size.to_string())
                    .query_param_count(".*", ".*", 1)
                    .header("accept", "application/json")
                    .header("MS-CorrelationId", correlation_id)
                    .header("MS-RequestId", request_id);
                for (name, value) in &request.headers {
                    when = when.header(name.as_str(), value.as_str());
                }
                then.status(200)
                    .header("content-type", "application/json")
                    .header("MS-CorrelationId", correlation_id)
                    .header("MS-RequestId", request_id)
                    .json_body(response.value.clone());
            })
            .await;
        let client = Client::new_with_client(
            &server.base_url(),
            call.http,
            partner_center::runtime::Runtime::new(&partner_center::API),
        );
        let result = client
            .list_customers()
            .size(size)
            .ms_correlation_id(Uuid::parse_str(correlation_id).expect("GUID"))
            .ms_request_id(Uuid::parse_str(request_id).expect("GUID"))
            .send()
            .await;
        // Checked first: on a mismatch httpmock explains what differed.
        mock.assert_async().await;
        let got = result.unwrap_or_else(|e| panic!("{label} via {}: {e:?}", request.source));
        assert_eq!(got.status(), 200);
        let header = |name: &str| got.headers().get(name).and_then(|v| v.to_str().ok());
        assert_eq!(header("MS-CorrelationId"), Some(correlation_id), "{label}");
        assert_eq!(header("MS-RequestId"), Some(request_id), "{label}");
        assert_eq!(got.into_inner(), expected, "{label} via {}", request.source);
        mock.delete_async().await;
    }
}

/// Every documented error sample (4XX and 5XX) of `listCustomers`, served
/// with a concrete status from the range (404 for the "not found" body),
/// comes back as `Error::ErrorResponse` holding the typed `ErrorResponse`
/// and that status.
#[tokio::test]
async fn list_customers_error_samples_come_back_as_error_response() {
    let loaded = partner_center();
    let (template, method, _) = operation(&loaded.spec, "listCustomers").unwrap();
    let size = *documented_sizes().first().expect("a size example");

    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for (sample, status) in error_samples("listCustomers") {
        let label = sample_label(sample);
        let expected: types::ErrorResponse =
            serde_json::from_value(sample.value.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
        let mock = server
            .mock_async(|when, then| {
                when.method(method.to_uppercase().as_str())
                    .path(template)
                    .query_param("size", size.to_string())
                    .header("accept", "application/json");
                then.status(status)
                    .header("content-type", "application/json")
                    .json_body(sample.value.clone());
            })
            .await;
        let result = client.list_customers().size(size).send().await;
        mock.assert_async().await;
        match result {
            Err(Error::ErrorResponse(body)) => {
                assert_eq!(body.status(), status, "{label}");
                assert_eq!(body.into_inner(), expected, "{label}");
            }
            other => panic!("{label} served as {status}: expected ErrorResponse, got {other:?}"),
        }
        mock.delete_async().await;
    }
}

/// `listCustomers` pages by following a link. Its `x-pagination` names, by
/// JSON pointer into the 200 body, the item array (found as an array in
/// every documented sample) and the next link. No documented sample has a
/// next link (see the operation's `x-doc-note`), so a page is constructed
/// from the first sample plus a `links.next` of the shape the spec
/// describes, a Link whose headers carry an `MS-ContinuationToken` entry
/// (the token value is made up): it round-trips through
/// `CustomerCollection`, and the next-link pointer finds that Link.
#[test]
fn list_customers_pagination_pointers_find_items_and_next_link() {
    let pagination = pagination("listCustomers");
    assert_eq!(pagination_field(pagination, "style"), "next-link");
    let items = pagination_field(pagination, "items");
    let next_link = pagination_field(pagination, "next-link");

    let samples = responses_for(&partner_center().samples, "listCustomers", "200");
    assert!(!samples.is_empty(), "listCustomers has no 200 sample");
    for sample in &samples {
        let label = sample_label(sample);
        assert!(
            sample.value.pointer(items).is_some_and(Value::is_array),
            "{label}: {items} is not an array"
        );
        assert!(
            sample.value.pointer(next_link).is_none(),
            "{label} now shows a next link; drop the constructed one below"
        );
    }

    let mut page = samples[0].value.clone();
    let link = json!({
        "uri": "/v1/customers?size=40",
        "method": "GET",
        "headers": [{"key": "MS-ContinuationToken", "value": "constructed-token"}],
    });
    page["links"]["next"] = link.clone();
    let typed: types::CustomerCollection =
        conformance::roundtrip(&page).unwrap_or_else(|e| panic!("constructed page: {e}"));
    assert_eq!(page.pointer(next_link), Some(&link));
    let next = typed.links.and_then(|l| l.next).expect("typed next link");
    let header = &next.headers.expect("next link headers")[0];
    assert_eq!(header.key.as_deref(), Some("MS-ContinuationToken"));
    assert_eq!(header.value.as_deref(), Some("constructed-token"));
}

/// Both GUID headers of every operation ask for an automatic value
/// (`x-auto-value: uuid`: a fresh GUID per call when the caller sets none)
/// and are typed as GUIDs, so such a value is valid.
#[test]
fn every_guid_header_asks_for_an_automatic_uuid() {
    let spec = &partner_center().spec;
    for operation_id in operation_ids(spec) {
        let (_, _, op) = operation(spec, &operation_id).unwrap();
        let parameters: Vec<&Value> = op["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .map(|p| match p.get("$ref").and_then(Value::as_str) {
                Some(reference) => spec
                    .value()
                    .pointer(reference.strip_prefix('#').expect("local $ref"))
                    .unwrap_or_else(|| panic!("dangling {reference}")),
                None => p,
            })
            .collect();
        for name in ["MS-RequestId", "MS-CorrelationId"] {
            let parameter = parameters
                .iter()
                .find(|p| p["name"] == name && p["in"] == "header")
                .unwrap_or_else(|| panic!("{operation_id} has no {name} header"));
            assert_eq!(parameter["x-auto-value"], "uuid", "{operation_id} {name}");
            assert_eq!(
                parameter["schema"]["format"], "uuid",
                "{operation_id} {name}"
            );
        }
    }
}
