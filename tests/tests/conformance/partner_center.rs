//! Partner Center: the documented samples of `specs/partner-center.yaml`
//! against the generated `partner_center` client.

use std::collections::BTreeMap;

use conformance::{
    check_response_samples, json_differences, match_path_template, operation, operation_ids,
    parameter_samples, partner_center, request_samples, response_header_samples, response_samples,
    response_status, responses_for, roundtrip_check, sample_description, sample_label,
    RequestSample, TypeTableRow,
};
use httpmock::MockServer;
use partner_center::uuid::Uuid;
use partner_center::{types, Client, Error};
use serde_json::{json, Value};

use crate::recorder::{Recorder, Reply};

/// A [`TYPE_TABLE`] row: the operation, the status key and the generated
/// type its documented body is.
macro_rules! row {
    ($operation:literal, $status:literal, $type:ident) => {
        ($operation, $status, roundtrip_check::<types::$type>)
    };
}

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
    row!("getCustomerCompanyProfile", "200", CustomerCompanyProfile),
    row!("getCustomerCompanyProfile", "4XX", ErrorResponse),
    row!("getCustomerCompanyProfile", "5XX", ErrorResponse),
    row!("getCustomerBillingProfile", "200", CustomerBillingProfile),
    row!("getCustomerBillingProfile", "4XX", ErrorResponse),
    row!("getCustomerBillingProfile", "5XX", ErrorResponse),
    row!(
        "updateCustomerBillingProfile",
        "200",
        CustomerBillingProfile
    ),
    row!("updateCustomerBillingProfile", "4XX", ErrorResponse),
    row!("updateCustomerBillingProfile", "5XX", ErrorResponse),
    row!("listCustomerUsers", "200", CustomerUserCollection),
    row!("listCustomerUsers", "4XX", ErrorResponse),
    row!("listCustomerUsers", "5XX", ErrorResponse),
    row!("createCustomerUser", "200", CustomerUser),
    row!("createCustomerUser", "4XX", ErrorResponse),
    row!("createCustomerUser", "5XX", ErrorResponse),
    row!("updateCustomerUser", "200", CustomerUser),
    row!("updateCustomerUser", "4XX", ErrorResponse),
    row!("updateCustomerUser", "5XX", ErrorResponse),
    row!("deleteCustomerUser", "4XX", ErrorResponse),
    row!("deleteCustomerUser", "5XX", ErrorResponse),
    row!("resetCustomerUserPassword", "200", CustomerUser),
    row!("resetCustomerUserPassword", "4XX", ErrorResponse),
    row!("resetCustomerUserPassword", "5XX", ErrorResponse),
    row!("listCustomerUserRoles", "200", DirectoryRoleCollection),
    row!("listCustomerUserRoles", "4XX", ErrorResponse),
    row!("listCustomerUserRoles", "5XX", ErrorResponse),
    row!("listCustomerDirectoryRoles", "4XX", ErrorResponse),
    row!("listCustomerDirectoryRoles", "5XX", ErrorResponse),
    row!("listCustomerDirectoryRoleMembers", "4XX", ErrorResponse),
    row!("listCustomerDirectoryRoleMembers", "5XX", ErrorResponse),
    row!("addCustomerDirectoryRoleMember", "201", UserMember),
    row!("addCustomerDirectoryRoleMember", "4XX", ErrorResponse),
    row!("addCustomerDirectoryRoleMember", "5XX", ErrorResponse),
    row!("updateCustomerUserLicenses", "201", LicenseUpdate),
    row!("updateCustomerUserLicenses", "400", ErrorResponse),
    row!("updateCustomerUserLicenses", "403", ErrorResponse),
    row!("updateCustomerUserLicenses", "4XX", ErrorResponse),
    row!("updateCustomerUserLicenses", "5XX", ErrorResponse),
    row!("listCustomerUserLicenses", "200", LicenseCollection),
    row!("listCustomerUserLicenses", "4XX", ErrorResponse),
    row!("listCustomerUserLicenses", "5XX", ErrorResponse),
    row!("listCustomerSubscribedSkus", "200", SubscribedSkuCollection),
    row!("listCustomerSubscribedSkus", "4XX", ErrorResponse),
    row!("listCustomerSubscribedSkus", "5XX", ErrorResponse),
    (
        "listCustomerCustomDomains",
        "200",
        roundtrip_check::<Vec<String>>,
    ),
    (
        "getCustomerOrganization",
        "200",
        roundtrip_check::<Vec<types::Organization>>,
    ),
    row!("getCustomerValidationStatus", "200", ValidationStatus),
    row!("getCustomerValidationStatus", "404", ErrorResponse),
    row!("getCustomerValidationStatus", "4XX", ErrorResponse),
    row!("getCustomerValidationStatus", "5XX", ErrorResponse),
    (
        "listValidationCodes",
        "200",
        roundtrip_check::<Vec<types::ValidationCode>>,
    ),
    row!("listCustomerCustomDomains", "4XX", ErrorResponse),
    row!("listCustomerCustomDomains", "5XX", ErrorResponse),
    row!("getCustomerOrganization", "4XX", ErrorResponse),
    row!("getCustomerOrganization", "5XX", ErrorResponse),
    row!("listValidationCodes", "4XX", ErrorResponse),
    row!("listValidationCodes", "5XX", ErrorResponse),
    row!("listAgreementMetadata", "200", AgreementMetadataCollection),
    row!("listAgreementMetadata", "4XX", ErrorResponse),
    row!("listAgreementMetadata", "5XX", ErrorResponse),
    row!("listCustomerAgreements", "200", AgreementCollection),
    row!("listCustomerAgreements", "4XX", ErrorResponse),
    row!("listCustomerAgreements", "5XX", ErrorResponse),
    row!("createCustomerAgreement", "201", Agreement),
    row!("createCustomerAgreement", "4XX", ErrorResponse),
    row!("createCustomerAgreement", "5XX", ErrorResponse),
    row!(
        "getCustomerDirectSignStatus",
        "200",
        DirectSignedCustomerAgreementStatus
    ),
    row!("getCustomerDirectSignStatus", "4XX", ErrorResponse),
    row!("getCustomerDirectSignStatus", "5XX", ErrorResponse),
    row!("listSelfServePolicies", "200", SelfServePolicyCollection),
    row!("listSelfServePolicies", "4XX", ErrorResponse),
    row!("listSelfServePolicies", "5XX", ErrorResponse),
    row!("createSelfServePolicy", "201", SelfServePolicy),
    row!("createSelfServePolicy", "4XX", ErrorResponse),
    row!("createSelfServePolicy", "5XX", ErrorResponse),
    row!("updateSelfServePolicy", "200", SelfServePolicy),
    row!("updateSelfServePolicy", "4XX", ErrorResponse),
    row!("updateSelfServePolicy", "5XX", ErrorResponse),
    row!("getSelfServePolicy", "200", SelfServePolicy),
    row!("getSelfServePolicy", "4XX", ErrorResponse),
    row!("getSelfServePolicy", "5XX", ErrorResponse),
    row!("deleteSelfServePolicy", "4XX", ErrorResponse),
    row!("deleteSelfServePolicy", "5XX", ErrorResponse),
    (
        "listCustomerQualifications",
        "200",
        roundtrip_check::<Vec<types::CustomerQualification>>,
    ),
    row!("listCustomerQualifications", "4XX", ErrorResponse),
    row!("listCustomerQualifications", "5XX", ErrorResponse),
    row!("createCustomerQualification", "201", CustomerQualification),
    row!("createCustomerQualification", "4XX", ErrorResponse),
    row!("createCustomerQualification", "5XX", ErrorResponse),
    row!("updateCustomer", "4XX", ErrorResponse),
    row!("updateCustomer", "5XX", ErrorResponse),
    row!(
        "getCustomerRelationshipRequest",
        "200",
        CustomerRelationshipRequest
    ),
    row!("getCustomerRelationshipRequest", "4XX", ErrorResponse),
    row!("getCustomerRelationshipRequest", "5XX", ErrorResponse),
    row!("addCustomerVerifiedDomain", "201", Domain),
    row!("addCustomerVerifiedDomain", "4XX", ErrorResponse),
    row!("addCustomerVerifiedDomain", "5XX", ErrorResponse),
    row!("createCustomer", "201", Customer),
    row!("createCustomer", "4XX", ErrorResponse),
    row!("createCustomer", "5XX", ErrorResponse),
    row!("listCustomerOrders", "200", OrderCollection),
    row!("listCustomerOrders", "4XX", ErrorResponse),
    row!("listCustomerOrders", "5XX", ErrorResponse),
    row!("listCustomerEntitlements", "200", EntitlementCollection),
    row!("listCustomerEntitlements", "4XX", ErrorResponse),
    row!("listCustomerEntitlements", "5XX", ErrorResponse),
    row!("listCustomerSubscriptions", "200", SubscriptionCollection),
    row!("listCustomerSubscriptions", "4XX", ErrorResponse),
    row!("listCustomerSubscriptions", "5XX", ErrorResponse),
    row!("updateCustomerSubscription", "4XX", ErrorResponse),
    row!("updateCustomerSubscription", "5XX", ErrorResponse),
    row!("updateCustomerUsageBudget", "200", SpendingBudget),
    row!("updateCustomerUsageBudget", "4XX", ErrorResponse),
    row!("updateCustomerUsageBudget", "5XX", ErrorResponse),
    row!(
        "listDelegatedAdminCustomers",
        "200",
        DelegatedAdminCustomerCollection
    ),
    row!("listDelegatedAdminCustomers", "4XX", ErrorResponse),
    row!("listDelegatedAdminCustomers", "5XX", ErrorResponse),
];

