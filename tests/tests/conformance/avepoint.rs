//! AvePoint Graph: the documented samples of `specs/avepoint-graph.yaml`
//! against the generated `avepoint_graph` client.

use std::collections::BTreeMap;
use std::future::Future;

use avepoint_graph::{types, Client};
use codegen::samples::{Sample, SampleKind};
use conformance::{
    avepoint, check_response_samples, json_differences, match_path_template, operation,
    operation_ids, parameter_samples, request_samples, responses_for, roundtrip_check,
    sample_label, RequestSample, TypeTableRow,
};
use httpmock::MockServer;
use serde_json::{json, Value};

/// The generated type of every documented response, by operation and status.
const TYPE_TABLE: &[TypeTableRow] = &[
    ("getCustomer", "200", roundtrip_check::<types::Customer>),
    (
        "listLegacyCustomers",
        "200",
        roundtrip_check::<types::LegacyCustomerList>,
    ),
    (
        "listLegacyProtectedData",
        "200",
        roundtrip_check::<types::LegacyProtectedDataList>,
    ),
    (
        "listLegacyBackupJobs",
        "200",
        roundtrip_check::<types::LegacyBackupJobList>,
    ),
    (
        "listLegacyBackupJobsOfModule",
        "200",
        roundtrip_check::<types::LegacyBackupJobList>,
    ),
    (
        "listLegacyScanProfiles",
        "200",
        roundtrip_check::<types::LegacyScanProfileList>,
    ),
    (
        "getLegacyScanProfile",
        "200",
        roundtrip_check::<types::LegacyScanProfile>,
    ),
    (
        "getLegacyScanProfileDailyDetails",
        "200",
        roundtrip_check::<types::LegacyScanProfileDailyDetails>,
    ),
    (
        "getLegacyScanProfileDailySummary",
        "200",
        roundtrip_check::<types::LegacyScanProfileDailySummary>,
    ),
    (
        "listLegacyServices",
        "200",
        roundtrip_check::<types::LegacyServiceList>,
    ),
    (
        "getLegacyCustomerServices",
        "200",
        roundtrip_check::<types::LegacyCustomerServices>,
    ),
    (
        "listCustomers",
        "200",
        roundtrip_check::<types::CustomerPage>,
    ),
    (
        "onboardCustomer",
        "200",
        roundtrip_check::<types::OnboardCustomerResult>,
    ),
    (
        "listCustomerServices",
        "200",
        roundtrip_check::<types::CustomerServicesPage>,
    ),
    (
        "addCustomerService",
        "200",
        roundtrip_check::<types::AddServiceResult>,
    ),
    (
        "listTenantUserSeats",
        "200",
        roundtrip_check::<types::TenantUserSeatsPage>,
    ),
    (
        "getProductOverview",
        "200",
        roundtrip_check::<types::ProductOverview>,
    ),
    (
        "listCloudBackupUsers",
        "200",
        roundtrip_check::<types::ProtectedUsersPage>,
    ),
    (
        "listCloudBackupOverview",
        "200",
        roundtrip_check::<types::CloudBackupOverviewPage>,
    ),
    (
        "listBackupJobs",
        "200",
        roundtrip_check::<types::BackupJobPage>,
    ),
    (
        "listScanProfiles",
        "200",
        roundtrip_check::<types::ScanProfilePage>,
    ),
    (
        "getScanProfile",
        "200",
        roundtrip_check::<types::ScanProfile>,
    ),
    (
        "getScanProfileChanges",
        "200",
        roundtrip_check::<types::ScanProfileChanges>,
    ),
    ("getTenant", "200", roundtrip_check::<types::M365Tenant>),
    (
        "getServiceAppStatus",
        "200",
        roundtrip_check::<Vec<types::ServiceAppStatus>>,
    ),
    (
        "createTenantAuthLink",
        "200",
        roundtrip_check::<types::AuthLink>,
    ),
    (
        "createAppAuthLink",
        "200",
        roundtrip_check::<types::AuthLink>,
    ),
    (
        "listUsers",
        "200",
        roundtrip_check::<types::UserSummaryPage>,
    ),
    ("getUser", "200", roundtrip_check::<types::User>),
    (
        "listSecurityUsers",
        "200",
        roundtrip_check::<types::UserSummaryPage>,
    ),
    (
        "getActionCounts",
        "200",
        roundtrip_check::<types::ActionCounts>,
    ),
    (
        "listRiskWorkflows",
        "200",
        roundtrip_check::<types::RiskWorkflowPage>,
    ),
    (
        "listWorkflowRiskUsers",
        "200",
        roundtrip_check::<types::WorkflowRiskUserPage>,
    ),
    ("listSignIns", "200", roundtrip_check::<types::SignInPage>),
    (
        "getWorkspaceOverview",
        "200",
        roundtrip_check::<types::WorkspaceOverview>,
    ),
    (
        "getWorkspaceComplianceRate",
        "200",
        roundtrip_check::<types::WorkspaceComplianceRate>,
    ),
    (
        "getRansomwareDetection",
        "200",
        roundtrip_check::<types::RansomwareDetection>,
    ),
    (
        "getDspmInsights",
        "200",
        roundtrip_check::<types::DspmInsights>,
    ),
    (
        "createBaseline",
        "201",
        roundtrip_check::<types::CreatedBaseline>,
    ),
    (
        "listBaselines",
        "200",
        roundtrip_check::<types::BaselinePage>,
    ),
    (
        "getBaselineCreationReport",
        "200",
        roundtrip_check::<types::BaselineReportPage>,
    ),
    (
        "performTenantAction",
        "200",
        roundtrip_check::<types::TenantActionResult>,
    ),
    (
        "listProcessCenterJobs",
        "200",
        roundtrip_check::<types::ProcessCenterJobPage>,
    ),
    (
        "listBaselineTenants",
        "200",
        roundtrip_check::<types::BaselineTenantPage>,
    ),
    (
        "listMatchedRiskRules",
        "200",
        roundtrip_check::<types::MatchedRiskRuleList>,
    ),
    (
        "listRiskRuleHitItems",
        "200",
        roundtrip_check::<types::RiskHitItemPage>,
    ),
];

