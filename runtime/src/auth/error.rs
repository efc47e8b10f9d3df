//! Why an access token could not be obtained.

use std::sync::Arc;

use reqwest::StatusCode;

/// Why an access token could not be obtained.
///
/// Messages name the token URL they concern. None of them carries a secret:
/// text that comes from the token endpoint is bounded, scrubbed of the
/// credentials that were sent and, in JSON, stripped of every token-like
/// field; token values and key material are never quoted.
///
/// The type is `Clone` (transport errors sit behind an `Arc`) so that one
/// failed fetch can be reported to every caller that waited for it.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token URL uses neither `https` nor, after
    /// `allow_insecure_loopback`, `http` to a loopback host.
    #[error(
        "insecure token url `{url}`: only https is allowed \
         (or http to a loopback host after `allow_insecure_loopback`)"
    )]
    InsecureUrl {
        /// The resolved token URL.
        url: String,
    },

    /// The token URL cannot be parsed or is not usable as a token endpoint.
    #[error("invalid token url `{url}`: {reason}")]
    InvalidUrl {
        /// The token URL, with any user name and password removed.
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The token URL still contains a `{name}` placeholder after all
    /// `url_parameter` values were filled in.
    #[error("token url `{url}` has no value for the placeholder `{{{name}}}`")]
    UnresolvedPlaceholder {
        /// The token URL template.
        url: String,
        /// The placeholder's name, without braces.
        name: String,
    },

    /// The HTTP client for token requests could not be created.
    #[error("cannot create the http client for token requests to `{url}`")]
    HttpClient {
        /// The resolved token URL.
        url: String,
        /// Why reqwest refused.
        #[source]
        source: Arc<reqwest::Error>,
    },

    /// The token request got no response (connection, TLS or timeout failure).
    #[error("token request to `{url}` failed")]
    Transport {
        /// The resolved token URL.
        url: String,
        /// The transport failure.
        #[source]
        source: Arc<reqwest::Error>,
    },

    /// The token endpoint answered with an OAuth2 error response (RFC 6749 §5.2).
    #[error(
        "token endpoint `{url}` rejected the request with status {status}: {error}{}",
        description_suffix(.error_description.as_deref())
    )]
    Rejected {
        /// The resolved token URL.
        url: String,
        /// The HTTP status of the response.
        status: StatusCode,
        /// The OAuth2 `error` code, such as `invalid_client`.
        error: String,
        /// The server's `error_description`, bounded and scrubbed of the
        /// credentials that were sent.
        error_description: Option<String>,
    },

    /// The response is neither a token nor an OAuth2 error.
    #[error(
        "unexpected response from token endpoint `{url}` with status {status}: {reason}{}",
        excerpt_suffix(.excerpt)
    )]
    UnexpectedResponse {
        /// The resolved token URL.
        url: String,
        /// The HTTP status of the response.
        status: StatusCode,
        /// What is wrong with the response.
        reason: &'static str,
        /// At most 512 bytes of the body with token-like JSON fields and the
        /// sent credentials masked; empty for a success status whose body is
        /// not JSON, since such a body might hold a token in some other form.
        excerpt: String,
    },

    /// The private key for the client assertion is unusable.
    #[error("invalid private key for the client assertion: {reason}")]
    InvalidPrivateKey {
        /// What is wrong with it (never any part of the key).
        reason: &'static str,
    },

    /// The token source returned a token that cannot be sent in an HTTP
    /// header (it contains control characters).
    #[error("the token source returned a token that cannot be sent in an http header")]
    UnusableToken,

    /// The client assertion could not be signed.
    #[error("cannot sign the client assertion for token url `{url}`")]
    Assertion {
        /// The resolved token URL.
        url: String,
    },
}

impl AuthError {
    /// The HTTP status of the token endpoint's response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Rejected { status, .. } | Self::UnexpectedResponse { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }
}

fn description_suffix(description: Option<&str>) -> String {
    description.map(|d| format!(" ({d})")).unwrap_or_default()
}

fn excerpt_suffix(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        // Debug formatting escapes quotes and line breaks, keeping the
        // message on one line whatever the body contained.
        format!("; body: {excerpt:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_message_shows_braces() {
        let error = AuthError::UnresolvedPlaceholder {
            url: "https://login.example/{tenantId}/token".into(),
            name: "tenantId".into(),
        };
        assert_eq!(
            error.to_string(),
            "token url `https://login.example/{tenantId}/token` has no value for the placeholder `{tenantId}`"
        );
    }

    #[test]
    fn rejected_message_names_status_code_and_description() {
        let error = AuthError::Rejected {
            url: "https://login.example/token".into(),
            status: StatusCode::BAD_REQUEST,
            error: "invalid_client".into(),
            error_description: Some("unknown client".into()),
        };
        assert_eq!(
            error.to_string(),
            "token endpoint `https://login.example/token` rejected the request with status \
             400 Bad Request: invalid_client (unknown client)"
        );
        assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    }
}