/// How many JSON response samples each documented (operation, status) has
/// (checked in `schemas`). Each 4XX and 5XX is the one shared `Error`
/// response's constructed sample.
pub(crate) const RESPONSE_SAMPLE_COUNTS: &[(&str, &str, usize)] = &[
    // The list page's sample and the search page's.
    ("listCustomers", "200", 2),
    ("listCustomers", "4XX", 1),
    ("listCustomers", "5XX", 1),
    // The current, 2023 and 2017 get-by-ID pages' samples.
    ("getCustomer", "200", 3),
    ("getCustomer", "4XX", 1),
    ("getCustomer", "5XX", 1),
    ("getCustomerCompanyProfile", "200", 1),
    ("getCustomerCompanyProfile", "4XX", 1),
    ("getCustomerCompanyProfile", "5XX", 1),
    ("getCustomerBillingProfile", "200", 1),
    ("getCustomerBillingProfile", "4XX", 1),
    ("getCustomerBillingProfile", "5XX", 1),
    ("updateCustomerBillingProfile", "200", 1),
    ("updateCustomerBillingProfile", "4XX", 1),
    ("updateCustomerBillingProfile", "5XX", 1),
    ("listCustomerUsers", "200", 2),
    ("listCustomerUsers", "4XX", 1),
    ("listCustomerUsers", "5XX", 1),
    ("createCustomerUser", "200", 1),
    ("createCustomerUser", "4XX", 1),
    ("createCustomerUser", "5XX", 1),
    ("updateCustomerUser", "200", 2),
    ("updateCustomerUser", "4XX", 1),
    ("updateCustomerUser", "5XX", 1),
    ("deleteCustomerUser", "4XX", 1),
    ("deleteCustomerUser", "5XX", 1),
    ("resetCustomerUserPassword", "200", 1),
    ("resetCustomerUserPassword", "4XX", 1),
    ("resetCustomerUserPassword", "5XX", 1),
    ("listCustomerUserRoles", "200", 1),
    ("listCustomerUserRoles", "4XX", 1),
    ("listCustomerUserRoles", "5XX", 1),
    ("listCustomerDirectoryRoles", "4XX", 1),
    ("listCustomerDirectoryRoles", "5XX", 1),
    ("listCustomerDirectoryRoleMembers", "4XX", 1),
    ("listCustomerDirectoryRoleMembers", "5XX", 1),
    ("addCustomerDirectoryRoleMember", "201", 1),
    ("addCustomerDirectoryRoleMember", "4XX", 1),
    ("addCustomerDirectoryRoleMember", "5XX", 1),
    ("updateCustomerUserLicenses", "201", 1),
    // The page's two 400 bodies and its 403 body.
    ("updateCustomerUserLicenses", "400", 2),
    ("updateCustomerUserLicenses", "403", 1),
    ("updateCustomerUserLicenses", "4XX", 1),
    ("updateCustomerUserLicenses", "5XX", 1),
    ("listCustomerUserLicenses", "200", 1),
    ("listCustomerUserLicenses", "4XX", 1),
    ("listCustomerUserLicenses", "5XX", 1),
    ("listCustomerSubscribedSkus", "200", 1),
    ("listCustomerSubscribedSkus", "4XX", 1),
    ("listCustomerSubscribedSkus", "5XX", 1),
    ("listCustomerCustomDomains", "200", 1),
    ("listCustomerCustomDomains", "4XX", 1),
    ("listCustomerCustomDomains", "5XX", 1),
    ("getCustomerOrganization", "200", 1),
    ("getCustomerOrganization", "4XX", 1),
    ("getCustomerOrganization", "5XX", 1),
    // One sample for each of the five statuses.
    ("getCustomerValidationStatus", "200", 5),
    ("getCustomerValidationStatus", "404", 1),
    ("getCustomerValidationStatus", "4XX", 1),
    ("getCustomerValidationStatus", "5XX", 1),
    ("listValidationCodes", "200", 1),
    ("listValidationCodes", "4XX", 1),
    ("listValidationCodes", "5XX", 1),
    ("listAgreementMetadata", "200", 1),
    ("listAgreementMetadata", "4XX", 1),
    ("listAgreementMetadata", "5XX", 1),
    ("listCustomerAgreements", "200", 1),
    ("listCustomerAgreements", "4XX", 1),
    ("listCustomerAgreements", "5XX", 1),
    ("createCustomerAgreement", "201", 1),
    ("createCustomerAgreement", "4XX", 1),
    ("createCustomerAgreement", "5XX", 1),
    ("getCustomerDirectSignStatus", "200", 1),
    ("getCustomerDirectSignStatus", "4XX", 1),
    ("getCustomerDirectSignStatus", "5XX", 1),
    ("listSelfServePolicies", "200", 1),
    ("listSelfServePolicies", "4XX", 1),
    ("listSelfServePolicies", "5XX", 1),
    ("createSelfServePolicy", "201", 1),
    ("createSelfServePolicy", "4XX", 1),
    ("createSelfServePolicy", "5XX", 1),
    ("updateSelfServePolicy", "200", 1),
    ("updateSelfServePolicy", "4XX", 1),
    ("updateSelfServePolicy", "5XX", 1),
    ("getSelfServePolicy", "200", 1),
    ("getSelfServePolicy", "4XX", 1),
    ("getSelfServePolicy", "5XX", 1),
    ("deleteSelfServePolicy", "4XX", 1),
    ("deleteSelfServePolicy", "5XX", 1),
    ("listCustomerQualifications", "200", 6),
    ("listCustomerQualifications", "4XX", 1),
    ("listCustomerQualifications", "5XX", 1),
    ("createCustomerQualification", "201", 1),
    ("createCustomerQualification", "4XX", 1),
    ("createCustomerQualification", "5XX", 1),
    ("updateCustomer", "4XX", 1),
    ("updateCustomer", "5XX", 1),
    ("getCustomerRelationshipRequest", "200", 1),
    ("getCustomerRelationshipRequest", "4XX", 1),
    ("getCustomerRelationshipRequest", "5XX", 1),
    ("addCustomerVerifiedDomain", "201", 1),
    ("addCustomerVerifiedDomain", "4XX", 1),
    ("addCustomerVerifiedDomain", "5XX", 1),
    ("createCustomer", "201", 1),
    ("createCustomer", "4XX", 1),
    ("createCustomer", "5XX", 1),
    ("listCustomerOrders", "200", 2),
    ("listCustomerOrders", "4XX", 1),
    ("listCustomerOrders", "5XX", 1),
    ("listCustomerEntitlements", "200", 2),
    ("listCustomerEntitlements", "4XX", 1),
    ("listCustomerEntitlements", "5XX", 1),
    // The license-based and the software sample.
    ("listCustomerSubscriptions", "200", 2),
    ("listCustomerSubscriptions", "4XX", 1),
    ("listCustomerSubscriptions", "5XX", 1),
    // The page's response example is not attached (see its x-doc-note).
    ("updateCustomerSubscription", "4XX", 1),
    ("updateCustomerSubscription", "5XX", 1),
    ("updateCustomerUsageBudget", "200", 1),
    ("updateCustomerUsageBudget", "4XX", 1),
    ("updateCustomerUsageBudget", "5XX", 1),
    ("listDelegatedAdminCustomers", "200", 1),
    ("listDelegatedAdminCustomers", "4XX", 1),
    ("listDelegatedAdminCustomers", "5XX", 1),
];