/// The operations the client tests below exercise, in document order.
const CLIENT_TESTED: &[&str] = &[
    "getCustomer",
    "listLegacyCustomers",
    "listLegacyProtectedData",
    "listLegacyBackupJobs",
    "listLegacyBackupJobsOfModule",
    "listLegacyScanProfiles",
    "getLegacyScanProfile",
    "getLegacyScanProfileDailyDetails",
    "getLegacyScanProfileDailySummary",
    "listLegacyServices",
    "getLegacyCustomerServices",
    "listCustomers",
    "onboardCustomer",
    "listCustomerServices",
    "addCustomerService",
    "listTenantUserSeats",
    "getProductOverview",
    "listCloudBackupUsers",
    "listCloudBackupOverview",
    "listBackupJobs",
    "listScanProfiles",
    "getScanProfile",
    "getScanProfileChanges",
    "getTenant",
    "getServiceAppStatus",
    "createTenantAuthLink",
    "createAppAuthLink",
    "listUsers",
    "getUser",
    "listSecurityUsers",
    "getActionCounts",
    "listRiskWorkflows",
    "listWorkflowRiskUsers",
    "listSignIns",
    "updateUserAccountInformation",
    "updateUserAlternateEmailAddresses",
    "updateUserBirthday",
    "updateUserContactInformation",
    "updateLocalUserContactInformation",
    "updateUserGeneralInformation",
    "updateLocalUserGeneralInformation",
    "updateUserIsExternal",
    "updateUserIsTestUser",
    "updateUserManager",
    "updateLocalUserNotes",
    "updateUserOffice",
    "updateLocalUserOffice",
    "updateUserOfficeLocation",
    "updateLocalUserOfficeLocation",
    "updateUserPasswordSetting",
    "updateLocalUserProfile",
    "updateUserSponsor",
    "getWorkspaceOverview",
    "getWorkspaceComplianceRate",
    "getRansomwareDetection",
    "getDspmInsights",
    "createBaseline",
    "listBaselines",
    "getBaselineCreationReport",
    "performTenantAction",
    "listProcessCenterJobs",
    "listBaselineTenants",
    "listMatchedRiskRules",
    "listRiskRuleHitItems",
];

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

