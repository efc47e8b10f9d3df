//! The error type of every generated operation.
//!
//! It has the variants of `progenitor_client::Error` (the generated code
//! constructs them by name) plus what progenitor cannot express: a token
//! that could not be obtained, and a body that could not be decoded together
//! with its status and a bounded excerpt.

use std::fmt;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;

use crate::auth::AuthError;

/// Longest excerpt of an undecodable body kept in an error, in bytes.
pub const EXCERPT_LIMIT: usize = 512;

/// Why an operation failed.
#[non_exhaustive]
pub enum Error<E = ()> {
    /// The request could not be built (a missing or invalid parameter).
    InvalidRequest(String),
    /// No response: connecting or transferring failed, after any retries.
    CommunicationError(reqwest::Error),
    /// No token could be obtained for the request.
    Auth(AuthError),
    /// Upgrading the connection failed.
    InvalidUpgrade(reqwest::Error),
    /// A documented error status with its decoded body.
    ErrorResponse(ResponseValue<E>),
    /// Reading the body of a response failed.
    ResponseBodyError(reqwest::Error),
    /// A documented status whose body could not be decoded.
    InvalidResponsePayload(InvalidPayload),
    /// A status the spec does not document for the operation.
    UnexpectedResponse(reqwest::Response),
    /// A failure reported by custom code.
    Custom(String),
}

/// A response body that is not the JSON the spec documents: not JSON at all,
/// truncated, or of another shape.
#[derive(Debug)]
pub struct InvalidPayload {
    /// Status of the response.
    pub status: StatusCode,
    /// The first bytes of the body (at most [`EXCERPT_LIMIT`]), lossily
    /// decoded as UTF-8.
    pub excerpt: String,
    /// Full length of the body in bytes.
    pub length: usize,
    /// What the JSON decoder reported.
    pub source: serde_json::Error,
}

/// The first [`EXCERPT_LIMIT`] bytes of `body`, cut at a character boundary,
/// with `…` when something was left off.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LIMIT)]);
    let mut text = text.into_owned();
    if body.len() > EXCERPT_LIMIT {
        // A multi-byte character cut at the limit shows as U+FFFD; drop it.
        if text.ends_with('\u{FFFD}') {
            text.pop();
        }
        text.push('…');
    }
    text
}

impl<E> Error<E> {
    /// The status of the response behind this error, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::ErrorResponse(rv) => Some(rv.status()),
            Error::InvalidResponsePayload(p) => Some(p.status),
            Error::UnexpectedResponse(r) => Some(r.status()),
            Error::CommunicationError(e)
            | Error::InvalidUpgrade(e)
            | Error::ResponseBodyError(e) => e.status(),
            Error::InvalidRequest(_) | Error::Auth(_) | Error::Custom(_) => None,
        }
    }

    /// The decoded error body of a documented error status.
    pub fn error_body(&self) -> Option<&E> {
        match self {
            Error::ErrorResponse(rv) => Some(rv.as_ref()),
            _ => None,
        }
    }

    /// Forgets the typed error body, keeping the status and headers.
    pub fn into_untyped(self) -> Error {
        match self {
            Error::InvalidRequest(s) => Error::InvalidRequest(s),
            Error::CommunicationError(e) => Error::CommunicationError(e),
            Error::Auth(e) => Error::Auth(e),
            Error::InvalidUpgrade(e) => Error::InvalidUpgrade(e),
            Error::ErrorResponse(rv) => {
                Error::ErrorResponse(ResponseValue::new((), rv.status(), rv.headers().clone()))
            }
            Error::ResponseBodyError(e) => Error::ResponseBodyError(e),
            Error::InvalidResponsePayload(p) => Error::InvalidResponsePayload(p),
            Error::UnexpectedResponse(r) => Error::UnexpectedResponse(r),
            Error::Custom(s) => Error::Custom(s),
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(e: reqwest::Error) -> Self {
        Error::CommunicationError(e)
    }
}

impl<E> From<reqwest::header::InvalidHeaderValue> for Error<E> {
    fn from(e: reqwest::header::InvalidHeaderValue) -> Self {
        Error::InvalidRequest(e.to_string())
    }
}

impl<E> From<std::convert::Infallible> for Error<E> {
    fn from(x: std::convert::Infallible) -> Self {
        match x {}
    }
}

impl<E> From<AuthError> for Error<E> {
    fn from(e: AuthError) -> Self {
        Error::Auth(e)
    }
}

/// Errors of progenitor's own helpers (e.g. form bodies) keep their meaning.
impl<E> From<progenitor_client::Error<E>> for Error<E> {
    fn from(e: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match e {
            P::InvalidRequest(s) => Error::InvalidRequest(s),
            P::CommunicationError(e) => Error::CommunicationError(e),
            P::InvalidUpgrade(e) => Error::InvalidUpgrade(e),
            P::ErrorResponse(rv) => Error::ErrorResponse(rv),
            P::ResponseBodyError(e) => Error::ResponseBodyError(e),
            // Generated code decodes with `decode`, which keeps the status;
            // progenitor's own error has none, so none is made up here.
            P::InvalidResponsePayload(bytes, source) => Error::Custom(format!(
                "response body does not decode ({source}); {} byte(s), starting: {}",
                bytes.len(),
                excerpt(&bytes)
            )),
            P::UnexpectedResponse(r) => Error::UnexpectedResponse(r),
            P::Custom(s) => Error::Custom(s),
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(s) => write!(f, "invalid request: {s}"),
            Error::CommunicationError(e) => write!(f, "communication error: {e}"),
            Error::Auth(e) => write!(f, "authentication failed: {e}"),
            Error::InvalidUpgrade(e) => write!(f, "connection upgrade failed: {e}"),
            Error::ErrorResponse(rv) => {
                write!(f, "error response {}: {:?}", rv.status(), rv.as_ref())
            }
            Error::ResponseBodyError(e) => write!(f, "reading the response body failed: {e}"),
            Error::InvalidResponsePayload(p) => write!(
                f,
                "response {} has a body that does not decode ({}); {} byte(s), starting: {}",
                p.status, p.source, p.length, p.excerpt
            ),
            Error::UnexpectedResponse(r) => {
                write!(f, "undocumented response status {}", r.status())
            }
            Error::Custom(s) => write!(f, "{s}"),
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::CommunicationError(e)
            | Error::InvalidUpgrade(e)
            | Error::ResponseBodyError(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::InvalidResponsePayload(p) => Some(&p.source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_marks_the_cut() {
        let long = "x".repeat(EXCERPT_LIMIT * 3);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_LIMIT + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
    }

    #[test]
    fn excerpt_never_ends_in_half_a_character() {
        let body = "é".repeat(EXCERPT_LIMIT);
        let e = excerpt(body.as_bytes());
        assert!(!e.contains('\u{FFFD}'), "{e}");
        assert!(e.ends_with('…'));
    }
}