/// The operations the client tests below exercise, in document order.
const CLIENT_TESTED: &[&str] = &[
    "listCustomers",
    "createCustomer",
    "getCustomer",
    "updateCustomer",
    "getCustomerCompanyProfile",
    "getCustomerBillingProfile",
    "updateCustomerBillingProfile",
    "listCustomerUsers",
    "createCustomerUser",
    "updateCustomerUser",
    "deleteCustomerUser",
    "resetCustomerUserPassword",
    "listCustomerUserRoles",
    "listCustomerDirectoryRoles",
    "listCustomerDirectoryRoleMembers",
    "addCustomerDirectoryRoleMember",
    "updateCustomerUserLicenses",
    "listCustomerUserLicenses",
    "listCustomerSubscribedSkus",
    "listCustomerCustomDomains",
    "getCustomerOrganization",
    "getCustomerValidationStatus",
    "listValidationCodes",
    "listAgreementMetadata",
    "listCustomerAgreements",
    "createCustomerAgreement",
    "getCustomerDirectSignStatus",
    "listSelfServePolicies",
    "createSelfServePolicy",
    "updateSelfServePolicy",
    "getSelfServePolicy",
    "deleteSelfServePolicy",
    "listCustomerQualifications",
    "createCustomerQualification",
    "getCustomerRelationshipRequest",
    "addCustomerVerifiedDomain",
    "listCustomerOrders",
    "listCustomerEntitlements",
    "listCustomerSubscriptions",
    "updateCustomerSubscription",
    "updateCustomerUsageBudget",
    "listDelegatedAdminCustomers",
];

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

/// Both GUID headers of every operation on the Partner Center host ask
/// for an automatic value (`x-auto-value: uuid`: a fresh GUID per call when
/// the caller sets none) and are typed as GUIDs, so such a value is valid.
/// The delegated admin customers host documents only `Authorization`.
#[test]
fn every_guid_header_asks_for_an_automatic_uuid() {
    let spec = &partner_center().spec;
    for operation_id in operation_ids(spec) {
        let (_, _, op) = operation(spec, &operation_id).unwrap();
        if op.get("servers").is_some() {
            assert_eq!(operation_id, "listDelegatedAdminCustomers");
            continue;
        }
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

// ---------------------------------------------------------------------------
// Documented exchanges: one request line of an operation's
// `x-request-samples`, the request body sample of the same page and the
// response sample of the same page, served on loopback and checked on the
// wire.

/// Headers a request sample shows that belong to the message or the
/// connection (reqwest sets or leaves them out itself), not to the call.
const TRANSPORT_HEADERS: &[&str] = &["Host", "Connection", "Content-Length", "Expect", "Date"];

/// Headers the vendor's SDK added to a request sample that no page
/// documents as part of the API (headers.md does not list them), seen on
/// assign-licenses-to-a-user.md.
const SDK_HEADERS: &[&str] = &["MS-PartnerCenter-Client"];

/// The GUID sent where a request sample's path shows a `<placeholder>`.
const PLACEHOLDER_GUID: &str = "0f0e0d0c-0b0a-4908-8706-050403020100";

/// The value sent as `If-Match` where a page requires it but its request
/// sample does not show it.
const TEST_ETAG: &str = "test-etag";

/// One documented call of an operation, as the loopback server expects it
/// and the client test makes it.
#[derive(Clone)]
struct Exchange {
    /// The page the request line comes from.
    source: String,
    method: String,
    /// The path sent, placeholders filled in.
    path: String,
    /// Path parameters by name, as sent.
    params: BTreeMap<String, String>,
    /// Query parameters, percent-decoded, in order.
    query: Vec<(String, String)>,
    /// The documented GUIDs where they are GUIDs, otherwise fresh ones.
    request_id: Uuid,
    correlation_id: Uuid,
    /// The documented `X-Locale`, else its documented default `en-US`.
    locale: String,
    /// The documented `If-Match`, else [`TEST_ETAG`] where the operation
    /// requires one.
    if_match: Option<String>,
    authorization: Option<String>,
    /// The request body sample of the same page, property names in
    /// camelCase and `null`s left out: what the typed client sends.
    body: Option<Value>,
    /// The status served and the response sample of the same page.
    status: u16,
    response: Option<Value>,
}

impl Exchange {
    /// A path parameter, as sent.
    fn param(&self, name: &str) -> &str {
        self.params
            .get(name)
            .unwrap_or_else(|| panic!("{}: no path parameter {name}", self.source))
    }

    /// The response sample as `T`.
    fn response<T: serde::de::DeserializeOwned>(&self) -> T {
        let value = self
            .response
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no response sample", self.source));
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{}: {e}", self.source))
    }

    /// The request body sample as `T`, checked to lose nothing: `T`
    /// serialises back to exactly the body the server expects.
    fn body<T: serde::de::DeserializeOwned + serde::Serialize>(&self) -> T {
        let value = self
            .body
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no request body sample", self.source));
        conformance::roundtrip(value)
            .unwrap_or_else(|e| panic!("{} request body: {e}", self.source))
    }
}

/// `key` with its first letter in lower case when the second is not upper
/// case (`FirstName` → `firstName`, `Id` → `id`, `tenantId` unchanged).
fn camel_key(key: &str) -> String {
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second) if second.is_none_or(|c| !c.is_uppercase()) => {
            first.to_lowercase().chain(key.chars().skip(1)).collect()
        }
        _ => key.to_owned(),
    }
}