/// `listCustomers` with every argument: for every response sample and
/// every documented request line, the client POSTs to the documented path
/// with exactly the two query parameters and the JSON body
/// `{"customerIds": [...]}`, and returns the sample as a typed page.
#[tokio::test]
async fn list_customers_sends_query_and_body_and_returns_every_sample() {
    let loaded = avepoint();
    let responses = responses_for(&loaded.samples, "listCustomers", "200");
    assert!(!responses.is_empty(), "listCustomers has no 200 sample");

    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for response in responses {
        let expected: types::CustomerPage = serde_json::from_value(response.value.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", sample_label(response)));
        let (page_index, page_size, ids) = batch_request_for(&response.value);
        for request in documented_requests("listCustomers") {
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
                .list_customers()
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

/// `listCustomers` with nothing set. Observed from progenitor 0.15.1:
/// no query string at all (unset optional query parameters are left out),
/// and, although the spec's request body is optional, a body is always
/// sent: the default `CustomerBatchRequest` serialises as `{}` (two bytes)
/// with `content-type: application/json`. The request carries exactly four
/// headers: `accept: application/json`, `content-type: application/json`,
/// `host` and `content-length: 2`. In particular no `api-version`: progenitor
/// adds the spec's `info.version` under that name to every request, which
/// the vendor pages do not document, and the generator removes it.
#[tokio::test]
async fn list_customers_without_arguments_sends_an_empty_object() {
    let loaded = avepoint();
    let responses = responses_for(&loaded.samples, "listCustomers", "200");
    assert!(!responses.is_empty(), "listCustomers has no 200 sample");

    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for response in responses {
        let expected: types::CustomerPage = serde_json::from_value(response.value.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", sample_label(response)));
        for request in documented_requests("listCustomers") {
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
            let result = client.list_customers().send().await;
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

/// `listCustomers` only reads, so its spec marks it idempotent, and its
/// `x-pagination` describes numbered pages: the page and size parameters it
/// names are integer query parameters of the operation, the first page is
/// the page parameter's default, and in every documented 200 sample the
/// items pointer finds an array and the total pointer an integer.
#[test]
fn list_customers_pagination_names_its_parameters_and_pointers() {
    let loaded = avepoint();
    let (_, _, op) = operation(&loaded.spec, "listCustomers").unwrap();
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
    let samples = responses_for(&loaded.samples, "listCustomers", "200");
    assert!(!samples.is_empty(), "listCustomers has no 200 sample");
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

/// The request-body samples of `operation_id`, in document order.
fn request_bodies(operation_id: &str) -> Vec<&'static Sample> {
    avepoint()
        .samples
        .iter()
        .filter(|s| s.operation == operation_id && matches!(s.kind, SampleKind::Request { .. }))
        .collect()
}

/// The path parameters of the first documented request line of
/// `operation_id`, matched against its path template, with that path as
/// the client sends it (the masking `*` of the ids percent-encoded).
fn documented_path(operation_id: &str) -> (String, BTreeMap<String, String>) {
    let (template, _, _) = operation(&avepoint().spec, operation_id).expect("operation exists");
    let request = documented_requests(operation_id).remove(0);
    let path = request.path().to_owned();
    let params = match_path_template(template, &path)
        .unwrap_or_else(|| panic!("{}: {path} does not match {template}", request.source));
    (encoded(&path), params)
}

/// What one call must put on the wire.
struct Expected<'a> {
    operation_id: &'a str,
    /// The path exactly as it must arrive (percent-encoding included).
    path: String,
    /// Every query parameter, and no other.
    query: Vec<(&'a str, String)>,
    /// The JSON body; `None` for a request without one.
    body: Option<Value>,
}

/// Sends a typed request and gives back its 2xx body as JSON.
macro_rules! sent {
    ($builder:expr) => {
        async move {
            $builder
                .send()
                .await
                .map(|response| serde_json::to_value(response.into_inner()).expect("serializes"))
                .map_err(|e| format!("{e:?}"))
        }
    };
}

/// For every documented 200 (or 201) sample of `expected.operation_id`: a loopback
/// server answers exactly the expected request (method, path, every query
/// parameter and no other, `accept: application/json`, no `api-version`,
/// and the JSON body with its content type, or no content type at all)
/// with the sample, and `send` must return the sample as its typed body.
async fn check_call<F, Fut>(expected: Expected<'_>, send: F)
where
    F: Fn(Client) -> Fut,
    Fut: Future<Output = Result<Value, String>>,
{
    let loaded = avepoint();
    let op = expected.operation_id;
    let (_, method, _) = operation(&loaded.spec, op).expect("operation exists");
    let method = method.to_ascii_uppercase();
    // The one documented success status that has samples (201 for a create).
    let (status, responses) = ["200", "201"]
        .into_iter()
        .map(|status| (status, responses_for(&loaded.samples, op, status)))
        .find(|(_, responses)| !responses.is_empty())
        .unwrap_or_else(|| panic!("{op} has no 200 or 201 sample"));
    let status: u16 = status.parse().expect("numeric status");

    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for response in responses {
        let label = sample_label(response);
        let mock = server
            .mock_async(|when, then| {
                let mut when = when
                    .method(method.as_str())
                    .path(expected.path.as_str())
                    .query_param_count(".*", ".*", expected.query.len())
                    .header("accept", "application/json")
                    .header_missing("api-version");
                for (name, value) in &expected.query {
                    when = when.query_param(*name, value.as_str());
                }
                match &expected.body {
                    Some(body) => {
                        when.header("content-type", "application/json")
                            .json_body(body.clone());
                    }
                    None => {
                        when.header_missing("content-type");
                    }
                }
                then.status(status)
                    .header("content-type", "application/json")
                    .json_body(response.value.clone());
            })
            .await;
        let result = send(client.clone()).await;
        // Checked first: on a mismatch httpmock explains what differed.
        mock.assert_async().await;
        let got = result.unwrap_or_else(|e| panic!("{label}: {e}"));
        let differences = json_differences(&response.value, &got);
        assert!(differences.is_empty(), "{label}: {differences:?}");
        mock.delete_async().await;
    }
}

/// The page number and size a documented page answers, from its `metadata`.
fn page_of(operation_id: &str) -> (i32, i32) {
    let page = &responses_for(&avepoint().samples, operation_id, "200")[0].value;
    let counter = |name: &str| {
        i32::try_from(page["metadata"][name].as_i64().expect("integer metadata")).expect("int32")
    };
    (counter("pageIndex"), counter("pageSize"))
}

/// The string `field` of every item on the first documented page.
fn item_strings(operation_id: &str, field: &str) -> Vec<String> {
    responses_for(&avepoint().samples, operation_id, "200")[0].value["data"]
        .as_array()
        .expect("data array")
        .iter()
        .map(|item| item[field].as_str().expect("string field").to_owned())
        .collect()
}

fn paging_query(page: (i32, i32)) -> Vec<(&'static str, String)> {
    vec![
        ("pageIndex", page.0.to_string()),
        ("pageSize", page.1.to_string()),
    ]
}

fn typed<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).expect("documented body deserializes")
}

#[tokio::test]
async fn onboard_customer_sends_the_documented_body() {
    let (path, _) = documented_path("onboardCustomer");
    for body in request_bodies("onboardCustomer") {
        let expected = Expected {
            operation_id: "onboardCustomer",
            path: path.clone(),
            query: vec![],
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .onboard_customer()
                .body(typed::<types::OnboardCustomerRequest>(&body.value)))
        })
        .await;
    }
}

#[tokio::test]
async fn list_customer_services_sends_paging_and_the_customer_filter() {
    let op = "listCustomerServices";
    let (path, _) = documented_path(op);
    let page = page_of(op);
    let ids = item_strings(op, "customerId");
    let ids = &ids;
    let expected = Expected {
        operation_id: op,
        path,
        query: paging_query(page),
        body: Some(json!({ "customerIds": ids })),
    };
    check_call(expected, |client| {
        sent!(client
            .list_customer_services()
            .page_index(page.0)
            .page_size(page.1)
            .body(types::CustomerIdsFilter {
                customer_ids: Some(ids.clone()),
            }))
    })
    .await;
}

#[tokio::test]
async fn add_customer_service_sends_every_documented_body() {
    let op = "addCustomerService";
    let (path, params) = documented_path(op);
    let params = &params;
    let bodies = request_bodies(op);
    assert_eq!(bodies.len(), 4, "the page documents four request bodies");
    for body in bodies {
        let expected = Expected {
            operation_id: op,
            path: path.clone(),
            query: vec![],
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .add_customer_service()
                .customer_id(params["customerId"].as_str())
                .body(typed::<types::AddServiceRequest>(&body.value)))
        })
        .await;
    }
}

#[tokio::test]
async fn list_tenant_user_seats_sends_the_tenant_type_as_its_code() {
    let op = "listTenantUserSeats";
    let (path, params) = documented_path(op);
    let params = &params;
    assert_eq!(params["type"], "0");
    let page = page_of(op);
    let ids = item_strings(op, "tenantId");
    let ids = &ids;
    let expected = Expected {
        operation_id: op,
        path,
        query: paging_query(page),
        body: Some(json!({ "tenantIds": ids })),
    };
    check_call(expected, |client| {
        sent!(client
            .list_tenant_user_seats()
            .customer_id(params["customerId"].as_str())
            .type_(types::TenantType::Microsoft365)
            .page_index(page.0)
            .page_size(page.1)
            .body(types::TenantIdsFilter {
                tenant_ids: Some(ids.clone()),
            }))
    })
    .await;
}

#[tokio::test]
async fn get_product_overview_sends_the_product_as_its_code() {
    let op = "getProductOverview";
    let (path, params) = documented_path(op);
    let params = &params;
    assert_eq!(params["productType"], "2048");
    let expected = Expected {
        operation_id: op,
        path,
        query: vec![],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .get_product_overview()
            .customer_id(params["customerId"].as_str())
            .product_type(types::ProductType::CloudBackupM365))
    })
    .await;
}

#[tokio::test]
async fn list_cloud_backup_users_sends_paging_and_the_email_filter() {
    let op = "listCloudBackupUsers";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = page_of(op);
    let emails = item_strings(op, "email");
    let emails = &emails;
    let expected = Expected {
        operation_id: op,
        path,
        query: paging_query(page),
        body: Some(json!({ "userEmails": emails })),
    };
    check_call(expected, |client| {
        sent!(client
            .list_cloud_backup_users()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .page_index(page.0)
            .page_size(page.1)
            .body(types::UserEmailsFilter {
                user_emails: Some(emails.clone()),
            }))
    })
    .await;
}

#[tokio::test]
async fn list_cloud_backup_overview_sends_paging_without_a_body() {
    let op = "listCloudBackupOverview";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = page_of(op);
    let expected = Expected {
        operation_id: op,
        path,
        query: paging_query(page),
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .list_cloud_backup_overview()
            .customer_id(params["customerId"].as_str())
            .page_index(page.0)
            .page_size(page.1))
    })
    .await;
}

