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

/// The generated type of every documented response, by operation and status.
const TYPE_TABLE: &[TypeTableRow] = &[
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

/// The operations the client tests below exercise.
const CLIENT_TESTED: &[&str] = &["getCustomer"];

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

/// The documented values of a `getCustomer` parameter or 200 response
/// header, as strings.
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
    let request_ids = documented_values(parameter_samples(
        &loaded.samples,
        "getCustomer",
        "MS-RequestId",
    ));
    let correlation_ids = documented_values(parameter_samples(
        &loaded.samples,
        "getCustomer",
        "MS-CorrelationId",
    ));
    let echoed = |name| {
        documented_values(response_header_samples(
            &loaded.samples,
            "getCustomer",
            "200",
            name,
        ))
    };
    let (echoed_correlation_ids, echoed_request_ids) =
        (echoed("MS-CorrelationId"), echoed("MS-RequestId"));

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
        // bearer token as a default header of the HTTP client (the generated
        // client has no authentication of its own), Accept by the client.
        let mut builder = reqwest::Client::builder();
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
        builder = builder.default_headers(default_headers);
        let correlation_id = correlation_id.expect("request sample has MS-CorrelationId");
        let request_id = request_id.expect("request sample has MS-RequestId");
        // The response headers echo the request's GUIDs; both must be
        // documented response-header values.
        assert!(
            echoed_correlation_ids.iter().any(|v| v == correlation_id),
            "{label}"
        );
        assert!(
            echoed_request_ids.iter().any(|v| v == request_id),
            "{label}"
        );

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
        let client = Client::new_with_client(&server.base_url(), builder.build().unwrap());
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
    let errors: Vec<_> = response_samples(&loaded.samples)
        .into_iter()
        .filter(|s| s.operation == "getCustomer" && response_status(s) != Some("200"))
        .collect();
    assert!(!errors.is_empty(), "getCustomer has no error sample");
    assert!(
        errors.iter().any(|s| response_status(s) == Some("4XX")),
        "no 4XX sample to serve as the 404 body"
    );

    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for sample in errors {
        let label = sample_label(sample);
        let range = response_status(sample).unwrap();
        let status = RANGE_STATUS
            .iter()
            .find(|(r, _)| *r == range)
            .unwrap_or_else(|| panic!("{label}: no concrete status chosen for {range}"))
            .1;
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
    let client = Client::new(&server.base_url());
    let result = client
        .get_customer()
        .customer_tenant_id(Uuid::parse_str(tenant_id).unwrap())
        .send()
        .await;
    mock.assert_async().await;
    match result {
        Err(Error::InvalidResponsePayload(bytes, err)) => {
            assert_eq!(&bytes[..], body.as_bytes());
            assert!(err.is_syntax(), "{err}");
        }
        other => panic!("expected InvalidResponsePayload, got {other:?}"),
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