/// A request body sample as the client sends it: names in camelCase (some
/// pages write PascalCase, which the service reads without regard to case,
/// see the operations' `x-doc-note`s) and `null` members left out.
fn wire_body(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (camel_key(k), wire_body(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(wire_body).collect()),
        other => other.clone(),
    }
}

/// The samples among `samples` whose description names `source`.
fn samples_from<'s>(
    samples: impl IntoIterator<Item = &'s codegen::samples::Sample>,
    source: &str,
) -> Vec<&'s codegen::samples::Sample> {
    let spec = &partner_center().spec;
    samples
        .into_iter()
        .filter(|s| sample_description(spec, s).is_some_and(|d| d.contains(source)))
        .collect()
}

/// Every documented call of `operation_id`, answered with `status` and the
/// response sample of the same page: once for each request body and each
/// response sample where a page shows several; where no response sample
/// names the call's page, once for each sample of the status, or once
/// without a body when there is none (likewise for request bodies, where
/// a sample that names no page is sent when it is the only one).
fn exchanges(operation_id: &str, status: u16) -> Vec<Exchange> {
    let loaded = partner_center();
    let (template, method, op) = operation(&loaded.spec, operation_id).unwrap();
    let has_if_match = op["parameters"].as_array().is_some_and(|ps| {
        ps.iter()
            .any(|p| p["$ref"] == "#/components/parameters/IfMatch" || p["name"] == "If-Match")
    });
    let mut requests = request_samples(&loaded.spec, operation_id);
    if requests.is_empty() {
        // A page that shows no request line: the call is constructed from
        // the path template, every path parameter a `<placeholder>`.
        requests.push(RequestSample {
            source: format!("constructed call of {operation_id}"),
            method: method.to_uppercase(),
            url: format!(
                "https://api.partnercenter.microsoft.com{}",
                template.replace('{', "<").replace('}', ">")
            ),
            headers: BTreeMap::new(),
        });
    }
    let bodies: Vec<_> = loaded
        .samples
        .iter()
        .filter(|s| {
            s.operation == operation_id
                && matches!(s.kind, codegen::samples::SampleKind::Request { .. })
        })
        .collect();
    let responses = responses_for(&loaded.samples, operation_id, &status.to_string());
    requests
        .into_iter()
        .flat_map(|request| {
            let source = request.source.clone();
            assert!(request.method.eq_ignore_ascii_case(method), "{source}");
            let mut params = match_path_template(template, request.path())
                .unwrap_or_else(|| panic!("{source}: {} is not {template}", request.path()));
            for value in params.values_mut() {
                if (value.starts_with('<') && value.ends_with('>'))
                    || (value.starts_with('{') && value.ends_with('}'))
                {
                    *value = PLACEHOLDER_GUID.to_owned();
                }
            }
            let mut path = template.to_owned();
            for (name, value) in &params {
                path = path.replace(&format!("{{{name}}}"), value);
            }
            let url = reqwest::Url::parse(&request.url.replace(['<', '>', '{', '}'], ""))
                .unwrap_or_else(|e| panic!("{source}: {e}"));
            let query = url
                .query_pairs()
                .map(|(k, v)| (k.into(), v.into()))
                .collect();
            let guid = |name: &str| {
                request
                    .headers
                    .get(name)
                    .and_then(|v| Uuid::parse_str(v).ok())
                    .unwrap_or_else(Uuid::new_v4)
            };
            for name in request.headers.keys() {
                assert!(
                    TRANSPORT_HEADERS.contains(&name.as_str())
                        || SDK_HEADERS.contains(&name.as_str())
                        || [
                            "Authorization",
                            "Accept",
                            "MS-RequestId",
                            "MS-CorrelationId",
                            "X-Locale",
                            "Content-Type",
                            "If-Match",
                        ]
                        .contains(&name.as_str()),
                    "{source}: no way to send documented header {name}"
                );
            }
            // The client accepts JSON only; a page may show more types.
            if let Some(accept) = request.headers.get("Accept") {
                assert!(
                    accept.split(',').any(|a| a.trim() == "application/json"),
                    "{source}: Accept {accept}"
                );
            }
            let mut sent: Vec<Option<Value>> = samples_from(bodies.iter().copied(), &source)
                .into_iter()
                .map(|s| Some(wire_body(&s.value)))
                .collect();
            if sent.is_empty() {
                sent.push((bodies.len() == 1).then(|| wire_body(&bodies[0].value)));
            }
            if sent[0].is_some() {
                if let Some(content_type) = request.headers.get("Content-Type") {
                    assert!(content_type.starts_with("application/json"), "{source}");
                }
            }
            let mut answers: Vec<Option<Value>> = samples_from(responses.iter().copied(), &source)
                .into_iter()
                .map(|s| Some(s.value.clone()))
                .collect();
            if answers.is_empty() {
                answers = responses.iter().map(|s| Some(s.value.clone())).collect();
            }
            if answers.is_empty() {
                answers.push(None);
            }
            let exchange = Exchange {
                method: request.method.to_uppercase(),
                path,
                params,
                query,
                request_id: guid("MS-RequestId"),
                correlation_id: guid("MS-CorrelationId"),
                locale: request
                    .headers
                    .get("X-Locale")
                    .cloned()
                    .unwrap_or_else(|| "en-US".into()),
                authorization: request.headers.get("Authorization").cloned(),
                if_match: request
                    .headers
                    .get("If-Match")
                    .cloned()
                    .or_else(|| has_if_match.then(|| TEST_ETAG.to_owned())),
                body: None,
                status,
                response: None,
                source,
            };
            sent.into_iter().flat_map(move |body| {
                let exchange = Exchange {
                    body,
                    ..exchange.clone()
                };
                answers.clone().into_iter().map(move |response| Exchange {
                    response,
                    ..exchange.clone()
                })
            })
        })
        .collect()
}

/// What the loopback server expects of `exchange` and what it answers.
fn expect_exchange(exchange: &Exchange, when: httpmock::When, then: httpmock::Then) {
    let mut when = when
        .method(exchange.method.as_str())
        .path(exchange.path.as_str())
        .query_param_count(".*", ".*", exchange.query.len())
        .header("accept", "application/json")
        .header("MS-RequestId", exchange.request_id.to_string())
        .header("MS-CorrelationId", exchange.correlation_id.to_string())
        .header("X-Locale", exchange.locale.as_str())
        // headers.md requires it; the client sends v1 when the caller does
        // not set it (see the parameter's x-doc-note).
        .header("MS-Contract-Version", "v1");
    if let Some(authorization) = &exchange.authorization {
        when = when.header("authorization", authorization.as_str());
    }
    if let Some(if_match) = &exchange.if_match {
        when = when.header("If-Match", if_match.as_str());
    }
    if let Some(body) = &exchange.body {
        // Compared as JSON values, numbers by value: a decimal field writes
        // the documented `100` as `100.0`, the same JSON number.
        let expected = body.clone();
        let source = exchange.source.clone();
        when = when
            .header("content-type", "application/json")
            .is_true(move |request| {
                let differences = match serde_json::from_slice::<Value>(request.body_ref()) {
                    Ok(sent) => json_differences(&expected, &sent),
                    Err(e) => vec![format!("the body is not JSON: {e}")],
                };
                if !differences.is_empty() {
                    eprintln!(
                        "{source}: the request body differs from the documented one:\n  {}",
                        differences.join("\n  ")
                    );
                }
                differences.is_empty()
            });
    }
    for (name, value) in &exchange.query {
        when = when.query_param(name.as_str(), value.as_str());
    }
    let then = then.status(exchange.status);
    if let Some(response) = &exchange.response {
        then.header("content-type", "application/json")
            .json_body(response.clone());
    }
}