#[tokio::test]
async fn list_backup_jobs_sends_paging_and_the_job_filter() {
    let op = "listBackupJobs";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = page_of(op);
    let job = &responses_for(&avepoint().samples, op, "200")[0].value["data"][0];
    let filter = &json!({ "jobType": job["jobType"], "jobModule": job["jobModule"] });
    let expected = Expected {
        operation_id: op,
        path,
        query: paging_query(page),
        body: Some(filter.clone()),
    };
    check_call(expected, |client| {
        sent!(client
            .list_backup_jobs()
            .customer_id(params["customerId"].as_str())
            .page_index(page.0)
            .page_size(page.1)
            .body(typed::<types::BackupJobFilter>(filter)))
    })
    .await;
}

#[tokio::test]
async fn list_scan_profiles_sends_paging_and_the_profile_filter() {
    let op = "listScanProfiles";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = page_of(op);
    let ids = item_strings(op, "profileId");
    let ids = &ids;
    let expected = Expected {
        operation_id: op,
        path,
        query: paging_query(page),
        body: Some(json!({ "scanProfileIds": ids })),
    };
    check_call(expected, |client| {
        sent!(client
            .list_scan_profiles()
            .customer_id(params["customerId"].as_str())
            .page_index(page.0)
            .page_size(page.1)
            .body(types::ScanProfileIdsFilter {
                scan_profile_ids: Some(ids.clone()),
            }))
    })
    .await;
}

#[tokio::test]
async fn get_scan_profile_sends_both_ids_in_the_path() {
    let op = "getScanProfile";
    let (path, params) = documented_path(op);
    let params = &params;
    let expected = Expected {
        operation_id: op,
        path,
        query: vec![],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .get_scan_profile()
            .customer_id(params["customerId"].as_str())
            .scan_profile_id(params["scanProfileId"].as_str()))
    })
    .await;
}

#[tokio::test]
async fn get_scan_profile_changes_sends_both_ids_in_the_path() {
    let op = "getScanProfileChanges";
    let (path, params) = documented_path(op);
    let params = &params;
    let expected = Expected {
        operation_id: op,
        path,
        query: vec![],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .get_scan_profile_changes()
            .customer_id(params["customerId"].as_str())
            .scan_profile_id(params["scanProfileId"].as_str()))
    })
    .await;
}

#[tokio::test]
async fn get_tenant_sends_both_ids_in_the_path() {
    let op = "getTenant";
    let (path, params) = documented_path(op);
    let params = &params;
    let expected = Expected {
        operation_id: op,
        path,
        query: vec![],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .get_tenant()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str()))
    })
    .await;
}

#[tokio::test]
async fn get_service_app_status_sends_the_product_name() {
    let op = "getServiceAppStatus";
    let (path, params) = documented_path(op);
    let params = &params;
    assert_eq!(params["productName"], "PartnerWorkspaceOnboarding");
    let expected = Expected {
        operation_id: op,
        path,
        query: vec![],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .get_service_app_status()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .product_name(types::ServiceAppProduct::PartnerWorkspaceOnboarding))
    })
    .await;
}

/// The two authorization-link pages document no request line, so the ids
/// here are the masked ones of the tenant-info page.
const LINK_CUSTOMER: &str = "caf9****-2cc6-****-b04b-794c****5ea3";
const LINK_TENANT: &str = "f04d7aee-****-5f92-****-6521****e596";

/// `*` and spaces are outside RFC 3986's unreserved set, so they go out
/// percent-encoded.
fn encoded(segment: &str) -> String {
    segment.replace('*', "%2A").replace(' ', "%20")
}

#[tokio::test]
async fn create_tenant_auth_link_sends_the_documented_body() {
    let op = "createTenantAuthLink";
    assert!(request_samples(&avepoint().spec, op).is_empty());
    for body in request_bodies(op) {
        let expected = Expected {
            operation_id: op,
            path: format!(
                "/partner/external/v3/general/customers/{}/tenants/{}/auth-link",
                encoded(LINK_CUSTOMER),
                encoded(LINK_TENANT)
            ),
            query: vec![],
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .create_tenant_auth_link()
                .customer_id(LINK_CUSTOMER)
                .tenant_id(LINK_TENANT)
                .body(typed::<types::TenantAuthLinkRequest>(&body.value)))
        })
        .await;
    }
}

#[tokio::test]
async fn create_app_auth_link_sends_the_documented_body() {
    let op = "createAppAuthLink";
    assert!(request_samples(&avepoint().spec, op).is_empty());
    for body in request_bodies(op) {
        let expected = Expected {
            operation_id: op,
            path: format!(
                "/partner/external/v3/general/customers/{}/tenants/{}/apps/auth-link",
                encoded(LINK_CUSTOMER),
                encoded(LINK_TENANT)
            ),
            query: vec![],
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .create_app_auth_link()
                .customer_id(LINK_CUSTOMER)
                .tenant_id(LINK_TENANT)
                .body(typed::<types::AppAuthLinkRequest>(&body.value)))
        })
        .await;
    }
}

