//! The error type of every generated operation.
//!
//! It has most variants of `progenitor_client::Error` (the generated code
//! constructs them by name) plus what progenitor cannot express: a token
//! that could not be obtained, a body that could not be decoded together
//! with its status and a bounded excerpt, and a response that is not what
//! the spec documents ([`RawResponse`]), read and kept with its status,
//! headers and a bounded excerpt instead of an unread `reqwest::Response`.

use std::fmt;

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::auth::AuthError;

/// Longest excerpt of an undecodable body kept in an error, in bytes.
pub const EXCERPT_LIMIT: usize = 512;

/// Longest error body read, in bytes. Documented error bodies are a few
/// hundred bytes; the cap keeps a gateway that streams a huge page (or
/// never stops) from being buffered without end.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

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
    /// A documented error status whose body is the documented error type.
    ErrorResponse(ResponseValue<E>),
    /// Reading the body of a response failed.
    ResponseBodyError(reqwest::Error),
    /// A documented status whose body could not be decoded.
    InvalidResponsePayload(InvalidPayload),
    /// A response the spec does not document: a status it does not list
    /// for the operation, or a documented error status whose body is not
    /// the documented error type (a gateway's HTML page, `{"error": ..}`).
    /// The body has been read (bounded) and is kept as an excerpt.
    UndocumentedResponse(RawResponse),
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

/// A response that is not what the spec documents, with what could be
/// learnt from it: status, headers and the start of the body.
#[derive(Debug)]
pub struct RawResponse {
    /// Status of the response.
    pub status: StatusCode,
    /// Headers of the response (e.g. `Retry-After`, a request id).
    pub headers: HeaderMap,
    /// The first bytes of the body (at most [`EXCERPT_LIMIT`]), cut at a
    /// character boundary and lossily decoded as UTF-8; `…` marks a cut.
    pub excerpt: String,
    /// Bytes of the body read: its full length when [`complete`](Self::complete),
    /// otherwise at most [`ERROR_BODY_LIMIT`].
    pub length: usize,
    /// Whether the body was read to its end; `false` when it is longer than
    /// [`ERROR_BODY_LIMIT`] (reading stopped there) or was not read.
    pub complete: bool,
    /// Why the body is not the documented error type, when the status is a
    /// documented error status and the body was read completely.
    pub mismatch: Option<serde_json::Error>,
}

impl RawResponse {
    fn from_body(
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
        complete: bool,
        mismatch: Option<serde_json::Error>,
    ) -> Self {
        RawResponse {
            status,
            headers,
            excerpt: excerpt(body),
            length: body.len(),
            complete,
            mismatch,
        }
    }
}

impl fmt::Display for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.mismatch {
            Some(why) => write!(
                f,
                "error response {} is not the documented error body ({why})",
                self.status
            )?,
            None => write!(f, "undocumented response status {}", self.status)?,
        }
        match (self.length, self.complete) {
            (0, true) => write!(f, " with an empty body"),
            (0, false) => write!(f, "; body not read"),
            (n, true) => write!(f, "; {n} byte(s), starting: {}", self.excerpt),
            (n, false) => write!(f, "; more than {n} byte(s), starting: {}", self.excerpt),
        }
    }
}

/// Reads at most [`ERROR_BODY_LIMIT`] bytes of the body; says whether that
/// was all of it.
pub(crate) async fn read_bounded(
    response: &mut reqwest::Response,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = ERROR_BODY_LIMIT - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, false));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, true))
}

/// The error for a documented error status: [`Error::ErrorResponse`] when
/// the body decodes as the documented type `E`, otherwise
/// [`Error::UndocumentedResponse`] with the status, headers, a bounded
/// excerpt and why it did not decode. The generated code calls this for
/// every documented error status with a JSON body.
pub async fn decode_error<E: DeserializeOwned>(mut response: reqwest::Response) -> Error<E> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let (body, complete) = match read_bounded(&mut response).await {
        Ok(read) => read,
        Err(e) => return Error::ResponseBodyError(e),
    };
    let mismatch = if complete {
        match serde_json::from_slice(&body) {
            Ok(typed) => return Error::ErrorResponse(ResponseValue::new(typed, status, headers)),
            Err(why) => Some(why),
        }
    } else {
        None
    };
    Error::UndocumentedResponse(RawResponse::from_body(
        status, headers, &body, complete, mismatch,
    ))
}

/// The error for a documented error status that has no documented body,
/// as the value `value` (`()`, or a variant of the operation's error
/// enum): [`Error::ErrorResponse`] with the status and headers when the
/// body is empty, otherwise [`Error::UndocumentedResponse`] with the status,
/// headers and a bounded excerpt of the body, so that what the server said
/// is never dropped.
pub async fn empty_error_as<U>(mut response: reqwest::Response, value: U) -> Error<U> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    match read_bounded(&mut response).await {
        Ok((body, true)) if body.is_empty() => {
            Error::ErrorResponse(ResponseValue::new(value, status, headers))
        }
        Ok((body, complete)) => Error::UndocumentedResponse(RawResponse::from_body(
            status, headers, &body, complete, None,
        )),
        Err(e) => Error::ResponseBodyError(e),
    }
}