/// A client for `server` that sends `exchange`'s documented `Authorization`
/// header.
fn exchange_client(server: &MockServer, exchange: &Exchange) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(authorization) = &exchange.authorization {
        headers.insert(
            reqwest::header::AUTHORIZATION,
            authorization.parse().expect("header value"),
        );
    }
    Client::new_with_client(
        &server.base_url(),
        reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap(),
        partner_center::runtime::Runtime::new(&partner_center::API),
    )
}

/// For every exchange of `$exchanges` (see [`exchanges`]): the loopback
/// server expects the documented request (method, path, query, headers,
/// body) and answers with the exchange's status and response sample;
/// `$call` makes the call through `$client` from `$exchange` (whose GUIDs
/// and locale it passes with [`ids!`]), and `$check` inspects the
/// successful result `$got`, whose status is checked already.
macro_rules! check_exchanges {
    ($exchanges:expr, |$client:ident, $exchange:ident| $call:expr, |$got:ident| $check:expr $(,)?) => {
        check_exchanges!(@run $exchanges, $client, $exchange, $call, |result| {
            let $got = result.unwrap_or_else(|e| panic!("{}: {e:?}", $exchange.source));
            assert_eq!($got.status(), $exchange.status, "{}", $exchange.source);
            $check;
        })
    };
    (@run $exchanges:expr, $client:ident, $exchange:ident, $call:expr, |$result:ident| $then:block) => {
        for $exchange in $exchanges {
            let server = MockServer::start_async().await;
            let mock = server
                .mock_async(|when, then| expect_exchange(&$exchange, when, then))
                .await;
            let $client = exchange_client(&server, &$exchange);
            let $result = $call.await;
            // Checked first: on a mismatch httpmock explains what differed.
            mock.assert_async().await;
            $then
        }
    };
}

/// The documented GUID headers and locale of `$exchange` on a builder.
macro_rules! ids {
    ($builder:expr, $exchange:ident) => {
        $builder
            .ms_request_id($exchange.request_id)
            .ms_correlation_id($exchange.correlation_id)
            .x_locale($exchange.locale.as_str())
    };
}

/// The typed filter of a documented request URL's decoded `filter`
/// value: the JSON object the page percent-encodes.
fn typed_filter<T: serde::de::DeserializeOwned>(source: &str, value: &str) -> T {
    serde_json::from_str(value)
        .unwrap_or_else(|e| panic!("{source}: the filter {value} is not the filter type: {e}"))
}

/// `listCustomers`, for both pages that document it: the page-size request
/// of the list page and the `filter` search of the search page (the filter
/// read from its documented URL into `types::CustomerFilter` and sent as
/// JSON text by the client; the server expects the documented text).
#[tokio::test]
async fn list_customers_sends_each_documented_request_and_returns_its_sample() {
    check_exchanges!(
        exchanges("listCustomers", 200),
        |client, ex| {
            let mut builder = ids!(client.list_customers(), ex);
            for (name, value) in &ex.query {
                builder = match name.as_str() {
                    "size" => builder.size(value.parse::<i32>().expect("size")),
                    "filter" => {
                        builder.filter(typed_filter::<types::CustomerFilter>(&ex.source, value))
                    }
                    other => panic!("{}: unknown query parameter {other}", ex.source),
                };
            }
            builder.send()
        },
        |got| assert_eq!(got.into_inner(), ex.response::<types::CustomerCollection>()),
    );
}

/// The value of `name` in a query string, still percent-encoded.
fn raw_query_value<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// The documented request line of `operation_id` whose query has a
/// `filter`, and that value as the page writes it (percent-encoded).
fn documented_raw_filter(operation_id: &str) -> (String, String) {
    let request = request_samples(&partner_center().spec, operation_id)
        .into_iter()
        .find(|r| r.url.contains("filter="))
        .unwrap_or_else(|| panic!("{operation_id}: no documented request with a filter"));
    let query = request
        .url
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or_default();
    let raw = raw_query_value(query, "filter")
        .expect("a filter value")
        .to_owned();
    (request.source, raw)
}

/// Sends `call` to a recording loopback server and returns the `filter`
/// of its query exactly as it went on the wire.
async fn sent_raw_filter<F, Fut, T>(call: F) -> String
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Result<T, Error<types::ErrorResponse>>>,
{
    let server = Recorder::script(vec![Reply::json(
        200,
        &json!({"totalCount": 0, "items": []}),
    )])
    .await;
    let result = call(Client::new(server.base_url())).await;
    assert!(result.is_ok(), "the call failed");
    let requests = server.requests();
    let [request] = &requests[..] else {
        panic!("expected one request, got {}", requests.len());
    };
    let query = request.query().expect("a query string");
    raw_query_value(query, "filter")
        .unwrap_or_else(|| panic!("no filter in the query {query}"))
        .to_owned()
}

/// A search built from the typed filter goes on the wire byte for byte as
/// get-a-customer-by-name.md writes it: compact JSON, keys in the page's
/// order (Field, Value, Operator), percent-encoded.
#[tokio::test]
async fn list_customers_sends_a_typed_filter_as_the_documented_json_text() {
    let (source, documented) = documented_raw_filter("listCustomers");
    let filter = types::CustomerFilter {
        field: types::CustomerSearchField::CompanyName,
        value: "Cont".to_owned(),
        operator: types::FilterOperator::StartsWith,
    };
    let sent = sent_raw_filter(|client| async move {
        client.list_customers().size(0).filter(filter).send().await
    })
    .await;
    assert_eq!(sent, documented, "{source}");
}

/// The deleted-users filter of view-a-deleted-user.md, built from the typed
/// filter, goes on the wire byte for byte as the page writes it.
#[tokio::test]
async fn list_customer_users_sends_a_typed_filter_as_the_documented_json_text() {
    let (source, documented) = documented_raw_filter("listCustomerUsers");
    let filter = types::CustomerUserFilter {
        field: types::CustomerUserSearchField::UserState,
        value: "Inactive".to_owned(),
        operator: types::FilterOperator::Equals,
    };
    let sent = sent_raw_filter(|client| async move {
        client
            .list_customer_users()
            .customer_tenant_id("4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04")
            .size(500)
            .filter(filter)
            .send()
            .await
    })
    .await;
    assert_eq!(sent, documented, "{source}");
}