#[tokio::test]
async fn list_users_sends_paging_and_the_documented_body() {
    let op = "listUsers";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = page_of(op);
    for body in request_bodies(op) {
        let expected = Expected {
            operation_id: op,
            path: path.clone(),
            query: paging_query(page),
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .list_users()
                .customer_id(params["customerId"].as_str())
                .tenant_id(params["tenantId"].as_str())
                .page_index(page.0)
                .page_size(page.1)
                .body(typed::<types::UserIdsFilter>(&body.value)))
        })
        .await;
    }
}

#[tokio::test]
async fn get_user_sends_three_ids_in_the_path() {
    let op = "getUser";
    let (path, params) = documented_path(op);
    let params = &params;
    let expected = Expected {
        operation_id: op,
        path,
        query: vec![],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .get_user()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .user_id(params["userId"].as_str()))
    })
    .await;
}

/// For every documented request body of `operation_id`: a loopback server
/// answers 204 with no body to exactly the documented PUT (path, no query,
/// the JSON body with its content type, no `api-version`), and `send` must
/// report that status.
async fn check_no_content<F, Fut>(operation_id: &str, send: F)
where
    F: Fn(Client, &'static Value) -> Fut,
    Fut: Future<Output = Result<u16, String>>,
{
    let (path, _) = documented_path(operation_id);
    let (_, method, _) = operation(&avepoint().spec, operation_id).expect("operation exists");
    let bodies = request_bodies(operation_id);
    assert!(
        !bodies.is_empty(),
        "{operation_id} has no request body sample"
    );
    let server = MockServer::start_async().await;
    let client = Client::new(&server.base_url());
    for body in bodies {
        let label = sample_label(body);
        let mock = server
            .mock_async(|when, then| {
                when.method(method.to_ascii_uppercase().as_str())
                    .path(path.as_str())
                    .query_param_count(".*", ".*", 0)
                    .header("content-type", "application/json")
                    .header_missing("api-version")
                    .json_body(body.value.clone());
                then.status(204);
            })
            .await;
        let result = send(client.clone(), &body.value).await;
        // Checked first: on a mismatch httpmock explains what differed.
        mock.assert_async().await;
        assert_eq!(result, Ok(204), "{label}");
        mock.delete_async().await;
    }
}

/// A client test of a user-management PUT that answers 204: the ids of the
/// documented request line, the documented body, nothing back.
macro_rules! no_content_test {
    ($test:ident, $operation:literal, $method:ident, $body:ident) => {
        #[tokio::test]
        async fn $test() {
            let (_, params) = documented_path($operation);
            let params = &params;
            check_no_content($operation, |client, body| async move {
                client
                    .$method()
                    .customer_id(params["customerId"].as_str())
                    .tenant_id(params["tenantId"].as_str())
                    .user_id(params["userId"].as_str())
                    .body(typed::<types::$body>(body))
                    .send()
                    .await
                    .map(|response| response.status().as_u16())
                    .map_err(|e| format!("{e:?}"))
            })
            .await;
        }
    };
}

no_content_test!(
    update_user_account_information_sends_the_documented_body,
    "updateUserAccountInformation",
    update_user_account_information,
    UserAccountInformation
);
no_content_test!(
    update_user_alternate_email_addresses_sends_the_documented_body,
    "updateUserAlternateEmailAddresses",
    update_user_alternate_email_addresses,
    UserAlternateEmailAddresses
);
no_content_test!(
    update_user_birthday_sends_the_documented_body,
    "updateUserBirthday",
    update_user_birthday,
    UserBirthday
);
no_content_test!(
    update_user_contact_information_sends_the_documented_body,
    "updateUserContactInformation",
    update_user_contact_information,
    UserContactInformation
);
no_content_test!(
    update_local_user_contact_information_sends_the_documented_body,
    "updateLocalUserContactInformation",
    update_local_user_contact_information,
    LocalUserContactInformation
);
no_content_test!(
    update_user_general_information_sends_the_documented_body,
    "updateUserGeneralInformation",
    update_user_general_information,
    UserGeneralInformation
);
no_content_test!(
    update_local_user_general_information_sends_the_documented_body,
    "updateLocalUserGeneralInformation",
    update_local_user_general_information,
    LocalUserGeneralInformation
);
no_content_test!(
    update_user_is_external_sends_the_documented_body,
    "updateUserIsExternal",
    update_user_is_external,
    UserIsExternal
);
no_content_test!(
    update_user_is_test_user_sends_the_documented_body,
    "updateUserIsTestUser",
    update_user_is_test_user,
    UserIsTestUser
);
no_content_test!(
    update_user_manager_sends_the_documented_body,
    "updateUserManager",
    update_user_manager,
    UserManager
);
no_content_test!(
    update_local_user_notes_sends_the_documented_body,
    "updateLocalUserNotes",
    update_local_user_notes,
    LocalUserNotes
);
no_content_test!(
    update_user_office_sends_the_documented_body,
    "updateUserOffice",
    update_user_office,
    UserOffice
);
no_content_test!(
    update_local_user_office_sends_the_documented_body,
    "updateLocalUserOffice",
    update_local_user_office,
    LocalUserOffice
);
no_content_test!(
    update_user_office_location_sends_the_documented_body,
    "updateUserOfficeLocation",
    update_user_office_location,
    UserOfficeAddress
);
no_content_test!(
    update_local_user_office_location_sends_the_documented_body,
    "updateLocalUserOfficeLocation",
    update_local_user_office_location,
    LocalUserOfficeAddress
);
no_content_test!(
    update_user_password_setting_sends_the_documented_body,
    "updateUserPasswordSetting",
    update_user_password_setting,
    UserPasswordSetting
);
no_content_test!(
    update_local_user_profile_sends_the_documented_body,
    "updateLocalUserProfile",
    update_local_user_profile,
    LocalUserProfile
);
no_content_test!(
    update_user_sponsor_sends_the_documented_body,
    "updateUserSponsor",
    update_user_sponsor,
    UserSponsor
);

#[tokio::test]
async fn list_security_users_sends_paging_and_the_status_code() {
    let op = "listSecurityUsers";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = page_of(op);
    let mut query = paging_query(page);
    query.push(("status", "3".to_owned()));
    let expected = Expected {
        operation_id: op,
        path,
        query,
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .list_security_users()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .page_index(page.0)
            .page_size(page.1)
            .status(types::UserStatus::HighRisk))
    })
    .await;
}

