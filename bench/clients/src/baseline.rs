//! The hand-written baseline: a plain `reqwest::Client` and `serde`, doing
//! what a developer would write by hand for Partner Center's `getCustomer`.
//!
//! It sends what the generated client sends (a bearer token, `Accept`, fresh
//! `MS-RequestId` and `MS-CorrelationId` GUIDs, `MS-Contract-Version: v1`,
//! which the spec has the generated client send on every call) and decodes into structs of
//! the same shape as the generated types: every field, the same nesting, the
//! same `Option`s. What it leaves out is what the generated client adds:
//! no token cache (the token is a fixed string), no retries, no path check,
//! no length checks on strings and no open enum (`relationshipToPartner` is
//! a `String`).

use reqwest::header::ACCEPT;
use serde::{Deserialize, Serialize};

/// The baseline client.
#[derive(Debug, Clone)]
pub struct HandWritten {
    http: reqwest::Client,
    base_url: String,
    token: String,
}

impl HandWritten {
    /// A client for the server at `base_url` that sends `token`.
    pub fn new(http: reqwest::Client, base_url: &str, token: &str) -> Self {
        HandWritten {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        }
    }

    /// `GET /v1/customers/{id}`, decoded into `T` (the baseline decodes into
    /// [`Customer`]; a variant decodes into the generated type instead).
    pub async fn get_customer<T: serde::de::DeserializeOwned>(
        &self,
        id: uuid::Uuid,
    ) -> reqwest::Result<T> {
        self.http
            .get(format!("{}/v1/customers/{id}", self.base_url))
            .bearer_auth(&self.token)
            .header(ACCEPT, "application/json")
            .header("MS-RequestId", uuid::Uuid::new_v4().to_string())
            .header("MS-CorrelationId", uuid::Uuid::new_v4().to_string())
            .header("MS-Contract-Version", "v1")
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }
}

/// A Partner Center customer, written by hand after the documented JSON.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commerce_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_profile: Option<CompanyProfile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_profile: Option<BillingProfile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship_to_partner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_delegated_access: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub associated_partner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domains: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_credentials: Option<UserCredentials>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
}

/// The customer's company profile.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyProfile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_registration_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
}

/// The customer's billing profile.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingProfile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub culture: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// Sign-in details of a newly created customer's administrator.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserCredentials {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// The links of a resource.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Links {
    #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
    pub self_: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
}

/// One link.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Link {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<KeyValue>>,
}

/// A header of a link.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct KeyValue {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// The attributes of a resource.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attributes {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
}
