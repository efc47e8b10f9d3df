//! Decoding for operations whose documented responses have several types:
//! the generated code picks the variant by status and calls these, so the
//! body is decoded as that status's type and wrapped in its variant.

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::client::decode;
use crate::error::{decode_error, read_bounded, Error};

/// Decodes the body as `T` and wraps it with `variant` (e.g.
/// `responses::GetThing::Created`), keeping the status and headers; a body
/// that does not decode is `Error::InvalidResponsePayload`, as with
/// [`decode`].
pub async fn decode_as<T: DeserializeOwned, U, E>(
    response: reqwest::Response,
    variant: impl FnOnce(T) -> U,
) -> Result<ResponseValue<U>, Error<E>> {
    let value = decode::<T, E>(response).await?;
    let (status, headers) = (value.status(), value.headers().clone());
    Ok(ResponseValue::new(
        variant(value.into_inner()),
        status,
        headers,
    ))
}

/// A response without a body, as the variant `value` (e.g.
/// `responses::GetThing::NoContent`), keeping the status and headers.
pub fn empty_as<U>(response: reqwest::Response, value: U) -> ResponseValue<U> {
    ResponseValue::new(value, response.status(), response.headers().clone())
}

/// The error of a documented error status whose body type is `T`, as the
/// variant `variant` of the operation's error enum: `Error::ErrorResponse`
/// when the body decodes as `T`, else `Error::UndocumentedResponse` with the
/// status, headers and an excerpt (see [`decode_error`]).
pub async fn decode_error_as<T: DeserializeOwned, U>(
    response: reqwest::Response,
    variant: impl FnOnce(T) -> U,
) -> Error<U> {
    decode_error::<T>(response).await.map_body(variant)
}

/// The error of a documented error status whose body is not JSON (an HTML
/// or text page), as the variant `variant` of the operation's error enum,
/// carrying the body as text: read up to [`crate::error::ERROR_BODY_LIMIT`]
/// bytes and decoded lossily as UTF-8.
pub async fn text_error_as<U>(
    mut response: reqwest::Response,
    variant: impl FnOnce(String) -> U,
) -> Error<U> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    match read_bounded(&mut response).await {
        Ok((body, _)) => Error::ErrorResponse(ResponseValue::new(
            variant(String::from_utf8_lossy(&body).into_owned()),
            status,
            headers,
        )),
        Err(e) => Error::ResponseBodyError(e),
    }
}
