//! AvePoint Graph: the documented samples of `specs/avepoint-graph.yaml`
//! against the generated `avepoint_graph` client.

use avepoint_graph::{types, Client};
use conformance::{
    avepoint, check_response_samples, match_path_template, operation, operation_ids,
    parameter_samples, request_samples, responses_for, roundtrip_check, sample_label,
    RequestSample, TypeTableRow,
};
use httpmock::MockServer;
use serde_json::{json, Value};

/// The generated type of every documented response, by operation and status.
const TYPE_TABLE: &[TypeTableRow] = &[
    ("getCustomer", "200", roundtrip_check::<types::Customer>),
    (
        "getCustomersBatch",
        "200",
        roundtrip_check::<types::CustomerPage>,
    ),
];

/// The operations the client tests below exercise.
const CLIENT_TESTED: &[&str] = &["getCustomer", "getCustomersBatch"];

#[test]
fn every_response_sample_round_trips_through_its_generated_type() {
    let (checked, problems) = check_response_samples(&avepoint().samples, TYPE_TABLE);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 0, "no response sample found");
}

#[test]
fn every_operation_has_a_client_test() {
    assert_eq!(operation_ids(&avepoint().spec), CLIENT_TESTED);
}

/// The documented request lines of `operation_id`, checked to use the
/// operation's method.
fn documented_requests(operation_id: &str) -> Vec<RequestSample> {
    let spec = &avepoint().spec;
    let (_, method, _) = operation(spec, operation_id).expect("operation exists");
    let requests = request_samples(spec, operation_id);
    assert!(
        !requests.is_empty(),
        "{operation_id} has no x-request-samples"
    );
    for request in &requests {
        assert!(
            request.method.eq_ignore_ascii_case(method),
            "{}: documented method {} but the operation is {method}",
            request.source,
            request.method
        );
    }
    requests
}