/// [`empty_error_as`] for an operation whose one error type is `()`.
pub async fn empty_error(response: reqwest::Response) -> Error<()> {
    empty_error_as(response, ()).await
}

/// The error for a status the spec does not document for the operation:
/// [`Error::UndocumentedResponse`] with the status, headers and a bounded
/// excerpt of the body.
pub async fn undocumented<E>(mut response: reqwest::Response) -> Error<E> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    match read_bounded(&mut response).await {
        Ok((body, complete)) => Error::UndocumentedResponse(RawResponse::from_body(
            status, headers, &body, complete, None,
        )),
        Err(e) => Error::ResponseBodyError(e),
    }
}

/// Whether a timeout is anywhere in the source chain of `error`.
fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(e) = e.downcast_ref::<reqwest::Error>() {
            return e.is_timeout();
        }
        // `AuthError` keeps transport failures behind an `Arc`.
        if let Some(e) = e.downcast_ref::<std::sync::Arc<reqwest::Error>>() {
            return e.is_timeout();
        }
        if let Some(e) = e.downcast_ref::<std::io::Error>() {
            if e.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        next = e.source();
    }
    false
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
            Error::UndocumentedResponse(r) => Some(r.status),
            Error::CommunicationError(e)
            | Error::InvalidUpgrade(e)
            | Error::ResponseBodyError(e) => e.status(),
            Error::InvalidRequest(_) | Error::Auth(_) | Error::Custom(_) => None,
        }
    }

    /// The headers of the response behind this error, if there was one
    /// and they were kept (a typed or an undocumented error response).
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::ErrorResponse(rv) => Some(rv.headers()),
            Error::UndocumentedResponse(r) => Some(&r.headers),
            _ => None,
        }
    }

    /// The decoded error body of a documented error status.
    pub fn error_body(&self) -> Option<&E> {
        match self {
            Error::ErrorResponse(rv) => Some(rv.as_ref()),
            _ => None,
        }
    }

    /// The response that is not what the spec documents, if that is what
    /// this error is.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            Error::UndocumentedResponse(r) => Some(r),
            _ => None,
        }
    }

    /// Whether the request, reading its response, or the token request
    /// before it took longer than its timeout.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::CommunicationError(e) | Error::ResponseBodyError(e) => e.is_timeout(),
            Error::Auth(e) => timed_out(e),
            _ => false,
        }
    }

    /// The same error with the typed error body mapped by `f` (e.g. into a
    /// variant of an operation's error enum); every other variant is kept.
    pub fn map_body<U>(self, f: impl FnOnce(E) -> U) -> Error<U> {
        match self {
            Error::InvalidRequest(s) => Error::InvalidRequest(s),
            Error::CommunicationError(e) => Error::CommunicationError(e),
            Error::Auth(e) => Error::Auth(e),
            Error::InvalidUpgrade(e) => Error::InvalidUpgrade(e),
            Error::ErrorResponse(rv) => {
                let (status, headers) = (rv.status(), rv.headers().clone());
                Error::ErrorResponse(ResponseValue::new(f(rv.into_inner()), status, headers))
            }
            Error::ResponseBodyError(e) => Error::ResponseBodyError(e),
            Error::InvalidResponsePayload(p) => Error::InvalidResponsePayload(p),
            Error::UndocumentedResponse(r) => Error::UndocumentedResponse(r),
            Error::Custom(s) => Error::Custom(s),
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
            Error::UndocumentedResponse(r) => Error::UndocumentedResponse(r),
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
            // Nothing here is async, so the body stays unread.
            P::UnexpectedResponse(r) => Error::UndocumentedResponse(RawResponse {
                status: r.status(),
                headers: r.headers().clone(),
                excerpt: String::new(),
                length: 0,
                complete: false,
                mismatch: None,
            }),
            P::Custom(s) => Error::Custom(s),
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(s) => write!(f, "invalid request: {s}"),
            Error::CommunicationError(e) if e.is_timeout() => {
                write!(f, "request timed out: {e}")
            }
            Error::CommunicationError(e) => write!(f, "communication error: {e}"),
            Error::Auth(e) if timed_out(e) => write!(f, "authentication failed: {e} (timed out)"),
            Error::Auth(e) => write!(f, "authentication failed: {e}"),
            Error::InvalidUpgrade(e) => write!(f, "connection upgrade failed: {e}"),
            Error::ErrorResponse(rv) => {
                write!(f, "error response {}: {:?}", rv.status(), rv.as_ref())
            }
            Error::ResponseBodyError(e) if e.is_timeout() => {
                write!(f, "reading the response body timed out: {e}")
            }
            Error::ResponseBodyError(e) => write!(f, "reading the response body failed: {e}"),
            Error::InvalidResponsePayload(p) => write!(
                f,
                "response {} has a body that does not decode ({}); {} byte(s), starting: {}",
                p.status, p.source, p.length, p.excerpt
            ),
            Error::UndocumentedResponse(r) => write!(f, "{r}"),
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
            Error::UndocumentedResponse(RawResponse {
                mismatch: Some(why),
                ..
            }) => Some(why),
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