#[tokio::test]
async fn get_action_counts_sends_the_action_kind_as_its_code() {
    let op = "getActionCounts";
    let (path, params) = documented_path(op);
    let params = &params;
    let expected = Expected {
        operation_id: op,
        path,
        query: vec![("types", "1".to_owned())],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .get_action_counts()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .types(types::ActionKind::Risky))
    })
    .await;
}

/// The page's request line goes to a test host without the `/partner`
/// prefix (recorded in the spec's x-doc-note); its ids are used on the
/// documented path.
#[tokio::test]
async fn list_risk_workflows_sends_the_category_under_its_documented_spelling() {
    let op = "listRiskWorkflows";
    let (template, _, _) = operation(&avepoint().spec, op).unwrap();
    let request = documented_requests(op).remove(0);
    let unprefixed = template.strip_prefix("/partner").expect("/partner prefix");
    let params = &match_path_template(unprefixed, request.path()).expect("ids in the request line");
    let path = format!(
        "/partner/external/v3/um/customers/{}/tenants/{}/overview/security/compliances/workflows",
        encoded(&params["customerId"]),
        encoded(&params["tenantId"])
    );
    let page = page_of(op);
    let mut query = paging_query(page);
    query.push(("catagory", "2".to_owned()));
    let expected = Expected {
        operation_id: op,
        path,
        query,
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .list_risk_workflows()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .catagory(types::RiskCategory::EndpointSecurity)
            .page_index(page.0)
            .page_size(page.1))
    })
    .await;
}

#[tokio::test]
async fn list_workflow_risk_users_sends_the_workflow_id_and_paging() {
    let op = "listWorkflowRiskUsers";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = page_of(op);
    let expected = Expected {
        operation_id: op,
        path,
        query: paging_query(page),
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .list_workflow_risk_users()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .workflow_id(params["workflowId"].as_str())
            .page_index(page.0)
            .page_size(page.1))
    })
    .await;
}

#[tokio::test]
async fn list_sign_ins_sends_paging_and_the_risky_flag() {
    let op = "listSignIns";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = page_of(op);
    let mut query = paging_query(page);
    query.push(("risky", "true".to_owned()));
    let expected = Expected {
        operation_id: op,
        path,
        query,
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .list_sign_ins()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .page_index(page.0)
            .page_size(page.1)
            .risky(true))
    })
    .await;
}

/// A client test of a workspace-management statistics GET: the two ids of
/// the documented request line, no query, no body.
macro_rules! tenant_overview_test {
    ($test:ident, $operation:literal, $method:ident) => {
        #[tokio::test]
        async fn $test() {
            let (path, params) = documented_path($operation);
            let params = &params;
            let expected = Expected {
                operation_id: $operation,
                path,
                query: vec![],
                body: None,
            };
            check_call(expected, |client| {
                sent!(client
                    .$method()
                    .customer_id(params["customerId"].as_str())
                    .tenant_id(params["tenantId"].as_str()))
            })
            .await;
        }
    };
}

tenant_overview_test!(
    get_workspace_overview_sends_both_ids_in_the_path,
    "getWorkspaceOverview",
    get_workspace_overview
);
tenant_overview_test!(
    get_workspace_compliance_rate_sends_both_ids_in_the_path,
    "getWorkspaceComplianceRate",
    get_workspace_compliance_rate
);
tenant_overview_test!(
    get_ransomware_detection_sends_both_ids_in_the_path,
    "getRansomwareDetection",
    get_ransomware_detection
);
tenant_overview_test!(
    get_dspm_insights_sends_both_ids_in_the_path,
    "getDspmInsights",
    get_dspm_insights
);

/// The query of the first documented request line of `operation_id`.
fn documented_query(operation_id: &str) -> Vec<(&'static str, String)> {
    let request = documented_requests(operation_id).remove(0);
    request
        .query()
        .into_iter()
        .map(|(name, value)| match name {
            "pageIndex" => ("pageIndex", value.to_owned()),
            "pageSize" => ("pageSize", value.to_owned()),
            other => panic!("{}: unexpected query parameter {other}", request.source),
        })
        .collect()
}

/// `pageIndex` and `pageSize` of the first documented request line.
fn documented_page(operation_id: &str) -> (i32, i32) {
    let query = documented_query(operation_id);
    let number = |name: &str| {
        query
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{operation_id}: no {name} in the request line"))
            .1
            .parse()
            .expect("integer")
    };
    (number("pageIndex"), number("pageSize"))
}

#[tokio::test]
async fn create_baseline_sends_the_documented_body_and_reads_the_201() {
    let op = "createBaseline";
    let (path, _) = documented_path(op);
    for body in request_bodies(op) {
        let expected = Expected {
            operation_id: op,
            path: path.clone(),
            query: vec![],
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .create_baseline()
                .body(typed::<types::CreateBaselineRequest>(&body.value)))
        })
        .await;
    }
}

#[tokio::test]
async fn list_baselines_sends_the_documented_query_and_body() {
    let op = "listBaselines";
    let (path, _) = documented_path(op);
    let page = documented_page(op);
    for body in request_bodies(op) {
        let expected = Expected {
            operation_id: op,
            path: path.clone(),
            query: documented_query(op),
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .list_baselines()
                .page_index(page.0)
                .page_size(page.1)
                .body(typed::<types::BaselineIdsFilter>(&body.value)))
        })
        .await;
    }
}

#[tokio::test]
async fn perform_tenant_action_sends_the_documented_body() {
    let op = "performTenantAction";
    let (path, params) = documented_path(op);
    let params = &params;
    for body in request_bodies(op) {
        let expected = Expected {
            operation_id: op,
            path: path.clone(),
            query: vec![],
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .perform_tenant_action()
                .customer_id(params["customerId"].as_str())
                .tenant_id(params["tenantId"].as_str())
                .body(typed::<types::TenantActionRequest>(&body.value)))
        })
        .await;
    }
}