#[tokio::test]
async fn get_customer_company_profile_sends_the_documented_request() {
    check_exchanges!(
        exchanges("getCustomerCompanyProfile", 200),
        |client, ex| ids!(client.get_customer_company_profile(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::CustomerCompanyProfile>()
        ),
    );
}

#[tokio::test]
async fn get_customer_billing_profile_sends_the_documented_request() {
    check_exchanges!(
        exchanges("getCustomerBillingProfile", 200),
        |client, ex| ids!(client.get_customer_billing_profile(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::CustomerBillingProfile>()
        ),
    );
}

/// The update sends the documented profile (PascalCase names on the page,
/// camelCase from the client) with the required `If-Match`.
#[tokio::test]
async fn update_customer_billing_profile_sends_the_documented_request_with_if_match() {
    check_exchanges!(
        exchanges("updateCustomerBillingProfile", 200),
        |client, ex| ids!(client.update_customer_billing_profile(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .if_match(ex.if_match.clone().expect("If-Match"))
            .body(ex.body::<types::CustomerBillingProfile>())
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::CustomerBillingProfile>()
        ),
    );
}

/// Both documented listings: all users, and the deleted ones (the
/// `UserState` filter with a page size).
#[tokio::test]
async fn list_customer_users_sends_each_documented_request_and_returns_its_sample() {
    check_exchanges!(
        exchanges("listCustomerUsers", 200),
        |client, ex| {
            let mut builder = ids!(client.list_customer_users(), ex)
                .customer_tenant_id(ex.param("customer-tenant-id"));
            for (name, value) in &ex.query {
                builder = match name.as_str() {
                    "size" => builder.size(value.parse::<i32>().expect("size")),
                    "filter" => {
                        builder.filter(typed_filter::<types::CustomerUserFilter>(&ex.source, value))
                    }
                    other => panic!("{}: unknown query parameter {other}", ex.source),
                };
            }
            builder.send()
        },
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::CustomerUserCollection>()
        ),
    );
}

#[tokio::test]
async fn create_customer_user_sends_the_documented_user() {
    check_exchanges!(
        exchanges("createCustomerUser", 200),
        |client, ex| ids!(client.create_customer_user(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .body(ex.body::<types::CustomerUser>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::CustomerUser>()),
    );
}

/// The update page's change of usage location and the restore page's
/// `state: active` (PascalCase on the page), each with its own answer.
#[tokio::test]
async fn update_customer_user_sends_each_documented_change() {
    check_exchanges!(
        exchanges("updateCustomerUser", 200),
        |client, ex| ids!(client.update_customer_user(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .user_id(ex.param("user-id"))
            .body(ex.body::<types::CustomerUser>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::CustomerUser>()),
    );
}

#[tokio::test]
async fn delete_customer_user_sends_the_documented_request_and_reads_204() {
    check_exchanges!(
        exchanges("deleteCustomerUser", 204),
        |client, ex| ids!(client.delete_customer_user(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .user_id(ex.param("user-id"))
            .send(),
        |got| got.into_inner(),
    );
}

#[tokio::test]
async fn reset_customer_user_password_sends_the_documented_profile() {
    check_exchanges!(
        exchanges("resetCustomerUserPassword", 200),
        |client, ex| ids!(client.reset_customer_user_password(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .user_id(ex.param("user-id"))
            .body(ex.body::<types::CustomerUser>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::CustomerUser>()),
    );
}

#[tokio::test]
async fn list_customer_user_roles_sends_the_documented_request() {
    check_exchanges!(
        exchanges("listCustomerUserRoles", 200),
        |client, ex| ids!(client.list_customer_user_roles(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .user_id(ex.param("user-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::DirectoryRoleCollection>()
        ),
    );
}

/// No page shows this call or its answer: the constructed call reaches the
/// documented path and an empty body decodes.
#[tokio::test]
async fn list_customer_directory_roles_sends_the_documented_path() {
    check_exchanges!(
        exchanges("listCustomerDirectoryRoles", 200)
            .into_iter()
            .map(|ex| Exchange {
                response: Some(json!({"totalCount": 0, "items": []})),
                ..ex
            }),
        |client, ex| ids!(client.list_customer_directory_roles(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::DirectoryRoleCollection>()
        ),
    );
}

/// No page shows this call or its answer: the constructed call reaches the
/// documented path and an empty body decodes.
#[tokio::test]
async fn list_customer_directory_role_members_sends_the_documented_path() {
    check_exchanges!(
        exchanges("listCustomerDirectoryRoleMembers", 200)
            .into_iter()
            .map(|ex| Exchange {
                response: Some(json!({"totalCount": 0, "items": []})),
                ..ex
            }),
        |client, ex| ids!(client.list_customer_directory_role_members(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .role_id(ex.param("role-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::UserMemberCollection>()
        ),
    );
}

/// The role member page's PascalCase body goes out in camelCase and the
/// 201 answer decodes.
#[tokio::test]
async fn add_customer_directory_role_member_sends_the_documented_member() {
    check_exchanges!(
        exchanges("addCustomerDirectoryRoleMember", 201),
        |client, ex| ids!(client.add_customer_directory_role_member(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .role_id(ex.param("role-id"))
            .body(ex.body::<types::UserMember>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::UserMember>()),
    );
}

/// The page's PascalCase license update goes out in camelCase and the 201
/// answer decodes; each documented 400 and 403 body comes back as the
/// typed error with its status.
#[tokio::test]
async fn update_customer_user_licenses_sends_the_documented_update() {
    check_exchanges!(
        exchanges("updateCustomerUserLicenses", 201),
        |client, ex| ids!(client.update_customer_user_licenses(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .user_id(ex.param("user-id"))
            .body(ex.body::<types::LicenseUpdate>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::LicenseUpdate>()),
    );
    for status in [400_u16, 403] {
        let samples = responses_for(
            &partner_center().samples,
            "updateCustomerUserLicenses",
            &status.to_string(),
        );
        assert!(!samples.is_empty(), "{status} has samples");
        for sample in samples {
            let server = MockServer::start_async().await;
            let mock = server
                .mock_async(|when, then| {
                    when.method("POST").path(format!(
                        "/v1/customers/{PLACEHOLDER_GUID}/users/{PLACEHOLDER_GUID}/licenseupdates"
                    ));
                    then.status(status)
                        .header("content-type", "application/json")
                        .json_body(sample.value.clone());
                })
                .await;
            let result = Client::new(&server.base_url())
                .update_customer_user_licenses()
                .customer_tenant_id(PLACEHOLDER_GUID)
                .user_id(PLACEHOLDER_GUID)
                .body(types::LicenseUpdate::default())
                .send()
                .await;
            mock.assert_async().await;
            match result {
                Err(Error::ErrorResponse(body)) => {
                    assert_eq!(body.status(), status);
                    assert_eq!(
                        serde_json::to_value(body.into_inner()).unwrap(),
                        sample.value
                    );
                }
                other => panic!(
                    "{}: expected the typed error, got {other:?}",
                    sample_label(sample)
                ),
            }
        }
    }
}

/// Every documented status, with the required `type=account`; the 404
/// sample (no account status) comes back as the typed error.
#[tokio::test]
async fn get_customer_validation_status_sends_the_type_and_reads_each_status() {
    check_exchanges!(
        exchanges("getCustomerValidationStatus", 200),
        |client, ex| {
            assert_eq!(
                ex.query,
                vec![("type".to_owned(), "account".to_owned())],
                "{}",
                ex.source
            );
            ids!(client.get_customer_validation_status(), ex)
                .customer_tenant_id(ex.param("customer-tenant-id"))
                .type_(types::ValidationType::Account)
                .send()
        },
        |got| assert_eq!(got.into_inner(), ex.response::<types::ValidationStatus>()),
    );
    let sample = &responses_for(
        &partner_center().samples,
        "getCustomerValidationStatus",
        "404",
    )[0];
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/v1/customers/{PLACEHOLDER_GUID}/validationStatus"))
                .query_param("type", "account");
            then.status(404)
                .header("content-type", "application/json")
                .json_body(sample.value.clone());
        })
        .await;
    let result = Client::new(&server.base_url())
        .get_customer_validation_status()
        .customer_tenant_id(PLACEHOLDER_GUID)
        .type_(types::ValidationType::Account)
        .send()
        .await;
    mock.assert_async().await;
    match result {
        Err(Error::ErrorResponse(body)) => {
            assert_eq!(body.status(), 404);
            assert_eq!(body.error_name.as_deref(), Some("AccountStatusNotFound"));
        }
        other => panic!("expected the typed 404, got {other:?}"),
    }
}

#[tokio::test]
async fn list_customer_user_licenses_sends_the_documented_request() {
    check_exchanges!(
        exchanges("listCustomerUserLicenses", 200),
        |client, ex| ids!(client.list_customer_user_licenses(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .user_id(ex.param("user-id"))
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::LicenseCollection>()),
    );
}

#[tokio::test]
async fn list_customer_subscribed_skus_sends_the_documented_request() {
    check_exchanges!(
        exchanges("listCustomerSubscribedSkus", 200),
        |client, ex| ids!(client.list_customer_subscribed_skus(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::SubscribedSkuCollection>()
        ),
    );
}

/// The page's request line asks for another path (repaired in the spec,
/// see its `x-doc-note`); the domain list decodes.
#[tokio::test]
async fn list_customer_custom_domains_sends_the_documented_request() {
    check_exchanges!(
        exchanges("listCustomerCustomDomains", 200),
        |client, ex| ids!(client.list_customer_custom_domains(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<Vec<String>>()),
    );
}

#[tokio::test]
async fn get_customer_organization_sends_the_documented_request() {
    check_exchanges!(
        exchanges("getCustomerOrganization", 200),
        |client, ex| ids!(client.get_customer_organization(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<Vec<types::Organization>>()),
    );
}

#[tokio::test]
async fn list_validation_codes_sends_the_documented_request() {
    check_exchanges!(
        exchanges("listValidationCodes", 200),
        |client, ex| ids!(client.list_validation_codes(), ex).send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<Vec<types::ValidationCode>>()
        ),
    );
}

#[tokio::test]
async fn list_agreement_metadata_sends_the_documented_request() {
    check_exchanges!(
        exchanges("listAgreementMetadata", 200),
        |client, ex| ids!(client.list_agreement_metadata(), ex).send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::AgreementMetadataCollection>()
        ),
    );
}

#[tokio::test]
async fn list_customer_agreements_sends_the_documented_request() {
    check_exchanges!(
        exchanges("listCustomerAgreements", 200),
        |client, ex| ids!(client.list_customer_agreements(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::AgreementCollection>()
        ),
    );
}

#[tokio::test]
async fn create_customer_agreement_sends_the_documented_request() {
    check_exchanges!(
        exchanges("createCustomerAgreement", 201),
        |client, ex| ids!(client.create_customer_agreement(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .body(ex.body::<types::Agreement>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::Agreement>()),
    );
}

#[tokio::test]
async fn get_customer_direct_sign_status_sends_the_documented_request() {
    check_exchanges!(
        exchanges("getCustomerDirectSignStatus", 200),
        |client, ex| ids!(client.get_customer_direct_sign_status(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::DirectSignedCustomerAgreementStatus>()
        ),
    );
}

#[tokio::test]
async fn list_self_serve_policies_sends_the_documented_request() {
    check_exchanges!(
        exchanges("listSelfServePolicies", 200),
        |client, ex| ids!(client.list_self_serve_policies(), ex)
            .entity_id(ex.query[0].1.as_str())
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::SelfServePolicyCollection>()
        ),
    );
}

#[tokio::test]
async fn create_self_serve_policy_sends_the_documented_request() {
    check_exchanges!(
        exchanges("createSelfServePolicy", 201),
        |client, ex| ids!(client.create_self_serve_policy(), ex)
            .body(ex.body::<types::SelfServePolicy>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::SelfServePolicy>()),
    );
}

#[tokio::test]
async fn update_self_serve_policy_sends_the_documented_request() {
    check_exchanges!(
        exchanges("updateSelfServePolicy", 200),
        |client, ex| ids!(client.update_self_serve_policy(), ex)
            .body(ex.body::<types::SelfServePolicy>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::SelfServePolicy>()),
    );
}

#[tokio::test]
async fn get_self_serve_policy_sends_the_documented_request() {
    check_exchanges!(
        exchanges("getSelfServePolicy", 200),
        |client, ex| ids!(client.get_self_serve_policy(), ex)
            .policy_id(ex.param("policy-id"))
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::SelfServePolicy>()),
    );
}

#[tokio::test]
async fn delete_self_serve_policy_sends_the_documented_request() {
    check_exchanges!(
        exchanges("deleteSelfServePolicy", 204),
        |client, ex| ids!(client.delete_self_serve_policy(), ex)
            .policy_id(ex.param("policy-id"))
            .send(),
        |got| got.into_inner(),
    );
}

/// One request line, answered with each of the page's six lists.
#[tokio::test]
async fn list_customer_qualifications_sends_the_documented_request() {
    check_exchanges!(
        exchanges("listCustomerQualifications", 200),
        |client, ex| ids!(client.list_customer_qualifications(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<Vec<types::CustomerQualification>>()
        ),
    );
}

/// The page's three request bodies (State Owned Entity, Education, GCC),
/// each answered with its 201 sample.
#[tokio::test]
async fn create_customer_qualification_sends_each_documented_body() {
    let sent = exchanges("createCustomerQualification", 201);
    assert_eq!(sent.len(), 3, "one exchange per documented body");
    check_exchanges!(
        sent,
        |client, ex| ids!(client.create_customer_qualification(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .body(ex.body::<types::CustomerQualification>())
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::CustomerQualification>()
        ),
    );
}

/// The page's response sample is not attached (see the operation's
/// `x-doc-note`): the documented body goes out and a customer with the
/// documented relationship, constructed, decodes.
#[tokio::test]
async fn update_customer_sends_the_documented_relationship_removal() {
    check_exchanges!(
        exchanges("updateCustomer", 200)
            .into_iter()
            .map(|ex| Exchange {
                response: Some(json!({
                    "id": PLACEHOLDER_GUID,
                    "relationshipToPartner": "none",
                    "attributes": {"objectType": "Customer"},
                })),
                ..ex
            }),
        |client, ex| ids!(client.update_customer(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .body(ex.body::<types::CustomerUpdate>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::Customer>()),
    );
}

#[tokio::test]
async fn get_customer_relationship_request_sends_the_documented_request() {
    check_exchanges!(
        exchanges("getCustomerRelationshipRequest", 200),
        |client, ex| ids!(client.get_customer_relationship_request(), ex).send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::CustomerRelationshipRequest>()
        ),
    );
}

/// The page's PascalCase body (repaired) goes out in camelCase, without
/// its nulls, and the 201 domain decodes.
#[tokio::test]
async fn add_customer_verified_domain_sends_the_documented_domain() {
    check_exchanges!(
        exchanges("addCustomerVerifiedDomain", 201),
        |client, ex| ids!(client.add_customer_verified_domain(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .body(ex.body::<types::VerifiedDomain>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::Domain>()),
    );
}

/// The page's PascalCase profiles (repaired) go out in camelCase and the
/// new customer, with its admin credentials, decodes.
#[tokio::test]
async fn create_customer_sends_the_documented_profiles() {
    check_exchanges!(
        exchanges("createCustomer", 201),
        |client, ex| ids!(client.create_customer(), ex)
            .body(ex.body::<types::NewCustomer>())
            .send(),
        |got| assert_eq!(got.into_inner(), ex.response::<types::Customer>()),
    );
}

/// Both pages: all orders, and those of one billing cycle type.
#[tokio::test]
async fn list_customer_orders_sends_each_documented_request() {
    check_exchanges!(
        exchanges("listCustomerOrders", 200),
        |client, ex| {
            let mut builder = ids!(client.list_customer_orders(), ex)
                .customer_tenant_id(ex.param("customer-tenant-id"));
            for (name, value) in &ex.query {
                assert_eq!(name, "billingType", "{}", ex.source);
                builder = builder.billing_type(value.as_str());
            }
            builder.send()
        },
        |got| assert_eq!(got.into_inner(), ex.response::<types::OrderCollection>()),
    );
}

/// Both request lines of the page, each with its answer. The second writes
/// the query name `entitlementtype`; the spec declares `entitlementType`
/// (see the operation's `x-doc-note`), which is what the client sends.
#[tokio::test]
async fn list_customer_entitlements_sends_each_documented_request() {
    let documented = exchanges("listCustomerEntitlements", 200);
    assert_eq!(documented.len(), 2, "one exchange per request line");
    check_exchanges!(
        documented.into_iter().map(|ex| Exchange {
            query: ex
                .query
                .iter()
                .map(|(name, value)| match name.as_str() {
                    "entitlementtype" => ("entitlementType".to_owned(), value.clone()),
                    _ => (name.clone(), value.clone()),
                })
                .collect(),
            ..ex
        }),
        |client, ex| {
            let mut builder = ids!(client.list_customer_entitlements(), ex)
                .customer_tenant_id(ex.param("customer-tenant-id"));
            for (name, value) in &ex.query {
                builder = match name.as_str() {
                    "entitlementType" => builder.entitlement_type(value.as_str()),
                    "showExpiry" => builder.show_expiry(value.parse::<bool>().expect("bool")),
                    other => panic!("{}: unknown query parameter {other}", ex.source),
                };
            }
            builder.send()
        },
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::EntitlementCollection>()
        ),
    );
}

/// Both documented answers of the subscription list: a license-based
/// subscription with its offer link, and a software one with its product,
/// SKU and availability links.
#[tokio::test]
async fn list_customer_subscriptions_sends_the_documented_request_and_reads_both_samples() {
    let documented = exchanges("listCustomerSubscriptions", 200);
    assert_eq!(documented.len(), 2, "one exchange per response sample");
    check_exchanges!(
        documented,
        |client, ex| ids!(client.list_customer_subscriptions(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .send(),
        |got| assert_eq!(
            got.into_inner(),
            ex.response::<types::SubscriptionCollection>()
        ),
    );
}

/// The nickname update sends the documented subscription (PascalCase on the
/// page, camelCase from the client). The page's answer is not attached, so
/// the server answers with the subscription the client sent.
#[tokio::test]
async fn update_customer_subscription_sends_the_documented_nickname() {
    check_exchanges!(
        exchanges("updateCustomerSubscription", 200)
            .into_iter()
            .map(|ex| Exchange {
                response: ex.body.clone(),
                ..ex
            }),
        |client, ex| ids!(client.update_customer_subscription(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .subscription_id(ex.param("subscription-id"))
            .body(ex.body::<types::Subscription>())
            .send(),
        |got| {
            let got = got.into_inner();
            assert_eq!(got.friendly_name.as_deref(), Some("nickname"));
            assert_eq!(got, ex.response::<types::Subscription>());
        },
    );
}

/// The budget update sends the documented amount and reads the repaired
/// answer, whose `amount` of 100 is a decimal.
#[tokio::test]
async fn update_customer_usage_budget_sends_the_documented_amount() {
    check_exchanges!(
        exchanges("updateCustomerUsageBudget", 200),
        |client, ex| ids!(client.update_customer_usage_budget(), ex)
            .customer_tenant_id(ex.param("customer-tenant-id"))
            .body(ex.body::<types::SpendingBudget>())
            .send(),
        |got| {
            let got = got.into_inner();
            assert_eq!(got.amount, Some(Some(100.0)));
            assert_eq!(got, ex.response::<types::SpendingBudget>());
        },
    );
}

/// The delegated admin customers live on a host of their own: the client
/// sends the call there, not to its base URL, and `operation_server` moves
/// it (here to a loopback server, with the documented OData options and the
/// documented request's `Authorization`). The answer is the page's sample.
#[tokio::test]
async fn list_delegated_admin_customers_goes_to_its_own_host() {
    const HOST: &str = "https://traf-pcsvcadmin-prod.trafficmanager.net";
    let meta = partner_center::API
        .operations
        .iter()
        .find(|op| op.operation_id == "listDelegatedAdminCustomers")
        .expect("in the API table");
    assert_eq!(meta.server, Some(HOST));
    assert!(partner_center::API
        .operations
        .iter()
        .filter(|op| op.operation_id != "listDelegatedAdminCustomers")
        .all(|op| op.server.is_none()));

    let loaded = partner_center();
    let requests = request_samples(&loaded.spec, "listDelegatedAdminCustomers");
    let [request] = requests.as_slice() else {
        panic!("one documented request: {requests:?}");
    };
    assert!(request.url.starts_with(HOST), "{}", request.url);
    let sample = responses_for(&loaded.samples, "listDelegatedAdminCustomers", "200")[0]
        .value
        .clone();
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(request.path())
                .query_param("$top", "300")
                .query_param("$orderBy", "lastSignInDateTime desc")
                .query_param("$count", "true")
                .header("authorization", "Bearer <token>")
                .header("accept", "application/json");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(sample.clone());
        })
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "authorization",
        request.headers["Authorization"].parse().expect("header"),
    );
    let client = Client::builder("https://api.partnercenter.microsoft.com")
        .operation_server(format!("{HOST}/"), server.base_url())
        .http_client(
            reqwest::Client::builder()
                .default_headers(headers)
                .build()
                .expect("http client"),
        )
        .build()
        .expect("client");
    #[allow(deprecated)]
    let got = client
        .list_delegated_admin_customers()
        .top(300)
        .order_by("lastSignInDateTime desc")
        .count(true)
        .send()
        .await
        .expect("the documented answer")
        .into_inner();
    mock.assert_async().await;
    let expected: types::DelegatedAdminCustomerCollection =
        serde_json::from_value(sample).expect("sample");
    assert_eq!(got, expected);
    assert_eq!(got.value.as_ref().map(Vec::len), Some(2));
}

/// `operation_server` names a server of an operation; another URL, or a
/// replacement that is not http(s), is refused when the client is built.
#[test]
fn operation_server_is_checked_when_the_client_is_built() {
    let unknown = Client::builder("https://api.partnercenter.microsoft.com")
        .operation_server("https://elsewhere.example", "http://127.0.0.1:1")
        .build()
        .expect_err("no operation has that server");
    assert!(
        unknown.to_string().contains("https://elsewhere.example"),
        "{unknown}"
    );
    let bad = Client::builder("https://api.partnercenter.microsoft.com")
        .operation_server("https://traf-pcsvcadmin-prod.trafficmanager.net", "ftp://x")
        .build()
        .expect_err("not http(s)");
    assert!(bad.to_string().contains("ftp://x"), "{bad}");
}
