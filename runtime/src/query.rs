//! Query parameters whose value is a JSON document (OpenAPI's
//! `content: {application/json: ..}` on a query parameter): the value is
//! written as compact JSON text, which the query string then
//! percent-encodes, so `{"Field":"Domain"}` goes on the wire as
//! `%7B%22Field%22%3A%22Domain%22%7D`.

use std::fmt;

use serde::{Serialize, Serializer};

/// A value sent as its compact JSON text. The generated clients type such
/// parameters `Json<T>`; a `T` converts into it, so a builder's setter takes
/// the typed value (`.filter(types::CustomerFilter { .. })`).
///
/// It serializes as one string (what a query parameter needs) and displays
/// as that text (what the mock helpers compare a decoded query value with).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Json<T>(pub T);

impl<T: Serialize> Json<T> {
    /// The compact JSON text of the value.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(&self.0)
    }
}

impl<T> From<T> for Json<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Serialize> Serialize for Json<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.to_json().map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

/// The compact JSON text. `to_string()` panics if the value cannot be
/// written as JSON (a map whose keys are not strings, a failing custom
/// `Serialize`); the generated types always can.
impl<T: Serialize> fmt::Display for Json<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json().map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::Json;

    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Filter {
        field: &'static str,
        value: &'static str,
        operator: &'static str,
    }

    const FILTER: Filter = Filter {
        field: "CompanyName",
        value: "Cont",
        operator: "starts_with",
    };

    #[test]
    fn displays_compact_json() {
        assert_eq!(
            Json(FILTER).to_string(),
            r#"{"Field":"CompanyName","Value":"Cont","Operator":"starts_with"}"#
        );
    }

    #[test]
    fn a_query_carries_the_percent_encoded_text() {
        let request = reqwest::Client::new()
            .get("http://127.0.0.1/v1/customers")
            .query(&[("size", "0")])
            .query(&progenitor_client::QueryParam::new(
                "filter",
                &Some(Json(FILTER)),
            ))
            .build()
            .expect("a request");
        assert_eq!(
            request.url().query(),
            Some("size=0&filter=%7B%22Field%22%3A%22CompanyName%22%2C%22Value%22%3A%22Cont%22%2C%22Operator%22%3A%22starts_with%22%7D")
        );
    }

    #[test]
    fn an_absent_value_sends_no_parameter() {
        let none: Option<Json<Filter>> = None;
        let request = reqwest::Client::new()
            .get("http://127.0.0.1/v1/customers")
            .query(&progenitor_client::QueryParam::new("filter", &none))
            .build()
            .expect("a request");
        assert_eq!(request.url().query(), None);
    }
}