#[tokio::test]
async fn list_process_center_jobs_sends_the_documented_query_and_body() {
    let op = "listProcessCenterJobs";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = documented_page(op);
    for body in request_bodies(op) {
        let expected = Expected {
            operation_id: op,
            path: path.clone(),
            query: documented_query(op),
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .list_process_center_jobs()
                .customer_id(params["customerId"].as_str())
                .tenant_id(params["tenantId"].as_str())
                .page_index(page.0)
                .page_size(page.1)
                .body(typed::<types::JobIdsFilter>(&body.value)))
        })
        .await;
    }
}

/// The page's request line names the path of `listBaselines` (recorded in
/// the spec's x-doc-note); its query and the page's body go to the
/// documented `/bm/tenants/batch`.
#[tokio::test]
async fn list_baseline_tenants_sends_the_documented_query_and_body() {
    let op = "listBaselineTenants";
    let (template, _, _) = operation(&avepoint().spec, op).unwrap();
    let page = documented_page(op);
    for body in request_bodies(op) {
        let expected = Expected {
            operation_id: op,
            path: template.to_owned(),
            query: documented_query(op),
            body: Some(body.value.clone()),
        };
        check_call(expected, |client| {
            sent!(client
                .list_baseline_tenants()
                .page_index(page.0)
                .page_size(page.1)
                .body(typed::<types::TenantIdsFilter>(&body.value)))
        })
        .await;
    }
}

/// Risk management pages under `metaData` (capital D): the page numbers
/// come from there.
#[tokio::test]
async fn list_risk_rule_hit_items_sends_the_rule_id_and_paging() {
    let op = "listRiskRuleHitItems";
    let (path, params) = documented_path(op);
    let params = &params;
    let sample = &responses_for(&avepoint().samples, op, "200")[0].value;
    let number = |name: &str| {
        i32::try_from(sample["metaData"][name].as_i64().expect("integer")).expect("int32")
    };
    let page = (number("pageIndex"), number("pageSize"));
    let expected = Expected {
        operation_id: op,
        path,
        query: paging_query(page),
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .list_risk_rule_hit_items()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .rule_id(params["ruleId"].as_str())
            .page_index(page.0)
            .page_size(page.1))
    })
    .await;
}

/// The creation report pages under `metadata`; its entries' `details`
/// are `null` in the sample and come back as `null` (checked by
/// `check_call` against the re-serialised response).
#[tokio::test]
async fn get_baseline_creation_report_sends_the_baseline_id_and_paging() {
    let op = "getBaselineCreationReport";
    let (path, params) = documented_path(op);
    let params = &params;
    let page = page_of(op);
    let expected = Expected {
        operation_id: op,
        path,
        query: documented_query(op),
        body: None,
    };
    assert_eq!(
        expected.query,
        paging_query(page),
        "the request line asks for the sample's page"
    );
    check_call(expected, |client| {
        sent!(client
            .get_baseline_creation_report()
            .baseline_id(params["baselineId"].as_str())
            .page_index(page.0)
            .page_size(page.1))
    })
    .await;
}

/// The documented request line sends no filter; the two optional filters
/// go out as their integer codes.
#[tokio::test]
async fn list_matched_risk_rules_sends_its_ids_and_optional_filters() {
    let op = "listMatchedRiskRules";
    let (path, params) = documented_path(op);
    let params = &params;
    let expected = Expected {
        operation_id: op,
        path: path.clone(),
        query: vec![],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .list_matched_risk_rules()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str()))
    })
    .await;
    let expected = Expected {
        operation_id: op,
        path,
        query: vec![("dataSources", "6".to_owned()), ("status", "1".to_owned())],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client
            .list_matched_risk_rules()
            .customer_id(params["customerId"].as_str())
            .tenant_id(params["tenantId"].as_str())
            .data_sources(types::RiskDataSource::Users)
            .status(types::RiskRuleStatus::Enabled))
    })
    .await;
}

/// A client test of a legacy GET: the path parameters of the documented
/// request line, each set through its builder method, no query, no body.
macro_rules! legacy_get_test {
    ($test:ident, $operation:literal, $method:ident $(, $param:literal => $setter:ident)*) => {
        #[tokio::test]
        async fn $test() {
            let (path, params) = documented_path($operation);
            // Unused by the operation without path parameters.
            #[allow(unused_variables)]
            let params = &params;
            let expected = Expected {
                operation_id: $operation,
                path,
                query: vec![],
                body: None,
            };
            check_call(expected, |client| {
                sent!(client.$method()$(.$setter(params[$param].as_str()))*)
            })
            .await;
        }
    };
}

legacy_get_test!(
    list_legacy_customers_sends_the_documented_request,
    "listLegacyCustomers",
    list_legacy_customers
);
legacy_get_test!(
    list_legacy_protected_data_sends_the_customer_id,
    "listLegacyProtectedData",
    list_legacy_protected_data,
    "id" => id
);
legacy_get_test!(
    list_legacy_backup_jobs_sends_the_customer_id,
    "listLegacyBackupJobs",
    list_legacy_backup_jobs,
    "id" => id
);
legacy_get_test!(
    list_legacy_backup_jobs_of_module_encodes_the_spaces_of_type_and_module,
    "listLegacyBackupJobsOfModule",
    list_legacy_backup_jobs_of_module,
    "id" => id,
    "jobType" => job_type,
    "jobModule" => job_module
);
legacy_get_test!(
    list_legacy_scan_profiles_sends_the_customer_id,
    "listLegacyScanProfiles",
    list_legacy_scan_profiles,
    "id" => id
);
legacy_get_test!(
    get_legacy_scan_profile_sends_both_ids_and_keeps_the_null_account,
    "getLegacyScanProfile",
    get_legacy_scan_profile,
    "id" => id,
    "profileId" => profile_id
);
legacy_get_test!(
    get_legacy_scan_profile_daily_details_sends_both_ids,
    "getLegacyScanProfileDailyDetails",
    get_legacy_scan_profile_daily_details,
    "id" => id,
    "profileId" => profile_id
);
legacy_get_test!(
    get_legacy_scan_profile_daily_summary_sends_both_ids,
    "getLegacyScanProfileDailySummary",
    get_legacy_scan_profile_daily_summary,
    "id" => id,
    "profileId" => profile_id
);