/// `getCustomer`: for every response sample and every documented request
/// line, the client sends exactly the documented request (method, path with
/// the id from the URL, no query, `accept: application/json`) and returns
/// the sample as a typed `Customer`.
#[tokio::test]
async fn get_customer_sends_the_documented_request_and_returns_every_sample() {
    let loaded = avepoint();
    let (template, _, _) = operation(&loaded.spec, "getCustomer").unwrap();
    let responses = responses_for(&loaded.samples, "getCustomer", "200");
    assert!(!responses.is_empty(), "getCustomer has no 200 sample");
    let id_examples: Vec<&Value> = parameter_samples(&loaded.samples, "getCustomer", "id")
        .into_iter()
        .map(|s| &s.value)
        .collect();

    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for response in responses {
        let expected: types::Customer = serde_json::from_value(response.value.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", sample_label(response)));
        for request in documented_requests("getCustomer") {
            let path = request.path();
            let params = match_path_template(template, path)
                .unwrap_or_else(|| panic!("{}: {path} does not match {template}", request.source));
            // The id exactly as the page's URL shows it: one character
            // shorter than the id in the response sample, kept as documented.
            let id = &params["id"];
            assert!(
                id_examples.contains(&&Value::String(id.clone())),
                "{}: id {id} is not among the parameter's examples {id_examples:?}",
                request.source
            );

            let mock = server
                .mock_async(|when, then| {
                    when.method(request.method.as_str())
                        .path(path)
                        .query_param_count(".*", ".*", 0)
                        .header("accept", "application/json");
                    then.status(200)
                        .header("content-type", "application/json")
                        .json_body(response.value.clone());
                })
                .await;
            let result = client.get_customer().id(id.as_str()).send().await;
            // Checked first: on a mismatch httpmock explains what differed.
            mock.assert_async().await;
            let got = result.unwrap_or_else(|e| {
                panic!("{} via {}: {e:?}", sample_label(response), request.source)
            });
            assert_eq!(got.status(), 200);
            assert_eq!(
                got.into_inner(),
                expected,
                "{} via {}",
                sample_label(response),
                request.source
            );
            mock.delete_async().await;
        }
    }
}

/// Builds the batch request a documented page answers: the page number and
/// size from its `metadata`, and the ids of the customers on it.
fn batch_request_for(page: &Value) -> (i32, i32, Vec<String>) {
    let counter = |name: &str| {
        let n = page["metadata"][name]
            .as_i64()
            .unwrap_or_else(|| panic!("sample has no integer metadata.{name}"));
        i32::try_from(n).expect("int32")
    };
    let ids = page["data"]
        .as_array()
        .expect("sample has a data array")
        .iter()
        .map(|c| {
            c["id"]
                .as_str()
                .expect("customer id is a string")
                .to_owned()
        })
        .collect();
    (counter("pageIndex"), counter("pageSize"), ids)
}

/// `getCustomersBatch` with every argument: for every response sample and
/// every documented request line, the client POSTs to the documented path
/// with exactly the two query parameters and the JSON body
/// `{"customerIds": [...]}`, and returns the sample as a typed page.
#[tokio::test]
async fn get_customers_batch_sends_query_and_body_and_returns_every_sample() {
    let loaded = avepoint();
    let responses = responses_for(&loaded.samples, "getCustomersBatch", "200");
    assert!(!responses.is_empty(), "getCustomersBatch has no 200 sample");

    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for response in responses {
        let expected: types::CustomerPage = serde_json::from_value(response.value.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", sample_label(response)));
        let (page_index, page_size, ids) = batch_request_for(&response.value);
        for request in documented_requests("getCustomersBatch") {
            let mock = server
                .mock_async(|when, then| {
                    when.method(request.method.as_str())
                        .path(request.path())
                        .query_param("pageIndex", page_index.to_string())
                        .query_param("pageSize", page_size.to_string())
                        .query_param_count(".*", ".*", 2)
                        .header("accept", "application/json")
                        .header("content-type", "application/json")
                        .json_body(json!({ "customerIds": ids }));
                    then.status(200)
                        .header("content-type", "application/json")
                        .json_body(response.value.clone());
                })
                .await;
            let body = types::CustomerBatchRequest {
                customer_ids: Some(ids.clone()),
            };
            let result = client
                .get_customers_batch()
                .page_index(page_index)
                .page_size(page_size)
                .body(body)
                .send()
                .await;
            // Checked first: on a mismatch httpmock explains what differed.
            mock.assert_async().await;
            let got = result.unwrap_or_else(|e| {
                panic!("{} via {}: {e:?}", sample_label(response), request.source)
            });
            assert_eq!(got.status(), 200);
            assert_eq!(
                got.into_inner(),
                expected,
                "{} via {}",
                sample_label(response),
                request.source
            );
            mock.delete_async().await;
        }
    }
}

/// `getCustomersBatch` with nothing set. Observed from progenitor 0.15.1:
/// no query string at all (unset optional query parameters are left out),
/// and, although the spec's request body is optional, a body is always
/// sent: the default `CustomerBatchRequest` serialises as `{}` (two bytes)
/// with `content-type: application/json`. The request carries exactly four
/// headers: `accept: application/json`, `content-type: application/json`,
/// `host` and `content-length: 2`. In particular no `api-version`: progenitor
/// adds the spec's `info.version` under that name to every request, which
/// the vendor pages do not document, and the generator removes it.
#[tokio::test]
async fn get_customers_batch_without_arguments_sends_an_empty_object() {
    let loaded = avepoint();
    let responses = responses_for(&loaded.samples, "getCustomersBatch", "200");
    assert!(!responses.is_empty(), "getCustomersBatch has no 200 sample");

    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for response in responses {
        let expected: types::CustomerPage = serde_json::from_value(response.value.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", sample_label(response)));
        for request in documented_requests("getCustomersBatch") {
            let mock = server
                .mock_async(|when, then| {
                    when.method(request.method.as_str())
                        .path(request.path())
                        .query_param_count(".*", ".*", 0)
                        .header("accept", "application/json")
                        .header("content-type", "application/json")
                        .header_missing("api-version")
                        .header("content-length", "2")
                        .header_exists("host")
                        .header_count(".*", ".*", 4)
                        .body("{}");
                    then.status(200)
                        .header("content-type", "application/json")
                        .json_body(response.value.clone());
                })
                .await;
            let result = client.get_customers_batch().send().await;
            // Checked first: on a mismatch httpmock explains what differed.
            mock.assert_async().await;
            let got = result.unwrap_or_else(|e| {
                panic!("{} via {}: {e:?}", sample_label(response), request.source)
            });
            assert_eq!(
                got.into_inner(),
                expected,
                "{} via {}",
                sample_label(response),
                request.source
            );
            mock.delete_async().await;
        }
    }
}

/// `getCustomersBatch` only reads, so its spec marks it idempotent, and its
/// `x-pagination` describes numbered pages: the page and size parameters it
/// names are integer query parameters of the operation, the first page is
/// the page parameter's default, and in every documented 200 sample the
/// items pointer finds an array and the total pointer an integer.
#[test]
fn get_customers_batch_pagination_names_its_parameters_and_pointers() {
    let loaded = avepoint();
    let (_, _, op) = operation(&loaded.spec, "getCustomersBatch").unwrap();
    assert_eq!(op["x-idempotent"], json!(true));
    let pagination = &op["x-pagination"];
    let field = |name: &str| {
        pagination[name]
            .as_str()
            .unwrap_or_else(|| panic!("x-pagination has no string `{name}`: {pagination}"))
    };
    assert_eq!(field("style"), "page-number");

    let query_parameter = |name: &str| {
        op["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == name && p["in"] == "query")
            .unwrap_or_else(|| panic!("no query parameter {name}"))
    };
    let page = query_parameter(field("page-parameter"));
    let size = query_parameter(field("size-parameter"));
    for parameter in [page, size] {
        assert_eq!(parameter["schema"]["type"], "integer", "{parameter}");
    }
    assert_eq!(pagination["first-page"], page["schema"]["default"]);

    let (items, total) = (field("items"), field("total"));
    let samples = responses_for(&loaded.samples, "getCustomersBatch", "200");
    assert!(!samples.is_empty(), "getCustomersBatch has no 200 sample");
    for sample in samples {
        let label = sample_label(sample);
        assert!(
            sample.value.pointer(items).is_some_and(Value::is_array),
            "{label}: {items} is not an array"
        );
        assert!(
            sample.value.pointer(total).is_some_and(Value::is_i64),
            "{label}: {total} is not an integer"
        );
    }
}