/// The services pages write `/partner/Services` in their request lines and
/// `/partner/services` in their request tables (recorded in the spec's
/// x-doc-note); the client sends the table's path, with the id of the line.
#[tokio::test]
async fn legacy_services_send_the_request_table_path() {
    let requests = documented_requests("listLegacyServices");
    assert!(requests[0].path().eq_ignore_ascii_case("/partner/services"));
    let expected = Expected {
        operation_id: "listLegacyServices",
        path: "/partner/services".to_owned(),
        query: vec![],
        body: None,
    };
    check_call(expected, |client| sent!(client.list_legacy_services())).await;

    let request = documented_requests("getLegacyCustomerServices").remove(0);
    let (prefix, id) = request.path().rsplit_once('/').expect("an id segment");
    assert!(prefix.eq_ignore_ascii_case("/partner/services"));
    let expected = Expected {
        operation_id: "getLegacyCustomerServices",
        path: format!("/partner/services/{id}"),
        query: vec![],
        body: None,
    };
    check_call(expected, |client| {
        sent!(client.get_legacy_customer_services().id(id))
    })
    .await;
}

// --- data centers: `servers::*` --------------------------------------------

/// Every server of the spec is a constant: the single Elements host first,
/// then one per data center of the overview page's endpoint table.
#[test]
fn every_data_center_host_is_a_server_constant() {
    use avepoint_graph::servers;

    let listed: Vec<&str> = avepoint().spec.value()["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .map(|s| s["url"].as_str().expect("url"))
        .collect();
    let constants = [
        servers::ELEMENTS,
        servers::AUSTRALIA,
        servers::SINGAPORE,
        servers::CANADA,
        servers::IRELAND,
        servers::NETHERLANDS,
        servers::FRANCE,
        servers::GERMANY,
        servers::JAPAN,
        servers::KOREA,
        servers::SWITZERLAND,
        servers::UK,
        servers::US_EAST,
        servers::UAE,
        servers::SOUTH_AFRICA,
        servers::QATAR,
        servers::US_GOV,
        servers::AOS2,
        servers::FEDRAMP,
        servers::GCP_AUSTRALIA,
        servers::GCP_JAPAN,
        servers::GCP_US_EAST,
        servers::GCP_NETHERLANDS,
        servers::GCP_KOREA,
    ];
    assert_eq!(constants.as_slice(), listed.as_slice());
    assert_eq!(
        servers::ELEMENTS,
        "https://graph.avepointonlineservices.com"
    );
    assert_eq!(
        servers::GERMANY,
        "https://graph-de.avepointonlineservices.com"
    );
    assert_eq!(
        servers::GCP_NETHERLANDS,
        "https://graph-gcp-we.avepointonlineservices.com"
    );
    assert_eq!(servers::FEDRAMP, "https://graphusgovapi.online15.net");
}

/// A client built on a European host's constant sends every request to
/// that host. The host is not reachable offline, so a request hook records
/// the URL the client built and sends the request on to a loopback server.
#[tokio::test]
async fn a_client_on_a_european_host_sends_its_requests_there() {
    use std::sync::{Arc, Mutex};

    use avepoint_graph::servers;
    use avepoint_graph::ClientInfo;

    assert_eq!(
        Client::new(servers::GERMANY).baseurl(),
        servers::GERMANY,
        "Client::new takes the constant as it is"
    );
    let with_slash = format!("{}/", servers::GCP_NETHERLANDS);
    assert_eq!(Client::new(&with_slash).baseurl(), servers::GCP_NETHERLANDS);

    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET").path("/partner/customers/c-1");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"id": "c-1"}));
        })
        .await;
    let sent = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&sent);
    let loopback = reqwest::Url::parse(&server.base_url()).expect("loopback URL");
    let client = Client::builder(servers::GERMANY)
        .on_request(move |request| {
            seen.lock().unwrap().push(request.url().to_string());
            let url = request.url_mut();
            url.set_scheme("http").expect("http");
            url.set_host(loopback.host_str()).expect("host");
            url.set_port(loopback.port()).expect("port");
        })
        .build()
        .expect("client builds on an https host");
    assert_eq!(client.baseurl(), servers::GERMANY);
    let customer = client.get_customer().id("c-1").send().await.expect("sent");
    assert_eq!(customer.into_inner().id.as_deref(), Some("c-1"));
    mock.assert_async().await;
    assert_eq!(
        *sent.lock().unwrap(),
        [format!("{}/partner/customers/c-1", servers::GERMANY)]
    );
}

/// `servers::schemes_of` pairs a host with the scheme of its identity
/// service only where the pages say which goes with which.
#[test]
fn servers_name_their_sign_in_scheme_only_where_the_pages_pair_them() {
    use avepoint_graph::{schemes, servers};

    let names = |url: &str| -> Vec<&str> {
        servers::schemes_of(url)
            .iter()
            .map(|scheme| scheme.name)
            .collect()
    };
    assert_eq!(names(servers::AOS2), [schemes::ELEMENTS_AOS2.name]);
    assert_eq!(names(servers::FEDRAMP), [schemes::ELEMENTS_FED_RAMP.name]);
    for gcp in [
        servers::GCP_AUSTRALIA,
        servers::GCP_JAPAN,
        servers::GCP_US_EAST,
        servers::GCP_NETHERLANDS,
        servers::GCP_KOREA,
    ] {
        assert_eq!(names(gcp), [schemes::ELEMENTS_COMMERCIAL.name], "{gcp}");
    }
    assert_eq!(
        names(&format!("{}/", servers::AOS2)),
        [schemes::ELEMENTS_AOS2.name],
        "a trailing slash is ignored"
    );
    // No page pairs these with a token URL.
    for unpaired in [
        servers::ELEMENTS,
        servers::GERMANY,
        servers::US_GOV,
        "https://graph-xx.example.com",
    ] {
        assert!(names(unpaired).is_empty(), "{unpaired}");
    }
}
